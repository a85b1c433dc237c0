//! Opening a corpus by what `--db` names: a `postgres://` (or `postgresql://`) URL opens a
//! [`crate::PostgresStore`], anything else is the path of an SQLite file.
//!
//! Every command and the server open their corpus through [`open`], so the choice of backend is
//! made in one place. This module does not know either backend's schema.

use crate::store::Store;
use crate::{Result, SqliteStore};

/// Opens the corpus `db` names, creating it (or its schema) if missing and migrating it.
///
/// ```
/// let mut store = newslens_store::open(":memory:").unwrap();
/// assert_eq!(store.counts().unwrap().articles, 0);
/// ```
pub fn open(db: &str) -> Result<Box<dyn Store + Send>> {
    if is_postgres_url(db) {
        return open_postgres(db);
    }
    if db == ":memory:" {
        return Ok(Box::new(SqliteStore::open_in_memory()?));
    }
    Ok(Box::new(SqliteStore::open(db)?))
}

#[cfg(feature = "postgres")]
fn open_postgres(url: &str) -> Result<Box<dyn Store + Send>> {
    Ok(Box::new(crate::PostgresStore::open(url)?))
}

#[cfg(not(feature = "postgres"))]
fn open_postgres(url: &str) -> Result<Box<dyn Store + Send>> {
    Err(crate::StoreError::Unsupported {
        url: redact_url(url),
        message: "this newslens was built without PostgreSQL (the `postgres` feature of \
                  newslens-store)"
            .into(),
    })
}

/// Whether `db` is a PostgreSQL URL (`postgres://…` or `postgresql://…`, any case).
pub fn is_postgres_url(db: &str) -> bool {
    let lower = db.get(..13).unwrap_or(db).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The URL with its password replaced by `***`, for messages: `postgres://ann:***@host/db`.
/// Anything that is not a URL with a password comes back as it is.
pub fn redact_url(db: &str) -> String {
    let Some(scheme_end) = db.find("://").map(|idx| idx + 3) else {
        return db.to_string();
    };
    let authority_end = db[scheme_end..]
        .find(['/', '?'])
        .map_or(db.len(), |idx| scheme_end + idx);
    let authority = &db[scheme_end..authority_end];
    let Some(at) = authority.rfind('@') else {
        return db.to_string();
    };
    let Some(colon) = authority[..at].find(':') else {
        return db.to_string();
    };
    format!(
        "{}{}:***{}",
        &db[..scheme_end],
        &authority[..colon],
        &db[scheme_end + at..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_are_told_from_paths() {
        assert!(is_postgres_url("postgres://ann@localhost/news"));
        assert!(is_postgres_url("PostgreSQL://ann@localhost/news"));
        assert!(!is_postgres_url("postgres.db"));
        assert!(!is_postgres_url("corpora/postgres://x"));
        assert!(!is_postgres_url("ü"));
    }

    #[test]
    fn a_password_never_reaches_a_message() {
        assert_eq!(
            redact_url("postgres://ann:s3cr:et@db.example:5432/news?sslmode=disable"),
            "postgres://ann:***@db.example:5432/news?sslmode=disable"
        );
        assert_eq!(
            redact_url("postgres://ann@db.example/news"),
            "postgres://ann@db.example/news"
        );
        assert_eq!(redact_url("corpus.db"), "corpus.db");
    }
}
