//! Paragraph spans from the line structure of a normalised text.
//!
//! A blank line always ends a paragraph. A single line break ends one too, unless the text is
//! hard-wrapped there: the line runs on without closing punctuation into a line that starts in
//! lower case. It does not look inside lines.

use crate::offsets::Span;

/// Paragraph byte spans of `text`, trimmed of surrounding white space, in order.
///
/// ```
/// use newslens_core::segment::paragraphs;
/// let text = "First paragraph.\n\nSecond one, hard\nwrapped here.\nThird.";
/// let spans = paragraphs(text);
/// let found: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
/// assert_eq!(found, ["First paragraph.", "Second one, hard\nwrapped here.", "Third."]);
/// ```
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut paragraph_start: Option<usize> = None;
    let mut previous_line: Option<(usize, usize)> = None;
    let mut line_start = 0;
    while line_start <= text.len() {
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..])
            .map_or(text.len(), |idx| line_start + idx);
        let line = &text[line_start..line_end];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let (Some(start), Some((_, prev_end))) = (paragraph_start.take(), previous_line) {
                spans.push(Span::new(start, prev_end));
            }
            previous_line = None;
        } else {
            let content_start = line_start + (line.len() - line.trim_start().len());
            let content_end = content_start + trimmed.len();
            match (paragraph_start, previous_line) {
                (Some(start), Some((prev_start, prev_end))) => {
                    if !continues(&text[prev_start..prev_end], trimmed) {
                        spans.push(Span::new(start, prev_end));
                        paragraph_start = Some(content_start);
                    }
                }
                _ => paragraph_start = Some(content_start),
            }
            previous_line = Some((content_start, content_end));
        }
        if line_end == text.len() {
            break;
        }
        line_start = line_end + 1;
    }
    if let (Some(start), Some((_, prev_end))) = (paragraph_start, previous_line) {
        spans.push(Span::new(start, prev_end));
    }
    spans
}

/// Whether `next` carries on the line `previous` (a hard wrap) rather than starting a paragraph.
fn continues(previous: &str, next: &str) -> bool {
    let ends_open =
        !previous.ends_with(['.', '!', '?', ':', '"', '”', '’', '\'', ')', ']', '…', '»']);
    let starts_lower = next.chars().next().is_some_and(char::is_lowercase);
    ends_open && starts_lower
}

#[cfg(test)]
mod tests {
    use super::paragraphs;

    fn texts(text: &str) -> Vec<&str> {
        paragraphs(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        assert_eq!(texts("\n\nOne.\n\n\n  Two.  \n\n"), ["One.", "Two."]);
    }

    #[test]
    fn single_line_breaks_separate_paragraphs_unless_hard_wrapped() {
        assert_eq!(
            texts("One line.\nAnother line."),
            ["One line.", "Another line."]
        );
        assert_eq!(
            texts("A sentence that runs\non to the next line."),
            ["A sentence that runs\non to the next line."]
        );
    }

    #[test]
    fn empty_and_blank_texts_have_no_paragraphs() {
        assert!(texts("").is_empty());
        assert!(texts(" \n \n").is_empty());
    }
}
