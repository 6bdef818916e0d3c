//! The driver shared by the internship programmes fed by `internships.csv`:
//! `internship_base` (host, per intern-month), `internship_mentor` (host, per intern-month with a
//! named mentor) and `internship_retention` (host, once per retained intern).
//!
//! Reading (docs/POLICY.md “Internships”):
//! - a placement runs from `start_date` to `left_on`, else `planned_end`;
//! - a calendar month is an intern-month when the placement covers half of it, at most
//!   `internship.part_month_min_days` of its days (14 of a 28-day February), no more of them
//!   than the placement lasts
//!   months (`months_long`); months up to the payout month count, at most
//!   `internship.max_months` per placement (“见习期限……最长不超过1年”);
//! - eligibility of the intern is judged at the placement start (ages from the resident ID);
//! - a month is held, not paid, when the host pays less than the minimum wage in force that
//!   month, when the intern is in another placement at the same time, when the intern is
//!   insured as an employee of another employer that month without a labour contract with it
//!   that month, or in a labour contract (with anyone, the host included) on a day of it.
//!
//! Files: `eligibility` (who is an intern, at the placement's start), `months` (the base and
//! mentor programmes' intern-months and the months no longer due), `placement` (one
//! placement's steps: holds, price, lines), `retention` (the annual
//! award), `dropped` (placements a later roster no longer lists); this file runs them and holds
//! what they share (a placement's end and chain, month ids, the ledger's look-ups).

mod dropped;
mod eligibility;
mod months;
mod placement;
mod retention;

use super::{Ctx, Outcome, Party, Payee, Payment};
use crate::domain::{add_years, age_on, Date, Money, Month};
use crate::exceptions::{Code, Exception};
use crate::ingest::records::{Education, InternshipRow, Outcome as PlacementOutcome};
use crate::ledger::Seen;
use crate::pipeline::{ParamError, ParamRef};
use dropped::*;
use eligibility::*;
use months::*;
pub(super) use months::{covers_month, not_due_since, still_not_due, takes_month};
use placement::{Before, Placement, PricedMonth};
use rayon::prelude::*;
use retention::*;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap, FxHashSet};

pub const BASE: &str = "internship_base";
pub const MENTOR: &str = "internship_mentor";
pub const RETENTION: &str = "internship_retention";

pub const BASE_PARAMS: &[&[&str]] = &[
    &[
        "internship_base.share",
        "internship.max_months",
        "internship.part_month_min_days",
        "min_wage",
    ],
    // (the day the document takes effect: the share is bounded by it, `base_share`)
    &[super::DOCUMENT],
];
/// The day from which a pipeline prices placements before its document under an earlier
/// standard the document cites (its value is not read; Jiangyin 2017-07-01): `base_share`.
pub const EARLIER_STANDARD: &str = "internship_base.earlier_standard_from";
/// Share of the minimum wage the host's stipend must reach (Suzhou （九）; the contract's for the
/// other cities, issue 4 — every shipped pipeline declares it); absent, no stipend check.
const STIPEND_FLOOR: &str = "internship.stipend_floor";
pub const MENTOR_PARAMS: &[&[&str]] = &[&["internship_mentor.amount"]];
pub const RETENTION_PARAMS: &[&[&str]] = &[&[
    "internship_retention.amount",
    "internship_retention.min_rate",
    "internship_retention.min_contract_years",
    "internship_retention.min_si_months",
]];

