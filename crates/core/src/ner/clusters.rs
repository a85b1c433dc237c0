//! The shipped word clusters: each word of the unlabelled development text with its class at a
//! few levels of granularity, compiled in from `data/word_clusters.txt` (learnt by
//! `newslens train clusters`, see `exchange.rs`), and the classes of pretrained word vectors in
//! the same format, from `data/vector_clusters.txt`.
//!
//! The tagger looks words up by the hash of their folded form, so a lookup neither allocates nor
//! lower-cases. A word that was not clustered has no classes. This module does not learn clusters.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::word_hash::hash_folded;

/// Levels of classes the tagger uses, finest first.
pub const LEVELS: usize = 3;

/// Word classes by the hash of the folded word.
pub struct WordClusters {
    classes: HashMap<u64, [u16; LEVELS], BuildIdentity>,
}

/// The keys are already hashes: use them as they are.
#[derive(Default, Clone, Copy)]
struct BuildIdentity;

impl std::hash::BuildHasher for BuildIdentity {
    type Hasher = Identity;
    fn build_hasher(&self) -> Identity {
        Identity(0)
    }
}

struct Identity(u64);

impl std::hash::Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ *byte as u64;
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

impl WordClusters {
    /// Parses a clusters file: `word<TAB>class<TAB>class…` a line, finest level first, `#`
    /// comments. Lines that do not parse are skipped.
    pub fn parse(file: &str) -> WordClusters {
        let mut classes = HashMap::with_hasher(BuildIdentity);
        for line in file.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let Some(word) = fields.next() else { continue };
            let mut levels = [0u16; LEVELS];
            let mut n_levels = 0;
            for (slot, field) in levels.iter_mut().zip(fields) {
                match field.trim().parse::<u16>() {
                    // 0 stays "no class".
                    Ok(class) => *slot = class.saturating_add(1),
                    Err(_) => break,
                }
                n_levels += 1;
            }
            if n_levels == LEVELS {
                classes.insert(hash_folded(word), levels);
            }
        }
        WordClusters { classes }
    }

    /// The classes of a word by the hash of its folded form (`0` at every level when unknown).
    #[inline]
    pub(crate) fn of_hash(&self, folded_hash: u64) -> [u16; LEVELS] {
        self.classes
            .get(&folded_hash)
            .copied()
            .unwrap_or([0; LEVELS])
    }

    /// The classes of a word, `None` when it was not clustered.
    ///
    /// ```
    /// let clusters = newslens_core::ner::shipped_clusters();
    /// assert_eq!(clusters.of("Tuesday"), clusters.of("TUESDAY"));
    /// ```
    pub fn of(&self, word: &str) -> Option<[u16; LEVELS]> {
        self.classes
            .get(&hash_folded(word))
            .map(|levels| levels.map(|c| c - 1))
    }

    /// Number of clustered words.
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether no word is clustered.
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }
}

static SHIPPED: LazyLock<WordClusters> =
    LazyLock::new(|| WordClusters::parse(include_str!("../../data/word_clusters.txt")));

/// The clusters shipped in the binary.
pub fn shipped_clusters() -> &'static WordClusters {
    &SHIPPED
}

static SHIPPED_VECTORS: LazyLock<WordClusters> = LazyLock::new(|| WordClusters::parse(VECTOR_FILE));

/// What the loaded-language tagger reads of a word's pretrained vector besides its classes: its
/// affect class (0–7: how much the vector looks like those of the lexicons' emotive, subjective
/// and loaded words) and its quarter (0–3) on each of the vectors' first 16 principal axes, axis
/// `i` in bits `2i..2i+2`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VectorCode {
    /// Affect class, 0–7.
    pub affect: u8,
    /// Quarters on the principal axes.
    pub axes: u32,
}

/// [`VectorCode`]s by the hash of the folded word.
pub struct VectorCodes {
    codes: HashMap<u64, VectorCode, BuildIdentity>,
}

impl VectorCodes {
    /// Parses the fifth and sixth fields of a vector clusters file (`word<TAB>class×3<TAB>affect
    /// <TAB>axes in hex`); lines without them are skipped.
    pub fn parse(file: &str) -> VectorCodes {
        let mut codes = HashMap::with_hasher(BuildIdentity);
        for line in file.lines().filter(|line| !line.starts_with('#')) {
            let fields: Vec<&str> = line.split('\t').collect();
            let [word, _, _, _, affect, axes] = fields[..] else {
                continue;
            };
            if let (Ok(affect), Ok(axes)) = (affect.parse(), u32::from_str_radix(axes, 16)) {
                codes.insert(hash_folded(word), VectorCode { affect, axes });
            }
        }
        VectorCodes { codes }
    }

    /// The code of a word, `None` when it has no vector.
    pub fn of(&self, word: &str) -> Option<VectorCode> {
        self.codes.get(&hash_folded(word)).copied()
    }

    /// The code of a word by the hash of its folded form.
    #[inline]
    pub(crate) fn of_hash(&self, folded_hash: u64) -> Option<VectorCode> {
        self.codes.get(&folded_hash).copied()
    }
}

const VECTOR_FILE: &str = include_str!("../../data/vector_clusters.txt");

static SHIPPED_CODES: LazyLock<VectorCodes> = LazyLock::new(|| VectorCodes::parse(VECTOR_FILE));

/// The vector codes shipped in the binary (see [`VectorCode`]).
pub fn shipped_vector_codes() -> &'static VectorCodes {
    &SHIPPED_CODES
}

/// Word classes from pretrained word vectors (spaCy `en_core_web_md`'s, clustered by
/// `scripts/build_vector_clusters.py`), shipped in the binary: they put words the training data
/// never saw in a class with words it has ("lambasted" with "slammed").
pub fn shipped_vector_clusters() -> &'static WordClusters {
    &SHIPPED_VECTORS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsed_words_are_found_in_any_case() {
        let clusters =
            WordClusters::parse("# source: test; licence: test\nfriday\t3\t1\t0\nbad\tx\n");
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters.of("Friday"), Some([3, 1, 0]));
        assert_eq!(clusters.of("FRIDAY"), Some([3, 1, 0]));
        assert_eq!(clusters.of("bad"), None);
    }

    #[test]
    fn vector_codes_read_the_affect_and_the_axes_in_hex() {
        let file = "# test\nfurious\t1\t2\t3\t7\t0000001b\nplain\t1\t2\t3\n";
        let codes = VectorCodes::parse(file);
        assert_eq!(
            codes.of("Furious"),
            Some(VectorCode {
                affect: 7,
                axes: 0x1b
            })
        );
        assert_eq!(codes.of("plain"), None);
        // The classes of the same file read as clusters.
        assert_eq!(WordClusters::parse(file).of("furious"), Some([1, 2, 3]));
    }
}
