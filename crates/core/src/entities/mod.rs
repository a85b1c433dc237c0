//! Entities: the tagger's mentions made consistent across the article, grouped into entities with
//! their roles, and pronouns attached to the people they refer to.
//!
//! Steps, each in its own module: `mentions.rs` tags every sentence and makes types consistent per
//! surface form (a name typed PERSON once is PERSON throughout) and finds untagged repeats, after
//! `patterns.rs` fixes mentions by the phrases around them (peers, honorifics, "the X group") and
//! `teams.rs` makes the towns of a sports report's results clubs, and `boundaries.rs` fixes the
//! edges of names once all are known (institutions over "of", headline phrases, compass points);
//! `grouping.rs` joins mentions of one entity ("Jeremy Corbyn" … "Corbyn", "IRGC" after its
//! definition, "US" and "United States"); `roles.rs` reads titles and appositions ("Labour leader",
//! "Colonel", ", former commander of …"); `coref.rs` attaches pronouns and nominals. Spans are
//! byte offsets; the analysis converts them.

mod boundaries;
mod consistency;
mod coref;
mod datelines;
mod grouping;
mod mentions;
mod named;
mod office_titles;
mod patterns;
mod roles;
mod teams;
#[cfg(test)]
mod test_support;
mod untagged;

use crate::deadline::Deadline;
use crate::ner::EntityType;
use crate::offsets::Span;

/// Byte spans of quoted text (quotation marks included), for layers that set quotes apart; the
/// marks are paired by the quote layer (`quotes/marks.rs`).
pub fn quoted_spans(text: &str) -> Vec<Span> {
    crate::quotes::marks::quoted_spans_by_line(text)
}

pub use newslens_contract::MentionKind;

/// One mention, in byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityMention {
    /// Where it is.
    pub span: Span,
    /// How it names the entity.
    pub kind: MentionKind,
    /// The sentence it is in.
    pub sentence_idx: usize,
}

/// An entity found in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundEntity {
    /// The fullest proper name seen.
    pub name: String,
    /// Its type.
    pub entity_type: EntityType,
    /// Roles and titles, in order of appearance.
    pub roles: Vec<String>,
    /// Mentions in text order.
    pub mentions: Vec<EntityMention>,
}

/// The byte spans of every mention by name ("Jeremy Corbyn", "Hezbollah", "Iranian"), in no
/// particular order: the words a layer judging the outlet's wording must not take for its
/// judgement.
pub fn name_spans(entities: &[FoundEntity]) -> Vec<Span> {
    entities
        .iter()
        .flat_map(|entity| &entity.mentions)
        .filter(|mention| mention.kind == MentionKind::Name)
        .map(|mention| mention.span)
        .collect()
}

/// The tokens of one sentence, as byte spans.
pub(crate) struct SentenceTokens {
    pub tokens: Vec<Span>,
}

impl SentenceTokens {
    /// The sentence's words as written.
    pub fn words<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.tokens.iter().map(|t| &text[t.start..t.end]).collect()
    }
}

/// Finds the entities of a text, given its sentences.
///
/// ```
/// use newslens_core::entities::find_entities;
/// use newslens_core::segment::{paragraphs, sentences};
/// let text = "Labour leader Jeremy Corbyn spoke in London. Corbyn said he was proud.";
/// let entities = find_entities(text, &sentences(text, &paragraphs(text)));
/// let corbyn = entities.iter().find(|e| e.name == "Jeremy Corbyn").expect("Corbyn is found");
/// assert_eq!(corbyn.roles, ["Labour leader"]);
/// assert_eq!(corbyn.mentions.len(), 3); // "Jeremy Corbyn", "Corbyn", "he"
/// ```
pub fn find_entities(text: &str, sentences: &[Span]) -> Vec<FoundEntity> {
    let sentence_tokens: Vec<Vec<Span>> = sentences
        .iter()
        .map(|sentence| {
            let mut tokens = Vec::new();
            crate::tokens::tokenize_into(text, sentence.start, sentence.end, &mut tokens);
            tokens
        })
        .collect();
    find_entities_in_tokens(text, sentence_tokens)
}

/// [`find_entities`] over sentences already cut into tokens (byte spans into `text`), as gold
/// data comes.
pub fn find_entities_in_tokens(text: &str, sentences: Vec<Vec<Span>>) -> Vec<FoundEntity> {
    find_entities_within(text, sentences, Deadline::NEVER)
}

/// [`find_entities_in_tokens`] until `deadline`: once it has passed, the tagger stops at the next
/// sentence and the passes after it are skipped, so the entities are partial, and
/// [`crate::analyze_within`] drops them at its next check.
pub fn find_entities_within(
    text: &str,
    sentences: Vec<Vec<Span>>,
    deadline: Deadline,
) -> Vec<FoundEntity> {
    let sentence_tokens: Vec<SentenceTokens> = sentences
        .into_iter()
        .map(|tokens| SentenceTokens { tokens })
        .collect();
    let named = mentions::named_mentions(text, &sentence_tokens, deadline);
    if deadline.passed() {
        return Vec::new();
    }
    let mut entities = grouping::group(text, &named);
    roles::assign_roles(text, &sentence_tokens, &named, &mut entities);
    if deadline.passed() {
        return Vec::new();
    }
    coref::attach_pronouns_and_nominals(text, &sentence_tokens, &mut entities);
    entities.retain(|e| !e.mentions.is_empty());
    for entity in &mut entities {
        entity.mentions.sort_by_key(|m| m.span.start);
        entity.mentions.dedup_by_key(|m| m.span);
    }
    entities.sort_by_key(|e| e.mentions.first().map_or(usize::MAX, |m| m.span.start));
    entities
}
