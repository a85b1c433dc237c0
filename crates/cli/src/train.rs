//! `newslens train ner`: trains the entity tagger on GMB and writes the model file the binary ships;
//! `newslens train clusters`: learns the word clusters the tagger uses as features from unlabelled
//! text and writes `crates/core/data/word_clusters.txt`.
//!
//! The exact commands that reproduce the committed files are in README.md. Both are deterministic,
//! so the same data and options give the same bytes. Neither evaluates; see `newslens eval ner`.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use newslens_core::ner::{learn_clusters, train, ClusterOptions, TrainOptions};
use newslens_eval::gmb;

#[path = "train_loaded.rs"]
pub mod train_loaded;

#[derive(Subcommand)]
pub enum TrainCommand {
    /// Train the named-entity tagger on the GMB extract (its held-out tenth is left out).
    Ner(TrainNerArgs),
    /// Train the loaded-language tagger on the Propaganda Techniques Corpus.
    Loaded(train_loaded::TrainLoadedArgs),
    /// Learn word clusters from unlabelled text (files and folders of .txt, .json, .jsonl) and GMB's
    /// words (its held-out tenth left out).
    Clusters(TrainClustersArgs),
}

#[derive(Args)]
pub struct TrainClustersArgs {
    /// Files or folders of text: `.txt` files are read whole, `.json`/`.jsonl` for their prose
    /// strings; other files are skipped.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<String>,
    /// GMB `ner_dataset.csv` (latin-1): its training sentences' words join the text.
    #[arg(long, value_name = "CSV")]
    gmb: Option<String>,
    /// Where to write the clusters.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "crates/core/data/word_clusters.txt"
    )]
    out: String,
    /// Words seen fewer times are not clustered.
    #[arg(long, default_value_t = ClusterOptions::default().min_count)]
    min_count: usize,
    /// Classes per level, finest first (comma-separated).
    #[arg(long, value_delimiter = ',', default_values_t = ClusterOptions::default().levels)]
    levels: Vec<usize>,
    /// Passes over the vocabulary per level.
    #[arg(long, default_value_t = ClusterOptions::default().iterations)]
    iterations: usize,
}

#[derive(Args)]
pub struct TrainNerArgs {
    /// GMB `ner_dataset.csv` (latin-1).
    #[arg(long, value_name = "CSV")]
    gmb: String,
    /// Where to write the model.
    #[arg(long, value_name = "PATH", default_value = "models/ner.bin")]
    out: String,
    /// The feature table has 2^BITS rows.
    #[arg(long, default_value_t = TrainOptions::default().bits)]
    bits: u32,
    /// Passes over the data.
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    epochs: usize,
}

pub fn run(command: &TrainCommand) -> Result<()> {
    match command {
        TrainCommand::Ner(args) => train_ner(args),
        TrainCommand::Loaded(args) => train_loaded::train_loaded(args),
        TrainCommand::Clusters(args) => train_clusters(args),
    }
}

