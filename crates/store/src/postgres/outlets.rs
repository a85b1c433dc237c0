//! The outlet aggregates in PostgreSQL: SQLite's `sqlite/outlets.rs` statement for statement,
//! each table's rows of a batch upserted as one `unnest` statement in key order (so two writers
//! holding the shared story lock lock the same rows in the same order and never deadlock).
//! This module does not compute profiles (`outlets/profile.rs` does).

use ::postgres::{GenericClient, Transaction};

use super::Failure;
use crate::outlets::shared::{
    chunk_by_story, moved_articles_sql, plan_moves, CorruptRow, Move, SharedPlan, StoryTerms,
    MOVES_CHUNK,
};
use crate::outlets::{
    tally, ArticleTally, BatchTally, Coverage, SharedTerm, SourceWeek, TermCount, TermKind,
    WeekCounts, WeekRow,
};
use crate::record::decompress_json;

/// Articles whose aggregates one backfill transaction adds.
const BACKFILL_CHUNK: i64 = 1000;

/// Adds a batch's sums to the aggregate tables.
pub(super) fn write_tally(
    transaction: &mut Transaction<'_>,
    batch: &BatchTally,
) -> Result<(), ::postgres::Error> {
    if batch.is_empty() {
        return Ok(());
    }
    let (sources, written): (Vec<&str>, Vec<&str>) = batch
        .sources
        .iter()
        .map(|(source, written)| (source.as_str(), written.as_str()))
        .unzip();
    transaction.execute(
        "INSERT INTO outlet_sources (source, written)
         SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
        &[&sources, &written],
    )?;
    let mut columns: [Vec<i64>; 12] = Default::default();
    let mut week_sources = Vec::new();
    let mut weeks = Vec::new();
    let mut tone_sums = Vec::new();
    let mut firsts = Vec::new();
    let mut lasts = Vec::new();
    for ((source, week), row) in &batch.weeks {
        let counts = &row.counts;
        week_sources.push(source.as_str());
        weeks.push(week.as_str());
        tone_sums.push(counts.tone_sum);
        firsts.push(row.first.as_deref());
        lasts.push(row.last.as_deref());
        for (column, value) in columns.iter_mut().zip([
            counts.articles,
            counts.quotes,
            counts.own_words,
            counts.loaded,
            counts.tone_articles,
            counts.verbs,
            counts.non_neutral_verbs,
            counts.women,
            counts.men,
            counts.unknown_gender,
            counts.speaker_quotes,
            counts.content_words,
        ]) {
            column.push(value);
        }
    }
    let [articles, quotes, own_words, loaded, tone_articles, verbs, non_neutral, women, men, unknown, speaker_quotes, content_words] =
        &columns;
    transaction.execute(
        "INSERT INTO outlet_weeks (source, week, articles, quotes, own_words, loaded, tone_sum,
             tone_articles, verbs, non_neutral_verbs, women, men, unknown_gender, speaker_quotes,
             content_words, first, last)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[],
             $6::bigint[], $7::float8[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[],
             $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::text[], $17::text[])
         ON CONFLICT (source, week) DO UPDATE SET
             articles = outlet_weeks.articles + excluded.articles,
             quotes = outlet_weeks.quotes + excluded.quotes,
             own_words = outlet_weeks.own_words + excluded.own_words,
             loaded = outlet_weeks.loaded + excluded.loaded,
             tone_sum = outlet_weeks.tone_sum + excluded.tone_sum,
             tone_articles = outlet_weeks.tone_articles + excluded.tone_articles,
             verbs = outlet_weeks.verbs + excluded.verbs,
             non_neutral_verbs = outlet_weeks.non_neutral_verbs + excluded.non_neutral_verbs,
             women = outlet_weeks.women + excluded.women,
             men = outlet_weeks.men + excluded.men,
             unknown_gender = outlet_weeks.unknown_gender + excluded.unknown_gender,
             speaker_quotes = outlet_weeks.speaker_quotes + excluded.speaker_quotes,
             content_words = outlet_weeks.content_words + excluded.content_words,
             first = CASE WHEN outlet_weeks.first IS NULL OR excluded.first < outlet_weeks.first
                          THEN excluded.first ELSE outlet_weeks.first END,
             last = CASE WHEN outlet_weeks.last IS NULL OR excluded.last > outlet_weeks.last
                         THEN excluded.last ELSE outlet_weeks.last END",
        &[
            &week_sources,
            &weeks,
            articles,
            quotes,
            own_words,
            loaded,
            &tone_sums,
            tone_articles,
            verbs,
            non_neutral,
            women,
            men,
            unknown,
            speaker_quotes,
            content_words,
            &firsts,
            &lasts,
        ],
    )?;
    write_speakers(transaction, batch)
}