#[derive(Debug)]
pub struct Error(pub &'static str, pub ParamError);

/// Last day of a placement: `left_on` (INPUTS.md “actual end”), also after the planned end —
/// the months the intern was actually in placement, within the month limits (until 2026-12-03
/// capped at `planned_end`, the later months dropped without a word: a cold review); else
/// `planned_end`.
pub fn placement_end(p: &InternshipRow) -> Date {
    p.left_on.unwrap_or(p.planned_end).max(p.start_date)
}

/// The codes `p`'s host had for its intern in earlier runs: its code in the registers, and each
/// code under which an earlier roster listed `p` or a placement of its chain (the same placement
/// id of the same intern) that is gone from the registers: one host, its credit code corrected
/// between runs — a regression review found a renewal's chain broken there, 18 intern-months
/// paid for 12. A code still in the registers is another employer's: the roster corrected the
/// placement's host, not the host's code (a regression review found a renewal at another host
/// chained to the first so).
fn host_codes(ctx: &Ctx, pid: &str, p: &InternshipRow, chain: &[usize]) -> Vec<String> {
    let all = &ctx.inputs.internships;
    let reg = &ctx.inputs.registers;
    let mut codes = vec![reg.employer(p.host).id.to_string()];
    for q in std::iter::once(p).chain(chain.iter().map(|&j| &all[j])) {
        let key = (format!("{BASE}/{}", q.placement_id), pid.to_string());
        for h in ctx
            .history
            .intern_placement_hosts
            .get(&key)
            .into_iter()
            .flatten()
        {
            if !codes.contains(h) && reg.employer_by_id(h).is_none() {
                codes.push(h.clone());
            }
        }
    }
    codes
}

/// The placements of the same person at the same host that placement `i` runs back to back
/// with — each ending the day before the next starts —, before and after it: one internship the
/// roster registers in several rows (renewed every six months), whose “见习期限……最长不超过1年”
/// they share (a cold review found four back-to-back six-month rows at one host paid 24
/// intern-months; a regression review, a month of the first row held and released after the
/// later rows were paid taken as a 13th: the months earlier runs paid under the later rows
/// count too). A placement after a gap, at another host, or overlapping another (held, the
/// overlap's own rule) is one of its own.
fn chain_of(ctx: &Ctx, by_person: &FxHashMap<u32, Vec<usize>>, i: usize) -> Vec<usize> {
    let all = &ctx.inputs.internships;
    let p = &all[i];
    let same: Vec<usize> = by_person
        .get(&p.person)
        .into_iter()
        .flatten()
        .copied()
        .filter(|&j| j != i && all[j].host == p.host)
        .collect();
    let mut chain: Vec<usize> = Vec::new();
    // (the first in file order where two rows end, or start, on the same day: a duplicate,
    // whose months the overlap holds)
    let mut first = p;
    while let Some(j) = same
        .iter()
        .copied()
        .find(|&j| !chain.contains(&j) && renews(&all[j], first))
    {
        chain.push(j);
        first = &all[j];
    }
    let mut last = p;
    while let Some(j) = same
        .iter()
        .copied()
        .find(|&j| !chain.contains(&j) && renews(last, &all[j]))
    {
        chain.push(j);
        last = &all[j];
    }
    chain
}

/// The first day of the internship placement `p` belongs to: its own start, or that of the
/// first of the rows it renews back to back at the host (`renews`), read once for all rows.
pub fn chain_start(ctx: &Ctx, p: &InternshipRow) -> Date {
    let starts = ctx.internship_chains.get_or_init(|| {
        let mut rows: Vec<&InternshipRow> = ctx.inputs.internships.iter().collect();
        rows.sort_by_key(|q| (q.person, q.host, q.start_date, placement_end(q)));
        let mut out = FxHashMap::default();
        for run in rows.chunk_by(|a, b| (a.person, a.host) == (b.person, b.host)) {
            // (each row's chain start: a row renewing any earlier row of the pair takes that
            // row's chain start — rows sorted by start, so it is known)
            let mut seen: Vec<(&InternshipRow, Date)> = Vec::new();
            for &q in run {
                let first = seen
                    .iter()
                    .find(|(e, _)| renews(e, q))
                    .map_or(q.start_date, |&(_, s)| s);
                out.entry((q.person, q.host, q.start_date))
                    .and_modify(|s: &mut Date| *s = (*s).min(first))
                    .or_insert(first);
                seen.push((q, first));
            }
        }
        out
    });
    starts
        .get(&(p.person, p.host, p.start_date))
        .copied()
        .unwrap_or(p.start_date)
}

/// Whether placement `later` renews `earlier` (`chain_of`): the same person at the same host,
/// `later` starting the day after `earlier` ends.
pub fn renews(earlier: &InternshipRow, later: &InternshipRow) -> bool {
    earlier.person == later.person
        && earlier.host == later.host
        && placement_end(earlier).succ_opt() == Some(later.start_date)
}

/// How many months the placement `[from, to]` lasts: its whole months (from `from` to the same
/// day of a later month) and one more for a remainder of at least `min_days` days. A calendar
/// month counts when the placement covers `min_days` of its days, so a placement starting and
/// ending mid-month can touch one calendar month more than it lasts (2018-03-16..2018-09-15:
/// six months, seven calendar months of 15+ days): its intern-months are its first this many.
pub fn months_long(from: Date, to: Date, min_days: i64) -> u32 {
    let after = to.succ_opt().unwrap_or(to);
    let mut n = 0u32;
    while from
        .checked_add_months(chrono::Months::new(n + 1))
        .is_some_and(|d| d <= after)
    {
        n += 1;
    }
    let whole = from
        .checked_add_months(chrono::Months::new(n))
        .unwrap_or(after);
    // (the remainder by `counts`' measure: half of the month it starts in, at most `min_days`
    // — 14 days from a common-year February's first are half of it: a regression review found
    // 2019-01-01..02-14 one month, February's half counted by the calendar and not here)
    n + u32::from(counts(
        Month::of(whole),
        (after - whole).num_days(),
        min_days,
    ))
}

/// Days of `[from, to]` inside month `m`.
fn days_in(m: Month, from: Date, to: Date) -> i64 {
    let a = from.max(m.first_day());
    let b = to.min(m.last_day());
    if b < a {
        0
    } else {
        (b - a).num_days() + 1
    }
}

/// Id of a person's intern-month line `seq` (0 = first, 1.. = after a failed return).
pub(super) fn month_id(ctx: &Ctx, code: &str, person: u32, month: Month, seq: u32) -> String {
    let who = ctx.inputs.registers.person(person).id.to_string();
    month_id_of(ctx, code, &who, month, seq)
}

/// `month_id` of an intern known by resident ID (`who`), in the registers or not.
fn month_id_of(ctx: &Ctx, code: &str, who: &str, month: Month, seq: u32) -> String {
    let m = if seq == 0 {
        month.to_string()
    } else {
        format!("{month}+{seq}")
    };
    crate::outputs::payments::payment_id(&ctx.pipeline.name, code, "", who, &m)
}

/// Employer-insured months of interns: the employers whose SI rows name the person in a month.
type Declared = FxHashMap<(u32, Month), Vec<u32>>;

/// Whether a line with month key `key` is due in this run: `None` when not wanted or already
/// paid; `Some((seq, retry reason))` when new, or payable again after a failed bank return.
fn due(ctx: &Ctx, key: &str, wanted: bool) -> Option<(u32, Option<String>)> {
    if !wanted {
        return None;
    }
    super::due(ctx.history, key)
}

/// The months of one person already paid by an earlier placement (by start date, then file
/// order) in this run,
/// with the placement's index: when two placements of the same person both count a month (one
/// ends and the next begins in it), the first keeps it, and the second neither pays it nor
/// counts it against its own limit.
#[derive(Default)]
struct Taken {
    base: FxHashMap<Month, usize>,
    mentor: FxHashMap<Month, usize>,
    /// the intern-months of a placement earlier in the order that an earlier run paid: a later
    /// placement touching such a month does not count it among the months it lasts either
    paid_before: FxHashMap<Month, usize>,
}

pub fn run(ctx: &Ctx, base: bool, mentor: bool, retention: bool) -> Result<Outcome, Error> {
    let mut out = Outcome::default();
    let placements = &ctx.inputs.internships;
    // placements per person, for overlaps
    let mut by_person: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, p) in placements.iter().enumerate() {
        by_person.entry(p.person).or_default().push(i);
    }
    // employer-insured months of interns, per employer: `insured` paid by the end of the
    // payout month (what retention counts), `declared` whatever the payment — an employer's
    // row unpaid or paid later still insures the intern as its employee that month (until
    // 2026-12-03 such a month was paid without a word, and held by a run after the payment:
    // a cold review)
    let interns: FxHashSet<u32> = placements.iter().map(|p| p.person).collect();
    let last = ctx.payout.last_day();
    let mut insured: FxHashMap<(u32, Month), Vec<u32>> = FxHashMap::default();
    let mut declared: FxHashMap<(u32, Month), Vec<u32>> = FxHashMap::default();
    for c in &ctx.inputs.contributions {
        let Some(e) = c.employer.filter(|_| interns.contains(&c.person)) else {
            continue;
        };
        let add = |m: &mut FxHashMap<(u32, Month), Vec<u32>>| {
            let v = m.entry((c.person, c.period)).or_default();
            if !v.contains(&e) {
                v.push(e);
            }
        };
        add(&mut declared);
        if c.paid_on.is_some_and(|paid| paid <= last) {
            add(&mut insured);
        }
    }
    let listed = listed_now(ctx);
    if base || mentor {
        // one person at a time (in the order of their first row), the person's placements by
        // start date (then file order): a month two of them count goes to the first
        let mut people: Vec<Vec<usize>> = by_person.values().cloned().collect();
        people.sort_unstable_by_key(|v| v[0]);
        for v in &mut people {
            v.sort_by_key(|&i| (placements[i].start_date, i));
        }
        let results: Vec<Result<Outcome, Error>> = people
            .par_iter()
            .map(|idx| {
                let mut taken = Taken::default();
                let mut o = Outcome::default();
                for &i in idx.iter() {
                    let p = &placements[i];
                    if ctx.in_region(p.host) {
                        // other districts' hosts are theirs to pay
                        let r = placement_months(
                            ctx, i, p, &by_person, &declared, &listed, base, mentor, &mut taken,
                        )?;
                        o.extend(r);
                    }
                }
                Ok(o)
            })
            .collect();
        for r in results {
            out.extend(r?);
        }
        out.intern_placements = listed_placements(ctx);
    }
    if retention {
        let hosts = hosts_of(ctx);
        out.extend(retention_awards(ctx, &insured, &hosts).map_err(|e| Error(RETENTION, e))?);
        out.intern_si_seen = host_insured(ctx, &insured, &hosts);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::months_long;
    use crate::domain::Date;

    fn d(s: &str) -> Date {
        Date::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// （九）“每人每月”: a placement has as many intern-months as it lasts months (whole months,
    /// and a remainder of 15+ days as one more).
    #[test]
    fn a_placement_lasts_its_whole_months_and_a_half_month_remainder() {
        // 03-16..09-15: six whole months (03-16..04-15, …, 08-16..09-15), no remainder
        assert_eq!(months_long(d("2018-03-16"), d("2018-09-15"), 15), 6);
        // 08-17..10-16: two
        assert_eq!(months_long(d("2018-08-17"), d("2018-10-16"), 15), 2);
        // 03-16..09-30: six + 09-16..09-30 (15 days) → 7; to 09-29 (14 days) → 6
        assert_eq!(months_long(d("2018-03-16"), d("2018-09-30"), 15), 7);
        assert_eq!(months_long(d("2018-03-16"), d("2018-09-29"), 15), 6);
        // a year from the 1st: 12; thirteen months: 13 (the limit of 12 is applied apart)
        assert_eq!(months_long(d("2018-03-01"), d("2019-02-28"), 15), 12);
        assert_eq!(months_long(d("2018-03-01"), d("2019-03-31"), 15), 13);
        // 10-17..01-15: two whole months to 12-16, then 12-17..01-15 = 30 days → 3
        assert_eq!(months_long(d("2018-10-17"), d("2019-01-15"), 15), 3);
        // 14 days: none; 15 days: one
        assert_eq!(months_long(d("2018-03-01"), d("2018-03-14"), 15), 0);
        assert_eq!(months_long(d("2018-03-01"), d("2018-03-15"), 15), 1);
        // a remainder of 14 days in a 28-day February is half of it: one more (2020's February
        // has 29 days: 14 are under half)
        assert_eq!(months_long(d("2019-01-01"), d("2019-02-14"), 15), 2);
        assert_eq!(months_long(d("2019-02-15"), d("2019-02-28"), 15), 1);
        assert_eq!(months_long(d("2018-12-15"), d("2019-02-28"), 15), 3);
        assert_eq!(months_long(d("2020-01-01"), d("2020-02-14"), 15), 1);
    }
}
