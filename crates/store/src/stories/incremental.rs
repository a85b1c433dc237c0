//! Stories that grow: each new article is placed when it is stored, against the stories it could
//! join, without clustering the whole corpus again.
//!
//! A backend keeps what the engine needs in its tables (see [`StoryState`]): the document
//! frequency of every term over the stored originals, each original's key terms as candidate
//! postings, and every article's MinHash bands. One [`place`] call takes the articles not placed
//! yet (a batch) and:
//! 1. finds near-copies through the bands: an article whose wording matches a stored one (or an
//!    earlier one of the batch) at least `duplicate_similarity` is its copy and joins its story;
//! 2. weighs the batch's originals by the stored document frequencies (their own terms counted
//!    in) and looks up their key terms' postings: the stored articles sharing the most weight
//!    are candidates;
//! 3. gathers the neighbourhood: the batch, its candidates, and up to `members_per_story` of the
//!    newest originals of every story a candidate is in;
//! 4. clusters the neighbourhood with the batch engine (`group_articles`, same similarity, same
//!    threshold, terms weighed by the corpus frequencies);
//! 5. settles the groups onto stories ([`settle`]): a story keeps its id while articles join it;
//!    a group holding most of two stories merges them (the smaller is `merged_into` the larger,
//!    and its old id leads to the larger); stored articles that a group pulls away from the rest
//!    of their story split off into a new story. Merges and splits are recorded as story events.
//!
//! The cost of a call depends on the batch and its neighbourhood, never on the corpus size. The
//! answer can depend on the order articles came in (a batch engine's cannot); `stories --rebuild`
//! ([`rebuild`]) re-clusters everything and settles the result the same way, keeping ids.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::features::{minhash_similarity, posting_bucket, UNDATED_BUCKET};
use crate::stories::{
    band_keys, cluster, group_articles, seniority, StoryConfig, StoryInput, Weighting,
};
use crate::Result;

/// Most articles placed in one call; a backend calls [`place`] again while articles wait.
pub const MAX_BATCH: usize = 500;

/// Whether to cluster everything at once instead of placing batch by batch: when more articles
/// wait than are placed (a first ingest, a large import) and more than one batch, the batch engine
/// is both cheaper (10,000 new articles: ~10 s instead of ~96 s in 500-article batches) and its
/// answer is the one streaming only approximates.
pub fn rebuild_is_cheaper(waiting: u64, placed_originals: u64) -> bool {
    waiting > MAX_BATCH as u64 && waiting > placed_originals
}

/// Document frequencies over the stored originals, for the terms of one neighbourhood.
#[derive(Debug, Clone, Default)]
pub struct Frequencies {
    /// Originals stored (the batch's own included).
    pub documents: u32,
    /// Originals holding each term (foldhash: the clustering looks terms up millions of times a
    /// batch, and SipHash was a tenth of its time).
    pub df: foldhash::HashMap<u32, u32>,
}

impl Frequencies {
    /// The inverse document frequency of a term, `ln((N + 1) / df)`; 0 for a term found in fewer
    /// than two originals (it cannot make two articles alike) or in all of them.
    pub fn idf(&self, term: u32) -> f32 {
        let df = self.df.get(&term).copied().unwrap_or(0);
        if df < 2 {
            return 0.0;
        }
        ((self.documents as f32 + 1.0) / df as f32).ln().max(0.0)
    }
}

/// One stored article as the engine sees it.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Its features.
    pub input: StoryInput,
    /// The story it is in (for an article not placed yet, the story of one it was stored as).
    pub story: String,
    /// The original it is a near-copy of.
    pub duplicate_of: Option<String>,
    /// Whether the engine has placed it (else `story` is the story of one it was stored as).
    pub placed: bool,
}

/// What an article's placement changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The article.
    pub article: String,
    /// Its story from now on.
    pub story: String,
    /// The original it near-copies.
    pub duplicate_of: Option<String>,
}

/// What to index for a newly placed article.
#[derive(Debug, Clone, PartialEq)]
pub struct Indexed {
    /// The article.
    pub article: String,
    /// For an original: every term (their document frequencies grow by one) and its key terms
    /// (candidate postings). Empty for a copy.
    pub terms: Vec<u32>,
    /// Key terms, the weightiest first.
    pub key_terms: Vec<u32>,
    /// Its MinHash bands.
    pub bands: Vec<u64>,
    /// Its publication day (days since 1970-01-01), when known: where its postings go.
    pub day: Option<i32>,
}

/// What happened to a story.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    /// All its articles joined another story; its id now leads there.
    Merged,
    /// Some of its articles left to start another story.
    Split,
}

impl EventKind {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Merged => "merged",
            EventKind::Split => "split",
        }
    }

    /// The kind a stored word names.
    pub fn from_name(name: &str) -> Option<EventKind> {
        match name {
            "merged" => Some(EventKind::Merged),
            "split" => Some(EventKind::Split),
            _ => None,
        }
    }
}

/// A merge or split, as the engine decided it (the backend stamps the time).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoryEvent {
    /// What happened.
    pub kind: EventKind,
    /// The story merged away, or the story split.
    pub story: String,
    /// The story that absorbed it, or the story the leaving articles started.
    pub other: String,
    /// Articles that moved.
    pub articles: usize,
}

