//! Outlet profiles read from the aggregates: counts and rates, weekly series, gender shares, the
//! speakers and own-voice words that set an outlet apart, and its blindspots.
//!
//! Everything here is computed from what [`crate::Store`]'s `outlet_*` and `stories_reaching`
//! methods return — the weekly rows, the top and the asked-for speaker and word counts, the
//! outlet's stories and the stories several sources covered — so both backends give the same
//! profiles and no article is read. Sources become outlets through
//! [`OutletNames`] at this point, so the names file can change without a rebuild.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::names::OutletNames;
use super::tally::{fold_surnames, monday_of, WeekCounts, WeekRow};
use crate::store::Store;
use crate::Result;

/// Prior pseudo-counts of the informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
/// §3.5.2), spread over speakers or words in proportion to their corpus counts. Larger values
/// shrink rare items harder towards the corpus rate.
pub const PRIOR_COUNTS: f64 = 500.0;
/// Candidates read for a ranking: the outlet's and the corpus's most frequent items, each.
const CANDIDATES: usize = 400;

/// The two kinds of counted items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// Quoted speakers (lower-cased names).
    Speaker,
    /// Own-voice words.
    Word,
}

impl TermKind {
    /// The word the stores' `kind` columns use.
    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Speaker => super::shared::SPEAKER,
            TermKind::Word => super::shared::WORD,
        }
    }
}

/// A speaker's or word's counts on the stories a source shared with other sources, as a store
/// returns them (`outlets/shared.rs` says how they are kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedTerm {
    /// The key (lower-cased; `""` for the totals).
    pub key: String,
    /// As first written.
    pub name: String,
    /// The source's own count over the stories it shared with at least one other source.
    pub own: i64,
    /// The other sources' count over the stories the source covered.
    pub others: i64,
}

/// A source's aggregates in one week, as a store returns them.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceWeek {
    /// The source key (`""`: the whole corpus).
    pub source: String,
    /// The source as first written.
    pub written: String,
    /// The week's Monday, or `""` for undated articles.
    pub week: String,
    /// Counts and days.
    pub row: WeekRow,
}

/// A speaker's or word's count under some sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermCount {
    /// The key (lower-cased).
    pub key: String,
    /// As first written.
    pub name: String,
    /// Count.
    pub count: i64,
}

/// One source's articles in one story, as a store returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The story id.
    pub story: String,
    /// The source key.
    pub source: String,
    /// Its first and last publication day in the story.
    pub first: Option<String>,
    /// (see `first`)
    pub last: Option<String>,
}

/// What to profile.
#[derive(Debug, Clone)]
pub struct OutletQuery {
    /// Only weeks from the one holding this day (`YYYY-MM-DD`). The speaker and word rankings
    /// are over all the outlet's stories: their aggregates are kept per story, not per week.
    pub since: Option<String>,
    /// Only weeks up to the one holding this day.
    pub until: Option<String>,
    /// Blindspots: stories at least this many other outlets covered.
    pub min_outlets: usize,
    /// Entries per ranking and blindspots listed.
    pub top: usize,
}

impl Default for OutletQuery {
    fn default() -> OutletQuery {
        OutletQuery {
            since: None,
            until: None,
            min_outlets: 3,
            top: 10,
        }
    }
}

/// Quotes by women, men and people of unknown gender.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenderShares {
    /// Quotes by women.
    pub women: i64,
    /// Quotes by men.
    pub men: i64,
    /// Quotes by people whose gender neither the article's pronouns nor the first-name list say.
    pub unknown: i64,
    /// women / (women + men + unknown).
    pub women_share: Option<f64>,
    /// men / (women + men + unknown).
    pub men_share: Option<f64>,
    /// unknown / (women + men + unknown): always given.
    pub unknown_share: Option<f64>,
}

/// A speaker and their quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpeakerCount {
    /// As first written.
    pub name: String,
    /// Quotes in the outlet.
    pub quotes: i64,
}

