//! The principal cap a borrower's loans share (`SharedCaps`).

use super::survey::Candidate;
use super::terms::{enterprise_founder, terms, Miss, Staff, Terms};
use super::{LoanRun, CODE};
use crate::domain::{Money, Month};
use crate::exceptions::Code;
use crate::ingest::records::Borrower;
use crate::programmes::loans::{Loan, FILE};
use crate::programmes::Ctx;
use crate::programmes::{loans, Outcome};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

/// A borrower's loans share its principal cap: the texts cap what a borrower may borrow
/// (Suzhou “贷款额度标准提高至不超过50万元”, Jinan “最高不超过10万元 / 300万元”) and Jiangyin caps “该企业的
/// 银行商业贷款” together (“每人不超过10万元、最高不超过300万元”). Loans of one borrower are taken
/// in order of start date (then loan id); each is left the cap less what the borrower's earlier
/// loans still owed on its start. Holds, per loan with earlier loans still owed, that amount
/// and their ids — and what those of them started in the same calendar year owed (a job
/// creator's per-hire cap counts that year's hires).
///
/// And, per loan with earlier loans still owing on its start, the latest month in which one of
/// them has its first row due: an extract holds a loan from then (INPUTS.md: rows “that fell
/// due or was paid in or before the extract month”), so this loan's instalments due before it
/// were paid by runs that may not have seen that loan, and are looked at again
/// (`LOAN_CAP_REVIEW`).
pub(super) struct SharedCaps {
    /// per loan: what the earlier loans owed on its start, what those of its calendar year
    /// owed, and their ids
    pub(super) taken: FxHashMap<std::sync::Arc<str>, Taken>,
    /// per loan: the latest month an earlier loan still owing has its first row due
    pub(super) in_view_from: FxHashMap<std::sync::Arc<str>, Month>,
}

/// What a borrower's earlier loans take of a loan's cap: what they still owed on its start,
/// what those of its calendar year owed, their ids (with what each owed), and the rows that
/// show it — each earlier loan's first row (its principal) and the rows repaid by that day —
/// for the lines' sources (an audit found a line cut by an earlier loan citing none of its rows).
pub(super) struct Taken {
    pub(super) owed: Money,
    pub(super) same_year: Money,
    pub(super) names: String,
    pub(super) sources: Vec<String>,
}

