//! Fuzz target: arbitrary bytes read as an HTML page (`Format::Html`), and the document analysed.
//!
//! Fails on a panic in decoding, main-text extraction, metadata, cleaning or analysis, or on an
//! article span outside its text. A read error (binary, empty, no text) is not a failure. Run with
//! `cargo +nightly fuzz run read_html`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newslens_fuzz::{read_and_analyse, record};
use newslens_read::Format;

fuzz_target!(|bytes: &[u8]| {
    read_and_analyse(record(bytes, Format::Html));
});
