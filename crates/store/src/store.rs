//! The [`Store`] trait: the one interface the CLI, the server and the views use, whatever holds
//! the corpus.
//!
//! SQLite ([`crate::SqliteStore`]) is the default; PostgreSQL (`PostgresStore`, the `postgres`
//! feature) serves the same trait for deployments that outgrow one machine. Writes come in
//! batches that are one transaction each, the story engine runs outside the backend (a
//! backend serves the engine's reads through `stories::incremental::StoryState` inside its write
//! transaction and writes the `Changes` back), and every view returns plain values from
//! `views.rs`. Backends own their schema and migrations.
//!
//! `Box<dyn Store + Send>` (what [`crate::open`] returns) is a `Store` too, so code generic over
//! `S: Store` takes either backend.

use crate::budget::ReadBudget;
use crate::fetch_log::FeedValidators;
use crate::outlets::{Coverage, SharedTerm, SourceWeek, TermCount, TermKind};
use crate::record::{ArticleRecord, StoredArticle};
use crate::scan::{ArticleCursor, ArticlePage, ArticleScan, StoryPage};
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

/// The corpus's own consistency checks that read alike in SQLite and PostgreSQL, each a query
/// counting the rows that break an invariant (`check` runs these and its backend's own).
pub(crate) const CONSISTENCY_CHECKS: &[(&str, &str)] = &[
    (
        "articles whose story is missing",
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story)",
    ),
    (
        "stories without articles",
        "SELECT count(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story = s.id)",
    ),
    (
        "near-copies outside their original's story",
        "SELECT count(*) FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of
                 WHERE a.duplicate_of IS NOT NULL AND (o.id IS NULL OR o.story != a.story)",
    ),
    (
        "articles missing from the search index",
        "SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM search)",
    ),
    (
        "merged-away story ids that name a story again",
        "SELECT count(*) FROM story_aliases x JOIN stories s ON s.id = x.old",
    ),
    (
        "story aliases leading to no story",
        "SELECT count(*) FROM story_aliases x WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = x.story)",
    ),
    (
        "articles missing from the outlet aggregates",
        "SELECT (SELECT count(*) FROM articles)
                 - CAST((SELECT coalesce(sum(articles), 0) FROM outlet_weeks WHERE source = '') AS BIGINT)",
    ),
    (
        "articles missing from the outlet counts on shared stories",
        "SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM outlet_counted)",
    ),
    (
        "articles counted on shared stories under another story",
        "SELECT count(*) FROM outlet_counted c JOIN articles a ON a.id = c.article
                 WHERE c.story != a.story",
    ),
    (
        "story counts out of step",
        "SELECT count(*) FROM stories s WHERE s.articles + s.duplicates !=
                 (SELECT count(*) FROM articles a WHERE a.story = s.id)",
    ),
];

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

    /// At most `limit` of the articles `scan` selects, in storage order, starting after `after`
    /// (from the first when `None`): a whole corpus read a page at a time (`scan.rs`).
    fn scan_articles(
        &self,
        scan: &ArticleScan,
        after: Option<ArticleCursor>,
        limit: usize,
    ) -> Result<ArticlePage>;

    /// At most `limit` stories in id order, after the story id `after` (from the first when
    /// `None`), without their merge and split events.
    fn scan_stories(&self, after: Option<&str>, limit: usize) -> Result<StoryPage>;

    /// Checks the corpus's invariants (every article in exactly one existing story, every
    /// near-copy's original stored and in the same story, the search index, the story listings
    /// and the story engine's tables in step) and the database's own consistency where it has a
    /// check; returns the problems found.
    fn check(&self) -> Result<Vec<String>>;

    /// The web fetcher's log: a feed's validators from its last complete round, if it has one.
    fn feed_validators(&self, url: &str) -> Result<Option<FeedValidators>>;

    /// The web fetcher's log: whether a page URL (canonical) is stored or was fetched for good.
    fn is_page_known(&self, url: &str) -> Result<bool>;

    /// Records feeds checked (with their sitemap `<lastmod>`) and pages fetched at `when`, in
    /// one transaction.
    fn write_fetch_log(
        &mut self,
        feeds: &[FeedValidators],
        pages: &[String],
        when: &str,
    ) -> Result<()>;

    /// Runs `work` with every read it makes through the store it is handed stopped once
    /// `budget` is spent (such a read fails with [`crate::StoreError::OverBudget`]); the store
    /// is back to unbounded work afterwards. Calls `work` exactly once. [`within_budget`] is the
    /// convenient form.
    fn read_within(&mut self, budget: &ReadBudget, work: &mut dyn FnMut(&dyn Store));

    /// Outlet aggregates: every source's counts per week (source `""` is the whole corpus).
    fn outlet_weeks(&self) -> Result<Vec<SourceWeek>>;

    /// Outlet aggregates: a source's most quoted speakers, most first (ties by key).
    fn outlet_top_speakers(&self, source: &str, limit: usize) -> Result<Vec<TermCount>>;

    /// Outlet aggregates: a source's quote counts of the given speakers (those it has).
    fn outlet_speaker_counts(&self, source: &str, keys: &[String]) -> Result<Vec<TermCount>>;

    /// Outlet aggregates on shared stories: a source's speakers or own-voice words among the
    /// `limit` with the most own occurrences over the stories it covered with other sources,
    /// and among the `limit` with the most other sources' occurrences over them (ties by key;
    /// each term once, totals left out, in no particular order).
    fn outlet_shared_top(
        &self,
        kind: TermKind,
        source: &str,
        limit: usize,
    ) -> Result<Vec<SharedTerm>> {
        let _ = (kind, source, limit);
        Err(crate::StoreError::Unsupported {
            url: "this store".into(),
            message: "it keeps no outlet aggregates on shared stories".into(),
        })
    }

    /// Outlet aggregates on shared stories: a source's own and other sources' counts of the
    /// given speakers or words (those it has; the key `""` gives the totals).
    fn outlet_shared_counts(
        &self,
        kind: TermKind,
        source: &str,
        keys: &[String],
    ) -> Result<Vec<SharedTerm>> {
        let _ = (kind, source, keys);
        Err(crate::StoreError::Unsupported {
            url: "this store".into(),
            message: "it keeps no outlet aggregates on shared stories".into(),
        })
    }

    /// The stories a source covered, with its first and last day in each.
    fn outlet_stories(&self, source: &str) -> Result<Vec<Coverage>>;

    /// Every source of the stories at least `min_sources` sources covered and that began
    /// between the days `first` and `last` (`first` in each row is the story's first day).
    fn stories_reaching(
        &self,
        min_sources: usize,
        first: &str,
        last: &str,
    ) -> Result<Vec<Coverage>>;
}

