//! What every newslens fuzz target does with a record once its reader has made it: read it into a
//! document, analyse it, and check the article's spans stay inside its text.
//!
//! A reader's error is a fine outcome for fuzzed bytes; a panic, a hang or a span outside the text
//! is a bug. This crate holds only that shared check; each target in `fuzz_targets/` feeds the
//! fuzzer's bytes to one reader. It is not part of the main workspace and is not run in CI.

use newslens_core::{analyze, Article};
use newslens_read::{read_record, Format, Given, Origin, ReadOptions, Record};

/// The record limit the stream readers are given, as the CLI's default would be for small inputs.
pub const MAX_RECORD_BYTES: u64 = 10_000;

/// A record of `bytes` in `format`, as a file of that kind would give it.
pub fn record(bytes: &[u8], format: Format) -> Record {
    Record {
        origin: Origin::file("fuzz"),
        bytes: bytes.to_vec(),
        format,
        given: Given::default(),
        fallback: Given::default(),
    }
}

/// Reads `record` and, when it reads, analyses it and checks the article.
pub fn read_and_analyse(record: Record) {
    if let Ok(reading) = read_record(record, &ReadOptions::default()) {
        check_article(&analyze(&reading.document));
    }
}

/// Panics unless every span of `article` lies inside its text and every sentence inside a
/// paragraph.
pub fn check_article(article: &Article) {
    let n_chars = article.text.chars().count();
    for (layer, start, end) in article.spans() {
        assert!(
            start <= end && end <= n_chars,
            "{layer} {start}..{end} outside a text of {n_chars} chars"
        );
    }
    for span in &article.sentences {
        let in_paragraph = article
            .paragraphs
            .iter()
            .any(|paragraph| paragraph.start <= span.start && span.end <= paragraph.end);
        assert!(
            in_paragraph,
            "sentence {span:?} lies in no paragraph of {:?}",
            article.paragraphs
        );
    }
}
