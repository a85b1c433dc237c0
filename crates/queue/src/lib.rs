//! Scale-out for newslens: input records through a NATS JetStream work queue to worker processes
//! that analyse, store and group them — the same pipeline as `newslens ingest`, spread over
//! processes and machines.
//!
//! - [`submit`] publishes records (files' records as `ingest` reads them, or fetched pages) to a
//!   durable stream, one message per record ([`message`] has the format);
//! - [`run_worker`] pulls batches from one durable consumer shared by every worker, analyses
//!   them through [`newslens_pipeline::Pipeline`], stores them in one transaction, updates the
//!   stories, and only then acknowledges;
//! - [`status`] counts what is pending, in flight and dead-lettered;
//! - [`local_server`] starts a `nats-server -js` on loopback for tests and the benchmark.
//!
//! **Delivery is at least once; the effect is exactly once.** A message is acknowledged after
//! the transaction holding its article commits; a worker killed before that leaves the message
//! unacknowledged, JetStream hands it to another worker after the ack wait, and the store skips
//! an article whose text or URL is stored, so a redelivery stores nothing twice.
//!
//! **A record that fails N times is dead-lettered**: published with its reason to
//! `newslens.dead` (a stream of its own) and then acknowledged. A record the reader refuses
//! fails; a record whose worker died or stalled past the ack wait N times is dead-lettered when
//! it comes back the N+1th time, so a record that kills workers cannot kill them forever. A
//! store that is down is not the record's fault: the worker keeps the batch, tells JetStream it
//! is still working on it, and retries the store until it answers.
//!
//! It does not parse arguments or print (the CLI's `submit`, `worker` and `queue status` do),
//! and knows nothing of HTTP fetching: the CLI hands it records.
#![warn(missing_docs)]

pub mod bench;
pub mod local_server;
pub mod message;

mod status;
mod submit;
mod worker;

use std::time::Duration;

use async_nats::jetstream::{self, consumer, stream};

pub use status::{status, DeadLetter, QueueStatus};
pub use submit::{submit, SubmitEvent, SubmitReport};
pub use worker::{open_corpus, run_worker, Reopen, WorkerEvent, WorkerReport, WorkerSettings};

/// The stream of records waiting for workers.
pub const RECORDS_STREAM: &str = "NEWSLENS_RECORDS";
/// The subject records are published to.
pub const RECORDS_SUBJECT: &str = "newslens.records";
/// The durable consumer every worker pulls from.
pub const WORKERS_CONSUMER: &str = "newslens-workers";
/// The stream of dead letters.
pub const DEAD_STREAM: &str = "NEWSLENS_DEAD";
/// The subject dead letters are published to.
pub const DEAD_SUBJECT: &str = "newslens.dead";

/// How the queue is set up. The consumer's settings take effect when the first `submit` or
/// `worker` creates it; later processes use the consumer as it is (`queue status` shows it).
#[derive(Debug, Clone)]
pub struct QueueSettings {
    /// The server, `nats://HOST:PORT`.
    pub url: String,
    /// Deliveries a record may fail before it is dead-lettered (N).
    pub max_deliveries: u32,
    /// How long a delivered record may go unacknowledged (with no progress report) before
    /// JetStream gives it to another worker.
    pub ack_wait: Duration,
}

impl QueueSettings {
    /// The defaults for a server: 5 deliveries, 60 s ack wait.
    pub fn new(url: impl Into<String>) -> QueueSettings {
        QueueSettings {
            url: url.into(),
            max_deliveries: 5,
            ack_wait: Duration::from_secs(60),
        }
    }
}

/// What can stop a queue command (a failed record never does).
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The server could not be reached.
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// The server's URL.
        url: String,
        /// What the client said.
        message: String,
    },
    /// A JetStream request failed.
    #[error("{what}: {message}")]
    JetStream {
        /// What was being done.
        what: &'static str,
        /// What the client or server said.
        message: String,
    },
    /// The corpus refused a read or a write that cannot be retried.
    #[error(transparent)]
    Store(#[from] newslens_store::StoreError),
    /// The analysis threads could not start.
    #[error(transparent)]
    Pipeline(#[from] newslens_pipeline::PipelineError),
    /// A file or process of the benchmark or the local server.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// The result type of the queue's commands.
pub type Result<T> = std::result::Result<T, QueueError>;

fn jetstream_error(what: &'static str) -> impl FnOnce(&dyn std::fmt::Display) -> QueueError {
    move |error| QueueError::JetStream {
        what,
        message: error.to_string(),
    }
}

/// A connection and the queue's streams and consumer, created if missing.
pub(crate) struct Queue {
    pub(crate) client: async_nats::Client,
    pub(crate) jetstream: jetstream::Context,
    pub(crate) records: stream::Stream,
    pub(crate) dead: stream::Stream,
    pub(crate) consumer: consumer::PullConsumer,
}

impl Queue {
    /// Connects (waiting up to `connect_timeout` for the server) and makes sure the streams and
    /// the workers' consumer exist.
    pub(crate) async fn open(settings: &QueueSettings, connect_timeout: Duration) -> Result<Queue> {
        let connect = async_nats::ConnectOptions::new()
            .connection_timeout(connect_timeout)
            .retry_on_initial_connect()
            .connect(settings.url.as_str());
        let client = match tokio::time::timeout(connect_timeout, connect).await {
            Ok(Ok(client)) => client,
            Ok(Err(error)) => {
                return Err(QueueError::Connect {
                    url: settings.url.clone(),
                    message: error.to_string(),
                })
            }
            Err(_) => {
                return Err(QueueError::Connect {
                    url: settings.url.clone(),
                    message: format!("no answer in {} s", connect_timeout.as_secs()),
                })
            }
        };
        let jetstream = jetstream::new(client.clone());
        let records = jetstream
            .get_or_create_stream(stream::Config {
                name: RECORDS_STREAM.to_string(),
                subjects: vec![RECORDS_SUBJECT.to_string()],
                // A record leaves the stream when a worker acknowledges it.
                retention: stream::RetentionPolicy::WorkQueue,
                storage: stream::StorageType::File,
                duplicate_window: Duration::from_secs(120),
                ..Default::default()
            })
            .await
            .map_err(|error| jetstream_error("cannot open the records stream")(&error))?;
        let dead = jetstream
            .get_or_create_stream(stream::Config {
                name: DEAD_STREAM.to_string(),
                subjects: vec![DEAD_SUBJECT.to_string()],
                retention: stream::RetentionPolicy::Limits,
                storage: stream::StorageType::File,
                ..Default::default()
            })
            .await
            .map_err(|error| jetstream_error("cannot open the dead-letter stream")(&error))?;
        let consumer = records
            .get_or_create_consumer(
                WORKERS_CONSUMER,
                consumer::pull::Config {
                    durable_name: Some(WORKERS_CONSUMER.to_string()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait: settings.ack_wait,
                    // Unlimited: the workers count deliveries themselves (see the crate doc), so
                    // a record that killed its workers N times still reaches the dead letters.
                    max_deliver: -1,
                    ..Default::default()
                },
            )
            .await
            .map_err(|error| jetstream_error("cannot open the workers' consumer")(&error))?;
        Ok(Queue {
            client,
            jetstream,
            records,
            dead,
            consumer,
        })
    }
}
