//! The web pages as a reader's browser gets them: whole documents, well-formed, with the class
//! names the browser tests look for, and never a way for an article to inject markup or script.
//!
//! Articles here are invented for these tests and analysed with `newslens_core::analyze`, or built
//! by hand where a test needs exact spans. No test touches the network or the store's database.

use newslens_core::article::{Entity, Loaded, Mention, Quote, ReportingVerb, Speaker};
use newslens_core::{analyze, Article, Document, Source, Span};
use newslens_server::pages::{self, Paging};
use newslens_store::compare::{Differences, OnlyIn, OutletCoverage, Rewording, SpeakerQuotes};
use newslens_store::{
    compare_story, Comparison, CorpusCounts, EntityCount, EntityReport, MentionPeriod, QuoteRecord,
    SearchHit, StoredArticle, StoryArticle, StorySummary,
};

// ---------------------------------------------------------------------------------------------
// A small tag reader: enough HTML to check what maud wrote (attribute values are always quoted
// and never hold a raw `<` or `>`, because maud escapes them).

/// Elements with no end tag in HTML.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
}

fn tags(html: &str) -> Vec<Tag> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').expect("every < is closed by >");
        let inside = &after[..close];
        rest = &after[close + 1..];
        if inside.starts_with('!') {
            continue;
        }
        let (closing, inside) = match inside.strip_prefix('/') {
            Some(inside) => (true, inside),
            None => (false, inside),
        };
        let name_end = inside
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inside.len());
        let name = inside[..name_end].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut attrs = inside[name_end..].trim_start();
        while !attrs.is_empty() && attrs != "/" {
            let key_end = attrs
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(attrs.len());
            let key = attrs[..key_end].to_ascii_lowercase();
            attrs = &attrs[key_end..];
            let mut value = String::new();
            if let Some(after_eq) = attrs.strip_prefix('=') {
                let after_quote = after_eq
                    .strip_prefix('"')
                    .expect("attribute values are double-quoted");
                let value_end = after_quote.find('"').expect("attribute value is closed");
                value = after_quote[..value_end].to_string();
                attrs = &after_quote[value_end + 1..];
            }
            attributes.push((key, value));
            attrs = attrs.trim_start();
        }
        found.push(Tag {
            name,
            closing,
            attributes,
        });
    }
    found
}

/// Every element is closed, in order.
fn assert_well_formed(html: &str) {
    let mut open: Vec<String> = Vec::new();
    for tag in tags(html) {
        if VOID_ELEMENTS.contains(&tag.name.as_str()) {
            assert!(!tag.closing, "void element closed: {}", tag.name);
            continue;
        }
        if tag.closing {
            let top = open.pop();
            assert_eq!(
                top.as_deref(),
                Some(tag.name.as_str()),
                "misnested in {html}"
            );
        } else {
            open.push(tag.name);
        }
    }
    assert!(open.is_empty(), "unclosed {open:?}");
    for name in ["span", "mark", "p", "a", "section", "svg"] {
        assert_eq!(
            html.matches(&format!("<{name} ")).count() + html.matches(&format!("<{name}>")).count(),
            html.matches(&format!("</{name}>")).count(),
            "<{name}> opened and closed unequally"
        );
    }
}

/// Nothing from the data became markup that runs, loads or styles anything.
fn assert_safe(html: &str) {
    for forbidden in [
        "<script",
        "<img",
        "<iframe",
        "<style",
        "<textarea",
        "<object",
        "<embed",
    ] {
        assert!(
            !html.to_ascii_lowercase().contains(forbidden),
            "{forbidden} in page"
        );
    }
    for tag in tags(html) {
        assert!(
            !["script", "style", "img", "iframe", "object", "embed", "textarea", "base"]
                .contains(&tag.name.as_str()),
            "<{}> in page",
            tag.name
        );
        for (key, value) in &tag.attributes {
            assert!(
                !key.starts_with("on"),
                "event handler {key} on <{}>",
                tag.name
            );
            assert_ne!(key, "style", "inline style on <{}>", tag.name);
            assert!(
                key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "odd attribute name {key:?}"
            );
            if ["href", "src", "action", "xlink:href", "formaction"].contains(&key.as_str()) {
                let lower = value.trim().to_ascii_lowercase();
                assert!(
                    lower.starts_with('/')
                        || lower.starts_with("http://")
                        || lower.starts_with("https://")
                        || lower.starts_with('#'),
                    "unsafe {key}={value:?}"
                );
            }
        }
    }
}