/// Everything one [`place`] call decided, for the backend to write in the same transaction.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Every article whose story or original changes, each newly placed one included. A moved
    /// original's near-copies follow it (the backend moves them).
    pub placements: Vec<Placement>,
    /// Stories whose every article joins another: `(merged, into)`.
    pub merges: Vec<(String, String)>,
    /// The newly placed articles' index entries.
    pub indexed: Vec<Indexed>,
    /// Merges and splits.
    pub events: Vec<StoryEvent>,
    /// Every story whose summary changes (some may have no article left: delete them).
    pub touched: BTreeSet<String>,
}

impl Changes {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.placements.is_empty() && self.merges.is_empty() && self.indexed.is_empty()
    }
}

/// A placed original found under one of its key terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// The key term.
    pub term: u32,
    /// The article id.
    pub article: String,
    /// Its publication day (days since 1970-01-01), when known.
    pub day: Option<i32>,
}

/// The posting buckets to read for articles dated within `days` (`None`: any day), given the
/// stored dated buckets `first..=last` and whether undated articles have postings: the buckets of
/// the days in range that are stored, in order, then the undated articles' bucket.
pub fn buckets_within(
    first: Option<i64>,
    last: Option<i64>,
    days: Option<(i32, i32)>,
    any_undated: bool,
) -> Vec<i64> {
    let mut buckets: Vec<i64> = match (first, last) {
        (Some(first), Some(last)) if first <= last => {
            let (low, high) = match days {
                Some((low, high)) => (
                    posting_bucket(Some(low)).max(first),
                    posting_bucket(Some(high)).min(last),
                ),
                None => (first, last),
            };
            (low..=high).collect()
        }
        _ => Vec::new(),
    };
    if any_undated {
        buckets.push(UNDATED_BUCKET);
    }
    buckets
}

/// The days a batch's candidates can be dated within: `reach` days around its articles' days;
/// `None` (any day) when one of them is undated or the reach is unbounded.
fn days_within_reach(days: impl Iterator<Item = Option<i32>>, reach: i32) -> Option<(i32, i32)> {
    if reach == i32::MAX {
        return None;
    }
    let mut range: Option<(i32, i32)> = None;
    for day in days {
        let day = day?;
        range = Some(range.map_or((day, day), |(low, high)| (low.min(day), high.max(day))));
    }
    range.map(|(low, high)| (low.saturating_sub(reach), high.saturating_add(reach)))
}

/// What the engine reads from a backend, inside the transaction that will apply its changes.
pub trait StoryState {
    /// Articles stored but not placed yet, in the order they were stored, at most `limit`.
    fn unplaced(&mut self, limit: usize) -> Result<Vec<Placed>>;
    /// Originals placed so far, and how many of them hold each term.
    fn frequencies(&mut self, terms: &[u32]) -> Result<(u32, Vec<u32>)>;
    /// The placed originals having one of these among their key terms: every undated one, and
    /// the dated ones published within `days` (inclusive; all of them when `None`). A backend
    /// may return more (its postings are kept by period); the engine checks each day.
    fn posted(&mut self, terms: &[u32], days: Option<(i32, i32)>) -> Result<Vec<Posting>>;
    /// Placed articles with a MinHash band among these, at most `per_band` a band.
    fn banded(&mut self, bands: &[u64], per_band: usize) -> Result<Vec<String>>;
    /// These placed articles (unknown ids are left out).
    fn placed(&mut self, articles: &[String]) -> Result<Vec<Placed>>;
    /// The ids of up to `per_story` originals of each story, newest first.
    fn members(&mut self, stories: &[String], per_story: usize) -> Result<Vec<String>>;
    /// Which of these ids name a story, or a story merged away.
    fn story_ids_in_use(&mut self, ids: &[String]) -> Result<HashSet<String>>;
}

/// Stored articles kept as candidates per new original, the strongest by shared key-term weight
/// (measured with `newslens eval stories --streaming 10` and `bench ingest --batch 100`: 30 gave
/// AllSides 0.003 more F1 at the low end and cost a third more time per batch).
const CANDIDATES_PER_ARTICLE: usize = 10;
/// Most stored articles in one batch's neighbourhood (candidates and members): the work of a batch
/// grows with it, and it keeps that work the same however large the corpus and its stories grow.
/// A batch of 10 never reaches it.
const NEIGHBOURHOOD: usize = 1000;
/// Stored originals brought into the neighbourhood for their stories' sake, per new original: it
/// bounds a batch's work however large the stories grow (`eval stories --streaming 10`: 6 lost
/// 0.08 of ECB+ F1, 12 lost 0.03; the engine needs to see the stories it settles onto).
const MEMBER_BUDGET_PER_ARTICLE: usize = 24;

/// Originals of one touched story brought into the neighbourhood (measured with `newslens eval
/// stories --streaming 10`: 8 lost ECB+ F1, 64 gained nothing over 24).
const MEMBERS_PER_STORY: usize = 24;

