//! Mentions fixed by the shape of the words around them, after the tagger: gazetteer names kept
//! whole ("Sri Lanka", not "Sri" and "Lanka"), peers' names ("Lord Ahmed of Rotherham"), clerical
//! and honorific titles moved out of names ("Ayatollah al- Uzma Sayyid Ali Khamenei"), a district
//! cut from the city after it ("Maida Vale London"), person mentions cut at common words
//! ("Bevan c Vaas" in a scorecard), organisations that the text itself calls one ("the Stand
//! for Peace interfaith organisation", "the campaign group Stand for Peace"), and street names kept
//! whole as places ("Quay Lane", "Downing Street").
//!
//! The tagger sees one sentence through a window of two words and learnt from one outlet; these
//! rules read phrases it cannot. Each works on any article: the words they rely on are lists in
//! `data/gazetteer/` (peerage titles, honorifics, organisation nouns, name particles). They do not
//! decide types across the article; `mentions.rs` does that afterwards.

use foldhash::{HashMap, HashSet};
use std::sync::LazyLock;

use super::named::{mention_at, replace_overlapping, BySentence, NamedMention};
use super::SentenceTokens;
use crate::gazetteer::{self, CITY, CONTINUES, COUNTRY, NATIONALITY, ORGANISATION, REGION};
use crate::lexicon;
use crate::ner::EntityType;

static PEERAGE_TITLES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/peerage_titles.txt")).collect()
});
static HONORIFICS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lexicon::items(include_str!("../../data/gazetteer/honorifics.txt")).collect());
static ORGANISATION_NOUNS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/organisation_nouns.txt")).collect()
});
static STREET_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/street_words.txt")).collect()
});
/// Lower-case words that open sentences or join them, and calendar words: a capitalised one
/// before a street name is not part of it ("On Monday Downing Street said").
static NOT_IN_STREET_NAMES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    lexicon::items(lexicon::sentence_starters())
        .chain(lexicon::items(include_str!(
            "../../data/english_function_words.txt"
        )))
        .map(str::to_string)
        .chain(
            lexicon::months()
                .into_iter()
                .flat_map(|(_, spellings)| spellings)
                .map(str::to_lowercase),
        )
        .chain(WEEKDAYS.iter().map(|day| day.to_string()))
        .collect()
});
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
static NAME_PARTICLES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/name_particles.txt")).collect()
});
/// Named events: first word → every name it opens, longest first.
static EVENTS: LazyLock<HashMap<&'static str, Vec<Vec<&'static str>>>> = LazyLock::new(|| {
    let mut events: HashMap<&'static str, Vec<Vec<&'static str>>> = HashMap::default();
    for line in lexicon::items(include_str!("../../data/gazetteer/events.txt")) {
        let words: Vec<&'static str> = line.split_whitespace().collect();
        if let Some(first) = words.first() {
            events.entry(first).or_default().push(words);
        }
    }
    for names in events.values_mut() {
        names.sort_by_key(|words| std::cmp::Reverse(words.len()));
    }
    events
});

use crate::gazetteer::written_form as gazetteer_form;

/// Lower-case words that may join the capitalised words of an organisation's name ("Stand for
/// Peace", "Organisation of Islamic Cooperation").
const NAME_CONNECTORS: [&str; 5] = ["of", "for", "and", "on", "in"];

fn capitalised(word: &str) -> bool {
    word.starts_with(char::is_uppercase)
}

/// Whether a mention of the sentence overlaps tokens `[start, end)` with a person.
fn overlaps_person(
    mentions: &[NamedMention],
    sentence_idx: usize,
    start: usize,
    end: usize,
) -> bool {
    mentions.iter().any(|m| {
        m.sentence_idx == sentence_idx
            && m.token_start < end
            && m.token_end > start
            && m.entity_type == EntityType::Person
    })
}

