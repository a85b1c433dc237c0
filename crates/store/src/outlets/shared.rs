//! Speakers and own-voice words on the stories a source shares with other sources: what the
//! "whom it quotes" and "distinctive words" rankings compare, kept up to date as the story
//! engine moves articles between stories (placement, merges, splits).
//!
//! For every source X the store keeps, per speaker or word w,
//!
//! - `own(X, w)`: X's count of w over the stories X covered **with at least one other source**;
//! - `others(X, w)`: the other sources' count of w over the stories X covered,
//!
//! and the same two totals under the term `""`. Both are sums over stories, so a story's
//! *contribution* is a function of its sources' counts in it ([`StoryTerms`] per source, kept in
//! the store one compressed row per story and source). When articles move, [`plan_moves`] reads
//! the rows of the stories they left and joined, moves the articles' counts (a whole row at once
//! when a source's articles all move together, as in a merge or a placement out of a story of
//! one; otherwise each moved article is tallied again from its stored JSON), and adds each
//! changed story's new contribution minus its old one. The cost follows what moved, not the
//! corpus; a story whose articles did not move costs nothing.
//!
//! Sources, not outlets: the names file maps sources to outlets at read time, so an outlet with
//! two sources sums their rows (the other source's articles on a story both covered then count
//! among the "others" — one corpus rarely spells an outlet two ways in one story).
//!
//! This module plans; the backends read and write (`sqlite/outlets.rs`, `postgres/outlets.rs`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::tally::ArticleTally;

/// A source's speakers and own-voice words in one story (or in one article).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryTerms {
    /// Articles counted.
    #[serde(rename = "a")]
    pub articles: i64,
    /// Speaker key → (name as first written, quotes).
    #[serde(rename = "s")]
    pub speakers: BTreeMap<String, (String, i64)>,
    /// Word → own-voice occurrences.
    #[serde(rename = "w")]
    pub words: BTreeMap<String, i64>,
}

impl StoryTerms {
    /// One article's terms.
    pub fn of_article(tally: &ArticleTally) -> StoryTerms {
        StoryTerms {
            articles: 1,
            speakers: tally
                .speakers
                .iter()
                .map(|(key, name, n)| (key.clone(), (name.clone(), *n)))
                .collect(),
            words: tally.words.iter().cloned().collect(),
        }
    }

    /// Adds another's counts.
    pub fn add(&mut self, other: &StoryTerms) {
        self.articles += other.articles;
        for (key, (name, n)) in &other.speakers {
            self.speakers
                .entry(key.clone())
                .or_insert_with(|| (name.clone(), 0))
                .1 += n;
        }
        for (word, n) in &other.words {
            *self.words.entry(word.clone()).or_default() += n;
        }
    }

    /// Takes another's counts away (an article that left); counts that reach zero go.
    pub fn subtract(&mut self, other: &StoryTerms) {
        self.articles -= other.articles;
        for (key, (_, n)) in &other.speakers {
            if let Some(entry) = self.speakers.get_mut(key) {
                entry.1 -= n;
                if entry.1 <= 0 {
                    self.speakers.remove(key);
                }
            }
        }
        for (word, n) in &other.words {
            if let Some(count) = self.words.get_mut(word) {
                *count -= n;
                if *count <= 0 {
                    self.words.remove(word);
                }
            }
        }
    }

    /// The stored form: JSON, LZ4-compressed.
    pub fn encode(&self) -> Vec<u8> {
        let json = serde_json::to_vec(self).unwrap_or_default();
        crate::record::compress_json(&json)
    }

    /// Reads the stored form back.
    pub fn decode(bytes: &[u8]) -> Result<StoryTerms, String> {
        let json = crate::record::decompress_json(bytes)?;
        serde_json::from_str(&json).map_err(|error| error.to_string())
    }

    fn speaker_total(&self) -> i64 {
        self.speakers.values().map(|(_, n)| n).sum()
    }

    fn word_total(&self) -> i64 {
        self.words.values().sum()
    }
}

/// The `kind` column's word for speakers.
pub const SPEAKER: &str = "speaker";
/// The `kind` column's word for own-voice words.
pub const WORD: &str = "word";

/// A change to one source's row of the shared-story aggregates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedDelta {
    /// The speaker's name as written (the word itself for words; `""` for totals).
    pub name: String,
    /// Added to the source's own count.
    pub own: i64,
    /// Added to the other sources' count.
    pub others: i64,
}

