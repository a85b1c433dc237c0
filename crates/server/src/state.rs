//! What every handler shares: the corpus connections and the server's settings.
//!
//! The corpus is an SQLite file or a PostgreSQL database (`--db postgres://…`), opened through
//! `newslens_store::open`; every connection is a `Box<dyn Store + Send>`, so nothing below knows
//! which. Both let many readers run beside one writer (SQLite in WAL mode; PostgreSQL by its
//! nature), so reads take a connection from a fixed pool and writes (`POST /v1/ingest`) go
//! through the one writer connection behind a lock.
//! Database work is blocking, so handlers run it on tokio's blocking threads through
//! [`AppState::read`] and [`AppState::write`]; the async threads only move bytes.
//!
//! The pool holds at most [`Limits::readers`] connections, opened on demand and kept while in use:
//! one unused for [`Limits::reader_idle`] is closed ([`AppState::close_idle_readers`], every few
//! seconds), since each holds a page cache of up to 32 MB that would otherwise stay after a burst
//! for as long as the server runs; the memory SQLite freed is then handed back to the system
//! (`malloc_trim`, as glibc keeps small freed blocks in its heap). A request
//! waits for a free one without holding a thread, and at most [`Limits::reader_wait`]; then it
//! is answered 503. So the threads and page caches of reads stay bounded, however many requests
//! arrive (a thread and a 32 MB page cache per concurrent request took a server from 20 MB to
//! 8 GB at 2,000 connections; issue 17). A read runs under a [`ReadBudget`] of
//! [`Limits::read_budget`], abandoned when its request is dropped (the client went, or the
//! request timeout struck), so the database stops the statement instead of finishing it for
//! nobody (SQLite through its progress handler, PostgreSQL through `statement_timeout` and a
//! cancel request).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use newslens_pipeline::Pipeline;
use newslens_read::ReadOptions;
use newslens_store::{within_budget, ReadBudget, Store};

use crate::error::{ApiError, ApiResult};
use crate::limits::Limits;

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The corpus: an SQLite file's path or a PostgreSQL URL.
    pub db: String,
    /// The bearer token `POST /v1/ingest` requires, if any.
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_body: usize,
    /// Connections, requests in flight, database reads, timeouts.
    pub limits: Limits,
    /// Which tagger reads loaded language in `POST /v1/analyze` and `/v1/ingest`.
    pub loaded: newslens_pipeline::LoadedTagger,
}

/// Shared state of the handlers (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    settings: Settings,
    /// One permit per read connection the pool may hold.
    reader_permits: Arc<Semaphore>,
    /// Read connections not in use, the most recently used last (taken first, so the others
    /// age and are closed once the load that opened them is over).
    readers: Mutex<Vec<Pooled>>,
    writer: Arc<tokio::sync::Mutex<Box<dyn Store + Send>>>,
    /// The analysis threads `POST /v1/analyze` and `/v1/ingest` share, as the CLI's commands do.
    pipeline: Pipeline,
    /// Which sources are one outlet (built in, plus `serve --outlets FILE`).
    outlet_names: newslens_store::OutletNames,
}

impl AppState {
    /// Opens the corpus (creating an empty one if missing) and checks it can be read; outlets are
    /// named by the built-in list.
    pub fn open(settings: Settings) -> Result<AppState, newslens_pipeline::PipelineError> {
        AppState::open_with_outlets(settings, newslens_store::OutletNames::built_in())
    }

    /// [`AppState::open`] with the outlet names a user's file extended.
    pub fn open_with_outlets(
        settings: Settings,
        outlet_names: newslens_store::OutletNames,
    ) -> Result<AppState, newslens_pipeline::PipelineError> {
        let writer = newslens_store::open(&settings.db)?;
        let pipeline = Pipeline::new(newslens_pipeline::Settings {
            jobs: None,
            read: ReadOptions {
                max_bytes: settings.max_body as u64,
            },
            defaults: newslens_pipeline::Defaults::default(),
            time_budget: Some(settings.limits.analysis_budget),
            loaded: settings.loaded.clone(),
        })?;
        Ok(AppState {
            inner: Arc::new(Inner {
                reader_permits: Arc::new(Semaphore::new(settings.limits.readers.max(1))),
                settings,
                readers: Mutex::new(Vec::new()),
                writer: Arc::new(tokio::sync::Mutex::new(writer)),
                pipeline,
                outlet_names,
            }),
        })
    }

    /// The one read → analyse → store flow, with the server's reading settings.
    pub fn pipeline(&self) -> &Pipeline {
        &self.inner.pipeline
    }

