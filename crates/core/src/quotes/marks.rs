//! Quotation marks paired into quoted passages.
//!
//! Marks are read a paragraph at a time: curly “ ” and ‘ ’, straight " and ', guillemets « » and
//! German „ “. A double mark opens a passage; single marks only open one at the top level, at a word
//! start, and close before a non-letter (so apostrophes in "Iran’s" or "don’t" are never marks).
//! News style opens a mark on every paragraph of a long quote and closes it only at the end: a
//! passage still open at a paragraph's end continues when the next paragraph opens with a mark, and
//! otherwise ends with its paragraph (a missing closing mark costs the quote nothing).
//!
//! Every pairing of quotation marks in the core lives here: [`quoted_spans_by_line`] is the cruder
//! pairing of double marks over a whole text, line by line, for the layers that know no
//! paragraphs (the entities' pronouns, the loaded-language tagger's training). This module does not
//! decide who said a passage or whether it is a quote at all.

use crate::offsets::Span;

/// One quoted passage, maybe over several paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// The words inside the marks, a span per paragraph, without the marks.
    pub parts: Vec<Span>,
    /// From the opening mark to the closing mark (or the end of the last part), marks included.
    pub outer: Span,
    /// Whether a closing mark was found.
    pub closed: bool,
}

impl Passage {
    /// Whether `offset` lies inside the passage, marks included.
    pub fn contains(&self, offset: usize) -> bool {
        self.outer.start <= offset && offset < self.outer.end
    }
}

/// Two apostrophes written for a double mark (''like this''), read as one mark.
const TWO_APOSTROPHES: char = '\u{2033}';

/// The characters of a paragraph with their byte offsets and lengths, two apostrophes in a row
/// read as one double mark.
fn mark_chars(body: &str) -> Vec<(usize, char, usize)> {
    let mut chars = Vec::with_capacity(body.len());
    let mut iter = body.char_indices().peekable();
    while let Some((offset, c)) = iter.next() {
        if c == '\'' && iter.peek().is_some_and(|&(_, n)| n == '\'') {
            iter.next();
            chars.push((offset, TWO_APOSTROPHES, 2));
        } else {
            chars.push((offset, c, c.len_utf8()));
        }
    }
    chars
}

fn opens_double(c: char) -> Option<char> {
    match c {
        TWO_APOSTROPHES => Some(TWO_APOSTROPHES),
        '“' => Some('”'),
        '„' => Some('“'),
        '«' => Some('»'),
        '"' => Some('"'),
        _ => None,
    }
}

fn opens_single(c: char) -> Option<char> {
    match c {
        '‘' => Some('’'),
        '\'' => Some('\''),
        '‹' => Some('›'),
        _ => None,
    }
}

