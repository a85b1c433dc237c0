//! What one article adds to its outlet's aggregates ([`ArticleTally`]), and a batch's sum
//! ([`BatchTally`]) that a store writes in the transaction storing the batch.
//!
//! An article counts under its source (`names::source_key`) and under the corpus (source `""`),
//! per week (the Monday of its publication date, `""` when undated): articles, quotes, words of
//! its own voice (outside direct, mixed and post quotes), loaded spans in its own voice, its
//! narrative tone, reporting verbs and the non-neutral ones, and the gender of each quoted person
//! ([`gender`]); and, over all weeks, quotes per speaker and own-voice counts per word. Pure CPU
//! work, done by `prepare` on the analysis threads; nothing here touches a database.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use newslens_contract::{Article, EntityType, MentionKind, QuoteKind};
use serde::{Deserialize, Serialize};

use super::gender::{speaker_gender, Gender};
use super::names::source_key;

/// Counts of one source in one week (or of one article).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct WeekCounts {
    /// Articles.
    pub articles: i64,
    /// Quotes of every kind.
    pub quotes: i64,
    /// Words of the outlet's own voice (quotes excluded).
    pub own_words: i64,
    /// Loaded or emotive spans in the outlet's own voice.
    pub loaded: i64,
    /// Sum of the articles' narrative tone (quotes removed).
    pub tone_sum: f64,
    /// Articles with a narrative tone.
    pub tone_articles: i64,
    /// Quotes with a reporting verb.
    pub verbs: i64,
    /// Of those, verbs that are not neutral ("slammed", "admitted").
    pub non_neutral_verbs: i64,
    /// Quotes whose speaker is a woman, by the article's pronouns or the first-name list.
    pub women: i64,
    /// Quotes whose speaker is a man.
    pub men: i64,
    /// Quotes by a person whose gender neither says.
    pub unknown_gender: i64,
    /// Quotes of named speakers (the sum the speaker rankings count from).
    pub speaker_quotes: i64,
    /// Own-voice words the word rankings count (stop words left out).
    pub content_words: i64,
}

impl WeekCounts {
    /// Adds another's counts to these.
    pub fn add(&mut self, other: &WeekCounts) {
        self.articles += other.articles;
        self.quotes += other.quotes;
        self.own_words += other.own_words;
        self.loaded += other.loaded;
        self.tone_sum += other.tone_sum;
        self.tone_articles += other.tone_articles;
        self.verbs += other.verbs;
        self.non_neutral_verbs += other.non_neutral_verbs;
        self.women += other.women;
        self.men += other.men;
        self.unknown_gender += other.unknown_gender;
        self.speaker_quotes += other.speaker_quotes;
        self.content_words += other.content_words;
    }
}

/// One article's contribution to the aggregates.
#[derive(Debug, Clone, Default)]
pub struct ArticleTally {
    /// The source key (`""` when the article names no outlet and has no URL).
    pub source: String,
    /// The source as written.
    pub written: String,
    /// The Monday of its publication week, `YYYY-MM-DD`, or `""`.
    pub week: String,
    /// Its publication day, `YYYY-MM-DD`, if dated.
    pub day: Option<String>,
    /// Its counts.
    pub counts: WeekCounts,
    /// Quotes per speaker: (lower-cased name, name as written, quotes).
    pub speakers: Vec<(String, String, i64)>,
    /// Own-voice occurrences per word (lower-cased, stop words left out).
    pub words: Vec<(String, i64)>,
}

