//! `newslens train …`: the arguments of each training command, and its progress printed to
//! standard error.
//!
//! `train ner` trains the entity tagger on GMB and writes the model file the binary ships; `train
//! clusters` learns the word clusters the tagger uses as features from unlabelled text; `train
//! loaded` trains the loaded-language tagger on the Propaganda Techniques Corpus; `train quotes`
//! the quote filter and the quote boundary chooser on PolNeAR's train split. The reading,
//! training and writing are `newslens_eval::train`'s; the exact commands that reproduce the
//! committed files are in README.md. Nothing here evaluates; see `newslens eval`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use newslens_core::loaded::TrainOptions as LoadedTrainOptions;
use newslens_core::ner::{ClusterOptions, TrainOptions};
use newslens_eval::train::{loaded, ner, quotes};

#[derive(Subcommand)]
pub enum TrainCommand {
    /// Train the named-entity tagger on the GMB extract (its held-out tenth is left out).
    Ner(TrainNerArgs),
    /// Train the loaded-language tagger on the Propaganda Techniques Corpus.
    Loaded(TrainLoadedArgs),
    /// Train the quote filter and the boundary chooser on a PolNeAR split (the train split; never
    /// dev).
    Quotes(TrainQuotesArgs),
    /// Learn word clusters from unlabelled text (files and folders of .txt, .json, .jsonl) and GMB's
    /// words (its held-out tenth left out).
    Clusters(TrainClustersArgs),
}

#[derive(Args)]
pub struct TrainQuotesArgs {
    /// A PolNeAR split folder (with `text/` and `attributions/`): ../shared/data/quotes/polnear/train.
    #[arg(long, value_name = "DIR")]
    polnear: PathBuf,
    /// Where to write the filter.
    #[arg(long, value_name = "PATH", default_value = "models/quote_filter.txt")]
    out: PathBuf,
    /// Where to write the boundary chooser.
    #[arg(long, value_name = "PATH", default_value = "models/quote_bounds.txt")]
    bounds_out: PathBuf,
    /// Folds of the split for choosing the threshold by cross-validation.
    #[arg(long, default_value_t = quotes::FilterOptions::default().folds)]
    folds: usize,
    /// Recall of quoted attributions the threshold may lose against the rules alone.
    #[arg(long, default_value_t = quotes::FilterOptions::default().max_quoted_recall_loss)]
    max_quoted_recall_loss: f64,
    /// L2 penalty on the weights.
    #[arg(long, default_value_t = quotes::FilterOptions::default().train.l2)]
    l2: f64,
    /// Features seen in fewer quotes get no weight.
    #[arg(long, default_value_t = quotes::FilterOptions::default().train.min_count)]
    min_count: usize,
}

#[derive(Args)]
pub struct TrainClustersArgs {
    /// Files or folders of text: `.txt` files are read whole, `.json`/`.jsonl` for their prose
    /// strings; other files are skipped.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<String>,
    /// GMB `ner_dataset.csv` (latin-1): its training sentences' words join the text.
    #[arg(long, value_name = "CSV")]
    gmb: Option<String>,
    /// Where to write the clusters.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "crates/core/data/word_clusters.txt"
    )]
    out: String,
    /// Words seen fewer times are not clustered.
    #[arg(long, default_value_t = ClusterOptions::default().min_count)]
    min_count: usize,
    /// Classes per level, finest first (comma-separated).
    #[arg(long, value_delimiter = ',', default_values_t = ClusterOptions::default().levels)]
    levels: Vec<usize>,
    /// Passes over the vocabulary per level.
    #[arg(long, default_value_t = ClusterOptions::default().iterations)]
    iterations: usize,
}

#[derive(Args)]
pub struct TrainNerArgs {
    /// GMB `ner_dataset.csv` (latin-1).
    #[arg(long, value_name = "CSV")]
    gmb: String,
    /// Where to write the model.
    #[arg(long, value_name = "PATH", default_value = "models/ner.bin")]
    out: String,
    /// The feature table has 2^BITS rows.
    #[arg(long, default_value_t = TrainOptions::default().bits)]
    bits: u32,
    /// Passes over the data.
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    epochs: usize,
}

