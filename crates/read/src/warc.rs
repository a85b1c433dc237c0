//! Web archives (`.warc`, `.warc.gz`, as Common Crawl News publishes them): each HTTP response
//! record holding HTML is an article, with its URL and crawl date from the WARC headers.
//!
//! A small streaming reader over `flate2` (the `warc` crate is idle and pulls old dependencies).
//! Records that are not HTML responses (requests, metadata, images) are skipped silently; a record
//! that breaks the format ends the file with one error. It does not interpret the HTML.

use std::io::{BufRead, Read};

use crate::decode::with_http_charset;
use crate::error::{ErrorKind, Origin, ReadError, Result};
use crate::record::{Format, Given, Record};

/// WARC or HTTP header blocks longer than this are malformed.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The HTML records of a web archive, in order.
pub struct WarcRecords<R> {
    reader: R,
    path: String,
    record_number: usize,
    max_bytes: u64,
    finished: bool,
}

impl<R: BufRead> WarcRecords<R> {
    /// Reads records from a decompressed stream, naming them after `path`.
    pub fn new(reader: R, path: impl Into<String>, max_bytes: u64) -> WarcRecords<R> {
        WarcRecords {
            reader,
            path: path.into(),
            record_number: 0,
            max_bytes,
            finished: false,
        }
    }

    fn fail(&mut self, kind: ErrorKind) -> Option<Result<Record>> {
        self.finished = true;
        Some(Err(ReadError::new(
            Origin::record(self.path.clone(), self.record_number),
            kind,
        )))
    }
}

impl<R: BufRead> Iterator for WarcRecords<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        while !self.finished {
            // Skip blank lines between records.
            let version = match read_line(&mut self.reader) {
                Ok(None) => return None,
                Ok(Some(line)) if line.trim().is_empty() => continue,
                Ok(Some(line)) => line,
                Err(kind) => return self.fail(kind),
            };
            self.record_number += 1;
            if !version.starts_with("WARC/") {
                return self.fail(ErrorKind::Warc(format!(
                    "expected a WARC/1.x version line, found {:?}",
                    truncate(&version)
                )));
            }
            let headers = match read_headers(&mut self.reader) {
                Ok(headers) => headers,
                Err(kind) => return self.fail(kind),
            };
            let Some(length) =
                header(&headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
            else {
                return self.fail(ErrorKind::Warc(
                    "record without a valid Content-Length".to_string(),
                ));
            };
            let origin = Origin::record(self.path.clone(), self.record_number);
            let is_response = header(&headers, "warc-type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("response"));
            if !is_response || length > self.max_bytes.saturating_mul(4) {
                if let Err(error) = std::io::copy(
                    &mut Read::take(&mut self.reader, length),
                    &mut std::io::sink(),
                ) {
                    return Some(Err(ReadError::io(origin, &error)));
                }
                if is_response {
                    return Some(Err(ReadError::new(
                        origin,
                        ErrorKind::TooLarge {
                            size: length,
                            limit: self.max_bytes,
                        },
                    )));
                }
                continue;
            }
            let mut block = Vec::with_capacity(length as usize);
            match Read::take(&mut self.reader, length).read_to_end(&mut block) {
                Ok(n) if n as u64 == length => {}
                Ok(_) => return self.fail(ErrorKind::Warc("record cut short".to_string())),
                Err(error) => return Some(Err(ReadError::io(origin, &error))),
            }
            let Some(body) = html_body(&block) else {
                continue;
            };
            // `Newslens-*` fields are what `newslens ingest URL --warc` knew of the page besides
            // its bytes (its canonical URL, its feed item), so the archive reads as the crawl did.
            let field = |name: &str| {
                header(&headers, name)
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            let given = Given {
                url: field("newslens-url"),
                ..Given::default()
            };
            let fallback = Given {
                url: header(&headers, "warc-target-uri")
                    .map(|u| u.trim().trim_matches(['<', '>']).to_string()),
                published: field("newslens-published")
                    .or_else(|| header(&headers, "warc-date").map(|d| d.trim().to_string())),
                title: field("newslens-title"),
                outlet: field("newslens-outlet"),
                authors: headers
                    .iter()
                    .filter(|(name, value)| name == "newslens-author" && !value.trim().is_empty())
                    .map(|(_, value)| value.trim().to_string())
                    .collect(),
                ..Given::default()
            };
            return Some(Ok(Record {
                origin,
                bytes: body,
                format: Format::Html,
                given,
                fallback,
            }));
        }
        None
    }
}

fn truncate(line: &str) -> String {
    line.chars().take(40).collect()
}

/// One line without its line ending; `None` at the end of the stream.
fn read_line(reader: &mut impl BufRead) -> std::result::Result<Option<String>, ErrorKind> {
    let mut line = Vec::new();
    let n = reader
        .take(MAX_HEADER_BYTES as u64)
        .read_until(b'\n', &mut line)
        .map_err(|error| ErrorKind::Warc(error.to_string()))?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') && line.len() >= MAX_HEADER_BYTES {
        return Err(ErrorKind::Warc("header line too long".to_string()));
    }
    Ok(Some(
        String::from_utf8_lossy(&line)
            .trim_end_matches(['\r', '\n'])
            .to_string(),
    ))
}

