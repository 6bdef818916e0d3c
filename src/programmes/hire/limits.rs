//! Duration limits counted in the order the months were worked (`within_limit`): 36 or 60
//! months, until retirement, and the months another hire of the person used.

use super::month::MonthCtx;
use super::priced::Pricing;
use super::*;

/// Fixes the duration limit of a limit group's `run` if it is not fixed yet: at the first month
/// earlier runs subsidised (the ledger), or else — `first_here` — at `period`, the first
/// subsidised month, under the contracts of the employers paying it in this run. Whether the
/// limit is known.
#[allow(clippy::too_many_arguments)]
pub(super) fn fix_limit(
    ctx: &Ctx,
    prog: &dyn HireProgramme,
    run: &mut Running,
    group: &str,
    pid: &str,
    contract: &EmploymentRow,
    period: Month,
    months: &[SiMonth],
    first_here: bool,
) -> Result<bool, Error> {
    if run.limit.is_some() && !(run.provisional && run.periods.is_empty()) {
        // (another post of the person: its own limit, at the same first month)
        if prog.limit_per_contract(contract) {
            if let Some((employer, start, first, paid_now)) = run.fixed_for.take() {
                if (employer, start) == (contract.employer, contract.contract_start) {
                    run.fixed_for = Some((employer, start, first, paid_now));
                } else {
                    set_limit(ctx, prog, run, contract, first, paid_now)?;
                }
            }
        }
        return Ok(true);
    }
    let usage = ctx.history.usage(group, pid);
    run.provisional = usage.is_none() && !first_here;
    // “首次申请补贴时”: the first application is the run that first subsidised the group, for
    // its first month; an earlier month paid late (补缴) and subsidised by a later run is
    // applied for later — it does not move the first application back (until 2026-12-02 it
    // did: a woman 45 at her first subsidised month, 44 at a month paid late before it, lost
    // her 60 months in the run that paid it)
    let first = match usage {
        Some(u) => {
            run.count = u.months;
            u.first
        }
        None if first_here => period,
        // (a limit the first month does not change — a public-welfare post's retirement month
        // — is known all the same: a month past it was said to be “payable in a later run”
        // when its SI came late, an audit)
        None if prog.limit_known_beforehand(contract) => period,
        None => return Ok(false),
    };
    // the employers paying the first month in this run, when this run makes it the first (none
    // subsidised before it); else the ledger alone says who paid it (a month of another
    // employer paid late must not reopen the choice)
    let paid_now: Vec<u32> = if usage.is_none() {
        months
            .iter()
            .filter(|x| x.period == first && x.paid_total() > 0)
            .filter_map(|x| x.employer)
            .collect()
    } else {
        Vec::new()
    };
    if usage.is_none() {
        run.applied = prog
            .first_application_day(ctx, contract, first, &paid_now)
            .map(|d| (first, d));
    }
    set_limit(ctx, prog, run, contract, first, paid_now)?;
    Ok(true)
}

/// A month of a limit group as its duration limit is asked of (`LimitAsk::at_first_subsidy`,
/// `LimitAsk::known_beforehand`): programme `progs[k]`, its limit group `group`, `contract`
/// among the pair's contracts `rows`, the person's `months`, and `top_up` (a top-up adds to a
/// month already counted).
pub(super) struct LimitAsk<'a> {
    pub ctx: &'a Ctx<'a>,
    pub progs: &'a [&'a dyn HireProgramme],
    pub k: usize,
    pub contract: &'a EmploymentRow,
    pub rows: &'a [usize],
    pub m: &'a SiMonth,
    pub months: &'a [SiMonth],
    pub earlier: &'a Earlier<'a>,
    pub group: &'a str,
    pub top_up: Option<[i64; 5]>,
}

/// What a duration limit says of a month.
pub(super) enum Within {
    /// within it: the limit's note and parameters, and whether the month is counted already
    Yes(String, Vec<ParamRef>, bool),
    /// beyond it: the code and message (`limit_reason`)
    No(Code, String),
}

