//! Where a mention starts and ends, fixed by the words at its edges once every mention is known:
//! an institution's name goes on over "of" ("Bank of England", not "Bank" and "England"); a
//! headline's run of capitalised words ending in a person's title ("Memorial for Slain Iran
//! General") is no organisation, only the places inside it are; a compass point or the generic
//! noun of a state's name on its own ("the West", "States") is no place; a name ending in a
//! company's legal form ("Caltex Petroleum Corp") is an organisation, and takes in the legal
//! form the tagger left after it; a "person" whose name ends in a plural noun for people
//! ("East Shore Residents") is a group of them; an organisation's name the article writes whole
//! once is whole wherever the tagger cut it ("Islamic" + "Guard Corps" after "Islamic
//! Revolutionary Guard Corps").
//!
//! The words these passes rely on are lists in `data/gazetteer/` (`institution_heads.txt`,
//! `generic_place_words.txt`, `legal_forms.txt`), the titles of `data/titles.txt` and the nouns
//! for people of `data/identity_nouns.txt`. They do not decide types
//! across the article (`consistency.rs` does) nor group mentions (`grouping.rs`).

use foldhash::{HashMap, HashSet};
use std::sync::LazyLock;

use super::named::{mention_at, replace_overlapping, surface_key, NamedMention};
use super::SentenceTokens;
use crate::gazetteer::{self, CITY, CONTINUES, COUNTRY};
use crate::lexicon;
use crate::ner::EntityType;

static INSTITUTION_HEADS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/institution_heads.txt")).collect()
});
static LEGAL_FORMS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/legal_forms.txt")).collect()
});
/// Plural nouns for people ("residents", "workers"): a capitalised one ends a group's name.
static PEOPLE_PLURALS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/identity_nouns.txt"))
        .filter(|noun| noun.ends_with('s'))
        .collect()
});
static GENERIC_PLACE_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/generic_place_words.txt")).collect()
});

/// Words of a name after "of" that a name may go on over ("Bank of England", "Ministry of
/// Defence"): capitalised, with letters.
fn name_word(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && word.chars().any(char::is_alphabetic)
}

/// At most this many capitalised words after "of" join an institution's name.
const MAX_WORDS_AFTER_OF: usize = 4;

/// Makes "<capitalised words ending in an institution noun> of [the] <capitalised words>" one
/// organisation, replacing the mentions inside it ("Islamic Centre" + "England", or a
/// nationality "Baptist" before "Centre of Wales" that the tagger left out).
pub(super) fn institutions_across_of(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut found = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let words = sentence.words(text);
        let mut idx = 0;
        while idx < words.len() {
            let word = words[idx];
            let heads = name_word(word) && INSTITUTION_HEADS.contains(word.to_lowercase().as_str());
            let Some(end) = heads.then(|| name_after_of(&words, idx + 1)).flatten() else {
                idx += 1;
                continue;
            };
            let mut start = idx;
            while start > 0 && name_word(words[start - 1]) && !opens_sentence_only(words[start - 1])
            {
                start -= 1;
            }
            let overlaps_person = mentions.iter().any(|m| {
                m.sentence_idx == sentence_idx
                    && m.token_start < end
                    && start < m.token_end
                    && m.entity_type == EntityType::Person
            });
            if !overlaps_person {
                found.push(mention_at(
                    sentences,
                    sentence_idx,
                    start,
                    end,
                    EntityType::Org,
                ));
            }
            idx = end;
        }
    }
    for organisation in found {
        // Mentions that reach outside the name ("England and Wales") keep their own extent.
        mentions.retain(|m| {
            m.sentence_idx != organisation.sentence_idx
                || m.token_end <= organisation.token_start
                || m.token_start >= organisation.token_end
        });
        mentions.push(organisation);
    }
    mentions.sort_by_key(|m| (m.sentence_idx, m.token_start));
}

/// Capitalised words that open sentences and names never ("The", "A", "In").
fn opens_sentence_only(word: &str) -> bool {
    let lower = word.to_lowercase();
    lexicon::items(include_str!("../../data/english_function_words.txt")).any(|w| w == lower)
        || matches!(
            lower.as_str(),
            "an" | "our" | "their" | "its" | "this" | "that"
        )
}

/// The end of "of [the] <capitalised words>" starting at token `at`, or `None`.
fn name_after_of(words: &[&str], at: usize) -> Option<usize> {
    if words.get(at) != Some(&"of") {
        return None;
    }
    let mut start = at + 1;
    if words.get(start) == Some(&"the") {
        start += 1;
    }
    let mut end = start;
    while end < words.len() && end - start < MAX_WORDS_AFTER_OF && name_word(words[end]) {
        end += 1;
    }
    (end > start).then_some(end)
}

