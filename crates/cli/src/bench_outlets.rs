//! `newslens bench outlets`: the time of one outlet's profile — the store call behind
//! `GET /v1/outlets/{name}` — on a corpus of N articles, to show it comes from the aggregates and
//! does not grow with the corpus.
//!
//! The corpus is built here: BASIL's texts (`../shared/data/framing/basil`) are analysed once,
//! then stored again and again as new articles (a new id each, one of 20 outlets, a day spread
//! over two years), each through `newslens_store::prepare`, so every copy adds to the aggregates
//! as an ingested article does. By default stories are not placed (every article stays a story
//! of its own, with one source: the outlet's own stories are as many as its articles);
//! `--stories` places them, and since copies of one text are near-copies, every story is then
//! covered by every outlet (and the speaker and word rankings, which compare an outlet with the
//! others on the stories it covered, have the most to read). This module prints; the timing is
//! of `newslens_store::outlet_profile`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use rayon::prelude::*;

use newslens_store::outlets::{OutletNames, OutletQuery};
use newslens_store::{outlet_profile, outlet_profiles, prepare, Store};

/// Outlets the copies are spread over (the first three are the built-in names' spellings).
const OUTLETS: [&str; 20] = [
    "Fox News",
    "foxnews.com",
    "The New York Times",
    "HuffPost",
    "Reuters",
    "AP",
    "CNN",
    "BBC News",
    "The Guardian",
    "NPR",
    "Harbour Gazette",
    "Coast Herald",
    "Dunmore Post",
    "Valley Courier",
    "Lakeside Ledger",
    "Northern Echo Online",
    "Metro Daily",
    "Capital Wire",
    "Island Times",
    "Plains Record",
];

#[derive(Args)]
pub struct BenchOutletsArgs {
    /// Articles in the corpus.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    articles: usize,
    /// The development data folder (BASIL's texts are the templates).
    #[arg(long, value_name = "DIR", default_value = "../shared/data")]
    data: PathBuf,
    /// The corpus: an SQLite file (made in a temporary folder if not given) or a PostgreSQL URL;
    /// it must be new or hold a corpus this command built.
    #[arg(long, value_name = "PATH|URL")]
    db: Option<String>,
    /// Times each call is repeated.
    #[arg(long, value_name = "N", default_value_t = 20)]
    repeat: usize,
    /// Place the articles into stories before timing (copies of one text are near-copies: every
    /// story is then covered by every outlet, the most blindspot candidates there can be).
    #[arg(long)]
    stories: bool,
}

