//! The loaded-language lexicon (`data/loaded_lexicon.txt`) and its matcher over word tokens.
//!
//! Expressions are keyed by their first word, so matching is one hash lookup per token plus a
//! comparison of the few expressions that start with it, longest first. Verbs are listed as base
//! forms and matched in every regular inflection ("slam" finds "slammed"); labels and emotive nouns
//! also match their plural. This module finds candidate spans only; deciding what is quoted is
//! `mod.rs`'s.

use std::collections::HashMap;

use super::LoadedCategory;
use crate::lexicon::items;
use crate::offsets::Span;
use crate::tone::{regular_inflections, word_key};
use std::sync::LazyLock;

/// One expression: its words after the first, and its category.
struct Expression {
    rest: Vec<&'static str>,
    category: LoadedCategory,
}

/// Expressions by first word (lower case, straight apostrophes), longest first.
static EXPRESSIONS: LazyLock<HashMap<&'static str, Vec<Expression>>> = LazyLock::new(|| {
    let mut by_first: HashMap<&'static str, Vec<Expression>> = HashMap::new();
    let mut category = None;
    for line in items(include_str!("../../data/loaded_lexicon.txt")) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            category = LoadedCategory::from_name(name);
            continue;
        }
        let Some(category) = category else {
            continue;
        };
        for variant in variants(line, category) {
            let words: Vec<&'static str> = variant
                .split_whitespace()
                .map(|w| &*Box::leak(w.to_string().into_boxed_str()))
                .collect();
            let Some((first, rest)) = words.split_first() else {
                continue;
            };
            let expressions = by_first.entry(first).or_default();
            // The first category listed for an expression wins.
            if !expressions.iter().any(|e| e.rest == rest) {
                expressions.push(Expression {
                    rest: rest.to_vec(),
                    category,
                });
            }
        }
    }
    for expressions in by_first.values_mut() {
        expressions.sort_by_key(|e| std::cmp::Reverse(e.rest.len()));
    }
    by_first
});

/// The written forms an entry matches: inflections of a verb's head word, a plural of the last
/// word of a label or emotive word, and hyphenated words written with a space.
fn variants(entry: &str, category: LoadedCategory) -> Vec<String> {
    let words: Vec<&str> = entry.split_whitespace().collect();
    let Some((first, rest)) = words.split_first() else {
        return Vec::new();
    };
    let mut forms: Vec<String> = match category {
        LoadedCategory::LoadedVerb => regular_inflections(first)
            .into_iter()
            .map(|head| {
                std::iter::once(head.as_str())
                    .chain(rest.iter().copied())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect(),
        LoadedCategory::Label | LoadedCategory::Emotive => {
            let mut forms = vec![entry.to_string()];
            if let Some(last) = words.last() {
                if !last.ends_with('s') && last.chars().all(|c| c.is_ascii_alphabetic()) {
                    let stem = &words[..words.len() - 1];
                    let plural = if last.ends_with('y') && !last.ends_with("ey") {
                        format!("{}ies", &last[..last.len() - 1])
                    } else if last.ends_with("ch") || last.ends_with("sh") || last.ends_with('x') {
                        format!("{last}es")
                    } else {
                        format!("{last}s")
                    };
                    forms.push(
                        stem.iter()
                            .copied()
                            .chain([plural.as_str()])
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
            forms
        }
        _ => vec![entry.to_string()],
    };
    if entry.contains('-') {
        let spaced: Vec<String> = forms.iter().map(|f| f.replace('-', " ")).collect();
        forms.extend(spaced);
    }
    forms
}

/// A lexicon match: tokens `[first, end)` of the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LexiconMatch {
    pub first: usize,
    pub end: usize,
    pub category: LoadedCategory,
}

/// The longest lexicon matches in one sentence's tokens, left to right, not overlapping.
pub(super) fn lexicon_matches(text: &str, tokens: &[Span], out: &mut Vec<LexiconMatch>) {
    let mut buffer = String::new();
    let mut next_buffer = String::new();
    let mut token_idx = 0;
    while token_idx < tokens.len() {
        let token = tokens[token_idx];
        let key = word_key(&text[token.start..token.end], &mut buffer);
        let mut matched = None;
        if let Some(expressions) = EXPRESSIONS.get(key) {
            for expression in expressions {
                let n_rest = expression.rest.len();
                if token_idx + 1 + n_rest > tokens.len() {
                    continue;
                }
                let all_match = expression.rest.iter().enumerate().all(|(offset, word)| {
                    let next = tokens[token_idx + 1 + offset];
                    word_key(&text[next.start..next.end], &mut next_buffer) == *word
                });
                if all_match {
                    matched = Some(LexiconMatch {
                        first: token_idx,
                        end: token_idx + 1 + n_rest,
                        category: expression.category,
                    });
                    break;
                }
            }
        }
        match matched {
            Some(found) => {
                out.push(found);
                token_idx = found.end;
            }
            None => token_idx += 1,
        }
    }
}

/// Whether a word (lower case) starts a lexicon expression.
pub(super) fn starts_expression(key: &str) -> bool {
    EXPRESSIONS.contains_key(key)
}

/// Whether a word (any case) starts a lexicon expression; for features of the learned model.
pub(super) fn category_of_word(key: &str) -> Option<LoadedCategory> {
    EXPRESSIONS
        .get(key)
        .and_then(|expressions| expressions.iter().find(|e| e.rest.is_empty()))
        .map(|e| e.category)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn found(text: &str) -> Vec<(String, LoadedCategory)> {
        let tokens = tokenize(text);
        let mut matches = Vec::new();
        lexicon_matches(text, &tokens, &mut matches);
        matches
            .iter()
            .map(|m| {
                (
                    text[tokens[m.first].start..tokens[m.end - 1].end].to_string(),
                    m.category,
                )
            })
            .collect()
    }

    #[test]
    fn verbs_match_in_their_inflections_and_multi_word_verbs_are_one_span() {
        assert_eq!(
            found("The mayor ripped into the council and slammed its budget."),
            [
                ("ripped into".to_string(), LoadedCategory::LoadedVerb),
                ("slammed".to_string(), LoadedCategory::LoadedVerb)
            ]
        );
    }

    #[test]
    fn hyphenated_labels_match_with_a_space_and_in_the_plural() {
        let words: Vec<String> = found("The far left and two far-left groups met leftists.")
            .into_iter()
            .map(|(w, _)| w)
            .collect();
        assert_eq!(words, ["far left", "far-left", "leftists"]);
    }

    #[test]
    fn the_longest_expression_wins() {
        assert_eq!(
            found("a terrorist regime")[0],
            ("terrorist regime".to_string(), LoadedCategory::Label)
        );
    }
}