/// A speaker or word ranked by weighted log-odds: this outlet against the other outlets on the
/// stories it covered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ranked {
    /// The speaker's name or the word.
    pub name: String,
    /// Its count in this outlet on the stories it shared with other outlets (quotes, or
    /// own-voice occurrences).
    pub outlet: i64,
    /// Its count in the other outlets' articles on the stories this outlet covered.
    pub rest: i64,
    /// Log-odds ratio, this outlet against the rest on the same stories, with the informative
    /// Dirichlet prior.
    pub log_odds: f64,
    /// The log-odds over its standard deviation: |z| > 1.96 is the usual 95 % bar.
    pub z: f64,
}

/// What the rankings compare: the outlet's quotes and own-voice words on the stories it shared
/// with other outlets, and the other outlets' on the stories it covered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SameStories {
    /// The outlet's quotes of named speakers on the stories it shared.
    pub quotes: i64,
    /// The other outlets' quotes of named speakers on the stories it covered.
    pub other_quotes: i64,
    /// The outlet's counted own-voice words on the stories it shared.
    pub words: i64,
    /// The other outlets' counted own-voice words on the stories it covered.
    pub other_words: i64,
}

/// A story others covered and this outlet did not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Blindspot {
    /// The story id.
    pub id: String,
    /// Its headline.
    pub title: Option<String>,
    /// Its first day.
    pub first_seen: Option<String>,
    /// The outlets that covered it.
    pub outlets: Vec<String>,
}

/// An outlet's blindspots.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Blindspots {
    /// Stories count when at least this many other outlets covered them.
    pub min_outlets: usize,
    /// How many such stories, within the outlet's active dates.
    pub count: usize,
    /// The most covered of them (at most `top`).
    pub stories: Vec<Blindspot>,
}

/// One week of an outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekPoint {
    /// The week's Monday.
    pub week: String,
    /// Articles.
    pub articles: i64,
    /// Quotes.
    pub quotes: i64,
    /// Mean narrative tone.
    pub tone_narrative_mean: Option<f64>,
    /// Loaded spans per 1,000 own-voice words.
    pub loaded_per_1k_words: Option<f64>,
    /// Share of gendered-or-unknown person quotes by women.
    pub women_share: Option<f64>,
}

/// How an outlet tells the news.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletProfile {
    /// The outlet's name.
    pub name: String,
    /// The user's labels for it, from their `--outlets` file (never built in).
    pub labels: Vec<String>,
    /// The names and hosts its articles came under.
    pub sources: Vec<String>,
    /// Its first publication day in range.
    pub first_published: Option<String>,
    /// Its last.
    pub last_published: Option<String>,
    /// Articles.
    pub articles: i64,
    /// Stories it covered.
    pub stories: usize,
    /// Quotes.
    pub quotes: i64,
    /// Words of its own voice (quotes excluded).
    pub own_words: i64,
    /// Mean narrative tone (GDELT tone with quotes removed) of its articles.
    pub tone_narrative_mean: Option<f64>,
    /// Loaded or emotive spans in its own voice per 1,000 own-voice words.
    pub loaded_per_1k_words: Option<f64>,
    /// Share of reporting verbs that are not neutral.
    pub non_neutral_verbs_share: Option<f64>,
    /// Quotes by gender.
    pub gender: GenderShares,
    /// Its most quoted speakers.
    pub top_speakers: Vec<SpeakerCount>,
    /// What the rankings below compare (given with them, in one outlet's profile).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_stories: Option<SameStories>,
    /// Speakers it quotes more than the other outlets do on the same stories (highest z first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers_more: Vec<Ranked>,
    /// Speakers it quotes less than the other outlets do on the same stories (lowest z first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers_less: Vec<Ranked>,
    /// Words its own voice uses more than the other outlets' on the same stories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distinctive_words: Vec<Ranked>,
    /// Stories it did not cover.
    pub blindspots: Blindspots,
    /// Weekly series.
    pub weeks: Vec<WeekPoint>,
}

