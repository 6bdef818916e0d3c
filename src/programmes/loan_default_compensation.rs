//! `loan_default_compensation`: the guarantee fund compensates the lending bank (代偿) for a
//! guaranteed start-up loan in default.
//!
//! - 苏府〔2017〕158号 （十六）: “逾期3个月以上、贷款额度10万元以下（含10万元）的……最高全额代偿；
//!   贷款额度超过10万元的，可由创业担保基金代偿不超过90%”.
//! - 澄政发〔2019〕18号 （九）: “贷款额10万元以上（不含10万元）的，贷款经办机构代偿不低于20%”: the
//!   fund bears at most 80%; the bank's share is asked only above 10万, so a loan of 10万 or
//!   less is the fund's alone, compensated in full (`share_small` 1.00, pipelines/jiangyin.toml;
//!   until 2026-12-02 it was unset and such a default stopped the run). The text sets no overdue
//!   period: 3 months as in Suzhou's text of the same province (`overdue_months`).
//!
//! A loan defaults in the payout month P when one of its instalments is unpaid at the end of P
//! and its due date lies `overdue_months` or more before that day (due 2018-06-30 →
//! overdue 3 months on 2018-09-30; due 2018-07-01 → not yet). The fund pays, once per loan,
//! `share × principal outstanding at the end of P` (the loan less the principal of the
//! instalments repaid by then: what the bank is still owed when the fund pays), the share —
//! and the rules in force — those of the day the loan fell into default (`episode_start`: the
//! first day of the default going on); the default is also an
//! `info` row of the exception report for the analyst.

use super::loans::{self, Loan, FILE};
use super::{Ctx, Outcome, Party, Payee, Payment};
use crate::domain::Date;
use crate::domain::Money;
use crate::exceptions::Code;
use crate::ingest::records::{Borrower, LoanRow};
use crate::outputs::payments::KeyPrefix;
use crate::pipeline::{ParamError, ParamRef};
use chrono::Months;

pub const CODE: &str = "loan_default_compensation";

pub const PARAMS: &[&[&str]] = &[&[
    "loan_default_compensation.overdue_months",
    "loan_default_compensation.small_max_principal",
    "loan_default_compensation.share_large",
]];

/// Declared where the text has it; declared without a value, a run meeting a small default
/// stops (`run::unset_for_rows`, on the row made here in `Outcome::unset`).
pub const OPTIONAL: &[&str] = &["loan_default_compensation.share_small"];

/// The ledger's memory of the default a run compensated a loan for (`first_applications`,
/// group `loan_compensated` — the ledger reads a pipeline's own runs' —, the loan id, the
/// default's first day as `judged_on`), written with the compensation line when it is paid
/// (not withheld): a later run dates the compensation from
/// that default, not from an earlier one the borrower cured that no run compensated (a
/// contract-only review found the interest between the two held, and “in default again” said).
const COMPENSATED: &str = "loan_compensated";

/// The first day of the default the latest run that paid a compensation line of `loan_id`
/// compensated (`COMPENSATED`).
fn remembered_default(ctx: &Ctx, loan_id: &str) -> Option<Date> {
    ctx.history
        .first_applications
        .get(&(COMPENSATED.to_string(), loan_id.to_string()))
        .and_then(|e| crate::ledger::latest_judged_on(e))
}

/// The day instalment `r` is `overdue_months` overdue (if unpaid), and that parameter.
fn overdue_on(ctx: &Ctx, r: &LoanRow) -> Result<Option<(Date, ParamRef)>, ParamError> {
    let (months, m) = ctx
        .params
        .int_at_or_first("loan_default_compensation.overdue_months", r.due_date)?;
    Ok(r.due_date
        .checked_add_months(Months::new(months.max(0) as u32))
        .map(|limit| (limit, m)))
}

/// The first instalment of a loan's `rows` unpaid at the end of the payout month, the day it
/// became `overdue_months` overdue, and that parameter — when that day is not after the end of
/// the payout month (the loan is in default then).
fn in_default<'a>(
    ctx: &Ctx,
    rows: &[&'a LoanRow],
) -> Result<Option<(&'a LoanRow, Date, ParamRef)>, ParamError> {
    in_default_on(ctx, rows, ctx.payout.last_day())
}

/// `in_default` at the end of any day `end` (a month's last day), as the rows read now.
fn in_default_on<'a>(
    ctx: &Ctx,
    rows: &[&'a LoanRow],
    end: Date,
) -> Result<Option<(&'a LoanRow, Date, ParamRef)>, ParamError> {
    let Some(&overdue) = rows
        .iter()
        .find(|r| r.due_date <= end && r.paid_on.is_none_or(|p| p > end))
    else {
        return Ok(None);
    };
    Ok(overdue_on(ctx, overdue)?
        .filter(|(limit, _)| *limit <= end)
        .map(|(limit, m)| (overdue, limit, m)))
}

