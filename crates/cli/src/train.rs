//! `newslens train ner`: trains the entity tagger on GMB and writes the model file the binary ships.
//!
//! The exact command that reproduces the committed model is in README.md. Training is
//! deterministic, so the same data and options give the same bytes. It does not evaluate; see
//! `newslens eval ner`.

use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use newslens_core::ner::{train, TrainOptions};
use newslens_eval::gmb;

#[derive(Subcommand)]
pub enum TrainCommand {
    /// Train the named-entity tagger on the GMB extract (its held-out tenth is left out).
    Ner(TrainNerArgs),
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
    }
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
