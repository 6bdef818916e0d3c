//! Rows the ledger keeps from earlier extracts: SI paid after a payout month (`late_rows`,
//! `paid_late_before`) and the months a programme paying only months paid in full withheld
//! (`withheld_in_full`, `rows_of_withheld`).

use super::*;

/// The employer SI rows of the joined pairs for service months up to the payout month that were
/// paid after it (`SI_PAID_AFTER_PAYOUT_MONTH`: “a later run pays the month”), for the ledger: a
/// later run's extract may hold only newer rows (INPUTS.md: 补缴 “arrive in later extracts”),
/// and the month must still be paid then (OUTPUTS.md: “late payments … are paid in the next
/// run”). The same of a flexible worker's own rows, for the flexible driver (its pairs name
/// `si::FLEXIBLE`; the rows are kept with an empty employer code).
/// Rows of a later service month already paid (paid in advance) are kept too, for the run of
/// their month.
/// A row an earlier run kept that this extract holds again is recorded as this extract shows it
/// (paid in time, unpaid, paid late): the latest sighting stands (a review found a row kept as
/// paid late, then shown unpaid by the next extract, paid by the one after from the memory).
pub(in crate::programmes) fn late_rows(
    ctx: &Ctx,
    pairs: &[(u32, u32)],
    kept: &[Kept],
    withheld: &[(u32, u32, Month)],
) -> Vec<crate::ledger::LateSeen> {
    let reg = &ctx.inputs.registers;
    let end = ctx.payout.last_day();
    // (the months with a row paid late: every row of them is kept — the month is made whole
    // from them by a later run whose extract no longer holds it; a regression review found a
    // 足额 month paid on its late row alone, 20.00 of 960.00, after a start corrected earlier
    // made it qualify, its rows paid in time not kept)
    let mut late_months: Vec<(u32, u32, Month)> = ctx
        .inputs
        .contributions
        .par_iter()
        .filter(|c| c.period <= ctx.payout && c.paid_on.is_some_and(|d| d > end))
        .map(|c| (c.person, c.employer.unwrap_or(si::FLEXIBLE), c.period))
        .collect();
    late_months.sort_unstable();
    late_months.dedup();
    let late_months = &late_months;
    ctx.inputs
        .contributions
        .par_iter()
        .filter_map(|c| {
            let e = c.employer.unwrap_or(si::FLEXIBLE);
            let late = c.paid_on.is_some_and(|d| d > end);
            // (a kept row seen again is recorded when the sighting changed: its payment date or
            // amount — an unpaid row, a correction; the same row seen paid on the same day is
            // not written again)
            let sighting = kept_as(kept, ctx.payout, c);
            let again = sighting == Some(false);
            // (a row of a month with a row paid late, kept beside it unless kept as it stands)
            let beside_late = !late_months.is_empty()
                && sighting != Some(true)
                && late_months.binary_search(&(c.person, e, c.period)).is_ok();
            // (a row of a later service month paid already — a flexible worker's months paid
            // at once, an employer's next month paid early —: kept for the run of its month,
            // whose extract may hold only newer rows; a cold review found such months lost.
            // Kept once: a cumulative extract's same sighting is not written again)
            let advance = c.period > ctx.payout && c.paid_on.is_some() && sighting != Some(true);
            // (every row of a month a 足额 programme withholds: the run that sees its last
            // row paid pays the month whole, from the rows this extract held if the next holds
            // that row alone)
            // — but a row owing nothing (0.00 and 0.00) is no part of what the month waits on:
            // remembered, it would hold the month for good once a window no longer holds it
            // (the ledger keeps the employer share alone; a regression review))
            let whole = !withheld.is_empty()
                && withheld.binary_search(&(c.person, e, c.period)).is_ok()
                && (c.employer_cents > 0 || c.personal_cents > 0);
            ((c.period <= ctx.payout && (late || again || whole || beside_late) || advance)
                && pairs.binary_search(&(c.person, e)).is_ok())
            .then(|| late_seen(reg, c))
        })
        .collect()
}

