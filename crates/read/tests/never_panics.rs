//! Property tests: no input makes a reader panic or loop, and whatever a reader accepts analyses
//! into spans that stay inside the article's text.
//!
//! Inputs are arbitrary bytes, and byte soups mixed from the pieces real inputs are made of (HTML
//! tags, quotation marks, NUL bytes and invalid UTF-8, WARC and HTTP headers, JSON-ish lines), and
//! well-formed JSON lines and web archives around such soups so the readers get past their first
//! checks. Seeds are fixed so a run is reproducible; `PROPTEST_RNG_SEED` and `PROPTEST_CASES` change
//! them. These tests do not check *what* the readers extract: the unit tests beside each reader and
//! the fixture tests do that.

use std::io::{BufRead, Read, Write};

use newslens_core::{analyze, Article};
use newslens_read::jsonl::JsonLines;
use newslens_read::normalize::normalize;
use newslens_read::warc::WarcRecords;
use newslens_read::{read_record, Format, Given, Origin, ReadOptions, Record};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::RngSeed;

/// The largest generated input, in bytes.
const MAX_INPUT_BYTES: usize = 4096;

/// The record limit the readers are given, as the CLI would.
const MAX_RECORD_BYTES: u64 = 10_000;

/// "newslens" in ASCII: the fixed seed of every property.
const FIXED_SEED: u64 = 0x6e65_7773_6c65_6e73;

/// 256 cases per property from a fixed seed, no failure files written into the tree (the fixed seed
/// reproduces a failure); `PROPTEST_CASES` and `PROPTEST_RNG_SEED` override the count and the seed.
fn config() -> ProptestConfig {
    let from_env = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { from_env.cases } else { 256 };
    let rng_seed = if std::env::var_os("PROPTEST_RNG_SEED").is_some() { from_env.rng_seed } else { RngSeed::Fixed(FIXED_SEED) };
    ProptestConfig { cases, rng_seed, failure_persistence: None, ..from_env }
}

// ---------------------------------------------------------------------------------------------
// Checks

/// Every span of `article` lies inside its text, and every sentence inside a paragraph.
fn check_article(article: &Article) -> Result<(), TestCaseError> {
    let n_chars = article.text.chars().count();
    for span in &article.paragraphs {
        prop_assert!(span.start <= span.end && span.end <= n_chars, "paragraph {span:?} outside a text of {n_chars} chars: {:?}", article.text);
    }
    for span in &article.sentences {
        prop_assert!(span.start <= span.end && span.end <= n_chars, "sentence {span:?} outside a text of {n_chars} chars: {:?}", article.text);
        let in_paragraph = article.paragraphs.iter().any(|paragraph| paragraph.start <= span.start && span.end <= paragraph.end);
        prop_assert!(in_paragraph, "sentence {span:?} lies in no paragraph of {:?}: {:?}", article.paragraphs, article.text);
    }
    for post in &article.posts {
        prop_assert!(post.start <= post.end && post.end <= n_chars, "post {}..{} outside a text of {n_chars} chars: {:?}", post.start, post.end, article.text);
    }
    Ok(())
}

/// Reads one record and, when it reads, analyses the document and checks the article.
fn read_and_check(record: Record) -> Result<(), TestCaseError> {
    if let Ok(reading) = read_record(record, &ReadOptions::default()) {
        check_article(&analyze(&reading.document))?;
    }
    Ok(())
}

fn record(bytes: &[u8], format: Format) -> Record {
    Record { origin: Origin::file("p"), bytes: bytes.to_vec(), format, given: Given::default(), fallback: Given::default() }
}

/// A reader that fails the test, rather than hang it, when it is asked for bytes far more often
/// than its length could need: the sign of a reader loop that makes no progress.
struct Watchdog<'b> {
    bytes: &'b [u8],
    n_calls: usize,
    budget: usize,
}

