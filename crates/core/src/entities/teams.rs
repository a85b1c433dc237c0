//! Teams in sports reports: a club named after its town ("Leicestershire beat Somerset",
//! "Chicago 3 Atlanta 2") is an organisation, not the place.
//!
//! The tagger learnt from general news, where "Somerset" and "Chicago" are places, and it reads a
//! sentence at a time. Here an article is first judged a sports report (scores such as "2-1",
//! results lines and sports words from `data/gazetteer/sports_words.txt`); then a capitalised
//! name beside a result word ("beat", "drew with", "v", `data/gazetteer/result_verbs.txt`),
//! before a player's role ("Surrey captain", "Cubs shortstop", `data/gazetteer/team_roles.txt`),
//! before "'s" and a player ("Atlanta 's Tom Glavine"), a nickname after "the" ("the Braves") or
//! a name followed by a score in a results line is a team, and every mention of that name in the
//! article becomes an organisation. Countries stay places (a national side is named by its
//! country), and names the tagger holds for people are never teams (nor, outside a results line,
//! a name of two words or more it holds for a person elsewhere in the report: "Waqar Younis 15"
//! in a scorecard). It does nothing outside sports reports.

use foldhash::{HashMap, HashSet};
use std::sync::LazyLock;

use super::named::{surface_key, NamedMention};
use super::SentenceTokens;
use crate::gazetteer::written_form as gazetteer_form;
use crate::gazetteer::{self, CITY, CONTINUES, COUNTRY, NATIONALITY, REGION};
use crate::lexicon;
use crate::ner::EntityType;
use crate::offsets::Span;

static SPORTS_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/sports_words.txt")).collect()
});
static TEAM_ROLES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lexicon::items(include_str!("../../data/gazetteer/team_roles.txt")).collect());
static RESULT_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/result_verbs.txt")).collect()
});
/// Capitalised words that are no name ("The", "He", "AT" in "NEW YORK AT CHICAGO").
static NOT_NAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(lexicon::sentence_starters())
        .chain(lexicon::items(include_str!(
            "../../data/english_function_words.txt"
        )))
        .collect()
});

/// A score or a figure in a results line: "2-1", "228-9", "74", ".561"; not a date
/// ("1996-08-30") or a bowler's figures ("10-1-40-2"), which follow places and players.
fn is_score_or_figure(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '.'))
        && word.matches('-').count() <= 1
        && word.split(['-', '.']).all(|part| part.len() <= 3)
}

/// A score between two sides: "2-1", "6-4".
fn is_score(word: &str) -> bool {
    word.split_once('-').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.chars().all(|c| c.is_ascii_digit())
            && b.chars().all(|c| c.is_ascii_digit())
    })
}

/// Whether the article reads as a sports report: two scores (a results line, "San Diego 3 New
/// York 2", counts as one) and a sports word, or three sports words of different kinds.
fn is_sports_report(text: &str, sentences: &[SentenceTokens]) -> bool {
    let mut n_scores = sentences
        .iter()
        .filter(|sentence| is_result_line(&sentence.words(text)))
        .count();
    let mut sports_words: HashSet<String> = HashSet::default();
    for token in sentences.iter().flat_map(|s| &s.tokens) {
        let word = &text[token.start..token.end];
        if is_score(word) {
            n_scores += 1;
        } else if word.len() >= 3 {
            let lower = word.to_lowercase();
            if SPORTS_WORDS.contains(lower.as_str()) {
                sports_words.insert(lower);
            }
        }
    }
    (n_scores >= 2 && !sports_words.is_empty()) || sports_words.len() >= 3
}

static MONTHS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    lexicon::months()
        .into_iter()
        .flat_map(|(_, names)| names)
        .map(str::to_lowercase)
        .collect()
});

/// A capitalised word that can be (part of) a side's name: not a function word, a month ("May
/// 13") or a single letter ("W D L" heading a table).
fn is_name_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    word.starts_with(char::is_uppercase)
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\''))
        && !NOT_NAMES.contains(lower.trim_end_matches('.'))
        && !MONTHS.contains(lower.trim_end_matches('.'))
}

/// A side's nickname after "the": one capitalised plural word ("Braves", "Expos"), no place or
/// people ("the Netherlands", "the Americans").
fn is_nickname(word: &str) -> bool {
    let form = gazetteer_form(word);
    word.len() >= 4
        && word.ends_with('s')
        && !word.ends_with("ss")
        && word.starts_with(char::is_uppercase)
        && word.chars().skip(1).all(char::is_lowercase)
        && gazetteer::classify(&[form.as_ref()])[0] & (COUNTRY | NATIONALITY | REGION | CITY) == 0
}

/// Whether a one-word name is only a person's name in the gazetteers (a surname or first name
/// and no place): "Gough 4" in a scorecard is a bowler, "Somerset 83" a side.
fn is_only_a_personal_name(words: &[&str]) -> bool {
    use crate::gazetteer::{FIRST_NAME, SURNAME};
    let [word] = words else {
        return false;
    };
    let flags = gazetteer::classify(&[gazetteer_form(word).as_ref()])[0];
    flags & (FIRST_NAME | SURNAME) != 0 && flags & (CITY | COUNTRY | REGION) == 0
}

