//! From the programmes' payments to the run's lines: months an analyst acknowledged as not
//! owed dropped (`drop_acknowledged`), lines of 0.00 said and not paid (`zero_amounts`),
//! amounts no bank file carries refused (`amounts_in_range`), and two lines of one payment id
//! refused (`distinct_ids`).

use super::RunError;
use crate::exceptions::{Code, Exception};
use crate::ledger::History;
use crate::programmes::{self, Outcome, Payment};
use crate::registers;

/// A month whose withheld (or failed) line an analyst acknowledged as not owed is paid again
/// only when an extract carries it again (CLI.md), not from the rows the ledger kept when
/// the line was withheld (a cold review found such a month paid from them) — unless a
/// later line of the month is open and not acknowledged (`History::acknowledged_holds`)
pub(super) fn drop_acknowledged(history: &History, outcome: &mut Outcome) {
    let acknowledged: rustc_hash::FxHashSet<&str> = history
        .acknowledged_holds()
        .into_iter()
        .map(|h| h.month_key.as_str())
        .collect();
    if !acknowledged.is_empty() {
        // (a line with a contribution row of this extract, or resting on no contribution row —
        // rows an earlier run's extract held, or a failed line's as `reconcile` kept them, are
        // the ledger's)
        let from_this_extract = |p: &programmes::Payment| {
            !p.sources.iter().any(|s| {
                s.starts_with("contributions.csv:") || s.starts_with(programmes::si::FAILED_ROWS)
            }) || p
                .sources
                .iter()
                .any(|s| programmes::si::this_extracts_lines(s).next().is_some())
        };
        let mut dropped: rustc_hash::FxHashSet<String> = Default::default();
        outcome.payments.retain(|p| {
            let keep = p.service_month.is_none()
                || !acknowledged.contains(p.month_key.as_str())
                || from_this_extract(p);
            if !keep {
                dropped.insert(p.payment_id.clone());
            }
            keep
        });
        // (and the PAYMENT_RETRY row a dropped retry was said with: a review found it left)
        if !dropped.is_empty() {
            outcome.exceptions.retain(|x| {
                x.code != Code::PaymentRetry
                    || !x.line.as_ref().is_some_and(|id| dropped.contains(id))
            });
        }
    }
}

/// A line of 0.00 (a standard a bureau set to 0 from a date, to end a subsidy): nothing to
/// pay — said, not paid (OUTPUTS.md: amount > 0; the ledger refused such a line and the run
/// stopped without naming the programme: a cold review)
pub(super) fn zero_amounts(
    reg: &registers::Registers,
    payments: &mut Vec<Payment>,
    exceptions: &mut Vec<Exception>,
) {
    if payments.iter().any(|p| !p.amount.is_positive()) {
        let (paid, zero): (Vec<_>, Vec<_>) = std::mem::take(payments)
            .into_iter()
            .partition(|p| p.amount.is_positive());
        *payments = paid;
        for p in zero {
            let mut x = Exception::new(
                Code::NoRuleInForce,
                format!(
                    "{} for {}: the standard in force makes {} ({}; {}): nothing paid",
                    p.programme,
                    p.service_month
                        .map_or("its award".to_string(), |m| m.to_string()),
                    p.amount,
                    p.basis,
                    p.params
                        .iter()
                        .map(|r| r.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )
            .programme(p.programme);
            if let Some(s) = p.sources.first() {
                x = x.at_source(s);
            }
            x = match p.beneficiary {
                programmes::Party::Person(i) => x.person(reg.person(i).id),
                programmes::Party::Employer(e) => x.employer(reg.employer(e).id),
            };
            if let programmes::Payee::Employer(e) = p.payee {
                x = x.employer(reg.employer(e).id);
            }
            exceptions.push(x);
        }
    }
}

/// An amount of more than 16 digits of yuan is no subsidy but a parameter out of bounds (a
/// share of 1e24 loads as a number): it fits no bank file and its cents would not be exact
/// — the run stops naming the programme and its parameters (a review found a wrapped amount
/// in payments.csv, caught only by the bank file's self-check)
pub(super) fn amounts_in_range(payments: &[Payment]) -> Result<(), RunError> {
    let too_large = rust_decimal::Decimal::from(10_000_000_000_000_000i64);
    if let Some(p) = payments
        .iter()
        .find(|p| p.amount.decimal().abs() >= too_large)
    {
        return Err(RunError::AmountOutOfRange(format!(
            "{} computes {} yuan for {} ({}; from {}): more than 16 digits of yuan — check those rows and the pipeline's parameters: {}",
            p.programme,
            p.amount,
            p.service_month.map_or("its award".to_string(), |m| m.to_string()),
            p.basis,
            p.sources.join(", "),
            p.params
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    // nor may they add up to a control sum of more than 16 digits (pain.001's CtrlSum carries
    // 18 digits with its 2 decimals: the schema check refused the run's own file — a review)
    let all: rust_decimal::Decimal = payments.iter().map(|p| p.amount.decimal()).sum();
    if all.abs() >= too_large {
        return Err(RunError::AmountOutOfRange(format!(
            "the month's lines add up to {} yuan: more than 16 digits, which no bank file's control sum carries — check the largest lines' rows and the pipeline's parameters",
            crate::domain::Money::round(all)
        )));
    }
    Ok(())
}

/// Stops the run when two lines share a payment id (the bank's EndToEndId and the ledger's
/// key): a defect, stopped before anything is written.
pub(super) fn distinct_ids(lines: &[crate::outputs::payments::Line]) -> Result<(), RunError> {
    let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(lines.len(), Default::default());
    let duplicate = lines.iter().find(|l| !seen.insert(l.payment_id.as_str()));
    if let Some(crate::outputs::payments::Line { payment_id: id, .. }) = duplicate {
        return Err(RunError::Internal(format!(
            "two payment lines share the id {id}; nothing was written"
        )));
    }
    Ok(())
}