impl LimitAsk<'_> {
    /// Fixes `run`'s limit if it is not yet (`fix_limit`; at this month when `first_here`),
    /// and counts the same hire's months under another programme
    /// (`hire_months_elsewhere`): whether the limit is fixed, and those months.
    fn fix(
        &self,
        run: &mut Running,
        out: &Outcome,
        first_here: bool,
    ) -> Result<(bool, u32), Error> {
        let (ctx, m) = (self.ctx, self.m);
        let fixed = fix_limit(
            ctx,
            self.progs[self.k],
            run,
            self.group,
            self.earlier.pid,
            self.contract,
            m.period,
            self.months,
            first_here,
        )?;
        let offset = hire_months_elsewhere(
            ctx,
            self.progs,
            self.k,
            out,
            (self.contract, self.rows),
            m,
            self.earlier,
            (run, self.group),
        );
        Ok((fixed, offset))
    }

    fn verdict(&self, run: &Running, offset: u32) -> Within {
        let (within, note, ps, counted) = within_limit(
            self.ctx,
            run,
            self.group,
            self.earlier.pid,
            self.m,
            self.top_up,
            offset,
        );
        if within {
            Within::Yes(note, ps, counted)
        } else {
            let (c, msg) = limit_reason(run, self.m, &note);
            Within::No(c, msg)
        }
    }

    /// At the month's first subsidy: the limit fixed then if no earlier month fixed it.
    pub fn at_first_subsidy(&self, run: &mut Running, out: &Outcome) -> Result<Within, Error> {
        let (_, offset) = self.fix(run, out, true)?;
        Ok(self.verdict(run, offset))
    }

    /// Before the month's SI is looked at: the limit if an earlier month fixed it (the
    /// ledger's, or this run's); `None` if not — unless the same hire's months under another
    /// programme take the month beyond the limit the programme would have at it, whatever
    /// that month (a review: such a month, its SI late, was said “payable in a later run”,
    /// which then refused it).
    pub fn known_beforehand(
        &self,
        run: &mut Running,
        out: &Outcome,
    ) -> Result<Option<Within>, Error> {
        let (fixed, offset) = self.fix(run, out, false)?;
        if fixed {
            return Ok(Some(self.verdict(run, offset)));
        }
        if offset == 0 {
            return Ok(None);
        }
        let prog = self.progs[self.k];
        let here = Running {
            limit: Some(
                prog.limit(self.ctx, self.contract, self.m.period, &[])
                    .map_err(|e| Error::Param(prog.code(), e))?,
            ),
            ..Running::default()
        };
        Ok(match self.verdict(&here, offset) {
            Within::Yes(..) => None,
            no => Some(no),
        })
    }
}

/// Works out `run`'s limit under `contract` at the first month `first` (the employers paying it
/// in this run: `paid_now`), and remembers what it was worked out for (`Running::fixed_for`).
pub(super) fn set_limit(
    ctx: &Ctx,
    prog: &dyn HireProgramme,
    run: &mut Running,
    contract: &EmploymentRow,
    first: Month,
    paid_now: Vec<u32>,
) -> Result<(), Error> {
    run.limit = Some(
        prog.limit(ctx, contract, first, &paid_now)
            .map_err(|e| Error::Param(prog.code(), e))?,
    );
    run.fixed_for = Some((contract.employer, contract.contract_start, first, paid_now));
    Ok(())
}

