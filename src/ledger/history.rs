//! What other runs have paid, as the programmes need it: per subsidised month (its `month
//! key`, the payment id of the month's first line) the SI cents already subsidised per
//! insurance, and per programme and person the months used so far.

use crate::domain::Month;
use rustc_hash::FxHashMap;

/// One recorded line, as read from the store (borrowed from the statement's row: only what
/// the history keeps is copied).
pub(super) struct Row<'a> {
    pub month_key: &'a str,
    pub limit_group: &'a str,
    pub service_month: &'a str,
    pub beneficiary: &'a str,
    pub basis: &'a str,
    pub status: &'a str,
    pub reason: &'a str,
}

/// A month key as the payment ids are written (`DSB` and 24 hexadecimal digits), held as
/// its 96-bit number: a ledger of millions of lines is read without a string per line.
fn compact(key: &str) -> Option<u128> {
    let hex = key.strip_prefix("DSB")?;
    if hex.len() != 24 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(hex, 16).ok()
}

/// A subsidised month as recorded.
#[derive(Clone, Debug, Default)]
pub struct MonthEntry {
    /// SI cents per insurance already subsidised by lines that were not returned as failed
    pub basis: [i64; 5],
    /// lines recorded for the month (including failed ones): the next top-up's sequence
    pub lines: u32,
    /// any line that the bank has not failed
    pub paid: bool,
    /// reason of the latest failed return, when every line failed
    pub failed: Option<String>,
}

/// Months used of a programme by a person.
#[derive(Clone, Copy, Debug)]
pub struct Usage {
    pub months: u32,
    pub first: Month,
}

