//! `newslens train loaded`: trains the loaded-language tagger on the Propaganda Techniques Corpus
//! (`Loaded_Language` and `Name_Calling,Labeling` spans) and writes `models/loaded.bin`.
//!
//! Texts are cut into sentences and tokens exactly as the analysis cuts them; each token takes the
//! class of the gold span that covers most of it. Training is deterministic; the exact command that
//! reproduces the committed model is in README.md. It does not evaluate: `newslens eval loaded
//! --folds N` cross-validates the same training.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use newslens_core::loaded::{
    classes_of_tokens, train_tuned, TrainOptions, TrainingText, CLASS_LABEL, CLASS_LOADED,
};
use newslens_core::{entities, segment, tokens, Span};
use newslens_eval::ptc;

#[derive(Args)]
pub struct TrainLoadedArgs {
    /// The Propaganda Techniques Corpus folder (holding `articles/` and `techniques.labels`).
    #[arg(long, value_name = "DIR")]
    ptc: String,
    /// Where to write the model.
    #[arg(long, value_name = "PATH", default_value = "models/loaded.bin")]
    out: String,
    /// The feature table has 2^BITS rows.
    #[arg(long, default_value_t = TrainOptions::default().bits)]
    bits: u32,
    /// Passes over the data.
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    epochs: usize,
    /// Bias on "not loaded" stored in the model (negative: more recall, less precision), when it
    /// is not tuned.
    #[arg(long, default_value_t = TrainOptions::default().none_bias, allow_negative_numbers = true)]
    none_bias: f32,
    /// Tune the bias by cross-validation over this many folds of the corpus (0: keep --none-bias).
    #[arg(long, default_value_t = TrainOptions::default().tuning_folds)]
    tuning_folds: usize,
}

impl TrainLoadedArgs {
    pub fn options(&self) -> TrainOptions {
        TrainOptions {
            bits: self.bits,
            epochs: self.epochs,
            none_bias: self.none_bias,
            tuning_folds: self.tuning_folds,
            ..TrainOptions::default()
        }
    }
}

/// Sentences, tokens and quoted spans of a text, as the analysis finds them.
pub fn layers_of(text: &str) -> (Vec<Vec<Span>>, Vec<Span>) {
    let sentences = segment::sentences(text, &segment::paragraphs(text));
    let sentence_tokens = sentences
        .iter()
        .map(|sentence| {
            let mut found = Vec::new();
            tokens::tokenize_into(text, sentence.start, sentence.end, &mut found);
            found
        })
        .collect();
    (sentence_tokens, entities::quoted_spans(text))
}

/// Byte offset of every character offset of `text` (and of its end).
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(byte, _)| byte)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// A PTC article as a training text: the analysis's tokens with gold classes.
pub fn training_text(article: &ptc::PtcArticle) -> TrainingText<'_> {
    let text = article.text.as_str();
    let (sentence_tokens, quoted) = layers_of(text);
    let bytes = byte_offsets(text);
    let mut gold: Vec<(Span, u8)> = article
        .loaded_spans()
        .filter_map(|span| {
            let class = if span.technique == "Name_Calling,Labeling" {
                CLASS_LABEL
            } else {
                CLASS_LOADED
            };
            Some((
                Span::new(*bytes.get(span.start)?, *bytes.get(span.end)?),
                class,
            ))
        })
        .collect();
    // Loaded language first: it wins ties with the label spans that often contain it.
    gold.sort_by_key(|(span, class)| (*class != CLASS_LOADED, span.start));
    let classes = sentence_tokens
        .iter()
        .map(|tokens| classes_of_tokens(tokens, &gold))
        .collect();
    TrainingText {
        text,
        sentence_tokens,
        quoted,
        classes,
    }
}

pub fn train_loaded(args: &TrainLoadedArgs) -> Result<()> {
    let started = Instant::now();
    let articles =
        ptc::read(&args.ptc).with_context(|| format!("cannot read PTC from {}", args.ptc))?;
    let texts: Vec<TrainingText<'_>> = articles.iter().map(training_text).collect();
    let n_tokens: usize = texts
        .iter()
        .flat_map(|t| &t.sentence_tokens)
        .map(Vec::len)
        .sum();
    eprintln!("training on {} articles, {n_tokens} tokens", texts.len());
    let model = train_tuned(
        &texts,
        &args.options(),
        |fold, epoch, accuracy| {
            let stage = fold.map_or("final".to_string(), |fold| format!("tuning fold {fold}"));
            eprintln!(
                "{stage}, epoch {epoch}: training token accuracy {accuracy:.4} ({:.0?})",
                started.elapsed()
            );
        },
        |bias, f1| eprintln!("bias on \"not loaded\": {bias} (tuning byte F1 {f1:.3})"),
    );
    std::fs::write(&args.out, model.to_bytes())
        .with_context(|| format!("cannot write {}", args.out))?;
    eprintln!("wrote {} ({:.0?})", args.out, started.elapsed());
    Ok(())
}
