//! For looking at the pages in a browser: `NEWSLENS_WRITE_PAGES=DIR cargo test -p newslens-server
//! --test pages write_pages` writes each page and the stylesheet under DIR (serve DIR with the
//! server's CSP header to see them as a reader would). Does nothing without the variable.

use crate::fixtures::*;
use newslens_core::EntityType;
use newslens_server::pages::{self, Paging};
use newslens_store::{
    compare_story, CorpusCounts, EntityCount, EntityReport, MentionPeriod, SearchHit,
};

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
            entity_type: EntityType::Person,
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
