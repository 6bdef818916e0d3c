//! `si_startup_founder` — 苏府〔2017〕158号 （十五）3: “本市户籍登记失业人员、毕业5年内的高校毕业生、
//! 取得硕士以上学位人员在苏创业并进行商事登记或民办非企业单位登记，正常运转并依法缴纳社会保险费的，
//! 给予不超过3年的社会保险补贴”; 澄政发〔2019〕18号 （八）: “对大学生（高校在校生、大学生村官、毕业5年
//! 内高校毕业生），以及本市户籍的失业人员、复员转业退役军人和农民在澄首次成功创业……对缴纳社会保险的，
//! 3年内给予创业社保补贴”.
//!
//! Reading (docs/POLICY.md “Founders' own SI”): the founder is the enterprise's `founder_id`
//! (employers.csv); the months from the founding with the enterprise's SI for them paid by the
//! end of the payout month — within their registration with it (an employment.csv row, or
//! open-ended from the founding where the registers have none: `registrations`) — are
//! subsidised: the enterprise's paid SI × `si_startup_founder.share` (a published standard,
//! shipped unset), to the enterprise, ≤ `si_startup_founder.max_months`; and the months the
//! founder insures themself as a flexible worker (an individual business's owner: contributions
//! with no employer, from the founding, within that registration, no employer insuring them
//! then) — their own paid SI, both shares, × the same share, to the founder, within the same
//! months (since 2026-12-07; until then `FOUNDER_SI_NOT_COVERED`, not paid: two cold reviews). The founder's group is
//! judged on the founding day (`founded_on`, 商事登记): local registered unemployed (registration
//! on or before it), a university graduate within `si_startup_founder.graduate_window_years` of
//! graduation; where the pipeline says so, university students (graduation after the founding),
//! local veterans, the founder's first start-up only, and months within some years of the
//! founding. A master's degree, a 大学生村官 and a farmer are not in the registers: not judged.

use super::hire::{HireProgramme, Limit};
use super::Ctx;
use crate::domain::{years_end, Date, Month};
use crate::exceptions::Code;
use crate::ingest::records::{hardship_category, Education, EmployerKind, EmploymentRow};
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{Finding, Judgement, Miss};
use crate::registers::Registers;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

pub const CODE: &str = "si_startup_founder";
pub const PARAMS: &[&[&str]] = &[
    &[
        "si_startup_founder.share",
        "si_startup_founder.max_months",
        "si_startup_founder.graduate_window_years",
    ],
    // (the day the document takes effect: the share is bounded by it, `standard_under`)
    &[super::DOCUMENT],
];

/// Read where the pipeline declares them (Jiangyin （八）).
pub const OPTIONAL: &[&str] = &[
    STUDENTS,
    VETERANS,
    FARMERS,
    FIRST_ONLY,
    YEARS_FROM_FOUNDING,
    REGISTERED_UNEMPLOYED,
];
/// 0 = a local registered unemployed founder does not qualify — Songyuan's 三（一）/三（三） name
/// 高校毕业生 and 返乡下乡创业人员 only (a contract-only review found them paid there);
/// undeclared or 1: Suzhou's “本市户籍登记失业人员”, Jiangyin's “本市户籍的失业人员”.
pub const REGISTERED_UNEMPLOYED: &str = "si_startup_founder.registered_unemployed";
/// 1 = a university student (graduation after the founding day) qualifies: “高校在校生”.
pub const STUDENTS: &str = "si_startup_founder.students";
/// 1 = a local veteran qualifies: “本市户籍的……复员转业退役军人”.
pub const VETERANS: &str = "si_startup_founder.local_veterans";
/// 1 = a local farmer qualifies: “本市户籍的……农民” — of farmers the registers record 被征地农民
/// (`land_expropriated`; since 2026-12-07, as the same sentence's farmers in （九）, a cold
/// review); another farmer is the analyst's to pay by hand.
pub const FARMERS: &str = "si_startup_founder.local_farmers";
/// 1 = only the founder's first start-up (the earliest founded of the enterprises the registers
/// name them founder of): “首次成功创业”.
pub const FIRST_ONLY: &str = "si_startup_founder.first_startup_only";
/// Years from the founding day within which the months fall (“3年内”); undeclared: the months
/// alone limit the subsidy (Suzhou's “不超过3年”).
pub const YEARS_FROM_FOUNDING: &str = "si_startup_founder.years_from_founding";

/// The founders' own SI subsidy, run by the hire driver on the founder's registration with
/// their enterprise.
#[derive(Default)]
pub struct SiStartupFounder {
    /// enterprises by founder (employer indexes), built at the first founder judged (the first
    /// start-up, a registration ended by a later one)
    founded_by: OnceLock<FxHashMap<u32, Vec<u32>>>,
}

