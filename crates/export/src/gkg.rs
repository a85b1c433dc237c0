//! GDELT Global Knowledge Graph 2.1-style records: one tab-separated line per article, the 27
//! columns of GKG 2.1 in GDELT's order, no header (as GDELT's own files), so that code written for
//! GDELT's `*.gkg.csv` files reads newslens output.
//!
//! Only what newslens knows is filled; every other column is left empty, never invented. Which
//! column holds what is documented in README.md ("GKG columns") and in [`GKG_COLUMNS`]. Offsets
//! are character offsets into the article's normalised text, as GDELT's are into its text.
//! Delimiters GDELT uses inside a field (`;` `,` `#` `|` and tabs or line breaks) are replaced by
//! a space in names and quotations, so every field splits as GDELT's do.

use std::collections::BTreeSet;
use std::io::Write;

use newslens_contract::{Article, EntityType, MentionKind};
use newslens_store::StoredArticle;

use crate::columns::timestamp_micros;
use crate::{ExportError, Result};

/// The GKG 2.1 columns in order, with how newslens fills each.
pub const GKG_COLUMNS: [(&str, &str); 27] = [
    ("GKGRECORDID", "the newslens article id"),
    (
        "V2.1DATE",
        "publication time as YYYYMMDDHHMMSS (UTC; empty when undated)",
    ),
    ("V2SOURCECOLLECTIONIDENTIFIER", "1 (WEB)"),
    (
        "V2SOURCECOMMONNAME",
        "the outlet, else the URL's host, else empty",
    ),
    ("V2DOCUMENTIDENTIFIER", "the URL, else the input path"),
    ("V1COUNTS", "empty"),
    ("V2.1COUNTS", "empty"),
    ("V1THEMES", "empty"),
    ("V2ENHANCEDTHEMES", "empty"),
    (
        "V1LOCATIONS",
        "GPE and LOC entities as #Name##### (type, country, ADM1 and coordinates unknown)",
    ),
    (
        "V2ENHANCEDLOCATIONS",
        "each named mention of a GPE or LOC as #Name#######offset",
    ),
    ("V1PERSONS", "PERSON entities' names, ;-separated"),
    (
        "V2ENHANCEDPERSONS",
        "each named mention of a person as Name,offset",
    ),
    ("V1ORGANIZATIONS", "ORG entities' names"),
    (
        "V2ENHANCEDORGANIZATIONS",
        "each named mention of an organisation as Name,offset",
    ),
    (
        "V1.5TONE",
        "tone,positive,negative,polarity,activity density,self/group density,word count",
    ),
    ("V2.1ENHANCEDDATES", "empty"),
    ("V2GCAM", "wc:word count (the tone's); no GCAM dictionaries"),
    ("V2.1SHARINGIMAGE", "empty"),
    ("V2.1RELATEDIMAGES", "empty"),
    ("V2.1SOCIALIMAGEEMBEDS", "empty"),
    ("V2.1SOCIALVIDEOEMBEDS", "empty"),
    (
        "V2.1QUOTATIONS",
        "each quote as offset|length|verb|quote, #-separated",
    ),
    (
        "V2.1ALLNAMES",
        "each named mention of any entity as Name,offset",
    ),
    ("V2.1AMOUNTS", "empty (newslens does not extract amounts)"),
    ("V2.1TRANSLATIONINFO", "empty (texts are not translated)"),
    (
        "V2EXTRASXML",
        "<PAGE_TITLE>headline</PAGE_TITLE><PAGE_AUTHORS>authors</PAGE_AUTHORS>",
    ),
];

/// Writes one GKG record per article.
pub struct Gkg<W: Write> {
    out: W,
}

impl<W: Write> Gkg<W> {
    /// GKG records written to `out`.
    pub fn new(out: W) -> Gkg<W> {
        Gkg { out }
    }

    /// Writes the record of one article.
    pub fn write_article(&mut self, stored: &StoredArticle) -> Result<()> {
        let line = gkg_record(&stored.article).join("\t");
        self.out
            .write_all(line.as_bytes())
            .map_err(ExportError::Write)?;
        self.out.write_all(b"\n").map_err(ExportError::Write)
    }

    /// Flushes what is written.
    pub fn finish(mut self) -> Result<()> {
        self.out.flush().map_err(ExportError::Write)
    }
}

