//! ECB+ document clusters: which documents report the same event (Cybulska & Vossen 2014).
//!
//! `gold_doc_clusters.tsv` has a header and one row per document: `doc`, `topic`, `subtopic`,
//! `event_cluster`. Each topic holds two events of one kind (two celebrities entering rehab), so
//! `event_cluster` is the gold for stories and `topic` the easy baseline. This module reads the
//! table only; the documents themselves are plain text files read like any other input.

use crate::GoldError;

/// One document's gold labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcbDocument {
    /// File name inside the documents folder (`1_10ecb.txt`).
    pub doc: String,
    /// Topic number as written.
    pub topic: String,
    /// `ecb` or `ecbplus`.
    pub subtopic: String,
    /// The event cluster (`1_ecb`).
    pub event: String,
}

/// Reads `gold_doc_clusters.tsv`.
pub fn read(path: &str) -> Result<Vec<EcbDocument>, GoldError> {
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Io {
        path: path.to_string(),
        source,
    })?;
    parse(path, &text)
}

/// Parses the table's text; `path` is for error messages.
pub fn parse(path: &str, text: &str) -> Result<Vec<EcbDocument>, GoldError> {
    let mut documents = Vec::new();
    for (line_idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() || (line_idx == 0 && line.starts_with("doc\t")) {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [doc, topic, subtopic, event] = fields[..] else {
            return Err(GoldError::Format {
                path: path.to_string(),
                line: line_idx + 1,
                message: format!("expected 4 tab-separated fields, found {}", fields.len()),
            });
        };
        documents.push(EcbDocument {
            doc: doc.to_string(),
            topic: topic.to_string(),
            subtopic: subtopic.to_string(),
            event: event.to_string(),
        });
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_after_the_header_become_documents() {
        let documents = parse(
            "t.tsv",
            "doc\ttopic\tsubtopic\tevent_cluster\n1_1ecb.txt\t1\tecb\t1_ecb\n",
        )
        .unwrap();
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0].event, "1_ecb");
    }

    #[test]
    fn a_short_row_is_an_error_with_its_line() {
        let error = parse(
            "t.tsv",
            "doc\ttopic\tsubtopic\tevent_cluster\n1_1ecb.txt\t1\n",
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "t.tsv:2: expected 4 tab-separated fields, found 2"
        );
    }
}
