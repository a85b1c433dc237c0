//! Outlet profiles end to end on articles written for these tests: one outlet under three names,
//! aggregates written with the articles, blindspots, rankings, gender counts, the backfill of a
//! corpus stored before the aggregates existed, and the same answers on SQLite and PostgreSQL.

use newslens_core::{analyze, Article, Document};
use std::collections::{BTreeMap, BTreeSet};

use newslens_store::outlets::{tally, OutletQuery, TermKind};
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

/// The bridge story, told by three outlets, none of them Harbour Gazette or Fox News; the
/// engineer is "Nora Vance" in two and only "Vance" in the third.
const BRIDGE: [&str; 3] = [
    "Engineers closed the Kelso river bridge on Wednesday after finding cracks in its main span. \"The cracks are deep and we cannot take risks,\" said Nora Vance, the county engineer. The Kelso bridge carries nine thousand cars a day.",
    "The Kelso river bridge was shut on Wednesday when inspectors found cracks in the main span. \"Nobody should cross it until we know more,\" said Nora Vance, the county engineer, adding that repairs to the Kelso bridge could take months.",
    "Cracks in the main span have closed the Kelso river bridge since Wednesday, leaving nine thousand drivers a day looking for detours. \"We will reopen the Kelso bridge only when it is safe,\" Vance said.",
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
    let bridge_outlets = ["Coast Herald", "Reuters", "Dunmore Post"];
    for (idx, (text, outlet)) in BRIDGE.iter().zip(bridge_outlets).enumerate() {
        articles.push(article(
            text,
            Some(outlet),
            &format!("https://bridge{idx}.example/"),
            "2023-03-08",
            "Kelso bridge closed",
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
                ("Coast Herald", 3),
                ("Fox News", 3),
                ("Dunmore Post", 2),
                ("Harbour Gazette", 2),
                ("Reuters", 2)
            ]
        );
        let fox = outlet_profile(&store, &names, "foxnews.com", &query)
            .unwrap()
            .expect("Fox News is found by its host");
        assert_eq!(fox.name, "Fox News");
        assert_eq!(fox.sources, ["FOX", "Fox News", "video.foxnews.com"]);
        assert_eq!(fox.stories, 1);
        assert!(fox.labels.is_empty(), "no built-in labels");
        // The library story was covered by four other outlets and not by Fox News (the bridge
        // by three, but it began after Fox News's last day).
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
        // Peter Quinn speaks only on a story Fox News skipped: not counted against it, since
        // the rankings compare outlets on the stories this one covered.
        let ranked_names: Vec<&str> = fox
            .speakers_more
            .iter()
            .chain(&fox.speakers_less)
            .map(|ranked| ranked.name.as_str())
            .collect();
        assert!(!ranked_names.contains(&"Peter Quinn"), "{ranked_names:?}");
        assert!(fox.same_stories.as_ref().unwrap().other_quotes > 0);
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
        assert_eq!(merged.articles, 5);
        assert_eq!(merged.stories, 3);
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
        profiles_and_rankings(&store, &names)
    };
    {
        // As an ingest before migration 0008 left it: no aggregates, no sources.
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "DELETE FROM outlet_sources; DELETE FROM outlet_weeks; DELETE FROM outlet_speakers;
                 UPDATE articles SET outlet_source = NULL;
                 DELETE FROM outlet_counted; DELETE FROM outlet_story_terms;
                 DELETE FROM outlet_shared_terms;",
            )
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert!(store.check().unwrap().is_empty());
    assert_eq!(profiles_and_rankings(&store, &names), expected);
    {
        // As migration 0009 found a corpus of 0008: the speakers emptied, nothing on stories.
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "DELETE FROM outlet_speakers; DELETE FROM outlet_counted;
                 DELETE FROM outlet_story_terms; DELETE FROM outlet_shared_terms;",
            )
            .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert!(store.check().unwrap().is_empty());
    assert_eq!(profiles_and_rankings(&store, &names), expected);
}

/// Every profile and each outlet's rankings, as JSON.
fn profiles_and_rankings(store: &dyn Store, names: &OutletNames) -> String {
    let profiles = outlet_profiles(store, names, &OutletQuery::default()).unwrap();
    let full: Vec<_> = profiles
        .iter()
        .map(|profile| {
            outlet_profile(store, names, &profile.name, &OutletQuery::default())
                .unwrap()
                .unwrap()
        })
        .collect();
    serde_json::to_string(&(profiles, full)).unwrap()
}

