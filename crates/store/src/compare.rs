//! A story's outlets side by side: what each outlet printed, who it quoted and how, and where the
//! outlets differ — speakers and quotes only one outlet used, and the same quote worded
//! differently (a misquote when both give it as direct speech, a paraphrase otherwise).
//!
//! The comparison is computed from the stored articles alone (their contract JSON), so every
//! backend gives the same answer. Near-copies are left out: a syndicated copy is not coverage.
//! This module does no I/O.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use newslens_contract::{EntityType, MentionKind, QuoteKind, Tone};

use crate::record::StoredArticle;
use crate::views::{StoryArticle, StorySummary};

/// Least share of the shorter quote's words found in the longer for two quotes to be "the same
/// quote" across outlets.
const SAME_QUOTE_OVERLAP: f64 = 0.6;
/// Quotes shorter than this many words are not compared for wording (too little to judge).
const MIN_QUOTE_WORDS: usize = 4;

/// The side-by-side view of one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    /// The story id.
    pub story: String,
    /// Its title.
    pub title: Option<String>,
    /// One entry per outlet, in order of first publication.
    pub outlets: Vec<OutletCoverage>,
    /// Where the outlets differ.
    pub differences: Differences,
}

/// How one outlet covered the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletCoverage {
    /// The outlet (or the URL's host, or `unknown outlet`).
    pub outlet: String,
    /// Its articles in the story.
    pub articles: Vec<StoryArticle>,
    /// Mean GDELT tone of its articles, when computed.
    pub tone: Option<f64>,
    /// The narrative tone (`tone_narrative`) of each article that has one.
    pub narrative_tone: Vec<Tone>,
    /// Loaded words and how often it used each, most used first.
    pub loaded: Vec<Counted>,
    /// People mentioned, most mentioned first.
    pub people: Vec<Counted>,
    /// Organisations mentioned, most mentioned first.
    pub organisations: Vec<Counted>,
    /// Speakers quoted, each with the quotes.
    pub speakers: Vec<SpeakerQuotes>,
}

/// A name or word with a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counted {
    /// The name or word.
    pub text: String,
    /// How many times.
    pub count: usize,
}

/// A speaker and what an outlet quoted them saying.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpeakerQuotes {
    /// The speaker, or `unattributed`.
    pub speaker: String,
    /// The quotes.
    pub quotes: Vec<QuoteLine>,
}

/// One quote as an outlet printed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteLine {
    /// The words.
    pub text: String,
    /// `direct`, `mixed`, `indirect` or `post`.
    pub kind: QuoteKind,
    /// The reporting verb, when there is one.
    pub verb: Option<String>,
}

/// What one outlet has and the others do not, and quotes worded differently.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Differences {
    /// Speakers only one outlet quoted.
    pub speakers_only_in: Vec<OnlyIn>,
    /// Quotes only one outlet used.
    pub quotes_only_in: Vec<OnlyIn>,
    /// The same quote, worded differently by different outlets.
    pub reworded: Vec<Rewording>,
}

/// Something only one outlet has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnlyIn {
    /// The outlet.
    pub outlet: String,
    /// The speaker.
    pub speaker: String,
    /// The quote, for quotes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// One quote as worded by two outlets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rewording {
    /// The speaker, when either outlet names one.
    pub speaker: String,
    /// `misquote` when both outlets present the words as direct speech, else `paraphrase`.
    pub kind: RewordingKind,
    /// Share of the shorter version's words found in the longer.
    pub overlap: f64,
    /// The two versions, `(outlet, text, quote kind)`.
    pub versions: Vec<(String, String, QuoteKind)>,
}

/// How two outlets' wordings of one quote differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RewordingKind {
    /// Both outlets present their wording as the speaker's own words (direct or mixed quotes).
    Misquote,
    /// At least one outlet reports the words without quotation marks.
    Paraphrase,
}

impl RewordingKind {
    /// The word the comparison uses for it.
    pub fn as_str(self) -> &'static str {
        match self {
            RewordingKind::Misquote => "misquote",
            RewordingKind::Paraphrase => "paraphrase",
        }
    }
}

impl std::fmt::Display for RewordingKind {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// One quote with where it came from, for matching across outlets.
struct Said<'a> {
    outlet_idx: usize,
    speaker: String,
    speaker_key: String,
    text: &'a str,
    kind: QuoteKind,
    words: Vec<String>,
}