/// Cuts a person's mention at a lower-case word that is no name particle: in "M. Bevan c Vaas b
/// Chandana" (a scorecard: caught Vaas, bowled Chandana) the tagger ran three names into one.
/// "of" in a peer's name ("Lord Ahmed of Rotherham") stays.
pub(super) fn split_people_at_common_words(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut out = Vec::with_capacity(mentions.len());
    for mention in mentions.drain(..) {
        if mention.entity_type != EntityType::Person {
            out.push(mention);
            continue;
        }
        let words = &sentences[mention.sentence_idx].words(text);
        let peer = PEERAGE_TITLES.contains(words[mention.token_start]);
        let mut piece_start = mention.token_start;
        for (idx, word) in words
            .iter()
            .enumerate()
            .take(mention.token_end)
            .skip(mention.token_start)
        {
            let may_stand_in_name =
                word.contains('-') || NAME_PARTICLES.contains(word) || (peer && *word == "of");
            if word.starts_with(char::is_lowercase) && !may_stand_in_name {
                if piece_start < idx {
                    out.push(mention_at(
                        sentences,
                        mention.sentence_idx,
                        piece_start,
                        idx,
                        EntityType::Person,
                    ));
                }
                piece_start = idx + 1;
            }
        }
        if piece_start < mention.token_end {
            out.push(mention_at(
                sentences,
                mention.sentence_idx,
                piece_start,
                mention.token_end,
                EntityType::Person,
            ));
        }
    }
    *mentions = out;
}

/// The type a whole gazetteer entry names, from its classes.
fn type_of_entry(class: u8) -> Option<EntityType> {
    if class & (COUNTRY | CITY) != 0 {
        Some(EntityType::Gpe)
    } else if class & REGION != 0 {
        Some(EntityType::Loc)
    } else if class & ORGANISATION != 0 {
        Some(EntityType::Org)
    } else if class & NATIONALITY != 0 {
        Some(EntityType::Norp)
    } else {
        None
    }
}

/// Keeps a multi-word gazetteer name whole, in capitals too: mentions the tagger cut inside "Sri
/// Lanka", "Czech Republic" or "SRI LANKA" become one mention of the entry, and an untagged capitalised country or city of
/// several words ("New Zealand") becomes a mention. A mention that contains the entry ("New York
/// Times") is left alone.
pub(super) fn keep_gazetteer_entries_whole(
    text: &str,
    sentences: &[SentenceTokens],
    all_mentions: &mut Vec<NamedMention>,
) {
    let mut by_sentence = BySentence::new(std::mem::take(all_mentions));
    let mut replaced = false;
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let mentions = by_sentence.sentence(sentence_idx);
        let forms: Vec<std::borrow::Cow<'_, str>> = sentence
            .words(text)
            .into_iter()
            .map(gazetteer_form)
            .collect();
        let words: Vec<&str> = forms.iter().map(|w| w.as_ref()).collect();
        let flags = gazetteer::classify(&words);
        let mut idx = 0;
        while idx < words.len() {
            let mut end = idx + 1;
            while end < words.len() && flags[end] & CONTINUES != 0 {
                end += 1;
            }
            let whole = end - idx >= 2
                && flags[idx] & CONTINUES == 0
                && words[idx..end].iter().all(|w| capitalised(w));
            let entry_type = type_of_entry(flags[idx] & !CONTINUES);
            let (start, entry_end) = (idx, end);
            idx = end;
            let (true, Some(entry_type)) = (whole, entry_type) else {
                continue;
            };
            let overlapping: Vec<&NamedMention> = mentions
                .iter()
                .filter(|m| {
                    m.sentence_idx == sentence_idx
                        && m.token_start < entry_end
                        && m.token_end > start
                })
                .collect();
            let inside = overlapping
                .iter()
                .all(|m| m.token_start >= start && m.token_end <= entry_end);
            let already = overlapping
                .iter()
                .any(|m| m.token_start == start && m.token_end == entry_end);
            let untagged_place = overlapping.is_empty() && flags[start] & (COUNTRY | CITY) != 0;
            if inside && !already && (!overlapping.is_empty() || untagged_place) {
                let replacement = mention_at(sentences, sentence_idx, start, entry_end, entry_type);
                replace_overlapping(mentions, replacement);
                replaced = true;
            }
        }
    }
    *all_mentions = by_sentence.into_mentions(replaced);
}

