//! Bytes to a Rust string: byte-order marks, UTF-8, UTF-16, a declared HTML charset, and
//! Windows-1252 as the last resort; binary and empty inputs are refused.
//!
//! Decoding never fails on text. Invalid UTF-8 is read as Windows-1252 (what mislabelled news pages
//! almost always are) and says so in a warning — unless the bytes are overwhelmingly UTF-8 with a
//! few damaged sequences (a truncated copy, one stray byte pasted in), which are then replaced by
//! U+FFFD, also with a warning: reading a whole UTF-8 article as Windows-1252 for one bad byte
//! would turn every “ into â€œ and lose its quotes. It does not normalise the text; see
//! `normalize`.

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
                None => match damaged_utf8(bytes) {
                    Some(n_invalid) => finish(
                        String::from_utf8_lossy(bytes),
                        Some(format!(
                            "{n_invalid} invalid UTF-8 sequence{} replaced with U+FFFD",
                            if n_invalid == 1 { "" } else { "s" }
                        )),
                    ),
                    None => {
                        let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                        finish(
                            text,
                            Some("invalid UTF-8, decoded as Windows-1252".to_string()),
                        )
                    }
                },
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

/// Valid multi-byte characters needed for each invalid sequence before bytes count as damaged
/// UTF-8 rather than another encoding. Text in Windows-1252 or Latin-1 almost never forms a valid
/// UTF-8 sequence (an accented capital followed at once by a symbol byte), while each of its curly
/// quotes and accented small letters is an invalid one; UTF-8 news text has a curly quote, a dash
/// or an accent every few sentences.
const VALID_PER_INVALID: usize = 4;

/// The number of invalid sequences when `bytes` (which are not valid UTF-8) are UTF-8 with a few
/// damaged sequences: at least [`VALID_PER_INVALID`] valid multi-byte characters for each invalid
/// sequence. `None` when they look like another encoding.
fn damaged_utf8(bytes: &[u8]) -> Option<usize> {
    let mut n_invalid = 0usize;
    let mut n_multibyte = 0usize;
    for chunk in bytes.utf8_chunks() {
        // A multi-byte character has exactly one lead byte (0b11xx_xxxx).
        n_multibyte += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        if !chunk.invalid().is_empty() {
            n_invalid += 1;
        }
    }
    (n_invalid > 0 && n_multibyte >= n_invalid.saturating_mul(VALID_PER_INVALID))
        .then_some(n_invalid)
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
    fn one_bad_byte_in_a_utf8_article_is_replaced_not_read_as_windows_1252() {
        let mut bytes = "“We will not close the library,” said Ruth Okafor. “Not this year.” The council’s vote — its third — was final.".as_bytes().to_vec();
        bytes.extend_from_slice(b" Caf\xe9 owners");
        let decoded = decode(&bytes, None).unwrap();
        assert!(decoded.text.starts_with("“We will not close the library,”"));
        assert!(decoded
            .text
            .ends_with("council’s vote — its third — was final. Caf\u{fffd} owners"));
        assert_eq!(
            decoded.warning.as_deref(),
            Some("1 invalid UTF-8 sequence replaced with U+FFFD")
        );
    }

    #[test]
    fn a_few_utf8_characters_among_many_windows_1252_ones_stay_windows_1252() {
        // One valid UTF-8 pair ("Ã©" in Windows-1252 reads as é in UTF-8) is not enough against
        // three curly quotes that are invalid UTF-8.
        let decoded = decode(b"\x93Caf\xc3\xa9\x94 and \x93bar\x94", None).unwrap();
        assert_eq!(decoded.text, "“CafÃ©” and “bar”");
        assert!(decoded.warning.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn a_declared_charset_still_wins_over_damaged_utf8() {
        let mut bytes = "é".repeat(8).into_bytes();
        bytes.push(0xff);
        let decoded = decode(&bytes, Some("iso-8859-1")).unwrap();
        assert!(decoded.text.starts_with("Ã©"));
        assert!(decoded.warning.is_none());
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
