//! Attribution clauses: a reporting cue, its source and its content, read a sentence at a time.
//!
//! A cue (`cues.rs`) outside quotation marks opens a clause. Its source is the noun phrase before it
//! ("Corbyn tweeted", "a senior official said"), behind an apposition ("Kemp, former commander of …,
//! said") or a relative ("the man who said"), or after it ("said Corbyn"); "according to X" names it
//! after the cue. Its content is what the clause reports:
//! - before the tag, when the tag closes the sentence (`"…," Corbyn said.` / `…, he said.`);
//! - after it, from "that" or the colon when there is one (`He insisted the UK …`);
//! - both, when a quote is split around the tag (`"…," she said, "…"`);
//! - the next quoted passage, when the tag ends with a colon;
//! - the quoted passage just before, when the tag stands alone ("He added.").
//!
//! Content that touches a quoted passage takes the whole passage, so multi-sentence and
//! multi-paragraph quotes stay one quote. Passages no clause claims are left to [`attribute`]'s last
//! step: speech-like ones go to the speaker before them, fragments to their sentence's subject
//! (`fragments.rs`), titles and scare quotes are dropped.
//!
//! This file holds the clause reader itself: its tokens, the driving loop over sentences,
//! transcript turns ("PENCE: Well, …") and the token-range helpers every part shares. The parts
//! live beside it, one concept each:
//! - `words.rs`: word classes (clause openers, auxiliaries, title words …) and whether a cue word is
//!   used as a verb;
//! - `source.rs`: the source before or after the cue, through appositions and relatives;
//! - `content.rs`: one clause read at its cue, and where its content lies;
//! - `quote.rs`: a clause made a quote — passages claimed, kind, speaker, channel;
//! - `unclaimed.rs`: passages no clause claimed, signatures after a passage;
//! - `fragments.rs`: short quoted fragments as mixed quotes.
//!
//! It does not find quotation marks (`marks.rs`) or resolve a source to an entity (`speaker.rs`).

mod content;
mod fragments;
mod quote;
mod reach;
mod source;
mod unclaimed;
mod words;

use std::ops::Range;

use super::cues::CueMatch;
use super::speaker::{self, MentionIndex};
use super::{FoundQuote, Passage, PostWords};
use crate::deadline::Deadline;
use crate::entities::FoundEntity;
use crate::ner::EntityType;
use crate::offsets::Span;
use words::names_a_title;

/// Sentences back that a pronoun speaker may continue the current speaker.
const SPEAKER_REACH: usize = 4;

/// A token with what the clause reader needs to know about it.
pub(super) struct Tok {
    span: Span,
    lower: String,
    /// The quoted passage it lies in.
    passage: Option<usize>,
    /// Whether it contains a letter or digit.
    word: bool,
    /// Whether it starts with an upper-case letter.
    capital: bool,
}

/// A list of token ranges starting with one (more may be pushed: a split quote's second part).
fn ranges_of(first: Range<usize>) -> Vec<Range<usize>> {
    let mut ranges = Vec::with_capacity(2);
    ranges.push(first);
    ranges
}

/// Where a clause's content lies, in token ranges.
enum Content {
    Tokens(Vec<Range<usize>>),
    /// The next quoted passage (or post): the tag ended with a colon.
    Following,
    /// Nothing in this sentence: the tag stands alone and reports the passage before it.
    Preceding,
}

struct Clause {
    cue: Option<(Range<usize>, CueMatch)>,
    source: Option<Span>,
    content: Content,
    /// Token after which reading goes on.
    resume: usize,
}

struct Reader<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    /// Token ranges of sentences.
    sentences: Vec<Range<usize>>,
    /// Paragraph index of each sentence.
    sentence_paragraph: Vec<usize>,
    passages: &'a [Passage],
    entities: &'a [FoundEntity],
    index: MentionIndex,
}

