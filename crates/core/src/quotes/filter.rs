//! The quote filter: a logistic regression that weighs what the rules know of each quote they
//! found — which rule found it, its kind, its cue and the cue's class, how the content hangs on
//! the cue ("that", a colon, an object such as "told reporters"), what kind of mention names the
//! speaker, the content's length and where it sits — and drops the quotes it finds unlikely.
//!
//! The rules decide what a quote is and where it lies; the filter only says which of their
//! quotes to keep. Its weights are `models/quote_filter.txt` at the repository root, compiled
//! in, trained by `newslens train quotes` on PolNeAR's train split (never dev) with the
//! threshold chosen by cross-validation on train: see README.md, Models. Posts are always kept:
//! an embedded post is its author's statement whatever the article says around it.
//!
//! This module holds the features, the weights and the training; it does no I/O and finds no
//! quote.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use foldhash::HashMap;

use super::{FoundQuote, QuoteKind};
use crate::entities::{FoundEntity, MentionKind};
use crate::offsets::Span;

/// Words before a cue that change what it reports ("refused to say", "did not say", "will
/// tell"); any other word before the cue is "other".
const WORDS_BEFORE_CUE: &[&str] = &[
    "to",
    "not",
    "didn't",
    "won't",
    "never",
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "should",
    "must",
    "did",
    "does",
    "do",
    "also",
    "who",
    "which",
    "has",
    "have",
    "had",
    "is",
    "was",
    "be",
    "been",
    "and",
    "but",
    "he",
    "she",
    "they",
    "it",
    "i",
    "we",
    "you",
    "officials",
    "reporters",
    "then",
    "later",
    "once",
    "often",
    "repeatedly",
    "publicly",
    "previously",
    "recently",
];

/// A trained filter: a weight per feature name and the threshold on the summed weights.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteFilter {
    weights: HashMap<String, f32>,
    /// Quotes whose score (sum of weights, a log-odds) is below it are dropped.
    threshold: f32,
}

/// The filter shipped in the binary (`models/quote_filter.txt`).
static SHIPPED: LazyLock<QuoteFilter> = LazyLock::new(|| {
    QuoteFilter::from_text(include_str!("../../../../models/quote_filter.txt"))
        .unwrap_or_else(|error| panic!("models/quote_filter.txt: {error}"))
});

impl QuoteFilter {
    /// The filter shipped in the binary.
    pub fn shipped() -> &'static QuoteFilter {
        &SHIPPED
    }

    /// A filter that keeps every quote the rules find.
    pub fn keep_all() -> QuoteFilter {
        QuoteFilter {
            weights: HashMap::default(),
            threshold: f32::NEG_INFINITY,
        }
    }

    /// Reads a filter written by [`QuoteFilter::to_text`]: `#` comment lines, a `threshold` line,
    /// then one `feature<TAB>weight` line each.
    pub fn from_text(text: &str) -> Result<QuoteFilter, String> {
        let mut weights = HashMap::default();
        let mut threshold = None;
        for (line_idx, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (name, value) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: no tab", line_idx + 1))?;
            let value: f32 = value
                .trim()
                .parse()
                .map_err(|_| format!("line {}: not a number", line_idx + 1))?;
            if name == "threshold" {
                threshold = Some(value);
            } else {
                weights.insert(name.to_string(), value);
            }
        }
        let threshold = threshold.ok_or("no threshold line")?;
        Ok(QuoteFilter { weights, threshold })
    }

    /// The filter as text, features in name order, with `header` as comment lines.
    pub fn to_text(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&format!("threshold\t{:.4}\n", self.threshold));
        let sorted: BTreeMap<&String, &f32> = self.weights.iter().collect();
        for (name, weight) in sorted {
            out.push_str(&format!("{name}\t{weight:.4}\n"));
        }
        out
    }

    /// The log-odds that a quote with these features is an attribution.
    pub fn score(&self, features: &[String]) -> f32 {
        features
            .iter()
            .filter_map(|name| self.weights.get(name.as_str()))
            .sum()
    }

    /// Whether a quote with these features is kept.
    pub fn keeps(&self, features: &[String]) -> bool {
        self.score(features) >= self.threshold
    }

    /// The same weights with another threshold (a log-odds).
    pub fn with_threshold(mut self, threshold: f32) -> QuoteFilter {
        self.threshold = threshold;
        self
    }

    /// The threshold, a log-odds.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Number of weighted features.
    pub fn n_features(&self) -> usize {
        self.weights.len()
    }
}

/// How to train the filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainOptions {
    /// Features seen in fewer training quotes get no weight.
    pub min_count: usize,
    /// Passes of gradient descent over every quote.
    pub epochs: usize,
    /// L2 penalty on the weights (per quote, the bias left out).
    pub l2: f64,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            min_count: 3,
            epochs: 300,
            l2: 1e-3,
        }
    }
}

