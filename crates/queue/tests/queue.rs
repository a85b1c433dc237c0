//! The queue against a real `nats-server -js` on loopback (skipped with a notice when the binary
//! is missing, unless `NEWSLENS_REQUIRE_NATS=1`): two workers store every submitted record once
//! and group them as a plain ingest does; a record the reader refuses is dead-lettered with its
//! reason after N deliveries; a server restarted mid-run resumes from its files. Articles here
//! are invented for these tests.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use newslens_pipeline::{Chunks, Defaults, Input, Pipeline, Settings};
use newslens_queue::{
    open_corpus, run_worker, status, submit, QueueSettings, WorkerReport, WorkerSettings,
};
use newslens_read::{Format, Given, Origin, Record};
use newslens_store::{SqliteStore, Store, StoryFilter};
use newslens_testkit::TempNats;

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

fn settings(server: &TempNats) -> WorkerSettings {
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
        None,
        Arc::new(AtomicBool::new(false)),
        &mut |_| {},
    )
    .await
    .expect("the worker runs")
}

/// Article ids and, per story, its sorted article ids: what two corpora must share. Stories are
/// compared as `stories --rebuild` makes them (incremental placement may depend on the order
/// batches arrived in), after checking that every article is in exactly one story.
fn corpus_shape(db: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut store = SqliteStore::open(db).unwrap();
    let story_sets = newslens_testkit::rebuilt_story_sets(&mut store);
    let mut ids: Vec<String> = story_sets.iter().flatten().cloned().collect();
    ids.sort();
    (ids, story_sets)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_store_every_record_once_as_a_plain_ingest_does() {
    let Some(server) = TempNats::start() else {
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
    let Some(server) = TempNats::start() else {
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
    let Some(mut server) = TempNats::start() else {
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
    server.restart();
    let status_after = status(&settings.queue, 0).await.unwrap();
    assert_eq!(status_after.pending, n_articles as u64);

    let db = dir.path().join("queue.db").display().to_string();
    let mut small_batches = settings.clone();
    small_batches.batch = 2;
    let running = tokio::spawn(worker(small_batches, db.clone()));
    // And again once the worker has stored a batch: it waits for the server and goes on.
    let started = std::time::Instant::now();
    let n_stored = |db: &str| {
        SqliteStore::open(db)
            .and_then(|store| store.counts())
            .map_or(0, |counts| counts.articles)
    };
    while n_stored(&db) == 0 && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(n_stored(&db) < n_articles, "restarted mid-run");
    server.restart();
    let report = running.await.unwrap();
    assert_eq!(n_stored(&db), n_articles);
    assert_eq!(report.n_dead, 0);
}

/// A store that refuses its first `failures` writes, as a database being restarted does.
struct RestartingStore {
    inner: SqliteStore,
    failures: usize,
}

impl RestartingStore {
    fn down() -> newslens_store::StoreError {
        newslens_store::StoreError::Query {
            query: String::new(),
            message: "connection refused (the database is restarting)".into(),
        }
    }
}

impl Store for RestartingStore {
    fn add_articles(
        &mut self,
        batch: &[newslens_store::ArticleRecord],
    ) -> newslens_store::Result<newslens_store::AddOutcome> {
        if self.failures > 0 {
            self.failures -= 1;
            return Err(RestartingStore::down());
        }
        self.inner.add_articles(batch)
    }
    fn stored_keys(&self) -> newslens_store::Result<newslens_store::StoredKeys> {
        self.inner.stored_keys()
    }
    fn update_stories(
        &mut self,
        config: &newslens_store::StoryConfig,
    ) -> newslens_store::Result<newslens_store::CorpusCounts> {
        self.inner.update_stories(config)
    }
    fn rebuild_stories(
        &mut self,
        config: &newslens_store::StoryConfig,
    ) -> newslens_store::Result<newslens_store::CorpusCounts> {
        self.inner.rebuild_stories(config)
    }
    fn counts(&self) -> newslens_store::Result<newslens_store::CorpusCounts> {
        self.inner.counts()
    }
    fn stories(
        &self,
        filter: &StoryFilter,
    ) -> newslens_store::Result<Vec<newslens_store::StorySummary>> {
        self.inner.stories(filter)
    }
    fn story(&self, id: &str) -> newslens_store::Result<Option<newslens_store::StorySummary>> {
        self.inner.story(id)
    }
    fn scan_articles(
        &self,
        scan: &newslens_store::ArticleScan,
        after: Option<newslens_store::ArticleCursor>,
        limit: usize,
    ) -> newslens_store::Result<newslens_store::ArticlePage> {
        self.inner.scan_articles(scan, after, limit)
    }
    fn scan_stories(
        &self,
        after: Option<&str>,
        limit: usize,
    ) -> newslens_store::Result<newslens_store::StoryPage> {
        self.inner.scan_stories(after, limit)
    }
    fn article(&self, id: &str) -> newslens_store::Result<Option<newslens_store::StoredArticle>> {
        self.inner.article(id)
    }
    fn story_articles(
        &self,
        id: &str,
    ) -> newslens_store::Result<Vec<newslens_store::StoredArticle>> {
        self.inner.story_articles(id)
    }
    fn quotes(
        &self,
        filter: &newslens_store::QuoteFilter,
    ) -> newslens_store::Result<Vec<newslens_store::QuoteRecord>> {
        self.inner.quotes(filter)
    }
    fn entity(
        &self,
        name: &str,
        limit: Option<usize>,
    ) -> newslens_store::Result<newslens_store::EntityReport> {
        self.inner.entity(name, limit)
    }
    fn search(
        &self,
        query: &newslens_store::SearchQuery,
    ) -> newslens_store::Result<Vec<newslens_store::SearchHit>> {
        self.inner.search(query)
    }
    fn check(&self) -> newslens_store::Result<Vec<String>> {
        self.inner.check()
    }
    fn feed_validators(
        &self,
        url: &str,
    ) -> newslens_store::Result<Option<newslens_store::FeedValidators>> {
        self.inner.feed_validators(url)
    }
    fn is_page_known(&self, url: &str) -> newslens_store::Result<bool> {
        self.inner.is_page_known(url)
    }
    fn outlet_weeks(&self) -> newslens_store::Result<Vec<newslens_store::outlets::SourceWeek>> {
        self.inner.outlet_weeks()
    }
    fn outlet_top_speakers(
        &self,
        source: &str,
        limit: usize,
    ) -> newslens_store::Result<Vec<newslens_store::outlets::TermCount>> {
        self.inner.outlet_top_speakers(source, limit)
    }
    fn outlet_speaker_counts(
        &self,
        source: &str,
        keys: &[String],
    ) -> newslens_store::Result<Vec<newslens_store::outlets::TermCount>> {
        self.inner.outlet_speaker_counts(source, keys)
    }
    fn outlet_stories(
        &self,
        source: &str,
    ) -> newslens_store::Result<Vec<newslens_store::outlets::Coverage>> {
        self.inner.outlet_stories(source)
    }
    fn stories_reaching(
        &self,
        min_sources: usize,
        first: &str,
        last: &str,
    ) -> newslens_store::Result<Vec<newslens_store::outlets::Coverage>> {
        self.inner.stories_reaching(min_sources, first, last)
    }
    fn write_fetch_log(
        &mut self,
        feeds: &[newslens_store::FeedValidators],
        pages: &[String],
        when: &str,
    ) -> newslens_store::Result<()> {
        self.inner.write_fetch_log(feeds, pages, when)
    }
    fn read_within(
        &mut self,
        budget: &newslens_store::ReadBudget,
        work: &mut dyn FnMut(&dyn Store),
    ) {
        self.inner.read_within(budget, work)
    }
}

/// The store half of "restart the database during a run": the worker keeps its batch, reports
/// progress past the ack wait so no record is handed to anyone else, and stores it once the
/// store answers. (The PostgreSQL process-level version needs the store crate's PostgreSQL
/// backend and its test harness; see ARCHITECTURE.md.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_waits_for_a_store_that_is_down_and_nothing_is_delivered_twice() {
    let Some(server) = TempNats::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(&server);
    // Three refusals cost 0.5 + 1 + 2 s of waiting: well past a 1 s ack wait.
    settings.queue.ack_wait = Duration::from_secs(1);
    let n_articles = 6;
    submit(
        &settings.queue,
        articles(n_articles).into_iter(),
        &Defaults::default(),
        None,
        &mut |_| {},
    )
    .await
    .unwrap();
    let db = dir.path().join("queue.db");
    let store = RestartingStore {
        inner: SqliteStore::open(&db).unwrap(),
        failures: 3,
    };
    let mut n_waits = 0;
    let report = run_worker(
        &settings,
        pipeline(),
        Box::new(store),
        None,
        Arc::new(AtomicBool::new(false)),
        &mut |event| {
            if let newslens_queue::WorkerEvent::Waiting(what) = event {
                assert!(what.contains("connection refused"), "{what}");
                n_waits += 1;
            }
        },
    )
    .await
    .unwrap();
    assert_eq!(n_waits, 3);
    assert_eq!(report.n_added, n_articles);
    assert_eq!(
        (report.n_done, report.n_stored_before),
        (n_articles, 0),
        "no record came back while the worker waited"
    );
    assert_eq!(
        SqliteStore::open(&db).unwrap().counts().unwrap().articles,
        n_articles
    );
}
