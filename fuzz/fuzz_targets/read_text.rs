//! Fuzz target: arbitrary bytes read as a plain-text article (`Format::Text`), and the document
//! analysed.
//!
//! Fails on a panic in decoding, normalising, cleaning or analysis, or on an article span outside
//! its text. A read error (binary, empty) is not a failure. Run with
//! `cargo +nightly fuzz run read_text`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newslens_fuzz::{read_and_analyse, record};
use newslens_read::Format;

fuzz_target!(|bytes: &[u8]| {
    read_and_analyse(record(bytes, Format::Text));
});
