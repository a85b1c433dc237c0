//! The layout every page shares (document head, header with the search form, footer) and the small
//! pieces pages have in common: paths to other pages, percent-encoding, which URLs may become
//! links, and how dates are shown.
//!
//! It does not render any page's content.

use maud::{html, Markup, DOCTYPE};

/// A whole HTML5 document: `<head>` with the title and stylesheet, the site header with its search
/// form (pre-filled with `query` when there is one), `content` in `<main>`, and the footer.
pub(crate) fn layout(title: &str, query: Option<&str>, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · newslens" }
                link rel="stylesheet" href="/assets/app.css";
            }
            body {
                a.skip-link href="#content" { "Skip to content" }
                header.site-header {
                    div.site-header-inner {
                        a.site-name href="/" { "newslens" }
                        form.search method="get" action="/" role="search" {
                            label.visually-hidden for="search-q" { "Search articles" }
                            input #search-q type="search" name="q" value=[query]
                                placeholder="Search articles…";
                            button type="submit" { "Search" }
                        }
                    }
                }
                main #content {
                    (content)
                }
                footer.site-footer {
                    p { "newslens — who said what, about whom, when, and how each outlet told the story." }
                }
            }
        }
    }
}

/// The path of an article's page.
pub fn article_path(article_id: &str) -> String {
    format!("/articles/{}", percent_encode(article_id))
}

/// The path of a story's page.
pub fn story_path(story_id: &str) -> String {
    format!("/stories/{}", percent_encode(story_id))
}

/// The path of an entity's page; the name is percent-encoded as one path segment.
pub fn entity_path(name: &str) -> String {
    format!("/entities/{}", percent_encode(name))
}

/// Percent-encodes `text` as one URL path segment or query value: every byte of its UTF-8 form
/// except the unreserved characters of RFC 3986 (`A–Z a–z 0–9 - . _ ~`) becomes `%XX`.
///
/// ```
/// use newslens_server::pages::percent_encode;
/// assert_eq!(percent_encode("Jean-Luc Mélenchon/x"), "Jean-Luc%20M%C3%A9lenchon%2Fx");
/// ```
pub fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push('%');
            encoded.push(HEX[usize::from(byte >> 4)] as char);
            encoded.push(HEX[usize::from(byte & 0xF)] as char);
        }
    }
    encoded
}

/// The URL when it may become a link: only `http` and `https` URLs do, so a stored
/// `javascript:` or `data:` URL is shown as text, never followed.
pub(crate) fn web_url(url: &str) -> Option<&str> {
    let trimmed = url.trim();
    let lower = trimmed.get(..8).unwrap_or(trimmed).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(trimmed)
}

/// A date as shown: `2020-01-06` or `2020-01-06 12:31` from ISO 8601; anything else as it is.
pub(crate) fn display_date(published: &str) -> String {
    let published = published.trim();
    match published.split_once('T') {
        Some((date, time)) if is_hour_minute(time) => format!("{date} {}", &time[..5]),
        Some((date, _)) => date.to_string(),
        None => published.to_string(),
    }
}

/// Whether `time` starts `HH:MM`.
fn is_hour_minute(time: &str) -> bool {
    let bytes = time.as_bytes();
    bytes.len() >= 5
        && bytes[2] == b':'
        && [0, 1, 3, 4].iter().all(|&idx| bytes[idx].is_ascii_digit())
}

/// A class-name fragment made from data (`entity-{TYPE}`, `loaded-{category}`): ASCII letters,
/// digits, `-` and `_` kept, anything else `-`, so a class list can never be split or broken.
pub(crate) fn class_token(raw: &str) -> String {
    let token: String = raw
        .chars()
        .take(32)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if token.is_empty() {
        "other".to_string()
    } else {
        token
    }
}

/// "1 article", "3 articles".
pub(crate) fn plural(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encode_keeps_unreserved_and_encodes_the_rest() {
        assert_eq!(percent_encode("Ashraf Ghani"), "Ashraf%20Ghani");
        assert_eq!(percent_encode("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(percent_encode("“x”"), "%E2%80%9Cx%E2%80%9D");
        assert_eq!(percent_encode("../.."), "..%2F..");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn only_http_and_https_urls_become_links() {
        assert_eq!(
            web_url(" https://example.com/a "),
            Some("https://example.com/a")
        );
        assert_eq!(web_url("HTTP://example.com"), Some("HTTP://example.com"));
        assert_eq!(web_url("javascript:alert(1)"), None);
        assert_eq!(web_url("JaVaScRiPt:alert(1)"), None);
        assert_eq!(web_url("data:text/html,x"), None);
        assert_eq!(web_url("//example.com"), None);
        assert_eq!(web_url("é"), None);
    }

    #[test]
    fn dates_show_day_and_minute() {
        assert_eq!(display_date("2020-01-06T12:31:00"), "2020-01-06 12:31");
        assert_eq!(display_date("2020-01-06"), "2020-01-06");
        assert_eq!(display_date("2020-01-06T1"), "2020-01-06");
        assert_eq!(display_date("2020-01-06Té€"), "2020-01-06");
    }

    #[test]
    fn class_tokens_cannot_break_a_class_list() {
        assert_eq!(class_token("PERSON"), "PERSON");
        assert_eq!(class_token("loaded_verb"), "loaded_verb");
        assert_eq!(class_token("a b\"><x"), "a-b---x");
        assert_eq!(class_token(""), "other");
    }
}
