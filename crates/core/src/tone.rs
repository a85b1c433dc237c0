//! Tone: GDELT's seven document figures, counted over word tokens with hash lookups.
//!
//! GDELT's Global Knowledge Graph gives every document a tone (positive − negative), the % of its
//! words in a positive and in a negative lexicon, their sum (polarity), an activity reference
//! density (% of words that refer to action), a self/group reference density (% of words that are
//! pronouns) and the word count. We compute the same figures three ways: over the whole text, over
//! the outlet's own voice with every quoted span removed (the *narrative*: what tells one outlet from
//! another when they quote the same people), and per entity over the narrative of the sentences that
//! mention it.
//!
//! The lexicons are data files: `data/sentiment_lexicon.txt` (VADER's rated words, MIT licence,
//! built by `scripts/build_sentiment_lexicon.py`), `data/activity_words.txt` and
//! `data/self_group_pronouns.txt` (written for newslens). Counting is one hash lookup per word, with
//! no allocation for words already in lower case. This module does not find loaded language (that
//! is [`crate::loaded`]) and does not decide what is quoted: callers pass the quoted spans.

use foldhash::HashMap;

use crate::article::Tone;
use crate::lexicon::items;
use crate::offsets::Span;
use std::sync::LazyLock;

/// What a word counts towards.
const POSITIVE: u8 = 1;
const NEGATIVE: u8 = 2;
const ACTIVITY: u8 = 4;
const SELF_GROUP: u8 = 8;

/// Every known word form (lower case, straight apostrophes) with its classes and sentiment valence.
static WORD_CLASSES: LazyLock<HashMap<&'static str, (u8, f32)>> = LazyLock::new(|| {
    let mut classes: HashMap<&'static str, (u8, f32)> =
        HashMap::with_capacity_and_hasher(8192, Default::default());
    for line in items(include_str!("../data/sentiment_lexicon.txt")) {
        let mut fields = line.split('\t');
        let (Some(word), Some(valence)) = (fields.next(), fields.next()) else {
            continue;
        };
        let Ok(valence) = valence.trim().parse::<f32>() else {
            continue;
        };
        let class = if valence > 0.0 { POSITIVE } else { NEGATIVE };
        let entry = classes.entry(word.trim()).or_insert((0, 0.0));
        entry.0 |= class;
        entry.1 = valence;
    }
    for lemma in items(include_str!("../data/activity_words.txt")) {
        for form in regular_inflections(lemma) {
            let form: &'static str = Box::leak(form.into_boxed_str());
            classes.entry(form).or_insert((0, 0.0)).0 |= ACTIVITY;
        }
    }
    for pronoun in items(include_str!("../data/self_group_pronouns.txt")) {
        classes.entry(pronoun).or_insert((0, 0.0)).0 |= SELF_GROUP;
    }
    classes
});

/// The regular inflections of an English word, the word itself first: -s/-es, -ed/-d, -ing, with
/// a final e dropped, a final y turned to i, and a final consonant doubled as alternatives.
/// Over-generation is harmless: forms that are not words never occur in text.
///
/// ```
/// use newslens_core::tone::regular_inflections;
/// let forms = regular_inflections("slam");
/// assert!(forms.iter().any(|f| f == "slammed") && forms.iter().any(|f| f == "slams"));
/// let forms = regular_inflections("rally");
/// assert!(forms.iter().any(|f| f == "rallied") && forms.iter().any(|f| f == "rallies"));
/// ```
pub fn regular_inflections(lemma: &str) -> Vec<String> {
    let mut forms = vec![lemma.to_string()];
    let Some(last) = lemma.chars().last() else {
        return forms;
    };
    if !last.is_ascii_alphabetic() {
        return forms;
    }
    let stem_without_last = &lemma[..lemma.len() - 1];
    if last == 'e' {
        forms.push(format!("{lemma}s"));
        forms.push(format!("{lemma}d"));
        forms.push(format!("{stem_without_last}ing"));
    } else if last == 'y' && !lemma.ends_with("ay") && !lemma.ends_with("ey") {
        forms.push(format!("{stem_without_last}ies"));
        forms.push(format!("{stem_without_last}ied"));
        forms.push(format!("{lemma}ing"));
    } else {
        let sibilant = ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|end| lemma.ends_with(end));
        forms.push(format!("{lemma}{}", if sibilant { "es" } else { "s" }));
        forms.push(format!("{lemma}ed"));
        forms.push(format!("{lemma}ing"));
        if !"aeiouwxy".contains(last) {
            forms.push(format!("{lemma}{last}ed"));
            forms.push(format!("{lemma}{last}ing"));
        }
    }
    forms
}

