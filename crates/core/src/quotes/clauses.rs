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

mod fragments;

use std::ops::Range;

use super::cues::{cue_at, CueMatch};
use super::speaker::{self, MentionIndex};
use super::{FoundQuote, FoundSpeaker, Passage, PostWords, QuoteKind};
use crate::entities::{FoundEntity, MentionKind};
use crate::ner::EntityType;
use crate::offsets::Span;

/// Tokens a source may have.
const MAX_SOURCE_TOKENS: usize = 10;
/// Tokens an apposition between a name and its tag may have.
const MAX_APPOSITION_TOKENS: usize = 40;
/// Tokens after a closing tag that still leave the content before it ("…, he said on Tuesday").
const MAX_TAIL_WORDS: usize = 7;
/// Words a reported statement needs ("spoke first" reports nothing).
const MIN_CONTENT_WORDS: usize = 3;
/// Tokens after the cue searched for "that" or a colon.
const THAT_WINDOW: usize = 10;
/// Tokens a signature after a passage may have (`“…” ― Ana Lopez, Denver`).
const MAX_SIGNATURE_TOKENS: usize = 6;
/// Sentences back that a pronoun speaker may continue the current speaker.
const SPEAKER_REACH: usize = 4;
/// Characters back a pronoun whose attached person has the other sex looks for one it can be.
const PRONOUN_CHARS: usize = 600;

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

/// Words that end a source on its left: clause openers.
fn opens_clause(word: &str) -> bool {
    matches!(
        word,
        "that"
            | "but"
            | "because"
            | "while"
            | "when"
            | "whereas"
            | "as"
            | "after"
            | "before"
            | "if"
            | "although"
            | "though"
            | "since"
            | "where"
            | "so"
            | "which"
            | "who"
            | "whom"
            | "than"
            | "until"
            | "unless"
            | "or"
            | "then"
            | "yet"
            | "however"
    )
}

/// Prepositions and participles that open a fronted adverbial ("At the rally, …", "Asked
/// about it, …"), never a quoted statement.
fn opens_adverbial(word: &str) -> bool {
    matches!(
        word,
        "at" | "in"
            | "on"
            | "during"
            | "after"
            | "before"
            | "following"
            | "with"
            | "asked"
            | "speaking"
            | "addressing"
            | "writing"
            | "responding"
            | "appearing"
            | "interviewed"
    )
}

/// Auxiliaries and adverbs between a source and its cue ("has also said", "later told").
fn is_aux_or_adverb(word: &str) -> bool {
    matches!(
        word,
        "has"
            | "have"
            | "had"
            | "also"
            | "later"
            | "then"
            | "previously"
            | "repeatedly"
            | "recently"
            | "again"
            | "publicly"
            | "privately"
            | "once"
            | "would"
            | "will"
            | "could"
            | "might"
            | "may"
            | "must"
            | "should"
            | "did"
            | "does"
            | "do"
            | "reportedly"
            | "flatly"
            | "quickly"
            | "simply"
            | "only"
            | "first"
            | "further"
            | "separately"
            | "similarly"
            | "frequently"
            | "often"
            | "already"
            | "just"
            | "even"
            | "still"
            | "earlier"
            | "specifically"
            | "directly"
            | "explicitly"
            | "openly"
            | "bluntly"
            | "angrily"
            | "proudly"
            | "sharply"
            | "strongly"
            | "loudly"
            | "softly"
            | "quietly"
            | "firmly"
            | "tersely"
            | "curtly"
            | "initially"
            | "subsequently"
            | "ultimately"
            | "finally"
            | "emphatically"
            | "categorically"
            | "is"
            | "are"
            | "was"
            | "were"
            | "been"
            | "being"
            | "quoted"
            | "as"
    )
}

/// Words that end a source on its right ("said Corbyn in a statement").
fn ends_right_source(word: &str) -> bool {
    matches!(
        word,
        "in" | "on"
            | "at"
            | "during"
            | "after"
            | "before"
            | "that"
            | "when"
            | "while"
            | "to"
            | "as"
            | "with"
            | "from"
            | "because"
            | "but"
            | "if"
            | "and"
            | "last"
            | "this"
            | "yesterday"
            | "today"
            | "tonight"
            | "earlier"
            | "later"
            | "recently"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
    )
}

/// Lemmas of cues that are nouns as often as verbs ("the report", "an attack", "a tweet").
fn is_noun_like(lemma: &str) -> bool {
    matches!(
        lemma,
        "charge"
            | "counter"
            | "object"
            | "question"
            | "answer"
            | "report"
            | "state"
            | "note"
            | "post"
            | "cry"
            | "rail"
            | "cheer"
            | "blast"
            | "attack"
            | "comment"
            | "demand"
            | "promise"
            | "claim"
            | "appeal"
            | "protest"
            | "joke"
            | "vow"
            | "pledge"
            | "estimate"
            | "tweet"
            | "call"
            | "reply"
            | "remark"
            | "brief"
            | "rant"
            | "quip"
            | "shout"
            | "whisper"
            | "sigh"
            | "groan"
    )
}

/// Words before a passage that make it a title or a name, not speech ("titled “…”").
fn names_a_title(word: &str) -> bool {
    matches!(
        word,
        "titled"
            | "entitled"
            | "called"
            | "named"
            | "dubbed"
            | "nicknamed"
            | "so-called"
            | "billed"
            | "labelled"
            | "labeled"
            | "branded"
            | "headlined"
            | "reads"
            | "read"
            | "slogan"
            | "hashtag"
            | "term"
            | "phrase"
            | "word"
            | "words"
            | "known"
            | "film"
            | "song"
            | "book"
            | "album"
            | "show"
            | "series"
            | "movie"
            | "novel"
    )
}

fn is_boundary_punct(word: &str) -> bool {
    matches!(
        word,
        "," | ";"
            | ":"
            | "("
            | ")"
            | "—"
            | "–"
            | "--"
            | "\""
            | "“"
            | "”"
            | "‘"
            | "’"
            | "'"
            | "«"
            | "»"
            | "„"
            | "."
            | "!"
            | "?"
    )
}

