//! The outlet aggregates in SQLite: written with each batch of articles, read by the profiles,
//! and added for articles stored before migration 0008 when the corpus is opened.
//!
//! Every write is an upsert that adds to a row (`ON CONFLICT … DO UPDATE`), in the key order of
//! [`BatchTally`], inside the transaction that stores the articles. This module does not compute
//! profiles (`outlets/profile.rs` does, for every backend).

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use crate::outlets::shared::{
    chunk_by_story, moved_articles_sql, plan_moves, CorruptRow, Move, SharedPlan, StoryTerms,
    MOVES_CHUNK,
};
use crate::outlets::{
    tally, ArticleTally, BatchTally, Coverage, SharedTerm, SourceWeek, TermCount, TermKind,
    WeekCounts, WeekRow,
};

/// Articles whose aggregates one backfill transaction adds.
const BACKFILL_CHUNK: usize = 1000;

impl From<CorruptRow> for rusqlite::Error {
    fn from(row: CorruptRow) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(
            2,
            rusqlite::types::Type::Blob,
            format!(
                "outlet terms of story {} and source {}: {}",
                row.story, row.source, row.message
            )
            .into(),
        )
    }
}

/// Adds a batch's sums to the aggregate tables.
pub(super) fn write_tally(transaction: &Transaction, batch: &BatchTally) -> rusqlite::Result<()> {
    let mut insert_source = transaction.prepare_cached(
        "INSERT INTO outlet_sources (source, written) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?;
    for (source, written) in &batch.sources {
        insert_source.execute(params![source, written])?;
    }
    let mut upsert_week = transaction.prepare_cached(
        "INSERT INTO outlet_weeks (source, week, articles, quotes, own_words, loaded, tone_sum,
             tone_articles, verbs, non_neutral_verbs, women, men, unknown_gender, speaker_quotes,
             content_words, first, last)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT (source, week) DO UPDATE SET
             articles = articles + excluded.articles,
             quotes = quotes + excluded.quotes,
             own_words = own_words + excluded.own_words,
             loaded = loaded + excluded.loaded,
             tone_sum = tone_sum + excluded.tone_sum,
             tone_articles = tone_articles + excluded.tone_articles,
             verbs = verbs + excluded.verbs,
             non_neutral_verbs = non_neutral_verbs + excluded.non_neutral_verbs,
             women = women + excluded.women,
             men = men + excluded.men,
             unknown_gender = unknown_gender + excluded.unknown_gender,
             speaker_quotes = speaker_quotes + excluded.speaker_quotes,
             content_words = content_words + excluded.content_words,
             first = CASE WHEN first IS NULL OR excluded.first < first THEN excluded.first ELSE first END,
             last = CASE WHEN last IS NULL OR excluded.last > last THEN excluded.last ELSE last END",
    )?;
    for ((source, week), row) in &batch.weeks {
        let counts = &row.counts;
        upsert_week.execute(params![
            source,
            week,
            counts.articles,
            counts.quotes,
            counts.own_words,
            counts.loaded,
            counts.tone_sum,
            counts.tone_articles,
            counts.verbs,
            counts.non_neutral_verbs,
            counts.women,
            counts.men,
            counts.unknown_gender,
            counts.speaker_quotes,
            counts.content_words,
            row.first,
            row.last,
        ])?;
    }
    write_speakers(transaction, batch)
}

/// Adds a batch's quotes per speaker.
fn write_speakers(transaction: &Transaction, batch: &BatchTally) -> rusqlite::Result<()> {
    let mut upsert_speaker = transaction.prepare_cached(
        "INSERT INTO outlet_speakers (source, speaker, name, quotes) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (source, speaker) DO UPDATE SET quotes = quotes + excluded.quotes",
    )?;
    for ((source, key), (name, quotes)) in &batch.speakers {
        upsert_speaker.execute(params![source, key, name, quotes])?;
    }
    Ok(())
}

