//! Roles: the titles and descriptions the text gives an entity — premodifiers ("Labour leader
//! Jeremy Corbyn", "Colonel Richard Kemp", "Labour’s deputy leader Emily Thornberry") and
//! appositions ("Richard Kemp, former commander of the British Armed Forces,").
//!
//! A premodifier role is the run of title words (`data/titles.txt`), names of organisations,
//! places and groups, and possessives just before a person's name; an apposition is the phrase
//! between commas after the name when it opens with a title word or "former". It does not judge
//! whether a role is still current.

use foldhash::HashSet;
use std::sync::LazyLock;

use super::named::NamedMention;
use super::{FoundEntity, SentenceTokens};
use crate::lexicon;
use crate::ner::EntityType;

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
    for entity in entities
        .iter_mut()
        .filter(|e| e.entity_type == EntityType::Person)
    {
        let mut roles: Vec<String> = Vec::new();
        for mention in &entity.mentions {
            let Some(named_mention) = named.iter().find(|m| m.span == mention.span) else {
                continue;
            };
            let sentence = &sentences[named_mention.sentence_idx];
            let word = |idx: usize| &text[sentence.tokens[idx].start..sentence.tokens[idx].end];
            // Premodifier: walk back over title words, other entities' names and possessives.
            let mut start = named_mention.token_start;
            let mut has_title = false;
            while start > 0 {
                let previous = word(start - 1);
                let in_other_mention = named.iter().any(|m| {
                    m.sentence_idx == named_mention.sentence_idx
                        && m.token_start < start
                        && start - 1 < m.token_end
                        && m.entity_type != EntityType::Person
                });
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
                push_role(&mut roles, role);
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
                        push_role(&mut roles, role);
                    }
                }
            }
        }
        entity.roles = roles;
    }
}

fn push_role(roles: &mut Vec<String>, role: String) {
    if !roles.iter().any(|known| known.eq_ignore_ascii_case(&role)) {
        roles.push(role);
    }
}
