//! The queue against a real `nats-server -js` on loopback (skipped with a notice when the binary
//! is missing, unless `NEWSLENS_REQUIRE_NATS=1`): two workers store every submitted record once
//! and group them as a plain ingest does; a record the reader refuses is dead-lettered with its
//! reason after N deliveries; a server restarted mid-run resumes from its files. Articles here
//! are invented for these tests.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use newslens_pipeline::{Chunks, Defaults, Input, Pipeline, Settings};
use newslens_queue::local_server::LocalNats;
use newslens_queue::{
    open_corpus, run_worker, status, submit, QueueSettings, WorkerReport, WorkerSettings,
};
use newslens_read::{Format, Given, Origin, Record};
use newslens_store::{SqliteStore, Store, StoryFilter};

/// Three events, each told by several invented outlets in their own words.
fn articles(n: usize) -> Vec<Input> {
    const EVENTS: [&str; 3] = [
        "Portmere council voted to close the Ferry Street bridge for repairs after engineers \
         found corrosion in its steel supports. Alan Greaves, who chairs the transport committee, \
         said the closure was the only responsible choice.",
        "Lifeboat crews from Harwich rescued twelve sailors from a cargo ship that lost power in \
         a storm off the Essex coast. The coastguard said the crew were cold but unhurt.",
        "Dockworkers at Portmere harbour walked out over a new shift rota, and the union said the \
         strike would last until managers returned to talks. Dana Whitlock, the branch \
         secretary, said members had been ignored.",
    ];
    (0..n)
        .map(|idx| {
            let event = EVENTS[idx % EVENTS.len()];
            Ok(Record {
                origin: Origin::file(format!("article-{idx}.txt")),
                bytes: format!(
                    "{event}\n\nThis is report number {idx}, filed on day {} by desk {}.",
                    idx / 3,
                    idx % 5
                )
                .into_bytes(),
                format: Format::Text,
                given: Given {
                    outlet: Some(format!("Outlet {}", idx % 4)),
                    url: Some(format!("https://outlet{}.example/{idx}", idx % 4)),
                    published: Some("2024-05-14".into()),
                    ..Given::default()
                },
                fallback: Given::default(),
            })
        })
        .collect()
}

fn pipeline() -> Arc<Pipeline> {
    Arc::new(
        Pipeline::new(Settings {
            jobs: Some(1),
            ..Settings::default()
        })
        .expect("the analysis threads start"),
    )
}

fn settings(server: &LocalNats) -> WorkerSettings {
    let mut queue = QueueSettings::new(server.url());
    queue.max_deliveries = 3;
    queue.ack_wait = Duration::from_secs(3);
    let mut settings = WorkerSettings::new(queue);
    settings.batch = 8;
    settings.until_empty = true;
    settings.retry_delay = Duration::from_millis(100);
    settings
}

async fn worker(settings: WorkerSettings, db: String) -> WorkerReport {
    let store = open_corpus(&db).expect("the corpus opens");
    run_worker(
        &settings,
        pipeline(),
        store,
        Arc::new(AtomicBool::new(false)),
        &mut |_| {},
    )
    .await
    .expect("the worker runs")
}