/// Places the articles not placed yet (at most [`MAX_BATCH`]); see the module documentation.
pub fn place(state: &mut dyn StoryState, config: &StoryConfig) -> Result<Changes> {
    let mut pending = state.unplaced(MAX_BATCH)?;
    if pending.is_empty() {
        return Ok(Changes::default());
    }
    pending.sort_by(|a, b| seniority(&a.input).cmp(&seniority(&b.input)));

    // 1. Near-copies, against the store and the batch's earlier articles.
    let pending_bands: Vec<Vec<u64>> = pending
        .iter()
        .map(|placed| band_keys(&placed.input.features.minhash))
        .collect();
    let all_bands: Vec<u64> = unique(pending_bands.iter().flatten().copied());
    let banded_ids = state.banded(&all_bands, crate::stories::BUCKET_REACH)?;
    let mut known: HashMap<String, Placed> = state
        .placed(&banded_ids)?
        .into_iter()
        .map(|placed| (placed.input.article.clone(), placed))
        .collect();
    let mut stored_buckets: HashMap<u64, Vec<String>> = HashMap::new();
    for placed in known.values() {
        for key in band_keys(&placed.input.features.minhash) {
            stored_buckets
                .entry(key)
                .or_default()
                .push(placed.input.article.clone());
        }
    }
    let mut batch_buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut copy_of: Vec<Option<String>> = vec![None; pending.len()];
    for (idx, placed) in pending.iter().enumerate() {
        let signature = &placed.input.features.minhash;
        let mut best: Option<(String, (bool, String, String))> = None;
        let mut consider = |original: &StoryInput, original_id: String| {
            if minhash_similarity(signature, &original.features.minhash)
                >= config.duplicate_similarity
            {
                let rank = owned_seniority(original);
                if best.as_ref().is_none_or(|(_, best_rank)| rank < *best_rank) {
                    best = Some((original_id, rank));
                }
            }
        };
        for key in &pending_bands[idx] {
            for other in stored_buckets.get(key).into_iter().flatten() {
                let other = &known[other];
                let original = other
                    .duplicate_of
                    .clone()
                    .unwrap_or(other.input.article.clone());
                consider(&other.input, original);
            }
            for &other in batch_buckets.get(key).into_iter().flatten() {
                let original = copy_of[other]
                    .clone()
                    .unwrap_or(pending[other].input.article.clone());
                consider(&pending[other].input, original);
            }
        }
        copy_of[idx] = best.map(|(original, _)| original);
        for key in &pending_bands[idx] {
            batch_buckets.entry(*key).or_default().push(idx);
        }
    }

    // 2. Weights and candidates of the batch's originals.
    let live: Vec<usize> = (0..pending.len())
        .filter(|&idx| copy_of[idx].is_none())
        .collect();
    let batch_terms = unique(
        live.iter()
            .flat_map(|&idx| pending[idx].input.features.terms.iter().map(|t| t.0)),
    );
    let (stored_documents, stored_df) = state.frequencies(&batch_terms)?;
    let mut frequencies = Frequencies {
        documents: stored_documents + live.len() as u32,
        df: batch_terms.iter().copied().zip(stored_df).collect(),
    };
    for &idx in &live {
        for &(term, _) in &pending[idx].input.features.terms {
            *frequencies.df.entry(term).or_default() += 1;
        }
    }
    let key_terms: Vec<Vec<u32>> = live
        .iter()
        .map(|&idx| key_terms_of(&pending[idx].input, &frequencies, config))
        .collect();
    let lookup = unique(key_terms.iter().flat_map(|terms| {
        terms.iter().copied().filter(|term| {
            frequencies.df.get(term).copied().unwrap_or(0) as usize <= config.max_postings
        })
    }));
    // Each candidate with the best share of weight it had with any new original. A stored
    // article dated beyond the reach of a new one can never be its neighbour: over years of
    // archive, the old stories that share its words cost nothing, and are not even read.
    let reach = config.reach_days();
    let days = days_within_reach(
        live.iter().map(|&idx| pending[idx].input.features.day),
        reach,
    );
    let mut postings: HashMap<u32, Vec<(String, Option<i32>)>> = HashMap::new();
    for posting in state.posted(&lookup, days)? {
        postings
            .entry(posting.term)
            .or_default()
            .push((posting.article, posting.day));
    }
    let within_reach = |a: Option<i32>, b: Option<i32>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= reach,
        _ => true,
    };
    let mut candidates: BTreeMap<String, f32> = BTreeMap::new();
    for (live_idx, &idx) in live.iter().enumerate() {
        let input = &pending[idx].input;
        let mut scores: HashMap<&str, f32> = HashMap::new();
        for term in &key_terms[live_idx] {
            let weight = term_weight(input, *term, &frequencies);
            for (article, day) in postings.get(term).into_iter().flatten() {
                if within_reach(input.features.day, *day) {
                    *scores.entry(article.as_str()).or_default() += weight;
                }
            }
        }
        let mut scored: Vec<(&str, f32)> = scores.into_iter().collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let own = norm_of(input, &frequencies).max(f32::MIN_POSITIVE);
        for (article, score) in scored.into_iter().take(CANDIDATES_PER_ARTICLE) {
            let best = candidates.entry(article.to_string()).or_insert(0.0);
            *best = best.max(score / own);
        }
    }

    // 3. The neighbourhood: the batch's originals, the candidates, their stories' newest
    //    originals, and the originals the batch's copies copy.
    // At most half the neighbourhood's room goes to candidates, the strongest first.
    if candidates.len() > NEIGHBOURHOOD / 2 {
        let mut ranked: Vec<(String, f32)> = std::mem::take(&mut candidates).into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(NEIGHBOURHOOD / 2);
        candidates = ranked.into_iter().collect();
    }
    let mut wanted: BTreeSet<String> = candidates.keys().cloned().collect();
    wanted.extend(copy_of.iter().flatten().cloned());
    let missing: Vec<String> = wanted
        .iter()
        .filter(|id| !known.contains_key(*id))
        .cloned()
        .collect();
    for placed in state.placed(&missing)? {
        known.insert(placed.input.article.clone(), placed);
    }
    // The candidates' stories, the one of the strongest candidate first; their members come in
    // until the batch's budget is spent.
    let mut story_score: HashMap<String, f32> = HashMap::new();
    for id in &wanted {
        if let Some(placed) = known.get(id) {
            let score = candidates.get(id).copied().unwrap_or(f32::INFINITY);
            let best = story_score.entry(placed.story.clone()).or_insert(0.0);
            *best = best.max(score);
        }
    }
    let mut stories: Vec<(String, f32)> = story_score.into_iter().collect();
    stories.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let budget = (live.len().max(1) * MEMBER_BUDGET_PER_ARTICLE)
        .min(NEIGHBOURHOOD.saturating_sub(candidates.len()));
    let mut members: Vec<String> = Vec::new();
    for (story, _) in &stories {
        if members.len() >= budget {
            break;
        }
        members.extend(state.members(std::slice::from_ref(story), MEMBERS_PER_STORY)?);
    }
    let missing: Vec<String> = members
        .iter()
        .filter(|id| !known.contains_key(*id))
        .cloned()
        .collect();
    for placed in state.placed(&missing)? {
        known.insert(placed.input.article.clone(), placed);
    }
    wanted.extend(members);
    let mut local: Vec<Local> = live
        .iter()
        .map(|&idx| Local {
            input: pending[idx].input.clone(),
            norm: 0.0,
            story: None,
        })
        .collect();
    for id in &wanted {
        if let Some(placed) = known.get(id) {
            if placed.duplicate_of.is_none() {
                local.push(Local {
                    input: placed.input.clone(),
                    norm: 0.0,
                    story: Some(placed.story.clone()),
                });
            }
        }
    }
    // Every term of the neighbourhood weighed by the corpus as it is now.
    let other_terms: Vec<u32> = unique(
        local
            .iter()
            .flat_map(|item| item.input.features.terms.iter().map(|t| t.0))
            .filter(|term| !frequencies.df.contains_key(term)),
    );
    let (_, other_df) = state.frequencies(&other_terms)?;
    frequencies.df.extend(other_terms.into_iter().zip(other_df));
    for item in &mut local {
        item.norm = norm_of(&item.input, &frequencies);
    }

    // 4. Cluster the neighbourhood.
    let inputs: Vec<&StoryInput> = local.iter().map(|item| &item.input).collect();
    let norms: Vec<f32> = local.iter().map(|item| item.norm).collect();
    let groups = group_articles(
        &inputs,
        config,
        Weighting::Stored {
            frequencies: &frequencies,
            norms: &norms,
        },
    );

    // 5. Settle onto stories. The stories of one the batch was stored as go.
    let mut changes = settle(state, &local, &groups)?;
    changes
        .touched
        .extend(pending.iter().map(|placed| placed.story.clone()));
    let final_story: HashMap<String, String> = story_after(&local, &changes, &known);
    for (idx, placed) in pending.iter().enumerate() {
        if let Some(original) = &copy_of[idx] {
            let story = final_story
                .get(original)
                .cloned()
                .unwrap_or_else(|| placed.story.clone());
            changes.touched.insert(placed.story.clone());
            changes.touched.insert(story.clone());
            changes.placements.push(Placement {
                article: placed.input.article.clone(),
                story,
                duplicate_of: Some(original.clone()),
            });
        }
    }
    let mut live_key_terms = key_terms.into_iter();
    for (idx, placed) in pending.iter().enumerate() {
        let (terms, key_terms) = if copy_of[idx].is_none() {
            let key_terms = live_key_terms
                .next()
                .expect("one key-term list per original");
            let terms = placed.input.features.terms.iter().map(|t| t.0).collect();
            (terms, key_terms)
        } else {
            (Vec::new(), Vec::new())
        };
        changes.indexed.push(Indexed {
            article: placed.input.article.clone(),
            terms,
            key_terms,
            bands: pending_bands[idx].clone(),
            day: placed.input.features.day,
        });
    }
    Ok(changes)
}

