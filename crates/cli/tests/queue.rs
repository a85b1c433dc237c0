//! `newslens submit`, `worker` and `queue status` end to end, as processes against a real
//! `nats-server -js` on loopback (the tests skip with a notice when it is missing, unless
//! `NEWSLENS_REQUIRE_NATS=1`): a worker killed with SIGKILL mid-run loses nothing and stores
//! nothing twice — the corpus two more workers finish holds the articles and quotes a plain
//! `ingest` of the same files makes, its stories are consistent and, rebuilt, nearly the same —,
//! PostgreSQL restarted under two workers makes them wait and reconnect, losing nothing; and a
//! record the reader refuses ends in the dead letters, shown by `queue status`. Built with
//! the cli's `queue` feature (on by default).
#![cfg(feature = "queue")]

mod support;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use newslens_store::{SqliteStore, Store, StoryFilter};
use newslens_testkit::{TempNats, TempPostgres};
use support::synthetic_corpus;

fn newslens(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "newslens {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn spawn_worker(url: &str, db: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args([
            "worker",
            "--queue",
            url,
            "--db",
            db,
            "--jobs",
            "1",
            "--batch",
            "16",
            "--ack-wait",
            "3s",
            "--until-empty",
            "--quiet",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs")
}

/// Article ids, per story its sorted article ids, and the quote count: what two corpora of the
/// same inputs must share. The stories placed as batches arrived must be consistent (every
/// article in exactly one story); incremental placement may depend on arrival order, so the
/// stories compared are those `stories --rebuild` makes, a function of the stored articles alone.
fn corpus_shape(db: &Path) -> (Vec<String>, Vec<Vec<String>>, usize) {
    let mut store = SqliteStore::open(db).unwrap();
    let story_sets = newslens_testkit::rebuilt_story_sets(&mut store);
    let mut ids: Vec<String> = story_sets.iter().flatten().cloned().collect();
    ids.sort();
    (ids, story_sets, store.counts().unwrap().quotes)
}

/// The share of articles whose story holds exactly the same articles in both corpora.
fn story_agreement(left: &[Vec<String>], right: &[Vec<String>]) -> f64 {
    let story_of = |stories: &[Vec<String>]| -> std::collections::HashMap<String, Vec<String>> {
        stories
            .iter()
            .flat_map(|story| story.iter().map(move |id| (id.clone(), story.clone())))
            .collect()
    };
    let (left, right) = (story_of(left), story_of(right));
    let n_same = left
        .iter()
        .filter(|(id, story)| right.get(*id) == Some(story))
        .count();
    n_same as f64 / left.len().max(1) as f64
}

fn n_stored(db: &Path) -> usize {
    if !db.exists() {
        return 0;
    }
    SqliteStore::open(db)
        .and_then(|store| store.counts())
        .map_or(0, |counts| counts.articles)
}

#[test]
fn a_worker_killed_mid_run_loses_nothing_and_two_more_finish_as_a_plain_ingest_would() {
    let Some(server) = TempNats::start() else {
        return;
    };
    let url = server.url();
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    let n_synthetic = 400;
    synthetic_corpus(&inputs.join("synthetic.jsonl"), n_synthetic);
    // The project's own example articles: quotes and a story across outlets.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for name in ["harbour-bridge.txt", "portmere-coverage.jsonl"] {
        std::fs::copy(examples.join(name), inputs.join(name)).unwrap();
    }
    let inputs_arg = inputs.display().to_string();
    newslens(&["submit", "--queue", &url, "--ack-wait", "3s", &inputs_arg]);

    let db = dir.path().join("queue.db");
    let db_arg = db.display().to_string();
    let mut first = spawn_worker(&url, &db_arg);
    let started = Instant::now();
    while n_stored(&db) == 0 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    first.kill().expect("SIGKILL is delivered");
    first.wait().expect("the worker is reaped");
    let n_after_kill = n_stored(&db);
    assert!(n_after_kill > 0, "the first worker stored a batch");
    assert!(
        n_after_kill < n_synthetic,
        "killed mid-run: {n_after_kill} stored"
    );

    // Two workers finish the run; the killed one's records come back after the ack wait.
    let mut second = spawn_worker(&url, &db_arg);
    let mut third = spawn_worker(&url, &db_arg);
    assert!(second.wait().unwrap().success());
    assert!(third.wait().unwrap().success());

    let plain = dir.path().join("plain.db");
    newslens(&[
        "ingest",
        "--quiet",
        "--db",
        &plain.display().to_string(),
        &inputs_arg,
    ]);
    let queued = corpus_shape(&db);
    let ingested = corpus_shape(&plain);
    assert_eq!(queued.0.len(), ingested.0.len(), "article counts");
    assert_eq!(queued.0, ingested.0, "the same articles");
    // Incremental placement (and the near-copy originals it picks) can depend on the order
    // batches arrived in, and so, slightly, can the rebuilt stories: nearly every article must
    // share its story with exactly the same articles as in the plain ingest.
    let agreement = story_agreement(&queued.1, &ingested.1);
    assert!(
        agreement >= 0.95,
        "stories agree for {agreement:.3} of the articles"
    );
    assert_eq!(queued.2, ingested.2, "the same number of quotes");
    assert!(queued.2 > 0, "the examples hold quotes");

    let status = newslens(&["queue", "status", "--queue", &url]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("0 pending, 0 in flight, 0 dead-lettered"),
        "{status}"
    );
}

