//! Calendar dates and ages.

use chrono::Datelike;
pub type Date = chrono::NaiveDate;

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let ok_shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !ok_shape {
        return Err(format!("{s:?} is not a date of the form YYYY-MM-DD"));
    }
    // (every digit checked above: the numbers are read off the bytes)
    let n = |i: usize| u32::from(b[i] - b'0');
    let y = n(0) * 1000 + n(1) * 100 + n(2) * 10 + n(3);
    let (m, d) = (n(5) * 10 + n(6), n(8) * 10 + n(9));
    Date::from_ymd_opt(y as i32, m, d).ok_or_else(|| format!("{s} is not a calendar date"))
}

/// Appends `d` as `Display` writes it (`YYYY-MM-DD`), without the formatting machinery for
/// the usual four-digit year (a loan line's derivation carries two dates).
pub fn push_date(out: &mut String, d: Date) {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        use std::fmt::Write;
        let _ = write!(out, "{d}");
        return;
    }
    let y = y as u32;
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    for c in [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(day / 10),
        digit(day),
    ] {
        out.push(c);
    }
}

/// The date `years` after `d`. A 29 February start lands on 1 March in a common year: the
/// full period of years has elapsed only at the end of 28 February (Civil Code art. 201–203
/// count periods from the next day to the end of the corresponding day).
pub fn add_years(d: Date, years: i32) -> Date {
    let y = d.year().saturating_add(years);
    Date::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| Date::from_ymd_opt(y, 3, 1))
        .unwrap_or(d)
}

/// Age in completed years on date `on`. A person reaches age N on the Nth birthday itself
/// (法定年龄 “周岁” counts from the birthday; 以上 includes the number, Civil Code art. 1259).
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = on.year() - birth.year();
    if add_years(birth, age) > on {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    // `push_date` writes what `Display` writes: ordinary dates, single-digit months and days,
    // years below 1000, and (through Display itself) years beyond four digits.
    #[test]
    fn push_date_writes_what_display_writes() {
        for (y, m, d) in [
            (2018, 9, 1),
            (2019, 12, 31),
            (999, 1, 9),
            (0, 1, 1),
            (10000, 2, 3),
        ] {
            let date = Date::from_ymd_opt(y, m, d).unwrap();
            let mut s = String::from("x");
            push_date(&mut s, date);
            assert_eq!(s, format!("x{date}"));
        }
    }

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    #[test]
    fn strict_dates() {
        assert!(parse_date("2018-02-30").is_err());
        assert!(parse_date("2018-2-3").is_err());
        assert!(parse_date("2018/02/03").is_err());
        assert_eq!(d("2020-02-29").to_string(), "2020-02-29");
    }

    #[test]
    fn age_is_reached_on_the_birthday() {
        // 48th birthday on the hire date: 48 (（六）2 “男48周岁以上” holds)
        assert_eq!(age_on(d("1970-09-01"), d("2018-09-01")), 48);
        // one day before the birthday: still 47
        assert_eq!(age_on(d("1970-09-02"), d("2018-09-01")), 47);
    }

    #[test]
    fn leap_day_birthdays() {
        // born 2000-02-29: 18 on 2018-03-01, not on 2018-02-28
        assert_eq!(age_on(d("2000-02-29"), d("2018-02-28")), 17);
        assert_eq!(age_on(d("2000-02-29"), d("2018-03-01")), 18);
        assert_eq!(age_on(d("2000-02-29"), d("2020-02-29")), 20);
    }
}
