//! What a run says of instalments it does not pay: those not repaid on time, a loan its terms
//! do not subsidise now (`without_terms`), and instalments earlier runs subsidised that this
//! extract shows repaid late, under another part of the borrower's cap, or on corrected rows
//! (`review_earlier`, priced again to tell what to recover).

use super::price::Pricer;
use super::survey::Survey;
use super::terms::Miss;
use super::{beyond_term, subsidised_through, LoanRun, CODE};
use crate::domain::{years_end, Date, Money};
use crate::exceptions::{Code, Exception};
use crate::ingest::records::LoanRow;
use crate::outputs::payments::payment_id_of;
use crate::pipeline::ParamError;
use crate::programmes::{loans, Outcome, Payee};
use rust_decimal::Decimal;

impl LoanRun<'_, '_> {
    /// An instalment not repaid on time: a row each (until 2026-12-02 one row per loan counted
    /// the later unpaid ones — a cold review looked for each row's line), in PROGRAMMES.md's
    /// words, which hold for every city (Suzhou's “按时还本付息” was quoted in Jiangyin's and
    /// Jinan's rows until 2026-12-04: a review).
    pub(super) fn not_on_time_row(&self, r: &LoanRow) -> Exception {
        let end = self.end;
        let (code, what) = match r.paid_on.filter(|p| *p <= end) {
            Some(p) => (Code::LoanPaidLate, format!("paid {p}: repaid late,")),
            None => (Code::LoanUnpaid, format!("is unpaid at {end}:")),
        };
        loans::about(
            self.reg,
            r,
            code,
            CODE,
            format!(
                "loan {} instalment {} was due {} and {what} no interest subsidy for it (only interest repaid on time is subsidised: late or unpaid instalments get no 贴息/奖息)",
                r.loan_id, r.instalment_no, r.due_date
            ),
        )
    }

    /// `x`, asking the run to recover what instalment `r`'s lines paid beyond `keep`, looked
    /// up in the ledger (`exceptions::Recover`: the month's first line and its retries).
    fn recover(&self, x: Exception, r: &LoanRow, keep: Money) -> Exception {
        x.recover_beyond(
            loans::retry_ids(|seq| payment_id_of(self.key(r, seq))),
            match &self.payee {
                Payee::Bank(code) => format!("the lending bank {code}"),
                _ => "the borrower".to_string(),
            },
            keep,
        )
    }

    /// `LOAN_REVERSAL`: instalment `r`, subsidised by an earlier run as repaid on time, is
    /// shown repaid late or unpaid by this extract.
    fn reversal(&self, r: &LoanRow) -> Exception {
        let now = match r.paid_on {
            Some(p) => format!("repaid late, on {p}"),
            None => format!("unpaid at {}", self.end),
        };
        // (naming the payee and the earlier line: until 2026-12-02 neither, where
        // SI_REVERSAL and the compensation's reversal named what to recover — a review)
        let x = loans::about(
            self.reg,
            r,
            Code::LoanReversal,
            CODE,
            format!(
                "loan {} instalment {} (due {}) was subsidised by an earlier run as repaid on time, but this extract shows it {now}: the interest subsidy was not due (only interest repaid on time is subsidised)",
                r.loan_id, r.instalment_no, r.due_date,
            ),
        );
        self.recover(x, r, Money::ZERO)
    }

