//! The SQLite store: one database file, nothing to install (SQLite is compiled in).
//!
//! Crash safety comes from SQLite itself: the database runs in WAL mode and every batch of
//! articles, like every story update, is one transaction, so a process killed at any moment
//! (`kill -9`) leaves the last committed state, and running the same ingest again skips what is
//! stored and completes the rest. A new article is stored as a story of its own in the same
//! transaction, so "every article belongs to exactly one story" holds between transactions too.
//!
//! Writing lives here; the read-only views are in `views.rs`. The schema is in
//! `crates/store/migrations/`.

mod budget;
mod checkpoint;
mod fetch_log;
mod migrations;
mod outlets;
mod scan;
mod stories;
mod views;

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use newslens_contract::Article;

use crate::budget::ReadBudget;
use crate::fetch_log::FeedValidators;
use crate::record::{ArticleRecord, StoredArticle};
use crate::scan::{ArticleCursor, ArticlePage, ArticleScan, StoryPage};
use crate::store::{AddOutcome, Store, StoredKeys};
use crate::stories::StoryConfig;
use crate::views::{
    CorpusCounts, EntityReport, QuoteFilter, QuoteRecord, SearchHit, SearchQuery, StoryFilter,
    StorySummary,
};
use crate::{Result, StoreError};

/// Page cache of a connection, in KiB.
const CACHE_KIB: u32 = 32_000;
/// Pages the write-ahead log grows to before it is copied into the database, by a thread of its
/// own ([`checkpoint`]): 16 MB, four times SQLite's default, so pages written by consecutive
/// transactions (a batch's articles, then its stories) are copied once, not once each.
const WAL_PAGES: u32 = 4096;
/// Pages the write-ahead log grows to before an ingest's log is copied into the database.
const BULK_WAL_PAGES: u32 = 8192;
/// On a large corpus, the log may grow to this share of the database's pages (1/8) before it is
/// copied. A batch of 100 articles dirties pages all over the corpus's indexes keyed by term,
/// name or hash (about 20,000 at 88,000 articles), and the next batch dirties mostly the same
/// ones: copied after every batch, each is written to the database once a batch; copied every few
/// batches, once for all of them (five batches wrote 109,000 log pages but only 51,000 distinct
/// ones). The log on disk then grows to about an eighth of the corpus (four times that before a
/// commit copies it itself, as below the threshold).
const WAL_SHARE_OF_DATABASE: u32 = 8;