/// One article of a neighbourhood: its features and, when stored and placed, its story.
#[derive(Debug, Clone)]
pub struct Local {
    /// Its features.
    pub input: StoryInput,
    /// The norm of its TF-IDF vector.
    pub norm: f32,
    /// Its story; `None` for an article being placed now.
    pub story: Option<String>,
}

/// Turns groups of a neighbourhood into changes of stories, keeping ids stable.
///
/// Each story counts its articles in each group; the group holding most of them (ties: the
/// earlier group) is its home. A group with stories at home keeps the id of the largest of them
/// (ties: the smallest id) and merges the others into it; a group with none starts a new story,
/// named by its earliest new article, or else by its earliest stored article whose id no story
/// uses, or else by an id hashed from its articles' ids. Stored articles whose story is at home
/// elsewhere move to their group's story: a split. So every group becomes one story, and a
/// rebuild's stories are exactly the batch engine's groups.
pub fn settle(
    state: &mut dyn StoryState,
    local: &[Local],
    groups: &[Vec<usize>],
) -> Result<Changes> {
    let mut counts: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new(); // story → (group, n)
    for (group_idx, group) in groups.iter().enumerate() {
        let mut in_group: BTreeMap<&str, usize> = BTreeMap::new();
        for &member in group {
            if let Some(story) = &local[member].story {
                *in_group.entry(story.as_str()).or_default() += 1;
            }
        }
        for (story, n) in in_group {
            counts.entry(story).or_default().push((group_idx, n));
        }
    }
    let mut home: HashMap<&str, usize> = HashMap::new();
    let mut size: HashMap<&str, usize> = HashMap::new();
    for (story, per_group) in &counts {
        let &(group_idx, _) = per_group
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .expect("a counted story is in a group");
        home.insert(story, group_idx);
        size.insert(story, per_group.iter().map(|(_, n)| n).sum());
    }
    // Ids a new story could take (only a group with no story at home needs one), checked at once.
    let homes: HashSet<usize> = home.values().copied().collect();
    let mut possible_names: Vec<String> = Vec::new();
    for (_, group) in groups
        .iter()
        .enumerate()
        .filter(|(group_idx, _)| !homes.contains(group_idx))
    {
        let mut members: Vec<&Local> = group.iter().map(|&m| &local[m]).collect();
        members.sort_by(|a, b| seniority(&a.input).cmp(&seniority(&b.input)));
        possible_names.extend(
            members
                .iter()
                .filter(|item| item.story.is_some())
                .map(|item| item.input.article.clone()),
        );
    }
    let taken = state.story_ids_in_use(&possible_names)?;

    let mut changes = Changes::default();
    let mut named: HashSet<String> = HashSet::new();
    for (group_idx, group) in groups.iter().enumerate() {
        let mut at_home: Vec<&str> = counts
            .keys()
            .copied()
            .filter(|story| home[story] == group_idx)
            .collect();
        at_home.sort_by(|a, b| size[b].cmp(&size[a]).then(a.cmp(b)));
        let mut members: Vec<&Local> = group.iter().map(|&m| &local[m]).collect();
        members.sort_by(|a, b| seniority(&a.input).cmp(&seniority(&b.input)));
        let target: String = match at_home.first() {
            Some(story) => story.to_string(),
            None => members
                .iter()
                .find(|item| item.story.is_none())
                .or_else(|| {
                    members.iter().find(|item| {
                        !taken.contains(&item.input.article) && !named.contains(&item.input.article)
                    })
                })
                .map_or_else(|| derived_id(&members), |item| item.input.article.clone()),
        };
        named.insert(target.clone());
        // A group whose articles all stay in the one story they are in changes nothing: its story
        // is not touched (its summary is not rewritten).
        let changes_before = (changes.placements.len(), changes.merges.len());
        for merged in at_home.iter().skip(1) {
            changes.merges.push((merged.to_string(), target.clone()));
            changes.touched.insert(merged.to_string());
            changes.events.push(StoryEvent {
                kind: EventKind::Merged,
                story: merged.to_string(),
                other: target.clone(),
                articles: size[merged],
            });
        }
        let mut split_from: BTreeMap<&str, usize> = BTreeMap::new();
        for item in &members {
            match &item.story {
                None => changes.placements.push(Placement {
                    article: item.input.article.clone(),
                    story: target.clone(),
                    duplicate_of: None,
                }),
                Some(story) if home[story.as_str()] != group_idx => {
                    *split_from.entry(story.as_str()).or_default() += 1;
                    changes.touched.insert(story.clone());
                    changes.placements.push(Placement {
                        article: item.input.article.clone(),
                        story: target.clone(),
                        duplicate_of: None,
                    });
                }
                Some(_) => {}
            }
        }
        if (changes.placements.len(), changes.merges.len()) != changes_before {
            changes.touched.insert(target.clone());
        }
        for (story, n) in split_from {
            changes.events.push(StoryEvent {
                kind: EventKind::Split,
                story: story.to_string(),
                other: target.clone(),
                articles: n,
            });
        }
    }
    Ok(changes)
}

