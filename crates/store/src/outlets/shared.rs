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

use std::collections::{BTreeMap, BTreeSet};

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
        self.add_signed(other, 1);
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

/// Moves planned together, about this many articles: a rebuild moves every article, and each
/// chunk holds the rows of the stories its moves touch.
pub const MOVES_CHUNK: usize = 2000;

/// The query both backends run for the articles whose story is not the one their counts are
/// under, among the stories `filter` selects (`IN (…)` or `= ANY($1)`): `(article, source,
/// counted story, story)`, by the story they joined.
pub fn moved_articles_sql(filter: &str) -> String {
    format!(
        "SELECT c.article, a.outlet_source, c.story, a.story
         FROM outlet_counted c JOIN articles a ON a.id = c.article
         WHERE a.story {filter} AND c.story != a.story
         UNION
         SELECT c.article, a.outlet_source, c.story, a.story
         FROM outlet_counted c JOIN articles a ON a.id = c.article
         WHERE c.story {filter} AND c.story != a.story
         ORDER BY 4, 1"
    )
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

/// A stored row of `outlet_story_terms` that does not decode.
#[derive(Debug)]
pub struct CorruptRow {
    /// The row's story.
    pub story: String,
    /// The row's source.
    pub source: String,
    /// What the decoder said.
    pub message: String,
}

/// The stored rows of the stories a chunk of moves touches, as the store has them (compressed),
/// decoded only when the plan needs one: a source that stays in a shared story needs none of
/// the other sources' rows, so a large story costs the rows that changed, not all of them.
struct StoredRows {
    raw: BTreeMap<(String, String), Vec<u8>>,
    decoded: BTreeMap<(String, String), StoryTerms>,
}

impl StoredRows {
    fn new(stored: Vec<(String, String, Vec<u8>)>) -> StoredRows {
        StoredRows {
            raw: stored
                .into_iter()
                .map(|(story, source, bytes)| ((story, source), bytes))
                .collect(),
            decoded: BTreeMap::new(),
        }
    }

    fn contains(&self, key: &(String, String)) -> bool {
        self.raw.contains_key(key)
    }

    /// Decodes one row (if stored) so that [`StoredRows::get`] finds it.
    fn load(&mut self, key: &(String, String)) -> Result<(), CorruptRow> {
        if self.decoded.contains_key(key) {
            return Ok(());
        }
        if let Some(bytes) = self.raw.get(key) {
            let terms = StoryTerms::decode(bytes).map_err(|message| CorruptRow {
                story: key.0.clone(),
                source: key.1.clone(),
                message,
            })?;
            self.decoded.insert(key.clone(), terms);
        }
        Ok(())
    }

    /// Decodes every row of one story.
    fn load_story(&mut self, story: &String) -> Result<(), CorruptRow> {
        let keys: Vec<(String, String)> = of_story(&self.raw, story)
            .map(|(source, _)| (story.clone(), source.clone()))
            .collect();
        for key in &keys {
            self.load(key)?;
        }
        Ok(())
    }

    /// A row [`StoredRows::load`]ed before.
    fn get(&self, key: &(String, String)) -> Option<&StoryTerms> {
        self.decoded.get(key)
    }

    /// The sources with a stored row in one story.
    fn sources_of<'a>(&'a self, story: &'a String) -> impl Iterator<Item = &'a String> + 'a {
        of_story(&self.raw, story).map(|(source, _)| source)
    }
}

