//! A small tag reader for the pages' tests, and the checks built on it: well-formed nesting,
//! nothing unsafe from the data, the shared layout, class lookup.
//!
//! It reads only what maud writes (attribute values always double-quoted, never a raw `<` or `>`
//! inside them); it is not an HTML parser.

/// Elements with no end tag in HTML.
pub const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub closing: bool,
    pub attributes: Vec<(String, String)>,
}

pub fn tags(html: &str) -> Vec<Tag> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').expect("every < is closed by >");
        let inside = &after[..close];
        rest = &after[close + 1..];
        if inside.starts_with('!') {
            continue;
        }
        let (closing, inside) = match inside.strip_prefix('/') {
            Some(inside) => (true, inside),
            None => (false, inside),
        };
        let name_end = inside
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inside.len());
        let name = inside[..name_end].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut attrs = inside[name_end..].trim_start();
        while !attrs.is_empty() && attrs != "/" {
            let key_end = attrs
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(attrs.len());
            let key = attrs[..key_end].to_ascii_lowercase();
            attrs = &attrs[key_end..];
            let mut value = String::new();
            if let Some(after_eq) = attrs.strip_prefix('=') {
                let after_quote = after_eq
                    .strip_prefix('"')
                    .expect("attribute values are double-quoted");
                let value_end = after_quote.find('"').expect("attribute value is closed");
                value = after_quote[..value_end].to_string();
                attrs = &after_quote[value_end + 1..];
            }
            attributes.push((key, value));
            attrs = attrs.trim_start();
        }
        found.push(Tag {
            name,
            closing,
            attributes,
        });
    }
    found
}

/// Every element is closed, in order.
pub fn assert_well_formed(html: &str) {
    let mut open: Vec<String> = Vec::new();
    for tag in tags(html) {
        if VOID_ELEMENTS.contains(&tag.name.as_str()) {
            assert!(!tag.closing, "void element closed: {}", tag.name);
            continue;
        }
        if tag.closing {
            let top = open.pop();
            assert_eq!(
                top.as_deref(),
                Some(tag.name.as_str()),
                "misnested in {html}"
            );
        } else {
            open.push(tag.name);
        }
    }
    assert!(open.is_empty(), "unclosed {open:?}");
    for name in ["span", "mark", "p", "a", "section", "svg"] {
        assert_eq!(
            html.matches(&format!("<{name} ")).count() + html.matches(&format!("<{name}>")).count(),
            html.matches(&format!("</{name}>")).count(),
            "<{name}> opened and closed unequally"
        );
    }
}

/// Nothing from the data became markup that runs, loads or styles anything.
pub fn assert_safe(html: &str) {
    for forbidden in [
        "<script",
        "<img",
        "<iframe",
        "<style",
        "<textarea",
        "<object",
        "<embed",
    ] {
        assert!(
            !html.to_ascii_lowercase().contains(forbidden),
            "{forbidden} in page"
        );
    }
    for tag in tags(html) {
        assert!(
            !["script", "style", "img", "iframe", "object", "embed", "textarea", "base"]
                .contains(&tag.name.as_str()),
            "<{}> in page",
            tag.name
        );
        for (key, value) in &tag.attributes {
            assert!(
                !key.starts_with("on"),
                "event handler {key} on <{}>",
                tag.name
            );
            assert_ne!(key, "style", "inline style on <{}>", tag.name);
            assert!(
                key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "odd attribute name {key:?}"
            );
            if ["href", "src", "action", "xlink:href", "formaction"].contains(&key.as_str()) {
                let lower = value.trim().to_ascii_lowercase();
                assert!(
                    lower.starts_with('/')
                        || lower.starts_with("http://")
                        || lower.starts_with("https://")
                        || lower.starts_with('#'),
                    "unsafe {key}={value:?}"
                );
            }
        }
    }
}

/// The layout every page shares.
pub fn assert_document(html: &str) {
    assert!(
        html.starts_with("<!DOCTYPE html><html lang=\"en\">"),
        "{html:.80}"
    );
    assert!(html.contains("<title>"));
    assert!(html.contains(r#"<link rel="stylesheet" href="/assets/app.css">"#));
    assert!(html.contains(r#"<form class="search" method="get" action="/""#));
    assert!(html.contains(r#"name="q""#));
    assert!(html.contains(r#"<label class="visually-hidden" for="search-q">"#));
    assert!(html.contains(r#"<a class="site-name" href="/">newslens</a>"#));
    assert_well_formed(html);
    assert_safe(html);
}

pub fn has_class(html: &str, element: &str, class: &str) -> bool {
    tags(html).iter().any(|tag| {
        !tag.closing
            && tag.name == element
            && tag.attributes.iter().any(|(key, value)| {
                key == "class" && value.split_whitespace().any(|token| token == class)
            })
    })
}
