//! `newslens eval quotes`: the quotes layer against PolNeAR's attributions and the seed articles'
//! hand-made reference.
//!
//! PolNeAR texts are analysed as they are in the files (no cleaning), so that the gold character
//! offsets line up with the analysis; the seeds are read the way a user's files are, and matched by
//! text, since their reference gives quoted words rather than offsets.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use rayon::prelude::*;
use serde::Deserialize;

use newslens_core::quotes::cues::is_speech_verb;
use newslens_core::quotes::QuoteKind;
use newslens_core::{analyze, Article, Document};
use newslens_eval::polnear::{self, QuoteScore, SystemQuote};
use newslens_read::{expand, open, read_record, ReadOptions};

#[derive(Args)]
pub struct EvalQuotesArgs {
    /// A PolNeAR split folder (with `text/` and `attributions/`), e.g.
    /// ../shared/data/quotes/polnear/dev.
    #[arg(long, value_name = "DIR")]
    polnear: Option<PathBuf>,
    /// A folder of seed articles with their `gold.json`.
    #[arg(long, value_name = "DIR")]
    seeds: Option<PathBuf>,
    /// Print each missed or wrong seed quote, and each PolNeAR article's score.
    #[arg(long)]
    verbose: bool,
    /// Print every PolNeAR speech attribution missed or given the wrong speaker, with the nearest
    /// system quote (for error analysis).
    #[arg(long)]
    misses: bool,
}

pub fn eval_quotes(args: &EvalQuotesArgs) -> Result<()> {
    if args.polnear.is_none() && args.seeds.is_none() {
        anyhow::bail!("give --polnear DIR and/or --seeds DIR to score against");
    }
    if let Some(dir) = &args.polnear {
        eval_polnear(dir, args.verbose, args.misses)?;
    }
    if let Some(dir) = &args.seeds {
        eval_seeds(dir, args.verbose)?;
    }
    Ok(())
}

fn system_quotes(article: &Article) -> Vec<SystemQuote> {
    article
        .quotes
        .iter()
        .map(|quote| SystemQuote {
            spans: quote.spans.iter().map(|s| (s.start, s.end)).collect(),
            kind: quote.kind,
            speaker: quote.speaker.as_ref().map(|speaker| {
                speaker
                    .mention
                    .as_ref()
                    .map_or_else(|| speaker.name.clone(), |m| m.text.clone())
            }),
        })
        .collect()
}

