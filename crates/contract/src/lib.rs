//! The newslens article contract, schema `newslens.article/1`, and the document readers hand in.
//!
//! This crate holds only types: the [`Article`] that `newslens analyze` prints, the store keeps and
//! the API serves; the [`Document`] that reading produces and analysis takes; the closed sets of
//! the contract as enums ([`EntityType`], [`MentionKind`], [`QuoteKind`], [`LoadedCategory`],
//! [`BoilerplateKind`]) that serialise to the contract's words; and [`dates`], which turns the date
//! phrases news writes into the contract's ISO 8601 form. It has no analysis and no model, so
//! the store, the server, exports and bindings can depend on it without compiling the language
//! layers. Field names and words are the contract (`../shared/DESIGN.md`): fields may be added,
//! none renamed silently.
//!
//! # Brief overview
//! ```
//! use newslens_contract::{Document, EntityType, QuoteKind};
//!
//! let document = Document::new("The council voted 5-2.");
//! assert_eq!(document.text.len(), 22);
//! assert_eq!(serde_json::to_string(&EntityType::Person).unwrap(), "\"PERSON\"");
//! assert_eq!(QuoteKind::Mixed.as_str(), "mixed");
//! ```
#![warn(missing_docs)]

pub mod article;
pub mod dates;
pub mod document;
pub mod kinds;
pub mod span;

pub use article::{
    Article, Boilerplate, Entity, Loaded, Mention, Post, Quote, ReportingVerb, Source, Speaker,
    Tone, SCHEMA,
};
pub use document::Document;
pub use kinds::{BoilerplateKind, EntityType, LoadedCategory, MentionKind, QuoteKind};
pub use span::Span;
