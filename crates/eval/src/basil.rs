//! BASIL (Fan et al., EMNLP 2019): news articles on the same events from Fox News, the New York
//! Times and the Huffington Post, with phrase-level lexical (`bias=lex`) and informational
//! (`bias=inf`) bias spans, read for the `loaded` layer's recall.
//!
//! Layout: `articles/<year>/<triplet>_<n>.json` (`body-paragraphs`: paragraphs as lists of
//! sentences) and `annotations/<year>/<triplet>_<n>_ann.json` (`phrase-level-annotations`, each
//! with `bias`, `txt`, and `start`/`end` character offsets inside *one* sentence, which the file
//! does not name: we find it by matching `txt` at those offsets). This module rebuilds each article's
//! text (sentences joined by a space, paragraphs by a blank line) and gives the spans in character
//! offsets into it. It does not score.

use std::path::Path;

use serde::Deserialize;

use crate::GoldError;

/// One bias span, in character offsets into the rebuilt article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BiasSpan {
    /// `lex` or `inf`.
    pub bias: String,
    /// Whether the annotators marked it as inside a quote.
    pub in_quote: bool,
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset just past the span.
    pub end: usize,
}

/// One article: its rebuilt text and bias spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasilArticle {
    /// The article file, relative to the corpus folder.
    pub name: String,
    /// Sentences joined by a space, paragraphs by a blank line.
    pub text: String,
    /// The phrase-level bias spans that could be placed (all of them, in the released data).
    pub spans: Vec<BiasSpan>,
    /// The outlet as BASIL names it, lower-cased: `fox`, `nyt` or `hpo`.
    pub source: String,
    /// The publication day.
    pub date: Option<String>,
    /// The headline.
    pub title: Option<String>,
}

#[derive(Deserialize)]
struct ArticleFile {
    #[serde(rename = "body-paragraphs")]
    body_paragraphs: Vec<Vec<String>>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

#[derive(Deserialize)]
struct AnnotationFile {
    #[serde(rename = "phrase-level-annotations")]
    phrases: Vec<Phrase>,
}

#[derive(Deserialize)]
struct Phrase {
    bias: String,
    #[serde(default)]
    quote: String,
    start: usize,
    end: usize,
    txt: String,
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, GoldError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Io {
        path: name.clone(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|error| GoldError::Format {
        path: name,
        line: error.line(),
        message: error.to_string(),
    })
}

/// Reads every annotated article under `dir` (holding `articles/` and `annotations/`), in path
/// order. Returns the articles and the number of spans that could not be placed in a sentence.
pub fn read(dir: &str) -> Result<(Vec<BasilArticle>, usize), GoldError> {
    let dir = Path::new(dir);
    let annotations_dir = dir.join("annotations");
    let mut annotation_paths = Vec::new();
    let years = std::fs::read_dir(&annotations_dir).map_err(|source| GoldError::Io {
        path: annotations_dir.display().to_string(),
        source,
    })?;
    for year in years.flatten() {
        for entry in std::fs::read_dir(year.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = entry.path();
            if path.to_string_lossy().ends_with("_ann.json") {
                annotation_paths.push(path);
            }
        }
    }
    annotation_paths.sort();
    let mut articles = Vec::new();
    let mut n_unplaced = 0;
    for annotation_path in annotation_paths {
        let Ok(relative) = annotation_path.strip_prefix(&annotations_dir) else {
            continue;
        };
        let name = relative.to_string_lossy().replace("_ann.json", ".json");
        let article: ArticleFile = read_json(&dir.join("articles").join(&name))?;
        let annotations: AnnotationFile = read_json(&annotation_path)?;
        // Rebuild the text, remembering each sentence's character offset.
        let mut text = String::new();
        let mut n_chars = 0;
        let mut sentences: Vec<(usize, &str)> = Vec::new();
        for (paragraph_idx, paragraph) in article.body_paragraphs.iter().enumerate() {
            if paragraph_idx > 0 {
                text.push_str("\n\n");
                n_chars += 2;
            }
            for (sentence_idx, sentence) in paragraph.iter().enumerate() {
                if sentence_idx > 0 {
                    text.push(' ');
                    n_chars += 1;
                }
                sentences.push((n_chars, sentence.as_str()));
                text.push_str(sentence);
                n_chars += sentence.chars().count();
            }
        }
        let mut spans = Vec::new();
        for phrase in &annotations.phrases {
            let placed = sentences.iter().find(|(_, sentence)| {
                sentence
                    .chars()
                    .skip(phrase.start)
                    .take(phrase.end.saturating_sub(phrase.start))
                    .eq(phrase.txt.chars())
            });
            match placed {
                Some((sentence_start, _)) if phrase.end > phrase.start => spans.push(BiasSpan {
                    bias: phrase.bias.clone(),
                    in_quote: phrase.quote == "yes",
                    start: sentence_start + phrase.start,
                    end: sentence_start + phrase.end,
                }),
                _ => n_unplaced += 1,
            }
        }
        articles.push(BasilArticle {
            name,
            text,
            spans,
            source: article.source.to_lowercase(),
            date: article.date,
            title: article.title,
        });
    }
    Ok((articles, n_unplaced))
}