    /// Which sources are one outlet.
    pub fn outlet_names(&self) -> &newslens_store::OutletNames {
        &self.inner.outlet_names
    }

    /// The server's settings.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The corpus: a path or a PostgreSQL URL.
    pub fn db(&self) -> &str {
        &self.inner.settings.db
    }

    /// Runs `work` with a read connection on a blocking thread, under the read budget; answers
    /// 503 when no connection is free within [`Limits::reader_wait`].
    pub async fn read<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> ApiResult<T> + Send + 'static,
    {
        let limits = &self.inner.settings.limits;
        let permits = Arc::clone(&self.inner.reader_permits);
        let permit = match tokio::time::timeout(limits.reader_wait, permits.acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            _ => {
                return Err(ApiError::overloaded(format!(
                    "all {} database connections stayed busy for {} s; try again shortly",
                    limits.readers,
                    limits.reader_wait.as_secs_f64()
                )))
            }
        };
        let budget = ReadBudget::new(limits.read_budget);
        // Dropped with this future: when the client goes or the request times out, the read
        // stops at SQLite's next progress check instead of running on for nobody.
        let _abandon_when_dropped = AbandonOnDrop(budget.clone());
        let state = self.clone();
        blocking(move || {
            let _permit = permit;
            let mut store = state.take_reader()?;
            let outcome = within_budget(&mut store, &budget, work);
            state.give_back(store);
            outcome
        })
        .await
    }

    /// Runs `work` with the writer connection on a blocking thread; writes are serialised, and
    /// a request waiting its turn holds no thread.
    pub async fn write<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Box<dyn Store + Send>) -> ApiResult<T> + Send + 'static,
    {
        let mut writer = Arc::clone(&self.inner.writer).lock_owned().await;
        blocking(move || work(&mut writer)).await
    }

    fn take_reader(&self) -> ApiResult<Box<dyn Store + Send>> {
        let idle = self
            .inner
            .readers
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop());
        match idle {
            Some(pooled) => Ok(pooled.store),
            None => newslens_store::open(self.db()).map_err(ApiError::from),
        }
    }

    /// Keeps the connection for the next read: the permits bound how many exist.
    fn give_back(&self, store: Box<dyn Store + Send>) {
        if let Ok(mut pool) = self.inner.readers.lock() {
            pool.push(Pooled {
                store,
                unused_since: Instant::now(),
            });
        }
    }

    /// How many read connections the pool holds unused.
    pub fn n_idle_readers(&self) -> usize {
        self.inner.readers.lock().map_or(0, |pool| pool.len())
    }

    /// Closes the pooled read connections unused for `idle` or longer and hands the memory
    /// they freed back to the system; returns how many it closed. Blocking (closing a
    /// connection is), but brief.
    pub fn close_idle_readers(&self, idle: Duration) -> usize {
        let closing: Vec<Pooled> = match self.inner.readers.lock() {
            Ok(mut pool) => {
                // Oldest first: the stale ones are a prefix.
                let n_stale = pool.partition_point(|pooled| pooled.unused_since.elapsed() >= idle);
                pool.drain(..n_stale).collect()
            }
            Err(_) => return 0,
        };
        let n_closed = closing.len();
        // Closed outside the lock, so requests never wait on it.
        drop(closing);
        if n_closed > 0 {
            give_freed_memory_back();
        }
        n_closed
    }

    /// Closes idle read connections every `reader_idle / 2` for as long as the runtime runs
    /// (the serving functions start it).
    pub(crate) fn spawn_idle_reader_closing(&self) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        let idle = state.settings().limits.reader_idle;
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval((idle / 2).max(Duration::from_millis(100)));
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let state = state.clone();
                let _ = tokio::task::spawn_blocking(move || state.close_idle_readers(idle)).await;
            }
        })
    }
}

/// A read connection in the pool, and since when it has waited there.
struct Pooled {
    store: Box<dyn Store + Send>,
    unused_since: Instant,
}

/// Hands the heap's free memory back to the system. SQLite allocates with the C library's
/// `malloc`, and glibc keeps freed blocks below its mmap threshold (page-cache pages are) in
/// its heap until asked; without this the closed connections' caches still count as resident.
fn give_freed_memory_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap memory to the system; it takes no pointers and
    // is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Abandons a read budget when dropped.
struct AbandonOnDrop(ReadBudget);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.abandon();
    }
}

/// Runs blocking work (database, analysis) off the async threads.
pub async fn blocking<T, F>(work: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> ApiResult<T> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ApiError::internal(format!("the request's worker failed: {error}")))?
}