/// The layout every page shares.
fn assert_document(html: &str) {
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"en\">"),
        "{html:.80}"
    );
    assert!(html.contains("<title>"));
    assert!(html.contains(r#"<link rel="stylesheet" href="/assets/app.css">"#));
    assert!(html.contains(r#"<form class="search" method="get" action="/""#));
    assert!(html.contains(r#"name="q""#));
    assert!(html.contains(r#"<label class="visually-hidden" for="search-q">"#));
    assert!(html.contains(r#"<a class="site-name" href="/">newslens</a>"#));
    assert_well_formed(html);
    assert_safe(html);
}

fn has_class(html: &str, element: &str, class: &str) -> bool {
    tags(html).iter().any(|tag| {
        !tag.closing
            && tag.name == element
            && tag.attributes.iter().any(|(key, value)| {
                key == "class" && value.split_whitespace().any(|token| token == class)
            })
    })
}

// ---------------------------------------------------------------------------------------------
// Invented fixtures.

const LEDGER_TEXT: &str = "Mayor Helen Brandt said on Tuesday that the city would rebuild the Riverside bridge before winter.\n\n“We will not back down from this promise to the people of Riverside,” Brandt said at a crowded meeting in Oldham.\n\nCritics slammed the reckless plan. Councillor Omar Reyes told reporters: “The budget for this bridge is a disaster waiting to happen.”";

const COURIER_TEXT: &str = "Helen Brandt vowed on Tuesday that the Riverside bridge would be rebuilt.\n\n“We will never back down from this promise to the people of Riverside,” Brandt told supporters in Oldham.\n\nThe opposition was furious about the cost.";

fn stored(
    text: &str,
    id: &str,
    title: &str,
    outlet: &str,
    published: Option<&str>,
) -> StoredArticle {
    let mut document = Document::new(text);
    document.title = Some(title.to_string());
    document.published = published.map(str::to_string);
    document.source = Source {
        path: None,
        url: Some(format!("https://news.example/{id}")),
        outlet: Some(outlet.to_string()),
    };
    let mut article = analyze(&document);
    article.id = id.to_string();
    let json = serde_json::to_value(&article).expect("an article serialises");
    StoredArticle {
        article,
        json,
        duplicate_of: None,
    }
}

fn story_article(stored: &StoredArticle) -> StoryArticle {
    let article = &stored.article;
    StoryArticle {
        id: article.id.clone(),
        path: None,
        url: article.source.url.clone(),
        outlet: article.source.outlet.clone(),
        title: article.title.clone(),
        published: article.published.clone(),
        duplicate_of: stored.duplicate_of.clone(),
    }
}

fn bridge_story() -> (StorySummary, Vec<StoredArticle>) {
    let articles = vec![
        stored(
            LEDGER_TEXT,
            "a1",
            "Mayor vows to rebuild bridge",
            "The Daily Ledger",
            Some("2024-03-05T09:15:00"),
        ),
        stored(
            COURIER_TEXT,
            "b2",
            "Brandt: bridge will be rebuilt",
            "Northern Courier",
            Some("2024-03-06T18:40:00"),
        ),
        stored(
            COURIER_TEXT,
            "c3",
            "Bridge pledge (undated copy)",
            "Northern Courier",
            None,
        ),
    ];
    let summary = StorySummary {
        id: "a1".to_string(),
        title: Some("Mayor vows to rebuild bridge".to_string()),
        first_seen: Some("2024-03-05T09:15:00".to_string()),
        last_seen: Some("2024-03-06T18:40:00".to_string()),
        articles: articles.iter().map(story_article).collect(),
        entities: vec![EntityCount {
            name: "Helen Brandt".to_string(),
            entity_type: "PERSON".to_string(),
            articles: 3,
            mentions: 7,
        }],
        quotes: 4,
    };
    (summary, articles)
}

fn span(start: usize, end: usize) -> Span {
    Span::new(start, end)
}

/// An article built by hand with exact, overlapping spans over text with multi-byte characters.
fn hand_made_article() -> StoredArticle {
    // Characters: “ at 0; the quote runs over both paragraphs.
    let text =
        "“Café owners 😀 are furious,” said Zoë Martín.\n\nShe added “it is shameful” in Québec.";
    let chars: Vec<char> = text.chars().collect();
    let find = |needle: &str| -> (usize, usize) {
        let byte = text.find(needle).expect("needle in text");
        let start = text[..byte].chars().count();
        (start, start + needle.chars().count())
    };
    let (zoe_start, zoe_end) = find("Zoë Martín");
    let (quebec_start, quebec_end) = find("Québec");
    let (furious_start, furious_end) = find("furious");
    let (said_start, said_end) = find("said");
    let (shameful_start, shameful_end) = find("shameful");
    let (cafe_start, _) = find("Café");
    let paragraph_break = find("\n\n").0;
    let mut article = analyze(&Document::new(text));
    article.id = "hand".to_string();
    article.title = Some("Café owners and “Zoë”".to_string());
    article.source.outlet = Some("Le Petit Écho".to_string());
    article.source.url = Some("https://echo.example/café".to_string());
    article.paragraphs = vec![
        span(0, paragraph_break),
        span(paragraph_break + 2, chars.len()),
    ];
    article.entities = vec![
        Entity {
            id: 0,
            name: "Zoë Martín".to_string(),
            entity_type: "PERSON".to_string(),
            roles: Vec::new(),
            mentions: vec![
                Mention {
                    start: zoe_start,
                    end: zoe_end,
                    text: "Zoë Martín".to_string(),
                    kind: "name".to_string(),
                },
                Mention {
                    start: paragraph_break + 2,
                    end: paragraph_break + 5,
                    text: "She".to_string(),
                    kind: "pronoun".to_string(),
                },
            ],
            tone: None,
        },
        Entity {
            id: 1,
            name: "Québec".to_string(),
            entity_type: "GPE".to_string(),
            roles: Vec::new(),
            mentions: vec![
                Mention {
                    start: quebec_start,
                    end: quebec_end,
                    text: "Québec".to_string(),
                    kind: "name".to_string(),
                },
                // Out of range: must be dropped, not panic.
                Mention {
                    start: 500,
                    end: 510,
                    text: "x".to_string(),
                    kind: "name".to_string(),
                },
            ],
            tone: None,
        },
    ];
    let speaker = Speaker {
        name: "Zoë Martín".to_string(),
        entity: Some(0),
        mention: None,
    };
    article.quotes = vec![
        Quote {
            text: "Café owners 😀 are furious,".to_string(),
            spans: vec![span(0, find("”").1)],
            kind: "direct".to_string(),
            speaker: Some(speaker.clone()),
            verb: Some(ReportingVerb {
                text: "said".to_string(),
                lemma: "say".to_string(),
                start: said_start,
                end: said_end,
                neutral: true,
            }),
            channel: None,
        },
        // A quote spanning the paragraph break, overlapping the first one's end.
        Quote {
            text: "are furious … it is shameful".to_string(),
            spans: vec![span(furious_start - 4, shameful_end + 1)],
            kind: "mixed".to_string(),
            speaker: Some(Speaker {
                name: "Someone Else".to_string(),
                entity: None,
                mention: None,
            }),
            verb: Some(ReportingVerb {
                text: "added".to_string(),
                lemma: "add".to_string(),
                start: find("added").0,
                end: find("added").1,
                neutral: true,
            }),
            channel: Some("radio".to_string()),
        },
        Quote {
            text: "unattributed".to_string(),
            spans: vec![span(cafe_start, cafe_start), span(3, 1)],
            kind: "direct".to_string(),
            speaker: None,
            verb: None,
            channel: None,
        },
    ];
    article.loaded = vec![
        Loaded {
            start: furious_start,
            end: furious_end,
            text: "furious".to_string(),
            category: "emotive".to_string(),
            in_quote: true,
        },
        Loaded {
            start: shameful_start,
            end: shameful_end,
            text: "shameful".to_string(),
            category: "emotive".to_string(),
            in_quote: true,
        },
        // Touching the verb, crossing the quote's end.
        Loaded {
            start: furious_end,
            end: said_end,
            text: ",” said".to_string(),
            category: "loaded_verb".to_string(),
            in_quote: false,
        },
    ];
    let mut json = serde_json::to_value(&article).expect("an article serialises");
    json["tone_narrative"] = serde_json::json!({
        "tone": -3.25, "positive": 1.0, "negative": 4.25, "polarity": 5.25,
        "activity_density": 0.0, "self_group_density": 0.0, "words": 12
    });
    article.tone_narrative = None;
    StoredArticle {
        article,
        json,
        duplicate_of: None,
    }
}

// ---------------------------------------------------------------------------------------------
// The article page.

#[test]
fn article_page_highlights_entities_quotes_and_loaded_words() {
    let (summary, articles) = bridge_story();
    let html = pages::article(&articles[0], Some(&summary)).into_string();
    assert_document(&html);
    assert!(has_class(&html, "mark", "entity"), "{html}");
    assert!(has_class(&html, "mark", "entity-PERSON"), "{html}");
    assert!(has_class(&html, "span", "entity-label"));
    assert!(has_class(&html, "span", "quote"));
    assert!(has_class(&html, "span", "speaker-0"));
    assert!(has_class(&html, "mark", "loaded"), "{html}");
    assert!(has_class(&html, "aside", "speakers"));
    assert!(has_class(&html, "section", "tone"));
    assert!(has_class(&html, "section", "metadata"));
    assert!(
        html.contains(r#"title="Helen Brandt — said (direct)""#),
        "{html}"
    );
    assert!(html.contains(r#"data-tip="Helen Brandt — said (direct)""#));
    assert!(html.contains(r#"href="/entities/Helen%20Brandt""#));
    assert!(html.contains(r#"href="/stories/a1""#));
    assert!(html.contains(r#"<a href="https://news.example/a1" rel="noopener noreferrer">"#));
    assert!(html.contains("<title>Mayor vows to rebuild bridge · newslens</title>"));
    assert!(html.contains(r#"<div class="article-body" lang="en">"#));
    // The key's samples are not highlights.
    assert!(html.contains(r#"<span class="legend-entity entity-PERSON">PERSON</span>"#));
    // Three paragraphs in, three out.
    let body_start = html.find("<div class=\"article-body\"").expect("body");
    let body_end = body_start + html[body_start..].find("</div>").expect("body end");
    assert_eq!(html[body_start..body_end].matches("<p>").count(), 3);
}

#[test]
fn article_page_nests_overlapping_spans_over_multibyte_text() {
    let stored = hand_made_article();
    let html = pages::article(&stored, None).into_string();
    assert_document(&html);
    // The entity inside the first quote, with its label after the name.
    assert!(
        html.contains(r#"<mark class="entity entity-PERSON mention-name" title="Zoë Martín · PERSON">Zoë Martín<span class="entity-label">PERSON</span></mark>"#),
        "{html}"
    );
    // Characters, not bytes: the loaded word is exactly "furious" and "shameful".
    assert!(
        html.contains(r#"title="loaded: emotive">furious</mark>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"title="loaded: emotive">shameful</mark>"#),
        "{html}"
    );
    assert!(html.contains(">Québec<span class=\"entity-label\">GPE</span></mark>"));
    // The second speaker's quote spans the paragraph break: a fragment in each paragraph.
    let second_speaker =
        r#"<span class="quote speaker-1" title="Someone Else — added (mixed, via radio)""#;
    assert!(html.matches(second_speaker).count() >= 2, "{html}");
    // The pronoun is marked but carries no label on the page's text.
    assert!(html.contains(r#"<mark class="entity entity-PERSON mention-pronoun" title="Zoë Martín · PERSON">She<span class="entity-label">PERSON</span></mark>"#), "{html}");
    // Empty and reversed quote spans leave no element; the speakers panel still counts the quote.
    assert!(!html.contains(r#"<span class="quote speaker-unknown""#));
    assert!(html.contains("Unattributed <span class=\"count\">1 quote</span>"));
    // The narrative tone is read from the JSON.
    assert!(html.contains("<th scope=\"col\">Narrative</th>"), "{html}");
    assert!(html.contains("-3.25"));
    assert!(html.contains(r#"href="https://echo.example/café" rel="noopener noreferrer""#));
    // The text survives whole: strip the tags of the body and compare.
    let body_start = html.find("<div class=\"article-body\"").expect("body");
    let body_end = body_start + html[body_start..].find("</div>").expect("body end");
    let mut plain = String::new();
    let mut in_tag = false;
    let mut in_label = 0;
    let body = &html[body_start..body_end];
    let mut rest = body;
    while !rest.is_empty() {
        if rest.starts_with("<span class=\"entity-label\">") {
            in_label += 1;
        }
        let c = rest.chars().next().expect("non-empty");
        if c == '<' {
            in_tag = true;
        } else if c == '>' {
            in_tag = false;
        } else if !in_tag && in_label == 0 {
            plain.push(c);
        }
        if in_label > 0 && rest.starts_with("</span>") {
            in_label -= 1;
        }
        rest = &rest[c.len_utf8()..];
    }
    let expected: String = stored.article.text.replace("\n\n", "");
    assert_eq!(plain, expected);
}

#[test]
fn article_page_without_layers_still_shows_the_text() {
    let mut article: Article = analyze(&Document::new("Just one plain line, no one quoted."));
    article.paragraphs.clear();
    article.tone = None;
    let json = serde_json::json!({});
    let html = pages::article(
        &StoredArticle {
            article,
            json,
            duplicate_of: None,
        },
        None,
    )
    .into_string();
    assert_document(&html);
    assert!(
        html.contains("<p>Just one plain line, no one quoted.</p>"),
        "{html}"
    );
    assert!(html.contains("No quotes found."));
    assert!(html.contains("No tone computed."));
    assert!(html.contains("<title>Untitled article · newslens</title>"));
    assert!(!html.contains("legend"), "no key without highlights");
}

// ---------------------------------------------------------------------------------------------
// The story page.

#[test]
fn story_page_puts_outlets_side_by_side() {
    let (summary, articles) = bridge_story();
    let comparison = compare_story(&summary, &articles);
    let html = pages::story(&summary, &comparison).into_string();
    assert_document(&html);
    assert!(has_class(&html, "div", "outlets"));
    assert_eq!(
        tags(&html)
            .iter()
            .filter(|tag| !tag.closing
                && tag.name == "section"
                && tag
                    .attributes
                    .iter()
                    .any(|(k, v)| k == "class" && v == "outlet-column"))
            .count(),
        comparison.outlets.len()
    );
    assert!(has_class(&html, "svg", "tone-bar"), "{html}");
    assert!(has_class(&html, "section", "only-one-outlet"));
    assert!(has_class(&html, "section", "worded-differently"));
    assert!(has_class(&html, "svg", "timeline"));
    assert!(html.contains(r#"href="/articles/a1""#));
    assert!(html.contains(r#"href="/articles/b2""#));
    // Two dated articles are marks on the timeline; the undated one is listed after it.
    assert_eq!(
        html.matches("<circle class=\"timeline-mark\"").count(),
        2,
        "{html}"
    );
    assert!(html.contains(
        "<ul class=\"undated\"><li><a href=\"/articles/c3\">Bridge pledge (undated copy)</a>"
    ));
    assert!(html.contains("2024-03-05"));
}

#[test]
fn story_page_shows_rewordings_side_by_side() {
    let summary = StorySummary {
        id: "s".to_string(),
        title: None,
        first_seen: None,
        last_seen: None,
        articles: Vec::new(),
        entities: Vec::new(),
        quotes: 2,
    };
    let coverage = |outlet: &str, tone: serde_json::Value| OutletCoverage {
        outlet: outlet.to_string(),
        articles: Vec::new(),
        tone: Some(1.0),
        narrative_tone: vec![tone],
        loaded: Vec::new(),
        people: Vec::new(),
        organisations: Vec::new(),
        speakers: vec![SpeakerQuotes {
            speaker: "unattributed".to_string(),
            quotes: Vec::new(),
        }],
    };
    let comparison = Comparison {
        story: "s".to_string(),
        title: None,
        outlets: vec![
            coverage("Alpha", serde_json::json!({"tone": -4.0})),
            coverage("Beta", serde_json::json!({"tone": 2.5})),
        ],
        differences: Differences {
            speakers_only_in: vec![OnlyIn {
                outlet: "Alpha".to_string(),
                speaker: "Ann Lee".to_string(),
                quote: None,
            }],
            quotes_only_in: vec![OnlyIn {
                outlet: "Beta".to_string(),
                speaker: "Bo Ray".to_string(),
                quote: Some("We are ready.".to_string()),
            }],
            reworded: vec![Rewording {
                speaker: "Ann Lee".to_string(),
                kind: "misquote".to_string(),
                overlap: 0.8,
                versions: vec![
                    (
                        "Alpha".to_string(),
                        "We will not back down".to_string(),
                        "direct".to_string(),
                    ),
                    (
                        "Beta".to_string(),
                        "We will never back down".to_string(),
                        "direct".to_string(),
                    ),
                ],
            }],
        },
    };
    let html = pages::story(&summary, &comparison).into_string();
    assert_document(&html);
    assert!(has_class(&html, "div", "rewording-misquote"));
    assert!(html.contains(r#"<span class="badge misquote">misquote</span>"#));
    assert!(html.contains(r#"<span class="diff-word">never</span>"#));
    assert!(html.contains(r#"<span class="diff-word">not</span>"#));
    assert!(html.contains("80% of words shared"));
    assert!(
        html.contains(r#"<rect class="tone-negative" x="60.0""#),
        "{html}"
    );
    assert!(html.contains(r#"<rect class="tone-positive" x="100.0""#));
    assert!(html.contains("We are ready."));
    assert!(html.contains("None of the story's articles is dated."));
    assert!(html.contains("<title>Untitled story · newslens</title>"));
}

// ---------------------------------------------------------------------------------------------
// The entity page.

fn quote_record(text: &str, speaker: Option<&str>) -> QuoteRecord {
    QuoteRecord {
        text: text.to_string(),
        kind: "direct".to_string(),
        speaker: speaker.map(str::to_string),
        verb: Some("slammed".to_string()),
        neutral: Some(false),
        channel: None,
        about: vec!["Helen Brandt".to_string()],
        article: "a1".to_string(),
        story: "s1".to_string(),
        outlet: Some("The Daily Ledger".to_string()),
        published: Some("2024-03-05T09:15:00".to_string()),
        url: None,
    }
}

#[test]
fn entity_page_charts_mentions_and_lists_quotes() {
    let report = EntityReport {
        query: "brandt".to_string(),
        names: vec![EntityCount {
            name: "Helen Brandt".to_string(),
            entity_type: "PERSON".to_string(),
            articles: 3,
            mentions: 9,
        }],
        timeline: vec![
            MentionPeriod {
                date: "2024-03-05".to_string(),
                articles: 1,
                mentions: 4,
            },
            MentionPeriod {
                date: "2024-03-08".to_string(),
                articles: 2,
                mentions: 3,
            },
            MentionPeriod {
                date: "undated".to_string(),
                articles: 1,
                mentions: 2,
            },
        ],
        quotes_by: vec![quote_record("We will rebuild.", Some("Helen Brandt"))],
        quotes_about: vec![
            quote_record("Brandt is wrong.", Some("Omar Reyes")),
            quote_record("Who knows.", None),
        ],
    };
    let html = pages::entity(&report).into_string();
    assert_document(&html);
    assert!(has_class(&html, "svg", "mentions-chart"));
    assert_eq!(html.matches("<rect class=\"mentions-bar\"").count(), 2);
    assert!(
        html.contains(">2024-03-05</text>") && html.contains(">2024-03-08</text>"),
        "{html}"
    );
    assert!(html.contains("2 mentions in undated articles"));
    assert!(has_class(&html, "section", "quotes-by"));
    assert!(has_class(&html, "section", "quotes-about"));
    assert!(html.contains(r#"href="/entities/Omar%20Reyes""#));
    assert!(html.contains(r#"href="/articles/a1""#));
    assert!(html.contains("<h1>Helen Brandt</h1>"));
}

#[test]
fn entity_page_has_an_empty_state() {
    let report = EntityReport {
        query: "nobody".to_string(),
        names: Vec::new(),
        timeline: Vec::new(),
        quotes_by: Vec::new(),
        quotes_about: Vec::new(),
    };
    let html = pages::entity(&report).into_string();
    assert_document(&html);
    assert!(has_class(&html, "svg", "mentions-chart"));
    assert!(html.contains("No dated mentions yet"));
    assert!(html.contains("Nothing in the corpus matches this name."));
    assert_eq!(html.matches("No quotes found.").count(), 2);
}

// ---------------------------------------------------------------------------------------------
// The front page and the error page.

#[test]
fn home_page_lists_stories_pages_and_search_hits() {
    let (summary, _) = bridge_story();
    let counts = CorpusCounts {
        articles: 3,
        duplicates: 0,
        stories: 1,
        quotes: 4,
    };
    let page = Paging {
        offset: 20,
        limit: 20,
        has_more: true,
    };
    let html = pages::home(&counts, std::slice::from_ref(&summary), &page, None).into_string();
    assert_document(&html);
    assert!(has_class(&html, "ol", "stories"));
    assert!(html.contains(r#"href="/stories/a1""#));
    assert!(html.contains(r#"<a rel="prev" href="/?offset=0">"#));
    assert!(html.contains(r#"<a rel="next" href="/?offset=40">"#));
    assert!(html.contains("3 articles · 2 outlets"), "{html}");
    assert!(!has_class(&html, "ol", "search-hits"));

    let hits = vec![SearchHit {
        id: "a1".to_string(),
        story: "a1".to_string(),
        title: Some("Mayor vows".to_string()),
        outlet: Some("The Daily Ledger".to_string()),
        published: Some("2024-03-05".to_string()),
        url: None,
        snippet: "the city would [rebuild] the [bridge]".to_string(),
        score: 1.0,
    }];
    let first = Paging {
        offset: 0,
        limit: 20,
        has_more: false,
    };
    let html = pages::home(&counts, &[], &first, Some(("bridge", &hits))).into_string();
    assert_document(&html);
    assert!(has_class(&html, "ol", "search-hits"));
    assert!(html.contains("the city would <mark>rebuild</mark> the <mark>bridge</mark>"));
    assert!(html.contains(r#"value="bridge""#));
    assert!(!html.contains("nav class=\"paging\""));
    let empty = pages::home(&counts, &[], &first, Some(("zzz", &[]))).into_string();
    assert!(empty.contains("No article matches."));
}

#[test]
fn error_page_shows_status_and_message() {
    let html = pages::error_page(404, "no article with id abc").into_string();
    assert_document(&html);
    assert!(has_class(&html, "section", "error"));
    assert!(html.contains("404"));
    assert!(html.contains("Not found"));
    assert!(html.contains("no article with id abc"));
}

#[test]
fn stylesheet_styles_the_contract_classes() {
    for class in [
        "form.search",
        ".entity-PERSON",
        ".entity-ORG",
        ".entity-GPE",
        ".entity-LOC",
        ".entity-NORP",
        ".entity-EVENT",
        "span.quote",
        ".speaker-0",
        ".speaker-9",
        "mark.loaded",
        ".outlets",
        ".outlet-column",
        "svg.tone-bar",
        "svg.timeline",
        "svg.mentions-chart",
        "ol.stories",
        "ol.search-hits",
        "section.error",
        "@media",
    ] {
        assert!(pages::STYLESHEET.contains(class), "{class} not styled");
    }
}

// ---------------------------------------------------------------------------------------------
// Untrusted text: no article can inject markup or script.

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(2)</script>",
    "' onmouseover='alert(3)",
    "<style>body{display:none}</style>",
];

fn evil(idx: usize) -> String {
    PAYLOADS[idx % PAYLOADS.len()].to_string()
}

#[test]
fn article_page_escapes_everything_from_the_article() {
    for (payload_idx, payload) in PAYLOADS.iter().enumerate() {
        let text =
            format!("Ann Lee said “{payload} is here” today. {payload}\n\nMore {payload} text.");
        let mut stored = stored(&text, payload, payload, payload, Some(payload));
        let article = &mut stored.article;
        article.authors = vec![evil(payload_idx + 1)];
        article.language = evil(payload_idx + 2);
        article.source.url = Some("javascript:alert(document.cookie)".to_string());
        let n_chars = article.text.chars().count();
        article.quotes.push(Quote {
            text: payload.to_string(),
            spans: vec![span(0, n_chars)],
            kind: evil(payload_idx + 3),
            speaker: Some(Speaker {
                name: payload.to_string(),
                entity: None,
                mention: None,
            }),
            verb: Some(ReportingVerb {
                text: evil(payload_idx + 4),
                lemma: String::new(),
                start: 0,
                end: 3,
                neutral: false,
            }),
            channel: Some(evil(payload_idx + 5)),
        });
        article.entities.push(Entity {
            id: 9,
            name: payload.to_string(),
            entity_type: payload.to_string(),
            roles: Vec::new(),
            mentions: vec![Mention {
                start: 4,
                end: 10,
                text: String::new(),
                kind: payload.to_string(),
            }],
            tone: None,
        });
        article.loaded.push(Loaded {
            start: 2,
            end: 8,
            text: String::new(),
            category: payload.to_string(),
            in_quote: false,
        });
        stored.duplicate_of = Some(payload.to_string());
        let (summary, _) = bridge_story();
        let mut summary = summary;
        summary.id = payload.to_string();
        summary.title = Some(payload.to_string());
        let html = pages::article(&stored, Some(&summary)).into_string();
        assert_document(&html);
        assert!(
            !html.contains("rel=\"noopener noreferrer\""),
            "a javascript: URL became a link"
        );
        assert!(
            html.contains("javascript:alert(document.cookie)"),
            "the URL is still shown as text"
        );
    }
}

#[test]
fn story_page_escapes_everything_from_the_articles() {
    for (payload_idx, payload) in PAYLOADS.iter().enumerate() {
        let text = format!("“{payload} and more words here,” said {payload}.");
        let articles = vec![
            stored(&text, payload, payload, payload, Some(payload)),
            stored(
                &text,
                "x",
                &evil(payload_idx + 1),
                &evil(payload_idx + 2),
                None,
            ),
        ];
        let summary = StorySummary {
            id: payload.to_string(),
            title: Some(payload.to_string()),
            first_seen: Some(payload.to_string()),
            last_seen: Some(evil(payload_idx + 1)),
            articles: articles.iter().map(story_article).collect(),
            entities: vec![EntityCount {
                name: payload.to_string(),
                entity_type: payload.to_string(),
                articles: 1,
                mentions: 1,
            }],
            quotes: 1,
        };
        let mut comparison = compare_story(&summary, &articles);
        comparison.differences.reworded.push(Rewording {
            speaker: payload.to_string(),
            kind: payload.to_string(),
            overlap: f64::NAN,
            versions: vec![
                (
                    payload.to_string(),
                    payload.to_string(),
                    payload.to_string(),
                ),
                (
                    evil(payload_idx + 1),
                    evil(payload_idx + 2),
                    evil(payload_idx + 3),
                ),
            ],
        });
        comparison.differences.quotes_only_in.push(OnlyIn {
            outlet: payload.to_string(),
            speaker: payload.to_string(),
            quote: Some(payload.to_string()),
        });
        comparison.differences.speakers_only_in.push(OnlyIn {
            outlet: payload.to_string(),
            speaker: payload.to_string(),
            quote: None,
        });
        if let Some(coverage) = comparison.outlets.first_mut() {
            coverage.loaded.push(newslens_store::compare::Counted {
                text: payload.to_string(),
                count: 2,
            });
            coverage
                .narrative_tone
                .push(serde_json::json!({"tone": payload}));
            coverage.speakers.push(SpeakerQuotes {
                speaker: payload.to_string(),
                quotes: vec![newslens_store::compare::QuoteLine {
                    text: payload.to_string(),
                    kind: payload.to_string(),
                    verb: Some(payload.to_string()),
                }],
            });
        }
        let html = pages::story(&summary, &comparison).into_string();
        assert_document(&html);
    }
}

#[test]
fn entity_home_and_error_pages_escape_everything() {
    for (payload_idx, payload) in PAYLOADS.iter().enumerate() {
        let mut record = quote_record(payload, Some(payload));
        record.verb = Some(evil(payload_idx + 1));
        record.kind = evil(payload_idx + 2);
        record.outlet = Some(evil(payload_idx + 3));
        record.article = payload.to_string();
        record.story = payload.to_string();
        record.published = Some(payload.to_string());
        record.url = Some("javascript:alert(1)".to_string());
        let report = EntityReport {
            query: payload.to_string(),
            names: vec![EntityCount {
                name: payload.to_string(),
                entity_type: payload.to_string(),
                articles: 1,
                mentions: 1,
            }],
            timeline: vec![MentionPeriod {
                date: payload.to_string(),
                articles: 1,
                mentions: 1,
            }],
            quotes_by: vec![record.clone()],
            quotes_about: vec![record],
        };
        assert_document(&pages::entity(&report).into_string());

        let hit = SearchHit {
            id: payload.to_string(),
            story: payload.to_string(),
            title: Some(payload.to_string()),
            outlet: Some(payload.to_string()),
            published: Some(payload.to_string()),
            url: Some("javascript:alert(1)".to_string()),
            snippet: format!("[{payload}] and {payload} [x{payload}"),
            score: 0.0,
        };
        let (mut summary, _) = bridge_story();
        summary.title = Some(payload.to_string());
        summary.id = payload.to_string();
        let page = Paging {
            offset: 5,
            limit: 5,
            has_more: true,
        };
        let html = pages::home(
            &CorpusCounts::default(),
            &[summary],
            &page,
            Some((payload, std::slice::from_ref(&hit))),
        )
        .into_string();
        assert_document(&html);

        assert_document(&pages::error_page(500, payload).into_string());
    }
}

// ---------------------------------------------------------------------------------------------
// For looking at the pages in a browser: `NEWSLENS_WRITE_PAGES=DIR cargo test -p newslens-server
// --test pages write_pages` writes each page and the stylesheet under DIR (serve DIR with the
// server's CSP header to see them as a reader would). Does nothing without the variable.

#[test]
fn write_pages() {
    let Some(dir) = std::env::var_os("NEWSLENS_WRITE_PAGES") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(dir.join("assets")).expect("create the output folder");
    let write = |name: &str, html: String| {
        std::fs::write(dir.join(name), html).expect("write a page");
    };
    std::fs::write(dir.join("assets/app.css"), pages::STYLESHEET).expect("write the stylesheet");
    let (summary, articles) = bridge_story();
    let comparison = compare_story(&summary, &articles);
    write(
        "article.html",
        pages::article(&articles[0], Some(&summary)).into_string(),
    );
    write(
        "hand.html",
        pages::article(&hand_made_article(), None).into_string(),
    );
    write(
        "story.html",
        pages::story(&summary, &comparison).into_string(),
    );
    let report = EntityReport {
        query: "brandt".to_string(),
        names: vec![EntityCount {
            name: "Helen Brandt".to_string(),
            entity_type: "PERSON".to_string(),
            articles: 3,
            mentions: 9,
        }],
        timeline: vec![
            MentionPeriod {
                date: "2024-03-01".to_string(),
                articles: 1,
                mentions: 4,
            },
            MentionPeriod {
                date: "2024-03-02".to_string(),
                articles: 2,
                mentions: 7,
            },
            MentionPeriod {
                date: "2024-03-05".to_string(),
                articles: 2,
                mentions: 3,
            },
            MentionPeriod {
                date: "2024-03-11".to_string(),
                articles: 3,
                mentions: 12,
            },
            MentionPeriod {
                date: "undated".to_string(),
                articles: 1,
                mentions: 2,
            },
        ],
        quotes_by: vec![quote_record(
            "We will rebuild the bridge before winter.",
            Some("Helen Brandt"),
        )],
        quotes_about: vec![quote_record(
            "Brandt is wrong about the budget.",
            Some("Omar Reyes"),
        )],
    };
    write("entity.html", pages::entity(&report).into_string());
    let counts = CorpusCounts {
        articles: 3,
        duplicates: 0,
        stories: 1,
        quotes: 4,
    };
    let page = Paging {
        offset: 20,
        limit: 20,
        has_more: true,
    };
    let hits = vec![SearchHit {
        id: "a1".to_string(),
        story: "a1".to_string(),
        title: Some("Mayor vows to rebuild bridge".to_string()),
        outlet: Some("The Daily Ledger".to_string()),
        published: Some("2024-03-05".to_string()),
        url: None,
        snippet: "…the city would [rebuild] the Riverside [bridge] before winter…".to_string(),
        score: 1.0,
    }];
    write(
        "home.html",
        pages::home(
            &counts,
            std::slice::from_ref(&summary),
            &page,
            Some(("bridge", &hits)),
        )
        .into_string(),
    );
    write(
        "error.html",
        pages::error_page(404, "no article with id 42").into_string(),
    );
}