/// The contribution rows that lines withheld by this run rest on (no usable account, a name
/// the bank file cannot carry), as the ledger keeps them (`si_late_seen`): a later run whose
/// extract no longer holds the month — a window of recent rows — makes it from them and pays
/// it once the payee is in order, judged again (limits, registers) as any month. Rows an
/// earlier run kept as they stand are left out. `sources` are the lines' `sources` texts
/// (`employment.csv:5 contributions.csv:12-16`); a row cited from an earlier run's extract
/// (`… of the 2018-09 run's extract`) is in the memory already. (Until 2026-12-03 such a month
/// was paid only when an extract carried it again: a cold review.)
pub fn rows_of_withheld<'a>(
    ctx: &Ctx,
    sources: impl Iterator<Item = &'a str>,
) -> Vec<crate::ledger::LateSeen> {
    use rayon::prelude::*;
    let wanted: rustc_hash::FxHashSet<u32> = sources.flat_map(si::this_extracts_lines).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let reg = &ctx.inputs.registers;
    let mut kept: Vec<&crate::ingest::records::ContributionRow> = ctx
        .inputs
        .contributions
        .par_iter()
        .filter(|c| wanted.contains(&c.line))
        .collect();
    kept.sort_unstable_by_key(|c| c.line);
    kept.into_iter()
        .map(|c| late_seen(reg, c))
        .filter(|k| !kept_unchanged(ctx, k))
        .collect()
}

/// This extract's rows of month `m` as the ledger keeps them (`si_late_seen`), but those an
/// earlier run kept as they stand (`kept_unchanged`).
pub(in crate::programmes) fn month_rows_to_keep<'a>(
    ctx: &'a Ctx,
    m: &'a SiMonth,
) -> impl Iterator<Item = crate::ledger::LateSeen> + 'a {
    m.own_rows(&ctx.inputs.contributions)
        .map(|c| late_seen(&ctx.inputs.registers, c))
        .filter(|k| !kept_unchanged(ctx, k))
}

/// Whether an earlier run of the memory's year kept row `k` as it stands (same payment date and
/// amount) and the next run still sees that keep: not kept again (a cumulative extract brings
/// it every month). A keep about to leave the memory's year is renewed (`renewed`).
pub(super) fn kept_unchanged(ctx: &Ctx, k: &crate::ledger::LateSeen) -> bool {
    let key = (k.person_id.clone(), k.employer_id.clone(), k.period);
    ctx.history
        .si_late_seen
        .get(&key)
        .and_then(|rows| rows[k.insurance as usize].as_ref())
        .is_some_and(|r| r.cents == k.cents && r.paid_on == k.paid_on && !renewed(ctx.payout, r))
}

/// Whether kept row `r` is seen for the last time by a run of `payout`: the ledger gives a run
/// the rows the twelve payout months before it kept (`Ledger::si_late_seen`), so the keep of
/// the twelfth month before is gone for the next run. A row seen again as it stands is kept
/// again then, once a year: an extract that holds it for more than a year (a window of 13+
/// months) and then drops it no longer loses it for a contract registered after (two
/// contract-only reviews, 2026-12-05, found such months lost); keeping every sighting grew the
/// ledger every run.
pub(super) fn renewed(payout: crate::domain::Month, r: &crate::ledger::LateRow) -> bool {
    r.run.index() + 12 <= payout.index()
}

/// How the rows earlier runs kept (`kept`) have row `c`: `None` not at all, `Some(true)` with
/// the same sighting (payment date and amount) that the next run still sees, `Some(false)`
/// with another — or with the same, kept twelve payout months before `payout` (`renewed`).
pub(in crate::programmes) fn kept_as(
    kept: &[Kept],
    payout: crate::domain::Month,
    c: &crate::ingest::records::ContributionRow,
) -> Option<bool> {
    let e = c.employer.unwrap_or(si::FLEXIBLE);
    kept.binary_search_by_key(&(c.person, e, c.period), |(k, _)| *k)
        .ok()
        .and_then(|i| kept[i].1[c.insurance as usize])
        .map(|r| r.paid_on == c.paid_on && r.cents == si::due_of(c) && !renewed(payout, &r))
}

/// Contribution row `c` as the ledger keeps it (`si_late_seen`; a flexible worker's own row
/// with an empty employer code).
pub(in crate::programmes) fn late_seen(
    reg: &crate::registers::Registers,
    c: &crate::ingest::records::ContributionRow,
) -> crate::ledger::LateSeen {
    crate::ledger::LateSeen {
        person_id: reg.person(c.person).id.to_string(),
        employer_id: c
            .employer
            .map(|e| reg.employer(e).id.to_string())
            .unwrap_or_default(),
        period: c.period,
        insurance: c.insurance,
        cents: si::due_of(c),
        paid_on: c.paid_on,
        line: c.line,
    }
}

