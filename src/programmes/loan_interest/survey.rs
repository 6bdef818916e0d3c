//! A loan's instalments sorted by what the run does with each (`Survey`): accrued before the
//! rules, subsidised by an earlier run (looked at again where this extract shows it repaid
//! late, corrected, or under another part of the borrower's cap), repaid on time and due now,
//! or not repaid on time.

use super::caps::SharedCaps;
use super::terms::{terms, Miss, Staff, Terms};
use super::{LoanRun, CODE};
use crate::domain::{Date, Money, Month};
use crate::exceptions::Code;
use crate::ingest::records::{Borrower, LoanRow};
use crate::programmes::loans;
use crate::programmes::Outcome;

/// An instalment repaid on time, due by the payout month, that this run may subsidise.
pub(super) struct Candidate {
    /// its index in the loan's rows
    pub(super) i: usize,
    /// its line's sequence: 0 the first, then a retry's of a line the bank returned as failed
    pub(super) seq: u32,
    /// why the earlier line failed, where this is a retry
    pub(super) retry: Option<String>,
    /// the instalment's month key (`LoanRun::key(r, 0)`)
    pub(super) month_key: u128,
}

/// A loan's instalments by what this run does with them (indices into the loan's rows).
pub(super) struct Survey {
    /// each row's fingerprint (`loans::fingerprint`): a paid line keeps its row's
    pub(super) fps: Vec<u64>,
    /// repaid on time, due by the payout month and not yet subsidised
    pub(super) candidates: Vec<Candidate>,
    /// due by the payout month and not repaid on time by then
    pub(super) not_paid: Vec<usize>,
    /// subsidised by an earlier run, shown repaid late or unpaid by this extract
    pub(super) reversals: Vec<usize>,
    /// subsidised by an earlier run and repaid on time, of a loan sharing its borrower's cap
    /// with loans an earlier extract may not have held (`LOAN_CAP_REVIEW`)
    pub(super) paid_earlier: Vec<usize>,
    /// subsidised by an earlier run on rows or registers this extract shows changed since
    pub(super) corrected: Vec<usize>,
}

impl Survey {
    /// Nothing to price, say or look at again but the instalments not repaid on time (said
    /// apart, once the terms are known).
    pub(super) fn nothing_but_not_paid(&self) -> bool {
        self.candidates.is_empty()
            && self.reversals.is_empty()
            && self.paid_earlier.is_empty()
            && self.corrected.is_empty()
    }

    /// Nothing at all to say or pay.
    pub(super) fn is_empty(&self) -> bool {
        self.nothing_but_not_paid() && self.not_paid.is_empty()
    }
}

/// Whether instalment `r` was not repaid by its due date.
fn not_on_time(r: &LoanRow) -> bool {
    r.paid_on.is_none_or(|p| p > r.due_date)
}

