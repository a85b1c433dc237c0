//! A `nats-server -js` of our own on a free loopback port, for tests and the benchmark.
//!
//! [`LocalNats::start`] runs `nats-server -js -a 127.0.0.1 -p PORT -sd DIR` and waits until it
//! answers; [`LocalNats::restart`] kills it (SIGKILL) and starts it again on the same port with the
//! same storage folder, so a stream must come back from its files; dropping it kills the server.
//! [`LocalNats::for_tests`] is the test harness: `None` with a printed notice when the binary is
//! missing, unless `NEWSLENS_REQUIRE_NATS=1` (CI), where a missing binary fails the test.
//!
//! It never talks NATS itself beyond reading the server's greeting.

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
    // Held so the storage folder lives as long as the server when the harness made it.
    _temp: Option<tempfile::TempDir>,
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
            _temp: None,
        };
        server.spawn()?;
        Ok(server)
    }

    /// The test harness: a server in a temporary folder, or `None` (with a notice on stderr)
    /// when `nats-server` is not installed and `NEWSLENS_REQUIRE_NATS` is not `1`.
    ///
    /// # Panics
    /// When the server is required and missing, or fails to start.
    pub fn for_tests(test: &str) -> Option<LocalNats> {
        let required = std::env::var("NEWSLENS_REQUIRE_NATS").is_ok_and(|value| value == "1");
        let Some(binary) = nats_server_binary() else {
            assert!(
                !required,
                "{test}: nats-server not found and NEWSLENS_REQUIRE_NATS=1"
            );
            eprintln!(
                "notice: {test} skipped: nats-server not found (apt-get install nats-server)"
            );
            return None;
        };
        let temp = tempfile::tempdir().expect("a temporary folder");
        let mut server = LocalNats::start(&binary, temp.path())
            .unwrap_or_else(|error| panic!("{test}: nats-server does not start: {error}"));
        server._temp = Some(temp);
        Some(server)
    }

    /// `nats://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kills the server (SIGKILL, no chance to tidy up) and starts it again on the same port and
    /// storage folder.
    pub fn restart(&mut self) -> crate::Result<()> {
        self.kill();
        self.spawn()
    }

    /// Kills the server; [`LocalNats::restart`] brings it back.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server and waits for its greeting. Right after a kill the port may still be
    /// held for a moment and the new server exits at once: it is started again until it answers
    /// or 20 s have passed.
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
