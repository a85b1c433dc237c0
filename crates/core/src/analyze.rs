//! The analysis entry point: a [`Document`] in, an [`Article`] out, layer after layer.
//!
//! Layers run in a fixed order, each a plain function of the text and the layers before it, working
//! in byte offsets; the conversion to the contract's character offsets happens once, here, at the
//! end. Nothing here reads files or fails on messy text; [`analyze_within`] stops, between layers,
//! once a [`Deadline`] has passed.

use xxhash_rust::xxh3::xxh3_64;

use crate::article::{
    Article, Entity, Loaded, Mention, Post, Quote, ReportingVerb, Speaker, SCHEMA,
};
use crate::deadline::{Deadline, OverBudget};
use crate::document::Document;
use crate::offsets::{CharOffsets, Span};
use crate::quotes::{self, PostWords};
use crate::{entities, language, loaded, posts, segment, tokens, tone};

/// Analyses one document. Never fails: odd text gives thin layers, not errors.
pub fn analyze(document: &Document) -> Article {
    match analyze_within(document, Deadline::NEVER) {
        Ok(article) => article,
        Err(OverBudget { .. }) => unreachable!("a deadline that never comes never passes"),
    }
}

/// Loads what the first analysis would otherwise load inside its own time budget: the tagger's
/// 13.6 MB model, the loaded-language model, the gazetteers and word lists (about 0.1 s, once per
/// process), by analysing a one-sentence article that reaches every layer.
pub fn warm_up() {
    let document = Document::new(
        "“The council will rebuild the pier in Paris,” said Mayor Ana Lopez, a former judge. \
         She criticised the disgraceful plan.",
    );
    analyze(&document);
}

/// Analyses one document unless `deadline` passes first: the last guard against a document whose
/// analysis would take far longer than its size suggests. The deadline is checked between layers
/// and inside the long loops (the tagger's and the clause reader's, per sentence); work past it
/// is dropped, never returned as a partial article.
///
/// ```
/// use std::time::Duration;
/// use newslens_core::{analyze_within, Deadline, Document};
///
/// let document = Document::new("“We will rebuild the pier,” Tom Reddy said.");
/// assert!(analyze_within(&document, Deadline::after(Some(Duration::from_secs(60)))).is_ok());
/// let over = analyze_within(&document, Deadline::after(Some(Duration::ZERO))).unwrap_err();
/// assert_eq!(over.to_string(), "analysis ran past its time budget of 0 s");
/// ```
pub fn analyze_within(document: &Document, deadline: Deadline) -> Result<Article, OverBudget> {
    analyze_layers(
        document,
        deadline,
        loaded::Tagging::Features(loaded::shipped_model()),
        &loaded::DecodeOptions::default(),
        None,
    )
}

/// [`analyze_within`] with the loaded language read by another tagger: the optional encoder mode
/// (`newslens analyze --loaded encoder`), whose tagger lives outside this crate.
pub fn analyze_within_tagging(
    document: &Document,
    deadline: Deadline,
    tagging: loaded::Tagging<'_>,
) -> Result<Article, OverBudget> {
    analyze_layers(
        document,
        deadline,
        tagging,
        &loaded::DecodeOptions::default(),
        None,
    )
}

/// [`analyze`] with another loaded-language tagger or decoding than the shipped ones: for
/// evaluations that trace the loaded layer's precision and recall over the tagger's bias with
/// every other layer as shipped.
pub fn analyze_with_loaded(
    document: &Document,
    model: &loaded::LoadedModel,
    decode: &loaded::DecodeOptions,
) -> Article {
    match analyze_layers(
        document,
        Deadline::NEVER,
        loaded::Tagging::Features(model),
        decode,
        None,
    ) {
        Ok(article) => article,
        Err(OverBudget { .. }) => unreachable!("a deadline that never comes never passes"),
    }
}