fn read_headers(
    reader: &mut impl BufRead,
) -> std::result::Result<Vec<(String, String)>, ErrorKind> {
    let mut headers = Vec::new();
    let mut total = 0;
    loop {
        let Some(line) = read_line(reader)? else {
            return Err(ErrorKind::Warc("headers cut short".to_string()));
        };
        if line.is_empty() {
            return Ok(headers);
        }
        total += line.len();
        if total > MAX_HEADER_BYTES {
            return Err(ErrorKind::Warc("headers too long".to_string()));
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The HTML body of an HTTP response block, de-chunked and decompressed; `None` when the response
/// is not HTML or not a success.
fn html_body(block: &[u8]) -> Option<Vec<u8>> {
    let split = memchr::memmem::find(block, b"\r\n\r\n")
        .map(|idx| (idx, idx + 4))
        .or_else(|| memchr::memmem::find(block, b"\n\n").map(|idx| (idx, idx + 2)))?;
    let head = String::from_utf8_lossy(&block[..split.0]).to_string();
    let mut lines = head.lines();
    let status_line = lines.next()?;
    let status: u16 = status_line.split_whitespace().nth(1)?.parse().ok()?;
    if !(200..300).contains(&status) {
        return None;
    }
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| {
            (
                name.trim().to_ascii_lowercase(),
                value.trim().to_ascii_lowercase(),
            )
        })
        .collect();
    let body = &block[split.1..];
    let content_type = header(&headers, "content-type").unwrap_or("");
    let sniffed_html = {
        let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
        head.contains("<html") || head.contains("<!doctype html")
    };
    if !(content_type.contains("html") || (content_type.is_empty() && sniffed_html)) {
        return None;
    }
    let mut body = body.to_vec();
    if header(&headers, "transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body)?;
    }
    let content_type = (!content_type.is_empty()).then(|| content_type.to_string());
    let body = decompress(&headers, body)?;
    Some(with_http_charset(body, content_type.as_deref()))
}

/// The body with its `Content-Encoding` (gzip, deflate) undone.
fn decompress(headers: &[(String, String)], body: Vec<u8>) -> Option<Vec<u8>> {
    match header(headers, "content-encoding") {
        Some(encoding) if encoding.contains("gzip") => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(body.as_slice())
                .read_to_end(&mut out)
                .ok()?;
            Some(out)
        }
        Some(encoding) if encoding.contains("deflate") => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(body.as_slice())
                .read_to_end(&mut out)
                .ok()?;
            Some(out)
        }
        _ => Some(body),
    }
}

fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = memchr::memmem::find(body, b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..).unwrap_or(&[]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn warc_record(kind: &str, uri: &str, http: &str) -> Vec<u8> {
        let mut out = format!("WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-05T10:00:00Z\r\nContent-Length: {}\r\n\r\n", http.len()).into_bytes();
        out.extend_from_slice(http.as_bytes());
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    #[test]
    fn html_responses_become_records_with_url_and_date() {
        let mut archive = warc_record("warcinfo", "", "software: test");
        archive.extend(warc_record(
            "request",
            "https://a.example/1",
            "GET /1 HTTP/1.1\r\n\r\n",
        ));
        archive.extend(warc_record(
            "response",
            "https://a.example/1",
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>One</p>",
        ));
        archive.extend(warc_record(
            "response",
            "https://a.example/img",
            "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG",
        ));
        let records: Vec<_> = WarcRecords::new(archive.as_slice(), "crawl.warc", 1000).collect();
        assert_eq!(records.len(), 1);
        let record = records[0].as_ref().unwrap();
        assert_eq!(record.bytes, b"<p>One</p>");
        assert_eq!(record.fallback.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(
            record.fallback.published.as_deref(),
            Some("2024-03-05T10:00:00Z")
        );
        assert_eq!(record.origin.to_string(), "crawl.warc: record 3");
    }

    #[test]
    fn gzip_members_per_record_read_as_one_stream() {
        let mut gz = Vec::new();
        for n in 0..2 {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder
                .write_all(&warc_record(
                    "response",
                    &format!("https://a.example/{n}"),
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>",
                ))
                .unwrap();
            gz.extend(encoder.finish().unwrap());
        }
        let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(gz.as_slice()));
        assert_eq!(
            WarcRecords::new(reader, "c.warc.gz", 1000)
                .filter(|r| r.is_ok())
                .count(),
            2
        );
    }

    #[test]
    fn chunked_and_gzipped_http_bodies_are_decoded() {
        let body = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<p>Hi\r\n4\r\n</p>\r\n0\r\n\r\n";
        assert_eq!(html_body(body.as_bytes()).unwrap(), b"<p>Hi</p>");
    }

    #[test]
    fn garbage_is_one_error_naming_the_record() {
        let records: Vec<_> =
            WarcRecords::new(&b"not a warc at all\n"[..], "bad.warc", 1000).collect();
        assert_eq!(records.len(), 1);
        assert!(records[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("bad.warc: record 1: malformed WARC"));
    }
}
