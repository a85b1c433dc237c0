//! Inputs: paths, folders and standard input, opened into streams of records.
//!
//! A folder is read recursively, in sorted order, for the extensions newslens reads; a file given by
//! name is read whatever its extension, by sniffing when the extension says nothing. This is the
//! only module of the crate that opens files.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{ErrorKind, Origin, ReadError, Result};
use crate::gzip::GzMembers;
use crate::jsonl::JsonLines;
use crate::record::{Format, Given, ReadOptions, Record};
use crate::warc::WarcRecords;

/// One input: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

impl Input {
    /// How the input is named in messages and `source.path`.
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// The kinds of file newslens reads, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.txt`
    Text,
    /// `.html`, `.htm`
    Html,
    /// `.jsonl`, `.ndjson`
    JsonLines,
    /// `.warc`
    Warc,
    /// `.warc.gz`
    WarcGz,
}

/// The kind a file name says, if newslens reads it.
pub fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".warc.gz") {
        return Some(FileKind::WarcGz);
    }
    match name.rsplit_once('.')?.1 {
        "txt" | "text" => Some(FileKind::Text),
        "html" | "htm" | "xhtml" => Some(FileKind::Html),
        "jsonl" | "ndjson" => Some(FileKind::JsonLines),
        "warc" => Some(FileKind::Warc),
        _ => None,
    }
}

/// Expands the user's paths: files as given, folders into their readable files (recursively,
/// sorted), `-` into standard input. A path that does not exist, or that names something other
/// than a regular file or a folder (a FIFO, a device, a socket), is an error in its place.
pub fn expand(paths: &[String]) -> Vec<Result<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path == "-" {
            inputs.push(Ok(Input::Stdin));
            continue;
        }
        let path_buf = PathBuf::from(path);
        match std::fs::metadata(&path_buf) {
            Err(error) => inputs.push(Err(ReadError::io(Origin::file(path.clone()), &error))),
            Ok(meta) if meta.is_dir() => {
                for entry in walkdir::WalkDir::new(&path_buf)
                    .follow_links(true)
                    .sort_by_file_name()
                {
                    match entry {
                        Ok(entry)
                            if entry.file_type().is_file() && kind_of(entry.path()).is_some() =>
                        {
                            inputs.push(Ok(Input::File(entry.into_path())));
                        }
                        Ok(_) => {}
                        Err(error) => {
                            let at = error
                                .path()
                                .map_or_else(|| path.clone(), |p| p.display().to_string());
                            let message = error
                                .io_error()
                                .map_or_else(|| error.to_string(), |e| e.to_string());
                            inputs.push(Err(ReadError::new(
                                Origin::file(at),
                                ErrorKind::Io(message),
                            )));
                        }
                    }
                }
            }
            Ok(meta) if !meta.is_file() => inputs.push(Err(not_regular(path.clone()))),
            Ok(_) => inputs.push(Ok(Input::File(path_buf))),
        }
    }
    inputs
}

/// The error for a path that is neither a regular file nor a folder. Opening a FIFO waits for a
/// writer forever and a device can stream without end, so they are refused before opening;
/// standard input is read only when named `-`, where the user asked for it.
fn not_regular(name: String) -> ReadError {
    ReadError::new(
        Origin::file(name),
        ErrorKind::Io("not a regular file (use - to read standard input)".to_string()),
    )
}

/// A stream of records from one input.
pub type Records = Box<dyn Iterator<Item = Result<Record>> + Send>;

/// Opens an input into its records. Errors opening it come out as the stream's only item.
pub fn open(input: &Input, options: &ReadOptions) -> Records {
    let name = input.name();
    let reader: Box<dyn Read + Send> = match input {
        Input::Stdin => Box::new(std::io::stdin()),
        // Checked again here, before opening, for inputs that did not come through `expand`.
        Input::File(path) => match std::fs::metadata(path) {
            Err(error) => return single(Err(ReadError::io(Origin::file(name), &error))),
            Ok(meta) if !meta.is_file() => return single(Err(not_regular(name))),
            Ok(_) => match File::open(path) {
                Ok(file) => Box::new(file),
                Err(error) => return single(Err(ReadError::io(Origin::file(name), &error))),
            },
        },
    };
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let kind = match input {
        Input::File(path) => kind_of(path),
        Input::Stdin => None,
    };
    let kind = match kind {
        Some(kind) => kind,
        None => match sniff(&mut reader) {
            Ok(kind) => kind,
            Err(error) => return single(Err(ReadError::io(Origin::file(name), &error))),
        },
    };
    match kind {
        FileKind::JsonLines => Box::new(JsonLines::new(reader, name, options.max_bytes)),
        FileKind::Warc => Box::new(WarcRecords::new(reader, name, options.max_bytes)),
        FileKind::WarcGz => Box::new(WarcRecords::new(
            GzMembers::new(reader),
            name,
            options.max_bytes,
        )),
        FileKind::Text | FileKind::Html => {
            let format = if kind == FileKind::Html {
                Format::Html
            } else {
                Format::Text
            };
            single(whole(reader, name, format, options.max_bytes))
        }
    }
}

