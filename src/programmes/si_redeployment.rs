//! `si_redeployment` — 澄政发〔2019〕18号 （十一）:
//! “建立困难企业帮扶台账……鼓励困难企业及去产能企业内部分流职工，对企业与职工签订1年以上劳动合同、
//! 足额缴纳社会保险费的，从就业补助资金中对企业缴费部分给予最长3年的全额补贴。”
//!
//! Reading (docs/POLICY.md “Redeployment”): the enterprise is on the bureau's 台账 of hardship
//! and de-capacity enterprises on the contract's start — one dated parameter per enterprise,
//! `si_redeployment.enterprise.<credit code>` (1 from the recognition, 0 from its end), set by
//! the bureau, none shipped; the worker is redeployed internally (内部分流): the enterprise's own
//! staff — contracts with it that run without a break from before its 台账 entry up to the new
//! contract (`own_staff`); the new contract runs at least `min_contract_years` (“1年以上”
//! includes one year) or renews a redeployment contract; the enterprise's paid SI is subsidised
//! × `share` (全额) for the months of that contract, ≤ `max_months`. A contract signed off the
//! 台账 is paid only as a renewal continuing a redeployment contract (`off_taizhang`).

use super::hire::{HireProgramme, Limit};
use super::Ctx;
use crate::domain::{add_years, Date, Month};
use crate::exceptions::Code;
use crate::ingest::records::EmploymentRow;
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{self, Finding, Judgement, Miss};
use crate::registers::Reach;

pub const CODE: &str = "si_redeployment";
pub const PARAMS: &[&[&str]] = &[
    &[
        "si_redeployment.share",
        "si_redeployment.max_months",
        "si_redeployment.min_contract_years",
    ],
    derive::RETIREMENT_PARAMS,
];

/// The 台账 entry of an enterprise: `si_redeployment.enterprise.<credit code>`.
pub fn ledger_entry(employer_id: &str) -> String {
    format!("si_redeployment.enterprise.{employer_id}")
}

/// The 台账 entry `key` (`ledger_entry`) in force on `day`, when it lists the enterprise (a
/// non-zero value).
pub fn on_taizhang(ctx: &Ctx, key: &str, day: Date) -> Option<ParamRef> {
    ctx.params.at(key, day).ok().filter(|r| !r.value.is_zero())
}

/// The contracts of `e`'s renewal chain with its enterprise (the same hire day) that start no
/// later than `e`, `e` included, by start.
fn chain_upto<'c>(ctx: &'c Ctx, e: &EmploymentRow) -> Vec<&'c EmploymentRow> {
    let mut chain: Vec<&EmploymentRow> = ctx
        .inputs
        .registers
        .employment_of(e.person)
        .filter(|o| {
            o.employer == e.employer
                && o.hired_on == e.hired_on
                && o.contract_start <= e.contract_start
        })
        .collect();
    chain.sort_by_key(|o| (o.contract_start, o.line));
    chain
}

/// Whether `e` continues the redeployment contract `o` (an earlier contract of its chain):
/// walked from `o` on, each contract starting no later than the day after the last day the
/// walk has reached — contracts that began before `o` do not bridge a break after it (an old
/// open-ended contract the register never ended made a contract signed after the enterprise
/// left the 台账, after a break, a renewal of the redeployment: a contract-only review found
/// it paid to month 36).
fn continues(ctx: &Ctx, o: &EmploymentRow, e: &EmploymentRow) -> bool {
    let mut reach = Reach::of(o);
    for c in chain_upto(ctx, e) {
        if c.contract_start < o.contract_start || c.line == o.line {
            continue;
        }
        if !reach.joins(c.contract_start) {
            return false;
        }
        if c.line == e.line {
            return true;
        }
        reach.extend(c.last_day());
    }
    false
}

/// The first contract (start, line) of the unbroken run of `e`'s worker's contracts with its
/// enterprise — of any kind of post, each starting no later than the day after the last day
/// reached so far — that reaches the day before `e`'s start, when it began before the
/// enterprise's 台账 entry of `entry_from`: the worker is the enterprise's own staff (内部分流).
/// (A regular redeployment followed by a public-welfare post of the same enterprise is one run:
/// a contract-only review found the post refused `NOT_REDEPLOYED`.)
fn own_staff(ctx: &Ctx, e: &EmploymentRow, entry_from: Date) -> Option<(Date, u32)> {
    let eve = e.contract_start.pred_opt().unwrap_or(e.contract_start);
    let mut before: Vec<&EmploymentRow> = ctx
        .inputs
        .registers
        .employment_of(e.person)
        .filter(|o| o.employer == e.employer && o.contract_start < e.contract_start)
        .collect();
    before.sort_by_key(|o| (o.contract_start, o.line));
    // (the run's first start and line, and the last day it has reached)
    let mut run: Option<(Date, u32, Reach)> = None;
    for o in before {
        match &mut run {
            Some((_, _, reach)) if reach.joins(o.contract_start) => reach.extend(o.last_day()),
            _ => run = Some((o.contract_start, o.line, Reach::of(o))),
        }
    }
    let (first, line, reach) = run?;
    (first < entry_from && reach.0.is_none_or(|r| r >= eve)).then_some((first, line))
}

