//! The corpus end to end on articles written for these tests: storing (idempotent by text and by
//! URL), near-copies, stories, and every view — quotes, entities, search and the side-by-side
//! comparison with its misquote detection.
//!
//! Quotes, tone and loaded words are set by hand (as JSON, so the tests keep compiling while the
//! contract grows), because the store must work against the contract whatever fills it.
//!
//! Every test in `on_both_backends!` runs twice: in `sqlite::` on an in-memory SQLite store and in
//! `postgres::` on a throwaway PostgreSQL cluster of its own (`newslens_testkit`), skipped with a
//! notice when PostgreSQL is not installed (a failure with `NEWSLENS_REQUIRE_POSTGRES=1`). Tests of
//! one backend's files and schema history follow the macro.

use newslens_core::article::{Loaded, Quote, Tone};
use newslens_core::{analyze, Article, Document};
use newslens_store::{
    compare_story, prepare, update_stories, AlreadyStored, EventKind, FeedValidators, QuoteFilter,
    QuoteRecord, SearchQuery, SqliteStore, Store, StoreError, StoryConfig, StoryEventRecord,
    StoryFilter,
};
use newslens_testkit::TempPostgres;
use serde_json::json;

const FERRY_HARWICH: [&str; 3] = [
    "Ferry crews at Harwich walked out on Monday over rosters, stranding lorries at the Harwich terminal. The Harwich strike by ferry deckhands halted sailings to the Hook of Holland, and the union said Harwich crews would stay out until Wednesday.",
    "Sailings from Harwich to the Hook of Holland were cancelled as deckhands struck over rosters. Lorries queued outside the Harwich terminal while the strike by ferry crews continued, the union said, until Wednesday at the earliest. “Harwich crews will stay out till Wednesday,” Whitlock said.",
    "The Harwich ferry strike left lorry drivers stranded at the terminal after deckhands refused to sail to the Hook of Holland. Crews walked out over new rosters and the union expects the Harwich stoppage to last until Wednesday.",
];
const FERRY_OBAN: [&str; 3] = [
    "Ferry crews in Oban walked out on Friday over pay, leaving islanders on Mull without sailings. The Oban strike by ferry engineers stopped the Craignure route, and the union said Oban engineers would meet managers next week.",
    "Islanders on Mull were cut off as Oban ferry engineers struck over pay. No sailings left Oban for Craignure while the strike by ferry engineers continued, and the union said talks with managers are due next week.",
    "The Oban ferry strike stranded Mull islanders after engineers refused to sail the Craignure route. Engineers walked out over pay and the union expects to meet Oban managers next week to end the stoppage.",
];
const LIBRARY: &str = "The town council voted to close the Elm Street library after a long budget debate. Readers signed a petition and councillors promised a mobile service for the district.";
const CHESS: &str = "A twelve-year-old from Leeds won the regional chess championship with a bold rook sacrifice in the final round. Her coach praised her calm play against older opponents.";

fn article(text: &str, outlet: &str, url: Option<&str>, published: &str, title: &str) -> Article {
    let mut document = Document::new(text);
    document.source.outlet = Some(outlet.to_string());
    document.source.url = url.map(str::to_string);
    document.published = Some(published.to_string());
    document.title = Some(title.to_string());
    // The layers under test here are the store's: quotes, tone and loaded words are set by hand.
    let mut article = analyze(&document);
    article.quotes.clear();
    article.loaded.clear();
    article.tone = None;
    article
}

/// Adds a quote whose words are found in the text; `speaker` as named by the article.
fn with_quote(
    mut article: Article,
    words: &str,
    speaker: Option<&str>,
    kind: &str,
    verb: &str,
) -> Article {
    let byte_start = article.text.find(words).expect("the quote is in the text");
    let start = article.text[..byte_start].chars().count();
    let end = start + words.chars().count();
    let quote: Quote = serde_json::from_value(json!({
        "text": words,
        "spans": [[start, end]],
        "kind": kind,
        "speaker": speaker.map(|name| json!({"name": name, "entity": null, "mention": null})),
        "verb": {"text": verb, "lemma": verb, "start": 0, "end": 0, "neutral": verb == "said"},
        "channel": null
    }))
    .expect("a contract quote");
    article.quotes.push(quote);
    article
}

