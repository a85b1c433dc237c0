//! Helpers for the entities layer's unit tests: sentences of space-separated tokens and the
//! mentions read back as text.

use super::named::NamedMention;
use super::SentenceTokens;
use crate::ner::EntityType;
use crate::offsets::Span;

/// Sentences of space-separated tokens, one a line.
pub fn sentence_tokens(text: &str) -> Vec<SentenceTokens> {
    let mut sentences = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let mut tokens = Vec::new();
        let mut start = offset;
        for word in line.trim_end().split(' ') {
            tokens.push(Span::new(start, start + word.len()));
            start += word.len() + 1;
        }
        sentences.push(SentenceTokens { tokens });
        offset += line.len();
    }
    sentences
}

/// Each mention's text and type, in order.
pub fn surfaces(text: &str, mentions: &[NamedMention]) -> Vec<(String, EntityType)> {
    mentions
        .iter()
        .map(|m| (text[m.span.start..m.span.end].to_string(), m.entity_type))
        .collect()
}
