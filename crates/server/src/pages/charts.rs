//! The inline SVG charts: a story's tone bars and timeline, and an entity's mentions per day.
//!
//! Geometry is SVG attributes (x, y, width, height), colour is classes styled by the stylesheet:
//! the Content-Security-Policy forbids inline styles. Every SVG element is written with an
//! explicit end tag, as HTML requires for foreign elements. Dates are parsed here only as far as
//! placing marks on an axis needs; this module knows nothing of the store.

use maud::{html, Markup};

use newslens_store::{MentionPeriod, StoryArticle};

use crate::pages::layout::{article_path, display_date};

/// Tone at which a tone bar reaches its end: GDELT tone rarely leaves ±10.
const TONE_FULL_SCALE: f64 = 10.0;

/// A horizontal bar centred at zero, leftwards and `tone-negative` below zero, rightwards and
/// `tone-positive` above.
pub(crate) fn tone_bar(tone: f64, label: &str) -> Markup {
    const WIDTH: f64 = 200.0;
    const HEIGHT: f64 = 20.0;
    let half = WIDTH / 2.0;
    let tone = if tone.is_finite() { tone } else { 0.0 };
    let length = (tone.abs() / TONE_FULL_SCALE).min(1.0) * half;
    let (x, class) = if tone < 0.0 {
        (half - length, "tone-negative")
    } else {
        (half, "tone-positive")
    };
    let description = format!("{label}: {tone:+.2}");
    html! {
        svg.tone-bar viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } width=(WIDTH) height=(HEIGHT)
            role="img" aria-label=(description) {
            title { (description) }
            rect.tone-track x="0" y="4" width=(WIDTH) height=(HEIGHT - 8.0) {}
            @if length > 0.0 {
                rect.(class) x=(num(x)) y="4" width=(num(length)) height=(HEIGHT - 8.0) {}
            }
            line.tone-axis x1=(half) y1="0" x2=(half) y2=(HEIGHT) {}
        }
    }
}

/// One mark per dated article along the time axis, a row each, labelled by outlet and linking to
/// the article; undated articles are listed after the chart.
pub(crate) fn timeline(articles: &[StoryArticle]) -> Markup {
    const WIDTH: f64 = 760.0;
    const MARGIN: f64 = 12.0;
    const ROW: f64 = 26.0;
    const TOP: f64 = 16.0;
    let mut dated: Vec<(i64, &StoryArticle)> = articles
        .iter()
        .filter_map(|article| {
            let minute = article.published.as_deref().and_then(minute_of)?;
            Some((minute, article))
        })
        .collect();
    dated.sort_by_key(|(minute, _)| *minute);
    let undated: Vec<&StoryArticle> = articles
        .iter()
        .filter(|article| article.published.as_deref().and_then(minute_of).is_none())
        .collect();
    let first = dated.first().map_or(0, |(minute, _)| *minute);
    let last = dated.last().map_or(0, |(minute, _)| *minute);
    let plot_width = WIDTH - 2.0 * MARGIN;
    let x_of = |minute: i64| {
        if last > first {
            MARGIN + (minute - first) as f64 / (last - first) as f64 * plot_width
        } else {
            WIDTH / 2.0
        }
    };
    let axis_y = TOP + dated.len() as f64 * ROW;
    let height = axis_y + 30.0;
    html! {
        @if !dated.is_empty() {
            div.chart-scroll { svg.timeline viewBox={ "0 0 " (WIDTH) " " (num(height)) } width=(WIDTH) height=(num(height))
                role="img" aria-label="The story's articles along time, one row each" {
                title { "The story's articles in order of publication" }
                @for (row_idx, (minute, article)) in dated.iter().enumerate() {
                    @let x = x_of(*minute);
                    @let y = TOP + row_idx as f64 * ROW;
                    @let outlet = article.outlet.as_deref().unwrap_or("unknown outlet");
                    @let (label_x, anchor) = if x > WIDTH / 2.0 { (x - 9.0, "end") } else { (x + 9.0, "start") };
                    line.timeline-guide x1=(MARGIN) y1=(num(y)) x2=(WIDTH - MARGIN) y2=(num(y)) {}
                    a href=(article_path(&article.id)) {
                        title {
                            (article.title.as_deref().unwrap_or("untitled")) " — " (outlet)
                            ", " (display_date(article.published.as_deref().unwrap_or_default()))
                        }
                        circle.timeline-mark.duplicate[article.duplicate_of.is_some()]
                            cx=(num(x)) cy=(num(y)) r="5" {}
                        text.timeline-label x=(num(label_x)) y=(num(y + 4.0)) text-anchor=(anchor) {
                            (outlet)
                        }
                    }
                }
                line.timeline-axis x1=(MARGIN) y1=(num(axis_y)) x2=(WIDTH - MARGIN) y2=(num(axis_y)) {}
                @let first_label = display_minute(first, last - first);
                @let last_label = display_minute(last, last - first);
                @if last > first {
                    text.axis-label x=(MARGIN) y=(num(axis_y + 18.0)) text-anchor="start" { (first_label) }
                    text.axis-label x=(WIDTH - MARGIN) y=(num(axis_y + 18.0)) text-anchor="end" { (last_label) }
                } @else {
                    text.axis-label x=(WIDTH / 2.0) y=(num(axis_y + 18.0)) text-anchor="middle" { (first_label) }
                }
            } }
        } @else {
            p.empty { "None of the story's articles is dated." }
        }
        @if !undated.is_empty() {
            h3 { "Undated" }
            ul.undated {
                @for article in &undated {
                    li {
                        a href=(article_path(&article.id)) { (article.title.as_deref().unwrap_or("untitled")) }
                        " — " (article.outlet.as_deref().unwrap_or("unknown outlet"))
                    }
                }
            }
        }
    }
}

