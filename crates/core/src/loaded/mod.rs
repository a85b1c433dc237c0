//! Loaded language: the words a reporter chose to judge rather than describe, as spans with a
//! category — evaluative verbs ("slammed", "ripped into"), labels ("far-left", "terrorist regime"),
//! emotive words ("scathing", "chaos"), intensifiers ("utterly") and scare quotes (a word or two
//! in quotation marks that nobody is quoted as saying).
//!
//! Spans come from the lexicon in `data/loaded_lexicon.txt` (`lexicon.rs`: one hash lookup per
//! token, multi-word expressions as one span), from a tagger trained on the Propaganda Techniques
//! Corpus (`model.rs`, `train.rs`; the model is `models/loaded.bin`), and from the quotation marks
//! themselves (`scare_quotes.rs`). Where the tagger and the lexicon overlap, they make one span with
//! the lexicon's category; the tagger's own spans are `emotive` (its loaded-language class) or
//! `label` (its name-calling class), a gap of up to two untagged tokens inside a run bridged. A word or two in quotation marks is a scare quote when the
//! tagger or the lexicon finds loaded language in it (most short quoted phrases are a source's
//! plain words). Each span says whether it lies inside quoted text (`in_quote`): a source's
//! own words are not the outlet's framing. Callers pass the quoted spans; this module does not find
//! quotes or speakers, and it does not compute tone (see [`crate::tone`]).
//!
//! In the optional encoder mode a whole-text tagger (`newslens-encoder`, known here only as
//! [`TokenProbabilities`]) gives the token classes instead of the feature tagger
//! ([`classes_of_probabilities`], [`find_loaded_with_classes`]); everything after the classes is
//! the same.

mod features;
mod identity;
mod lexicon;
mod model;
mod scare_quotes;
mod train;

pub use model::{shipped_model, LoadedModel, ModelError, CLASS_LABEL, CLASS_LOADED, CLASS_NONE};
pub use train::{
    classes_of_tokens, train, train_tuned, train_tuned_with_silver, TrainOptions, TrainingText,
};

use crate::deadline::{Deadline, OverBudget};
use crate::offsets::Span;
use crate::tone::{inside, sorted_spans};

pub use newslens_contract::LoadedCategory;

/// One loaded span, in byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadedSpan {
    /// Where it is.
    pub span: Span,
    /// What kind of loaded language it is.
    pub category: LoadedCategory,
    /// Whether it lies inside quoted text (a source's words, not the outlet's).
    pub in_quote: bool,
}

/// Finds the loaded language of a text, given each sentence's tokens (byte spans into `text`), the
/// byte spans of quoted text and those of names (the entity layer's name mentions: a name is never
/// loaded language by itself). Spans come in text order and do not overlap.
///
/// ```
/// use newslens_core::loaded::{find_loaded, LoadedCategory};
/// use newslens_core::tokens::tokenize;
/// use newslens_core::Span;
/// let text = "The mayor ripped into the plan. “It is a disaster,” she said.";
/// let quote_start = text.find('“').unwrap();
/// let quoted = [Span::new(quote_start, text.find('”').unwrap() + 3)];
/// let loaded = find_loaded(text, &[tokenize(text)], &quoted, &[]);
/// let found: Vec<(&str, &str, bool)> = loaded
///     .iter()
///     .map(|l| (&text[l.span.start..l.span.end], l.category.as_str(), l.in_quote))
///     .collect();
/// assert_eq!(found, [("ripped into", "loaded_verb", false), ("disaster", "emotive", true)]);
/// ```
pub fn find_loaded(
    text: &str,
    sentence_tokens: &[Vec<Span>],
    quoted: &[Span],
    names: &[Span],
) -> Vec<LoadedSpan> {
    find_loaded_with(
        shipped_model(),
        text,
        sentence_tokens,
        quoted,
        names,
        &DecodeOptions::default(),
    )
}

