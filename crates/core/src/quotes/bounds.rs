//! The boundary chooser: where the content of an unmarked or partly marked quote ends (or, when
//! the tag follows it, where it starts), chosen by a learned model among the places it could.
//!
//! The clause reader (`clauses/reach.rs`) ends reported content by rules: at the sentence end, at
//! ", which", at "and" before a second cue … A rule is right most of the time and wrong in a long
//! tail of ways ("said the plan was dead, and the council agreed" — where does what was said
//! end?). For each clause quote with one span of indirect or mixed content this module lists the
//! other places the content could end — before each punctuation mark and each word of
//! `data/quotes/boundary_words.txt` up to the sentence end, at each quoted passage's end, at the
//! sentence end — and the rule's own end; each candidate gets named features (the mark or word
//! there, the word after it, whether it is shorter or longer than the rule's, the words on each
//! side, how many passages it takes in, a cue inside it …). A logistic regression over those
//! features (the same learner and file format as the quote filter, `filter.rs`) gives the
//! log-odds that a candidate is better than the rules' span (trained on the candidates that would
//! change whether their quote matches an annotated attribution); the rules' span is replaced only
//! when the best other candidate reaches the model's threshold. Content before a tag ("…, the
//! mayor said") gets the same treatment for its start, and a mixed quote (from any rule but a
//! transcript) has one more candidate: its marked words alone, as a direct quote.
//!
//! The weights are `models/quote_bounds.txt`, trained by `newslens train quotes` on PolNeAR's
//! train split with the threshold chosen by cross-validation on train (README.md, Models). The
//! chooser moves one edge of a quote the rules and the filter kept, or keeps only its marked
//! words; it never adds or drops a quote and never changes its speaker. It does no I/O.

use std::sync::LazyLock;

use foldhash::HashSet;

use super::cues::is_speech_verb;
use super::filter::QuoteFilter;
use super::marks::Passage;
use super::{FoundQuote, Origin, QuoteKind};
use crate::lexicon;
use crate::offsets::Span;

/// Words before which content may end (`data/quotes/boundary_words.txt`).
static BOUNDARY_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    lexicon::items(include_str!("../../data/quotes/boundary_words.txt")).collect()
});

/// The boundary model shipped in the binary (`models/quote_bounds.txt`).
static SHIPPED: LazyLock<QuoteFilter> = LazyLock::new(|| {
    QuoteFilter::from_text(include_str!("../../../../models/quote_bounds.txt"))
        .unwrap_or_else(|error| panic!("models/quote_bounds.txt: {error}"))
});

/// The boundary model shipped in the binary: weights over candidate features and the threshold.
pub fn shipped() -> &'static QuoteFilter {
    &SHIPPED
}

/// One place a quote's content could lie, with its features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundCandidate {
    /// The content spans with this edge (several when only the marked parts are kept).
    pub spans: Vec<Span>,
    /// Whether it is the rules' own span.
    pub rule: bool,
    /// Its features, as names (each weighs 1).
    pub features: Vec<String>,
}

/// The edge the chooser moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// Content after its cue: where it ends.
    End,
    /// Content before its tag: where it starts.
    Start,
}

/// What the candidates of one sentence are read from.
struct SentenceWords<'a> {
    text: &'a str,
    tokens: &'a [Span],
    passages: &'a [Passage],
    sentence: Span,
}

