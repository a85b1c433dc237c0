//! Helpers for the quotes layer's unit tests: a text cut as `analyze` cuts it.

use crate::deadline::Deadline;
use crate::entities::{find_entities, FoundEntity};
use crate::offsets::Span;
use crate::quotes::{find_quote_candidates_within, FoundQuote};
use crate::segment::{paragraphs, sentences};
use crate::tokens::tokenize_into;

/// A text's paragraphs, sentences, each sentence's tokens and the entities found in it.
pub struct Segmented {
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Span>,
    pub tokens: Vec<Vec<Span>>,
    pub entities: Vec<FoundEntity>,
}

/// Cuts `text` into paragraphs, sentences and tokens, and finds its entities.
pub fn segmented(text: &str) -> Segmented {
    let paragraphs = paragraphs(text);
    let sentences = sentences(text, &paragraphs);
    let tokens = sentences
        .iter()
        .map(|s| {
            let mut tokens = Vec::new();
            tokenize_into(text, s.start, s.end, &mut tokens);
            tokens
        })
        .collect();
    let entities = find_entities(text, &sentences);
    Segmented {
        paragraphs,
        sentences,
        tokens,
        entities,
    }
}

impl Segmented {
    /// The rules' quotes, before the learned filter and the boundary chooser.
    pub fn rule_quotes(&self, text: &str) -> Vec<FoundQuote> {
        find_quote_candidates_within(
            text,
            &self.paragraphs,
            &self.sentences,
            &self.tokens,
            &self.entities,
            &[],
            Deadline::NEVER,
        )
    }
}
