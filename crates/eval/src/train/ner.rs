//! Training the entity tagger on GMB (`newslens train ner`, writing `models/ner.bin`) and learning
//! the word clusters it uses as features from unlabelled text (`newslens train clusters`, writing
//! `crates/core/data/word_clusters.txt`).
//!
//! Both leave GMB's held-out tenth out, and the clusters refuse CoNLL-2003 files: CoNLL is for
//! measuring only. The exact commands that reproduce the committed files are in README.md. Neither
//! evaluates; see [`crate::evaluate::ner`].

use std::path::{Path, PathBuf};

use newslens_core::ner::{learn_clusters, train, ClusterOptions, TrainOptions};

use crate::{gmb, RunError};

/// What tagger training reports as it goes.
#[derive(Debug, Clone, Copy)]
pub enum TaggerProgress {
    /// The training sentences are read.
    Read {
        /// Sentences (GMB minus its held-out tenth).
        n_sentences: usize,
        /// Their tokens.
        n_tokens: usize,
    },
    /// A pass over the data is done.
    Epoch {
        /// 1-based pass.
        epoch: usize,
        /// Share of training tokens tagged right during the pass.
        accuracy: f64,
    },
    /// The model is written.
    Wrote {
        /// Its size.
        n_bytes: usize,
    },
}

/// Trains the tagger on GMB's training sentences (`gmb` is `ner_dataset.csv`, latin-1) and writes
/// the model to `out`, creating its folder.
pub fn train_tagger(
    gmb: &str,
    out: &str,
    options: &TrainOptions,
    mut progress: impl FnMut(TaggerProgress),
) -> Result<(), RunError> {
    let sentences = gmb::read(gmb, gmb::Split::Train).map_err(|source| RunError::Corpus {
        corpus: "GMB",
        path: gmb.to_string(),
        source,
    })?;
    progress(TaggerProgress::Read {
        n_sentences: sentences.len(),
        n_tokens: sentences.iter().map(|s| s.words.len()).sum(),
    });
    let model = train(&sentences, options, |epoch, accuracy| {
        progress(TaggerProgress::Epoch { epoch, accuracy });
    });
    let bytes = model.to_bytes();
    if let Some(parent) = Path::new(out).parent() {
        std::fs::create_dir_all(parent).ok();
    }
    std::fs::write(out, &bytes).map_err(|source| RunError::WriteModel {
        path: out.to_string(),
        source,
    })?;
    progress(TaggerProgress::Wrote {
        n_bytes: bytes.len(),
    });
    Ok(())
}

/// What cluster learning reports as it goes.
#[derive(Debug, Clone)]
pub enum ClusterProgress {
    /// A file left out because it is CoNLL data (evaluation only).
    SkippedConll(PathBuf),
    /// The text is read and cut into tokens.
    Read {
        /// Tokens to cluster.
        n_tokens: usize,
        /// Texts read from the files.
        n_documents: usize,
        /// Their sentences.
        n_text_sentences: usize,
        /// Files found under the paths.
        n_files: usize,
        /// GMB training sentences added.
        n_gmb_sentences: usize,
    },
    /// A pass of the exchange algorithm over the vocabulary is done.
    Pass {
        /// 0-based level, finest first.
        level: usize,
        /// Classes at that level.
        n_classes: usize,
        /// 1-based pass.
        pass: usize,
        /// Words that changed class.
        n_moved: usize,
    },
}