/// The lookup key of a word: lower case with straight apostrophes, borrowed when the word is
/// already in that form, else written into `buffer`.
pub(crate) fn word_key<'a>(word: &'a str, buffer: &'a mut String) -> &'a str {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'\'')
    {
        return word;
    }
    buffer.clear();
    for c in word.chars() {
        match c {
            '’' | '‘' => buffer.push('\''),
            c if c.is_ascii() => buffer.push(c.to_ascii_lowercase()),
            c => buffer.extend(c.to_lowercase()),
        }
    }
    buffer.as_str()
}

/// Whether a token counts as a word: it starts with a letter or digit and is not a clitic
/// ("n't", "'s" belong to the word before them).
fn is_word(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_alphanumeric)
        && !matches!(token, "n't" | "n’t" | "N'T" | "N’T")
}

/// The sentiment valence of a word (VADER's rating, −4..4), or 0 when the lexicon does not have it.
pub fn valence(word: &str) -> f32 {
    let mut buffer = String::new();
    WORD_CLASSES
        .get(word_key(word, &mut buffer))
        .map_or(0.0, |(_, valence)| *valence)
}

/// Word counts behind the tone figures; they add up across sentences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ToneCounts {
    /// Words counted.
    pub words: usize,
    /// Words in the positive lexicon.
    pub positive: usize,
    /// Words in the negative lexicon.
    pub negative: usize,
    /// Activity words.
    pub activity: usize,
    /// Pronouns.
    pub self_group: usize,
}

impl ToneCounts {
    /// Adds another count to this one.
    pub fn add(&mut self, other: &ToneCounts) {
        self.words += other.words;
        self.positive += other.positive;
        self.negative += other.negative;
        self.activity += other.activity;
        self.self_group += other.self_group;
    }

    /// GDELT's figures: percentages of the words counted (all zero when there are none).
    pub fn figures(&self) -> Tone {
        let percent = |n: usize| {
            if self.words == 0 {
                0.0
            } else {
                round(100.0 * n as f64 / self.words as f64)
            }
        };
        let positive = percent(self.positive);
        let negative = percent(self.negative);
        Tone {
            tone: round(positive - negative),
            positive,
            negative,
            polarity: round(positive + negative),
            activity_density: percent(self.activity),
            self_group_density: percent(self.self_group),
            words: self.words,
        }
    }
}

/// Four decimals: enough for any comparison, short in JSON.
fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// The counts of one sentence: over all its words, and over its narrative (words outside quotes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SentenceTone {
    /// Every word of the sentence.
    pub all: ToneCounts,
    /// The words outside quoted spans.
    pub narrative: ToneCounts,
}

/// Counts each sentence's words, given its tokens (byte spans into `text`) and the byte spans of
/// quoted text (sorted or not; they may overlap).
///
/// ```
/// use newslens_core::tone::sentence_tones;
/// use newslens_core::tokens::tokenize;
/// use newslens_core::Span;
/// let text = "The plan is a disaster, “a wonderful plan” he said.";
/// let quoted = [Span::new(24, 46)];
/// let tones = sentence_tones(text, &[tokenize(text)], &quoted);
/// assert_eq!((tones[0].all.positive, tones[0].all.negative), (1, 1));
/// assert_eq!((tones[0].narrative.positive, tones[0].narrative.negative), (0, 1));
/// ```
pub fn sentence_tones(
    text: &str,
    sentence_tokens: &[Vec<Span>],
    quoted: &[Span],
) -> Vec<SentenceTone> {
    let quoted = sorted_spans(quoted);
    let mut quote_idx = 0;
    let mut buffer = String::new();
    sentence_tokens
        .iter()
        .map(|tokens| {
            let mut counts = SentenceTone::default();
            for token in tokens {
                let word = &text[token.start..token.end];
                if !is_word(word) {
                    continue;
                }
                let classes = WORD_CLASSES
                    .get(word_key(word, &mut buffer))
                    .map_or(0, |(classes, _)| *classes);
                let one = ToneCounts {
                    words: 1,
                    positive: usize::from(classes & POSITIVE != 0),
                    negative: usize::from(classes & NEGATIVE != 0),
                    activity: usize::from(classes & ACTIVITY != 0),
                    self_group: usize::from(classes & SELF_GROUP != 0),
                };
                counts.all.add(&one);
                if !inside(&quoted, &mut quote_idx, token.start) {
                    counts.narrative.add(&one);
                }
            }
            counts
        })
        .collect()
}

/// The tone of the whole text and of its narrative, from the sentences' counts.
pub fn article_tones(sentences: &[SentenceTone]) -> (Tone, Tone) {
    let mut all = ToneCounts::default();
    let mut narrative = ToneCounts::default();
    for sentence in sentences {
        all.add(&sentence.all);
        narrative.add(&sentence.narrative);
    }
    (all.figures(), narrative.figures())
}

