//! When a page was published and last updated: structured data first (JSON-LD, meta tags,
//! `itemprop`, `<time>`), then the date the page shows readers near its headline and byline
//! ("Published 12 March 2019", "12.03.2019 | 14:05", "12. März 2019", "12 de marzo de 2019").
//!
//! A date keeps the page's own day and offset as written: a timestamp is never converted to UTC
//! before its day is taken. Dates after the reading day (plus one, for zones ahead of it) or before
//! 1995 are not dates of the article, and nothing is read from a `<script>` but JSON-LD. Where
//! structured data gives a UTC time one day away from the day the page prints for readers, the
//! printed day wins (the page's readers live in its zone, not in UTC), but only where a real zone
//! allows that day; where structured dates disagree, the one the printed day confirms wins. The
//! day in the page's own address (`/2021/10/20/`) beats a printed date, and where the page shows
//! readers its update day first, that day is the one taken as published.
//!
//! Printed dates are read from the visible text only: not from navigation, asides and footers
//! outside the article, reader comments, embedded posts (`<blockquote>`), hidden boxes, the site's
//! banner or a today's-date box. Near the headline, a date labelled as the publication
//! ("Published", "Erstellt am") comes first, then one in an element marked as a date, then one on a
//! line of its own (unless there are many: a list of other articles), then any.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use newslens_contract::dates::parse_date_phrase;

/// A page's publication and last-modified dates, ISO 8601 as the page wrote them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageDates {
    /// When the article was first published.
    pub published: Option<String>,
    /// When it was last changed, when the page says so apart from `published`.
    pub updated: Option<String>,
}

/// Meta tag names (`name`, `property`, `itemprop` or `http-equiv`, lower case) that carry the
/// publication date, most trusted first.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "article:published",
    "og:article:published_time",
    "og:published_time",
    "article.published",
    "published_time",
    "published-date",
    "publication_date",
    "publish_date",
    "publish-date",
    "publishdate",
    "datepublished",
    "date_published",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "bt:pubdate",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
    "citation_date",
    "originalpublicationdate",
    "article:post_date",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "displaydate",
    "created",
    "datecreated",
    "og:pubdate",
    "release_date",
];

/// Meta tag names that carry a date without saying which: content systems fill them with the day a
/// page was made, changed or exported as often as with its publication day, so they are taken only
/// when the page neither gives a named date nor prints one.
const GENERIC_DATE_META: &[&str] = &["dc.date", "dcterms.date", "date"];

/// Meta tag names that carry the last-modified date, most trusted first.
const UPDATED_META: &[&str] = &[
    "article:modified_time",
    "article:modified",
    "og:updated_time",
    "og:modified_time",
    "datemodified",
    "date_modified",
    "modified_time",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
    "bt:moddate",
    "article.updated",
    "updated_time",
    "dateupdate",
];

/// Types the date reader also takes as the article (its dates win over a web page's).
const DATE_ARTICLE_TYPES: &[&str] = &[
    "SocialMediaPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Review",
    "Recipe",
    "VideoObject",
];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("date selectors are valid CSS")
}

/// The publication and last-modified dates of a parsed page; `today` bounds them (a date after it
/// is not taken).
pub fn page_dates(page: &Html, today: Date) -> PageDates {
    let window = Window { today };
    let month_first = month_first(page);
    let (structured, alternates, generic) = structured_dates(page, &window);
    let Printed {
        dates: printed,
        update_shown_first,
        only_day,
    } = printed_dates(page, &window, month_first);

    let mut dates = PageDates {
        published: structured.published.clone(),
        updated: structured.updated.clone().or(printed.updated.clone()),
    };
    match (&structured.published, &printed.published) {
        (None, Some(shown)) => dates.published = Some(shown.clone()),
        (None, None) => dates.published = generic,
        // Structured dates disagree, and the day the page prints confirms another of them.
        (Some(given), Some(shown))
            if days_apart(given, shown) != Some(0)
                && alternates
                    .iter()
                    .any(|other| days_apart(other, shown) == Some(0)) =>
        {
            dates.published = alternates
                .iter()
                .find(|other| days_apart(other, shown) == Some(0))
                .cloned();
        }
        (Some(given), shown) if is_utc_time(given) => {
            // The page's own zone, when another of its dates gives it, or the day it prints.
            // A date in the page's zone on the same day confirms the UTC day.
            let confirmed = alternates
                .iter()
                .any(|other| !is_utc_time(other) && days_apart(given, other) == Some(0));
            let local = alternates
                .iter()
                .filter(|_| !confirmed)
                .find(|other| !is_utc_time(other) && could_be_local_day(given, other))
                .or(shown
                    .as_ref()
                    .filter(|shown| could_be_local_day(given, shown)));
            if let Some(local) = local {
                dates.published = Some(local.clone());
            }
        }
        _ => {}
    }
    // The page prints its update day as its date: that is the day it shows readers.
    if let (Some(shown), Some(given), Some(changed)) =
        (&printed.published, &dates.published, &structured.updated)
    {
        if days_apart(shown, changed) == Some(0)
            && days_apart(shown, given) != Some(0)
            && structured.published.as_ref() == Some(given)
        {
            dates.published = Some(changed.clone());
        }
    }
    // A day in the page's own address (`/2021/10/20/`, `-20211020.html`) is the day the outlet
    // filed it under: it beats a printed date, and a UTC time one day away.
    if let Some(filed) = address_date(page, &window) {
        match &dates.published {
            None => dates.published = Some(filed),
            Some(chosen) if days_apart(chosen, &filed) != Some(0) => {
                let chosen_is_structured = structured.published.as_ref() == Some(chosen);
                if !chosen_is_structured {
                    dates.published = structured
                        .published
                        .clone()
                        .filter(|given| days_apart(given, &filed) == Some(0))
                        .or(Some(filed));
                } else if (is_utc_time(chosen) && could_be_local_day(chosen, &filed))
                    || (filed.as_str() < chosen.as_str()
                        && days_apart(chosen, &filed).is_some_and(|days| days > 1))
                {
                    dates.published = Some(filed);
                }
            }
            _ => {}
        }
    }
    // The day the page shows readers is its update day: the update is the first date printed by
    // the headline, or the only date the page gives at all.
    // When the update is shown first, the day printed is the one readers see, whatever day the
    // structured data gives for the change.
    let shown_update = printed
        .updated
        .as_ref()
        .filter(|_| update_shown_first)
        .or(dates.updated.as_ref());
    if let Some(changed) = shown_update {
        let same_day_structured = structured
            .updated
            .clone()
            .filter(|given| days_apart(given, changed) == Some(0));
        if update_shown_first || dates.published.is_none() {
            dates.published = same_day_structured.or(Some(changed.clone()));
        }
    }
    if dates.published.is_none() {
        dates.published = only_day;
    }
    if dates.updated.is_some() && dates.updated == dates.published {
        dates.updated = None;
    }
    dates
}

