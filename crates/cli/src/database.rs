//! The `--db` argument every corpus command and `serve` take: an SQLite file's path or a
//! PostgreSQL URL (`postgres://USER@HOST:PORT/DB`), opened through `newslens_store::open`.
//!
//! This module only opens and names the corpus; the commands decide what to do with it. A URL is
//! always shown without its password.

use std::path::Path;

use anyhow::{bail, Context, Result};

use newslens_read::printable;
use newslens_store::{is_postgres_url, redact_url, Store};

/// The default `--db`.
pub const DEFAULT_DB: &str = "newslens.db";

/// How a corpus is named in messages: the path, or the URL without its password, escaped.
pub fn shown(db: &str) -> String {
    printable(&redact_url(db)).into_owned()
}

/// Opens the corpus, creating it (or its tables) when missing.
pub fn open(db: &str) -> Result<Box<dyn Store + Send>> {
    newslens_store::open(db).with_context(|| format!("cannot open the corpus {}", shown(db)))
}

/// Opens a corpus that must exist already: a missing SQLite file is an error that says how to
/// make one, instead of an empty corpus created by a read. (A PostgreSQL database is there or
/// the connection says it is not.)
pub fn open_existing(db: &str) -> Result<Box<dyn Store + Send>> {
    if !is_postgres_url(db) && !Path::new(db).exists() {
        bail!(
            "{}: no corpus here; create one with `newslens ingest --db {} PATH...`",
            shown(db),
            shown(db)
        );
    }
    open(db)
}
