//! Spans over the one text, and the conversion from byte offsets to the contract's character offsets.
//!
//! Layers work in byte offsets, which slice `&str` for free. The contract speaks character (Unicode
//! scalar) offsets, like Python's `str`: [`CharOffsets`] converts at the edge, in O(1) amortised per
//! offset, without a table as long as the text.

pub use newslens_contract::Span;

/// Bytes per block of the prefix table: a conversion counts characters in at most one block.
const BLOCK: usize = 256;

/// Converts byte offsets of one text into character offsets.
///
/// ```
/// use newslens_core::offsets::CharOffsets;
/// let text = "Iran’s move";
/// let offsets = CharOffsets::new(text);
/// assert_eq!(offsets.char_offset(text.find("move").unwrap()), 7);
/// ```
pub struct CharOffsets<'t> {
    text: &'t str,
    /// `None` for ASCII text, where bytes and characters coincide.
    chars_before_block: Option<Vec<usize>>,
}

impl<'t> CharOffsets<'t> {
    /// Prepares conversions over `text`.
    pub fn new(text: &'t str) -> CharOffsets<'t> {
        if text.is_ascii() {
            return CharOffsets {
                text,
                chars_before_block: None,
            };
        }
        let bytes = text.as_bytes();
        let mut table = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut n_chars = 0;
        for block in bytes.chunks(BLOCK) {
            table.push(n_chars);
            n_chars += count_chars(block);
        }
        // The end of a text whose length is a multiple of BLOCK starts a block of its own.
        table.push(n_chars);
        CharOffsets {
            text,
            chars_before_block: Some(table),
        }
    }

    /// The character offset of byte offset `byte` (clamped to the text; a byte inside a character
    /// counts as that character's start).
    pub fn char_offset(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        match &self.chars_before_block {
            None => byte,
            Some(table) => {
                let block_idx = byte / BLOCK;
                let block_start = block_idx * BLOCK;
                let before = table.get(block_idx).copied().unwrap_or(0);
                before + count_chars(&self.text.as_bytes()[block_start..byte])
            }
        }
    }

    /// The character span of a byte span.
    pub fn span(&self, span: Span) -> Span {
        Span::new(self.char_offset(span.start), self.char_offset(span.end))
    }
}

/// Characters that start in `bytes`: every byte that is not a UTF-8 continuation byte.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_char_indices_on_mixed_text() {
        let text = "Iran’s point man — «quoted» ".repeat(40) + "end";
        let offsets = CharOffsets::new(&text);
        for (char_idx, (byte_idx, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.char_offset(byte_idx), char_idx);
        }
        assert_eq!(offsets.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn the_end_of_a_text_of_whole_blocks_is_its_length_in_chars() {
        let text = "é".repeat(BLOCK / 2);
        assert_eq!(text.len(), BLOCK);
        assert_eq!(CharOffsets::new(&text).char_offset(text.len()), BLOCK / 2);
    }

    #[test]
    fn ascii_text_offsets_are_identity() {
        let offsets = CharOffsets::new("plain");
        assert_eq!(offsets.span(Span::new(1, 4)), Span::new(1, 4));
    }

    #[test]
    fn span_serialises_as_pair() {
        assert_eq!(serde_json::to_string(&Span::new(3, 9)).unwrap(), "[3,9]");
    }
}
