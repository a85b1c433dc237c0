//! Property tests: no input makes a reader panic or loop, and whatever a reader accepts analyses
//! into spans that stay inside the article's text (paragraphs, sentences inside paragraphs, posts,
//! and any entity mentions, quotes and loaded language the analysis finds).
//!
//! Inputs are arbitrary bytes, and byte soups mixed from the pieces real inputs are made of (HTML
//! tags, quotation marks, NUL bytes and invalid UTF-8, WARC and HTTP headers, JSON-ish lines), and
//! well-formed JSON lines and web archives around such soups so the readers get past their first
//! checks. Seeds are fixed so a run is reproducible; `PROPTEST_RNG_SEED` and `PROPTEST_CASES`
//! change them. These tests do not check *what* the readers extract: the unit tests beside each
//! reader and the fixture tests do that.

use std::io::{BufRead, Read, Write};

use newslens_core::{analyze, Article, Span};
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
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        from_env.cases
    } else {
        256
    };
    let rng_seed = if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
        from_env.rng_seed
    } else {
        RngSeed::Fixed(FIXED_SEED)
    };
    ProptestConfig {
        cases,
        rng_seed,
        failure_persistence: None,
        ..from_env
    }
}

// ---------------------------------------------------------------------------------------------
// Checks

/// Every span of `article` lies inside its text, and every sentence inside a paragraph.
fn check_article(article: &Article) -> Result<(), TestCaseError> {
    let n_chars = article.text.chars().count();
    for (layer, start, end) in article.spans() {
        prop_assert!(
            start <= end && end <= n_chars,
            "{layer} {start}..{end} outside a text of {n_chars} chars: {:?}",
            article.text
        );
    }
    for span in &article.sentences {
        let in_paragraph = article
            .paragraphs
            .iter()
            .any(|paragraph| paragraph.start <= span.start && span.end <= paragraph.end);
        prop_assert!(
            in_paragraph,
            "sentence {span:?} lies in no paragraph of {:?}: {:?}",
            article.paragraphs,
            article.text
        );
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

/// A record of `bytes`, as a file of that format would give it.
fn record(bytes: &[u8], format: Format) -> Record {
    Record {
        origin: Origin::file("p"),
        bytes: bytes.to_vec(),
        format,
        given: Given::default(),
        fallback: Given::default(),
    }
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
        Watchdog {
            bytes,
            n_calls: 0,
            budget: 1_000 + 64 * bytes.len(),
        }
    }

    fn tick(&mut self) {
        self.n_calls += 1;
        assert!(
            self.n_calls <= self.budget,
            "the reader asked for bytes {} times: it loops without progress",
            self.n_calls
        );
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
fn drain(
    records: impl Iterator<Item = newslens_read::Result<Record>>,
    n_bytes: usize,
) -> Result<(), TestCaseError> {
    let mut n_items = 0;
    for item in records {
        n_items += 1;
        prop_assert!(
            n_items <= n_bytes + 1,
            "{n_items} items from {n_bytes} bytes: the stream does not end"
        );
        if let Ok(record) = item {
            read_and_check(record)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Strategies

/// Pieces real inputs are made of, for byte soups.
#[rustfmt::skip]
const PIECES: &[&[u8]] = &[
    // HTML
    b"<!DOCTYPE html>", b"<html>", b"</html>", b"<head>", b"<body>", b"</body>", b"<p>", b"</p>",
    b"<div>", b"</div>", b"<article>", b"</article>", b"<br>", b"<h1>", b"</h1>", b"</blockquote>",
    b"<blockquote class=\"twitter-tweet\">", b"<script>", b"</script>", b"<style>", b"<!--", b"-->",
    b"<script type=\"application/ld+json\">", b"<![CDATA[", b"<meta charset=\"", b"iso-8859-1\">",
    b"utf-16\">", b"<meta name=\"author\" content=\"", b"<time datetime=\"", b"</a>", b"&amp;",
    b"<a href=\"https://t.co/x\">", b"&#x2019;", b"&#0;", b"&", b"<", b">", b"/>",
    // quotation marks and punctuation
    "“".as_bytes(), "”".as_bytes(), "‘".as_bytes(), "’".as_bytes(), b"\"", b"'", "«".as_bytes(),
    "»".as_bytes(), "„".as_bytes(), "…".as_bytes(), b"...", b".", b"?", b"!", b":", "—".as_bytes(),
    "–".as_bytes(), b"(", b")",
    // invisible characters and invalid UTF-8
    b"\x7f", b"\xff", b"\xfe", b"\xc3", b"\x80", b"\xe2\x80", b"\xef\xbb\xbf", b"\xff\xfe",
    b"\xfe\xff",
    "\u{200b}".as_bytes(), "\u{ad}".as_bytes(), "\u{a0}".as_bytes(), "\u{2028}".as_bytes(),
    "\u{85}".as_bytes(),
    // white space
    b" ", b"  ", b"\t", b"\n", b"\n\n", b"\r\n", b"\r", b"\x0c",
    // news furniture
    b"By Mara Ellison", b"Mr.", b"Gen.", b"U.S.", b"Jan. 3", b"p.m.", b"No. 10", b"March 5, 2024",
    b"Monday 6 January 2020 12:31 pm", b"2024-03-05T09:15:00+00:00", b"Main image: Getty",
    b"Share this article", b"READ MORE: x", b"https://t.co/AbC", b"(@", b"A post shared by ",
    "— Ruth Okafor (@RuthOkafor) February 12, 2024".as_bytes(),
    b"Follow Mara Ellison on Twitter: @MaraEllison", b"(Reporting by Ana Ruiz; Editing by Kim Lee)",
    // WARC and HTTP
    b"WARC/1.0\r\n", b"WARC-Type: response\r\n", b"WARC-Type: request\r\n",
    b"WARC-Target-URI: https://a.example/\r\n", b"WARC-Date: 2024-03-05T10:00:00Z\r\n",
    b"Content-Length: 12\r\n", b"Content-Length: 99999999999\r\n", b"Content-Length: -1\r\n",
    b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 404 Not Found\r\n", b"Content-Type: text/html\r\n",
    b"Transfer-Encoding: chunked\r\n", b"Content-Encoding: gzip\r\n",
    b"Content-Encoding: deflate\r\n",
    b"\r\n\r\n", b"5\r\n", b"0\r\n\r\n", b"ffffffffffffffff\r\n", b"\x1f\x8b",
    // JSON lines
    b"{\"text\":\"", b"{\"html\":\"", b"\"}\n", b"\"}", b"{", b"}", b"[", b"]", b",", b"\\n",
    b"\\\"", b"\\u00e9", b"\\ud800", b"\\u0000", b",\"authors\":[\"", b",\"id\":7",
    b",\"title\":\"", b",\"published\":\"", b"null",
];

/// NUL and C0 control bytes: one NUL makes the decoder call an input binary, so soups with
/// these pieces test that refusal and soups without them get past it.
const CONTROL_PIECES: &[&[u8]] = &[b"\0", b"\x01", b"\x1b", b"\x08"];

/// A piece of a soup: mostly known pieces and words, with some arbitrary characters and bytes
/// (never a NUL or C0 control byte).
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => select(PIECES).prop_map(<[u8]>::to_vec),
        4 => "[A-Za-z]{1,12}".prop_map(String::into_bytes),
        1 => "[0-9]{1,5}".prop_map(String::into_bytes),
        1 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        1 => vec(0x20u8..=0xff, 1..8),
    ]
}

/// A piece of a soup that may be a NUL or a control byte.
fn piece_or_control() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        12 => piece(),
        1 => select(CONTROL_PIECES).prop_map(<[u8]>::to_vec),
        1 => vec(any::<u8>(), 1..8),
    ]
}

/// The pieces end to end, cut at [`MAX_INPUT_BYTES`].
fn concat_pieces(pieces: Vec<Vec<u8>>) -> Vec<u8> {
    let mut bytes = pieces.concat();
    bytes.truncate(MAX_INPUT_BYTES);
    bytes
}

/// Inputs from a mix of up to `max_pieces` pieces, at most [`MAX_INPUT_BYTES`] long.
fn soup_of(max_pieces: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => vec(piece(), 0..max_pieces).prop_map(concat_pieces),
        1 => vec(piece_or_control(), 0..max_pieces).prop_map(concat_pieces),
    ]
}

/// Whole inputs from a mix of pieces.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    soup_of(400)
}

