//! Founders and their start-ups (`Founders`): a founder's own SI months against their
//! start-up's and another employer's (`founder_employed`).

use super::*;

/// The founders whose own SI — paid as flexible workers — the founders' own programme
/// (`founders_own`) looks at: those with a registration with an enterprise they founded that
/// it qualifies (or no longer qualifies: its months paid are said), in the pipeline's region.
/// A founder in none of the clause's groups is not looked at: their flexible SI is any flexible
/// worker's.
#[derive(Default)]
pub(super) struct Founders {
    /// the founder's start-ups with such a registration, earliest founded first
    pub(super) enterprises: FxHashMap<u32, Vec<u32>>,
    /// the founders' SI rows of an employer, by (person, employer, month): a month an employer
    /// insures the founder is no month of their own SI
    insured: crate::programmes::flexible::EmployerInsured,
}

impl Founders {
    pub(super) fn of(
        ctx: &Ctx,
        progs: &[&dyn HireProgramme],
        employment: &[EmploymentRow],
        judged: &Judged,
        kept: &[Kept],
    ) -> Founders {
        let reg = &ctx.inputs.registers;
        let Some(k) = progs.iter().position(|p| p.founders_own()) else {
            return Founders::default();
        };
        let mut enterprises: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        for (e, v) in employment.iter().zip(&judged[k]) {
            let founder = reg.employer(e.employer).founder_id;
            let looked_at = match v {
                Ok(_) => true,
                Err(Miss { code, .. }) => *code == Some(Code::NoLongerEligible),
            };
            if looked_at
                && ctx.in_region(e.employer)
                && founder.is_some_and(|f| f == reg.person(e.person).id)
            {
                enterprises.entry(e.person).or_default().push(e.employer);
            }
        }
        for v in enterprises.values_mut() {
            v.sort_by_key(|&i| {
                let x = reg.employer(i);
                (x.founded_on, x.id)
            });
            v.dedup();
        }
        let mut insured: crate::programmes::flexible::EmployerInsured = Default::default();
        if !enterprises.is_empty() {
            insured.extend(
                ctx.inputs
                    .contributions
                    .par_iter()
                    .filter_map(|c| {
                        let e = c.employer?;
                        enterprises
                            .contains_key(&c.person)
                            .then_some((c.person, e, c.period))
                    })
                    .collect::<Vec<_>>(),
            );
            // (and the employer rows earlier extracts showed — kept, a month paid late made
            // from them, `paid_late_before` — or that made a month flexible work could not
            // complete, as the flexible driver counts them: a code review found a start-up's
            // month made from kept rows paid beside the founder's own)
            insured.extend(
                kept.iter()
                    .filter(|((p, e, _), _)| *e != si::FLEXIBLE && enterprises.contains_key(p))
                    .map(|((p, e, period), _)| (*p, *e, *period)),
            );
            insured.extend(ctx.history.flexible_months_insured.iter().filter_map(
                |(pid, eid, period)| {
                    let (p, e) = reg.person_and_employer(pid, eid)?;
                    enterprises.contains_key(&p).then_some((p, e, *period))
                },
            ));
        }
        Founders {
            enterprises,
            insured,
        }
    }
}

/// The start-up whose founder's registration — founders' own programme's, qualifying, else no
/// longer qualifying — covers founder `m.person`'s own flexible month `m`, the earliest founded
/// first; none before its founding month.
pub(super) fn own_enterprise(
    ctx: &Ctx,
    progs: &[&dyn HireProgramme],
    employment: &[EmploymentRow],
    judged: &Judged,
    contracts: &Pairs,
    founders: &Founders,
    m: &SiMonth,
) -> Option<u32> {
    let k = progs.iter().position(|p| p.founders_own())?;
    let list = founders.enterprises.get(&m.person)?;
    let covering = |ok: bool| {
        list.iter().copied().find(|&e| {
            contracts.get(&(m.person, e)).is_some_and(|v| {
                v.iter().any(|&i| {
                    employment[i].in_force_in(m.period)
                        && progs[k]
                            .first_month(ctx, &employment[i])
                            .is_none_or(|(f, _, _)| f <= m.period)
                        && match &judged[k][i] {
                            Ok(_) => ok,
                            Err(Miss { code, .. }) => !ok && *code == Some(Code::NoLongerEligible),
                        }
                })
            })
        })
    };
    covering(true).or_else(|| covering(false))
}

/// Why founder `m.person`'s own flexible month `m` is a month of employment: an employer —
/// their start-up or another — insures them for it, or a labour contract with an employer other
/// than their start-ups covers the whole month.
pub(super) fn founder_employed(ctx: &Ctx, founders: &Founders, m: &SiMonth) -> Option<String> {
    let reg = &ctx.inputs.registers;
    let own = founders.enterprises.get(&m.person);
    let mine = |e: u32| own.is_some_and(|v| v.contains(&e));
    if let Some(e) = founders.insured.employer_in(m.person, m.period) {
        let x = reg.employer(e);
        return Some(if mine(e) {
            format!(
                "{}, which the person founded (employers.csv:{}), insures them for the month: its SI is the month's to subsidise",
                x.id, x.line
            )
        } else {
            format!(
                "the employer {} insures the person for the month (employer SI rows)",
                x.id
            )
        });
    }
    let (first, last) = (m.period.first_day(), m.period.last_day());
    reg.employment_of(m.person)
        .filter(|c| !mine(c.employer))
        .find_map(|c| {
            let x = reg.employer(c.employer);
            if c.contract_start <= first && c.last_day().is_none_or(|d| d >= last) {
                Some(format!(
                    "a labour contract with {} covers the month (employment.csv:{})",
                    x.id, c.line
                ))
            } else if c.in_force_in(m.period)
                && crate::programmes::flexible::hire_paid(ctx, c.employer, m.person, m.period)
            {
                // (its SI of the month an earlier run subsidised, the rows gone from a
                // window: as the flexible driver reads it — a code review found the month
                // paid to both)
                Some(format!(
                    "a labour contract with {} covers part of the month (employment.csv:{}) and an earlier run subsidised its SI of the person for it",
                    x.id, c.line
                ))
            } else {
                None
            }
        })
}