impl SharedCaps {
    /// Of the checked loans and those held whole (a held loan still owes what it owes: it
    /// takes its part of the cap, or a later loan would be subsidised on it — and stay so once
    /// the held one is corrected).
    pub(super) fn of<'a>(
        ctx: &Ctx,
        staff: &Staff,
        loans: impl Iterator<Item = &'a Loan<'a>>,
    ) -> SharedCaps {
        let mut by_borrower: FxHashMap<(bool, u32), Vec<&Loan>> = FxHashMap::default();
        for l in loans {
            // (a founder's enterprise loan is the founder's: it shares their cap)
            let b = match (l.head().borrower, enterprise_founder(ctx, l.head())) {
                (_, Some(p)) | (Borrower::Person(p), None) => (false, p),
                (Borrower::Employer(e), None) => (true, e),
            };
            by_borrower.entry(b).or_default().push(l);
        }
        let mut taken = FxHashMap::default();
        let mut in_view_from = FxHashMap::default();
        for loans in by_borrower.values_mut().filter(|v| v.len() > 1) {
            loans.sort_by(|a, b| {
                (a.head().start_date, &a.head().loan_id)
                    .cmp(&(b.head().start_date, &b.head().loan_id))
            });
            // a Jiangyin job creator's caps bound the principal subsidised (“对该企业的银行商业
            // 贷款按每人不超过10万元、最高不超过300万元…给予50%的贴息”): an earlier loan takes
            // its part only up to what it was subsidised on — nothing of one refused (no hire
            // yet at its start), not the part above its own cap (a differential review found a
            // loan taken before the first hire leave a later one nothing). Each loan's own cap,
            // in start order: `None` for loans of other terms (their whole outstanding counts)
            let mut caps: Vec<Option<Decimal>> = Vec::with_capacity(loans.len());
            for (k, l) in loans.iter().enumerate() {
                let on = l.head().start_date;
                let earlier: Vec<(&Loan, Money, bool)> = loans[..k]
                    .iter()
                    .zip(&caps)
                    .map(|(e, cap)| {
                        let owed = e.outstanding_on(on);
                        let counted = match cap {
                            Some(c) => Money::round(owed.decimal().min(*c)),
                            None => owed,
                        };
                        (
                            *e,
                            counted,
                            chrono::Datelike::year(&e.head().start_date)
                                == chrono::Datelike::year(&on),
                        )
                    })
                    .filter(|(_, owed, _)| owed.is_positive())
                    .collect();
                let owed_now = earlier.iter().fold(Money::ZERO, |t, (_, o, _)| t + *o);
                let same_now = earlier
                    .iter()
                    .filter(|(_, _, same)| *same)
                    .fold(Money::ZERO, |t, (_, o, _)| t + *o);
                let job_creator = l.head().borrower_group == "sme_job_creator";
                caps.push(if !job_creator {
                    None
                } else {
                    match terms(ctx, staff, l.head(), owed_now.decimal()) {
                        Ok(t) => t.per_hire.map(|_| {
                            t.principal_cap.min(left_under(
                                &t,
                                owed_now.decimal(),
                                same_now.decimal(),
                            ))
                        }),
                        Err(Miss::NotEligible(_)) => Some(Decimal::ZERO),
                        Err(_) => None,
                    }
                });
                if earlier.is_empty() {
                    continue;
                }
                let names: Vec<String> = earlier
                    .iter()
                    .map(|(e, o, _)| format!("{} ({o})", e.head().loan_id))
                    .collect();
                let sources = earlier
                    .iter()
                    .map(|(e, _, _)| {
                        let mut lines: Vec<u32> = e
                            .rows
                            .iter()
                            .enumerate()
                            .filter(|(i, r)| *i == 0 || r.paid_on.is_some_and(|p| p <= on))
                            .map(|(_, r)| r.line)
                            .collect();
                        lines.sort_unstable();
                        format!("{FILE}:{}", crate::programmes::si::spans(&lines))
                    })
                    .collect();
                if let Some(m) = loans[..k]
                    .iter()
                    .filter(|e| e.outstanding_on(on).is_positive())
                    .filter_map(|e| e.rows.first().map(|r| Month::of(r.due_date)))
                    .max()
                {
                    in_view_from.insert(l.head().loan_id.clone(), m);
                }
                taken.insert(
                    l.head().loan_id.clone(),
                    Taken {
                        owed: owed_now,
                        same_year: same_now,
                        names: names.join(", "),
                        sources,
                    },
                );
            }
        }
        SharedCaps {
            taken,
            in_view_from,
        }
    }
}

/// A borrower's earlier loans' part of `terms`' principal cap: what is left to the loan.
fn left_under(terms: &Terms, owed: Decimal, same_year: Decimal) -> Decimal {
    match terms.per_hire {
        // (a loan of an earlier year was backed by that year's hires: it takes its part of the
        // 300万, not of this year's 10万 a hire — a cold review found a later year's loan left
        // nothing)
        Some((per_hire, overall)) => (per_hire - same_year).min(overall - owed),
        None => terms.principal_cap - owed,
    }
    .max(Decimal::ZERO)
}

/// The principal cap left to a loan: its terms' own, or what the borrower's earlier loans leave
/// of it — then what they take (`Taken`) and what is left —, and the lines' eligibility text
/// saying so.
pub(super) struct CapLeft<'s> {
    /// what the earlier loans take, and what is left, where it is less than the loan itself
    pub(super) shared: Option<(&'s Taken, Decimal)>,
    /// the cap the instalments are subsidised on
    pub(super) principal_cap: Decimal,
    /// the lines' eligibility: the terms', and the part of the cap left to the loan
    pub(super) why: String,
}

