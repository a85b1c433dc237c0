//! Quotes: every statement the article attributes to someone, with its speaker, reporting verb and
//! channel — direct, mixed (reported speech around a quoted fragment), indirect and posts.
//!
//! Steps, each in its own module: `marks.rs` pairs quotation marks into passages (multi-paragraph,
//! unclosed); `cues.rs` knows the reporting verbs (`data/reporting_verbs.txt`); `clauses.rs` reads
//! each sentence for attribution clauses — a cue, its source ("X said", "said X", "X, role, said",
//! "according to X") and its content (before the tag, after it, split around it, or after a colon);
//! `speaker.rs` turns a source into a speaker, resolving pronouns and descriptions through the
//! entities layer. Passages no clause claims are quotes of the previous speaker when they read as
//! speech; shorter fragments (`clauses/fragments.rs`) are mixed quotes of their sentence's subject,
//! and titles, names or scare quotes no one can have said are dropped. Spans are byte offsets; the
//! analysis converts them.

pub mod bounds;
mod clauses;
pub mod cues;
pub mod filter;
pub(crate) mod marks;
mod speaker;
#[cfg(test)]
mod test_support;

pub use marks::{quoted_passages, Passage};

use crate::deadline::Deadline;
use crate::entities::{FoundEntity, MentionKind};
use crate::offsets::Span;
use cues::Cue;

pub use newslens_contract::QuoteKind;

/// Who said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundSpeaker {
    /// The resolved name ("Jeremy Corbyn" for "he"), or the description as written.
    pub name: String,
    /// The entity it resolves to, an index into the entities list.
    pub entity: Option<usize>,
    /// The mention in the attribution as written, when the text has one.
    pub mention: Option<(Span, MentionKind)>,
}

/// One attributed statement, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundQuote {
    /// The words attributed, one span per part (split and multi-paragraph quotes have several).
    pub spans: Vec<Span>,
    /// The parts inside quotation marks, or the post: the source's own words.
    pub marked: Vec<Span>,
    /// Direct, mixed, indirect or post.
    pub kind: QuoteKind,
    /// Who said it, when the text tells.
    pub speaker: Option<FoundSpeaker>,
    /// The reporting verb and where it is.
    pub verb: Option<(Span, &'static Cue)>,
    /// Twitter, statement, interview … when the text says.
    pub channel: Option<&'static str>,
    /// Which rule found it.
    pub origin: Origin,
}

/// Which rule found a quote: what the quote filter (`filter.rs`) weighs first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An attribution clause: a cue with its source and content.
    Clause,
    /// A transcript turn ("PENCE: Well, …").
    Transcript,
    /// A passage signed with a dash and a name (`“…” ― Ana Lopez`).
    Signature,
    /// A passage after a colon, given to its sentence's subject.
    ColonSubject,
    /// A passage no clause claimed, given to the speaker before it.
    LastSpeaker,
    /// A quoted fragment given to its sentence's subject.
    Fragment,
    /// An embedded post.
    Post,
}

impl Origin {
    /// Its name in feature names and listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Clause => "clause",
            Origin::Transcript => "transcript",
            Origin::Signature => "signature",
            Origin::ColonSubject => "colon_subject",
            Origin::LastSpeaker => "last_speaker",
            Origin::Fragment => "fragment",
            Origin::Post => "post",
        }
    }
}

/// A post the article embeds, in byte offsets: its words and its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostWords {
    /// The post's words (its signature line left out when the text has one).
    pub span: Span,
    /// The author's display name, or the handle.
    pub author: Option<String>,
    /// The author's handle with its `@`, when the post gives one.
    pub handle: Option<String>,
    /// Twitter, Instagram … when the post says.
    pub channel: &'static str,
}

/// Finds the quotes of a text, given its paragraphs, sentences with their tokens, the entities and
/// the embedded posts. Quotes come in text order.
///
/// ```
/// use newslens_core::entities::find_entities;
/// use newslens_core::quotes::{find_quotes, QuoteKind};
/// use newslens_core::segment::{paragraphs, sentences};
/// use newslens_core::tokens::tokenize;
/// let text = "Mayor Ana Lopez spoke on Monday. “The bridge opens in June,” she said.";
/// let paragraphs = paragraphs(text);
/// let sentences = sentences(text, &paragraphs);
/// let tokens: Vec<_> = sentences.iter().map(|s| {
///     tokenize(&text[s.start..s.end]).into_iter()
///         .map(|t| newslens_core::Span::new(s.start + t.start, s.start + t.end)).collect()
/// }).collect();
/// let entities = find_entities(text, &sentences);
/// let quotes = find_quotes(text, &paragraphs, &sentences, &tokens, &entities, &[]);
/// assert_eq!(quotes.len(), 1);
/// assert_eq!(quotes[0].kind, QuoteKind::Direct);
/// assert_eq!(quotes[0].speaker.as_ref().map(|s| s.name.as_str()), Some("Ana Lopez"));
/// ```
pub fn find_quotes(
    text: &str,
    paragraphs: &[Span],
    sentences: &[Span],
    sentence_tokens: &[Vec<Span>],
    entities: &[FoundEntity],
    posts: &[PostWords],
) -> Vec<FoundQuote> {
    find_quotes_within(
        text,
        paragraphs,
        sentences,
        sentence_tokens,
        entities,
        posts,
        Deadline::NEVER,
    )
}

