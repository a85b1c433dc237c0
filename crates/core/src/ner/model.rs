//! The tagger's weights: a table of `2^bits` hashed feature rows × one weight per tag, stored as
//! 16-bit integers, and greedy BIO decoding with them.
//!
//! File format (little-endian): `NLNER\x01`, `bits: u32`, `n_tags: u32`, `scale: f32`, then
//! `2^bits × n_tags` `i16` weights. The shipped model is compiled into the binary; this module
//! parses bytes and never opens files.

use super::features::FeatureHasher;
use super::Tag;

const MAGIC: &[u8; 6] = b"NLNER\x01";

/// Why model bytes could not be loaded.
#[derive(Debug, PartialEq, Eq)]
pub enum ModelError {
    /// The bytes do not start with the model's magic number.
    NotAModel,
    /// The header promises more weights than the bytes hold, or a shape newslens does not use.
    Malformed(String),
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::NotAModel => f.write_str("not a newslens NER model"),
            ModelError::Malformed(why) => write!(f, "malformed NER model: {why}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// Tagger weights.
pub struct Model {
    bits: u32,
    /// `2^bits` rows of `Tag::COUNT` weights.
    weights: Vec<i16>,
    scale: f32,
}

impl Model {
    /// A model that tags nothing (every token outside), for builds without a trained model.
    pub fn empty() -> Model {
        Model {
            bits: 1,
            weights: vec![0; 2 * Tag::COUNT],
            scale: 1.0,
        }
    }

    /// Whether the model has weights (false for [`Model::empty`]).
    pub fn is_trained(&self) -> bool {
        self.weights.iter().any(|w| *w != 0)
    }

    /// Builds a model from float weights (`2^bits × Tag::COUNT`), quantising them.
    pub fn from_weights(bits: u32, weights: &[f32]) -> Model {
        let max = weights.iter().fold(0f32, |max, w| max.max(w.abs()));
        let scale = if max > 0.0 {
            max / i16::MAX as f32
        } else {
            1.0
        };
        let weights = weights
            .iter()
            .map(|w| (w / scale).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16)
            .collect();
        Model {
            bits,
            weights,
            scale,
        }
    }

    /// Parses model bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        if bytes.len() < 18 || &bytes[..6] != MAGIC {
            return Err(ModelError::NotAModel);
        }
        let read_u32 = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let bits = read_u32(6);
        let n_tags = read_u32(10) as usize;
        let scale = f32::from_le_bytes([bytes[14], bytes[15], bytes[16], bytes[17]]);
        if !(1..=26).contains(&bits) || n_tags != Tag::COUNT || !scale.is_finite() {
            return Err(ModelError::Malformed(format!("bits {bits}, tags {n_tags}")));
        }
        let n_weights = (1usize << bits) * n_tags;
        let body = &bytes[18..];
        if body.len() != n_weights * 2 {
            return Err(ModelError::Malformed(format!(
                "expected {} weight bytes, found {}",
                n_weights * 2,
                body.len()
            )));
        }
        let weights = body
            .chunks_exact(2)
            .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        Ok(Model {
            bits,
            weights,
            scale,
        })
    }

