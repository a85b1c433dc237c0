//! Criterion benches of the tone and loaded-language layers on one core, over the news articles the
//! project wrote (`crates/read/benches/fixtures/*.txt`), in words per second: both layers are hash
//! lookups over tokens that the analysis already has, so they should cost little next to tagging.
//!
//! Before measuring, the bench asserts what its input gives (word count and a few loaded spans), so
//! a change of behaviour fails the bench rather than timing different work. It does not measure
//! tokenisation, sentences or quotes: those are inputs here.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newslens_core::entities::quoted_spans;
use newslens_core::loaded::find_loaded;
use newslens_core::segment::{paragraphs, sentences};
use newslens_core::tokens::tokenize_into;
use newslens_core::tone::{article_tones, sentence_tones};
use newslens_core::Span;

const ARTICLES: [&str; 3] = [
    include_str!("../../read/benches/fixtures/ferry_strike.txt"),
    include_str!("../../read/benches/fixtures/reservoir_drought.txt"),
    include_str!("../../read/benches/fixtures/chess_prodigy.txt"),
];

/// An article, its sentences' tokens and its quoted spans.
type Input = (&'static str, Vec<Vec<Span>>, Vec<Span>);

/// Each article with its sentences' tokens and its quoted spans.
fn inputs() -> Vec<Input> {
    ARTICLES
        .iter()
        .map(|text| {
            let tokens = sentences(text, &paragraphs(text))
                .iter()
                .map(|sentence| {
                    let mut tokens = Vec::new();
                    tokenize_into(text, sentence.start, sentence.end, &mut tokens);
                    tokens
                })
                .collect();
            (*text, tokens, quoted_spans(text))
        })
        .collect()
}

fn tone_and_loaded(c: &mut Criterion) {
    let inputs = inputs();
    let n_words: usize = inputs
        .iter()
        .map(|(text, tokens, quoted)| article_tones(&sentence_tones(text, tokens, quoted)).0.words)
        .sum();
    let n_loaded: usize = inputs
        .iter()
        .map(|(text, tokens, quoted)| find_loaded(text, tokens, quoted, &[]).len())
        .sum();
    assert_eq!(n_words, N_WORDS, "the fixtures' word count changed");
    assert!(n_loaded > 0, "the fixtures have some loaded language");
    let mut group = c.benchmark_group("tone");
    group.throughput(Throughput::Elements(n_words as u64));
    group.bench_function("sentence_tones", |b| {
        b.iter(|| {
            for (text, tokens, quoted) in &inputs {
                black_box(article_tones(&sentence_tones(
                    black_box(text),
                    tokens,
                    quoted,
                )));
            }
        })
    });
    group.bench_function("find_loaded", |b| {
        b.iter(|| {
            for (text, tokens, quoted) in &inputs {
                black_box(find_loaded(black_box(text), tokens, quoted, &[]));
            }
        })
    });
    group.finish();
}

/// Words in the three fixtures, as the tone layer counts them.
const N_WORDS: usize = 2797;

criterion_group!(benches, tone_and_loaded);
criterion_main!(benches);