/// Named events of `data/gazetteer/events.txt` ("World Cup", "WORLD CUP", "Tour de France"): the
/// mentions inside one become one event, and a mention holding one ("Singer World Series") is an
/// event; a person's name is left alone.
pub(super) fn named_events(
    text: &str,
    sentences: &[SentenceTokens],
    all_mentions: &mut Vec<NamedMention>,
) {
    let mut by_sentence = BySentence::new(std::mem::take(all_mentions));
    let mut replaced = false;
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let mentions = by_sentence.sentence(sentence_idx);
        let forms: Vec<std::borrow::Cow<'_, str>> = sentence
            .words(text)
            .into_iter()
            .map(gazetteer_form)
            .collect();
        let mut idx = 0;
        while idx < forms.len() {
            let found = EVENTS.get(forms[idx].as_ref()).and_then(|names| {
                names.iter().find(|name| {
                    idx + name.len() <= forms.len()
                        && name
                            .iter()
                            .zip(&forms[idx..])
                            .all(|(a, b)| *a == b.as_ref())
                })
            });
            let Some(name) = found else {
                idx += 1;
                continue;
            };
            let (start, end) = (idx, idx + name.len());
            idx = end;
            let overlapping: Vec<usize> = (0..mentions.len())
                .filter(|&m| {
                    mentions[m].sentence_idx == sentence_idx
                        && mentions[m].token_start < end
                        && mentions[m].token_end > start
                })
                .collect();
            if overlapping
                .iter()
                .any(|&m| mentions[m].entity_type == EntityType::Person)
            {
                continue;
            }
            match overlapping.as_slice() {
                [m] if mentions[*m].token_start <= start && mentions[*m].token_end >= end => {
                    mentions[*m].entity_type = EntityType::Event;
                }
                _ if overlapping
                    .iter()
                    .all(|&m| mentions[m].token_start >= start && mentions[m].token_end <= end) =>
                {
                    let event = mention_at(sentences, sentence_idx, start, end, EntityType::Event);
                    replace_overlapping(mentions, event);
                    replaced = true;
                }
                _ => {}
            }
        }
    }
    *all_mentions = by_sentence.into_mentions(replaced);
}

/// Capitalised words before a street word a street name may have ("Martin Luther King Jr
/// Boulevard" has four).
const MAX_STREET_NAME_WORDS: usize = 4;

/// "Downing Street", "Quay Lane", "Tahrir Square": capitalised words ending in a street word
/// (`data/gazetteer/street_words.txt`) are one place, whatever the tagger made of the parts (it
/// read "Ferry Street" as an organisation and "Lane" alone as an event). A run the tagger read
/// whole as a person stays one ("Nathan Lane"), as does a longer mention the run sits inside.
pub(super) fn street_names(
    text: &str,
    sentences: &[SentenceTokens],
    all_mentions: &mut Vec<NamedMention>,
) {
    let mut by_sentence = BySentence::new(std::mem::take(all_mentions));
    let mut replaced = false;
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let mentions = by_sentence.sentence(sentence_idx);
        let words = sentence.words(text);
        for (end_idx, word) in words.iter().enumerate().skip(1) {
            if !STREET_WORDS.contains(word) {
                continue;
            }
            let mut start = end_idx;
            while start > 0
                && end_idx - start < MAX_STREET_NAME_WORDS
                && capitalised(words[start - 1])
                && words[start - 1].chars().any(char::is_alphabetic)
                && !HONORIFICS.contains(words[start - 1])
                && !NOT_IN_STREET_NAMES.contains(&words[start - 1].to_lowercase())
            {
                start -= 1;
            }
            if start == end_idx {
                continue;
            }
            let end = end_idx + 1;
            let overlapping: Vec<&NamedMention> = mentions
                .iter()
                .filter(|m| {
                    m.sentence_idx == sentence_idx && m.token_start < end && m.token_end > start
                })
                .collect();
            let person_or_wider = overlapping.iter().any(|m| {
                (m.entity_type == EntityType::Person && m.token_end == end)
                    || m.token_start < start
                    || m.token_end > end
            });
            if person_or_wider {
                continue;
            }
            let street = mention_at(sentences, sentence_idx, start, end, EntityType::Loc);
            replace_overlapping(mentions, street);
            replaced = true;
        }
    }
    *all_mentions = by_sentence.into_mentions(replaced);
}

