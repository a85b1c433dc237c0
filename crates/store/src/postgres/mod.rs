//! The PostgreSQL store: one corpus that many processes, on many machines, write and read at
//! once (`--db postgres://USER@HOST:PORT/DB`).
//!
//! It keeps the SQLite store's promises in PostgreSQL's terms. Every batch of articles and every
//! story update is one transaction, and a new article is a story of its own in the transaction
//! that stores it, so "every article belongs to exactly one story" holds between transactions.
//! Writers of articles run side by side (each takes a shared advisory lock); a story update takes
//! the same lock exclusively, so it reads, clusters and writes while no article is being added,
//! and two processes never cluster at once. The schema parallels SQLite's
//! (`crates/store/migrations/postgres/`), so the views, written in `views.rs`, give the same
//! answers; search translates the FTS5 syntax into a `tsquery` (`tsquery.rs`).
//!
//! The client is the blocking `postgres` crate, one connection per store, like one SQLite
//! connection per `SqliteStore`. It runs a small tokio runtime of its own, which may not be
//! started or stopped on an async thread, so opening and dropping happen on a thread of their own
//! here and callers need not care. Writing lives here; the read-only views are in `views.rs`.

mod budget;
mod migrations;
mod outlets;
mod scan;
mod stories;
mod tsquery;
mod views;

use std::cell::RefCell;
use std::collections::HashMap;

use ::postgres::types::ToSql;
use ::postgres::{Client, GenericClient, NoTls, Statement};

use newslens_contract::Article;

use crate::budget::ReadBudget;
use crate::fetch_log::FeedValidators;
use crate::open::redact_url;
use crate::record::{decompress_json, ArticleRecord, StoredArticle};
use crate::scan::{ArticleCursor, ArticlePage, ArticleScan, StoryPage};
use crate::store::{AddOutcome, Store, StoredKeys};
use crate::stories::StoryConfig;
use crate::views::{
    CorpusCounts, EntityReport, QuoteFilter, QuoteRecord, SearchHit, SearchQuery, StoryFilter,
    StorySummary,
};
use crate::{Result, StoreError};

/// The advisory lock that orders writers: adding articles takes it shared, a story update
/// exclusive (`pg_advisory_xact_lock`, released at the end of the transaction). The number is
/// arbitrary; it only has to be the same in every newslens ("nlstory" in ASCII).
const STORY_LOCK: i64 = 0x006e_6c73_746f_7279;

