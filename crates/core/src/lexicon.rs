//! Word lists compiled into the binary from `data/` files: one item a line, `#` starts a comment.
//!
//! Language knowledge lives in data files so it can be read, reviewed and extended without touching
//! code. This module only parses those files; what each list means belongs to its user.

/// The items of a data file: trimmed lines, without blank lines and `#` comments.
pub fn items(file: &'static str) -> impl Iterator<Item = &'static str> {
    file.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// Month names: `(month number, every spelling)`, from the contract's `data/months.txt` (dates
/// in the contract are read with the same names).
pub fn months() -> Vec<(u8, Vec<&'static str>)> {
    newslens_contract::dates::months()
}

/// Abbreviations after which a full stop does not end a sentence, from `data/abbreviations.txt`,
/// lower-case and without their final full stop.
pub fn abbreviations() -> &'static str {
    include_str!("../data/abbreviations.txt")
}

/// Titles and office words that precede names, from `data/titles.txt`.
pub fn titles() -> &'static str {
    include_str!("../data/titles.txt")
}

static TITLES: std::sync::LazyLock<foldhash::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| items(titles()).collect());

/// Whether a word is a title or office word ("President", "Gen.", "spokesman"), in any case.
pub fn is_title(word: &str) -> bool {
    let bare = word.trim_end_matches('.').to_lowercase();
    TITLES.contains(bare.as_str())
}

/// Words that open sentences often and names rarely, from `data/sentence_starters.txt`.
pub fn sentence_starters() -> &'static str {
    include_str!("../data/sentence_starters.txt")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_twelve_in_calendar_order() {
        let months = months();
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], (1, vec!["january", "jan"]));
        assert_eq!(months[11].0, 12);
    }
}
