//! The crawl against a made-up site served on 127.0.0.1 by the test's own server: feeds and
//! sitemaps expand to pages with their metadata, robots.txt is obeyed, failures are one error
//! each and the rest go on, retries, limits, conditional GET, known URLs skipped.
//!
//! Records are read with `newslens_read::read_record` (no analysis), so these run in a second.

use std::sync::Arc;
use std::time::Duration;

use newslens_fetch::test_site::{fixtures, Reply, Server};
use newslens_fetch::{
    discover, Discovery, Expect, FetchOptions, Fetcher, Known, PageRecords, Tally,
};
use newslens_read::{read_record, ReadError, ReadOptions, Record};
use newslens_store::{FeedValidators, SqliteStore, Store};

fn site(extra: Vec<(&str, Reply)>) -> Server {
    Server::with_fixtures(&fixtures(), extra)
}

fn options() -> FetchOptions {
    FetchOptions {
        delay: Duration::ZERO,
        backoff: Duration::from_millis(10),
        timeout: Duration::from_secs(5),
        threads: 4,
        ..FetchOptions::default()
    }
}

fn crawl_with(
    options: FetchOptions,
    urls: &[String],
    expect: Expect,
    known: &Known,
) -> (Vec<Result<Record, ReadError>>, Discovery) {
    let fetcher = Arc::new(Fetcher::new(options).unwrap());
    let mut discovery = discover(&fetcher, urls, expect, known);
    let tally = Tally::default();
    let records =
        PageRecords::new(fetcher, std::mem::take(&mut discovery.targets), &tally).collect();
    (records, discovery)
}

fn crawl(urls: &[String]) -> Vec<Result<Record, ReadError>> {
    crawl_with(options(), urls, Expect::Anything, &Known::default()).0
}

fn errors(results: &[Result<Record, ReadError>]) -> Vec<String> {
    results
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect()
}

fn documents(results: Vec<Result<Record, ReadError>>) -> Vec<newslens_read::Reading> {
    results
        .into_iter()
        .filter_map(Result::ok)
        .map(|record| read_record(record, &ReadOptions::default()).unwrap())
        .collect()
}

#[test]
fn feed_items_become_pages_and_the_feed_fills_what_a_page_lacks() {
    let server = site(vec![]);
    let results = crawl(&[server.url("/feed.xml")]);
    assert_eq!(results.len(), 3, "three items, one of them forbidden");
    let readings = documents(results);
    assert_eq!(readings.len(), 2);
    // The ferry page has no metadata at all: the feed's title, date and author fill it, and its
    // URL is the feed's link without the tracking parameters.
    let ferry = &readings[0].document;
    assert_eq!(
        ferry.title.as_deref(),
        Some("Harbour ferry returns after winter repairs")
    );
    assert_eq!(ferry.published.as_deref(), Some("2024-03-12T07:45:00Z"));
    assert_eq!(ferry.authors, ["Ines Varga"]);
    assert_eq!(
        ferry.source.url.as_deref(),
        Some(server.url("/news/harbour-ferry.html").as_str())
    );
    assert!(ferry.text.contains("Saltwick Island"));
    // The library page says it all itself; the page wins, and its rel=canonical is the URL.
    let library = &readings[1].document;
    assert_eq!(
        library.title.as_deref(),
        Some("Caldmoor council delays vote on library hours")
    );
    assert_eq!(library.authors, ["Mara Ellison"]);
    assert_eq!(
        library.source.url.as_deref(),
        Some(server.url("/news/library-vote.html").as_str())
    );
}

#[test]
fn robots_txt_disallow_is_obeyed_and_the_page_never_requested() {
    let server = site(vec![]);
    let results = crawl(&[server.url("/feed.xml")]);
    assert_eq!(
        errors(&results),
        [format!(
            "{}: disallowed by robots.txt",
            server.url("/private/council-memo.html")
        )]
    );
    assert_eq!(server.hits("/private/council-memo.html"), 0);
    assert_eq!(
        server.hits("/robots.txt"),
        1,
        "robots.txt is fetched once per host"
    );
}