/// Records a new article's story of one as covered by its source.
pub(super) fn add_story_of_one(
    transaction: &Transaction,
    story: &str,
    article: &ArticleTally,
) -> rusqlite::Result<()> {
    transaction
        .prepare_cached("INSERT OR REPLACE INTO outlet_counted (article, story) VALUES (?1, ?1)")?
        .execute([story])?;
    if article.source.is_empty() {
        return Ok(());
    }
    transaction
        .prepare_cached(
            "INSERT OR REPLACE INTO outlet_story_terms (story, source, terms) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![
            story,
            article.source,
            StoryTerms::of_article(article).encode()
        ])?;
    transaction
        .prepare_cached(
            "INSERT OR REPLACE INTO story_sources (story, source, first, last) VALUES (?1, ?2, ?3, ?3)",
        )?
        .execute(params![story, article.source, article.day])?;
    transaction
        .prepare_cached(
            "INSERT OR REPLACE INTO story_reach (story, sources, first) VALUES (?1, 1, ?2)",
        )?
        .execute(params![story, article.day])?;
    Ok(())
}

/// Rewrites which sources covered the stories `filter` selects (`IN (…)` or `IS NOT NULL`, as
/// the story summaries' refresh passes it), from their articles.
pub(super) fn refresh_story_sources(
    transaction: &Transaction,
    filter: &str,
) -> rusqlite::Result<()> {
    transaction.execute_batch(&format!(
        "DELETE FROM story_sources WHERE story {filter};
         DELETE FROM story_reach WHERE story {filter};
         INSERT INTO story_sources (story, source, first, last)
         SELECT story, outlet_source, min(substr(published, 1, 10)), max(substr(published, 1, 10))
         FROM articles WHERE story {filter} AND outlet_source != ''
         GROUP BY story, outlet_source;
         INSERT INTO story_reach (story, sources, first)
         SELECT story, count(*), min(first) FROM story_sources WHERE story {filter}
         GROUP BY story;"
    ))?;
    refresh_shared(transaction, filter)
}