/// The bounds a date must fall in.
struct Window {
    today: Date,
}

impl Window {
    /// `iso` when its day is in range: from 1995 to the day after today.
    fn keep(&self, iso: String) -> Option<String> {
        let day: Date = iso.get(..10)?.parse().ok()?;
        let latest = self.today.tomorrow().unwrap_or(self.today);
        (day.year() >= 1995 && day <= latest).then_some(iso)
    }
}

/// Dates from JSON-LD, meta tags, `itemprop` and `<time>` elements, with every other publication
/// date these give (to find the page's own zone when the one taken is in UTC), and the date of a
/// generic `date` meta tag apart (see [`GENERIC_DATE_META`]).
fn structured_dates(page: &Html, window: &Window) -> (PageDates, Vec<String>, Option<String>) {
    let mut found = PageDates::default();
    let mut alternates = Vec::new();
    json_ld_dates(page, window, &mut found, &mut alternates);

    let metas: Vec<(String, &str)> = page
        .select(&selector("meta[content]"))
        .filter_map(|el| {
            let attrs = el.value();
            let key = attrs
                .attr("property")
                .or_else(|| attrs.attr("name"))
                .or_else(|| attrs.attr("itemprop"))
                .or_else(|| attrs.attr("http-equiv"))?;
            Some((key.trim().to_ascii_lowercase(), attrs.attr("content")?))
        })
        .collect();
    let from_meta = |names: &[&str]| {
        names.iter().find_map(|name| {
            metas
                .iter()
                .filter(|(key, _)| key == name)
                .find_map(|(_, value)| parse_value(value).and_then(|iso| window.keep(iso)))
        })
    };
    if found.published.is_none() {
        found.published = from_meta(PUBLISHED_META);
    }
    let generic = from_meta(GENERIC_DATE_META);
    alternates.extend(
        metas
            .iter()
            .filter(|(key, _)| {
                PUBLISHED_META.contains(&key.as_str()) || GENERIC_DATE_META.contains(&key.as_str())
            })
            .filter_map(|(_, value)| parse_value(value)),
    );
    if found.updated.is_none() {
        found.updated = from_meta(UPDATED_META);
    }

    // `itemprop` on visible elements and `<time datetime>`.
    let attr_date = |el: ElementRef<'_>| {
        ["datetime", "content", "title"]
            .iter()
            .find_map(|a| el.value().attr(a).and_then(parse_value))
            .or_else(|| parse_value(&element_text(el)))
            .and_then(|iso| window.keep(iso))
    };
    let itemprop: Vec<String> = page
        .select(&selector(
            r#"[itemprop="datePublished"], [itemprop="dateCreated"]"#,
        ))
        .filter_map(attr_date)
        .collect();
    if found.published.is_none() {
        found.published = itemprop.first().cloned();
    }
    alternates.extend(itemprop);
    if found.updated.is_none() {
        found.updated = page
            .select(&selector(r#"[itemprop="dateModified"]"#))
            .find_map(attr_date);
    }
    let headline = headline_boxes(page);
    let times: Vec<ElementRef<'_>> = page
        .select(&selector("time[datetime]"))
        .filter(|el| !in_skipped(*el, &headline))
        .collect();
    let kind = |el: &ElementRef<'_>| {
        let mut marks = String::new();
        for node in std::iter::once(**el).chain(el.ancestors().take(2)) {
            if let Some(element) = node.value().as_element() {
                marks.push_str(element.attr("class").unwrap_or(""));
                marks.push(' ');
                marks.push_str(element.attr("id").unwrap_or(""));
                marks.push(' ');
            }
        }
        let marks = marks.to_ascii_lowercase();
        if marks.contains("upd") || marks.contains("modif") {
            "updated"
        } else if el.value().attr("pubdate").is_some() || marks.contains("publi") {
            "published"
        } else {
            "plain"
        }
    };
    // An update's time is no other form of the publication date.
    alternates.extend(
        times
            .iter()
            .filter(|el| kind(el) != "updated")
            .take(5)
            .filter_map(|el| attr_date(*el)),
    );
    if found.published.is_none() {
        found.published = times
            .iter()
            .filter(|el| kind(el) == "published")
            .chain(times.iter().filter(|el| kind(el) == "plain"))
            .find_map(|el| attr_date(*el));
        if found.updated.is_none() {
            found.updated = times
                .iter()
                .filter(|el| kind(el) == "updated")
                .find_map(|el| attr_date(*el));
        }
    }
    (found, alternates, generic)
}

/// Dates in JSON-LD blocks: article objects first, then any object with `datePublished`.
fn json_ld_dates(
    page: &Html,
    window: &Window,
    found: &mut PageDates,
    alternates: &mut Vec<String>,
) {
    let mut article = PageDates::default();
    let mut other = PageDates::default();
    for json in super::metadata::json_ld_texts(page) {
        match serde_json::from_str::<Value>(json.trim()) {
            Ok(value) => {
                walk_json_ld(&value, window, &mut article, &mut other, 0);
                static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
                    Regex::new(r#""datePublished"\s*:\s*"([^"]{6,40})""#).expect("valid pattern")
                });
                alternates.extend(
                    PUBLISHED
                        .captures_iter(&json)
                        .filter_map(|caps| parse_value(&caps[1])),
                );
            }
            Err(_) => {
                // Broken JSON (a stray comma, HTML inside a string): take the keys as written.
                static KEY: LazyLock<Regex> = LazyLock::new(|| {
                    Regex::new(r#""(datePublished|dateCreated|dateModified)"\s*:\s*"([^"]{6,40})""#)
                        .expect("valid pattern")
                });
                for caps in KEY.captures_iter(&json) {
                    let iso = parse_value(&caps[2]).and_then(|iso| window.keep(iso));
                    let slot = if &caps[1] == "dateModified" {
                        &mut other.updated
                    } else {
                        &mut other.published
                    };
                    if slot.is_none() {
                        *slot = iso;
                    }
                }
            }
        }
    }
    found.published = article.published.or(other.published);
    found.updated = article.updated.or(other.updated);
}

