//! Sentence spans inside paragraphs: punctuation, abbreviations, initials, ellipses and quotation
//! marks.
//!
//! A sentence ends at `.`, `!`, `?` or an ellipsis, together with any closing quotation marks and
//! brackets after it, when white space and a sentence opening follow. The full stop of an
//! abbreviation (`Mr.`, `Gen.`, `U.S.`, `Jan. 3`) or an initial (`George W. Bush`) does not end one;
//! the abbreviation list is `data/abbreviations.txt`. Sentences never cross paragraphs. It does not
//! tokenise words.

use foldhash::HashMap;
use std::sync::LazyLock;

use crate::lexicon;
use crate::offsets::Span;

/// How a full stop after an abbreviation behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AbbreviationClass {
    /// Precedes a name or noun: never ends a sentence.
    Title,
    /// Precedes a number: no break before a digit.
    Number,
    /// May end a sentence: a break only before a usual sentence opener.
    End,
}

static ABBREVIATIONS: LazyLock<HashMap<&'static str, AbbreviationClass>> = LazyLock::new(|| {
    lexicon::items(lexicon::abbreviations())
        .filter_map(|line| {
            let (word, class) = line.split_once(char::is_whitespace)?;
            let class = match class.trim() {
                "title" => AbbreviationClass::Title,
                "number" => AbbreviationClass::Number,
                _ => AbbreviationClass::End,
            };
            Some((word, class))
        })
        .collect()
});

/// Whether `word` (lower-case, without its final full stop) is a known abbreviation.
pub(crate) fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.contains_key(word)
}

static SENTENCE_STARTERS: LazyLock<foldhash::HashSet<&'static str>> =
    LazyLock::new(|| lexicon::items(lexicon::sentence_starters()).collect());

/// Sentence byte spans of `text`, each inside one of `paragraphs`, trimmed, in order.
///
/// ```
/// use newslens_core::segment::{paragraphs, sentences};
/// let text = "Gen. Soleimani died on Jan. 3 in Iraq. “Is it war?” he asked. Nobody knew… The U.S. Army said so.";
/// let spans = sentences(text, &paragraphs(text));
/// assert_eq!(spans.len(), 4);
/// ```
pub fn sentences(text: &str, paragraphs: &[Span]) -> Vec<Span> {
    let mut spans = Vec::new();
    for paragraph in paragraphs {
        split_paragraph(text, *paragraph, &mut spans);
    }
    spans
}

fn split_paragraph(text: &str, paragraph: Span, spans: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut sentence_start = paragraph.start;
    let mut idx = paragraph.start;
    while idx < paragraph.end {
        let terminal_len = terminal_at(bytes, idx);
        if terminal_len == 0 {
            idx += 1;
            continue;
        }
        // Take the whole run of terminal punctuation ("?!", "...") and closing marks after it.
        let terminal_start = idx;
        let mut end = idx;
        loop {
            let len = terminal_at(bytes, end);
            if len > 0 && end < paragraph.end {
                end += len;
                continue;
            }
            let close = closing_mark_at(text, end);
            if close > 0 && end < paragraph.end {
                end += close;
                continue;
            }
            break;
        }
        if ends_sentence(text, paragraph, sentence_start, terminal_start, end) {
            push_trimmed(text, Span::new(sentence_start, end), spans);
            sentence_start = end;
        }
        idx = end.max(idx + 1);
    }
    push_trimmed(text, Span::new(sentence_start, paragraph.end), spans);
}

