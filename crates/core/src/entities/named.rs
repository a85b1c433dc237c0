//! The named mention the entity passes hand each other before grouping, and the few helpers
//! every pass needs to build, key and replace one.
//!
//! The tagger's output (`mentions.rs`), the phrase fixes (`patterns.rs`), the sports teams
//! (`teams.rs`), the type votes (`consistency.rs`) and the grouping all work on [`NamedMention`]s;
//! keeping the type here lets them import it without importing each other. It finds no mentions.

use super::SentenceTokens;
use crate::ner::EntityType;
use crate::offsets::Span;

/// A named mention before grouping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedMention {
    /// Byte span.
    pub span: Span,
    /// Sentence index.
    pub sentence_idx: usize,
    /// First token index in the sentence.
    pub token_start: usize,
    /// Token index just past the mention.
    pub token_end: usize,
    /// Type after consistency.
    pub entity_type: EntityType,
}

/// Folds a surface form for comparison: curly apostrophes straight, case kept.
pub(super) fn surface_key(surface: &str) -> String {
    surface.replace(['’', '‘'], "'")
}

/// Whether a token is an initial: "G.", "J". Runs such as "U.S." are abbreviations, not initials.
pub(super) fn is_initial(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 2 && bytes[0].is_ascii_uppercase() && bytes[1] == b'.'
}

/// A mention over tokens `[start, end)` of a sentence.
pub(super) fn mention_at(
    sentences: &[SentenceTokens],
    sentence_idx: usize,
    start: usize,
    end: usize,
    entity_type: EntityType,
) -> NamedMention {
    let tokens = &sentences[sentence_idx].tokens;
    NamedMention {
        span: Span::new(tokens[start].start, tokens[end - 1].end),
        sentence_idx,
        token_start: start,
        token_end: end,
        entity_type,
    }
}

/// Replaces every mention overlapping `replacement` in its sentence with it.
pub(super) fn replace_overlapping(mentions: &mut Vec<NamedMention>, replacement: NamedMention) {
    mentions.retain(|m| {
        m.sentence_idx != replacement.sentence_idx
            || m.token_end <= replacement.token_start
            || m.token_start >= replacement.token_end
    });
    mentions.push(replacement);
    mentions.sort_by_key(|m| (m.sentence_idx, m.token_start));
}

/// Named mentions split by sentence, for the passes that read and rewrite one sentence's
/// mentions at a time (`patterns.rs`). Each pass used to scan and re-sort every mention of the
/// text for every phrase it found, which made a long text with many street names or events
/// quadratic; a sentence's own mentions are few.
pub(super) struct BySentence {
    sentences: Vec<Vec<NamedMention>>,
    /// Where each mention went, in the order they came: (sentence, position in it).
    places: Vec<(usize, usize)>,
}

impl BySentence {
    pub(super) fn new(mentions: Vec<NamedMention>) -> BySentence {
        let n_sentences = mentions
            .iter()
            .map(|m| m.sentence_idx + 1)
            .max()
            .unwrap_or(0);
        let mut sentences = vec![Vec::new(); n_sentences];
        let mut places = Vec::with_capacity(mentions.len());
        for mention in mentions {
            let sentence = &mut sentences[mention.sentence_idx];
            places.push((mention.sentence_idx, sentence.len()));
            sentence.push(mention);
        }
        BySentence { sentences, places }
    }

    /// One sentence's mentions, in the order they came.
    pub(super) fn sentence(&mut self, sentence_idx: usize) -> &mut Vec<NamedMention> {
        if sentence_idx >= self.sentences.len() {
            self.sentences.resize(sentence_idx + 1, Vec::new());
        }
        &mut self.sentences[sentence_idx]
    }

    /// All mentions again, as [`replace_overlapping`] over the whole list would have left them:
    /// sorted by sentence and first token once anything was replaced (a stable sort, ties in the
    /// order they came), else in the order they came.
    pub(super) fn into_mentions(self, replaced: bool) -> Vec<NamedMention> {
        if replaced {
            let mut sentences = self.sentences;
            for sentence in &mut sentences {
                sentence.sort_by_key(|m| m.token_start);
            }
            sentences.into_iter().flatten().collect()
        } else {
            self.places
                .iter()
                .map(|&(sentence_idx, at)| self.sentences[sentence_idx][at].clone())
                .collect()
        }
    }
}