/// Arbitrary bytes up to [`MAX_INPUT_BYTES`].
fn any_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..=MAX_INPUT_BYTES)
}

/// Abbreviations, marks and links that sit between the words of an article.
#[rustfmt::skip]
const NEWS_WORDS: &[&str] = &[
    "Mr.", "Gen.", "U.S.", "Jan. 3", "p.m.", "“", "”", "’s", "...", "…", ".", "?", "!", ",", "—",
    "(@x)", "https://t.co/Ab",
];

/// A word of an article, or its punctuation and furniture.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z]{1,9}",
        3 => "[A-Z][a-z]{1,9}",
        2 => select(NEWS_WORDS).prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

/// One line of up to 20 words.
fn line_of_words() -> impl Strategy<Value = String> {
    vec(word(), 0..20).prop_map(|words| words.join(" "))
}

/// A short line, for headlines and names.
fn title() -> impl Strategy<Value = String> {
    vec(word(), 0..8).prop_map(|words| words.join(" "))
}

/// Lines of words, with the punctuation and furniture of an article, to get past the decoders
/// and the HTML extractor's "is there text here" checks.
fn prose() -> impl Strategy<Value = String> {
    let separator = select(&["\n", "\n\n", "\r\n", "\n\n\n"][..]);
    vec((line_of_words(), separator), 0..10).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(line, separator)| line + separator)
            .collect()
    })
}

