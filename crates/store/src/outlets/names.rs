//! Outlet names: "Fox News", "foxnews.com" and "FOX" are one outlet.
//!
//! The store keeps each article's *source* as written — the outlet name it came with, lower-cased
//! and trimmed, or else its URL's host without `www.` ([`source_key`]) — and aggregates per
//! source. [`OutletNames`] maps sources to outlets when a profile is read, so a new or edited
//! names file changes the profiles at once, with no rebuild. The built-in list is
//! `data/outlets.txt`; a user's file in the same format extends it and may attach the user's own
//! labels. This module does not read the database.

use std::collections::{BTreeMap, HashMap};

/// The built-in names, hosts and qualifiers.
const BUILT_IN: &str = include_str!("../../data/outlets.txt");

/// One outlet: its display name, the user's labels, and the names and hosts it goes by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlet {
    /// The name shown.
    pub name: String,
    /// Labels the user's file gave it (never built in).
    pub labels: Vec<String>,
}

/// A line of a names file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct NamesError {
    /// The file.
    pub path: String,
    /// The line, from 1 (0 when the file could not be read at all).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The mapping from sources to outlets: built in, plus what a user's file adds.
#[derive(Debug, Clone)]
pub struct OutletNames {
    outlets: Vec<Outlet>,
    /// Lower-cased name or host → index in `outlets`.
    by_key: HashMap<String, usize>,
    /// Qualifiers dropped from the end of a name before looking it up, lower-cased ("(news)").
    qualifiers: Vec<String>,
}

impl Default for OutletNames {
    fn default() -> OutletNames {
        OutletNames::built_in()
    }
}

impl OutletNames {
    /// The built-in list alone.
    pub fn built_in() -> OutletNames {
        let mut names = OutletNames {
            outlets: Vec::new(),
            by_key: HashMap::new(),
            qualifiers: Vec::new(),
        };
        names
            .add_lines("data/outlets.txt", BUILT_IN, false)
            .expect("the built-in outlet list reads");
        names
    }

    /// The built-in list extended by a user's file (`--outlets FILE`).
    pub fn with_file(path: &str) -> Result<OutletNames, NamesError> {
        let text = std::fs::read_to_string(path).map_err(|error| NamesError {
            path: path.to_string(),
            line: 0,
            message: error.to_string(),
        })?;
        let mut names = OutletNames::built_in();
        names.add_lines(path, &text, true)?;
        Ok(names)
    }

    /// The built-in list extended by the lines of a user's file held in memory.
    pub fn with_text(path: &str, text: &str) -> Result<OutletNames, NamesError> {
        let mut names = OutletNames::built_in();
        names.add_lines(path, text, true)?;
        Ok(names)
    }

    /// Reads lines of the names format: `NAME<TAB>ALIAS<TAB>…`, where a field `label:TEXT` (in a
    /// user's file only) is a label. A line sharing a name or host with a known outlet joins it,
    /// and its first field becomes the outlet's display name.
    fn add_lines(&mut self, path: &str, text: &str, users: bool) -> Result<(), NamesError> {
        for (line_idx, line) in text.lines().enumerate() {
            let error = |message: String| NamesError {
                path: path.to_string(),
                line: line_idx + 1,
                message,
            };
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line
                .split('\t')
                .map(str::trim)
                .filter(|field| !field.is_empty())
                .collect();
            let Some(first) = fields.first() else {
                continue;
            };
            if first.starts_with('(') && fields.len() == 1 {
                self.qualifiers.push(first.to_lowercase());
                continue;
            }
            let mut keys = Vec::new();
            let mut labels = Vec::new();
            for field in &fields {
                match field.strip_prefix("label:") {
                    Some(label) if users => {
                        let label = label.trim();
                        if label.is_empty() {
                            return Err(error("an empty label".into()));
                        }
                        labels.push(label.to_string());
                    }
                    Some(_) => return Err(error("labels belong in a user's file".into())),
                    None => keys.push(normalise(field)),
                }
            }
            if first.starts_with("label:") {
                return Err(error(
                    "a line starts with its outlet's name, not a label".into(),
                ));
            }
            let known = keys.iter().find_map(|key| self.by_key.get(key).copied());
            let outlet_idx = match known {
                Some(outlet_idx) => {
                    self.outlets[outlet_idx].name = first.to_string();
                    outlet_idx
                }
                None => {
                    self.outlets.push(Outlet {
                        name: first.to_string(),
                        labels: Vec::new(),
                    });
                    self.outlets.len() - 1
                }
            };
            for label in labels {
                if !self.outlets[outlet_idx].labels.contains(&label) {
                    self.outlets[outlet_idx].labels.push(label);
                }
            }
            for key in keys {
                self.by_key.insert(key, outlet_idx);
            }
        }
        Ok(())
    }

