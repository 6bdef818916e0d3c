//! `summary.json`: totals by programme and payee kind, row reconciliation per input file,
//! exceptions by code, ledger effect.

use super::payments::Line;
use crate::domain::{Money, Month};
use crate::exceptions::Exception;
use crate::registers::FileStats;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

fn totals<'a>(lines: impl Iterator<Item = &'a Line>, key: impl Fn(&Line) -> String) -> Value {
    let mut m: BTreeMap<String, (u64, Money)> = BTreeMap::new();
    for l in lines {
        let e = m.entry(key(l)).or_insert((0, Money::ZERO));
        e.0 += 1;
        e.1 = e.1 + l.amount;
    }
    let mut out = Map::new();
    for (k, (n, total)) in m {
        out.insert(k, json!({"lines": n, "amount": total.to_string()}));
    }
    Value::Object(out)
}

/// Rows read, used and rejected per input file, as summary.json shows them (`run` and
/// `validate` alike: a cold review found `validate` writing other names).
pub fn input_counts(stats: &[crate::registers::FileStats]) -> Vec<Value> {
    stats
        .iter()
        .map(|s| {
            let mut v = json!({
                "file": s.file, "encoding": s.encoding, "rows_read": s.read,
                "rows_used": s.used, "rows_rejected": s.rejected,
                "reconciled": s.read == s.used + s.rejected,
            });
            // (a register's optional payee columns its header lacks: COLUMN_ABSENT)
            if let (false, Some(o)) = (s.absent.is_empty(), v.as_object_mut()) {
                o.insert("absent_columns".into(), json!(s.absent));
            }
            v
        })
        .collect()
}

pub fn render(
    pipeline: &str,
    payout: Month,
    stats: &[FileStats],
    lines: &[Line],
    exceptions: &[Exception],
    months_paid_before: usize,
    extra: Map<String, Value>,
) -> Vec<u8> {
    let total: Money = lines.iter().map(|l| l.amount).sum();
    let mut by_code: BTreeMap<&str, u64> = BTreeMap::new();
    let mut by_sev: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut held, mut clawback, mut outstanding) = (Money::ZERO, Money::ZERO, Money::ZERO);
    for e in exceptions {
        *by_code.entry(e.code.as_str()).or_default() += 1;
        *by_sev.entry(e.severity.as_str()).or_default() += 1;
        let amount = e.amount.unwrap_or(Money::ZERO);
        match e.code {
            // money already paid, to recover: not withheld
            crate::exceptions::Code::SiReversal
            | crate::exceptions::Code::LoanReversal
            | crate::exceptions::Code::LoanCapReview
            | crate::exceptions::Code::LoanCorrectionReview
            | crate::exceptions::Code::InternMonthEmployed
            | crate::exceptions::Code::InternMonthNotDue
            | crate::exceptions::Code::MonthNotDue
            | crate::exceptions::Code::FlexibleMonthEmployed
            | crate::exceptions::Code::RetentionAwardReview => clawback = clawback + amount,
            // withheld by an earlier run, still owed: not this run's withholding
            crate::exceptions::Code::HoldOutstanding => outstanding = outstanding + amount,
            _ if e.severity == crate::exceptions::Severity::Hold => held = held + amount,
            _ => {}
        }
    }
    let inputs = input_counts(stats);
    let v = json!({
        "pipeline": pipeline,
        "payout_month": payout.to_string(),
        "inputs": inputs,
        "payments": {
            "lines": lines.len(),
            "amount": total.to_string(),
            "by_programme": totals(lines.iter(), |l| l.programme.to_string()),
            "by_payee_kind": totals(lines.iter(), |l| l.payee_kind.to_string()),
        },
        "exceptions": {
            "total": exceptions.len(),
            "by_severity": by_sev,
            "by_code": by_code,
            "held_amount": held.to_string(),
            "clawback_for_review": clawback.to_string(),
            "outstanding_from_earlier_runs": outstanding.to_string(),
        },
        "ledger": {
            "format_version": crate::ledger::FORMAT_VERSION,
            "months_paid_by_other_runs": months_paid_before,
            "lines_recorded": lines.len(),
            "amount_recorded": total.to_string(),
            "effect": "this run's lines are recorded as sent; a re-run of the same payout month replaces them",
        },
    });
    let mut v = v;
    if let Some(obj) = v.as_object_mut() {
        obj.extend(extra);
    }
    let mut s = serde_json::to_vec_pretty(&v).unwrap_or_default();
    s.push(b'\n');
    s
}
