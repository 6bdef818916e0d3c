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
    // (a year before 1900 is a typing error in these extracts: “0000-01-01”)
    if y < 1900 {
        return Err(format!("{s} is before 1900: not a date of these extracts"));
    }
    Date::from_ymd_opt(y as i32, m, d).ok_or_else(|| format!("{s} is not a calendar date"))
}

/// A date written as its `Display` writes it (`YYYY-MM-DD`), in one piece for the usual
/// four-digit year, without the formatting machinery per field (a loan line carries three
/// dates, every payment line several parameters with theirs).
pub struct IsoDate(pub Date);

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        let y = match u32::try_from(d.year()) {
            Ok(y) if y <= 9999 => y,
            _ => return write!(f, "{d}"),
        };
        let (m, day) = (d.month(), d.day());
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let text = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(day / 10),
            digit(day),
        ];
        f.write_str(std::str::from_utf8(&text).unwrap_or_default())
    }
}

/// The date `years` after `d` — the first day after a term of `years` that begins on `d` (a
/// contract's length: 2020-02-29..2021-02-28 is one year, its end `add_years(d, 1) - 1`). A 29
/// February start lands on 1 March in a common year: the term has run at the end of 28
/// February (Civil Code art. 201–203). Ages are reached on `birthday`, a day before it there.
pub fn add_years(d: Date, years: i32) -> Date {
    let y = d.year().saturating_add(years);
    Date::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| Date::from_ymd_opt(y, 3, 1))
        .unwrap_or(d)
}

/// The last day of a period of `years` years after `d` (“毕业后1年内”, “5年内”): the
/// corresponding day, or the month's last day where there is none — a period from 29 February
/// ends on 28 February of a common year (Civil Code art. 202: “没有对应日的，月末日为期间的最后
/// 一日”) — the day an age is reached too (`birthday`); `add_years` is the day after a term of
/// years that begins on `d` (a contract's length).
pub fn years_end(d: Date, years: i32) -> Date {
    let y = d.year().saturating_add(years);
    Date::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| Date::from_ymd_opt(y, d.month(), 28))
        .unwrap_or(d)
}

/// The date `months` after `d`, by the rule of `add_years`: the same day of the month, or — a
/// month without that day (31 January + 1) — the first day of the month after (the period has
/// elapsed at the end of the month's last day).
pub fn add_months(d: Date, months: u32) -> Date {
    let total = i64::from(d.year()) * 12 + i64::from(d.month0()) + i64::from(months);
    let (Ok(y), m) = (
        i32::try_from(total.div_euclid(12)),
        total.rem_euclid(12) as u32 + 1,
    ) else {
        return d;
    };
    Date::from_ymd_opt(y, m, d.day())
        .or_else(|| {
            let (ny, nm) = if m == 12 {
                (y.checked_add(1)?, 1)
            } else {
                (y, m + 1)
            };
            Date::from_ymd_opt(ny, nm, 1)
        })
        .unwrap_or(d)
}

/// The day a person born on `birth` reaches `age` — and the day a span of whole years from `d`
/// is complete where the span is counted as an age is (（六）7 “失业登记后连续失业一年以上”):
/// the corresponding day, or for 29 February 28 February of a common year. An age is reached
/// on the last day of its period (以上 includes the number, art. 1259), and a period of years
/// without a corresponding day ends on the month's last day (Civil Code art. 202, as
/// `years_end`). Until 2026-12-07 a 29 February birthday fell on 1 March (`add_years`, the day
/// after the period's end: a contract's length), one day later than the rule for every other
/// birthday — a contract-only review.
pub fn birthday(birth: Date, age: i32) -> Date {
    years_end(birth, age)
}