/// The rules' quotes with what the quote models learn from: what `newslens train quotes` trains
/// on and `eval quotes --no-filter` scores.
#[derive(Debug, Clone)]
pub struct QuoteCandidates {
    /// The article with every quote the rules find, before the filter drops any and before the
    /// boundary chooser moves any edge.
    pub article: Article,
    /// Each quote's filter features, in the order of `article.quotes`.
    pub filter_features: Vec<Vec<String>>,
    /// Each quote's boundary candidates, in the order of `article.quotes` (empty for a quote the
    /// chooser does not move); their spans are in characters, like the article's.
    pub bounds: Vec<Vec<quotes::bounds::BoundCandidate>>,
}

/// [`analyze`] with every quote the rules find, before the quote filter drops any or the
/// boundary chooser moves any edge, with each quote's filter features and boundary candidates.
pub fn analyze_quote_candidates(document: &Document) -> QuoteCandidates {
    let mut training = QuoteTraining::default();
    match analyze_layers(
        document,
        Deadline::NEVER,
        loaded::Tagging::Features(loaded::shipped_model()),
        &loaded::DecodeOptions::default(),
        Some(&mut training),
    ) {
        Ok(article) => QuoteCandidates {
            article,
            filter_features: training.filter_features,
            bounds: training.bounds,
        },
        Err(OverBudget { .. }) => unreachable!("a deadline that never comes never passes"),
    }
}

/// What [`analyze_quote_candidates`] collects on the way, in byte offsets until the end.
#[derive(Default)]
struct QuoteTraining {
    filter_features: Vec<Vec<String>>,
    bounds: Vec<Vec<quotes::bounds::BoundCandidate>>,
}

/// The layers, in order, with the given loaded-language tagger and decoding. With
/// `quote_training`, the quotes are every candidate the rules find, unfiltered and with the
/// rules' bounds, and each one's filter features and boundary candidates are collected there.
fn analyze_layers(
    document: &Document,
    deadline: Deadline,
    loaded_tagging: loaded::Tagging<'_>,
    loaded_decode: &loaded::DecodeOptions,
    quote_training: Option<&mut QuoteTraining>,
) -> Result<Article, OverBudget> {
    let text = document.text.as_str();
    deadline.check()?;
    let paragraphs = segment::paragraphs(text);
    let sentences = segment::sentences(text, &paragraphs);
    let pasted_posts = posts::find_pasted_posts(text, &paragraphs);
    deadline.check()?;
    let sentence_tokens: Vec<Vec<Span>> = sentences
        .iter()
        .map(|sentence| {
            let mut tokens = Vec::new();
            tokens::tokenize_into(text, sentence.start, sentence.end, &mut tokens);
            tokens
        })
        .collect();
    deadline.check()?;
    let found_entities = entities::find_entities_within(text, sentence_tokens.clone(), deadline);
    deadline.check()?;
    let post_words = post_words(document, &pasted_posts);
    let mut found_quotes = quotes::find_quote_candidates_within(
        text,
        &paragraphs,
        &sentences,
        &sentence_tokens,
        &found_entities,
        &post_words,
        deadline,
    );
    let passages = quotes::quoted_passages(text, &paragraphs);
    let offsets = CharOffsets::new(text);
    match quote_training {
        // Training the quote models: every candidate is kept as the rules bound it, with its
        // features.
        Some(training) => {
            training
                .filter_features
                .extend(found_quotes.iter().map(|quote| {
                    quotes::filter::features(text, &paragraphs, &sentences, &found_entities, quote)
                }));
            training.bounds.extend(found_quotes.iter().map(|quote| {
                let mut found = quotes::bounds::candidates(
                    text,
                    &sentences,
                    &sentence_tokens,
                    &passages,
                    quote,
                );
                for candidate in &mut found {
                    for span in &mut candidate.spans {
                        *span = offsets.span(*span);
                    }
                }
                found
            }));
        }
        None => {
            quotes::drop_unlikely(
                text,
                &paragraphs,
                &sentences,
                &found_entities,
                &mut found_quotes,
            );
            quotes::bounds::choose_bounds(
                text,
                &sentences,
                &sentence_tokens,
                &passages,
                &mut found_quotes,
            );
        }
    }
    deadline.check()?;
    // Source words in quotation marks and posts: not the outlet's own voice.
    let mut quoted: Vec<Span> = found_quotes
        .iter()
        .flat_map(|quote| quote.marked.iter().copied())
        .collect();
    quoted.sort_by_key(|span| span.start);
    let sentence_tones = tone::sentence_tones(text, &sentence_tokens, &quoted);
    let (article_tone, narrative_tone) = tone::article_tones(&sentence_tones);
    deadline.check()?;
    let names = entities::name_spans(&found_entities);
    let loaded_spans = match loaded_tagging {
        loaded::Tagging::Features(model) => loaded::find_loaded_with(
            model,
            text,
            &sentence_tokens,
            &quoted,
            &names,
            loaded_decode,
        ),
        loaded::Tagging::Encoder { tagger, threshold } => {
            let probabilities = tagger.token_probabilities(text, &sentence_tokens, deadline)?;
            loaded::find_loaded_with_classes(
                &loaded::classes_of_probabilities(&probabilities, threshold),
                text,
                &sentence_tokens,
                &quoted,
                &names,
                loaded_decode,
            )
        }
    };
    deadline.check()?;

    let posts_in_text = pasted_posts
        .into_iter()
        .map(|post| {
            let span = offsets.span(post.span);
            Post {
                author: post.author,
                handle: Some(post.handle),
                date: post.date,
                url: post.url,
                start: span.start,
                end: span.end,
            }
        })
        .collect();
    Ok(Article {
        schema: SCHEMA.to_string(),
        id: article_id(text),
        source: document.source.clone(),
        title: document.title.clone(),
        published: document.published.clone(),
        updated: document.updated.clone(),
        authors: document.authors.clone(),
        language: language::detect(text).to_string(),
        text: text.to_string(),
        paragraphs: paragraphs.iter().map(|span| offsets.span(*span)).collect(),
        sentences: sentences.iter().map(|span| offsets.span(*span)).collect(),
        entities: contract_entities(text, &offsets, found_entities, &sentence_tones),
        quotes: contract_quotes(text, &offsets, found_quotes),
        posts: posts::merge_posts(document.posts.clone(), posts_in_text),
        tone: Some(article_tone),
        tone_narrative: Some(narrative_tone),
        loaded: contract_loaded(text, &offsets, &loaded_spans),
        boilerplate: document.boilerplate.clone(),
    })
}