/// Adds a batch's quotes per speaker.
fn write_speakers(
    transaction: &mut Transaction<'_>,
    batch: &BatchTally,
) -> Result<(), ::postgres::Error> {
    if !batch.speakers.is_empty() {
        let mut sources = Vec::new();
        let mut keys = Vec::new();
        let mut names = Vec::new();
        let mut counts = Vec::new();
        for ((source, key), (name, count)) in &batch.speakers {
            sources.push(source.as_str());
            keys.push(key.as_str());
            names.push(name.as_str());
            counts.push(*count);
        }
        transaction.execute(
            "INSERT INTO outlet_speakers (source, speaker, name, quotes)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
             ON CONFLICT (source, speaker) DO UPDATE SET
                 quotes = outlet_speakers.quotes + excluded.quotes",
            &[&sources, &keys, &names, &counts],
        )?;
    }
    Ok(())
}

/// Records a new article's story of one as covered by its source.
pub(super) fn add_story_of_one(
    transaction: &mut Transaction<'_>,
    story: &str,
    article: &ArticleTally,
) -> Result<(), ::postgres::Error> {
    transaction.execute(
        "INSERT INTO outlet_counted (article, story) VALUES ($1, $1)
         ON CONFLICT (article) DO UPDATE SET story = excluded.story",
        &[&story],
    )?;
    if article.source.is_empty() {
        return Ok(());
    }
    transaction.execute(
        "INSERT INTO outlet_story_terms (story, source, terms) VALUES ($1, $2, $3)
         ON CONFLICT (story, source) DO UPDATE SET terms = excluded.terms",
        &[
            &story,
            &article.source,
            &StoryTerms::of_article(article).encode(),
        ],
    )?;
    transaction.execute(
        "INSERT INTO story_sources (story, source, first, last) VALUES ($1, $2, $3, $3)
         ON CONFLICT (story, source) DO UPDATE SET first = excluded.first, last = excluded.last",
        &[&story, &article.source, &article.day],
    )?;
    transaction.execute(
        "INSERT INTO story_reach (story, sources, first) VALUES ($1, 1, $2)
         ON CONFLICT (story) DO UPDATE SET sources = 1, first = excluded.first",
        &[&story, &article.day],
    )?;
    Ok(())
}

/// Rewrites which sources covered the stories `filter` selects (with `ids` bound as `$1`, as
/// the story summaries' refresh passes them), from their articles.
pub(super) fn refresh_story_sources(
    transaction: &mut Transaction<'_>,
    filter: &str,
    ids: &[&str],
) -> Result<(), Failure> {
    transaction.execute(
        &format!("DELETE FROM story_sources WHERE story {filter}"),
        &[&ids],
    )?;
    transaction.execute(
        &format!("DELETE FROM story_reach WHERE story {filter}"),
        &[&ids],
    )?;
    transaction.execute(
        &format!(
            "INSERT INTO story_sources (story, source, first, last)
             SELECT story, outlet_source, min(substr(published, 1, 10)), max(substr(published, 1, 10))
             FROM articles WHERE story {filter} AND outlet_source != ''
             GROUP BY story, outlet_source"
        ),
        &[&ids],
    )?;
    transaction.execute(
        &format!(
            "INSERT INTO story_reach (story, sources, first)
             SELECT story, count(*), min(first) FROM story_sources WHERE story {filter}
             GROUP BY story"
        ),
        &[&ids],
    )?;
    refresh_shared(transaction, filter, ids)
}

/// Follows the articles the story engine moved in or out of the stories `filter` selects, as
/// SQLite's `refresh_shared`.
fn refresh_shared(
    transaction: &mut Transaction<'_>,
    filter: &str,
    ids: &[&str],
) -> Result<(), Failure> {
    let rows = transaction.query(&moved_articles_sql(filter), &[&ids])?;
    let moves: Vec<Move> = rows
        .iter()
        .map(|row| Move {
            article: row.get(0),
            source: row.get::<_, Option<String>>(1).unwrap_or_default(),
            old: row.get(2),
            new: row.get(3),
            terms: None,
        })
        .collect();
    for chunk in chunk_by_story(moves, MOVES_CHUNK) {
        apply_moves(transaction, chunk)?;
    }
    Ok(())
}

