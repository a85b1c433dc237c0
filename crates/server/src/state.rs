//! What every handler shares: the corpus connections and the server's settings.
//!
//! SQLite in WAL mode lets many readers run beside one writer, so reads take a connection from a
//! small pool (opened on demand, returned after use) and writes (`POST /v1/ingest`) go through the
//! one writer connection behind a lock. Database work is blocking, so handlers run it on tokio's
//! blocking threads through [`AppState::read`] and [`AppState::write`]; the async threads only
//! move bytes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use newslens_pipeline::Pipeline;
use newslens_read::ReadOptions;
use newslens_store::SqliteStore;

use crate::error::{ApiError, ApiResult};

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The corpus database.
    pub db: PathBuf,
    /// The bearer token `POST /v1/ingest` requires, if any.
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_body: usize,
}

/// Shared state of the handlers (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    settings: Settings,
    readers: Mutex<Vec<SqliteStore>>,
    writer: Mutex<Option<SqliteStore>>,
    /// The analysis threads `POST /v1/analyze` and `/v1/ingest` share, as the CLI's commands do.
    pipeline: Pipeline,
}

/// Most idle read connections kept; more may be open while a burst lasts.
const MAX_IDLE_READERS: usize = 8;

impl AppState {
    /// Opens the corpus (creating an empty one if missing) and checks it can be read.
    pub fn open(settings: Settings) -> Result<AppState, newslens_pipeline::PipelineError> {
        let writer = SqliteStore::open(&settings.db)?;
        let pipeline = Pipeline::new(newslens_pipeline::Settings {
            jobs: None,
            read: ReadOptions {
                max_bytes: settings.max_body as u64,
            },
            defaults: newslens_pipeline::Defaults::default(),
        })?;
        Ok(AppState {
            inner: Arc::new(Inner {
                settings,
                readers: Mutex::new(Vec::new()),
                writer: Mutex::new(Some(writer)),
                pipeline,
            }),
        })
    }

    /// The one read → analyse → store flow, with the server's reading settings.
    pub fn pipeline(&self) -> &Pipeline {
        &self.inner.pipeline
    }

    /// The server's settings.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The corpus database path.
    pub fn db(&self) -> &Path {
        &self.inner.settings.db
    }

    /// Runs `work` with a read connection on a blocking thread.
    pub async fn read<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&SqliteStore) -> ApiResult<T> + Send + 'static,
    {
        let state = self.clone();
        blocking(move || {
            let store = state.take_reader()?;
            let outcome = work(&store);
            state.give_back(store);
            outcome
        })
        .await
    }

    /// Runs `work` with the writer connection on a blocking thread; writes are serialised.
    pub async fn write<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> ApiResult<T> + Send + 'static,
    {
        let state = self.clone();
        blocking(move || {
            let mut guard = state
                .inner
                .writer
                .lock()
                .map_err(|_| ApiError::internal("the corpus writer failed earlier"))?;
            let store = guard
                .as_mut()
                .ok_or_else(|| ApiError::internal("the corpus writer is closed"))?;
            work(store)
        })
        .await
    }

    fn take_reader(&self) -> ApiResult<SqliteStore> {
        let idle = self
            .inner
            .readers
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop());
        match idle {
            Some(store) => Ok(store),
            None => SqliteStore::open(self.db()).map_err(ApiError::from),
        }
    }

    fn give_back(&self, store: SqliteStore) {
        if let Ok(mut pool) = self.inner.readers.lock() {
            if pool.len() < MAX_IDLE_READERS {
                pool.push(store);
            }
        }
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
