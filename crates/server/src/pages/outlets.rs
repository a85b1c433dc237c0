//! The outlet pages: `/outlets` (every outlet in a table) and `/outlets/{name}` (one outlet's
//! profile: its figures, weekly charts, whom it quotes more and less than the other outlets on
//! the stories it covered, the words its own voice uses more, its blindspots), and the evidence
//! pages behind the
//! rankings: the quotes of a speaker in the outlet, the sentences where its own voice uses a word.
//!
//! It shows what the store's outlet profiles computed; it does not query anything. Labels come
//! only from the user's `--outlets` file and are shown as the user's.

use maud::{html, Markup};

use newslens_store::outlets::{OutletProfile, Ranked, WeekPoint};
use newslens_store::{QuoteRecord, SearchHit};

use crate::pages::home::marked_snippet;
use crate::pages::layout::{
    article_path, class_token, display_date, layout, percent_encode, plural, story_path,
};

/// The path of an outlet's page.
pub fn outlet_path(name: &str) -> String {
    format!("/outlets/{}", percent_encode(name))
}

fn number(value: Option<f64>, decimals: usize) -> String {
    value.map_or("–".into(), |value| format!("{value:.decimals$}"))
}

fn percent(value: Option<f64>) -> String {
    value.map_or("–".into(), |value| format!("{:.0}%", 100.0 * value))
}