impl SiStartupFounder {
    fn founded_of(&self, ctx: &Ctx) -> &FxHashMap<u32, Vec<u32>> {
        self.founded_by
            .get_or_init(|| founded_by(&ctx.inputs.registers))
    }

    /// The start-up the founder of `employer` founded before it in the pipeline's region (by
    /// founding day, then credit code: two on one day are ordered, not both first), if any.
    /// “在澄首次成功创业”: the first start-up in the city — 在澄 scopes 首次; one founded
    /// elsewhere (another region in the registers) is no earlier start-up in it (a cold review
    /// found a founder refused for an enterprise in Wuxi).
    fn earlier_startup(&self, ctx: &Ctx, founder: u32, employer: u32) -> Option<u32> {
        let reg = &ctx.inputs.registers;
        let by = self.founded_of(ctx);
        let key = |i: u32| {
            let e = reg.employer(i);
            (e.founded_on, e.id)
        };
        by.get(&founder)?
            .iter()
            .copied()
            .filter(|&i| key(i) < key(employer) && ctx.in_region(i))
            .min_by_key(|&i| key(i))
    }
}

/// The start-ups each person founded (employers.csv `founder_id`), by person, in file order.
/// A public body is none (“进行商事登记或民办非企业单位登记”): it is no earlier start-up, nor
/// self-employment ending a registration (a cold review found a founder refused for the public
/// body the registers also name them founder of; a regression review, a registration ended by
/// one).
fn founded_by(reg: &Registers) -> FxHashMap<u32, Vec<u32>> {
    let mut by: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (i, e) in reg.employers.iter().enumerate() {
        if e.kind == EmployerKind::PublicBody {
            continue;
        }
        if let Some(p) = e
            .founder_id
            .and_then(|f| crate::ingest::Lookup::person(reg, &f))
        {
            by.entry(p).or_default().push(i as u32);
        }
    }
    by
}

fn near(code: Code, why: String) -> Miss {
    Miss {
        code: Some(code),
        why,
    }
}

impl HireProgramme for SiStartupFounder {
    fn code(&self) -> &'static str {
        CODE
    }

    fn founders_own(&self) -> bool {
        true
    }

    fn judge(&self, ctx: &Ctx, e: &EmploymentRow) -> Judgement {
        let reg = &ctx.inputs.registers;
        let emp = reg.employer(e.employer);
        let person = reg.person(e.person);
        if emp.founder_id.is_none_or(|f| f != person.id) {
            return Ok(Err(Miss {
                code: None,
                why: "not the founder of the employer".into(),
            }));
        }
        let on = emp.founded_on;
        // “进行商事登记或民办非企业单位登记”: an enterprise, an individual business or a social
        // organisation — not a public body
        if emp.kind == EmployerKind::PublicBody {
            return Ok(Err(near(
                Code::FounderNotEligible,
                format!(
                    "{} is {}: no start-up (商事登记 or 民办非企业单位登记)",
                    emp.id,
                    emp.kind.described()
                ),
            )));
        }
        let mut params = Vec::new();
        if let Some(r) = ctx.params.switch(FIRST_ONLY, on)? {
            if let Some(first) = self.earlier_startup(ctx, e.person, e.employer) {
                let first = reg.employer(first);
                return Ok(Err(near(
                    Code::FounderNotEligible,
                    format!(
                        "{} founded on {on} is not the founder's first start-up (首次创业): {} was founded on {}",
                        emp.id, first.id, first.founded_on
                    ),
                )));
            }
            params.push(r);
        }
        let by = self.founded_of(ctx);
        let Some((why, mut ps)) = group(ctx, by, e.person, on, e.employer)? else {
            return Ok(Err(near(
                Code::FounderNotEligible,
                format!(
                    "the founder of {} belongs to none of the clause's groups on the founding day {on} ({}graduate within the window{}{}{}){}; the registers show {}; a group the registers do not hold (a master's degree or more, 大学生村官, a farmer other than 被征地农民) is the analyst's to pay by hand",
                    emp.id,
                    if unemployed_group(ctx, on)? {
                        "local registered unemployed, "
                    } else {
                        ""
                    },
                    if ctx.params.switch(STUDENTS, on)?.is_some() {
                        ", student"
                    } else {
                        ""
                    },
                    if ctx.params.switch(VETERANS, on)?.is_some() {
                        ", local veteran"
                    } else {
                        ""
                    },
                    if ctx.params.switch(FARMERS, on)?.is_some() {
                        ", local 被征地农民"
                    } else {
                        ""
                    },
                    registration_ended(ctx, by, e.person, on, e.employer)
                        .map(|(r, job)| format!(
                            ": registered unemployed since {r}, but no longer unemployed on the founding day — {job}"
                        ))
                        .unwrap_or_default(),
                    founder_facts(ctx, e.person, on)?
                ),
            )));
        };
        params.append(&mut ps);
        Ok(Ok(Finding {
            why: format!("founder of {} (founded {on}): {why}", emp.id),
            params,
            sources: vec![format!("employers.csv:{}", emp.line)],
        }))
    }

    // (the months of the founder's registration before the enterprise's founding are no
    // start-up's: a cold review found them paid and counted against the 36)
    fn first_month(&self, ctx: &Ctx, e: &EmploymentRow) -> Option<(Month, Code, String)> {
        let emp = ctx.inputs.registers.employer(e.employer);
        Some((
            Month::of(emp.founded_on),
            Code::FounderNotEligible,
            format!(
                "before the founding of {} on {} (employers.csv:{}): no start-up's month",
                emp.id, emp.founded_on, emp.line
            ),
        ))
    }

    // (a published standard a bureau dates: no day before the document, `standard_under`)
    fn share(&self, ctx: &Ctx, on: Date) -> Result<ParamRef, ParamError> {
        super::standard_under(ctx.params, "si_startup_founder.share", on)
    }

    fn limit(
        &self,
        ctx: &Ctx,
        e: &EmploymentRow,
        first: Month,
        _paid_now: &[u32],
    ) -> Result<Limit, ParamError> {
        let (max, r) = ctx
            .params
            .int_at_or_first("si_startup_founder.max_months", first.first_day())?;
        let max = max.max(0) as u32;
        let founded = ctx.inputs.registers.employer(e.employer).founded_on;
        if ctx.params.get(YEARS_FROM_FOUNDING).is_none() {
            return Ok(Limit::Months(max, vec![r]));
        }
        let (years, y) = ctx.params.int_at_or_first(YEARS_FROM_FOUNDING, founded)?;
        // (the months that begin before the anniversary, `years_end` — founded 2017-01-01:
        // 2020-01-01, so 2017-01 … 2019-12; 2019-01-15: 2022-01-15, so 2019-01 … 2022-01 (the
        // 36-month limit still bounds the count). Until 2026-12-04 a founding on the 1st kept
        // the month beginning on the anniversary, 2020-01: a cold review)
        let end = years_end(founded, years);
        let last = Month::of(end.pred_opt().unwrap_or(end));
        Ok(Limit::MonthsWithin(
            max,
            last,
            "the period from the founding",
            vec![r, y],
        ))
    }
}

