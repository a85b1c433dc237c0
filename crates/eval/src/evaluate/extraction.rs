//! Reading real web pages against gold: the article body (shingle F1, as the ScrapingHub article
//! extraction benchmark scores it), the publication day, the author inside the byline and the
//! title, with the CPU time reading took.
//!
//! Every page goes through [`read_record`] exactly as `newslens analyze` reads an HTML file
//! (charset, main text, metadata, cleaning). The CPU time is this thread's, around reading only, so
//! it compares with a peer timed on extraction alone (`scripts/extraction_peers.py`).

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;

use newslens_read::{read_record, Format, Given, Origin, ReadOptions, Record};

use crate::extraction::{self, GoldPage};
use crate::RunError;

/// What one page gave.
#[derive(Debug, Clone, Default)]
pub struct PageResult {
    /// The page's file name.
    pub file: String,
    /// Why it could not be read, when it could not.
    pub error: Option<String>,
    /// The text read.
    pub text: String,
    /// The title read.
    pub title: Option<String>,
    /// The publication date read (ISO 8601).
    pub published: Option<String>,
    /// The last-modified date read (ISO 8601).
    pub updated: Option<String>,
    /// The authors read.
    pub authors: Vec<String>,
}

/// One set's pages read, with their gold lines, in the gold file's order.
#[derive(Debug, Clone, Default)]
pub struct SetRun {
    /// Gold and result per page.
    pub pages: Vec<(GoldPage, PageResult)>,
    /// CPU time spent reading the set's pages.
    pub cpu: Duration,
    /// Bytes of HTML read.
    pub bytes: usize,
}

/// The three sets read and scored.
#[derive(Debug, Clone, Default)]
pub struct ExtractionRun {
    /// `body/`, when present.
    pub body: Option<SetRun>,
    /// `dates/`, when present.
    pub dates: Option<SetRun>,
    /// `meta/`, when present.
    pub meta: Option<SetRun>,
    /// The day the run treats as today (dates after it are "from the future").
    pub today: String,
}

/// Reads the sets under `dir` (`body/`, `dates/`, `meta/`; a missing one is skipped, none at all is
/// an error).
pub fn run(dir: &Path) -> Result<ExtractionRun, RunError> {
    let mut report = ExtractionRun {
        today: jiff::Zoned::now().date().to_string(),
        ..ExtractionRun::default()
    };
    let sets = ["body", "dates", "meta"];
    let mut found = 0;
    for name in sets {
        let set_dir = dir.join(name);
        if !set_dir.join("gold.jsonl").exists() {
            continue;
        }
        found += 1;
        let set = read_set(&set_dir)?;
        match name {
            "body" => report.body = Some(set),
            "dates" => report.dates = Some(set),
            _ => report.meta = Some(set),
        }
    }
    if found == 0 {
        return Err(RunError::Gold {
            path: dir.display().to_string(),
            source: crate::GoldError::Format {
                path: dir.display().to_string(),
                line: 0,
                message: "no body/, dates/ or meta/ folder with a gold.jsonl".into(),
            },
        });
    }
    Ok(report)
}

fn read_set(dir: &Path) -> Result<SetRun, RunError> {
    let gold = extraction::read(dir).map_err(|source| RunError::Gold {
        path: dir.display().to_string(),
        source,
    })?;
    let mut set = SetRun::default();
    for page in gold {
        let path = dir.join(&page.file);
        let bytes = std::fs::read(&path).map_err(|source| RunError::Read {
            path: path.display().to_string(),
            source,
        })?;
        set.bytes += bytes.len();
        let record = Record {
            origin: Origin::file(path.display().to_string()),
            bytes,
            format: Format::Html,
            given: Given::default(),
            fallback: Given::default(),
        };
        let started = thread_cpu();
        let reading = read_record(record, &ReadOptions::default());
        set.cpu += thread_cpu().saturating_sub(started);
        let result = match reading {
            Ok(reading) => {
                let document = reading.document;
                PageResult {
                    file: page.file.clone(),
                    error: None,
                    text: document.text,
                    title: document.title,
                    published: document.published,
                    updated: document.updated,
                    authors: document.authors,
                }
            }
            Err(err) => PageResult {
                file: page.file.clone(),
                error: Some(err.to_string()),
                ..PageResult::default()
            },
        };
        set.pages.push((page, result));
    }
    Ok(set)
}

