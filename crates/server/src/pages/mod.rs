//! The web pages: pure functions from the store's view values to HTML, and the stylesheet.
//!
//! For now only the segmenter that turns an article's overlapping highlights into well-formed
//! nested elements; the pages follow.

mod segment;

pub use segment::{Annotation, Node, Segmenter};