impl<'r, 'c> LoanRun<'r, 'c> {
    /// Sorts the loan's instalments (`Survey`) and works out its terms as the registers and
    /// parameters give them now; says the instalments accrued before the rules
    /// (`NO_RULE_IN_FORCE`, one row a run while the extract carries them) and records for the
    /// ledger the instalments paid before or payable now (`LoanProgress`).
    pub(super) fn survey(
        &self,
        (staff, shared): (&Staff, &SharedCaps),
        rules_from: Option<Date>,
        out: &mut Outcome,
    ) -> (Survey, Result<Terms, Miss>) {
        let (ctx, reg, loan, head, end) = (self.ctx, self.reg, self.loan, self.head, self.end);
        let mut candidates = Vec::new();
        // instalments due by the payout month and not repaid on time by then (indices into rows)
        let mut not_paid: Vec<usize> = Vec::new();
        // instalments the ledger's mark vouches for are paid: not keyed, not looked up. After it,
        // the month keys of the instalments paid before or payable now, in order, go to the
        // ledger, which moves the mark over those that are paid once this run is recorded.
        let loan_key = self.prefix.key(&[&head.loan_id, "#*"]);
        let mark = ctx.history.loan_mark(loan_key);
        // interest accrued before the pipeline's rules begin is not subsidised under them (a day
        // is subsidised under the rules in force on it, as the subsidised years end on a day):
        // instalments accrued wholly before (by the end of the payout month) get one
        // NO_RULE_IN_FORCE row a run while the extract carries them, as for any instalment not
        // paid; one that straddles the day is subsidised for its days from it (`Pricer::price`). They lead
        // the loan (periods are in order; a checked loan's row i is instalment i + 1).
        let pre = rules_from.map_or(0, |d| {
            let older = loan.rows.iter().take_while(|r| {
                // (a period written up to the repayment day, 算头不算尾, ends the day before)
                let before = r.accrual_end < d || (loan.half_open && r.accrual_end == d);
                before && r.due_date <= end
            });
            older.count() as u32
        });
        if let Some(d) = rules_from.filter(|_| pre > 0) {
            out.exceptions.push(loans::about(
                reg,
                head,
                Code::NoRuleInForce,
                CODE,
                format!(
                    "loan {}: instalment(s) 1..{pre} accrued before {d}, when this pipeline's {CODE} rules begin: not subsidised under them (earlier rules governed them)",
                    head.loan_id
                ),
            ));
        }
        // the mark vouches for instalments `mark.pre + 1 ..= mark.paid`: made with this run's
        // `pre`, pricing starts after it; else (rules or due dates changed since) after `pre`,
        // asking the mark about each instalment (`instalment_seen`)
        let from = if mark.pre == pre && mark.paid > pre {
            mark.paid
        } else {
            pre
        };
        // the rows' fingerprints (`loans::fingerprint`): a paid line keeps its row's. Instalments
        // an earlier run subsidised, repaid on time, whose rows — or the rows before them, whose
        // principal due makes the outstanding — this extract shows other than the lines were paid
        // on (a bank's correction of a rate, a figure, a date, the borrower's group) are priced
        // again (`LOAN_CORRECTION_REVIEW`). Under the mark its fingerprints' sum tells (which
        // instalment moved is not known: each is priced again, and only a price that differs from
        // what its line paid gives a row); after it, each paid key's own.
        // (the row's context: the borrower's ID and what the borrower's earlier loans take of the
        // shared cap — a grader found a corrected borrower, and an earlier loan's corrected
        // principal, priced again nowhere)
        // (and the loan's terms as the registers and parameters give them now — its share, cap,
        // rate cap and years, or that it is not eligible: a grader found a job creator's hire
        // corrected before the first loan's start ask the second loan's paid instalments back while
        // the first's, paid short, were said nowhere; another, a borrower's education or size
        // corrected, the share or the eligibility moved, paid instalments priced again nowhere)
        let (owed, same_year) = shared
            .taken
            .get(&head.loan_id)
            .map_or((Money::ZERO, Money::ZERO), |x| (x.owed, x.same_year));
        let terms_now = terms(ctx, staff, head, owed.decimal());
        let fps = {
            let id = match head.borrower {
                Borrower::Person(i) => reg.person(i).id.to_string(),
                Borrower::Employer(e) => reg.employer(e).id.to_string(),
            };
            let digest = match &terms_now {
                Ok(t) => Some(loans::terms_digest(
                    t.share.value,
                    t.principal_cap,
                    t.at_benchmark,
                    t.rate_cap,
                    t.years,
                )),
                Err(Miss::NotEligible(_)) => Some(1),
                // (a standard unset, no rate in force: nothing to compare — the run says it)
                Err(_) => None,
            };
            loan.fingerprints(loans::fingerprint_context(
                &id,
                owed.cents(),
                same_year.cents(),
                digest,
            ))
        };
        let on_time_due = |i: usize| {
            let r = loan.rows[i];
            r.due_date <= end && r.paid_on.is_some_and(|p| p <= r.due_date)
        };
        // (the mark's own instalments, whatever this run's `pre`: a correction that moves paid
        // instalments before the rules' start changes `pre` — a grader found them compared
        // nowhere, and a re-run, reading the lines, say what the first run had not)
        let mut corrected: Vec<usize> = match mark.fp {
            Some(f) if mark.paid > mark.pre && mark.paid as usize <= loan.rows.len() => {
                let range = mark.pre as usize..mark.paid as usize;
                let now = fps[range.clone()]
                    .iter()
                    .fold(0u64, |a, &b| a.wrapping_add(b));
                if now == f {
                    Vec::new()
                } else {
                    range.filter(|&i| on_time_due(i)).collect()
                }
            }
            _ => Vec::new(),
        };
        // the instalments before `pre` (wholly before the rules now) that a run paid all the same —
        // under other rows, corrected since: from the last back, while a run paid them or their
        // lines failed (one key asked of most loans; the mark's own are its sum's, above)
        for i in (0..pre as usize).rev() {
            let r = loan.rows[i];
            let k = self.key(r, 0);
            if matches!(
                ctx.history.instalment_seen(loan_key, r.instalment_no, k),
                crate::ledger::Seen::New
            ) {
                break;
            }
            if on_time_due(i) && ctx.history.instalment_fp(k).is_some_and(|f| f != fps[i]) {
                corrected.push(i);
            }
        }
        // (room for the instalments after the mark, allocated once)
        let after = loan.rows.len().saturating_sub(from as usize);
        candidates.reserve(after);
        let mut progress = crate::ledger::LoanProgress {
            loan: loan_key,
            pre,
            from,
            keys: Vec::with_capacity(after),
        };
        let mut in_order = true;
        // instalments subsidised by an earlier run that this extract shows repaid late or unpaid
        // (a bank's correction): the 奖息 was not due. The rows under the mark are only looked at
        // for that (a date comparison each).
        let mut reversals: Vec<usize> = (pre as usize..(from as usize).min(loan.rows.len()))
            .filter(|&i| loan.rows[i].due_date <= end && not_on_time(loan.rows[i]))
            .collect();
        // instalments subsidised by an earlier run and repaid on time, of a loan sharing its
        // borrower's cap with loans started before it, due by the month from which the extracts
        // hold them all: looked at again for what the cap leaves it now
        // (LOAN_CAP_REVIEW; only such instalments, a few)
        let in_view_from = shared.in_view_from.get(&head.loan_id).copied();
        // (the month itself too: an extract a row of the earlier loan reached a month late — a
        // regression review — and a few instalments more to price where it did not)
        let unseen = |r: &LoanRow| in_view_from.is_some_and(|m| Month::of(r.due_date) <= m);
        let mut paid_earlier: Vec<usize> = (pre as usize..(from as usize).min(loan.rows.len()))
            .take_while(|&i| unseen(loan.rows[i]))
            .filter(|&i| loan.rows[i].due_date <= end && !not_on_time(loan.rows[i]))
            .collect();
        // (a checked loan's row i is instalment i + 1 — up to the rows not due yet: the numbers an
        // early repayment skips come after every row due by the end of the payout month)
        for (i, r) in loan.rows.iter().enumerate().skip(progress.from as usize) {
            let next = r.instalment_no == progress.from + 1 + progress.keys.len() as u32;
            in_order &= next;
            let paid = r.paid_on.filter(|p| *p <= end);
            if r.due_date > end {
                // not due yet, even if repaid early: its service month (the due month) is after
                // the payout month, and a run pays service months ≤ P (OUTPUTS.md); the run of
                // its month pays it
                in_order = false;
                continue;
            }
            let month_key = self.key(r, 0);
            let Some((seq, retry)) =
                super::super::due_instalment(ctx.history, loan_key, r.instalment_no, month_key)
            else {
                // subsidised by an earlier run
                if not_on_time(r) {
                    reversals.push(i);
                } else {
                    if unseen(r) {
                        paid_earlier.push(i);
                    }
                    if ctx
                        .history
                        .instalment_fp(month_key)
                        .is_some_and(|f| f != fps[i])
                    {
                        corrected.push(i);
                    }
                }
                if in_order {
                    progress.keys.push(month_key);
                }
                continue;
            };
            match paid {
                Some(p) if p <= r.due_date => {
                    if in_order {
                        progress.keys.push(month_key);
                    }
                    candidates.push(Candidate {
                        i,
                        seq,
                        retry,
                        month_key,
                    })
                }
                // (said once the loan's terms are known: a borrower the text does not subsidise, or
                // an instalment past the subsidised term, is told that, not that it was not repaid
                // on time — an audit)
                Some(_) | None => {
                    in_order = false;
                    not_paid.push(i);
                }
            }
        }
        if !progress.keys.is_empty() {
            out.loan_progress.push(progress);
        }
        // (an instalment found by the mark's sum and by its own key is one: a row each)
        corrected.sort_unstable();
        corrected.dedup();
        (
            Survey {
                fps,
                candidates,
                not_paid,
                reversals,
                paid_earlier,
                corrected,
            },
            terms_now,
        )
    }
}
