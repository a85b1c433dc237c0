//! Outlet profiles against what people marked: BASIL's lexical-bias phrases per outlet, and the
//! AllSides roundups' stories for blindspots.
//!
//! BASIL (Fox News, The New York Times, HuffPost on the same events): every article goes
//! through the pipeline into a store, as `ingest` sends it, and each outlet's profile is read
//! from the aggregates; next to it, the annotators' lexical-bias phrases outside quotes per
//! 1,000 own-voice words (the profile's own denominator), and whether the outlets rank alike.
//! AllSides: each outlet's lead is an article of its outlet; blindspots found on the stories
//! the engine built are set against the blindspots the gold roundups imply (a roundup an
//! outlet is not in, that at least K others are in, within the outlet's dates). This module
//! reads gold files and scores; it does not print.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use newslens_pipeline::{Chunks, Input, Pipeline, Prepared};
use newslens_read::{Format, Given, Origin, Record};
use newslens_store::outlets::{OutletNames, OutletProfile, OutletQuery};
use newslens_store::{
    outlet_profile, outlet_profiles, update_stories, Store, StoredKeys, StoryConfig,
};

use crate::{allsides, basil, RunError};

/// One BASIL outlet: its profile's figures and the annotators'.
#[derive(Debug, Clone)]
pub struct BasilRow {
    /// The outlet.
    pub outlet: String,
    /// Its profile, from the aggregates.
    pub profile: OutletProfile,
    /// Lexical-bias phrases the annotators marked outside quotes.
    pub gold_phrases: usize,
    /// Those per 1,000 own-voice words.
    pub gold_per_1k: f64,
}

/// BASIL's outlets, profiled and set against the annotators.
#[derive(Debug, Clone)]
pub struct BasilOutlets {
    /// The folder.
    pub dir: String,
    /// Articles stored.
    pub n_articles: usize,
    /// Inputs that failed.
    pub failed: Vec<String>,
    /// One row per outlet, most gold phrases per 1,000 words first.
    pub rows: Vec<BasilRow>,
    /// Pairs of outlets the profile orders as the annotators do, of all pairs.
    pub pairs_agreeing: usize,
    /// See `pairs_agreeing`.
    pub n_pairs: usize,
    /// Spearman's rank correlation of loaded per 1k against gold per 1k.
    pub spearman: f64,
}

/// Analyses and stores records through the pipeline; returns the failures.
fn store_records(
    pipeline: &Pipeline,
    store: &mut dyn Store,
    records: Vec<Input>,
) -> Result<Vec<String>, RunError> {
    let nothing_stored = StoredKeys::default();
    let mut failed = Vec::new();
    for chunk in Chunks::new(records) {
        let mut batch = Vec::new();
        for result in pipeline.prepare_chunk(chunk, &nothing_stored) {
            match result {
                Ok(done) => {
                    if let Prepared::Record(record) = done.value {
                        batch.push(*record);
                    }
                }
                Err(error) => failed.push(error.to_string()),
            }
        }
        store.add_articles(&batch)?;
    }
    update_stories(store, &StoryConfig::default())?;
    Ok(failed)
}

/// BASIL's outlet names as the built-in names know them.
fn basil_outlet(source: &str) -> &str {
    match source {
        "fox" => "Fox News",
        "nyt" => "The New York Times",
        "hpo" => "HuffPost",
        other => other,
    }
}

