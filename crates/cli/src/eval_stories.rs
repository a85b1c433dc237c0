//! `newslens eval stories`: B-cubed precision, recall and F1 of the story engine against gold
//! groupings — ECB+ event clusters (`--gold TSV DIR`) and AllSides roundups (`--allsides JSONL`).
//!
//! Documents go through the same reading, analysis and feature path as `ingest`, then straight to
//! the story engine (no database: the store only persists what the engine decides). With
//! `--baselines` it also scores grouping by topic alone (ECB+) and plain TF-IDF cosine with
//! average link over a sweep of thresholds, the best of which is reported. It also checks that the
//! engine gives the same stories when the input comes in reverse order.

use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use rayon::prelude::*;

use newslens_core::analyze;
use newslens_eval::bcubed::{bcubed, BCubed};
use newslens_eval::{allsides, ecb};
use newslens_read::{expand, open, read_record, Format, Given, Origin, ReadOptions, Record};
use newslens_store::{cluster, prepare, StoryConfig, StoryInput};

#[derive(Args)]
pub struct EvalStoriesArgs {
    /// ECB+ `gold_doc_clusters.tsv` (doc, topic, subtopic, event_cluster); give the documents'
    /// folder as DIR.
    #[arg(long, value_name = "TSV", requires = "dir")]
    gold: Option<String>,
    /// The folder holding the documents the TSV names.
    #[arg(value_name = "DIR")]
    dir: Option<String>,
    /// AllSides `roundups.jsonl`: do the outlets' leads of one story end up together?
    #[arg(long, value_name = "JSONL")]
    allsides: Option<String>,
    /// Also score the baselines: topic alone, and TF-IDF with average link (best threshold).
    #[arg(long)]
    baselines: bool,
    /// Story engine: merge threshold (tuning only).
    #[arg(long, hide = true)]
    threshold: Option<f64>,
    /// Story engine: most neighbours (tuning only).
    #[arg(long, hide = true)]
    neighbours: Option<usize>,
    /// Story engine: neighbour floor (tuning only).
    #[arg(long, hide = true)]
    floor: Option<f32>,
    /// Story engine: weight of the direct cosine (tuning only).
    #[arg(long, hide = true)]
    direct_weight: Option<f32>,
    /// Story engine: key terms looked up per article (tuning only).
    #[arg(long, hide = true)]
    candidate_terms: Option<usize>,
    /// Story engine: longest postings list used as a key (tuning only).
    #[arg(long, hide = true)]
    max_postings: Option<usize>,
    /// Story engine: date window in days (tuning only).
    #[arg(long, hide = true)]
    window: Option<i32>,
}

/// Documents of one evaluation set, analysed, with their gold labels.
struct GoldSet {
    name: String,
    inputs: Vec<StoryInput>,
    events: Vec<String>,
    topics: Option<Vec<String>>,
}

pub fn eval_stories(args: &EvalStoriesArgs) -> Result<()> {
    let mut config = StoryConfig::default();
    if let Some(threshold) = args.threshold {
        config.threshold = threshold;
    }
    if let Some(neighbours) = args.neighbours {
        config.max_neighbours = neighbours;
    }
    if let Some(floor) = args.floor {
        config.neighbour_floor = floor;
    }
    if let Some(weight) = args.direct_weight {
        config.direct_weight = weight;
    }
    if let Some(terms) = args.candidate_terms {
        config.candidate_terms = terms;
    }
    if let Some(postings) = args.max_postings {
        config.max_postings = postings;
    }
    if let Some(window) = args.window {
        config.window_days = window;
    }
    let mut sets = Vec::new();
    if let Some(gold) = &args.gold {
        let Some(dir) = &args.dir else {
            bail!("--gold needs the documents' folder as DIR");
        };
        sets.push(read_ecb(gold, dir)?);
    }
    if let Some(path) = &args.allsides {
        sets.push(read_allsides(path)?);
    }
    if sets.is_empty() {
        bail!("give --gold TSV DIR (ECB+) and/or --allsides JSONL");
    }
    for set in &sets {
        score_set(set, &config, args.baselines);
    }
    Ok(())
}

