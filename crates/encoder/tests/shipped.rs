//! The shipped encoder on text written for these tests: it loads, it finds the judgement words
//! of an opinionated sentence and none in a plain report, and the analysis in encoder mode keeps
//! names out of loaded spans and stops at its deadline.

use std::time::Duration;

use newslens_core::loaded::{Tagging, TokenProbabilities};
use newslens_core::tokens::tokenize;
use newslens_core::{analyze_within_tagging, Deadline, Document};
use newslens_encoder::{Encoder, DEFAULT_THRESHOLD};

fn encoder() -> &'static Encoder {
    Encoder::shipped().expect("the shipped encoder loads")
}

fn loaded_words(text: &str) -> Vec<String> {
    let tagging = Tagging::Encoder {
        tagger: encoder(),
        threshold: DEFAULT_THRESHOLD,
    };
    let article = analyze_within_tagging(&Document::new(text), Deadline::NEVER, tagging).unwrap();
    article
        .loaded
        .iter()
        .map(|loaded| {
            text.chars()
                .skip(loaded.start)
                .take(loaded.end - loaded.start)
                .collect()
        })
        .collect()
}

#[test]
fn an_opinionated_sentence_has_loaded_words_and_a_plain_report_has_none() {
    let opinion = "The mayor's disgraceful, reckless scheme is a shameless betrayal of every \
                   honest taxpayer, a corrupt stunt by a cowardly regime of crooks.";
    let found = loaded_words(opinion);
    assert!(!found.is_empty(), "no loaded words in {opinion:?}");
    let joined = found.join(" ").to_lowercase();
    assert!(
        ["disgraceful", "shameless", "corrupt", "cowardly", "crooks"]
            .iter()
            .filter(|word| joined.contains(*word))
            .count()
            >= 2,
        "{found:?}"
    );
    let plain = "The council met on Tuesday to discuss the budget for the library. The meeting \
                 lasted two hours and the vote was postponed until March.";
    assert_eq!(loaded_words(plain), Vec::<String>::new());
}

#[test]
fn every_token_gets_probabilities_that_sum_to_one_even_on_odd_text() {
    let text = "Ein\u{a0}Test — “quoted” words 🙂 here.\n\n\nA second\tline, ʻokina and 東京.";
    let tokens = vec![tokenize(text)];
    let found = encoder()
        .token_probabilities(text, &tokens, Deadline::NEVER)
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].len(), tokens[0].len());
    for p in &found[0] {
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-3, "{p:?}");
    }
}

#[test]
fn a_passed_deadline_stops_the_encoder() {
    let text = "The pier reopens in June.";
    let over = encoder()
        .piece_probabilities(text, Deadline::after(Some(Duration::ZERO)))
        .unwrap_err();
    assert_eq!(over.budget, Duration::ZERO);
}

#[test]
fn empty_text_has_no_pieces() {
    let pieces = encoder().piece_probabilities("", Deadline::NEVER).unwrap();
    assert!(pieces.spans.is_empty() && pieces.probabilities.is_empty());
}
