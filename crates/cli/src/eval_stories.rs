//! `newslens eval stories`: B-cubed precision, recall and F1 of the story engine against gold
//! groupings — ECB+ event clusters (`--gold TSV DIR`) and AllSides roundups (`--allsides JSONL`).
//!
//! The run is `newslens_eval::evaluate::stories` (documents through the pipeline, then the story
//! engine; `--baselines` adds topic alone and plain TF-IDF); this module turns the flags into a
//! story configuration and prints the reports.

use anyhow::{bail, Result};
use clap::Args;

use newslens_eval::evaluate::stories;
use newslens_pipeline::{Pipeline, Settings};
use newslens_store::StoryConfig;

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
    /// Also store each set in shuffled batches of this many articles, placing stories after
    /// each batch (the incremental engine, as `ingest` runs it), over `--orders` orders.
    #[arg(long, value_name = "N")]
    streaming: Option<usize>,
    /// Shuffled orders for `--streaming`.
    #[arg(long, value_name = "N", default_value_t = 5)]
    orders: u64,
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
    let pipeline = Pipeline::new(Settings::default())?;
    let mut sets = Vec::new();
    if let Some(gold) = &args.gold {
        let Some(dir) = &args.dir else {
            bail!("--gold needs the documents' folder as DIR");
        };
        sets.push(stories::ecb_set(&pipeline, gold, dir)?);
    }
    if let Some(path) = &args.allsides {
        sets.push(stories::allsides_set(&pipeline, path)?);
    }
    if sets.is_empty() {
        bail!("give --gold TSV DIR (ECB+) and/or --allsides JSONL");
    }
    for set in &sets {
        for failure in &set.failed {
            eprintln!("newslens: {failure}");
        }
        println!("{}", stories::score_set(set, &config, args.baselines));
        if let Some(batch) = args.streaming {
            println!(
                "{}",
                stories::score_streaming(set, &config, batch, args.orders)?
            );
        }
    }
    Ok(())
}
