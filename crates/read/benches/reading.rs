//! Criterion benches of reading: bytes in, analysed article out, on one core, over news articles
//! the project wrote (`benches/fixtures/`).
//!
//! - `plain_text`: the three `.txt` articles read as plain text (decode, normalise, clean the
//!   dateline, headline, byline and furniture) and analysed, all three per iteration;
//! - `html`: the HTML page read (decode, main-text extraction, metadata, cleaning) and analysed;
//! - `segmentation`: the core's paragraph and sentence splitting alone, over the three cleaned
//!   texts.
//!
//! Each reports bytes of its input per second (`Throughput::Bytes`) and, before measuring, asserts
//! the counts its fixtures give, so a change in behaviour fails the bench instead of timing
//! different work. It does not measure file I/O, record streams (JSON lines, WARC) or parallel
//! batches.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newslens_core::{analyze, segment, Article};
use newslens_read::{read_record, Format, Given, Origin, ReadOptions, Record};

/// A fixture and what reading and analysing it finds.
struct Fixture {
    name: &'static str,
    bytes: &'static [u8],
    format: Format,
    n_paragraphs: usize,
    n_sentences: usize,
    n_posts: usize,
}

/// The plain-text articles. Counts found by running the readers once and checking the
/// sentences by eye.
const PLAIN_TEXT: [Fixture; 3] = [
    Fixture {
        name: "ferry_strike",
        bytes: include_bytes!("fixtures/ferry_strike.txt"),
        format: Format::Text,
        n_paragraphs: 22,
        n_sentences: 54,
        n_posts: 1,
    },
    Fixture {
        name: "reservoir_drought",
        bytes: include_bytes!("fixtures/reservoir_drought.txt"),
        format: Format::Text,
        n_paragraphs: 21,
        n_sentences: 44,
        n_posts: 1,
    },
    Fixture {
        name: "chess_prodigy",
        bytes: include_bytes!("fixtures/chess_prodigy.txt"),
        format: Format::Text,
        n_paragraphs: 18,
        n_sentences: 46,
        n_posts: 1,
    },
];

/// The HTML page: navigation, cookie banner, JSON-LD, an embedded tweet, related and most-read
/// lists, a newsletter box and a footer around the article.
const HTML_PAGE: Fixture = Fixture {
    name: "article.html",
    bytes: include_bytes!("fixtures/article.html"),
    format: Format::Html,
    n_paragraphs: 14,
    n_sentences: 34,
    n_posts: 1,
};

/// Reads and analyses one fixture, as `newslens analyze` does for one file.
fn read_and_analyze(bytes: &[u8], format: Format) -> Article {
    let record = Record {
        origin: Origin::file("bench"),
        bytes: bytes.to_vec(),
        format,
        given: Given::default(),
        fallback: Given::default(),
    };
    match read_record(record, &ReadOptions::default()) {
        Ok(reading) => analyze(&reading.document),
        Err(error) => panic!("a bench fixture no longer reads: {error}"),
    }
}

/// Panics unless the fixture still gives the counts written above.
fn assert_counts(fixture: &Fixture) -> Article {
    let article = read_and_analyze(fixture.bytes, fixture.format);
    let found = (
        article.paragraphs.len(),
        article.sentences.len(),
        article.posts.len(),
    );
    let expected = (fixture.n_paragraphs, fixture.n_sentences, fixture.n_posts);
    assert_eq!(
        found, expected,
        "{}: (paragraphs, sentences, posts) changed",
        fixture.name
    );
    article
}

fn plain_text(c: &mut Criterion) {
    for fixture in &PLAIN_TEXT {
        assert_counts(fixture);
    }
    let n_bytes: usize = PLAIN_TEXT.iter().map(|fixture| fixture.bytes.len()).sum();
    let mut group = c.benchmark_group("plain_text");
    group.throughput(Throughput::Bytes(n_bytes as u64));
    group.bench_function("read_and_analyze", |b| {
        b.iter(|| {
            for fixture in &PLAIN_TEXT {
                black_box(read_and_analyze(black_box(fixture.bytes), Format::Text));
            }
        })
    });
    group.finish();
}

/// Issue 2's figure: reading, cleaning and segmentation only (no entity tagging), per core.
fn read_and_segment(c: &mut Criterion) {
    let n_bytes: usize = PLAIN_TEXT.iter().map(|fixture| fixture.bytes.len()).sum();
    let mut group = c.benchmark_group("read_clean_segment");
    group.throughput(Throughput::Bytes(n_bytes as u64));
    group.bench_function("plain_text", |b| {
        b.iter(|| {
            for fixture in &PLAIN_TEXT {
                let record = Record {
                    origin: Origin::file("bench"),
                    bytes: fixture.bytes.to_vec(),
                    format: Format::Text,
                    given: Given::default(),
                    fallback: Given::default(),
                };
                let reading =
                    read_record(black_box(record), &ReadOptions::default()).expect("fixtures read");
                let paragraphs = segment::paragraphs(&reading.document.text);
                black_box(segment::sentences(&reading.document.text, &paragraphs));
            }
        })
    });
    group.finish();
}

fn html(c: &mut Criterion) {
    let article = assert_counts(&HTML_PAGE);
    assert_eq!(
        article.title.as_deref(),
        Some("Volunteers relight Skerrow Point lighthouse after 40 dark years")
    );
    assert_eq!(article.authors, ["Marguerite Oduya"]);
    let mut group = c.benchmark_group("html");
    group.throughput(Throughput::Bytes(HTML_PAGE.bytes.len() as u64));
    group.bench_function("read_and_analyze", |b| {
        b.iter(|| black_box(read_and_analyze(black_box(HTML_PAGE.bytes), Format::Html)))
    });
    group.finish();
}

fn segmentation(c: &mut Criterion) {
    let texts: Vec<String> = PLAIN_TEXT
        .iter()
        .map(|fixture| assert_counts(fixture).text)
        .collect();
    // The core's spans alone give the same counts as the analysed articles.
    let mut found = (0, 0);
    for text in &texts {
        let paragraphs = segment::paragraphs(text);
        found.0 += paragraphs.len();
        found.1 += segment::sentences(text, &paragraphs).len();
    }
    let expected = PLAIN_TEXT
        .iter()
        .fold((0, 0), |(n_paragraphs, n_sentences), fixture| {
            (
                n_paragraphs + fixture.n_paragraphs,
                n_sentences + fixture.n_sentences,
            )
        });
    assert_eq!(
        found, expected,
        "segmentation: (paragraphs, sentences) changed"
    );
    let n_bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("segmentation");
    group.throughput(Throughput::Bytes(n_bytes as u64));
    group.bench_function("paragraphs_and_sentences", |b| {
        b.iter(|| {
            for text in &texts {
                let paragraphs = segment::paragraphs(black_box(text));
                black_box(segment::sentences(text, &paragraphs));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, read_and_segment, plain_text, html, segmentation);
criterion_main!(benches);
