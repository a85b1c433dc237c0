//! Named mentions: the tagger run over every sentence, then fixed and completed in passes.
//!
//! [`named_mentions`] is the order of the passes: the tagger's spans are trimmed and split, runs
//! of initials and names joined, capitalised common words dropped; then the phrase fixes
//! (`patterns.rs`), the type votes (`consistency.rs`), the sports teams (`teams.rs`) and the
//! mentions the tagger missed (`untagged.rs`). This module holds the trimming and joining; it
//! does not group mentions into entities.

use super::consistency::make_types_consistent;
use super::named::{is_initial, surface_key, NamedMention};
use super::untagged::{add_untagged_groups, add_untagged_organisations, add_untagged_repeats};
use super::{boundaries, datelines, office_titles, patterns, teams, SentenceTokens};
use crate::deadline::Deadline;
use crate::ner::{spans_of, tagging_model, EntityType, FeatureHasher, Tag};
use crate::offsets::Span;

/// The named mentions of an article, typed consistently, in text order.
pub fn named_mentions(
    text: &str,
    sentences: &[SentenceTokens],
    deadline: Deadline,
) -> Vec<NamedMention> {
    let model = tagging_model();
    let mut hasher = FeatureHasher::new(model.bits());
    let mut tags: Vec<Tag> = Vec::new();
    let mut mentions: Vec<NamedMention> = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        // The tagger is the longest loop of the analysis: a partial result past the deadline is
        // dropped by the caller.
        if deadline.passed() {
            return Vec::new();
        }
        let words = sentence.words(text);
        model.tag_with(&mut hasher, &words, &mut tags);
        for tagged in spans_of(&tags) {
            let span = Span::new(
                sentence.tokens[tagged.start].start,
                sentence.tokens[tagged.end - 1].end,
            );
            mentions.push(NamedMention {
                span,
                sentence_idx,
                token_start: tagged.start,
                token_end: tagged.end,
                entity_type: tagged.entity_type,
            });
        }
    }
    let mut mentions = trim_and_split(text, sentences, mentions);
    patterns::split_people_at_common_words(text, sentences, &mut mentions);
    join_initials(text, sentences, &mut mentions);
    drop_capitalised_common_words(text, sentences, &mut mentions);
    add_untagged_organisations(text, sentences, &mut mentions);
    patterns::keep_gazetteer_entries_whole(text, sentences, &mut mentions);
    add_untagged_groups(text, sentences, &mut mentions);
    patterns::named_events(text, sentences, &mut mentions);
    patterns::peer_names(text, sentences, &mut mentions);
    patterns::honorific_titles(text, sentences, &mut mentions);
    office_titles::people_after_office_titles(text, sentences, &mut mentions);
    patterns::split_place_before_city(text, sentences, &mut mentions);
    patterns::street_names(text, sentences, &mut mentions);
    patterns::organisations_named_by_context(text, sentences, &mut mentions);
    make_types_consistent(text, &mut mentions);
    teams::sports_teams(text, sentences, &mut mentions);
    add_untagged_repeats(text, sentences, &mut mentions);
    join_organisation_runs(text, sentences, &mut mentions);
    boundaries::institutions_across_of(text, sentences, &mut mentions);
    boundaries::titles_ending_organisations(text, sentences, &mut mentions);
    boundaries::organisations_by_legal_form(text, sentences, &mut mentions);
    boundaries::groups_named_by_people_nouns(text, sentences, &mut mentions);
    boundaries::whole_organisation_names(text, sentences, &mut mentions);
    datelines::dateline_places(text, sentences, &mut mentions);
    boundaries::drop_generic_place_words(text, &mut mentions);
    mentions
}

