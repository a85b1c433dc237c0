//! Named mentions: the tagger run over every sentence, then made consistent across the article.
//!
//! The tagger decides sentence by sentence and may call "Soleimani" a person in one sentence and a
//! place in the next. Here every surface form gets the type most of its mentions got (ties go to
//! the first), a lone surname takes the type of the full name it ends, and a form tagged somewhere
//! is also a mention where it recurs untagged. It does not group mentions into entities.

use std::collections::HashMap;

use super::SentenceTokens;
use crate::ner::{shipped_model, spans_of, EntityType, FeatureHasher, Tag};
use crate::offsets::Span;

/// A named mention before grouping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedMention {
    /// Byte span.
    pub span: Span,
    /// Sentence index.
    pub sentence_idx: usize,
    /// First token index in the sentence.
    pub token_start: usize,
    /// Token index just past the mention.
    pub token_end: usize,
    /// Type after consistency.
    pub entity_type: EntityType,
}

/// Folds a surface form for comparison: curly apostrophes straight, case kept.
pub(crate) fn surface_key(surface: &str) -> String {
    surface.replace(['’', '‘'], "'")
}

pub fn named_mentions(text: &str, sentences: &[SentenceTokens]) -> Vec<NamedMention> {
    let model = shipped_model();
    let mut hasher = FeatureHasher::new(model.bits());
    let mut tags: Vec<Tag> = Vec::new();
    let mut mentions: Vec<NamedMention> = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let words: Vec<&str> = sentence
            .tokens
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect();
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
    drop_capitalised_common_words(text, sentences, &mut mentions);
    make_types_consistent(text, &mut mentions);
    add_untagged_repeats(text, sentences, &mut mentions);
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

fn make_types_consistent(text: &str, mentions: &mut [NamedMention]) {
    let mut votes: HashMap<String, Vec<(EntityType, usize)>> = HashMap::new();
    for mention in mentions.iter() {
        let counts = votes
            .entry(surface_key(&text[mention.span.start..mention.span.end]))
            .or_default();
        match counts.iter_mut().find(|(t, _)| *t == mention.entity_type) {
            Some((_, n)) => *n += 1,
            None => counts.push((mention.entity_type, 1)),
        }
    }
    // Surnames of multi-word person names vote PERSON for their lone form.
    let mut person_last_words: HashMap<String, usize> = HashMap::new();
    for mention in mentions
        .iter()
        .filter(|m| m.entity_type == EntityType::Person && m.token_end - m.token_start >= 2)
    {
        if let Some(last) = text[mention.span.start..mention.span.end]
            .split_whitespace()
            .last()
        {
            *person_last_words.entry(surface_key(last)).or_default() += 1;
        }
    }
    // Gazetteers vote too: "London" is a city however the tagger saw it in one sentence.
    for (form, counts) in votes.iter_mut() {
        let words: Vec<&str> = form.split_whitespace().collect();
        let flags = crate::gazetteer::classify(&words);
        let whole_entry = !flags.is_empty()
            && flags
                .iter()
                .skip(1)
                .all(|f| f & crate::gazetteer::CONTINUES != 0);
        if !whole_entry {
            continue;
        }
        let class = flags[0];
        // Countries always; cities unless also a first name ("Paris"); surnames are too many to veto.
        let prior = if class & crate::gazetteer::COUNTRY != 0
            || (class & crate::gazetteer::CITY != 0 && class & crate::gazetteer::FIRST_NAME == 0)
        {
            Some(EntityType::Gpe)
        } else if class & crate::gazetteer::REGION != 0 {
            Some(EntityType::Loc)
        } else if class & crate::gazetteer::NATIONALITY != 0 {
            Some(EntityType::Norp)
        } else {
            None
        };
        if let Some(entity_type) = prior {
            match counts.iter_mut().find(|(t, _)| *t == entity_type) {
                Some((_, count)) => *count += 2,
                None => counts.push((entity_type, 2)),
            }
        }
    }
    // A full name whose surname stands alone as a person is a person: "Qasem Soleimani" when
    // "Soleimani" is mostly tagged PERSON.
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
                let boost = counts.iter().map(|(_, n)| *n).sum::<usize>() + 1;
                match counts.iter_mut().find(|(t, _)| *t == EntityType::Person) {
                    Some((_, count)) => *count += boost,
                    None => counts.push((EntityType::Person, boost)),
                }
            }
        }
    }
    for (word, n) in person_last_words {
        if let Some(counts) = votes.get_mut(&word) {
            match counts.iter_mut().find(|(t, _)| *t == EntityType::Person) {
                Some((_, count)) => *count += n,
                None => counts.push((EntityType::Person, n)),
            }
        }
    }
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

/// Adds mentions where a tagged surface form recurs untagged (capitalised, same tokens).
fn add_untagged_repeats(
    text: &str,
    sentences: &[SentenceTokens],
    mentions: &mut Vec<NamedMention>,
) {
    let mut forms: HashMap<String, (Vec<String>, EntityType)> = HashMap::new();
    for mention in mentions.iter() {
        let surface = &text[mention.span.start..mention.span.end];
        if surface.chars().next().is_some_and(char::is_uppercase)
            && surface.chars().filter(|c| c.is_alphabetic()).count() >= 3
        {
            let sentence = &sentences[mention.sentence_idx];
            let words: Vec<String> = sentence.tokens[mention.token_start..mention.token_end]
                .iter()
                .map(|t| surface_key(&text[t.start..t.end]))
                .collect();
            forms
                .entry(words[0].clone())
                .or_insert((words, mention.entity_type));
        }
    }
    if forms.is_empty() {
        return;
    }
    let mut covered: Vec<Vec<bool>> = sentences
        .iter()
        .map(|s| vec![false; s.tokens.len()])
        .collect();
    for mention in mentions.iter() {
        for flag in &mut covered[mention.sentence_idx][mention.token_start..mention.token_end] {
            *flag = true;
        }
    }
    let mut added = Vec::new();
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let mut idx = 0;
        while idx < sentence.tokens.len() {
            let word = surface_key(&text[sentence.tokens[idx].start..sentence.tokens[idx].end]);
            if let Some((form, entity_type)) = forms.get(&word) {
                let end = idx + form.len();
                let matches = end <= sentence.tokens.len()
                    && (idx..end).all(|i| !covered[sentence_idx][i])
                    && form.iter().enumerate().all(|(offset, w)| {
                        surface_key(
                            &text[sentence.tokens[idx + offset].start
                                ..sentence.tokens[idx + offset].end],
                        ) == *w
                    });
                if matches {
                    let span = Span::new(sentence.tokens[idx].start, sentence.tokens[end - 1].end);
                    added.push(NamedMention {
                        span,
                        sentence_idx,
                        token_start: idx,
                        token_end: end,
                        entity_type: *entity_type,
                    });
                    idx = end;
                    continue;
                }
            }
            idx += 1;
        }
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| m.span.start);
}
