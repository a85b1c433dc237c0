//! PolNeAR (Newell, Margolin & Ruths, LREC 2018): attributions in US political news, as brat
//! standoff files over plain-text articles, and the quote scoring `newslens eval quotes` prints.
//!
//! `<split>/text/<name>.txt` is the article; `<split>/attributions/<name>_<annotator>.ann` holds
//! `T` lines (Source, Cue, Content, Attribution spans, discontinuous ones with several ranges) and
//! `E` lines tying them into one attribution. An article with several annotators' files is read
//! from the first by name. Offsets are character offsets into the text file.
//!
//! Scoring, as the quotes issue defines it: a system quote matches a gold attribution when their
//! word tokens overlap by at least half of each side; precision counts system quotes that match
//! any gold attribution; recall counts gold *speech* attributions (content in quotation marks, or
//! a speech-verb cue) that some system quote matches; speaker accuracy asks, over matched speech
//! attributions, whether the system's speaker mention shares a content word with the gold source.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use newslens_core::quotes::QuoteKind;

use crate::score::{f1, ratio};
use crate::GoldError;

/// One gold attribution, in character offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldAttribution {
    /// The content ranges.
    pub content: Vec<(usize, usize)>,
    /// The cue ranges.
    pub cue: Vec<(usize, usize)>,
    /// The source ranges (empty when the annotator marked none).
    pub source: Vec<(usize, usize)>,
}

/// One article: its text and its gold attributions.
#[derive(Debug, Clone)]
pub struct GoldArticle {
    /// The article's name (the text file's stem).
    pub name: String,
    /// The text, as in the file.
    pub text: String,
    /// Its attributions.
    pub attributions: Vec<GoldAttribution>,
}

/// Reads every article of a PolNeAR split folder (`text/` and `attributions/` inside), in name
/// order. An article whose annotation file does not parse is left out and its error returned beside
/// the others, so one bad file costs one article.
pub fn read_split(dir: &Path) -> Result<(Vec<GoldArticle>, Vec<GoldError>), GoldError> {
    let io = |path: &Path, source| GoldError::Io {
        path: path.display().to_string(),
        source,
    };
    let ann_dir = dir.join("attributions");
    let mut first_file: BTreeMap<String, String> = BTreeMap::new();
    let mut names: Vec<String> = std::fs::read_dir(&ann_dir)
        .map_err(|e| io(&ann_dir, e))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".ann"))
        .collect();
    names.sort();
    for file in names {
        let stem = file.trim_end_matches(".ann");
        let article = stem.rsplit_once('_').map_or(stem, |(article, _)| article);
        first_file.entry(article.to_string()).or_insert(file);
    }
    let mut articles = Vec::new();
    let mut skipped = Vec::new();
    for (name, file) in first_file {
        let text_path = dir.join("text").join(format!("{name}.txt"));
        let text = match std::fs::read_to_string(&text_path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(io(&text_path, error)),
        };
        let ann_path = ann_dir.join(&file);
        let ann = std::fs::read_to_string(&ann_path).map_err(|e| io(&ann_path, e))?;
        match parse_ann(&ann, &ann_path.display().to_string()) {
            Ok(attributions) => articles.push(GoldArticle {
                name,
                text,
                attributions,
            }),
            Err(error) => skipped.push(error),
        }
    }
    Ok((articles, skipped))
}