/// Runs `work` on `store` under `budget` ([`Store::read_within`]) and returns what it returned.
pub fn within_budget<S, T>(
    store: &mut S,
    budget: &ReadBudget,
    work: impl FnOnce(&dyn Store) -> T,
) -> T
where
    S: Store + ?Sized,
{
    let mut work = Some(work);
    let mut outcome = None;
    store.read_within(budget, &mut |store| {
        if let Some(work) = work.take() {
            outcome = Some(work(store));
        }
    });
    outcome.expect("Store::read_within calls its work once")
}

/// A boxed store is a store: [`crate::open`] returns one, and the pipeline and the fetcher take
/// any `S: Store`.
impl<S: Store + ?Sized> Store for Box<S> {
    fn add_articles(&mut self, batch: &[ArticleRecord]) -> Result<AddOutcome> {
        (**self).add_articles(batch)
    }
    fn stored_keys(&self) -> Result<StoredKeys> {
        (**self).stored_keys()
    }
    fn begin_bulk_writes(&self) -> Result<()> {
        (**self).begin_bulk_writes()
    }
    fn end_bulk_writes(&self) -> Result<()> {
        (**self).end_bulk_writes()
    }
    fn update_stories(&mut self, config: &StoryConfig) -> Result<CorpusCounts> {
        (**self).update_stories(config)
    }
    fn rebuild_stories(&mut self, config: &StoryConfig) -> Result<CorpusCounts> {
        (**self).rebuild_stories(config)
    }
    fn counts(&self) -> Result<CorpusCounts> {
        (**self).counts()
    }
    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>> {
        (**self).stories(filter)
    }
    fn story(&self, id: &str) -> Result<Option<StorySummary>> {
        (**self).story(id)
    }
    fn article(&self, id: &str) -> Result<Option<StoredArticle>> {
        (**self).article(id)
    }
    fn story_articles(&self, id: &str) -> Result<Vec<StoredArticle>> {
        (**self).story_articles(id)
    }
    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteRecord>> {
        (**self).quotes(filter)
    }
    fn entity(&self, name: &str, limit: Option<usize>) -> Result<EntityReport> {
        (**self).entity(name, limit)
    }
    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        (**self).search(query)
    }
    fn scan_articles(
        &self,
        scan: &ArticleScan,
        after: Option<ArticleCursor>,
        limit: usize,
    ) -> Result<ArticlePage> {
        (**self).scan_articles(scan, after, limit)
    }
    fn scan_stories(&self, after: Option<&str>, limit: usize) -> Result<StoryPage> {
        (**self).scan_stories(after, limit)
    }
    fn check(&self) -> Result<Vec<String>> {
        (**self).check()
    }
    fn feed_validators(&self, url: &str) -> Result<Option<FeedValidators>> {
        (**self).feed_validators(url)
    }
    fn is_page_known(&self, url: &str) -> Result<bool> {
        (**self).is_page_known(url)
    }
    fn write_fetch_log(
        &mut self,
        feeds: &[FeedValidators],
        pages: &[String],
        when: &str,
    ) -> Result<()> {
        (**self).write_fetch_log(feeds, pages, when)
    }
    fn read_within(&mut self, budget: &ReadBudget, work: &mut dyn FnMut(&dyn Store)) {
        (**self).read_within(budget, work)
    }
    fn outlet_weeks(&self) -> Result<Vec<SourceWeek>> {
        (**self).outlet_weeks()
    }
    fn outlet_top_speakers(&self, source: &str, limit: usize) -> Result<Vec<TermCount>> {
        (**self).outlet_top_speakers(source, limit)
    }
    fn outlet_speaker_counts(&self, source: &str, keys: &[String]) -> Result<Vec<TermCount>> {
        (**self).outlet_speaker_counts(source, keys)
    }
    fn outlet_shared_top(
        &self,
        kind: TermKind,
        source: &str,
        limit: usize,
    ) -> Result<Vec<SharedTerm>> {
        (**self).outlet_shared_top(kind, source, limit)
    }
    fn outlet_shared_counts(
        &self,
        kind: TermKind,
        source: &str,
        keys: &[String],
    ) -> Result<Vec<SharedTerm>> {
        (**self).outlet_shared_counts(kind, source, keys)
    }
    fn outlet_stories(&self, source: &str) -> Result<Vec<Coverage>> {
        (**self).outlet_stories(source)
    }
    fn stories_reaching(
        &self,
        min_sources: usize,
        first: &str,
        last: &str,
    ) -> Result<Vec<Coverage>> {
        (**self).stories_reaching(min_sources, first, last)
    }
}

/// Places the articles stored since the last update into stories; returns the new counts.
pub fn update_stories(store: &mut dyn Store, config: &StoryConfig) -> Result<CorpusCounts> {
    store.update_stories(config)
}
