//! Word tokens: the text cut into words, numbers and punctuation, the way news treebanks cut it
//! ("Iran’s" → "Iran" + "’s", "didn't" → "did" + "n't", "U.S." kept whole, "al-Muhandis" kept whole).
//!
//! Tokens are byte spans over the one text; nothing is copied. Abbreviations come from
//! `data/abbreviations.txt`, the same list the sentence splitter uses. It does not tag or lemmatise.

use crate::offsets::Span;

/// Characters split off the front of a word.
fn is_leading_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '‘' | '\'' | '(' | '[' | '{' | '«' | '„' | '‚' | '¿' | '¡' | '*'
    )
}

/// Characters split off the end of a word.
fn is_trailing_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '”'
            | '’'
            | '\''
            | ')'
            | ']'
            | '}'
            | '»'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '.'
            | '…'
            | '*'
            | '“'
    )
}

/// Clitics split off the end of a word, longest first, with either apostrophe.
const CLITICS: &[&str] = &[
    "n't", "n’t", "'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m",
    "s'", "s’",
];

/// Word tokens of `text` as byte spans, in order.
///
/// ```
/// use newslens_core::tokens::tokenize;
/// let text = "Iran’s “U.S. ally” didn't (yet) agree.";
/// let words: Vec<&str> = tokenize(text).iter().map(|t| &text[t.start..t.end]).collect();
/// assert_eq!(words, ["Iran", "’s", "“", "U.S.", "ally", "”", "did", "n't", "(", "yet", ")", "agree", "."]);
/// ```
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    tokenize_into(text, 0, text.len(), &mut tokens);
    tokens
}

/// Appends the tokens of `text[start..end]` to `tokens`.
pub fn tokenize_into(text: &str, start: usize, end: usize, tokens: &mut Vec<Span>) {
    let mut idx = start;
    while idx < end {
        // Skip white space (the text is normalised: ASCII space and newline only, mostly).
        let c = match text[idx..end].chars().next() {
            Some(c) => c,
            None => break,
        };
        if c.is_whitespace() {
            idx += c.len_utf8();
            continue;
        }
        let chunk_end = text[idx..end]
            .find(char::is_whitespace)
            .map_or(end, |offset| idx + offset);
        split_chunk(text, idx, chunk_end, tokens);
        idx = chunk_end;
    }
}

