//! Datelines: a line that is only a place and a date ("SEOUL 1996-08-30", "Nouakchott
//! 2024-05-13") names where the story was filed, so the place is a place.
//!
//! The tagger reads such a line as a headline in capitals and often calls the word an
//! organisation (a team, an agency). This pass retypes or adds the place's mention on those
//! lines only; places inside sentences are the tagger's and the type votes' (`consistency.rs`).

use super::named::{mention_at, replace_overlapping, NamedMention};
use super::SentenceTokens;
use crate::ner::EntityType;

/// At most this many words name the place of a dateline.
const MAX_PLACE_WORDS: usize = 4;

/// A date written as `YYYY-MM-DD`.
fn is_iso_date(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    matches!(parts[..], [year, month, day]
        if year.len() == 4 && month.len() == 2 && day.len() == 2
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())))
}

/// A word of a dateline's place: capitalised letters ("SEOUL", "Rio", "AL-RAM", "ST.").
fn place_word(word: &str) -> bool {
    word.starts_with(char::is_uppercase)
        && word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\''))
}

/// Makes the place of every dateline line one place mention.
pub(super) fn dateline_places(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut places = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let words = sentence.words(text);
        let Some((date, place)) = words.split_last() else {
            continue;
        };
        if is_iso_date(date)
            && !place.is_empty()
            && place.len() <= MAX_PLACE_WORDS
            && place.iter().all(|w| place_word(w))
        {
            places.push(mention_at(
                sentences,
                sentence_idx,
                0,
                place.len(),
                EntityType::Gpe,
            ));
        }
    }
    for place in places {
        replace_overlapping(mentions, place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::test_support::{sentence_tokens, surfaces};

    #[test]
    fn the_place_of_a_dateline_is_a_place_whatever_the_tagger_said() {
        let text = "NEW PORTMERE 2024-05-13\nPORTMERE 3 Kelby 2 2024-05-13";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention_at(&sentences, 0, 0, 2, EntityType::Org),
            mention_at(&sentences, 1, 0, 1, EntityType::Org),
        ];
        dateline_places(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            [
                ("NEW PORTMERE".to_string(), EntityType::Gpe),
                ("PORTMERE".to_string(), EntityType::Org),
            ]
        );
    }
}
