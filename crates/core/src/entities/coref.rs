//! Pronouns and nominals attached to the people they refer to: "he" after "Corbyn tweeted", "the
//! Labour leader" after "Labour leader Jeremy Corbyn", and unnamed people such as "the Prime
//! Minister’s official spokesman" … "the spokesman" … "he".
//!
//! Mentions are read in order and kept in a chain. A nominal ("the" + words ending in a title or
//! person noun) joins the latest person who holds that role or was described that way; headed by a
//! person noun (`data/person_nouns.txt`) and matching nobody, it becomes a person of its own. A
//! pronoun (`data/pronouns.txt`) outside quotation marks refers to the leftmost person mentioned in
//! the nearest sentence (its own first, then up to three back) — subjects come first in English.
//! It is cautious: with no person in reach a pronoun stays unattached, and pronouns inside quotes
//! are left to the quotes layer.

use foldhash::{HashMap, HashSet};
use std::sync::LazyLock;

use super::roles::is_title_word;
use super::{EntityMention, FoundEntity, MentionKind, SentenceTokens};
use crate::lexicon;
use crate::ner::EntityType;
use crate::offsets::Span;
use crate::quotes::marks::quoted_spans_by_line;

/// Sentences back that a pronoun may reach.
const PRONOUN_REACH: usize = 3;
/// Words after "the" read for a nominal.
const MAX_NOMINAL_WORDS: usize = 5;

static PRONOUNS: LazyLock<HashMap<&'static str, char>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/pronouns.txt"))
        .filter_map(|line| {
            let (word, gender) = line.split_once(' ')?;
            Some((word, gender.trim().chars().next().unwrap_or('n')))
        })
        .collect()
});

static PERSON_NOUNS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lexicon::items(include_str!("../../data/person_nouns.txt")).collect());

/// A person mention in reading order: where, in which sentence, of which entity.
#[derive(Clone, Copy)]
struct ChainLink {
    start: usize,
    sentence_idx: usize,
    entity_idx: usize,
}

pub fn attach_pronouns_and_nominals(
    text: &str,
    sentences: &[SentenceTokens],
    entities: &mut Vec<FoundEntity>,
) {
    let quoted = QuotedRanges::new(quoted_spans_by_line(text));
    let inside_quote = |offset: usize| quoted.contains(offset);
    let mut named: Vec<ChainLink> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.entity_type == EntityType::Person)
        .flat_map(|(entity_idx, e)| {
            e.mentions.iter().map(move |m| ChainLink {
                start: m.span.start,
                sentence_idx: m.sentence_idx,
                entity_idx,
            })
        })
        .collect();
    named.sort_by_key(|link| link.start);
    // Name mentions by entity and end, for appositions: reading an entity's every mention for
    // each link made a person named thousands of times quadratic.
    let name_ends: HashSet<(usize, usize)> = entities
        .iter()
        .enumerate()
        .flat_map(|(entity_idx, e)| {
            e.mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name)
                .map(move |m| (entity_idx, m.span.end))
        })
        .collect();
    let mut described = Descriptions::new(entities);
    let mut chain = Chain::default();
    let mut named_idx = 0;

    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let mut token_idx = 0;
        while token_idx < sentence.tokens.len() {
            let token = sentence.tokens[token_idx];
            while named_idx < named.len() && named[named_idx].start <= token.start {
                chain.push(named[named_idx]);
                named_idx += 1;
            }
            let word = &text[token.start..token.end];
            let lower = word.to_lowercase();
            if PRONOUNS.contains_key(lower.as_str()) && !inside_quote(token.start) {
                if let Some(entity_idx) = antecedent(&chain.links, sentence_idx) {
                    entities[entity_idx].mentions.push(EntityMention {
                        span: token,
                        kind: MentionKind::Pronoun,
                        sentence_idx,
                    });
                    chain.push(ChainLink {
                        start: token.start,
                        sentence_idx,
                        entity_idx,
                    });
                }
            } else if lower == "the" && !inside_quote(token.start) {
                let nominal = nominal_end(text, sentence, token_idx)
                    // "the foreign secretary Dominic Raab": a premodifier of a name, a role not a mention.
                    .filter(|end_idx| {
                        !sentence.tokens.get(end_idx + 1).is_some_and(|next| {
                            named
                                .binary_search_by_key(&next.start, |link| link.start)
                                .is_ok()
                        })
                    });
                if let Some(end_idx) = nominal {
                    let span = Span::new(token.start, sentence.tokens[end_idx].end);
                    let description =
                        &text[sentence.tokens[token_idx + 1].start..sentence.tokens[end_idx].end];
                    let head = &text[sentence.tokens[end_idx].start..sentence.tokens[end_idx].end];
                    // "Abu Mahdi al-Muhandis, the commander of …": an apposition names the same person.
                    let apposed = (token_idx >= 2
                        && &text[sentence.tokens[token_idx - 1].start
                            ..sentence.tokens[token_idx - 1].end]
                            == ",")
                        .then(|| {
                            // The chain runs in text order: only this sentence's tail is read.
                            let name_end = sentence.tokens[token_idx - 2].end;
                            chain
                                .links
                                .iter()
                                .rev()
                                .take_while(|link| link.sentence_idx >= sentence_idx)
                                .find(|link| {
                                    link.sentence_idx == sentence_idx
                                        && name_ends.contains(&(link.entity_idx, name_end))
                                })
                        })
                        .flatten()
                        .map(|link| link.entity_idx);
                    let entity_idx =
                        match apposed.or_else(|| described.person(&chain, description, head)) {
                            Some(entity_idx) => Some(entity_idx),
                            None if PERSON_NOUNS.contains(head.to_lowercase().as_str()) => {
                                entities.push(FoundEntity {
                                    name: description.to_string(),
                                    entity_type: EntityType::Person,
                                    roles: Vec::new(),
                                    mentions: Vec::new(),
                                });
                                described.push(&entities[entities.len() - 1]);
                                Some(entities.len() - 1)
                            }
                            None => None,
                        };
                    if let Some(entity_idx) = entity_idx {
                        entities[entity_idx].mentions.push(EntityMention {
                            span,
                            kind: MentionKind::Nominal,
                            sentence_idx,
                        });
                        chain.push(ChainLink {
                            start: token.start,
                            sentence_idx,
                            entity_idx,
                        });
                        token_idx = end_idx + 1;
                        continue;
                    }
                }
            }
            token_idx += 1;
        }
    }
}

