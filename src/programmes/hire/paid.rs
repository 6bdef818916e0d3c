//! What earlier runs paid: a month under this or another programme, employer or contract
//! (`month_paid_earlier`, `paid_under`, …).

use super::*;

/// The first month of the hire of `e` (from `start`, to the contract's end or the payout
/// month) an earlier run paid a line of under `prog` to its payee (paid or failed). The
/// first month is left out when another contract of the pair covers its first day: a line of
/// it may be that contract's (a regression review found a new contract after a paid one said
/// NO_LONGER_ELIGIBLE for the earlier contract's month).
pub(super) fn month_paid_earlier(
    ctx: &Ctx,
    prog: &dyn HireProgramme,
    e: &EmploymentRow,
    start: Date,
    alone: bool,
) -> Option<Month> {
    let last = e
        .last_day()
        .map_or(ctx.payout, |d| Month::of(d).min(ctx.payout));
    // another contract of the pair such that…
    let pair_has = |f: &dyn Fn(&EmploymentRow) -> bool| {
        ctx.inputs
            .registers
            .employment_of(e.person)
            .any(|o| o.line != e.line && o.employer == e.employer && f(o))
    };
    // (the line's payee: the person, for a post paid to her — a contract-only review found
    // a post corrected to a regular contract silent, its months paid unmentioned)
    let payee = prog.payee(e.person, e.employer);
    // (a founder's own SI, paid to them: a month of theirs too — `Founders`)
    // (under this registration, as the ledger remembers it — a month of the founder's own SI
    // paid under their first start-up is no month of a second one's: a code review found the
    // second said no longer eligible)
    let own_paid = |m: Month| {
        prog.founders_own() && {
            let own = Payee::Person(e.person);
            let key = ctx.payment_id(prog.code(), &own, e.person, m, 0);
            !matches!(ctx.history.seen(&key), Seen::New)
                && paid_under(ctx, prog.code(), &own, e, Some(m)) != Some(false)
        }
    };
    let employer_id = ctx.inputs.registers.employer(e.employer).id.to_string();
    let mut m = Month::of(start);
    let day = m.first_day();
    let shared = start > day && pair_has(&|o| o.in_force_between(day, day));
    if shared {
        m = m.next();
    }
    while m <= last {
        // (`alone`: a month another contract of the pair covers a day of is skipped; and
        // whatever the miss, a month a later contract of the pair covers a day of: paid under
        // that one — a redeployment from the day after the old contract's end, or begun while
        // it still runs (POLICY.md: “to its eve, or on”): a multi-run review found the old
        // contract said no longer eligible for its last month in every run after, a
        // contract-only review the same when it ended a few days after the new one began — not
        // the months after a later contract that has ended: a regression review found the
        // row lost for an open-ended contract with a short one inside it)
        let other = pair_has(&|o| (alone || o.contract_start > e.contract_start) && o.in_force_in(m))
                // (a line paid to the person may be another post's, at another employer)
                || (prog.pays_the_person()
                    && ctx.inputs.registers.employment_of(e.person).any(|o| {
                        o.line != e.line
                            && o.post == crate::ingest::records::Post::PublicWelfare
                            && o.in_force_in(m)
                    }));
        let key = ctx.payment_id(prog.code(), &payee, e.person, m, 0);
        // (a month the ledger's memory attributes to another contract of the pair — the one a
        // run paid its line under — is not this contract's, unless this contract begins a
        // renewal chain asked as a whole: an old open-ended contract beside a redeployment
        // whose end was entered late was said no longer eligible for the redeployment's months,
        // and the months' MONTH_NOT_DUE lost — a regression review)
        let elsewhere = || {
            start == e.contract_start
                && remembered_contract(ctx, prog.code(), &payee, e.person, m).is_some_and(
                    |(s, employer)| {
                        // (another contract of the pair in these registers, begun that month:
                        // one the registers no longer list — the start corrected since — is
                        // this one's, still asked: a regression review)
                        employer == employer_id
                            && s != Month::of(e.contract_start)
                            && pair_has(&|o| Month::of(o.contract_start) == s)
                    },
                )
        };
        if !other && (!matches!(ctx.history.seen(&key), Seen::New) || own_paid(m)) && !elsewhere() {
            return Some(m);
        }
        m = m.next();
    }
    None
}

/// The flexible programme whose line an earlier run paid for the person's month, if one did.
pub(in crate::programmes) fn flexible_paid(
    ctx: &Ctx,
    person: u32,
    period: Month,
) -> Option<&'static dyn crate::programmes::flexible::FlexProgramme> {
    let programmes: [&'static dyn crate::programmes::flexible::FlexProgramme; 2] = [
        &crate::programmes::si_hardship_flexible::SiHardshipFlexible,
        &crate::programmes::si_graduate_flexible::SiGraduateFlexible,
    ];
    programmes.into_iter().find(|q| {
        let key = ctx.payment_id(q.code(), &Payee::Person(person), person, period, 0);
        matches!(ctx.history.seen(&key), Seen::Paid(_))
    })
}