/// A corpus in one SQLite file.
pub struct SqliteStore {
    connection: Connection,
    path: String,
    /// The time a statement may run, while [`SqliteStore::within_budget`] bounds it.
    budget_limit: Option<std::time::Duration>,
    /// The keys of the articles up to a rowid, read by [`Store::stored_keys`]: articles are never
    /// deleted, so a later call reads only the rows added since (by any writer).
    known_keys: std::cell::RefCell<(i64, StoredKeys)>,
    /// Document frequencies the story engine read, kept between batches.
    df_cache: stories::DfCache,
    /// The log size at which the checkpointing thread is woken (raised for bulk writes and large
    /// corpora), and the log's size after the last commit.
    wal: std::sync::Arc<checkpoint::Log>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        let name = path.as_ref().display().to_string();
        // Switching a new file to WAL needs the file to itself, and SQLite answers "database is
        // locked" at once, without its busy handler, to a second process doing the same: so a
        // race to create one corpus is retried here for as long as the busy timeout allows.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            let connection =
                Connection::open(path.as_ref()).map_err(|source| StoreError::Database {
                    path: name.clone(),
                    source,
                })?;
            match SqliteStore::setup(connection, name.clone()) {
                Err(StoreError::Database { source, .. })
                    if is_busy(&source) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => return opened,
            }
        }
    }

    /// A database in memory, for tests and evaluations.
    pub fn open_in_memory() -> Result<SqliteStore> {
        let connection = Connection::open_in_memory().map_err(|source| StoreError::Database {
            path: ":memory:".into(),
            source,
        })?;
        SqliteStore::setup(connection, ":memory:".into())
    }

    fn setup(mut connection: Connection, path: String) -> Result<SqliteStore> {
        let wrap = |source| StoreError::Database {
            path: path.clone(),
            source,
        };
        // First, so that a second process creating or migrating the same file waits its turn
        // instead of failing with "database is locked".
        connection.busy_timeout(BUSY_TIMEOUT).map_err(wrap)?;
        // WAL: readers never block the writer and a killed writer leaves the last commit.
        // synchronous=NORMAL is durable against process crashes (only power loss can drop the
        // last commits, never corrupt the file).
        connection
            .execute_batch(&format!(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA temp_store = MEMORY;
                 PRAGMA cache_size = -{CACHE_KIB};",
            ))
            .map_err(wrap)?;
        match migrations::migrate(&mut connection) {
            Ok(()) => {}
            Err(migrations::MigrationError::Sqlite(source)) => return Err(wrap(source)),
            Err(migrations::MigrationError::Newer(found)) => {
                return Err(StoreError::NewerSchema {
                    path,
                    found,
                    known: migrations::latest_version(),
                })
            }
        }
        // Corpora stored before the outlet aggregates get theirs now, once.
        outlets::backfill(&mut connection, &path)?;
        outlets::backfill_shared(&mut connection, &path)?;
        let wal = checkpoint::Log::new(wal_threshold(&connection, WAL_PAGES));
        checkpoint::install(&mut connection, &path, wal.clone()).map_err(wrap)?;
        Ok(SqliteStore {
            connection,
            wal,
            path,
            budget_limit: None,
            known_keys: Default::default(),
            df_cache: Default::default(),
        })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32> {
        self.connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|source| self.error(source))
    }

    /// Moves everything in the write-ahead log into the database file, so the file alone holds
    /// the whole corpus (for copying it).
    pub fn checkpoint(&self) -> Result<()> {
        self.connection
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|source| self.error(source))
    }

    /// Runs SQLite's own consistency check and ours (every article in exactly one existing story,
    /// every near-copy's original stored and in the same story, the search index in step);
    /// returns the problems found.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let integrity: String = self
            .connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|source| self.error(source))?;
        if integrity != "ok" {
            problems.push(format!("integrity_check: {integrity}"));
        }
        let checks = [
            (
                "stories whose listing is out of step with their articles",
                "SELECT count(*) FROM stories s WHERE json_array_length(s.listing) !=
                 (SELECT count(*) FROM articles a WHERE a.story = s.id)",
            ),
            (
                "placed originals out of step with the story engine's count",
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM story_engine WHERE key = 'rebuild' AND value != 0)
                 THEN 0 ELSE (SELECT count(*) FROM articles WHERE placed = 1 AND duplicate_of IS NULL)
                      - (SELECT value FROM story_engine WHERE key = 'originals') END",
            ),
            (
                "corpus counts out of step with the rows they count",
                "SELECT (c.articles != (SELECT count(*) FROM articles))
                      + (c.duplicates != (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL))
                      + (c.stories != (SELECT count(*) FROM stories))
                      + (c.quotes != (SELECT count(*) FROM quotes))
                 FROM corpus_counts c",
            ),
        ];
        for (what, sql) in crate::store::CONSISTENCY_CHECKS
            .iter()
            .copied()
            .chain(checks)
        {
            let n: i64 = self
                .connection
                .query_row(sql, [], |row| row.get(0))
                .map_err(|source| self.error(source))?;
            if n != 0 {
                problems.push(format!("{what}: {n}"));
            }
        }
        Ok(problems)
    }

    fn error(&self, source: rusqlite::Error) -> StoreError {
        if let (Some(limit), Some(rusqlite::ErrorCode::OperationInterrupted)) =
            (self.budget_limit, source.sqlite_error_code())
        {
            return StoreError::OverBudget {
                path: self.path.clone(),
                limit,
            };
        }
        StoreError::Database {
            path: self.path.clone(),
            source,
        }
    }
}

