//! Stories: which articles report the same event, and which are near-copies of another.
//!
//! The engine runs over the [`StoryFeatures`] of every stored article and is a pure function of
//! that set: the same articles in any order give the same stories (articles are put in the order
//! of their ids first, every tie is broken by id, and every sum is taken in a fixed order). It
//! does no I/O; the store feeds it and writes its answer back.
//!
//! # How
//! 1. **Near-copies.** MinHash signatures are bucketed by bands (locality-sensitive hashing); pairs
//!    that share a bucket and agree on at least `duplicate_similarity` of the signature are copies.
//!    Each group of copies keeps its earliest article (then smallest id) as the original; the
//!    others are `duplicate_of` it, join its story and take no further part.
//! 2. **Direct similarity.** Key terms are weighted by TF-IDF over the corpus and compared by
//!    cosine, scaled down when two dated articles lie more than `window_days` apart. Candidates
//!    come from an inverted index over each article's rarest, weightiest terms (terms in more than
//!    `max_postings` articles are never keys), so the cost grows with the corpus, not its square.
//! 3. **Neighbourhoods.** Each article keeps its strongest neighbours (at most `max_neighbours`,
//!    those above `neighbour_floor`). Two articles about one event share neighbours even when
//!    their own wording differs, while two look-alike events (one boxer's two title fights) split
//!    into two neighbourhoods. The similarity used for grouping blends the direct cosine with the
//!    cosine of the two neighbourhood vectors ("second-order" similarity).
//! 4. **Grouping.** Average-link agglomerative clustering over that sparse graph (missing edges
//!    count as zero) merges the best pair of groups while their average similarity is at least
//!    `threshold`.
//!
//! Measured with `newslens eval stories` (README.md): on ECB+ topics 1–35 this scores far above
//! the same TF-IDF vectors grouped by average link alone.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::features::{minhash_similarity, StoryFeatures, MINHASH_LEN};

pub mod incremental;

/// The knobs of the story engine. The defaults are what `newslens eval stories` was tuned with.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryConfig {
    /// Average similarity at which two groups of articles still merge.
    pub threshold: f64,
    /// Weight of the direct cosine in the blended similarity (the rest is second-order).
    pub direct_weight: f32,
    /// Most neighbours an article keeps.
    pub max_neighbours: usize,
    /// Least direct similarity of a kept neighbour (the best one is always kept).
    pub neighbour_floor: f32,
    /// Two dated articles further apart than this many days are scaled by `window_days / gap`.
    pub window_days: i32,
    /// Terms of an article looked up in the candidate index.
    pub candidate_terms: usize,
    /// Terms found in more articles than this are not used as candidate keys.
    pub max_postings: usize,
    /// Candidates scored exactly per article.
    pub max_candidates: usize,
    /// Least MinHash agreement for a near-copy.
    pub duplicate_similarity: f32,
    /// When false, step 3 is skipped: plain TF-IDF cosine with average link (the baseline).
    pub second_order: bool,
}

/// The best neighbour of an article is kept down to this share of `neighbour_floor`.
const BEST_NEIGHBOUR_SHARE: f32 = 0.25;

impl StoryConfig {
    /// Least similarity of an article's best neighbour (the others need `neighbour_floor`).
    pub fn best_neighbour_floor(&self) -> f32 {
        self.neighbour_floor * BEST_NEIGHBOUR_SHARE
    }

    /// Most days apart two dated articles can be and still be neighbours: beyond the window
    /// the date factor scales a similarity (at most 1) by `window_days / gap`, which falls below
    /// [`StoryConfig::best_neighbour_floor`] past `window_days / floor` days. Candidates further
    /// away than this are never read into a neighbourhood.
    pub fn reach_days(&self) -> i32 {
        let floor = self.best_neighbour_floor();
        if floor <= 0.0 {
            return i32::MAX;
        }
        // (Rounded down, with room for a quotient that should be whole.)
        let reach = (self.window_days.max(0) as f32 / floor + 1e-3).floor();
        if reach >= i32::MAX as f32 {
            i32::MAX
        } else {
            reach as i32
        }
    }
}