#[derive(Args)]
pub struct TrainLoadedArgs {
    /// The Propaganda Techniques Corpus folder (holding `articles/` and `techniques.labels`).
    #[arg(long, value_name = "DIR")]
    ptc: String,
    /// Where to write the model.
    #[arg(long, value_name = "PATH", default_value = "models/loaded.bin")]
    out: String,
    /// The feature table has 2^BITS rows.
    #[arg(long, default_value_t = LoadedTrainOptions::default().bits)]
    bits: u32,
    /// Passes over the data.
    #[arg(long, default_value_t = LoadedTrainOptions::default().epochs)]
    epochs: usize,
    /// Bias on "not loaded" stored in the model (negative: more recall, less precision), when it
    /// is not tuned.
    #[arg(long, default_value_t = LoadedTrainOptions::default().none_bias, allow_negative_numbers = true)]
    none_bias: f32,
    /// Tune the bias by cross-validation over this many folds of the corpus (0: keep --none-bias).
    #[arg(long, default_value_t = LoadedTrainOptions::default().tuning_folds)]
    tuning_folds: usize,
    /// The tuned bias is the best F1 among those whose precision on the tuning folds reaches
    /// this (the reader's operating point: precision first).
    #[arg(long, default_value_t = LoadedTrainOptions::default().min_precision)]
    min_precision: f64,
    /// Teacher-labelled texts in the corpus's layout, added to the training but never to the
    /// tuning's scores (`scripts/loaded_teacher.py` writes them).
    #[arg(long, value_name = "DIR")]
    silver: Option<String>,
}

impl TrainLoadedArgs {
    /// The training settings the flags give.
    fn options(&self) -> LoadedTrainOptions {
        LoadedTrainOptions {
            bits: self.bits,
            epochs: self.epochs,
            none_bias: self.none_bias,
            tuning_folds: self.tuning_folds,
            min_precision: self.min_precision,
            ..LoadedTrainOptions::default()
        }
    }
}

pub fn run(command: &TrainCommand) -> Result<()> {
    match command {
        TrainCommand::Ner(args) => train_ner(args),
        TrainCommand::Loaded(args) => train_loaded(args),
        TrainCommand::Quotes(args) => train_quotes(args),
        TrainCommand::Clusters(args) => train_clusters(args),
    }
}

fn train_ner(args: &TrainNerArgs) -> Result<()> {
    let started = Instant::now();
    let options = TrainOptions {
        bits: args.bits,
        epochs: args.epochs,
        ..TrainOptions::default()
    };
    ner::train_tagger(&args.gmb, &args.out, &options, |progress| match progress {
        ner::TaggerProgress::Read {
            n_sentences,
            n_tokens,
        } => eprintln!(
            "training on {n_sentences} sentences, {n_tokens} tokens (GMB minus its held-out tenth)"
        ),
        ner::TaggerProgress::Epoch { epoch, accuracy } => eprintln!(
            "epoch {epoch}: training token accuracy {accuracy:.4} ({:.0?})",
            started.elapsed()
        ),
        ner::TaggerProgress::Wrote { n_bytes } => eprintln!(
            "wrote {} ({:.1} MB) in {:.0?}",
            args.out,
            n_bytes as f64 / 1e6,
            started.elapsed()
        ),
    })?;
    Ok(())
}

fn train_clusters(args: &TrainClustersArgs) -> Result<()> {
    let started = Instant::now();
    let options = ClusterOptions {
        levels: args.levels.clone(),
        min_count: args.min_count,
        iterations: args.iterations,
    };
    let n_words = ner::learn_word_clusters(
        &args.paths,
        args.gmb.as_deref(),
        &args.out,
        &options,
        |progress| {
            match progress {
            ner::ClusterProgress::SkippedConll(file) => {
                eprintln!("skipping {} (CoNLL data: evaluation only)", file.display())
            }
            ner::ClusterProgress::Read {
                n_tokens,
                n_documents,
                n_text_sentences,
                n_files,
                n_gmb_sentences,
            } => eprintln!(
                "clustering {n_tokens} tokens: {n_documents} texts ({n_text_sentences} sentences) from {n_files} files, {n_gmb_sentences} GMB sentences"
            ),
            ner::ClusterProgress::Pass {
                level,
                n_classes,
                pass,
                n_moved,
            } => eprintln!(
                "level {level} ({n_classes} classes), pass {pass}: {n_moved} moved ({:.0?})",
                started.elapsed()
            ),
        }
        },
    )?;
    eprintln!(
        "wrote {} ({n_words} words) in {:.0?}",
        args.out,
        started.elapsed()
    );
    Ok(())
}

