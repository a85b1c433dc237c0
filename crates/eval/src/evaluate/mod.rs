//! Evaluation runs: the whole analysis (or one layer of it) over gold data, scored, as reports
//! whose `Display` is exactly what `newslens eval …` prints.
//!
//! - [`ner`]: the entity tagger alone and with the entities layer, on CoNLL files and GMB's
//!   held-out tenth.
//! - [`quotes`]: the quotes layer on PolNeAR, with the causes of misses.
//! - [`extraction`]: reading real web pages: body shingle F1, publication day, author, title, CPU.
//! - [`loaded`]: loaded language on the Propaganda Techniques Corpus (in-sample and
//!   cross-validated) and BASIL's lexical bias.
//! - [`seeds`]: the seed articles' hand-made reference (entities and quotes).
//! - [`stories`]: the story engine on ECB+ event clusters and AllSides roundups, with baselines.
//!
//! A run takes paths and options and returns a report; it never prints, never parses arguments and
//! never decides which reports a command shows. Error-analysis listings (misses, spans written to
//! a file) are computed from the report on request, so a run that does not show them pays nothing
//! for them.

pub mod extraction;
pub mod loaded;
pub mod loaded_encoder;
pub mod ner;
pub mod outlets;
pub mod quotes;
pub mod seeds;
pub mod stories;
