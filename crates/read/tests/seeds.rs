//! Contract tests on the seed articles in `../shared/seeds` (read from there, never copied):
//! titles, datelines, bylines, posts, boilerplate and offsets.
//!
//! When `../shared` is absent (a clone on its own) each test prints a notice and passes; CI runs
//! with `../shared` beside the repo. Quotes and entities are checked by their own layers' tests.

use std::path::PathBuf;

use newslens_core::{analyze, Article};
use newslens_read::{read_record, Format, Given, Origin, ReadOptions, Record};

fn seeds_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("notice: ../shared/seeds not found; seed contract tests skipped");
        None
    }
}

/// The seed whose file name starts with `prefix`, analysed.
fn seed(prefix: &str) -> Option<Article> {
    let dir = seeds_dir()?;
    let path = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        })?;
    let bytes = std::fs::read(&path).expect("seed is readable");
    let record = Record {
        origin: Origin::file(path.display().to_string()),
        bytes,
        format: Format::Text,
        given: Given::default(),
        fallback: Given::default(),
    };
    Some(analyze(
        &read_record(record, &ReadOptions::default())
            .expect("seed reads")
            .document,
    ))
}

fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn seed_001_has_its_headline_and_dateline() {
    let Some(article) = seed("001_") else { return };
    assert_eq!(
        article.title.as_deref(),
        Some("Boris Johnson to hold crisis talks over Soleimani killing")
    );
    assert_eq!(article.published.as_deref(), Some("2020-01-06T12:31:00"));
    assert!(article
        .text
        .starts_with("Boris Johnson will hold a series of talks"));
    assert!(article
        .boilerplate
        .iter()
        .any(|b| b.kind.as_str() == "image_credit" && b.text == "Main image: Getty"));
    assert!(!article.text.contains("Main image"));
}

#[test]
fn seed_000_has_no_title_date_or_author() {
    let Some(article) = seed("000_") else { return };
    assert_eq!(article.title, None);
    assert_eq!(article.published, None);
    assert!(article.authors.is_empty());
    assert!(article
        .text
        .starts_with("Labour leader Jeremy Corbyn has ripped into the US"));
}

#[test]
fn seed_002_author_footer_and_two_pasted_posts() {
    let Some(article) = seed("002_") else { return };
    assert_eq!(article.authors, ["Jack Montgomery"]);
    assert!(!article.text.contains("Follow Jack Montgomery"));
    assert!(article
        .boilerplate
        .iter()
        .any(|b| b.kind.as_str() == "author_footer"));
    let handles: Vec<&str> = article
        .posts
        .iter()
        .filter_map(|p| p.handle.as_deref())
        .collect();
    assert_eq!(handles, ["@MaajidNawaz", "@BreitbartLondon"]);
    let dates: Vec<&str> = article
        .posts
        .iter()
        .filter_map(|p| p.date.as_deref())
        .collect();
    assert_eq!(dates, ["2020-01-03", "2020-01-05"]);
    assert_eq!(article.posts[1].author.as_deref(), Some("Breitbart London"));
    assert_eq!(
        article.posts[0].url.as_deref(),
        Some("https://t.co/Lleee2bga3")
    );
    let first = slice(&article.text, article.posts[0].start, article.posts[0].end);
    assert!(
        first.starts_with("5 years ago you gave a speech"),
        "{first}"
    );
    assert!(first.ends_with("January 3, 2020"), "{first}");
}

#[test]
fn seed_texts_are_normalised_and_every_offset_is_consistent() {
    for prefix in ["000_", "001_", "002_"] {
        let Some(article) = seed(prefix) else { return };
        let n_chars = article.text.chars().count();
        assert!(
            !article.text.contains('\u{a0}'),
            "{prefix}: no-break space left in text"
        );
        assert!(!article.text.contains('\r'));
        assert!(
            article.text.contains('“') && article.text.contains('’'),
            "{prefix}: quotation marks kept"
        );
        for span in article.paragraphs.iter().chain(&article.sentences) {
            assert!(
                span.start < span.end && span.end <= n_chars,
                "{prefix}: span {span:?} outside text"
            );
            let text = slice(&article.text, span.start, span.end);
            assert_eq!(text.trim(), text, "{prefix}: spans are trimmed");
        }
        for sentence in &article.sentences {
            assert!(
                article
                    .paragraphs
                    .iter()
                    .any(|p| p.start <= sentence.start && sentence.end <= p.end),
                "{prefix}: sentence {sentence:?} crosses a paragraph"
            );
        }
        for post in &article.posts {
            assert!(post.start < post.end && post.end <= n_chars);
        }
    }
}

#[test]
fn seed_sentences_split_where_a_reader_would() {
    let Some(article) = seed("001_") else { return };
    let sentences: Vec<String> = article
        .sentences
        .iter()
        .map(|s| slice(&article.text, s.start, s.end))
        .collect();
    assert!(sentences
        .contains(&"Johnson is also due to speak to his Iraqi counterpart today.".to_string()));
    assert!(sentences.contains(&"It doesn’t work that way.”".to_string()));
    let Some(article) = seed("002_") else { return };
    let sentences: Vec<String> = article
        .sentences
        .iter()
        .map(|s| slice(&article.text, s.start, s.end))
        .collect();
    // An ellipsis before a lower-case word does not end the sentence.
    assert!(sentences.iter().any(|s| s.starts_with("“When the director") && s.ends_with("Corbyn gushed — despite the Islamic Republic imposing the death penalty for a penalty for apostasy.")));
}