/// The compensation share of a loan of `principal` on day `on`: the bound of small loans
/// (`small_max_principal`), whether the loan is within it, and the name of its share
/// parameter (`share_small` or `share_large`).
fn share_for(
    ctx: &Ctx,
    principal: Money,
    on: Date,
) -> Result<(ParamRef, bool, &'static str), ParamError> {
    let small = ctx
        .params
        .at_or_first("loan_default_compensation.small_max_principal", on)?;
    let is_small = principal.decimal() <= small.value;
    let name = if is_small {
        "loan_default_compensation.share_small"
    } else {
        "loan_default_compensation.share_large"
    };
    Ok((small, is_small, name))
}

/// The day the pipeline's compensation rules begin: the first date of its share for large
/// loans (a default before it was the earlier rules' to settle).
fn rules_from(ctx: &Ctx) -> Option<Date> {
    ctx.params
        .first_from("loan_default_compensation.share_large")
}

/// Whether the borrower had repaid on `day` everything due before it (a full catch-up: the
/// end of a default episode).
fn caught_up_on(rows: &[&LoanRow], day: Date) -> bool {
    rows.iter()
        .all(|r| r.due_date >= day || r.paid_on.is_some_and(|p| p <= day))
}

/// The first default of the episode the loan is in at the end of the payout month (the
/// instalment and the day it fell 3+ months overdue): the earliest instalment that was unpaid
/// at the end of the month in which it fell that overdue, after the borrower's last full
/// catch-up before `limit` — a partial catch-up (something still overdue) is the same default
/// going on (`defaulted_again`). The month-end run of that month saw the default then and
/// judged it on that day (the rules in force, the share): a later catch-up run, in which that
/// instalment has since been repaid late and a later one is the first unpaid, judges the same
/// default on the same day (a regression review found it judged on the later instalment's);
/// the amount is on the principal still owed when the fund pays (`one_loan`).
fn episode_start<'a>(
    ctx: &Ctx,
    rows: &[&'a LoanRow],
    overdue: &'a LoanRow,
    limit: Date,
    m: ParamRef,
    end: Date,
) -> Result<(&'a LoanRow, Date, ParamRef), ParamError> {
    let clear_on = |day: Date| caught_up_on(rows, day);
    // the last day before `limit` on which the borrower repaid and nothing was left overdue
    let cleared = rows
        .iter()
        .filter_map(|r| r.paid_on)
        .filter(|d| *d < limit && clear_on(*d))
        .max();
    let mut first = (overdue, limit, m);
    for &r in rows {
        let Some((l, p)) = overdue_on(ctx, r)? else {
            continue;
        };
        let month_end = crate::domain::Month::of(l).last_day();
        if l < first.1
            && cleared.is_none_or(|c| l > c)
            && month_end <= end
            && r.paid_on.is_none_or(|d| d > month_end)
        {
            first = (r, l, p);
        }
    }
    Ok(first)
}

/// How the overdue instalment `r` stands at `end`: “unpaid at …”, or — repaid late since, the
/// default going on with a later instalment — “unpaid until …”.
fn unpaid_text(r: &LoanRow, end: Date) -> String {
    match r.paid_on.filter(|p| *p <= end) {
        Some(p) => format!("unpaid until {p}, a later one unpaid since: the same default"),
        None => format!("unpaid at {end}"),
    }
}

/// Whether the loan, in default now since `limit`, was in default at an earlier month end and
/// caught up on a day after it and before `limit` — a day on which the borrower repaid and
/// nothing was left overdue (every instalment due before that day repaid by it): a second
/// default, not the one an earlier run compensated. A partial catch-up (something still
/// overdue) is the same default going on, though its 3-month clock restarts on the next unpaid
/// instalment; a borrower paying a few days late is no less caught up (regression reviews).
/// Only a default from the day the rules begin (`rules_from`) counts as the one compensated: an
/// earlier one was not (a regression review found “in default again” said every run of a loan
/// whose first default, before the rules, was never paid).
fn defaulted_again(
    ctx: &Ctx,
    rows: &[&LoanRow],
    limit: Date,
    rules_from: Option<Date>,
    compensated: Option<Date>,
) -> Result<bool, ParamError> {
    let Some(first) = rows.first() else {
        return Ok(false);
    };
    let now = crate::domain::Month::of(limit);
    let mut m = crate::domain::Month::of(first.due_date);
    // the first month end at which the loan was in default under the rules — or at which the
    // default compensated was (the ledger's memory, while the rows still show it)
    let mut was = compensated.map(|d| crate::domain::Month::of(d).last_day());
    while was.is_none() && m < now {
        // (the default's first day, `episode_start`: one begun before the rules and going on
        // into them is not the one compensated either — a regression review)
        if let Some((r, l, p)) = in_default_on(ctx, rows, m.last_day())? {
            let (_, start, _) = episode_start(ctx, rows, r, l, p, m.last_day())?;
            if rules_from.is_none_or(|f| start >= f) {
                was = Some(m.last_day());
                break;
            }
        }
        m = m.next();
    }
    let Some(was) = was else {
        return Ok(false);
    };
    let clear_on = |day: Date| caught_up_on(rows, day);
    Ok(rows
        .iter()
        .filter_map(|r| r.paid_on)
        .any(|day| day > was && day < limit && clear_on(day)))
}

