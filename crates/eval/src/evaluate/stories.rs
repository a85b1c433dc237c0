//! The story engine against gold groupings: B-cubed precision, recall and F1 on ECB+ event
//! clusters and on AllSides roundups.
//!
//! Documents go through the pipeline exactly as `ingest` sends them (reading, analysis, story
//! features), then straight to the story engine: no database, since the store only keeps what
//! the engine decides. A run can also score the baselines — grouping by topic alone (ECB+), and
//! plain TF-IDF cosine with average link over a sweep of thresholds, the best of which is
//! reported — and checks that the engine gives the same stories when the input comes in reverse
//! order. This module reads gold files and scores; it does not print.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use newslens_pipeline::{Chunks, Input, Pipeline, Prepared};
use newslens_read::{expand, open, Format, Given, Origin, ReadOptions, Record};
use newslens_store::{
    cluster, ArticleRecord, SqliteStore, Store, StoreError, StoredKeys, StoryConfig, StoryFilter,
    StoryInput,
};

use crate::bcubed::{bcubed, BCubed};
use crate::{allsides, ecb, RunError};

/// Documents of one evaluation set, analysed, with their gold labels.
#[derive(Debug, Clone)]
pub struct GoldSet {
    /// The set's name and file, as printed.
    pub name: String,
    /// Each document's story features, in input order.
    pub inputs: Vec<StoryInput>,
    /// Each document as the store takes it, in input order.
    pub records: Vec<ArticleRecord>,
    /// Each document's gold story.
    pub events: Vec<String>,
    /// Each document's gold topic, when the set has topics (ECB+).
    pub topics: Option<Vec<String>>,
    /// Documents that could not be read or analysed, one line each naming the document; they are
    /// left out together with their gold labels.
    pub failed: Vec<String>,
}

/// Reads ECB+'s `gold_doc_clusters.tsv` and the documents it names in `dir`, and analyses them.
pub fn ecb_set(pipeline: &Pipeline, gold: &str, dir: &str) -> Result<GoldSet, RunError> {
    let documents = ecb::read(gold).map_err(|source| RunError::Gold {
        path: gold.to_string(),
        source,
    })?;
    let options = ReadOptions::default();
    let mut records = Vec::new();
    let mut labels = Vec::new();
    for document in &documents {
        let path = Path::new(dir).join(&document.doc).display().to_string();
        for input in expand(std::slice::from_ref(&path)) {
            for record in open(&input?, &options) {
                records.push(Ok(record?));
                labels.push((document.event.clone(), document.topic.clone()));
            }
        }
    }
    let (records, labels, failed) = analyse(pipeline, records, labels);
    let (events, topics) = labels.into_iter().unzip();
    Ok(GoldSet {
        name: format!("ECB+ ({gold})"),
        inputs: story_inputs(&records),
        records,
        events,
        topics: Some(topics),
        failed,
    })
}

/// Reads AllSides roundups and analyses each outlet's lead as an article of that outlet.
pub fn allsides_set(pipeline: &Pipeline, path: &str) -> Result<GoldSet, RunError> {
    let leads = allsides::read(path).map_err(|source| RunError::Gold {
        path: path.to_string(),
        source,
    })?;
    let mut records = Vec::with_capacity(leads.len());
    let mut labels = Vec::with_capacity(leads.len());
    for lead in leads {
        records.push(Ok(Record {
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
        }));
        labels.push(lead.story);
    }
    let (records, events, failed) = analyse(pipeline, records, labels);
    Ok(GoldSet {
        name: format!("AllSides roundups ({path})"),
        inputs: story_inputs(&records),
        records,
        events,
        topics: None,
        failed,
    })
}

/// Reads, analyses and prepares records through the pipeline; a failed record is reported and
/// dropped together with its gold label.
fn analyse<L>(
    pipeline: &Pipeline,
    records: Vec<Input>,
    labels: Vec<L>,
) -> (Vec<ArticleRecord>, Vec<L>, Vec<String>) {
    let nothing_stored = StoredKeys::default();
    let mut inputs = Vec::new();
    let mut kept = Vec::new();
    let mut failed = Vec::new();
    let mut labels = labels.into_iter();
    for chunk in Chunks::new(records) {
        for result in pipeline.prepare_chunk(chunk, &nothing_stored) {
            let label = labels.next();
            match (result, label) {
                (Ok(done), Some(label)) => {
                    if let Prepared::Record(record) = done.value {
                        inputs.push(*record);
                        kept.push(label);
                    }
                }
                (Err(error), _) => failed.push(error.to_string()),
                (Ok(_), None) => {}
            }
        }
    }
    (inputs, kept, failed)
}

