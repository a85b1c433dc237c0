//! The read-only queries of the SQLite store: stories, quotes, entity reports and full-text search.
//!
//! Each view is one or two indexed queries; nothing here writes. Names match case-insensitively
//! on the whole name or its last word ("Corbyn" finds "Jeremy Corbyn"); outlets match on a
//! substring; dates compare as ISO 8601 text.

use rusqlite::{params, Connection, OptionalExtension};

use newslens_contract::{EntityType, QuoteKind};

use super::contract_word;

use crate::views::{
    EntityCount, EntityReport, MentionPeriod, QuoteFilter, QuoteRecord, SearchHit, SearchQuery,
    StoryArticle, StoryFilter, StorySummary,
};

use crate::record::name_keys;
use crate::search_syntax::{check_cost, too_many_terms, MAX_SEARCH_TERMS};

/// The columns of a story summary, `listing` being its articles as JSON (see
/// `LISTED_ARTICLE` in `mod.rs`): a listing reads the stories table alone.
pub(super) const SUMMARY_COLUMNS: &str =
    "id, title, first_seen, last_seen, quotes, entities, listing";

pub(super) fn summary(row: &rusqlite::Row) -> rusqlite::Result<StorySummary> {
    // Parsed from SQLite's own buffer, without copying each JSON text into a String first.
    let json = |idx: usize| -> rusqlite::Result<&str> {
        row.get_ref(idx)?.as_str().map_err(|error| {
            rusqlite::Error::FromSqlConversionFailure(
                idx,
                rusqlite::types::Type::Text,
                Box::new(error),
            )
        })
    };
    let parse_error = |idx: usize, error: serde_json::Error| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(error))
    };
    Ok(StorySummary {
        id: row.get(0)?,
        title: row.get(1)?,
        first_seen: row.get(2)?,
        last_seen: row.get(3)?,
        quotes: row.get::<_, i64>(4)? as usize,
        entities: serde_json::from_str::<Vec<EntityCount>>(json(5)?)
            .map_err(|error| parse_error(5, error))?,
        articles: serde_json::from_str::<Vec<StoryArticle>>(json(6)?)
            .map_err(|error| parse_error(6, error))?,
        events: Vec::new(),
    })
}

/// Fills each summary's merges and splits.
fn with_events(
    connection: &Connection,
    mut summaries: Vec<StorySummary>,
) -> rusqlite::Result<Vec<StorySummary>> {
    for summary in &mut summaries {
        summary.events = super::stories::story_events(connection, &summary.id)?;
    }
    Ok(summaries)
}

pub fn stories(
    connection: &Connection,
    filter: &StoryFilter,
) -> rusqlite::Result<Vec<StorySummary>> {
    let limit = filter.limit.map_or(-1, |limit| limit as i64);
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM stories WHERE articles >= ?1
         ORDER BY {} LIMIT ?2 OFFSET ?3",
        if filter.most_covered {
            "articles DESC, last_seen IS NULL, last_seen DESC, id"
        } else {
            "last_seen IS NULL, last_seen DESC, articles DESC, id"
        }
    ))?;
    let rows = statement.query_map(
        params![filter.min_articles as i64, limit, filter.offset as i64],
        summary,
    )?;
    with_events(connection, rows.collect::<rusqlite::Result<_>>()?)
}

pub fn story(connection: &Connection, id: &str) -> rusqlite::Result<Option<StorySummary>> {
    // A unique prefix is enough, like a git commit.
    let matches: Vec<String> = connection
        .prepare_cached(
            // The range [prefix, prefix + U+10FFFF) is the ids starting with it, and an index
            // range: a substr() test instead would scan every later id for a second match.
            "SELECT id FROM stories WHERE id >= ?1 AND id < ?1 || char(1114111) ORDER BY id LIMIT 2",
        )?
        .query_map([id], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let full = match matches.as_slice() {
        [only] => only.clone(),
        _ => match matches.iter().find(|m| m.as_str() == id) {
            Some(exact) => exact.clone(),
            // The id of a story merged away leads to the story that absorbed it.
            None => match super::stories::alias_of(connection, id)? {
                Some(story) => story,
                None => return Ok(None),
            },
        },
    };
    let found = connection
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM stories WHERE id = ?1"
        ))?
        .query_row([&full], summary)
        .optional()?;
    Ok(with_events(connection, found.into_iter().collect())?.pop())
}