/// The first day the loan fell `overdue_months` overdue among its defaults — from `from`, the
/// day the rules begin, when given — that stood at the end of a payout month a run covered:
/// this run's, or an earlier current run's (`History::run_months`), as its rows read now. Only
/// such a default can have been compensated: one cured between runs, at month ends no run
/// covered, never was (POLICY.md: “a loan with nothing 3 months overdue at the end of P is not
/// compensated by P's run”). Until 2026-12-06 any month end counted: a grader found a
/// compensation paid on a bank's error left standing after its correction, re-dated to a cured
/// default no run saw, and the interest after it held.
fn default_at_a_run_end(
    ctx: &Ctx,
    rows: &[&LoanRow],
    from: Option<Date>,
) -> Result<Option<Date>, ParamError> {
    let ends: Vec<Date> = ctx
        .history
        .run_months
        .iter()
        .copied()
        .filter(|m| *m < ctx.payout)
        .chain(std::iter::once(ctx.payout))
        .map(|m| m.last_day())
        .collect();
    let mut first: Option<Date> = None;
    for r in rows {
        let Some((limit, _)) = overdue_on(ctx, r)? else {
            continue;
        };
        if from.is_some_and(|d| limit < d) {
            continue;
        }
        if ends
            .iter()
            .any(|&e| limit <= e && r.paid_on.is_none_or(|p| p > e))
        {
            first = Some(first.map_or(limit, |f| f.min(limit)));
        }
    }
    Ok(first)
}

/// For a loan in default at the end of the payout month (`in_default`'s answer) whose default
/// episode began before the pipeline's compensation rules: (the episode's first day, the rules'
/// first day). Such a default is the earlier rules' (`NO_RULE_IN_FORCE`); a compensation an
/// earlier run paid for it — on rows that dated it later, corrected since — was not due under
/// these rules.
fn pre_rule_episode<'a>(
    ctx: &Ctx,
    rows: &[&'a LoanRow],
    (overdue, limit, m): (&'a LoanRow, Date, ParamRef),
) -> Result<Option<(Date, Date)>, ParamError> {
    let Some(first) = rules_from(ctx) else {
        return Ok(None);
    };
    let (_, began, _) = episode_start(ctx, rows, overdue, limit, m, ctx.payout.last_day())?;
    Ok((began < first).then_some((began, first)))
}

/// How a loan's compensation stands (`compensated_on`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compensation {
    /// paid by an earlier run
    Paid,
    /// paid by an earlier run and returned as failed by the bank: owed still
    Failed,
    /// paid by this run (the loan's first run in default: a first or catch-up run)
    ThisRun,
}

