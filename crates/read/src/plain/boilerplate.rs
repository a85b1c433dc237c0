//! Whole-line page furniture: credits, share and newsletter prompts, related links, adverts.
//!
//! Patterns are data (`data/boilerplate.txt`, one `kind<TAB>regex` a line), matched against a whole
//! trimmed line. Only short lines are tested: a paragraph of prose is never furniture, and the
//! length gate keeps the cost off long lines.

use std::sync::{LazyLock, OnceLock};

use regex::{Regex, RegexSet};

use newslens_contract::BoilerplateKind;

/// Lines longer than this (in bytes) are prose, never furniture.
const MAX_FURNITURE_LEN: usize = 240;

struct Patterns {
    kinds: Vec<BoilerplateKind>,
    sources: Vec<String>,
    set: RegexSet,
    /// Each pattern on its own, compiled the first time it matches (to read its `author` group):
    /// most never match, and compiling all of them up front doubles start-up time.
    regexes: Vec<OnceLock<Option<Regex>>>,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let mut kinds = Vec::new();
    let mut sources = Vec::new();
    for line in include_str!("../../data/boilerplate.txt").lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((kind, pattern)) = line.split_once('\t') else {
            continue;
        };
        let kind = BoilerplateKind::from_name(kind.trim())
            .expect("every kind in data/boilerplate.txt is a contract boilerplate kind");
        kinds.push(kind);
        sources.push(format!(r"(?i)^(?:{})$", pattern.trim()));
    }
    let set = RegexSet::new(&sources).expect("boilerplate patterns are valid");
    let regexes = sources.iter().map(|_| OnceLock::new()).collect();
    Patterns {
        kinds,
        sources,
        set,
        regexes,
    }
});

/// A line recognised as furniture.
#[derive(Debug, PartialEq, Eq)]
pub struct Furniture<'l> {
    /// Its kind, from the data file.
    pub kind: BoilerplateKind,
    /// An author the line names (an author footer, a credit line).
    pub author: Option<&'l str>,
}

/// The kind of furniture `line` is, if it is furniture.
pub fn classify(line: &str) -> Option<Furniture<'_>> {
    let line = line.trim();
    if line.is_empty() || line.len() > MAX_FURNITURE_LEN {
        return None;
    }
    let patterns = &*PATTERNS;
    let pattern_idx = patterns.set.matches(line).into_iter().next()?;
    let author = patterns.regexes[pattern_idx]
        .get_or_init(|| Regex::new(&patterns.sources[pattern_idx]).ok())
        .as_ref()
        .and_then(|regex| regex.captures(line))
        .and_then(|caps| caps.name("author"))
        .map(|author| author.as_str().trim());
    Some(Furniture {
        kind: patterns.kinds[pattern_idx],
        author,
    })
}

#[cfg(test)]
mod tests {
    use super::classify;
    use newslens_contract::BoilerplateKind;

    fn kind(line: &str) -> Option<&'static str> {
        classify(line).map(|found| found.kind.as_str())
    }

    #[test]
    fn image_credits() {
        assert_eq!(kind("Main image: Getty"), Some("image_credit"));
        assert_eq!(kind("(Photo: Reuters/Ana Ruiz)"), Some("image_credit"));
        assert_eq!(kind("Getty Images"), Some("image_credit"));
    }

    #[test]
    fn author_footer_names_its_author() {
        let found = classify("Follow Jack Smith on Twitter: @JackSmith").unwrap();
        assert_eq!(found.kind, BoilerplateKind::AuthorFooter);
        assert_eq!(found.author, Some("Jack Smith"));
    }

    #[test]
    fn prose_is_not_furniture() {
        assert_eq!(
            kind("Follow the money, she said, and you will find the truth about the deal."),
            None
        );
        assert_eq!(
            kind("Related parties were not consulted before the vote on Tuesday."),
            None
        );
        assert_eq!(kind(&"a ".repeat(200)), None);
    }
}
