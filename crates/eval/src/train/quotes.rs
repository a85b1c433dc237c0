//! Training the quote filter and the boundary chooser on PolNeAR's train split
//! (`newslens train quotes`, which writes `models/quote_filter.txt` and
//! `models/quote_bounds.txt`).
//!
//! Every train article is analysed with the rules alone ([`analyze_quote_candidates`]); each
//! quote they find is a training example, positive when it matches a gold attribution as `eval
//! quotes` counts a match (half of each side's words). The threshold is chosen by
//! cross-validation on train alone: the articles are cut into folds, each fold's quotes scored by
//! a filter trained on the others, and the threshold is the one with the best F1 over the whole
//! split among those that lose at most `max_quoted_recall_loss` of the recall of quoted
//! attributions. The dev split is never read. It does not evaluate beyond that:
//! `eval quotes` scores the shipped models.
//!
//! The boundary chooser learns from the same analysis: each rule quote's boundary candidates
//! (`newslens_core::quotes::bounds`), positive when the quote with that span would match a gold
//! attribution; it learns from the candidates that would change whether their quote matches
//! (better or worse than the rules' span). Its threshold (the probability that the best other
//! candidate is better than the rules' span) is chosen
//! the same way, on held-out folds: the quotes the held-out filter keeps, re-bounded by a chooser
//! that never saw their article, scored over the whole split; the threshold with the best F1 losing
//! at most `max_quoted_recall_loss` of quoted recall against the rules' bounds wins.

use std::path::Path;

use rayon::prelude::*;

use newslens_core::quotes::bounds::{self, BoundCandidate};
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

/// The trained boundary chooser with what chose its threshold.
#[derive(Debug)]
pub struct TrainedBounds {
    /// Trained on every train article's candidates, with the chosen threshold (a log-odds).
    pub model: QuoteFilter,
    /// The held-out filter's quotes with the rules' bounds.
    pub rule_bounds: QuoteScore,
    /// The cross-validated curve: a threshold (a probability), the split's score with the
    /// quotes re-bounded, and how many quotes moved.
    pub curve: Vec<(f32, QuoteScore, usize)>,
    /// The chosen point of the curve.
    pub chosen: usize,
    /// Training candidates (those that would change whether their quote matches), how many
    /// for the better, and the rule quotes with candidates.
    pub n_examples: (usize, usize, usize),
}

/// Both quote models.
#[derive(Debug)]
pub struct TrainedQuotes {
    /// The filter.
    pub filter: TrainedFilter,
    /// The boundary chooser.
    pub bounds: TrainedBounds,
}

/// One article's rule quotes with their features and labels.
struct ArticleExamples {
    gold: GoldArticle,
    system: Vec<SystemQuote>,
    features: Vec<Vec<String>>,
    labels: Vec<bool>,
    /// Posts are kept whatever the filter says.
    always_kept: Vec<bool>,
    /// Each quote's boundary candidates, in characters.
    bounds: Vec<Vec<BoundCandidate>>,
    /// Whether each candidate would match an attribution.
    bound_labels: Vec<Vec<bool>>,
}

/// Trains the filter and the boundary chooser on a PolNeAR split (`train/`), reporting progress
/// as lines.
pub fn train_quotes(
    dir: &Path,
    options: &FilterOptions,
    progress: &mut dyn FnMut(String),
) -> Result<TrainedQuotes, RunError> {
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
            let candidates = analyze_quote_candidates(&Document::new(gold.text.clone()));
            let features = candidates.filter_features;
            let system = system_quotes(&candidates.article);
            let unmatched = polnear::unmatched(&gold.text, &gold.attributions, &system);
            let bound_labels = bound_labels(&gold, &candidates.bounds);
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
                bounds: candidates.bounds,
                bound_labels,
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
    let trained_filter = TrainedFilter {
        filter,
        unfiltered,
        curve,
        chosen,
        n_examples: (all.len(), n_positive),
    };
    // The quotes the held-out filter keeps: what the chooser is measured on.
    let kept: Vec<Vec<bool>> = articles
        .iter()
        .zip(&held_out)
        .map(|(article, scores)| {
            scores
                .iter()
                .zip(&article.always_kept)
                .map(|(&s, &always)| always || s >= threshold)
                .collect()
        })
        .collect();
    let bounds = train_bounds(&articles, &kept, options, progress);
    Ok(TrainedQuotes {
        filter: trained_filter,
        bounds,
    })
}