/// "Lord Ahmed of Rotherham", "Baroness Warsi of Dewsbury": a peerage title, one or two
/// capitalised names, "of" and a capitalised place are one person's name, whatever the tagger made
/// of the parts (a person and a city). "Lord Mayor of London" is an office, not a peer.
pub(super) fn peer_names(
    text: &str,
    sentences: &[SentenceTokens],
    all_mentions: &mut Vec<NamedMention>,
) {
    let mut by_sentence = BySentence::new(std::mem::take(all_mentions));
    let mut replaced = false;
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let mentions = by_sentence.sentence(sentence_idx);
        let words = sentence.words(text);
        for idx in 0..words.len() {
            if !PEERAGE_TITLES.contains(words[idx]) {
                continue;
            }
            let name_end = (idx + 1..words.len().min(idx + 3))
                .take_while(|&at| {
                    capitalised(words[at]) && !lexicon::is_title(words[at]) && words[at] != "of"
                })
                .last()
                .map_or(idx + 1, |at| at + 1);
            if name_end == idx + 1 || words.get(name_end) != Some(&"of") {
                continue;
            }
            let place_end = (name_end + 1..words.len().min(name_end + 4))
                .take_while(|&at| {
                    capitalised(words[at]) && words[at].chars().all(char::is_alphabetic)
                })
                .last()
                .map_or(name_end + 1, |at| at + 1);
            if place_end == name_end + 1 {
                continue;
            }
            let peer = mention_at(sentences, sentence_idx, idx, place_end, EntityType::Person);
            replace_overlapping(mentions, peer);
            replaced = true;
        }
    }
    *all_mentions = by_sentence.into_mentions(replaced);
}

/// Moves clerical and honorific titles out of a name: "Ayatollah al- Uzma Sayyid Ali Khamenei",
/// tagged as one organisation, is the person "Sayyid Ali Khamenei" (the titles stay in the text
/// for the roles). "Grand" counts only next to another honorific ("Grand Ayatollah", not "Grand
/// Canyon"); a bare Arabic article ("al-") belongs to the honorific after it. What is left must
/// look like a name: up to four capitalised words, none an organisation noun ("Imam Reza Shrine
/// Foundation" is not a person).
pub(super) fn honorific_titles(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut [NamedMention],
) {
    for mention in mentions.iter_mut() {
        let words = &sentences[mention.sentence_idx].words(text);
        let mut start = mention.token_start;
        let mut strong = false;
        while start < mention.token_end {
            let word = words[start].trim_end_matches('.');
            let particle_before_honorific = matches!(word, "al-" | "al" | "el-")
                && words
                    .get(start + 1)
                    .is_some_and(|next| HONORIFICS.contains(next));
            if HONORIFICS.contains(word) {
                strong |= !matches!(word, "Grand" | "Uzma" | "al-Uzma");
            } else if !particle_before_honorific {
                break;
            }
            start += 1;
        }
        let rest = &words[start..mention.token_end];
        let name_like = !rest.is_empty()
            && rest.len() <= 4
            && rest
                .iter()
                .all(|w| capitalised(w) && !ORGANISATION_NOUNS.contains(w.to_lowercase().as_str()));
        if strong && start > mention.token_start && name_like {
            *mention = mention_at(
                sentences,
                mention.sentence_idx,
                start,
                mention.token_end,
                EntityType::Person,
            );
        }
    }
}

