//! The learned loaded-language tagger: per token, one of three classes (not loaded, loaded
//! language, name-calling/label), from hashed features, decoded greedily left to right.
//!
//! Features are the word and its neighbours, word pairs, affixes, shape, the token's sentiment
//! valence (from the tone layer's lexicon), its loaded-lexicon category, and whether it is quoted;
//! the class of the previous token joins them while decoding. Weights are an averaged perceptron's
//! (`train.rs`), stored as i16 with one scale in `models/loaded.bin` at the repository root and
//! compiled in. Hashing folds strings byte by byte, so tagging allocates nothing per token beyond a
//! reused buffer. This module tags; it does not train and does not read files.

use std::sync::LazyLock;

use super::lexicon::LexiconMatch;
use super::LoadedCategory;
use crate::ner::{hash_shape, step};
use crate::offsets::Span;
use crate::tone::{inside, valence, word_key};

/// The classes a token can take.
pub const N_CLASSES: usize = 3;
/// Not loaded.
pub const CLASS_NONE: u8 = 0;
/// Loaded language (PTC's `Loaded_Language`).
pub const CLASS_LOADED: u8 = 1;
/// Name-calling or labelling (PTC's `Name_Calling,Labeling`).
pub const CLASS_LABEL: u8 = 2;

/// Static features per token.
pub(super) const N_STATIC: usize = 22;

const MAGIC: &[u8; 6] = b"NLLOD\x01";

/// A trained (or empty) tagger.
#[derive(Debug, Clone)]
pub struct LoadedModel {
    bits: u32,
    weights: Vec<i16>,
    scale: f32,
    /// Added to the score of "not loaded": negative values trade precision for recall.
    none_bias: f32,
}

/// Why model bytes could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a loaded-language model: {}", self.0)
    }
}

impl std::error::Error for ModelError {}

static SHIPPED: LazyLock<LoadedModel> = LazyLock::new(|| {
    LoadedModel::from_bytes(include_bytes!("../../../../models/loaded.bin"))
        .unwrap_or_else(|_| LoadedModel::empty())
});

/// The model compiled into the binary (empty, tagging nothing, if the file is not a model).
pub fn shipped_model() -> &'static LoadedModel {
    &SHIPPED
}

impl LoadedModel {
    /// A model that tags nothing.
    pub fn empty() -> LoadedModel {
        LoadedModel {
            bits: 1,
            weights: vec![0; 2 * N_CLASSES],
            scale: 1.0,
            none_bias: 0.0,
        }
    }

    /// Whether the model has any weights.
    pub fn is_trained(&self) -> bool {
        self.weights.iter().any(|w| *w != 0)
    }

    /// A model from float weights (`2^bits` rows × [`N_CLASSES`]), quantised to i16.
    pub fn from_weights(bits: u32, weights: &[f32], none_bias: f32) -> LoadedModel {
        let max = weights.iter().fold(0.0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        };
        LoadedModel {
            bits,
            weights: weights
                .iter()
                .map(|w| (w / scale).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16)
                .collect(),
            scale,
            none_bias,
        }
    }

    /// Hash bits of the feature table.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// The same model with another bias on "not loaded".
    pub fn with_none_bias(mut self, none_bias: f32) -> LoadedModel {
        self.none_bias = none_bias;
        self
    }

    /// Parses model bytes: magic, bits (u32), scale (f32), none bias (f32), then i16 weights, all
    /// little-endian.
    pub fn from_bytes(bytes: &[u8]) -> Result<LoadedModel, ModelError> {
        if bytes.len() < 18 || &bytes[..6] != MAGIC {
            return Err(ModelError("wrong magic".to_string()));
        }
        let word = |at: usize| [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        let bits = u32::from_le_bytes(word(6));
        let scale = f32::from_le_bytes(word(10));
        let none_bias = f32::from_le_bytes(word(14));
        if !(1..=26).contains(&bits) || !scale.is_finite() || !none_bias.is_finite() {
            return Err(ModelError(format!("bits {bits}, scale {scale}")));
        }
        let body = &bytes[18..];
        if body.len() != (1usize << bits) * N_CLASSES * 2 {
            return Err(ModelError(format!("{} weight bytes", body.len())));
        }
        Ok(LoadedModel {
            bits,
            weights: body
                .chunks_exact(2)
                .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                .collect(),
            scale,
            none_bias,
        })
    }

    /// The model as bytes, in the format [`LoadedModel::from_bytes`] reads.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(18 + self.weights.len() * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&self.none_bias.to_le_bytes());
        for weight in &self.weights {
            out.extend_from_slice(&weight.to_le_bytes());
        }
        out
    }

