//! The [`Store`] trait: the one interface the CLI, the server and the views use, whatever holds
//! the corpus.
//!
//! SQLite ([`crate::SqliteStore`]) is the default; a PostgreSQL implementation for deployments that
//! outgrow one machine serves the same trait (a later issue). The trait is shaped for that: writes
//! come in batches that are one transaction each, the story engine runs outside the backend (a
//! backend serves the engine's reads through `stories::incremental::StoryState` inside its write
//! transaction and writes the `Changes` back), and every view returns plain values from
//! `views.rs`. Backends own their schema and migrations.

use crate::record::{ArticleRecord, StoredArticle};
use crate::stories::StoryConfig;
use crate::views::{
    CorpusCounts, EntityReport, QuoteFilter, QuoteRecord, SearchHit, SearchQuery, StoryFilter,
    StorySummary,
};
use crate::Result;
use xxhash_rust::xxh3::xxh3_64;

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

/// What a corpus holds already, to skip a document before analysing it: the ids of its articles
/// (the XXH3-64 hash of the normalised text, as the contract's id) and the XXH3-64 hashes of their
/// URLs. Sixteen bytes or so per article; ids are exact, a URL hash could collide with another
/// URL with odds like two texts sharing an id (about 10⁻⁸ among a million URLs).
#[derive(Debug, Clone, Default)]
pub struct StoredKeys {
    ids: foldhash::HashSet<u64>,
    urls: foldhash::HashSet<u64>,
}

/// Why a document is already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlreadyStored {
    /// An article with the same normalised text.
    SameText,
    /// An article with the same URL.
    SameUrl,
}

impl StoredKeys {
    /// Adds an article's id (16 hex digits; anything else is ignored) and URL.
    pub fn insert(&mut self, id: &str, url: Option<&str>) {
        if let Ok(id) = u64::from_str_radix(id, 16) {
            self.ids.insert(id);
        }
        if let Some(url) = url {
            self.urls.insert(xxh3_64(url.as_bytes()));
        }
    }

    /// Whether a document with this text and URL would be skipped by [`Store::add_articles`], and
    /// why (the text is checked first, as there).
    pub fn find(&self, text: &str, url: Option<&str>) -> Option<AlreadyStored> {
        if self.ids.contains(&xxh3_64(text.as_bytes())) {
            return Some(AlreadyStored::SameText);
        }
        url.filter(|url| self.urls.contains(&xxh3_64(url.as_bytes())))
            .map(|_| AlreadyStored::SameUrl)
    }

    /// Whether an article with this URL is stored (for a fetcher: a stored URL is not fetched
    /// again).
    pub fn contains_url(&self, url: &str) -> bool {
        self.urls.contains(&xxh3_64(url.as_bytes()))
    }

    /// Articles known.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no article is known.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
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

    /// The ids and URLs of every stored article, so that an ingest skips them before analysis.
    fn stored_keys(&self) -> Result<StoredKeys>;

    /// Prepares for a long run of [`Store::add_articles`] calls (an ingest). Does nothing unless
    /// the backend has settings for it.
    fn begin_bulk_writes(&self) -> Result<()> {
        Ok(())
    }

    /// Back to the usual settings after [`Store::begin_bulk_writes`].
    fn end_bulk_writes(&self) -> Result<()> {
        Ok(())
    }

    /// Places every stored article not yet in a story (the incremental story engine,
    /// `stories/incremental.rs`): each joins the best existing story or starts one; stories may
    /// merge or split, and those events are recorded. Each batch is read, decided and written in
    /// one transaction that no other writer can interleave with. Returns the new counts.
    fn update_stories(&mut self, config: &StoryConfig) -> Result<CorpusCounts>;

    /// Re-clusters every stored article with the batch engine (`stories --rebuild`), keeping
    /// story ids where a story survives, and rebuilds the incremental engine's tables.
    fn rebuild_stories(&mut self, config: &StoryConfig) -> Result<CorpusCounts>;

    /// How big the corpus is.
    fn counts(&self) -> Result<CorpusCounts>;

    /// Stories, newest first.
    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>>;

    /// One story by id or unique id prefix; the id of a story merged away gives the story that
    /// absorbed it (whose `id` then differs from the one asked for).
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

/// Places the articles stored since the last update into stories; returns the new counts.
pub fn update_stories(store: &mut dyn Store, config: &StoryConfig) -> Result<CorpusCounts> {
    store.update_stories(config)
}
