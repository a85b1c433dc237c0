//! A `nats-server -js` of our own on a free loopback port, for `bench queue`.
//!
//! [`LocalNats::start`] runs `nats-server -js -a 127.0.0.1 -p PORT -sd DIR` and waits until it
//! answers; dropping it kills the server. The tests' harness, with skipping and restarts, is
//! `newslens_testkit::TempNats` (the testkit is a dev-dependency only, so the benchmark cannot
//! use it). It never talks NATS itself beyond reading the server's greeting.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::QueueError;

/// A nats-server with JetStream on loopback, killed on drop.
pub struct LocalNats {
    binary: PathBuf,
    port: u16,
    store_dir: PathBuf,
    child: Option<Child>,
}

/// Where the `nats-server` binary is: `$NATS_SERVER`, else the `PATH`, else Debian's
/// `/usr/sbin` (not on a user's `PATH`).
pub fn nats_server_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NATS_SERVER") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|dir| dir.join("nats-server"))
        .find(|candidate| candidate.is_file())
}

impl LocalNats {
    /// Starts a server storing its streams under `store_dir`.
    pub fn start(binary: &Path, store_dir: &Path) -> crate::Result<LocalNats> {
        let mut server = LocalNats {
            binary: binary.to_path_buf(),
            port: free_port()?,
            store_dir: store_dir.to_path_buf(),
            child: None,
        };
        server.spawn()?;
        Ok(server)
    }

    /// `nats://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server and waits for its greeting; a server that exits at once (the port was
    /// taken meanwhile) is started again until it answers or 20 s have passed.
    fn spawn(&mut self) -> crate::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let mut child = Command::new(&self.binary)
                .args([
                    "-js",
                    "-a",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-sd",
                ])
                .arg(&self.store_dir)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|source| QueueError::Io {
                    what: format!("cannot start {}", self.binary.display()),
                    source,
                })?;
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if greets_with_jetstream(self.port) {
                    self.child = Some(child);
                    return Ok(());
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(QueueError::Io {
            what: format!("nats-server on port {}", self.port),
            source: std::io::Error::other("no answer in 20 s"),
        })
    }
}

impl Drop for LocalNats {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether a server on the port sends its `INFO` greeting with JetStream on.
fn greets_with_jetstream(port: u16) -> bool {
    let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).is_ok()
        && line.starts_with("INFO")
        && line.contains("\"jetstream\":true")
}

/// A port nothing listens on now.
fn free_port() -> crate::Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|source| QueueError::Io {
        what: "cannot find a free loopback port".into(),
        source,
    })?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|source| QueueError::Io {
            what: "cannot find a free loopback port".into(),
            source,
        })
}