/// The id of a new story whose every article's id already names a story: 16 hex digits hashed from
/// its articles' ids (as unlikely to meet another id as two texts are to share one).
fn derived_id(members: &[&Local]) -> String {
    let mut ids: Vec<&str> = members
        .iter()
        .map(|item| item.input.article.as_str())
        .collect();
    ids.sort_unstable();
    format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(ids.join(" ").as_bytes())
    )
}

/// Each neighbourhood article's and known article's story once `changes` apply.
fn story_after(
    local: &[Local],
    changes: &Changes,
    known: &HashMap<String, Placed>,
) -> HashMap<String, String> {
    let merged: HashMap<&str, &str> = changes
        .merges
        .iter()
        .map(|(from, into)| (from.as_str(), into.as_str()))
        .collect();
    let mut story: HashMap<String, String> = HashMap::new();
    for placed in known.values() {
        let current = merged
            .get(placed.story.as_str())
            .map_or(placed.story.clone(), |into| into.to_string());
        story.insert(placed.input.article.clone(), current);
    }
    for item in local {
        if let Some(current) = &item.story {
            let current = merged
                .get(current.as_str())
                .map_or(current.clone(), |into| into.to_string());
            story.insert(item.input.article.clone(), current);
        }
    }
    for placement in &changes.placements {
        story.insert(placement.article.clone(), placement.story.clone());
    }
    story
}

