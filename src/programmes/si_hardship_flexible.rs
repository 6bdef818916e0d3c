//! `si_hardship_flexible` — 苏府〔2017〕158号 （七）:
//! “就业困难人员灵活就业后申报就业并同时缴纳养老保险和医疗保险费的，按照公布的定额标准给予社会
//! 保险补贴。……单位吸纳就业或灵活就业的，不超过3年，其中首次申请补贴时女年满45周岁、男年满55周岁
//! 以上的，不超过5年。”
//!
//! The amount is a published standard: `si_hardship_flexible.amount` ships unset.
//! Hardship (（六）) is judged on the first day of the first month with both insurances paid; a
//! month a labour contract covers is employment, not flexible work (`EMPLOYED_DURING_FLEXIBLE_MONTH`).

use super::flexible::FlexProgramme;
use super::hire::Limit;
use super::Ctx;
use crate::domain::Month;
use crate::exceptions::Code;
use crate::ingest::records::PersonRow;
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{self, Judgement};

pub const CODE: &str = "si_hardship_flexible";
/// The 3/5-year limit of （七）, shared with `si_hardship_hire`.
pub const LIMIT_PARAMS: &[&str] = &[
    "si_hardship.max_months",
    "si_hardship.max_months_older",
    "si_hardship.older_female_age",
    "si_hardship.older_male_age",
];

pub const PARAMS: &[&[&str]] = &[
    derive::HARDSHIP_PARAMS,
    LIMIT_PARAMS,
    &["si_hardship_flexible.amount"],
];

pub struct SiHardshipFlexible;

impl FlexProgramme for SiHardshipFlexible {
    fn code(&self) -> &'static str {
        CODE
    }

    fn judge(&self, ctx: &Ctx, i: u32, p: &PersonRow, first: Month) -> Judgement {
        let on = first.first_day();
        derive::hardship_at(p, on, ctx.params, || ctx.local_standing(i, on))
    }

    // （七）“灵活就业后申报就业”: a month under a labour contract is employment, whose SI the
    // hire programme subsidises to the employer — not the person's flexible SI as well
    fn month_ok(&self, ctx: &Ctx, person: u32, m: Month) -> Result<(), (Code, String)> {
        super::flexible::not_under_contract(ctx, person, m, "a hardship person")
    }

    fn amount(&self, ctx: &Ctx, m: Month) -> Result<ParamRef, ParamError> {
        ctx.params.at("si_hardship_flexible.amount", m.first_day())
    }

    fn limit(&self, ctx: &Ctx, p: &PersonRow, first: Month) -> Result<Limit, ParamError> {
        let on = first.first_day();
        let (older, _, age_ref) = derive::at_least(
            p,
            on,
            ctx.params,
            "si_hardship.older_female_age",
            "si_hardship.older_male_age",
        )?;
        let name = if older {
            "si_hardship.max_months_older"
        } else {
            "si_hardship.max_months"
        };
        let (max, r) = ctx.params.int_at_or_first(name, on)?;
        Ok(Limit::Months(max.max(0) as u32, vec![age_ref, r]))
    }
}