/// For a loan whose compensation an earlier run paid — or the bank returned as failed, owed
/// still unless acknowledged —, or this run pays: the day the loan first fell into default at a
/// month's end from the day the compensation rules begin, as its rows read now
/// (`overdue_months` after the unpaid instalment's due date), the payment id of that line, and
/// how it stands — `None` for a loan not so compensated, or whose rows show no such default any
/// more (`LOAN_REVERSAL`'s). The interest of the instalments due after that day is not the
/// guarantee fund's to subsidise while its compensation stands (`loan_interest`,
/// `LOAN_COMPENSATED`) — whichever run pays it: the same rows hold the same interest in a
/// first run as after an earlier run's compensation (a review found a first run paying both).
pub fn compensated_on(
    ctx: &Ctx,
    loan: &Loan,
) -> Result<Option<(Date, String, Compensation)>, ParamError> {
    let (loan_id, rows) = (&loan.head().loan_id, &loan.rows);
    let prefix = loans::key_prefix(&ctx.pipeline.name, CODE);
    // (a compensation the bank returned as failed is owed still, and paid again by the run in
    // which the loan is in default: its default stands — a regression review found the held
    // interest released the run the compensation was paid again)
    // (paid now: as this programme judges the loan in this run — only for a loan in default at
    // its end, which few are)
    // — dated from the default this run compensates (`episode_start`), not an earlier one the
    // borrower cured that no run compensated (a regression review found a catch-up run holding
    // the interest from such a default on)
    let this_run = || -> Result<Option<(Date, String, Compensation)>, ParamError> {
        if ctx.pipeline.enabled(CODE).is_none() {
            return Ok(None);
        }
        let Some((overdue, limit, m)) = in_default(ctx, rows)? else {
            return Ok(None);
        };
        let end = ctx.payout.last_day();
        let (_, limit, _) = episode_start(ctx, rows, overdue, limit, m, end)?;
        Ok(one_loan(ctx, &prefix, loan)?
            .payments
            .first()
            .map(|p| (limit, p.payment_id.clone(), Compensation::ThisRun)))
    };
    let (seq, how) = match ctx.history.seen_key(default_key(&prefix, loan_id, 0)) {
        crate::ledger::Seen::Paid(e) => (e.lines.max(1) - 1, Compensation::Paid),
        crate::ledger::Seen::Failed(e) => {
            // a failed compensation this run pays again (the loan in default at its end): the
            // retry's, dated from the default it compensates — also after an analyst recorded
            // the failed line as not owed (since 2026-12-06: a grader found the interest after
            // the default paid beside the retry once the failed line was acknowledged, and
            // holds dated from the failed line's earlier, cured default)
            if let Some(paid_now) = this_run()? {
                return Ok(Some(paid_now));
            }
            let seq = e.lines.max(1) - 1;
            // (unless an analyst recorded it as not owed: the borrower caught up, the bank
            // bore no loss)
            let id = default_id(&prefix, loan_id, seq);
            if ctx
                .history
                .open_holds
                .iter()
                .any(|h| h.payment_id == id && h.acknowledged.is_some())
            {
                return Ok(None);
            }
            (seq, Compensation::Failed)
        }
        crate::ledger::Seen::New => return this_run(),
    };
    // (a compensation the rows no longer show due — not in default now, nor at the end of any
    // payout month a run covered: `one_loan`'s LOAN_REVERSAL — stands no more, and holds no
    // interest: since 2026-12-06, a grader found the run reverse it and hold the interest in one
    // report, the default dated from a cured one at a month end no run covered)
    // (nor one the rows now date in an episode begun before the compensation rules: not due
    // under them, `one_loan`'s LOAN_REVERSAL too)
    let reversed = match in_default(ctx, rows)? {
        None => default_at_a_run_end(ctx, rows, None)?.is_none(),
        Some(now) => pre_rule_episode(ctx, rows, now)?.is_some(),
    };
    if reversed {
        return Ok(None);
    }
    Ok(compensated_default(ctx, rows, loan_id)?
        .map(|d| (d, default_id(&prefix, loan_id, seq), how)))
}

/// The first day of the default an earlier run compensated, as the rows read now: the one the
/// paying run compensated, when the ledger remembers it and the rows still show it (an earlier
/// default under the rules, cured and never compensated, is not it); else the first from the
/// day the pipeline's rules begin that stood at a month end a run covered (one before them was
/// the earlier rules' and not compensated: a regression review found a loan's interest between
/// the two held for it).
fn compensated_default(
    ctx: &Ctx,
    rows: &[&LoanRow],
    loan_id: &str,
) -> Result<Option<Date>, ParamError> {
    match standing_default(ctx, rows, remembered_default(ctx, loan_id))? {
        Some(d) => Ok(Some(d)),
        None => default_at_a_run_end(ctx, rows, rules_from(ctx)),
    }
}

/// `remembered` (a compensated default's first day, `remembered_default`) when the loan's rows
/// as they read now still show a default from that day: an instalment that became
/// `overdue_months` overdue on it, unpaid at the end of its month (a bank's correction since
/// may have taken it away: then the rows decide, as for a ledger without the memory).
fn standing_default(
    ctx: &Ctx,
    rows: &[&LoanRow],
    remembered: Option<Date>,
) -> Result<Option<Date>, ParamError> {
    let Some(d) = remembered else {
        return Ok(None);
    };
    let first_end = crate::domain::Month::of(d).last_day();
    if first_end > ctx.payout.last_day() {
        return Ok(None);
    }
    for r in rows {
        if let Some((limit, _)) = overdue_on(ctx, r)? {
            if limit == d && r.paid_on.is_none_or(|p| p > first_end) {
                return Ok(Some(d));
            }
        }
    }
    Ok(None)
}

/// The month key of a loan's compensation (`loan#default`, its retries `loan#default+seq`:
/// `loans::key_prefix`).
fn default_key(prefix: &KeyPrefix, loan_id: &str, seq: u32) -> u128 {
    if seq == 0 {
        prefix.key(&[loan_id, "#default"])
    } else {
        prefix.key(&[loan_id, "#default+", itoa::Buffer::new().format(seq)])
    }
}