/// The person a pronoun in `sentence_idx` refers to: the leftmost person mentioned in the nearest
/// sentence that mentions one, within reach.
///
/// The chain runs in text order, so its sentence numbers never decrease: the nearest sentence is
/// the last link's, and its leftmost person is found by binary search, not by reading the chain
/// from the start for every pronoun (which made long texts quadratic).
fn antecedent(chain: &[ChainLink], sentence_idx: usize) -> Option<usize> {
    let nearest = chain
        .last()
        .filter(|link| link.sentence_idx + PRONOUN_REACH >= sentence_idx)?
        .sentence_idx;
    let first = chain.partition_point(|link| link.sentence_idx < nearest);
    chain
        .get(first)
        .filter(|link| link.sentence_idx == nearest)
        .map(|link| link.entity_idx)
}

/// Quoted spans, asked "is this offset inside one?" in logarithmic time: the spans sorted by
/// start, with the furthest end reached by any span up to each.
struct QuotedRanges {
    starts: Vec<usize>,
    furthest_end: Vec<usize>,
}

impl QuotedRanges {
    fn new(mut spans: Vec<Span>) -> QuotedRanges {
        spans.sort_by_key(|span| span.start);
        let mut furthest = 0;
        let furthest_end = spans
            .iter()
            .map(|span| {
                furthest = furthest.max(span.end);
                furthest
            })
            .collect();
        QuotedRanges {
            starts: spans.iter().map(|span| span.start).collect(),
            furthest_end,
        }
    }

    fn contains(&self, offset: usize) -> bool {
        let n_started = self.starts.partition_point(|&start| start <= offset);
        n_started > 0 && self.furthest_end[n_started - 1] > offset
    }
}

/// The last token of a nominal opened by "the" at `the_idx`: up to five words ending in a title or
/// person noun, without crossing punctuation (a possessive "’s" may stand inside).
fn nominal_end(text: &str, sentence: &SentenceTokens, the_idx: usize) -> Option<usize> {
    let mut found = None;
    for end_idx in the_idx + 1..(the_idx + 1 + MAX_NOMINAL_WORDS).min(sentence.tokens.len()) {
        let word = &text[sentence.tokens[end_idx].start..sentence.tokens[end_idx].end];
        if !word.chars().any(char::is_alphanumeric) {
            break;
        }
        if is_title_word(word) || PERSON_NOUNS.contains(word.to_lowercase().as_str()) {
            found = Some(end_idx);
            // Keep going: "the Prime Minister’s official spokesman" ends at "spokesman".
        } else if found.is_some()
            && !matches!(word, "’s" | "'s")
            && word.chars().next().is_some_and(char::is_lowercase)
            && !is_adjective_like(word)
        {
            break;
        }
    }
    found
}

