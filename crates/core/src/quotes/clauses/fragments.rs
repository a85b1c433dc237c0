//! Quoted fragments no clause claims: "Reid has been pounding Trump as a “con artist”", "Cruz
//! exhorted Republicans to “vote your conscience”". The verb is no reporting verb, but the marks
//! say the words are someone's; in political news they are nearly always the sentence subject's.
//!
//! A fragment becomes a mixed quote of the few words around it — the phrase it completes, up to a
//! comma or another mark — spoken by the subject of its sentence; a fragment whose sentence has no
//! subject that can speak, or of a single word, is a scare quote and left out, as are titles and
//! names (every word capitalised), numbers, lone pronouns and headlines. This module does not read attribution clauses; `clauses.rs` does, and
//! hands over only the passages it could not place.

use super::{Reader, Tok};
use crate::quotes::{FoundQuote, Origin, Passage, QuoteKind};

/// Words before a fragment taken into the quote: the phrase it completes ("Trump as a “…”").
const MAX_LEAD_WORDS: usize = 4;
/// Words after a fragment taken into the quote ("“political tensions” in advanced economies").
const MAX_TRAIL_WORDS: usize = 3;

/// Whether a token ends the phrase around a fragment.
fn ends_phrase(tok: &Tok) -> bool {
    tok.passage.is_some()
        || matches!(
            tok.lower.as_str(),
            "," | ";" | ":" | "." | "(" | ")" | "—" | "–" | "--" | "?" | "!"
        )
}

impl Reader<'_> {
    /// The quote a fragment no clause claimed makes, with the sentence it is in; `None` for a
    /// title, a name, a number, a lone pronoun or a fragment with no speaker. `quotes` are those found so far.
    pub(super) fn fragment_quote(
        &self,
        passage: &Passage,
        quotes: &[(usize, FoundQuote)],
    ) -> Option<(usize, FoundQuote)> {
        let first = self
            .toks
            .partition_point(|t| t.span.start < passage.outer.start);
        let last = self
            .toks
            .partition_point(|t| t.span.start < passage.outer.end);
        let s_idx = self.sentences.partition_point(|range| range.end <= first);
        let sentence = self.sentences.get(s_idx)?.clone();
        let words: Vec<&Tok> = self.toks[first..last].iter().filter(|t| t.word).collect();
        // “Fox News Sunday”, “13th”: names and numbers, not words anyone said.
        let names_or_numbers = words
            .iter()
            .all(|t| t.capital || !t.lower.starts_with(char::is_alphabetic));
        let lone_pronoun = words.len() == 1 && super::speaker::is_pronoun(&words[0].lower);
        if names_or_numbers || lone_pronoun || self.is_title_case(&sentence) {
            return None;
        }
        let mut from = first;
        let mut n_words = 0;
        while from > sentence.start
            && n_words < MAX_LEAD_WORDS
            && !ends_phrase(&self.toks[from - 1])
        {
            n_words += usize::from(self.toks[from - 1].word);
            from -= 1;
        }
        // “… the course,” and …: a comma or point inside the closing mark ends the phrase too.
        let closes_phrase = passage.parts.last().is_some_and(|part| {
            self.text[part.start..part.end].ends_with([',', '.', ';', '!', '?'])
        });
        let mut to = last;
        let mut n_words = if closes_phrase { MAX_TRAIL_WORDS } else { 0 };
        while to < sentence.end && n_words < MAX_TRAIL_WORDS && !ends_phrase(&self.toks[to]) {
            n_words += usize::from(self.toks[to].word);
            to += 1;
        }
        let mut spans = Vec::with_capacity(passage.parts.len() + 2);
        if from < first {
            spans.push(self.span_of(from..first));
        }
        spans.extend(passage.parts.iter().copied());
        if to > last {
            spans.push(self.span_of(last..to));
        }
        // “quack”, “reform”: one word in marks is a scare quote far more often than a
        // fragment of speech (on PolNeAR train, one-word fragments matched an attribution
        // about a third of the time).
        if words.len() <= 1 {
            return None;
        }
        // A fragment whose sentence has no subject that can speak ("The “sex tape” reference
        // was apparently …") is the writer's scare quote. Handing such fragments to the last
        // speaker matched a PolNeAR train attribution about a third of the time.
        let speaker = self
            .main_subject(sentence.start, first)
            .and_then(|source| self.speaker_of(source, s_idx, quotes))?;
        Some((
            s_idx,
            FoundQuote {
                spans,
                marked: passage.parts.clone(),
                kind: QuoteKind::Mixed,
                speaker: Some(speaker),
                verb: None,
                channel: None,
                origin: Origin::Fragment,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::summary;

    #[test]
    fn a_fragment_after_a_plain_verb_is_the_subjects_mixed_quote() {
        let text = "Senator Ana Lopez has been pounding the harbour board as a “gang of amateurs” all week.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "harbour board as a | gang of amateurs | all week"
        );
        assert_eq!(found[0].1, "mixed");
        assert_eq!(found[0].2.as_deref(), Some("Ana Lopez"));
        assert_eq!(found[0].3, None);
    }

    #[test]
    fn a_fragment_stops_at_a_comma() {
        let text = "Tom Reddy wanted voters to “stay the course,” and the crowd cheered.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "Reddy wanted voters to | stay the course,");
        assert_eq!(found[0].2.as_deref(), Some("Tom Reddy"));
    }

    #[test]
    fn a_fragment_with_no_speaking_subject_is_a_scare_quote() {
        let text = "“The pier is safe,” harbour master Tom Reddy said. The “quick inspection” report was filed on Monday.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "direct");
    }

    #[test]
    fn one_word_in_marks_is_a_scare_quote() {
        let text = "Ana Lopez has been promoting “miracle” ferry timetables all week.";
        assert!(summary(text).is_empty(), "{:?}", summary(text));
    }

    #[test]
    fn names_numbers_and_pronouns_in_marks_are_not_fragments() {
        let text = "Ana Lopez appeared on “Morning Harbour Live” again. Ana Lopez ranked “13th” of the candidates. Ana Lopez did “it” again.";
        assert!(summary(text).is_empty(), "{:?}", summary(text));
    }
}
