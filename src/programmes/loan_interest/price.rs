//! An instalment priced (`Pricer::price`): the interest recomputed on the principal outstanding,
//! checked against the bank's figure, and the subsidy on the capped principal at the capped (or
//! benchmark) rate for the days inside the subsidised window, never above the interest charged.

use super::caps::{CapLeft, SharedCaps};
use super::survey::Candidate;
use super::terms::Terms;
use super::LoanRun;
use super::WHOLE_MONTHS;
use crate::domain::{Date, Money};
use crate::pipeline::{ParamError, ParamRef};
use crate::programmes::{loans, Outcome};
use rust_decimal::Decimal;

/// One instalment priced: the outstanding principal and the days of its period, the interest
/// recomputed and whether the bank's figure is off it by more than a cent, the subsidised days
/// and principal, the exact subsidy and its amount (rounded once, never above the interest
/// charged).
pub(super) struct Priced {
    pub(super) outstanding: Decimal,
    pub(super) days: i64,
    /// the whole months and odd days the bank charged by (PBoC's whole-month formula)
    pub(super) bank_months: Option<(u32, i64)>,
    /// the same, where the whole period is subsidised by them too (a part of it — the rules'
    /// start, the term's end — is subsidised by its days)
    pub(super) months: Option<(u32, i64)>,
    /// whether the whole-month formula was tried (the period holds a whole month)
    pub(super) months_tried: bool,
    pub(super) charged: Decimal,
    pub(super) off: bool,
    /// the loan read as half-open (its periods touch), but the bank's figure is the one of
    /// both ends counted: the periods overlap by the day they share, charged twice
    pub(super) overlap: bool,
    pub(super) sub_days: i64,
    /// the period's last day as the bank charged it (the day before its end, read half-open)
    pub(super) last: Date,
    pub(super) principal: Decimal,
    pub(super) exact: Decimal,
    pub(super) amount: Money,
}

/// What prices a loan's instalments, the same for each: its terms, the subsidised window, the
/// principal cap left to it and the day count.
pub(super) struct Pricer<'p> {
    run: &'p LoanRun<'p, 'p>,
    pub(super) terms: &'p Terms,
    /// the subsidised days: from the rules' first day (and the loan's start, and its share's
    /// first day) to the subsidised term's last
    pub(super) window_start: Date,
    pub(super) window_end: Date,
    /// the day count (`loan_interest.day_count`)
    pub(super) basis: ParamRef,
    /// the principal cap left to the loan, what the borrower's earlier loans take of it, and
    /// the lines' eligibility text
    pub(super) left: CapLeft<'p>,
    /// `loan_interest.whole_months`, where the pipeline takes PBoC's whole-month formula
    pub(super) whole_months: Option<ParamRef>,
    /// the loan's repayment days (its start's, and its schedule's where another)
    due_days: [Option<u32>; 2],
}

