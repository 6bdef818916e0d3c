//! `si_graduate_flexible` — 苏府〔2017〕158号 （八）2:
//! “毕业年度离校未就业高校毕业生灵活就业的，按规定给予不超过2年的社会保险补贴。”
//!
//! Reading (docs/POLICY.md): a university graduate whose first month of flexible SI (pension
//! and medical paid) starts within `graduate.window_years` after graduation; a month in which
//! a labour contract covers the person is not flexible work (离校未就业) and is not paid. The
//! amount is a published standard (`si_graduate_flexible.amount`, shipped unset); ≤ 24 months.

use super::flexible::FlexProgramme;
use super::hire::Limit;
use super::Ctx;
use crate::domain::Month;
use crate::ingest::records::PersonRow;
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{self, Judgement};

pub const CODE: &str = "si_graduate_flexible";
pub const PARAMS: &[&[&str]] = &[
    derive::GRADUATE_PARAMS,
    &[
        "si_graduate_flexible.amount",
        "si_graduate_flexible.max_months",
    ],
];

/// Read where the pipeline declares it: 1 = a month needs pension and medical both paid.
pub const OPTIONAL: &[&str] = &[NEEDS_BOTH];
pub const NEEDS_BOTH: &str = "si_graduate_flexible.needs_pension_and_medical";

pub struct SiGraduateFlexible;

impl FlexProgramme for SiGraduateFlexible {
    fn code(&self) -> &'static str {
        CODE
    }

    fn judge(&self, ctx: &Ctx, _i: u32, p: &PersonRow, first: Month) -> Judgement {
        derive::graduate_at(p, first.first_day(), ctx.params)
    }

    fn who(&self) -> &'static str {
        "an unemployed graduate"
    }

    // PROGRAMMES.md asks both insurances of `si_hardship_flexible` (（七）“同时缴纳养老保险和
    // 医疗保险费”), not of this programme: a month of flexible SI, pension or medical, counts —
    // unless the pipeline asks both (Jinan （六） sets one condition for both groups: “按灵活就业
    // 人员身份参加养老、医疗保险……属于就业困难人员、离校2年内未就业高校毕业生的”; a review found a
    // graduate paid the standard for medical alone)
    fn needs_both(&self, ctx: &Ctx, m: Month) -> bool {
        ctx.params
            .switch(NEEDS_BOTH, m.first_day())
            .is_ok_and(|on| on.is_some())
    }

    fn amount(&self, ctx: &Ctx, m: Month) -> Result<ParamRef, ParamError> {
        super::flexible::month_value(ctx, "si_graduate_flexible.amount", m)
    }

    fn limit(&self, ctx: &Ctx, _p: &PersonRow, first: Month) -> Result<Limit, ParamError> {
        let (max, r) = ctx
            .params
            .int_at_or_first("si_graduate_flexible.max_months", first.first_day())?;
        Ok(Limit::Months(max.max(0) as u32, vec![r]))
    }
}
