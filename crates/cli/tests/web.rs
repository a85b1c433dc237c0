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
        text.contains("round 1: 2 feeds (2 unchanged), 0 new pages fetched, 0 added"),
        "{text}"
    );
    let hits_after = server.all_hits();
    for (path, n_hits) in hits_after.iter().filter(|(path, _)| path.starts_with('/')) {
        let fetched_again = n_hits - hits_before.get(path).copied().unwrap_or(0);
        let expected = match path.as_str() {
            // The feed's conditional GET (304), robots.txt once per run, the index (read every
            // round) and the one child sitemap listed without a <lastmod> (no validators); the
            // news sitemap's <lastmod> has not moved, so it is not asked (the second unchanged).
            "/feed.xml" | "/robots.txt" | "/sitemap_index.xml" | "/sitemaps/pages.xml" => 1,
            _ => 0,
        };
        assert_eq!(fetched_again, expected, "{path}");
    }
}

#[test]
fn the_warc_archive_rebuilds_the_same_corpus_offline() {
    let server = site();
    // Issue 15: one page is sent gzip-compressed; the archive keeps it so and reads it back.
    let ferry = std::fs::read(fixtures().join("news/harbour-ferry.html")).unwrap();
    let mut gzipped = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gzipped, &ferry).unwrap();
    let gzipped = gzipped.finish().unwrap();
    server.set(
        "/news/harbour-ferry.html",
        Reply::Raw(
            200,
            vec![
                ("Content-Type".into(), "text/html; charset=utf-8".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            gzipped.clone(),
        ),
    );
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
    let mut archive = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::MultiGzDecoder::new(std::fs::File::open(&files[0]).unwrap()),
        &mut archive,
    )
    .unwrap();
    assert!(
        find(&archive, b"content-encoding: gzip\r\n").is_some(),
        "the header as sent"
    );
    assert!(find(&archive, &gzipped).is_some(), "the body as sent");

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

/// Six short made-up articles, distinct in wording, and an RSS feed listing them.
fn six_article_site() -> Server {
    let stories = [
        ("bakery", "The Vennel Street bakery reopened on Monday, four months after a kitchen fire closed it. Owner Petra Lind said the ovens were rebuilt with help from a neighbourhood collection that raised nine thousand pounds."),
        ("ferry-fares", "Ferry fares to Saltwick Island will rise by eight percent in June, the harbour board decided on Tuesday. Islanders asked for a resident discount, which the board promised to study before the summer timetable."),
        ("school-roof", "Pupils at Northfield primary school returned to their classrooms on Wednesday after the roof over the library was replaced. The head teacher thanked parents for their patience during six weeks of lessons in the hall."),
        ("river-survey", "A survey of the river Vennel found otters breeding near the old mill for the first time in thirty years. Volunteers counted tracks along four kilometres of bank over two winter weekends."),
        ("market-hours", "The covered market will stay open until eight on Thursdays from next month, traders agreed after a vote. Stallholders selling cheese and flowers had pressed for longer hours since the tram stop opened nearby."),
        ("chess-club", "The Caldmoor chess club won the county league on Saturday with a draw in the final round against Eastgate. Its youngest player, aged eleven, finished the season unbeaten on the third board."),
    ];
    let mut routes = std::collections::HashMap::new();
    let mut items = String::new();
    for (slug, text) in stories {
        let title = slug.replace('-', " ");
        routes.insert(
            format!("/story/{slug}.html"),
            Reply::html(&format!(
                "<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
            )),
        );
        items.push_str(&format!(
            "<item><title>{title}</title><link>{{base}}/story/{slug}.html</link><pubDate>Tue, 12 Mar 2024 08:00:00 +0000</pubDate></item>"
        ));
    }
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Caldmoor Courier</title>{items}</channel></rss>"
    );
    routes.insert(
        "/feed.xml".to_string(),
        Reply::body(200, "application/rss+xml", feed.as_bytes()).with_etag("six"),
    );
    Server::start(routes)
}

/// Issue 15: Ctrl-C during a round stores what was fetched, writes the fetch log and exits 0; the
/// next run fetches the rest, and no page is fetched twice.
#[cfg(unix)]
#[test]
fn a_follow_stopped_by_ctrl_c_keeps_its_round_and_the_next_run_fetches_only_the_rest() {
    let server = six_article_site();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    let feeds = dir.path().join("feeds.txt");
    std::fs::write(&feeds, format!("{}\n", server.url("/feed.xml"))).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args(["follow", "--feeds", feeds.to_str().unwrap()])
        .args(["--db", db.to_str().unwrap(), "--jobs", "1"])
        .args(["--delay", "400ms", "--every", "1h"])
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Two pages in (a page every 400 ms, in no set order), Ctrl-C.
    let n_story_hits = || {
        let hits = server.all_hits();
        hits.iter()
            .filter(|(path, _)| path.starts_with("/story/"))
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while n_story_hits() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("newslens: stopping after the requests in flight"),
        "{text}"
    );
    assert!(text.contains("left for the next run"), "{text}");
    assert!(text.contains("newslens: stopped;"), "{text}");
    let n_first = stored(&db).len();
    assert!((2..6).contains(&n_first), "{n_first} stored: {text}");

    let output = follow_once(&feeds, &db);
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("1 feeds (0 unchanged)"),
        "the cut round saved no validators, so the feed is read in full again: {text}"
    );
    assert!(
        text.contains(&format!(
            "{} new pages fetched, {} added",
            6 - n_first,
            6 - n_first
        )),
        "{text}"
    );
    assert_eq!(stored(&db).len(), 6);
    for (path, n_hits) in server.all_hits() {
        if path.starts_with("/story/") {
            assert_eq!(n_hits, 1, "{path} fetched {n_hits} times");
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