/// The log size, in pages, at which a checkpoint starts: `floor`, or on a large corpus
/// [`WAL_SHARE_OF_DATABASE`] of its pages.
fn wal_threshold(connection: &Connection, floor: u32) -> u32 {
    let pages: u32 = connection
        .query_row("PRAGMA page_count", [], |row| row.get(0))
        .unwrap_or(0);
    floor.max(pages / WAL_SHARE_OF_DATABASE)
}

impl Store for SqliteStore {
    fn outlet_weeks(&self) -> Result<Vec<crate::outlets::SourceWeek>> {
        outlets::weeks(&self.connection).map_err(|source| self.error(source))
    }

    fn outlet_top_speakers(
        &self,
        source: &str,
        limit: usize,
    ) -> Result<Vec<crate::outlets::TermCount>> {
        outlets::top_speakers(&self.connection, source, limit).map_err(|error| self.error(error))
    }

    fn outlet_speaker_counts(
        &self,
        source: &str,
        keys: &[String],
    ) -> Result<Vec<crate::outlets::TermCount>> {
        outlets::speaker_counts(&self.connection, source, keys).map_err(|error| self.error(error))
    }

    fn outlet_shared_top(
        &self,
        kind: crate::outlets::TermKind,
        source: &str,
        limit: usize,
    ) -> Result<Vec<crate::outlets::SharedTerm>> {
        outlets::shared_top(&self.connection, kind, source, limit)
            .map_err(|error| self.error(error))
    }

    fn outlet_shared_counts(
        &self,
        kind: crate::outlets::TermKind,
        source: &str,
        keys: &[String],
    ) -> Result<Vec<crate::outlets::SharedTerm>> {
        outlets::shared_counts(&self.connection, kind, source, keys)
            .map_err(|error| self.error(error))
    }

    fn outlet_stories(&self, source: &str) -> Result<Vec<crate::outlets::Coverage>> {
        outlets::outlet_stories(&self.connection, source).map_err(|error| self.error(error))
    }

    fn stories_reaching(
        &self,
        min_sources: usize,
        first: &str,
        last: &str,
    ) -> Result<Vec<crate::outlets::Coverage>> {
        outlets::stories_reaching(&self.connection, min_sources, first, last)
            .map_err(|error| self.error(error))
    }

