//! The six tables an export writes, each a list of [`Column`]s and a function from one stored
//! article (or story) to its rows.
//!
//! Rows are built from the article contract as stored, not from the store's index tables, so they
//! carry everything the contract has (character offsets, mention kinds, spans) and read the same
//! from SQLite and PostgreSQL. Join keys: `article_id` (the contract id), `story_id` and, inside
//! an article, `entity_id` (the entity's index in the article's entity list, so `(article_id,
//! entity_id)` names one entity row) and `quote_idx`. Near-copies are exported like any article;
//! `articles.duplicate_of` names their original. This module writes no files.

use std::collections::BTreeSet;

use newslens_contract::{Article, MentionKind};
use newslens_store::{quote_subjects, StoredArticle, StorySummary};

use crate::columns::{Column, ColumnType as T, Value};

/// A table to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// One row per article.
    Articles,
    /// One row per quote.
    Quotes,
    /// One row per entity of an article (people, organisations, places… with their mentions
    /// counted).
    Entities,
    /// One row per mention of an entity.
    Mentions,
    /// One row per story.
    Stories,
    /// One row per loaded-language span.
    Loaded,
}

impl Table {
    /// Every table, in the order the documentation lists them.
    pub const ALL: [Table; 6] = [
        Table::Articles,
        Table::Quotes,
        Table::Entities,
        Table::Mentions,
        Table::Stories,
        Table::Loaded,
    ];

    /// Its name on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            Table::Articles => "articles",
            Table::Quotes => "quotes",
            Table::Entities => "entities",
            Table::Mentions => "mentions",
            Table::Stories => "stories",
            Table::Loaded => "loaded",
        }
    }

    /// The table of this name.
    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|table| table.name() == name)
    }

    /// Its columns, in order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Articles => ARTICLE_COLUMNS,
            Table::Quotes => QUOTE_COLUMNS,
            Table::Entities => ENTITY_COLUMNS,
            Table::Mentions => MENTION_COLUMNS,
            Table::Stories => STORY_COLUMNS,
            Table::Loaded => LOADED_COLUMNS,
        }
    }
}

const ARTICLE_ID: Column = Column::required("article_id", T::Text, "the article's contract id");
const STORY_ID: Column = Column::required("story_id", T::Text, "the id of its story");
const OUTLET: Column = Column::optional("outlet", T::Text, "the article's outlet");
const PUBLISHED: Column = Column::optional(
    "published",
    T::Timestamp,
    "publication time, UTC (a date or time without a zone is read as UTC)",
);

const ARTICLE_COLUMNS: &[Column] = &[
    ARTICLE_ID,
    STORY_ID,
    Column::optional(
        "duplicate_of",
        T::Text,
        "the article this near-copies (syndicated copy), if any",
    ),
    OUTLET,
    Column::optional("url", T::Text, "its URL"),
    Column::optional("path", T::Text, "the input it was read from"),
    Column::optional("title", T::Text, "its headline"),
    PUBLISHED,
    Column::required("authors", T::TextList, "its bylines"),
    Column::required("language", T::Text, "ISO 639-1 language code"),
    Column::optional("tone", T::Float, "GDELT tone: positive − negative"),
    Column::optional("positive", T::Float, "% of words in the positive lexicon"),
    Column::optional("negative", T::Float, "% of words in the negative lexicon"),
    Column::optional("polarity", T::Float, "positive + negative"),
    Column::optional(
        "activity_density",
        T::Float,
        "% of words that are active verbs",
    ),
    Column::optional(
        "self_group_density",
        T::Float,
        "% of words that are self/group pronouns",
    ),
    Column::optional("words", T::Int, "words counted for the tone"),
    Column::required("n_entities", T::Int, "entities found"),
    Column::required("n_quotes", T::Int, "quotes found"),
    Column::required("n_loaded", T::Int, "loaded-language spans found"),
    Column::required(
        "text",
        T::Text,
        "the normalised text every offset points into",
    ),
];

const QUOTE_COLUMNS: &[Column] = &[
    ARTICLE_ID,
    STORY_ID,
    Column::required("quote_idx", T::Int, "the quote's index in its article"),
    OUTLET,
    PUBLISHED,
    Column::required("kind", T::Text, "direct, mixed, indirect or post"),
    Column::required("text", T::Text, "the quoted or reported words"),
    Column::required(
        "span_starts",
        T::IntList,
        "character offsets where each span of the quote starts",
    ),
    Column::required(
        "span_ends",
        T::IntList,
        "character offsets where each span ends (exclusive)",
    ),
    Column::optional("speaker", T::Text, "the speaker's name, when known"),
    Column::optional(
        "speaker_entity_id",
        T::Int,
        "the speaker's entity_id in the article",
    ),
    Column::optional(
        "speaker_start",
        T::Int,
        "offset of the mention that names the speaker",
    ),
    Column::optional("speaker_end", T::Int, "end of that mention"),
    Column::optional("verb", T::Text, "the reporting verb as written"),
    Column::optional("verb_lemma", T::Text, "its lemma"),
    Column::optional("verb_start", T::Int, "offset of the reporting verb"),
    Column::optional("verb_end", T::Int, "end of the reporting verb"),
    Column::optional(
        "neutral",
        T::Bool,
        "whether the verb is neutral (said) rather than evaluative (claimed)",
    ),
    Column::optional(
        "channel",
        T::Text,
        "where it was said (twitter, interview…)",
    ),
    Column::required(
        "about",
        T::TextList,
        "entities named inside the quote, speaker excepted",
    ),
];

