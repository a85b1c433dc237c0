//! The accept loop: HTTP/1.1 connections with a header timeout, under a cap on open connections.
//!
//! `axum::serve` accepts every connection and keeps it as long as the client likes, so 20,000
//! idle connections used up the process's file descriptors and the server stopped answering
//! anyone (issue 17). Here each connection is served by hyper with a header-read timeout (which
//! also closes an idle keep-alive connection: hyper starts that clock whenever it waits for a
//! request head), and the open connections are counted. At [`Limits::max_connections`] a new
//! connection is still accepted, and the oldest open one is asked to close: at once when idle,
//! after its answer when a request is in flight. A client holding many connections thus only
//! churns its own, and a new client is answered. Should closing lag behind (connections whose
//! requests run long), new connections beyond twice the cap are refused by closing them.
//!
//! This module knows nothing of routes or handlers: it serves whatever `Router` it is given.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::limits::Limits;

/// The open connections, oldest first, each with the signal that asks it to close.
#[derive(Default)]
struct Open {
    by_age: Mutex<BTreeMap<u64, Arc<Notify>>>,
    /// Connections whose tasks are running, asked to close or not.
    alive: AtomicUsize,
}

/// Takes a connection off the books when its task ends, however it ends.
struct Registered {
    open: Arc<Open>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        if let Ok(mut by_age) = self.open.by_age.lock() {
            by_age.remove(&self.id);
        }
        self.open.alive.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then asks every connection to close
/// after its answer and waits for them up to `limits.request_timeout`.
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let http = Arc::new(http);
    let open = Arc::new(Open::default());
    let max_connections = limits.max_connections.max(1);
    let mut next_id: u64 = 0;
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors (or another transient failure): wait for connections to
            // close instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        if open.alive.load(Ordering::Relaxed) >= 2 * max_connections {
            drop(stream);
            continue;
        }
        let close = Arc::new(Notify::new());
        if let Ok(mut by_age) = open.by_age.lock() {
            while by_age.len() >= max_connections {
                match by_age.pop_first() {
                    Some((_, oldest)) => oldest.notify_one(),
                    None => break,
                }
            }
            by_age.insert(next_id, Arc::clone(&close));
        }
        open.alive.fetch_add(1, Ordering::Relaxed);
        let registered = Registered {
            open: Arc::clone(&open),
            id: next_id,
        };
        next_id += 1;
        let _ = stream.set_nodelay(true);
        let http = Arc::clone(&http);
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _registered = registered;
            let connection = http.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = close.notified() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    let closes: Vec<Arc<Notify>> = match open.by_age.lock() {
        Ok(by_age) => by_age.values().cloned().collect(),
        Err(_) => Vec::new(),
    };
    for close in closes {
        close.notify_one();
    }
    let deadline = tokio::time::Instant::now() + limits.request_timeout;
    while open.alive.load(Ordering::Relaxed) > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
