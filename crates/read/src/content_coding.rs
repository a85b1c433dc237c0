//! HTTP content codings undone: `gzip`, `deflate` and `br` (brotli), as a server sent them.
//!
//! Shared by the fetcher (which asks for compressed bodies and archives them as received) and
//! the WARC reader (which reads those archives back), so both decode alike. Decoding stops at a
//! size limit, so a small compressed body cannot grow into gigabytes. It does not know charsets
//! (see [`crate::decode`]) or chunked transfer coding (the WARC reader undoes that first).

use std::io::Read;

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentCodingError {
    /// Decoded, it would be larger than the limit (in bytes).
    TooLarge(u64),
    /// A coding newslens does not know (`compress`, `zstd`…).
    Unknown(String),
    /// The bytes are not valid for their coding.
    Damaged(String),
}

impl std::fmt::Display for ContentCodingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContentCodingError::TooLarge(limit) => {
                write!(f, "body over the limit of {limit} bytes once decoded")
            }
            ContentCodingError::Unknown(coding) => write!(f, "unknown Content-Encoding {coding:?}"),
            ContentCodingError::Damaged(message) => write!(f, "damaged compressed body: {message}"),
        }
    }
}

impl std::error::Error for ContentCodingError {}

/// `body` with the codings of a `Content-Encoding` header value undone (the last one applied is
/// undone first), at most `limit` bytes. No header, `identity` or an empty value leave it as it is.
///
/// ```
/// use newslens_read::content_coding::decode_content;
/// assert_eq!(decode_content(None, b"<p>Hi</p>".to_vec(), 100).unwrap(), b"<p>Hi</p>");
/// assert!(decode_content(Some("zstd"), b"x".to_vec(), 100).is_err());
/// ```
pub fn decode_content(
    content_encoding: Option<&str>,
    body: Vec<u8>,
    limit: u64,
) -> Result<Vec<u8>, ContentCodingError> {
    let Some(value) = content_encoding else {
        return Ok(body);
    };
    let codings: Vec<String> = value
        .split(',')
        .map(|coding| coding.trim().to_ascii_lowercase())
        .filter(|coding| !coding.is_empty() && coding != "identity")
        .collect();
    let mut body = body;
    for coding in codings.iter().rev() {
        body = match coding.as_str() {
            "gzip" | "x-gzip" => read_limited(flate2::read::MultiGzDecoder::new(&body[..]), limit)?,
            // RFC 9110's deflate is zlib-wrapped; some servers send it raw.
            "deflate" => read_limited(flate2::read::ZlibDecoder::new(&body[..]), limit)
                .or_else(|_| read_limited(flate2::read::DeflateDecoder::new(&body[..]), limit))?,
            "br" => read_limited(
                brotli_decompressor::Decompressor::new(&body[..], 4096),
                limit,
            )?,
            other => return Err(ContentCodingError::Unknown(other.to_string())),
        };
    }
    Ok(body)
}

/// Whether a `Content-Encoding` value says the body is compressed.
pub fn is_encoded(content_encoding: Option<&str>) -> bool {
    content_encoding.is_some_and(|value| {
        value.split(',').any(|coding| {
            !coding.trim().is_empty() && !coding.trim().eq_ignore_ascii_case("identity")
        })
    })
}

fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ContentCodingError> {
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|error| ContentCodingError::Damaged(error.to_string()))?;
    if out.len() as u64 > limit {
        return Err(ContentCodingError::TooLarge(limit));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_and_deflate_are_undone_and_identity_is_left_alone() {
        let page = b"<p>The ferry runs again.</p>".to_vec();
        assert_eq!(
            decode_content(Some("gzip"), gzip(&page), 1000).unwrap(),
            page
        );
        assert_eq!(
            decode_content(Some("identity"), page.clone(), 1000).unwrap(),
            page
        );
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        zlib.write_all(&page).unwrap();
        assert_eq!(
            decode_content(Some("deflate"), zlib.finish().unwrap(), 1000).unwrap(),
            page
        );
    }

    #[test]
    fn brotli_is_undone() {
        // "hello" as a brotli stream written by hand: the window size, an uncompressed
        // metablock of 5 bytes, then the last, empty metablock.
        let encoded = [0x0b, 0x02, 0x80, b'h', b'e', b'l', b'l', b'o', 0x03];
        assert_eq!(
            decode_content(Some("br"), encoded.to_vec(), 100).unwrap(),
            b"hello"
        );
    }

    #[test]
    fn a_body_that_grows_past_the_limit_is_refused() {
        let bomb = gzip(&vec![b'a'; 100_000]);
        assert_eq!(
            decode_content(Some("gzip"), bomb, 1000),
            Err(ContentCodingError::TooLarge(1000))
        );
    }

    #[test]
    fn unknown_and_damaged_codings_are_errors() {
        assert!(matches!(
            decode_content(Some("compress"), b"x".to_vec(), 10),
            Err(ContentCodingError::Unknown(_))
        ));
        assert!(matches!(
            decode_content(Some("gzip"), b"not gzip".to_vec(), 10),
            Err(ContentCodingError::Damaged(_))
        ));
    }
}
