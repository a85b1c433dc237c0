//! A chunk of records analysed in parallel, results in input order, a panic costing only its input.
//!
//! [`Pipeline`] owns the analysis threads and the reading settings; [`Pipeline::analyze_chunk`]
//! turns records into articles and [`Pipeline::prepare_chunk`] into store rows, skipping what is
//! stored before any analysis. It does not split inputs into chunks ([`crate::Chunks`] does) or
//! write to a store ([`crate::ingest`] does).

use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use newslens_contract::Article;
use newslens_core::loaded::{shipped_model, Tagging, TokenProbabilities};
use newslens_core::{analyze_within_tagging, warm_up, Deadline};
use newslens_read::{read_record, ErrorKind, ReadError, ReadOptions, Reading, Record};
use newslens_store::{prepare, AlreadyStored, ArticleRecord, StoredKeys};

/// One input: a record to read, or the error met while splitting inputs into records.
pub type Input = Result<Record, ReadError>;

/// An input's result: its value and the reader's warnings, or the one error that stopped it.
pub type Analysed<T> = Result<Done<T>, ReadError>;

/// What an input gave: the value and the warnings met on the way.
#[derive(Debug)]
pub struct Done<T> {
    /// The article, store row or whatever the step makes.
    pub value: T,
    /// Warnings for the user (a missing closing quote mark, a guessed encoding…), one line each.
    pub warnings: Vec<String>,
}

/// Metadata for inputs that do not give their own (`--outlet`, `--url`, `?outlet=`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Defaults {
    /// The outlet name.
    pub outlet: Option<String>,
    /// The URL.
    pub url: Option<String>,
}

impl Defaults {
    /// Fills what the record did not give; what it gave wins.
    pub fn apply(&self, mut record: Record) -> Record {
        if record.given.outlet.is_none() {
            record.given.outlet = self.outlet.clone();
        }
        if record.given.url.is_none() {
            record.given.url = self.url.clone();
        }
        record
    }
}

/// The time budget of one document by default: far above any ordinary article (a few
/// milliseconds) and a 10 MB text (a few seconds), so only a document whose analysis went
/// superlinear meets it.
pub const DEFAULT_TIME_BUDGET: Duration = Duration::from_secs(30);

/// How a pipeline runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Analysis threads; `None` for one per core.
    pub jobs: Option<usize>,
    /// Reading settings (the largest input read).
    pub read: ReadOptions,
    /// Metadata for inputs that do not give their own.
    pub defaults: Defaults,
    /// How long one document may take, reading and analysis, before it fails with
    /// [`ErrorKind::OverBudget`] and the batch goes on; `None` for no limit.
    pub time_budget: Option<Duration>,
    /// Which tagger reads loaded language.
    pub loaded: LoadedTagger,
}

/// Which tagger reads the loaded language of every article a pipeline analyses.
#[derive(Debug, Clone, Default)]
pub enum LoadedTagger {
    /// The shipped feature tagger (`models/loaded.bin`): fast, the default.
    #[default]
    Features,
    /// A whole-text tagger (the encoder mode, `newslens-encoder`): slower, more accurate.
    Encoder {
        /// The tagger, shared by the analysis threads.
        tagger: Arc<dyn TokenProbabilities>,
        /// Its operating point on P(not none).
        threshold: f32,
    },
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            jobs: None,
            read: ReadOptions::default(),
            defaults: Defaults::default(),
            time_budget: Some(DEFAULT_TIME_BUDGET),
            loaded: LoadedTagger::Features,
        }
    }
}

/// An input read, and either analysed or found stored before analysis.
#[derive(Debug)]
pub enum Prepared {
    /// The article's store row, prepared on the analysis thread.
    Record(Box<ArticleRecord>),
    /// The document's text or URL is stored already; it was not analysed.
    Stored(AlreadyStored),
}

/// The analysis threads and the settings every input is read with.
pub struct Pipeline {
    pool: rayon::ThreadPool,
    settings: Settings,
}