/// Two outlets side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletComparison {
    /// The first.
    pub a: OutletProfile,
    /// The second.
    pub b: OutletProfile,
    /// Stories both covered.
    pub shared_stories: usize,
}

/// Everything the profiles of a corpus share, read once (a few rows per source and week).
struct Corpus {
    weeks: Vec<SourceWeek>,
    /// Outlet name → its source keys.
    outlets: BTreeMap<String, Vec<String>>,
    /// Source key → outlet name.
    outlet_of: HashMap<String, String>,
}

impl Corpus {
    fn read(store: &dyn Store, names: &OutletNames) -> Result<Corpus> {
        let weeks = store.outlet_weeks()?;
        let mut written: BTreeMap<&str, &str> = BTreeMap::new();
        for week in &weeks {
            if !week.source.is_empty() {
                written.insert(&week.source, &week.written);
            }
        }
        let outlets = names.group(written.iter().map(|(source, written)| (*source, *written)));
        let outlet_of = outlets
            .iter()
            .flat_map(|(name, sources)| {
                sources
                    .iter()
                    .map(move |source| (source.clone(), name.clone()))
            })
            .collect();
        Ok(Corpus {
            weeks,
            outlets,
            outlet_of,
        })
    }

    /// The outlet a user's name means: its display name, an alias or host, any case.
    fn resolve(&self, names: &OutletNames, asked: &str) -> Option<String> {
        let asked = asked.trim();
        if let Some(name) = self
            .outlets
            .keys()
            .find(|name| name.eq_ignore_ascii_case(asked))
        {
            return Some(name.clone());
        }
        let by_names = names.find(asked).map(|outlet| outlet.name.clone());
        if let Some(name) = by_names.filter(|name| self.outlets.contains_key(name)) {
            return Some(name);
        }
        self.outlet_of.get(&asked.to_lowercase()).cloned()
    }

    fn written(&self, sources: &[String]) -> Vec<String> {
        let mut written: Vec<String> = self
            .weeks
            .iter()
            .filter(|week| sources.contains(&week.source))
            .map(|week| week.written.clone())
            .collect();
        written.sort();
        written.dedup();
        written
    }
}

fn in_range(week: &str, query: &OutletQuery) -> bool {
    let since = query.since.as_deref().and_then(monday_of);
    let until = query.until.as_deref().and_then(monday_of);
    if since.is_none() && until.is_none() {
        return true;
    }
    if week.is_empty() {
        return false;
    }
    since.is_none_or(|since| week >= since.as_str())
        && until.is_none_or(|until| week <= until.as_str())
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

/// Every outlet's profile (without the rankings, which [`outlet_profile`] adds), most articles
/// first.
pub fn outlet_profiles(
    store: &dyn Store,
    names: &OutletNames,
    query: &OutletQuery,
) -> Result<Vec<OutletProfile>> {
    let corpus = Corpus::read(store, names)?;
    let mut profiles = Vec::new();
    for (name, sources) in &corpus.outlets {
        profiles.push(summary(store, names, &corpus, name, sources, query)?);
    }
    profiles.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.name.cmp(&b.name)));
    profiles.retain(|profile| profile.articles > 0);
    Ok(profiles)
}

/// One outlet's whole profile, rankings included; `None` if no article is of that outlet.
pub fn outlet_profile(
    store: &dyn Store,
    names: &OutletNames,
    asked: &str,
    query: &OutletQuery,
) -> Result<Option<OutletProfile>> {
    let corpus = Corpus::read(store, names)?;
    let Some(name) = corpus.resolve(names, asked) else {
        return Ok(None);
    };
    Ok(Some(full(store, names, &corpus, &name, query)?))
}