/// Every quoted passage in `text`, in order, given its paragraphs.
///
/// ```
/// use newslens_core::quotes::quoted_passages;
/// use newslens_core::segment::paragraphs;
/// let text = "“We will win,” she said.\n\n“It starts now.\n\n“And it ends well.”";
/// let passages = quoted_passages(text, &paragraphs(text));
/// let words: Vec<Vec<&str>> = passages
///     .iter()
///     .map(|p| p.parts.iter().map(|s| &text[s.start..s.end]).collect())
///     .collect();
/// assert_eq!(words, [vec!["We will win,"], vec!["It starts now.", "And it ends well."]]);
/// ```
pub fn quoted_passages(text: &str, paragraphs: &[Span]) -> Vec<Passage> {
    let mut passages: Vec<Passage> = Vec::new();
    // A passage left open by the previous paragraph, waiting for this one to open with a mark.
    let mut carried: Option<Passage> = None;
    for paragraph in paragraphs {
        let body = &text[paragraph.start..paragraph.end];
        let chars = mark_chars(body);
        let ahead = MarksAhead::new(&chars);
        let mut pending = continued_passage(text, &chars, carried.take(), &mut passages);
        let mut open: Option<OpenMark> = None;
        for (pos, &(offset, c, len)) in chars.iter().enumerate() {
            let at = paragraph.start + offset;
            let prev = pos.checked_sub(1).map(|p| chars[p].1);
            let next = chars.get(pos + 1).map(|&(_, n, _)| n);
            match open {
                Some(mark) if mark.closed_by(c, prev, next, ahead.after(pos)) => {
                    let inner = Span::new(mark.inner_start, at);
                    let outer_end = at + len;
                    match pending.take() {
                        Some(mut passage) => {
                            passage.parts.push(inner);
                            passage.outer.end = outer_end;
                            passage.closed = true;
                            passages.push(passage);
                        }
                        None => passages.push(Passage {
                            parts: vec![inner],
                            outer: Span::new(mark.open_at, outer_end),
                            closed: true,
                        }),
                    }
                    open = None;
                }
                Some(_) => {}
                None => open = OpenMark::opened_by(c, at, len, prev, next, ahead.after(pos)),
            }
        }
        if let Some(mark) = open {
            // Open at the paragraph's end: a single mark was an apostrophe after all; a double
            // one runs to the end of the paragraph and may continue in the next.
            if !mark.single {
                let inner = Span::new(
                    mark.inner_start,
                    trim_end(text, mark.inner_start, paragraph.end),
                );
                let mut passage = pending.take().unwrap_or(Passage {
                    parts: Vec::new(),
                    outer: Span::new(mark.open_at, inner.end),
                    closed: false,
                });
                passage.parts.push(inner);
                passage.outer.end = inner.end;
                carried = Some(passage);
                continue;
            }
        }
        if let Some(passage) = pending {
            passages.push(passage);
        }
    }
    passages.extend(carried);
    passages.retain(|p| p.parts.iter().any(|s| s.end > s.start));
    passages
}

/// The passage a paragraph continues: the one the previous paragraph left open, when this one
/// opens with the same kind of mark. A passage it does not continue is done and joins
/// `passages`.
fn continued_passage(
    text: &str,
    chars: &[(usize, char, usize)],
    carried: Option<Passage>,
    passages: &mut Vec<Passage>,
) -> Option<Passage> {
    let first_mark = chars
        .iter()
        .find(|(_, c, _)| !c.is_whitespace())
        .filter(|(_, c, _)| opens_double(*c).is_some())
        .map(|&(_, c, _)| c);
    let passage = carried?;
    let continues = first_mark.is_some_and(|c| {
        let opener = mark_chars(&text[passage.outer.start..passage.outer.end])
            .first()
            .map(|&(_, o, _)| o);
        opener == Some(c) || (c == '“' && opener == Some('„'))
    });
    if continues {
        Some(passage)
    } else {
        passages.push(passage);
        None
    }
}

/// An opening mark waiting for its closing one.
#[derive(Clone, Copy)]
struct OpenMark {
    /// Byte offset of the opening mark.
    open_at: usize,
    /// The mark that closes it.
    closer: char,
    /// Byte offset just past the opening mark.
    inner_start: usize,
    /// Whether it is a single mark (‘ or ').
    single: bool,
}

