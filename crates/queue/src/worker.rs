//! The worker loop: pull a batch, analyse it through the pipeline, store it in one transaction,
//! update the stories, acknowledge.
//!
//! The order is what makes the effect exactly once: a message is acknowledged only after the
//! transaction holding its article has committed and the stories are updated, so a worker killed
//! at any point leaves its messages unacknowledged and JetStream redelivers them after the ack
//! wait; the redelivered records are then found stored (same text or URL, before analysis or by
//! `Store::add_articles`), and the stories are updated again for them. While a batch is analysed
//! or the store is retried, the worker sends progress acknowledgements every third of the ack
//! wait, so a slow batch or a store that is down is not mistaken for a dead worker.
//!
//! Failures are per record and counted by delivery (see the crate doc): a failed record is
//! given back with a delay (`Nak`) until its Nth delivery, then dead-lettered with its reason.
//! It does not parse arguments or print: callers hear of everything through [`WorkerEvent`]s.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{AckKind, Message};
use futures_util::StreamExt;

use newslens_pipeline::{Input, Pipeline, Prepared};
use newslens_store::{
    update_stories, AddOutcome, ArticleRecord, Store, StoreError, StoredKeys, StoryConfig,
};

use crate::message::{from_message, now_micros, one_line, origin_of, submitted_micros};
use crate::message::{DEAD_REASON_HEADER, DELIVERIES_HEADER};
use crate::{jetstream_error, Queue, QueueError, QueueSettings, DEAD_SUBJECT};

/// Opens the corpus a worker writes to, from `--db`: the one place a worker opens its store.
/// A `postgres://` URL is a PostgreSQL corpus (when the store crate is built with `postgres`, as
/// the binary is), anything else a SQLite file — several worker processes may share one (WAL, a
/// busy timeout, writes in IMMEDIATE transactions).
pub fn open_corpus(db: &str) -> newslens_store::Result<Box<dyn Store + Send>> {
    newslens_store::open(db)
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The queue, and how many deliveries a record may fail.
    pub queue: QueueSettings,
    /// Records pulled and stored together, at most (one transaction, one story update).
    pub batch: usize,
    /// Stop once nothing is pending or in flight, instead of waiting for more.
    pub until_empty: bool,
    /// How long a failed record waits before it is delivered again.
    pub retry_delay: Duration,
}

impl WorkerSettings {
    /// The defaults: batches of up to 256 records (the pipeline's chunk), failed records retried
    /// after 10 s.
    pub fn new(queue: QueueSettings) -> WorkerSettings {
        WorkerSettings {
            queue,
            batch: 256,
            until_empty: false,
            retry_delay: Duration::from_secs(10),
        }
    }
}