/// Article ids and, per story, its sorted article ids: what two corpora must share.
fn corpus_shape(db: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let store = SqliteStore::open(db).unwrap();
    let stories = store
        .stories(&StoryFilter {
            limit: None,
            ..StoryFilter::default()
        })
        .unwrap();
    let mut story_sets: Vec<Vec<String>> = stories
        .iter()
        .map(|story| {
            let mut ids: Vec<String> = store
                .story_articles(&story.id)
                .unwrap()
                .into_iter()
                .map(|article| article.article.id)
                .collect();
            ids.sort();
            ids
        })
        .collect();
    story_sets.sort();
    let mut ids: Vec<String> = story_sets.iter().flatten().cloned().collect();
    ids.sort();
    (ids, story_sets)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_store_every_record_once_as_a_plain_ingest_does() {
    let Some(server) = LocalNats::for_tests("two_workers_store_every_record_once") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let n_articles = 24;
    let settings = settings(&server);
    let report = submit(
        &settings.queue,
        articles(n_articles).into_iter(),
        &Defaults::default(),
        None,
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!(report.n_submitted, n_articles);
    // The same records again at once: JetStream's duplicate window drops them.
    let again = submit(
        &settings.queue,
        articles(n_articles).into_iter(),
        &Defaults::default(),
        None,
        &mut |_| {},
    )
    .await
    .unwrap();
    assert_eq!((again.n_submitted, again.n_duplicates), (0, n_articles));

    let db = dir.path().join("queue.db").display().to_string();
    let (first, second) = tokio::join!(
        worker(settings.clone(), db.clone()),
        worker(settings.clone(), db.clone())
    );
    assert_eq!(first.n_added + second.n_added, n_articles);
    assert_eq!(first.n_dead + second.n_dead, 0);

    let plain = dir.path().join("plain.db");
    let mut store = SqliteStore::open(&plain).unwrap();
    newslens_pipeline::ingest(
        &pipeline(),
        &mut store,
        Chunks::new(articles(n_articles)),
        &mut |_| {},
    )
    .unwrap();
    drop(store);
    let (queue_ids, queue_stories) = corpus_shape(std::path::Path::new(&db));
    let (plain_ids, plain_stories) = corpus_shape(&plain);
    assert_eq!(queue_ids.len(), n_articles);
    assert_eq!(queue_ids, plain_ids);
    assert_eq!(queue_stories, plain_stories);

    let status = status(&settings.queue, 5).await.unwrap();
    assert_eq!((status.pending, status.in_flight, status.dead), (0, 0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_the_reader_refuses_is_dead_lettered_with_its_reason_after_n_deliveries() {
    let Some(server) = LocalNats::for_tests("a_record_the_reader_refuses_is_dead_lettered") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(&server);
    let mut inputs = articles(2);
    inputs.push(Ok(Record {
        origin: Origin::file("poison.txt"),
        bytes: b"\x00\x01\x02 not text \x00\xff\xfe".repeat(20),
        format: Format::Text,
        given: Given::default(),
        fallback: Given::default(),
    }));
    submit(
        &settings.queue,
        inputs.into_iter(),
        &Defaults::default(),
        None,
        &mut |_| {},
    )
    .await
    .unwrap();
    let db = dir.path().join("queue.db").display().to_string();
    let report = worker(settings.clone(), db).await;
    assert_eq!(report.n_added, 2);
    assert_eq!(report.n_dead, 1);
    assert_eq!(
        report.n_retried, 2,
        "two failed deliveries before the third"
    );

    let status = status(&settings.queue, 5).await.unwrap();
    assert_eq!((status.pending, status.in_flight, status.dead), (0, 0, 1));
    let dead = &status.recent_dead[0];
    assert_eq!(dead.origin, "poison.txt");
    assert_eq!(dead.deliveries, 3);
    assert!(dead.reason.contains("binary file"), "{}", dead.reason);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_server_resumes_the_stream_from_its_files() {
    let Some(mut server) = LocalNats::for_tests("a_restarted_server_resumes_the_stream") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(&server);
    let n_articles = 12;
    submit(
        &settings.queue,
        articles(n_articles).into_iter(),
        &Defaults::default(),
        None,
        &mut |_| {},
    )
    .await
    .unwrap();
    // Killed with SIGKILL and started again before any worker ran: every record is still there.
    server.restart().unwrap();
    let status_after = status(&settings.queue, 0).await.unwrap();
    assert_eq!(status_after.pending, n_articles as u64);

    let db = dir.path().join("queue.db").display().to_string();
    let running = tokio::spawn(worker(settings.clone(), db.clone()));
    tokio::time::sleep(Duration::from_millis(300)).await;
    // And again while a worker is pulling: it waits for the server and goes on.
    server.restart().unwrap();
    let report = running.await.unwrap();
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.counts().unwrap().articles, n_articles);
    assert_eq!(report.n_dead, 0);
}
