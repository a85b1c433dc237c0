//! `newslens export`: a corpus table written as JSON lines, CSV, Parquet or GDELT GKG-style TSV
//! for pandas, R, DuckDB, spreadsheets and GDELT pipelines.
//!
//! The export itself is `newslens-export` (rows streamed from the store a page at a time); this
//! module parses the arguments, opens the output (`-` is standard output) and prints one summary
//! line on stderr. A partly written file is removed when the export fails, so a failed export
//! never leaves a file that looks complete.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};

use newslens_contract::dates::is_date_bound;
use newslens_export::{export, ExportRequest, Format, Table};
use newslens_store::ArticleScan;

use crate::database::{open_existing, shown, DEFAULT_DB};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableArg {
    /// One row per article, with its text, tone and counts.
    Articles,
    /// One row per quote, with speaker, verb and offsets.
    Quotes,
    /// One row per entity of an article.
    Entities,
    /// One row per mention of an entity.
    Mentions,
    /// One row per story.
    Stories,
    /// One row per loaded-language span.
    Loaded,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One JSON object a line.
    Jsonl,
    /// RFC 4180 CSV with a header row; lists as JSON arrays.
    Csv,
    /// Apache Parquet (Snappy), typed columns and lists.
    Parquet,
    /// GDELT GKG 2.1-style TSV, one record per article (--table articles).
    Gkg,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The corpus: an SQLite file, or a PostgreSQL database as postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "PATH|URL", default_value = DEFAULT_DB)]
    db: String,
    /// The table to write.
    #[arg(long, value_enum)]
    table: TableArg,
    /// The file format.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// Only articles published on or after this date (YYYY, YYYY-MM, YYYY-MM-DD…).
    #[arg(long, value_name = "DATE", value_parser = date_bound)]
    since: Option<String>,
    /// Only articles published on or before this date (a prefix: 2024-05 is all of May).
    #[arg(long, value_name = "DATE", value_parser = date_bound)]
    until: Option<String>,
    /// Only articles of this outlet (any part of its name, any case).
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// The file to write, or - for standard output.
    #[arg(long, value_name = "FILE")]
    out: String,
}

fn date_bound(text: &str) -> std::result::Result<String, String> {
    if is_date_bound(text) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "{text:?} is not a date: give YYYY, YYYY-MM, YYYY-MM-DD or a full ISO 8601 time"
        ))
    }
}

pub fn run(args: &ExportArgs) -> Result<()> {
    let table = Table::from_name(
        args.table
            .to_possible_value()
            .expect("a named table")
            .get_name(),
    )
    .expect("every table argument names a table");
    let format = Format::from_name(
        args.format
            .to_possible_value()
            .expect("a named format")
            .get_name(),
    )
    .expect("every format argument names a format");
    if format == Format::Gkg && table != Table::Articles {
        bail!(
            "--format gkg writes one record per article: use --table articles, not {}",
            table.name()
        );
    }
    let mut request = ExportRequest::new(table, format);
    request.scan = ArticleScan {
        outlet: args.outlet.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
    };
    let store = open_existing(&args.db)?;
    let started = Instant::now();
    let summary = if args.out == "-" {
        let stdout = std::io::stdout();
        if format == Format::Parquet && stdout.is_terminal() {
            bail!("Parquet is binary: give --out FILE or redirect standard output");
        }
        let out = BufWriter::with_capacity(1 << 16, stdout);
        export(&*store, &request, out).with_context(|| format!("exporting {}", shown(&args.db)))?
    } else {
        let path = PathBuf::from(&args.out);
        let file = std::fs::File::create(&path)
            .with_context(|| format!("{}: cannot create the export file", path.display()))?;
        let outcome = export(&*store, &request, BufWriter::with_capacity(1 << 16, file));
        match outcome {
            Ok(summary) => summary,
            Err(error) => {
                let _ = std::fs::remove_file(&path);
                return Err(error).with_context(|| {
                    format!("exporting {} to {}", shown(&args.db), path.display())
                });
            }
        }
    };
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(
        stderr,
        "exported {} {} rows ({} {} read) as {} to {} in {:.2} s",
        summary.rows,
        table.name(),
        summary.read,
        if table == Table::Stories {
            "stories"
        } else {
            "articles"
        },
        format.name(),
        if args.out == "-" {
            "standard output"
        } else {
            args.out.as_str()
        },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