impl Default for StoryConfig {
    fn default() -> StoryConfig {
        StoryConfig {
            threshold: 0.10,
            direct_weight: 0.3,
            max_neighbours: 6,
            neighbour_floor: 0.15,
            window_days: 2,
            candidate_terms: 60,
            max_postings: 100,
            max_candidates: 30,
            duplicate_similarity: 0.8,
            second_order: true,
        }
    }
}

/// One article as the story engine sees it.
#[derive(Debug, Clone)]
pub struct StoryInput {
    /// The article id (the contract's `id`).
    pub article: String,
    /// Publication date, ISO 8601, when known.
    pub published: Option<String>,
    /// Key terms, signature and day.
    pub features: StoryFeatures,
}

/// The engine's answer, index for index with its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clustering {
    /// The input that seeds each input's story: its earliest article (then smallest id).
    pub story_of: Vec<usize>,
    /// The input each input is a near-copy of.
    pub duplicate_of: Vec<Option<usize>>,
}

impl Clustering {
    /// The stories as lists of input indices, each sorted, the list sorted by its first index.
    pub fn groups(&self) -> Vec<Vec<usize>> {
        let mut by_seed: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (input_idx, &seed) in self.story_of.iter().enumerate() {
            by_seed.entry(seed).or_default().push(input_idx);
        }
        let mut groups: Vec<Vec<usize>> = by_seed.into_values().collect();
        groups.sort();
        groups
    }
}

/// Groups articles into stories. See the module documentation for the method.
pub fn cluster(inputs: &[StoryInput], config: &StoryConfig) -> Clustering {
    let n_inputs = inputs.len();
    // Work in id order so that the answer does not depend on the order of the input.
    let mut order: Vec<usize> = (0..n_inputs).collect();
    order.sort_by(|&a, &b| inputs[a].article.cmp(&inputs[b].article).then(a.cmp(&b)));
    let sorted: Vec<&StoryInput> = order.iter().map(|&input_idx| &inputs[input_idx]).collect();

    let original_of = near_copies(&sorted, config);
    let live: Vec<usize> = (0..n_inputs)
        .filter(|&pos| original_of[pos].is_none())
        .collect();
    let live_inputs: Vec<&StoryInput> = live.iter().map(|&pos| sorted[pos]).collect();
    let groups = group_articles(&live_inputs, config, Weighting::Corpus);

    let mut story_of = vec![0; n_inputs];
    for group in groups {
        let seed = group
            .iter()
            .map(|&live_idx| live[live_idx])
            .min_by(|&a, &b| seniority(sorted[a]).cmp(&seniority(sorted[b])))
            .unwrap_or(live[group[0]]);
        for live_idx in group {
            story_of[order[live[live_idx]]] = order[seed];
        }
    }
    let mut duplicate_of = vec![None; n_inputs];
    for (pos, original) in original_of.iter().enumerate() {
        if let Some(original) = original {
            duplicate_of[order[pos]] = Some(order[*original]);
            story_of[order[pos]] = story_of[order[*original]];
        }
    }
    Clustering {
        story_of,
        duplicate_of,
    }
}

/// Earlier first; undated articles after dated ones; then by id.
pub(crate) fn seniority(input: &StoryInput) -> (bool, &str, &str) {
    (
        input.published.is_none(),
        input.published.as_deref().unwrap_or(""),
        &input.article,
    )
}

/// Rows of the signature per LSH band: 16 bands of 4 catch pairs agreeing on ~50 % and more.
const BAND_ROWS: usize = 4;
/// Members of one bucket compared with each member at most (bounds a degenerate bucket).
pub(crate) const BUCKET_REACH: usize = 64;

/// The LSH bucket of each band of a MinHash signature (the band's number and values, hashed);
/// none when the text was too short for a signature.
pub fn band_keys(signature: &[u32]) -> Vec<u64> {
    if signature.len() != MINHASH_LEN {
        return Vec::new();
    }
    signature
        .chunks(BAND_ROWS)
        .enumerate()
        .map(|(band_idx, band)| {
            let mut bytes = Vec::with_capacity(1 + BAND_ROWS * 4);
            bytes.push(band_idx as u8);
            bytes.extend(band.iter().flat_map(|v| v.to_le_bytes()));
            xxh3_64(&bytes)
        })
        .collect()
}

