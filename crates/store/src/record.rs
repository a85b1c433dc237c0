//! An article ready to store ([`ArticleRecord`]: the contract, its story features and every row
//! value derived from them) and an article read back ([`StoredArticle`]).
//!
//! Preparing is pure CPU work, so callers run [`prepare`] on their analysis threads; the store
//! itself then only writes. An ingest has one writer thread and it was the slowest stage: it
//! serialised the contract, lower-cased names and matched quotes to entities between inserts.
//! All of that is done here now, in parallel, and the writer binds values it is handed. Nothing
//! here touches a database.

use std::collections::BTreeSet;

use newslens_contract::{Article, MentionKind};

use crate::features::{encode_minhash, encode_terms, story_features, StoryFeatures};
use crate::story_entities::{top_entities, ArticleEntity, STORY_ENTITIES};
use crate::views::EntityCount;

/// An analysed article with the features the story engine needs.
#[derive(Debug, Clone)]
pub struct ArticleRecord {
    /// The article contract, stored whole.
    pub article: Article,
    /// Its story features.
    pub features: StoryFeatures,
    /// What the store writes besides the article's own fields.
    pub(crate) rows: Rows,
}

/// The values a store writes for one article, computed ahead of the write.
#[derive(Debug, Clone)]
pub(crate) struct Rows {
    /// The contract as JSON, compressed ([`compress_json`]); `None` if serde could not write it
    /// (the store refuses the article).
    pub json: Option<Vec<u8>>,
    /// The story features, packed ([`encode_terms`], [`encode_minhash`]).
    pub terms: Vec<u8>,
    pub minhash: Vec<u8>,
    /// Per entity, in the article's order: its lower-cased name and last word, and whether a
    /// mention is a name (not only "he" or "the spokesman").
    pub entities: Vec<EntityKeys>,
    /// Per quote, in the article's order.
    pub quotes: Vec<QuoteKeys>,
    /// The article's top entities as JSON (its story's, while it is a story of one).
    pub story_entities: String,
    /// What it adds to its outlet's aggregates.
    pub outlet: crate::outlets::ArticleTally,
}

/// Match keys of one entity.
#[derive(Debug, Clone)]
pub(crate) struct EntityKeys {
    pub key: String,
    pub last: String,
    pub named: bool,
}

/// Match keys of one quote: its speaker's, and the names it is about with theirs.
#[derive(Debug, Clone)]
pub(crate) struct QuoteKeys {
    pub speaker: Option<(String, String)>,
    /// (name, lower-cased name, lower-cased last word).
    pub about: Vec<(String, String, String)>,
}

/// Computes what the store needs besides the article.
pub fn prepare(article: Article) -> ArticleRecord {
    let features = story_features(&article);
    let rows = Rows {
        json: serde_json::to_vec(&article)
            .ok()
            .map(|json| compress_json(&json)),
        terms: encode_terms(&features.terms),
        minhash: encode_minhash(&features.minhash),
        entities: article
            .entities
            .iter()
            .map(|entity| {
                let (key, last) = name_keys(&entity.name);
                EntityKeys {
                    key,
                    last,
                    named: entity
                        .mentions
                        .iter()
                        .any(|mention| mention.kind == MentionKind::Name),
                }
            })
            .collect(),
        quotes: (0..article.quotes.len())
            .map(|quote_idx| QuoteKeys {
                speaker: article.quotes[quote_idx]
                    .speaker
                    .as_ref()
                    .map(|speaker| name_keys(&speaker.name)),
                about: quote_subjects(&article, quote_idx)
                    .into_iter()
                    .map(|name| {
                        let (key, last) = name_keys(&name);
                        (name, key, last)
                    })
                    .collect(),
            })
            .collect(),
        story_entities: serde_json::to_string(&article_entities(&article))
            .unwrap_or_else(|_| "[]".into()),
        outlet: crate::outlets::tally(&article),
    };
    ArticleRecord {
        article,
        features,
        rows,
    }
}

/// The contract JSON as stored: LZ4 (block format, its length prepended). An article's JSON is
/// five times its text (offsets of every sentence, mention and quote) and compresses about
/// fourfold, so the corpus file shrinks by about half and the writer copies far fewer pages.
pub(crate) fn compress_json(json: &[u8]) -> Vec<u8> {
    lz4_flex::compress_prepend_size(json)
}

/// Reverses [`compress_json`].
pub(crate) fn decompress_json(bytes: &[u8]) -> Result<String, String> {
    // The prepended length is trusted only up to what LZ4 can expand to (255 to 1).
    let claimed = bytes
        .get(..4)
        .map(|head| u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize)
        .ok_or("compressed JSON shorter than its length")?;
    if claimed > bytes.len().saturating_mul(255) {
        return Err(format!(
            "compressed JSON claims {claimed} bytes from {}",
            bytes.len()
        ));
    }
    let json = lz4_flex::decompress_size_prepended(bytes).map_err(|error| error.to_string())?;
    String::from_utf8(json).map_err(|error| error.to_string())
}

/// Lower-case name and its last word, the two keys names are matched on.
pub(crate) fn name_keys(name: &str) -> (String, String) {
    let key = name.trim().to_lowercase();
    let last = key.split_whitespace().last().unwrap_or("").to_string();
    (key, last)
}

/// Names of the entities a quote mentions inside its own words, its speaker excepted: what the
/// store files the quote as being about (`newslens quotes --about`), sorted.
pub fn quote_subjects(article: &Article, quote_idx: usize) -> Vec<String> {
    let quote = &article.quotes[quote_idx];
    let speaker_entity = quote.speaker.as_ref().and_then(|speaker| speaker.entity);
    let mut names = BTreeSet::new();
    for entity in &article.entities {
        if Some(entity.id) == speaker_entity {
            continue;
        }
        let inside = entity.mentions.iter().any(|mention| {
            quote
                .spans
                .iter()
                .any(|span| span.start <= mention.start && mention.end <= span.end)
        });
        if inside {
            names.insert(entity.name.clone());
        }
    }
    names.into_iter().collect()
}

/// The top entities of one article, counted as a story's are.
fn article_entities(article: &Article) -> Vec<EntityCount> {
    let entities: Vec<ArticleEntity> = article
        .entities
        .iter()
        .filter(|entity| {
            entity
                .mentions
                .iter()
                .any(|mention| mention.kind == MentionKind::Name)
        })
        .map(|entity| ArticleEntity {
            article: 0,
            name: entity.name.clone(),
            entity_type: entity.entity_type,
            mentions: entity.mentions.len(),
        })
        .collect();
    top_entities(&entities, STORY_ENTITIES)
}

/// An article read back from the store.
#[derive(Debug, Clone)]
pub struct StoredArticle {
    /// The contract as stored.
    pub article: Article,
    /// The id of the story it belongs to.
    pub story: String,
    /// The original this article near-copies.
    pub duplicate_of: Option<String>,
}
