//! The PostgreSQL answers to a corpus scan (`scan.rs`): articles by rowid, stories by id, a page
//! at a time, with the SQLite scan's filters (outlets by `ILIKE` substring, dates as text).
//! Each page is one statement: an export holds no transaction open between pages.

use super::{stored_article, views, PostgresStore};
use crate::scan::{ArticleCursor, ArticlePage, ArticleScan, StoryPage};
use crate::Result;

/// A page of articles after `after`.
pub(super) fn articles(
    store: &PostgresStore,
    scan: &ArticleScan,
    after: Option<ArticleCursor>,
    limit: usize,
) -> Result<ArticlePage> {
    let limit = limit.clamp(1, i64::MAX as usize) as i64;
    let rows = store.with_client(|client| {
        let statement = store.prepared(
            client,
            "SELECT rowid, id, json, story, duplicate_of FROM articles
             WHERE rowid > $1
               AND ($2::text IS NULL OR outlet ILIKE '%' || $2::text || '%')
               AND ($3::text IS NULL OR published >= $3::text)
               AND ($4::text IS NULL OR left(published, length($4::text)) <= $4::text)
             ORDER BY rowid LIMIT $5",
        )?;
        let rows = client.query(
            &statement,
            &[
                &after.map_or(0, |cursor| cursor.0),
                &scan.outlet,
                &scan.since,
                &scan.until,
                &limit,
            ],
        )?;
        Ok(rows
            .iter()
            .map(|row| (row.get::<_, i64>(0), article_row_at(row)))
            .collect::<Vec<_>>())
    })?;
    let next = match rows.last() {
        Some((position, _)) if rows.len() as i64 == limit => Some(ArticleCursor(*position)),
        _ => None,
    };
    let articles = rows
        .into_iter()
        .map(|(_, row)| stored_article(row))
        .collect::<Result<Vec<_>>>()?;
    Ok(ArticlePage { articles, next })
}

/// The article columns of a scan row, which starts with its rowid.
fn article_row_at(row: &::postgres::Row) -> super::ArticleRow {
    let json: &[u8] = row.get(2);
    (
        row.get(1),
        crate::record::decompress_json(json),
        row.get(3),
        row.get(4),
    )
}

/// A page of stories after the id `after`.
pub(super) fn stories(
    store: &PostgresStore,
    after: Option<&str>,
    limit: usize,
) -> Result<StoryPage> {
    let limit = limit.clamp(1, i64::MAX as usize) as i64;
    let rows = store.with_client(|client| {
        let statement = store.prepared(
            client,
            &format!(
                "SELECT {} FROM stories WHERE id > $1 ORDER BY id LIMIT $2",
                views::SUMMARY_COLUMNS
            ),
        )?;
        client.query(&statement, &[&after.unwrap_or(""), &limit])
    })?;
    let stories = rows
        .iter()
        .map(|row| views::summary(store, row))
        .collect::<Result<Vec<_>>>()?;
    let next = match stories.last() {
        Some(last) if stories.len() as i64 == limit => Some(last.id.clone()),
        _ => None,
    };
    Ok(StoryPage { stories, next })
}
