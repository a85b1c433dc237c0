//! A read clause made a quote: the passages its content touches are claimed whole (or the next or
//! previous passage for a tag with a colon or a lone tag), the kind follows from the words outside
//! the marks (direct, mixed, indirect), the source becomes a speaker — a "he"/"she" continuing the
//! last speaker unless someone else was named since or the sex clashes — and a channel ("in a
//! statement", "on Twitter") is read near the cue.
//!
//! It does not read clauses (`content.rs`) or deal with passages no clause claims
//! (`unclaimed.rs`).

use std::ops::Range;
use std::sync::LazyLock;

use foldhash::HashMap;

use super::super::speaker;
use super::super::{FoundQuote, FoundSpeaker, Origin, PostWords, QuoteKind};
use super::{Clause, Content, Reader, SPEAKER_REACH};
use crate::entities::MentionKind;
use crate::lexicon;
use crate::ner::EntityType;
use crate::offsets::Span;

/// Words that name where the words were said, with their channel (`data/quotes/channel_words.txt`):
/// "statement" → statement, "tweet" → twitter.
static CHANNEL_WORDS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../../data/quotes/channel_words.txt"))
        .filter_map(|line| line.split_once('\t'))
        .map(|(word, channel)| (word.trim(), channel.trim()))
        .collect()
});

/// Characters back a pronoun whose attached person has the other sex looks for one it can be.
const PRONOUN_CHARS: usize = 600;

impl Reader<'_> {
    /// Turns a clause into a quote, claiming the passages its content touches.
    pub(super) fn quote_of(
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
        let (passages, plain, words_outside) = match &clause.content {
            Content::Tokens(ranges) => self.split_at_passages(ranges),
            Content::Following => (vec![self.following_passage(s_idx, posts)?], Vec::new(), 0),
            Content::Preceding => (vec![self.preceding_passage(s_idx, claimed)?], Vec::new(), 0),
        };
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
        // A clause without a cue is a transcript turn's.
        let origin = if verb.is_some() {
            Origin::Clause
        } else {
            Origin::Transcript
        };
        Some(FoundQuote {
            spans,
            marked,
            kind,
            speaker,
            verb,
            channel,
            origin,
        })
    }

    /// The passages content in the sentence touches, the plain spans between them, and how many
    /// words lie outside quotation marks ("that" aside).
    fn split_at_passages(&self, ranges: &[Range<usize>]) -> (Vec<usize>, Vec<Span>, usize) {
        let mut touched = Vec::new();
        let mut plain = Vec::new();
        let mut words_outside = 0;
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
        (touched, plain, words_outside)
    }

    /// The passage a tag ending with a colon introduces: the next one, soon after the sentence.
    /// `None` when a post comes first: the post is its own quote, attributed to its author.
    fn following_passage(&self, s_idx: usize, posts: &[PostWords]) -> Option<usize> {
        let sentence_end = self.toks[self.sentences[s_idx].end - 1].span.end;
        let next = self
            .passages
            .iter()
            .position(|p| p.outer.start >= sentence_end)
            .filter(|&p| self.starts_soon_after(sentence_end, self.passages[p].outer.start));
        let post_next = posts.iter().find(|post| {
            post.span.start >= sentence_end && self.starts_soon_after(sentence_end, post.span.start)
        });
        match (next, post_next) {
            (_, Some(post))
                if next.is_none_or(|p| post.span.start <= self.passages[p].outer.start) =>
            {
                None
            }
            (next, _) => next,
        }
    }

    /// The passage a tag standing alone reports: the last unclaimed one before the sentence, in
    /// its paragraph or the one before.
    fn preceding_passage(&self, s_idx: usize, claimed: &[bool]) -> Option<usize> {
        let sentence_start = self.toks[self.sentences[s_idx].start].span.start;
        let paragraph = self.sentence_paragraph[s_idx];
        let previous = (0..self.passages.len())
            .rev()
            .find(|&p| self.passages[p].outer.end <= sentence_start && !claimed[p])?;
        (self.paragraph_of(self.passages[previous].outer.start) + 1 >= paragraph)
            .then_some(previous)
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

    /// The speaker of a source; a pronoun continues the current speaker when one spoke just before.
    pub(super) fn speaker_of(
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
            .find_map(|tok| CHANNEL_WORDS.get(tok.lower.as_str()).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{quotes, summary};
    use crate::quotes::QuoteKind;

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
}