/// Two outlets' whole profiles and the stories both covered; `None` names the one not found.
pub fn compare_outlets(
    store: &dyn Store,
    names: &OutletNames,
    a: &str,
    b: &str,
    query: &OutletQuery,
) -> Result<std::result::Result<OutletComparison, String>> {
    let corpus = Corpus::read(store, names)?;
    let Some(name_a) = corpus.resolve(names, a) else {
        return Ok(Err(a.to_string()));
    };
    let Some(name_b) = corpus.resolve(names, b) else {
        return Ok(Err(b.to_string()));
    };
    let stories_of = |name: &str| -> Result<BTreeSet<String>> {
        let mut stories = BTreeSet::new();
        for source in corpus.outlets.get(name).into_iter().flatten() {
            for row in store.outlet_stories(source)? {
                stories.insert(row.story);
            }
        }
        Ok(stories)
    };
    let shared_stories = stories_of(&name_a)?
        .intersection(&stories_of(&name_b)?)
        .count();
    Ok(Ok(OutletComparison {
        a: full(store, names, &corpus, &name_a, query)?,
        b: full(store, names, &corpus, &name_b, query)?,
        shared_stories,
    }))
}

fn full(
    store: &dyn Store,
    names: &OutletNames,
    corpus: &Corpus,
    name: &str,
    query: &OutletQuery,
) -> Result<OutletProfile> {
    let sources = corpus.outlets.get(name).cloned().unwrap_or_default();
    let mut profile = summary(store, names, corpus, name, &sources, query)?;
    let (speakers, speaker_totals) = rank(store, TermKind::Speaker, &sources)?;
    profile.speakers_more = speakers
        .iter()
        .filter(|ranked| ranked.z > 0.0 && ranked.outlet > 0)
        .take(query.top)
        .cloned()
        .collect();
    profile.speakers_less = speakers
        .iter()
        .rev()
        .filter(|ranked| ranked.z < 0.0)
        .take(query.top)
        .cloned()
        .collect();
    let (words, word_totals) = rank(store, TermKind::Word, &sources)?;
    profile.distinctive_words = words
        .into_iter()
        .filter(|ranked| ranked.z > 0.0 && ranked.outlet > 0)
        .take(query.top)
        .collect();
    profile.same_stories = Some(SameStories {
        quotes: speaker_totals.0,
        other_quotes: speaker_totals.1,
        words: word_totals.0,
        other_words: word_totals.1,
    });
    Ok(profile)
}