fn train_clusters(args: &TrainClustersArgs) -> Result<()> {
    let started = Instant::now();
    let mut files = Vec::new();
    for path in &args.paths {
        collect_files(std::path::Path::new(path), &mut files)
            .with_context(|| format!("cannot list {path}"))?;
    }
    let mut sentences: Vec<Vec<String>> = Vec::new();
    let mut n_documents = 0;
    for file in &files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        // CoNLL-2003 is for measuring only: refuse to learn from it even when a folder holds it.
        if text.starts_with("-DOCSTART-") {
            eprintln!("skipping {} (CoNLL data: evaluation only)", file.display());
            continue;
        }
        let texts = match file.extension().and_then(|e| e.to_str()) {
            Some("txt") => vec![text.into_owned()],
            Some("json") => prose_strings_of_json(&text),
            Some("jsonl") => text.lines().flat_map(prose_strings_of_json).collect(),
            _ => continue,
        };
        for text in texts {
            n_documents += 1;
            sentences.extend(token_sentences(&text));
        }
    }
    let n_text_sentences = sentences.len();
    if let Some(path) = &args.gmb {
        let gmb_sentences = gmb::read(path, gmb::Split::Train)
            .with_context(|| format!("cannot read GMB from {path}"))?;
        sentences.extend(gmb_sentences.into_iter().map(|s| s.words));
    }
    let n_tokens: usize = sentences.iter().map(Vec::len).sum();
    eprintln!(
        "clustering {n_tokens} tokens: {n_documents} texts ({n_text_sentences} sentences) from {} files, {} GMB sentences",
        files.len(),
        sentences.len() - n_text_sentences
    );
    let options = ClusterOptions {
        levels: args.levels.clone(),
        min_count: args.min_count,
        iterations: args.iterations,
    };
    let mut words = learn_clusters(&sentences, &options, |level, pass, n_moved| {
        eprintln!(
            "level {level} ({} classes), pass {pass}: {n_moved} moved ({:.0?})",
            options.levels[level],
            started.elapsed()
        );
    });
    words.retain(|w| !w.word.starts_with('#') && !w.word.contains(char::is_whitespace));
    words.sort_by(|a, b| a.word.cmp(&b.word));
    let mut out = String::new();
    out.push_str(&format!(
        "# Word clusters for the entity tagger: a word (lower case, digits as 0), then its class at\n\
         # {} levels of {} classes, finest first; each coarser class contains whole finer ones.\n\
         # Generated by `newslens train clusters` (exchange algorithm over a class bigram model,\n\
         # crates/core/src/ner/exchange.rs); do not edit by hand, re-run the command in README.md.\n\
         # Source: unlabelled text of the development sets in ../shared/data (PolNeAR, PTC, BASIL,\n\
         # ECB+, AllSides) and the words of GMB's training sentences; words seen at least {} times.\n\
         # No text is kept: only single words and class numbers derived from their counts.\n\
         # Licence: MIT OR Apache-2.0 (derived by newslens; GMB is public-domain VOA text).\n",
        options.levels.len(),
        options
            .levels
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join("/"),
        options.min_count
    ));
    for word in &words {
        out.push_str(&word.word);
        for class in &word.classes {
            out.push('\t');
            out.push_str(&class.to_string());
        }
        out.push('\n');
    }
    std::fs::write(&args.out, out).with_context(|| format!("cannot write {}", args.out))?;
    eprintln!(
        "wrote {} ({} words) in {:.0?}",
        args.out,
        words.len(),
        started.elapsed()
    );
    Ok(())
}

/// Files under `path` (itself when a file), sorted, so the order never depends on the file system.
fn collect_files(path: &std::path::Path, files: &mut Vec<std::path::PathBuf>) -> Result<()> {
    if path.is_dir() {
        let mut entries: Vec<std::path::PathBuf> = std::fs::read_dir(path)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<std::io::Result<_>>()?;
        entries.sort();
        for entry in entries {
            collect_files(&entry, files)?;
        }
    } else {
        files.push(path.to_path_buf());
    }
    Ok(())
}

/// The prose in a JSON document: every string value with at least five words (titles, leads,
/// paragraphs), in document order; identifiers, dates and URLs are too short to count.
fn prose_strings_of_json(json: &str) -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if s.split_whitespace().nth(4).is_some() => {
                out.push(s.clone())
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(json) {
        walk(&value, &mut out);
    }
    out
}

/// A text cut into sentences of word tokens the way the analysis cuts it.
fn token_sentences(text: &str) -> Vec<Vec<String>> {
    let paragraphs = newslens_core::segment::paragraphs(text);
    let mut tokens = Vec::new();
    newslens_core::segment::sentences(text, &paragraphs)
        .into_iter()
        .map(|sentence| {
            tokens.clear();
            newslens_core::tokens::tokenize_into(text, sentence.start, sentence.end, &mut tokens);
            tokens
                .iter()
                .map(|t| text[t.start..t.end].to_string())
                .collect()
        })
        .collect()
}

fn train_ner(args: &TrainNerArgs) -> Result<()> {
    let started = Instant::now();
    let sentences = gmb::read(&args.gmb, gmb::Split::Train)
        .with_context(|| format!("cannot read GMB from {}", args.gmb))?;
    let n_tokens: usize = sentences.iter().map(|s| s.words.len()).sum();
    eprintln!(
        "training on {} sentences, {n_tokens} tokens (GMB minus its held-out tenth)",
        sentences.len()
    );
    let options = TrainOptions {
        bits: args.bits,
        epochs: args.epochs,
        ..TrainOptions::default()
    };
    let model = train(&sentences, &options, |epoch, accuracy| {
        eprintln!(
            "epoch {epoch}: training token accuracy {accuracy:.4} ({:.0?})",
            started.elapsed()
        );
    });
    let bytes = model.to_bytes();
    if let Some(parent) = std::path::Path::new(&args.out).parent() {
        std::fs::create_dir_all(parent).ok();
    }
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write the model to {}", args.out))?;
    eprintln!(
        "wrote {} ({:.1} MB) in {:.0?}",
        args.out,
        bytes.len() as f64 / 1e6,
        started.elapsed()
    );
    Ok(())
}
