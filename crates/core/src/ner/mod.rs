//! Named-entity recognition: a statistical sequence tagger over word tokens, trained by the
//! project's own code on GMB and shipped inside the binary.
//!
//! The tagger is an averaged perceptron with greedy left-to-right decoding over BIO tags and hashed
//! features (`features.rs`); `train.rs` learns the weights, `model.rs` stores and loads them. This
//! module tags token sequences; grouping mentions into entities is the `entities` layer.

mod clusters;
mod exchange;
mod features;
mod model;
mod train;
mod word_hash;

/// Hashing pieces the loaded-language tagger shares with the entity tagger.
pub(crate) use word_hash::{hash_folded, hash_shape, step};

pub use clusters::{
    shipped_clusters, shipped_vector_clusters, shipped_vector_codes, VectorCode, VectorCodes,
    WordClusters,
};
pub use exchange::{fold_word, learn_clusters, ClusterOptions, ClusteredWord};
pub use features::FeatureHasher;
pub use model::{can_begin_mention, Model, ModelError};
pub use train::{train, TrainOptions, TrainingSentence};

use std::sync::{LazyLock, OnceLock};

pub use newslens_contract::EntityType;

/// A BIO tag: outside, or the beginning or inside of a mention of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Not in a mention.
    Outside,
    /// First token of a mention.
    Begin(EntityType),
    /// Later token of a mention.
    Inside(EntityType),
}

impl Tag {
    /// Number of tags: O plus B and I for each type.
    pub const COUNT: usize = 1 + 2 * EntityType::ALL.len();

    /// The tag's index in weight rows.
    pub fn index(self) -> usize {
        match self {
            Tag::Outside => 0,
            Tag::Begin(t) => 1 + 2 * type_index(t),
            Tag::Inside(t) => 2 + 2 * type_index(t),
        }
    }

    /// The tag at an index.
    pub fn from_index(index: usize) -> Tag {
        if index == 0 || index >= Tag::COUNT {
            return Tag::Outside;
        }
        let entity_type = EntityType::ALL[(index - 1) / 2];
        if (index - 1).is_multiple_of(2) {
            Tag::Begin(entity_type)
        } else {
            Tag::Inside(entity_type)
        }
    }

    /// The entity type, unless outside.
    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            Tag::Outside => None,
            Tag::Begin(t) | Tag::Inside(t) => Some(t),
        }
    }
}

fn type_index(entity_type: EntityType) -> usize {
    EntityType::ALL
        .iter()
        .position(|t| *t == entity_type)
        .unwrap_or(0)
}

/// A tagged mention: token range `[start, end)` in the sentence and its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaggedSpan {
    /// First token.
    pub start: usize,
    /// Token just past the mention.
    pub end: usize,
    /// Type.
    pub entity_type: EntityType,
}

/// Mentions in a BIO tag sequence. An `Inside` tag that does not continue a mention of its type
/// opens one (tolerant decoding).
pub fn spans_of(tags: &[Tag]) -> Vec<TaggedSpan> {
    let mut spans = Vec::new();
    let mut open: Option<TaggedSpan> = None;
    for (idx, tag) in tags.iter().enumerate() {
        match *tag {
            Tag::Outside => {
                spans.extend(open.take());
            }
            Tag::Begin(t) => {
                spans.extend(open.take());
                open = Some(TaggedSpan {
                    start: idx,
                    end: idx + 1,
                    entity_type: t,
                });
            }
            Tag::Inside(t) => match &mut open {
                Some(span) if span.entity_type == t => span.end = idx + 1,
                _ => {
                    spans.extend(open.take());
                    open = Some(TaggedSpan {
                        start: idx,
                        end: idx + 1,
                        entity_type: t,
                    });
                }
            },
        }
    }
    spans.extend(open);
    spans
}

/// The model shipped in the binary (`models/ner.bin`, reproduced by `newslens train ner`).
static SHIPPED: LazyLock<Model> = LazyLock::new(|| {
    Model::from_bytes(include_bytes!("../../../../models/ner.bin"))
        .unwrap_or_else(|_| Model::empty())
});

/// The shipped model.
pub fn shipped_model() -> &'static Model {
    &SHIPPED
}

/// A model set for the whole process in place of the shipped one (see [`tag_with_for_process`]).
static CANDIDATE: OnceLock<Model> = OnceLock::new();

/// Makes the entities layer tag with `model` instead of the shipped one for the rest of the
/// process, so that a candidate model is scored through every pass and on whole articles
/// before it is shipped (`newslens eval ner --model`). Only the first call takes effect; it
/// returns the model back when one was set already.
pub fn tag_with_for_process(model: Model) -> Result<(), Model> {
    CANDIDATE.set(model)
}

/// The model the entities layer tags with: the one set by [`tag_with_for_process`], else the
/// shipped one.
pub fn tagging_model() -> &'static Model {
    CANDIDATE.get().unwrap_or(&SHIPPED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_indexes_round_trip() {
        for index in 0..Tag::COUNT {
            assert_eq!(Tag::from_index(index).index(), index);
        }
    }

    #[test]
    fn spans_from_bio_tags_tolerate_stray_insides() {
        let tags = [
            Tag::Begin(EntityType::Person),
            Tag::Inside(EntityType::Person),
            Tag::Outside,
            Tag::Inside(EntityType::Gpe),
            Tag::Begin(EntityType::Org),
        ];
        let spans = spans_of(&tags);
        assert_eq!(spans.len(), 3);
        assert_eq!((spans[0].start, spans[0].end), (0, 2));
        assert_eq!((spans[1].start, spans[1].entity_type), (3, EntityType::Gpe));
    }
}