fn walk_json_ld(
    value: &Value,
    window: &Window,
    article: &mut PageDates,
    other: &mut PageDates,
    depth: usize,
) {
    if depth > 10 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                walk_json_ld(item, window, article, other, depth + 1);
            }
        }
        Value::Object(object) => {
            let is_article = super::metadata::is_article(object, DATE_ARTICLE_TYPES);
            let slot = if is_article {
                &mut *article
            } else {
                &mut *other
            };
            let date = |key: &str| {
                object
                    .get(key)
                    .and_then(Value::as_str)
                    .and_then(parse_value)
                    .and_then(|iso| window.keep(iso))
            };
            if slot.published.is_none() {
                slot.published = date("datePublished")
                    .or_else(|| date("dateCreated"))
                    .or_else(|| date("uploadDate"));
            }
            if slot.updated.is_none() {
                slot.updated = date("dateModified");
            }
            for (key, child) in object {
                if matches!(child, Value::Object(_) | Value::Array(_)) && key != "publisher" {
                    walk_json_ld(child, window, article, other, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// A metadata value as an ISO date: a date phrase or timestamp kept as written, a Unix time, or the
/// first date written inside it.
fn parse_value(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || value.len() > 200 {
        return None;
    }
    if let Some(iso) = parse_date_phrase(value) {
        return Some(iso);
    }
    static ISO_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^((?:19|20)\d{2})-?(\d{2})-?(\d{2})(?:[T\s](\d{2}):?(\d{2})(?::?(\d{1,2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?")
            .expect("valid pattern")
    });
    if let Some(caps) = ISO_PREFIX.captures(value) {
        let date = Date::new(
            caps[1].parse().ok()?,
            caps[2].parse().ok()?,
            caps[3].parse().ok()?,
        )
        .ok()?;
        return Some(match (caps.get(4), caps.get(5)) {
            (Some(h), Some(m)) => format!(
                "{date}T{}:{}:{:0>2}{}",
                h.as_str(),
                m.as_str(),
                caps.get(6).map_or("00", |s| s.as_str()),
                caps.get(7).map_or("", |z| z.as_str())
            ),
            _ => date.to_string(),
        });
    }
    if value.len() == 10 || value.len() == 13 {
        if let Ok(number) = value.parse::<i64>() {
            let seconds = if value.len() == 13 {
                number / 1000
            } else {
                number
            };
            let stamp = jiff::Timestamp::from_second(seconds).ok()?;
            return Some(format!("{}Z", stamp.strftime("%Y-%m-%dT%H:%M:%S")));
        }
    }
    find_dates(value, false)
        .into_iter()
        .next()
        .map(|found| found.date.to_string())
}

/// Whether an ISO timestamp is a time in UTC (`Z`, `+00:00`).
fn is_utc_time(iso: &str) -> bool {
    iso.len() > 10 && (iso.ends_with('Z') || iso.ends_with("+00:00") || iso.ends_with("+0000"))
}

/// Whether `other`, one day away from the UTC time `utc`, can be the same moment's day in a zone
/// people live in (UTC−10 to UTC+14): the day before only when the UTC time is before 10:00, the
/// day after only from 10:00 on.
fn could_be_local_day(utc: &str, other: &str) -> bool {
    let (Some(utc_day), Some(other_day)) = (
        utc.get(..10).and_then(|d| d.parse::<Date>().ok()),
        other.get(..10).and_then(|d| d.parse::<Date>().ok()),
    ) else {
        return false;
    };
    let Some(hour) = utc.get(11..13).and_then(|h| h.parse::<u8>().ok()) else {
        return false;
    };
    match (other_day - utc_day).get_days() {
        -1 => hour < 10,
        1 => hour >= 10,
        _ => false,
    }
}

/// The day in the page's own address (`og:url` or the canonical link): `/2021/10/20/`,
/// `/2020/4/7/`, `-20211020.html`, `/20211020/`, `/29-10-2021` (day first, as the rest of the
/// world writes it).
fn address_date(page: &Html, window: &Window) -> Option<String> {
    static IN_PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>\d{1,2})[/-](?P<d>\d{1,2})(?:[/_-]|$)",
            r"|[/_-](?P<y2>(?:19|20)\d\d)(?P<m2>\d\d)(?P<d2>\d\d)(?:[/_.-]|$)",
            r"|/(?P<d3>\d{1,2})-(?P<m3>\d{1,2})-(?P<y3>(?:19|20)\d\d)(?:[/_.-]|$)"
        ))
        .expect("valid pattern")
    });
    let (og_url, canonical) = (
        selector(r#"meta[property="og:url"]"#),
        selector(r#"link[rel="canonical"]"#),
    );
    let addresses = page
        .select(&og_url)
        .filter_map(|el| el.value().attr("content"))
        .chain(
            page.select(&canonical)
                .filter_map(|el| el.value().attr("href")),
        );
    let caps = addresses
        .filter_map(|address| {
            let path = address.split_once("://").map_or(address, |(_, rest)| rest);
            path.split(['?', '#']).next()
        })
        .find_map(|path| IN_PATH.captures(path))?;
    let part = |names: [&str; 3]| {
        names
            .iter()
            .find_map(|name| caps.name(name))
            .map(|m| m.as_str())
    };
    let (year, month, day): (i16, i8, i8) = (
        part(["y", "y2", "y3"])?.parse().ok()?,
        part(["m", "m2", "m3"])?.parse().ok()?,
        part(["d", "d2", "d3"])?.parse().ok()?,
    );
    let date = Date::new(year, month, day).ok()?;
    window.keep(date.to_string())
}

fn days_apart(a: &str, b: &str) -> Option<i32> {
    let a: Date = a.get(..10)?.parse().ok()?;
    let b: Date = b.get(..10)?.parse().ok()?;
    Some((a - b).get_days().abs())
}

/// Whether the page writes numeric dates month first (US English): `lang="en-US"` or plain `en`.
fn month_first(page: &Html) -> bool {
    page.select(&selector("html[lang]"))
        .next()
        .and_then(|el| el.value().attr("lang"))
        .is_some_and(|lang| {
            let lang = lang.to_ascii_lowercase();
            lang == "en" || lang == "en-us"
        })
}

/// Elements never read for printed dates: scripts, navigation, asides, footers, and quoted or
/// embedded posts (`<blockquote>`: an embedded tweet's or Instagram post's date is its own).
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "select",
    "option",
    "textarea",
    "iframe",
    "blockquote",
];

/// Whether an element's dates are not the article's: it (or an element around it) is skipped
/// (see [`SKIPPED`]) or holds reader comments. An `<aside>` or `<footer>` inside the `<article>`
/// is the article's own box of facts (date, category, tags), so it is read.
fn in_skipped(element: ElementRef<'_>, headline: &[ElementRef<'_>]) -> bool {
    let around: Vec<ElementRef<'_>> = std::iter::once(element)
        .chain(element.ancestors().filter_map(ElementRef::wrap))
        .collect();
    let in_article = around.iter().any(|el| el.value().name() == "article");
    around.iter().any(|el| {
        is_skipped_element(el.value(), in_article)
            || (is_comment(el.value()) && !headline.contains(el))
    })
}

/// The page's first `<h1>` and the elements around it. None of them is a reader comment or the
/// site's banner, whatever their classes say (`class="ArticleHeaderComment"` on an opinion
/// piece).
fn headline_boxes(page: &Html) -> Vec<ElementRef<'_>> {
    page.select(&selector("h1"))
        .next()
        .map(|h1| {
            std::iter::once(h1)
                .chain(h1.ancestors().filter_map(ElementRef::wrap))
                .collect()
        })
        .unwrap_or_default()
}