/// Pages with the parts news pages have (charset, JSON-LD, navigation, paragraphs, an embedded
/// post), their contents soups and prose.
fn html_page() -> impl Strategy<Value = Vec<u8>> {
    const CHARSETS: &[&str] = &[
        "utf-8",
        "iso-8859-1",
        "windows-1252",
        "utf-16",
        "shift_jis",
        "nonsense",
        "",
    ];
    let json_ld = prop_oneof![
        Just(String::new()),
        title().prop_map(|headline| {
            let article = serde_json::json!({
                "@type": "NewsArticle",
                "headline": headline,
                "author": {"name": headline},
                "datePublished": "2024-03-05",
            });
            article.to_string()
        }),
        "[\\[\\]{}\":,a-z@]{0,60}",
    ];
    let paragraph = prop_oneof![
        3 => prose().prop_map(String::into_bytes),
        1 => soup_of(60),
    ];
    (
        select(CHARSETS),
        json_ld,
        title(),
        vec(paragraph, 0..4),
        title(),
    )
        .prop_map(|(charset, json_ld, title, paragraphs, tweet)| {
            page(charset, &json_ld, &title, &paragraphs, &tweet)
        })
}

/// An HTML page around `paragraphs`, with an embedded tweet of `tweet`.
fn page(charset: &str, json_ld: &str, title: &str, paragraphs: &[Vec<u8>], tweet: &str) -> Vec<u8> {
    let mut page = Vec::new();
    page.extend_from_slice(b"<!DOCTYPE html><html><head>");
    page.extend_from_slice(
        format!("<meta charset=\"{charset}\"><title>{title}</title>").as_bytes(),
    );
    page.extend_from_slice(
        format!("<script type=\"application/ld+json\">{json_ld}</script></head>").as_bytes(),
    );
    page.extend_from_slice(b"<body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>");
    page.extend_from_slice(format!("<article><h1>{title}</h1>").as_bytes());
    for paragraph in paragraphs {
        page.extend_from_slice(b"<p>");
        page.extend_from_slice(paragraph);
        page.extend_from_slice(b"</p>\n");
    }
    page.extend_from_slice(
        format!("<blockquote class=\"twitter-tweet\"><p>{tweet}</p>").as_bytes(),
    );
    page.extend_from_slice(b"&mdash; Ruth Okafor (@RuthOkafor) ");
    page.extend_from_slice(
        b"<a href=\"https://twitter.com/x/status/1\">February 12, 2024</a></blockquote>",
    );
    page.extend_from_slice(b"</article><footer>Copyright 2024</footer></body></html>");
    page
}

/// JSON-lines streams: valid objects with text or HTML, arbitrary lines, blank lines.
fn json_lines() -> impl Strategy<Value = Vec<u8>> {
    let body = prop_oneof![
        prose(),
        html_page().prop_map(|page| String::from_utf8_lossy(&page).into_owned()),
        any::<String>()
    ];
    let valid =
        (body, any::<bool>(), any::<u8>(), title()).prop_map(|(body, is_html, id, title)| {
            let field = if is_html { "html" } else { "text" };
            // Authors as a string or as an array with a number in it, which the reader drops.
            let authors = if id % 2 == 0 {
                serde_json::json!(title)
            } else {
                serde_json::json!([title, id])
            };
            let line = serde_json::json!({
                field: body,
                "id": id,
                "title": title,
                "authors": authors,
                "published": "March 5, 2024",
            });
            line.to_string().into_bytes()
        });
    let line = prop_oneof![
        4 => valid,
        1 => soup_of(100),
        1 => Just(Vec::new()),
    ];
    const ODD_LINE_ENDINGS: &[&[u8]] = &[b"\r\n", b"\n\n", b""];
    let ending = prop_oneof![
        4 => Just(&b"\n"[..]),
        1 => select(ODD_LINE_ENDINGS),
    ];
    vec((line, ending), 0..6).prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(line, ending)| [line, ending.to_vec()])
            .flatten()
            .collect()
    })
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

