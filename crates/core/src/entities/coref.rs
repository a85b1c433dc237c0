//! Pronouns and nominals attached to the people they refer to: "he" after "Corbyn tweeted", "the
//! Labour leader" after "Labour leader Jeremy Corbyn".
//!
//! A pronoun (`data/pronouns.txt`) outside quotation marks refers to the most recent person named
//! in its sentence or the three before; a nominal ("the" + title words) to the most recent person
//! who was given that role. It is deliberately cautious: a pronoun with no person before it stays
//! unattached, and pronouns inside quotes (the speaker's "I", "he" about someone else) are left to
//! the quotes layer.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::roles::is_title_word;
use super::{EntityMention, FoundEntity, MentionKind, SentenceTokens};
use crate::lexicon;
use crate::ner::EntityType;
use crate::offsets::Span;

/// Sentences back that a pronoun may reach.
const PRONOUN_REACH: usize = 3;

static PRONOUNS: LazyLock<HashMap<&'static str, char>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/pronouns.txt"))
        .filter_map(|line| {
            let (word, gender) = line.split_once(' ')?;
            Some((word, gender.trim().chars().next().unwrap_or('n')))
        })
        .collect()
});

pub fn attach_pronouns_and_nominals(text: &str, sentences: &[SentenceTokens], entities: &mut [FoundEntity]) {
    let quoted = quoted_ranges(text);
    let inside_quote = |offset: usize| quoted.iter().any(|range| range.start <= offset && offset < range.end);
    let mut additions: Vec<(usize, EntityMention)> = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let mut token_idx = 0;
        while token_idx < sentence.tokens.len() {
            let token = sentence.tokens[token_idx];
            let word = &text[token.start..token.end];
            let lower = word.to_lowercase();
            if PRONOUNS.contains_key(lower.as_str()) && !inside_quote(token.start) {
                if let Some(entity_idx) = most_recent_person(entities, token.start, sentence_idx) {
                    additions.push((entity_idx, EntityMention { span: token, kind: MentionKind::Pronoun, sentence_idx }));
                }
            } else if lower == "the" {
                if let Some((end_idx, entity_idx)) = nominal_at(text, sentence, token_idx, entities, token.start) {
                    let span = Span::new(token.start, sentence.tokens[end_idx].end);
                    additions.push((entity_idx, EntityMention { span, kind: MentionKind::Nominal, sentence_idx }));
                    token_idx = end_idx + 1;
                    continue;
                }
            }
            token_idx += 1;
        }
    }
    for (entity_idx, mention) in additions {
        entities[entity_idx].mentions.push(mention);
    }
}

/// The person named most recently before `offset`, within reach.
fn most_recent_person(entities: &[FoundEntity], offset: usize, sentence_idx: usize) -> Option<usize> {
    entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.entity_type == EntityType::Person)
        .filter_map(|(idx, e)| {
            e.mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name && m.span.end <= offset && m.sentence_idx + PRONOUN_REACH >= sentence_idx)
                .map(|m| m.span.end)
                .max()
                .map(|end| (idx, end))
        })
        .max_by_key(|(_, end)| *end)
        .map(|(idx, _)| idx)
}

/// "the" + up to three words ending in a title word that is the role of a person named before.
fn nominal_at(text: &str, sentence: &SentenceTokens, the_idx: usize, entities: &[FoundEntity], offset: usize) -> Option<(usize, usize)> {
    for n_words in (1..=3).rev() {
        let end_idx = the_idx + n_words;
        if end_idx >= sentence.tokens.len() {
            continue;
        }
        let last = &text[sentence.tokens[end_idx].start..sentence.tokens[end_idx].end];
        if !is_title_word(last) {
            continue;
        }
        let phrase = text[sentence.tokens[the_idx + 1].start..sentence.tokens[end_idx].end].to_lowercase().replace('’', "'");
        let found = entities
            .iter()
            .enumerate()
            .filter(|(_, e)| e.entity_type == EntityType::Person)
            .filter(|(_, e)| e.roles.iter().any(|role| role.to_lowercase().replace('’', "'").ends_with(&phrase)))
            .filter_map(|(idx, e)| e.mentions.iter().filter(|m| m.span.end <= offset).map(|m| m.span.end).max().map(|end| (idx, end)))
            .max_by_key(|(_, end)| *end)
            .map(|(idx, _)| idx);
        if let Some(entity_idx) = found {
            return Some((end_idx, entity_idx));
        }
    }
    None
}

/// Byte ranges inside quotation marks: curly pairs, and straight double quotes paired in order.
/// An unclosed quote runs to the end of its paragraph.
pub(crate) fn quoted_ranges(text: &str) -> Vec<Span> {
    let mut ranges = Vec::new();
    let mut open: Option<usize> = None;
    for (idx, c) in text.char_indices() {
        match c {
            '“' | '«' | '„' => open = Some(idx),
            '”' | '»' => {
                if let Some(start) = open.take() {
                    ranges.push(Span::new(start, idx + c.len_utf8()));
                }
            }
            '"' => match open.take() {
                Some(start) => ranges.push(Span::new(start, idx + 1)),
                None => open = Some(idx),
            },
            '\n' => {
                if let Some(start) = open.take() {
                    ranges.push(Span::new(start, idx));
                }
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        ranges.push(Span::new(start, text.len()));
    }
    ranges
}
