//! Criterion benches of the entity layer on one core, over the news articles the project wrote
//! (`crates/read/benches/fixtures/*.txt`): the tagger alone in tokens per second, loading the
//! shipped model, and the whole entities layer (tagging, consistency, grouping, roles, pronouns).
//!
//! Before measuring, each bench asserts what its input gives (token and sentence counts), so a
//! change of behaviour fails the bench rather than timing different work. It does not measure
//! reading or output.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newslens_core::entities::find_entities;
use newslens_core::ner::{shipped_model, FeatureHasher, Model};
use newslens_core::segment::{paragraphs, sentences};
use newslens_core::tokens::tokenize_into;
use newslens_core::Span;

const ARTICLES: [&str; 3] = [
    include_str!("../../read/benches/fixtures/ferry_strike.txt"),
    include_str!("../../read/benches/fixtures/reservoir_drought.txt"),
    include_str!("../../read/benches/fixtures/chess_prodigy.txt"),
];

const MODEL_BYTES: &[u8] = include_bytes!("../../../models/ner.bin");

/// Every sentence of every article as its words.
fn sentence_words() -> Vec<Vec<&'static str>> {
    let mut out = Vec::new();
    for text in ARTICLES {
        for sentence in sentences(text, &paragraphs(text)) {
            let mut tokens: Vec<Span> = Vec::new();
            tokenize_into(text, sentence.start, sentence.end, &mut tokens);
            out.push(tokens.iter().map(|t| &text[t.start..t.end]).collect());
        }
    }
    out
}

fn tagging(c: &mut Criterion) {
    let sentences = sentence_words();
    let n_tokens: usize = sentences.iter().map(Vec::len).sum();
    assert_eq!(
        (sentences.len(), n_tokens),
        (160, 3232),
        "the fixtures' sentences and tokens changed"
    );
    let model = shipped_model();
    assert!(model.is_trained(), "the shipped model is a trained one");
    let mut hasher = FeatureHasher::new(model.bits());
    let mut tags = Vec::new();
    let mut group = c.benchmark_group("ner");
    group.throughput(Throughput::Elements(n_tokens as u64));
    group.bench_function("tag_tokens", |b| {
        b.iter(|| {
            for words in &sentences {
                model.tag_with(&mut hasher, black_box(words), &mut tags);
                black_box(&tags);
            }
        })
    });
    group.finish();
}

fn model_load(c: &mut Criterion) {
    assert_eq!(
        Model::from_bytes(MODEL_BYTES).map(|m| m.bits()).ok(),
        Some(19)
    );
    c.bench_function("ner/load_model", |b| {
        b.iter(|| black_box(Model::from_bytes(black_box(MODEL_BYTES))))
    });
}

fn entities_layer(c: &mut Criterion) {
    let inputs: Vec<(&str, Vec<Span>)> = ARTICLES
        .iter()
        .map(|text| (*text, sentences(text, &paragraphs(text))))
        .collect();
    let n_bytes: usize = ARTICLES.iter().map(|t| t.len()).sum();
    let n_entities: usize = inputs
        .iter()
        .map(|(text, spans)| find_entities(text, spans).len())
        .sum();
    assert!(
        n_entities > 30,
        "the fixtures name people, places and organisations ({n_entities} found)"
    );
    let mut group = c.benchmark_group("entities");
    group.throughput(Throughput::Bytes(n_bytes as u64));
    group.bench_function("find_entities", |b| {
        b.iter(|| {
            for (text, spans) in &inputs {
                black_box(find_entities(black_box(text), spans));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, model_load, tagging, entities_layer);
criterion_main!(benches);
