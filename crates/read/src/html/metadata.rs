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

/// JSON-LD `@type`s of a news article, which every reader of JSON-LD takes as the page's article
/// (each adds the types it also accepts: [`is_article`]).
const NEWS_ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
];

/// Types the metadata reader also takes as the article: a page described as a whole, a post.
const METADATA_ARTICLE_TYPES: &[&str] = &["WebPage", "SocialMediaPosting"];

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
        .map(|script| without_cdata(&script.text().collect::<String>()).to_string())
        .collect()
}

/// A script's text without the `<![CDATA[ … ]]>` wrapping (bare or behind `//`) that some pages
/// put around JSON-LD, which no JSON parser accepts.
fn without_cdata(script: &str) -> &str {
    let mut text = script.trim();
    for opening in ["//<![CDATA[", "<![CDATA["] {
        if let Some(rest) = text.strip_prefix(opening) {
            text = rest.trim_start();
            break;
        }
    }
    for closing in ["//]]>", "]]>"] {
        if let Some(rest) = text.strip_suffix(closing) {
            text = rest.trim_end();
            break;
        }
    }
    text
}

/// Reads the metadata of a parsed page.
pub fn page_metadata(page: &Html) -> PageMetadata {
    let mut found = PageMetadata::default();
    let mut headlines = Vec::new();
    for json in json_ld_texts(page) {
        if let Ok(value) = serde_json::from_str::<Value>(json.trim()) {
            json_ld(&value, &mut found, &mut headlines, 0);
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

    if found.outlet.is_none() {
        found.outlet = meta(&["og:site_name", "application-name", "publisher"]);
    }
    let headline = json_ld_headline(page, &headlines, found.outlet.as_deref());
    found.title = super::title::page_title(page, headline.as_deref(), found.outlet.as_deref());
    let dates = super::dates::page_dates(page, jiff::Zoned::now().date());
    found.published = dates.published;
    found.updated = dates.updated;
    found.authors = super::authors::page_authors(page);
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
/// Whether a JSON-LD object is a news article or one of the `extra` types a reader also accepts.
pub(super) fn is_article(object: &serde_json::Map<String, Value>, extra: &[&str]) -> bool {
    has_type(object, NEWS_ARTICLE_TYPES) || has_type(object, extra)
}

pub(super) fn has_type(object: &serde_json::Map<String, Value>, types: &[&str]) -> bool {
    match object.get("@type") {
        Some(Value::String(t)) => types.contains(&t.as_str()),
        Some(Value::Array(names)) => names
            .iter()
            .any(|t| t.as_str().is_some_and(|t| types.contains(&t))),
        _ => false,
    }
}

/// The headline of the first JSON-LD article object. Where it gives a `headline` and a different
/// `name` (a list page's "Wikimedia list article" beside its real title), the one the document
/// `<title>` holds wins; a `name` that is the outlet's own is never taken.
fn json_ld_headline(
    page: &Html,
    headlines: &[(Option<String>, Option<String>)],
    outlet: Option<&str>,
) -> Option<String> {
    let fold = |text: &str| text.to_lowercase().split_whitespace().collect::<String>();
    let (headline, name) = headlines.iter().find_map(|(headline, name)| {
        // An article's `name` that is the outlet's own name is no headline.
        let name = name
            .as_ref()
            .filter(|name| outlet.is_none_or(|outlet| fold(outlet) != fold(name)));
        (headline.is_some() || name.is_some()).then_some((headline, name))
    })?;
    match (headline, name) {
        (Some(headline), Some(name)) if headline != name => {
            let document_title = super::title::document_title(page).map(|t| fold(&t));
            let in_title = |text: &str| {
                document_title
                    .as_ref()
                    .is_some_and(|title| title.contains(&fold(text)))
            };
            if !in_title(headline) && in_title(name) {
                Some(name.clone())
            } else {
                Some(headline.clone())
            }
        }
        (Some(headline), _) => Some(headline.clone()),
        (None, name) => name.cloned(),
    }
}

/// Walks a JSON-LD value (objects, arrays, `@graph`): the outlet and URL of article objects, and
/// their `(headline, name)` in `headlines`.
fn json_ld(
    value: &Value,
    found: &mut PageMetadata,
    headlines: &mut Vec<(Option<String>, Option<String>)>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|item| json_ld(item, found, headlines, depth + 1)),
        Value::Object(object) => {
            if let Some(graph) = object.get("@graph") {
                json_ld(graph, found, headlines, depth + 1);
            }
            let is_article = is_article(object, METADATA_ARTICLE_TYPES);
            if !is_article {
                return;
            }
            let is_web_page = object.get("@type").and_then(Value::as_str) == Some("WebPage");
            if !is_web_page {
                let text = |key: &str| {
                    object
                        .get(key)
                        .and_then(Value::as_str)
                        .map(clean_space)
                        .filter(|t| !t.is_empty())
                };
                headlines.push((text("headline"), text("name")));
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
    fn json_ld_wrapped_in_cdata_is_read() {
        let html = r#"<head><title>Pier reopened - The Courier</title>
        <script type="application/ld+json">
        //<![CDATA[
        {"@type":"NewsArticle","headline":"Pier reopens after the storm","author":{"name":"Mara Ellison"}}
        //]]>
        </script></head>"#;
        let found = page_metadata(&Html::parse_document(html));
        assert_eq!(found.title.as_deref(), Some("Pier reopens after the storm"));
        assert_eq!(found.authors, ["Mara Ellison"]);
    }

    #[test]
    fn json_ld_name_the_document_title_holds_beats_a_generic_headline() {
        let html = r#"<head><title>Films set in one day - Elm Wiki</title>
        <script type="application/ld+json">{"@type":"Article","headline":"Wiki list article",
        "name":"Films set in one day"}</script></head>"#;
        let found = page_metadata(&Html::parse_document(html));
        assert_eq!(found.title.as_deref(), Some("Films set in one day"));
    }

    #[test]
    fn json_ld_name_that_is_the_outlet_is_no_headline() {
        let html = r#"<head><title>Pier reopened | The Courier</title>
        <script type="application/ld+json">{"@type":"NewsArticle","headline":"Pier reopens",
        "name":"The Courier","publisher":{"name":"The Courier"}}</script></head>"#;
        let found = page_metadata(&Html::parse_document(html));
        assert_eq!(found.title.as_deref(), Some("Pier reopens"));
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
