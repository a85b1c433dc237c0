//! How much the server takes on at once, and for how long: the limits that keep a few cheap
//! requests from taking it down (issue 17), and the gate every request passes.
//!
//! Work is bounded at each stage, so that memory and threads stay bounded whatever arrives:
//!
//! - **connections**: at most [`Limits::max_connections`] open (by default half the open-file
//!   limit, at most 10,000); a new one beyond that closes the
//!   oldest (after its answer, if a request is in flight), so idle connections cannot lock out
//!   a new client ([`crate::connections`]);
//! - **request heads**: a connection that has not sent a whole request head within
//!   [`Limits::header_timeout`] of opening, or of its last answer, is closed — the idle keep-alive
//!   timeout and the slow-header timeout are one clock;
//! - **bodies**: a body that stalls for [`Limits::body_timeout`] is refused with 408;
//! - **requests in flight**: at most [`Limits::max_in_flight`]; beyond, 503 with `Retry-After`
//!   at once, rather than queueing without end ([`admit`]);
//! - **whole requests**: [`Limits::request_timeout`], then 503 (ingest excepted: a batch may take
//!   minutes, and its writes run to their end anyway);
//! - **database reads**: [`Limits::readers`] connections, a request waits at most
//!   [`Limits::reader_wait`] for one (then 503), and a read stops once it has run for
//!   [`Limits::read_budget`] or its request is dropped ([`crate::state`]); a read connection
//!   unused for [`Limits::reader_idle`] is closed, so its page cache does not outlive a burst.
//!
//! - **posted articles**: each document's reading and analysis stops after
//!   [`Limits::analysis_budget`] (the pipeline's per-document time budget, checked inside the
//!   analysis), and that document fails with an error naming it.
//!
//! Bodies are limited by [`crate::Settings::max_body`], not here.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// The server's limits; [`Limits::default`] is what `newslens serve` runs with.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Most open connections; a new one beyond closes the oldest.
    pub max_connections: usize,
    /// Most requests being handled at once; more are answered 503 at once.
    pub max_in_flight: usize,
    /// Database read connections (the pool never opens more).
    pub readers: usize,
    /// How long a request waits for a free read connection before 503.
    pub reader_wait: Duration,
    /// How long one request's database reads may run before SQLite stops them.
    pub read_budget: Duration,
    /// How long a request may take in all, body included (ingest excepted).
    pub request_timeout: Duration,
    /// How long a connection may take to send a request head, counted from its opening or its
    /// last answer (so also how long an idle keep-alive connection is kept).
    pub header_timeout: Duration,
    /// How long a request body may stall between two chunks.
    pub body_timeout: Duration,
    /// How long a pooled read connection may sit unused before it is closed, giving back its
    /// page cache: after a burst, the server's memory returns near idle.
    pub reader_idle: Duration,
    /// How long one posted document (`POST /v1/analyze`, each record of `POST /v1/ingest`) may
    /// take to read and analyse; below the request timeout, so the answer names the document.
    pub analysis_budget: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_connections: default_max_connections(),
            max_in_flight: 128,
            readers: 2 * cores,
            reader_wait: Duration::from_secs(1),
            read_budget: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            reader_idle: Duration::from_secs(5),
            analysis_budget: Duration::from_secs(10),
        }
    }
}

impl Limits {
    /// Blocking threads the runtime may start: one per read connection, plus room for posted
    /// articles waiting on the analysis threads and for the writer. Beyond, blocking work
    /// queues instead of starting a thread (tokio's default allows 512, each with its stack).
    pub fn max_blocking_threads(&self) -> usize {
        self.readers + 32
    }
}

/// Half the process's open-file limit less a reserve (database files, the listener), at most
/// 10,000: connections asked to close may linger until their answer, so up to twice the cap can
/// be open, and the accept loop must never run out of descriptors before the cap makes room.
/// 1,024 where the limit cannot be read (outside Linux).
fn default_max_connections() -> usize {
    const RESERVE: usize = 128;
    let soft_limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            let line = limits
                .lines()
                .find(|line| line.starts_with("Max open files"))?;
            line.split_whitespace().nth(3)?.parse::<usize>().ok()
        });
    match soft_limit {
        Some(soft_limit) => (soft_limit.saturating_sub(RESERVE) / 2).clamp(64, 10_000),
        None => 1024,
    }
}

/// The gate every request passes: a permit of the in-flight limit and the request timeout.
#[derive(Clone)]
pub(crate) struct Gate {
    in_flight: Arc<Semaphore>,
    limits: Arc<Limits>,
}

impl Gate {
    pub(crate) fn new(limits: &Limits) -> Gate {
        Gate {
            in_flight: Arc::new(Semaphore::new(limits.max_in_flight.max(1))),
            limits: Arc::new(limits.clone()),
        }
    }
}

/// Admits a request when fewer than [`Limits::max_in_flight`] are being handled, else answers
/// 503 at once; stops it after [`Limits::request_timeout`] (dropping its future, which stops its
/// database reads).
pub(crate) async fn admit(State(gate): State<Gate>, request: Request, next: Next) -> Response {
    let Ok(_permit) = gate.in_flight.clone().try_acquire_owned() else {
        return ApiError::overloaded(format!(
            "the server is handling {} requests, its most; try again shortly",
            gate.limits.max_in_flight
        ))
        .into_response();
    };
    // An ingest's writes run to their end even when nobody waits (a transaction is never cut
    // off), so stopping its request would only lose the report.
    if request.uri().path() == "/v1/ingest" {
        return next.run(request).await;
    }
    let timeout = gate.limits.request_timeout;
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::overloaded(format!(
            "the request took longer than {} s and was stopped",
            timeout.as_secs_f64()
        ))
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{header, StatusCode};
    use axum::middleware::from_fn_with_state;
    use axum::routing::{get, post};
    use axum::Router;
    use tower::ServiceExt;

    /// A handler that takes longer than the request timeout.
    async fn slow() -> &'static str {
        tokio::time::sleep(Duration::from_secs(5)).await;
        "late"
    }

    fn gated(limits: &Limits) -> Router {
        Router::new()
            .route("/v1/stories", get(slow))
            .route("/v1/ingest", post(|| async { "stored" }))
            .layer(from_fn_with_state(Gate::new(limits), admit))
    }

    #[tokio::test]
    async fn a_request_past_the_request_timeout_is_stopped_with_503_and_retry_after() {
        let limits = Limits {
            request_timeout: Duration::from_millis(50),
            ..Limits::default()
        };
        let started = std::time::Instant::now();
        let response = gated(&limits)
            .oneshot(
                axum::http::Request::get("/v1/stories")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn ingest_is_not_cut_off_by_the_request_timeout() {
        let limits = Limits {
            request_timeout: Duration::from_millis(0),
            ..Limits::default()
        };
        let response = gated(&limits)
            .oneshot(
                axum::http::Request::post("/v1/ingest")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
}
