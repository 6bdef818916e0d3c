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
/// The published standard a month is paid (and, from its first date, the rules' first day).
const AMOUNT: &str = "si_graduate_flexible.amount";
pub const PARAMS: &[&[&str]] = &[
    derive::GRADUATE_PARAMS,
    &[AMOUNT, "si_graduate_flexible.max_months"],
    // (the day the document takes effect: the amount is bounded by it, `flexible::month_value`)
    &[super::DOCUMENT],
];

/// Read where the pipeline declares them: 1 = a month needs pension and medical both paid;
/// 1 = every subsidised month lies within `graduate.window_years` after graduation.
pub const OPTIONAL: &[&str] = &[NEEDS_BOTH, MONTHS_IN_WINDOW];
pub const NEEDS_BOTH: &str = "si_graduate_flexible.needs_pension_and_medical";
/// Jinan （六） subsidises “离校2年内未就业高校毕业生”: a graduate within two years of leaving
/// school, a standing that ends with the window — not, as Suzhou's “毕业年度” graduate, a
/// standing judged at the first application that then runs ≤ 24 months. Declared (1), no month
/// after the window's last is paid (a review found a dibao graduate paid one graduate month, 36
/// hardship months, then 23 more graduate months 3–5 years after leaving school).
pub const MONTHS_IN_WINDOW: &str = "si_graduate_flexible.months_in_window";

pub struct SiGraduateFlexible;

impl FlexProgramme for SiGraduateFlexible {
    fn code(&self) -> &'static str {
        CODE
    }

    fn judge(&self, ctx: &Ctx, _i: u32, p: &PersonRow, first: Month) -> Judgement {
        let on = super::flexible::judging_day(ctx, AMOUNT, first);
        derive::graduate_at(p, on, ctx.params)
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
        super::flexible::month_value(ctx, AMOUNT, m)
    }

    fn limit(&self, ctx: &Ctx, p: &PersonRow, first: Month) -> Result<Limit, ParamError> {
        let (max, r) = ctx
            .params
            .int_at_or_first("si_graduate_flexible.max_months", first.first_day())?;
        let max = max.max(0) as u32;
        let window = match (
            ctx.params.switch(MONTHS_IN_WINDOW, first.first_day())?,
            p.graduation_date,
        ) {
            (Some(w), Some(grad)) => Some((w, grad)),
            _ => None,
        };
        let Some((w, grad)) = window else {
            return Ok(Limit::Months(max, vec![r]));
        };
        // the months whose first day lies within the window, as `derive::graduate_at` judges a
        // month: graduated 2018-06-30 with 2 years, 2018-07 … 2020-06; 2018-07-01, … 2020-07
        let (years, y) = ctx
            .params
            .int_at_or_first("graduate.window_years", first.first_day())?;
        let last = Month::of(crate::domain::years_end(grad, years));
        Ok(Limit::MonthsWithin(
            max,
            last,
            "the window after leaving school",
            vec![r, y, w],
        ))
    }
}
