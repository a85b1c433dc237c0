//! Article metadata from HTML: title, publication date, authors, outlet and URL, from JSON-LD,
//! OpenGraph and article meta tags, `<time>`, bylines and headings, in that order of trust.
//!
//! It reads the parsed page and never the main text; conflicts are settled by the order of sources
//! above (structured data first, visible markup last).

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use newslens_contract::dates::parse_date_phrase;

/// Metadata found in a page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageMetadata {
    /// The headline.
    pub title: Option<String>,
    /// ISO 8601 publication date, as the page wrote it.
    pub published: Option<String>,
    /// ISO 8601 last-modified date, when the page gives one apart from `published`.
    pub updated: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Outlet name.
    pub outlet: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
}

/// JSON-LD `@type`s that describe an article.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "WebPage",
    "SocialMediaPosting",
];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("metadata selectors are valid CSS")
}

/// The text of every JSON-LD script of a page (its `type` matched without regard to case or
/// surrounding spaces, as pages write it), for the title, author and date readers alike.
pub(super) fn json_ld_texts(page: &Html) -> Vec<String> {
    page.select(&selector("script"))
        .filter(|script| {
            script
                .value()
                .attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        })
        .map(|script| script.text().collect())
        .collect()
}

/// Reads the metadata of a parsed page.
pub fn page_metadata(page: &Html) -> PageMetadata {
    let mut found = PageMetadata::default();
    for json in json_ld_texts(page) {
        if let Ok(value) = serde_json::from_str::<Value>(json.trim()) {
            json_ld(&value, &mut found, 0);
        }
    }

    let meta = |names: &[&str]| -> Option<String> {
        names.iter().find_map(|name| {
            let css =
                format!(r#"meta[property="{name}"], meta[name="{name}"], meta[itemprop="{name}"]"#);
            page.select(&selector(&css))
                .filter_map(|el| el.value().attr("content"))
                .map(clean_space)
                .find(|content| !content.is_empty())
        })
    };

    if found.title.is_none() {
        found.title = meta(&["og:title", "twitter:title", "headline"])
            .or_else(|| first_text(page, "h1"))
            .or_else(|| first_text(page, "title"));
    }
    let dates = super::dates::page_dates(page, jiff::Zoned::now().date());
    found.published = dates.published;
    found.updated = dates.updated;
    found.authors = super::authors::page_authors(page);
    if found.outlet.is_none() {
        found.outlet = meta(&["og:site_name", "application-name", "publisher"]);
    }
    if found.url.is_none() {
        found.url = meta(&["og:url"]).or_else(|| {
            page.select(&selector(r#"link[rel="canonical"]"#))
                .find_map(|el| el.value().attr("href").map(str::to_string))
        });
    }
    found.title = found
        .title
        .map(|title| clean_space(&title))
        .filter(|t| !t.is_empty());
    found
}

/// Whether a JSON-LD object's `@type` (one name or a list) is one of `types`.
pub(super) fn has_type(object: &serde_json::Map<String, Value>, types: &[&str]) -> bool {
    match object.get("@type") {
        Some(Value::String(t)) => types.contains(&t.as_str()),
        Some(Value::Array(names)) => names
            .iter()
            .any(|t| t.as_str().is_some_and(|t| types.contains(&t))),
        _ => false,
    }
}

/// Walks a JSON-LD value (objects, arrays, `@graph`) and fills what article objects say.
fn json_ld(value: &Value, found: &mut PageMetadata, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|item| json_ld(item, found, depth + 1)),
        Value::Object(object) => {
            if let Some(graph) = object.get("@graph") {
                json_ld(graph, found, depth + 1);
            }
            let is_article = has_type(object, ARTICLE_TYPES);
            if !is_article {
                return;
            }
            let is_web_page = object.get("@type").and_then(Value::as_str) == Some("WebPage");
            if found.title.is_none() && !is_web_page {
                found.title = object
                    .get("headline")
                    .and_then(Value::as_str)
                    .map(clean_space);
            }
            if found.outlet.is_none() {
                found.outlet = names(object.get("publisher")).into_iter().next();
            }
            if found.url.is_none() && !is_web_page {
                found.url = object
                    .get("url")
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
        }
        _ => {}
    }
}

/// Names in a JSON-LD person or organisation value: a string, `{"name": …}`, or a list of them.
fn names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(name)) if !name.starts_with("http") => vec![clean_space(name)],
        Some(Value::Object(object)) => object
            .get("name")
            .and_then(Value::as_str)
            .map(clean_space)
            .into_iter()
            .collect(),
        Some(Value::Array(items)) => items.iter().flat_map(|item| names(Some(item))).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|name| !name.is_empty())
    .collect()
}