/// The (person, employer, service month) keys, sorted, of the months a programme paying only
/// months paid in full (`paid_in_full_only`: Jiangyin （十一）“足额缴纳”) waits on — an insurance
/// unpaid or paid after the payout month, or rows of one insurance that differ — for a pair with
/// a contract that programme qualifies.
/// Their rows are kept in the ledger (`late_rows`): an extract of recent months that brings the
/// late row alone completes the month from them (a cold review found such a month paid on its
/// late row alone, 20.00 of 980.00).
pub(super) fn withheld_in_full(
    ctx: &Ctx,
    progs: &[&dyn HireProgramme],
    judged: &Judged,
    months: &[SiMonth],
) -> Vec<(u32, u32, Month)> {
    let full: Vec<usize> = (0..progs.len())
        .filter(|&k| progs[k].paid_in_full_only())
        .collect();
    if full.is_empty() {
        return Vec::new();
    }
    let (reg, disputed, unreadable) = (
        &ctx.inputs.registers,
        &ctx.inputs.disputed,
        &ctx.inputs.unreadable,
    );
    let end = ctx.payout.last_day();
    let mut pairs: Vec<(u32, u32)> = reg
        .employment
        .iter()
        .enumerate()
        .filter(|(i, _)| full.iter().any(|&k| judged[k][*i].is_ok()))
        .map(|(_, e)| (e.person, e.employer))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut keys: Vec<(u32, u32, Month)> = months
        .iter()
        .filter_map(|m| Some((m, (m.person, m.employer?, m.period))))
        .filter(|(m, k)| {
            m.short_of_full(&ctx.inputs.contributions, end).is_some()
                || disputed.binary_search(k).is_ok()
                || unreadable.binary_search(k).is_ok()
        })
        .map(|(_, k)| k)
        .filter(|(p, e, _)| pairs.binary_search(&(*p, *e)).is_ok())
        .collect();
    keys.sort_unstable();
    keys
}

/// (person, employer, service month) and the latest sightings of its five insurances
pub(in crate::programmes) type Kept = ((u32, u32, Month), [Option<crate::ledger::LateRow>; 5]);

/// The rows earlier runs kept (`si_late_seen`) whose person and employer the registers hold
/// (a flexible worker's own rows, kept with an empty employer code, as `si::FLEXIBLE`), sorted by
/// (person, employer, service month).
pub(in crate::programmes) fn kept_rows(ctx: &Ctx) -> Vec<Kept> {
    let reg = &ctx.inputs.registers;
    let mut v: Vec<_> = ctx
        .history
        .si_late_seen
        .iter()
        .filter_map(|((pid, eid, period), rows)| {
            let (person, employer) = if eid.is_empty() {
                (reg.person_by_id(pid)?, si::FLEXIBLE)
            } else {
                reg.person_and_employer(pid, eid)?
            };
            Some(((person, employer, *period), *rows))
        })
        .collect();
    v.sort_unstable_by_key(|(k, _)| *k);
    v
}

