//! Storing: chunks analysed on the analysis threads, written by one writer thread, then stories.
//!
//! What is stored already is skipped before analysis (same text or same URL), so running an
//! interrupted or repeated ingest again costs reading the inputs, not analysing them again. Each
//! chunk is one transaction, written up to two chunks behind the analysis, so the cores analyse
//! the next chunks while the store writes this one, and killing the process loses at most the
//! chunks in flight. This module prints nothing: callers hear of warnings, failed inputs and
//! progress through [`Event`]s.

use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use newslens_read::ReadError;
use newslens_store::{
    update_stories, AddOutcome, AlreadyStored, ArticleRecord, CorpusCounts, Store, StoryConfig,
};

use crate::batch::{Done, Input, Pipeline, Prepared};
use crate::clock::thread_cpu_time;
use crate::PipelineError;

/// Chunks the writer may lag behind the analysis.
const WRITER_QUEUE: usize = 2;

/// What an ingest tells its caller as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// A reader's warning about one input, one line naming it.
    Warning(&'a str),
    /// An input that could not be read or analysed; the rest goes on.
    Failed(&'a ReadError),
    /// A chunk has been handed to the writer; `n_read` inputs have been read so far.
    Chunk {
        /// Inputs read (analysed, or found stored) so far.
        n_read: usize,
    },
    /// Every chunk is stored; the story update starts.
    UpdatingStories,
}

/// What storing a stream of chunks did.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    /// Inputs read: analysed and stored, or found stored already.
    pub n_read: usize,
    /// What the store did with them; inputs skipped before analysis count as the store would.
    pub outcome: AddOutcome,
    /// Inputs that failed.
    pub n_failed: usize,
    /// CPU time of the thread that wrote to the store (storing only, not analysis).
    pub writer_cpu: Duration,
}

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    /// Storing.
    pub stored: Stored,
    /// The corpus after the story update.
    pub counts: CorpusCounts,
    /// Reading, analysing and storing.
    pub store_time: Duration,
    /// Updating stories.
    pub story_time: Duration,
}

/// Analyses and stores `chunks`, then updates the stories.
pub fn ingest<S: Store + Send>(
    pipeline: &Pipeline,
    store: &mut S,
    chunks: impl Iterator<Item = Vec<Input>>,
    on_event: &mut dyn FnMut(Event<'_>),
) -> crate::Result<IngestReport> {
    let started = Instant::now();
    let stored = store_chunks(pipeline, store, chunks, on_event)?;
    let store_time = started.elapsed();
    on_event(Event::UpdatingStories);
    let stories_started = Instant::now();
    let counts = update_stories(store, &StoryConfig::default())?;
    Ok(IngestReport {
        stored,
        counts,
        store_time,
        story_time: stories_started.elapsed(),
    })
}

/// Analyses and stores `chunks` without updating stories: each new article is a story of one
/// until the next story update.
pub fn store_chunks<S: Store + Send>(
    pipeline: &Pipeline,
    store: &mut S,
    chunks: impl Iterator<Item = Vec<Input>>,
    on_event: &mut dyn FnMut(Event<'_>),
) -> crate::Result<Stored> {
    let stored_keys = store.stored_keys()?;
    store.begin_bulk_writes()?;
    let mut report = Stored::default();
    let mut skipped = AddOutcome::default();
    let (written, writer_cpu) = std::thread::scope(|scope| {
        let (batches, receiver) = sync_channel::<Vec<ArticleRecord>>(WRITER_QUEUE);
        let writer_store = &mut *store;
        let writer = scope.spawn(move || -> crate::Result<(AddOutcome, Duration)> {
            let mut total = AddOutcome::default();
            for batch in receiver {
                add_outcome(&mut total, &writer_store.add_articles(&batch)?);
            }
            Ok((total, thread_cpu_time()))
        });
        for chunk in chunks {
            let mut batch = Vec::with_capacity(chunk.len());
            for result in pipeline.prepare_chunk(chunk, &stored_keys) {
                match result {
                    Ok(Done { value, warnings }) => {
                        for warning in &warnings {
                            on_event(Event::Warning(warning));
                        }
                        report.n_read += 1;
                        match value {
                            Prepared::Record(record) => batch.push(*record),
                            Prepared::Stored(AlreadyStored::SameText) => skipped.same_text += 1,
                            Prepared::Stored(AlreadyStored::SameUrl) => skipped.same_url += 1,
                        }
                    }
                    Err(error) => {
                        report.n_failed += 1;
                        on_event(Event::Failed(&error));
                    }
                }
            }
            if batches.send(batch).is_err() {
                // The writer stopped on an error; joining it below reports that error.
                break;
            }
            on_event(Event::Chunk {
                n_read: report.n_read,
            });
        }
        drop(batches);
        writer.join().map_err(|_| PipelineError::Writer)?
    })?;
    store.end_bulk_writes()?;
    report.outcome = written;
    add_outcome(&mut report.outcome, &skipped);
    report.writer_cpu = writer_cpu;
    Ok(report)
}

fn add_outcome(total: &mut AddOutcome, more: &AddOutcome) {
    total.added += more.added;
    total.same_text += more.same_text;
    total.same_url += more.same_url;
}
