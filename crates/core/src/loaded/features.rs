//! The loaded-language tagger's features, hashed into weight rows: the static rows of a
//! sentence's tokens, and the rows that depend on the previous token's class.
//!
//! Features are the word, its stem and its neighbours, word pairs, affixes, shape, the word
//! clusters the entity tagger uses (three levels, for the word and its neighbours), the token's
//! sentiment valence (the tone layer's lexicon) and subjectivity (`data/subjectivity_lexicon.txt`),
//! its loaded-lexicon category, whether it is quoted, its place in the sentence, how heated the
//! sentence is, how dense the whole article is in lexicon and valenced words (articles differ
//! tenfold in loaded language) and how often the word's stem came before in the article and comes
//! in all (annotators mark a loaded word where it first strikes). Hashing folds strings byte by
//! byte, so a sentence's features allocate nothing per token beyond reused buffers. The feature
//! numbers are part of `models/loaded.bin`. This module holds no weights and decides no class.

use std::sync::LazyLock;

use foldhash::HashMap;

use super::lexicon::LexiconMatch;
use super::LoadedCategory;
use crate::ner::{hash_folded, hash_shape, step, VectorCode};
use crate::offsets::Span;
use crate::tone::{inside, valence, word_key};

/// Static features per token.
pub(super) const N_STATIC: usize = 85;
/// Features per token that depend on the previous token's class.
pub(super) const N_DYNAMIC: usize = 3;

#[inline]
fn mix(kind: u64, a: u64, b: u64) -> u32 {
    let x = (kind.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ a ^ b.rotate_left(23))
        .wrapping_mul(0xBF58_476D_1CE4_E5B9);
    (x ^ (x >> 31)) as u32
}

fn hash_str(text: &str) -> u64 {
    text.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, b| step(hash, u64::from(b)))
}

/// What the features that depend on the previous decision read of a token: its word and its
/// middle-level word cluster.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct TokenContext {
    word: u64,
    cluster: u64,
}

/// The features that depend on the previous decision.
#[inline]
pub(super) fn dynamic_rows(previous: u8, context: TokenContext) -> [u32; N_DYNAMIC] {
    [
        mix(100, u64::from(previous), 0),
        mix(101, u64::from(previous), context.word),
        mix(102, u64::from(previous), context.cluster),
    ]
}

/// Reused per-sentence buffers of [`sentence_features`], so that tagging allocates nothing per
/// token once they have grown.
#[derive(Debug, Default)]
pub(super) struct FeatureScratch {
    buffer: String,
    lexicon: Vec<u64>,
    valences: Vec<u64>,
    subjectivity: Vec<u64>,
    clusters: Vec<[u64; 3]>,
    /// Per token: its classes of pretrained word vectors, finest first.
    vectors: Vec<[u64; 3]>,
    /// Per token: its vector's affect class and principal-axis quarters.
    codes: Vec<VectorCode>,
    /// Per token: hashes of its last 3 letters, its stem, its last 2 and last 4 letters.
    affixes: Vec<[u64; 4]>,
}

/// The value a feature reads beyond the sentence's edges.
const OUTSIDE: u64 = 0x77;

/// The word with a regular inflection or derivation cut off ("slammed" → "slamm", "bitterly" →
/// "bitter"), so that forms of one word share a feature; short words stay whole.
fn stem(key: &str) -> &str {
    for suffix in ["ingly", "edly", "ing", "ed", "ly", "es", "s"] {
        if key.len() > suffix.len() + 3 {
            if let Some(stem) = key.strip_suffix(suffix) {
                return stem;
            }
        }
    }
    key
}

/// Hash of the last `n` characters of a word.
fn suffix_hash(key: &str, n: usize, seed: u64) -> u64 {
    key.chars()
        .rev()
        .take(n)
        .fold(seed, |hash, c| step(hash, c as u64))
}

