//! A page's shape checked before it is parsed: how deep its tags nest and how many attributes one
//! tag carries.
//!
//! The HTML parser (html5ever, inside `scraper` and `trafilatura`) walks its stack of open
//! elements for many tags and compares each new attribute with the tag's earlier ones, so a page of
//! 40,000 nested `<div>`s cost 7 s and one tag with 100,000 attributes 12 s — within the size limit
//! and from a single request. No news page comes near the limits here (browsers stop nesting the
//! DOM at a few hundred levels), so a page past them is refused with a clear error before any
//! parsing. The scan is one pass over the bytes; it reads no text and builds no tree.

/// Deepest nesting of elements read (as deep as Chromium's parser nests): the parser's stack walks
/// then cost a page no more than its size warrants.
pub const MAX_DEPTH: usize = 512;
/// Most attributes on one tag.
pub const MAX_ATTRIBUTES: usize = 1_000;

/// Why a page's shape is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// Elements nest deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A tag carries more than [`MAX_ATTRIBUTES`] attributes.
    TooManyAttributes,
}

impl std::fmt::Display for ShapeError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShapeError::TooDeep => write!(
                formatter,
                "tags nest more than {MAX_DEPTH} deep; newslens reads pages nested less deeply"
            ),
            ShapeError::TooManyAttributes => write!(
                formatter,
                "a tag has more than {MAX_ATTRIBUTES} attributes; newslens reads pages with fewer"
            ),
        }
    }
}

/// Elements that never hold others (no end tag) or whose end tag is often left out: they do not
/// deepen the nesting, so old pages full of unclosed `<p>` and `<li>` are not counted as deep.
const FLAT_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body",
];

/// Elements whose content is raw text, where `<` starts no tag.
const RAW_TEXT_ELEMENTS: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// Checks the page's nesting depth and attribute counts.
pub fn check(html: &str) -> Result<(), ShapeError> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut at = 0usize;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let open = at + found;
        match bytes.get(open + 1) {
            Some(b'!') => at = skip_declaration(bytes, open),
            Some(b'/') => {
                depth = depth.saturating_sub(1);
                at = end_of_tag(bytes, open + 2).0;
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = open
                    + 1
                    + bytes[open + 1..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                        .count();
                let name = html[open + 1..name_end].to_ascii_lowercase();
                let (tag_end, n_attributes, self_closing) = end_of_tag(bytes, name_end);
                if n_attributes > MAX_ATTRIBUTES {
                    return Err(ShapeError::TooManyAttributes);
                }
                at = tag_end;
                if RAW_TEXT_ELEMENTS.contains(&name.as_str()) && !self_closing {
                    at = skip_raw_text(bytes, at, &name);
                } else if !self_closing && !FLAT_ELEMENTS.contains(&name.as_str()) {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(ShapeError::TooDeep);
                    }
                }
            }
            _ => at = open + 1,
        }
    }
    Ok(())
}

/// Past the `>` that ends a tag whose name ends at `from`; with the number of attributes it
/// holds and whether it closes itself (`/>`). Read as the HTML tokenizer reads a tag: a quote
/// opens a quoted value only right after `=`, so a stray quote in broken markup is part of a name.
fn end_of_tag(bytes: &[u8], from: usize) -> (usize, usize, bool) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Quoted(u8),
        Unquoted,
    }
    let mut state = State::BeforeName;
    let mut n_attributes = 0;
    let mut previous = 0u8;
    for (offset, &byte) in bytes[from.min(bytes.len())..].iter().enumerate() {
        let space = matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
        state = match (state, byte) {
            (State::Quoted(closing), _) if byte == closing => State::BeforeName,
            (State::Quoted(closing), _) => State::Quoted(closing),
            (_, b'>') => return (from + offset + 1, n_attributes, previous == b'/'),
            (State::BeforeValue, b'"' | b'\'') => State::Quoted(byte),
            (State::BeforeValue, _) if space => State::BeforeValue,
            (State::BeforeValue, _) => State::Unquoted,
            (State::Name | State::AfterName, b'=') => State::BeforeValue,
            (State::Name | State::AfterName, _) if space => State::AfterName,
            (_, _) if space => State::BeforeName,
            (State::Unquoted, _) => State::Unquoted,
            (_, b'/') => State::BeforeName,
            (State::BeforeName | State::AfterName, _) => {
                n_attributes += 1;
                State::Name
            }
            (State::Name, _) => State::Name,
        };
        if !space {
            previous = byte;
        }
    }
    (bytes.len(), n_attributes, false)
}

