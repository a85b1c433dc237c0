//! `submit`: records published to the records stream, each one stored by JetStream before it
//! counts as submitted.
//!
//! The records come from the caller (the CLI reads files with `newslens_pipeline::records_of`,
//! exactly as `ingest` does, and fetches URLs with the fetch crate before handing the pages
//! over), so a file's records are the same whichever way it is ingested. A record that could not
//! be read (a missing file) or is larger than the server's message limit is reported and
//! skipped; the rest go on. Publishes are pipelined: up to [`IN_FLIGHT`] await their
//! acknowledgement at once.

use std::collections::VecDeque;
use std::time::Duration;

use async_nats::jetstream::context::PublishAckFuture;
use newslens_pipeline::{Defaults, Input};

use crate::message::{now_micros, to_message};
use crate::{jetstream_error, Queue, QueueSettings, RECORDS_SUBJECT};

/// Publishes awaiting their acknowledgement at once.
const IN_FLIGHT: usize = 256;

/// What a submit tells its caller as it goes.
#[derive(Debug)]
pub enum SubmitEvent<'a> {
    /// An input that could not be read, or could not be published; the rest goes on.
    Failed(&'a str),
}

/// What a submit did.
#[derive(Debug, Clone, Default)]
pub struct SubmitReport {
    /// Records stored in the stream.
    pub n_submitted: usize,
    /// Records JetStream had already (the same record submitted within its duplicate window).
    pub n_duplicates: usize,
    /// Inputs that could not be read or published.
    pub n_failed: usize,
    /// Bytes of the records submitted.
    pub n_bytes: u64,
}

/// Publishes every record of `inputs` (with `defaults` filled in) to the queue at `settings.url`,
/// `rate` records per second at most when given (for the benchmark's latency runs).
pub async fn submit(
    settings: &QueueSettings,
    inputs: impl Iterator<Item = Input>,
    defaults: &Defaults,
    rate: Option<f64>,
    on_event: &mut dyn FnMut(SubmitEvent<'_>),
) -> crate::Result<SubmitReport> {
    let queue = Queue::open(settings, Duration::from_secs(10)).await?;
    let max_payload = queue.client.server_info().max_payload;
    let mut report = SubmitReport::default();
    let mut in_flight: VecDeque<(String, u64, PublishAckFuture)> = VecDeque::new();
    let started = std::time::Instant::now();
    for (record_idx, input) in inputs.enumerate() {
        if let Some(rate) = rate.filter(|rate| *rate > 0.0) {
            let due = started + Duration::from_secs_f64(record_idx as f64 / rate);
            tokio::time::sleep_until(due.into()).await;
        }
        let record = match input {
            Ok(record) => defaults.apply(record),
            Err(error) => {
                report.n_failed += 1;
                on_event(SubmitEvent::Failed(&error.to_string()));
                continue;
            }
        };
        let origin = record.origin.to_string();
        let message = to_message(record, now_micros());
        let n_bytes = message.payload.len() as u64;
        if message.payload.len() > max_payload {
            report.n_failed += 1;
            on_event(SubmitEvent::Failed(&format!(
                "{origin}: record of {n_bytes} bytes is over the queue's message limit of {max_payload} bytes (nats-server's max_payload)"
            )));
            continue;
        }
        let published = queue
            .jetstream
            .publish_with_headers(RECORDS_SUBJECT, message.headers, message.payload)
            .await;
        match published {
            Ok(ack) => in_flight.push_back((origin, n_bytes, ack)),
            Err(error) => {
                report.n_failed += 1;
                on_event(SubmitEvent::Failed(&format!("{origin}: {error}")));
            }
        }
        while in_flight.len() >= IN_FLIGHT {
            settle(in_flight.pop_front(), &mut report, on_event).await;
        }
    }
    while let Some(published) = in_flight.pop_front() {
        settle(Some(published), &mut report, on_event).await;
    }
    queue
        .client
        .flush()
        .await
        .map_err(|error| jetstream_error("cannot flush the connection")(&error))?;
    Ok(report)
}

/// Waits for one publish's acknowledgement and counts it.
async fn settle(
    published: Option<(String, u64, PublishAckFuture)>,
    report: &mut SubmitReport,
    on_event: &mut dyn FnMut(SubmitEvent<'_>),
) {
    let Some((origin, n_bytes, ack)) = published else {
        return;
    };
    match ack.await {
        Ok(ack) if ack.duplicate => report.n_duplicates += 1,
        Ok(_) => {
            report.n_submitted += 1;
            report.n_bytes += n_bytes;
        }
        Err(error) => {
            report.n_failed += 1;
            on_event(SubmitEvent::Failed(&format!(
                "{origin}: not stored by the queue: {error}"
            )));
        }
    }
}