    /// Settings for a long run of writes (an ingest): a write-ahead log of 32 MB instead of 16
    /// (or an eighth of a large corpus) before it is copied into the database, so index pages
    /// written in many transactions are copied (and synced) once instead of each time. (A larger
    /// page cache was tried too: at 128 MB it saved no measurable writer time and added 100 MB to
    /// an ingest's peak memory; at 64 MB on 88,000 articles, 2–4 % of a batch's CPU for 32 MB.)
    ///
    /// A log past its size is copied here, before the ingest writes: the checkpointing thread
    /// copies while the writer goes on, so when ingests follow each other closely it may never
    /// find the log finished, and the log would grow without end.
    fn begin_bulk_writes(&self) -> Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        let threshold = wal_threshold(&self.connection, BULK_WAL_PAGES);
        if self.wal.frames.load(Relaxed) >= threshold {
            // PASSIVE: never waits for readers (a served corpus's); what they hold is copied by
            // a later checkpoint.
            // Its first column: 1 when another checkpoint held the log (the thread's), 0 done.
            let busy = self
                .connection
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                    row.get::<_, i64>(0)
                })
                .map_err(database_error(&self.path))?;
            if busy == 0 {
                self.wal.frames.store(0, Relaxed);
            }
        }
        self.wal.threshold.store(threshold, Relaxed);
        Ok(())
    }

    /// Back to the usual settings after [`Store::begin_bulk_writes`].
    fn end_bulk_writes(&self) -> Result<()> {
        self.wal.threshold.store(
            wal_threshold(&self.connection, WAL_PAGES),
            std::sync::atomic::Ordering::Relaxed,
        );
        Ok(())
    }

    fn add_articles(&mut self, batch: &[ArticleRecord]) -> Result<AddOutcome> {
        let wrap = database_error(&self.path);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(wrap)?;
        let mut outcome = AddOutcome::default();
        let mut outlet_tally = crate::outlets::BatchTally::default();
        for record in batch {
            match add_article(&transaction, record).map_err(wrap)? {
                Added::Yes => {
                    outcome.added += 1;
                    outlet_tally.add(&record.rows.outlet);
                }
                Added::SameText => outcome.same_text += 1,
                Added::SameUrl => outcome.same_url += 1,
            }
        }
        outlets::write_tally(&transaction, &outlet_tally).map_err(wrap)?;
        transaction.commit().map_err(wrap)?;
        Ok(outcome)
    }

    fn stored_keys(&self) -> Result<StoredKeys> {
        let mut known = self.known_keys.borrow_mut();
        let (last_rowid, keys) = &mut *known;
        let mut statement = self
            .connection
            .prepare_cached("SELECT rowid, id, url FROM articles WHERE rowid > ?1 ORDER BY rowid")
            .map_err(|source| self.error(source))?;
        let mut rows = statement
            .query([*last_rowid])
            .map_err(|source| self.error(source))?;
        while let Some(row) = rows.next().map_err(|source| self.error(source))? {
            let rowid: i64 = row.get(0).map_err(|source| self.error(source))?;
            let id: String = row.get(1).map_err(|source| self.error(source))?;
            let url: Option<String> = row.get(2).map_err(|source| self.error(source))?;
            keys.insert(&id, url.as_deref());
            *last_rowid = rowid;
        }
        Ok(keys.clone())
    }

    /// Each batch of unplaced articles is read, placed and written inside one write
    /// transaction, so a writer in another process or thread cannot change the stories between
    /// the read and the write (it waits for the lock, then sees them placed).
    fn update_stories(&mut self, config: &StoryConfig) -> Result<CorpusCounts> {
        let wrap = database_error(&self.path);
        loop {
            let transaction = self
                .connection
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(wrap)?;
            let placed = stories::place_batch(&transaction, &self.path, config, &mut self.df_cache)
                .and_then(|placed_some| transaction.commit().map_err(wrap).map(|_| placed_some));
            // A batch that did not commit may have counted its terms in the cache.
            let placed_some = placed.inspect_err(|_| self.df_cache = Default::default())?;
            if !placed_some {
                break;
            }
        }
        self.counts()
    }

    fn rebuild_stories(&mut self, config: &StoryConfig) -> Result<CorpusCounts> {
        let wrap = database_error(&self.path);
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(wrap)?;
        stories::rebuild(&transaction, &self.path, config, &mut self.df_cache)?;
        transaction.commit().map_err(wrap)?;
        self.counts()
    }

    fn counts(&self) -> Result<CorpusCounts> {
        self.connection
            .query_row(
                // Kept by triggers (migration 0014): no count walks the corpus.
                "SELECT articles, duplicates, stories, quotes FROM corpus_counts",
                [],
                |row| {
                    Ok(CorpusCounts {
                        articles: row.get::<_, i64>(0)? as usize,
                        duplicates: row.get::<_, i64>(1)? as usize,
                        stories: row.get::<_, i64>(2)? as usize,
                        quotes: row.get::<_, i64>(3)? as usize,
                    })
                },
            )
            .map_err(|source| self.error(source))
    }

    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>> {
        views::stories(&self.connection, filter).map_err(|source| self.error(source))
    }

    fn story(&self, id: &str) -> Result<Option<StorySummary>> {
        views::story(&self.connection, id).map_err(|source| self.error(source))
    }

    fn article(&self, id: &str) -> Result<Option<StoredArticle>> {
        // A unique prefix is enough, like a git commit; the exact id wins over longer ones. The
        // ids are matched first (an index range), then only the one article's JSON is read.
        let matches: Vec<String> = self
            .connection
            .prepare_cached(
                "SELECT id FROM articles WHERE id >= ?1 AND id < ?1 || char(1114111)
                 ORDER BY id LIMIT 2",
            )
            .and_then(|mut statement| {
                statement
                    .query_map([id], |row| row.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(|source| self.error(source))?;
        let full = match matches.as_slice() {
            [only] => only,
            _ => match matches.iter().find(|candidate| candidate.as_str() == id) {
                Some(exact) => exact,
                None => return Ok(None),
            },
        };
        let row: ArticleRow = self
            .connection
            .prepare_cached("SELECT id, json, story, duplicate_of FROM articles WHERE id = ?1")
            .and_then(|mut statement| {
                statement.query_row([full], |row| {
                    Ok((
                        row.get(0)?,
                        stored_json(row.get_ref(1)?)?,
                        row.get(2)?,
                        row.get(3)?,
                    ))
                })
            })
            .map_err(|source| self.error(source))?;
        stored_article(row).map(Some)
    }

    fn story_articles(&self, id: &str) -> Result<Vec<StoredArticle>> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT id, json, story, duplicate_of FROM articles WHERE story = ?1
                 ORDER BY published IS NULL, published, id",
            )
            .map_err(|source| self.error(source))?;
        let rows: Vec<ArticleRow> = statement
            .query_map([id], |row| {
                Ok((
                    row.get(0)?,
                    stored_json(row.get_ref(1)?)?,
                    row.get(2)?,
                    row.get(3)?,
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(|source| self.error(source))?;
        rows.into_iter().map(stored_article).collect()
    }

    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteRecord>> {
        views::quotes(&self.connection, filter).map_err(|source| self.error(source))
    }

    fn entity(&self, name: &str, limit: Option<usize>) -> Result<EntityReport> {
        views::entity(&self.connection, name, limit).map_err(|source| self.error(source))
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        views::search(&self.connection, query).map_err(|error| match error {
            views::SearchError::Sqlite(source) => self.error(source),
            views::SearchError::Query(message) => StoreError::Query {
                query: query.text.clone(),
                message,
            },
        })
    }
    fn scan_articles(
        &self,
        scan: &ArticleScan,
        after: Option<ArticleCursor>,
        limit: usize,
    ) -> Result<ArticlePage> {
        scan::articles(&self.connection, scan, after, limit, |source| {
            self.error(source)
        })
    }

    fn scan_stories(&self, after: Option<&str>, limit: usize) -> Result<StoryPage> {
        scan::stories(&self.connection, after, limit, |source| self.error(source))
    }

    fn check(&self) -> Result<Vec<String>> {
        SqliteStore::check(self)
    }

    fn feed_validators(&self, url: &str) -> Result<Option<FeedValidators>> {
        self.read_feed_validators(url)
    }

    fn is_page_known(&self, url: &str) -> Result<bool> {
        self.page_known(url)
    }

    fn write_fetch_log(
        &mut self,
        feeds: &[FeedValidators],
        pages: &[String],
        when: &str,
    ) -> Result<()> {
        self.record_fetch_log(feeds, pages, when)
    }

    fn read_within(&mut self, budget: &ReadBudget, work: &mut dyn FnMut(&dyn Store)) {
        self.within_budget(budget, |store| work(store))
    }
}

/// An article row read back: `id`, `json`, `story`, `duplicate_of`.
type ArticleRow = (String, String, String, Option<String>);

/// The contract JSON of an article row: LZ4-compressed bytes ([`crate::record::compress_json`]),
/// or plain text in rows written before compression.
fn stored_json(value: rusqlite::types::ValueRef) -> rusqlite::Result<String> {
    match value {
        rusqlite::types::ValueRef::Text(text) => {
            String::from_utf8(text.to_vec()).map_err(|error| {
                rusqlite::Error::FromSqlConversionFailure(1, value.data_type(), error.into())
            })
        }
        rusqlite::types::ValueRef::Blob(bytes) => {
            crate::record::decompress_json(bytes).map_err(|error| {
                rusqlite::Error::FromSqlConversionFailure(1, value.data_type(), error.into())
            })
        }
        _ => Err(rusqlite::Error::InvalidColumnType(
            1,
            "json".into(),
            value.data_type(),
        )),
    }
}

fn stored_article((article_id, json, story, duplicate_of): ArticleRow) -> Result<StoredArticle> {
    let wrap = |source| StoreError::Json {
        id: article_id.clone(),
        source,
    };
    let article: Article = serde_json::from_str(&json).map_err(wrap)?;
    Ok(StoredArticle {
        article,
        story,
        duplicate_of,
    })
}

enum Added {
    Yes,
    SameText,
    SameUrl,
}

fn add_article(
    transaction: &rusqlite::Transaction,
    record: &ArticleRecord,
) -> rusqlite::Result<Added> {
    let article = &record.article;
    let exists: Option<i64> = transaction
        .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?
        .query_row([&article.id], |row| row.get(0))
        .optional()?;
    if exists.is_some() {
        return Ok(Added::SameText);
    }
    if let Some(url) = &article.source.url {
        let exists: Option<i64> = transaction
            .prepare_cached("SELECT 1 FROM articles WHERE url = ?1")?
            .query_row([url], |row| row.get(0))
            .optional()?;
        if exists.is_some() {
            return Ok(Added::SameUrl);
        }
    }
    let rows = &record.rows;
    let json = rows.json.as_ref().ok_or_else(|| {
        rusqlite::Error::ToSqlConversionFailure(
            format!("article {} cannot be written as JSON", article.id).into(),
        )
    })?;
    transaction
        .prepare_cached(
            "INSERT INTO articles (id, url, path, outlet, title, published, tone, story, terms, minhash, json, placed, outlet_source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?1, ?8, ?9, ?10, 0, ?11)",
        )?
        .execute(params![
            article.id,
            article.source.url,
            article.source.path,
            article.source.outlet,
            article.title,
            article.published,
            article.tone.as_ref().map(|tone| tone.tone),
            rows.terms,
            rows.minhash,
            json,
            rows.outlet.source,
        ])?;
    let rowid = transaction.last_insert_rowid();

    let mut insert_entity = transaction.prepare_cached(
        "INSERT INTO entities (article, entity, name, name_key, last_key, type, mentions, named)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (entity_idx, (entity, keys)) in article.entities.iter().zip(&rows.entities).enumerate() {
        insert_entity.execute(params![
            rowid,
            entity_idx as i64,
            entity.name,
            keys.key,
            keys.last,
            entity.entity_type.as_str(),
            entity.mentions.len() as i64,
            keys.named,
        ])?;
    }

    let mut insert_quote = transaction.prepare_cached(
        "INSERT INTO quotes (article, quote, text, kind, speaker, speaker_key, speaker_last, verb, neutral, channel, sort_date)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, coalesce(?11, '~'))",
    )?;
    let mut insert_about = transaction.prepare_cached(
        "INSERT OR IGNORE INTO quote_about (quote, name, name_key, last_key) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (quote_idx, (quote, keys)) in article.quotes.iter().zip(&rows.quotes).enumerate() {
        let (speaker_key, speaker_last) = match &keys.speaker {
            Some((key, last)) => (Some(key), Some(last)),
            None => (None, None),
        };
        insert_quote.execute(params![
            rowid,
            quote_idx as i64,
            quote.text,
            quote.kind.as_str(),
            quote.speaker.as_ref().map(|speaker| &speaker.name),
            speaker_key,
            speaker_last,
            quote.verb.as_ref().map(|verb| &verb.text),
            quote.verb.as_ref().map(|verb| verb.neutral),
            quote.channel,
            article.published,
        ])?;
        let quote_rowid = transaction.last_insert_rowid();
        for (name, key, last) in &keys.about {
            insert_about.execute(params![quote_rowid, name, key, last])?;
        }
    }

    transaction
        .prepare_cached("INSERT INTO search (rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![
            rowid,
            article.title.as_deref().unwrap_or(""),
            article.text
        ])?;

    // A story of one until the story engine places it.
    transaction
        .prepare_cached(&format!(
            "INSERT INTO stories (id, title, first_seen, last_seen, articles, duplicates, quotes, entities, listing)
             SELECT a.id, a.title, a.published, a.published, 1, 0, ?2, ?3, json_array({LISTED_ARTICLE})
             FROM articles a WHERE a.rowid = ?1"
        ))?
        .execute(params![rowid, article.quotes.len() as i64, rows.story_entities])?;
    outlets::add_story_of_one(transaction, &article.id, &rows.outlet)?;
    Ok(Added::Yes)
}

/// One article of a story's `listing` (a [`crate::views::StoryArticle`] as JSON), from the
/// articles row `a`; the listing is an array of these, earliest first.
pub(crate) const LISTED_ARTICLE: &str =
    "json_object('id', a.id, 'path', a.path, 'url', a.url, 'outlet', a.outlet,
     'title', a.title, 'published', a.published, 'duplicate_of', a.duplicate_of)";

/// Reads a column that holds one of the contract's words (an entity type, a quote kind), refusing
/// a word outside the set as a conversion failure instead of passing an unchecked string on.
pub(crate) fn contract_word<T>(
    row: &rusqlite::Row<'_>,
    idx: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let word = row.get_ref(idx)?.as_str()?;
    parse(word).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            format!("{word:?} is not a word of the article contract").into(),
        )
    })
}