impl SentenceWords<'_> {
    fn word(&self, idx: usize) -> &str {
        let token = self.tokens[idx];
        &self.text[token.start..token.end]
    }

    fn is_word(&self, idx: usize) -> bool {
        self.word(idx).chars().any(char::is_alphanumeric)
    }

    /// The name of the token as a boundary: punctuation as written (dashes as "—"), a boundary
    /// word lower-cased, anything else "other".
    fn boundary_name(&self, idx: Option<usize>) -> String {
        let Some(idx) = idx else {
            return "end".to_string();
        };
        let word = self.word(idx);
        match word {
            "," | ";" | ":" | "(" | ")" | "." | "?" | "!" => word.to_string(),
            "—" | "–" | "--" | "―" | "-" => "—".to_string(),
            _ if is_mark(word) => "mark".to_string(),
            _ => {
                let lower = word.to_lowercase();
                if BOUNDARY_WORDS.contains(lower.as_str()) {
                    lower
                } else {
                    "other".to_string()
                }
            }
        }
    }

    fn is_boundary(&self, idx: usize) -> bool {
        let word = self.word(idx);
        matches!(word, "," | ";" | ":" | "(" | "—" | "–" | "--" | "―")
            || BOUNDARY_WORDS.contains(word.to_lowercase().as_str())
    }

    /// A word's class for features: a cue verb, an -ing form, a capitalised word, or the word.
    fn word_class(&self, idx: Option<usize>) -> String {
        let Some(idx) = idx else {
            return "none".to_string();
        };
        let word = self.word(idx);
        let lower = word.to_lowercase();
        if word.starts_with(char::is_uppercase) && word.len() > 1 {
            "Capital".to_string()
        } else if is_speech_verb(&lower) && !lower.ends_with("ing") {
            "cue_verb".to_string()
        } else if lower.ends_with("ing") && lower.len() > 5 {
            "ing".to_string()
        } else if lower.ends_with("ed") && lower.len() > 4 {
            // "… and highlighted her plans", "… and suspected …": a past form after "and" is
            // most often a second predicate of the speaker, whatever the verb.
            "ed".to_string()
        } else if is_mark(word) {
            "mark".to_string()
        } else {
            lower
        }
    }

    /// Whether a cue verb (lower-case, not an -ing form) stands within a few words after `idx`,
    /// before any punctuation: "…, and more than 4 in 10 said …" — a new attribution begins.
    fn cue_ahead(&self, idx: usize) -> bool {
        (idx + 1..self.tokens.len().min(idx + 6))
            .take_while(|&i| self.is_word(i))
            .any(|i| {
                let word = self.word(i);
                !word.starts_with(char::is_uppercase)
                    && !word.ends_with("ing")
                    && is_speech_verb(word)
            })
    }

    /// Whether an offset falls strictly inside a quoted passage (cutting it).
    fn cuts_passage(&self, offset: usize) -> bool {
        self.passages
            .iter()
            .any(|p| p.outer.start < offset && offset < p.outer.end)
    }

    /// Word tokens in a byte range.
    fn words_between(&self, start: usize, end: usize) -> usize {
        (0..self.tokens.len())
            .filter(|&i| self.tokens[i].start >= start && self.tokens[i].end <= end)
            .filter(|&i| self.is_word(i))
            .count()
    }

    /// Passages wholly inside a byte range.
    fn passages_within(&self, start: usize, end: usize) -> usize {
        self.passages
            .iter()
            .filter(|p| start <= p.outer.start && p.outer.end <= end)
            .count()
    }

    /// Whether a cue verb (lower-case, not an -ing form) lies in the range after its first word.
    fn has_inner_cue(&self, start: usize, end: usize) -> bool {
        let mut seen_first = false;
        (0..self.tokens.len())
            .filter(|&i| self.tokens[i].start >= start && self.tokens[i].end <= end)
            .any(|i| {
                let word = self.word(i);
                let first = !seen_first;
                seen_first = true;
                !first
                    && !word.starts_with(char::is_uppercase)
                    && !word.ends_with("ing")
                    && is_speech_verb(word)
                    && !self.cuts_passage(self.tokens[i].start)
            })
    }
}

fn is_mark(word: &str) -> bool {
    matches!(
        word,
        "\"" | "“" | "”" | "‘" | "’" | "«" | "»" | "'" | "''" | "„"
    )
}

/// The bucket a number falls in, named by its upper bound ("<=3", ">40").
fn bucket(n: usize, bounds: &[usize]) -> String {
    match bounds.iter().find(|&&b| n <= b) {
        Some(b) => format!("<={b}"),
        None => format!(">{}", bounds.last().copied().unwrap_or(0)),
    }
}

const WORD_BUCKETS: &[usize] = &[0, 1, 2, 3, 5, 8, 12, 18, 25, 40];