fn is_quote_mark(word: &str) -> bool {
    matches!(word, "\"" | "“" | "”" | "‘" | "’" | "'" | "«" | "»" | "„")
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

/// Finds the attributions of a text: direct, mixed and indirect quotes with their speakers.
pub fn attribute(
    text: &str,
    paragraphs: &[Span],
    sentences: &[Span],
    sentence_tokens: &[Vec<Span>],
    passages: &[Passage],
    entities: &[FoundEntity],
    posts: &[PostWords],
) -> Vec<FoundQuote> {
    let reader = Reader::new(
        text,
        paragraphs,
        sentences,
        sentence_tokens,
        passages,
        entities,
    );
    reader.run(posts)
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

    fn run(&self, posts: &[PostWords]) -> Vec<FoundQuote> {
        let mut claimed = vec![false; self.passages.len()];
        let mut quotes: Vec<(usize, FoundQuote)> = Vec::new(); // (sentence, quote)
        let mut skip_to_sentence = 0;
        for (s_idx, range) in self.sentences.iter().enumerate() {
            if s_idx < skip_to_sentence {
                continue;
            }
            if let Some((clause, next_sentence)) = self.transcript_turn(s_idx) {
                if let Some(quote) = self.quote_of(clause, s_idx, &mut claimed, &quotes, posts) {
                    quotes.push((s_idx, quote));
                }
                skip_to_sentence = next_sentence;
                continue;
            }
            let mut i = range.start;
            while i < range.end {
                if self.toks[i].passage.is_some() {
                    i += 1;
                    continue;
                }
                let Some(clause) = self.read_clause(i, range.clone()) else {
                    i += 1;
                    continue;
                };
                let resume = clause.resume.max(i + 1);
                if let Some(quote) = self.quote_of(clause, s_idx, &mut claimed, &quotes, posts) {
                    quotes.push((s_idx, quote));
                }
                i = resume;
            }
        }
        self.unclaimed_passages(&claimed, &mut quotes);
        quotes.into_iter().map(|(_, quote)| quote).collect()
    }

    /// A clause whose cue starts at token `i`, if one does.
    fn read_clause(&self, i: usize, sentence: Range<usize>) -> Option<Clause> {
        // Read for every token: a fixed window, no allocation.
        let mut window = [""; 3];
        let n = (sentence.end - i).min(window.len());
        for (slot, tok) in window.iter_mut().zip(&self.toks[i..i + n]) {
            *slot = tok.lower.as_str();
        }
        let cue = cue_at(&window[..n])?;
        let cue_end = i + cue.len;
        if cue.cue.lemma == "according to" {
            return self.according_to(i, cue, sentence);
        }
        if !self.is_verb_use(i, &sentence) {
            return None;
        }
        let a = sentence.start;
        let b = sentence.end;
        // "…, saying the coalition was there …": the subject is the main clause's.
        // "…, saying …" and "… and said …": the cue shares the main clause's subject.
        let participle = i > a
            && ((self.toks[i].lower.ends_with("ing")
                && matches!(
                    self.toks[i - 1].lower.as_str(),
                    "," | "and" | "while" | "before" | "after" | "by"
                ))
                || (self.toks[i - 1].lower == "and" && !self.toks[i].lower.ends_with("ing")));
        // "speaking to reporters", "talking at a rally": circumstance, not what was said.
        if participle
            && self.toks[i].lower.ends_with("ing")
            && self
                .toks
                .get(cue_end)
                .filter(|_| cue_end < sentence.end)
                .is_some_and(|t| {
                    matches!(
                        t.lower.as_str(),
                        "to" | "at" | "with" | "on" | "in" | "during" | "before"
                    )
                })
        {
            return None;
        }
        let (source, left_start) = if participle {
            (self.main_subject(a, i - 1), i)
        } else {
            self.left_source(i, a)
        };
        let mut after = cue_end;
        let source = match source {
            Some(source) => Some(source),
            None if !participle => {
                // "…," said Corbyn: the source follows the cue.
                let right = self.right_source(cue_end, b);
                if right.is_empty() {
                    None
                } else {
                    after = right.end;
                    Some(self.span_of(right))
                }
            }
            None => None,
        };
        source?;
        let boundary = left_start.checked_sub(1).filter(|&k| k >= a);
        // A participle ("…, saying the plan …") always reports what follows it.
        let content_before_possible = !participle
            && boundary.is_some_and(|k| {
                let tok = &self.toks[k];
                (tok.lower == "," || tok.passage.is_some() || is_quote_mark(&tok.lower))
                    && ((a..k).any(|t| self.toks[t].passage.is_some())
                        || (a..k).filter(|&t| self.toks[t].word).count() >= MIN_CONTENT_WORDS)
            });
        let (that_at, colon_at) = self.find_that_or_colon(after, b);
        let mut tail = self.tail(after, b);
        // "…," said Kenneth Baer, a former official who …: an apposition, not more content.
        if after < b
            && self.toks[after].lower == ","
            && after + 1 < b
            && (self.is_description(after + 1)
                || matches!(self.toks[after + 1].lower.as_str(), "who" | "whose"))
            && tail.split_passage_at.is_none()
        {
            tail.words = 0;
        }
        // Words before the tag that are no quote: "Asked about it, O’Neill said “…”", "At a
        // breakfast the next morning, Cruz said he …". Before a plain comma, a split quote needs
        // the passage right after the tag's comma; a fronted adverbial (a preposition or a
        // participle opening the sentence) gives way to content after the tag.
        let before_is_plain = boundary.is_some_and(|k| {
            !(a..=k).any(|t| self.toks[t].passage.is_some() || is_quote_mark(&self.toks[t].lower))
        });
        let split_after_plain = tail
            .split_passage_at
            .is_some_and(|t| t < 1 || tail.words > 0 || self.toks[t - 1].lower != ",");
        let tail_reports = self
            .toks
            .get(after)
            .filter(|_| after < b)
            .is_some_and(|t| t.passage.is_some() || (t.word && !ends_right_source(&t.lower)))
            && (tail.words >= MIN_CONTENT_WORDS || tail.split_passage_at.is_some());
        let fronted_adverbial = opens_adverbial(&self.toks[a].lower)
            && boundary.is_some_and(|k| !(a..k).any(|t| self.toks[t].lower == ","))
            && tail_reports;
        let content_before_possible = content_before_possible
            && !(before_is_plain && (split_after_plain || fronted_adverbial));
        let content = if content_before_possible
            && that_at.is_none()
            && colon_at.is_none()
            && tail.words <= MAX_TAIL_WORDS
        {
            let k = boundary.unwrap_or(a);
            let before_end = if self.toks[k].lower == "," { k } else { k + 1 };
            let mut ranges = ranges_of(a..before_end);
            if let Some(split_start) = tail.split_passage_at {
                ranges.push(split_start..b);
            } else if self.toks.get(after).is_some_and(|t| t.lower == ",")
                && after + 1 < b
                // `“…,” Melanie said, and soon …`: after a quote, plain words are narrative.
                && self.toks[k].passage.is_none()
                && !is_quote_mark(&self.toks[k].lower)
            {
                // "To prevent problems, he said, officials should be vigilant."
                let rest = self.skip_punct(after + 1, b);
                let end = self.trim_end(rest, self.content_end(rest, b).max(rest));
                // "…," said Elez Biberaj, the director of …: an apposition to the name after the cue.
                let apposition = after > cue_end
                    || self.toks.get(rest).is_none_or(|t| {
                        rest >= b || matches!(t.lower.as_str(), "who" | "whose" | "whom")
                    });
                if !apposition && !self.toks[rest].lower.ends_with("ing") && end > rest + 2 {
                    ranges.push(rest..end);
                }
            }
            Content::Tokens(ranges)
        } else {
            let start = match (that_at, colon_at) {
                (Some(t), _) => t + 1,
                (None, Some(c)) => c + 1,
                (None, None) => self.skip_object(cue.cue.lemma, after, b),
            };
            // "The detour adds 14 km": "add" reports speech only with "that", a colon or a quote.
            // "…, adding later, “…”": adverbs and a comma may stand before the quote, which is
            // then all the content.
            let quote_at = (start..b.min(start + 4))
                .take_while(|&t| {
                    self.toks[t].passage.is_some()
                        || self.toks[t].lower == ","
                        || is_quote_mark(&self.toks[t].lower)
                        || is_aux_or_adverb(&self.toks[t].lower)
                        || self.toks[t].lower.ends_with("ly")
                })
                .find(|&t| self.toks[t].passage.is_some());
            if cue.cue.lemma == "add"
                && that_at.is_none()
                && colon_at.is_none()
                && quote_at.is_none()
            {
                return None;
            }
            let start = self.skip_punct(quote_at.unwrap_or(start), b);
            let end = self.content_end(start, b);
            let end = self.trim_end(start, end);
            if start < end {
                Content::Tokens(ranges_of(start..end))
            } else if colon_at.is_some() || (end == start && self.ends_with_colon(b)) {
                Content::Following
            } else {
                Content::Preceding
            }
        };
        if let Content::Tokens(ranges) = &content {
            let quotes_words = ranges
                .iter()
                .flat_map(|r| r.clone())
                .any(|t| self.toks[t].passage.is_some());
            // "called the plan a mistake" reports a judgement; "called on", "called to",
            // "called back", "a man called …" do not.
            // "…, attacking the embassy": an evaluative participle is an act, not speech, unless
            // it quotes or reports with "that".
            if participle && !cue.cue.neutral && !quotes_words && that_at.is_none() {
                return None;
            }
            if cue.cue.lemma == "call" && !quotes_words {
                let first = ranges.first().map(|r| r.start);
                let object_follows = first.is_some_and(|f| {
                    f == cue_end
                        && !matches!(
                            self.toks[f].lower.as_str(),
                            "on" | "to"
                                | "in"
                                | "for"
                                | "back"
                                | "off"
                                | "up"
                                | "it"
                                | "out"
                                | "at"
                        )
                });
                if !object_follows {
                    return None;
                }
            }
            let words = ranges
                .iter()
                .flat_map(|r| r.clone())
                .filter(|&t| self.toks[t].word || self.toks[t].passage.is_some())
                .count();
            if words < MIN_CONTENT_WORDS {
                return None;
            }
        }
        let resume = match &content {
            Content::Tokens(ranges) => ranges.iter().map(|r| r.end).max().unwrap_or(b).max(cue_end),
            _ => b,
        };
        Some(Clause {
            cue: Some((i..cue_end, cue)),
            source,
            content,
            resume,
        })
    }

    /// Whether a sentence is a headline in title case ("Graham Says Trump Could Address …").
    fn is_title_case(&self, sentence: &Range<usize>) -> bool {
        let words: Vec<&Tok> = self.toks[sentence.clone()]
            .iter()
            .filter(|t| t.word && t.lower.len() > 3)
            .collect();
        words.len() >= 3 && words.iter().filter(|t| t.capital).count() * 5 >= words.len() * 4
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

    /// Whether the cue at `i` is used as a reporting verb: not "to say", not "the report", not
    /// "was told", not a capitalised word inside a name.
    fn is_verb_use(&self, i: usize, sentence: &Range<usize>) -> bool {
        let tok = &self.toks[i];
        if tok.capital && i > sentence.start && !self.is_title_case(sentence) {
            return false;
        }
        if let Some(next) = self.toks.get(i + 1).filter(|_| i + 1 < sentence.end) {
            if next.lower == "by" {
                return false;
            }
        }
        if i == sentence.start {
            return true;
        }
        let prev = self.toks[i - 1].lower.as_str();
        // "He went on to lambast …": the infinitive reports the act.
        if prev == "to" && i >= sentence.start + 2 && self.toks[i - 2].lower == "on" {
            return true;
        }
        // "a massive attack", "officials’ report": a word that is a noun as often as a verb is a
        // cue only after a subject-like word.
        if let Some(cue) = cue_at(&[tok.lower.as_str()]) {
            let lemma_verb = cue.cue.lemma.split(' ').next().unwrap_or("");
            let base_or_s =
                tok.lower == lemma_verb || tok.lower.trim_end_matches('s') == lemma_verb;
            if base_or_s && is_noun_like(lemma_verb) {
                let prev_tok = &self.toks[i - 1];
                let named_subject =
                    self.index
                        .name_ending_at(prev_tok.span.end)
                        .is_some_and(|(_, idx)| {
                            matches!(
                                self.entities[idx].entity_type,
                                EntityType::Person | EntityType::Org | EntityType::Gpe
                            )
                        });
                let subject_like = named_subject
                    || matches!(
                        prev,
                        "he" | "she"
                            | "they"
                            | "it"
                            | "we"
                            | "i"
                            | "you"
                            | "who"
                            | "also"
                            | "will"
                            | "would"
                            | "did"
                            | "does"
                            | "do"
                            | "can"
                            | "could"
                            | "may"
                            | "might"
                            | "must"
                            | "should"
                            | "often"
                            | "then"
                    )
                    || (prev.ends_with("ly") && !prev_tok.capital);
                if !subject_like {
                    return false;
                }
            }
        }
        let is_ing = tok.lower.ends_with("ing");
        !(matches!(
            prev,
            "to" | "the"
                | "a"
                | "an"
                | "this"
                | "his"
                | "her"
                | "its"
                | "their"
                | "our"
                | "my"
                | "your"
                | "'s"
                | "’s"
                | "not"
                | "n't"
                | "n’t"
                | "never"
                | "no"
                | "of"
                | "for"
        ) || (!is_ing
            && matches!(
                prev,
                "was" | "were" | "been" | "being" | "is" | "are" | "be"
            )))
    }

    /// "According to X, …" / "…, according to X."
    fn according_to(&self, i: usize, cue: CueMatch, sentence: Range<usize>) -> Option<Clause> {
        let a = sentence.start;
        let b = sentence.end;
        let source = self.right_source_np(i + cue.len, b);
        if source.is_empty() {
            return None;
        }
        let opener = (a..i).all(|t| {
            !self.toks[t].word
                || matches!(self.toks[t].lower.as_str(), "but" | "and" | "yet" | "so")
        });
        let content = if opener {
            let start = self.skip_punct(source.end, b);
            let end = self.trim_end(start, b);
            ranges_of(start..end)
        } else {
            let end = if i > a && self.toks[i - 1].lower == "," {
                i - 1
            } else {
                i
            };
            let mut ranges = ranges_of(a..end);
            let rest = self.skip_punct(source.end, b);
            let rest_end = self.trim_end(rest, b);
            if rest < rest_end && (rest_end - rest) > 2 {
                ranges.push(rest..rest_end);
            }
            ranges
        };
        if content.iter().all(|r| r.is_empty()) {
            return None;
        }
        Some(Clause {
            cue: Some((i..i + cue.len, cue)),
            source: Some(self.span_of(source.clone())),
            content: Content::Tokens(content),
            resume: b,
        })
    }

    /// The source left of a cue at `i`, and the token where its clause starts.
    fn left_source(&self, i: usize, a: usize) -> (Option<Span>, usize) {
        let mut j = i;
        while j > a
            && (is_aux_or_adverb(&self.toks[j - 1].lower)
                || (self.toks[j - 1].lower.ends_with("ly")
                    && !self.toks[j - 1].capital
                    && j - 1 > a))
        {
            j -= 1;
        }
        let mut k = self.np_start(j, a);
        // "the official who spoke": the source is before the relative pronoun.
        if k == j && j > a && matches!(self.toks[j - 1].lower.as_str(), "who" | "which") {
            let mut end = j - 1;
            if end > a && self.toks[end - 1].lower == "," {
                end -= 1;
            }
            let start = self.np_start(end, a);
            if start < end {
                return (Some(self.span_of(start..end)), start);
            }
        }
        // "Hans Muller, the director of …, who attended …, said": the name before the apposition,
        // however long.
        if k == j && j >= a + 2 && self.toks[j - 1].lower == "," {
            if let Some(found) = self.name_before_apposition(j - 1, a) {
                return found;
            }
        }
        // "The mayor, Ana Lopez, insisted": the phrase between commas.
        if k == j && j >= a + 2 && self.toks[j - 1].lower == "," {
            let end = j - 1;
            let start = self.np_start(end, a);
            let opens_clause = start == a || self.toks[start - 1].lower == ",";
            if start < end && opens_clause && end - start <= MAX_SOURCE_TOKENS {
                // "Tom Hardy, R-Ky., said": a label that names no person is the person's.
                let names_no_person = !self
                    .index
                    .within(self.span_of(start..end))
                    .any(|m| self.entities[m.1].entity_type == EntityType::Person);
                if (self.is_description(start) || names_no_person)
                    && start >= a + 2
                    && self.toks[start - 1].lower == ","
                {
                    let before = self.index.name_ending_at(self.toks[start - 2].span.end);
                    if let Some((name, _)) = before.filter(|&(_, idx)| {
                        self.is_description(start)
                            || self.entities[idx].entity_type == EntityType::Person
                    }) {
                        // The clause starts with the name's titles ("Senate Leader Tom Hardy").
                        return (Some(name), self.np_start(start - 1, a));
                    }
                }
                if self.looks_like_source(start..end) && !self.is_description(start) {
                    return (Some(self.span_of(start..end)), start);
                }
            }
        }
        if k == j {
            return (None, j);
        }
        // "Kemp, former commander of …, said": the name before the apposition.
        if k >= a + 2 && self.toks[k - 1].lower == "," && self.is_description(k) {
            if let Some((name, _)) = self.index.name_ending_at(self.toks[k - 2].span.end) {
                let name_start = self.toks[a..k - 1]
                    .iter()
                    .position(|t| t.span.start == name.start)
                    .map_or(k, |p| a + p);
                return (Some(name), name_start);
            }
        }
        if j - k > MAX_SOURCE_TOKENS || !self.looks_like_source(k..j) {
            return (None, k);
        }
        // Trim a leading conjunction or adverbial opener the walk took in ("And officials").
        while k < j && matches!(self.toks[k].lower.as_str(), "and" | "but" | "so" | "now") {
            k += 1;
        }
        if k == j {
            return (None, k);
        }
        (Some(self.span_of(k..j)), k)
    }

    /// For a tag right after a comma at `comma`: a name followed by a comma and a description
    /// ("Ana Lopez, a lawyer at …, who …, said"), nearest first, a person before an organisation
    /// or place ("Ana Lopez, the attorney general of Kansas, one of the states …, said").
    fn name_before_apposition(&self, comma: usize, a: usize) -> Option<(Option<Span>, usize)> {
        let mut t = comma;
        let mut not_a_person: Option<(Option<Span>, usize)> = None;
        while t > a + 1 && comma - t < MAX_APPOSITION_TOKENS {
            t -= 1;
            let tok = &self.toks[t];
            if tok.passage.is_some()
                || matches!(tok.lower.as_str(), ";" | ":" | "“" | "”" | "\"")
                || (tok.lower == "." && !self.is_abbreviation_point(t))
            {
                break;
            }
            if tok.lower != "," || t + 1 >= comma {
                continue;
            }
            let opens_description = self.is_description(t + 1)
                || matches!(self.toks[t + 1].lower.as_str(), "who" | "whose" | "which");
            if !opens_description {
                continue;
            }
            let mut name_end = t - 1;
            if self.toks[name_end].lower == ")" {
                match self.parenthesis_start(name_end, a) {
                    Some(open) => name_end = open - 1,
                    None => continue,
                }
            }
            if let Some((name, idx)) = self.index.name_ending_at(self.toks[name_end].span.end) {
                let entity_type = self.entities[idx].entity_type;
                if !matches!(
                    entity_type,
                    EntityType::Person | EntityType::Org | EntityType::Gpe
                ) {
                    continue;
                }
                let name_start = self.np_start(name_end + 1, a);
                if entity_type == EntityType::Person {
                    return Some((Some(name), name_start));
                }
                not_a_person.get_or_insert((Some(name), name_start));
            }
        }
        if not_a_person.is_some() {
            return not_a_person;
        }
        None
    }

    /// Walks left from `end` over a noun phrase; returns its first token.
    fn np_start(&self, end: usize, a: usize) -> usize {
        let mut k = end;
        while k > a && end - k <= MAX_SOURCE_TOKENS {
            let tok = &self.toks[k - 1];
            // "Rep. Gwen Moore (D-Wis.)": a short parenthesis belongs to the name.
            if tok.lower == ")" {
                if let Some(open) = self.parenthesis_start(k - 1, a) {
                    k = open;
                    continue;
                }
            }
            let abbreviation = tok.lower == "." && self.is_abbreviation_point(k - 1);
            if tok.passage.is_some()
                || (is_boundary_punct(&tok.lower) && !abbreviation)
                || opens_clause(&tok.lower)
            {
                break;
            }
            if tok.lower == "and" {
                let joins_names = k >= a + 2
                    && self.toks[k - 2].capital
                    && self.toks.get(k).is_some_and(|t| t.capital);
                if !joins_names {
                    break;
                }
            }
            if cue_at(&[tok.lower.as_str()]).is_some() && tok.lower.ends_with("ed") {
                break;
            }
            k -= 1;
        }
        k
    }

    /// The "(" of a short parenthesis closed at `close`, if one opens within a few tokens.
    fn parenthesis_start(&self, close: usize, a: usize) -> Option<usize> {
        (close.saturating_sub(6).max(a)..close)
            .rev()
            .find(|&t| self.toks[t].lower == "(")
            .filter(|&open| open > a)
    }

    /// Whether tokens `k..` open a description ("former commander", "a Democrat", "45",
    /// "Pyongyang’s only ally").
    fn is_description(&self, k: usize) -> bool {
        let tok = &self.toks[k];
        let possessive = self
            .toks
            .get(k + 1)
            .is_some_and(|next| matches!(next.lower.as_str(), "'s" | "’s"));
        !tok.capital
            || possessive
            || matches!(tok.lower.as_str(), "a" | "an" | "the" | "former" | "then")
    }

    /// Whether the point at `t` ends an abbreviation inside a sentence ("R-Ky., said", "Jr."):
    /// written against the word before it and not the sentence's last token.
    fn is_abbreviation_point(&self, t: usize) -> bool {
        let sentence_end = self.sentences[self.sentences.partition_point(|r| r.end <= t)].end;
        t > 0
            && t + 1 < sentence_end
            && self.toks[t - 1].word
            && self.toks[t - 1].span.end == self.toks[t].span.start
    }

    /// Whether a token run can be a speaker: short, and holding a name, a pronoun, a person noun or
    /// a determiner.
    fn looks_like_source(&self, range: Range<usize>) -> bool {
        let toks = &self.toks[range.clone()];
        if !toks.iter().any(|t| t.word) {
            return false;
        }
        let span = self.span_of(range.clone());
        self.index.within(span).next().is_some()
            || toks.iter().any(|t| t.capital)
            || toks.iter().any(|t| {
                matches!(
                    t.lower.as_str(),
                    "he" | "she"
                        | "they"
                        | "it"
                        | "we"
                        | "i"
                        | "you"
                        | "the"
                        | "a"
                        | "an"
                        | "my"
                        | "our"
                        | "his"
                        | "her"
                        | "their"
                        | "your"
                        | "some"
                        | "many"
                        | "others"
                        | "officials"
                        | "sources"
                        | "critics"
                        | "experts"
                        | "analysts"
                        | "aides"
                        | "supporters"
                        | "residents"
                        | "witnesses"
                        | "police"
                        | "authorities"
                        | "investigators"
                        | "prosecutors"
                        | "lawmakers"
                        | "democrats"
                        | "republicans"
                )
            })
    }

    /// The source right of a cue ("said the spokesman"), as a token range.
    fn right_source(&self, start: usize, b: usize) -> Range<usize> {
        let first = match self.toks.get(start) {
            Some(tok) if start < b => tok,
            _ => return start..start,
        };
        if !(first.capital
            || matches!(
                first.lower.as_str(),
                "the" | "a" | "an" | "one" | "two" | "three" | "several" | "some"
            ))
        {
            return start..start;
        }
        let range = self.right_source_np(start, b);
        if range.is_empty() || !self.looks_like_source(range.clone()) {
            return start..start;
        }
        range
    }

    /// A noun phrase from `start`, up to punctuation or a preposition that starts an adverbial.
    fn right_source_np(&self, start: usize, b: usize) -> Range<usize> {
        let mut end = start;
        while end < b && end - start < MAX_SOURCE_TOKENS {
            let tok = &self.toks[end];
            if tok.passage.is_some()
                || is_boundary_punct(&tok.lower)
                || ends_right_source(&tok.lower)
            {
                break;
            }
            if end > start && cue_at(&[tok.lower.as_str()]).is_some() && !tok.capital {
                break;
            }
            end += 1;
        }
        start..end
    }

    /// The subject of a sentence's main clause: its first person or organisation, or a pronoun
    /// that opens it.
    fn main_subject(&self, a: usize, before: usize) -> Option<Span> {
        if before <= a {
            return None;
        }
        let span = Span::new(self.toks[a].span.start, self.toks[before - 1].span.end);
        // People first: "Labour’s deputy leader Emily Thornberry launched …" is Thornberry.
        let of_type = |wanted: EntityType| {
            self.index
                .within(span)
                .find(|(_, idx, _)| self.entities[*idx].entity_type == wanted)
                .map(|(span, _, _)| *span)
        };
        let first_entity = of_type(EntityType::Person).or_else(|| of_type(EntityType::Org));
        let opening_pronoun = (a..before.min(a + 3))
            .find(|&t| {
                matches!(
                    self.toks[t].lower.as_str(),
                    "he" | "she" | "they" | "it" | "we"
                )
            })
            .map(|t| self.toks[t].span);
        match (first_entity, opening_pronoun) {
            (Some(entity), Some(pronoun)) if pronoun.start < entity.start => Some(pronoun),
            (Some(entity), _) => Some(entity),
            (None, pronoun) => pronoun,
        }
    }

    fn find_that_or_colon(&self, from: usize, b: usize) -> (Option<usize>, Option<usize>) {
        for t in from..b.min(from + THAT_WINDOW) {
            let tok = &self.toks[t];
            if tok.passage.is_some() {
                break;
            }
            match tok.lower.as_str() {
                "that" => return (Some(t), None),
                ":" => return (None, Some(t)),
                "," | ";" | "." => break,
                // "said he hopes the vote sends a message that …": a subject after the cue
                // starts the content; a "that" further on belongs to it.
                "he" | "she" | "they" | "we" | "i" | "it" => break,
                _ => {}
            }
        }
        (None, None)
    }

    /// What follows a tag: its word count up to the sentence end, or up to a comma that opens a
    /// split quote or a participle ("…, he said, adding …").
    fn tail(&self, from: usize, b: usize) -> Tail {
        let mut words = 0;
        for t in from..b {
            let tok = &self.toks[t];
            if tok.passage.is_some() {
                return Tail {
                    words,
                    split_passage_at: Some(t),
                };
            }
            // "…,” Corbyn gushed — despite …": an aside, not more of what was said.
            if matches!(tok.lower.as_str(), "—" | "–" | "--" | "(") {
                return Tail {
                    words,
                    split_passage_at: None,
                };
            }
            if tok.lower == "," {
                let next = self.toks.get(t + 1).filter(|_| t + 1 < b);
                if let Some(next) = next {
                    if next.passage.is_some() || is_quote_mark(&next.lower) {
                        return Tail {
                            words,
                            split_passage_at: Some(t + 1),
                        };
                    }
                    if next.lower.ends_with("ing")
                        || matches!(
                            next.lower.as_str(),
                            "and" | "but" | "although" | "though" | "while"
                        )
                    {
                        return Tail {
                            words,
                            split_passage_at: None,
                        };
                    }
                }
            }
            if tok.word {
                words += 1;
            }
        }
        Tail {
            words,
            split_passage_at: None,
        }
    }

    /// Where content after a cue ends: at the sentence end, or where a new clause joins it (",
    /// saying", "and added", ", which", ", but").
    fn content_end(&self, start: usize, b: usize) -> usize {
        for t in start + 1..b {
            let tok = &self.toks[t];
            if let Some(p) = tok.passage {
                // `… because “…,” she said.`: a new tag after a passage ends the content there.
                let passage_ends = self.toks.get(t + 1).is_none_or(|n| n.passage != Some(p));
                if passage_ends {
                    let ahead = (t + 1..b.min(t + 6))
                        .take_while(|&u| self.toks[u].passage.is_none())
                        .any(|u| {
                            !self.toks[u].capital
                                && cue_at(&[self.toks[u].lower.as_str()]).is_some()
                                && !self.toks[u].lower.ends_with("ing")
                        });
                    if ahead {
                        return t + 1;
                    }
                    // `… as a “terrible situation,” but stopped short …`: the comma inside the
                    // marks ends the clause as one outside would.
                    if tok.lower == "," {
                        let after_mark = (t + 1..b).find(|&u| !is_quote_mark(&self.toks[u].lower));
                        if let Some(u) = after_mark {
                            let word = self.toks[u].lower.as_str();
                            let opens =
                                matches!(word, "which" | "who" | "while" | "but" | "whereas")
                                    || (word.ends_with("ing")
                                        && !self.toks[u].capital
                                        && word.len() > 5);
                            if opens {
                                return t + 1;
                            }
                        }
                    }
                }
                continue;
            }
            let next = self.toks.get(t + 1).filter(|_| t + 1 < b);
            let next_is_cue = |n: &Tok| !n.capital && cue_at(&[n.lower.as_str()]).is_some();
            match tok.lower.as_str() {
                "," => {
                    if let Some(next) = next {
                        let opens = matches!(
                            next.lower.as_str(),
                            "which" | "who" | "while" | "but" | "whereas"
                        ) || (next.lower.ends_with("ing")
                            && next.passage.is_none()
                            && !next.capital
                            && next.lower.len() > 5)
                            || (next.lower == "and"
                                && self
                                    .toks
                                    .get(t + 2)
                                    .filter(|_| t + 2 < b)
                                    .is_some_and(next_is_cue));
                        if opens {
                            return t;
                        }
                    }
                }
                "and" if next.is_some_and(|n| next_is_cue(n) && !n.lower.ends_with("ing")) => {
                    return t;
                }
                _ => {}
            }
        }
        b
    }

    /// After "told", "warned", "urged" …: the addressee is not part of what was said ("told
    /// reporters the plan was dead").
    fn skip_object(&self, lemma: &str, after: usize, b: usize) -> usize {
        let takes_object = matches!(
            lemma,
            "tell"
                | "inform"
                | "warn"
                | "urge"
                | "assure"
                | "remind"
                | "ask"
                | "advise"
                | "brief"
                | "promise"
                | "caution"
        );
        if !takes_object || after >= b {
            return after;
        }
        let first = &self.toks[after];
        if matches!(
            first.lower.as_str(),
            "him"
                | "her"
                | "them"
                | "us"
                | "me"
                | "you"
                | "reporters"
                | "journalists"
                | "supporters"
                | "lawmakers"
                | "voters"
        ) {
            return after + 1;
        }
        if let Some((span, _, _)) = self
            .index
            .within(Span::new(first.span.start, self.toks[b - 1].span.end))
            .next()
        {
            if span.start == first.span.start {
                let end = self.toks[after..b]
                    .iter()
                    .position(|t| t.span.start >= span.end)
                    .map_or(b, |p| after + p);
                return end;
            }
        }
        after
    }

    fn skip_punct(&self, mut start: usize, b: usize) -> usize {
        while start < b && !self.toks[start].word && self.toks[start].passage.is_none() {
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

    fn ends_with_colon(&self, b: usize) -> bool {
        b > 0 && self.toks[b - 1].lower == ":"
    }

    /// The text span of a non-empty token range (an empty one gives an empty span at its start).
    fn span_of(&self, range: Range<usize>) -> Span {
        let start = self.toks[range.start].span.start;
        if range.is_empty() {
            return Span::new(start, start);
        }
        Span::new(start, self.toks[range.end - 1].span.end)
    }

    /// Turns a clause into a quote, claiming the passages its content touches.
    fn quote_of(
        &self,
        clause: Clause,
        s_idx: usize,
        claimed: &mut [bool],
        quotes: &[(usize, FoundQuote)],
        posts: &[PostWords],
    ) -> Option<FoundQuote> {
        let clause_end = clause
            .cue
            .as_ref()
            .map_or(0, |(r, _)| self.toks[r.end - 1].span.end);
        let passages: Vec<usize>;
        let mut plain: Vec<Span> = Vec::new();
        let mut words_outside = 0;
        match &clause.content {
            Content::Tokens(ranges) => {
                let mut touched = Vec::new();
                for range in ranges {
                    let mut run: Option<Range<usize>> = None;
                    for t in range.clone() {
                        let tok = &self.toks[t];
                        match tok.passage {
                            Some(p) => {
                                if !touched.contains(&p) {
                                    touched.push(p);
                                }
                                if let Some(r) = run.take() {
                                    plain.extend(self.plain_span(r));
                                }
                            }
                            None => {
                                if tok.word && tok.lower != "that" {
                                    words_outside += 1;
                                }
                                run = Some(run.map_or(t..t + 1, |r| r.start..t + 1));
                            }
                        }
                    }
                    if let Some(r) = run {
                        plain.extend(self.plain_span(r));
                    }
                }
                passages = touched;
            }
            Content::Following => {
                let sentence_end = self.toks[self.sentences[s_idx].end - 1].span.end;
                let next = self
                    .passages
                    .iter()
                    .position(|p| p.outer.start >= sentence_end)
                    .filter(|&p| {
                        self.starts_soon_after(sentence_end, self.passages[p].outer.start)
                    });
                let post_next = posts.iter().find(|post| {
                    post.span.start >= sentence_end
                        && self.starts_soon_after(sentence_end, post.span.start)
                });
                match (next, post_next) {
                    (_, Some(post))
                        if next.is_none_or(|p| post.span.start <= self.passages[p].outer.start) =>
                    {
                        return None; // The post is its own quote, attributed to its author.
                    }
                    (Some(p), _) => passages = vec![p],
                    (None, _) => return None,
                }
            }
            Content::Preceding => {
                let sentence_start = self.toks[self.sentences[s_idx].start].span.start;
                let paragraph = self.sentence_paragraph[s_idx];
                let previous = (0..self.passages.len())
                    .rev()
                    .find(|&p| self.passages[p].outer.end <= sentence_start && !claimed[p]);
                match previous {
                    Some(p) if self.paragraph_of(self.passages[p].outer.start) + 1 >= paragraph => {
                        passages = vec![p]
                    }
                    _ => return None,
                }
            }
        }
        let passages: Vec<usize> = passages.into_iter().filter(|&p| !claimed[p]).collect();
        let mut spans = plain;
        let mut marked = Vec::new();
        for &p in &passages {
            claimed[p] = true;
            marked.extend(self.passages[p].parts.iter().copied());
        }
        spans.extend(marked.iter().copied());
        spans.retain(|s| !s.is_empty());
        spans.sort_by_key(|s| s.start);
        spans.dedup();
        if spans.is_empty() {
            return None;
        }
        let kind = match (passages.is_empty(), words_outside) {
            (true, _) => QuoteKind::Indirect,
            (false, 0..=1) => QuoteKind::Direct,
            (false, _) => QuoteKind::Mixed,
        };
        let speaker = clause
            .source
            .and_then(|source| self.speaker_of(source, s_idx, quotes));
        let (verb, channel) = match clause.cue {
            Some((range, cue)) => {
                let span = self.span_of(range.clone());
                let channel = cue
                    .cue
                    .channel
                    .or_else(|| self.channel_near(range, clause_end));
                (Some((span, cue.cue)), channel)
            }
            None => (None, None),
        };
        Some(FoundQuote {
            spans,
            marked,
            kind,
            speaker,
            verb,
            channel,
        })
    }

    /// A plain (unquoted) run as a span, trimmed of punctuation at both ends.
    fn plain_span(&self, range: Range<usize>) -> Option<Span> {
        let start = self.skip_punct(range.start, range.end);
        let end = self.trim_end(start, range.end);
        (start < end).then(|| self.span_of(start..end))
    }

    fn starts_soon_after(&self, end: usize, start: usize) -> bool {
        start >= end
            && self.text[end..start]
                .chars()
                .filter(|c| !c.is_whitespace())
                .count()
                <= 2
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

    /// The speaker of a source; a pronoun continues the current speaker when one spoke just before.
    fn speaker_of(
        &self,
        source: Span,
        s_idx: usize,
        quotes: &[(usize, FoundQuote)],
    ) -> Option<FoundSpeaker> {
        let words = self.text[source.start..source.end].trim();
        if speaker::is_pronoun(words) {
            let lower = words.to_lowercase();
            let wants_person = matches!(lower.as_str(), "he" | "she");
            let recent = quotes.iter().rev().find_map(|(q_idx, quote)| {
                (q_idx + SPEAKER_REACH >= s_idx)
                    .then_some(quote.speaker.as_ref().map(|speaker| (*q_idx, speaker)))
                    .flatten()
            });
            if let Some((recent_idx, previous)) = recent {
                let is_person = previous
                    .entity
                    .map(|e| self.entities[e].entity_type == EntityType::Person)
                    .unwrap_or(
                        previous
                            .mention
                            .is_some_and(|(_, kind)| kind != MentionKind::Name),
                    );
                let fits = if wants_person {
                    is_person
                } else {
                    lower == "they" || !is_person
                };
                // "Ana Ruiz criticised the plan. She said …": a person named since the last
                // quote, to whom the entities layer attached the pronoun, is the new speaker; so
                // is anyone when the last speaker's first name says "he" or "she" cannot be them.
                let named_since = self
                    .index
                    .within(source)
                    .map(|(_, entity_idx, _)| *entity_idx)
                    .find(|&entity_idx| {
                        Some(entity_idx) != previous.entity
                            && self.entities[entity_idx].entity_type == EntityType::Person
                            && self.entities[entity_idx].mentions.iter().any(|m| {
                                m.kind != MentionKind::Pronoun
                                    && m.sentence_idx > recent_idx
                                    && m.sentence_idx <= s_idx
                            })
                    });
                let clashes = speaker::sex_clashes(&lower, &previous.name);
                if fits
                    && named_since.is_none()
                    && !clashes
                    && matches!(lower.as_str(), "he" | "she" | "they" | "it")
                {
                    return Some(FoundSpeaker {
                        name: previous.name.clone(),
                        entity: previous.entity,
                        mention: Some((source, MentionKind::Pronoun)),
                    });
                }
            }
            // "she" is not a man named as such: when the pronoun was attached to one, take the
            // nearest person before it whom it can be (within a few hundred characters), else
            // no speaker rather than the wrong one.
            let resolved = speaker::resolve(self.text, source, self.entities, &self.index);
            if !resolved
                .as_ref()
                .is_some_and(|found| speaker::sex_clashes(&lower, &found.name))
            {
                return resolved;
            }
            return self
                .index
                .named_before(source.start)
                .take_while(|(span, _, _)| span.end + PRONOUN_CHARS >= source.start)
                .map(|(_, entity_idx, _)| *entity_idx)
                .find(|&entity_idx| {
                    self.entities[entity_idx].entity_type == EntityType::Person
                        && !speaker::sex_clashes(&lower, &self.entities[entity_idx].name)
                })
                .map(|entity_idx| FoundSpeaker {
                    name: self.entities[entity_idx].name.clone(),
                    entity: Some(entity_idx),
                    mention: Some((source, MentionKind::Pronoun)),
                });
        }
        speaker::resolve(self.text, source, self.entities, &self.index)
    }

    /// The channel a clause names near its cue ("in a statement", "on Twitter").
    fn channel_near(&self, cue: Range<usize>, _clause_end: usize) -> Option<&'static str> {
        let from = cue.start.saturating_sub(6);
        let to = (cue.end + 8).min(self.toks.len());
        self.toks[from..to]
            .iter()
            .find_map(|tok| match tok.lower.as_str() {
                "statement" | "statements" => Some("statement"),
                "interview" | "interviews" => Some("interview"),
                "twitter" | "tweet" | "tweets" => Some("twitter"),
                "facebook" => Some("facebook"),
                "instagram" => Some("instagram"),
                "conference" | "briefing" => Some("press conference"),
                "letter" => Some("letter"),
                "email" | "e-mail" => Some("email"),
                "op-ed" | "column" | "blog" => Some("writing"),
                "speech" | "rally" => Some("speech"),
                _ => None,
            })
    }

    /// Passages no clause claimed: speech goes to the speaker just before it; fragments are mixed
    /// quotes of their sentence's subject, added after the others so that no passage joins one;
    /// titles, names and scare quotes are not quotes.
    fn unclaimed_passages(&self, claimed: &[bool], quotes: &mut Vec<(usize, FoundQuote)>) {
        let mut fragments = Vec::new();
        for (p, passage) in self.passages.iter().enumerate() {
            if claimed[p] {
                continue;
            }
            if !self.reads_as_speech(passage) {
                fragments.extend(self.fragment_quote(passage, quotes));
                continue;
            }
            let start = passage.outer.start;
            let s_idx = self
                .sentences
                .partition_point(|r| {
                    r.start < self.toks.len() && self.toks[r.start].span.start <= start
                })
                .saturating_sub(1);
            let paragraph = self.paragraph_of(start);
            // `“…” ― Sonya Herridge`: a dash and a name after the passage sign it.
            if let Some(speaker) = self.signature_after(passage) {
                push_passage(quotes, s_idx, passage, Some(speaker));
                continue;
            }
            // "Thornberry launched a scathing attack: “…”": a colon hands the passage to the
            // subject of its sentence, cue or not.
            let first = self.toks.partition_point(|t| t.span.start < start);
            if first > 0 && self.toks[first - 1].lower == ":" {
                let colon = first - 1;
                let sentence = self.sentences.partition_point(|r| r.end <= colon);
                if let Some(range) = self.sentences.get(sentence) {
                    let speaker = self.main_subject(range.start, colon).and_then(|source| {
                        speaker::resolve(self.text, source, self.entities, &self.index)
                    });
                    if speaker.is_some() {
                        push_passage(quotes, s_idx, passage, speaker);
                        continue;
                    }
                }
            }
            // The quote just before it, in this paragraph or the one before.
            let previous = quotes
                .iter_mut()
                .filter(|(_, q)| q.spans.first().is_some_and(|s| s.start < start))
                .max_by_key(|(_, q)| q.spans.last().map_or(0, |s| s.end))
                .filter(|(_, q)| {
                    q.kind != QuoteKind::Post
                        && q.spans
                            .last()
                            .is_some_and(|s| self.paragraph_of(s.start) + 1 >= paragraph)
                });
            match previous {
                // `"…," she said. "…"`: more of the same quote.
                Some((_, quote))
                    if quote.kind != QuoteKind::Indirect
                        && quote
                            .spans
                            .last()
                            .is_some_and(|s| self.paragraph_of(s.start) == paragraph) =>
                {
                    quote.spans.extend(passage.parts.iter().copied());
                    quote.marked.extend(passage.parts.iter().copied());
                }
                previous => {
                    let speaker = previous
                        .and_then(|(_, q)| q.speaker.clone())
                        .map(|s| FoundSpeaker { mention: None, ..s });
                    push_passage(quotes, s_idx, passage, speaker);
                }
            }
        }
        quotes.extend(fragments);
        quotes.sort_by_key(|(_, q)| q.spans.first().map_or(0, |s| s.start));
    }

    /// The person who signs a passage: a dash right after it and a name, a few words at most,
    /// up to the end of the sentence or the next quotation mark (`“…” ― Ana Lopez`).
    fn signature_after(&self, passage: &Passage) -> Option<FoundSpeaker> {
        let dash = self
            .toks
            .partition_point(|t| t.span.start < passage.outer.end);
        let sentence = self
            .sentences
            .get(self.sentences.partition_point(|r| r.end <= dash))?;
        if dash >= sentence.end || !matches!(self.toks[dash].lower.as_str(), "—" | "―" | "–" | "--")
        {
            return None;
        }
        let start = dash + 1;
        let end = (start..sentence.end)
            .find(|&t| self.toks[t].passage.is_some() || is_quote_mark(&self.toks[t].lower))
            .unwrap_or(sentence.end);
        if start >= end || end - start > MAX_SIGNATURE_TOKENS || !self.toks[start].capital {
            return None;
        }
        let span = self.span_of(start..end);
        let names_a_person = self.index.within(span).any(|(m, idx, kind)| {
            m.start == span.start
                && *kind == MentionKind::Name
                && self.entities[*idx].entity_type == EntityType::Person
        });
        if !names_a_person {
            return None;
        }
        speaker::resolve(self.text, span, self.entities, &self.index)
    }

    /// Whether an unclaimed passage reads as someone's speech: a whole sentence or more of it, and
    /// not announced as a title or name.
    fn reads_as_speech(&self, passage: &Passage) -> bool {
        let words: usize = passage
            .parts
            .iter()
            .map(|s| self.text[s.start..s.end].split_whitespace().count())
            .sum();
        if words < 4 {
            return false;
        }
        let first = self
            .toks
            .partition_point(|t| t.span.start < passage.outer.start);
        let last = self
            .toks
            .partition_point(|t| t.span.start < passage.outer.end);
        let before: Vec<&Tok> = self.toks[first.saturating_sub(3)..first].iter().collect();
        if before.iter().any(|t| names_a_title(&t.lower)) {
            return false;
        }
        // Narrative words around it in its sentence make it a fragment, not a statement.
        let sentence_of = |t: usize| self.sentences.partition_point(|r| r.end <= t);
        let s_first = sentence_of(first);
        let s_last = sentence_of(last.saturating_sub(1).max(first));
        let outside = |t: &usize| self.toks[*t].word && self.toks[*t].passage.is_none();
        let narrative = self
            .sentences
            .get(s_first)
            .map_or(0, |r| (r.start..first).filter(outside).count())
            + self
                .sentences
                .get(s_last)
                .map_or(0, |r| (last..r.end).filter(outside).count());
        narrative <= 2 || words >= 12
    }
}

/// Adds a passage as a direct quote with no cue of its own, keeping quotes in text order.
fn push_passage(
    quotes: &mut Vec<(usize, FoundQuote)>,
    s_idx: usize,
    passage: &Passage,
    speaker: Option<FoundSpeaker>,
) {
    quotes.push((
        s_idx,
        FoundQuote {
            spans: passage.parts.clone(),
            marked: passage.parts.clone(),
            kind: QuoteKind::Direct,
            speaker,
            verb: None,
            channel: None,
        },
    ));
    quotes.sort_by_key(|(_, q)| q.spans.first().map_or(0, |s| s.start));
}

struct Tail {
    words: usize,
    split_passage_at: Option<usize>,
}

#[cfg(test)]
mod tests {
    use crate::entities::find_entities;
    use crate::quotes::{find_quotes, FoundQuote, QuoteKind};
    use crate::segment::{paragraphs, sentences};
    use crate::tokens::tokenize_into;

    fn quotes(text: &str) -> Vec<FoundQuote> {
        let paragraphs = paragraphs(text);
        let sentences = sentences(text, &paragraphs);
        let tokens: Vec<_> = sentences
            .iter()
            .map(|s| {
                let mut tokens = Vec::new();
                tokenize_into(text, s.start, s.end, &mut tokens);
                tokens
            })
            .collect();
        let entities = find_entities(text, &sentences);
        find_quotes(text, &paragraphs, &sentences, &tokens, &entities, &[])
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

    #[test]
    fn tag_after_a_direct_quote() {
        let text = "“The ferry will run all winter,” harbour master Tom Reddy said on Friday.";
        assert_eq!(
            summary(text),
            [(
                "The ferry will run all winter,".to_string(),
                "direct",
                Some("Tom Reddy".to_string()),
                Some("say")
            )]
        );
    }

    #[test]
    fn a_pronoun_after_a_newly_named_person_is_that_person() {
        let text = "“The ferry will run,” Mark Hollis said. Councillor Dana Reyes, who leads the \
                    opposition, criticised the plan. She said the council had waited too long.";
        let found = summary(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[1].2.as_deref(), Some("Dana Reyes"));
    }

    #[test]
    fn she_does_not_continue_a_man_speaking() {
        let text =
            "“We will reopen in June,” said Robert Keane. “That is far too late,” she replied.";
        let found = summary(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_ne!(found[1].2.as_deref(), Some("Robert Keane"));
    }

    #[test]
    fn inverted_tag_and_split_quote() {
        let text = "“We were ready,” said Maria Gomez, the club’s captain, “and we won.”";
        let found = summary(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "We were ready, | and we won.");
        assert_eq!(found[0].2.as_deref(), Some("Maria Gomez"));
    }

    #[test]
    fn indirect_speech_with_that() {
        let text = "The mayor, Ana Lopez, insisted that the bridge would open in June.";
        let found = summary(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "the bridge would open in June");
        assert_eq!(found[0].1, "indirect");
        assert_eq!(found[0].3, Some("insist"));
    }

    #[test]
    fn mixed_quote() {
        let text = "Ana Lopez described the delay as “deeply frustrating for everyone” on Monday.";
        let found = quotes(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, QuoteKind::Mixed);
    }

    #[test]
    fn pronoun_tag_continues_the_speaker() {
        let text = "Councillor Priya Shah spoke first. “The plan is sound,” she said. “It will also save money,” she added.";
        let found = summary(text);
        assert_eq!(found.len(), 2);
        assert!(
            found.iter().all(|q| q.2.as_deref() == Some("Priya Shah")),
            "{found:?}"
        );
    }

    #[test]
    fn according_to() {
        let text = "According to the fire service, the blaze started in the kitchen.";
        let found = summary(text);
        assert_eq!(found[0].0, "the blaze started in the kitchen");
        assert_eq!(found[0].2.as_deref(), Some("the fire service"));
    }

    #[test]
    fn colon_introduces_the_next_paragraph() {
        let text = "Tom Reddy wrote on Twitter:\n\n“The harbour is closed until further notice.”";
        let found = summary(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].2.as_deref(), Some("Tom Reddy"));
        assert_eq!(found[0].1, "direct");
    }

    #[test]
    fn titles_and_scare_quotes_are_not_quotes() {
        let text = "She starred in a play titled “The Long Night of the Harbour” last year. The “reform” was popular.";
        assert!(quotes(text).is_empty(), "{:?}", summary(text));
    }

    #[test]
    fn a_following_paragraph_of_quote_keeps_the_speaker() {
        let text = "“We will rebuild the pier,” Tom Reddy said.\n\n“It will take two years and cost a great deal of money.”";
        let found = summary(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].2.as_deref(), Some("Tom Reddy"));
    }

    #[test]
    fn an_abbreviation_after_a_name_leaves_the_person_the_speaker() {
        let text =
            "“We expect the bill to pass easily,” Senate Leader Tom Hardy, R-Ky., said on Tuesday.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2.as_deref(), Some("Tom Hardy"));
        assert_eq!(found[0].3, Some("say"));
    }

    #[test]
    fn a_long_apposition_names_the_person_not_the_place() {
        let text = "“It is an intrusion on local planning,” Laura Benson, the attorney general of Kansas, one of the states suing, said at an event.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2.as_deref(), Some("Laura Benson"));
    }

    #[test]
    fn a_possessive_description_is_a_source() {
        let text = "\"We live in a broken world,\" my uncle often said.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2.as_deref(), Some("my uncle"));
        assert_eq!(found[0].1, "direct");
    }

    #[test]
    fn adding_with_an_adverb_before_a_quote_is_a_second_quote() {
        let text = "“We cannot pay for this,” Ana Lopez said, adding later, “The fund is empty and the banks are closed.”";
        let found = summary(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[1].0, "The fund is empty and the banks are closed.");
        assert_eq!(found[1].3, Some("add"));
    }

    #[test]
    fn narrative_after_a_quote_and_its_tag_is_not_quoted() {
        let text = "“He really does care about us,” Melanie Hart said, and soon the lights went down in the hall.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "He really does care about us,");
    }

    #[test]
    fn a_fronted_adverbial_is_not_what_was_said() {
        let text = "At a breakfast the next morning, Tom Reddy said he would not “bow to the board” and back the plan.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "he would not | bow to the board | and back the plan"
        );
        let text =
            "Asked about the cause of the fire, Chief Ana Lopez said “We are not going into that.”";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "We are not going into that.");
        assert_eq!(found[0].1, "direct");
    }

    #[test]
    fn a_comma_inside_the_closing_marks_ends_the_content() {
        let text = "Tom Reddy described the flood as a “terrible situation,” but stopped short of blaming the council.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the flood as a | terrible situation,");
    }

    #[test]
    fn a_that_after_the_reported_subject_belongs_to_the_content() {
        let text = "Tom Reddy said he hopes the vote sends a message that “the harbour belongs to everyone.”";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "he hopes the vote sends a message that | the harbour belongs to everyone."
        );
        assert_eq!(found[0].1, "mixed");
    }

    #[test]
    fn a_dash_and_a_name_after_a_passage_sign_it() {
        let text = "Readers wrote to us.\n\n“The harbour plan is a gift to the rich and nobody asked us about it.” ― Marta Ilves\n\nThe council meets on Monday.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2.as_deref(), Some("Marta Ilves"));
    }
}