/// For each article (in id order), the original it near-copies.
fn near_copies(sorted: &[&StoryInput], config: &StoryConfig) -> Vec<Option<usize>> {
    let n = sorted.len();
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for (pos, input) in sorted.iter().enumerate() {
        for key in band_keys(&input.features.minhash) {
            buckets.entry(key).or_default().push(pos);
        }
    }
    let mut parent: Vec<usize> = (0..n).collect();
    for members in buckets.values() {
        for (member_idx, &a) in members.iter().enumerate() {
            for &b in members.iter().skip(member_idx + 1).take(BUCKET_REACH) {
                let similarity =
                    minhash_similarity(&sorted[a].features.minhash, &sorted[b].features.minhash);
                if similarity >= config.duplicate_similarity {
                    union(&mut parent, a, b);
                }
            }
        }
    }
    let mut original: HashMap<usize, usize> = HashMap::new();
    for pos in 0..n {
        let root = find(&mut parent, pos);
        let best = original.entry(root).or_insert(pos);
        if seniority(sorted[pos]) < seniority(sorted[*best]) {
            *best = pos;
        }
    }
    (0..n)
        .map(|pos| {
            let root = find(&mut parent, pos);
            let original = original[&root];
            (original != pos).then_some(original)
        })
        .collect()
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[high] = low;
    }
}

/// A sparse vector: `(dimension, value)` sorted by dimension.
type Sparse = Vec<(u32, f32)>;

fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

fn normalised(mut vector: Sparse) -> Sparse {
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut vector {
            *w /= norm;
        }
    }
    vector
}

/// The TF-IDF vectors of the articles over dense term ids (terms numbered in hash order, so each
/// vector is sorted and sums run in the order of the terms), and each dense term's document
/// frequency. Terms in fewer than two articles, or in all of them, carry no weight and get no id.
///
/// Every `(term, article, count)` is sorted by term once: each run of one term gives its document
/// frequency, and walking the runs in order appends to the articles' vectors in term order. (A hash
/// map keyed by term, as before, cost seconds at 10,000 articles: they hold millions of distinct
/// terms, and every lookup was a cache miss.)
fn tfidf_vectors(inputs: &[&StoryInput], weighting: Weighting) -> (Vec<Sparse>, Vec<u32>) {
    let mut occurrences: Vec<(u32, u32, u16)> = inputs
        .iter()
        .enumerate()
        .flat_map(|(idx, input)| {
            input
                .features
                .terms
                .iter()
                .map(move |&(term, count)| (term, idx as u32, count))
        })
        .collect();
    occurrences.par_sort_unstable();
    let n_f = inputs.len() as f32;
    let mut vectors: Vec<Sparse> = vec![Vec::new(); inputs.len()];
    let mut df: Vec<u32> = Vec::new();
    for run in occurrences.chunk_by(|a, b| a.0 == b.0) {
        let d = run.len() as u32;
        let idf = match weighting {
            // Smoothed so that a corpus of two articles still has weights.
            Weighting::Corpus if d >= 2 => ((n_f + 1.0) / d as f32).ln(),
            Weighting::Stored { frequencies, .. } if d >= 2 => frequencies.idf(run[0].0),
            // A term no other article here holds adds nothing to a dot product (with stored
            // weighting its part of the norm is in the stored norm).
            _ => 0.0,
        };
        if idf <= 0.0 {
            continue;
        }
        let dense = df.len() as u32;
        df.push(d);
        for &(_, idx, count) in run {
            vectors[idx as usize].push((dense, (1.0 + (count as f32).ln()) * idf));
        }
    }
    drop(occurrences);
    let vectors = match weighting {
        Weighting::Corpus => vectors.into_par_iter().map(normalised).collect(),
        Weighting::Stored { norms, .. } => vectors
            .into_iter()
            .zip(norms)
            .map(|(mut vector, &norm)| {
                if norm > 0.0 {
                    for (_, weight) in &mut vector {
                        *weight /= norm;
                    }
                }
                vector
            })
            .collect(),
    };
    (vectors, df)
}

