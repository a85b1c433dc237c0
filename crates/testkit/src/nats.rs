//! A throwaway `nats-server -js` for the queue's tests: a free loopback port, JetStream storage in
//! a temporary folder, killed when the test ends.
//!
//! [`TempNats::start`] returns `None` with a notice when `nats-server` is not installed, unless
//! [`REQUIRE_NATS`] is `1` (as `.ci/run` sets it), when it panics. [`TempNats::restart`] kills the
//! server with SIGKILL and starts it again on the same port and folder, so a stream must come back
//! from its files. It never speaks NATS beyond reading the server's greeting.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::free_port;

/// The environment variable that turns "nats-server is not installed" from a skip into a failure.
pub const REQUIRE_NATS: &str = "NEWSLENS_REQUIRE_NATS";

/// How long a starting server may take to greet.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// A nats-server with JetStream on a loopback port until it is dropped.
pub struct TempNats {
    binary: PathBuf,
    /// Holds the JetStream storage; removed on drop.
    folder: tempfile::TempDir,
    port: u16,
    server: Option<Child>,
}

impl TempNats {
    /// Starts a server. Returns `None` (after printing a notice) when `nats-server` is not
    /// installed, unless [`REQUIRE_NATS`] is `1`.
    ///
    /// # Panics
    /// When the server is required and missing, or does not start.
    pub fn start() -> Option<TempNats> {
        let Some(binary) = find_nats_server() else {
            let message = "nats-server not found on PATH or in /usr/sbin; install the Debian \
                           package nats-server";
            if std::env::var(REQUIRE_NATS).as_deref() == Ok("1") {
                panic!("{message} ({REQUIRE_NATS}=1)");
            }
            eprintln!("notice: {message}; the queue tests are skipped");
            return None;
        };
        let mut server = TempNats {
            binary,
            folder: tempfile::tempdir().expect("a temporary folder"),
            port: free_port(),
            server: None,
        };
        server.spawn();
        Some(server)
    }

    /// `nats://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kills the server (SIGKILL: no chance to tidy up) and starts it again on the same port
    /// and storage folder.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// Kills the server; [`TempNats::restart`] brings it back.
    pub fn kill(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.kill();
            let _ = server.wait();
        }
    }

    /// Starts the server and waits for its greeting. Right after a kill the port may still be
    /// held for a moment and the new server exits at once: it is started again until it answers.
    fn spawn(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            let mut server = Command::new(&self.binary)
                .args([
                    "-js",
                    "-a",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-sd",
                ])
                .arg(self.folder.path())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|error| panic!("cannot start {}: {error}", self.binary.display()));
            while Instant::now() < deadline {
                if let Ok(Some(_)) = server.try_wait() {
                    break;
                }
                if greets_with_jetstream(self.port) {
                    self.server = Some(server);
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = server.kill();
            let _ = server.wait();
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!(
            "nats-server on port {} did not answer in {} s",
            self.port,
            START_TIMEOUT.as_secs()
        );
    }
}

impl Drop for TempNats {
    fn drop(&mut self) {
        self.kill();
    }
}

/// `$NATS_SERVER`, else `nats-server` on PATH, else Debian's `/usr/sbin/nats-server`.
fn find_nats_server() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NATS_SERVER") {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|dir| dir.join("nats-server"))
        .find(|candidate| candidate.is_file())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_starts_and_restarts_on_the_same_port() {
        let Some(mut server) = TempNats::start() else {
            return;
        };
        let url = server.url();
        assert!(url.starts_with("nats://127.0.0.1:"));
        server.restart();
        assert_eq!(server.url(), url);
        assert!(greets_with_jetstream(server.port));
    }
}