/// The person's unemployment registration (on or before the founding day `on` of `employer`)
/// and what ended it before that day: a labour contract of theirs covering a day after the
/// registration and before the founding (other than one with `employer` itself), or another
/// enterprise they founded in that time, from the registration day on (one founded that very
/// day made them self-employed since: a cold review found a later start-up paid beside it) —
/// INPUTS.md's `registered_unemployed_on` is the registration “in force before the person's
/// current job”: a founder hired elsewhere, or
/// running a start-up founded since, on the founding day is no 登记失业人员 then (a cold review
/// found both paid as such). An enterprise founded before the registration does not end it,
/// whatever its SI rows: the registration says the person was out of work then (a business
/// closed or left), and its later SI rows — which a monthly extract shows only month by month —
/// cannot decide a judgement that must not hang on the extract's window (a regression review
/// found such a check refuse in a catch-up run and pay in monthly runs); a labour contract with
/// it covering days after the registration, in employment.csv, is a job and does.
fn registration_ended(
    ctx: &Ctx,
    by: &FxHashMap<u32, Vec<u32>>,
    i: u32,
    on: Date,
    employer: u32,
) -> Option<(Date, String)> {
    let reg = &ctx.inputs.registers;
    let from = reg
        .person(i)
        .registered_unemployed_on
        .filter(|d| *d <= on)?;
    let job = super::si_hardship_hire::worked_between(reg, i, from, on, |o| o.employer == employer);
    let founded = || {
        by.get(&i)?
            .iter()
            .filter(|&&k| k != employer)
            .map(|&k| reg.employer(k))
            .filter(|x| x.founded_on >= from && x.founded_on < on)
            .min_by_key(|x| (x.founded_on, x.id))
            .map(|x| {
                format!(
                    "founder of {} since {} (employers.csv:{})",
                    x.id, x.founded_on, x.line
                )
            })
    };
    job.or_else(founded).map(|why| (from, why))
}

