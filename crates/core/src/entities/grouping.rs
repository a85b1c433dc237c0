//! Grouping named mentions into entities: one person under their full name and their surname, an
//! organisation under its name and the acronym the text defines for it, a country under its
//! aliases (`data/aliases.txt`).
//!
//! Mentions are taken in text order; each joins the most recent compatible entity or starts one.
//! The entity's name is the fullest proper name seen. It does not assign roles or pronouns.
//!
//! "Compatible" is [`belongs`]; the groups it is asked about come from a [`GroupIndex`] of the
//! keys under which it can say yes (alias, form, word suffixes, initials), not from every group
//! so far, which made a text naming thousands of different people quadratic.

use foldhash::{HashMap, HashSet};
use std::sync::LazyLock;

use super::named::{surface_key, NamedMention};
use super::{EntityMention, FoundEntity, MentionKind};
use crate::lexicon;
use crate::ner::EntityType;

/// Alias (lower-cased) → (canonical name, type), from `data/aliases.txt`.
static ALIASES: LazyLock<HashMap<String, (&'static str, EntityType)>> = LazyLock::new(|| {
    let mut aliases = HashMap::default();
    for line in lexicon::items(include_str!("../../data/aliases.txt")) {
        let Some((type_name, names)) = line.split_once(':') else {
            continue;
        };
        let Some(entity_type) = EntityType::from_name(type_name.trim()) else {
            continue;
        };
        let mut names = names.split(" | ").map(str::trim);
        let Some(canonical) = names.next() else {
            continue;
        };
        aliases.insert(canonical.to_lowercase(), (canonical, entity_type));
        for alias in names {
            aliases.insert(alias.to_lowercase(), (canonical, entity_type));
        }
    }
    aliases
});

/// A surface form without a leading "the" and trailing possessive, for comparison.
fn comparable(surface: &str) -> String {
    let key = surface_key(surface);
    let key = key
        .strip_prefix("the ")
        .or_else(|| key.strip_prefix("The "))
        .unwrap_or(&key);
    key.trim_end_matches("'s").to_string()
}

/// The capitalised words' initials: "Islamic Revolutionary Guard Corps" → "IRGC".
fn initials(name: &str) -> String {
    name.split([' ', '-'])
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

fn is_acronym(surface: &str) -> bool {
    let letters: Vec<char> = surface.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) && !surface.contains(' ')
}

struct Group {
    entity: FoundEntity,
    /// The distinct comparable forms of its name mentions, in the order first seen. Once each:
    /// every form of every mention made each later mention compare against all earlier ones.
    forms: Vec<String>,
    /// The same forms, for the exact comparison.
    form_set: HashSet<String>,
    /// Canonical alias name, when the entity is a known alias group.
    canonical: Option<&'static str>,
}

pub fn group(text: &str, mentions: &[NamedMention]) -> Vec<FoundEntity> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index = GroupIndex::default();
    for mention in mentions {
        let surface = &text[mention.span.start..mention.span.end];
        let form = comparable(surface);
        if form.is_empty() {
            continue;
        }
        let alias = ALIASES.get(&form.to_lowercase()).copied();
        let canonical = alias.map(|(name, _)| name);
        // A known alias has a known type, whatever the tagger said.
        let entity_type = alias.map_or(mention.entity_type, |(_, entity_type)| entity_type);
        // The latest group it belongs to, as a scan from the last group back would find.
        let found = index
            .candidates(&form, canonical, entity_type)
            .into_iter()
            .find(|&group_idx| belongs(&groups[group_idx], &form, canonical, entity_type));
        let entity_mention = EntityMention {
            span: mention.span,
            kind: MentionKind::Name,
            sentence_idx: mention.sentence_idx,
        };
        match found {
            Some(group_idx) => {
                let group = &mut groups[group_idx];
                group.entity.mentions.push(entity_mention);
                if fuller(&form, &group.entity.name) {
                    group.entity.name = form.clone();
                }
                if group.form_set.insert(form.clone()) {
                    index.add_form(group_idx, group.entity.entity_type, &form);
                    group.forms.push(form);
                }
            }
            None => {
                let group_idx = groups.len();
                index.add_group(group_idx, canonical, entity_type, &form);
                groups.push(Group {
                    entity: FoundEntity {
                        name: form.clone(),
                        entity_type,
                        roles: Vec::new(),
                        mentions: vec![entity_mention],
                    },
                    form_set: HashSet::from_iter([form.clone()]),
                    forms: vec![form],
                    canonical,
                });
            }
        }
    }
    for group in &mut groups {
        if let Some(canonical) = group.canonical {
            if group
                .forms
                .iter()
                .any(|f| f.eq_ignore_ascii_case(canonical))
            {
                group.entity.name = canonical.to_string();
            }
        }
    }
    groups.into_iter().map(|group| group.entity).collect()
}