#[test]
fn a_sitemap_index_leads_through_its_sitemaps_to_the_pages() {
    let server = site(vec![]);
    let results = crawl(&[server.url("/sitemap_index.xml")]);
    assert!(errors(&results).is_empty(), "{:?}", errors(&results));
    let readings = documents(results);
    let urls: Vec<&str> = readings
        .iter()
        .filter_map(|r| r.document.source.url.as_deref())
        .collect();
    assert_eq!(
        urls,
        [
            server.url("/news/orchard-frost.html"),
            server.url("/news/tram-line.html")
        ]
    );
    let orchard = &readings[0].document;
    assert_eq!(
        orchard.title.as_deref(),
        Some("Late frost threatens Vennel orchards")
    );
    assert_eq!(
        orchard.published.as_deref(),
        Some("2024-03-15T06:30:00+00:00")
    );
    assert_eq!(
        orchard.source.outlet.as_deref(),
        Some("The Caldmoor Courier")
    );
}

#[test]
fn a_404_and_a_redirect_loop_are_one_error_each_and_the_rest_go_on() {
    let server = site(vec![
        ("/loop/a", Reply::Redirect("/loop/b".into())),
        ("/loop/b", Reply::Redirect("/loop/a".into())),
        ("/moved", Reply::Redirect("/news/harbour-ferry.html".into())),
    ]);
    let urls = [
        server.url("/news/missing.html"),
        server.url("/loop/a"),
        server.url("/news/tram-line.html"),
        server.url("/moved"),
    ];
    let results = crawl(&urls);
    assert_eq!(
        errors(&results),
        [
            format!("{}: HTTP 404", urls[0]),
            format!("{}: redirect loop", urls[1]),
        ]
    );
    let readings = documents(results);
    assert_eq!(readings.len(), 2);
    assert_eq!(
        readings[1].document.source.url.as_deref(),
        Some(server.url("/news/harbour-ferry.html").as_str()),
        "a redirected page is stored under the URL that answered"
    );
}

#[test]
fn a_busy_server_is_retried_after_its_retry_after() {
    let page = std::fs::read_to_string(fixtures().join("news/tram-line.html")).unwrap();
    let server = site(vec![(
        "/busy",
        Reply::Unavailable(2, Box::new(Reply::html(&page))),
    )]);
    let results = crawl(&[server.url("/busy")]);
    assert!(errors(&results).is_empty(), "{:?}", errors(&results));
    assert_eq!(server.hits("/busy"), 3);
    let server = site(vec![(
        "/busy",
        Reply::Unavailable(9, Box::new(Reply::html(&page))),
    )]);
    assert_eq!(
        errors(&crawl(&[server.url("/busy")])),
        [format!(
            "{}: HTTP 503 after 3 attempts",
            server.url("/busy")
        )]
    ); // A server that asks for an hour is not waited for.
    let server = site(vec![(
        "/closed",
        Reply::Raw(
            429,
            vec![("Retry-After".into(), "3600".into())],
            b"later".to_vec(),
        ),
    )]);
    assert_eq!(
        errors(&crawl(&[server.url("/closed")])),
        [format!(
            "{}: HTTP 429, Retry-After 3600s is beyond the 60s limit",
            server.url("/closed")
        )]
    );
    assert_eq!(server.hits("/closed"), 1);
}

#[test]
fn requests_to_one_host_are_spaced_by_the_delay() {
    let server = site(vec![]);
    let started = std::time::Instant::now();
    let (results, _) = crawl_with(
        FetchOptions {
            delay: Duration::from_millis(300),
            ..options()
        },
        &[
            server.url("/news/tram-line.html"),
            server.url("/news/orchard-frost.html"),
            server.url("/news/harbour-ferry.html"),
        ],
        Expect::Anything,
        &Known::default(),
    );
    assert_eq!(documents(results).len(), 3);
    // robots.txt and three pages: three waits of the delay at least, on four fetch threads.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn timeouts_oversized_bodies_and_other_files_are_one_error_each() {
    let server = site(vec![
        ("/slow", Reply::Slow(Duration::from_secs(3))),
        ("/huge", Reply::html(&"<p>word </p>".repeat(20_000))),
        (
            "/report.pdf",
            Reply::body(200, "application/pdf", b"%PDF-1.7 ..."),
        ),
    ]);
    let urls = [
        server.url("/slow"),
        server.url("/huge"),
        server.url("/report.pdf"),
        server.url("/news/tram-line.html"),
    ];
    let (results, _) = crawl_with(
        FetchOptions {
            timeout: Duration::from_millis(500),
            max_bytes: 100_000,
            ..options()
        },
        &urls,
        Expect::Anything,
        &Known::default(),
    );
    assert_eq!(
        errors(&results),
        [
            format!("{}: timed out", urls[0]),
            format!(
                "{}: body over the limit of 100000 bytes (see --max-bytes)",
                urls[1]
            ),
            format!(
                "{}: not an article page, feed or sitemap (application/pdf)",
                urls[2]
            ),
        ]
    );
    assert_eq!(documents(results).len(), 1);
}

