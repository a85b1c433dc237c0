//! The search syntax users type (SQLite FTS5's: words, "phrases", `AND`/`OR`/`NOT`, parentheses,
//! `prefix*`) and the limits on what one search may cost, shared by every backend.
//!
//! SQLite hands the text to FTS5 as it is; PostgreSQL translates it into a `tsquery`
//! (`postgres/tsquery.rs`). Both refuse the same costly queries first, with the same reasons.
//! Nothing here touches a database.

/// Most terms (words, and the words of phrases) one search may hold: more is no longer a search
/// but a scan, and every term costs a walk of its postings.
pub const MAX_SEARCH_TERMS: usize = 32;
/// Most prefix terms (`word*`) one search may hold.
pub const MAX_PREFIX_TERMS: usize = 8;
/// Fewest letters or digits before a prefix's `*`: `a*` stands for a tenth of the vocabulary,
/// and FTS5 (without a prefix index) merges the postings of every term it stands for. On a corpus
/// of 3,000 articles `a*` takes 190 ms and ten one-letter prefixes ORed 880 ms; `con*` 43 ms.
pub const MIN_PREFIX_CHARS: usize = 3;

/// Refuses a query whose cost is out of proportion before SQLite starts on it: too many terms,
/// too many prefixes, or a prefix too short. Terms are counted as FTS5's tokenizer would split
/// them (runs of letters and digits), outside the operators `AND`, `OR`, `NOT` and `NEAR`; a
/// prefix is the run of letters and digits just before a `*` (or before the closing quote of a
/// phrase followed by `*`).
pub(crate) fn check_cost(text: &str) -> Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    let mut n_terms = 0;
    let mut n_prefixes = 0;
    let mut char_idx = 0;
    while char_idx < chars.len() {
        let c = chars[char_idx];
        if c.is_alphanumeric() {
            let start = char_idx;
            while char_idx < chars.len() && chars[char_idx].is_alphanumeric() {
                char_idx += 1;
            }
            let word: String = chars[start..char_idx].iter().collect();
            if !matches!(word.as_str(), "AND" | "OR" | "NOT" | "NEAR") {
                n_terms += 1;
            }
            continue;
        }
        if c == '*' {
            n_prefixes += 1;
            // The prefix: the run of letters and digits just before, past a phrase's closing quote.
            let mut end = char_idx;
            if end > 0 && chars[end - 1] == '"' {
                end -= 1;
            }
            let mut start = end;
            while start > 0 && chars[start - 1].is_alphanumeric() {
                start -= 1;
            }
            let n_chars = end - start;
            if n_chars < MIN_PREFIX_CHARS {
                let prefix: String = chars[start..end].iter().collect();
                return Err(format!(
                    "the prefix {prefix:?}* is too short: a prefix needs at least \
                     {MIN_PREFIX_CHARS} letters or digits before the *"
                ));
            }
        }
        char_idx += 1;
    }
    if n_terms > MAX_SEARCH_TERMS {
        return Err(too_many_terms(n_terms));
    }
    if n_prefixes > MAX_PREFIX_TERMS {
        return Err(format!(
            "{n_prefixes} prefix terms; a search takes at most {MAX_PREFIX_TERMS}"
        ));
    }
    Ok(())
}

pub(crate) fn too_many_terms(n_terms: usize) -> String {
    format!("{n_terms} terms; a search takes at most {MAX_SEARCH_TERMS}")
}