/// CPU time of the calling thread.
#[cfg(unix)]
fn thread_cpu() -> Duration {
    let mut spec = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `spec` is a valid, writable timespec and the clock id is a constant libc knows.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut spec) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(spec.tv_sec as u64, spec.tv_nsec as u32)
}

/// Wall time where no thread CPU clock is at hand.
#[cfg(not(unix))]
fn thread_cpu() -> Duration {
    static START: LazyLock<std::time::Instant> = LazyLock::new(std::time::Instant::now);
    START.elapsed()
}

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").expect("valid pattern"));

/// 4-word shingles of `\w+` tokens with their counts (a text shorter than four words is one
/// shorter shingle), as the ScrapingHub benchmark counts them.
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens: Vec<&str> = WORD.find_iter(text).map(|m| m.as_str()).collect();
    let mut counts = HashMap::new();
    let n = 4;
    let last = tokens.len().saturating_sub(n) + 1;
    for start in 0..last.max(1) {
        let shingle = tokens[start.min(tokens.len())..(start + n).min(tokens.len())].to_vec();
        if !shingle.is_empty() {
            *counts.entry(shingle).or_insert(0) += 1;
        }
    }
    counts
}

/// Shingle precision and recall of one page (the benchmark's convention for empty texts: an empty
/// prediction of an empty gold is right).
pub fn shingle_precision_recall(gold: &str, got: &str) -> (f64, f64) {
    let gold = shingles(gold);
    let got = shingles(got);
    let mut tp = 0usize;
    for (shingle, count) in &got {
        tp += (*count).min(gold.get(shingle).copied().unwrap_or(0));
    }
    let n_got: usize = got.values().sum();
    let n_gold: usize = gold.values().sum();
    let (fp, fn_) = (n_got - tp, n_gold - tp);
    let precision = if n_got > 0 {
        tp as f64 / n_got as f64
    } else if fn_ == 0 {
        1.0
    } else {
        0.0
    };
    let recall = if n_gold > 0 {
        tp as f64 / n_gold as f64
    } else if fp == 0 {
        1.0
    } else {
        0.0
    };
    (precision, recall)
}