/// How the tagger's classes and the lexicon's matches become spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Whether a tagger span that overlaps a lexicon expression joins it (else it is dropped and
    /// the expression's extent stands).
    pub join_lexicon: bool,
    /// Whether the tagger's spans lose function words and punctuation at their edges.
    pub trim_edges: bool,
    /// How many content words after an emotive word or label still belong to its phrase.
    pub phrase_words: usize,
    /// Which lexicon matches are spans of their own (the tagger reads them all as features).
    pub lexicon_spans: LexiconSpans,
    /// Runs of at most this many untagged tokens between two tagged ones take their class.
    pub gap_tokens: usize,
    /// Which scare quotes become spans.
    pub scare_quotes: ScareQuoteSpans,
    /// What becomes of names, titles, identity nouns and closed-class words in spans (see
    /// `identity.rs`).
    pub identity_words: IdentityWords,
}

/// What becomes of the words that say who someone is (names, titles, identity nouns) and of
/// closed-class words, in loaded spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityWords {
    /// Spans keep them.
    Kept,
    /// Spans made only of them are dropped; others keep them.
    Dropped,
    /// Spans made only of them are dropped, and others lose them at their edges.
    Trimmed,
}

/// Which matches of the lexicon become spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexiconSpans {
    /// Every match.
    All,
    /// Evaluative verbs ("ripped into", "gushed": the lexicon's surest entries, and few), and
    /// the other matches where the tagger also finds loaded language (it reads the match as a
    /// feature, with the word's context): held out on PTC the lexicon alone is right on 38% of
    /// its characters, and no bias of a tagger that keeps every match gets past 40%.
    Confirmed,
    /// None: the lexicon is only a feature of the tagger.
    Ignored,
}

/// Which words in quotation marks become scare-quote spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScareQuoteSpans {
    /// Every one or two bare words in quotation marks.
    All,
    /// Those in which the tagger or the lexicon also finds loaded language: most short quoted
    /// phrases in news are a source's neutral words, or titles.
    Confirmed,
    /// None.
    Ignored,
}

impl Default for DecodeOptions {
    fn default() -> DecodeOptions {
        DecodeOptions {
            join_lexicon: true,
            trim_edges: true,
            phrase_words: PHRASE_WORDS,
            lexicon_spans: LexiconSpans::Confirmed,
            gap_tokens: GAP_TOKENS,
            scare_quotes: ScareQuoteSpans::Confirmed,
            identity_words: IdentityWords::Trimmed,
        }
    }
}

/// Where a span came from, which decides the category when spans overlap (see
/// [`merge_overlapping`]).
type SpanSource = u8;
/// A lexicon expression.
const FROM_LEXICON: SpanSource = 0;
/// A run of the tagger.
const FROM_TAGGER: SpanSource = 1;
/// A scare quote.
const FROM_SCARE_QUOTE: SpanSource = 2;

/// A tagger that reads a whole text at once and gives each token the probabilities of the three
/// classes (none, loaded language, name calling): the optional encoder mode (`newslens-encoder`,
/// a fine-tuned MiniLM), which this crate knows only through this trait.
pub trait TokenProbabilities: Send + Sync + std::fmt::Debug {
    /// For each sentence, each token's probabilities of [`CLASS_NONE`], [`CLASS_LOADED`] and
    /// [`CLASS_LABEL`], in that order; `OverBudget` once `deadline` has passed.
    fn token_probabilities(
        &self,
        text: &str,
        sentence_tokens: &[Vec<Span>],
        deadline: Deadline,
    ) -> Result<Vec<Vec<[f32; 3]>>, OverBudget>;
}

impl<T: TokenProbabilities + ?Sized> TokenProbabilities for &T {
    fn token_probabilities(
        &self,
        text: &str,
        sentence_tokens: &[Vec<Span>],
        deadline: Deadline,
    ) -> Result<Vec<Vec<[f32; 3]>>, OverBudget> {
        (**self).token_probabilities(text, sentence_tokens, deadline)
    }
}

/// Which tagger reads an article's loaded language.
#[derive(Debug, Clone, Copy)]
pub enum Tagging<'a> {
    /// The feature tagger: the shipped `models/loaded.bin` or another trained one.
    Features(&'a LoadedModel),
    /// A whole-text tagger (the encoder mode): a token is loaded where its probability of either
    /// loaded class is above `threshold`.
    Encoder {
        /// The tagger.
        tagger: &'a dyn TokenProbabilities,
        /// The operating point on P(not none).
        threshold: f32,
    },
}