#[test]
fn a_record_the_reader_refuses_ends_in_the_dead_letters_and_queue_status_shows_it() {
    let Some(server) = TempNats::start() else {
        return;
    };
    let url = server.url();
    let dir = tempfile::tempdir().unwrap();
    let poison = dir.path().join("poison.txt");
    std::fs::write(&poison, b"\x00\x01\x02 not text \x00\xff\xfe".repeat(20)).unwrap();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/harbour-bridge.txt");
    newslens(&[
        "submit",
        "--queue",
        &url,
        &poison.display().to_string(),
        &good.display().to_string(),
    ]);
    let db = dir.path().join("queue.db").display().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args([
            "worker",
            "--queue",
            &url,
            "--db",
            &db,
            "--max-deliveries",
            "2",
            "--retry-delay",
            "100ms",
            "--until-empty",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "a dead letter: {stderr}");
    assert!(
        stderr.contains("binary file (not text) (delivery 1; will be retried)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("binary file (not text) (delivery 2; dead-lettered)"),
        "{stderr}"
    );

    let status = newslens(&["queue", "status", "--queue", &url]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("0 pending, 0 in flight, 1 dead-lettered"),
        "{status}"
    );
    assert!(
        status.contains("poison.txt after 2 deliveries:") && status.contains("binary file"),
        "{status}"
    );
    assert_eq!(n_stored(Path::new(&db)), 1, "the good record is stored");
}

#[test]
fn postgres_restarted_mid_run_makes_workers_wait_and_nothing_is_lost() {
    let Some(mut postgres) = TempPostgres::start() else {
        return;
    };
    let Some(server) = TempNats::start() else {
        return;
    };
    let url = server.url();
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    let n_synthetic = 300;
    synthetic_corpus(&inputs.join("synthetic.jsonl"), n_synthetic);
    let inputs_arg = inputs.display().to_string();
    newslens(&["submit", "--queue", &url, "--ack-wait", "3s", &inputs_arg]);

    let db = postgres.url();
    let n_in_postgres = |db: &str| {
        newslens_store::open(db)
            .and_then(|store| store.counts())
            .map_or(0, |counts| counts.articles)
    };
    let mut first = spawn_worker(&url, &db);
    let mut second = spawn_worker(&url, &db);
    let started = Instant::now();
    while n_in_postgres(&db) == 0 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(n_in_postgres(&db) < n_synthetic, "restarted mid-run");
    postgres.restart();
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());

    let plain = dir.path().join("plain.db");
    newslens(&[
        "ingest",
        "--quiet",
        "--db",
        &plain.display().to_string(),
        &inputs_arg,
    ]);
    let store = newslens_store::open(&db).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    let mut queued_ids: Vec<String> = store
        .stories(&StoryFilter {
            limit: None,
            ..StoryFilter::default()
        })
        .unwrap()
        .iter()
        .flat_map(|story| store.story_articles(&story.id).unwrap())
        .map(|article| article.article.id)
        .collect();
    queued_ids.sort();
    drop(store);
    let ingested = corpus_shape(&plain);
    assert_eq!(queued_ids, ingested.0, "the same articles, each once");
}