/// Stores BASIL's annotated articles in `store` and profiles its outlets.
pub fn basil_outlets(
    pipeline: &Pipeline,
    dir: &str,
    store: &mut dyn Store,
) -> Result<BasilOutlets, RunError> {
    let (articles, _) = basil::read(dir).map_err(|source| RunError::Corpus {
        corpus: "BASIL",
        path: dir.to_string(),
        source,
    })?;
    let mut gold: BTreeMap<String, usize> = BTreeMap::new();
    let mut records = Vec::new();
    for article in &articles {
        let outlet = basil_outlet(&article.source).to_string();
        *gold.entry(outlet.clone()).or_default() += article
            .spans
            .iter()
            .filter(|span| span.bias == "lex" && !span.in_quote)
            .count();
        records.push(Ok(Record {
            origin: Origin::file(format!("{dir}/articles/{}", article.name)),
            bytes: article.text.clone().into_bytes(),
            format: Format::Text,
            given: Given {
                outlet: Some(outlet),
                published: article.date.clone(),
                title: article.title.clone(),
                ..Given::default()
            },
            fallback: Given::default(),
        }));
    }
    let failed = store_records(pipeline, store, records)?;
    let names = OutletNames::built_in();
    let mut profiles = Vec::new();
    for listed in outlet_profiles(&*store, &names, &OutletQuery::default())? {
        // The whole profile, rankings included.
        if let Some(profile) =
            outlet_profile(&*store, &names, &listed.name, &OutletQuery::default())?
        {
            profiles.push(profile);
        }
    }
    let mut rows: Vec<BasilRow> = profiles
        .into_iter()
        .map(|profile| {
            let gold_phrases = gold.get(&profile.name).copied().unwrap_or(0);
            let gold_per_1k = 1000.0 * gold_phrases as f64 / (profile.own_words.max(1) as f64);
            BasilRow {
                outlet: profile.name.clone(),
                profile,
                gold_phrases,
                gold_per_1k,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.gold_per_1k.total_cmp(&a.gold_per_1k));
    let ours: Vec<f64> = rows
        .iter()
        .map(|row| row.profile.loaded_per_1k_words.unwrap_or(0.0))
        .collect();
    let theirs: Vec<f64> = rows.iter().map(|row| row.gold_per_1k).collect();
    let mut pairs_agreeing = 0;
    let mut n_pairs = 0;
    for i in 0..rows.len() {
        for j in i + 1..rows.len() {
            n_pairs += 1;
            if (ours[i] - ours[j]).signum() == (theirs[i] - theirs[j]).signum() {
                pairs_agreeing += 1;
            }
        }
    }
    Ok(BasilOutlets {
        dir: dir.to_string(),
        n_articles: store.counts()?.articles,
        failed,
        spearman: spearman(&ours, &theirs),
        rows,
        pairs_agreeing,
        n_pairs,
    })
}

/// Spearman's ρ (no ties expected; ties share the lower rank).
fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let ranks = |values: &[f64]| -> Vec<f64> {
        values
            .iter()
            .map(|value| values.iter().filter(|other| *other < value).count() as f64)
            .collect()
    };
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let d2: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - y).powi(2)).sum();
    1.0 - 6.0 * d2 / (n * (n * n - 1.0))
}

impl fmt::Display for BasilOutlets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "outlet profiles on BASIL ({}): {} articles stored, {} failed",
            self.dir,
            self.n_articles,
            self.failed.len()
        )?;
        writeln!(
            f,
            "{:<22} {:>8} {:>9} {:>10} {:>12} {:>10} {:>7} {:>7} {:>7} {:>8}",
            "outlet",
            "articles",
            "own words",
            "loaded/1k",
            "gold lex/1k",
            "gold lex",
            "tone",
            "verbs≠",
            "women",
            "unknown"
        )?;
        for row in &self.rows {
            let profile = &row.profile;
            let share =
                |value: Option<f64>| value.map_or("-".into(), |v| format!("{:.0}%", 100.0 * v));
            writeln!(
                f,
                "{:<22} {:>8} {:>9} {:>10.2} {:>12.2} {:>10} {:>7.2} {:>7} {:>7} {:>8}",
                row.outlet,
                profile.articles,
                profile.own_words,
                profile.loaded_per_1k_words.unwrap_or(0.0),
                row.gold_per_1k,
                row.gold_phrases,
                profile.tone_narrative_mean.unwrap_or(0.0),
                share(profile.non_neutral_verbs_share),
                share(profile.gender.women_share),
                share(profile.gender.unknown_share),
            )?;
        }
        writeln!(
            f,
            "ranking by loaded/1k against the annotators' lex/1k: {}/{} pairs agree, Spearman {:.2}",
            self.pairs_agreeing, self.n_pairs, self.spearman
        )?;
        for row in &self.rows {
            let words: Vec<String> = row
                .profile
                .distinctive_words
                .iter()
                .take(8)
                .map(|word| format!("{} ({:.1})", word.name, word.z))
                .collect();
            writeln!(
                f,
                "  {} own-voice words (z): {}",
                row.outlet,
                words.join(", ")
            )?;
            let speakers = |ranked: &[newslens_store::outlets::Ranked]| -> String {
                ranked
                    .iter()
                    .take(5)
                    .map(|speaker| {
                        format!(
                            "{} {}/{} ({:.1})",
                            speaker.name, speaker.outlet, speaker.rest, speaker.z
                        )
                    })
                    .collect::<Vec<String>>()
                    .join(", ")
            };
            writeln!(
                f,
                "  {} quotes more than the others on its stories (here/others, z): {}",
                row.outlet,
                speakers(&row.profile.speakers_more)
            )?;
            writeln!(
                f,
                "  {} quotes less: {}",
                row.outlet,
                speakers(&row.profile.speakers_less)
            )?;
        }
        writeln!(f)
    }
}