/// The candidate spans of a quote, the rules' own among them, or none when the chooser does not
/// move this quote (a transcript turn, a fragment, a direct quote, split content, content
/// around its cue). `sentence_tokens` are the tokens of each sentence in `sentences`; `passages`
/// every quoted passage of the text.
pub fn candidates(
    text: &str,
    sentences: &[Span],
    sentence_tokens: &[Vec<Span>],
    passages: &[Passage],
    quote: &FoundQuote,
) -> Vec<BoundCandidate> {
    let mut found = edge_candidates(text, sentences, sentence_tokens, passages, quote);
    if let Some(marked) = marked_only(text, quote) {
        if found.is_empty() {
            found.push(rule_only(quote));
        }
        found.push(marked);
    }
    found
}

/// The rules' own spans as the one candidate beside the marked parts alone.
fn rule_only(quote: &FoundQuote) -> BoundCandidate {
    BoundCandidate {
        spans: quote.spans.clone(),
        rule: true,
        features: vec!["bias".to_string(), "rule".to_string()],
    }
}

/// A mixed quote's marked parts alone ("interjecting, “Only …”" → "Only …"): the words around
/// the marks may be the writer's.
fn marked_only(text: &str, quote: &FoundQuote) -> Option<BoundCandidate> {
    if quote.kind != QuoteKind::Mixed
        || quote.marked.is_empty()
        || matches!(quote.origin, Origin::Post | Origin::Transcript)
    {
        return None;
    }
    let count = |spans: &[Span]| -> usize {
        spans
            .iter()
            .map(|s| {
                text[s.start..s.end]
                    .split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count()
            })
            .sum()
    };
    let n_all = count(&quote.spans);
    let n_marked = count(&quote.marked);
    if n_marked == 0 || n_marked >= n_all {
        return None;
    }
    let origin = quote.origin.as_str();
    let share = n_marked * 4 / n_all.max(1);
    let first_mark = quote.marked[0].start;
    let before = text[..first_mark]
        .trim_end_matches(|c: char| !c.is_alphanumeric() && !matches!(c, ',' | ':'))
        .chars()
        .next_back()
        .map_or("none".to_string(), |c| {
            if c == ',' || c == ':' {
                c.to_string()
            } else {
                let word = text[..first_mark]
                    .split_whitespace()
                    .next_back()
                    .unwrap_or("")
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                if is_speech_verb(&word) {
                    "cue_verb".to_string()
                } else if word == "that" || word == "as" || word == "of" {
                    word
                } else {
                    "word".to_string()
                }
            }
        });
    // "mouthing “thank you” toward the audience": the quote's words after its last mark are
    // more often the writer's circumstance than more of what was said.
    let last_mark = quote.marked[quote.marked.len() - 1].end;
    let n_after: usize = quote
        .spans
        .iter()
        .map(|s| {
            let start = s.start.max(last_mark);
            if start >= s.end {
                return 0;
            }
            text[start..s.end]
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
        })
        .sum();
    let n_after = bucket(n_after, WORD_BUCKETS);
    let n_outside = bucket(n_all - n_marked, WORD_BUCKETS);
    let n_in = bucket(n_marked, WORD_BUCKETS);
    let features = vec![
        "bias".to_string(),
        "marked_only".to_string(),
        format!("marked_only&origin={origin}"),
        format!("marked_only&quarters={share}"),
        format!("marked_only&quarters={share}&origin={origin}"),
        format!("marked_only&outside{n_outside}"),
        format!("marked_only&after{n_after}"),
        format!("marked_only&after{n_after}&before={before}"),
        format!("marked_only&inside{n_in}"),
        format!("marked_only&parts={}", quote.marked.len().min(3)),
        format!("marked_only&spans={}", quote.spans.len().min(3)),
        format!("marked_only&before={before}"),
        format!("marked_only&before={before}&origin={origin}"),
        format!(
            "marked_only&cue={}",
            quote.verb.as_ref().map_or("none", |(_, cue)| cue.lemma)
        ),
    ];
    Some(BoundCandidate {
        spans: quote.marked.clone(),
        rule: false,
        features,
    })
}