/// Finds the attributions of a text: direct, mixed and indirect quotes with their speakers; past
/// `deadline` it stops at the next sentence and returns none.
// The layers it reads are separate values of `analyze`; a struct of them would exist only here.
#[allow(clippy::too_many_arguments)]
pub fn attribute(
    text: &str,
    paragraphs: &[Span],
    sentences: &[Span],
    sentence_tokens: &[Vec<Span>],
    passages: &[Passage],
    entities: &[FoundEntity],
    posts: &[PostWords],
    deadline: Deadline,
) -> Vec<FoundQuote> {
    let reader = Reader::new(
        text,
        paragraphs,
        sentences,
        sentence_tokens,
        passages,
        entities,
    );
    reader.run(posts, deadline)
}

impl<'a> Reader<'a> {
    fn new(
        text: &'a str,
        paragraphs: &[Span],
        sentences: &[Span],
        sentence_tokens: &[Vec<Span>],
        passages: &'a [Passage],
        entities: &'a [FoundEntity],
    ) -> Reader<'a> {
        let passage_of = |offset: usize| {
            let after = passages.partition_point(|p| p.outer.start <= offset);
            after
                .checked_sub(1)
                .filter(|&idx| passages[idx].contains(offset))
                // A mark itself belongs to the passage only if it opens or closes it.
                .filter(|&idx| {
                    passages[idx]
                        .parts
                        .iter()
                        .any(|part| part.start <= offset && offset < part.end)
                })
        };
        // Passages announced as titles or names ("an event titled “…”") are read as plain words.
        let titles: Vec<bool> = passages
            .iter()
            .map(|passage| {
                let before = text[..passage.outer.start].trim_end();
                let last_words: Vec<String> = before
                    .rsplit(|c: char| c.is_whitespace())
                    .take(2)
                    .map(|w| {
                        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                            .to_lowercase()
                    })
                    .collect();
                last_words.iter().any(|w| names_a_title(w))
                    || (last_words.first().is_some_and(|w| w == "as")
                        && last_words.get(1).is_some_and(|w| w == "known"))
            })
            .collect();
        let mut toks = Vec::new();
        let mut ranges = Vec::with_capacity(sentence_tokens.len());
        for tokens in sentence_tokens {
            let start = toks.len();
            for &span in tokens {
                let word = &text[span.start..span.end];
                toks.push(Tok {
                    span,
                    lower: word.to_lowercase(),
                    passage: passage_of(span.start).filter(|&p| !titles[p]),
                    word: word.chars().any(char::is_alphanumeric),
                    capital: word.chars().next().is_some_and(char::is_uppercase),
                });
            }
            ranges.push(start..toks.len());
        }
        let sentence_paragraph = sentences
            .iter()
            .map(|s| paragraphs.partition_point(|p| p.end <= s.start))
            .collect();
        Reader {
            text,
            toks,
            sentences: ranges,
            sentence_paragraph,
            passages,
            entities,
            index: MentionIndex::new(entities),
        }
    }

    fn run(&self, posts: &[PostWords], deadline: Deadline) -> Vec<FoundQuote> {
        let mut claimed = vec![false; self.passages.len()];
        let mut quotes: Vec<(usize, FoundQuote)> = Vec::new(); // (sentence, quote)
        let mut skip_to_sentence = 0;
        for (s_idx, range) in self.sentences.iter().enumerate() {
            if s_idx < skip_to_sentence {
                continue;
            }
            // Past the deadline the quotes are dropped by the caller: stop reading.
            if deadline.passed() {
                return Vec::new();
            }
            if let Some((clause, next_sentence)) = self.transcript_turn(s_idx) {
                if let Some(quote) = self.quote_of(clause, s_idx, &mut claimed, &quotes, posts) {
                    quotes.push((s_idx, quote));
                }
                skip_to_sentence = next_sentence;
                continue;
            }
            let mut tok_idx = range.start;
            while tok_idx < range.end {
                if self.toks[tok_idx].passage.is_some() {
                    tok_idx += 1;
                    continue;
                }
                let Some(clause) = self.read_clause(tok_idx, range.clone()) else {
                    tok_idx += 1;
                    continue;
                };
                let resume = clause.resume.max(tok_idx + 1);
                if let Some(quote) = self.quote_of(clause, s_idx, &mut claimed, &quotes, posts) {
                    quotes.push((s_idx, quote));
                }
                tok_idx = resume;
            }
        }
        self.unclaimed_passages(&claimed, &mut quotes);
        quotes.into_iter().map(|(_, quote)| quote).collect()
    }

    /// A transcript turn: a paragraph that opens with a speaker's name and a colon ("PENCE: Well,
    /// look …", "Ana Lopez: We …"); its content runs to the paragraph's end. Returns the clause and
    /// the sentence after the paragraph.
    fn transcript_turn(&self, s_idx: usize) -> Option<(Clause, usize)> {
        let paragraph = self.sentence_paragraph[s_idx];
        if s_idx > 0 && self.sentence_paragraph[s_idx - 1] == paragraph {
            return None;
        }
        let range = self.sentences[s_idx].clone();
        let colon =
            (range.start..range.end.min(range.start + 5)).find(|&t| self.toks[t].lower == ":")?;
        if colon == range.start || self.toks[range.start].passage.is_some() {
            return None;
        }
        let name = range.start..colon;
        let all_caps = self.toks[name.clone()].iter().all(|t| {
            !t.word
                || (t.span.end - t.span.start > 1
                    && self.text[t.span.start..t.span.end]
                        .chars()
                        .all(|c| !c.is_lowercase()))
        });
        let span = self.span_of(name.clone());
        let is_person = self.index.within(span).any(|(m, idx, _)| {
            m.start == span.start
                && m.end == span.end
                && self.entities[*idx].entity_type == EntityType::Person
        });
        if !(all_caps || is_person) {
            return None;
        }
        let mut last_sentence = s_idx;
        while last_sentence + 1 < self.sentences.len()
            && self.sentence_paragraph[last_sentence + 1] == paragraph
        {
            last_sentence += 1;
        }
        let end = self.trim_end(colon + 1, self.sentences[last_sentence].end);
        let start = self.skip_punct(colon + 1, end);
        if end <= start + 2 {
            return None;
        }
        let clause = Clause {
            cue: None,
            source: Some(span),
            content: Content::Tokens(ranges_of(start..end)),
            resume: end,
        };
        Some((clause, last_sentence + 1))
    }

    fn skip_punct(&self, mut start: usize, sentence_end: usize) -> usize {
        while start < sentence_end && !self.toks[start].word && self.toks[start].passage.is_none() {
            start += 1;
        }
        start
    }

    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && !self.toks[end - 1].word && self.toks[end - 1].passage.is_none() {
            end -= 1;
        }
        end
    }

    /// The text span of a non-empty token range (an empty one gives an empty span at its start).
    fn span_of(&self, range: Range<usize>) -> Span {
        let start = self.toks[range.start].span.start;
        if range.is_empty() {
            return Span::new(start, start);
        }
        Span::new(start, self.toks[range.end - 1].span.end)
    }

    fn paragraph_of(&self, offset: usize) -> usize {
        let sentence = self.sentences.partition_point(|r| {
            r.start < self.toks.len() && self.toks[r.start].span.start <= offset
        });
        self.sentence_paragraph
            .get(sentence.saturating_sub(1))
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use crate::quotes::test_support::segmented;
    use crate::quotes::FoundQuote;

    pub(super) fn quotes(text: &str) -> Vec<FoundQuote> {
        // The rules' quotes, before the learned filter: these tests specify the rules.
        segmented(text).rule_quotes(text)
    }

    pub(super) fn summary(
        text: &str,
    ) -> Vec<(String, &'static str, Option<String>, Option<&'static str>)> {
        quotes(text)
            .into_iter()
            .map(|q| {
                (
                    q.spans
                        .iter()
                        .map(|s| &text[s.start..s.end])
                        .collect::<Vec<_>>()
                        .join(" | "),
                    q.kind.as_str(),
                    q.speaker.map(|s| s.name),
                    q.verb.map(|(_, cue)| cue.lemma),
                )
            })
            .collect()
    }
}
