//! Dates written the way news writes them ("Monday 6 January 2020 12:31 pm", "Jan. 3, 2020",
//! "2020-01-06T12:31:00Z"), turned into ISO 8601.
//!
//! This module reads one date phrase that fills a whole string (a dateline, a post's date, a
//! metadata value). It does not hunt for dates inside running prose, and it never invents a time
//! zone: a zone appears in the output only when the input gives one as an offset, `Z`, UTC or GMT.

use std::sync::LazyLock;

use regex::Regex;

/// Month number and every spelling of it.
type Months = Vec<(u8, Vec<&'static str>)>;

/// Month names: `(month number, every spelling)`, from `data/months.txt`.
pub fn months() -> Months {
    include_str!("../data/months.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .zip(1u8..)
        .map(|(line, month)| (month, line.split_whitespace().collect()))
        .collect()
}

static DATE_PHRASE: LazyLock<(Regex, Months)> = LazyLock::new(|| {
    let months = months();
    let mut spellings: Vec<&str> = months
        .iter()
        .flat_map(|(_, names)| names.iter().copied())
        .collect();
    // Longest first, so "sept" wins over "sep" and "june" over "jun".
    spellings.sort_by_key(|name| std::cmp::Reverse(name.len()));
    let month = spellings.join("|");
    let time = r"(?P<h>\d{1,2})[:.]\s?(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?";
    let zone = r"(?P<tz>Z|[+-]\d{2}:?\d{2}|UTC|GMT|[A-Z]{2,4})";
    let pattern = format!(
        r"(?ix)^\s*
        (?:(?:last\s+)?(?:updated|published|posted|first\s+published|modified)(?:\s+on)?\s*:?\s*)?
        (?:on\s+)?
        (?:(?P<lead_time>{time})\s*(?:{zone_lead})?\s*[,|•·–—-]?\s*)?
        (?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?
        (?:
            (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{month})\.?,?\s+(?P<y1>\d{{4}})
          | (?P<m2>{month})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})
          | (?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})
        )
        (?:(?:\s*,|\s+at|\s*[|•·–—-]|T)?\s*{time_tail})?
        (?:\s*{zone})?
        \s*\.?\s*$",
        time = time,
        zone_lead = r"(?:Z|UTC|GMT|[A-Z]{2,4})",
        month = month,
        time_tail = time
            .replace("?P<h>", "?P<h2>")
            .replace("?P<mi>", "?P<mi2>")
            .replace("?P<s>", "?P<s2>")
            .replace("?P<ampm>", "?P<ampm2>"),
        zone = zone,
    );
    (
        Regex::new(&pattern).expect("the date pattern is valid"),
        months,
    )
});

