//! Calendar months (`YYYY-MM`): contribution periods, service months and payout months.

use super::date::Date;
use chrono::Datelike;
use std::fmt;

/// A month as `year * 12 + (month - 1)`, so that consecutive months are consecutive integers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Month(i32);

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        // (the years a date of these extracts may have, `parse_date`: until 2026-12-03 months
        // stopped at 2200 — a review found 2201-01 rejected as “not a calendar month” beside
        // contract ends of 9999-12-31)
        if (1..=12).contains(&month) && (1900..=9999).contains(&year) {
            Some(Month(year * 12 + month as i32 - 1))
        } else {
            None
        }
    }

    /// Parses a strict `YYYY-MM`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let b = s.as_bytes();
        let ok = b.len() == 7
            && b[4] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit());
        if !ok {
            return Err(format!("{s:?} is not a month of the form YYYY-MM"));
        }
        let y: i32 = s[0..4].parse().map_err(|_| format!("bad year in {s:?}"))?;
        let m: u32 = s[5..7].parse().map_err(|_| format!("bad month in {s:?}"))?;
        Month::new(y, m).ok_or_else(|| format!("{s} is not a calendar month (years 1900–9999)"))
    }

    pub fn of(d: Date) -> Self {
        Month(d.year() * 12 + d.month0() as i32)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    pub fn index(self) -> i32 {
        self.0
    }

    pub fn from_index(i: i32) -> Self {
        Month(i)
    }

    pub fn first_day(self) -> Date {
        Date::from_ymd_opt(self.year(), self.month(), 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        self.next().first_day().pred_opt().unwrap_or(Date::MIN)
    }

    pub fn next(self) -> Self {
        Month(self.0 + 1)
    }

    /// Whether any day of this month lies in `[from, to]` (both inclusive).
    pub fn overlaps(self, from: Date, to: Date) -> bool {
        self.first_day() <= to && from <= self.last_day()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_days() {
        let m = Month::parse("2018-02").unwrap();
        assert_eq!(m.to_string(), "2018-02");
        assert_eq!(m.last_day().to_string(), "2018-02-28");
        assert_eq!(
            Month::parse("2018-12").unwrap().next().to_string(),
            "2019-01"
        );
        assert!(Month::parse("2018-13").is_err());
        assert!(Month::parse("201809").is_err());
        // the years of a date (a review found 2201-01 refused beside 9999-12-31 contract ends)
        assert_eq!(Month::parse("2201-01").unwrap().to_string(), "2201-01");
        let last = Month::parse("9999-12").unwrap();
        assert_eq!(last.last_day().to_string(), "9999-12-31");
        assert!(Month::parse("1899-12").is_err());
        assert!(Month::parse("1900-01").is_ok());
    }
}
