//! The headline of an HTML page: which of the page's titles to trust, and the site name that the
//! document `<title>` usually carries ("Pier reopens | The Courier", "Courier – Pier reopens")
//! dropped.
//!
//! Titles the publisher declared for the article (JSON-LD `headline`, Dublin Core, OpenGraph,
//! Twitter) are taken as written: on the measured pages a site name left in them is the
//! publisher's choice as often as not, and dropping it lost more pages than it won. The
//! `<title>` element is a browser-tab label, where a site name is the rule, so only it is cleaned,
//! and only of a part that names the site (`og:site_name`, the JSON-LD publisher, the application
//! name, the host) or that reads like a short capitalised name after a headline of four words or
//! more. It does not read the main text.

use scraper::{Html, Selector};

/// Meta tags that declare the article's title, most trusted first (matched without regard to
/// case, as `name`, `property` or `itemprop`).
const DECLARED_TITLE_META: &[&str] = &[
    "dc.title",
    "dcterms.title",
    "og:title",
    "twitter:title",
    "headline",
    "parsely-title",
];

/// Meta tags that name the site.
const SITE_NAME_META: &[&str] = &[
    "og:site_name",
    "application-name",
    "apple-mobile-web-app-title",
    "publisher",
    "twitter:site",
];

/// What separates a headline from a site name in a `<title>`, with the spaces around it.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " · ", " :: ", " » ", " « ", " ✩ ", " ~ ", " / ",
];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("title selectors are valid CSS")
}

/// The page's headline: the JSON-LD article headline when there is one, then a declared title
/// meta tag, then the `<title>` without its site name, then the first `<h1>`.
pub(super) fn page_title(
    page: &Html,
    json_ld_headline: Option<&str>,
    publisher: Option<&str>,
) -> Option<String> {
    if let Some(headline) = json_ld_headline.map(clean_space).filter(|h| !h.is_empty()) {
        return Some(headline);
    }
    let metas = meta_contents(page);
    let declared = DECLARED_TITLE_META
        .iter()
        .find_map(|name| meta_content(&metas, name));
    if declared.is_some() {
        return declared;
    }
    let mut site_names: Vec<String> = SITE_NAME_META
        .iter()
        .filter_map(|name| meta_content(&metas, name))
        .map(|name| name.trim_start_matches('@').to_string())
        .collect();
    site_names.extend(publisher.map(str::to_string));
    site_names.extend(page_host(page, &metas));
    let document_title = page
        .select(&selector("title"))
        .map(super::metadata::element_text)
        .find(|t| !t.is_empty())
        .and_then(|title| without_site_name(&title, &site_names));
    document_title.or_else(|| {
        page.select(&selector("h1"))
            .map(super::metadata::element_text)
            .find(|t| !t.is_empty())
    })
}

/// The document title of a page, for choosing between two JSON-LD titles.
pub(super) fn document_title(page: &Html) -> Option<String> {
    page.select(&selector("title"))
        .map(super::metadata::element_text)
        .find(|t| !t.is_empty())
}

/// `(name, content)` of every meta tag, the name in lower case (`name`, `property` or `itemprop`).
fn meta_contents(page: &Html) -> Vec<(String, String)> {
    page.select(&selector("meta[content]"))
        .filter_map(|meta| {
            let element = meta.value();
            let name = element
                .attr("property")
                .or_else(|| element.attr("name"))
                .or_else(|| element.attr("itemprop"))?;
            let content = clean_space(element.attr("content")?);
            Some((name.trim().to_lowercase(), content))
        })
        .collect()
}

fn meta_content(metas: &[(String, String)], name: &str) -> Option<String> {
    metas
        .iter()
        .find(|(meta_name, content)| meta_name == name && !content.is_empty())
        .map(|(_, content)| content.clone())
}

/// The site's own label in its host ("www.courier.co.uk" → "courier"), from `og:url` or the
/// canonical link.
fn page_host(page: &Html, metas: &[(String, String)]) -> Option<String> {
    let url = meta_content(metas, "og:url").or_else(|| {
        page.select(&selector(r#"link[rel="canonical"]"#))
            .find_map(|link| link.value().attr("href").map(str::to_string))
    })?;
    let host = url
        .split("://")
        .nth(1)?
        .split(['/', '?', '#', ':'])
        .next()?;
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    // The label before the public suffix: "courier" in www.courier.com and in courier.co.uk.
    let label = match labels.as_slice() {
        [.., name, second, top] if second.len() <= 3 && top.len() == 2 => name,
        [.., name, _top] => name,
        _ => return None,
    };
    (label.len() >= 3 && *label != "www").then(|| label.to_string())
}

/// `title` without a leading or trailing part that names the site, or without a short
/// capitalised name after a headline of four words or more. `None` when the whole title is the
/// site's name.
pub(super) fn without_site_name(title: &str, site_names: &[String]) -> Option<String> {
    let folded_names: Vec<String> = site_names
        .iter()
        .map(|n| fold(n))
        .filter(|n| n.chars().count() >= 2)
        .collect();
    let mut rest = title.trim();
    let folded_title = fold(rest);
    if folded_names
        .iter()
        .any(|name| *name == folded_title || name.starts_with(&folded_title))
    {
        return None;
    }
    let mut changed = true;
    while changed {
        changed = false;
        if let Some((head, tail)) = split_last(rest) {
            if folded_names.iter().any(|name| names_site(tail, name)) {
                rest = head;
                changed = true;
                continue;
            }
        }
        if let Some((head, tail)) = split_first(rest) {
            if folded_names.iter().any(|name| names_site(head, name)) {
                rest = tail;
                changed = true;
            }
        }
    }
    if rest == title.trim() {
        if let Some((head, tail)) = split_last(rest) {
            if head.split_whitespace().count() >= 4 && reads_like_a_name(tail) {
                rest = head;
            }
        }
    }
    Some(rest.to_string())
}

/// The title split at its last separator.
fn split_last(title: &str) -> Option<(&str, &str)> {
    SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|idx| (idx, sep.len())))
        .max_by_key(|(idx, _)| *idx)
        .map(|(idx, len)| (title[..idx].trim(), title[idx + len..].trim()))
        .filter(|(head, tail)| !head.is_empty() && !tail.is_empty())
}