/// Every outlet, most articles first.
pub fn outlets(profiles: &[OutletProfile], min_outlets: usize) -> Markup {
    let content = html! {
        header.outlets-header {
            p.kicker { "Outlets" }
            h1 { "How each outlet tells the news" }
            p.lede { "Counts across all of an outlet's stories. Loaded language and tone are the outlet's own voice: quotes are left out. Gender follows the article's pronouns for the speaker, else the census first-name list, else unknown." }
        }
        @if profiles.is_empty() {
            p.empty { "No article in the corpus names its outlet." }
        } @else {
            div.table-scroll {
                table.outlet-table {
                    thead { tr {
                        th scope="col" { "Outlet" }
                        th scope="col" { "Articles" }
                        th scope="col" { "Stories" }
                        th scope="col" { "Quotes" }
                        th scope="col" { "Narrative tone" }
                        th scope="col" { "Loaded per 1,000 words" }
                        th scope="col" { "Non-neutral verbs" }
                        th scope="col" { "Women / men / unknown quoted" }
                        th scope="col" { "Blindspots (≥ " (min_outlets) " others)" }
                    } }
                    tbody {
                        @for profile in profiles {
                            tr {
                                th scope="row" {
                                    a.outlet-link href=(outlet_path(&profile.name)) { (profile.name) }
                                    @for label in &profile.labels {
                                        " " span.user-label title="Your label, from your --outlets file" { "your label: " (label) }
                                    }
                                }
                                td { (profile.articles) }
                                td { (profile.stories) }
                                td { (profile.quotes) }
                                td { (number(profile.tone_narrative_mean, 2)) }
                                td { (number(profile.loaded_per_1k_words, 1)) }
                                td { (percent(profile.non_neutral_verbs_share)) }
                                td { (percent(profile.gender.women_share)) " / " (percent(profile.gender.men_share)) " / " (percent(profile.gender.unknown_share)) }
                                td { (profile.blindspots.count) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout("Outlets", None, content)
}

/// One outlet's profile.
pub fn outlet(profile: &OutletProfile) -> Markup {
    let path = outlet_path(&profile.name);
    let gender = &profile.gender;
    let content = html! {
        header.outlet-header {
            p.kicker { a href="/outlets" { "Outlets" } }
            h1 { (profile.name) }
            @if !profile.labels.is_empty() {
                p.user-labels {
                    "Your labels (from your --outlets file): "
                    @for (label_idx, label) in profile.labels.iter().enumerate() {
                        @if label_idx > 0 { ", " }
                        span.user-label { (label) }
                    }
                }
            }
            p.outlet-sources { "Articles under: " (profile.sources.join(", ")) }
        }
        section.outlet-figures aria-labelledby="figures-heading" {
            h2 #figures-heading { "Figures" }
            dl.figures {
                dt { "Articles" } dd { (profile.articles) }
                dt { "Stories" } dd { (profile.stories) }
                dt { "Quotes" } dd { (profile.quotes) }
                dt { "Dates" } dd {
                    (profile.first_published.as_deref().map(display_date).unwrap_or_default())
                    " – "
                    (profile.last_published.as_deref().map(display_date).unwrap_or_default())
                }
                dt { "Narrative tone (quotes left out)" } dd { (number(profile.tone_narrative_mean, 2)) }
                dt { "Loaded words per 1,000 own-voice words" } dd { (number(profile.loaded_per_1k_words, 2)) }
                dt { "Non-neutral reporting verbs" } dd { (percent(profile.non_neutral_verbs_share)) }
                dt { "Quotes by women" } dd.gender-women { (gender.women) " (" (percent(gender.women_share)) ")" }
                dt { "Quotes by men" } dd.gender-men { (gender.men) " (" (percent(gender.men_share)) ")" }
                dt { "Quotes by people of unknown gender" } dd.gender-unknown { (gender.unknown) " (" (percent(gender.unknown_share)) ")" }
            }
        }
        section.outlet-weeks aria-labelledby="weeks-heading" {
            h2 #weeks-heading { "Week by week" }
            div.week-charts {
                (week_chart("Articles", "articles", &profile.weeks, |week| Some(week.articles as f64), 0))
                (week_chart("Narrative tone", "tone", &profile.weeks, |week| week.tone_narrative_mean, 2))
                (week_chart("Loaded per 1,000 own-voice words", "loaded", &profile.weeks, |week| week.loaded_per_1k_words, 1))
                (week_chart("Share of quoted people who are women", "women", &profile.weeks, |week| week.women_share.map(|share| 100.0 * share), 0))
            }
        }
        @if !profile.top_speakers.is_empty() {
            section.top-speakers aria-labelledby="top-speakers-heading" {
                h2 #top-speakers-heading { "Most quoted" }
                ol {
                    @for speaker in &profile.top_speakers {
                        li { a href={ (path) "/quotes?speaker=" (percent_encode(&speaker.name)) } { (speaker.name) } " " span.count { (plural(speaker.quotes as usize, "quote", "quotes")) } }
                    }
                }
            }
        }
        @if let Some(same) = &profile.same_stories {
            p.figure-label.same-stories {
                "The rankings below compare its " (plural(same.quotes as usize, "quote", "quotes"))
                " and " (plural(same.words as usize, "counted word", "counted words"))
                " on the stories it shared with other outlets against the other outlets' "
                (plural(same.other_quotes as usize, "quote", "quotes")) " and "
                (plural(same.other_words as usize, "word", "words")) " on the stories it covered."
            }
        }
        (ranking("speakers-more", "Quoted more than by the others on the same stories", &profile.speakers_more, &path, "quotes?speaker="))
        (ranking("speakers-less", "Quoted less than by the others on the same stories", &profile.speakers_less, &path, "quotes?speaker="))
        (ranking("distinctive-words", "Words its own voice uses more than the others on the same stories", &profile.distinctive_words, &path, "words?word="))
        section.blindspots aria-labelledby="blindspots-heading" {
            h2 #blindspots-heading { "Blindspots" }
            p.figure-label {
                (plural(profile.blindspots.count, "story", "stories"))
                " at least " (profile.blindspots.min_outlets) " other outlets covered within its dates, and it did not"
            }
            @if !profile.blindspots.stories.is_empty() {
                ol.blindspot-list {
                    @for story in &profile.blindspots.stories {
                        li {
                            a.blindspot href=(story_path(&story.id)) { (story.title.as_deref().unwrap_or("Untitled story")) }
                            @if let Some(day) = &story.first_seen { " · " time datetime=(day) { (display_date(day)) } }
                            " · " span.count { (story.outlets.join(", ")) }
                        }
                    }
                }
            }
        }
        p.method {
            "Rankings: log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), this outlet against the other outlets on the stories it covered, over all its dates; z above 1.96 is the usual 95% bar. A speaker named by surname only counts as the one full name with that surname in the article or among the outlet's and its stories' speakers. Each entry links to the quotes or sentences behind it."
        }
    };
    layout(&profile.name, None, content)
}

/// A ranking as a table whose entries link to their evidence.
fn ranking(class: &str, title: &str, ranked: &[Ranked], path: &str, evidence: &str) -> Markup {
    let heading = format!("{class}-heading");
    html! {
        section.ranking.(class) aria-labelledby=(heading) {
            h2 id=(heading) { (title) }
            @if ranked.is_empty() {
                p.empty { "Nothing stands out." }
            } @else {
                table.ranking-table {
                    thead { tr { th scope="col" { "" } th scope="col" { "Here" } th scope="col" { "Others, same stories" } th scope="col" { "Log-odds" } th scope="col" { "z" } } }
                    tbody {
                        @for entry in ranked {
                            tr {
                                th scope="row" { a.evidence href={ (path) "/" (evidence) (percent_encode(&entry.name)) } { (entry.name) } }
                                td { (entry.outlet) }
                                td { (entry.rest) }
                                td { (format!("{:+.2}", entry.log_odds)) }
                                td { (format!("{:+.2}", entry.z)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A weekly bar chart: one bar per week, from zero (below it for negative values), each with its
/// week and value as a tooltip.
fn week_chart(
    title: &str,
    class: &str,
    weeks: &[WeekPoint],
    value: impl Fn(&WeekPoint) -> Option<f64>,
    decimals: usize,
) -> Markup {
    const WIDTH: f64 = 360.0;
    const HEIGHT: f64 = 140.0;
    const MARGIN: f64 = 22.0;
    let points: Vec<(&str, f64)> = weeks
        .iter()
        .filter_map(|week| Some((week.week.as_str(), value(week).filter(|v| v.is_finite())?)))
        .collect();
    let high = points.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let low = points.iter().map(|(_, v)| *v).fold(0.0_f64, f64::min);
    let span = if high > low { high - low } else { 1.0 };
    let plot_height = HEIGHT - 2.0 * MARGIN;
    let y_of = |v: f64| MARGIN + (high - v) / span * plot_height;
    let zero = y_of(0.0);
    let slot = (WIDTH - 2.0 * MARGIN) / points.len().max(1) as f64;
    let bar = (slot * 0.8).max(1.0);
    let class_name = format!("week-chart week-{}", class_token(class));
    html! {
        figure.week-figure {
            figcaption { (title) }
            svg class=(class_name) viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } width=(WIDTH) height=(HEIGHT)
                role="img" aria-label={ (title) " per week" } {
                title { (title) " per week" }
                @if points.is_empty() {
                    text.empty-label x=(WIDTH / 2.0) y=(HEIGHT / 2.0) text-anchor="middle" { "No dated articles" }
                } @else {
                    line.chart-axis x1=(MARGIN) y1=(format!("{zero:.1}")) x2=(WIDTH - MARGIN) y2=(format!("{zero:.1}")) {}
                    @for (point_idx, (week, v)) in points.iter().enumerate() {
                        @let x = MARGIN + point_idx as f64 * slot + (slot - bar) / 2.0;
                        @let top = y_of(v.max(0.0));
                        @let height = (y_of(v.min(0.0)) - top).max(0.5);
                        rect.week-bar.negative[*v < 0.0] x=(format!("{x:.1}")) y=(format!("{top:.1}")) width=(format!("{bar:.1}")) height=(format!("{height:.1}")) {
                            title { "week of " (week) ": " (format!("{v:.decimals$}")) }
                        }
                    }
                    text.axis-label x=(MARGIN) y=(HEIGHT - 4.0) { (points[0].0) }
                    text.axis-label x=(WIDTH - MARGIN) y=(HEIGHT - 4.0) text-anchor="end" { (points[points.len() - 1].0) }
                    text.axis-label x="2" y=(MARGIN - 6.0) { (format!("{high:.decimals$}")) }
                }
            }
        }
    }
}

/// The quotes behind a speaker's entry in a ranking.
pub fn outlet_quotes(outlet: &str, speaker: &str, quotes: &[QuoteRecord]) -> Markup {
    let content = html! {
        header.outlet-header {
            p.kicker { a href=(outlet_path(outlet)) { (outlet) } }
            h1 { (speaker) " in " (outlet) }
        }
        section.evidence-quotes {
            @if quotes.is_empty() {
                p.empty { "No quotes found." }
            } @else {
                ol.quote-list {
                    @for quote in quotes {
                        li.quote-item {
                            blockquote { (quote.text) }
                            p.quote-source {
                                @if let Some(verb) = &quote.verb { span.verb.evaluative[quote.neutral == Some(false)] { (verb) } " · " }
                                @if let Some(published) = &quote.published { time datetime=(published) { (display_date(published)) } " · " }
                                a href=(article_path(&quote.article)) { "article" }
                                " · " a href=(story_path(&quote.story)) { "story" }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(&format!("{speaker} in {outlet}"), None, content)
}

/// The articles (with the sentence that matched) behind a word's entry in a ranking.
pub fn outlet_words(outlet: &str, word: &str, hits: &[SearchHit]) -> Markup {
    let content = html! {
        header.outlet-header {
            p.kicker { a href=(outlet_path(outlet)) { (outlet) } }
            h1 { "“" (word) "” in " (outlet) }
        }
        section.evidence-words {
            @if hits.is_empty() {
                p.empty { "No articles found." }
            } @else {
                ol.search-hits {
                    @for hit in hits {
                        li {
                            p.hit-title { a href=(article_path(&hit.id)) { (hit.title.as_deref().unwrap_or("Untitled")) } }
                            p.snippet { (marked_snippet(&hit.snippet)) }
                        }
                    }
                }
            }
        }
    };
    layout(&format!("{word} in {outlet}"), None, content)
}