/// Trims lower-case words off a mention's ends ("Lord Ahmed of" → "Lord Ahmed") and splits
/// "A and B" where A or B is mentioned on its own elsewhere ("Hezbollah and Hamas").
fn trim_and_split(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: Vec<NamedMention>,
) -> Vec<NamedMention> {
    let word = |m: &NamedMention, idx: usize| {
        let token = sentences[m.sentence_idx].tokens[idx];
        &text[token.start..token.end]
    };
    let rebuild = |m: &NamedMention, start: usize, end: usize| {
        let tokens = &sentences[m.sentence_idx].tokens;
        NamedMention {
            span: Span::new(tokens[start].start, tokens[end - 1].end),
            sentence_idx: m.sentence_idx,
            token_start: start,
            token_end: end,
            entity_type: m.entity_type,
        }
    };
    let mut trimmed = Vec::new();
    for mention in &mentions {
        let (mut start, mut end) = (mention.token_start, mention.token_end);
        while end > start && !crate::ner::can_begin_mention(word(mention, end - 1)) {
            end -= 1;
        }
        while start < end
            && !starts_upper_or_digit(word(mention, start))
            && !word(mention, start).contains('-')
        {
            start += 1;
        }
        if start >= end {
            continue;
        }
        // "Kataib Hezbollah founder Abu Mahdi al-Muhandis": a lower-case title word inside a
        // mention that is not a person ends an organisation and opens a person.
        let title_idx = (start + 1..end.saturating_sub(1)).find(|&idx| {
            let w = word(mention, idx);
            w.starts_with(char::is_lowercase) && super::roles::is_title_word(w)
        });
        if let (Some(title_idx), true) = (title_idx, mention.entity_type != EntityType::Person) {
            if crate::ner::can_begin_mention(word(mention, title_idx + 1)) {
                trimmed.push(rebuild(mention, start, title_idx));
                let mut person = rebuild(mention, title_idx + 1, end);
                person.entity_type = EntityType::Person;
                trimmed.push(person);
                continue;
            }
        }
        let mut rebuilt = rebuild(mention, start, end);
        // "Ayatollah … Ali Khamenei", "Lord Ahmed": a capitalised title and a name are a person.
        if end - start >= 2
            && mention.entity_type != EntityType::Person
            && is_personal_title(word(mention, start))
            && starts_upper_or_digit(word(mention, start + 1))
        {
            rebuilt.entity_type = EntityType::Person;
        }
        trimmed.push(rebuilt);
    }
    let alone: std::collections::HashSet<String> = trimmed
        .iter()
        .map(|m| surface_key(&text[m.span.start..m.span.end]))
        .collect();
    let mut out = Vec::new();
    for mention in trimmed {
        let conjunction = (mention.token_start + 1..mention.token_end - 1)
            .find(|&idx| matches!(word(&mention, idx), "and" | "&"));
        if let Some(and_idx) = conjunction {
            let left = rebuild(&mention, mention.token_start, and_idx);
            let right = rebuild(&mention, and_idx + 1, mention.token_end);
            let left_alone = alone.contains(&surface_key(&text[left.span.start..left.span.end]));
            let right_alone = alone.contains(&surface_key(&text[right.span.start..right.span.end]));
            let all_capitalised = |m: &NamedMention| {
                (m.token_start..m.token_end).all(|idx| crate::ner::can_begin_mention(word(m, idx)))
            };
            let two_names = all_capitalised(&left)
                && all_capitalised(&right)
                && mention.entity_type != EntityType::Person;
            if word(&mention, and_idx) == "and" && (left_alone || right_alone || two_names) {
                out.push(left);
                out.push(right);
                continue;
            }
        }
        out.push(mention);
    }
    out
}

/// Whether a word is a first name in the gazetteers and no country, city or region ("Anthony",
/// not "Jordan" or "Virginia").
fn is_first_name_only(word: &str) -> bool {
    use crate::gazetteer::{classify, CITY, COUNTRY, FIRST_NAME, REGION};
    let flags = classify(&[word])[0];
    flags & FIRST_NAME != 0 && flags & (COUNTRY | CITY | REGION) == 0
}

/// Whether a word is a first name in the gazetteers and no country ("Monica", "Georgia"; not
/// "Jordan").
fn is_first_name_not_country(word: &str) -> bool {
    use crate::gazetteer::{classify, COUNTRY, FIRST_NAME};
    let flags = classify(&[word])[0];
    flags & FIRST_NAME != 0 && flags & COUNTRY == 0
}

/// At most this many untagged capitalised words between two mentions of one organisation.
const MAX_UNTAGGED_INSIDE_ORGANISATION: usize = 2;

/// "Kata'ib Hezbollah", "Breitbart London": a name run straight into an organisation's name (or
/// an organisation's into a place's) is one organisation.
fn organisation_run(previous: &NamedMention, next: &NamedMention) -> bool {
    previous.sentence_idx == next.sentence_idx
        && previous.token_end == next.token_start
        && previous.entity_type != EntityType::Person
        && next.entity_type != EntityType::Person
        && (previous.entity_type == EntityType::Org || next.entity_type == EntityType::Org)
}

