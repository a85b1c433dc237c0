//! Versioned schema migrations for the PostgreSQL store, run by refinery.
//!
//! Each migration is one SQL file in `crates/store/migrations/postgres/` named
//! `V{version}__{name}.sql`, applied once, in order, each in its own transaction, and recorded
//! with its checksum in refinery's table `refinery_schema_history`; an applied file that was
//! edited afterwards is refused (refinery's divergence check), and so is a database that a newer
//! newslens migrated past what this build knows. Two processes opening a new database at once
//! take turns on a session advisory lock, so it is migrated once. This module does not know what
//! the tables mean.
//!
//! SQLite keeps its own runner (`sqlite/migrations.rs`, `PRAGMA user_version`), so that every
//! corpus file written so far opens as it did.

use postgres::Client;
use refinery::{Migration, Runner};

use crate::{Result, StoreError};

/// `(name, SQL)` in order; a new schema change is a new file and a new line here, never an edit
/// of an applied one.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "V1__corpus",
        include_str!("../../migrations/postgres/V1__corpus.sql"),
    ),
    (
        "V2__sitemap_lastmod",
        include_str!("../../migrations/postgres/V2__sitemap_lastmod.sql"),
    ),
    (
        "V3__incremental_stories",
        include_str!("../../migrations/postgres/V3__incremental_stories.sql"),
    ),
    (
        "V4__outlet_aggregates",
        include_str!("../../migrations/postgres/V4__outlet_aggregates.sql"),
    ),
    (
        "V5__outlet_shared_stories",
        include_str!("../../migrations/postgres/V5__outlet_shared_stories.sql"),
    ),
    (
        "V6__drop_outlet_words",
        include_str!("../../migrations/postgres/V6__drop_outlet_words.sql"),
    ),
    (
        "V7__outlet_shared_terms_unindexed_others",
        include_str!("../../migrations/postgres/V7__outlet_shared_terms_unindexed_others.sql"),
    ),
    (
        "V8__story_postings_by_period",
        include_str!("../../migrations/postgres/V8__story_postings_by_period.sql"),
    ),
    (
        "V9__outlet_shared_terms_unindexed_own",
        include_str!("../../migrations/postgres/V9__outlet_shared_terms_unindexed_own.sql"),
    ),
];

/// The newest schema version this build knows.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// The session advisory lock migrations run under ("nlmigra" in ASCII).
const MIGRATION_LOCK: i64 = 0x006e_6c6d_6967_7261;

/// Brings the database to the latest version.
pub fn migrate(client: &mut Client, url: &str) -> Result<()> {
    let wrap = |source| StoreError::Postgres {
        url: url.to_string(),
        source,
    };
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .map_err(wrap)?;
    let outcome = run(client, url);
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .map_err(wrap);
    outcome.and(unlocked.map(|_| ()))
}

fn run(client: &mut Client, url: &str) -> Result<()> {
    let wrap = |source| StoreError::Postgres {
        url: url.to_string(),
        source,
    };
    let refused = |error: refinery::Error| StoreError::Migration {
        url: url.to_string(),
        message: error.to_string(),
    };
    // Planning a query over a missing table fails, so whether it exists is asked first.
    let has_history: bool = client
        .query_one(
            "SELECT to_regclass('refinery_schema_history') IS NOT NULL",
            &[],
        )
        .map_err(wrap)?
        .get(0);
    let applied: Option<i32> = if has_history {
        client
            .query_one("SELECT max(version) FROM refinery_schema_history", &[])
            .map_err(wrap)?
            .get(0)
    } else {
        None
    };
    let applied = applied.unwrap_or(0).max(0) as u32;
    if applied > latest_version() {
        return Err(StoreError::NewerSchema {
            path: url.to_string(),
            found: applied,
            known: latest_version(),
        });
    }
    if applied == latest_version() {
        return Ok(());
    }
    let migrations = MIGRATIONS
        .iter()
        .map(|(name, sql)| Migration::unapplied(name, sql))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(refused)?;
    Runner::new(&migrations).run(client).map_err(refused)?;
    Ok(())
}
