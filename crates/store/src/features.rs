//! What the story engine knows of one article: hashed key terms with counts, a MinHash signature of
//! its wording, and its publication day.
//!
//! Features are computed once, when an article is stored, from the analysed [`Article`]: the store
//! keeps them as two small blobs so that story clustering never reparses article JSON. Terms are
//! lower-cased words of the title and text with a crude suffix stripping ("checks", "checked",
//! "checking" → "check"), plus adjacent-word pairs ("betty ford", "ford center"), minus the words in
//! `data/story_stopwords.txt`. The title counts twice. This module does not weigh terms against the
//! corpus (that needs document frequencies, see `stories.rs`) and does no I/O.

use std::sync::OnceLock;

use newslens_contract::Article;
use xxhash_rust::xxh3::xxh3_64;

/// Hash functions in a MinHash signature.
pub const MINHASH_LEN: usize = 64;
/// Words per shingle for near-duplicate detection.
const SHINGLE_WORDS: usize = 4;
/// Title words count this many times.
const TITLE_WEIGHT: u16 = 2;

/// The story features of one article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoryFeatures {
    /// `(term hash, count)` sorted by hash, each hash once.
    pub terms: Vec<(u32, u16)>,
    /// MinHash signature over word shingles of the text; empty when the text has too few words.
    pub minhash: Vec<u32>,
    /// Publication day as days since 1970-01-01, when the date is known.
    pub day: Option<i32>,
}

/// Computes the features of an article.
///
/// ```
/// use newslens_core::{analyze, Document};
/// use newslens_store::features::story_features;
/// let mut document = Document::new("Lifeboat crews rescued twelve sailors near Harwich harbour.");
/// document.published = Some("2021-03-04T10:00:00".into());
/// let features = story_features(&analyze(&document));
/// assert!(!features.terms.is_empty());
/// assert_eq!(features.day, Some(18690));
/// ```
pub fn story_features(article: &Article) -> StoryFeatures {
    let text_words: Vec<String> = words(&article.text).collect();
    StoryFeatures {
        terms: terms_of_words(article.title.as_deref(), &text_words),
        minhash: minhash_of_words(&text_words),
        day: article.published.as_deref().and_then(day_number),
    }
}

/// The key terms of a title and text, `(term hash, count)` sorted by hash: what
/// [`story_features`] keeps, for texts that are not analysed articles (training the background
/// document frequencies, `stories/idf.rs`).
pub fn key_terms(title: Option<&str>, text: &str) -> Vec<(u32, u16)> {
    terms_of_words(title, &words(text).collect::<Vec<String>>())
}

fn terms_of_words(title: Option<&str>, text_words: &[String]) -> Vec<(u32, u16)> {
    let mut counts: foldhash::HashMap<u32, u16> = foldhash::HashMap::default();
    let mut key = String::new();
    let mut add_terms = |words: &[String], weight: u16| {
        let mut previous: Option<&str> = None;
        for word in words {
            if word.chars().count() < 3 || is_stopword(word) {
                continue;
            }
            let stem = stem(word);
            let unigram = term_hash(&mut key, "w", stem, "");
            let count = counts.entry(unigram).or_default();
            *count = count.saturating_add(weight);
            if let Some(previous) = previous {
                let bigram = term_hash(&mut key, "b", previous, stem);
                let count = counts.entry(bigram).or_default();
                *count = count.saturating_add(weight);
            }
            previous = Some(stem);
        }
    };
    if let Some(title) = title {
        add_terms(&words(title).collect::<Vec<String>>(), TITLE_WEIGHT);
    }
    add_terms(text_words, 1);
    let mut terms: Vec<(u32, u16)> = counts.into_iter().collect();
    terms.sort_unstable();
    terms
}

/// Lower-case words and numbers of a text: letters with inner apostrophes or hyphens, and digits
/// with inner points or commas ("6.1", "1,000").
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (_, first) = chars.next()?;
        if !first.is_alphanumeric() {
            continue;
        }
        let numeric = first.is_ascii_digit();
        let mut word = String::new();
        word.extend(first.to_lowercase());
        while let Some(&(_, c)) = chars.peek() {
            let inside = if numeric {
                c.is_ascii_digit()
            } else {
                c.is_alphanumeric()
            };
            if inside {
                word.extend(c.to_lowercase());
                chars.next();
                continue;
            }
            let joiner = if numeric {
                c == '.' || c == ','
            } else {
                c == '\'' || c == '’' || c == '-'
            };
            if !joiner {
                break;
            }
            // A joiner counts only between two word characters.
            let mut ahead = chars.clone();
            ahead.next();
            match ahead.peek() {
                Some(&(_, next))
                    if (numeric && next.is_ascii_digit())
                        || (!numeric && next.is_alphanumeric()) =>
                {
                    word.push(if c == '’' { '\'' } else { c });
                    chars.next();
                }
                _ => break,
            }
        }
        return Some(word);
    })
}