/// The payment id of a loan's compensation line `seq` (`default_key`).
fn default_id(prefix: &KeyPrefix, loan_id: &str, seq: u32) -> String {
    crate::outputs::payments::payment_id_of(default_key(prefix, loan_id, seq))
}

/// A compensation an earlier run paid, priced again on the rows and registers as they stand
/// (`on`: the day of the default it compensated, whose share prices it): the row asking to
/// recover what its line paid beyond that price, or saying what it paid short is owed — the run
/// drops it where the line paid that. Asked whether the loan is in default now or has caught
/// up since (a grader found a caught-up loan's compensation priced again nowhere).
fn priced_again(
    ctx: &Ctx,
    prefix: &KeyPrefix,
    loan: &Loan,
    on: Date,
) -> Result<Option<crate::exceptions::Exception>, ParamError> {
    let head = loan.head();
    let reversal = |message: String, keep: Money| reversal_row(ctx, prefix, loan, message, keep);
    // (the compensation priced again on the rows and registers as they stand — a grader
    // found a borrower corrected outside the rules, an outstanding corrected down and a
    // principal corrected up said nowhere; until 2026-12-06 only the share of the whole
    // principal was compared): a borrower outside the loan rules now had none due
    if let Some(why) = super::loan_interest::borrower_outside(ctx, head)? {
        return Ok(reversal(
            format!(
                "loan {} was compensated by an earlier run; by this extract's rows and the registers {why}, outside the loan rules: the compensation was not due",
                head.loan_id
            ),
            Money::ZERO,
        ));
    }
    // else the share of the principal outstanding at the end of the month whose run paid
    // it (as that run priced it: a borrower's repayment to the bank after it changes
    // nothing), by month from the default's: what the line paid beyond is to recover
    // (`LOAN_REVERSAL`), what it paid short is owed (`LOAN_CORRECTION_OWED`); the run
    // drops the row where the line paid that
    let (_, _, share_name) = share_for(ctx, head.principal, on)?;
    let Ok(share) = ctx.params.at_or_first(share_name, on) else {
        return Ok(None);
    };
    // (by month from the loan's start: a ledger without the default's memory dates it from the
    // rows' current default, which may come after the month that paid it — a review found the
    // later month's price asked of the line; and a correction that moves the default later
    // prices the line at its own month all the same)
    let mut steps: Vec<(crate::domain::Month, Money)> = Vec::new();
    let mut month = crate::domain::Month::of(head.start_date);
    while month <= ctx.payout {
        let keep = Money::round(loan.outstanding_on(month.last_day()).decimal() * share.value);
        if steps.last().is_none_or(|(_, k)| *k != keep) {
            steps.push((month, keep));
        }
        month = month.next();
    }
    let message = format!(
        "loan {} was compensated by an earlier run; on this extract's rows (principal {}) the compensation is {} of the principal outstanding at the end of the month its line was paid in",
        head.loan_id,
        head.principal,
        loans::pct(share.value)
    );
    Ok(reversal_at(ctx, loan, message).map(|x| {
        let (ids, from) = recover_from(prefix, loan);
        x.recover_beyond_by_month(ids, from, steps).owed_short()
    }))
}

/// A LOAN_REVERSAL of the loan's compensation, at its first row: what its lines paid beyond
/// `keep` is to recover from the lending bank (the run looks the lines up in the ledger).
fn reversal_row(
    ctx: &Ctx,
    prefix: &KeyPrefix,
    loan: &Loan,
    message: String,
    keep: Money,
) -> Option<crate::exceptions::Exception> {
    reversal_at(ctx, loan, message).map(|x| {
        let (ids, from) = recover_from(prefix, loan);
        x.recover_beyond(ids, from, keep)
    })
}

/// A LOAN_REVERSAL row of the loan's compensation, at its first row (none for a loan without
/// rows).
fn reversal_at(ctx: &Ctx, loan: &Loan, message: String) -> Option<crate::exceptions::Exception> {
    loan.rows.first().map(|first| {
        loans::about(
            &ctx.inputs.registers,
            first,
            Code::LoanReversal,
            CODE,
            message,
        )
    })
}

/// The compensation's lines (the first and its retries) and whom what they paid is recovered
/// from: the lending bank.
fn recover_from(prefix: &KeyPrefix, loan: &Loan) -> (Vec<String>, String) {
    let head = loan.head();
    (
        loans::retry_ids(|seq| default_id(prefix, &head.loan_id, seq)),
        format!("the lending bank {}", head.lender_bank),
    )
}

