//! The incremental story engine's tables in SQLite: [`StoryState`] read inside the write
//! transaction that then applies the engine's [`Changes`], and the story summaries of the stories
//! that changed rewritten.
//!
//! Schema: `migrations/0007_incremental_stories.sql`.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension, Transaction};

use newslens_contract::EntityType;

use crate::features::{
    day_number, decode_minhash, decode_terms, posting_bucket, StoryFeatures, UNDATED_BUCKET,
};
use crate::stories::incremental::{self, buckets_within, Changes, Placed, Posting, StoryState};
use crate::stories::{StoryConfig, StoryInput};
use crate::story_entities::{top_entities, ArticleEntity, STORY_ENTITIES};
use crate::views::StoryEventRecord;
use crate::StoreError;

use super::{contract_word, LISTED_ARTICLE};

/// Document frequencies read before, kept by a store handle between batches: a long-running
/// writer (a `follow`, the server, a bench) would otherwise look the same terms up again for every
/// batch. It is valid while this handle is the only writer: when the count of placed originals is
/// not the one this handle left, another writer has placed articles, and the cache is emptied.
#[derive(Debug, Default)]
pub(crate) struct DfCache {
    /// The `originals` counter the entries go with.
    originals: Option<i64>,
    df: foldhash::HashMap<u32, u32>,
}

/// Most terms a [`DfCache`] holds before it starts again (about 20 bytes each).
const DF_CACHE_TERMS: usize = 1_000_000;

impl DfCache {
    /// Empties the cache unless it goes with `originals`.
    fn check(&mut self, originals: i64) {
        if self.originals != Some(originals) || self.df.len() > DF_CACHE_TERMS {
            self.df.clear();
            self.originals = Some(originals);
        }
    }
}

/// The engine's view of the database, inside one write transaction.
pub(super) struct SqliteStoryState<'a, 't> {
    pub transaction: &'a Transaction<'t>,
    pub path: &'a str,
    pub cache: &'a mut DfCache,
}

impl SqliteStoryState<'_, '_> {
    /// The stored posting buckets that can hold an article dated within `days` (every stored
    /// bucket when `None`), the undated articles' bucket included when it holds any.
    fn posting_buckets(&mut self, days: Option<(i32, i32)>) -> crate::Result<Vec<i64>> {
        let (first, last): (Option<i64>, Option<i64>) = self
            .transaction
            .prepare_cached(
                "SELECT (SELECT min(bucket) FROM story_postings WHERE bucket > ?1),
                        (SELECT max(bucket) FROM story_postings)",
            )
            .and_then(|mut statement| {
                statement.query_row([UNDATED_BUCKET], |row| Ok((row.get(0)?, row.get(1)?)))
            })
            .map_err(|e| self.wrap(e))?;
        let any_undated: bool = self
            .transaction
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM story_postings WHERE bucket = ?1)")
            .and_then(|mut statement| statement.query_row([UNDATED_BUCKET], |row| row.get(0)))
            .map_err(|e| self.wrap(e))?;
        Ok(buckets_within(first, last, days, any_undated))
    }

    fn wrap(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Database {
            path: self.path.to_string(),
            source,
        }
    }

    fn read_placed(&self, sql: &str, arg: &dyn rusqlite::ToSql) -> crate::Result<Vec<Placed>> {
        let mut statement = self
            .transaction
            .prepare_cached(sql)
            .map_err(|e| self.wrap(e))?;
        let rows = statement
            .query_map([arg], placed_row)
            .map_err(|e| self.wrap(e))?;
        rows.collect::<rusqlite::Result<Vec<Placed>>>()
            .map_err(|e| self.wrap(e))
    }
}

/// The columns [`placed_row`] reads, in order.
const PLACED_COLUMNS: &str = "id, published, terms, minhash, story, duplicate_of, placed";

fn placed_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Placed> {
    let published: Option<String> = row.get(1)?;
    let terms: Vec<u8> = row.get(2)?;
    let minhash: Vec<u8> = row.get(3)?;
    Ok(Placed {
        input: StoryInput {
            article: row.get(0)?,
            features: StoryFeatures {
                terms: decode_terms(&terms),
                minhash: decode_minhash(&minhash),
                day: published.as_deref().and_then(day_number),
            },
            published,
        },
        story: row.get(4)?,
        duplicate_of: row.get(5)?,
        placed: row.get(6)?,
    })
}

