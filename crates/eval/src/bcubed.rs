//! B-cubed precision, recall and F1 of a clustering against gold clusters (Bagga & Baldwin 1998).
//!
//! For each item, precision is the share of its predicted cluster that shares its gold cluster,
//! recall the share of its gold cluster found in its predicted cluster; both are averaged over
//! items. Items are plain indices: `predicted[i]` and `gold[i]` label item `i`.

use std::collections::HashMap;
use std::hash::Hash;

/// B-cubed scores.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BCubed {
    /// Mean per-item precision.
    pub precision: f64,
    /// Mean per-item recall.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

/// Scores `predicted` labels against `gold` labels, item for item (the shorter length counts).
pub fn bcubed<P: Hash + Eq, G: Hash + Eq>(predicted: &[P], gold: &[G]) -> BCubed {
    let n = predicted.len().min(gold.len());
    if n == 0 {
        return BCubed {
            precision: 0.0,
            recall: 0.0,
            f1: 0.0,
        };
    }
    let mut predicted_size: HashMap<&P, usize> = HashMap::new();
    let mut gold_size: HashMap<&G, usize> = HashMap::new();
    let mut both: HashMap<(&P, &G), usize> = HashMap::new();
    for idx in 0..n {
        *predicted_size.entry(&predicted[idx]).or_default() += 1;
        *gold_size.entry(&gold[idx]).or_default() += 1;
        *both.entry((&predicted[idx], &gold[idx])).or_default() += 1;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for idx in 0..n {
        let shared = both[&(&predicted[idx], &gold[idx])] as f64;
        precision += shared / predicted_size[&predicted[idx]] as f64;
        recall += shared / gold_size[&gold[idx]] as f64;
    }
    precision /= n as f64;
    recall /= n as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    BCubed {
        precision,
        recall,
        f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfect_clustering_scores_one() {
        let score = bcubed(&[1, 1, 2], &["a", "a", "b"]);
        assert_eq!((score.precision, score.recall, score.f1), (1.0, 1.0, 1.0));
    }

    #[test]
    fn one_big_cluster_has_full_recall_and_low_precision() {
        let score = bcubed(&[0, 0, 0, 0], &["a", "a", "b", "b"]);
        assert_eq!(score.recall, 1.0);
        assert_eq!(score.precision, 0.5);
    }
}
