//! The `newslens analyze` command end to end: formats, order, standard input, and bad input that
//! fails alone with one clear line while the rest of the batch comes out.
//!
//! Each test builds its inputs in a temporary folder and runs the real binary. They do not check
//! the analysis layers in detail; the libraries' tests do.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const ARTICLE: &str = "Council to close library\n\nBy Mara Ellison\n\nThe town council voted on Tuesday to close the Elm Street library, ending a century of service.\n\n“This is a sad day,” said councillor Ruth Okafor.";

fn newslens(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newslens"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(bytes) = stdin {
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(bytes)
            .expect("stdin accepts input");
    }
    child.wait_with_output().expect("the binary finishes")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file is writable");
    path.display().to_string()
}

fn stdout_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).to_string()
}

#[test]
fn one_input_prints_one_json_object() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.txt", ARTICLE.as_bytes());
    let output = newslens(&["analyze", &path], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let article: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(article["schema"], "newslens.article/1");
    assert_eq!(article["title"], "Council to close library");
    assert_eq!(article["authors"][0], "Mara Ellison");
    let entities = article["entities"].as_array().unwrap();
    let councillor = entities
        .iter()
        .find(|e| e["type"] == "PERSON" && e["name"].as_str().unwrap().starts_with("Ruth"))
        .expect("the councillor is a person");
    assert_eq!(councillor["roles"][0], "councillor");
}

#[test]
fn several_inputs_print_an_array_in_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<String> = (0..12)
        .map(|n| {
            write(
                dir.path(),
                &format!("{n:02}.txt"),
                format!("Article number {n} says the council voted.").as_bytes(),
            )
        })
        .collect();
    let mut args = vec!["analyze", "--jobs", "2"];
    args.extend(paths.iter().map(String::as_str));
    let output = newslens(&args, None);
    let articles: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let texts: Vec<String> = articles
        .iter()
        .map(|a| a["text"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = (0..12)
        .map(|n| format!("Article number {n} says the council voted."))
        .collect();
    assert_eq!(texts, expected);
}

#[test]
fn a_folder_is_read_recursively_and_jsonl_keeps_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("b")).unwrap();
    write(dir.path(), "a.txt", b"First article text here.");
    write(dir.path(), "b/c.txt", b"Second article text here.");
    write(dir.path(), "b/ignored.pdf", b"%PDF");
    let output = newslens(
        &[
            "analyze",
            "--format",
            "jsonl",
            &dir.path().display().to_string(),
        ],
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let texts: Vec<String> = stdout_lines(&output)
        .iter()
        .map(|a| a["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        texts,
        ["First article text here.", "Second article text here."]
    );
}

#[test]
fn bad_inputs_fail_alone_with_one_line_each_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.txt", ARTICLE.as_bytes());
    let binary = write(
        dir.path(),
        "binary.txt",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    );
    let empty = write(dir.path(), "empty.txt", b"");
    let huge = write(dir.path(), "huge.txt", "word ".repeat(500).as_bytes());
    let latin = write(
        dir.path(),
        "latin.txt",
        b"The council\x92s vote was \x93final\x94, officials said.",
    );
    let lines = write(dir.path(), "dump.jsonl", b"{\"text\":\"Line one text.\"}\n{broken\n{\"text\":\"Line three text.\",\"outlet\":\"Courier\"}\n");
    let missing = dir.path().join("missing.txt").display().to_string();
    let output = newslens(
        &[
            "analyze",
            "--format",
            "jsonl",
            "--max-bytes",
            "1000",
            &good,
            &binary,
            &empty,
            &huge,
            &latin,
            &lines,
            &missing,
        ],
        None,
    );

    assert_eq!(output.status.code(), Some(1));
    let texts: Vec<String> = stdout_lines(&output)
        .iter()
        .map(|a| a["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        texts.len(),
        4,
        "good, latin, and two JSON lines come out: {texts:?}"
    );
    assert_eq!(texts[1], "The council’s vote was “final”, officials said.");
    assert_eq!(texts[3], "Line three text.");

    let errors = stderr(&output);
    let lines: Vec<&str> = errors.lines().collect();
    assert!(
        lines.contains(&format!("newslens: {binary}: binary file (not text)").as_str()),
        "{errors}"
    );
    assert!(
        lines.contains(&format!("newslens: {empty}: empty input").as_str()),
        "{errors}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "newslens: {huge}: input of 1001 bytes is over the limit of 1000 bytes"
        ))),
        "{errors}"
    );
    assert!(
        lines.contains(
            &format!("newslens: {latin}: warning: invalid UTF-8, decoded as Windows-1252").as_str()
        ),
        "{errors}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "newslens: {}:2: malformed JSON line",
            dir.path().join("dump.jsonl").display()
        ))),
        "{errors}"
    );
    assert!(
        lines.contains(&format!("newslens: {missing}: no such file or directory").as_str()),
        "{errors}"
    );
    assert_eq!(lines.len(), 6, "one line per problem: {errors}");
}

