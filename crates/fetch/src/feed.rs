//! Feeds (RSS 2.0, RSS 1.0, Atom, JSON Feed) to the articles they list, with each item's title,
//! date and authors.
//!
//! Parsing is `feed-rs`'s (it reads RFC 822 dates with any zone, `dc:creator`, Atom
//! published/updated and authors, JSON Feed). This module picks each item's article link: its
//! `alternate` link (or the first link without a `rel`), else an id that is an http(s) URL (Atom ids
//! and RSS permalinks often are); items with neither are dropped. It fetches nothing.

use url::Url;

use crate::canonical::resolve_canonical;
use crate::error::FetchErrorKind;

/// What a feed or a news sitemap says about one article, used when the page does not say it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// The article's canonical URL.
    pub url: String,
    /// Its headline.
    pub title: Option<String>,
    /// Its publication time, `YYYY-MM-DDTHH:MM:SSZ`.
    pub published: Option<String>,
    /// Its authors.
    pub authors: Vec<String>,
    /// The outlet (a news sitemap's publication name).
    pub outlet: Option<String>,
}

/// The articles a feed lists, in feed order, links resolved against `feed_url` and canonicalised.
pub fn feed_listings(body: &[u8], feed_url: &Url) -> Result<Vec<Listing>, FetchErrorKind> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url.as_str()))
        .build()
        .parse(body)
        .map_err(|error| FetchErrorKind::Malformed {
            what: "feed",
            message: error.to_string(),
        })?;
    let mut listings = Vec::new();
    for entry in feed.entries {
        let link = entry
            .links
            .iter()
            .find(|link| link.rel.as_deref() == Some("alternate"))
            .or_else(|| entry.links.iter().find(|link| link.rel.is_none()))
            .map(|link| link.href.as_str())
            .or_else(|| {
                let id = entry.id.trim();
                (id.starts_with("http://") || id.starts_with("https://")).then_some(id)
            });
        let Some(url) = link.and_then(|href| resolve_canonical(feed_url, href)) else {
            continue;
        };
        let title = entry
            .title
            .map(|text| text.content.trim().to_string())
            .filter(|title| !title.is_empty());
        let published = entry
            .published
            .or(entry.updated)
            .map(|date| date.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        let authors = entry
            .authors
            .iter()
            .filter_map(|person| person.name.as_deref())
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect();
        listings.push(Listing {
            url: url.to_string(),
            title,
            published,
            authors,
            outlet: None,
        });
    }
    Ok(listings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listings(body: &str) -> Vec<Listing> {
        let base = Url::parse("https://news.example/feed.xml").unwrap();
        feed_listings(body.as_bytes(), &base).unwrap()
    }

    #[test]
    fn rss_items_give_link_title_date_and_author() {
        let found = listings(
            r#"<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
            <item><title>Ferry strike ends</title><link>/harbour/ferry?utm_source=rss</link>
            <pubDate>Tue, 12 Mar 2019 14:05:00 +0100</pubDate><dc:creator>Ines Varga</dc:creator></item>
            <item><title>No link here</title></item></channel></rss>"#,
        );
        assert_eq!(
            found,
            [Listing {
                url: "https://news.example/harbour/ferry".into(),
                title: Some("Ferry strike ends".into()),
                published: Some("2019-03-12T13:05:00Z".into()),
                authors: vec!["Ines Varga".into()],
                outlet: None,
            }]
        );
    }

    #[test]
    fn atom_entries_use_the_alternate_link() {
        let found = listings(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>x</id><updated>2024-01-01T00:00:00Z</updated>
            <entry><id>tag:news.example,2024:1</id><title>Dam opens</title>
            <link rel="self" href="https://news.example/api/1"/><link rel="alternate" href="https://news.example/dam"/>
            <published>2024-05-02T08:00:00+02:00</published><author><name>Oskar Lind</name></author></entry></feed>"#,
        );
        assert_eq!(found[0].url, "https://news.example/dam");
        assert_eq!(found[0].published.as_deref(), Some("2024-05-02T06:00:00Z"));
        assert_eq!(found[0].authors, ["Oskar Lind"]);
    }

    #[test]
    fn json_feed_items_are_read() {
        let found = listings(
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"https://news.example/bridge","title":"Bridge closes","date_published":"2024-06-01T10:00:00Z","authors":[{"name":"Rosa Quint"}]}]}"#,
        );
        assert_eq!(found[0].url, "https://news.example/bridge");
        assert_eq!(found[0].authors, ["Rosa Quint"]);
    }

    #[test]
    fn a_page_is_not_a_feed() {
        let base = Url::parse("https://news.example/").unwrap();
        assert!(feed_listings(b"<html><body><p>Hello</p></body></html>", &base).is_err());
    }
}
