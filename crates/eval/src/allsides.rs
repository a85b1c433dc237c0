//! AllSides headline roundups: one story, the leads of two or three outlets (left, centre, right).
//!
//! `roundups.jsonl` holds one story a line: `id`, `issue`, `date`, `roundup`, and `news` with an
//! entry per side giving `newsSource`, `newsTitle`, `newsLink` and `newBody` (the lead paragraphs).
//! The gold for story grouping is simple: the leads of one roundup belong together. This module
//! reads the file only.

use crate::GoldError;

/// One outlet's lead of one story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    /// The roundup's id: the gold story.
    pub story: String,
    /// `left`, `center` or `right`.
    pub side: String,
    /// The outlet as AllSides names it ("New York Times (News)").
    pub outlet: Option<String>,
    /// The outlet's headline.
    pub title: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// The roundup's date (`YYYY-MM-DD`), the nearest thing to the lead's publication date.
    pub date: Option<String>,
    /// The lead paragraphs, separated by blank lines.
    pub text: String,
}

/// Reads `roundups.jsonl`; leads without text are skipped.
pub fn read(path: &str) -> Result<Vec<Lead>, GoldError> {
    let text = std::fs::read_to_string(path).map_err(|source| GoldError::Io {
        path: path.to_string(),
        source,
    })?;
    parse(path, &text)
}

/// Parses the file's text; `path` is for error messages.
pub fn parse(path: &str, text: &str) -> Result<Vec<Lead>, GoldError> {
    let mut leads = Vec::new();
    for (line_idx, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let format_error = |message: String| GoldError::Format {
            path: path.to_string(),
            line: line_idx + 1,
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|error| format_error(error.to_string()))?;
        let story = match &value["id"] {
            serde_json::Value::Number(number) => number.to_string(),
            serde_json::Value::String(id) => id.clone(),
            _ => return Err(format_error("a roundup without an id".into())),
        };
        let date = value["date"]
            .as_str()
            .and_then(|date| date.get(..10))
            .map(str::to_string);
        let Some(news) = value["news"].as_object() else {
            continue;
        };
        let mut sides: Vec<(&String, &serde_json::Value)> = news.iter().collect();
        sides.sort_by_key(|(side, _)| side.as_str());
        for (side, item) in sides {
            let paragraphs: Vec<&str> = item["newBody"]
                .as_array()
                .map(|body| body.iter().filter_map(|p| p.as_str()).collect())
                .unwrap_or_default();
            let text = paragraphs.join("\n\n");
            if text.trim().is_empty() {
                continue;
            }
            let field = |name: &str| item[name].as_str().map(str::to_string);
            leads.push(Lead {
                story: story.clone(),
                side: side.clone(),
                outlet: field("newsSource"),
                title: field("newsTitle"),
                url: field("newsLink"),
                date: date.clone(),
                text,
            });
        }
    }
    Ok(leads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_side_with_text_is_a_lead_of_the_story() {
        let line = r#"{"id": 7, "date": "2021-05-01T10:00:00-07:00", "news": {
            "right": {"newsSource": "R Daily", "newsTitle": "T1", "newsLink": "https://r.example/1", "newBody": ["One.", "Two."]},
            "left": {"newsSource": "L Times", "newsTitle": "T2", "newBody": []}}}"#;
        let leads = parse("r.jsonl", &line.replace('\n', " ")).unwrap();
        assert_eq!(leads.len(), 1);
        assert_eq!(leads[0].story, "7");
        assert_eq!(leads[0].date.as_deref(), Some("2021-05-01"));
        assert_eq!(leads[0].text, "One.\n\nTwo.");
    }
}
