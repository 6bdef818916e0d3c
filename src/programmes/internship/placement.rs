//! One placement as `placement_months` walks it (`Placement`): the rows it says, cited at
//! its roster line, and the steps of a month that end in a row — the roster contradicting
//! itself, a placement with no intern-month, the month's price, the limit reached.

use super::*;
use crate::domain::{CreditCode, ResidentId};

/// An intern-month as priced, for its lines (`Placement::base_line`, `mentor_line`).
pub(super) struct PricedMonth<'a> {
    pub month: Month,
    /// the day whose rules price it (`pricing_day`)
    pub day: Date,
    /// the placement's last day (`placement_end`)
    pub end: Date,
    /// why the intern qualifies
    pub why: &'a str,
    /// the conditions both lines cite: the intern's eligibility, the 12 months, the 15 days
    pub elig_params: &'a [ParamRef],
    /// the stipend floor, where the pipeline's text sets one
    pub floor_ref: Option<ParamRef>,
}

/// What a placement's limit counts before its months in a run (`Placement::before`).
pub(super) struct Before<'h> {
    /// the placements of the person at the host this one runs back to back with (`chain_of`)
    pub chain: Vec<usize>,
    /// the intern-months counted before this run's of the placement: earlier runs' under it,
    /// its chain and rows the roster dropped, and this run's under its chain
    pub earlier_runs: u32,
    /// months an earlier placement the roster no longer lists keeps (a hand-over), with the
    /// placement's own months paid under an id the roster renumbered it from
    pub handed_over: Vec<Month>,
    /// those renumbered months, with the limit group they were paid under
    pub renamed: Vec<(Month, &'h str)>,
    /// the hand-over months a placement the roster no longer lists keeps, by the ledger's
    /// dates (`handed_elsewhere`)
    pub kept_by_dropped: Vec<Month>,
}

/// A placement of the roster, with its intern and host as the registers name them.
pub(super) struct Placement<'a> {
    pub ctx: &'a Ctx<'a>,
    /// its index in the roster
    pub i: usize,
    pub p: &'a InternshipRow,
    /// the roster's placements of each person (indexes), in start order
    pub by_person: &'a FxHashMap<u32, Vec<usize>>,
    pub person: ResidentId,
    pub host: CreditCode,
    /// the intern's resident ID, as the ledger's history keys it
    pub pid: String,
}

