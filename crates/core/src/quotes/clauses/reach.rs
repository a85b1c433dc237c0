//! Where the parts of a clause end: "that" or a colon after the cue, the words after a closing
//! tag, where content after a cue ends (", saying", "and added", ", which"), the addressee of
//! "told" or "warned" that stands between the cue and what was said, and a tag ending with a
//! colon.
//!
//! These are token walks the content reader (`content.rs`) asks; they decide nothing about a
//! clause themselves.

use super::super::cues::cue_at;
use super::words::{is_quote_mark, opens_subordinate_clause};
use super::{Reader, Tok};
use crate::offsets::Span;

/// Tokens after the cue searched for "that" or a colon.
const THAT_WINDOW: usize = 10;

impl Reader<'_> {
    pub(super) fn find_that_or_colon(
        &self,
        from: usize,
        sentence_end: usize,
    ) -> (Option<usize>, Option<usize>) {
        for t in from..sentence_end.min(from + THAT_WINDOW) {
            let tok = &self.toks[t];
            if tok.passage.is_some() {
                break;
            }
            match tok.lower.as_str() {
                "that" => return (Some(t), None),
                ":" => return (None, Some(t)),
                "," | ";" | "." => break,
                // "said when asked by a reporter if that …": a "that" inside a subordinate
                // clause of the tag is no opener of what was said.
                "when" | "if" | "whether" | "because" | "while" | "after" | "before"
                | "although" | "though" | "since" | "until" | "unless" => break,
                // "said he hopes the vote sends a message that …": a subject after the cue
                // starts the content; a "that" further on belongs to it.
                "he" | "she" | "they" | "we" | "i" | "it" => break,
                // "said officials are in possession of video that shows …": a verb after the
                // cue means the content has begun; a "that" further on is a relative.
                "is" | "are" | "was" | "were" | "has" | "have" | "had" | "will" | "would"
                | "can" | "could" | "should" | "may" | "might" | "must" => break,
                _ => {}
            }
        }
        (None, None)
    }

    /// What follows a tag: its word count up to the sentence end, or up to a comma that opens a
    /// split quote or a participle ("…, he said, adding …").
    pub(super) fn tail(&self, from: usize, sentence_end: usize) -> Tail {
        let mut words = 0;
        for t in from..sentence_end {
            let tok = &self.toks[t];
            if tok.passage.is_some() {
                // "…, he said on MSNBC’s “Morning Joe.”": a passage right after a word of the
                // tail is a title in it, not a split quote's second part.
                let mut before = t;
                while before > from && is_quote_mark(&self.toks[before - 1].lower) {
                    before -= 1;
                }
                let in_tail = before > from
                    && self.toks[before - 1].word
                    && !is_quote_mark(&self.toks[before - 1].lower);
                if !in_tail {
                    return Tail {
                        words,
                        split_passage_at: Some(t),
                    };
                }
            }
            // "…,” Corbyn gushed — despite …": an aside, not more of what was said.
            if matches!(tok.lower.as_str(), "—" | "–" | "--" | "(") {
                return Tail {
                    words,
                    split_passage_at: None,
                };
            }
            if tok.lower == "," {
                let next = self.toks.get(t + 1).filter(|_| t + 1 < sentence_end);
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
            // A title's words in the tail ("on “Morning Hour”") are no more of what was said.
            if tok.word && tok.passage.is_none() {
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
    pub(super) fn content_end(&self, start: usize, sentence_end: usize) -> usize {
        // "After Republicans vowed to court Latinos …, the party has done the opposite": content
        // inside a sentence's opening subordinate clause ends at the comma that closes it.
        let in_subordinate_clause = self
            .sentences
            .get(self.sentences.partition_point(|r| r.end <= start))
            .is_some_and(|sentence| {
                sentence.start < start
                    && opens_subordinate_clause(&self.toks[sentence.start].lower)
                    && !(sentence.start..start).any(|u| self.toks[u].lower == ",")
            });
        for t in start + 1..sentence_end {
            let tok = &self.toks[t];
            if let Some(p) = tok.passage {
                // `… because “…,” she said.`: a new tag after a passage ends the content there.
                let passage_ends = self.toks.get(t + 1).is_none_or(|n| n.passage != Some(p));
                if passage_ends {
                    let ahead = (t + 1..sentence_end.min(t + 6))
                        .take_while(|&u| self.toks[u].passage.is_none())
                        .any(|u| {
                            // "“totally wrong” for the court to criticize …", "“professionalism”
                            // displayed by …": an infinitive or a passive is no new tag.
                            !self.toks[u].capital
                                && cue_at(&[self.toks[u].lower.as_str()]).is_some()
                                && !self.toks[u].lower.ends_with("ing")
                                && self.toks[u - 1].lower != "to"
                                && self.toks.get(u + 1).is_none_or(|n| n.lower != "by")
                        });
                    if ahead {
                        return t + 1;
                    }
                    // `… as a “terrible situation,” but stopped short …`: the comma inside the
                    // marks ends the clause as one outside would.
                    if tok.lower == "," {
                        let after_mark =
                            (t + 1..sentence_end).find(|&u| !is_quote_mark(&self.toks[u].lower));
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
            let next = self.toks.get(t + 1).filter(|_| t + 1 < sentence_end);
            let next_is_cue = |n: &Tok| !n.capital && cue_at(&[n.lower.as_str()]).is_some();
            // "…; they only learned on Friday …": a semicolon ends the reported clause.
            if t > start + 1 && tok.lower == ";" {
                return t;
            }
            // "… more intense — and he noted …", "…, although it may take days …": an aside
            // or a concession of the writer's.
            if t > start + 1 {
                let dash = matches!(tok.lower.as_str(), "—" | "–" | "--" | "―");
                if let Some(next) = next {
                    let w = next.lower.as_str();
                    if dash
                        && matches!(
                            w,
                            "and"
                                | "but"
                                | "although"
                                | "though"
                                | "while"
                                | "which"
                                | "who"
                                | "even"
                                | "a"
                                | "an"
                                | "the"
                        )
                    {
                        return t;
                    }
                    if tok.lower == "," && matches!(w, "although" | "though" | "even") {
                        return t;
                    }
                }
            }
            if t > start + 1 && matches!(tok.lower.as_str(), "and" | "but") {
                // "…, and human rights groups warned …", "… but noted that …": a new clause of
                // speech joins; its cue lies a few words on, before any punctuation.
                // "and the demand for …": a cue word after a determiner is a noun.
                let joins_cue = (t + 1..sentence_end.min(t + 5))
                    .take_while(|&u| self.toks[u].word && self.toks[u].passage.is_none())
                    .any(|u| {
                        next_is_cue(&self.toks[u])
                            && !self.toks[u].lower.ends_with("ing")
                            && !matches!(
                                self.toks[u - 1].lower.as_str(),
                                "the"
                                    | "a"
                                    | "an"
                                    | "his"
                                    | "her"
                                    | "their"
                                    | "its"
                                    | "our"
                                    | "this"
                                    | "that"
                                    | "any"
                                    | "no"
                            )
                    });
                if joins_cue {
                    return if t > 0 && self.toks[t - 1].lower == "," {
                        t - 1
                    } else {
                        t
                    };
                }
            }
            match tok.lower.as_str() {
                "," if in_subordinate_clause && t > start + 1 => return t,
                "," => {
                    if let Some(next) = next {
                        // ", compared with …", ", a longstanding provision …", ", where he
                        // trailed …": the writer's comparison, apposition or relative; "…,
                        // proposed that …", "…, said one candidate …": a second predicate or
                        // a tag, not more of what was said.
                        let opens = matches!(
                            next.lower.as_str(),
                            "which"
                                | "who"
                                | "whose"
                                | "whom"
                                | "where"
                                | "while"
                                | "but"
                                | "whereas"
                                | "compared"
                                | "with"
                                | "a"
                                | "an"
                        ) || (next_is_cue(next)
                            && !next.lower.ends_with("ing")
                            && next.passage.is_none())
                            || (next.lower.ends_with("ing")
                                && next.passage.is_none()
                                && !next.capital
                                && next.lower.len() > 5)
                            || (next.lower == "and"
                                && self
                                    .toks
                                    .get(t + 2)
                                    .filter(|_| t + 2 < sentence_end)
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
        sentence_end
    }

    /// After "told", "warned", "urged" …: the addressee is not part of what was said ("told
    /// reporters the plan was dead").
    pub(super) fn skip_object(&self, lemma: &str, after: usize, sentence_end: usize) -> usize {
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
        if !takes_object || after >= sentence_end {
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
            .within(Span::new(
                first.span.start,
                self.toks[sentence_end - 1].span.end,
            ))
            .next()
        {
            if span.start == first.span.start {
                let end = self.toks[after..sentence_end]
                    .iter()
                    .position(|t| t.span.start >= span.end)
                    .map_or(sentence_end, |p| after + p);
                return end;
            }
        }
        after
    }

    pub(super) fn ends_with_colon(&self, sentence_end: usize) -> bool {
        sentence_end > 0 && self.toks[sentence_end - 1].lower == ":"
    }
}

/// What follows a tag: its words, and where a split quote's second part starts.
pub(super) struct Tail {
    /// Words up to the sentence end or the split.
    pub(super) words: usize,
    /// The token where the second part of a split quote starts.
    pub(super) split_passage_at: Option<usize>,
}
