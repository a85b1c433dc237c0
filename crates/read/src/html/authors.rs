//! Who wrote a page: JSON-LD `author` (article objects first), author meta tags, `itemprop` and
//! `rel="author"` markup, then byline elements ("By Mara Ellison | 12 March", "Von Tom Best",
//! "Par Léa Dubois et Marc Roy").
//!
//! Every name passes one filter, so none of the page's chrome becomes an author: no handles,
//! e-mail addresses, links, dates, initials alone ("J J"), calls to action ("Follow"), and a desk
//! ("Staff", "Newsroom") only when no person is named.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::plain::byline::{looks_like_name, title_case_if_shouting};

/// Author meta tag names (lower case), most trusted first.
const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "og:article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
];

/// Types the author reader also takes as the article (their `author` wins over another object's).
const AUTHOR_ARTICLE_TYPES: &[&str] = &["TechArticle", "ScholarlyArticle"];

/// Words that name a desk, not a person.
const DESKS: &[&str] = &[
    "staff",
    "newsroom",
    "redaktion",
    "rédaction",
    "redacción",
    "redazione",
    "redactie",
    "desk",
    "editorial",
    "editors",
    "team",
    "admin",
    "administrator",
];

/// Words that are page chrome, never an author.
const CHROME: &[&str] = &[
    "follow",
    "share",
    "email",
    "e-mail",
    "mail",
    "twitter",
    "facebook",
    "linkedin",
    "instagram",
    "more",
    "read",
    "view",
    "profile",
    "posts",
    "articles",
    "subscribe",
    "author",
    "authors",
    "autoren",
    "auteurs",
    "autores",
    "by",
    "comments",
    "updated",
    "published",
    "photo",
    "photos",
    "image",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Meta names whose values are written "Surname, Given" by convention (Dublin Core, Highwire /
/// Google Scholar), one tag a person.
const SURNAME_FIRST_META: &[&str] = &["dc.creator", "dcterms.creator", "citation_author"];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("author selectors are valid CSS")
}

/// The authors of a parsed page, in the order the page names them, without duplicates.
pub fn page_authors(page: &Html) -> Vec<String> {
    let sources: [&dyn Fn() -> Vec<String>; 4] = [
        &|| json_ld_authors(page),
        &|| meta_authors(page),
        &|| markup_authors(page),
        &|| byline_element_authors(page),
    ];
    for source in sources {
        let names = tidy(source());
        if !names.is_empty() {
            return names;
        }
    }
    json_ld_organisation_authors(page)
}

/// The last resort: an organisation the page's JSON-LD names as the author ("Contributors to
/// Wikimedia projects"), which the name filter refuses for not being written like a person's
/// name. Taken only when nothing else names anyone.
fn json_ld_organisation_authors(page: &Html) -> Vec<String> {
    fn organisations(value: &Value, found: &mut Vec<String>, depth: usize) {
        if depth > 10 {
            return;
        }
        match value {
            Value::Array(items) => items
                .iter()
                .for_each(|item| organisations(item, found, depth + 1)),
            Value::Object(object) => {
                if super::metadata::is_article(object, AUTHOR_ARTICLE_TYPES) {
                    let authors = match object.get("author") {
                        Some(Value::Array(items)) => items.iter().collect(),
                        Some(one) => vec![one],
                        None => Vec::new(),
                    };
                    for author in authors.into_iter().filter_map(Value::as_object) {
                        let is_organisation = match author.get("@type") {
                            Some(Value::String(t)) => t.ends_with("Organization"),
                            _ => false,
                        };
                        if let Some(name) = author.get("name").and_then(Value::as_str) {
                            if is_organisation {
                                found.extend(organisation_name(name));
                            }
                        }
                    }
                }
                for (key, child) in object {
                    if matches!(child, Value::Object(_) | Value::Array(_))
                        && !matches!(key.as_str(), "author" | "creator" | "publisher")
                    {
                        organisations(child, found, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    for json in super::metadata::json_ld_texts(page) {
        if let Ok(value) = serde_json::from_str::<Value>(json.trim()) {
            organisations(&value, &mut found, 0);
        }
    }
    found.dedup();
    found
}

/// An organisation's name as kept: a few words, no link, handle or digits, no chrome word.
fn organisation_name(raw: &str) -> Option<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = name.to_lowercase();
    let fits = (3..=80).contains(&name.len())
        && name.split_whitespace().count() <= 8
        && !name.contains(['@', '/', '<', '>', '=', '{'])
        && !name.contains(|c: char| c.is_ascii_digit())
        && !lower
            .split_whitespace()
            .any(|w| CHROME.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())));
    fits.then_some(name)
}

fn json_ld_authors(page: &Html) -> Vec<String> {
    let mut article = Vec::new();
    let mut other = Vec::new();
    for json in super::metadata::json_ld_texts(page) {
        if let Ok(value) = serde_json::from_str::<Value>(json.trim()) {
            walk(&value, &mut article, &mut other, 0);
        }
    }
    if article.is_empty() {
        other
    } else {
        article
    }
}

fn walk(value: &Value, article: &mut Vec<String>, other: &mut Vec<String>, depth: usize) {
    if depth > 10 {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|item| walk(item, article, other, depth + 1)),
        Value::Object(object) => {
            let is_article = super::metadata::is_article(object, AUTHOR_ARTICLE_TYPES);
            let slot = if is_article {
                &mut *article
            } else {
                &mut *other
            };
            if slot.is_empty() {
                *slot = names(object.get("author").or_else(|| object.get("creator")));
            }
            for (key, child) in object {
                if matches!(child, Value::Object(_) | Value::Array(_))
                    && !matches!(key.as_str(), "author" | "creator" | "publisher")
                {
                    walk(child, article, other, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Names in a JSON-LD person value: a string, `{"name": …}`, or a list of them.
fn names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(name)) => vec![name.clone()],
        Some(Value::Object(object)) => object
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .into_iter()
            .collect(),
        Some(Value::Array(items)) => items.iter().flat_map(|item| names(Some(item))).collect(),
        _ => Vec::new(),
    }
}

fn meta_authors(page: &Html) -> Vec<String> {
    let metas: Vec<(String, &str)> = page
        .select(&selector("meta[content]"))
        .filter_map(|el| {
            let attrs = el.value();
            let key = attrs.attr("name").or_else(|| attrs.attr("property"))?;
            Some((key.trim().to_ascii_lowercase(), attrs.attr("content")?))
        })
        .collect();
    for name in AUTHOR_META {
        // Several tags of one name are several authors (`citation_author` is one tag a person).
        let mut found = Vec::new();
        for (_, value) in metas.iter().filter(|(key, _)| key == name) {
            match surname_first(value).filter(|_| SURNAME_FIRST_META.contains(name)) {
                Some(person) => found.push(person),
                None => found.extend(byline_names(value)),
            }
        }
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// "Jong, Michiel de" → "Michiel de Jong", "Kooman, F." → "F. Kooman": one comma, a surname of one
/// word before it (a particle may follow the given names), given names or initials after it.
fn surname_first(value: &str) -> Option<String> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let (surname, given) = value.split_once(',')?;
    let (surname, given) = (surname.trim(), given.trim());
    let is_one_word = |s: &str| {
        s.split_whitespace().count() == 1 && s.chars().next().is_some_and(char::is_uppercase)
    };
    let given_ok = !given.is_empty()
        && !given.contains([',', ';', '&'])
        && given.split_whitespace().count() <= 4
        && given
            .split_whitespace()
            .next()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !SPLIT.is_match(&format!(" {given} "));
    (is_one_word(surname) && given_ok).then(|| format!("{given} {surname}"))
}

/// `itemprop="author"` (its `name`, or its text) and `rel="author"` links: the first such element
/// with a name, and those beside it (same parent or grandparent), not the author lists of
/// sidebars further down.
fn markup_authors(page: &Html) -> Vec<String> {
    let name = selector(r#"[itemprop="name"]"#);
    let mut found = Vec::new();
    let mut family = None;
    for element in page.select(&selector(r#"[itemprop~="author"], [rel="author"]"#)) {
        if in_chrome(element) {
            continue;
        }
        let kin = element
            .parent()
            .and_then(|p| p.parent().map(|g| (p.id(), g.id())));
        if let (Some((parent, grand)), Some((first_parent, first_grand))) = (kin, family) {
            let beside = parent == first_parent || grand == first_grand || grand == first_parent;
            if !beside {
                continue;
            }
        }
        let text = element
            .select(&name)
            .next()
            .and_then(|n| {
                n.value()
                    .attr("content")
                    .map(str::to_string)
                    .or_else(|| short_text(n, 120))
            })
            .or_else(|| element.value().attr("content").map(str::to_string))
            .or_else(|| short_text(element, 120));
        let Some(text) = text else {
            continue;
        };
        let names = byline_names(&text);
        if !names.is_empty() && family.is_none() {
            family = kin;
        }
        found.extend(names);
    }
    found
}

/// Elements marked as bylines or authors by their class or id.
fn byline_element_authors(page: &Html) -> Vec<String> {
    let css = r#"[class*="byline"], [class*="author"], [class*="autor"], [id*="byline"], [id*="author"], [class*="byl"]"#;
    for element in page.select(&selector(css)) {
        if in_chrome(element) {
            continue;
        }
        let Some(text) = short_text(element, 120).filter(|t| !t.is_empty()) else {
            continue;
        };
        let found = byline_names(&text);
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

fn in_chrome(element: ElementRef<'_>) -> bool {
    element
        .ancestors()
        .filter_map(|a| a.value().as_element())
        .any(|el| {
            matches!(
                el.name(),
                "nav" | "footer" | "aside" | "script" | "noscript"
            )
        })
}

/// The element's text, or `None` when it runs over `limit` bytes (a container, not a byline):
/// reading stops there, so a `<body class="author-…">` costs nothing.
fn short_text(element: ElementRef<'_>, limit: usize) -> Option<String> {
    let mut text = String::new();
    for piece in element.text() {
        if text.len() + piece.len() > limit + 64 {
            return None;
        }
        text.push_str(piece);
        text.push(' ');
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (text.len() <= limit).then_some(text)
}

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:written|words|story|text|report|reported|posted|photos?)\s+by|by|von|par|por|di|door|av|af|från|autor(?:ka)?|author|authors|text|texto|reporter|redakteur)\s*:?\s+")
        .expect("valid pattern")
});

/// Where a byline stops naming people: a bar, bullet or dash, a digit (a date, a count), a date
/// word, a line break.
static STOP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[|•·\n\t\d]|\s[-–—]\s|\s(?:on|am|le|el|il|updated|published|posted|aktualisiert|veröffentlicht|mis à jour|publié|publicado|pubblicato)\s|\s@")
        .expect("valid pattern")
});

/// Month and weekday names ending a text (English, German, French, Spanish), left when a date is
/// cut at its day.
static MONTH_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:[\s,]+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\.?)+[\s,]*$")
        .expect("valid pattern")
});

static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:,|;|&|\sand\s|\sund\s|\set\s|\sy\s|\se\s|\sen\s|\sog\s|\soch\s|\sa\s)\s*")
        .expect("valid pattern")
});