/// The words of every post for the quote layer: the posts pasted into the text, then the
/// reader's posts that overlap none of them.
fn post_words(document: &Document, pasted_posts: &[posts::PastedPost]) -> Vec<PostWords> {
    let text = document.text.as_str();
    let mut post_words: Vec<PostWords> = pasted_posts
        .iter()
        .map(|post| PostWords {
            span: words_of_post(text, post.span),
            author: post.author.clone().or_else(|| Some(post.handle.clone())),
            handle: Some(post.handle.clone()),
            channel: channel_of_post(post.url.as_deref(), text, post.span),
        })
        .collect();
    if document.posts.is_empty() {
        return post_words;
    }
    let bytes = char_to_byte_table(text);
    for post in &document.posts {
        let (Some(&start), Some(&end)) = (bytes.get(post.start), bytes.get(post.end)) else {
            continue;
        };
        let span = Span::new(start, end);
        if post_words
            .iter()
            .any(|p| p.span.start < end && start < p.span.end)
        {
            continue;
        }
        post_words.push(PostWords {
            span: words_of_post(text, span),
            author: post.author.clone().or_else(|| post.handle.clone()),
            handle: post.handle.clone(),
            channel: channel_of_post(post.url.as_deref(), text, span),
        });
    }
    post_words
}

/// A mention in the contract's form: character offsets and the words as written.
fn contract_mention(
    text: &str,
    offsets: &CharOffsets,
    span: Span,
    kind: entities::MentionKind,
) -> Mention {
    let chars = offsets.span(span);
    Mention {
        start: chars.start,
        end: chars.end,
        text: text[span.start..span.end].to_string(),
        kind,
    }
}