/// Words that are never distinctive: the story engine's stop words.
static STOP_WORDS: LazyLock<foldhash::HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/story_stopwords.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// Computes what an article adds to the aggregates.
pub fn tally(article: &Article) -> ArticleTally {
    let (source, written) = source_key(
        article.source.outlet.as_deref(),
        article.source.url.as_deref(),
    );
    let day = article
        .published
        .as_deref()
        .and_then(|published| published.get(..10))
        .filter(|day| civil_day(day).is_some())
        .map(str::to_string);
    let week = day.as_deref().and_then(monday_of).unwrap_or_default();

    // Characters inside quoted words are the sources' voice, not the outlet's.
    let n_chars = article.text.chars().count();
    let mut quoted = vec![false; n_chars];
    for quote in &article.quotes {
        if quote.kind == QuoteKind::Indirect {
            continue;
        }
        for span in &quote.spans {
            for flag in quoted
                .iter_mut()
                .take(span.end.min(n_chars))
                .skip(span.start)
            {
                *flag = true;
            }
        }
    }
    let mut counts = WeekCounts {
        articles: 1,
        quotes: article.quotes.len() as i64,
        ..WeekCounts::default()
    };
    let mut words: BTreeMap<String, i64> = BTreeMap::new();
    let mut word = String::new();
    let mut word_quoted = false;
    let mut flush = |word: &mut String, word_quoted: bool, counts: &mut WeekCounts| {
        if !word.is_empty() && !word_quoted {
            counts.own_words += 1;
            if word.chars().count() >= 3
                && word.chars().all(char::is_alphabetic)
                && !STOP_WORDS.contains(word.as_str())
            {
                *words.entry(word.clone()).or_default() += 1;
            }
        }
        word.clear();
    };
    for (char_idx, character) in article.text.chars().enumerate() {
        if character.is_alphanumeric() || (character == '\'' && !word.is_empty()) {
            if word.is_empty() {
                word_quoted = quoted[char_idx];
            }
            word.extend(character.to_lowercase());
        } else {
            flush(&mut word, word_quoted, &mut counts);
        }
    }
    flush(&mut word, word_quoted, &mut counts);
    // "the outlet's" counts as "the outlet".
    let words = words
        .into_iter()
        .fold(
            BTreeMap::new(),
            |mut folded: BTreeMap<String, i64>, (word, n)| {
                let stem = word
                    .strip_suffix("'s")
                    .unwrap_or(word.trim_end_matches('\''));
                *folded.entry(stem.to_string()).or_default() += n;
                folded
            },
        )
        .into_iter()
        .filter(|(word, _)| word.chars().count() >= 3 && !STOP_WORDS.contains(word.as_str()))
        .collect::<Vec<(String, i64)>>();

    counts.loaded = article
        .loaded
        .iter()
        .filter(|loaded| !quoted.get(loaded.start).copied().unwrap_or(false))
        .count() as i64;
    if let Some(tone) = &article.tone_narrative {
        counts.tone_sum = tone.tone;
        counts.tone_articles = 1;
    }
    let mut speakers: BTreeMap<String, (String, i64)> = BTreeMap::new();
    for quote in &article.quotes {
        if let Some(verb) = &quote.verb {
            counts.verbs += 1;
            if !verb.neutral {
                counts.non_neutral_verbs += 1;
            }
        }
        let Some(speaker) = &quote.speaker else {
            continue;
        };
        let entity = speaker
            .entity
            .and_then(|entity_idx| article.entities.iter().find(|e| e.id == entity_idx));
        // Organisations, places and groups are quoted too; only people have a gender to count.
        let is_person = entity.is_none_or(|entity| entity.entity_type == EntityType::Person);
        if is_person {
            match speaker_gender(article, speaker) {
                Gender::Woman => counts.women += 1,
                Gender::Man => counts.men += 1,
                Gender::Unknown => counts.unknown_gender += 1,
            }
        }
        let key = speaker_key(&speaker.name);
        if key.is_empty() {
            continue;
        }
        // A speaker known only as "he" names no one the rankings could show.
        let named = entity.is_none_or(|entity| {
            entity
                .mentions
                .iter()
                .any(|mention| mention.kind == MentionKind::Name)
        });
        if named {
            speakers
                .entry(key)
                .or_insert_with(|| (speaker.name.trim().to_string(), 0))
                .1 += 1;
        }
    }
    // "Obama" in an article that also quotes or names "Barack Obama" is him.
    let people: Vec<String> = article
        .entities
        .iter()
        .filter(|entity| entity.entity_type == EntityType::Person)
        .map(|entity| speaker_key(&entity.name))
        .collect();
    let in_quotes = fold_surnames(speakers.iter().map(|(key, (_, n))| (key.as_str(), *n)));
    let in_article = fold_surnames(
        speakers
            .iter()
            .map(|(key, (_, n))| (key.as_str(), *n))
            .chain(people.iter().map(|key| (key.as_str(), 0))),
    );
    let surnames: Vec<String> = speakers
        .keys()
        .filter(|key| !key.contains(' '))
        .cloned()
        .collect();
    for surname in surnames {
        let Some(full) = in_quotes.get(&surname).or_else(|| in_article.get(&surname)) else {
            continue;
        };
        let Some((_, n)) = speakers.remove(&surname) else {
            continue;
        };
        let full_name = article
            .entities
            .iter()
            .find(|entity| &speaker_key(&entity.name) == full)
            .map(|entity| entity.name.clone());
        speakers
            .entry(full.clone())
            .or_insert_with(|| (full_name.unwrap_or_else(|| full.clone()), 0))
            .1 += n;
    }
    counts.speaker_quotes = speakers.values().map(|(_, n)| n).sum();
    counts.content_words = words.iter().map(|(_, n)| n).sum();
    ArticleTally {
        source,
        written,
        week,
        day,
        counts,
        speakers: speakers
            .into_iter()
            .map(|(key, (name, n))| (key, name, n))
            .collect(),
        words,
    }
}

