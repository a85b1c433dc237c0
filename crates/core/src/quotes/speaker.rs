//! From the source of an attribution, as written, to a speaker: the entity it names or refers to.
//!
//! The entities layer has already grouped names and attached pronouns and descriptions ("he", "the
//! spokesman") to the people they refer to; a source is resolved through the mentions it contains,
//! people first. A source that names no entity ("a senior official", "officials") is kept as a
//! described speaker with no entity; a pronoun the entities layer could not attach is left to the
//! caller, which knows the current speaker.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::entities::{FoundEntity, MentionKind};
use crate::lexicon;
use crate::ner::EntityType;
use crate::offsets::Span;

use super::FoundSpeaker;

/// Every entity mention, in text order, for lookups by position.
pub struct MentionIndex {
    mentions: Vec<(Span, usize, MentionKind)>,
}

impl MentionIndex {
    pub fn new(entities: &[FoundEntity]) -> MentionIndex {
        let mut mentions: Vec<(Span, usize, MentionKind)> = entities
            .iter()
            .enumerate()
            .flat_map(|(idx, entity)| entity.mentions.iter().map(move |m| (m.span, idx, m.kind)))
            .collect();
        mentions.sort_by_key(|(span, _, _)| (span.start, span.end));
        MentionIndex { mentions }
    }

    /// Mentions lying inside `span`.
    /// Entities mentioned before `offset` by name or description, nearest first.
    pub fn named_before(&self, offset: usize) -> impl Iterator<Item = &(Span, usize, MentionKind)> {
        let upto = self.mentions.partition_point(|(m, _, _)| m.start < offset);
        self.mentions[..upto]
            .iter()
            .rev()
            .filter(move |(m, _, kind)| m.end <= offset && *kind != MentionKind::Pronoun)
    }

    /// Mentions lying wholly inside `span`, in text order.
    pub fn within(&self, span: Span) -> impl Iterator<Item = &(Span, usize, MentionKind)> {
        let first = self
            .mentions
            .partition_point(|(m, _, _)| m.start < span.start);
        self.mentions[first..]
            .iter()
            .take_while(move |(m, _, _)| m.start < span.end)
            .filter(move |(m, _, _)| m.end <= span.end)
    }

    /// Whether a name mention ends exactly at `end`.
    pub fn name_ending_at(&self, end: usize) -> Option<(Span, usize)> {
        let upto = self.mentions.partition_point(|(m, _, _)| m.start < end);
        self.mentions[..upto]
            .iter()
            .rev()
            .take(8)
            .find(|(m, _, kind)| m.end == end && *kind == MentionKind::Name)
            .map(|(m, idx, _)| (*m, *idx))
    }
}

fn type_rank(entity_type: EntityType) -> u8 {
    match entity_type {
        EntityType::Person => 0,
        EntityType::Org => 1,
        EntityType::Gpe | EntityType::Norp => 2,
        _ => 3,
    }
}

/// The speaker a source names: the person mentioned in it (the last one: "Labour leader Jeremy
/// Corbyn"), else an organisation or place ("the Pentagon"), else the description itself.
/// `None` when the source is only a pronoun no entity holds.
pub fn resolve(
    text: &str,
    source: Span,
    entities: &[FoundEntity],
    index: &MentionIndex,
) -> Option<FoundSpeaker> {
    let words = text[source.start..source.end].trim();
    if words.is_empty() {
        return None;
    }
    let best = index
        .within(source)
        .filter(|(_, idx, _)| entities[*idx].entity_type != EntityType::Event)
        .min_by_key(|(span, idx, kind)| {
            (
                type_rank(entities[*idx].entity_type),
                *kind != MentionKind::Name,
                std::cmp::Reverse(span.start),
            )
        });
    match best {
        // "a spokesman for the Pentagon": the speaker is the spokesman, not the Pentagon.
        Some((span, idx, _))
            if entities[*idx].entity_type != EntityType::Person
                && describes_more_than(text, source, *span) =>
        {
            Some(description(words, source))
        }
        Some((span, idx, kind)) => Some(FoundSpeaker {
            name: entities[*idx].name.clone(),
            entity: Some(*idx),
            mention: Some((*span, *kind)),
        }),
        None if is_pronoun(words) => None,
        None => Some(description(words, source)),
    }
}

fn description(words: &str, source: Span) -> FoundSpeaker {
    FoundSpeaker {
        name: words.to_string(),
        entity: None,
        mention: Some((source, MentionKind::Nominal)),
    }
}

/// A speaker known only by name (a post's author): the entity of that name, if the article has one.
/// A handle is kept beside the name ("Ana Lopez (@analopez)"): display names change and may be in
/// any script, handles identify the account.
pub fn named(name: &str, handle: Option<&str>, entities: &[FoundEntity]) -> FoundSpeaker {
    let entity = entities.iter().position(|entity| {
        entity.name.eq_ignore_ascii_case(name)
            || (entity.entity_type == EntityType::Person
                && name
                    .split_whitespace()
                    .last()
                    .is_some_and(|last| entity.name.split_whitespace().last() == Some(last))
                && name.split_whitespace().next() == entity.name.split_whitespace().next())
    });
    let name = entity.map_or_else(|| name.to_string(), |idx| entities[idx].name.clone());
    let name = match handle {
        Some(handle) if !name.contains(handle) => format!("{name} ({handle})"),
        _ => name,
    };
    FoundSpeaker {
        name,
        entity,
        mention: None,
    }
}

/// Given names with their usual sex, `m`, `f` or `u` (both), from the names gazetteer.
static FIRST_NAME_SEX: LazyLock<HashMap<&'static str, char>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/gazetteer/first_names.txt"))
        .filter_map(|line| {
            let (name, sex) = line.split_once('\t')?;
            Some((name.trim(), sex.trim().chars().next()?))
        })
        .collect()
});

/// Whether "he" or "she" cannot refer to a person of this name: the first name is one the census
/// gives to the other sex. Unknown and shared names never clash.
pub fn sex_clashes(pronoun: &str, name: &str) -> bool {
    let Some(first) = name.split_whitespace().next() else {
        return false;
    };
    matches!(
        (pronoun, FIRST_NAME_SEX.get(first)),
        ("he", Some('f')) | ("she", Some('m'))
    )
}

/// Whether a source is a bare personal pronoun.
pub fn is_pronoun(words: &str) -> bool {
    is_personal_pronoun(&words.to_lowercase())
}

/// Personal pronouns that can stand as a subject, from `data/subject_pronouns.txt`.
static SUBJECT_PRONOUNS: LazyLock<foldhash::HashSet<&'static str>> =
    LazyLock::new(|| lexicon::items(include_str!("../../data/subject_pronouns.txt")).collect());

/// Whether a lower-case word is a personal pronoun that can stand as a subject.
pub(crate) fn is_personal_pronoun(lower: &str) -> bool {
    SUBJECT_PRONOUNS.contains(lower)
}

/// Whether a source says more than the names inside it, "the" aside: "a spokesman for the
/// Pentagon" describes someone; "the Pentagon" and "the US Department of Defense" are names.
fn describes_more_than(text: &str, source: Span, mention: Span) -> bool {
    let outside = format!(
        "{} {}",
        &text[source.start..mention.start],
        &text[mention.end..source.end]
    );
    outside
        .split_whitespace()
        .any(|word| word != "the" && word.chars().next().is_some_and(char::is_lowercase))
}