/// [`find_quotes`] until `deadline`: once it has passed, the clause reader stops at the next
/// sentence, so the quotes are partial, and [`crate::analyze_within`] drops them at its next
/// check.
pub fn find_quotes_within(
    text: &str,
    paragraphs: &[Span],
    sentences: &[Span],
    sentence_tokens: &[Vec<Span>],
    entities: &[FoundEntity],
    posts: &[PostWords],
    deadline: Deadline,
) -> Vec<FoundQuote> {
    let mut quotes = find_quote_candidates_within(
        text,
        paragraphs,
        sentences,
        sentence_tokens,
        entities,
        posts,
        deadline,
    );
    drop_unlikely(text, paragraphs, sentences, entities, &mut quotes);
    quotes
}

/// Drops the rules' quotes the shipped quote filter (`filter.rs`) finds unlikely; quotes from
/// embedded posts always stay.
pub fn drop_unlikely(
    text: &str,
    paragraphs: &[Span],
    sentences: &[Span],
    entities: &[FoundEntity],
    quotes: &mut Vec<FoundQuote>,
) {
    let shipped = filter::QuoteFilter::shipped();
    quotes.retain(|quote| {
        quote.origin == Origin::Post
            || shipped.keeps(&filter::features(
                text, paragraphs, sentences, entities, quote,
            ))
    });
}

/// Every quote the rules find, before the quote filter (`filter.rs`) drops the unlikely ones:
/// what the filter is trained on.
pub fn find_quote_candidates_within(
    text: &str,
    paragraphs: &[Span],
    sentences: &[Span],
    sentence_tokens: &[Vec<Span>],
    entities: &[FoundEntity],
    posts: &[PostWords],
    deadline: Deadline,
) -> Vec<FoundQuote> {
    let passages = quoted_passages(text, paragraphs);
    if deadline.passed() {
        return Vec::new();
    }
    let mut quotes = clauses::attribute(
        text,
        paragraphs,
        sentences,
        sentence_tokens,
        &passages,
        entities,
        posts,
        deadline,
    );
    // A post is its author's statement as a whole: words in quotation marks inside it (a talk's
    // title, a place's name, a scare quote) and the clauses read in it are not quotes of their
    // own.
    quotes.retain(|quote| {
        !posts.iter().any(|post| {
            quote
                .spans
                .iter()
                .all(|span| post.span.start <= span.start && span.end <= post.span.end)
        })
    });
    quotes.extend(posts.iter().map(|post| {
        FoundQuote {
            spans: vec![post.span],
            marked: vec![post.span],
            kind: QuoteKind::Post,
            speaker: post
                .author
                .as_ref()
                .map(|author| speaker::named(author, post.handle.as_deref(), entities)),
            verb: None,
            channel: Some(post.channel),
            origin: Origin::Post,
        }
    }));
    quotes.sort_by_key(|quote| quote.spans.first().map_or(0, |span| span.start));
    quotes
}

#[cfg(test)]
mod tests {
    use super::test_support::segmented;
    use super::*;

    #[test]
    fn titles_in_quotation_marks_inside_a_post_are_not_quotes_of_their_own() {
        let text = "The councillor was criticised online.\n\n\
                    Last year you gave a talk at the ‘Harbour Institute of Leeds’ titled \
                    ‘Why the Pier Must Go’ and you still defend it.\n\n\
                    The post was later deleted.";
        let cut = segmented(text);
        let post = cut.paragraphs[1];
        let posts = [PostWords {
            span: post,
            author: Some("Dana Welk".to_string()),
            handle: Some("@danawelk".to_string()),
            channel: "twitter",
        }];
        let quotes = find_quotes(
            text,
            &cut.paragraphs,
            &cut.sentences,
            &cut.tokens,
            &cut.entities,
            &posts,
        );
        let kinds: Vec<&str> = quotes.iter().map(|q| q.kind.as_str()).collect();
        assert_eq!(kinds, ["post"], "{quotes:?}");
    }
}