/// Re-clusters every stored article with the batch engine and settles the result onto the
/// stories as they are, keeping ids where a story survives. Returns the changes, with every
/// article to index afresh, and the document frequencies over the originals.
pub fn rebuild(
    state: &mut dyn StoryState,
    articles: &[Placed],
    config: &StoryConfig,
) -> Result<(Changes, Frequencies)> {
    let inputs: Vec<StoryInput> = articles.iter().map(|placed| placed.input.clone()).collect();
    let clustering = cluster(&inputs, config);
    let originals: Vec<usize> = (0..articles.len())
        .filter(|&idx| clustering.duplicate_of[idx].is_none())
        .collect();
    let position: HashMap<usize, usize> = originals
        .iter()
        .enumerate()
        .map(|(local_idx, &idx)| (idx, local_idx))
        .collect();
    let local: Vec<Local> = originals
        .iter()
        .map(|&idx| Local {
            input: articles[idx].input.clone(),
            norm: 0.0,
            story: articles[idx].placed.then(|| articles[idx].story.clone()),
        })
        .collect();
    let mut by_seed: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &idx in &originals {
        by_seed
            .entry(clustering.story_of[idx])
            .or_default()
            .push(position[&idx]);
    }
    let groups: Vec<Vec<usize>> = by_seed.into_values().collect();
    let mut changes = settle(state, &local, &groups)?;
    changes.touched.extend(
        articles
            .iter()
            .filter(|placed| !placed.placed)
            .map(|placed| placed.story.clone()),
    );
    let known: HashMap<String, Placed> = articles
        .iter()
        .filter(|placed| placed.placed)
        .map(|placed| (placed.input.article.clone(), placed.clone()))
        .collect();
    let final_story = story_after(&local, &changes, &known);
    // Copies: a new original, a new copy, or a copy of another original than before.
    let mut copies = Vec::new();
    for (idx, placed) in articles.iter().enumerate() {
        let Some(original) = clustering.duplicate_of[idx] else {
            continue;
        };
        let original_id = articles[original].input.article.clone();
        let story = final_story
            .get(&original_id)
            .cloned()
            .unwrap_or_else(|| placed.story.clone());
        if placed.duplicate_of.as_ref() != Some(&original_id) || story != placed.story {
            changes.touched.insert(placed.story.clone());
            changes.touched.insert(story.clone());
            copies.push(Placement {
                article: placed.input.article.clone(),
                story,
                duplicate_of: Some(original_id),
            });
        }
    }
    // Copies the batch engine makes originals again.
    let placed_now: HashSet<String> = changes
        .placements
        .iter()
        .map(|placement| placement.article.clone())
        .collect();
    for &idx in &originals {
        let placed = &articles[idx];
        if placed.duplicate_of.is_some() && !placed_now.contains(&placed.input.article) {
            let story = final_story
                .get(&placed.input.article)
                .cloned()
                .unwrap_or_else(|| placed.story.clone());
            changes.touched.insert(story.clone());
            copies.push(Placement {
                article: placed.input.article.clone(),
                story,
                duplicate_of: None,
            });
        }
    }
    changes.placements.extend(copies);
    let mut frequencies = Frequencies {
        documents: originals.len() as u32,
        df: foldhash::HashMap::default(),
    };
    for &idx in &originals {
        for &(term, _) in &articles[idx].input.features.terms {
            *frequencies.df.entry(term).or_default() += 1;
        }
    }
    for (idx, placed) in articles.iter().enumerate() {
        let is_original = clustering.duplicate_of[idx].is_none();
        changes.indexed.push(Indexed {
            article: placed.input.article.clone(),
            terms: Vec::new(),
            key_terms: if is_original {
                key_terms_of(&placed.input, &frequencies, config)
            } else {
                Vec::new()
            },
            bands: band_keys(&placed.input.features.minhash),
            day: placed.input.features.day,
        });
    }
    Ok((changes, frequencies))
}

/// `(bool, String, String)` of [`seniority`], owned.
fn owned_seniority(input: &StoryInput) -> (bool, String, String) {
    let (undated, date, id) = seniority(input);
    (undated, date.to_string(), id.to_string())
}

/// The weight of one term of an article: `(1 + ln count) · idf`, unnormalised.
fn term_weight(input: &StoryInput, term: u32, frequencies: &Frequencies) -> f32 {
    input
        .features
        .terms
        .binary_search_by_key(&term, |t| t.0)
        .map_or(0.0, |at| {
            (1.0 + (input.features.terms[at].1 as f32).ln()) * frequencies.idf(term)
        })
}