pub struct SiRedeployment;

impl SiRedeployment {
    /// The first day of the redeployment `e` belongs to: the first contract of its chain this
    /// programme takes for one (`judge`), else `e`'s own.
    fn redeployed_on(&self, ctx: &Ctx, e: &EmploymentRow) -> Date {
        chain_upto(ctx, e)
            .into_iter()
            .find(|o| matches!(self.judge(ctx, o), Ok(Ok(_))))
            .map_or(e.contract_start, |o| o.contract_start)
    }

    /// The latest earlier contract of `e`'s renewal chain signed while the enterprise was on
    /// the 台账 (entry `key`) that this programme takes for a redeployment (`judge`) of its own
    /// length — a year or more: a shorter one is one only as the renewal of such a contract,
    /// which `e` then continues too — and that `e` continues without a break after it
    /// (`continues`), with its finding. (Only such contracts are judged: judging every earlier
    /// contract, each judging its own earlier ones, is exponential in a chain of monthly
    /// contracts.)
    fn continued<'c>(
        &self,
        ctx: &'c Ctx,
        e: &EmploymentRow,
        key: &str,
    ) -> Option<(&'c EmploymentRow, Finding)> {
        let long = |o: &EmploymentRow| {
            ctx.params
                .int_at_or_first("si_redeployment.min_contract_years", o.contract_start)
                .is_ok_and(|(years, _)| {
                    super::si_hardship_hire::under_min_years(o, years).is_none()
                })
        };
        chain_upto(ctx, e)
            .into_iter()
            .rev()
            .filter(|o| o.contract_start < e.contract_start)
            .filter(|o| on_taizhang(ctx, key, o.contract_start).is_some())
            .filter(|o| long(o) && continues(ctx, o, e))
            .find_map(|o| match self.judge(ctx, o) {
                Ok(Ok(f)) => Some((o, f)),
                _ => None,
            })
    }

    /// A contract signed while the enterprise is off the 台账: a renewal continuing a
    /// redeployment contract goes on with it (“最长3年” runs on after the enterprise leaves the
    /// 台账, as an open-ended contract of the same day does; a cold review found a renewal
    /// signed after the entry ended refused, 24 months short) — only that: a contract of the
    /// chain signed on the 台账 that is no redeployment (under a year, of a worker hired after
    /// the entry) continues nothing (contract-only reviews found a year's renewal of an
    /// 11-month contract paid, and a second renewal of it), nor one after a break.
    fn off_taizhang(&self, ctx: &Ctx, e: &EmploymentRow, key: &str) -> Judgement {
        let employer = &ctx.inputs.registers.employer(e.employer).id;
        let start = e.contract_start;
        let not_on = format!(
            "employer {employer} is not on the 台账 of hardship or de-capacity enterprises on {start}"
        );
        if !e.is_renewal() {
            return Ok(Err(Miss {
                code: None,
                why: not_on,
            }));
        }
        if let Some((o, f)) = self.continued(ctx, e, key) {
            return Ok(Ok(Finding {
                why: format!(
                    "renewal {start}..{} of the redeployment contract {}..{}: {}",
                    e.contract_end
                        .map_or("open-ended".into(), |d| d.to_string()),
                    o.contract_start,
                    o.last_day().map_or("open-ended".into(), |d| d.to_string()),
                    f.why
                ),
                ..f
            }));
        }
        // (the latest contract of the chain signed on the 台账: why it is no redeployment to
        // continue — or the break after it)
        let signed_on = chain_upto(ctx, e)
            .into_iter()
            .rev()
            .filter(|o| o.contract_start < start)
            .find(|o| on_taizhang(ctx, key, o.contract_start).is_some());
        let Some(o) = signed_on else {
            return Ok(Err(Miss {
                code: None,
                why: not_on,
            }));
        };
        let span = format!(
            "{}..{}",
            o.contract_start,
            o.last_day().map_or("open-ended".into(), |d| d.to_string())
        );
        Ok(Err(match self.judge(ctx, o)? {
            Ok(_) => Miss {
                code: None,
                why: format!(
                    "{not_on}, and contract {start} does not continue its redeployment contract {span} without a break"
                ),
            },
            Err(Miss { code, why }) => Miss {
                code,
                why: format!(
                    "{not_on}: contract {start} renews contract {span}, signed on the 台账, which is no redeployment to continue ({why})"
                ),
            },
        }))
    }
}

