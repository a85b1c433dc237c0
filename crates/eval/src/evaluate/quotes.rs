//! `eval quotes`'s PolNeAR run: the quotes layer against PolNeAR's attributions, per kind, with
//! quoted recall, speaker accuracy and, for error analysis, every miss and its cause.
//!
//! PolNeAR texts are analysed as they are in the files (no reading, no cleaning), so that the gold
//! character offsets line up with the analysis. The matching and counting are
//! [`crate::polnear`]'s; this module runs the analysis and lays out what it finds. The seed
//! articles' quote reference is [`super::seeds::quotes`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use newslens_core::quotes::cues::is_speech_verb;
use newslens_core::quotes::QuoteKind;
use newslens_core::{analyze, analyze_quote_candidates, Article, Document};

use crate::polnear::{self, GoldArticle, GoldAttribution, QuoteScore, SystemQuote};
use crate::{GoldError, RunError};

/// The quotes layer over a PolNeAR split.
#[derive(Debug)]
pub struct PolnearRun {
    /// The split folder, as given.
    pub dir: String,
    /// Articles left out because their annotation file does not parse.
    pub skipped: Vec<GoldError>,
    /// Every article scored, in name order.
    pub articles: Vec<PolnearArticle>,
    /// The score over every article.
    pub score: QuoteScore,
    /// Seconds the analysis took (all threads; reading and scoring left out).
    pub seconds: f64,
}

/// One PolNeAR article with the quotes the analysis found in it.
#[derive(Debug)]
pub struct PolnearArticle {
    /// The gold article.
    pub gold: GoldArticle,
    /// The system's quotes, in character offsets.
    pub system: Vec<SystemQuote>,
    /// This article's score.
    pub score: QuoteScore,
}

/// Reads a PolNeAR split folder (`text/` and `attributions/`), analyses every article on all
/// cores and scores its quotes.
pub fn polnear(dir: &Path) -> Result<PolnearRun, RunError> {
    polnear_with(dir, Quotes::Shipped)
}

/// Which quotes [`polnear_with`] scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quotes {
    /// The analysis's, as shipped (the rules, then the learned filter and boundary chooser).
    Shipped,
    /// Every quote the rules find, before the filter and the boundary chooser.
    Unfiltered,
}

/// [`polnear`] over the shipped quotes or the rules' quotes before the filter.
pub fn polnear_with(dir: &Path, which: Quotes) -> Result<PolnearRun, RunError> {
    let (gold_articles, skipped) = polnear::read_split(dir).map_err(|source| RunError::Gold {
        path: dir.display().to_string(),
        source,
    })?;
    let started = Instant::now();
    let analysed: Vec<Article> = gold_articles
        .par_iter()
        .map(|gold| {
            let document = Document::new(gold.text.clone());
            match which {
                Quotes::Shipped => analyze(&document),
                Quotes::Unfiltered => analyze_quote_candidates(&document).article,
            }
        })
        .collect();
    let seconds = started.elapsed().as_secs_f64();
    let mut score = QuoteScore::default();
    let mut articles = Vec::with_capacity(gold_articles.len());
    for (gold, article) in gold_articles.into_iter().zip(&analysed) {
        let system = system_quotes(article);
        let mut one = QuoteScore::default();
        one.add(&gold.text, &gold.attributions, &system, &is_speech_verb);
        score.add(&gold.text, &gold.attributions, &system, &is_speech_verb);
        articles.push(PolnearArticle {
            gold,
            system,
            score: one,
        });
    }
    Ok(PolnearRun {
        dir: dir.display().to_string(),
        skipped,
        articles,
        score,
        seconds,
    })
}

impl PolnearRun {
    /// Why quoted gold attributions were missed, over every article.
    pub fn miss_causes(&self) -> MissCauses {
        let mut causes = MissCauses::default();
        for article in &self.articles {
            causes.add(
                &article.gold.text,
                &article.gold.attributions,
                &article.system,
            );
        }
        causes
    }
}

impl fmt::Display for PolnearRun {
    /// The table: per kind, quoted recall, speaker accuracy.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.score.table(&format!(
            "Quotes on PolNeAR {} ({} articles; a match shares at least half of each side's words)",
            self.dir,
            self.articles.len()
        )))
    }
}

/// The analysis's quotes as the PolNeAR scorer takes them.
pub(crate) fn system_quotes(article: &Article) -> Vec<SystemQuote> {
    article
        .quotes
        .iter()
        .map(|quote| SystemQuote {
            spans: quote.spans.iter().map(|s| (s.start, s.end)).collect(),
            kind: quote.kind,
            speaker: quote.speaker.as_ref().map(|speaker| {
                speaker
                    .mention
                    .as_ref()
                    .map_or_else(|| speaker.name.clone(), |m| m.text.clone())
            }),
        })
        .collect()
}

impl PolnearArticle {
    /// One line: the article's name, precision, recall and counts.
    pub fn summary(&self) -> String {
        format!(
            "{}: P {:.2} R {:.2} ({} system, {} gold speech)",
            self.gold.name,
            self.score.overall.precision(),
            self.score.overall.recall(),
            self.score.overall.system,
            self.score.overall.gold
        )
    }

