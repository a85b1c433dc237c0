//! The corpus benchmark behind `newslens bench ingest`: N articles built from the development
//! texts, ingested through the pipeline, then the story update phase by phase and the views timed.
//!
//! The articles are made at run time, never committed: article `k` joins the first half of one
//! development text (PolNeAR, ECB+, PTC) to the second half of another, with its own outlet and
//! date, so they are distinct texts of realistic length and vocabulary. This module measures and
//! returns figures; printing them is the caller's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use newslens_read::ReadOptions;
use newslens_store::bench::{time_views, ViewTimes};
use newslens_store::{SqliteStore, Store, StoryConfig};

use crate::clock::{peak_memory_kib, process_cpu_time, resident_memory_kib};
use crate::{ingest, records_of, Chunks, IngestReport, Pipeline, PipelineError, Settings};

/// The development texts the articles are built from, under the data folder.
const TEXT_FOLDERS: [&str; 4] = [
    "quotes/polnear/train/text",
    "quotes/polnear/dev/text",
    "clustering/ecbplus/docs",
    "framing/ptc/articles",
];

/// Outlets the articles are spread over.
const N_OUTLETS: usize = 7;

/// What the benchmark measured.
#[derive(Debug, Clone)]
pub struct IngestBench {
    /// Articles built and ingested.
    pub n_articles: usize,
    /// Size of the JSON-lines input.
    pub input_bytes: u64,
    /// Analysis threads.
    pub threads: usize,
    /// Wall time of the whole ingest, stories included.
    pub wall: Duration,
    /// CPU time of the whole process during the ingest.
    pub cpu: Duration,
    /// The ingest's own report.
    pub report: IngestReport,
    /// Peak resident memory after the ingest, in KiB.
    pub peak_kib: u64,
    /// `stories --rebuild` over the new corpus: every article clustered again in one batch.
    pub rebuild: Duration,
    /// The views over the new corpus.
    pub views: ViewTimes,
    /// The database and its write-ahead log, in bytes.
    pub db_bytes: u64,
}

/// Builds `n_articles` from the texts under `data`, ingests them into a new corpus with `jobs`
/// threads and measures; the corpus is moved to `keep_db` when given, else deleted.
pub fn bench_ingest(
    data: &Path,
    n_articles: usize,
    jobs: Option<usize>,
    keep_db: Option<&Path>,
) -> crate::Result<IngestBench> {
    let dir = tempfile::tempdir().map_err(|source| io_error("a temporary folder", source))?;
    let input = dir.path().join("bench.jsonl");
    let db = dir.path().join("bench.db");
    let input_bytes = write_bench_input(data, n_articles, &input)?;

    let pipeline = Pipeline::new(Settings {
        jobs,
        read: ReadOptions::default(),
        ..Settings::default()
    })?;
    let mut store = SqliteStore::open(&db)?;
    let started = Instant::now();
    let cpu_before = process_cpu_time();
    let records = records_of(&[input.display().to_string()], &pipeline.settings().read);
    let report = ingest(&pipeline, &mut store, Chunks::new(records), &mut |_| {})?;
    let wall = started.elapsed();
    let cpu = process_cpu_time().saturating_sub(cpu_before);
    let peak_kib = peak_memory_kib();

    // The whole corpus clustered again in one batch, as `stories --rebuild` does.
    let phase = Instant::now();
    store.rebuild_stories(&StoryConfig::default())?;
    let rebuild = phase.elapsed();
    // As a finished ingest leaves it: the write-ahead log copied into the file (a closed corpus
    // has no log), so the size and the views are those a user's next command meets.
    store.checkpoint()?;
    let views = time_views(&store);
    let db_bytes: u64 = ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", db.display())).ok())
        .map(|metadata| metadata.len())
        .sum();
    if let Some(keep) = keep_db {
        drop(store);
        keep_database(&db, keep)?;
    }
    Ok(IngestBench {
        n_articles,
        input_bytes,
        threads: pipeline.threads(),
        wall,
        cpu,
        report,
        peak_kib,
        rebuild,
        views,
        db_bytes,
    })
}