impl<'b> Watchdog<'b> {
    fn new(bytes: &'b [u8]) -> Watchdog<'b> {
        Watchdog { bytes, n_calls: 0, budget: 1_000 + 64 * bytes.len() }
    }

    fn tick(&mut self) {
        self.n_calls += 1;
        assert!(self.n_calls <= self.budget, "the reader asked for bytes {} times: it loops without progress", self.n_calls);
    }
}

impl Read for Watchdog<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.tick();
        self.bytes.read(buf)
    }
}

impl BufRead for Watchdog<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.tick();
        Ok(self.bytes)
    }

    fn consume(&mut self, amount: usize) {
        self.bytes.consume(amount);
    }
}

/// Runs a record stream to its end, checking each record that reads. A stream yields at most one
/// item per input byte (plus one), so more items than that means it does not end.
fn drain(records: impl Iterator<Item = newslens_read::Result<Record>>, n_bytes: usize) -> Result<usize, TestCaseError> {
    let mut n_items = 0;
    for item in records {
        n_items += 1;
        prop_assert!(n_items <= n_bytes + 1, "{n_items} items from {n_bytes} bytes: the stream does not end");
        if let Ok(record) = item {
            read_and_check(record)?;
        }
    }
    Ok(n_items)
}

// ---------------------------------------------------------------------------------------------
// Strategies

/// Pieces real inputs are made of, for byte soups.
const PIECES: &[&[u8]] = &[
    // HTML
    b"<!DOCTYPE html>", b"<html>", b"</html>", b"<head>", b"<body>", b"</body>", b"<p>", b"</p>", b"<div>", b"</div>",
    b"<article>", b"</article>", b"<br>", b"<h1>", b"</h1>", b"<blockquote class=\"twitter-tweet\">", b"</blockquote>",
    b"<script>", b"</script>", b"<script type=\"application/ld+json\">", b"<style>", b"<!--", b"-->", b"<![CDATA[",
    b"<meta charset=\"", b"iso-8859-1\">", b"utf-16\">", b"<meta name=\"author\" content=\"", b"<time datetime=\"",
    b"<a href=\"https://t.co/x\">", b"</a>", b"&amp;", b"&#x2019;", b"&#0;", b"&", b"<", b">", b"/>",
    // quotation marks and punctuation
    "“".as_bytes(), "”".as_bytes(), "‘".as_bytes(), "’".as_bytes(), b"\"", b"'", "«".as_bytes(), "»".as_bytes(),
    "„".as_bytes(), "…".as_bytes(), b"...", b".", b"?", b"!", b":", "—".as_bytes(), "–".as_bytes(), b"(", b")",
    // invisible, control and invalid bytes
    b"\0", b"\x01", b"\x7f", b"\xff", b"\xfe", b"\xc3", b"\x80", b"\xe2\x80", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
    "\u{200b}".as_bytes(), "\u{ad}".as_bytes(), "\u{a0}".as_bytes(), "\u{2028}".as_bytes(), "\u{85}".as_bytes(),
    // white space
    b" ", b"  ", b"\t", b"\n", b"\n\n", b"\r\n", b"\r", b"\x0c",
    // news furniture
    b"By Mara Ellison", b"Mr.", b"Gen.", b"U.S.", b"Jan. 3", b"p.m.", b"No. 10", b"Monday 6 January 2020 12:31 pm",
    b"March 5, 2024", b"2024-03-05T09:15:00+00:00", b"Main image: Getty", b"Share this article", b"READ MORE: x",
    b"https://t.co/AbC", "— Ruth Okafor (@RuthOkafor) February 12, 2024".as_bytes(), b"(@", b"A post shared by ",
    b"Follow Mara Ellison on Twitter: @MaraEllison", b"(Reporting by Ana Ruiz; Editing by Kim Lee)",
    // WARC and HTTP
    b"WARC/1.0\r\n", b"WARC-Type: response\r\n", b"WARC-Type: request\r\n", b"WARC-Target-URI: https://a.example/\r\n",
    b"WARC-Date: 2024-03-05T10:00:00Z\r\n", b"Content-Length: 12\r\n", b"Content-Length: 99999999999\r\n",
    b"Content-Length: -1\r\n", b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 404 Not Found\r\n", b"Content-Type: text/html\r\n",
    b"Transfer-Encoding: chunked\r\n", b"Content-Encoding: gzip\r\n", b"Content-Encoding: deflate\r\n", b"\r\n\r\n",
    b"5\r\n", b"0\r\n\r\n", b"ffffffffffffffff\r\n", b"\x1f\x8b",
    // JSON lines
    b"{\"text\":\"", b"{\"html\":\"", b"\"}\n", b"\"}", b"{", b"}", b"[", b"]", b",", b"\\n", b"\\\"", b"\\u00e9",
    b"\\ud800", b"\\u0000", b",\"authors\":[\"", b",\"id\":7", b",\"published\":\"", b",\"title\":\"", b"null",
];