/// Plans and writes one chunk of moves.
impl From<CorruptRow> for Failure {
    fn from(row: CorruptRow) -> Failure {
        Failure::Invalid(format!(
            "outlet terms of story {} and source {}: {}",
            row.story, row.source, row.message
        ))
    }
}

fn apply_moves(transaction: &mut Transaction<'_>, moves: Vec<Move>) -> Result<(), Failure> {
    let mut stories: Vec<&str> = moves
        .iter()
        .flat_map(|found| found.old.as_deref().into_iter().chain([found.new.as_str()]))
        .collect();
    stories.sort_unstable();
    stories.dedup();
    let mut stored = Vec::new();
    for row in transaction.query(
        "SELECT story, source, terms FROM outlet_story_terms WHERE story = ANY($1)",
        &[&stories],
    )? {
        stored.push((row.get(0), row.get(1), row.get(2)));
    }
    let plan = {
        let mut read_article = |article: &str| -> Result<StoryTerms, Failure> {
            let row =
                transaction.query_one("SELECT json FROM articles WHERE id = $1", &[&article])?;
            let json = decompress_json(row.get(0)).map_err(|message| {
                Failure::Invalid(format!("stored article {article}: {message}"))
            })?;
            let parsed: newslens_contract::Article = serde_json::from_str(&json)
                .map_err(|error| Failure::Invalid(format!("stored article {article}: {error}")))?;
            Ok(StoryTerms::of_article(&tally(&parsed)))
        };
        plan_moves(moves, stored, &mut read_article)?
    };
    write_plan(transaction, &plan)?;
    Ok(())
}

fn write_plan(
    transaction: &mut Transaction<'_>,
    plan: &SharedPlan,
) -> Result<(), ::postgres::Error> {
    let (mut write_stories, mut write_sources, mut write_terms) =
        (Vec::new(), Vec::new(), Vec::new());
    let (mut delete_stories, mut delete_sources) = (Vec::new(), Vec::new());
    for ((story, source), terms) in &plan.story_terms {
        match terms {
            Some(terms) => {
                write_stories.push(story.as_str());
                write_sources.push(source.as_str());
                write_terms.push(terms.encode());
            }
            None => {
                delete_stories.push(story.as_str());
                delete_sources.push(source.as_str());
            }
        }
    }
    transaction.execute(
        "DELETE FROM outlet_story_terms t USING unnest($1::text[], $2::text[]) AS d(story, source)
         WHERE t.story = d.story AND t.source = d.source",
        &[&delete_stories, &delete_sources],
    )?;
    transaction.execute(
        "INSERT INTO outlet_story_terms (story, source, terms)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[])
         ON CONFLICT (story, source) DO UPDATE SET terms = excluded.terms",
        &[&write_stories, &write_sources, &write_terms],
    )?;
    // No count is indexed (V7, V9), so PostgreSQL can update each row in place (HOT).
    let (mut sources, mut kinds, mut terms, mut names, mut owns, mut others) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for ((source, kind, term), delta) in &plan.deltas {
        sources.push(source.as_str());
        kinds.push(*kind);
        terms.push(term.as_str());
        names.push(delta.name.as_str());
        owns.push(delta.own);
        others.push(delta.others);
    }
    transaction.execute(
        "INSERT INTO outlet_shared_terms (source, kind, term, name, own, others)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
         ON CONFLICT (source, kind, term) DO UPDATE SET
             own = outlet_shared_terms.own + excluded.own,
             others = outlet_shared_terms.others + excluded.others",
        &[&sources, &kinds, &terms, &names, &owns, &others],
    )?;
    let (articles, stories): (Vec<&str>, Vec<&str>) = plan
        .counted
        .iter()
        .map(|(article, story)| (article.as_str(), story.as_str()))
        .unzip();
    transaction.execute(
        "INSERT INTO outlet_counted (article, story)
         SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (article) DO UPDATE SET story = excluded.story",
        &[&articles, &stories],
    )?;
    Ok(())
}

