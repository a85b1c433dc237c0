//! `eval loaded --encoder-folds` and `--encoder`: the loaded layer's encoder mode
//! (`newslens-encoder`) against PTC, held out, and against BASIL.
//!
//! The shipped encoder was fine-tuned on all of PTC, so PTC cannot score it. Held out, each
//! fold K is scored with weights fine-tuned on the other folds (`scripts/loaded_finetune.py
//! --run-folds K --save`, exported by `scripts/loaded_encoder_export.py` as
//! `DIR/fold-K.safetensors`): the same folds (articles by index modulo N) as the feature
//! tagger's cross-validation. The encoder runs once per article; each point of the curve over
//! the threshold on P(not none) only decodes again. BASIL never trained anything, so the shipped
//! encoder is scored there directly, through the whole analysis.

use std::fmt;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use newslens_core::loaded::{
    classes_of_probabilities, find_loaded_with_classes, DecodeOptions, Tagging, TokenProbabilities,
};
use newslens_core::offsets::CharOffsets;
use newslens_core::{analyze_within_tagging, Deadline, Document, OverBudget, Span};
use newslens_encoder::{Encoder, DEFAULT_THRESHOLD};

use super::loaded::{header, mask, read_basil, write_rate_rows, BasilRates, CharCounts, PtcGold};
use crate::train::loaded::{layers_of, names_of};
use crate::RunError;

/// The thresholds on P(not none) at which the curves are drawn: .30 to .80 by .0125 (the
/// operating point for readers lies where precision passes .45, between two points .025 apart).
pub fn encoder_thresholds() -> Vec<f32> {
    (24..=64).map(|step| step as f32 * 0.0125).collect()
}

/// The encoder mode held out on PTC: per fold and pooled, at each threshold.
#[derive(Debug)]
pub struct EncoderFolds {
    /// Folds the corpus was cut into.
    pub n_folds: usize,
    /// The thresholds scored.
    pub thresholds: Vec<f32>,
    /// Each scored fold and its counts at each threshold.
    pub folds: Vec<(usize, Vec<CharCounts>)>,
    /// Folds without weights in the folder (not scored).
    pub missing: Vec<String>,
    /// Words the encoder read, and how long it took (wall).
    pub words: usize,
    /// See `words`.
    pub seconds: f64,
}

impl EncoderFolds {
    /// The counts over every scored fold at each threshold.
    pub fn pooled(&self) -> Vec<CharCounts> {
        let mut pooled = vec![CharCounts::default(); self.thresholds.len()];
        for (_, counts) in &self.folds {
            for (total, counts) in pooled.iter_mut().zip(counts) {
                total.predicted += counts.predicted;
                total.gold += counts.gold;
                total.both += counts.both;
            }
        }
        pooled
    }
}

impl PtcGold {
    /// Scores each fold K of `n_folds` with the weights `dir/fold-K.safetensors` (fine-tuned
    /// without fold K), through `decode`, at each threshold. A fold without weights is reported
    /// missing, not scored.
    pub fn encoder_folds(
        &self,
        n_folds: usize,
        dir: &str,
        decode: &DecodeOptions,
        thresholds: &[f32],
    ) -> Result<EncoderFolds, RunError> {
        let n_folds = n_folds.max(2);
        let started = Instant::now();
        let mut report = EncoderFolds {
            n_folds,
            thresholds: thresholds.to_vec(),
            folds: Vec::new(),
            missing: Vec::new(),
            words: 0,
            seconds: 0.0,
        };
        for fold in 0..n_folds {
            let path = Path::new(dir).join(format!("fold-{fold}.safetensors"));
            if !path.exists() {
                report.missing.push(path.display().to_string());
                continue;
            }
            let encoder = Encoder::from_file(&path)?;
            let held_out: Vec<_> = self.articles.iter().skip(fold).step_by(n_folds).collect();
            let scored: Vec<(Vec<CharCounts>, usize)> = held_out
                .par_iter()
                .map(|article| {
                    let text = article.text.as_str();
                    let (sentence_tokens, quoted) = layers_of(text);
                    let names = names_of(text, &sentence_tokens);
                    let probabilities = encoder
                        .token_probabilities(text, &sentence_tokens, Deadline::NEVER)
                        .unwrap_or_else(|_| unreachable!("no deadline"));
                    let offsets = CharOffsets::new(text);
                    let n_chars = text.chars().count();
                    let gold = mask(n_chars, article.loaded_spans().map(|s| (s.start, s.end)));
                    let counts = thresholds
                        .iter()
                        .map(|threshold| {
                            let classes = classes_of_probabilities(&probabilities, *threshold);
                            let found = find_loaded_with_classes(
                                &classes,
                                text,
                                &sentence_tokens,
                                &quoted,
                                &names,
                                decode,
                            );
                            let predicted = mask(
                                n_chars,
                                found.iter().map(|l| {
                                    let span = offsets.span(l.span);
                                    (span.start, span.end)
                                }),
                            );
                            let mut counts = CharCounts::default();
                            counts.add_masks(&predicted, &gold);
                            counts
                        })
                        .collect();
                    (counts, text.split_whitespace().count())
                })
                .collect();
            let mut counts = vec![CharCounts::default(); thresholds.len()];
            for (article_counts, words) in scored {
                report.words += words;
                for (total, found) in counts.iter_mut().zip(article_counts) {
                    total.predicted += found.predicted;
                    total.gold += found.gold;
                    total.both += found.both;
                }
            }
            report.folds.push((fold, counts));
        }
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }
}