pub fn run(args: &BenchOutletsArgs) -> Result<()> {
    let basil_dir = args.data.join("framing/basil");
    let basil_dir = basil_dir.to_string_lossy().to_string();
    let (templates, _) = newslens_eval::basil::read(&basil_dir)
        .with_context(|| format!("cannot read the templates from {basil_dir}"))?;
    let analysed: Vec<newslens_contract::Article> = templates
        .par_iter()
        .map(|template| {
            let mut document = newslens_core::Document::new(&template.text);
            document.title = template.title.clone();
            newslens_core::analyze(&document)
        })
        .collect();
    let temporary = tempfile::tempdir()?;
    let db = match &args.db {
        Some(db) => db.clone(),
        None => temporary.path().join("outlets.db").display().to_string(),
    };
    let mut store = crate::database::open(&db)?;
    let stored = store.counts()?.articles;
    let started = Instant::now();
    store.begin_bulk_writes()?;
    const BATCH: usize = 2000;
    let mut article_idx = stored;
    while article_idx < args.articles {
        let end = (article_idx + BATCH).min(args.articles);
        let records: Vec<_> = (article_idx..end)
            .into_par_iter()
            .map(|idx| {
                let mut article = analysed[idx % analysed.len()].clone();
                article.id = format!("{:016x}", spread(idx));
                article.source.outlet = Some(OUTLETS[idx % OUTLETS.len()].to_string());
                article.source.url = None;
                article.source.path = Some(format!("bench#{idx}"));
                article.published = Some(day_of(idx));
                prepare(article)
            })
            .collect();
        store.add_articles(&records)?;
        article_idx = end;
    }
    store.end_bulk_writes()?;
    let stored_in = started.elapsed();
    if args.stories {
        // Copies of one template are near-copies of its first: 210 stories, each in every outlet.
        let placing = Instant::now();
        newslens_store::update_stories(&mut store, &newslens_store::StoryConfig::default())?;
        println!(
            "  stories placed in {:.0} s (the shared-story counts moved with them); articles stored in {:.0} s",
            placing.elapsed().as_secs_f64(),
            stored_in.as_secs_f64()
        );
    }
    let built = started.elapsed();
    let counts = store.counts()?;
    println!(
        "bench outlets: {} articles ({} stored now, {:.0} s; {} BASIL texts as templates, {} outlets, {} stories)",
        counts.articles,
        counts.articles - stored,
        built.as_secs_f64(),
        analysed.len(),
        OUTLETS.len(),
        counts.stories
    );
    let names = OutletNames::built_in();
    let query = OutletQuery::default();
    let one = time(args.repeat, || {
        outlet_profile(&store, &names, "Fox News", &query).map(|profile| profile.is_some())
    })?;
    let all = time(args.repeat.min(5), || {
        outlet_profiles(&store, &names, &query).map(|profiles| !profiles.is_empty())
    })?;
    let reaching = time(args.repeat, || {
        store
            .stories_reaching(3, "0000-00-00", "9999-99-99")
            .map(|_| true)
    })?;
    let n_reaching = store.stories_reaching(3, "0000-00-00", "9999-99-99")?.len();
    let weeks = time(args.repeat, || {
        store.outlet_weeks().map(|rows| !rows.is_empty())
    })?;
    println!(
        "  outlet_profile(\"Fox News\") (GET /v1/outlets/Fox%20News): median {:.1} ms, max {:.1} ms",
        ms(one.0),
        ms(one.1)
    );
    if let Some(profile) = outlet_profile(&store, &names, "Fox News", &query)? {
        let same = profile.same_stories.unwrap_or_default();
        println!(
            "    rankings on the same stories: {} quotes and {} words of its own against {} and {} of the others; {} speakers more, {} less, {} words",
            same.quotes,
            same.words,
            same.other_quotes,
            same.other_words,
            profile.speakers_more.len(),
            profile.speakers_less.len(),
            profile.distinctive_words.len()
        );
    }
    println!(
        "    of which stories_reaching(3) (blindspot candidates, {} source rows): median {:.1} ms; outlet_weeks: {:.1} ms",
        n_reaching,
        ms(reaching.0),
        ms(weeks.0)
    );
    println!(
        "  outlet_profiles (GET /v1/outlets, {} outlets): median {:.1} ms, max {:.1} ms",
        OUTLETS.len() - 1,
        ms(all.0),
        ms(all.1)
    );
    Ok(())
}

/// Median and maximum of `repeat` calls (each must find something).
fn time(
    repeat: usize,
    mut call: impl FnMut() -> newslens_store::Result<bool>,
) -> Result<(Duration, Duration)> {
    let mut times = Vec::new();
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        let found = call()?;
        times.push(started.elapsed());
        anyhow::ensure!(found, "the benchmark corpus answered nothing");
    }
    times.sort();
    Ok((times[times.len() / 2], times[times.len() - 1]))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A well-spread 64-bit number per article (SplitMix64).
fn spread(idx: usize) -> u64 {
    let mut z = (idx as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A day in 2019–2020 for an article.
fn day_of(idx: usize) -> String {
    let day = (spread(idx ^ 0x5555) % 730) as u32;
    let (mut year, mut remaining) = (2019, day);
    let days_in = |year: u32| if year.is_multiple_of(4) { 366 } else { 365 };
    while remaining >= days_in(year) {
        remaining -= days_in(year);
        year += 1;
    }
    let month_days = [
        31,
        if year.is_multiple_of(4) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while remaining >= month_days[month] {
        remaining -= month_days[month];
        month += 1;
    }
    format!("{year}-{:02}-{:02}", month + 1, remaining + 1)
}
