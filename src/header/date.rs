//! Dates as they occur in Received fields: RFC 5322 with its obsolete forms
//! (two-digit years, named zones, missing seconds), and the forms real MTAs
//! write anyway (asctime, ISO 8601 with Go's fractional seconds, a zone name in
//! a trailing comment). The parser reads a date from the start of the text and
//! ignores what follows, because some servers put more clauses after it.

/// Seconds since the Unix epoch (UTC).
pub type Timestamp = i64;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Reads a date at the start of `text`; `None` when it does not start with one.
pub fn parse(text: &str) -> Option<Timestamp> {
    let parts: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|p| !p.is_empty())
        .take(8)
        .collect();
    let mut rest = parts.as_slice();
    if let Some(first) = rest.first()
        && is_weekday(first)
    {
        rest = rest.get(1..).unwrap_or(&[]);
    }
    let first = rest.first()?;
    if first.len() >= 8 && first.as_bytes().get(4) == Some(&b'-') {
        return parse_iso(rest);
    }
    if first.chars().next()?.is_ascii_digit() {
        parse_rfc5322(rest)
    } else {
        parse_asctime(rest)
    }
}

/// Whether a word can begin a date: a weekday, a day number or an ISO date.
/// Lets callers look for a date in a field without `;` cheaply.
pub fn may_start_date(word: &str) -> bool {
    is_weekday(word)
        || (word.len() <= 2 && word.chars().all(|c| c.is_ascii_digit()))
        || is_iso_date(word)
}

fn is_iso_date(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() >= 10
        && bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && bytes
            .get(..4)
            .is_some_and(|y| y.iter().all(u8::is_ascii_digit))
}

fn is_weekday(word: &str) -> bool {
    let word = word.trim_end_matches([',', '.']).to_ascii_lowercase();
    word.len() >= 3 && WEEKDAYS.iter().any(|d| word.starts_with(d))
}

fn month(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| word.starts_with(m))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// `3 Jan 2023 10:00:00 +0000`, also `03-Jan-2023 10:00`, two-digit years.
fn parse_rfc5322(parts: &[&str]) -> Option<Timestamp> {
    let (day, month, year, rest) = match parts {
        [dmy, rest @ ..] if dmy.contains('-') => {
            let mut pieces = dmy.split('-');
            let day = pieces.next()?;
            let month = pieces.next()?;
            let year = pieces.next()?;
            (day, month, year, rest)
        }
        [day, month, year, rest @ ..] => (*day, *month, *year, rest),
        _ => return None,
    };
    let day: u32 = day.parse().ok()?;
    let month = self::month(month)?;
    let year = full_year(year)?;
    let (time, zone_parts) = rest.split_first()?;
    let seconds = time_of_day(time)?;
    let offset = zone_parts
        .first()
        .map_or(Some(0), |z| zone_offset(z).or(Some(0)))?;
    timestamp(year, month, day, seconds, offset)
}

/// `Jan  3 10:00:00 2023` (C's asctime, as some old MTAs write).
fn parse_asctime(parts: &[&str]) -> Option<Timestamp> {
    let [month, day, time, year, rest @ ..] = parts else {
        return None;
    };
    let month = self::month(month)?;
    let day: u32 = day.parse().ok()?;
    let seconds = time_of_day(time)?;
    let year = full_year(year)?;
    let offset = rest.first().and_then(|z| zone_offset(z)).unwrap_or(0);
    timestamp(year, month, day, seconds, offset)
}

/// `2023-01-03 10:00:00.123456789 +0000 UTC` or `2023-01-03T10:00:00Z`.
fn parse_iso(parts: &[&str]) -> Option<Timestamp> {
    let (first, rest) = parts.split_first()?;
    let (date, time_and_zone, rest) = match first.split_once(['T', 't']) {
        Some((date, time)) => (date, time.to_owned(), rest),
        None => {
            let (time, rest) = rest.split_first()?;
            (*first, (*time).to_owned(), rest)
        }
    };
    let mut fields = date.split('-');
    let year: i64 = fields.next()?.parse().ok()?;
    let month: u32 = fields.next()?.parse().ok()?;
    let day: u32 = fields.next()?.parse().ok()?;
    // A zone may be glued to the time: 10:00:00Z, 10:00:00+02:00.
    let split = time_and_zone
        .find(['Z', 'z', '+', '-'])
        .unwrap_or(time_and_zone.len());
    let (time, glued_zone) = time_and_zone.split_at(split);
    let seconds = time_of_day(time)?;
    let offset = if glued_zone.is_empty() {
        rest.first().and_then(|z| zone_offset(z)).unwrap_or(0)
    } else {
        zone_offset(glued_zone)?
    };
    timestamp(year, month, day, seconds, offset)
}

