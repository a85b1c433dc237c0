//! Throwaway servers for newslens's tests: a PostgreSQL cluster of its own in a temporary folder,
//! on a free loopback port, gone when the test ends; and a `nats-server -js` the same way
//! ([`TempNats`], for the work queue's tests).
//!
//! Tests that need a real database server start one with [`TempPostgres::start`] and talk to it
//! through [`TempPostgres::url`]. Without the PostgreSQL binaries (`initdb`, `postgres`) the
//! function prints a notice and returns `None`, so the test can skip; with the environment
//! variable [`REQUIRE_POSTGRES`] set to `1` (as `.ci/run` does) it panics instead, so a missing
//! install cannot pass for a green run.
//!
//! PostgreSQL refuses to run as root. When the tests run as root the cluster is created and run
//! as the unprivileged user `nobody`, in a data folder owned by it. Each cluster is private to the
//! test that started it: `initdb` takes about half a second here, so there is no sharing between
//! tests (and no server left behind when a test process dies, since nothing is global).
//!
//! This crate is a dev-dependency only; nothing in it is used by the program.
//!
//! ```no_run
//! let Some(server) = newslens_testkit::TempPostgres::start() else {
//!     return; // the notice is printed
//! };
//! let url = server.url(); // postgres://newslens@127.0.0.1:PORT/newslens
//! let other = server.create_database("second"); // another empty database, same server
//! # let _ = (url, other);
//! ```
#![warn(missing_docs)]

mod nats;

pub use nats::{TempNats, REQUIRE_NATS};

use newslens_store::{Store, StoryConfig, StoryFilter};

/// A corpus's stories as `stories --rebuild` makes them (incremental placement may depend on the
/// order batches arrived in; a rebuild depends on the stored articles alone): each story's article
/// ids sorted, the stories sorted. Checks the corpus's invariants before and after the rebuild.
pub fn rebuilt_story_sets(store: &mut dyn Store) -> Vec<Vec<String>> {
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    store.rebuild_stories(&StoryConfig::default()).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let filter = StoryFilter {
        limit: None,
        ..StoryFilter::default()
    };
    let mut story_sets: Vec<Vec<String>> = store
        .stories(&filter)
        .unwrap()
        .iter()
        .map(|story| {
            let mut ids: Vec<String> = store
                .story_articles(&story.id)
                .unwrap()
                .into_iter()
                .map(|article| article.article.id)
                .collect();
            ids.sort();
            ids
        })
        .collect();
    story_sets.sort();
    story_sets
}

