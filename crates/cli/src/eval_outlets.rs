//! `newslens eval outlets`: outlet profiles against BASIL's lexical-bias annotations
//! (`--basil DIR`) and blindspots against the AllSides roundups (`--allsides JSONL`).
//!
//! The runs are `newslens_eval::evaluate::outlets` (articles through the pipeline into a store,
//! profiles read from its aggregates); this module opens the store — in memory, or `--db` to
//! keep it for `newslens outlets` — and prints the reports.

use anyhow::{bail, Result};
use clap::Args;

use newslens_eval::evaluate::outlets;
use newslens_pipeline::{Pipeline, Settings};

use crate::database::{open, shown};

#[derive(Args)]
pub struct EvalOutletsArgs {
    /// BASIL's folder (holding `articles/` and `annotations/`): profiles next to the annotators'
    /// lexical-bias phrases per 1,000 own-voice words.
    #[arg(long, value_name = "DIR")]
    basil: Option<String>,
    /// AllSides `roundups.jsonl`: blindspots per outlet, found and gold.
    #[arg(long, value_name = "JSONL")]
    allsides: Option<String>,
    /// Blindspots: the K values (other outlets a story needs) to report.
    #[arg(long, value_name = "K", value_delimiter = ',', default_values_t = [1, 2, 3])]
    min_outlets: Vec<usize>,
    /// Keep the corpora: BASIL in `PATH.basil.db`, AllSides in `PATH.allsides.db` (SQLite),
    /// for `newslens outlets --db …` and the server; in memory if not given.
    #[arg(long, value_name = "PATH")]
    keep: Option<String>,
}

pub fn eval_outlets(args: &EvalOutletsArgs) -> Result<()> {
    if args.basil.is_none() && args.allsides.is_none() {
        bail!("give --basil DIR and/or --allsides JSONL");
    }
    let pipeline = Pipeline::new(Settings::default())?;
    let store_for = |name: &str| -> Result<Box<dyn newslens_store::Store + Send>> {
        match &args.keep {
            Some(path) => {
                let db = format!("{path}.{name}.db");
                if std::path::Path::new(&db).exists() {
                    bail!(
                        "{}: exists already; remove it or keep elsewhere",
                        shown(&db)
                    );
                }
                open(&db)
            }
            None => open(":memory:"),
        }
    };
    if let Some(dir) = &args.basil {
        let mut store = store_for("basil")?;
        let report = outlets::basil_outlets(&pipeline, dir, &mut store)?;
        for failure in &report.failed {
            eprintln!("newslens: {failure}");
        }
        println!("{report}");
    }
    if let Some(path) = &args.allsides {
        let mut store = store_for("allsides")?;
        for report in outlets::allsides_blindspots(&pipeline, path, &mut store, &args.min_outlets)?
        {
            println!("{report}");
        }
    }
    Ok(())
}