/// A group's, place's or organisation's name run into an organisation's over capitalised words
/// the tagger left out ("Islamic" + "Revolutionary" + "Guard Corps") is one organisation, when
/// none of those words is a title ("Russian Foreign Ministry" stays two).
fn organisation_run_over_untagged_words(
    text: &str,
    sentences: &[SentenceTokens],
    previous: &NamedMention,
    next: &NamedMention,
) -> bool {
    let tokens = &sentences[previous.sentence_idx].tokens;
    previous.sentence_idx == next.sentence_idx
        && previous.entity_type != EntityType::Person
        && next.entity_type == EntityType::Org
        && previous.token_end < next.token_start
        && next.token_start - previous.token_end <= MAX_UNTAGGED_INSIDE_ORGANISATION
        && (previous.token_end..next.token_start).all(|idx| {
            let word = &text[tokens[idx].start..tokens[idx].end];
            is_capitalised_name_word(word) && !crate::lexicon::is_title(word)
        })
}

/// Joins mentions that [`organisation_run`] makes one organisation, once every mention is known:
/// the untagged repeats and gazetteer organisations are added after `join_initials` ("Hezbollah"
/// after a "Kata'ib" the tagger took for an event, "London" after "Breitbart"), and over untagged
/// words ([`organisation_run_over_untagged_words`]).
fn join_organisation_runs(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    mentions.sort_by_key(|m| (m.sentence_idx, m.token_start));
    let mut joined: Vec<NamedMention> = Vec::with_capacity(mentions.len());
    for mention in mentions.drain(..) {
        if let Some(previous) = joined.last_mut() {
            let initial = is_initial(&text[previous.span.start..previous.span.end]);
            let run = organisation_run(previous, &mention)
                || organisation_run_over_untagged_words(text, sentences, previous, &mention);
            if run && !initial {
                previous.token_end = mention.token_end;
                previous.span = Span::new(previous.span.start, mention.span.end);
                previous.entity_type = EntityType::Org;
                continue;
            }
        }
        joined.push(mention);
    }
    *mentions = joined;
}

/// A capitalised word with letters that could be a surname: not an initial, not a function word
/// that opens sentences ("The").
fn is_capitalised_name_word(word: &str) -> bool {
    word.starts_with(char::is_uppercase)
        && word
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && !is_initial(word)
        && !crate::lexicon::items(crate::lexicon::sentence_starters())
            .any(|starter| starter.eq_ignore_ascii_case(word))
}

/// Joins an initial to the name it precedes ("G. Kersey": a person, whatever type the tagger gave
/// the surname), and joins a person's name the tagger cut in two ("Conchita" + "Martinez"): the
/// tagger learnt names mostly written in full and in running text, and in result lists it often
/// leaves the initial out, gives it a mention of its own, or opens a new mention on the surname.
fn join_initials(text: &str, sentences: &[SentenceTokens], mentions: &mut Vec<NamedMention>) {
    let word = |sentence_idx: usize, idx: usize| {
        let token = sentences[sentence_idx].tokens[idx];
        &text[token.start..token.end]
    };
    mentions.sort_by_key(|m| (m.sentence_idx, m.token_start));
    let starts_at: std::collections::HashSet<(usize, usize)> = mentions
        .iter()
        .map(|m| (m.sentence_idx, m.token_start))
        .collect();
    let mut joined: Vec<NamedMention> = Vec::with_capacity(mentions.len());
    for mention in mentions.drain(..) {
        let tokens = &sentences[mention.sentence_idx].tokens;
        if let Some(previous) = joined.last_mut().filter(|p| {
            p.sentence_idx == mention.sentence_idx && p.token_end == mention.token_start
        }) {
            let initial_alone = previous.token_end - previous.token_start == 1
                && is_initial(word(previous.sentence_idx, previous.token_start));
            let both_people = previous.entity_type == EntityType::Person
                && mention.entity_type == EntityType::Person;
            let first_name_alone = previous.token_end - previous.token_start == 1
                && previous.entity_type == EntityType::Person
                && mention.token_end - mention.token_start == 1
                && is_first_name_only(word(previous.sentence_idx, previous.token_start));
            // "Monica" typed a place, then "Seles" a person: a first name that is no country
            // opens the person's name after it.
            let first_name_before_person = previous.token_end - previous.token_start == 1
                && mention.entity_type == EntityType::Person
                && is_first_name_not_country(word(previous.sentence_idx, previous.token_start));
            if organisation_run(previous, &mention) && !initial_alone {
                previous.token_end = mention.token_end;
                previous.span = Span::new(previous.span.start, mention.span.end);
                previous.entity_type = EntityType::Org;
                continue;
            }
            if initial_alone || both_people || first_name_alone || first_name_before_person {
                previous.token_end = mention.token_end;
                previous.span = Span::new(previous.span.start, mention.span.end);
                previous.entity_type = EntityType::Person;
                continue;
            }
        }
        let mut mention = mention;
        // "P. Simmons" with only the initial tagged: the name runs over the capitalised words
        // after it; an initial with no name after it is no mention.
        let lone_first_name = mention.entity_type == EntityType::Person
            && is_first_name_only(word(mention.sentence_idx, mention.token_start));
        // "Anthony Hill" with only the first name tagged, "Florian Schwarthoff" cut in two.
        if mention.token_end - mention.token_start == 1 && lone_first_name {
            let end = mention.token_end;
            if end < tokens.len()
                && !starts_at.contains(&(mention.sentence_idx, end))
                && is_capitalised_name_word(word(mention.sentence_idx, end))
            {
                mention.token_end = end + 1;
                mention.span = Span::new(mention.span.start, tokens[end].end);
            }
        }
        // A place of two words opening on a first name that is no place is a person ("Anthony
        // Washington" in a results list).
        if mention.token_end - mention.token_start == 2
            && matches!(mention.entity_type, EntityType::Gpe | EntityType::Loc)
            && is_first_name_only(word(mention.sentence_idx, mention.token_start))
        {
            mention.entity_type = EntityType::Person;
        }
        if mention.token_end - mention.token_start == 1
            && is_initial(word(mention.sentence_idx, mention.token_start))
        {
            let mut end = mention.token_end;
            while end < tokens.len()
                && !starts_at.contains(&(mention.sentence_idx, end))
                && is_capitalised_name_word(word(mention.sentence_idx, end))
            {
                end += 1;
            }
            let name_follows = end > mention.token_end
                || starts_at.contains(&(mention.sentence_idx, mention.token_end));
            if !name_follows {
                continue;
            }
            mention.token_end = end;
            mention.span = Span::new(mention.span.start, tokens[end - 1].end);
            mention.entity_type = EntityType::Person;
        }
        let start = mention.token_start;
        let covered = joined
            .last()
            .is_some_and(|p| p.sentence_idx == mention.sentence_idx && p.token_end >= start);
        if start > 0 && !covered && is_initial(word(mention.sentence_idx, start - 1)) {
            mention.token_start = start - 1;
            mention.span = Span::new(tokens[start - 1].start, mention.span.end);
            mention.entity_type = EntityType::Person;
        }
        joined.push(mention);
    }
    *mentions = joined;
}