fn with_tone_and_loaded(mut article: Article, tone: f64, loaded: &str) -> Article {
    article.tone = Some(
        serde_json::from_value::<Tone>(json!({
            "tone": tone, "positive": 1.0, "negative": 1.0 - tone, "polarity": 2.0 - tone,
            "activity_density": 0.0, "self_group_density": 0.0, "words": 40
        }))
        .expect("a contract tone"),
    );
    if let Some(byte_start) = article.text.find(loaded) {
        let start = article.text[..byte_start].chars().count();
        article.loaded.push(
            serde_json::from_value::<Loaded>(json!({
                "start": start, "end": start + loaded.chars().count(), "text": loaded,
                "category": "loaded_verb", "in_quote": false
            }))
            .expect("a contract loaded span"),
        );
    }
    article
}

fn corpus() -> Vec<Article> {
    let mut articles = Vec::new();
    for (idx, text) in FERRY_HARWICH.iter().enumerate() {
        articles.push(article(
            text,
            &format!("Outlet {idx}"),
            Some(&format!("https://news{idx}.example/harwich")),
            "2023-03-06",
            "Harwich ferry strike",
        ));
    }
    for (idx, text) in FERRY_OBAN.iter().enumerate() {
        articles.push(article(
            text,
            &format!("Outlet {idx}"),
            Some(&format!("https://news{idx}.example/oban")),
            "2023-05-12",
            "Oban ferry strike",
        ));
    }
    articles.push(article(
        LIBRARY,
        "Town Crier",
        None,
        "2023-03-07",
        "Library to close",
    ));
    articles.push(article(
        CHESS,
        "Town Crier",
        None,
        "2023-03-08",
        "Chess title for Leeds girl",
    ));
    articles
}

/// Where a test's stores live: SQLite in memory, or databases on a PostgreSQL server of the
/// test's own.
struct Backend {
    server: Option<TempPostgres>,
    n_databases: usize,
}

impl Backend {
    fn sqlite() -> Backend {
        Backend {
            server: None,
            n_databases: 0,
        }
    }

    /// `None` (a notice printed) when PostgreSQL is not installed.
    fn postgres() -> Option<Backend> {
        Some(Backend {
            server: Some(TempPostgres::start()?),
            n_databases: 0,
        })
    }

    /// A new, empty store.
    fn open(&mut self) -> Box<dyn Store + Send> {
        match &self.server {
            None => Box::new(SqliteStore::open_in_memory().expect("an in-memory store")),
            Some(server) => {
                self.n_databases += 1;
                let url = server.create_database(&format!("corpus{}", self.n_databases));
                newslens_store::open(&url).expect("a PostgreSQL store")
            }
        }
    }

    /// A new store holding `articles`, stories updated.
    fn store_with(&mut self, articles: &[Article]) -> Box<dyn Store + Send> {
        let mut store = self.open();
        let records: Vec<_> = articles.iter().cloned().map(prepare).collect();
        store.add_articles(&records).expect("stored");
        update_stories(&mut store, &StoryConfig::default()).expect("stories updated");
        store
    }
}

/// Defines each test twice, in `sqlite::` and `postgres::`, handing it its [`Backend`].
macro_rules! on_both_backends {
    ($($(#[$meta:meta])* fn $name:ident($backend:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            $($(#[$meta])* #[test] fn $name() {
                let mut backend = Backend::sqlite();
                let $backend = &mut backend;
                $body
            })*
        }
        mod postgres {
            use super::*;
            $($(#[$meta])* #[test] fn $name() {
                let Some(mut backend) = Backend::postgres() else { return };
                let $backend = &mut backend;
                $body
            })*
        }
    };
}

fn partition(store: &dyn Store) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = store
        .stories(&StoryFilter::default())
        .expect("stories")
        .into_iter()
        .map(|story| {
            let mut ids: Vec<String> = story.articles.into_iter().map(|a| a.id).collect();
            ids.sort();
            ids
        })
        .collect();
    groups.sort();
    groups
}

