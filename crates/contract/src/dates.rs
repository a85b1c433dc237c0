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

#[cfg(test)]
mod tests {
    use super::parse_date_phrase;

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
