//! Training the loaded-language tagger: an averaged perceptron over the features of `model.rs`,
//! decoded greedily as at run time.
//!
//! Deterministic: sentences are visited in an order shuffled each epoch by a fixed-seed generator,
//! so the same data and options give the same bytes. Inputs are texts with their sentences' tokens,
//! quoted spans and gold classes per token; reading a corpus is the caller's job (the CLI's
//! `train loaded` reads the Propaganda Techniques Corpus). It does not evaluate.

use super::lexicon::lexicon_matches;
use super::model::{dynamic_rows, sentence_features, LoadedModel, N_CLASSES, N_STATIC};
use crate::offsets::Span;
use crate::tone::sorted_spans;

/// One training text.
#[derive(Debug, Clone)]
pub struct TrainingText<'a> {
    /// The text the spans point into.
    pub text: &'a str,
    /// Each sentence's tokens.
    pub sentence_tokens: Vec<Vec<Span>>,
    /// Byte spans of quoted text.
    pub quoted: Vec<Span>,
    /// The gold class of each token of each sentence ([`super::model::CLASS_NONE`], …).
    pub classes: Vec<Vec<u8>>,
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// The feature table has 2^bits rows.
    pub bits: u32,
    /// Passes over the data.
    pub epochs: usize,
    /// Seed of the shuffling.
    pub seed: u64,
    /// The bias on "not loaded" stored in the model (negative: more recall).
    pub none_bias: f32,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            bits: 18,
            epochs: 8,
            seed: 0x6c6f_6164,
            none_bias: -18.0,
        }
    }
}

/// Gold classes of tokens from character-free byte spans: a token takes the class of the gold span
/// that covers most of it (ties to the first class given).
pub fn classes_of_tokens(tokens: &[Span], gold: &[(Span, u8)]) -> Vec<u8> {
    tokens
        .iter()
        .map(|token| {
            let mut best = (0usize, super::model::CLASS_NONE);
            for (span, class) in gold {
                let overlap = token
                    .end
                    .min(span.end)
                    .saturating_sub(token.start.max(span.start));
                if overlap > best.0 {
                    best = (overlap, *class);
                }
            }
            best.1
        })
        .collect()
}

/// One sentence's features and gold classes.
struct Example {
    rows: Vec<[u32; N_STATIC]>,
    words: Vec<u64>,
    classes: Vec<u8>,
}

/// Trains a tagger. `progress` hears each epoch's token accuracy.
pub fn train(
    texts: &[TrainingText<'_>],
    options: &TrainOptions,
    mut progress: impl FnMut(usize, f64),
) -> LoadedModel {
    let mut examples = Vec::new();
    let mut matches = Vec::new();
    for text in texts {
        let quoted = sorted_spans(&text.quoted);
        let mut cursor = 0;
        for (tokens, classes) in text.sentence_tokens.iter().zip(&text.classes) {
            matches.clear();
            lexicon_matches(text.text, tokens, &mut matches);
            let mut rows = Vec::new();
            let mut words = Vec::new();
            sentence_features(
                text.text,
                tokens,
                &matches,
                &quoted,
                &mut cursor,
                &mut rows,
                &mut words,
            );
            examples.push(Example {
                rows,
                words,
                classes: classes.clone(),
            });
        }
    }
    let n_rows = 1usize << options.bits;
    let mask = (n_rows - 1) as u32;
    let mut weights = vec![0f32; n_rows * N_CLASSES];
    // Lazy averaging: `totals` holds the running sum of each weight over time.
    let mut totals = vec![0f32; n_rows * N_CLASSES];
    let mut stamps = vec![0u32; n_rows * N_CLASSES];
    let mut clock: u32 = 0;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = options.seed | 1;
    let update = |weights: &mut [f32],
                  totals: &mut [f32],
                  stamps: &mut [u32],
                  clock: u32,
                  index: usize,
                  delta: f32| {
        totals[index] += (clock - stamps[index]) as f32 * weights[index];
        stamps[index] = clock;
        weights[index] += delta;
    };
    for epoch in 0..options.epochs {
        shuffle(&mut order, &mut rng);
        let (mut n_tokens, mut n_correct) = (0usize, 0usize);
        for &example_idx in &order {
            let example = &examples[example_idx];
            let mut previous = super::model::CLASS_NONE;
            for (token_idx, rows) in example.rows.iter().enumerate() {
                clock += 1;
                let dynamic = dynamic_rows(previous, example.words[token_idx]);
                let mut scores = [0f32; N_CLASSES];
                for row in rows.iter().chain(dynamic.iter()) {
                    let base = (row & mask) as usize * N_CLASSES;
                    for (class, score) in scores.iter_mut().enumerate() {
                        *score += weights[base + class];
                    }
                }
                let guess = (0..N_CLASSES)
                    .max_by(|a, b| scores[*a].total_cmp(&scores[*b]).then(b.cmp(a)))
                    .unwrap_or(0);
                let gold = usize::from(example.classes[token_idx]);
                n_tokens += 1;
                if guess == gold {
                    n_correct += 1;
                } else {
                    for row in rows.iter().chain(dynamic.iter()) {
                        let base = (row & mask) as usize * N_CLASSES;
                        update(
                            &mut weights,
                            &mut totals,
                            &mut stamps,
                            clock,
                            base + gold,
                            1.0,
                        );
                        update(
                            &mut weights,
                            &mut totals,
                            &mut stamps,
                            clock,
                            base + guess,
                            -1.0,
                        );
                    }
                }
                previous = guess as u8;
            }
        }
        progress(epoch + 1, n_correct as f64 / n_tokens.max(1) as f64);
    }
    let averaged: Vec<f32> = (0..weights.len())
        .map(|index| {
            let total = totals[index] + (clock - stamps[index]) as f32 * weights[index];
            total / clock.max(1) as f32
        })
        .collect();
    LoadedModel::from_weights(options.bits, &averaged, options.none_bias)
}

/// Fisher–Yates with a xorshift generator: deterministic for a seed.
fn shuffle(order: &mut [usize], state: &mut u64) {
    for idx in (1..order.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let other = (*state % (idx as u64 + 1)) as usize;
        order.swap(idx, other);
    }
}
