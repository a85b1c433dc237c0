//! `newslens eval …`: accuracy against gold data, printed as precision, recall and F1 tables.
//!
//! `eval ner` scores the entity tagger on CoNLL files and on GMB's held-out tenth, with exact span
//! matching and the type mapping in `newslens_eval::conll`, and with `--seeds` lists which of the
//! seed articles' reference entities the whole analysis finds with their type. It reads gold data
//! only; the shipped model does the tagging.

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use newslens_core::entities::MentionKind;
use newslens_core::ner::{shipped_model, spans_of, FeatureHasher, Model};
use newslens_eval::conll::{self, conll_label};
use newslens_eval::gmb;
use newslens_eval::score::{SpanScore, TypedSpan};

#[path = "eval_loaded.rs"]
mod eval_loaded;
#[path = "eval_quotes.rs"]
mod eval_quotes;
#[path = "eval_stories.rs"]
mod eval_stories;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Named entities: P/R/F1 per type on CoNLL files (IOB1 or IOB2) and GMB's held-out tenth.
    Ner(EvalNerArgs),
    /// Loaded language: character P/R/F1 on the Propaganda Techniques Corpus, BASIL lexical-bias recall.
    Loaded(eval_loaded::EvalLoadedArgs),
    /// Quotes: P/R/F1 per kind, quoted recall and speaker accuracy on PolNeAR; the seed reference.
    Quotes(eval_quotes::EvalQuotesArgs),
    /// Stories: B-cubed P/R/F1 on ECB+ event clusters (--gold TSV DIR) and AllSides roundups.
    Stories(eval_stories::EvalStoriesArgs),
}

#[derive(Args)]
pub struct EvalNerArgs {
    /// CoNLL files (token … NER columns).
    #[arg(value_name = "CONLL")]
    conll: Vec<String>,
    /// GMB `ner_dataset.csv`: score on its held-out tenth.
    #[arg(long, value_name = "CSV")]
    gmb: Option<String>,
    /// A model file to score instead of the shipped one.
    #[arg(long, value_name = "PATH")]
    model: Option<String>,
    /// A folder of seed articles with their `gold.json`: list the reference entities missed (no
    /// name mention with that name, or an alias, and an accepted type).
    #[arg(long, value_name = "DIR")]
    seeds: Option<std::path::PathBuf>,
    /// Print every CoNLL span the entities layer misses or adds, with its sentence (for error
    /// analysis).
    #[arg(long)]
    misses: bool,
}

pub fn run(command: &EvalCommand) -> Result<()> {
    match command {
        EvalCommand::Ner(args) => eval_ner(args),
        EvalCommand::Loaded(args) => eval_loaded::eval_loaded(args),
        EvalCommand::Quotes(args) => eval_quotes::eval_quotes(args),
        EvalCommand::Stories(args) => eval_stories::eval_stories(args),
    }
}

