//! Resident identity number (公民身份号码), GB 11643-1999.
//!
//! 18 characters: 6-digit area code, birth date `YYYYMMDD`, 3-digit sequence (odd = male,
//! even = female), and an ISO 7064 MOD 11-2 check character (`0-9` or `X`).

use super::date::Date;
use std::fmt;

/// Weights of ISO 7064 MOD 11-2 for the first 17 digits (2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder of the weighted sum modulo 11.
const CHECK: &[u8; 11] = b"10X98765432";

/// A validated resident ID. Stored as the number formed by its first 17 digits; the check
/// character is implied.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ResidentId(u64);

/// Sex recorded in the 17th digit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// The check character for 17 ASCII digits.
pub fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

impl ResidentId {
    /// Parses and checks an 18-character resident ID.
    pub fn parse(s: &str) -> Result<Self, String> {
        let b = s.as_bytes();
        if b.len() != 18 {
            let n = s.chars().count();
            return Err(if n == 18 {
                format!("resident ID {s:?} holds characters other than ASCII digits and X (full-width digits?)")
            } else {
                format!("resident ID must have 18 characters, found {n}")
            });
        }
        if !b[..17].iter().all(u8::is_ascii_digit) {
            return Err("resident ID: the first 17 characters must be digits".into());
        }
        let expected = check_char(&b[..17]);
        if b[17] != expected {
            return Err(format!(
                "resident ID check character is {:?}, GB 11643 requires {:?}",
                b[17] as char, expected as char
            ));
        }
        let id = ResidentId(
            b[..17]
                .iter()
                .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0')),
        );
        // (a calendar date, and not before 1900: no living person was born then — “0001”,
        // “1800” are typing errors a checksum can still pass)
        if id
            .birth_date_checked()
            .is_none_or(|d| chrono::Datelike::year(&d) < 1900)
        {
            return Err(format!(
                "resident ID holds an impossible birth date {}",
                &s[6..14]
            ));
        }
        // (the area code's province: “00” is none)
        if &s[..2] == "00" {
            return Err(format!(
                "resident ID holds an impossible area code {}",
                &s[..6]
            ));
        }
        Ok(id)
    }

    fn digits(self) -> [u8; 17] {
        let mut out = [b'0'; 17];
        let mut v = self.0;
        for slot in out.iter_mut().rev() {
            *slot = b'0' + (v % 10) as u8;
            v /= 10;
        }
        out
    }

    fn birth_date_checked(self) -> Option<Date> {
        let d = self.digits();
        let num = |r: std::ops::Range<usize>| {
            d[r].iter()
                .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'))
        };
        Date::from_ymd_opt(num(6..10) as i32, num(10..12), num(12..14))
    }

    /// Birth date encoded in digits 7–14 (validated at parse time).
    pub fn birth_date(self) -> Date {
        // Every ResidentId was built by `parse`, which rejects impossible dates.
        self.birth_date_checked().unwrap_or(Date::MIN)
    }

