//! The encoder mode's speed: words a second through MiniLM on one article of the project's own
//! fixtures (run with `cargo bench -p newslens-encoder`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newslens_core::Deadline;
use newslens_encoder::Encoder;

/// A plain news paragraph written for this bench, repeated to about 600 words.
fn article() -> String {
    let paragraph = "The council voted on Tuesday to rebuild the pier, which storms closed two \
        winters ago. Critics called the plan a reckless waste of money, while the mayor said the \
        town could not afford to lose its summer trade. Work is due to begin in March and to end \
        before the festival in August, the council said.\n";
    paragraph.repeat(10)
}

fn bench(c: &mut Criterion) {
    let encoder = Encoder::shipped().expect("the shipped encoder loads");
    let text = article();
    let words = text.split_whitespace().count() as u64;
    let mut group = c.benchmark_group("encoder");
    group.sample_size(10);
    group.throughput(Throughput::Elements(words));
    group.bench_function("piece_probabilities_600_words", |b| {
        b.iter(|| encoder.piece_probabilities(&text, Deadline::NEVER).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