/// The entities in the contract's form, each with the narrative tone of its sentences.
fn contract_entities(
    text: &str,
    offsets: &CharOffsets,
    found_entities: Vec<entities::FoundEntity>,
    sentence_tones: &[tone::SentenceTone],
) -> Vec<Entity> {
    found_entities
        .into_iter()
        .enumerate()
        .map(|(id, entity)| Entity {
            id,
            name: entity.name,
            entity_type: entity.entity_type,
            roles: entity.roles,
            tone: Some(tone::narrative_tone_of(
                sentence_tones,
                entity.mentions.iter().map(|mention| mention.sentence_idx),
            )),
            mentions: entity
                .mentions
                .iter()
                .map(|mention| contract_mention(text, offsets, mention.span, mention.kind))
                .collect(),
        })
        .collect()
}

/// The quotes in the contract's form: the text of their parts joined with " … ".
fn contract_quotes(
    text: &str,
    offsets: &CharOffsets,
    found_quotes: Vec<quotes::FoundQuote>,
) -> Vec<Quote> {
    found_quotes
        .into_iter()
        .map(|quote| Quote {
            text: quote
                .spans
                .iter()
                .map(|span| &text[span.start..span.end])
                .collect::<Vec<_>>()
                .join(" … "),
            spans: quote.spans.iter().map(|span| offsets.span(*span)).collect(),
            kind: quote.kind,
            speaker: quote.speaker.map(|speaker| Speaker {
                name: speaker.name,
                entity: speaker.entity,
                mention: speaker
                    .mention
                    .map(|(span, kind)| contract_mention(text, offsets, span, kind)),
            }),
            verb: quote.verb.map(|(span, cue)| {
                let chars = offsets.span(span);
                ReportingVerb {
                    text: text[span.start..span.end].to_string(),
                    lemma: cue.lemma.to_string(),
                    start: chars.start,
                    end: chars.end,
                    neutral: cue.neutral,
                }
            }),
            channel: quote.channel.map(str::to_string),
        })
        .collect()
}

/// The loaded words in the contract's form.
fn contract_loaded(
    text: &str,
    offsets: &CharOffsets,
    loaded_spans: &[loaded::LoadedSpan],
) -> Vec<Loaded> {
    loaded_spans
        .iter()
        .map(|found| {
            let span = offsets.span(found.span);
            Loaded {
                start: span.start,
                end: span.end,
                text: text[found.span.start..found.span.end].to_string(),
                category: found.category,
                in_quote: found.in_quote,
            }
        })
        .collect()
}

/// The stable id of a text: 16 hex digits of its XXH3-64 hash.
pub fn article_id(text: &str) -> String {
    format!("{:016x}", xxh3_64(text.as_bytes()))
}

/// The words of a post: its span without the signature ("— Name (@handle) date", "A post shared
/// by …").
fn words_of_post(text: &str, span: Span) -> Span {
    let body = &text[span.start..span.end];
    let signature = body
        .find("A post shared by")
        .or_else(|| {
            let handle = body.rfind("(@")?;
            body[..handle].rfind(['—', '–'])
        })
        .unwrap_or(body.len());
    let words = body[..signature].trim_end();
    if words.is_empty() {
        span
    } else {
        Span::new(span.start, span.start + words.len())
    }
}

/// The platform a post comes from, by its link or its signature.
fn channel_of_post(url: Option<&str>, text: &str, span: Span) -> &'static str {
    let body = &text[span.start..span.end];
    match url {
        Some(url) if url.contains("instagram") => "instagram",
        Some(url) if url.contains("facebook") => "facebook",
        _ if body.contains("A post shared by") => "instagram",
        _ => "twitter",
    }
}

/// Byte offset of every character offset of `text` (and of its end).
fn char_to_byte_table(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(byte, _)| byte)
        .chain(std::iter::once(text.len()))
        .collect()
}