/// The narrative tone of the sentences with these indices (each counted once, whatever the order
/// or repetition), e.g. the sentences that mention one entity. Indices past the end are ignored.
pub fn narrative_tone_of(
    sentences: &[SentenceTone],
    sentence_indices: impl IntoIterator<Item = usize>,
) -> Tone {
    let mut indices: Vec<usize> = sentence_indices.into_iter().collect();
    indices.sort_unstable();
    indices.dedup();
    let mut counts = ToneCounts::default();
    for sentence in indices.iter().filter_map(|idx| sentences.get(*idx)) {
        counts.add(&sentence.narrative);
    }
    counts.figures()
}

/// Spans sorted by start, for [`inside`].
pub(crate) fn sorted_spans(spans: &[Span]) -> Vec<Span> {
    let mut sorted = spans.to_vec();
    sorted.sort_unstable();
    sorted
}

/// Whether `offset` lies inside one of `spans` (sorted by start), for offsets asked in increasing
/// order: `cursor` remembers how far the walk got, so a whole text costs one pass.
pub(crate) fn inside(spans: &[Span], cursor: &mut usize, offset: usize) -> bool {
    // Skip spans that end at or before the offset; with overlapping spans a long early one may
    // still cover it, so look at the few spans that start before the offset.
    while *cursor < spans.len() && spans[*cursor].end <= offset {
        *cursor += 1;
    }
    spans[*cursor..]
        .iter()
        .take_while(|span| span.start <= offset)
        .any(|span| offset < span.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    fn counts(text: &str) -> ToneCounts {
        sentence_tones(text, &[tokenize(text)], &[])[0].all
    }

    #[test]
    fn tone_is_positive_minus_negative_in_percent_of_words() {
        // 10 words: "wonderful" positive, "disaster" and "failed" negative.
        let text = "The wonderful bridge was a disaster and the plan failed.";
        let tone = counts(text).figures();
        assert_eq!(tone.words, 10);
        assert_eq!(tone.positive, 10.0);
        assert_eq!(tone.negative, 20.0);
        assert_eq!(tone.tone, -10.0);
        assert_eq!(tone.polarity, 30.0);
    }

    #[test]
    fn pronouns_and_action_words_give_the_densities() {
        let counts = counts("We marched and they arrested us.");
        assert_eq!(counts.words, 6);
        assert_eq!(counts.self_group, 3);
        assert_eq!(counts.activity, 2);
    }

    #[test]
    fn punctuation_and_clitics_are_not_words() {
        assert_eq!(counts("It didn't work, “really”.").words, 4);
    }

    #[test]
    fn capitalised_and_curly_apostrophe_words_are_found() {
        assert_eq!(counts("Terrible. TERRIBLE.").negative, 2);
    }

    #[test]
    fn quoted_words_leave_the_narrative_only() {
        let text = "Officials called it “a tragic failure” today.";
        let start = text.find('“').unwrap();
        let end = text.find('”').unwrap() + '”'.len_utf8();
        let tones = sentence_tones(text, &[tokenize(text)], &[Span::new(start, end)]);
        assert_eq!(tones[0].all.negative, 2);
        assert_eq!(tones[0].narrative.negative, 0);
        assert_eq!(tones[0].narrative.words, 4);
    }

    #[test]
    fn entity_tone_counts_each_sentence_once() {
        let texts = ["A great win.", "A sad loss."];
        let tokens: Vec<Vec<Span>> = texts.iter().map(|t| tokenize(t)).collect();
        // Two texts stand in for two sentences of one text: the counts do not look at offsets again.
        let first = sentence_tones(texts[0], &tokens[..1], &[]);
        let second = sentence_tones(texts[1], &tokens[1..], &[]);
        let sentences = [first[0], second[0]];
        let tone = narrative_tone_of(&sentences, [0, 0, 1, 7]);
        assert_eq!(tone.words, 6);
        assert_eq!(tone.positive, round(200.0 / 6.0));
    }

    #[test]
    fn empty_text_has_zero_figures() {
        let tone = ToneCounts::default().figures();
        assert_eq!((tone.tone, tone.words), (0.0, 0));
    }

    #[test]
    fn inside_handles_overlapping_spans() {
        let spans = sorted_spans(&[Span::new(0, 100), Span::new(10, 20)]);
        let mut cursor = 0;
        assert!(inside(&spans, &mut cursor, 5));
        assert!(inside(&spans, &mut cursor, 50));
        assert!(!inside(&spans, &mut cursor, 100));
    }
}