/// What the ledger says of a month about to be paid.
#[derive(Clone, Debug)]
pub enum Seen<'a> {
    /// never paid
    New,
    /// paid before; compare the basis
    Paid(&'a MonthEntry),
    /// paid before and returned as failed by the bank: payable again
    Failed(&'a MonthEntry),
}

#[derive(Default)]
pub struct History {
    months: FxHashMap<u128, MonthEntry>,
    /// month keys not of the payment-id form (none are written so; kept for safety)
    other_months: FxHashMap<String, MonthEntry>,
    /// loan instalments (and compensations) paid by one line that the bank has not failed:
    /// the bulk of a ledger with a loan book, held as bare keys (16 bytes, not a month entry)
    paid_loans: rustc_hash::FxHashSet<u128>,
    usage: FxHashMap<(String, String), Usage>,
    rows: Vec<(String, String, String)>, // (limit group, beneficiary, service month) of paid months
    /// (limit group, beneficiary, year of the service month) of every paid month
    years: rustc_hash::FxHashSet<(String, String, i32)>,
}

/// A month paid by `lines` lines without a basis, none of them failed.
const fn paid_entry(lines: u32) -> MonthEntry {
    MonthEntry {
        basis: [0; 5],
        lines,
        paid: true,
        failed: None,
    }
}

/// `basis` column: five comma-separated cent amounts (pension, medical, unemployment, injury,
/// maternity).
pub fn basis_text(b: &[i64; 5]) -> String {
    b.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn parse_basis(s: &str) -> [i64; 5] {
    let mut out = [0i64; 5];
    for (slot, v) in out.iter_mut().zip(s.split(',')) {
        *slot = v.parse().unwrap_or(0);
    }
    out
}

impl History {
    pub(super) fn add(&mut self, r: Row) {
        let key = compact(r.month_key);
        if let Some(k) = key.filter(|_| r.limit_group.starts_with("loan_")) {
            // a loan line carries no SI basis and counts towards no duration: unless its key
            // has a history of its own (a failed line), a bare key says all
            if r.status != "failed" && !self.months.contains_key(&k) {
                if !self.paid_loans.insert(k) {
                    self.months.insert(k, paid_entry(2));
                    self.paid_loans.remove(&k);
                }
                return;
            }
            if self.paid_loans.remove(&k) {
                self.months.insert(k, paid_entry(1));
            }
        }
        let e = match key {
            Some(k) => self.months.entry(k).or_default(),
            None => self
                .other_months
                .entry(r.month_key.to_string())
                .or_default(),
        };
        e.lines += 1;
        if r.status == "failed" {
            if !e.paid {
                e.failed = Some(r.reason.to_string());
            }
            return;
        }
        let b = parse_basis(r.basis);
        for (x, y) in e.basis.iter_mut().zip(b) {
            *x += y;
        }
        if !e.paid {
            e.paid = true;
            e.failed = None;
            // duration limits and yearly counts are of subsidised months; a loan instalment or
            // compensation is keyed by its month key alone
            if !r.limit_group.starts_with("loan_") {
                self.rows.push((
                    r.limit_group.to_string(),
                    r.beneficiary.to_string(),
                    r.service_month.to_string(),
                ));
            }
        }
    }

    pub(super) fn finish(&mut self) {
        for (group, beneficiary, month) in std::mem::take(&mut self.rows) {
            let Ok(m) = Month::parse(&month) else {
                continue;
            };
            self.years
                .insert((group.clone(), beneficiary.clone(), m.year()));
            let u = self.usage.entry((group, beneficiary)).or_insert(Usage {
                months: 0,
                first: m,
            });
            u.months += 1;
            u.first = u.first.min(m);
        }
    }

    /// What was paid for the month whose first line has id `month_key`.
    pub fn seen(&self, month_key: &str) -> Seen<'_> {
        match compact(month_key) {
            Some(k) => self.seen_key(k),
            None => Self::seen_entry(self.other_months.get(month_key)),
        }
    }

    /// `seen` for a month key given as its number (`payments::payment_key`).
    pub fn seen_key(&self, key: u128) -> Seen<'_> {
        static PAID: MonthEntry = paid_entry(1);
        match self.months.get(&key) {
            None if self.paid_loans.contains(&key) => Seen::Paid(&PAID),
            e => Self::seen_entry(e),
        }
    }

    fn seen_entry(entry: Option<&MonthEntry>) -> Seen<'_> {
        match entry {
            None => Seen::New,
            Some(e) if e.paid => Seen::Paid(e),
            Some(e) => Seen::Failed(e),
        }
    }

    /// Months already subsidised for `beneficiary` (resident ID) under a limit group.
    pub fn usage(&self, limit_group: &str, beneficiary: &str) -> Option<Usage> {
        self.usage
            .get(&(limit_group.to_string(), beneficiary.to_string()))
            .copied()
    }

    /// Distinct `(limit group, beneficiary)` paid in `year` whose group starts with `prefix`.
    pub fn paid_in_year<'a>(
        &'a self,
        prefix: &'a str,
        year: i32,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.years
            .iter()
            .filter(move |(g, _, y)| *y == year && g.starts_with(prefix))
            .map(|(g, b, _)| (g.as_str(), b.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> usize {
        self.months.len() + self.other_months.len() + self.paid_loans.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line<'a>(key: &'a str, group: &'a str, status: &'a str, reason: &'a str) -> Row<'a> {
        Row {
            month_key: key,
            limit_group: group,
            service_month: "2018-09",
            beneficiary: "320505195801010089",
            basis: "0,0,0,0,0",
            status,
            reason,
        }
    }

    // A loan instalment's history as bare keys must answer as the full entries do: paid once,
    // failed then paid again (two lines, the retry's sequence follows them), failed only.
    #[test]
    fn loan_lines_held_as_bare_keys_answer_as_month_entries() {
        let (a, b, c) = (
            "DSB000000000000000000000001",
            "DSB000000000000000000000002",
            "DSB000000000000000000000003",
        );
        let mut h = History::default();
        h.add(line(a, "loan_interest", "sent", ""));
        h.add(line(b, "loan_interest", "failed", "account closed"));
        h.add(line(b, "loan_interest", "final", ""));
        h.add(line(c, "loan_interest", "failed", "account closed"));
        h.finish();
        assert_eq!(h.len(), 3);
        assert!(matches!(h.seen(a), Seen::Paid(e) if e.lines == 1));
        assert!(matches!(h.seen(b), Seen::Paid(e) if e.lines == 2 && e.failed.is_none()));
        assert!(
            matches!(h.seen(c), Seen::Failed(e) if e.lines == 1 && e.failed.as_deref() == Some("account closed"))
        );
        assert!(matches!(h.seen("DSB000000000000000000000004"), Seen::New));
        // a paid key seen again (two lines) keeps its count
        h.add(line(a, "loan_interest", "sent", ""));
        assert!(matches!(h.seen(a), Seen::Paid(e) if e.lines == 2));
        // loan lines count towards no duration limit
        assert!(h.usage("loan_interest", "320505195801010089").is_none());
    }
}