/// The norm of an article's TF-IDF vector over the corpus (the terms at least two originals
/// hold), so that its vector in a neighbourhood needs only the terms another article there has.
fn norm_of(input: &StoryInput, frequencies: &Frequencies) -> f32 {
    input
        .features
        .terms
        .iter()
        .map(|&(term, count)| {
            let weight = (1.0 + (count as f32).ln()) * frequencies.idf(term);
            weight * weight
        })
        .sum::<f32>()
        .sqrt()
}

/// An article's `candidate_terms` weightiest terms, weightiest first (ties by term). Here a term
/// no other original holds yet weighs most, not nothing: it is what a later article on the same
/// event will share.
fn key_terms_of(input: &StoryInput, frequencies: &Frequencies, config: &StoryConfig) -> Vec<u32> {
    let n = frequencies.documents as f32 + 1.0;
    let mut weighted: Vec<(u32, f32)> = input
        .features
        .terms
        .iter()
        .map(|&(term, count)| {
            let df = frequencies.df.get(&term).copied().unwrap_or(1).max(1);
            (term, (1.0 + (count as f32).ln()) * (n / df as f32).ln())
        })
        .filter(|&(_, weight)| weight > 0.0)
        .collect();
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    weighted
        .into_iter()
        .take(config.candidate_terms)
        .map(|(term, _)| term)
        .collect()
}

