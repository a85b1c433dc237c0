//! One clause read at its cue, and where its content lies: before a closing tag, after "that" or a
//! colon, on both sides of a split quote, in the next passage when the tag ends with a colon, or in
//! the passage before when the tag stands alone; also "according to X" clauses. Helpers find
//! "that" or a colon after the cue, the words after a tag, where content after a cue ends, and the
//! addressee of "told" or "warned" to skip.
//!
//! It does not find the source (`source.rs`), judge whether a cue word is a verb (`words.rs`), or
//! turn the clause into a quote (`quote.rs`).

use std::ops::Range;

use super::super::cues::{cue_at, CueMatch};
use super::words::{ends_right_source, is_aux_or_adverb, is_quote_mark, opens_adverbial};
use super::{ranges_of, Clause, Content, Reader, Tok};
use crate::offsets::Span;

/// Tokens after a closing tag that still leave the content before it ("…, he said on Tuesday").
const MAX_TAIL_WORDS: usize = 7;
/// Words a reported statement needs ("spoke first" reports nothing).
const MIN_CONTENT_WORDS: usize = 3;
/// Tokens after the cue searched for "that" or a colon.
const THAT_WINDOW: usize = 10;

impl Reader<'_> {
    /// A clause whose cue starts at token `i`, if one does.
    pub(super) fn read_clause(&self, i: usize, sentence: Range<usize>) -> Option<Clause> {
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

    fn ends_with_colon(&self, b: usize) -> bool {
        b > 0 && self.toks[b - 1].lower == ":"
    }
}

struct Tail {
    words: usize,
    split_passage_at: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::super::tests::summary;

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
}
