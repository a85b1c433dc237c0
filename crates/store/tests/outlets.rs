//! Outlet profiles end to end on articles written for these tests: one outlet under three names,
//! aggregates written with the articles, blindspots, rankings, gender counts, the backfill of a
//! corpus stored before the aggregates existed, and the same answers on SQLite and PostgreSQL.

use newslens_core::{analyze, Article, Document};
use newslens_store::outlets::OutletQuery;
use newslens_store::{
    compare_outlets, outlet_profile, outlet_profiles, prepare, update_stories, OutletNames,
    SqliteStore, Store, StoryConfig,
};
use newslens_testkit::TempPostgres;

/// The lifeboat story, told by five outlets (three of them Fox News under different names).
const LIFEBOAT: [&str; 5] = [
    "Lifeboat crews rescued twelve sailors from a stricken cargo ship off Harwich on Sunday. \"The sea was brutal and the crew were exhausted,\" said Mary Holt, the coxswain. She added that the ship had lost power in the storm near Harwich.",
    "Twelve sailors were plucked from a cargo ship that lost power in a storm off Harwich, lifeboat crews said on Sunday. \"We got every one of them off,\" said Mary Holt. Coastguard chief John Barker said the Harwich rescue took six hours.",
    "A cargo ship lost power off Harwich on Sunday and lifeboat crews rescued its twelve sailors in a ferocious storm. \"It was a disgraceful failure of the owners,\" John Barker fumed, blasting the shipping firm behind the Harwich vessel.",
    "Harwich lifeboat volunteers saved twelve sailors from a powerless cargo ship in a storm on Sunday. \"Nobody was hurt,\" said John Barker. The Harwich crew towed the ship to port.",
    "Storm off Harwich: lifeboat crews rescued twelve sailors from a cargo ship that lost power on Sunday. \"They were frozen and frightened,\" said Mary Holt. The rescue off Harwich lasted six hours.",
];
/// The library story, told by four outlets, none of them Fox News.
const LIBRARY: [&str; 4] = [
    "The town council voted to close the Elm Street library in Dunmore after a long budget debate on Tuesday. \"Closing it is a mistake,\" said Peter Quinn, who led the petition for the Dunmore library.",
    "Dunmore councillors voted on Tuesday to shut the Elm Street library to save money. Peter Quinn, who gathered a petition, said the Dunmore library closure was a mistake.",
    "The Elm Street library in Dunmore will close after the council voted on Tuesday in a budget debate. \"We will fight this,\" said Peter Quinn, who organised a petition for the Dunmore library.",
    "Councillors in Dunmore agreed on Tuesday to close the Elm Street library as part of budget cuts, despite a petition. Peter Quinn said readers in Dunmore would fight the closure.",
];

fn article(text: &str, outlet: Option<&str>, url: &str, published: &str, title: &str) -> Article {
    let mut document = Document::new(text);
    document.source.outlet = outlet.map(str::to_string);
    document.source.url = Some(url.to_string());
    document.published = Some(published.to_string());
    document.title = Some(title.to_string());
    analyze(&document)
}

fn corpus() -> Vec<Article> {
    let lifeboat_outlets: [(Option<&str>, &str); 5] = [
        (Some("Fox News"), "https://www.foxnews.com/us/lifeboat"),
        (None, "https://video.foxnews.com/lifeboat"),
        (Some("FOX"), "https://fox.example/lifeboat"),
        (Some("Harbour Gazette"), "https://gazette.example/lifeboat"),
        (Some("Coast Herald"), "https://herald.example/lifeboat"),
    ];
    let mut articles = Vec::new();
    for (text, (outlet, url)) in LIFEBOAT.iter().zip(lifeboat_outlets) {
        articles.push(article(
            text,
            outlet,
            url,
            "2023-03-05",
            "Twelve rescued off Harwich",
        ));
    }
    let library_outlets = ["Harbour Gazette", "Coast Herald", "Reuters", "Dunmore Post"];
    for (idx, (text, outlet)) in LIBRARY.iter().zip(library_outlets).enumerate() {
        articles.push(article(
            text,
            Some(outlet),
            &format!("https://library{idx}.example/"),
            "2023-03-05",
            "Dunmore library to close",
        ));
    }
    articles
}

/// A store holding the corpus, stories updated: in memory, or on a throwaway PostgreSQL.
fn stores() -> Vec<(Box<dyn Store + Send>, Option<TempPostgres>)> {
    let mut stores: Vec<(Box<dyn Store + Send>, Option<TempPostgres>)> =
        vec![(Box::new(SqliteStore::open_in_memory().unwrap()), None)];
    if let Some(server) = TempPostgres::start() {
        let url = server.create_database("outlets");
        stores.push((newslens_store::open(&url).unwrap(), Some(server)));
    }
    for (store, _) in &mut stores {
        let records: Vec<_> = corpus().into_iter().map(prepare).collect();
        store.add_articles(&records).unwrap();
        update_stories(store, &StoryConfig::default()).unwrap();
    }
    stores
}

