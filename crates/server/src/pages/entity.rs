//! The entity page: the names and types a query matched, mentions per day as a bar chart, and the
//! quotes the entity said and the quotes about it, across outlets.
//!
//! It shows an [`EntityReport`] as the store computed it; it does not query anything.

use maud::{html, Markup};

use newslens_store::{EntityReport, QuoteRecord};

use crate::pages::charts::mentions_chart;
use crate::pages::layout::{
    article_path, class_token, display_date, entity_path, layout, plural, story_path,
};

/// The entity page.
pub fn entity(report: &EntityReport) -> Markup {
    let name = report
        .names
        .first()
        .map_or(report.query.as_str(), |count| count.name.as_str());
    let n_mentions: usize = report.timeline.iter().map(|period| period.mentions).sum();
    let content = html! {
        header.entity-header {
            p.kicker { "Entity" }
            h1 { (name) }
            @if report.names.is_empty() {
                p.empty { "Nothing in the corpus matches this name." }
            } @else {
                ul.entity-names aria-label="Names and types" {
                    @for count in &report.names {
                        li {
                            span.type-badge.(format!("entity-{}", class_token(count.entity_type.as_str()))) { (count.entity_type) }
                            " " strong { (count.name) }
                            " " span.count { (plural(count.articles, "article", "articles")) ", "
                                (plural(count.mentions, "mention", "mentions")) }
                        }
                    }
                }
            }
        }
        section.mentions aria-labelledby="mentions-heading" {
            h2 #mentions-heading { "Mentions per day" }
            p.figure-label { (plural(n_mentions, "mention", "mentions")) " in all" }
            (mentions_chart(&report.timeline))
        }
        section.quotes-by aria-labelledby="quotes-by-heading" {
            h2 #quotes-by-heading { "What " (name) " said" }
            (quote_list(&report.quotes_by, false))
        }
        section.quotes-about aria-labelledby="quotes-about-heading" {
            h2 #quotes-about-heading { "What was said about " (name) }
            (quote_list(&report.quotes_about, true))
        }
    };
    layout(name, None, content)
}

/// Quotes with their speaker, verb, outlet and date, each linking to its article. The speaker
/// links to their own page when `link_speaker` (on the page of the entity spoken about).
fn quote_list(quotes: &[QuoteRecord], link_speaker: bool) -> Markup {
    html! {
        @if quotes.is_empty() {
            p.empty { "No quotes found." }
        } @else {
            ol.quote-list {
                @for quote in quotes {
                    li.quote-item {
                        blockquote.(format!("quote-{}", class_token(quote.kind.as_str()))) { (quote.text) }
                        p.quote-source {
                            @match (&quote.speaker, link_speaker) {
                                (Some(speaker), true) => { a.speaker href=(entity_path(speaker)) { (speaker) } }
                                (Some(speaker), false) => { span.speaker { (speaker) } }
                                (None, _) => { span.speaker { "Unattributed" } }
                            }
                            @if let Some(verb) = &quote.verb {
                                " " span.verb.evaluative[quote.neutral == Some(false)] { (verb) }
                            }
                            " · " span.outlet { (quote.outlet.as_deref().unwrap_or("unknown outlet")) }
                            @if let Some(published) = &quote.published {
                                " · " time datetime=(published) { (display_date(published)) }
                            }
                            " · " a href=(article_path(&quote.article)) { "article" }
                            " · " a href=(story_path(&quote.story)) { "story" }
                        }
                    }
                }
            }
        }
    }
}