    /// Sex from the 17th digit: odd = male, even = female.
    pub fn sex(self) -> Sex {
        if (self.0 % 10) % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The 6-digit administrative division code of the place of first registration.
    pub fn area_code(self) -> u32 {
        (self.0 / 100_000_000_000) as u32
    }

    /// The full 18-character form.
    pub fn to_full(self) -> String {
        let mut s = String::with_capacity(18);
        s.push_str(self.full_bytes().as_str());
        s
    }

    /// The 18 characters on the stack (no string made for a `Display`).
    fn full_bytes(self) -> Full {
        let d = self.digits();
        let mut b = [0u8; 18];
        b[..17].copy_from_slice(&d);
        b[17] = check_char(&d);
        Full(b)
    }

    /// A masked form for logs and messages: area code and last four characters only.
    pub fn masked(self) -> String {
        let full = self.to_full();
        format!("{}********{}", &full[..6], &full[14..])
    }
}

/// `text` with every token shaped like a resident ID — 17 ASCII digits and a digit or `X`,
/// digits 7–14 a plausible birth date, not part of a longer run of letters and digits — masked
/// as `ResidentId::masked` does (area code and last four), whether or not its check character
/// is right: OUTPUTS.md, “Logs … never contain full resident ID”. For messages that quote what
/// a user wrote (a pipeline's parameter key naming a borrower: a cold review found it in the
/// ERROR line in full). A credit code has a letter or fails the date test.
pub fn mask_ids_in(text: &str) -> String {
    let b = text.as_bytes();
    let alnum = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let plausible = |t: &[u8]| {
        t[..17].iter().all(u8::is_ascii_digit)
            && (t[17].is_ascii_digit() || t[17] == b'X' || t[17] == b'x')
            && {
                let n = |r: std::ops::Range<usize>| {
                    t[r].iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'))
                };
                (1900..=2099).contains(&n(6..10))
                    && (1..=12).contains(&n(10..12))
                    && (1..=31).contains(&n(12..14))
            }
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i + 18 <= b.len() {
        if (i == 0 || !alnum(i - 1)) && !alnum(i + 18) && plausible(&b[i..i + 18]) {
            out.push_str(&text[last..i]);
            out.push_str(&text[i..i + 6]);
            out.push_str("********");
            out.push_str(&text[i + 14..i + 18]);
            last = i + 18;
            i += 18;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// An ID's 18 ASCII characters.
struct Full([u8; 18]);

impl Full {
    fn as_str(&self) -> &str {
        // digits and the check character (a digit or X): ASCII
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.full_bytes().as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_a_message_are_masked_credit_codes_and_payment_ids_are_not() {
        // OUTPUTS.md “Logs … never contain full resident ID”: a parameter key naming a
        // borrower, an ID with a wrong check character, a credit code of digits only (its
        // digits 7–14 no date) and one ending in a letter, a longer run of digits
        let m =
            "parameter \"loan_interest.listed.32050519850818055X\": no cap; 320505198508180551, \
                 123205064660192801, 91320505608217531R, 3205051985081805512, 11010519491231002x.";
        assert_eq!(
            mask_ids_in(m),
            "parameter \"loan_interest.listed.320505********055X\": no cap; 320505********0551, \
             123205064660192801, 91320505608217531R, 3205051985081805512, 110105********002x."
        );
        assert_eq!(
            mask_ids_in("一人 11010519491231002X 名"),
            "一人 110105********002X 名"
        );
    }

    #[test]
    fn full_width_digits_are_named_not_miscounted() {
        // 18 characters, 54 bytes: the message must not say “found 18”
        let e = ResidentId::parse("３２０５０５１９９０１０１０１２３４").unwrap_err();
        assert!(e.contains("other than ASCII digits"), "{e}");
        let e = ResidentId::parse("32050519900101123").unwrap_err();
        assert_eq!(e, "resident ID must have 18 characters, found 17");
    }

    #[test]
    fn standard_sample_is_valid() {
        // GB 11643-1999 appendix sample: 11010519491231002X (female, born 1949-12-31).
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.birth_date(), Date::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.area_code(), 110105);
        assert_eq!(id.to_full(), "11010519491231002X");
        assert_eq!(id.masked(), "110105********002X");
    }

    #[test]
    fn wrong_check_character_is_rejected() {
        let err = ResidentId::parse("110105194912310021").unwrap_err();
        assert!(err.contains("check character"), "{err}");
        // lower-case x is not the standard's character: not silently coerced
        assert!(ResidentId::parse("11010519491231002x").is_err());
    }

    #[test]
    fn malformed_ids_are_rejected() {
        assert!(ResidentId::parse("11010519491231002").is_err()); // 17 chars
        assert!(ResidentId::parse("1101051949123100AX").is_err()); // letters
                                                                   // 1949-02-30 does not exist; check char recomputed so only the date is wrong
        let mut s = b"11010519490230002".to_vec();
        s.push(check_char(&s));
        let err = ResidentId::parse(std::str::from_utf8(&s).unwrap()).unwrap_err();
        assert!(err.contains("birth date"), "{err}");
    }

    /// A checksum can pass on typing errors the standard's fields rule out: a birth year before
    /// 1900 (no living person; “0001”, “1800”) and the area code 000000 (no province “00”).
    #[test]
    fn impossible_birth_years_and_area_codes_are_rejected() {
        let with_check = |body: &str| {
            let mut s = body.as_bytes().to_vec();
            s.push(check_char(&s));
            String::from_utf8(s).unwrap()
        };
        for (body, says) in [
            ("11010518991231002", "birth date"),
            ("11010500010101002", "birth date"),
            ("00000019800101002", "area code"),
        ] {
            let err = ResidentId::parse(&with_check(body)).unwrap_err();
            assert!(err.contains(says), "{body}: {err}");
        }
        // 1900-01-01 is possible
        assert!(ResidentId::parse(&with_check("11010519000101002")).is_ok());
    }

    #[test]
    fn sex_from_17th_digit() {
        let mut s = b"32050519800101001".to_vec();
        s.push(check_char(&s));
        assert_eq!(
            ResidentId::parse(std::str::from_utf8(&s).unwrap())
                .unwrap()
                .sex(),
            Sex::Male
        );
    }
}