/// Parses a whole string as one date phrase and returns it in ISO 8601: `2020-01-03` for a date,
/// `2020-01-06T12:31:00` with a time, and a zone suffix only when the phrase gives one.
///
/// ```
/// use newslens_contract::dates::parse_date_phrase;
/// assert_eq!(parse_date_phrase("Monday 6 January 2020 12:31 pm").as_deref(), Some("2020-01-06T12:31:00"));
/// assert_eq!(parse_date_phrase("January 3, 2020").as_deref(), Some("2020-01-03"));
/// assert_eq!(parse_date_phrase("a day in January"), None);
/// ```
pub fn parse_date_phrase(phrase: &str) -> Option<String> {
    if phrase.len() > 120 {
        return None;
    }
    let (pattern, months) = &*DATE_PHRASE;
    let caps = pattern.captures(phrase)?;
    let month_number = |name: &str| -> Option<i8> {
        let lower = name.to_ascii_lowercase();
        months
            .iter()
            .find(|(_, names)| names.contains(&lower.as_str()))
            .map(|(n, _)| *n as i8)
    };
    let (year, month, day) = if let Some(y) = caps.name("y1") {
        (
            y.as_str(),
            month_number(caps.name("m1")?.as_str())?,
            caps.name("d1")?.as_str(),
        )
    } else if let Some(y) = caps.name("y2") {
        (
            y.as_str(),
            month_number(caps.name("m2")?.as_str())?,
            caps.name("d2")?.as_str(),
        )
    } else {
        (
            caps.name("y3")?.as_str(),
            caps.name("m3")?.as_str().parse().ok()?,
            caps.name("d3")?.as_str(),
        )
    };
    let date = jiff::civil::Date::new(year.parse().ok()?, month, day.parse().ok()?).ok()?;
    let mut iso = date.to_string();

    let time = if caps.name("h2").is_some() {
        Some((
            caps.name("h2"),
            caps.name("mi2"),
            caps.name("s2"),
            caps.name("ampm2"),
        ))
    } else if caps.name("h").is_some() {
        Some((
            caps.name("h"),
            caps.name("mi"),
            caps.name("s"),
            caps.name("ampm"),
        ))
    } else {
        None
    };
    if let Some((Some(h), Some(mi), s, ampm)) = time {
        let mut hour: i8 = h.as_str().parse().ok()?;
        let minute: i8 = mi.as_str().parse().ok()?;
        let second: i8 = s.map_or(Some(0), |s| s.as_str().parse().ok())?;
        if let Some(ampm) = ampm {
            let pm = ampm.as_str().to_ascii_lowercase().starts_with('p');
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = match (pm, hour) {
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, 12) => 0,
                (false, h) => h,
            };
        }
        let time = jiff::civil::Time::new(hour, minute, second, 0).ok()?;
        iso = format!("{iso}T{}", time.strftime("%H:%M:%S"));
        if let Some(zone) = caps.name("tz") {
            iso.push_str(&iso_zone(zone.as_str()));
        }
    }
    Some(iso)
}

