//! The payment lines of a loan's instalments repaid on time (`LoanRun::pay`), each with its
//! derivation (`derivation`), or the row that says why an instalment priced is not paid.

use super::price::{Priced, Pricer};
use super::survey::{Candidate, Survey};
use super::LoanRun;
use super::{beyond_term, past_term, CODE};
use crate::domain::{date::IsoDate, Date, Money};
use crate::exceptions::Code;
use crate::ingest::records::{Borrower, LoanRow};
use crate::outputs::payments::payment_id_of;
use crate::pipeline::{ParamError, ParamRef};
use crate::programmes::loan_default_compensation::{self, Compensation};
use crate::programmes::loans::{self, FILE};
use crate::programmes::{Outcome, Party, Payment};
use rust_decimal::Decimal;

/// What the lines of one loan share, made once a loan (89k lines a month).
struct LineTexts {
    /// the head's contract rate and the rate it is subsidised at
    head_texts: (String, String),
    share_pct: String,
    basis_text: String,
    clause: String,
    /// the parameters every line of the loan carries
    params: std::sync::Arc<[ParamRef]>,
}

impl LoanRun<'_, '_> {
    /// A line for each instalment repaid on time that `p` prices above nothing, or the row
    /// saying why not: past the term, before the rules, the loan compensated by the guarantee
    /// fund, periods overlapping, the bank's figure off the recomputed one, nothing to pay.
    pub(super) fn pay(&self, p: &Pricer, s: Survey, out: &mut Outcome) -> Result<(), ParamError> {
        // a loan the guarantee fund compensated (an earlier run's line): the instalments due after
        // its default are not subsidised while that compensation stands — a borrower who repaid the
        // bank since left the bank repaid twice (a cold review found the 贴息 going on)
        let compensated = if s.candidates.is_empty() {
            None
        } else {
            loan_default_compensation::compensated_on(self.ctx, self.loan)?
        };
        let texts = {
            let mut params = p.terms.params.clone();
            params.push(p.basis.clone());
            LineTexts {
                head_texts: (
                    loans::pct(self.head.annual_rate),
                    loans::pct(p.rate_of(self.head.annual_rate)),
                ),
                share_pct: loans::pct(p.terms.share.value),
                basis_text: p.basis.value.to_string(),
                clause: self.ctx.clause(CODE),
                params: params.into(),
            }
        };
        out.payments.reserve(s.candidates.len());
        for c in s.candidates {
            self.pay_one(p, &texts, &s.fps, c, compensated.as_ref(), out);
        }
        Ok(())
    }

