//! Sitemaps: an index to the sitemaps it lists (with their `<lastmod>`), a `urlset` to its pages, with the `news:` fields
//! of Google News sitemaps (title, publication date, publication name).
//!
//! A small reader over `quick-xml`: the sitemap crates measured here drop every `news:` field,
//! and one of them panics on bad XML (`../shared/CRATES.md`). Element names are matched by local
//! name, so any namespace prefix works. Malformed XML ends the sitemap with an error; the URLs
//! read before it are kept by the caller only if there is no error. It fetches nothing.

use quick_xml::events::Event;
use quick_xml::Reader;
use url::Url;

use crate::canonical::resolve_canonical;
use crate::error::FetchErrorKind;
use crate::feed::Listing;

/// What a sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A sitemap index: more sitemaps.
    Index(Vec<ListedSitemap>),
    /// A set of pages.
    Pages(Vec<Listing>),
}

/// A sitemap as an index lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedSitemap {
    /// Its URL, canonical.
    pub url: Url,
    /// Its `<lastmod>`, as written (compared as a string with the one seen last time).
    pub lastmod: Option<String>,
}

/// Reads a sitemap (index or `urlset`); URLs are resolved against `sitemap_url` and canonicalised.
pub fn read_sitemap(body: &[u8], sitemap_url: &Url) -> Result<Sitemap, FetchErrorKind> {
    let malformed = |message: String| FetchErrorKind::Malformed {
        what: "sitemap",
        message,
    };
    let mut reader = Reader::from_reader(body);
    let mut buffer = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut is_index = None;
    let mut sitemaps = Vec::new();
    let mut pages = Vec::new();
    let mut current = Listing::default();
    let mut listed: Option<ListedSitemap> = None;
    let mut listed_lastmod: Option<String> = None;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| malformed(error.to_string()))?;
        match event {
            Event::Start(start) => {
                let name = local_name(start.local_name().as_ref());
                if is_index.is_none() {
                    is_index = match name.as_str() {
                        "sitemapindex" => Some(true),
                        "urlset" => Some(false),
                        other => return Err(malformed(format!("root element <{other}>"))),
                    };
                }
                if name == "url" {
                    current = Listing::default();
                }
                if name == "sitemap" {
                    listed = None;
                    listed_lastmod = None;
                }
                path.push(name);
                text.clear();
            }
            Event::Text(content) => text.push_str(&content.xml10_content()),
            Event::CData(content) => text.push_str(&content.xml10_content()),
            Event::GeneralRef(reference) => {
                let entity = format!("&{};", reference.xml10_content());
                match quick_xml::escape::unescape(&entity) {
                    Ok(resolved) => text.push_str(&resolved),
                    Err(error) => return Err(malformed(error.to_string())),
                }
            }
            Event::End(_) => {
                let Some(name) = path.pop() else {
                    return Err(malformed("unbalanced end tag".to_string()));
                };
                let parent = path.last().map(String::as_str);
                let value = text.trim().to_string();
                match (name.as_str(), parent) {
                    ("loc", Some("sitemap")) => {
                        listed = resolve_canonical(sitemap_url, &value)
                            .map(|url| ListedSitemap { url, lastmod: None });
                    }
                    ("lastmod", Some("sitemap")) if !value.is_empty() => {
                        listed_lastmod = Some(value)
                    }
                    ("sitemap", _) => {
                        if let Some(mut found) = listed.take() {
                            found.lastmod = listed_lastmod.take();
                            sitemaps.push(found);
                        }
                    }
                    ("loc", Some("url")) => {
                        if let Some(url) = resolve_canonical(sitemap_url, &value) {
                            current.url = url.to_string();
                        }
                    }
                    ("title", Some("news")) if !value.is_empty() => current.title = Some(value),
                    ("publication_date", Some("news")) if !value.is_empty() => {
                        current.published = Some(value)
                    }
                    ("name", Some("publication")) if !value.is_empty() => {
                        current.outlet = Some(value)
                    }
                    ("url", _) if !current.url.is_empty() => {
                        pages.push(std::mem::take(&mut current))
                    }
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    match is_index {
        Some(true) => Ok(Sitemap::Index(sitemaps)),
        Some(false) => Ok(Sitemap::Pages(pages)),
        None => Err(malformed("no root element".to_string())),
    }
}

fn local_name(raw: &str) -> String {
    raw.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/sitemap.xml").unwrap()
    }

    #[test]
    fn an_index_lists_its_sitemaps() {
        let body = br#"<?xml version="1.0"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://news.example/sitemap-1.xml</loc><lastmod>2024-05-01</lastmod></sitemap>
              <sitemap><loc>/sitemap-2.xml?a=1&amp;b=2</loc></sitemap>
            </sitemapindex>"#;
        let Sitemap::Index(found) = read_sitemap(body, &base()).unwrap() else {
            panic!("an index")
        };
        let found: Vec<(&str, Option<&str>)> = found
            .iter()
            .map(|s| (s.url.as_str(), s.lastmod.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                ("https://news.example/sitemap-1.xml", Some("2024-05-01")),
                ("https://news.example/sitemap-2.xml?a=1&b=2", None)
            ]
        );
    }

    #[test]
    fn a_news_sitemap_gives_title_date_and_publication() {
        let body = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
            <url><loc>https://news.example/a#x</loc>
              <news:news><news:publication><news:name>The Example Herald</news:name><news:language>en</news:language></news:publication>
              <news:publication_date>2024-05-01T09:30:00+01:00</news:publication_date><news:title>Tram &amp; bus fares frozen</news:title></news:news></url>
            <url><loc>https://news.example/b</loc><lastmod>2024-05-02</lastmod></url>
            <url><lastmod>2024-05-02</lastmod></url>
            </urlset>"#;
        let Sitemap::Pages(found) = read_sitemap(body, &base()).unwrap() else {
            panic!("pages")
        };
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].url, "https://news.example/a");
        assert_eq!(found[0].title.as_deref(), Some("Tram & bus fares frozen"));
        assert_eq!(
            found[0].published.as_deref(),
            Some("2024-05-01T09:30:00+01:00")
        );
        assert_eq!(found[0].outlet.as_deref(), Some("The Example Herald"));
        assert_eq!(found[1].title, None);
    }

    #[test]
    fn other_xml_and_broken_xml_are_errors_not_panics() {
        assert!(read_sitemap(b"<rss><channel/></rss>", &base()).is_err());
        assert!(read_sitemap(b"<urlset><url><loc>x</url>", &base()).is_err());
        assert!(read_sitemap(b"", &base()).is_err());
    }
}