#[test]
fn a_page_given_as_a_feed_is_not_a_feed() {
    let server = site(vec![]);
    let (results, _) = crawl_with(
        options(),
        &[server.url("/news/tram-line.html"), server.url("/feed.xml")],
        Expect::Feeds,
        &Known::default(),
    );
    assert_eq!(
        errors(&results)[0],
        format!(
            "{}: not a feed (an HTML page)",
            server.url("/news/tram-line.html")
        )
    );
    assert_eq!(
        documents(results).len(),
        2,
        "the real feed still gives its pages"
    );
}

#[test]
fn an_unchanged_feed_answers_304_and_known_pages_are_not_fetched() {
    let server = site(vec![]);
    let feed = std::fs::read(fixtures().join("feed.xml")).unwrap();
    server.set(
        "/feed.xml",
        Reply::body(200, "application/rss+xml", &feed).with_etag("v1"),
    );
    let (_, first) = crawl_with(
        options(),
        &[server.url("/feed.xml")],
        Expect::Feeds,
        &Known::default(),
    );
    assert_eq!(first.feeds.len(), 1);
    assert_eq!(first.feeds[0].validators.etag.as_deref(), Some("\"v1\""));

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    let mut store = SqliteStore::open(&db).unwrap();
    store
        .write_fetch_log(
            &[FeedValidators {
                url: server.url("/feed.xml"),
                etag: Some("\"v1\"".into()),
                ..FeedValidators::default()
            }],
            &[],
            "2024-03-12T08:00:00Z",
        )
        .unwrap();
    let known = Known::open(&db.display().to_string()).unwrap();
    let (results, second) =
        crawl_with(options(), &[server.url("/feed.xml")], Expect::Feeds, &known);
    assert_eq!(second.n_unchanged, 1);
    assert!(results.is_empty());

    // A page the fetch log lists is not fetched again, whatever link leads to it.
    store
        .write_fetch_log(
            &[],
            &[server.url("/news/tram-line.html")],
            "2024-03-12T08:00:00Z",
        )
        .unwrap();
    let hits_before = server.hits("/news/tram-line.html");
    let (results, discovery) = crawl_with(
        options(),
        &[server.url("/news/tram-line.html?utm_source=newsletter#top")],
        Expect::Anything,
        &known,
    );
    assert!(results.is_empty());
    assert_eq!(discovery.n_known, 1);
    assert_eq!(server.hits("/news/tram-line.html"), hits_before);
}

#[test]
fn gzip_bodies_are_decoded_and_the_http_charset_is_read() {
    let page = std::fs::read(fixtures().join("news/tram-line.html")).unwrap();
    let mut gzipped = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gzipped, &page).unwrap();
    let latin1 =
        b"<html><body><article><p>The mayor of Caldmoor, J\xfcrgen M\xfcller, opened the new \
        footbridge over the Vennel on Friday and thanked the volunteers who raised the money.</p>\
        </article></body></html>"
            .to_vec();
    let server = site(vec![
        (
            "/gzipped",
            Reply::Raw(
                200,
                vec![
                    ("Content-Type".into(), "text/html".into()),
                    ("Content-Encoding".into(), "gzip".into()),
                ],
                gzipped.finish().unwrap(),
            ),
        ),
        (
            "/latin1",
            Reply::Raw(
                200,
                vec![(
                    "Content-Type".into(),
                    "text/html; charset=ISO-8859-1".into(),
                )],
                latin1,
            ),
        ),
    ]);
    let readings = documents(crawl(&[server.url("/gzipped"), server.url("/latin1")]));
    assert_eq!(readings.len(), 2);
    assert!(readings[0].document.text.contains("Eastgate estate"));
    assert!(readings[1].document.text.contains("Jürgen Müller"));
    assert!(
        readings[1].warnings.is_empty(),
        "{:?}",
        readings[1].warnings
    );
}

