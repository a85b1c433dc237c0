//! `newslens eval loaded`: the `loaded` layer against the Propaganda Techniques Corpus
//! (character-level precision, recall and F1 against the union of `Loaded_Language` and
//! `Name_Calling,Labeling` spans) and BASIL (recall of the lexical-bias spans).
//!
//! Each article runs through the whole analysis (`newslens_core::analyze`), so the figures are those
//! of the shipped layer, quotes and all. It only reads gold data and counts characters; the gold
//! readers are `newslens_eval::ptc` and `newslens_eval::basil`.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use newslens_core::loaded::{
    find_loaded_with, train_tuned, DecodeOptions, ScareQuoteSpans, TrainOptions,
};
use newslens_core::offsets::CharOffsets;
use newslens_core::{analyze, Article, Document};

use crate::train::train_loaded::{layers_of, training_text};
use newslens_eval::{basil, ptc};

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
    /// With --folds: lexicon matches are only features of the tagger, not spans of their own.
    #[arg(long)]
    no_lexicon_spans: bool,
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
}

pub fn eval_loaded(args: &EvalLoadedArgs) -> Result<()> {
    if args.ptc.is_none() && args.basil.is_none() {
        anyhow::bail!("give --ptc DIR and/or --basil DIR to score against");
    }
    if let Some(dir) = &args.ptc {
        let articles = ptc::read(dir).with_context(|| format!("cannot read PTC from {dir}"))?;
        let mut errors = String::new();
        print!("{}", score_ptc(dir, &articles, &mut errors));
        if let Some(path) = &args.errors {
            std::fs::write(path, errors).with_context(|| format!("cannot write {path}"))?;
        }
        if let Some(n_folds) = args.folds {
            let options = TrainOptions {
                epochs: args.epochs,
                none_bias: args.none_bias,
                tuning_folds: args.tuning_folds,
                bits: args.bits,
                decode: DecodeOptions {
                    join_lexicon: !args.drop_at_lexicon,
                    trim_edges: !args.keep_edges,
                    phrase_words: args.phrase_words,
                    lexicon_spans: !args.no_lexicon_spans,
                    gap_tokens: args.gap_tokens,
                    scare_quotes: match args.scare_quotes.as_str() {
                        "all" => ScareQuoteSpans::All,
                        "ignored" => ScareQuoteSpans::Ignored,
                        _ => ScareQuoteSpans::Confirmed,
                    },
                },
                ..TrainOptions::default()
            };
            let mut fold_errors = String::new();
            print!(
                "{}",
                cross_validate(
                    &articles,
                    n_folds.max(2),
                    &options,
                    args.sweep,
                    &mut fold_errors
                )
            );
            if let Some(path) = &args.fold_errors {
                std::fs::write(path, fold_errors)
                    .with_context(|| format!("cannot write {path}"))?;
            }
        }
    }
    if let Some(dir) = &args.basil {
        let (articles, n_unplaced) =
            basil::read(dir).with_context(|| format!("cannot read BASIL from {dir}"))?;
        print!("{}", score_basil(dir, &articles, n_unplaced));
    }
    Ok(())
}

/// Characters counted for one predicted set against one gold set.
#[derive(Debug, Default, Clone, Copy)]
struct CharCounts {
    predicted: usize,
    gold: usize,
    both: usize,
}

impl CharCounts {
    fn add_masks(&mut self, predicted: &[bool], gold: &[bool]) {
        for (p, g) in predicted.iter().zip(gold) {
            self.predicted += usize::from(*p);
            self.gold += usize::from(*g);
            self.both += usize::from(*p && *g);
        }
    }

    fn precision(&self) -> f64 {
        ratio(self.both, self.predicted)
    }

