//! Months an earlier run paid that this extract no longer makes due (`months_not_due`), and
//! the rows that withdraw what was said of them (`not_due_withdrawn`).

use super::*;

/// The ledger's memory that a paid month was said not due (`first_applications`, this group,
/// the programme, the payee and the month, e.g. `month_not_due/si_hardship_hire/<payee>/2019-03`).
pub(super) const NOT_DUE: &str = "month_not_due";

/// The ledger's memory that a run said `MONTH_NOT_DUE` of a month withdrawn
/// (`first_applications`, `month_not_due_withdrawn/<programme>/<payee>/<month>`).
pub(super) const NOT_DUE_WITHDRAWN: &str = "month_not_due_withdrawn";

/// The latest run that recorded `group` for `pid` (`first_applications`): which of a month's
/// `MONTH_NOT_DUE` and its withdrawal was said last — a register that drops the covering
/// contract again asks the month back again (a cold review found the withdrawal standing).
pub(super) fn latest_said(ctx: &Ctx, group: &str, pid: &str) -> Option<i64> {
    ctx.history
        .first_applications
        .get(&(group.to_string(), pid.to_string()))?
        .iter()
        .map(|(_, _, run)| *run)
        .max()
}

/// `MONTH_NOT_DUE` an earlier run said of a month that this run's registers cover with a
/// contract the programme qualifies (a new hire registered late from the day after the ended
/// one, say): the month was due after all — `MONTH_NOT_DUE_WITHDRAWN` (info, once), at that
/// contract, so that the analyst does not recover it, or pays back one recovered (the ledger
/// keeps the month paid; no run pays it again). A grader found the recovery left standing.
pub(super) fn not_due_withdrawn(
    ctx: &Ctx,
    progs: &[&dyn HireProgramme],
    employment: &[EmploymentRow],
    judged: &Judged,
    out: &mut Outcome,
) {
    let reg = &ctx.inputs.registers;
    let prefix = format!("{NOT_DUE}/");
    // (programme, payee, month, person) of each month said not due, not yet withdrawn
    let mut said: Vec<(usize, &str, Month, u32, &str)> = Vec::new();
    for (group, pid) in ctx.history.first_applications.keys() {
        let Some(rest) = group.strip_prefix(prefix.as_str()) else {
            continue;
        };
        let mut parts = rest.splitn(3, '/');
        let (Some(code), Some(payee), Some(month)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Some(k), Ok(m), Some(person)) = (
            progs.iter().position(|p| p.code() == code),
            Month::parse(month),
            reg.person_by_id(pid),
        ) else {
            continue;
        };
        // (not withdrawn since it was said)
        let withdrawn = latest_said(ctx, &format!("{NOT_DUE_WITHDRAWN}/{rest}"), pid);
        if withdrawn < latest_said(ctx, group, pid) {
            said.push((k, payee, m, person, pid));
        }
    }
    if said.is_empty() {
        return;
    }
    said.sort_unstable();
    // (their persons' contracts, in one pass)
    let mut of_person: FxHashMap<u32, Vec<usize>> =
        said.iter().map(|s| (s.3, Vec::new())).collect();
    for (i, e) in employment.iter().enumerate() {
        if let Some(v) = of_person.get_mut(&e.person) {
            v.push(i);
        }
    }
    for (k, payee, m, person, pid) in said {
        let prog = progs[k];
        let mine = of_person.get(&person).map_or(&[][..], Vec::as_slice);
        let Some(&i) = mine.iter().find(|&&i| {
            let e = &employment[i];
            judged[k][i].is_ok()
                && e.in_force_in(m)
                && ctx.payee_id(&prog.payee(e.person, e.employer)) == payee
        }) else {
            continue;
        };
        let e = &employment[i];
        let code = prog.code();
        let (file, line) = cited(reg, e);
        out.exceptions.push(
            Exception::new(
                Code::MonthNotDueWithdrawn,
                format!(
                    "{m}: an earlier run said MONTH_NOT_DUE of this month ({code}, paid to {payee}) — this register's labour contract from {} ({file}:{line}) covers it and {code} qualifies it: the month was due; do not recover it (one recovered already is owed to {payee} again: the ledger keeps the month paid, no run pays it again)",
                    e.contract_start
                ),
            )
            .at(file, line)
            .programme(code)
            .person(reg.person(person).id)
            .employer(reg.employer(e.employer).id),
        );
        out.said_once(
            format!("{NOT_DUE_WITHDRAWN}/{code}/{payee}/{m}"),
            pid.to_string(),
            m,
            ctx.payout.last_day(),
        );
    }
}