/// Blindspots of one outlet on the AllSides roundups, found and gold.
#[derive(Debug, Clone)]
pub struct BlindspotRow {
    /// The outlet.
    pub outlet: String,
    /// Its articles (leads).
    pub articles: i64,
    /// Blindspots on the engine's stories.
    pub found: usize,
    /// Blindspots the gold roundups imply.
    pub gold: usize,
    /// Found blindspots whose story is, by most of its articles, a gold blindspot roundup.
    pub right: usize,
    /// Gold blindspot roundups some found blindspot stands for.
    pub matched: usize,
}

/// Blindspots on the AllSides roundups at one K.
#[derive(Debug, Clone)]
pub struct AllsidesBlindspots {
    /// The roundups file.
    pub path: String,
    /// Articles stored and inputs that failed.
    pub n_articles: usize,
    /// See `n_articles`.
    pub failed: usize,
    /// The K: other outlets a story needs.
    pub min_outlets: usize,
    /// Outlets with at least one article, most articles first.
    pub rows: Vec<BlindspotRow>,
}

/// Stores AllSides leads in `store` (one article per outlet and roundup) and counts each outlet's
/// blindspots at every K in `ks`, against the gold roundups.
pub fn allsides_blindspots(
    pipeline: &Pipeline,
    path: &str,
    store: &mut dyn Store,
    ks: &[usize],
) -> Result<Vec<AllsidesBlindspots>, RunError> {
    let leads = allsides::read(path).map_err(|source| RunError::Gold {
        path: path.to_string(),
        source,
    })?;
    let names = OutletNames::built_in();
    let mut records = Vec::with_capacity(leads.len());
    // Title + outlet → gold roundup, to find each stored article's roundup again.
    let mut roundup_of: HashMap<(String, String), String> = HashMap::new();
    // Gold: roundup → (its day, its outlets); outlet → its first and last day.
    let mut roundups: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    let mut active: BTreeMap<String, (String, String)> = BTreeMap::new();
    for lead in &leads {
        let written = lead.outlet.clone().unwrap_or_default();
        let outlet = names.outlet_name(&written.to_lowercase(), &written);
        let day: String = lead
            .date
            .clone()
            .unwrap_or_default()
            .chars()
            .take(10)
            .collect();
        let roundup = roundups.entry(lead.story.clone()).or_default();
        roundup.0 = day.clone();
        roundup.1.insert(outlet.clone());
        let span = active
            .entry(outlet.clone())
            .or_insert_with(|| (day.clone(), day.clone()));
        if day < span.0 {
            span.0 = day.clone();
        }
        if day > span.1 {
            span.1 = day.clone();
        }
        roundup_of.insert(
            (lead.title.clone().unwrap_or_default(), outlet),
            lead.story.clone(),
        );
        records.push(Ok(Record {
            origin: Origin::file(format!("{path}#{}-{}", lead.story, lead.side)),
            bytes: lead.text.clone().into_bytes(),
            format: Format::Text,
            given: Given {
                url: lead.url.clone(),
                outlet: lead.outlet.clone(),
                published: lead.date.clone(),
                title: lead.title.clone(),
                ..Given::default()
            },
            fallback: Given::default(),
        }));
    }
    let failed = store_records(pipeline, store, records)?.len();
    let n_articles = store.counts()?.articles;
    let mut reports = Vec::new();
    for &k in ks {
        let query = OutletQuery {
            min_outlets: k,
            top: usize::MAX,
            ..OutletQuery::default()
        };
        let profiles = outlet_profiles(&*store, &names, &query)?;
        let mut rows = Vec::new();
        for profile in &profiles {
            let (first, last) = active.get(&profile.name).cloned().unwrap_or_default();
            let gold_roundups: BTreeSet<&String> = roundups
                .iter()
                .filter(|(_, (day, outlets))| {
                    !outlets.contains(&profile.name)
                        && outlets.len() >= k.max(1)
                        && *day >= first
                        && *day <= last
                })
                .map(|(roundup, _)| roundup)
                .collect();
            let mut right = 0;
            let mut matched = BTreeSet::new();
            for blindspot in &profile.blindspots.stories {
                // The engine's story stands for the roundup most of its articles come from.
                let mut votes: BTreeMap<&String, usize> = BTreeMap::new();
                for stored in store.story_articles(&blindspot.id)? {
                    let article = &stored.article;
                    let written = article.source.outlet.clone().unwrap_or_default();
                    let outlet = names.outlet_name(&written.to_lowercase(), &written);
                    let key = (article.title.clone().unwrap_or_default(), outlet);
                    if let Some(roundup) = roundup_of.get(&key) {
                        *votes.entry(roundup).or_default() += 1;
                    }
                }
                let majority = votes
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                    .map(|(roundup, _)| roundup);
                if let Some(roundup) = majority.filter(|roundup| gold_roundups.contains(roundup)) {
                    right += 1;
                    matched.insert(roundup.clone());
                }
            }
            rows.push(BlindspotRow {
                outlet: profile.name.clone(),
                articles: profile.articles,
                found: profile.blindspots.count,
                gold: gold_roundups.len(),
                right,
                matched: matched.len(),
            });
        }
        reports.push(AllsidesBlindspots {
            path: path.to_string(),
            n_articles,
            failed,
            min_outlets: k,
            rows,
        });
    }
    Ok(reports)
}