/// How the benchmark's articles are dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BenchDates {
    /// 84 days of 2024 in turn (month `1 + i % 12`, day `1 + i % 28`): every day of the corpus
    /// grows denser as it grows, so its stories and their candidates grow with it.
    #[default]
    Cycle,
    /// A stream in date order: this many articles a day from 1 January 2024, as a desk following
    /// the same outlets adds them; the days before stay as they were.
    PerDay(usize),
}

impl BenchDates {
    fn date_of(self, article_idx: usize) -> String {
        match self {
            BenchDates::Cycle => {
                format!(
                    "2024-{:02}-{:02}",
                    1 + article_idx % 12,
                    1 + article_idx % 28
                )
            }
            BenchDates::PerDay(per_day) => {
                let day = (article_idx / per_day.max(1)) as i64;
                let start = jiff::civil::date(2024, 1, 1);
                start
                    .checked_add(jiff::Span::new().days(day))
                    .unwrap_or(start)
                    .to_string()
            }
        }
    }
}

/// Writes the benchmark's articles as JSON lines to `out`; returns its size in bytes.
pub fn write_bench_input(data: &Path, n_articles: usize, out: &Path) -> crate::Result<u64> {
    write_dated_bench_input(data, n_articles, BenchDates::Cycle, out)
}

/// [`write_bench_input`], dated as `dates` says.
pub fn write_dated_bench_input(
    data: &Path,
    n_articles: usize,
    dates: BenchDates,
    out: &Path,
) -> crate::Result<u64> {
    let mut texts = Vec::new();
    for folder in TEXT_FOLDERS {
        texts_in(&data.join(folder), &mut texts);
    }
    if texts.len() < 2 {
        return Err(PipelineError::NoBenchTexts(data.to_path_buf()));
    }
    let paragraphs: Vec<Vec<&str>> = texts
        .iter()
        .map(|text| {
            text.split("\n\n")
                .map(str::trim)
                .filter(|paragraph| !paragraph.is_empty())
                .collect()
        })
        .collect();
    let file = std::fs::File::create(out).map_err(|source| io_error(out, source))?;
    let mut writer = std::io::BufWriter::new(file);
    let n_texts = paragraphs.len();
    for article_idx in 0..n_articles {
        let first = article_idx % n_texts;
        let second = (first * 7 + article_idx / n_texts * 13 + 1) % n_texts;
        let (first_half, second_half) = (&paragraphs[first], &paragraphs[second]);
        let mut body: Vec<&str> = first_half[..first_half.len().div_ceil(2)].to_vec();
        body.extend_from_slice(&second_half[second_half.len() / 2..]);
        let line = serde_json::json!({
            "text": body.join("\n\n"),
            "outlet": format!("Bench Outlet {}", article_idx % N_OUTLETS),
            "url": format!("https://bench{}.example/{article_idx}", article_idx % N_OUTLETS),
            "published": dates.date_of(article_idx),
        });
        serde_json::to_writer(&mut writer, &line)
            .map_err(|error| io_error(out, std::io::Error::other(error)))?;
        writer
            .write_all(b"\n")
            .map_err(|source| io_error(out, source))?;
    }
    writer.flush().map_err(|source| io_error(out, source))?;
    Ok(std::fs::metadata(out).map_or(0, |metadata| metadata.len()))
}

/// The `.txt` files of `dir`, in name order (a missing folder adds nothing).
fn texts_in(dir: &Path, texts: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        if path.extension().is_some_and(|ext| ext == "txt") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                texts.push(text);
            }
        }
    }
}

/// Moves the benchmark's database (checkpointed into one file) to `keep`.
fn keep_database(db: &Path, keep: &Path) -> crate::Result<()> {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", keep.display()));
    }
    std::fs::copy(db, keep).map_err(|source| io_error(keep, source))?;
    Ok(())
}

fn io_error(path: impl AsRef<Path>, source: std::io::Error) -> PipelineError {
    PipelineError::Io {
        path: path.as_ref().to_path_buf(),
        source,
    }
}

