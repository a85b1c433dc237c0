//! Fuzz target: arbitrary bytes read as a JSON-lines stream, and every record it yields read and
//! analysed.
//!
//! Fails on a panic or a hang in the line reader, the JSON parsing, reading or analysis, on more
//! records than lines, or on an article span outside its text. Errors for malformed or oversized
//! lines are not failures. Run with `cargo +nightly fuzz run read_jsonl`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newslens_fuzz::{read_and_analyse, MAX_RECORD_BYTES};
use newslens_read::jsonl::JsonLines;

fuzz_target!(|bytes: &[u8]| {
    let mut n_items = 0;
    for item in JsonLines::new(bytes, "fuzz.jsonl", MAX_RECORD_BYTES) {
        n_items += 1;
        assert!(
            n_items <= bytes.len() + 1,
            "{n_items} records from {} bytes",
            bytes.len()
        );
        if let Ok(record) = item {
            read_and_analyse(record);
        }
    }
});
