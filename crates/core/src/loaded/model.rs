//! The learned loaded-language tagger: per token, one of three classes (not loaded, loaded
//! language, name-calling/label), from hashed features (`features.rs`), decoded greedily left to
//! right, the class of the previous token joining the features while decoding.
//!
//! Weights are an averaged perceptron's (`train.rs`), stored as i16 with one scale in
//! `models/loaded.bin` at the repository root and compiled in. This module holds the weights,
//! their file format and the decoding; it does not compute features, train or read files.

use std::sync::LazyLock;

use super::features::{dynamic_rows, TokenContext, N_STATIC};

/// The classes a token can take.
pub const N_CLASSES: usize = 3;
/// Not loaded.
pub const CLASS_NONE: u8 = 0;
/// Loaded language (PTC's `Loaded_Language`).
pub const CLASS_LOADED: u8 = 1;
/// Name-calling or labelling (PTC's `Name_Calling,Labeling`).
pub const CLASS_LABEL: u8 = 2;

const MAGIC: &[u8; 6] = b"NLLOD\x03";

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

    /// The bias on "not loaded" (negative: more recall).
    pub fn none_bias(&self) -> f32 {
        self.none_bias
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
        contexts: &[TokenContext],
        out: &mut Vec<u8>,
    ) {
        out.clear();
        let mask = (1u32 << self.bits) - 1;
        let row_weights = |row: u32| -> [i32; N_CLASSES] {
            let base = (row & mask) as usize * N_CLASSES;
            let weights = &self.weights[base..base + N_CLASSES];
            std::array::from_fn(|class| i32::from(weights[class]))
        };
        // The static rows' sums first, for every token: they do not wait for the previous
        // decision, so the processor overlaps the table reads of many tokens (the table is larger
        // than the core's cache, and these reads were most of the tagger's time). Sums are of
        // whole i16 weights, at most 56 × 2^15 < 2^24, so they are exact in i32 and in f32 alike
        // and the order of adding does not change a decision.
        let static_sums: Vec<[i32; N_CLASSES]> = static_rows
            .iter()
            .map(|rows| {
                rows.iter().fold([0; N_CLASSES], |mut sums, row| {
                    let weights = row_weights(*row);
                    for (sum, weight) in sums.iter_mut().zip(weights) {
                        *sum += weight;
                    }
                    sums
                })
            })
            .collect();
        let mut previous = CLASS_NONE;
        for (token_idx, mut sums) in static_sums.into_iter().enumerate() {
            for row in dynamic_rows(previous, contexts[token_idx]) {
                for (sum, weight) in sums.iter_mut().zip(row_weights(row)) {
                    *sum += weight;
                }
            }
            let scores = sums.map(|sum| sum as f32);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_survives_its_bytes() {
        let weights: Vec<f32> = (0..(1 << 4) * N_CLASSES).map(|w| w as f32 - 20.0).collect();
        let model = LoadedModel::from_weights(4, &weights, -7.5);
        let read = LoadedModel::from_bytes(&model.to_bytes()).expect("a model");
        assert_eq!(read.to_bytes(), model.to_bytes());
        assert!(LoadedModel::from_bytes(b"NLLOD\x01 old model").is_err());
    }
}
