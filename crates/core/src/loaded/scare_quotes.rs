//! Scare quotes: one or two words put in quotation marks inside the outlet's own sentence — the
//! “experts”, a “peaceful” protest — to distance the outlet from them.
//!
//! A short quoted phrase can also be a source's words ("called the plan “a disaster”"), so only
//! bare words count: one or two of them, not opening with a determiner or a pronoun, not the
//! whole sentence, nothing but words and hyphens between the marks. It does not decide who said
//! anything.

use std::sync::LazyLock;

use foldhash::HashSet;

use super::{LoadedCategory, LoadedSpan};
use crate::lexicon;
use crate::offsets::Span;

/// Words that open quoted phrases rather than scare-quoted words, from `data/phrase_openers.txt`.
static PHRASE_OPENERS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lexicon::items(include_str!("../../data/phrase_openers.txt")).collect());

fn is_opening_mark(token: &str) -> bool {
    matches!(token, "“" | "\"" | "‘")
}

fn is_closing_mark(token: &str, opening: &str) -> bool {
    match opening {
        "‘" => matches!(token, "’" | "'"),
        _ => matches!(token, "”" | "\""),
    }
}

/// Appends the scare quotes among one sentence's tokens to `out`, marks included in the span.
pub(super) fn scare_quotes(text: &str, tokens: &[Span], out: &mut Vec<LoadedSpan>) {
    let word = |idx: usize| &text[tokens[idx].start..tokens[idx].end];
    let mut token_idx = 0;
    while token_idx < tokens.len() {
        let opening = word(token_idx);
        if !is_opening_mark(opening) {
            token_idx += 1;
            continue;
        }
        // The closing mark within three tokens, with only words (and hyphens) between.
        let close = (token_idx + 1..tokens.len().min(token_idx + 4))
            .find(|idx| is_closing_mark(word(*idx), opening));
        let Some(close_idx) = close else {
            token_idx += 1;
            continue;
        };
        let n_words = close_idx - token_idx - 1;
        let inner_are_words = (token_idx + 1..close_idx).all(|idx| {
            let w = word(idx);
            w.chars().next().is_some_and(char::is_alphabetic)
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
        });
        let first_inner = if n_words > 0 {
            word(token_idx + 1).to_lowercase()
        } else {
            String::new()
        };
        let whole_sentence = token_idx == 0 && close_idx + 2 >= tokens.len();
        if (1..=2).contains(&n_words)
            && inner_are_words
            && !PHRASE_OPENERS.contains(first_inner.as_str())
            && !whole_sentence
        {
            out.push(LoadedSpan {
                span: Span::new(tokens[token_idx].start, tokens[close_idx].end),
                category: LoadedCategory::ScareQuote,
                in_quote: false,
            });
            token_idx = close_idx + 1;
        } else {
            token_idx = close_idx;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        scare_quotes(text, &tokenize(text), &mut out);
        out.iter()
            .map(|l| &text[l.span.start..l.span.end])
            .collect()
    }

    #[test]
    fn one_or_two_bare_words_in_quotation_marks_are_scare_quotes() {
        assert_eq!(
            found("The “experts” praised the \"peaceful protest\" again."),
            ["“experts”", "\"peaceful protest\""]
        );
    }

    #[test]
    fn quoted_phrases_and_whole_sentences_are_not() {
        assert!(found("She called the plan “a disaster” on Monday.").is_empty());
        assert!(found("“Nonsense.”").is_empty());
        assert!(found("He said it was “fair, mostly” and left.").is_empty());
    }
}