/// A title as compared: lower case, words only, single spaces.
pub fn normalise_title(title: &str) -> String {
    WORD.find_iter(&title.to_lowercase())
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `author` appears inside the gold byline (both as lower-case words; a name run into a
/// date, "Ward22", still counts, as the set's README has it).
pub fn author_in_byline(author: &str, byline: &str) -> bool {
    let author = normalise_title(author);
    let byline = normalise_title(byline);
    !author.is_empty() && byline.contains(&author)
}

/// The day of an ISO date, as written (no zone conversion).
fn day(iso: &str) -> &str {
    iso.get(..10).unwrap_or(iso)
}

/// Per-set figures.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// Body: mean shingle precision, recall, and F1 of the means.
    pub body: Option<(f64, f64, f64, usize)>,
    /// Bodies with markup (`<img`, `<iframe`, `</…>`) in the text.
    pub body_markup: usize,
    /// Dates: right, no date given, one day out, from the future, pages.
    pub dates: Option<DateFigures>,
    /// Meta: title right, pages; author right (all authors inside), any author inside, pages
    /// with a byline; pages with an author outside the byline.
    pub meta: Option<MetaFigures>,
}

/// Date figures.
#[derive(Debug, Clone, Default)]
pub struct DateFigures {
    /// Pages.
    pub pages: usize,
    /// Right day (or rightly none).
    pub right: usize,
    /// No date given.
    pub none: usize,
    /// Pages with no gold date.
    pub gold_none: usize,
    /// A day one out.
    pub one_off: usize,
    /// Dates after today.
    pub future: usize,
    /// Pages with an `updated` date.
    pub updated: usize,
}

/// Title and byline figures.
#[derive(Debug, Clone, Default)]
pub struct MetaFigures {
    /// Pages.
    pub pages: usize,
    /// Normalised title equal to gold.
    pub title_right: usize,
    /// Pages with a gold byline.
    pub with_byline: usize,
    /// Pages with a byline where authors were given and all appear in the byline.
    pub author_right: usize,
    /// Pages with a byline where at least one author given appears in it.
    pub author_any: usize,
    /// Pages (any) where an author given is not in the gold byline.
    pub junk: usize,
}

impl ExtractionRun {
    /// Scores the run.
    pub fn figures(&self) -> Figures {
        let mut figures = Figures::default();
        if let Some(set) = &self.body {
            let (mut p, mut r) = (0.0, 0.0);
            for (gold, got) in &set.pages {
                let (pp, rr) =
                    shingle_precision_recall(gold.body.as_deref().unwrap_or(""), &got.text);
                p += pp;
                r += rr;
                if has_markup(&got.text) {
                    figures.body_markup += 1;
                }
            }
            let n = set.pages.len().max(1) as f64;
            let (p, r) = (p / n, r / n);
            let f1 = if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            };
            figures.body = Some((p, r, f1, set.pages.len()));
        }
        if let Some(set) = &self.dates {
            let mut d = DateFigures {
                pages: set.pages.len(),
                ..DateFigures::default()
            };
            for (gold, got) in &set.pages {
                let got_day = got.published.as_deref().map(day);
                if got.updated.is_some() {
                    d.updated += 1;
                }
                if got_day.is_none() {
                    d.none += 1;
                }
                if gold.published.is_none() {
                    d.gold_none += 1;
                }
                if got_day.is_some_and(|g| g > self.today.as_str()) {
                    d.future += 1;
                }
                if got_day == gold.published.as_deref() {
                    d.right += 1;
                } else if let (Some(g), Some(w)) = (got_day, gold.published.as_deref()) {
                    if let (Ok(g), Ok(w)) = (
                        g.parse::<jiff::civil::Date>(),
                        w.parse::<jiff::civil::Date>(),
                    ) {
                        if (g - w).get_days().abs() == 1 {
                            d.one_off += 1;
                        }
                    }
                }
            }
            figures.dates = Some(d);
        }
        if let Some(set) = &self.meta {
            let mut m = MetaFigures {
                pages: set.pages.len(),
                ..MetaFigures::default()
            };
            for (gold, got) in &set.pages {
                if let (Some(g), Some(t)) = (&gold.title, &got.title) {
                    if normalise_title(g) == normalise_title(t) {
                        m.title_right += 1;
                    }
                }
                let byline = gold.byline.as_deref().unwrap_or("");
                let inside = got
                    .authors
                    .iter()
                    .filter(|a| author_in_byline(a, byline))
                    .count();
                if inside < got.authors.len() {
                    m.junk += 1;
                }
                if gold.byline.is_some() {
                    m.with_byline += 1;
                    if inside > 0 {
                        m.author_any += 1;
                    }
                    if inside > 0 && inside == got.authors.len() {
                        m.author_right += 1;
                    }
                }
            }
            figures.meta = Some(m);
        }
        figures
    }

    /// One line per page that is wrong, for error analysis.
    pub fn misses(&self) -> String {
        let mut out = String::new();
        if let Some(set) = &self.body {
            for (gold, got) in &set.pages {
                let (p, r) =
                    shingle_precision_recall(gold.body.as_deref().unwrap_or(""), &got.text);
                if p < 0.9 || r < 0.9 || has_markup(&got.text) {
                    out += &format!(
                        "body/{}\tP {p:.2} R {r:.2}{}{}\n",
                        gold.file,
                        if has_markup(&got.text) {
                            "\tmarkup"
                        } else {
                            ""
                        },
                        got.error
                            .as_deref()
                            .map(|e| format!("\t{e}"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        if let Some(set) = &self.dates {
            for (gold, got) in &set.pages {
                let got_day = got.published.as_deref().map(day);
                if got_day != gold.published.as_deref() {
                    out += &format!(
                        "dates/{}\tgold {}\tgot {}\tupdated {}\n",
                        gold.file,
                        gold.published.as_deref().unwrap_or("-"),
                        got.published.as_deref().unwrap_or("-"),
                        got.updated.as_deref().unwrap_or("-"),
                    );
                }
            }
        }
        if let Some(set) = &self.meta {
            for (gold, got) in &set.pages {
                let title_ok = match (&gold.title, &got.title) {
                    (Some(g), Some(t)) => normalise_title(g) == normalise_title(t),
                    _ => false,
                };
                if !title_ok {
                    out += &format!(
                        "meta/{}\ttitle gold {:?}\tgot {:?}\n",
                        gold.file, gold.title, got.title
                    );
                }
                let byline = gold.byline.as_deref().unwrap_or("");
                let all_inside = got.authors.iter().all(|a| author_in_byline(a, byline));
                if (gold.byline.is_some() && (got.authors.is_empty() || !all_inside))
                    || (gold.byline.is_none() && !got.authors.is_empty())
                {
                    out += &format!(
                        "meta/{}\tbyline gold {:?}\tgot {:?}\n",
                        gold.file, gold.byline, got.authors
                    );
                }
            }
        }
        out
    }
}

/// Whether text carries HTML markup.
fn has_markup(text: &str) -> bool {
    static MARKUP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)<(?:img|iframe|script|style|noscript|div|span|a|p|br|figure|source|picture|video)[\s>/]|</[a-z]+>")
            .expect("valid pattern")
    });
    MARKUP.is_match(text)
}

impl fmt::Display for ExtractionRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let figures = self.figures();
        let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
        writeln!(
            f,
            "extraction on real pages (release build for the CPU figures)"
        )?;
        if let Some((p, r, f1, n)) = figures.body {
            writeln!(
                f,
                "body (ScrapingHub shingles, {n} pages): P {p:.3}  R {r:.3}  F1 {f1:.3}   pages with markup in the text: {}",
                figures.body_markup
            )?;
        }
        if let Some(d) = &figures.dates {
            writeln!(
                f,
                "publication day ({} pages, {} with none): right {:.3}   no date given {:.3}   one day out {:.3}   after today: {}   with an updated date: {}",
                d.pages,
                d.gold_none,
                share(d.right, d.pages),
                share(d.none, d.pages),
                share(d.one_off, d.pages),
                d.future,
                d.updated,
            )?;
        }
        if let Some(m) = &figures.meta {
            writeln!(
                f,
                "title ({} pages): normalised right {:.3}",
                m.pages,
                share(m.title_right, m.pages)
            )?;
            writeln!(
                f,
                "author ({} pages with a byline): found {:.3} (every author given inside the byline)   any author inside {:.3}   pages with an author outside the byline: {}",
                m.with_byline,
                share(m.author_right, m.with_byline),
                share(m.author_any, m.with_byline),
                m.junk,
            )?;
        }
        let sets = [&self.body, &self.dates, &self.meta];
        let (cpu, bytes, pages) = sets
            .iter()
            .filter_map(|s| s.as_ref())
            .fold((Duration::ZERO, 0, 0), |(c, b, p), s| {
                (c + s.cpu, b + s.bytes, p + s.pages.len())
            });
        writeln!(
            f,
            "CPU time reading {pages} pages ({:.1} MB): {:.2} s, {:.1} ms a page",
            bytes as f64 / 1e6,
            cpu.as_secs_f64(),
            cpu.as_secs_f64() * 1000.0 / pages.max(1) as f64
        )?;
        for set in sets.iter().filter_map(|s| s.as_ref()) {
            for (_, page) in &set.pages {
                if let Some(error) = &page.error {
                    writeln!(f, "unread: {error}")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_score_as_the_benchmark_does() {
        assert_eq!(
            shingle_precision_recall("one two three four five", "one two three four five"),
            (1.0, 1.0)
        );
        let (p, r) = shingle_precision_recall(
            "one two three four five",
            "one two three four five six seven",
        );
        assert_eq!((p, r), (2.0 / 4.0, 1.0));
        assert_eq!(shingle_precision_recall("", ""), (1.0, 1.0));
        assert_eq!(shingle_precision_recall("one two", ""), (0.0, 0.0));
    }

    #[test]
    fn titles_compare_on_words_and_authors_inside_bylines() {
        assert_eq!(
            normalise_title("Pier  Reopens — at last!"),
            "pier reopens at last"
        );
        assert!(author_in_byline(
            "Mara Ellison",
            "By MARA ELLISON | Updated 3 May"
        ));
        assert!(author_in_byline("Lucas Ward", "by Lucas Ward22 Dec 2016"));
        assert!(!author_in_byline("Tom Best", "By Mara Ellison"));
        assert!(!author_in_byline("", "By Mara"));
    }

    #[test]
    fn markup_in_text_is_noticed() {
        assert!(has_markup(r#"Text <img src="a.jpg"> more"#));
        assert!(has_markup("a </iframe> b"));
        assert!(!has_markup("3 < 4 and 5 > 2"));
    }
}
