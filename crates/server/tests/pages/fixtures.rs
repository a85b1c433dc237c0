//! Invented articles and view values for the pages' tests: a two-outlet story analysed with
//! `newslens_core::analyze`, an article with hand-placed overlapping spans over multi-byte text,
//! and quote records.
//!
//! Every sentence here was written for these tests.

use newslens_core::article::{Entity, Loaded, Mention, Quote, ReportingVerb, Speaker, Tone};
use newslens_core::{analyze, Document, Source, Span};
use newslens_core::{EntityType, LoadedCategory, MentionKind, QuoteKind};
use newslens_store::{EntityCount, QuoteRecord, StoredArticle, StoryArticle, StorySummary};

pub const LEDGER_TEXT: &str = "Mayor Helen Brandt said on Tuesday that the city would rebuild the Riverside bridge before winter.\n\n“We will not back down from this promise to the people of Riverside,” Brandt said at a crowded meeting in Oldham.\n\nCritics slammed the reckless plan. Councillor Omar Reyes told reporters: “The budget for this bridge is a disaster waiting to happen.”";

pub const COURIER_TEXT: &str = "Helen Brandt vowed on Tuesday that the Riverside bridge would be rebuilt.\n\n“We will never back down from this promise to the people of Riverside,” Brandt told supporters in Oldham.\n\nThe opposition was furious about the cost.";

pub fn stored(
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
    StoredArticle {
        article,
        story: "story".to_string(),
        duplicate_of: None,
    }
}

pub fn story_article(stored: &StoredArticle) -> StoryArticle {
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

pub fn bridge_story() -> (StorySummary, Vec<StoredArticle>) {
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
            entity_type: EntityType::Person,
            articles: 3,
            mentions: 7,
        }],
        quotes: 4,
        events: Vec::new(),
    };
    (summary, articles)
}

pub fn span(start: usize, end: usize) -> Span {
    Span::new(start, end)
}

/// An article built by hand with exact, overlapping spans over text with multi-byte characters.
pub fn hand_made_article() -> StoredArticle {
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
            entity_type: EntityType::Person,
            roles: Vec::new(),
            mentions: vec![
                Mention {
                    start: zoe_start,
                    end: zoe_end,
                    text: "Zoë Martín".to_string(),
                    kind: MentionKind::Name,
                },
                Mention {
                    start: paragraph_break + 2,
                    end: paragraph_break + 5,
                    text: "She".to_string(),
                    kind: MentionKind::Pronoun,
                },
            ],
            tone: None,
        },
        Entity {
            id: 1,
            name: "Québec".to_string(),
            entity_type: EntityType::Gpe,
            roles: Vec::new(),
            mentions: vec![
                Mention {
                    start: quebec_start,
                    end: quebec_end,
                    text: "Québec".to_string(),
                    kind: MentionKind::Name,
                },
                // Out of range: must be dropped, not panic.
                Mention {
                    start: 500,
                    end: 510,
                    text: "x".to_string(),
                    kind: MentionKind::Name,
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
            kind: QuoteKind::Direct,
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
            kind: QuoteKind::Mixed,
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
            kind: QuoteKind::Direct,
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
            category: LoadedCategory::Emotive,
            in_quote: true,
        },
        Loaded {
            start: shameful_start,
            end: shameful_end,
            text: "shameful".to_string(),
            category: LoadedCategory::Emotive,
            in_quote: true,
        },
        // Touching the verb, crossing the quote's end.
        Loaded {
            start: furious_end,
            end: said_end,
            text: ",” said".to_string(),
            category: LoadedCategory::LoadedVerb,
            in_quote: false,
        },
    ];
    article.tone_narrative = Some(Tone {
        tone: -3.25,
        positive: 1.0,
        negative: 4.25,
        polarity: 5.25,
        activity_density: 0.0,
        self_group_density: 0.0,
        words: 12,
    });
    StoredArticle {
        article,
        story: "story".to_string(),
        duplicate_of: None,
    }
}

pub fn quote_record(text: &str, speaker: Option<&str>) -> QuoteRecord {
    QuoteRecord {
        text: text.to_string(),
        kind: QuoteKind::Direct,
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
