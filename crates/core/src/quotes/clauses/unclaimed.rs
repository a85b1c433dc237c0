//! Passages no clause claimed, after every sentence has been read: a passage signed with a dash and
//! a name (`“…” ― Ana Lopez`), one after a colon given to its sentence's subject, more of the quote
//! just before, or a quote of the last speaker; shorter, narrative-bound passages go to
//! `fragments.rs`; titles and names are not quotes.
//!
//! It does not read clauses; it only places what the clause reader left over.

use super::super::speaker;
use super::super::{FoundQuote, FoundSpeaker, Origin, Passage, QuoteKind};
use super::words::{is_quote_mark, names_a_title};
use super::{Reader, Tok};
use crate::entities::MentionKind;
use crate::ner::EntityType;

/// Tokens a signature after a passage may have (`“…” ― Ana Lopez, Denver`).
const MAX_SIGNATURE_TOKENS: usize = 6;

impl Reader<'_> {
    /// Passages no clause claimed: speech goes to the speaker just before it; fragments are mixed
    /// quotes of their sentence's subject, added after the others so that no passage joins one;
    /// titles, names and scare quotes are not quotes.
    pub(super) fn unclaimed_passages(
        &self,
        claimed: &[bool],
        quotes: &mut Vec<(usize, FoundQuote)>,
    ) {
        let mut fragments = Vec::new();
        // `quotes` is kept in text order (by first span, stably) and passages come in text
        // order, so the quotes that start before a passage are a prefix of `quotes` that only
        // grows, and a passage placed is inserted after that prefix. The quote just before a
        // passage — the one of that prefix ending last, the later one on a tie — is therefore
        // kept as the prefix grows instead of found by reading every quote for every passage,
        // which made long texts quadratic.
        quotes.sort_by_key(|(_, q)| first_start(q));
        let mut before = QuotesBefore::default();
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
                push_passage(quotes, s_idx, passage, Some(speaker), Origin::Signature);
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
                        push_passage(quotes, s_idx, passage, speaker, Origin::ColonSubject);
                        continue;
                    }
                }
            }
            // The quote just before it, in this paragraph or the one before.
            let previous = before
                .latest(quotes, start)
                .map(|quote_idx| &mut quotes[quote_idx])
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
                    push_passage(quotes, s_idx, passage, speaker, Origin::LastSpeaker);
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

/// Where a quote starts: its first span's start.
fn first_start(quote: &FoundQuote) -> usize {
    quote.spans.first().map_or(0, |s| s.start)
}

/// The quotes that start before the passage being placed: how many of `quotes` (a prefix, in
/// text order) and which of them ends last.
#[derive(Default)]
struct QuotesBefore {
    n_before: usize,
    latest: Option<usize>,
}

impl QuotesBefore {
    /// The index of the quote that starts before `start` and ends last (the later one in
    /// `quotes` on a tie, as `max_by_key` chooses). `start` never decreases from call to call,
    /// and quotes are only inserted after the prefix read so far, so each quote is read once.
    fn latest(&mut self, quotes: &[(usize, FoundQuote)], start: usize) -> Option<usize> {
        let last_end = |quote: &FoundQuote| quote.spans.last().map_or(0, |s| s.end);
        while self.n_before < quotes.len() && first_start(&quotes[self.n_before].1) < start {
            let candidate = &quotes[self.n_before].1;
            let ends_later = self
                .latest
                .is_none_or(|latest| last_end(candidate) >= last_end(&quotes[latest].1));
            if !candidate.spans.is_empty() && ends_later {
                self.latest = Some(self.n_before);
            }
            self.n_before += 1;
        }
        self.latest
    }
}

/// Adds a passage as a direct quote with no cue of its own, keeping quotes in text order (by
/// their first span, ties in the order they came): after every quote that starts no later,
/// which is where a stable sort would put it.
fn push_passage(
    quotes: &mut Vec<(usize, FoundQuote)>,
    s_idx: usize,
    passage: &Passage,
    speaker: Option<FoundSpeaker>,
    origin: Origin,
) {
    let quote = (
        s_idx,
        FoundQuote {
            spans: passage.parts.clone(),
            marked: passage.parts.clone(),
            kind: QuoteKind::Direct,
            speaker,
            verb: None,
            channel: None,
            origin,
        },
    );
    let key = first_start(&quote.1);
    let at = quotes.partition_point(|(_, q)| first_start(q) <= key);
    quotes.insert(at, quote);
}

#[cfg(test)]
mod tests {
    use super::super::tests::{quotes, summary};

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
    fn a_dash_and_a_name_after_a_passage_sign_it() {
        let text = "Readers wrote to us.\n\n“The harbour plan is a gift to the rich and nobody asked us about it.” ― Marta Ilves\n\nThe council meets on Monday.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2.as_deref(), Some("Marta Ilves"));
    }
}