/// The 27 fields of an article's record.
pub fn gkg_record(article: &Article) -> Vec<String> {
    let mut fields = vec![String::new(); GKG_COLUMNS.len()];
    fields[0] = article.id.clone();
    fields[1] = article
        .published
        .as_deref()
        .and_then(timestamp_micros)
        .and_then(|micros| jiff::Timestamp::from_microsecond(micros).ok())
        .map(|instant| instant.strftime("%Y%m%d%H%M%S").to_string())
        .unwrap_or_default();
    fields[2] = "1".into();
    fields[3] = article
        .source
        .outlet
        .clone()
        .or_else(|| article.source.url.as_deref().and_then(url_host))
        .map(|name| clean(&name))
        .unwrap_or_default();
    fields[4] = article
        .source
        .url
        .clone()
        .or_else(|| article.source.path.clone())
        .map(|name| clean(&name))
        .unwrap_or_default();
    let is_place = |kind: EntityType| matches!(kind, EntityType::Gpe | EntityType::Loc);
    fields[9] = names_of(article, is_place)
        .iter()
        .map(|name| format!("#{name}#####"))
        .collect::<Vec<_>>()
        .join(";");
    fields[10] = named_mentions(article, is_place)
        .iter()
        .map(|(name, offset)| format!("#{name}#######{offset}"))
        .collect::<Vec<_>>()
        .join(";");
    fields[11] = names_of(article, |kind| kind == EntityType::Person).join(";");
    fields[12] = offsets_list(&named_mentions(article, |kind| kind == EntityType::Person));
    fields[13] = names_of(article, |kind| kind == EntityType::Org).join(";");
    fields[14] = offsets_list(&named_mentions(article, |kind| kind == EntityType::Org));
    if let Some(tone) = &article.tone {
        fields[15] = format!(
            "{},{},{},{},{},{},{}",
            tone.tone,
            tone.positive,
            tone.negative,
            tone.polarity,
            tone.activity_density,
            tone.self_group_density,
            tone.words
        );
        fields[17] = format!("wc:{}", tone.words);
    }
    fields[22] = article
        .quotes
        .iter()
        .filter_map(|quote| {
            let start = quote.spans.first()?.start;
            let end = quote.spans.last()?.end;
            let verb = quote
                .verb
                .as_ref()
                .map_or(String::new(), |verb| clean(&verb.text));
            Some(format!(
                "{start}|{}|{verb}|{}",
                end.saturating_sub(start),
                clean(&quote.text)
            ))
        })
        .collect::<Vec<_>>()
        .join("#");
    fields[23] = offsets_list(&named_mentions(article, |_| true));
    let mut extras = String::new();
    if let Some(title) = &article.title {
        extras.push_str(&format!("<PAGE_TITLE>{}</PAGE_TITLE>", xml_text(title)));
    }
    if !article.authors.is_empty() {
        extras.push_str(&format!(
            "<PAGE_AUTHORS>{}</PAGE_AUTHORS>",
            xml_text(&article.authors.join(", "))
        ));
    }
    fields[26] = extras;
    fields
}

/// The distinct names of the article's entities of some types, in first-mention order.
fn names_of(article: &Article, wanted: impl Fn(EntityType) -> bool) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut entities: Vec<_> = article
        .entities
        .iter()
        .filter(|entity| wanted(entity.entity_type))
        .filter(|entity| {
            entity
                .mentions
                .iter()
                .any(|mention| mention.kind == MentionKind::Name)
        })
        .collect();
    entities.sort_by_key(|entity| {
        entity
            .mentions
            .first()
            .map_or(usize::MAX, |mention| mention.start)
    });
    entities
        .into_iter()
        .map(|entity| clean(&entity.name))
        .filter(|name| seen.insert(name.clone()))
        .collect()
}

/// Every mention by name of the article's entities of some types, as (entity name, offset),
/// in text order.
fn named_mentions(article: &Article, wanted: impl Fn(EntityType) -> bool) -> Vec<(String, usize)> {
    let mut mentions: Vec<(String, usize)> = article
        .entities
        .iter()
        .filter(|entity| wanted(entity.entity_type))
        .flat_map(|entity| {
            let name = clean(&entity.name);
            entity
                .mentions
                .iter()
                .filter(|mention| mention.kind == MentionKind::Name)
                .map(move |mention| (name.clone(), mention.start))
        })
        .collect();
    mentions.sort_by_key(|(_, offset)| *offset);
    mentions
}

fn offsets_list(mentions: &[(String, usize)]) -> String {
    mentions
        .iter()
        .map(|(name, offset)| format!("{name},{offset}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// A name or quotation with GDELT's delimiters and line breaks replaced by spaces.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' | ';' | '#' | '|' | ',' => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text for an XML element: `&`, `<`, `>` escaped, tabs and line breaks made spaces.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\t', '\n', '\r'], " ")
}

/// The host of a URL (`https://www.example.com/a` → `www.example.com`).
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_inside_names_and_quotes_become_spaces() {
        assert_eq!(clean("Smith, John; \"#1\"|\tx"), "Smith John \" 1\" x");
    }

    #[test]
    fn host_is_read_from_a_url() {
        assert_eq!(
            url_host("https://ann@News.Example:8080/a?b").as_deref(),
            Some("news.example")
        );
        assert_eq!(url_host("corpus/a.txt"), None);
    }
}