/// Whether an earlier run paid `code` for the person's month to another employer the registers
/// show with the person in that month (concurrent jobs): the month is already one month of the
/// duration. (An employer shown only at another time is no second job of the month — its code
/// corrected since, say: a differential review found such a month paid again.)
pub(super) fn other_employer_paid(
    ctx: &Ctx,
    code: &str,
    employer: u32,
    person: u32,
    period: Month,
) -> bool {
    // (the registers' contracts and a founder's registrations with their own enterprises that
    // employment.csv lacks: a cold review found a founder's second start-up refused its month
    // for the first one's, paid a run before)
    let rows = ctx
        .inputs
        .registers
        .employment_of(person)
        .chain(ctx.founder_registrations_of(person))
        .filter(|e| e.in_force_in(period));
    employers_but(rows, employer).into_iter().any(|e| {
        let key = ctx.payment_id(code, &Payee::Employer(e), person, period, 0);
        matches!(ctx.history.seen(&key), Seen::Paid(_))
    })
}

/// The employers of contracts `rows` but `employer`, each once, in order.
pub(super) fn employers_but<'a>(
    rows: impl Iterator<Item = &'a EmploymentRow>,
    employer: u32,
) -> Vec<u32> {
    let mut others: Vec<u32> = rows
        .map(|e| e.employer)
        .filter(|&e| e != employer)
        .collect();
    others.sort_unstable();
    others.dedup();
    others
}

/// Whether an earlier run paid the person's month under `code` to another employer the
/// registers still show with the person, none of whose contracts covers the month any more (an
/// `ended_on` entered late): that line is held for recovery (`MONTH_NOT_DUE`), and the month is
/// the employer's that employed the person then — paid to it, not refused as paid (a
/// contract-only review found a move to another employer registered late leave the months
/// subsidised to nobody once the first employer's were asked back).
pub(super) fn paid_where_not_due(
    ctx: &Ctx,
    code: &str,
    employer: u32,
    person: u32,
    period: Month,
) -> bool {
    let others = employers_but(ctx.inputs.registers.employment_of(person), employer);
    others.into_iter().any(|e| {
        let contracts: Vec<&EmploymentRow> = ctx
            .inputs
            .registers
            .employment_of(person)
            .filter(|c| c.employer == e)
            .collect();
        let covered = contracts.iter().any(|c| c.in_force_in(period));
        let key = ctx.payment_id(code, &Payee::Employer(e), person, period, 0);
        // (after the end of a contract of it that was the job paid for, as `months_not_due`
        // holds it — not before a start moved later, which nothing asks back: a regression
        // review found such a month paid twice)
        !covered
            && matches!(ctx.history.seen(&key), Seen::Paid(_))
            && contracts.iter().any(|c| {
                let other_in_force = |m: Month| {
                    contracts
                        .iter()
                        .any(|o| o.line != c.line && o.in_force_in(m))
                };
                c.last_day().is_some_and(|d| Month::of(d) < period)
                    && paid_under_contract(
                        ctx,
                        code,
                        &Payee::Employer(e),
                        c,
                        period,
                        &other_in_force,
                    )
            })
    })
}

/// Whether month `m`, paid to `payee` under `code`, was paid under contract `c` — not an old
/// contract of the pair at another time: the ledger's memory (`paid_under`), or, where it has
/// none for the month (runs before 2026-12-06), a month of the contract paid (`paid_within`,
/// `other_in_force` as there). `months_not_due` and `paid_where_not_due` ask it alike.
pub(super) fn paid_under_contract(
    ctx: &Ctx,
    code: &str,
    payee: &Payee,
    c: &EmploymentRow,
    m: Month,
    other_in_force: &dyn Fn(Month) -> bool,
) -> bool {
    paid_under(ctx, code, payee, c, Some(m))
        .unwrap_or_else(|| paid_within(ctx, code, payee, c, other_in_force))
}

