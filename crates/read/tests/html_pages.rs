//! HTML pages the project wrote (`tests/fixtures/*.html`): main text without page furniture, and
//! metadata from JSON-LD, meta tags and bylines; embedded tweets become posts.
//!
//! These check the whole read path for HTML (decode → extract → clean) plus the analysis of the
//! result. They do not measure extraction quality at scale.

use newslens_core::{analyze, Article};
use newslens_read::{read_record, Format, Given, Origin, ReadOptions, Record};

fn read_fixture(name: &str) -> Result<Article, newslens_read::ReadError> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture exists");
    let record = Record {
        origin: Origin::file(name),
        bytes,
        format: Format::Html,
        given: Given::default(),
        fallback: Given::default(),
    };
    read_record(record, &ReadOptions::default()).map(|reading| analyze(&reading.document))
}

#[test]
fn json_ld_graph_gives_headline_date_authors_outlet_and_url() {
    let article = read_fixture("json-ld-graph.html").unwrap();
    assert_eq!(
        article.title.as_deref(),
        Some("Flood defences fail as river bursts its banks in Lowbridge")
    );
    assert_eq!(
        article.published.as_deref(),
        Some("2023-11-02T07:45:00+00:00")
    );
    assert_eq!(article.authors, ["Tomasz Wren", "Hannah Oduya"]);
    assert_eq!(
        article.source.outlet.as_deref(),
        Some("The Northern Ledger")
    );
    assert_eq!(
        article.source.url.as_deref(),
        Some("https://ledger.example/news/lowbridge-floods")
    );
}

#[test]
fn menus_banners_related_lists_footers_and_scripts_are_not_text() {
    let article = read_fixture("json-ld-graph.html").unwrap();
    for furniture in [
        "cookie",
        "Home",
        "Weather",
        "Related stories",
        "Storm warnings",
        "All rights reserved",
        "dataLayer",
        "color:red",
    ] {
        assert!(
            !article.text.contains(furniture),
            "{furniture:?} leaked into the text:\n{}",
            article.text
        );
    }
    assert!(article
        .text
        .starts_with("More than two hundred homes in Lowbridge were evacuated"));
    assert!(article.text.contains("“They lasted three.”"));
    assert!(article.text.ends_with("before the next storm arrives."));
    assert_eq!(article.paragraphs.len(), 5);
}

#[test]
fn headline_is_not_repeated_at_the_top_of_the_text() {
    let article = read_fixture("meta-tags-and-tweet.html").unwrap();
    assert_eq!(
        article.title.as_deref(),
        Some("Striking bus drivers reject new pay offer")
    );
    assert!(
        article.text.starts_with("Bus drivers in Westvale"),
        "{}",
        article.text
    );
}

#[test]
fn meta_tags_give_date_author_and_outlet() {
    let article = read_fixture("meta-tags-and-tweet.html").unwrap();
    assert_eq!(
        article.published.as_deref(),
        Some("2024-02-19T16:20:00+00:00")
    );
    assert_eq!(article.authors, ["Ruth Calloway"]);
    assert_eq!(article.source.outlet.as_deref(), Some("Westvale Echo"));
}

#[test]
fn embedded_tweet_becomes_a_post_spanning_its_text() {
    let article = read_fixture("meta-tags-and-tweet.html").unwrap();
    assert_eq!(article.posts.len(), 1);
    let post = &article.posts[0];
    assert_eq!(post.author.as_deref(), Some("Westvale Council"));
    assert_eq!(post.handle.as_deref(), Some("@WestvaleCouncil"));
    assert_eq!(post.date.as_deref(), Some("2024-02-19"));
    assert_eq!(
        post.url.as_deref(),
        Some("https://twitter.com/WestvaleCouncil/status/1759")
    );
    let body: String = article
        .text
        .chars()
        .skip(post.start)
        .take(post.end - post.start)
        .collect();
    assert!(body.starts_with("No buses again tomorrow."), "{body}");
    assert!(body.ends_with("February 19, 2024"), "{body}");
}

#[test]
fn share_prompts_inside_the_article_are_boilerplate() {
    let article = read_fixture("meta-tags-and-tweet.html").unwrap();
    assert!(!article.text.contains("Share this article"));
    assert!(article
        .boilerplate
        .iter()
        .any(|b| b.kind.as_str() == "share"));
}

#[test]
fn broken_html_still_gives_its_paragraphs() {
    let article = read_fixture("broken.html").unwrap();
    assert!(article
        .text
        .contains("The harbour master said the tide would turn by noon"));
    assert!(article.text.contains("Nobody was hurt, officials said."));
    assert_eq!(article.paragraphs.len(), 3);
}

#[test]
fn a_page_without_article_text_is_a_clear_error() {
    let error = read_fixture("no-article.html").unwrap_err();
    assert_eq!(error.to_string(), "no-article.html: no article text found");
}