/// Compares a story's outlets. `articles` are the story's stored articles.
pub fn compare_story(story: &StorySummary, articles: &[StoredArticle]) -> Comparison {
    let mut outlet_names: Vec<String> = Vec::new();
    let mut by_outlet: BTreeMap<String, Vec<&StoredArticle>> = BTreeMap::new();
    for stored in articles
        .iter()
        .filter(|stored| stored.duplicate_of.is_none())
    {
        let outlet = outlet_of(stored);
        if !by_outlet.contains_key(&outlet) {
            outlet_names.push(outlet.clone());
        }
        by_outlet.entry(outlet).or_default().push(stored);
    }
    let mut outlets = Vec::new();
    let mut said: Vec<Said> = Vec::new();
    for (outlet_idx, outlet) in outlet_names.iter().enumerate() {
        let stored_articles = &by_outlet[outlet];
        let mut coverage = OutletCoverage {
            outlet: outlet.clone(),
            articles: Vec::new(),
            tone: None,
            narrative_tone: Vec::new(),
            loaded: Vec::new(),
            people: Vec::new(),
            organisations: Vec::new(),
            speakers: Vec::new(),
        };
        let mut tones = Vec::new();
        let mut loaded: BTreeMap<String, usize> = BTreeMap::new();
        let mut people: BTreeMap<String, usize> = BTreeMap::new();
        let mut organisations: BTreeMap<String, usize> = BTreeMap::new();
        let mut speakers: BTreeMap<String, Vec<QuoteLine>> = BTreeMap::new();
        for stored in stored_articles {
            let article = &stored.article;
            coverage.articles.push(StoryArticle {
                id: article.id.clone(),
                path: article.source.path.clone(),
                url: article.source.url.clone(),
                outlet: article.source.outlet.clone(),
                title: article.title.clone(),
                published: article.published.clone(),
                duplicate_of: None,
            });
            if let Some(tone) = &article.tone {
                tones.push(tone.tone);
            }
            if let Some(narrative) = &article.tone_narrative {
                coverage.narrative_tone.push(narrative.clone());
            }
            for span in &article.loaded {
                *loaded.entry(span.text.to_lowercase()).or_default() += 1;
            }
            for entity in &article.entities {
                if !entity
                    .mentions
                    .iter()
                    .any(|mention| mention.kind == MentionKind::Name)
                {
                    continue;
                }
                let target = match entity.entity_type {
                    EntityType::Person => &mut people,
                    EntityType::Org => &mut organisations,
                    _ => continue,
                };
                *target.entry(entity.name.clone()).or_default() += entity.mentions.len();
            }
            for quote in &article.quotes {
                let speaker = quote
                    .speaker
                    .as_ref()
                    .map_or_else(|| "unattributed".to_string(), |s| s.name.clone());
                speakers
                    .entry(speaker.clone())
                    .or_default()
                    .push(QuoteLine {
                        text: quote.text.clone(),
                        kind: quote.kind,
                        verb: quote.verb.as_ref().map(|verb| verb.text.clone()),
                    });
                said.push(Said {
                    outlet_idx,
                    speaker_key: speaker_key(quote.speaker.as_ref().map(|s| s.name.as_str())),
                    speaker,
                    text: &quote.text,
                    kind: quote.kind,
                    words: crate::features::words(&quote.text).collect(),
                });
            }
        }
        coverage.tone = (!tones.is_empty()).then(|| tones.iter().sum::<f64>() / tones.len() as f64);
        coverage.loaded = ranked(loaded);
        coverage.people = ranked(people);
        coverage.organisations = ranked(organisations);
        coverage.speakers = speakers
            .into_iter()
            .map(|(speaker, quotes)| SpeakerQuotes { speaker, quotes })
            .collect();
        outlets.push(coverage);
    }
    let differences = if outlet_names.len() >= 2 {
        differences(&outlet_names, &said)
    } else {
        Differences::default()
    };
    Comparison {
        story: story.id.clone(),
        title: story.title.clone(),
        outlets,
        differences,
    }
}

