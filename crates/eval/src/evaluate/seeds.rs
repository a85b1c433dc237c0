//! The seed articles' hand-made reference (`gold.json` in the seed folder): which reference
//! entities the whole analysis finds with their type, and which reference quotes it finds with the
//! right speaker.
//!
//! Seeds are read the way a user's files are (sniffed, boilerplate removed) and matched by text,
//! since the reference gives names and quoted words rather than offsets. This module does not score
//! spans; PolNeAR and CoNLL do that in [`super::quotes`] and [`super::ner`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use newslens_core::entities::MentionKind;
use newslens_core::Article;
use newslens_pipeline::{records_of, Pipeline, Settings};

use crate::RunError;

#[derive(Deserialize)]
struct SeedGold {
    articles: BTreeMap<String, SeedArticle>,
}

#[derive(Deserialize)]
struct SeedArticle {
    #[serde(default)]
    entities: Vec<SeedEntity>,
    #[serde(default)]
    quotes: Vec<SeedQuote>,
    #[serde(default)]
    not_quotes: Vec<String>,
}

#[derive(Deserialize)]
struct SeedEntity {
    name: String,
    /// One type, or several accepted ones written `A|B`.
    #[serde(rename = "type")]
    entity_type: String,
    /// Other names the article may use instead ("Trump" when "Donald Trump" is never written).
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
struct SeedQuote {
    text: String,
    #[serde(default)]
    speaker: Vec<String>,
}

/// Reads the seed folder's `gold.json`.
fn read_gold(dir: &Path) -> Result<SeedGold, RunError> {
    let gold_path = dir.join("gold.json");
    let json = std::fs::read_to_string(&gold_path).map_err(|source| RunError::Read {
        path: gold_path.display().to_string(),
        source,
    })?;
    serde_json::from_str(&json).map_err(|source| RunError::SeedReference {
        path: gold_path.display().to_string(),
        source,
    })
}

/// An article read and analysed the way `newslens analyze` reads a user's file (a seed): through
/// the pipeline, on the calling thread.
pub fn read_and_analyze(path: &Path) -> Result<Article, RunError> {
    let display = path.display().to_string();
    let pipeline = Pipeline::new(Settings {
        jobs: Some(1),
        ..Settings::default()
    })?;
    let mut records = records_of(std::slice::from_ref(&display), &pipeline.settings().read);
    match records.next() {
        Some(record) => Ok(pipeline.analyze_one(record?)?.value),
        None => Err(RunError::NoArticle { path: display }),
    }
}

/// The reference entities of the seeds against the analysis.
#[derive(Debug)]
pub struct SeedEntities {
    /// The seed folder, as given.
    pub dir: String,
    /// One line per reference entity missed or found with a type the reference does not accept,
    /// e.g. `article.txt: Jane Doe (PERSON) missed`.
    pub problems: Vec<String>,
    /// Reference entities found with an accepted type.
    pub n_found: usize,
    /// Reference entities.
    pub n_total: usize,
}

impl fmt::Display for SeedEntities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Entities on the seeds ({}):", self.dir)?;
        for problem in &self.problems {
            writeln!(f, "  {problem}")?;
        }
        writeln!(
            f,
            "  found {} of {} with their type\n",
            self.n_found, self.n_total
        )
    }
}

/// A name as compared with the reference: white space runs and apostrophe styles folded, case
/// ignored.
fn seed_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['’', '‘'], "'")
        .to_lowercase()
}

/// Analyses every seed article and checks its reference entities: found when a name mention has
/// the text of the name (or of an alias, when the article never writes the name in full) and
/// belongs to an entity of an accepted type.
pub fn entities(dir: &Path) -> Result<SeedEntities, RunError> {
    let gold = read_gold(dir)?;
    let mut report = SeedEntities {
        dir: dir.display().to_string(),
        problems: Vec::new(),
        n_found: 0,
        n_total: 0,
    };
    for (name, expected) in &gold.articles {
        let article = read_and_analyze(&dir.join(name))?;
        // Every name mention's text → the types of the entities it belongs to.
        let mut types_of: HashMap<String, Vec<&str>> = HashMap::new();
        for entity in &article.entities {
            for mention in entity
                .mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name)
            {
                types_of
                    .entry(seed_key(&mention.text))
                    .or_default()
                    .push(entity.entity_type.as_str());
            }
        }
        for entity in &expected.entities {
            report.n_total += 1;
            let accepted: Vec<&str> = entity.entity_type.split('|').collect();
            let written = std::iter::once(&entity.name)
                .chain(&entity.aliases)
                .find_map(|form| types_of.get(&seed_key(form)));
            match written {
                Some(types) if types.iter().any(|t| accepted.contains(t)) => report.n_found += 1,
                Some(types) => report.problems.push(format!(
                    "{name}: {} ({}) found as {}",
                    entity.name,
                    entity.entity_type,
                    types.join("/")
                )),
                None => report.problems.push(format!(
                    "{name}: {} ({}) missed",
                    entity.name, entity.entity_type
                )),
            }
        }
    }
    Ok(report)
}