/// Says once (`MONTH_NOT_DUE`, hold, the month's lines to recover) of each month an earlier run
/// paid under a hire programme for a contract this run's registers end before it — an
/// `ended_on`, or an earlier `contract_end`, entered since — with no other contract in force in
/// it that the programme qualifies and could have paid the month under (of the pair; for a
/// programme paying the person, another of the person's posts of the kind). A month with no day
/// inside the contract is not subsidised (POLICY.md), and a window of recent rows no longer
/// shows it at all: as internships' `INTERN_MONTH_NOT_DUE`, the months paid for days the person
/// no longer worked are the analyst's to recover (a contract-only review, 2026-12-06, found them
/// said only `MONTH_OUTSIDE_CONTRACT`, info, as if never paid — or, with windowed extracts, not
/// at all). One row per month, programme, payee and person, at the latest-ending of the ended contracts
/// (a renewal chain's or a redeployment's two contracts asked one line back twice: a regression
/// review). Probed only for persons the ledger shows subsidised under the programme, month by
/// month after the contract's end while the person has a month of the programme's limit group
/// paid.
pub(super) fn months_not_due(
    ctx: &Ctx,
    progs: &[&dyn HireProgramme],
    employment: &[EmploymentRow],
    judged: &Judged,
    out: &mut Outcome,
) {
    let reg = &ctx.inputs.registers;
    let subsidised = |person: u32| progs.iter().any(|p| ctx.subsidised_under(p.code(), person));
    // (each such person's contracts, by index into `employment`: `judged`'s)
    let mut of_person: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, e) in employment.iter().enumerate() {
        if subsidised(e.person) {
            of_person.entry(e.person).or_default().push(i);
        }
    }
    // ((programme, payee, person, month), the contract's last day, the row, its marker, the
    // person's ID)
    type Found = ((usize, String, u32, Month), Date, Exception, String, String);
    let mut found: Vec<Found> = employment
        .par_iter()
        .enumerate()
        .filter(|(_, e)| e.last_day().is_some_and(|d| Month::of(d) < ctx.payout))
        .flat_map_iter(|(i, e)| {
            let mut rows: Vec<Found> = Vec::new();
            let (Some(end), Some(mine)) = (e.last_day(), of_person.get(&e.person)) else {
                return rows;
            };
            let pid = reg.person(e.person).id.to_string();
            for (k, prog) in progs.iter().enumerate() {
                let code = prog.code();
                // (a line paid to the person names no employer: a contract the programme does
                // not look at — a regular job beside a post — paid none of its months)
                let silent = |v: &Result<Finding, Miss>| matches!(v, Err(Miss { code: None, .. }));
                if !ctx.subsidised_under(code, e.person) || (prog.pays_the_person() && silent(&judged[k][i])) {
                    continue;
                }
                let group = match prog.limit_group(e) {
                    "" => code.to_string(),
                    g => format!("{code}/{g}"),
                };
                let payee = prog.payee(e.person, e.employer);
                let payee_id = ctx.payee_id(&payee);
                // (another contract in force in month `m` — of the pair; a line paid to the
                // person: any of the person's posts of the kind, at whichever employer — whose
                // verdict passes `counts`)
                let another_in_force = |m: Month, counts: &dyn Fn(usize) -> bool| {
                    mine.iter().any(|&j| {
                        let o = &employment[j];
                        j != i
                            && counts(j)
                            && if prog.pays_the_person() {
                                o.post == e.post
                            } else {
                                o.employer == e.employer
                            }
                            && o.in_force_in(m)
                    })
                };
                // (one the programme qualifies that may have been paid the month)
                let paid_for = |o: &EmploymentRow| paid_under(ctx, code, &payee, o, None) == Some(true);
                let other_in_force = |m: Month| {
                    another_in_force(m, &|j| {
                        may_have_paid(&judged[k][j], &employment[j], e, &paid_for)
                    })
                };
                // (one the programme looks at, whatever its verdict: the month after a
                // one-month contract is that one's, not the first's — a regression review)
                let looked_at_in_force = |m: Month| another_in_force(m, &|j| !silent(&judged[k][j]));
                let mut m = Month::of(end).next();
                while m <= ctx.payout {
                    if ctx.history.month_paid(&group, &pid, m)
                        && !other_in_force(m)
                        && paid_under_contract(ctx, code, &payee, e, m, &looked_at_in_force)
                    {
                        let key = ctx.payment_id(code, &payee, e.person, m, 0);
                        let marker = format!("{NOT_DUE}/{code}/{payee_id}/{m}");
                        if let Seen::Paid(entry) = ctx.history.seen(&key) {
                            // (said once — again after a withdrawal: `latest_said`)
                            let withdrawn = latest_said(
                                ctx,
                                &format!("{NOT_DUE_WITHDRAWN}/{code}/{payee_id}/{m}"),
                                &pid,
                            );
                            if latest_said(ctx, &marker, &pid) <= withdrawn {
                                let ids: Vec<String> = (0..=entry.lines)
                                    .map(|seq| ctx.payment_id(code, &payee, e.person, m, seq))
                                    .collect();
                                let emp = reg.employer(e.employer);
                                let from = recover_from(&payee, &payee_id);
                                // (an earlier run asked part of the month back for its SI
                                // lowered: one recovery per line, the rest of it)
                                let reversed = ctx
                                    .history
                                    .first_application_run(&reversed_marker(code, &payee_id, m), &pid)
                                    .is_some();
                                let x = Exception::new(
                                    Code::MonthNotDue,
                                    format!(
                                        "{m}: an earlier run paid {code} for this month under the labour contract from {} with {}, which this register ends on {end}: the month has no day inside any contract that could be paid it — to recover, for review",
                                        e.contract_start,
                                        emp.id,
                                    ),
                                )
                                .at("employment.csv", e.line)
                                .programme(code)
                                .person(reg.person(e.person).id)
                                .employer(emp.id);
                                let x = if reversed {
                                    x.recover_after_reversal(ids, from)
                                } else {
                                    x.recover(ids, from)
                                };
                                let key = (k, payee_id.clone(), e.person, m);
                                rows.push((key, end, x, marker, pid.clone()));
                            }
                        }
                    }
                    m = m.next();
                }
            }
            rows
        })
        .collect();
    // (one row per month, programme, payee and person: the latest-ending contract's)
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    found.dedup_by(|a, b| a.0 == b.0);
    for ((_, _, _, m), _, x, marker, pid) in found {
        out.exceptions.push(x);
        out.said_once(marker, pid, m, ctx.payout.last_day());
    }
}