#[test]
fn web_archive_responses_are_articles_with_their_url() {
    use std::io::Write as _;
    let page = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>Pier reopens</title></head><body><article><h1>Pier reopens</h1><p>The old pier reopened on Saturday after two years of repairs, and hundreds of people walked its length before noon.</p><p>The mayor said the town had waited long enough.</p></article></body></html>";
    let mut archive = Vec::new();
    for (kind, body) in [("warcinfo", "software: test"), ("response", page)] {
        let record = format!("WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://news.example/pier\r\nWARC-Date: 2024-06-01T08:00:00Z\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n", body.len());
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(record.as_bytes()).unwrap();
        archive.extend(encoder.finish().unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "crawl.warc.gz", &archive);
    let output = newslens(&["analyze", "--format", "jsonl", &path], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let articles = stdout_lines(&output);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0]["title"], "Pier reopens");
    assert_eq!(articles[0]["source"]["url"], "https://news.example/pier");
    assert_eq!(articles[0]["source"]["path"], format!("{path}: record 2"));
    assert_eq!(articles[0]["published"], "2024-06-01T08:00:00Z");
    assert!(articles[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("The old pier reopened"));
}

#[test]
fn standard_input_is_sniffed() {
    let output = newslens(&["analyze", "--format", "jsonl", "-"], Some(b"{\"text\":\"From a pipe, one.\"}\n{\"html\":\"<p>From a pipe, two, in HTML with enough words to count.</p>\"}\n"));
    assert!(output.status.success(), "{}", stderr(&output));
    let articles = stdout_lines(&output);
    assert_eq!(articles.len(), 2);
    assert_eq!(articles[0]["source"]["path"], "-:1");

    let output = newslens(
        &[
            "analyze",
            "--format",
            "jsonl",
            "--outlet",
            "The Courier",
            "-",
        ],
        Some(ARTICLE.as_bytes()),
    );
    let articles = stdout_lines(&output);
    assert_eq!(articles[0]["title"], "Council to close library");
    assert_eq!(articles[0]["source"]["outlet"], "The Courier");
}

#[test]
fn text_format_summarises_for_people_without_colour_in_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.txt", ARTICLE.as_bytes());
    let output = newslens(&["analyze", "--format", "text", &path], None);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Council to close library\n"), "{text}");
    assert!(text.contains("by Mara Ellison"));
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes when stdout is not a terminal"
    );
}

#[test]
fn usage_errors_exit_with_two() {
    let output = newslens(&["analyze"], None);
    assert_eq!(output.status.code(), Some(2));
}

/// Issue 17: `newslens analyze pipe` opened a FIFO with no writer and waited forever.
#[cfg(unix)]
#[test]
fn regression_17_a_fifo_is_refused_at_once_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe.txt");
    let status = Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let good = write(dir.path(), "good.txt", ARTICLE.as_bytes());
    let pipe = pipe.display().to_string();
    let started = std::time::Instant::now();
    let output = newslens(&["analyze", "--format", "jsonl", &pipe, &good], None);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout_lines(&output).len(),
        1,
        "the good file still comes out"
    );
    assert_eq!(
        stderr(&output),
        format!("newslens: {pipe}: not a regular file (use - to read standard input)\n")
    );
}

/// Issue 17: a file name holding a newline printed as two lines, the second free to pass for
/// another error, and escape sequences went to the terminal.
#[test]
fn regression_17_control_characters_in_a_name_are_escaped_in_its_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let name = "empty.txt\nnewslens: \u{1b}[31mforged.txt";
    let path = write(dir.path(), name, b"");
    let output = newslens(&["analyze", &path], None);
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output);
    assert_eq!(errors.lines().count(), 1, "{errors:?}");
    assert!(!errors.contains('\u{1b}'), "{errors:?}");
    assert!(
        errors.ends_with("empty.txt\\nnewslens: \\u{1b}[31mforged.txt: empty input\n"),
        "{errors:?}"
    );
}

