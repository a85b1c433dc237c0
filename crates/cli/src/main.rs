//! The `newslens` command line: argument parsing and dispatch to the commands.
//!
//! Each command lives in its own module; this file only parses arguments, runs the command and
//! turns its outcome into an exit status (0 when every input succeeded, 1 when any failed, 2 for
//! usage errors). A closed pipe (`newslens analyze … | head`) ends the program quietly.

mod analyze;
mod bench;
mod bench_export;
mod bench_outlets;
#[cfg(feature = "queue")]
mod bench_queue;
mod bench_serve;
mod corpus;
mod database;
mod eval;
mod eval_outlets;
mod eval_stories;
mod export;
mod follow;
mod ingest;
mod outlets;
mod output;
#[cfg(feature = "queue")]
mod queue;
mod serve;
#[cfg(feature = "queue")]
mod submit;
mod train;
mod web;
#[cfg(feature = "queue")]
mod worker;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: the analysis and the corpus views make and drop
/// millions of small strings and vectors, and glibc's allocator spent a fifth of listing every
/// story freeing them (ARCHITECTURE.md has the measurements).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (libmimalloc-sys names only the options
/// mimalloc 2 and 3 share; the test below checks this one still means the purge delay).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system at once rather than a second later: a batch of analysis
/// frees tens of megabytes, and a long `ingest`/`follow`/`worker` run otherwise carries them as
/// resident memory into the next batch (the growth bench: 140 MB → 115 MB between batches, no
/// measurable time cost).
fn return_freed_memory_at_once() {
    // SAFETY: setting an option mimalloc reads atomically; any value is valid for it.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

/// newslens: who said what, about whom, when — and how each outlet told the story.
#[derive(Parser)]
#[command(name = "newslens", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse articles (.txt, .html, .jsonl, .warc, .warc.gz files, folders, or - for stdin)
    /// into the newslens.article/1 JSON contract.
    Analyze(analyze::AnalyzeArgs),
    /// Analyse articles (files, folders, or http(s) URLs of pages, feeds and sitemaps) and store
    /// them in the corpus database (default newslens.db), then update the stories.
    Ingest(ingest::IngestArgs),
    /// Poll feeds and ingest what is new, a round every --every (default 15m).
    Follow(follow::FollowArgs),
    /// Publish articles (paths as for `ingest`; URLs are fetched here) to a NATS JetStream
    /// queue for `newslens worker`s.
    #[cfg(feature = "queue")]
    Submit(submit::SubmitArgs),
    /// Pull articles from the queue, analyse, store and group them, then acknowledge; run as
    /// many as wanted against one corpus.
    #[cfg(feature = "queue")]
    Worker(worker::WorkerArgs),
    /// The work queue: records pending, in flight and dead-lettered.
    #[cfg(feature = "queue")]
    #[command(subcommand)]
    Queue(queue::QueueCommand),
    /// List the stories in the corpus: articles about the same event, across outlets and days.
    Stories(corpus::StoriesArgs),
    /// Show a story's outlets side by side: quotes, speakers, tone, loaded words, differences.
    Compare(corpus::CompareArgs),
    /// Find quotes by speaker, subject, outlet and date.
    Quotes(corpus::QuotesArgs),
    /// Mentions of a person, organisation or place over time, and quotes by and about it.
    Entity(corpus::EntityArgs),
    /// Full-text search over the corpus, with filters.
    Search(corpus::SearchArgs),
    /// Write a corpus table (articles, quotes, entities, mentions, stories, loaded) as JSON
    /// lines, CSV, Parquet or GDELT GKG-style TSV, streamed.
    Export(export::ExportArgs),
    /// Every outlet's profile across its stories (`outlets compare A B`: two side by side).
    Outlets(outlets::OutletsArgs),
    /// One outlet's profile: whom it quotes, its own voice, its blindspots, week by week.
    Outlet(outlets::OutletArgs),
    /// Serve the JSON API and the web pages over the corpus (default http://127.0.0.1:8080/).
    Serve(serve::ServeArgs),
    /// Score an extractor against gold data (precision, recall, F1).
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Measure throughput and latency on data built from ../shared/data.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Train a model from the development data and write the file the binary ships.
    #[command(subcommand)]
    Train(train::TrainCommand),
}

fn main() -> ExitCode {
    return_freed_memory_at_once();
    let cli = Cli::parse();
    if catches_input_panics(&cli.command) {
        // A panic inside one input is caught and reported as that input's one error line; the
        // default hook would print a second, multi-line message. Elsewhere a panic is a bug to see.
        std::panic::set_hook(Box::new(|_| {}));
    }
    #[cfg(unix)]
    if matches!(
        cli.command,
        Command::Eval(_) | Command::Bench(_) | Command::Train(_)
    ) {
        // These print reports with `println!`, which panics when the reader has gone (`| head`);
        // like other Unix tools they should just stop. The other commands write through
        // `output.rs`, which treats a closed pipe as the end, and `serve` must never die of one.
        // SAFETY: resetting a signal's disposition before any thread is started.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let outcome = match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Follow(args) => follow::run(&args),
        #[cfg(feature = "queue")]
        Command::Submit(args) => submit::run(&args),
        #[cfg(feature = "queue")]
        Command::Worker(args) => worker::run(&args),
        #[cfg(feature = "queue")]
        Command::Queue(command) => queue::run(&command).map(|()| 0),
        Command::Stories(args) => corpus::stories(&args).map(|()| 0),
        Command::Compare(args) => corpus::compare(&args).map(|()| 0),
        Command::Quotes(args) => corpus::quotes(&args).map(|()| 0),
        Command::Entity(args) => corpus::entity(&args).map(|()| 0),
        Command::Search(args) => corpus::search(&args).map(|()| 0),
        Command::Export(args) => export::run(&args).map(|()| 0),
        Command::Outlets(args) => outlets::outlets(&args).map(|()| 0),
        Command::Outlet(args) => outlets::outlet(&args).map(|()| 0),
        Command::Serve(args) => serve::run(&args).map(|()| 0),
        Command::Eval(command) => eval::run(&command).map(|()| 0),
        Command::Bench(command) => bench::run(&command).map(|()| 0),
        Command::Train(command) => train::run(&command).map(|()| 0),
    };
    match outcome {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, whatever a path or a server put in the message.
            eprintln!(
                "newslens: {}",
                newslens_read::printable(&format!("{error:#}"))
            );
            ExitCode::from(1)
        }
    }
}

/// Commands that turn a panic inside one input into that input's error line.
fn catches_input_panics(command: &Command) -> bool {
    match command {
        Command::Analyze(_) | Command::Ingest(_) | Command::Follow(_) => true,
        #[cfg(feature = "queue")]
        Command::Worker(_) => true,
        _ => false,
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    #[test]
    fn the_purge_delay_option_is_the_one_mimalloc_defaults_to_a_second() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("skipped: MIMALLOC_PURGE_DELAY is set in the environment");
            return;
        }
        // mimalloc 3's purge delay defaults to 1000 ms; no other option has that default, so a
        // renumbered enum shows here rather than as a silently different allocator setting.
        // SAFETY: reading an option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
