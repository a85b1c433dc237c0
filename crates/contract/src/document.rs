//! The document a reader hands to the analysis: one normalised text and the metadata found with it.
//!
//! A `Document` is the end of reading and the start of analysis. Its `text` is final: no layer
//! rewrites it, every later result is a span over it. It does not know where its bytes came from
//! beyond the [`Source`] it carries.

use crate::article::{Boilerplate, Post, Source};

/// A news article ready for analysis: normalised main text plus metadata.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The normalised main text; layers are spans over it and never change it.
    pub text: String,
    /// The headline, when the input had one.
    pub title: Option<String>,
    /// Publication date and time, ISO 8601, with no invented time zone.
    pub published: Option<String>,
    /// Last-modified date and time, ISO 8601, when the page gives one apart from `published`.
    pub updated: Option<String>,
    /// Authors found in metadata or bylines, in order, without duplicates.
    pub authors: Vec<String>,
    /// Where the document came from.
    pub source: Source,
    /// Lines removed from the text while reading (bylines, image credits, share prompts…).
    pub boilerplate: Vec<Boilerplate>,
    /// Posts a reader found as markup (an HTML embed) rather than as pasted text. Offsets are
    /// character offsets into `text`.
    pub posts: Vec<Post>,
}

impl Document {
    /// A document with this text and no metadata.
    pub fn new(text: impl Into<String>) -> Document {
        Document {
            text: text.into(),
            ..Document::default()
        }
    }
}