    /// The model as bytes, in the file format above.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(18 + self.weights.len() * 2);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(Tag::COUNT as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for weight in &self.weights {
            out.extend_from_slice(&weight.to_le_bytes());
        }
        out
    }

    /// Hash bits of the feature table.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Tags a sentence's words.
    ///
    /// ```
    /// let model = newslens_core::ner::shipped_model();
    /// let tags = model.tag(&["Jeremy", "Corbyn", "visited", "Iran", "."]);
    /// assert_eq!(tags.len(), 5);
    /// ```
    pub fn tag(&self, words: &[&str]) -> Vec<Tag> {
        let mut hasher = FeatureHasher::new(self.bits);
        let mut tags = Vec::with_capacity(words.len());
        self.tag_with(&mut hasher, words, &mut tags);
        tags
    }

    /// Tags a sentence reusing a hasher and an output buffer (no allocation in steady state).
    pub fn tag_with(&self, hasher: &mut FeatureHasher, words: &[&str], tags: &mut Vec<Tag>) {
        tags.clear();
        if !self.is_trained() || words.is_empty() {
            tags.resize(words.len(), Tag::Outside);
            return;
        }
        hasher.load(words);
        let mut previous = Tag::Outside;
        let mut before_previous = Tag::Outside;
        for (idx, word) in words.iter().enumerate() {
            // After an Outside, a word that cannot open a mention can only be Outside (an Inside
            // must continue its own type, a Begin needs a capital): no need to score it. Most
            // words of running text are such words.
            if !can_be_in_mention(word) || (previous == Tag::Outside && !can_open_mention(word)) {
                tags.push(Tag::Outside);
                before_previous = previous;
                previous = Tag::Outside;
                continue;
            }
            let mut scores = [0i32; Tag::COUNT];
            let dynamic = hasher.dynamic_rows(idx, previous, before_previous);
            for row in hasher.static_rows(words, idx).iter().chain(dynamic.iter()) {
                let start = *row as usize * Tag::COUNT;
                for (score, weight) in scores
                    .iter_mut()
                    .zip(&self.weights[start..start + Tag::COUNT])
                {
                    *score += *weight as i32;
                }
            }
            let tag = best_allowed_for(&scores, previous, can_open_mention(word));
            tags.push(tag);
            before_previous = previous;
            previous = tag;
        }
    }
}

/// Punctuation, numbers, handles, hashtags and links are never part of a mention: GMB puts no
/// word without a letter in a name (its numbered names are products and dates, which newslens does
/// not tag), and scores, dates and list numbers next to names ("Kersey 63") are not names.
pub(crate) fn can_be_in_mention(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
        && !word.starts_with(['@', '#'])
        && !word.starts_with("http")
}

/// A mention starts with a capital or a digit ("Iran", "9/11"), or a particle joined to a capital
/// by a hyphen ("al-Qaida").
pub fn can_begin_mention(word: &str) -> bool {
    let first = word.chars().next().unwrap_or(' ');
    first.is_uppercase()
        || first.is_ascii_digit()
        || word
            .split_once('-')
            .is_some_and(|(_, rest)| rest.starts_with(char::is_uppercase))
}

/// Whether the tagger may open a mention on `word`: it may be in one ([`can_be_in_mention`]: a
/// date such as "1996-08-31" may not) and may begin one ([`can_begin_mention`]).
pub(crate) fn can_open_mention(word: &str) -> bool {
    can_be_in_mention(word) && can_begin_mention(word)
}

/// The best-scoring tag that may follow `previous` (an `Inside` must continue its own type), with
/// `Begin` tags allowed or not.
pub(crate) fn best_allowed_for<S: PartialOrd + Copy>(
    scores: &[S; Tag::COUNT],
    previous: Tag,
    may_begin: bool,
) -> Tag {
    let mut best: Option<(usize, S)> = None;
    for (index, score) in scores.iter().enumerate() {
        let tag = Tag::from_index(index);
        if let Tag::Inside(t) = tag {
            if previous.entity_type() != Some(t) {
                continue;
            }
        }
        if matches!(tag, Tag::Begin(_)) && !may_begin {
            continue;
        }
        if best.is_none_or(|(_, best_score)| *score > best_score) {
            best = Some((index, *score));
        }
    }
    best.map_or(Tag::Outside, |(index, _)| Tag::from_index(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip() {
        let weights: Vec<f32> = (0..(1 << 4) * Tag::COUNT)
            .map(|i| (i as f32 - 100.0) / 7.0)
            .collect();
        let model = Model::from_weights(4, &weights);
        let again = Model::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(again.weights, model.weights);
        assert_eq!(again.bits, 4);
    }

    #[test]
    fn garbage_is_not_a_model() {
        assert_eq!(
            Model::from_bytes(b"hello").err(),
            Some(ModelError::NotAModel)
        );
        let mut bytes = Model::empty().to_bytes();
        bytes.pop();
        assert!(matches!(
            Model::from_bytes(&bytes),
            Err(ModelError::Malformed(_))
        ));
    }

    #[test]
    fn empty_model_tags_everything_outside() {
        assert_eq!(
            Model::empty().tag(&["Jeremy", "Corbyn"]),
            [Tag::Outside, Tag::Outside]
        );
    }
}
