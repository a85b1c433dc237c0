//! HTML pages to documents: main text by `trafilatura` (less a trailing list of other headlines),
//! metadata from structured data, embedded tweets as posts, then the same line cleaning as plain
//! text.
//!
//! The main-text extractor is the `trafilatura` crate (a port of go-trafilatura; the best F1 of the
//! crates measured, see ARCHITECTURE.md). Its HTML output is turned into text here so paragraphs
//! survive. When it returns the whole page as one long paragraph (its fallback on short pages), the
//! article is Readability's (`dom_smoothie`); when it finds nothing, the page's `<p>` elements are
//! the fallback. It does not decode bytes (see `decode`).

pub mod authors;
pub mod dates;
mod metadata;
pub mod shape;
mod teasers;
mod text;
mod title;

use scraper::{Html, Selector};

use newslens_contract::{Document, Post};

use crate::normalize::normalize;
use crate::plain::{self, Known};

pub use metadata::{embedded_posts, page_metadata, EmbeddedPost, PageMetadata};
pub use text::{fragment_text, without_markup};

/// Reads an HTML page into a document. `None` when the page holds no article text.
pub fn read_html(html: &str) -> Option<Document> {
    let page = Html::parse_document(html);
    let found = page_metadata(&page);
    let tweets = embedded_posts(&page);

    let options = trafilatura::Options::default();
    let main_html = trafilatura::extract(html, &options)
        .ok()
        .map(|result| result.content_html)
        .unwrap_or_default();
    let extracted = glued_fallback(html, fragment_text(&main_html));
    let mut raw_text = teasers::without_trailing_headlines(&resegment(&extracted, &page), &page);
    if raw_text.split_whitespace().count() < 5 {
        raw_text = fallback_paragraphs(&page);
    }
    let text = normalize(&text::without_markup(&raw_text));
    if text.is_empty() {
        return None;
    }

    let mut document = plain::clean(
        &text,
        &Known {
            title: found.title.clone(),
        },
    );
    if document.text.is_empty() {
        return None;
    }
    document.title = found.title.or(document.title);
    document.published = found.published.or(document.published);
    document.updated = found.updated;
    if !found.authors.is_empty() {
        let mut authors = found.authors;
        for author in document
            .authors
            .drain(..)
            .filter_map(|a| authors::clean_name(&a))
        {
            if !authors
                .iter()
                .any(|known| known.eq_ignore_ascii_case(&author))
            {
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

/// Words from which a text of one paragraph is a whole page run together, not a short article.
const GLUED_WORDS: usize = 100;

/// The article by Readability (`dom_smoothie`) when trafilatura returned the page as one long
/// paragraph. On short pages trafilatura finds no main block and falls back to the whole body:
/// menus, the article and the sidebar come back glued into one paragraph, so no paragraph can be
/// dropped afterwards. Readability scores the page's blocks instead and usually finds the article.
/// Its answer is taken when it holds some text and less than the glued one.
fn glued_fallback(html: &str, extracted: String) -> String {
    let words = extracted.split_whitespace().count();
    if words < GLUED_WORDS || extracted.trim().contains("\n\n") {
        return extracted;
    }
    let Some(article) = dom_smoothie::Readability::new(html, None, None)
        .ok()
        .and_then(|mut reader| reader.parse().ok())
    else {
        return extracted;
    };
    let readable = fragment_text(&article.content);
    let readable_words = readable.split_whitespace().count();
    if readable_words >= 30 && readable_words < words {
        readable
    } else {
        extracted
    }
}

/// Embedded tweets placed in the final text: each post spans its text through its signature.
fn locate_posts(text: &str, tweets: Vec<EmbeddedPost>) -> Vec<Post> {
    let mut posts = Vec::new();
    for tweet in tweets {
        let needle = normalize(&tweet.text);
        let Some(byte_start) = text.find(needle.as_str()) else {
            continue;
        };
        // The post runs to the end of its paragraph (the signature follows the text).
        let byte_end = text[byte_start..]
            .find("\n\n")
            .map_or(text.len(), |idx| byte_start + idx);
        let start = text[..byte_start].chars().count();
        let end = start + text[byte_start..byte_end].chars().count();
        posts.push(Post {
            author: tweet.author,
            handle: tweet.handle,
            date: tweet.date,
            url: tweet.url,
            start,
            end,
        });
    }
    posts
}

/// Elements whose text is one paragraph on the page.
const PARAGRAPH_CSS: &str = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre";

/// Restores paragraph breaks the extractor lost. On short pages trafilatura falls back to a
/// baseline that glues paragraphs together ("Pier reopensThe old pier…"); where an extracted
/// paragraph is exactly a run of the page's own paragraphs, it is split back into them.
fn resegment(extracted: &str, page: &Html) -> String {
    let selector = Selector::parse(PARAGRAPH_CSS).expect("paragraph selectors are valid CSS");
    let blocks: Vec<String> = page
        .select(&selector)
        .map(metadata::element_text)
        .filter(|b| !b.is_empty())
        .collect();
    if blocks.len() < 2 {
        return extracted.to_string();
    }
    let mut out: Vec<String> = Vec::new();
    let mut block_idx = 0;
    for paragraph in extracted.split("\n\n") {
        match split_into_blocks(paragraph, &blocks, &mut block_idx) {
            Some(pieces) => out.extend(pieces),
            None => out.push(paragraph.to_string()),
        }
    }
    out.join("\n\n")
}

/// `paragraph` as a sequence of at least two page blocks, starting the search at `block_idx`.
fn split_into_blocks(
    paragraph: &str,
    blocks: &[String],
    block_idx: &mut usize,
) -> Option<Vec<String>> {
    // Only look a little ahead: the extractor keeps document order.
    for start in *block_idx..blocks.len().min(*block_idx + 64) {
        if !paragraph.starts_with(blocks[start].as_str()) {
            continue;
        }
        let mut pieces = Vec::new();
        let mut rest = paragraph;
        let mut idx = start;
        while idx < blocks.len() && !rest.is_empty() {
            match rest.strip_prefix(blocks[idx].as_str()) {
                Some(after) => {
                    pieces.push(blocks[idx].clone());
                    rest = after.trim_start();
                }
                None if pieces.is_empty() => break,
                // A nested block repeats text already consumed: skip it.
                None if pieces
                    .last()
                    .is_some_and(|last| last.contains(blocks[idx].as_str())) => {}
                None => break,
            }
            idx += 1;
        }
        if rest.is_empty() && pieces.len() >= 2 {
            *block_idx = idx;
            return Some(pieces);
        }
        if rest.is_empty() {
            *block_idx = idx;
            return None;
        }
    }
    None
}

/// The page's paragraphs, for pages the extractor finds nothing in.
fn fallback_paragraphs(page: &Html) -> String {
    let paragraph = Selector::parse("p").expect("`p` is valid CSS");
    page.select(&paragraph)
        .map(metadata::element_text)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_paragraphs_are_split_back_into_the_pages_paragraphs() {
        let page = Html::parse_document("<h1>Pier reopens</h1><p>The old pier reopened.</p><div><p>The mayor was glad.</p></div>");
        assert_eq!(
            resegment(
                "Pier reopensThe old pier reopened.The mayor was glad.",
                &page
            ),
            "Pier reopens\n\nThe old pier reopened.\n\nThe mayor was glad."
        );
    }

    #[test]
    fn tracking_pixels_in_noscript_never_reach_the_text() {
        let html = r#"<html><head><title>Pier reopens</title></head><body>
        <noscript><img height="1" width="1" style="display:none" src="https://pixel.example/tr?id=7&amp;ev=PageView"></noscript>
        <noscript><iframe src="https://tags.example/ns.html?id=T-1" height="0" width="0"></iframe></noscript>
        <div>Pier reopens after storm. The old pier on the east shore reopened on Monday after three
        months of repairs, the harbour office said. Fishing boats were the first to tie up, and a
        crowd of about two hundred people walked its length before noon.</div>
        <div><noscript><img src="https://pixel.example/b.gif"></noscript>Repairs cost the town
        four hundred thousand pounds, most of it from the coastal fund.</div></body></html>"#;
        let document = read_html(html).expect("the page has text");
        assert!(
            !document.text.contains('<') && !document.text.contains("iframe"),
            "{}",
            document.text
        );
        assert!(document
            .text
            .contains("Fishing boats were the first to tie up"));
    }

    fn glued_page() -> (String, String) {
        let menu =
            "Home World Business Sport Weather Shop Login Subscribe Contact Archive ".repeat(4);
        let paragraphs = [
            "The harbour board voted on Tuesday to rebuild the old pier, which storms closed two winters ago, with money the town set aside over five years.",
            "Fishermen who moor along the pier said the vote came late but welcome, and that the season's catch had suffered since the closure.",
            "The new deck will stand a metre higher than the old one, so that winter waves pass under it, and the cafe at its end will reopen.",
            "Engineers found last year that the iron piles had rusted through in places and that patching them would cost nearly as much as new ones.",
            "Work is due to start in the spring and to last about eight months, the board's chair told a meeting of residents in the town hall.",
        ];
        let sidebar = "Most read Pier reopening date Council tax rises Weekend weather ".repeat(3);
        let html = format!(
            "<html><body><div class=\"menu\">{menu}</div><article><h1>Pier to be rebuilt</h1>{}</article><div class=\"sidebar\">{sidebar}</div></body></html>",
            paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect::<String>()
        );
        let glued = format!(
            "{menu} Pier to be rebuilt {} {sidebar}",
            paragraphs.join(" ")
        );
        (html, glued)
    }

    #[test]
    fn a_page_returned_as_one_glued_paragraph_is_read_again_by_readability() {
        let (html, glued) = glued_page();
        let text = glued_fallback(&html, glued);
        assert!(text.contains("The harbour board voted"), "{text}");
        assert!(text.contains("town hall."), "{text}");
        assert!(!text.contains("Subscribe"), "{text}");
        assert!(!text.contains("Most read"), "{text}");
    }

    #[test]
    fn an_extraction_in_paragraphs_or_a_short_one_is_kept() {
        let (html, glued) = glued_page();
        let apart = glued.replacen("Pier to be rebuilt", "\n\nPier to be rebuilt", 1);
        assert_eq!(glued_fallback(&html, apart.clone()), apart);
        let short = "Pier to be rebuilt. The board voted.".to_string();
        assert_eq!(glued_fallback(&html, short.clone()), short);
    }

    #[test]
    fn paragraphs_already_apart_are_left_alone() {
        let page = Html::parse_document("<p>One here.</p><p>Two here.</p>");
        assert_eq!(
            resegment("One here.\n\nTwo here.", &page),
            "One here.\n\nTwo here."
        );
    }
}
