//! Learning word clusters from unlabelled text: the exchange algorithm over a class bigram model
//! (Kneser & Ney 1993; Martin, Liermann & Ney 1998), the method behind `mkcls`.
//!
//! Words that occur in the same contexts ("Corbyn" and "Sanders", "Tuesday" and "Friday") end up
//! in the same class, which lets the tagger generalise from a name it was trained on to one it only
//! ever saw in unlabelled news. Words are folded as the tagger folds them (lower case, digits to 0).
//! Classes are nested: the finest level clusters words, each coarser level clusters the classes
//! of the level below with the same algorithm, so a word's coarse class contains its fine one.
//!
//! Deterministic: the initial assignment is by frequency rank and words are visited in that order.
//! This module works on token sequences in memory; reading corpora is the caller's job, and the
//! shipped clusters are loaded by `clusters.rs`.

use std::collections::HashMap;

/// Settings of [`learn_clusters`].
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Classes per level, finest first (each at most the one before).
    pub levels: Vec<usize>,
    /// Words seen fewer times than this are not clustered.
    pub min_count: usize,
    /// Passes over the vocabulary per level.
    pub iterations: usize,
}

impl Default for ClusterOptions {
    fn default() -> ClusterOptions {
        ClusterOptions {
            levels: vec![512, 128, 32],
            min_count: 3,
            iterations: 8,
        }
    }
}

/// A clustered word: its folded form, how often it was seen, and its class at each level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusteredWord {
    /// The word as the tagger folds it.
    pub word: String,
    /// Occurrences in the text.
    pub count: usize,
    /// Class per level, finest first.
    pub classes: Vec<u16>,
}

/// The form a word is clustered and looked up under: lower case, every digit 0, typographic quotes
/// and dashes plain (the folding of the tagger's word features).
pub fn fold_word(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    for c in word.chars() {
        let c = match super::word_hash::fold_punct(c) {
            c if c.is_ascii_digit() => '0',
            c => c,
        };
        folded.extend(c.to_lowercase());
    }
    folded
}

/// Clusters the words of `sentences` (each a sequence of tokens as written); `progress` is called
/// after each pass with (level, pass, number of words that moved).
pub fn learn_clusters<S: AsRef<str>>(
    sentences: &[Vec<S>],
    options: &ClusterOptions,
    mut progress: impl FnMut(usize, usize, usize),
) -> Vec<ClusteredWord> {
    // Vocabulary by frequency (ties by the word, for determinism).
    let mut counts: HashMap<String, usize> = HashMap::new();
    let folded: Vec<Vec<String>> = sentences
        .iter()
        .map(|s| s.iter().map(|w| fold_word(w.as_ref())).collect())
        .collect();
    for word in folded.iter().flatten() {
        *counts.entry(word.clone()).or_default() += 1;
    }
    let mut vocabulary: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n >= options.min_count)
        .collect();
    vocabulary.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let index: HashMap<&str, u32> = vocabulary
        .iter()
        .enumerate()
        .map(|(idx, (word, _))| (word.as_str(), idx as u32))
        .collect();

    // Bigrams between clustered words; a rare word breaks the chain like a sentence boundary.
    let mut bigrams: HashMap<(u32, u32), u32> = HashMap::new();
    for sentence in &folded {
        for pair in sentence.windows(2) {
            if let (Some(&left), Some(&right)) =
                (index.get(pair[0].as_str()), index.get(pair[1].as_str()))
            {
                *bigrams.entry((left, right)).or_default() += 1;
            }
        }
    }
    let mut units = Units::new(vocabulary.iter().map(|(_, n)| *n as u64).collect(), bigrams);

    let mut classes_per_level: Vec<Vec<u16>> = Vec::new();
    // Which unit of the current level each word belongs to.
    let mut unit_of_word: Vec<usize> = (0..vocabulary.len()).collect();
    for (level, &n_classes) in options.levels.iter().enumerate() {
        let class_of_unit = exchange(&units, n_classes, options.iterations, |pass, moved| {
            progress(level, pass, moved)
        });
        for unit in unit_of_word.iter_mut() {
            *unit = class_of_unit[*unit];
        }
        classes_per_level.push(unit_of_word.iter().map(|c| *c as u16).collect());
        units = units.merged(&class_of_unit, n_classes);
    }
    vocabulary
        .into_iter()
        .enumerate()
        .map(|(idx, (word, count))| ClusteredWord {
            word,
            count,
            classes: classes_per_level.iter().map(|level| level[idx]).collect(),
        })
        .collect()
}

