//! The [`Store`] trait: the one interface the CLI, the server and the views use, whatever holds
//! the corpus.
//!
//! SQLite ([`crate::SqliteStore`]) is the default; a PostgreSQL implementation for deployments that
//! outgrow one machine serves the same trait (a later issue). The trait is shaped for that: writes
//! come in batches that are one transaction each, the story engine runs outside the backend
//! ([`update_stories`] reads features, clusters in Rust, writes the assignment back), and every
//! view returns plain values from `views.rs`. Backends own their schema and migrations.

use crate::record::{ArticleRecord, StoredArticle};
use crate::stories::{cluster, Clustering, StoryConfig, StoryInput};
use crate::views::{
    CorpusCounts, EntityReport, QuoteFilter, QuoteRecord, SearchHit, SearchQuery, StoryFilter,
    StorySummary,
};
use crate::Result;

/// What one batch of [`Store::add_articles`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddOutcome {
    /// Articles stored.
    pub added: usize,
    /// Articles skipped because the same normalised text is stored.
    pub same_text: usize,
    /// Articles skipped because an article with the same URL is stored.
    pub same_url: usize,
}

/// A corpus of analysed articles, their stories and the views over them.
///
/// **Invariant:** after every call returns (and after a crash at any point), every stored article
/// belongs to exactly one story; a near-copy is in its original's story.
pub trait Store {
    /// Stores a batch in one transaction. An article whose id (same normalised text) or URL is
    /// already stored is skipped. New articles start as stories of one until
    /// [`update_stories`] runs.
    fn add_articles(&mut self, batch: &[ArticleRecord]) -> Result<AddOutcome>;

    /// The story features of every stored article, for the story engine.
    fn story_inputs(&self) -> Result<Vec<StoryInput>>;

    /// Replaces story and near-copy assignments, and the story summaries, in one transaction.
    fn write_stories(&mut self, inputs: &[StoryInput], clustering: &Clustering) -> Result<()>;

    /// How big the corpus is.
    fn counts(&self) -> Result<CorpusCounts>;

    /// Stories, newest first.
    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>>;

    /// One story by id or unique id prefix.
    fn story(&self, id: &str) -> Result<Option<StorySummary>>;

    /// One article by id or unique id prefix.
    fn article(&self, id: &str) -> Result<Option<StoredArticle>>;

    /// Every article of a story (by full id), earliest first, near-copies included.
    fn story_articles(&self, id: &str) -> Result<Vec<StoredArticle>>;

    /// Quotes matching a filter, earliest first; near-copies' quotes are not repeated.
    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteRecord>>;

    /// Mentions over time and quotes by and about an entity.
    fn entity(&self, name: &str, limit: Option<usize>) -> Result<EntityReport>;

    /// Full-text search, best first.
    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>>;
}

/// Recomputes near-copies and stories over the whole corpus and stores them; returns the new
/// counts. Deterministic: the same stored articles give the same stories whatever order they
/// came in.
pub fn update_stories(store: &mut dyn Store, config: &StoryConfig) -> Result<CorpusCounts> {
    let inputs = store.story_inputs()?;
    let clustering = cluster(&inputs, config);
    store.write_stories(&inputs, &clustering)?;
    store.counts()
}
