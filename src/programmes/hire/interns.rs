//! Interns employed in a month a placement covers (`interns_employed_since`,
//! `INTERN_EMPLOYED`): one subsidy per person and month — the placement that keeps an
//! intern-month (`month_owner`), whether a labour contract meets it (`contract_meets_a_placement`)
//! and what the intern-month was paid (`intern_month_amount`).

use super::*;

/// The ledger's memory that an intern-month an earlier run paid was said employed, by
/// `interns_employed_since` or the hire driver (`first_applications`, this group and the
/// month: `intern_employed(m)`, e.g. `intern_employed/2019-03`): said once, and no
/// `INTERN_MONTH_NOT_DUE` beside it (`internship::not_due_since`).
pub const INTERN_EMPLOYED: &str = "intern_employed";

/// `INTERN_EMPLOYED`'s group for month `m`.
pub(in crate::programmes) fn intern_employed(m: Month) -> String {
    format!("{INTERN_EMPLOYED}/{m}")
}

/// An intern-month an earlier run paid that this extract shows under a labour contract with
/// employer SI paid in time — at an employer no SI subsidy of the month is paid to, in this run
/// or an earlier one (outside a district pipeline's region, a large firm, a public body): the
/// intern was not 离校未就业 that month, and the intern-month (and its mentor line) is held for
/// recovery from the host, `INTERN_MONTH_EMPLOYED` with its amount, once (the ledger remembers
/// it, `INTERN_EMPLOYED`) — as within one run such a month is held whatever the employer, and
/// as the flexible programmes' `FLEXIBLE_MONTH_EMPLOYED` says of a flexible month. The hire
/// driver says it where it pays the employer's SI of the month (until 2026-12-06 only there: a
/// contract-only review of Wujiang found 3,128.00 paid for two employed intern-months without a
/// word). Runs over the roster's interns.
pub(in crate::programmes) fn interns_employed_since(ctx: &Ctx, out: &mut Outcome) {
    use crate::programmes::internship::{BASE, MENTOR};
    let reg = &ctx.inputs.registers;
    let interns: rustc_hash::FxHashSet<u32> =
        ctx.inputs.internships.iter().map(|p| p.person).collect();
    if interns.is_empty() {
        return;
    }
    let end = ctx.payout.last_day();
    // this extract's employer SI rows of the interns paid in time, by person and month
    let mut rows: Vec<(u32, Month, u32, u32)> = ctx
        .inputs
        .contributions
        .par_iter()
        .filter(|c| c.period <= ctx.payout && interns.contains(&c.person))
        .filter(|c| c.paid_on.is_some_and(|d| d <= end))
        .filter_map(|c| Some((c.person, c.period, c.employer?, c.line)))
        .collect();
    if rows.is_empty() {
        return;
    }
    rows.sort_unstable();
    // the months an SI subsidy (or a post subsidy) pays in this run: the hire driver said them
    let hired = crate::programmes::flexible::paid_now(out, |code| {
        crate::programmes::flexible::HIRES.contains(&code)
            || code == crate::programmes::public_welfare_post::CODE
    });
    for month in rows.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (person, m, _, _) = month[0];
        // (the ledger first: most insured months of an intern were never intern-months)
        let paid: Vec<&str> = [BASE, MENTOR]
            .into_iter()
            .filter(|line| intern_month_paid(ctx, line, person, m))
            .collect();
        if paid.is_empty() || hired.contains(&(person, m)) {
            continue;
        }
        let post_paid = || {
            let key = ctx.payment_id(
                crate::programmes::public_welfare_post::CODE,
                &Payee::Person(person),
                person,
                m,
                0,
            );
            matches!(ctx.history.seen(&key), Seen::Paid(_) | Seen::Failed(_))
        };
        if month
            .iter()
            .any(|r| crate::programmes::flexible::hire_paid(ctx, r.2, person, m))
            || post_paid()
        {
            continue;
        }
        // the contract of a row's employer covering a day of the month the placement covers;
        // else a row of an employer other than the host of the placement that took the month,
        // with no labour contract of it registered in the month — as within one run such a
        // month is held (`INTERN_HOLD`, insured elsewhere): a metamorphic review of Wujiang found
        // a month paid from a window without the rows, then nothing said when they came
        let found = month
            .iter()
            .find_map(|r| {
                reg.employment_of(person)
                    .filter(|e| e.employer == r.2)
                    .find_map(|e| contract_meets_a_placement(ctx, e, m).map(|h| (r, Some(e), h)))
            })
            .or_else(|| {
                let owner = month_owner(ctx, person, m)?;
                month
                    .iter()
                    .find(|r| {
                        r.2 != owner.host
                            // (nor the host of another placement of the intern in the month: a
                            // hand-over's next host insuring its intern — a regression review
                            // found the month asked back from the first host, the next refused)
                            && !ctx.inputs.internships.iter().any(|q| {
                                q.person == person
                                    && q.host == r.2
                                    && crate::programmes::internship::covers_month(ctx, q, m)
                            })
                            && !reg.employment_of(person).any(|c| {
                                c.employer == r.2
                                    && c.in_force_in(m)
                            })
                    })
                    .map(|r| (r, None, owner.host))
            });
        let Some((row, contract, host)) = found else {
            continue;
        };
        let pid = reg.person(person).id.to_string();
        let group = intern_employed(m);
        if ctx.history.first_application_run(&group, &pid).is_some()
            || crate::programmes::internship::still_not_due(ctx, person, &pid, m)
        {
            continue;
        }
        let h = reg.employer(host);
        let shown = match contract {
            Some(c) => format!(
                "under a labour contract with {} for it (employment.csv:{}, employer SI paid)",
                reg.employer(c.employer).id,
                c.line
            ),
            None => format!(
                "insured as an employee of {} for it (employer SI paid, no labour contract with it registered that month)",
                reg.employer(row.2).id
            ),
        };
        for line in paid {
            let amount = if line == BASE {
                intern_month_amount(ctx, m)
            } else {
                ctx.params
                    .at("internship_mentor.amount", m.first_day())
                    .map(|a| a.value)
            };
            let x = Exception::new(
                Code::InternMonthEmployed,
                format!(
                    "{m}: an earlier run paid {line} for this month to the host {} (line {}), but this extract shows the intern {shown}, an employer no SI subsidy of the month is paid to: not an intern (离校未就业) that month — recover it from the host if the employment stands",
                    h.id,
                    crate::programmes::internship::month_id(ctx, line, person, m, 0),
                ),
            )
            .at("contributions.csv", row.3)
            .programme(line)
            .person(reg.person(person).id)
            .employer(h.id);
            let x = match amount.ok().map(Money::round).filter(|a| a.is_positive()) {
                Some(a) => x.amount(a),
                None => x,
            };
            out.exceptions.push(x);
        }
        out.said_once(group, pid, m, end);
    }
}