fn train_loaded(args: &TrainLoadedArgs) -> Result<()> {
    let started = Instant::now();
    loaded::train_tagger(
        &args.ptc,
        args.silver.as_deref(),
        &args.out,
        &args.options(),
        |progress| match progress {
            loaded::TaggerProgress::Read {
                n_articles,
                n_tokens,
            } => eprintln!("training on {n_articles} articles, {n_tokens} tokens"),
            loaded::TaggerProgress::Epoch {
                fold,
                epoch,
                accuracy,
            } => {
                let stage = fold.map_or("final".to_string(), |fold| format!("tuning fold {fold}"));
                eprintln!(
                    "{stage}, epoch {epoch}: training token accuracy {accuracy:.4} ({:.0?})",
                    started.elapsed()
                );
            }
            loaded::TaggerProgress::Bias { bias, f1 } => {
                eprintln!("bias on \"not loaded\": {bias} (tuning byte F1 {f1:.3})")
            }
        },
    )?;
    eprintln!("wrote {} ({:.0?})", args.out, started.elapsed());
    Ok(())
}

fn train_quotes(args: &TrainQuotesArgs) -> Result<()> {
    let started = Instant::now();
    let defaults = quotes::FilterOptions::default();
    let options = quotes::FilterOptions {
        train: newslens_core::quotes::filter::TrainOptions {
            l2: args.l2,
            min_count: args.min_count,
            ..defaults.train
        },
        folds: args.folds,
        max_quoted_recall_loss: args.max_quoted_recall_loss,
    };
    let trained = quotes::train_quotes(&args.polnear, &options, &mut |line| {
        eprintln!("{line} ({:.0?})", started.elapsed())
    })?;
    let table = trained.filter.curve_table();
    let bounds_table = trained.bounds.curve_table();
    print!(
        "cross-validated on {} ({} folds):\n{table}\nboundary chooser, over the held-out \
         filter's quotes:\n{bounds_table}",
        args.polnear.display(),
        options.folds
    );
    let mut command = format!("newslens train quotes --polnear {}", args.polnear.display());
    if args.out != std::path::Path::new("models/quote_filter.txt") {
        command.push_str(&format!(" --out {}", args.out.display()));
    }
    if args.bounds_out != std::path::Path::new("models/quote_bounds.txt") {
        command.push_str(&format!(" --bounds-out {}", args.bounds_out.display()));
    }
    let filter = &trained.filter;
    let header = format!(
        "The quote filter: a logistic regression over the quote rules' features\n\
         (newslens_core::quotes::filter). Written by\n\
         {command}\n\
         from {} rule quotes ({} matching an attribution); the threshold (a log-odds) has the\n\
         best cross-validated F1 ({} folds) losing at most {} of quoted recall:\n{}",
        filter.n_examples.0,
        filter.n_examples.1,
        options.folds,
        options.max_quoted_recall_loss,
        table.trim_end()
    );
    std::fs::write(&args.out, filter.filter.to_text(&header))
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} features, {:.0?})",
        args.out.display(),
        filter.filter.n_features(),
        started.elapsed()
    );
    let bounds = &trained.bounds;
    let bounds_header = format!(
        "The quote boundary chooser: a logistic regression over the features of each place a\n\
         quote's content could end (or start) (newslens_core::quotes::bounds). Written by\n\
         {command}\n\
         from the {} candidates, of {} rule quotes' others, that would change whether their\n\
         quote matches an attribution ({} for the better); the threshold (a log-odds) that a\n\
         candidate is better than the rules' span has the best cross-validated F1 ({} folds,\n\
         over the held-out filter's quotes) losing at most {} of quoted recall:\n{}",
        bounds.n_examples.0,
        bounds.n_examples.2,
        bounds.n_examples.1,
        options.folds,
        options.max_quoted_recall_loss,
        bounds_table.trim_end()
    );
    std::fs::write(&args.bounds_out, bounds.model.to_text(&bounds_header))
        .with_context(|| format!("cannot write {}", args.bounds_out.display()))?;
    eprintln!(
        "wrote {} ({} features, {:.0?})",
        args.bounds_out.display(),
        bounds.model.n_features(),
        started.elapsed()
    );
    Ok(())
}
