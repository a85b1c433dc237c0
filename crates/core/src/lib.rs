//! The per-article analysis of newslens: the article contract and the layers computed over one text.
//!
//! This crate owns the [`Article`] contract (schema `newslens.article/1`, see `../shared/DESIGN.md`
//! and `ARCHITECTURE.md`), the [`Document`] that readers hand in, and the analysis layers that turn a
//! document into an article It does no I/O: it knows nothing of files, databases, HTTP or
//! terminals, and it never fails on messy text.
//!
//! # Brief overview
//! ```
//! use newslens_core::{analyze, Document};
//!
//! let document = Document::new("Mr. Price spoke first. The council voted 5-2.\n\nIt closes in June.");
//! let article = analyze(&document);
//! assert_eq!(article.sentences.len(), 3);
//! assert_eq!(article.paragraphs.len(), 2);
//! ```
#![warn(missing_docs)]

pub mod entities;
pub mod gazetteer;
pub mod language;
pub mod lexicon;
pub mod loaded;
pub mod ner;
pub mod offsets;
pub mod posts;
pub mod quotes;
pub mod segment;
pub mod tokens;
pub mod tone;

mod analyze;
mod deadline;

pub use analyze::{
    analyze, analyze_quote_candidates, analyze_with_loaded, analyze_within, analyze_within_tagging,
    article_id, warm_up, QuoteCandidates,
};
pub use deadline::{Deadline, OverBudget};
/// The article contract and the document readers hand in, from `newslens-contract`: the types live
/// in their own crate so that the store, the server and exports need not compile the analysis.
pub use newslens_contract::{article, dates, document};
pub use newslens_contract::{
    Article, Boilerplate, BoilerplateKind, Document, EntityType, LoadedCategory, MentionKind, Post,
    QuoteKind, Source,
};
pub use offsets::Span;