impl OpenMark {
    /// The mark `c` opens, if it opens one where it stands: `prev` and `next` are the characters
    /// around it, `rest` what the paragraph holds after it.
    fn opened_by(
        c: char,
        at: usize,
        len: usize,
        prev: Option<char>,
        next: Option<char>,
        rest: Rest<'_>,
    ) -> Option<OpenMark> {
        let open = |closer: char, single: bool| OpenMark {
            open_at: at,
            closer,
            inner_start: at + len,
            single,
        };
        let at_word_start = prev.is_none_or(|p| {
            p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | '-' | '/' | ':')
        });
        // `”Mr. Lopez embodies …”`: a closing mark written for the opening one, at a word's
        // start and closed later in the paragraph.
        let backwards_opener =
            c == '”' && at_word_start && next.is_some_and(|n| !n.is_whitespace()) && rest.has('”');
        if backwards_opener {
            return Some(open('”', false));
        }
        if let Some(closer) = opens_double(c) {
            let straight = c == '"' || c == TWO_APOSTROPHES;
            let straight_ok = !straight || next.is_some_and(|n| !n.is_whitespace());
            return straight_ok.then(|| open(closer, false));
        }
        let closer = opens_single(c)?;
        // The closing mark must come later, not right after, and before a non-letter.
        let has_closer = rest.has_single_closer(closer);
        (at_word_start && has_closer && next.is_some_and(|n| !n.is_whitespace()))
            .then(|| open(closer, true))
    }

    /// Whether the mark `c` closes this one; `prev`, `next` and `rest` as for [`Self::opened_by`].
    fn closed_by(&self, c: char, prev: Option<char>, next: Option<char>, rest: Rest<'_>) -> bool {
        let closer = self.closer;
        let closes = if c == '"' || c == TWO_APOSTROPHES || c == '\'' || c == '’' && self.single {
            // A straight or single mark closes after a word, before a non-letter.
            c == closer
                && prev.is_some_and(|p| !p.is_whitespace())
                && !next.is_some_and(char::is_alphanumeric)
        } else {
            c == closer
        };
        // `“…," said X` or `"…” said X`: a straight and a curly mark mixed up close the passage
        // when the right closing mark does not come later in the paragraph.
        let mixed_up = matches!((c, closer), ('"', '”') | ('”', '"'))
            && prev.is_some_and(|p| !p.is_whitespace())
            && !next.is_some_and(char::is_alphanumeric)
            && !rest.has(closer);
        closes || mixed_up
    }
}

/// Where each quotation mark last appears in a paragraph, so that "does this mark come later in
/// the paragraph?" costs one comparison instead of a scan of the rest of the paragraph (which made
/// a long paragraph full of apostrophes quadratic).
struct MarksAhead {
    /// The last index of each mark character.
    last: Vec<(char, usize)>,
    /// The last index of each single closing mark that is followed by a non-letter (or ends the
    /// paragraph): where a single quote can close.
    last_single_closer: Vec<(char, usize)>,
}

impl MarksAhead {
    fn new(chars: &[(usize, char, usize)]) -> MarksAhead {
        let mut last: Vec<(char, usize)> = Vec::new();
        let mut last_single_closer: Vec<(char, usize)> = Vec::new();
        let record = |list: &mut Vec<(char, usize)>, c: char, idx: usize| match list
            .iter_mut()
            .find(|(mark, _)| *mark == c)
        {
            Some(entry) => entry.1 = idx,
            None => list.push((c, idx)),
        };
        for (idx, &(_, c, _)) in chars.iter().enumerate() {
            if !is_mark(c) {
                continue;
            }
            record(&mut last, c, idx);
            let before_non_letter = !chars
                .get(idx + 1)
                .is_some_and(|&(_, n, _)| n.is_alphanumeric());
            if before_non_letter {
                record(&mut last_single_closer, c, idx);
            }
        }
        MarksAhead {
            last,
            last_single_closer,
        }
    }

    /// What the paragraph holds after index `pos`.
    fn after(&self, pos: usize) -> Rest<'_> {
        Rest { ahead: self, pos }
    }
}

/// The part of a paragraph after one character, as [`MarksAhead`] answers for it.
#[derive(Clone, Copy)]
struct Rest<'a> {
    ahead: &'a MarksAhead,
    pos: usize,
}

impl Rest<'_> {
    /// Whether the mark `c` comes later in the paragraph.
    fn has(self, c: char) -> bool {
        last_index(&self.ahead.last, c).is_some_and(|idx| idx > self.pos)
    }

    /// Whether the single mark `closer` comes later, not right after, and before a non-letter.
    fn has_single_closer(self, closer: char) -> bool {
        last_index(&self.ahead.last_single_closer, closer).is_some_and(|idx| idx > self.pos + 1)
    }
}