    /// Every system quote no gold attribution matches (`FP`), every speech attribution missed
    /// (`MISS`, with its cause and the nearest system quote) and every one matched with the wrong
    /// speaker (`SPKR`), one line each.
    pub fn misses(&self) -> String {
        let (name, text, gold, system) = (
            &self.gold.name,
            &self.gold.text,
            &self.gold.attributions,
            &self.system,
        );
        let chars: Vec<char> = text.chars().collect();
        let words = |ranges: &[(usize, usize)]| -> String {
            let joined: Vec<String> = ranges
                .iter()
                .map(|&(s, e)| {
                    chars[s.min(chars.len())..e.min(chars.len())]
                        .iter()
                        .collect()
                })
                .collect();
            super::seeds::fold(&joined.join(" | "))
        };
        let word_spans = polnear::word_ranges(&chars);
        let system_words: Vec<Vec<usize>> = system
            .iter()
            .map(|q| polnear::words_in(&word_spans, &q.spans))
            .collect();
        let mut out = String::new();
        for idx in polnear::unmatched(text, gold, system) {
            out.push_str(&format!(
                "FP   {name} [{}] {:?}: {}\n",
                system[idx].kind,
                system[idx].speaker,
                words(&system[idx].spans)
            ));
        }
        for (attribution, (best, nearest)) in
            gold.iter().zip(polnear::alignments(text, gold, system))
        {
            if !polnear::is_speech(&chars, attribution, &is_speech_verb) {
                continue;
            }
            let kind = polnear::gold_kind(&chars, &attribution.content);
            match best {
                None => {
                    let cause = miss_cause(
                        &polnear::words_in(&word_spans, &attribution.content),
                        &system_words,
                    );
                    out.push_str(&format!(
                        "MISS {name} [{kind}] ({}) {} <{}> {}\n",
                        ["none", "short", "long", "cross"][cause],
                        words(&attribution.source),
                        words(&attribution.cue),
                        words(&attribution.content)
                    ));
                    if let Some(idx) = nearest {
                        out.push_str(&format!(
                            "     nearest [{}] {:?}: {}\n",
                            system[idx].kind,
                            system[idx].speaker,
                            words(&system[idx].spans)
                        ));
                    }
                }
                Some(idx)
                    if !attribution.source.is_empty()
                        && !system[idx].speaker.as_deref().is_some_and(|speaker| {
                            polnear::same_speaker(&words(&attribution.source), speaker)
                        }) =>
                {
                    out.push_str(&format!(
                        "SPKR {name} [{kind}] gold {:?} system {:?}: {}\n",
                        words(&attribution.source),
                        system[idx].speaker,
                        words(&attribution.content)
                    ));
                }
                _ => {}
            }
        }
        out
    }
}

/// Why quoted gold attributions were missed, by the system quote that shares most words with
/// each: none at all, or one that covers under half of the gold words (too short), under half of
/// its own words are gold (too long), or both (crossing).
#[derive(Debug, Default)]
pub struct MissCauses {
    /// Per gold kind (direct, mixed): counts per cause, in the order of [`CAUSES`].
    pub by_kind: BTreeMap<&'static str, [usize; 4]>,
}

/// The causes of a miss, as the table names them.
pub const CAUSES: [&str; 4] = [
    "no system quote overlaps",
    "system quote covers under half of gold (too short)",
    "gold is under half of system quote (too long)",
    "both under half (crossing)",
];

impl MissCauses {
    fn add(&mut self, text: &str, gold: &[GoldAttribution], system: &[SystemQuote]) {
        let chars: Vec<char> = text.chars().collect();
        let words = polnear::word_ranges(&chars);
        let system_words: Vec<Vec<usize>> = system
            .iter()
            .map(|q| polnear::words_in(&words, &q.spans))
            .collect();
        for (attribution, (best, _)) in gold.iter().zip(polnear::alignments(text, gold, system)) {
            let kind = polnear::gold_kind(&chars, &attribution.content);
            if best.is_some()
                || kind == QuoteKind::Indirect
                || !polnear::is_speech(&chars, attribution, &is_speech_verb)
            {
                continue;
            }
            let cause = miss_cause(
                &polnear::words_in(&words, &attribution.content),
                &system_words,
            );
            self.by_kind.entry(kind.as_str()).or_default()[cause] += 1;
        }
    }
}

impl fmt::Display for MissCauses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "missed quoted attributions by cause")?;
        for (cause_idx, cause) in CAUSES.iter().enumerate() {
            let counts: Vec<String> = self
                .by_kind
                .iter()
                .map(|(kind, counts)| format!("{kind} {}", counts[cause_idx]))
                .collect();
            writeln!(f, "  {cause:<52} {}", counts.join("  "))?;
        }
        Ok(())
    }
}

/// The cause index (see [`CAUSES`]) of a miss, given the gold words and every system quote's.
fn miss_cause(gold_words: &[usize], system_words: &[Vec<usize>]) -> usize {
    let nearest = system_words
        .iter()
        .map(|s| {
            (
                s.iter()
                    .filter(|w| gold_words.binary_search(w).is_ok())
                    .count(),
                s.len(),
            )
        })
        .filter(|&(shared, _)| shared > 0)
        .max_by_key(|&(shared, _)| shared);
    match nearest {
        None => 0,
        Some((shared, n_system)) => {
            let covers_gold = 2 * shared >= gold_words.len();
            let covers_system = 2 * shared >= n_system;
            match (covers_gold, covers_system) {
                (false, true) => 1,
                (true, false) => 2,
                _ => 3,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn miss_cause_is_none_short_long_or_crossing_by_the_nearest_system_quote() {
        let gold = [1, 2, 3, 4];
        assert_eq!(miss_cause(&gold, &[vec![7, 8]]), 0, "no overlap");
        assert_eq!(miss_cause(&gold, &[vec![1]]), 1, "too short");
        assert_eq!(
            miss_cause(&gold, &[vec![1, 2, 3, 7, 8, 9, 10]]),
            2,
            "too long"
        );
        assert_eq!(miss_cause(&gold, &[vec![4, 5, 6, 7]]), 3, "crossing");
    }
}