use std::fs::File;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Publication dates as articles carry them, odd ones included (a day past the month's end, before
/// 1970, with a time zone, year 1, an impossible month, a one-digit month, words, none): whatever
/// turns them into days (a migration's SQL) must agree with `newslens_store::features::day_number`
/// on every one.
pub const PUBLICATION_DATES: [Option<&str>; 12] = [
    Some("1970-01-01"),
    Some("1999-12-31T23:59:00Z"),
    Some("2000-02-29"),
    Some("2000-03-01T00:00:00Z"),
    Some("2020-02-31"),
    Some("1969-12-31"),
    Some("2024-01-15T10:00:00+05:00"),
    Some("0001-01-01"),
    Some("2020-13-01"),
    Some("2020-1-01"),
    Some("yesterday"),
    None,
];

/// The environment variable that turns "PostgreSQL is not installed" from a skip into a failure.
pub const REQUIRE_POSTGRES: &str = "NEWSLENS_REQUIRE_POSTGRES";
/// The environment variable naming the folder of `initdb` and `postgres`, when they are not
/// found by themselves.
pub const POSTGRES_BIN: &str = "NEWSLENS_POSTGRES_BIN";
/// The superuser of every throwaway cluster (no password: the cluster trusts loopback).
pub const USER: &str = "newslens";
/// The database [`TempPostgres::url`] names.
pub const DATABASE: &str = "newslens";

/// How long a starting server may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a stopping server may take before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// A PostgreSQL cluster in a temporary folder, serving on a loopback port until it is dropped.
pub struct TempPostgres {
    bin: PathBuf,
    /// Holds `data/` (the cluster) and `postgres.log`; removed on drop.
    folder: tempfile::TempDir,
    port: u16,
    server: Option<Child>,
    /// The user and group the server runs as, when the tests run as root.
    run_as: Option<(u32, u32)>,
}

impl TempPostgres {
    /// Creates a cluster and starts it with a database [`DATABASE`] owned by [`USER`]. Returns
    /// `None` (after printing a notice) when PostgreSQL is not installed, unless
    /// [`REQUIRE_POSTGRES`] is `1`.
    ///
    /// # Panics
    /// When the binaries are there but the cluster cannot be created or started (the message
    /// carries the server's log), or when they are missing and [`REQUIRE_POSTGRES`] is `1`.
    pub fn start() -> Option<TempPostgres> {
        let Some(bin) = find_binaries() else {
            let message = format!(
                "PostgreSQL (initdb, postgres) not found on PATH, in /usr/lib/postgresql/*/bin or \
                 in ${POSTGRES_BIN}; install the Debian package postgresql"
            );
            if std::env::var(REQUIRE_POSTGRES).as_deref() == Ok("1") {
                panic!("{message} ({REQUIRE_POSTGRES}=1)");
            }
            eprintln!("notice: {message}; the PostgreSQL tests are skipped");
            return None;
        };
        let run_as =
            if unsafe { libc::geteuid() } == 0 {
                Some(nobody().expect(
                    "the tests run as root and there is no user `nobody` to run PostgreSQL as",
                ))
            } else {
                None
            };
        let folder = tempfile::Builder::new()
            .prefix("newslens-postgres-")
            .tempdir()
            .expect("a temporary folder");
        // The server's user must reach its data folder inside ours.
        std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o755))
            .expect("the temporary folder's permissions");
        let data = folder.path().join("data");
        std::fs::create_dir(&data).expect("the data folder");
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700))
            .expect("the data folder's permissions");
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(&data, Some(uid), Some(gid))
                .expect("the data folder handed to the server's user");
        }
        let mut server = TempPostgres {
            bin,
            folder,
            port: 0,
            server: None,
            run_as,
        };
        let initdb = server
            .command("initdb")
            .args(["-D"])
            .arg(&data)
            .args([
                "-U",
                USER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .expect("initdb runs");
        assert!(
            initdb.status.success(),
            "initdb failed: {}{}",
            String::from_utf8_lossy(&initdb.stdout),
            String::from_utf8_lossy(&initdb.stderr)
        );
        server.port = free_port();
        server.launch();
        server.create_database(DATABASE);
        Some(server)
    }

    /// `postgres://newslens@127.0.0.1:PORT/newslens`.
    pub fn url(&self) -> String {
        self.database_url(DATABASE)
    }

    /// The URL of another database on this server.
    pub fn database_url(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Creates an empty database on this server and returns its URL.
    ///
    /// # Panics
    /// When `createdb` fails (a name already used, a stopped server).
    pub fn create_database(&self, database: &str) -> String {
        let output = self
            .command("createdb")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                USER,
                database,
            ])
            .output()
            .expect("createdb runs");
        assert!(
            output.status.success(),
            "createdb {database} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        self.database_url(database)
    }

    /// Stops the server (a fast shutdown: open connections are ended, committed work is kept).
    /// Does nothing when it is stopped.
    pub fn stop(&mut self) {
        let Some(mut child) = self.server.take() else {
            return;
        };
        // SIGINT is PostgreSQL's fast shutdown.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGINT);
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        loop {
            match child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return;
                }
            }
        }
    }

    /// Stops the server if it runs, and starts it again on the same port and data.
    pub fn restart(&mut self) {
        self.stop();
        self.launch();
    }

    /// The server's log so far (for a failing test's message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn log_path(&self) -> PathBuf {
        self.folder.path().join("postgres.log")
    }

    /// A command for one of the PostgreSQL binaries, run as the server's user, in a plain
    /// environment.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bin.join(program));
        command
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("LC_ALL", "C")
            .env("HOME", self.folder.path())
            .current_dir(self.folder.path())
            .stdin(Stdio::null());
        if let Some((uid, gid)) = self.run_as {
            // std drops root's supplementary groups when it changes the user.
            command.uid(uid).gid(gid);
        }
        command
    }

    /// Starts the server and waits until it accepts connections.
    fn launch(&mut self) {
        let log = File::options()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("the server's log file");
        let child = self
            .command("postgres")
            .arg("-D")
            .arg(self.folder.path().join("data"))
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            // TCP only: no socket file in a folder the server's user may not write.
            .args(["-c", "unix_socket_directories="])
            // A throwaway cluster: durability is not wanted, speed is.
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off"])
            .stdout(log.try_clone().expect("the log file"))
            .stderr(log)
            .spawn()
            .expect("postgres starts");
        self.server = Some(child);
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(Ok(Some(status))) = self.server.as_mut().map(Child::try_wait) {
                self.server = None;
                panic!(
                    "postgres exited ({status}) before accepting connections:\n{}",
                    self.log()
                );
            }
            let ready = self
                .command("pg_isready")
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .args(["-U", USER, "-d", "postgres"])
                .status()
                .is_ok_and(|status| status.success());
            if ready {
                return;
            }
            if Instant::now() > deadline {
                self.stop();
                panic!(
                    "postgres did not accept connections within {START_TIMEOUT:?}:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A loopback port nobody listens on now: the system's pick for a socket bound to port 0.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

/// The folder holding `initdb`, `postgres`, `pg_isready` and `createdb`: `$NEWSLENS_POSTGRES_BIN`,
/// else where an `initdb` on PATH really lives (Debian links it from /usr/lib/postgresql/N/bin),
/// else Debian's newest /usr/lib/postgresql/N/bin.
fn find_binaries() -> Option<PathBuf> {
    let complete = |dir: &Path| {
        ["initdb", "postgres", "pg_isready", "createdb"]
            .iter()
            .all(|program| dir.join(program).is_file())
    };
    if let Some(dir) = std::env::var_os(POSTGRES_BIN) {
        let dir = PathBuf::from(dir);
        return complete(&dir).then_some(dir);
    }
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|dir| std::fs::canonicalize(dir.join("initdb")).ok())
        .filter_map(|initdb| initdb.parent().map(Path::to_path_buf))
        .find(|dir| complete(dir));
    if on_path.is_some() {
        return on_path;
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| complete(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir)
}

/// The uid and gid of the user `nobody`.
fn nobody() -> Option<(u32, u32)> {
    let name = c"nobody";
    // getpwnam's record is static; it is read at once, before any other call could reuse it.
    let entry = unsafe { libc::getpwnam(name.as_ptr()) };
    if entry.is_null() {
        return None;
    }
    let (uid, gid) = unsafe { ((*entry).pw_uid, (*entry).pw_gid) };
    Some((uid, gid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_starts_restarts_and_gives_each_database_its_url() {
        let Some(mut server) = TempPostgres::start() else {
            return;
        };
        assert!(server.url().starts_with("postgres://newslens@127.0.0.1:"));
        let second = server.create_database("second");
        assert!(second.ends_with("/second"), "{second}");
        let port = server.port();
        server.restart();
        assert_eq!(server.port(), port);
        // The database made before the restart is still there: creating it again fails.
        let again = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            server.create_database("second")
        }));
        assert!(again.is_err());
        server.stop();
        server.stop();
    }
}
