//! The source of a clause: the noun phrase before its cue ("a senior official said", "economists
//! say", "47 percent of voters said", a long subject opening the sentence), the name
//! before an apposition ("Kemp, former commander of …, said", "Ana Lopez, a lawyer at …, who …,
//! said"), the phrase before a relative ("the official who spoke"), the phrase between commas ("The
//! mayor, Ana Lopez, insisted"), the noun phrase after the cue ("said the spokesman"), and the main
//! clause's subject for a participle ("…, saying …").
//!
//! It finds where a source is written, as a span; it does not resolve it to an entity or continue
//! a pronoun's speaker (`quote.rs` and `speaker.rs` do), nor decide what the clause reports.

use std::ops::Range;

use super::super::cues::cue_at;
use super::super::speaker::is_personal_pronoun;
use super::words::{
    ends_right_source, is_aux_or_adverb, is_boundary_punct, is_plural_noun, is_quote_mark,
    is_source_word, opens_clause,
};
use super::Reader;
use crate::ner::EntityType;
use crate::offsets::Span;

/// Tokens a source may have.
const MAX_SOURCE_TOKENS: usize = 10;
/// Tokens a source that opens its sentence may have ("Large majorities of Republican voters in
/// six states going to the polls on Tuesday said").
const MAX_LONG_SOURCE_TOKENS: usize = 20;
/// Tokens an apposition between a name and its tag may have.
const MAX_APPOSITION_TOKENS: usize = 40;

fn is_dash(word: &str) -> bool {
    matches!(word, "—" | "–" | "--" | "―")
}