/// The site's banner: `role="banner"`, or a `<header>` outside the article that does not hold
/// the headline. A date in it is today's or the edition's, not the article's.
fn is_banner(element: ElementRef<'_>, in_article: bool, headline: &[ElementRef<'_>]) -> bool {
    let value = element.value();
    let banner = value.attr("role") == Some("banner") || (value.name() == "header" && !in_article);
    banner && !headline.contains(&element)
}

fn is_skipped_element(element: &scraper::node::Element, in_article: bool) -> bool {
    let name = element.name();
    SKIPPED.contains(&name) && !(matches!(name, "aside" | "footer") && in_article)
}

/// An element readers do not see (`hidden`, `display:none`, a `hidden` class) or a box showing
/// today's date (`class="today"`, `id="current-date"`): no date printed in it is the article's.
fn is_unseen_or_today(element: &scraper::node::Element) -> bool {
    if element.attr("hidden").is_some()
        || element.attr("style").is_some_and(|style| {
            let style: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            style.contains("display:none")
        })
    {
        return true;
    }
    ["class", "id"].iter().any(|attr| {
        element.attr(attr).is_some_and(|marks| {
            marks.split_whitespace().any(|mark| {
                let mark = mark.to_ascii_lowercase();
                matches!(mark.as_str(), "hidden" | "d-none" | "hide" | "is-hidden")
                    || mark.contains("today")
                    || mark.contains("current-date")
                    || mark.contains("currentdate")
            })
        })
    })
}

/// A reader comment's box (`class="comment-body"`, `id="comments"`): its dates are the
/// comments', not the article's.
fn is_comment(element: &scraper::node::Element) -> bool {
    ["class", "id"].iter().any(|attr| {
        element.attr(attr).is_some_and(|marks| {
            marks
                .split_whitespace()
                .any(|mark| mark.to_ascii_lowercase().contains("comment"))
        })
    })
}

pub(crate) fn element_text(element: ElementRef<'_>) -> String {
    element.text().collect::<Vec<_>>().join(" ")
}

/// Marks in a class or id of an element that shows a date.
static DATE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)date|time|publi|posted|byline|meta|datum|fecha|data|stamp|zeit|info|author|autor|subline|dateline|header")
        .expect("valid pattern")
});

/// Characters of visible text before the headline, and after it, in which a printed date is the
/// article's.
const BEFORE_HEADLINE: usize = 300;
const AFTER_HEADLINE: usize = 2000;

/// The dates the page prints for readers near its headline: a date in an element marked as a date
/// or byline wins over one in plain text; one labelled as an update is kept as `updated`.
fn printed_dates(page: &Html, window: &Window, month_first: bool) -> Printed {
    let text = VisibleText::of(page);
    let at = text.headline.unwrap_or(0);
    let (from, to) = (at.saturating_sub(BEFORE_HEADLINE), at + AFTER_HEADLINE);
    let kept = |d: &TextDate| window.keep(d.date.to_string()).is_some();
    let near: Vec<TextDate> = text
        .dates_between(from, to, month_first)
        .into_iter()
        .filter(kept)
        .collect();
    // How much a date near the headline says it is the publication's: labelled so ("Published",
    // "Erstellt am"), then in an element marked as a date or on a line of its own, then any.
    // A date line of its own counts only where there are few: many are a list of other articles.
    let n_date_lines = near.iter().filter(|d| text.is_date_line(d.start)).count();
    let rank = |d: &TextDate| {
        if d.published_label {
            0
        } else {
            let line = n_date_lines <= 2 && text.is_date_line(d.start);
            match (text.is_marked(d.start), line) {
                (true, true) => 1,
                (true, false) => 2,
                (false, true) => 3,
                (false, false) => 4,
            }
        }
    };
    // Elsewhere on the page: in a short element marked as a date (a byline under the text), or
    // labelled as the publication.
    let everywhere = || text.dates_between(0, text.text.len(), month_first);
    let published_elsewhere = || {
        everywhere()
            .into_iter()
            .filter(|d| !d.updated && kept(d))
            .find(|d| {
                d.published_label
                    || text
                        .marked
                        .iter()
                        .any(|(s, e)| d.start >= *s && d.start < *e && e - s <= 300)
            })
            .map(|d| d.date.to_string())
    };
    let published = near
        .iter()
        .filter(|d| !d.updated)
        .min_by_key(|d| (rank(d), d.start))
        .map(|d| d.date.to_string())
        .or_else(published_elsewhere);
    let updated = near
        .iter()
        .find(|d| d.updated)
        .map(|d| d.date.to_string())
        .or_else(|| {
            // An update labelled anywhere ("Letzte Änderung: 14.01.2022" under the text).
            everywhere()
                .into_iter()
                .find(|d| d.updated && kept(d))
                .map(|d| d.date.to_string())
        });
    let update_shown_first = near.first().is_some_and(|d| d.updated);
    // Nothing by the headline: a page that prints one day only, anywhere, shows readers that day.
    let only_day = if published.is_none() && updated.is_none() {
        let mut days = everywhere().into_iter().filter(kept).map(|d| d.date);
        days.next()
            .filter(|first| days.all(|other| other == *first))
            .map(|day| day.to_string())
    } else {
        None
    };
    Printed {
        dates: PageDates { published, updated },
        update_shown_first,
        only_day,
    }
}

/// The dates a page prints near its headline.
struct Printed {
    dates: PageDates,
    /// The first date near the headline is labelled as an update ("Updated 4 June 2020"): that is
    /// the day the page shows readers.
    update_shown_first: bool,
    /// The one day the whole visible text prints, when nothing is printed by the headline.
    only_day: Option<String>,
}

/// A page's visible text in document order (scripts, navigation, asides, footers, reader
/// comments, hidden boxes and today's-date boxes left out), where its first `<h1>` starts, the
/// byte ranges that lie in elements marked as dates, and those of short pieces of text standing
/// alone in their element (`<p>January 18, 2020</p>`), where a date is a line of its own rather
/// than part of a sentence.
struct VisibleText {
    text: String,
    headline: Option<usize>,
    marked: Vec<(usize, usize)>,
    short: Vec<(usize, usize)>,
}

/// Where a walk over the page's elements stands.
#[derive(Debug, Clone, Copy, Default)]
struct Walk {
    /// Elements above, from `<body>`.
    depth: usize,
    /// Inside an `<article>`.
    in_article: bool,
    /// The depth of the nearest element above marked as a date.
    marked_at: Option<usize>,
}

