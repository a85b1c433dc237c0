//! Copying the write-ahead log into the database file off the writer's path.
//!
//! SQLite's own auto-checkpoint runs inside the commit that crosses its threshold: the writer
//! waits while the log's pages (tens of MB) are written back and synced, which was a tenth to a
//! fifth of a 100-article ingest's time. Here the writing connection's WAL hook only wakes a
//! thread with its own connection to the same file, which checkpoints PASSIVE (it never blocks the
//! writer or readers). Should that thread fall far behind (the log reaches [`BACKSTOP`] times the
//! threshold), the commit checkpoints itself, as SQLite would.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;

use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, OpenFlags};

/// How many times the threshold the log may reach before a commit checkpoints itself.
const BACKSTOP: u32 = 4;

/// What the store and the hook share about the log.
#[derive(Debug, Default)]
pub(super) struct Log {
    /// The log size, in pages, at which a checkpoint starts (the store sets it).
    pub threshold: AtomicU32,
    /// The log's pages after the last commit (the hook records it).
    pub frames: AtomicU32,
}

impl Log {
    pub fn new(threshold: u32) -> Arc<Log> {
        Arc::new(Log {
            threshold: AtomicU32::new(threshold),
            frames: AtomicU32::new(0),
        })
    }
}

/// Installs the hook on `connection` (the store's own; a database in memory has no log and never
/// calls it). The checkpointing thread starts at the first checkpoint and stops, after finishing
/// the checkpoint in hand, when the connection closes.
pub(super) fn install(
    connection: &mut Connection,
    path: &str,
    log: Arc<Log>,
) -> rusqlite::Result<()> {
    let path = path.to_string();
    let mut worker: Option<Worker> = None;
    connection.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages| {
        let threshold = log.threshold.load(Ordering::Relaxed);
        let pages = u32::try_from(pages).unwrap_or(0);
        log.frames.store(pages, Ordering::Relaxed);
        if pages < threshold {
            return Ok(());
        }
        // As SQLite's own hook, a checkpoint here that cannot be done (the thread holds the
        // checkpoint lock: SQLITE_BUSY) is no error of the commit: the log is copied later.
        let worker = worker.get_or_insert_with(|| Worker::start(path.clone()));
        if pages >= threshold.saturating_mul(BACKSTOP) || !worker.wake() {
            // Far behind, or the thread could not open the file: checkpoint here.
            let _ = wal.checkpoint();
        }
        Ok(())
    }))
}

/// The checkpointing thread and the bell that wakes it.
struct Worker {
    bell: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    fn start(path: String) -> Worker {
        // One pending wake-up is enough: a checkpoint copies everything committed before it.
        let (bell, rings) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("newslens-checkpoint".into())
            .spawn(move || {
                let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let Ok(connection) = Connection::open_with_flags(&path, flags) else {
                    return;
                };
                // A connection opens the file only when first used: until then it does not know
                // the database is in WAL mode, and a checkpoint does nothing.
                if connection
                    .query_row("PRAGMA journal_mode", [], |row| row.get::<_, String>(0))
                    .is_err()
                {
                    return;
                }
                for () in rings {
                    // PASSIVE does what it can without waiting for anyone; whatever it leaves,
                    // the next checkpoint (or the closing connection) copies.
                    let _ = connection.wal_checkpoint_v2(None::<&str>, CheckpointMode::PASSIVE);
                }
            })
            .ok();
        Worker {
            bell: thread.is_some().then_some(bell),
            thread,
        }
    }

    /// Asks for a checkpoint; `false` when the thread is gone.
    fn wake(&self) -> bool {
        match &self.bell {
            Some(bell) => !matches!(bell.try_send(()), Err(TrySendError::Disconnected(()))),
            None => false,
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.bell = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thread_copies_the_log_into_the_file_while_the_writer_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut connection = Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
                 CREATE TABLE t (x BLOB);",
            )
            .unwrap();
        install(&mut connection, path.to_str().unwrap(), Log::new(64)).unwrap();
        // 50 commits of about 3 pages: past the threshold, far from the backstop (256 pages), so
        // only the thread can have copied the rows into the database file.
        for _ in 0..50 {
            connection
                .execute("INSERT INTO t (x) VALUES (zeroblob(8000))", [])
                .unwrap();
        }
        let copied = (0..200).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(50));
            std::fs::metadata(&path).unwrap().len() > 50 * 8000
        });
        assert!(copied, "no checkpoint reached the database file");
        drop(connection);
        let count: i64 = Connection::open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(count, 50);
    }
}