/// A piece of a soup: mostly known pieces and words, with some arbitrary characters and bytes.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => select(PIECES).prop_map(<[u8]>::to_vec),
        4 => "[A-Za-z]{1,12}".prop_map(String::into_bytes),
        1 => "[0-9]{1,5}".prop_map(String::into_bytes),
        1 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        1 => vec(any::<u8>(), 1..8),
    ]
}

/// Inputs from a mix of pieces, up to [`MAX_INPUT_BYTES`].
fn soup() -> impl Strategy<Value = Vec<u8>> {
    vec(piece(), 0..400).prop_map(|pieces| {
        let mut bytes = pieces.concat();
        bytes.truncate(MAX_INPUT_BYTES);
        bytes
    })
}

/// Arbitrary bytes up to [`MAX_INPUT_BYTES`].
fn any_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..=MAX_INPUT_BYTES)
}

/// Lines of words, with the punctuation and furniture of an article, to get past the decoders
/// and the HTML extractor's "is there text here" checks.
fn prose() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        8 => "[a-z]{1,9}",
        3 => "[A-Z][a-z]{1,9}",
        2 => select(&["Mr.", "Gen.", "U.S.", "Jan. 3", "p.m.", "“", "”", "’s", "...", "…", ".", "?", "!", ",", "—", "(@x)", "https://t.co/Ab"][..]).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    let line = vec(word, 0..40).prop_map(|words| words.join(" "));
    let separator = select(&["\n", "\n\n", "\r\n", "\n\n\n"][..]);
    vec((line, separator), 0..24).prop_map(|lines| lines.into_iter().map(|(line, separator)| line + separator).collect())
}

/// Pages with the parts news pages have (charset, JSON-LD, navigation, paragraphs, an embedded
/// post), their contents soups and prose.
fn html_page() -> impl Strategy<Value = Vec<u8>> {
    let charset = select(&["utf-8", "iso-8859-1", "windows-1252", "utf-16", "shift_jis", "nonsense", ""][..]);
    let json_ld = prop_oneof![
        Just(String::new()),
        prose().prop_map(|headline| serde_json::json!({"@type": "NewsArticle", "headline": headline, "author": {"name": headline}, "datePublished": "2024-03-05"}).to_string()),
        "[\\[\\]{}\":,a-z@]{0,60}",
    ];
    let paragraph = prop_oneof![
        3 => prose().prop_map(String::into_bytes),
        1 => soup(),
    ];
    (charset, json_ld, prose(), vec(paragraph, 0..6), prose()).prop_map(|(charset, json_ld, title, paragraphs, tweet)| {
        let mut page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"{charset}\"><title>{title}</title><script type=\"application/ld+json\">{json_ld}</script></head>\
             <body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>{title}</h1>"
        )
        .into_bytes();
        for paragraph in paragraphs {
            page.extend_from_slice(b"<p>");
            page.extend_from_slice(&paragraph);
            page.extend_from_slice(b"</p>\n");
        }
        page.extend_from_slice(format!("<blockquote class=\"twitter-tweet\"><p>{tweet}</p>&mdash; Ruth Okafor (@RuthOkafor) <a href=\"https://twitter.com/x/status/1\">February 12, 2024</a></blockquote>").as_bytes());
        page.extend_from_slice(b"</article><footer>Copyright 2024</footer></body></html>");
        page
    })
}