/// What a worker tells its caller as it goes.
#[derive(Debug)]
pub enum WorkerEvent<'a> {
    /// Connected; the consumer's ack wait is this.
    Ready {
        /// The consumer's ack wait (it may differ from the settings if it existed before).
        ack_wait: Duration,
    },
    /// A batch is done and acknowledged.
    Batch {
        /// Records in the batch.
        n_records: usize,
        /// Articles stored.
        n_added: usize,
        /// Records found stored already.
        n_stored_before: usize,
    },
    /// A reader's warning about one record.
    Warning(&'a str),
    /// A record failed on this delivery; `dead` when it went to the dead letters.
    Failed {
        /// The record's origin and the reason, one line.
        reason: &'a str,
        /// Which delivery this was.
        delivery: i64,
        /// Whether it was dead-lettered (else it will be delivered again).
        dead: bool,
    },
    /// The store or the server did not answer; the worker waits and tries again.
    Waiting(&'a str),
}

/// What a worker did.
#[derive(Debug, Clone, Default)]
pub struct WorkerReport {
    /// Records acknowledged as stored (added now or found stored).
    pub n_done: usize,
    /// Articles this worker stored.
    pub n_added: usize,
    /// Records found stored already (a redelivery, or the same text or URL submitted twice).
    pub n_stored_before: usize,
    /// Failed deliveries given back for another try.
    pub n_retried: usize,
    /// Records dead-lettered.
    pub n_dead: usize,
    /// Batches stored.
    pub n_batches: usize,
    /// For each record acknowledged as stored: its submit stamp and the microseconds from it to
    /// the acknowledgement (stored, in its story, searchable).
    pub latencies_micros: Vec<(u64, u64)>,
}

/// Opens the corpus again, after a store error (a PostgreSQL connection does not survive a
/// server restart).
pub type Reopen = Arc<dyn Fn() -> newslens_store::Result<Box<dyn Store + Send>> + Send + Sync>;

/// Runs a worker: pulls from the queue until `stop` is set (finishing the batch in hand) or,
/// with `until_empty`, until nothing is left; stores into `store`, and when the store fails,
/// waits and tries again with a store from `reopen` when given.
pub async fn run_worker(
    settings: &WorkerSettings,
    pipeline: Arc<Pipeline>,
    store: Box<dyn Store + Send>,
    reopen: Option<Reopen>,
    stop: Arc<AtomicBool>,
    on_event: &mut (dyn FnMut(WorkerEvent<'_>) + Send),
) -> crate::Result<WorkerReport> {
    let queue = Queue::open(&settings.queue, Duration::from_secs(60)).await?;
    let ack_wait = queue.consumer.cached_info().config.ack_wait;
    on_event(WorkerEvent::Ready { ack_wait });
    let keys = tokio::task::spawn_blocking({
        move || {
            let keys = store.stored_keys();
            (store, keys)
        }
    })
    .await
    .map_err(|error| QueueError::JetStream {
        what: "the corpus reader stopped",
        message: error.to_string(),
    })?;
    let (store, keys) = keys;
    let mut worker = Worker {
        queue,
        settings: settings.clone(),
        pipeline,
        store: std::sync::Mutex::new(Some(store)),
        reopen,
        settled: Default::default(),
        keys: Some(keys?),
        progress_every: (ack_wait / 3).max(Duration::from_millis(100)),
        report: WorkerReport::default(),
    };
    let mut n_failed_pulls = 0;
    while !stop.load(Ordering::Relaxed) {
        let messages = match worker.pull().await {
            Ok(messages) => messages,
            Err(error) => {
                n_failed_pulls += 1;
                on_event(WorkerEvent::Waiting(&format!(
                    "the queue: {error}; trying again"
                )));
                tokio::time::sleep(Duration::from_secs(1)).await;
                if n_failed_pulls >= 2 {
                    // After a server restart the client reconnects, but its pulls can go
                    // unanswered for good (seen with nats-server 2.9 about one restart in
                    // five): a new connection pulls again.
                    match Queue::open(&settings.queue, Duration::from_secs(10)).await {
                        Ok(queue) => {
                            worker.queue = queue;
                            n_failed_pulls = 0;
                        }
                        Err(error) => on_event(WorkerEvent::Waiting(&error.to_string())),
                    }
                }
                continue;
            }
        };
        n_failed_pulls = 0;
        if messages.is_empty() {
            if settings.until_empty && worker.queue_is_empty().await {
                break;
            }
            continue;
        }
        worker.process(messages, on_event).await?;
    }
    Ok(worker.report)
}

struct Worker {
    queue: Queue,
    settings: WorkerSettings,
    pipeline: Arc<Pipeline>,
    // Taken out while a blocking thread uses them, put back after. (In a mutex only so that
    // `&Worker` may cross an await on a multi-threaded runtime; one task uses it.)
    store: std::sync::Mutex<Option<Box<dyn Store + Send>>>,
    reopen: Option<Reopen>,
    // Stream sequences of this batch's records already given back or dead-lettered: no
    // progress report for them (it would push a given-back record's retry past its delay).
    settled: std::sync::Mutex<std::collections::HashSet<u64>>,
    keys: Option<StoredKeys>,
    progress_every: Duration,
    report: WorkerReport,
}

impl Worker {
    /// What is there now, up to a batch; if nothing, waits up to a second for the first record
    /// and takes what came with it. (One pull that waits for a whole batch would hold a lone
    /// record back until the pull expires.)
    async fn pull(&self) -> Result<Vec<Message>, String> {
        let mut messages = self.pull_now(self.settings.batch).await?;
        if messages.is_empty() {
            messages = self.pull_waiting().await?;
            if !messages.is_empty() && self.settings.batch > 1 {
                let more = self.pull_now(self.settings.batch - 1).await;
                messages.extend(more.unwrap_or_default());
            }
        }
        Ok(messages)
    }

    /// Up to `n` records available now.
    async fn pull_now(&self, n: usize) -> Result<Vec<Message>, String> {
        within_pull_limit(async {
            let batch = self
                .queue
                .consumer
                .fetch()
                .max_messages(n)
                .messages()
                .await
                .map_err(|error| error.to_string())?;
            collect(batch).await
        })
        .await
    }

    /// The next record, waiting up to a second for it.
    async fn pull_waiting(&self) -> Result<Vec<Message>, String> {
        within_pull_limit(async {
            let batch = self
                .queue
                .consumer
                .batch()
                .max_messages(1)
                .expires(Duration::from_secs(1))
                .messages()
                .await
                .map_err(|error| error.to_string())?;
            collect(batch).await
        })
        .await
    }

    /// Whether no record is pending or in flight (a record given back with a delay is in flight).
    async fn queue_is_empty(&mut self) -> bool {
        match self.queue.consumer.info().await {
            Ok(info) => info.num_pending == 0 && info.num_ack_pending == 0,
            Err(_) => false,
        }
    }

    async fn process(
        &mut self,
        messages: Vec<Message>,
        on_event: &mut (dyn FnMut(WorkerEvent<'_>) + Send),
    ) -> crate::Result<()> {
        if let Ok(mut settled) = self.settled.lock() {
            settled.clear();
        }
        let max_deliveries = i64::from(self.settings.queue.max_deliveries.max(1));
        let deliveries: Vec<i64> = messages
            .iter()
            .map(|message| message.info().map_or(1, |info| info.delivered))
            .collect();
        // Records to analyse, and the message each came in.
        let mut inputs: Vec<Input> = Vec::new();
        let mut owners: Vec<usize> = Vec::new();
        for (message_idx, message) in messages.iter().enumerate() {
            let delivery = deliveries[message_idx];
            if delivery > max_deliveries {
                let reason = format!(
                    "{}: delivered {} times with no answer (a worker died on it or took longer than the ack wait)",
                    origin_of(message.headers.as_ref()).unwrap_or_else(|| "a record".into()),
                    delivery - 1
                );
                self.fail(message, &reason, delivery, true, on_event).await;
                continue;
            }
            match from_message(message.headers.as_ref(), &message.payload) {
                Ok(record) => {
                    inputs.push(Ok(record));
                    owners.push(message_idx);
                }
                Err(error) => {
                    let dead = delivery >= max_deliveries;
                    self.fail(message, &error.to_string(), delivery, dead, on_event)
                        .await;
                }
            }
        }

        let results = {
            let pipeline = Arc::clone(&self.pipeline);
            let keys = self.keys.take().unwrap_or_default();
            let (keys, results) = self
                .keep_alive(&messages, async move {
                    tokio::task::spawn_blocking(move || {
                        let results = pipeline.prepare_chunk(inputs, &keys);
                        (keys, results)
                    })
                    .await
                })
                .await
                .map_err(|error| QueueError::JetStream {
                    what: "the analysis stopped",
                    message: error.to_string(),
                })?;
            self.keys = Some(keys);
            results
        };

        let mut batch: Vec<ArticleRecord> = Vec::new();
        let mut stored: Vec<usize> = Vec::new();
        let mut n_stored_before = 0;
        let mut redelivered_stored = false;
        for (result, message_idx) in results.into_iter().zip(owners) {
            let delivery = deliveries[message_idx];
            match result {
                Ok(done) => {
                    for warning in &done.warnings {
                        on_event(WorkerEvent::Warning(warning));
                    }
                    match done.value {
                        Prepared::Record(record) => batch.push(*record),
                        Prepared::Stored(_) => {
                            n_stored_before += 1;
                            redelivered_stored |= delivery > 1;
                        }
                    }
                    stored.push(message_idx);
                }
                Err(error) => {
                    let dead = delivery >= max_deliveries;
                    let message = &messages[message_idx];
                    self.fail(message, &error.to_string(), delivery, dead, on_event)
                        .await;
                }
            }
        }

        let mut outcome = AddOutcome::default();
        if !batch.is_empty() {
            let batch = Arc::new(batch);
            outcome = self
                .with_store(&messages, "storing", on_event, {
                    let batch = Arc::clone(&batch);
                    move |store| store.add_articles(&batch)
                })
                .await?;
            if let Some(keys) = self.keys.as_mut() {
                for record in batch.iter() {
                    keys.insert(&record.article.id, record.article.source.url.as_deref());
                }
            }
        }
        // A redelivered record found stored may be one whose worker died between storing and
        // the story update: update for it too.
        if outcome.added > 0 || redelivered_stored {
            self.with_store(&messages, "updating stories", on_event, |store| {
                update_stories(store, &StoryConfig::default())
            })
            .await?;
        }

        let now = now_micros();
        for &message_idx in &stored {
            let message = &messages[message_idx];
            if let Err(error) = message.ack().await {
                // Not fatal: the record comes back after the ack wait and is found stored.
                on_event(WorkerEvent::Waiting(&format!(
                    "the queue: acknowledgement not sent: {error}"
                )));
                continue;
            }
            if let Some(submitted) = submitted_micros(message.headers.as_ref()) {
                self.report
                    .latencies_micros
                    .push((submitted, now.saturating_sub(submitted)));
            }
        }
        let n_stored_before = n_stored_before + outcome.same_text + outcome.same_url;
        self.report.n_done += stored.len();
        self.report.n_added += outcome.added;
        self.report.n_stored_before += n_stored_before;
        self.report.n_batches += 1;
        on_event(WorkerEvent::Batch {
            n_records: messages.len(),
            n_added: outcome.added,
            n_stored_before,
        });
        Ok(())
    }

    /// Runs `work` on the store on a blocking thread, again and again until it succeeds, while
    /// telling JetStream the batch is in progress.
    async fn with_store<T: Send + 'static>(
        &mut self,
        messages: &[Message],
        what: &str,
        on_event: &mut (dyn FnMut(WorkerEvent<'_>) + Send),
        work: impl Fn(&mut dyn Store) -> Result<T, StoreError> + Send + Sync + 'static,
    ) -> crate::Result<T> {
        let work = Arc::new(work);
        let mut delay = Duration::from_millis(500);
        loop {
            let taken = self.take_store();
            let Some(mut store) = taken else {
                return Err(QueueError::JetStream {
                    what: "the corpus",
                    message: "lost after an earlier failure".into(),
                });
            };
            let work = Arc::clone(&work);
            let (store, result) = self
                .keep_alive(messages, async move {
                    tokio::task::spawn_blocking(move || {
                        let result = work(&mut *store);
                        (store, result)
                    })
                    .await
                })
                .await
                .map_err(|error| QueueError::JetStream {
                    what: "the corpus writer stopped",
                    message: error.to_string(),
                })?;
            self.put_store(store);
            match result {
                Ok(value) => return Ok(value),
                Err(error) => {
                    on_event(WorkerEvent::Waiting(&format!(
                        "{what}: {error}; trying again in {:.1} s",
                        delay.as_secs_f64()
                    )));
                    self.keep_alive(messages, tokio::time::sleep(delay)).await;
                    delay = (delay * 2).min(Duration::from_secs(15));
                    if let Some(reopen) = self.reopen.clone() {
                        let reopened = self
                            .keep_alive(messages, tokio::task::spawn_blocking(move || reopen()))
                            .await;
                        match reopened {
                            Ok(Ok(store)) => self.put_store(store),
                            Ok(Err(error)) => on_event(WorkerEvent::Waiting(&format!(
                                "reopening the corpus: {error}"
                            ))),
                            Err(_) => {}
                        }
                    }
                }
            }
        }
    }

    fn take_store(&self) -> Option<Box<dyn Store + Send>> {
        self.store.lock().ok().and_then(|mut slot| slot.take())
    }

    fn put_store(&self, store: Box<dyn Store + Send>) {
        if let Ok(mut slot) = self.store.lock() {
            *slot = Some(store);
        }
    }

    /// Awaits `work`, sending a progress acknowledgement for every message of the batch every
    /// third of the ack wait.
    async fn keep_alive<F: std::future::Future>(&self, messages: &[Message], work: F) -> F::Output {
        let mut work = std::pin::pin!(work);
        let every = self.progress_every;
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tokio::select! {
                output = &mut work => return output,
                _ = ticker.tick() => {
                    let settled = self.settled.lock().map(|settled| settled.clone()).unwrap_or_default();
                    for message in messages {
                        let sequence = message.info().map_or(0, |info| info.stream_sequence);
                        if settled.contains(&sequence) {
                            continue;
                        }
                        // A lost progress report costs at worst a redelivery, which is safe.
                        let _ = message.ack_with(AckKind::Progress).await;
                    }
                }
            }
        }
    }

    /// A record failed on this delivery: dead-letter it (then acknowledge it) or give it back.
    async fn fail(
        &mut self,
        message: &Message,
        reason: &str,
        delivery: i64,
        dead: bool,
        on_event: &mut (dyn FnMut(WorkerEvent<'_>) + Send),
    ) {
        let reason = one_line(reason);
        if let (Ok(info), Ok(mut settled)) = (message.info(), self.settled.lock()) {
            settled.insert(info.stream_sequence);
        }
        on_event(WorkerEvent::Failed {
            reason: &reason,
            delivery,
            dead,
        });
        if !dead {
            self.report.n_retried += 1;
            let _ = message
                .ack_with(AckKind::Nak(Some(self.settings.retry_delay)))
                .await;
            return;
        }
        match self.dead_letter(message, &reason, delivery).await {
            Ok(()) => {
                self.report.n_dead += 1;
                let _ = message.ack().await;
            }
            // Left unacknowledged: it comes back after the ack wait and is dead-lettered then.
            Err(error) => on_event(WorkerEvent::Waiting(&format!(
                "the dead letters: {error}; the record will come back"
            ))),
        }
    }

    /// Publishes a copy of the message with its reason to the dead letters and waits until the
    /// stream has stored it.
    async fn dead_letter(
        &self,
        message: &Message,
        reason: &str,
        delivery: i64,
    ) -> crate::Result<()> {
        let mut headers = message.headers.clone().unwrap_or_default();
        headers.insert(DEAD_REASON_HEADER, reason);
        headers.insert(DELIVERIES_HEADER, delivery.to_string().as_str());
        let ack = self
            .queue
            .jetstream
            .publish_with_headers(DEAD_SUBJECT, headers, message.payload.clone())
            .await
            .map_err(|error| jetstream_error("cannot publish a dead letter")(&error))?;
        ack.await
            .map_err(|error| jetstream_error("the dead letter was not stored")(&error))?;
        Ok(())
    }
}

/// Runs a pull, giving up after [`PULL_LIMIT`]. A pull whose server died before it answered
/// (a restart) gets no end-of-batch status from the new server, and its stream would wait
/// forever; the next pull goes to the new server.
async fn within_pull_limit(
    pull: impl std::future::Future<Output = Result<Vec<Message>, String>>,
) -> Result<Vec<Message>, String> {
    tokio::time::timeout(PULL_LIMIT, pull)
        .await
        .unwrap_or_else(|_| Err(format!("no answer to a pull in {} s", PULL_LIMIT.as_secs())))
}

/// The longest a pull may take: its own second of waiting and a margin.
const PULL_LIMIT: Duration = Duration::from_secs(6);

/// The messages of one pull; an error after some messages ends the pull with those.
async fn collect<S, E>(mut batch: S) -> Result<Vec<Message>, String>
where
    S: futures_util::Stream<Item = Result<Message, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut messages = Vec::new();
    while let Some(message) = batch.next().await {
        match message {
            Ok(message) => messages.push(message),
            Err(error) if messages.is_empty() => return Err(error.to_string()),
            Err(_) => break,
        }
    }
    Ok(messages)
}
