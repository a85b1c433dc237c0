//! Writing articles: JSON (one object or an array), JSON lines, or a short text summary for a
//! terminal (coloured when stdout is a terminal, plain otherwise).
//!
//! Articles are written as they come, so output streams; the JSON form holds back only the first
//! article, to know whether to print one object or an array. It does not analyse anything.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use anyhow::Result;

use newslens_core::Article;

/// How articles are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One pretty JSON object for one article, else an array of them.
    Json,
    /// One compact JSON object a line.
    JsonLines,
    /// A human summary.
    Text,
}

/// Writes articles in one format, in the order given.
pub struct ArticleWriter<W: Write> {
    out: W,
    format: OutputFormat,
    n_written: usize,
    /// JSON: the first article, held until we know whether an array is needed.
    held: Option<String>,
}

impl<W: Write> ArticleWriter<W> {
    pub fn new(out: W, format: OutputFormat) -> ArticleWriter<W> {
        ArticleWriter {
            out,
            format,
            n_written: 0,
            held: None,
        }
    }

    pub fn write(&mut self, article: &Article) -> Result<()> {
        match self.format {
            OutputFormat::JsonLines => {
                serde_json::to_writer(&mut self.out, article)?;
                self.out.write_all(b"\n")?;
            }
            OutputFormat::Json => {
                let json = serde_json::to_string_pretty(article)?;
                match (self.n_written, self.held.take()) {
                    (0, _) => self.held = Some(json),
                    (1, Some(first)) => write!(self.out, "[\n{first},\n{json}")?,
                    _ => write!(self.out, ",\n{json}")?,
                }
            }
            OutputFormat::Text => write_summary(&mut self.out, article)?,
        }
        self.n_written += 1;
        Ok(())
    }

    /// Flushes what is written so far, so errors on stderr interleave in order.
    pub fn flush(&mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }

    /// Ends the output.
    pub fn finish(mut self) -> Result<()> {
        if self.format == OutputFormat::Json {
            match (self.n_written, self.held.take()) {
                (0, _) => writeln!(self.out, "[]")?,
                (1, Some(only)) => writeln!(self.out, "{only}")?,
                _ => writeln!(self.out, "\n]")?,
            }
        }
        self.out.flush()?;
        Ok(())
    }
}

const HEADING: Style = Style::new().bold();
const LABEL: Style = AnsiColor::Cyan.on_default();
const DIM: Style = Style::new().dimmed();
const QUOTE: Style = AnsiColor::Green.on_default();
const LOADED: Style = AnsiColor::Red.on_default();

/// A few lines about one article for a person at a terminal.
fn write_summary(out: &mut impl Write, article: &Article) -> std::io::Result<()> {
    let title = article.title.as_deref().unwrap_or("(untitled)");
    writeln!(out, "{HEADING}{title}{HEADING:#}")?;
    let mut facts = Vec::new();
    if let Some(published) = &article.published {
        facts.push(published.clone());
    }
    if !article.authors.is_empty() {
        facts.push(format!("by {}", article.authors.join(", ")));
    }
    if let Some(outlet) = &article.source.outlet {
        facts.push(outlet.clone());
    }
    if !facts.is_empty() {
        writeln!(out, "  {}", facts.join(" · "))?;
    }
    let n_words = article.text.split_whitespace().count();
    // The input's name as given may hold control characters; never send them to a terminal.
    let path = newslens_read::printable(
        article
            .source
            .url
            .as_deref()
            .or(article.source.path.as_deref())
            .unwrap_or(""),
    );
    writeln!(
        out,
        "  {DIM}{path} · id {} · {} paragraphs, {} sentences, {n_words} words{DIM:#}",
        article.id,
        article.paragraphs.len(),
        article.sentences.len()
    )?;
    if !article.entities.is_empty() {
        let names: Vec<String> = article
            .entities
            .iter()
            .take(12)
            .map(|e| format!("{} ({})", e.name, e.entity_type))
            .collect();
        writeln!(out, "  {LABEL}entities{LABEL:#} {}", names.join(", "))?;
    }
    for quote in &article.quotes {
        let speaker = quote
            .speaker
            .as_ref()
            .map_or("unknown speaker", |s| s.name.as_str());
        let verb = quote
            .verb
            .as_ref()
            .map_or(String::new(), |v| format!(" ({})", v.text));
        writeln!(
            out,
            "  {LABEL}quote{LABEL:#} {speaker}{verb}: {QUOTE}“{}”{QUOTE:#}",
            shorten(&quote.text, 100)
        )?;
    }
    for post in &article.posts {
        let who = post
            .handle
            .as_deref()
            .or(post.author.as_deref())
            .unwrap_or("unknown");
        let date = post
            .date
            .as_deref()
            .map_or(String::new(), |d| format!(", {d}"));
        let body: String = article
            .text
            .chars()
            .skip(post.start)
            .take(post.end.saturating_sub(post.start))
            .collect();
        writeln!(
            out,
            "  {LABEL}post{LABEL:#} {who}{date}: {}",
            shorten(&body, 100)
        )?;
    }
    if let (Some(tone), Some(narrative)) = (&article.tone, &article.tone_narrative) {
        writeln!(
            out,
            "  {LABEL}tone{LABEL:#} {:+.2} (positive {:.2}, negative {:.2}); outlet's own voice {:+.2} over {} of {} words",
            tone.tone, tone.positive, tone.negative, narrative.tone, narrative.words, tone.words
        )?;
    }
    if !article.loaded.is_empty() {
        // The outlet's own framing first; words inside quotes are the sources'.
        let words = |in_quote: bool| -> Vec<&str> {
            article
                .loaded
                .iter()
                .filter(|l| l.in_quote == in_quote)
                .map(|l| l.text.as_str())
                .collect()
        };
        let (own, quoted) = (words(false), words(true));
        if !own.is_empty() {
            writeln!(
                out,
                "  {LABEL}loaded{LABEL:#} {LOADED}{}{LOADED:#}",
                own.join(", ")
            )?;
        }
        if !quoted.is_empty() {
            writeln!(
                out,
                "  {LABEL}loaded, in quotes{LABEL:#} {DIM}{}{DIM:#}",
                quoted.join(", ")
            )?;
        }
    }
    for removed in &article.boilerplate {
        writeln!(
            out,
            "  {DIM}removed {}: {}{DIM:#}",
            removed.kind,
            shorten(&removed.text, 80)
        )?;
    }
    writeln!(out)
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    format!("{}…", cut.trim_end())
}