/// Plans a batch of moves.
///
/// `stored` holds the rows of every story a move leaves or joins, as the store has them
/// (compressed; decoded here only where needed); `article_terms` tallies one article again from
/// its stored JSON (only called for an article leaving a story while others of its source stay,
/// as in a split).
///
/// The work follows what moved, not the stories' size: each (story, source) row gathers the
/// signed counts that moved in and out of it, and in a story shared before and after, a source
/// that stays changes by those counts only (its own by its row's change, its others' by every
/// other row's change), so only the changed rows are decoded. Only a source that joins or leaves
/// such a story is counted whole, and a story that becomes shared or stops being shared is counted
/// whole before and after: those stories' rows are all decoded.
pub fn plan_moves<E: From<CorruptRow>>(
    moves: Vec<Move>,
    stored: Vec<(String, String, Vec<u8>)>,
    article_terms: &mut dyn FnMut(&str) -> Result<StoryTerms, E>,
) -> Result<SharedPlan, E> {
    let mut before = StoredRows::new(stored);
    let mut plan = SharedPlan::default();
    // Per (story, source) row, the signed counts that moved in and out.
    let mut changes: BTreeMap<(String, String), StoryTerms> = BTreeMap::new();
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
        let whole_row = match &old {
            Some(old) => {
                let key = (old.clone(), source.clone());
                before.load(&key)?;
                let one_destination = group.iter().all(|found| found.new == group[0].new);
                before
                    .get(&key)
                    .filter(|row| one_destination && row.articles == group.len() as i64)
            }
            None => None,
        };
        if let (Some(old), Some(row)) = (&old, whole_row) {
            change_of(&mut changes, old, &source).add_signed(row, -1);
            change_of(&mut changes, &group[0].new, &source).add_signed(row, 1);
            continue;
        }
        for found in group {
            let terms = match found.terms {
                Some(terms) => terms,
                None => article_terms(&found.article)?,
            };
            if let Some(old) = &found.old {
                if before.contains(&(old.clone(), source.clone())) {
                    change_of(&mut changes, old, &source).add_signed(&terms, -1);
                }
            }
            change_of(&mut changes, &found.new, &source).add_signed(&terms, 1);
        }
    }

    // Every changed row as it will be (`None`: no article left, the row goes).
    let mut after: BTreeMap<(String, String), Option<StoryTerms>> = BTreeMap::new();
    for (key, change) in &changes {
        before.load(key)?;
        let old_row = before.get(key);
        let new_row = applied(old_row, change);
        if old_row != new_row.as_ref() {
            after.insert(key.clone(), new_row);
        }
    }

    let mut deltas = Deltas::default();
    let stories: BTreeSet<&String> = after.keys().map(|(story, _)| story).collect();
    let empty = StoryTerms::default();
    for story in stories {
        let (shared_both, joins_or_leaves) = {
            let old_sources: BTreeSet<&String> = before.sources_of(story).collect();
            let new_sources = sources_after(&old_sources, &after, story);
            (
                old_sources.len() >= 2 && new_sources.len() >= 2,
                old_sources != new_sources,
            )
        };
        if !shared_both || joins_or_leaves {
            before.load_story(story)?;
        }
        let old_sources: BTreeSet<&String> = before.sources_of(story).collect();
        let new_sources = sources_after(&old_sources, &after, story);
        let old_rows = || -> BTreeMap<&String, &StoryTerms> {
            old_sources
                .iter()
                .filter_map(|source| {
                    let row = before.get(&(story.clone(), (*source).clone()))?;
                    Some((*source, row))
                })
                .collect()
        };
        let new_rows = || -> BTreeMap<&String, &StoryTerms> {
            let mut rows = old_rows();
            for (source, row) in of_story(&after, story) {
                match row {
                    Some(row) => rows.insert(source, row),
                    None => rows.remove(source),
                };
            }
            rows
        };
        if !shared_both {
            contribute(&mut deltas, &old_rows(), -1);
            contribute(&mut deltas, &new_rows(), 1);
            continue;
        }
        let mut story_change = StoryTerms::default();
        for (_, change) in of_story(&changes, story) {
            story_change.add_signed(change, 1);
        }
        // A whole story's counts only where a source leaves or joins it.
        if joins_or_leaves {
            let (old_rows, new_rows) = (old_rows(), new_rows());
            for (rows, other, sign) in [(&old_rows, &new_rows, -1), (&new_rows, &old_rows, 1)] {
                let mut total = None;
                for (source, row) in rows {
                    if !other.contains_key(source) {
                        let total = total.get_or_insert_with(|| sum(rows));
                        contribute_source(&mut deltas, source, row, total, sign);
                    }
                }
            }
        }
        for source in new_sources.intersection(&old_sources) {
            let change = changes
                .get(&(story.clone(), (*source).clone()))
                .unwrap_or(&empty);
            contribute_source(&mut deltas, source, change, &story_change, 1);
        }
    }
    plan.deltas = deltas.into_changes();
    plan.story_terms = after;
    Ok(plan)
}

