//! What earlier runs paid: a month under this or another programme, employer or contract
//! (`month_paid_earlier`, `paid_under`, …).

use super::month::{MonthCtx, Verdict};
use super::priced::Pricing;
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

impl MonthCtx<'_> {
    /// One SI subsidy per person, employer and month across programmes and runs: a month an
    /// earlier run paid under another programme (the registers corrected since: a
    /// registration entered late, a category lost) is not paid again under `progs[k]`. When
    /// that programme qualifies for the month too and comes later, it handles the month
    /// (top-ups, reversals: `Next`); otherwise the month is reported and left (`Done`). `None`
    /// when no other programme paid it. (Looked up only for a month this programme has not
    /// paid: new, or failed and due again — a failed line is not retried once another
    /// programme has paid the month.)
    pub(super) fn paid_under_another(
        &self,
        (progs, k): (&[&dyn HireProgramme], usize),
        judged: &Judged,
        seen: &Seen,
        contract: &EmploymentRow,
        payee: &Payee,
        out: &mut Outcome,
    ) -> Option<Verdict> {
        if matches!(seen, Seen::Paid(_)) {
            return None;
        }
        let (ctx, m, si_of) = (self.ctx, self.m, self.si_of);
        let code = progs[k].code();
        let (j, q, entry) = progs.iter().enumerate().find_map(|(j, q)| {
            if j == k {
                return None;
            }
            let key = ctx.payment_id(q.code(), payee, m.person, m.period, 0);
            match ctx.history.seen(&key) {
                Seen::Paid(entry) => Some((j, *q, entry)),
                _ => None,
            }
        })?;
        let q_covers = self
            .rows
            .iter()
            .any(|&i| judged[j][i].is_ok() && self.covers(i));
        if j > k && q_covers {
            return Some(Verdict::Next);
        }
        // the programme that paid no longer qualifies: it cannot top the month up or claw it
        // back, so a change of the month's SI is said here, under its name
        let (reversed, extra) = compare(m, &entry.basis);
        if reversed > 0 {
            let x = self.reversal(
                q,
                contract,
                payee,
                format!(" under {}", q.code()),
                (entry, reversed, false),
            );
            if x.is_some() {
                out.said_once(
                    reversed_marker(q.code(), &ctx.payee_id(payee), m.period),
                    self.pid.to_string(),
                    m.period,
                    ctx.payout.last_day(),
                );
            }
            out.exceptions.extend(x);
        } else {
            let more: i64 = extra.iter().sum();
            let note = if more > 0 {
                format!(
                    "; its SI is now higher by {} (paid late), which {} no longer tops up",
                    Money::from_cents(more),
                    q.code()
                )
            } else {
                String::new()
            };
            out.exceptions.push(self.info(
                Code::SiMonthAlreadySubsidised,
                format!(
                    "{si_of} for {} was subsidised under {} by an earlier run: not paid again under {code} (one SI subsidy per person, employer and month){note}",
                    m.period,
                    q.code()
                ),
                code,
                more,
            ));
        }
        Some(Verdict::Done)
    }

    /// For a programme paying the person (`p`, a post's fixed amount), one line per person and
    /// month: whether the month is paid already — by this run under a post at another
    /// employer (`paid_this_run_elsewhere`: its months come first), or by an earlier run's line of it
    /// (`seen`, in limit group `group`; under another key: lines before 2026-12-02 named the
    /// employer). Said so; and a fixed amount paid on the evidence of a row of the month paid
    /// in time whose extract now shows the month's SI lowered and no row of it paid
    /// (refunded, corrected to arrears) has lost that evidence: the month's lines to recover,
    /// for review (a contract-only review found the post month silent where the hire subsidy
    /// of the same month said SI_REVERSAL). The evidence is a row paid in time at any of the
    /// person's posts of the month (`months`, the pair's `contracts`, the programme's
    /// `verdicts` of them): another post's unpaid rows take nothing away (a contract-only
    /// review found a month paid under one post clawed back, each run, for the unpaid rows of
    /// a second post overlapping it).
    pub(super) fn person_month_paid(
        &self,
        p: &dyn HireProgramme,
        paid_this_run_elsewhere: bool,
        (seen, group): (&Seen, &str),
        (contract, payee): (&EmploymentRow, &Payee),
        (months, contracts, verdicts): (&[SiMonth], &Pairs, &[Result<Finding, Miss>]),
        out: &mut Outcome,
    ) -> bool {
        let (ctx, m, pid) = (self.ctx, self.m, self.pid);
        let code = p.code();
        if paid_this_run_elsewhere {
            out.exceptions.push(self.info(
                Code::PostMonthAlreadyPaid,
                format!(
                    "{} is paid to the person once under {code} (a month, whatever the posts): this run pays it under the post at another employer",
                    m.period
                ),
                code,
                0,
            ));
            return true;
        }
        if matches!(seen, Seen::Failed(_)) || !ctx.history.month_paid(group, pid, m.period) {
            return false;
        }
        let evidence_elsewhere = || {
            months.iter().any(|o| {
                o.period == m.period
                    && o.paid_mask != 0
                    && o.employer != m.employer
                    && o.employer
                        .and_then(|e| contracts.get(&(m.person, e)))
                        .is_some_and(|v| {
                            v.iter().any(|&i| {
                                verdicts[i].is_ok() && self.employment[i].in_force_in(m.period)
                            })
                        })
            })
        };
        if let (Seen::Paid(entry), true) = (seen, p.fixed_amount()) {
            let (reversed, _) = compare(m, &entry.basis);
            if reversed > 0 && m.paid_mask == 0 && !evidence_elsewhere() {
                let ids: Vec<String> = (0..=entry.lines)
                    .map(|seq| ctx.payment_id(code, payee, m.person, m.period, seq))
                    .collect();
                let amount = p
                    .share(ctx, pricing_day(ctx, p, m.period, contract))
                    .map_or(0, |s| Money::round(s.value).cents());
                let x = self.info_at(
                    Code::SiReversal,
                    format!(
                        "employer SI for {} was {} when subsidised and no row of it is paid in this extract (refund or correction): the month's evidence for {code}'s fixed amount is gone, for review; nothing paid",
                        m.period,
                        Money::from_cents(entry.basis.iter().sum()),
                    ),
                    code,
                    amount,
                    reversed_row(m, &entry.basis, &ctx.inputs.contributions),
                );
                out.exceptions
                    .push(x.recover(ids, recover_from(payee, pid)));
                out.said_once(
                    reversed_marker(code, pid, m.period),
                    pid.to_string(),
                    m.period,
                    ctx.payout.last_day(),
                );
            }
        }
        true
    }

    /// The ledger's memory that programme `code` paid `payee` under `contract` and the pair
    /// (`PAID_FOR`), kept if the line `line_id` is paid (not withheld), where no earlier run
    /// remembers it.
    pub(super) fn remember_paid_for(
        &self,
        code: &str,
        (contract, payee): (&EmploymentRow, &Payee),
        line_id: &str,
        out: &mut Outcome,
    ) {
        let (ctx, m, pid) = (self.ctx, self.m, self.pid);
        let payee_id = ctx.payee_id(payee);
        for marker in [
            paid_for_marker(ctx, code, &payee_id, contract),
            paid_for_pair(code, &payee_id),
        ] {
            if ctx.history.first_application_run(&marker, pid).is_none() {
                let row = crate::ledger::FirstApplication {
                    limit_group: marker,
                    beneficiary_id: pid.to_string(),
                    first: m.period,
                    judged_on: contract.contract_start,
                };
                out.if_paid.push((line_id.to_string(), row));
            }
        }
    }

    /// One SI subsidy per person and month, for a month `p` has no line of or one returned as
    /// failed (a retry: its month may have been paid since under the corrected employer code —
    /// a cold review found it paid a second time when a later extract showed the old code
    /// again): whether an earlier run subsidised the month in limit group `group` already —
    /// a founder's own month through the SI of their start-up (the start-up's 补缴 of a month
    /// paid as the founder's own is paid, the own line held for recovery, `own_paid_before`,
    /// as a run seeing both at once decides: a cold review found monthly runs and a catch-up
    /// run differ), or a month paid to an employer the registers no longer show with the
    /// person (a corrected employer code). Said so.
    pub(super) fn subsidised_before(
        &self,
        p: &Pricing,
        group: &str,
        own_paid_before: bool,
        out: &mut Outcome,
    ) -> bool {
        let (ctx, m, pid, si_of) = (self.ctx, self.m, self.pid, self.si_of);
        let code = p.prog.code();
        if !ctx.history.month_paid(group, pid, m.period) {
            return false;
        }
        if self.own {
            out.exceptions.push(self.info(
                Code::SiMonthAlreadySubsidised,
                format!(
                    "{si_of} for {} is not subsidised: an earlier run subsidised the month under {code} through the SI of a start-up the person founded (here {}) (one SI subsidy per person and month)",
                    m.period, self.employer
                ),
                code,
                p.withheld(m.paid_total()),
            ));
            return true;
        }
        if !own_paid_before
            && !other_employer_paid(ctx, code, self.employer_ix, m.person, m.period)
            && !paid_where_not_due(ctx, code, self.employer_ix, m.person, m.period)
        {
            out.exceptions.push(self.info(
                Code::SiMonthAlreadySubsidised,
                format!(
                    "{} was subsidised under {code} by an earlier run to an employer the registers no longer show for this person (an employer code corrected?): not paid again to this employer — review the earlier line (disburse ledger lines --who <person>)",
                    m.period
                ),
                code,
                p.withheld(m.paid_total()),
            ));
            return true;
        }
        false
    }
}
