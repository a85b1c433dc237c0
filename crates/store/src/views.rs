//! The shapes the corpus answers in: story summaries, quote records, entity reports, search hits,
//! and the filters that select them.
//!
//! These are plain serialisable values, the same whichever [`crate::Store`] produced them; the CLI
//! prints them as JSON lines or text. The side-by-side comparison of a story has its own module,
//! `compare.rs`. Nothing here touches a database.

use serde::{Deserialize, Serialize};

pub use crate::stories::incremental::EventKind;

use newslens_contract::{EntityType, QuoteKind};

/// One article of a story, as listed with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryArticle {
    /// The article id.
    pub id: String,
    /// The input path it was read from.
    pub path: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its outlet.
    pub outlet: Option<String>,
    /// Its headline.
    pub title: Option<String>,
    /// Its publication date.
    pub published: Option<String>,
    /// The article it near-copies, when it is a syndicated copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
}

/// An entity as counted across a story or the corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityCount {
    /// The name as most often written.
    pub name: String,
    /// PERSON, ORG, GPE…
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// Articles that mention it.
    pub articles: usize,
    /// Mentions in all.
    pub mentions: usize,
}

/// A story: articles about one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorySummary {
    /// The story id: the id of its earliest article.
    pub id: String,
    /// The headline of its earliest article.
    pub title: Option<String>,
    /// The earliest publication date among its articles.
    pub first_seen: Option<String>,
    /// The latest publication date among its articles.
    pub last_seen: Option<String>,
    /// Its articles, earliest first; near-copies are listed with `duplicate_of`.
    pub articles: Vec<StoryArticle>,
    /// The entities most of its articles mention.
    pub entities: Vec<EntityCount>,
    /// Quotes in its articles (near-copies not counted).
    pub quotes: usize,
    /// Stories merged into this one and stories it split from or into, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<StoryEventRecord>,
}

/// A merge or split of stories, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryEventRecord {
    /// When the story engine decided it (UTC, ISO 8601).
    pub at: String,
    /// `merged`: every article of `story` joined `other`, and `story`'s id leads there;
    /// `split`: `articles` of `story`'s articles left to start `other`.
    pub kind: EventKind,
    /// The story merged away, or split.
    pub story: String,
    /// The story that absorbed it, or that the leaving articles started.
    pub other: String,
    /// Articles that moved.
    pub articles: usize,
}

/// The largest offset or limit a view takes. SQLite's OFFSET and LIMIT are signed 64-bit
/// integers: a larger `usize` would wrap to a negative number, which SQLite reads as "none", and a
/// page after it would never end. Callers refuse larger values (the API with a 400, the CLI with a
/// usage error).
pub const MAX_OFFSET: usize = i64::MAX as usize;

/// Which stories to list.
#[derive(Debug, Clone, Default)]
pub struct StoryFilter {
    /// Only stories with at least this many articles (near-copies not counted).
    pub min_articles: usize,
    /// At most this many stories; all when `None`.
    pub limit: Option<usize>,
    /// Stories to skip first, for paging.
    pub offset: usize,
    /// Most covered first (most articles, then newest) instead of newest first.
    pub most_covered: bool,
}

/// A quote as stored, with where it appeared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRecord {
    /// The quoted or reported words.
    pub text: String,
    /// `direct`, `mixed`, `indirect` or `post`.
    pub kind: QuoteKind,
    /// The speaker's name, when known.
    pub speaker: Option<String>,
    /// The reporting verb as written.
    pub verb: Option<String>,
    /// Whether the verb is neutral.
    pub neutral: Option<bool>,
    /// Where the text says it was said.
    pub channel: Option<String>,
    /// Entities the quote mentions (the speaker excepted).
    pub about: Vec<String>,
    /// The article id.
    pub article: String,
    /// The article's story id.
    pub story: String,
    /// The article's outlet.
    pub outlet: Option<String>,
    /// The article's publication date.
    pub published: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
}

/// Which quotes to list. Names match case-insensitively, whole or as a last name.
#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// Said by this speaker.
    pub speaker: Option<String>,
    /// Mentioning this entity.
    pub about: Option<String>,
    /// In this outlet.
    pub outlet: Option<String>,
    /// Published on or after this date (ISO 8601 prefix).
    pub since: Option<String>,
    /// Published on or before this date (ISO 8601 prefix).
    pub until: Option<String>,
    /// At most this many quotes.
    pub limit: Option<usize>,
    /// Quotes to skip first, for paging.
    pub offset: usize,
}

/// Mentions of an entity in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MentionPeriod {
    /// The period: `YYYY-MM-DD`, or `undated`.
    pub date: String,
    /// Articles mentioning the entity.
    pub articles: usize,
    /// Mentions in them.
    pub mentions: usize,
}

/// Everything the corpus knows of one entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityReport {
    /// The name asked for.
    pub query: String,
    /// The names and types that matched, with counts.
    pub names: Vec<EntityCount>,
    /// Mentions per day, earliest first, undated last.
    pub timeline: Vec<MentionPeriod>,
    /// Quotes the entity is the speaker of.
    pub quotes_by: Vec<QuoteRecord>,
    /// Quotes that mention the entity.
    pub quotes_about: Vec<QuoteRecord>,
}

/// A full-text search.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// SQLite FTS5 query syntax: words, "phrases", AND/OR/NOT, prefix*.
    pub text: String,
    /// Only articles of this outlet.
    pub outlet: Option<String>,
    /// Only articles mentioning this entity.
    pub entity: Option<String>,
    /// Published on or after this date.
    pub since: Option<String>,
    /// Published on or before this date.
    pub until: Option<String>,
    /// At most this many hits.
    pub limit: Option<usize>,
    /// Hits to skip first, for paging.
    pub offset: usize,
}

/// One article found by a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// The article id.
    pub id: String,
    /// Its story.
    pub story: String,
    /// Its headline.
    pub title: Option<String>,
    /// Its outlet.
    pub outlet: Option<String>,
    /// Its publication date.
    pub published: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// The matching passage, matches in `[brackets]`.
    pub snippet: String,
    /// BM25 relevance (higher is better).
    pub score: f64,
}

/// Sizes of the corpus.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorpusCounts {
    /// Stored articles.
    pub articles: usize,
    /// Of which near-copies.
    pub duplicates: usize,
    /// Stories.
    pub stories: usize,
    /// Quotes.
    pub quotes: usize,
}
