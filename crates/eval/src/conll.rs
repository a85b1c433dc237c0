//! CoNLL-2003 column files (`token POS chunk NER`, IOB1 or IOB2 tags, `-DOCSTART-` between
//! documents) and the mapping of newslens types onto CoNLL's four.
//!
//! Mapping for scoring: PERSON → PER, ORG → ORG, GPE and LOC → LOC, NORP and EVENT → MISC. Only the
//! first column (token) and the last (NER tag) are read. Evaluation only: never train on CoNLL.

use crate::GoldError;

/// A gold mention: token range in its sentence and CoNLL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldSpan {
    /// First token.
    pub start: usize,
    /// Token just past the mention.
    pub end: usize,
    /// PER, ORG, LOC or MISC.
    pub label: &'static str,
}

/// A sentence with its gold mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The tokens.
    pub words: Vec<String>,
    /// Gold mentions.
    pub spans: Vec<GoldSpan>,
}

/// A document: sentences between `-DOCSTART-` lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// Its sentences.
    pub sentences: Vec<Sentence>,
}

/// The CoNLL label for a newslens type name.
pub fn conll_label(newslens_type: &str) -> Option<&'static str> {
    match newslens_type {
        "PERSON" => Some("PER"),
        "ORG" => Some("ORG"),
        "GPE" | "LOC" => Some("LOC"),
        "NORP" | "EVENT" => Some("MISC"),
        _ => None,
    }
}

fn static_label(label: &str) -> Option<&'static str> {
    match label {
        "PER" => Some("PER"),
        "ORG" => Some("ORG"),
        "LOC" => Some("LOC"),
        "MISC" => Some("MISC"),
        _ => None,
    }
}

/// Reads a CoNLL file into documents.
pub fn read(path: &str) -> Result<Vec<Document>, GoldError> {
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Io {
        path: path.to_string(),
        source,
    })?;
    let mut documents = vec![Document::default()];
    let mut words = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let flush = |documents: &mut Vec<Document>, words: &mut Vec<String>, tags: &mut Vec<String>| {
        if !words.is_empty() {
            let spans = spans_of(tags);
            if let Some(document) = documents.last_mut() {
                document.sentences.push(Sentence {
                    words: std::mem::take(words),
                    spans,
                });
            }
            tags.clear();
        }
    };
    for (line_idx, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut documents, &mut words, &mut tags);
            continue;
        }
        let columns: Vec<&str> = line.split_whitespace().collect();
        if columns[0] == "-DOCSTART-" {
            flush(&mut documents, &mut words, &mut tags);
            if documents.last().is_some_and(|d| !d.sentences.is_empty()) {
                documents.push(Document::default());
            }
            continue;
        }
        if columns.len() < 2 {
            return Err(GoldError::Format {
                path: path.to_string(),
                line: line_idx + 1,
                message: "expected a token and a tag".to_string(),
            });
        }
        words.push(columns[0].to_string());
        tags.push(columns[columns.len() - 1].to_string());
    }
    flush(&mut documents, &mut words, &mut tags);
    documents.retain(|d| !d.sentences.is_empty());
    Ok(documents)
}

/// Spans of an IOB1 or IOB2 tag sequence: `B-X` always opens a span; `I-X` opens one unless it
/// continues a span of type X.
fn spans_of(tags: &[String]) -> Vec<GoldSpan> {
    let mut spans: Vec<GoldSpan> = Vec::new();
    let mut open: Option<GoldSpan> = None;
    for (idx, tag) in tags.iter().enumerate() {
        let (prefix, label) = tag.split_once('-').unwrap_or(("O", ""));
        let Some(label) = static_label(label) else {
            spans.extend(open.take());
            continue;
        };
        match (&mut open, prefix) {
            (Some(span), "I") if span.label == label => span.end = idx + 1,
            _ => {
                spans.extend(open.take());
                open = Some(GoldSpan {
                    start: idx,
                    end: idx + 1,
                    label,
                });
            }
        }
    }
    spans.extend(open);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn iob1_spans() {
        let spans = spans_of(&tags(&["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-MISC"]));
        let found: Vec<(usize, usize, &str)> =
            spans.iter().map(|s| (s.start, s.end, s.label)).collect();
        assert_eq!(
            found,
            [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "MISC")]
        );
    }

    #[test]
    fn iob2_spans() {
        let spans = spans_of(&tags(&["B-ORG", "I-ORG", "B-ORG"]));
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[0].start, spans[0].end), (0, 2));
    }

    #[test]
    fn newslens_types_map_to_conll() {
        assert_eq!(conll_label("GPE"), Some("LOC"));
        assert_eq!(conll_label("NORP"), Some("MISC"));
        assert_eq!(conll_label("DATE"), None);
    }
}