/// How long a connection waits for another writer's lock before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Whether SQLite refused because another connection held a lock.
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Turns SQLite's refusals into the store's error naming the database file.
fn database_error(path: &str) -> impl Fn(rusqlite::Error) -> StoreError + Copy + '_ {
    move |source| StoreError::Database {
        path: path.to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering::Relaxed;

    #[test]
    fn a_log_past_its_size_is_copied_before_the_next_ingest_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let store = SqliteStore::open(&path).unwrap();
        store
            .connection
            .execute_batch("CREATE TABLE t (x BLOB); INSERT INTO t VALUES (zeroblob(200000));")
            .unwrap();
        let file_size = || std::fs::metadata(&path).unwrap().len();
        let before = file_size();
        // A log below its size stays where it is (50 pages, far below any threshold).
        store.begin_bulk_writes().unwrap();
        store.end_bulk_writes().unwrap();
        assert_eq!(file_size(), before);
        // As if the last commit had left the log past its size: it is copied now.
        store.wal.frames.store(u32::MAX, Relaxed);
        store.begin_bulk_writes().unwrap();
        assert!(file_size() >= before + 200_000, "the log was not copied");
        assert_eq!(store.wal.frames.load(Relaxed), 0);
    }

    #[test]
    fn a_large_corpus_lets_its_log_grow_to_an_eighth_of_it() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch("CREATE TABLE t (x BLOB); INSERT INTO t VALUES (zeroblob(400000));")
            .unwrap();
        let pages: u32 = connection
            .query_row("PRAGMA page_count", [], |row| row.get(0))
            .unwrap();
        assert_eq!(
            wal_threshold(&connection, 10),
            pages / WAL_SHARE_OF_DATABASE
        );
        assert_eq!(wal_threshold(&connection, 4096), 4096);
    }
}
