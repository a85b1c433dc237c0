//! Types made consistent per surface form: every mention of a name gets the type most of its
//! mentions voted for, with votes from the words around it and the gazetteers.
//!
//! The tagger decides sentence by sentence and may call "Soleimani" a person in one sentence and a
//! place in the next. Each mention votes for its type (ties go to the first seen); a name before a
//! place word ("Portmere council") votes for a place; a whole gazetteer entry votes for its class;
//! a lone surname votes with the full name it ends, and the other way round. It neither adds nor
//! removes mentions.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::named::{is_initial, surface_key, NamedMention};
use crate::ner::EntityType;

/// Each surface form's votes: `(type, weight)` in order of first vote.
type Votes = HashMap<String, Vec<(EntityType, usize)>>;

/// Adds `weight` to a form's vote for `entity_type`, opening the vote if it is the first.
fn add_vote(counts: &mut Vec<(EntityType, usize)>, entity_type: EntityType, weight: usize) {
    match counts.iter_mut().find(|(t, _)| *t == entity_type) {
        Some((_, n)) => *n += weight,
        None => counts.push((entity_type, weight)),
    }
}

/// The sum of a form's votes.
fn total(counts: &[(EntityType, usize)]) -> usize {
    counts.iter().map(|(_, n)| *n).sum()
}

/// Words after a name that make it a place (`data/gazetteer/place_followers.txt`).
static PLACE_FOLLOWERS: LazyLock<foldhash::HashSet<&'static str>> = LazyLock::new(|| {
    crate::lexicon::items(include_str!("../../data/gazetteer/place_followers.txt")).collect()
});

/// Byte offsets in `text` right after which a place word follows ("Portmere| council",
/// "Portmere| Council" in a headline): one space or no-break space, then a word of letters that
/// is one of [`PLACE_FOLLOWERS`]. Found in one pass, so each name form is then checked only at
/// these few offsets instead of searched for through the whole text.
fn ends_before_place_words(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut word_start: Option<usize> = None;
    let boundary = std::iter::once((text.len(), ' '));
    for (at, c) in text.char_indices().chain(boundary) {
        if at < text.len() && c.is_alphabetic() {
            word_start.get_or_insert(at);
            continue;
        }
        let Some(start) = word_start.take() else {
            continue;
        };
        let Some(space) = text[..start].chars().next_back() else {
            continue;
        };
        if space != ' ' && space != '\u{a0}' {
            continue;
        }
        let word = &text[start..at];
        let is_place_word = if word.chars().all(char::is_lowercase) {
            PLACE_FOLLOWERS.contains(word)
        } else {
            PLACE_FOLLOWERS.contains(word.to_lowercase().as_str())
        };
        if is_place_word {
            ends.push(start - space.len_utf8());
        }
    }
    ends
}

/// Gives every mention the type its surface form won.
pub(super) fn make_types_consistent(text: &str, mentions: &mut [NamedMention]) {
    let mut votes = tagger_votes(text, mentions);
    vote_places_before_place_words(text, &mut votes);
    let person_name_words = person_name_words(text, mentions);
    vote_gazetteer_entries(&mut votes);
    vote_full_names_of_lone_people(&mut votes);
    vote_people_named_alone(&mut votes, person_name_words);
    for mention in mentions.iter_mut() {
        let key = surface_key(&text[mention.span.start..mention.span.end]);
        if let Some(counts) = votes.get(&key) {
            // max_by_key keeps the last maximum; iterate reversed so ties go to the first seen.
            if let Some((entity_type, _)) = counts.iter().rev().max_by_key(|(_, n)| *n) {
                mention.entity_type = *entity_type;
            }
        }
    }
}

/// One vote a mention for the type the tagger gave it.
fn tagger_votes(text: &str, mentions: &[NamedMention]) -> Votes {
    let mut votes: Votes = HashMap::new();
    for mention in mentions {
        let counts = votes
            .entry(surface_key(&text[mention.span.start..mention.span.end]))
            .or_default();
        add_vote(counts, mention.entity_type, 1);
    }
    votes
}

