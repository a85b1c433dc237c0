//! The outlet commands: `outlets` (every outlet), `outlets compare A B` and `outlet NAME`.
//!
//! Each opens the corpus, reads the profiles from the store's outlet aggregates
//! (`newslens_store::outlets`) and prints them as JSON lines or as text for people. The outlet
//! names are the built-in list plus the user's `--outlets FILE`; this module only parses
//! arguments and formats.

use std::io::Write;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};

use newslens_contract::dates::is_date_bound;
use newslens_store::outlets::{OutletNames, OutletProfile, OutletQuery, Ranked};
use newslens_store::{compare_outlets, outlet_profile, outlet_profiles};

use crate::corpus::Format;
use crate::database::{open_existing, DEFAULT_DB};

/// What every outlet command takes.
#[derive(Args, Clone)]
pub struct ProfileArgs {
    /// The corpus: an SQLite file, or a PostgreSQL database as postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "PATH|URL", default_value = DEFAULT_DB)]
    db: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Outlet names of your own (README, "Outlet names"): one outlet a line, its name then,
    /// tab-separated, other names, hosts and `label:TEXT` labels.
    #[arg(long, value_name = "FILE")]
    outlets: Option<String>,
    /// Only weeks from the one holding this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = day)]
    since: Option<String>,
    /// Only weeks up to the one holding this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = day)]
    until: Option<String>,
    /// Blindspots are stories at least this many other outlets covered.
    #[arg(long, value_name = "K", default_value_t = 3)]
    min_outlets: usize,
    /// Entries per ranking, and blindspots listed.
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
}

/// `newslens outlets`: every outlet, or `outlets compare A B`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct OutletsArgs {
    #[command(subcommand)]
    command: Option<OutletsCommand>,
    #[command(flatten)]
    common: ProfileArgs,
}

#[derive(Subcommand)]
pub enum OutletsCommand {
    /// Two outlets side by side: counts, rates, gender shares, rankings, blindspots.
    Compare(CompareArgs),
}

#[derive(Args)]
pub struct CompareArgs {
    /// The first outlet (name, alias or host).
    #[arg(value_name = "A")]
    a: String,
    /// The second.
    #[arg(value_name = "B")]
    b: String,
    #[command(flatten)]
    common: ProfileArgs,
}

/// `newslens outlet NAME`.
#[derive(Args)]
pub struct OutletArgs {
    /// The outlet: its name, another name it goes by, or a web host ("FOX", "foxnews.com").
    #[arg(value_name = "NAME")]
    name: String,
    #[command(flatten)]
    common: ProfileArgs,
}

/// A day, from `YYYY-MM-DD` or a timestamp's first ten characters.
fn day(text: &str) -> std::result::Result<String, String> {
    let text = text.trim();
    if is_date_bound(text) {
        Ok(text.chars().take(10).collect())
    } else {
        Err(format!("{text:?} is not a date (YYYY-MM-DD)"))
    }
}

impl ProfileArgs {
    fn names(&self) -> Result<OutletNames> {
        match &self.outlets {
            Some(path) => Ok(OutletNames::with_file(path)?),
            None => Ok(OutletNames::built_in()),
        }
    }

    fn query(&self) -> OutletQuery {
        OutletQuery {
            since: self.since.clone(),
            until: self.until.clone(),
            min_outlets: self.min_outlets,
            top: self.top,
        }
    }
}

fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