    /// Classes of one sentence's tokens, given their static feature rows.
    pub(super) fn classify(
        &self,
        static_rows: &[[u32; N_STATIC]],
        words: &[u64],
        out: &mut Vec<u8>,
    ) {
        out.clear();
        let mask = (1u32 << self.bits) - 1;
        let mut previous = CLASS_NONE;
        for (token_idx, rows) in static_rows.iter().enumerate() {
            let mut scores = [0f32; N_CLASSES];
            let dynamic = dynamic_rows(previous, words[token_idx]);
            for row in rows.iter().chain(dynamic.iter()) {
                let base = (row & mask) as usize * N_CLASSES;
                for (class, score) in scores.iter_mut().enumerate() {
                    *score += f32::from(self.weights[base + class]);
                }
            }
            let mut best = CLASS_NONE;
            let mut best_score = scores[0] * self.scale + self.none_bias;
            for (class, score) in scores.iter().enumerate().skip(1) {
                if score * self.scale > best_score {
                    best = class as u8;
                    best_score = score * self.scale;
                }
            }
            out.push(best);
            previous = best;
        }
    }
}

#[inline]
fn mix(kind: u64, a: u64, b: u64) -> u32 {
    let x = (kind.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ a ^ b.rotate_left(23))
        .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x ^ (x >> 31)) as u32
}

fn hash_str(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, b| step(hash, u64::from(b)))
}

/// The features that depend on the previous decision.
pub(super) fn dynamic_rows(previous: u8, word: u64) -> [u32; 2] {
    [
        mix(100, u64::from(previous), 0),
        mix(101, u64::from(previous), word),
    ]
}

/// The static feature rows of one sentence's tokens, and each token's word hash (for the dynamic
/// features).
pub(super) fn sentence_features(
    text: &str,
    tokens: &[Span],
    matches: &[LexiconMatch],
    quoted: &[Span],
    quote_cursor: &mut usize,
    rows: &mut Vec<[u32; N_STATIC]>,
    words: &mut Vec<u64>,
) {
    const NONE: u64 = 0x77;
    let mut buffer = String::new();
    words.clear();
    let mut lexicon: Vec<u64> = vec![NONE; tokens.len()];
    let mut valences: Vec<u64> = Vec::with_capacity(tokens.len());
    let mut suffixes: Vec<u64> = Vec::with_capacity(tokens.len());
    for found in matches {
        for (offset, slot) in lexicon[found.first..found.end].iter_mut().enumerate() {
            let category = match found.category {
                LoadedCategory::LoadedVerb => 1,
                LoadedCategory::Label => 2,
                LoadedCategory::Emotive => 3,
                LoadedCategory::Intensifier => 4,
                LoadedCategory::ScareQuote => 5,
            };
            *slot = category * 2 + u64::from(offset > 0);
        }
    }
    for token in tokens {
        let word = &text[token.start..token.end];
        let key = word_key(word, &mut buffer);
        words.push(hash_str(key));
        suffixes.push(
            key.chars()
                .rev()
                .take(3)
                .fold(0x33, |h, c| step(h, c as u64)),
        );
        valences.push((valence(key) * 2.0).round() as i64 as u64);
    }
    let at = |values: &[u64], idx: isize| -> u64 {
        if idx < 0 || idx as usize >= values.len() {
            NONE
        } else {
            values[idx as usize]
        }
    };
    rows.clear();
    for (token_idx, token) in tokens.iter().enumerate() {
        let i = token_idx as isize;
        let word = &text[token.start..token.end];
        let quoted_flag = u64::from(inside(quoted, quote_cursor, token.start));
        let capital = u64::from(word.chars().next().is_some_and(char::is_uppercase));
        rows.push([
            mix(1, 0, 0),
            mix(2, words[token_idx], 0),
            mix(3, at(words, i - 1), 0),
            mix(4, at(words, i + 1), 0),
            mix(5, at(words, i - 2), 0),
            mix(6, at(words, i + 2), 0),
            mix(7, at(words, i - 1), words[token_idx]),
            mix(8, words[token_idx], at(words, i + 1)),
            mix(9, suffixes[token_idx], 0),
            mix(10, hash_shape(word), 0),
            mix(11, lexicon[token_idx], 0),
            mix(12, at(&lexicon, i - 1), 0),
            mix(13, at(&lexicon, i + 1), 0),
            mix(14, valences[token_idx], 0),
            mix(15, at(&valences, i - 1), 0),
            mix(16, at(&valences, i + 1), 0),
            mix(17, lexicon[token_idx], valences[token_idx]),
            mix(18, quoted_flag, 0),
            mix(19, quoted_flag, words[token_idx]),
            mix(20, capital, words[token_idx]),
            mix(21, at(&lexicon, i - 1), at(&lexicon, i + 1)),
            mix(22, at(&valences, i - 1), at(&valences, i + 1)),
        ]);
    }
}