/// Cuts the city off a place written before it without a comma: "Maida Vale London" is the
/// district "Maida Vale" and the city "London". The city must be a whole gazetteer entry ending
/// the mention, the rest at least two words, and the whole no gazetteer entry itself ("Salt Lake
/// City", "New York" stay).
pub(super) fn split_place_before_city(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut out = Vec::with_capacity(mentions.len());
    for mention in mentions.drain(..) {
        let is_place = matches!(mention.entity_type, EntityType::Gpe | EntityType::Loc);
        let words = &sentences[mention.sentence_idx].words(text);
        let (start, end) = (mention.token_start, mention.token_end);
        let is_whole_entry = |from: usize| {
            let flags = gazetteer::classify(&words[from..end]);
            flags[0] & (COUNTRY | CITY) != 0
                && flags[0] & CONTINUES == 0
                && flags[1..].iter().all(|f| f & CONTINUES != 0)
        };
        let city_start = if is_place && end - start >= 3 && !is_whole_entry(start) {
            (start + 2..end).find(|&from| is_whole_entry(from))
        } else {
            None
        };
        match city_start {
            Some(city_start) => {
                let place = mention_at(
                    sentences,
                    mention.sentence_idx,
                    start,
                    city_start,
                    mention.entity_type,
                );
                out.push(place);
                out.push(mention_at(
                    sentences,
                    mention.sentence_idx,
                    city_start,
                    end,
                    EntityType::Gpe,
                ));
            }
            None => out.push(mention),
        }
    }
    *mentions = out;
}