const ENTITY_COLUMNS: &[Column] = &[
    ARTICLE_ID,
    STORY_ID,
    Column::required("entity_id", T::Int, "the entity's index in its article"),
    OUTLET,
    PUBLISHED,
    Column::required("name", T::Text, "the name as most fully written"),
    Column::required("type", T::Text, "PERSON, ORG, GPE, LOC, NORP or EVENT"),
    Column::required("roles", T::TextList, "roles the text gives it"),
    Column::required("mentions", T::Int, "mentions in the article"),
    Column::required(
        "named",
        T::Bool,
        "whether a mention is a name (not only he, the spokesman)",
    ),
    Column::required(
        "mention_starts",
        T::IntList,
        "character offsets of its mentions",
    ),
    Column::optional("tone", T::Float, "tone of the sentences mentioning it"),
];

const MENTION_COLUMNS: &[Column] = &[
    ARTICLE_ID,
    STORY_ID,
    Column::required("entity_id", T::Int, "the entity's index in its article"),
    Column::required("mention_idx", T::Int, "the mention's index in its entity"),
    Column::required("entity_name", T::Text, "the entity's name"),
    Column::required("entity_type", T::Text, "the entity's type"),
    Column::required("start", T::Int, "character offset"),
    Column::required("end", T::Int, "end offset (exclusive)"),
    Column::required("text", T::Text, "the words of the mention"),
    Column::required("kind", T::Text, "name, nominal or pronoun"),
];

const STORY_COLUMNS: &[Column] = &[
    STORY_ID,
    Column::optional("title", T::Text, "the headline of its earliest article"),
    Column::optional("first_seen", T::Timestamp, "earliest publication, UTC"),
    Column::optional("last_seen", T::Timestamp, "latest publication, UTC"),
    Column::required("articles", T::Int, "articles, near-copies not counted"),
    Column::required("duplicates", T::Int, "near-copies"),
    Column::required("quotes", T::Int, "quotes, near-copies' not counted"),
    Column::required(
        "article_ids",
        T::TextList,
        "its articles, earliest first, near-copies included",
    ),
    Column::required("outlets", T::TextList, "the outlets that ran it, sorted"),
    Column::required(
        "entities",
        T::TextList,
        "the entities most of its articles mention",
    ),
];

const LOADED_COLUMNS: &[Column] = &[
    ARTICLE_ID,
    STORY_ID,
    Column::required("loaded_idx", T::Int, "the span's index in its article"),
    OUTLET,
    PUBLISHED,
    Column::required("start", T::Int, "character offset"),
    Column::required("end", T::Int, "end offset (exclusive)"),
    Column::required("text", T::Text, "the words"),
    Column::required(
        "category",
        T::Text,
        "loaded_verb, label, emotive, intensifier or scare_quote",
    ),
    Column::required("in_quote", T::Bool, "whether it is inside a quote"),
];

