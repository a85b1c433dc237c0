//! The article page: the text with its entities, quotes, reporting verbs and loaded words
//! highlighted (the way displaCy shows entities), and beside it who is quoted, the tone figures and
//! the article's metadata.
//!
//! The highlights come from the contract's layers (character offsets, see
//! `newslens_contract::article`); [`crate::pages::segment`] turns them into well-formed nested
//! elements. This module decides what each highlight looks like; it does not read the store.

use std::collections::BTreeMap;

use maud::{html, Markup};

use newslens_contract::article::{Entity, Loaded, Quote, ReportingVerb, Tone};
use newslens_contract::{Article, MentionKind};
use newslens_store::{StoredArticle, StorySummary};

use crate::pages::charts::tone_bar;
use crate::pages::layout::{
    article_path, class_token, display_date, entity_path, layout, plural, story_path, web_url,
};
use crate::pages::outlets::outlet_path;
use crate::pages::segment::{Annotation, Node, Segmenter};

/// Colours speakers cycle through (`speaker-0` … `speaker-9`).
const N_SPEAKER_COLOURS: usize = 10;

/// Nesting layers, outermost first: a quote encloses the entities and loaded words in it.
const QUOTE_LAYER: u8 = 1;
const ENTITY_LAYER: u8 = 2;
const VERB_LAYER: u8 = 3;
const LOADED_LAYER: u8 = 4;

/// What one annotation of the text stands for.
enum Highlight<'a> {
    Quote {
        /// Index into the speakers in order of first quote; `None` when unattributed.
        speaker_idx: Option<usize>,
        tip: String,
    },
    Entity {
        entity: &'a Entity,
        kind: &'a str,
        /// Where the mention ends, for putting the type label after its last fragment.
        end: usize,
    },
    Verb(&'a ReportingVerb),
    Loaded(&'a Loaded),
}

/// A speaker as listed beside the text.
struct QuotedSpeaker<'a> {
    name: &'a str,
    n_quotes: usize,
}

/// Every highlighted span of the article (quotes, their verbs, entity mentions, loaded words) as
/// an annotation for the segmenter and the highlight it stands for, in the same order.
fn article_layers<'a>(
    article: &'a Article,
    speaker_idx_of: &BTreeMap<&str, usize>,
) -> (Vec<Annotation>, Vec<Highlight<'a>>) {
    let mut annotations: Vec<Annotation> = Vec::new();
    let mut highlights: Vec<Highlight> = Vec::new();
    for quote in &article.quotes {
        let speaker_name = quote.speaker.as_ref().map(|speaker| speaker.name.as_str());
        let speaker_idx = speaker_name.and_then(|name| speaker_idx_of.get(name).copied());
        for span in &quote.spans {
            annotations.push(Annotation {
                start: span.start,
                end: span.end,
                layer: QUOTE_LAYER,
            });
            highlights.push(Highlight::Quote {
                speaker_idx,
                tip: quote_tip(quote),
            });
        }
        if let Some(verb) = &quote.verb {
            annotations.push(Annotation {
                start: verb.start,
                end: verb.end,
                layer: VERB_LAYER,
            });
            highlights.push(Highlight::Verb(verb));
        }
    }
    for entity in &article.entities {
        for mention in &entity.mentions {
            annotations.push(Annotation {
                start: mention.start,
                end: mention.end,
                layer: ENTITY_LAYER,
            });
            highlights.push(Highlight::Entity {
                entity,
                kind: mention.kind.as_str(),
                end: mention.end,
            });
        }
    }
    for loaded in &article.loaded {
        annotations.push(Annotation {
            start: loaded.start,
            end: loaded.end,
            layer: LOADED_LAYER,
        });
        highlights.push(Highlight::Loaded(loaded));
    }
    (annotations, highlights)
}

