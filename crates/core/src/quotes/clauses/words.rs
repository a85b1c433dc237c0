//! Word classes the clause reader tests tokens against: words that open a clause or a fronted
//! adverbial, auxiliaries and adverbs between a source and its cue, words that end a source on its
//! right, cue lemmas that are nouns as often as verbs, words that announce a title, boundary
//! punctuation and quotation marks; and whether a cue word is used as a reporting verb where it
//! stands ("he said", not "to say", "the report", "was told").
//!
//! It does not read clauses: `content.rs` and `source.rs` use these tests. The reporting verbs
//! themselves are data (`cues.rs`, `data/reporting_verbs.txt`).

use std::ops::Range;

use super::super::cues::cue_at;
use super::super::speaker::is_personal_pronoun;
use super::{Reader, Tok};
use crate::ner::EntityType;

/// Words that end a source on its left: clause openers.
pub(super) fn opens_clause(word: &str) -> bool {
    matches!(
        word,
        "that"
            | "but"
            | "because"
            | "while"
            | "when"
            | "whereas"
            | "as"
            | "after"
            | "before"
            | "if"
            | "although"
            | "though"
            | "since"
            | "where"
            | "so"
            | "which"
            | "who"
            | "whom"
            | "than"
            | "until"
            | "unless"
            | "or"
            | "then"
            | "yet"
            | "however"
    )
}

/// Prepositions and participles that open a fronted adverbial ("At the rally, …", "Asked
/// about it, …"), never a quoted statement.
pub(super) fn opens_adverbial(word: &str) -> bool {
    matches!(
        word,
        "at" | "in"
            | "on"
            | "during"
            | "after"
            | "before"
            | "following"
            | "with"
            | "asked"
            | "speaking"
            | "addressing"
            | "writing"
            | "responding"
            | "appearing"
            | "interviewed"
    )
}

/// Auxiliaries and adverbs between a source and its cue ("has also said", "later told").
pub(super) fn is_aux_or_adverb(word: &str) -> bool {
    matches!(
        word,
        "has"
            | "have"
            | "had"
            | "also"
            | "later"
            | "then"
            | "previously"
            | "repeatedly"
            | "recently"
            | "again"
            | "publicly"
            | "privately"
            | "once"
            | "would"
            | "will"
            | "could"
            | "might"
            | "may"
            | "must"
            | "should"
            | "did"
            | "does"
            | "do"
            | "reportedly"
            | "flatly"
            | "quickly"
            | "simply"
            | "only"
            | "first"
            | "further"
            | "separately"
            | "similarly"
            | "frequently"
            | "often"
            | "already"
            | "just"
            | "even"
            | "still"
            | "earlier"
            | "specifically"
            | "directly"
            | "explicitly"
            | "openly"
            | "bluntly"
            | "angrily"
            | "proudly"
            | "sharply"
            | "strongly"
            | "loudly"
            | "softly"
            | "quietly"
            | "firmly"
            | "tersely"
            | "curtly"
            | "initially"
            | "subsequently"
            | "ultimately"
            | "finally"
            | "emphatically"
            | "categorically"
            | "is"
            | "are"
            | "was"
            | "were"
            | "been"
            | "being"
            | "quoted"
            | "as"
    )
}

/// Words that end a source on its right ("said Corbyn in a statement").
pub(super) fn ends_right_source(word: &str) -> bool {
    matches!(
        word,
        "in" | "on"
            | "at"
            | "during"
            | "after"
            | "before"
            | "that"
            | "when"
            | "while"
            | "to"
            | "as"
            | "with"
            | "from"
            | "because"
            | "but"
            | "if"
            | "and"
            | "last"
            | "this"
            | "yesterday"
            | "today"
            | "tonight"
            | "earlier"
            | "later"
            | "recently"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
    )
}

/// Lemmas of cues that are nouns as often as verbs ("the report", "an attack", "a tweet").
fn is_noun_like(lemma: &str) -> bool {
    matches!(
        lemma,
        "charge"
            | "counter"
            | "object"
            | "question"
            | "answer"
            | "report"
            | "state"
            | "note"
            | "post"
            | "cry"
            | "rail"
            | "cheer"
            | "blast"
            | "attack"
            | "comment"
            | "demand"
            | "promise"
            | "claim"
            | "appeal"
            | "protest"
            | "joke"
            | "vow"
            | "pledge"
            | "estimate"
            | "tweet"
            | "call"
            | "reply"
            | "remark"
            | "brief"
            | "rant"
            | "quip"
            | "shout"
            | "whisper"
            | "sigh"
            | "groan"
    )
}