impl<'s> CapLeft<'s> {
    /// The rows of the borrower's earlier loans that take part of the cap, for the lines'
    /// sources: a loan the shared cap leaves less than its principal (none otherwise).
    pub(super) fn sources(&self) -> &'s [String] {
        self.shared.map_or(&[], |(x, _)| x.sources.as_slice())
    }

    /// The cap left to `run`'s loan under `terms`; says where a cap binds an instalment priced
    /// now (`priced`: its days within the subsidised window) — `LOAN_PRINCIPAL_CAPPED`, one row
    /// a loan.
    pub(super) fn of(
        run: &LoanRun,
        terms: &Terms,
        caps: &'s SharedCaps,
        candidates: &[Candidate],
        priced: impl Fn(usize) -> bool,
        out: &mut Outcome,
    ) -> CapLeft<'s> {
        use std::fmt::Write;
        let (reg, loan, head, t) = (run.reg, run.loan, run.head, terms);
        // the borrower's earlier loans still owed on this one's start take their part of the cap
        // (a row only where what is left binds: below the loan itself, and — as a loan alone
        // above its cap, below — below an instalment's outstanding principal priced now: a cold
        // review found the row on a loan whose priced instalments were all within it)
        let shared = caps
            .taken
            .get(&head.loan_id)
            .map(|x| (x, left_under(t, x.owed.decimal(), x.same_year.decimal())))
            .filter(|&(_, left)| left < head.principal.decimal());
        // (what the lines' eligibility says of the cap: the part left to this loan where the
        // borrower's earlier loans take some — an audit found lines subsidised on 77777.60 saying
        // only “principal ≤ 100000”)
        let mut why = t.why.clone();
        let Some((x, left)) = shared else {
            // the loan alone above its cap, said where the cap binds an instalment priced now
            // (its outstanding principal above it) and no shared-cap row says it instead (a
            // regression review found both rows, the first naming a cap the second lowered,
            // and the row repeated once the outstanding principal was below the cap)
            if let Some(note) = &t.capped_note {
                if candidates.iter().any(|c| {
                    priced(c.i) && loan.outstanding_before(c.i).decimal() > t.principal_cap
                }) {
                    out.exceptions.push(loans::about(
                        reg,
                        head,
                        Code::LoanPrincipalCapped,
                        CODE,
                        format!("loan {}: {note}", head.loan_id),
                    ));
                }
            }
            return CapLeft {
                shared,
                principal_cap: t.principal_cap,
                why,
            };
        };
        let (owed, same_year, earlier) = (&x.owed, &x.same_year, &x.names);
        let binds = candidates
            .iter()
            .any(|c| priced(c.i) && loan.outstanding_before(c.i).decimal() > left);
        // (a job creator's two caps named both: a loan stopped by the 300万 read as if an
        // earlier year's loan had taken this year's hires' cap — a cold review)
        let caps = match t.per_hire {
            Some((per_hire, overall)) => format!(
                "of the cap of its hires of {year}, {per_hire}, its loans started in {year} took {same_year}; of the cap of all its loans, {overall}, they took {owed}: {} is left to this loan",
                Money::round(left),
                year = chrono::Datelike::year(&head.start_date),
            ),
            None => format!(
                "of the borrower's cap {}, {} is left to this loan",
                t.principal_cap,
                Money::round(left)
            ),
        };
        let _ = write!(
            why,
            "; {} of the cap left to this loan: the borrower's loans started before it still owed {owed} on {} ({earlier})",
            Money::round(left),
            head.start_date
        );
        if binds {
            out.exceptions.push(loans::about(
                reg,
                head,
                Code::LoanPrincipalCapped,
                CODE,
                format!(
                    "loan {}: the borrower's loans started before it still owed {owed} on {} ({earlier}; {}); {caps}{}{}",
                    head.loan_id,
                    head.start_date,
                    x.sources.join(" "),
                    if left.is_zero() { ": nothing subsidised on it" } else { "" },
                    t.listed_unmet
                        .as_ref()
                        .map(|c| format!("; {c}"))
                        .unwrap_or_default()
                ),
            ));
        }
        CapLeft {
            shared,
            principal_cap: left,
            why,
        }
    }
}