/// Issue 15: a bare site root stands for the site; robots.txt's `Sitemap:` lines lead to its
/// articles, and the home page itself is not fetched.
#[test]
fn a_site_root_is_read_through_the_sitemaps_its_robots_txt_names() {
    let server = site(vec![]);
    let results = crawl(&[server.url("/")]);
    assert!(errors(&results).is_empty(), "{:?}", errors(&results));
    let urls: Vec<String> = documents(results)
        .into_iter()
        .filter_map(|r| r.document.source.url)
        .collect();
    assert_eq!(
        urls,
        [
            server.url("/news/orchard-frost.html"),
            server.url("/news/tram-line.html")
        ]
    );
    assert_eq!(server.hits("/"), 0, "the home page is no article");

    // A robots.txt without Sitemap lines: the root is fetched like any URL.
    let page = std::fs::read_to_string(fixtures().join("news/tram-line.html")).unwrap();
    let server = site(vec![
        (
            "/robots.txt",
            Reply::body(200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
        ),
        ("/", Reply::html(&page)),
    ]);
    let readings = documents(crawl(&[server.url("/")]));
    assert_eq!(readings.len(), 1);
    assert_eq!(server.hits("/"), 1);
}

/// One round of discovery and fetching whose fetch log is written to `db`, as `follow` does;
/// returns the discovery and the number of pages fetched.
fn follow_round(urls: &[String], db: &std::path::Path) -> (Discovery, usize) {
    let fetcher = Arc::new(Fetcher::new(options()).unwrap());
    let known = Known::open(&db.display().to_string()).unwrap();
    let mut discovery = discover(&fetcher, urls, Expect::Feeds, &known);
    let tally = Tally::default();
    let records: Vec<_> =
        PageRecords::new(fetcher, std::mem::take(&mut discovery.targets), &tally).collect();
    assert!(errors(&records).is_empty(), "{:?}", errors(&records));
    let mut store = SqliteStore::open(db).unwrap();
    newslens_fetch::remember(&mut store, &discovery.feeds, &tally).unwrap();
    (discovery, tally.n_fetched())
}

/// Issue 15: a sitemap index is read every round, but a child it lists with the same `<lastmod>`
/// as last time is not asked at all, and one without `<lastmod>` is asked with a conditional GET.
#[test]
fn unchanged_child_sitemaps_are_not_fetched_again() {
    let server = site(vec![]);
    let pages_xml = std::fs::read(fixtures().join("sitemaps/pages.xml")).unwrap();
    server.set(
        "/sitemaps/pages.xml",
        Reply::body(200, "application/xml", &pages_xml).with_etag("p1"),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    let index = [server.url("/sitemap_index.xml")];

    let (_, n_fetched) = follow_round(&index, &db);
    assert_eq!(n_fetched, 2);
    assert_eq!(server.hits("/sitemaps/news.xml"), 1);
    assert_eq!(server.hits("/sitemaps/pages.xml"), 1);

    let (second, n_fetched) = follow_round(&index, &db);
    assert_eq!(
        server.hits("/sitemap_index.xml"),
        2,
        "the index is read every round"
    );
    assert_eq!(
        server.hits("/sitemaps/news.xml"),
        1,
        "same <lastmod>: not asked"
    );
    assert_eq!(
        server.hits("/sitemaps/pages.xml"),
        2,
        "no <lastmod>: asked, 304"
    );
    assert_eq!(second.n_unchanged, 2);
    assert_eq!(n_fetched, 0);

    // A new <lastmod> for the news sitemap: it is read again (its pages are known).
    let index_xml = std::fs::read_to_string(fixtures().join("sitemap_index.xml")).unwrap();
    server.set(
        "/sitemap_index.xml",
        Reply::body(
            200,
            "application/xml",
            index_xml.replace("2024-03-15", "2024-03-16").as_bytes(),
        ),
    );
    let (_, n_fetched) = follow_round(&index, &db);
    assert_eq!(server.hits("/sitemaps/news.xml"), 2);
    assert_eq!(n_fetched, 0);
}