/// Candidates moving one edge of a clause quote's single span.
fn edge_candidates(
    text: &str,
    sentences: &[Span],
    sentence_tokens: &[Vec<Span>],
    passages: &[Passage],
    quote: &FoundQuote,
) -> Vec<BoundCandidate> {
    let eligible = quote.origin == Origin::Clause
        && matches!(quote.kind, QuoteKind::Indirect | QuoteKind::Mixed)
        && quote.spans.len() == 1;
    let (Some(&span), Some((verb, cue))) = (quote.spans.first(), quote.verb.as_ref()) else {
        return Vec::new();
    };
    if !eligible {
        return Vec::new();
    }
    let edge = if verb.end <= span.start {
        Edge::End
    } else if span.end <= verb.start {
        Edge::Start
    } else {
        return Vec::new();
    };
    let anchor = match edge {
        Edge::End => span.start,
        Edge::Start => span.end.saturating_sub(1),
    };
    let s_idx = sentences.partition_point(|s| s.end <= anchor);
    let (Some(&sentence), Some(tokens)) = (sentences.get(s_idx), sentence_tokens.get(s_idx)) else {
        return Vec::new();
    };
    let first_passage = passages.partition_point(|p| p.outer.end <= sentence.start);
    let last_passage = passages.partition_point(|p| p.outer.start < sentence.end);
    let words = SentenceWords {
        text,
        tokens,
        passages: &passages[first_passage..last_passage.max(first_passage)],
        sentence,
    };
    let class = cue.class_name();
    let opener = tokens
        .iter()
        .position(|t| text[t.start..t.end].chars().any(char::is_alphanumeric))
        .map(|i| words.boundary_name(Some(i)))
        .filter(|name| name != "other")
        .unwrap_or_else(|| "none".to_string());
    let context = Context {
        kind: quote.kind.as_str(),
        class,
        lemma: cue.lemma,
        opener,
    };
    match edge {
        Edge::End => end_candidates(&words, span, &context),
        Edge::Start => start_candidates(&words, span, &context),
    }
}

/// What every candidate of a quote shares.
struct Context {
    kind: &'static str,
    class: &'static str,
    lemma: &'static str,
    /// The sentence's first word when it is a boundary word ("after", "while"), else "none".
    opener: String,
}

fn relation(offset: usize, rule: usize) -> &'static str {
    match offset.cmp(&rule) {
        std::cmp::Ordering::Less => "shorter",
        std::cmp::Ordering::Equal => "same",
        std::cmp::Ordering::Greater => "longer",
    }
}

fn end_candidates(words: &SentenceWords, span: Span, context: &Context) -> Vec<BoundCandidate> {
    let tokens = words.tokens;
    let mut ends: Vec<usize> = Vec::new();
    for k in 1..tokens.len() {
        if tokens[k].start > span.start && tokens[k - 1].start >= span.start && words.is_boundary(k)
        {
            ends.push(tokens[k - 1].end);
        }
    }
    ends.extend(
        words
            .passages
            .iter()
            .map(|p| p.outer.end)
            .filter(|&end| end > span.start && end <= words.sentence.end),
    );
    if let Some(last) = (0..tokens.len()).rev().find(|&i| words.is_word(i)) {
        ends.push(tokens[last].end);
    }
    ends.retain(|&end| {
        end > span.start && !words.cuts_passage(end) && words.words_between(span.start, end) > 0
    });
    ends.push(span.end);
    ends.sort_unstable();
    ends.dedup();
    let n_ends = ends.len();
    let rule_next = tokens.iter().position(|t| t.start >= span.end);
    let rule_boundary = words.boundary_name(rule_next);
    let rule_after = words.word_class(
        rule_next
            .map(|k| {
                if rule_boundary == "other" || rule_boundary == "mark" {
                    k
                } else {
                    k + 1
                }
            })
            .filter(|&k| k < tokens.len()),
    );
    ends.iter()
        .enumerate()
        .map(|(nth, &end)| {
            let next = tokens.iter().position(|t| t.start >= end);
            let boundary = words.boundary_name(next);
            let after_boundary = next.and_then(|k| {
                if boundary == "other" || boundary == "mark" {
                    Some(k)
                } else {
                    (k + 1 < tokens.len()).then_some(k + 1)
                }
            });
            let after = words.word_class(after_boundary);
            let after_next =
                words.word_class(after_boundary.map(|k| k + 1).filter(|&k| k < tokens.len()));
            let rel = relation(end, span.end);
            let n_content = words.words_between(span.start, end);
            let n_left = words.words_between(end, words.sentence.end);
            let n_passages = words.passages_within(span.start, end);
            let at_passage_end = words.passages.iter().any(|p| p.outer.end == end);
            let mut features = vec![
                "bias".to_string(),
                format!("rel={rel}"),
                format!("b={boundary}"),
                format!("b={boundary}&rel={rel}"),
                format!("b={boundary}&next={after}"),
                format!("b={boundary}&next={after}&rel={rel}"),
                format!("b={boundary}&next={after}&next2={after_next}"),
                format!("b={boundary}&kind={}", context.kind),
                format!("b={boundary}&class={}", context.class),
                format!("b={boundary}&cue={}", context.lemma),
                format!("words{}", bucket(n_content, WORD_BUCKETS)),
                format!("words{}&rel={rel}", bucket(n_content, WORD_BUCKETS)),
                format!("left{}", bucket(n_left, WORD_BUCKETS)),
                format!("left{}&b={boundary}", bucket(n_left, WORD_BUCKETS)),
                format!("nth={}", nth.min(5)),
                format!("from_last={}", (n_ends - 1 - nth).min(5)),
                format!("passages={}&kind={}", n_passages.min(2), context.kind),
                format!("opener={}&b={boundary}", context.opener),
                format!("rule_b={rule_boundary}&rel={rel}"),
                format!("rule_b={rule_boundary}&b={boundary}&rel={rel}"),
                format!("rule_b={rule_boundary}&rule_next={rule_after}&rel={rel}"),
            ];
            if end == span.end {
                features.push("rule".to_string());
                features.push(format!("rule&b={boundary}"));
                features.push(format!("rule&kind={}", context.kind));
            }
            if at_passage_end {
                features.push(format!("at_passage_end&b={boundary}"));
            }
            if words.has_inner_cue(span.start, end) {
                features.push(format!("inner_cue&rel={rel}"));
            }
            if next.is_some_and(|k| words.cue_ahead(k)) {
                features.push(format!("cue_ahead&b={boundary}&rel={rel}"));
            }
            BoundCandidate {
                spans: vec![Span::new(span.start, end)],
                rule: end == span.end,
                features,
            }
        })
        .collect()
}