/// What an intern-month was paid: the minimum wage × the share in force on the month's first
/// day (`internship`'s own arithmetic, before rounding).
pub(super) fn intern_month_amount(
    ctx: &Ctx,
    period: Month,
) -> Result<Decimal, crate::pipeline::ParamError> {
    let day = period.first_day();
    let wage = ctx.params.at("min_wage", day)?;
    let share = ctx.params.at("internship_base.share", day)?;
    Ok(wage.value * share.value)
}

/// The placement of `person` that keeps intern-month `m`: the earliest of those that take it
/// (`internship::takes_month`), as the internship programme gives a hand-over month to the
/// earlier placement.
pub(super) fn month_owner<'c>(
    ctx: &Ctx<'c>,
    person: u32,
    m: Month,
) -> Option<&'c crate::ingest::InternshipRow> {
    ctx.inputs
        .internships
        .iter()
        .filter(|p| p.person == person && crate::programmes::internship::takes_month(ctx, p, m))
        .min_by_key(|p| (p.start_date, p.line))
}

/// The host of the placement that kept the person's intern-month `m` — the earliest of their
/// placements that takes the month (`internship::takes_month`: it covers enough of it, the
/// intern was eligible, the stipend reaches the floor), as the internship programme gives a
/// hand-over month to the earlier placement — when the labour
/// contract covers a day of the month that this placement covers too (the day-by-day test that
/// holds an intern-month within one run); `None` otherwise. (Until 2026-12-02 the first
/// placement in file order the contract met: a hand-over month paid to the earlier host was
/// flagged against the later one, paid nothing for it — a regression review.)
pub(super) fn contract_meets_a_placement(ctx: &Ctx, e: &EmploymentRow, m: Month) -> Option<u32> {
    let (first, last) = (m.first_day(), m.last_day());
    let meets = |p: &crate::ingest::InternshipRow| {
        let from = p.start_date.max(e.contract_start).max(first);
        let to = crate::programmes::internship::placement_end(p)
            .min(e.last_day().unwrap_or(last))
            .min(last);
        from <= to
    };
    let mine = || {
        ctx.inputs
            .internships
            .iter()
            .filter(move |p| p.person == e.person)
    };
    match month_owner(ctx, e.person, m) {
        Some(owner) => meets(owner).then_some(owner.host),
        // no placement the intern is eligible for now — the contract this extract shows at a
        // placement's start makes it so —: the latest covering the month that the contract
        // meets was paid it (an earlier one eligible then would have kept it)
        None => mine()
            .filter(|p| crate::programmes::internship::covers_month(ctx, p, m) && meets(p))
            .max_by_key(|p| (p.start_date, p.line))
            .map(|p| p.host),
    }
}