/// Replaces an organisation mention that ends in a person's title ("Slain Iran General", a
/// headline's capitalised words) by the countries and cities written inside it: an
/// organisation's name does not end in "General" or "Minister", a headline's noun phrase does.
pub(super) fn titles_ending_organisations(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut out: Vec<NamedMention> = Vec::with_capacity(mentions.len());
    for mention in mentions.drain(..) {
        let words = sentences[mention.sentence_idx].words(text);
        let name = &words[mention.token_start..mention.token_end];
        let ends_in_title = mention.entity_type == EntityType::Org
            && name.len() >= 2
            && name.last().is_some_and(|word| lexicon::is_title(word))
            && !name
                .iter()
                .any(|word| INSTITUTION_HEADS.contains(word.to_lowercase().as_str()));
        if !ends_in_title {
            out.push(mention);
            continue;
        }
        let flags = gazetteer::classify(name);
        let mut idx = 0;
        while idx < name.len() {
            if flags[idx] & (COUNTRY | CITY) != 0 && flags[idx] & CONTINUES == 0 {
                let mut end = idx + 1;
                while end < name.len() && flags[end] & CONTINUES != 0 {
                    end += 1;
                }
                out.push(mention_at(
                    sentences,
                    mention.sentence_idx,
                    mention.token_start + idx,
                    mention.token_start + end,
                    EntityType::Gpe,
                ));
                idx = end;
            } else {
                idx += 1;
            }
        }
    }
    *mentions = out;
}

/// Drops a mention that is one compass point or generic place noun alone ("the West",
/// "States"), whatever type the tagger gave it.
pub(super) fn drop_generic_place_words(text: &str, mentions: &mut Vec<NamedMention>) {
    mentions.retain(|mention| {
        let word = text[mention.span.start..mention.span.end].to_lowercase();
        !GENERIC_PLACE_WORDS.contains(word.as_str())
    });
}

fn is_legal_form(word: &str) -> bool {
    LEGAL_FORMS.contains(word.trim_end_matches('.'))
}

/// At most this many words before a legal form make a company's name.
const MAX_WORDS_BEFORE_LEGAL_FORM: usize = 6;
/// At most this many capitalised words after "&" in a company's name.
const MAX_WORDS_AFTER_AMPERSAND: usize = 3;

/// A word of a company's name before its legal form: a capitalised word ("Roosevelt",
/// "D."), or "&" between two ("Bear Stearns & Co"); not a word that opens sentences only, nor
/// "St. Louis-based" before the name.
fn company_name_word(words: &[&str], idx: usize) -> bool {
    let word = words[idx];
    if word == "&" {
        return idx > 0 && name_word(words[idx - 1]);
    }
    name_word(word) && !opens_sentence_only(word) && !word.ends_with("-based")
}

/// Makes the capitalised words before a company's legal form, with the form, one organisation
/// ("Roosevelt Financial Group Inc", "Hindustan Copper Ltd", "Bear Stearns & Co Inc"), and so
/// names joined by "&" ("Douglas & Lomason"): a tagger that has not seen the name reads it as a
/// person or a place, or cuts it. Only where the tagger
/// found a mention in those words; a legal form alone is no mention, and one followed by a name
/// is no legal form ("Co Durham").
pub(super) fn organisations_by_legal_form(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut found = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let words = sentence.words(text);
        let mut idx = 1;
        while idx < words.len() {
            let joins_names = words[idx] == "&"
                && idx + 1 < words.len()
                && company_name_word(&words, idx + 1)
                && name_word(words[idx - 1]);
            if !(is_legal_form(words[idx]) || joins_names) || !name_word(words[idx - 1]) {
                idx += 1;
                continue;
            }
            let mut end = idx + 1;
            if joins_names {
                // "Douglas & Lomason", "A.G. Edwards & Sons Inc".
                while end < words.len()
                    && end - idx <= MAX_WORDS_AFTER_AMPERSAND
                    && company_name_word(&words, end)
                    && !is_legal_form(words[end])
                {
                    end += 1;
                }
            }
            while end < words.len() && is_legal_form(words[end]) {
                end += 1;
            }
            if !joins_names && words.get(end).is_some_and(|w| name_word(w)) {
                idx = end;
                continue;
            }
            let mut start = idx;
            while start > 0
                && idx - (start - 1) <= MAX_WORDS_BEFORE_LEGAL_FORM
                && company_name_word(&words, start - 1)
            {
                start -= 1;
            }
            if words[start] == "&" {
                start += 1;
            }
            let tagged = mentions.iter().any(|m| {
                m.sentence_idx == sentence_idx && m.token_start < end && start < m.token_end
            });
            if start < idx && tagged {
                found.push(mention_at(
                    sentences,
                    sentence_idx,
                    start,
                    end,
                    EntityType::Org,
                ));
            }
            idx = end;
        }
    }
    for organisation in found {
        replace_overlapping(mentions, organisation);
    }
}