/// Candidate postings: for each dense term found in at most `max_postings` articles, the
/// `(article, weight)` pairs that hold it, in article order; one flat list cut by offsets.
struct Postings {
    offsets: Vec<u32>,
    entries: Vec<(u32, f32)>,
}

impl Postings {
    fn new(vectors: &[Sparse], df: &[u32], max_postings: usize) -> Postings {
        let is_key = |term: u32| df[term as usize] as usize <= max_postings;
        let mut offsets = vec![0u32; df.len() + 1];
        for &(term, _) in vectors.iter().flatten() {
            if is_key(term) {
                offsets[term as usize + 1] += 1;
            }
        }
        for term in 0..df.len() {
            offsets[term + 1] += offsets[term];
        }
        let mut filled = offsets.clone();
        let mut entries = vec![(0u32, 0.0f32); offsets[df.len()] as usize];
        for (idx, vector) in vectors.iter().enumerate() {
            for &(term, weight) in vector {
                if is_key(term) {
                    entries[filled[term as usize] as usize] = (idx as u32, weight);
                    filled[term as usize] += 1;
                }
            }
        }
        Postings { offsets, entries }
    }

    /// The articles holding a term; empty when the term is not a key.
    fn of(&self, term: u32) -> &[(u32, f32)] {
        let term = term as usize;
        &self.entries[self.offsets[term] as usize..self.offsets[term + 1] as usize]
    }
}

/// How terms are weighed against each other.
#[derive(Debug, Clone, Copy)]
pub enum Weighting<'a> {
    /// By their document frequency among the articles clustered (the batch engine).
    Corpus,
    /// By document frequencies over the whole stored corpus, which the store keeps (the
    /// incremental engine, which clusters a batch and its candidates only). Each vector is
    /// divided by its article's norm over all its terms (`norms`, one per input, as computed
    /// when the article was placed), so only the terms two of these articles share need
    /// weighing here.
    Stored {
        /// Document frequencies of at least the terms two inputs share.
        frequencies: &'a incremental::Frequencies,
        /// Each input's norm.
        norms: &'a [f32],
    },
}

