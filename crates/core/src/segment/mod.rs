//! Segmentation: the text cut into paragraphs and sentences, as byte spans.
//!
//! Paragraphs come from line structure; sentences from punctuation, abbreviations and quotation
//! marks, never crossing a paragraph. Tokens and anything finer are the business of later layers.

mod paragraphs;
mod sentences;

pub use paragraphs::paragraphs;
pub(crate) use sentences::is_abbreviation;
pub use sentences::sentences;
