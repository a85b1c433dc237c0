//! A quoted person's gender, counted as the Gender Gap Tracker counts it.
//!
//! First the pronouns the article itself uses for that person (the entity's pronoun mentions,
//! which the core's coreference resolved, and the "she" of "she said"); failing those, the
//! person's first name in the census first-name list; failing both, unknown. Nothing else is
//! guessed. The first-name list is the core's `data/gazetteer/first_names.txt` (US Census
//! Bureau 1990 name frequency files via the PyPI package `names` 0.3.0; public domain; built by
//! `scripts/build_gazetteers.py`): a name is a woman's or a man's only where one sex holds over
//! 80 % of it, and shared names ("Jordan") say nothing. One list, read by both crates, so the
//! quote layer's "he cannot be Mary" and this count never disagree.

use std::collections::HashMap;
use std::sync::LazyLock;

use newslens_contract::{Article, MentionKind, Speaker};

/// A speaker's gender as far as the article or the first-name list say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// A woman.
    Woman,
    /// A man.
    Man,
    /// Neither the article's pronouns nor the first-name list say.
    Unknown,
}

/// Pronouns and the gender they say, from `data/gender_pronouns.txt`.
static PRONOUNS: LazyLock<HashMap<&'static str, Gender>> = LazyLock::new(|| {
    lines(include_str!("../../data/gender_pronouns.txt"))
        .filter_map(|line| {
            let (word, gender) = line.split_once('\t')?;
            Some((word.trim(), letter_gender(gender.trim())?))
        })
        .collect()
});

/// First names with their usual sex (`m`, `f`; `u` for shared names, which say nothing).
static FIRST_NAMES: LazyLock<HashMap<&'static str, Gender>> = LazyLock::new(|| {
    lines(include_str!("../../../core/data/gazetteer/first_names.txt"))
        .filter_map(|line| {
            let (name, sex) = line.split_once('\t')?;
            Some((name.trim(), letter_gender(sex.trim())?))
        })
        .collect()
});

fn lines(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
}

fn letter_gender(letter: &str) -> Option<Gender> {
    match letter {
        "w" | "f" => Some(Gender::Woman),
        "m" => Some(Gender::Man),
        _ => None,
    }
}

/// The gender of a quote's speaker: the article's pronouns for them, else their first name, else
/// unknown.
pub fn speaker_gender(article: &Article, speaker: &Speaker) -> Gender {
    let (mut women, mut men) = (0, 0);
    let mut vote = |text: &str| match PRONOUNS.get(text.to_lowercase().as_str()) {
        Some(Gender::Woman) => women += 1,
        Some(Gender::Man) => men += 1,
        _ => {}
    };
    if let Some(mention) = &speaker.mention {
        if mention.kind == MentionKind::Pronoun {
            vote(&mention.text);
        }
    }
    let entity = speaker
        .entity
        .and_then(|entity_idx| article.entities.iter().find(|e| e.id == entity_idx));
    if let Some(entity) = entity {
        for mention in &entity.mentions {
            if mention.kind == MentionKind::Pronoun {
                vote(&mention.text);
            }
        }
    }
    if women > men {
        return Gender::Woman;
    }
    if men > women {
        return Gender::Man;
    }
    let name = entity.map_or(speaker.name.as_str(), |entity| entity.name.as_str());
    first_name_gender(name)
}

/// The gender the first-name list gives a full name's first word, or unknown.
pub fn first_name_gender(name: &str) -> Gender {
    name.split_whitespace()
        .next()
        .and_then(|first| FIRST_NAMES.get(first))
        .copied()
        .unwrap_or(Gender::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_names_say_a_gender_only_when_the_census_does() {
        assert_eq!(first_name_gender("Mary Jones"), Gender::Woman);
        assert_eq!(first_name_gender("John Smith"), Gender::Man);
        assert_eq!(first_name_gender("Xqzt Smith"), Gender::Unknown);
        assert_eq!(first_name_gender("the Pentagon"), Gender::Unknown);
    }

    #[test]
    fn the_articles_pronouns_win_over_the_first_name() {
        let document = newslens_core::Document::new(
            "Leslie Park runs the harbour. She said the boats were safe. \"We are ready,\" she added.",
        );
        let article = newslens_core::analyze(&document);
        let speaker = article
            .quotes
            .iter()
            .find_map(|quote| quote.speaker.clone())
            .expect("a speaker");
        assert_eq!(speaker_gender(&article, &speaker), Gender::Woman);
    }
}