/// Completes the months with the employer SI rows earlier runs saw paid after their payout
/// month (`si_late_seen`), for an insurance this extract has no row of, when paid by the end of
/// this payout month: a month this extract does not hold at all is made from them. A row in
/// this extract, paid or not, always stands. The rows are marked `remembered`, the month's
/// `earlier` names the run and lines they come from. (Until 2026-12-02 such a month, its row
/// paid on the first day after the payout month and absent from the next extract, was never
/// paid: a cold review of OUTPUTS.md; until 2026-12-03 so was a flexible worker's month, which
/// the flexible driver completes here too.)
pub(in crate::programmes) fn paid_late_before(
    ctx: &Ctx,
    pairs: &[(u32, u32)],
    kept: &[Kept],
    months: &mut Vec<SiMonth>,
) {
    let end = ctx.payout.last_day();
    let order = |m: &SiMonth| (m.person, m.period, m.employer.unwrap_or(si::FLEXIBLE));
    let mut made: Vec<SiMonth> = Vec::new();
    // a month whose withheld or failed line an analyst acknowledged as not owed is paid again
    // only when an extract carries it again (CLI.md): not made from the kept rows — made, it
    // took a month of the limit before the run dropped its line (a review: a graduate's 24th
    // month refused `DURATION_LIMIT_REACHED` for an acknowledged one)
    // — unless a later run made a line of the month that is open and not acknowledged
    // (`History::acknowledged_holds`)
    let reg = &ctx.inputs.registers;
    let acknowledged: rustc_hash::FxHashSet<(u32, u32, Month)> = ctx
        .history
        .acknowledged_holds()
        .into_iter()
        .filter_map(|h| {
            let period = Month::parse(&h.service_month).ok()?;
            let (person, employer) = match h.payee_kind.as_str() {
                "employer" => reg.person_and_employer(&h.beneficiary_id, &h.payee_id)?,
                _ => (reg.person_by_id(&h.beneficiary_id)?, si::FLEXIBLE),
            };
            Some((person, employer, period))
        })
        .collect();
    let wanted = |&&((person, employer, period), _): &&Kept| {
        period <= ctx.payout && pairs.binary_search(&(person, employer)).is_ok()
    };
    // a month this extract does not hold for the pair, but holds for the person under another
    // employer with the same rows — each kept row's insurance and amount: this extract's word
    // on who paid it (an employer code corrected since), and the kept rows are not used — a
    // differential review found a month paid to the old code from kept rows while the extract
    // showed them under the new one; a second job's own rows do not, below. The (person,
    // month) → rows of the extract, for those months only.
    let mut asked = vec![false; reg.persons.len()];
    for &((person, employer, period), _) in kept.iter().filter(wanted) {
        if employer != si::FLEXIBLE
            && months
                .binary_search_by_key(&(person, period, employer), order)
                .is_err()
        {
            asked[person as usize] = true;
        }
    }
    type Shown = (u32, usize, i64, Option<Date>);
    let mut elsewhere: FxHashMap<(u32, Month), Vec<Shown>> = FxHashMap::default();
    if asked.contains(&true) {
        for c in &ctx.inputs.contributions {
            let Some(e) = c.employer.filter(|_| asked[c.person as usize]) else {
                continue;
            };
            elsewhere.entry((c.person, c.period)).or_default().push((
                e,
                c.insurance as usize,
                si::due_of(c),
                c.paid_on,
            ));
        }
    }
    for &((person, employer, period), rows) in kept.iter().filter(wanted) {
        let mut new = SiMonth {
            person,
            employer: Some(employer).filter(|e| *e != si::FLEXIBLE),
            period,
            paid: [0; 5],
            paid_mask: 0,
            present: 0,
            unpaid: 0,
            late: 0,
            late_mask: 0,
            first_line: 0,
            last_line: 0,
            lines: None,
            paid_lines: None,
            unpaid_line: 0,
            late_line: 0,
            remembered: 0,
            earlier: None,
        };
        let at = months.binary_search_by_key(&order(&new), order);
        // (the month as a whole: every kept row of it found under one other employer with its
        // amount — and its day paid, unless the registers show no contract of that employer
        // with the person in the month: a corrected extract may re-date the payment, while a
        // registered second job paying the same amounts on its own day is a job of its own; a
        // month is paid on all its insurances or none — regression reviews found one insurance
        // paid alone, a re-dated month paid to the old code, a second job hiding a late month)
        let registered = |other: u32| {
            reg.employment_of(person)
                .any(|e| e.employer == other && e.in_force_in(period))
        };
        let shown_elsewhere = at.is_err()
            && employer != si::FLEXIBLE
            && elsewhere.get(&(person, period)).is_some_and(|v| {
                v.iter().any(|&(other, _, _, _)| {
                    let same_day = registered(other);
                    other != employer
                        && rows.iter().enumerate().all(|(i, row)| {
                            row.as_ref().is_none_or(|row| {
                                v.iter().any(|&(e, ins, cents, paid_on)| {
                                    e == other
                                        && ins == i
                                        && cents == row.cents
                                        && (!same_day || paid_on == row.paid_on)
                                })
                            })
                        })
                })
            });
        if shown_elsewhere {
            continue;
        }
        let m = match at {
            Ok(i) => &mut months[i],
            Err(_) => &mut new,
        };
        for (i, row) in rows.iter().enumerate() {
            let Some(row) = row else {
                continue;
            };
            let bit = 1u8 << i;
            if m.present & bit != 0 {
                continue; // a row in this extract stands
            }
            // (seen unpaid by the latest sighting, or paid after this payout month: not now —
            // and the month is not paid in full: a 足额 programme waits on it; until 2026-12-02
            // such a row was left out, and a month withheld for it read as complete)
            // (the month's source names the rows paid, as the basis sums them)
            match row.paid_on {
                Some(d) if d <= end => {
                    m.paid_mask |= bit;
                    m.paid[i] += row.cents;
                    // (line 0: a failed line's row, kept from its basis by `reconcile`)
                    m.earlier.get_or_insert_with(Default::default)[i] = Some((row.run, row.line));
                }
                Some(_) => {
                    m.late += row.cents;
                    m.late_mask |= bit;
                }
                None => m.unpaid += row.cents,
            }
            m.present |= bit;
            m.remembered |= bit;
        }
        // a month this extract does not hold, made from earlier rows paid by now: its lines
        // are those rows'
        if at.is_err() && !acknowledged.contains(&(person, employer, period)) {
            if let Some((_, a, b, _)) = new.earlier_span() {
                new.first_line = a;
                new.last_line = b;
                made.push(new);
            }
        }
    }
    if !made.is_empty() {
        months.extend(made);
        months.sort_unstable_by_key(order);
    }
}
