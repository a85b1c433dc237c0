//! The front page: corpus counts, the search results when there is a query, and the stories with
//! the most coverage, paged.
//!
//! The route handler runs the search and lists the stories; this module only shows them.

use maud::{html, Markup};
use newslens_store::compare::outlet_name;

use newslens_store::{CorpusCounts, SearchHit, StorySummary};

use crate::pages::layout::{
    article_path, display_date, entity_path, layout, percent_encode, plural, story_path,
};

/// Entities shown per story.
const MAX_STORY_ENTITIES: usize = 6;

/// Where a page of stories starts and whether another follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// Stories skipped before this page.
    pub offset: usize,
    /// Stories per page.
    pub limit: usize,
    /// Whether there are stories after this page.
    pub has_more: bool,
}

/// The front page. `search` is the query and its hits, when the reader searched.
pub fn home(
    counts: &CorpusCounts,
    stories: &[StorySummary],
    page: &Paging,
    search: Option<(&str, &[SearchHit])>,
) -> Markup {
    let query = search.map(|(query, _)| query);
    let title = match query {
        Some(query) => format!("Search: {query}"),
        None => "Front page".to_string(),
    };
    let content = html! {
        section.counts aria-label="The corpus" {
            h1.tagline { "Who said what, about whom, when — and how each outlet told the story." }
            ul.count-list {
                li { strong { (counts.articles) } " articles" }
                li { strong { (counts.stories) } " stories" }
                li { strong { (counts.quotes) } " quotes" }
                li { strong { (counts.duplicates) } " near-copies" }
            }
        }
        @if let Some((query, hits)) = search {
            section.search-results aria-labelledby="search-heading" {
                h2 #search-heading { "Articles matching “" (query) "”" }
                @if hits.is_empty() {
                    p.empty { "No article matches. Try fewer words, or a name." }
                } @else {
                    ol.search-hits {
                        @for hit in hits {
                            li {
                                h3.hit-title { a href=(article_path(&hit.id)) { (hit.title.as_deref().unwrap_or("Untitled article")) } }
                                p.hit-meta {
                                    span.outlet { (hit.outlet.as_deref().unwrap_or("unknown outlet")) }
                                    @if let Some(published) = &hit.published {
                                        " · " time datetime=(published) { (display_date(published)) }
                                    }
                                    " · " a href=(story_path(&hit.story)) { "story" }
                                }
                                p.snippet { (marked_snippet(&hit.snippet)) }
                            }
                        }
                    }
                }
            }
        }
        section.top-stories aria-labelledby="stories-heading" {
            h2 #stories-heading { "Stories with the most coverage" }
            @if stories.is_empty() {
                p.empty { @if page.offset > 0 { "No more stories." } @else { "No stories yet: ingest some articles first." } }
            } @else {
                ol.stories start=(page.offset + 1) {
                    @for story in stories { (story_item(story)) }
                }
            }
            (paging(page, query))
        }
    };
    layout(&title, query, content)
}

fn story_item(story: &StorySummary) -> Markup {
    let n_articles = story
        .articles
        .iter()
        .filter(|article| article.duplicate_of.is_none())
        .count();
    // Counted as the story page shows them: near-copies left out, an article without an
    // outlet under its URL's host or "unknown outlet".
    let mut outlets: Vec<String> = story
        .articles
        .iter()
        .filter(|article| article.duplicate_of.is_none())
        .map(|article| outlet_name(article.outlet.as_deref(), article.url.as_deref()))
        .collect();
    outlets.sort_unstable();
    outlets.dedup();
    html! {
        li.story {
            h3.story-title { a href=(story_path(&story.id)) { (story.title.as_deref().unwrap_or("Untitled story")) } }
            p.story-facts {
                (plural(n_articles, "article", "articles")) " · "
                (plural(outlets.len(), "outlet", "outlets")) " · "
                (plural(story.quotes, "quote", "quotes"))
                @if let Some(first) = &story.first_seen {
                    " · " time datetime=(first) { (display_date(first)) }
                    @if let Some(last) = story.last_seen.as_ref().filter(|last| *last != first) {
                        " – " time datetime=(last) { (display_date(last)) }
                    }
                }
            }
            @if !story.entities.is_empty() {
                ul.chips aria-label="Top entities" {
                    @for entity in story.entities.iter().take(MAX_STORY_ENTITIES) {
                        li { a href=(entity_path(&entity.name)) { (entity.name) } }
                    }
                }
            }
        }
    }
}

fn paging(page: &Paging, query: Option<&str>) -> Markup {
    let href = |offset: usize| match query {
        Some(query) => format!("/?q={}&offset={offset}", percent_encode(query)),
        None => format!("/?offset={offset}"),
    };
    let has_previous = page.offset > 0;
    html! {
        @if has_previous || page.has_more {
            nav.paging aria-label="More stories" {
                @if has_previous {
                    a rel="prev" href=(href(page.offset.saturating_sub(page.limit))) { "← Newer" }
                }
                @if page.has_more {
                    a rel="next" href=(href(page.offset + page.limit.max(1))) { "Older →" }
                }
            }
        }
    }
}

/// A search snippet with its `[matches]` as `<mark>`: the pieces are spliced as text (so escaped)
/// and only the brackets become elements. A `[` inside a match or a `]` outside one is text; an
/// unclosed match ends with the snippet.
pub(crate) fn marked_snippet(snippet: &str) -> Markup {
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut in_match = false;
    let mut piece_start = 0;
    for (byte, c) in snippet.char_indices() {
        let toggles = (c == '[' && !in_match) || (c == ']' && in_match);
        if toggles {
            pieces.push((in_match, &snippet[piece_start..byte]));
            in_match = !in_match;
            piece_start = byte + 1;
        }
    }
    pieces.push((in_match, &snippet[piece_start..]));
    html! {
        @for (is_match, piece) in pieces {
            @if is_match {
                @if !piece.is_empty() { mark { (piece) } }
            } @else {
                (piece)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_matches_become_marks_and_everything_is_escaped() {
        let marked = |snippet: &str| marked_snippet(snippet).into_string();
        assert_eq!(marked("a [b] c"), "a <mark>b</mark> c");
        assert_eq!(
            marked("[<script>]x</script>"),
            "<mark>&lt;script&gt;</mark>x&lt;/script&gt;"
        );
        assert_eq!(marked("x] [y [z] w"), "x] <mark>y [z</mark> w");
        assert_eq!(marked("open [é"), "open <mark>é</mark>");
        assert_eq!(marked("[]"), "");
        assert_eq!(marked(""), "");
    }

    #[test]
    fn paging_links_keep_the_query() {
        let page = Paging {
            offset: 20,
            limit: 20,
            has_more: true,
        };
        let links = paging(&page, Some("a&b c")).into_string();
        assert!(
            links.contains(r#"href="/?q=a%26b%20c&amp;offset=0""#),
            "{links}"
        );
        assert!(
            links.contains(r#"href="/?q=a%26b%20c&amp;offset=40""#),
            "{links}"
        );
        let first = Paging {
            offset: 0,
            limit: 20,
            has_more: false,
        };
        assert_eq!(paging(&first, None).into_string(), "");
    }
}