/// The run of name words ending just before `end`.
fn name_before(words: &[&str], end: usize) -> Option<(usize, usize)> {
    // "Red Star ( Yugoslavia ) beat …": the side's country in brackets sits between.
    let mut end = end;
    if end >= 3 && words[end - 1] == ")" {
        if let Some(open) = (end.saturating_sub(6)..end - 1)
            .rev()
            .find(|&i| words[i] == "(")
        {
            end = open;
        }
    }
    let mut start = end;
    while start > 0 && is_name_word(words[start - 1]) {
        start -= 1;
    }
    (start < end).then_some((start, end))
}

/// The run of name words starting at `start`.
fn name_after(words: &[&str], start: usize) -> Option<(usize, usize)> {
    let mut end = start;
    while end < words.len() && is_name_word(words[end]) {
        end += 1;
    }
    (end > start).then_some((start, end))
}

/// Whether a name is a country, a nationality or a region: a national side, named by its place.
fn is_national(words: &[&str]) -> bool {
    let forms: Vec<std::borrow::Cow<'_, str>> = words.iter().map(|w| gazetteer_form(w)).collect();
    let forms: Vec<&str> = forms.iter().map(|w| w.as_ref()).collect();
    let flags = gazetteer::classify(&forms);
    flags[0] & (COUNTRY | NATIONALITY | REGION) != 0
        && flags[1..].iter().all(|f| f & CONTINUES != 0)
}

/// A result line, "Haitai 2 Samsung 0" or "Leeds United 3 Aston Villa 1 ( halftime 2-0 )": two
/// names each followed by a score open the line. Its names are sides even when the tagger took one
/// for a person.
fn is_result_line(words: &[&str]) -> bool {
    let is_int = |w: &str| !w.is_empty() && w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit());
    let first_end = words.iter().take_while(|w| is_name_word(w)).count();
    if first_end == 0 || !words.get(first_end).is_some_and(|w| is_int(w)) {
        return false;
    }
    let rest = &words[first_end + 1..];
    let second_end = rest.iter().take_while(|w| is_name_word(w)).count();
    second_end > 0 && rest.get(second_end).is_some_and(|w| is_int(w))
}