/// At most this many capitalised words before a group's noun join its name.
const MAX_WORDS_BEFORE_GROUP_NOUN: usize = 3;

/// Makes a person mention that ends in a capitalised plural noun for people ("Shore
/// Residents", "United Mine Workers") an organisation, taking in the capitalised words just
/// before it that the tagger left out or typed apart ("East"): a person's name never ends in
/// "Residents".
pub(super) fn groups_named_by_people_nouns(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut groups = Vec::new();
    for mention in mentions.iter() {
        let words = sentences[mention.sentence_idx].words(text);
        let last = words[mention.token_end - 1];
        let group_noun = mention.entity_type == EntityType::Person
            && last.starts_with(char::is_uppercase)
            && PEOPLE_PLURALS.contains(last.to_lowercase().as_str());
        if !group_noun {
            continue;
        }
        let mut start = mention.token_start;
        while start > 0
            && mention.token_end - (start - 1) <= MAX_WORDS_BEFORE_GROUP_NOUN + 1
            && name_word(words[start - 1])
            && !opens_sentence_only(words[start - 1])
        {
            start -= 1;
        }
        groups.push(mention_at(
            sentences,
            mention.sentence_idx,
            start,
            mention.token_end,
            EntityType::Org,
        ));
    }
    for group in groups {
        replace_overlapping(mentions, group);
    }
}

