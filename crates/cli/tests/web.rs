//! `newslens ingest URL…` and `newslens follow` end to end, against a made-up site on a loopback
//! server the test starts (`crates/fetch/tests/server`): pages stored with their feed's metadata,
//! one error line per failed URL, nothing fetched twice, a 304 round that fetches nothing, and a
//! WARC archive that rebuilds the same corpus offline.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use newslens_fetch::test_site::{fixtures, Reply, Server};
use newslens_store::{SqliteStore, Store, StoryFilter};

fn site() -> Server {
    let dir = fixtures();
    let server = Server::with_fixtures(
        &dir,
        vec![
            ("/loop/a", Reply::Redirect("/loop/b".into())),
            ("/loop/b", Reply::Redirect("/loop/a".into())),
        ],
    );
    let feed = std::fs::read(dir.join("feed.xml")).unwrap();
    server.set(
        "/feed.xml",
        Reply::body(200, "application/rss+xml", &feed).with_etag("v1"),
    );
    server
}

fn newslens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args(args)
        .args(["--delay", "0s", "--jobs", "2"])
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

/// One round of `newslens follow` over the feeds listed in `feeds`, into the corpus `db`.
fn follow_once(feeds: &std::path::Path, db: &std::path::Path) -> Output {
    newslens(&[
        "follow",
        "--feeds",
        feeds.to_str().unwrap(),
        "--once",
        "--db",
        db.to_str().unwrap(),
    ])
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The lines of standard error but the two summary lines.
fn error_lines(output: &Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter(|line| !line.contains(": web: ") && !line.contains(" added, "))
        .map(str::to_string)
        .collect()
}

/// (url, title, published, authors, id) of every stored article; the id is the hash of the text.
fn stored(db: &Path) -> BTreeSet<(String, String, String, String, String)> {
    let store = SqliteStore::open(db).unwrap();
    let mut found = BTreeSet::new();
    for story in store.stories(&StoryFilter::default()).unwrap() {
        for stored in store.story_articles(&story.id).unwrap() {
            let article = stored.article;
            found.insert((
                article.source.url.unwrap_or_default(),
                article.title.unwrap_or_default(),
                article.published.unwrap_or_default(),
                article.authors.join("; "),
                article.id,
            ));
        }
    }
    found
}

#[test]
fn a_feed_url_is_ingested_with_its_metadata_and_not_fetched_twice() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    let db = db.to_str().unwrap();
    let feed = server.url("/feed.xml");
    let output = newslens(&["ingest", &feed, "--db", db]);
    assert_eq!(output.status.code(), Some(1), "the forbidden page failed");
    assert_eq!(
        error_lines(&output),
        [format!(
            "newslens: {}: disallowed by robots.txt",
            server.url("/private/council-memo.html")
        )]
    );
    let articles = stored(Path::new(db));
    assert!(articles
        .iter()
        .any(
            |(url, title, published, authors, _)| url == &server.url("/news/harbour-ferry.html")
                && title == "Harbour ferry returns after winter repairs"
                && published == "2024-03-12T07:45:00Z"
                && authors == "Ines Varga"
        ));
    assert_eq!(articles.len(), 2);

    // Again: the feed answers 304, and a page given by a tracking link is known already.
    let hits_before = server.all_hits();
    let page = server.url("/news/library-vote.html?utm_source=mail");
    let output = newslens(&["ingest", &feed, &page, "--db", db]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("0 pages fetched, 1 known before, 1 feeds unchanged"),
        "{}",
        stderr(&output)
    );
    let hits_after = server.all_hits();
    assert_eq!(hits_after["/feed.xml"], hits_before["/feed.xml"] + 1);
    for path in ["/news/harbour-ferry.html", "/news/library-vote.html"] {
        assert_eq!(hits_after.get(path), hits_before.get(path), "{path}");
    }
}