fn unique<T: Ord + Copy>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut items: Vec<T> = items.into_iter().collect();
    items.sort_unstable();
    items.dedup();
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::StoryFeatures;

    /// Only the ids in use matter to [`settle`].
    struct Ids(HashSet<String>);

    impl StoryState for Ids {
        fn unplaced(&mut self, _: usize) -> Result<Vec<Placed>> {
            Ok(Vec::new())
        }
        fn frequencies(&mut self, terms: &[u32]) -> Result<(u32, Vec<u32>)> {
            Ok((0, vec![0; terms.len()]))
        }
        fn posted(&mut self, _: &[u32], _: Option<(i32, i32)>) -> Result<Vec<Posting>> {
            Ok(Vec::new())
        }
        fn banded(&mut self, _: &[u64], _: usize) -> Result<Vec<String>> {
            Ok(Vec::new())
        }
        fn placed(&mut self, _: &[String]) -> Result<Vec<Placed>> {
            Ok(Vec::new())
        }
        fn members(&mut self, _: &[String], _: usize) -> Result<Vec<String>> {
            Ok(Vec::new())
        }
        fn story_ids_in_use(&mut self, ids: &[String]) -> Result<HashSet<String>> {
            Ok(ids
                .iter()
                .filter(|id| self.0.contains(*id))
                .cloned()
                .collect())
        }
    }

    /// Stored articles found under every key term of one new article, and which of them the
    /// engine asks to read.
    struct Postings {
        stored: Vec<(&'static str, Option<i32>)>,
        read: Vec<String>,
    }

    fn features(day: Option<i32>) -> StoryFeatures {
        StoryFeatures {
            terms: vec![(1, 3), (2, 2), (3, 1)],
            minhash: Vec::new(),
            day,
        }
    }

    impl StoryState for Postings {
        fn unplaced(&mut self, _: usize) -> Result<Vec<Placed>> {
            Ok(vec![Placed {
                input: StoryInput {
                    article: "new".into(),
                    published: None,
                    features: features(Some(20_000)),
                },
                story: "new".into(),
                duplicate_of: None,
                placed: false,
            }])
        }
        fn frequencies(&mut self, terms: &[u32]) -> Result<(u32, Vec<u32>)> {
            Ok((100, vec![5; terms.len()]))
        }
        // As a backend may, it returns postings outside the days asked for too.
        fn posted(&mut self, terms: &[u32], _: Option<(i32, i32)>) -> Result<Vec<Posting>> {
            let mut found = Vec::new();
            for &term in terms {
                for (article, day) in &self.stored {
                    found.push(Posting {
                        term,
                        article: article.to_string(),
                        day: *day,
                    });
                }
            }
            Ok(found)
        }
        fn banded(&mut self, _: &[u64], _: usize) -> Result<Vec<String>> {
            Ok(Vec::new())
        }
        fn placed(&mut self, articles: &[String]) -> Result<Vec<Placed>> {
            self.read.extend(articles.iter().cloned());
            Ok(self
                .stored
                .iter()
                .filter(|(id, _)| articles.iter().any(|wanted| wanted == id))
                .map(|(id, day)| Placed {
                    input: StoryInput {
                        article: id.to_string(),
                        published: None,
                        features: features(*day),
                    },
                    story: id.to_string(),
                    duplicate_of: None,
                    placed: true,
                })
                .collect())
        }
        fn members(&mut self, _: &[String], _: usize) -> Result<Vec<String>> {
            Ok(Vec::new())
        }
        fn story_ids_in_use(&mut self, ids: &[String]) -> Result<HashSet<String>> {
            Ok(ids
                .iter()
                .filter(|id| self.stored.iter().any(|(stored, _)| stored == id))
                .cloned()
                .collect())
        }
    }

    #[test]
    fn stored_articles_beyond_the_reach_are_never_read_as_candidates() {
        let config = StoryConfig::default();
        let reach = config.reach_days();
        let mut state = Postings {
            stored: vec![
                ("near", Some(20_000 - reach)),
                ("far", Some(20_000 + reach + 1)),
                ("undated", None),
            ],
            read: Vec::new(),
        };
        place(&mut state, &config).unwrap();
        assert!(state.read.iter().any(|id| id == "near"), "{:?}", state.read);
        assert!(
            state.read.iter().any(|id| id == "undated"),
            "{:?}",
            state.read
        );
        assert!(!state.read.iter().any(|id| id == "far"), "{:?}", state.read);
    }

    fn local(article: &str, day: &str, story: Option<&str>) -> Local {
        Local {
            input: StoryInput {
                article: article.to_string(),
                published: Some(format!("2024-05-{day}")),
                features: StoryFeatures::default(),
            },
            norm: 1.0,
            story: story.map(str::to_string),
        }
    }

    #[test]
    fn a_group_holding_most_of_two_stories_merges_them_into_the_larger() {
        let items = vec![
            local("a1", "01", Some("a1")),
            local("a2", "02", Some("a1")),
            local("b1", "01", Some("b1")),
            local("new", "03", None),
        ];
        let mut state = Ids(["a1", "b1"].iter().map(|s| s.to_string()).collect());
        let changes = settle(&mut state, &items, &[vec![0, 1, 2, 3]]).unwrap();
        assert_eq!(changes.merges, vec![("b1".to_string(), "a1".to_string())]);
        assert_eq!(
            changes.placements,
            vec![Placement {
                article: "new".into(),
                story: "a1".into(),
                duplicate_of: None
            }]
        );
        assert_eq!(changes.events[0].kind, EventKind::Merged);
    }

    #[test]
    fn articles_pulled_away_from_their_story_split_off_under_a_free_id() {
        let items = vec![
            local("a1", "01", Some("a1")),
            local("a2", "02", Some("a1")),
            local("a3", "03", Some("a1")),
            local("a4", "04", Some("a1")),
        ];
        let mut state = Ids(["a1"].iter().map(|s| s.to_string()).collect());
        let changes = settle(&mut state, &items, &[vec![0, 1, 2], vec![3]]).unwrap();
        assert!(changes.merges.is_empty());
        assert_eq!(
            changes.placements,
            vec![Placement {
                article: "a4".into(),
                story: "a4".into(),
                duplicate_of: None
            }]
        );
        assert_eq!(
            changes.events,
            vec![StoryEvent {
                kind: EventKind::Split,
                story: "a1".into(),
                other: "a4".into(),
                articles: 1
            }]
        );
    }

    #[test]
    fn a_split_whose_ids_are_all_taken_gets_an_id_of_its_own() {
        let items = vec![
            local("a1", "01", Some("a1")),
            local("a2", "02", Some("a1")),
            local("b1", "03", Some("a1")),
        ];
        // "b1" names a story elsewhere already.
        let mut state = Ids(["a1", "b1"].iter().map(|s| s.to_string()).collect());
        let changes = settle(&mut state, &items, &[vec![0, 1], vec![2]]).unwrap();
        let [placement] = changes.placements.as_slice() else {
            panic!("one placement: {:?}", changes.placements);
        };
        assert_eq!(placement.article, "b1");
        assert_eq!(placement.story.len(), 16);
        assert!(!["a1", "b1"].contains(&placement.story.as_str()));
        assert_eq!(changes.events[0].kind, EventKind::Split);
    }

    #[test]
    fn a_batch_reads_postings_within_the_reach_of_its_days_and_any_day_when_one_is_undated() {
        assert_eq!(
            days_within_reach([Some(100), Some(90)].into_iter(), 53),
            Some((37, 153))
        );
        assert_eq!(days_within_reach([Some(100), None].into_iter(), 53), None);
        assert_eq!(days_within_reach([Some(100)].into_iter(), i32::MAX), None);
        assert_eq!(
            days_within_reach([Some(i32::MAX - 1)].into_iter(), 53),
            Some((i32::MAX - 54, i32::MAX))
        );
    }

    #[test]
    fn only_stored_buckets_within_the_days_are_read_and_the_undated_one_when_it_holds_any() {
        let bucket = |day| posting_bucket(Some(day));
        // Stored: buckets 0 to 9. Days 100..=200 span buckets 3 to 6.
        assert_eq!(
            buckets_within(Some(0), Some(9), Some((100, 200)), false),
            (bucket(100)..=bucket(200)).collect::<Vec<_>>()
        );
        assert_eq!(
            buckets_within(Some(0), Some(9), None, true),
            (0..=9).chain([UNDATED_BUCKET]).collect::<Vec<_>>()
        );
        // Days past everything stored read nothing dated.
        assert_eq!(
            buckets_within(Some(0), Some(9), Some((1000, 1100)), true),
            vec![UNDATED_BUCKET]
        );
        assert!(buckets_within(None, None, Some((0, 10)), false).is_empty());
    }
}