/// Parses one brat file into attributions.
pub fn parse_ann(ann: &str, path: &str) -> Result<Vec<GoldAttribution>, GoldError> {
    let mut spans: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    let mut events = Vec::new();
    for (line_idx, line) in ann.lines().enumerate() {
        let format = |message: &str| GoldError::Format {
            path: path.to_string(),
            line: line_idx + 1,
            message: message.to_string(),
        };
        let mut fields = line.split('\t');
        let id = fields.next().unwrap_or("");
        let numbered = |prefix: char| {
            id.strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        if numbered('T') {
            let spec = fields
                .next()
                .ok_or_else(|| format("a T line without spans"))?;
            let (_label, ranges) = spec
                .split_once(' ')
                .ok_or_else(|| format("a T line without offsets"))?;
            let mut parsed = Vec::new();
            for range in ranges.split(';') {
                let (start, end) = range
                    .trim()
                    .split_once(' ')
                    .ok_or_else(|| format("an offset pair is incomplete"))?;
                let start: usize = start
                    .parse()
                    .map_err(|_| format("a start is not a number"))?;
                let end: usize = end.parse().map_err(|_| format("an end is not a number"))?;
                parsed.push((start, end));
            }
            spans.insert(id, parsed);
        } else if numbered('E') {
            events.push(fields.next().unwrap_or("").to_string());
        }
    }
    let mut attributions = Vec::new();
    for event in events {
        let mut attribution = GoldAttribution {
            content: Vec::new(),
            cue: Vec::new(),
            source: Vec::new(),
        };
        for arg in event.split_whitespace() {
            let Some((role, target)) = arg.split_once(':') else {
                continue;
            };
            let Some(ranges) = spans.get(target) else {
                continue;
            };
            let role = role.trim_end_matches(|c: char| c.is_ascii_digit());
            match role {
                "Content" => attribution.content.extend(ranges),
                "Cue" => attribution.cue.extend(ranges),
                "Source" => attribution.source.extend(ranges),
                _ => {}
            }
        }
        if !attribution.content.is_empty() {
            attributions.push(attribution);
        }
    }
    Ok(attributions)
}

/// A quote the system found, in character offsets.
#[derive(Debug, Clone)]
pub struct SystemQuote {
    /// Its spans.
    pub spans: Vec<(usize, usize)>,
    /// direct, mixed, indirect or post.
    pub kind: QuoteKind,
    /// The speaker mention as written (or the speaker's name), if any.
    pub speaker: Option<String>,
}

/// How an attribution quotes: entirely in marks, partly, or not at all.
pub fn gold_kind(text: &[char], content: &[(usize, usize)]) -> QuoteKind {
    let words: String = content
        .iter()
        .flat_map(|&(s, e)| text[s.min(text.len())..e.min(text.len())].iter())
        .collect::<String>()
        // Two apostrophes stand for a double mark in some outlets' style (''like this'').
        .replace("''", "\"");
    let is_mark = |c: char| matches!(c, '"' | '“' | '”' | '«' | '»');
    let marks = words.chars().filter(|&c| is_mark(c)).count();
    if marks == 0 {
        return QuoteKind::Indirect;
    }
    let trimmed = words.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '—')
    });
    if trimmed.starts_with(is_mark) && trimmed.ends_with(is_mark) {
        QuoteKind::Direct
    } else {
        QuoteKind::Mixed
    }
}

/// Word tokens of a text (runs of letters and digits), as character ranges.
pub fn word_ranges(text: &[char]) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (idx, c) in text.iter().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(idx),
            (false, Some(s)) => {
                words.push((s, idx));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    words
}

/// Indices of the words whose first character lies in one of `ranges`, sorted.
pub fn words_in(words: &[(usize, usize)], ranges: &[(usize, usize)]) -> Vec<usize> {
    let mut found: Vec<usize> = ranges
        .iter()
        .flat_map(|&(start, end)| {
            let first = words.partition_point(|w| w.0 < start);
            (first..words.len()).take_while(move |&i| words[i].0 < end)
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// Whether two word sets overlap by at least half of each.
pub(crate) fn half_overlap(a: &[usize], b: &[usize]) -> (bool, usize) {
    if a.is_empty() || b.is_empty() {
        return (false, 0);
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * shared >= a.len() && 2 * shared >= b.len(), shared)
}

const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "of", "for", "to", "in", "on", "at", "and", "or", "s", "with", "by", "from",
    "as", "its", "their", "his", "her", "who", "that", "this", "these", "those", "former", "new",
];

fn content_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !FUNCTION_WORDS.contains(&w.as_str()))
        .collect()
}

/// Whether a system speaker mention shares a content word with a gold source.
pub fn same_speaker(gold_source: &str, system_speaker: &str) -> bool {
    let source_words = content_words(gold_source);
    content_words(system_speaker)
        .iter()
        .any(|w| source_words.contains(w))
}

/// Counts for one kind of quote (or all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuoteCounts {
    /// System quotes that match any gold attribution.
    pub matched_system: usize,
    /// System quotes.
    pub system: usize,
    /// Gold speech attributions some system quote matches.
    pub matched_gold: usize,
    /// Gold speech attributions.
    pub gold: usize,
}

impl QuoteCounts {
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.matched_system, self.system)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.matched_gold, self.gold)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }
}

