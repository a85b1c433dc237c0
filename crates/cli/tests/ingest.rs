//! `newslens ingest` and the corpus commands end to end: crash safety (a child ingest killed with
//! SIGKILL mid-batch leaves a consistent database, and running it again completes the batch),
//! idempotence, and the output of `stories`, `compare`, `quotes`, `entity` and `search`.
//!
//! The articles are generated here from a made-up vocabulary with a fixed seed, so the tests are
//! hermetic and need no shared data.

mod support;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use newslens_store::{SqliteStore, Store, StoryFilter};
use newslens_testkit::TempPostgres;
use support::synthetic_corpus;

fn newslens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

#[test]
fn ingest_killed_mid_batch_leaves_a_consistent_database_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles.jsonl");
    let n_articles = 1500;
    synthetic_corpus(&input, n_articles);
    let db = dir.path().join("corpus.db");
    let (db_arg, input_arg) = (db.display().to_string(), input.display().to_string());

    let mut child = Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args(["ingest", "--jobs", "1", "--db", &db_arg, &input_arg])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    // Kill it once the first batch is committed, while later batches are in flight.
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let stored = db.exists()
            && SqliteStore::open(&db)
                .and_then(|store| store.counts())
                .is_ok_and(|counts| counts.articles > 0);
        if stored || started.elapsed() > Duration::from_secs(120) {
            break;
        }
    }
    child.kill().expect("SIGKILL is delivered");
    child.wait().expect("the child is reaped");

    let store = SqliteStore::open(&db).expect("the database opens after a crash");
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let n_after_kill = store.counts().unwrap().articles;
    assert!(
        n_after_kill > 0 && n_after_kill < n_articles,
        "killed mid-batch: {n_after_kill} stored"
    );
    assert_eq!(n_after_kill % 256, 0, "only whole batches are committed");
    drop(store);

    let output = newslens(&["ingest", "--db", &db_arg, &input_arg]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = String::from_utf8_lossy(&output.stderr);
    assert!(
        summary.contains(&format!(
            "{} added, {n_after_kill} already stored",
            n_articles - n_after_kill
        )),
        "{summary}"
    );
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.counts().unwrap().articles, n_articles);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let stories_before = store.stories(&StoryFilter::default()).unwrap();
    drop(store);

    // Idempotent: the same batch again adds nothing and changes no story.
    let output = newslens(&["ingest", "--db", &db_arg, &input_arg]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains(&format!("0 added, {n_articles} already stored")));
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(
        store.stories(&StoryFilter::default()).unwrap(),
        stories_before
    );
}

const HARBOUR: &str = "Harbour strike halts ferries\n\nFerry crews at Portwick walked out on Monday, halting sailings to the islands. “We will not sail until the rosters change,” said union leader Dana Whitlock. The Portwick Harbour Board said talks would resume.";
const HARBOUR_OTHER: &str = "Portwick ferries stop as crews strike\n\nSailings from Portwick to the islands stopped on Monday as ferry crews went on strike over rosters. “We will not sail until rosters are changed,” union leader Dana Whitlock said. The Portwick Harbour Board said talks would resume on Tuesday.";