fn eval_ner(args: &EvalNerArgs) -> Result<()> {
    let loaded;
    let model: &Model = match &args.model {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {path}"))?;
            loaded = Model::from_bytes(&bytes).with_context(|| path.clone())?;
            &loaded
        }
        None => shipped_model(),
    };
    if args.conll.is_empty() && args.gmb.is_none() && args.seeds.is_none() {
        anyhow::bail!("give CoNLL files, --gmb CSV and/or --seeds DIR to score against");
    }
    if let Some(dir) = &args.seeds {
        eval_seed_entities(dir)?;
    }
    for path in &args.conll {
        let documents = conll::read(path).with_context(|| format!("cannot read {path}"))?;
        let sentences: Vec<conll::Sentence> =
            documents.iter().flat_map(|d| d.sentences.clone()).collect();
        let (score, n_tokens, seconds) =
            score_sentences(model, sentences.iter().map(|s| (&s.words, &s.spans)));
        print!("{}", score.table(&format!("NER tagger alone on {path} (sentence by sentence; exact spans; PERSON→PER, ORG→ORG, GPE/LOC→LOC, NORP/EVENT→MISC)")));
        println!(
            "{n_tokens} tokens tagged in {seconds:.3} s ({:.0} tokens/s, one thread)\n",
            n_tokens as f64 / seconds.max(1e-9)
        );
        if args.model.is_none() {
            let score = score_documents(&documents, args.misses);
            print!("{}", score.table(&format!("NER with the entities layer on {path} (whole documents: type consistency, repeats, aliases)")));
            println!();
        }
    }
    if let Some(path) = &args.gmb {
        let held_out =
            gmb::read(path, gmb::Split::HeldOut).with_context(|| format!("cannot read {path}"))?;
        let gold: Vec<(Vec<String>, Vec<conll::GoldSpan>)> = held_out
            .into_iter()
            .map(|sentence| {
                let spans = spans_of(&sentence.tags)
                    .into_iter()
                    .filter_map(|s| {
                        conll_label(s.entity_type.as_str()).map(|label| conll::GoldSpan {
                            start: s.start,
                            end: s.end,
                            label,
                        })
                    })
                    .collect();
                (sentence.words, spans)
            })
            .collect();
        let (score, n_tokens, seconds) = score_sentences(model, gold.iter().map(|(w, s)| (w, s)));
        print!("{}", score.table(&format!("NER on GMB held-out tenth of {path} (per→PER without titles, org→ORG, geo→LOC, gpe/eve→MISC)")));
        println!(
            "{n_tokens} tokens tagged in {seconds:.3} s ({:.0} tokens/s, one thread)\n",
            n_tokens as f64 / seconds.max(1e-9)
        );
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct SeedGold {
    articles: std::collections::BTreeMap<String, SeedArticle>,
}

#[derive(serde::Deserialize)]
struct SeedArticle {
    #[serde(default)]
    entities: Vec<SeedEntity>,
}

#[derive(serde::Deserialize)]
struct SeedEntity {
    name: String,
    /// One type, or several accepted ones written `A|B`.
    #[serde(rename = "type")]
    entity_type: String,
    /// Other names the article may use instead ("Trump" when "Donald Trump" is never written).
    #[serde(default)]
    aliases: Vec<String>,
}

/// A name as compared with the reference: white space runs and apostrophe styles folded, case
/// ignored.
fn seed_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['’', '‘'], "'")
        .to_lowercase()
}

/// Prints, per seed article, the reference entities missed (no name mention with the text of
/// their name, or of an alias when the article never writes the name in full), and
/// those found with a type the reference does not accept; then the count found with their type.
fn eval_seed_entities(dir: &std::path::Path) -> Result<()> {
    let gold_path = dir.join("gold.json");
    let gold: SeedGold = serde_json::from_str(
        &std::fs::read_to_string(&gold_path)
            .with_context(|| format!("cannot read {}", gold_path.display()))?,
    )
    .with_context(|| format!("{} is not the seed reference", gold_path.display()))?;
    let (mut n_found, mut n_total) = (0, 0);
    println!("Entities on the seeds ({}):", dir.display());
    for (name, expected) in &gold.articles {
        let article = eval_quotes::read_and_analyze(&dir.join(name))?;
        // Every name mention's text → the types of the entities it belongs to.
        let mut types_of: std::collections::HashMap<String, Vec<&str>> =
            std::collections::HashMap::new();
        for entity in &article.entities {
            for mention in entity
                .mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name)
            {
                types_of
                    .entry(seed_key(&mention.text))
                    .or_default()
                    .push(entity.entity_type.as_str());
            }
        }
        for entity in &expected.entities {
            n_total += 1;
            let accepted: Vec<&str> = entity.entity_type.split('|').collect();
            let written = std::iter::once(&entity.name)
                .chain(&entity.aliases)
                .find_map(|form| types_of.get(&seed_key(form)));
            match written {
                Some(types) if types.iter().any(|t| accepted.contains(t)) => n_found += 1,
                Some(types) => println!(
                    "  {name}: {} ({}) found as {}",
                    entity.name,
                    entity.entity_type,
                    types.join("/")
                ),
                None => println!("  {name}: {} ({}) missed", entity.name, entity.entity_type),
            }
        }
    }
    println!("  found {n_found} of {n_total} with their type\n");
    Ok(())
}