/// Strips one common English suffix when at least four characters remain.
fn stem(word: &str) -> &str {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(stripped) = word.strip_suffix(suffix) {
            if stripped.chars().count() >= 4 {
                return stripped;
            }
        }
    }
    word
}

/// The hash of a term, `kind:first` or `kind:first second`, written in `key` (a reused buffer).
fn term_hash(key: &mut String, kind: &str, first: &str, second: &str) -> u32 {
    key.clear();
    key.push_str(kind);
    key.push(':');
    key.push_str(first);
    if !second.is_empty() {
        key.push(' ');
        key.push_str(second);
    }
    xxh3_64(key.as_bytes()) as u32
}

fn stopwords() -> &'static Vec<&'static str> {
    static STOPWORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    STOPWORDS.get_or_init(|| {
        let mut words: Vec<&'static str> = include_str!("../data/story_stopwords.txt")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect();
        words.sort_unstable();
        words
    })
}

fn is_stopword(word: &str) -> bool {
    stopwords().binary_search(&word).is_ok()
}

/// MinHash signature of the text's word shingles: [`MINHASH_LEN`] minima of one 64-bit hash per
/// shingle, each mixed with its own seed.
pub fn minhash(text: &str) -> Vec<u32> {
    minhash_of_words(&words(text).collect::<Vec<String>>())
}

/// [`minhash`] of a text's [`words`].
fn minhash_of_words(words: &[String]) -> Vec<u32> {
    if words.len() < SHINGLE_WORDS {
        return Vec::new();
    }
    let mut signature = [u32::MAX; MINHASH_LEN];
    let mut shingle = String::new();
    for window in words.windows(SHINGLE_WORDS) {
        shingle.clear();
        for word in window {
            shingle.push_str(word);
            shingle.push(' ');
        }
        let hash = xxh3_64(shingle.as_bytes());
        for (slot, seed) in signature.iter_mut().zip(&FUNCTION_SEEDS) {
            let mixed = (mix(hash ^ seed) >> 32) as u32;
            *slot = (*slot).min(mixed);
        }
    }
    signature.to_vec()
}

/// The seed of each MinHash function: one of [`SEEDS`] times the function's number.
const FUNCTION_SEEDS: [u64; MINHASH_LEN] = {
    let mut seeds = [0u64; MINHASH_LEN];
    let mut function_idx = 0;
    while function_idx < MINHASH_LEN {
        seeds[function_idx] =
            SEEDS[function_idx % SEEDS.len()].wrapping_mul(function_idx as u64 + 1);
        function_idx += 1;
    }
    seeds
};

/// The share of signature positions two MinHash signatures agree on: an estimate of the Jaccard
/// similarity of their shingle sets.
pub fn minhash_similarity(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let n_equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    n_equal as f32 / a.len() as f32
}

const SEEDS: [u64; 4] = [
    0x9E37_79B9_7F4A_7C15,
    0xC2B2_AE3D_27D4_EB4F,
    0x1656_67B1_9E37_79F9,
    0x27D4_EB2F_1656_67C5,
];

/// SplitMix64's finaliser: a cheap, well-mixed 64-bit permutation.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Days of publication one bucket of candidate postings holds. The postings are keyed by
/// (bucket, term, article): a batch of news adds its postings to the one or two newest buckets,
/// whose size follows the stream's articles a day, not the corpus, and a lookup reads only the
/// buckets within the reach of the batch's days (`StoryConfig::reach_days`, 53 by default: 4 or 5
/// buckets). Measured with `bench ingest --batch 100 --per-day 60` at 88,000 articles: the
/// postings a batch dirtied fell from 3,336 pages to a bucket's few hundred.
pub const POSTING_BUCKET_DAYS: i32 = 32;

/// The bucket of the postings of undated articles (read by every lookup, as an undated article
/// is within the reach of any day). Written as this literal in the migrations.
pub const UNDATED_BUCKET: i64 = -(1 << 40);

