//! The incremental story engine's tables in PostgreSQL: [`StoryState`] read inside the write
//! transaction that then applies the engine's [`Changes`], and the summaries of the stories that
//! changed rewritten. The SQLite store's `sqlite/stories.rs` in PostgreSQL's SQL, statement for
//! statement, except that lookups of many keys are one statement over an array (`unnest … WITH
//! ORDINALITY`, answering in the order SQLite's loop would) instead of one per key.
//!
//! Schema: `migrations/postgres/V3__incremental_stories.sql`. The caller holds the story lock
//! exclusively for the transaction (`mod.rs`), so no other process places articles meanwhile.

use std::collections::HashSet;

use postgres::Transaction;

use newslens_contract::EntityType;

use super::{Failure, LISTED_ARTICLE};
use crate::features::{
    day_number, decode_minhash, decode_terms, posting_bucket, StoryFeatures, UNDATED_BUCKET,
};
use crate::stories::incremental::{self, buckets_within, Changes, Placed, Posting, StoryState};
use crate::stories::{StoryConfig, StoryInput};
use crate::story_entities::{top_entities, ArticleEntity, STORY_ENTITIES};
use crate::views::StoryEventRecord;
use crate::StoreError;

/// The engine's view of the database, inside one write transaction.
pub(super) struct PostgresStoryState<'a, 't> {
    pub transaction: &'a mut Transaction<'t>,
    pub url: &'a str,
}

type PgResult<T> = std::result::Result<T, postgres::Error>;

impl PostgresStoryState<'_, '_> {
    fn wrap(&self, source: postgres::Error) -> StoreError {
        StoreError::Postgres {
            url: self.url.to_string(),
            source,
        }
    }
}

/// The columns [`placed_row`] reads, in order, from the articles row `a`.
const PLACED_COLUMNS: &str =
    "a.id, a.published, a.terms, a.minhash, a.story, a.duplicate_of, a.placed";

fn placed_row(row: &postgres::Row) -> Placed {
    let published: Option<String> = row.get(1);
    Placed {
        input: StoryInput {
            article: row.get(0),
            features: StoryFeatures {
                terms: decode_terms(row.get(2)),
                minhash: decode_minhash(row.get(3)),
                day: published.as_deref().and_then(day_number),
            },
            published,
        },
        story: row.get(4),
        duplicate_of: row.get(5),
        placed: row.get(6),
    }
}

fn terms_i64(terms: &[u32]) -> Vec<i64> {
    terms.iter().map(|&term| term as i64).collect()
}