/// Whether an earlier run paid `payee` under `code` for a month with a day inside contract `c`
/// — read where the ledger remembers no contract of the pair (`paid_under`: runs before
/// 2026-12-06) — the contract was the job the months after its end were paid for (its end entered late),
/// not an old contract of an employer code corrected since (a 2017 job beside months of 2018
/// paid under the old code: a regression test). A contract within one month, whose SI began
/// with the next (a job of 01-15..01-31), counts by that next month where no other contract of
/// the pair covers it (a regression review found such a recovery lost; another, a month after
/// a longer old contract's end or another hire's first month read as its own).
/// `other_in_force`: whether another contract that could have been paid a month is in force
/// in it.
pub(super) fn paid_within(
    ctx: &Ctx,
    code: &str,
    payee: &Payee,
    c: &EmploymentRow,
    other_in_force: &dyn Fn(Month) -> bool,
) -> bool {
    let Some(end) = c.last_day() else {
        return false;
    };
    let paid = |m: Month| {
        let key = ctx.payment_id(code, payee, c.person, m, 0);
        matches!(ctx.history.seen(&key), Seen::Paid(_))
    };
    let (first, last) = (Month::of(c.contract_start), Month::of(end));
    let mut m = first;
    while m <= last && m <= ctx.payout {
        if paid(m) {
            return true;
        }
        m = m.next();
    }
    let next = last.next();
    first == last && next <= ctx.payout && !other_in_force(next) && paid(next)
}

/// The contracts earlier runs paid hire lines under, by programme and payee and person
/// (`PAID_FOR`, read once from the history's `first_applications`).
pub(super) fn paid_for<'c>(ctx: &'c Ctx) -> &'c crate::programmes::PaidFor {
    ctx.paid_for.get_or_init(|| {
        let mut index: crate::programmes::PaidFor = FxHashMap::default();
        for (group, pid) in ctx.history.first_applications.keys() {
            let Some(rest) = group
                .strip_prefix(PAID_FOR)
                .and_then(|r| r.strip_prefix('/'))
            else {
                continue;
            };
            // (`<code>/<payee>/<start month>/<employer>` of a contract, `<code>/<payee>` of the
            // pair)
            let parts: Vec<&str> = rest.split('/').collect();
            let (pair, contract) = match parts[..] {
                [code, payee, start, employer] => (
                    format!("{code}/{payee}"),
                    Month::parse(start).ok().map(|m| (m, employer.to_string())),
                ),
                _ => (rest.to_string(), None),
            };
            index
                .entry((pair, pid.clone()))
                .or_default()
                .extend(contract);
        }
        for v in index.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        index
    })
}

/// The contract — start month, employer's credit code — the ledger's memory attributes month
/// `m` of `person`'s lines under `code` to `payee` to: the last remembered to begin by it.
pub(super) fn remembered_contract(
    ctx: &Ctx,
    code: &str,
    payee: &Payee,
    person: u32,
    m: Month,
) -> Option<(Month, String)> {
    let pid = ctx.inputs.registers.person(person).id.to_string();
    latest_by(
        paid_for(ctx).get(&(format!("{code}/{}", ctx.payee_id(payee)), pid))?,
        m,
    )
    .cloned()
}

/// Of the remembered contracts of a pair (`paid_for`), the one that began last by month `m`:
/// the contract a line of `m` was paid under.
pub(super) fn latest_by(contracts: &[(Month, String)], m: Month) -> Option<&(Month, String)> {
    contracts
        .iter()
        .filter(|(s, _)| *s <= m)
        .max_by(|a, b| a.0.cmp(&b.0))
}

/// Whether an earlier run paid `payee` month `m` of `code` under contract `c`, by the ledger's
/// memory (`PAID_FOR`): a contract a run paid a line under, the last of the pair's so
/// remembered to begin by the month (a snapshot that drops a re-hire paid does not make its
/// months the older contract's: a regression review); `m` `None`: any month. `None` when the
/// ledger remembers no contract of the pair (runs before 2026-12-06), or none that began by
/// month `m`.
pub(super) fn paid_under(
    ctx: &Ctx,
    code: &str,
    payee: &Payee,
    c: &EmploymentRow,
    m: Option<Month>,
) -> Option<bool> {
    let reg = &ctx.inputs.registers;
    let pid = reg.person(c.person).id.to_string();
    let contracts = paid_for(ctx).get(&(format!("{code}/{}", ctx.payee_id(payee)), pid))?;
    let start = Month::of(c.contract_start);
    let employer = reg.employer(c.employer).id.to_string();
    let remembered = contracts.iter().any(|(s, e)| *s == start && *e == employer);
    match m {
        None => Some(remembered),
        // (no contract remembered to begin by the month: its line was paid before the memory —
        // the pair paid again since — and the months inside the contract tell, as before it: a
        // regression review found such a month's recovery lost)
        Some(m) => {
            let (latest, _) = latest_by(contracts, m)?;
            Some(remembered && *latest == start)
        }
    }
}

/// Whether an earlier run paid an internship subsidy for the person's month (its key names
/// the intern and the month only).
pub(super) fn intern_month_paid(ctx: &Ctx, line: &str, person: u32, period: Month) -> bool {
    let key = crate::programmes::internship::month_id(ctx, line, person, period, 0);
    matches!(ctx.history.seen(&key), Seen::Paid(_))
}