fn start_candidates(words: &SentenceWords, span: Span, context: &Context) -> Vec<BoundCandidate> {
    let tokens = words.tokens;
    let mut starts: Vec<usize> = Vec::new();
    if let Some(first) = (0..tokens.len()).find(|&i| words.is_word(i) || is_mark(words.word(i))) {
        starts.push(tokens[first].start);
    }
    for k in 0..tokens.len().saturating_sub(1) {
        if tokens[k + 1].end <= span.end && words.is_boundary(k) {
            starts.push(tokens[k + 1].start);
        }
    }
    starts.extend(
        words
            .passages
            .iter()
            .map(|p| p.outer.start)
            .filter(|&start| start < span.end && start >= words.sentence.start),
    );
    starts.retain(|&start| {
        start < span.end && !words.cuts_passage(start) && words.words_between(start, span.end) > 0
    });
    starts.push(span.start);
    starts.sort_unstable();
    starts.dedup();
    let n_starts = starts.len();
    let rule_before = tokens
        .iter()
        .position(|t| t.start >= span.start)
        .and_then(|k| k.checked_sub(1));
    let rule_boundary = match rule_before {
        None => "first".to_string(),
        Some(k) => words.boundary_name(Some(k)),
    };
    starts
        .iter()
        .enumerate()
        .map(|(nth, &start)| {
            let first = tokens.iter().position(|t| t.start >= start);
            let before = first.and_then(|k| k.checked_sub(1));
            let boundary = match before {
                None => "first".to_string(),
                Some(k) => words.boundary_name(Some(k)),
            };
            let opens = words.word_class(first);
            let rel = relation(span.start, start);
            let n_content = words.words_between(start, span.end);
            let n_before = words.words_between(words.sentence.start, start);
            let n_passages = words.passages_within(start, span.end);
            let mut features = vec![
                "bias".to_string(),
                format!("start:rel={rel}"),
                format!("start:b={boundary}"),
                format!("start:b={boundary}&rel={rel}"),
                format!("start:b={boundary}&first={opens}"),
                format!("start:b={boundary}&kind={}", context.kind),
                format!("start:b={boundary}&class={}", context.class),
                format!("start:words{}", bucket(n_content, WORD_BUCKETS)),
                format!("start:words{}&rel={rel}", bucket(n_content, WORD_BUCKETS)),
                format!("start:before{}", bucket(n_before, WORD_BUCKETS)),
                format!(
                    "start:before{}&b={boundary}",
                    bucket(n_before, WORD_BUCKETS)
                ),
                format!("start:nth={}", (n_starts - 1 - nth).min(5)),
                format!("start:passages={}&kind={}", n_passages.min(2), context.kind),
                format!("start:rule_b={rule_boundary}&rel={rel}"),
                format!("start:rule_b={rule_boundary}&b={boundary}&rel={rel}"),
            ];
            if start == span.start {
                features.push("start:rule".to_string());
                features.push(format!("start:rule&b={boundary}"));
            }
            if words.has_inner_cue(start, span.end) {
                features.push(format!("start:inner_cue&rel={rel}"));
            }
            BoundCandidate {
                spans: vec![Span::new(start, span.end)],
                rule: start == span.start,
                features,
            }
        })
        .collect()
}

