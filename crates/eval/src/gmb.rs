//! The Groningen Meaning Bank NER extract (`ner_dataset.csv`): sentences of words with IOB2 tags,
//! mapped to newslens types, and the fixed train / held-out split.
//!
//! Mapping: `per` → PERSON (leading titles such as "President" are dropped from the span: a title
//! is a role, not a name), `org` → ORG, `geo` → GPE, `gpe` → NORP (GMB's `gpe` is mostly
//! nationalities), `eve` → EVENT; `tim`, `art` and `nat` are not entity types newslens tags. The file
//! is latin-1. Sentence `i` (0-based, file order) is held out when `i % 10 == 9`.

use newslens_core::lexicon;
use newslens_core::ner::{EntityType, Tag, TrainingSentence};

use crate::GoldError;

/// Which sentences a caller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The 90 % used for training.
    Train,
    /// The 10 % held out for evaluation.
    HeldOut,
    /// Everything.
    All,
}

impl Split {
    fn keeps(self, sentence_idx: usize) -> bool {
        let held_out = sentence_idx % 10 == 9;
        match self {
            Split::Train => !held_out,
            Split::HeldOut => held_out,
            Split::All => true,
        }
    }
}

/// Whether a word is a title or office word ("President", "Gen."): the core's list.
pub fn is_title(word: &str) -> bool {
    lexicon::is_title(word)
}

/// Reads the sentences of `path` in the given split.
pub fn read(path: &str, split: Split) -> Result<Vec<TrainingSentence>, GoldError> {
    let bytes = std::fs::read(path).map_err(|source| GoldError::Io {
        path: path.to_string(),
        source,
    })?;
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let mut sentences = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut raw_tags: Vec<String> = Vec::new();
    let mut sentence_idx: Option<usize> = None;
    for (line_idx, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let fields = split_csv(line);
        if fields.len() != 4 {
            return Err(GoldError::Format {
                path: path.to_string(),
                line: line_idx + 1,
                message: format!("expected 4 fields, found {}", fields.len()),
            });
        }
        if !fields[0].is_empty() {
            if let Some(idx) = sentence_idx {
                if split.keeps(idx) {
                    sentences.push(sentence(
                        std::mem::take(&mut words),
                        std::mem::take(&mut raw_tags),
                    ));
                }
            }
            words.clear();
            raw_tags.clear();
            sentence_idx = Some(sentence_idx.map_or(0, |idx| idx + 1));
        }
        words.push(fields[1].clone());
        raw_tags.push(fields[3].clone());
    }
    if let Some(idx) = sentence_idx {
        if split.keeps(idx) && !words.is_empty() {
            sentences.push(sentence(words, raw_tags));
        }
    }
    Ok(sentences)
}

/// Maps one sentence's GMB tags to newslens tags, moving titles out of person spans.
fn sentence(words: Vec<String>, raw_tags: Vec<String>) -> TrainingSentence {
    let mut tags: Vec<Tag> = raw_tags
        .iter()
        .map(|raw| {
            let (prefix, label) = raw.split_once('-').unwrap_or(("O", ""));
            let entity_type = match label {
                "per" => EntityType::Person,
                "org" => EntityType::Org,
                "geo" => EntityType::Gpe,
                "gpe" => EntityType::Norp,
                "eve" => EntityType::Event,
                _ => return Tag::Outside,
            };
            if prefix == "B" {
                Tag::Begin(entity_type)
            } else {
                Tag::Inside(entity_type)
            }
        })
        .collect();
    // "President George Bush": the title tokens leave the span; the name begins after them.
    let mut idx = 0;
    while idx < tags.len() {
        if tags[idx] == Tag::Begin(EntityType::Person) {
            let mut start = idx;
            let mut end = idx + 1;
            while end < tags.len() && tags[end] == Tag::Inside(EntityType::Person) {
                end += 1;
            }
            while start < end && is_title(&words[start]) {
                tags[start] = Tag::Outside;
                start += 1;
            }
            if start < end {
                tags[start] = Tag::Begin(EntityType::Person);
            }
            idx = end;
        } else {
            idx += 1;
        }
    }
    TrainingSentence { words, tags }
}

/// Splits one CSV line with double-quote quoting.
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', false) if field.is_empty() => quoted = true,
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_with_quotes_and_commas() {
        assert_eq!(split_csv(r#","10,000",CD,O"#), ["", "10,000", "CD", "O"]);
        assert_eq!(split_csv(r#","""",``,O"#), ["", "\"", "``", "O"]);
    }

    #[test]
    fn titles_leave_person_spans() {
        let words = ["President", "George", "Bush", "spoke"]
            .map(String::from)
            .to_vec();
        let tags = ["B-per", "I-per", "I-per", "O"].map(String::from).to_vec();
        let sentence = sentence(words, tags);
        assert_eq!(
            sentence.tags,
            [
                Tag::Outside,
                Tag::Begin(EntityType::Person),
                Tag::Inside(EntityType::Person),
                Tag::Outside
            ]
        );
    }

    #[test]
    fn gmb_labels_map_to_newslens_types() {
        let words = ["British", "troops", "left", "Iraq"]
            .map(String::from)
            .to_vec();
        let tags = ["B-gpe", "O", "B-tim", "B-geo"].map(String::from).to_vec();
        let sentence = sentence(words, tags);
        assert_eq!(
            sentence.tags,
            [
                Tag::Begin(EntityType::Norp),
                Tag::Outside,
                Tag::Outside,
                Tag::Begin(EntityType::Gpe)
            ]
        );
    }
}
