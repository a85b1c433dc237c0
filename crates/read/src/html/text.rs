//! Markup to text: block elements become paragraphs separated by blank lines, `<br>` a line break,
//! inline elements run together with their spaces as HTML renders them.
//!
//! A `<blockquote>` becomes one paragraph, so an embedded post keeps its text and signature
//! together. Scripts, styles and forms are skipped, and markup that reached a text node as
//! characters (a `<noscript>` read as raw text: `<img src=…>`, `<iframe …></iframe>`) is taken out
//! by [`without_markup`]. It does not decide what the main text is: that is the extractor's job
//! before this.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node};

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "pre",
    "figure",
    "figcaption",
    "blockquote",
    "hr",
    "body",
    "address",
    "details",
    "summary",
    "center",
];

/// Elements whose content is never text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "form", "button", "select", "textarea",
    "iframe", "head",
];

/// The visible text of an HTML fragment, paragraphs separated by blank lines.
///
/// ```
/// let text = newslens_read::html::fragment_text("<h1>Title</h1><p>One <b>bold</b>\nline.<br>Next</p><script>x()</script>");
/// assert_eq!(text, "Title\n\nOne bold line.\nNext");
/// ```
pub fn fragment_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut writer = TextWriter::default();
    writer.walk(fragment.root_element(), 0);
    writer.out
}

#[derive(Default)]
struct TextWriter {
    out: String,
    /// A paragraph break is owed before the next text.
    pending_break: bool,
    /// A line break is owed before the next text.
    pending_newline: bool,
    /// A space is owed before the next text.
    pending_space: bool,
    /// Inside a blockquote: blocks join with a space.
    quote_depth: usize,
}

impl TextWriter {
    fn walk(&mut self, element: ElementRef<'_>, depth: usize) {
        if depth > 256 {
            return; // pathological nesting: stop rather than overflow the stack
        }
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.push_text(text),
                Node::Element(el) => {
                    let name = el.name();
                    if SKIPPED.contains(&name) {
                        continue;
                    }
                    let Some(child_element) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if name == "br" {
                        self.pending_newline = true;
                        continue;
                    }
                    let is_block = BLOCKS.contains(&name);
                    if is_block {
                        self.block_edge();
                    }
                    if name == "blockquote" {
                        self.quote_depth += 1;
                    }
                    if matches!(name, "td" | "th") {
                        self.pending_space = true;
                    }
                    self.walk(child_element, depth + 1);
                    if name == "blockquote" {
                        self.quote_depth -= 1;
                    }
                    if is_block {
                        self.block_edge();
                    }
                }
                _ => {}
            }
        }
    }

    fn block_edge(&mut self) {
        if self.quote_depth > 0 {
            self.pending_space = true;
        } else {
            self.pending_break = true;
        }
    }

    fn push_text(&mut self, text: &str) {
        for (word_idx, word) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
            if word_idx > 0 {
                self.pending_space = true;
            }
            if word.is_empty() {
                continue;
            }
            if !self.out.is_empty() {
                if self.pending_break {
                    self.out.push_str("\n\n");
                } else if self.pending_newline {
                    self.out.push('\n');
                } else if self.pending_space {
                    self.out.push(' ');
                }
            }
            self.pending_break = false;
            self.pending_newline = false;
            self.pending_space = false;
            self.out.push_str(word);
        }
    }
}

/// `text` with every HTML tag, comment and `<script>`/`<style>` body written out as characters
/// replaced by a space: the parser reads a `<noscript>` as raw text, and an extractor that falls
/// back to a page's text hands those characters on. Only real element names count as tags, so
/// "a < b" and "<3" stay.
///
/// ```
/// let text = newslens_read::html::without_markup(r#"Pier <img src="p.gif" width="1"> reopens<iframe src="x"></iframe>"#);
/// assert_eq!(text, "Pier   reopens  ");
/// ```
pub fn without_markup(text: &str) -> std::borrow::Cow<'_, str> {
    static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?is)<!--.*?-->",
            r"|<(?:script|style)\b[^>]*>.*?</(?:script|style)\s*>",
            r"|</?(?:a|abbr|address|article|aside|audio|b|blockquote|body|br|button|canvas|center",
            r"|code|dd|div|dl|dt|em|embed|figcaption|figure|font|footer|form|h[1-6]|head|header",
            r"|hr|html|i|iframe|img|input|ins|label|li|link|main|meta|nav|noscript|object|ol",
            r"|option|p|param|picture|pre|script|section|select|small|source|span|strong|style",
            r"|sub|sup|svg|table|tbody|td|textarea|th|thead|time|tr|track|u|ul|video)",
            r#"(?:\s+[^<>]*)?/?>"#,
        ))
        .expect("the markup pattern is valid")
    });
    MARKUP.replace_all(text, " ")
}

#[cfg(test)]
mod tests {
    use super::{fragment_text, without_markup};

    #[test]
    fn tags_written_out_as_characters_are_taken_out() {
        let noscript_text = r#"<img height="1" width="1" style="display:none" src="https://t.example/px?id=1&amp;ev=view"> <iframe src="https://t.example/ns.html" height="0" width="0"></iframe> Pier reopens"#;
        assert_eq!(without_markup(noscript_text).trim(), "Pier reopens");
        assert_eq!(
            without_markup("<!-- tag --><script>var a = '<p>';</script>Text<br/>").trim(),
            "Text"
        );
    }

    #[test]
    fn angle_brackets_in_prose_are_not_markup() {
        for prose in ["a < b and c > d", "I <3 piers", "x<y", "the <pier> club"] {
            assert_eq!(without_markup(prose), prose);
        }
    }

    #[test]
    fn paragraphs_and_list_items_are_separated_by_blank_lines() {
        assert_eq!(
            fragment_text("<p>One.</p><ul><li>Two</li><li>Three</li></ul>"),
            "One.\n\nTwo\n\nThree"
        );
    }

    #[test]
    fn blockquote_is_one_paragraph() {
        assert_eq!(
            fragment_text("<blockquote><p>Books.</p>— Lib (@Lib) March 5, 2024</blockquote>"),
            "Books. — Lib (@Lib) March 5, 2024"
        );
    }

    #[test]
    fn inline_elements_keep_their_spacing() {
        assert_eq!(fragment_text("<p>a<b>b</b> <i>c</i></p>"), "ab c");
    }
}