/// Runs the entities layer over each gold document (gold tokens, sentences as given) and scores
/// its name mentions.
fn score_documents(documents: &[conll::Document], print_misses: bool) -> SpanScore {
    let mut gold: Vec<TypedSpan> = Vec::new();
    let mut predicted: Vec<TypedSpan> = Vec::new();
    let mut sentence_base = 0;
    for document in documents {
        let mut text = String::new();
        let mut sentence_tokens: Vec<Vec<newslens_core::Span>> = Vec::new();
        // Byte offset of each token start → (sentence, token) and token end → token.
        let mut starts = std::collections::HashMap::new();
        let mut ends = std::collections::HashMap::new();
        for (sentence_idx, sentence) in document.sentences.iter().enumerate() {
            let mut tokens = Vec::new();
            for (token_idx, word) in sentence.words.iter().enumerate() {
                let start = text.len();
                text.push_str(word);
                starts.insert(start, (sentence_idx, token_idx));
                ends.insert(text.len(), token_idx + 1);
                tokens.push(newslens_core::Span::new(start, text.len()));
                text.push(' ');
            }
            text.push('\n');
            sentence_tokens.push(tokens);
            gold.extend(
                sentence
                    .spans
                    .iter()
                    .map(|s| (sentence_base + sentence_idx, s.start, s.end, s.label)),
            );
        }
        for entity in newslens_core::entities::find_entities_in_tokens(&text, sentence_tokens) {
            let Some(label) = conll_label(entity.entity_type.as_str()) else {
                continue;
            };
            for mention in entity
                .mentions
                .iter()
                .filter(|m| m.kind == newslens_core::entities::MentionKind::Name)
            {
                if let (Some((sentence_idx, start)), Some(end)) =
                    (starts.get(&mention.span.start), ends.get(&mention.span.end))
                {
                    predicted.push((sentence_base + sentence_idx, *start, *end, label));
                }
            }
        }
        sentence_base += document.sentences.len();
    }
    if print_misses {
        let sentences: Vec<&conll::Sentence> =
            documents.iter().flat_map(|d| &d.sentences).collect();
        let gold_set: std::collections::HashSet<&TypedSpan> = gold.iter().collect();
        let predicted_set: std::collections::HashSet<&TypedSpan> = predicted.iter().collect();
        let missed = gold.iter().filter(|s| !predicted_set.contains(s));
        let added = predicted.iter().filter(|s| !gold_set.contains(s));
        for (kind, span) in missed
            .map(|s| ("missed", s))
            .chain(added.map(|s| ("added", s)))
        {
            let words = &sentences[span.0].words;
            println!(
                "{kind}\t{}\t{}\t{}",
                span.3,
                words[span.1..span.2].join(" "),
                words.join(" ")
            );
        }
    }
    SpanScore::new(&gold, &predicted)
}

/// Tags every sentence and scores exact typed spans; returns the score, tokens tagged and seconds
/// spent tagging.
fn score_sentences<'s>(
    model: &Model,
    sentences: impl Iterator<Item = (&'s Vec<String>, &'s Vec<conll::GoldSpan>)>,
) -> (SpanScore, usize, f64) {
    let mut gold: Vec<TypedSpan> = Vec::new();
    let mut predicted: Vec<TypedSpan> = Vec::new();
    let mut hasher = FeatureHasher::new(model.bits());
    let mut tags = Vec::new();
    let mut n_tokens = 0;
    let mut seconds = 0.0;
    model.tag_with(&mut hasher, &["Warm", "up", "."], &mut tags);
    for (sentence_idx, (words, spans)) in sentences.enumerate() {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let started = std::time::Instant::now();
        model.tag_with(&mut hasher, &words, &mut tags);
        seconds += started.elapsed().as_secs_f64();
        n_tokens += words.len();
        gold.extend(
            spans
                .iter()
                .map(|s| (sentence_idx, s.start, s.end, s.label)),
        );
        predicted.extend(spans_of(&tags).into_iter().filter_map(|s| {
            conll_label(s.entity_type.as_str()).map(|label| (sentence_idx, s.start, s.end, label))
        }));
    }
    (SpanScore::new(&gold, &predicted), n_tokens, seconds)
}
