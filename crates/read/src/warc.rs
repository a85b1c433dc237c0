//! Web archives (`.warc`, `.warc.gz`, as Common Crawl News publishes them): each HTTP response
//! record holding HTML is an article, with its URL and crawl date from the WARC headers.
//!
//! A small streaming reader over `flate2` (the `warc` crate is idle and pulls old dependencies).
//! Records that are not HTML responses (requests, metadata, images) are skipped silently; a
//! damaged record is one error under its own number, and the reader goes on with the next record
//! it can find (gzip members are resynchronised by [`crate::gzip`]). An archive with no HTML
//! response at all is one error too. It does not interpret the HTML.

use std::io::{BufRead, Read};

use crate::content_coding::decode_content;
use crate::decode::with_http_charset;
use crate::error::{ErrorKind, Origin, ReadError, Result};
use crate::gzip::DamagedMember;
use crate::record::{Format, Given, Record};

/// WARC or HTTP header blocks longer than this are malformed.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The HTML records of a web archive, in order.
///
/// A damaged record — a broken version line, headers or Content-Length, a block that does not end
/// where its Content-Length says, a damaged gzip member — is one error under its own number, and
/// reading goes on at the next line that starts a record (`WARC/`). To tell a record that ends
/// where it should from one whose length is wrong, each record is returned only once the line
/// after its block has been read: the next version line, or the end of the archive.
pub struct WarcRecords<R> {
    reader: R,
    path: String,
    /// The number of the record being read: version lines seen, damaged records included.
    record_number: usize,
    max_bytes: u64,
    /// An I/O error other than damage: nothing more can be read.
    finished: bool,
    /// After damage, every line up to the next version line is skipped.
    resynchronising: bool,
    /// The next record's version line, read ahead.
    next_version: Option<String>,
    /// Damage found while reading ahead that belongs to the next record.
    queued: Option<ReadError>,
    /// Items returned, records and errors.
    n_items: usize,
}

/// How a line could not be read.
enum LineError {
    /// Longer than [`MAX_HEADER_BYTES`].
    TooLong,
    /// The stream failed (a damaged gzip member, a disk error).
    Io(std::io::Error),
}

