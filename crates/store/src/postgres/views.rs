//! The read-only queries of the PostgreSQL store: stories, quotes, entity reports and full-text
//! search, each the SQLite view (`sqlite/views.rs`) in PostgreSQL's SQL, with the same filters,
//! orders and paging.
//!
//! Names match case-insensitively on the whole name or its last word; outlets on a substring
//! (`ILIKE`, where SQLite's `LIKE` ignores the case of ASCII letters only); dates compare as
//! ISO 8601 text in byte order (the columns are `COLLATE "C"`). Search reads the FTS5 syntax
//! through `tsquery.rs`; its ranks are `ts_rank`'s, not BM25, and its snippets `ts_headline`'s.
//! Nothing here writes.

use std::collections::HashMap;

use postgres::Client;

use newslens_contract::{EntityType, QuoteKind};

use super::{tsquery, Params, PostgresStore};
use crate::record::name_keys;
use crate::search_syntax::{check_cost, too_many_terms, MAX_SEARCH_TERMS};
use crate::views::{
    EntityCount, EntityReport, MentionPeriod, QuoteFilter, QuoteRecord, SearchHit, SearchQuery,
    StoryArticle, StoryFilter, StorySummary,
};
use crate::{Result, StoreError};

/// The columns of a story summary, `listing` being its articles as JSON.
pub(super) const SUMMARY_COLUMNS: &str =
    "id, title, first_seen, last_seen, quotes, entities, listing";

/// A summary row; its JSON lists must parse.
pub(super) fn summary(store: &PostgresStore, row: &postgres::Row) -> Result<StorySummary> {
    let id: String = row.get(0);
    let refused = |error: serde_json::Error| StoreError::Invalid {
        url: store.url.clone(),
        message: format!("story {id}: its stored summary does not parse: {error}"),
    };
    Ok(StorySummary {
        title: row.get(1),
        first_seen: row.get(2),
        last_seen: row.get(3),
        quotes: row.get::<_, i64>(4) as usize,
        entities: serde_json::from_str::<Vec<EntityCount>>(row.get(5)).map_err(refused)?,
        articles: serde_json::from_str::<Vec<StoryArticle>>(row.get(6)).map_err(refused)?,
        id,
        events: Vec::new(),
    })
}

/// The summaries of the rows, each with its merges and splits.
fn summaries(
    store: &PostgresStore,
    client: &mut Client,
    rows: &[postgres::Row],
) -> Result<Vec<StorySummary>> {
    let mut summaries = rows
        .iter()
        .map(|row| summary(store, row))
        .collect::<Result<Vec<_>>>()?;
    for summary in &mut summaries {
        summary.events = super::stories::story_events(client, &summary.id)
            .map_err(|failure| store.failure(failure))?;
    }
    Ok(summaries)
}

fn limit(limit: Option<usize>) -> Option<i64> {
    limit.map(|limit| limit.min(i64::MAX as usize) as i64)
}

pub fn stories(
    store: &PostgresStore,
    client: &mut Client,
    filter: &StoryFilter,
) -> Result<Vec<StorySummary>> {
    let statement = store
        .prepared(
            client,
            &format!(
                "SELECT {SUMMARY_COLUMNS} FROM stories WHERE articles >= $1
             ORDER BY {} LIMIT $2 OFFSET $3",
                if filter.most_covered {
                    "articles DESC, (last_seen IS NULL), last_seen DESC, id"
                } else {
                    "(last_seen IS NULL), last_seen DESC, articles DESC, id"
                }
            ),
        )
        .map_err(|error| store.error(error))?;
    let rows = client
        .query(
            &statement,
            &[
                &(filter.min_articles as i64),
                &limit(filter.limit),
                &(filter.offset as i64),
            ],
        )
        .map_err(|error| store.error(error))?;
    summaries(store, client, &rows)
}

