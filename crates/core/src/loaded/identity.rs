//! Words that say who someone is, not how the outlet judges them: names (the entity layer's name
//! mentions, and capitalised words inside a sentence, which English writes for proper nouns),
//! titles and identity nouns ("journalist", "forces", "American diplomats"), and closed-class
//! words ("an", "their"). A loaded span made only of such words is dropped: a reader shown
//! "Hezbollah" or "journalist X" as an outlet's loaded language cannot use the list. With
//! [`super::IdentityWords::Trimmed`] they are also cut from the edges of the other spans
//! ("Ostrovsky cynically replied" → "cynically replied"), except labels, which keep the name they
//! are pinned on as the PTC annotators do ("Crooked X").
//!
//! This module decides nothing about which words are loaded; it only removes what cannot be. A
//! capitalised word that the lexicon lists ("Nazi") stays content. Scare quotes are never trimmed
//! (their marks are the point), only dropped when all their words are identity words (a title in
//! quotation marks).

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::offsets::Span;

use super::{lexicon, LoadedCategory, LoadedSpan};

/// Closed-class words (`data/closed_class_words.txt`).
static CLOSED_CLASS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    crate::lexicon::items(include_str!("../../data/closed_class_words.txt")).collect()
});

/// Nouns naming people and groups by what they are (`data/identity_nouns.txt`, with the titles
/// of `data/titles.txt` and the person nouns of `data/person_nouns.txt`).
static IDENTITY_NOUNS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    crate::lexicon::items(include_str!("../../data/identity_nouns.txt"))
        .chain(crate::lexicon::items(crate::lexicon::titles()))
        .chain(crate::lexicon::items(include_str!(
            "../../data/person_nouns.txt"
        )))
        .collect()
});

/// Drops the spans made only of identity words and, with `trim`, trims them from the edges of the
/// others. `names` are byte spans of names (people, organisations, places, groups), in any
/// order; `spans` are in text order and each lies inside one sentence.
pub(super) fn drop_identity_words(
    text: &str,
    sentence_tokens: &[Vec<Span>],
    names: &[Span],
    spans: Vec<LoadedSpan>,
    trim: bool,
) -> Vec<LoadedSpan> {
    let names = &disjoint(names);
    let mut kept = Vec::with_capacity(spans.len());
    let mut sentence_idx = 0;
    for loaded in spans {
        while sentence_idx < sentence_tokens.len()
            && sentence_tokens[sentence_idx]
                .last()
                .is_none_or(|last| last.end <= loaded.span.start)
        {
            sentence_idx += 1;
        }
        let Some(tokens) = sentence_tokens.get(sentence_idx) else {
            kept.push(loaded);
            continue;
        };
        let first = tokens.partition_point(|token| token.end <= loaded.span.start);
        let last = tokens.partition_point(|token| token.start < loaded.span.end);
        if first >= last {
            kept.push(loaded);
            continue;
        }
        let is_identity = |token_idx: usize| is_identity_token(text, tokens, token_idx, names);
        let Some(content_first) = (first..last).find(|idx| !is_identity(*idx)) else {
            continue;
        };
        // A label keeps the name it is pinned on ("Crooked X" is PTC's name-calling span); a
        // scare quote keeps its marks.
        if !trim
            || matches!(
                loaded.category,
                LoadedCategory::ScareQuote | LoadedCategory::Label
            )
        {
            kept.push(loaded);
            continue;
        }
        // At the end, a function word goes only with a name cut after it ("slammed the X" →
        // "slammed"): the lexicon's expressions may end in one ("ripped into").
        let mut content_last = last - 1;
        let mut cut_name = false;
        while content_last > content_first && is_identity(content_last) {
            let function_word = is_function_word(text, tokens[content_last]);
            if function_word && !cut_name {
                break;
            }
            cut_name |= !function_word;
            content_last -= 1;
        }
        let start = tokens[content_first].start.max(loaded.span.start);
        let end = tokens[content_last].end.min(loaded.span.end);
        kept.push(LoadedSpan {
            span: Span::new(start, end),
            ..loaded
        });
    }
    kept
}