/// The bucket a posting of an article published on `day` goes in.
pub fn posting_bucket(day: Option<i32>) -> i64 {
    day.map_or(UNDATED_BUCKET, |day| {
        i64::from(day.div_euclid(POSTING_BUCKET_DAYS))
    })
}

/// Days since 1970-01-01 of an ISO 8601 date or date-time ("2020-01-06", "2020-01-06T12:31:00").
pub fn day_number(iso: &str) -> Option<i32> {
    let year: i32 = iso.get(0..4)?.parse().ok()?;
    if iso.get(4..5)? != "-" || iso.get(7..8)? != "-" {
        return None;
    }
    let month: u32 = iso.get(5..7)?.parse().ok()?;
    let day: u32 = iso.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let year_of_era = y - era * 400;
    let m = month as i32;
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// Packs terms as 6 bytes each (hash, count; little-endian) for storage.
pub fn encode_terms(terms: &[(u32, u16)]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(terms.len() * 6);
    for (hash, count) in terms {
        bytes.extend_from_slice(&hash.to_le_bytes());
        bytes.extend_from_slice(&count.to_le_bytes());
    }
    bytes
}

/// Unpacks [`encode_terms`]; a trailing partial record is ignored.
pub fn decode_terms(bytes: &[u8]) -> Vec<(u32, u16)> {
    bytes
        .chunks_exact(6)
        .map(|record| {
            (
                u32::from_le_bytes([record[0], record[1], record[2], record[3]]),
                u16::from_le_bytes([record[4], record[5]]),
            )
        })
        .collect()
}

/// Packs a MinHash signature, 4 bytes a value, little-endian.
pub fn encode_minhash(signature: &[u32]) -> Vec<u8> {
    signature
        .iter()
        .flat_map(|value| value.to_le_bytes())
        .collect()
}

/// Unpacks [`encode_minhash`].
pub fn decode_minhash(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|value| u32::from_le_bytes([value[0], value[1], value[2], value[3]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes_hyphens_and_decimal_points() {
        let found: Vec<String> =
            words("The 6.1-magnitude quake hit O’Neill's court-house, 1,000 said.").collect();
        assert_eq!(
            found,
            [
                "the",
                "6.1",
                "magnitude",
                "quake",
                "hit",
                "o'neill's",
                "court-house",
                "1,000",
                "said"
            ]
        );
    }

    #[test]
    fn stems_strip_one_suffix_only_from_long_words() {
        assert_eq!(stem("checked"), "check");
        assert_eq!(stem("checking"), "check");
        assert_eq!(stem("pirates"), "pirat");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("uses"), "uses");
    }

    #[test]
    fn postings_go_in_buckets_of_whole_periods_and_undated_ones_in_their_own() {
        assert_eq!(posting_bucket(Some(0)), 0);
        assert_eq!(posting_bucket(Some(POSTING_BUCKET_DAYS - 1)), 0);
        assert_eq!(posting_bucket(Some(POSTING_BUCKET_DAYS)), 1);
        assert_eq!(posting_bucket(Some(-1)), -1);
        assert_eq!(posting_bucket(None), UNDATED_BUCKET);
        assert!(posting_bucket(Some(i32::MIN)) > UNDATED_BUCKET);
    }

    #[test]
    fn day_numbers_follow_the_civil_calendar() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2000-03-01T00:00:00Z"), Some(11_017));
        assert_eq!(day_number("2020-13-01"), None);
        assert_eq!(day_number("yesterday"), None);
    }

    #[test]
    fn identical_texts_have_identical_signatures_and_different_texts_differ() {
        let a = minhash(
            "Ferry services across the strait were cancelled on Monday as crews walked out.",
        );
        let b = minhash(
            "Ferry services across the strait were cancelled on Monday as crews walked out.",
        );
        let c =
            minhash("The council approved a new budget for the city library after a long debate.");
        assert_eq!(minhash_similarity(&a, &b), 1.0);
        assert!(minhash_similarity(&a, &c) < 0.2);
    }

    #[test]
    fn terms_and_signatures_survive_encoding() {
        let terms = vec![(1, 2), (70_000, 9)];
        assert_eq!(decode_terms(&encode_terms(&terms)), terms);
        let signature = vec![5, u32::MAX, 0];
        assert_eq!(decode_minhash(&encode_minhash(&signature)), signature);
    }
}