/// "Portmere council": each use of a name before a place word votes for a place, outweighing
/// its own vote and one more use (the tagger reads an unknown town as a person, or misses it).
/// The text is searched, since the tagger may have left that use untagged. A party's name is a
/// gazetteer organisation, whose vote outweighs all ("Labour councillors"). A nationality stays
/// one ("Russian police").
fn vote_places_before_place_words(text: &str, votes: &mut Votes) {
    let place_word_ends = ends_before_place_words(text);
    if place_word_ends.is_empty() {
        return;
    }
    for (form, counts) in votes.iter_mut() {
        if counts.iter().any(|(t, _)| *t == EntityType::Norp) {
            continue;
        }
        let uses = place_word_ends
            .iter()
            .filter(|&&end| {
                let Some(start) = end.checked_sub(form.len()) else {
                    return false;
                };
                text.get(start..end) == Some(form.as_str())
                    && !text[..start].ends_with(char::is_alphanumeric)
            })
            .count();
        if uses > 0 {
            add_vote(counts, EntityType::Gpe, 3 * uses);
        }
    }
}

/// The first and last words of multi-word person names, with how often each opens or ends one
/// ("Wang" after "Wang Donghai": surname first; a first name used alone). Initials are left out.
fn person_name_words(text: &str, mentions: &[NamedMention]) -> HashMap<String, usize> {
    let mut person_name_words: HashMap<String, usize> = HashMap::new();
    for mention in mentions
        .iter()
        .filter(|m| m.entity_type == EntityType::Person && m.token_end - m.token_start >= 2)
    {
        let surface = &text[mention.span.start..mention.span.end];
        if let Some(last) = surface.split_whitespace().last() {
            *person_name_words.entry(surface_key(last)).or_default() += 1;
        }
        if let Some(first) = surface.split_whitespace().next().filter(|w| !is_initial(w)) {
            *person_name_words.entry(surface_key(first)).or_default() += 1;
        }
    }
    person_name_words
}

/// Gazetteers vote too: "London" is a city however the tagger saw it in one sentence.
fn vote_gazetteer_entries(votes: &mut Votes) {
    use crate::gazetteer::{
        CITY, CONTINUES, COUNTRY, FIRST_NAME, NATIONALITY, ORGANISATION, REGION,
    };
    for (form, counts) in votes.iter_mut() {
        let words: Vec<&str> = form.split_whitespace().collect();
        let flags = crate::gazetteer::classify(&words);
        let whole_entry = !flags.is_empty() && flags.iter().skip(1).all(|f| f & CONTINUES != 0);
        if !whole_entry {
            continue;
        }
        let class = flags[0];
        // Countries always; cities unless also a first name ("Paris"); surnames are too many to veto.
        let prior = if class & COUNTRY != 0 || (class & CITY != 0 && class & FIRST_NAME == 0) {
            Some(EntityType::Gpe)
        } else if class & REGION != 0 {
            Some(EntityType::Loc)
        } else if class & NATIONALITY != 0 {
            Some(EntityType::Norp)
        } else if class & ORGANISATION != 0 {
            Some(EntityType::Org)
        } else {
            None
        };
        // A country's name is the country whatever the sentence made of it ("France" after a
        // player's name in a results list), a party's the party ("Labour" typed a place in
        // "Labour heartlands") and a faith's or a people's the group ("Islam", never a place):
        // their vote outweighs the tagger's.
        let outweighs = class & COUNTRY != 0
            || prior == Some(EntityType::Org)
            || prior == Some(EntityType::Norp);
        let weight = if outweighs { total(counts) + 2 } else { 2 };
        if let Some(entity_type) = prior {
            add_vote(counts, entity_type, weight);
        }
    }
}

/// A full name whose surname stands alone as a person is a person: "Qasem Soleimani" when
/// "Soleimani" is mostly tagged PERSON.
fn vote_full_names_of_lone_people(votes: &mut Votes) {
    let lone_person: std::collections::HashSet<String> = votes
        .iter()
        .filter(|(form, counts)| {
            !form.contains(' ')
                && counts
                    .iter()
                    .max_by_key(|(_, n)| *n)
                    .is_some_and(|(t, _)| *t == EntityType::Person)
        })
        .map(|(form, _)| form.clone())
        .collect();
    for (form, counts) in votes.iter_mut() {
        if let Some(last) = form
            .split_whitespace()
            .last()
            .filter(|_| form.contains(' '))
        {
            if lone_person.contains(last) {
                let boost = total(counts) + 1;
                add_vote(counts, EntityType::Person, boost);
            }
        }
    }
}

/// A word that opens or ends a person's full name in this article is that person when it
/// stands alone, whatever the tagger or the gazetteers said ("Wang", "Jordan").
fn vote_people_named_alone(votes: &mut Votes, person_name_words: HashMap<String, usize>) {
    for (word, n) in person_name_words {
        if let Some(counts) = votes.get_mut(&word) {
            let boost = total(counts) + n;
            add_vote(counts, EntityType::Person, boost);
        }
    }
}
