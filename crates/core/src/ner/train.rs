//! Training the tagger: an averaged perceptron over the same features and greedy decoding the
//! tagger uses, so training sees the mistakes tagging will make.
//!
//! Deterministic: sentences are shuffled each epoch by a fixed-seed generator, so the same data and
//! options give the same model byte for byte. It takes sentences in memory; reading data sets is the
//! caller's job.

use super::features::FeatureHasher;
use super::model::{best_allowed_for, can_be_in_mention, can_open_mention, Model};
use super::Tag;

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingSentence {
    /// The words.
    pub words: Vec<String>,
    /// One tag per word.
    pub tags: Vec<Tag>,
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// The feature table has `2^bits` rows.
    pub bits: u32,
    /// Passes over the data.
    pub epochs: usize,
    /// Seed of the shuffling.
    pub seed: u64,
    /// One sentence in this many is also learnt in capitals, as headlines and wire slugs are
    /// written (0: none).
    pub shouted_every: usize,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            bits: 19,
            epochs: 8,
            seed: 0x6e65_7773,
            shouted_every: 8,
        }
    }
}

/// Averaged-perceptron weights with lazy averaging (each weight remembers when it last changed).
struct Averaged {
    weights: Vec<f32>,
    totals: Vec<f64>,
    stamps: Vec<u32>,
    clock: u32,
}

impl Averaged {
    fn update(&mut self, index: usize, delta: f32) {
        let elapsed = self.clock - self.stamps[index];
        self.totals[index] += elapsed as f64 * self.weights[index] as f64;
        self.stamps[index] = self.clock;
        self.weights[index] += delta;
    }

    fn averages(mut self) -> Vec<f32> {
        let clock = self.clock.max(1);
        for index in 0..self.weights.len() {
            let elapsed = clock - self.stamps[index];
            self.totals[index] += elapsed as f64 * self.weights[index] as f64;
        }
        self.totals
            .iter()
            .map(|total| (*total / clock as f64) as f32)
            .collect()
    }
}

/// Trains a model on `sentences`; `progress` is called after each epoch with (epoch, token accuracy).
pub fn train(
    sentences: &[TrainingSentence],
    options: &TrainOptions,
    mut progress: impl FnMut(usize, f64),
) -> Model {
    let n_rows = 1usize << options.bits;
    let n_weights = n_rows * Tag::COUNT;
    let mut averaged = Averaged {
        weights: vec![0.0; n_weights],
        totals: vec![0.0; n_weights],
        stamps: vec![0; n_weights],
        clock: 0,
    };
    let mut hasher = FeatureHasher::new(options.bits);
    let mut rng = options.seed | 1;

    let shouted: Vec<TrainingSentence> = if options.shouted_every == 0 {
        Vec::new()
    } else {
        sentences
            .iter()
            .step_by(options.shouted_every)
            .map(|s| TrainingSentence {
                words: s.words.iter().map(|w| w.to_uppercase()).collect(),
                tags: s.tags.clone(),
            })
            .collect()
    };
    let sentences: Vec<&TrainingSentence> = sentences.iter().chain(&shouted).collect();
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    // Gold tags the decoder can never produce (a mention opening on "southern", a comma inside a
    // mention) would be chased forever and skew the weights: make them consistent first.
    let gold_tags: Vec<Vec<Tag>> = sentences
        .iter()
        .map(|s| decodable(&s.words, &s.tags))
        .collect();

    for epoch in 0..options.epochs {
        shuffle(&mut order, &mut rng);
        let (mut n_correct, mut n_tokens) = (0usize, 0usize);
        for &sentence_idx in &order {
            let sentence = sentences[sentence_idx];
            let words: Vec<&str> = sentence.words.iter().map(String::as_str).collect();
            hasher.load(&words);
            let mut previous = Tag::Outside;
            let mut before_previous = Tag::Outside;
            for (idx, gold) in gold_tags[sentence_idx].iter().enumerate() {
                averaged.clock += 1;
                let dynamic = hasher.dynamic_rows(idx, previous, before_previous);
                let rows: Vec<u32> = hasher
                    .static_rows(&words, idx)
                    .iter()
                    .chain(dynamic.iter())
                    .copied()
                    .collect();
                let mut scores = [0f32; Tag::COUNT];
                for row in &rows {
                    let start = *row as usize * Tag::COUNT;
                    for (score, weight) in scores
                        .iter_mut()
                        .zip(&averaged.weights[start..start + Tag::COUNT])
                    {
                        *score += weight;
                    }
                }
                let word = sentence.words[idx].as_str();
                let guess = if can_be_in_mention(word) {
                    best_allowed_for(&scores, previous, can_open_mention(word))
                } else {
                    Tag::Outside
                };
                if guess != *gold {
                    for row in &rows {
                        let start = *row as usize * Tag::COUNT;
                        averaged.update(start + gold.index(), 1.0);
                        averaged.update(start + guess.index(), -1.0);
                    }
                } else {
                    n_correct += 1;
                }
                n_tokens += 1;
                before_previous = previous;
                previous = guess;
            }
        }
        progress(epoch + 1, n_correct as f64 / n_tokens.max(1) as f64);
    }
    Model::from_weights(options.bits, &averaged.averages())
}

/// `tags` made to obey the decoder's constraints: no mention on punctuation or handles, no mention
/// opening on a word that cannot open one; a cut mention resumes as a new one where it can.
fn decodable(words: &[String], tags: &[Tag]) -> Vec<Tag> {
    let mut out: Vec<Tag> = Vec::with_capacity(tags.len());
    for (word, tag) in words.iter().zip(tags) {
        let previous = out.last().copied().unwrap_or(Tag::Outside);
        let fixed = match *tag {
            _ if !can_be_in_mention(word) => Tag::Outside,
            Tag::Inside(t) if previous.entity_type() == Some(t) => Tag::Inside(t),
            Tag::Begin(t) | Tag::Inside(t) if can_open_mention(word) => Tag::Begin(t),
            Tag::Begin(_) | Tag::Inside(_) | Tag::Outside => Tag::Outside,
        };
        out.push(fixed);
    }
    out
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
    use crate::ner::EntityType;

    fn sentence(words: &[&str], tags: &[Tag]) -> TrainingSentence {
        TrainingSentence {
            words: words.iter().map(|w| w.to_string()).collect(),
            tags: tags.to_vec(),
        }
    }

    #[test]
    fn learns_a_tiny_pattern_and_is_deterministic() {
        let person = [
            Tag::Begin(EntityType::Person),
            Tag::Inside(EntityType::Person),
            Tag::Outside,
            Tag::Outside,
        ];
        let data: Vec<TrainingSentence> = ["Ana Ruiz", "Tom Best", "Kim Lee", "Sam Ortiz"]
            .iter()
            .map(|name| {
                let mut words: Vec<&str> = name.split(' ').collect();
                words.extend(["spoke", "."]);
                sentence(&words, &person)
            })
            .collect();
        let options = TrainOptions {
            bits: 12,
            epochs: 5,
            seed: 7,
            shouted_every: 0,
        };
        let model = train(&data, &options, |_, _| {});
        assert_eq!(model.tag(&["Ana", "Ruiz", "spoke", "."]), person);
        assert_eq!(
            model.to_bytes(),
            train(&data, &options, |_, _| {}).to_bytes()
        );
    }
}
