//! `newslens eval …`: the arguments of each evaluation, and the reports printed as precision,
//! recall and F1 tables.
//!
//! The runs themselves (reading gold data, analysing, scoring, laying out the tables) are
//! `newslens_eval::evaluate`'s; this module only turns flags into options, picks which reports to
//! print and writes the error-analysis files asked for. `eval stories` is in `eval_stories.rs`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use newslens_core::loaded::{
    DecodeOptions, IdentityWords, LexiconSpans, ScareQuoteSpans, TrainOptions,
};
use newslens_core::ner as ner_model;
use newslens_eval::evaluate::{extraction, loaded, loaded_encoder, ner, quotes, seeds};

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Named entities: P/R/F1 per type on CoNLL files (IOB1 or IOB2) and GMB's held-out tenth.
    Ner(EvalNerArgs),
    /// Loaded language: character P/R/F1 on the Propaganda Techniques Corpus, BASIL lexical-bias recall.
    Loaded(EvalLoadedArgs),
    /// Quotes: P/R/F1 per kind, quoted recall and speaker accuracy on PolNeAR; the seed reference.
    Quotes(EvalQuotesArgs),
    /// Stories: B-cubed P/R/F1 on ECB+ event clusters (--gold TSV DIR) and AllSides roundups.
    Stories(crate::eval_stories::EvalStoriesArgs),
    /// Reading real web pages: body shingle F1, publication day, author in the byline, title, CPU time.
    Extraction(EvalExtractionArgs),
    /// Outlets: profiles against BASIL's lexical-bias phrases, blindspots against AllSides.
    Outlets(crate::eval_outlets::EvalOutletsArgs),
}

#[derive(Args)]
pub struct EvalExtractionArgs {
    /// The extraction sets' folder (holding `body/`, `dates/` and/or `meta/`, each with a
    /// `gold.jsonl`), e.g. ../shared/data/extraction.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Print one line per page whose body, day, title or author is wrong (for error analysis).
    #[arg(long)]
    misses: bool,
}

#[derive(Args)]
pub struct EvalNerArgs {
    /// CoNLL files (token … NER columns).
    #[arg(value_name = "CONLL")]
    conll: Vec<String>,
    /// GMB `ner_dataset.csv`: score on its held-out tenth.
    #[arg(long, value_name = "CSV")]
    gmb: Option<String>,
    /// A model file to score instead of the shipped one: the tagger alone and through the whole
    /// entities layer (seeds included), as it would ship.
    #[arg(long, value_name = "PATH")]
    model: Option<String>,
    /// A folder of seed articles with their `gold.json`: list the reference entities missed (no
    /// name mention with that name, or an alias, and an accepted type).
    #[arg(long, value_name = "DIR")]
    seeds: Option<PathBuf>,
    /// Print every CoNLL span the entities layer misses or adds, with its sentence (for error
    /// analysis).
    #[arg(long)]
    misses: bool,
}

#[derive(Args)]
pub struct EvalQuotesArgs {
    /// A PolNeAR split folder (with `text/` and `attributions/`), e.g.
    /// ../shared/data/quotes/polnear/dev.
    #[arg(long, value_name = "DIR")]
    polnear: Option<PathBuf>,
    /// A folder of seed articles with their `gold.json`.
    #[arg(long, value_name = "DIR")]
    seeds: Option<PathBuf>,
    /// Print each missed or wrong seed quote, and each PolNeAR article's score.
    #[arg(long)]
    verbose: bool,
    /// Print every PolNeAR speech attribution missed or given the wrong speaker, with the nearest
    /// system quote (for error analysis).
    #[arg(long)]
    misses: bool,
    /// Score every quote the rules find, before the learned quote filter drops any or the
    /// boundary chooser moves any.
    #[arg(long)]
    no_filter: bool,
}

