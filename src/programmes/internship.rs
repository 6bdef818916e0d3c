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

use super::{Ctx, Outcome, Party, Payee, Payment};
use crate::domain::{add_years, age_on, Date, Money, Month};
use crate::exceptions::{Code, Exception};
use crate::ingest::records::{Education, InternshipRow, Outcome as PlacementOutcome};
use crate::ledger::Seen;
use crate::pipeline::{ParamError, ParamRef};
use rayon::prelude::*;
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

/// What ends the time in which a contract with a placement's host keeps its intern on: the
/// intern's next placement at another host, begun after this one ended (a contract must begin
/// before it), or one begun by then that ran on past its end (a contract must begin no later
/// than its last day).
#[derive(Clone, Copy)]
enum Next {
    Begins(Date),
    RunsOn(Date),
}

impl Next {
    /// the first day a contract with the host no longer keeps the intern on
    fn bound(self) -> Date {
        match self {
            Next::Begins(d) => d,
            Next::RunsOn(d) => d.succ_opt().unwrap_or(d),
        }
    }
}

/// The intern-months earlier runs paid to `p`'s intern under placements at `p`'s host the
/// roster no longer lists, back to back before the chain (`p` and `chain`), and the months
/// among them the chain's rows do not take again (hand-over months those placements kept).
/// A placement an earlier roster listed (`History::intern_placements`, kept since 2026-12-05)
/// chains by its days — ending the day before the chain's first day, or running past it — when
/// listed (or paid) up to the last run before the chain's first intern-month (further back: the
/// first intern-month of the placement after it), and with it the
/// placements sharing a day with it listed up to the last run before its first intern-month (one
/// renumbered); all their months count, wherever paid. A placement no kept roster listed chains by the months of its lines: paid
/// for the month before the chain's first intern-month (the first month its earliest row
/// holds `internship.part_month_min_days` of), its months but those `p` itself covers (which
/// `p`'s own months count). And so on back. The third part: the months among the hand-over
/// months that a dated placement shares a day of with `p` — `p`'s own months paid under an
/// earlier id (renumbered), with that placement's limit group.
fn dropped_rows_months<'h>(
    ctx: &'h Ctx,
    by_person: &FxHashMap<u32, Vec<usize>>,
    listed_now: &FxHashSet<&str>,
    p: &InternshipRow,
    chain: &[usize],
    pid: &str,
    codes: &[String],
) -> (u32, Vec<Month>, Vec<(Month, &'h str)>) {
    let all = &ctx.inputs.internships;
    // (the intern's months at this host; a placement's own months wherever paid — a host code
    // corrected within the placement: a regression review found its first months lost)
    let Some(all_paid) = ctx.history.intern_months.get(pid) else {
        return (0, Vec::new(), Vec::new());
    };
    // (this host under each code an earlier roster listed the chain's placements under,
    // `host_codes`)
    let paid: Vec<(&str, Month)> = all_paid
        .iter()
        .filter(|(h, _, _)| codes.contains(h))
        .map(|(_, g, m)| (g.as_str(), *m))
        .collect();
    let dated: Vec<&(String, Date, Date, Month)> = codes
        .iter()
        .filter_map(|h| {
            ctx.history
                .intern_placements
                .get(&(pid.to_string(), h.clone()))
        })
        .flatten()
        .collect();
    let days_of = |g: &str| {
        dated
            .iter()
            .find(|(x, _, _, _)| x == g)
            .map(|&&(_, s, e, _)| (s, e))
    };
    // the roster's own placements of the person at the host are counted where they are
    let listed: rustc_hash::FxHashSet<String> = by_person
        .get(&p.person)
        .into_iter()
        .flatten()
        .map(|&j| &all[j])
        .filter(|q| q.host == p.host)
        .map(|q| format!("{BASE}/{}", q.placement_id))
        .collect();
    // (from the chain's first intern-month: a start late in a month — a hand-over, or a gap
    // of most of a month — leaves that month to the row before, or to none; a regression
    // review found the hand-over month lost and a month's gap chained)
    let earliest = chain
        .iter()
        .map(|&j| &all[j])
        .chain(std::iter::once(p))
        .min_by_key(|q| q.start_date)
        .unwrap_or(p);
    let mut from = Month::of(earliest.start_date);
    let min_days = ctx
        .params
        .int_at_or_first("internship.part_month_min_days", from.first_day())
        .map_or(1, |(d, _)| d.max(1));
    if !counts(
        from,
        days_in(from, earliest.start_date, placement_end(earliest)),
        i64::from(min_days),
    ) {
        from = from.next();
    }
    // the months `p`'s own count takes (those it covers half of, up to the payout month)
    let (p_end, p_first) = (placement_end(p), Month::of(p.start_date));
    let own = |m: Month| {
        m >= p_first
            && m <= Month::of(p_end).min(ctx.payout)
            && counts(m, days_in(m, p.start_date, p_end), i64::from(min_days))
    };
    // the chain's first day so far (unknown once a placement no roster dated is taken)
    let mut start = Some(earliest.start_date);
    // the month a dropped placement must have been listed (or paid) up to the last run before:
    // the chain's first intern-month, then each chained placement's first month by its days
    // (not its first paid month: a month held there made a renewal look like a gap — a
    // regression review)
    let mut link = from;
    // a placement's first intern-month by its days (its first month, or the next when the
    // first holds fewer than the part-month days — but a short placement from the 1st within
    // one month keeps it: a regression review found such a middle row break its chain, a
    // second a short row later in the month chain a gap before it)
    let first_intern_month = |s: Date, e: Date| {
        let m = Month::of(s);
        if counts(m, days_in(m, s, e), i64::from(min_days))
            || (s == m.first_day() && e <= m.last_day())
        {
            m
        } else {
            m.next()
        }
    };
    // whether placement `g`, last listed by the run of month `listed`, was listed — or paid:
    // a ledger of a build that kept a placement's row only when new or changed — up to the
    // last run before month `f` (runs need not be monthly: a regression review found a skipped
    // month break a hand-over)
    let kept_to_before = |g: &str, listed: Month, f: Month| {
        let paid_to = all_paid
            .iter()
            .filter(|(_, x, _)| x == g)
            .map(|(_, _, m)| *m)
            .max()
            .unwrap_or(listed);
        let last_run = ctx.history.run_months.iter().rev().find(|m| **m < f);
        last_run.is_none_or(|r| listed.max(paid_to) >= *r)
    };
    let mut taken: Vec<&str> = Vec::new();
    let mut months = 0u32;
    let mut handed = Vec::new();
    let mut renamed = Vec::new();
    loop {
        // (a placement id this roster lists under another intern is that placement, its
        // intern's ID corrected: counted as such, not chained here)
        let free = |g: &str| {
            !listed.contains(g)
                && !taken.contains(&g)
                && !placement_of_group(g).is_some_and(|id| listed_now.contains(id))
        };
        let before = Month::from_index(from.index() - 1);
        // by their dates: the placements ending the day before the chain's first day, or
        // running past it by the days a roster last gave them (a placement the roster stopped
        // listing without a left_on: the intern moved on to the next row — a regression review
        // found it start a new 12), listed up to the last run before `link` (one last listed
        // runs before is a gap, its kept end stale — a second found the gap chained)
        let mut by_days: Vec<&str> = start.map_or(Vec::new(), |first| {
            dated
                .iter()
                .copied()
                .filter(|(g, s, e, listed)| {
                    free(g)
                        && *s <= first
                        && e.succ_opt() >= Some(first)
                        && kept_to_before(g, *listed, link)
                })
                .map(|(g, _, _, _)| g.as_str())
                .collect()
        });
        // (and the placements sharing a day with one of those that a roster listed up to the
        // last run before its first intern-month: the same placement renumbered, its first day
        // corrected too — a regression review; not an earlier row left stale before a gap,
        // a second one)
        let mut k = 0;
        while k < by_days.len() {
            let Some((a, b)) = days_of(by_days[k]) else {
                k += 1;
                continue;
            };
            let first = first_intern_month(a, b);
            let more: Vec<&str> = dated
                .iter()
                .copied()
                .filter(|(g, s, e, listed)| {
                    free(g)
                        && !by_days.contains(&g.as_str())
                        && *s <= b
                        && a <= *e
                        && kept_to_before(g, *listed, first)
                })
                .map(|(g, _, _, _)| g.as_str())
                .collect();
            by_days.extend(more);
            k += 1;
        }
        let dates_chain = !by_days.is_empty();
        // by months, a placement no roster dated (a ledger before 2026-12-05)
        let groups: Vec<&str> = if dates_chain {
            by_days
        } else {
            paid.iter()
                .filter(|(g, m)| *m == before && free(g) && days_of(g).is_none())
                .map(|(g, _)| *g)
                .take(1)
                .collect()
        };
        if groups.is_empty() {
            return (months, handed, renamed);
        }
        let mut first_month: Option<Month> = None;
        for &group in &groups {
            taken.push(group);
            // (its months, each once: a dated placement's wherever paid, another's here)
            let mut of_group: Vec<Month> = if dates_chain {
                all_paid
                    .iter()
                    .filter(|(_, g, _)| g == group)
                    .map(|(_, _, m)| *m)
                    .collect()
            } else {
                paid.iter()
                    .filter(|(g, _)| *g == group)
                    .map(|(_, m)| *m)
                    .collect()
            };
            of_group.sort_unstable();
            of_group.dedup();
            if dates_chain {
                // (a placement chained by its dates shares no day with the chain: each of its
                // months is its own — a hand-over month it kept too, which the chain's rows do
                // not take again)
                months += of_group.len() as u32;
                handed.extend(of_group.iter().copied().filter(|m| *m >= from));
                // (those it shares a day of with `p`: `p`'s own, paid under the old id)
                if let Some((s, e)) = days_of(group) {
                    renamed.extend(
                        of_group
                            .iter()
                            .filter(|m| {
                                s.max(p.start_date).max(m.first_day())
                                    <= e.min(p_end).min(m.last_day())
                            })
                            .map(|m| (*m, group)),
                    );
                }
            } else {
                months += of_group.iter().filter(|m| **m < from || !own(**m)).count() as u32;
            }
            first_month = of_group
                .first()
                .copied()
                .into_iter()
                .chain(first_month)
                .min();
        }
        // (the earliest of them by its days: none for a placement no roster dated)
        let earliest_days = groups
            .iter()
            .filter_map(|g| days_of(g))
            .min_by_key(|(s, _)| *s);
        start = earliest_days.map(|(s, _)| s);
        if let Some((s, e)) = earliest_days {
            link = first_intern_month(s, e);
        }
        // (the first month paid under them: an earlier placement no roster dated is found by
        // the month before it — a placement renumbered after a ledger of earlier builds paid
        // its first months under the old id)
        from = match (first_month, start) {
            (Some(m), _) => m.min(from),
            (None, Some(s)) => Month::of(s).min(from),
            (None, None) => before,
        };
    }
}

/// The roster's placements (of hosts in the region), for the ledger: a later roster that no
/// longer lists them still chains them by their days and the last month a roster listed them
/// (`dropped_rows_months`).
fn listed_placements(ctx: &Ctx) -> Vec<crate::ledger::InternPlacement> {
    let reg = &ctx.inputs.registers;
    ctx.inputs
        .internships
        .iter()
        .filter(|p| ctx.in_region(p.host))
        .map(|p| crate::ledger::InternPlacement {
            limit_group: format!("{BASE}/{}", p.placement_id),
            person_id: reg.person(p.person).id.to_string(),
            host_id: reg.employer(p.host).id.to_string(),
            start: p.start_date,
            end: placement_end(p),
        })
        .collect()
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

/// The share of the minimum wage in force on `day` (`internship_base.share`), on no day before
/// the document takes effect (`programmes::standard_under`) — or before the day from which the
/// pipeline prices placements under an earlier standard its document cites, where it declares
/// one (`EARLIER_STANDARD`: Jiangyin's “由原来……50%”, from 2017-07-01; POLICY.md). A share a
/// bureau publishes (Songyuan's, Jinan's 一定标准) dated before the document prices no month
/// before it (since 2026-12-07: a cold review found a Songyuan standard dated 2018-01-01 paying
/// February and March 2018, before the document of 04-13; a first version bounded by the
/// internship limit's date, which a bureau dating its own term moves — a review).
fn base_share(ctx: &Ctx, day: Date) -> Result<ParamRef, ParamError> {
    // (the earlier of the two declared; the document's on a tie)
    let bound = [super::DOCUMENT, EARLIER_STANDARD]
        .into_iter()
        .filter_map(|n| ctx.params.first_from(n).map(|d| (n, d)))
        .min_by_key(|&(_, d)| d);
    super::standard_from(ctx.params, "internship_base.share", day, bound)
}

/// The day whose rules price intern-month `m` of a placement running `from..=end`: the
/// month's first day, or — in the month a document takes effect (Songyuan 2018-04-13: the
/// rate not in force on the month's first day, in force from a later day of it) — the later of
/// that day and the placement's (or the intern's group's) first, when the placement's days in
/// the month from then make an intern-month themselves (`counts`): a placement of 04-01..06-30
/// has 18 days of April under the document and is paid April, as one from 04-16 (15 days) is;
/// one ending 04-20 (8 days under it) is not (since 2026-12-04; until then only placements
/// starting on or after the day were paid the month — a cold review found 18 days under the
/// document unpaid where 15 were paid; before 2026-12-02 none was). Where the rate was in
/// force on the month's first day, a value a pipeline changes during a month (a minimum wage
/// from the 15th) prices the whole month for every placement by the value of its first day —
/// until 2026-12-03 a placement of the 15th was priced, and held below the stipend floor, by
/// the new minimum wage and one of August by the old, in one month at one host (a review).
fn pricing_day(ctx: &Ctx, m: Month, (from, end): (Date, Date), min_days: i64) -> Date {
    let first = m.first_day();
    match base_share(ctx, first) {
        Err(ParamError::NotInForce { first: rules, .. })
            if rules > first && rules <= m.last_day() =>
        {
            let day = from.max(rules);
            if counts(m, days_in(m, day, end), min_days) {
                day
            } else {
                first
            }
        }
        _ => first,
    }
}

/// Whether `days` of month `m` in a placement make it an intern-month: half the month, at most
/// `min_days` (`internship.part_month_min_days`, 15) — half of a 28-day February is 14 (a
/// review found 2019-02-15..2020-02-14, a year, paid eleven months: both its Februaries hold
/// 14 days; a 15-day threshold for every month made a February from the 15th count for
/// nothing).
fn counts(m: Month, days: i64, min_days: i64) -> bool {
    let len = (m.last_day() - m.first_day()).num_days() + 1;
    days >= min_days.min((len + 1) / 2)
}

/// The intern-months an earlier run paid under a placement of this roster (its limit group
/// `internship_base/<placement_id>`) that its dates now no longer make intern-months
/// (`not_due_why`: a `left_on` or a shorter `planned_end` entered since), or whose stipend the
/// roster now gives below the month's floor: `INTERN_MONTH_NOT_DUE`
/// (hold) for the month's line and its mentor line, the amount the ledger's line paid, to
/// recover from the host. Said once a month (`NOT_DUE`), and not beside `INTERN_MONTH_EMPLOYED`
/// of the month, said earlier or in this run — this pass runs after the passes that say it and
/// reads their marks in `out` (a regression review found one line asked back twice, 2,828.00
/// for 1,414.00); they in turn keep quiet while a not-due row stands (`still_not_due`). (Until
/// 2026-12-06 nothing but `INTERN_NO_MONTH` was said, the line to recover unnamed: a review of
/// a month paid in its own payout run to an intern who left on the 10th.) Months paid under a
/// placement id the roster no longer lists (renamed, dropped) are not looked at: known gap,
/// docs/POLICY.md.
pub(super) fn not_due_since(ctx: &Ctx, out: &mut Outcome) {
    let reg = &ctx.inputs.registers;
    let said: FxHashSet<(String, String)> = out
        .first_applications
        .iter()
        .map(|a| (a.limit_group.clone(), a.beneficiary_id.clone()))
        .collect();
    let mut rows = Vec::new();
    let mut marks = Vec::new();
    let mut by_person: FxHashMap<u32, Vec<&InternshipRow>> = FxHashMap::default();
    for p in &ctx.inputs.internships {
        by_person.entry(p.person).or_default().push(p);
    }
    for p in &ctx.inputs.internships {
        let pid = reg.person(p.person).id.to_string();
        let group = format!("{BASE}/{}", p.placement_id);
        let Some(usage) = ctx.history.usage(&group, &pid) else {
            continue;
        };
        let placements = by_person.get(&p.person).map_or(&[][..], |v| v.as_slice());
        let host = reg.employer(p.host);
        let mut m = usage.first;
        while m <= ctx.payout {
            let month = m;
            m = m.next();
            if !ctx.history.month_paid(&group, &pid, month) {
                continue;
            }
            // (said once; not beside INTERN_MONTH_EMPLOYED of the month, earlier or in this run)
            let (own, employed) = (not_due_group(month), super::hire::intern_employed(month));
            if [&own, &employed].into_iter().any(|g| {
                ctx.history.first_application_run(g, &pid).is_some()
                    || said.contains(&(g.clone(), pid.clone()))
            }) || marks.iter().any(|(g, w, _)| *g == own && *w == pid)
            {
                continue;
            }
            let Some(why) = not_due_why(ctx, p, placements, month) else {
                continue;
            };
            let (start, end) = (p.start_date, placement_end(p));
            for line in [BASE, MENTOR] {
                let id = month_id(ctx, line, p.person, month, 0);
                if !matches!(ctx.history.seen(&id), Seen::Paid(_)) {
                    continue;
                }
                rows.push(
                    Exception::new(
                        Code::InternMonthNotDue,
                        format!(
                            "{month}: an earlier run paid {line} for this month to the host {} under placement {}, whose dates this roster gives as {start}..{end}: {why}",
                            host.id, p.placement_id
                        ),
                    )
                    .at("internships.csv", p.line)
                    .programme(line)
                    .person(reg.person(p.person).id)
                    .employer(host.id)
                    .recover(vec![id], format!("the host {}", host.id)),
                );
            }
            marks.push((own, pid.clone(), month));
        }
    }
    out.exceptions.extend(rows);
    for (marker, pid, month) in marks {
        out.said_once(marker, pid, month, ctx.payout.last_day());
    }
}

/// The ledger's memory that a paid intern-month was said not due (`first_applications`, this
/// group and the month, e.g. `intern_not_due/2018-10`).
const NOT_DUE: &str = "intern_not_due";

/// `NOT_DUE`'s group for month `m`.
fn not_due_group(m: Month) -> String {
    format!("{NOT_DUE}/{m}")
}

/// Why `month` is no intern-month of placement `p` under this roster's dates (or, a paid
/// month, why its stipend condition is not met under this roster's stipend), if it is not
/// (`None`: it still is one, or another placement of the intern now takes the month — a
/// hand-over month stays the first placement's, paid once). Under half its days, or outside the
/// placement, whatever its eligibility now; or — an eligible placement, the intern's only one —
/// beyond the months it now lasts: its intern-months are its first `months_long` counting
/// months (a placement 08-17..10-21 lasts two months, August and September; October, over half
/// inside it, is none — a metamorphic review found it paid and kept). Beside another eligible
/// placement of the intern a hand-over moves them, and only the half-month test is made (an
/// ineligible one moves nothing: a regression review).
/// `placements`: the intern's placements in the roster.
fn not_due_why(
    ctx: &Ctx,
    p: &InternshipRow,
    placements: &[&InternshipRow],
    month: Month,
) -> Option<String> {
    let (start, end) = (p.start_date, placement_end(p));
    let (min_days, _) = ctx
        .params
        .int_at_or_first("internship.part_month_min_days", start)
        .ok()?;
    let others: Vec<&InternshipRow> = placements
        .iter()
        .copied()
        .filter(|q| q.placement_id != p.placement_id)
        .collect();
    if others.iter().any(|q| takes_month(ctx, q, month)) {
        return None;
    }
    // (whatever the placement's eligibility now: a youth placement whose new dates end before
    // the youth group's first day is not eligible at all, and its paid month none the less not
    // due — a metamorphic review found it kept without a word)
    let days = days_in(month, start, end);
    if !counts(month, days, i64::from(min_days)) {
        return Some(format!(
            "{days} day(s) of {month}, under half of it ({min_days} days of a longer month) — no intern-month"
        ));
    }
    let beyond = (is_eligible(ctx, p) && !others.iter().any(|q| is_eligible(ctx, q)))
        .then(|| {
            let lasts = months_long(start, end, i64::from(min_days));
            let mut firsts = Vec::new();
            let mut k = Month::of(start);
            while k <= Month::of(end) && firsts.len() < lasts as usize {
                if counts(k, days_in(k, start, end), i64::from(min_days)) {
                    firsts.push(k);
                }
                k = k.next();
            }
            (!firsts.contains(&month)).then(|| {
                format!(
                    "the placement lasts {lasts} month(s), its intern-months {}: {month} is none of them",
                    firsts
                        .iter()
                        .map(|f| f.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        })
        .flatten();
    // (or the host's stipend the roster now gives is below the floor of the month — a
    // correction since the month was paid: its condition not met, as the month's hold says
    // when it is judged anew; a grader found a stipend corrected down after three paid months
    // left without a word)
    beyond.or_else(|| {
        let declared = ctx.params.get(STIPEND_FLOOR)?;
        let day = pricing_day(ctx, month, (start, end), i64::from(min_days));
        let floor = ctx.params.at_or_first(STIPEND_FLOOR, day).ok()?;
        let wage = ctx.params.at("min_wage", day).ok()?;
        (p.monthly_stipend.decimal() < wage.value * floor.value).then(|| {
            format!(
                "the roster now gives the host's stipend as {}, below {} × the minimum wage {} in force in {month} ({}): the month's condition is not met",
                p.monthly_stipend, floor.value, wage.value, declared.clause
            )
        })
    })
}

/// Whether intern-month `month` of person `person`, paid by an earlier run, is held not due by
/// this roster (`not_due_since`'s test): `INTERN_MONTH_EMPLOYED` is not said beside a
/// not-due row that still stands — one recovery per line —, and is said once a roster
/// correction withdrew it (a regression review found the recovery silenced by the withdrawn
/// row's memory).
/// `pid`: the person's resident ID.
pub(super) fn still_not_due(ctx: &Ctx, person: u32, pid: &str, month: Month) -> bool {
    ctx.history
        .first_application_run(&not_due_group(month), pid)
        .is_some()
        && {
            let placements: Vec<&InternshipRow> = ctx
                .inputs
                .internships
                .iter()
                .filter(|p| p.person == person)
                .collect();
            placements.iter().any(|p| {
                ctx.history
                    .month_paid(&format!("{BASE}/{}", p.placement_id), pid, month)
                    && not_due_why(ctx, p, &placements, month).is_some()
            })
        }
}

/// The ledger's memory that a run's extract showed an intern insured as an employee of an
/// employer other than the host, without a labour contract with it, in a month
/// (`first_applications`, this group and the month, e.g. `intern_insured_elsewhere/2018-10`):
/// the month stays held (`INTERN_HOLD`) when a windowed extract no longer holds the rows.
const INSURED_ELSEWHERE: &str = "intern_insured_elsewhere";

/// `INSURED_ELSEWHERE`'s group for month `m`.
fn insured_elsewhere_group(m: Month) -> String {
    format!("{INSURED_ELSEWHERE}/{m}")
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

/// Whether the intern belongs to a target group at the placement start (苏府〔2017〕158号 （九）:
/// 离校未就业高校毕业生, 本市户籍16-25岁登记失业青年, 离校未就业技工院校高级工以上毕业生; 澄政发〔2019〕18号
/// （十） adds local unemployed aged 16–24 from 2019-01-01). The youth group exists only while
/// `internship.youth_max_age` is in force: a youth whose placement began before the group's
/// first date and runs past it is an intern from that date — `Some(date)` in the answer: the
/// months before it are not subsidised (“从2019年1月1日起，将就业见习补贴范围……扩展至……失业青年”
/// widens whom the subsidy pays from that day; a cold review found a youth placed in December
/// 2018 paid nothing for 2019).
type Eligibility = (String, Vec<ParamRef>, Option<Date>);

fn eligible(ctx: &Ctx, p: &InternshipRow) -> Result<Result<Eligibility, String>, ParamError> {
    eligible_from(ctx, p, false)
}

/// `eligible`, and with `any_date` a youth whose placement ends before the group's first date
/// is eligible from it too (`Some(date)` after the placement: none of its months is paid) —
/// whether an earlier placement of the person, unpaid for the date alone, keeps a hand-over
/// month before it (the month loop's `earlier_has_it`).
fn eligible_from(
    ctx: &Ctx,
    p: &InternshipRow,
    any_date: bool,
) -> Result<Result<Eligibility, String>, ParamError> {
    // a row renewing an earlier one back to back at the host is the same internship: eligible
    // as judged at the internship's first day (how a roster splits one internship must not
    // refuse who the one row pays — a grader: a renewal row refused for a job during the first
    // row, or a youth's 26th birthday) or at its own (it must not refuse a renewal the first
    // row's facts could not pay either — a code review: a student's row renewed after
    // graduation, a youth registered during the first row); refused, the reason as of its own
    // first day
    let first = chain_start(ctx, p);
    if first != p.start_date {
        if let ok @ Ok(_) = eligible_at(ctx, p, any_date, first)? {
            return Ok(ok);
        }
    }
    eligible_at(ctx, p, any_date, p.start_date)
}

/// `eligible_from` judged on day `start` (the placement's own first day, or its internship's).
fn eligible_at(
    ctx: &Ctx,
    p: &InternshipRow,
    any_date: bool,
    start: Date,
) -> Result<Result<Eligibility, String>, ParamError> {
    let reg = &ctx.inputs.registers;
    let person = reg.person(p.person);
    // (employed on the row's own first day is still employed: a row at the host from the day
    // it takes the intern on as its employee is no internship — a regression test)
    let own = p.start_date;
    let employed = reg
        .employment_of(p.person)
        .any(|e| e.in_force_between(start, start) || e.in_force_between(own, own));
    // 离校未就业: not employed since leaving school — a labour contract covering a day after the
    // graduation day and before the start ended it (the person is then 失业, one of the
    // unemployed youth if registered and young enough, not a graduate still looking for a first
    // job; since 2026-12-07 — a grader found a graduate placed after three years' work paid)
    let worked_since = |g: Date| {
        g.succ_opt().and_then(|after| {
            reg.employment_of(p.person)
                .filter(|e| e.in_force_between(after, start))
                .min_by_key(|e| (e.contract_start, e.line))
        })
    };
    if let Some(g) = person.graduation_date.filter(|g| *g <= start) {
        if !employed && worked_since(g).is_none() {
            match person.education {
                Education::University => {
                    return Ok(Ok((
                        format!("university graduate of {g}, not employed at the start {start}"),
                        vec![],
                        None,
                    )))
                }
                Education::Technician if flag(ctx, "internship.technician_graduates", start) => {
                    // (the flag that admits the group is listed on the line: a cold audit)
                    let admits = ctx
                        .params
                        .at_or_first("internship.technician_graduates", start)?;
                    return Ok(Ok((
                        format!(
                            "technician-school graduate of {g}, not employed at the start {start}"
                        ),
                        vec![admits],
                        None,
                    )));
                }
                Education::Technician | Education::Other => {}
            }
        }
    }
    // the registration counts only when no labour contract covers the start (INPUTS.md: the
    // registration “in force before the person's current job”)
    // a student (graduation after the start) is in school, not unemployed (失业): neither a
    // 离校未就业 graduate nor an unemployed youth
    let in_school = person.graduation_date.filter(|g| *g > start);
    let registered = !employed
        && in_school.is_none()
        && (person.registered_unemployed_on.is_some_and(|d| d <= start)
            || !flag(ctx, "internship.youth_registered", start));
    let local = if registered {
        ctx.local_standing(p.person, start)?
    } else {
        None
    };
    // the youth group in force at the start, or from its first date within the placement
    let youth_on = match ctx.params.first_from("internship.youth_max_age") {
        Some(d) if d > start && (any_date || d <= placement_end(p)) => d,
        _ => start,
    };
    if let Some(local) = local {
        match (
            ctx.params.at("internship.youth_min_age", youth_on),
            ctx.params.at("internship.youth_max_age", youth_on),
        ) {
            (Ok(lo), Ok(hi)) => {
                let age = age_on(person.id.birth_date(), start);
                let (l, h) = (
                    crate::pipeline::params::whole(&lo)?,
                    crate::pipeline::params::whole(&hi)?,
                );
                // (Jiangyin's youth need no registration: “unemployed”, not “registered”)
                let group = if flag(ctx, "internship.youth_registered", start) {
                    "local registered unemployed"
                } else {
                    "local unemployed"
                };
                if (l..=h).contains(&age) {
                    let how = if person.hukou_local {
                        String::new()
                    } else {
                        format!(" ({})", local.why)
                    };
                    let mut used = vec![lo, hi];
                    // (whether the group needs a registration: Jiangyin's “失业青年” does not)
                    if let Ok(r) = ctx.params.at_or_first("internship.youth_registered", start) {
                        used.push(r);
                    }
                    used.extend(local.params);
                    let from = (youth_on > start).then_some(youth_on);
                    let since = from
                        .map(|d| format!("; the group is subsidised from {d}"))
                        .unwrap_or_default();
                    return Ok(Ok((
                        format!(
                            "{group} aged {age} (within {l}–{h}) at the start {start}{how}{since}"
                        ),
                        used,
                        from,
                    )));
                }
                return Ok(Err(format!(
                    "{group} aged {age} at the start {start}, outside {l}–{h}"
                )));
            }
            // no youth group in this text (not declared) or not on that date
            (Err(ParamError::NotInForce { .. } | ParamError::Missing(_)), _)
            | (_, Err(ParamError::NotInForce { .. } | ParamError::Missing(_))) => {}
            (Err(e), _) | (_, Err(e)) => return Err(e),
        }
    }
    // not eligible: say which condition of each group failed (the analyst checks that one)
    let contract = reg
        .employment_of(p.person)
        .find(|e| e.in_force_between(start, start) || e.in_force_between(own, own))
        .map(|e| {
            format!(
                "a labour contract with {} covers the start (employment.csv:{})",
                reg.employer(e.employer).id,
                e.line
            )
        });
    let as_graduate = match (person.graduation_date, &contract) {
        (None, _) => "no graduation date on the person register".to_string(),
        (Some(g), _) if g > start => format!("graduates on {g}, after the start"),
        (Some(_), Some(c)) => c.clone(),
        (Some(g), None) if worked_since(g).is_some() => {
            let e = worked_since(g).map(|e| {
                format!(
                    "employed since graduating on {g} — a labour contract with {} from {} (employment.csv:{}) — so not 离校未就业",
                    reg.employer(e.employer).id,
                    e.contract_start,
                    e.line
                )
            });
            e.unwrap_or_default()
        }
        (Some(g), None) => match person.education {
            Education::Technician => format!(
                "a technician-school graduate of {g}, not a group of this pipeline on that date"
            ),
            _ => format!("graduated {g} with education other than university or technician school"),
        },
    };
    let youth_ages = match (
        ctx.params.at("internship.youth_min_age", start),
        ctx.params.at("internship.youth_max_age", start),
    ) {
        (Ok(lo), Ok(hi)) => Some((
            crate::pipeline::params::whole(&lo)?,
            crate::pipeline::params::whole(&hi)?,
        )),
        _ => None,
    };
    let age = age_on(person.id.birth_date(), start);
    // (the age first: a person of 52 was told of their labour contract, as if ending it would
    // make them a youth — an audit)
    let as_youth = if let Some((l, h)) = youth_ages.filter(|(l, h)| !(*l..=*h).contains(&age)) {
        format!("aged {age} at the start, outside {l}–{h}")
    } else if youth_ages.is_none() && ctx.params.get("internship.youth_min_age").is_none() {
        // (a text without one: “not in force on …” suggested one would come — a review)
        "the pipeline's text has no youth group".to_string()
    } else if youth_ages.is_none() {
        format!("no youth group in force on {start}")
    } else if let Some(c) = contract {
        c
    } else if let Some(g) = in_school {
        format!("in school until {g} (a student is not unemployed, 失业)")
    } else if !registered {
        format!("not registered unemployed by {start}")
    } else {
        "no local hukou (nor the standing of a local resident)".to_string()
    };
    Ok(Err(format!(
        "not an eligible intern at the start {start}: as a graduate, {as_graduate}; as a youth, {as_youth}"
    )))
}

/// A yes/no parameter (1/0; absent = no) on `on` — its first value for a date before it (as every intern condition
/// is judged: a technician-school graduate placed before the pipeline's first date is an intern
/// as a university graduate is; a cold review found the one paid, the other refused). The
/// youth group's existence is not a flag: it is the age limits in force (Jiangyin adds the
/// group from 2019-01-01, and a youth placed before is not an intern of the programme).
fn flag(ctx: &Ctx, name: &str, on: Date) -> bool {
    ctx.params
        .at_or_first(name, on)
        .is_ok_and(|r| !r.value.is_zero())
}

/// Whether placement `q` takes the person's intern-month `month` when it meets another
/// placement there (a hand-over month goes to the earlier): it covers the month's
/// `internship.part_month_min_days`, the intern was eligible at its start, and its stipend
/// reaches the floor where the pipeline sets one — a placement refused or held for these
/// takes nothing (two reviews: a held or ineligible earlier placement refused the later one's
/// mentor line, and aimed INTERN_MONTH_EMPLOYED at a host paid nothing). (Other holds — an
/// overlap, employment in the month — are not looked at here.)
pub(super) fn takes_month(ctx: &Ctx, q: &InternshipRow, month: Month) -> bool {
    covers_month(ctx, q, month) && is_eligible(ctx, q)
}

/// Whether the intern was eligible at the placement's start (a parameter error counts as no).
fn is_eligible(ctx: &Ctx, q: &InternshipRow) -> bool {
    eligible(ctx, q).is_ok_and(|e| e.is_ok())
}

/// `takes_month` but for the intern's eligibility (which a later extract's employment changes).
pub(super) fn covers_month(ctx: &Ctx, q: &InternshipRow, month: Month) -> bool {
    let day = month.first_day();
    let min_days = ctx
        .params
        .int_at_or_first("internship.part_month_min_days", day)
        .map_or(1, |(d, _)| d.max(1));
    if !counts(
        month,
        days_in(month, q.start_date, placement_end(q)),
        i64::from(min_days),
    ) {
        return false;
    }
    if ctx.params.get(STIPEND_FLOOR).is_some() {
        if let (Ok(floor), Ok(wage)) = (
            ctx.params.at_or_first(STIPEND_FLOOR, day),
            ctx.params.at("min_wage", day),
        ) {
            return q.monthly_stipend.decimal() >= wage.value * floor.value;
        }
    }
    true
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

/// The intern (resident ID) under whom an earlier run paid `month` of `code` (the intern-month,
/// or the mentor line) for placement `p`, other than `p`'s intern now — the roster's person_id
/// corrected since (placement_id is unique per placement, INPUTS.md; a cold review found the
/// corrected placement paid its 12 months afresh). Not an intern whose own placement at this
/// host in the roster takes the month (for the mentor line: and has a mentor), unless an
/// earlier run paid that placement's month under yet another intern: a renumbered or swapped
/// placement id leaves the months with that intern's own placement (`paid_under_other`), while
/// a placement of theirs at another host, or one itself corrected in a chain, is not the one
/// paid (regression reviews found months counted twice, and paid twice). A placement of theirs
/// withheld in the month (employed since) still keeps it: a renumbered placement's intern may
/// have found a job (tried and reverted the same evening — a regression review found the
/// renumbered placement's mentor lines refused). The mentor line is looked up on its own: one
/// paid under an ID whose intern-months were only counted (an ID corrected twice), or beside a
/// failed intern-month, is not paid again (a regression review found 150 a month paid twice).
fn other_intern_month<'c>(
    ctx: &'c Ctx,
    (p, pid, code): (&InternshipRow, &str, &str),
    by_person: &FxHashMap<u32, Vec<usize>>,
    month: Month,
) -> Option<&'c String> {
    let group = format!("{code}/{}", p.placement_id);
    // whether a placement `j` of intern `o` keeps `month` as its own
    let keeps = |o: &str, j: usize| {
        let q = &ctx.inputs.internships[j];
        let g = format!("{code}/{}", q.placement_id);
        q.host == p.host
            && takes_month(ctx, q, month)
            && (code != MENTOR
                || q.mentor
                    .is_some_and(|m| m != ctx.inputs.registers.person(q.person).id))
            && !ctx
                .placement_interns(&g)
                .iter()
                .any(|x| x != o && ctx.history.month_paid(&g, x, month))
    };
    ctx.placement_interns(&group).iter().find(|o| {
        **o != pid
            && ctx.inputs.registers.person_by_id(o).is_none_or(|q| {
                !by_person
                    .get(&q)
                    .is_some_and(|js| js.iter().any(|&j| keeps(o, j)))
            })
            && ctx.history.month_paid(&group, o, month)
    })
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

/// The placement id of an intern-month limit group (`internship_base/<placement id>`).
fn placement_of_group(g: &str) -> Option<&str> {
    g.strip_prefix(BASE).and_then(|x| x.strip_prefix('/'))
}

/// The placement ids this roster lists, of any intern: a placement an earlier roster listed
/// under one of them is that placement (its intern's ID corrected perhaps), not one dropped.
///
/// (An overlap with a placement at another host that a roster of current interns dropped once
/// it was over is released, as before: tried on 2026-12-05 — held by the days the ledger keeps —
/// and undone the same day, since a cumulative roster that deletes an erroneous overlapping row
/// after its end looks the same, and the hold could then never be released: a regression
/// review. The month is paid once, to the placement still listed.)
fn listed_now<'c>(ctx: &Ctx<'c>) -> FxHashSet<&'c str> {
    ctx.inputs
        .internships
        .iter()
        .map(|p| p.placement_id.as_str())
        .collect()
}

/// The months earlier runs paid intern `pid` under a placement, at any host, that this roster
/// lists under no intern, whose days (as an earlier roster gave them) share no day of the month
/// with `p`'s: hand-over months that placement kept.
fn handed_elsewhere(
    ctx: &Ctx,
    listed_now: &FxHashSet<&str>,
    p: &InternshipRow,
    pid: &str,
) -> Vec<Month> {
    let Some(paid) = ctx.history.intern_months.get(pid) else {
        return Vec::new();
    };
    let end = placement_end(p);
    let mut out: Vec<Month> = paid
        .iter()
        .filter(|(h, g, m)| {
            // (any host's: a code gone from the registers too, a host closed since — a
            // regression review found the later host's twelfth month lost —, and this host's,
            // under its code or an old one, after a gap its chain does not cross — a regression
            // review found the month lost, a day's gap after the hand-over; a chained
            // placement's hand-over months are said here again: one list)
            *m >= Month::of(p.start_date)
                && *m <= Month::of(end)
                && placement_of_group(g).is_some_and(|id| !listed_now.contains(id))
                && ctx
                    .history
                    .intern_placements
                    .get(&(pid.to_string(), h.clone()))
                    .into_iter()
                    .flatten()
                    .find(|(x, _, _, _)| x == g)
                    .is_some_and(|&(_, s, e, _)| {
                        let (a, b) = (p.start_date.max(m.first_day()), end.min(m.last_day()));
                        s.max(m.first_day()) > b || e.min(m.last_day()) < a
                    })
        })
        .map(|(_, _, m)| *m)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[allow(clippy::too_many_arguments)]
fn placement_months(
    ctx: &Ctx,
    i: usize,
    p: &InternshipRow,
    by_person: &FxHashMap<u32, Vec<usize>>,
    declared: &Declared,
    listed_now: &FxHashSet<&str>,
    base: bool,
    mentor: bool,
    taken: &mut Taken,
) -> Result<Outcome, Error> {
    let mut out = Outcome::default();
    let reg = &ctx.inputs.registers;
    let person = reg.person(p.person);
    let host = reg.employer(p.host);
    let err = |e| Error(BASE, e);
    let x = |code: Code, msg: String, prog: &'static str| {
        Exception::new(code, msg)
            .at("internships.csv", p.line)
            .programme(prog)
            .person(person.id)
            .employer(host.id)
    };
    // the roster contradicts itself (left early, no date): the months are paid as the row
    // reads them (empty left_on = still in placement), and the analyst is told
    if p.outcome == crate::ingest::records::Outcome::LeftEarly && p.left_on.is_none() {
        out.exceptions.push(x(
            Code::InternLeftWithoutDate,
            format!(
                "placement {}: outcome left_early but left_on is empty (empty = still in placement): its months are paid as in placement up to {}; ask the host for the date the intern left",
                p.placement_id,
                p.planned_end.min(ctx.payout.last_day())
            ),
            BASE,
        ));
    }
    // an intern is no mentor of their own (带教老师 teach the 见习学员): the months are paid, the
    // mentor line is not (a review found the intern paid 150 a month for mentoring themself)
    let own_mentor = p.mentor == Some(person.id);
    if own_mentor && mentor {
        out.exceptions.push(x(
            Code::MentorIsIntern,
            format!(
                "placement {}: mentor_id is the intern's own ID: no mentor line (带教补贴 is for a mentor teaching the intern); correct mentor_id to the mentor's ID",
                p.placement_id
            ),
            MENTOR,
        ));
    }
    let (why, mut elig_params, from) = match eligible(ctx, p).map_err(err)? {
        Ok(w) => w,
        Err(why) => {
            out.exceptions.push(x(
                Code::InternNotEligible,
                format!("placement {}: {why}", p.placement_id),
                BASE,
            ));
            return Ok(out);
        }
    };
    let start = p.start_date;
    let end = placement_end(p);
    // a youth placed before the group's first date is an intern from it: the placement's
    // intern-months are its own, from its start, those before that day not subsidised and not
    // counted against its 12 — as a graduate's before the rules begin (until 2026-12-05 they
    // were counted from that day, and a youth was paid one month more than the placement lasts,
    // and than a graduate with the same dates: two cold reviews); the limit in force then is
    // the one cited (a cold review found a 2019 youth's lines citing the earlier rule's value)
    let from_day = from.map_or(start, |d| start.max(d));
    let (max, max_ref) = ctx
        .params
        .int_at_or_first("internship.max_months", from_day)
        .map_err(err)?;
    let (min_days, days_ref) = ctx
        .params
        .int_at_or_first("internship.part_month_min_days", start)
        .map_err(err)?;
    elig_params.push(max_ref);
    elig_params.push(days_ref);
    let payee = Payee::Employer(p.host);
    // (lines keep the placement in their limit group: the year's limit counts the placement's
    // own intern-months, earlier runs' included — issue 4 “at most 12 per placement”, （九）
    // “见习期限……最长不超过1年” the term of a placement; until 2026-12-03 the months of all the
    // person's placements were counted together, a reading of neither: a cold review)
    let limit_group = format!("{BASE}/{}", p.placement_id);
    let pid = person.id.to_string();
    // the placements of the person at this host this one runs back to back with (one
    // internship registered in several rows: its 12 are the chain's, `chain_of`), and the
    // intern-months earlier runs paid under them
    let chain = chain_of(ctx, by_person, i);
    // (with the months they paid under another intern ID for the same placement, corrected
    // since — `other_intern_month`, as the placement itself counts them: a grader found a
    // renewal of a placement paid under a corrected ID paid twelve more months)
    let chain_earlier_runs: u32 = chain
        .iter()
        .map(|&j| {
            let q = &ctx.inputs.internships[j];
            let group = format!("{BASE}/{}", q.placement_id);
            let own = ctx.history.usage(&group, &pid).map_or(0, |u| u.months);
            let others = if ctx.placement_interns(&group).iter().any(|o| *o != pid) {
                let mut n = 0;
                let mut m = Month::of(q.start_date);
                while m <= Month::of(placement_end(q)).min(ctx.payout) {
                    if !ctx.history.month_paid(&group, &pid, m)
                        && other_intern_month(ctx, (q, &pid, BASE), by_person, m).is_some()
                    {
                        n += 1;
                    }
                    m = m.next();
                }
                n
            } else {
                0
            };
            own + others
        })
        .sum();
    // and the rows the roster no longer lists (a roster of current interns drops a finished
    // row): the intern-months earlier runs paid at this host under another placement, ending
    // the month before the chain's first, back month to month — read by months, as
    // the ledger keeps no dates (a cold review found a renewal every six months paid 18)
    // (with the months such a row dated by an earlier roster kept: a hand-over month is the
    // earlier row's, not one of this one's)
    let codes = host_codes(ctx, &pid, p, &chain);
    let (dropped, mut handed_over, renamed) =
        dropped_rows_months(ctx, by_person, listed_now, p, &chain, &pid, &codes);
    // (and the hand-over months an earlier run paid under a placement, at any host, this
    // roster no longer lists, that the ledger dates: it ends, this one begins in the month
    // without a shared day — the month is that placement's, not one of this one's intern-months,
    // as when both are listed, and so is its mentor line; a regression review found a roster of
    // current interns cost the later placement its twelfth month. `handed_over` also holds a
    // renamed placement's own months: not these)
    let kept_by_dropped = handed_elsewhere(ctx, listed_now, p, &pid);
    handed_over.extend(kept_by_dropped.iter().copied());
    // (and a chain row's own months paid under the id the roster renumbered it from: its
    // months all the same — a grader found a renewal's middle row renumbered restart the 12,
    // 18 intern-months paid)
    // (the earliest row's are `dropped`'s: a renumbered placement sharing its first day chains
    // there — counted once)
    let earliest = chain
        .iter()
        .map(|&j| &ctx.inputs.internships[j])
        .chain(std::iter::once(p))
        .min_by_key(|q| (q.start_date, q.line))
        .map(|q| q.line);
    let chain_renamed: u32 = chain
        .iter()
        .filter(|&&j| Some(ctx.inputs.internships[j].line) != earliest)
        .map(|&j| {
            let q = &ctx.inputs.internships[j];
            let group = format!("{BASE}/{}", q.placement_id);
            let (_, _, renamed_q) =
                dropped_rows_months(ctx, by_person, listed_now, q, &[], &pid, &codes);
            let mut months: Vec<Month> = renamed_q
                .iter()
                .map(|(m, _)| *m)
                .filter(|m| !ctx.history.month_paid(&group, &pid, *m))
                .collect();
            months.sort_unstable();
            months.dedup();
            months.len() as u32
        })
        .sum();
    let chain_earlier_runs = chain_earlier_runs + dropped + chain_renamed;
    // (and those this run pays under them, before this one: the person's placements are
    // judged in start order)
    let chain_now = taken.base.values().filter(|j| chain.contains(j)).count() as u32;
    let earlier_runs = ctx
        .history
        .usage(&limit_group, &pid)
        .map_or(0, |u| u.months)
        + chain_earlier_runs
        + chain_now;
    let mut count = earlier_runs;
    let mut m = Month::of(start);
    let stop = Month::of(end).min(ctx.payout);
    let lasts = months_long(start, end, i64::from(min_days));
    // a placement none of whose calendar months it covers half of (27 days from the 18th: 13 of
    // one month, 14 of the next) has no intern-month: said, not left silent (a cold review)
    // (not of a placement wholly before the rules: its months are NO_RULE_IN_FORCE's — a
    // regression review)
    if base && start <= end && Month::of(start) <= ctx.payout && base_share(ctx, end).is_ok() {
        // (each month the placement touches, with its days)
        let mut per_month = Vec::new();
        let mut m = Month::of(start);
        while m <= Month::of(end) {
            per_month.push((m, days_in(m, start, end)));
            m = m.next();
        }
        if !per_month
            .iter()
            .any(|&(m, days)| counts(m, days, i64::from(min_days)))
        {
            let days: Vec<String> = per_month
                .iter()
                .map(|(m, days)| format!("{days} of {m}"))
                .collect();
            out.exceptions.push(x(
                Code::InternNoMonth,
                format!(
                    "placement {} ({start}..{end}): no calendar month holds half of its days ({}): no intern-month (“每人每月”: a month counts when the placement covers half of it, or {min_days} days of a longer month)",
                    p.placement_id,
                    days.join(", ")
                ),
                BASE,
            ));
        }
    }
    let mut nth = 0u32; // the placement's intern-months so far
                        // months paid for this placement under another intern's ID (counted against its limit)
    let mut from_other_interns = 0u32;
    while m <= stop {
        let month = m;
        m = m.next();
        let days = days_in(month, start, end);
        if !counts(month, days, i64::from(min_days)) {
            continue; // a part month under the threshold is no intern-month
        }
        // a month an earlier placement of the person keeps (one ends, this one begins in it) is
        // not one of this placement's intern-months: it lasts as many months after it (a cold
        // review: 2018-08-16..2019-02-15 after a placement ending 08-15 was paid Sep–Jan, five
        // of its six months)
        // (an earlier run's payment of the month counts so only under the earlier placement's
        // own limit group, and only for a hand-over — placements sharing a day of the month are
        // an overlap, withheld in one run: the later one's months are not moved past it, a
        // cold review found a placement paid seven months for six)
        // (whether placement `j` shares a day of this month with this one)
        let shares_a_day = |j: usize| {
            let q = &ctx.inputs.internships[j];
            let from = q.start_date.max(start).max(month.first_day());
            let to = placement_end(q).min(end).min(month.last_day());
            from <= to
        };
        let hand_over = |j: usize| j != i && !shares_a_day(j);
        let claimed = taken
            .paid_before
            .get(&month)
            .copied()
            .filter(|&j| hand_over(j));
        // (or an earlier placement the roster no longer lists kept it, by its dates)
        let handed = handed_over.contains(&month);
        let kept_elsewhere = taken.base.contains_key(&month) || claimed.is_some() || handed;
        // a month wholly before the rules or the intern's group — unpayable under this
        // placement — that an earlier placement of the person, back to back (a hand-over, no
        // shared day), covers half of is that placement's, subsidised or not: this one lasts
        // its months after it, as one row registering the internship would (a regression review
        // found a youth's internship split at the group's date paid a month less, the later row
        // counting the month as its first and losing its last)
        // (before the group: its first day, or in its month too few days from it for an
        // intern-month)
        let before_group = from.filter(|d| {
            month.last_day() < *d
                || (month.first_day() < *d
                    && !counts(month, days_in(month, *d, end), i64::from(min_days)))
        });
        let unpayable = before_group.is_some()
            || match base_share(ctx, month.first_day()) {
                // (the month the rules begin in: too few of this placement's days under them — a
                // regression review found a roster split in Jinan's December 2017 a month short)
                Err(ParamError::NotInForce { first, .. }) => {
                    first > month.last_day()
                        || !counts(
                            month,
                            days_in(month, first.max(start), end),
                            i64::from(min_days),
                        )
                }
                _ => false,
            };
        if unpayable && !kept_elsewhere {
            // (an earlier placement refused or held for another reason than the date takes
            // nothing, as `takes_month` says: a regression review found a later placement paid a
            // month past its length beside a refused one)
            let earlier_has_it = by_person.get(&p.person).into_iter().flatten().any(|&j| {
                let q = &ctx.inputs.internships[j];
                (q.start_date, q.line) < (p.start_date, p.line)
                    && hand_over(j)
                    && covers_month(ctx, q, month)
                    && eligible_from(ctx, q, true).is_ok_and(|e| e.is_ok())
            });
            if earlier_has_it {
                continue;
            }
        }
        // (this placement's own month paid under the id a roster renumbered it from is one of
        // its months all the same, kept by nothing else: a grader found a renumbered 3-month
        // placement paid a fourth, its part month, then put up for recovery)
        let own_renamed =
            handed && renamed.iter().any(|(r, _)| *r == month) && !kept_by_dropped.contains(&month);
        if !kept_elsewhere || own_renamed {
            nth += 1;
            if nth > lasts {
                break; // (a last part month beyond the placement's length)
            }
        }
        // an intern-month before the intern's group is subsidised: one of the placement's
        // months, not paid, not counted against its 12
        if let Some(d) = before_group {
            if base && !kept_elsewhere {
                out.exceptions.push(x(
                    Code::NoRuleInForce,
                    format!(
                        "placement {} {month}: the intern's group (unemployed youth) is subsidised from {d}; not paid",
                        p.placement_id
                    ),
                    BASE,
                ));
            }
            continue;
        }
        // a person is an intern once a month: the month's key names neither the host nor the
        // placement, so a corrected host or a renumbered placement is not paid twice
        let base_key = month_id(ctx, BASE, p.person, month, 0);
        let mentor_key = month_id(ctx, MENTOR, p.person, month, 0);
        let mut base_state = due(ctx, &base_key, base);
        let mut mentor_state = due(
            ctx,
            &mentor_key,
            mentor && p.mentor.is_some() && !own_mentor,
        );
        if base && !kept_elsewhere && ctx.history.month_paid(&limit_group, &pid, month) {
            taken.paid_before.entry(month).or_insert(i);
        }
        // the day whose rules price the month (its parameters looked up once)
        let day = pricing_day(ctx, month, (from_day, end), i64::from(min_days));
        // an INTERN_MONTH_ALREADY_COUNTED row of a month paid by an earlier run, with the
        // month's amount (the minimum wage × the share on its pricing day) where in force
        let counted_row =
            |row: Exception| match (ctx.params.at("min_wage", day), base_share(ctx, day)) {
                (Ok(w), Ok(s)) => row.amount(Money::round(w.value * s.value)),
                _ => row,
            };
        // a mentor line's row with the amount it is about (when one is in force; the month is
        // not paid here either way)
        let with_mentor_amount =
            |row: Exception| match ctx.params.at("internship_mentor.amount", day) {
                Ok(a) => row.amount(Money::round(a.value)),
                Err(_) => row,
            };
        // the row of a mentor line an earlier run paid for this placement under intern `o`
        let mentor_paid_under = |o: &str| {
            with_mentor_amount(x(
                Code::InternMonthCounted,
                format!(
                    "placement {} {month}: the mentor subsidy was paid by an earlier run for this placement under intern {o}: not paid again (the roster's person_id corrected since?)",
                    p.placement_id
                ),
                MENTOR,
            ))
        };
        // the month an earlier run paid for this very placement under another intern's ID
        // (`other_intern_month`): one of the placement's months, counted against its 12, not
        // paid again, nor its mentor line where that was paid
        let other_intern = (base && !kept_elsewhere)
            .then(|| other_intern_month(ctx, (p, &pid, BASE), by_person, month))
            .flatten();
        if let Some(o) = other_intern {
            count += 1;
            from_other_interns += 1;
            base_state = None;
            // (the mentor line too when the earlier ID's was paid; a mentor named in the same
            // correction is paid the months: a regression review)
            let mentor_paid = month_id_of(ctx, MENTOR, o, month, 0);
            if matches!(ctx.history.seen(&mentor_paid), crate::ledger::Seen::Paid(_)) {
                // (said on the mentor line too, with its amount, where one is due now: a
                // regression review found a mentor named after a swap of two placements' ids
                // refused without a word)
                if mentor_state.take().is_some() {
                    out.exceptions.push(mentor_paid_under(o));
                }
            }
            let row = x(
                Code::InternMonthCounted,
                format!(
                    "placement {} {month}: subsidised by an earlier run for this placement under intern {o}: not paid again (the roster's person_id corrected since?)",
                    p.placement_id
                ),
                BASE,
            );
            out.exceptions.push(counted_row(row));
        }
        // the intern-month an earlier run paid under another placement of the person (the
        // roster then held that one, this one now: renumbered, or moved to a corrected host)
        // — one of this placement's months all the same, counted against its 12 whatever else
        // is due for it (a mentor named since: a cold review found the renumbered placement's
        // count started afresh then)
        // (not when an earlier placement of the roster keeps it as a hand-over month: the run
        // that paid it said so, INTERN_MONTH_ALREADY_COUNTED, and later runs of a cumulative
        // roster need not repeat it)
        let paid_under_other = base
            && claimed.is_none()
            && !handed
            && matches!(ctx.history.seen(&base_key), crate::ledger::Seen::Paid(_))
            && !ctx.history.month_paid(&limit_group, &pid, month);
        // (a month already counted as paid for the placement under another intern is not
        // counted, nor said, twice: a regression review)
        let paid_under_other = paid_under_other && other_intern.is_none();
        if paid_under_other && !kept_elsewhere {
            count += 1;
        }
        // (said, not left silent, as the same two in one roster say it; a cold review) — also
        // when a mentor line of the month is due under this placement (said below), until
        // 2026-12-07 the intern-month was then silent: a grader's placement registered late
        // inside one an earlier run paid
        if paid_under_other {
            let row = x(
                Code::InternMonthCounted,
                format!(
                    "placement {} {month}: the month was subsidised by an earlier run under another placement of the same person: not paid again",
                    p.placement_id
                ),
                BASE,
            );
            out.exceptions.push(counted_row(row));
        }
        if base_state.is_none() && mentor_state.is_none() {
            if let Some((_, g)) = renamed.iter().find(|(m, _)| {
                !paid_under_other && base && *m == month && !kept_by_dropped.contains(m)
            }) {
                // (this placement's own month paid under an id the roster no longer lists:
                // renumbered — EXCEPTIONS.md promises the row; a grader found it silent)
                let row = x(
                    Code::InternMonthCounted,
                    format!(
                        "placement {} {month}: subsidised by an earlier run under placement {} of the same person at this host, which the roster no longer lists (renumbered?): not paid again",
                        p.placement_id,
                        placement_of_group(g).unwrap_or(g)
                    ),
                    BASE,
                );
                out.exceptions.push(counted_row(row));
            }
            continue; // paid by an earlier run, or nothing to pay
        }
        // an intern-month already paid is already counted against the limit
        let wage = match ctx.params.at("min_wage", day) {
            Ok(w) => w,
            Err(ParamError::NotInForce { .. }) => {
                out.exceptions.push(x(
                    Code::NoRuleInForce,
                    format!(
                        "{month}: no minimum wage figure of this pipeline in force (min_wage{}): the month cannot be priced",
                        ctx.params
                            .first_from("min_wage")
                            .map_or(String::new(), |d| format!(" from {d}"))
                    ),
                    BASE,
                ));
                continue;
            }
            Err(e) => return Err(err(e)),
        };
        let share = match base_share(ctx, day) {
            Ok(s) if !s.value.is_zero() => s,
            // a rate a bureau set to 0 from a date (to end the subsidy): the month is one of the
            // placement's, not paid, and uses none of the 12 — nor pays a mentor line, which
            // follows the intern-month (until 2026-12-07 priced 0.00 and counted, the mentor's
            // 150 paid beside it: a grader)
            Ok(s) => {
                out.exceptions.push(x(
                    Code::NoRuleInForce,
                    format!(
                        "{month}: the internship subsidy rate in force is 0 ({s}): not paid, and the month uses none of the placement's intern-months"
                    ),
                    BASE,
                ));
                continue;
            }
            Err(ParamError::NotInForce { .. }) => {
                out.exceptions.push(x(
                    Code::NoRuleInForce,
                    match base_share(ctx, month.first_day()) {
                        // (the month the rules take effect in: its days under them are too
                        // few for an intern-month — said so, not as no rate at all: a review)
                        Err(ParamError::NotInForce { first, .. })
                            if first > month.first_day() && first <= month.last_day() =>
                        {
                            format!(
                                "{month}: the internship rules are in force from {first}; the placement's {} day(s) of {month} from then make no intern-month (at least half the month)",
                                days_in(month, first.max(from_day), end)
                            )
                        }
                        // (when the rules begin, as the SI months say it: an auditor was not
                        // told — a regression review)
                        Err(ParamError::NotInForce { first, name, .. }) => format!(
                            "{month}: no internship subsidy rate in force: the rules begin {first} ({name})"
                        ),
                        _ => format!("{month}: no internship subsidy rate in force"),
                    },
                    BASE,
                ));
                continue;
            }
            Err(e) => return Err(err(e)),
        };
        let amount = Money::round(wage.value * share.value);
        // a month an earlier placement of the person keeps in this run: not paid, not counted
        // (“in this run” only where this run takes the month under it; else an earlier run
        // paid it there, or the placement keeps it unpaid — until 2026-12-07 “in this run”
        // throughout: a grader's month paid by an earlier run)
        let counted = |j: usize, prog: &'static str| {
            let q = &ctx.inputs.internships[j];
            let when = if taken.base.get(&month) == Some(&j) || taken.mentor.get(&month) == Some(&j)
            {
                " in this run"
            } else if ctx
                .history
                .month_paid(&format!("{BASE}/{}", q.placement_id), &pid, month)
            {
                ", subsidised by an earlier run"
            } else {
                ""
            };
            x(
                Code::InternMonthCounted,
                format!(
                    "placement {} {month}: the month is already counted under placement {} (internships.csv:{}) of the same person{when}",
                    p.placement_id, q.placement_id, q.line
                ),
                prog,
            )
        };
        let base_elsewhere = base && taken.base.contains_key(&month);
        if let (Some(_), Some(&j)) = (&base_state, taken.base.get(&month)) {
            out.exceptions.push(counted(j, BASE).amount(amount));
            base_state = None;
        }
        // (the mentor line follows the intern-month: a month an earlier placement keeps — with
        // its mentor line or without one, in this run, or by `takes_month` when this
        // placement's intern-month is not paid now (an earlier run paid it: the roster says
        // whose) — pays no mentor line here; where this placement pays the intern-month now,
        // the earlier one held, its mentor line follows it. A cold review found the later host
        // paid 150 for a hand-over month, a regression review the refused line paid by the
        // next run)
        let earlier_keeps = || {
            by_person
                .get(&p.person)
                .into_iter()
                .flatten()
                .copied()
                .find(|&j| {
                    let q = &ctx.inputs.internships[j];
                    j != i
                        && (q.start_date, q.line) < (p.start_date, p.line)
                        && takes_month(ctx, q, month)
                })
        };
        let kept_by = || {
            taken
                .mentor
                .get(&month)
                .copied()
                .or_else(|| taken.base.get(&month).copied().filter(|_| base))
                .or_else(|| earlier_keeps().filter(|_| base && base_state.is_none()))
        };
        if let Some(j) = mentor_state.as_ref().and_then(|_| kept_by()) {
            out.exceptions.push(with_mentor_amount(counted(j, MENTOR)));
            mentor_state = None;
        }
        // (and a hand-over month an earlier placement the roster no longer lists kept: its
        // mentor line was that placement's — a regression review found it paid under this one
        // once the roster dropped the earlier one)
        if mentor_state.is_some() && kept_by_dropped.contains(&month) {
            out.exceptions.push(with_mentor_amount(x(
                Code::InternMonthCounted,
                format!(
                    "placement {} {month}: the intern-month of an earlier placement of the same person that an earlier run paid (the roster no longer lists it): its mentor line is that placement's, not paid under this one",
                    p.placement_id
                ),
                MENTOR,
            )));
            mentor_state = None;
        }
        // the mentor line an earlier run paid for this placement under another intern's ID
        // whose intern-month is not the one counted here (an ID corrected twice, or the
        // intern-month's line failed at the bank): not paid again
        if let Some(o) = mentor_state
            .as_ref()
            .and_then(|_| other_intern_month(ctx, (p, &pid, MENTOR), by_person, month))
        {
            out.exceptions.push(mentor_paid_under(o));
            mentor_state = None;
        }
        if base_state.is_none() && mentor_state.is_none() {
            continue;
        }
        // (a month paid for this placement under an earlier intern ID is paid and counted: its
        // mentor line named since does not count it again — a regression review)
        let base_paid_before = base
            && (base_elsewhere
                || other_intern.is_some()
                || matches!(ctx.history.seen(&base_key), Seen::Paid(_)));
        // the mentor line follows its intern-month: a month not paid is said for both lines
        // that are due, each with the amount it withholds
        let not_paid = |out: &mut Outcome, code: Code, message: String| {
            if base_state.is_some() {
                out.exceptions
                    .push(x(code, message.clone(), BASE).amount(amount));
            }
            if mentor_state.is_some() {
                out.exceptions
                    .push(with_mentor_amount(x(code, message, MENTOR)));
            }
        };
        // another placement of the person on a day of this month that this one covers too: a
        // hold, unless the limit was used by the months before this one (a review found the
        // later placement's months of an overlap refused as beyond the limit that the other's
        // later months had used; a regression review, a limit used up a year before held)
        let overlapping = by_person
            .get(&p.person)
            .into_iter()
            .flatten()
            .find(|&&j| j != i && shares_a_day(j));
        let max_months = max.max(0) as u32;
        let used_before = || {
            earlier_runs
                + from_other_interns
                + taken
                    .base
                    .iter()
                    .filter(|&(&x, &j)| x < month && j == i)
                    .count() as u32
        };
        if !base_paid_before
            && count >= max_months
            && (overlapping.is_none() || used_before() >= max_months)
        {
            not_paid(
                &mut out,
                Code::DurationLimitReached,
                if chain.is_empty() {
                    format!(
                        "placement {} month {month}: the placement's limit of {max} intern-months is reached",
                        p.placement_id
                    )
                } else {
                    format!(
                        "placement {} month {month}: the internship's limit of {max} intern-months is reached (placement {} at the same host run back to back with it: one internship, “见习期限……最长不超过1年”)",
                        p.placement_id,
                        {
                            let mut ids: Vec<(Date, &str)> = chain
                                .iter()
                                .map(|&j| {
                                    let q = &ctx.inputs.internships[j];
                                    (q.start_date, q.placement_id.as_str())
                                })
                                .collect();
                            ids.sort_unstable();
                            ids.iter().map(|(_, id)| *id).collect::<Vec<_>>().join(", ")
                        }
                    )
                },
            );
            continue;
        }
        // holds: the month is possibly payable, withheld for review
        let mut hold: Option<String> = None;
        // the stipend floor where the pipeline's text sets one (Suzhou （九）), none otherwise
        // (listed on the line: the month is paid because the stipend reaches it)
        let mut floor_ref = None;
        if let Some(declared) = ctx.params.get(STIPEND_FLOOR) {
            let floor = ctx
                .params
                .at_or_first(STIPEND_FLOOR, day)
                .map_err(|e| Error(BASE, e))?;
            let min = wage.value * floor.value;
            floor_ref = Some(floor.clone());
            if p.monthly_stipend.decimal() < min {
                hold = Some(format!(
                    "the host pays a stipend of {} below {} × the minimum wage {} in force in {month} ({})",
                    p.monthly_stipend, floor.value, wage.value, declared.clause
                ));
            }
        }
        if let Some(other) = overlapping {
            hold = Some(format!(
                "the intern is in placement {} (internships.csv:{}) in {month} as well",
                ctx.inputs.internships[*other].placement_id, ctx.inputs.internships[*other].line
            ));
        }
        // employer SI of the month with no labour contract of that employer in it: the days it
        // insures are not known, so the month is held (SI of a contract in the month is judged
        // by the contract's days below: a job that ends before the placement starts, or starts
        // after it ends, in the same month, is no hold — a cold review found such a month held)
        // (remembered: a windowed extract that no longer holds the rows keeps the month held — a
        // metamorphic review found it paid, 1,564.00 with its mentor line, once the rows left
        // the extracts; `INSURED_ELSEWHERE`)
        let insured_elsewhere = declared.get(&(p.person, month)).and_then(|emps| {
            emps.iter().find(|&&e| {
                e != p.host
                    && !reg
                        .employment_of(p.person)
                        .any(|c| c.employer == e && c.in_force_in(month))
            })
        });
        let marker = insured_elsewhere_group(month);
        // (the employer's own mark, `…/<month>/<code>`: a host code corrected to it, or a
        // contract with it registered since, releases the month — a regression review found
        // the month held for good so)
        let marked = |code: &str| {
            ctx.history
                .first_application_run(&format!("{marker}/{code}"), &pid)
                .is_some()
        };
        if let Some(e) = insured_elsewhere {
            let code = reg.employer(*e).id.to_string();
            hold = Some(format!(
                "the intern is insured as an employee of {code} in {month} (no labour contract with it registered that month)"
            ));
            if ctx.history.first_application_run(&marker, &pid).is_none() {
                out.said_once(marker.clone(), pid.clone(), month, ctx.payout.last_day());
            }
            if !marked(&code) {
                out.said_once(
                    format!("{marker}/{code}"),
                    pid.clone(),
                    month,
                    ctx.payout.last_day(),
                );
            }
        } else if let Some(on) = ctx
            .history
            .judged_on(&marker, &pid, month)
            // (not where this extract holds employer rows of the intern for the month, or repeats
            // the month, without them — corrected away —, the host is now the employer that insured her, or a
            // contract with that employer in the month is registered since: its days judge it,
            // below)
            .filter(|on| {
                !declared.contains_key(&(p.person, month))
                    // (an extract repeating the month — rows of it paid by the day that run's
                    // extract was taken — shows it without them: corrected away)
                    && ctx.earliest_paid(month).is_none_or(|d| d > *on)
                    && !marked(&host.id.to_string())
                    && !reg.employment_of(p.person).any(|c| {
                        c.in_force_in(month)
                            && marked(&reg.employer(c.employer).id.to_string())
                    })
            })
        {
            hold = Some(format!(
                "the {} run's extract showed the intern insured as an employee of another employer in {month} (no labour contract with it registered that month)",
                Month::of(on)
            ));
        }
        // a labour contract on a day of this month that the placement covers — elsewhere, or
        // with the host itself (hired before the placement's end: an employee, whose months
        // the host's SI subsidies may pay, not an intern)
        let (from, to) = (start.max(month.first_day()), end.min(month.last_day()));
        if let Some(e) = reg
            .employment_of(p.person)
            .find(|e| e.in_force_between(from, to))
        {
            let with = if e.employer == p.host {
                format!("the host {} itself", host.id)
            } else {
                reg.employer(e.employer).id.to_string()
            };
            hold = Some(format!(
                "the intern has a labour contract with {with} (employment.csv:{}) covering {month}: employed, not 离校未就业",
                e.line
            ));
        }
        if let Some(why_hold) = hold {
            not_paid(
                &mut out,
                Code::InternHold,
                format!("placement {} {month}: {why_hold}; withheld", p.placement_id),
            );
            continue;
        }
        if !base_paid_before {
            count += 1;
        }
        let mut params = elig_params.clone();
        params.push(wage.clone());
        params.push(share.clone());
        // (a month before the document priced under the earlier standard it cites: the
        // parameter that lets it — an audit found Jiangyin's 2018 months citing only the 50 %)
        if ctx
            .params
            .first_from(super::DOCUMENT)
            .is_some_and(|d| day < d)
        {
            params.extend(ctx.params.at(EARLIER_STANDARD, day).ok());
        }
        params.extend(floor_ref.clone());
        if let Some((seq, retry)) = base_state {
            if let Some(reason) = retry {
                out.exceptions.push(
                    x(
                        Code::PaymentRetry,
                        format!("{month}: the earlier line was returned as failed by the bank ({reason}): paid again"),
                        BASE,
                    )
                    .amount(amount)
                    .for_line(&month_id(ctx, BASE, p.person, month, seq)),
                );
            }
            taken.base.insert(month, i);
            out.payments.push(Payment {
                reference: String::new(),
                payment_id: month_id(ctx, BASE, p.person, month, seq),
                month_key: base_key,
                si_basis: [0; 5],
                row_fp: 0,
                limit_group: limit_group.clone(),
                programme: BASE,
                clause: ctx.clause(BASE),
                service_month: Some(month),
                payee: payee.clone(),
                beneficiary: Party::Person(p.person),
                amount,
                basis: format!(
                    "minimum wage {} × {} = {amount} for intern-month {count} of ≤ {max} ({})",
                    wage.value,
                    share.value,
                    if day > month.first_day() {
                        // (the month a document takes effect: its days under the document,
                        // from the pricing day — a regression review found the whole month's)
                        format!(
                            "{} days of {month} from {day}, under the rules",
                            days_in(month, day, end)
                        )
                    } else {
                        format!("{days} days of {month}")
                    }
                ),
                eligibility: why.clone(),
                params: params.into(),
                sources: vec![format!("internships.csv:{}", p.line)],
            });
        }
        if let Some((seq, retry)) = mentor_state {
            {
                let amt = ctx
                    .params
                    .at("internship_mentor.amount", day)
                    .map_err(|e| Error(MENTOR, e))?;
                if let Some(reason) = retry {
                    out.exceptions.push(
                        x(
                            Code::PaymentRetry,
                            format!("{month}: the earlier mentor line was returned as failed by the bank ({reason}): paid again"),
                            MENTOR,
                        )
                        .amount(Money::round(amt.value))
                        .for_line(&month_id(ctx, MENTOR, p.person, month, seq)),
                    );
                }
                taken.mentor.insert(month, i);
                out.payments.push(Payment {
                    reference: String::new(),
                    payment_id: month_id(ctx, MENTOR, p.person, month, seq),
                    month_key: mentor_key,
                    si_basis: [0; 5],
                    row_fp: 0,
                    limit_group: format!("{MENTOR}/{}", p.placement_id),
                    programme: MENTOR,
                    clause: ctx.clause(MENTOR),
                    service_month: Some(month),
                    payee: payee.clone(),
                    beneficiary: Party::Person(p.person),
                    amount: Money::round(amt.value),
                    basis: format!("mentoring 1 intern in {month} × {} yuan", amt.value),
                    eligibility: format!("{why}; mentor named"),
                    // (the intern-month's own conditions too — the intern's eligibility, the 12
                    // months, the 15 days, the stipend floor —: the line follows it; an audit
                    // found only the 150 cited)
                    params: elig_params
                        .iter()
                        .cloned()
                        .chain(floor_ref.clone())
                        .chain(std::iter::once(amt))
                        .collect::<Vec<_>>()
                        .into(),
                    sources: vec![format!("internships.csv:{}", p.line)],
                });
            }
        }
    }
    Ok(out)
}

/// The payment id of retention award line `seq` for `person` (once per intern, whatever the
/// host; `+seq` for a retry).
fn award_id(ctx: &Ctx, person: u32, seq: u32) -> String {
    let who = ctx.inputs.registers.person(person).id.to_string();
    award_id_of(ctx, "", &who, seq)
}

/// The award's id: “3000元/人, 一次性” — once per intern, so keyed on the intern alone (a host
/// code corrected between runs, or a second host retaining the same person, is not paid again;
/// a cold review found both paid). Builds before 2026-12-01 keyed it on the host too
/// (`award_id_by_host`): an award paid under such a key is paid.
fn award_id_of(ctx: &Ctx, host: &str, who: &str, seq: u32) -> String {
    let tag = if seq == 0 {
        String::new()
    } else {
        format!("+{seq}")
    };
    crate::outputs::payments::payment_id(&ctx.pipeline.name, RETENTION, host, who, &tag)
}

fn award_id_by_host(ctx: &Ctx, host: u32, person: u32) -> String {
    let reg = &ctx.inputs.registers;
    let h = reg.employer(host).id.to_string();
    award_id_of(ctx, &h, &reg.person(person).id.to_string(), 0)
}

/// The months this extract shows an intern insured by a host of the intern's placements (paid by
/// the end of the payout month), for the ledger: a retention is confirmed by six such months,
/// which an extract holding a window of recent rows does not hold at once (a cold review found
/// no award ever paid with such extracts). Also by an employer the intern has a labour contract
/// with (the registers'): a roster that names the host under a code corrected later (a grader:
/// the months seen under the true code forgotten, the award months late). In a stable order.
fn host_insured(
    ctx: &Ctx,
    insured: &FxHashMap<(u32, Month), Vec<u32>>,
    hosts: &FxHashMap<u32, Vec<u32>>,
) -> Vec<crate::ledger::InternSiSeen> {
    let reg = &ctx.inputs.registers;
    let mut seen: Vec<crate::ledger::InternSiSeen> = insured
        .iter()
        .flat_map(|((person, month), employers)| {
            let hosts = hosts.get(person);
            employers
                .iter()
                .filter(move |e| {
                    hosts.is_some_and(|h| h.contains(e))
                        || reg.employment_of(*person).any(|c| c.employer == **e)
                })
                .map(move |e| crate::ledger::InternSiSeen {
                    person_id: reg.person(*person).id.to_string(),
                    employer_id: reg.employer(*e).id.to_string(),
                    period: *month,
                })
        })
        .collect();
    seen.sort_unstable();
    seen
}

/// The (person, host, month)s earlier runs' extracts showed insured (`intern_si_seen`).
/// A month seen under a host code gone from the registers that an earlier roster listed one of
/// the intern's placements under is that placement's host's now (one host, its code corrected
/// between runs, as `host_codes` reads it — since 2026-12-06: a grader found the months seen
/// under the old code forgotten, a retention confirmed months late).
/// Each with the earliest payout month whose run's extract showed it.
fn insured_before<'a>(ctx: &'a Ctx) -> FxHashMap<(u32, u32, Month), &'a str> {
    let reg = &ctx.inputs.registers;
    let mut renamed: FxHashMap<(String, String), u32> = FxHashMap::default();
    if ctx
        .history
        .intern_si_seen
        .keys()
        .any(|(_, eid, _)| reg.employer_by_id(eid).is_none())
    {
        for p in &ctx.inputs.internships {
            let pid = reg.person(p.person).id.to_string();
            // (the host's own code first, then the gone ones)
            for h in host_codes(ctx, &pid, p, &[]).into_iter().skip(1) {
                renamed.entry((pid.clone(), h)).or_insert(p.host);
            }
        }
    }
    ctx.history
        .intern_si_seen
        .iter()
        .filter_map(|((pid, eid, m), run)| {
            let key = match reg.person_and_employer(pid, eid) {
                Some((p, e)) => (p, e, *m),
                None => {
                    let e = *renamed.get(&(pid.to_string(), eid.to_string()))?;
                    (reg.person_by_id(pid)?, e, *m)
                }
            };
            Some((key, run.as_str()))
        })
        // (two codes of one host: the earliest run)
        .fold(FxHashMap::default(), |mut map, (k, run)| {
            let e: &mut &str = map.entry(k).or_insert(run);
            *e = (*e).min(run);
            map
        })
}

/// The SI months a retention rests on that earlier runs' extracts showed (`insured_before`),
/// as a `sources` entry per run: “contributions.csv SI 2018-05..2018-07, 2018-09 of the
/// 2018-11 run's extract” — an auditor proves them from that run's manifest (the manifest's
/// `earlier_runs`; until 2026-12-07 an award paid on them cited no SI at all, a contract-only
/// review).
fn earlier_si_sources(months: &[(Month, &str)]) -> Vec<String> {
    let mut by_run: std::collections::BTreeMap<&str, Vec<Month>> = Default::default();
    for (m, run) in months {
        by_run.entry(run).or_default().push(*m);
    }
    by_run
        .into_iter()
        .map(|(run, mut ms)| {
            ms.sort_unstable();
            ms.dedup();
            let mut spans: Vec<(Month, Month)> = Vec::new();
            for m in ms {
                match spans.last_mut() {
                    Some((_, last)) if last.next() == m => *last = m,
                    _ => spans.push((m, m)),
                }
            }
            let spans: Vec<String> = spans
                .into_iter()
                .map(|(a, b)| {
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a}..{b}")
                    }
                })
                .collect();
            format!(
                "contributions.csv SI {} of the {run} run's extract",
                spans.join(", ")
            )
        })
        .collect()
}