/// Follows the articles the story engine moved in or out of the stories `filter` selects:
/// their counts move between the stories' rows and the shared-story aggregates change by what
/// the changed stories give (`outlets/shared.rs`).
fn refresh_shared(transaction: &Transaction, filter: &str) -> rusqlite::Result<()> {
    let moves: Vec<Move> = transaction
        .prepare(&moved_articles_sql(filter))?
        .query_map([], |row| {
            Ok(Move {
                article: row.get(0)?,
                source: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                old: row.get(2)?,
                new: row.get(3)?,
                terms: None,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for chunk in chunk_by_story(moves, MOVES_CHUNK) {
        apply_moves(transaction, chunk)?;
    }
    Ok(())
}

/// Plans and writes one chunk of moves.
fn apply_moves(transaction: &Transaction, moves: Vec<Move>) -> rusqlite::Result<()> {
    let mut stories: Vec<&str> = moves
        .iter()
        .flat_map(|found| found.old.as_deref().into_iter().chain([found.new.as_str()]))
        .collect();
    stories.sort_unstable();
    stories.dedup();
    let mut stored = Vec::new();
    let mut read_rows = transaction
        .prepare_cached("SELECT source, terms FROM outlet_story_terms WHERE story = ?1")?;
    for story in &stories {
        let rows = read_rows.query_map([story], |row| {
            Ok((story.to_string(), row.get::<_, String>(0)?, row.get(1)?))
        })?;
        for row in rows {
            stored.push(row?);
        }
    }
    let mut read_article = |article: &str| -> rusqlite::Result<StoryTerms> {
        let json: String = transaction
            .prepare_cached("SELECT json FROM articles WHERE id = ?1")?
            .query_row([article], |row| super::stored_json(row.get_ref(0)?))?;
        let article: newslens_contract::Article = serde_json::from_str(&json).map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, error.into())
        })?;
        Ok(StoryTerms::of_article(&tally(&article)))
    };
    let plan = plan_moves(moves, stored, &mut read_article)?;
    write_plan(transaction, &plan)
}

fn write_plan(transaction: &Transaction, plan: &SharedPlan) -> rusqlite::Result<()> {
    let mut write_row = transaction.prepare_cached(
        "INSERT OR REPLACE INTO outlet_story_terms (story, source, terms) VALUES (?1, ?2, ?3)",
    )?;
    let mut delete_row = transaction
        .prepare_cached("DELETE FROM outlet_story_terms WHERE story = ?1 AND source = ?2")?;
    for ((story, source), terms) in &plan.story_terms {
        match terms {
            Some(terms) => write_row.execute(params![story, source, terms.encode()])?,
            None => delete_row.execute(params![story, source])?,
        };
    }
    let mut upsert = transaction.prepare_cached(
        "INSERT INTO outlet_shared_terms (source, kind, term, name, own, others)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (source, kind, term) DO UPDATE SET
             own = own + excluded.own, others = others + excluded.others",
    )?;
    for ((source, kind, term), delta) in &plan.deltas {
        upsert.execute(params![
            source,
            kind,
            term,
            delta.name,
            delta.own,
            delta.others
        ])?;
    }
    let mut counted = transaction
        .prepare_cached("INSERT OR REPLACE INTO outlet_counted (article, story) VALUES (?1, ?2)")?;
    for (article, story) in &plan.counted {
        counted.execute(params![article, story])?;
    }
    Ok(())
}

/// Counts the articles stored before migration 0009 (those without an `outlet_counted` row)
/// under their speakers and stories, a chunk of stories per transaction.
pub(super) fn backfill_shared(
    connection: &mut rusqlite::Connection,
    path: &str,
) -> crate::Result<()> {
    let wrap = |source| crate::StoreError::Database {
        path: path.to_string(),
        source,
    };
    let pending: bool = connection
        .query_row(
            "SELECT (SELECT count(*) FROM articles) != (SELECT count(*) FROM outlet_counted)",
            [],
            |row| row.get(0),
        )
        .map_err(wrap)?;
    if !pending {
        return Ok(());
    }
    let mut after_rowid = 0_i64;
    loop {
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(wrap)?;
        let rows: Vec<(i64, String, String, String)> = transaction
            .prepare(
                "SELECT a.rowid, a.id, a.story, a.json FROM articles a
                 WHERE a.rowid > ?1 AND NOT EXISTS (SELECT 1 FROM outlet_counted c WHERE c.article = a.id)
                 ORDER BY a.rowid LIMIT ?2",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(params![after_rowid, BACKFILL_CHUNK as i64], |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            super::stored_json(row.get_ref(3)?)?,
                        ))
                    })?
                    .collect()
            })
            .map_err(wrap)?;
        let Some((last_rowid, ..)) = rows.last() else {
            return Ok(());
        };
        after_rowid = *last_rowid;
        let mut batch = BatchTally::default();
        let mut moves = Vec::new();
        for (_, id, story, json) in rows {
            let article: newslens_contract::Article =
                serde_json::from_str(&json).map_err(|source| crate::StoreError::Json {
                    id: id.clone(),
                    source,
                })?;
            let article_tally = tally(&article);
            batch.add(&article_tally);
            moves.push(Move {
                article: id,
                source: article_tally.source.clone(),
                old: None,
                new: story,
                terms: Some(StoryTerms::of_article(&article_tally)),
            });
        }
        write_speakers(&transaction, &batch).map_err(wrap)?;
        apply_moves(&transaction, moves).map_err(wrap)?;
        transaction.commit().map_err(wrap)?;
    }
}

/// Adds the aggregates of articles stored before migration 0008 (those whose `outlet_source`
/// is NULL), a chunk per transaction, so a large corpus is done in steps a crash cannot tear.
pub(super) fn backfill(connection: &mut rusqlite::Connection, path: &str) -> crate::Result<()> {
    let wrap = |source| crate::StoreError::Database {
        path: path.to_string(),
        source,
    };
    loop {
        let pending: Option<i64> = connection
            .query_row(
                "SELECT rowid FROM articles WHERE outlet_source IS NULL LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(wrap)?;
        if pending.is_none() {
            return Ok(());
        }
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(wrap)?;
        let rows: Vec<(i64, String, String)> = transaction
            .prepare(
                "SELECT rowid, id, json FROM articles WHERE outlet_source IS NULL
                 ORDER BY rowid LIMIT ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_map([BACKFILL_CHUNK as i64], |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            super::stored_json(row.get_ref(2)?)?,
                        ))
                    })?
                    .collect()
            })
            .map_err(wrap)?;
        let mut batch = BatchTally::default();
        for (rowid, id, json) in rows {
            let article: newslens_contract::Article =
                serde_json::from_str(&json).map_err(|source| crate::StoreError::Json {
                    id: id.clone(),
                    source,
                })?;
            let article_tally = tally(&article);
            transaction
                .prepare_cached("UPDATE articles SET outlet_source = ?1 WHERE rowid = ?2")
                .and_then(|mut statement| statement.execute(params![article_tally.source, rowid]))
                .map_err(wrap)?;
            batch.add(&article_tally);
        }
        // Speakers are counted with the stories (`backfill_shared`), under migration 0009's keys.
        batch.speakers.clear();
        write_tally(&transaction, &batch).map_err(wrap)?;
        let done: Option<i64> = transaction
            .query_row(
                "SELECT rowid FROM articles WHERE outlet_source IS NULL LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(wrap)?;
        if done.is_none() {
            // Every source is known now: which covered each story.
            refresh_story_sources(&transaction, "IS NOT NULL").map_err(wrap)?;
        }
        transaction.commit().map_err(wrap)?;
    }
}