    fn pay_one(
        &self,
        p: &Pricer,
        texts: &LineTexts,
        fps: &[u64],
        c: Candidate,
        compensated: Option<&(Date, String, Compensation)>,
        out: &mut Outcome,
    ) {
        let (reg, loan, head, t) = (self.reg, self.loan, self.head, p.terms);
        let (window_start, window_end) = (p.window_start, p.window_end);
        let r = loan.rows[c.i];
        let priced = p.price(c.i);
        let Priced {
            outstanding,
            days,
            charged,
            off,
            sub_days,
            exact,
            amount,
            overlap,
            months_tried,
            bank_months,
            ..
        } = priced;
        // (past the term first: an instalment straddling the rules' start but wholly after
        // the term was said to accrue before the rules — an audit; and one straddling it whose
        // days under the rules are past the term: a differential review)
        if sub_days == 0 && past_term(r, (window_start, window_end)) {
            out.exceptions
                .push(beyond_term(reg, r, head, t.years, window_end));
            return;
        }
        if sub_days == 0 && r.accrual_start < window_start {
            // (wholly before the rules, yet not among the leading ones counted as such)
            out.exceptions.push(loans::about(
                reg,
                r,
                Code::NoRuleInForce,
                CODE,
                format!(
                    "loan {} instalment {} accrues {}..{}, before {window_start}, when the rules it is priced under begin ({}): not subsidised under them",
                    r.loan_id, r.instalment_no, r.accrual_start, r.accrual_end, t.share
                ),
            ));
            return;
        }
        if sub_days == 0 {
            out.exceptions
                .push(beyond_term(reg, r, head, t.years, window_end));
            return;
        }
        if let Some((day, line, how)) = compensated.filter(|(d, _, _)| r.due_date > *d) {
            // (a compensation the bank returned as failed is owed still: nothing to recover — a
            // review found the analyst told to recover money the bank never received; paid, in
            // this run or an earlier one, the bank holds twice what the borrower repaid since —
            // one instruction for both, a grader found two)
            let what = if *how == Compensation::Failed {
                format!(
                    "the guarantee fund's compensation for this loan's default of {day} (line {line}) was returned as failed by the bank and is owed still; interest falling due after the default is not subsidised while it stands — if the borrower has caught up and the bank bore no loss, record the compensation as not owed (disburse acknowledge) and the interest is paid"
                )
            } else if *how == Compensation::ThisRun {
                format!(
                    "the guarantee fund compensates the bank in this run for this loan's default of {day} (line {line}); interest falling due after it is not subsidised while that compensation stands — a borrower who repaid the bank since the default leaves it repaid twice: recover from the bank what the borrower repaid, up to the compensation"
                )
            } else {
                format!(
                    "the guarantee fund compensated the bank for this loan's default of {day} (line {line}); interest falling due after it is not subsidised while that compensation stands — a borrower repaying the bank after the fund did leaves the bank repaid twice: recover from the bank what the borrower repaid, up to the compensation"
                )
            };
            out.exceptions.push(
                loans::about(
                    reg,
                    r,
                    Code::LoanCompensated,
                    CODE,
                    format!(
                        "loan {} instalment {} due {}, repaid on time: {what} (said again by each run whose extract carries the instalment)",
                        r.loan_id, r.instalment_no, r.due_date
                    ),
                )
                .amount(amount),
            );
            return;
        }
        // the row's rate texts: the head's, made once, unless the row was repriced
        let repriced;
        let (charged_pct, rate_pct) = if r.annual_rate == head.annual_rate {
            (&texts.head_texts.0, &texts.head_texts.1)
        } else {
            repriced = (
                loans::pct(r.annual_rate),
                loans::pct(p.rate_of(r.annual_rate)),
            );
            (&repriced.0, &repriced.1)
        };
        if overlap {
            out.exceptions.push(
                loans::about(
                    reg,
                    r,
                    Code::LoanAccrualOverlap,
                    CODE,
                    format!(
                        "loan {} instalment {} accrues {}..{}: the bank charged {}, the interest of {} days counting both ends — its periods overlap on the day one ends and the next begins, charged twice; subsidy withheld until the bank corrects the periods",
                        r.loan_id,
                        r.instalment_no,
                        r.accrual_start,
                        r.accrual_end,
                        r.interest_due,
                        days + 1
                    ),
                )
                .amount(amount),
            );
            return;
        }
        let basis = &p.basis;
        // (the instalment and its period, as the LOAN_ZERO_AMOUNT rows below name it)
        let instalment = || {
            format!(
                "loan {} instalment {} {}..{}",
                r.loan_id, r.instalment_no, r.accrual_start, r.accrual_end
            )
        };
        // (a bank that charged nothing — an interest-free period — is no figure to explain: the
        // subsidy never exceeds the interest paid, so nothing is withheld; a review found a
        // hold of 0.00 for the analyst to chase, where EXCEPTIONS.md says LOAN_ZERO_AMOUNT)
        if off && !r.interest_due.is_positive() {
            out.exceptions.push(loans::about(
                reg,
                r,
                Code::LoanZeroAmount,
                CODE,
                format!(
                    "{}: the bank charged no interest (0.00, where {} × {} × {days}/{} = {}): nothing to subsidise, the subsidy never exceeding the interest paid",
                    instalment(),
                    Money::round(outstanding),
                    charged_pct,
                    basis.value,
                    Money::round(charged),
                ),
            ));
            return;
        }
        if off {
            out.exceptions.push(
                loans::about(
                    reg,
                    r,
                    Code::LoanInterestMismatch,
                    CODE,
                    format!(
                        "loan {} instalment {}: the bank charged {} but {} × {} × {days}/{} = {}{}; subsidy withheld until the bank's figure is explained",
                        r.loan_id,
                        r.instalment_no,
                        r.interest_due,
                        Money::round(outstanding),
                        charged_pct,
                        basis.value,
                        Money::round(charged),
                        if months_tried {
                            ", nor is it the interest by whole months (× months/12)"
                        } else {
                            ""
                        }
                    ),
                )
                .amount(amount),
            );
            return;
        }
        if !amount.is_positive() {
            // (a subsidy of under half a fen — a day's interest on a small principal, or a bank
            // figure of 0.00 — pays no line, OUTPUTS.md's amount being > 0: said, as SI's
            // SI_ZERO_AMOUNT; until 2026-12-02 without a word, a cold review. A loan with no
            // principal left under the borrower's cap said so once, LOAN_PRINCIPAL_CAPPED. A
            // loan repaid in full whose later row the bank still lists — 0.00 interest on
            // nothing outstanding — is said here: until 2026-12-03 silent, a cold review.)
            if priced.principal.is_zero() && !outstanding.is_zero() {
                return;
            }
            out.exceptions.push(loans::about(
                reg,
                r,
                Code::LoanZeroAmount,
                CODE,
                if outstanding.is_zero() {
                    format!(
                        "{}: no principal outstanding (bank interest {}): nothing to subsidise",
                        instalment(),
                        r.interest_due
                    )
                } else if Money::round(exact).is_positive() {
                    // (the subsidy is never above the interest paid, PROGRAMMES.md: a bank that
                    // charged nothing caps it at nothing — nothing was rounded; gBY F1)
                    format!(
                        "{}: the subsidy {} is capped at the interest the bank charged, {}: nothing paid",
                        instalment(),
                        Money::round(exact),
                        r.interest_due
                    )
                } else {
                    format!(
                        "{}: the subsidy {} (bank interest {}) rounds to 0.00: nothing paid",
                        instalment(),
                        exact
                            .round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                            .normalize(),
                        r.interest_due
                    )
                },
            ));
            return;
        }
        let line_id = payment_id_of(if c.seq == 0 {
            c.month_key
        } else {
            self.key(r, c.seq)
        });
        if let Some(reason) = &c.retry {
            out.exceptions.push(
                loans::about(
                    reg,
                    r,
                    Code::PaymentRetry,
                    CODE,
                    format!(
                        "loan {} instalment {}: the earlier line was returned as failed by the bank ({reason}): paid again",
                        r.loan_id, r.instalment_no
                    ),
                )
                .amount(amount)
                .for_line(&line_id),
            );
        }
        out.payments.push(Payment {
            payment_id: line_id,
            month_key: payment_id_of(c.month_key),
            si_basis: [0; 5],
            row_fp: fps[c.i],
            limit_group: CODE.into(),
            programme: CODE,
            clause: texts.clause.clone(),
            service_month: Some(loans::service_month(r)),
            payee: self.payee.clone(),
            beneficiary: match head.borrower {
                Borrower::Person(i) => Party::Person(i),
                Borrower::Employer(e) => Party::Employer(e),
            },
            amount,
            basis: derivation(
                p,
                &texts.basis_text,
                &texts.share_pct,
                r,
                &priced,
                (charged_pct, rate_pct),
            ),
            eligibility: p.left.why.clone(),
            // (a line priced by whole months names the parameter that took that formula)
            params: match (bank_months, &p.whole_months) {
                (Some(_), Some(w)) => {
                    let mut v = texts.params.to_vec();
                    v.push(w.clone());
                    v.into()
                }
                _ => texts.params.clone(),
            },
            // (the instalment's row and the loan's rows before it, whose principal due makes the
            // outstanding the interest is priced on — an audit found only the instalment's
            // own row cited)
            sources: std::iter::once([FILE, ":", &loan.lines_through(c.i)].concat())
                .chain(p.left.sources().iter().cloned())
                .chain(t.evidence.iter().cloned())
                .collect(),
            reference: format!("loan {} instalment {}", r.loan_id, r.instalment_no),
        });
    }
}