pub fn story(store: &PostgresStore, client: &mut Client, id: &str) -> Result<Option<StorySummary>> {
    let statement = store
        .prepared(
            client,
            "SELECT id FROM stories WHERE id >= $1 AND id < $1 || chr(1114111) ORDER BY id LIMIT 2",
        )
        .map_err(|error| store.error(error))?;
    let matches: Vec<String> = client
        .query(&statement, &[&id])
        .map_err(|error| store.error(error))?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let full = match matches.as_slice() {
        [only] => only.clone(),
        _ => match matches.iter().find(|m| m.as_str() == id) {
            Some(exact) => exact.clone(),
            // The id of a story merged away leads to the story that absorbed it.
            None => {
                match super::stories::alias_of(client, id).map_err(|error| store.error(error))? {
                    Some(story) => story,
                    None => return Ok(None),
                }
            }
        },
    };
    let statement = store
        .prepared(
            client,
            &format!("SELECT {SUMMARY_COLUMNS} FROM stories WHERE id = $1"),
        )
        .map_err(|error| store.error(error))?;
    let rows = client
        .query(&statement, &[&full])
        .map_err(|error| store.error(error))?;
    Ok(summaries(store, client, &rows)?.into_iter().next())
}

/// A contract word read back, or the store's refusal.
fn contract_word<T>(store: &PostgresStore, word: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    parse(word).ok_or_else(|| StoreError::Invalid {
        url: store.url.clone(),
        message: format!("{word:?} is not a word of the article contract"),
    })
}

pub fn quotes(
    store: &PostgresStore,
    client: &mut Client,
    filter: &QuoteFilter,
) -> Result<Vec<QuoteRecord>> {
    let speaker = filter.speaker.as_deref().map(|name| name_keys(name).0);
    let about = filter.about.as_deref().map(|name| name_keys(name).0);
    let page_limit = limit(filter.limit);
    let offset = filter.offset as i64;
    let mut params = Params::default();
    // Only the filters given go into the statement, so the planner can use their indexes.
    let mut conditions = vec!["NOT q.copy".to_string()];
    if let Some(speaker) = &speaker {
        let key = params.push(speaker);
        conditions.push(format!("(q.speaker_key = {key} OR q.speaker_last = {key})"));
    }
    if let Some(about) = &about {
        let key = params.push(about);
        conditions.push(format!(
            "q.rowid IN (SELECT quote FROM quote_about WHERE name_key = {key}
                         UNION SELECT quote FROM quote_about WHERE last_key = {key})"
        ));
    }
    if let Some(outlet) = &filter.outlet {
        let outlet = params.push(outlet);
        conditions.push(format!(
            "q.article IN (SELECT rowid FROM articles WHERE outlet ILIKE '%' || {outlet}::text || '%')"
        ));
    }
    if let Some(since) = &filter.since {
        let since = params.push(since);
        conditions.push(format!(
            "q.sort_date >= {since}::text AND q.sort_date < '~'"
        ));
    }
    if let Some(until) = &filter.until {
        let until = params.push(until);
        conditions.push(format!(
            "left(q.sort_date, length({until}::text)) <= {until}::text"
        ));
    }
    let limit_param = params.push(&page_limit);
    let offset_param = params.push(&offset);
    let sql = format!(
        "SELECT q.rowid, q.text, q.kind, q.speaker, q.verb, q.neutral, q.channel,
                a.id, a.story, a.outlet, a.published, a.url
         FROM (SELECT q.rowid AS page_quote FROM quotes q WHERE {}
               ORDER BY q.sort_date, q.article, q.quote
               LIMIT {limit_param}::bigint OFFSET {offset_param}::bigint) page
         JOIN quotes q ON q.rowid = page.page_quote
         JOIN articles a ON a.rowid = q.article
         ORDER BY q.sort_date, q.article, q.quote",
        conditions.join(" AND ")
    );
    let statement = store
        .prepared(client, &sql)
        .map_err(|error| store.error(error))?;
    let rows = client
        .query(&statement, params.as_slice())
        .map_err(|error| store.error(error))?;
    let quote_rows: Vec<i64> = rows.iter().map(|row| row.get(0)).collect();
    let mut about_of: HashMap<i64, Vec<String>> = HashMap::new();
    if !quote_rows.is_empty() {
        let statement = store
            .prepared(
                client,
                "SELECT quote, name FROM quote_about WHERE quote = ANY($1) ORDER BY quote, name",
            )
            .map_err(|error| store.error(error))?;
        for row in client
            .query(&statement, &[&quote_rows])
            .map_err(|error| store.error(error))?
        {
            about_of.entry(row.get(0)).or_default().push(row.get(1));
        }
    }
    rows.iter()
        .map(|row| {
            let quote_rowid: i64 = row.get(0);
            Ok(QuoteRecord {
                text: row.get(1),
                kind: contract_word(store, row.get(2), QuoteKind::from_name)?,
                speaker: row.get(3),
                verb: row.get(4),
                neutral: row.get(5),
                channel: row.get(6),
                about: about_of.remove(&quote_rowid).unwrap_or_default(),
                article: row.get(7),
                story: row.get(8),
                outlet: row.get(9),
                published: row.get(10),
                url: row.get(11),
            })
        })
        .collect()
}