#[test]
fn one_outlet_under_three_names_is_profiled_once_on_both_backends_alike() {
    let names = OutletNames::built_in();
    let query = OutletQuery {
        min_outlets: 3,
        ..OutletQuery::default()
    };
    let mut answers = Vec::new();
    for (store, _server) in stores() {
        assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
        let profiles = outlet_profiles(&store, &names, &query).unwrap();
        let listed: Vec<(&str, i64)> = profiles
            .iter()
            .map(|profile| (profile.name.as_str(), profile.articles))
            .collect();
        assert_eq!(
            listed,
            [
                ("Fox News", 3),
                ("Coast Herald", 2),
                ("Harbour Gazette", 2),
                ("Dunmore Post", 1),
                ("Reuters", 1)
            ]
        );
        let fox = outlet_profile(&store, &names, "foxnews.com", &query)
            .unwrap()
            .expect("Fox News is found by its host");
        assert_eq!(fox.name, "Fox News");
        assert_eq!(fox.sources, ["FOX", "Fox News", "video.foxnews.com"]);
        assert_eq!(fox.stories, 1);
        assert!(fox.labels.is_empty(), "no built-in labels");
        // The library story was covered by four other outlets and not by Fox News.
        assert_eq!(fox.blindspots.count, 1, "{:?}", fox.blindspots);
        assert_eq!(
            fox.blindspots.stories[0].title.as_deref(),
            Some("Dunmore library to close")
        );
        // Women, men and unknown add up to the people quoted, and unknown is always given.
        let gender = &fox.gender;
        assert!(gender.women >= 1 && gender.men >= 1, "{gender:?}");
        assert!(gender.unknown_share.is_some());
        // The outlet's own voice fumed and blasted; the loaded rate and verbs show it.
        assert!(fox.non_neutral_verbs_share.unwrap() > 0.0);
        assert!(fox.own_words > 0);
        assert_eq!(fox.weeks.len(), 1);
        assert_eq!(fox.weeks[0].week, "2023-02-27");
        // Peter Quinn speaks only on the story Fox News skipped: quoted less than elsewhere.
        assert!(
            fox.speakers_less
                .iter()
                .any(|ranked| ranked.name == "Peter Quinn"),
            "{:?}",
            fox.speakers_less
        );
        assert!(fox.distinctive_words.iter().all(|ranked| ranked.z > 0.0));
        answers.push(serde_json::to_string(&(profiles, fox)).unwrap());
    }
    if answers.len() == 2 {
        assert_eq!(answers[0], answers[1], "SQLite and PostgreSQL differ");
    }
}

#[test]
fn two_outlets_compare_side_by_side_and_an_unknown_one_is_named() {
    let names = OutletNames::built_in();
    for (store, _server) in stores() {
        let comparison = compare_outlets(
            &store,
            &names,
            "FOX",
            "Harbour Gazette",
            &OutletQuery::default(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(comparison.a.name, "Fox News");
        assert_eq!(comparison.shared_stories, 1);
        let missing = compare_outlets(
            &store,
            &names,
            "FOX",
            "Nowhere Times",
            &OutletQuery::default(),
        )
        .unwrap();
        assert_eq!(missing.unwrap_err(), "Nowhere Times");
    }
}

#[test]
fn a_users_file_renames_and_labels_an_outlet_without_touching_the_corpus() {
    let names = OutletNames::with_text(
        "mine.tsv",
        "Gazette & Herald\tharbour gazette\tcoast herald\tlabel:my label: local press\n",
    )
    .unwrap();
    for (store, _server) in stores() {
        let merged = outlet_profile(&store, &names, "gazette & herald", &OutletQuery::default())
            .unwrap()
            .unwrap();
        assert_eq!(merged.articles, 4);
        assert_eq!(merged.stories, 2);
        assert_eq!(merged.labels, ["my label: local press"]);
    }
}

#[test]
fn a_corpus_stored_before_the_aggregates_gets_them_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let names = OutletNames::built_in();
    let expected = {
        let mut store = SqliteStore::open(&path).unwrap();
        let records: Vec<_> = corpus().into_iter().map(prepare).collect();
        store.add_articles(&records).unwrap();
        update_stories(&mut store, &StoryConfig::default()).unwrap();
        serde_json::to_string(&outlet_profiles(&store, &names, &OutletQuery::default()).unwrap())
            .unwrap()
    };
    {
        // As an ingest before migration 0008 left it: no aggregates, no sources.
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "DELETE FROM outlet_sources; DELETE FROM outlet_weeks; DELETE FROM outlet_speakers;
                 DELETE FROM outlet_words; UPDATE articles SET outlet_source = NULL;",
            )
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert!(store.check().unwrap().is_empty());
    let rebuilt =
        serde_json::to_string(&outlet_profiles(&store, &names, &OutletQuery::default()).unwrap())
            .unwrap();
    assert_eq!(rebuilt, expected);
}
