//! One clause read at its cue, and where its content lies: before a closing tag, after "that" or a
//! colon, on both sides of a split quote, in the next passage when the tag ends with a colon, or in
//! the passage before when the tag stands alone; also "according to X" clauses.
//!
//! It does not find the source (`source.rs`), walk the tokens to where a part ends (`reach.rs`),
//! judge whether a cue word is a verb (`words.rs`), or turn the clause into a quote (`quote.rs`).

use std::ops::Range;

use super::super::cues::{cue_at, CueMatch};
use super::reach::Tail;
use super::words::{
    ends_right_source, is_aux_or_adverb, is_boundary_punct, is_quote_mark, opens_circumstance,
    opens_no_characterisation_after_as, opens_question, opens_time_after_for,
    opens_time_after_for_the, opens_time_after_over_the, owns_its_for,
};
use super::{ranges_of, Clause, Content, Reader};
use crate::offsets::Span;

/// Tokens after a closing tag that still leave the content before it ("…, he said on Tuesday").
const MAX_TAIL_WORDS: usize = 7;
/// Words a reported statement needs ("spoke first" reports nothing).
const MIN_CONTENT_WORDS: usize = 3;

/// A cue read in its sentence: where the cue and the clause's parts around it lie, as token
/// indexes.
struct CueSite {
    cue: CueMatch,
    /// Token just past the cue.
    cue_end: usize,
    sentence_start: usize,
    sentence_end: usize,
    /// Whether the cue shares the main clause's subject ("…, saying …", "… and said …").
    shares_subject: bool,
    /// Token just past the cue and a source written after it ("said Corbyn").
    after: usize,
    /// The token just before the source, where words before the tag end.
    boundary: Option<usize>,
}