#[test]
fn corpus_commands_answer_in_text_and_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, HARBOUR).unwrap();
    std::fs::write(&b, HARBOUR_OTHER).unwrap();
    let db = dir.path().join("corpus.db").display().to_string();
    let (a, b) = (a.display().to_string(), b.display().to_string());
    let output = newslens(&["ingest", "--db", &db, "--outlet", "Gazette", &a]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = newslens(&["ingest", "--db", &db, "--outlet", "Courier", &b]);
    assert!(output.status.success());

    let stories = lines(&newslens(&["stories", "--db", &db, "--format", "jsonl"]));
    assert_eq!(stories.len(), 1, "one event, one story: {stories:?}");
    let story = &stories[0];
    for field in [
        "id",
        "title",
        "first_seen",
        "last_seen",
        "articles",
        "entities",
        "quotes",
    ] {
        assert!(story.get(field).is_some(), "stories lines carry {field}");
    }
    for field in ["id", "path", "url", "outlet", "title", "published"] {
        assert!(
            story["articles"][0].get(field).is_some(),
            "story articles carry {field}"
        );
    }
    let id = story["id"].as_str().unwrap();

    let text = newslens(&["stories", "--db", &db]);
    assert!(String::from_utf8_lossy(&text.stdout).contains(id));

    let comparison = lines(&newslens(&[
        "compare",
        "--db",
        &db,
        "--format",
        "jsonl",
        &id[..8],
    ]));
    assert_eq!(comparison[0]["outlets"].as_array().unwrap().len(), 2);
    let text = newslens(&["compare", "--db", &db, id]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("== Gazette") && text.contains("== Courier"),
        "{text}"
    );

    let hits = lines(&newslens(&[
        "search", "--db", &db, "--format", "jsonl", "rosters", "--outlet", "courier",
    ]));
    assert_eq!(hits.len(), 1);
    assert!(hits[0]["snippet"].as_str().unwrap().contains("[rosters]"));

    let entity = lines(&newslens(&[
        "entity", "--db", &db, "--format", "jsonl", "Portwick",
    ]));
    assert_eq!(entity.len(), 1);
    assert!(
        !entity[0]["names"].as_array().unwrap().is_empty(),
        "{entity:?}"
    );

    let quotes = newslens(&[
        "quotes",
        "--db",
        &db,
        "--format",
        "jsonl",
        "--speaker",
        "Whitlock",
    ]);
    assert!(quotes.status.success());
    for quote in lines(&quotes) {
        assert!(quote["speaker"].as_str().unwrap().contains("Whitlock"));
    }

    let missing = newslens(&[
        "stories",
        "--db",
        &dir.path().join("none.db").display().to_string(),
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no corpus here"));
}

/// Issue 16: the corpus commands over a PostgreSQL corpus (`--db postgres://…`) print what they
/// print over an SQLite file holding the same articles; search finds the same articles (its
/// ranks and snippets are each engine's own). Skipped with a notice without PostgreSQL.
#[test]
fn corpus_commands_over_postgres_print_what_they_print_over_sqlite() {
    let Some(server) = TempPostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, HARBOUR).unwrap();
    std::fs::write(&b, HARBOUR_OTHER).unwrap();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let inputs = [
        format!("{examples}/portmere-coverage.jsonl"),
        format!("{examples}/harbour-bridge.txt"),
        a.display().to_string(),
        b.display().to_string(),
    ];
    let sqlite = dir.path().join("corpus.db").display().to_string();
    let postgres = server.url();
    for db in [&sqlite, &postgres] {
        let mut args = vec!["ingest", "--db", db, "--outlet", "Gazette"];
        args.extend(inputs.iter().map(String::as_str));
        let output = newslens(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let story = lines(&newslens(&[
        "stories", "--db", &sqlite, "--format", "jsonl",
    ]))[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["stories", "--format", "jsonl"],
        vec!["stories"],
        vec!["stories", "--most-covered", "--limit", "2", "--offset", "1"],
        vec!["quotes", "--format", "jsonl"],
        vec!["quotes", "--speaker", "Whitlock"],
        vec!["quotes", "--about", "street", "--since", "2024-05-14"],
        vec!["quotes", "--outlet", "post", "--until", "2024-05-14"],
        vec!["entity", "Portmere", "--format", "jsonl"],
        vec!["entity", "Greaves"],
        vec!["compare", &story[..8], "--format", "jsonl"],
        vec!["compare", &story],
    ];
    for command in &commands {
        let run = |db: &str| {
            let mut args = command.clone();
            args.extend(["--db", db]);
            let output = newslens(&args);
            assert!(
                output.status.success(),
                "{command:?} --db {db}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8(output.stdout).unwrap()
        };
        let expected = run(&sqlite);
        assert!(!expected.is_empty(), "{command:?} printed nothing");
        assert_eq!(run(&postgres), expected, "{command:?}");
    }
    for query in ["bridge", "ferry OR strike", "\"Ferry Street\"", "rost*"] {
        let found = |db: &str| {
            let mut ids: Vec<String> = lines(&newslens(&[
                "search", "--db", db, "--format", "jsonl", query,
            ]))
            .iter()
            .map(|hit| hit["id"].as_str().unwrap().to_string())
            .collect();
            ids.sort();
            ids
        };
        let expected = found(&sqlite);
        assert!(!expected.is_empty(), "{query} found nothing");
        assert_eq!(found(&postgres), expected, "{query}");
    }
}