fn json_line<T: serde::Serialize>(out: &mut impl Write, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// `newslens outlets [compare A B]`.
pub fn outlets(args: &OutletsArgs) -> Result<()> {
    if let Some(OutletsCommand::Compare(compare)) = &args.command {
        return compare_two(compare);
    }
    let common = &args.common;
    let names = common.names()?;
    let store = open_existing(&common.db)?;
    let profiles =
        outlet_profiles(&store, &names, &common.query()).context("reading the outlet profiles")?;
    let mut out = stdout();
    match common.format {
        Format::Jsonl => {
            for profile in &profiles {
                json_line(&mut out, profile)?;
            }
        }
        Format::Text => write_table(&mut out, &profiles, common.min_outlets)?,
    }
    out.flush()?;
    Ok(())
}

/// `newslens outlet NAME`.
pub fn outlet(args: &OutletArgs) -> Result<()> {
    let common = &args.common;
    let names = common.names()?;
    let store = open_existing(&common.db)?;
    let Some(profile) = outlet_profile(&store, &names, &args.name, &common.query())? else {
        bail!(
            "no outlet {:?} in the corpus (`newslens outlets` lists them)",
            args.name
        );
    };
    let mut out = stdout();
    match common.format {
        Format::Jsonl => json_line(&mut out, &profile)?,
        Format::Text => write_profile(&mut out, &profile)?,
    }
    out.flush()?;
    Ok(())
}

fn compare_two(args: &CompareArgs) -> Result<()> {
    let common = &args.common;
    let names = common.names()?;
    let store = open_existing(&common.db)?;
    let comparison = match compare_outlets(&store, &names, &args.a, &args.b, &common.query())? {
        Ok(comparison) => comparison,
        Err(missing) => {
            bail!("no outlet {missing:?} in the corpus (`newslens outlets` lists them)")
        }
    };
    let mut out = stdout();
    match common.format {
        Format::Jsonl => json_line(&mut out, &comparison)?,
        Format::Text => {
            write_table(
                &mut out,
                &[comparison.a.clone(), comparison.b.clone()],
                common.min_outlets,
            )?;
            writeln!(out, "stories both covered: {}", comparison.shared_stories)?;
            writeln!(out)?;
            write_profile(&mut out, &comparison.a)?;
            write_profile(&mut out, &comparison.b)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn number(value: Option<f64>, decimals: usize) -> String {
    value.map_or("-".into(), |value| format!("{value:.decimals$}"))
}

fn percent(value: Option<f64>) -> String {
    value.map_or("-".into(), |value| format!("{:.0}%", 100.0 * value))
}

fn write_table(out: &mut impl Write, profiles: &[OutletProfile], min_outlets: usize) -> Result<()> {
    writeln!(
        out,
        "{:<28} {:>8} {:>7} {:>7} {:>6} {:>9} {:>8} {:>6} {:>5} {:>7} {:>10}",
        "outlet",
        "articles",
        "stories",
        "quotes",
        "tone",
        "loaded/1k",
        "verbs≠",
        "women",
        "men",
        "unknown",
        format!("blind(≥{min_outlets})"),
    )?;
    for profile in profiles {
        let mut name: String = profile.name.chars().take(28).collect();
        if !profile.labels.is_empty() {
            name = format!("{name} [yours: {}]", profile.labels.join(", "));
        }
        writeln!(
            out,
            "{:<28} {:>8} {:>7} {:>7} {:>6} {:>9} {:>8} {:>6} {:>5} {:>7} {:>10}",
            name,
            profile.articles,
            profile.stories,
            profile.quotes,
            number(profile.tone_narrative_mean, 2),
            number(profile.loaded_per_1k_words, 1),
            percent(profile.non_neutral_verbs_share),
            percent(profile.gender.women_share),
            percent(profile.gender.men_share),
            percent(profile.gender.unknown_share),
            profile.blindspots.count,
        )?;
    }
    Ok(())
}

fn write_ranked(out: &mut impl Write, title: &str, ranked: &[Ranked]) -> Result<()> {
    if ranked.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "  {title} (here / others on the same stories, log-odds, z):"
    )?;
    for entry in ranked {
        writeln!(
            out,
            "    {:<30} {:>5} / {:<6} {:>6.2} {:>6.2}",
            entry.name, entry.outlet, entry.rest, entry.log_odds, entry.z
        )?;
    }
    Ok(())
}

fn write_profile(out: &mut impl Write, profile: &OutletProfile) -> Result<()> {
    writeln!(out, "{}", profile.name)?;
    if !profile.labels.is_empty() {
        writeln!(out, "  your labels: {}", profile.labels.join(", "))?;
    }
    writeln!(out, "  as: {}", profile.sources.join(", "))?;
    writeln!(
        out,
        "  {} articles, {} stories, {} quotes, {} own-voice words, {} to {}",
        profile.articles,
        profile.stories,
        profile.quotes,
        profile.own_words,
        profile.first_published.as_deref().unwrap_or("?"),
        profile.last_published.as_deref().unwrap_or("?"),
    )?;
    writeln!(
        out,
        "  narrative tone {}, loaded {} per 1,000 own-voice words, non-neutral verbs {}",
        number(profile.tone_narrative_mean, 2),
        number(profile.loaded_per_1k_words, 2),
        percent(profile.non_neutral_verbs_share),
    )?;
    let gender = &profile.gender;
    writeln!(
        out,
        "  quotes by women {} ({}), men {} ({}), unknown {} ({})",
        gender.women,
        percent(gender.women_share),
        gender.men,
        percent(gender.men_share),
        gender.unknown,
        percent(gender.unknown_share),
    )?;
    if !profile.top_speakers.is_empty() {
        let speakers: Vec<String> = profile
            .top_speakers
            .iter()
            .map(|speaker| format!("{} ({})", speaker.name, speaker.quotes))
            .collect();
        writeln!(out, "  most quoted: {}", speakers.join(", "))?;
    }
    if let Some(same) = &profile.same_stories {
        writeln!(
            out,
            "  on the stories it shared: {} quotes and {} counted words of its own; the other outlets on its stories: {} and {}",
            same.quotes, same.words, same.other_quotes, same.other_words
        )?;
    }
    write_ranked(
        out,
        "quoted more than by the others",
        &profile.speakers_more,
    )?;
    write_ranked(
        out,
        "quoted less than by the others",
        &profile.speakers_less,
    )?;
    write_ranked(out, "own-voice words used more", &profile.distinctive_words)?;
    let blindspots = &profile.blindspots;
    writeln!(
        out,
        "  blindspots (stories ≥ {} other outlets covered): {}",
        blindspots.min_outlets, blindspots.count
    )?;
    for story in &blindspots.stories {
        writeln!(
            out,
            "    {} {} {} [{}]",
            &story.id[..story.id.len().min(12)],
            story.first_seen.as_deref().unwrap_or("?"),
            story.title.as_deref().unwrap_or("(untitled)"),
            story.outlets.join(", ")
        )?;
    }
    if !profile.weeks.is_empty() {
        writeln!(out, "  week        articles  tone  loaded/1k  women")?;
        for week in &profile.weeks {
            writeln!(
                out,
                "  {}  {:>8} {:>5} {:>10} {:>6}",
                week.week,
                week.articles,
                number(week.tone_narrative_mean, 2),
                number(week.loaded_per_1k_words, 1),
                percent(week.women_share),
            )?;
        }
    }
    writeln!(out)?;
    Ok(())
}