/// Counts the articles stored before migration V5 under their speakers and stories, a chunk
/// per transaction under the story lock held exclusively (as `backfill`).
pub(super) fn backfill_shared(client: &mut ::postgres::Client) -> Result<(), Failure> {
    let pending: bool = client
        .query_one(
            "SELECT (SELECT count(*) FROM articles) != (SELECT count(*) FROM outlet_counted)",
            &[],
        )?
        .get(0);
    if !pending {
        return Ok(());
    }
    let mut after_rowid = 0_i64;
    loop {
        let mut transaction = client.transaction()?;
        transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&super::STORY_LOCK])?;
        let rows = transaction.query(
            "SELECT a.rowid, a.id, a.story, a.json FROM articles a
             WHERE a.rowid > $1 AND NOT EXISTS (SELECT 1 FROM outlet_counted c WHERE c.article = a.id)
             ORDER BY a.rowid LIMIT $2",
            &[&after_rowid, &BACKFILL_CHUNK],
        )?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after_rowid = last.get(0);
        let mut batch = BatchTally::default();
        let mut moves = Vec::new();
        for row in rows {
            let id: String = row.get(1);
            let json = decompress_json(row.get(3))
                .map_err(|message| Failure::Invalid(format!("stored article {id}: {message}")))?;
            let article: newslens_contract::Article = serde_json::from_str(&json)
                .map_err(|error| Failure::Invalid(format!("stored article {id}: {error}")))?;
            let article_tally = tally(&article);
            batch.add(&article_tally);
            moves.push(Move {
                article: id,
                source: article_tally.source.clone(),
                old: None,
                new: row.get(2),
                terms: Some(StoryTerms::of_article(&article_tally)),
            });
        }
        write_speakers(&mut transaction, &batch)?;
        apply_moves(&mut transaction, moves)?;
        transaction.commit()?;
    }
}

/// Adds the aggregates of articles stored before migration V4, a chunk per transaction, under
/// the story lock held exclusively (no article is added meanwhile, so none is counted twice).
pub(super) fn backfill(client: &mut ::postgres::Client) -> Result<(), Failure> {
    loop {
        let pending = client.query_opt(
            "SELECT rowid FROM articles WHERE outlet_source IS NULL LIMIT 1",
            &[],
        )?;
        if pending.is_none() {
            return Ok(());
        }
        let mut transaction = client.transaction()?;
        transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&super::STORY_LOCK])?;
        let rows = transaction.query(
            "SELECT rowid, id, json FROM articles WHERE outlet_source IS NULL
             ORDER BY rowid LIMIT $1",
            &[&BACKFILL_CHUNK],
        )?;
        let mut batch = BatchTally::default();
        let mut rowids = Vec::new();
        let mut sources = Vec::new();
        for row in rows {
            let rowid: i64 = row.get(0);
            let id: String = row.get(1);
            let json = decompress_json(row.get(2))
                .map_err(|message| Failure::Invalid(format!("stored article {id}: {message}")))?;
            let article: newslens_contract::Article = serde_json::from_str(&json)
                .map_err(|error| Failure::Invalid(format!("stored article {id}: {error}")))?;
            let article_tally = tally(&article);
            rowids.push(rowid);
            sources.push(article_tally.source.clone());
            batch.add(&article_tally);
        }
        // Speakers are counted with the stories (`backfill_shared`), under migration V5's keys.
        batch.speakers.clear();
        transaction.execute(
            "UPDATE articles a SET outlet_source = u.source
             FROM unnest($1::bigint[], $2::text[]) AS u(rowid, source) WHERE a.rowid = u.rowid",
            &[&rowids, &sources],
        )?;
        write_tally(&mut transaction, &batch)?;
        let done = transaction
            .query_opt(
                "SELECT rowid FROM articles WHERE outlet_source IS NULL LIMIT 1",
                &[],
            )?
            .is_none();
        if done {
            // Every source is known now: which covered each story.
            let none: [&str; 0] = [];
            refresh_story_sources(
                &mut transaction,
                "IS NOT NULL AND cardinality($1::text[]) >= 0",
                &none,
            )?;
        }
        transaction.commit()?;
    }
}

pub(super) fn weeks(client: &mut impl GenericClient) -> Result<Vec<SourceWeek>, ::postgres::Error> {
    let rows = client.query(
        "SELECT w.source, coalesce(s.written, ''), w.week, w.articles, w.quotes, w.own_words,
                w.loaded, w.tone_sum, w.tone_articles, w.verbs, w.non_neutral_verbs, w.women,
                w.men, w.unknown_gender, w.speaker_quotes, w.content_words, w.first, w.last
         FROM outlet_weeks w LEFT JOIN outlet_sources s ON s.source = w.source
         ORDER BY w.source, w.week",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|row| SourceWeek {
            source: row.get(0),
            written: row.get(1),
            week: row.get(2),
            row: WeekRow {
                counts: WeekCounts {
                    articles: row.get(3),
                    quotes: row.get(4),
                    own_words: row.get(5),
                    loaded: row.get(6),
                    tone_sum: row.get(7),
                    tone_articles: row.get(8),
                    verbs: row.get(9),
                    non_neutral_verbs: row.get(10),
                    women: row.get(11),
                    men: row.get(12),
                    unknown_gender: row.get(13),
                    speaker_quotes: row.get(14),
                    content_words: row.get(15),
                },
                first: row.get(16),
                last: row.get(17),
            },
        })
        .collect())
}