/// The title split at its first separator.
fn split_first(title: &str) -> Option<(&str, &str)> {
    SEPARATORS
        .iter()
        .filter_map(|sep| title.find(sep).map(|idx| (idx, sep.len())))
        .min_by_key(|(idx, _)| *idx)
        .map(|(idx, len)| (title[..idx].trim(), title[idx + len..].trim()))
        .filter(|(head, tail)| !head.is_empty() && !tail.is_empty())
}

/// Whether a part of a title names the site: the same letters and digits as a site name, or a
/// part of at most five words beginning with the name, inside it or holding it ("Spiceworks" and
/// "Spiceworks Inc", "TMZ.com" and the host "tmz", "The Washington Post").
fn names_site(part: &str, folded_name: &str) -> bool {
    let folded_part = fold(part);
    if folded_part.is_empty() {
        return false;
    }
    folded_part == folded_name
        || (part.split_whitespace().count() <= 5
            && (folded_part.contains(folded_name) || folded_name.starts_with(&folded_part)))
}

/// A short name: one to three words, each starting with a capital letter or a digit.
fn reads_like_a_name(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    (1..=3).contains(&words.len())
        && words.iter().all(|word| {
            word.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
}

/// Lower-case letters and digits only.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn clean_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_of(html: &str) -> Option<String> {
        page_title(&Html::parse_document(html), None, None)
    }

    #[test]
    fn site_name_suffix_is_dropped_from_the_document_title() {
        let html = r#"<head><title>Pier reopens after storm | The Courier</title>
            <meta property="og:site_name" content="The Courier"></head>"#;
        assert_eq!(title_of(html).as_deref(), Some("Pier reopens after storm"));
    }

    #[test]
    fn site_name_prefix_and_longer_site_names_are_dropped() {
        let names = ["Courier News - all the news".to_string()];
        assert_eq!(
            without_site_name("Courier News – Pier reopens after storm", &names).as_deref(),
            Some("Pier reopens after storm")
        );
    }

    #[test]
    fn host_names_the_site() {
        let html = r#"<head><title>Pier reopens after the storm - Courier.com</title>
            <link rel="canonical" href="https://www.courier.com/news/pier"></head>"#;
        assert_eq!(
            title_of(html).as_deref(),
            Some("Pier reopens after the storm")
        );
    }

    #[test]
    fn short_capitalised_name_after_a_long_headline_is_dropped() {
        assert_eq!(
            without_site_name("Council votes to close the old library · Elm Gazette", &[])
                .as_deref(),
            Some("Council votes to close the old library")
        );
    }

    #[test]
    fn lower_case_or_long_tails_and_short_heads_are_kept() {
        for title in [
            "Storm hits the coast tonight - live updates",
            "Pier - Courier",
            "Pier reopens after storm - Mara Ellison ( Mara ) ( mellison )",
        ] {
            assert_eq!(without_site_name(title, &[]).as_deref(), Some(title));
        }
    }

    #[test]
    fn declared_titles_are_taken_as_written() {
        let html = r#"<head><title>Other words | The Courier</title>
            <meta property="og:title" content="Pier reopens | The Courier">
            <meta property="og:site_name" content="The Courier"></head><h1>Pier</h1>"#;
        assert_eq!(
            title_of(html).as_deref(),
            Some("Pier reopens | The Courier")
        );
    }

    #[test]
    fn dublin_core_title_comes_before_opengraph() {
        let html = r#"<head><meta name="DC.Title" content="Pier reopens">
            <meta property="og:title" content="Pier"></head>"#;
        assert_eq!(title_of(html).as_deref(), Some("Pier reopens"));
    }

    #[test]
    fn document_title_comes_before_a_section_heading() {
        let html = r#"<head><title>Pier reopens after storm</title></head>
            <body><h1>Local news</h1></body>"#;
        assert_eq!(title_of(html).as_deref(), Some("Pier reopens after storm"));
    }

    #[test]
    fn a_document_title_that_is_only_the_site_name_gives_way_to_the_heading() {
        let html = r#"<head><title>The Courier</title>
            <meta property="og:site_name" content="The Courier"></head>
            <body><h1>Pier reopens after storm</h1></body>"#;
        assert_eq!(title_of(html).as_deref(), Some("Pier reopens after storm"));
    }
}
