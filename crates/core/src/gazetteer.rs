//! Gazetteers: countries, cities, regions, nationalities, first names, surnames and organisations,
//! compiled in from `data/gazetteer/` (built by `scripts/build_gazetteers.py` from GeoNames,
//! countryinfo and the US Census name lists; `organisations.txt` is written by hand; sources and
//! licences in each file's header).
//!
//! [`classify`] marks each token of a sentence with the lists it belongs to, matching multi-word
//! entries ("United States", "Middle East") as whole runs. The tagger uses the marks as features;
//! it does not decide types from them alone.

use foldhash::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::lexicon;

/// Token is (part of) a country name.
pub const COUNTRY: u8 = 1;
/// Token is (part of) a capital, city or state.
pub const CITY: u8 = 1 << 1;
/// Token is (part of) a region, sea or continent.
pub const REGION: u8 = 1 << 2;
/// Token is a nationality or group word.
pub const NATIONALITY: u8 = 1 << 3;
/// Token is a first name.
pub const FIRST_NAME: u8 = 1 << 4;
/// Token is a surname.
pub const SURNAME: u8 = 1 << 5;
/// Token continues a multi-word entry (not its first word).
pub const CONTINUES: u8 = 1 << 6;
/// Token is (part of) an organisation's name: a party, an international body, a news agency.
pub const ORGANISATION: u8 = 1 << 7;

struct Lists {
    /// Single-word entries → classes.
    words: HashMap<&'static str, u8>,
    /// First word of multi-word entries → (the words, classes).
    phrases: HashMap<&'static str, Vec<(Vec<&'static str>, u8)>>,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let function_words: HashSet<&str> = lexicon::items(lexicon::sentence_starters())
        .chain(lexicon::items(include_str!(
            "../data/english_function_words.txt"
        )))
        .collect();
    let mut lists = Lists {
        words: HashMap::default(),
        phrases: HashMap::default(),
    };
    let files: [(&'static str, u8); 7] = [
        (include_str!("../data/gazetteer/countries.txt"), COUNTRY),
        (
            include_str!("../data/gazetteer/capitals_and_cities.txt"),
            CITY,
        ),
        (include_str!("../data/gazetteer/regions.txt"), REGION),
        (
            include_str!("../data/gazetteer/nationalities.txt"),
            NATIONALITY,
        ),
        (
            include_str!("../data/gazetteer/first_names.txt"),
            FIRST_NAME,
        ),
        (include_str!("../data/gazetteer/surnames.txt"), SURNAME),
        (
            include_str!("../data/gazetteer/organisations.txt"),
            ORGANISATION,
        ),
    ];
    for (file, class) in files {
        for line in lexicon::items(file) {
            let entry = line.split('\t').next().unwrap_or(line).trim();
            // "An", "In", "So" are census first names and English words: the words win.
            if function_words.contains(entry.to_lowercase().as_str()) {
                continue;
            }
            let words: Vec<&'static str> = entry.split_whitespace().collect();
            match words.as_slice() {
                [] => {}
                [word] => *lists.words.entry(word).or_default() |= class,
                [first, ..] => lists
                    .phrases
                    .entry(first)
                    .or_default()
                    .push((words.clone(), class)),
            }
        }
    }
    for phrases in lists.phrases.values_mut() {
        phrases.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
    }
    lists
});

/// A word as the gazetteers write it: a word in capitals in title case ("AUSTRALIA" →
/// "Australia", "CUP" → "Cup"), as headlines and tables print names; other words as they are.
///
/// ```
/// use newslens_core::gazetteer::written_form;
/// assert_eq!(written_form("SRI"), "Sri");
/// assert_eq!(written_form("McDonald"), "McDonald");
/// ```
pub fn written_form(word: &str) -> std::borrow::Cow<'_, str> {
    if word.chars().any(char::is_lowercase) || word.chars().count() < 2 {
        return std::borrow::Cow::Borrowed(word);
    }
    let mut chars = word.chars();
    std::borrow::Cow::Owned(chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    }))
}

/// [`classify_into`] for a sentence written in capitals (a headline): each word is looked up in
/// its [`written_form`].
pub fn classify_shouted_into(words: &[&str], flags: &mut [u8]) {
    let forms: Vec<std::borrow::Cow<'_, str>> = words.iter().map(|w| written_form(w)).collect();
    let forms: Vec<&str> = forms.iter().map(|w| w.as_ref()).collect();
    classify_into(&forms, flags);
}

/// The gazetteer classes of each word of a sentence (bit flags above).
///
/// ```
/// use newslens_core::gazetteer::{classify, COUNTRY, CONTINUES, FIRST_NAME};
/// let flags = classify(&["Emily", "visited", "the", "United", "States"]);
/// assert_ne!(flags[0] & FIRST_NAME, 0);
/// assert_ne!(flags[3] & COUNTRY, 0);
/// assert_ne!(flags[4] & CONTINUES, 0);
/// ```
pub fn classify(words: &[&str]) -> Vec<u8> {
    let mut flags = vec![0u8; words.len()];
    classify_into(words, &mut flags);
    flags
}

/// [`classify`] into a buffer of the sentence's length.
pub fn classify_into(words: &[&str], flags: &mut [u8]) {
    let lists = &*LISTS;
    for (idx, word) in words.iter().enumerate() {
        if let Some(class) = lists.words.get(word) {
            flags[idx] |= class;
        }
        if let Some(phrases) = lists.phrases.get(word) {
            if let Some((phrase, class)) = phrases.iter().find(|(phrase, _)| {
                words.len() >= idx + phrase.len() && words[idx..idx + phrase.len()] == phrase[..]
            }) {
                flags[idx] |= class;
                for flag in &mut flags[idx + 1..idx + phrase.len()] {
                    *flag |= class | CONTINUES;
                }
            }
        }
    }
}
