//! The analysis entry point: a [`Document`] in, an [`Article`] out, layer after layer.
//!
//! Layers run in a fixed order, each a plain function of the text and the layers before it, working
//! in byte offsets; the conversion to the contract's character offsets happens once, here, at the
//! end. Nothing here reads files or fails on messy text.

use xxhash_rust::xxh3::xxh3_64;

use crate::article::{Article, Entity, Mention, Post, SCHEMA};
use crate::document::Document;
use crate::offsets::CharOffsets;
use crate::{entities, language, posts, segment};

/// Analyses one document. Never fails: odd text gives thin layers, not errors.
pub fn analyze(document: &Document) -> Article {
    let text = document.text.as_str();
    let paragraphs = segment::paragraphs(text);
    let sentences = segment::sentences(text, &paragraphs);
    let pasted_posts = posts::find_pasted_posts(text, &paragraphs);
    let found_entities = entities::find_entities(text, &sentences);

    let offsets = CharOffsets::new(text);
    let posts_in_text = pasted_posts
        .into_iter()
        .map(|post| {
            let span = offsets.span(post.span);
            Post {
                author: post.author,
                handle: Some(post.handle),
                date: post.date,
                url: post.url,
                start: span.start,
                end: span.end,
            }
        })
        .collect();

    Article {
        schema: SCHEMA.to_string(),
        id: article_id(text),
        source: document.source.clone(),
        title: document.title.clone(),
        published: document.published.clone(),
        authors: document.authors.clone(),
        language: language::detect(text).to_string(),
        text: text.to_string(),
        paragraphs: paragraphs.iter().map(|span| offsets.span(*span)).collect(),
        sentences: sentences.iter().map(|span| offsets.span(*span)).collect(),
        entities: found_entities
            .into_iter()
            .enumerate()
            .map(|(id, entity)| Entity {
                id,
                name: entity.name,
                entity_type: entity.entity_type.as_str().to_string(),
                roles: entity.roles,
                mentions: entity
                    .mentions
                    .iter()
                    .map(|mention| {
                        let span = offsets.span(mention.span);
                        Mention {
                            start: span.start,
                            end: span.end,
                            text: text[mention.span.start..mention.span.end].to_string(),
                            kind: mention.kind.as_str().to_string(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        quotes: Vec::new(),
        posts: posts::merge_posts(document.posts.clone(), posts_in_text),
        tone: None,
        loaded: Vec::new(),
        boilerplate: document.boilerplate.clone(),
    }
}

/// The stable id of a text: 16 hex digits of its XXH3-64 hash.
pub fn article_id(text: &str) -> String {
    format!("{:016x}", xxh3_64(text.as_bytes()))
}