/// The candidate a model chooses: the other candidate most likely to be better than the rules'
/// span, when that log-odds reaches the model's threshold; else the rules' own.
pub fn choose(model: &QuoteFilter, candidates: &[BoundCandidate]) -> Option<usize> {
    let scores: Vec<f32> = candidates
        .iter()
        .map(|c| {
            if c.rule {
                f32::NEG_INFINITY
            } else {
                model.score(&c.features)
            }
        })
        .collect();
    choose_by_scores(candidates, &scores, model.threshold())
}

/// [`choose`] given each candidate's score (the log-odds that it is better than the rules' span;
/// the rules' own is not read) and the threshold: what cross-validation replays.
pub fn choose_by_scores(
    candidates: &[BoundCandidate],
    scores: &[f32],
    threshold: f32,
) -> Option<usize> {
    let rule = candidates.iter().position(|c| c.rule)?;
    let best = (0..candidates.len())
        .filter(|&idx| idx != rule)
        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    Some(match best {
        Some(best) if scores[best] >= threshold => best,
        _ => rule,
    })
}

/// Gives a quote new content spans: its marked parts and kind follow the passages inside them.
pub fn rebound(quote: &mut FoundQuote, spans: &[Span], passages: &[Passage]) {
    if quote.spans == spans {
        return;
    }
    let marked_only = spans == quote.marked.as_slice();
    quote.spans = spans.to_vec();
    if marked_only {
        quote.kind = QuoteKind::Direct;
        return;
    }
    quote.marked = passages
        .iter()
        .filter(|p| {
            spans
                .iter()
                .any(|s| s.start <= p.outer.start && p.outer.end <= s.end)
        })
        .flat_map(|p| p.parts.iter().copied())
        .collect();
    quote.kind = if quote.marked.is_empty() {
        QuoteKind::Indirect
    } else {
        QuoteKind::Mixed
    };
}

