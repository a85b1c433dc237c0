//! `newslens analyze`: inputs in, one article contract per article out, in input order.
//!
//! The flow is the pipeline's (`newslens_pipeline`): inputs are split into records sequentially
//! and analysed in parallel a chunk at a time, so output keeps the input order and memory stays
//! bounded however large the batch. This module parses the arguments and prints: a failed input
//! prints one line on stderr and the rest of the batch goes on.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use clap::{Args, ValueEnum};

use newslens_encoder::{Encoder, DEFAULT_THRESHOLD};
use newslens_fetch::parse_duration;
use newslens_pipeline::{records_of, Chunks, Defaults, LoadedTagger, Pipeline, Settings};
use newslens_read::{printable, ReadOptions};

use crate::output::{ArticleWriter, OutputFormat};

#[derive(Args)]
pub struct AnalyzeArgs {
    /// Files, folders (read recursively) or - for standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    #[command(flatten)]
    pipeline: PipelineArgs,
}

/// The flags every command that reads and analyses inputs takes (`analyze`, `ingest`).
#[derive(Args, Clone)]
pub struct PipelineArgs {
    /// Outlet name for inputs that do not give one.
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// URL for inputs that do not give one.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Threads to analyse with (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Largest input read (one file, JSON line or archive record), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 10_000_000)]
    pub max_bytes: u64,
    /// How long one input may take to read and analyse (30s, 2m, 500ms); past it the input fails
    /// with an error naming it and the batch goes on. 0 for no limit.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub time_budget: Duration,
    #[command(flatten)]
    pub loaded: LoadedArgs,
}

/// Which tagger reads loaded language: the flags of every command that analyses.
#[derive(Args, Clone)]
pub struct LoadedArgs {
    /// Which tagger reads loaded language: fast (the shipped feature tagger) or encoder (MiniLM
    /// fine-tuned on PTC: held out, F1 .335 at precision .457 where the fast tagger gives .280 at
    /// .460, but about 1,400 words per CPU-second, some 250× slower, and 230 MB of memory).
    #[arg(long, value_enum, default_value_t = LoadedMode::Fast)]
    pub loaded: LoadedMode,
    /// With --loaded encoder: the threshold on P(loaded) a word must pass (higher: fewer, surer
    /// spans; README, Measured, has the curve).
    #[arg(long, value_name = "P", default_value_t = DEFAULT_THRESHOLD)]
    pub loaded_threshold: f32,
}

/// The taggers `--loaded` chooses from.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LoadedMode {
    /// The shipped feature tagger.
    Fast,
    /// MiniLM fine-tuned on the Propaganda Techniques Corpus.
    Encoder,
}

impl LoadedArgs {
    /// The tagger these flags ask for (loading the encoder, about 0.3 s, if they ask for it).
    pub fn tagger(&self) -> Result<LoadedTagger> {
        match self.loaded {
            LoadedMode::Fast => Ok(LoadedTagger::Features),
            LoadedMode::Encoder => {
                if !(self.loaded_threshold > 0.0 && self.loaded_threshold < 1.0) {
                    anyhow::bail!(
                        "--loaded-threshold must be between 0 and 1, not {}",
                        self.loaded_threshold
                    );
                }
                let encoder = Encoder::shipped()
                    .map_err(|error| anyhow::anyhow!("cannot load the encoder: {error}"))?;
                Ok(LoadedTagger::Encoder {
                    tagger: Arc::new(encoder),
                    threshold: self.loaded_threshold,
                })
            }
        }
    }
}

impl PipelineArgs {
    /// The pipeline these flags ask for.
    pub fn pipeline(&self) -> Result<Pipeline> {
        let pipeline = Pipeline::new(Settings {
            jobs: self.jobs,
            read: ReadOptions {
                max_bytes: self.max_bytes,
            },
            defaults: Defaults {
                outlet: self.outlet.clone(),
                url: self.url.clone(),
            },
            time_budget: budget(self.time_budget),
            loaded: self.loaded.tagger()?,
        })?;
        if pipeline.settings().time_budget.is_some() {
            pipeline.warm_up();
        }
        Ok(pipeline)
    }
}

/// A time budget from a flag: zero is none.
pub fn budget(duration: Duration) -> Option<Duration> {
    (!duration.is_zero()).then_some(duration)
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One JSON object for one article, else an array.
    Json,
    /// One JSON object a line.
    Jsonl,
    /// A short summary for people.
    Text,
}

/// Runs the command; returns how many inputs failed.
pub fn run(args: &AnalyzeArgs) -> Result<usize> {
    let pipeline = args.pipeline.pipeline()?;
    let format = match args.format {
        Format::Json => OutputFormat::Json,
        Format::Jsonl => OutputFormat::JsonLines,
        Format::Text => OutputFormat::Text,
    };
    // Only the text summary has colour; JSON goes straight out, without anstream scanning it for
    // escape codes to strip.
    let out: Box<dyn Write> = match format {
        OutputFormat::Text => Box::new(anstream::stdout().lock()),
        OutputFormat::Json | OutputFormat::JsonLines => Box::new(
            std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
        ),
    };
    let mut writer = ArticleWriter::new(out, format);
    let mut n_failed = 0usize;
    for chunk in Chunks::new(records_of(&args.paths, &pipeline.settings().read)) {
        for result in pipeline.analyze_chunk(chunk) {
            match result {
                Ok(done) => {
                    for warning in done.warnings {
                        eprintln!("newslens: {}", printable(&warning));
                    }
                    writer.write(&done.value)?;
                }
                Err(error) => {
                    n_failed += 1;
                    writer.flush()?;
                    eprintln!("newslens: {error}");
                }
            }
        }
    }
    writer.finish()?;
    Ok(n_failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Analyze {
        #[command(flatten)]
        args: AnalyzeArgs,
    }

    fn budget_of(flags: &[&str]) -> Option<Duration> {
        let argv = ["analyze", "a.txt"]
            .into_iter()
            .chain(flags.iter().copied());
        let args = Analyze::try_parse_from(argv).expect("the flags parse").args;
        let pipeline = args.pipeline.pipeline().expect("the pipeline starts");
        pipeline.settings().time_budget
    }

    #[test]
    fn the_time_budget_flag_reaches_the_pipeline_and_zero_means_none() {
        assert_eq!(budget_of(&[]), Some(Duration::from_secs(30)));
        assert_eq!(
            budget_of(&["--time-budget", "2500ms"]),
            Some(Duration::from_millis(2500))
        );
        assert_eq!(budget_of(&["--time-budget", "0"]), None);
    }
}
