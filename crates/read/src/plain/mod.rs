//! Cleaning a normalised text into a document: dateline, title, bylines and boilerplate lines come
//! off the text and into metadata.
//!
//! This is the half of reading that plain text and extracted HTML share. It works on whole lines:
//! the first lines are looked at for a dateline, a headline and a byline, every short line for
//! boilerplate (`data/boilerplate.txt`). It never edits inside a line and it never removes a line
//! that is part of the story's prose.

mod boilerplate;
pub(crate) mod byline;
mod title;

use newslens_contract::dates::parse_date_phrase;
use newslens_contract::{Boilerplate, BoilerplateKind, Document};

pub use byline::byline_authors;

/// Lines at the top and bottom of a text that may carry a byline or dateline.
const EDGE_LINES: usize = 6;

/// What the caller already knows about the document: a title or date from metadata.
#[derive(Debug, Default, Clone)]
pub struct Known {
    /// A headline from metadata: a first line equal to it is removed from the text.
    pub title: Option<String>,
}

/// Cleans a normalised text into a [`Document`]: dateline to `published`, headline to `title`,
/// bylines and author footers to `authors`, and boilerplate lines into `boilerplate`.
///
/// ```
/// use newslens_read::plain::{clean, Known};
/// let text = "Monday 6 January 2020 12:31 pm\n\nCouncil to close library\n\nBy Mara Ellison\n\nThe council voted on Tuesday to close the library for good.\n\nMain image: Getty";
/// let document = clean(text, &Known::default());
/// assert_eq!(document.title.as_deref(), Some("Council to close library"));
/// assert_eq!(document.published.as_deref(), Some("2020-01-06T12:31:00"));
/// assert_eq!(document.authors, ["Mara Ellison"]);
/// assert_eq!(document.text, "The council voted on Tuesday to close the library for good.");
/// ```
pub fn clean(text: &str, known: &Known) -> Document {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut keep = vec![true; lines.len()];
    let mut document = Document::default();
    let mut removed: Vec<(usize, Boilerplate)> = Vec::new();

    // The top: datelines, the headline, bylines, in any order, until the first line of prose.
    let mut n_seen = 0;
    let mut title_taken = false;
    for (line_idx, line) in lines.iter().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        n_seen += 1;
        if n_seen > EDGE_LINES {
            break;
        }
        if is_url_line(line) {
            if document.source.url.is_none() {
                document.source.url = Some(line.split_whitespace().collect());
            }
            keep[line_idx] = false;
            removed.push((line_idx, Boilerplate::new(line, BoilerplateKind::Url)));
            continue;
        }
        if let Some(published) = dateline(line) {
            if document.published.is_none() {
                document.published = Some(published);
            }
            for part in line.split(['|', '•', '·']) {
                if let Some(authors) = byline::byline(part) {
                    push_authors(&mut document.authors, authors);
                }
            }
            keep[line_idx] = false;
            removed.push((line_idx, Boilerplate::new(line, BoilerplateKind::Dateline)));
            continue;
        }
        if let Some(authors) = byline::byline(line) {
            push_authors(&mut document.authors, authors);
            keep[line_idx] = false;
            removed.push((line_idx, Boilerplate::new(line, BoilerplateKind::Byline)));
            continue;
        }
        if boilerplate::classify(line).is_some() {
            continue; // handled below with every other line
        }
        if !title_taken {
            if let Some(known_title) = &known.title {
                if same_title(line, known_title) {
                    keep[line_idx] = false;
                    title_taken = true;
                    continue;
                }
            } else if title::is_headline(line)
                && followed_by_blank(&lines, line_idx)
                && has_prose_after(&lines, line_idx)
            {
                document.title = Some(line.to_string());
                keep[line_idx] = false;
                title_taken = true;
                continue;
            }
        }
        break;
    }

    // The bottom: bylines sign off some articles.
    let mut n_seen = 0;
    for (line_idx, line) in lines.iter().enumerate().rev() {
        let line = line.trim();
        if line.is_empty() || !keep[line_idx] {
            continue;
        }
        n_seen += 1;
        if n_seen > EDGE_LINES {
            break;
        }
        if let Some(authors) = byline::byline(line) {
            push_authors(&mut document.authors, authors);
            keep[line_idx] = false;
            removed.push((line_idx, Boilerplate::new(line, BoilerplateKind::Byline)));
        }
    }

    // Everywhere: short lines that are page furniture.
    for (line_idx, line) in lines.iter().enumerate() {
        if !keep[line_idx] {
            continue;
        }
        let line = line.trim();
        if let Some(found) = boilerplate::classify(line) {
            if let Some(author) = found.author {
                push_authors(&mut document.authors, byline::split_names(author));
            }
            keep[line_idx] = false;
            removed.push((line_idx, Boilerplate::new(line, found.kind)));
        }
    }

    removed.sort_by_key(|(line_idx, _)| *line_idx);
    document.boilerplate = removed
        .into_iter()
        .map(|(_, boilerplate)| boilerplate)
        .collect();
    document.text = join_kept(&lines, &keep);
    document
}

/// The published date when a whole line is a dateline, alone or beside a byline ("By X | date").
fn dateline(line: &str) -> Option<String> {
    if let Some(date) = parse_date_phrase(line) {
        return Some(date);
    }
    line.split(['|', '•', '·'])
        .map(str::trim)
        .find_map(parse_date_phrase)
        .filter(|_| {
            line.split(['|', '•', '·']).map(str::trim).all(|part| {
                part.is_empty()
                    || parse_date_phrase(part).is_some()
                    || byline::byline(part).is_some()
            })
        })
}

