//! A story's top entities: the named entities its articles mention, counted across articles.
//!
//! Each article's entity layer already joins "Priya Natarajan" and a later "Natarajan" into one
//! entity, but across articles the names differ: an outlet that only ever writes "Natarajan" gives
//! an entity of that name. So counting by name alone listed one person twice. Here entities are
//! counted by lower-cased name first; then a one-word person whose name is the surname of exactly
//! one longer person name of the story joins it (two Smiths stay apart). A name's spelling and
//! type are the ones with the most mentions, so one article's mistyped "Portmere" (PERSON) does
//! not outvote two that read it as a place. This module counts; it does not read or write storage.

use std::collections::{BTreeMap, BTreeSet};

use newslens_contract::EntityType;

use crate::views::EntityCount;

/// Top entities kept per story.
pub(crate) const STORY_ENTITIES: usize = 8;

/// One entity of one article, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleEntity {
    /// The article's row or any id unique to it.
    pub article: i64,
    /// The entity's name as the article gives it.
    pub name: String,
    /// PERSON, ORG, GPE…
    pub entity_type: EntityType,
    /// Mentions in that article.
    pub mentions: usize,
}

/// Counts being gathered for one name.
#[derive(Default)]
struct Tally {
    articles: BTreeSet<i64>,
    mentions: usize,
    spellings: BTreeMap<String, usize>,
    types: BTreeMap<EntityType, usize>,
}

impl Tally {
    fn add(&mut self, entity: &ArticleEntity) {
        self.articles.insert(entity.article);
        self.mentions += entity.mentions;
        *self.spellings.entry(entity.name.clone()).or_default() += entity.mentions.max(1);
        *self.types.entry(entity.entity_type).or_default() += entity.mentions.max(1);
    }

    fn absorb(&mut self, other: Tally) {
        self.articles.extend(other.articles);
        self.mentions += other.mentions;
        for (entity_type, n) in other.types {
            *self.types.entry(entity_type).or_default() += n;
        }
    }

    /// The most-mentioned of `choices`; ties go to the first in order.
    fn most(choices: &BTreeMap<String, usize>) -> String {
        let mut best: Option<(&String, usize)> = None;
        for (choice, &n) in choices {
            if best.is_none_or(|(_, best_n)| n > best_n) {
                best = Some((choice, n));
            }
        }
        best.map(|(choice, _)| choice.clone()).unwrap_or_default()
    }

    /// The most-mentioned type; ties go to the type whose contract word sorts first, as when
    /// types were counted as words. A tally is made by [`Tally::add`], so it has a type.
    fn most_type(&self) -> EntityType {
        self.types
            .iter()
            .max_by(|(type_a, n_a), (type_b, n_b)| {
                n_a.cmp(n_b).then(type_b.as_str().cmp(type_a.as_str()))
            })
            .map_or(EntityType::Person, |(entity_type, _)| *entity_type)
    }
}

/// The `limit` entities most of the story's articles mention (then most mentioned, then by name).
pub fn top_entities(entities: &[ArticleEntity], limit: usize) -> Vec<EntityCount> {
    let mut by_key: BTreeMap<String, Tally> = BTreeMap::new();
    for entity in entities {
        by_key
            .entry(entity.name.trim().to_lowercase())
            .or_default()
            .add(entity);
    }
    let is_person = |tally: &Tally| tally.most_type() == EntityType::Person;
    // Surnames alone that belong to exactly one longer person name.
    let mut joins: Vec<(String, String)> = Vec::new();
    for (key, tally) in &by_key {
        if key.contains(' ') || !is_person(tally) {
            continue;
        }
        let mut owners = by_key.iter().filter(|(other_key, other)| {
            other_key.rsplit(' ').next() == Some(key.as_str())
                && other_key.contains(' ')
                && is_person(other)
        });
        if let (Some((owner, _)), None) = (owners.next(), owners.next()) {
            joins.push((key.clone(), owner.clone()));
        }
    }
    for (surname, owner) in joins {
        if let Some(tally) = by_key.remove(&surname) {
            if let Some(owner) = by_key.get_mut(&owner) {
                owner.absorb(tally);
            }
        }
    }
    let mut counts: Vec<EntityCount> = by_key
        .into_values()
        .map(|tally| EntityCount {
            name: Tally::most(&tally.spellings),
            entity_type: tally.most_type(),
            articles: tally.articles.len(),
            mentions: tally.mentions,
        })
        .collect();
    counts.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then(b.mentions.cmp(&a.mentions))
            .then(a.name.cmp(&b.name))
    });
    counts.truncate(limit);
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(article: i64, name: &str, entity_type: &str, mentions: usize) -> ArticleEntity {
        ArticleEntity {
            article,
            name: name.into(),
            entity_type: EntityType::from_name(entity_type).expect("a contract entity type"),
            mentions,
        }
    }

    fn summary(counts: &[EntityCount]) -> Vec<(String, String, usize, usize)> {
        counts
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.entity_type.as_str().to_string(),
                    c.articles,
                    c.mentions,
                )
            })
            .collect()
    }

    #[test]
    fn a_surname_alone_joins_the_one_full_name_it_belongs_to() {
        let entities = [
            entity(1, "Priya Natarajan", "PERSON", 4),
            entity(2, "Priya Natarajan", "PERSON", 2),
            entity(3, "Natarajan", "PERSON", 3),
            entity(3, "Alan Greaves", "PERSON", 2),
        ];
        assert_eq!(
            summary(&top_entities(&entities, 8)),
            vec![
                ("Priya Natarajan".into(), "PERSON".into(), 3, 9),
                ("Alan Greaves".into(), "PERSON".into(), 1, 2),
            ]
        );
    }

    #[test]
    fn a_surname_shared_by_two_people_or_held_by_a_place_stays_apart() {
        let entities = [
            entity(1, "Anna Smith", "PERSON", 2),
            entity(2, "Tom Smith", "PERSON", 2),
            entity(3, "Smith", "PERSON", 1),
            entity(1, "Jordan", "GPE", 3),
            entity(2, "Michael Jordan", "PERSON", 1),
        ];
        let names: Vec<String> = top_entities(&entities, 8)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert!(names.contains(&"Smith".to_string()));
        assert!(names.contains(&"Jordan".to_string()));
    }

    #[test]
    fn the_type_and_spelling_with_most_mentions_win_and_names_match_in_any_case() {
        let entities = [
            entity(1, "Portmere", "PERSON", 1),
            entity(2, "Portmere", "GPE", 2),
            entity(3, "PORTMERE", "GPE", 1),
        ];
        assert_eq!(
            summary(&top_entities(&entities, 8)),
            vec![("Portmere".into(), "GPE".into(), 3, 4)]
        );
    }

    #[test]
    fn most_articles_come_first_and_the_list_is_cut_at_the_limit() {
        let entities = [
            entity(1, "A", "ORG", 9),
            entity(1, "B", "ORG", 1),
            entity(2, "B", "ORG", 1),
            entity(1, "C", "ORG", 1),
        ];
        let names: Vec<String> = top_entities(&entities, 2)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, vec!["B", "A"]);
    }
}