/// Past a comment (`<!-- … -->`) or a declaration (`<!DOCTYPE …>`) starting at `open`.
fn skip_declaration(bytes: &[u8], open: usize) -> usize {
    if bytes[open..].starts_with(b"<!--") {
        return memchr::memmem::find(&bytes[open + 4..], b"-->")
            .map_or(bytes.len(), |found| open + 4 + found + 3);
    }
    memchr::memchr(b'>', &bytes[open..]).map_or(bytes.len(), |found| open + found + 1)
}

/// Past the end tag of a raw-text element (`</script>`), matched without regard to case.
fn skip_raw_text(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(found) = memchr::memmem::find(&bytes[at..], b"</") {
        let tag = at + found + 2;
        let matches = bytes
            .get(tag..tag + name.len())
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes()));
        if matches {
            return end_of_tag(bytes, tag + name.len()).0;
        }
        at = tag;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ordinary_page_passes() {
        let page = "<!DOCTYPE html><html><head><title>a < b</title><script>if (a<b) { x = '<div>'; }</script></head>\
                    <body><div class=\"main\" id=x data-a='1>2'><p>One.<p>Two.<br/><img src=a.png>\
                    <ul><li>a<li>b</ul><!-- <div><div> --></div></body></html>";
        assert_eq!(check(page), Ok(()));
    }

    #[test]
    fn tags_nested_past_the_limit_are_refused() {
        let deep = format!(
            "<body>{}text{}</body>",
            "<div>".repeat(MAX_DEPTH + 1),
            "</div>".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(check(&deep), Err(ShapeError::TooDeep));
        let fine = format!(
            "<body>{}text{}</body>",
            "<div>".repeat(MAX_DEPTH),
            "</div>".repeat(MAX_DEPTH)
        );
        assert_eq!(check(&fine), Ok(()));
    }

    #[test]
    fn unclosed_paragraphs_and_list_items_are_not_depth() {
        let old_page = format!(
            "<body>{}</body>",
            "<p>A paragraph left open.\n<li>item\n".repeat(10_000)
        );
        assert_eq!(check(&old_page), Ok(()));
    }

    #[test]
    fn stray_quotes_in_broken_markup_do_not_swallow_the_page() {
        // A stray `" "` (seen on a real page) is part of a name, not the start of a value.
        let page = format!(
            "<script src=\"a.js\" \" type=\"text/javascript\"></script>{}<meta name=“x” content=“y\" />",
            "<p>Words, words.</p>".repeat(3_000)
        );
        assert_eq!(check(&page), Ok(()));
        let (_, n_attributes, _) = end_of_tag(b" a = 1 b c=\"x\">", 0);
        assert_eq!(n_attributes, 3);
    }

    #[test]
    fn a_tag_with_too_many_attributes_is_refused() {
        let attributes: Vec<String> = (0..=MAX_ATTRIBUTES)
            .map(|idx| format!("a{idx}=\"x\""))
            .collect();
        let flood = format!("<p {}>Text</p>", attributes.join(" "));
        assert_eq!(check(&flood), Err(ShapeError::TooManyAttributes));
        let bare: Vec<String> = (0..MAX_ATTRIBUTES).map(|idx| format!("b{idx}")).collect();
        assert_eq!(check(&format!("<p {}>Text</p>", bare.join(" "))), Ok(()));
    }
}