/// The story engine's view of each record.
fn story_inputs(records: &[ArticleRecord]) -> Vec<StoryInput> {
    records
        .iter()
        .map(|record| StoryInput {
            article: record.article.id.clone(),
            published: record.article.published.clone(),
            features: record.features.clone(),
        })
        .collect()
}

/// One system's B-cubed scores, as a row of the report.
#[derive(Debug, Clone)]
pub struct Row {
    /// What was scored ("newslens stories", a baseline).
    pub name: String,
    /// Its scores.
    pub score: BCubed,
}

/// The story engine's scores on one gold set.
#[derive(Debug, Clone)]
pub struct StoriesReport {
    /// The set's name.
    pub set: String,
    /// Documents scored.
    pub n_documents: usize,
    /// Gold stories among them.
    pub n_gold_stories: usize,
    /// The engine first, then the baselines asked for.
    pub rows: Vec<Row>,
    /// Stories the engine found.
    pub n_stories: usize,
    /// How long the engine took.
    pub elapsed: Duration,
    /// Whether the input reversed gives the same stories.
    pub same_reversed: bool,
}

/// Scores the story engine (with `config`) on `set`, and the baselines when asked.
pub fn score_set(set: &GoldSet, config: &StoryConfig, baselines: bool) -> StoriesReport {
    let started = Instant::now();
    let predicted = cluster(&set.inputs, config).story_of;
    let elapsed = started.elapsed();
    let mut rows = vec![Row {
        name: "newslens stories".to_string(),
        score: bcubed(&predicted, &set.events),
    }];
    if baselines {
        if let Some(topics) = &set.topics {
            rows.push(Row {
                name: "baseline: topic alone".to_string(),
                score: bcubed(topics, &set.events),
            });
        }
        rows.extend(best_tfidf_baseline(set, config));
    }
    let mut reversed = set.inputs.clone();
    reversed.reverse();
    let again = cluster(&reversed, config).story_of;
    let n_inputs = set.inputs.len();
    let same_reversed = (0..n_inputs).all(|idx| {
        (0..n_inputs).all(|other| {
            (predicted[idx] == predicted[other])
                == (again[n_inputs - 1 - idx] == again[n_inputs - 1 - other])
        })
    });
    StoriesReport {
        set: set.name.clone(),
        n_documents: set.inputs.len(),
        n_gold_stories: set.events.iter().collect::<BTreeSet<_>>().len(),
        rows,
        n_stories: predicted.iter().collect::<BTreeSet<_>>().len(),
        elapsed,
        same_reversed,
    }
}

/// Plain TF-IDF cosine with average link, at the best of twelve thresholds.
fn best_tfidf_baseline(set: &GoldSet, config: &StoryConfig) -> Option<Row> {
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
        if best.is_none_or(|(_, best_score)| score.f1 > best_score.f1) {
            best = Some((threshold, score));
        }
    }
    best.map(|(threshold, score)| Row {
        name: format!("baseline: TF-IDF average link, best t={threshold:.2}"),
        score,
    })
}

impl fmt::Display for StoriesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Stories on {} ({} documents, {} gold stories): B-cubed over documents",
            self.set, self.n_documents, self.n_gold_stories
        )?;
        writeln!(
            f,
            "{:<44} {:>9} {:>9} {:>9}",
            "system", "precision", "recall", "F1"
        )?;
        for row in &self.rows {
            writeln!(
                f,
                "{:<44} {:>9.3} {:>9.3} {:>9.3}",
                row.name, row.score.precision, row.score.recall, row.score.f1
            )?;
        }
        writeln!(
            f,
            "{} stories found in {:.0} ms; same stories with the input reversed: {}",
            self.n_stories,
            self.elapsed.as_secs_f64() * 1000.0,
            if self.same_reversed { "yes" } else { "NO" }
        )
    }
}

/// The incremental engine in streaming order: the set stored in shuffled batches, stories
/// updated after each, over several orders; then `stories --rebuild` on the last corpus.
#[derive(Debug, Clone)]
pub struct StreamingReport {
    /// The set's name.
    pub set: String,
    /// Articles per batch.
    pub batch: usize,
    /// One score per order (the shuffle's seed, its B-cubed scores, stories found).
    pub orders: Vec<(u64, BCubed, usize)>,
    /// `stories --rebuild` on the corpus of the last order.
    pub rebuilt: BCubed,
    /// B-cubed agreement between each order's streaming stories and its rebuild, as F1.
    pub agreement: Vec<f64>,
    /// Time to store and place everything, per order.
    pub elapsed: Vec<Duration>,
}