/// RFC 5322 §4.3: two-digit years below 50 are 20xx, others 19xx; three-digit years add 1900.
fn full_year(text: &str) -> Option<i64> {
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i64 = text.parse().ok()?;
    Some(match text.len() {
        1 | 2 if year < 50 => 2000 + year,
        1 | 2 => 1900 + year,
        3 => 1900 + year,
        _ => year,
    })
}

/// `hh:mm[:ss[.fraction]]` → seconds since midnight.
fn time_of_day(text: &str) -> Option<i64> {
    let text = text.split('.').next()?;
    let mut fields = text.split(':');
    let hour: i64 = fields.next()?.parse().ok()?;
    let minute: i64 = fields.next()?.parse().ok()?;
    let second: i64 = match fields.next() {
        Some(s) => s.parse().ok()?,
        None => 0,
    };
    if fields.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(hour * 3600 + minute * 60 + second)
}

/// A zone as seconds east of UTC. Military letters and unknown names count as
/// UTC, as RFC 5322 §4.3 advises for zones whose meaning cannot be trusted.
fn zone_offset(text: &str) -> Option<i64> {
    let text = text.trim_matches(|c| c == '(' || c == ')');
    let signed = text
        .strip_prefix('+')
        .map(|r| (1, r))
        .or_else(|| text.strip_prefix('-').map(|r| (-1, r)));
    if let Some((sign, digits)) = signed {
        let digits: String = digits.chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let hours: i64 = digits.get(..2)?.parse().ok()?;
        let minutes: i64 = digits.get(2..)?.parse().ok()?;
        if hours > 23 || minutes > 59 {
            return None;
        }
        return Some(sign * (hours * 3600 + minutes * 60));
    }
    let hours = match text.to_ascii_uppercase().as_str() {
        "UT" | "UTC" | "GMT" | "Z" => 0,
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        "CET" => 1,
        "CEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "JST" => 9,
        _ => 0,
    };
    Some(hours * 3600)
}

fn timestamp(year: i64, month: u32, day: u32, seconds: i64, offset: i64) -> Option<Timestamp> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + seconds - offset)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Formats a timestamp as RFC 3339 in UTC: `2023-01-03T10:00:00Z`.
pub fn to_rfc3339(timestamp: Timestamp) -> String {
    let days = timestamp.div_euclid(86_400);
    let seconds = timestamp.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Option<String> {
        parse(text).map(to_rfc3339)
    }

    #[test]
    fn rfc5322_dates_with_offsets() {
        assert_eq!(
            iso("Tue, 3 Jan 2023 10:00:00 +0000").as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
        assert_eq!(
            iso("Tue, 03 Jan 2023 05:00:00 -0500 (EST)").as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
        assert_eq!(
            iso("3 Jan 2023 12:30:00 +0230").as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
    }

    #[test]
    fn obsolete_forms() {
        assert_eq!(
            iso("3 Jan 23 10:00 GMT").as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
        assert_eq!(
            iso("Mon, 27 Dec 99 23:59:59 PST").as_deref(),
            Some("1999-12-28T07:59:59Z")
        );
        assert_eq!(
            iso("03-Jan-2023 10:00:00 +0000").as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
        assert_eq!(
            iso("Tuesday, 3 January 2023 10:00:00 Z").as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
    }

    #[test]
    fn asctime_and_iso_forms() {
        assert_eq!(
            iso("Tue Jan  3 10:00:00 2023").as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
        assert_eq!(
            iso("2023-01-03 10:00:00.123456789 +0000 UTC m=+12.3").as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
        assert_eq!(
            iso("2023-01-03T12:00:00+02:00").as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
    }

    #[test]
    fn trailing_clauses_are_ignored() {
        assert_eq!(
            iso("Tue, 03 Jan 2023 10:00:00 +0000\n id 0000000000001234.0000000063B3F5A0")
                .as_deref(),
            Some("2023-01-03T10:00:00Z")
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse("31 Feb 2023 10:00:00 +0000"), None);
        assert_eq!(parse("3 Foo 2023 10:00:00"), None);
        assert_eq!(parse("3 Jan 2023 25:00:00"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("Tue,"), None);
        assert_eq!(
            iso("29 Feb 2024 00:00:00 +0000").as_deref(),
            Some("2024-02-29T00:00:00Z")
        );
    }
}