/// A line that is only a web address (some archives start each text with its source URL, even
/// tokenised as "http: / / www. example. com / …").
fn is_url_line(line: &str) -> bool {
    let squeezed: String = line.split_whitespace().collect();
    (squeezed.starts_with("http://") || squeezed.starts_with("https://"))
        && squeezed.len() < 400
        && !line.contains(". ")
        || {
            let lower = line.to_ascii_lowercase();
            (lower.starts_with("http: / /") || lower.starts_with("https: / /")) && line.len() < 400
        }
}

fn same_title(line: &str, title: &str) -> bool {
    let fold = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let line = fold(line);
    !line.is_empty() && line == fold(title)
}

fn followed_by_blank(lines: &[&str], line_idx: usize) -> bool {
    lines
        .get(line_idx + 1)
        .is_some_and(|next| next.trim().is_empty())
}

fn has_prose_after(lines: &[&str], line_idx: usize) -> bool {
    lines[line_idx + 1..]
        .iter()
        .any(|line| line.split_whitespace().count() >= 8)
}

fn push_authors(authors: &mut Vec<String>, found: Vec<String>) {
    for author in found {
        if !authors
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&author))
        {
            authors.push(author);
        }
    }
}

/// The kept lines joined again, with at most one blank line in a row and none at either end.
fn join_kept(lines: &[&str], keep: &[bool]) -> String {
    let mut out = String::new();
    let mut pending_blank = false;
    let mut pending_newline = false;
    for (line, kept) in lines.iter().zip(keep) {
        if !kept {
            continue;
        }
        if line.trim().is_empty() {
            pending_blank = true;
            continue;
        }
        if !out.is_empty() {
            if pending_blank {
                out.push_str("\n\n");
            } else if pending_newline {
                out.push('\n');
            }
        }
        out.push_str(line);
        pending_blank = false;
        pending_newline = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_line_ending_in_a_full_stop_is_prose_not_a_title() {
        let document = clean("The council voted on Tuesday to close the library for good.\n\nMore text follows here in a long line.", &Known::default());
        assert_eq!(document.title, None);
        assert!(document.text.starts_with("The council voted"));
    }

    #[test]
    fn a_url_line_at_the_top_becomes_the_source_url() {
        let document = clean("http: / / www. example. com / news / a. html\n\nReport: Council closes library\n\nDecember 15th, 2008, 7: 35 am\n\nThe council voted on Tuesday to close the library for good.", &Known::default());
        assert_eq!(
            document.source.url.as_deref(),
            Some("http://www.example.com/news/a.html")
        );
        assert_eq!(
            document.title.as_deref(),
            Some("Report: Council closes library")
        );
        assert_eq!(document.published.as_deref(), Some("2008-12-15T07:35:00"));
        assert!(document.text.starts_with("The council voted"));
    }

    #[test]
    fn author_footer_gives_the_author_and_leaves_the_text() {
        let document = clean("The council voted on Tuesday to close the library.\n\nFollow Mara Ellison on Twitter: @MaraEllison", &Known::default());
        assert_eq!(document.authors, ["Mara Ellison"]);
        assert_eq!(
            document.text,
            "The council voted on Tuesday to close the library."
        );
        assert_eq!(document.boilerplate[0].kind, BoilerplateKind::AuthorFooter);
    }

    #[test]
    fn known_title_is_removed_from_the_top() {
        let known = Known {
            title: Some("Council votes to close library".into()),
        };
        let document = clean(
            "Council votes to close library\n\nThe town council voted on Tuesday to close it.",
            &known,
        );
        assert_eq!(
            document.text,
            "The town council voted on Tuesday to close it."
        );
        assert_eq!(document.title, None);
    }

    #[test]
    fn byline_with_date_on_one_line() {
        let document = clean("By Mara Ellison | March 5, 2024\n\nThe town council voted on Tuesday to close the library.", &Known::default());
        assert_eq!(document.authors, ["Mara Ellison"]);
        assert_eq!(document.published.as_deref(), Some("2024-03-05"));
    }

    #[test]
    fn reuters_credits_name_the_reporters() {
        let document = clean("The talks failed on Friday after three days of argument.\n\n(Reporting by Ana Ruiz and Tom Best; Editing by Kim Lee)", &Known::default());
        assert_eq!(document.authors, ["Ana Ruiz", "Tom Best"]);
        assert_eq!(document.boilerplate[0].kind, BoilerplateKind::Credits);
    }

    #[test]
    fn share_and_newsletter_prompts_and_related_links_go() {
        let text = "Share this article\n\nThe talks failed on Friday after three days of argument.\n\nREAD MORE: Talks collapse in Geneva\n\nSign up to our free daily newsletter\n\nAdvertisement\n\nThe next round is in May, officials said on Saturday.";
        let document = clean(text, &Known::default());
        assert_eq!(document.text, "The talks failed on Friday after three days of argument.\n\nThe next round is in May, officials said on Saturday.");
        let kinds: Vec<&str> = document
            .boilerplate
            .iter()
            .map(|b| b.kind.as_str())
            .collect();
        assert_eq!(kinds, ["share", "related", "newsletter", "advertisement"]);
    }

    #[test]
    fn prose_that_mentions_photos_or_sharing_stays() {
        let text = "Photos of the event were shared widely on social media by residents.\n\nShe said the share price fell sharply: investors were nervous.";
        let document = clean(text, &Known::default());
        assert_eq!(document.text, text);
    }
}