/// Whether month `m` is within the fixed limit of `run` (a top-up adds to a month already
/// counted), with the limit's note and parameters, and whether the month is counted already.
pub(super) fn within_limit(
    ctx: &Ctx,
    run: &Running,
    group: &str,
    pid: &str,
    m: &SiMonth,
    top_up: Option<[i64; 5]>,
    offset: u32,
) -> (bool, String, Vec<ParamRef>, bool) {
    // a month another employer's line already counted (this run, or an earlier one, in this
    // limit group)
    let counted = run.periods.contains(&m.period)
        || (top_up.is_none() && ctx.history.month_paid(group, pid, m.period));
    let nth = run.count + offset + u32::from(!counted);
    let also = if offset > 0 {
        format!(" (with {offset} of this hire's months under another programme)")
    } else {
        String::new()
    };
    let (within, note, params) = match &run.limit {
        // (a month past the limit says how many were subsidised: “month 25 of ≤ 24” was said
        // of every later month alike, which read as a miscount — two cold reviews; a month past
        // both the months and the retirement month is past the months, the text's own limit)
        Some(
            Limit::Months(max, ps)
            | Limit::MonthsUntil(max, _, ps)
            | Limit::MonthsWithin(max, _, _, ps),
        ) if nth > *max => (
            false,
            format!("{} months subsidised already{also}, at most {max}", nth - 1),
            ps.clone(),
        ),
        Some(Limit::MonthsUntil(_, until, ps)) if m.period > *until => {
            (false, format!("until {until}"), ps.clone())
        }
        Some(Limit::MonthsWithin(_, last, what, ps)) if m.period > *last => {
            (false, format!("{what} ends with {last}"), ps.clone())
        }
        Some(
            Limit::Months(max, ps)
            | Limit::MonthsUntil(max, _, ps)
            | Limit::MonthsWithin(max, _, _, ps),
        ) => (true, format!("month {nth} of ≤ {max}{also}"), ps.clone()),
        Some(Limit::Until(until, ps)) => (m.period <= *until, format!("until {until}"), ps.clone()),
        Some(Limit::None) => (true, "no duration limit".to_string(), vec![]),
        None => (false, format!("month {nth} of ≤ 0"), vec![]),
    };
    (within || top_up.is_some(), note, params, counted)
}

/// Months of the hire `contract` belongs to — its employer, its renewal chain from the first
/// day (`hired_on`) to the chain's last contract's end (or the payout month), other than `m` —
/// that another programme continuing the same hire (`renewals_continue_the_hire`) subsidised,
/// in this run or an earlier one, and that programme `k`'s own limit (`run`, `group`) does not
/// count already (a month paid at another employer too): they count against `k`'s limit.
/// （七）'s “不超过3年” and （八）2's “不超过2年” are limits of one hire, not added one after
/// the other: a dibao graduate hired by a small firm on six months then renewed for three years
/// gets 36 months in all (6 under （八）2, 30 under （七）), and a new hire elsewhere after a spent
/// hardship limit gets its 24 graduate months less the months （七） paid of that hire. Jiangyin
/// （十一）'s “最长3年” of a redeployment counts the months of the redeployment (from its first
/// contract, `shares_limit_from`) that （十） paid as a graduate hire. 0 at once for a person no
/// other such programme paid. `rows`: the person's contracts with the employer.
#[allow(clippy::too_many_arguments)]
pub(super) fn hire_months_elsewhere(
    ctx: &Ctx,
    progs: &[&dyn HireProgramme],
    k: usize,
    out: &Outcome,
    (contract, rows): (&EmploymentRow, &[usize]),
    m: &SiMonth,
    earlier: &Earlier,
    (run, group): (&Running, &str),
) -> u32 {
    let used = earlier.used.get_or_init(|| {
        progs
            .iter()
            .map(|p| {
                p.renewals_continue_the_hire() && ctx.history.usage(p.code(), earlier.pid).is_some()
            })
            .collect()
    });
    let others: Vec<usize> = (0..progs.len())
        .filter(|&j| j != k && progs[j].renewals_continue_the_hire())
        .collect();
    let this_run = |code: &str| out.payments.iter().any(|p| p.programme == code);
    if others
        .iter()
        .all(|&j| !used[j] && !this_run(progs[j].code()))
    {
        return 0;
    }
    // (asked only now, for a person another programme paid: the redeployment's start judges
    // the contracts of its chain — not for every month of every contract)
    let Some(from) = progs[k].shares_limit_from(ctx, contract) else {
        return 0;
    };
    let reg = &ctx.inputs.registers;
    let employer = Payee::Employer(contract.employer);
    // (the chain's end: a later hire at the same employer is another hire — a review found its
    // months counted against an earlier one's 补缴)
    let to = rows
        .iter()
        .filter_map(|&i| reg.employment.get(i))
        .filter(|e| e.hired_on == contract.hired_on)
        .map(|e| e.last_day().map_or(ctx.payout, Month::of))
        .max()
        .unwrap_or(ctx.payout)
        .min(ctx.payout);
    // (a month `k`'s own limit counts already — paid under it at another employer, two jobs at
    // once — is not counted twice: a review found a hire stopped six months early)
    let own = |s: Month| run.periods.contains(&s) || ctx.history.month_paid(group, earlier.pid, s);
    let mut months: Vec<Month> = Vec::new();
    for &j in &others {
        let code = progs[j].code();
        // this run's lines of the hire
        months.extend(
            out.payments
                .iter()
                .filter(|p| p.programme == code && p.payee == employer)
                .filter_map(|p| p.service_month)
                .filter(|&s| s >= from && s <= to && s != m.period),
        );
        // earlier runs' (only for a person that programme subsidised)
        if used[j] {
            let mut s = from;
            while s <= to {
                if s != m.period {
                    let key = ctx.payment_id(code, &employer, m.person, s, 0);
                    if matches!(ctx.history.seen(&key), Seen::Paid(_)) {
                        months.push(s);
                    }
                }
                s = s.next();
            }
        }
    }
    months.sort_unstable();
    months.dedup();
    months.retain(|&s| !own(s));
    months.len() as u32
}