/// Splits one white-space-free chunk into tokens.
fn split_chunk(text: &str, mut start: usize, mut end: usize, tokens: &mut Vec<Span>) {
    let chunk = &text[start..end];
    if is_link_like(chunk) {
        // Links, handles and hashtags stay whole, but sentence punctuation after them does not.
        let trimmed = chunk.trim_end_matches(['.', ',', ';', ':', ')', '”', '"', '!', '?']);
        tokens.push(Span::new(start, start + trimmed.len()));
        push_each_char(text, start + trimmed.len(), end, tokens);
        return;
    }
    // Leading punctuation, one character a token.
    while start < end {
        let c = text[start..end].chars().next().unwrap_or(' ');
        if is_leading_punct(c) || is_dash(c) {
            tokens.push(Span::new(start, start + c.len_utf8()));
            start += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation, collected from the end and pushed after the word.
    let mut trailing: Vec<Span> = Vec::new();
    while start < end {
        let c = text[start..end].chars().next_back().unwrap_or(' ');
        if c == '.' && keeps_final_stop(&text[start..end]) {
            break;
        }
        if is_trailing_punct(c) || is_dash(c) {
            // "..." is one token.
            if c == '.' && text[start..end].ends_with("...") {
                trailing.push(Span::new(end - 3, end));
                end -= 3;
                continue;
            }
            trailing.push(Span::new(end - c.len_utf8(), end));
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    if start < end {
        split_word(text, start, end, tokens);
    }
    tokens.extend(trailing.into_iter().rev());
}

/// Splits a word on inner dashes and off its clitics.
fn split_word(text: &str, start: usize, end: usize, tokens: &mut Vec<Span>) {
    let word = &text[start..end];
    // "war—and": dashes inside a word separate words; hyphens do not.
    if let Some((offset, dash)) = word
        .char_indices()
        .find(|(offset, c)| is_dash(*c) && *offset > 0)
    {
        split_word(text, start, start + offset, tokens);
        tokens.push(Span::new(start + offset, start + offset + dash.len_utf8()));
        let after = start + offset + dash.len_utf8();
        if after < end {
            split_chunk(text, after, end, tokens);
        }
        return;
    }
    for clitic in CLITICS {
        if word.len() > clitic.len() && word.ends_with(clitic) {
            let cut = end - clitic.len();
            // "s'" is a plural possessive: the apostrophe alone is the clitic.
            if clitic.starts_with('s') {
                let apostrophe = cut + 1;
                tokens.push(Span::new(start, apostrophe));
                tokens.push(Span::new(apostrophe, end));
                return;
            }
            tokens.push(Span::new(start, cut));
            tokens.push(Span::new(cut, end));
            return;
        }
    }
    tokens.push(Span::new(start, end));
}

fn push_each_char(text: &str, start: usize, end: usize, tokens: &mut Vec<Span>) {
    for (offset, c) in text[start..end].char_indices() {
        tokens.push(Span::new(start + offset, start + offset + c.len_utf8()));
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '―')
}

/// Whether a word ending in "." keeps its full stop: abbreviations, initials, dotted acronyms.
fn keeps_final_stop(word: &str) -> bool {
    let bare = word
        .trim_start_matches(|c: char| is_leading_punct(c))
        .trim_end_matches('.');
    if bare.is_empty() {
        return false;
    }
    let n_chars = bare.chars().count();
    (n_chars == 1 && bare.chars().all(char::is_alphabetic))
        || bare.contains('.') && bare.chars().all(|c| c.is_alphabetic() || c == '.')
        || crate::segment::is_abbreviation(bare.to_lowercase().as_str())
}

fn is_link_like(chunk: &str) -> bool {
    chunk.starts_with("http://")
        || chunk.starts_with("https://")
        || chunk.starts_with("www.")
        || chunk.starts_with("pic.twitter.com/")
        || (chunk.len() > 1
            && (chunk.starts_with('@') || chunk.starts_with('#'))
            && chunk[1..].starts_with(|c: char| c.is_alphanumeric()))
        || (chunk.contains('@') && chunk.contains('.') && !chunk.ends_with('@'))
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn possessives_and_negations_split_like_the_treebank() {
        assert_eq!(
            words("Corbyn’s staff haven’t met the Smiths' lawyer."),
            [
                "Corbyn", "’s", "staff", "have", "n’t", "met", "the", "Smiths", "'", "lawyer", "."
            ]
        );
    }

    #[test]
    fn abbreviations_initials_and_acronyms_keep_their_stops() {
        assert_eq!(
            words("Mr. George W. Bush left the U.S. on Jan. 3."),
            ["Mr.", "George", "W.", "Bush", "left", "the", "U.S.", "on", "Jan.", "3", "."]
        );
    }

    #[test]
    fn hyphens_stay_and_dashes_split() {
        assert_eq!(
            words("far-left al-Muhandis—the leader – said"),
            ["far-left", "al-Muhandis", "—", "the", "leader", "–", "said"]
        );
    }

    #[test]
    fn numbers_links_handles_and_hashtags_stay_whole() {
        assert_eq!(
            words("11,000 cars (3.5%) https://t.co/Ab. @Jo #Tag"),
            [
                "11,000",
                "cars",
                "(",
                "3.5%",
                ")",
                "https://t.co/Ab",
                ".",
                "@Jo",
                "#Tag"
            ]
        );
    }

    #[test]
    fn quotes_and_ellipses_are_tokens() {
        assert_eq!(
            words("“conference… he said...”"),
            ["“", "conference", "…", "he", "said", "...", "”"]
        );
    }
}