/// JSON-lines streams: valid objects with text or HTML, arbitrary lines, blank lines.
fn json_lines() -> impl Strategy<Value = Vec<u8>> {
    let body = prop_oneof![prose(), html_page().prop_map(|page| String::from_utf8_lossy(&page).into_owned()), any::<String>()];
    let valid = (body, any::<bool>(), any::<u8>(), prose()).prop_map(|(body, is_html, id, title)| {
        let field = if is_html { "html" } else { "text" };
        let authors = if id % 2 == 0 { serde_json::json!(title) } else { serde_json::json!([title, id]) };
        serde_json::json!({ field: body, "id": id, "title": title, "authors": authors, "published": "March 5, 2024" }).to_string().into_bytes()
    });
    let line = prop_oneof![
        3 => valid,
        1 => soup(),
        1 => Just(Vec::new()),
    ];
    let ending = select(&[&b"\n"[..], b"\r\n", b"\n\n", b""][..]);
    vec((line, ending), 0..6).prop_map(|lines| lines.into_iter().flat_map(|(line, ending)| [line, ending.to_vec()]).flatten().collect())
}

/// How an HTTP body is encoded in a generated archive.
#[derive(Debug, Clone, Copy)]
enum BodyEncoding {
    Identity,
    Chunked,
    BadChunked,
    Gzip,
    Deflate,
    BadGzip,
}