/// The clause's group the person is in on the founding day `on` of `employer`, with why and
/// the parameters.
/// What the registers hold of founder `i` that the groups are judged on (said when none fits,
/// so that the analyst sees which fact is missing — a cold review found a local founder without
/// an unemployment registration told only that no group fits).
fn founder_facts(ctx: &Ctx, i: u32, on: Date) -> Result<String, ParamError> {
    let p = ctx.inputs.registers.person(i);
    let hukou = if ctx.local_standing(i, on)?.is_some() {
        "local hukou"
    } else {
        "no local hukou"
    };
    let registered = match p.registered_unemployed_on {
        None => "no unemployment registration".to_string(),
        Some(d) if d > on => format!("registered unemployed only from {d}, after the founding"),
        Some(d) => format!("registered unemployed from {d}"),
    };
    let education = match (p.education, p.graduation_date) {
        (Education::University, Some(g)) => format!("university graduate of {g}"),
        (Education::University, None) => "university, no graduation date".to_string(),
        (Education::Technician, _) => "technician school (not a 高校毕业生 here)".to_string(),
        (Education::Other, _) => "education other".to_string(),
    };
    Ok(format!("{hukou}, {registered}, {education}"))
}

/// Whether the local registered unemployed are a founders' group (`REGISTERED_UNEMPLOYED`).
fn unemployed_group(ctx: &Ctx, on: Date) -> Result<bool, ParamError> {
    Ok(ctx.params.get(REGISTERED_UNEMPLOYED).is_none()
        || ctx.params.switch(REGISTERED_UNEMPLOYED, on)?.is_some())
}

fn group(
    ctx: &Ctx,
    by: &FxHashMap<u32, Vec<u32>>,
    i: u32,
    on: Date,
    employer: u32,
) -> Result<Option<(String, Vec<ParamRef>)>, ParamError> {
    let p = ctx.inputs.registers.person(i);
    // “本市户籍登记失业人员” / “本市户籍的失业人员”: registered on or before the founding, and
    // not employed since (`registration_ended`) — where the pipeline's text has the group
    if let Some(reg) = p
        .registered_unemployed_on
        .filter(|d| *d <= on)
        .filter(|_| registration_ended(ctx, by, i, on, employer).is_none())
    {
        if let (true, Some(local)) = (unemployed_group(ctx, on)?, ctx.local_standing(i, on)?) {
            return Ok(Some((
                format!("{}, registered unemployed since {reg}", local.why),
                local.params,
            )));
        }
    }
    if p.education == Education::University {
        if let Some(grad) = p.graduation_date {
            // “毕业5年内的高校毕业生”: founded on or after graduation, within the window
            let (years, r) = ctx
                .params
                .int_at_or_first("si_startup_founder.graduate_window_years", on)?;
            let until = years_end(grad, years);
            if grad <= on && on <= until {
                return Ok(Some((
                    format!("graduate of {grad}, within {years} years (to {until})"),
                    vec![r],
                )));
            }
            // “高校在校生”: founded before graduation
            if on < grad {
                if let Some(s) = ctx.params.switch(STUDENTS, on)? {
                    return Ok(Some((
                        format!("university student (graduation {grad})"),
                        vec![s],
                    )));
                }
            }
        }
    }
    // “本市户籍的……复员转业退役军人”
    if p.categories & hardship_category::VETERAN != 0 {
        if let Some(v) = ctx.params.switch(VETERANS, on)? {
            if let Some(mut local) = ctx.local_standing(i, on)? {
                local.params.push(v);
                return Ok(Some((format!("{}, veteran", local.why), local.params)));
            }
        }
    }
    // “本市户籍的……农民”: 被征地农民, the farmers the registers record
    if p.categories & hardship_category::LAND_EXPROPRIATED != 0 {
        if let Some(v) = ctx.params.switch(FARMERS, on)? {
            if let Some(mut local) = ctx.local_standing(i, on)? {
                local.params.push(v);
                return Ok(Some((
                    format!("{}, farmer (被征地农民)", local.why),
                    local.params,
                )));
            }
        }
    }
    Ok(None)
}

/// Each founder's registration with the enterprise they founded (in the pipeline's region)
/// that employment.csv lacks: a founder employs no one, themself included, so a start-up's
/// founder insured by it often has no labour contract row — their months are the enterprise's
/// from its founding (open-ended; line 0: cited as the enterprise's employers.csv row). For
/// the hire driver's founders' programme only; the registers keep what the bureau sent.
pub fn registrations(ctx: &Ctx) -> Vec<EmploymentRow> {
    let reg = &ctx.inputs.registers;
    let mut out = Vec::new();
    for (i, e) in reg.employers.iter().enumerate() {
        let employer = i as u32;
        let Some(person) = e
            .founder_id
            .and_then(|f| crate::ingest::Lookup::person(reg, &f))
        else {
            continue;
        };
        if !ctx.in_region(employer) || reg.employment_of(person).any(|r| r.employer == employer) {
            continue;
        }
        out.push(EmploymentRow {
            line: 0,
            person,
            employer,
            contract_start: e.founded_on,
            contract_end: None,
            post: crate::ingest::records::Post::Regular,
            ended_on: None,
            hired_on: e.founded_on,
        });
    }
    out
}