/// Whether the terminal run `[terminal_start, end)` closes the sentence that began at `sentence_start`.
fn ends_sentence(
    text: &str,
    paragraph: Span,
    sentence_start: usize,
    terminal_start: usize,
    end: usize,
) -> bool {
    if end >= paragraph.end {
        return false; // the paragraph end closes it anyway
    }
    let after = &text[end..paragraph.end];
    let rest = after.trim_start();
    if rest.len() == after.len() {
        return false; // "3.5", "U.S.-led", "t.co/x": no space after the mark
    }
    let Some(next_char) = rest.chars().next() else {
        return false;
    };
    let opens = next_char.is_uppercase()
        || next_char.is_ascii_digit()
        || matches!(
            next_char,
            '“' | '"' | '‘' | '\'' | '«' | '(' | '[' | '#' | '@'
        );
    if !opens {
        return false;
    }
    let terminal = &text[terminal_start..end];
    if !terminal.starts_with('.') || terminal.starts_with("..") {
        return true; // "!", "?" and ellipses end a sentence before a capital
    }
    let word = word_before(text, sentence_start, terminal_start);
    if word.is_empty() {
        return true;
    }
    let next_word = next_word(rest);
    // An initial: "George W. Bush", "J. K. Rowling".
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return false;
    }
    let lower = word.to_lowercase();
    match ABBREVIATIONS.get(lower.as_str()) {
        Some(AbbreviationClass::Title) => false,
        Some(AbbreviationClass::Number) => !next_char.is_ascii_digit(),
        Some(AbbreviationClass::End) => {
            SENTENCE_STARTERS.contains(next_word.to_lowercase().as_str())
        }
        // Unknown dotted abbreviations ("N.A.T.O.") behave like "U.S.".
        None if word.contains('.') => SENTENCE_STARTERS.contains(next_word.to_lowercase().as_str()),
        None => true,
    }
}

/// The word just before a full stop, back to white space or an opening mark.
fn word_before(text: &str, sentence_start: usize, terminal_start: usize) -> &str {
    let before = &text[sentence_start..terminal_start];
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| {
            c.is_whitespace() || matches!(c, '(' | '[' | '“' | '"' | '‘' | '«' | '—' | '–')
        })
        .map_or(0, |(idx, c)| idx + c.len_utf8());
    &before[start..]
}