/// Whether each boundary candidate, as the quote's span, would match a gold attribution.
fn bound_labels(gold: &GoldArticle, bounds: &[Vec<BoundCandidate>]) -> Vec<Vec<bool>> {
    let chars: Vec<char> = gold.text.chars().collect();
    let words = polnear::word_ranges(&chars);
    let gold_words: Vec<Vec<usize>> = gold
        .attributions
        .iter()
        .map(|g| polnear::words_in(&words, &g.content))
        .collect();
    bounds
        .iter()
        .map(|candidates| {
            candidates
                .iter()
                .map(|c| {
                    let spans: Vec<(usize, usize)> =
                        c.spans.iter().map(|s| (s.start, s.end)).collect();
                    let c_words = polnear::words_in(&words, &spans);
                    gold_words
                        .iter()
                        .any(|g| polnear::half_overlap(&c_words, g).0)
                })
                .collect()
        })
        .collect()
}

/// Thresholds tried: the probability that another candidate is better than the rules' span.
const THRESHOLDS: [f32; 10] = [0.3, 0.4, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];

/// Trains the boundary chooser and chooses its threshold by cross-validation over `kept` quotes.
fn train_bounds(
    articles: &[ArticleExamples],
    kept: &[Vec<bool>],
    options: &FilterOptions,
    progress: &mut dyn FnMut(String),
) -> TrainedBounds {
    let examples_of = |keep: &dyn Fn(usize) -> bool| -> Vec<(Vec<String>, bool)> {
        articles
            .iter()
            .enumerate()
            .filter(|(idx, _)| keep(*idx))
            .flat_map(|(_, a)| {
                // A candidate teaches where bounds go when choosing it changes whether the
                // quote matches: better than the rules' span (positive) or worse (negative).
                a.bounds
                    .iter()
                    .zip(&a.bound_labels)
                    .flat_map(|(candidates, labels)| {
                        let rule = candidates.iter().position(|c| c.rule);
                        let rule_label = rule.map(|r| labels[r]);
                        candidates
                            .iter()
                            .zip(labels.iter().copied())
                            .filter(move |(c, label)| !c.rule && Some(*label) != rule_label)
                            .map(|(c, label)| (c.features.clone(), label))
                    })
            })
            .collect()
    };
    let all = examples_of(&|_| true);
    let n_positive = all.iter().filter(|(_, label)| *label).count();
    let n_quotes = articles
        .iter()
        .flat_map(|a| &a.bounds)
        .filter(|c| !c.is_empty())
        .count();
    progress(format!(
        "{} boundary candidates of {n_quotes} quotes change whether their quote matches ({n_positive} for the better)",
        all.len()
    ));
    let (mut n_rule_right, mut n_fixable) = (0, 0);
    for article in articles {
        for (candidates, labels) in article.bounds.iter().zip(&article.bound_labels) {
            let Some(rule) = candidates.iter().position(|c| c.rule) else {
                continue;
            };
            if labels[rule] {
                n_rule_right += 1;
            } else if labels.iter().any(|&l| l) {
                n_fixable += 1;
            }
        }
    }
    progress(format!(
        "the rules' span matches for {n_rule_right} of them; another candidate, not the rules', for {n_fixable}"
    ));
    let folds = options.folds.max(2);
    // Held-out score of every candidate, from a chooser that never saw its article.
    let mut held_out: Vec<Vec<Vec<f32>>> = articles
        .iter()
        .map(|a| a.bounds.iter().map(|c| vec![0.0; c.len()]).collect())
        .collect();
    for fold in 0..folds {
        let training = examples_of(&|idx| idx % folds != fold);
        let model = filter::train(&training, &options.train);
        for (idx, article) in articles.iter().enumerate() {
            if idx % folds == fold {
                for (q_idx, candidates) in article.bounds.iter().enumerate() {
                    for (c_idx, candidate) in candidates.iter().enumerate() {
                        held_out[idx][q_idx][c_idx] = model.score(&candidate.features);
                    }
                }
            }
        }
        progress(format!("boundary fold {} of {folds} trained", fold + 1));
    }
    let score_at = |threshold: Option<f32>| -> (QuoteScore, usize) {
        let mut score = QuoteScore::default();
        let mut n_moved = 0;
        for ((article, scores), kept) in articles.iter().zip(&held_out).zip(kept) {
            let mut system = Vec::new();
            for (q_idx, quote) in article.system.iter().enumerate() {
                if !kept[q_idx] {
                    continue;
                }
                let mut quote = quote.clone();
                let candidates = &article.bounds[q_idx];
                let chosen = threshold.and_then(|p| {
                    let logit = (p / (1.0 - p)).ln();
                    bounds::choose_by_scores(candidates, &scores[q_idx], logit)
                });
                if let Some(c_idx) = chosen.filter(|&c| !candidates[c].rule) {
                    quote.spans = candidates[c_idx]
                        .spans
                        .iter()
                        .map(|s| (s.start, s.end))
                        .collect();
                    n_moved += 1;
                }
                system.push(quote);
            }
            score.add(
                &article.gold.text,
                &article.gold.attributions,
                &system,
                &is_speech_verb,
            );
        }
        (score, n_moved)
    };
    let (rule_bounds, _) = score_at(None);
    let curve: Vec<(f32, QuoteScore, usize)> = THRESHOLDS
        .iter()
        .map(|&m| {
            let (score, n_moved) = score_at(Some(m));
            (m, score, n_moved)
        })
        .collect();
    let quoted = |s: &QuoteScore| ratio(s.quoted_recall.0, s.quoted_recall.1);
    let floor = quoted(&rule_bounds) - options.max_quoted_recall_loss;
    let chosen = curve
        .iter()
        .enumerate()
        .filter(|(_, (_, score, _))| quoted(score) >= floor)
        .max_by(|a, b| a.1 .1.overall.f1().total_cmp(&b.1 .1.overall.f1()))
        .map_or(curve.len() - 1, |(idx, _)| idx);
    let probability = curve[chosen].0;
    let model = filter::train(&all, &options.train)
        .with_threshold((probability / (1.0 - probability)).ln());
    TrainedBounds {
        model,
        rule_bounds,
        curve,
        chosen,
        n_examples: (all.len(), n_positive, n_quotes),
    }
}

impl TrainedBounds {
    /// The curve as a table: threshold, P, R, F1, quoted recall, speaker accuracy, quotes moved;
    /// the chosen row marked.
    pub fn curve_table(&self) -> String {
        let mut out = String::from("threshold    P      R     F1  quoted  speaker  moved\n");
        let row = |name: String, s: &QuoteScore, moved: usize, mark: &str| {
            format!(
                "{name:<8} {:>6.3} {:>6.3} {:>6.3} {:>7.3} {:>8.3} {:>6}{mark}\n",
                s.overall.precision(),
                s.overall.recall(),
                s.overall.f1(),
                ratio(s.quoted_recall.0, s.quoted_recall.1),
                ratio(s.speaker.0, s.speaker.1),
                moved
            )
        };
        out.push_str(&row("rules".to_string(), &self.rule_bounds, 0, ""));
        for (idx, (probability, score, moved)) in self.curve.iter().enumerate() {
            let mark = if idx == self.chosen {
                "  ← chosen"
            } else {
                ""
            };
            out.push_str(&row(format!("p≥{probability:.2}"), score, *moved, mark));
        }
        out
    }
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