/// Moves the edge of every eligible quote to the candidate the shipped model chooses.
pub fn choose_bounds(
    text: &str,
    sentences: &[Span],
    sentence_tokens: &[Vec<Span>],
    passages: &[Passage],
    quotes: &mut [FoundQuote],
) {
    let model = shipped();
    if model.n_features() == 0 {
        return;
    }
    for quote in quotes.iter_mut() {
        let found = candidates(text, sentences, sentence_tokens, passages, quote);
        if let Some(idx) = choose(model, &found) {
            if !found[idx].rule {
                rebound(quote, &found[idx].spans, passages);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes::quoted_passages;
    use crate::quotes::test_support::segmented;
    use crate::segment::paragraphs;

    /// Each rule quote's candidates, as (text of the spans, whether the rules').
    fn candidate_texts(text: &str) -> Vec<Vec<(String, bool)>> {
        let cut = segmented(text);
        let passages = quoted_passages(text, &cut.paragraphs);
        let quotes = cut.rule_quotes(text);
        quotes
            .iter()
            .map(|quote| {
                candidates(text, &cut.sentences, &cut.tokens, &passages, quote)
                    .into_iter()
                    .map(|c| {
                        let words: Vec<&str> =
                            c.spans.iter().map(|s| &text[s.start..s.end]).collect();
                        (words.join(" | "), c.rule)
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn an_end_before_and_knows_a_past_form_or_a_new_tag_after_it() {
        let text = "The mayor said the pier would reopen in June and thanked the crews, and \
                    the council said it agreed.";
        let cut = segmented(text);
        let passages = quoted_passages(text, &cut.paragraphs);
        let quotes = cut.rule_quotes(text);
        let found = candidates(text, &cut.sentences, &cut.tokens, &passages, &quotes[0]);
        let features_at = |content: &str| -> Vec<String> {
            found
                .iter()
                .find(|c| &text[c.spans[0].start..c.spans[0].end] == content)
                .map(|c| c.features.clone())
                .unwrap_or_default()
        };
        let before_thanked = features_at("the pier would reopen in June");
        assert!(
            before_thanked.iter().any(|f| f == "b=and&next=ed"),
            "{before_thanked:?}"
        );
        let before_council = features_at("the pier would reopen in June and thanked the crews");
        assert!(
            before_council
                .iter()
                .any(|f| f.starts_with("cue_ahead&b=,")),
            "{before_council:?}"
        );
    }

    #[test]
    fn reported_content_may_end_at_each_comma_and_boundary_word_or_the_sentence_end() {
        let found = candidate_texts(
            "The mayor said the pier would reopen in June, after repairs, because the council \
             voted for it.",
        );
        let texts: Vec<&str> = found[0].iter().map(|(t, _)| t.as_str()).collect();
        assert!(
            texts.contains(&"the pier would reopen in June"),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"the pier would reopen in June, after repairs"),
            "{texts:?}"
        );
        assert!(
            texts.contains(
                &"the pier would reopen in June, after repairs, because the council voted for it"
            ),
            "{texts:?}"
        );
        assert_eq!(found[0].iter().filter(|(_, rule)| *rule).count(), 1);
    }

    #[test]
    fn an_end_never_cuts_a_quoted_passage() {
        let found = candidate_texts(
            "The mayor said the pier was “old, unsafe and costly” and would close in June.",
        );
        for (text, _) in &found[0] {
            let opens = text.matches('“').count();
            let closes = text.matches('”').count();
            assert_eq!(opens, closes, "{text}");
        }
    }

    #[test]
    fn a_mixed_quote_may_keep_its_marked_words_alone() {
        let found =
            candidate_texts("The mayor said the pier was “old and unsafe” and would close soon.");
        let all: Vec<&str> = found.iter().flatten().map(|(t, _)| t.as_str()).collect();
        assert!(all.contains(&"old and unsafe"), "{all:?}");
    }

    #[test]
    fn the_rules_span_stays_unless_another_reaches_the_threshold() {
        let candidate = |rule| BoundCandidate {
            spans: vec![Span::new(0, 1)],
            rule,
            features: Vec::new(),
        };
        let candidates = [candidate(true), candidate(false), candidate(false)];
        assert_eq!(
            choose_by_scores(&candidates, &[9.0, 0.5, 1.5], 1.0),
            Some(2)
        );
        assert_eq!(
            choose_by_scores(&candidates, &[-9.0, 0.5, 0.9], 1.0),
            Some(0)
        );
        assert_eq!(choose_by_scores(&[], &[], 1.0), None);
    }

    #[test]
    fn a_rebound_quote_takes_the_passages_inside_its_new_span() {
        let text = "He said it was “grim” and dull.";
        let paragraphs = paragraphs(text);
        let passages = quoted_passages(text, &paragraphs);
        let mut quote = FoundQuote {
            spans: vec![Span::new(8, 14)],
            marked: Vec::new(),
            kind: QuoteKind::Indirect,
            speaker: None,
            verb: None,
            channel: None,
            origin: Origin::Clause,
        };
        let end = text.find(" and").expect("and");
        rebound(&mut quote, &[Span::new(8, end)], &passages);
        assert_eq!(quote.kind, QuoteKind::Mixed);
        assert_eq!(
            quote
                .marked
                .iter()
                .map(|s| &text[s.start..s.end])
                .collect::<Vec<_>>(),
            ["grim"]
        );
    }

    #[test]
    fn the_shipped_boundary_model_parses() {
        assert!(shipped().n_features() > 0);
    }
}