impl StoryState for PostgresStoryState<'_, '_> {
    fn unplaced(&mut self, limit: usize) -> crate::Result<Vec<Placed>> {
        let rows = self
            .transaction
            .query(
                &format!(
                    "SELECT {PLACED_COLUMNS} FROM articles a WHERE NOT a.placed
                     ORDER BY a.rowid LIMIT $1"
                ),
                &[&(limit as i64)],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(rows.iter().map(placed_row).collect())
    }

    fn frequencies(&mut self, terms: &[u32]) -> crate::Result<(u32, Vec<u32>)> {
        let documents = engine_counter(self.transaction, "originals").map_err(|e| self.wrap(e))?;
        let rows = self
            .transaction
            .query(
                "SELECT coalesce(d.df, 0)
                 FROM unnest($1::bigint[]) WITH ORDINALITY AS t(term, idx)
                 LEFT JOIN term_df d ON d.term = t.term ORDER BY t.idx",
                &[&terms_i64(terms)],
            )
            .map_err(|e| self.wrap(e))?;
        let df = rows.iter().map(|row| row.get::<_, i64>(0) as u32).collect();
        Ok((documents as u32, df))
    }

    fn posted(&mut self, terms: &[u32], days: Option<(i32, i32)>) -> crate::Result<Vec<Posting>> {
        let bounds = self
            .transaction
            .query_one(
                "SELECT (SELECT min(bucket) FROM story_postings WHERE bucket > $1),
                        (SELECT max(bucket) FROM story_postings),
                        EXISTS (SELECT 1 FROM story_postings WHERE bucket = $1)",
                &[&UNDATED_BUCKET],
            )
            .map_err(|e| self.wrap(e))?;
        let buckets = buckets_within(bounds.get(0), bounds.get(1), days, bounds.get(2));
        let rows = self
            .transaction
            .query(
                "SELECT t.term, a.id, p.day
                 FROM unnest($1::bigint[]) WITH ORDINALITY AS t(term, idx)
                 JOIN story_postings p ON p.term = t.term AND p.bucket = ANY($2::bigint[])
                 JOIN articles a ON a.rowid = p.article
                 ORDER BY t.idx, p.article",
                &[&terms_i64(terms), &buckets],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(rows
            .iter()
            .map(|row| Posting {
                term: row.get::<_, i64>(0) as u32,
                article: row.get(1),
                day: row.get(2),
            })
            .collect())
    }

    fn banded(&mut self, bands: &[u64], per_band: usize) -> crate::Result<Vec<String>> {
        let bands: Vec<i64> = bands.iter().map(|&band| band as i64).collect();
        let rows = self
            .transaction
            .query(
                "SELECT a.id
                 FROM unnest($1::bigint[]) AS t(band),
                      LATERAL (SELECT b.article FROM copy_bands b WHERE b.band = t.band
                               ORDER BY b.article LIMIT $2) x
                 JOIN articles a ON a.rowid = x.article",
                &[&bands, &(per_band as i64)],
            )
            .map_err(|e| self.wrap(e))?;
        let mut found: Vec<String> = rows.iter().map(|row| row.get(0)).collect();
        found.sort_unstable();
        found.dedup();
        Ok(found)
    }

    fn placed(&mut self, articles: &[String]) -> crate::Result<Vec<Placed>> {
        let rows = self
            .transaction
            .query(
                &format!(
                    "SELECT {PLACED_COLUMNS}
                     FROM unnest($1::text[]) WITH ORDINALITY AS t(id, idx)
                     JOIN articles a ON a.id = t.id
                     WHERE a.placed ORDER BY t.idx"
                ),
                &[&articles],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(rows.iter().map(placed_row).collect())
    }

    fn members(&mut self, stories: &[String], per_story: usize) -> crate::Result<Vec<String>> {
        let rows = self
            .transaction
            .query(
                "SELECT x.id
                 FROM unnest($1::text[]) WITH ORDINALITY AS t(story, idx),
                      LATERAL (SELECT a.id, a.published, a.rowid FROM articles a
                               WHERE a.story = t.story AND a.duplicate_of IS NULL AND a.placed
                               ORDER BY a.published IS NULL, a.published DESC, a.rowid DESC
                               LIMIT $2) x
                 ORDER BY t.idx, x.published IS NULL, x.published DESC, x.rowid DESC",
                &[&stories, &(per_story as i64)],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    fn story_ids_in_use(&mut self, ids: &[String]) -> crate::Result<HashSet<String>> {
        let rows = self
            .transaction
            .query(
                "SELECT t.id FROM unnest($1::text[]) AS t(id)
                 WHERE EXISTS (SELECT 1 FROM stories s WHERE s.id = t.id)
                    OR EXISTS (SELECT 1 FROM story_aliases x WHERE x.old = t.id)",
                &[&ids],
            )
            .map_err(|e| self.wrap(e))?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }
}

/// A counter of the `story_engine` table (0 when missing).
fn engine_counter(transaction: &mut Transaction<'_>, key: &str) -> PgResult<i64> {
    Ok(transaction
        .query_opt("SELECT value FROM story_engine WHERE key = $1", &[&key])?
        .map_or(0, |row| row.get(0)))
}

fn set_engine_counter(transaction: &mut Transaction<'_>, key: &str, value: i64) -> PgResult<()> {
    transaction.execute(
        "INSERT INTO story_engine (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        &[&key, &value],
    )?;
    Ok(())
}

/// Places up to one batch of unplaced articles; `false` when none was waiting.
pub(super) fn place_batch(
    transaction: &mut Transaction<'_>,
    url: &str,
    config: &StoryConfig,
) -> std::result::Result<bool, Failure> {
    let waiting: i64 = transaction
        .query_one("SELECT count(*) FROM articles WHERE NOT placed", &[])?
        .get(0);
    let originals = engine_counter(transaction, "originals")?;
    if engine_counter(transaction, "rebuild")? != 0
        || incremental::rebuild_is_cheaper(waiting as u64, originals as u64)
    {
        rebuild(transaction, url, config)?;
        return Ok(true);
    }
    let mut state = PostgresStoryState {
        transaction: &mut *transaction,
        url,
    };
    let changes = incremental::place(&mut state, config).map_err(Failure::Store)?;
    if changes.is_empty() {
        return Ok(false);
    }
    apply(transaction, &changes)?;
    Ok(true)
}

/// Re-clusters every article with the batch engine, keeping story ids where stories survive,
/// and rebuilds the engine's tables.
pub(super) fn rebuild(
    transaction: &mut Transaction<'_>,
    url: &str,
    config: &StoryConfig,
) -> std::result::Result<(), Failure> {
    let articles: Vec<Placed> = transaction
        .query(
            &format!("SELECT {PLACED_COLUMNS} FROM articles a ORDER BY a.rowid"),
            &[],
        )?
        .iter()
        .map(placed_row)
        .collect();
    let mut state = PostgresStoryState {
        transaction: &mut *transaction,
        url,
    };
    let (changes, frequencies) =
        incremental::rebuild(&mut state, &articles, config).map_err(Failure::Store)?;
    transaction.batch_execute(
        "DELETE FROM term_df; DELETE FROM story_postings; DELETE FROM copy_bands;
         UPDATE articles SET placed = true WHERE NOT placed;",
    )?;
    let mut terms: Vec<(&u32, &u32)> = frequencies.df.iter().collect();
    terms.sort_unstable();
    let term_ids: Vec<i64> = terms.iter().map(|(term, _)| **term as i64).collect();
    let dfs: Vec<i64> = terms.iter().map(|(_, df)| **df as i64).collect();
    transaction.execute(
        "INSERT INTO term_df (term, df) SELECT * FROM unnest($1::bigint[], $2::bigint[])",
        &[&term_ids, &dfs],
    )?;
    set_engine_counter(transaction, "originals", frequencies.documents as i64)?;
    set_engine_counter(transaction, "rebuild", 0)?;
    apply_without_counts(transaction, &changes)?;
    refresh_stories(transaction, None)
}

/// Writes one placement batch's changes.
fn apply(transaction: &mut Transaction<'_>, changes: &Changes) -> std::result::Result<(), Failure> {
    let mut terms: Vec<i64> = Vec::new();
    let mut originals = 0;
    for indexed in &changes.indexed {
        if indexed.terms.is_empty() {
            continue;
        }
        originals += 1;
        terms.extend(indexed.terms.iter().map(|&term| term as i64));
    }
    transaction.execute(
        "INSERT INTO term_df (term, df)
         SELECT term, count(*) FROM unnest($1::bigint[]) AS term GROUP BY term
         ON CONFLICT (term) DO UPDATE SET df = term_df.df + EXCLUDED.df",
        &[&terms],
    )?;
    let total = engine_counter(transaction, "originals")? + originals;
    set_engine_counter(transaction, "originals", total)?;
    apply_without_counts(transaction, changes)?;
    let touched: Vec<String> = changes.touched.iter().cloned().collect();
    refresh_stories(transaction, Some(&touched))
}

/// Everything of [`apply`] but the document frequencies and the summaries.
fn apply_without_counts(transaction: &mut Transaction<'_>, changes: &Changes) -> PgResult<()> {
    for (from, into) in &changes.merges {
        transaction.execute(
            "UPDATE articles SET story = $2 WHERE story = $1",
            &[from, into],
        )?;
        transaction.execute(
            "UPDATE story_aliases SET story = $2 WHERE story = $1",
            &[from, into],
        )?;
        transaction.execute(
            "INSERT INTO story_aliases (old, story) VALUES ($1, $2)
             ON CONFLICT (old) DO UPDATE SET story = EXCLUDED.story",
            &[from, into],
        )?;
    }
    for placement in &changes.placements {
        transaction.execute(
            "UPDATE articles SET story = $2, duplicate_of = $3, placed = true WHERE id = $1",
            &[
                &placement.article,
                &placement.story,
                &placement.duplicate_of,
            ],
        )?;
        transaction.execute(
            "UPDATE quotes SET copy = $2
             WHERE article = (SELECT rowid FROM articles WHERE id = $1) AND copy != $2",
            &[&placement.article, &placement.duplicate_of.is_some()],
        )?;
        if placement.duplicate_of.is_none() {
            // Its near-copies follow it.
            transaction.execute(
                "UPDATE articles SET story = $2 WHERE duplicate_of = $1 AND story != $2",
                &[&placement.article, &placement.story],
            )?;
        }
    }
    for indexed in &changes.indexed {
        let rowid: i64 = transaction
            .query_one(
                "UPDATE articles SET placed = true WHERE id = $1 RETURNING rowid",
                &[&indexed.article],
            )?
            .get(0);
        transaction.execute(
            "INSERT INTO story_postings (bucket, term, article, day)
             SELECT $3, term, $2, $4 FROM unnest($1::bigint[]) AS term ON CONFLICT DO NOTHING",
            &[
                &terms_i64(&indexed.key_terms),
                &rowid,
                &posting_bucket(indexed.day),
                &indexed.day,
            ],
        )?;
        let bands: Vec<i64> = indexed.bands.iter().map(|&band| band as i64).collect();
        transaction.execute(
            "INSERT INTO copy_bands (band, article)
             SELECT band, $2 FROM unnest($1::bigint[]) AS band ON CONFLICT DO NOTHING",
            &[&bands, &rowid],
        )?;
    }
    for event in &changes.events {
        transaction.execute(
            "INSERT INTO story_events (kind, story, other, articles) VALUES ($1, $2, $3, $4)",
            &[
                &event.kind.as_str(),
                &event.story,
                &event.other,
                &(event.articles as i64),
            ],
        )?;
    }
    // A story that holds articles again under an id once merged away is no alias any more.
    let touched: Vec<&str> = changes.touched.iter().map(String::as_str).collect();
    transaction.execute(
        "DELETE FROM story_aliases x
         WHERE x.old = ANY($1) AND EXISTS (SELECT 1 FROM articles a WHERE a.story = x.old)",
        &[&touched],
    )?;
    Ok(())
}

/// Rewrites the summaries of the given stories (all when `None`) from their articles; a story
/// with no article left loses its row.
pub(super) fn refresh_stories(
    transaction: &mut Transaction<'_>,
    stories: Option<&[String]>,
) -> std::result::Result<(), Failure> {
    let ids: Vec<&str> = stories
        .unwrap_or_default()
        .iter()
        .map(String::as_str)
        .collect();
    // `$1` is always bound; with `None` the filter ignores it.
    let filter = match stories {
        Some(_) => "= ANY($1::text[])",
        None => "IS NOT NULL AND cardinality($1::text[]) >= 0",
    };
    transaction.execute(&format!("DELETE FROM stories WHERE id {filter}"), &[&ids])?;
    transaction.execute(
        &format!(
            "INSERT INTO stories (id, title, first_seen, last_seen, articles, duplicates, quotes, entities, listing)
             SELECT a.story,
                    coalesce((SELECT s.title FROM articles s WHERE s.id = a.story AND s.story = a.story),
                             (SELECT s.title FROM articles s WHERE s.story = a.story AND s.title IS NOT NULL
                              ORDER BY s.published IS NULL, s.published, s.id LIMIT 1)),
                    min(a.published), max(a.published),
                    count(*) FILTER (WHERE a.duplicate_of IS NULL),
                    count(*) FILTER (WHERE a.duplicate_of IS NOT NULL),
                    coalesce(sum((SELECT count(*) FROM quotes q WHERE q.article = a.rowid))
                                 FILTER (WHERE a.duplicate_of IS NULL), 0),
                    '[]',
                    json_agg({LISTED_ARTICLE} ORDER BY a.published IS NULL, a.published, a.id)::text
             FROM articles a WHERE a.story {filter} GROUP BY a.story"
        ),
        &[&ids],
    )?;
    // Top entities, among original articles (story_entities.rs).
    let rows = transaction.query(
        &format!(
            "SELECT a.story, e.article, e.name, e.type, e.mentions
             FROM articles a JOIN entities e ON e.article = a.rowid
             WHERE a.story {filter} AND a.duplicate_of IS NULL AND e.named
             ORDER BY a.story, e.article, e.entity"
        ),
        &[&ids],
    )?;
    let mut story_ids: Vec<String> = Vec::new();
    let mut story_entities: Vec<String> = Vec::new();
    let mut write = |story: &str, entities: &[ArticleEntity]| {
        let counts = top_entities(entities, STORY_ENTITIES);
        story_ids.push(story.to_string());
        story_entities.push(serde_json::to_string(&counts).unwrap_or_else(|_| "[]".into()));
    };
    let mut story = String::new();
    let mut entities: Vec<ArticleEntity> = Vec::new();
    for row in &rows {
        let row_story: &str = row.get(0);
        if row_story != story {
            if !entities.is_empty() {
                write(&story, &entities);
            }
            entities.clear();
            story = row_story.to_string();
        }
        let type_name: &str = row.get(3);
        let Some(entity_type) = EntityType::from_name(type_name) else {
            // A word outside the contract's set is refused, not passed on (as on SQLite).
            return Err(Failure::Invalid(format!(
                "{type_name:?} is not a word of the article contract"
            )));
        };
        entities.push(ArticleEntity {
            article: row.get(1),
            name: row.get(2),
            entity_type,
            mentions: row.get::<_, i64>(4) as usize,
        });
    }
    if !entities.is_empty() {
        write(&story, &entities);
    }
    transaction.execute(
        "UPDATE stories s SET entities = v.entities
         FROM unnest($1::text[], $2::text[]) AS v(id, entities) WHERE s.id = v.id",
        &[&story_ids, &story_entities],
    )?;
    // Which sources covered each story, for the outlet profiles.
    super::outlets::refresh_story_sources(transaction, filter, &ids)?;
    Ok(())
}

/// The merges and splits a story took part in, oldest first.
pub(super) fn story_events(
    client: &mut impl postgres::GenericClient,
    story: &str,
) -> std::result::Result<Vec<StoryEventRecord>, Failure> {
    let rows = client.query(
        "SELECT at, kind, story, other, articles FROM story_events
         WHERE story = $1 OR other = $1 ORDER BY rowid",
        &[&story],
    )?;
    rows.iter()
        .map(|row| {
            let kind: &str = row.get(1);
            Ok(StoryEventRecord {
                at: row.get(0),
                kind: incremental::EventKind::from_name(kind).ok_or_else(|| {
                    Failure::Invalid(format!("{kind:?} is not a kind of story event"))
                })?,
                story: row.get(2),
                other: row.get(3),
                articles: row.get::<_, i64>(4) as usize,
            })
        })
        .collect()
}

/// The story a merged-away id leads to now.
pub(super) fn alias_of(
    client: &mut impl postgres::GenericClient,
    id: &str,
) -> PgResult<Option<String>> {
    Ok(client
        .query_opt("SELECT story FROM story_aliases WHERE old = $1", &[&id])?
        .map(|row| row.get(0)))
}