/// The whole score: overall, per kind, quoted-only recall and speaker accuracy.
#[derive(Debug, Clone, Default)]
pub struct QuoteScore {
    /// Over every quote.
    pub overall: QuoteCounts,
    /// Per kind (direct, mixed, indirect): system quotes by their kind, gold by its kind.
    pub by_kind: BTreeMap<QuoteKind, QuoteCounts>,
    /// Gold speech attributions with quotation marks: (matched, all).
    pub quoted_recall: (usize, usize),
    /// Matched gold speech attributions with a source: (speaker right, all).
    pub speaker: (usize, usize),
}

/// Whether a gold attribution is speech: its content has quotation marks, or a word of its cue is
/// a speech verb.
pub fn is_speech(
    text: &[char],
    attribution: &GoldAttribution,
    is_speech_word: &dyn Fn(&str) -> bool,
) -> bool {
    let cue: String = attribution
        .cue
        .iter()
        .flat_map(|&(s, e)| text[s.min(text.len())..e.min(text.len())].iter())
        .collect();
    gold_kind(text, &attribution.content) != QuoteKind::Indirect
        || cue
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| is_speech_word(&word.to_lowercase()))
}

/// For each gold attribution, the system quote that matches it best and the one that shares the
/// most words with it (matched or not), for error analysis.
pub fn alignments(
    text: &str,
    gold: &[GoldAttribution],
    system: &[SystemQuote],
) -> Vec<(Option<usize>, Option<usize>)> {
    let chars: Vec<char> = text.chars().collect();
    let words = word_ranges(&chars);
    let system_words: Vec<Vec<usize>> = system.iter().map(|q| words_in(&words, &q.spans)).collect();
    gold.iter()
        .map(|g| {
            let g_words = words_in(&words, &g.content);
            let scored: Vec<(usize, (bool, usize))> = system_words
                .iter()
                .enumerate()
                .map(|(idx, s)| (idx, half_overlap(s, &g_words)))
                .collect();
            let best = scored
                .iter()
                .filter(|(_, (ok, _))| *ok)
                .max_by_key(|(_, (_, shared))| *shared)
                .map(|(idx, _)| *idx);
            let nearest = scored
                .iter()
                .filter(|(_, (_, shared))| *shared > 0)
                .max_by_key(|(_, (_, shared))| *shared)
                .map(|(idx, _)| *idx);
            (best, nearest)
        })
        .collect()
}

/// The system quotes that match no gold attribution at all.
pub fn unmatched(text: &str, gold: &[GoldAttribution], system: &[SystemQuote]) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let words = word_ranges(&chars);
    let gold_words: Vec<Vec<usize>> = gold.iter().map(|g| words_in(&words, &g.content)).collect();
    system
        .iter()
        .enumerate()
        .filter(|(_, q)| {
            let q_words = words_in(&words, &q.spans);
            !gold_words.iter().any(|g| half_overlap(&q_words, g).0)
        })
        .map(|(idx, _)| idx)
        .collect()
}