/// The HTTP header saying how `body` is encoded, and the body so encoded.
fn encode_body(body: &[u8], encoding: BodyEncoding, chunk_len: usize) -> (&'static str, Vec<u8>) {
    match encoding {
        BodyEncoding::Identity => ("", body.to_vec()),
        BodyEncoding::Chunked | BodyEncoding::BadChunked => {
            let mut out = Vec::new();
            for chunk in body.chunks(chunk_len.max(1)) {
                let declared = if matches!(encoding, BodyEncoding::BadChunked) {
                    chunk.len() * 3
                } else {
                    chunk.len()
                };
                out.extend_from_slice(format!("{declared:x}\r\n").as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
            ("Transfer-Encoding: chunked\r\n", out)
        }
        BodyEncoding::Gzip => {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let compressed = encoder
                .write_all(body)
                .and_then(|()| encoder.finish())
                .unwrap_or_default();
            ("Content-Encoding: gzip\r\n", compressed)
        }
        BodyEncoding::Deflate => {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            let compressed = encoder
                .write_all(body)
                .and_then(|()| encoder.finish())
                .unwrap_or_default();
            ("Content-Encoding: deflate\r\n", compressed)
        }
        BodyEncoding::BadGzip => ("Content-Encoding: gzip\r\n", body.to_vec()),
    }
}

/// Web archives of well-formed records (some of them lying about their length), soups between.
fn warc_archive() -> impl Strategy<Value = Vec<u8>> {
    const ODD_STATUS_LINES: &[&str] = &[
        "HTTP/1.1 204 No Content",
        "HTTP/1.1 404 Not Found",
        "HTTP/1.1 OK",
        "",
        "garbage",
    ];
    // Mostly records that read, so the stream goes on past the first one.
    let warc_type = prop_oneof![
        6 => Just("response"),
        1 => select(&["request", "warcinfo", "metadata", "RESPONSE", ""][..]),
    ];
    let status = prop_oneof![
        6 => Just("HTTP/1.1 200 OK"),
        1 => select(ODD_STATUS_LINES),
    ];
    let content_type = prop_oneof![
        4 => Just("Content-Type: text/html; charset=utf-8\r\n"),
        1 => Just("Content-Type: image/png\r\n"),
        1 => Just(""),
    ];
    let encoding = prop_oneof![
        6 => Just(BodyEncoding::Identity),
        2 => Just(BodyEncoding::Chunked),
        2 => Just(BodyEncoding::Gzip),
        1 => Just(BodyEncoding::Deflate),
        1 => Just(BodyEncoding::BadChunked),
        1 => Just(BodyEncoding::BadGzip),
    ];
    let body = prop_oneof![3 => html_page(), 1 => soup_of(100)];
    let length_error = prop_oneof![10 => Just(0i64), 1 => -4i64..4];
    let separator =
        prop_oneof![8 => Just(b"\r\n\r\n".to_vec()), 1 => Just(Vec::new()), 1 => soup_of(20)];
    let record = (
        (warc_type, status, content_type),
        (encoding, 1usize..64, body),
        (length_error, separator),
    );
    let record = record.prop_map(
        |(headers, (encoding, chunk_len, body), (length_error, separator))| {
            let (warc_type, status, content_type) = headers;
            let (encoding_header, body) = encode_body(&body, encoding, chunk_len);
            let mut http = format!("{status}\r\n{content_type}{encoding_header}\r\n").into_bytes();
            http.extend_from_slice(&body);
            let length = (http.len() as i64 + length_error).max(0);
            let mut out = format!("WARC/1.0\r\nWARC-Type: {warc_type}\r\n").into_bytes();
            out.extend_from_slice(b"WARC-Target-URI: <https://a.example/1>\r\n");
            out.extend_from_slice(b"WARC-Date: 2024-03-05T10:00:00Z\r\n");
            out.extend_from_slice(format!("Content-Length: {length}\r\n\r\n").as_bytes());
            out.extend_from_slice(&http);
            out.extend_from_slice(&separator);
            out
        },
    );
    vec(record, 1..5).prop_map(|records| records.concat())
}

/// Inputs for the text and HTML readers: mostly soups, as arbitrary bytes are nearly always binary.
fn text_or_html_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![1 => any_bytes(), 3 => soup()]
}

/// Inputs for the JSON-lines reader: mostly streams of lines, some of them valid.
fn json_lines_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![1 => any_bytes(), 1 => soup(), 2 => json_lines()]
}