fn eval_polnear(dir: &Path, verbose: bool, misses: bool) -> Result<()> {
    let (articles, skipped) =
        polnear::read_split(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for error in &skipped {
        eprintln!("newslens: {error} (article left out)");
    }
    let started = std::time::Instant::now();
    let analysed: Vec<(usize, Article)> = articles
        .par_iter()
        .enumerate()
        .map(|(idx, gold)| (idx, analyze(&Document::new(gold.text.clone()))))
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let mut score = QuoteScore::default();
    let mut causes = MissCauses::default();
    for (idx, article) in &analysed {
        let gold = &articles[*idx];
        let system = system_quotes(article);
        let mut one = QuoteScore::default();
        one.add(&gold.text, &gold.attributions, &system, &is_speech_verb);
        score.add(&gold.text, &gold.attributions, &system, &is_speech_verb);
        if misses {
            print_misses(&gold.name, &gold.text, &gold.attributions, &system);
            causes.add(&gold.text, &gold.attributions, &system);
        }
        if verbose {
            println!(
                "{}: P {:.2} R {:.2} ({} system, {} gold speech)",
                gold.name,
                one.overall.precision(),
                one.overall.recall(),
                one.overall.system,
                one.overall.gold
            );
        }
    }
    print!(
        "{}",
        score.table(&format!(
            "Quotes on PolNeAR {} ({} articles; a match shares at least half of each side's words)",
            dir.display(),
            articles.len()
        ))
    );
    if misses {
        print!("{}", causes.table());
    }
    println!("analysed in {seconds:.2} s");
    Ok(())
}

/// Why quoted gold attributions were missed, by the system quote that shares most words with
/// each: none at all, or one that covers under half of the gold words (too short), under half of
/// its own words are gold (too long), or both (crossing).
#[derive(Default)]
struct MissCauses {
    /// Per gold kind (direct, mixed): counts per cause.
    by_kind: std::collections::BTreeMap<&'static str, [usize; 4]>,
}

const CAUSES: [&str; 4] = [
    "no system quote overlaps",
    "system quote covers under half of gold (too short)",
    "gold is under half of system quote (too long)",
    "both under half (crossing)",
];

impl MissCauses {
    fn add(&mut self, text: &str, gold: &[polnear::GoldAttribution], system: &[SystemQuote]) {
        let chars: Vec<char> = text.chars().collect();
        let words = polnear::word_ranges(&chars);
        let system_words: Vec<Vec<usize>> = system
            .iter()
            .map(|q| polnear::words_in(&words, &q.spans))
            .collect();
        for (attribution, (best, _)) in gold.iter().zip(polnear::alignments(text, gold, system)) {
            let kind = polnear::gold_kind(&chars, &attribution.content);
            if best.is_some()
                || kind == QuoteKind::Indirect
                || !polnear::is_speech(&chars, attribution, &is_speech_verb)
            {
                continue;
            }
            let cause = miss_cause(
                &polnear::words_in(&words, &attribution.content),
                &system_words,
            );
            self.by_kind.entry(kind.as_str()).or_default()[cause] += 1;
        }
    }

    fn table(&self) -> String {
        let mut out = String::from("missed quoted attributions by cause\n");
        for (cause_idx, cause) in CAUSES.iter().enumerate() {
            let counts: Vec<String> = self
                .by_kind
                .iter()
                .map(|(kind, counts)| format!("{kind} {}", counts[cause_idx]))
                .collect();
            out.push_str(&format!("  {cause:<52} {}\n", counts.join("  ")));
        }
        out
    }
}

/// The cause index (see [`CAUSES`]) of a miss, given the gold words and every system quote's.
fn miss_cause(gold_words: &[usize], system_words: &[Vec<usize>]) -> usize {
    let nearest = system_words
        .iter()
        .map(|s| {
            (
                s.iter()
                    .filter(|w| gold_words.binary_search(w).is_ok())
                    .count(),
                s.len(),
            )
        })
        .filter(|&(shared, _)| shared > 0)
        .max_by_key(|&(shared, _)| shared);
    match nearest {
        None => 0,
        Some((shared, n_system)) => {
            let covers_gold = 2 * shared >= gold_words.len();
            let covers_system = 2 * shared >= n_system;
            match (covers_gold, covers_system) {
                (false, true) => 1,
                (true, false) => 2,
                _ => 3,
            }
        }
    }
}

#[derive(Deserialize)]
struct SeedGold {
    articles: std::collections::BTreeMap<String, SeedArticle>,
}

#[derive(Deserialize)]
struct SeedArticle {
    #[serde(default)]
    quotes: Vec<SeedQuote>,
    #[serde(default)]
    not_quotes: Vec<String>,
}

#[derive(Deserialize)]
struct SeedQuote {
    text: String,
    #[serde(default)]
    speaker: Vec<String>,
}

/// Folds every run of white space (no-break spaces included) to one space.
fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn eval_seeds(dir: &Path, verbose: bool) -> Result<()> {
    let gold_path = dir.join("gold.json");
    let gold: SeedGold = serde_json::from_str(
        &std::fs::read_to_string(&gold_path)
            .with_context(|| format!("cannot read {}", gold_path.display()))?,
    )
    .with_context(|| format!("{} is not the seed reference", gold_path.display()))?;
    let (mut found, mut right_speaker, mut total, mut false_quotes) = (0, 0, 0, 0);
    for (name, expected) in &gold.articles {
        let path = dir.join(name);
        let article = read_and_analyze(&path)?;
        let quotes: Vec<(String, String)> = article
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
            .collect();
        for quote in &expected.quotes {
            total += 1;
            let want = fold(&quote.text);
            let hit = quotes.iter().find(|(text, _)| text.contains(&want));
            let speaker_ok = hit.is_some_and(|(_, speaker)| {
                quote
                    .speaker
                    .iter()
                    .any(|name| !speaker.is_empty() && speaker.contains(&name.to_lowercase()))
            });
            found += usize::from(hit.is_some());
            right_speaker += usize::from(speaker_ok);
            if verbose && !speaker_ok {
                println!(
                    "{name}: {} “{}” (want {:?}, got {:?})",
                    if hit.is_some() {
                        "wrong speaker"
                    } else {
                        "missed"
                    },
                    quote.text,
                    quote.speaker,
                    hit.map(|(_, s)| s)
                );
            }
        }
        for not_quote in &expected.not_quotes {
            // Reported as a quote: a quote whose words are mostly the title.
            let want = fold(not_quote);
            if quotes
                .iter()
                .any(|(text, _)| text.contains(&want) && 2 * want.len() >= text.len())
            {
                false_quotes += 1;
                if verbose {
                    println!("{name}: reported a title as a quote: “{not_quote}”");
                }
            }
        }
    }
    println!("Quotes on the seeds ({}):", dir.display());
    println!("  found {found} of {total}; with the right speaker {right_speaker} of {total}");
    println!("  titles reported as quotes: {false_quotes}");
    Ok(())
}

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

/// An article read the way a user's file is (a seed), and analysed.
pub(crate) fn read_and_analyze(path: &Path) -> Result<Article> {
    let display = path.display().to_string();
    let options = ReadOptions::default();
    for input in expand(std::slice::from_ref(&display)) {
        let input = input.map_err(|e| anyhow::anyhow!("{e}"))?;
        if let Some(record) = open(&input, &options).next() {
            let record = record.map_err(|e| anyhow::anyhow!("{e}"))?;
            let reading = read_record(record, &options).map_err(|e| anyhow::anyhow!("{e}"))?;
            return Ok(analyze(&reading.document));
        }
    }
    anyhow::bail!("{display}: no article read")
}

fn print_misses(name: &str, text: &str, gold: &[polnear::GoldAttribution], system: &[SystemQuote]) {
    let chars: Vec<char> = text.chars().collect();
    let words = |ranges: &[(usize, usize)]| -> String {
        let joined: Vec<String> = ranges
            .iter()
            .map(|&(s, e)| {
                chars[s.min(chars.len())..e.min(chars.len())]
                    .iter()
                    .collect()
            })
            .collect();
        fold(&joined.join(" | "))
    };
    let word_spans = polnear::word_ranges(&chars);
    let system_words: Vec<Vec<usize>> = system
        .iter()
        .map(|q| polnear::words_in(&word_spans, &q.spans))
        .collect();
    for idx in polnear::unmatched(text, gold, system) {
        println!(
            "FP   {name} [{}] {:?}: {}",
            system[idx].kind,
            system[idx].speaker,
            words(&system[idx].spans)
        );
    }
    for (attribution, (best, nearest)) in gold.iter().zip(polnear::alignments(text, gold, system)) {
        if !polnear::is_speech(&chars, attribution, &is_speech_verb) {
            continue;
        }
        let kind = polnear::gold_kind(&chars, &attribution.content);
        match best {
            None => {
                let cause = miss_cause(
                    &polnear::words_in(&word_spans, &attribution.content),
                    &system_words,
                );
                println!(
                    "MISS {name} [{kind}] ({}) {} <{}> {}",
                    ["none", "short", "long", "cross"][cause],
                    words(&attribution.source),
                    words(&attribution.cue),
                    words(&attribution.content)
                );
                if let Some(idx) = nearest {
                    println!(
                        "     nearest [{}] {:?}: {}",
                        system[idx].kind,
                        system[idx].speaker,
                        words(&system[idx].spans)
                    );
                }
            }
            Some(idx)
                if !attribution.source.is_empty()
                    && !system[idx].speaker.as_deref().is_some_and(|speaker| {
                        polnear::same_speaker(&words(&attribution.source), speaker)
                    }) =>
            {
                println!(
                    "SPKR {name} [{kind}] gold {:?} system {:?}: {}",
                    words(&attribution.source),
                    system[idx].speaker,
                    words(&attribution.content)
                );
            }
            _ => {}
        }
    }
}
