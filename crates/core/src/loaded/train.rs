//! Training the loaded-language tagger: an averaged perceptron over the features of `model.rs`,
//! decoded greedily as at run time, and the bias on "not loaded" that the stored model carries,
//! chosen by cross-validation on the training texts alone (whole texts held out).
//!
//! Deterministic: sentences are visited in an order shuffled each epoch by a fixed-seed generator,
//! so the same data and options give the same bytes. Inputs are texts with their sentences' tokens,
//! quoted spans and gold classes per token; reading a corpus is the caller's job (the CLI's
//! `train loaded` reads the Propaganda Techniques Corpus). It does not evaluate.

use super::features::{
    article_context, dynamic_rows, sentence_features, word_repeats, FeatureScratch, TokenContext,
    N_STATIC,
};
use super::lexicon::lexicon_matches;
use super::model::{LoadedModel, N_CLASSES};
use super::{find_loaded_with, DecodeOptions};
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
    /// Byte spans of names (the entity layer's name mentions), as the analysis passes them.
    pub names: Vec<Span>,
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
    /// The bias on "not loaded" stored in the model (negative: more recall), when it is not tuned.
    pub none_bias: f32,
    /// Tune the bias on "not loaded" by cross-validation over this many folds of the training
    /// texts (whole texts held out); fewer than 2 keeps `none_bias`.
    pub tuning_folds: usize,
    /// The precision (on the tuning folds, bytes) the tuned bias must reach: among the biases
    /// that reach it, the one with the best F1 wins; when none does, the most precise. Every
    /// span is shown to a reader as the outlet's framing, so precision comes first.
    pub min_precision: f64,
    /// How classes become spans, while tuning (the shipped decoding is the default).
    pub decode: DecodeOptions,
}

