//! `si_sme_graduate_hire` — 苏府〔2017〕158号 （八）2:
//! “小微企业新招用毕业年度高校毕业生，签订劳动合同并缴纳社会保险费的，对企业缴纳社会保险费部分
//! 给予不超过2年的全额补贴”.
//!
//! Reading (docs/POLICY.md): the employer is micro or small; the person is a full-time
//! university graduate and the contract starts within `graduate.window_years` after the
//! graduation date; any labour contract length; ≤ 24 subsidised months.

use super::hire::{HireProgramme, Limit};
use super::Ctx;
use crate::domain::{Date, Month};
use crate::exceptions::Code;
use crate::ingest::records::EmploymentRow;
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{self, Finding, Judgement, Miss};

pub const CODE: &str = "si_sme_graduate_hire";
pub const PARAMS: &[&[&str]] = &[
    derive::GRADUATE_PARAMS,
    &[
        "si_sme_graduate_hire.share",
        "si_sme_graduate_hire.max_months",
    ],
];

pub struct SiSmeGraduateHire;

impl HireProgramme for SiSmeGraduateHire {
    fn code(&self) -> &'static str {
        CODE
    }

    // （七）“吸纳”, （八）2 “新招用”: a renewal continues the hire
    fn renewals_continue_the_hire(&self) -> bool {
        true
    }

    fn judge(&self, ctx: &Ctx, e: &EmploymentRow) -> Judgement {
        let reg = &ctx.inputs.registers;
        let person = reg.person(e.person);
        // (looked up for graduates only: for anyone else the answer is a silent no)
        let hired = if person.graduation_date.is_some() {
            newly_hired(reg, e)
        } else {
            e.contract_start
        };
        let employer = reg.employer(e.employer);
        // a full-time university education without the graduation date: whether the hire falls
        // in the window cannot be told — said at the contract where the employer could be paid,
        // so that the register is completed while the extracts still hold the months (a review
        // found a date entered two months late cost the months before it without a word; other
        // people's SI at a small firm is no near miss)
        if person.graduation_date.is_none()
            && person.education == crate::ingest::records::Education::University
            && employer.size.is_small_micro()
            && !matches!(
                employer.kind,
                crate::ingest::records::EmployerKind::PublicBody
                    | crate::ingest::records::EmployerKind::IndividualBusiness
            )
        {
            return Ok(Err(Miss {
                code: Some(Code::GraduationDateMissing),
                why: format!(
                    "persons.csv gives a full-time university education (全日制高校) but no graduation_date: whether the hire of {} by small/micro employer {} falls within the graduate window cannot be told",
                    e.contract_start, employer.id
                ),
            }));
        }
        let f = match derive::graduate_at(person, hired, ctx.params)? {
            Ok(f) => f,
            Err(m) => return Ok(Err(m)),
        };
        // “小微企业” (and social organisations, which the texts treat as enterprises for hiring
        // graduates: “对吸纳高校毕业生就业的社会组织……同等享受企业吸纳就业扶持政策”): a public body
        // (机关事业单位) is no enterprise, nor an individual business (个体工商户, which the texts
        // name beside 小微企业 — until 2026-12-02 it was paid as one: a cold review), whatever
        // its size
        use crate::ingest::records::EmployerKind;
        if matches!(
            employer.kind,
            EmployerKind::PublicBody | EmployerKind::IndividualBusiness
        ) {
            return Ok(Err(Miss {
                code: Some(Code::NotSmallMicroEmployer),
                why: format!(
                    "{}; employer {} is {}, not a small or micro enterprise (小微企业)",
                    f.why,
                    employer.id,
                    employer.kind.described()
                ),
            }));
        }
        if !employer.size.is_small_micro() {
            return Ok(Err(Miss {
                code: Some(Code::NotSmallMicroEmployer),
                why: format!(
                    "{}; employer {} is not small or micro (小微企业)",
                    f.why, employer.id
                ),
            }));
        }
        // (a social organisation is named as one: the clause's enterprise rule reaches it by
        // “同等享受企业吸纳就业扶持政策” — a review read “enterprise” of one as a mistake)
        let what = if employer.kind == EmployerKind::SocialOrg {
            "social organisation (同等享受企业吸纳就业扶持政策)"
        } else {
            "enterprise"
        };
        Ok(Ok(Finding {
            why: format!("{}; hired {hired} by a small/micro {what}", f.why),
            params: f.params,
            sources: Vec::new(),
        }))
    }

    fn share(&self, ctx: &Ctx, on: Date) -> Result<ParamRef, ParamError> {
        ctx.params.at("si_sme_graduate_hire.share", on)
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
            .int_at_or_first("si_sme_graduate_hire.max_months", first.first_day())?;
        Ok(Limit::Months(max.max(0) as u32, vec![r]))
    }
}

/// （八）2 “新招用”: the day the employer newly hired the person — the first day of the unbroken
/// run of contracts with it that `e` (its chain's first day for a renewal) continues, of
/// whatever kind of post: （八）2 knows no post kinds, while the registers' renewal chains are
/// walked per kind of post for （七）'s public-welfare limit (a cold review found a graduate whose
/// public-welfare post was renewed as a regular contract judged a new hire at the renewal,
/// outside the window: her second year unpaid).
fn newly_hired(reg: &crate::registers::Registers, e: &EmploymentRow) -> Date {
    let mut start = e.contract_start;
    loop {
        let eve = start.pred_opt().unwrap_or(start);
        let earlier = reg
            .employment_of(e.person)
            .filter(|o| {
                o.employer == e.employer
                    && o.contract_start < start
                    && o.last_day().is_none_or(|d| d >= eve)
            })
            .map(|o| o.contract_start)
            .min();
        match earlier {
            Some(s) => start = s,
            None => return start,
        }
    }
}