/// Units to cluster (words, or classes of the level below) with their counts and bigrams.
struct Units {
    counts: Vec<u64>,
    /// Per unit: (right neighbour, count), the unit itself excluded.
    right: Vec<Vec<(u32, u64)>>,
    /// Per unit: (left neighbour, count), the unit itself excluded.
    left: Vec<Vec<(u32, u64)>>,
    /// Per unit: how often it follows itself.
    itself: Vec<u64>,
}

impl Units {
    fn new(counts: Vec<u64>, bigrams: HashMap<(u32, u32), u32>) -> Units {
        Units::from_pairs(
            counts,
            bigrams.into_iter().map(|(k, n)| (k, n as u64)).collect(),
        )
    }

    /// Units from their counts and bigram counts, neighbours listed in pair order.
    fn from_pairs(counts: Vec<u64>, mut pairs: Vec<((u32, u32), u64)>) -> Units {
        let n_units = counts.len();
        pairs.sort_unstable();
        let mut units = Units {
            counts,
            right: vec![Vec::new(); n_units],
            left: vec![Vec::new(); n_units],
            itself: vec![0; n_units],
        };
        for ((a, b), n) in pairs {
            if a == b {
                units.itself[a as usize] += n;
            } else {
                units.right[a as usize].push((b, n));
                units.left[b as usize].push((a, n));
            }
        }
        units
    }

    /// The classes as the units of the next level.
    fn merged(&self, class_of_unit: &[usize], n_classes: usize) -> Units {
        let mut counts = vec![0u64; n_classes];
        let mut bigrams: HashMap<(u32, u32), u64> = HashMap::new();
        for (unit, &class) in class_of_unit.iter().enumerate() {
            counts[class] += self.counts[unit];
            *bigrams.entry((class as u32, class as u32)).or_default() += self.itself[unit];
            for &(right, n) in &self.right[unit] {
                *bigrams
                    .entry((class as u32, class_of_unit[right as usize] as u32))
                    .or_default() += n;
            }
        }
        Units::from_pairs(counts, bigrams.into_iter().collect())
    }
}

/// `x ln x`, with `0 ln 0 = 0`.
#[inline]
fn xlogx(x: u64) -> f64 {
    if x == 0 {
        0.0
    } else {
        let x = x as f64;
        x * x.ln()
    }
}