impl Reader<'_> {
    /// The source left of a cue at `cue_idx`, and the token where its clause starts.
    pub(super) fn left_source(
        &self,
        cue_idx: usize,
        sentence_start: usize,
    ) -> (Option<Span>, usize) {
        let mut left_end = cue_idx;
        while left_end > sentence_start
            && (is_aux_or_adverb(&self.toks[left_end - 1].lower)
                || (self.toks[left_end - 1].lower.ends_with("ly")
                    && !self.toks[left_end - 1].capital
                    && left_end - 1 > sentence_start))
        {
            left_end -= 1;
        }
        // "Officials, however, said": an adverb between commas.
        if left_end >= sentence_start + 4
            && self.toks[left_end - 1].lower == ","
            && self.toks[left_end - 3].lower == ","
            && matches!(
                self.toks[left_end - 2].lower.as_str(),
                "however" | "though" | "too" | "meanwhile" | "instead" | "also" | "moreover"
            )
        {
            left_end -= 3;
        }
        // "Many residents — teachers, nurses, retirees — said": the source is before the aside.
        if left_end >= sentence_start + 3 && is_dash(&self.toks[left_end - 1].lower) {
            let open = (sentence_start + 1..left_end - 1)
                .rev()
                .take(MAX_SOURCE_TOKENS * 2)
                .take_while(|&t| self.toks[t].passage.is_none())
                .find(|&t| is_dash(&self.toks[t].lower));
            if let Some(open) = open {
                left_end = open;
            }
        }
        let mut source_start = self.np_start(left_end, sentence_start);
        // "the official who spoke": the source is before the relative pronoun.
        if source_start == left_end
            && left_end > sentence_start
            && matches!(self.toks[left_end - 1].lower.as_str(), "who" | "which")
        {
            let mut end = left_end - 1;
            if end > sentence_start && self.toks[end - 1].lower == "," {
                end -= 1;
            }
            let start = self.np_start(end, sentence_start);
            if start < end {
                return (Some(self.span_of(start..end)), start);
            }
        }
        // "Hans Muller, the director of …, who attended …, said": the name before the apposition,
        // however long.
        if source_start == left_end
            && left_end >= sentence_start + 2
            && self.toks[left_end - 1].lower == ","
        {
            if let Some(found) = self.name_before_apposition(left_end - 1, sentence_start) {
                return found;
            }
        }
        // "The mayor, Ana Lopez, insisted": the phrase between commas.
        if source_start == left_end
            && left_end >= sentence_start + 2
            && self.toks[left_end - 1].lower == ","
        {
            let end = left_end - 1;
            let start = self.np_start(end, sentence_start);
            let opens_clause = start == sentence_start || self.toks[start - 1].lower == ",";
            if start < end && opens_clause && end - start <= MAX_SOURCE_TOKENS {
                // "Tom Hardy, R-Ky., said": a label that names no person is the person's.
                let names_no_person = !self
                    .index
                    .within(self.span_of(start..end))
                    .any(|m| self.entities[m.1].entity_type == EntityType::Person);
                if (self.is_description(start) || names_no_person)
                    && start >= sentence_start + 2
                    && self.toks[start - 1].lower == ","
                {
                    let before = self.index.name_ending_at(self.toks[start - 2].span.end);
                    if let Some((name, _)) = before.filter(|&(_, idx)| {
                        self.is_description(start)
                            || self.entities[idx].entity_type == EntityType::Person
                    }) {
                        // The clause starts with the name's titles ("Senate Leader Tom Hardy").
                        return (Some(name), self.np_start(start - 1, sentence_start));
                    }
                }
                if self.looks_like_source(start..end) && !self.is_description(start) {
                    // "…, its owner, Tom Reyes, told …": a short description between commas
                    // before the name belongs to the tag, not to what was said.
                    let mut clause_start = start;
                    if start >= sentence_start + 2 && self.toks[start - 1].lower == "," {
                        let description = self.np_start(start - 1, sentence_start);
                        if description < start - 1
                            && start - 1 - description <= 4
                            && description > sentence_start
                            && self.toks[description - 1].lower == ","
                            && self.is_description(description)
                            && matches!(
                                self.toks[description].lower.as_str(),
                                "a" | "an" | "the" | "his" | "her" | "its" | "their" | "our"
                            )
                        {
                            clause_start = description;
                        }
                    }
                    return (Some(self.span_of(start..end)), clause_start);
                }
            }
        }
        if source_start == left_end {
            return (None, left_end);
        }
        // "Kemp, former commander of …, said": the name before the apposition.
        if source_start >= sentence_start + 2
            && self.toks[source_start - 1].lower == ","
            && self.is_description(source_start)
        {
            if let Some((name, _)) = self
                .index
                .name_ending_at(self.toks[source_start - 2].span.end)
            {
                let name_start = self.toks[sentence_start..source_start - 1]
                    .iter()
                    .position(|t| t.span.start == name.start)
                    .map_or(source_start, |p| sentence_start + p);
                return (Some(name), name_start);
            }
        }
        if left_end - source_start > MAX_SOURCE_TOKENS {
            // "Large majorities of voters in six states going to the polls said": a long subject
            // is taken when it opens the sentence.
            let long_start = self.np_start_within(left_end, sentence_start, MAX_LONG_SOURCE_TOKENS);
            if long_start == sentence_start {
                source_start = long_start;
            }
        }
        let too_long = if source_start == sentence_start {
            left_end - source_start > MAX_LONG_SOURCE_TOKENS
        } else {
            left_end - source_start > MAX_SOURCE_TOKENS
        };
        if too_long || !self.looks_like_source(source_start..left_end) {
            return (None, source_start);
        }
        // Trim a leading conjunction or adverbial opener the walk took in ("And officials").
        while source_start < left_end
            && matches!(
                self.toks[source_start].lower.as_str(),
                "and" | "but" | "so" | "now"
            )
        {
            source_start += 1;
        }
        if source_start == left_end {
            return (None, source_start);
        }
        (Some(self.span_of(source_start..left_end)), source_start)
    }

    /// For a tag right after a comma at `comma`: a name followed by a comma and a description
    /// ("Ana Lopez, a lawyer at …, who …, said"), nearest first, a person before an organisation
    /// or place ("Ana Lopez, the attorney general of Kansas, one of the states …, said").
    fn name_before_apposition(
        &self,
        comma: usize,
        sentence_start: usize,
    ) -> Option<(Option<Span>, usize)> {
        let mut t = comma;
        let mut not_a_person: Option<(Option<Span>, usize)> = None;
        while t > sentence_start + 1 && comma - t < MAX_APPOSITION_TOKENS {
            t -= 1;
            let tok = &self.toks[t];
            // "Lee, citing “the worst deficit in a decade,” said": a passage inside the
            // apposition, after one of its words, is crossed.
            if let Some(passage) = tok.passage {
                let mut first = t;
                while first > sentence_start && self.toks[first - 1].passage == Some(passage) {
                    first -= 1;
                }
                while first > sentence_start && is_quote_mark(&self.toks[first - 1].lower) {
                    first -= 1;
                }
                let embedded = first > sentence_start + 1
                    && self.toks[first - 1].word
                    && !self.toks[first - 1].capital;
                if embedded {
                    t = first;
                    continue;
                }
                break;
            }
            if matches!(tok.lower.as_str(), ";" | ":" | "“" | "”" | "\"")
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
            // "In Decatur, the steel plant is hanging on, said …": a finite verb outside a
            // relative makes the words after the comma a clause, not an apposition.
            let finite = (t + 1..comma)
                .take_while(|&u| {
                    !matches!(
                        self.toks[u].lower.as_str(),
                        "who" | "whose" | "which" | "that"
                    )
                })
                .any(|u| {
                    matches!(
                        self.toks[u].lower.as_str(),
                        "is" | "are" | "was" | "were" | "will" | "would" | "has" | "have" | "had"
                    )
                });
            if finite {
                break;
            }
            let mut name_end = t - 1;
            if self.toks[name_end].lower == ")" {
                match self.parenthesis_start(name_end, sentence_start) {
                    Some(open) => name_end = open - 1,
                    None => continue,
                }
            }
            // "The official, who spoke on the condition of anonymity, said": a phrase that opens
            // the sentence before a relative pronoun, when no name stands there.
            let relative = matches!(self.toks[t + 1].lower.as_str(), "who" | "whose" | "which");
            let named = self.index.name_ending_at(self.toks[name_end].span.end);
            if named.is_none() && relative {
                let phrase_start = self.np_start(name_end + 1, sentence_start);
                if phrase_start == sentence_start
                    && self.looks_like_source(phrase_start..name_end + 1)
                {
                    not_a_person.get_or_insert((
                        Some(self.span_of(phrase_start..name_end + 1)),
                        phrase_start,
                    ));
                }
                continue;
            }
            if let Some((name, idx)) = named {
                let entity_type = self.entities[idx].entity_type;
                if !matches!(
                    entity_type,
                    EntityType::Person | EntityType::Org | EntityType::Gpe
                ) {
                    continue;
                }
                let name_start = self.np_start(name_end + 1, sentence_start);
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
    fn np_start(&self, end: usize, sentence_start: usize) -> usize {
        self.np_start_within(end, sentence_start, MAX_SOURCE_TOKENS)
    }

    /// [`Self::np_start`] over at most `max_tokens` (and one more) tokens.
    fn np_start_within(&self, end: usize, sentence_start: usize, max_tokens: usize) -> usize {
        let mut phrase_start = end;
        while phrase_start > sentence_start && end - phrase_start <= max_tokens {
            let tok = &self.toks[phrase_start - 1];
            // "Rep. Gwen Moore (D-Wis.)": a short parenthesis belongs to the name.
            if tok.lower == ")" {
                if let Some(open) = self.parenthesis_start(phrase_start - 1, sentence_start) {
                    phrase_start = open;
                    continue;
                }
            }
            let abbreviation = tok.lower == "." && self.is_abbreviation_point(phrase_start - 1);
            if tok.passage.is_some()
                || (is_boundary_punct(&tok.lower) && !abbreviation)
                || opens_clause(&tok.lower)
            {
                break;
            }
            if tok.lower == "and" {
                let joins_names = phrase_start >= sentence_start + 2
                    && self.toks[phrase_start - 2].capital
                    && self.toks.get(phrase_start).is_some_and(|t| t.capital);
                if !joins_names {
                    break;
                }
            }
            // "… said Ana Ortiz, who predicted …": a verb of the tag before is no part of a name.
            if cue_at(&[tok.lower.as_str()]).is_some()
                && !tok.capital
                && (tok.lower.ends_with("ed")
                    || matches!(tok.lower.as_str(), "said" | "says" | "told" | "wrote"))
            {
                break;
            }
            phrase_start -= 1;
        }
        phrase_start
    }

    /// The "(" of a short parenthesis closed at `close`, if one opens within a few tokens.
    fn parenthesis_start(&self, close: usize, sentence_start: usize) -> Option<usize> {
        (close.saturating_sub(6).max(sentence_start)..close)
            .rev()
            .find(|&t| self.toks[t].lower == "(")
            .filter(|&open| open > sentence_start)
    }

    /// Whether tokens `start_idx..` open a description ("former commander", "a Democrat", "45",
    /// "Pyongyang’s only ally").
    pub(super) fn is_description(&self, start_idx: usize) -> bool {
        let tok = &self.toks[start_idx];
        let possessive = self
            .toks
            .get(start_idx + 1)
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
        // "officials", "47 percent", "most", "economists", "polls": lower-case sources too.
        self.index.within(span).next().is_some()
            || toks.iter().any(|t| t.capital)
            || toks.iter().any(|t| {
                is_personal_pronoun(&t.lower)
                    || is_source_word(&t.lower)
                    || t.lower.starts_with(|c: char| c.is_ascii_digit())
            })
            || toks.last().is_some_and(|t| is_plural_noun(&t.lower))
            || toks.first().is_some_and(|t| is_plural_noun(&t.lower))
    }

    /// The source right of a cue ("said the spokesman"), as a token range.
    pub(super) fn right_source(&self, start: usize, sentence_end: usize) -> Range<usize> {
        let first = match self.toks.get(start) {
            Some(tok) if start < sentence_end => tok,
            _ => return start..start,
        };
        if !(first.capital
            || matches!(
                first.lower.as_str(),
                "the"
                    | "a"
                    | "an"
                    | "one"
                    | "two"
                    | "three"
                    | "several"
                    | "some"
                    | "former"
                    | "then"
                    | "fellow"
            ))
        {
            return start..start;
        }
        let range = self.right_source_np(start, sentence_end);
        // "said the city could not afford …": a verb makes the words what was said, not who.
        let has_verb = self.toks[range.clone()].iter().any(|t| {
            matches!(
                t.lower.as_str(),
                "is" | "are"
                    | "was"
                    | "were"
                    | "will"
                    | "would"
                    | "could"
                    | "can"
                    | "should"
                    | "may"
                    | "might"
                    | "must"
                    | "has"
                    | "have"
                    | "had"
                    | "did"
                    | "does"
            )
        });
        if range.is_empty() || has_verb || !self.looks_like_source(range.clone()) {
            return start..start;
        }
        range
    }

    /// A noun phrase from `start`, up to punctuation or a preposition that starts an adverbial.
    pub(super) fn right_source_np(&self, start: usize, sentence_end: usize) -> Range<usize> {
        let mut end = start;
        while end < sentence_end && end - start < MAX_SOURCE_TOKENS {
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
    pub(super) fn main_subject(&self, sentence_start: usize, before: usize) -> Option<Span> {
        if before <= sentence_start {
            return None;
        }
        let span = Span::new(
            self.toks[sentence_start].span.start,
            self.toks[before - 1].span.end,
        );
        // People first: "Labour’s deputy leader Emily Thornberry launched …" is Thornberry.
        let of_type = |wanted: EntityType| {
            self.index
                .within(span)
                .find(|(_, idx, _)| self.entities[*idx].entity_type == wanted)
                .map(|(span, _, _)| *span)
        };
        let first_entity = of_type(EntityType::Person).or_else(|| of_type(EntityType::Org));
        let opening_pronoun = (sentence_start..before.min(sentence_start + 3))
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
}

#[cfg(test)]
mod tests {
    use super::super::tests::summary;

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
    fn a_group_or_a_share_of_people_is_a_source() {
        let text = "Economists say the ferry levy will slow hiring in the port.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the ferry levy will slow hiring in the port");
        assert_eq!(found[0].2.as_deref(), Some("Economists"));
        let text = "In the harbour survey, 47 percent of commuters said they would pay the toll.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "they would pay the toll");
        assert_eq!(found[0].2.as_deref(), Some("47 percent of commuters"));
        // A lower-case word that is no noun of people or of a share makes no source.
        let text = "It was cold when said plans were drawn up.";
        assert!(summary(text).is_empty(), "{:?}", summary(text));
    }

    #[test]
    fn a_long_subject_opening_the_sentence_is_the_source() {
        let text = "Large majorities of ferry passengers in three coastal towns surveyed over the \
                    summer said they want the late crossing restored.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "they want the late crossing restored");
        assert!(
            found[0]
                .2
                .as_deref()
                .is_some_and(|s| s.contains("ferry passengers")),
            "{found:?}"
        );
    }

    #[test]
    fn an_adverb_between_commas_leaves_the_source_before_it() {
        let text = "The inspectors, however, said the repairs would take a month.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the repairs would take a month");
        assert_eq!(found[0].2.as_deref(), Some("The inspectors"));
    }

    #[test]
    fn a_phrase_before_a_relative_clause_is_the_source() {
        let text = "The inspector, who spoke on the condition of anonymity because the report is \
                    not yet public, said the pier had been unsafe for years.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the pier had been unsafe for years");
        assert_eq!(found[0].2.as_deref(), Some("The inspector"));
        let text = "Backers of the new toll on the bridge say it will pay for the repairs.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "it will pay for the repairs");
    }

    #[test]
    fn a_short_opening_phrase_before_a_tag_with_its_source_is_what_was_said() {
        let text = "Bus service will stop on Sundays, said a spokesman for the transit agency.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "Bus service will stop on Sundays");
        assert_eq!(
            found[0].2.as_deref(),
            Some("a spokesman for the transit agency")
        );
    }

    #[test]
    fn one_person_or_a_speaker_for_others_is_a_source() {
        let text = "However, one official said some of the numbers were wrong from the start.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "some of the numbers were wrong from the start");
        assert_eq!(found[0].2.as_deref(), Some("one official"));
        let text = "That person said the mayor had not read the report before the vote.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].0,
            "the mayor had not read the report before the vote"
        );
    }

    #[test]
    fn a_dash_aside_leaves_the_source_before_it() {
        let text = "Several members of the audience — teachers, nurses and retirees among them — \
                    said the cuts would hurt the poorest families.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "the cuts would hurt the poorest families");
        assert_eq!(
            found[0].2.as_deref(),
            Some("Several members of the audience")
        );
    }

    #[test]
    fn a_relative_after_a_source_written_after_its_tag_is_that_source_speaking() {
        let text = "“We will fill every seat on the boat,” said Ana Ortiz, who predicted about \
                    half of the town will vote before Friday.";
        let found = summary(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[1].0, "about half of the town will vote before Friday");
        assert_eq!(found[1].2.as_deref(), Some("Ana Ortiz"));
    }

    #[test]
    fn a_clause_after_a_comma_is_no_apposition() {
        let text = "In the old port, the ferry line is barely holding on, but it is losing money \
                    every week, said the company's owner, Tom Reyes.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].0.starts_with("In the old port"), "{found:?}");
        assert!(
            found[0].2.as_deref().is_some_and(|s| s.contains("owner")),
            "{found:?}"
        );
    }

    #[test]
    fn a_description_before_a_name_between_commas_belongs_to_the_tag() {
        let text = "The ferry will run all winter, the company's owner, Tom Reyes, said.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "The ferry will run all winter");
        assert_eq!(found[0].2.as_deref(), Some("Tom Reyes"));
    }

    #[test]
    fn words_with_a_verb_after_the_cue_are_no_source() {
        let text =
            "Mr. Lee, citing \"the worst deficit in a decade,\" said the city could not afford buses.";
        let found = summary(text);
        assert!(
            found
                .iter()
                .all(|q| !q.2.as_deref().is_some_and(|s| s.contains("city"))),
            "{found:?}"
        );
    }

    #[test]
    fn a_source_after_its_tag_may_open_with_former() {
        let text = "\"The fare will rise,\" said former harbour master Tom Reyes.";
        let found = summary(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "direct");
        assert!(
            found[0]
                .2
                .as_deref()
                .is_some_and(|s| s.contains("Tom Reyes")),
            "{found:?}"
        );
    }
}