on_both_backends! {
    fn an_article_is_stored_once_by_text_and_once_by_url(backend) {
        let mut store = backend.open();
        let first = article(
            LIBRARY,
            "Town Crier",
            Some("https://crier.example/library"),
            "2023-03-07",
            "Library to close",
        );
        let same_url = article(
            CHESS,
            "Town Crier",
            Some("https://crier.example/library"),
            "2023-03-08",
            "Chess",
        );
        let outcome = store
            .add_articles(&[prepare(first.clone()), prepare(first.clone())])
            .unwrap();
        assert_eq!((outcome.added, outcome.same_text), (1, 1));
        let outcome = store
            .add_articles(&[prepare(first), prepare(same_url)])
            .unwrap();
        assert_eq!(
            (outcome.added, outcome.same_text, outcome.same_url),
            (0, 1, 1)
        );
        assert_eq!(store.counts().unwrap().articles, 1);
        assert!(store.check().unwrap().is_empty());
    }

    fn articles_about_one_event_form_one_story_and_a_lookalike_event_another(backend) {
        let store = backend.store_with(&corpus());
        let stories = store.stories(&StoryFilter::default()).unwrap();
        let mut sizes: Vec<usize> = stories.iter().map(|s| s.articles.len()).collect();
        sizes.sort();
        assert_eq!(sizes, [1, 1, 3, 3], "{stories:#?}");
        for story in stories.iter().filter(|s| s.articles.len() == 3) {
            let titles: std::collections::BTreeSet<_> =
                story.articles.iter().map(|a| a.title.clone()).collect();
            assert_eq!(titles.len(), 1, "one event per story: {titles:?}");
            assert_eq!(story.first_seen, story.articles[0].published);
        }
        assert!(store.check().unwrap().is_empty());
    }

    fn stories_are_the_same_whatever_the_order_and_batches_of_ingest(backend) {
        let articles = corpus();
        let forward = backend.store_with(&articles);
        let mut reversed = backend.open();
        for chunk in articles.iter().rev().cloned().collect::<Vec<_>>().chunks(3) {
            let records: Vec<_> = chunk.iter().cloned().map(prepare).collect();
            reversed.add_articles(&records).unwrap();
            update_stories(&mut reversed, &StoryConfig::default()).unwrap();
        }
        assert_eq!(partition(&*forward), partition(&*reversed));
        // A story's id is the id of the article that started it, so the ids depend on the order;
        // each still names one of the story's own articles.
        for story in reversed.stories(&StoryFilter::default()).unwrap() {
            assert!(story.articles.iter().any(|article| article.id == story.id));
        }
    }

    fn a_syndicated_copy_is_linked_to_its_original_and_not_counted_as_coverage(backend) {
        let mut articles = corpus();
        let copy_text = format!(
            "{} This story was first published by Outlet 0.",
            FERRY_HARWICH[0]
        );
        articles.push(article(
            &copy_text,
            "Wire Reprints",
            None,
            "2023-03-07",
            "Harwich ferry strike",
        ));
        let store = backend.store_with(&articles);
        let counts = store.counts().unwrap();
        assert_eq!(counts.duplicates, 1);
        let stories = store
            .stories(&StoryFilter {
                min_articles: 3,
                limit: None,
                offset: 0,
                most_covered: false,
            })
            .unwrap();
        let harwich = stories
            .iter()
            .find(|s| s.title.as_deref() == Some("Harwich ferry strike"))
            .unwrap();
        let copy = harwich
            .articles
            .iter()
            .find(|a| a.outlet.as_deref() == Some("Wire Reprints"))
            .unwrap();
        assert_eq!(copy.duplicate_of.as_deref(), Some(articles[0].id.as_str()));
        assert!(store.check().unwrap().is_empty());
    }

    fn quotes_are_found_by_speaker_subject_outlet_and_date(backend) {
        let mut articles = corpus();
        articles[0] = with_quote(
            articles[0].clone(),
            "would stay out until Wednesday",
            Some("Dana Whitlock"),
            "indirect",
            "said",
        );
        articles[3] = with_quote(
            articles[3].clone(),
            "Oban engineers would meet managers next week",
            Some("Dana Whitlock"),
            "indirect",
            "said",
        );
        let store = backend.store_with(&articles);
        let by_name = |speaker: &str| {
            store
                .quotes(&QuoteFilter {
                    speaker: Some(speaker.into()),
                    ..QuoteFilter::default()
                })
                .unwrap()
        };
        assert_eq!(by_name("Dana Whitlock").len(), 2);
        assert_eq!(by_name("whitlock").len(), 2, "last name, any case");
        assert_eq!(
            by_name("Dana").len(),
            0,
            "a first name alone is not the speaker"
        );
        let since = store
            .quotes(&QuoteFilter {
                since: Some("2023-04-01".into()),
                ..QuoteFilter::default()
            })
            .unwrap();
        assert_eq!(since.len(), 1);
        assert!(since[0].text.contains("Oban"));
        let until = store
            .quotes(&QuoteFilter {
                until: Some("2023-03".into()),
                ..QuoteFilter::default()
            })
            .unwrap();
        assert!(until.iter().all(|q| !q.text.contains("Oban")), "{until:?}");
        assert!(until
            .iter()
            .all(|q| q.published.as_deref() <= Some("2023-03-31")));
        // Paging walks the same list without gaps or repeats.
        let all = store.quotes(&QuoteFilter::default()).unwrap();
        let paged: Vec<QuoteRecord> = (0..all.len())
            .flat_map(|offset| {
                store
                    .quotes(&QuoteFilter {
                        limit: Some(1),
                        offset,
                        ..QuoteFilter::default()
                    })
                    .unwrap()
            })
            .collect();
        assert_eq!(paged, all);
        let outlet = store
            .quotes(&QuoteFilter {
                outlet: Some("outlet 0".into()),
                ..QuoteFilter::default()
            })
            .unwrap();
        assert_eq!(outlet.len(), 2);
        let about = store
            .quotes(&QuoteFilter {
                about: Some("Oban".into()),
                ..QuoteFilter::default()
            })
            .unwrap();
        assert!(
            about
                .iter()
                .all(|q| q.about.iter().any(|name| name.contains("Oban"))),
            "{about:?}"
        );
    }

    fn compare_shows_each_outlet_and_finds_a_misquote_and_quotes_only_one_outlet_used(backend) {
        let mut articles = corpus();
        articles[0] = with_tone_and_loaded(
            with_quote(
                articles[0].clone(),
                "Harwich crews would stay out until Wednesday",
                Some("Dana Whitlock"),
                "direct",
                "said",
            ),
            -2.0,
            "stranding",
        );
        articles[1] = with_quote(
            articles[1].clone(),
            "Harwich crews will stay out till Wednesday",
            Some("Whitlock"),
            "direct",
            "said",
        );
        articles[2] = with_quote(
            articles[2].clone(),
            "Crews walked out over new rosters",
            Some("Pat Morrow"),
            "direct",
            "claimed",
        );
        let store = backend.store_with(&articles);
        let story_id = store
            .stories(&StoryFilter::default())
            .unwrap()
            .into_iter()
            .find(|story| story.articles.iter().any(|a| a.id == articles[0].id))
            .expect("the article has a story")
            .id;
        let story = store
            .story(&story_id[..6])
            .unwrap()
            .expect("a unique prefix finds the story");
        let comparison = compare_story(&story, &store.story_articles(&story.id).unwrap());
        assert_eq!(comparison.outlets.len(), 3);
        let first = comparison
            .outlets
            .iter()
            .find(|c| c.outlet == "Outlet 0")
            .expect("outlet 0 covers it");
        assert_eq!(first.tone, Some(-2.0));
        assert_eq!(first.loaded[0].text, "stranding");
        assert_eq!(first.speakers[0].speaker, "Dana Whitlock");
        let differences = &comparison.differences;
        assert!(
            differences
                .speakers_only_in
                .iter()
                .any(|only| only.speaker == "Pat Morrow"),
            "{differences:#?}"
        );
        assert!(differences
            .quotes_only_in
            .iter()
            .any(|only| only.speaker == "Pat Morrow"));
        assert_eq!(differences.reworded.len(), 1, "{differences:#?}");
        assert_eq!(differences.reworded[0].kind.as_str(), "misquote");
    }

    fn an_entity_report_counts_mentions_per_day_and_lists_quotes_by_and_about_it(backend) {
        let mut articles = corpus();
        articles[3] = with_quote(
            articles[3].clone(),
            "Oban engineers would meet managers next week",
            Some("Dana Whitlock"),
            "indirect",
            "said",
        );
        let store = backend.store_with(&articles);
        let report = store.entity("Oban", Some(10)).unwrap();
        assert!(!report.names.is_empty(), "{report:#?}");
        assert!(report
            .timeline
            .iter()
            .all(|period| period.date == "2023-05-12"));
        assert_eq!(report.quotes_about.len(), 1);
        let speaker = store.entity("whitlock", None).unwrap();
        assert_eq!(speaker.quotes_by.len(), 1);
    }

    fn search_ranks_matches_applies_filters_and_reads_plain_words_when_the_syntax_is_wrong(backend) {
        let store = backend.store_with(&corpus());
        let hits = store
            .search(&SearchQuery {
                text: "deckhands".into(),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(hits.len(), 3);
        assert!(hits[0].snippet.contains("[deckhands]"));
        let filtered = store
            .search(&SearchQuery {
                text: "ferry".into(),
                since: Some("2023-04-01".into()),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(filtered.len(), 3);
        assert!(filtered
            .iter()
            .all(|hit| hit.published.as_deref() == Some("2023-05-12")));
        let until = store
            .search(&SearchQuery {
                text: "ferry".into(),
                until: Some("2023-03-06".into()),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(until.len(), 3);
        let phrase = store
            .search(&SearchQuery {
                text: "\"Hook of Holland\"".into(),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(phrase.len(), 3);
        let broken = store
            .search(&SearchQuery {
                text: "chess \"rook".into(),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(broken.len(), 1);
        let outlet = store
            .search(&SearchQuery {
                text: "library OR chess".into(),
                outlet: Some("crier".into()),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(outlet.len(), 2);
    }

    /// Issue 17: `a* OR b* OR …` with 100 one-letter prefixes took 26 s of CPU, 2,000 over ten
    /// minutes; such queries are refused before SQLite starts on them.
    fn issue_17_costly_searches_are_refused_with_a_reason_before_they_run(backend) {
        let store = backend.store_with(&corpus());
        let letters = "abcdefghijklmnopqrstuvwxyz";
        let search = |text: String| {
            let started = std::time::Instant::now();
            let outcome = store.search(&SearchQuery {
                text,
                ..SearchQuery::default()
            });
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
            outcome
        };
        let refusal = |text: String| match search(text.clone()) {
            Err(StoreError::Query { message, .. }) => message,
            other => panic!("{text:?} was not refused: {other:?}"),
        };
        let one_letter_prefixes: Vec<String> = (0..2000)
            .map(|idx| format!("{}*", &letters[idx % 26..idx % 26 + 1]))
            .collect();
        let message = refusal(one_letter_prefixes.join(" OR "));
        assert!(message.contains("\"a\"* is too short"), "{message}");
        let long_prefixes: Vec<String> = (0..10).map(|idx| format!("ferr{idx}*")).collect();
        let message = refusal(long_prefixes.join(" OR "));
        assert!(message.contains("10 prefix terms"), "{message}");
        let words: Vec<String> = (0..33).map(|idx| format!("ferry{idx}")).collect();
        let message = refusal(words.join(" OR "));
        assert!(message.contains("33 terms"), "{message}");
        // The same words in a query FTS5 cannot parse, searched as plain words: still counted.
        let message = refusal(format!("{} \"", words.join(" ")));
        assert!(message.contains("33 terms"), "{message}");
        let message = refusal("\"hook of ho\"* OR x*".into());
        assert!(message.contains("\"ho\"*"), "{message}");
        // Within the limits: a prefix of three letters, operators not counted as terms.
        assert_eq!(search("dec* NOT zebra".into()).unwrap().len(), 3);
        assert_eq!(search("\"Hook of Hol\"*".into()).unwrap().len(), 3);
    }

    fn a_new_article_is_listed_as_a_story_of_one_before_the_story_update(backend) {
        let mut store = backend.open();
        let article = corpus().remove(0);
        store.add_articles(&[prepare(article.clone())]).unwrap();
        let stories = store.stories(&StoryFilter::default()).unwrap();
        assert_eq!(stories.len(), 1);
        assert_eq!(stories[0].id, article.id);
        let listed: Vec<(&str, Option<&str>)> = stories[0]
            .articles
            .iter()
            .map(|a| (a.id.as_str(), a.outlet.as_deref()))
            .collect();
        assert_eq!(
            listed,
            vec![(article.id.as_str(), article.source.outlet.as_deref())]
        );
    }

    fn stored_keys_skip_what_add_articles_would_skip(backend) {
        let articles = corpus();
        let store = backend.store_with(&articles);
        let keys = store.stored_keys().unwrap();
        assert_eq!(keys.len(), store.counts().unwrap().articles);
        for article in &articles {
            assert_eq!(
                keys.find(&article.text, article.source.url.as_deref()),
                Some(AlreadyStored::SameText)
            );
        }
        let with_url = articles
            .iter()
            .find(|article| article.source.url.is_some())
            .expect("the corpus has a URL");
        assert_eq!(
            keys.find("A text never stored.", with_url.source.url.as_deref()),
            Some(AlreadyStored::SameUrl)
        );
        assert_eq!(
            keys.find(
                "A text never stored.",
                Some("https://elsewhere.example/new")
            ),
            None
        );
        assert_eq!(keys.find("A text never stored.", None), None);
    }

    fn a_story_merged_into_another_keeps_leading_there_and_says_so(backend) {
        let articles = corpus();
        let mut store = backend.open();
        let records: Vec<_> = articles.iter().cloned().map(prepare).collect();
        store.add_articles(&records).unwrap();
        // So strict that every article stays a story of its own.
        let strict = StoryConfig {
            threshold: 10.0,
            ..StoryConfig::default()
        };
        update_stories(&mut store, &strict).unwrap();
        let alone = store.stories(&StoryFilter::default()).unwrap();
        assert_eq!(alone.len(), articles.len());
        assert!(store.check().unwrap().is_empty());

        // Clustered again as one batch: the stories of one event merge, and the merged-away ids
        // lead to the story that absorbed them.
        store.rebuild_stories(&StoryConfig::default()).unwrap();
        assert_eq!(partition(&*store), partition(&backend.store_with(&articles)));
        assert!(store.check().unwrap().is_empty());
        let stories = store.stories(&StoryFilter::default()).unwrap();
        let grown = stories
            .iter()
            .find(|story| story.articles.len() > 1)
            .expect("a story of several articles");
        let merged: Vec<&StoryEventRecord> = grown
            .events
            .iter()
            .filter(|event| event.kind == EventKind::Merged && event.other == grown.id)
            .collect();
        assert_eq!(merged.len(), grown.articles.len() - 1);
        for event in merged {
            assert_eq!(event.articles, 1);
            let found = store
                .story(&event.story)
                .unwrap()
                .expect("the old id still leads");
            assert_eq!(found.id, grown.id);
        }
        // The surviving id is one of the old ones: ids are kept where stories survive.
        assert!(alone.iter().any(|story| story.id == grown.id));
    }

    fn stories_grow_one_article_at_a_time_without_losing_their_id(backend) {
        let articles = corpus();
        let mut store = backend.open();
        let mut first_ids: Vec<String> = Vec::new();
        for article in &articles {
            store.add_articles(&[prepare(article.clone())]).unwrap();
            update_stories(&mut store, &StoryConfig::default()).unwrap();
            assert!(store.check().unwrap().is_empty());
            let story = store.article(&article.id).unwrap().unwrap().story;
            first_ids.push(story);
        }
        assert_eq!(partition(&*store), partition(&backend.store_with(&articles)));
        // Each article's story at the end is the one it joined on arrival, or the story that
        // absorbed it (an old id leads there).
        for (article, joined) in articles.iter().zip(&first_ids) {
            let now = store.article(&article.id).unwrap().unwrap().story;
            let led_to = store
                .story(joined)
                .unwrap()
                .expect("the id still leads somewhere");
            assert_eq!(led_to.id, now);
        }
    }

    fn the_fetch_log_keeps_the_latest_validators_and_every_page(backend) {
        let mut store = backend.open();
        let feed = |etag: &str| FeedValidators {
            url: "https://a.example/feed".into(),
            etag: Some(etag.into()),
            last_modified: None,
            listed_lastmod: Some("2024-05-01".into()),
        };
        let page = |n: usize| format!("https://a.example/{n}");
        store.write_fetch_log(&[feed("\"1\"")], &[page(1)], "t1").unwrap();
        store
            .write_fetch_log(&[feed("\"2\"")], &[page(1), page(2)], "t2")
            .unwrap();
        let validators = store
            .feed_validators("https://a.example/feed")
            .unwrap()
            .expect("the feed is logged");
        assert_eq!(validators.etag.as_deref(), Some("\"2\""));
        assert_eq!(validators.listed_lastmod.as_deref(), Some("2024-05-01"));
        assert!(store.is_page_known(&page(2)).unwrap());
        assert!(!store.is_page_known(&page(3)).unwrap());
        assert_eq!(store.feed_validators("https://b.example/feed").unwrap(), None);
    }
}

#[test]
fn a_database_keeps_its_schema_version_and_opens_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        store.add_articles(&[prepare(corpus().remove(6))]).unwrap();
        assert_eq!(store.schema_version().unwrap(), 14);
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.counts().unwrap().articles, 1);
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_version_2_database_gains_the_story_listings_the_story_update_would_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let expected = {
        let mut store = SqliteStore::open(&path).unwrap();
        let records: Vec<_> = corpus().into_iter().map(prepare).collect();
        store.add_articles(&records).unwrap();
        update_stories(&mut store, &StoryConfig::default()).unwrap();
        store.stories(&StoryFilter::default()).unwrap()
    };
    assert!(expected.iter().any(|story| story.articles.len() > 1));
    {
        // Back to the version 2 stories table (without rowid, no listing), as 0001 made it.
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE stories_v2 (
                     id TEXT PRIMARY KEY, title TEXT, first_seen TEXT, last_seen TEXT,
                     articles INTEGER NOT NULL, duplicates INTEGER NOT NULL,
                     quotes INTEGER NOT NULL, entities TEXT NOT NULL
                 ) WITHOUT ROWID;
                 INSERT INTO stories_v2 SELECT id, title, first_seen, last_seen, articles,
                     duplicates, quotes, entities FROM stories;
                 DROP TABLE stories;
                 ALTER TABLE stories_v2 RENAME TO stories;
                 CREATE INDEX stories_by_last_seen ON stories(last_seen);
                 DROP TABLE term_df; DROP TABLE story_postings; DROP TABLE copy_bands;
                 DROP TABLE story_aliases; DROP TABLE story_events; DROP TABLE story_engine;
                 DROP INDEX articles_unplaced; DROP INDEX articles_story_newest; DROP INDEX articles_by_original;
                 ALTER TABLE articles DROP COLUMN placed;
                 DROP TABLE outlet_sources; DROP TABLE outlet_weeks; DROP TABLE outlet_speakers;
                 DROP TABLE story_sources; DROP TABLE story_reach;
                 DROP INDEX articles_outlets_pending; ALTER TABLE articles DROP COLUMN outlet_source;
                 DROP TABLE outlet_story_terms; DROP TABLE outlet_counted; DROP TABLE outlet_shared_terms;
                 DROP TRIGGER corpus_counts_article_added; DROP TRIGGER corpus_counts_article_removed;
                 DROP TRIGGER corpus_counts_duplicate_changed; DROP TRIGGER corpus_counts_quote_added;
                 DROP TRIGGER corpus_counts_quote_removed; DROP TABLE corpus_counts;
                 PRAGMA user_version = 2;",
            )
            .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 14);
    assert_eq!(store.stories(&StoryFilter::default()).unwrap(), expected);
    assert!(store.check().unwrap().is_empty());
    // Its story engine's tables are built at the next update, keeping the stories.
    update_stories(&mut store, &StoryConfig::default()).unwrap();
    assert_eq!(store.stories(&StoryFilter::default()).unwrap(), expected);
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn articles_are_stored_compressed_and_rows_written_as_plain_json_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let article = corpus().remove(0);
    {
        let mut store = SqliteStore::open(&path).unwrap();
        store.add_articles(&[prepare(article.clone())]).unwrap();
    }
    let connection = rusqlite::Connection::open(&path).unwrap();
    let (kind, stored_bytes): (String, i64) = connection
        .query_row(
            "SELECT typeof(json), length(json) FROM articles",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    let plain = serde_json::to_string(&article).unwrap();
    assert_eq!(kind, "blob");
    assert!((stored_bytes as usize) < plain.len());
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.article(&article.id).unwrap().unwrap().article,
        article
    );

    // A row as newslens wrote them before compression: the JSON as text.
    connection
        .execute("UPDATE articles SET json = ?1", [&plain])
        .unwrap();
    let read = store.article(&article.id).unwrap().unwrap();
    assert_eq!(read.article, article);
    assert_eq!(store.story_articles(&article.id).unwrap().len(), 1);

    // Damaged bytes are an error, not a panic or a huge allocation.
    connection
        .execute(
            "UPDATE articles SET json = ?1",
            [vec![0xffu8, 0xff, 0xff, 0x7f, 1, 2, 3]],
        )
        .unwrap();
    let error = store.article(&article.id).unwrap_err().to_string();
    assert!(error.contains("claims"), "{error}");
}

#[test]
fn a_database_from_a_newer_newslens_is_refused_with_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    drop(SqliteStore::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let error = SqliteStore::open(&path).err().expect("refused").to_string();
    assert!(error.contains("schema version 99"), "{error}");
    assert!(error.contains("knows up to 14"), "{error}");
}

/// A corpus with quotes by and about people, for comparing the backends' answers.
fn quoted_corpus() -> Vec<Article> {
    let mut articles = corpus();
    articles[0] = with_quote(
        articles[0].clone(),
        "would stay out until Wednesday",
        Some("Dana Whitlock"),
        "indirect",
        "said",
    );
    articles[1] = with_quote(
        articles[1].clone(),
        "Harwich crews will stay out till Wednesday",
        Some("Whitlock"),
        "direct",
        "said",
    );
    articles[3] = with_quote(
        articles[3].clone(),
        "Oban engineers would meet managers next week",
        Some("Dana Whitlock"),
        "indirect",
        "said",
    );
    articles
}

/// Issue 16: the same corpus gives the same stories, quotes and entity reports on both backends,
/// and search finds the same articles (ranks and snippets are each engine's own).
#[test]
fn sqlite_and_postgres_give_the_same_answers() {
    let Some(mut postgres) = Backend::postgres() else {
        return;
    };
    let articles = quoted_corpus();
    let sqlite = Backend::sqlite().store_with(&articles);
    let postgres = postgres.store_with(&articles);
    assert_eq!(sqlite.counts().unwrap(), postgres.counts().unwrap());
    for filter in [
        StoryFilter::default(),
        StoryFilter {
            most_covered: true,
            limit: Some(2),
            offset: 1,
            min_articles: 1,
        },
    ] {
        assert_eq!(
            sqlite.stories(&filter).unwrap(),
            postgres.stories(&filter).unwrap()
        );
    }
    let story = &sqlite.stories(&StoryFilter::default()).unwrap()[0].id;
    assert_eq!(
        sqlite.story(&story[..5]).unwrap(),
        postgres.story(&story[..5]).unwrap()
    );
    let article_ids = |articles: Vec<newslens_store::StoredArticle>| {
        articles
            .into_iter()
            .map(|stored| (stored.article.id, stored.story, stored.duplicate_of))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        article_ids(sqlite.story_articles(story).unwrap()),
        article_ids(postgres.story_articles(story).unwrap())
    );
    assert_eq!(
        sqlite
            .article(&articles[2].id[..6])
            .unwrap()
            .unwrap()
            .article,
        postgres
            .article(&articles[2].id[..6])
            .unwrap()
            .unwrap()
            .article
    );
    for filter in [
        QuoteFilter::default(),
        QuoteFilter {
            speaker: Some("whitlock".into()),
            ..QuoteFilter::default()
        },
        QuoteFilter {
            about: Some("Oban".into()),
            ..QuoteFilter::default()
        },
        QuoteFilter {
            outlet: Some("OUTLET 1".into()),
            until: Some("2023-03".into()),
            ..QuoteFilter::default()
        },
        QuoteFilter {
            limit: Some(1),
            offset: 1,
            ..QuoteFilter::default()
        },
    ] {
        assert_eq!(
            sqlite.quotes(&filter).unwrap(),
            postgres.quotes(&filter).unwrap(),
            "{filter:?}"
        );
    }
    for name in ["Oban", "whitlock", "Harwich", "nobody at all"] {
        assert_eq!(
            sqlite.entity(name, Some(10)).unwrap(),
            postgres.entity(name, Some(10)).unwrap()
        );
    }
    let found = |store: &dyn Store, text: &str| {
        let mut ids: Vec<String> = store
            .search(&SearchQuery {
                text: text.into(),
                ..SearchQuery::default()
            })
            .unwrap()
            .into_iter()
            .map(|hit| hit.id)
            .collect();
        ids.sort();
        ids
    };
    for text in [
        "deckhands",
        "ferry NOT Oban",
        "library OR chess",
        "\"Hook of Holland\"",
        "engin*",
        "(ferry OR library) strike",
        "(ferry OR library) AND strike",
        "NEAR(ferry strike, 5)",
        "chess \"rook",
        "Craignure",
    ] {
        assert_eq!(found(&*sqlite, text), found(&*postgres, text), "{text}");
    }
}

#[test]
fn a_postgres_database_keeps_its_schema_and_corpus_across_a_server_restart() {
    let Some(mut server) = TempPostgres::start() else {
        return;
    };
    let url = server.url();
    {
        let mut store = newslens_store::PostgresStore::open(&url).unwrap();
        assert_eq!(store.schema_version().unwrap(), 9);
        store.add_articles(&[prepare(corpus().remove(6))]).unwrap();
    }
    server.restart();
    let store = newslens_store::PostgresStore::open(&url).unwrap();
    assert_eq!(store.schema_version().unwrap(), 9);
    assert_eq!(store.counts().unwrap().articles, 1);
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn a_postgres_database_from_a_newer_newslens_is_refused_with_its_version() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    drop(newslens_store::PostgresStore::open(&server.url()).unwrap());
    let mut client = ::postgres::Client::connect(&server.url(), ::postgres::NoTls).unwrap();
    client
        .execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum)
             VALUES (99, 'from_the_future', '2030-01-01T00:00:00Z', '0')",
            &[],
        )
        .unwrap();
    let error = newslens_store::open(&server.url())
        .err()
        .expect("refused")
        .to_string();
    assert!(error.contains("schema version 99"), "{error}");
    assert!(error.contains("knows up to 9"), "{error}");
    assert!(!error.contains("password"), "{error}");
}
