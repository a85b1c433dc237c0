//! Features for the tagger, hashed into a fixed number of weight rows.
//!
//! Each token's own features (word, lower case, shape, affixes, neighbours) are hashed once per
//! sentence; the features that depend on earlier decisions (previous tags) are hashed while
//! decoding. Hashing is allocation-free: strings are folded byte by byte. It does not hold weights.

use super::clusters::{shipped_clusters, shipped_vector_clusters, shipped_vector_codes, LEVELS};
use super::word_hash::{hash_exact, hash_folded, hash_prefix, hash_shape, hash_suffix, mix};
use super::Tag;

/// Per-token hashes computed once per sentence: the ones a token's neighbours read too. The
/// hashes only the token's own features read (exact form, affixes) wait for
/// [`FeatureHasher::static_rows`], since most tokens are never scored.
#[derive(Clone, Copy, Default)]
struct TokenHashes {
    lower: u64,
    shape: u64,
    is_capitalised: bool,
    /// Word classes from the shipped clusters (0: not clustered), finest first.
    clusters: [u16; LEVELS],
    /// Classes of the word's pretrained vector (0: no vector), finest first.
    vectors: [u16; LEVELS],
    /// The vector's quarters on its first 16 principal axes, two bits an axis (0: no vector,
    /// told apart from all-first-quarter by `vectors`).
    axes: u32,
}

/// Hashes features of a sentence's tokens into weight rows.
pub struct FeatureHasher {
    tokens: Vec<TokenHashes>,
    /// Gazetteer classes per token.
    gazetteer: Vec<u8>,
    /// Whether the sentence is written in capitals throughout (a headline).
    shouting: bool,
    bits: u32,
}

/// Static features per token.
pub const STATIC_FEATURES: usize = 49;
/// Tag-dependent features per token.
pub const DYNAMIC_FEATURES: usize = 6;

const BOUNDARY_BEFORE: u64 = 0x1111;
const BOUNDARY_AFTER: u64 = 0x2222;

impl FeatureHasher {
    /// A hasher into `2^bits` rows.
    pub fn new(bits: u32) -> FeatureHasher {
        FeatureHasher {
            tokens: Vec::new(),
            gazetteer: Vec::new(),
            shouting: false,
            bits,
        }
    }

    fn row(&self, template: u64, value: u64) -> u32 {
        (mix(template.wrapping_mul(0xff51_afd7_ed55_8ccd), value) >> (64 - self.bits)) as u32
    }

    /// Prepares the features of a sentence's tokens (`words`, which [`FeatureHasher::static_rows`]
    /// is then given again).
    pub fn load(&mut self, words: &[&str]) {
        self.tokens.clear();
        let clusters = shipped_clusters();
        let vector_clusters = shipped_vector_clusters();
        let vector_codes = shipped_vector_codes();
        self.tokens.extend(words.iter().map(|word| {
            let lower = hash_folded(word);
            TokenHashes {
                lower,
                shape: hash_shape(word),
                is_capitalised: word.chars().next().is_some_and(char::is_uppercase),
                clusters: clusters.of_hash(lower),
                vectors: vector_clusters.of_hash(lower),
                axes: vector_codes.of_hash(lower).map_or(0, |code| code.axes),
            }
        }));
        let n_letters: usize = words
            .iter()
            .map(|w| w.chars().filter(|c| c.is_alphabetic()).count())
            .sum();
        let n_upper: usize = words
            .iter()
            .map(|w| w.chars().filter(|c| c.is_uppercase()).count())
            .sum();
        self.shouting = n_letters >= 8 && n_upper * 10 >= n_letters * 9;

        self.gazetteer.clear();
        self.gazetteer.resize(words.len(), 0);
        // Headlines and tables print names in capitals; the gazetteers write them in title case.
        if self.shouting {
            crate::gazetteer::classify_shouted_into(words, &mut self.gazetteer);
        } else {
            crate::gazetteer::classify_into(words, &mut self.gazetteer);
        }
    }

