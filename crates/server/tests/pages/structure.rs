//! What each page shows and the class names the browser tests look for.
//!
//! Built from the fixtures; the escaping of hostile text has its own module.

use crate::fixtures::*;
use crate::html::*;
use newslens_core::article::Tone;
use newslens_core::{analyze, Article, Document, EntityType, QuoteKind};
use newslens_server::pages::{self, Paging};
use newslens_store::compare::{
    Differences, OnlyIn, OutletCoverage, Rewording, RewordingKind, SpeakerQuotes,
};
use newslens_store::{
    compare_story, Comparison, CorpusCounts, EntityCount, EntityReport, MentionPeriod, SearchHit,
    StoredArticle, StorySummary,
};

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
    article.tone_narrative = None;
    let html = pages::article(
        &StoredArticle {
            article,
            story: "story".to_string(),
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
        events: Vec::new(),
    };
    let coverage = |outlet: &str, tone: f64| OutletCoverage {
        outlet: outlet.to_string(),
        articles: Vec::new(),
        tone: Some(1.0),
        narrative_tone: vec![Tone {
            tone,
            positive: 0.0,
            negative: 0.0,
            polarity: 0.0,
            activity_density: 0.0,
            self_group_density: 0.0,
            words: 10,
        }],
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
        outlets: vec![coverage("Alpha", -4.0), coverage("Beta", 2.5)],
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
                kind: RewordingKind::Misquote,
                overlap: 0.8,
                versions: vec![
                    (
                        "Alpha".to_string(),
                        "We will not back down".to_string(),
                        QuoteKind::Direct,
                    ),
                    (
                        "Beta".to_string(),
                        "We will never back down".to_string(),
                        QuoteKind::Direct,
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

#[test]
fn entity_page_charts_mentions_and_lists_quotes() {
    let report = EntityReport {
        query: "brandt".to_string(),
        names: vec![EntityCount {
            name: "Helen Brandt".to_string(),
            entity_type: EntityType::Person,
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