/// Each sentence's token classes from their probabilities: none unless P(not none) is above
/// `threshold`, else the likelier of the two loaded classes.
pub fn classes_of_probabilities(probabilities: &[Vec<[f32; 3]>], threshold: f32) -> Vec<Vec<u8>> {
    probabilities
        .iter()
        .map(|sentence| {
            sentence
                .iter()
                .map(|[none, loaded, label]| {
                    if 1.0 - none <= threshold {
                        CLASS_NONE
                    } else if loaded >= label {
                        CLASS_LOADED
                    } else {
                        CLASS_LABEL
                    }
                })
                .collect()
        })
        .collect()
}

/// Where the tagger's classes come from.
#[derive(Clone, Copy)]
enum ClassSource<'a> {
    /// The feature tagger, run here sentence by sentence.
    Model(&'a LoadedModel),
    /// Given, one list per sentence (a whole-text tagger ran before).
    Given(&'a [Vec<u8>]),
}

/// [`find_loaded`] with another tagger than the shipped one and other decoding (for evaluation
/// and training).
pub fn find_loaded_with(
    model: &LoadedModel,
    text: &str,
    sentence_tokens: &[Vec<Span>],
    quoted: &[Span],
    names: &[Span],
    decode: &DecodeOptions,
) -> Vec<LoadedSpan> {
    find_loaded_from(
        ClassSource::Model(model),
        text,
        sentence_tokens,
        quoted,
        names,
        decode,
    )
}

/// [`find_loaded_with`] with each sentence's token classes given (by a whole-text tagger, see
/// [`classes_of_probabilities`]): the lexicon, scare quotes and decoding work on them as on the
/// feature tagger's.
pub fn find_loaded_with_classes(
    classes: &[Vec<u8>],
    text: &str,
    sentence_tokens: &[Vec<Span>],
    quoted: &[Span],
    names: &[Span],
    decode: &DecodeOptions,
) -> Vec<LoadedSpan> {
    find_loaded_from(
        ClassSource::Given(classes),
        text,
        sentence_tokens,
        quoted,
        names,
        decode,
    )
}

fn find_loaded_from(
    source: ClassSource<'_>,
    text: &str,
    sentence_tokens: &[Vec<Span>],
    quoted: &[Span],
    names: &[Span],
    decode: &DecodeOptions,
) -> Vec<LoadedSpan> {
    let sorted_quoted = sorted_spans(quoted);
    let mut quote_cursor = 0;
    let model = match source {
        ClassSource::Model(model) if model.is_trained() => Some(model),
        _ => None,
    };
    // Whether some tagger gives classes: a trained model, or classes given by a whole-text tagger.
    let tagged = model.is_some() || matches!(source, ClassSource::Given(_));
    // The lexicon's matches of every sentence, found once: the tagger reads their article-wide
    // rate before it reads any sentence.
    let mut all_matches = Vec::new();
    let mut match_ends = Vec::with_capacity(sentence_tokens.len());
    for tokens in sentence_tokens {
        lexicon::lexicon_matches(text, tokens, &mut all_matches);
        match_ends.push(all_matches.len());
    }
    let mut rows = Vec::new();
    let mut contexts = Vec::new();
    let mut scratch = features::FeatureScratch::default();
    let article = if model.is_some() {
        features::article_context_of_matches(text, sentence_tokens, all_matches.len())
    } else {
        features::ArticleContext::default()
    };
    let mut classes = Vec::new();
    let mut repeats = Vec::new();
    if model.is_some() {
        features::word_repeats(text, sentence_tokens, &mut repeats);
    }
    let mut first_token = 0;
    let mut spans: Vec<(LoadedSpan, SpanSource)> = Vec::new();
    let mut scare = Vec::new();
    for (sentence_idx, tokens) in sentence_tokens.iter().enumerate() {
        let sentence_first_span = spans.len();
        let first_match = sentence_idx.checked_sub(1).map_or(0, |idx| match_ends[idx]);
        let matches = &all_matches[first_match..match_ends[sentence_idx]];
        // Lexicon spans first: at the same start they win the category.
        let all_lexicon = decode.lexicon_spans == LexiconSpans::All
            || (decode.lexicon_spans == LexiconSpans::Confirmed && !tagged);
        if all_lexicon {
            push_lexicon_spans(text, tokens, matches, decode, &mut spans);
        }
        if tagged {
            if let Some(model) = model {
                features::sentence_features(
                    text,
                    tokens,
                    matches,
                    &sorted_quoted,
                    &mut quote_cursor,
                    article,
                    &repeats[first_token..first_token + tokens.len()],
                    &mut scratch,
                    &mut rows,
                    &mut contexts,
                );
                first_token += tokens.len();
                model.classify(&rows, &contexts, &mut classes);
            } else if let ClassSource::Given(given) = source {
                classes.clear();
                classes.extend_from_slice(given.get(sentence_idx).map_or(&[][..], |c| c));
                // A tagger that gave fewer classes than tokens left the rest unloaded.
                classes.resize(tokens.len(), CLASS_NONE);
            }
            fill_gaps(&mut classes, decode.gap_tokens);
            if decode.lexicon_spans == LexiconSpans::Confirmed {
                let confirmed: Vec<lexicon::LexiconMatch> = matches
                    .iter()
                    .filter(|m| {
                        m.category == LoadedCategory::LoadedVerb
                            || classes[m.first..m.end].iter().any(|c| *c != CLASS_NONE)
                    })
                    .copied()
                    .collect();
                push_lexicon_spans(text, tokens, &confirmed, decode, &mut spans);
            }
            push_tagger_spans(text, tokens, &classes, matches, decode, &mut spans);
        }
        scare.clear();
        if decode.scare_quotes != ScareQuoteSpans::Ignored {
            scare_quotes::scare_quotes(text, tokens, &mut scare);
        }
        for candidate in &scare {
            let confirmed = spans[sentence_first_span..].iter().any(|(found, _)| {
                found.span.start < candidate.span.end && candidate.span.start < found.span.end
            });
            if confirmed || decode.scare_quotes == ScareQuoteSpans::All {
                spans.push((*candidate, FROM_SCARE_QUOTE));
            }
        }
    }
    let mut merged = merge_overlapping(spans);
    if decode.identity_words != IdentityWords::Kept {
        let trim = decode.identity_words == IdentityWords::Trimmed;
        merged = identity::drop_identity_words(text, sentence_tokens, names, merged, trim);
    }
    mark_quoted(&mut merged, sorted_quoted);
    merged
}

/// Appends a span for each lexicon expression of a sentence, reaching over its phrase.
fn push_lexicon_spans(
    text: &str,
    tokens: &[Span],
    matches: &[lexicon::LexiconMatch],
    decode: &DecodeOptions,
    spans: &mut Vec<(LoadedSpan, SpanSource)>,
) {
    spans.extend(matches.iter().map(|found| {
        let end = phrase_end(text, tokens, found.end, found.category, decode.phrase_words);
        let loaded = LoadedSpan {
            span: Span::new(tokens[found.first].start, tokens[end - 1].end),
            category: found.category,
            in_quote: false,
        };
        (loaded, FROM_LEXICON)
    }));
}

/// Appends a span for each run of tokens the tagger gave one class, trimmed to a phrase.
fn push_tagger_spans(
    text: &str,
    tokens: &[Span],
    classes: &[u8],
    matches: &[lexicon::LexiconMatch],
    decode: &DecodeOptions,
    spans: &mut Vec<(LoadedSpan, SpanSource)>,
) {
    let mut token_idx = 0;
    while token_idx < tokens.len() {
        let class = classes[token_idx];
        if class == CLASS_NONE {
            token_idx += 1;
            continue;
        }
        let mut first = token_idx;
        while token_idx < tokens.len() && classes[token_idx] == class {
            token_idx += 1;
        }
        // The tagger's runs often take in a "the", a "has" or a comma at their edges:
        // trimmed, spans read as phrases ("ripped into", not "has ripped into the"), at
        // the cost of PTC's spans that keep their article ("the rigged witch hunt").
        let mut last = token_idx;
        while decode.trim_edges && first < last && is_edge_word(text, tokens[first]) {
            first += 1;
        }
        while decode.trim_edges && first < last && is_edge_word(text, tokens[last - 1]) {
            last -= 1;
        }
        // A run over a lexicon expression joins it (the merge below makes them one span
        // with the lexicon's category): the tagger knows how far PTC's phrases reach,
        // "slammed the sham investigation" rather than "slammed". Dropping such runs
        // instead costs three points of held-out F1.
        let overlaps_lexicon = !decode.join_lexicon
            && decode.lexicon_spans != LexiconSpans::Ignored
            && matches.iter().any(|m| m.first < last && first < m.end);
        if first == last || overlaps_lexicon {
            continue;
        }
        // An evaluative verb's span starts at the verb: the tagger's run often takes in
        // its subject ("the mayor ripped into"), which is who judged, not the judgement.
        if let Some(verb) = matches
            .iter()
            .find(|m| m.category == LoadedCategory::LoadedVerb && first < m.first && m.first < last)
        {
            first = verb.first;
        }
        let category = if class == CLASS_LABEL {
            LoadedCategory::Label
        } else {
            LoadedCategory::Emotive
        };
        let end = phrase_end(text, tokens, last, category, decode.phrase_words);
        let loaded = LoadedSpan {
            span: Span::new(tokens[first].start, tokens[end - 1].end),
            category,
            in_quote: false,
        };
        spans.push((loaded, FROM_TAGGER));
    }
}

/// Overlapping spans become one, in text order. Its category is the scare quote's if a scare
/// quote is among them ("“regime”"), else the lexicon's (it knows verbs from labels), else the
/// tagger's.
fn merge_overlapping(mut spans: Vec<(LoadedSpan, SpanSource)>) -> Vec<LoadedSpan> {
    spans.sort_by_key(|(loaded, _)| (loaded.span.start, std::cmp::Reverse(loaded.span.end)));
    let outranks = |source: SpanSource, other: SpanSource| {
        source == FROM_SCARE_QUOTE || (other != FROM_SCARE_QUOTE && source < other)
    };
    let mut merged: Vec<(LoadedSpan, SpanSource)> = Vec::with_capacity(spans.len());
    for (loaded, source) in spans {
        match merged.last_mut() {
            Some((last, last_source)) if loaded.span.start < last.span.end => {
                last.span.end = last.span.end.max(loaded.span.end);
                if outranks(source, *last_source) {
                    last.category = loaded.category;
                    *last_source = source;
                }
            }
            _ => merged.push((loaded, source)),
        }
    }
    merged.into_iter().map(|(loaded, _)| loaded).collect()
}

/// Marks the spans inside quoted text. Quoted text that is itself a scare quote is the outlet's
/// framing, not a source's words.
fn mark_quoted(merged: &mut [LoadedSpan], sorted_quoted: Vec<Span>) {
    let scare: Vec<Span> = merged
        .iter()
        .filter(|l| l.category == LoadedCategory::ScareQuote)
        .map(|l| l.span)
        .collect();
    let quoted: Vec<Span> = sorted_quoted
        .into_iter()
        .filter(|q| !scare.iter().any(|s| s.start <= q.start && q.end <= s.end))
        .collect();
    let mut cursor = 0;
    for loaded in merged {
        loaded.in_quote = loaded.category != LoadedCategory::ScareQuote
            && inside(&quoted, &mut cursor, loaded.span.start);
    }
}

/// How many untagged tokens between two tagged ones in a sentence still belong to one span: PTC
/// marks phrases ("the so-called 'experts'"), and the tagger often misses a word inside them. Two
/// lifts held-out F1 by .002 and no bridging is worse; four is no better.
const GAP_TOKENS: usize = 2;

/// Gives runs of at most `gap_tokens` untagged tokens between two tagged ones the class of the
/// one before: PTC marks whole phrases, and the tagger often misses a word in their middle.
fn fill_gaps(classes: &mut [u8], gap_tokens: usize) {
    if gap_tokens == 0 {
        return;
    }
    let mut last_tagged: Option<usize> = None;
    for token_idx in 0..classes.len() {
        if classes[token_idx] == CLASS_NONE {
            continue;
        }
        if let Some(last) = last_tagged {
            if token_idx > last + 1 && token_idx - last - 1 <= gap_tokens {
                let class = classes[last];
                classes[last + 1..token_idx].fill(class);
            }
        }
        last_tagged = Some(token_idx);
    }
}

/// Content words (not function words) that a phrase may take after a loaded word.
static FUNCTION_WORDS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        crate::lexicon::items(include_str!("../../data/english_function_words.txt")).collect()
    });