/// Where a token sits in its sentence, in a few buckets: first, second, early, later, last.
fn position_bucket(token_idx: usize, n_tokens: usize) -> u64 {
    match token_idx {
        0 => 0,
        1 => 1,
        _ if token_idx + 1 == n_tokens => 2,
        2..=5 => 3,
        _ => 4,
    }
}

/// Subjectivity classes of words, from `data/subjectivity_lexicon.txt`: the subjectivity in
/// fifths (1–5, so that 0 stays "not listed"), times 4, plus the polarity's sign (0 negative, 1
/// neutral, 2 positive) and 3 for words that amplify the next one.
static SUBJECTIVITY: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| {
    crate::lexicon::items(include_str!("../../data/subjectivity_lexicon.txt"))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let word = fields.next()?;
            let subjectivity: f32 = fields.next()?.parse().ok()?;
            let polarity: f32 = fields.next()?.parse().ok()?;
            let intensity: f32 = fields.next()?.parse().ok()?;
            let sign = if intensity > 1.0 {
                3
            } else if polarity <= -0.1 {
                0
            } else if polarity >= 0.1 {
                2
            } else {
                1
            };
            let fifths = 1 + (subjectivity * 4.0).round() as u8;
            Some((word, fifths * 4 + sign))
        })
        .collect()
});

/// A word's subjectivity class (see [`SUBJECTIVITY`]), an adverb taking its adjective's class
/// with a mark ("bitterly" from "bitter"); 0 for words not listed.
fn subjectivity_class(key: &str) -> u64 {
    if let Some(class) = SUBJECTIVITY.get(key) {
        return u64::from(*class);
    }
    key.strip_suffix("ly")
        .and_then(|adjective| SUBJECTIVITY.get(adjective))
        .map_or(0, |class| 64 + u64::from(*class))
}

/// What the tagger knows of the whole article: how dense it is in lexicon words and in strongly
/// valenced words. Articles differ tenfold in how much loaded language they carry, and these
/// rates let the tagger lower its bar where the whole article is heated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct ArticleContext {
    lexicon_rate: u64,
    valence_rate: u64,
}

/// A rate in a few buckets, about a doubling apart (per thousand tokens: 0, <5, <10, <20, <40,
/// <80, more).
fn rate_bucket(count: usize, n_tokens: usize) -> u64 {
    let per_thousand = count * 1000 / n_tokens.max(1);
    match per_thousand {
        0 => 0,
        1..=4 => 1,
        5..=9 => 2,
        10..=19 => 3,
        20..=39 => 4,
        40..=79 => 5,
        _ => 6,
    }
}

/// Reads the article's rates: one lexicon pass and one valence lookup per token.
pub(super) fn article_context(text: &str, sentence_tokens: &[Vec<Span>]) -> ArticleContext {
    let mut matches = Vec::new();
    for tokens in sentence_tokens {
        super::lexicon::lexicon_matches(text, tokens, &mut matches);
    }
    article_context_of_matches(text, sentence_tokens, matches.len())
}

/// [`article_context`] when the caller has already counted the article's lexicon matches.
pub(super) fn article_context_of_matches(
    text: &str,
    sentence_tokens: &[Vec<Span>],
    n_lexicon: usize,
) -> ArticleContext {
    let mut buffer = String::new();
    let (mut n_tokens, mut n_valenced) = (0, 0);
    for tokens in sentence_tokens {
        n_tokens += tokens.len();
        for token in tokens {
            let key = word_key(&text[token.start..token.end], &mut buffer);
            n_valenced += usize::from(valence(key).abs() >= 1.5);
        }
    }
    ArticleContext {
        lexicon_rate: rate_bucket(n_lexicon, n_tokens),
        valence_rate: rate_bucket(n_valenced, n_tokens),
    }
}