/// The reader's operating point: the tuned bias must reach this byte precision on the tuning
/// folds. Every span is shown as the outlet's framing, so precision comes first, and the floor
/// for readers is 0.45 on unseen text. Tuning folds are trained on less text than the shipped
/// tagger and read lower: held out on PTC, 0.42 gives precision 0.46 (0.40 gives 0.44, 0.45
/// gives 0.49 at 3.8 points less F1; `eval loaded --folds 4 --min-precision P`).
pub const MIN_PRECISION: f64 = 0.42;

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            bits: 18,
            epochs: 8,
            seed: 0x6c6f_6164,
            none_bias: -18.0,
            tuning_folds: 4,
            min_precision: MIN_PRECISION,
            decode: DecodeOptions::default(),
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
    contexts: Vec<TokenContext>,
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
    let mut scratch = FeatureScratch::default();
    let mut repeats = Vec::new();
    for text in texts {
        let quoted = sorted_spans(&text.quoted);
        let mut cursor = 0;
        let article = article_context(text.text, &text.sentence_tokens);
        word_repeats(text.text, &text.sentence_tokens, &mut repeats);
        let mut first_token = 0;
        for (tokens, classes) in text.sentence_tokens.iter().zip(&text.classes) {
            matches.clear();
            lexicon_matches(text.text, tokens, &mut matches);
            let mut rows = Vec::new();
            let mut contexts = Vec::new();
            sentence_features(
                text.text,
                tokens,
                &matches,
                &quoted,
                &mut cursor,
                article,
                &repeats[first_token..first_token + tokens.len()],
                &mut scratch,
                &mut rows,
                &mut contexts,
            );
            first_token += tokens.len();
            examples.push(Example {
                rows,
                contexts,
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
                let dynamic = dynamic_rows(previous, example.contexts[token_idx]);
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

/// The biases on "not loaded" that tuning tries, in the perceptron's score units.
const TUNING_BIASES: std::ops::RangeInclusive<i32> = -14..=3;
/// The step between tried biases.
const TUNING_STEP: f32 = 5.0;

/// Trains a tagger whose bias on "not loaded" is the one that gives the best byte-level F1 of the
/// whole layer (tagger, lexicon and scare quotes) on held-out texts: the training texts are cut
/// into [`TrainOptions::tuning_folds`] folds (text index modulo the number), a tagger is trained
/// on all folds but one and decoded on that one with each bias. Then the tagger is trained on all
/// texts and given the best bias. `progress` hears each fold's and the final training's epochs
/// (fold `None` for the final one), then the bias chosen and its F1.
pub fn train_tuned(
    texts: &[TrainingText<'_>],
    options: &TrainOptions,
    progress: impl FnMut(Option<usize>, usize, f64),
    tuned: impl FnMut(f32, f64),
) -> LoadedModel {
    train_tuned_with_silver(texts, &[], options, progress, tuned)
}

/// [`train_tuned`] with `silver` texts added to every training run (each tuning fold's and the
/// final one) but never scored: texts labelled by a teacher model rather than by annotators, so
/// the bias is still chosen on gold alone.
pub fn train_tuned_with_silver(
    texts: &[TrainingText<'_>],
    silver: &[TrainingText<'_>],
    options: &TrainOptions,
    mut progress: impl FnMut(Option<usize>, usize, f64),
    mut tuned: impl FnMut(f32, f64),
) -> LoadedModel {
    let biases: Vec<f32> = TUNING_BIASES.map(|b| b as f32 * TUNING_STEP).collect();
    let mut counts = vec![ByteCounts::default(); biases.len()];
    let n_folds = options.tuning_folds;
    if n_folds >= 2 {
        for fold in 0..n_folds {
            let training: Vec<TrainingText<'_>> = texts
                .iter()
                .enumerate()
                .filter(|(idx, _)| idx % n_folds != fold)
                .map(|(_, text)| text.clone())
                .chain(silver.iter().cloned())
                .collect();
            let model = train(&training, options, |epoch, accuracy| {
                progress(Some(fold), epoch, accuracy)
            });
            for text in texts.iter().skip(fold).step_by(n_folds) {
                let gold = gold_mask(text);
                for (bias, counts) in biases.iter().zip(counts.iter_mut()) {
                    let model = model.clone().with_none_bias(*bias);
                    let predicted = find_loaded_with(
                        &model,
                        text.text,
                        &text.sentence_tokens,
                        &text.quoted,
                        &text.names,
                        &options.decode,
                    );
                    counts.add(&gold, predicted.iter().map(|l| l.span));
                }
            }
        }
    }
    let all: Vec<TrainingText<'_>> = texts.iter().chain(silver).cloned().collect();
    let model = train(&all, options, |epoch, accuracy| {
        progress(None, epoch, accuracy)
    });
    if n_folds < 2 {
        return model;
    }
    let best_idx = best_bias(&counts, options.min_precision);
    let best = counts.get(best_idx).copied().unwrap_or_default();
    tuned(biases[best_idx], best.f1());
    model.with_none_bias(biases[best_idx])
}

/// The index of the counts with the best F1 among those whose precision reaches `min_precision`
/// (the lower bias on a tie), or of the most precise when none does.
fn best_bias(counts: &[ByteCounts], min_precision: f64) -> usize {
    let reaching = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.precision() >= min_precision)
        .max_by(|(a_idx, a), (b_idx, b)| a.f1().total_cmp(&b.f1()).then(b_idx.cmp(a_idx)))
        .map(|(idx, _)| idx);
    reaching.unwrap_or_else(|| {
        counts
            .iter()
            .enumerate()
            .max_by(|(_, a), (_, b)| a.precision().total_cmp(&b.precision()))
            .map_or(0, |(idx, _)| idx)
    })
}

/// Bytes of predicted and gold spans, and of both.
#[derive(Debug, Default, Clone, Copy)]
struct ByteCounts {
    predicted: usize,
    gold: usize,
    both: usize,
}

impl ByteCounts {
    /// Adds a text's predicted spans against its gold byte mask.
    fn add(&mut self, gold: &[bool], predicted: impl Iterator<Item = Span>) {
        let mut mask = vec![false; gold.len()];
        for span in predicted {
            for set in &mut mask[span.start.min(gold.len())..span.end.min(gold.len())] {
                *set = true;
            }
        }
        for (p, g) in mask.iter().zip(gold) {
            self.predicted += usize::from(*p);
            self.gold += usize::from(*g);
            self.both += usize::from(*p && *g);
        }
    }

    fn precision(&self) -> f64 {
        if self.predicted == 0 {
            return 0.0;
        }
        self.both as f64 / self.predicted as f64
    }

    fn f1(&self) -> f64 {
        if self.predicted + self.gold == 0 {
            return 0.0;
        }
        2.0 * self.both as f64 / (self.predicted + self.gold) as f64
    }
}

/// The bytes of a training text inside gold spans: runs of tokens of one class, from the first
/// token's start to the last one's end.
fn gold_mask(text: &TrainingText<'_>) -> Vec<bool> {
    let mut mask = vec![false; text.text.len()];
    for (tokens, classes) in text.sentence_tokens.iter().zip(&text.classes) {
        let mut token_idx = 0;
        while token_idx < tokens.len() {
            let class = classes[token_idx];
            if class == super::model::CLASS_NONE {
                token_idx += 1;
                continue;
            }
            let first = token_idx;
            while token_idx < tokens.len() && classes[token_idx] == class {
                token_idx += 1;
            }
            for set in &mut mask[tokens[first].start..tokens[token_idx - 1].end] {
                *set = true;
            }
        }
    }
    mask
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loaded::model::{CLASS_LOADED, CLASS_NONE};
    use crate::tokens::tokenize;

    /// Invented texts where the one loaded word is "dreadful" or "appalling".
    fn corpus() -> Vec<(String, Vec<Span>)> {
        let sentences = [
            "The dreadful plan was announced on Monday.",
            "Officials met the appalling delegation in the capital.",
            "A committee published the report after the vote.",
            "The dreadful decision angered farmers in the region.",
            "Workers repaired the bridge over the river.",
            "An appalling budget passed late at night.",
        ];
        sentences
            .iter()
            .map(|sentence| {
                let text = sentence.to_string();
                let tokens = tokenize(&text);
                (text, tokens)
            })
            .collect()
    }

    fn training_texts(corpus: &[(String, Vec<Span>)]) -> Vec<TrainingText<'_>> {
        corpus
            .iter()
            .map(|(text, tokens)| {
                let gold: Vec<(Span, u8)> = ["dreadful", "appalling"]
                    .iter()
                    .filter_map(|word| text.find(word).map(|at| Span::new(at, at + word.len())))
                    .map(|span| (span, CLASS_LOADED))
                    .collect();
                TrainingText {
                    text,
                    sentence_tokens: vec![tokens.clone()],
                    quoted: Vec::new(),
                    names: Vec::new(),
                    classes: vec![classes_of_tokens(tokens, &gold)],
                }
            })
            .collect()
    }

    #[test]
    fn a_token_takes_the_class_of_the_gold_span_covering_most_of_it() {
        let text = "a cynical ploy";
        let tokens = tokenize(text);
        let gold = [(Span::new(2, 9), CLASS_LOADED)];
        assert_eq!(
            classes_of_tokens(&tokens, &gold),
            [CLASS_NONE, CLASS_LOADED, CLASS_NONE]
        );
    }

    #[test]
    fn the_gold_mask_covers_runs_of_gold_tokens_and_the_spaces_inside_them() {
        let corpus = corpus();
        let texts = training_texts(&corpus);
        let mask = gold_mask(&texts[0]);
        let marked: String = texts[0]
            .text
            .char_indices()
            .filter(|(at, _)| mask[*at])
            .map(|(_, c)| c)
            .collect();
        assert_eq!(marked, "dreadful");
    }

    #[test]
    fn training_is_deterministic_and_learns_the_invented_words() {
        let corpus = corpus();
        let texts = training_texts(&corpus);
        let options = TrainOptions {
            bits: 12,
            epochs: 4,
            tuning_folds: 0,
            none_bias: 0.0,
            ..TrainOptions::default()
        };
        let model = train_tuned(&texts, &options, |_, _, _| {}, |_, _| {});
        let again = train_tuned(&texts, &options, |_, _, _| {}, |_, _| {});
        assert_eq!(model.to_bytes(), again.to_bytes());
        let text = "The dreadful vote was held.";
        let found = find_loaded_with(
            &model,
            text,
            &[tokenize(text)],
            &[],
            &[],
            &DecodeOptions::default(),
        );
        assert!(
            found
                .iter()
                .any(|l| text[l.span.start..l.span.end].starts_with("dreadful")),
            "{found:?}"
        );
    }

    #[test]
    fn tuning_gives_the_model_a_bias_from_the_grid() {
        let corpus = corpus();
        let texts = training_texts(&corpus);
        let options = TrainOptions {
            bits: 12,
            epochs: 2,
            tuning_folds: 2,
            ..TrainOptions::default()
        };
        let mut chosen = None;
        train_tuned(
            &texts,
            &options,
            |_, _, _| {},
            |bias, _| chosen = Some(bias),
        );
        let grid: Vec<f32> = TUNING_BIASES.map(|b| b as f32 * TUNING_STEP).collect();
        assert!(
            chosen.is_some_and(|bias| grid.contains(&bias)),
            "{chosen:?}"
        );
    }
}
