//! Placements an earlier run's roster listed that this roster no longer does: their months
//! paid before, looked at again (`dropped_rows_months`), and the roster's placements for the
//! ledger (`listed_placements`).

use super::*;

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
pub(super) fn dropped_rows_months<'h>(
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
pub(super) fn listed_placements(ctx: &Ctx) -> Vec<crate::ledger::InternPlacement> {
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