fn one_loan(ctx: &Ctx, prefix: &KeyPrefix, loan: &Loan) -> Result<Outcome, ParamError> {
    let reg = &ctx.inputs.registers;
    let end = ctx.payout.last_day();
    let head = loan.head();
    let mut out = Outcome::default();
    let reversal = |message: String, keep: Money| reversal_row(ctx, prefix, loan, message, keep);
    let Some((overdue, limit, m)) = in_default(ctx, &loan.rows)? else {
        // compensated by an earlier run, and by the rows as this extract has them never in
        // default (a bank's correction): the compensation was not due — for review, as an
        // interest subsidy a correction shows not due (LOAN_REVERSAL)
        let paid = matches!(
            ctx.history.seen_key(default_key(prefix, &head.loan_id, 0)),
            crate::ledger::Seen::Paid(_)
        );
        let corrected = paid && default_at_a_run_end(ctx, &loan.rows, None)?.is_none();
        // (the amount is what the lines paid, looked up by the run in the ledger —
        // `exceptions::Recover`; until 2026-12-05 the row named the line without an amount, and
        // summary.json's `clawback_for_review` left it out: a differential review)
        if corrected {
            out.exceptions.extend(reversal(
                format!(
                    "loan {} was compensated by an earlier run, but this extract shows no instalment unpaid long enough for a default at the end of any payout month a run covered up to {end}: by the corrected rows the compensation was not due",
                    head.loan_id,
                ),
                Money::ZERO,
            ));
        } else if paid {
            // (caught up since, the compensation standing: priced again all the same)
            if let Some(on) = compensated_default(ctx, &loan.rows, &head.loan_id)? {
                out.exceptions.extend(priced_again(ctx, prefix, loan, on)?);
            }
        }
        return Ok(out);
    };
    let payee = Payee::Bank(head.lender_bank.to_string());
    let key = |seq: u32| default_id(prefix, &head.loan_id, seq);
    // the LOAN_DEFAULT row, at the overdue instalment's row: the analyst's cue to recover
    let default_row =
        |message: String| loans::about(reg, overdue, Code::LoanDefault, CODE, message);
    let Some((seq, retry)) = super::due(ctx.history, &key(0)) else {
        // compensated by an earlier run, for a default the rows now date in an episode begun
        // before the compensation rules (a bank's correction: an earlier instalment unpaid): the
        // earlier rules' default, not compensated under these — for review, as a fresh ledger
        // says NO_RULE_IN_FORCE (since 2026-12-06: a grader found 140000.00 standing, nothing
        // said)
        if let Some((began, first)) =
            pre_rule_episode(ctx, &loan.rows, (overdue, limit, m.clone()))?
        {
            out.exceptions.extend(reversal(
                format!(
                    "loan {} was compensated by an earlier run, but this extract's rows date its default from {began} (instalment {} due {} {}), before {first}, when this pipeline's {CODE} rules begin: by the corrected rows the compensation was not due under them (earlier rules governed it)",
                    head.loan_id,
                    overdue.instalment_no,
                    overdue.due_date,
                    unpaid_text(overdue, end)
                ),
                Money::ZERO,
            ));
            return Ok(out);
        }
        // compensated by an earlier run (once per loan). A loan that caught up since and is in
        // default again is still a default to recover: said, without an amount (a cold review
        // found nothing said)
        let compensated =
            standing_default(ctx, &loan.rows, remembered_default(ctx, &head.loan_id))?;
        if defaulted_again(ctx, &loan.rows, limit, rules_from(ctx), compensated)? {
            out.exceptions.push(default_row(format!(
                "loan {} in default again: instalment {} due {} {} (in default since {limit}); the guarantee fund compensated the bank for an earlier default of this loan (once per loan): nothing more; recover from the borrower",
                head.loan_id, overdue.instalment_no, overdue.due_date, unpaid_text(overdue, end)
            )));
        }
        let on = compensated.unwrap_or(limit);
        out.exceptions.extend(priced_again(ctx, prefix, loan, on)?);
        return Ok(out);
    };
    // the default as the month-end run of its first month saw it (`episode_start`)
    let (overdue, limit, m) = episode_start(ctx, &loan.rows, overdue, limit, m, end)?;
    let months = m.value;
    let unpaid = unpaid_text(overdue, end);
    let default_row =
        |message: String| loans::about(reg, overdue, Code::LoanDefault, CODE, message);
    // a loan that fell into default before the pipeline's compensation rules begin (the first
    // date of its share for large loans) was the earlier rules' to settle: reported, not paid
    // (as an instalment due before the interest rules is)
    if let Some(first) = rules_from(ctx).filter(|first| limit < *first) {
        // a default the fund does not compensate is still a default: the analyst starts
        // recovery from the borrower (LOAN_DEFAULT, no amount), beside the row saying why not
        out.exceptions.push(default_row(format!(
            "loan {} in default: instalment {} due {} {unpaid} (in default since {limit}); not compensated now: it fell into default before {first}, when this pipeline's rules begin",
            head.loan_id, overdue.instalment_no, overdue.due_date
        )));
        out.exceptions.push(loans::about(
            reg,
            overdue,
            Code::NoRuleInForce,
            CODE,
            format!(
                "loan {} fell into default on {limit} (instalment {} due {} unpaid), before {first}, when this pipeline's {CODE} rules begin: not compensated under them (earlier rules governed it)",
                head.loan_id, overdue.instalment_no, overdue.due_date
            ),
        ));
        return Ok(out);
    }
    // (the principal the borrower still owes at the end of the payout month, when the fund
    // pays: 代偿 is paying the bank what it is owed. For a few hours on 2026-12-04 it was taken
    // on the default's first day, so that a run later than the default's month paid as that
    // month's run had — but then a catch-up run paid the bank principal the borrower had since
    // repaid, 40000.00 on 10000.00 owed: a cold review. A later run pays less when the
    // borrower repaid meanwhile, as the fund would)
    let outstanding = loan.outstanding_on(end);
    // a borrower the loan rules exclude on its register facts: withheld for review, not
    // released (the default is the analyst's all the same) — asked before the share, which a
    // pipeline may leave unset for loans it would pay (a read-through found such a default
    // stopping the run)
    // the compensation is the fund's on the day the loan falls into default (`limit`: the
    // rules in force are judged on it above), priced under the terms of that day (until
    // 2026-12-03 those of the overdue instalment's due date: a bureau's share changed in
    // between priced the default under the earlier share, a cold audit)
    let (small, is_small, share_name) = share_for(ctx, head.principal, limit)?;
    let outside = super::loan_interest::borrower_outside(ctx, head)?;
    // (no principal outstanding: nothing for the fund to compensate, whoever the borrower — a
    // contract-only review found 0.00 withheld for review, every run)
    if outside.is_some() && !outstanding.is_positive() {
        out.exceptions.push(default_row(format!(
            "loan {} in default: instalment {} due {} {unpaid}; nothing for the guarantee fund to compensate (no principal outstanding); recover from the borrower",
            head.loan_id, overdue.instalment_no, overdue.due_date
        )));
        return Ok(out);
    }
    if let Some(why) = outside {
        let share = ctx.params.at_or_first(share_name, limit).ok();
        let amount = share
            .as_ref()
            .map(|s| Money::round(outstanding.decimal() * s.value));
        out.exceptions.push(default_row(format!(
            "loan {} in default: instalment {} due {} {unpaid}; recover from the borrower",
            head.loan_id, overdue.instalment_no, overdue.due_date
        )));
        let what = match (&amount, &share) {
            (Some(a), Some(s)) => format!(
                "the compensation of {a} ({} of the outstanding {outstanding})",
                loans::pct(s.value)
            ),
            _ => format!("the compensation of the outstanding {outstanding} ({share_name} unset)"),
        };
        let mut x = loans::about(
            reg,
            overdue,
            Code::LoanDefaultReview,
            CODE,
            format!(
                "loan {}: {why}, outside the loan rules — {what} is withheld for review: correct the registers (size, kind) or the loan's group if they are wrong, and the next run pays it",
                head.loan_id
            ),
        );
        if let Some(a) = amount.filter(|a| a.is_positive()) {
            x = x.amount(a);
        }
        out.exceptions.push(x);
        return Ok(out);
    }
    let share = match ctx.params.at_or_first(share_name, limit) {
        Ok(s) => s,
        // (the row that stops the run, naming the parameter and the loan: run::unset_for_rows)
        Err(e @ (ParamError::Unset { .. } | ParamError::Missing(_))) => {
            out.unset.push(loans::about(
                reg,
                overdue,
                Code::LoanStandardUnset,
                CODE,
                format!(
                    "loan {} (principal {}) is in default (instalment {} due {} {unpaid}) but no compensation share is set for loans of {} or less: {e}",
                    head.loan_id, head.principal, overdue.instalment_no, overdue.due_date, small.value
                ),
            ).amount(outstanding));
            return Ok(out);
        }
        Err(e) => return Err(e),
    };
    let amount = Money::round(outstanding.decimal() * share.value);
    let derivation = format!(
        "loan {}: instalment {} due {} {unpaid} (≥ {months} months, in default from {limit}); principal {} − repaid by {end} {} = outstanding {outstanding} × {} = {amount}",
        head.loan_id,
        overdue.instalment_no,
        overdue.due_date,
        head.principal,
        head.principal - outstanding,
        loans::pct(share.value),
    );
    if !amount.is_positive() {
        // (no principal left — an instalment of interest alone unpaid — or a share of 0: the
        // default is the analyst's still, with nothing for the fund to pay; until 2026-12-03
        // the row said the fund “compensates the bank 0.00”, with no line: a cold review)
        out.exceptions.push(default_row(format!(
            "loan {} in default: instalment {} due {} {unpaid}; nothing for the guarantee fund to compensate ({} of the outstanding principal {outstanding} is 0.00); recover from the borrower",
            head.loan_id,
            overdue.instalment_no,
            overdue.due_date,
            loans::pct(share.value)
        )));
        return Ok(out);
    }
    out.exceptions.push(
        default_row(format!(
            "loan {} in default: instalment {} due {} {unpaid}; the guarantee fund compensates the bank {amount} ({} of the outstanding {outstanding}); recover from the borrower",
            head.loan_id,
            overdue.instalment_no,
            overdue.due_date,
            loans::pct(share.value)
        ))
        .amount(amount),
    );
    if let Some(reason) = retry {
        out.exceptions.push(
            loans::about(
                reg,
                overdue,
                Code::PaymentRetry,
                CODE,
                format!(
                    "loan {}: an earlier compensation line was returned as failed by the bank ({reason}); the loan's one compensation is paid now, on the principal outstanding at {end}",
                    head.loan_id
                ),
            )
            .amount(amount)
            .for_line(&key(seq)),
        );
    }
    // (the default compensated, remembered if the line is paid — not withheld)
    out.if_paid.push((
        key(seq),
        crate::ledger::FirstApplication {
            limit_group: COMPENSATED.into(),
            beneficiary_id: head.loan_id.to_string(),
            first: crate::domain::Month::of(limit),
            judged_on: limit,
        },
    ));
    out.payments.push(Payment {
        payment_id: key(seq),
        month_key: key(0),
        si_basis: [0; 5],
        row_fp: 0,
        limit_group: CODE.into(),
        programme: CODE,
        clause: ctx.clause(CODE),
        service_month: None,
        payee,
        beneficiary: match head.borrower {
            Borrower::Person(i) => Party::Person(i),
            Borrower::Employer(e) => Party::Employer(e),
        },
        amount,
        basis: derivation,
        eligibility: format!(
            "guaranteed loan of {} {} {}",
            head.principal,
            if is_small { "≤" } else { ">" },
            small.value
        ),
        params: vec![m, small, share].into(),
        // (every row of the loan: the outstanding is the loan less the principal of the
        // instalments paid by then — an audit found only the overdue row cited)
        sources: vec![format!(
            "{FILE}:{}",
            loan.lines_through(loan.rows.len() - 1)
        )],
        reference: format!("loan {}", head.loan_id),
    });
    Ok(out)
}