/// The rows of `table` one stored article gives (none for [`Table::Stories`]).
pub fn article_rows(table: Table, stored: &StoredArticle, emit: &mut dyn FnMut(Vec<Value>)) {
    let article = &stored.article;
    let article_id = || Value::Text(article.id.clone());
    let story_id = || Value::Text(stored.story.clone());
    let outlet = || Value::text(article.source.outlet.as_deref());
    let published = || Value::published(article.published.as_deref());
    match table {
        Table::Articles => emit(article_row(stored)),
        Table::Quotes => {
            for (quote_idx, quote) in article.quotes.iter().enumerate() {
                let speaker = quote.speaker.as_ref();
                let mention = speaker.and_then(|speaker| speaker.mention.as_ref());
                let verb = quote.verb.as_ref();
                emit(vec![
                    article_id(),
                    story_id(),
                    Value::int(quote_idx),
                    outlet(),
                    published(),
                    Value::Text(quote.kind.as_str().into()),
                    Value::Text(quote.text.clone()),
                    ints(quote.spans.iter().map(|span| span.start)),
                    ints(quote.spans.iter().map(|span| span.end)),
                    Value::text(speaker.map(|speaker| speaker.name.as_str())),
                    optional_int(speaker.and_then(|speaker| speaker.entity)),
                    optional_int(mention.map(|mention| mention.start)),
                    optional_int(mention.map(|mention| mention.end)),
                    Value::text(verb.map(|verb| verb.text.as_str())),
                    Value::text(verb.map(|verb| verb.lemma.as_str())),
                    optional_int(verb.map(|verb| verb.start)),
                    optional_int(verb.map(|verb| verb.end)),
                    verb.map_or(Value::Null, |verb| Value::Bool(verb.neutral)),
                    Value::text(quote.channel.as_deref()),
                    Value::TextList(quote_subjects(article, quote_idx)),
                ]);
            }
        }
        Table::Entities => {
            for (entity_idx, entity) in article.entities.iter().enumerate() {
                emit(vec![
                    article_id(),
                    story_id(),
                    Value::int(entity_idx),
                    outlet(),
                    published(),
                    Value::Text(entity.name.clone()),
                    Value::Text(entity.entity_type.as_str().into()),
                    Value::TextList(entity.roles.clone()),
                    Value::int(entity.mentions.len()),
                    Value::Bool(
                        entity
                            .mentions
                            .iter()
                            .any(|mention| mention.kind == MentionKind::Name),
                    ),
                    ints(entity.mentions.iter().map(|mention| mention.start)),
                    entity
                        .tone
                        .as_ref()
                        .map_or(Value::Null, |tone| Value::Float(tone.tone)),
                ]);
            }
        }
        Table::Mentions => {
            for (entity_idx, entity) in article.entities.iter().enumerate() {
                for (mention_idx, mention) in entity.mentions.iter().enumerate() {
                    emit(vec![
                        article_id(),
                        story_id(),
                        Value::int(entity_idx),
                        Value::int(mention_idx),
                        Value::Text(entity.name.clone()),
                        Value::Text(entity.entity_type.as_str().into()),
                        Value::int(mention.start),
                        Value::int(mention.end),
                        Value::Text(mention.text.clone()),
                        Value::Text(mention.kind.as_str().into()),
                    ]);
                }
            }
        }
        Table::Loaded => {
            for (loaded_idx, loaded) in article.loaded.iter().enumerate() {
                emit(vec![
                    article_id(),
                    story_id(),
                    Value::int(loaded_idx),
                    outlet(),
                    published(),
                    Value::int(loaded.start),
                    Value::int(loaded.end),
                    Value::Text(loaded.text.clone()),
                    Value::Text(loaded.category.as_str().into()),
                    Value::Bool(loaded.in_quote),
                ]);
            }
        }
        Table::Stories => {}
    }
}

fn article_row(stored: &StoredArticle) -> Vec<Value> {
    let article: &Article = &stored.article;
    let tone = article.tone.as_ref();
    let figure = |pick: fn(&newslens_contract::Tone) -> f64| {
        tone.map_or(Value::Null, |tone| Value::Float(pick(tone)))
    };
    vec![
        Value::Text(article.id.clone()),
        Value::Text(stored.story.clone()),
        Value::text(stored.duplicate_of.as_deref()),
        Value::text(article.source.outlet.as_deref()),
        Value::text(article.source.url.as_deref()),
        Value::text(article.source.path.as_deref()),
        Value::text(article.title.as_deref()),
        Value::published(article.published.as_deref()),
        Value::TextList(article.authors.clone()),
        Value::Text(article.language.clone()),
        figure(|tone| tone.tone),
        figure(|tone| tone.positive),
        figure(|tone| tone.negative),
        figure(|tone| tone.polarity),
        figure(|tone| tone.activity_density),
        figure(|tone| tone.self_group_density),
        optional_int(tone.map(|tone| tone.words)),
        Value::int(article.entities.len()),
        Value::int(article.quotes.len()),
        Value::int(article.loaded.len()),
        Value::Text(article.text.clone()),
    ]
}

/// The row of one story.
pub fn story_row(story: &StorySummary) -> Vec<Value> {
    let outlets: BTreeSet<&str> = story
        .articles
        .iter()
        .filter_map(|article| article.outlet.as_deref())
        .collect();
    let n_duplicates = story
        .articles
        .iter()
        .filter(|article| article.duplicate_of.is_some())
        .count();
    vec![
        Value::Text(story.id.clone()),
        Value::text(story.title.as_deref()),
        Value::published(story.first_seen.as_deref()),
        Value::published(story.last_seen.as_deref()),
        Value::int(story.articles.len() - n_duplicates),
        Value::int(n_duplicates),
        Value::int(story.quotes),
        Value::TextList(
            story
                .articles
                .iter()
                .map(|article| article.id.clone())
                .collect(),
        ),
        Value::TextList(outlets.into_iter().map(str::to_string).collect()),
        Value::TextList(
            story
                .entities
                .iter()
                .map(|entity| entity.name.clone())
                .collect(),
        ),
    ]
}

fn ints(values: impl Iterator<Item = usize>) -> Value {
    Value::IntList(
        values
            .map(|value| i64::try_from(value).unwrap_or(i64::MAX))
            .collect(),
    )
}

fn optional_int(value: Option<usize>) -> Value {
    value.map_or(Value::Null, Value::int)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_named_and_found_by_its_name() {
        for table in Table::ALL {
            assert_eq!(Table::from_name(table.name()), Some(table));
            let names: BTreeSet<&str> = table.columns().iter().map(|column| column.name).collect();
            assert_eq!(
                names.len(),
                table.columns().len(),
                "{} repeats a column",
                table.name()
            );
        }
        assert_eq!(Table::from_name("people"), None);
    }
}