/// Age in completed years on date `on`. A person reaches age N on the Nth birthday itself
/// (法定年龄 “周岁” counts from the birthday; 以上 includes the number, Civil Code art. 1259):
/// `birthday`.
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = on.year() - birth.year();
    if birthday(birth, age) > on {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    /// A checked date of these extracts: a calendar date, from 1900 (“0000-01-01” is a typing
    /// error, accepted before 2026-12-01 as a payment date).
    #[test]
    fn dates_before_1900_are_refused() {
        assert!(super::parse_date("0000-01-01")
            .unwrap_err()
            .contains("before 1900"));
        assert!(super::parse_date("1899-12-31").is_err());
        assert!(super::parse_date("1900-01-01").is_ok());
    }

    use super::*;

    // A term of N months ends, like a term of years, on the same day N months on, or at the
    // end of the last day of a month without that day (the next day is the first outside it).
    #[test]
    fn add_months_keeps_the_day_or_passes_the_months_end() {
        let d = |s: &str| crate::domain::parse_date(s).unwrap();
        for (from, n, to) in [
            ("2018-03-01", 12, "2019-03-01"),
            ("2018-12-15", 1, "2019-01-15"),
            ("2019-01-31", 1, "2019-03-01"),
            ("2018-11-30", 3, "2019-03-01"),
            ("2016-02-29", 36, "2019-03-01"),
            ("2016-02-29", 48, "2020-02-29"),
            ("2019-12-31", 0, "2019-12-31"),
        ] {
            assert_eq!(add_months(d(from), n), d(to), "{from} + {n}");
        }
        assert_eq!(
            add_months(d("2016-02-29"), 36),
            add_years(d("2016-02-29"), 3)
        );
    }

    // Ages (art. 1259 “以上” includes the number; art. 202): one born 1984-02-29 is 35 on
    // 2019-02-28, the last day of her 35 years — as one born 1984-07-01 is 35 on 2019-07-01;
    // in a leap year on 29 February itself
    #[test]
    fn a_29_february_birthday_falls_on_28_february_of_a_common_year() {
        let d = |s: &str| crate::domain::parse_date(s).unwrap();
        assert_eq!(birthday(d("1984-02-29"), 35), d("2019-02-28"));
        assert_eq!(birthday(d("1984-02-29"), 36), d("2020-02-29"));
        assert_eq!(birthday(d("1984-07-01"), 35), d("2019-07-01"));
    }

    // Civil Code art. 202: a period of years from 29 February ends on 28 February of a common
    // year (a graduate of 2020-02-29 is within “1年内” on 2021-02-28, not on 2021-03-01); from
    // any other day, on the corresponding day
    #[test]
    fn years_end_is_the_corresponding_day_or_the_months_last() {
        let d = |s: &str| crate::domain::parse_date(s).unwrap();
        for (from, n, to) in [
            ("2020-02-29", 1, "2021-02-28"),
            ("2020-02-29", 4, "2024-02-29"),
            ("2020-06-30", 1, "2021-06-30"),
            ("2018-12-31", 2, "2020-12-31"),
        ] {
            assert_eq!(years_end(d(from), n), d(to), "{from} + {n} years");
        }
    }

    // `IsoDate` writes what `Display` writes: ordinary dates, single-digit months and days,
    // years below 1000, and (through Display itself) years beyond four digits.
    #[test]
    fn iso_date_writes_what_display_writes() {
        for (y, m, d) in [
            (2018, 9, 1),
            (2019, 12, 31),
            (999, 1, 9),
            (0, 1, 1),
            (10000, 2, 3),
            (-1, 5, 6),
        ] {
            let date = Date::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(IsoDate(date).to_string(), date.to_string());
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
        // born 2000-02-29: 18 on 2018-02-28 (art. 202: the month's last day ends the period),
        // 17 the day before (until 2026-12-07: 18 only on 2018-03-01)
        assert_eq!(age_on(d("2000-02-29"), d("2018-02-27")), 17);
        assert_eq!(age_on(d("2000-02-29"), d("2018-02-28")), 18);
        assert_eq!(age_on(d("2000-02-29"), d("2020-02-28")), 19);
        assert_eq!(age_on(d("2000-02-29"), d("2020-02-29")), 20);
    }
}
