//! The article contract, schema `newslens.article/1`: what `newslens analyze` prints and the store keeps.
//!
//! Field names are the contract (see `../shared/DESIGN.md`): fields may be added, none renamed
//! silently. Every offset here is a **character** offset into `text`, end-exclusive. This module only
//! defines the shapes; the layers that fill them live in their own modules.

use serde::{Deserialize, Serialize};

use crate::kinds::{BoilerplateKind, EntityType, LoadedCategory, MentionKind, QuoteKind};
use crate::span::Span;

/// The schema tag every article carries.
pub const SCHEMA: &str = "newslens.article/1";

/// One analysed news article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Article {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Stable id derived from the normalised text (16 hex digits of its XXH3 hash).
    pub id: String,
    /// Where the article came from.
    pub source: Source,
    /// The headline.
    pub title: Option<String>,
    /// Publication date (and time when known), ISO 8601, no invented time zone.
    pub published: Option<String>,
    /// When the page says it was last changed (ISO 8601, as written), apart from `published`.
    /// Added to `newslens.article/1` compatibly: absent when unknown, and older JSON without it
    /// still reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// The authors, in order.
    pub authors: Vec<String>,
    /// ISO 639-1 language code, or `und` when the text is too short or unclear.
    pub language: String,
    /// The normalised main text every offset points into.
    pub text: String,
    /// Paragraph spans.
    pub paragraphs: Vec<Span>,
    /// Sentence spans; every sentence lies inside one paragraph.
    pub sentences: Vec<Span>,
    /// People, organisations, places, groups and events, each with its mentions.
    pub entities: Vec<Entity>,
    /// Who said what.
    pub quotes: Vec<Quote>,
    /// Embedded social-media posts.
    pub posts: Vec<Post>,
    /// GDELT-style tone figures over the whole text, when computed.
    pub tone: Option<Tone>,
    /// The same figures over the outlet's own voice: the text with every quoted span removed.
    pub tone_narrative: Option<Tone>,
    /// Loaded or emotive language.
    pub loaded: Vec<Loaded>,
    /// Lines removed from the text while reading.
    pub boilerplate: Vec<Boilerplate>,
}

impl Article {
    /// Every span the article carries, as `(layer, start, end)` in characters: paragraphs,
    /// sentences, posts, entity mentions, quotes with their verbs and speaker mentions, loaded
    /// language. For checking the offsets invariant in one place.
    pub fn spans(&self) -> Vec<(&'static str, usize, usize)> {
        let mut spans: Vec<(&'static str, usize, usize)> = Vec::new();
        spans.extend(
            self.paragraphs
                .iter()
                .map(|span| ("paragraph", span.start, span.end)),
        );
        spans.extend(
            self.sentences
                .iter()
                .map(|span| ("sentence", span.start, span.end)),
        );
        spans.extend(self.posts.iter().map(|post| ("post", post.start, post.end)));
        for entity in &self.entities {
            spans.extend(
                entity
                    .mentions
                    .iter()
                    .map(|mention| ("entity mention", mention.start, mention.end)),
            );
        }
        for quote in &self.quotes {
            spans.extend(
                quote
                    .spans
                    .iter()
                    .map(|span| ("quote", span.start, span.end)),
            );
            if let Some(verb) = &quote.verb {
                spans.push(("reporting verb", verb.start, verb.end));
            }
            if let Some(mention) = quote
                .speaker
                .as_ref()
                .and_then(|speaker| speaker.mention.as_ref())
            {
                spans.push(("speaker mention", mention.start, mention.end));
            }
        }
        spans.extend(
            self.loaded
                .iter()
                .map(|loaded| ("loaded language", loaded.start, loaded.end)),
        );
        spans
    }
}

/// Where an article came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    /// The input path (`-` for standard input), with `:LINE` or `#RECORD` for records in a file.
    pub path: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// The outlet (publication) name.
    pub outlet: Option<String>,
}

/// A person, organisation, place, group or event, with every mention of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entity {
    /// Index of the entity in the article's list.
    pub id: usize,
    /// The fullest proper name seen.
    pub name: String,
    /// PERSON, ORG, GPE, LOC, NORP or EVENT.
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// Roles and titles given to it ("Labour leader", "Colonel").
    pub roles: Vec<String>,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
    /// The narrative tone (quotes removed) of the sentences that mention it.
    pub tone: Option<Tone>,
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mention {
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset just past the mention.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// `name`, `nominal` or `pronoun`.
    pub kind: MentionKind,
}

/// A statement the article attributes to someone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    /// The quoted or reported words.
    pub text: String,
    /// The spans the words occupy (several for a quote split around its speech tag).
    pub spans: Vec<Span>,
    /// `direct`, `mixed`, `indirect` or `post`.
    pub kind: QuoteKind,
    /// Who said it, or `None` when the text does not say.
    pub speaker: Option<Speaker>,
    /// The reporting verb.
    pub verb: Option<ReportingVerb>,
    /// `twitter`, `statement`, `interview`… where the text says.
    pub channel: Option<String>,
}

/// The speaker of a quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Speaker {
    /// The resolved name.
    pub name: String,
    /// The entity id, when the speaker is a known entity.
    pub entity: Option<usize>,
    /// The mention in the attribution as written.
    pub mention: Option<Mention>,
}

/// The verb or phrase that reports a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportingVerb {
    /// The verb as written.
    pub text: String,
    /// Its dictionary form.
    pub lemma: String,
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset just past the verb.
    pub end: usize,
    /// False for evaluative verbs (gushed, slammed, admitted).
    pub neutral: bool,
}

/// An embedded social-media post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Post {
    /// The author's display name as written.
    pub author: Option<String>,
    /// The author's handle, with its `@`.
    pub handle: Option<String>,
    /// The date of the post, ISO 8601.
    pub date: Option<String>,
    /// The post's link.
    pub url: Option<String>,
    /// Character offset of the post's first character.
    pub start: usize,
    /// Character offset just past the post.
    pub end: usize,
}

/// GDELT's document tone figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tone {
    /// positive − negative.
    pub tone: f64,
    /// % of words in the positive lexicon.
    pub positive: f64,
    /// % of words in the negative lexicon.
    pub negative: f64,
    /// positive + negative.
    pub polarity: f64,
    /// GDELT's activity reference density: % of words that refer to action.
    pub activity_density: f64,
    /// GDELT's self/group reference density: % of words that are pronouns.
    pub self_group_density: f64,
    /// Words counted.
    pub words: usize,
}

/// A loaded or emotive span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Loaded {
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset just past the span.
    pub end: usize,
    /// The span as written.
    pub text: String,
    /// `loaded_verb`, `label`, `emotive`, `intensifier` or `scare_quote`.
    pub category: LoadedCategory,
    /// Whether the span lies inside a direct quote: a source's own words, not the outlet's framing.
    pub in_quote: bool,
}

/// A line removed from the text while reading, kept so nothing a reader saw is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Boilerplate {
    /// The line as it stood.
    pub text: String,
    /// `dateline`, `byline`, `author_footer`, `image_credit`, `share`, `newsletter`, `related`, …
    pub kind: BoilerplateKind,
}

impl Boilerplate {
    /// A removed line of this kind.
    pub fn new(text: impl Into<String>, kind: BoilerplateKind) -> Boilerplate {
        Boilerplate {
            text: text.into(),
            kind,
        }
    }
}