/// How often each token's word (its stem) has come before in the article and comes in all, for
/// the tokens of every sentence in turn: `4 × earlier + total`, each in four buckets (earlier 0,
/// 1, 2, more; total 1, 2, 3–4, more). PTC's annotators mark a loaded word where it first
/// strikes: of the uses of words marked somewhere in their article, 81% of first uses are marked,
/// 40% of second ones and 13% from the fourth on; and a word an article keeps using is more often
/// its topic than its spin.
pub(super) fn word_repeats(text: &str, sentence_tokens: &[Vec<Span>], out: &mut Vec<u8>) {
    out.clear();
    let mut buffer = String::new();
    let mut stems = Vec::new();
    let mut totals: HashMap<u64, u32> = HashMap::default();
    for tokens in sentence_tokens {
        for token in tokens {
            let key = word_key(&text[token.start..token.end], &mut buffer);
            let stem_hash = hash_str(stem(key));
            *totals.entry(stem_hash).or_default() += 1;
            stems.push(stem_hash);
        }
    }
    let mut seen: HashMap<u64, u32> = HashMap::default();
    for stem_hash in stems {
        let total_bucket = match totals.get(&stem_hash).copied().unwrap_or(1) {
            0 | 1 => 0,
            2 => 1,
            3 | 4 => 2,
            _ => 3,
        };
        let earlier = seen.entry(stem_hash).or_default();
        out.push((*earlier).min(3) as u8 * 4 + total_bucket);
        *earlier += 1;
    }
}

/// The static feature rows of one sentence's tokens, and what each token's dynamic features read.
#[allow(clippy::too_many_arguments)]
pub(super) fn sentence_features(
    text: &str,
    tokens: &[Span],
    matches: &[LexiconMatch],
    quoted: &[Span],
    quote_cursor: &mut usize,
    article: ArticleContext,
    repeats: &[u8],
    scratch: &mut FeatureScratch,
    rows: &mut Vec<[u32; N_STATIC]>,
    contexts: &mut Vec<TokenContext>,
) {
    fill_columns(text, tokens, matches, scratch, contexts);
    let columns = SentenceColumns {
        lexicon: &scratch.lexicon,
        valences: &scratch.valences,
        subjectivity: &scratch.subjectivity,
        clusters: &scratch.clusters,
        vectors: &scratch.vectors,
        codes: &scratch.codes,
        contexts,
    };
    let n_valenced = columns
        .valences
        .iter()
        .filter(|v| (**v as i64).abs() >= 3)
        .count();
    let sentence_heat = (matches.len().min(3) * 4 + n_valenced.min(3)) as u64;
    rows.clear();
    for (token_idx, token) in tokens.iter().enumerate() {
        let word = &text[token.start..token.end];
        let token_facts = TokenFacts {
            token_idx,
            n_tokens: tokens.len(),
            word,
            affixes: scratch.affixes[token_idx],
            quoted: u64::from(inside(quoted, quote_cursor, token.start)),
            repeat: repeats.get(token_idx).map_or(OUTSIDE, |r| u64::from(*r)),
        };
        rows.push(columns.static_row(&token_facts, sentence_heat, article));
    }
}

