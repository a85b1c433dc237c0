//! Canonical URLs, so that one article is fetched and stored once whatever link led to it.
//!
//! [`canonical_url`] lower-cases the scheme and host, drops default ports, the fragment and the
//! tracking parameters of `data/tracking_parameters.txt` (`utm_*`, `fbclid`, `gclid`…), and
//! resolves `..` (the `url` crate does the WHATWG parts). The query is rewritten only when a
//! parameter was removed, because rewriting it re-encodes `%20` as `+`. [`page_canonical`] finds
//! the `<link rel="canonical">` a page names for itself. It does not fetch anything.

use std::sync::OnceLock;

use url::Url;

use crate::error::{FetchError, FetchErrorKind};

/// The tracking parameters: exact names and prefixes (lines ending in `*`).
fn tracking_parameters() -> &'static (Vec<&'static str>, Vec<&'static str>) {
    static PARAMETERS: OnceLock<(Vec<&'static str>, Vec<&'static str>)> = OnceLock::new();
    PARAMETERS.get_or_init(|| {
        let mut exact = Vec::new();
        let mut prefixes = Vec::new();
        for line in include_str!("../data/tracking_parameters.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.strip_suffix('*') {
                Some(prefix) => prefixes.push(prefix),
                None => exact.push(line),
            }
        }
        (exact, prefixes)
    })
}

fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let (exact, prefixes) = tracking_parameters();
    exact.contains(&name.as_str()) || prefixes.iter().any(|prefix| name.starts_with(prefix))
}

/// The canonical form of an http(s) URL (see the module doc).
///
/// ```
/// use newslens_fetch::canonical_url;
///
/// let url = canonical_url("HTTPS://News.Example:443/a/../world/flood?utm_source=x&id=7#comments").unwrap();
/// assert_eq!(url.as_str(), "https://news.example/world/flood?id=7");
/// ```
pub fn canonical_url(input: &str) -> Result<Url, FetchError> {
    let bad = |message: String| FetchError::new(input, FetchErrorKind::BadUrl(message));
    let mut url = Url::parse(input.trim()).map_err(|error| bad(error.to_string()))?;
    canonicalise(&mut url).map_err(bad)?;
    Ok(url)
}

/// Resolves `href` against `base` and canonicalises it; `None` for anything not http(s).
pub fn resolve_canonical(base: &Url, href: &str) -> Option<Url> {
    let mut url = base.join(href.trim()).ok()?;
    canonicalise(&mut url).ok()?;
    Some(url)
}

fn canonicalise(url: &mut Url) -> Result<(), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(url.scheme().to_string());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".to_string());
    }
    url.set_fragment(None);
    if let Some(query) = url.query() {
        let has_tracking =
            url::form_urlencoded::parse(query.as_bytes()).any(|(name, _)| is_tracking(&name));
        if has_tracking {
            // Keep the other parameters in their order and as written (no re-encoding of what is
            // kept): split the raw query rather than round-tripping it through a serializer.
            let kept: Vec<&str> = query
                .split('&')
                .filter(|pair| {
                    let name = pair.split('=').next().unwrap_or("");
                    let decoded = url::form_urlencoded::parse(name.as_bytes())
                        .next()
                        .map(|(name, _)| name.into_owned())
                        .unwrap_or_default();
                    !pair.is_empty() && !is_tracking(&decoded)
                })
                .collect();
            let kept = kept.join("&");
            url.set_query((!kept.is_empty()).then_some(kept.as_str()));
        } else if query.is_empty() {
            url.set_query(None);
        }
    }
    Ok(())
}

