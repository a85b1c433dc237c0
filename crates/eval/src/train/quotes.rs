//! Training the quote filter on PolNeAR's train split and writing `models/quote_filter.txt`
//! (`newslens train quotes`).
//!
//! Every train article is analysed with the rules alone ([`analyze_quote_candidates`]); each
//! quote they find is a training example, positive when it matches a gold attribution as `eval
//! quotes` counts a match (half of each side's words). The threshold is chosen by
//! cross-validation on train alone: the articles are cut into folds, each fold's quotes scored by
//! a filter trained on the others, and the threshold is the one with the best F1 over the whole
//! split among those that lose at most `max_quoted_recall_loss` of the recall of quoted
//! attributions. The dev split is never read. It does not evaluate beyond that:
//! `eval quotes` scores the shipped filter.

use std::path::Path;

use rayon::prelude::*;

use newslens_core::quotes::cues::is_speech_verb;
use newslens_core::quotes::filter::{self, QuoteFilter, TrainOptions};
use newslens_core::{analyze_quote_candidates, Document};

use crate::evaluate::quotes::system_quotes;
use crate::polnear::{self, GoldArticle, QuoteScore, SystemQuote};
use crate::score::ratio;
use crate::RunError;

/// How to train and tune the filter.
#[derive(Debug, Clone, Copy)]
pub struct FilterOptions {
    /// The regression's options.
    pub train: TrainOptions,
    /// Folds of the train split for choosing the threshold.
    pub folds: usize,
    /// Recall of quoted attributions the threshold may lose against the rules alone.
    pub max_quoted_recall_loss: f64,
}

impl Default for FilterOptions {
    fn default() -> FilterOptions {
        FilterOptions {
            train: TrainOptions::default(),
            folds: 5,
            max_quoted_recall_loss: 0.01,
        }
    }
}

/// One point of the cross-validated curve: a threshold (as a probability) and the split's score
/// with the quotes it keeps.
#[derive(Debug, Clone)]
pub struct CurvePoint {
    /// Quotes whose probability is below it are dropped.
    pub probability: f64,
    /// The score over the split.
    pub score: QuoteScore,
}

/// The trained filter with what chose its threshold.
#[derive(Debug)]
pub struct TrainedFilter {
    /// Trained on every train article, with the chosen threshold.
    pub filter: QuoteFilter,
    /// The rules alone on the split.
    pub unfiltered: QuoteScore,
    /// The cross-validated curve, by rising threshold.
    pub curve: Vec<CurvePoint>,
    /// The chosen point of the curve.
    pub chosen: usize,
    /// Training examples (quotes the rules found) and how many matched an attribution.
    pub n_examples: (usize, usize),
}

/// One article's rule quotes with their features and labels.
struct ArticleExamples {
    gold: GoldArticle,
    system: Vec<SystemQuote>,
    features: Vec<Vec<String>>,
    labels: Vec<bool>,
    /// Posts are kept whatever the filter says.
    always_kept: Vec<bool>,
}

