//! `newslens bench export`: time and peak memory of exporting a corpus table in each format.
//!
//! It exports one table of an existing corpus (for example one kept by `bench ingest
//! --keep-db`) to a temporary file per format and prints rows, seconds, rows per second, file
//! size and the process's peak resident memory during that export (`VmHWM`, reset before each
//! export where the kernel allows), next to the resident memory before it. Run on corpora of
//! different sizes, it shows whether memory grows with the corpus (it should not: the export
//! streams). Nothing here is asserted; it measures.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use newslens_export::{export, ExportRequest, Format, Table};
use newslens_pipeline::{peak_memory_kib, resident_memory_kib};

use crate::database::{open_existing, shown};

#[derive(Args)]
pub struct BenchExportArgs {
    /// The corpus (an SQLite file or a postgres:// URL), e.g. one kept by `bench ingest --keep-db`.
    #[arg(long, value_name = "PATH|URL")]
    db: String,
    /// The table to export.
    #[arg(long, value_name = "TABLE", default_value = "quotes")]
    table: String,
    /// Formats to measure, comma-separated (jsonl, csv, parquet; gkg with --table articles).
    #[arg(long, value_name = "LIST", default_value = "parquet,csv,jsonl")]
    formats: String,
    /// Only articles published on or before this date (to export a part of the corpus and see
    /// whether memory follows the number of rows).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only articles published on or after this date.
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
}

pub fn run(args: &BenchExportArgs) -> Result<()> {
    let table = Table::from_name(&args.table).with_context(|| {
        format!(
            "--table {}: not a table (articles, quotes, entities, mentions, stories, loaded)",
            args.table
        )
    })?;
    let formats = args
        .formats
        .split(',')
        .map(|name| {
            Format::from_name(name.trim())
                .with_context(|| format!("--formats: {name} is not jsonl, csv, parquet or gkg"))
        })
        .collect::<Result<Vec<_>>>()?;
    let store = open_existing(&args.db)?;
    let counts = store.counts()?;
    println!(
        "bench export: {} ({} articles, {} quotes), table {}",
        shown(&args.db),
        counts.articles,
        counts.quotes,
        table.name()
    );
    let folder = tempfile::tempdir().context("a temporary folder for the exports")?;
    for format in formats {
        let path = folder
            .path()
            .join(format!("{}.{}", table.name(), format.name()));
        let file = std::fs::File::create(&path)
            .with_context(|| format!("{}: cannot create", path.display()))?;
        let before_kib = resident_memory_kib();
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        let started = Instant::now();
        let mut request = ExportRequest::new(table, format);
        request.scan.since = args.since.clone();
        request.scan.until = args.until.clone();
        let summary = export(
            &*store,
            &request,
            std::io::BufWriter::with_capacity(1 << 16, file),
        )?;
        let seconds = started.elapsed().as_secs_f64();
        let peak_kib = peak_memory_kib();
        let bytes = std::fs::metadata(&path).map(|meta| meta.len()).unwrap_or(0);
        println!(
            "  {:<8} {:>10} rows from {} articles in {:>7.2} s ({:>9.0} rows/s), {:>8.1} MB file; \
             resident {:.1} MB before, peak {:.1} MB{}",
            format.name(),
            summary.rows,
            summary.read,
            seconds,
            summary.rows as f64 / seconds.max(1e-9),
            bytes as f64 / 1e6,
            before_kib as f64 / 1024.0,
            peak_kib as f64 / 1024.0,
            if reset {
                ""
            } else {
                " (peak of the process so far: VmHWM could not be reset)"
            }
        );
        let _ = std::fs::remove_file(&path);
    }
    Ok(())
}
