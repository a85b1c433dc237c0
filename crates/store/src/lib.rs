//! The newslens corpus: analysed articles stored, grouped into stories, and questioned.
//!
//! This crate sits after the analysis in the flow (read → analyse → **store** → views). It owns
//! - the [`Store`] trait, the one interface every storage backend serves; [`SqliteStore`], the
//!   embedded default (one file, WAL mode, batched transactions, versioned migrations); and, with
//!   the `postgres` feature, `PostgresStore` for a corpus shared by many processes and machines.
//!   [`open`] picks the backend from what `--db` names (a `postgres://` URL or a file path);
//! - near-duplicate detection and story clustering ([`stories`]), a pure function of the stored
//!   articles' [`features`];
//! - the views: story summaries, quotes by speaker or subject, entity timelines, full-text search
//!   ([`views`]) and the side-by-side comparison of a story's outlets ([`compare`]);
//! - outlet profiles across all their stories ([`outlets`]), read from aggregates kept up to date
//!   as articles are stored.
//!
//! It never reads input files or analyses text: it takes [`newslens_contract::Article`]s.
//!
//! # Brief overview
//! ```
//! use newslens_core::{analyze, Document};
//! use newslens_store::{prepare, update_stories, SqliteStore, Store, StoryConfig, StoryFilter};
//!
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let mut document = Document::new("Lifeboat crews rescued twelve sailors near Harwich on Sunday.");
//! document.source.outlet = Some("Harbour Gazette".into());
//! let outcome = store.add_articles(&[prepare(analyze(&document))]).unwrap();
//! assert_eq!(outcome.added, 1);
//! update_stories(&mut store, &StoryConfig::default()).unwrap();
//! let stories = store.stories(&StoryFilter::default()).unwrap();
//! assert_eq!(stories.len(), 1);
//! assert_eq!(stories[0].articles[0].outlet.as_deref(), Some("Harbour Gazette"));
//! ```
#![warn(missing_docs)]

pub mod bench;
pub mod budget;
pub mod compare;
pub mod features;
pub mod fetch_log;
pub mod outlets;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod scan;
pub mod search_syntax;
pub mod sqlite;
pub mod stories;
pub mod story_entities;
pub mod views;

mod open;
mod record;
mod store;

pub use budget::ReadBudget;
pub use compare::{compare_story, Comparison, RewordingKind};
pub use fetch_log::FeedValidators;
pub use open::{is_postgres_url, open, redact_url};
pub use outlets::{
    compare_outlets, outlet_profile, outlet_profiles, OutletComparison, OutletNames, OutletProfile,
    OutletQuery,
};
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
pub use record::{prepare, quote_subjects, ArticleRecord, StoredArticle};
pub use scan::{ArticleCursor, ArticlePage, ArticleScan, StoryPage};
pub use search_syntax::{MAX_PREFIX_TERMS, MAX_SEARCH_TERMS, MIN_PREFIX_CHARS};
pub use sqlite::SqliteStore;
pub use store::{update_stories, within_budget, AddOutcome, AlreadyStored, Store, StoredKeys};
pub use stories::{cluster, Clustering, StoryConfig, StoryInput};
pub use views::{
    CorpusCounts, EntityCount, EntityReport, EventKind, MentionPeriod, QuoteFilter, QuoteRecord,
    SearchHit, SearchQuery, StoryArticle, StoryEventRecord, StoryFilter, StorySummary, MAX_OFFSET,
};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused an operation.
    #[error("database {path}: {source}")]
    Database {
        /// The database file (`:memory:` for an in-memory one).
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The database was written by a newer newslens.
    #[error("database {path} has schema version {found}; this newslens knows up to {known}")]
    NewerSchema {
        /// The database file.
        path: String,
        /// Its schema version.
        found: u32,
        /// The newest version this build knows.
        known: u32,
    },
    /// A stored article's JSON no longer parses.
    #[error("stored article {id}: {source}")]
    Json {
        /// The article id.
        id: String,
        /// What serde said.
        source: serde_json::Error,
    },
    /// A read ran past its [`ReadBudget`], or whoever asked for it stopped waiting, and SQLite
    /// stopped it.
    #[error("database {path}: the read ran past its time budget of {} ms and was stopped", .limit.as_millis())]
    OverBudget {
        /// The database file.
        path: String,
        /// The time the budget allowed.
        limit: std::time::Duration,
    },
    /// PostgreSQL refused an operation.
    #[cfg(feature = "postgres")]
    #[error("database {url}: {}", postgres::describe(.source))]
    Postgres {
        /// The database URL, its password left out.
        url: String,
        /// What PostgreSQL (or the connection to it) said.
        source: ::postgres::Error,
    },
    /// The schema could not be brought up to date.
    #[error("database {url}: migrating the schema: {message}")]
    Migration {
        /// The database, its password left out.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A value the store refuses to write or read back (a contract word outside its set, an
    /// article serde cannot write).
    #[error("database {url}: {message}")]
    Invalid {
        /// The database, its password left out.
        url: String,
        /// What was refused.
        message: String,
    },
    /// The database is of a kind this build cannot open.
    #[error("database {url}: {message}")]
    Unsupported {
        /// The database, its password left out.
        url: String,
        /// Why, and what to do.
        message: String,
    },
    /// A full-text query the index cannot read.
    #[error("search query {query:?}: {message}")]
    Query {
        /// The query as given.
        query: String,
        /// Why it was refused.
        message: String,
    },
}

/// Results of the store.
pub type Result<T> = std::result::Result<T, StoreError>;
