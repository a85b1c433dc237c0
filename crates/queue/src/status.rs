//! `queue status`: what is pending, in flight and dead-lettered, read from JetStream's own
//! counts (the workers' consumer and the two streams) and the newest dead letters.
//!
//! It only reads; it never acknowledges or moves a record.

use std::time::Duration;

use crate::message::{origin_of, DEAD_REASON_HEADER, DELIVERIES_HEADER};
use crate::{jetstream_error, Queue, QueueSettings};

/// The queue's counts.
#[derive(Debug, Clone, Default)]
pub struct QueueStatus {
    /// Records the stream holds (pending and in flight; an acknowledged record leaves it).
    pub in_stream: u64,
    /// Records no worker has been given yet.
    pub pending: u64,
    /// Records given to a worker and not yet acknowledged (including failed ones waiting for
    /// their next delivery).
    pub in_flight: usize,
    /// Deliveries that were redeliveries, as JetStream counts them now.
    pub redelivered: usize,
    /// Records dead-lettered, ever (the dead-letter stream keeps them).
    pub dead: u64,
    /// Workers waiting for records right now (open pull requests).
    pub waiting_pulls: usize,
    /// The consumer's ack wait.
    pub ack_wait: Duration,
    /// The newest dead letters, newest first.
    pub recent_dead: Vec<DeadLetter>,
}

/// One dead-lettered record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    /// Its sequence number in the dead-letter stream.
    pub sequence: u64,
    /// The record's origin, as submitted.
    pub origin: String,
    /// Why it was dead-lettered.
    pub reason: String,
    /// How many times it was delivered.
    pub deliveries: i64,
}

/// Counts the queue at `settings.url`, with up to `n_recent` of the newest dead letters.
pub async fn status(settings: &QueueSettings, n_recent: usize) -> crate::Result<QueueStatus> {
    let mut queue = Queue::open(settings, Duration::from_secs(10)).await?;
    let consumer = queue
        .consumer
        .info()
        .await
        .map_err(|error| jetstream_error("cannot read the workers' consumer")(&error))?
        .clone();
    let in_stream = queue
        .records
        .info()
        .await
        .map_err(|error| jetstream_error("cannot read the records stream")(&error))?
        .state
        .messages;
    let dead_state = queue
        .dead
        .info()
        .await
        .map_err(|error| jetstream_error("cannot read the dead-letter stream")(&error))?
        .state
        .clone();
    let mut recent_dead = Vec::new();
    let mut sequence = dead_state.last_sequence;
    while recent_dead.len() < n_recent && sequence >= dead_state.first_sequence && sequence > 0 {
        // A deleted message is a gap, not an error worth stopping for.
        if let Ok(message) = queue.dead.get_raw_message(sequence).await {
            let headers = Some(&message.headers);
            recent_dead.push(DeadLetter {
                sequence,
                origin: origin_of(headers).unwrap_or_else(|| "?".to_string()),
                reason: message
                    .headers
                    .get(DEAD_REASON_HEADER)
                    .map(|value| value.to_string())
                    .unwrap_or_default(),
                deliveries: message
                    .headers
                    .get(DELIVERIES_HEADER)
                    .and_then(|value| value.as_str().parse().ok())
                    .unwrap_or(0),
            });
        }
        sequence -= 1;
    }
    Ok(QueueStatus {
        in_stream,
        pending: consumer.num_pending,
        in_flight: consumer.num_ack_pending,
        redelivered: consumer.num_redelivered,
        dead: dead_state.messages,
        waiting_pulls: consumer.num_waiting,
        ack_wait: consumer.config.ack_wait,
        recent_dead,
    })
}