/// The capitalised name ending just before token `end` (exclusive): capitalised words, with
/// connectors ("for", "of") between them; its first token, or `None` when there is no name.
fn name_ending_at(words: &[&str], end: usize) -> Option<usize> {
    let mut start = end;
    while start > 0 {
        let word = words[start - 1];
        if capitalised(word) && word.chars().any(char::is_alphabetic) {
            start -= 1;
        } else if NAME_CONNECTORS.contains(&word) && start < end && start >= 2 {
            // A connector only inside the name: a capitalised word must come before it.
            if capitalised(words[start - 2]) {
                start -= 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    (start < end).then_some(start)
}

/// The capitalised name starting at token `start`: its end, or `None`.
fn name_starting_at(words: &[&str], start: usize) -> Option<usize> {
    let mut end = start;
    while end < words.len() {
        let word = words[end];
        let name_word = capitalised(word) && word.chars().any(char::is_alphabetic);
        let connector = NAME_CONNECTORS.contains(&word)
            && end > start
            && words.get(end + 1).is_some_and(|next| capitalised(next));
        if !(name_word || connector) {
            break;
        }
        end += 1;
    }
    (end > start).then_some(end)
}

/// Whether a name reads as an organisation's: no word a country, city, region or nationality on
/// its own ("the Iranian group", "the London-based charity" name no organisation), none ending in
/// a lower-case compound ("-based").
fn could_be_organisation_name(words: &[&str]) -> bool {
    let flags = gazetteer::classify(words);
    let only_places = words.len() == 1 && flags[0] & (COUNTRY | CITY | REGION | NATIONALITY) != 0;
    let compound = words.iter().any(|w| {
        w.split_once('-')
            .is_some_and(|(_, rest)| rest.starts_with(char::is_lowercase))
    });
    let all_places = words
        .iter()
        .zip(&flags)
        .filter(|(w, _)| capitalised(w))
        .all(|(_, f)| f & (COUNTRY | CITY | REGION | NATIONALITY) != 0);
    !only_places && !compound && !all_places
}

/// Organisations the text calls one: "the Stand for Peace interfaith organisation" (the, a name,
/// up to two lower-case words, an organisation noun), "the campaign group Stand for Peace" (the,
/// lower-case words, the noun, the name) and "Stand for Peace, a campaign group" (the name, a comma,
/// an article, the noun). Names made of common words are invisible to the tagger; the noun says
/// what they are. A name the tagger holds for a person is left alone ("the Bill Gates foundation").
pub(super) fn organisations_named_by_context(
    text: &str,
    sentences: &[SentenceTokens],
    all_mentions: &mut Vec<NamedMention>,
) {
    let mut by_sentence = BySentence::new(std::mem::take(all_mentions));
    let mut replaced = false;
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let mentions = by_sentence.sentence(sentence_idx);
        let words = sentence.words(text);
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (noun_idx, noun) in words.iter().enumerate() {
            if !ORGANISATION_NOUNS.contains(noun) {
                continue;
            }
            // Lower-case words before the noun ("interfaith", "campaign"), at most two.
            let mut before = noun_idx;
            while before > 0
                && noun_idx - before < 2
                && words[before - 1].chars().all(char::is_lowercase)
                && !matches!(words[before - 1], "the" | "a" | "an")
            {
                before -= 1;
            }
            // "the <name> … organisation"
            if let Some(name_start) = name_ending_at(&words, before) {
                if name_start > 0 && matches!(words[name_start - 1], "the" | "The") {
                    found.push((name_start, before));
                }
            }
            // "the … group <name>"
            if before > 0 && matches!(words[before - 1], "the" | "The") {
                if let Some(name_end) = name_starting_at(&words, noun_idx + 1) {
                    found.push((noun_idx + 1, name_end));
                }
            }
            // "<name>, a … group"
            if before >= 3 && matches!(words[before - 1], "a" | "an") && words[before - 2] == "," {
                if let Some(name_start) = name_ending_at(&words, before - 2) {
                    found.push((name_start, before - 2));
                }
            }
        }
        for (start, end) in found {
            if could_be_organisation_name(&words[start..end])
                && !overlaps_person(mentions, sentence_idx, start, end)
            {
                let organisation = mention_at(sentences, sentence_idx, start, end, EntityType::Org);
                replace_overlapping(mentions, organisation);
                replaced = true;
            }
        }
    }
    *all_mentions = by_sentence.into_mentions(replaced);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::test_support::{sentence_tokens, surfaces};

    fn owned(expected: &[(&str, EntityType)]) -> Vec<(String, EntityType)> {
        expected.iter().map(|(s, t)| (s.to_string(), *t)).collect()
    }

    #[test]
    fn a_scorecard_line_is_three_people_not_one() {
        let text = "T. Okoro c Marsh b Lindqvist 14";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 0, 6, EntityType::Person)];
        split_people_at_common_words(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[
                ("T. Okoro", EntityType::Person),
                ("Marsh", EntityType::Person),
                ("Lindqvist", EntityType::Person)
            ])
        );
    }

    #[test]
    fn name_particles_stay_inside_a_name() {
        let text = "Pieter van der Berg scored";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 0, 4, EntityType::Person)];
        split_people_at_common_words(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[("Pieter van der Berg", EntityType::Person)])
        );
    }

    #[test]
    fn a_country_cut_in_two_by_the_tagger_is_one_country() {
        let text = "The team from Sri Lanka won";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention_at(&sentences, 0, 3, 4, EntityType::Person),
            mention_at(&sentences, 0, 4, 5, EntityType::Gpe),
        ];
        keep_gazetteer_entries_whole(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[("Sri Lanka", EntityType::Gpe)])
        );
    }

    #[test]
    fn a_mention_containing_a_place_name_is_left_alone() {
        let text = "She wrote for the New York Ledger daily";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 4, 7, EntityType::Org)];
        keep_gazetteer_entries_whole(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[("New York Ledger", EntityType::Org)])
        );
    }

    #[test]
    fn a_country_in_capitals_is_kept_whole_too() {
        let text = "NEW ZEALAND BEAT SRI LANKA";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 3, 4, EntityType::Person)];
        keep_gazetteer_entries_whole(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[
                ("NEW ZEALAND", EntityType::Gpe),
                ("SRI LANKA", EntityType::Gpe)
            ])
        );
    }

    #[test]
    fn a_named_event_is_an_event_in_any_case() {
        let text = "ahead of the WORLD CUP and the Singer World Series , Ana Davis Cup said\n\
                    the World Cup qualifier";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention_at(&sentences, 0, 7, 10, EntityType::Org),
            mention_at(&sentences, 0, 11, 14, EntityType::Person),
            mention_at(&sentences, 1, 1, 2, EntityType::Gpe),
        ];
        named_events(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[
                ("WORLD CUP", EntityType::Event),
                ("Singer World Series", EntityType::Event),
                ("Ana Davis Cup", EntityType::Person),
                ("World Cup", EntityType::Event)
            ])
        );
    }

    #[test]
    fn a_peer_with_his_territorial_title_is_one_person() {
        let text = "They met Lord Patel of Bradford on Monday";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention_at(&sentences, 0, 3, 4, EntityType::Person),
            mention_at(&sentences, 0, 5, 6, EntityType::Gpe),
        ];
        peer_names(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[("Lord Patel of Bradford", EntityType::Person)])
        );
    }

    #[test]
    fn an_office_with_of_is_no_peer() {
        let text = "the Lord Mayor of Leeds spoke";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 4, 5, EntityType::Gpe)];
        peer_names(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[("Leeds", EntityType::Gpe)])
        );
    }

    #[test]
    fn clerical_titles_leave_the_name_and_make_it_a_person() {
        let text = "a message from Ayatollah al- Uzma Sayyid Hassan Rahimi today";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 3, 9, EntityType::Org)];
        honorific_titles(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[("Sayyid Hassan Rahimi", EntityType::Person)])
        );
    }

    #[test]
    fn grand_alone_is_no_title() {
        let text = "they flew over the Grand Canyon";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 4, 6, EntityType::Loc)];
        honorific_titles(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[("Grand Canyon", EntityType::Loc)])
        );
    }

    #[test]
    fn a_district_written_before_its_city_is_cut_from_it() {
        let text = "a flat in Little Venice London was sold";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 3, 6, EntityType::Gpe)];
        split_place_before_city(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[
                ("Little Venice", EntityType::Gpe),
                ("London", EntityType::Gpe)
            ])
        );
    }

    #[test]
    fn a_street_name_is_one_place_whatever_the_tagger_made_of_its_words() {
        let text = "On Monday Harrow Road traders met at a shop on Quay Lane near Ferry Street";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention_at(&sentences, 0, 11, 12, EntityType::Event),
            mention_at(&sentences, 0, 13, 15, EntityType::Org),
        ];
        street_names(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[
                ("Harrow Road", EntityType::Loc),
                ("Quay Lane", EntityType::Loc),
                ("Ferry Street", EntityType::Loc)
            ])
        );
    }

    #[test]
    fn a_person_named_like_a_street_stays_a_person() {
        let text = "the actor Nathan Lane said the Royal Crescent Hotel was full";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention_at(&sentences, 0, 2, 4, EntityType::Person),
            mention_at(&sentences, 0, 6, 9, EntityType::Org),
        ];
        street_names(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[
                ("Nathan Lane", EntityType::Person),
                ("Royal Crescent Hotel", EntityType::Org)
            ])
        );
    }

    #[test]
    fn a_city_of_several_words_is_not_cut() {
        let text = "they drove to Salt Lake City today";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 3, 6, EntityType::Gpe)];
        split_place_before_city(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[("Salt Lake City", EntityType::Gpe)])
        );
    }

    #[test]
    fn a_name_of_common_words_is_an_organisation_when_the_text_says_so() {
        let text = "according to the Walk for Hope interfaith organisation , it grew\n\
                    the campaign group Fair Votes Now said so\n\
                    Open Doors Trust , a charity , agreed";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention_at(&sentences, 0, 5, 6, EntityType::Org)];
        organisations_named_by_context(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[
                ("Walk for Hope", EntityType::Org),
                ("Fair Votes Now", EntityType::Org),
                ("Open Doors Trust", EntityType::Org)
            ])
        );
    }

    #[test]
    fn a_nationality_before_an_organisation_noun_is_no_organisation() {
        let text = "the Iranian group met the Bill Gates foundation";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention_at(&sentences, 0, 1, 2, EntityType::Norp),
            mention_at(&sentences, 0, 5, 7, EntityType::Person),
        ];
        organisations_named_by_context(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            owned(&[
                ("Iranian", EntityType::Norp),
                ("Bill Gates", EntityType::Person)
            ])
        );
    }
}