/// The people a byline text names: its prefix ("By", "Von", "Par"…) dropped, cut where names
/// stop, split on commas and "and" in several languages, each part kept only if it is a name.
pub fn byline_names(text: &str) -> Vec<String> {
    static ASIDE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\([^)]*\)").expect("valid pattern"));
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = ASIDE.replace_all(&text, " ");
    let text = PREFIX.replace(text.trim(), "");
    let text = match STOP.find(&text) {
        // A date cut at its day leaves its month behind: "GILLIAN MOHNEY March 11, 2015".
        Some(stop) if stop.as_str().starts_with(|c: char| c.is_ascii_digit()) => {
            MONTH_TAIL.replace(&text[..stop.start()], "").into_owned()
        }
        Some(stop) => text[..stop.start()].to_string(),
        None => text.to_string(),
    };
    SPLIT
        .split(&text)
        // A label with nothing after it ("回答者：", "Autor:") names nobody.
        .filter(|part| !part.trim_end().ends_with([':', '：']))
        .map(|part| {
            part.trim()
                .trim_matches(|c: char| !c.is_alphanumeric() && c != ')')
        })
        .filter_map(clean_name)
        .collect()
}

/// A name as kept, or `None` for chrome: handles, e-mails, links, initials alone, chrome words.
pub fn clean_name(raw: &str) -> Option<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = PREFIX.replace(&name, "").trim().to_string();
    if name.len() < 3
        || name.len() > 60
        || name.contains(['@', '/', '<', '>', '=', '{', '／', '：'])
        || name.contains(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    let lower = name.to_lowercase();
    if words
        .iter()
        .all(|w| w.trim_matches('.').chars().count() <= 1)
        || lower
            .split_whitespace()
            .any(|w| CHROME.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())))
    {
        return None;
    }
    let name = title_case_if_shouting(&name);
    let is_desk = lower.split_whitespace().any(|w| DESKS.contains(&w));
    // A part in brackets is a middle name or nickname, "Bruno (Henrique Zecchin) Rodrigues":
    // the rest must read as a name, and the name is kept whole.
    static ASIDE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*\([^)]*\)").expect("valid pattern"));
    let outside = ASIDE.replace_all(&name, "");
    (looks_like_name(&outside) || is_desk).then_some(name)
}