/// The ISO suffix for a written zone: offsets and UTC/GMT only; a named local zone is dropped
/// rather than guessed ("ET" may be -05:00 or -04:00).
fn iso_zone(zone: &str) -> String {
    match zone.to_ascii_uppercase().as_str() {
        "Z" | "UTC" | "GMT" => "Z".to_string(),
        offset if offset.starts_with(['+', '-']) => {
            let digits: String = offset[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() == 4 {
                format!("{}{}:{}", &offset[..1], &digits[..2], &digits[2..])
            } else {
                String::new()
            }
        }
        _ => String::new(),
    }
}

/// Whether `text` is an ISO 8601 date bound a query can filter on: a date (`2024-03-05`) or a
/// full timestamp (`2024-03-05T10:00`, with seconds, a fraction, `Z` or an offset such as
/// `+01:00`), every field in range. Stored dates are compared as strings, so only these shapes
/// order correctly against them; anything else (`garbage`, `2024-13-01`, `5 March`) is refused
/// rather than silently matching nothing or everything.
///
/// ```
/// use newslens_contract::dates::is_date_bound;
/// assert!(is_date_bound("2024-03-05"));
/// assert!(is_date_bound("2024-03-05T10:00:00Z"));
/// assert!(!is_date_bound("garbage"));
/// assert!(!is_date_bound("2024-02-30"));
/// ```
pub fn is_date_bound(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Two or four ASCII digits at `range`, as a number.
    let number = |range: std::ops::Range<usize>| -> Option<i16> {
        let part = bytes.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let in_range = |at: usize, max: i16| number(at..at + 2).is_some_and(|value| value <= max);
    let date = (|| {
        if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let year = number(0..4)?;
        let month = i8::try_from(number(5..7)?).ok()?;
        let day = i8::try_from(number(8..10)?).ok()?;
        jiff::civil::Date::new(year, month, day).ok()
    })();
    if date.is_none() {
        return false;
    }
    if bytes.len() == 10 {
        return true;
    }
    // THH:MM, then :SS and a fraction, then Z or ±HH:MM.
    if bytes[10] != b'T' || !in_range(11, 23) || bytes.get(13) != Some(&b':') || !in_range(14, 59) {
        return false;
    }
    let mut at = 16;
    if bytes.get(at) == Some(&b':') {
        if !in_range(at + 1, 59) {
            return false;
        }
        at += 3;
        if bytes.get(at) == Some(&b'.') {
            let n_digits = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if n_digits == 0 {
                return false;
            }
            at += 1 + n_digits;
        }
    }
    match bytes.get(at) {
        None => true,
        Some(b'Z') => at + 1 == bytes.len(),
        Some(b'+' | b'-') => {
            in_range(at + 1, 23)
                && bytes.get(at + 3) == Some(&b':')
                && in_range(at + 4, 59)
                && at + 6 == bytes.len()
        }
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{is_date_bound, parse_date_phrase};

    #[test]
    fn date_bounds_are_dates_or_full_timestamps_with_every_field_in_range() {
        for good in [
            "2024-03-05",
            "2024-02-29",
            "2024-03-05T10:00",
            "2024-03-05T10:00:59",
            "2024-03-05T10:00:00.123Z",
            "2024-03-05T23:59:00+05:30",
            "2024-03-05T00:00-08:00",
        ] {
            assert!(is_date_bound(good), "{good}");
        }
        for bad in [
            "",
            "garbage",
            "2024",
            "2024-03",
            "2023-02-29",
            "2024-13-01",
            "2024-3-5",
            "2024-03-05 ",
            "2024-03-05T",
            "2024-03-05T24:00",
            "2024-03-05T10:60",
            "2024-03-05T10:00:00.",
            "2024-03-05T10:00Zjunk",
            "2024-03-05T10:00+5",
            "2024-03-05' OR 1=1",
            "２０２４-03-05",
        ] {
            assert!(!is_date_bound(bad), "{bad}");
        }
    }

    fn check(phrase: &str, expected: Option<&str>) {
        assert_eq!(parse_date_phrase(phrase).as_deref(), expected, "{phrase}");
    }

    #[test]
    fn british_dateline_with_weekday_and_pm_time() {
        check(
            "Monday 6 January 2020 12:31 pm",
            Some("2020-01-06T12:31:00"),
        );
        check("Mon 6 Jan 2020 00:05", Some("2020-01-06T00:05:00"));
    }

    #[test]
    fn american_dates_with_abbreviated_months_and_zones() {
        check("Jan. 3, 2020", Some("2020-01-03"));
        check(
            "January 3, 2020 at 4:05 p.m. ET",
            Some("2020-01-03T16:05:00"),
        );
        check(
            "Updated: Sept 14, 2021 12:00 AM GMT",
            Some("2021-09-14T00:00:00Z"),
        );
    }

    #[test]
    fn iso_timestamps_keep_their_offsets() {
        check(
            "2024-03-05T09:15:00+00:00",
            Some("2024-03-05T09:15:00+00:00"),
        );
        check("2024-03-05T09:15:00Z", Some("2024-03-05T09:15:00Z"));
        check("2024-03-05", Some("2024-03-05"));
    }

    #[test]
    fn tokenised_times_and_ordinal_days() {
        check("December 15th, 2008, 7: 35 am", Some("2008-12-15T07:35:00"));
        check(
            "on Tuesday, 16 December 2008 13: 45.",
            Some("2008-12-16T13:45:00"),
        );
        check(
            "UPDATED 3: 09 AM EST Dec 19, 2008",
            Some("2008-12-19T03:09:00"),
        );
    }

    #[test]
    fn time_before_date() {
        check("12:31, 6 January 2020", Some("2020-01-06T12:31:00"));
    }

    #[test]
    fn impossible_dates_and_prose_are_rejected() {
        check("31 February 2020", None);
        check("The council met on 6 January 2020 to vote", None);
        check("13:00 pm, 6 January 2020", None);
        check("", None);
    }
}