#[test]
fn an_empty_json_lines_file_is_one_no_records_line_and_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.jsonl", b"");
    let output = newslens(&["analyze", "--format", "jsonl", &empty], None);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), format!("newslens: {empty}: no records\n"));
    assert!(output.stdout.is_empty());

    // As an empty text file is: the others come out, and the run says one input failed.
    let good = write(dir.path(), "good.txt", ARTICLE.as_bytes());
    let output = newslens(&["analyze", "--format", "jsonl", &empty, &good], None);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout_lines(&output).len(), 1);
}

#[test]
fn a_utf8_article_with_one_bad_byte_keeps_its_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = ARTICLE.as_bytes().to_vec();
    bytes.extend_from_slice(b"\n\nThe vote was 5\xff4, \xe2\x80\x9cnarrow\xe2\x80\x9d, she said.");
    let path = write(dir.path(), "damaged.txt", &bytes);
    let output = newslens(&["analyze", "--format", "jsonl", &path], None);
    assert!(output.status.success(), "{}", stderr(&output));
    let article = &stdout_lines(&output)[0];
    let text = article["text"].as_str().unwrap();
    assert!(text.contains("“This is a sad day,” said"), "{text}");
    assert!(!text.contains("â€œ"), "{text}");
    assert!(!article["quotes"].as_array().unwrap().is_empty());
    assert_eq!(
        stderr(&output),
        format!("newslens: {path}: warning: 1 invalid UTF-8 sequence replaced with U+FFFD\n")
    );
}

#[test]
fn corpus_views_refuse_bad_dates_and_offsets_as_usage_errors() {
    for args in [
        &["quotes", "--since", "garbage"][..],
        &["quotes", "--until", "2024-02-30"],
        &["search", "tram", "--since", "last week"],
        &["quotes", "--offset", "9223372036854775808"],
        &["stories", "--limit", "18446744073709551615"],
        &["search", "tram", "--offset", "-1"],
    ] {
        let output = newslens(args, None);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let output = newslens(&["quotes", "--since", "garbage"], None);
    assert!(
        stderr(&output).contains("YYYY-MM-DD"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_encoder_mode_reads_loaded_language_and_the_default_stays_the_fast_tagger() {
    let dir = tempfile::tempdir().unwrap();
    let opinion = "Council backs pier plan\n\nThe mayor's disgraceful, reckless scheme is a \
                   shameless betrayal of every honest taxpayer, a corrupt stunt by a cowardly \
                   clique.\n\nThe council meets again on Tuesday.";
    let path = write(dir.path(), "opinion.txt", opinion.as_bytes());
    let loaded_words = |flags: &[&str]| -> Vec<String> {
        let args: Vec<&str> = ["analyze", path.as_str()]
            .iter()
            .chain(flags)
            .copied()
            .collect();
        let output = newslens(&args, None);
        assert!(output.status.success(), "{flags:?}: {}", stderr(&output));
        let article: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let text: Vec<char> = article["text"].as_str().unwrap().chars().collect();
        article["loaded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let (start, end) = (l["start"].as_u64().unwrap(), l["end"].as_u64().unwrap());
                text[start as usize..end as usize].iter().collect()
            })
            .collect()
    };
    let encoder = loaded_words(&["--loaded", "encoder"]);
    assert!(
        encoder
            .iter()
            .any(|w| w.contains("disgraceful") || w.contains("shameless")),
        "{encoder:?}"
    );
    assert!(
        !encoder
            .iter()
            .any(|w| w.contains("Tuesday") || w.contains("mayor")),
        "{encoder:?}"
    );
    // A higher operating point keeps fewer (or as many) spans, each inside a lower one's.
    let strict = loaded_words(&["--loaded", "encoder", "--loaded-threshold", "0.9"]);
    assert!(
        strict.iter().map(String::len).sum::<usize>()
            <= encoder.iter().map(String::len).sum::<usize>()
    );
    assert_eq!(loaded_words(&[]), loaded_words(&["--loaded", "fast"]));

    let output = newslens(
        &[
            "analyze",
            &path,
            "--loaded",
            "encoder",
            "--loaded-threshold",
            "1.5",
        ],
        None,
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--loaded-threshold must be between 0 and 1"),
        "{}",
        stderr(&output)
    );
}