/// Inputs for the web-archive reader: mostly archives of records, most of them well formed.
fn warc_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![1 => any_bytes(), 1 => soup(), 2 => warc_archive()]
}

/// Size limits that refuse nearly every record, and some that refuse only a few.
fn tiny_limit() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..64, 64u64..4096]
}

/// Characters normalisation treats specially: line and paragraph separators, spaces, invisible
/// and control characters.
const SPECIAL_CHARS: &[char] = &[
    '\r', '\n', ' ', '\t', '\u{a0}', '\u{2009}', '\u{3000}', '\u{200b}', '\u{feff}', '\u{ad}',
    '\u{85}', '\u{2028}', '\u{2029}', '\u{b}', '\u{c}', '\0', '\u{1}', '\u{7f}', '\u{9f}',
];

/// Strings of special characters, ordinary ones and anything at all, up to 200 characters.
fn normalize_input() -> impl Strategy<Value = String> {
    let char = prop_oneof![
        4 => any::<char>(),
        4 => select(SPECIAL_CHARS),
        4 => select(&['a', 'Z', '.', '“', '”', '’', '—'][..]),
    ];
    vec(char, 0..200).prop_map(|chars| chars.into_iter().collect())
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    #![proptest_config(config())]

    #[test]
    fn reading_any_bytes_as_text_or_html_never_panics_and_spans_stay_in_the_text(
        bytes in text_or_html_input(),
    ) {
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
    fn json_lines_streams_end_without_panicking_on_any_bytes(bytes in json_lines_input()) {
        drain(JsonLines::new(Watchdog::new(&bytes), "p", MAX_RECORD_BYTES), bytes.len())?;
        // And straight over the slice, as callers build it.
        let n_items = JsonLines::new(bytes.as_slice(), "p", MAX_RECORD_BYTES).count();
        prop_assert!(n_items <= bytes.len() + 1);
    }

    #[test]
    fn web_archive_streams_end_without_panicking_on_any_bytes(bytes in warc_input()) {
        drain(WarcRecords::new(Watchdog::new(&bytes), "p", MAX_RECORD_BYTES), bytes.len())?;
        let n_items = WarcRecords::new(bytes.as_slice(), "p", MAX_RECORD_BYTES).count();
        prop_assert!(n_items <= bytes.len() + 1);
    }

    #[test]
    fn record_streams_end_without_panicking_under_tiny_size_limits(
        bytes in prop_oneof![json_lines(), warc_archive()],
        max_bytes in tiny_limit(),
    ) {
        drain(JsonLines::new(Watchdog::new(&bytes), "p", max_bytes), bytes.len())?;
        drain(WarcRecords::new(Watchdog::new(&bytes), "p", max_bytes), bytes.len())?;
    }

    #[test]
    fn normalizing_twice_changes_nothing(text in normalize_input()) {
        let once = normalize(&text);
        let twice = normalize(&once);
        prop_assert_eq!(twice, once, "normalize is not idempotent on {:?}", text);
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions the properties found

/// Found by the first property: a non-ASCII text whose length in bytes is a multiple of 256
/// ended its last paragraph and sentence at character 0 (`CharOffsets` had no table entry for
/// the end of such a text).
#[test]
fn a_non_ascii_text_of_exactly_256_bytes_keeps_its_spans_inside_it() {
    let text = format!("Café{}.", " a".repeat(125));
    assert_eq!(text.len(), 256);
    let reading = read_record(
        record(text.as_bytes(), Format::Text),
        &ReadOptions::default(),
    );
    let article = analyze(&reading.expect("the text reads").document);
    let n_chars = text.chars().count();
    assert_eq!(article.paragraphs, [Span::new(0, n_chars)]);
    assert_eq!(article.sentences, [Span::new(0, n_chars)]);
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