/// Learns word clusters from the text under `paths` (`.txt` files whole, `.json`/`.jsonl` for
/// their prose strings, other files skipped) and GMB's training sentences, and writes the
/// clusters file to `out`. Returns the number of words written.
pub fn learn_word_clusters(
    paths: &[String],
    gmb: Option<&str>,
    out: &str,
    options: &ClusterOptions,
    mut progress: impl FnMut(ClusterProgress),
) -> Result<usize, RunError> {
    let mut files = Vec::new();
    for path in paths {
        collect_files(Path::new(path), &mut files).map_err(|source| RunError::List {
            path: path.clone(),
            source,
        })?;
    }
    let mut sentences: Vec<Vec<String>> = Vec::new();
    let mut n_documents = 0;
    for file in &files {
        let bytes = std::fs::read(file).map_err(|source| RunError::Read {
            path: file.display().to_string(),
            source,
        })?;
        let text = String::from_utf8_lossy(&bytes);
        // CoNLL-2003 is for measuring only: refuse to learn from it even when a folder holds it.
        if text.starts_with("-DOCSTART-") {
            progress(ClusterProgress::SkippedConll(file.clone()));
            continue;
        }
        let texts = match file.extension().and_then(|e| e.to_str()) {
            Some("txt") => vec![text.into_owned()],
            Some("json") => prose_strings_of_json(&text),
            Some("jsonl") => text.lines().flat_map(prose_strings_of_json).collect(),
            _ => continue,
        };
        for text in texts {
            n_documents += 1;
            sentences.extend(token_sentences(&text));
        }
    }
    let n_text_sentences = sentences.len();
    if let Some(path) = gmb {
        let gmb_sentences =
            gmb::read(path, gmb::Split::Train).map_err(|source| RunError::Corpus {
                corpus: "GMB",
                path: path.to_string(),
                source,
            })?;
        sentences.extend(gmb_sentences.into_iter().map(|s| s.words));
    }
    progress(ClusterProgress::Read {
        n_tokens: sentences.iter().map(Vec::len).sum(),
        n_documents,
        n_text_sentences,
        n_files: files.len(),
        n_gmb_sentences: sentences.len() - n_text_sentences,
    });
    let mut words = learn_clusters(&sentences, options, |level, pass, n_moved| {
        progress(ClusterProgress::Pass {
            level,
            n_classes: options.levels[level],
            pass,
            n_moved,
        });
    });
    words.retain(|w| !w.word.starts_with('#') && !w.word.contains(char::is_whitespace));
    words.sort_by(|a, b| a.word.cmp(&b.word));
    let mut text = clusters_header(options);
    for word in &words {
        text.push_str(&word.word);
        for class in &word.classes {
            text.push('\t');
            text.push_str(&class.to_string());
        }
        text.push('\n');
    }
    std::fs::write(out, text).map_err(|source| RunError::Write {
        path: out.to_string(),
        source,
    })?;
    Ok(words.len())
}

/// The clusters file's header: its format, how it was made, its source and licence.
fn clusters_header(options: &ClusterOptions) -> String {
    format!(
        "# Word clusters for the entity tagger: a word (lower case, digits as 0), then its class at\n\
         # {} levels of {} classes, finest first; each coarser class contains whole finer ones.\n\
         # Generated by `newslens train clusters` (exchange algorithm over a class bigram model,\n\
         # crates/core/src/ner/exchange.rs); do not edit by hand, re-run the command in README.md.\n\
         # Source: unlabelled text of the development sets in ../shared/data (PolNeAR, PTC, BASIL,\n\
         # ECB+, AllSides) and the words of GMB's training sentences; words seen at least {} times.\n\
         # No text is kept: only single words and class numbers derived from their counts.\n\
         # Licence: MIT OR Apache-2.0 (derived by newslens; GMB is public-domain VOA text).\n",
        options.levels.len(),
        options
            .levels
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join("/"),
        options.min_count
    )
}

/// Files under `path` (itself when a file), sorted, so the order never depends on the file system.
fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<std::io::Result<_>>()?;
        entries.sort();
        for entry in entries {
            collect_files(&entry, files)?;
        }
    } else {
        files.push(path.to_path_buf());
    }
    Ok(())
}

/// The prose in a JSON document: every string value with at least five words (titles, leads,
/// paragraphs), arrays in order and objects in key order (`serde_json` sorts keys); identifiers,
/// dates and URLs are too short to count.
fn prose_strings_of_json(json: &str) -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if s.split_whitespace().nth(4).is_some() => {
                out.push(s.clone())
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(json) {
        walk(&value, &mut out);
    }
    out
}

/// A text cut into sentences of word tokens the way the analysis cuts it.
fn token_sentences(text: &str) -> Vec<Vec<String>> {
    let paragraphs = newslens_core::segment::paragraphs(text);
    let mut tokens = Vec::new();
    newslens_core::segment::sentences(text, &paragraphs)
        .into_iter()
        .map(|sentence| {
            tokens.clear();
            newslens_core::tokens::tokenize_into(text, sentence.start, sentence.end, &mut tokens);
            tokens
                .iter()
                .map(|t| text[t.start..t.end].to_string())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prose_of_json_is_its_strings_of_five_words_or_more_in_key_order() {
        let json = r#"{"id": "a1", "title": "Bridge closes after the storm",
            "body": ["The council said it would reopen on Monday.", "2020-01-06"]}"#;
        assert_eq!(
            prose_strings_of_json(json),
            vec![
                "The council said it would reopen on Monday.",
                "Bridge closes after the storm"
            ]
        );
        assert!(prose_strings_of_json("not json").is_empty());
    }
}