impl StoryTerms {
    /// Adds `sign` × another's counts, keeping counts that reach zero out (a row's change may
    /// hold negative counts).
    /// (A key already present is found by reference: no `String` is built for it.)
    fn add_signed(&mut self, other: &StoryTerms, sign: i64) {
        self.articles += sign * other.articles;
        for (key, (name, n)) in &other.speakers {
            match self.speakers.get_mut(key) {
                Some(entry) => {
                    entry.1 += sign * n;
                    if entry.1 == 0 {
                        self.speakers.remove(key);
                    }
                }
                None if *n != 0 => {
                    self.speakers.insert(key.clone(), (name.clone(), sign * n));
                }
                None => {}
            }
        }
        for (word, n) in &other.words {
            match self.words.get_mut(word) {
                Some(count) => {
                    *count += sign * n;
                    if *count == 0 {
                        self.words.remove(word);
                    }
                }
                None if *n != 0 => {
                    self.words.insert(word.clone(), sign * n);
                }
                None => {}
            }
        }
    }
}

/// The sources of a story once its changed rows are written.
fn sources_after<'a>(
    before: &BTreeSet<&'a String>,
    after: &'a BTreeMap<(String, String), Option<StoryTerms>>,
    story: &'a String,
) -> BTreeSet<&'a String> {
    let mut sources = before.clone();
    for (source, row) in of_story(after, story) {
        match row {
            Some(_) => sources.insert(source),
            None => sources.remove(source),
        };
    }
    sources
}

/// A row once a change is made: `None` when no article is left; counts that reach zero go.
fn applied(row: Option<&StoryTerms>, change: &StoryTerms) -> Option<StoryTerms> {
    let mut row = row.cloned().unwrap_or_default();
    row.add_signed(change, 1);
    if row.articles <= 0 {
        return None;
    }
    row.speakers.retain(|_, (_, n)| *n > 0);
    row.words.retain(|_, n| *n > 0);
    Some(row)
}

fn change_of<'a>(
    changes: &'a mut BTreeMap<(String, String), StoryTerms>,
    story: &str,
    source: &str,
) -> &'a mut StoryTerms {
    changes
        .entry((story.to_string(), source.to_string()))
        .or_default()
}

/// The rows of one story, by source.
fn of_story<'a, T>(
    rows: &'a BTreeMap<(String, String), T>,
    story: &'a String,
) -> impl Iterator<Item = (&'a String, &'a T)> + 'a {
    rows.range((story.clone(), String::new())..)
        .take_while(move |((row_story, _), _)| row_story == story)
        .map(|((_, source), row)| (source, row))
}

/// A story's counts, every source together.
fn sum(rows: &BTreeMap<&String, &StoryTerms>) -> StoryTerms {
    let mut story = StoryTerms::default();
    for terms in rows.values() {
        story.add(terms);
    }
    story
}

/// Changes to the aggregates being gathered: kind → source → term → change. Looked up by
/// borrowed keys, so a term already seen costs no allocation (a placement adds each of its words
/// to every source of the story).
#[derive(Default)]
struct Deltas {
    by_kind: foldhash::HashMap<
        &'static str,
        foldhash::HashMap<String, foldhash::HashMap<String, SharedDelta>>,
    >,
}

impl Deltas {
    fn add(
        &mut self,
        source: &str,
        kind: &'static str,
        term: &str,
        name: &str,
        own: i64,
        others: i64,
    ) {
        let sources = self.by_kind.entry(kind).or_default();
        let terms = match sources.get_mut(source) {
            Some(terms) => terms,
            None => sources.entry(source.to_string()).or_default(),
        };
        let delta = match terms.get_mut(term) {
            Some(delta) => delta,
            None => terms
                .entry(term.to_string())
                .or_insert_with(|| SharedDelta {
                    name: name.to_string(),
                    ..SharedDelta::default()
                }),
        };
        delta.own += own;
        delta.others += others;
    }