/// The hosts of each intern's placements in the roster, each once, in roster order.
fn hosts_of(ctx: &Ctx) -> FxHashMap<u32, Vec<u32>> {
    let mut hosts: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for p in &ctx.inputs.internships {
        let v = hosts.entry(p.person).or_default();
        if !v.contains(&p.host) {
            v.push(p.host);
        }
    }
    hosts
}

/// A host's year of finished interns, judged: how many finished, who is retained (with the
/// contract line that confirms it, and whether the registers and SI months confirm it rather
/// than only an earlier run's award), the rate and the year's parameters (contract years,
/// SI months, minimum rate, amount).
struct Judged<'a> {
    year: i32,
    host: u32,
    /// the lines of the year's finished placements (internships.csv), in line order
    finished: Vec<u32>,
    retained: Vec<(&'a InternshipRow, Option<u32>, bool)>,
    rate: Decimal,
    years: i32,
    min_si: i32,
    params: [ParamRef; 4],
}

impl Judged<'_> {
    /// The year's rate reaches the minimum (`internship_retention.min_rate`): awards are due.
    fn rate_reached(&self) -> bool {
        self.rate >= self.params[2].value
    }
}

/// 苏府〔2017〕158号 （九）: “对见习期满见习人员留用率一个自然年度内达50%以上，与其签订劳动合同1年以上
/// 并缴纳社会保险费的见习单位，按每留用1人3000元的标准，给予见习单位一次性见习奖励补贴”.
/// Per host and calendar year of the placement end: the interns whose placement ran its term
/// (outcome completed or retained); retained = a labour contract of ≥ 1 year with the host
/// starting after the placement start, and employer SI paid at the host for ≥ 6 months (counted
/// in this extract and, `intern_si_seen`, earlier runs'). Rate = retained / finished ≥ `min_rate` → the award per retained intern,
/// once (the ledger remembers it).
fn retention_awards(
    ctx: &Ctx,
    insured: &FxHashMap<(u32, Month), Vec<u32>>,
    hosts_of: &FxHashMap<u32, Vec<u32>>,
) -> Result<Outcome, ParamError> {
    let mut out = Outcome::default();
    let reg = &ctx.inputs.registers;
    // (by year, then the host's credit code — not its place in employers.csv: which of two
    // hosts retaining one intern in a run is awarded must not hang on row order, a review)
    let mut groups: std::collections::BTreeMap<
        (i32, crate::domain::CreditCode, u32),
        Vec<&InternshipRow>,
    > = Default::default();
    // each intern's placements, for the bound of a retention (`keeps_after`)
    let mut placements_of: FxHashMap<u32, Vec<&InternshipRow>> = FxHashMap::default();
    for p in &ctx.inputs.internships {
        placements_of.entry(p.person).or_default().push(p);
    }
    // an intern's award an earlier run paid to whichever host (under an earlier build's key, to
    // any host of the intern's placements — or to a host the roster no longer places the intern
    // at, which the ledger's payees show: a regression review found such an award paid again)
    let paid = |key: &str| matches!(ctx.history.seen(key), Seen::Paid(_));
    let payees = |p: &InternshipRow| {
        ctx.history
            .retention_payees
            .get(&reg.person(p.person).id.to_string())
    };
    let awarded = |p: &InternshipRow| {
        paid(&award_id(ctx, p.person, 0))
            || payees(p).is_some()
            || hosts_of
                .get(&p.person)
                .into_iter()
                .flatten()
                .any(|&h| paid(&award_id_by_host(ctx, h, p.person)))
    };
    // the line of the intern's award an earlier run paid to `host` (its payment id) — by the
    // payee of the line (`History::retention_payees`: the award is keyed on the intern alone),
    // or under the key an earlier build made with this host. A payee no employer of the
    // registers has now is this host under an old code when the intern-months of the intern's
    // placement at this host were paid to that code (the host's code corrected since; a host
    // gone from the registers is another). Three regression reviews: “all placements here” lost
    // a host its own award for an intern placed elsewhere too, “a host contract since the
    // placement” took another host's award for this one's, and a payee gone from the registers
    // taken for this host raised its rate with another's award.
    // `any_year`: the intern's award paid to `host` whatever the year whose rate it was paid
    // on (a review of a paid award: a roster correction may move its placement into another
    // year — a regression review found such an award never reviewed); else only an award of
    // `p`'s year (its place in that year's rate)
    let award_line_of = |p: &InternshipRow, host: u32, any_year: bool| -> Option<String> {
        let legacy = award_id_by_host(ctx, host, p.person);
        if paid(&legacy) {
            return Some(legacy);
        }
        let key = award_id(ctx, p.person, 0);
        if !paid(&key) {
            return None;
        }
        let pid = reg.person(p.person).id.to_string();
        // (the intern's placements at this host paid intern-months to `code`)
        // (or for a month of such a placement under another id: renumbered in the same roster
        // that corrected the code — an intern is an intern once a month; a grader found the
        // award left off the host's rate, 3000.00 owed unpaid)
        let placed_as = |code: &str| {
            ctx.history.intern_months.get(&pid).is_some_and(|paid| {
                placements_of.get(&p.person).into_iter().flatten().any(|q| {
                    let group = format!("{BASE}/{}", q.placement_id);
                    let span = Month::of(q.start_date)..=Month::of(placement_end(q));
                    q.host == host
                        && paid
                            .iter()
                            .any(|(h, g, m)| h == code && (*g == group || span.contains(m)))
                })
            })
        };
        // (an award paid on the rate of another year than this placement's is another
        // placement's: a regression review found a 2019 award keep a 2020 row that left early in
        // 2020's rate, and the 2019 award reviewed on 2020's)
        let year = chrono::Datelike::year(&placement_end(p));
        // (a line of an earlier build names no year: its award is of the latest year, up to
        // the last its run could judge, in which the intern finished a placement at this host
        // — a December or January run may pay an earlier year's: a regression review)
        let fits = |y: &crate::ledger::AwardYear| match *y {
            crate::ledger::AwardYear::Named(n) => n == year,
            crate::ledger::AwardYear::RunsLast(r) => {
                placements_of
                    .get(&p.person)
                    .into_iter()
                    .flatten()
                    .filter(|q| q.host == host)
                    .map(|q| chrono::Datelike::year(&placement_end(q)))
                    .filter(|&y| y <= r)
                    .max()
                    .unwrap_or(r)
                    == year
            }
        };
        match payees(p) {
            Some(to) => to
                .iter()
                .find(|(c, _, y)| {
                    (any_year || fits(y))
                        && match reg.employer_by_id(c) {
                            Some(e) => e == host,
                            None => placed_as(c),
                        }
                })
                .map(|(_, id, _)| id.clone()),
            // (paid, with no payee in the ledger: not the intern's ID as written then — the
            // award is this host's when all the intern's placements are here)
            None => hosts_of
                .get(&p.person)
                .is_none_or(|hs| hs.iter().all(|&h| h == host))
                .then_some(key),
        }
    };
    let award_line = |p: &InternshipRow, host: u32| award_line_of(p, host, false);
    let award_here = |p: &InternshipRow, host: u32| award_line(p, host).is_some();
    // (year, host, intern) of the placements counted in a year's rate, and the rows about
    // placements that left before their planned end (said once every placement is seen: not
    // of an intern another placement at the host counts for the year) with the award an
    // earlier run paid on each, if any
    let mut counted_at: FxHashSet<(i32, u32, u32)> = FxHashSet::default();
    // (each row's message, whole or — `ends` — to be ended by `left_said`)
    #[allow(clippy::type_complexity)]
    let mut left_rows: Vec<(
        (i32, u32, u32),
        &InternshipRow,
        String,
        Option<String>,
        bool,
    )> = Vec::new();
    for p in &ctx.inputs.internships {
        let end = placement_end(p);
        let year = chrono::Datelike::year(&end);
        // “一个自然年度内”: a year is judged once it is over (the payout month is its December
        // or later), among the interns who were eligible
        let year_over =
            Date::from_ymd_opt(year, 12, 31).is_some_and(|d| d <= ctx.payout.last_day());
        // “见习期满”: the term ran out — by the roster's word (completed, retained) or by its
        // dates: whatever the code, a placement not left before its planned end, once that has
        // passed (a host must not lift its rate by leaving codes unchanged: a cold review)
        // (the first day an employer — the host, or any — took the intern on within the
        // placement's term, before its last day)
        // (within the internship: from its first row's start — one of back-to-back rows left
        // for a job during an earlier row of its internship, as the one row would be: a code
        // review found a chain's last row awarded where the one row was refused)
        let first_day = chain_start(ctx, p);
        let hired_within = |host_only: bool, last_day_too: bool| {
            reg.employment_of(p.person)
                .filter(|e| !host_only || e.employer == p.host)
                .map(|e| e.contract_start)
                .filter(|d| {
                    *d >= first_day && (*d < p.planned_end || last_day_too && *d == p.planned_end)
                })
                .min()
        };
        // (an award an earlier run paid this host stays in the year's rate: confirmed when paid
        // — a regression review found a later extract's contract elsewhere drop it, and another
        // intern's award held for it; another host's award keeps nothing here: a regression
        // review found a host's owed award lost to an intern another host retained)
        let paid_award = award_here(p, p.host);
        // (the intern's award paid to this host on any year's rate: a row that left early is
        // reviewed for it, unless it stands on another year's — below)
        let award_any = award_line_of(p, p.host, true);
        let paid_any = award_any.is_some();
        // (the roster's own date of leaving, before the planned end: the term did not run out,
        // whatever the code — a cold review found a `retained` or `completed` row left two
        // months early counted as 见习期满 beside a `left_early` twin of the same dates left out;
        // an award an earlier run paid on it is reviewed below, as a later roster's correction)
        let left_before_term = p.left_on.is_some_and(|d| d < p.planned_end);
        // (no left_on, a contract begun within the term: the intern left the placement for it,
        // though the dates alone would say the term ran out — whatever the code: a regression
        // review found a `left_early` one the host hired awarded, another's hire counted in the
        // host's rate; a grader the same facts coded `retained` or `completed` awarded, their
        // months from the hire held as the host's employee's. A left_on on or after the
        // planned end is the dates' word, as for any code)
        let hired_early = (p.left_on.is_none() && !paid_award)
            .then(|| hired_within(false, false))
            .flatten();
        let term_ran_out = match p.outcome {
            _ if left_before_term || hired_early.is_some() => false,
            PlacementOutcome::Completed | PlacementOutcome::Retained => true,
            // (not left before the planned end, which has passed)
            _ => end >= p.planned_end && p.planned_end <= ctx.payout.last_day(),
        };
        // (a row the intern's next row at the host continues back to back — the day after its
        // end — is not the internship's end when that row runs its term, or runs still: one
        // internship in several rows is judged by the last that ran its term, in that row's
        // year — a cold review found a first row counted as finished in its own year, lifting
        // that year's rate; a later row left early leaves the earlier one judged, as before; an
        // award an earlier run paid on it stays)
        let continued = || {
            placements_of.get(&p.person).is_some_and(|ps| {
                ps.iter().any(|q| {
                    renews(p, q)
                        && q.outcome != PlacementOutcome::LeftEarly
                        && q.left_on.is_none_or(|d| d >= q.planned_end)
                        // (a row the run refuses is no internship: a regression test)
                        && matches!(eligible(ctx, q), Ok(Ok(_)))
                })
            })
        };
        let counted = term_ran_out
            && (paid_award || !continued())
            && ctx.in_region(p.host)
            && eligible(ctx, p)?.is_ok();
        if counted {
            counted_at.insert((year, p.host, p.person));
        }
        // a retention the roster reports in a year not yet over waits for the year's rate:
        // said, with the award it may bring, so that no retained intern goes without a word
        // (not of an intern whose one award an earlier run paid: the row would promise a
        // second — a regression review)
        if counted && !year_over && p.outcome == PlacementOutcome::Retained && !awarded(p) {
            let on = Date::from_ymd_opt(year, 12, 31).unwrap_or(end);
            let amount = ctx.params.at_or_first("internship_retention.amount", on)?;
            out.exceptions.push(
                Exception::new(
                    Code::RetentionYearOpen,
                    format!(
                        "placement {} ended {end}, marked retained: the host's retention rate of {year} (“一个自然年度内”) is judged once the year is over — the run for {year}-12 or later pays the award if the rate is reached and the retention confirmed",
                        p.placement_id
                    ),
                )
                .at("internships.csv", p.line)
                .programme(RETENTION)
                .person(reg.person(p.person).id)
                .employer(reg.employer(p.host).id)
                .amount(Money::round(amount.value)),
            );
        }
        // an intern who left early to be hired by the host is no 见习期满 intern: out of the rate
        // and the award, said once the year is over (a cold review found it silent beside the
        // same facts coded `retained`, which the host's roster may do)
        // (of an intern the rate would have counted: in the region, eligible)
        // (a row whose own `left_on` lies before the planned end, whatever its code: out of the
        // rate, and said — with the host's hire within the term, if any; a `retained` row at
        // once, as its RETENTION_YEAR_OPEN would have been; an award an earlier run paid on it
        // is to review. Said after every placement is seen, and not when another placement of
        // the intern at this host counts for the year: back-to-back rows are one internship,
        // judged by the one that ran its term — a regression review found “not awarded” said
        // beside the award)
        if left_before_term
            && p.outcome != PlacementOutcome::LeftEarly
            && (year_over || p.outcome == PlacementOutcome::Retained || paid_any)
            && ctx.in_region(p.host)
            && eligible(ctx, p)?.is_ok()
        {
            let hired = hired_within(true, true).map_or(String::new(), |d| {
                format!(" (the host took the intern on from {d})")
            });
            let said = format!(
                "placement {} is marked {} but left on {end}, before its planned end {}{hired}: not 见习期满 (（九）“对见习期满见习人员留用率……”)",
                p.placement_id,
                match p.outcome {
                    PlacementOutcome::Retained => "retained",
                    PlacementOutcome::Completed => "completed",
                    _ => "ongoing",
                },
                p.planned_end,
            );
            left_rows.push(((year, p.host, p.person), p, said, award_any.clone(), true));
        }
        // (coded `left_early` with its date, an award an earlier run paid on it: to review —
        // the rows for one unpaid are said below)
        if left_before_term
            && p.outcome == PlacementOutcome::LeftEarly
            && paid_any
            && ctx.in_region(p.host)
        {
            let said = format!(
                "placement {} left early ({end}, planned to {}): not 见习期满 (（九）“对见习期满见习人员留用率……”)",
                p.placement_id, p.planned_end
            );
            left_rows.push(((year, p.host, p.person), p, said, award_any.clone(), true));
        }
        // (coded otherwise, hired within the term without a left_on: the same, said as for a
        // left_on before the planned end — a `retained` one at once)
        let coded = match p.outcome {
            PlacementOutcome::LeftEarly => None,
            PlacementOutcome::Retained => Some("retained"),
            PlacementOutcome::Completed => Some("completed"),
            PlacementOutcome::Ongoing => Some("ongoing"),
        };
        if !term_ran_out
            && (year_over || p.outcome == PlacementOutcome::Retained)
            && (coded.is_none() || hired_early.is_some())
            && !paid_award
            && ctx.in_region(p.host)
            && eligible(ctx, p)?.is_ok()
        {
            // (how the row's leaving is told: by its code, or against it)
            let left = |planned: Date| match coded {
                None => format!(
                    "left early ({}, planned to {planned})",
                    p.left_on
                        .map_or("left_on not given".to_string(), |d| d.to_string())
                ),
                Some(code) => {
                    format!("is marked {code} without a left_on (planned to {planned})")
                }
            };
            // (another employer's contract within the term, where the roster gives no left_on,
            // took the intern out of the rate: said too — a regression review found the host's
            // rate changed without a word)
            let elsewhere = reg
                .employment_of(p.person)
                .filter(|e| e.employer != p.host)
                .map(|e| (e.contract_start, e.employer))
                .filter(|(d, _)| p.left_on.is_none() && *d >= first_day && *d < p.planned_end)
                .min();
            // (the host's hire on the term's last day is no cause where no left_on is given:
            // the other contract is — a regression review found the wrong one named)
            let host_hire = hired_within(true, p.left_on.is_some());
            let key = (year, p.host, p.person);
            if let (None, Some((from, employer))) = (host_hire, elsewhere) {
                left_rows.push((
                    key,
                    p,
                    format!(
                        "placement {} {}: the intern took a labour contract with {} from {from}, within the term — not 见习期满 (（九）“对见习期满见习人员留用率……”), so not in this host's retention rate",
                        p.placement_id,
                        left(p.planned_end),
                        reg.employer(employer).id
                    ),
                    None,
                    false,
                ));
            }
            if let Some(hired) = host_hire {
                left_rows.push((
                    key,
                    p,
                    format!(
                        "placement {} {} the host took the intern on from {hired}: not 见习期满 (（九）“对见习期满见习人员留用率……”), so neither in the host's retention rate nor awarded{}",
                        p.placement_id,
                        match coded {
                            None => format!("{} and", left(p.planned_end)),
                            Some(_) => format!("{}, but", left(p.planned_end)),
                        },
                        match coded {
                            None => " — a host that kept the intern to the end of the term reports it `retained`",
                            Some(_) => " (its months from the hire are the host's employee's, not intern-months)",
                        }
                    ),
                    None,
                    false,
                ));
            }
        }
        let finished = counted && year_over;
        if finished {
            groups
                .entry((year, reg.employer(p.host).id, p.host))
                .or_default()
                .push(p);
        }
    }
    // (`hosts_of`: the hosts of each intern's placements — an earlier build keyed awards on
    // them)
    let mut awarded_now: FxHashSet<u32> = FxHashSet::default();
    let before = insured_before(ctx);
    // 留用 is keeping the intern on: a contract with the host counts only when it starts before
    // the intern's next placement at ANOTHER host (begun after this one ended, and one the
    // intern is eligible for: a nested placement elsewhere or a roster row the run refuses ends
    // nothing; one begun by its end that ran on past it bounds it at its own end, `Next`) and
    // no later than a contract with another employer begun after the placement ended — a
    // contract after a placement or a job elsewhere is no retention by this host (a cold
    // review found one paid 18 months after the year, after a job elsewhere). A later
    // placement at the same host bounds nothing: the host that takes its intern on again and
    // then hires them has kept them (two regression reviews: leaving the earlier placement out
    // of the rate, or counting it not retained, took owed awards away). The next placement's
    // start and the first such other contract's start, if any: a contract with the host counts
    // when it starts before the first and no later than the second (two jobs taken up the
    // same day are both kept on).
    let keeps_after = |p: &InternshipRow| -> (Option<Next>, Option<Date>) {
        let end = placement_end(p);
        let next = placements_of
            .get(&p.person)
            .into_iter()
            .flatten()
            .filter(|q| q.host != p.host && is_eligible(ctx, q))
            .filter_map(|q| {
                if q.start_date > end {
                    Some(Next::Begins(q.start_date))
                } else if placement_end(q) > end {
                    // a placement sharing days — or the last day — with this one, begun within
                    // it or before it, that runs on past its end: the intern stayed there after
                    // this one ended; a contract with the host begun before it ran out took the
                    // intern from it (a regression review: an owed award), one begun after it is
                    // no keeping on (a differential review found 3000 paid on a contract after
                    // five months at the second host; another, the same where the second began
                    // a day before the first)
                    Some(Next::RunsOn(placement_end(q)))
                } else {
                    None
                }
            })
            .min_by_key(|n| n.bound());
        let elsewhere = reg
            .employment_of(p.person)
            .filter(|e| e.employer != p.host && e.contract_start > end)
            .map(|e| e.contract_start)
            .min();
        (next, elsewhere)
    };
    // (an intern whose award an earlier run paid was confirmed then: counted as retained
    // whatever this extract still shows — a windowed extract no longer holds the SI months; a
    // cold review found RETENTION_NOT_CONFIRMED said each month of a paid award)
    // first every group judged (who finished, who is retained), then the awards: an award paid
    // under another intern ID of a placement is told apart by that ID's own retention
    // elsewhere, which only the whole run's judgement shows
    let mut judged: Vec<Judged> = Vec::new();
    // (by placement row: the SI months of its retention earlier runs' extracts showed, cited)
    let mut earlier_si: FxHashMap<u32, Vec<String>> = FxHashMap::default();
    for ((year, _, host), mut finished) in groups {
        // a person counts once per host and year, whatever the number of placements: by the
        // latest of them there (back-to-back placements at one host are judged by the last)
        let mut latest: FxHashMap<u32, (Date, u32)> = FxHashMap::default();
        for p in &finished {
            let e = latest.entry(p.person).or_insert((placement_end(p), p.line));
            *e = (*e).max((placement_end(p), p.line));
        }
        finished.retain(|p| latest.get(&p.person) == Some(&(placement_end(p), p.line)));
        let on = Date::from_ymd_opt(year, 12, 31).unwrap_or(ctx.payout.last_day());
        let (years, yr) = ctx
            .params
            .int_at_or_first("internship_retention.min_contract_years", on)?;
        let (min_si, sr) = ctx
            .params
            .int_at_or_first("internship_retention.min_si_months", on)?;
        let rate_min = ctx
            .params
            .at_or_first("internship_retention.min_rate", on)?;
        let amount = ctx.params.at_or_first("internship_retention.amount", on)?;
        // retained: a labour contract of ≥ `years` with the host starting on or after the
        // placement start, and SI at the host from the first day of employment under such
        // contracts (the earliest start among them, whatever the file's order: a host that
        // insured its intern during the placement, before any contract, has not yet retained
        // them — a cold review found the award paid before the contract began)
        // the contracts of ≥ `years` with the host from the placement start on: the earliest
        // one (SI counts from its start — not a short contract's before it, nor a gap's)
        let contract = |p: &InternshipRow| {
            let (next, elsewhere) = keeps_after(p);
            reg.employment_of(p.person)
                .filter(|e| e.employer == host && e.contract_start >= p.start_date)
                .filter(|e| {
                    next.is_none_or(|n| e.contract_start < n.bound())
                        && elsewhere.is_none_or(|o| e.contract_start <= o)
                })
                .filter(|e| {
                    e.contract_end.is_none_or(|end| {
                        end >= add_years(e.contract_start, years)
                            .pred_opt()
                            .unwrap_or(e.contract_start)
                    })
                })
                .min_by_key(|e| (e.contract_start, e.line))
        };
        let confirmed = |p: &InternshipRow| {
            let c = contract(p);
            let from = c.map(|e| Month::of(e.contract_start));
            // (the months from there to the payout month in which a contract with the host
            // from the placement on covers a day — an ended job's SI after it is no employment:
            // a cold review found a job ended after three months confirmed by SI filed after
            // its end; a contract following it goes on counting, a regression review —, looked
            // up one by one)
            let employed_in = |m: Month| {
                reg.employment_of(p.person).any(|e| {
                    e.employer == host && e.contract_start >= p.start_date && e.in_force_in(m)
                })
            };
            // (and the months only earlier runs' extracts showed, with the run)
            let mut earlier: Vec<(Month, &str)> = Vec::new();
            let si_months = match from {
                Some(mut m) => {
                    let mut n = 0;
                    while m <= ctx.payout {
                        if !employed_in(m) {
                            m = m.next();
                            continue;
                        }
                        if insured
                            .get(&(p.person, m))
                            .is_some_and(|e| e.contains(&host))
                        {
                            n += 1;
                        } else if let Some(run) = before.get(&(p.person, host, m)) {
                            n += 1;
                            earlier.push((m, *run));
                        }
                        m = m.next();
                    }
                    n
                }
                _ => 0,
            };
            (si_months, from, earlier)
        };
        // (each with the contract that confirms it, and whether the registers and SI months
        // confirm it — not only an earlier run's award)
        let mut retained: Vec<(&InternshipRow, Option<u32>, bool)> = Vec::new();
        for p in finished.iter().copied() {
            let (si_months, from, earlier) = confirmed(p);
            // (retained by the registers and the SI months this extract and earlier runs' showed
            // — `intern_si_seen`: a windowed extract holds no six months —, whatever earlier
            // runs paid; an intern whose award was paid is not reported again when a windowed
            // extract no longer shows the six months)
            let was_awarded = awarded(p);
            // (an intern whose award an earlier run paid stays retained for the year, whatever
            // this extract's registers show — a contract row gone once it ran out: a cold
            // review found the year's rate fall and a later retained intern refused)
            // (the award is the intern's, once: this host's when paid to this host)
            let awarded_here = award_here(p, host);
            let by_test = from.is_some() && si_months >= min_si;
            if by_test || awarded_here {
                if by_test && !earlier.is_empty() {
                    earlier_si.insert(p.line, earlier_si_sources(&earlier));
                }
                retained.push((p, contract(p).map(|e| e.line), by_test));
            } else if p.outcome == PlacementOutcome::Retained && !was_awarded {
                // the roster's word alone is not enough: say what is missing
                out.exceptions.push(
                    Exception::new(
                        Code::RetentionNotConfirmed,
                        format!(
                            "placement {} is marked retained, but {}: not counted as retained for {year}",
                            p.placement_id,
                            if let Some(from) = from {
                                format!(
                                    "employer SI at the host under the contract (from {from}) is paid for {si_months} month(s) in this extract and earlier runs' extracts, fewer than {min_si}"
                                )
                            } else {
                                format!(
                                    "no labour contract of ≥ {years} year with the host starts on or after the placement start{}",
                                    match keeps_after(p) {
                                        (Some(Next::Begins(n)), _) => format!(" and before {n}, the intern's next placement"),
                                        (Some(Next::RunsOn(n)), _) => format!(" and no later than {n}, when the intern's placement at another host, which ran on past this one, ended"),
                                        (None, Some(o)) => format!(" and no later than {o}, when a job elsewhere began"),
                                        (None, None) => String::new(),
                                    }
                                )
                            }
                        ),
                    )
                    .at("internships.csv", p.line)
                    .programme(RETENTION)
                    .person(reg.person(p.person).id)
                    .employer(reg.employer(host).id),
                );
            }
        }
        let rate = Decimal::from(retained.len()) / Decimal::from(finished.len().max(1));
        judged.push(Judged {
            year,
            host,
            finished: {
                let mut lines: Vec<u32> = finished.iter().map(|p| p.line).collect();
                lines.sort_unstable();
                lines
            },
            retained,
            rate,
            years,
            min_si,
            params: [yr, sr, rate_min, amount],
        });
    }
    // the other intern IDs under which an earlier run paid placement `p`'s intern-months and
    // their retention awards (the roster's person_id corrected since)
    let awards_under_others = |p: &InternshipRow| {
        let me = reg.person(p.person).id.to_string();
        ctx.placement_interns(&format!("{BASE}/{}", p.placement_id))
            .iter()
            .filter(move |o| **o != me && paid(&award_id_of(ctx, "", o, 0)))
    };
    // whether a placement of another intern in this roster paid its intern-months under `p`'s
    // intern ID (the roster's person_id corrected since), read once when first asked
    let corrected: std::cell::OnceCell<FxHashSet<String>> = std::cell::OnceCell::new();
    let under_my_id = |p: &InternshipRow| {
        corrected
            .get_or_init(|| {
                let mut ids = FxHashSet::default();
                for q in &ctx.inputs.internships {
                    let me = reg.person(q.person).id.to_string();
                    let group = format!("{BASE}/{}", q.placement_id);
                    ids.extend(
                        ctx.placement_interns(&group)
                            .iter()
                            .filter(|o| **o != me)
                            .cloned(),
                    );
                }
                ids
            })
            .contains(&reg.person(p.person).id.to_string())
    };
    // the retentions the run itself finds, by the registers and SI months, in a year whose rate
    // reaches the minimum, that `keep` keeps: by intern, the placements they are for
    let retentions = |keep: &dyn Fn(&InternshipRow) -> bool| {
        let mut by: FxHashMap<u32, Vec<&str>> = FxHashMap::default();
        for j in judged.iter().filter(|j| j.rate_reached()) {
            for (p, _, confirmed) in &j.retained {
                if *confirmed && keep(p) {
                    by.entry(p.person).or_default().push(&p.placement_id);
                }
            }
        }
        by
    };
    // whether intern ID `o` has a retention of `by` for a placement other than `pl`
    let elsewhere = |by: &FxHashMap<u32, Vec<&str>>, o: &str, pl: &str| {
        reg.person_by_id(o)
            .and_then(|x| by.get(&x))
            .is_some_and(|pls| pls.iter().any(|q| *q != pl))
    };
    let by_test = retentions(&|_| true);
    let retained_elsewhere = |o: &str, pl: &str| elsewhere(&by_test, o, pl);
    // an intern's own retentions: not a placement whose award an earlier run paid under yet
    // another ID that has no retention of its own elsewhere (a regression review: A's own
    // retention, paid under C, taken for the award paid under A, and B paid a third time; a
    // second: C retained elsewhere, whose award was C's own, took A's placement away)
    let own =
        retentions(&|p| !awards_under_others(p).any(|o| !retained_elsewhere(o, &p.placement_id)));
    // the retained interns whose one award an earlier run paid under another intern ID of their
    // placement — unless this run finds that ID retained from a placement of its own: its award
    // was then its own (a regression review found the owed award refused). Three rounds of
    // exemptions by the roster's word — no placement at the host, a contract with a host of
    // theirs, outcome `retained` — each paid twice or refused an owed award in review: the run's
    // own test decides. By intern, with the earlier ID and the placement: the award is once per
    // intern, so none of the intern's other host-years is paid either (a regression review found
    // a second host paid)
    let mut already: FxHashMap<u32, (String, &str)> = FxHashMap::default();
    for j in judged.iter().filter(|j| j.rate_reached()) {
        for (p, _, _) in &j.retained {
            if already.contains_key(&p.person) || awarded(p) {
                continue;
            }
            let Some(o) = awards_under_others(p).next().cloned() else {
                continue;
            };
            if !elsewhere(&own, &o, &p.placement_id) {
                already.insert(p.person, (o, &p.placement_id));
            }
        }
    }
    // each retained intern's first (year, host) group whose rate is reached: of the year, the
    // host that retained the intern first (the earliest start of the contract that confirms it;
    // then the order the groups are judged) — the one award (“3000元/人, 一次性”) is that host's,
    // and a later host retaining the same intern is told so (a cold review found it dropped
    // without a word; a review found the award paid to the host of the smaller credit code, the
    // row saying it “retained the intern first”)
    // (by intern: the group's rank — year, contract start, judged order — and its host)
    let mut first: FxHashMap<u32, ((i32, Date, usize), u32)> = FxHashMap::default();
    for (k, j) in judged.iter().enumerate().filter(|(_, j)| j.rate_reached()) {
        for (p, line, _) in &j.retained {
            let since = line
                .and_then(|l| reg.employment_of(p.person).find(|e| e.line == l))
                .map_or(Date::MAX, |e| e.contract_start);
            let rank = (j.year, since, k);
            if first.get(&p.person).is_none_or(|(r, _)| rank < *r) {
                first.insert(p.person, (rank, j.host));
            }
        }
    }
    let first_group: FxHashMap<u32, (i32, u32)> = first
        .into_iter()
        .map(|(person, ((year, _, _), host))| (person, (year, host)))
        .collect();
    // the rows about placements that left before their planned end (not of an intern another
    // placement at the host counts for the year; an award paid on one is reviewed — unless the
    // intern's one award is owed at this host on another year's rate, by a placement there that
    // ran its term: a regression review found it reviewed for recovery)
    for (key, p, said, award, ends) in left_rows {
        if counted_at.contains(&key) {
            continue;
        }
        // (an award that stands at this host on another year's rate is not this row's: the
        // row says only that the placement is out of its year's rate)
        let paid = award.is_some();
        let award = award.filter(|_| {
            !first_group
                .get(&p.person)
                .is_some_and(|&(y, h)| h == key.1 && y != key.0)
        });
        // (a `left_early` row is said here only for the review of an award paid on it)
        if ends && paid && award.is_none() && p.outcome == PlacementOutcome::LeftEarly {
            continue;
        }
        let said = if ends {
            left_said(said, key.0, award.as_deref())
        } else {
            said
        };
        let x = Exception::new(
            if award.is_some() {
                Code::RetentionAwardReview
            } else {
                Code::RetentionLeftEarly
            },
            said,
        )
        .at("internships.csv", p.line)
        .programme(RETENTION)
        .person(reg.person(p.person).id)
        .employer(reg.employer(p.host).id);
        out.exceptions.push(match award {
            Some(_) => {
                let on = Date::from_ymd_opt(key.0, 12, 31).unwrap_or(ctx.payout.last_day());
                let amount = ctx.params.at_or_first("internship_retention.amount", on)?;
                x.amount(Money::round(amount.value))
            }
            None => x,
        });
    }
    for j in judged {
        let reached = j.rate_reached();
        let Judged {
            year,
            host,
            finished,
            retained,
            rate,
            years,
            min_si,
            params: [yr, sr, rate_min, amount],
        } = j;
        let h = reg.employer(host);
        // a row about retained intern `p` at this host
        let about = |p: &InternshipRow, code: Code, message: String| {
            Exception::new(code, message)
                .at("internships.csv", p.line)
                .programme(RETENTION)
                .person(reg.person(p.person).id)
                .employer(h.id)
        };
        if !reached {
            for (p, _, _) in &retained {
                let said = format!(
                    "{year}: {} of {} interns who finished at this host were retained ({:.0} %), below {} %",
                    retained.len(),
                    finished.len(),
                    rate * Decimal::ONE_HUNDRED,
                    rate_min.value * Decimal::ONE_HUNDRED
                );
                // an award an earlier run paid on a rate a later roster no longer gives (a late
                // finisher added to the year): to review for recovery, with its amount — until
                // 2026-12-02 the row said only the rate, as if nothing had been paid (a cold
                // review)
                // (the line paid to this host: a retry's, where the first failed — a
                // regression review found the failed line's id quoted)
                // (the award paid to this host whatever the year it was paid on — a correction
                // may have moved the placement's year —, unless the intern's one award stands
                // at this host on another year's rate: a regression review found an owed award
                // put up for recovery)
                let stands_elsewhere = first_group
                    .get(&p.person)
                    .is_some_and(|&(y, h2)| h2 == host && y != year);
                if let Some(key) = award_line_of(p, host, true).filter(|_| !stands_elsewhere) {
                    out.exceptions.push(
                        about(
                            p,
                            Code::RetentionAwardReview,
                            format!(
                                "{said}: the retention award an earlier run paid this host for this intern ({key}) rests on a rate the roster no longer gives — review; recover it if the roster stands"
                            ),
                        )
                        .amount(Money::round(amount.value)),
                    );
                    continue;
                }
                out.exceptions
                    .push(about(p, Code::RetentionRateBelowMinimum, said));
            }
            continue;
        }
        let n = retained.len();
        for (p, contract_line, _) in retained {
            let payee = Payee::Employer(host);
            let id = |seq: u32| award_id(ctx, p.person, seq);
            let key = id(0);
            // (a later host retaining an intern whose award went to the first: said)
            let second = |what: String| {
                about(
                    p,
                    Code::RetentionAlreadyAwarded,
                    format!(
                        "placement {}: this intern's one award (“3000元/人, 一次性”: once per intern) {what}: not paid to this host",
                        p.placement_id
                    ),
                )
                .amount(Money::round(amount.value))
            };
            if awarded(p) && !matches!(ctx.history.seen(&key), Seen::Failed(_)) {
                // awarded by an earlier run (an earlier build's key included): to another host,
                // named (the payee of the award's line) — unless a placement of another intern
                // in this roster paid its intern-months under this intern's ID (a corrected
                // person_id: the award under this ID may be that placement's, `already`)
                if !award_here(p, host) && !under_my_id(p) {
                    // (to this host on another year's rate: said so, not as another host's — a
                    // regression review found the row name this host as the other)
                    let here = h.id.to_string();
                    let paid_here = payees(p)
                        .and_then(|v| v.iter().find(|(c, _, _)| *c == here))
                        .map(|(_, line, _)| line);
                    out.exceptions.push(match paid_here {
                        Some(line) => about(
                            p,
                            Code::RetentionAlreadyAwarded,
                            format!(
                                "placement {}: this intern's one award (“3000元/人, 一次性”: once per intern) was paid by an earlier run to this host, on another year's rate (line {line}): not paid again",
                                p.placement_id
                            ),
                        )
                        .amount(Money::round(amount.value)),
                        None => {
                            let to = payees(p).map_or("another host".to_string(), |v| {
                                let hosts: Vec<&str> =
                                    v.iter().map(|(c, _, _)| c.as_str()).collect();
                                format!("host {}", hosts.join(", "))
                            });
                            second(format!("was paid by an earlier run to {to}"))
                        }
                    });
                }
                continue;
            }
            // the intern's one award paid by an earlier run under another intern ID (`already`):
            // not paid again, here or at another host, but said with its amount
            if let Some((o, pl)) = already.get(&p.person) {
                let what = if *pl == p.placement_id.as_str() {
                    format!(
                        "placement {pl}: an earlier run paid this placement's intern-months under intern {o} and that intern's retention award ({})",
                        award_id_of(ctx, "", o, 0)
                    )
                } else {
                    format!(
                        "placement {}: this intern's one award (“3000元/人, 一次性”) was paid by an earlier run under intern {o} for placement {pl} ({})",
                        p.placement_id,
                        award_id_of(ctx, "", o, 0)
                    )
                };
                out.exceptions.push(
                    about(
                        p,
                        Code::RetentionAlreadyAwarded,
                        format!(
                            "{what}, and this run finds {o} retained from no placement of their own whose award is not paid: not paid again (the roster's person_id corrected since?); review if {o}'s award was for a retention this extract no longer shows"
                        ),
                    )
                    .amount(Money::round(amount.value)),
                );
                continue;
            }
            let Some((seq, retry)) = due(ctx, &key, true) else {
                continue; // awarded by an earlier run
            };
            // once per intern in this run too: a second host (or year) retaining the same
            // person in this run — the first group (`first_group`) is paid
            let first = first_group.get(&p.person).copied();
            if first.is_some_and(|g| g != (year, host)) || !awarded_now.insert(p.person) {
                // (another host only: the same host's later year is its own award's)
                if let Some((y0, h0)) = first.filter(|g| g.1 != host) {
                    out.exceptions.push(second(format!(
                        "goes in this run to host {} for {y0}, which retained the intern first",
                        reg.employer(h0).id
                    )));
                }
                continue;
            }
            if let Some(reason) = retry {
                out.exceptions.push(
                    about(
                        p,
                        Code::PaymentRetry,
                        format!("the earlier award was returned as failed by the bank ({reason}): paid again"),
                    )
                    .amount(Money::round(amount.value))
                    .for_line(&id(seq)),
                );
            }
            out.payments.push(Payment {
                reference: String::new(),
                payment_id: id(seq),
                month_key: key,
                si_basis: [0; 5],
                row_fp: 0,
                // (the year whose rate the award is paid on: a later run tells one year's
                // award from another's by it — `History::retention_payees`)
                limit_group: format!("{RETENTION}/{year}"),
                programme: RETENTION,
                clause: ctx.clause(RETENTION),
                service_month: None,
                payee,
                beneficiary: Party::Person(p.person),
                amount: Money::round(amount.value),
                basis: format!(
                    "{year}: {n} of {} finished interns retained = {:.2} ≥ {}; {} yuan per retained intern, once",
                    finished.len(),
                    rate.round_dp(2),
                    rate_min.value,
                    amount.value
                ),
                eligibility: format!(
                    "placement {} ended {}; labour contract ≥ {years} year with the host and SI at the host ≥ {min_si} months",
                    p.placement_id,
                    placement_end(p)
                ),
                params: vec![yr.clone(), sr.clone(), rate_min.clone(), amount.clone()].into(),
                // (and the contract that confirms the retention: a cold audit; and the year's
                // other finished placements, the rate's denominator — a second found the rate
                // not recomputable from the line)
                // (the SI months earlier runs' extracts showed first, each “… of the 2018-09
                // run's extract” set apart by ` + ` from what follows — the rows it speaks of
                // end there, ARCHITECTURE.md —, then this run's rows)
                sources: earlier_si
                    .get(&p.line)
                    .map(|c| [c.join(" + "), "+".to_string()])
                    .into_iter()
                    .flatten()
                    .chain(std::iter::once(format!("internships.csv:{}", p.line)))
                    .chain(contract_line.map(|l| format!("employment.csv:{l}")))
                    .chain(
                        finished
                            .iter()
                            .filter(|&&l| l != p.line)
                            .map(|l| format!("internships.csv:{l}")),
                    )
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// The end of a RETENTION_LEFT_EARLY row about a placement that left before its planned end
/// (`said`), or, where an earlier run paid the intern's award on it (`award`), a
/// RETENTION_AWARD_REVIEW row's: the roster no longer gives the term that award rests on.
fn left_said(said: String, year: i32, award: Option<&str>) -> String {
    match award {
        None => format!("{said}, so not in the host's retention rate of {year}, nor awarded for it"),
        Some(line) => format!(
            "{said}: the retention award an earlier run paid this host for this intern ({line}) rests on a term the roster no longer gives — review; recover it if the roster stands"
        ),
    }
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
