//! `internship_base` and `internship_mentor`: a placement's intern-months, priced at the
//! share of the month's minimum wage, held where the stipend, an overlap or employment says so
//! (`placement_months`: its months walked in order — `Walk::place`, which of the placement's
//! months one is; `Walk::due_lines`, what earlier runs left to pay; `Walk::month`, priced,
//! kept by another placement, limited, held or paid), and the months earlier runs paid that
//! the roster no longer makes due (`not_due_why`).

use super::*;
use std::ops::ControlFlow;

/// The share of the minimum wage in force on `day` (`internship_base.share`), on no day before
/// the document takes effect (`programmes::standard_under`) — or before the day from which the
/// pipeline prices placements under an earlier standard its document cites, where it declares
/// one (`EARLIER_STANDARD`: Jiangyin's “由原来……50%”, from 2017-07-01; POLICY.md). A share a
/// bureau publishes (Songyuan's, Jinan's 一定标准) dated before the document prices no month
/// before it (since 2026-12-07: a cold review found a Songyuan standard dated 2018-01-01 paying
/// February and March 2018, before the document of 04-13; a first version bounded by the
/// internship limit's date, which a bureau dating its own term moves — a review).
pub(super) fn base_share(ctx: &Ctx, day: Date) -> Result<ParamRef, ParamError> {
    // (the earlier of the two declared; the document's on a tie)
    let bound = [super::super::DOCUMENT, EARLIER_STANDARD]
        .into_iter()
        .filter_map(|n| ctx.params.first_from(n).map(|d| (n, d)))
        .min_by_key(|&(_, d)| d);
    super::super::standard_from(ctx.params, "internship_base.share", day, bound)
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
pub(super) fn pricing_day(ctx: &Ctx, m: Month, (from, end): (Date, Date), min_days: i64) -> Date {
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
pub(super) fn counts(m: Month, days: i64, min_days: i64) -> bool {
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
pub(in crate::programmes) fn not_due_since(ctx: &Ctx, out: &mut Outcome) {
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
            let (own, employed) = (
                not_due_group(month),
                super::super::hire::intern_employed(month),
            );
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
pub(super) const NOT_DUE: &str = "intern_not_due";

/// `NOT_DUE`'s group for month `m`.
pub(super) fn not_due_group(m: Month) -> String {
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
pub(super) fn not_due_why(
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
pub(in crate::programmes) fn still_not_due(
    ctx: &Ctx,
    person: u32,
    pid: &str,
    month: Month,
) -> bool {
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
pub(super) const INSURED_ELSEWHERE: &str = "intern_insured_elsewhere";

/// `INSURED_ELSEWHERE`'s group for month `m`.
pub(super) fn insured_elsewhere_group(m: Month) -> String {
    format!("{INSURED_ELSEWHERE}/{m}")
}

/// Whether placement `q` takes the person's intern-month `month` when it meets another
/// placement there (a hand-over month goes to the earlier): it covers the month's
/// `internship.part_month_min_days`, the intern was eligible at its start, and its stipend
/// reaches the floor where the pipeline sets one — a placement refused or held for these
/// takes nothing (two reviews: a held or ineligible earlier placement refused the later one's
/// mentor line, and aimed INTERN_MONTH_EMPLOYED at a host paid nothing). (Other holds — an
/// overlap, employment in the month — are not looked at here.)
pub(in crate::programmes) fn takes_month(ctx: &Ctx, q: &InternshipRow, month: Month) -> bool {
    covers_month(ctx, q, month) && is_eligible(ctx, q)
}

/// `takes_month` but for the intern's eligibility (which a later extract's employment changes).
pub(in crate::programmes) fn covers_month(ctx: &Ctx, q: &InternshipRow, month: Month) -> bool {
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
pub(super) fn other_intern_month<'c>(
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

/// The placement id of an intern-month limit group (`internship_base/<placement id>`).
pub(super) fn placement_of_group(g: &str) -> Option<&str> {
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
pub(super) fn listed_now<'c>(ctx: &Ctx<'c>) -> FxHashSet<&'c str> {
    ctx.inputs
        .internships
        .iter()
        .map(|p| p.placement_id.as_str())
        .collect()
}

/// The months earlier runs paid intern `pid` under a placement, at any host, that this roster
/// lists under no intern, whose days (as an earlier roster gave them) share no day of the month
/// with `p`'s: hand-over months that placement kept.
pub(super) fn handed_elsewhere(
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
pub(super) fn placement_months(
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
    let pl = Placement {
        ctx,
        i,
        p,
        by_person,
        person: person.id,
        host: host.id,
        pid: person.id.to_string(),
    };
    // an intern is no mentor of their own (带教老师 teach the 见习学员): the months are paid, the
    // mentor line is not (a review found the intern paid 150 a month for mentoring themself)
    let own_mentor = p.mentor == Some(person.id);
    pl.roster_contradictions(own_mentor && mentor, &mut out);
    let (why, mut elig_params, from) = match eligible(ctx, p).map_err(err)? {
        Ok(w) => w,
        Err(why) => {
            out.exceptions.push(pl.row(
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
    // (lines keep the placement in their limit group: the year's limit counts the placement's
    // own intern-months, earlier runs' included — issue 4 “at most 12 per placement”, （九）
    // “见习期限……最长不超过1年” the term of a placement; until 2026-12-03 the months of all the
    // person's placements were counted together, a reading of neither: a cold review)
    let limit_group = format!("{BASE}/{}", p.placement_id);
    // what the placement's limit counts before its months in this run, and the months other
    // placements keep
    let before = pl.before(listed_now, &limit_group, taken);
    let stop = Month::of(end).min(ctx.payout);
    // (a placement with no intern-month at all: said)
    if base {
        pl.no_intern_month(min_days, &mut out);
    }
    let mut w = Walk {
        pl: &pl,
        declared,
        lines: (base, mentor),
        own_mentor,
        eligibility: (why, elig_params, from),
        dates: (start, end, from_day),
        max,
        min_days,
        lasts: months_long(start, end, i64::from(min_days)),
        limit_group,
        count: before.earlier_runs,
        before,
        out,
        nth: 0,
        from_other_interns: 0,
    };
    let mut m = Month::of(start);
    while m <= stop {
        if let Step::Stop = w.month(m, taken)? {
            break;
        }
        m = m.next();
    }
    Ok(w.out)
}

/// Where a placement's walk goes after a month.
enum Step {
    /// on to the next month
    Next,
    /// the placement has no more intern-months (a last part month beyond its length)
    Stop,
}

/// A placement's months walked in order (`placement_months`): what each month reads, and what
/// the walk counts.
struct Walk<'a> {
    pl: &'a Placement<'a>,
    declared: &'a Declared,
    /// the lines wanted: the intern-month's (`internship_base`), the mentor's
    lines: (bool, bool),
    /// the intern is named their own mentor (no mentor line)
    own_mentor: bool,
    /// why the intern qualifies, the conditions cited, and the intern's group's first day
    eligibility: Eligibility,
    /// the placement's first and last days, and the first day it is an internship under the
    /// rules (the intern's group's)
    dates: (Date, Date, Date),
    /// the placement's limit of intern-months, and the days of a month that make one
    max: i32,
    min_days: i32,
    /// how many intern-months the placement lasts
    lasts: u32,
    limit_group: String,
    /// what the placement's limit counts before its months in this run
    before: Before<'a>,
    out: Outcome,
    /// the intern-months counted against the limit so far
    count: u32,
    /// the placement's intern-months so far
    nth: u32,
    /// months paid for this placement under another intern's ID (counted against its limit)
    from_other_interns: u32,
}

/// How an intern-month stands among the person's placements (`Walk::place`).
#[derive(Clone, Copy)]
struct Place {
    /// an earlier placement of the person keeps the month (in this run; by an earlier run's
    /// line, a hand-over; or one the roster no longer lists)
    kept_elsewhere: bool,
    /// the placement of this roster whose line an earlier run paid the month under (a
    /// hand-over)
    claimed: Option<usize>,
    /// an earlier placement the roster no longer lists kept it, by its dates
    handed: bool,
}

/// The month's two lines as earlier runs leave them (`Walk::due_lines`).
struct Due<'a> {
    base_key: String,
    mentor_key: String,
    /// `Some` when the line is due: its sequence and, for a retry, the bank's reason
    base_state: Option<(u32, Option<String>)>,
    mentor_state: Option<(u32, Option<String>)>,
    /// the day whose rules price the month
    day: Date,
    /// the intern ID an earlier run paid this placement's month under
    other_intern: Option<&'a str>,
}

impl<'a> Walk<'a> {
    /// Where month `month` stands among the person's placements (`Place`), or where the walk
    /// goes instead: a part month under the threshold, a month unpayable under this placement
    /// that an earlier one keeps, a last part month beyond the placement's length, a month
    /// before the intern's group is subsidised (said).
    fn place(&mut self, month: Month, taken: &Taken) -> ControlFlow<Step, Place> {
        let pl = self.pl;
        let (ctx, i, p, by_person) = (pl.ctx, pl.i, pl.p, pl.by_person);
        let (start, end, _) = self.dates;
        let (base, min_days, lasts, from) =
            (self.lines.0, self.min_days, self.lasts, self.eligibility.2);
        let (handed_over, renamed, kept_by_dropped) = (
            &self.before.handed_over,
            &self.before.renamed,
            &self.before.kept_by_dropped,
        );
        let days = days_in(month, start, end);
        if !counts(month, days, i64::from(min_days)) {
            return ControlFlow::Break(Step::Next); // a part month under the threshold is no intern-month
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
        let hand_over = |j: usize| j != i && !self.shares_a_day(j, month);
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
                return ControlFlow::Break(Step::Next);
            }
        }
        // (this placement's own month paid under the id a roster renumbered it from is one of
        // its months all the same, kept by nothing else: a grader found a renumbered 3-month
        // placement paid a fourth, its part month, then put up for recovery)
        let own_renamed =
            handed && renamed.iter().any(|(r, _)| *r == month) && !kept_by_dropped.contains(&month);
        if !kept_elsewhere || own_renamed {
            self.nth += 1;
            if self.nth > lasts {
                return ControlFlow::Break(Step::Stop); // (a last part month beyond the placement's length)
            }
        }
        // an intern-month before the intern's group is subsidised: one of the placement's
        // months, not paid, not counted against its 12
        if let Some(d) = before_group {
            if base && !kept_elsewhere {
                self.out.exceptions.push(pl.row(
                    Code::NoRuleInForce,
                    format!(
                        "placement {} {month}: the intern's group (unemployed youth) is subsidised from {d}; not paid",
                        p.placement_id
                    ),
                    BASE,
                ));
            }
            return ControlFlow::Break(Step::Next);
        }
        ControlFlow::Continue(Place {
            kept_elsewhere,
            claimed,
            handed,
        })
    }

    /// Whether placement `j` shares a day of `month` with this one.
    fn shares_a_day(&self, j: usize, month: Month) -> bool {
        let (start, end, _) = self.dates;
        let q = &self.pl.ctx.inputs.internships[j];
        let from = q.start_date.max(start).max(month.first_day());
        let to = placement_end(q).min(end).min(month.last_day());
        from <= to
    }

    /// The month's two lines as earlier runs leave them (`Due`): due, or paid already — under
    /// this placement, under another intern's ID for it, or under another placement of the
    /// person (counted against the limit and said) —; none when neither is left to pay.
    fn due_lines(&mut self, month: Month, place: &Place, taken: &mut Taken) -> Option<Due<'a>> {
        let pl = self.pl;
        let (ctx, i, p, by_person, pid) = (pl.ctx, pl.i, pl.p, pl.by_person, pl.pid.as_str());
        let ((base, mentor), own_mentor) = (self.lines, self.own_mentor);
        let (_, end, from_day) = self.dates;
        let min_days = self.min_days;
        let limit_group = &self.limit_group;
        let (renamed, kept_by_dropped) = (&self.before.renamed, &self.before.kept_by_dropped);
        let Place {
            kept_elsewhere,
            claimed,
            handed,
        } = *place;
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
        if base && !kept_elsewhere && ctx.history.month_paid(limit_group, pid, month) {
            taken.paid_before.entry(month).or_insert(i);
        }
        // the day whose rules price the month (its parameters looked up once)
        let day = pricing_day(ctx, month, (from_day, end), i64::from(min_days));
        // (the rows of a month already counted, with the amounts they are about)
        let counted_row = |row: Exception| pl.with_base_amount(row, day);
        let mentor_paid_under = |o: &str| pl.mentor_paid_under(o, (month, day));
        // the month an earlier run paid for this very placement under another intern's ID
        // (`other_intern_month`): one of the placement's months, counted against its 12, not
        // paid again, nor its mentor line where that was paid
        let other_intern = (base && !kept_elsewhere)
            .then(|| other_intern_month(ctx, (p, pid, BASE), by_person, month))
            .flatten();
        if let Some(o) = other_intern {
            self.count += 1;
            self.from_other_interns += 1;
            base_state = None;
            // (the mentor line too when the earlier ID's was paid; a mentor named in the same
            // correction is paid the months: a regression review)
            let mentor_paid = month_id_of(ctx, MENTOR, o, month, 0);
            if matches!(ctx.history.seen(&mentor_paid), crate::ledger::Seen::Paid(_)) {
                // (said on the mentor line too, with its amount, where one is due now: a
                // regression review found a mentor named after a swap of two placements' ids
                // refused without a word)
                if mentor_state.take().is_some() {
                    self.out.exceptions.push(mentor_paid_under(o));
                }
            }
            let row = pl.row(
                Code::InternMonthCounted,
                format!(
                    "placement {} {month}: subsidised by an earlier run for this placement under intern {o}: not paid again (the roster's person_id corrected since?)",
                    p.placement_id
                ),
                BASE,
            );
            self.out.exceptions.push(counted_row(row));
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
            && !ctx.history.month_paid(limit_group, pid, month);
        // (a month already counted as paid for the placement under another intern is not
        // counted, nor said, twice: a regression review)
        let paid_under_other = paid_under_other && other_intern.is_none();
        if paid_under_other && !kept_elsewhere {
            self.count += 1;
        }
        // (said, not left silent, as the same two in one roster say it; a cold review) — also
        // when a mentor line of the month is due under this placement (said below), until
        // 2026-12-07 the intern-month was then silent: a grader's placement registered late
        // inside one an earlier run paid
        if paid_under_other {
            let row = pl.row(
                Code::InternMonthCounted,
                format!(
                    "placement {} {month}: the month was subsidised by an earlier run under another placement of the same person: not paid again",
                    p.placement_id
                ),
                BASE,
            );
            self.out.exceptions.push(counted_row(row));
        }
        if base_state.is_none() && mentor_state.is_none() {
            if let Some((_, g)) = renamed.iter().find(|(m, _)| {
                !paid_under_other && base && *m == month && !kept_by_dropped.contains(m)
            }) {
                // (this placement's own month paid under an id the roster no longer lists:
                // renumbered — EXCEPTIONS.md promises the row; a grader found it silent)
                let row = pl.row(
                    Code::InternMonthCounted,
                    format!(
                        "placement {} {month}: subsidised by an earlier run under placement {} of the same person at this host, which the roster no longer lists (renumbered?): not paid again",
                        p.placement_id,
                        placement_of_group(g).unwrap_or(g)
                    ),
                    BASE,
                );
                self.out.exceptions.push(counted_row(row));
            }
            return None; // paid by an earlier run, or nothing to pay
        }
        Some(Due {
            base_key,
            mentor_key,
            base_state,
            mentor_state,
            day,
            other_intern: other_intern.map(String::as_str),
        })
    }

    /// The placement's intern-month `month`, if it is one: its lines paid, held or refused,
    /// each with its row.
    fn month(&mut self, month: Month, taken: &mut Taken) -> Result<Step, Error> {
        let place = match self.place(month, taken) {
            ControlFlow::Continue(place) => place,
            ControlFlow::Break(step) => return Ok(step),
        };
        let Some(Due {
            base_key,
            mentor_key,
            mut base_state,
            mut mentor_state,
            day,
            other_intern,
        }) = self.due_lines(month, &place, taken)
        else {
            return Ok(Step::Next);
        };
        let pl = self.pl;
        let (ctx, i, p, by_person, pid) = (pl.ctx, pl.i, pl.p, pl.by_person, pl.pid.as_str());
        let (declared, base) = (self.declared, self.lines.0);
        let (_, end, from_day) = self.dates;
        let max = self.max;
        let (why, elig_params) = (&self.eligibility.0, &self.eligibility.1);
        let limit_group = &self.limit_group;
        let (chain, earlier_runs) = (&self.before.chain, self.before.earlier_runs);
        let kept_by_dropped = &self.before.kept_by_dropped;
        let with_mentor_amount = |row: Exception| pl.with_mentor_amount(row, day);
        let mentor_paid_under = |o: &str| pl.mentor_paid_under(o, (month, day));
        // (priced: the minimum wage and the share in force on the pricing day; none: said)
        let Some((wage, share)) = pl.price(month, day, from_day, &mut self.out)? else {
            return Ok(Step::Next);
        };
        let amount = Money::round(wage.value * share.value);
        // a month an earlier placement of the person keeps in this run: not paid, not counted
        let counted = |j: usize, prog: &'static str| pl.counted_under(j, prog, month, taken);
        let base_elsewhere = base && taken.base.contains_key(&month);
        if let (Some(_), Some(&j)) = (&base_state, taken.base.get(&month)) {
            self.out.exceptions.push(counted(j, BASE).amount(amount));
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
            self.out
                .exceptions
                .push(with_mentor_amount(counted(j, MENTOR)));
            mentor_state = None;
        }
        // (and a hand-over month an earlier placement the roster no longer lists kept: its
        // mentor line was that placement's — a regression review found it paid under this one
        // once the roster dropped the earlier one)
        if mentor_state.is_some() && kept_by_dropped.contains(&month) {
            self.out.exceptions.push(with_mentor_amount(pl.row(
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
            .and_then(|_| other_intern_month(ctx, (p, pid, MENTOR), by_person, month))
        {
            self.out.exceptions.push(mentor_paid_under(o));
            mentor_state = None;
        }
        if base_state.is_none() && mentor_state.is_none() {
            return Ok(Step::Next);
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
                    .push(pl.row(code, message.clone(), BASE).amount(amount));
            }
            if mentor_state.is_some() {
                out.exceptions
                    .push(with_mentor_amount(pl.row(code, message, MENTOR)));
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
            .find(|&&j| j != i && self.shares_a_day(j, month));
        let max_months = max.max(0) as u32;
        let used_before = || {
            earlier_runs
                + self.from_other_interns
                + taken
                    .base
                    .iter()
                    .filter(|&(&x, &j)| x < month && j == i)
                    .count() as u32
        };
        if !base_paid_before
            && self.count >= max_months
            && (overlapping.is_none() || used_before() >= max_months)
        {
            not_paid(
                &mut self.out,
                Code::DurationLimitReached,
                pl.limit_reached(month, max, chain),
            );
            return Ok(Step::Next);
        }
        // holds: the month is possibly payable, withheld for review (with the stipend floor
        // the line cites where the pipeline's text sets one)
        let (hold, floor_ref) = pl.hold(
            month,
            (day, &wage),
            overlapping.copied(),
            declared,
            &mut self.out,
        )?;
        if let Some(why_hold) = hold {
            not_paid(
                &mut self.out,
                Code::InternHold,
                format!("placement {} {month}: {why_hold}; withheld", p.placement_id),
            );
            return Ok(Step::Next);
        }
        if !base_paid_before {
            self.count += 1;
        }
        let pm = PricedMonth {
            month,
            day,
            end,
            why,
            elig_params,
            floor_ref,
        };
        if let Some(state) = base_state {
            taken.base.insert(month, i);
            pl.base_line(
                &pm,
                state,
                (&wage, &share, amount),
                (self.count, max),
                (base_key, limit_group),
                &mut self.out,
            );
        }
        if let Some(state) = mentor_state {
            pl.mentor_line(&pm, state, mentor_key, &mut self.out)?;
            taken.mentor.insert(month, i);
        }
        Ok(Step::Next)
    }
}