impl QuoteScore {
    /// Adds one article's comparison.
    pub fn add(
        &mut self,
        text: &str,
        gold: &[GoldAttribution],
        system: &[SystemQuote],
        is_speech_word: &dyn Fn(&str) -> bool,
    ) {
        let chars: Vec<char> = text.chars().collect();
        let words = word_ranges(&chars);
        let gold_words: Vec<Vec<usize>> =
            gold.iter().map(|g| words_in(&words, &g.content)).collect();
        let system_words: Vec<Vec<usize>> =
            system.iter().map(|q| words_in(&words, &q.spans)).collect();
        for (quote, quote_words) in system.iter().zip(&system_words) {
            let matched = gold_words.iter().any(|g| half_overlap(quote_words, g).0);
            let kind = match quote.kind {
                QuoteKind::Direct | QuoteKind::Post => QuoteKind::Direct,
                QuoteKind::Mixed => QuoteKind::Mixed,
                QuoteKind::Indirect => QuoteKind::Indirect,
            };
            for counts in [&mut self.overall, self.by_kind.entry(kind).or_default()] {
                counts.system += 1;
                counts.matched_system += usize::from(matched);
            }
        }
        for (attribution, g_words) in gold.iter().zip(&gold_words) {
            if !is_speech(&chars, attribution, is_speech_word) {
                continue;
            }
            let kind = gold_kind(&chars, &attribution.content);
            let best = system_words
                .iter()
                .enumerate()
                .map(|(idx, s)| (idx, half_overlap(s, g_words)))
                .filter(|(_, (ok, _))| *ok)
                .max_by_key(|(_, (_, shared))| *shared)
                .map(|(idx, _)| idx);
            let matched = best.is_some();
            for counts in [&mut self.overall, self.by_kind.entry(kind).or_default()] {
                counts.gold += 1;
                counts.matched_gold += usize::from(matched);
            }
            if kind != QuoteKind::Indirect {
                self.quoted_recall.1 += 1;
                self.quoted_recall.0 += usize::from(matched);
            }
            if let (Some(idx), false) = (best, attribution.source.is_empty()) {
                let source: String = attribution
                    .source
                    .iter()
                    .map(|&(s, e)| {
                        chars[s.min(chars.len())..e.min(chars.len())]
                            .iter()
                            .collect::<String>()
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                let right = system[idx]
                    .speaker
                    .as_deref()
                    .is_some_and(|speaker| same_speaker(&source, speaker));
                self.speaker.1 += 1;
                self.speaker.0 += usize::from(right);
            }
        }
    }

    /// The table `newslens eval quotes` prints.
    pub fn table(&self, title: &str) -> String {
        let mut out = format!("{title}\n");
        out.push_str(&format!(
            "{:<10} {:>7} {:>7} {:>7} {:>8} {:>8}\n",
            "kind", "P", "R", "F1", "system", "gold"
        ));
        let row = |name: &str, c: &QuoteCounts| {
            format!(
                "{:<10} {:>7.3} {:>7.3} {:>7.3} {:>8} {:>8}\n",
                name,
                c.precision(),
                c.recall(),
                c.f1(),
                c.system,
                c.gold
            )
        };
        for kind in [QuoteKind::Direct, QuoteKind::Mixed, QuoteKind::Indirect] {
            if let Some(counts) = self.by_kind.get(&kind) {
                out.push_str(&row(kind.as_str(), counts));
            }
        }
        out.push_str(&row("overall", &self.overall));
        out.push_str(&format!(
            "recall of quoted attributions: {:.3} ({} of {})\n",
            ratio(self.quoted_recall.0, self.quoted_recall.1),
            self.quoted_recall.0,
            self.quoted_recall.1
        ));
        out.push_str(&format!(
            "speaker accuracy: {:.3} ({} of {} matched attributions with a source)\n",
            ratio(self.speaker.0, self.speaker.1),
            self.speaker.0,
            self.speaker.1
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANN: &str = "T1\tSource 0 5\tMaria\nT2\tCue 6 10\tsaid\nT3\tContent 11 30;35 40\tthe bridge is closed\nT4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\nT5\tDiscard 0 1\tM\n";

    #[test]
    fn brat_events_become_attributions() {
        let attributions = parse_ann(ANN, "x.ann").expect("parses");
        assert_eq!(attributions.len(), 1);
        assert_eq!(attributions[0].content, [(11, 30), (35, 40)]);
        assert_eq!(attributions[0].source, [(0, 5)]);
        assert_eq!(attributions[0].cue, [(6, 10)]);
    }

    #[test]
    fn kinds_follow_the_marks() {
        let text: Vec<char> = "“All of it,” and some “of it” here".chars().collect();
        assert_eq!(gold_kind(&text, &[(0, 12)]), QuoteKind::Direct);
        assert_eq!(gold_kind(&text, &[(17, 29)]), QuoteKind::Mixed);
        assert_eq!(gold_kind(&text, &[(30, 34)]), QuoteKind::Indirect);
    }

    #[test]
    fn half_overlap_on_both_sides_matches() {
        let text = "Maria said the bridge is closed until further notice today.";
        let gold = vec![GoldAttribution {
            content: vec![(11, 52)],
            cue: vec![(6, 10)],
            source: vec![(0, 5)],
        }];
        let system = |start: usize, end: usize, speaker: &str| SystemQuote {
            spans: vec![(start, end)],
            kind: QuoteKind::Indirect,
            speaker: Some(speaker.into()),
        };
        let mut score = QuoteScore::default();
        score.add(text, &gold, &[system(11, 58, "Maria")], &|w| w == "said");
        assert_eq!(score.overall.matched_gold, 1);
        assert_eq!(score.speaker, (1, 1));
        let mut short = QuoteScore::default();
        short.add(text, &gold, &[system(11, 21, "she")], &|w| w == "said");
        assert_eq!(short.overall.matched_gold, 0);
        assert_eq!(short.overall.system, 1);
    }
}
