//! Fuzz target: arbitrary bytes read as a (decompressed) web archive, and every HTML response it
//! yields read and analysed.
//!
//! Fails on a panic or a hang in the WARC and HTTP parsing, de-chunking or decompression, reading
//! or analysis, or on an article span outside its text. A malformed archive ending in an error is
//! not a failure. Run with `cargo +nightly fuzz run read_warc`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newslens_fuzz::{read_and_analyse, MAX_RECORD_BYTES};
use newslens_read::warc::WarcRecords;

fuzz_target!(|bytes: &[u8]| {
    let mut n_items = 0;
    for item in WarcRecords::new(bytes, "fuzz.warc", MAX_RECORD_BYTES) {
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
