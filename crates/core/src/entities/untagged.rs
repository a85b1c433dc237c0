//! Mentions the tagger missed: untagged, capitalised gazetteer entries (parties, nationalities)
//! and untagged repeats of a form it tagged elsewhere in the article.
//!
//! The tagger relies on context, and a party or a nationality is often named without any; a name
//! tagged once is a name where it recurs. These passes only add mentions where none is; they do
//! not change the type of a mention already found.

use std::collections::HashMap;

use super::named::{surface_key, NamedMention};
use super::SentenceTokens;
use crate::ner::EntityType;
use crate::offsets::Span;

/// Adds a mention for each untagged, capitalised whole entry of the organisation gazetteer
/// ("Labour" in "… was elected Labour leader"): parties and bodies are named without the context
/// the tagger relies on, and their names are unambiguous when capitalised.
pub(super) fn add_untagged_organisations(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    add_untagged_entries(
        text,
        sentences,
        mentions,
        crate::gazetteer::ORGANISATION,
        EntityType::Org,
    );
}

/// Adds a mention for each untagged, capitalised whole entry of the nationality and group
/// gazetteer ("Kurdish", "European", "Jewish"): GMB, which the tagger learnt from, tags the
/// adjectives of countries but leaves most of these words outside any mention. A word that is
/// also a first name ("Christian") is left to the tagger.
pub(super) fn add_untagged_groups(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    add_untagged_entries(
        text,
        sentences,
        mentions,
        crate::gazetteer::NATIONALITY,
        EntityType::Norp,
    );
}

/// Adds a mention of `entity_type` for each untagged, capitalised whole entry of the gazetteer
/// `class` that is no first name.
fn add_untagged_entries(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
    class: u8,
    entity_type: EntityType,
) {
    use crate::gazetteer::{CONTINUES, FIRST_NAME};
    let mut added = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let words = sentence.words(text);
        let flags = crate::gazetteer::classify(&words);
        let mut idx = 0;
        while idx < words.len() {
            let opens = flags[idx] & class != 0
                && flags[idx] & CONTINUES == 0
                && (class == crate::gazetteer::ORGANISATION || flags[idx] & FIRST_NAME == 0)
                && words[idx].starts_with(char::is_uppercase);
            if !opens {
                idx += 1;
                continue;
            }
            let mut end = idx + 1;
            while end < words.len() && flags[end] & class != 0 && flags[end] & CONTINUES != 0 {
                end += 1;
            }
            let covered = mentions.iter().any(|m| {
                m.sentence_idx == sentence_idx && m.token_start < end && m.token_end > idx
            });
            if !covered {
                added.push(NamedMention {
                    span: Span::new(sentence.tokens[idx].start, sentence.tokens[end - 1].end),
                    sentence_idx,
                    token_start: idx,
                    token_end: end,
                    entity_type,
                });
            }
            idx = end;
        }
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| (m.sentence_idx, m.token_start));
}

/// Adds mentions where a tagged surface form recurs untagged (capitalised, same tokens).
pub(super) fn add_untagged_repeats(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut forms: HashMap<String, (Vec<String>, EntityType)> = HashMap::new();
    for mention in mentions.iter() {
        let surface = &text[mention.span.start..mention.span.end];
        if surface.chars().next().is_some_and(char::is_uppercase)
            && surface.chars().filter(|c| c.is_alphabetic()).count() >= 3
        {
            let sentence = &sentences[mention.sentence_idx];
            let words: Vec<String> = sentence.tokens[mention.token_start..mention.token_end]
                .iter()
                .map(|t| surface_key(&text[t.start..t.end]))
                .collect();
            forms
                .entry(words[0].clone())
                .or_insert((words, mention.entity_type));
        }
    }
    if forms.is_empty() {
        return;
    }
    let mut covered: Vec<Vec<bool>> = sentences
        .iter()
        .map(|s| vec![false; s.tokens.len()])
        .collect();
    for mention in mentions.iter() {
        for flag in &mut covered[mention.sentence_idx][mention.token_start..mention.token_end] {
            *flag = true;
        }
    }
    let mut added = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let mut idx = 0;
        while idx < sentence.tokens.len() {
            let word = surface_key(&text[sentence.tokens[idx].start..sentence.tokens[idx].end]);
            if let Some((form, entity_type)) = forms.get(&word) {
                let end = idx + form.len();
                let matches = end <= sentence.tokens.len()
                    && (idx..end).all(|i| !covered[sentence_idx][i])
                    && form.iter().enumerate().all(|(offset, w)| {
                        surface_key(
                            &text[sentence.tokens[idx + offset].start
                                ..sentence.tokens[idx + offset].end],
                        ) == *w
                    });
                if matches {
                    let span = Span::new(sentence.tokens[idx].start, sentence.tokens[end - 1].end);
                    added.push(NamedMention {
                        span,
                        sentence_idx,
                        token_start: idx,
                        token_end: end,
                        entity_type: *entity_type,
                    });
                    idx = end;
                    continue;
                }
            }
            idx += 1;
        }
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| m.span.start);
}