/// The article page. `story` is the story the article belongs to, when known.
pub fn article(stored: &StoredArticle, story: Option<&StorySummary>) -> Markup {
    let article = &stored.article;
    let title = article.title.as_deref().unwrap_or("Untitled article");
    let speakers = quoted_speakers(&article.quotes);
    let speaker_idx_of: BTreeMap<&str, usize> = speakers
        .iter()
        .enumerate()
        .map(|(idx, speaker)| (speaker.name, idx))
        .collect();
    let n_unattributed = article
        .quotes
        .iter()
        .filter(|quote| quote.speaker.is_none())
        .count();

    let (annotations, highlights) = article_layers(article, &speaker_idx_of);

    let segmenter = Segmenter::new(&article.text);
    let paragraphs: Vec<(usize, usize)> = article
        .paragraphs
        .iter()
        .map(|span| (span.start, span.end))
        .collect();
    let blocks = segmenter.blocks(&paragraphs);
    let n_chars = segmenter.n_chars();
    let entity_types: Vec<&str> = {
        let mut types: Vec<&str> = article
            .entities
            .iter()
            .map(|entity| entity.entity_type.as_str())
            .collect();
        types.sort_unstable();
        types.dedup();
        types
    };

    let content = html! {
        div.article-layout {
            article.article-text {
                header.article-header {
                    @if let Some(story) = story {
                        p.kicker { a href=(story_path(&story.id)) { "Story: " (story.title.as_deref().unwrap_or("untitled story")) } }
                    }
                    h1 { (title) }
                    p.byline {
                        @if let Some(outlet) = &article.source.outlet { a.outlet.outlet-link href=(outlet_path(outlet)) { (outlet) } }
                        @if let Some(published) = &article.published {
                            " " time datetime=(published) { (display_date(published)) }
                        }
                        @if !article.authors.is_empty() { " · by " (article.authors.join(", ")) }
                    }
                }
                @if !article.entities.is_empty() || !article.quotes.is_empty() || !article.loaded.is_empty() {
                    p.legend {
                        span.legend-title { "Key:" }
                        @for entity_type in &entity_types {
                            span.legend-entity.(format!("entity-{}", class_token(entity_type))) { (entity_type) }
                        }
                        @if !article.quotes.is_empty() { span.legend-quote { "quote (one colour per speaker)" } }
                        @if !article.loaded.is_empty() { span.legend-loaded { "loaded word" } }
                    }
                }
                div.article-body lang=[text_language(&article.language)] {
                    @for block in blocks {
                        p { (render_nodes(&segmenter.nodes(block, &annotations), &highlights, n_chars)) }
                    }
                }
            }
            div.article-side {
                (speakers_panel(&speakers, n_unattributed))
                (tone_panel(stored))
                (entities_panel(&article.entities))
                (metadata_panel(stored, story))
            }
        }
    };
    layout(title, None, content)
}

/// The text's language for a `lang` attribute: an ISO 639 code, not `und`.
fn text_language(language: &str) -> Option<&str> {
    let is_code =
        (2..=3).contains(&language.len()) && language.bytes().all(|byte| byte.is_ascii_lowercase());
    (is_code && language != "und").then_some(language)
}

/// The speakers in order of their first quote, with how many quotes each has.
fn quoted_speakers(quotes: &[Quote]) -> Vec<QuotedSpeaker<'_>> {
    let mut speakers: Vec<QuotedSpeaker> = Vec::new();
    for speaker in quotes.iter().filter_map(|quote| quote.speaker.as_ref()) {
        match speakers.iter_mut().find(|known| known.name == speaker.name) {
            Some(known) => known.n_quotes += 1,
            None => speakers.push(QuotedSpeaker {
                name: &speaker.name,
                n_quotes: 1,
            }),
        }
    }
    speakers
}

/// "Speaker — verb (kind)", what hovering a quote shows.
fn quote_tip(quote: &Quote) -> String {
    let speaker = quote
        .speaker
        .as_ref()
        .map_or("Unattributed", |speaker| speaker.name.as_str());
    let mut tip = speaker.to_string();
    if let Some(verb) = &quote.verb {
        tip.push_str(" — ");
        tip.push_str(&verb.text);
    }
    tip.push_str(" (");
    tip.push_str(quote.kind.as_str());
    if let Some(channel) = &quote.channel {
        tip.push_str(", via ");
        tip.push_str(channel);
    }
    tip.push(')');
    tip
}

fn speaker_class(speaker_idx: Option<usize>) -> String {
    match speaker_idx {
        Some(idx) => format!("speaker-{}", idx % N_SPEAKER_COLOURS),
        None => "speaker-unknown".to_string(),
    }
}

fn render_nodes(nodes: &[Node], highlights: &[Highlight], n_chars: usize) -> Markup {
    html! {
        @for node in nodes {
            @match node {
                Node::Text(text) => (text),
                Node::Element { annotation, end, children, .. } => {
                    @let inner = render_nodes(children, highlights, n_chars);
                    @match &highlights[*annotation] {
                        Highlight::Quote { speaker_idx, tip } => {
                            span.quote.(speaker_class(*speaker_idx)) title=(tip) data-tip=(tip) { (inner) }
                        }
                        Highlight::Entity { entity, kind, end: mention_end } => {
                            mark.entity.(format!("entity-{}", class_token(entity.entity_type.as_str()))).(format!("mention-{}", class_token(kind)))
                                title={ (entity.name) " · " (entity.entity_type) } {
                                (inner)
                                @if *end >= (*mention_end).min(n_chars) {
                                    span.entity-label { (entity.entity_type) }
                                }
                            }
                        }
                        Highlight::Verb(verb) => {
                            span.reporting-verb.evaluative[!verb.neutral]
                                title=(if verb.neutral { "reporting verb" } else { "reporting verb (evaluative)" }) { (inner) }
                        }
                        Highlight::Loaded(loaded) => {
                            mark.loaded.(format!("loaded-{}", class_token(loaded.category.as_str())))
                                title={ "loaded: " (loaded.category) } { (inner) }
                        }
                    }
                }
            }
        }
    }
}