fn last_index(list: &[(char, usize)], c: char) -> Option<usize> {
    list.iter()
        .find(|(mark, _)| *mark == c)
        .map(|&(_, idx)| idx)
}

/// The characters that can open or close a quoted passage.
fn is_mark(c: char) -> bool {
    opens_double(c).is_some() || opens_single(c).is_some() || matches!(c, '”' | '»' | '’' | '›')
}

fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start + text[start..end].trim_end().len()
}

/// Byte spans of quoted text, marks included, for layers that know no paragraphs (the entities'
/// pronouns, the loaded-language tagger's training): double marks only, curly pairs and straight
/// marks paired in order; a span left open ends at the line break, or at the end of the text.
///
/// It is cruder than [`quoted_passages`] (no single marks, no quote continued over paragraphs);
/// the layers that use it were tuned, and the shipped models trained, with it.
pub fn quoted_spans_by_line(text: &str) -> Vec<Span> {
    let mut ranges = Vec::new();
    let mut open: Option<usize> = None;
    for (idx, c) in text.char_indices() {
        match c {
            '“' | '«' | '„' => open = Some(idx),
            '”' | '»' => {
                if let Some(start) = open.take() {
                    ranges.push(Span::new(start, idx + c.len_utf8()));
                }
            }
            '"' => match open.take() {
                Some(start) => ranges.push(Span::new(start, idx + 1)),
                None => open = Some(idx),
            },
            '\n' => {
                if let Some(start) = open.take() {
                    ranges.push(Span::new(start, idx));
                }
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        ranges.push(Span::new(start, text.len()));
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::paragraphs;

    fn parts(text: &str) -> Vec<Vec<&str>> {
        quoted_passages(text, &paragraphs(text))
            .iter()
            .map(|p| p.parts.iter().map(|s| &text[s.start..s.end]).collect())
            .collect()
    }

    #[test]
    fn straight_curly_and_foreign_marks_pair() {
        assert_eq!(
            parts("He said \"yes, now\" and „gut“ and «bien» and “fine” and ''old style''."),
            [
                vec!["yes, now"],
                vec!["gut"],
                vec!["bien"],
                vec!["fine"],
                vec!["old style"]
            ]
        );
    }

    #[test]
    fn apostrophes_are_not_marks() {
        assert_eq!(
            parts("Iran’s leader didn’t say ‘no deal’ to the 90s crowd's ‘big night’."),
            [vec!["no deal"], vec!["big night"]]
        );
    }

    #[test]
    fn single_marks_inside_double_belong_to_the_quote() {
        assert_eq!(
            parts("“They called it ‘a disaster’ at once,” she said."),
            [vec!["They called it ‘a disaster’ at once,"]]
        );
    }

    #[test]
    fn a_missing_closing_mark_ends_with_the_paragraph() {
        assert_eq!(
            parts("“It was a grave error, he said.\n\nThe vote follows."),
            [vec!["It was a grave error, he said."]]
        );
    }

    #[test]
    fn a_straight_mark_closes_a_curly_one_with_no_curly_closer_after_it() {
        assert_eq!(
            parts("“Deals are not a favour,\" Ana Lopez said, calling them \"cheap.\""),
            [vec!["Deals are not a favour,"], vec!["cheap."]]
        );
        assert_eq!(
            parts("She sorted \"work” files from “personal” ones."),
            [vec!["work"], vec!["personal"]]
        );
    }

    #[test]
    fn a_closing_mark_at_a_word_start_opens() {
        assert_eq!(
            parts("”The plan is a gift to the rich.” ― Marta Ilves"),
            [vec!["The plan is a gift to the rich."]]
        );
    }

    #[test]
    fn multi_paragraph_quotes_join() {
        assert_eq!(
            parts("“First part.\n\n“Second part.\n\n“Third part.”\n\nAfter."),
            [vec!["First part.", "Second part.", "Third part."]]
        );
    }
}