pub(super) fn weeks(connection: &rusqlite::Connection) -> rusqlite::Result<Vec<SourceWeek>> {
    let mut statement = connection.prepare_cached(
        "SELECT w.source, coalesce(s.written, ''), w.week, w.articles, w.quotes, w.own_words,
                w.loaded, w.tone_sum, w.tone_articles, w.verbs, w.non_neutral_verbs, w.women,
                w.men, w.unknown_gender, w.speaker_quotes, w.content_words, w.first, w.last
         FROM outlet_weeks w LEFT JOIN outlet_sources s ON s.source = w.source
         ORDER BY w.source, w.week",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(SourceWeek {
            source: row.get(0)?,
            written: row.get(1)?,
            week: row.get(2)?,
            row: WeekRow {
                counts: WeekCounts {
                    articles: row.get(3)?,
                    quotes: row.get(4)?,
                    own_words: row.get(5)?,
                    loaded: row.get(6)?,
                    tone_sum: row.get(7)?,
                    tone_articles: row.get(8)?,
                    verbs: row.get(9)?,
                    non_neutral_verbs: row.get(10)?,
                    women: row.get(11)?,
                    men: row.get(12)?,
                    unknown_gender: row.get(13)?,
                    speaker_quotes: row.get(14)?,
                    content_words: row.get(15)?,
                },
                first: row.get(16)?,
                last: row.get(17)?,
            },
        })
    })?;
    rows.collect()
}

pub(super) fn top_speakers(
    connection: &rusqlite::Connection,
    source: &str,
    limit: usize,
) -> rusqlite::Result<Vec<TermCount>> {
    let mut statement = connection.prepare_cached(
        "SELECT speaker, name, quotes FROM outlet_speakers WHERE source = ?1
         ORDER BY quotes DESC, speaker LIMIT ?2",
    )?;
    let rows = statement.query_map(params![source, limit as i64], term_row)?;
    rows.collect()
}

pub(super) fn speaker_counts(
    connection: &rusqlite::Connection,
    source: &str,
    keys: &[String],
) -> rusqlite::Result<Vec<TermCount>> {
    let mut statement = connection.prepare_cached(
        "SELECT speaker, name, quotes FROM outlet_speakers WHERE source = ?1 AND speaker = ?2",
    )?;
    let mut found = Vec::new();
    for wanted in keys {
        if let Some(term) = statement
            .query_row(params![source, wanted], term_row)
            .optional()?
        {
            found.push(term);
        }
    }
    Ok(found)
}

fn term_row(row: &rusqlite::Row) -> rusqlite::Result<TermCount> {
    Ok(TermCount {
        key: row.get(0)?,
        name: row.get(1)?,
        count: row.get(2)?,
    })
}

pub(super) fn outlet_stories(
    connection: &rusqlite::Connection,
    source: &str,
) -> rusqlite::Result<Vec<Coverage>> {
    let mut statement = connection.prepare_cached(
        "SELECT story, source, first, last FROM story_sources WHERE source = ?1 ORDER BY story",
    )?;
    let rows = statement.query_map([source], coverage_row)?;
    rows.collect()
}