/// Drops duplicates, and desks when a person is named.
fn tidy(names: Vec<String>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for name in names.into_iter().filter_map(|n| clean_name(&n)) {
        if !kept.iter().any(|k| k.eq_ignore_ascii_case(&name)) {
            kept.push(name);
        }
    }
    let is_desk = |name: &String| {
        name.to_lowercase()
            .split_whitespace()
            .any(|w| DESKS.contains(&w))
    };
    if kept.iter().any(|n| !is_desk(n)) {
        kept.retain(|n| !is_desk(n));
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authors(html: &str) -> Vec<String> {
        page_authors(&Html::parse_document(html))
    }

    #[test]
    fn bylines_in_several_languages() {
        assert_eq!(
            byline_names("By MARA ELLISON | 12 March 2019"),
            ["Mara Ellison"]
        );
        assert_eq!(
            byline_names("Von Tom Best und Anna Roth, 12.03.2019"),
            ["Tom Best", "Anna Roth"]
        );
        assert_eq!(
            byline_names("Par Léa Dubois et Marc Roy"),
            ["Léa Dubois", "Marc Roy"]
        );
        assert_eq!(byline_names("by Lucas Ward22 Dec 2016"), ["Lucas Ward"]);
        assert_eq!(byline_names("Written by: Ana Ruiz - Updated"), ["Ana Ruiz"]);
    }

    #[test]
    fn chrome_is_never_an_author() {
        for junk in [
            "J J",
            "Follow",
            "@maraellison",
            "mara@courier.test",
            "https://x.test/mara",
            "3 May 2021",
            "mcupdate",
        ] {
            assert_eq!(clean_name(junk), None, "{junk}");
        }
    }

    #[test]
    fn a_desk_only_when_no_person_is_named() {
        assert_eq!(
            tidy(vec!["Staff".into(), "Mara Ellison".into()]),
            ["Mara Ellison"]
        );
        assert_eq!(tidy(vec!["Courier Staff".into()]), ["Courier Staff"]);
    }

    #[test]
    fn json_ld_author_of_any_object_meta_and_markup() {
        let html = r#"<script type="application/ld+json">{"@graph":[{"@type":"WebPage","author":{"@type":"Person","name":"Ana Ruiz"}}]}</script>"#;
        assert_eq!(authors(html), ["Ana Ruiz"]);
        let html = r#"<head><meta property="og:article:author" content="Courier News"></head>"#;
        assert_eq!(authors(html), ["Courier News"]);
        let html = r#"<p class="byline" itemprop="author"><a rel="author" href="/a/ana"><span itemprop="name">Ana Ruiz</span></a> - 3 May</p>"#;
        assert_eq!(authors(html), ["Ana Ruiz"]);
        let html = r#"<div class="byline">by <a href="/a/tom">Tom Best</a>22 Dec 2016 | 651 comments</div>"#;
        assert_eq!(authors(html), ["Tom Best"]);
    }

    #[test]
    fn a_month_left_by_a_date_cut_at_its_day_is_not_a_name() {
        assert_eq!(
            byline_names("By MARA ELLISON March 11, 2015 3:46 PM"),
            ["Mara Ellison"]
        );
        assert_eq!(byline_names("Von Tom Best 3. März 2021"), ["Tom Best"]);
        // A month word with no day after it is left alone.
        assert_eq!(byline_names("By Theresa May"), ["Theresa May"]);
        assert_eq!(byline_names("By Ana Ruiz Monday, 3 May"), ["Ana Ruiz"]);
    }

    #[test]
    fn a_name_with_a_part_in_brackets_is_kept_whole() {
        let html = r#"<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"Ana (Maria Luz) Ruiz "}],"publisher":{"@type":"Organization","name":"The Courier"}}</script>
            <meta name="author" content="The Courier">"#;
        assert_eq!(authors(html), ["Ana (Maria Luz) Ruiz"]);
        assert_eq!(clean_name("Courier Autoren (CA)"), None);
    }

    #[test]
    fn names_in_scripts_without_capitals() {
        assert_eq!(
            authors(r#"<meta name="author" content="李明华">"#),
            ["李明华"]
        );
        assert_eq!(
            authors(r#"<meta name="author" content="سارة حسن">"#),
            ["سارة حسن"]
        );
        // A label, with or without a name after it, is not a name.
        assert_eq!(clean_name("質問者： ゆき"), None);
        assert_eq!(byline_names("回答者："), Vec::<String>::new());
    }

    #[test]
    fn one_tag_a_person_and_surname_first() {
        let html = r#"<meta name="citation_author" content="Ellison, Mara">
            <meta name="citation_author" content="Best, T.">
            <meta name="citation_author" content="Jong, Pieter de">"#;
        assert_eq!(authors(html), ["Mara Ellison", "T. Best", "Pieter de Jong"]);
        // A plain author tag with two people stays two people.
        let html = r#"<meta name="author" content="Mara Ellison, Tom Best">"#;
        assert_eq!(authors(html), ["Mara Ellison", "Tom Best"]);
    }

    #[test]
    fn an_organisation_is_the_author_only_when_nobody_else_is_named() {
        let page = |byline: &str| {
            format!(
                r#"<script type="application/ld+json">{{"@type":"Article","author":{{"@type":"Organization","name":"Friends of the river archive"}}}}</script>{byline}"#
            )
        };
        assert_eq!(authors(&page("")), ["Friends of the river archive"]);
        assert_eq!(
            authors(&page(r#"<p class="byline">By Tom Best</p>"#)),
            ["Tom Best"]
        );
    }
}