    fn recall(&self) -> f64 {
        ratio(self.both, self.gold)
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn row(&self, label: &str) -> String {
        format!(
            "{label:<34} {:>6.3} {:>6.3} {:>6.3} {:>9} {:>9}\n",
            self.precision(),
            self.recall(),
            self.f1(),
            self.predicted,
            self.gold
        )
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// A character mask of the text, set over the given character spans.
fn mask(n_chars: usize, spans: impl IntoIterator<Item = (usize, usize)>) -> Vec<bool> {
    let mut mask = vec![false; n_chars];
    for (start, end) in spans {
        for set in mask.iter_mut().take(end.min(n_chars)).skip(start) {
            *set = true;
        }
    }
    mask
}

/// Analyses a text as an article of its own.
fn analyse_text(text: &str) -> Article {
    analyze(&Document::new(text))
}

fn score_ptc(dir: &str, articles: &[ptc::PtcArticle], errors: &mut String) -> String {
    let mut all = CharCounts::default();
    let mut narrative = CharCounts::default();
    let mut by_technique: BTreeMap<&str, CharCounts> = BTreeMap::new();
    let mut by_category: BTreeMap<String, CharCounts> = BTreeMap::new();
    let mut n_gold_spans = 0;
    let mut n_predicted_spans = 0;
    let started = Instant::now();
    let mut n_words = 0;
    for article in articles {
        let analysed = analyse_text(&article.text);
        n_words += analysed.tone.as_ref().map_or(0, |tone| tone.words);
        let n_chars = article.text.chars().count();
        let gold_spans: Vec<&ptc::TechniqueSpan> = article.loaded_spans().collect();
        n_gold_spans += gold_spans.len();
        n_predicted_spans += analysed.loaded.len();
        let gold = mask(n_chars, gold_spans.iter().map(|s| (s.start, s.end)));
        let predicted = mask(n_chars, analysed.loaded.iter().map(|l| (l.start, l.end)));
        all.add_masks(&predicted, &gold);
        let chars: Vec<char> = article.text.chars().collect();
        let share = |mask: &[bool], start: usize, end: usize| {
            let end = end.min(n_chars);
            let n_set = mask[start.min(end)..end].iter().filter(|set| **set).count();
            ratio(n_set, end.saturating_sub(start))
        };
        for loaded in &analysed.loaded {
            let words: String = chars[loaded.start.min(n_chars)..loaded.end.min(n_chars)]
                .iter()
                .collect();
            errors.push_str(&format!(
                "predicted\t{:.2}\t{}\t{}\t{}\n",
                share(&gold, loaded.start, loaded.end),
                loaded.category,
                article.id,
                words.replace(['\n', '\t'], " ")
            ));
        }
        for span in &gold_spans {
            let words: String = chars[span.start.min(n_chars)..span.end.min(n_chars)]
                .iter()
                .collect();
            errors.push_str(&format!(
                "gold\t{:.2}\t{}\t{}\t{}\n",
                share(&predicted, span.start, span.end),
                span.technique,
                article.id,
                words.replace(['\n', '\t'], " ")
            ));
        }
        let outside_quotes = mask(
            n_chars,
            analysed
                .loaded
                .iter()
                .filter(|l| !l.in_quote)
                .map(|l| (l.start, l.end)),
        );
        narrative.add_masks(&outside_quotes, &gold);
        for technique in ptc::LOADED_TECHNIQUES {
            let gold = mask(
                n_chars,
                gold_spans
                    .iter()
                    .filter(|s| s.technique == technique)
                    .map(|s| (s.start, s.end)),
            );
            by_technique
                .entry(technique)
                .or_default()
                .add_masks(&predicted, &gold);
        }
        let mut categories: Vec<&str> = analysed
            .loaded
            .iter()
            .map(|l| l.category.as_str())
            .collect();
        categories.sort_unstable();
        categories.dedup();
        for category in categories {
            let predicted = mask(
                n_chars,
                analysed
                    .loaded
                    .iter()
                    .filter(|l| l.category.as_str() == category)
                    .map(|l| (l.start, l.end)),
            );
            // Only the category's own characters count: its precision, and the share of gold
            // characters it finds.
            let entry = by_category.entry(category.to_string()).or_default();
            let mut counts = CharCounts::default();
            counts.add_masks(&predicted, &gold);
            entry.predicted += counts.predicted;
            entry.both += counts.both;
        }
    }
    for entry in by_category.values_mut() {
        entry.gold = all.gold;
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut out = format!(
        "loaded language on PTC ({dir}): {} articles, {n_gold_spans} gold spans (Loaded_Language ∪ Name_Calling,Labeling), {n_predicted_spans} predicted; character level\n",
        articles.len()
    );
    out.push_str(&format!(
        "{:<34} {:>6} {:>6} {:>6} {:>9} {:>9}\n",
        "", "P", "R", "F1", "predicted", "gold"
    ));
    out.push_str(&all.row("all loaded spans"));
    out.push_str(&narrative.row("outside quotes only"));
    for (technique, counts) in &by_technique {
        out.push_str(&counts.row(&format!("all spans vs {technique} alone")));
    }
    for (category, counts) in &by_category {
        out.push_str(&counts.row(&format!("  category {category}")));
    }
    out.push_str(&format!(
        "{n_words} words analysed in {seconds:.2} s (whole analysis, one thread)\n\
         note: the shipped tagger is trained on this corpus, so these figures are in-sample; \
         --folds N gives held-out ones\n\n"
    ));
    out
}

fn score_basil(dir: &str, articles: &[basil::BasilArticle], n_unplaced: usize) -> String {
    let mut chars_all = CharCounts::default();
    let mut chars_outside = CharCounts::default();
    let (mut n_spans, mut n_found) = (0, 0);
    let (mut n_spans_outside, mut n_found_outside) = (0, 0);
    for article in articles {
        let analysed = analyse_text(&article.text);
        let n_chars = article.text.chars().count();
        let predicted = mask(n_chars, analysed.loaded.iter().map(|l| (l.start, l.end)));
        let lexical: Vec<&basil::BiasSpan> =
            article.spans.iter().filter(|s| s.bias == "lex").collect();
        let gold = mask(n_chars, lexical.iter().map(|s| (s.start, s.end)));
        chars_all.add_masks(&predicted, &gold);
        let gold_outside = mask(
            n_chars,
            lexical
                .iter()
                .filter(|s| !s.in_quote)
                .map(|s| (s.start, s.end)),
        );
        chars_outside.add_masks(&predicted, &gold_outside);
        for span in &lexical {
            let found = predicted
                .iter()
                .take(span.end.min(n_chars))
                .skip(span.start)
                .any(|set| *set);
            n_spans += 1;
            n_found += usize::from(found);
            if !span.in_quote {
                n_spans_outside += 1;
                n_found_outside += usize::from(found);
            }
        }
    }
    format!(
        "lexical bias on BASIL ({dir}): {} articles, {n_spans} bias=lex spans ({n_unplaced} spans not placed)\n\
         span recall (any character found): {:.3} ({n_found}/{n_spans}); outside quotes {:.3} ({n_found_outside}/{n_spans_outside})\n\
         character recall: {:.3}; outside quotes {:.3}\n\n",
        articles.len(),
        ratio(n_found, n_spans),
        ratio(n_found_outside, n_spans_outside),
        chars_all.recall(),
        chars_outside.recall(),
    )
}

/// Appends the predicted spans (with the share of each that is gold) and the gold spans (with the
/// share found) of one article to `errors`, tab-separated.
fn error_rows(
    errors: &mut String,
    article: &ptc::PtcArticle,
    predicted: &[(usize, usize, &str)],
    predicted_mask: &[bool],
    gold_mask: &[bool],
) {
    let chars: Vec<char> = article.text.chars().collect();
    let n_chars = chars.len();
    let share = |mask: &[bool], start: usize, end: usize| {
        let end = end.min(n_chars);
        let n_set = mask[start.min(end)..end].iter().filter(|set| **set).count();
        ratio(n_set, end.saturating_sub(start))
    };
    let words = |start: usize, end: usize| -> String {
        chars[start.min(n_chars)..end.min(n_chars)]
            .iter()
            .collect::<String>()
            .replace(['\n', '\t'], " ")
    };
    for (start, end, category) in predicted {
        errors.push_str(&format!(
            "predicted\t{:.2}\t{category}\t{}\t{}\n",
            share(gold_mask, *start, *end),
            article.id,
            words(*start, *end)
        ));
    }
    for span in article.loaded_spans() {
        errors.push_str(&format!(
            "gold\t{:.2}\t{}\t{}\t{}\n",
            share(predicted_mask, span.start, span.end),
            span.technique,
            article.id,
            words(span.start, span.end)
        ));
    }
}

/// Trains on all folds but one (tuning the bias on those folds only) and scores the tagger (with
/// the lexicon, as shipped) on that one.
fn cross_validate(
    articles: &[ptc::PtcArticle],
    n_folds: usize,
    options: &TrainOptions,
    sweep: bool,
    errors: &mut String,
) -> String {
    let mut all = CharCounts::default();
    let mut lexicon_only = CharCounts::default();
    let texts: Vec<_> = articles.iter().map(training_text).collect();
    let sweep_biases: Vec<f32> = (-12..=6).map(|b| b as f32 * 6.0).collect();
    let mut swept = vec![CharCounts::default(); sweep_biases.len()];
    let mut chosen = Vec::new();
    for fold in 0..n_folds {
        let training: Vec<_> = texts
            .iter()
            .enumerate()
            .filter(|(idx, _)| idx % n_folds != fold)
            .map(|(_, text)| text.clone())
            .collect();
        let model = train_tuned(
            &training,
            options,
            |_, _, _| {},
            |bias, f1| chosen.push(format!("fold {fold}: bias {bias} (tuning F1 {f1:.3})")),
        );
        for article in articles.iter().skip(fold).step_by(n_folds) {
            let text = article.text.as_str();
            let (sentence_tokens, quoted) = layers_of(text);
            let offsets = CharOffsets::new(text);
            let n_chars = text.chars().count();
            let gold = mask(n_chars, article.loaded_spans().map(|s| (s.start, s.end)));
            let char_spans = |model: &newslens_core::loaded::LoadedModel| {
                find_loaded_with(model, text, &sentence_tokens, &quoted, &options.decode)
                    .iter()
                    .map(|l| {
                        let span = offsets.span(l.span);
                        (span.start, span.end, l.category.as_str())
                    })
                    .collect::<Vec<_>>()
            };
            let found = char_spans(&model);
            let predicted = mask(n_chars, found.iter().map(|(s, e, _)| (*s, *e)));
            all.add_masks(&predicted, &gold);
            error_rows(errors, article, &found, &predicted, &gold);
            let empty = newslens_core::loaded::LoadedModel::empty();
            let predicted = mask(n_chars, char_spans(&empty).iter().map(|(s, e, _)| (*s, *e)));
            lexicon_only.add_masks(&predicted, &gold);
            if sweep {
                for (bias, counts) in sweep_biases.iter().zip(swept.iter_mut()) {
                    let model = model.clone().with_none_bias(*bias);
                    let predicted =
                        mask(n_chars, char_spans(&model).iter().map(|(s, e, _)| (*s, *e)));
                    counts.add_masks(&predicted, &gold);
                }
            }
        }
    }
    let mut out = format!(
        "{n_folds}-fold cross-validation of the tagger on PTC (epochs {}, bits {}, {}); character level\n",
        options.epochs,
        options.bits,
        if options.tuning_folds >= 2 {
            format!("bias tuned over {} folds of each training set", options.tuning_folds)
        } else {
            format!("none bias {}", options.none_bias)
        }
    );
    for line in &chosen {
        out.push_str(&format!("  {line}\n"));
    }
    out.push_str(&format!(
        "{:<34} {:>6} {:>6} {:>6} {:>9} {:>9}\n",
        "", "P", "R", "F1", "predicted", "gold"
    ));
    out.push_str(&all.row("tagger + lexicon, held-out folds"));
    out.push_str(&lexicon_only.row("lexicon alone"));
    if sweep {
        out.push_str("diagnostic only (chosen on the held-out folds):\n");
        for (bias, counts) in sweep_biases.iter().zip(&swept) {
            out.push_str(&counts.row(&format!("  bias {bias}")));
        }
    }
    out.push('\n');
    out
}