/// The URL a page names as its canonical one (`<link rel="canonical" href>`), resolved against
/// the page's URL and canonicalised. Only the head (the first 64 KiB) is read, by a plain scan for
/// `<link` tags: a page declares its canonical URL there, and a full HTML parse is the reader's job.
pub fn page_canonical(html: &[u8], page_url: &Url) -> Option<Url> {
    let head = &html[..html.len().min(64 * 1024)];
    let head = String::from_utf8_lossy(head);
    let lower = head.to_ascii_lowercase();
    let end_of_head = lower.find("</head").unwrap_or(lower.len());
    let mut at = 0;
    while let Some(found) = lower[at..end_of_head].find("<link") {
        let start = at + found;
        let end = lower[start..end_of_head]
            .find('>')
            .map_or(end_of_head, |n| start + n);
        let tag = &head[start..end];
        let rel = attribute(tag, "rel");
        if rel.is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|word| word.eq_ignore_ascii_case("canonical"))
        }) {
            return attribute(tag, "href").and_then(|href| resolve_canonical(page_url, &href));
        }
        at = end;
    }
    None
}

/// The value of an attribute in a tag's source (`name="v"`, `name='v'` or `name=v`), with the
/// few entities a URL holds decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at > 0 && lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - rest.len() + 1;
        let value = tag[value_start..].trim_start();
        let value = match value.chars().next()? {
            quote @ ('"' | '\'') => value[1..].split(quote).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '/')
                .next()
                .unwrap_or(""),
        };
        return Some(
            value
                .replace("&amp;", "&")
                .replace("&#38;", "&")
                .trim()
                .to_string(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(input: &str) -> String {
        canonical_url(input).unwrap().to_string()
    }

    #[test]
    fn scheme_and_host_are_lower_cased_and_default_ports_dropped() {
        assert_eq!(
            canonical("HTTP://WWW.Example.COM:80/Path/Case"),
            "http://www.example.com/Path/Case"
        );
        assert_eq!(
            canonical("https://example.com:443/"),
            "https://example.com/"
        );
        assert_eq!(
            canonical("https://example.com:8443/a"),
            "https://example.com:8443/a"
        );
    }

    #[test]
    fn fragment_and_tracking_parameters_are_dropped_the_rest_kept_in_order() {
        assert_eq!(
            canonical("https://example.com/a?b=2&utm_source=rss&a=1&fbclid=XYZ&UTM_Medium=m#top"),
            "https://example.com/a?b=2&a=1"
        );
        assert_eq!(
            canonical("https://example.com/a?gclid=1&utm_campaign=x"),
            "https://example.com/a"
        );
        assert_eq!(
            canonical("https://example.com/a#x"),
            "https://example.com/a"
        );
    }

    #[test]
    fn a_query_without_tracking_is_not_rewritten() {
        assert_eq!(
            canonical("https://example.com/search?q=flood%20warning&page=2"),
            "https://example.com/search?q=flood%20warning&page=2"
        );
        assert_eq!(
            canonical("https://example.com/search?q=flood%20warning&utm_source=x"),
            "https://example.com/search?q=flood%20warning"
        );
    }

    #[test]
    fn dot_segments_are_resolved_and_an_empty_query_dropped() {
        assert_eq!(
            canonical("https://example.com/a/b/../c/./d?"),
            "https://example.com/a/c/d"
        );
    }

    #[test]
    fn non_http_urls_are_refused() {
        for input in [
            "ftp://example.com/a",
            "mailto:desk@example.com",
            "not a url",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(
                    canonical_url(input),
                    Err(FetchError {
                        kind: FetchErrorKind::BadUrl(_),
                        ..
                    })
                ),
                "{input}"
            );
        }
    }

    #[test]
    fn link_rel_canonical_is_resolved_against_the_page() {
        let page = Url::parse("https://example.com/amp/story-1?utm_source=x").unwrap();
        let html = br#"<html><head><title>T</title>
            <link rel="stylesheet" href="/s.css">
            <LINK REL='canonical' HREF='/world/story-1?ref=home&amp;utm_medium=social'>
            </head><body><link rel="canonical" href="/wrong"></body></html>"#;
        assert_eq!(
            page_canonical(html, &page).unwrap().as_str(),
            "https://example.com/world/story-1?ref=home"
        );
        assert_eq!(page_canonical(b"<html><head></head></html>", &page), None);
    }
}