/// The groups a mention could belong to, by every key under which [`belongs`] can say yes: the
/// same alias, the same form, for people a name whose words end with the mention's or the
/// other way round, for others an acronym and the name it stands for.
#[derive(Default)]
struct GroupIndex {
    by_canonical: HashMap<&'static str, Vec<usize>>,
    by_form: HashMap<String, Vec<usize>>,
    /// People's groups by every word suffix of their forms ("Jeremy Corbyn", "Corbyn").
    by_word_suffix: HashMap<String, Vec<usize>>,
    /// People's groups by their forms' words, whole.
    by_words: HashMap<String, Vec<usize>>,
    /// Other groups by their forms' initials ("IRGC").
    by_initials: HashMap<String, Vec<usize>>,
}

impl GroupIndex {
    fn add_group(
        &mut self,
        group_idx: usize,
        canonical: Option<&'static str>,
        entity_type: EntityType,
        form: &str,
    ) {
        if let Some(canonical) = canonical {
            add_to(self.by_canonical.entry(canonical).or_default(), group_idx);
        }
        self.add_form(group_idx, entity_type, form);
    }

    /// A form new to a group (of this type).
    fn add_form(&mut self, group_idx: usize, entity_type: EntityType, form: &str) {
        add_to(self.by_form.entry(form.to_string()).or_default(), group_idx);
        if entity_type == EntityType::Person {
            let words = name_words(form);
            if !words.is_empty() {
                add_to(self.by_words.entry(words.join(" ")).or_default(), group_idx);
            }
            for start in 0..words.len() {
                let suffix = words[start..].join(" ");
                add_to(self.by_word_suffix.entry(suffix).or_default(), group_idx);
            }
        } else {
            add_to(
                self.by_initials.entry(initials(form)).or_default(),
                group_idx,
            );
        }
    }

    /// Every group [`belongs`] may accept the mention into, latest first.
    fn candidates(
        &self,
        form: &str,
        canonical: Option<&'static str>,
        entity_type: EntityType,
    ) -> Vec<usize> {
        let mut candidates: Vec<usize> = Vec::new();
        let mut take = |list: Option<&Vec<usize>>| candidates.extend(list.into_iter().flatten());
        if let Some(canonical) = canonical {
            take(self.by_canonical.get(canonical));
        }
        take(self.by_form.get(form));
        if entity_type == EntityType::Person {
            let words = name_words(form);
            if !words.is_empty() {
                // A known name ending with this one's words…
                take(self.by_word_suffix.get(&words.join(" ")));
            }
            // …or this one ending with a known name's words.
            for start in 0..words.len() {
                take(self.by_words.get(&words[start..].join(" ")));
            }
        } else if is_acronym(form) {
            take(self.by_initials.get(form));
        } else {
            take(self.by_form.get(&initials(form)));
        }
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        candidates.dedup();
        candidates
    }
}

/// Adds a group to a key's list; a group listed twice (it added another form with the key
/// after a later group did) is deduplicated by [`GroupIndex::candidates`].
fn add_to(list: &mut Vec<usize>, group_idx: usize) {
    if list.last() != Some(&group_idx) {
        list.push(group_idx);
    }
}

/// A person's name as [`belongs`] compares it: its words, particles dropped ("al-Muhandis").
fn name_words(form: &str) -> Vec<&str> {
    form.split_whitespace().map(without_particle).collect()
}

/// Whether a mention with this form and type belongs to a group.
fn belongs(
    group: &Group,
    form: &str,
    canonical: Option<&'static str>,
    entity_type: EntityType,
) -> bool {
    if let (Some(a), Some(b)) = (canonical, group.canonical) {
        return a == b;
    }
    let type_matches = group.entity.entity_type == entity_type;
    if group.form_set.contains(form) {
        return type_matches;
    }
    if !type_matches {
        return false;
    }
    match entity_type {
        EntityType::Person => {
            let words: Vec<&str> = form.split_whitespace().map(without_particle).collect();
            group.forms.iter().any(|known| {
                let known_words: Vec<&str> =
                    known.split_whitespace().map(without_particle).collect();
                ends_with_words(&known_words, &words) || ends_with_words(&words, &known_words)
            })
        }
        _ => {
            if is_acronym(form) {
                group.forms.iter().any(|known| initials(known) == form)
            } else {
                group
                    .forms
                    .iter()
                    .any(|known| is_acronym(known) && initials(form) == *known)
            }
        }
    }
}

/// A name word without a lower-case particle joined by a hyphen: "al-Muhandis" → "Muhandis".
fn without_particle(word: &str) -> &str {
    match word.split_once('-') {
        Some((particle, rest))
            if particle.chars().all(char::is_lowercase) && rest.starts_with(char::is_uppercase) =>
        {
            rest
        }
        _ => word,
    }
}

