//! The newslens HTTP server: the JSON API under `/v1` and the web pages, from one binary.
//!
//! This crate sits after the store in the flow (read → analyse → store → views → **serve**). It
//! reads the corpus through the [`newslens_store::Store`] trait, analyses posted articles with the
//! same reader and analysis as the CLI, and renders pages on the server (no front-end build step;
//! the stylesheet is embedded in the binary).
#![warn(missing_docs)]
pub mod pages;