#[derive(Args)]
pub struct EvalLoadedArgs {
    /// The Propaganda Techniques Corpus folder (holding `articles/` and `techniques.labels`).
    #[arg(long, value_name = "DIR")]
    ptc: Option<String>,
    /// The BASIL folder (holding `articles/` and `annotations/`).
    #[arg(long, value_name = "DIR")]
    basil: Option<String>,
    /// Also cross-validate the tagger's training on PTC: train on all folds but one (articles by
    /// index modulo N), score on that one, for each fold.
    #[arg(long, value_name = "N")]
    folds: Option<usize>,
    /// Write every predicted PTC span (with the share of it that is gold) and every gold span
    /// (with the share found) to this file, tab-separated, for error analysis.
    #[arg(long, value_name = "PATH")]
    errors: Option<String>,
    /// Training settings for --folds (the same as `train loaded`'s).
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    epochs: usize,
    /// Bias on "not loaded" for --folds (negative: more recall), when it is not tuned.
    #[arg(long, default_value_t = TrainOptions::default().none_bias, allow_negative_numbers = true)]
    none_bias: f32,
    /// Folds of each training set over which --folds tunes the bias (as `train loaded` does);
    /// 0 keeps --none-bias.
    #[arg(long, default_value_t = TrainOptions::default().tuning_folds)]
    tuning_folds: usize,
    /// With --folds: the precision the tuned bias must reach on the tuning folds (as `train
    /// loaded` takes it).
    #[arg(long, default_value_t = TrainOptions::default().min_precision)]
    min_precision: f64,
    /// With --folds: what becomes of names, titles, identity nouns and function words in spans
    /// (kept; dropped: spans made only of them are dropped; trimmed: also cut from the edges).
    #[arg(long, default_value = "trimmed")]
    identity_words: String,
    /// The precision/recall curve over the tagger's bias on "not loaded": with --folds, the
    /// held-out PTC figures at each bias; with --basil, the shipped tagger's own-voice rate and
    /// rank correlation at each bias.
    #[arg(long)]
    curve: bool,
    /// The feature table has 2^BITS rows (for --folds).
    #[arg(long, default_value_t = TrainOptions::default().bits)]
    bits: u32,
    /// With --folds: tagger spans that overlap a lexicon expression are dropped instead of
    /// joining it.
    #[arg(long)]
    drop_at_lexicon: bool,
    /// With --folds: keep function words and punctuation at the edges of the tagger's spans.
    #[arg(long)]
    keep_edges: bool,
    /// With --folds: content words after an emotive word or label that join its phrase.
    #[arg(long, default_value_t = DecodeOptions::default().phrase_words)]
    phrase_words: usize,
    /// With --folds: untagged runs of at most N tokens between tagged ones take their class.
    #[arg(long, default_value_t = DecodeOptions::default().gap_tokens)]
    gap_tokens: usize,
    /// With --folds: which lexicon matches are spans (all; confirmed: those the tagger also
    /// finds; ignored: the lexicon is only a feature of the tagger).
    #[arg(long, default_value = "confirmed")]
    lexicon_spans: String,
    /// With --folds: which scare quotes are spans (all, confirmed, ignored).
    #[arg(long, default_value = "confirmed")]
    scare_quotes: String,
    /// With --folds: also print the held-out F1 at every bias (a diagnostic of the tuning, not a
    /// held-out figure: choosing among these would tune on the held-out folds).
    #[arg(long)]
    sweep: bool,
    /// With --folds: write the held-out predicted and gold spans here, as --errors does.
    #[arg(long, value_name = "PATH")]
    fold_errors: Option<String>,
    /// With --folds N: teacher-labelled texts added to each fold's training, read from
    /// DIR/fold-K-of-N (labelled by a teacher that never saw fold K; `scripts/loaded_teacher.py`).
    #[arg(long, value_name = "DIR")]
    silver: Option<String>,
    /// With --folds N: train and score only fold K (0-based), e.g. to compare with a teacher
    /// measured on that fold (`scripts/loaded_finetune.py --run-folds K`).
    #[arg(long, value_name = "K")]
    only_fold: Option<usize>,
    /// With --ptc and --folds N: score the encoder mode held out, fold K with the weights
    /// DIR/fold-K.safetensors (fine-tuned without fold K: `scripts/loaded_finetune.py` and
    /// `scripts/loaded_encoder_export.py`), with the curve over its threshold, instead of
    /// cross-validating the feature tagger.
    #[arg(long, value_name = "DIR")]
    encoder_folds: Option<String>,
    /// With --basil: also score the shipped encoder mode (`--loaded encoder`) at each threshold.
    #[arg(long)]
    encoder: bool,
}

pub fn run(command: &EvalCommand) -> Result<()> {
    match command {
        EvalCommand::Ner(args) => eval_ner(args),
        EvalCommand::Loaded(args) => eval_loaded(args),
        EvalCommand::Quotes(args) => eval_quotes(args),
        EvalCommand::Stories(args) => crate::eval_stories::eval_stories(args),
        EvalCommand::Extraction(args) => eval_extraction(args),
        EvalCommand::Outlets(args) => crate::eval_outlets::eval_outlets(args),
    }
}

fn eval_ner(args: &EvalNerArgs) -> Result<()> {
    if args.conll.is_empty() && args.gmb.is_none() && args.seeds.is_none() {
        anyhow::bail!("give CoNLL files, --gmb CSV and/or --seeds DIR to score against");
    }
    // A candidate model is scored through the whole entities layer too, as it would ship.
    if let Some(path) = &args.model {
        if ner_model::tag_with_for_process(ner::read_model(path)?).is_err() {
            anyhow::bail!("a tagging model was set already; cannot score {path}");
        }
    }
    let model = ner_model::tagging_model();
    if let Some(dir) = &args.seeds {
        print!("{}", seeds::entities(dir)?);
    }
    for path in &args.conll {
        let gold = ner::ConllGold::read(path)?;
        print!("{}", gold.tagger_score(model));
        let score = gold.entities_score();
        if args.misses {
            print!("{}", score.differences());
        }
        print!("{score}");
    }
    if let Some(path) = &args.gmb {
        print!("{}", ner::gmb_held_out(model, path)?);
    }
    Ok(())
}

