//! Unified social credit code (统一社会信用代码), GB 32100-2015.
//!
//! 18 characters from the 31-character set `0-9 A-H J-N P-R T-U W-Y` (no I, O, S, V, Z);
//! the 18th is a check character: `31 - (Σ value_i × weight_i mod 31)`, where 31 maps to 0.

use std::fmt;

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct CreditCode([u8; 18]);

/// Value of each byte in the charset, 0xFF outside it.
const VALUES: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < CHARSET.len() {
        t[CHARSET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

fn value(c: u8) -> Option<u32> {
    match VALUES[c as usize] {
        0xFF => None,
        v => Some(u32::from(v)),
    }
}

/// Check character for the first 17 characters, or `None` if one is outside the charset.
pub fn check_char(first17: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(*c)? * w;
    }
    let v = (31 - sum % 31) % 31;
    Some(CHARSET[v as usize])
}

impl CreditCode {
    pub fn parse(s: &str) -> Result<Self, String> {
        let b = s.as_bytes();
        if b.len() != 18 {
            let n = s.chars().count();
            return Err(if n == 18 {
                format!("credit code {s:?} holds characters other than ASCII digits and capitals (full-width?)")
            } else {
                format!("credit code must have 18 characters, found {n}")
            });
        }
        if let Some(bad) = b.iter().find(|c| value(**c).is_none()) {
            return Err(format!(
                "credit code holds {:?}, outside the GB 32100 character set",
                *bad as char
            ));
        }
        let expected = check_char(&b[..17]).unwrap_or(b'?');
        if b[17] != expected {
            return Err(format!(
                "credit code check character is {:?}, GB 32100 requires {:?}",
                b[17] as char, expected as char
            ));
        }
        let mut a = [0u8; 18];
        a.copy_from_slice(b);
        Ok(CreditCode(a))
    }

    pub fn as_str(&self) -> &str {
        // only ASCII from CHARSET is ever stored
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// Administrative division code in characters 3–8.
    pub fn region(&self) -> &str {
        &self.as_str()[2..8]
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_sample_is_valid() {
        // GB 32100-2015 sample code
        let c = CreditCode::parse("91350100M000100Y43").unwrap();
        assert_eq!(c.as_str(), "91350100M000100Y43");
        assert_eq!(c.region(), "350100");
    }

    #[test]
    fn wrong_check_character_is_rejected() {
        let err = CreditCode::parse("91350100M000100Y44").unwrap_err();
        assert!(err.contains("requires '3'"), "{err}");
    }

    #[test]
    fn forbidden_characters_and_lengths_are_rejected() {
        assert!(CreditCode::parse("91350100I000100Y43").is_err()); // I not in the set
        assert!(CreditCode::parse("91350100M000100Y4").is_err());
        assert!(CreditCode::parse("91350100m000100Y43").is_err()); // lower case
    }

    #[test]
    fn check_value_31_maps_to_zero() {
        // find a 17-char body whose check is '0' and confirm it parses
        let mut body = *b"91320505MA1000000";
        for c in CHARSET.iter() {
            body[16] = *c;
            if check_char(&body) == Some(b'0') {
                let mut s = body.to_vec();
                s.push(b'0');
                assert!(CreditCode::parse(std::str::from_utf8(&s).unwrap()).is_ok());
                return;
            }
        }
        panic!("no body with check 0 found");
    }
}
