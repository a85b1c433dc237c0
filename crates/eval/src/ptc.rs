//! The Propaganda Techniques Corpus (SemEval-2020 Task 11): news articles with character spans of
//! eighteen propaganda techniques, read for the `loaded` layer's evaluation and training.
//!
//! Layout: `articles/article<ID>.txt` (title on line 1, then a sentence a line) and
//! `techniques.labels` (TSV: article id, technique, start, end-exclusive; character offsets into the
//! article file). The `loaded` layer is measured against the union of `Loaded_Language` and
//! `Name_Calling,Labeling` spans. This module reads and converts offsets; it does not score.

use std::collections::BTreeMap;
use std::path::Path;

use crate::GoldError;

/// The techniques whose spans are gold for the `loaded` layer.
pub const LOADED_TECHNIQUES: [&str; 2] = ["Loaded_Language", "Name_Calling,Labeling"];

/// One technique span, in character offsets into the article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TechniqueSpan {
    /// The technique's name as the corpus writes it (`Loaded_Language`, …).
    pub technique: String,
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset just past the span.
    pub end: usize,
}

/// One article with its technique spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PtcArticle {
    /// The corpus id (`111111111`).
    pub id: String,
    /// The article file's text, as written.
    pub text: String,
    /// Every technique span of the article.
    pub spans: Vec<TechniqueSpan>,
}

impl PtcArticle {
    /// The spans of the techniques the `loaded` layer is measured against.
    pub fn loaded_spans(&self) -> impl Iterator<Item = &TechniqueSpan> {
        self.spans
            .iter()
            .filter(|span| LOADED_TECHNIQUES.contains(&span.technique.as_str()))
    }
}

/// Reads every article of the corpus folder `dir` (holding `articles/` and `techniques.labels`),
/// in id order. Articles without labels are kept (they have no gold spans).
pub fn read(dir: &str) -> Result<Vec<PtcArticle>, GoldError> {
    let dir = Path::new(dir);
    let labels_path = dir.join("techniques.labels");
    let labels_name = labels_path.display().to_string();
    let labels = std::fs::read_to_string(&labels_path).map_err(|source| GoldError::Io {
        path: labels_name.clone(),
        source,
    })?;
    let mut spans_by_id: BTreeMap<String, Vec<TechniqueSpan>> = BTreeMap::new();
    for (line_idx, line) in labels.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let format_error = |message: &str| GoldError::Format {
            path: labels_name.clone(),
            line: line_idx + 1,
            message: message.to_string(),
        };
        let [id, technique, start, end] = fields[..] else {
            return Err(format_error("expected four tab-separated fields"));
        };
        let (Ok(start), Ok(end)) = (start.trim().parse(), end.trim().parse()) else {
            return Err(format_error("start and end must be numbers"));
        };
        spans_by_id
            .entry(id.to_string())
            .or_default()
            .push(TechniqueSpan {
                technique: technique.to_string(),
                start,
                end,
            });
    }
    let articles_dir = dir.join("articles");
    let entries = std::fs::read_dir(&articles_dir).map_err(|source| GoldError::Io {
        path: articles_dir.display().to_string(),
        source,
    })?;
    let mut articles = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(id) = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_prefix("article"))
            .and_then(|name| name.strip_suffix(".txt"))
        else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|source| GoldError::Io {
            path: path.display().to_string(),
            source,
        })?;
        articles.push(PtcArticle {
            id: id.to_string(),
            spans: spans_by_id.remove(id).unwrap_or_default(),
            text,
        });
    }
    articles.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(articles)
}
