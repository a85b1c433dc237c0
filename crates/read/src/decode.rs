//! Bytes to a Rust string: byte-order marks, UTF-8, UTF-16, a declared HTML charset, and
//! Windows-1252 as the last resort; binary and empty inputs are refused.
//!
//! Decoding never fails on text: invalid UTF-8 is read as Windows-1252 (what mislabelled news pages
//! almost always are) and says so in a warning. It does not normalise the text; see `normalize`.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use crate::error::ErrorKind;

/// A decoded input and what the reader should be told about it.
#[derive(Debug)]
pub struct Decoded<'b> {
    /// The text.
    pub text: Cow<'b, str>,
    /// A warning, when the bytes were not what they claimed to be.
    pub warning: Option<String>,
}

/// Bytes looked at to tell text from binary.
const SNIFF_BYTES: usize = 8192;

/// Decodes `bytes` as text. `declared` is a charset label the input declared (an HTML `<meta
/// charset>`), used when the bytes are not valid UTF-8.
pub fn decode<'b>(bytes: &'b [u8], declared: Option<&str>) -> Result<Decoded<'b>, ErrorKind> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, _) = encoding.decode_without_bom_handling(body);
        return finish(text, None);
    }
    if looks_binary(bytes) {
        return Err(ErrorKind::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => finish(Cow::Borrowed(text), None),
        Err(_) => {
            let encoding = declared
                .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
                .filter(|encoding| {
                    *encoding != UTF_8 && *encoding != UTF_16LE && *encoding != UTF_16BE
                });
            match encoding {
                Some(encoding) => finish(encoding.decode_without_bom_handling(bytes).0, None),
                None => {
                    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                    finish(
                        text,
                        Some("invalid UTF-8, decoded as Windows-1252".to_string()),
                    )
                }
            }
        }
    }
}

/// A body as the page's HTTP headers describe it: when `content_type` names a charset other than
/// UTF-8 and the bytes are neither UTF-8 nor marked by a BOM, they are transcoded to UTF-8 with a
/// BOM in front, so [`decode`] reads them as the header said. The header outranks a `<meta
/// charset>` (the HTML standard's order: BOM, HTTP header, meta); every other body is returned as
/// it came. Used for pages fetched from the web and for the responses of web archives alike, so
/// both read the same text.
pub fn with_http_charset(bytes: Vec<u8>, content_type: Option<&str>) -> Vec<u8> {
    let Some(label) = content_type.and_then(charset_parameter) else {
        return bytes;
    };
    let Some(encoding) = Encoding::for_label(label.as_bytes()) else {
        return bytes;
    };
    if encoding == UTF_8
        || Encoding::for_bom(&bytes).is_some()
        || std::str::from_utf8(&bytes).is_ok()
        || looks_binary(&bytes)
    {
        return bytes;
    }
    let (text, _) = encoding.decode_without_bom_handling(&bytes);
    let mut out = Vec::with_capacity(text.len() + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    out.extend_from_slice(text.as_bytes());
    out
}

/// The `charset` parameter of a `Content-Type` value.
fn charset_parameter(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_ascii_lowercase())
    })
}

fn finish(text: Cow<'_, str>, warning: Option<String>) -> Result<Decoded<'_>, ErrorKind> {
    if text.trim().is_empty() {
        return Err(ErrorKind::Empty);
    }
    Ok(Decoded { text, warning })
}

/// Whether the first bytes look like a binary file: any NUL byte, or more than one control byte in
/// ten (text has tabs and line breaks, not the rest of C0).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let n_control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    n_control * 10 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through_borrowed() {
        let decoded = decode("Iran’s".as_bytes(), None).unwrap();
        assert!(matches!(decoded.text, Cow::Borrowed("Iran’s")));
        assert!(decoded.warning.is_none());
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252_with_a_warning() {
        let decoded = decode(b"Iran\x92s \x93move\x94", None).unwrap();
        assert_eq!(decoded.text, "Iran’s “move”");
        assert!(decoded.warning.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn declared_charset_is_used_for_non_utf8_bytes() {
        let decoded = decode(b"caf\xe9", Some("iso-8859-1")).unwrap();
        assert_eq!(decoded.text, "café");
        assert!(decoded.warning.is_none());
    }

    #[test]
    fn an_http_charset_outranks_the_windows_1252_guess() {
        let body = with_http_charset(b"M\xfcller".to_vec(), Some("text/html; charset=ISO-8859-2"));
        assert_eq!(decode(&body, Some("windows-1252")).unwrap().text, "Müller");
        let utf8 = "Müller".as_bytes().to_vec();
        assert_eq!(
            with_http_charset(utf8.clone(), Some("text/html; charset=iso-8859-1")),
            utf8
        );
        assert_eq!(
            with_http_charset(b"a\xe9".to_vec(), Some("text/html")),
            b"a\xe9"
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Hello".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes, None).unwrap().text, "Hello");
    }

    #[test]
    fn nul_bytes_and_control_noise_are_binary() {
        assert_eq!(
            decode(b"\x7fELF\x02\x01\x01\x00\x00", None).unwrap_err(),
            ErrorKind::Binary
        );
        assert_eq!(
            decode(&[1, 2, 3, 4, 5, 6, 7, 8, 65], None).unwrap_err(),
            ErrorKind::Binary
        );
    }

    #[test]
    fn blank_input_is_empty() {
        assert_eq!(decode(b"  \n\t ", None).unwrap_err(), ErrorKind::Empty);
        assert_eq!(decode(b"", None).unwrap_err(), ErrorKind::Empty);
    }
}
