//! Lists of other articles' headlines ("More from Sports", "Most read") that the main-text
//! extractor kept after the article: cut from the end of the text.
//!
//! Such a list is a run of short paragraphs, many of them the text of a link on the page (the
//! headline) with a one-line teaser or a sign-up box in between. The article's own text ends
//! before it: a paragraph there is long, or not a link. This reads only the extracted paragraphs
//! and the page's link texts; it does not touch menus or lists inside the article, which are
//! followed by more of the article's prose.

use std::collections::HashSet;

use scraper::{Html, Selector};

/// Words a teaser or headline has at most.
const SHORT_PARAGRAPH_WORDS: usize = 25;
/// Paragraphs a run of headlines has at least.
const MIN_RUN: usize = 4;
/// Share of a run's paragraphs that are link texts, at least.
const MIN_LINK_SHARE: f64 = 0.4;
/// Share of the text's words that stays, at least: a page that is mostly short linked paragraphs
/// (a list article) keeps them.
const MIN_KEPT_SHARE: f64 = 0.5;

/// `text` (paragraphs separated by blank lines) without a trailing list of other headlines.
pub fn without_trailing_headlines(text: &str, page: &Html) -> String {
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    let Some(cut) = trailing_headlines_start(&paragraphs, &link_texts(page)) else {
        return text.to_string();
    };
    paragraphs[..cut].join("\n\n")
}

/// Where the trailing run of headlines starts, if there is one.
fn trailing_headlines_start(paragraphs: &[&str], links: &HashSet<String>) -> Option<usize> {
    let n_words = |p: &str| p.split_whitespace().count();
    let total_words: usize = paragraphs.iter().map(|p| n_words(p)).sum();
    let is_link = |p: &str| links.contains(&collapse(p));
    let mut best = None;
    let (mut n_run, mut n_linked, mut run_words) = (0usize, 0usize, 0usize);
    for (idx, paragraph) in paragraphs.iter().enumerate().rev() {
        let words = n_words(paragraph);
        if words > SHORT_PARAGRAPH_WORDS {
            break;
        }
        n_run += 1;
        run_words += words;
        let linked = is_link(paragraph);
        if linked {
            n_linked += 1;
        }
        // The run starts at a headline, never at a teaser.
        if linked
            && n_run >= MIN_RUN
            && n_linked as f64 >= MIN_LINK_SHARE * n_run as f64
            && (total_words - run_words) as f64 >= MIN_KEPT_SHARE * total_words as f64
        {
            best = Some(idx);
        }
    }
    best
}

/// The texts of the page's links of two words or more, with white space collapsed.
fn link_texts(page: &Html) -> HashSet<String> {
    let anchor = Selector::parse("a").expect("`a` is valid CSS");
    page.select(&anchor)
        .map(|a| collapse(&a.text().collect::<String>()))
        .filter(|text| text.split(' ').count() >= 2)
        .collect()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "The old pier on the east shore reopened on Monday after three months of repairs, the harbour office said, and fishing boats were the first to tie up.\n\nRepairs cost the town four hundred thousand pounds, most of it from the coastal fund, and the council expects the money back from summer visitors within five years.";

    #[test]
    fn a_list_of_other_headlines_after_the_article_is_cut() {
        let page = Html::parse_document(
            r#"<a href="/a">Ferry timetable changes for winter</a><a href="/b">Harbour fees rise again</a><a href="/c">Lighthouse keeper retires</a>"#,
        );
        let text = format!("{ARTICLE}\n\nFerry timetable changes for winter\n\nThe last boat leaves at six\n\nHarbour fees rise again\n\nOwners of small boats pay most\n\nLighthouse keeper retires\n\nForty years on the rock");
        assert_eq!(without_trailing_headlines(&text, &page), ARTICLE);
    }

    #[test]
    fn short_closing_paragraphs_that_are_no_links_stay() {
        let page = Html::parse_document(r#"<a href="/a">Ferry timetable changes</a>"#);
        let text = format!(
            "{ARTICLE}\n\nThe pier opens at eight.\n\nDogs are welcome.\n\nParking is free.\n\nBring a coat."
        );
        assert_eq!(without_trailing_headlines(&text, &page), text);
    }

    #[test]
    fn a_page_that_is_mostly_a_list_keeps_it() {
        let page = Html::parse_document(
            r#"<a href="/a">Ferry timetable changes</a><a href="/b">Harbour fees rise</a><a href="/c">Lighthouse keeper retires</a><a href="/d">New cafe on the quay</a>"#,
        );
        let text = "Pier news.\n\nFerry timetable changes\n\nHarbour fees rise\n\nLighthouse keeper retires\n\nNew cafe on the quay";
        assert_eq!(without_trailing_headlines(text, &page), text);
    }
}