impl StoryState for SqliteStoryState<'_, '_> {
    fn unplaced(&mut self, limit: usize) -> crate::Result<Vec<Placed>> {
        self.read_placed(
            &format!(
                "SELECT {PLACED_COLUMNS} FROM articles WHERE placed = 0 ORDER BY rowid LIMIT ?1"
            ),
            &(limit as i64),
        )
    }

    fn frequencies(&mut self, terms: &[u32]) -> crate::Result<(u32, Vec<u32>)> {
        let documents = engine_counter(self.transaction, "originals").map_err(|e| self.wrap(e))?;
        self.cache.check(documents);
        let mut statement = self
            .transaction
            .prepare_cached("SELECT df FROM term_df WHERE term = ?1")
            .map_err(|e| self.wrap(e))?;
        let mut df = Vec::with_capacity(terms.len());
        for &term in terms {
            if let Some(&known) = self.cache.df.get(&term) {
                df.push(known);
                continue;
            }
            let found: Option<i64> = statement
                .query_row([term as i64], |row| row.get(0))
                .optional()
                .map_err(|e| self.wrap(e))?;
            let found = found.unwrap_or(0) as u32;
            self.cache.df.insert(term, found);
            df.push(found);
        }
        Ok((documents as u32, df))
    }

    fn posted(&mut self, terms: &[u32], days: Option<(i32, i32)>) -> crate::Result<Vec<Posting>> {
        let buckets = self.posting_buckets(days)?;
        let mut terms = terms.to_vec();
        terms.sort_unstable();
        let mut statement = self
            .transaction
            .prepare_cached(
                "SELECT a.id, p.day FROM story_postings p JOIN articles a ON a.rowid = p.article
                 WHERE p.bucket = ?1 AND p.term = ?2",
            )
            .map_err(|e| self.wrap(e))?;
        let mut found = Vec::new();
        // Bucket by bucket, terms in order: each bucket's pages are walked once, front to back.
        for &bucket in &buckets {
            for &term in &terms {
                let rows = statement
                    .query_map(params![bucket, term as i64], |row| {
                        Ok(Posting {
                            term,
                            article: row.get(0)?,
                            day: row.get(1)?,
                        })
                    })
                    .map_err(|e| self.wrap(e))?;
                for posting in rows {
                    found.push(posting.map_err(|e| self.wrap(e))?);
                }
            }
        }
        Ok(found)
    }

    fn banded(&mut self, bands: &[u64], per_band: usize) -> crate::Result<Vec<String>> {
        let mut statement = self
            .transaction
            .prepare_cached(
                "SELECT a.id FROM copy_bands b JOIN articles a ON a.rowid = b.article
                 WHERE b.band = ?1 LIMIT ?2",
            )
            .map_err(|e| self.wrap(e))?;
        let mut found = Vec::new();
        for &band in bands {
            let rows = statement
                .query_map(params![band as i64, per_band as i64], |row| row.get(0))
                .map_err(|e| self.wrap(e))?;
            for id in rows {
                found.push(id.map_err(|e| self.wrap(e))?);
            }
        }
        found.sort_unstable();
        found.dedup();
        Ok(found)
    }

    fn placed(&mut self, articles: &[String]) -> crate::Result<Vec<Placed>> {
        let sql = format!("SELECT {PLACED_COLUMNS} FROM articles WHERE id = ?1 AND placed = 1");
        let mut found = Vec::with_capacity(articles.len());
        for id in articles {
            found.extend(self.read_placed(&sql, id)?);
        }
        Ok(found)
    }

    fn members(&mut self, stories: &[String], per_story: usize) -> crate::Result<Vec<String>> {
        let mut statement = self
            .transaction
            .prepare_cached(
                "SELECT id FROM articles
                 WHERE story = ?1 AND duplicate_of IS NULL AND placed = 1
                 ORDER BY published IS NULL, published DESC, rowid DESC LIMIT ?2",
            )
            .map_err(|e| self.wrap(e))?;
        let mut found = Vec::new();
        for story in stories {
            let rows = statement
                .query_map(params![story, per_story as i64], |row| row.get(0))
                .map_err(|e| self.wrap(e))?;
            for id in rows {
                found.push(id.map_err(|e| self.wrap(e))?);
            }
        }
        Ok(found)
    }