/// The first word of `rest`, without opening marks.
fn next_word(rest: &str) -> &str {
    let rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = rest
        .find(|c: char| !c.is_alphanumeric() && c != '\'')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The byte length of a terminal mark at `idx` (`.`, `!`, `?`, `…`), or 0.
fn terminal_at(bytes: &[u8], idx: usize) -> usize {
    match bytes.get(idx) {
        Some(b'.' | b'!' | b'?') => 1,
        Some(0xE2) if bytes.get(idx + 1) == Some(&0x80) && bytes.get(idx + 2) == Some(&0xA6) => 3,
        _ => 0,
    }
}

/// The byte length of a closing quotation mark or bracket at `idx`, or 0.
fn closing_mark_at(text: &str, idx: usize) -> usize {
    match text.get(idx..).and_then(|rest| rest.chars().next()) {
        Some(c @ ('"' | '”' | '’' | '\'' | '»' | ')' | ']' | '“')) => c.len_utf8(),
        _ => 0,
    }
}

/// Longest sentence kept whole, in bytes. The longest sentences of the development sets' news run
/// to about 1,500 bytes (long lists, long quoted statements); a longer run of text without a full
/// stop (a scraped table, a hostile upload of one 1 MB "sentence") is cut into pieces of at most
/// this size, so that what is done per sentence (name patterns, quote cues) costs the text's size,
/// not its square.
pub const MAX_SENTENCE_BYTES: usize = 4_000;

fn push_trimmed(text: &str, span: Span, spans: &mut Vec<Span>) {
    let slice = &text[span.start..span.end];
    let mut start = span.start + (slice.len() - slice.trim_start().len());
    let end = span.end - (slice.len() - slice.trim_end().len());
    while end - start > MAX_SENTENCE_BYTES {
        let cut = overlong_cut(text, start, start + MAX_SENTENCE_BYTES);
        push_trimmed(text, Span::new(start, cut), spans);
        start = cut;
    }
    let slice = &text[start..end];
    let start = start + (slice.len() - slice.trim_start().len());
    if start < end {
        spans.push(Span::new(start, end));
    }
}

/// Where to cut an overlong sentence starting at `start` so that the piece ends by `limit`: after
/// the last `;`, `:` or `,` in the piece's second half, else at its last space, else at the last
/// character boundary.
fn overlong_cut(text: &str, start: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let half = start + (limit - start) / 2;
    let after = |found: Option<usize>| found.map(|at| at + 1).filter(|&cut| cut > start);
    after(
        bytes[half..limit]
            .iter()
            .rposition(|b| matches!(b, b';' | b':' | b','))
            .map(|at| half + at),
    )
    .or_else(|| {
        after(
            bytes[start..limit]
                .iter()
                .rposition(u8::is_ascii_whitespace)
                .map(|at| start + at),
        )
    })
    .unwrap_or_else(|| {
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        cut
    })
}

#[cfg(test)]
mod tests {
    use super::{sentences, MAX_SENTENCE_BYTES};
    use crate::segment::paragraphs;

    fn split(text: &str) -> Vec<&str> {
        sentences(text, &paragraphs(text))
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn titles_and_initials_do_not_end_sentences() {
        assert_eq!(
            split("Mr. Price met Gen. Ward. George W. Bush was there."),
            ["Mr. Price met Gen. Ward.", "George W. Bush was there."]
        );
    }

    #[test]
    fn dotted_abbreviations_end_sentences_only_before_usual_openers() {
        assert_eq!(
            split("He moved to the U.S. The talks failed."),
            ["He moved to the U.S.", "The talks failed."]
        );
        assert_eq!(split("The U.S. Army said so."), ["The U.S. Army said so."]);
        assert_eq!(
            split("It ended at 3 p.m. Smith left."),
            ["It ended at 3 p.m. Smith left."]
        );
    }

    #[test]
    fn month_abbreviations_hold_before_numbers() {
        assert_eq!(
            split("He died on Jan. 3 in Baghdad. Then what?"),
            ["He died on Jan. 3 in Baghdad.", "Then what?"]
        );
    }

    #[test]
    fn quotes_ending_in_punctuation_close_the_sentence_after_the_mark() {
        assert_eq!(
            split("“Is it war?” he asked. “No.” She left."),
            ["“Is it war?” he asked.", "“No.”", "She left."]
        );
    }

    #[test]
    fn ellipses_break_only_before_a_capital() {
        assert_eq!(
            split("He spoke… he was describing it. Then… Nothing."),
            ["He spoke… he was describing it.", "Then…", "Nothing."]
        );
        assert_eq!(split("Wait... What?"), ["Wait...", "What?"]);
    }

    #[test]
    fn a_dash_after_an_abbreviation_continues_the_sentence() {
        assert_eq!(
            split("HARLOW BASIN, N.M. — Water is scarce. It was not."),
            ["HARLOW BASIN, N.M. — Water is scarce.", "It was not."]
        );
    }

    #[test]
    fn numbers_and_links_are_not_boundaries() {
        assert_eq!(
            split("Growth was 3.5 per cent at https://t.co/Ab.Cd today."),
            ["Growth was 3.5 per cent at https://t.co/Ab.Cd today."]
        );
    }

    #[test]
    fn sentences_never_cross_paragraphs() {
        assert_eq!(
            split("He added:\n\n“We urge restraint"),
            ["He added:", "“We urge restraint"]
        );
    }

    #[test]
    fn a_run_of_text_without_full_stops_is_cut_into_pieces_that_lose_nothing() {
        let clause = "the council would approve plans for new housing and roads, officials said ";
        let text = clause.repeat(2_000);
        let pieces = split(&text);
        assert!(pieces.len() > 30, "{} pieces", pieces.len());
        assert!(pieces.iter().all(|p| p.len() <= MAX_SENTENCE_BYTES));
        // Cut after a comma, and every word kept in order.
        assert!(pieces[..pieces.len() - 1].iter().all(|p| p.ends_with(',')));
        let words: Vec<&str> = pieces.iter().flat_map(|p| p.split_whitespace()).collect();
        assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn a_word_longer_than_a_sentence_is_cut_between_characters() {
        let text = "é".repeat(5_000);
        let pieces = split(&text);
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn ordinary_long_sentences_stay_whole() {
        let sentence = format!(
            "{}.",
            "He listed the towns of the county, one after another".repeat(25)
        );
        assert!(sentence.len() < MAX_SENTENCE_BYTES);
        assert_eq!(split(&sentence), [sentence.as_str()]);
    }
}
