//! Word classes the clause reader tests tokens against: words that open a clause or a fronted
//! adverbial, auxiliaries and adverbs between a source and its cue, words that end a source on its
//! right, cue lemmas that are nouns as often as verbs, words that announce a title, boundary
//! punctuation and quotation marks; and whether a cue word is used as a reporting verb where it
//! stands ("he said", not "to say", "the report", "was told").
//!
//! The words are data, one list a file under `data/quotes/`, each read once into a set; a test is
//! one hash lookup that does not allocate. Punctuation stays in code: it is typography, not
//! English. It does not read clauses: `content.rs` and `source.rs` use these tests. The reporting
//! verbs themselves are data too (`cues.rs`, `data/reporting_verbs.txt`).

use std::ops::Range;
use std::sync::LazyLock;

use foldhash::HashSet;

use super::super::cues::cue_at;
use super::super::speaker::is_personal_pronoun;
use super::{Reader, Tok};
use crate::lexicon;
use crate::ner::EntityType;

/// A word list from a data file, as a set.
type WordSet = LazyLock<HashSet<&'static str>>;

fn word_set(file: &'static str) -> HashSet<&'static str> {
    lexicon::items(file).collect()
}

static CLAUSE_OPENERS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/clause_openers.txt")));
static SUBORDINATORS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/subordinators.txt")));
static SOURCE_CUE_FILLERS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/source_cue_fillers.txt")));
static RIGHT_SOURCE_ENDERS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/right_source_enders.txt")));
static CIRCUMSTANCE_OPENERS: WordSet = LazyLock::new(|| {
    word_set(include_str!(
        "../../../data/quotes/circumstance_openers.txt"
    ))
});
static NOUN_LIKE_CUES: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/noun_like_cues.txt")));
static TITLE_ANNOUNCERS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/title_announcers.txt")));
static CUE_SUBJECT_WORDS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/cue_subject_words.txt")));
static CUE_NON_VERB_WORDS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/cue_non_verb_words.txt")));
static QUESTION_OPENERS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/question_openers.txt")));
static SOURCE_WORDS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/source_words.txt")));
static CLOSED_CLASS_WORDS: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/closed_class_words.txt")));
static PASSIVE_AUXILIARIES: WordSet =
    LazyLock::new(|| word_set(include_str!("../../../data/quotes/passive_auxiliaries.txt")));
static GROUND_FOR_OWNING_NOUNS: WordSet = LazyLock::new(|| {
    word_set(include_str!(
        "../../../data/quotes/ground_for_owning_nouns.txt"
    ))
});
static GROUND_FOR_TIME_OPENERS: WordSet = LazyLock::new(|| {
    word_set(include_str!(
        "../../../data/quotes/ground_for_time_openers.txt"
    ))
});
static GROUND_FOR_THE_TIME_WORDS: WordSet = LazyLock::new(|| {
    word_set(include_str!(
        "../../../data/quotes/ground_for_the_time_words.txt"
    ))
});
static GROUND_OVER_THE_TIME_WORDS: WordSet = LazyLock::new(|| {
    word_set(include_str!(
        "../../../data/quotes/ground_over_the_time_words.txt"
    ))
});
static GROUND_AS_NON_OPENERS: WordSet = LazyLock::new(|| {
    word_set(include_str!(
        "../../../data/quotes/ground_as_non_openers.txt"
    ))
});

/// Nouns whose "for" belongs to them ("his support for the plan"), so that it states no ground
/// of a judgement (`data/quotes/ground_for_owning_nouns.txt`).
pub(super) fn owns_its_for(word: &str) -> bool {
    GROUND_FOR_OWNING_NOUNS.contains(word)
}

/// Words with which "for" opens a span of time, not a ground ("for years", "for a decade";
/// `data/quotes/ground_for_time_openers.txt`).
pub(super) fn opens_time_after_for(word: &str) -> bool {
    GROUND_FOR_TIME_OPENERS.contains(word)
}

/// Words with which "for the" makes a span of time ("for the first time";
/// `data/quotes/ground_for_the_time_words.txt`).
pub(super) fn opens_time_after_for_the(word: &str) -> bool {
    GROUND_FOR_THE_TIME_WORDS.contains(word)
}

/// Words with which "over the" makes a span of time ("over the weekend";
/// `data/quotes/ground_over_the_time_words.txt`).
pub(super) fn opens_time_after_over_the(word: &str) -> bool {
    GROUND_OVER_THE_TIME_WORDS.contains(word)
}

/// Words after which "as" characterises nothing: a clause, a phrase or an office ("as it
/// passed", "as well", "as president"; `data/quotes/ground_as_non_openers.txt`).
pub(super) fn opens_no_characterisation_after_as(word: &str) -> bool {
    GROUND_AS_NON_OPENERS.contains(word)
}

/// Words that end a source on its left: clause openers (`data/quotes/clause_openers.txt`).
pub(super) fn opens_clause(word: &str) -> bool {
    CLAUSE_OPENERS.contains(word)
}

/// Conjunctions that, opening a sentence, make its first clause subordinate ("After …, the party
/// …"; `data/quotes/subordinators.txt`).
pub(super) fn opens_subordinate_clause(word: &str) -> bool {
    SUBORDINATORS.contains(word)
}

/// Prepositions and conjunctions that, first after a cue with no "that", open a circumstance of
/// the act, not what was said ("spoke on Saturday at the gala"), from
/// `data/quotes/circumstance_openers.txt`.
pub(super) fn opens_circumstance(word: &str) -> bool {
    CIRCUMSTANCE_OPENERS.contains(word)
}

/// Auxiliaries and adverbs between a source and its cue ("has also said", "later told"), from
/// `data/quotes/source_cue_fillers.txt`.
pub(super) fn is_aux_or_adverb(word: &str) -> bool {
    SOURCE_CUE_FILLERS.contains(word)
}

/// Words that open the question after "asked" ("whether", "about", "to"), from
/// `data/quotes/question_openers.txt`.
pub(super) fn opens_question(word: &str) -> bool {
    QUESTION_OPENERS.contains(word)
}

/// Determiners, group nouns and shares of people that make a run of words a possible source
/// ("critics", "47 percent", "most"), from `data/quotes/source_words.txt`.
pub(super) fn is_source_word(word: &str) -> bool {
    SOURCE_WORDS.contains(word)
}

/// Whether a lower-case word looks like a plural noun ("voters", "economists", "polls"): letters
/// ending in one "s", not "-ss", "-us" or "-is", and no closed-class word ("this", "its").
/// Without a part-of-speech tagger this also takes a verb in "-s"; the clause reader asks it only
/// of the last word of a possible source, next to a reporting verb, where a verb rarely stands.
pub(super) fn is_plural_noun(word: &str) -> bool {
    word.len() >= 4
        && word.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && word.ends_with('s')
        && !(word.ends_with("ss") || word.ends_with("us") || word.ends_with("is"))
        && !CLOSED_CLASS_WORDS.contains(word)
}

/// Words that end a source on its right ("said Corbyn in a statement"), from
/// `data/quotes/right_source_enders.txt`.
pub(super) fn ends_right_source(word: &str) -> bool {
    RIGHT_SOURCE_ENDERS.contains(word)
}

/// Lemmas of cues that are nouns as often as verbs ("the report", "an attack", "a tweet"), from
/// `data/quotes/noun_like_cues.txt`.
fn is_noun_like(lemma: &str) -> bool {
    NOUN_LIKE_CUES.contains(lemma)
}

/// Words before a passage that make it a title or a name, not speech ("titled “…”"), from
/// `data/quotes/title_announcers.txt`.
pub(super) fn names_a_title(word: &str) -> bool {
    TITLE_ANNOUNCERS.contains(word)
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

    /// Whether the cue at `cue_idx` is used as a reporting verb: not "to say", not "the report", not
    /// "was told", not a capitalised word inside a name.
    pub(super) fn is_verb_use(&self, cue_idx: usize, sentence: &Range<usize>) -> bool {
        let tok = &self.toks[cue_idx];
        if tok.capital && cue_idx > sentence.start && !self.is_title_case(sentence) {
            return false;
        }
        if let Some(next) = self
            .toks
            .get(cue_idx + 1)
            .filter(|_| cue_idx + 1 < sentence.end)
        {
            if next.lower == "by" {
                return false;
            }
        }
        if cue_idx == sentence.start {
            return true;
        }
        let prev = self.toks[cue_idx - 1].lower.as_str();
        // "He went on to lambast …": the infinitive reports the act.
        if prev == "to" && cue_idx >= sentence.start + 2 && self.toks[cue_idx - 2].lower == "on" {
            return true;
        }
        // "a massive attack", "officials’ report": a word that is a noun as often as a verb is a
        // cue only after a subject-like word.
        if let Some(cue) = cue_at(&[tok.lower.as_str()]) {
            let lemma_verb = cue.cue.lemma.split(' ').next().unwrap_or("");
            let base_or_s =
                tok.lower == lemma_verb || tok.lower.trim_end_matches('s') == lemma_verb;
            if base_or_s && is_noun_like(lemma_verb) {
                let prev_tok = &self.toks[cue_idx - 1];
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
                    || CUE_SUBJECT_WORDS.contains(prev)
                    || (prev.ends_with("ly") && !prev_tok.capital);
                if !subject_like {
                    return false;
                }
            }
        }
        let is_ing = tok.lower.ends_with("ing");
        !(CUE_NON_VERB_WORDS.contains(prev) || (!is_ing && PASSIVE_AUXILIARIES.contains(prev)))
    }
}
