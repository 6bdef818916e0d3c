//! `public_welfare_post` — 澄政发〔2019〕18号 （十三）: “公益性岗位补贴标准按照每月1000元标准执行”.
//!
//! Reading (docs/POLICY.md): a post subsidy (岗位补贴) of a fixed amount per month to the
//! person employed on a public-welfare post (`post = public_welfare`; PROGRAMMES.md “person on
//! a public-welfare post”),
//! for every month inside the contract whose employer SI was paid by the end of the payout
//! month (the month is evidenced by the contribution, as for the other contribution-fed
//! programmes). It is paid beside, not instead of, an SI subsidy for the same month.

use super::hire::{HireProgramme, Limit};
use super::Ctx;
use crate::domain::{Date, Month};
use crate::ingest::records::{EmploymentRow, Post};
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{self, Finding, Judgement, Miss};

pub const CODE: &str = "public_welfare_post";
pub const PARAMS: &[&[&str]] = &[&["public_welfare_post.amount"], derive::RETIREMENT_PARAMS];

pub struct PublicWelfarePost;

impl HireProgramme for PublicWelfarePost {
    fn code(&self) -> &'static str {
        CODE
    }

    fn judge(&self, ctx: &Ctx, e: &EmploymentRow) -> Judgement {
        // a post begun at or past the statutory retirement age has no month of working age
        // (the limit below stops at the retirement month; the post's SI subsidy refuses such a
        // contract whole — a cold review found its first month paid)
        if e.post == Post::PublicWelfare {
            let person = ctx.inputs.registers.person(e.person);
            if let Some(why) = super::si_hardship_hire::past_working_age(
                ctx,
                person,
                e.contract_start,
                "the post's first day",
            )? {
                return Ok(Err(Miss {
                    code: Some(crate::exceptions::Code::RetirementAgeReached),
                    why,
                }));
            }
        }
        Ok(match e.post {
            Post::PublicWelfare => Ok(Finding {
                why: format!("public-welfare post from {}", e.contract_start),
                params: vec![],
                sources: Vec::new(),
            }),
            Post::Regular => Err(Miss {
                code: None,
                why: "not a public-welfare post".into(),
            }),
        })
    }

    fn share(&self, ctx: &Ctx, on: Date) -> Result<ParamRef, ParamError> {
        ctx.params.at("public_welfare_post.amount", on)
    }

    fn fixed_amount(&self) -> bool {
        true
    }

    fn pays_the_person(&self) -> bool {
        true
    }

    fn limit_per_contract(&self, _e: &EmploymentRow) -> bool {
        true
    }

    fn limit(
        &self,
        ctx: &Ctx,
        e: &EmploymentRow,
        _first: Month,
        _paid_now: &[u32],
    ) -> Result<Limit, ParamError> {
        // the clause sets no duration: every month inside a public-welfare contract (a month
        // outside every contract is MONTH_OUTSIDE_CONTRACT; a later contract — a renewal, a post
        // at another employer — is paid for its own months) up to the month the person reaches
        // the statutory retirement age: a post is held under a labour contract, which ends then
        // (劳动合同法实施条例 第21条), and 就业困难人员 are of working age — as the post's SI
        // subsidy stops (si_hardship_hire; since 2026-12-04: a cold review found the post
        // subsidy paid past the retirement month its SI subsidy stopped at)
        let person = ctx.inputs.registers.person(e.person);
        let (until, r) =
            derive::retirement_month(person, e.contract_start, admitted_on(ctx, e), ctx.params)?;
        Ok(Limit::Until(until, vec![r]))
    }
}

