//! An article ready to store ([`ArticleRecord`]: the contract plus its story features) and an
//! article read back ([`StoredArticle`]).
//!
//! Preparing is pure CPU work, so callers run [`prepare`] on their analysis threads; the store
//! itself then only writes. Nothing here touches a database.

use newslens_core::Article;

use crate::features::{story_features, StoryFeatures};

/// An analysed article with the features the story engine needs.
#[derive(Debug, Clone)]
pub struct ArticleRecord {
    /// The article contract, stored whole.
    pub article: Article,
    /// Its story features.
    pub features: StoryFeatures,
}

/// Computes what the store needs besides the article.
pub fn prepare(article: Article) -> ArticleRecord {
    let features = story_features(&article);
    ArticleRecord { article, features }
}

/// An article read back from the store.
#[derive(Debug, Clone)]
pub struct StoredArticle {
    /// The contract as stored.
    pub article: Article,
    /// The whole stored JSON, for fields newer than this build's [`Article`] (`tone_narrative`).
    pub json: serde_json::Value,
    /// The id of the story it belongs to.
    pub story: String,
    /// The original this article near-copies.
    pub duplicate_of: Option<String>,
}