pub(super) fn top_speakers(
    client: &mut impl GenericClient,
    source: &str,
    limit: usize,
) -> Result<Vec<TermCount>, ::postgres::Error> {
    let rows = client.query(
        "SELECT speaker, name, quotes FROM outlet_speakers WHERE source = $1
         ORDER BY quotes DESC, speaker LIMIT $2",
        &[&source, &(limit as i64)],
    )?;
    Ok(rows.iter().map(term_row).collect())
}

pub(super) fn speaker_counts(
    client: &mut impl GenericClient,
    source: &str,
    keys: &[String],
) -> Result<Vec<TermCount>, ::postgres::Error> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let rows = client.query(
        "SELECT speaker, name, quotes FROM outlet_speakers WHERE source = $1 AND speaker = ANY($2)
         ORDER BY speaker",
        &[&source, &keys],
    )?;
    Ok(rows.iter().map(term_row).collect())
}

fn term_row(row: &::postgres::Row) -> TermCount {
    TermCount {
        key: row.get(0),
        name: row.get(1),
        count: row.get(2),
    }
}

pub(super) fn outlet_stories(
    client: &mut impl GenericClient,
    source: &str,
) -> Result<Vec<Coverage>, ::postgres::Error> {
    let rows = client.query(
        "SELECT story, source, first, last FROM story_sources WHERE source = $1 ORDER BY story",
        &[&source],
    )?;
    Ok(rows.iter().map(coverage_row).collect())
}

pub(super) fn stories_reaching(
    client: &mut impl GenericClient,
    min_sources: usize,
    first: &str,
    last: &str,
) -> Result<Vec<Coverage>, ::postgres::Error> {
    let rows = client.query(
        "SELECT s.story, s.source, r.first, s.last
         FROM story_reach r JOIN story_sources s ON s.story = r.story
         WHERE r.sources >= $1 AND r.first >= $2 AND r.first <= $3
         ORDER BY s.story, s.source",
        &[&(min_sources as i64), &first, &last],
    )?;
    Ok(rows.iter().map(coverage_row).collect())
}

fn coverage_row(row: &::postgres::Row) -> Coverage {
    Coverage {
        story: row.get(0),
        source: row.get(1),
        first: row.get(2),
        last: row.get(3),
    }
}

/// As the SQLite store's: each side is a scan of the source's rows with a bounded sort (V7 and
/// V9 dropped their indexes).
pub(super) fn shared_top(
    client: &mut impl GenericClient,
    kind: TermKind,
    source: &str,
    limit: usize,
) -> Result<Vec<SharedTerm>, ::postgres::Error> {
    let rows = client.query(
        "(SELECT term, name, own, others FROM outlet_shared_terms
              WHERE source = $1 AND kind = $2 AND term != '' AND own > 0
              ORDER BY own DESC, term LIMIT $3)
         UNION
         (SELECT term, name, own, others FROM outlet_shared_terms
              WHERE source = $1 AND kind = $2 AND term != '' AND others > 0
              ORDER BY others DESC, term LIMIT $3)",
        &[&source, &kind.as_str(), &(limit as i64)],
    )?;
    Ok(rows.iter().map(shared_row).collect())
}

pub(super) fn shared_counts(
    client: &mut impl GenericClient,
    kind: TermKind,
    source: &str,
    keys: &[String],
) -> Result<Vec<SharedTerm>, ::postgres::Error> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let rows = client.query(
        "SELECT term, name, own, others FROM outlet_shared_terms
         WHERE source = $1 AND kind = $2 AND term = ANY($3) ORDER BY term",
        &[&source, &kind.as_str(), &keys],
    )?;
    Ok(rows.iter().map(shared_row).collect())
}

fn shared_row(row: &::postgres::Row) -> SharedTerm {
    SharedTerm {
        key: row.get(0),
        name: row.get(1),
        own: row.get(2),
        others: row.get(3),
    }
}
