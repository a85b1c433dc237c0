//! newslens exports: a corpus's articles, quotes, entities, mentions, stories and loaded-language
//! spans as tables for the tools researchers use — JSON lines, CSV (RFC 4180), Parquet, and
//! GDELT GKG 2.1-style TSV.
//!
//! This crate sits after the store in the flow (read → analyse → store → **export**). It reads a
//! corpus through [`newslens_store::Store::scan_articles`] / [`Store::scan_stories`], a page at a
//! time, turns each article into the rows of the table asked for (`tables.rs`, one column list
//! for every format) and hands them to a [`RowSink`] that writes them at once (Parquet: a row
//! group at a time). **Architecture invariant: memory does not grow with the corpus** — at most
//! one page of articles, one Arrow batch and one Parquet row group are held.
//!
//! It does not open files by name or parse arguments (the CLI does), and it never writes to a
//! store.
//!
//! # Brief overview
//! ```
//! use newslens_core::{analyze, Document};
//! use newslens_export::{export, ExportRequest, Format, Table};
//! use newslens_store::{prepare, SqliteStore, Store};
//!
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let document = Document::new("\"We will rebuild the pier,\" said Mayor Ann Lee on Monday.");
//! store.add_articles(&[prepare(analyze(&document))]).unwrap();
//!
//! let mut csv = Vec::new();
//! let request = ExportRequest::new(Table::Quotes, Format::Csv);
//! let summary = export(&store, &request, &mut csv).unwrap();
//! assert_eq!(summary.rows, 1);
//! let csv = String::from_utf8(csv).unwrap();
//! assert!(csv.starts_with("article_id,story_id,quote_idx,"));
//! assert!(csv.contains("We will rebuild the pier"));
//! ```
#![warn(missing_docs)]

pub mod columns;
pub mod gkg;
pub mod parquet_table;
pub mod tables;
pub mod text_formats;

use std::io::Write;

use newslens_store::{ArticleCursor, ArticleScan, Store, StoreError};

pub use columns::{Column, ColumnType, Value};
pub use gkg::GKG_COLUMNS;
pub use tables::Table;

/// An export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// Apache Parquet, Snappy-compressed.
    Parquet,
    /// GDELT GKG 2.1-style tab-separated records, one per article.
    Gkg,
}

impl Format {
    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Gkg => "gkg",
        }
    }

    /// The format of this name.
    pub fn from_name(name: &str) -> Option<Format> {
        [Format::Jsonl, Format::Csv, Format::Parquet, Format::Gkg]
            .into_iter()
            .find(|format| format.name() == name)
    }
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// The table.
    pub table: Table,
    /// The format.
    pub format: Format,
    /// Which articles (for stories: stories with at least one such article).
    pub scan: ArticleScan,
    /// Articles (or stories) read from the store at a time.
    pub page: usize,
}