/// Whether `longer` ends with all of `shorter` ("Jeremy Corbyn" ends with "Corbyn").
fn ends_with_words(longer: &[&str], shorter: &[&str]) -> bool {
    !shorter.is_empty()
        && shorter.len() <= longer.len()
        && longer[longer.len() - shorter.len()..] == *shorter
}

/// Whether `candidate` is a fuller proper name than `current`: more words, and not an acronym.
fn fuller(candidate: &str, current: &str) -> bool {
    let n_candidate = candidate.split_whitespace().count();
    let n_current = current.split_whitespace().count();
    (n_candidate > n_current && !is_acronym(candidate))
        || (is_acronym(current) && !is_acronym(candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_match_their_initials() {
        assert_eq!(initials("Islamic Revolutionary Guard Corps"), "IRGC");
        assert!(is_acronym("IRGC"));
        assert!(!is_acronym("Iran"));
    }

    #[test]
    fn possessives_and_articles_are_not_part_of_the_comparable_form() {
        assert_eq!(comparable("the United States"), "United States");
        assert_eq!(comparable("Corbyn’s"), "Corbyn");
    }

    /// The grouping as it was before the index: every mention compared with every group so
    /// far, the latest that belongs winning.
    fn group_by_comparing_every_group(text: &str, mentions: &[NamedMention]) -> Vec<FoundEntity> {
        let mut groups: Vec<Group> = Vec::new();
        for mention in mentions {
            let form = comparable(&text[mention.span.start..mention.span.end]);
            let alias = ALIASES.get(&form.to_lowercase()).copied();
            let canonical = alias.map(|(name, _)| name);
            let entity_type = alias.map_or(mention.entity_type, |(_, entity_type)| entity_type);
            let entity_mention = EntityMention {
                span: mention.span,
                kind: MentionKind::Name,
                sentence_idx: mention.sentence_idx,
            };
            match groups
                .iter()
                .rposition(|group| belongs(group, &form, canonical, entity_type))
            {
                Some(group_idx) => {
                    let group = &mut groups[group_idx];
                    group.entity.mentions.push(entity_mention);
                    if fuller(&form, &group.entity.name) {
                        group.entity.name = form.clone();
                    }
                    if group.form_set.insert(form.clone()) {
                        group.forms.push(form);
                    }
                }
                None => groups.push(Group {
                    entity: FoundEntity {
                        name: form.clone(),
                        entity_type,
                        roles: Vec::new(),
                        mentions: vec![entity_mention],
                    },
                    form_set: HashSet::from_iter([form.clone()]),
                    forms: vec![form],
                    canonical,
                }),
            }
        }
        groups.into_iter().map(|group| group.entity).collect()
    }

    #[test]
    fn the_index_finds_the_group_comparing_every_group_finds() {
        let names = [
            ("Jeremy Corbyn", EntityType::Person),
            ("Ana Smith", EntityType::Person),
            ("Corbyn", EntityType::Person),
            ("Islamic Revolutionary Guard Corps", EntityType::Org),
            ("Tom Smith", EntityType::Person),
            ("Smith", EntityType::Person),
            ("IRGC", EntityType::Org),
            ("Abu Mahdi al-Muhandis", EntityType::Person),
            ("Muhandis", EntityType::Person),
            ("United States", EntityType::Loc),
            ("US", EntityType::Loc),
            ("Corbyn", EntityType::Org),
            ("Ana Smith", EntityType::Person),
            ("the United States", EntityType::Loc),
            ("Guard Corps", EntityType::Org),
            ("Smith", EntityType::Person),
        ];
        let mut text = String::new();
        let mut mentions = Vec::new();
        for (sentence_idx, (name, entity_type)) in names.iter().enumerate() {
            let start = text.len();
            text.push_str(name);
            mentions.push(NamedMention {
                span: crate::offsets::Span::new(start, text.len()),
                sentence_idx,
                token_start: 0,
                token_end: 1,
                entity_type: *entity_type,
            });
            text.push_str(". ");
        }
        let summary = |entities: Vec<FoundEntity>| -> Vec<(String, EntityType, Vec<usize>)> {
            entities
                .into_iter()
                .map(|e| {
                    let starts = e.mentions.iter().map(|m| m.span.start).collect();
                    (e.name, e.entity_type, starts)
                })
                .collect()
        };
        let indexed = summary(group(&text, &mentions));
        assert_eq!(
            indexed,
            summary(group_by_comparing_every_group(&text, &mentions))
        );
        // Surnames join the latest full name that ends with them; the acronym its organisation.
        assert!(indexed.len() < names.len(), "{indexed:?}");
    }

    #[test]
    fn fuller_names_win() {
        assert!(fuller("Jeremy Corbyn", "Corbyn"));
        assert!(fuller("Islamic Revolutionary Guard Corps", "IRGC"));
        assert!(!fuller("IRGC", "Islamic Revolutionary Guard Corps"));
    }
}
