//! Social-media posts pasted into article text, the way embeds read once the markup is gone:
//! "… https://t.co/… — Name (@handle) January 3, 2020", or Instagram's "A post shared by Name
//! (@handle) on Mar 5, 2024".
//!
//! The post runs from the start of its paragraph to the end of its date. Posts found as markup by
//! a reader come in on the [`crate::Document`] and are merged with these. It does not attribute
//! the post's words as a quote: that is the quotes layer's job.

use std::sync::LazyLock;

use regex::Regex;

use crate::article::Post;
use crate::dates::parse_date_phrase;
use crate::offsets::Span;

/// A post found in the text, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedPost {
    /// The author's display name as written.
    pub author: Option<String>,
    /// The handle with its `@`.
    pub handle: String,
    /// ISO date.
    pub date: Option<String>,
    /// The post's link, when the text carries one.
    pub url: Option<String>,
    /// Byte span of the whole post.
    pub span: Span,
}

static TWEET_SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?:^|\s)[—–-]{1,2}\s*
        (?P<name>[^\n()—–]{0,80}?)\s*
        \(@(?P<handle>[A-Za-z0-9_]{1,15})\)\s*
        (?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4})",
    )
    .expect("the tweet signature pattern is valid")
});

static INSTAGRAM_SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        A\ post\ shared\ by\s+(?P<name>[^\n()]{0,80}?)\s*
        \(@(?P<handle>[A-Za-z0-9_.]{1,30})\)\s*
        (?:on\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}))?",
    )
    .expect("the instagram signature pattern is valid")
});

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:https?://\S+|pic\.twitter\.com/\S+)").expect("the link pattern is valid")
});

/// Posts pasted into `text`, one at most per signature, each spanning from its paragraph's start.
///
/// ```
/// use newslens_core::posts::find_pasted_posts;
/// use newslens_core::segment::paragraphs;
/// let text = "Intro.\n\nBooks matter https://t.co/Ab12 — Elm Library (@ElmLib) March 5, 2024";
/// let posts = find_pasted_posts(text, &paragraphs(text));
/// assert_eq!(posts[0].handle, "@ElmLib");
/// assert_eq!(posts[0].date.as_deref(), Some("2024-03-05"));
/// ```
pub fn find_pasted_posts(text: &str, paragraphs: &[Span]) -> Vec<PastedPost> {
    // Cheap gate: no "(@" means no signature, and most articles have none.
    if memchr::memmem::find(text.as_bytes(), b"(@").is_none() {
        return Vec::new();
    }
    let mut posts = Vec::new();
    for paragraph in paragraphs {
        let body = &text[paragraph.start..paragraph.end];
        if memchr::memmem::find(body.as_bytes(), b"(@").is_none() {
            continue;
        }
        let mut post_start = 0;
        for caps in TWEET_SIGNATURE.captures_iter(body) {
            let (Some(whole), Some(handle)) = (caps.get(0), caps.name("handle")) else {
                continue;
            };
            let before = &body[post_start..whole.start()];
            let url = LINK
                .find_iter(before)
                .last()
                .map(|link| link.as_str().to_string());
            posts.push(PastedPost {
                author: caps
                    .name("name")
                    .map(|n| n.as_str().trim().to_string())
                    .filter(|n| !n.is_empty()),
                handle: format!("@{}", handle.as_str()),
                date: caps
                    .name("date")
                    .and_then(|d| parse_date_phrase(d.as_str())),
                url,
                span: Span::new(paragraph.start + post_start, paragraph.start + whole.end()),
            });
            post_start = whole.end();
        }
        for caps in INSTAGRAM_SIGNATURE.captures_iter(body) {
            let (Some(whole), Some(handle)) = (caps.get(0), caps.name("handle")) else {
                continue;
            };
            posts.push(PastedPost {
                author: caps
                    .name("name")
                    .map(|n| n.as_str().trim().to_string())
                    .filter(|n| !n.is_empty()),
                handle: format!("@{}", handle.as_str()),
                date: caps
                    .name("date")
                    .and_then(|d| parse_date_phrase(d.as_str())),
                url: None,
                span: Span::new(paragraph.start, paragraph.start + whole.end()),
            });
        }
    }
    posts
}

/// Merges posts found in text with posts a reader found as markup (both in character offsets),
/// dropping a text post that overlaps a markup post, and sorts them by position.
pub fn merge_posts(mut from_markup: Vec<Post>, from_text: Vec<Post>) -> Vec<Post> {
    for post in from_text {
        let overlaps = from_markup
            .iter()
            .any(|known| post.start < known.end && known.start < post.end);
        if !overlaps {
            from_markup.push(post);
        }
    }
    from_markup.sort_by_key(|post| (post.start, post.end));
    from_markup
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::paragraphs;

    fn find(text: &str) -> Vec<PastedPost> {
        find_pasted_posts(text, &paragraphs(text))
    }

    #[test]
    fn pasted_tweet_with_link_name_handle_and_date() {
        let text = "Lead paragraph.\n\nThe vote was a disgrace #SaveOurLibrary https://t.co/Xy9Z — Ruth Okafor (@RuthOkafor) February 12, 2024\n\nMore.";
        let posts = find(text);
        assert_eq!(posts.len(), 1);
        let post = &posts[0];
        assert_eq!(post.author.as_deref(), Some("Ruth Okafor"));
        assert_eq!(post.handle, "@RuthOkafor");
        assert_eq!(post.date.as_deref(), Some("2024-02-12"));
        assert_eq!(post.url.as_deref(), Some("https://t.co/Xy9Z"));
        assert!(text[post.span.start..post.span.end].starts_with("The vote"));
        assert!(text[post.span.start..post.span.end].ends_with("2024"));
    }

    #[test]
    fn author_names_in_any_script_are_kept() {
        let posts = find("Texte https://t.co/a — مجيد (@Someone) January 3, 2020");
        assert_eq!(posts[0].author.as_deref(), Some("مجيد"));
    }

    #[test]
    fn instagram_signature() {
        let posts = find("Sunset over the bay. A post shared by Dana Reyes (@dana.reyes) on Mar 5, 2024 at 3:12pm PST");
        assert_eq!(posts[0].handle, "@dana.reyes");
        assert_eq!(posts[0].date.as_deref(), Some("2024-03-05"));
    }

    #[test]
    fn a_handle_in_prose_is_not_a_post() {
        assert!(find("Follow the council (@RiversideCouncil) for updates.").is_empty());
    }
}
