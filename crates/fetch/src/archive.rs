//! WARC files of every response fetched (`--warc DIR`), so a crawl can be read again offline:
//! `newslens ingest DIR/*.warc.gz` rebuilds the same corpus.
//!
//! One gzip member per record (as Common Crawl writes them, so any record can be read alone), a
//! `warcinfo` record first, then one `response` record per answer: redirects, errors, robots.txt,
//! feeds, sitemaps and pages. The HTTP block holds the status line, the headers and the body
//! *as the server sent it*, compressed with its `Content-Encoding` when it was (WARC 1.1's
//! `response` record). One thing cannot be kept: ureq undoes chunked transfer coding before the
//! body is seen, so `Transfer-Encoding` is dropped, `Content-Length` gives the length stored,
//! and the record says so in a `Newslens-Transfer-Decoded` field. A page's record also carries
//! what newslens knew about it besides its bytes — its canonical URL and its feed item's title,
//! date and authors — as `Newslens-*` WARC fields (WARC 1.1 allows fields of one's own), read back
//! by `newslens_read::warc`. It does not decide what to archive; the client does.

use std::fs::File;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

/// An open WARC file.
pub struct Archive {
    dir: PathBuf,
    path: PathBuf,
    file: BufWriter<File>,
    software: String,
    n_files: usize,
    n_records: u64,
}

impl Archive {
    /// Creates `dir` if needed and a new `newslens-<time>-<pid>-1.warc.gz` in it.
    pub fn create(dir: &Path, software: &str) -> std::io::Result<Archive> {
        std::fs::create_dir_all(dir)?;
        let (path, file) = open_new(dir, 1)?;
        let mut archive = Archive {
            dir: dir.to_path_buf(),
            path,
            file,
            software: software.to_string(),
            n_files: 1,
            n_records: 0,
        };
        archive.write_info()?;
        Ok(archive)
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes this file and starts the next one.
    pub fn rotate(&mut self) -> std::io::Result<()> {
        self.file.flush()?;
        self.n_files += 1;
        let (path, file) = open_new(&self.dir, self.n_files)?;
        self.path = path;
        self.file = file;
        self.write_info()
    }

    fn write_info(&mut self) -> std::io::Result<()> {
        let body = format!(
            "software: {}\r\nformat: WARC File Format 1.1\r\n",
            one_line(&self.software)
        );
        let now = jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let head = format!(
            "WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Date: {now}\r\nWARC-Filename: {name}\r\nWARC-Record-ID: {}\r\nContent-Type: application/warc-fields\r\nContent-Length: {}\r\n\r\n",
            self.record_id(),
            body.len()
        );
        self.write_record(head.as_bytes(), body.as_bytes())
    }

    /// Writes one `response` record; `body` is the body as sent (still content-coded).
    pub fn write_response(
        &mut self,
        url: &str,
        fetched_at: &str,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
        fields: &[(&str, String)],
    ) -> std::io::Result<()> {
        let reason = ureq::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|code| code.canonical_reason())
            .unwrap_or("");
        let mut http = format!("HTTP/1.1 {status} {reason}\r\n");
        let mut transfer_decoded = None;
        for (name, value) in headers {
            match name.as_str() {
                "transfer-encoding" => transfer_decoded = Some(value),
                "content-length" => {}
                _ => http.push_str(&format!("{name}: {}\r\n", one_line(value))),
            }
        }
        http.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
        let mut block = http.into_bytes();
        block.extend_from_slice(body);
        let mut head = format!(
            "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {}\r\nWARC-Date: {fetched_at}\r\nWARC-Record-ID: {}\r\nContent-Type: application/http; msgtype=response\r\n",
            one_line(url),
            self.record_id()
        );
        if let Some(coding) = transfer_decoded {
            head.push_str(&format!(
                "Newslens-Transfer-Decoded: {}\r\n",
                one_line(coding)
            ));
        }
        for (name, value) in fields {
            head.push_str(&format!("{name}: {}\r\n", one_line(value)));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
        self.write_record(head.as_bytes(), &block)
    }

    fn write_record(&mut self, head: &[u8], block: &[u8]) -> std::io::Result<()> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(head)?;
        encoder.write_all(block)?;
        encoder.write_all(b"\r\n\r\n")?;
        self.file.write_all(&encoder.finish()?)?;
        // A record is whole on disk before the next fetch: a killed crawl leaves readable files.
        self.file.flush()?;
        self.n_records += 1;
        Ok(())
    }

    /// A random-looking record id in UUID form (uniqueness is what WARC asks of it).
    fn record_id(&self) -> String {
        let state = std::collections::hash_map::RandomState::new();
        let mut hasher = state.build_hasher();
        hasher.write_u64(self.n_records);
        hasher.write(self.path.as_os_str().as_encoded_bytes());
        let high = hasher.finish();
        hasher.write_u64(high);
        let low = hasher.finish();
        format!(
            "<urn:uuid:{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}>",
            high >> 32,
            (high >> 16) & 0xffff,
            high & 0xfff,
            low >> 52,
            low & 0xffff_ffff_ffff
        )
    }
}

fn open_new(dir: &Path, n: usize) -> std::io::Result<(PathBuf, BufWriter<File>)> {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d%H%M%S").to_string();
    let path = dir.join(format!(
        "newslens-{stamp}-{}-{n}.warc.gz",
        std::process::id()
    ));
    let file = File::options().create_new(true).write(true).open(&path)?;
    Ok((path, BufWriter::new(file)))
}

/// A header value on one line (a feed title with a line break would end the header block).
fn one_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
