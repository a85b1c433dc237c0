//! When a page was published and last updated: structured data first (JSON-LD, meta tags,
//! `itemprop`, `<time>`), then the date the page shows readers near its headline and byline
//! ("Published 12 March 2019", "12.03.2019 | 14:05", "12. März 2019", "12 de marzo de 2019").
//!
//! A date keeps the page's own day and offset as written: a timestamp is never converted to UTC
//! before its day is taken. Dates after the reading day (plus one, for zones ahead of it) or before
//! 1995 are not dates of the article, and nothing is read from a `<script>` but JSON-LD. Where
//! structured data gives a UTC time one day away from the day the page prints for readers, the
//! printed day wins (the page's readers live in its zone, not in UTC), but only where a real zone
//! allows that day. The day in the page's own address (`/2021/10/20/`) beats a printed date, and
//! where the page shows readers its update day first, that day is the one taken as published.

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
        (Some(given), shown) if is_utc_time(given) => {
            // The page's own zone, when another of its dates gives it, or the day it prints.
            let local = alternates
                .iter()
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
                } else if is_utc_time(chosen) && could_be_local_day(chosen, &filed) {
                    dates.published = Some(filed);
                }
            }
            _ => {}
        }
    }
    // The day the page shows readers is its update day: the update is the first date printed by
    // the headline, or the only date the page gives at all.
    if let Some(changed) = &dates.updated {
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
    let times: Vec<ElementRef<'_>> = page
        .select(&selector("time[datetime]"))
        .filter(|el| !in_skipped(*el))
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
/// `/2020/4/7/`, `-20211020.html`, `/20211020/`.
fn address_date(page: &Html, window: &Window) -> Option<String> {
    static IN_PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:[/_-]|$)",
            r"|[/_-]((?:19|20)\d\d)(\d\d)(\d\d)(?:[/_.-]|$)"
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
    let part = |a: usize, b: usize| caps.get(a).or(caps.get(b)).map(|m| m.as_str());
    let (year, month, day): (i16, i8, i8) = (
        part(1, 4)?.parse().ok()?,
        part(2, 5)?.parse().ok()?,
        part(3, 6)?.parse().ok()?,
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

/// Elements never read for printed dates: scripts, navigation, asides, footers.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "aside", "select", "option",
    "textarea", "iframe",
];

fn in_skipped(element: ElementRef<'_>) -> bool {
    std::iter::once(*element)
        .chain(element.ancestors())
        .filter_map(|node| node.value().as_element())
        .any(|el| SKIPPED.contains(&el.name()) || is_comment(el))
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
    let (from, to) = (
        floor_char(&text.text, from),
        floor_char(&text.text, to.min(text.text.len())),
    );
    let is_marked = |at: usize| text.marked.iter().any(|(s, e)| at >= *s && at < *e);
    let kept = |d: &TextDate| window.keep(d.date.to_string()).is_some();
    let near: Vec<(TextDate, bool)> = find_dates(&text.text[from..to], month_first)
        .into_iter()
        .map(|mut d| {
            d.start += from;
            (d, is_marked(d.start))
        })
        .filter(|(d, _)| kept(d))
        .collect();
    // Marked near the headline, then any near it, then marked anywhere (a byline under the text).
    let marked_anywhere = || {
        text.marked
            .iter()
            .filter(|(s, e)| e - s <= 300)
            .flat_map(|(s, e)| find_dates(&text.text[*s..*e], month_first))
            .find(|d| !d.updated && kept(d))
            .map(|d| d.date.to_string())
    };
    let published = near
        .iter()
        .filter(|(d, marked)| !d.updated && *marked)
        .chain(near.iter().filter(|(d, marked)| !d.updated && !*marked))
        .map(|(d, _)| d.date.to_string())
        .next()
        .or_else(marked_anywhere);
    let updated = near
        .iter()
        .find(|(d, _)| d.updated)
        .map(|(d, _)| d.date.to_string());
    let update_shown_first = near.first().is_some_and(|(d, _)| d.updated);
    // Nothing by the headline: a page that prints one day only, anywhere, shows readers that day.
    let only_day = if published.is_none() && updated.is_none() {
        let mut days = find_dates(&text.text, month_first)
            .into_iter()
            .filter(kept)
            .map(|d| d.date);
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

/// A page's visible text in document order (scripts, navigation, asides and footers left out),
/// where its first `<h1>` starts, and the byte ranges that lie in elements marked as dates.
struct VisibleText {
    text: String,
    headline: Option<usize>,
    marked: Vec<(usize, usize)>,
}

impl VisibleText {
    fn of(page: &Html) -> VisibleText {
        let mut out = VisibleText {
            text: String::new(),
            headline: None,
            marked: Vec::new(),
        };
        let Some(body) = page.select(&selector("body")).next() else {
            return out;
        };
        for node in body.descendants() {
            if let Some(element) = node.value().as_element() {
                if element.name() == "h1" && out.headline.is_none() {
                    out.headline = Some(out.text.len());
                }
                continue;
            }
            let Some(piece) = node.value().as_text() else {
                continue;
            };
            let piece = piece.trim();
            if piece.is_empty() {
                continue;
            }
            let mut marked = false;
            let mut skipped = false;
            for (depth, element) in node
                .ancestors()
                .filter_map(|a| a.value().as_element())
                .enumerate()
            {
                if SKIPPED.contains(&element.name()) {
                    skipped = true;
                    break;
                }
                if depth < 4 && !marked {
                    let marks = format!(
                        "{} {}",
                        element.attr("class").unwrap_or(""),
                        element.attr("id").unwrap_or("")
                    );
                    marked = element.name() == "time" || DATE_MARK.is_match(&marks);
                }
            }
            if skipped {
                continue;
            }
            let start = out.text.len();
            out.text.push_str(piece);
            out.text.push(' ');
            if marked {
                out.marked.push((start, out.text.len()));
            }
            if out.text.len() > 400_000 {
                break;
            }
        }
        out
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
        found.push(TextDate {
            start: whole.start(),
            date,
            updated: UPDATED_LABEL.is_match(before),
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