/// Whether a token is a function word or punctuation, which a span should not start or end with.
fn is_edge_word(text: &str, token: Span) -> bool {
    let word = &text[token.start..token.end];
    !word.chars().next().is_some_and(char::is_alphanumeric)
        || FUNCTION_WORDS.contains(word.to_lowercase().as_str())
}

/// How many content words after an emotive word or label still belong to its phrase ("disgraceful
/// verdict", "brutally murdered"). None: the tagger already reaches over the phrases PTC marks,
/// and one more word cost 3 points of held-out precision at the same recall.
const PHRASE_WORDS: usize = 0;

/// The token index just past the phrase that a loaded span ending before `end` opens: the span
/// itself, extended over up to [`PHRASE_WORDS`] following lower-case content words for emotive
/// words, labels and intensifiers.
fn phrase_end(
    text: &str,
    tokens: &[Span],
    end: usize,
    category: LoadedCategory,
    phrase_words: usize,
) -> usize {
    if !matches!(
        category,
        LoadedCategory::Emotive | LoadedCategory::Label | LoadedCategory::Intensifier
    ) {
        return end;
    }
    let mut phrase_end = end;
    while phrase_end < tokens.len() && phrase_end < end + phrase_words {
        let word = &text[tokens[phrase_end].start..tokens[phrase_end].end];
        let is_content = word.chars().next().is_some_and(|c| c.is_lowercase())
            && word.chars().all(|c| c.is_alphabetic() || c == '-')
            && !FUNCTION_WORDS.contains(word)
            && !lexicon::starts_expression(word);
        if !is_content {
            break;
        }
        phrase_end += 1;
    }
    phrase_end
}

