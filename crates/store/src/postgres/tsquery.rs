//! The search syntax users type (SQLite FTS5's) turned into the text of a PostgreSQL `tsquery`,
//! for `to_tsquery('english', …)`.
//!
//! | typed                 | FTS5 reads it as                  | tsquery text                 |
//! |-----------------------|-----------------------------------|------------------------------|
//! | `ferry strike`        | both words                        | `'ferry' & 'strike'`         |
//! | `ferry AND strike`    | both words                        | `'ferry' & 'strike'`         |
//! | `ferry OR ship`       | either                            | `'ferry' \| 'ship'`          |
//! | `ferry NOT oban`      | the first without the second      | `'ferry' & !'oban'`          |
//! | `"hook of holland"`   | the words in a row                | `'hook' <-> 'of' <-> 'holland'` |
//! | `harw*`, `"hook of hol"*` | words starting so             | `'harw':*`, `… <-> 'hol':*`  |
//! | `(a OR b) c`          | grouping                          | `('a' \| 'b') & 'c'`         |
//! | `NEAR(a b, 5)`        | both within 5 words               | `'a' & 'b'` (nearness not kept) |
//!
//! Precedence is FTS5's: NOT binds tighter than AND (written or implied), AND tighter than OR.
//! Words are split as FTS5's tokenizer splits them (runs of letters and digits) and written as
//! quoted lexemes, so nothing a user types reaches `to_tsquery` as an operator. What FTS5 would
//! refuse as syntax (a stray quote, a lone operator, punctuation, a column filter `title:x`) is
//! refused here too, and the caller then searches the plain words, as the SQLite store does.
//! Nothing here touches a database.

/// Translates a query into tsquery text, or says why it is not the syntax.
pub fn translate(query: &str) -> Result<String, String> {
    let tokens = lex(query)?;
    let mut parser = Parser {
        tokens: &tokens,
        position: 0,
    };
    let expression = parser.or()?;
    if parser.position != tokens.len() {
        return Err(format!("unexpected {:?}", tokens[parser.position]));
    }
    Ok(expression)
}

/// The words of a query searched as plain words, all of them: the fallback for text that is
/// not the syntax (`words` as `features::words` splits it; a word with an inner apostrophe or
/// point is a phrase of its parts, as FTS5 reads `"o'brien"`). `None` when it has no word.
pub fn plain_words(words: &[String]) -> Option<String> {
    let parts: Vec<String> = words
        .iter()
        .map(|word| words_of(word))
        .filter(|parts| !parts.is_empty())
        .map(|parts| phrase(&parts, false))
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(parts.join(" & "))
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    And,
    Or,
    Not,
    Near,
    /// Words to find in a row (one word for a bare word), and whether the last is a prefix.
    Phrase(Vec<String>, bool),
    /// A number inside NEAR(…).
    Number,
}

/// A bare-word character as FTS5 reads one: letters and digits of ASCII, `_`, anything beyond
/// ASCII.
fn is_bareword_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii()
}