/// The counts, series, top speakers and blindspots of one outlet.
fn summary(
    store: &dyn Store,
    names: &OutletNames,
    corpus: &Corpus,
    name: &str,
    sources: &[String],
    query: &OutletQuery,
) -> Result<OutletProfile> {
    let mut totals = WeekCounts::default();
    let mut by_week: BTreeMap<&str, WeekCounts> = BTreeMap::new();
    let (mut first, mut last): (Option<String>, Option<String>) = (None, None);
    for week in &corpus.weeks {
        if !sources.contains(&week.source) || !in_range(&week.week, query) {
            continue;
        }
        totals.add(&week.row.counts);
        if !week.week.is_empty() {
            by_week.entry(&week.week).or_default().add(&week.row.counts);
        }
        if let Some(day) = &week.row.first {
            if first.as_ref().is_none_or(|first| day < first) {
                first = Some(day.clone());
            }
        }
        if let Some(day) = &week.row.last {
            if last.as_ref().is_none_or(|last| day > last) {
                last = Some(day.clone());
            }
        }
    }
    let weeks = by_week
        .into_iter()
        .map(|(week, counts)| WeekPoint {
            week: week.to_string(),
            articles: counts.articles,
            quotes: counts.quotes,
            tone_narrative_mean: ratio(counts.tone_sum, counts.tone_articles as f64),
            loaded_per_1k_words: ratio(1000.0 * counts.loaded as f64, counts.own_words as f64),
            women_share: ratio(
                counts.women as f64,
                (counts.women + counts.men + counts.unknown_gender) as f64,
            ),
        })
        .collect();
    let people = (totals.women + totals.men + totals.unknown_gender) as f64;
    let gender = GenderShares {
        women: totals.women,
        men: totals.men,
        unknown: totals.unknown_gender,
        women_share: ratio(totals.women as f64, people),
        men_share: ratio(totals.men as f64, people),
        unknown_share: ratio(totals.unknown_gender as f64, people),
    };
    let top_speakers = top_speakers(store, sources, query.top)?;

    let since = query.since.as_deref().and_then(monday_of);
    let overlaps = |row: &Coverage| {
        let until_ok = query
            .until
            .as_deref()
            .is_none_or(|until| row.first.as_deref().is_some_and(|day| day <= until));
        let since_ok = since
            .as_deref()
            .is_none_or(|since| row.last.as_deref().is_some_and(|day| day >= since));
        until_ok && since_ok
    };
    let mut stories = BTreeSet::new();
    for source in sources {
        for row in store.outlet_stories(source)? {
            if overlaps(&row) {
                stories.insert(row.story);
            }
        }
    }
    let stories = stories.len();
    let blindspots = blindspots(store, corpus, name, &first, &last, query)?;
    Ok(OutletProfile {
        name: name.to_string(),
        labels: names.labels(name),
        sources: corpus.written(sources),
        first_published: first,
        last_published: last,
        articles: totals.articles,
        stories,
        quotes: totals.quotes,
        own_words: totals.own_words,
        tone_narrative_mean: ratio(totals.tone_sum, totals.tone_articles as f64),
        loaded_per_1k_words: ratio(1000.0 * totals.loaded as f64, totals.own_words as f64),
        non_neutral_verbs_share: ratio(totals.non_neutral_verbs as f64, totals.verbs as f64),
        gender,
        top_speakers,
        same_stories: None,
        speakers_more: Vec::new(),
        speakers_less: Vec::new(),
        distinctive_words: Vec::new(),
        blindspots,
        weeks,
    })
}

/// Stories at least `min_outlets` other outlets covered, that began within the outlet's active
/// dates, and that it did not cover.
fn blindspots(
    store: &dyn Store,
    corpus: &Corpus,
    name: &str,
    first: &Option<String>,
    last: &Option<String>,
    query: &OutletQuery,
) -> Result<Blindspots> {
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Blindspots {
            min_outlets: query.min_outlets,
            ..Blindspots::default()
        });
    };
    // Only stories with at least K sources can have K other outlets (an outlet has one source or
    // more): those the aggregates list, with every source of each. Story → (first day, outlets).
    let coverage = store.stories_reaching(query.min_outlets.max(1), first, last)?;
    let mut stories: HashMap<&str, (Option<&str>, BTreeSet<&str>)> = HashMap::new();
    for row in &coverage {
        let Some(outlet) = corpus.outlet_of.get(&row.source) else {
            continue;
        };
        let entry = stories.entry(&row.story).or_default();
        entry.1.insert(outlet);
        if let Some(day) = row.first.as_deref() {
            if entry.0.is_none_or(|first| day < first) {
                entry.0 = Some(day);
            }
        }
    }
    let mut found: Vec<(&str, &str, &BTreeSet<&str>)> = stories
        .iter()
        .filter_map(|(story, (day, outlets))| {
            let day = (*day)?;
            let inside = day >= first.as_str() && day <= last.as_str();
            let others = outlets.len() - usize::from(outlets.contains(name));
            (inside && !outlets.contains(name) && others >= query.min_outlets.max(1))
                .then_some((*story, day, outlets))
        })
        .collect();
    found.sort_by(|a, b| {
        b.2.len()
            .cmp(&a.2.len())
            .then(b.1.cmp(a.1))
            .then(a.0.cmp(b.0))
    });
    let mut listed = Vec::new();
    for (story, day, outlets) in found.iter().take(query.top) {
        let summary = store.story(story)?;
        listed.push(Blindspot {
            id: story.to_string(),
            title: summary.and_then(|summary| summary.title),
            first_seen: Some(day.to_string()),
            outlets: outlets.iter().map(|outlet| outlet.to_string()).collect(),
        });
    }
    Ok(Blindspots {
        min_outlets: query.min_outlets,
        count: found.len(),
        stories: listed,
    })
}

