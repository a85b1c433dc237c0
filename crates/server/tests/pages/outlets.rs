//! The outlet pages with XSS payloads in every free-text field a profile holds (the outlet's
//! name, the user's labels, sources, speakers, words, blindspot titles and outlets), and their
//! structure: the class names the browser test looks for, and the unknown gender share shown.

use crate::fixtures::*;
use crate::html::*;
use newslens_server::pages;
use newslens_store::outlets::{
    Blindspot, Blindspots, GenderShares, OutletProfile, Ranked, SameStories, SpeakerCount,
    WeekPoint,
};
use newslens_store::SearchHit;

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "' onmouseover='alert(3)",
    "<style>body{display:none}</style>",
];

fn ranked(name: &str, z: f64) -> Ranked {
    Ranked {
        name: name.to_string(),
        outlet: 7,
        rest: 2,
        log_odds: z / 3.0,
        z,
    }
}

fn profile(payload: &str) -> OutletProfile {
    OutletProfile {
        name: payload.to_string(),
        labels: vec![payload.to_string()],
        sources: vec![payload.to_string()],
        first_published: Some("2024-03-04".into()),
        last_published: Some(payload.to_string()),
        articles: 12,
        stories: 5,
        quotes: 30,
        own_words: 4000,
        tone_narrative_mean: Some(-1.25),
        loaded_per_1k_words: Some(3.5),
        non_neutral_verbs_share: Some(0.2),
        gender: GenderShares {
            women: 5,
            men: 20,
            unknown: 5,
            women_share: Some(5.0 / 30.0),
            men_share: Some(20.0 / 30.0),
            unknown_share: Some(5.0 / 30.0),
        },
        top_speakers: vec![SpeakerCount {
            name: payload.to_string(),
            quotes: 4,
        }],
        same_stories: Some(SameStories {
            quotes: 20,
            other_quotes: 70,
            words: 3000,
            other_words: 9000,
        }),
        speakers_more: vec![ranked(payload, 2.5)],
        speakers_less: vec![ranked(payload, -2.5)],
        distinctive_words: vec![ranked(payload, 3.1)],
        blindspots: Blindspots {
            min_outlets: 3,
            count: 1,
            stories: vec![Blindspot {
                id: payload.to_string(),
                title: Some(payload.to_string()),
                first_seen: Some(payload.to_string()),
                outlets: vec![payload.to_string()],
            }],
        },
        weeks: vec![
            WeekPoint {
                week: payload.to_string(),
                articles: 3,
                quotes: 9,
                tone_narrative_mean: Some(-2.0),
                loaded_per_1k_words: Some(4.0),
                women_share: Some(0.25),
            },
            WeekPoint {
                week: "2024-03-11".into(),
                articles: 9,
                quotes: 21,
                tone_narrative_mean: Some(1.0),
                loaded_per_1k_words: None,
                women_share: None,
            },
        ],
    }
}

#[test]
fn outlet_pages_escape_everything_from_the_profile() {
    for payload in PAYLOADS {
        let profile = profile(payload);
        for html in [
            pages::outlet(&profile).into_string(),
            pages::outlets(std::slice::from_ref(&profile), 3).into_string(),
            pages::outlet_quotes(payload, payload, &[quote_record(payload, Some(payload))])
                .into_string(),
            pages::outlet_words(
                payload,
                payload,
                &[SearchHit {
                    id: payload.to_string(),
                    story: payload.to_string(),
                    title: Some(payload.to_string()),
                    outlet: Some(payload.to_string()),
                    published: None,
                    url: None,
                    snippet: format!("[{payload}] and {payload}"),
                    score: 0.0,
                }],
            )
            .into_string(),
        ] {
            assert_document(&html);
            assert_well_formed(&html);
            assert_safe(&html);
        }
    }
}

#[test]
fn the_outlet_page_has_its_charts_rankings_blindspots_and_the_unknown_share() {
    let html = pages::outlet(&profile("Harbour Gazette")).into_string();
    for chart in ["week-articles", "week-tone", "week-loaded", "week-women"] {
        assert!(has_class(&html, "svg", chart), "no {chart} chart");
    }
    assert!(has_class(&html, "rect", "week-bar"));
    assert!(
        has_class(&html, "rect", "negative"),
        "negative tone below the axis"
    );
    for ranking in ["speakers-more", "speakers-less", "distinctive-words"] {
        assert!(has_class(&html, "section", ranking), "no {ranking} ranking");
    }
    assert!(has_class(&html, "a", "evidence"));
    assert!(
        has_class(&html, "p", "same-stories"),
        "what the rankings compare is said"
    );
    assert!(html.contains("Others, same stories"));
    assert!(html.contains("/outlets/Harbour%20Gazette/quotes?speaker=Harbour%20Gazette"));
    assert!(has_class(&html, "a", "blindspot"));
    assert!(has_class(&html, "dd", "gender-unknown"));
    assert!(html.contains("5 (17%)"), "the unknown share is shown");
    assert!(
        html.contains("Your labels"),
        "labels are shown as the user's"
    );
}
