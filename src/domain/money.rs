//! Money in yuan: exact decimals with at most two places, never binary floating point.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Parses `1234`, `1234.5`, `-12.30`; refuses exponents, signs other than a leading `-`,
    /// separators, spaces and more than two decimals.
    pub fn parse(s: &str) -> Result<Self, String> {
        let cents = parse_cents(s)?;
        Ok(Money::from_cents(cents))
    }

    pub fn from_cents(cents: i64) -> Self {
        Money(Decimal::new(cents, 2))
    }

    /// Rounds an exact amount once to 0.01 yuan, half away from zero (四舍五入).
    pub fn round(d: Decimal) -> Self {
        Money(d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    /// The amount in cents (exact: every Money has at most two decimals).
    pub fn cents(self) -> i64 {
        let mut d = self.0.round_dp(2);
        d.rescale(2);
        // (saturating, not wrapping: an amount beyond i64 cents — 17+ digits of yuan — is
        // refused where lines are made; it must not turn into another amount meanwhile)
        let m = d.mantissa();
        i64::try_from(m).unwrap_or(if m < 0 { i64::MIN } else { i64::MAX })
    }

    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Money {
    /// Always exactly two decimals: `1017.60`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // the usual amount (at most two decimals, not zero) written from its cents: a payment
        // line shows several, and the decimal's own formatting was a tenth of pricing a loan
        let (m, scale) = (self.0.mantissa(), self.0.scale());
        if m != 0 && scale <= 2 {
            if let Some(c) = m.checked_mul(10i128.pow(2 - scale)) {
                let a = c.unsigned_abs();
                if c < 0 {
                    f.write_str("-")?;
                }
                f.write_str(itoa::Buffer::new().format(a / 100))?;
                let r = (a % 100) as u8;
                return f.write_str(
                    std::str::from_utf8(&[b'.', b'0' + r / 10, b'0' + r % 10]).unwrap_or(".00"),
                );
            }
        }
        let mut d = self.0.round_dp(2);
        d.rescale(2);
        write!(f, "{d}")
    }
}

/// Parses a yuan amount straight to cents: at most 15 digits of yuan (an input amount).
pub fn parse_cents(s: &str) -> Result<i64, String> {
    parse_cents_upto(s, 15)
}

/// Parses a yuan amount of at most `digits` digits of yuan (≤ 16: within i64 cents). Amounts
/// the program wrote — a line priced from 15-digit inputs, a batch's control sum — may be
/// longer than an input's (a review found a run refusing its own bank file: its control sum
/// of 16 digits was read as no amount).
pub fn parse_cents_upto(s: &str, digits: usize) -> Result<i64, String> {
    let c = parse_cents_wide(s, digits.min(16))?;
    i64::try_from(c).map_err(|_| format!("{s:?} is larger than any amount accepted"))
}

/// Parses a yuan amount of at most `digits` digits of yuan (≤ 36) to cents in an i128: a
/// batch's control sum may be longer than any line (`outputs::bank`).
pub fn parse_cents_wide(s: &str, digits: usize) -> Result<i128, String> {
    let digits = digits.min(36);
    let b = s.as_bytes();
    let (neg, body) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let (int, frac) = match body.iter().position(|&c| c == b'.') {
        Some(p) => (&body[..p], &body[p + 1..]),
        None => (body, &body[body.len()..]),
    };
    let bad = || format!("{s:?} is not an amount in yuan with at most 2 decimals");
    if int.len() > digits
        && int.iter().all(u8::is_ascii_digit)
        && frac.iter().all(u8::is_ascii_digit)
    {
        return Err(format!(
            "{s:?} is larger than any amount accepted (at most {digits} digits of yuan)"
        ));
    }
    if int.is_empty()
        || !int.iter().all(u8::is_ascii_digit)
        || !frac.iter().all(u8::is_ascii_digit)
        || (body.len() > int.len() && frac.is_empty())
    {
        return Err(bad());
    }
    if frac.len() > 2 {
        return Err(format!("{s:?} has more than 2 decimals"));
    }
    let mut cents: i128 = 0;
    for &c in int {
        cents = cents * 10 + i128::from(c - b'0');
    }
    let mut f = 0i128;
    for i in 0..2 {
        f = f * 10 + frac.get(i).map_or(0, |c| i128::from(c - b'0'));
    }
    cents = cents * 100 + f;
    Ok(if neg { -cents } else { cents })
}

#[cfg(test)]
mod tests {

    // The amount written from its cents is what the decimal's own formatting wrote: every
    // scale up to 2, signs, zero, figures up to 10^15 yuan, and amounts of more decimals
    // (rounded there). (Beyond ~7.9e26 yuan the decimal wrote fewer than two decimals; the
    // cents always write two. No amount comes near.)
    #[test]
    fn display_writes_what_the_decimal_wrote() {
        let old = |d: Decimal| {
            let mut r = d.round_dp(2);
            r.rescale(2);
            r.to_string()
        };
        let cases = [
            Decimal::new(0, 0),
            Decimal::new(0, 2),
            Decimal::new(5, 0),
            Decimal::new(-5, 1),
            Decimal::new(7, 2),
            Decimal::new(-7, 2),
            Decimal::new(101760, 2),
            Decimal::new(-101760, 2),
            Decimal::new(99, 1),
            Decimal::new(123456789012345678, 2),
            Decimal::new(1005, 3),
            Decimal::new(-1015, 3),
            Decimal::new(150865432, 6),
        ];
        for d in cases {
            assert_eq!(Money(d).to_string(), old(d), "{d}");
        }
        assert_eq!(Money(Decimal::new(-7, 2)).to_string(), "-0.07");
        assert_eq!(Money(Decimal::new(5, 0)).to_string(), "5.00");
    }

    use super::*;

    #[test]
    fn an_amount_too_large_says_so() {
        let e = parse_cents("9999999999999999.99").unwrap_err();
        assert!(e.contains("larger than any amount accepted"), "{e}");
        assert_eq!(
            parse_cents("999999999999999.99"),
            Ok(99_999_999_999_999_999)
        );
        // what the program writes may be one digit longer (a control sum); never beyond i64
        assert_eq!(
            parse_cents_upto("9999999999999999.99", 16),
            Ok(999_999_999_999_999_999)
        );
        assert!(parse_cents_upto("99999999999999999.99", 17).is_err());
    }

    #[test]
    fn parses_exact_amounts() {
        assert_eq!(parse_cents("1234.50").unwrap(), 123450);
        assert_eq!(parse_cents("7").unwrap(), 700);
        assert_eq!(parse_cents("0.5").unwrap(), 50);
        assert_eq!(parse_cents("-12.30").unwrap(), -1230);
        assert_eq!(Money::parse("1017.6").unwrap().to_string(), "1017.60");
        assert_eq!(Money::parse("1017.60").unwrap().cents(), 101760);
    }

    #[test]
    fn refuses_floats_and_noise() {
        for s in [
            "1.2E3", "1e3", "12.345", "+5", "1,000", " 5", "", ".5", "5.", "NaN", "--1",
        ] {
            assert!(parse_cents(s).is_err(), "{s} accepted");
        }
    }

    #[test]
    fn rounds_half_away_from_zero() {
        use std::str::FromStr;
        assert_eq!(
            Money::round(Decimal::from_str("2.345").unwrap()).to_string(),
            "2.35"
        );
        assert_eq!(
            Money::round(Decimal::from_str("2.344").unwrap()).to_string(),
            "2.34"
        );
        assert_eq!(
            Money::round(Decimal::from_str("-2.345").unwrap()).to_string(),
            "-2.35"
        );
    }
}
