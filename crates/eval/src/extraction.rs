//! The extraction sets in `../shared/data/extraction`: real web pages with their gold article body
//! (`body/`), publication day (`dates/`), and title and byline (`meta/`).
//!
//! Each folder holds the pages as `NNNN.html` and a `gold.jsonl` with one line a page naming its
//! `file`. This module reads the gold lines; it does not read or extract the pages.

use std::path::Path;

use serde::Deserialize;

use crate::GoldError;

/// One page's gold line. Fields a set does not have are `None`.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPage {
    /// The page's file name in its folder (`0000.html`).
    pub file: String,
    /// The gold article text (`body/`).
    #[serde(default)]
    pub body: Option<String>,
    /// The gold publication day, `YYYY-MM-DD`, or `None` when the page shows none (`dates/`).
    #[serde(default)]
    pub published: Option<String>,
    /// The gold title (`meta/`).
    #[serde(default)]
    pub title: Option<String>,
    /// The gold byline, noisy ("By X | Updated …") or `None` (`meta/`).
    #[serde(default)]
    pub byline: Option<String>,
}

/// Reads a set folder's `gold.jsonl`.
pub fn read(dir: &Path) -> Result<Vec<GoldPage>, GoldError> {
    let path = dir.join("gold.jsonl");
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|source| GoldError::Io {
        path: shown.clone(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(idx, line)| {
            serde_json::from_str(line).map_err(|err| GoldError::Format {
                path: shown.clone(),
                line: idx + 1,
                message: err.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_lines_of_each_set_are_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("gold.jsonl"),
            "{\"file\": \"0000.html\", \"published\": null}\n{\"file\": \"0001.html\", \"published\": \"2020-02-18\", \"title\": \"T\", \"byline\": \"By A\"}\n",
        )
        .unwrap();
        let pages = read(dir.path()).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].published, None);
        assert_eq!(pages[1].published.as_deref(), Some("2020-02-18"));
        assert_eq!(pages[1].byline.as_deref(), Some("By A"));
    }

    #[test]
    fn a_broken_line_names_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gold.jsonl"), "{\"file\": 1}\n").unwrap();
        let err = read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("gold.jsonl:1:"), "{err}");
    }
}