/// The day a woman's retirement month is judged on for post `e`: the first day of an earlier
/// public-welfare post of hers (at any employer) that she reached the worker's retirement age
/// on — she retired then, and a later post is not paid (docs/POLICY.md; a contract-only review
/// found the later post paid to the cadres' 55 in monthly runs, where the month's first post had
/// been paid off) —, else the post's own start (a woman placed at 52 after a post that ended
/// before her 50th birthday is of working age: a regression review found her new post refused
/// for one held at 30) — or the first day of the posts she held back to back up to it (a move
/// between posts is no break). A register snapshot that no longer lists the earlier post leaves
/// the ledger to say it (`RETIRED_ON_A_POST`).
pub(super) fn admitted_on(ctx: &Ctx, e: &EmploymentRow) -> Date {
    let person = ctx.inputs.registers.person(e.person);
    // (a man's retirement month does not hang on the day: `derive::retirement_month`)
    if person.id.sex() != crate::domain::Sex::Female {
        return e.contract_start;
    }
    let registered = ctx
        .inputs
        .registers
        .employment_of(e.person)
        .filter(|c| c.post == Post::PublicWelfare && c.contract_start < e.contract_start)
        .filter(|c| reached_worker_age_on(ctx, c).is_some())
        .map(|c| stretch_start(ctx, c))
        .fold(stretch_start(ctx, e), Date::min);
    if registered < e.contract_start {
        return registered;
    }
    // (the ledger's memory of such a post, where this register no longer lists it)
    ctx.history
        .first_applied(RETIRED_ON_A_POST, &person.id.to_string())
        .map(|(_, eve)| eve)
        .filter(|&eve| eve < e.contract_start)
        .unwrap_or(e.contract_start)
}

/// The first day of the stretch on public-welfare posts post `c` ends: the posts she held back
/// to back up to its start, no day between — a move from one post to the next is no break (a
/// regression review: a post begun on her 50th birthday, the day after the last one ended, was
/// paid to the cadres' 55 in one run and stopped at the worker's 50 by monthly runs whose
/// register still ran the earlier post on).
fn stretch_start(ctx: &Ctx, c: &EmploymentRow) -> Date {
    let mut first = c.contract_start;
    while let Some(s) = ctx
        .inputs
        .registers
        .employment_of(c.person)
        .filter(|q| q.post == Post::PublicWelfare && q.contract_start < first)
        .filter(|q| q.in_force_between(first.pred_opt().unwrap_or(first), first))
        .map(|q| q.contract_start)
        .min()
    {
        first = s;
    }
    first
}

/// The day a woman reaches the worker's retirement age on public-welfare post `c`, if she does:
/// the post running on it, and she on posts since before it (`stretch_start`) — the post begun
/// before it, or on it the day after another post ended (a grader found the stretch forgotten
/// once a register dropped the earlier post: the memory is written for it too).
fn reached_worker_age_on(ctx: &Ctx, c: &EmploymentRow) -> Option<Date> {
    let person = ctx.inputs.registers.person(c.person);
    if person.id.sex() != crate::domain::Sex::Female || c.post != Post::PublicWelfare {
        return None;
    }
    let (age, _) = ctx
        .params
        .int_at_or_first("retirement.female_age", c.contract_start)
        .ok()?;
    let at = crate::domain::birthday(person.id.birth_date(), age);
    (c.contract_start <= at && c.last_day().is_none_or(|d| at <= d) && stretch_start(ctx, c) < at)
        .then_some(at)
}

/// The ledger's memory that a woman reached the worker's retirement age on a public-welfare
/// post (`first_applications`: this group, the month she reached it, judged on its eve) — the
/// day `admitted_on` judges a later post on when a register snapshot no longer lists that
/// post (a contract-only review, 2026-12-06, found the later post refused by one run and paid
/// to the cadres' 55 by the next, whose register had dropped the ended post; the paid post month
/// of her birthday alone does not say it — a post ended before the birthday, or begun after it,
/// pays that month too: a regression review).
const RETIRED_ON_A_POST: &str = "retired_on_a_post";

/// Records (`RETIRED_ON_A_POST`, once per person) each woman this register shows reaching the
/// worker's retirement age on a public-welfare post by the end of the payout month.
pub(super) fn retirements_on_posts(ctx: &Ctx, out: &mut super::Outcome) {
    let reg = &ctx.inputs.registers;
    let end = ctx.payout.last_day();
    let mut seen: Vec<(String, Date)> = reg
        .employment
        .iter()
        .filter_map(|c| {
            let at = reached_worker_age_on(ctx, c).filter(|&at| at <= end)?;
            let pid = reg.person(c.person).id.to_string();
            ctx.history
                .first_applied(RETIRED_ON_A_POST, &pid)
                .is_none()
                .then_some((pid, at))
        })
        .collect();
    seen.sort_unstable();
    seen.dedup_by(|a, b| a.0 == b.0);
    for (pid, at) in seen {
        if let Some(eve) = at.pred_opt() {
            out.said_once(RETIRED_ON_A_POST.to_string(), pid, Month::of(at), eve);
        }
    }
}