/// Mentions per day as bars on a continuous day axis, with date labels; an empty chart that
/// says so when no mention is dated.
pub(crate) fn mentions_chart(timeline: &[MentionPeriod]) -> Markup {
    const WIDTH: f64 = 760.0;
    const LEFT: f64 = 40.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 12.0;
    const PLOT_HEIGHT: f64 = 160.0;
    let dated: Vec<(i64, &MentionPeriod)> = timeline
        .iter()
        .filter_map(|period| Some((day_of(&period.date)?, period)))
        .collect();
    let n_undated: usize = timeline
        .iter()
        .filter(|period| day_of(&period.date).is_none())
        .map(|period| period.mentions)
        .sum();
    let first_day = dated.iter().map(|(day, _)| *day).min().unwrap_or(0);
    let last_day = dated.iter().map(|(day, _)| *day).max().unwrap_or(0);
    let n_days = (last_day - first_day + 1) as f64;
    let max_mentions = dated
        .iter()
        .map(|(_, period)| period.mentions)
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_width = WIDTH - LEFT - RIGHT;
    let slot = plot_width / n_days;
    let bar_width = (slot * 0.8).max(1.0);
    let axis_y = TOP + PLOT_HEIGHT;
    let height = axis_y + 28.0;
    html! {
        @if dated.is_empty() {
            svg.mentions-chart.empty viewBox={ "0 0 " (WIDTH) " 48" } width=(WIDTH) height="48"
                role="img" aria-label="No dated mentions" {
                line.chart-axis x1=(LEFT) y1="30" x2=(WIDTH - RIGHT) y2="30" {}
                text.empty-label x=(WIDTH / 2.0) y="22" text-anchor="middle" { "No dated mentions yet" }
            }
        } @else {
            div.chart-scroll { svg.mentions-chart viewBox={ "0 0 " (WIDTH) " " (num(height)) } width=(WIDTH) height=(num(height))
                role="img" aria-label="Mentions per day" {
                title { "Mentions per day" }
                text.axis-label x=(LEFT - 6.0) y=(num(TOP + 4.0)) text-anchor="end" { (max_mentions) }
                text.axis-label x=(LEFT - 6.0) y=(num(axis_y)) text-anchor="end" { "0" }
                @for (day, period) in &dated {
                    @let bar_height = (period.mentions as f64 / max_mentions as f64 * PLOT_HEIGHT)
                        .max(if period.mentions > 0 { 1.0 } else { 0.0 });
                    @let x = LEFT + (day - first_day) as f64 * slot + (slot - bar_width) / 2.0;
                    rect.mentions-bar x=(num(x)) y=(num(axis_y - bar_height)) width=(num(bar_width))
                        height=(num(bar_height)) {
                        title {
                            (period.date) ": " (period.mentions) " mentions in "
                            (period.articles) " articles"
                        }
                    }
                }
                line.chart-axis x1=(LEFT) y1=(num(axis_y)) x2=(WIDTH - RIGHT) y2=(num(axis_y)) {}
                @for day in tick_days(first_day, last_day, slot) {
                    @let x = LEFT + (day - first_day) as f64 * slot + slot / 2.0;
                    line.chart-tick x1=(num(x)) y1=(num(axis_y)) x2=(num(x)) y2=(num(axis_y + 4.0)) {}
                    text.axis-label x=(num(x.clamp(LABEL_HALF_WIDTH, WIDTH - LABEL_HALF_WIDTH)))
                        y=(num(axis_y + 18.0)) text-anchor="middle" { (date_of_day(day)) }
                }
            } }
        }
        @if n_undated > 0 {
            p.undated-note { (n_undated) " mentions in undated articles are not on the chart." }
        }
    }
}