pub fn entity(
    store: &PostgresStore,
    client: &mut Client,
    name: &str,
    limit: Option<usize>,
) -> Result<EntityReport> {
    let key = name_keys(name).0;
    let statement = store
        .prepared(
            client,
            "SELECT max(e.name), e.type, count(DISTINCT e.article), sum(e.mentions)::bigint
         FROM entities e JOIN articles a ON a.rowid = e.article
         WHERE (e.name_key = $1 OR e.last_key = $1) AND a.duplicate_of IS NULL
         GROUP BY e.name_key, e.type ORDER BY 3 DESC, 4 DESC, 1",
        )
        .map_err(|error| store.error(error))?;
    let name_rows = client
        .query(&statement, &[&key])
        .map_err(|error| store.error(error))?;
    let statement = store
        .prepared(
            client,
            "SELECT day, count(DISTINCT article), sum(mentions)::bigint
         FROM (SELECT coalesce(left(a.published, 10), 'undated') AS day,
                      a.rowid AS article, e.mentions
               FROM entities e JOIN articles a ON a.rowid = e.article
               WHERE (e.name_key = $1 OR e.last_key = $1) AND a.duplicate_of IS NULL) mentions
         GROUP BY day ORDER BY day = 'undated', day",
        )
        .map_err(|error| store.error(error))?;
    let timeline = client
        .query(&statement, &[&key])
        .map_err(|error| store.error(error))?
        .iter()
        .map(|row| MentionPeriod {
            date: row.get(0),
            articles: row.get::<_, i64>(1) as usize,
            mentions: row.get::<_, i64>(2) as usize,
        })
        .collect();
    let quotes_by = quotes(
        store,
        client,
        &QuoteFilter {
            speaker: Some(name.to_string()),
            limit,
            ..QuoteFilter::default()
        },
    )?;
    let quotes_about = quotes(
        store,
        client,
        &QuoteFilter {
            about: Some(name.to_string()),
            limit,
            ..QuoteFilter::default()
        },
    )?;
    let names = name_rows
        .iter()
        .map(|row| {
            Ok(EntityCount {
                name: row.get(0),
                entity_type: contract_word(store, row.get(1), EntityType::from_name)?,
                articles: row.get::<_, i64>(2) as usize,
                mentions: row.get::<_, i64>(3) as usize,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(EntityReport {
        query: name.to_string(),
        names,
        timeline,
        quotes_by,
        quotes_about,
    })
}

/// The options of `ts_headline` for a snippet like SQLite's (about 16 words, matches in
/// brackets, one passage).
const HEADLINE_OPTIONS: &str =
    "StartSel=[, StopSel=], MaxWords=16, MinWords=8, ShortWord=2, MaxFragments=1";

pub fn search(store: &PostgresStore, query: &SearchQuery) -> Result<Vec<SearchHit>> {
    let refuse = |message: String| StoreError::Query {
        query: query.text.clone(),
        message,
    };
    if query.text.trim().is_empty() {
        return Err(refuse("empty query".into()));
    }
    check_cost(&query.text).map_err(refuse)?;
    let tsquery = match tsquery::translate(&query.text) {
        Ok(tsquery) => tsquery,
        // Not the syntax (a stray quote, a lone operator): search the words as plain terms,
        // as the SQLite store does.
        Err(message) => {
            let words: Vec<String> = crate::features::words(&query.text).collect();
            if words.len() > MAX_SEARCH_TERMS {
                return Err(refuse(too_many_terms(words.len())));
            }
            tsquery::plain_words(&words).ok_or_else(|| refuse(message))?
        }
    };
    let mut guard = store.client.borrow_mut();
    let client = guard.as_mut().ok_or_else(|| store.closed())?;
    run_search(store, client, query, &tsquery)
}

fn run_search(
    store: &PostgresStore,
    client: &mut Client,
    query: &SearchQuery,
    tsquery: &str,
) -> Result<Vec<SearchHit>> {
    let entity = query.entity.as_deref().map(|name| name_keys(name).0);
    let page_limit = limit(query.limit);
    let offset = query.offset as i64;
    let mut params = Params::default();
    let tsquery_param = params.push(&tsquery);
    let mut conditions = vec!["s.document @@ matching.query".to_string()];
    if let Some(outlet) = &query.outlet {
        let outlet = params.push(outlet);
        conditions.push(format!("a.outlet ILIKE '%' || {outlet}::text || '%'"));
    }
    if let Some(since) = &query.since {
        let since = params.push(since);
        conditions.push(format!("a.published >= {since}::text"));
    }
    if let Some(until) = &query.until {
        let until = params.push(until);
        conditions.push(format!(
            "left(a.published, length({until}::text)) <= {until}::text"
        ));
    }
    if let Some(entity) = &entity {
        let key = params.push(entity);
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM entities e
                     WHERE e.article = a.rowid AND (e.name_key = {key} OR e.last_key = {key}))"
        ));
    }
    let limit_param = params.push(&page_limit);
    let offset_param = params.push(&offset);
    // The page is chosen first; only its rows get a headline, which reads the whole text.
    let sql = format!(
        "SELECT a.id, a.story, a.title, a.outlet, a.published, a.url,
                ts_headline('english', s.text, page.query, '{HEADLINE_OPTIONS}'), page.rank
         FROM (SELECT s.article, ts_rank(s.document, matching.query)::float8 AS rank,
                      matching.query, a.id
               FROM to_tsquery('english', {tsquery_param}::text) AS matching(query),
                    search s JOIN articles a ON a.rowid = s.article
               WHERE {}
               ORDER BY rank DESC, a.id
               LIMIT {limit_param}::bigint OFFSET {offset_param}::bigint) page
         JOIN search s ON s.article = page.article
         JOIN articles a ON a.rowid = page.article
         ORDER BY page.rank DESC, a.id",
        conditions.join(" AND ")
    );
    let statement = store
        .prepared(client, &sql)
        .map_err(|error| store.error(error))?;
    Ok(client
        .query(&statement, params.as_slice())
        .map_err(|error| store.error(error))?
        .iter()
        .map(|row| SearchHit {
            id: row.get(0),
            story: row.get(1),
            title: row.get(2),
            outlet: row.get(3),
            published: row.get(4),
            url: row.get(5),
            snippet: row.get(6),
            score: row.get(7),
        })
        .collect())
}