/// The reference quotes of the seeds against the analysis.
#[derive(Debug)]
pub struct SeedQuotes {
    /// The seed folder, as given.
    pub dir: String,
    /// One line per reference quote missed or given the wrong speaker, and per title reported as
    /// a quote, in article order (what `eval quotes --verbose` adds).
    pub problems: Vec<String>,
    /// Reference quotes found.
    pub n_found: usize,
    /// Reference quotes found with the right speaker.
    pub n_right_speaker: usize,
    /// Reference quotes.
    pub n_total: usize,
    /// Titles (`not_quotes`) reported as quotes.
    pub n_false_quotes: usize,
}

impl fmt::Display for SeedQuotes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Quotes on the seeds ({}):", self.dir)?;
        writeln!(
            f,
            "  found {} of {total}; with the right speaker {} of {total}",
            self.n_found,
            self.n_right_speaker,
            total = self.n_total
        )?;
        writeln!(f, "  titles reported as quotes: {}", self.n_false_quotes)
    }
}

/// Folds every run of white space (no-break spaces included) to one space.
pub(crate) fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Analyses every seed article and checks its reference quotes (a system quote containing the
/// words, with a speaker whose name contains one of the accepted ones) and its titles that are
/// not quotes (no system quote made mostly of the title).
pub fn quotes(dir: &Path) -> Result<SeedQuotes, RunError> {
    let gold = read_gold(dir)?;
    let mut report = SeedQuotes {
        dir: dir.display().to_string(),
        problems: Vec::new(),
        n_found: 0,
        n_right_speaker: 0,
        n_total: 0,
        n_false_quotes: 0,
    };
    for (name, expected) in &gold.articles {
        let article = read_and_analyze(&dir.join(name))?;
        let quotes = quote_texts_and_speakers(&article);
        for quote in &expected.quotes {
            report.n_total += 1;
            let want = fold(&quote.text);
            let hit = quotes.iter().find(|(text, _)| text.contains(&want));
            let speaker_ok = hit.is_some_and(|(_, speaker)| {
                quote
                    .speaker
                    .iter()
                    .any(|name| !speaker.is_empty() && speaker.contains(&name.to_lowercase()))
            });
            report.n_found += usize::from(hit.is_some());
            report.n_right_speaker += usize::from(speaker_ok);
            if !speaker_ok {
                report.problems.push(format!(
                    "{name}: {} “{}” (want {:?}, got {:?})",
                    if hit.is_some() {
                        "wrong speaker"
                    } else {
                        "missed"
                    },
                    quote.text,
                    quote.speaker,
                    hit.map(|(_, s)| s)
                ));
            }
        }
        for not_quote in &expected.not_quotes {
            // Reported as a quote: a quote whose words are mostly the title.
            let want = fold(not_quote);
            if quotes
                .iter()
                .any(|(text, _)| text.contains(&want) && 2 * want.len() >= text.len())
            {
                report.n_false_quotes += 1;
                report.problems.push(format!(
                    "{name}: reported a title as a quote: “{not_quote}”"
                ));
            }
        }
    }
    Ok(report)
}

/// Each quote's words (spans joined, white space folded) and its speaker's name in lower case
/// (empty without a speaker).
fn quote_texts_and_speakers(article: &Article) -> Vec<(String, String)> {
    article
        .quotes
        .iter()
        .map(|q| {
            let words: Vec<&str> = q
                .spans
                .iter()
                .map(|s| char_slice(&article.text, s.start, s.end))
                .collect();
            (
                fold(&words.join(" ")),
                q.speaker
                    .as_ref()
                    .map_or(String::new(), |s| s.name.to_lowercase()),
            )
        })
        .collect()
}

/// The text between two character offsets.
fn char_slice(text: &str, start: usize, end: usize) -> &str {
    let mut indices = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let from = indices.nth(start).unwrap_or(text.len());
    let to = if end > start {
        indices.nth(end - start - 1).unwrap_or(text.len())
    } else {
        from
    };
    &text[from..to]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_slice_takes_character_offsets_not_bytes() {
        assert_eq!(char_slice("“Fine,” she said", 1, 6), "Fine,");
        assert_eq!(char_slice("abc", 2, 9), "c");
        assert_eq!(char_slice("abc", 2, 2), "");
    }

    #[test]
    fn seed_names_compare_without_case_spacing_or_apostrophe_style() {
        assert_eq!(seed_key("O’Brien  Jones"), seed_key("o'brien jones"));
    }
}
