//! Is this first line a headline? Short, not a sentence of prose, not a credit.
//!
//! Plain-text articles often open with their headline on a line of its own. A headline is short,
//! does not end in a full stop, comma or colon, and starts with a capital or a digit or a quotation
//! mark. The caller checks the line's place (first, and followed by a blank line).

/// Headlines longer than this many words are prose.
const MAX_HEADLINE_WORDS: usize = 25;

/// Whether `line` reads as a headline.
pub fn is_headline(line: &str) -> bool {
    let line = line.trim();
    let n_words = line.split_whitespace().count();
    if !(2..=MAX_HEADLINE_WORDS).contains(&n_words) || line.len() > 220 {
        return false;
    }
    // A final full stop marks prose, except on a headline in Title Case (some archives add one).
    if line.ends_with([',', ';', ':'])
        || (line.ends_with('.') && !line.ends_with("...") && !is_title_case(line))
    {
        return false;
    }
    let first = line.chars().next().unwrap_or(' ');
    (first.is_uppercase() || first.is_ascii_digit() || matches!(first, '“' | '"' | '‘' | '\''))
        && line.chars().any(char::is_alphabetic)
        && !line.contains("http")
}

/// Whether most words of four letters or more start with a capital ("Clinton Plan for Taxes Is
/// Expansive but Complex").
fn is_title_case(line: &str) -> bool {
    let long_words: Vec<&str> = line
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let n_capitalised = long_words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    long_words.len() >= 2 && n_capitalised * 10 >= long_words.len() * 8
}

#[cfg(test)]
mod tests {
    use super::is_headline;

    #[test]
    fn headlines() {
        assert!(is_headline("Council to close library"));
        assert!(is_headline("‘A sad day’: town mourns its library"));
        assert!(is_headline("Will the library close?"));
        assert!(is_headline(
            "Clinton Plan for Taxes Is Expansive but Complex."
        ));
    }

    #[test]
    fn not_headlines() {
        assert!(!is_headline("The council voted on Tuesday."));
        assert!(!is_headline(
            "Trump not walking the walk on his tax claims."
        ));
        assert!(!is_headline("Word"));
        assert!(!is_headline("he added:"));
        assert!(!is_headline(&"word ".repeat(30)));
    }
}
