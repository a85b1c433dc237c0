//! Gzip streams of many members (`.warc.gz`, one member per record as Common Crawl writes them),
//! decoded so that one damaged member costs that member only.
//!
//! `flate2`'s `MultiGzDecoder` stops at the first damaged member, and every later record of the
//! archive is lost with it. [`GzMembers`] reports the damage once, as an I/O error carrying a
//! [`DamagedMember`], then looks for the next member's header in the compressed bytes and goes on
//! from there. It knows nothing of WARC; the web-archive reader decides which record the damage
//! belongs to.

use std::io::{self, BufRead, Read};

use flate2::bufread::GzDecoder;

/// The gzip magic and the only compression method, deflate: how a member starts.
const MEMBER_START: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Decoded bytes buffered at a time.
const BUFFER_BYTES: usize = 64 * 1024;

/// What went wrong in one gzip member; the payload of the [`io::Error`] [`GzMembers`] returns.
#[derive(Debug)]
pub struct DamagedMember {
    /// Whether the member gave any bytes before the damage showed (a wrong checksum at its end
    /// shows only after all of them).
    pub gave_bytes: bool,
    /// What the decoder said.
    pub message: String,
}

impl std::fmt::Display for DamagedMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "damaged gzip data ({})", self.message)
    }
}

impl std::error::Error for DamagedMember {}

impl DamagedMember {
    /// The damage an I/O error of [`GzMembers`] carries, if it is one.
    pub fn of(error: &io::Error) -> Option<&DamagedMember> {
        error.get_ref()?.downcast_ref::<DamagedMember>()
    }
}

/// The decoded bytes of every member of a gzip stream, one after another, skipping damaged ones.
pub struct GzMembers<R> {
    /// The member being decoded; `None` once the compressed bytes are used up.
    decoder: Option<GzDecoder<Counted<R>>>,
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    /// Compressed bytes consumed when the current member started.
    member_start: u64,
    /// Bytes the current member has given.
    member_bytes: u64,
    /// After damage, members that fail before giving a byte are taken for look-alike headers
    /// inside the damaged bytes and skipped without a second report.
    resynchronising: bool,
}

impl<R: BufRead> GzMembers<R> {
    /// Decodes the members of `reader`, which holds gzip data.
    pub fn new(reader: R) -> GzMembers<R> {
        GzMembers {
            decoder: Some(GzDecoder::new(Counted {
                inner: reader,
                consumed: 0,
            })),
            buffer: vec![0; BUFFER_BYTES],
            start: 0,
            end: 0,
            member_start: 0,
            member_bytes: 0,
            resynchronising: false,
        }
    }

    /// Starts the next member, after looking for its header when `after_damage`; `false` at
    /// the end of the compressed bytes.
    fn next_member(&mut self, after_damage: bool) -> io::Result<bool> {
        let Some(decoder) = self.decoder.take() else {
            return Ok(false);
        };
        let mut reader = decoder.into_inner();
        if after_damage {
            if reader.consumed == self.member_start {
                // The decoder took nothing: step past this member's own header.
                if !reader.fill_buf()?.is_empty() {
                    reader.consume(1);
                }
            }
            skip_to_member_start(&mut reader)?;
        }
        if reader.fill_buf()?.is_empty() {
            return Ok(false);
        }
        self.member_start = reader.consumed;
        self.member_bytes = 0;
        self.decoder = Some(GzDecoder::new(reader));
        Ok(true)
    }
}

/// A reader that counts the bytes consumed from it.
struct Counted<R> {
    inner: R,
    consumed: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.consumed += amount as u64;
        self.inner.consume(amount);
    }
}

/// Consumes bytes up to the next place that starts like a gzip member (or to the end).
fn skip_to_member_start(reader: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        if let Some(idx) = memchr::memmem::find(buffer, &MEMBER_START) {
            reader.consume(idx);
            return Ok(());
        }
        // A header straddling two buffers is lost; a buffered reader refills only once emptied,
        // and news archives hold one member per record, so the next one will do.
        let n = buffer.len();
        reader.consume(n);
    }
}

impl<R: BufRead> Read for GzMembers<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for GzMembers<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.start == self.end {
            let Some(decoder) = self.decoder.as_mut() else {
                return Ok(&[]);
            };
            match decoder.read(&mut self.buffer) {
                Ok(0) => {
                    // The member ended cleanly; another may follow.
                    if !self.next_member(false)? {
                        self.decoder = None;
                        return Ok(&[]);
                    }
                }
                Ok(n) => {
                    self.start = 0;
                    self.end = n;
                    self.member_bytes += n as u64;
                    self.resynchronising = false;
                }
                Err(error) => {
                    let inner = decoder.get_mut();
                    if inner.consumed == self.member_start && inner.fill_buf()?.is_empty() {
                        // No bytes at all where a member could start: the stream has ended.
                        self.decoder = None;
                        return Ok(&[]);
                    }
                    let gave_bytes = self.member_bytes > 0;
                    let silent = self.resynchronising && !gave_bytes;
                    self.resynchronising = true;
                    if !self.next_member(true)? {
                        self.decoder = None;
                    }
                    if !silent {
                        let damage = DamagedMember {
                            gave_bytes,
                            message: error.to_string(),
                        };
                        return Err(io::Error::new(io::ErrorKind::InvalidData, damage));
                    }
                }
            }
        }
        Ok(&self.buffer[self.start..self.end])
    }

    fn consume(&mut self, amount: usize) {
        self.start = (self.start + amount).min(self.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn member(text: &str) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    }

    fn read_all(bytes: &[u8]) -> (String, Vec<String>) {
        let mut members = GzMembers::new(bytes);
        let mut text = Vec::new();
        let mut errors = Vec::new();
        let mut buffer = [0u8; 7];
        loop {
            match members.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => text.extend_from_slice(&buffer[..n]),
                Err(error) => errors.push(error.to_string()),
            }
            assert!(errors.len() < 10, "the stream does not end: {errors:?}");
        }
        (String::from_utf8(text).unwrap(), errors)
    }

    #[test]
    fn members_read_one_after_another_as_one_stream() {
        let bytes = [member("one "), member("two "), member("three")].concat();
        assert_eq!(read_all(&bytes), ("one two three".to_string(), vec![]));
        assert_eq!(read_all(&[]), (String::new(), vec![]));
    }

    #[test]
    fn a_damaged_member_is_reported_once_and_the_next_members_are_read() {
        let mut damaged = member(&"the damaged member's words ".repeat(20));
        let middle = damaged.len() / 2;
        for byte in &mut damaged[middle - 3..middle + 3] {
            *byte ^= 0xa5;
        }
        let bytes = [member("one "), damaged, member("three "), member("four")].concat();
        let (text, errors) = read_all(&bytes);
        assert!(text.starts_with("one "), "{text}");
        assert!(text.ends_with("three four"), "{text}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("damaged gzip data"), "{errors:?}");
    }

    #[test]
    fn garbage_after_the_last_member_is_one_error() {
        let bytes = [member("one"), b"not gzip at all".to_vec()].concat();
        let (text, errors) = read_all(&bytes);
        assert_eq!(text, "one");
        assert_eq!(errors.len(), 1, "{errors:?}");
    }
}