impl<'p> Pricer<'p> {
    /// The loan's pricing under `terms` in the window `(start, end)`; says where the
    /// principal cap binds an instalment priced now (`CapLeft::of`).
    pub(super) fn new(
        run: &'p LoanRun<'p, 'p>,
        terms: &'p Terms,
        (window_start, window_end): (Date, Date),
        shared: &'p SharedCaps,
        candidates: &[Candidate],
        out: &mut Outcome,
    ) -> Result<Pricer<'p>, ParamError> {
        let (ctx, loan, head) = (run.ctx, run.loan, run.head);
        // (days per year: a whole number above 0 — 25.5 was used as a divisor, 0 divided by
        // nothing: a review)
        let (days_per_year, basis) = ctx
            .params
            .int_at_or_first("loan_interest.day_count", head.start_date)?;
        if days_per_year <= 0 {
            return Err(ParamError::OutOfRange {
                name: basis.name.to_string(),
                value: basis.value,
                from: basis.from,
                why: "days per year must be above 0",
            });
        }
        let priced = |i: usize| in_window(loan.rows[i], (window_start, window_end));
        let left = CapLeft::of(run, terms, shared, candidates, priced, out);
        // (a bank may charge by whole months: read once a loan — a review found monthly loans of
        // 435.00 held, 120000 at 4.35 % / 12, where days / 360 gave 449.50 for a 31-day month)
        // (declared, its value must be a whole number: a bad one stops the run, not read as 0)
        let whole_months = ctx.params.switch(WHOLE_MONTHS, head.start_date)?;
        // (the loan's repayment day: the months run from it, clamped to a short month's last day —
        // its start's day, or the schedule's, a loan drawn on the 10th repaid at each month's end:
        // a regression review)
        let due_days = {
            let start = chrono::Datelike::day(&head.start_date);
            let sched = loan
                .rows
                .iter()
                .map(|r| chrono::Datelike::day(&r.due_date))
                .max()
                .unwrap_or(start);
            [Some(start), (sched != start).then_some(sched)]
        };
        Ok(Pricer {
            run,
            terms,
            window_start,
            window_end,
            basis,
            left,
            whole_months,
            due_days,
        })
    }

    /// Whether the loan's periods are read half-open (算头不算尾: each begins on the previous
    /// one's end).
    pub(super) fn half_open(&self) -> bool {
        self.run.loan.half_open
    }

    /// Whether instalment `i` has days within the subsidised term, so that it is priced (a cap
    /// binding only instalments past the term binds nothing: a differential review found
    /// LOAN_PRINCIPAL_CAPPED repeated by runs that priced nothing).
    pub(super) fn priced(&self, i: usize) -> bool {
        in_window(self.run.loan.rows[i], (self.window_start, self.window_end))
    }

    /// The rate a contract rate is subsidised at: capped at the benchmark plus the markup, or
    /// the benchmark itself where the share is “of the benchmark-rate interest” (按照基准利率50%
    /// 给予贴息), whatever the contract rate — below it too. (Each instalment at its own row's
    /// contract rate: a repriced loan's rows differ.)
    pub(super) fn rate_of(&self, contract: Decimal) -> Decimal {
        let t = self.terms;
        if let Some(b) = t.benchmark.as_ref().filter(|_| t.at_benchmark) {
            b.value
        } else {
            t.rate_cap.map_or(contract, |cap| contract.min(cap))
        }
    }

    /// Instalment `i` priced: what the bank should have charged and what is subsidised.
    pub(super) fn price(&self, i: usize) -> Priced {
        let (loan, t, basis) = (self.run.loan, self.terms, &self.basis);
        let (window_start, window_end) = (self.window_start, self.window_end);
        let r = loan.rows[i];
        let outstanding = loan.outstanding_before(i).decimal();
        // the period counts both its ends (accrual_end is its last day); a bank that wrote the
        // repayment day as accrual_end (算头不算尾, end − start days) is recognised by its
        // figure, and the same days are then subsidised
        // (a bank figure within a cent of the recomputed one, rounded to the cent, agrees)
        let cent = Decimal::new(1, 2);
        let off = |x: Decimal| (Money::round(x).decimal() - r.interest_due.decimal()).abs() > cent;
        let (mut last, mut days) = (r.accrual_end, loans::days(r.accrual_start, r.accrual_end));
        if loan.half_open {
            days -= 1;
            last = r.accrual_end.pred_opt().unwrap_or(r.accrual_end);
        }
        let mut charged = loans::interest(outstanding, r.annual_rate, days, basis.value);
        // (only for a period written up to its repayment day — accrual_end on or after the due
        // date —, as a bank counting 算头不算尾 writes it: a period ending before its repayment
        // was written with its last day, and a figure a day short is the bank's error, held
        // LOAN_INTEREST_MISMATCH; and not in a loan whose periods show they are written with
        // their last day — each begins the day after the previous one ends (calendar months
        // due on their last day): held too. Until 2026-12-03 any figure a day short was taken,
        // two cold reviews. The due-date test reads the row alone, so that a first instalment
        // of a 算头不算尾 bank is judged alike in every run; the periods' test needs two rows,
        // and a bank that writes last-day periods and charges a day short is in error anyway.
        // A loan whose periods touch is read half-open throughout, above.)
        if off(charged)
            && days > 1
            && !loan.half_open
            && !loan.inclusive
            && r.accrual_end >= r.due_date
        {
            let excl = loans::interest(outstanding, r.annual_rate, days - 1, basis.value);
            if !off(excl) {
                days -= 1;
                charged = excl;
                last = r.accrual_end.pred_opt().unwrap_or(r.accrual_end);
            }
        }
        // PBoC's whole-month formula, where the pipeline takes it: the months and odd days of
        // the period the bank charged by it (and subsidised the same way when the whole period
        // is subsidised; a part of it — the rules' start, the term's end — by its days)
        // (the period as written and, written up to its repayment day — 算头不算尾, as for days
        // above —, a day shorter: a regression review found a loan's first monthly instalment,
        // seen alone, held)
        let mut months = None;
        let mut months_tried = false;
        if self.whole_months.is_some() && off(charged) {
            let shorter = (!loan.half_open
                && !loan.inclusive
                && r.accrual_end >= r.due_date
                && last == r.accrual_end)
                .then(|| last.pred_opt())
                .flatten();
            // (each end with the loan's repayment days, and — a period ending the day before a
            // month's end, month end to month end, due days later — that month end's day: a
            // regression review; only then, as any day a short month clamps would otherwise
            // make a figure days short a whole month, a second one found)
            let tries = std::iter::once(last).chain(shorter).flat_map(|end| {
                let own = end
                    .succ_opt()
                    .filter(|d| d.succ_opt().is_some_and(|n| chrono::Datelike::day(&n) == 1))
                    .map(|d| chrono::Datelike::day(&d));
                self.due_days
                    .iter()
                    .copied()
                    .chain(std::iter::once(own))
                    .flatten()
                    .map(move |d| (end, d))
            });
            for (end, due_day) in tries {
                let (k, odd) = loans::months_and_days(r.accrual_start, end, due_day);
                if k == 0 {
                    continue;
                }
                months_tried = true;
                let by_months =
                    loans::interest_months(outstanding, r.annual_rate, k, odd, basis.value);
                if !off(by_months) {
                    charged = by_months;
                    months = Some((k, odd));
                    if end != last {
                        days -= 1;
                        last = end;
                    }
                    break;
                }
            }
        }
        let sub_days = loans::days_within(r.accrual_start, last, window_start, window_end);
        let principal = outstanding.min(self.left.principal_cap);
        // (the bank's figure stays by months where a part of the period is subsidised by its
        // days: a review found such a line's basis describe the bank's figure by days)
        let bank_months = months;
        let months = months.filter(|_| sub_days == days);
        let exact = loans::interest_share(
            t.share.value,
            principal,
            self.rate_of(r.annual_rate),
            months,
            sub_days,
            basis.value,
        );
        let overlap = loan.half_open
            && off(charged)
            && !off(loans::interest(
                outstanding,
                r.annual_rate,
                days + 1,
                basis.value,
            ));
        Priced {
            outstanding,
            days,
            bank_months,
            months,
            months_tried,
            charged,
            off: off(charged),
            overlap,
            sub_days,
            last,
            principal,
            exact,
            amount: Money::round(exact).min(r.interest_due),
        }
    }
}

/// Whether instalment `r` accrues a day of the window `(start, end)`.
fn in_window(r: &crate::ingest::records::LoanRow, (start, end): (Date, Date)) -> bool {
    loans::days_within(r.accrual_start, r.accrual_end, start, end) > 0
}
