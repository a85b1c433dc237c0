//! Inputs to records, and records to chunks small enough to bound memory and large enough to keep
//! every core busy.
//!
//! Splitting inputs into records is sequential I/O ([`records_of`]); a chunk is then analysed in
//! parallel by [`crate::Pipeline`]. This module reads files but analyses nothing.

use newslens_read::{expand, open, ReadOptions};

use crate::batch::Input;

/// Records analysed together: enough to keep every core busy, few enough to bound memory.
pub const CHUNK_RECORDS: usize = 256;
/// Bytes of input analysed together at most.
pub const CHUNK_BYTES: usize = 32 * 1024 * 1024;

/// Every record of the inputs, in order: files, folders (recursively), `-` for standard input.
/// An input that cannot be opened is one error in the stream, and the stream goes on.
pub fn records_of(paths: &[String], options: &ReadOptions) -> impl Iterator<Item = Input> + Send {
    let options = options.clone();
    expand(paths)
        .into_iter()
        .flat_map(move |input| -> newslens_read::inputs::Records {
            match input {
                Ok(input) => open(&input, &options),
                Err(error) => Box::new(std::iter::once(Err(error))),
            }
        })
}

/// Groups records into chunks of at most [`CHUNK_RECORDS`] records, closing a chunk once it
/// holds [`CHUNK_BYTES`] bytes.
pub struct Chunks<I> {
    inputs: I,
    max_records: usize,
    max_bytes: usize,
}

impl<I: Iterator<Item = Input>> Chunks<I> {
    /// Chunks of the default size.
    pub fn new(inputs: impl IntoIterator<IntoIter = I>) -> Chunks<I> {
        Chunks::with_limits(inputs, CHUNK_RECORDS, CHUNK_BYTES)
    }

    /// Chunks of at most `max_records` records (at least one), closed at `max_bytes` bytes.
    pub fn with_limits(
        inputs: impl IntoIterator<IntoIter = I>,
        max_records: usize,
        max_bytes: usize,
    ) -> Chunks<I> {
        Chunks {
            inputs: inputs.into_iter(),
            max_records: max_records.max(1),
            max_bytes,
        }
    }
}

impl<I: Iterator<Item = Input>> Iterator for Chunks<I> {
    type Item = Vec<Input>;

    fn next(&mut self) -> Option<Vec<Input>> {
        let mut chunk = Vec::new();
        let mut n_bytes = 0usize;
        for input in self.inputs.by_ref() {
            n_bytes += input.as_ref().map_or(0, |record| record.bytes.len());
            chunk.push(input);
            if chunk.len() >= self.max_records || n_bytes >= self.max_bytes {
                break;
            }
        }
        (!chunk.is_empty()).then_some(chunk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newslens_read::{Format, Given, Origin, Record};

    fn record(n_bytes: usize) -> Input {
        Ok(Record {
            origin: Origin::file("x"),
            bytes: vec![b'a'; n_bytes],
            format: Format::Text,
            given: Given::default(),
            fallback: Given::default(),
        })
    }

    #[test]
    fn chunks_close_at_the_record_or_byte_limit_and_keep_order() {
        let inputs: Vec<Input> = vec![record(1), record(2), record(3), record(10), record(1)];
        let sizes: Vec<Vec<usize>> = Chunks::with_limits(inputs, 2, 10)
            .map(|chunk| {
                chunk
                    .iter()
                    .map(|input| input.as_ref().unwrap().bytes.len())
                    .collect()
            })
            .collect();
        assert_eq!(sizes, vec![vec![1, 2], vec![3, 10], vec![1]]);
    }

    #[test]
    fn no_input_is_no_chunk() {
        assert_eq!(Chunks::new(Vec::<Input>::new()).count(), 0);
    }
}