    /// The rows of token `idx`'s features that do not depend on tags; `words` are the ones
    /// [`FeatureHasher::load`] was given.
    pub fn static_rows(&self, words: &[&str], idx: usize) -> [u32; STATIC_FEATURES] {
        let token = self.tokens[idx];
        let word = words[idx];
        let exact = hash_exact(word);
        let prefixes = [
            hash_prefix(word, 1),
            hash_prefix(word, 2),
            hash_prefix(word, 3),
        ];
        let suffixes = [
            hash_suffix(word, 1),
            hash_suffix(word, 2),
            hash_suffix(word, 3),
            hash_suffix(word, 4),
        ];
        let lower_at = |offset: isize| -> u64 {
            let at = idx as isize + offset;
            if at < 0 {
                BOUNDARY_BEFORE.wrapping_add((-at) as u64)
            } else {
                self.tokens
                    .get(at as usize)
                    .map_or(BOUNDARY_AFTER.wrapping_add(offset as u64), |t| t.lower)
            }
        };
        // A value of the token `offset` places away, or a boundary marker past either end.
        let neighbour = |offset: isize, value: &dyn Fn(&TokenHashes) -> u64| -> u64 {
            let at = idx as isize + offset;
            if at < 0 {
                BOUNDARY_BEFORE
            } else {
                self.tokens.get(at as usize).map_or(BOUNDARY_AFTER, value)
            }
        };
        let shape_at = |offset: isize| neighbour(offset, &|t| t.shape);
        let shout = self.shouting as u64;
        let cluster_at =
            |offset: isize, level: usize| neighbour(offset, &|t| t.clusters[level] as u64);
        let vector_at =
            |offset: isize, level: usize| neighbour(offset, &|t| t.vectors[level] as u64);
        let has_vector = (token.vectors[0] != 0) as u64;
        let gazetteer_at = |offset: isize| -> u64 {
            let at = idx as isize + offset;
            if at < 0 {
                0x100
            } else {
                self.gazetteer
                    .get(at as usize)
                    .map_or(0x200, |flags| *flags as u64)
            }
        };
        let features: [(u64, u64); STATIC_FEATURES] = [
            (1, 0),
            (2, token.lower),
            (3, exact),
            (4, token.shape),
            (5, prefixes[0]),
            (6, prefixes[1]),
            (7, prefixes[2]),
            (8, suffixes[0]),
            (9, suffixes[1]),
            (10, suffixes[2]),
            (11, suffixes[3]),
            (12, lower_at(-1)),
            (13, lower_at(1)),
            (14, lower_at(-2)),
            (15, lower_at(2)),
            (16, shape_at(-1)),
            (17, shape_at(1)),
            (18, mix(lower_at(-1), token.lower)),
            (19, mix(token.lower, lower_at(1))),
            (20, mix(shape_at(-1), mix(token.shape, shape_at(1)))),
            (21, mix((idx == 0) as u64, token.shape)),
            (22, mix(shout, token.lower)),
            (
                23,
                mix(token.is_capitalised as u64, mix(shout, lower_at(-1))),
            ),
            (24, mix(suffixes[2], shape_at(1))),
            (25, gazetteer_at(0)),
            (26, mix(gazetteer_at(0), token.shape)),
            (27, mix(gazetteer_at(-1), gazetteer_at(0))),
            (28, mix(gazetteer_at(0), gazetteer_at(1))),
            (29, cluster_at(0, 0)),
            (30, cluster_at(0, 1)),
            (31, cluster_at(0, 2)),
            (32, cluster_at(-1, 1)),
            (33, cluster_at(1, 1)),
            (34, cluster_at(-1, 0)),
            (35, cluster_at(1, 0)),
            (36, mix(cluster_at(0, 0), token.shape)),
            (37, mix(cluster_at(-1, 1), cluster_at(0, 1))),
            (38, mix(cluster_at(0, 1), cluster_at(1, 1))),
            (39, vector_at(0, 0)),
            (40, vector_at(0, 1)),
            (41, vector_at(0, 2)),
            (42, vector_at(-1, 1)),
            (43, vector_at(1, 1)),
            (44, mix(vector_at(0, 0), token.shape)),
            (45, mix(vector_at(-1, 2), vector_at(0, 1))),
            // Where the vector lies on the principal axes, four axes a feature: a word the
            // classes put with few others still has a neighbourhood here.
            (46, mix(has_vector, (token.axes & 0xff) as u64)),
            (47, mix(has_vector, ((token.axes >> 8) & 0xff) as u64)),
            (48, mix(has_vector, ((token.axes >> 16) & 0xff) as u64)),
            (49, mix(has_vector, (token.axes >> 24) as u64)),
        ];
        features.map(|(template, value)| self.row(template, value))
    }

    /// The tag-dependent rows of token `idx`, given the two previous tags.
    pub fn dynamic_rows(
        &self,
        idx: usize,
        previous: Tag,
        before_previous: Tag,
    ) -> [u32; DYNAMIC_FEATURES] {
        let token = self.tokens[idx];
        let prev = previous.index() as u64 + 1;
        let prev2 = before_previous.index() as u64 + 1;
        [
            self.row(101, prev),
            self.row(102, mix(prev, prev2)),
            self.row(103, mix(prev, token.lower)),
            self.row(104, mix(prev, token.shape)),
            self.row(105, mix(prev, token.clusters[1] as u64)),
            self.row(106, mix(prev, token.vectors[1] as u64)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_digits_and_apostrophe_style() {
        assert_eq!(hash_folded("Iran’s"), hash_folded("IRAN's"));
        assert_eq!(hash_exact("“"), hash_exact("\""));
        assert_eq!(hash_folded("2020"), hash_folded("1999"));
        assert_ne!(hash_folded("Iran"), hash_folded("Iraq"));
    }

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(hash_shape("Corbyn"), hash_shape("Kemp"));
        assert_ne!(hash_shape("Corbyn"), hash_shape("IRGC"));
    }

    #[test]
    fn every_token_gets_its_static_rows_within_range() {
        let mut hasher = FeatureHasher::new(16);
        let words = ["Jeremy", "Corbyn", "said", "."];
        hasher.load(&words);
        for idx in 0..4 {
            assert!(hasher
                .static_rows(&words, idx)
                .iter()
                .all(|row| *row < 1 << 16));
        }
    }
}
