//! An office or rank written before a name makes that name a person: "Councillor Priya
//! Natarajan", tagged as one organisation because "Councillor" looks like the start of a
//! council's name, is the person "Priya Natarajan" (the title stays in the text for the roles).
//!
//! The tagger reads a sentence at a time and has seen offices head institutions' names
//! ("Minister of Defence", "Governor's Office"), so a capitalised office before a name it does
//! not know can pull the name into an organisation or a place. This pass only re-reads such a
//! mention; it finds no new mentions, and it leaves alone what follows the office unless it
//! looks like a person's name (see [`looks_like_personal_name`]). Honorifics ("Ayatollah",
//! "Sheikh") are `patterns.rs`'s; "Mr", "Lord" keep their title (`mentions.rs`).

use foldhash::HashSet;
use std::sync::LazyLock;

use super::named::{mention_at, NamedMention};
use super::SentenceTokens;
use crate::gazetteer::{
    self, CITY, COUNTRY, FIRST_NAME, NATIONALITY, ORGANISATION, REGION, SURNAME,
};
use crate::lexicon;
use crate::ner::EntityType;

static OFFICE_TITLES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/office_titles.txt")).collect()
});
/// Nouns that name institutions and groups, not people: a name ending in one is no person.
static INSTITUTION_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/institution_heads.txt"))
        .chain(lexicon::items(include_str!(
            "../../data/gazetteer/organisation_nouns.txt"
        )))
        .collect()
});
static FUNCTION_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/english_function_words.txt"))
        .chain(lexicon::items(lexicon::sentence_starters()))
        .collect()
});
static LEGAL_FORMS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/legal_forms.txt")).collect()
});

/// At most this many words of a name follow the office.
const MAX_NAME_WORDS: usize = 3;

fn is_office(word: &str) -> bool {
    word.starts_with(char::is_uppercase)
        && OFFICE_TITLES.contains(word.trim_end_matches('.').to_lowercase().as_str())
}

/// A word that can be part of a person's name: capitalised and written in lower case after its
/// first letter ("Natarajan", "O'Neill", "al-Muhandis"; not "NATO" or "2020"), no title, no
/// institution noun, no function word, no legal form.
fn name_word(word: &str) -> bool {
    let mut chars = word.chars();
    let opens_upper = chars.next().is_some_and(char::is_uppercase);
    let rest_ok =
        chars.all(|c| c.is_lowercase() || matches!(c, '\'' | '’' | '-') || c.is_uppercase());
    let lower = word.to_lowercase();
    opens_upper
        && rest_ok
        && word.chars().any(char::is_lowercase)
        && !lexicon::is_title(word)
        && !INSTITUTION_WORDS.contains(lower.as_str())
        && !FUNCTION_WORDS.contains(lower.as_str())
        && !LEGAL_FORMS.contains(word.trim_end_matches('.'))
}

/// Whether the words after an office read as a person's name: one to three name words, none a
/// country, nationality or known organisation, none a city or region unless it is also a
/// name ("London Breed"); a single word must be a known first name or surname ("President
/// Trump", not "General Motors").
fn looks_like_personal_name(words: &[&str]) -> bool {
    if words.is_empty() || words.len() > MAX_NAME_WORDS || !words.iter().all(|w| name_word(w)) {
        return false;
    }
    let flags = gazetteer::classify(words);
    let no_place_or_group = flags.iter().all(|f| {
        f & (COUNTRY | NATIONALITY | ORGANISATION) == 0
            && (f & (CITY | REGION) == 0 || f & (FIRST_NAME | SURNAME) != 0)
    });
    let known_name = flags.iter().any(|f| f & (FIRST_NAME | SURNAME) != 0);
    no_place_or_group && (words.len() >= 2 || known_name)
}

/// Re-reads every mention that is not a person and opens with capitalised offices
/// ("Councillor", "Prime Minister", "Chief Justice"): when the words after the last office look
/// like a person's name, the mention becomes that person, without the offices.
pub(super) fn people_after_office_titles(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut [NamedMention],
) {
    for mention in mentions.iter_mut() {
        if mention.entity_type == EntityType::Person {
            continue;
        }
        let words = sentences[mention.sentence_idx].words(text);
        // The run of titles at the mention's start ("Prime Minister", "Chief Justice"); its
        // last word must be an office that stands before names.
        let mut after_titles = mention.token_start;
        while after_titles < mention.token_end
            && words[after_titles].starts_with(char::is_uppercase)
            && lexicon::is_title(words[after_titles])
        {
            after_titles += 1;
        }
        if after_titles == mention.token_start || !is_office(words[after_titles - 1]) {
            continue;
        }
        if looks_like_personal_name(&words[after_titles..mention.token_end]) {
            *mention = mention_at(
                sentences,
                mention.sentence_idx,
                after_titles,
                mention.token_end,
                EntityType::Person,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::test_support::sentence_tokens;

    fn retyped(
        text: &str,
        start: usize,
        end: usize,
        entity_type: EntityType,
    ) -> (String, EntityType) {
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, start, end, entity_type)];
        people_after_office_titles(text, &sentences, &mut mentions);
        let mention = &mentions[0];
        (
            text[mention.span.start..mention.span.end].to_string(),
            mention.entity_type,
        )
    }

    #[test]
    fn a_councillor_tagged_as_an_organisation_is_the_person_named_after_the_title() {
        let text = "The opposition leader , Councillor Mira Okonkwo-Hale , objected .";
        // "Councillor Mira Okonkwo-Hale" as the tagger might give it: one organisation.
        assert_eq!(
            retyped(text, 4, 7, EntityType::Org),
            ("Mira Okonkwo-Hale".to_string(), EntityType::Person)
        );
    }

    #[test]
    fn several_titles_are_left_out_together() {
        let text = "Prime Minister Tomas Vell arrived .";
        assert_eq!(
            retyped(text, 0, 4, EntityType::Gpe),
            ("Tomas Vell".to_string(), EntityType::Person)
        );
    }

    #[test]
    fn an_institution_or_company_after_an_office_word_stays_an_organisation() {
        for (text, end) in [
            ("General Motors said so .", 2),
            ("Governor General Office said so .", 3),
            ("President Hotel Group said so .", 3),
            ("Minister Ferry Council said so .", 3),
        ] {
            assert_eq!(
                retyped(text, 0, end, EntityType::Org).1,
                EntityType::Org,
                "{text}"
            );
        }
    }

    #[test]
    fn a_place_after_an_office_word_is_no_person() {
        let text = "Governor Texas Ranchers met .";
        assert_eq!(retyped(text, 0, 3, EntityType::Org).1, EntityType::Org);
    }
}