fn first_text(page: &Html, css: &str) -> Option<String> {
    page.select(&selector(css))
        .map(element_text)
        .find(|text| !text.is_empty())
}

pub(crate) fn element_text(element: ElementRef<'_>) -> String {
    clean_space(&element.text().collect::<String>())
}

fn clean_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A post embedded as markup (`blockquote.twitter-tweet`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedPost {
    /// What the post says.
    pub text: String,
    /// Display name.
    pub author: Option<String>,
    /// Handle with its `@`.
    pub handle: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    /// Link to the post.
    pub url: Option<String>,
}

/// The tweets embedded in a page.
pub fn embedded_posts(page: &Html) -> Vec<EmbeddedPost> {
    let mut posts = Vec::new();
    for quote in page.select(&selector("blockquote.twitter-tweet")) {
        let text = quote
            .select(&selector("p"))
            .next()
            .map(element_text)
            .unwrap_or_default();
        let whole = element_text(quote);
        let signature = whole.strip_prefix(text.as_str()).unwrap_or(&whole).trim();
        let (author, handle) = match (signature.find("(@"), signature.find(')')) {
            (Some(open), Some(close)) if close > open => (
                Some(
                    signature[..open]
                        .trim_start_matches(['—', '–', '-', ' '])
                        .trim()
                        .to_string(),
                )
                .filter(|a| !a.is_empty()),
                Some(signature[open + 1..close].to_string()),
            ),
            _ => (None, None),
        };
        let status_link = quote
            .select(&selector("a"))
            .filter(|a| {
                a.value()
                    .attr("href")
                    .is_some_and(|h| h.contains("/status"))
            })
            .last();
        let date = status_link
            .as_ref()
            .map(|a| element_text(*a))
            .and_then(|d| parse_date_phrase(&d));
        let url = status_link
            .and_then(|a| a.value().attr("href"))
            .map(str::to_string);
        if !text.is_empty() {
            posts.push(EmbeddedPost {
                text,
                author,
                handle,
                date,
                url,
            });
        }
    }
    posts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_graph_wins_over_meta_tags() {
        let html = r#"<html><head><meta property="og:title" content="OG title">
        <script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"X"},{"@type":"NewsArticle","headline":"LD title","datePublished":"2024-03-05T09:15:00Z","author":[{"@type":"Person","name":"Mara Ellison"},{"name":"Tom Best"}],"publisher":{"name":"The Courier"}}]}</script>
        </head><body></body></html>"#;
        let found = page_metadata(&Html::parse_document(html));
        assert_eq!(found.title.as_deref(), Some("LD title"));
        assert_eq!(found.published.as_deref(), Some("2024-03-05T09:15:00Z"));
        assert_eq!(found.authors, ["Mara Ellison", "Tom Best"]);
        assert_eq!(found.outlet.as_deref(), Some("The Courier"));
    }

    #[test]
    fn meta_tags_time_and_byline_when_there_is_no_json_ld() {
        let html = r#"<html><head><meta property="og:site_name" content="The Courier">
        <meta property="article:published_time" content="2024-03-05T09:15:00+01:00"></head>
        <body><h1>Heading</h1><p class="byline">By Mara Ellison</p></body></html>"#;
        let found = page_metadata(&Html::parse_document(html));
        assert_eq!(found.title.as_deref(), Some("Heading"));
        assert_eq!(
            found.published.as_deref(),
            Some("2024-03-05T09:15:00+01:00")
        );
        assert_eq!(found.authors, ["Mara Ellison"]);
        assert_eq!(found.outlet.as_deref(), Some("The Courier"));
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let html = r#"<script type="application/ld+json">{"headline": </script><title>T</title>"#;
        assert_eq!(
            page_metadata(&Html::parse_document(html)).title.as_deref(),
            Some("T")
        );
    }

    #[test]
    fn twitter_embed_gives_author_handle_date_and_link() {
        let html = r#"<blockquote class="twitter-tweet"><p lang="en">Books over bricks. <a href="https://t.co/Ab">pic.twitter.com/Ab</a></p>&mdash; Elm Library (@ElmLib) <a href="https://twitter.com/ElmLib/status/1">March 5, 2024</a></blockquote>"#;
        let posts = embedded_posts(&Html::parse_document(html));
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].author.as_deref(), Some("Elm Library"));
        assert_eq!(posts[0].handle.as_deref(), Some("@ElmLib"));
        assert_eq!(posts[0].date.as_deref(), Some("2024-03-05"));
        assert_eq!(
            posts[0].url.as_deref(),
            Some("https://twitter.com/ElmLib/status/1")
        );
    }
}
