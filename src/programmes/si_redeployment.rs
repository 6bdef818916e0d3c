//! `si_redeployment` — 澄政发〔2019〕18号 （十一）:
//! “建立困难企业帮扶台账……鼓励困难企业及去产能企业内部分流职工，对企业与职工签订1年以上劳动合同、
//! 足额缴纳社会保险费的，从就业补助资金中对企业缴费部分给予最长3年的全额补贴。”
//!
//! Reading (docs/POLICY.md “Redeployment”): the enterprise is on the bureau's 台账 of hardship
//! and de-capacity enterprises on the contract's start — one dated parameter per enterprise,
//! `si_redeployment.enterprise.<credit code>` (1 from the recognition, 0 from its end), set by
//! the bureau, none shipped; the worker is redeployed internally (内部分流): the enterprise's own
//! staff — a contract with it that began before its 台账 entry and runs without a break up to
//! the new contract; the new contract
//! runs at least `min_contract_years` (“1年以上” includes one year); the enterprise's paid SI
//! is subsidised × `share` (全额) for the months of that contract, ≤ `max_months`.

use super::hire::{HireProgramme, Limit};
use super::Ctx;
use crate::domain::{add_years, Date, Month};
use crate::exceptions::Code;
use crate::ingest::records::EmploymentRow;
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{Finding, Judgement, Miss};

pub const CODE: &str = "si_redeployment";
pub const PARAMS: &[&[&str]] = &[&[
    "si_redeployment.share",
    "si_redeployment.max_months",
    "si_redeployment.min_contract_years",
]];

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
    let mut reach = o.last_day();
    for c in chain_upto(ctx, e) {
        if c.contract_start < o.contract_start || c.line == o.line {
            continue;
        }
        let joined = reach.is_none_or(|r| r.succ_opt().is_none_or(|n| c.contract_start <= n));
        if !joined {
            return false;
        }
        if c.line == e.line {
            return true;
        }
        reach = match (reach, c.last_day()) {
            (None, _) | (_, None) => None,
            (Some(a), Some(b)) => Some(a.max(b)),
        };
    }
    false
}

pub struct SiRedeployment;

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
        let on_taizhang = |d: Date| on_taizhang(ctx, &key, d);
        // on the 台账 on the contract's start — or, for a renewal, on the start of an earlier
        // contract of its chain (the redeployment it continues: “最长3年” runs on after the
        // enterprise leaves the 台账, as an open-ended contract of the same day does; a cold
        // review found a renewal signed after the entry ended refused, 24 months short)
        let chain_entry = || {
            chain_upto(ctx, e)
                .into_iter()
                .filter(|o| o.contract_start < start)
                .find_map(|o| on_taizhang(o.contract_start))
        };
        let on_start = on_taizhang(start);
        let via_chain = on_start.is_none();
        let entry = match on_start.or_else(|| e.is_renewal().then(chain_entry).flatten()) {
            Some(r) => r,
            None => {
                return Ok(Err(Miss {
                    code: None,
                    why: format!(
                        "employer {} is not on the 台账 of hardship or de-capacity enterprises on {start}",
                        employer.id
                    ),
                }))
            }
        };
        // the enterprise's own staff: employed by it before it went on the 台账, without a break
        // up to the new contract (a contract running to the day before it, or on)
        let eve = start.pred_opt().unwrap_or(start);
        let earlier = reg
            .employment_of(e.person)
            .filter(|o| {
                o.employer == e.employer
                    && o.contract_start < entry.from
                    && o.contract_start < start
                    && o.last_day().is_none_or(|d| d >= eve)
            })
            .min_by_key(|o| (o.contract_start, o.line))
            .map(|o| (o.contract_start, o.line))
            // or a renewal of a redeployment contract: its chain of contracts with the
            // enterprise, unbroken, began before the entry (`hired_on`) — the redeployment's
            // three years go on through renewals (a cold review found every renewal refused)
            .or_else(|| {
                (e.hired_on < entry.from)
                    .then(|| {
                        reg.employment_of(e.person)
                            .filter(|o| o.employer == e.employer && o.contract_start == e.hired_on)
                            .map(|o| (o.contract_start, o.line))
                            .min()
                    })
                    .flatten()
            });
        // (said: the enterprise is on the 台账 and the contract may be long enough — a cold
        // review found workers hired after the entry, or rehired after a break, refused without
        // a word)
        let Some((earlier, earlier_line)) = earlier else {
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
        // a renewal of a redeployment contract that met the length — an earlier contract of
        // the same unbroken chain, begun while the enterprise was on the 台账 — continues it,
        // as a renewal continues a hire for the other programmes (two six-month contracts are
        // still no one-year contract; a cold review found a six-month renewal refused)
        let redeployments = || {
            reg.employment_of(e.person).filter(|o| {
                o.employer == e.employer
                    && o.hired_on == e.hired_on
                    && o.contract_start < start
                    && o.contract_start >= entry.from
                    && super::si_hardship_hire::under_min_years(o, years).is_none()
            })
        };
        let renews_one = e.is_renewal() && redeployments().any(|o| continues(ctx, o, e));
        // (a renewal signed after the enterprise left the 台账 continues a redeployment only
        // if a contract signed while on it met the length: an 11-month contract on the 台账
        // renewed for a year off it is none — a contract-only review found the renewal paid)
        if via_chain && !renews_one {
            if let Some(o) = e
                .is_renewal()
                .then(|| redeployments().max_by_key(|o| (o.contract_start, o.line)))
                .flatten()
            {
                // (a break after the redeployment contract, bridged only by an older
                // contract: signed off the 台账, as a rehire after a break is)
                return Ok(Err(Miss {
                    code: None,
                    why: format!(
                        "employer {} is not on the 台账 of hardship or de-capacity enterprises on {start}, and contract {start} does not continue its redeployment contract {}..{} without a break",
                        employer.id,
                        o.contract_start,
                        o.last_day().map_or("open-ended".into(), |d| d.to_string())
                    ),
                }));
            }
            return Ok(Err(Miss {
                code: Some(Code::ContractUnderOneYear),
                why: format!(
                    "labour contract {start} at {} renews contracts of which none signed while it was on the 台账 (from {}) is of {years} year or more: no redeployment contract to continue",
                    employer.id, entry.from
                ),
            }));
        }
        if !renews_one && e.contract_end.is_some_and(|end| end < needed) {
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
        let start = chain_upto(ctx, e)
            .into_iter()
            .find(|o| matches!(self.judge(ctx, o), Ok(Ok(_))))
            .map_or(e.contract_start, |o| o.contract_start);
        Some(Month::of(start))
    }

    fn limit(
        &self,
        ctx: &Ctx,
        _e: &EmploymentRow,
        first: Month,
        _paid_now: &[u32],
    ) -> Result<Limit, ParamError> {
        let (max, r) = ctx
            .params
            .int_at_or_first("si_redeployment.max_months", first.first_day())?;
        Ok(Limit::Months(max.max(0) as u32, vec![r]))
    }
}