/// Fills the scratch columns and the token contexts of one sentence: each token's lexicon
/// category, word classes, valence, subjectivity and affixes.
fn fill_columns(
    text: &str,
    tokens: &[Span],
    matches: &[LexiconMatch],
    scratch: &mut FeatureScratch,
    contexts: &mut Vec<TokenContext>,
) {
    let clusters = crate::ner::shipped_clusters();
    let vector_clusters = crate::ner::shipped_vector_clusters();
    let FeatureScratch {
        buffer,
        lexicon,
        valences,
        subjectivity,
        clusters: token_clusters,
        vectors,
        codes,
        affixes,
    } = scratch;
    let vector_codes = crate::ner::shipped_vector_codes();
    vectors.clear();
    codes.clear();
    subjectivity.clear();
    affixes.clear();
    lexicon.clear();
    lexicon.resize(tokens.len(), OUTSIDE);
    valences.clear();
    token_clusters.clear();
    contexts.clear();
    for found in matches {
        for (offset, slot) in lexicon[found.first..found.end].iter_mut().enumerate() {
            let category = match found.category {
                LoadedCategory::LoadedVerb => 1,
                LoadedCategory::Label => 2,
                LoadedCategory::Emotive => 3,
                LoadedCategory::Intensifier => 4,
                LoadedCategory::ScareQuote => 5,
            };
            *slot = category * 2 + u64::from(offset > 0);
        }
    }
    for token in tokens {
        let word = &text[token.start..token.end];
        // One folded hash for the three lookups; 0 is "not clustered" in the classes.
        let folded = hash_folded(word);
        let known = |levels: [u16; 3]| {
            if levels[0] == 0 {
                [OUTSIDE; 3]
            } else {
                levels.map(|class| u64::from(class - 1))
            }
        };
        let classes = known(clusters.of_hash(folded));
        token_clusters.push(classes);
        vectors.push(known(vector_clusters.of_hash(folded)));
        codes.push(
            vector_codes
                .of_hash(folded)
                .unwrap_or(VectorCode { affect: 8, axes: 0 }),
        );
        let key = word_key(word, buffer);
        contexts.push(TokenContext {
            word: hash_str(key),
            cluster: classes[1],
        });
        valences.push((valence(key) * 2.0).round() as i64 as u64);
        subjectivity.push(subjectivity_class(key));
        affixes.push([
            suffix_hash(key, 3, 0x33),
            hash_str(stem(key)),
            suffix_hash(key, 2, 0x22),
            suffix_hash(key, 4, 0x44),
        ]);
    }
}

/// One sentence's per-token values, which a token's features read at it and its neighbours.
struct SentenceColumns<'s> {
    lexicon: &'s [u64],
    valences: &'s [u64],
    subjectivity: &'s [u64],
    clusters: &'s [[u64; 3]],
    vectors: &'s [[u64; 3]],
    codes: &'s [VectorCode],
    contexts: &'s [TokenContext],
}

/// What one token's row reads besides the columns.
struct TokenFacts<'w> {
    token_idx: usize,
    n_tokens: usize,
    word: &'w str,
    /// Hashes of its last 3 letters, its stem, its last 2 and last 4 letters.
    affixes: [u64; 4],
    /// 1 inside quoted text.
    quoted: u64,
    /// Its repeat class ([`word_repeats`]).
    repeat: u64,
}

/// The value of `values` at a token index, [`OUTSIDE`] beyond the sentence.
fn at(values: &[u64], idx: isize) -> u64 {
    if idx < 0 || idx as usize >= values.len() {
        OUTSIDE
    } else {
        values[idx as usize]
    }
}