impl Reader<'_> {
    /// A clause whose cue starts at token `cue_idx`, if one does.
    pub(super) fn read_clause(&self, cue_idx: usize, sentence: Range<usize>) -> Option<Clause> {
        let cue = self.cue_starting_at(cue_idx, &sentence)?;
        if cue.cue.lemma == "according to" {
            return self.according_to(cue_idx, cue, sentence);
        }
        if cue.cue.lemma == "ask" {
            if let Some(clause) = self.asked_question(cue_idx, cue, &sentence) {
                return Some(clause);
            }
        }
        if !self.is_verb_use(cue_idx, &sentence) {
            return None;
        }
        let (site, source) = self.locate_cue(cue, cue_idx, &sentence)?;
        let (that_at, colon_at) = self.find_that_or_colon(site.after, site.sentence_end);
        let tail = self.tail_after_tag(&site);
        // `“Absolutely not,” he said of the chance that …`: a quoted passage closing right before
        // the tag is what was said, however long the tag goes on.
        let quote_before_tag = site.boundary.is_some_and(|boundary_idx| {
            self.toks[boundary_idx].passage.is_some()
                || is_quote_mark(&self.toks[boundary_idx].lower)
        });
        let content = if self.content_before_tag_possible(&site, &tail)
            && that_at.is_none()
            && colon_at.is_none()
            && (tail.words <= MAX_TAIL_WORDS || quote_before_tag)
        {
            self.content_before_tag(&site, &tail)
        } else {
            self.content_after_cue(&site, that_at, colon_at)?
        };
        if let Content::Tokens(ranges) = &content {
            if !self.reports_a_statement(&site, ranges, that_at, colon_at) {
                return None;
            }
        }
        let resume = match &content {
            Content::Tokens(ranges) => ranges
                .iter()
                .map(|r| r.end)
                .max()
                .unwrap_or(site.sentence_end)
                .max(site.cue_end),
            _ => site.sentence_end,
        };
        Some(Clause {
            cue: Some((cue_idx..site.cue_end, cue)),
            source: Some(source),
            content,
            resume,
        })
    }

    /// A question put to someone: "Asked whether he would run, …", "When asked about the vote, …",
    /// "she was asked to name one". The question is the content, up to the comma closing a
    /// fronted clause, else where reported content ends; the source is the one who asked when
    /// "by …" names them ("asked by a reporter if …"), else none (the one asked is not the
    /// speaker of the question).
    fn asked_question(
        &self,
        cue_idx: usize,
        cue: CueMatch,
        sentence: &Range<usize>,
    ) -> Option<Clause> {
        if self.toks[cue_idx].lower != "asked" {
            return None;
        }
        let previous = (cue_idx > sentence.start).then(|| self.toks[cue_idx - 1].lower.as_str());
        let fronted = match previous {
            None => true,
            Some(word) => {
                matches!(word, "when" | "if" | "once" | "after" | "before" | "while")
                    && (cue_idx - 1 == sentence.start || self.toks[cue_idx - 2].lower == ",")
            }
        };
        let passive = previous
            .is_some_and(|word| matches!(word, "was" | "were" | "been" | "being" | "is" | "are"));
        if !(fronted || passive) {
            return None;
        }
        // Adverbs, a day or the one who asked may come before the question.
        let limit = (cue_idx + 10).min(sentence.end);
        let mut agent: Option<Range<usize>> = None;
        let mut t = cue_idx + 1;
        while t < limit && !opens_question(&self.toks[t].lower) {
            let tok = &self.toks[t];
            if tok.passage.is_some() || is_boundary_punct(&tok.lower) {
                return None;
            }
            match agent.as_mut() {
                None if tok.lower == "by" => agent = Some(t + 1..t + 1),
                Some(range) => range.end = t + 1,
                None => {}
            }
            t += 1;
        }
        if t >= limit {
            return None;
        }
        let start = t;
        let end = if fronted {
            (start + 1..sentence.end)
                .find(|&u| self.toks[u].lower == "," && self.toks[u].passage.is_none())
                .unwrap_or_else(|| self.content_end(start, sentence.end))
        } else {
            self.content_end(start, sentence.end)
        };
        let end = self.trim_end(start, end);
        if end < start + MIN_CONTENT_WORDS {
            return None;
        }
        Some(Clause {
            cue: Some((cue_idx..cue_idx + cue.len, cue)),
            source: agent
                .filter(|range| !range.is_empty())
                .map(|range| self.span_of(range)),
            content: Content::Tokens(ranges_of(start..end)),
            resume: end,
        })
    }

    /// The cue whose first word is token `cue_idx`. Read for every token: a fixed window, no
    /// allocation.
    fn cue_starting_at(&self, cue_idx: usize, sentence: &Range<usize>) -> Option<CueMatch> {
        let mut window = [""; 3];
        let n_words = (sentence.end - cue_idx).min(window.len());
        for (slot, tok) in window
            .iter_mut()
            .zip(&self.toks[cue_idx..cue_idx + n_words])
        {
            *slot = tok.lower.as_str();
        }
        cue_at(&window[..n_words])
    }

    /// Where the cue's source and the words around it lie; `None` when the cue has no source or
    /// reports a circumstance ("speaking to reporters").
    fn locate_cue(
        &self,
        cue: CueMatch,
        cue_idx: usize,
        sentence: &Range<usize>,
    ) -> Option<(CueSite, Span)> {
        let sentence_start = sentence.start;
        let sentence_end = sentence.end;
        let cue_end = cue_idx + cue.len;
        // "…, saying the coalition was there …": the subject is the main clause's.
        let shares_subject = self.shares_main_subject(cue_idx, sentence_start);
        if shares_subject && self.reports_circumstance(cue_idx, cue_end, sentence_end) {
            return None;
        }
        let (left_source, left_start) = if shares_subject {
            (self.main_subject(sentence_start, cue_idx - 1), cue_idx)
        } else {
            self.left_source(cue_idx, sentence_start)
        };
        // "Bus service will stop on Sundays, said a spokesman": a short sentence-opening phrase
        // before the tag's comma is what was said when a source follows the cue.
        let inverted_tag = !shares_subject
            && left_start == sentence_start
            && cue_idx >= sentence_start + 2
            && self.toks[cue_idx - 1].lower == ","
            && left_source.is_some_and(|s| s.end == self.toks[cue_idx - 2].span.end)
            && !self.right_source(cue_end, sentence_end).is_empty();
        let (left_source, left_start) = if inverted_tag {
            (None, cue_idx)
        } else {
            (left_source, left_start)
        };
        let mut after = cue_end;
        let source = match left_source {
            Some(source) => source,
            None if !shares_subject => {
                // "…," said Corbyn: the source follows the cue.
                let right = self.right_source(cue_end, sentence_end);
                if right.is_empty() {
                    return None;
                }
                after = right.end;
                self.span_of(right)
            }
            None => return None,
        };
        let boundary = left_start
            .checked_sub(1)
            .filter(|&boundary_idx| boundary_idx >= sentence_start);
        let site = CueSite {
            cue,
            cue_end,
            sentence_start,
            sentence_end,
            shares_subject,
            after,
            boundary,
        };
        Some((site, source))
    }

    /// "…, saying …", "… and said …", "… but said …": the cue shares the main clause's subject.
    fn shares_main_subject(&self, cue_idx: usize, sentence_start: usize) -> bool {
        if cue_idx <= sentence_start {
            return false;
        }
        let cue_word = self.toks[cue_idx].lower.as_str();
        let previous = self.toks[cue_idx - 1].lower.as_str();
        (cue_word.ends_with("ing")
            && matches!(previous, "," | "and" | "while" | "before" | "after" | "by"))
            || (previous == "and" && !cue_word.ends_with("ing"))
            || (matches!(previous, "but" | "then") && !cue_word.ends_with("ing"))
    }

    /// "speaking to reporters", "talking at a rally": circumstance, not what was said.
    fn reports_circumstance(&self, cue_idx: usize, cue_end: usize, sentence_end: usize) -> bool {
        self.toks[cue_idx].lower.ends_with("ing")
            && self
                .toks
                .get(cue_end)
                .filter(|_| cue_end < sentence_end)
                .is_some_and(|t| {
                    matches!(
                        t.lower.as_str(),
                        "to" | "at" | "with" | "on" | "in" | "during" | "before"
                    )
                })
    }

    /// What follows the tag. "…," said Kenneth Baer, a former official who …: an apposition, not
    /// more content, so it counts no words.
    fn tail_after_tag(&self, site: &CueSite) -> Tail {
        let (after, sentence_end) = (site.after, site.sentence_end);
        let mut tail = self.tail(after, sentence_end);
        if after < sentence_end
            && self.toks[after].lower == ","
            && after + 1 < sentence_end
            && (self.is_description(after + 1)
                || matches!(self.toks[after + 1].lower.as_str(), "who" | "whose"))
            && tail.split_passage_at.is_none()
        {
            tail.words = 0;
        }
        tail
    }

    /// Whether the content may lie before the tag ("…, he said").
    fn content_before_tag_possible(&self, site: &CueSite, tail: &Tail) -> bool {
        let (sentence_start, sentence_end, after) =
            (site.sentence_start, site.sentence_end, site.after);
        // A participle ("…, saying the plan …") always reports what follows it.
        let separated = !site.shares_subject
            && site.boundary.is_some_and(|boundary_idx| {
                let tok = &self.toks[boundary_idx];
                (tok.lower == "," || tok.passage.is_some() || is_quote_mark(&tok.lower))
                    && ((sentence_start..boundary_idx).any(|t| self.toks[t].passage.is_some())
                        || (sentence_start..boundary_idx)
                            .filter(|&t| self.toks[t].word)
                            .count()
                            >= MIN_CONTENT_WORDS)
            });
        // Words before the tag that are no quote: "Asked about it, O’Neill said “…”", "At a
        // breakfast the next morning, Cruz said he …", "Moments later, in his remarks, Cruz said
        // he …". Before a plain comma, a split quote needs the passage right after the tag's
        // comma; plain words before the tag give way to content after it when the tag goes on
        // with words that report (not a circumstance such as "on Tuesday" or "in a statement").
        let before_is_plain = site.boundary.is_some_and(|boundary_idx| {
            !(sentence_start..=boundary_idx)
                .any(|t| self.toks[t].passage.is_some() || is_quote_mark(&self.toks[t].lower))
        });
        // "Asked about the fare, Ortiz said, “It will stay.”": a passage after the tag that opens
        // a sentence of its own is all that was said; the writer's words before the tag are
        // no first part of it ("To cut costs, he said, “the line must close”" may be).
        let split_opens_sentence = tail.split_passage_at.is_some_and(|t| {
            (t..sentence_end)
                .find(|&u| self.toks[u].word)
                .is_some_and(|u| self.toks[u].passage.is_some() && self.toks[u].capital)
        });
        let split_after_plain = tail
            .split_passage_at
            .is_some_and(|t| t < 1 || tail.words > 0 || self.toks[t - 1].lower != ",")
            || split_opens_sentence;
        // "…, a spokesman told The Daily Record.": the one told is no report of what was said.
        let after_object = self.skip_object(site.cue.cue.lemma, after, sentence_end);
        let object_words = (after..after_object).filter(|&t| self.toks[t].word).count();
        let tail_reports = self
            .toks
            .get(after_object)
            .filter(|_| after_object < sentence_end)
            .is_some_and(|t| t.passage.is_some() || (t.word && !ends_right_source(&t.lower)))
            && (tail.words.saturating_sub(object_words) >= MIN_CONTENT_WORDS
                || tail.split_passage_at.is_some());
        separated && !(before_is_plain && (split_after_plain || tail_reports))
    }

    /// The content before the tag, with a split quote's second part or the rest of a sentence
    /// the tag interrupts.
    fn content_before_tag(&self, site: &CueSite, tail: &Tail) -> Content {
        let (sentence_start, sentence_end, after) =
            (site.sentence_start, site.sentence_end, site.after);
        let boundary_idx = site.boundary.unwrap_or(sentence_start);
        let before_end = if self.toks[boundary_idx].lower == "," {
            boundary_idx
        } else {
            boundary_idx + 1
        };
        let mut ranges = ranges_of(sentence_start..before_end);
        if let Some(split_start) = tail.split_passage_at {
            ranges.push(split_start..sentence_end);
        } else if self.toks.get(after).is_some_and(|t| t.lower == ",")
            && after + 1 < sentence_end
            // `“…,” Melanie said, and soon …`: after a quote, plain words are narrative.
            && self.toks[boundary_idx].passage.is_none()
            && !is_quote_mark(&self.toks[boundary_idx].lower)
        {
            // "To prevent problems, he said, officials should be vigilant."
            let rest = self.skip_punct(after + 1, sentence_end);
            let end = self.trim_end(rest, self.content_end(rest, sentence_end).max(rest));
            // "…," said Elez Biberaj, the director of …: an apposition to the name after the cue.
            let apposition = after > site.cue_end
                || self.toks.get(rest).is_none_or(|t| {
                    rest >= sentence_end || matches!(t.lower.as_str(), "who" | "whose" | "whom")
                });
            if !apposition && !self.toks[rest].lower.ends_with("ing") && end > rest + 2 {
                ranges.push(rest..end);
            }
        }
        Content::Tokens(ranges)
    }

    /// The content after the cue: after "that" or a colon, past an object, or in the passage
    /// before or after the sentence. `None` for "add" that reports no speech.
    fn content_after_cue(
        &self,
        site: &CueSite,
        that_at: Option<usize>,
        colon_at: Option<usize>,
    ) -> Option<Content> {
        let sentence_end = site.sentence_end;
        let start = match (that_at, colon_at) {
            (Some(that_idx), _) => that_idx + 1,
            (None, Some(colon_idx)) => colon_idx + 1,
            (None, None) => self.skip_object(site.cue.cue.lemma, site.after, sentence_end),
        };
        // "The detour adds 14 km": "add" reports speech only with "that", a colon or a quote.
        // "…, adding later, “…”": adverbs and a comma may stand before the quote, which is
        // then all the content.
        let quote_at = (start..sentence_end.min(start + 4))
            .take_while(|&t| {
                self.toks[t].passage.is_some()
                    || self.toks[t].lower == ","
                    || is_quote_mark(&self.toks[t].lower)
                    || is_aux_or_adverb(&self.toks[t].lower)
                    || self.toks[t].lower.ends_with("ly")
            })
            .find(|&t| self.toks[t].passage.is_some());
        // "But, Ortiz added, the fare will rise": a tag set off by commas inside the sentence
        // interrupts what was said, whatever its verb.
        let interrupting = site
            .boundary
            .is_some_and(|boundary_idx| self.toks[boundary_idx].lower == ",")
            && self.toks.get(site.after).is_some_and(|t| t.lower == ",");
        if site.cue.cue.lemma == "add"
            && that_at.is_none()
            && colon_at.is_none()
            && quote_at.is_none()
            && !interrupting
        {
            return None;
        }
        let start = self.skip_punct(quote_at.unwrap_or(start), sentence_end);
        let mut end = self.content_end(start, sentence_end);
        // "Ortiz, who said the ferry would be late, left early": content inside a relative
        // clause between commas ends at the comma that closes it.
        if self.in_relative_between_commas(site.cue_end - site.cue.len, site.sentence_start) {
            if let Some(comma) = (start + 1..end)
                .find(|&t| self.toks[t].lower == "," && self.toks[t].passage.is_none())
            {
                end = comma;
            }
        }
        let end = self.trim_end(start, end);
        Some(if start < end {
            Content::Tokens(ranges_of(start..end))
        } else if colon_at.is_some() || (end == start && self.ends_with_colon(sentence_end)) {
            Content::Following
        } else {
            Content::Preceding
        })
    }

    /// Whether content after a verb of judging states a ground or a characterisation after its
    /// object ("the board for the late repairs", "the plan as reckless", "the council over its
    /// handling of the flood"): a "for", "as" or "over" within a few words of the object's start,
    /// with no comma or participle before it ("the law's support for …" keeps "for" inside the
    /// object) and not opening a span of time ("for years", "over the weekend") or a clause ("as
    /// it was passing").
    fn states_a_ground(&self, ranges: &[Range<usize>]) -> bool {
        // Only the first words are looked at (a ground within ten words, two words after it),
        // so a long content is not copied whole.
        let toks: Vec<usize> = ranges.iter().flat_map(|r| r.clone()).take(13).collect();
        if toks.is_empty() {
            return false;
        }
        for (k, &t) in toks.iter().enumerate().skip(1).take(10) {
            let word = self.toks[t].lower.as_str();
            if word == "," || word.ends_with("ing") || self.toks[t].passage.is_some() {
                return false;
            }
            if !matches!(word, "for" | "as" | "over") {
                continue;
            }
            let next = toks.get(k + 1).map(|&n| self.toks[n].lower.as_str());
            let after = toks.get(k + 2).map(|&n| self.toks[n].lower.as_str());
            let the_then =
                |time_word: fn(&str) -> bool| next == Some("the") && after.is_some_and(time_word);
            let before = self.toks[t - 1].lower.as_str();
            let ground = match word {
                // "for years", "for the first time", "his support for the plan"
                "for" => {
                    let time = next.is_some_and(opens_time_after_for)
                        || the_then(opens_time_after_for_the);
                    !time && !owns_its_for(before)
                }
                // "as it passed", "as well", "as president"
                "as" => !next.is_some_and(opens_no_characterisation_after_as),
                // "over the weekend", "over the past year"
                _ => !the_then(opens_time_after_over_the),
            };
            if ground {
                return true;
            }
        }
        false
    }

    /// Whether the cue at `cue_idx` is the verb of a relative clause set off by a comma (",
    /// who said …", ", who has long argued …").
    fn in_relative_between_commas(&self, cue_idx: usize, sentence_start: usize) -> bool {
        let mut t = cue_idx;
        while t > sentence_start && is_aux_or_adverb(&self.toks[t - 1].lower) {
            t -= 1;
        }
        t >= sentence_start + 2
            && matches!(self.toks[t - 1].lower.as_str(), "who" | "which")
            && self.toks[t - 2].lower == ","
    }

    /// Whether content in the sentence reports a statement: enough words, and for a participle
    /// or "call", a quote or a "that".
    fn reports_a_statement(
        &self,
        site: &CueSite,
        ranges: &[Range<usize>],
        that_at: Option<usize>,
        colon_at: Option<usize>,
    ) -> bool {
        let quotes_words = ranges
            .iter()
            .flat_map(|r| r.clone())
            .any(|t| self.toks[t].passage.is_some());
        // "…, attacking the embassy": an evaluative participle is an act, not speech, unless
        // it quotes or reports with "that". A verb of judging with its target and a ground
        // ("…, criticizing the board for the delay") reports the judgement, as its finite form
        // does; with its target alone it is no statement (below).
        let judges_target = site.cue.cue.takes_target && !site.cue.cue.names_an_act;
        if site.shares_subject
            && !site.cue.cue.neutral
            && !judges_target
            && !quotes_words
            && that_at.is_none()
        {
            return false;
        }
        // "praised the volunteers", "ripped into the council after the vote": a verb of judging
        // with only its object (or time and place after it) is no statement. With a ground or a
        // characterisation after the object ("criticized the board for the delay", "slammed
        // the plan as reckless") it reports the judgement, and the object and its ground are its
        // content. "spoke at the rally", "attacked the embassy": a verb that names an act
        // reports words only when they are quoted or reported with "that" or after a colon.
        let content_after_cue = ranges.first().is_some_and(|r| r.start >= site.cue_end);
        if judges_target
            && content_after_cue
            && !quotes_words
            && that_at.is_none()
            && colon_at.is_none()
            && !self.states_a_ground(ranges)
        {
            return false;
        }
        if site.cue.cue.names_an_act
            && content_after_cue
            && !quotes_words
            && that_at.is_none()
            && colon_at.is_none()
        {
            return false;
        }
        // "spoke on Saturday at the gala", "resigned when the war began": content after the
        // cue that opens with a preposition or a conjunction is the act's circumstance.
        if content_after_cue
            && !quotes_words
            && that_at.is_none()
            && colon_at.is_none()
            && ranges
                .first()
                .is_some_and(|r| opens_circumstance(&self.toks[r.start].lower))
        {
            return false;
        }
        // "called the plan a mistake" reports a judgement; "called on", "called to",
        // "called back", "a man called …" do not.
        if site.cue.cue.lemma == "call" && !quotes_words {
            let first = ranges.first().map(|r| r.start);
            let object_follows = first.is_some_and(|first_idx| {
                first_idx == site.cue_end
                    && !matches!(
                        self.toks[first_idx].lower.as_str(),
                        "on" | "to" | "in" | "for" | "back" | "off" | "up" | "it" | "out" | "at"
                    )
            });
            if !object_follows {
                return false;
            }
        }
        let n_words = ranges
            .iter()
            .flat_map(|r| r.clone())
            .filter(|&t| self.toks[t].word || self.toks[t].passage.is_some())
            .count();
        // `Priebus said, "Probably."`: a passage that is all the content is what was said,
        // however short.
        let only_passage = ranges
            .iter()
            .flat_map(|r| r.clone())
            .filter(|&t| self.toks[t].word)
            .all(|t| self.toks[t].passage.is_some());
        n_words >= MIN_CONTENT_WORDS || (only_passage && quotes_words)
    }

    /// "According to X, …" / "…, according to X."
    fn according_to(
        &self,
        cue_idx: usize,
        cue: CueMatch,
        sentence: Range<usize>,
    ) -> Option<Clause> {
        let sentence_start = sentence.start;
        let sentence_end = sentence.end;
        let source = self.right_source_np(cue_idx + cue.len, sentence_end);
        if source.is_empty() {
            return None;
        }
        let opener = (sentence_start..cue_idx).all(|t| {
            !self.toks[t].word
                || matches!(self.toks[t].lower.as_str(), "but" | "and" | "yet" | "so")
        });
        let content = if opener {
            let start = self.skip_punct(source.end, sentence_end);
            let end = self.trim_end(start, sentence_end);
            ranges_of(start..end)
        } else {
            let end = if cue_idx > sentence_start && self.toks[cue_idx - 1].lower == "," {
                cue_idx - 1
            } else {
                cue_idx
            };
            let mut ranges = ranges_of(sentence_start..end);
            let rest = self.skip_punct(source.end, sentence_end);
            let rest_end = self.trim_end(rest, sentence_end);
            if rest < rest_end && (rest_end - rest) > 2 {
                ranges.push(rest..rest_end);
            }
            ranges
        };
        if content.iter().all(|r| r.is_empty()) {
            return None;
        }
        Some(Clause {
            cue: Some((cue_idx..cue_idx + cue.len, cue)),
            source: Some(self.span_of(source.clone())),
            content: Content::Tokens(content),
            resume: sentence_end,
        })
    }
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
    fn a_verb_of_judging_with_a_ground_reports_the_judgement() {
        let found =
            summary("Ana Lopez has sharply criticized the harbour board for the late repairs.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the harbour board for the late repairs");
        assert_eq!(found[0].2.as_deref(), Some("Ana Lopez"));
        for (text, ground) in [
            (
                "Tom Reddy slammed the marina plan as a giveaway to developers.",
                "as a giveaway to developers",
            ),
            (
                "The union condemned the ferry company over its handling of the storm.",
                "over its handling of the storm",
            ),
            (
                "Tom Reddy praised the volunteers for rebuilding the pier in a month.",
                "for rebuilding the pier in a month",
            ),
        ] {
            let found = summary(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert!(found[0].0.ends_with(ground), "{text}: {found:?}");
        }
    }

    #[test]
    fn a_verb_of_judging_with_only_an_object_is_no_statement() {
        for text in [
            "Tom Reddy praised the volunteers who rebuilt the pier last spring.",
            "Councillor Ana Lopez has ripped into the harbour board after the vote on Monday.",
            "The mayor took aim at our neighbours across the bay at the rally.",
            "Ana Lopez criticized the harbour board on Monday at the council meeting.",
            // A "for" inside the object or opening a span of time is no ground.
            "Tom Reddy criticized his rival's support for the ferry subsidy.",
            "Ana Lopez has criticized the harbour board for years.",
        ] {
            assert!(summary(text).is_empty(), "{text}: {:?}", summary(text));
        }
    }

    #[test]
    fn a_participle_of_judging_with_its_target_reports_the_judgement() {
        let found = summary(
            "Ana Lopez closed the meeting early, criticizing the harbour board for the late repairs.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the harbour board for the late repairs");
        assert_eq!(found[0].2.as_deref(), Some("Ana Lopez"));
        // An act stays an act, and a judgement needs its ground.
        for text in [
            "The rebels crossed the river at night, attacking the harbour office.",
            "Tom Reddy opened the new pier on Sunday, praising the volunteers.",
        ] {
            assert!(summary(text).is_empty(), "{text}: {:?}", summary(text));
        }
    }

    #[test]
    fn a_verb_of_judging_that_names_an_act_is_no_statement_without_words() {
        for text in [
            "Rebels attacked the harbour office on Monday night.",
            "The crowd cheered the ferry crews as they came ashore.",
            "Ana Lopez celebrated the reopening of the pier with the volunteers.",
        ] {
            assert!(summary(text).is_empty(), "{text}: {:?}", summary(text));
        }
        let found = summary("Ana Lopez attacked the plan as “a gift to the ferry company”.");
        assert!(
            found
                .iter()
                .any(|q| q.0.contains("a gift to the ferry company")),
            "{found:?}"
        );
    }

    #[test]
    fn a_verb_of_judging_with_that_or_quoted_words_reports_speech() {
        let found = summary("Ana Lopez attacked the plan, saying that it would ruin the harbour.");
        assert!(
            found.iter().any(|q| q.0 == "it would ruin the harbour"),
            "{found:?}"
        );
        let found = summary("Tom Reddy slammed the board for its “reckless and shabby” plan.");
        assert!(
            found.iter().any(|q| q.0.contains("reckless and shabby")),
            "{found:?}"
        );
    }

    #[test]
    fn a_circumstance_after_the_cue_is_not_what_was_said() {
        let found = summary("The mayor spoke at the harbour festival when the boats came in.");
        assert!(found.is_empty(), "{found:?}");
        let found = summary("The mayor spoke about “a pier for everyone” at the festival.");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn a_verb_that_names_an_act_reports_speech_only_with_that_or_marks() {
        for text in [
            "The mayor spoke about the need for a new pier.",
            "The mayor continued her tour of the harbour on Monday.",
            "Ana Lopez pledged support for the ferry crews after the storm.",
            "Tom Reddy wrote a letter to the harbour board last week.",
        ] {
            assert!(summary(text).is_empty(), "{text}: {:?}", summary(text));
        }
        let found = summary("Ana Lopez wrote that the pier was safe for the summer.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the pier was safe for the summer");
    }

    #[test]
    fn a_semicolon_ends_reported_speech() {
        let found = summary(
            "Port officials said the timing was not intentional; they only learned of the delay on Friday.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the timing was not intentional");
    }

    #[test]
    fn content_in_an_opening_subordinate_clause_ends_at_its_comma() {
        let found = summary(
            "After the harbour board promised to rebuild the pier within a year, the council cut its budget by half.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "to rebuild the pier within a year");
    }

    #[test]
    fn an_apposition_or_a_second_predicate_after_a_comma_is_not_what_was_said() {
        let found = summary(
            "Mayor Ana Lopez said the town would keep the ferry levy, a charge first set in 1990.",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the town would keep the ferry levy");
        let found = summary(
            "Councillor Tom Reddy urged the board to sell the pier, proposed that the ferry run at night and left early.",
        );
        assert_eq!(found[0].0, "the board to sell the pier", "{found:?}");
    }

    #[test]
    fn a_second_speech_clause_after_and_ends_the_first() {
        let found = summary(
            "Ana Lopez said the ferry would run again in May, and harbour groups warned that the pier was unsafe.",
        );
        assert_eq!(found[0].0, "the ferry would run again in May", "{found:?}");
        assert!(found.iter().all(|q| !q.0.contains("warned")), "{found:?}");
        // "and the demand …": a cue word after a determiner is a noun, and the content goes on.
        let found = summary(
            "Tom Reddy called the vote and the demand for a new pier a political stunt by the board.",
        );
        assert!(
            found.iter().all(|q| q.0.contains("political stunt")),
            "{found:?}"
        );
    }

    #[test]
    fn a_that_after_the_reported_verb_is_a_relative() {
        let found = summary("Tom Reddy said officials have a video that shows the collapse.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "officials have a video that shows the collapse");
    }

    #[test]
    fn an_aside_after_a_dash_is_not_what_was_said() {
        let found = summary(
            "Ana Lopez said the talks would be harder this time — and she noted that the vote was weeks away.",
        );
        assert_eq!(
            found[0].0, "the talks would be harder this time",
            "{found:?}"
        );
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
        // The question put to her is a quote of its own, without her as its speaker.
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "about the cause of the fire");
        assert_eq!(found[1].0, "We are not going into that.");
        assert_eq!(found[1].1, "direct");
        assert_eq!(found[1].2.as_deref(), Some("Ana Lopez"));
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
    fn plain_words_before_a_tag_that_goes_on_are_not_what_was_said() {
        let text =
            "Moments later, in her closing remarks, Mayor Lena Ortiz said the council would \
                    vote again in March.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the council would vote again in March");
        assert_eq!(found[0].2.as_deref(), Some("Lena Ortiz"));
        let text =
            "Noting that she trained as an engineer, Ortiz said she reads every tender twice.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "she reads every tender twice");
        // A circumstance after the tag leaves the words before it the content.
        let text = "The bridge will reopen in May, Ortiz said on Tuesday at the harbour office.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "The bridge will reopen in May");
    }

    #[test]
    fn a_second_predicate_after_but_shares_the_subject() {
        let text = "Mayor Lena Ortiz admitted the budget was late but said the new bridge would \
                    open in May.";
        let found = summary(text);
        let last = found.last().expect("a quote");
        assert_eq!(last.0, "the new bridge would open in May", "{found:?}");
        assert_eq!(last.2.as_deref(), Some("Lena Ortiz"));
    }

    #[test]
    fn a_quote_closing_right_before_its_tag_is_what_was_said_however_long_the_tag() {
        let text = "“Absolutely not,” Mayor Lena Ortiz said of the plan to reopen the old ferry \
                    terminal at the north pier before the end of next year.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "Absolutely not,");
        assert_eq!(found[0].1, "direct");
        assert_eq!(found[0].2.as_deref(), Some("Lena Ortiz"));
    }

    #[test]
    fn a_question_put_to_someone_is_what_was_asked() {
        let text = "Asked whether the ferry would run in winter, Ortiz said the council had not \
                    decided.";
        let found = summary(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "whether the ferry would run in winter");
        assert_eq!(found[0].2, None, "the one asked did not ask");
        assert_eq!(found[0].3, Some("ask"));
        assert_eq!(found[1].0, "the council had not decided");
        assert_eq!(found[1].2.as_deref(), Some("Ortiz"));

        let text = "The harbour master was asked about the delays at the north pier.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "about the delays at the north pier");
        assert_eq!(found[0].2, None);

        let text = "When asked by a reporter if the toll would rise, Ortiz shook her head.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "if the toll would rise");
        assert_eq!(found[0].2.as_deref(), Some("a reporter"));

        // "asked" with no question after it puts no question.
        let text = "Asked for a comment, Ortiz said the council had not decided.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the council had not decided");
    }

    #[test]
    fn content_in_a_relative_clause_ends_at_its_closing_comma() {
        let text = "Ortiz, who said the ferry would be late again, left the meeting early.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the ferry would be late again");
        assert_eq!(found[0].2.as_deref(), Some("Ortiz"));
    }

    #[test]
    fn a_passage_opening_a_sentence_after_the_tag_is_all_that_was_said() {
        let text = "As the crowd booed, the mayor said, “Please let me finish.”";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "Please let me finish.");
        assert_eq!(found[0].1, "direct");
        // A passage that goes on from the words before the tag is a second part of them.
        let text = "To cut costs, he said, “the line must close on Sundays.”";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "To cut costs | the line must close on Sundays.");
    }

    #[test]
    fn the_one_told_is_no_report_of_what_was_said() {
        let text = "The ferry line will keep running through the winter, a port official told \
                    The Harbour Times.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "The ferry line will keep running through the winter"
        );
        assert_eq!(found[0].2.as_deref(), Some("a port official"));
    }

    #[test]
    fn a_title_in_the_tail_of_a_tag_is_no_split_quote() {
        let text = "Ana Ortiz was against the toll while the bridge was built, he said on the \
                    station's “Harbour Hour.”";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "Ana Ortiz was against the toll while the bridge was built"
        );
    }

    #[test]
    fn an_infinitive_or_a_passive_after_a_passage_is_no_new_tag() {
        let text = "Ortiz said it was “totally wrong” for the court to criticize the council.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "it was | totally wrong | for the court to criticize the council"
        );
    }

    #[test]
    fn a_tag_set_off_by_commas_interrupts_what_was_said_whatever_its_verb() {
        let text = "But, Ortiz added, the fare will rise again in the spring.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .0
                .ends_with("the fare will rise again in the spring"),
            "{found:?}"
        );
        assert_eq!(found[0].2.as_deref(), Some("Ortiz"));
        // Without the commas, "add" still needs "that", a colon or a quote.
        let text = "The detour adds 14 km to the trip.";
        assert!(summary(text).is_empty(), "{:?}", summary(text));
    }

    #[test]
    fn a_short_passage_that_is_all_the_content_is_what_was_said() {
        let text = "Asked whether he would sell the ferry, Reyes said, \"Probably.\"";
        let found = summary(text);
        assert!(
            found
                .iter()
                .any(|q| q.0 == "Probably." && q.2.as_deref() == Some("Reyes")),
            "{found:?}"
        );
    }

    #[test]
    fn a_that_after_a_subordinate_clause_in_the_tail_belongs_to_it() {
        let text = "\"Absolutely,\" he said when asked by a reporter if that was still his plan.";
        let found = summary(text);
        assert!(found.iter().any(|q| q.0 == "Absolutely,"), "{found:?}");
        assert!(
            found.iter().all(|q| q.0 != "was still his plan"),
            "{found:?}"
        );
    }
}
