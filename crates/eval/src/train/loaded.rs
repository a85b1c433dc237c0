//! Training the loaded-language tagger on the Propaganda Techniques Corpus (`Loaded_Language` and
//! `Name_Calling,Labeling` spans) and writing `models/loaded.bin` (`newslens train loaded`).
//!
//! Texts are cut into sentences and tokens exactly as the analysis cuts them; each token takes the
//! class of the gold span that covers most of it. Training is deterministic; the exact command that
//! reproduces the committed model is in README.md. It does not evaluate:
//! [`crate::evaluate::loaded`] cross-validates the same training.

use newslens_core::loaded::{
    classes_of_tokens, train_tuned_with_silver, TrainOptions, TrainingText, CLASS_LABEL,
    CLASS_LOADED,
};
use newslens_core::{entities, segment, tokens, Span};

use crate::{ptc, RunError};

/// Sentences, tokens and quoted spans of a text, as the analysis finds them.
pub fn layers_of(text: &str) -> (Vec<Vec<Span>>, Vec<Span>) {
    let sentences = segment::sentences(text, &segment::paragraphs(text));
    let sentence_tokens = sentences
        .iter()
        .map(|sentence| {
            let mut found = Vec::new();
            tokens::tokenize_into(text, sentence.start, sentence.end, &mut found);
            found
        })
        .collect();
    (sentence_tokens, entities::quoted_spans(text))
}

/// Byte spans of the names the entity layer finds in a text cut as [`layers_of`] cuts it, as the
/// analysis passes them to the loaded layer.
pub fn names_of(text: &str, sentence_tokens: &[Vec<Span>]) -> Vec<Span> {
    entities::name_spans(&entities::find_entities_in_tokens(
        text,
        sentence_tokens.to_vec(),
    ))
}

/// Byte offset of every character offset of `text` (and of its end).
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(byte, _)| byte)
        .chain(std::iter::once(text.len()))
        .collect()
}

/// A PTC article as a training text: the analysis's tokens with gold classes.
pub fn training_text(article: &ptc::PtcArticle) -> TrainingText<'_> {
    let text = article.text.as_str();
    let (sentence_tokens, quoted) = layers_of(text);
    let names = names_of(text, &sentence_tokens);
    let bytes = byte_offsets(text);
    let mut gold: Vec<(Span, u8)> = article
        .loaded_spans()
        .filter_map(|span| {
            let class = if span.technique == "Name_Calling,Labeling" {
                CLASS_LABEL
            } else {
                CLASS_LOADED
            };
            Some((
                Span::new(*bytes.get(span.start)?, *bytes.get(span.end)?),
                class,
            ))
        })
        .collect();
    // Loaded language first: it wins ties with the label spans that often contain it.
    gold.sort_by_key(|(span, class)| (*class != CLASS_LOADED, span.start));
    let classes = sentence_tokens
        .iter()
        .map(|tokens| classes_of_tokens(tokens, &gold))
        .collect();
    TrainingText {
        text,
        sentence_tokens,
        quoted,
        names,
        classes,
    }
}

/// What training reports as it goes.
#[derive(Debug, Clone, Copy)]
pub enum TaggerProgress {
    /// The corpus is read and cut into tokens.
    Read {
        /// Articles.
        n_articles: usize,
        /// Their tokens.
        n_tokens: usize,
    },
    /// A pass over the data is done.
    Epoch {
        /// The tuning fold being trained, or `None` for the final model.
        fold: Option<usize>,
        /// 1-based pass.
        epoch: usize,
        /// Share of training tokens classed right during the pass.
        accuracy: f64,
    },
    /// The bias on "not loaded" is chosen (tuned, or as given).
    Bias {
        /// The bias stored in the model.
        bias: f32,
        /// Byte F1 over the tuning folds.
        f1: f64,
    },
}

/// Trains the tagger on the corpus folder `ptc` (holding `articles/` and `techniques.labels`),
/// tuning its bias by cross-validation when `options.tuning_folds` asks, and writes the model to
/// `out`. `silver`, when given, is a folder in the same layout whose spans a teacher model
/// labelled (`scripts/loaded_teacher.py`): its texts join every training run but never the
/// tuning's scores.
pub fn train_tagger(
    ptc: &str,
    silver: Option<&str>,
    out: &str,
    options: &TrainOptions,
    mut progress: impl FnMut(TaggerProgress),
) -> Result<(), RunError> {
    let articles = read_ptc(ptc)?;
    let texts: Vec<TrainingText<'_>> = articles.iter().map(training_text).collect();
    let silver_articles = match silver {
        Some(dir) => read_ptc(dir)?,
        None => Vec::new(),
    };
    let silver_texts: Vec<TrainingText<'_>> = silver_articles.iter().map(training_text).collect();
    progress(TaggerProgress::Read {
        n_articles: texts.len(),
        n_tokens: texts
            .iter()
            .flat_map(|t| &t.sentence_tokens)
            .map(Vec::len)
            .sum(),
    });
    // Both callbacks report through `progress`; a cell lets them share it.
    let progress = std::cell::RefCell::new(progress);
    let model = train_tuned_with_silver(
        &texts,
        &silver_texts,
        options,
        |fold, epoch, accuracy| {
            (progress.borrow_mut())(TaggerProgress::Epoch {
                fold,
                epoch,
                accuracy,
            })
        },
        |bias, f1| (progress.borrow_mut())(TaggerProgress::Bias { bias, f1 }),
    );
    std::fs::write(out, model.to_bytes()).map_err(|source| RunError::Write {
        path: out.to_string(),
        source,
    })
}

/// Reads a folder in the Propaganda Techniques Corpus's layout (gold or silver).
pub fn read_ptc(dir: &str) -> Result<Vec<ptc::PtcArticle>, RunError> {
    ptc::read(dir).map_err(|source| RunError::Corpus {
        corpus: "PTC",
        path: dir.to_string(),
        source,
    })
}

/// The silver folder for one fold of an `n_folds`-fold cross-validation: `<dir>/fold-K-of-N`,
/// labelled by a teacher that never saw fold K's articles.
pub fn silver_fold_dir(dir: &str, fold: usize, n_folds: usize) -> String {
    format!("{dir}/fold-{fold}-of-{n_folds}")
}