pub fn quotes(connection: &Connection, filter: &QuoteFilter) -> rusqlite::Result<Vec<QuoteRecord>> {
    let speaker = filter.speaker.as_deref().map(|name| name_keys(name).0);
    let about = filter.about.as_deref().map(|name| name_keys(name).0);
    let limit = filter.limit.map_or(-1, |limit| limit as i64);
    // Only the filters given go into the statement (`?1 IS NULL OR …` would keep SQLite from
    // using the indexes), and the page is chosen from the quotes table alone: its indexes hold
    // the order (`sort_date`, `article`, `quote`), so only the page's rows are joined to their
    // articles.
    // With a speaker or subject, their indexes must drive the query; `+` keeps SQLite from
    // walking the list-order index instead (which it prefers for `copy = 0` with a LIMIT, and
    // which costs a scan of every quote when the name is rare or absent).
    let mut conditions = vec![if speaker.is_some() || about.is_some() {
        "+q.copy = 0"
    } else {
        "q.copy = 0"
    }];
    if speaker.is_some() {
        conditions.push("(q.speaker_key = ?1 OR q.speaker_last = ?1)");
    }
    if about.is_some() {
        conditions.push(
            "q.rowid IN (SELECT quote FROM quote_about WHERE name_key = ?2
                         UNION SELECT quote FROM quote_about WHERE last_key = ?2)",
        );
    }
    if filter.outlet.is_some() {
        conditions
            .push("q.article IN (SELECT rowid FROM articles WHERE outlet LIKE '%' || ?3 || '%')");
    }
    if filter.since.is_some() {
        conditions.push("q.sort_date >= ?4 AND q.sort_date < '~'");
    }
    if filter.until.is_some() {
        conditions.push("substr(q.sort_date, 1, length(?5)) <= ?5");
    }
    let sql = format!(
        "SELECT q.rowid, q.text, q.kind, q.speaker, q.verb, q.neutral, q.channel,
                a.id, a.story, a.outlet, a.published, a.url
         FROM (SELECT q.rowid AS page_quote FROM quotes q WHERE {}
               ORDER BY q.sort_date, q.article, q.quote LIMIT ?6 OFFSET ?7) page
         JOIN quotes q ON q.rowid = page.page_quote
         JOIN articles a ON a.rowid = q.article
         ORDER BY q.sort_date, q.article, q.quote",
        conditions.join(" AND ")
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let mut about_of =
        connection.prepare_cached("SELECT name FROM quote_about WHERE quote = ?1 ORDER BY name")?;
    let rows = statement
        .query_map(
            params![
                speaker,
                about,
                filter.outlet,
                filter.since,
                filter.until,
                limit,
                filter.offset as i64
            ],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    QuoteRecord {
                        text: row.get(1)?,
                        kind: contract_word(row, 2, QuoteKind::from_name)?,
                        speaker: row.get(3)?,
                        verb: row.get(4)?,
                        neutral: row.get(5)?,
                        channel: row.get(6)?,
                        about: Vec::new(),
                        article: row.get(7)?,
                        story: row.get(8)?,
                        outlet: row.get(9)?,
                        published: row.get(10)?,
                        url: row.get(11)?,
                    },
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<(i64, QuoteRecord)>>>()?;
    rows.into_iter()
        .map(|(quote_rowid, mut record)| {
            record.about = about_of
                .query_map([quote_rowid], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(record)
        })
        .collect()
}

pub fn entity(
    connection: &Connection,
    name: &str,
    limit: Option<usize>,
) -> rusqlite::Result<EntityReport> {
    let key = name_keys(name).0;
    let names = connection
        .prepare_cached(
            "SELECT max(e.name), e.type, count(DISTINCT e.article), sum(e.mentions)
             FROM entities e JOIN articles a ON a.rowid = e.article
             WHERE (e.name_key = ?1 OR e.last_key = ?1) AND a.duplicate_of IS NULL
             GROUP BY e.name_key, e.type ORDER BY 3 DESC, 4 DESC, 1",
        )?
        .query_map([&key], |row| {
            Ok(EntityCount {
                name: row.get(0)?,
                entity_type: contract_word(row, 1, EntityType::from_name)?,
                articles: row.get::<_, i64>(2)? as usize,
                mentions: row.get::<_, i64>(3)? as usize,
            })
        })?
        .collect::<rusqlite::Result<Vec<EntityCount>>>()?;
    let timeline = connection
        .prepare_cached(
            "SELECT coalesce(substr(a.published, 1, 10), 'undated') AS day,
                    count(DISTINCT a.rowid), sum(e.mentions)
             FROM entities e JOIN articles a ON a.rowid = e.article
             WHERE (e.name_key = ?1 OR e.last_key = ?1) AND a.duplicate_of IS NULL
             GROUP BY day ORDER BY day = 'undated', day",
        )?
        .query_map([&key], |row| {
            Ok(MentionPeriod {
                date: row.get(0)?,
                articles: row.get::<_, i64>(1)? as usize,
                mentions: row.get::<_, i64>(2)? as usize,
            })
        })?
        .collect::<rusqlite::Result<Vec<MentionPeriod>>>()?;
    let quotes_by = quotes(
        connection,
        &QuoteFilter {
            speaker: Some(name.to_string()),
            limit,
            ..QuoteFilter::default()
        },
    )?;
    let quotes_about = quotes(
        connection,
        &QuoteFilter {
            about: Some(name.to_string()),
            limit,
            ..QuoteFilter::default()
        },
    )?;
    Ok(EntityReport {
        query: name.to_string(),
        names,
        timeline,
        quotes_by,
        quotes_about,
    })
}

pub enum SearchError {
    Sqlite(rusqlite::Error),
    Query(String),
}

impl From<rusqlite::Error> for SearchError {
    fn from(error: rusqlite::Error) -> SearchError {
        SearchError::Sqlite(error)
    }
}

pub fn search(connection: &Connection, query: &SearchQuery) -> Result<Vec<SearchHit>, SearchError> {
    if query.text.trim().is_empty() {
        return Err(SearchError::Query("empty query".into()));
    }
    check_cost(&query.text).map_err(SearchError::Query)?;
    match run_search(connection, query, &query.text) {
        Ok(hits) => Ok(hits),
        // Not FTS5 syntax (a stray quote, a lone operator): search the words as plain terms.
        Err(rusqlite::Error::SqliteFailure(failure, Some(message)))
            if failure.code == rusqlite::ErrorCode::Unknown =>
        {
            let plain: Vec<String> = crate::features::words(&query.text)
                .map(|word| format!("\"{}\"", word.replace('"', "")))
                .collect();
            if plain.is_empty() {
                return Err(SearchError::Query(message));
            }
            if plain.len() > MAX_SEARCH_TERMS {
                return Err(SearchError::Query(too_many_terms(plain.len())));
            }
            run_search(connection, query, &plain.join(" ")).map_err(SearchError::from)
        }
        Err(error) => Err(SearchError::from(error)),
    }
}

fn run_search(
    connection: &Connection,
    query: &SearchQuery,
    fts_query: &str,
) -> rusqlite::Result<Vec<SearchHit>> {
    let entity = query.entity.as_deref().map(|name| name_keys(name).0);
    let limit = query.limit.map_or(-1, |limit| limit as i64);
    let mut statement = connection.prepare_cached(
        "SELECT a.id, a.story, a.title, a.outlet, a.published, a.url,
                snippet(search, 1, '[', ']', '…', 16), bm25(search)
         FROM search JOIN articles a ON a.rowid = search.rowid
         WHERE search MATCH ?1
           AND (?2 IS NULL OR a.outlet LIKE '%' || ?2 || '%')
           AND (?3 IS NULL OR a.published >= ?3)
           AND (?4 IS NULL OR substr(a.published, 1, length(?4)) <= ?4)
           AND (?5 IS NULL OR EXISTS (SELECT 1 FROM entities e
                                      WHERE e.article = a.rowid AND (e.name_key = ?5 OR e.last_key = ?5)))
         ORDER BY bm25(search), a.id
         LIMIT ?6 OFFSET ?7",
    )?;
    let hits = statement
        .query_map(
            params![
                fts_query,
                query.outlet,
                query.since,
                query.until,
                entity,
                limit,
                query.offset as i64
            ],
            |row| {
                Ok(SearchHit {
                    id: row.get(0)?,
                    story: row.get(1)?,
                    title: row.get(2)?,
                    outlet: row.get(3)?,
                    published: row.get(4)?,
                    url: row.get(5)?,
                    snippet: row.get(6)?,
                    // bm25() is lower for better matches; report higher-is-better.
                    score: -row.get::<_, f64>(7)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<SearchHit>>>()?;
    Ok(hits)
}