/// Titles and office words that open a name ("President", "Sen.", "Lord"): the core's lists.
static TITLES: LazyLock<foldhash::HashSet<String>> = LazyLock::new(|| {
    include_str!("../../../core/data/titles.txt")
        .lines()
        .chain(include_str!("../../../core/data/personal_titles.txt").lines())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// The key a speaker is counted under: the name lower-cased from after its last title (and an
/// "of …" word after it) on, without abbreviated titles and initials, so that house styles agree ("Sen. Marco
/// Rubio", "Senator Marco Rubio" and "Marco Rubio", "Donald J. Trump" and "Donald Trump",
/// "President Obama" and "Obama" are one speaker). A bare surname stays its own key here
/// ("Clinton" may be either of two people); [`fold_surnames`] joins it to the full name when
/// the article or the outlet names only one person of that surname.
pub fn speaker_key(name: &str) -> String {
    let mut words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    // A name follows its title: "New Jersey Gov. Chris Christie", "Vermont Sen. Sanders" and
    // "Secretary of State John Kerry" are "chris christie", "sanders" and "john kerry".
    let is_title = |word: &String| TITLES.contains(word.trim_end_matches('.'));
    if let Some(last_title) = words[..words.len().saturating_sub(1)]
        .iter()
        .rposition(is_title)
    {
        words.drain(..=last_title);
        if words.len() > 2 && words[0] == "of" {
            words.drain(..2);
        }
    }
    let words: Vec<String> = words
        .into_iter()
        .filter(|word| !(word.ends_with('.') && word.chars().count() <= 5))
        .filter(|word| word.chars().filter(|c| c.is_alphabetic()).count() > 1)
        .collect();
    if words.is_empty() {
        return name.trim().to_lowercase();
    }
    words.join(" ")
}

/// How many times the quotes of all other full names with a surname the most quoted one needs
/// to take the bare surname when it is not the only one ("Barack Obama" against a stray "Sasha
/// Obama").
const DOMINANCE: i64 = 10;

/// Joins each one-word speaker key ("obama") to a longer key ending in that word ("barack
/// obama") among `known` (keys with their quotes): the only one, else one quoted at least ten
/// times as often as all the others together. Two people of one surname quoted alike ("bill
/// clinton", "hillary clinton") leave the surname alone. Returns one-word key → full key.
pub fn fold_surnames<'a>(
    known: impl IntoIterator<Item = (&'a str, i64)>,
) -> BTreeMap<String, String> {
    let mut surnames: BTreeMap<&str, BTreeMap<&str, i64>> = BTreeMap::new();
    let mut single: Vec<&str> = Vec::new();
    for (key, quotes) in known {
        match key.rsplit_once(' ') {
            Some((_, surname)) => {
                *surnames.entry(surname).or_default().entry(key).or_default() += quotes
            }
            None => single.push(key),
        }
    }
    let mut folded = BTreeMap::new();
    for key in single {
        let Some(full) = surnames.get(key) else {
            continue;
        };
        let mut ranked: Vec<(&str, i64)> = full.iter().map(|(name, n)| (*name, *n)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let others: i64 = ranked.iter().skip(1).map(|(_, n)| n).sum();
        let (best, best_quotes) = ranked[0];
        if ranked.len() == 1 || (best_quotes > 0 && best_quotes >= DOMINANCE * others) {
            folded.insert(key.to_string(), best.to_string());
        }
    }
    folded
}

/// One row of the weekly aggregates: a source's counts in a week and its first and last day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekRow {
    /// Counts.
    pub counts: WeekCounts,
    /// The earliest publication day among its articles.
    pub first: Option<String>,
    /// The latest.
    pub last: Option<String>,
}

/// The sum of a batch of tallies, keyed and sorted as the tables are, so every writer updates
/// rows in the same order (two PostgreSQL writers never wait on each other in a cycle).
#[derive(Debug, Clone, Default)]
pub struct BatchTally {
    /// Source key → source as written.
    pub sources: BTreeMap<String, String>,
    /// (source, week) → counts.
    pub weeks: BTreeMap<(String, String), WeekRow>,
    /// (source, speaker key) → (name, quotes).
    pub speakers: BTreeMap<(String, String), (String, i64)>,
}

impl BatchTally {
    /// Adds one article, under its source (if it has one) and under the corpus (`""`).
    pub fn add(&mut self, tally: &ArticleTally) {
        let mut targets = vec![""];
        if !tally.source.is_empty() {
            targets.push(tally.source.as_str());
            self.sources
                .entry(tally.source.clone())
                .or_insert_with(|| tally.written.clone());
        }
        for source in targets {
            let row = self
                .weeks
                .entry((source.to_string(), tally.week.clone()))
                .or_default();
            row.counts.add(&tally.counts);
            if let Some(day) = &tally.day {
                if row.first.as_ref().is_none_or(|first| day < first) {
                    row.first = Some(day.clone());
                }
                if row.last.as_ref().is_none_or(|last| day > last) {
                    row.last = Some(day.clone());
                }
            }
            for (key, name, n) in &tally.speakers {
                self.speakers
                    .entry((source.to_string(), key.clone()))
                    .or_insert_with(|| (name.clone(), 0))
                    .1 += n;
            }
        }
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.weeks.is_empty()
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` day, if it is a real day.
pub(crate) fn civil_day(day: &str) -> Option<i64> {
    let mut parts = day.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let dom: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || dom < 1 || dom > days_in_month(year, month) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + dom - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The `YYYY-MM-DD` of a day count (inverse of [`civil_day`]).
pub(crate) fn day_of(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let dom = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{dom:02}")
}

/// The Monday of a day's ISO week.
pub(crate) fn monday_of(day: &str) -> Option<String> {
    let days = civil_day(day)?;
    // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays.
    Some(day_of(days - (days + 3).rem_euclid(7)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_initials_do_not_split_a_speaker() {
        assert_eq!(speaker_key("Sen. Marco Rubio"), "marco rubio");
        assert_eq!(speaker_key("Donald J. Trump"), "donald trump");
        assert_eq!(speaker_key("Mrs. Clinton"), "clinton");
        assert_eq!(speaker_key("Hillary Clinton"), "hillary clinton");
        assert_eq!(speaker_key("Dr."), "dr.");
        assert_eq!(speaker_key("President Obama"), "obama");
        assert_eq!(
            speaker_key("Former Vice President Walter Pike"),
            "walter pike"
        );
        assert_eq!(speaker_key("The President"), "the president");
        assert_eq!(
            speaker_key("New Jersey Gov. Chris Christie"),
            "chris christie"
        );
        assert_eq!(speaker_key("Vermont Sen. Sanders"), "sanders");
        assert_eq!(speaker_key("Secretary of State John Kerry"), "john kerry");
        assert_eq!(speaker_key("President"), "president");
    }

    #[test]
    fn a_surname_folds_into_the_one_full_name_that_ends_with_it() {
        let folded = fold_surnames([
            ("obama", 5),
            ("barack obama", 40),
            ("sasha obama", 2),
            ("clinton", 9),
            ("bill clinton", 10),
            ("hillary clinton", 30),
            ("pike", 1),
            ("vance", 1),
            ("nora vance", 0),
        ]);
        assert_eq!(
            folded.get("obama").map(String::as_str),
            Some("barack obama")
        );
        assert_eq!(folded.get("clinton"), None);
        assert_eq!(folded.get("vance").map(String::as_str), Some("nora vance"));
        assert_eq!(folded.get("pike"), None);
    }

    #[test]
    fn a_surname_speaker_in_an_article_naming_the_full_name_is_one_speaker() {
        let mut document = newslens_core::Document::new(
            "Governor Edwina Marsh opened the new bridge on Tuesday. \"This bridge joins two \
             towns that needed each other,\" Marsh said. Residents cheered. \"We waited ten \
             years,\" said Tom Bell, a ferry pilot. \"It was worth it,\" Governor Marsh added.",
        );
        document.source.outlet = Some("Harbour Gazette".into());
        let mut article = newslens_core::analyze(&document);
        // As a quote layer that did not link "Marsh" to the governor would leave it.
        let mut n_unlinked = 0;
        for quote in &mut article.quotes {
            if let Some(speaker) = quote.speaker.as_mut().filter(|s| s.name.contains("Marsh")) {
                speaker.name = "Marsh".into();
                speaker.entity = None;
                n_unlinked += 1;
            }
        }
        assert_eq!(n_unlinked, 2, "{:?}", article.quotes);
        let tally = tally(&article);
        assert_eq!(
            tally.speakers,
            [
                ("edwina marsh".to_string(), "Edwina Marsh".to_string(), 2),
                ("tom bell".to_string(), "Tom Bell".to_string(), 1)
            ]
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(monday_of("2020-01-06").as_deref(), Some("2020-01-06"));
        assert_eq!(monday_of("2020-01-12").as_deref(), Some("2020-01-06"));
        assert_eq!(monday_of("2020-03-01").as_deref(), Some("2020-02-24"));
        assert_eq!(monday_of("2021-02-30"), None);
    }

    #[test]
    fn own_voice_leaves_quoted_words_out() {
        let mut document = newslens_core::Document::new(
            "Officials fumed on Monday. \"Nothing happened here at all,\" Mary Jones said.",
        );
        document.source.outlet = Some("Harbour Gazette".into());
        document.published = Some("2020-01-08".into());
        let article = newslens_core::analyze(&document);
        assert_eq!(article.quotes.len(), 1, "{:?}", article.quotes);
        let tally = tally(&article);
        assert!(tally.words.iter().any(|(word, _)| word == "fumed"));
        assert!(!tally.words.iter().any(|(word, _)| word == "happened"));
        assert_eq!(tally.source, "harbour gazette");
        assert_eq!(tally.week, "2020-01-06");
        assert_eq!(tally.counts.women, 1);
        assert_eq!(tally.speakers.len(), 1);
    }
}