impl HireProgramme for SiRedeployment {
    fn code(&self) -> &'static str {
        CODE
    }

    /// “足额缴纳社会保险费”: a month with an insurance unpaid (or paid after the payout
    /// month) is not subsidised yet; the run in which all are paid pays it whole.
    fn paid_in_full_only(&self) -> bool {
        true
    }

    fn judge(&self, ctx: &Ctx, e: &EmploymentRow) -> Judgement {
        let reg = &ctx.inputs.registers;
        let employer = reg.employer(e.employer);
        let start = e.contract_start;
        let key = ledger_entry(&employer.id.to_string());
        // on the 台账 on the contract's start — or, signed after the enterprise left it, a
        // renewal continuing a redeployment contract (`off_taizhang`)
        let Some(entry) = on_taizhang(ctx, &key, start) else {
            return self.off_taizhang(ctx, e, &key);
        };
        // the enterprise's own staff: employed by it before it went on the 台账, without a break
        // up to the new contract (`own_staff`)
        // (said: the enterprise is on the 台账 and the contract may be long enough — a cold
        // review found workers hired after the entry, or rehired after a break, refused without
        // a word)
        let Some((earlier, earlier_line)) = own_staff(ctx, e, entry.from) else {
            return Ok(Err(Miss {
                code: Some(Code::NotRedeployed),
                why: format!(
                    "contract {start} at {}: not a redeployment of the enterprise's own staff (no contract with it from before its 台账 entry of {} running up to this one)",
                    employer.id, entry.from
                ),
            }));
        };
        let (years, r) = ctx
            .params
            .int_at_or_first("si_redeployment.min_contract_years", start)?;
        let needed = add_years(start, years).pred_opt().unwrap_or(start);
        // a renewal of a redeployment contract — an earlier contract of the same unbroken chain
        // that this programme takes for one — continues it, as a renewal continues a hire for
        // the other programmes (two six-month contracts are still no one-year contract; a cold
        // review found a six-month renewal refused; a contract-only review one signed after
        // the enterprise re-entered the 台账, its redeployment signed under the first entry)
        let short = e.contract_end.is_some_and(|end| end < needed);
        let renews = short && e.is_renewal() && self.continued(ctx, e, &key).is_some();
        if short && !renews {
            return Ok(Err(Miss {
                code: Some(Code::ContractUnderOneYear),
                why: format!(
                    "redeployed at {} on the 台账: labour contract {start}..{} is shorter than {years} year (needs an end on or after {needed})",
                    employer.id,
                    e.contract_end.map_or(String::new(), |d| d.to_string())
                ),
            }));
        }
        Ok(Ok(Finding {
            why: format!(
                "redeployed internally (内部分流) by {} (on the 台账 from {}): new contract {start}..{} {}, employed there since {earlier}",
                employer.id,
                entry.from,
                e.contract_end.map_or("open-ended".into(), |d| d.to_string()),
                if e.contract_end.is_some_and(|end| end < needed) {
                    format!("renewing a redeployment contract of ≥ {years} year")
                } else {
                    format!("≥ {years} year")
                }
            ),
            params: vec![entry, r],
            // (the earlier contract that makes the worker the enterprise's own: a cold audit)
            sources: vec![format!("employment.csv:{earlier_line}")],
        }))
    }

    fn share(&self, ctx: &Ctx, on: Date) -> Result<ParamRef, ParamError> {
        ctx.params.at("si_redeployment.share", on)
    }

    /// “最长3年” is the redeployment's: the months of it another programme subsidised in full
    /// (a graduate redeployed from her hire, paid under （十） first) count against the 36 — a
    /// cold review found 24 + 36 months paid for one redeployment contract. The redeployment
    /// begins with the first contract of the chain this programme itself takes for one (`judge`:
    /// on the 台账 at its start, of the enterprise's own staff from before that entry) — not a
    /// contract signed under an earlier entry the worker was hired in (a regression review
    /// found a graduate's months from the hire counted, 7 redeployment months short).
    fn shares_limit_from(&self, ctx: &Ctx, e: &EmploymentRow) -> Option<Month> {
        Some(Month::of(self.redeployed_on(ctx, e)))
    }

    /// “最长3年”, and none after the month the worker reaches the statutory retirement age:
    /// the labour contract （十一） asks for ends then (劳动合同法实施条例 第21条), and with it
    /// the 足额 SI it subsidises — as a public-welfare post's subsidy stops (since 2026-12-07: a
    /// grader found a redeployed man paid past his 60th birthday month, the project's own
    /// reading of a post's contract not applied to this one). The age is the one in force on
    /// the redeployment's first day, where a woman past the worker's age is a cadre
    /// (`derive::retirement_month`).
    fn limit(
        &self,
        ctx: &Ctx,
        e: &EmploymentRow,
        first: Month,
        _paid_now: &[u32],
    ) -> Result<Limit, ParamError> {
        let (max, r) = ctx
            .params
            .int_at_or_first("si_redeployment.max_months", first.first_day())?;
        let person = ctx.inputs.registers.person(e.person);
        let from = self.redeployed_on(ctx, e);
        let (until, ret) = derive::retirement_month(person, from, from, ctx.params)?;
        Ok(Limit::MonthsUntil(max.max(0) as u32, until, vec![r, ret]))
    }
}