#[test]
fn each_bad_url_is_one_error_line_and_the_rest_are_stored() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    let list = dir.path().join("urls.txt");
    let urls = [
        server.url("/news/missing.html"),
        server.url("/loop/a"),
        server.url("/news/empty.html"),
        server.url("/robots.txt"),
        server.url("/news/tram-line.html"),
    ];
    std::fs::write(
        &list,
        format!("# a list\n{}\n\n{}\n{}\n", urls[0], urls[1], urls[2]),
    )
    .unwrap();
    let output = newslens(&[
        "ingest",
        "--urls",
        list.to_str().unwrap(),
        &urls[3],
        &urls[4],
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert_eq!(
        error_lines(&output),
        [
            format!(
                "newslens: {}: not an article page, feed or sitemap (text/plain)",
                urls[3]
            ),
            format!("newslens: {}: HTTP 404", urls[0]),
            format!("newslens: {}: redirect loop", urls[1]),
            format!("newslens: {}: no article text found", urls[2]),
        ],
        "{text}"
    );
    assert!(text.contains("1 added"), "{text}");
}

#[test]
fn a_second_follow_round_on_an_unchanged_feed_fetches_nothing() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    let feeds = dir.path().join("feeds.txt");
    std::fs::write(
        &feeds,
        format!(
            "{}\n{}\n",
            server.url("/feed.xml"),
            server.url("/sitemap_index.xml")
        ),
    )
    .unwrap();
    let first = follow_once(&feeds, &db);
    let text = stderr(&first);
    assert!(
        text.contains(
            "round 1: 2 feeds (0 unchanged), 4 new pages fetched, 4 added, 0 known, 1 failed"
        ),
        "{text}"
    );
    assert_eq!(stored(&db).len(), 4);

    let hits_before = server.all_hits();
    let second = follow_once(&feeds, &db);
    let text = stderr(&second);
    assert!(second.status.success(), "{text}");
    assert!(
        text.contains("round 1: 2 feeds (1 unchanged), 0 new pages fetched, 0 added"),
        "{text}"
    );
    let hits_after = server.all_hits();
    for (path, n_hits) in hits_after.iter().filter(|(path, _)| path.starts_with('/')) {
        let fetched_again = n_hits - hits_before.get(path).copied().unwrap_or(0);
        let expected = match path.as_str() {
            // The conditional GET (304), robots.txt once per run, and the sitemaps (no validators).
            "/feed.xml"
            | "/robots.txt"
            | "/sitemap_index.xml"
            | "/sitemaps/news.xml"
            | "/sitemaps/pages.xml" => 1,
            _ => 0,
        };
        assert_eq!(fetched_again, expected, "{path}");
    }
}

#[test]
fn the_warc_archive_rebuilds_the_same_corpus_offline() {
    let server = site();
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let offline = dir.path().join("offline.db");
    let warc = dir.path().join("warc");
    let output = newslens(&[
        "ingest",
        &server.url("/feed.xml"),
        &server.url("/sitemap_index.xml"),
        &server.url("/news/missing.html"),
        "--warc",
        warc.to_str().unwrap(),
        "--db",
        live.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let files: Vec<String> = std::fs::read_dir(&warc)
        .unwrap()
        .map(|entry| entry.unwrap().path().display().to_string())
        .collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].ends_with(".warc.gz"));
    drop(server);

    let mut args = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--db", offline.to_str().unwrap()]);
    let output = newslens(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let live_articles = stored(&live);
    assert_eq!(live_articles.len(), 4);
    assert_eq!(stored(&offline), live_articles);
}

#[test]
fn a_follow_killed_mid_round_loses_nothing_and_the_next_run_completes_it() {
    let server = site();
    let page = std::fs::read_to_string(fixtures().join("news/library-vote.html")).unwrap();
    server.set(
        "/news/library-vote.html",
        Reply::SlowOnce(Duration::from_secs(30), Box::new(Reply::html(&page))),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    let feeds = dir.path().join("feeds.txt");
    std::fs::write(&feeds, format!("{}\n", server.url("/feed.xml"))).unwrap();
    let args = [
        "follow",
        "--feeds",
        feeds.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--delay",
        "0s",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed while the round waits for the slow page (SIGKILL: harsher than Ctrl-C).
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.hits("/news/library-vote.html") == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let output = follow_once(&feeds, &db);
    let text = stderr(&output);
    assert!(
        text.contains("round 1: 1 feeds (0 unchanged), 2 new pages fetched, 2 added"),
        "the feed is fetched in full again, its validators were not saved: {text}"
    );
    assert_eq!(stored(&db).len(), 2);
}