impl Placement<'_> {
    /// A row of programme `prog` at the placement's roster line.
    pub fn row(&self, code: Code, msg: String, prog: &'static str) -> Exception {
        Exception::new(code, msg)
            .at("internships.csv", self.p.line)
            .programme(prog)
            .person(self.person)
            .employer(self.host)
    }

    /// Where the roster contradicts itself, the analyst is told: left early without a date
    /// (the months are paid as the row reads them: an empty left_on is still in placement);
    /// and the intern named their own mentor (`own_mentor`, with mentor lines on: the months
    /// are paid, the mentor line is not — 带教老师 teach the 见习学员; a review found the
    /// intern paid 150 a month for mentoring themself).
    pub fn roster_contradictions(&self, own_mentor: bool, out: &mut Outcome) {
        let p = self.p;
        if p.outcome == PlacementOutcome::LeftEarly && p.left_on.is_none() {
            out.exceptions.push(self.row(
                Code::InternLeftWithoutDate,
                format!(
                    "placement {}: outcome left_early but left_on is empty (empty = still in placement): its months are paid as in placement up to {}; ask the host for the date the intern left",
                    p.placement_id,
                    p.planned_end.min(self.ctx.payout.last_day())
                ),
                BASE,
            ));
        }
        if own_mentor {
            out.exceptions.push(self.row(
                Code::MentorIsIntern,
                format!(
                    "placement {}: mentor_id is the intern's own ID: no mentor line (带教补贴 is for a mentor teaching the intern); correct mentor_id to the mentor's ID",
                    p.placement_id
                ),
                MENTOR,
            ));
        }
    }

    /// A placement none of whose calendar months it covers half of (27 days from the 18th: 13
    /// of one month, 14 of the next; or `min_days` of a longer month) has no intern-month:
    /// said, not left silent (a cold review) — not of a placement wholly before the rules,
    /// whose months are NO_RULE_IN_FORCE's (a regression review).
    pub fn no_intern_month(&self, min_days: i32, out: &mut Outcome) {
        let (ctx, p) = (self.ctx, self.p);
        let (start, end) = (p.start_date, placement_end(p));
        if start > end || Month::of(start) > ctx.payout || base_share(ctx, end).is_err() {
            return;
        }
        // (each month the placement touches, with its days)
        let mut per_month = Vec::new();
        let mut m = Month::of(start);
        while m <= Month::of(end) {
            per_month.push((m, days_in(m, start, end)));
            m = m.next();
        }
        if per_month
            .iter()
            .any(|&(m, days)| counts(m, days, i64::from(min_days)))
        {
            return;
        }
        let days: Vec<String> = per_month
            .iter()
            .map(|(m, days)| format!("{days} of {m}"))
            .collect();
        out.exceptions.push(self.row(
            Code::InternNoMonth,
            format!(
                "placement {} ({start}..{end}): no calendar month holds half of its days ({}): no intern-month (“每人每月”: a month counts when the placement covers half of it, or {min_days} days of a longer month)",
                p.placement_id,
                days.join(", ")
            ),
            BASE,
        ));
    }

    /// What prices intern-month `month` on its pricing day `day` (the placement running from
    /// `from_day`, the later of its start and the intern's group's first day): the
    /// minimum wage and the share of it in force. `None` when the month cannot be priced:
    /// no minimum wage figure in force, no rate in force, or a rate a bureau set to 0 from a
    /// date (to end the subsidy: the month is one of the placement's, not paid, and uses none
    /// of the 12 — nor pays a mentor line, which follows the intern-month; until 2026-12-07
    /// priced 0.00 and counted, the mentor's 150 paid beside it: a grader) — said.
    pub fn price(
        &self,
        month: Month,
        day: Date,
        from_day: Date,
        out: &mut Outcome,
    ) -> Result<Option<(ParamRef, ParamRef)>, Error> {
        let ctx = self.ctx;
        let end = placement_end(self.p);
        let err = |e| Error(BASE, e);
        let wage = match ctx.params.at("min_wage", day) {
            Ok(w) => w,
            Err(ParamError::NotInForce { .. }) => {
                out.exceptions.push(self.row(
                    Code::NoRuleInForce,
                    format!(
                        "{month}: no minimum wage figure of this pipeline in force (min_wage{}): the month cannot be priced",
                        ctx.params
                            .first_from("min_wage")
                            .map_or(String::new(), |d| format!(" from {d}"))
                    ),
                    BASE,
                ));
                return Ok(None);
            }
            Err(e) => return Err(err(e)),
        };
        let why = match base_share(ctx, day) {
            Ok(s) if !s.value.is_zero() => return Ok(Some((wage, s))),
            Ok(s) => format!(
                "{month}: the internship subsidy rate in force is 0 ({s}): not paid, and the month uses none of the placement's intern-months"
            ),
            Err(ParamError::NotInForce { .. }) => match base_share(ctx, month.first_day()) {
                // (the month the rules take effect in: its days under them are too few for an
                // intern-month — said so, not as no rate at all: a review)
                Err(ParamError::NotInForce { first, .. })
                    if first > month.first_day() && first <= month.last_day() =>
                {
                    format!(
                        "{month}: the internship rules are in force from {first}; the placement's {} day(s) of {month} from then make no intern-month (at least half the month)",
                        days_in(month, first.max(from_day), end)
                    )
                }
                // (when the rules begin, as the SI months say it: an auditor was not told — a
                // regression review)
                Err(ParamError::NotInForce { first, name, .. }) => format!(
                    "{month}: no internship subsidy rate in force: the rules begin {first} ({name})"
                ),
                _ => format!("{month}: no internship subsidy rate in force"),
            },
            Err(e) => return Err(err(e)),
        };
        out.exceptions
            .push(self.row(Code::NoRuleInForce, why, BASE));
        Ok(None)
    }

    /// The message of intern-month `month` beyond the limit of `max` intern-months: the
    /// placement's, or the internship's where placements at the same host run back to back
    /// with it (`chain`: one internship, “见习期限……最长不超过1年”).
    pub fn limit_reached(&self, month: Month, max: i32, chain: &[usize]) -> String {
        let p = self.p;
        if chain.is_empty() {
            return format!(
                "placement {} month {month}: the placement's limit of {max} intern-months is reached",
                p.placement_id
            );
        }
        let mut ids: Vec<(Date, &str)> = chain
            .iter()
            .map(|&j| {
                let q = &self.ctx.inputs.internships[j];
                (q.start_date, q.placement_id.as_str())
            })
            .collect();
        ids.sort_unstable();
        format!(
            "placement {} month {month}: the internship's limit of {max} intern-months is reached (placement {} at the same host run back to back with it: one internship, “见习期限……最长不超过1年”)",
            p.placement_id,
            ids.iter().map(|(_, id)| *id).collect::<Vec<_>>().join(", ")
        )
    }

    /// Why intern-month `month` (priced on `day` by minimum wage `wage`) is held — possibly
    /// payable, withheld for review —, if it is, with the stipend floor the line cites where
    /// the pipeline's text sets one (Suzhou （九）: listed on the line, the month is paid
    /// because the stipend reaches it): a stipend below the floor; another placement of the
    /// person on a day of the month (`overlapping`); the intern insured that month by an
    /// employer without a labour contract (`declared`, this extract's; or remembered from an
    /// earlier run's); a labour contract on a day of the month the placement covers.
    pub fn hold(
        &self,
        month: Month,
        (day, wage): (Date, &ParamRef),
        overlapping: Option<usize>,
        declared: &Declared,
        out: &mut Outcome,
    ) -> Result<(Option<String>, Option<ParamRef>), Error> {
        let (ctx, p) = (self.ctx, self.p);
        let reg = &ctx.inputs.registers;
        let (start, end) = (p.start_date, placement_end(p));
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
                ctx.inputs.internships[other].placement_id, ctx.inputs.internships[other].line
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
                .first_application_run(&format!("{marker}/{code}"), &self.pid)
                .is_some()
        };
        if let Some(e) = insured_elsewhere {
            let code = reg.employer(*e).id.to_string();
            hold = Some(format!(
                "the intern is insured as an employee of {code} in {month} (no labour contract with it registered that month)"
            ));
            if ctx
                .history
                .first_application_run(&marker, &self.pid)
                .is_none()
            {
                out.said_once(
                    marker.clone(),
                    self.pid.clone(),
                    month,
                    ctx.payout.last_day(),
                );
            }
            if !marked(&code) {
                out.said_once(
                    format!("{marker}/{code}"),
                    self.pid.clone(),
                    month,
                    ctx.payout.last_day(),
                );
            }
        } else if let Some(on) = ctx
            .history
            .judged_on(&marker, &self.pid, month)
            // (not where this extract holds employer rows of the intern for the month, or
            // repeats the month, without them — corrected away —, the host is now the employer
            // that insured her, or a contract with that employer in the month is registered
            // since: its days judge it, below)
            .filter(|on| {
                !declared.contains_key(&(p.person, month))
                // (an extract repeating the month — rows of it paid by the day that run's
                // extract was taken — shows it without them: corrected away)
                && ctx.earliest_paid(month).is_none_or(|d| d > *on)
                && !marked(&self.host.to_string())
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
                format!("the host {} itself", self.host)
            } else {
                reg.employer(e.employer).id.to_string()
            };
            hold = Some(format!(
                "the intern has a labour contract with {with} (employment.csv:{}) covering {month}: employed, not 离校未就业",
                e.line
            ));
        }
        Ok((hold, floor_ref))
    }

    /// The intern-month's `internship_base` line (`seq`: its sequence in the month; `retry`:
    /// the bank's reason, for a line returned as failed — said, paid again): the minimum wage
    /// `wage` × the share `share` = `amount`, intern-month `count` of at most `max`, to the
    /// host, in limit group `limit_group` under month key `base_key`.
    pub fn base_line(
        &self,
        pm: &PricedMonth,
        (seq, retry): (u32, Option<String>),
        (wage, share, amount): (&ParamRef, &ParamRef, Money),
        (count, max): (u32, i32),
        (base_key, limit_group): (String, &str),
        out: &mut Outcome,
    ) {
        let (ctx, p, month, day) = (self.ctx, self.p, pm.month, pm.day);
        if let Some(reason) = retry {
            out.exceptions.push(
                self.row(
                    Code::PaymentRetry,
                    format!("{month}: the earlier line was returned as failed by the bank ({reason}): paid again"),
                    BASE,
                )
                .amount(amount)
                .for_line(&month_id(ctx, BASE, p.person, month, seq)),
            );
        }
        let mut params = pm.elig_params.to_vec();
        params.push(wage.clone());
        params.push(share.clone());
        // (a month before the document priced under the earlier standard it cites: the
        // parameter that lets it — an audit found Jiangyin's 2018 months citing only the 50 %)
        if ctx
            .params
            .first_from(super::super::DOCUMENT)
            .is_some_and(|d| day < d)
        {
            params.extend(ctx.params.at(EARLIER_STANDARD, day).ok());
        }
        params.extend(pm.floor_ref.clone());
        out.payments.push(Payment {
            reference: String::new(),
            payment_id: month_id(ctx, BASE, p.person, month, seq),
            month_key: base_key,
            si_basis: [0; 5],
            row_fp: 0,
            limit_group: limit_group.to_string(),
            programme: BASE,
            clause: ctx.clause(BASE),
            service_month: Some(month),
            payee: Payee::Employer(p.host),
            beneficiary: Party::Person(p.person),
            amount,
            basis: format!(
                "minimum wage {} × {} = {amount} for intern-month {count} of ≤ {max} ({})",
                wage.value,
                share.value,
                if day > month.first_day() {
                    // (the month a document takes effect: its days under the document, from
                    // the pricing day — a regression review found the whole month's)
                    format!(
                        "{} days of {month} from {day}, under the rules",
                        days_in(month, day, pm.end)
                    )
                } else {
                    format!("{} days of {month}", days_in(month, p.start_date, pm.end))
                }
            ),
            eligibility: pm.why.to_string(),
            params: params.into(),
            sources: vec![format!("internships.csv:{}", p.line)],
        });
    }

    /// The intern-month's `internship_mentor` line (`seq`, `retry` as for `base_line`): the
    /// mentor amount in force on the pricing day, to the host, under month key `mentor_key`.
    /// It follows the intern-month, and cites its conditions too (the intern's eligibility,
    /// the 12 months, the 15 days, the stipend floor: an audit found only the 150 cited).
    pub fn mentor_line(
        &self,
        pm: &PricedMonth,
        (seq, retry): (u32, Option<String>),
        mentor_key: String,
        out: &mut Outcome,
    ) -> Result<(), Error> {
        let (ctx, p, month) = (self.ctx, self.p, pm.month);
        let amt = ctx
            .params
            .at("internship_mentor.amount", pm.day)
            .map_err(|e| Error(MENTOR, e))?;
        if let Some(reason) = retry {
            out.exceptions.push(
                self.row(
                    Code::PaymentRetry,
                    format!("{month}: the earlier mentor line was returned as failed by the bank ({reason}): paid again"),
                    MENTOR,
                )
                .amount(Money::round(amt.value))
                .for_line(&month_id(ctx, MENTOR, p.person, month, seq)),
            );
        }
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
            payee: Payee::Employer(p.host),
            beneficiary: Party::Person(p.person),
            amount: Money::round(amt.value),
            basis: format!("mentoring 1 intern in {month} × {} yuan", amt.value),
            eligibility: format!("{}; mentor named", pm.why),
            params: pm
                .elig_params
                .iter()
                .cloned()
                .chain(pm.floor_ref.clone())
                .chain(std::iter::once(amt))
                .collect::<Vec<_>>()
                .into(),
            sources: vec![format!("internships.csv:{}", p.line)],
        });
        Ok(())
    }

    /// What the placement's limit counts before its months in this run (`limit_group`), and
    /// the months other placements keep: the placements of the person at this host this one
    /// runs back to back with (`chain`: one internship registered in several rows, its 12 are
    /// the chain's), the intern-months earlier runs paid under them and under rows the roster
    /// no longer lists (`listed_now`), and those this run pays under them before this one
    /// (`taken`: the person's placements are judged in start order).
    pub fn before<'h>(
        &'h self,
        listed_now: &FxHashSet<&str>,
        limit_group: &str,
        taken: &Taken,
    ) -> Before<'h> {
        let (ctx, p, pid): (&Ctx, &InternshipRow, &str) = (self.ctx, self.p, &self.pid);
        // the placements of the person at this host this one runs back to back with (one
        // internship registered in several rows: its 12 are the chain's, `chain_of`), and the
        // intern-months earlier runs paid under them
        let chain = chain_of(ctx, self.by_person, self.i);
        // (with the months they paid under another intern ID for the same placement, corrected
        // since — `other_intern_month`, as the placement itself counts them: a grader found a
        // renewal of a placement paid under a corrected ID paid twelve more months)
        let chain_earlier_runs: u32 = chain
            .iter()
            .map(|&j| {
                let q = &ctx.inputs.internships[j];
                let group = format!("{BASE}/{}", q.placement_id);
                let own = ctx.history.usage(&group, pid).map_or(0, |u| u.months);
                let others = if ctx.placement_interns(&group).iter().any(|o| *o != pid) {
                    let mut n = 0;
                    let mut m = Month::of(q.start_date);
                    while m <= Month::of(placement_end(q)).min(ctx.payout) {
                        if !ctx.history.month_paid(&group, pid, m)
                            && other_intern_month(ctx, (q, pid, BASE), self.by_person, m).is_some()
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
        let codes = host_codes(ctx, pid, p, &chain);
        let (dropped, mut handed_over, renamed) =
            dropped_rows_months(ctx, self.by_person, listed_now, p, &chain, pid, &codes);
        // (and the hand-over months an earlier run paid under a placement, at any host, this
        // roster no longer lists, that the ledger dates: it ends, this one begins in the month
        // without a shared day — the month is that placement's, not one of this one's
        // intern-months, as when both are listed, and so is its mentor line; a regression review
        // found a roster of current interns cost the later placement its twelfth month.
        // `handed_over` also holds a renamed placement's own months: not these)
        let kept_by_dropped = handed_elsewhere(ctx, listed_now, p, pid);
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
                    dropped_rows_months(ctx, self.by_person, listed_now, q, &[], pid, &codes);
                let mut months: Vec<Month> = renamed_q
                    .iter()
                    .map(|(m, _)| *m)
                    .filter(|m| !ctx.history.month_paid(&group, pid, *m))
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
        let earlier_runs = ctx.history.usage(limit_group, pid).map_or(0, |u| u.months)
            + chain_earlier_runs
            + chain_now;
        Before {
            chain,
            earlier_runs,
            handed_over,
            renamed,
            kept_by_dropped,
        }
    }

    /// An INTERN_MONTH_ALREADY_COUNTED row of a month paid by an earlier run, with the
    /// month's amount (the minimum wage × the share on its pricing day `day`) where in force.
    pub fn with_base_amount(&self, row: Exception, day: Date) -> Exception {
        match (
            self.ctx.params.at("min_wage", day),
            base_share(self.ctx, day),
        ) {
            (Ok(w), Ok(s)) => row.amount(Money::round(w.value * s.value)),
            _ => row,
        }
    }

    /// A mentor line's row with the amount it is about (when one is in force on `day`; the
    /// month is not paid here either way).
    pub fn with_mentor_amount(&self, row: Exception, day: Date) -> Exception {
        match self.ctx.params.at("internship_mentor.amount", day) {
            Ok(a) => row.amount(Money::round(a.value)),
            Err(_) => row,
        }
    }

    /// The row of a mentor line an earlier run paid for this placement under intern `o`
    /// (`month`, priced on `day`): not paid again.
    pub fn mentor_paid_under(&self, o: &str, (month, day): (Month, Date)) -> Exception {
        self.with_mentor_amount(
            self.row(
                Code::InternMonthCounted,
                format!(
                    "placement {} {month}: the mentor subsidy was paid by an earlier run for this placement under intern {o}: not paid again (the roster's person_id corrected since?)",
                    self.p.placement_id
                ),
                MENTOR,
            ),
            day,
        )
    }

    /// The row of programme `prog` for `month`, which an earlier placement of the person
    /// (`j`) keeps: “in this run” where this run takes the month under it (`taken`); else an
    /// earlier run paid it there, or the placement keeps it unpaid (until 2026-12-07 “in this
    /// run” throughout: a grader's month paid by an earlier run).
    pub fn counted_under(
        &self,
        j: usize,
        prog: &'static str,
        month: Month,
        taken: &Taken,
    ) -> Exception {
        let ctx = self.ctx;
        let q = &ctx.inputs.internships[j];
        let when = if taken.base.get(&month) == Some(&j) || taken.mentor.get(&month) == Some(&j) {
            " in this run"
        } else if ctx
            .history
            .month_paid(&format!("{BASE}/{}", q.placement_id), &self.pid, month)
        {
            ", subsidised by an earlier run"
        } else {
            ""
        };
        self.row(
            Code::InternMonthCounted,
            format!(
                "placement {} {month}: the month is already counted under placement {} (internships.csv:{}) of the same person{when}",
                self.p.placement_id, q.placement_id, q.line
            ),
            prog,
        )
    }
}