impl super::month::MonthCtx<'_> {
    /// Whether an earlier run paid the month to the founder as their own SI (a line of the
    /// founders' own programme, `founders_prog`, to the person).
    pub(super) fn paid_as_own(&self, founders_prog: Option<&dyn HireProgramme>) -> bool {
        let (ctx, m) = (self.ctx, self.m);
        founders_prog.is_some_and(|p| {
            let key = ctx.payment_id(p.code(), &Payee::Person(m.person), m.person, m.period, 0);
            matches!(ctx.history.seen(&key), Seen::Paid(_))
        })
    }

    /// A founder's own month (their SI paid as a flexible worker) that is theirs no longer:
    /// whether the month is done with. An own month paid earlier that the start-up's 补缴 took
    /// since — this run (`startup_took`), or an earlier one — is the start-up's: the own line is
    /// held for recovery, and takes no top-up or clawback of its own (a code review found its
    /// late medical topped up beside the recovery). An own month that an employer insures the
    /// founder for, or that a labour contract elsewhere covers whole, is a month of that
    /// employment (one SI subsidy per person and month): said `EMPLOYED_DURING_FLEXIBLE_MONTH`
    /// when no run paid it as their own; when an earlier run did (a 补缴 of an employer since),
    /// the own line held for recovery, as a run seeing both at once refuses the own month (a
    /// code review found monthly runs keep it, a catch-up run refuse it) — said once
    /// (`flexible::employed_group`), and the month takes no top-up.
    pub(super) fn own_month_done(
        &self,
        founders_prog: Option<&dyn HireProgramme>,
        founders: &Founders,
        startup_took: &[Month],
        out: &mut Outcome,
    ) -> bool {
        let (ctx, m, pid) = (self.ctx, self.m, self.pid);
        let paid_as_own = self.paid_as_own(founders_prog);
        if paid_as_own
            && founders_prog.is_some_and(|p| {
                startup_took.contains(&m.period)
                    || founders.enterprises.get(&m.person).is_some_and(|es| {
                        es.iter().any(|&e| {
                            let key = ctx.payment_id(
                                p.code(),
                                &Payee::Employer(e),
                                m.person,
                                m.period,
                                0,
                            );
                            matches!(ctx.history.seen(&key), Seen::Paid(_))
                        })
                    })
            })
        {
            return true;
        }
        let (Some(why), Some(prog)) = (founder_employed(ctx, founders, m), founders_prog) else {
            return false;
        };
        let code = prog.code();
        if !paid_as_own {
            out.exceptions.push(self.info(
                Code::EmployedDuringFlexibleMonth,
                format!(
                    "{}: {why}: the founder's own SI as a flexible worker is not subsidised for it (one SI subsidy per person and month)",
                    m.period
                ),
                code,
                self.outside_amount(prog),
            ));
            return true;
        }
        let marker = crate::programmes::flexible::employed_group(m.period);
        if ctx.history.first_application_run(&marker, pid).is_none() {
            let (own_key, ids) = own_line_ids(ctx, code, m.person, m.period);
            let x = self.info(
                Code::FlexibleMonthEmployed,
                format!(
                    "{}: an earlier run paid {code} for this month to the founder as their own SI, paid as a flexible worker (line {own_key}), but {why}: a month of employment (one SI subsidy per person and month) — recover the founder's line if the employment stands",
                    m.period
                ),
                code,
                0,
            );
            out.exceptions
                .push(x.recover(ids, recover_from(&Payee::Person(m.person), pid)));
            out.said_once(marker, pid.to_string(), m.period, ctx.payout.last_day());
        }
        true
    }

    /// A founder's month an earlier run paid the founder as their own SI, paid as a flexible
    /// worker, that the start-up's line (`month_key`, of programme `code`) takes: the month is
    /// the start-up's (its 补缴), as a run seeing both decides — the own line to recover,
    /// said once, at the start-up's first line (`led`: not for a top-up, nor a retry), and not
    /// while that line is withheld for want of an account, nor by the run that pays it then
    /// (a code review).
    pub(super) fn say_own_line_taken(
        &self,
        code: &'static str,
        (month_key, led): (&str, &super::priced::Ledgered),
        out: &mut Outcome,
    ) {
        let (ctx, m) = (self.ctx, self.m);
        if led.top_up.is_some()
            || led.seq != 0
            || ctx.history.withheld_basis(month_key, 0).is_some()
        {
            return;
        }
        let (own_key, ids) = own_line_ids(ctx, code, m.person, m.period);
        let x = self.info(
            Code::FlexibleMonthEmployed,
            format!(
                "{}: an earlier run paid {code} for this month to the founder as their own SI, paid as a flexible worker (line {own_key}), but this run subsidises the SI the start-up {} now shows for them (its 补缴): a month of the start-up's, as a run seeing both decides (one SI subsidy per person and month) — recover the founder's line if the start-up's SI stands",
                m.period, self.employer
            ),
            code,
            0,
        );
        out.exceptions
            .push(x.recover(ids, recover_from(&Payee::Person(m.person), self.pid)));
    }
}