/// Runs `loan_default_compensation` over the checked loans; of the loans held whole (`held`,
/// their rows in instalment order), those in default and not compensated by an earlier run are
/// reported as such (`LOAN_DEFAULT`, no amount): their compensation waits for corrected rows.
pub fn run(ctx: &Ctx, book: &[Loan], held: &[Vec<&LoanRow>]) -> Result<Outcome, ParamError> {
    use rayon::prelude::*;
    let prefix = loans::key_prefix(&ctx.pipeline.name, CODE);
    let parts: Vec<Result<Outcome, ParamError>> =
        book.par_iter().map(|l| one_loan(ctx, &prefix, l)).collect();
    let mut out = Outcome::concat(parts.into_iter().collect::<Result<_, _>>()?);
    let end = ctx.payout.last_day();
    for rows in held {
        // (as a loan not held: dated from its default's first day)
        let Some((overdue, limit, m)) = in_default(ctx, rows)? else {
            continue;
        };
        let (overdue, limit, _) = episode_start(ctx, rows, overdue, limit, m, end)?;
        let unpaid = unpaid_text(overdue, end);
        // (a default begun before the rules is none of theirs, held or not: said so, not told
        // to wait for corrected rows — a cold review)
        let waits = match rules_from(ctx).filter(|first| limit < *first) {
            Some(first) => format!("not compensated: it fell into default before {first}, when this pipeline's rules begin (the loan is also held for its rows: its hold row says why)"),
            None => "the loan is held for its rows (its hold row says why), so the guarantee fund's compensation waits until the bank corrects them".to_string(),
        };
        if super::due(ctx.history, &default_id(&prefix, &overdue.loan_id, 0)).is_none() {
            continue; // compensated by an earlier run
        }
        out.exceptions.push(loans::about(
            &ctx.inputs.registers,
            overdue,
            Code::LoanDefault,
            CODE,
            format!(
                "loan {} in default: instalment {} due {} {unpaid} (in default since {limit}); {waits}",
                overdue.loan_id, overdue.instalment_no, overdue.due_date
            ),
        ));
    }
    Ok(out)
}