fn speakers_panel(speakers: &[QuotedSpeaker], n_unattributed: usize) -> Markup {
    html! {
        aside.speakers.panel aria-labelledby="speakers-heading" {
            h2 #speakers-heading { "Who is quoted" }
            @if speakers.is_empty() && n_unattributed == 0 {
                p.empty { "No quotes found." }
            } @else {
                ul.speaker-list {
                    @for (speaker_idx, speaker) in speakers.iter().enumerate() {
                        li {
                            span.swatch.(speaker_class(Some(speaker_idx))) aria-hidden="true" {}
                            a href=(entity_path(speaker.name)) { (speaker.name) }
                            " " span.count { (plural(speaker.n_quotes, "quote", "quotes")) }
                        }
                    }
                    @if n_unattributed > 0 {
                        li {
                            span.swatch.speaker-unknown aria-hidden="true" {}
                            "Unattributed " span.count { (plural(n_unattributed, "quote", "quotes")) }
                        }
                    }
                }
            }
        }
    }
}

/// The GDELT figures of one tone object as stored.
fn figure(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.2}")
    } else {
        "–".to_string()
    }
}

fn tone_panel(stored: &StoredArticle) -> Markup {
    let whole = stored.article.tone.as_ref();
    let narrative = stored.article.tone_narrative.as_ref();
    let columns: Vec<(&str, &Tone)> = [("Whole text", whole), ("Narrative", narrative)]
        .into_iter()
        .filter_map(|(label, figures)| Some((label, figures?)))
        .collect();
    html! {
        section.tone.panel aria-labelledby="tone-heading" {
            h2 #tone-heading { "Tone" }
            @if columns.is_empty() {
                p.empty { "No tone computed." }
            } @else {
                table.tone-table {
                    caption { "GDELT tone: % positive words − % negative words. "
                        "Narrative leaves out the quotes: the outlet's own voice." }
                    thead { tr { th scope="col" { "Figure" } @for (label, _) in &columns { th scope="col" { (label) } } } }
                    tbody {
                        tr { th scope="row" { "Tone" } @for (_, f) in &columns { td.tone-value { (figure(f.tone)) } } }
                        tr { th scope="row" { "Positive %" } @for (_, f) in &columns { td { (figure(f.positive)) } } }
                        tr { th scope="row" { "Negative %" } @for (_, f) in &columns { td { (figure(f.negative)) } } }
                        tr { th scope="row" { "Polarity" } @for (_, f) in &columns { td { (figure(f.polarity)) } } }
                        tr { th scope="row" { "Words" } @for (_, f) in &columns {
                            td { (f.words) }
                        } }
                    }
                }
                @for (label, f) in &columns {
                    div.tone-row { span.tone-row-label { (label) } (tone_bar(f.tone, label)) }
                }
            }
        }
    }
}

fn entities_panel(entities: &[Entity]) -> Markup {
    let mut named: Vec<&Entity> = entities
        .iter()
        .filter(|entity| {
            entity
                .mentions
                .iter()
                .any(|mention| mention.kind == MentionKind::Name)
        })
        .collect();
    named.sort_by(|a, b| {
        b.mentions
            .len()
            .cmp(&a.mentions.len())
            .then(a.name.cmp(&b.name))
    });
    html! {
        @if !named.is_empty() {
            aside.entities.panel aria-labelledby="entities-heading" {
                h2 #entities-heading { "Who and what is mentioned" }
                ul.entity-list {
                    @for entity in named {
                        li {
                            span.type-badge.(format!("entity-{}", class_token(entity.entity_type.as_str()))) { (entity.entity_type) }
                            " " a href=(entity_path(&entity.name)) { (entity.name) }
                            " " span.count { (plural(entity.mentions.len(), "mention", "mentions")) }
                        }
                    }
                }
            }
        }
    }
}

fn metadata_panel(stored: &StoredArticle, story: Option<&StorySummary>) -> Markup {
    let article = &stored.article;
    html! {
        section.metadata.panel aria-labelledby="metadata-heading" {
            h2 #metadata-heading { "About this article" }
            dl {
                dt { "Title" } dd { (article.title.as_deref().unwrap_or("–")) }
                dt { "Outlet" } dd {
                    @if let Some(outlet) = &article.source.outlet { a.outlet-link href=(outlet_path(outlet)) { (outlet) } } @else { "–" }
                }
                dt { "Published" } dd {
                    @if let Some(published) = &article.published { time datetime=(published) { (display_date(published)) } } @else { "–" }
                }
                dt { "Authors" } dd { @if article.authors.is_empty() { "–" } @else { (article.authors.join(", ")) } }
                dt { "URL" } dd.url {
                    @match article.source.url.as_deref() {
                        Some(url) => {
                            @if let Some(href) = web_url(url) {
                                a href=(href) rel="noopener noreferrer" { (url) }
                            } @else {
                                (url)
                            }
                        }
                        None => "–",
                    }
                }
                dt { "Language" } dd { (article.language) }
                @if let Some(story) = story {
                    dt { "Story" } dd {
                        a href=(story_path(&story.id)) { (story.title.as_deref().unwrap_or("untitled story")) }
                        " (" (plural(story.articles.len(), "article", "articles")) ")"
                    }
                }
                @if let Some(original) = &stored.duplicate_of {
                    dt { "Near-copy of" } dd { a href=(article_path(original)) { (original) } }
                }
                dt { "Id" } dd { code { (article.id) } }
            }
        }
    }
}