/// Characters of a piece of text that stands alone as a date line, at most.
const SHORT_PIECE: usize = 48;

impl VisibleText {
    fn of(page: &Html) -> VisibleText {
        let mut out = VisibleText {
            text: String::new(),
            headline: None,
            marked: Vec::new(),
            short: Vec::new(),
        };
        let Some(body) = page.select(&selector("body")).next() else {
            return out;
        };
        let headline = headline_boxes(page);
        out.walk(body, &headline, Walk::default());
        out
    }

    /// Adds the visible text under `element`, skipping whole boxes that are not read.
    fn walk(&mut self, element: ElementRef<'_>, headline: &[ElementRef<'_>], walk: Walk) {
        // Deeper than any page the shape check lets through: no date is read there.
        if walk.depth > super::shape::MAX_DEPTH * 2 {
            return;
        }
        for child in element.children() {
            if self.text.len() > 400_000 {
                return;
            }
            if let Some(child_element) = ElementRef::wrap(child) {
                let value = child_element.value();
                if value.name() == "h1" && self.headline.is_none() {
                    self.headline = Some(self.text.len());
                }
                let skipped = is_skipped_element(value, walk.in_article)
                    || is_unseen_or_today(value)
                    || ((is_comment(value) || is_banner(child_element, walk.in_article, headline))
                        && !headline.contains(&child_element));
                if skipped {
                    continue;
                }
                let depth = walk.depth + 1;
                let marks = format!(
                    "{} {}",
                    value.attr("class").unwrap_or(""),
                    value.attr("id").unwrap_or("")
                );
                let marked = value.name() == "time" || DATE_MARK.is_match(&marks);
                self.walk(
                    child_element,
                    headline,
                    Walk {
                        depth,
                        in_article: walk.in_article || value.name() == "article",
                        marked_at: if marked { Some(depth) } else { walk.marked_at },
                    },
                );
                continue;
            }
            let Some(piece) = child.value().as_text() else {
                continue;
            };
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            // Marked when one of the four elements nearest the text is.
            let marked = walk
                .marked_at
                .is_some_and(|marked_at| walk.depth - marked_at < 4);
            let start = self.text.len();
            self.text.push_str(piece);
            self.text.push(' ');
            if marked {
                self.marked.push((start, self.text.len()));
            }
            if piece.chars().count() <= SHORT_PIECE {
                self.short.push((start, self.text.len()));
            }
        }
    }

    /// The dates written between two byte offsets of the text, in order: any written in full,
    /// and those with a two-digit year (`28.01.22`) where they stand in a short piece of their
    /// own or in an element marked as a date (elsewhere `1.2.22` is as often a version number).
    fn dates_between(&self, from: usize, to: usize, month_first: bool) -> Vec<TextDate> {
        let (from, to) = (
            floor_char(&self.text, from),
            floor_char(&self.text, to.min(self.text.len())),
        );
        let mut found: Vec<TextDate> = find_dates(&self.text[from..to], month_first)
            .into_iter()
            .map(|mut d| {
                d.start += from;
                d
            })
            .collect();
        for (start, end) in self.short.iter().chain(self.marked.iter()) {
            if *end <= from || *start >= to {
                continue;
            }
            let (start, end) = ((*start).max(from), (*end).min(to));
            for mut d in find_short_year_dates(&self.text[start..end], month_first) {
                d.start += start;
                if !found.iter().any(|other| other.start == d.start) {
                    found.push(d);
                }
            }
        }
        found.sort_by_key(|d| d.start);
        // Labels may stand in an element of their own before the date's: read them in the text.
        for d in &mut found {
            let before = &self.text[floor_char(&self.text, d.start.saturating_sub(40))..d.start];
            d.updated = UPDATED_LABEL.is_match(before);
            d.published_label = !d.updated && PUBLISHED_LABEL.is_match(before);
        }
        found
    }

    fn is_marked(&self, at: usize) -> bool {
        self.marked.iter().any(|(s, e)| at >= *s && at < *e)
    }

    /// Whether the date at `at` opens a short piece of text of its own (a weekday may come
    /// first: "Tuesday, January 18, 2020").
    fn is_date_line(&self, at: usize) -> bool {
        self.short.iter().any(|(s, e)| {
            at >= *s && at < *e && {
                let before = self.text[*s..at].trim_end();
                before.is_empty()
                    || before
                        .strip_suffix(',')
                        .is_some_and(|word| word.chars().all(char::is_alphabetic))
            }
        })
    }
}

fn floor_char(text: &str, mut idx: usize) -> usize {
    while idx > 0 && !text.is_char_boundary(idx) {
        idx -= 1;
    }
    idx
}

/// A date found in running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDate {
    /// Byte offset in the text.
    pub start: usize,
    /// The day.
    pub date: Date,
    /// The words before it say it is when the page was updated.
    pub updated: bool,
    /// The words before it say it is when the page was published ("Published", "Erstellt am").
    pub published_label: bool,
}

type Months = Vec<(i8, Vec<&'static str>)>;

static TEXT_DATE: LazyLock<(Regex, Months)> = LazyLock::new(|| {
    let months: Months = include_str!("../../data/months.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .zip(1i8..)
        .map(|(line, month)| (month, line.split_whitespace().collect()))
        .collect();
    let mut names: Vec<&str> = months.iter().flat_map(|(_, n)| n.iter().copied()).collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.chars().count()));
    names.dedup();
    let month = names
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|");
    let year = r"(?:19|20)\d{2}";
    // ASCII word boundaries: the fast engines give up on Unicode ones in non-ASCII text.
    let b = r"(?-u:\b)";
    let pattern = format!(
        r"(?ix)
          {b}(?P<iy>{year})-(?P<im>[01]?\d)-(?P<id>[0-3]?\d){b}
        | {b}(?P<ay>{year})[/.]\s?(?P<am>[01]?\d)[/.]\s?(?P<ad>[0-3]?\d){b}
        | (?P<cy>{year})\s*[年년]\s*(?P<cm>[01]?\d)\s*[月월]\s*(?P<cd>[0-3]?\d)
        | {b}(?P<nd>[0-3]?\d)(?P<sep>[./-])\s?(?P<nm>[01]?\d)[./-]\s?(?P<ny>{year}){b}
        | {b}(?P<td>[0-3]?\d)(?:\.|er|st|nd|rd|th|º)?\s*(?:de\s+|of\s+)?(?P<tm>{month})\.?,?\s*(?:de\s+|del\s+)?(?P<ty>{year}){b}
        | {b}(?P<um>{month})\.?\s+(?P<ud>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<uy>{year}){b}
        | {b}(?P<hy>{year})\.?\s+(?P<hm>{month})\s+(?P<hd>[0-3]?\d){b}
        "
    );
    (
        Regex::new(&pattern).expect("the text date pattern is valid"),
        months,
    )
});