/// The outlet's most quoted speakers, a surname-only speaker joined to the one full name among
/// them that ends with it ("Obama" to "Barack Obama"; see [`fold_surnames`]).
fn top_speakers(store: &dyn Store, sources: &[String], top: usize) -> Result<Vec<SpeakerCount>> {
    let terms = top_terms(store, sources, (top * 5).max(50))?;
    let folded = fold_surnames(terms.iter().map(|term| (term.key.as_str(), term.count)));
    let mut merged: BTreeMap<String, (String, i64)> = BTreeMap::new();
    for term in &terms {
        let key = folded.get(&term.key).unwrap_or(&term.key);
        let entry = merged.entry(key.clone()).or_insert((String::new(), 0));
        if key == &term.key {
            entry.0 = term.name.clone();
        } else if entry.0.is_empty() {
            entry.0 = key.clone();
        }
        entry.1 += term.count;
    }
    let mut speakers: Vec<SpeakerCount> = merged
        .into_values()
        .map(|(name, quotes)| SpeakerCount { name, quotes })
        .collect();
    speakers.sort_by(|a, b| b.quotes.cmp(&a.quotes).then(a.name.cmp(&b.name)));
    speakers.truncate(top);
    Ok(speakers)
}

/// The outlet's speakers or words against the other outlets on the stories it covered, highest
/// z first, and the two totals compared (the outlet's, the others').
///
/// Candidates are each source's most frequent items on either side; their counts are exact.
/// Speakers known by surname only join the one full name among the candidates that ends with
/// it (or the one quoted ten times as often as the others with that surname), on both sides.
fn rank(
    store: &dyn Store,
    kind: TermKind,
    sources: &[String],
) -> Result<(Vec<Ranked>, (i64, i64))> {
    let mut per_source: Vec<BTreeMap<String, SharedTerm>> = Vec::new();
    let mut keys: BTreeSet<String> = BTreeSet::new();
    for source in sources {
        let mut found: BTreeMap<String, SharedTerm> = BTreeMap::new();
        for term in store.outlet_shared_top(kind, source, CANDIDATES)? {
            keys.insert(term.key.clone());
            found.insert(term.key.clone(), term);
        }
        per_source.push(found);
    }
    let mut counts: BTreeMap<String, (String, i64, i64)> = BTreeMap::new();
    let (mut n_own, mut n_others) = (0, 0);
    for (source, found) in sources.iter().zip(&mut per_source) {
        let mut missing: Vec<String> = keys
            .iter()
            .filter(|key| !found.contains_key(*key))
            .cloned()
            .collect();
        missing.push(String::new());
        for term in store.outlet_shared_counts(kind, source, &missing)? {
            found.insert(term.key.clone(), term);
        }
        for (key, term) in found.iter() {
            if key.is_empty() {
                n_own += term.own;
                n_others += term.others;
                continue;
            }
            let entry = counts
                .entry(key.clone())
                .or_insert_with(|| (term.name.clone(), 0, 0));
            entry.1 += term.own;
            entry.2 += term.others;
        }
    }
    if kind == TermKind::Speaker {
        let folded = fold_surnames(
            counts
                .iter()
                .map(|(key, (_, own, others))| (key.as_str(), own + others)),
        );
        for (surname, full) in folded {
            if let Some((_, own, others)) = counts.remove(&surname) {
                let entry = counts.entry(full.clone()).or_insert((full, 0, 0));
                entry.1 += own;
                entry.2 += others;
            }
        }
    }
    let mut ranked: Vec<Ranked> = counts
        .into_iter()
        .map(|(_, (name, own, others))| {
            let (log_odds, z) = log_odds(own, own + others, n_own, n_own + n_others);
            Ranked {
                name,
                outlet: own,
                rest: others,
                log_odds,
                z,
            }
        })
        .collect();
    ranked.sort_by(|a, b| b.z.total_cmp(&a.z).then(a.name.cmp(&b.name)));
    Ok((ranked, (n_own, n_others)))
}