/// Groups articles that are not copies; returns groups of indices into `inputs`. A term found in
/// only one of them weighs nothing, whatever the weighting: it cannot make two articles alike.
pub(crate) fn group_articles(
    inputs: &[&StoryInput],
    config: &StoryConfig,
    weighting: Weighting,
) -> Vec<Vec<usize>> {
    let n = inputs.len();
    let (vectors, df) = tfidf_vectors(inputs, weighting);
    let days: Vec<Option<i32>> = inputs.iter().map(|input| input.features.day).collect();

    // Candidate index: postings of terms that are rare enough to be keys.
    let postings = Postings::new(&vectors, &df, config.max_postings);
    // For each article: every scored candidate `(other, direct similarity)` sorted by `other`,
    // and the neighbours kept.
    let scored: Vec<(Sparse, Sparse)> = (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0.0f32; n], Vec::<u32>::new(), vec![0.0f32; df.len()]),
            |(scratch, touched, own), idx| {
                let mut keys: Vec<(u32, f32)> = vectors[idx]
                    .iter()
                    .copied()
                    .filter(|&(term, _)| !postings.of(term).is_empty())
                    .collect();
                keys.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                for &(term, weight) in keys.iter().take(config.candidate_terms) {
                    for &(other, other_weight) in postings.of(term) {
                        if other as usize == idx {
                            continue;
                        }
                        if scratch[other as usize] == 0.0 {
                            touched.push(other);
                        }
                        scratch[other as usize] += weight * other_weight;
                    }
                }
                let mut candidates: Vec<(u32, f32)> = touched
                    .iter()
                    .map(|&other| (other, scratch[other as usize]))
                    .collect();
                for &other in touched.iter() {
                    scratch[other as usize] = 0.0;
                }
                touched.clear();
                candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                candidates.truncate(config.max_candidates);
                // The direct similarity to each candidate: this article's vector spread over
                // its terms, so each cosine is one pass over the candidate's terms (the same
                // products summed in the same order as `dot`, so the same value).
                for &(term, weight) in &vectors[idx] {
                    own[term as usize] = weight;
                }
                let mut scored: Vec<(u32, f32)> = candidates
                    .into_iter()
                    .map(|(other, _)| {
                        let other = other as usize;
                        let cosine: f32 = vectors[other]
                            .iter()
                            .map(|&(term, weight)| own[term as usize] * weight)
                            .sum();
                        let date = date_factor(days[idx], days[other], config.window_days);
                        (other as u32, cosine * date)
                    })
                    .filter(|(_, similarity)| *similarity > 0.0)
                    .collect();
                for &(term, _) in &vectors[idx] {
                    own[term as usize] = 0.0;
                }
                scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                let kept: Vec<(u32, f32)> = scored
                    .iter()
                    .copied()
                    .enumerate()
                    .filter(|(rank, (_, similarity))| {
                        (*rank == 0 && *similarity >= config.best_neighbour_floor())
                            || *similarity >= config.neighbour_floor
                    })
                    .map(|(_, neighbour)| neighbour)
                    .take(config.max_neighbours)
                    .collect();
                scored.sort_by_key(|(other, _)| *other);
                (scored, kept)
            },
        )
        .collect();
    let (candidates, neighbours): (Vec<Sparse>, Vec<Sparse>) = scored.into_iter().unzip();
    // The direct similarity of a pair, as scored when either was the other's candidate; pairs that
    // share no key term count as 0 (their cosine is small, and computing it for every two-step
    // pair would cost more than everything else together).
    let known_direct = |a: usize, b: usize| -> f32 {
        let find = |list: &Vec<(u32, f32)>, other: usize| {
            list.binary_search_by_key(&(other as u32), |(id, _)| *id)
                .ok()
                .map(|at| list[at].1)
        };
        find(&candidates[a], b)
            .or_else(|| find(&candidates[b], a))
            .unwrap_or(0.0)
    };

    let edges: Vec<Vec<(u32, f32)>> = if config.second_order {
        second_order_edges(&neighbours, config, &known_direct)
    } else {
        // The baseline: direct cosine between every candidate pair.
        (0..n)
            .into_par_iter()
            .map(|idx| {
                let mut row: Vec<(u32, f32)> = neighbours[idx]
                    .iter()
                    .copied()
                    .filter(|(other, _)| (*other as usize) > idx)
                    .collect();
                row.sort_by_key(|(other, _)| *other);
                row
            })
            .collect()
    };
    average_link(n, &edges, config.threshold)
}

/// Blended similarities for every pair that shares a neighbour: `edges[a]` lists `(b, s)` with
/// `b > a`.
fn second_order_edges(
    neighbours: &[Vec<(u32, f32)>],
    config: &StoryConfig,
    direct: &(dyn Fn(usize, usize) -> f32 + Sync),
) -> Vec<Vec<(u32, f32)>> {
    let n = neighbours.len();
    // Symmetric neighbourhood rows, each with the article itself at weight 1.
    let mut rows: Vec<Sparse> = (0..n).map(|idx| vec![(idx as u32, 1.0)]).collect();
    for (idx, list) in neighbours.iter().enumerate() {
        for &(other, similarity) in list {
            rows[idx].push((other, similarity));
            rows[other as usize].push((idx as u32, similarity));
        }
    }
    let max_row = 4 * config.max_neighbours.max(1) + 1;
    for row in &mut rows {
        row.sort_by_key(|(other, _)| *other);
        row.dedup_by_key(|(other, _)| *other);
        if row.len() > max_row {
            // A hub: keep its strongest links so the pairs below stay few.
            row.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            row.truncate(max_row);
            row.sort_by_key(|(other, _)| *other);
        }
    }
    let rows: Vec<Sparse> = rows.into_iter().map(normalised).collect();
    let alpha = config.direct_weight;
    (0..n)
        .into_par_iter()
        .map(|idx| {
            let mut pairs: Vec<u32> = Vec::new();
            for &(middle, _) in &rows[idx] {
                for &(other, _) in &rows[middle as usize] {
                    if other as usize > idx {
                        pairs.push(other);
                    }
                }
            }
            pairs.sort_unstable();
            pairs.dedup();
            pairs
                .into_iter()
                .filter_map(|other| {
                    let second = dot(&rows[idx], &rows[other as usize]);
                    let blended = alpha * direct(idx, other as usize) + (1.0 - alpha) * second;
                    (blended > 0.0).then_some((other, blended))
                })
                .collect()
        })
        .collect()
}

