//! Bylines: "By Mara Ellison", "By MARA ELLISON and Tom Best, Political Correspondents",
//! "By Mara Ellison | The Courier", and the names in them.
//!
//! A byline is a whole line; names are split on "and", "&" and commas, roles and outlet names after
//! a comma or bar are dropped. It does not look for bylines inside prose.

use std::sync::LazyLock;

use regex::Regex;

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:by|words by|written by|story by|report by)\s*:?\s+(?P<names>.{2,160})$")
        .expect("the byline pattern is valid")
});

/// Words that mark a byline part as a role, not a name.
static ROLE_WORDS: &[&str] = &[
    "correspondent",
    "editor",
    "reporter",
    "writer",
    "staff",
    "contributor",
    "columnist",
    "producer",
    "analyst",
    "chief",
    "senior",
    "desk",
    "bureau",
    "team",
    "journalist",
    "updated",
    "published",
];

/// The authors named by a byline line, or `None` when the line is not a byline.
///
/// ```
/// use newslens_read::plain::byline_authors;
/// assert_eq!(byline_authors("By MARA ELLISON and Tom Best, Political Correspondents").unwrap(), ["Mara Ellison", "Tom Best"]);
/// assert_eq!(byline_authors("By the time the vote came, the hall was empty."), None);
/// ```
pub fn byline_authors(line: &str) -> Option<Vec<String>> {
    byline(line)
}

pub(crate) fn byline(line: &str) -> Option<Vec<String>> {
    let caps = BYLINE.captures(line.trim())?;
    let names = caps.name("names")?.as_str();
    // Anything after a bar or bullet is the outlet or a date.
    let names = names.split(['|', '•', '·']).next().unwrap_or(names);
    // Every comma part must be a name or a role: "By Tuesday, the council had voted" is prose.
    let all_parts_known = names.split(',').all(|part| {
        let part = part.trim().trim_end_matches('.');
        part.is_empty()
            || is_role(part)
            || part
                .split(" and ")
                .flat_map(|p| p.split(" & "))
                .all(|p| looks_like_name(p.trim()))
    });
    if !all_parts_known {
        return None;
    }
    let authors = split_names(names);
    (!authors.is_empty()).then_some(authors)
}

/// Splits "A, B and C" into names, keeping only parts that look like a person's or agency's name.
pub(crate) fn split_names(names: &str) -> Vec<String> {
    names
        .split(',')
        .flat_map(|part| part.split(" and ").flat_map(|p| p.split(" & ")))
        .map(|part| part.trim().trim_end_matches('.').trim())
        .filter(|part| looks_like_name(part))
        .map(title_case_if_shouting)
        .collect()
}

fn is_role(part: &str) -> bool {
    let lower = part.to_lowercase();
    part.split_whitespace().count() <= 6
        && ROLE_WORDS
            .iter()
            .any(|role| lower.split_whitespace().any(|w| w.starts_with(role)))
}

pub(crate) fn looks_like_name(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || is_role(part) {
        return false;
    }
    // Every word capitalised, allowing particles ("de", "van", "bin"); a script without capitals
    // (Chinese, Arabic, Hebrew…) has nothing to check.
    words.iter().all(|word| {
        let first = word.chars().next().unwrap_or(' ');
        first.is_uppercase()
            || (first.is_alphabetic() && !first.is_lowercase())
            || matches!(
                *word,
                "de" | "van" | "der" | "von" | "bin" | "al" | "da" | "la" | "le" | "di"
            )
    }) && words.iter().any(|w| w.chars().any(char::is_alphabetic))
        && !part.contains(|c: char| c.is_ascii_digit() || c == '@' || c == ':')
}

/// "MARA ELLISON" → "Mara Ellison"; names in mixed case are kept as written.
pub(crate) fn title_case_if_shouting(name: &str) -> String {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || letters.iter().any(|c| c.is_lowercase()) {
        return name.to_string();
    }
    name.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_byline() {
        assert_eq!(byline("By Mara Ellison").unwrap(), ["Mara Ellison"]);
    }

    #[test]
    fn byline_with_outlet_after_a_bar() {
        assert_eq!(
            byline("By Mara Ellison | The Riverside Courier").unwrap(),
            ["Mara Ellison"]
        );
    }

    #[test]
    fn agency_byline() {
        assert_eq!(
            byline("By The Associated Press").unwrap(),
            ["The Associated Press"]
        );
    }

    #[test]
    fn prose_starting_with_by_is_not_a_byline() {
        assert_eq!(
            byline("By Tuesday, the council had voted to close it."),
            None
        );
        assert_eq!(byline("By then"), None);
    }
}