    /// A loan the terms give no amount now (`m`: not eligible, a standard unset, no rate in
    /// force): one row for the loan, with the reason that holds; each instalment not repaid on
    /// time said as such where the reason is not the loan's whole; what earlier runs paid on it
    /// asked back where this extract shows it repaid late, or the whole loan outside the rules.
    pub(super) fn without_terms(
        &self,
        m: Miss,
        s: &Survey,
        out: &mut Outcome,
    ) -> Result<(), ParamError> {
        let (ctx, reg, loan, head) = (self.ctx, self.reg, self.loan, self.head);
        let (candidates, not_paid) = (&s.candidates, &s.not_paid);
        // every instalment (paid on time or not) accruing after `last`, the subsidised
        // term's last day: past the term
        let beyond = |last: Option<Date>, what: &str| {
            let mut all = candidates
                .iter()
                .map(|c| c.i)
                .chain(not_paid.iter().copied());
            last.filter(|l| all.all(|i| loan.rows[i].accrual_start > *l))
                .map(|l| {
                    (
                        Code::LoanBeyondTerm,
                        format!("every instalment accrues after the subsidised {what} ending {l}"),
                    )
                })
        };
        // the subsidised term's last day and its years, where known without the terms
        let known = match &m {
            Miss::Unset(_, years) => years.map(|y| (subsidised_through(head, y.max(0)), y)),
            Miss::NoRule(_) => ctx
                .params
                .int_at_or_first("loan_interest.subsidy_years", head.start_date)
                .ok()
                .and_then(|(y, _)| {
                    years_end(head.start_date, y.max(0))
                        .pred_opt()
                        .map(|l| (l, y))
                }),
            Miss::NotEligible(_) | Miss::Param(_) => None,
        };
        let last = known.map(|(l, _)| l);
        let (code, why) = match m {
            Miss::NotEligible(w) => (Code::LoanNotEligible, w),
            // (every instalment after the years the terms subsidise: that is the reason,
            // and no standard is needed)
            Miss::Unset(w, _) => beyond(last, "term").unwrap_or((Code::LoanStandardUnset, w)),
            // (no rate for the loan's start: but if every instalment lies after the years
            // the text subsidises, that is the reason — no rate table to chase)
            Miss::NoRule(w) => beyond(last, "years").unwrap_or((Code::NoRuleInForce, w)),
            Miss::Param(e) => return Err(e),
        };
        // a reason that holds for every instalment of the loan (a borrower the text does
        // not subsidise, every instalment past the term) is the one said of those not
        // repaid on time too; a missing rate or standard is not (they were not on time)
        let whole = matches!(code, Code::LoanNotEligible | Code::LoanBeyondTerm);
        let lines_of = |is: &mut dyn Iterator<Item = usize>| {
            let mut lines: Vec<u32> = is.map(|i| loan.rows[i].line).collect();
            lines.sort_unstable();
            crate::programmes::si::spans(&lines)
        };
        let first = candidates
            .iter()
            .map(|c| c.i)
            .chain(not_paid.iter().copied().filter(|_| whole))
            .min_by_key(|&i| loan.rows[i].line);
        if let Some(i) = first {
            // (every instalment the row is about named by its line: the row's source is the
            // first one's — an audit found the others named nowhere)
            let on_time = if candidates.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} instalment(s) repaid on time ({}:{})",
                    candidates.len(),
                    loans::FILE,
                    lines_of(&mut candidates.iter().map(|c| c.i))
                )
            };
            let late = if whole && !not_paid.is_empty() {
                format!(
                    "; {} not repaid on time ({}:{})",
                    not_paid.len(),
                    loans::FILE,
                    lines_of(&mut not_paid.iter().copied())
                )
            } else {
                String::new()
            };
            let x = loans::about(
                reg,
                loan.rows[i],
                code,
                CODE,
                // (a standard left unset stops the run: its instalments wait for the
                // bureau's figure, they are not refused — the words said so, a cold review)
                format!(
                    "loan {}: {why}{on_time}{late} {}",
                    head.loan_id,
                    if code == Code::LoanStandardUnset {
                        "wait for it"
                    } else {
                        "not subsidised"
                    }
                ),
            );
            // (a share left to the published standard stops the run: run::unset_for_rows)
            if code == Code::LoanStandardUnset {
                out.unset.push(x);
            } else {
                out.exceptions.push(x);
            }
        }
        // (one past the term says so, as where the terms are known: a differential review
        // found LOAN_UNPAID said of an instalment after the years of a loan with no rate)
        if !whole {
            for &i in not_paid {
                let r = loan.rows[i];
                out.exceptions
                    .push(match known.filter(|(l, _)| r.accrual_start > *l) {
                        Some((l, years)) => beyond_term(reg, r, head, years, l),
                        None => self.not_on_time_row(r),
                    });
            }
        }
        // (the terms no longer give an amount: the lines paid are recovered all the same)
        for &i in &s.reversals {
            out.exceptions.push(self.reversal(loan.rows[i]));
        }
        // (a correction that puts the whole loan outside the rules — the borrower's group,
        // every instalment past the term —: what its lines paid is recovered; a rate or
        // standard missing now is no price to review against)
        if whole {
            for &i in &s.corrected {
                let r = loan.rows[i];
                let x = loans::about(
                    reg,
                    r,
                    Code::LoanCorrectionReview,
                    CODE,
                    format!(
                        "loan {} instalment {} (due {}) was subsidised by an earlier run on rows or registers this extract shows changed since: on them the loan is not subsidised ({})",
                        r.loan_id,
                        r.instalment_no,
                        r.due_date,
                        code.as_str()
                    ),
                );
                out.exceptions.push(self.recover(x, r, Money::ZERO));
            }
        }
        Ok(())
    }

    /// Instalments earlier runs subsidised, priced now (`p`): repaid late after all
    /// (`LOAN_REVERSAL`), subsidised on more of the borrower's cap than its earlier loans leave
    /// this one now (`LOAN_CAP_REVIEW`), or on rows or registers corrected since
    /// (`LOAN_CORRECTION_REVIEW`) — what was paid beyond the price now asked back, what was
    /// paid short said owed.
    pub(super) fn review_earlier(&self, p: &Pricer, s: &Survey, out: &mut Outcome) {
        let (reg, loan, head) = (self.reg, self.loan, self.head);
        for &i in &s.reversals {
            // (an instalment the terms would not pay was not paid as such: nothing to recover)
            if p.price(i).sub_days == 0 {
                continue;
            }
            out.exceptions.push(self.reversal(loan.rows[i]));
        }
        // an instalment an earlier run subsidised on more of the borrower's cap than its earlier
        // loans leave this one now — one of them not yet in that run's extract (its first
        // instalment falls due later: a differential review found a Jinan loan paid on the whole
        // 10万 beside an earlier 20万 loan, the run that saw it silent), or their rows corrected
        // since: priced now on what is left; the run withholds for review what the earlier line
        // paid beyond it (none: no row)
        // (the instalments a LOAN_CAP_REVIEW row asks about: no second row of their correction)
        let mut cap_reviewed: Vec<usize> = Vec::new();
        if let Some((x, left)) = p.left.shared {
            let (owed, earlier) = (&x.owed, &x.names);
            for &i in &s.paid_earlier {
                if !p.priced(i) || loan.outstanding_before(i).decimal() <= left {
                    continue;
                }
                let q = p.price(i);
                // (a bank figure off the recomputed one is no price to compare with — the
                // recomputation falls back to days where the line may have been priced by whole
                // months or the bank's own day count: a regression review found reviews mispriced,
                // and one said where nothing was owed —, but where the cap leaves this loan nothing
                // the price is nothing whatever the figure: since 2026-12-06, a contract-only
                // review found such an instalment's whole overpayment said nowhere)
                if (q.off && left > Decimal::ZERO) || q.sub_days == 0 {
                    continue;
                }
                let r = loan.rows[i];
                let x = loans::about(
                    reg,
                    r,
                    Code::LoanCapReview,
                    CODE,
                    format!(
                        "loan {} instalment {} (due {}) was subsidised by an earlier run on another part of the borrower's principal cap than is left to this loan now: the borrower's loans started before it still owed {owed} on {} ({earlier}; {}) — a loan that run's extract did not hold yet, or rows corrected since —, {} of the cap is left to it, on which the instalment is subsidised {}",
                        r.loan_id,
                        r.instalment_no,
                        r.due_date,
                        head.start_date,
                        x.sources.join(" "),
                        Money::round(left),
                        q.amount
                    ),
                );
                // (and what it paid short, where the cap left grew — an earlier loan's principal
                // corrected down: a grader found it said nowhere —, owed; not on a figure no day
                // count explains)
                let x = self.recover(x, r, q.amount);
                out.exceptions.push(if q.off { x } else { x.owed_short() });
                cap_reviewed.push(i);
            }
        }
        // an instalment an earlier run subsidised whose rows this extract shows corrected since
        // (`Survey::corrected`): priced on them now, the run reads what its line paid and asks to
        // recover what it paid beyond — or says what it paid short is owed (`LOAN_CORRECTION_OWED`,
        // not where the bank's figure is not the recomputed one: no price to claim more on); a
        // price equal to what was paid says nothing. (Until 2026-12-06 a corrected rate, figure,
        // date or group of a paid instalment was said nowhere: two graders.)
        for &i in s.corrected.iter().filter(|i| !cap_reviewed.contains(i)) {
            let r = loan.rows[i];
            let q = p.price(i);
            let (keep, how) = if q.sub_days == 0 {
                (
                    Money::ZERO,
                    "they put it outside the days the rules and the subsidised term cover: nothing is subsidised".to_string(),
                )
            } else if q.off && q.principal > Decimal::ZERO {
                // (a figure no day count explains is no price to compare with — a line may have
                // been paid by whole months or the bank's own count —: only what the line paid
                // beyond the interest now charged is certain, the subsidy never exceeding it; but
                // where the cap leaves the loan nothing the price is nothing whatever the figure —
                // a grader found such a line's whole payment said nowhere)
                (
                    r.interest_due,
                    format!(
                        "the bank's interest is now {}, which no day count explains (recomputed {}): the subsidy is never above the interest charged, and stands at no more than {} until the bank's figure is explained",
                        r.interest_due,
                        Money::round(q.charged),
                        r.interest_due
                    ),
                )
            } else {
                (q.amount, format!("on them it is subsidised {}", q.amount))
            };
            let x = loans::about(
                reg,
                r,
                Code::LoanCorrectionReview,
                CODE,
                format!(
                    "loan {} instalment {} (due {}) was subsidised by an earlier run on facts this extract shows changed since (the instalment's row, or the principal due of one before it: rate, principal, interest, dates, borrower or borrower group; what the borrower's earlier loans take of the shared cap; or the registers behind the loan's terms — the borrower's hukou, education or size, a job creator's hires, a project's staff): {how}",
                    r.loan_id, r.instalment_no, r.due_date
                ),
            );
            // (what was paid short is owed only against a price: not a figure no day count gives;
            // a line that paid within such a figure is said all the same, nothing to recover — the
            // bank changed a row the ledger paid: a grader found it said nowhere, where the same
            // row in a first run is LOAN_INTEREST_MISMATCH)
            let x = self.recover(x, r, keep);
            out.exceptions.push(if !keep.is_positive() {
                x
            } else if q.off {
                x.unexplained()
            } else {
                x.owed_short()
            });
        }
    }
}