/// Makes the teams of a sports report organisations (see the module doc).
pub(super) fn sports_teams(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    if !is_sports_report(text, sentences) {
        return;
    }
    // (sentence, start, end, beside a result word rather than only before a figure)
    let mut teams: Vec<(usize, usize, usize, bool)> = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let words = sentence.words(text);
        for (idx, word) in words.iter().enumerate() {
            let lower = word.to_lowercase();
            if RESULT_WORDS.contains(lower.as_str()) {
                if lower != "against" {
                    teams.extend(name_before(&words, idx).map(|(s, e)| (sentence_idx, s, e, true)));
                }
                let after = match words.get(idx + 1) {
                    Some(&"with" | &"to") => idx + 2,
                    _ => idx + 1,
                };
                teams.extend(name_after(&words, after).map(|(s, e)| (sentence_idx, s, e, true)));
            } else if TEAM_ROLES.contains(lower.as_str())
                || (lower == "team" && words.get(idx + 1).is_some_and(|w| *w == "mate"))
            {
                // "Surrey captain Chris Lewis", "Cubs shortstop", "Newcastle team mate".
                teams.extend(name_before(&words, idx).map(|(s, e)| (sentence_idx, s, e, true)));
            } else if matches!(*word, "'s" | "’s") && idx > 0 {
                // "Atlanta 's Tom Glavine": a side's player.
                let player_follows = mentions.iter().any(|m| {
                    m.sentence_idx == sentence_idx
                        && m.token_start == idx + 1
                        && m.entity_type == EntityType::Person
                });
                if player_follows {
                    teams
                        .extend(name_before(&words, idx).map(|(s, e)| (sentence_idx, s, e, false)));
                }
            } else if lower == "the" && words.get(idx + 1).is_some_and(|w| is_nickname(w)) {
                // "the Braves", "the Expos": a side by its nickname, unless something else
                // already names it ("the Olympics", an event).
                let named_otherwise = mentions.iter().any(|m| {
                    m.sentence_idx == sentence_idx
                        && m.token_start <= idx + 1
                        && idx + 1 < m.token_end
                        && m.entity_type != EntityType::Org
                });
                if !named_otherwise {
                    teams.push((sentence_idx, idx + 1, idx + 2, true));
                }
            } else if is_score_or_figure(word) && idx > 0 {
                // "Somerset 83 and 174", "San Diego 3 New York 2", "CHICAGO 74 58 .561"; not
                // "c Vaas b Chandana 50", a scorecard's batsman after a lower-case word.
                let side = name_before(&words, idx).filter(|&(start, _)| {
                    start == 0 || !words[start - 1].starts_with(char::is_lowercase)
                });
                teams.extend(side.map(|(s, e)| (sentence_idx, s, e, false)));
            }
        }
    }
    // Names of two words or more typed as people anywhere in the report: a player's name
    // followed by his figures ("Waqar Younis 15") where the tagger missed it there.
    let people: HashSet<String> = mentions
        .iter()
        .filter(|m| m.entity_type == EntityType::Person && m.token_end - m.token_start >= 2)
        .map(|m| surface_key(&text[m.span.start..m.span.end]))
        .collect();
    let mut team_forms: HashMap<String, ()> = HashMap::default();
    for (sentence_idx, start, end, beside_result_word) in teams {
        let sentence = &sentences[sentence_idx];
        let words: Vec<&str> = sentence.tokens[start..end]
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect();
        let person = !is_result_line(&sentence.words(text))
            && (mentions.iter().any(|m| {
                m.sentence_idx == sentence_idx
                    && m.token_start < end
                    && m.token_end > start
                    && m.entity_type == EntityType::Person
            }) || people.contains(&surface_key(
                &text[sentence.tokens[start].start..sentence.tokens[end - 1].end],
            )));
        // A side's name with an initial or a first name is a player ("P. Simmons 4-38").
        let player = words.iter().any(|w| w.len() <= 2 && w.ends_with('.'));
        let bowler = !beside_result_word && is_only_a_personal_name(&words);
        if person || player || bowler || is_national(&words) {
            continue;
        }
        let team = NamedMention {
            span: Span::new(sentence.tokens[start].start, sentence.tokens[end - 1].end),
            sentence_idx,
            token_start: start,
            token_end: end,
            entity_type: EntityType::Org,
        };
        team_forms.insert(surface_key(&text[team.span.start..team.span.end]), ());
        mentions.retain(|m| {
            m.sentence_idx != sentence_idx || m.token_end <= start || m.token_start >= end
        });
        mentions.push(team);
    }
    for mention in mentions.iter_mut() {
        if team_forms.contains_key(&surface_key(&text[mention.span.start..mention.span.end])) {
            mention.entity_type = EntityType::Org;
        }
    }
    mentions.sort_by_key(|m| (m.sentence_idx, m.token_start));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::named::mention_at as mention;
    use crate::entities::test_support::{sentence_tokens, surfaces};

    #[test]
    fn towns_in_a_results_report_are_clubs() {
        let text =
            "Lancashire beat Kent by an innings and six wickets in the county championship .\n\
                    Lancashire 310 and 122-4 , Kent 201 .\n\
                    Kent captain Ed Marsh was unhappy with his side .";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 2, 3, EntityType::Gpe),
            mention(&sentences, 2, 0, 1, EntityType::Gpe),
            mention(&sentences, 2, 2, 4, EntityType::Person),
        ];
        sports_teams(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            [
                ("Lancashire".to_string(), EntityType::Org),
                ("Kent".to_string(), EntityType::Org),
                ("Lancashire".to_string(), EntityType::Org),
                ("Kent".to_string(), EntityType::Org),
                ("Kent".to_string(), EntityType::Org),
                ("Ed Marsh".to_string(), EntityType::Person),
            ]
        );
    }

    #[test]
    fn national_sides_players_and_dates_stay_what_they_are() {
        let text = "Norway beat Peru 2-1 in the cup match .\n\
                    Ana Lind ( Norway ) beat Ida Moe 6-4 6-2 .\n\
                    OSLO 1996-08-30 NORWAY 3 May 14 Fleming 10-1-40-2 Fleming 4";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 0, 1, EntityType::Gpe),
            mention(&sentences, 0, 2, 3, EntityType::Gpe),
            mention(&sentences, 1, 0, 2, EntityType::Person),
            mention(&sentences, 1, 3, 4, EntityType::Gpe),
            mention(&sentences, 1, 6, 8, EntityType::Person),
            mention(&sentences, 2, 0, 1, EntityType::Gpe),
            mention(&sentences, 2, 2, 3, EntityType::Gpe),
        ];
        let before = mentions.clone();
        sports_teams(text, &sentences, &mut mentions);
        assert_eq!(mentions, before);
    }

    #[test]
    fn both_names_of_a_result_line_are_sides() {
        let text = "Ridgeback 2 Tallis 0\nRidgeback 10 Tallis 3 in the league match 2-1 , 3-0";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 0, 1, EntityType::Person),
            mention(&sentences, 0, 2, 3, EntityType::Person),
        ];
        sports_teams(text, &sentences, &mut mentions);
        assert!(mentions.iter().all(|m| m.entity_type == EntityType::Org));
        assert_eq!(mentions.len(), 4);
    }

    #[test]
    fn outside_sports_reports_places_stay_places() {
        let text = "Ohio voted against Texas on the bill .";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 0, 1, EntityType::Gpe),
            mention(&sentences, 0, 3, 4, EntityType::Gpe),
        ];
        let before = mentions.clone();
        sports_teams(text, &sentences, &mut mentions);
        assert_eq!(mentions, before);
    }
}