/// Whether a lexicon entry of one word has this key (lower case); for callers that want features.
pub fn category_of_word(key: &str) -> Option<LoadedCategory> {
    lexicon::category_of_word(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    /// The lexicon's and scare quotes' spans (no tagger: its weights change with training).
    fn found(text: &str, quoted: &[Span]) -> Vec<(String, &'static str, bool)> {
        find_loaded_with(
            &LoadedModel::empty(),
            text,
            &[tokenize(text)],
            quoted,
            &[],
            &DecodeOptions::default(),
        )
        .iter()
        .map(|l| {
            (
                text[l.span.start..l.span.end].to_string(),
                l.category.as_str(),
                l.in_quote,
            )
        })
        .collect()
    }

    #[test]
    fn probabilities_become_classes_at_the_threshold() {
        let probabilities = vec![vec![[0.9, 0.05, 0.05], [0.3, 0.5, 0.2], [0.4, 0.1, 0.5]]];
        assert_eq!(
            classes_of_probabilities(&probabilities, 0.5),
            vec![vec![CLASS_NONE, CLASS_LOADED, CLASS_LABEL]]
        );
        assert_eq!(
            classes_of_probabilities(&probabilities, 0.65),
            vec![vec![CLASS_NONE, CLASS_LOADED, CLASS_NONE]]
        );
    }

    #[test]
    fn given_classes_are_decoded_by_the_same_rules_as_the_taggers() {
        let text = "Senator Ana Lopez cynically replied to the council about the shameful plan.";
        let tokens = tokenize(text);
        let word = |w: &str| {
            tokens
                .iter()
                .position(|t| &text[t.start..t.end] == w)
                .unwrap()
        };
        let names = [Span::new(
            text.find("Ana").unwrap(),
            text.find(" cynically").unwrap(),
        )];
        let mut classes = vec![CLASS_NONE; tokens.len()];
        // A run over a title and a name, then a loaded word after it; and one over a noun
        // phrase ending in "plan".
        classes[word("Senator")..=word("replied")].fill(CLASS_LOADED);
        classes[word("shameful")] = CLASS_LOADED;
        classes[word("plan")] = CLASS_LOADED;
        // Fewer classes than tokens for a second sentence: its tokens are unloaded.
        let found: Vec<&str> = find_loaded_with_classes(
            &[classes, vec![]],
            text,
            &[tokens.clone(), vec![]],
            &[],
            &names,
            &DecodeOptions::default(),
        )
        .iter()
        .map(|l| &text[l.span.start..l.span.end])
        .collect();
        assert_eq!(found, ["cynically replied", "shameful plan"]);
    }

    #[test]
    fn the_issue_seed_words_are_found() {
        let text = "The minister gushed about the deal while critics lambast it; a far-left MP \
                    slammed it, a rival ripped into the plan and cynically took aim at its author.";
        let words: Vec<String> = found(text, &[]).into_iter().map(|(w, _, _)| w).collect();
        for seed in [
            "gushed",
            "lambast",
            "far-left",
            "slammed",
            "ripped into",
            "cynically",
            "took aim",
        ] {
            assert!(words.iter().any(|w| w == seed), "{seed} not in {words:?}");
        }
    }

    #[test]
    fn the_shipped_taggers_spans_keep_the_lexicons_expressions_whole_with_their_category() {
        let text = "A rival ripped into the plan and the minister gushed about it.";
        let spans = find_loaded(text, &[tokenize(text)], &[], &[]);
        for expression in ["ripped into", "gushed"] {
            let start = text.find(expression).unwrap();
            let end = start + expression.len();
            assert!(
                spans.iter().any(|l| l.span.start <= start
                    && end <= l.span.end
                    && l.category == LoadedCategory::LoadedVerb),
                "{expression} in {spans:?}"
            );
        }
    }

    #[test]
    fn words_inside_a_quote_are_flagged_as_the_sources() {
        let text = "He said: “This chaos is shameful.” The chaos, however, went on.";
        let start = text.find('“').unwrap();
        let end = text.find('”').unwrap() + '”'.len_utf8();
        let spans = found(text, &[Span::new(start, end)]);
        assert_eq!(
            spans,
            [
                ("chaos".to_string(), "emotive", true),
                ("shameful".to_string(), "emotive", true),
                ("chaos".to_string(), "emotive", false),
            ]
        );
    }

    #[test]
    fn a_scare_quoted_label_is_one_scare_quote_outside_quotes() {
        let text = "The “thugs” announced new rules.";
        let start = text.find('“').unwrap();
        let end = text.find('”').unwrap() + '”'.len_utf8();
        assert_eq!(
            found(text, &[Span::new(start, end)]),
            [("“thugs”".to_string(), "scare_quote", false)]
        );
    }

    #[test]
    fn a_quoted_word_nothing_finds_loaded_is_no_scare_quote_unless_all_are_asked_for() {
        let text = "The “committee” announced new rules.";
        let quoted = [Span::new(
            text.find('“').unwrap(),
            text.find('”').unwrap() + 3,
        )];
        assert!(found(text, &quoted).is_empty());
        let all = DecodeOptions {
            scare_quotes: ScareQuoteSpans::All,
            ..DecodeOptions::default()
        };
        let spans = find_loaded_with(
            &LoadedModel::empty(),
            text,
            &[tokenize(text)],
            &quoted,
            &[],
            &all,
        );
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].category, LoadedCategory::ScareQuote);
    }

    #[test]
    fn short_gaps_between_tagged_tokens_take_the_class_before_them() {
        let mut classes = [0, 1, 0, 0, 2, 0, 0, 0, 1, 0];
        fill_gaps(&mut classes, 2);
        assert_eq!(classes, [0, 1, 1, 1, 2, 0, 0, 0, 1, 0]);
        let mut untouched = [1, 0, 1];
        fill_gaps(&mut untouched, 0);
        assert_eq!(untouched, [1, 0, 1]);
    }

    #[test]
    fn categories_round_trip_through_their_names() {
        for name in [
            "loaded_verb",
            "label",
            "emotive",
            "intensifier",
            "scare_quote",
        ] {
            assert_eq!(
                LoadedCategory::from_name(name).map(|c| c.as_str()),
                Some(name)
            );
        }
    }
}