/// Words before a date that say it is an update.
static UPDATED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:updat|aktualisiert|geändert|änderung|mis à jour|modifi|actualiza|aggiornat|atualizad|bijgewerkt|zaktualizowano|aktualizováno|päivitetty|обновл|last edited)[^0-9]{0,25}$")
        .expect("valid pattern")
});

/// Words before a date that say it is the publication's.
static PUBLISHED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:publi|posted|veröffentlicht|erstellt|erschienen|publicado|pubblicato|opublikowano|gepubliceerd|julkaistu|publikováno|опубликован)[^0-9]{0,25}$")
        .expect("valid pattern")
});

/// Numeric dates with a two-digit year, day first unless `month_first` (`28.01.22`, `26/10/13`);
/// a year from 95 on is in the 1900s.
fn find_short_year_dates(text: &str, month_first: bool) -> Vec<TextDate> {
    static SHORT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)([0-3]?\d)([./])([01]?\d)[./](\d{2})(?-u:\b)").expect("valid pattern")
    });
    let mut found = Vec::new();
    for caps in SHORT.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 is the match");
        // Part of a longer run of numbers (a version `1.2.22.4`, an address `10.1.22.7`).
        let before = text[..whole.start()].chars().next_back();
        let after = text[whole.end()..].chars().take(2).collect::<String>();
        if before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '/')
            || after.starts_with(|c: char| c.is_ascii_digit())
            || (after.len() == 2
                && (after.starts_with('.') || after.starts_with('/'))
                && after[1..].starts_with(|c: char| c.is_ascii_digit()))
        {
            continue;
        }
        let (Ok(a), Ok(b), Ok(yy)) = (
            caps[1].parse::<i8>(),
            caps[3].parse::<i8>(),
            caps[4].parse::<i16>(),
        ) else {
            continue;
        };
        let (day, month) = if b > 12 || (&caps[2] == "/" && month_first && a <= 12) {
            (b, a)
        } else {
            (a, b)
        };
        let year = if yy >= 95 { 1900 + yy } else { 2000 + yy };
        let Ok(date) = Date::new(year, month, day) else {
            continue;
        };
        found.push(TextDate {
            start: whole.start(),
            date,
            updated: false,
            published_label: false,
        });
    }
    found
}

