//! The whole analysis on news-like text dense with what the quotes layer reads — reporting verbs,
//! pronouns, names, quotation marks of every kind, commas, dashes, colons, parentheses and
//! paragraph breaks — never panics, and every span it returns lies inside the text.
//!
//! The readers' property tests feed arbitrary bytes; their words rarely form an attribution, so
//! this test builds attributions on purpose (it found a tag at the very end of a text once).

use newslens_core::{analyze, Document};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

#[rustfmt::skip]
const PIECES: &[&str] = &[
    "said", "says", "told", "added", "insisted", "according to", "called", "tweeted", "slammed",
    "saying", "and said", "reporters", "that", "he", "she", "they", "it", "who", "the", "a",
    "spokesman", "Ana Lopez", "Tom Reddy", "Mayor", "(D-Ore.)", "(", ")", ",", ".", ":", ";", "—",
    "“", "”", "\"", "‘", "’", "'", "''", "«", "»", "„", "…", "?", "!", "\n\n", "\n", "on Monday",
    "in a statement", "went on to", "titled", "PENCE:", "https://t.co/x — Ana (@ana) May 3, 2024",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => select(PIECES).prop_map(str::to_string),
        3 => "[a-z]{1,8}",
        1 => "[A-Z][a-z]{1,8}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    vec((piece(), select(&[" ", "", " ", "\u{a0}"][..])), 0..120)
        .prop_map(|pieces| pieces.into_iter().map(|(piece, gap)| piece + gap).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn attribution_text_never_panics_and_spans_stay_inside(text in text()) {
        let article = analyze(&Document::new(text.clone()));
        let n_chars = text.chars().count();
        for (layer, start, end) in article.spans() {
            prop_assert!(start <= end && end <= n_chars, "{layer} span {start}..{end} of {n_chars}");
        }
        for quote in &article.quotes {
            prop_assert!(!quote.spans.is_empty());
        }
    }
}