#[test]
fn rankings_compare_an_outlet_with_the_others_on_the_stories_it_covered() {
    let names = OutletNames::built_in();
    let mut answers = Vec::new();
    for (store, _server) in stores() {
        let gazette = outlet_profile(&store, &names, "Harbour Gazette", &OutletQuery::default())
            .unwrap()
            .unwrap();
        let less: Vec<(&str, i64, i64)> = gazette
            .speakers_less
            .iter()
            .map(|ranked| (ranked.name.as_str(), ranked.outlet, ranked.rest))
            .collect();
        // The others quote Mary Holt on the lifeboat story; the Gazette quoted John Barker.
        assert!(
            less.iter()
                .any(|(name, outlet, rest)| *name == "Mary Holt" && *outlet == 0 && *rest >= 2),
            "{less:?}"
        );
        // Nora Vance speaks only on the bridge story, which the Gazette did not cover.
        assert!(
            !less.iter().any(|(name, ..)| name.contains("Vance")),
            "{less:?}"
        );
        let same = gazette.same_stories.unwrap();
        assert!(
            same.quotes >= 2 && same.other_quotes > same.quotes,
            "{same:?}"
        );
        assert!(same.words > 0 && same.other_words > same.words, "{same:?}");

        // Dunmore Post calls the engineer "Vance" only; the other outlets on its story name her
        // in full: one speaker.
        let post = outlet_profile(&store, &names, "Dunmore Post", &OutletQuery::default())
            .unwrap()
            .unwrap();
        let ranked: Vec<(&str, i64, i64)> = post
            .speakers_more
            .iter()
            .chain(&post.speakers_less)
            .map(|ranked| (ranked.name.as_str(), ranked.outlet, ranked.rest))
            .collect();
        assert!(
            !ranked.iter().any(|(name, ..)| *name == "Vance"),
            "{ranked:?}"
        );
        assert!(
            ranked
                .iter()
                .any(|(name, outlet, rest)| *name == "Nora Vance" && *outlet == 1 && *rest >= 2),
            "{ranked:?}"
        );
        answers.push(serde_json::to_string(&(gazette.speakers_less, post.speakers_more)).unwrap());
    }
    if answers.len() == 2 {
        assert_eq!(answers[0], answers[1], "SQLite and PostgreSQL differ");
    }
}

/// Every source's shared-story counts as the store keeps them: (source, kind, term) → (own,
/// others), totals under term "".
fn shared_counts(store: &dyn Store) -> BTreeMap<(String, &'static str, String), (i64, i64)> {
    let mut counts = BTreeMap::new();
    let sources: BTreeSet<String> = store
        .outlet_weeks()
        .unwrap()
        .into_iter()
        .map(|week| week.source)
        .filter(|source| !source.is_empty())
        .collect();
    for source in sources {
        for kind in [TermKind::Speaker, TermKind::Word] {
            let mut keys: Vec<String> = vec![String::new()];
            for term in store.outlet_shared_top(kind, &source, 10_000).unwrap() {
                keys.push(term.key);
            }
            for term in store.outlet_shared_counts(kind, &source, &keys).unwrap() {
                if term.own != 0 || term.others != 0 {
                    counts.insert(
                        (source.clone(), kind.as_str(), term.key),
                        (term.own, term.others),
                    );
                }
            }
        }
    }
    counts
}

/// The same counts worked out from scratch: every article's tally, summed per story as the
/// stories stand now.
fn shared_counts_from_scratch(
    store: &dyn Store,
    articles: &[Article],
) -> BTreeMap<(String, &'static str, String), (i64, i64)> {
    // story → source → (speakers, words)
    type Terms = (BTreeMap<String, i64>, BTreeMap<String, i64>);
    let mut stories: BTreeMap<String, BTreeMap<String, Terms>> = BTreeMap::new();
    for article in articles {
        let story = store.article(&article.id).unwrap().unwrap().story;
        let counted = tally(article);
        let terms = stories
            .entry(story)
            .or_default()
            .entry(counted.source)
            .or_default();
        for (key, _, n) in counted.speakers {
            *terms.0.entry(key).or_default() += n;
        }
        for (word, n) in counted.words {
            *terms.1.entry(word).or_default() += n;
        }
    }
    let mut counts: BTreeMap<(String, &'static str, String), (i64, i64)> = BTreeMap::new();
    for sources in stories.values() {
        if sources.len() < 2 {
            continue;
        }
        for (source, own_terms) in sources {
            for (kind, pick) in [
                (
                    "speaker",
                    (|terms: &Terms| &terms.0) as fn(&Terms) -> &BTreeMap<String, i64>,
                ),
                ("word", |terms: &Terms| &terms.1),
            ] {
                for (other_source, terms) in sources {
                    for (term, n) in pick(terms) {
                        for key in [term.clone(), String::new()] {
                            let entry = counts.entry((source.clone(), kind, key)).or_default();
                            if other_source == source {
                                entry.0 += n;
                            } else {
                                entry.1 += n;
                            }
                        }
                    }
                }
                let _ = own_terms;
            }
        }
    }
    counts.retain(|_, (own, others)| *own != 0 || *others != 0);
    counts
}

#[test]
fn shared_story_counts_follow_placement_splits_and_merges_on_both_backends() {
    let articles = corpus();
    let mut stores: Vec<(Box<dyn Store + Send>, Option<TempPostgres>)> =
        vec![(Box::new(SqliteStore::open_in_memory().unwrap()), None)];
    if let Some(server) = TempPostgres::start() {
        let url = server.create_database("outlets_moves");
        stores.push((newslens_store::open(&url).unwrap(), Some(server)));
    }
    for (store, _server) in &mut stores {
        // Placed a few articles at a time, as a stream arrives.
        let mut n_stored = 0;
        for chunk in articles.chunks(4) {
            let records: Vec<_> = chunk.iter().cloned().map(prepare).collect();
            store.add_articles(&records).unwrap();
            n_stored += chunk.len();
            update_stories(store, &StoryConfig::default()).unwrap();
            assert_eq!(
                shared_counts(&**store),
                shared_counts_from_scratch(&**store, &articles[..n_stored])
            );
        }
        let placed = shared_counts(&**store);
        assert!(!placed.is_empty());
        // Every story split into articles of their own: nothing is shared.
        let apart = StoryConfig {
            threshold: 10.0,
            ..StoryConfig::default()
        };
        store.rebuild_stories(&apart).unwrap();
        assert_eq!(
            shared_counts(&**store),
            shared_counts_from_scratch(&**store, &articles)
        );
        // Merged back.
        store.rebuild_stories(&StoryConfig::default()).unwrap();
        assert_eq!(shared_counts(&**store), placed);
        assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    }
}