static PERSONAL_TITLES: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        crate::lexicon::items(include_str!("../../data/personal_titles.txt")).collect()
    });

/// Capitalised titles that only people carry (`data/personal_titles.txt`).
fn is_personal_title(word: &str) -> bool {
    PERSONAL_TITLES.contains(word.trim_end_matches('.'))
}

fn starts_upper_or_digit(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Drops a one-word mention that opens its sentence when the article also writes that word in
/// lower case ("Residents fled …" while "residents" appears later): capitals there are the
/// sentence's, not a name's.
fn drop_capitalised_common_words(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut lower_words: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for sentence in sentences {
        for token in &sentence.tokens {
            let word = &text[token.start..token.end];
            if word.starts_with(char::is_lowercase) {
                lower_words.insert(word);
            }
        }
    }
    mentions.retain(|mention| {
        if mention.token_end - mention.token_start != 1 {
            return true;
        }
        let sentence = &sentences[mention.sentence_idx];
        let opens_sentence = (0..mention.token_start).all(|idx| {
            let token = sentence.tokens[idx];
            !text[token.start..token.end]
                .chars()
                .any(char::is_alphanumeric)
        });
        let word = &text[mention.span.start..mention.span.end];
        !(opens_sentence && lower_words.contains(word.to_lowercase().as_str()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::test_support::{sentence_tokens, surfaces};

    fn mention(
        sentences: &[SentenceTokens],
        sentence_idx: usize,
        tokens: std::ops::Range<usize>,
        entity_type: EntityType,
    ) -> NamedMention {
        let spans = &sentences[sentence_idx].tokens;
        NamedMention {
            span: Span::new(spans[tokens.start].start, spans[tokens.end - 1].end),
            sentence_idx,
            token_start: tokens.start,
            token_end: tokens.end,
            entity_type,
        }
    }

    #[test]
    fn an_initial_joins_the_name_after_it_as_a_person() {
        let text = "Batting first , R. Okafor made 63 and T. Lindqvist 40";
        let sentences = sentence_tokens(text);
        // The surname typed ORG; the second initial tagged alone, its surname untagged.
        let mut mentions = vec![
            mention(&sentences, 0, 4..5, EntityType::Org),
            mention(&sentences, 0, 8..9, EntityType::Norp),
        ];
        join_initials(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            [
                ("R. Okafor".to_string(), EntityType::Person),
                ("T. Lindqvist".to_string(), EntityType::Person)
            ]
        );
    }

    #[test]
    fn a_first_name_joins_the_surname_the_tagger_left_out() {
        let text = "Second was Anthony Quellmalz ( Chile )";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 2..3, EntityType::Person),
            mention(&sentences, 0, 5..6, EntityType::Gpe),
        ];
        join_initials(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            [
                ("Anthony Quellmalz".to_string(), EntityType::Person),
                ("Chile".to_string(), EntityType::Gpe)
            ]
        );
    }

    #[test]
    fn a_name_run_into_an_organisation_is_one_organisation() {
        let text = "The Harbour Times London desk called";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 1..3, EntityType::Org),
            mention(&sentences, 0, 3..4, EntityType::Gpe),
        ];
        join_initials(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            [("Harbour Times London".to_string(), EntityType::Org)]
        );
    }

    #[test]
    fn a_country_stays_a_country_however_often_the_tagger_calls_it_an_organisation() {
        let text = "Vera Lind ( France ) beat Ida Moe ( France )";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 3..4, EntityType::Org),
            mention(&sentences, 0, 9..10, EntityType::Org),
        ];
        make_types_consistent(text, &mut mentions);
        assert!(mentions.iter().all(|m| m.entity_type == EntityType::Gpe));
    }

    #[test]
    fn a_name_before_council_or_police_is_a_place_even_where_the_tagger_saw_a_person() {
        // The first use is untagged; the others read as people.
        let text = "Ravensmoor police said so . Ravensmoor said more . Ravensmoor spoke";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 5..6, EntityType::Person),
            mention(&sentences, 0, 9..10, EntityType::Person),
        ];
        make_types_consistent(text, &mut mentions);
        assert!(mentions.iter().all(|m| m.entity_type == EntityType::Gpe));
    }

    #[test]
    fn a_nationality_before_police_stays_a_nationality() {
        let text = "Russian police said Russian troops left";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 0..1, EntityType::Norp),
            mention(&sentences, 0, 3..4, EntityType::Norp),
        ];
        make_types_consistent(text, &mut mentions);
        assert!(mentions.iter().all(|m| m.entity_type == EntityType::Norp));
    }

    #[test]
    fn a_group_word_the_tagger_left_out_is_a_group() {
        let text = "Kurdish fighters met Christian Okafor and Jewish leaders";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![mention(&sentences, 0, 3..5, EntityType::Person)];
        add_untagged_groups(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            [
                ("Kurdish".to_string(), EntityType::Norp),
                ("Christian Okafor".to_string(), EntityType::Person),
                ("Jewish".to_string(), EntityType::Norp)
            ]
        );
    }

    #[test]
    fn a_party_stays_a_party_however_often_the_tagger_calls_it_a_place() {
        let text = "Labour heartlands backed Labour in every Labour seat";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 0..1, EntityType::Gpe),
            mention(&sentences, 0, 3..4, EntityType::Gpe),
            mention(&sentences, 0, 6..7, EntityType::Org),
        ];
        make_types_consistent(text, &mut mentions);
        assert!(mentions.iter().all(|m| m.entity_type == EntityType::Org));
    }

    #[test]
    fn a_party_named_without_context_is_an_organisation() {
        let text = "she was elected Labour leader in the spring";
        let sentences = sentence_tokens(text);
        let mut mentions = Vec::new();
        add_untagged_organisations(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            [("Labour".to_string(), EntityType::Org)]
        );
    }

    #[test]
    fn a_group_and_an_organisation_over_untagged_capitalised_words_are_one_organisation() {
        let text =
            "head of the Northern Revolutionary Harbour Guard and the Danish Foreign Ministry";
        let sentences = sentence_tokens(text);
        let mut mentions = vec![
            mention(&sentences, 0, 3..4, EntityType::Norp),
            mention(&sentences, 0, 5..7, EntityType::Org),
            mention(&sentences, 0, 9..10, EntityType::Norp),
            mention(&sentences, 0, 11..12, EntityType::Org),
        ];
        join_organisation_runs(text, &sentences, &mut mentions);
        assert_eq!(
            surfaces(text, &mentions),
            [
                (
                    "Northern Revolutionary Harbour Guard".to_string(),
                    EntityType::Org
                ),
                ("Danish".to_string(), EntityType::Norp),
                ("Ministry".to_string(), EntityType::Org),
            ]
        );
    }
}