/// A line's basis: `amount × rate × days/basis` for what the bank charged and for what is
/// subsidised, the days of a part period and why, the share and the result (capped at the
/// interest charged where above it).
fn derivation(
    p: &Pricer,
    basis_text: &str,
    share_pct: &str,
    r: &LoanRow,
    q: &Priced,
    (charged_pct, rate_pct): (&str, &str),
) -> String {
    use std::fmt::Write;
    let (window_start, window_end) = (p.window_start, p.window_end);
    // `amount × rate × days/basis`: what the bank charged, and what is subsidised
    let product =
        |d: &mut String, months: Option<(u32, i64)>, amount: Decimal, rate: &str, days: i64| {
            let _ = match months {
                Some((k, 0)) => write!(d, "{} × {rate} × {k}/12", Money::round(amount)),
                Some((k, odd)) => write!(
                    d,
                    "{} × {rate} × ({k}/12 + {odd}/{basis_text})",
                    Money::round(amount)
                ),
                None => write!(d, "{} × {rate} × {days}/{basis_text}", Money::round(amount)),
            };
        };
    let mut d = String::with_capacity(192);
    let _ = write!(
        d,
        "loan {} instalment {} {}..{}: bank interest {} (",
        r.loan_id,
        r.instalment_no,
        IsoDate(r.accrual_start),
        IsoDate(r.accrual_end),
        r.interest_due
    );
    product(&mut d, q.bank_months, q.outstanding, charged_pct, q.days);
    // (a period read up to its repayment day, 算头不算尾, on the bank's figure alone —
    // its periods do not show it: said, a cold review found the day short unexplained)
    if !p.half_open() && q.last < r.accrual_end {
        let _ = write!(
            d,
            ", to {}: {} taken as the repayment day, not counted (算头不算尾), as the bank's figure shows",
            IsoDate(q.last),
            IsoDate(r.accrual_end)
        );
    }
    d.push_str("); subsidy ");
    product(&mut d, q.months, q.principal, rate_pct, q.sub_days);
    // (a part of the period: which days, and why — an audit found “× 16/360” unexplained)
    if q.sub_days != q.days {
        let (from, to) = (r.accrual_start.max(window_start), q.last.min(window_end));
        let _ = write!(d, " (the days {}..{}", IsoDate(from), IsoDate(to));
        if from > r.accrual_start {
            let _ = write!(d, ": the rules from {}", IsoDate(window_start));
        }
        if to < q.last {
            let _ = write!(d, ": the subsidised term to {}", IsoDate(window_end));
        }
        d.push(')');
    }
    let _ = write!(d, " × {share_pct} = {}", Money::round(q.exact));
    if Money::round(q.exact) > r.interest_due {
        let _ = write!(d, ", capped at the interest charged {}", r.interest_due);
    }
    d
}