static NOMINAL_MODIFIERS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lexicon::items(include_str!("../../data/nominal_modifiers.txt")).collect());

/// Lower-case words that sit inside a description (`data/nominal_modifiers.txt`).
fn is_adjective_like(word: &str) -> bool {
    NOMINAL_MODIFIERS.contains(word)
}

/// The chain of person mentions in reading order, and where each entity was last mentioned.
#[derive(Default)]
struct Chain {
    links: Vec<ChainLink>,
    /// Per entity index, the position in `links` of its latest link.
    latest_link: Vec<Option<usize>>,
    /// The entities with a link, each once, in the order of their first.
    linked: Vec<usize>,
}

impl Chain {
    fn push(&mut self, link: ChainLink) {
        if self.latest_link.len() <= link.entity_idx {
            self.latest_link.resize(link.entity_idx + 1, None);
        }
        if self.latest_link[link.entity_idx].is_none() {
            self.linked.push(link.entity_idx);
        }
        self.latest_link[link.entity_idx] = Some(self.links.len());
        self.links.push(link);
    }
}

/// What a nominal is compared with, per entity: its roles and name folded, and whether a name
/// mentions it. Neither changes while pronouns and nominals are attached (they add no names or
/// roles), so each is folded once instead of for every link of the chain at every nominal.
struct Descriptions {
    roles: Vec<Vec<String>>,
    name: Vec<String>,
    is_named: Vec<bool>,
    /// Entities by the last one, two and three characters of each folded role and, when no name
    /// mentions them, of their folded name: a role ending with a description ends with its last
    /// characters, so only the entities under those are compared, not every person so far
    /// (which made a text of thousands of people and "the spokesman" in each sentence quadratic).
    by_ending: HashMap<String, Vec<usize>>,
}

/// The last one, two and three characters of a folded text, as far as it has them.
fn endings(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .char_indices()
        .rev()
        .take(3)
        .map(move |(at, _)| &folded[at..])
}

/// The longest of [`endings`]: the key a text ending with `folded` is found under.
fn ending(folded: &str) -> &str {
    endings(folded).last().unwrap_or(folded)
}

impl Descriptions {
    fn new(entities: &[FoundEntity]) -> Descriptions {
        let mut described = Descriptions {
            roles: Vec::with_capacity(entities.len()),
            name: Vec::with_capacity(entities.len()),
            is_named: Vec::with_capacity(entities.len()),
            by_ending: HashMap::default(),
        };
        for entity in entities {
            described.push(entity);
        }
        described
    }

    fn push(&mut self, entity: &FoundEntity) {
        let entity_idx = self.name.len();
        let roles: Vec<String> = entity.roles.iter().map(|role| fold(role)).collect();
        let name = fold(&entity.name);
        let is_named = entity.mentions.iter().any(|m| m.kind == MentionKind::Name);
        let unnamed_name = (!is_named).then_some(name.as_str());
        for text in roles.iter().map(String::as_str).chain(unnamed_name) {
            for key in endings(text) {
                let list = self.by_ending.entry(key.to_string()).or_default();
                if list.last() != Some(&entity_idx) {
                    list.push(entity_idx);
                }
            }
        }
        self.roles.push(roles);
        self.name.push(name);
        self.is_named.push(is_named);
    }

    /// The person described by `description` ("Labour leader", "spokesman"): one who holds it as
    /// a role, or an unnamed person whose description ends with the same head noun, most recent
    /// first — the linked entity whose latest link is latest, which is the one a walk back along
    /// the chain meets first, found without that walk over every mention.
    fn person(&self, chain: &Chain, description: &str, head: &str) -> Option<usize> {
        let description = fold(description);
        let head = fold(head);
        let under = |folded: &str| self.by_ending.get(ending(folded)).into_iter().flatten();
        under(&description)
            .chain(under(&head))
            .filter(|&&entity_idx| {
                chain
                    .latest_link
                    .get(entity_idx)
                    .copied()
                    .flatten()
                    .is_some()
            })
            .filter(|&&entity_idx| {
                self.roles[entity_idx]
                    .iter()
                    .any(|role| role.ends_with(&description))
                    || (!self.is_named[entity_idx] && self.name[entity_idx].ends_with(&head))
            })
            .max_by_key(|&&entity_idx| chain.latest_link[entity_idx])
            .copied()
    }
}

fn fold(text: &str) -> String {
    text.to_lowercase().replace('’', "'")
}
