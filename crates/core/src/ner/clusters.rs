//! The shipped word clusters: each word of the unlabelled development text with its class at a
//! few levels of granularity, compiled in from `data/word_clusters.txt` (learnt by
//! `newslens train clusters`, see `exchange.rs`).
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
}