/// Makes every place where the article writes an organisation's name of two words or more, and
/// the tagger found only pieces of it ("Islamic" and "Guard Corps" inside "Islamic Revolutionary
/// Guard Corps"), that organisation. Mentions reaching outside the name are left alone; where no
/// piece was found, `untagged.rs` adds the repeat.
pub(super) fn whole_organisation_names(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let has_long_organisation = mentions
        .iter()
        .any(|m| m.entity_type == EntityType::Org && m.token_end - m.token_start >= 2);
    if !has_long_organisation {
        return;
    }
    let keys: Vec<Vec<String>> = sentences
        .iter()
        .map(|sentence| {
            sentence
                .tokens
                .iter()
                .map(|token| surface_key(&text[token.start..token.end]))
                .collect()
        })
        .collect();
    // Names by their first word, longest first, so that a name inside a longer one never cuts
    // the longer.
    let mut names: HashMap<&str, Vec<&[String]>> = HashMap::default();
    for m in mentions
        .iter()
        .filter(|m| m.entity_type == EntityType::Org && m.token_end - m.token_start >= 2)
    {
        let name = &keys[m.sentence_idx][m.token_start..m.token_end];
        let entry = names.entry(name[0].as_str()).or_default();
        if !entry.contains(&name) {
            entry.push(name);
        }
    }
    for entry in names.values_mut() {
        entry.sort_by_key(|name| std::cmp::Reverse(name.len()));
    }
    let mut found: Vec<NamedMention> = Vec::new();
    for (sentence_idx, words) in keys.iter().enumerate() {
        let mut start = 0;
        while start < words.len() {
            let Some(candidates) = names.get(words[start].as_str()) else {
                start += 1;
                continue;
            };
            let mut next = start + 1;
            for name in candidates {
                let end = start + name.len();
                if end > words.len() || words[start..end] != **name {
                    continue;
                }
                let inside = |m: &&NamedMention| {
                    m.sentence_idx == sentence_idx && m.token_start < end && start < m.token_end
                };
                let pieces: Vec<&NamedMention> = mentions.iter().filter(inside).collect();
                let cut = !pieces.is_empty()
                    && pieces
                        .iter()
                        .all(|m| m.token_start >= start && m.token_end <= end)
                    && !pieces
                        .iter()
                        .any(|m| m.token_start == start && m.token_end == end);
                if cut {
                    found.push(mention_at(
                        sentences,
                        sentence_idx,
                        start,
                        end,
                        EntityType::Org,
                    ));
                }
                next = end;
                break;
            }
            start = next;
        }
    }
    for organisation in found {
        replace_overlapping(mentions, organisation);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::test_support::{sentence_tokens, surfaces};

    type Pass = fn(&str, &[SentenceTokens], &mut Vec<NamedMention>);

    /// The tagger's mentions, given as (sentence, tokens, type), as `pass` leaves them: (surface,
    /// type) each.
    fn after(
        pass: Pass,
        text: &str,
        tagged: &[(usize, std::ops::Range<usize>, EntityType)],
    ) -> Vec<(String, EntityType)> {
        let sentences = sentence_tokens(text);
        let mut mentions = tagged
            .iter()
            .map(|(sentence, tokens, entity_type)| {
                mention_at(
                    &sentences,
                    *sentence,
                    tokens.start,
                    tokens.end,
                    *entity_type,
                )
            })
            .collect();
        pass(text, &sentences, &mut mentions);
        surfaces(text, &mentions)
    }

    fn named(surfaces: &[(&str, EntityType)]) -> Vec<(String, EntityType)> {
        surfaces
            .iter()
            .map(|(surface, entity_type)| (surface.to_string(), *entity_type))
            .collect()
    }

    #[test]
    fn an_institution_goes_on_over_of_and_the_place_after_it() {
        // "the"=3, "Baptist"=4, "College"=5, "of"=6, "Wales"=7
        let found = after(
            institutions_across_of,
            "She spoke at the Baptist College of Wales on Monday.",
            &[(0, 4..6, EntityType::Org), (0, 7..8, EntityType::Gpe)],
        );
        assert_eq!(
            found,
            named(&[("Baptist College of Wales", EntityType::Org)])
        );
    }

    #[test]
    fn an_institution_the_tagger_missed_is_found_by_its_noun() {
        let found = after(
            institutions_across_of,
            "They met at the Baptist Centre of Wales yesterday",
            &[(0, 4..5, EntityType::Norp)],
        );
        assert_eq!(
            found,
            named(&[("Baptist Centre of Wales", EntityType::Org)])
        );
    }

    #[test]
    fn a_person_or_plain_organisation_before_of_is_left_alone() {
        let tagged = [
            (0, 0..2, EntityType::Org),
            (0, 3..4, EntityType::Gpe),
            (0, 5..7, EntityType::Person),
            (0, 8..9, EntityType::Gpe),
        ];
        let text = "Acme Holdings of Ohio sued Mary Lane of Dayton.";
        let untouched = after(|_, _, _| {}, text, &tagged);
        assert_eq!(after(institutions_across_of, text, &tagged), untouched);
    }

    #[test]
    fn a_headline_phrase_ending_in_a_title_keeps_only_its_place() {
        let found = after(
            titles_ending_organisations,
            "Crowds Mourn Fallen Peru General",
            &[(0, 2..5, EntityType::Org)],
        );
        assert_eq!(found, named(&[("Peru", EntityType::Gpe)]));
    }

    #[test]
    fn a_compass_point_alone_is_no_place() {
        let found = after(
            |text, _, mentions| drop_generic_place_words(text, mentions),
            "Ties with the West and Western Australia",
            &[(0, 3..4, EntityType::Loc), (0, 5..7, EntityType::Gpe)],
        );
        assert_eq!(found, named(&[("Western Australia", EntityType::Gpe)]));
    }

    #[test]
    fn a_name_ending_in_a_legal_form_is_an_organisation() {
        let found = after(
            organisations_by_legal_form,
            "Talbot Marsh & Sons Inc said it would buy Quill Ltd shares in Seaham Co Durham .\n\
             Harlow & Pike said so .",
            &[
                (0, 0..2, EntityType::Person),
                (0, 9..10, EntityType::Person),
                (0, 13..14, EntityType::Gpe),
                (0, 15..16, EntityType::Gpe),
                (1, 2..3, EntityType::Person),
            ],
        );
        assert_eq!(
            found,
            named(&[
                ("Talbot Marsh & Sons Inc", EntityType::Org),
                ("Quill Ltd", EntityType::Org),
                ("Seaham", EntityType::Gpe),
                ("Durham", EntityType::Gpe),
                ("Harlow & Pike", EntityType::Org),
            ])
        );
    }

    #[test]
    fn a_person_ending_in_residents_is_a_group_with_the_words_before_it() {
        let found = after(
            groups_named_by_people_nouns,
            "This is not good enough — East Shore Residents ( @EastShorePM )",
            &[(0, 6..7, EntityType::Loc), (0, 7..9, EntityType::Person)],
        );
        assert_eq!(found, named(&[("East Shore Residents", EntityType::Org)]));
    }

    #[test]
    fn an_organisation_cut_by_the_tagger_is_whole_where_the_article_writes_it_whole() {
        let found = after(
            whole_organisation_names,
            "He led the Northern Harbour Guard Corps for years .\n\
             The Northern Harbour Guard Corps said so .",
            &[
                (0, 3..7, EntityType::Org),
                (1, 1..2, EntityType::Norp),
                (1, 3..5, EntityType::Org),
            ],
        );
        assert_eq!(
            found,
            named(&[
                ("Northern Harbour Guard Corps", EntityType::Org),
                ("Northern Harbour Guard Corps", EntityType::Org),
            ])
        );
    }
}