impl fmt::Display for AllsidesBlindspots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found: usize = self.rows.iter().map(|row| row.found).sum();
        let gold: usize = self.rows.iter().map(|row| row.gold).sum();
        let right: usize = self.rows.iter().map(|row| row.right).sum();
        let matched: usize = self.rows.iter().map(|row| row.matched).sum();
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(right, found);
        let recall = ratio(matched, gold);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        writeln!(
            f,
            "blindspots on AllSides ({}), K = {} other outlets: {} articles stored, {} failed",
            self.path, self.min_outlets, self.n_articles, self.failed
        )?;
        writeln!(
            f,
            "all outlets: {found} found ({right} a gold blindspot's roundup), {gold} gold ({matched} found): \
             precision {precision:.3} recall {recall:.3} F1 {f1:.3}"
        )?;
        writeln!(
            f,
            "{:<36} {:>8} {:>6} {:>6} {:>6}",
            "outlet (most articles first)", "articles", "found", "gold", "right"
        )?;
        for row in self.rows.iter().take(15) {
            writeln!(
                f,
                "{:<36} {:>8} {:>6} {:>6} {:>6}",
                row.outlet.chars().take(36).collect::<String>(),
                row.articles,
                row.found,
                row.gold,
                row.right
            )?;
        }
        writeln!(f)
    }
}
