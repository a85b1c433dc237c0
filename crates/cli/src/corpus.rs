//! The corpus commands: `stories`, `compare`, `quotes`, `entity` and `search`.
//!
//! Each opens the corpus database, asks the store for one view and prints it as JSON lines (one
//! object a line) or as text for people. The views themselves are computed in `newslens-store`;
//! this module only parses arguments and formats.

use std::io::Write;

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};

use newslens_contract::dates::is_date_bound;
use newslens_store::compare::Comparison;
use newslens_store::{
    compare_story, EntityReport, EventKind, QuoteFilter, QuoteRecord, SearchQuery, Store,
    StoryConfig, StoryFilter, StorySummary, MAX_OFFSET,
};

use crate::database::{open_existing, DEFAULT_DB};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object a line.
    Jsonl,
    /// For people.
    Text,
}

#[derive(Args)]
pub struct DbArgs {
    /// The corpus: an SQLite file, or a PostgreSQL database as postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "PATH|URL", default_value = DEFAULT_DB)]
    db: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Args)]
pub struct StoriesArgs {
    #[command(flatten)]
    common: DbArgs,
    /// Only stories with at least this many articles (near-copies not counted).
    #[arg(long, value_name = "N", default_value_t = 1)]
    min_articles: usize,
    /// At most this many stories (newest first).
    #[arg(long, value_name = "N", value_parser = count)]
    limit: Option<usize>,
    /// Skip this many stories first (for paging with --limit).
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = count)]
    offset: usize,
    /// Most covered first (most articles, then newest) instead of newest first.
    #[arg(long)]
    most_covered: bool,
    /// First re-cluster every stored article in one batch (as if all came at once), keeping
    /// story ids where a story survives; merges and splits are recorded as usual.
    #[arg(long)]
    rebuild: bool,
}

#[derive(Args)]
pub struct CompareArgs {
    /// The story id (or a unique prefix of it), as `newslens stories` prints it.
    #[arg(value_name = "STORY")]
    story: String,
    #[command(flatten)]
    common: DbArgs,
}

#[derive(Args)]
pub struct QuotesArgs {
    /// Said by this speaker (whole name or last name, any case).
    #[arg(long, value_name = "NAME")]
    speaker: Option<String>,
    /// Mentioning this person, organisation or place.
    #[arg(long, value_name = "NAME")]
    about: Option<String>,
    /// In this outlet (any part of its name).
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// Published on or after this date (YYYY-MM-DD, or an ISO 8601 timestamp).
    #[arg(long, value_name = "DATE", value_parser = date_bound)]
    since: Option<String>,
    /// Published on or before this date (YYYY-MM-DD, or an ISO 8601 timestamp).
    #[arg(long, value_name = "DATE", value_parser = date_bound)]
    until: Option<String>,
    /// At most this many quotes.
    #[arg(long, value_name = "N", value_parser = count)]
    limit: Option<usize>,
    /// Skip this many quotes first (for paging with --limit).
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = count)]
    offset: usize,
    #[command(flatten)]
    common: DbArgs,
}

#[derive(Args)]
pub struct EntityArgs {
    /// The name (whole or last name, any case).
    #[arg(value_name = "NAME")]
    name: String,
    /// At most this many quotes by and about it.
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = count)]
    limit: usize,
    #[command(flatten)]
    common: DbArgs,
}

#[derive(Args)]
pub struct SearchArgs {
    /// Words, "phrases", AND / OR / NOT, prefix* (SQLite FTS5 syntax); plain words always work.
    #[arg(value_name = "QUERY", required = true)]
    query: Vec<String>,
    /// Only articles of this outlet (any part of its name).
    #[arg(long, value_name = "NAME")]
    outlet: Option<String>,
    /// Only articles mentioning this entity.
    #[arg(long, value_name = "NAME")]
    entity: Option<String>,
    /// Published on or after this date (YYYY-MM-DD, or an ISO 8601 timestamp).
    #[arg(long, value_name = "DATE", value_parser = date_bound)]
    since: Option<String>,
    /// Published on or before this date (YYYY-MM-DD, or an ISO 8601 timestamp).
    #[arg(long, value_name = "DATE", value_parser = date_bound)]
    until: Option<String>,
    /// At most this many articles.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = count)]
    limit: usize,
    /// Skip this many articles first (for paging with --limit).
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = count)]
    offset: usize,
    #[command(flatten)]
    common: DbArgs,
}