/// The words of a text as FTS5's unicode61 tokenizer splits it: runs of letters and digits,
/// lower-cased.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn lex(query: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = query.chars().collect();
    let mut tokens = Vec::new();
    let mut idx = 0;
    while idx < chars.len() {
        let c = chars[idx];
        match c {
            _ if c.is_whitespace() => idx += 1,
            '(' => {
                tokens.push(Token::Open);
                idx += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                idx += 1;
            }
            ',' => {
                tokens.push(Token::Comma);
                idx += 1;
            }
            '"' => {
                // Up to the closing quote; "" inside stands for one quote.
                let mut text = String::new();
                idx += 1;
                loop {
                    match chars.get(idx) {
                        None => return Err("a phrase without its closing quote".into()),
                        Some('"') if chars.get(idx + 1) == Some(&'"') => {
                            text.push('"');
                            idx += 2;
                        }
                        Some('"') => {
                            idx += 1;
                            break;
                        }
                        Some(&other) => {
                            text.push(other);
                            idx += 1;
                        }
                    }
                }
                let prefix = chars.get(idx) == Some(&'*');
                if prefix {
                    idx += 1;
                }
                let words = words_of(&text);
                if words.is_empty() {
                    return Err("a phrase without words".into());
                }
                tokens.push(Token::Phrase(words, prefix));
            }
            _ if is_bareword_char(c) => {
                let start = idx;
                while idx < chars.len() && is_bareword_char(chars[idx]) {
                    idx += 1;
                }
                let word: String = chars[start..idx].iter().collect();
                let prefix = chars.get(idx) == Some(&'*');
                if prefix {
                    idx += 1;
                }
                let token = match word.as_str() {
                    "AND" if !prefix => Token::And,
                    "OR" if !prefix => Token::Or,
                    "NOT" if !prefix => Token::Not,
                    "NEAR" if !prefix && next_non_space(&chars, idx) == Some('(') => Token::Near,
                    _ if word.chars().all(|c| c.is_ascii_digit())
                        && tokens.last() == Some(&Token::Comma) =>
                    {
                        Token::Number
                    }
                    _ => {
                        let words = words_of(&word);
                        if words.is_empty() {
                            return Err(format!("{word:?} has no letters or digits"));
                        }
                        Token::Phrase(words, prefix)
                    }
                };
                tokens.push(token);
            }
            _ => return Err(format!("{c:?} is not part of the search syntax")),
        }
    }
    Ok(tokens)
}

fn next_non_space(chars: &[char], from: usize) -> Option<char> {
    chars[from..].iter().copied().find(|c| !c.is_whitespace())
}

/// One word as a quoted lexeme; the word holds only letters and digits, so no quote to escape.
fn lexeme(word: &str) -> String {
    format!("'{word}'")
}

fn phrase(words: &[String], prefix: bool) -> String {
    let mut parts: Vec<String> = words.iter().map(|word| lexeme(word)).collect();
    if prefix {
        if let Some(last) = parts.last_mut() {
            last.push_str(":*");
        }
    }
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        format!("({})", parts.join(" <-> "))
    }
}

struct Parser<'a> {
    tokens: &'a [Token],
    position: usize,
}

/// Whether a token ends a phrase or a NEAR group: FTS5 reads two phrases (or groups) side by
/// side as AND, but not a parenthesis beside anything (`(a OR b) c` is a syntax error there).
fn ends_phrase(tokens: &[Token], position: usize) -> bool {
    match position.checked_sub(1).and_then(|idx| tokens.get(idx)) {
        Some(Token::Phrase(..)) => true,
        // The parenthesis closing NEAR(…): the group is a phrase-like unit.
        Some(Token::Close) => {
            let mut depth = 0usize;
            for idx in (0..position).rev() {
                match tokens[idx] {
                    Token::Close => depth += 1,
                    Token::Open => {
                        depth -= 1;
                        if depth == 0 {
                            return idx > 0 && tokens[idx - 1] == Token::Near;
                        }
                    }
                    _ => {}
                }
            }
            false
        }
        _ => false,
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.position);
        self.position += 1;
        token
    }

    fn or(&mut self) -> Result<String, String> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.position += 1;
            parts.push(self.and()?);
        }
        Ok(group(parts, " | "))
    }

    fn and(&mut self) -> Result<String, String> {
        let mut parts = vec![self.not()?];
        loop {
            match self.peek() {
                Some(Token::And) => {
                    self.position += 1;
                    parts.push(self.not()?);
                }
                // Two phrases side by side are AND, as in FTS5.
                Some(Token::Phrase(..) | Token::Near)
                    if ends_phrase(self.tokens, self.position) =>
                {
                    parts.push(self.not()?)
                }
                _ => break,
            }
        }
        Ok(group(parts, " & "))
    }

    fn not(&mut self) -> Result<String, String> {
        let mut expression = self.primary()?;
        while self.peek() == Some(&Token::Not) {
            self.position += 1;
            let excluded = self.primary()?;
            expression = format!("({expression} & !{excluded})");
        }
        Ok(expression)
    }

    fn primary(&mut self) -> Result<String, String> {
        match self.next().cloned() {
            Some(Token::Phrase(words, prefix)) => Ok(phrase(&words, prefix)),
            Some(Token::Open) => {
                let inner = self.or()?;
                match self.next() {
                    Some(Token::Close) => Ok(format!("({inner})")),
                    _ => Err("a parenthesis without its closing one".into()),
                }
            }
            Some(Token::Near) => {
                // NEAR(phrase phrase …[, N]): all the phrases; the distance is not kept.
                if self.next() != Some(&Token::Open) {
                    return Err("NEAR without its parenthesis".into());
                }
                let mut parts = Vec::new();
                while let Some(Token::Phrase(words, prefix)) = self.peek().cloned() {
                    self.position += 1;
                    parts.push(phrase(&words, prefix));
                }
                if parts.is_empty() {
                    return Err("NEAR without phrases".into());
                }
                if self.peek() == Some(&Token::Comma) {
                    self.position += 1;
                    if self.next() != Some(&Token::Number) {
                        return Err("NEAR's distance is not a number".into());
                    }
                }
                match self.next() {
                    Some(Token::Close) => Ok(group(parts, " & ")),
                    _ => Err("NEAR without its closing parenthesis".into()),
                }
            }
            Some(other) => Err(format!("unexpected {other:?}")),
            None => Err("the query ends where a word was expected".into()),
        }
    }
}