fn differences(outlet_names: &[String], said: &[Said]) -> Differences {
    let mut result = Differences::default();
    // Speakers only one outlet quoted (by last name, so "Ghani" and "Ashraf Ghani" are one).
    let mut outlets_of_speaker: BTreeMap<&str, (BTreeSet<usize>, &str)> = BTreeMap::new();
    for quote in said.iter().filter(|quote| !quote.speaker_key.is_empty()) {
        let entry = outlets_of_speaker
            .entry(&quote.speaker_key)
            .or_insert((BTreeSet::new(), &quote.speaker));
        entry.0.insert(quote.outlet_idx);
    }
    for (outlets, speaker) in outlets_of_speaker.values() {
        if outlets.len() == 1 {
            let outlet_idx = *outlets.iter().next().unwrap_or(&0);
            result.speakers_only_in.push(OnlyIn {
                outlet: outlet_names[outlet_idx].clone(),
                speaker: speaker.to_string(),
                quote: None,
            });
        }
    }
    // Quotes: match every pair from different outlets.
    let mut matched = vec![false; said.len()];
    for a in 0..said.len() {
        for b in (a + 1)..said.len() {
            let (qa, qb) = (&said[a], &said[b]);
            if qa.outlet_idx == qb.outlet_idx || !speakers_agree(qa, qb) {
                continue;
            }
            let overlap = word_overlap(&qa.words, &qb.words);
            if overlap < SAME_QUOTE_OVERLAP {
                continue;
            }
            matched[a] = true;
            matched[b] = true;
            if qa.words != qb.words && qa.words.len().min(qb.words.len()) >= MIN_QUOTE_WORDS {
                let direct = |kind: QuoteKind| matches!(kind, QuoteKind::Direct | QuoteKind::Mixed);
                let kind = if direct(qa.kind) && direct(qb.kind) {
                    RewordingKind::Misquote
                } else {
                    RewordingKind::Paraphrase
                };
                let speaker = if qa.speaker_key.is_empty() {
                    &qb.speaker
                } else {
                    &qa.speaker
                };
                result.reworded.push(Rewording {
                    speaker: speaker.clone(),
                    kind,
                    overlap: (overlap * 1000.0).round() / 1000.0,
                    versions: vec![
                        (
                            outlet_names[qa.outlet_idx].clone(),
                            qa.text.to_string(),
                            qa.kind,
                        ),
                        (
                            outlet_names[qb.outlet_idx].clone(),
                            qb.text.to_string(),
                            qb.kind,
                        ),
                    ],
                });
            }
        }
    }
    for (quote, matched) in said.iter().zip(&matched) {
        if !matched {
            result.quotes_only_in.push(OnlyIn {
                outlet: outlet_names[quote.outlet_idx].clone(),
                speaker: quote.speaker.clone(),
                quote: Some(quote.text.to_string()),
            });
        }
    }
    result
}

/// Two quotes can be the same quote when their speakers match or either is unknown.
fn speakers_agree(a: &Said, b: &Said) -> bool {
    a.speaker_key.is_empty() || b.speaker_key.is_empty() || a.speaker_key == b.speaker_key
}

/// Share of the shorter word list found in the longer (as multisets).
fn word_overlap(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut pool: BTreeMap<&str, usize> = BTreeMap::new();
    for word in long {
        *pool.entry(word).or_default() += 1;
    }
    let mut n_found = 0;
    for word in short {
        if let Some(count) = pool.get_mut(word.as_str()) {
            if *count > 0 {
                *count -= 1;
                n_found += 1;
            }
        }
    }
    n_found as f64 / short.len() as f64
}

fn speaker_key(name: Option<&str>) -> String {
    name.and_then(|name| name.split_whitespace().last())
        .map(|last| last.to_lowercase())
        .unwrap_or_default()
}

fn ranked(counts: BTreeMap<String, usize>) -> Vec<Counted> {
    let mut list: Vec<Counted> = counts
        .into_iter()
        .map(|(text, count)| Counted { text, count })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(&b.text)));
    list
}

/// The outlet an article is filed under: its outlet, else its URL's host.
fn outlet_of(stored: &StoredArticle) -> String {
    let source = &stored.article.source;
    outlet_name(source.outlet.as_deref(), source.url.as_deref())
}

/// The name an article's outlet is shown and grouped under: the outlet as given, else the URL's
/// host, else `unknown outlet`.
pub fn outlet_name(outlet: Option<&str>, url: Option<&str>) -> String {
    if let Some(outlet) = outlet.filter(|o| !o.trim().is_empty()) {
        return outlet.to_string();
    }
    if let Some(url) = url {
        let rest = url.split("://").nth(1).unwrap_or(url);
        let host = rest.split('/').next().unwrap_or(rest);
        let host = host.strip_prefix("www.").unwrap_or(host);
        if !host.is_empty() {
            return host.to_string();
        }
    }
    "unknown outlet".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_overlap_counts_the_shorter_quote_in_the_longer() {
        let a: Vec<String> = crate::features::words("we will not back down").collect();
        let b: Vec<String> = crate::features::words("we will never back down from this").collect();
        assert_eq!(word_overlap(&a, &b), 0.8);
        assert_eq!(word_overlap(&a, &[]), 0.0);
    }
}