    /// The changes in key order, those that came to nothing left out.
    fn into_changes(self) -> BTreeMap<(String, &'static str, String), SharedDelta> {
        let mut changes = Vec::new();
        for (kind, sources) in self.by_kind {
            for (source, terms) in sources {
                for (term, delta) in terms {
                    if delta.own != 0 || delta.others != 0 {
                        changes.push(((source.clone(), kind, term), delta));
                    }
                }
            }
        }
        // Built from a list (sorted once, then laid out in one pass), not insert by insert.
        changes.into_iter().collect()
    }
}

/// Adds `sign` × what one story with these sources' rows gives each source: its own counts
/// (when another source covered the story too) and the others' counts.
fn contribute(deltas: &mut Deltas, rows: &BTreeMap<&String, &StoryTerms>, sign: i64) {
    if rows.len() < 2 {
        return;
    }
    let story = sum(rows);
    for (source, terms) in rows {
        contribute_source(deltas, source, terms, &story, sign);
    }
}

/// Adds `sign` × one source's share of a shared story: its own counts `own`, and the others'
/// counts, `story − own`. Works as well on changes (signed counts) as on whole rows.
fn contribute_source(
    deltas: &mut Deltas,
    source: &str,
    own: &StoryTerms,
    story: &StoryTerms,
    sign: i64,
) {
    let mut add = |kind: &'static str, term: &str, name: &str, own: i64, all: i64| {
        deltas.add(source, kind, term, name, sign * own, sign * (all - own));
    };
    for (key, (name, all)) in &story.speakers {
        let mine = own.speakers.get(key).map_or(0, |(_, n)| *n);
        add(SPEAKER, key, name, mine, *all);
    }
    for (key, (name, mine)) in &own.speakers {
        if !story.speakers.contains_key(key) {
            add(SPEAKER, key, name, *mine, 0);
        }
    }
    add(SPEAKER, "", "", own.speaker_total(), story.speaker_total());
    for (word, all) in &story.words {
        let mine = own.words.get(word).copied().unwrap_or(0);
        add(WORD, word, word, mine, *all);
    }
    for (word, mine) in &own.words {
        if !story.words.contains_key(word) {
            add(WORD, word, word, *mine, 0);
        }
    }
    add(WORD, "", "", own.word_total(), story.word_total());
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

    impl From<CorruptRow> for String {
        fn from(row: CorruptRow) -> String {
            format!("{} {}: {}", row.story, row.source, row.message)
        }
    }

    /// [`plan_moves`] over rows given decoded, stored as the backends store them.
    fn plan_with(
        moves: Vec<Move>,
        rows: Vec<(String, String, StoryTerms)>,
        read: &mut dyn FnMut(&str) -> Result<StoryTerms, String>,
    ) -> Result<SharedPlan, String> {
        let stored = rows
            .into_iter()
            .map(|(story, source, terms)| (story, source, terms.encode()))
            .collect();
        plan_moves(moves, stored, read)
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
        let plan = plan_with(
            vec![moved("a1", "gazette", None, "s1", first.clone())],
            vec![],
            &mut no_reads,
        )
        .unwrap();
        assert!(plan.deltas.is_empty());
        let mut rows = Vec::new();
        stored(&plan, &mut rows);
        let second = terms(&[("john doe", 1)], &[("storm", 1), ("flood", 2)]);
        let plan = plan_with(
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
        let plan = plan_with(
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
        let plan = plan_with(
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
        let only_ab = plan_with(
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
        let plan = plan_with(
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

    /// A small deterministic generator for the randomised test below.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Every story's contribution counted whole, before and after: what the rows' changes must
    /// add up to.
    fn counted_whole(
        before: &BTreeMap<(String, String), StoryTerms>,
        after: &BTreeMap<(String, String), StoryTerms>,
    ) -> BTreeMap<(String, &'static str, String), (i64, i64)> {
        let mut deltas = Deltas::default();
        for (rows, sign) in [(before, -1), (after, 1)] {
            let stories: BTreeSet<&String> = rows.keys().map(|(story, _)| story).collect();
            for story in stories {
                contribute(&mut deltas, &of_story(rows, story).collect(), sign);
            }
        }
        deltas
            .into_changes()
            .into_iter()
            .map(|(key, delta)| (key, (delta.own, delta.others)))
            .collect()
    }

    fn rows_from(
        articles: &[(String, String, String, StoryTerms)],
    ) -> BTreeMap<(String, String), StoryTerms> {
        let mut rows: BTreeMap<(String, String), StoryTerms> = BTreeMap::new();
        for (_, source, story, terms) in articles {
            rows.entry((story.clone(), source.clone()))
                .or_default()
                .add(terms);
        }
        rows
    }

    #[test]
    fn moves_change_the_aggregates_as_counting_every_story_again_would() {
        let mut random = XorShift(0x9e37_79b9_7f4a_7c15);
        let vocabulary = ["storm", "flood", "vote", "court", "fire", "rail"];
        let speakers = ["jane roe", "john doe", "ann lee"];
        for round in 0..200 {
            let n_sources = 1 + random.below(4);
            let n_stories = 1 + random.below(5);
            let mut articles: Vec<(String, String, String, StoryTerms)> = (0..2 + random.below(10))
                .map(|idx| {
                    let mut t = StoryTerms {
                        articles: 1,
                        ..StoryTerms::default()
                    };
                    for _ in 0..random.below(4) {
                        let key = speakers[random.below(speakers.len())];
                        t.speakers
                            .entry(key.to_string())
                            .or_insert((key.to_string(), 0))
                            .1 += 1;
                    }
                    for _ in 0..random.below(6) {
                        *t.words
                            .entry(vocabulary[random.below(vocabulary.len())].to_string())
                            .or_default() += 1;
                    }
                    (
                        format!("a{idx}"),
                        format!("src{}", random.below(n_sources)),
                        format!("s{}", random.below(n_stories)),
                        t,
                    )
                })
                .collect();
            let before = rows_from(&articles);
            // Either a few articles move one by one, or a whole story merges into another.
            let mut moves = Vec::new();
            if round % 3 == 0 {
                let (from, into) = (
                    format!("s{}", random.below(n_stories)),
                    format!("s{}", n_stories),
                );
                for article in articles.iter_mut().filter(|a| a.2 == from) {
                    moves.push(Move {
                        article: article.0.clone(),
                        source: article.1.clone(),
                        old: Some(from.clone()),
                        new: into.clone(),
                        terms: None,
                    });
                    article.2 = into.clone();
                }
            } else {
                for article in articles.iter_mut() {
                    if random.below(3) == 0 {
                        let new = format!("s{}", random.below(n_stories + 1));
                        moves.push(Move {
                            article: article.0.clone(),
                            source: article.1.clone(),
                            old: Some(article.2.clone()),
                            new: new.clone(),
                            terms: (random.below(2) == 0).then(|| article.3.clone()),
                        });
                        article.2 = new;
                    }
                }
            }
            moves.sort_by(|a, b| a.new.cmp(&b.new));
            let all = articles.clone();
            let mut read = |id: &str| -> Result<StoryTerms, String> {
                Ok(all.iter().find(|a| a.0 == id).unwrap().3.clone())
            };
            let stored_rows = before
                .iter()
                .map(|((story, source), t)| (story.clone(), source.clone(), t.clone()))
                .collect();
            let plan = plan_with(moves, stored_rows, &mut read).unwrap();
            let after = rows_from(&articles);
            let mut written = before.clone();
            for (key, row) in &plan.story_terms {
                match row {
                    Some(row) => written.insert(key.clone(), row.clone()),
                    None => written.remove(key),
                };
            }
            assert_eq!(written, after, "rows, round {round}");
            let planned: BTreeMap<_, _> = plan
                .deltas
                .iter()
                .map(|(key, delta)| (key.clone(), (delta.own, delta.others)))
                .collect();
            assert_eq!(
                planned,
                counted_whole(&before, &after),
                "deltas, round {round}"
            );
        }
    }

    #[test]
    fn stored_terms_read_back() {
        let a = terms(&[("jane roe", 1)], &[("storm", 2)]);
        assert_eq!(StoryTerms::decode(&a.encode()), Ok(a));
        assert!(StoryTerms::decode(b"\x05").is_err());
    }
}