/// A corpus in a PostgreSQL database.
pub struct PostgresStore {
    /// The connection, behind a `RefCell` because the views take `&self` and the client wants
    /// `&mut` for every statement. `None` only while being dropped.
    client: RefCell<Option<Client>>,
    /// Statements prepared on this connection, by their SQL.
    statements: RefCell<HashMap<String, Statement>>,
    /// The URL without its password, for messages.
    url: String,
    /// The budget reads run under, while [`Store::read_within`] bounds them.
    budget_limit: Option<std::time::Duration>,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`, or any
    /// form the `postgres` crate reads) and brings its schema up to date. The database must
    /// exist; its tables are created on first use.
    pub fn open(url: &str) -> Result<PostgresStore> {
        let shown = redact_url(url);
        let wrap = |source| StoreError::Postgres {
            url: shown.clone(),
            source,
        };
        let config: ::postgres::Config = url.parse().map_err(wrap)?;
        // On a thread of its own: the client runs a tokio runtime, which panics on a thread
        // that already runs one (an async server's).
        let client = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let mut client = config.connect(NoTls).map_err(wrap)?;
                    migrations::migrate(&mut client, &shown)?;
                    // Corpora stored before the outlet aggregates get theirs now, once.
                    outlets::backfill(&mut client)
                        .and_then(|()| outlets::backfill_shared(&mut client))
                        .map_err(|failure| match failure {
                            Failure::Postgres(source) => wrap(source),
                            Failure::Invalid(message) => StoreError::Invalid {
                                url: shown.clone(),
                                message,
                            },
                            Failure::Store(error) => error,
                        })?;
                    Ok::<_, StoreError>(client)
                })
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })?;
        Ok(PostgresStore {
            client: RefCell::new(Some(client)),
            statements: RefCell::new(HashMap::new()),
            url: shown,
            budget_limit: None,
        })
    }

    /// The schema version of the open database (the newest refinery migration applied).
    pub fn schema_version(&self) -> Result<u32> {
        self.with_client(|client| {
            let version: i32 = client
                .query_one("SELECT max(version) FROM refinery_schema_history", &[])?
                .get(0);
            Ok(version as u32)
        })
    }

    /// Runs `work` with the connection, turning its errors into the store's.
    fn with_client<T>(
        &self,
        work: impl FnOnce(&mut Client) -> std::result::Result<T, ::postgres::Error>,
    ) -> Result<T> {
        let mut guard = self.client.borrow_mut();
        let client = guard.as_mut().ok_or_else(|| self.closed())?;
        work(client).map_err(|source| self.error(source))
    }

    /// Runs a view with the connection; the view maps its own errors.
    fn with_view<T>(&self, view: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
        let mut guard = self.client.borrow_mut();
        let client = guard.as_mut().ok_or_else(|| self.closed())?;
        view(client)
    }

    /// Runs write work with the connection, turning its failures into the store's errors.
    fn with_writes<T>(
        &self,
        work: impl FnOnce(&mut Client) -> std::result::Result<T, Failure>,
    ) -> Result<T> {
        let mut guard = self.client.borrow_mut();
        let client = guard.as_mut().ok_or_else(|| self.closed())?;
        work(client).map_err(|failure| self.failure(failure))
    }

    /// A statement prepared once per connection.
    fn prepared(
        &self,
        client: &mut impl GenericClient,
        sql: &str,
    ) -> std::result::Result<Statement, ::postgres::Error> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = client.prepare(sql)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    fn closed(&self) -> StoreError {
        StoreError::Unsupported {
            url: self.url.clone(),
            message: "the connection is closed".into(),
        }
    }

    fn failure(&self, failure: Failure) -> StoreError {
        match failure {
            Failure::Postgres(source) => self.error(source),
            Failure::Invalid(message) => StoreError::Invalid {
                url: self.url.clone(),
                message,
            },
            Failure::Store(error) => error,
        }
    }

    fn error(&self, source: ::postgres::Error) -> StoreError {
        if let (Some(limit), Some(&::postgres::error::SqlState::QUERY_CANCELED)) =
            (self.budget_limit, source.code())
        {
            return StoreError::OverBudget {
                path: self.url.clone(),
                limit,
            };
        }
        StoreError::Postgres {
            url: self.url.clone(),
            source,
        }
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        // Closing the connection runs the client's runtime, which may not happen on an async
        // thread: hand it to a thread of its own.
        if let Some(client) = self.client.get_mut().take() {
            let _ = std::thread::spawn(move || drop(client)).join();
        }
    }
}

/// What PostgreSQL said, with its detail and hint when it gave them (the `postgres` crate's own
/// message for a database error is only "db error").
pub(crate) fn describe(error: &::postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut text = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; hint: {hint}"));
            }
            text
        }
        None => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        }
    }
}

impl Store for PostgresStore {
    fn outlet_weeks(&self) -> Result<Vec<crate::outlets::SourceWeek>> {
        self.with_client(outlets::weeks)
    }

    fn outlet_top_speakers(
        &self,
        source: &str,
        limit: usize,
    ) -> Result<Vec<crate::outlets::TermCount>> {
        self.with_client(|client| outlets::top_speakers(client, source, limit))
    }

    fn outlet_speaker_counts(
        &self,
        source: &str,
        keys: &[String],
    ) -> Result<Vec<crate::outlets::TermCount>> {
        self.with_client(|client| outlets::speaker_counts(client, source, keys))
    }

    fn outlet_shared_top(
        &self,
        kind: crate::outlets::TermKind,
        source: &str,
        limit: usize,
    ) -> Result<Vec<crate::outlets::SharedTerm>> {
        self.with_client(|client| outlets::shared_top(client, kind, source, limit))
    }

    fn outlet_shared_counts(
        &self,
        kind: crate::outlets::TermKind,
        source: &str,
        keys: &[String],
    ) -> Result<Vec<crate::outlets::SharedTerm>> {
        self.with_client(|client| outlets::shared_counts(client, kind, source, keys))
    }

    fn outlet_stories(&self, source: &str) -> Result<Vec<crate::outlets::Coverage>> {
        self.with_client(|client| outlets::outlet_stories(client, source))
    }

    fn stories_reaching(
        &self,
        min_sources: usize,
        first: &str,
        last: &str,
    ) -> Result<Vec<crate::outlets::Coverage>> {
        self.with_client(|client| outlets::stories_reaching(client, min_sources, first, last))
    }

    fn add_articles(&mut self, batch: &[ArticleRecord]) -> Result<AddOutcome> {
        let mut guard = self.client.borrow_mut();
        let client = guard.as_mut().ok_or_else(|| self.closed())?;
        let outcome = (|| -> std::result::Result<AddOutcome, Failure> {
            let mut transaction = client.transaction()?;
            transaction.execute("SELECT pg_advisory_xact_lock_shared($1)", &[&STORY_LOCK])?;
            let mut outcome = AddOutcome::default();
            let mut outlet_tally = crate::outlets::BatchTally::default();
            for record in batch {
                match self.add_article(&mut transaction, record)? {
                    Added::Yes => {
                        outcome.added += 1;
                        outlet_tally.add(&record.rows.outlet);
                    }
                    Added::SameText => outcome.same_text += 1,
                    Added::SameUrl => outcome.same_url += 1,
                }
            }
            outlets::write_tally(&mut transaction, &outlet_tally)?;
            transaction.commit()?;
            Ok(outcome)
        })();
        outcome.map_err(|failure| self.failure(failure))
    }

    fn stored_keys(&self) -> Result<StoredKeys> {
        self.with_client(|client| {
            let mut keys = StoredKeys::default();
            for row in client.query("SELECT id, url FROM articles", &[])? {
                let id: &str = row.get(0);
                let url: Option<&str> = row.get(1);
                keys.insert(id, url);
            }
            Ok(keys)
        })
    }

    /// Each batch of unplaced articles is read, placed and written in one transaction holding
    /// the story lock exclusively: articles being added are committed first, articles added
    /// meanwhile wait, and another process's story update waits its turn.
    fn update_stories(&mut self, config: &StoryConfig) -> Result<CorpusCounts> {
        let url = self.url.clone();
        loop {
            let placed_some = self.with_writes(|client| {
                let mut transaction = client.transaction()?;
                transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&STORY_LOCK])?;
                let placed_some = stories::place_batch(&mut transaction, &url, config)?;
                transaction.commit()?;
                Ok(placed_some)
            })?;
            if !placed_some {
                break;
            }
        }
        self.counts()
    }

    fn rebuild_stories(&mut self, config: &StoryConfig) -> Result<CorpusCounts> {
        let url = self.url.clone();
        self.with_writes(|client| {
            let mut transaction = client.transaction()?;
            transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&STORY_LOCK])?;
            stories::rebuild(&mut transaction, &url, config)?;
            Ok(transaction.commit()?)
        })?;
        self.counts()
    }

    fn counts(&self) -> Result<CorpusCounts> {
        self.with_client(|client| {
            let row = client.query_one(
                "SELECT (SELECT count(*) FROM articles),
                        (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL),
                        (SELECT count(*) FROM stories),
                        (SELECT count(*) FROM quotes)",
                &[],
            )?;
            Ok(CorpusCounts {
                articles: row.get::<_, i64>(0) as usize,
                duplicates: row.get::<_, i64>(1) as usize,
                stories: row.get::<_, i64>(2) as usize,
                quotes: row.get::<_, i64>(3) as usize,
            })
        })
    }

    fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>> {
        self.with_view(|client| views::stories(self, client, filter))
    }

    fn story(&self, id: &str) -> Result<Option<StorySummary>> {
        self.with_view(|client| views::story(self, client, id))
    }

    fn article(&self, id: &str) -> Result<Option<StoredArticle>> {
        let row = self.with_client(|client| {
            // A unique prefix is enough; the exact id wins over longer ones (as on SQLite).
            let statement = self.prepared(
                client,
                "SELECT id FROM articles WHERE id >= $1 AND id < $1 || chr(1114111)
                 ORDER BY id LIMIT 2",
            )?;
            let matches: Vec<String> = client
                .query(&statement, &[&id])?
                .iter()
                .map(|row| row.get(0))
                .collect();
            let full = match matches.as_slice() {
                [only] => only.clone(),
                _ => match matches.iter().find(|candidate| candidate.as_str() == id) {
                    Some(exact) => exact.clone(),
                    None => return Ok(None),
                },
            };
            let statement = self.prepared(
                client,
                "SELECT id, json, story, duplicate_of FROM articles WHERE id = $1",
            )?;
            client
                .query_opt(&statement, &[&full])
                .map(|row| row.map(|row| article_row(&row)))
        })?;
        row.map(stored_article).transpose()
    }

    fn story_articles(&self, id: &str) -> Result<Vec<StoredArticle>> {
        let rows = self.with_client(|client| {
            let statement = self.prepared(
                client,
                "SELECT id, json, story, duplicate_of FROM articles WHERE story = $1
                 ORDER BY published IS NULL, published, id",
            )?;
            Ok(client
                .query(&statement, &[&id])?
                .iter()
                .map(article_row)
                .collect::<Vec<_>>())
        })?;
        rows.into_iter().map(stored_article).collect()
    }

    fn quotes(&self, filter: &QuoteFilter) -> Result<Vec<QuoteRecord>> {
        self.with_view(|client| views::quotes(self, client, filter))
    }

    fn entity(&self, name: &str, limit: Option<usize>) -> Result<EntityReport> {
        self.with_view(|client| views::entity(self, client, name, limit))
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        views::search(self, query)
    }

    fn scan_articles(
        &self,
        scan: &ArticleScan,
        after: Option<ArticleCursor>,
        limit: usize,
    ) -> Result<ArticlePage> {
        scan::articles(self, scan, after, limit)
    }

    fn scan_stories(&self, after: Option<&str>, limit: usize) -> Result<StoryPage> {
        scan::stories(self, after, limit)
    }

    fn check(&self) -> Result<Vec<String>> {
        let checks = [
            (
                "stories whose listing is out of step with their articles",
                "SELECT count(*) FROM stories s WHERE json_array_length(s.listing::json) !=
                 (SELECT count(*) FROM articles a WHERE a.story = s.id)",
            ),
            (
                "placed originals out of step with the story engine's count",
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM story_engine WHERE key = 'rebuild' AND value != 0)
                 THEN 0 ELSE (SELECT count(*) FROM articles WHERE placed AND duplicate_of IS NULL)
                      - (SELECT value FROM story_engine WHERE key = 'originals') END",
            ),
            (
                "quotes whose copy flag is out of step",
                "SELECT count(*) FROM quotes q JOIN articles a ON a.rowid = q.article
                 WHERE q.copy != (a.duplicate_of IS NOT NULL)",
            ),
        ];
        self.with_client(|client| {
            let mut problems = Vec::new();
            for (what, sql) in crate::store::CONSISTENCY_CHECKS
                .iter()
                .copied()
                .chain(checks)
            {
                let n: i64 = client.query_one(sql, &[])?.get(0);
                if n != 0 {
                    problems.push(format!("{what}: {n}"));
                }
            }
            Ok(problems)
        })
    }

    fn feed_validators(&self, url: &str) -> Result<Option<FeedValidators>> {
        self.with_client(|client| {
            let statement = self.prepared(
                client,
                "SELECT feed.etag, feed.last_modified, sitemap.listed_lastmod
                 FROM fetched_feeds AS feed
                 LEFT JOIN fetched_sitemaps AS sitemap ON sitemap.url = feed.url
                 WHERE feed.url = $1",
            )?;
            Ok(client
                .query_opt(&statement, &[&url])?
                .map(|row| FeedValidators {
                    url: url.to_string(),
                    etag: row.get(0),
                    last_modified: row.get(1),
                    listed_lastmod: row.get(2),
                }))
        })
    }

    fn is_page_known(&self, url: &str) -> Result<bool> {
        self.with_client(|client| {
            let statement = self.prepared(
                client,
                "SELECT EXISTS (SELECT 1 FROM fetched_pages WHERE url = $1)
                     OR EXISTS (SELECT 1 FROM articles WHERE url = $1)",
            )?;
            Ok(client.query_one(&statement, &[&url])?.get(0))
        })
    }

    fn write_fetch_log(
        &mut self,
        feeds: &[FeedValidators],
        pages: &[String],
        when: &str,
    ) -> Result<()> {
        self.with_client(|client| {
            let mut transaction = client.transaction()?;
            let feed_row = transaction.prepare(
                "INSERT INTO fetched_feeds (url, etag, last_modified, checked_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (url) DO UPDATE SET etag = EXCLUDED.etag,
                     last_modified = EXCLUDED.last_modified, checked_at = EXCLUDED.checked_at",
            )?;
            for feed in feeds {
                transaction.execute(
                    &feed_row,
                    &[&feed.url, &feed.etag, &feed.last_modified, &when],
                )?;
                match &feed.listed_lastmod {
                    Some(lastmod) => transaction.execute(
                        "INSERT INTO fetched_sitemaps (url, listed_lastmod) VALUES ($1, $2)
                         ON CONFLICT (url) DO UPDATE SET listed_lastmod = EXCLUDED.listed_lastmod",
                        &[&feed.url, lastmod],
                    ),
                    None => transaction
                        .execute("DELETE FROM fetched_sitemaps WHERE url = $1", &[&feed.url]),
                }?;
            }
            transaction.execute(
                "INSERT INTO fetched_pages (url, fetched_at)
                 SELECT url, $2 FROM unnest($1::text[]) AS url ON CONFLICT (url) DO NOTHING",
                &[&pages, &when],
            )?;
            transaction.commit()
        })
    }

    fn read_within(&mut self, budget: &ReadBudget, work: &mut dyn FnMut(&dyn Store)) {
        self.within_budget(budget, |store| work(store))
    }
}

/// An article row read back: `id`, `json` (decompressed, or why not), `story`, `duplicate_of`.
type ArticleRow = (
    String,
    std::result::Result<String, String>,
    String,
    Option<String>,
);

fn article_row(row: &::postgres::Row) -> ArticleRow {
    let json: &[u8] = row.get(1);
    (row.get(0), decompress_json(json), row.get(2), row.get(3))
}

fn stored_article((article_id, json, story, duplicate_of): ArticleRow) -> Result<StoredArticle> {
    let json = json.map_err(|message| StoreError::Json {
        id: article_id.clone(),
        source: <serde_json::Error as serde::de::Error>::custom(message),
    })?;
    let article: Article = serde_json::from_str(&json).map_err(|source| StoreError::Json {
        id: article_id.clone(),
        source,
    })?;
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

impl PostgresStore {
    /// Stores one article with its entities, quotes, search row and story of one; skips it when
    /// its id or URL is stored. `ON CONFLICT DO NOTHING` rather than a look first: another
    /// process may store the same article between the look and the insert.
    fn add_article(
        &self,
        transaction: &mut ::postgres::Transaction<'_>,
        record: &ArticleRecord,
    ) -> std::result::Result<Added, Failure> {
        let article = &record.article;
        let rows = &record.rows;
        // A contract serde could not write fails the batch, naming the article (as on SQLite).
        let Some(json) = rows.json.as_ref() else {
            return Err(Failure::Invalid(format!(
                "article {} cannot be written as JSON",
                article.id
            )));
        };
        let insert = self.prepared(
            transaction,
            "INSERT INTO articles (id, url, path, outlet, title, published, tone, story, terms, minhash, json, placed, outlet_source)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $1, $8, $9, $10, false, $11)
             ON CONFLICT DO NOTHING RETURNING rowid",
        )?;
        let tone = article.tone.as_ref().map(|tone| tone.tone);
        let inserted = transaction.query_opt(
            &insert,
            &[
                &article.id,
                &article.source.url,
                &article.source.path,
                &article.source.outlet,
                &article.title,
                &article.published,
                &tone,
                &rows.terms,
                &rows.minhash,
                json,
                &rows.outlet.source,
            ],
        )?;
        let Some(inserted) = inserted else {
            let same_text = self.prepared(transaction, "SELECT 1 FROM articles WHERE id = $1")?;
            return Ok(
                if transaction.query_opt(&same_text, &[&article.id])?.is_some() {
                    Added::SameText
                } else {
                    Added::SameUrl
                },
            );
        };
        let rowid: i64 = inserted.get(0);

        // Entities, quotes and what the quotes are about go in one statement each, as arrays.
        let n_entities = article.entities.len().min(rows.entities.len());
        let entity_idx: Vec<i64> = (0..n_entities as i64).collect();
        let names: Vec<&str> = article.entities[..n_entities]
            .iter()
            .map(|entity| entity.name.as_str())
            .collect();
        let keys: Vec<&str> = rows.entities[..n_entities]
            .iter()
            .map(|keys| keys.key.as_str())
            .collect();
        let lasts: Vec<&str> = rows.entities[..n_entities]
            .iter()
            .map(|keys| keys.last.as_str())
            .collect();
        let types: Vec<&str> = article.entities[..n_entities]
            .iter()
            .map(|entity| entity.entity_type.as_str())
            .collect();
        let mentions: Vec<i64> = article.entities[..n_entities]
            .iter()
            .map(|entity| entity.mentions.len() as i64)
            .collect();
        let named: Vec<bool> = rows.entities[..n_entities]
            .iter()
            .map(|keys| keys.named)
            .collect();
        if n_entities > 0 {
            let insert_entities = self.prepared(
                transaction,
                "INSERT INTO entities (article, entity, name, name_key, last_key, type, mentions, named)
                 SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[],
                                          $6::text[], $7::bigint[], $8::bool[])",
            )?;
            transaction.execute(
                &insert_entities,
                &[
                    &rowid,
                    &entity_idx,
                    &names,
                    &keys,
                    &lasts,
                    &types,
                    &mentions,
                    &named,
                ],
            )?;
        }

        let n_quotes = article.quotes.len().min(rows.quotes.len());
        if n_quotes > 0 {
            let quotes = &article.quotes[..n_quotes];
            let quote_idx: Vec<i64> = (0..n_quotes as i64).collect();
            let texts: Vec<&str> = quotes.iter().map(|quote| quote.text.as_str()).collect();
            let kinds: Vec<&str> = quotes.iter().map(|quote| quote.kind.as_str()).collect();
            let speakers: Vec<Option<&str>> = quotes
                .iter()
                .map(|quote| quote.speaker.as_ref().map(|speaker| speaker.name.as_str()))
                .collect();
            let speaker_keys: Vec<Option<&str>> = rows.quotes[..n_quotes]
                .iter()
                .map(|keys| keys.speaker.as_ref().map(|(key, _)| key.as_str()))
                .collect();
            let speaker_lasts: Vec<Option<&str>> = rows.quotes[..n_quotes]
                .iter()
                .map(|keys| keys.speaker.as_ref().map(|(_, last)| last.as_str()))
                .collect();
            let verbs: Vec<Option<&str>> = quotes
                .iter()
                .map(|quote| quote.verb.as_ref().map(|verb| verb.text.as_str()))
                .collect();
            let neutral: Vec<Option<bool>> = quotes
                .iter()
                .map(|quote| quote.verb.as_ref().map(|verb| verb.neutral))
                .collect();
            let channels: Vec<Option<&str>> = quotes
                .iter()
                .map(|quote| quote.channel.as_deref())
                .collect();
            let insert_quotes = self.prepared(
                transaction,
                "INSERT INTO quotes (article, quote, text, kind, speaker, speaker_key, speaker_last,
                                     verb, neutral, channel, sort_date)
                 SELECT $1, q.*, coalesce($11::text, '~')
                 FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
                             $7::text[], $8::text[], $9::bool[], $10::text[]) AS q
                 RETURNING quote, rowid",
            )?;
            let quote_rows: HashMap<i64, i64> = transaction
                .query(
                    &insert_quotes,
                    &[
                        &rowid,
                        &quote_idx,
                        &texts,
                        &kinds,
                        &speakers,
                        &speaker_keys,
                        &speaker_lasts,
                        &verbs,
                        &neutral,
                        &channels,
                        &article.published,
                    ],
                )?
                .iter()
                .map(|row| (row.get(0), row.get(1)))
                .collect();
            let mut about_quote: Vec<i64> = Vec::new();
            let mut about_name: Vec<&str> = Vec::new();
            let mut about_key: Vec<&str> = Vec::new();
            let mut about_last: Vec<&str> = Vec::new();
            for (quote_idx, keys) in rows.quotes[..n_quotes].iter().enumerate() {
                let Some(&quote_rowid) = quote_rows.get(&(quote_idx as i64)) else {
                    continue;
                };
                for (name, key, last) in &keys.about {
                    about_quote.push(quote_rowid);
                    about_name.push(name);
                    about_key.push(key);
                    about_last.push(last);
                }
            }
            if !about_quote.is_empty() {
                let insert_about = self.prepared(
                    transaction,
                    "INSERT INTO quote_about (quote, name, name_key, last_key)
                     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
                     ON CONFLICT DO NOTHING",
                )?;
                transaction.execute(
                    &insert_about,
                    &[&about_quote, &about_name, &about_key, &about_last],
                )?;
            }
        }

        let insert_search = self.prepared(
            transaction,
            "INSERT INTO search (article, title, text) VALUES ($1, $2, $3)",
        )?;
        transaction.execute(
            &insert_search,
            &[
                &rowid,
                &article.title.as_deref().unwrap_or(""),
                &article.text,
            ],
        )?;

        // A story of one until the story engine places it.
        let insert_story = self.prepared(
            transaction,
            &format!(
                "INSERT INTO stories (id, title, first_seen, last_seen, articles, duplicates, quotes, entities, listing)
                 SELECT a.id, a.title, a.published, a.published, 1, 0, $2, $3, json_build_array({LISTED_ARTICLE})::text
                 FROM articles a WHERE a.rowid = $1"
            ),
        )?;
        transaction.execute(
            &insert_story,
            &[&rowid, &(article.quotes.len() as i64), &rows.story_entities],
        )?;
        outlets::add_story_of_one(transaction, &article.id, &rows.outlet)?;
        Ok(Added::Yes)
    }
}

/// One article of a story's `listing` (a [`crate::views::StoryArticle`] as JSON), from the
/// articles row `a`, as SQLite's `LISTED_ARTICLE`.
const LISTED_ARTICLE: &str =
    "json_build_object('id', a.id, 'path', a.path, 'url', a.url, 'outlet', a.outlet,
     'title', a.title, 'published', a.published, 'duplicate_of', a.duplicate_of)";

/// Why a write stopped: PostgreSQL refused, or the store refused a value.
pub(crate) enum Failure {
    Postgres(::postgres::Error),
    Invalid(String),
    /// An error already in the store's terms (from the story engine).
    Store(StoreError),
}

impl From<::postgres::Error> for Failure {
    fn from(error: ::postgres::Error) -> Failure {
        Failure::Postgres(error)
    }
}

/// Parameters of a statement built at run time, numbered `$1`, `$2`… as pushed.
#[derive(Default)]
pub(crate) struct Params<'a> {
    values: Vec<&'a (dyn ToSql + Sync)>,
}

impl<'a> Params<'a> {
    /// Adds a value and returns its placeholder.
    pub(crate) fn push(&mut self, value: &'a (dyn ToSql + Sync)) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    pub(crate) fn as_slice(&self) -> &[&'a (dyn ToSql + Sync)] {
        &self.values
    }
}