impl StreamingReport {
    /// The least and greatest streaming F1 over the orders.
    pub fn f1_range(&self) -> (f64, f64) {
        let f1s = self.orders.iter().map(|(_, score, _)| score.f1);
        (
            f1s.clone().fold(f64::INFINITY, f64::min),
            f1s.fold(f64::NEG_INFINITY, f64::max),
        )
    }
}

/// Stores `set` in `orders` shuffled orders (seeds 1, 2, …), `batch` articles at a time into a
/// fresh in-memory corpus, updating stories after every batch; scores each, then rebuilds.
pub fn score_streaming(
    set: &GoldSet,
    config: &StoryConfig,
    batch: usize,
    orders: u64,
) -> Result<StreamingReport, StoreError> {
    let mut report = StreamingReport {
        set: set.name.clone(),
        batch,
        orders: Vec::new(),
        rebuilt: BCubed::default(),
        agreement: Vec::new(),
        elapsed: Vec::new(),
    };
    for seed in 1..=orders {
        let mut order: Vec<usize> = (0..set.records.len()).collect();
        shuffle(&mut order, seed);
        let started = Instant::now();
        let mut store = SqliteStore::open_in_memory()?;
        for chunk in order.chunks(batch.max(1)) {
            let records: Vec<ArticleRecord> =
                chunk.iter().map(|&idx| set.records[idx].clone()).collect();
            store.add_articles(&records)?;
            store.update_stories(config)?;
        }
        report.elapsed.push(started.elapsed());
        let streamed = story_labels(&store, set)?;
        let n_stories = streamed.iter().collect::<BTreeSet<_>>().len();
        report
            .orders
            .push((seed, bcubed(&streamed, &set.events), n_stories));
        store.rebuild_stories(config)?;
        let rebuilt = story_labels(&store, set)?;
        report.agreement.push(bcubed(&streamed, &rebuilt).f1);
        report.rebuilt = bcubed(&rebuilt, &set.events);
    }
    Ok(report)
}

/// Each gold document's story in the store (documents stored twice share one label).
fn story_labels(store: &SqliteStore, set: &GoldSet) -> Result<Vec<String>, StoreError> {
    let mut story_of: std::collections::HashMap<String, String> = Default::default();
    for story in store.stories(&StoryFilter::default())? {
        for article in story.articles {
            story_of.insert(article.id, story.id.clone());
        }
    }
    Ok(set
        .records
        .iter()
        .map(|record| {
            story_of
                .get(&record.article.id)
                .cloned()
                .unwrap_or_else(|| record.article.id.clone())
        })
        .collect())
}

/// Fisher–Yates with SplitMix64: the same seed gives the same order on every machine.
fn shuffle(items: &mut [usize], seed: u64) {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    for idx in (1..items.len()).rev() {
        let other = (next() % (idx as u64 + 1)) as usize;
        items.swap(idx, other);
    }
}

impl fmt::Display for StreamingReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Streaming: {} stored in shuffled batches of {}, stories placed after each batch",
            self.set, self.batch
        )?;
        writeln!(
            f,
            "{:<44} {:>9} {:>9} {:>9} {:>9}",
            "order", "precision", "recall", "F1", "stories"
        )?;
        for ((seed, score, n_stories), elapsed) in self.orders.iter().zip(&self.elapsed) {
            writeln!(
                f,
                "{:<44} {:>9.3} {:>9.3} {:>9.3} {:>9}",
                format!("seed {seed} ({:.1} s)", elapsed.as_secs_f64()),
                score.precision,
                score.recall,
                score.f1,
                n_stories
            )?;
        }
        writeln!(
            f,
            "{:<44} {:>9.3} {:>9.3} {:>9.3}",
            "stories --rebuild (last order)",
            self.rebuilt.precision,
            self.rebuilt.recall,
            self.rebuilt.f1
        )?;
        let (low, high) = self.f1_range();
        let agreement = self.agreement.iter().sum::<f64>() / self.agreement.len().max(1) as f64;
        writeln!(
            f,
            "streaming F1 from {low:.3} to {high:.3} over {} orders; agreement with --rebuild (B-cubed F1): {agreement:.3}",
            self.orders.len()
        )
    }
}