/// Words before a passage that make it a title or a name, not speech ("titled “…”").
pub(super) fn names_a_title(word: &str) -> bool {
    matches!(
        word,
        "titled"
            | "entitled"
            | "called"
            | "named"
            | "dubbed"
            | "nicknamed"
            | "so-called"
            | "billed"
            | "labelled"
            | "labeled"
            | "branded"
            | "headlined"
            | "reads"
            | "read"
            | "slogan"
            | "hashtag"
            | "term"
            | "phrase"
            | "word"
            | "words"
            | "known"
            | "film"
            | "song"
            | "book"
            | "album"
            | "show"
            | "series"
            | "movie"
            | "novel"
    )
}

pub(super) fn is_boundary_punct(word: &str) -> bool {
    matches!(
        word,
        "," | ";"
            | ":"
            | "("
            | ")"
            | "—"
            | "–"
            | "--"
            | "\""
            | "“"
            | "”"
            | "‘"
            | "’"
            | "'"
            | "«"
            | "»"
            | "„"
            | "."
            | "!"
            | "?"
    )
}

pub(super) fn is_quote_mark(word: &str) -> bool {
    matches!(word, "\"" | "“" | "”" | "‘" | "’" | "'" | "«" | "»" | "„")
}

impl Reader<'_> {
    /// Whether a sentence is a headline in title case ("Graham Says Trump Could Address …").
    pub(super) fn is_title_case(&self, sentence: &Range<usize>) -> bool {
        let words: Vec<&Tok> = self.toks[sentence.clone()]
            .iter()
            .filter(|t| t.word && t.lower.len() > 3)
            .collect();
        words.len() >= 3 && words.iter().filter(|t| t.capital).count() * 5 >= words.len() * 4
    }

    /// Whether the cue at `i` is used as a reporting verb: not "to say", not "the report", not
    /// "was told", not a capitalised word inside a name.
    pub(super) fn is_verb_use(&self, i: usize, sentence: &Range<usize>) -> bool {
        let tok = &self.toks[i];
        if tok.capital && i > sentence.start && !self.is_title_case(sentence) {
            return false;
        }
        if let Some(next) = self.toks.get(i + 1).filter(|_| i + 1 < sentence.end) {
            if next.lower == "by" {
                return false;
            }
        }
        if i == sentence.start {
            return true;
        }
        let prev = self.toks[i - 1].lower.as_str();
        // "He went on to lambast …": the infinitive reports the act.
        if prev == "to" && i >= sentence.start + 2 && self.toks[i - 2].lower == "on" {
            return true;
        }
        // "a massive attack", "officials’ report": a word that is a noun as often as a verb is a
        // cue only after a subject-like word.
        if let Some(cue) = cue_at(&[tok.lower.as_str()]) {
            let lemma_verb = cue.cue.lemma.split(' ').next().unwrap_or("");
            let base_or_s =
                tok.lower == lemma_verb || tok.lower.trim_end_matches('s') == lemma_verb;
            if base_or_s && is_noun_like(lemma_verb) {
                let prev_tok = &self.toks[i - 1];
                let named_subject =
                    self.index
                        .name_ending_at(prev_tok.span.end)
                        .is_some_and(|(_, idx)| {
                            matches!(
                                self.entities[idx].entity_type,
                                EntityType::Person | EntityType::Org | EntityType::Gpe
                            )
                        });
                let subject_like = named_subject
                    || is_personal_pronoun(prev)
                    || matches!(
                        prev,
                        "who"
                            | "also"
                            | "will"
                            | "would"
                            | "did"
                            | "does"
                            | "do"
                            | "can"
                            | "could"
                            | "may"
                            | "might"
                            | "must"
                            | "should"
                            | "often"
                            | "then"
                    )
                    || (prev.ends_with("ly") && !prev_tok.capital);
                if !subject_like {
                    return false;
                }
            }
        }
        let is_ing = tok.lower.ends_with("ing");
        !(matches!(
            prev,
            "to" | "the"
                | "a"
                | "an"
                | "this"
                | "his"
                | "her"
                | "its"
                | "their"
                | "our"
                | "my"
                | "your"
                | "'s"
                | "’s"
                | "not"
                | "n't"
                | "n’t"
                | "never"
                | "no"
                | "of"
                | "for"
        ) || (!is_ing
            && matches!(
                prev,
                "was" | "were" | "been" | "being" | "is" | "are" | "be"
            )))
    }
}