/// The most quoted speakers over several sources: each source's top `limit` are the candidates,
/// counted exactly over all of them.
fn top_terms(store: &dyn Store, sources: &[String], limit: usize) -> Result<Vec<TermCount>> {
    if let [source] = sources {
        return store.outlet_top_speakers(source, limit);
    }
    let mut keys = BTreeSet::new();
    for source in sources {
        for term in store.outlet_top_speakers(source, limit)? {
            keys.insert(term.key);
        }
    }
    let keys: Vec<String> = keys.into_iter().collect();
    let mut merged = term_counts(store, sources, &keys)?;
    merged.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    merged.truncate(limit);
    Ok(merged)
}

/// The quote counts of some speakers summed over several sources.
fn term_counts(store: &dyn Store, sources: &[String], keys: &[String]) -> Result<Vec<TermCount>> {
    let mut merged: BTreeMap<String, TermCount> = BTreeMap::new();
    for source in sources {
        for term in store.outlet_speaker_counts(source, keys)? {
            merged
                .entry(term.key.clone())
                .and_modify(|known| known.count += term.count)
                .or_insert(term);
        }
    }
    Ok(merged.into_values().collect())
}

/// Weighted log-odds of an item in an outlet against the other outlets on the same stories with
/// an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, eq. 16 and 18): the prior
/// gives the item `PRIOR_COUNTS × y_all / n_all` pseudo-counts in both groups, `y_all` and
/// `n_all` being the two groups together. Returns (δ, z).
pub fn log_odds(y_outlet: i64, y_all: i64, n_outlet: i64, n_all: i64) -> (f64, f64) {
    let n_all_f = n_all.max(1) as f64;
    let alpha = PRIOR_COUNTS * (y_all.max(0) as f64) / n_all_f;
    let alpha0 = PRIOR_COUNTS;
    let y_i = y_outlet.max(0) as f64;
    let y_j = (y_all - y_outlet).max(0) as f64;
    let n_i = n_outlet.max(0) as f64;
    let n_j = (n_all - n_outlet).max(0) as f64;
    let odds =
        |y: f64, n: f64| ((y + alpha) / (n + alpha0 - y - alpha).max(f64::MIN_POSITIVE)).ln();
    let delta = odds(y_i, n_i) - odds(y_j, n_j);
    let variance = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha);
    let z = if variance.is_finite() && variance > 0.0 {
        delta / variance.sqrt()
    } else {
        0.0
    };
    (delta, z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_twice_as_common_in_the_outlet_scores_positive_and_the_prior_shrinks_rare_ones() {
        // 200 of 10,000 in the outlet against 100 of 10,000 elsewhere.
        let (delta, z) = log_odds(200, 300, 10_000, 20_000);
        assert!(delta > 0.6 && delta < 0.75, "{delta}");
        assert!(z > 5.0, "{z}");
        // The same ratio on 2 against 1 is no evidence.
        let (_, z_rare) = log_odds(2, 3, 10_000, 20_000);
        assert!(z_rare.abs() < 1.0, "{z_rare}");
        // Never quoted here, often elsewhere: negative.
        let (_, z_less) = log_odds(0, 100, 10_000, 20_000);
        assert!(z_less < -5.0, "{z_less}");
    }
}