/// Half the width of a `YYYY-MM-DD` axis label, in chart units.
const LABEL_HALF_WIDTH: f64 = 34.0;

/// The days to label under a day axis: the first, then every `step` days, where the step keeps
/// labels at most six and far enough apart not to overlap (`slot` is a day's width).
fn tick_days(first_day: i64, last_day: i64, slot: f64) -> Vec<i64> {
    const MAX_TICKS: i64 = 6;
    let span = last_day - first_day;
    let min_step_for_room = (2.0 * LABEL_HALF_WIDTH + 8.0) / slot.max(f64::MIN_POSITIVE);
    let step = ((span + MAX_TICKS - 1) / MAX_TICKS)
        .max(min_step_for_room.ceil().min(i64::MAX as f64) as i64)
        .max(1);
    (0..)
        .map(|tick_idx: i64| first_day + tick_idx * step)
        .take_while(|day| *day <= last_day)
        .collect()
}

/// A coordinate as written in an attribute: one decimal.
fn num(value: f64) -> String {
    format!("{value:.1}")
}

/// Days since 1970-01-01 of an ISO 8601 date's `YYYY-MM-DD` prefix.
pub(crate) fn day_of(date: &str) -> Option<i64> {
    let bytes = date.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i64 = date.get(0..4)?.parse().ok()?;
    let month: i64 = date.get(5..7)?.parse().ok()?;
    let day: i64 = date.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Minutes since 1970-01-01T00:00 of an ISO 8601 date, with its `THH:MM` when there is one.
fn minute_of(published: &str) -> Option<i64> {
    let day = day_of(published)?;
    let time = published
        .get(11..16)
        .filter(|_| published.as_bytes()[10] == b'T');
    let minute_of_day = time
        .and_then(|time| {
            let (hour, minute) = time.split_once(':')?;
            Some(hour.parse::<i64>().ok()? * 60 + minute.parse::<i64>().ok()?)
        })
        .unwrap_or(0);
    Some(day * 24 * 60 + minute_of_day)
}

/// A minute as an axis label: the date, with the time when the axis spans less than two days.
fn display_minute(minute: i64, span_minutes: i64) -> String {
    let date = date_of_day(minute.div_euclid(24 * 60));
    if span_minutes < 2 * 24 * 60 {
        let minute_of_day = minute.rem_euclid(24 * 60);
        format!("{date} {:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
    } else {
        date
    }
}

/// `YYYY-MM-DD` of a day number.
fn date_of_day(day: i64) -> String {
    let (year, month, day) = civil_from_days(day);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date of a day number (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_of("1970-01-01"), Some(0));
        assert_eq!(day_of("2020-03-01"), Some(18_322));
        for day in [-800_000, -1, 0, 18_321, 18_322, 30_000] {
            let date = date_of_day(day);
            assert_eq!(day_of(&date), Some(day), "{date}");
        }
    }

    #[test]
    fn bad_dates_are_undated() {
        for date in [
            "",
            "undated",
            "2020-13-01",
            "2020-1-1",
            "20é0-01-01",
            "2020-01-00",
        ] {
            assert_eq!(day_of(date), None, "{date}");
        }
        assert_eq!(
            minute_of("2020-01-02T03:04:05"),
            Some((18_263 * 24 + 3) * 60 + 4)
        );
        assert_eq!(minute_of("2020-01-02"), Some(18_263 * 24 * 60));
        assert_eq!(minute_of("2020-01-02Té:xx"), Some(18_263 * 24 * 60));
    }

    #[test]
    fn day_axis_labels_never_crowd() {
        assert_eq!(tick_days(0, 0, 700.0), vec![0]);
        assert_eq!(tick_days(0, 10, 700.0 / 11.0), vec![0, 2, 4, 6, 8, 10]);
        // A year of days: at most six labels, each 76 units apart or more.
        let ticks = tick_days(0, 364, 700.0 / 365.0);
        assert!(ticks.len() <= 7, "{ticks:?}");
        assert!(ticks
            .windows(2)
            .all(|pair| (pair[1] - pair[0]) as f64 * 700.0 / 365.0 >= 76.0));
    }

    #[test]
    fn tone_bars_grow_from_the_centre() {
        let negative = tone_bar(-5.0, "tone").into_string();
        assert!(
            negative.contains(r#"class="tone-negative" x="50.0" y="4" width="50.0""#),
            "{negative}"
        );
        let positive = tone_bar(20.0, "tone").into_string();
        assert!(
            positive.contains(r#"class="tone-positive" x="100.0" y="4" width="100.0""#),
            "{positive}"
        );
        let zero = tone_bar(f64::NAN, "tone").into_string();
        assert!(!zero.contains("tone-positive") && !zero.contains("tone-negative"));
    }
}