/// Trains the filter on a PolNeAR split (`train/`), reporting progress as lines.
pub fn train_filter(
    dir: &Path,
    options: &FilterOptions,
    progress: &mut dyn FnMut(String),
) -> Result<TrainedFilter, RunError> {
    let (gold_articles, skipped) = polnear::read_split(dir).map_err(|source| RunError::Gold {
        path: dir.display().to_string(),
        source,
    })?;
    for error in &skipped {
        progress(format!("skipped: {error}"));
    }
    let articles: Vec<ArticleExamples> = gold_articles
        .into_par_iter()
        .map(|gold| {
            let (article, features) = analyze_quote_candidates(&Document::new(gold.text.clone()));
            let system = system_quotes(&article);
            let unmatched = polnear::unmatched(&gold.text, &gold.attributions, &system);
            let labels = (0..system.len()).map(|i| !unmatched.contains(&i)).collect();
            let always_kept = features
                .iter()
                .map(|f| f.iter().any(|name| name == "origin=post"))
                .collect();
            ArticleExamples {
                gold,
                system,
                features,
                labels,
                always_kept,
            }
        })
        .collect();
    let examples_of = |keep: &dyn Fn(usize) -> bool| -> Vec<(Vec<String>, bool)> {
        articles
            .iter()
            .enumerate()
            .filter(|(idx, _)| keep(*idx))
            .flat_map(|(_, a)| a.features.iter().cloned().zip(a.labels.iter().copied()))
            .collect()
    };
    let all = examples_of(&|_| true);
    let n_positive = all.iter().filter(|(_, label)| *label).count();
    progress(format!(
        "{} articles, {} rule quotes ({} match an attribution)",
        articles.len(),
        all.len(),
        n_positive
    ));
    // Held-out log-odds of every quote, from a filter that never saw its article.
    let folds = options.folds.max(2);
    let mut held_out: Vec<Vec<f32>> = articles.iter().map(|a| vec![0.0; a.system.len()]).collect();
    for fold in 0..folds {
        let training = examples_of(&|idx| idx % folds != fold);
        let fold_filter = filter::train(&training, &options.train);
        for (idx, article) in articles.iter().enumerate() {
            if idx % folds == fold {
                for (q_idx, features) in article.features.iter().enumerate() {
                    held_out[idx][q_idx] = fold_filter.score(features);
                }
            }
        }
        progress(format!("fold {} of {folds} trained", fold + 1));
    }
    let score_at = |logit: f32| -> QuoteScore {
        let mut score = QuoteScore::default();
        for (article, scores) in articles.iter().zip(&held_out) {
            let kept: Vec<SystemQuote> = article
                .system
                .iter()
                .zip(scores)
                .zip(&article.always_kept)
                .filter(|((_, &s), &always)| always || s >= logit)
                .map(|((q, _), _)| q.clone())
                .collect();
            score.add(
                &article.gold.text,
                &article.gold.attributions,
                &kept,
                &is_speech_verb,
            );
        }
        score
    };
    let unfiltered = score_at(f32::NEG_INFINITY);
    let curve: Vec<CurvePoint> = (1..=16)
        .map(|step| {
            let probability = step as f64 * 0.05;
            let logit = (probability / (1.0 - probability)).ln() as f32;
            CurvePoint {
                probability,
                score: score_at(logit),
            }
        })
        .collect();
    let quoted = |s: &QuoteScore| ratio(s.quoted_recall.0, s.quoted_recall.1);
    let floor = quoted(&unfiltered) - options.max_quoted_recall_loss;
    let chosen = curve
        .iter()
        .enumerate()
        .filter(|(_, point)| quoted(&point.score) >= floor)
        .max_by(|a, b| a.1.score.overall.f1().total_cmp(&b.1.score.overall.f1()))
        .map_or(0, |(idx, _)| idx);
    let probability = curve[chosen].probability;
    let threshold = (probability / (1.0 - probability)).ln() as f32;
    let filter = filter::train(&all, &options.train).with_threshold(threshold);
    Ok(TrainedFilter {
        filter,
        unfiltered,
        curve,
        chosen,
        n_examples: (all.len(), n_positive),
    })
}

impl TrainedFilter {
    /// The curve as a table: threshold, P, R, F1, quoted recall, speaker accuracy; the chosen
    /// row marked.
    pub fn curve_table(&self) -> String {
        let mut out = String::from("threshold      P      R     F1  quoted  speaker  quotes\n");
        let row = |name: String, s: &QuoteScore, mark: &str| {
            format!(
                "{name:<9} {:>6.3} {:>6.3} {:>6.3} {:>7.3} {:>8.3} {:>7}{mark}\n",
                s.overall.precision(),
                s.overall.recall(),
                s.overall.f1(),
                ratio(s.quoted_recall.0, s.quoted_recall.1),
                ratio(s.speaker.0, s.speaker.1),
                s.overall.system
            )
        };
        out.push_str(&row("rules".to_string(), &self.unfiltered, ""));
        for (idx, point) in self.curve.iter().enumerate() {
            let mark = if idx == self.chosen {
                "  ← chosen"
            } else {
                ""
            };
            out.push_str(&row(
                format!("p≥{:.2}", point.probability),
                &point.score,
                mark,
            ));
        }
        out
    }
}