/// Every date written in `text`, in order: ISO, numeric (day first unless `month_first`, as US
/// pages write them; a day over 12 settles it), and with month names in the main European
/// languages.
pub fn find_dates(text: &str, month_first: bool) -> Vec<TextDate> {
    let (pattern, months) = &*TEXT_DATE;
    let month_number = |name: &str| -> Option<i8> {
        let lower = name.to_lowercase();
        months
            .iter()
            .find(|(_, names)| names.contains(&lower.as_str()))
            .map(|(n, _)| *n)
    };
    let num = |caps: &regex::Captures<'_>, name: &str| -> Option<i16> {
        caps.name(name)?.as_str().parse().ok()
    };
    let mut found = Vec::new();
    for caps in pattern.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 is the match");
        let ymd: Option<(i16, i8, i8)> = (|| {
            for (y, m, d) in [("iy", "im", "id"), ("ay", "am", "ad"), ("cy", "cm", "cd")] {
                if caps.name(y).is_some() {
                    return Some((num(&caps, y)?, num(&caps, m)? as i8, num(&caps, d)? as i8));
                }
            }
            if caps.name("ny").is_some() {
                let (a, b) = (num(&caps, "nd")? as i8, num(&caps, "nm")? as i8);
                let slash = caps.name("sep").is_some_and(|s| s.as_str() == "/");
                let (day, month) = if b > 12 || (slash && month_first && a <= 12) {
                    (b, a)
                } else {
                    (a, b)
                };
                return Some((num(&caps, "ny")?, month, day));
            }
            for (y, m, d) in [("ty", "tm", "td"), ("uy", "um", "ud"), ("hy", "hm", "hd")] {
                if caps.name(y).is_some() {
                    return Some((
                        num(&caps, y)?,
                        month_number(caps.name(m)?.as_str())?,
                        num(&caps, d)? as i8,
                    ));
                }
            }
            None
        })();
        let Some((year, month, day)) = ymd else {
            continue;
        };
        let Ok(date) = Date::new(year, month, day) else {
            continue;
        };
        let before = &text[floor_char(text, whole.start().saturating_sub(40))..whole.start()];
        let updated = UPDATED_LABEL.is_match(before);
        found.push(TextDate {
            start: whole.start(),
            date,
            updated,
            published_label: !updated && PUBLISHED_LABEL.is_match(before),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2024, 6, 1).unwrap()
    }

    fn dates(html: &str) -> PageDates {
        page_dates(&Html::parse_document(html), today())
    }

    fn days(text: &str, month_first: bool) -> Vec<String> {
        find_dates(text, month_first)
            .into_iter()
            .map(|d| d.date.to_string())
            .collect()
    }

    #[test]
    fn the_day_in_the_pages_address_beats_a_utc_time_a_day_later() {
        let html = r#"<head><meta property="og:url" content="">
        <link rel="canonical" href="https://news.example/2023/11/08/council-vote/">
        <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-11-09T05:30:59Z"}</script>
        </head><body><h1>Council votes</h1></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2023-11-08"));
    }

    #[test]
    fn the_day_in_the_pages_address_leaves_a_utc_time_no_zone_can_shift() {
        // 10:04 UTC is the same day everywhere from UTC−10 on.
        let html = r#"<head><link rel="canonical" href="https://news.example/politics/2020/07/08/offices-reopen/">
        <meta property="article:published_time" content="2020-07-09T10:04:04Z"></head>"#;
        assert_eq!(
            dates(html).published.as_deref(),
            Some("2020-07-09T10:04:04Z")
        );
    }

    #[test]
    fn the_day_in_the_pages_address_beats_a_printed_date_and_fills_a_gap() {
        let printed = r#"<head><link rel="canonical" href="https://club.example/2021/10/20/hall-opens/"></head>
        <body><h1>Hall opens</h1><p class="date">18.10.2021</p></body>"#;
        assert_eq!(dates(printed).published.as_deref(), Some("2021-10-20"));
        let bare = r#"<head><link rel="canonical" href="https://club.example/news/hall-opens-20211020.html"></head>"#;
        assert_eq!(dates(bare).published.as_deref(), Some("2021-10-20"));
    }

    #[test]
    fn a_generic_date_meta_tag_gives_way_to_the_printed_date() {
        let html = r#"<head><meta name="date" content="2020-02-12"></head>
        <body><h1>Fair supply chains</h1><div class="news-date">05.02.2020</div></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2020-02-05"));
        let alone =
            r#"<head><meta name="date" content="2020-02-12"></head><body><h1>T</h1></body>"#;
        assert_eq!(dates(alone).published.as_deref(), Some("2020-02-12"));
    }

    #[test]
    fn an_update_printed_first_by_the_headline_is_the_day_readers_see() {
        let html = r#"<head><meta property="article:published_time" content="2019-06-17T09:00:00+02:00">
        <meta property="article:modified_time" content="2020-06-04T16:41:46+02:00"></head>
        <body><h1>Faster builds</h1><p class="meta">Last updated 04 June 2020, first published 17 June 2019</p></body>"#;
        let found = dates(html);
        assert_eq!(
            found.published.as_deref(),
            Some("2020-06-04T16:41:46+02:00")
        );
        assert_eq!(found.updated, None);
        // Printed after the publication day, the update stays apart.
        let later = r#"<head><meta property="article:published_time" content="2019-06-17T09:00:00+02:00">
        <meta property="article:modified_time" content="2020-06-04T16:41:46+02:00"></head>
        <body><h1>Faster builds</h1><p class="meta">17 June 2019 (updated 04 June 2020)</p></body>"#;
        let found = dates(later);
        assert_eq!(
            found.published.as_deref(),
            Some("2019-06-17T09:00:00+02:00")
        );
        assert_eq!(found.updated.as_deref(), Some("2020-06-04T16:41:46+02:00"));
    }

    #[test]
    fn the_one_day_a_page_prints_far_from_its_headline_is_taken_when_nothing_else_is() {
        let filler = "The hall reopened to visitors. ".repeat(120);
        let html =
            format!("<body><h1>Hall opens</h1><p>{filler}</p><p>Posted 23 May 2019</p></body>");
        assert_eq!(dates(&html).published.as_deref(), Some("2019-05-23"));
        let two = format!(
            "<body><h1>Hall opens</h1><p>{filler}</p><p>23 May 2019, 24 May 2019</p></body>"
        );
        assert_eq!(dates(&two).published, None);
    }

    #[test]
    fn an_update_time_is_no_zone_hint_for_the_publication() {
        // 22:57 UTC on the 28th; the update's time on the 29th is not the same moment's local day.
        let html = r#"<head><meta name="pubdate" content="2020-04-28T22:57:38Z"></head><body><h1>T</h1>
        <time class="refs-date" datetime="2020-04-28T22:57">22:57 GMT 28.04.2020</time>
        <time class="refs-date-upd" datetime="2020-04-29T11:14">(updated 11:14 GMT 29.04.2020)</time></body>"#;
        assert_eq!(
            dates(html).published.as_deref(),
            Some("2020-04-28T22:57:38Z")
        );
    }

    #[test]
    fn dates_of_reader_comments_are_not_the_articles() {
        let html = r#"<body><h1>Cutting tomatoes</h1><p class="byline">am 20.09.2020</p>
        <div class="comment-box"><time datetime="2020-09-23T18:19:06+02:00">23.09.20</time></div></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2020-09-20"));
    }

    #[test]
    fn a_date_labelled_as_the_publication_beats_a_list_of_other_articles() {
        let html = r#"<body><div class="teaser"><span class="date">01.02.2022 16:28</span> Ferry timetable changes</div>
        <div class="teaser"><span class="date">31.01.2022 09:10</span> Harbour fees rise</div>
        <p>Pier reopens after storm</p><p>Erstellt am: 30.01.2022 18:36</p><p>The pier reopened.</p></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2022-01-30"));
    }

    #[test]
    fn a_date_on_a_line_of_its_own_beats_one_inside_a_caption() {
        let html = r#"<body><h1>Pier reopens</h1><div class="entry-meta">
        <div>The pier before the storm, on January 16, 2020, seen from the east shore. Photo: harbour office</div>
        <p>January 18, 2020</p><p>The old pier reopened on Saturday.</p></div></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2020-01-18"));
    }

    #[test]
    fn a_two_digit_year_is_read_only_where_a_date_stands_alone() {
        let html = r#"<body><h1>Pier reopens</h1><span class="post-created"> 28.01.22</span>
        <p>Version 1.2.22 of the harbour app was released.</p></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2022-01-28"));
        assert!(find_short_year_dates("build 10.1.22.7 and 1.2.22.4", false).is_empty());
        assert_eq!(
            find_short_year_dates("am 26/10/13, 03:48", false)[0].date,
            Date::new(2013, 10, 26).unwrap()
        );
    }

    #[test]
    fn comments_banners_today_boxes_and_hidden_text_give_no_printed_date() {
        let html = r#"<body><header role="banner"><span class="date">Monday, 5 August 2019</span></header>
        <div class="today">Monday, 5 August 2019</div>
        <main><h1>Pier reopens</h1><span class="date hidden">2019-08-04</span>
        <p>Text of the article about the pier that reopened after the storm.</p>
        <p class="byline">27 June 2019 by Mara</p>
        <div id="comments"><p class="comment-date">28 June 2019</p></div></main></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2019-06-27"));
    }

    #[test]
    fn an_aside_or_footer_inside_the_article_is_the_articles_own() {
        let html = r#"<body><article><header><h2>Pier reopens</h2></header>
        <aside class="facts"><dl><dt>Datum</dt><dd>12.01.2017</dd></dl></aside><p>The pier reopened.</p>
        </article><aside><p>Other news, 14.01.2017</p></aside></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2017-01-12"));
    }

    #[test]
    fn an_embedded_posts_time_is_not_the_articles() {
        let html = r#"<body><h1>Pier reopens</h1><div class="PublishDate">Dienstag, 29. Januar 2019</div>
        <blockquote class="instagram-media"><p>Post shared on <time datetime="2018-03-12T19:30:12+00:00">12 March 2018</time></p></blockquote></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2019-01-29"));
    }

    #[test]
    fn the_printed_day_settles_structured_dates_that_disagree() {
        let html = r#"<head><meta property="article:published_time" content="2022-01-06T08:29:34">
        <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-01-04T07:29:00.000Z"}</script></head>
        <body><h1>Vanlife in the north</h1><p class="meta">06.01.2022</p></body>"#;
        assert_eq!(
            dates(html).published.as_deref(),
            Some("2022-01-06T08:29:34")
        );
    }

    #[test]
    fn an_update_shown_first_is_the_printed_day_even_when_the_data_changed_later() {
        let html = r#"<head><script type="application/ld+json">{"@type":"Article","datePublished":"2016-08-29T21:54:39Z","dateModified":"2020-10-01T13:23:47Z"}</script></head>
        <body><h1>Caring for roses</h1><p>By Mara Ellison Updated May 06, 2019</p><p>Text.</p></body>"#;
        let found = dates(html);
        assert_eq!(found.published.as_deref(), Some("2019-05-06"));
        assert_eq!(found.updated.as_deref(), Some("2020-10-01T13:23:47Z"));
    }

    #[test]
    fn an_address_day_long_before_the_structured_date_is_the_filing_day() {
        let html = r#"<head><link rel="canonical" href="https://blog.example/home/2017/7/12/end-of-the-world">
        <script type="application/ld+json">{"@type":"BlogPosting","datePublished":"2019-06-17T18:28:00+0200"}</script></head>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2017-07-12"));
        let day_first =
            r#"<head><link rel="canonical" href="https://club.example/news/29-10-2021"></head>"#;
        assert_eq!(dates(day_first).published.as_deref(), Some("2021-10-29"));
    }

    #[test]
    fn dates_written_in_many_languages_are_found_in_text() {
        assert_eq!(
            days("Published 12 March 2019, 14:05", false),
            ["2019-03-12"]
        );
        assert_eq!(days("12.03.2019 | 14:05", false), ["2019-03-12"]);
        assert_eq!(days("Dienstag, 12. März 2019", false), ["2019-03-12"]);
        assert_eq!(days("publié le 1er janvier 2020", false), ["2020-01-01"]);
        assert_eq!(days("12 de marzo de 2019", false), ["2019-03-12"]);
        assert_eq!(days("pubblicato il 5 giugno 2021", false), ["2021-06-05"]);
        assert_eq!(days("3 maart 2020", false), ["2020-03-03"]);
        assert_eq!(days("5 października 2021", false), ["2021-10-05"]);
        assert_eq!(days("7. června 2022", false), ["2022-06-07"]);
        assert_eq!(days("March 3rd, 2020", false), ["2020-03-03"]);
        assert_eq!(days("2020年3月12日", false), ["2020-03-12"]);
        assert_eq!(days("2019. március 12.", false), ["2019-03-12"]);
        assert_eq!(days("12 марта 2019", false), ["2019-03-12"]);
    }

    #[test]
    fn numeric_dates_follow_the_pages_order_unless_a_day_settles_it() {
        assert_eq!(days("03/04/2020", true), ["2020-03-04"]);
        assert_eq!(days("03/04/2020", false), ["2020-04-03"]);
        assert_eq!(days("13/04/2020", true), ["2020-04-13"]);
        assert_eq!(days("2020/04/13", false), ["2020-04-13"]);
        assert!(days("31.02.2020 and version 1.2.3", false).is_empty());
    }

    #[test]
    fn an_updated_label_marks_the_date() {
        let found = find_dates("Published 3 May 2021. Updated: 4 May 2021", false);
        assert!(!found[0].updated);
        assert!(found[1].updated);
    }

    #[test]
    fn meta_tags_newslens_used_to_miss() {
        for (name, attr) in [
            ("dc.date", "name"),
            ("DC.date.issued", "name"),
            ("bt:pubdate", "name"),
            ("date", "name"),
            ("og:article:published_time", "property"),
        ] {
            let html = format!(
                r#"<html><head><meta {attr}="{name}" content="2021-04-05T10:00:00+02:00"></head><body><p>x</p></body></html>"#
            );
            assert_eq!(
                dates(&html).published.as_deref(),
                Some("2021-04-05T10:00:00+02:00"),
                "{name}"
            );
        }
    }

    #[test]
    fn updated_is_kept_apart_from_published() {
        let html = r#"<html><head><meta property="article:published_time" content="2021-04-05T10:00:00+02:00">
        <meta property="og:updated_time" content="2021-04-07T08:00:00+02:00"></head><body></body></html>"#;
        let found = dates(html);
        assert_eq!(
            found.published.as_deref(),
            Some("2021-04-05T10:00:00+02:00")
        );
        assert_eq!(found.updated.as_deref(), Some("2021-04-07T08:00:00+02:00"));
    }

    #[test]
    fn json_ld_graph_arrays_and_nesting() {
        let html = r#"<script type="application/ld+json">[{"@type":"WebSite","name":"X"},
        {"@graph":[{"@type":"WebPage","datePublished":"2020-01-01"},
        {"@type":["NewsArticle"],"datePublished":"2021-02-03T04:05:06-05:00","dateModified":"2021-02-04T00:00:00-05:00"}]}]</script>"#;
        let found = dates(html);
        assert_eq!(
            found.published.as_deref(),
            Some("2021-02-03T04:05:06-05:00")
        );
        assert_eq!(found.updated.as_deref(), Some("2021-02-04T00:00:00-05:00"));
    }

    #[test]
    fn itemprop_and_time_elements() {
        let html = r#"<body><h1>T</h1><span itemprop="datePublished" content="2022-07-08">8 July</span></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2022-07-08"));
        let html = r#"<body><h1>T</h1><time class="updated" datetime="2022-07-09">9 July</time><time datetime="2022-07-08T09:00:00+01:00">8 July</time></body>"#;
        let found = dates(html);
        assert_eq!(
            found.published.as_deref(),
            Some("2022-07-08T09:00:00+01:00")
        );
        assert_eq!(found.updated.as_deref(), Some("2022-07-09"));
    }

    #[test]
    fn the_date_printed_by_the_byline_when_there_is_no_metadata() {
        let html = r#"<body><nav>Home</nav><h1>Pier reopens</h1><div class="article-meta">Von Mara Ellison | 12.03.2019 | 14:05</div><p>Text.</p></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2019-03-12"));
        let html = r#"<body><h1>Pier reopens</h1><p>Publié le 4 février 2020 par Mara</p><p>Text.</p></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2020-02-04"));
    }

    #[test]
    fn a_utc_time_one_day_from_the_printed_day_gives_way_to_it() {
        let html = r#"<head><meta property="article:published_time" content="2021-03-05T23:30:00Z"></head>
        <body><h1>T</h1><p class="date">6 March 2021</p></body>"#;
        assert_eq!(dates(html).published.as_deref(), Some("2021-03-06"));
        // An offset written by the page is its own: the day stays as written.
        let html = r#"<head><meta property="article:published_time" content="2021-03-05T23:30:00-05:00"></head>
        <body><h1>T</h1><p class="date">6 March 2021</p></body>"#;
        assert_eq!(
            dates(html).published.as_deref(),
            Some("2021-03-05T23:30:00-05:00")
        );
    }

    #[test]
    fn no_dates_from_the_future_or_from_scripts() {
        let html = r#"<head><meta name="date" content="2030-01-01"></head><body><h1>T</h1>
        <script>var published = "12 March 2019";</script><p>Nothing dated.</p></body>"#;
        assert_eq!(dates(html), PageDates::default());
    }
}