/// An offset or limit: a whole number SQLite's signed 64-bit OFFSET and LIMIT hold (a larger one
/// wrapped to a negative number, read as none).
fn count(text: &str) -> std::result::Result<usize, String> {
    let value: usize = text
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number"))?;
    if value > MAX_OFFSET {
        return Err(format!("{value} is over the largest, {MAX_OFFSET}"));
    }
    Ok(value)
}

/// A `--since` or `--until` date: `YYYY-MM-DD` or an ISO 8601 timestamp, checked, since anything
/// else compared with the stored dates as a string and matched nothing or everything.
fn date_bound(text: &str) -> std::result::Result<String, String> {
    if is_date_bound(text.trim()) {
        Ok(text.trim().to_string())
    } else {
        Err(format!(
            "{text:?} is not a date (YYYY-MM-DD) or an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SSZ)"
        ))
    }
}

fn open_store(args: &DbArgs) -> Result<Box<dyn Store + Send>> {
    open_existing(&args.db)
}

fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

fn json_line<T: serde::Serialize>(out: &mut impl Write, value: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

pub fn stories(args: &StoriesArgs) -> Result<()> {
    let mut store = open_store(&args.common)?;
    if args.rebuild {
        let started = std::time::Instant::now();
        let counts = store.rebuild_stories(&StoryConfig::default())?;
        eprintln!(
            "rebuilt: {} articles in {} stories ({:.1} s)",
            counts.articles,
            counts.stories,
            started.elapsed().as_secs_f64()
        );
    }
    let stories = store.stories(&StoryFilter {
        min_articles: args.min_articles,
        limit: args.limit,
        offset: args.offset,
        most_covered: args.most_covered,
    })?;
    let mut out = stdout();
    for story in &stories {
        match args.common.format {
            Format::Jsonl => json_line(&mut out, story)?,
            Format::Text => write_story(&mut out, story)?,
        }
    }
    out.flush()?;
    Ok(())
}

/// The date part of an ISO 8601 date-time.
fn day(published: &str) -> &str {
    published.get(..10).unwrap_or(published)
}

fn or_dash(value: Option<&str>) -> &str {
    value.unwrap_or("-")
}

fn write_story(out: &mut impl Write, story: &StorySummary) -> Result<()> {
    let n_copies = story
        .articles
        .iter()
        .filter(|a| a.duplicate_of.is_some())
        .count();
    let dates = match (&story.first_seen, &story.last_seen) {
        (Some(first), Some(last)) if day(first) != day(last) => {
            format!("{} … {}", day(first), day(last))
        }
        (Some(first), _) => day(first).to_string(),
        _ => "undated".to_string(),
    };
    writeln!(
        out,
        "{}  {}  {} article{}{}, {} quote{}  {}",
        story.id,
        dates,
        story.articles.len() - n_copies,
        if story.articles.len() - n_copies == 1 {
            ""
        } else {
            "s"
        },
        if n_copies > 0 {
            format!(" (+{n_copies} near-copies)")
        } else {
            String::new()
        },
        story.quotes,
        if story.quotes == 1 { "" } else { "s" },
        or_dash(story.title.as_deref()),
    )?;
    if !story.entities.is_empty() {
        let names: Vec<&str> = story.entities.iter().map(|e| e.name.as_str()).collect();
        writeln!(out, "    entities: {}", names.join(", "))?;
    }
    for event in &story.events {
        let what = match (event.kind, event.other == story.id) {
            (EventKind::Merged, true) => format!("{} merged into it", event.story),
            (EventKind::Merged, false) => format!("merged into {}", event.other),
            (EventKind::Split, true) => format!("split from {}", event.story),
            (EventKind::Split, false) => format!("split into {}", event.other),
        };
        let n = event.articles;
        writeln!(
            out,
            "    {}  {what} ({n} article{})",
            event.at,
            if n == 1 { "" } else { "s" }
        )?;
    }
    for article in &story.articles {
        let copy = match &article.duplicate_of {
            Some(original) => format!("  [copy of {original}]"),
            None => String::new(),
        };
        writeln!(
            out,
            "    {}  {}  {}  {}{}",
            article.id,
            or_dash(article.published.as_deref().map(day)),
            or_dash(article.outlet.as_deref()),
            article
                .title
                .as_deref()
                .or(article.path.as_deref())
                .unwrap_or("-"),
            copy
        )?;
    }
    Ok(())
}

pub fn compare(args: &CompareArgs) -> Result<()> {
    let store = open_store(&args.common)?;
    let Some(story) = store.story(&args.story)? else {
        bail!(
            "no story {} (or the prefix is not unique); list them with `newslens stories`",
            args.story
        );
    };
    let articles = store.story_articles(&story.id)?;
    let comparison = compare_story(&story, &articles);
    let mut out = stdout();
    match args.common.format {
        Format::Jsonl => json_line(&mut out, &comparison)?,
        Format::Text => write_comparison(&mut out, &comparison)?,
    }
    out.flush()?;
    Ok(())
}

fn write_comparison(out: &mut impl Write, comparison: &Comparison) -> Result<()> {
    writeln!(
        out,
        "story {}  {}",
        comparison.story,
        or_dash(comparison.title.as_deref())
    )?;
    for coverage in &comparison.outlets {
        writeln!(out, "\n== {}", coverage.outlet)?;
        for article in &coverage.articles {
            writeln!(
                out,
                "  article {}  {}  {}",
                article.id,
                or_dash(article.published.as_deref()),
                or_dash(article.title.as_deref())
            )?;
        }
        if let Some(tone) = coverage.tone {
            write!(out, "  tone {tone:+.2}")?;
            let narrative: Vec<String> = coverage
                .narrative_tone
                .iter()
                .map(|narrative| format!("{:+.2}", narrative.tone))
                .collect();
            if !narrative.is_empty() {
                write!(out, " (narrative {})", narrative.join(", "))?;
            }
            writeln!(out)?;
        }
        let list = |counted: &[newslens_store::compare::Counted]| {
            counted
                .iter()
                .map(|c| {
                    if c.count > 1 {
                        format!("{} ×{}", c.text, c.count)
                    } else {
                        c.text.clone()
                    }
                })
                .collect::<Vec<String>>()
                .join(", ")
        };
        if !coverage.loaded.is_empty() {
            writeln!(out, "  loaded words: {}", list(&coverage.loaded))?;
        }
        if !coverage.people.is_empty() {
            writeln!(out, "  people: {}", list(&coverage.people))?;
        }
        if !coverage.organisations.is_empty() {
            writeln!(out, "  organisations: {}", list(&coverage.organisations))?;
        }
        for speaker in &coverage.speakers {
            writeln!(
                out,
                "  {} ({} quote{}):",
                speaker.speaker,
                speaker.quotes.len(),
                if speaker.quotes.len() == 1 { "" } else { "s" }
            )?;
            for quote in &speaker.quotes {
                writeln!(
                    out,
                    "    [{}{}] {}",
                    quote.kind,
                    quote
                        .verb
                        .as_deref()
                        .map(|v| format!(", {v}"))
                        .unwrap_or_default(),
                    quote.text
                )?;
            }
        }
    }
    let differences = &comparison.differences;
    if comparison.outlets.len() < 2 {
        writeln!(out, "\n(one outlet only: nothing to compare)")?;
        return Ok(());
    }
    writeln!(out, "\n== differences")?;
    for only in &differences.speakers_only_in {
        writeln!(out, "  only {} quoted {}", only.outlet, only.speaker)?;
    }
    for only in &differences.quotes_only_in {
        writeln!(
            out,
            "  only {} used {}: {}",
            only.outlet,
            only.speaker,
            only.quote.as_deref().unwrap_or("")
        )?;
    }
    for rewording in &differences.reworded {
        writeln!(
            out,
            "  {} of {} ({:.0}% of words shared):",
            rewording.kind,
            rewording.speaker,
            rewording.overlap * 100.0
        )?;
        for (outlet, text, kind) in &rewording.versions {
            writeln!(out, "    {outlet} [{kind}]: {text}")?;
        }
    }
    if differences.speakers_only_in.is_empty()
        && differences.quotes_only_in.is_empty()
        && differences.reworded.is_empty()
    {
        writeln!(out, "  none found")?;
    }
    Ok(())
}

pub fn quotes(args: &QuotesArgs) -> Result<()> {
    let store = open_store(&args.common)?;
    let quotes = store.quotes(&QuoteFilter {
        speaker: args.speaker.clone(),
        about: args.about.clone(),
        outlet: args.outlet.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        limit: args.limit,
        offset: args.offset,
    })?;
    let mut out = stdout();
    for quote in &quotes {
        match args.common.format {
            Format::Jsonl => json_line(&mut out, quote)?,
            Format::Text => write_quote(&mut out, quote, "")?,
        }
    }
    out.flush()?;
    Ok(())
}

fn write_quote(out: &mut impl Write, quote: &QuoteRecord, indent: &str) -> Result<()> {
    let about = if quote.about.is_empty() {
        String::new()
    } else {
        format!("  (about {})", quote.about.join(", "))
    };
    writeln!(
        out,
        "{indent}{}  {}  {}{}: {} [{}]{}",
        or_dash(quote.published.as_deref().map(day)),
        or_dash(quote.outlet.as_deref()),
        quote.speaker.as_deref().unwrap_or("(unattributed)"),
        quote
            .verb
            .as_deref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default(),
        quote.text,
        quote.kind,
        about
    )?;
    Ok(())
}

pub fn entity(args: &EntityArgs) -> Result<()> {
    let store = open_store(&args.common)?;
    let report = store.entity(&args.name, Some(args.limit))?;
    let mut out = stdout();
    match args.common.format {
        Format::Jsonl => json_line(&mut out, &report)?,
        Format::Text => write_entity(&mut out, &report)?,
    }
    out.flush()?;
    Ok(())
}

fn write_entity(out: &mut impl Write, report: &EntityReport) -> Result<()> {
    if report.names.is_empty() {
        writeln!(out, "{}: not mentioned in the corpus", report.query)?;
        return Ok(());
    }
    for name in &report.names {
        writeln!(
            out,
            "{} ({}): {} articles, {} mentions",
            name.name, name.entity_type, name.articles, name.mentions
        )?;
    }
    writeln!(out, "\nmentions over time:")?;
    for period in &report.timeline {
        writeln!(
            out,
            "  {}  {} articles, {} mentions",
            period.date, period.articles, period.mentions
        )?;
    }
    writeln!(
        out,
        "\nquotes by {} ({}):",
        report.query,
        report.quotes_by.len()
    )?;
    for quote in &report.quotes_by {
        write_quote(out, quote, "  ")?;
    }
    writeln!(
        out,
        "\nquotes about {} ({}):",
        report.query,
        report.quotes_about.len()
    )?;
    for quote in &report.quotes_about {
        write_quote(out, quote, "  ")?;
    }
    Ok(())
}

pub fn search(args: &SearchArgs) -> Result<()> {
    let store = open_store(&args.common)?;
    let hits = store.search(&SearchQuery {
        text: args.query.join(" "),
        outlet: args.outlet.clone(),
        entity: args.entity.clone(),
        since: args.since.clone(),
        until: args.until.clone(),
        limit: Some(args.limit),
        offset: args.offset,
    })?;
    let mut out = stdout();
    for hit in &hits {
        match args.common.format {
            Format::Jsonl => json_line(&mut out, hit)?,
            Format::Text => {
                writeln!(
                    out,
                    "{}  {}  {}  {}  (story {})",
                    hit.id,
                    or_dash(hit.published.as_deref().map(day)),
                    or_dash(hit.outlet.as_deref()),
                    or_dash(hit.title.as_deref()),
                    hit.story
                )?;
                writeln!(out, "    {}", hit.snippet.replace('\n', " "))?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