fn single(item: Result<Record>) -> Records {
    Box::new(std::iter::once(item))
}

/// Reads a whole single-article input, refusing it past the limit without reading it all.
fn whole(reader: impl Read, name: String, format: Format, max_bytes: u64) -> Result<Record> {
    let origin = Origin::file(name);
    let mut bytes = Vec::new();
    let mut limited = reader.take(max_bytes.saturating_add(1));
    limited
        .read_to_end(&mut bytes)
        .map_err(|error| ReadError::io(origin.clone(), &error))?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::new(
            origin,
            ErrorKind::TooLarge {
                size: bytes.len() as u64,
                limit: max_bytes,
            },
        ));
    }
    let format = match format {
        Format::Text if looks_like_html(&bytes) => Format::Html,
        format => format,
    };
    Ok(Record {
        origin,
        bytes,
        format,
        given: Given::default(),
        fallback: Given::default(),
    })
}

/// Guesses what an unnamed stream holds from its first bytes.
fn sniff(reader: &mut impl BufRead) -> std::io::Result<FileKind> {
    let head = reader.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        return Ok(FileKind::WarcGz);
    }
    if head.starts_with(b"WARC/") {
        return Ok(FileKind::Warc);
    }
    let trimmed = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&head[..0], |idx| &head[idx..]);
    if trimmed.starts_with(b"{") {
        return Ok(FileKind::JsonLines);
    }
    if looks_like_html(head) {
        return Ok(FileKind::Html);
    }
    Ok(FileKind::Text)
}

/// Whether bytes open like an HTML page.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
        || head.starts_with("<head")
        || head.starts_with("<body")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_name_their_kinds() {
        assert_eq!(kind_of(Path::new("a/b.WARC.GZ")), Some(FileKind::WarcGz));
        assert_eq!(kind_of(Path::new("b.ndjson")), Some(FileKind::JsonLines));
        assert_eq!(kind_of(Path::new("b.htm")), Some(FileKind::Html));
        assert_eq!(kind_of(Path::new("b.pdf")), None);
        assert_eq!(kind_of(Path::new("README")), None);
    }

    #[test]
    fn folders_expand_recursively_in_sorted_order_to_readable_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.txt", "a.html", "sub/c.jsonl", "skip.pdf"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let found: Vec<String> = expand(&[dir.path().display().to_string()])
            .into_iter()
            .map(|input| {
                input
                    .unwrap()
                    .name()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(found, ["a.html", "b.txt", "c.jsonl"]);
    }

    #[test]
    fn a_missing_path_is_an_error_in_its_place() {
        let inputs = expand(&["/no/such/file.txt".to_string()]);
        assert_eq!(
            inputs[0].as_ref().unwrap_err().to_string(),
            "/no/such/file.txt: no such file or directory"
        );
    }

    /// A named pipe with no writer: opening it for reading would wait forever.
    #[cfg(unix)]
    fn fifo(dir: &Path) -> String {
        let path = dir.join("pipe.txt");
        let c_path = std::ffi::CString::new(path.display().to_string()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        path.display().to_string()
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_named_on_the_command_line_is_refused_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = fifo(dir.path());
        let inputs = expand(std::slice::from_ref(&pipe));
        assert_eq!(
            inputs[0].as_ref().unwrap_err().to_string(),
            format!("{pipe}: not a regular file (use - to read standard input)")
        );
        // Opening it directly is refused the same way, without blocking.
        let records: Vec<_> =
            open(&Input::File(pipe.clone().into()), &ReadOptions::default()).collect();
        assert_eq!(
            records[0].as_ref().unwrap_err().to_string(),
            format!("{pipe}: not a regular file (use - to read standard input)")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_skips_fifos_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        fifo(dir.path());
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        let inputs = expand(&[dir.path().display().to_string()]);
        assert_eq!(inputs.len(), 1);
        assert!(inputs[0].as_ref().unwrap().name().ends_with("a.txt"));
    }

    #[test]
    fn streams_are_sniffed() {
        assert_eq!(
            sniff(&mut &b"  {\"text\": 1}"[..]).unwrap(),
            FileKind::JsonLines
        );
        assert_eq!(sniff(&mut &b"WARC/1.0\r\n"[..]).unwrap(), FileKind::Warc);
        assert_eq!(
            sniff(&mut &b"<!DOCTYPE html><p>"[..]).unwrap(),
            FileKind::Html
        );
        assert_eq!(sniff(&mut &b"Plain words."[..]).unwrap(), FileKind::Text);
    }
}
