//! Text normalisation: one form for every input, without losing anything a reader sees.
//!
//! Unicode spaces (no-break, thin, ideographic…) and tabs become a plain space, runs of spaces one
//! space; line endings become `\n`, trailing spaces go, and more than one blank line becomes one.
//! Invisible characters (zero-width space, soft hyphen, stray byte-order marks, control characters)
//! are dropped. Quotation marks, dashes and letters are kept exactly as they are.

/// Normalises `raw` into the one text every later layer points into.
///
/// ```
/// use newslens_read::normalize::normalize;
/// assert_eq!(normalize("Iran\u{a0}to  reverse\r\n\r\n\r\n“all”\u{200b} measures \n"), "Iran to reverse\n\n“all” measures");
/// ```
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_spaces = false;
    let mut pending_newlines = 0usize;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                pending_newlines += 1;
                pending_spaces = false;
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{0b}' | '\u{0c}' | '\u{85}' => {
                pending_newlines += 1;
                pending_spaces = false;
            }
            ' '
            | '\t'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}' => {
                pending_spaces = true;
            }
            '\u{200b}' | '\u{feff}' | '\u{ad}' | '\u{2060}' => {}
            c if c.is_control() => {}
            c => {
                if !out.is_empty() {
                    if pending_newlines > 0 {
                        out.push_str(if pending_newlines > 1 { "\n\n" } else { "\n" });
                    } else if pending_spaces {
                        out.push(' ');
                    }
                }
                pending_newlines = 0;
                pending_spaces = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn unicode_spaces_become_one_space() {
        assert_eq!(normalize("a\u{a0}\u{2009}b\t\tc"), "a b c");
    }

    #[test]
    fn line_endings_unify_and_blank_runs_collapse() {
        assert_eq!(normalize("a\r\nb\rc\n\n\n\nd"), "a\nb\nc\n\nd");
    }

    #[test]
    fn trailing_and_leading_space_of_lines_and_text_goes() {
        assert_eq!(normalize("  \n a  \n\n  b \u{a0}\n"), "a\n\nb");
    }

    #[test]
    fn quotation_marks_are_kept_as_they_are() {
        assert_eq!(normalize("“a” ‘b’ \"c\" «d» „e“"), "“a” ‘b’ \"c\" «d» „e“");
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(normalize("a\u{200b}b\u{ad}c\u{1}d"), "abcd");
    }
}
