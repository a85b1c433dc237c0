//! `eval ner`'s runs: the entity tagger alone, sentence by sentence, on CoNLL files and GMB's
//! held-out tenth, and the whole entities layer on CoNLL documents; exact typed spans, with the
//! type mapping of [`crate::conll::conll_label`].
//!
//! The tagger is whichever [`Model`] the caller hands in (the shipped one or a file read with
//! [`read_model`]). Nothing here trains; `train::ner` does. The seed articles' entity reference is
//! checked by [`super::seeds::entities`].

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::time::Instant;

use newslens_core::entities::{find_entities_in_tokens, MentionKind};
use newslens_core::ner::{spans_of, FeatureHasher, Model};
use newslens_core::Span;

use crate::conll::{self, conll_label};
use crate::gmb;
use crate::score::{SpanScore, TypedSpan};
use crate::RunError;

/// Reads a tagger model file.
pub fn read_model(path: &str) -> Result<Model, RunError> {
    let bytes = std::fs::read(path).map_err(|source| RunError::Read {
        path: path.to_string(),
        source,
    })?;
    Model::from_bytes(&bytes).map_err(|source| RunError::Model {
        path: path.to_string(),
        source,
    })
}

/// The tagger alone on one gold set: its table and its speed.
#[derive(Debug)]
pub struct TaggerScore {
    /// The table's title (which set, how it was scored).
    pub title: String,
    /// Exact typed-span counts.
    pub score: SpanScore,
    /// Tokens tagged.
    pub n_tokens: usize,
    /// Seconds spent tagging (reading and scoring left out).
    pub seconds: f64,
}

impl fmt::Display for TaggerScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.score.table(&self.title))?;
        writeln!(
            f,
            "{} tokens tagged in {:.3} s ({:.0} tokens/s, one thread)\n",
            self.n_tokens,
            self.seconds,
            self.n_tokens as f64 / self.seconds.max(1e-9)
        )
    }
}

/// A CoNLL file's documents, read once for the tagger's score and the entities layer's.
#[derive(Debug)]
pub struct ConllGold {
    /// The file, as given.
    pub path: String,
    /// Its documents.
    pub documents: Vec<conll::Document>,
}

impl ConllGold {
    /// Reads a CoNLL file (IOB1 or IOB2).
    pub fn read(path: &str) -> Result<ConllGold, RunError> {
        let documents = conll::read(path).map_err(|source| RunError::Gold {
            path: path.to_string(),
            source,
        })?;
        Ok(ConllGold {
            path: path.to_string(),
            documents,
        })
    }

    /// Tags every sentence on its own with `model` and scores its spans.
    pub fn tagger_score(&self, model: &Model) -> TaggerScore {
        let sentences = self.documents.iter().flat_map(|d| &d.sentences);
        let (score, n_tokens, seconds) =
            score_sentences(model, sentences.map(|s| (&s.words, &s.spans)));
        TaggerScore {
            title: format!(
                "NER tagger alone on {} (sentence by sentence; exact spans; PERSON→PER, ORG→ORG, GPE/LOC→LOC, NORP/EVENT→MISC)",
                self.path
            ),
            score,
            n_tokens,
            seconds,
        }
    }

    /// Runs the shipped entities layer over each document (gold tokens, sentences as given) and
    /// scores its name mentions.
    pub fn entities_score(&self) -> EntitiesScore<'_> {
        let mut gold: Vec<TypedSpan> = Vec::new();
        let mut predicted: Vec<TypedSpan> = Vec::new();
        let mut sentence_base = 0;
        for document in &self.documents {
            entity_spans(document, sentence_base, &mut gold, &mut predicted);
            sentence_base += document.sentences.len();
        }
        EntitiesScore {
            title: format!(
                "NER with the entities layer on {} (whole documents: type consistency, repeats, aliases)",
                self.path
            ),
            score: SpanScore::new(&gold, &predicted),
            sentences: self.documents.iter().flat_map(|d| &d.sentences).collect(),
            gold,
            predicted,
        }
    }
}

/// Adds one document's gold spans and the entities layer's name mentions, numbering its
/// sentences from `sentence_base`.
fn entity_spans(
    document: &conll::Document,
    sentence_base: usize,
    gold: &mut Vec<TypedSpan>,
    predicted: &mut Vec<TypedSpan>,
) {
    let mut text = String::new();
    let mut sentence_tokens: Vec<Vec<Span>> = Vec::new();
    // Byte offset of each token start → (sentence, token) and token end → token.
    let mut starts = HashMap::new();
    let mut ends = HashMap::new();
    for (sentence_idx, sentence) in document.sentences.iter().enumerate() {
        let mut tokens = Vec::new();
        for (token_idx, word) in sentence.words.iter().enumerate() {
            let start = text.len();
            text.push_str(word);
            starts.insert(start, (sentence_idx, token_idx));
            ends.insert(text.len(), token_idx + 1);
            tokens.push(Span::new(start, text.len()));
            text.push(' ');
        }
        text.push('\n');
        sentence_tokens.push(tokens);
        gold.extend(
            sentence
                .spans
                .iter()
                .map(|s| (sentence_base + sentence_idx, s.start, s.end, s.label)),
        );
    }
    for entity in find_entities_in_tokens(&text, sentence_tokens) {
        let Some(label) = conll_label(entity.entity_type.as_str()) else {
            continue;
        };
        for mention in entity
            .mentions
            .iter()
            .filter(|m| m.kind == MentionKind::Name)
        {
            if let (Some((sentence_idx, start)), Some(end)) =
                (starts.get(&mention.span.start), ends.get(&mention.span.end))
            {
                predicted.push((sentence_base + sentence_idx, *start, *end, label));
            }
        }
    }
}

