//! The story page: the outlets side by side (headlines, narrative tone, loaded words, who each
//! quoted), then where they differ (speakers and quotes only one outlet used, the same quote
//! worded differently) and a timeline of the story's articles.
//!
//! Everything shown comes from the [`StorySummary`] and the store's [`Comparison`]; this module
//! computes nothing but averages and a word-level mark-up of reworded quotes.

use std::collections::BTreeSet;

use maud::{html, Markup};

use newslens_store::compare::{OnlyIn, OutletCoverage, Rewording};
use newslens_store::{Comparison, EventKind, StorySummary};

use crate::pages::charts::{timeline, tone_bar};
use crate::pages::layout::{article_path, display_date, entity_path, layout, plural, story_path};
use crate::pages::outlets::outlet_path;

/// Loaded words shown per outlet.
const MAX_LOADED_WORDS: usize = 12;
/// Quotes only one outlet used, shown open when an outlet has at most this many.
const OPEN_QUOTES_LIMIT: usize = 5;

/// The first eight hex digits of an id, as people quote them.
fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// The story page.
pub fn story(summary: &StorySummary, comparison: &Comparison) -> Markup {
    let title = summary
        .title
        .as_deref()
        .or(comparison.title.as_deref())
        .unwrap_or("Untitled story");
    let n_articles = summary
        .articles
        .iter()
        .filter(|article| article.duplicate_of.is_none())
        .count();
    let n_copies = summary.articles.len() - n_articles;
    let content = html! {
        header.story-header {
            p.kicker { "Story" }
            h1 { (title) }
            p.story-facts {
                (plural(n_articles, "article", "articles")) " · "
                (plural(comparison.outlets.len(), "outlet", "outlets")) " · "
                (plural(summary.quotes, "quote", "quotes"))
                @if n_copies > 0 { " · " (plural(n_copies, "near-copy", "near-copies")) " left out" }
                @if let Some(first) = &summary.first_seen {
                    " · " time datetime=(first) { (display_date(first)) }
                    @if let Some(last) = summary.last_seen.as_ref().filter(|last| *last != first) {
                        " – " time datetime=(last) { (display_date(last)) }
                    }
                }
            }
            @if !summary.entities.is_empty() {
                ul.chips aria-label="Who and what the story is about" {
                    @for entity in summary.entities.iter().take(12) {
                        li { a href=(entity_path(&entity.name)) { (entity.name) } }
                    }
                }
            }
            @if !summary.events.is_empty() {
                ul.story-events aria-label="How this story grew" {
                    @for event in &summary.events {
                        li {
                            time datetime=(event.at) { (display_date(&event.at)) } " · "
                            @match (event.kind, event.other == summary.id) {
                                (EventKind::Merged, true) => {
                                    "Story " a href=(story_path(&event.story)) { (short_id(&event.story)) }
                                    " merged into this one (" (plural(event.articles, "article", "articles")) ")"
                                }
                                (EventKind::Merged, false) => {
                                    "Merged into " a href=(story_path(&event.other)) { (short_id(&event.other)) }
                                }
                                (EventKind::Split, true) => {
                                    "Split from story " a href=(story_path(&event.story)) { (short_id(&event.story)) }
                                    " (" (plural(event.articles, "article", "articles")) ")"
                                }
                                (EventKind::Split, false) => {
                                    (plural(event.articles, "article", "articles")) " left to start story "
                                    a href=(story_path(&event.other)) { (short_id(&event.other)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.coverage aria-labelledby="outlets-heading" {
            h2 #outlets-heading { "How each outlet told it" }
            @if comparison.outlets.is_empty() {
                p.empty { "No outlet's coverage is stored for this story." }
            } @else {
                div.outlets {
                    @for coverage in &comparison.outlets { (outlet_column(coverage)) }
                }
            }
        }
        (only_one_outlet(comparison))
        (worded_differently(&comparison.differences.reworded))
        section.story-timeline aria-labelledby="timeline-heading" {
            h2 #timeline-heading { "Timeline" }
            (timeline(&summary.articles))
        }
        p.permalink { a href=(story_path(&summary.id)) { "Link to this story" } }
    };
    layout(title, None, content)
}

/// The mean narrative tone of an outlet's articles, else the mean whole-text tone; with which.
fn outlet_tone(coverage: &OutletCoverage) -> Option<(f64, &'static str)> {
    let narrative: Vec<f64> = coverage
        .narrative_tone
        .iter()
        .map(|tone| tone.tone)
        .filter(|tone| tone.is_finite())
        .collect();
    if !narrative.is_empty() {
        let mean = narrative.iter().sum::<f64>() / narrative.len() as f64;
        return Some((mean, "Narrative tone"));
    }
    coverage
        .tone
        .filter(|tone| tone.is_finite())
        .map(|tone| (tone, "Tone (whole text)"))
}

fn outlet_column(coverage: &OutletCoverage) -> Markup {
    let n_quotes: usize = coverage
        .speakers
        .iter()
        .map(|speaker| speaker.quotes.len())
        .sum();
    html! {
        section.outlet-column {
            h3.outlet-name {
                @if coverage.outlet == "unknown outlet" { (coverage.outlet) }
                @else { a.outlet-link href=(outlet_path(&coverage.outlet)) { (coverage.outlet) } }
            }
            ul.headlines {
                @for article in &coverage.articles {
                    li {
                        a href=(article_path(&article.id)) { (article.title.as_deref().unwrap_or("Untitled article")) }
                        @if let Some(published) = &article.published {
                            " " time datetime=(published) { (display_date(published)) }
                        }
                    }
                }
            }
            div.outlet-tone {
                @if let Some((tone, label)) = outlet_tone(coverage) {
                    p.figure-label { (label) " " strong.tone-value { (format!("{tone:+.2}")) } }
                    (tone_bar(tone, label))
                } @else {
                    p.empty { "No tone computed." }
                }
            }
            h4 { "Loaded words" }
            @if coverage.loaded.is_empty() {
                p.empty { "None found." }
            } @else {
                ul.loaded-words {
                    @for word in coverage.loaded.iter().take(MAX_LOADED_WORDS) {
                        li { mark.loaded { (word.text) } @if word.count > 1 { " ×" (word.count) } }
                    }
                }
            }
            h4 { "Quoted" }
            p.quote-count { (plural(n_quotes, "quote", "quotes")) " from " (plural(coverage.speakers.len(), "speaker", "speakers")) }
            @if !coverage.speakers.is_empty() {
                ul.outlet-speakers {
                    @for speaker in &coverage.speakers {
                        li {
                            details {
                                summary {
                                    @if speaker.speaker == "unattributed" {
                                        "Unattributed"
                                    } @else {
                                        a href=(entity_path(&speaker.speaker)) { (speaker.speaker) }
                                    }
                                    " " span.count { (speaker.quotes.len()) }
                                }
                                ul.quote-lines {
                                    @for quote in &speaker.quotes {
                                        li {
                                            span.quote-text { (quote.text) }
                                            span.quote-meta {
                                                @if let Some(verb) = &quote.verb { (verb) " · " }
                                                (quote.kind)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn only_one_outlet(comparison: &Comparison) -> Markup {
    let differences = &comparison.differences;
    html! {
        section.only-one-outlet aria-labelledby="only-heading" {
            h2 #only-heading { "Only in one outlet" }
            @if comparison.outlets.len() < 2 {
                p.empty { "Only one outlet covered this story, so there is nothing to compare." }
            } @else if differences.speakers_only_in.is_empty() && differences.quotes_only_in.is_empty() {
                p.empty { "Every speaker and quote appears in more than one outlet." }
            } @else {
                div.only-grid {
                    @for coverage in &comparison.outlets {
                        @let speakers: Vec<&str> = differences.speakers_only_in.iter()
                            .filter(|only| only.outlet == coverage.outlet).map(|only| only.speaker.as_str()).collect();
                        @let quotes = distinct_quotes(&differences.quotes_only_in, &coverage.outlet);
                        @if !speakers.is_empty() || !quotes.is_empty() {
                            div.only-outlet {
                                h3 { (coverage.outlet) }
                                @if !speakers.is_empty() {
                                    p { "Quoted only here: "
                                        @for (idx, speaker) in speakers.iter().enumerate() {
                                            @if idx > 0 { ", " }
                                            a href=(entity_path(speaker)) { (speaker) }
                                        }
                                    }
                                }
                                @if !quotes.is_empty() {
                                    details open[quotes.len() <= OPEN_QUOTES_LIMIT] {
                                        summary { (plural(quotes.len(), "quote", "quotes")) " only here" }
                                        ul.quote-lines {
                                            @for (speaker, quote) in &quotes {
                                                li { span.quote-text { (quote) } span.quote-meta { (speaker) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn worded_differently(reworded: &[Rewording]) -> Markup {
    // Two articles of one outlet can carry the same quote: show each rewording once.
    let mut distinct: Vec<&Rewording> = Vec::new();
    for rewording in reworded {
        if !distinct.contains(&rewording) {
            distinct.push(rewording);
        }
    }
    html! {
        section.worded-differently aria-labelledby="reworded-heading" {
            h2 #reworded-heading { "Worded differently" }
            @if reworded.is_empty() {
                p.empty { "No quote is worded differently across outlets." }
            } @else {
                p.note { "The same quote as each outlet printed it. Words one version has and the other lacks are marked. "
                    "A misquote: both give the words as direct speech. A paraphrase: at least one reports them." }
                @for rewording in distinct {
                    @let kind = rewording.kind.as_str();
                    div.rewording.(format!("rewording-{kind}")) {
                        p.rewording-head {
                            span.badge.(kind) { (kind) }
                            " "
                            @if rewording.speaker == "unattributed" || rewording.speaker.is_empty() {
                                "Unattributed"
                            } @else {
                                a href=(entity_path(&rewording.speaker)) { (rewording.speaker) }
                            }
                            " · " (format!("{:.0}", rewording.overlap * 100.0)) "% of words shared"
                        }
                        div.versions {
                            @for (version_idx, (outlet, text, quote_kind)) in rewording.versions.iter().enumerate() {
                                @let others: BTreeSet<String> = rewording.versions.iter().enumerate()
                                    .filter(|(other_idx, _)| *other_idx != version_idx)
                                    .flat_map(|(_, (_, other, _))| words_of(other))
                                    .collect();
                                figure.version {
                                    blockquote { (marked_differences(text, &others)) }
                                    figcaption { strong { (outlet) } " · " (quote_kind) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The quotes only `outlet` used, as `(speaker, quote)`, each once.
fn distinct_quotes<'a>(quotes_only_in: &'a [OnlyIn], outlet: &str) -> Vec<(&'a str, &'a str)> {
    let mut quotes: Vec<(&str, &str)> = Vec::new();
    for only in quotes_only_in.iter().filter(|only| only.outlet == outlet) {
        if let Some(quote) = only.quote.as_deref() {
            if !quotes.contains(&(only.speaker.as_str(), quote)) {
                quotes.push((only.speaker.as_str(), quote));
            }
        }
    }
    quotes
}

/// The lower-cased words of a text.
fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
}

/// The text with every word the other versions lack wrapped in `span.diff-word`.
fn marked_differences(text: &str, others: &BTreeSet<String>) -> Markup {
    // Runs of word and non-word characters, in order, covering the whole text.
    let mut runs: Vec<(bool, &str)> = Vec::new();
    let mut run_start = 0;
    let mut run_is_word = None;
    for (byte, c) in text.char_indices() {
        let is_word = c.is_alphanumeric();
        if run_is_word.is_some_and(|previous| previous != is_word) {
            runs.push((run_is_word == Some(true), &text[run_start..byte]));
            run_start = byte;
        }
        run_is_word = Some(is_word);
    }
    if run_start < text.len() {
        runs.push((run_is_word == Some(true), &text[run_start..]));
    }
    html! {
        @for (is_word, run) in runs {
            @if is_word && !others.contains(&run.to_lowercase()) {
                span.diff-word { (run) }
            } @else {
                (run)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_missing_from_the_other_version_are_marked() {
        let others: BTreeSet<String> = words_of("We will not back down.").collect();
        let marked = marked_differences("We will never back down!", &others).into_string();
        assert_eq!(
            marked,
            r#"We will <span class="diff-word">never</span> back down!"#
        );
        assert_eq!(marked_differences("", &others).into_string(), "");
        assert_eq!(
            marked_differences("Ça va", &others).into_string(),
            r#"<span class="diff-word">Ça</span> <span class="diff-word">va</span>"#
        );
    }
}