/// What the archive holds after a record's block.
enum After {
    /// The next record's version line, or the end: the record ended where it should.
    Aligned,
    /// Something else right after the block: the record's Content-Length was wrong.
    Misaligned,
    /// Something else after the blank line that ends the record: the next record is damaged.
    NextMalformed(ReadError),
    /// The next gzip member is damaged before giving a byte: the record is whole, the next is not.
    NextDamaged(ReadError),
    /// The record's own gzip member is damaged (a wrong checksum at its end, say).
    Damaged(ErrorKind),
    /// An I/O error.
    Failed(ErrorKind),
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
            resynchronising: false,
            next_version: None,
            queued: None,
            n_items: 0,
        }
    }

    fn origin(&self) -> Origin {
        Origin::record(self.path.clone(), self.record_number)
    }

    /// The current record is damaged: one error for it, then on to the next version line.
    fn damaged(&mut self, kind: ErrorKind) -> Option<Result<Record>> {
        let error = self.damage(kind);
        self.item(Err(error))
    }

    /// The error for a damaged current record, with reading set to resume at the next record.
    fn damage(&mut self, kind: ErrorKind) -> ReadError {
        self.resynchronising = true;
        self.next_version = None;
        ReadError::new(self.origin(), kind)
    }

    fn item(&mut self, item: Result<Record>) -> Option<Result<Record>> {
        self.n_items += 1;
        Some(item)
    }

    /// What an I/O error means for the current record: damage (read on), or the end.
    fn io_failure(&mut self, error: std::io::Error) -> Option<Result<Record>> {
        let error = self.io_error(error);
        self.item(Err(error))
    }

    fn io_error(&mut self, error: std::io::Error) -> ReadError {
        if let Some(damage) = DamagedMember::of(&error) {
            return self.damage(ErrorKind::Io(damage.to_string()));
        }
        self.finished = true;
        ReadError::io(self.origin(), &error)
    }

    /// The next version line: blank lines are skipped, and every other line while
    /// resynchronising. A line that is neither, outside resynchronisation, starts a damaged record.
    fn version_line(&mut self) -> Result<Option<String>> {
        loop {
            let line = match read_line(&mut self.reader) {
                Ok(None) => return Ok(None),
                Ok(Some(line)) => line,
                Err(LineError::TooLong) if self.resynchronising => continue,
                Err(LineError::TooLong) => {
                    self.record_number += 1;
                    return Err(self.damage(ErrorKind::Warc("header line too long".to_string())));
                }
                Err(LineError::Io(error)) => {
                    // Damage between records belongs to the record that was to come.
                    self.record_number += 1;
                    return Err(self.io_error(error));
                }
            };
            if line.starts_with("WARC/") {
                self.resynchronising = false;
                return Ok(Some(line));
            }
            if line.trim().is_empty() || self.resynchronising {
                continue;
            }
            self.record_number += 1;
            return Err(self.damage(ErrorKind::Warc(format!(
                "expected a WARC/1.x version line, found {:?}",
                truncate(&line)
            ))));
        }
    }

    /// Reads past a record's block to the next non-blank line, keeping it when it is a version line.
    /// A block is followed by a blank line (`\r\n\r\n` ends a record): text right after the block
    /// means the Content-Length was wrong, text after the blank line means the next record's
    /// version line is damaged.
    fn read_ahead(&mut self) -> After {
        let mut saw_blank = false;
        loop {
            match read_line(&mut self.reader) {
                Ok(None) => return After::Aligned,
                Ok(Some(line)) if line.trim().is_empty() => saw_blank = true,
                Ok(Some(line)) if line.starts_with("WARC/") => {
                    self.next_version = Some(line);
                    return After::Aligned;
                }
                Ok(Some(line)) if saw_blank => {
                    let origin = Origin::record(self.path.clone(), self.record_number + 1);
                    return After::NextMalformed(ReadError::new(
                        origin,
                        ErrorKind::Warc(format!(
                            "expected a WARC/1.x version line, found {:?}",
                            truncate(&line)
                        )),
                    ));
                }
                Ok(Some(_)) | Err(LineError::TooLong) => return After::Misaligned,
                Err(LineError::Io(error)) => {
                    return match DamagedMember::of(&error) {
                        Some(damage) if damage.gave_bytes => {
                            After::Damaged(ErrorKind::Io(damage.to_string()))
                        }
                        Some(damage) => {
                            let origin = Origin::record(self.path.clone(), self.record_number + 1);
                            After::NextDamaged(ReadError::new(
                                origin,
                                ErrorKind::Io(damage.to_string()),
                            ))
                        }
                        None => After::Failed(ReadError::io(self.origin(), &error).kind),
                    }
                }
            }
        }
    }

    /// Checks that the record just read ended where it should, then returns `item` for it.
    fn after_block(&mut self, item: Option<Result<Record>>) -> Option<Result<Record>> {
        match self.read_ahead() {
            After::Aligned => item.and_then(|item| self.item(item)),
            After::Misaligned => self.damaged(ErrorKind::Warc(
                "the record does not end where its Content-Length says".to_string(),
            )),
            After::Damaged(kind) => self.damaged(kind),
            After::NextDamaged(error) | After::NextMalformed(error) => {
                self.record_number += 1;
                self.resynchronising = true;
                match item {
                    Some(item) => {
                        self.queued = Some(error);
                        self.item(item)
                    }
                    None => self.item(Err(error)),
                }
            }
            After::Failed(kind) => {
                self.finished = true;
                self.item(Err(ReadError::new(self.origin(), kind)))
            }
        }
    }

    /// The end of the archive: an archive that gave nothing says so, as an empty file does.
    fn end(&mut self) -> Option<Result<Record>> {
        self.finished = true;
        if self.n_items > 0 {
            return None;
        }
        let kind = match self.record_number {
            0 => ErrorKind::NoRecords,
            n_records => ErrorKind::NoHtmlResponses(n_records),
        };
        self.item(Err(ReadError::new(Origin::file(self.path.clone()), kind)))
    }
}