/// An article whose story changed since its counts were last placed.
#[derive(Debug, Clone)]
pub struct Move {
    /// The article id.
    pub article: String,
    /// Its source key.
    pub source: String,
    /// The story its counts are under (`None`: not counted yet).
    pub old: Option<String>,
    /// The story it is in now.
    pub new: String,
    /// Its terms when the caller has them already (a backfill); else read when needed.
    pub terms: Option<StoryTerms>,
}

/// What a batch of moves changes in the store.
#[derive(Debug, Default)]
pub struct SharedPlan {
    /// (story, source) rows to write (`None`: delete the row).
    pub story_terms: BTreeMap<(String, String), Option<StoryTerms>>,
    /// (source, kind, term) → change, zero changes left out; in key order.
    pub deltas: BTreeMap<(String, &'static str, String), SharedDelta>,
    /// (article, story) the articles are counted under now.
    pub counted: Vec<(String, String)>,
}

/// Cuts moves (sorted by the story they join) into chunks of at least `size` moves, never
/// between two moves into one story: each story's new contribution is then worked out once,
/// however many articles join it (a first placement moves hundreds into one story).
pub fn chunk_by_story(moves: Vec<Move>, size: usize) -> Vec<Vec<Move>> {
    let mut chunks: Vec<Vec<Move>> = Vec::new();
    let mut current: Vec<Move> = Vec::new();
    for found in moves {
        let story_changes = current.last().is_some_and(|last| last.new != found.new);
        if current.len() >= size && story_changes {
            chunks.push(std::mem::take(&mut current));
        }
        current.push(found);
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// Plans a batch of moves.
///
/// `stored` holds the rows of every story a move leaves or joins, as the store has them;
/// `article_terms` tallies one article again from its stored JSON (only called for an article
/// leaving a story while others of its source stay, as in a split).
pub fn plan_moves<E>(
    moves: Vec<Move>,
    stored: Vec<(String, String, StoryTerms)>,
    article_terms: &mut dyn FnMut(&str) -> Result<StoryTerms, E>,
) -> Result<SharedPlan, E> {
    let mut before: BTreeMap<(String, String), StoryTerms> = BTreeMap::new();
    for (story, source, terms) in stored {
        before.insert((story, source), terms);
    }
    let mut after = before.clone();
    let mut plan = SharedPlan::default();
    // Moves out of one (story, source) row, by where they go.
    let mut groups: BTreeMap<(Option<String>, String), Vec<Move>> = BTreeMap::new();
    for found in moves {
        plan.counted
            .push((found.article.clone(), found.new.clone()));
        if found.source.is_empty() {
            continue;
        }
        groups
            .entry((found.old.clone(), found.source.clone()))
            .or_default()
            .push(found);
    }
    for ((old, source), group) in groups {
        let whole_row = old.as_ref().and_then(|old| {
            let row = before.get(&(old.clone(), source.clone()))?;
            let one_destination = group.iter().all(|found| found.new == group[0].new);
            (one_destination && row.articles == group.len() as i64).then(|| row.clone())
        });
        if let (Some(old), Some(row)) = (&old, whole_row) {
            after.remove(&(old.clone(), source.clone()));
            after
                .entry((group[0].new.clone(), source.clone()))
                .or_default()
                .add(&row);
            continue;
        }
        for found in group {
            let terms = match found.terms {
                Some(terms) => terms,
                None => article_terms(&found.article)?,
            };
            if let Some(old) = &found.old {
                if let Some(row) = after.get_mut(&(old.clone(), source.clone())) {
                    row.subtract(&terms);
                    if row.articles <= 0 {
                        after.remove(&(old.clone(), source.clone()));
                    }
                }
            }
            after
                .entry((found.new.clone(), source.clone()))
                .or_default()
                .add(&terms);
        }
    }

    let stories: BTreeSet<&String> = before.keys().chain(after.keys()).map(|(s, _)| s).collect();
    let mut deltas: HashMap<(String, &'static str, String), SharedDelta> = HashMap::new();
    for story in stories {
        let of_story =
            |rows: &BTreeMap<(String, String), StoryTerms>| -> Vec<(String, StoryTerms)> {
                rows.range((story.clone(), String::new())..)
                    .take_while(|((row_story, _), _)| row_story == story)
                    .map(|((_, source), terms)| (source.clone(), terms.clone()))
                    .collect()
            };
        let old_rows = of_story(&before);
        let new_rows = of_story(&after);
        if old_rows == new_rows {
            continue;
        }
        contribute(&mut deltas, &old_rows, -1);
        contribute(&mut deltas, &new_rows, 1);
    }
    plan.deltas = deltas
        .into_iter()
        .filter(|(_, delta)| delta.own != 0 || delta.others != 0)
        .collect();
    for (key, terms) in &after {
        if before.get(key) != Some(terms) {
            plan.story_terms.insert(key.clone(), Some(terms.clone()));
        }
    }
    for key in before.keys() {
        if !after.contains_key(key) {
            plan.story_terms.insert(key.clone(), None);
        }
    }
    Ok(plan)
}

/// Adds `sign` × what one story with these sources' rows gives each source: its own counts
/// (when another source covered the story too) and the others' counts.
fn contribute(
    deltas: &mut HashMap<(String, &'static str, String), SharedDelta>,
    rows: &[(String, StoryTerms)],
    sign: i64,
) {
    if rows.len() < 2 {
        return;
    }
    let mut story = StoryTerms::default();
    for (_, terms) in rows {
        story.add(terms);
    }
    let (story_speakers, story_words) = (story.speaker_total(), story.word_total());
    for (source, terms) in rows {
        let mut add = |kind: &'static str, term: &str, name: &str, own: i64, all: i64| {
            let delta = deltas
                .entry((source.clone(), kind, term.to_string()))
                .or_insert_with(|| SharedDelta {
                    name: name.to_string(),
                    ..SharedDelta::default()
                });
            delta.own += sign * own;
            delta.others += sign * (all - own);
        };
        for (key, (name, all)) in &story.speakers {
            let own = terms.speakers.get(key).map_or(0, |(_, n)| *n);
            add(SPEAKER, key, name, own, *all);
        }
        add(SPEAKER, "", "", terms.speaker_total(), story_speakers);
        for (word, all) in &story.words {
            let own = terms.words.get(word).copied().unwrap_or(0);
            add(WORD, word, word, own, *all);
        }
        add(WORD, "", "", terms.word_total(), story_words);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(speakers: &[(&str, i64)], words: &[(&str, i64)]) -> StoryTerms {
        StoryTerms {
            articles: 1,
            speakers: speakers
                .iter()
                .map(|(key, n)| (key.to_string(), (key.to_string(), *n)))
                .collect(),
            words: words.iter().map(|(w, n)| (w.to_string(), *n)).collect(),
        }
    }

    fn moved(article: &str, source: &str, old: Option<&str>, new: &str, t: StoryTerms) -> Move {
        Move {
            article: article.into(),
            source: source.into(),
            old: old.map(str::to_string),
            new: new.into(),
            terms: Some(t),
        }
    }

    fn no_reads(article: &str) -> Result<StoryTerms, String> {
        Err(format!("{article} read"))
    }

    /// Applies a plan's deltas to running totals, as the store's upserts do.
    fn apply(totals: &mut BTreeMap<(String, &'static str, String), (i64, i64)>, plan: &SharedPlan) {
        for (key, delta) in &plan.deltas {
            let entry = totals.entry(key.clone()).or_default();
            entry.0 += delta.own;
            entry.1 += delta.others;
        }
        totals.retain(|_, (own, others)| *own != 0 || *others != 0);
    }

    fn stored(plan: &SharedPlan, rows: &mut Vec<(String, String, StoryTerms)>) {
        for ((story, source), terms) in &plan.story_terms {
            rows.retain(|(s, src, _)| !(s == story && src == source));
            if let Some(terms) = terms {
                rows.push((story.clone(), source.clone(), terms.clone()));
            }
        }
    }

    #[test]
    fn a_story_of_one_source_gives_nothing_and_a_second_source_brings_both_sides() {
        let first = terms(&[("jane roe", 2)], &[("storm", 3)]);
        let plan = plan_moves(
            vec![moved("a1", "gazette", None, "s1", first.clone())],
            vec![],
            &mut no_reads,
        )
        .unwrap();
        assert!(plan.deltas.is_empty());
        let mut rows = Vec::new();
        stored(&plan, &mut rows);
        let second = terms(&[("john doe", 1)], &[("storm", 1), ("flood", 2)]);
        let plan = plan_moves(
            vec![moved("a2", "herald", Some("a2"), "s1", second.clone())],
            rows.clone(),
            &mut no_reads,
        )
        .unwrap();
        let mut totals = BTreeMap::new();
        apply(&mut totals, &plan);
        let get = |source: &str, kind, term: &str| {
            totals
                .get(&(source.to_string(), kind, term.to_string()))
                .copied()
        };
        assert_eq!(get("gazette", SPEAKER, "jane roe"), Some((2, 0)));
        assert_eq!(get("gazette", SPEAKER, "john doe"), Some((0, 1)));
        assert_eq!(get("herald", SPEAKER, "jane roe"), Some((0, 2)));
        assert_eq!(get("herald", WORD, "storm"), Some((1, 3)));
        assert_eq!(get("gazette", WORD, ""), Some((3, 3)));
        assert_eq!(get("herald", SPEAKER, ""), Some((1, 2)));
    }

    #[test]
    fn a_split_reads_the_leaving_article_and_undoes_exactly_what_it_brought() {
        let a = terms(&[("jane roe", 1)], &[("storm", 2)]);
        let b = terms(&[("john doe", 1)], &[("storm", 1)]);
        let c = terms(&[("jane roe", 1)], &[("flood", 1)]);
        // a and c (gazette) and b (herald) in s1.
        let plan = plan_moves(
            vec![
                moved("a", "gazette", None, "s1", a.clone()),
                moved("b", "herald", None, "s1", b.clone()),
                moved("c", "gazette", None, "s1", c.clone()),
            ],
            vec![],
            &mut no_reads,
        )
        .unwrap();
        let mut totals = BTreeMap::new();
        apply(&mut totals, &plan);
        let mut rows = Vec::new();
        stored(&plan, &mut rows);
        assert_eq!(
            totals.get(&("herald".to_string(), SPEAKER, "jane roe".to_string())),
            Some(&(0, 2))
        );
        // c splits off into s2: its counts are read again (a stays).
        let mut reads = Vec::new();
        let mut read = |article: &str| -> Result<StoryTerms, String> {
            reads.push(article.to_string());
            Ok(c.clone())
        };
        let plan = plan_moves(
            vec![Move {
                article: "c".into(),
                source: "gazette".into(),
                old: Some("s1".into()),
                new: "s2".into(),
                terms: None,
            }],
            rows.clone(),
            &mut read,
        )
        .unwrap();
        assert_eq!(reads, ["c"]);
        apply(&mut totals, &plan);
        // As if only a and b had ever been together.
        let only_ab = plan_moves(
            vec![
                moved("a", "gazette", None, "t", a),
                moved("b", "herald", None, "t", b),
            ],
            vec![],
            &mut no_reads,
        )
        .unwrap();
        let mut expected = BTreeMap::new();
        apply(&mut expected, &only_ab);
        assert_eq!(totals, expected);
    }

    #[test]
    fn a_merge_moves_whole_rows_without_reading_articles() {
        let a = terms(&[("jane roe", 1)], &[("storm", 2)]);
        let b = terms(&[("john doe", 1)], &[("flood", 1)]);
        let rows = vec![
            ("s1".to_string(), "gazette".to_string(), a.clone()),
            ("s2".to_string(), "herald".to_string(), b.clone()),
        ];
        let plan = plan_moves(
            vec![Move {
                article: "b".into(),
                source: "herald".into(),
                old: Some("s2".into()),
                new: "s1".into(),
                terms: None,
            }],
            rows,
            &mut no_reads,
        )
        .unwrap();
        assert_eq!(
            plan.story_terms.get(&("s2".into(), "herald".into())),
            Some(&None)
        );
        assert_eq!(
            plan.deltas
                .get(&("gazette".to_string(), WORD, "flood".to_string()))
                .map(|delta| (delta.own, delta.others)),
            Some((0, 1))
        );
    }

    #[test]
    fn stored_terms_read_back() {
        let a = terms(&[("jane roe", 1)], &[("storm", 2)]);
        assert_eq!(StoryTerms::decode(&a.encode()), Ok(a));
        assert!(StoryTerms::decode(b"\x05").is_err());
    }
}