impl SentenceColumns<'_> {
    fn word_at(&self, idx: isize) -> u64 {
        if idx < 0 || idx as usize >= self.contexts.len() {
            OUTSIDE
        } else {
            self.contexts[idx as usize].word
        }
    }

    fn vector_at(&self, idx: isize, level: usize) -> u64 {
        if idx < 0 || idx as usize >= self.vectors.len() {
            OUTSIDE
        } else {
            self.vectors[idx as usize][level]
        }
    }

    fn affect_at(&self, idx: isize) -> u64 {
        if idx < 0 || idx as usize >= self.codes.len() {
            OUTSIDE
        } else {
            u64::from(self.codes[idx as usize].affect)
        }
    }

    fn cluster_at(&self, idx: isize, level: usize) -> u64 {
        if idx < 0 || idx as usize >= self.clusters.len() {
            OUTSIDE
        } else {
            self.clusters[idx as usize][level]
        }
    }

    /// The static feature row of one token. The features' numbers are part of the model file:
    /// they must not change without retraining.
    fn static_row(
        &self,
        token: &TokenFacts,
        sentence_heat: u64,
        article: ArticleContext,
    ) -> [u32; N_STATIC] {
        let token_idx = token.token_idx;
        let i = token_idx as isize;
        let (lexicon, valences, subjectivity) = (self.lexicon, self.valences, self.subjectivity);
        let [suffix3, stem_hash, suffix2, suffix4] = token.affixes;
        let w = self.contexts[token_idx].word;
        let quoted_flag = token.quoted;
        let capital = u64::from(token.word.chars().next().is_some_and(char::is_uppercase));
        let [fine, middle, coarse] = self.clusters[token_idx];
        let repeat = token.repeat;
        let article_rates = article.lexicon_rate * 8 + article.valence_rate;
        let word_at = |idx: isize| self.word_at(idx);
        let cluster_at = |idx: isize, level: usize| self.cluster_at(idx, level);
        let [v_fine, v_middle, v_coarse] = self.vectors[token_idx];
        let vector_at = |idx: isize, level: usize| self.vector_at(idx, level);
        let code = self.codes[token_idx];
        let affect = u64::from(code.affect);
        // A word's quarter on one principal axis of the vectors (words without one: none).
        let axis = |n: u64| {
            let quarter = if code.affect > 7 {
                OUTSIDE
            } else {
                u64::from((code.axes >> (2 * n)) & 3)
            };
            mix(70 + n, quarter, 0)
        };
        [
            mix(1, 0, 0),
            mix(2, w, 0),
            mix(3, word_at(i - 1), 0),
            mix(4, word_at(i + 1), 0),
            mix(5, word_at(i - 2), 0),
            mix(6, word_at(i + 2), 0),
            mix(7, word_at(i - 1), w),
            mix(8, w, word_at(i + 1)),
            mix(9, suffix3, 0),
            mix(10, hash_shape(token.word), 0),
            mix(11, lexicon[token_idx], 0),
            mix(12, at(lexicon, i - 1), 0),
            mix(13, at(lexicon, i + 1), 0),
            mix(14, valences[token_idx], 0),
            mix(15, at(valences, i - 1), 0),
            mix(16, at(valences, i + 1), 0),
            mix(17, lexicon[token_idx], valences[token_idx]),
            mix(18, quoted_flag, 0),
            mix(19, quoted_flag, w),
            mix(20, capital, w),
            mix(21, at(lexicon, i - 1), at(lexicon, i + 1)),
            mix(22, at(valences, i - 1), at(valences, i + 1)),
            mix(23, stem_hash, 0),
            mix(24, suffix2, 0),
            mix(25, suffix4, 0),
            mix(26, fine, 0),
            mix(27, middle, 0),
            mix(28, coarse, 0),
            mix(29, cluster_at(i - 1, 1), 0),
            mix(30, cluster_at(i + 1, 1), 0),
            mix(31, cluster_at(i - 1, 2), coarse),
            mix(32, coarse, cluster_at(i + 1, 2)),
            mix(33, middle, valences[token_idx]),
            mix(34, position_bucket(token_idx, token.n_tokens), capital),
            mix(35, quoted_flag, middle),
            mix(36, word_at(i - 1), middle),
            mix(37, sentence_heat, 0),
            mix(38, sentence_heat, lexicon[token_idx]),
            mix(39, article_rates, 0),
            mix(40, article_rates, lexicon[token_idx]),
            mix(41, article.valence_rate, valences[token_idx]),
            mix(42, article.lexicon_rate, coarse),
            mix(43, subjectivity[token_idx], 0),
            mix(44, subjectivity[token_idx], valences[token_idx]),
            mix(45, at(subjectivity, i - 1), 0),
            mix(46, at(subjectivity, i + 1), 0),
            mix(47, subjectivity[token_idx], middle),
            mix(48, repeat, 0),
            mix(49, repeat, subjectivity[token_idx]),
            mix(50, repeat, valences[token_idx]),
            mix(51, repeat, lexicon[token_idx]),
            mix(52, repeat, middle),
            mix(53, repeat >> 2, w),
            mix(54, v_fine, 0),
            mix(55, v_middle, 0),
            mix(56, v_coarse, 0),
            mix(57, vector_at(i - 1, 1), 0),
            mix(58, vector_at(i + 1, 1), 0),
            mix(59, v_fine, valences[token_idx]),
            mix(60, v_middle, quoted_flag),
            mix(61, vector_at(i - 1, 1), v_middle),
            mix(62, v_fine, repeat),
            mix(63, v_middle, capital),
            mix(64, affect, 0),
            mix(65, self.affect_at(i - 1), 0),
            mix(66, self.affect_at(i + 1), 0),
            mix(67, affect, lexicon[token_idx]),
            mix(68, affect, quoted_flag * 2 + capital),
            mix(69, affect, repeat),
            axis(0),
            axis(1),
            axis(2),
            axis(3),
            axis(4),
            axis(5),
            axis(6),
            axis(7),
            axis(8),
            axis(9),
            axis(10),
            axis(11),
            axis(12),
            axis(13),
            axis(14),
            axis(15),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::tokenize;

    #[test]
    fn inflections_and_adverbs_share_a_stem() {
        assert_eq!(stem("slammed"), "slamm");
        assert_eq!(stem("slamming"), "slamm");
        assert_eq!(stem("bitterly"), "bitter");
        assert_eq!(stem("red"), "red");
    }

    #[test]
    fn rates_fall_in_buckets_about_a_doubling_apart() {
        assert_eq!(rate_bucket(0, 1000), 0);
        assert_eq!(rate_bucket(3, 1000), 1);
        assert_eq!(rate_bucket(15, 1000), 3);
        assert_eq!(rate_bucket(500, 1000), 6);
        assert_eq!(rate_bucket(1, 0), 6);
    }

    #[test]
    fn an_adverb_takes_its_adjectives_subjectivity_with_a_mark() {
        let adjective = subjectivity_class("ridiculous");
        assert!(adjective > 0);
        assert_eq!(subjectivity_class("ridiculously"), 64 + adjective);
        assert_eq!(subjectivity_class("qwzx"), 0);
    }

    #[test]
    fn a_heated_article_reads_higher_rates_than_a_calm_one() {
        let calm = "The council met on Tuesday and approved the budget for next year.";
        let heated = "The disgraceful mayor slammed the shameful, disastrous plan.";
        let context = |text: &str| article_context(text, &[tokenize(text)]);
        let (calm, heated) = (context(calm), context(heated));
        assert!(heated.lexicon_rate > calm.lexicon_rate);
        assert!(heated.valence_rate > calm.valence_rate);
    }

    #[test]
    fn a_word_counts_its_earlier_uses_and_its_total_by_stem() {
        let text = "Corrupt officials. The corruption spread. Corrupt again, corrupted.";
        let (sentence_tokens, mut repeats) = (vec![tokenize(text)], Vec::new());
        word_repeats(text, &sentence_tokens, &mut repeats);
        let at = |word: &str, nth: usize| {
            let idx = sentence_tokens[0]
                .iter()
                .enumerate()
                .filter(|(_, t)| &text[t.start..t.end] == word)
                .nth(nth)
                .map(|(idx, _)| idx)
                .unwrap();
            repeats[idx]
        };
        // "Corrupt" twice and "corrupted" share the stem "corrupt": three uses in all.
        assert_eq!(at("Corrupt", 0), 2);
        assert_eq!(at("Corrupt", 1), 4 + 2);
        assert_eq!(at("corrupted", 0), 8 + 2);
        // "corruption" is a word of its own, used once.
        assert_eq!(at("corruption", 0), 0);
    }

    #[test]
    fn every_token_gets_one_feature_row_and_one_context() {
        let text = "Critics said the “reform” was a cynical ploy.";
        let tokens = tokenize(text);
        let (mut rows, mut contexts) = (Vec::new(), Vec::new());
        let mut scratch = FeatureScratch::default();
        let article = article_context(text, std::slice::from_ref(&tokens));
        sentence_features(
            text,
            &tokens,
            &[],
            &[],
            &mut 0,
            article,
            &[],
            &mut scratch,
            &mut rows,
            &mut contexts,
        );
        assert_eq!((rows.len(), contexts.len()), (tokens.len(), tokens.len()));
        // The same word in another sentence keeps its word feature.
        assert_ne!(rows[1], rows[2]);
    }
}