/// 1 within the window, `window / gap` beyond it, 1 when either date is unknown.
fn date_factor(a: Option<i32>, b: Option<i32>, window_days: i32) -> f32 {
    match (a, b) {
        (Some(a), Some(b)) => {
            let gap = (a - b).abs();
            if gap <= window_days.max(0) {
                1.0
            } else {
                window_days.max(0) as f32 / gap as f32
            }
        }
        _ => 1.0,
    }
}

/// A merge candidate in the heap: best score first, then the smallest pair.
#[derive(PartialEq)]
struct Merge {
    score: f64,
    a: u32,
    b: u32,
}

impl Eq for Merge {}

impl Ord for Merge {
    fn cmp(&self, other: &Merge) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(Reverse(self.a).cmp(&Reverse(other.a)))
            .then(Reverse(self.b).cmp(&Reverse(other.b)))
    }
}

impl PartialOrd for Merge {
    fn partial_cmp(&self, other: &Merge) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Average-link (UPGMA) clustering over a sparse similarity graph; a group is named by its
/// smallest member.
fn average_link(n: usize, edges: &[Vec<(u32, f32)>], threshold: f64) -> Vec<Vec<usize>> {
    let mut links: Vec<BTreeMap<u32, f64>> = vec![BTreeMap::new(); n];
    for (a, row) in edges.iter().enumerate() {
        for &(b, similarity) in row {
            links[a].insert(b, similarity as f64);
            links[b as usize].insert(a as u32, similarity as f64);
        }
    }
    let mut size: Vec<f64> = vec![1.0; n];
    let mut members: Vec<Vec<usize>> = (0..n).map(|idx| vec![idx]).collect();
    let mut alive = vec![true; n];
    let mut heap: BinaryHeap<Merge> = BinaryHeap::new();
    for (a, row) in links.iter().enumerate() {
        for (&b, &sum) in row.range((a as u32 + 1)..) {
            heap.push(Merge {
                score: sum,
                a: a as u32,
                b,
            });
        }
    }
    while let Some(Merge { score, a, b }) = heap.pop() {
        if score < threshold {
            break;
        }
        let (ai, bi) = (a as usize, b as usize);
        if !alive[ai] || !alive[bi] {
            continue;
        }
        let Some(&sum) = links[ai].get(&b) else {
            continue;
        };
        if sum / (size[ai] * size[bi]) != score {
            continue; // stale: a later merge changed this pair
        }
        // Merge b into a (a < b).
        alive[bi] = false;
        let b_links = std::mem::take(&mut links[bi]);
        links[ai].remove(&b);
        for (&c, &sum_bc) in &b_links {
            if c == a {
                continue;
            }
            *links[ai].entry(c).or_insert(0.0) += sum_bc;
            let c_links = &mut links[c as usize];
            c_links.remove(&b);
            *c_links.entry(a).or_insert(0.0) += sum_bc;
        }
        size[ai] += size[bi];
        let moved = std::mem::take(&mut members[bi]);
        members[ai].extend(moved);
        for (&c, &sum_ac) in &links[ai] {
            let score = sum_ac / (size[ai] * size[c as usize]);
            let (low, high) = if a < c { (a, c) } else { (c, a) };
            heap.push(Merge {
                score,
                a: low,
                b: high,
            });
        }
    }
    (0..n)
        .filter(|&idx| alive[idx])
        .map(|idx| {
            let mut group = std::mem::take(&mut members[idx]);
            group.sort_unstable();
            group
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(article: &str, published: Option<&str>, terms: &[u32]) -> StoryInput {
        StoryInput {
            article: article.to_string(),
            published: published.map(str::to_string),
            features: StoryFeatures {
                terms: terms.iter().map(|&t| (t, 1)).collect(),
                minhash: Vec::new(),
                day: published.and_then(crate::features::day_number),
            },
        }
    }

    #[test]
    fn average_link_merges_while_the_average_is_above_the_threshold() {
        // 0-1 strong, 1-2 strong, 0-2 missing: the average of {0,1} to 2 is 0.45.
        let edges = vec![vec![(1, 0.9)], vec![(2, 0.9)], vec![]];
        assert_eq!(average_link(3, &edges, 0.5), vec![vec![0, 1], vec![2]]);
        assert_eq!(average_link(3, &edges, 0.4), vec![vec![0, 1, 2]]);
    }

    #[test]
    fn stories_do_not_depend_on_input_order() {
        let mut inputs = vec![
            input("a1", Some("2020-01-01"), &[1, 2, 3, 4, 10]),
            input("a2", Some("2020-01-02"), &[1, 2, 3, 5, 11]),
            input("a3", None, &[1, 2, 4, 5, 12]),
            input("b1", Some("2020-01-01"), &[6, 7, 8, 9, 13]),
            input("b2", Some("2020-01-01"), &[6, 7, 8, 14, 15]),
            input("c1", None, &[20, 21, 22]),
            input("filler1", None, &[30, 31, 32, 33]),
            input("filler2", None, &[30, 41, 42, 43]),
        ];
        let config = StoryConfig::default();
        let names = |inputs: &[StoryInput], clustering: &Clustering| {
            let mut groups: Vec<Vec<String>> = clustering
                .groups()
                .into_iter()
                .map(|group| {
                    let mut names: Vec<String> =
                        group.iter().map(|&i| inputs[i].article.clone()).collect();
                    names.sort();
                    names
                })
                .collect();
            groups.sort();
            groups
        };
        let first = names(&inputs, &cluster(&inputs, &config));
        inputs.reverse();
        inputs.swap(1, 5);
        let second = names(&inputs, &cluster(&inputs, &config));
        assert_eq!(first, second);
        assert!(first.contains(&vec!["a1".to_string(), "a2".to_string(), "a3".to_string()]));
        assert!(first.contains(&vec!["b1".to_string(), "b2".to_string()]));
    }

    #[test]
    fn a_story_is_seeded_by_its_earliest_article() {
        let inputs = vec![
            input("z", Some("2020-01-01"), &[1, 2, 3]),
            input("a", Some("2020-01-02"), &[1, 2, 3]),
            input("m", None, &[1, 2, 3]),
            input("other", None, &[7, 8, 9]),
            input("other2", None, &[1, 8, 9]),
        ];
        let clustering = cluster(&inputs, &StoryConfig::default());
        assert_eq!(clustering.story_of[0], 0);
        assert_eq!(clustering.story_of[1], 0);
        assert_eq!(clustering.story_of[2], 0);
    }

    #[test]
    fn far_apart_dates_weaken_similarity() {
        assert_eq!(date_factor(Some(10), Some(12), 3), 1.0);
        assert_eq!(date_factor(Some(0), Some(30), 3), 0.1);
        assert_eq!(date_factor(None, Some(30), 3), 1.0);
    }

    #[test]
    fn past_the_reach_even_identical_articles_cannot_be_neighbours() {
        for config in [
            StoryConfig::default(),
            StoryConfig {
                window_days: 7,
                neighbour_floor: 0.3,
                ..StoryConfig::default()
            },
        ] {
            let reach = config.reach_days();
            let floor = config.best_neighbour_floor();
            assert!(date_factor(Some(0), Some(reach), config.window_days) >= floor * 0.99);
            assert!(date_factor(Some(0), Some(reach + 1), config.window_days) < floor);
        }
        assert_eq!(StoryConfig::default().reach_days(), 53);
        let no_floor = StoryConfig {
            neighbour_floor: 0.0,
            ..StoryConfig::default()
        };
        assert_eq!(no_floor.reach_days(), i32::MAX);
    }
}