fn eval_extraction(args: &EvalExtractionArgs) -> Result<()> {
    let run = extraction::run(&args.dir)?;
    if args.misses {
        print!("{}", run.misses());
    }
    print!("{run}");
    Ok(())
}

fn eval_quotes(args: &EvalQuotesArgs) -> Result<()> {
    if args.polnear.is_none() && args.seeds.is_none() {
        anyhow::bail!("give --polnear DIR and/or --seeds DIR to score against");
    }
    if let Some(dir) = &args.polnear {
        let which = if args.no_filter {
            quotes::Quotes::Unfiltered
        } else {
            quotes::Quotes::Shipped
        };
        let run = quotes::polnear_with(dir, which)?;
        for error in &run.skipped {
            eprintln!("newslens: {error} (article left out)");
        }
        for article in &run.articles {
            if args.misses {
                print!("{}", article.misses());
            }
            if args.verbose {
                println!("{}", article.summary());
            }
        }
        print!("{run}");
        if args.misses {
            print!("{}", run.miss_causes());
        }
        println!("analysed in {:.2} s", run.seconds);
    }
    if let Some(dir) = &args.seeds {
        let report = seeds::quotes(dir)?;
        if args.verbose {
            for problem in &report.problems {
                println!("{problem}");
            }
        }
        print!("{report}");
    }
    Ok(())
}

fn eval_loaded(args: &EvalLoadedArgs) -> Result<()> {
    if args.ptc.is_none() && args.basil.is_none() {
        anyhow::bail!("give --ptc DIR and/or --basil DIR to score against");
    }
    if let Some(dir) = &args.ptc {
        let gold = loaded::PtcGold::read(dir)?;
        let score = gold.score();
        print!("{score}");
        if let Some(path) = &args.errors {
            std::fs::write(path, &score.errors).with_context(|| format!("cannot write {path}"))?;
        }
        if let (Some(n_folds), Some(dir)) = (args.folds, &args.encoder_folds) {
            let thresholds = loaded_encoder::encoder_thresholds();
            let decode = args.train_options().decode;
            print!(
                "{}",
                gold.encoder_folds(n_folds, dir, &decode, &thresholds)?
            );
        } else if let Some(n_folds) = args.folds {
            let folds = gold.cross_validate(&loaded::CrossValidation {
                n_folds,
                train: args.train_options(),
                sweep_biases: args.sweep || args.curve,
                silver: args.silver.clone(),
                only_fold: args.only_fold,
            })?;
            print!("{folds}");
            if let Some(path) = &args.fold_errors {
                std::fs::write(path, &folds.errors)
                    .with_context(|| format!("cannot write {path}"))?;
            }
        }
    }
    if let Some(dir) = &args.basil {
        print!("{}", loaded::basil(dir)?);
        if args.curve {
            print!("{}", loaded::basil_curve(dir, &loaded::curve_biases())?);
        }
        if args.encoder {
            let thresholds = loaded_encoder::encoder_thresholds();
            print!("{}", loaded_encoder::encoder_basil(dir, &thresholds)?);
        }
    }
    Ok(())
}

impl EvalLoadedArgs {
    /// The training and decoding settings for `--folds`.
    fn train_options(&self) -> TrainOptions {
        TrainOptions {
            epochs: self.epochs,
            none_bias: self.none_bias,
            tuning_folds: self.tuning_folds,
            min_precision: self.min_precision,
            bits: self.bits,
            decode: DecodeOptions {
                join_lexicon: !self.drop_at_lexicon,
                trim_edges: !self.keep_edges,
                phrase_words: self.phrase_words,
                lexicon_spans: match self.lexicon_spans.as_str() {
                    "all" => LexiconSpans::All,
                    "ignored" => LexiconSpans::Ignored,
                    _ => LexiconSpans::Confirmed,
                },
                gap_tokens: self.gap_tokens,
                scare_quotes: match self.scare_quotes.as_str() {
                    "all" => ScareQuoteSpans::All,
                    "ignored" => ScareQuoteSpans::Ignored,
                    _ => ScareQuoteSpans::Confirmed,
                },
                identity_words: match self.identity_words.as_str() {
                    "kept" => IdentityWords::Kept,
                    "dropped" => IdentityWords::Dropped,
                    _ => IdentityWords::Trimmed,
                },
            },
            ..TrainOptions::default()
        }
    }
}