fn score_set(set: &GoldSet, config: &StoryConfig, baselines: bool) {
    let n_events = set
        .events
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    println!(
        "Stories on {} ({} documents, {} gold stories): B-cubed over documents",
        set.name,
        set.inputs.len(),
        n_events
    );
    println!(
        "{:<44} {:>9} {:>9} {:>9}",
        "system", "precision", "recall", "F1"
    );
    let started = Instant::now();
    let clustering = cluster(&set.inputs, config);
    let elapsed = started.elapsed();
    let predicted = clustering.story_of.clone();
    print_row("newslens stories", bcubed(&predicted, &set.events));

    if baselines {
        if let Some(topics) = &set.topics {
            print_row("baseline: topic alone", bcubed(topics, &set.events));
        }
        let mut best: Option<(f64, BCubed)> = None;
        for step in 1..=12 {
            let threshold = 0.05 * step as f64;
            let baseline = StoryConfig {
                second_order: false,
                threshold,
                max_neighbours: 100,
                neighbour_floor: 0.0,
                ..config.clone()
            };
            let score = bcubed(&cluster(&set.inputs, &baseline).story_of, &set.events);
            if best.is_none_or(|(_, b)| score.f1 > b.f1) {
                best = Some((threshold, score));
            }
        }
        if let Some((threshold, score)) = best {
            print_row(
                &format!("baseline: TF-IDF average link, best t={threshold:.2}"),
                score,
            );
        }
    }
    let mut reversed = set.inputs.clone();
    reversed.reverse();
    let again = cluster(&reversed, config);
    let n = set.inputs.len();
    let same = (0..n).all(|idx| {
        (0..n).all(|other| {
            (predicted[idx] == predicted[other])
                == (again.story_of[n - 1 - idx] == again.story_of[n - 1 - other])
        })
    });
    let n_stories = predicted
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    println!(
        "{} stories found in {:.0} ms; same stories with the input reversed: {}\n",
        n_stories,
        elapsed.as_secs_f64() * 1000.0,
        if same { "yes" } else { "NO" }
    );
}

fn print_row(name: &str, score: BCubed) {
    println!(
        "{:<44} {:>9.3} {:>9.3} {:>9.3}",
        name, score.precision, score.recall, score.f1
    );
}

/// Reads, analyses and prepares records in parallel; a failed record is reported and dropped
/// together with its gold label.
fn analyse_all(
    records: Vec<(Record, String, Option<String>)>,
) -> (Vec<StoryInput>, Vec<String>, Vec<Option<String>>) {
    let options = ReadOptions::default();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let results: Vec<Option<(StoryInput, String, Option<String>)>> = records
        .into_par_iter()
        .map(|(record, event, topic)| {
            let origin = record.origin.clone();
            // As in `analyze`: a panic costs that one document, never the evaluation.
            let prepared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read_record(record, &options).map(|reading| prepare(analyze(&reading.document)))
            }));
            match prepared {
                Ok(Ok(prepared)) => Some((
                    StoryInput {
                        article: prepared.article.id.clone(),
                        published: prepared.article.published.clone(),
                        features: prepared.features,
                    },
                    event,
                    topic,
                )),
                Ok(Err(error)) => {
                    eprintln!("newslens: {error}");
                    None
                }
                Err(_) => {
                    eprintln!(
                        "newslens: {}: internal error in the analysis (document left out)",
                        origin.path
                    );
                    None
                }
            }
        })
        .collect();
    std::panic::set_hook(hook);
    let mut inputs = Vec::new();
    let mut events = Vec::new();
    let mut topics = Vec::new();
    for (input, event, topic) in results.into_iter().flatten() {
        inputs.push(input);
        events.push(event);
        topics.push(topic);
    }
    (inputs, events, topics)
}

fn read_ecb(gold: &str, dir: &str) -> Result<GoldSet> {
    let documents = ecb::read(gold).with_context(|| format!("cannot read {gold}"))?;
    let options = ReadOptions::default();
    let mut records = Vec::new();
    for document in &documents {
        let path = std::path::Path::new(dir)
            .join(&document.doc)
            .display()
            .to_string();
        for input in expand(std::slice::from_ref(&path)) {
            let input = input.with_context(|| format!("cannot read {path}"))?;
            for record in open(&input, &options) {
                let record = record.with_context(|| format!("cannot read {path}"))?;
                records.push((record, document.event.clone(), Some(document.topic.clone())));
            }
        }
    }
    let (inputs, events, topics) = analyse_all(records);
    Ok(GoldSet {
        name: format!("ECB+ ({gold})"),
        inputs,
        events,
        topics: Some(topics.into_iter().map(|t| t.unwrap_or_default()).collect()),
    })
}

fn read_allsides(path: &str) -> Result<GoldSet> {
    let leads = allsides::read(path).with_context(|| format!("cannot read {path}"))?;
    let records = leads
        .into_iter()
        .map(|lead| {
            let record = Record {
                origin: Origin::file(format!("{path}#{}-{}", lead.story, lead.side)),
                bytes: lead.text.into_bytes(),
                format: Format::Text,
                given: Given {
                    url: lead.url,
                    outlet: lead.outlet,
                    published: lead.date,
                    title: lead.title,
                    ..Given::default()
                },
                fallback: Given::default(),
            };
            (record, lead.story, None)
        })
        .collect();
    let (inputs, events, _) = analyse_all(records);
    Ok(GoldSet {
        name: format!("AllSides roundups ({path})"),
        inputs,
        events,
        topics: None,
    })
}