impl<R: BufRead> Iterator for WarcRecords<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        loop {
            if let Some(error) = self.queued.take() {
                return self.item(Err(error));
            }
            if self.finished {
                return None;
            }
            let version = match self.next_version.take() {
                Some(line) => line,
                None => match self.version_line() {
                    Ok(Some(line)) => line,
                    Ok(None) => return self.end(),
                    Err(error) => return self.item(Err(error)),
                },
            };
            self.record_number += 1;
            debug_assert!(version.starts_with("WARC/"));
            if let Some(item) = self.read_one() {
                return Some(item);
            }
        }
    }
}

impl<R: BufRead> WarcRecords<R> {
    /// Reads the record whose version line was just read; `None` when it is skipped (not an
    /// HTML response) and whole.
    fn read_one(&mut self) -> Option<Result<Record>> {
        let headers = match read_headers(&mut self.reader) {
            Ok(headers) => headers,
            Err(HeaderError::Line(LineError::Io(error))) => return self.io_failure(error),
            Err(HeaderError::Line(LineError::TooLong)) => {
                return self.damaged(ErrorKind::Warc("header line too long".to_string()))
            }
            Err(HeaderError::Malformed(message)) => {
                return self.damaged(ErrorKind::Warc(message.to_string()))
            }
        };
        let Some(length) =
            header(&headers, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
        else {
            return self.damaged(ErrorKind::Warc(
                "record without a valid Content-Length".to_string(),
            ));
        };
        let origin = self.origin();
        let is_response = header(&headers, "warc-type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("response"));
        if !is_response || length > self.max_bytes.saturating_mul(4) {
            match std::io::copy(
                &mut Read::take(&mut self.reader, length),
                &mut std::io::sink(),
            ) {
                Ok(n) if n == length => {}
                Ok(_) => return self.damaged(ErrorKind::Warc("record cut short".to_string())),
                Err(error) => return self.io_failure(error),
            }
            let item = is_response.then(|| {
                Err(ReadError::new(
                    origin,
                    ErrorKind::TooLarge {
                        size: length,
                        limit: self.max_bytes,
                    },
                ))
            });
            return self.after_block(item);
        }
        let mut block = Vec::with_capacity(length as usize);
        match Read::take(&mut self.reader, length).read_to_end(&mut block) {
            Ok(n) if n as u64 == length => {}
            Ok(_) => return self.damaged(ErrorKind::Warc("record cut short".to_string())),
            Err(error) => return self.io_failure(error),
        }
        let item =
            html_body(&block, self.max_bytes).map(|body| Ok(record_of(&headers, body, origin)));
        self.after_block(item)
    }
}

/// An HTML response's record, with what its WARC headers say of the page.
fn record_of(headers: &[(String, String)], body: Vec<u8>, origin: Origin) -> Record {
    // `Newslens-*` fields are what `newslens ingest URL --warc` knew of the page besides its
    // bytes (its canonical URL, its feed item), so the archive reads as the crawl did.
    let field = |name: &str| {
        header(headers, name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let given = Given {
        url: field("newslens-url"),
        ..Given::default()
    };
    let fallback = Given {
        url: header(headers, "warc-target-uri")
            .map(|u| u.trim().trim_matches(['<', '>']).to_string()),
        published: field("newslens-published")
            .or_else(|| header(headers, "warc-date").map(|d| d.trim().to_string())),
        title: field("newslens-title"),
        outlet: field("newslens-outlet"),
        authors: headers
            .iter()
            .filter(|(name, value)| name == "newslens-author" && !value.trim().is_empty())
            .map(|(_, value)| value.trim().to_string())
            .collect(),
        ..Given::default()
    };
    Record {
        origin,
        bytes: body,
        format: Format::Html,
        given,
        fallback,
    }
}

fn truncate(line: &str) -> String {
    line.chars().take(40).collect()
}

/// One line without its line ending; `None` at the end of the stream.
fn read_line(reader: &mut impl BufRead) -> std::result::Result<Option<String>, LineError> {
    let mut line = Vec::new();
    let n = reader
        .take(MAX_HEADER_BYTES as u64)
        .read_until(b'\n', &mut line)
        .map_err(LineError::Io)?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') && line.len() >= MAX_HEADER_BYTES {
        return Err(LineError::TooLong);
    }
    Ok(Some(
        String::from_utf8_lossy(&line)
            .trim_end_matches(['\r', '\n'])
            .to_string(),
    ))
}

/// How a record's headers could not be read.
enum HeaderError {
    Line(LineError),
    Malformed(&'static str),
}

fn read_headers(
    reader: &mut impl BufRead,
) -> std::result::Result<Vec<(String, String)>, HeaderError> {
    let mut headers = Vec::new();
    let mut total = 0;
    loop {
        let Some(line) = read_line(reader).map_err(HeaderError::Line)? else {
            return Err(HeaderError::Malformed("headers cut short"));
        };
        if line.is_empty() {
            return Ok(headers);
        }
        total += line.len();
        if total > MAX_HEADER_BYTES {
            return Err(HeaderError::Malformed("headers too long"));
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

/// The HTML body of an HTTP response block, de-chunked and decompressed (gzip, deflate, brotli;
/// at most `max_bytes`); `None` when the response is not HTML or not a success.
fn html_body(block: &[u8], max_bytes: u64) -> Option<Vec<u8>> {
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
    let body = decode_content(header(&headers, "content-encoding"), body, max_bytes).ok()?;
    Some(with_http_charset(body, content_type.as_deref()))
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
    use crate::gzip::GzMembers;
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
        assert_eq!(html_body(body.as_bytes(), 100).unwrap(), b"<p>Hi</p>");
    }

    /// Issue 15: `newslens --warc` archives bodies as the server sent them, compressed.
    #[test]
    fn bodies_archived_as_sent_are_decoded_gzip_and_brotli() {
        let mut gzipped = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gzipped, b"<p>Hi</p>").unwrap();
        let gzipped = gzipped.finish().unwrap();
        let mut block = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
            gzipped.len()
        )
        .into_bytes();
        block.extend_from_slice(&gzipped);
        assert_eq!(html_body(&block, 100).unwrap(), b"<p>Hi</p>");
        assert_eq!(html_body(&block, 4), None, "over the limit once decoded");
        let mut block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\n".to_vec();
        block.extend_from_slice(&[0x0b, 0x02, 0x80, b'h', b'e', b'l', b'l', b'o', 0x03]);
        assert_eq!(html_body(&block, 100).unwrap(), b"hello");
    }

    fn response(n: usize) -> Vec<u8> {
        warc_record(
            "response",
            &format!("https://a.example/{n}"),
            &format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Page {n}</p>"),
        )
    }

    fn gzip_member(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// What a stream of records gave: `Ok(body)` or `Err(message)`, in order.
    fn outcomes(
        records: impl Iterator<Item = Result<Record>>,
    ) -> Vec<std::result::Result<String, String>> {
        records
            .map(|item| match item {
                Ok(record) => Ok(format!(
                    "{} {}",
                    record.origin,
                    String::from_utf8_lossy(&record.bytes)
                )),
                Err(error) => Err(error.to_string()),
            })
            .collect()
    }

    #[test]
    fn a_record_with_a_wrong_content_length_is_one_error_and_the_next_records_read() {
        let mut archive = response(1);
        // Record 2 says its block is shorter than it is: it ends in the middle of its page.
        let mut damaged = response(2);
        let at = memchr::memmem::find(&damaged, b"Content-Length: ").unwrap() + 16;
        damaged.splice(at..at + 2, b"20".iter().copied());
        archive.extend(damaged);
        archive.extend(response(3));
        archive.extend(response(4));
        let got = outcomes(WarcRecords::new(archive.as_slice(), "c.warc", 1000));
        assert_eq!(
            got,
            [
                Ok("c.warc: record 1 <p>Page 1</p>".to_string()),
                Err("c.warc: record 2: malformed WARC: the record does not end where its Content-Length says".to_string()),
                Ok("c.warc: record 3 <p>Page 3</p>".to_string()),
                Ok("c.warc: record 4 <p>Page 4</p>".to_string()),
            ]
        );
    }

    #[test]
    fn a_record_without_a_version_line_is_one_error_and_reading_resumes_at_the_next() {
        let mut archive = response(1);
        let mut damaged = response(2);
        damaged[..5].copy_from_slice(b"XXXX/");
        archive.extend(damaged);
        archive.extend(response(3));
        let got = outcomes(WarcRecords::new(archive.as_slice(), "c.warc", 1000));
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[1]
            .as_ref()
            .unwrap_err()
            .starts_with("c.warc: record 2: malformed WARC: expected a WARC/1.x version line"));
        assert_eq!(got[2], Ok("c.warc: record 3 <p>Page 3</p>".to_string()));
    }

    #[test]
    fn a_damaged_gzip_member_in_the_middle_is_one_error_under_its_record_number() {
        let mut members: Vec<Vec<u8>> = (1..=4).map(|n| gzip_member(&response(n))).collect();
        // Damage the compressed data of record 2's member, past its header.
        let middle = members[1].len() / 2;
        for byte in &mut members[1][middle - 4..middle + 4] {
            *byte ^= 0x5a;
        }
        let archive = members.concat();
        let got = outcomes(WarcRecords::new(
            GzMembers::new(archive.as_slice()),
            "c.warc.gz",
            1000,
        ));
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], Ok("c.warc.gz: record 1 <p>Page 1</p>".to_string()));
        let error = got[1].as_ref().unwrap_err();
        assert!(
            error.starts_with("c.warc.gz: record 2: damaged gzip data"),
            "{error}"
        );
        assert_eq!(got[2], Ok("c.warc.gz: record 3 <p>Page 3</p>".to_string()));
        assert_eq!(got[3], Ok("c.warc.gz: record 4 <p>Page 4</p>".to_string()));
    }

    #[test]
    fn a_gzip_member_with_a_wrong_checksum_is_reported_once_and_not_returned() {
        let mut members: Vec<Vec<u8>> = (1..=3).map(|n| gzip_member(&response(n))).collect();
        // The CRC-32 is the trailer's first four bytes: the data decodes, the check fails.
        let crc_at = members[1].len() - 8;
        members[1][crc_at] ^= 0xff;
        let archive = members.concat();
        let got = outcomes(WarcRecords::new(
            GzMembers::new(archive.as_slice()),
            "c.warc.gz",
            1000,
        ));
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[1]
            .as_ref()
            .unwrap_err()
            .starts_with("c.warc.gz: record 2: damaged gzip data"));
        assert_eq!(got[2], Ok("c.warc.gz: record 3 <p>Page 3</p>".to_string()));
    }

    #[test]
    fn an_archive_with_no_records_or_no_html_says_so_once() {
        let got = outcomes(WarcRecords::new(&b""[..], "e.warc", 1000));
        assert_eq!(got, [Err("e.warc: no records".to_string())]);
        let got = outcomes(WarcRecords::new(
            GzMembers::new(&b""[..]),
            "e.warc.gz",
            1000,
        ));
        assert_eq!(got, [Err("e.warc.gz: no records".to_string())]);
        let info = warc_record("warcinfo", "", "software: test");
        let got = outcomes(WarcRecords::new(info.as_slice(), "i.warc", 1000));
        assert_eq!(
            got,
            [Err(
                "i.warc: no HTML responses among its 1 records".to_string()
            )]
        );
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
