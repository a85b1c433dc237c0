//! A half-open range over the one text: byte offsets inside the analysis, character offsets in the
//! contract.
//!
//! Serialised as the contract's `[start, end]` pair. The conversion between byte and character
//! offsets is the analysis core's (`newslens_core::offsets::CharOffsets`), not this module's.

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` over the text. Byte offsets inside the analysis, character
/// offsets in the [`crate::Article`] contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(into = "[usize; 2]", from = "[usize; 2]")]
pub struct Span {
    /// First offset in the span.
    pub start: usize,
    /// Offset just past the span.
    pub end: usize,
}

impl Span {
    /// The span `[start, end)`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The number of offsets the span covers.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

impl From<Span> for [usize; 2] {
    fn from(span: Span) -> [usize; 2] {
        [span.start, span.end]
    }
}

impl From<[usize; 2]> for Span {
    fn from(pair: [usize; 2]) -> Span {
        Span {
            start: pair[0],
            end: pair[1],
        }
    }
}
