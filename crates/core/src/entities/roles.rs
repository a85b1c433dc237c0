//! Roles: the titles and descriptions the text gives an entity — premodifiers ("Labour leader
//! Jeremy Corbyn", "Colonel Richard Kemp", "Labour’s deputy leader Emily Thornberry") and
//! appositions ("Richard Kemp, former commander of the British Armed Forces,").
//!
//! A premodifier role is the run of title words (`data/titles.txt`), names of organisations,
//! places and groups, and possessives just before a person's name; an apposition is the phrase
//! between commas after the name when it opens with a title word or "former". It does not judge
//! whether a role is still current.

use foldhash::{HashMap, HashSet};
use std::sync::LazyLock;

use super::named::NamedMention;
use super::{FoundEntity, SentenceTokens};
use crate::lexicon;
use crate::ner::EntityType;
use crate::offsets::Span;

/// Capitalised words that never premodify a role ("The", "However").
static OPENERS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lexicon::items(lexicon::sentence_starters()).collect());

/// A capitalised word that can stand in a role before a title: "Labour", "Israeli", "Downing".
fn is_proper_premodifier(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && !OPENERS.contains(word.to_lowercase().as_str())
}

/// Whether a word is a title or office word.
pub(crate) fn is_title_word(word: &str) -> bool {
    lexicon::is_title(word)
}

/// Longest apposition read, in tokens.
const MAX_APPOSITION_TOKENS: usize = 14;

pub fn assign_roles(
    text: &str,
    sentences: &[SentenceTokens],
    named: &[NamedMention],
    entities: &mut [FoundEntity],
) {
    // Both lookups were scans of every named mention, once per mention and once per word walked
    // back, which made a long text quadratic: the first named mention of each span, and the
    // (sentence, token) places inside a named mention of another type than person.
    let mut named_by_span: HashMap<Span, &NamedMention> = HashMap::default();
    let mut in_other_mention: HashSet<(usize, usize)> = HashSet::default();
    for named_mention in named {
        named_by_span
            .entry(named_mention.span)
            .or_insert(named_mention);
        if named_mention.entity_type != EntityType::Person {
            for token_idx in named_mention.token_start..named_mention.token_end {
                in_other_mention.insert((named_mention.sentence_idx, token_idx));
            }
        }
    }
    for entity in entities
        .iter_mut()
        .filter(|e| e.entity_type == EntityType::Person)
    {
        let mut roles = Roles::default();
        for mention in &entity.mentions {
            let Some(&named_mention) = named_by_span.get(&mention.span) else {
                continue;
            };
            let sentence = &sentences[named_mention.sentence_idx];
            let word = |idx: usize| &text[sentence.tokens[idx].start..sentence.tokens[idx].end];
            // Premodifier: walk back over title words, other entities' names and possessives.
            let mut start = named_mention.token_start;
            let mut has_title = false;
            while start > 0 {
                let previous = word(start - 1);
                let in_other_mention =
                    in_other_mention.contains(&(named_mention.sentence_idx, start - 1));
                if is_title_word(previous) {
                    has_title = true;
                } else if !(in_other_mention
                    || is_proper_premodifier(previous)
                    || matches!(previous, "’s" | "'s"))
                {
                    break;
                }
                start -= 1;
            }
            if has_title && start < named_mention.token_start {
                let role = text[sentence.tokens[start].start
                    ..sentence.tokens[named_mention.token_start - 1].end]
                    .to_string();
                roles.push(role);
            }
            // Apposition: ", former commander of the British Armed Forces,".
            let after = named_mention.token_end;
            if after + 1 < sentence.tokens.len() && word(after) == "," {
                let opener = word(after + 1);
                let opens_role = is_title_word(opener)
                    || opener.eq_ignore_ascii_case("former")
                    || (matches!(opener, "the" | "a" | "an")
                        && after + 2 < sentence.tokens.len()
                        && is_title_word(word(after + 2)));
                if opens_role {
                    let mut end = after + 1;
                    while end < sentence.tokens.len()
                        && end - after <= MAX_APPOSITION_TOKENS
                        && !matches!(word(end), "," | "." | ";" | ":" | "“" | "\"" | "—" | "–")
                    {
                        end += 1;
                    }
                    if end < sentence.tokens.len() && end - after <= MAX_APPOSITION_TOKENS {
                        let role = text
                            [sentence.tokens[after + 1].start..sentence.tokens[end - 1].end]
                            .to_string();
                        roles.push(role);
                    }
                }
            }
        }
        entity.roles = roles.in_order;
    }
}

/// A person's roles in the order first written, each once whatever its ASCII case.
#[derive(Default)]
struct Roles {
    in_order: Vec<String>,
    /// The roles ASCII-lower-cased: a set, since a person named thousands of times with many
    /// roles made a scan of the list quadratic.
    seen: HashSet<String>,
}

impl Roles {
    fn push(&mut self, role: String) {
        if self.seen.insert(role.to_ascii_lowercase()) {
            self.in_order.push(role);
        }
    }
}