    /// The outlet a source belongs to, if the names know it: by the whole name, the name without
    /// a trailing qualifier, or a host or any parent domain of it.
    pub fn find(&self, source: &str) -> Option<&Outlet> {
        let key = normalise(source);
        if let Some(&outlet_idx) = self.by_key.get(&key) {
            return Some(&self.outlets[outlet_idx]);
        }
        for qualifier in &self.qualifiers {
            if let Some(stem) = key.strip_suffix(qualifier.as_str()) {
                if let Some(&outlet_idx) = self.by_key.get(stem.trim()) {
                    return Some(&self.outlets[outlet_idx]);
                }
            }
        }
        if key.contains('.') && !key.contains(' ') {
            let mut host = key.as_str();
            while let Some((_, parent)) = host.split_once('.') {
                if !parent.contains('.') {
                    break;
                }
                if let Some(&outlet_idx) = self.by_key.get(parent) {
                    return Some(&self.outlets[outlet_idx]);
                }
                host = parent;
            }
        }
        None
    }

    /// The display name of the outlet a source belongs to; a source the names do not know is an
    /// outlet of its own, shown as first written (`written`).
    pub fn outlet_name(&self, source: &str, written: &str) -> String {
        self.find(source)
            .map(|outlet| outlet.name.clone())
            .unwrap_or_else(|| written.to_string())
    }

    /// The user's labels of the outlet named `name` (display name or any alias).
    pub fn labels(&self, name: &str) -> Vec<String> {
        self.find(name)
            .map(|outlet| outlet.labels.clone())
            .unwrap_or_default()
    }

    /// Groups sources (source key → name as written) by outlet: display name → its sources.
    pub fn group<'a>(
        &self,
        sources: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> BTreeMap<String, Vec<String>> {
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (source, written) in sources {
            groups
                .entry(self.outlet_name(source, written))
                .or_default()
                .push(source.to_string());
        }
        groups
    }
}

/// A name or host as looked up: trimmed, lower-cased, inner spaces single, `www.` dropped.
fn normalise(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let joined = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(joined)
}

/// The source an article is aggregated under: its outlet as written (normalised), else its URL's
/// host, else the empty string (no outlet).
pub fn source_key(outlet: Option<&str>, url: Option<&str>) -> (String, String) {
    if let Some(outlet) = outlet.map(str::trim).filter(|outlet| !outlet.is_empty()) {
        return (normalise(outlet), outlet.to_string());
    }
    if let Some(host) = url.and_then(url_host) {
        let key = normalise(&host);
        return (key.clone(), key);
    }
    (String::new(), String::new())
}

/// The host of an http(s) URL, without user info or port.
fn url_host(url: &str) -> Option<String> {
    let rest = url
        .trim()
        .strip_prefix("https://")
        .or_else(|| url.trim().strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fox_news_foxnews_com_and_fox_are_one_outlet() {
        let names = OutletNames::built_in();
        for source in [
            "Fox News",
            "foxnews.com",
            "FOX",
            "www.foxnews.com",
            "video.foxnews.com",
        ] {
            assert_eq!(names.outlet_name(source, source), "Fox News", "{source}");
        }
    }

    #[test]
    fn a_trailing_news_qualifier_is_dropped_but_opinion_is_kept() {
        let names = OutletNames::built_in();
        assert_eq!(
            names.outlet_name("New York Times (News)", "New York Times (News)"),
            "The New York Times"
        );
        assert_eq!(
            names.outlet_name("New York Times (Opinion)", "New York Times (Opinion)"),
            "New York Times (Opinion)"
        );
    }

    #[test]
    fn an_unknown_source_is_an_outlet_of_its_own() {
        let names = OutletNames::built_in();
        assert_eq!(
            names.outlet_name("harbour gazette", "Harbour Gazette"),
            "Harbour Gazette"
        );
    }

    #[test]
    fn a_users_file_adds_names_and_labels_and_renames() {
        let names = OutletNames::with_text(
            "mine.tsv",
            "# mine\nFox\tfox news\tlabel:my lean: right\nHarbour Gazette\tgazette.example\tlabel:local\n",
        )
        .unwrap();
        assert_eq!(names.outlet_name("foxnews.com", "foxnews.com"), "Fox");
        assert_eq!(names.labels("Fox"), vec!["my lean: right".to_string()]);
        assert_eq!(
            names.outlet_name("gazette.example", "gazette.example"),
            "Harbour Gazette"
        );
        assert!(names.labels("CNN").is_empty());
    }

    #[test]
    fn a_bad_line_in_a_users_file_names_the_file_and_line() {
        let error = OutletNames::with_text("mine.tsv", "Fox\tlabel:\n").unwrap_err();
        assert_eq!(error.to_string(), "mine.tsv:1: an empty label");
    }

    #[test]
    fn the_source_is_the_outlet_as_written_else_the_host() {
        assert_eq!(
            source_key(Some(" Fox News "), Some("https://www.cnn.com/x")),
            ("fox news".into(), "Fox News".into())
        );
        assert_eq!(
            source_key(None, Some("https://user@www.CNN.com:443/x?y")),
            ("cnn.com".into(), "cnn.com".into())
        );
        assert_eq!(source_key(None, None), (String::new(), String::new()));
    }
}
