//! The contract's closed sets as enums: entity types, mention kinds, quote kinds, loaded-language
//! categories and boilerplate kinds.
//!
//! Each enum serialises to the contract's word for it (`"PERSON"`, `"pronoun"`, `"mixed"`,
//! `"loaded_verb"`, `"image_credit"`), so the JSON is the same as when these travelled as strings,
//! and a word outside the set is an error when an article is read back, not a string every reader
//! compares against literals again. This module does not decide which kind a span is; the layers
//! that find them do.

use serde::{Deserialize, Serialize};

/// Defines a closed set: the enum with its serde names, `ALL`, `as_str`, `from_name` and `Display`.
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $word:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $word)] $variant, )+
        }

        impl $name {
            /// Every member, in declaration order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The contract's word for it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }

            /// The member the contract calls `word`, if any.
            pub fn from_name(word: &str) -> Option<$name> {
                match word {
                    $($word => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }
    };
}

closed_set! {
    /// The type of an entity.
    pub enum EntityType {
        /// People.
        Person => "PERSON",
        /// Organisations, parties included.
        Org => "ORG",
        /// Countries, cities, states.
        Gpe => "GPE",
        /// Other places: regions, rivers, mountains.
        Loc => "LOC",
        /// Nationalities, religious and political groups.
        Norp => "NORP",
        /// Named events.
        Event => "EVENT",
    }
}

closed_set! {
    /// How an entity is mentioned.
    pub enum MentionKind {
        /// By name ("Jeremy Corbyn", "Corbyn").
        Name => "name",
        /// By description ("the Labour leader").
        Nominal => "nominal",
        /// By pronoun ("he").
        Pronoun => "pronoun",
    }
}

closed_set! {
    /// What kind of attribution a quote is.
    pub enum QuoteKind {
        /// Words in quotation marks.
        Direct => "direct",
        /// Reported speech around a quoted fragment.
        Mixed => "mixed",
        /// Reported speech without marks.
        Indirect => "indirect",
        /// An embedded social-media post.
        Post => "post",
    }
}

closed_set! {
    /// The kinds of loaded language.
    pub enum LoadedCategory {
        /// Evaluative reporting or action verbs: "gushed", "slammed", "ripped into".
        LoadedVerb => "loaded_verb",
        /// Name-calling and labels: "far-left", "terrorist regime".
        Label => "label",
        /// Emotive words: "scathing", "chaos", "cynically".
        Emotive => "emotive",
        /// Degree words that amplify: "utterly", "totally".
        Intensifier => "intensifier",
        /// A word or two put in quotation marks to distance the outlet from it.
        ScareQuote => "scare_quote",
    }
}

closed_set! {
    /// Why a line was removed from the text while reading.
    pub enum BoilerplateKind {
        /// A line that is only a URL.
        Url => "url",
        /// The place-and-date line that opens a wire story.
        Dateline => "dateline",
        /// "By Jane Smith" and its variants.
        Byline => "byline",
        /// "Follow Jane on Twitter", "Write to Jane at …" after the text.
        AuthorFooter => "author_footer",
        /// "Reporting by …; editing by …".
        Credits => "credits",
        /// "Main image: Getty", "(Reuters)".
        ImageCredit => "image_credit",
        /// "Pictured: …".
        Caption => "caption",
        /// Share buttons and prompts.
        Share => "share",
        /// Newsletter sign-up prompts.
        Newsletter => "newsletter",
        /// "Read more", "Related articles".
        Related => "related",
        /// "Advertisement", "Sponsored content".
        Advertisement => "advertisement",
        /// Copyright lines.
        Copyright => "copyright",
        /// Comment counters and prompts.
        Comments => "comments",
        /// Calls to click, download or accept cookies.
        Prompt => "prompt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_serialises_to_its_contract_word_and_back() {
        for kind in EntityType::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<EntityType>(&json).unwrap(), kind);
            assert_eq!(EntityType::from_name(kind.as_str()), Some(kind));
        }
        for kind in BoilerplateKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(
                serde_json::from_str::<BoilerplateKind>(&json).unwrap(),
                kind
            );
        }
    }

    #[test]
    fn a_word_outside_the_set_is_refused() {
        assert!(serde_json::from_str::<QuoteKind>("\"rumour\"").is_err());
        assert_eq!(LoadedCategory::from_name("loaded"), None);
        assert_eq!(MentionKind::from_name("Name"), None);
    }
}
