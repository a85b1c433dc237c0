//! Several writers on one corpus file: the CLI's `ingest`, the server's `POST /v1/ingest` and,
//! later, queue workers each open their own connection. Whatever the interleaving, the stories
//! left must be the ones a single writer gives, and a new database must be created once however
//! many processes open it at the same moment. Articles here are invented for these tests.
//!
//! Each test runs on an SQLite file and on a throwaway PostgreSQL database (skipped with a notice
//! when PostgreSQL is not installed).

use std::sync::{Arc, Barrier};

use newslens_core::{analyze, Document};
use newslens_store::{prepare, update_stories, Store, StoryConfig, StoryFilter};
use newslens_testkit::TempPostgres;

/// Article `idx` of event `event`: the same event in other words each time, so stories matter.
fn article_text(event: usize, idx: usize) -> String {
    const EVENTS: [&str; 3] = [
        "Ferry crews at Harwich walked out over rosters, stranding lorries at the Harwich terminal and halting sailings to the Hook of Holland",
        "Engineers at the Oban depot struck over pay, leaving Mull islanders without the Craignure ferry for the weekend",
        "The Elm Street library in Portmere will close after the council budget vote, and readers signed a petition against it",
    ];
    format!(
        "{} (report {idx}). Officials said talks would resume on day {idx}, and a spokesperson for \
         the union added that members were owed answers.",
        EVENTS[event % EVENTS.len()]
    )
}

fn record(event: usize, idx: usize) -> newslens_store::ArticleRecord {
    let mut document = Document::new(article_text(event, idx));
    document.published = Some(format!("2024-03-{:02}", 1 + idx % 3));
    document.source.outlet = Some(format!("Outlet {}", idx % 4));
    prepare(analyze(&document))
}

fn partition(store: &dyn Store) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = store
        .stories(&StoryFilter::default())
        .unwrap()
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

/// One writer: adds its articles a few at a time, updating stories after each batch.
fn writer(db: &str, first_idx: usize, barrier: &Barrier) {
    let mut store = newslens_store::open(db).unwrap();
    barrier.wait();
    for batch_start in (first_idx..first_idx + 12).step_by(3) {
        let batch: Vec<_> = (batch_start..batch_start + 3)
            .map(|idx| record(idx, idx))
            .collect();
        store.add_articles(&batch).unwrap();
        update_stories(&mut store, &StoryConfig::default()).unwrap();
    }
}

#[test]
fn two_writers_leave_the_stories_one_writer_would() {
    let dir = tempfile::tempdir().unwrap();
    two_writers(&dir.path().join("corpus.db").display().to_string());
}

#[test]
fn two_writers_on_postgres_leave_the_stories_one_writer_would() {
    if let Some(server) = TempPostgres::start() {
        two_writers(&server.url());
    }
}

fn two_writers(db: &str) {
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = [0, 100]
        .into_iter()
        .map(|first_idx| {
            let (db, barrier) = (db.to_string(), Arc::clone(&barrier));
            std::thread::spawn(move || writer(&db, first_idx, &barrier))
        })
        .collect();
    for handle in handles {
        handle.join().expect("a writer finished");
    }
    let mut store = newslens_store::open(db).unwrap();
    let left = partition(&*store);
    assert_eq!(left.iter().map(Vec::len).sum::<usize>(), 24);
    update_stories(&mut store, &StoryConfig::default()).unwrap();
    assert!(store.check().unwrap().is_empty());
    assert_eq!(
        partition(&*store),
        left,
        "a last story update by one writer changed what the two writers left"
    );
}

#[test]
fn processes_racing_to_create_a_new_database_all_open_it() {
    let dir = tempfile::tempdir().unwrap();
    racing_openers(&dir.path().join("new.db").display().to_string());
}

#[test]
fn processes_racing_to_migrate_a_new_postgres_database_all_open_it() {
    if let Some(server) = TempPostgres::start() {
        racing_openers(&server.url());
    }
}

fn racing_openers(db: &str) {
    let barrier = Arc::new(Barrier::new(6));
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let (db, barrier) = (db.to_string(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                newslens_store::open(&db).map(|store| store.counts().unwrap())
            })
        })
        .collect();
    for handle in handles {
        let counts = handle.join().unwrap().expect("every opener succeeds");
        assert_eq!(counts.articles, 0);
    }
}