/// `CROSS JOIN` makes SQLite read `story_reach` by its index first (stories with enough sources)
/// and look their sources up; left to choose, it scanned every story's sources (62 ms against
/// 0.2 ms at 100,000 stories).
pub(super) fn stories_reaching(
    connection: &rusqlite::Connection,
    min_sources: usize,
    first: &str,
    last: &str,
) -> rusqlite::Result<Vec<Coverage>> {
    let mut statement = connection.prepare_cached(
        "SELECT s.story, s.source, r.first, s.last
         FROM story_reach r CROSS JOIN story_sources s ON s.story = r.story
         WHERE r.sources >= ?1 AND r.first >= ?2 AND r.first <= ?3
         ORDER BY s.story, s.source",
    )?;
    let rows = statement.query_map(params![min_sources as i64, first, last], coverage_row)?;
    rows.collect()
}

fn coverage_row(row: &rusqlite::Row) -> rusqlite::Result<Coverage> {
    Ok(Coverage {
        story: row.get(0)?,
        source: row.get(1)?,
        first: row.get(2)?,
        last: row.get(3)?,
    })
}

/// A source's terms of one kind among its `limit` most frequent on either side of the
/// shared-story aggregates (see [`crate::Store::outlet_shared_top`]). Neither side is indexed
/// (migrations 0011 and 0013: each index cost every batch more page writes than it saved this
/// read), so each side is a scan of the source's rows with a sort bounded to `limit` (two full
/// window sorts instead took seven times as long: 65 against 9 ms for 37,000 rows).
pub(super) fn shared_top(
    connection: &rusqlite::Connection,
    kind: TermKind,
    source: &str,
    limit: usize,
) -> rusqlite::Result<Vec<SharedTerm>> {
    let mut statement = connection.prepare_cached(
        "SELECT * FROM (SELECT term, name, own, others FROM outlet_shared_terms
             WHERE source = ?1 AND kind = ?2 AND term != '' AND own > 0
             ORDER BY own DESC, term LIMIT ?3)
         UNION
         SELECT * FROM (SELECT term, name, own, others FROM outlet_shared_terms
             WHERE source = ?1 AND kind = ?2 AND term != '' AND others > 0
             ORDER BY others DESC, term LIMIT ?3)",
    )?;
    let rows = statement.query_map(params![source, kind.as_str(), limit as i64], shared_row)?;
    rows.collect()
}

pub(super) fn shared_counts(
    connection: &rusqlite::Connection,
    kind: TermKind,
    source: &str,
    keys: &[String],
) -> rusqlite::Result<Vec<SharedTerm>> {
    let mut statement = connection.prepare_cached(
        "SELECT term, name, own, others FROM outlet_shared_terms
         WHERE source = ?1 AND kind = ?2 AND term = ?3",
    )?;
    let mut found = Vec::new();
    for wanted in keys {
        if let Some(term) = statement
            .query_row(params![source, kind.as_str(), wanted], shared_row)
            .optional()?
        {
            found.push(term);
        }
    }
    Ok(found)
}

fn shared_row(row: &rusqlite::Row) -> rusqlite::Result<SharedTerm> {
    Ok(SharedTerm {
        key: row.get(0)?,
        name: row.get(1)?,
        own: row.get(2)?,
        others: row.get(3)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_top_takes_each_sides_top_with_ties_by_key_and_no_totals() {
        let mut connection = rusqlite::Connection::open_in_memory().unwrap();
        super::super::migrations::migrate(&mut connection).unwrap();
        // (term, own, others): "" is the source's totals; "port" only the others use.
        let rows = [
            ("", 90, 90),
            ("ferry", 9, 1),
            ("harbour", 9, 0),
            ("pier", 9, 2),
            ("port", 0, 8),
            ("quay", 1, 7),
            ("tide", 2, 3),
        ];
        for (term, own, others) in rows {
            connection
                .execute(
                    "INSERT INTO outlet_shared_terms (source, kind, term, name, own, others)
                     VALUES ('a.example', 'word', ?1, ?1, ?2, ?3)",
                    params![term, own, others],
                )
                .unwrap();
        }
        let mut found: Vec<String> = shared_top(&connection, TermKind::Word, "a.example", 2)
            .unwrap()
            .into_iter()
            .map(|term| term.key)
            .collect();
        found.sort();
        // Own: ferry and harbour before pier (9 each, ties by key); others: port and quay.
        assert_eq!(found, ["ferry", "harbour", "port", "quay"]);
        let found = shared_top(&connection, TermKind::Speaker, "a.example", 2).unwrap();
        assert!(found.is_empty(), "{found:?}");
    }
}
