//! The web pages as a reader's browser gets them: whole documents, well-formed, with the class
//! names the browser tests look for, and never a way for an article to inject markup or script.
//!
//! Articles here are invented for these tests and analysed with `newslens_core::analyze`, or built
//! by hand where a test needs exact spans. No test touches the network or the store's database.

mod escaping;
mod fixtures;
mod html;
mod outlets;
mod structure;
mod write_pages;
