//! Untrusted text: every page rendered with XSS payloads in every field the store hands it,
//! checked for tags, event handlers, inline styles and `javascript:` links that came from the data.
//! The contract's closed sets (entity types, mention, quote and rewording kinds, loaded categories)
//! are enums that cannot hold a payload; every free-text field gets one.

use crate::fixtures::*;
use crate::html::*;
use newslens_core::article::{Entity, Loaded, Mention, Quote, ReportingVerb, Speaker, Tone};
use newslens_core::{EntityType, LoadedCategory, MentionKind, QuoteKind};
use newslens_server::pages::{self, Paging};
use newslens_store::compare::{OnlyIn, Rewording, RewordingKind, SpeakerQuotes};
use newslens_store::{
    compare_story, CorpusCounts, EntityCount, EntityReport, MentionPeriod, SearchHit, StorySummary,
};

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

fn quote_kind(idx: usize) -> QuoteKind {
    QuoteKind::ALL[idx % QuoteKind::ALL.len()]
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
            kind: quote_kind(payload_idx),
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
            entity_type: EntityType::ALL[payload_idx % EntityType::ALL.len()],
            roles: Vec::new(),
            mentions: vec![Mention {
                start: 4,
                end: 10,
                text: String::new(),
                kind: MentionKind::ALL[payload_idx % MentionKind::ALL.len()],
            }],
            tone: None,
        });
        article.loaded.push(Loaded {
            start: 2,
            end: 8,
            text: String::new(),
            category: LoadedCategory::ALL[payload_idx % LoadedCategory::ALL.len()],
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
                entity_type: EntityType::ALL[payload_idx % EntityType::ALL.len()],
                articles: 1,
                mentions: 1,
            }],
            quotes: 1,
            events: Vec::new(),
        };
        let mut comparison = compare_story(&summary, &articles);
        comparison.differences.reworded.push(Rewording {
            speaker: payload.to_string(),
            kind: RewordingKind::Misquote,
            overlap: f64::NAN,
            versions: vec![
                (
                    payload.to_string(),
                    payload.to_string(),
                    quote_kind(payload_idx),
                ),
                (
                    evil(payload_idx + 1),
                    evil(payload_idx + 2),
                    quote_kind(payload_idx + 1),
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
            coverage.narrative_tone.push(Tone {
                tone: f64::NAN,
                positive: f64::INFINITY,
                negative: 0.0,
                polarity: f64::NAN,
                activity_density: 0.0,
                self_group_density: 0.0,
                words: payload.len(),
            });
            coverage.speakers.push(SpeakerQuotes {
                speaker: payload.to_string(),
                quotes: vec![newslens_store::compare::QuoteLine {
                    text: payload.to_string(),
                    kind: quote_kind(payload_idx),
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
        record.kind = quote_kind(payload_idx);
        record.outlet = Some(evil(payload_idx + 3));
        record.article = payload.to_string();
        record.story = payload.to_string();
        record.published = Some(payload.to_string());
        record.url = Some("javascript:alert(1)".to_string());
        let report = EntityReport {
            query: payload.to_string(),
            names: vec![EntityCount {
                name: payload.to_string(),
                entity_type: EntityType::ALL[payload_idx % EntityType::ALL.len()],
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