fn encode_body(body: &[u8], encoding: BodyEncoding, chunk_len: usize) -> (&'static str, Vec<u8>) {
    match encoding {
        BodyEncoding::Identity => ("", body.to_vec()),
        BodyEncoding::Chunked | BodyEncoding::BadChunked => {
            let mut out = Vec::new();
            for chunk in body.chunks(chunk_len.max(1)) {
                let declared = if matches!(encoding, BodyEncoding::BadChunked) { chunk.len() * 3 } else { chunk.len() };
                out.extend_from_slice(format!("{declared:x}\r\n").as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
            ("Transfer-Encoding: chunked\r\n", out)
        }
        BodyEncoding::Gzip => {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let compressed = encoder.write_all(body).and_then(|()| encoder.finish()).unwrap_or_default();
            ("Content-Encoding: gzip\r\n", compressed)
        }
        BodyEncoding::Deflate => {
            let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            let compressed = encoder.write_all(body).and_then(|()| encoder.finish()).unwrap_or_default();
            ("Content-Encoding: deflate\r\n", compressed)
        }
        BodyEncoding::BadGzip => ("Content-Encoding: gzip\r\n", body.to_vec()),
    }
}

/// Web archives of well-formed records (some of them lying about their length), soups between.
fn warc_archive() -> impl Strategy<Value = Vec<u8>> {
    let warc_type = select(&["response", "request", "warcinfo", "metadata", "RESPONSE", ""][..]);
    let status = select(&["HTTP/1.1 200 OK", "HTTP/1.1 204 No Content", "HTTP/1.1 404 Not Found", "HTTP/1.1 OK", "", "garbage"][..]);
    let content_type = select(&["Content-Type: text/html; charset=utf-8\r\n", "Content-Type: image/png\r\n", ""][..]);
    let encoding = select(&[
        BodyEncoding::Identity,
        BodyEncoding::Chunked,
        BodyEncoding::BadChunked,
        BodyEncoding::Gzip,
        BodyEncoding::Deflate,
        BodyEncoding::BadGzip,
    ][..]);
    let body = prop_oneof![3 => html_page(), 1 => soup()];
    let length_error = prop_oneof![6 => Just(0i64), 1 => -4i64..4];
    let separator = prop_oneof![4 => Just(b"\r\n\r\n".to_vec()), 1 => Just(Vec::new()), 1 => soup()];
    let warc_record = (warc_type, status, content_type, encoding, 1usize..64, body, length_error, separator).prop_map(
        |(warc_type, status, content_type, encoding, chunk_len, body, length_error, separator)| {
            let (encoding_header, body) = encode_body(&body, encoding, chunk_len);
            let mut http = format!("{status}\r\n{content_type}{encoding_header}\r\n").into_bytes();
            http.extend_from_slice(&body);
            let length = (http.len() as i64 + length_error).max(0);
            let mut out = format!(
                "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Target-URI: <https://a.example/1>\r\nWARC-Date: 2024-03-05T10:00:00Z\r\nContent-Length: {length}\r\n\r\n"
            )
            .into_bytes();
            out.extend_from_slice(&http);
            out.extend_from_slice(&separator);
            out
        },
    );
    vec(warc_record, 0..4).prop_map(|records| records.concat())
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config())]

    #[test]
    fn reading_any_bytes_as_text_or_html_never_panics_and_spans_stay_in_the_text(bytes in prop_oneof![any_bytes(), soup()]) {
        read_and_check(record(&bytes, Format::Text))?;
        read_and_check(record(&bytes, Format::Html))?;
    }

    #[test]
    fn reading_prose_as_text_never_panics_and_spans_stay_in_the_text(text in prose()) {
        read_and_check(record(text.as_bytes(), Format::Text))?;
    }

    #[test]
    fn reading_news_like_html_pages_never_panics_and_spans_stay_in_the_text(page in html_page()) {
        read_and_check(record(&page, Format::Html))?;
    }

    #[test]
    fn json_lines_streams_end_without_panicking_on_any_bytes(bytes in prop_oneof![any_bytes(), soup(), json_lines()]) {
        drain(JsonLines::new(Watchdog::new(&bytes), "p", MAX_RECORD_BYTES), bytes.len())?;
        // And as the brief's callers build it, straight over the slice.
        let n_items = JsonLines::new(bytes.as_slice(), "p", MAX_RECORD_BYTES).count();
        prop_assert!(n_items <= bytes.len() + 1);
    }

    #[test]
    fn web_archive_streams_end_without_panicking_on_any_bytes(bytes in prop_oneof![any_bytes(), soup(), warc_archive()]) {
        drain(WarcRecords::new(Watchdog::new(&bytes), "p", MAX_RECORD_BYTES), bytes.len())?;
        let n_items = WarcRecords::new(bytes.as_slice(), "p", MAX_RECORD_BYTES).count();
        prop_assert!(n_items <= bytes.len() + 1);
    }

    #[test]
    fn record_streams_end_without_panicking_under_tiny_size_limits(bytes in prop_oneof![json_lines(), warc_archive()], max_bytes in 0u64..64) {
        drain(JsonLines::new(Watchdog::new(&bytes), "p", max_bytes), bytes.len())?;
        drain(WarcRecords::new(Watchdog::new(&bytes), "p", max_bytes), bytes.len())?;
    }

    #[test]
    fn normalizing_twice_changes_nothing(text in vec(prop_oneof![
        4 => any::<char>(),
        4 => select(&['\r', '\n', ' ', '\t', '\u{a0}', '\u{2009}', '\u{3000}', '\u{200b}', '\u{feff}', '\u{ad}', '\u{85}', '\u{2028}', '\u{2029}', '\u{b}', '\u{c}', '\0', '\u{1}', '\u{7f}', '\u{9f}'][..]),
        4 => select(&['a', 'Z', '.', '“', '”', '’', '—'][..]),
    ], 0..200).prop_map(|chars| chars.into_iter().collect::<String>())) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone(), "normalize is not idempotent on {:?}", text);
    }
}

// ---------------------------------------------------------------------------------------------
// The watchdog itself

#[test]
fn watchdog_reads_like_the_slice_it_wraps() {
    let mut bytes = Vec::new();
    let n_read = Watchdog::new(b"one\ntwo").read_to_end(&mut bytes).ok();
    assert_eq!(n_read, Some(7));
    assert_eq!(bytes, b"one\ntwo");
}
