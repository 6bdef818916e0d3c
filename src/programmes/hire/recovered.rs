//! Lines earlier runs paid another party for a month this run pays the employer an SI subsidy
//! for (a labour contract, employer SI paid): the month was employment — an intern-month paid
//! to the host, or a flexible month paid to the person, is for recovery, with the amount it
//! was paid, as a run seeing both at once decides.

use super::month::MonthCtx;
use super::*;

impl MonthCtx<'_> {
    /// An intern-month an earlier run paid for a month whose employer SI subsidy this line now
    /// pays: not 离校未就业 then — the intern-month (and its mentor line, where one was paid: it
    /// follows its intern-month, as within one run both are held) is for recovery from the host,
    /// with the amount it was paid (the minimum wage and share in force that month). Once per
    /// person and month whatever the employers (`intern_flagged`; `first_line`: not for a
    /// top-up, a retry of a failed line — said when it was first paid — or a founder's own
    /// month), and only where the contract covers a day the placement covers (a host hiring
    /// its intern the day after the placement ends paid both that month within one run too);
    /// nor where an earlier run said it (`interns_employed_since`, an employer no SI subsidy
    /// paid; or this driver, for another employer: a regression review found a month flagged
    /// twice). The row is the host's — the party to recover from —, naming the earlier line
    /// and the employer this run pays.
    pub(super) fn intern_month_recovered(
        &self,
        first_line: bool,
        contract: &EmploymentRow,
        intern_flagged: &mut Vec<Month>,
        out: &mut Outcome,
    ) {
        let (ctx, m, pid) = (self.ctx, self.m, self.pid);
        let host = if first_line
            && !intern_flagged.contains(&m.period)
            && ctx
                .history
                .first_application_run(&intern_employed(m.period), pid)
                .is_none()
            && !crate::programmes::internship::still_not_due(ctx, m.person, pid, m.period)
        {
            contract_meets_a_placement(ctx, contract, m.period)
        } else {
            None
        };
        let Some(host) = host else {
            return;
        };
        use crate::programmes::internship::{month_id, BASE, MENTOR};
        for (line, amount) in [
            (BASE, intern_month_amount(ctx, m.period)),
            (
                MENTOR,
                ctx.params
                    .at("internship_mentor.amount", m.period.first_day())
                    .map(|a| a.value),
            ),
        ] {
            if !intern_month_paid(ctx, line, m.person, m.period) {
                continue;
            }
            if intern_flagged.last() != Some(&m.period) {
                intern_flagged.push(m.period);
                out.said_once(
                    intern_employed(m.period),
                    pid.to_string(),
                    m.period,
                    ctx.payout.last_day(),
                );
            }
            let h = ctx.inputs.registers.employer(host);
            let x = Exception::new(
                Code::InternMonthEmployed,
                format!(
                    "{}: an earlier run paid {line} for this month to the host {} (line {}), but this run pays the employer {} an SI subsidy for it (labour contract, employer SI paid): not an intern (离校未就业) that month — recover it from the host if the contract stands",
                    m.period,
                    h.id,
                    month_id(ctx, line, m.person, m.period, 0),
                    self.employer
                ),
            );
            let mut x = m
                .cited(x)
                .programme(line)
                .person(self.person)
                .employer(h.id);
            if let Some(a) = amount.ok().map(Money::round).filter(|a| a.is_positive()) {
                x = x.amount(a);
            }
            out.exceptions.push(x);
        }
    }

    /// A month an earlier run paid as flexible work, to the person, whose employer SI this
    /// line now subsidises (the employer's 补缴 of the hire month, or a contract registered
    /// since): a month of employment, not flexible work — as within one run, where the
    /// employer is paid and the person not — so the employer is paid and the flexible line is
    /// for recovery, with its amount (its programme's standard that month). Said once per
    /// person and month (`flex_flagged`): not for a second employer of the month (this run's
    /// or an earlier run's line, `group` in the ledger), a retry of a failed line or a line an
    /// earlier run withheld (`month_key`: that run said it), nor a top-up (`first_line`; a
    /// review found one 520.00 line claimed back twice), nor when an earlier run said it before
    /// the employer's line could be paid (`flexible::employed_since`: a regression review found
    /// 400.00 claimed twice). A fixed post subsidy is paid beside an SI subsidy and says
    /// nothing (`first_line` is false for it).
    pub(super) fn flexible_month_recovered(
        &self,
        first_line: bool,
        (group, month_key): (&str, &str),
        flex_flagged: &mut Vec<Month>,
        out: &mut Outcome,
    ) {
        let (ctx, m, pid) = (self.ctx, self.m, self.pid);
        let flag = first_line
            && !flex_flagged.contains(&m.period)
            && !ctx.history.month_paid(group, pid, m.period)
            && ctx.history.withheld_basis(month_key, 0).is_none()
            && ctx
                .history
                .first_application_run(&crate::programmes::flexible::employed_group(m.period), pid)
                .is_none();
        let Some(q) = flag
            .then(|| flexible_paid(ctx, m.person, m.period))
            .flatten()
        else {
            return;
        };
        flex_flagged.push(m.period);
        let x = Exception::new(
            Code::FlexibleMonthEmployed,
            format!(
                "{}: an earlier run paid {} for this month to the person as flexible work (line {}, or its retry if the bank returned it), but this run subsidises the month's SI to the employer {} (labour contract, employer SI paid): a month of employment, not flexible work (one SI subsidy per person and month) — recover the flexible line from the person if the contract and the employer's SI stand",
                m.period,
                q.code(),
                ctx.payment_id(q.code(), &Payee::Person(m.person), m.person, m.period, 0),
                self.employer
            ),
        );
        let mut x = m.cited(x).programme(q.code()).person(self.person);
        if let Some(a) = q
            .amount(ctx, m.period)
            .ok()
            .map(|a| Money::round(a.value))
            .filter(|a| a.is_positive())
        {
            x = x.amount(a);
        }
        out.exceptions.push(x);
    }
}