/// One batch of [`bench_growth`], measured.
#[derive(Debug, Clone)]
pub struct BatchPoint {
    /// Articles in the corpus after the batch.
    pub corpus: usize,
    /// Wall time of the batch: reading, analysis, storing and placing its stories.
    pub wall: Duration,
    /// Of it, the story placement.
    pub stories: Duration,
    /// CPU time of the whole process during the batch (every thread): unlike wall time, it
    /// hardly moves when other programs share the cores.
    pub cpu: Duration,
    /// Peak resident memory during the batch, in KiB (the peak is reset before each batch), or
    /// the process's peak so far where the kernel cannot reset it.
    pub peak_kib: u64,
    /// Resident memory when the batch began, in KiB.
    pub before_kib: u64,
    /// Stories in the corpus after the batch.
    pub n_stories: usize,
}

/// What [`bench_growth`] measured in all.
#[derive(Debug, Clone)]
pub struct GrowthBench {
    /// Articles built and ingested.
    pub n_articles: usize,
    /// Articles per batch.
    pub batch: usize,
    /// Analysis threads.
    pub threads: usize,
    /// Wall time of every batch together.
    pub wall: Duration,
    /// Whether per-batch peaks were measured (the kernel reset the peak before each batch).
    pub peak_per_batch: bool,
}

/// Builds `n_articles` from the texts under `data` and ingests them `batch` at a time into a new
/// corpus, as a desk following the news would; `on_batch` hears of every batch as it is done.
/// With `keep`, the grown corpus is kept there.
pub fn bench_growth(
    data: &Path,
    n_articles: usize,
    dates: BenchDates,
    batch: usize,
    jobs: Option<usize>,
    keep: Option<&Path>,
    on_batch: &mut dyn FnMut(&BatchPoint),
) -> crate::Result<GrowthBench> {
    let dir = tempfile::tempdir().map_err(|source| io_error("a temporary folder", source))?;
    let input = dir.path().join("bench.jsonl");
    let db = dir.path().join("bench.db");
    write_dated_bench_input(data, n_articles, dates, &input)?;
    let pipeline = Pipeline::new(Settings {
        jobs,
        read: ReadOptions::default(),
        ..Settings::default()
    })?;
    let mut store = SqliteStore::open(&db)?;
    let mut records = records_of(&[input.display().to_string()], &pipeline.settings().read);
    let batch = batch.max(1);
    let mut corpus = 0;
    let mut wall = Duration::ZERO;
    let mut peak_per_batch = true;
    loop {
        let records: Vec<_> = records.by_ref().take(batch).collect();
        if records.is_empty() {
            break;
        }
        peak_per_batch &= reset_peak_memory();
        let before_kib = resident_memory_kib();
        let started = Instant::now();
        let cpu_before = process_cpu_time();
        let report = ingest(&pipeline, &mut store, Chunks::new(records), &mut |_| {})?;
        let elapsed = started.elapsed();
        let cpu = process_cpu_time().saturating_sub(cpu_before);
        wall += elapsed;
        corpus = report.counts.articles;
        on_batch(&BatchPoint {
            corpus,
            wall: elapsed,
            stories: report.story_time,
            cpu,
            peak_kib: peak_memory_kib(),
            before_kib,
            n_stories: report.counts.stories,
        });
    }
    drop(store);
    if let Some(keep) = keep {
        keep_database(&db, keep)?;
    }
    Ok(GrowthBench {
        n_articles: corpus,
        batch,
        threads: pipeline.threads(),
        wall,
        peak_per_batch,
    })
}

/// Resets the process's peak resident memory (`VmHWM`) to its current size, so the next reading
/// is the peak since now; false where the kernel does not allow it.
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[cfg(test)]
mod tests {
    use super::BenchDates;

    #[test]
    fn a_stream_advances_a_day_every_n_articles_and_the_cycle_repeats_every_84() {
        let stream = BenchDates::PerDay(1000);
        assert_eq!(stream.date_of(0), "2024-01-01");
        assert_eq!(stream.date_of(999), "2024-01-01");
        assert_eq!(stream.date_of(1000), "2024-01-02");
        // 31 days of January and 29 of February (2024 is a leap year).
        assert_eq!(stream.date_of(60_000), "2024-03-01");
        assert_eq!(BenchDates::Cycle.date_of(13), "2024-02-14");
        assert_eq!(BenchDates::Cycle.date_of(13 + 84), "2024-02-14");
    }
}
