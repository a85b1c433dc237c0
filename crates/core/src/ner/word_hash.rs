//! Word hashes for the taggers: a word folded (case, digits, typographic punctuation) or as
//! written, its shape and affixes, hashed byte by byte without allocating.
//!
//! The entity tagger's features (`features.rs`), the word clusters (`clusters.rs`) and the
//! loaded-language tagger all key words by these hashes, so they live below all three. It knows
//! nothing of features, weights or tags.

/// Typographic variants folded to the plain forms the training data uses: curly quotes to
/// straight ones, dashes to a hyphen.
#[inline]
pub(crate) fn fold_punct(c: char) -> char {
    match c {
        '’' | '‘' | '‚' | '′' => '\'',
        '“' | '”' | '„' | '«' | '»' | '″' => '"',
        '—' | '–' | '―' | '‒' => '-',
        c => c,
    }
}

/// Hash of a string with lower-casing, digit folding (every digit becomes 0) and punctuation folding.
pub(crate) fn hash_folded(word: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for c in word.chars() {
        let c = match fold_punct(c) {
            c if c.is_ascii_digit() => '0',
            c => c,
        };
        for lower in c.to_lowercase() {
            hash = step(hash, lower as u64);
        }
    }
    hash
}

/// Hash of a string exactly as written.
pub(crate) fn hash_exact(word: &str) -> u64 {
    word.chars().fold(0x8422_2325_cbf2_9ce4, |hash, c| {
        step(hash, fold_punct(c) as u64)
    })
}

#[inline]
pub(crate) fn step(hash: u64, value: u64) -> u64 {
    (hash.rotate_left(5) ^ value).wrapping_mul(0x0100_0000_01b3_f00d)
}

#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(23)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 29)
}

/// Word shape with runs collapsed: "Corbyn" → "Xx", "U.S." → "X.X.", "2020" → "d", "al-Muhandis" → "x-Xx".
pub(crate) fn hash_shape(word: &str) -> u64 {
    let mut hash: u64 = 0x5151_7a7a;
    let mut last = ' ';
    let mut n = 0;
    for c in word.chars().map(fold_punct) {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if class != last {
            hash = step(hash, class as u64);
            last = class;
            n += 1;
            if n >= 8 {
                break;
            }
        }
    }
    hash
}

pub(crate) fn hash_prefix(word: &str, n_chars: usize) -> u64 {
    let end = word
        .char_indices()
        .nth(n_chars)
        .map_or(word.len(), |(idx, _)| idx);
    hash_folded(&word[..end])
}

pub(crate) fn hash_suffix(word: &str, n_chars: usize) -> u64 {
    let n_total = word.chars().count();
    let start = word
        .char_indices()
        .nth(n_total.saturating_sub(n_chars))
        .map_or(0, |(idx, _)| idx);
    hash_folded(&word[start..])
}