impl fmt::Display for EncoderFolds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "encoder mode held out on PTC ({} folds, each scored with weights fine-tuned on the \
             others); character level",
            self.n_folds
        )?;
        for missing in &self.missing {
            writeln!(f, "  not scored: no {missing}")?;
        }
        if self.folds.is_empty() {
            return writeln!(f);
        }
        let at_default = self
            .thresholds
            .iter()
            .position(|t| (t - DEFAULT_THRESHOLD).abs() < 1e-4);
        f.write_str(&header())?;
        if let Some(idx) = at_default {
            for (fold, counts) in &self.folds {
                f.write_str(&counts[idx].row(&format!(
                    "fold {fold}, threshold {DEFAULT_THRESHOLD:.4} (shipped)"
                )))?;
            }
        }
        writeln!(
            f,
            "precision/recall curve over the threshold on P(not none), pooled over the scored folds:"
        )?;
        for (threshold, counts) in self.thresholds.iter().zip(self.pooled()) {
            let mark = if Some(threshold) == at_default.map(|idx| &self.thresholds[idx]) {
                " (shipped)"
            } else {
                ""
            };
            f.write_str(&counts.row(&format!("  threshold {threshold:.4}{mark}")))?;
        }
        writeln!(
            f,
            "encoder speed: {} words in {:.1} s ({:.0} words/s over the analysis threads)\n",
            self.words,
            self.seconds,
            self.words as f64 / self.seconds.max(1e-9)
        )
    }
}

/// The shipped encoder on BASIL at each threshold: own-voice spans per 1,000 words against the
/// annotated lexical bias, and how alike the two rank the articles.
#[derive(Debug)]
pub struct EncoderBasil {
    /// Each threshold and the rates it gives.
    pub points: Vec<(f32, BasilRates)>,
    /// Words the encoder read, and how long the whole run took (wall).
    pub words: usize,
    /// See `words`.
    pub seconds: f64,
}

/// Each sentence's token probabilities, as a whole-text tagger gives them.
type SentenceProbabilities = Vec<Vec<[f32; 3]>>;

/// A tagger that runs the encoder once per text and answers again from memory, so that each
/// point of a curve only decodes again.
#[derive(Debug)]
struct Remembered<'a> {
    encoder: &'a Encoder,
    last: Mutex<Option<(String, SentenceProbabilities)>>,
}

impl TokenProbabilities for Remembered<'_> {
    fn token_probabilities(
        &self,
        text: &str,
        sentence_tokens: &[Vec<Span>],
        deadline: Deadline,
    ) -> Result<Vec<Vec<[f32; 3]>>, OverBudget> {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((seen, probabilities)) = last.as_ref() {
            if seen == text {
                return Ok(probabilities.clone());
            }
        }
        let probabilities = self
            .encoder
            .token_probabilities(text, sentence_tokens, deadline)?;
        *last = Some((text.to_string(), probabilities.clone()));
        Ok(probabilities)
    }
}

/// Analyses every BASIL article with the shipped encoder at each threshold.
pub fn encoder_basil(dir: &str, thresholds: &[f32]) -> Result<EncoderBasil, RunError> {
    let (articles, _) = read_basil(dir)?;
    let encoder = Encoder::shipped().map_err(|error| RunError::Encoder(clone_error(error)))?;
    let started = Instant::now();
    let analysed: Vec<Vec<_>> = articles
        .par_iter()
        .map(|article| {
            let remembered = Remembered {
                encoder,
                last: Mutex::new(None),
            };
            let document = Document::new(&article.text);
            thresholds
                .iter()
                .map(|threshold| {
                    let tagging = Tagging::Encoder {
                        tagger: &remembered,
                        threshold: *threshold,
                    };
                    analyze_within_tagging(&document, Deadline::NEVER, tagging)
                        .unwrap_or_else(|_| unreachable!("no deadline"))
                })
                .collect()
        })
        .collect();
    let mut points: Vec<(f32, BasilRates)> = thresholds
        .iter()
        .map(|threshold| (*threshold, BasilRates::default()))
        .collect();
    for (article, per_threshold) in articles.iter().zip(&analysed) {
        for ((_, rates), article_analysed) in points.iter_mut().zip(per_threshold) {
            rates.add(article, article_analysed);
        }
    }
    Ok(EncoderBasil {
        points,
        words: articles
            .iter()
            .map(|article| article.text.split_whitespace().count())
            .sum(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The shipped encoder's load error, for a report (it is kept once per process).
fn clone_error(error: &newslens_encoder::EncoderError) -> newslens_encoder::EncoderError {
    newslens_encoder::EncoderError::Invalid {
        what: "shipped".to_string(),
        message: error.to_string(),
    }
}

impl fmt::Display for EncoderBasil {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "BASIL with the encoder mode at each threshold on P(not none) (shipped: \
             {DEFAULT_THRESHOLD:.4}): own-voice spans per 1,000 words against annotated bias=lex, \
             and Spearman of the per-article rates"
        )?;
        let points: Vec<(String, &BasilRates)> = self
            .points
            .iter()
            .map(|(threshold, rates)| (format!("{threshold:.4}"), rates))
            .collect();
        write_rate_rows(f, "threshold", &points)?;
        writeln!(
            f,
            "encoder speed: {} words in {:.1} s, whole analysis ({:.0} words/s over the analysis \
             threads)\n",
            self.words,
            self.seconds,
            self.words as f64 / self.seconds.max(1e-9)
        )
    }
}