impl ExportRequest {
    /// Every row of `table` in `format`.
    pub fn new(table: Table, format: Format) -> ExportRequest {
        ExportRequest {
            table,
            format,
            scan: ArticleScan::default(),
            page: newslens_store::scan::DEFAULT_PAGE,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Rows (GKG: records) written.
    pub rows: u64,
    /// Articles read (for stories: stories read).
    pub read: u64,
}

/// What can go wrong in an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the corpus failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the output failed (a full disk, a closed pipe).
    #[error("writing the export: {0}")]
    Write(#[source] std::io::Error),
    /// The Parquet writer refused.
    #[error("writing Parquet: {0}")]
    Parquet(#[source] parquet::errors::ParquetError),
    /// A table and format that do not go together.
    #[error("{0}")]
    Unsupported(String),
    /// A row value of the wrong type for its column (a bug, reported rather than written).
    #[error("column {0}: a value of the wrong type")]
    Column(&'static str),
}

impl ExportError {
    fn from_json(error: serde_json::Error) -> ExportError {
        ExportError::Write(std::io::Error::other(error))
    }

    fn from_csv(error: csv::Error) -> ExportError {
        match error.into_kind() {
            csv::ErrorKind::Io(error) => ExportError::Write(error),
            other => ExportError::Write(std::io::Error::other(format!("{other:?}"))),
        }
    }

    /// Whether the reader of the output went away (`newslens export … | head`).
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            ExportError::Write(error) => error.kind() == std::io::ErrorKind::BrokenPipe,
            ExportError::Parquet(parquet::errors::ParquetError::External(error)) => error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|error| error.kind() == std::io::ErrorKind::BrokenPipe),
            _ => false,
        }
    }
}

/// Results of an export.
pub type Result<T> = std::result::Result<T, ExportError>;

/// Where rows go: a format's writer.
pub trait RowSink {
    /// Writes one row (values in the table's column order).
    fn write_row(&mut self, row: Vec<Value>) -> Result<()>;
    /// Writes what is pending (a Parquet footer) and flushes.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// The writer of `table` in a row format (not GKG) to `out`.
pub fn row_sink<'w, W: Write + Send + 'w>(
    table: Table,
    format: Format,
    out: W,
) -> Result<Box<dyn RowSink + 'w>> {
    let columns = table.columns();
    Ok(match format {
        Format::Jsonl => Box::new(text_formats::JsonLines::new(out, columns)),
        Format::Csv => Box::new(text_formats::Csv::new(out, columns)?),
        Format::Parquet => Box::new(parquet_table::Parquet::new(out, columns)?),
        Format::Gkg => {
            return Err(ExportError::Unsupported(
                "the gkg format is one record per article and has no row writer".into(),
            ))
        }
    })
}

/// Exports what `request` asks for from `store` to `out`, streaming.
pub fn export<S, W>(store: &S, request: &ExportRequest, out: W) -> Result<ExportSummary>
where
    S: Store + ?Sized,
    W: Write + Send,
{
    if request.format == Format::Gkg {
        if request.table != Table::Articles {
            return Err(ExportError::Unsupported(format!(
                "--format gkg writes one record per article: use --table articles, not {}",
                request.table.name()
            )));
        }
        return export_gkg(store, request, out);
    }
    let mut sink = row_sink(request.table, request.format, out)?;
    let mut summary = ExportSummary::default();
    if request.table == Table::Stories {
        let mut after: Option<String> = None;
        loop {
            let page = store.scan_stories(after.as_deref(), request.page)?;
            for story in &page.stories {
                summary.read += 1;
                let admitted = request.scan.is_everything()
                    || story.articles.iter().any(|article| {
                        request
                            .scan
                            .admits(article.outlet.as_deref(), article.published.as_deref())
                    });
                if admitted {
                    sink.write_row(tables::story_row(story))?;
                    summary.rows += 1;
                }
            }
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
    } else {
        for_each_article(store, request, &mut |stored| {
            let mut failure = None;
            tables::article_rows(request.table, stored, &mut |row| {
                if failure.is_none() {
                    match sink.write_row(row) {
                        Ok(()) => summary.rows += 1,
                        Err(error) => failure = Some(error),
                    }
                }
            });
            summary.read += 1;
            failure.map_or(Ok(()), Err)
        })?;
    }
    sink.finish()?;
    Ok(summary)
}

fn export_gkg<S, W>(store: &S, request: &ExportRequest, out: W) -> Result<ExportSummary>
where
    S: Store + ?Sized,
    W: Write,
{
    let mut gkg = gkg::Gkg::new(out);
    let mut summary = ExportSummary::default();
    for_each_article(store, request, &mut |stored| {
        gkg.write_article(stored)?;
        summary.read += 1;
        summary.rows += 1;
        Ok(())
    })?;
    gkg.finish()?;
    Ok(summary)
}

/// Runs `visit` on every article the request's scan selects, a page at a time.
fn for_each_article<S: Store + ?Sized>(
    store: &S,
    request: &ExportRequest,
    visit: &mut dyn FnMut(&newslens_store::StoredArticle) -> Result<()>,
) -> Result<()> {
    let mut after: Option<ArticleCursor> = None;
    loop {
        let page = store.scan_articles(&request.scan, after, request.page)?;
        for stored in &page.articles {
            visit(stored)?;
        }
        match page.next {
            Some(next) => after = Some(next),
            None => return Ok(()),
        }
    }
}
