//! Versioned schema migrations for the SQLite store.
//!
//! Each migration is one SQL file in `crates/store/migrations/`, applied once, in order, inside a
//! transaction together with the bump of `PRAGMA user_version`, so a database is always at exactly
//! one version. A database newer than this build is refused rather than guessed at. This module
//! does not know what the tables mean.

use rusqlite::{Connection, TransactionBehavior};

/// `(version, SQL)` in order; a new schema change is a new file and a new line here, never an edit
/// of an applied one.
const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../../migrations/0001_corpus.sql")),
    (2, include_str!("../../migrations/0002_quote_order.sql")),
    (3, include_str!("../../migrations/0003_story_listing.sql")),
    (
        4,
        include_str!("../../migrations/0004_compressed_article_json.sql"),
    ),
    (5, include_str!("../../migrations/0005_fetch_log.sql")),
    (6, include_str!("../../migrations/0006_sitemap_lastmod.sql")),
    (
        7,
        include_str!("../../migrations/0007_incremental_stories.sql"),
    ),
    (
        8,
        include_str!("../../migrations/0008_outlet_aggregates.sql"),
    ),
    (
        9,
        include_str!("../../migrations/0009_outlet_shared_stories.sql"),
    ),
    (
        10,
        include_str!("../../migrations/0010_drop_outlet_words.sql"),
    ),
    (
        11,
        include_str!("../../migrations/0011_outlet_shared_terms_unindexed_others.sql"),
    ),
    (
        12,
        include_str!("../../migrations/0012_story_postings_by_period.sql"),
    ),
    (
        13,
        include_str!("../../migrations/0013_outlet_shared_terms_unindexed_own.sql"),
    ),
    (
        14,
        include_str!("../../migrations/0014_corpus_counters.sql"),
    ),
];

/// The newest schema version this build knows.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |(version, _)| *version)
}

/// Why migrating stopped.
#[derive(Debug)]
pub enum MigrationError {
    /// SQLite refused.
    Sqlite(rusqlite::Error),
    /// The database is at a newer version than this build knows.
    Newer(u32),
}

impl From<rusqlite::Error> for MigrationError {
    fn from(error: rusqlite::Error) -> MigrationError {
        MigrationError::Sqlite(error)
    }
}

/// Brings the database to the latest version.
pub fn migrate(connection: &mut Connection) -> Result<(), MigrationError> {
    // Most opens find the schema current: answer without taking the write lock, so opening a
    // reader never waits for a writer.
    let current: u32 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current > latest_version() {
        return Err(MigrationError::Newer(current));
    }
    if current == latest_version() {
        return Ok(());
    }
    for (version, sql) in MIGRATIONS {
        // Each step reads the version inside its own write transaction: when two processes open
        // a new database at once, the second waits for the first step, then sees it done.
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: u32 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if current > latest_version() {
            return Err(MigrationError::Newer(current));
        }
        if *version <= current {
            continue;
        }
        transaction.execute_batch(sql)?;
        transaction.pragma_update(None, "user_version", version)?;
        transaction.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{day_number, posting_bucket};

    #[test]
    fn postings_stored_before_periods_get_their_articles_day_and_bucket() {
        let mut connection = Connection::open_in_memory().unwrap();
        for (version, sql) in &MIGRATIONS[..11] {
            connection.execute_batch(sql).unwrap();
            connection
                .pragma_update(None, "user_version", version)
                .unwrap();
        }
        let published = newslens_testkit::PUBLICATION_DATES;
        for (rowid, published) in published.iter().enumerate() {
            connection
                .execute(
                    "INSERT INTO articles (rowid, id, published, story, terms, minhash, json)
                     VALUES (?1, ?2, ?3, 's', x'', x'', '{}')",
                    rusqlite::params![rowid as i64, format!("a{rowid}"), published],
                )
                .unwrap();
            connection
                .execute(
                    "INSERT INTO story_postings (term, article) VALUES (7, ?1)",
                    [rowid as i64],
                )
                .unwrap();
        }
        migrate(&mut connection).unwrap();
        for (rowid, published) in published.iter().enumerate() {
            let (bucket, day): (i64, Option<i32>) = connection
                .query_row(
                    "SELECT bucket, day FROM story_postings WHERE article = ?1 AND term = 7",
                    [rowid as i64],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .unwrap();
            let expected = published.and_then(day_number);
            assert_eq!(day, expected, "{published:?}");
            assert_eq!(bucket, posting_bucket(expected), "{published:?}");
        }
    }
}