    fn story_ids_in_use(&mut self, ids: &[String]) -> crate::Result<HashSet<String>> {
        let mut statement = self
            .transaction
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM stories WHERE id = ?1)
                     OR EXISTS (SELECT 1 FROM story_aliases WHERE old = ?1)",
            )
            .map_err(|e| self.wrap(e))?;
        let mut in_use = HashSet::new();
        for id in ids {
            let used: bool = statement
                .query_row([id], |row| row.get(0))
                .map_err(|e| self.wrap(e))?;
            if used {
                in_use.insert(id.clone());
            }
        }
        Ok(in_use)
    }
}

/// A counter of the `story_engine` table (0 when missing).
fn engine_counter(transaction: &Transaction<'_>, key: &str) -> rusqlite::Result<i64> {
    Ok(transaction
        .prepare_cached("SELECT value FROM story_engine WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()?
        .unwrap_or(0))
}

fn set_engine_counter(
    transaction: &Transaction<'_>,
    key: &str,
    value: i64,
) -> rusqlite::Result<()> {
    transaction
        .prepare_cached("INSERT OR REPLACE INTO story_engine (key, value) VALUES (?1, ?2)")?
        .execute(params![key, value])?;
    Ok(())
}

/// Places up to one batch of unplaced articles; `false` when none was waiting.
pub(super) fn place_batch(
    transaction: &Transaction<'_>,
    path: &str,
    config: &StoryConfig,
    cache: &mut DfCache,
) -> crate::Result<bool> {
    let wrap = |source| StoreError::Database {
        path: path.to_string(),
        source,
    };
    let waiting: i64 = transaction
        .prepare_cached("SELECT count(*) FROM articles WHERE placed = 0")
        .and_then(|mut statement| statement.query_row([], |row| row.get(0)))
        .map_err(wrap)?;
    let originals = engine_counter(transaction, "originals").map_err(wrap)?;
    if engine_counter(transaction, "rebuild").map_err(wrap)? != 0
        || incremental::rebuild_is_cheaper(waiting as u64, originals as u64)
    {
        rebuild(transaction, path, config, cache)?;
        return Ok(true);
    }
    let mut state = SqliteStoryState {
        transaction,
        path,
        cache,
    };
    let changes = incremental::place(&mut state, config)?;
    if changes.is_empty() {
        return Ok(false);
    }
    apply(transaction, &changes, cache).map_err(wrap)?;
    Ok(true)
}

/// Re-clusters every article with the batch engine, keeping story ids where stories survive,
/// and rebuilds the engine's tables.
pub(super) fn rebuild(
    transaction: &Transaction<'_>,
    path: &str,
    config: &StoryConfig,
    cache: &mut DfCache,
) -> crate::Result<()> {
    let wrap = |source| StoreError::Database {
        path: path.to_string(),
        source,
    };
    let articles: Vec<Placed> = {
        let mut statement = transaction
            .prepare(&format!(
                "SELECT {PLACED_COLUMNS} FROM articles ORDER BY rowid"
            ))
            .map_err(wrap)?;
        let rows = statement.query_map([], placed_row).map_err(wrap)?;
        rows.collect::<rusqlite::Result<Vec<Placed>>>()
            .map_err(wrap)?
    };
    cache.df.clear();
    cache.originals = None;
    let mut state = SqliteStoryState {
        transaction,
        path,
        cache,
    };
    let (changes, frequencies) = incremental::rebuild(&mut state, &articles, config)?;
    transaction
        .execute_batch(
            "DELETE FROM term_df; DELETE FROM story_postings; DELETE FROM copy_bands;
             UPDATE articles SET placed = 1 WHERE placed = 0;",
        )
        .map_err(wrap)?;
    {
        let mut insert = transaction
            .prepare("INSERT INTO term_df (term, df) VALUES (?1, ?2)")
            .map_err(wrap)?;
        let mut terms: Vec<(&u32, &u32)> = frequencies.df.iter().collect();
        terms.sort_unstable();
        for (term, df) in terms {
            insert
                .execute(params![*term as i64, *df as i64])
                .map_err(wrap)?;
        }
    }
    set_engine_counter(transaction, "originals", frequencies.documents as i64).map_err(wrap)?;
    set_engine_counter(transaction, "rebuild", 0).map_err(wrap)?;
    apply_without_counts(transaction, &changes).map_err(wrap)?;
    refresh_stories(transaction, None).map_err(wrap)
}

/// Writes one placement batch's changes, and keeps `cache` in step with them.
fn apply(
    transaction: &Transaction<'_>,
    changes: &Changes,
    cache: &mut DfCache,
) -> rusqlite::Result<()> {
    {
        // One upsert per distinct term of the batch, in term order: a batch of 100 originals
        // holds some 50,000 terms but far fewer distinct ones, and ordered keys walk the b-tree
        // page by page instead of at random.
        let mut originals = 0;
        let mut increments: foldhash::HashMap<u32, u32> = foldhash::HashMap::default();
        for indexed in &changes.indexed {
            if indexed.terms.is_empty() {
                continue;
            }
            originals += 1;
            for &term in &indexed.terms {
                *increments.entry(term).or_default() += 1;
            }
        }
        let mut increments: Vec<(u32, u32)> = increments.into_iter().collect();
        increments.sort_unstable();
        let mut upsert = transaction.prepare_cached(
            "INSERT INTO term_df (term, df) VALUES (?1, ?2)
             ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
        )?;
        for (term, increment) in increments {
            upsert.execute(params![term as i64, increment as i64])?;
            if let Some(df) = cache.df.get_mut(&term) {
                *df += increment;
            }
        }
        let total = engine_counter(transaction, "originals")? + originals;
        set_engine_counter(transaction, "originals", total)?;
        if cache.originals.is_some() {
            cache.originals = Some(total);
        }
    }
    apply_without_counts(transaction, changes)?;
    let touched: Vec<String> = changes.touched.iter().cloned().collect();
    refresh_stories(transaction, Some(&touched))
}

/// Everything of [`apply`] but the document frequencies and the summaries.
fn apply_without_counts(transaction: &Transaction<'_>, changes: &Changes) -> rusqlite::Result<()> {
    for (from, into) in &changes.merges {
        transaction
            .prepare_cached("UPDATE articles SET story = ?2 WHERE story = ?1")?
            .execute(params![from, into])?;
        transaction
            .prepare_cached("UPDATE story_aliases SET story = ?2 WHERE story = ?1")?
            .execute(params![from, into])?;
        transaction
            .prepare_cached("INSERT OR REPLACE INTO story_aliases (old, story) VALUES (?1, ?2)")?
            .execute(params![from, into])?;
    }
    for placement in &changes.placements {
        transaction
            .prepare_cached(
                "UPDATE articles SET story = ?2, duplicate_of = ?3, placed = 1 WHERE id = ?1",
            )?
            .execute(params![
                placement.article,
                placement.story,
                placement.duplicate_of
            ])?;
        transaction
            .prepare_cached(
                "UPDATE quotes SET copy = ?2
                 WHERE article = (SELECT rowid FROM articles WHERE id = ?1) AND copy != ?2",
            )?
            .execute(params![placement.article, placement.duplicate_of.is_some()])?;
        if placement.duplicate_of.is_none() {
            // Its near-copies follow it.
            transaction
                .prepare_cached(
                    "UPDATE articles SET story = ?2 WHERE duplicate_of = ?1 AND story != ?2",
                )?
                .execute(params![placement.article, placement.story])?;
        }
    }
    for indexed in &changes.indexed {
        let rowid: i64 = transaction
            .prepare_cached("SELECT rowid FROM articles WHERE id = ?1")?
            .query_row([&indexed.article], |row| row.get(0))?;
        transaction
            .prepare_cached("UPDATE articles SET placed = 1 WHERE rowid = ?1 AND placed = 0")?
            .execute([rowid])?;
        let mut posting = transaction.prepare_cached(
            "INSERT OR IGNORE INTO story_postings (bucket, term, article, day)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        let bucket = posting_bucket(indexed.day);
        for &term in &indexed.key_terms {
            posting.execute(params![bucket, term as i64, rowid, indexed.day])?;
        }
        let mut band = transaction
            .prepare_cached("INSERT OR IGNORE INTO copy_bands (band, article) VALUES (?1, ?2)")?;
        for &key in &indexed.bands {
            band.execute(params![key as i64, rowid])?;
        }
    }
    for event in &changes.events {
        transaction
            .prepare_cached(
                "INSERT INTO story_events (kind, story, other, articles) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                event.kind.as_str(),
                event.story,
                event.other,
                event.articles as i64
            ])?;
    }
    // A story that holds articles again under an id once merged away is no alias any more.
    for story in &changes.touched {
        transaction
            .prepare_cached(
                "DELETE FROM story_aliases
                 WHERE old = ?1 AND EXISTS (SELECT 1 FROM articles WHERE story = ?1)",
            )?
            .execute([story])?;
    }
    Ok(())
}

/// Rewrites the summaries of the given stories (all when `None`) from their articles; a story
/// with no article left loses its row.
pub(super) fn refresh_stories(
    transaction: &Transaction<'_>,
    stories: Option<&[String]>,
) -> rusqlite::Result<()> {
    let filter = match stories {
        Some(ids) => {
            transaction.execute_batch(
                "CREATE TEMP TABLE IF NOT EXISTS touched_stories (id TEXT PRIMARY KEY);
                 DELETE FROM temp.touched_stories;",
            )?;
            let mut insert = transaction
                .prepare_cached("INSERT OR IGNORE INTO temp.touched_stories (id) VALUES (?1)")?;
            for id in ids {
                insert.execute([id])?;
            }
            "IN (SELECT id FROM temp.touched_stories)"
        }
        None => "IS NOT NULL",
    };
    transaction.execute_batch(&format!(
        "DELETE FROM stories WHERE id {filter};
         INSERT INTO stories (id, title, first_seen, last_seen, articles, duplicates, quotes, entities, listing)
         SELECT a.story,
                coalesce((SELECT s.title FROM articles s WHERE s.id = a.story AND s.story = a.story),
                         (SELECT s.title FROM articles s WHERE s.story = a.story AND s.title IS NOT NULL
                          ORDER BY s.published IS NULL, s.published, s.id LIMIT 1)),
                min(a.published), max(a.published),
                sum(a.duplicate_of IS NULL), sum(a.duplicate_of IS NOT NULL),
                coalesce(sum((SELECT count(*) FROM quotes q WHERE q.article = a.rowid) * (a.duplicate_of IS NULL)), 0),
                '[]',
                json_group_array({LISTED_ARTICLE} ORDER BY a.published IS NULL, a.published, a.id)
         FROM articles a WHERE a.story {filter} GROUP BY a.story;",
    ))?;
    // Top entities, among original articles (story_entities.rs).
    let mut statement = transaction.prepare(&format!(
        "SELECT a.story, e.article, e.name, e.type, e.mentions
         FROM articles a JOIN entities e ON e.article = a.rowid
         WHERE a.story {filter} AND a.duplicate_of IS NULL AND e.named
         ORDER BY a.story"
    ))?;
    let mut update = transaction.prepare("UPDATE stories SET entities = ?2 WHERE id = ?1")?;
    let mut write = |story: &str, entities: &[ArticleEntity]| -> rusqlite::Result<()> {
        let counts = top_entities(entities, STORY_ENTITIES);
        let json = serde_json::to_string(&counts).unwrap_or_else(|_| "[]".into());
        update.execute(params![story, json]).map(|_| ())
    };
    let mut rows = statement.query([])?;
    let mut story = String::new();
    let mut entities: Vec<ArticleEntity> = Vec::new();
    while let Some(row) = rows.next()? {
        let row_story: String = row.get(0)?;
        if row_story != story {
            if !entities.is_empty() {
                write(&story, &entities)?;
            }
            entities.clear();
            story = row_story;
        }
        entities.push(ArticleEntity {
            article: row.get(1)?,
            name: row.get(2)?,
            entity_type: contract_word(row, 3, EntityType::from_name)?,
            mentions: row.get::<_, i64>(4)? as usize,
        });
    }
    if !entities.is_empty() {
        write(&story, &entities)?;
    }
    // Which sources covered each story, for the outlet profiles.
    super::outlets::refresh_story_sources(transaction, filter)
}

/// The merges and splits a story took part in, oldest first.
pub(super) fn story_events(
    connection: &rusqlite::Connection,
    story: &str,
) -> rusqlite::Result<Vec<StoryEventRecord>> {
    let mut statement = connection.prepare_cached(
        "SELECT at, kind, story, other, articles FROM story_events
         WHERE story = ?1 OR other = ?1 ORDER BY rowid",
    )?;
    let rows = statement.query_map([story], |row| {
        Ok(StoryEventRecord {
            at: row.get(0)?,
            kind: contract_word(row, 1, incremental::EventKind::from_name)?,
            story: row.get(2)?,
            other: row.get(3)?,
            articles: row.get::<_, i64>(4)? as usize,
        })
    })?;
    rows.collect()
}

/// The story a merged-away id leads to now.
pub(super) fn alias_of(
    connection: &rusqlite::Connection,
    id: &str,
) -> rusqlite::Result<Option<String>> {
    connection
        .prepare_cached("SELECT story FROM story_aliases WHERE old = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()
}
