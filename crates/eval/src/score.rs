//! Precision, recall and F1 over typed spans, per type and overall (micro-averaged), and the
//! table every evaluation prints.
//!
//! Spans match exactly: same document, same start and end, same type. It does not decide what a
//! span is; readers and systems produce them.

use std::collections::{BTreeMap, HashSet};

/// Counts for one type (or overall).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// System spans that match a gold span.
    pub true_positives: usize,
    /// System spans.
    pub predicted: usize,
    /// Gold spans.
    pub gold: usize,
}

impl Counts {
    /// Precision (1 when nothing was predicted and nothing was gold, else 0 for no predictions).
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.predicted)
    }

    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.gold)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        f1(self.precision(), self.recall())
    }

    fn add(&mut self, other: Counts) {
        self.true_positives += other.true_positives;
        self.predicted += other.predicted;
        self.gold += other.gold;
    }
}

/// The harmonic mean of a precision and a recall (0 when both are 0).
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// `n / d`, or 0 when `d` is 0.
pub fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        n as f64 / d as f64
    }
}

/// A typed span in a document: (document index, start, end, type).
pub type TypedSpan = (usize, usize, usize, &'static str);

/// Per-type and overall counts of exact typed-span matches.
#[derive(Debug, Default, Clone)]
pub struct SpanScore {
    /// Counts per type, sorted by type name.
    pub by_type: BTreeMap<&'static str, Counts>,
}

impl SpanScore {
    /// Scores system spans against gold spans.
    pub fn new(gold: &[TypedSpan], predicted: &[TypedSpan]) -> SpanScore {
        let gold_set: HashSet<&TypedSpan> = gold.iter().collect();
        let mut by_type: BTreeMap<&'static str, Counts> = BTreeMap::new();
        for span in gold {
            by_type.entry(span.3).or_default().gold += 1;
        }
        for span in predicted {
            let counts = by_type.entry(span.3).or_default();
            counts.predicted += 1;
            if gold_set.contains(span) {
                counts.true_positives += 1;
            }
        }
        SpanScore { by_type }
    }

    /// Micro-averaged counts over every type.
    pub fn overall(&self) -> Counts {
        let mut total = Counts::default();
        for counts in self.by_type.values() {
            total.add(*counts);
        }
        total
    }

    /// The table: one line per type and one overall.
    pub fn table(&self, title: &str) -> String {
        let mut out = format!(
            "{title}\n{:<10} {:>7} {:>7} {:>7} {:>7} {:>7}\n",
            "type", "P", "R", "F1", "gold", "system"
        );
        let mut line = |name: &str, c: &Counts| {
            out.push_str(&format!(
                "{name:<10} {:>7.3} {:>7.3} {:>7.3} {:>7} {:>7}\n",
                c.precision(),
                c.recall(),
                c.f1(),
                c.gold,
                c.predicted
            ));
        };
        for (name, counts) in &self.by_type {
            line(name, counts);
        }
        line("overall", &self.overall());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_typed_matches_only() {
        let gold = [(0, 0, 2, "PER"), (0, 5, 6, "LOC"), (1, 0, 1, "ORG")];
        let predicted = [(0, 0, 2, "PER"), (0, 5, 6, "ORG"), (1, 0, 2, "ORG")];
        let score = SpanScore::new(&gold, &predicted);
        let overall = score.overall();
        assert_eq!(
            overall,
            Counts {
                true_positives: 1,
                predicted: 3,
                gold: 3
            }
        );
        assert!((overall.f1() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(score.by_type["PER"].f1(), 1.0);
    }
}