/// Whether the token is a name, a title or identity noun, a closed-class word or punctuation.
fn is_identity_token(text: &str, tokens: &[Span], token_idx: usize, names: &[Span]) -> bool {
    let token = tokens[token_idx];
    let word = &text[token.start..token.end];
    let Some(first_char) = word.chars().next() else {
        return true;
    };
    if !first_char.is_alphanumeric() {
        return true;
    }
    let lower = word.to_lowercase();
    // A word the lexicon lists is loaded whatever its case ("Nazi", "Islamofascist").
    if lexicon::category_of_word(&lower).is_some() {
        return false;
    }
    if CLOSED_CLASS.contains(lower.as_str()) {
        return true;
    }
    let bare = lower.trim_end_matches("'s").trim_end_matches('’');
    if IDENTITY_NOUNS.contains(bare) || IDENTITY_NOUNS.contains(lower.as_str()) {
        return true;
    }
    if inside_name(names, token) {
        return true;
    }
    // A capitalised word inside a sentence is a proper noun (a name the entity layer missed, a
    // nationality); the sentence's first word, or the first after a quotation mark, is
    // capitalised anyway.
    first_char.is_uppercase() && !opens_sentence(text, tokens, token_idx)
}

/// Whether the token is a closed-class word or punctuation (not a name or identity noun).
fn is_function_word(text: &str, token: Span) -> bool {
    let word = &text[token.start..token.end];
    !word.chars().next().is_some_and(char::is_alphanumeric)
        || CLOSED_CLASS.contains(word.to_lowercase().as_str())
}

/// Whether the token opens its sentence or the words after a quotation mark, a colon or a dash.
fn opens_sentence(text: &str, tokens: &[Span], token_idx: usize) -> bool {
    let Some(previous) = token_idx.checked_sub(1).map(|idx| tokens[idx]) else {
        return true;
    };
    let before = &text[previous.start..previous.end];
    before
        .chars()
        .all(|c| matches!(c, '"' | '“' | '‘' | '\'' | ':' | '—' | '–' | '(' | '-'))
}

/// The spans, sorted, with overlapping ones made one (so a search by end is monotonic).
fn disjoint(spans: &[Span]) -> Vec<Span> {
    let mut sorted = spans.to_vec();
    sorted.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(sorted.len());
    for span in sorted {
        match merged.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// Whether a sorted, disjoint name span covers the token.
fn inside_name(names: &[Span], token: Span) -> bool {
    let idx = names.partition_point(|name| name.end <= token.start);
    names
        .get(idx)
        .is_some_and(|name| name.start <= token.start && token.end <= name.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn trimmed(text: &str, spans: &[&str], names: &[&str]) -> Vec<String> {
        let tokens = tokenize(text);
        let span_of = |words: &str| {
            let start = text.find(words).unwrap();
            Span::new(start, start + words.len())
        };
        let loaded = spans
            .iter()
            .map(|words| LoadedSpan {
                span: span_of(words),
                category: LoadedCategory::Emotive,
                in_quote: false,
            })
            .collect();
        let names: Vec<Span> = names.iter().map(|name| span_of(name)).collect();
        drop_identity_words(text, &[tokens], &names, loaded, true)
            .iter()
            .map(|l| text[l.span.start..l.span.end].to_string())
            .collect()
    }

    #[test]
    fn spans_of_names_titles_and_function_words_alone_are_dropped() {
        let text = "Yesterday the reporter Dana Welk met the Harbour Trust and some Danish \
                    officials, who left in an angry mood.";
        assert_eq!(
            trimmed(
                text,
                &[
                    "reporter Dana Welk",
                    "Harbour Trust",
                    "Danish officials",
                    "an"
                ],
                &["Dana Welk", "Harbour Trust"]
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_judging_word_keeps_its_span_without_the_name_beside_it() {
        let text = "Critics said the mayor Lina Ortiz bungled the vote and her cronies gloated.";
        assert_eq!(
            trimmed(
                text,
                &["Lina Ortiz bungled", "her cronies gloated"],
                &["Lina Ortiz"]
            ),
            ["bungled", "cronies gloated"]
        );
    }

    #[test]
    fn a_function_word_ending_an_expression_stays_unless_a_name_is_cut_after_it() {
        let text = "She tore into the plan and then lashed out at the Harbour Trust.";
        assert_eq!(
            trimmed(
                text,
                &["tore into", "lashed out at the Harbour Trust"],
                &["Harbour Trust"]
            ),
            ["tore into", "lashed out"]
        );
    }

    #[test]
    fn a_capitalised_first_word_is_not_taken_for_a_name() {
        let text = "Disgraceful scenes followed.";
        assert_eq!(trimmed(text, &["Disgraceful"], &[]), ["Disgraceful"]);
    }
}
