//! HTML pages to documents: main text by `trafilatura`, metadata from structured data, embedded
//! tweets as posts, then the same line cleaning as plain text.
//!
//! The main-text extractor is the `trafilatura` crate (a port of go-trafilatura; the best F1 of the
//! crates measured, see ARCHITECTURE.md). Its HTML output is turned into text here so paragraphs
//! survive. When it finds nothing, the page's `<p>` elements are the fallback. It does not decode
//! bytes (see `decode`).

mod metadata;
mod text;

use scraper::{Html, Selector};

use newslens_core::{Document, Post};

use crate::normalize::normalize;
use crate::plain::{self, Known};

pub use metadata::{embedded_posts, page_metadata, EmbeddedPost, PageMetadata};
pub use text::fragment_text;

/// Reads an HTML page into a document. `None` when the page holds no article text.
pub fn read_html(html: &str) -> Option<Document> {
    let page = Html::parse_document(html);
    let found = page_metadata(&page);
    let tweets = embedded_posts(&page);

    let options = trafilatura::Options::default();
    let main_html = trafilatura::extract(html, &options).ok().map(|result| result.content_html).unwrap_or_default();
    let mut raw_text = fragment_text(&main_html);
    if raw_text.split_whitespace().count() < 5 {
        raw_text = fallback_paragraphs(&page);
    }
    let text = normalize(&raw_text);
    if text.is_empty() {
        return None;
    }

    let mut document = plain::clean(&text, &Known { title: found.title.clone() });
    if document.text.is_empty() {
        return None;
    }
    document.title = found.title.or(document.title);
    document.published = found.published.or(document.published);
    if !found.authors.is_empty() {
        let mut authors = found.authors;
        for author in document.authors.drain(..) {
            if !authors.iter().any(|known| known.eq_ignore_ascii_case(&author)) {
                authors.push(author);
            }
        }
        document.authors = authors;
    }
    document.source.outlet = found.outlet;
    document.source.url = found.url.or(document.source.url.take());
    document.posts = locate_posts(&document.text, tweets);
    Some(document)
}

/// Embedded tweets placed in the final text: each post spans its text through its signature.
fn locate_posts(text: &str, tweets: Vec<EmbeddedPost>) -> Vec<Post> {
    let mut posts = Vec::new();
    for tweet in tweets {
        let needle = normalize(&tweet.text);
        let Some(byte_start) = text.find(needle.as_str()) else { continue };
        // The post runs to the end of its paragraph (the signature follows the text).
        let byte_end = text[byte_start..].find("\n\n").map_or(text.len(), |idx| byte_start + idx);
        let start = text[..byte_start].chars().count();
        let end = start + text[byte_start..byte_end].chars().count();
        posts.push(Post { author: tweet.author, handle: tweet.handle, date: tweet.date, url: tweet.url, start, end });
    }
    posts
}

/// The page's paragraphs, for pages the extractor finds nothing in.
fn fallback_paragraphs(page: &Html) -> String {
    let paragraph = Selector::parse("p").expect("`p` is valid CSS");
    page.select(&paragraph).map(metadata::element_text).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}