fn group(mut parts: Vec<String>, operator: &str) -> String {
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        format!("({})", parts.join(operator))
    }
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[track_caller]
    fn check(query: &str, expected: &str) {
        assert_eq!(translate(query).as_deref(), Ok(expected), "{query}");
    }

    #[test]
    fn words_are_anded_and_operators_keep_fts5_precedence() {
        check("Ferry strike", "('ferry' & 'strike')");
        check("ferry AND strike", "('ferry' & 'strike')");
        check("ferry OR ship strike", "('ferry' | ('ship' & 'strike'))");
        check("ferry NOT oban", "('ferry' & !'oban')");
        check("a b NOT c OR d", "(('a' & ('b' & !'c')) | 'd')");
        check(
            "(ferry OR ship) NOT oban",
            "((('ferry' | 'ship')) & !'oban')",
        );
        check(
            "(ferry OR ship) AND oban",
            "((('ferry' | 'ship')) & 'oban')",
        );
        check("NEAR(a b) c", "(('a' & 'b') & 'c')");
    }

    #[test]
    fn phrases_and_prefixes_become_followed_by_and_prefix_lexemes() {
        check("\"Hook of Holland\"", "('hook' <-> 'of' <-> 'holland')");
        check("harw*", "'harw':*");
        check("\"hook of hol\"*", "('hook' <-> 'of' <-> 'hol':*)");
        check("\"say \"\"no\"\"\"", "('say' <-> 'no')");
        check("NEAR(ferry strike, 5)", "('ferry' & 'strike')");
        check("Zürich", "'zürich'");
    }

    #[test]
    fn what_fts5_refuses_is_refused() {
        for query in [
            "chess \"rook",
            "AND",
            "ferry OR",
            "(ferry",
            "ferry)",
            "title:ferry",
            "a-b",
            "*",
            // FTS5 reads no AND beside a parenthesis.
            "(ferry OR ship) strike",
            "strike (ferry OR ship)",
        ] {
            assert!(translate(query).is_err(), "{query} was read");
        }
    }

    #[test]
    fn nothing_typed_reaches_tsquery_as_an_operator() {
        // Quotes, colons and bangs are outside the syntax: refused, then searched as words.
        assert!(translate("'ferry' | !x").is_err());
        assert_eq!(
            super::plain_words(&["ferry".into(), "o'brien".into()]).as_deref(),
            Some("'ferry' & ('o' <-> 'brien')")
        );
    }
}