/// Records a month beyond programme `code`'s limit: the first programme's row, written if the
/// programmes after it neither pay nor report the month; a later programme beyond its own limit
/// too adds its reason to that row (a review: “54 months subsidised already, at most 36” named
/// （七） alone when （八）2's 24 were spent as well).
pub(super) fn note_beyond(
    beyond: &mut Option<(Exception, usize, usize)>,
    row: Exception,
    code: &str,
    out: &Outcome,
) {
    match beyond {
        None => *beyond = Some((row, out.payments.len(), out.exceptions.len())),
        // (the same reason from another contract of the pair: said once — a review found it
        // repeated)
        Some((first, _, _)) if first.message.contains(&row.message) => {}
        Some((first, _, _)) => {
            first.message = format!("{}; under {code}: {}", first.message, row.message);
        }
    }
}

/// The code and message of service month `period`, after `until`, the month the retirement
/// age is reached (the hire and flexible drivers alike).
pub(in crate::programmes) fn past_retirement(period: Month, until: Month) -> (Code, String) {
    (
        Code::RetirementAgeReached,
        format!(
            "{period}: after {until}, the month the retirement age is reached: no later month is subsidised under it"
        ),
    )
}

impl MonthCtx<'_> {
    /// A month beyond `p`'s limit (`c`, `msg`), its SI `si` withheld: its row, the month's if
    /// no programme after it pays or reports the month (`note_beyond`). Whether it refuses the
    /// contract as past retirement (no other contract of the programme is tried then).
    pub fn beyond_limit(
        &self,
        p: &Pricing,
        (c, msg): (Code, String),
        si: i64,
        beyond: &mut Option<(Exception, usize, usize)>,
        out: &Outcome,
    ) -> bool {
        let code = p.prog.code();
        note_beyond(beyond, self.info(c, msg, code, p.withheld(si)), code, out);
        c == Code::RetirementAgeReached
    }
}

/// The code and message of a month beyond the limit of `run`.
pub(super) fn limit_reason(run: &Running, m: &SiMonth, note: &str) -> (Code, String) {
    // (`within_limit` says “until …” of a month past the retirement month only)
    let past_until = |until: &Month| m.period > *until && note.starts_with("until ");
    match &run.limit {
        Some(Limit::Until(until, _) | Limit::MonthsUntil(_, until, _)) if past_until(until) => {
            past_retirement(m.period, *until)
        }
        _ => (
            Code::DurationLimitReached,
            format!("{}: limit reached ({note})", m.period),
        ),
    }
}