/// The entities layer on a CoNLL file: its table, and the spans behind it for error analysis.
#[derive(Debug)]
pub struct EntitiesScore<'g> {
    /// The table's title.
    pub title: String,
    /// Exact typed-span counts of name mentions.
    pub score: SpanScore,
    /// Every sentence, numbered across documents.
    sentences: Vec<&'g conll::Sentence>,
    gold: Vec<TypedSpan>,
    predicted: Vec<TypedSpan>,
}

impl EntitiesScore<'_> {
    /// Every gold span the layer misses, then every span it adds, one line each:
    /// `missed|added TAB type TAB words TAB sentence` (what `eval ner --misses` prints).
    pub fn differences(&self) -> String {
        let gold_set: HashSet<&TypedSpan> = self.gold.iter().collect();
        let predicted_set: HashSet<&TypedSpan> = self.predicted.iter().collect();
        let missed = self.gold.iter().filter(|s| !predicted_set.contains(s));
        let added = self.predicted.iter().filter(|s| !gold_set.contains(s));
        let mut out = String::new();
        for (kind, span) in missed
            .map(|s| ("missed", s))
            .chain(added.map(|s| ("added", s)))
        {
            let words = &self.sentences[span.0].words;
            out.push_str(&format!(
                "{kind}\t{}\t{}\t{}\n",
                span.3,
                words[span.1..span.2].join(" "),
                words.join(" ")
            ));
        }
        out
    }
}

impl fmt::Display for EntitiesScore<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.score.table(&self.title))?;
        writeln!(f)
    }
}

/// The tagger alone on GMB's held-out tenth (`per` without titles → PER, `org` → ORG, `geo` →
/// LOC, `gpe`/`eve` → MISC).
pub fn gmb_held_out(model: &Model, path: &str) -> Result<TaggerScore, RunError> {
    let held_out = gmb::read(path, gmb::Split::HeldOut).map_err(|source| RunError::Gold {
        path: path.to_string(),
        source,
    })?;
    let gold: Vec<(Vec<String>, Vec<conll::GoldSpan>)> = held_out
        .into_iter()
        .map(|sentence| {
            let spans = spans_of(&sentence.tags)
                .into_iter()
                .filter_map(|s| {
                    conll_label(s.entity_type.as_str()).map(|label| conll::GoldSpan {
                        start: s.start,
                        end: s.end,
                        label,
                    })
                })
                .collect();
            (sentence.words, spans)
        })
        .collect();
    let (score, n_tokens, seconds) = score_sentences(model, gold.iter().map(|(w, s)| (w, s)));
    Ok(TaggerScore {
        title: format!("NER on GMB held-out tenth of {path} (per→PER without titles, org→ORG, geo→LOC, gpe/eve→MISC)"),
        score,
        n_tokens,
        seconds,
    })
}

/// Tags every sentence and scores exact typed spans; returns the score, tokens tagged and seconds
/// spent tagging.
fn score_sentences<'s>(
    model: &Model,
    sentences: impl Iterator<Item = (&'s Vec<String>, &'s Vec<conll::GoldSpan>)>,
) -> (SpanScore, usize, f64) {
    let mut gold: Vec<TypedSpan> = Vec::new();
    let mut predicted: Vec<TypedSpan> = Vec::new();
    let mut hasher = FeatureHasher::new(model.bits());
    let mut tags = Vec::new();
    let mut n_tokens = 0;
    let mut seconds = 0.0;
    model.tag_with(&mut hasher, &["Warm", "up", "."], &mut tags);
    for (sentence_idx, (words, spans)) in sentences.enumerate() {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let started = Instant::now();
        model.tag_with(&mut hasher, &words, &mut tags);
        seconds += started.elapsed().as_secs_f64();
        n_tokens += words.len();
        gold.extend(
            spans
                .iter()
                .map(|s| (sentence_idx, s.start, s.end, s.label)),
        );
        predicted.extend(spans_of(&tags).into_iter().filter_map(|s| {
            conll_label(s.entity_type.as_str()).map(|label| (sentence_idx, s.start, s.end, label))
        }));
    }
    (SpanScore::new(&gold, &predicted), n_tokens, seconds)
}