impl Pipeline {
    /// Starts the analysis threads.
    pub fn new(settings: Settings) -> crate::Result<Pipeline> {
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(jobs) = settings.jobs {
            builder = builder.num_threads(jobs.max(1));
        }
        Ok(Pipeline {
            pool: builder.build()?,
            settings,
        })
    }

    /// Loads the models and word lists now (about 0.1 s and 45 MB, once per process), so that
    /// the first document's time budget is not spent loading them. For callers about to analyse
    /// (the CLI's commands); a server that may never be posted an article does without.
    pub fn warm_up(&self) {
        warm_up();
    }

    /// The settings it runs with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How many analysis threads it has.
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs `work` on the analysis threads (for callers with parallel work of their own).
    pub fn install<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        self.pool.install(work)
    }

    /// Reads and analyses a chunk in parallel; results in input order.
    pub fn analyze_chunk(&self, chunk: Vec<Input>) -> Vec<Analysed<Article>> {
        self.run_chunk(chunk, &|_| None, &|article| article)
    }

    /// Reads a chunk in parallel, skips each document whose text or URL is in `stored`, and
    /// analyses and prepares the rest for storing; results in input order.
    pub fn prepare_chunk(&self, chunk: Vec<Input>, stored: &StoredKeys) -> Vec<Analysed<Prepared>> {
        self.run_chunk(
            chunk,
            &|document| {
                stored
                    .find(&document.text, document.source.url.as_deref())
                    .map(Prepared::Stored)
            },
            &|article| Prepared::Record(Box::new(prepare(article))),
        )
    }

    /// Reads and analyses one record on the calling thread, with the same defaults and panic
    /// isolation as a chunk (for one article at a time: `POST /v1/analyze`).
    pub fn analyze_one(&self, record: Record) -> Result<Done<Article>, ReadError> {
        self.read_and_analyze(record, &|_| None, &|article| article)
    }

    /// Reads and analyses a chunk in parallel, then runs `then` on each article on the same
    /// thread. A document for which `instead` answers is not analysed: its answer is the result.
    fn run_chunk<T: Send>(
        &self,
        chunk: Vec<Input>,
        instead: &(dyn Fn(&newslens_contract::Document) -> Option<T> + Sync),
        then: &(dyn Fn(Article) -> T + Sync),
    ) -> Vec<Analysed<T>> {
        self.pool.install(|| {
            chunk
                .into_par_iter()
                .map(|input| self.read_and_analyze(input?, instead, then))
                .collect()
        })
    }

    fn read_and_analyze<T>(
        &self,
        record: Record,
        instead: &(dyn Fn(&newslens_contract::Document) -> Option<T> + Sync),
        then: &(dyn Fn(Article) -> T + Sync),
    ) -> Analysed<T> {
        let record = self.settings.defaults.apply(record);
        let origin = record.origin.clone();
        // The budget counts from here, reading included: the check comes at the analysis'
        // first layer boundary, and a slow read (a page near the HTML parser's shape limits)
        // is part of what the budget guards.
        let deadline = Deadline::after(self.settings.time_budget);
        // Readers and the core are tested never to panic; a third-party parser might. A panic
        // costs that one input, never the batch.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let Reading { document, warnings } = read_record(record, &self.settings.read)?;
            if let Some(value) = instead(&document) {
                return Ok(Done { value, warnings });
            }
            let tagging = match &self.settings.loaded {
                LoadedTagger::Features => Tagging::Features(shipped_model()),
                LoadedTagger::Encoder { tagger, threshold } => Tagging::Encoder {
                    tagger: tagger.as_ref(),
                    threshold: *threshold,
                },
            };
            let article = analyze_within_tagging(&document, deadline, tagging).map_err(|over| {
                ReadError::new(origin.clone(), ErrorKind::OverBudget(over.budget))
            })?;
            Ok(Done {
                value: then(article),
                warnings,
            })
        }))
        .unwrap_or_else(|panic| {
            Err(ReadError::new(
                origin,
                ErrorKind::Internal(panic_message(&panic)),
            ))
        })
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|message| message.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}