/// Trains a logistic regression on quotes' features and whether each matched an attribution
/// (full-batch gradient descent with AdaGrad steps, deterministic). The threshold is log-odds 0
/// until [`QuoteFilter::with_threshold`] sets another.
pub fn train(examples: &[(Vec<String>, bool)], options: &TrainOptions) -> QuoteFilter {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (features, _) in examples {
        for name in features {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    let names: Vec<&str> = counts
        .iter()
        .filter(|(_, &n)| n >= options.min_count)
        .map(|(name, _)| *name)
        .collect();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let rows: Vec<(Vec<usize>, f64)> = examples
        .iter()
        .map(|(features, label)| {
            let mut idx: Vec<usize> = features
                .iter()
                .filter_map(|name| index.get(name.as_str()).copied())
                .collect();
            idx.sort_unstable();
            idx.dedup();
            (idx, if *label { 1.0 } else { 0.0 })
        })
        .collect();
    let n_rows = rows.len().max(1) as f64;
    let mut weights = vec![0.0f64; names.len()];
    let mut squares = vec![1e-8f64; names.len()];
    let bias_idx = index.get("bias").copied();
    let rate = 0.5;
    for _ in 0..options.epochs {
        let mut gradient = vec![0.0f64; names.len()];
        for (idx, label) in &rows {
            let z: f64 = idx.iter().map(|&i| weights[i]).sum();
            let error = 1.0 / (1.0 + (-z).exp()) - label;
            for &i in idx {
                gradient[i] += error;
            }
        }
        for (i, g) in gradient.iter_mut().enumerate() {
            *g /= n_rows;
            if Some(i) != bias_idx {
                *g += options.l2 * weights[i];
            }
            squares[i] += *g * *g;
            weights[i] -= rate * *g / squares[i].sqrt();
        }
    }
    QuoteFilter {
        weights: names
            .iter()
            .zip(&weights)
            .map(|(name, &w)| (name.to_string(), w as f32))
            .collect(),
        threshold: 0.0,
    }
}

/// The features of a quote the rules found, as names (each weighs 1).
pub fn features(
    text: &str,
    paragraphs: &[Span],
    sentences: &[Span],
    entities: &[FoundEntity],
    quote: &FoundQuote,
) -> Vec<String> {
    let mut out = Vec::with_capacity(24);
    let origin = quote.origin.as_str();
    let kind = quote.kind.as_str();
    out.push("bias".to_string());
    out.push(format!("origin={origin}"));
    out.push(format!("kind={kind}"));
    out.push(format!("origin={origin}&kind={kind}"));
    let (Some(first), Some(last)) = (quote.spans.first(), quote.spans.last()) else {
        return out;
    };
    // The cue: which, its class, its form, the word before it and how the content hangs on it.
    if let Some((verb, cue)) = &quote.verb {
        let class = cue.class_name();
        out.push(format!("cue={}", cue.lemma));
        out.push(format!("class={class}"));
        out.push(format!("class={class}&kind={kind}"));
        let verb_word = text[verb.start..verb.end]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase();
        let form = if verb_word.ends_with("ing") {
            "ing"
        } else if verb_word.ends_with("ed") || verb_word == "said" || verb_word == "told" {
            "past"
        } else if verb_word.ends_with('s') {
            "s"
        } else {
            "base"
        };
        out.push(format!("form={form}"));
        let before = text[..verb.start]
            .split_whitespace()
            .next_back()
            .map(|w| w.to_lowercase())
            .unwrap_or_default();
        let before = before.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        let before = if WORDS_BEFORE_CUE.contains(&before) {
            before
        } else if before.is_empty() {
            "none"
        } else {
            "other"
        };
        out.push(format!("before_cue={before}"));
        let connection = if last.end <= verb.start {
            "before".to_string()
        } else if first.start < verb.start {
            "split".to_string()
        } else {
            let gap = &text[verb.end..first.start];
            let gap_words: Vec<String> = gap
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            // The word after the cue: "told reporters", "said in", "wrote on".
            if let Some(next) = gap_words.first() {
                out.push(format!("after_cue={next}"));
            }
            if gap.trim_end().ends_with(':') {
                "colon".to_string()
            } else if gap_words.last().is_some_and(|w| w == "that") {
                if gap_words.len() == 1 {
                    "that".to_string()
                } else {
                    "object_that".to_string()
                }
            } else if gap_words.is_empty() {
                "adjacent".to_string()
            } else {
                format!("object{}", bucket(gap_words.len(), &[1, 2, 3, 5, 8]))
            }
        };
        out.push(format!("connection={connection}"));
        out.push(format!("connection={connection}&kind={kind}"));
        out.push(format!("connection={connection}&class={class}"));
    }
    // The speaker: none, or the kind of mention, and what the entity is.
    match &quote.speaker {
        None => out.push("speaker=none".to_string()),
        Some(speaker) => {
            let mention = speaker
                .mention
                .map_or("inherited", |(_, kind)| kind.as_str());
            out.push(format!("speaker={mention}"));
            out.push(format!("speaker={mention}&origin={origin}"));
            let entity = speaker
                .entity
                .and_then(|idx| entities.get(idx))
                .map_or("none", |e| e.entity_type.as_str());
            out.push(format!("speaker_entity={entity}"));
            // A description's head word: "officials", "the report", "a poll", "sources".
            if let Some((span, kind)) = speaker.mention {
                if kind != MentionKind::Name {
                    if let Some(head) = text[span.start..span.end].split_whitespace().next_back() {
                        out.push(format!("speaker_head={}", head.to_lowercase()));
                    }
                }
            }
        }
    }
    // The content: its length in words, how much of it is in marks, and where it sits.
    let n_words: usize = quote
        .spans
        .iter()
        .map(|s| text[s.start..s.end].split_whitespace().count())
        .sum();
    let n_marked: usize = quote
        .marked
        .iter()
        .map(|s| text[s.start..s.end].split_whitespace().count())
        .sum();
    let length = bucket(n_words, &[1, 2, 3, 5, 8, 12, 18, 25, 35, 50, 80]);
    out.push(format!("words{length}"));
    out.push(format!("words{length}&kind={kind}"));
    out.push(format!("words{length}&origin={origin}"));
    if quote.kind == QuoteKind::Mixed {
        let share = n_marked * 4 / n_words.max(1);
        out.push(format!("marked_quarters={share}"));
    }
    let paragraph = paragraphs.partition_point(|p| p.end <= first.start);
    if paragraph == 0 {
        out.push("first_paragraph".to_string());
    }
    if paragraphs
        .get(paragraph)
        .is_some_and(|p| p.start == first.start)
    {
        out.push("opens_paragraph".to_string());
    }
    let first_sentence = sentences.partition_point(|s| s.end <= first.start);
    let last_sentence = sentences.partition_point(|s| s.end < last.end);
    let n_sentences = last_sentence.saturating_sub(first_sentence) + 1;
    out.push(format!("sentences{}", bucket(n_sentences, &[1, 2, 3, 5])));
    if let Some(sentence) = sentences.get(last_sentence) {
        let after = &text[last.end.min(sentence.end)..sentence.end];
        let n_after = after
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        out.push(format!(
            "words_after{}&kind={kind}",
            bucket(n_after, &[0, 1, 3, 6, 10])
        ));
    }
    if let Some(sentence) = sentences.get(first_sentence) {
        let before = &text[sentence.start..first.start.max(sentence.start)];
        let n_before = before
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        out.push(format!(
            "words_before{}&kind={kind}",
            bucket(n_before, &[0, 1, 3, 6, 10])
        ));
    }
    // The content's first word: "he", "the", "it", "there", "Trump".
    if quote.kind != QuoteKind::Direct {
        if let Some(word) = text[first.start..first.end].split_whitespace().next() {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            let word = if word.starts_with(char::is_uppercase) && word.len() > 1 {
                "Capital".to_string()
            } else {
                word.to_lowercase()
            };
            out.push(format!("content_first={word}&kind={kind}"));
        }
    }
    if text[first.start..last.end].contains('?') {
        out.push("question".to_string());
    }
    out
}

/// The bucket a number falls in, named by its lower bound ("<=3", ">80").
fn bucket(n: usize, bounds: &[usize]) -> String {
    match bounds.iter().find(|&&b| n <= b) {
        Some(b) => format!("<={b}"),
        None => format!(">{}", bounds.last().copied().unwrap_or(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_reads_back_what_it_writes() {
        let filter =
            QuoteFilter::from_text("# header\nthreshold\t-0.5\nbias\t1.25\nkind=direct\t0.5\n")
                .expect("parses");
        let text = filter.to_text("header");
        assert_eq!(QuoteFilter::from_text(&text), Ok(filter.clone()));
        assert!(
            (filter.score(&["bias".into(), "kind=direct".into(), "x".into()]) - 1.75).abs() < 1e-6
        );
        assert!(filter.keeps(&["bias".into()]));
    }

    #[test]
    fn training_weighs_a_feature_by_how_often_its_quotes_match() {
        let mut examples = Vec::new();
        for i in 0..200 {
            let good = i % 4 != 0;
            let feature = if good { "cue=say" } else { "cue=attack" };
            examples.push((vec!["bias".to_string(), feature.to_string()], good));
        }
        let filter = train(&examples, &TrainOptions::default());
        assert!(filter.score(&["bias".into(), "cue=say".into()]) > 0.0);
        assert!(filter.score(&["bias".into(), "cue=attack".into()]) < 0.0);
    }

    #[test]
    fn a_filter_with_no_weights_keeps_everything() {
        assert!(QuoteFilter::keep_all().keeps(&[]));
    }

    #[test]
    fn the_shipped_filter_parses() {
        assert!(QuoteFilter::shipped().n_features() > 0);
    }
}
