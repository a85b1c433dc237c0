//! Training glue: gold data read from files, turned into the core's training inputs, and the
//! trained model written where `newslens train …` puts it.
//!
//! - [`ner`]: the entity tagger from GMB, and the word clusters it uses as features from
//!   unlabelled text.
//! - [`loaded`]: the loaded-language tagger from the Propaganda Techniques Corpus.
//! - [`quotes`]: the quote filter from PolNeAR's train split.
//!
//! The learning itself is the core's (`newslens_core::ner::train`, `learn_clusters`,
//! `newslens_core::loaded::train_tuned`), which does no I/O; this module does the reading and
//! writing around it. Progress goes to a callback, never to a terminal. Training is deterministic:
//! the same data and options give the same bytes. Nothing here evaluates; see [`crate::evaluate`].

pub mod loaded;
pub mod ner;
pub mod quotes;