/// Assigns each unit one of `n_classes` classes, maximising the class bigram likelihood
/// `Σ N(c,d) ln N(c,d) − 2 Σ N(c) ln N(c)` by moving one unit at a time to its best class.
fn exchange(
    units: &Units,
    n_classes: usize,
    iterations: usize,
    mut progress: impl FnMut(usize, usize),
) -> Vec<usize> {
    let n_units = units.counts.len();
    let n_classes = n_classes.clamp(1, n_units.max(1));
    // Frequency rank modulo the number of classes: the most frequent words start apart.
    let mut class_of: Vec<usize> = (0..n_units).map(|unit| unit % n_classes).collect();
    let mut class_count = vec![0u64; n_classes];
    // Class bigram counts, row = left class.
    let mut pair_count = vec![0u64; n_classes * n_classes];
    for unit in 0..n_units {
        let class = class_of[unit];
        class_count[class] += units.counts[unit];
        pair_count[class * n_classes + class] += units.itself[unit];
        for &(right, n) in &units.right[unit] {
            pair_count[class * n_classes + class_of[right as usize]] += n;
        }
    }
    // Scratch: the unit's bigram counts by neighbouring class.
    let mut right_by_class = vec![0u64; n_classes];
    let mut left_by_class = vec![0u64; n_classes];
    let mut right_touched: Vec<usize> = Vec::new();
    let mut left_touched: Vec<usize> = Vec::new();
    for pass in 0..iterations {
        let mut n_moved = 0;
        for unit in 0..n_units {
            let old = class_of[unit];
            let n_unit = units.counts[unit];
            let itself = units.itself[unit];
            for &(right, n) in &units.right[unit] {
                let class = class_of[right as usize];
                if right_by_class[class] == 0 {
                    right_touched.push(class);
                }
                right_by_class[class] += n;
            }
            for &(left, n) in &units.left[unit] {
                let class = class_of[left as usize];
                if left_by_class[class] == 0 {
                    left_touched.push(class);
                }
                left_by_class[class] += n;
            }
            // Take the unit out of its class.
            for &class in &right_touched {
                pair_count[old * n_classes + class] -= right_by_class[class];
            }
            for &class in &left_touched {
                pair_count[class * n_classes + old] -= left_by_class[class];
            }
            pair_count[old * n_classes + old] -= itself;
            class_count[old] -= n_unit;

            // The gain of putting it into each class; the old class wins ties.
            let gain_of = |class: usize, pair_count: &[u64], class_count: &[u64]| -> f64 {
                let mut gain = 0.0;
                for &other in &right_touched {
                    if other != class {
                        let before = pair_count[class * n_classes + other];
                        gain += xlogx(before + right_by_class[other]) - xlogx(before);
                    }
                }
                for &other in &left_touched {
                    if other != class {
                        let before = pair_count[other * n_classes + class];
                        gain += xlogx(before + left_by_class[other]) - xlogx(before);
                    }
                }
                let before = pair_count[class * n_classes + class];
                gain += xlogx(before + right_by_class[class] + left_by_class[class] + itself)
                    - xlogx(before);
                gain - 2.0 * (xlogx(class_count[class] + n_unit) - xlogx(class_count[class]))
            };
            let mut best = old;
            let mut best_gain = gain_of(old, &pair_count, &class_count);
            for class in 0..n_classes {
                if class == old {
                    continue;
                }
                let gain = gain_of(class, &pair_count, &class_count);
                if gain > best_gain + 1e-9 {
                    best = class;
                    best_gain = gain;
                }
            }
            // Put it into the best class.
            for &class in &right_touched {
                pair_count[best * n_classes + class] += right_by_class[class];
            }
            for &class in &left_touched {
                pair_count[class * n_classes + best] += left_by_class[class];
            }
            pair_count[best * n_classes + best] += itself;
            class_count[best] += n_unit;
            if best != old {
                class_of[unit] = best;
                n_moved += 1;
            }
            for &class in &right_touched {
                right_by_class[class] = 0;
            }
            for &class in &left_touched {
                left_by_class[class] = 0;
            }
            right_touched.clear();
            left_touched.clear();
        }
        progress(pass + 1, n_moved);
        if n_moved == 0 {
            break;
        }
    }
    class_of
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_class() {
        let mut sentences: Vec<Vec<&str>> = Vec::new();
        for name in ["Ana", "Tom", "Kim", "Sam"] {
            for place in ["Lima", "Oslo", "Perth"] {
                sentences.push(vec!["yesterday", name, "flew", "to", place, "."]);
                sentences.push(vec![name, "said", "that", place, "was", "cold", "."]);
            }
        }
        let options = ClusterOptions {
            levels: vec![6, 2],
            min_count: 1,
            iterations: 10,
        };
        let words = learn_clusters(&sentences, &options, |_, _, _| {});
        let class = |w: &str| {
            words
                .iter()
                .find(|c| c.word == w)
                .map(|c| c.classes.clone())
                .unwrap()
        };
        assert_eq!(class("ana")[0], class("kim")[0]);
        assert_eq!(class("lima")[0], class("perth")[0]);
        assert_ne!(class("ana")[0], class("lima")[0]);
        assert_eq!(words, learn_clusters(&sentences, &options, |_, _, _| {}));
    }

    #[test]
    fn folding_matches_the_tagger() {
        assert_eq!(fold_word("IRAN’s"), "iran's");
        assert_eq!(fold_word("1996"), "0000");
    }
}
