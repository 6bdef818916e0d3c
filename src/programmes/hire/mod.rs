//! The driver shared by employer programmes fed by contributions (`si_hardship_hire`,
//! `si_sme_graduate_hire`, `si_redeployment`): find the labour contract behind each
//! month of employer SI, let the programme judge it, apply the duration limit in the order
//! the months were worked, and pay the employer's SI actually paid × the programme's share.
//!
//! Files: this one joins the months to the contracts; `walk` walks each person's months
//! (`person_months`: `Walk::month`, `Walk::candidate`, `Walk::line`); `month` one person-month
//! (`MonthCtx`), `candidates` the programmes and contracts it is tried under, `priced` a month
//! as one programme prices it under one contract (`Pricing`, `Ledgered`: share, late or unpaid
//! SI, the line's basis), `outside` a month outside a programme's contracts, `limits` the
//! duration limits (`LimitAsk`), `founders` a founder's own months, `paid` what earlier runs
//! paid, `kept` the rows the ledger keeps from earlier extracts (late SI, months withheld
//! until paid in full), `not_due` months paid that are no longer due, `interns` an intern's
//! employed months, `recovered` lines of other parties a line takes back, `without_contract`
//! employer SI with no contract behind it.

mod candidates;
mod founders;
mod interns;
mod kept;
mod limits;
mod month;
mod not_due;
mod outside;
mod paid;
mod priced;
mod recovered;
mod walk;
mod without_contract;

use walk::person_months;

use candidates::limit_group;
use founders::*;
pub use interns::INTERN_EMPLOYED;
use interns::*;
pub(super) use interns::{intern_employed, interns_employed_since};
pub use kept::rows_of_withheld;
use kept::*;
pub(super) use kept::{
    kept_as, kept_rows, late_rows, late_seen, month_rows_to_keep, paid_late_before, Kept,
};
pub(super) use limits::past_retirement;
use limits::*;
use not_due::*;
pub(super) use paid::flexible_paid;
use paid::*;
pub use without_contract::si_without_contract;

use super::si::{self, SiMonth};
use super::{Ctx, Outcome, Party, Payee, Payment};
use crate::domain::{Date, Money, Month};
use crate::exceptions::{Code, Exception};
use crate::ingest::records::{EmploymentRow, Insurance};
use crate::ledger::Seen;
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{Finding, Judgement, Miss};
use rayon::prelude::*;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

#[derive(Debug)]
pub enum Error {
    Param(&'static str, ParamError),
    Join(String),
}

/// How long a subsidy may run.
#[derive(Clone, Debug)]
pub enum Limit {
    /// at most this many subsidised months
    Months(u32, Vec<ParamRef>),
    /// service months up to and including this month (e.g. retirement)
    Until(Month, Vec<ParamRef>),
    /// at most this many subsidised months, and none after this month: （七）'s 3 or 5 years
    /// end at the statutory retirement age (`si_hardship.until_retirement`)
    MonthsUntil(u32, Month, Vec<ParamRef>),
    /// at most this many subsidised months, and none after this month, the last of a period
    /// counted from an event (Jiangyin （八）“3年内” from the founding; Jinan （六）“离校2年内”
    /// from leaving school), named by the text: past it is the limit reached, not the
    /// retirement age
    MonthsWithin(u32, Month, &'static str, Vec<ParamRef>),
    /// no duration: every qualifying month (the contract bounds the months, not the limit)
    None,
}

/// An employer programme fed by the employer's SI contributions.
pub trait HireProgramme: Sync {
    fn code(&self) -> &'static str;
    /// Whether this labour contract qualifies (the person at the hire, the employer, the
    /// contract). A `Miss` with a code is a near miss reported to the analyst.
    fn judge(&self, ctx: &Ctx, e: &EmploymentRow) -> Judgement;
    /// Share of the employer's paid SI granted for a service month, priced under the rules in
    /// force on `on` (`pricing_day`) — or, for a programme with a fixed monthly amount, that
    /// amount.
    fn share(&self, ctx: &Ctx, on: Date) -> Result<ParamRef, ParamError>;
    /// Whether `share` is a fixed monthly amount (the paid SI then only evidences the month).
    fn fixed_amount(&self) -> bool {
        false
    }
    /// Whether the person on the contract is paid (payee = the person, one line per person and
    /// service month whatever the employers — a move between posts within a month, or two posts
    /// at once, is one month), not the employer.
    fn pays_the_person(&self) -> bool {
        false
    }
    /// The payee of a line for `person` employed by `employer` (`pays_the_person`).
    fn payee(&self, person: u32, employer: u32) -> Payee {
        if self.pays_the_person() {
            Payee::Person(person)
        } else {
            Payee::Employer(employer)
        }
    }
    /// Whether a renewal — a contract with the same employer, for the same kind of post,
    /// starting no later than the day after an earlier one ends — is judged as the hire it
    /// continues (from that hire's first day): the person was hired once (新招用, 吸纳), not at
    /// each renewal. Not for a programme whose fact is the new contract itself.
    fn renewals_continue_the_hire(&self) -> bool {
        false
    }
    /// The first month of the employment whose months the other hire programmes subsidised
    /// count against this one's limit (`hire_months_elsewhere`): for a programme whose
    /// renewals continue the hire, the hire's (its first day); `None`: the programme counts
    /// its own months only.
    fn shares_limit_from(&self, _ctx: &Ctx, e: &EmploymentRow) -> Option<Month> {
        self.renewals_continue_the_hire()
            .then(|| Month::of(e.hired_on))
    }
    /// The programme's contract-length condition alone, on the contract's own dates (“签订1年以上
    /// 期限劳动合同”): the reason it is too short, if it is. A renewal judged as the hire it
    /// continues meets the condition when it or an earlier contract of the chain qualified —
    /// two six-month contracts are no one-year contract.
    fn too_short(&self, _ctx: &Ctx, _e: &EmploymentRow) -> Result<Option<Miss>, ParamError> {
        Ok(None)
    }
    /// Whether a month qualifies only when every insurance row the extract has for it was paid
    /// by the end of the payout month (Jiangyin （十一）“足额缴纳社会保险费”); otherwise what
    /// was actually paid is subsidised (Suzhou （七）“实际缴纳”).
    fn paid_in_full_only(&self) -> bool {
        false
    }
    /// Duration limit, fixed at the first subsidised month `first`. `paid_now`: the employers
    /// whose SI for `first` this extract shows paid in time (the contracts that month can be
    /// paid under in this run; earlier runs' are in the ledger).
    fn limit(
        &self,
        ctx: &Ctx,
        e: &EmploymentRow,
        first: Month,
        paid_now: &[u32],
    ) -> Result<Limit, ParamError>;
    /// The limit a contract's months count against, when a programme has several (（七）:
    /// public-welfare posts until retirement, other hires 3/5 years); "" = the programme's.
    fn limit_group(&self, _e: &EmploymentRow) -> &'static str {
        ""
    }
    /// The day the limit's first application for month `first` judges the person's age on,
    /// where the limit depends on it (（七）: 36 or 60 months): the ledger keeps it, for the
    /// runs whose registers no longer hold the contract that decided it.
    fn first_application_day(
        &self,
        _ctx: &Ctx,
        _e: &EmploymentRow,
        _first: Month,
        _paid_now: &[u32],
    ) -> Option<Date> {
        None
    }
    /// Whether the contract's limit does not depend on its first subsidised month (（七）:
    /// a public-welfare post runs to the retirement month, known from the resident ID): then
    /// it is known before any month is subsidised, and a month past it says so before its SI
    /// is said to be late or unpaid.
    fn limit_known_beforehand(&self, _e: &EmploymentRow) -> bool {
        false
    }
    /// Whether contract `e`'s limit is its own, not the limit group's first contract's: a
    /// public-welfare post runs to the retirement month judged at that post (a woman's at its
    /// start, or an earlier post's she reached the worker's 50 on), so a later post of the same
    /// person — in the same run — is judged anew (a grader found a woman's later post, begun at
    /// 50 after one that ended before her birthday, refused after the earlier post's month by
    /// a run paying months of both, where monthly runs paid it).
    fn limit_per_contract(&self, _e: &EmploymentRow) -> bool {
        false
    }
    /// Whether the programme pays a founder's own SI at the enterprise they founded
    /// (`si_startup_founder`); the others do not (`FOUNDER_OWN_ENTERPRISE`).
    fn founders_own(&self) -> bool {
        false
    }
    /// The first service month contract `e` can be paid for, where the programme starts it
    /// later than the contract (a founder's months begin with the founding), with the code and
    /// reason of an earlier month.
    fn first_month(&self, _ctx: &Ctx, _e: &EmploymentRow) -> Option<(Month, Code, String)> {
        None
    }
}

/// `pension 665.00 + medical 280.00 + … = 997.50` for the insurances in `mask`.
pub fn si_breakdown(cents: &[i64; 5], mask: u8) -> String {
    let parts: Vec<String> = Insurance::ALL
        .iter()
        .filter(|i| mask & (1 << **i as u8) != 0)
        .map(|i| format!("{} {}", i.as_str(), Money::from_cents(cents[*i as usize])))
        .collect();
    format!(
        "{} = {}",
        parts.join(" + "),
        Money::from_cents(cents.iter().sum())
    )
}

fn mask_of(cents: &[i64; 5]) -> u8 {
    (0..5).filter(|i| cents[*i] != 0).fold(0, |m, i| m | 1 << i)
}

/// The row of this extract that lowered month `m` below `basis` (the first insurance whose SI
/// `compare` finds reversed), or 0 where none is known: an SI_REVERSAL names the row changed,
/// not the month's first (a cold review found the unchanged pension row cited for a lowered
/// medical one).
pub fn reversed_row(
    m: &SiMonth,
    basis: &[i64; 5],
    rows: &[crate::ingest::records::ContributionRow],
) -> u32 {
    let lowered = |i: &usize| lowered(m, basis, *i);
    // (a row refunded whole first — it is what leaves a flexible month incomplete —, else the
    // first lowered)
    let Some(i) = (0..5)
        .filter(lowered)
        .find(|&i| m.paid[i] == 0)
        .or_else(|| (0..5).find(lowered))
    else {
        return 0;
    };
    m.rows_in(rows)
        .find(|r| r.insurance as usize == i)
        .map_or(0, |r| r.line)
}

/// Whether insurance `i` of month `m` is reversed below `basis`: in this extract, not paid
/// after the payout month — a row paid late is no refund: the run after it decides (a review
/// found a raised contribution paid late read as a reversal of the whole insurance) —, not
/// from an earlier run's extract — a row kept in `si_late_seen` (its latest sighting) may top a
/// month up, never reverse it: a lower kept figure is the earlier sighting of a row the paid
/// line already superseded —, and lower than it was subsidised.
fn lowered(m: &SiMonth, basis: &[i64; 5], i: usize) -> bool {
    m.present & (1 << i) != 0
        && m.late_mask & (1 << i) == 0
        && m.remembered & (1 << i) == 0
        && m.paid[i] < basis[i]
}

/// Compares this extract's month with what was subsidised: the cents reversed (insurances
/// present now with less paid than was subsidised) and the cents newly paid per insurance.
pub fn compare(m: &SiMonth, basis: &[i64; 5]) -> (i64, [i64; 5]) {
    let mut reversed = 0;
    let mut extra = [0i64; 5];
    for i in 0..5 {
        // (an insurance not in this extract is unchanged; one paid late waits for its run)
        if m.present & (1 << i) == 0 || m.late_mask & (1 << i) != 0 {
            continue;
        }
        let d = m.paid[i] - basis[i];
        if d >= 0 {
            extra[i] = d;
        } else if lowered(m, basis, i) {
            reversed -= d;
        }
    }
    (reversed, extra)
}

type Judged = Vec<Vec<Result<Finding, Miss>>>; // [programme][employment row]
/// A person's labour contracts with each employer, by (person, employer): indexes into the
/// employment register, in the order of their starts.
type Pairs = FxHashMap<(u32, u32), Vec<usize>>;

/// The day whose rules price service month `m` of a hire: the month's first day, or — in the
/// month a document takes effect (Songyuan 2018-04-13, Jinan 2017-12-30: the programme's rules
/// not in force on the month's first day, in force from a later day of it) — the later of that
/// day and the hire's (its chain's first day), when the contract still runs then: the month is
/// paid for employment on a day the rules are in force (“自发布之日起施行”), as any month is paid
/// for a day of a contract in it — a hire of 04-12 as one of 04-13 or 03-01 (since 2026-12-04;
/// until then only hires made on or after that day were paid the month, so the longer
/// employment under the document earned less: a cold review; before 2026-12-02 none was). A
/// contract ended before that day is priced on the first day: no rule in force. Where the
/// rules were in force on the month's first day, a value a pipeline changes during a month (a
/// bureau's share from the 15th) prices the whole month for every hire by the value of its
/// first day — until 2026-12-03 a hire of the 15th was priced by the new value and one of July
/// by the old, in one month at one employer (a review).
fn pricing_day(ctx: &Ctx, prog: &dyn HireProgramme, m: Month, contract: &EmploymentRow) -> Date {
    let first = m.first_day();
    match prog.share(ctx, first) {
        Err(ParamError::NotInForce { first: from, .. }) if from > first && from <= m.last_day() => {
            let day = from.max(contract.hired_on);
            // (the contract, or another with the same employer — a renewal that continues it
            // past the day: a read-through found a chain renewed on 04-11 unpaid for April)
            let runs = |c: &EmploymentRow| c.in_force_between(day, m.last_day());
            if runs(contract)
                || ctx
                    .inputs
                    .registers
                    .employment_of(contract.person)
                    .any(|c| {
                        // (its renewal: the same chain and kind of post — not a later hire
                        // after a gap, which is judged as its own: a regression review found a
                        // contract ended 04-05 paid April on a new hire's days)
                        c.employer == contract.employer
                            && c.hired_on == contract.hired_on
                            && c.post == contract.post
                            && runs(c)
                    })
            {
                day
            } else {
                first
            }
        }
        _ => first,
    }
}

pub fn run(ctx: &Ctx, progs: &[&dyn HireProgramme]) -> Result<Outcome, Error> {
    let reg = &ctx.inputs.registers;
    let t = std::time::Instant::now();
    // the registers' contracts, and — for the founders' own programme — each founder's
    // registration with the enterprise they founded that employment.csv lacks (from the
    // founding, after the register's rows: a founder employs no one, themself included — a
    // cold review found such founders unpaid)
    let extra: &[EmploymentRow] = if progs.iter().any(|p| p.founders_own()) {
        ctx.founder_registrations()
    } else {
        &[]
    };
    let employment: std::borrow::Cow<[EmploymentRow]> = if extra.is_empty() {
        (&reg.employment[..]).into()
    } else {
        let mut v = reg.employment.clone();
        v.extend_from_slice(extra);
        v.into()
    };
    let employment = &employment[..];
    // 1. judge every labour contract once per programme (a renewal as the hire it continues,
    // where the programme says so)
    let mut judged: Judged = progs
        .iter()
        .map(|p| {
            let chain = p.renewals_continue_the_hire();
            employment
                .par_iter()
                .map(|e| {
                    if chain && e.is_renewal() {
                        p.judge(
                            ctx,
                            &EmploymentRow {
                                contract_start: e.hired_on,
                                ..e.clone()
                            },
                        )
                    } else {
                        p.judge(ctx, e)
                    }
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|err| Error::Param(p.code(), err))
        })
        .collect::<Result<_, _>>()?;
    // a founder insured by the enterprise they founded (employers.csv `founder_id`) is 自主创业,
    // not a hire: the texts subsidise an employer that 招用/吸纳 a person, and give founders their
    // own SI subsidy (`si_startup_founder`, 苏府〔2017〕158号 （十五）3) — a cold review found a
    // graduate founder's own SI paid as a small enterprise's graduate hire
    for (i, e) in employment.iter().enumerate() {
        let founder = reg.employer(e.employer).founder_id;
        if founder.is_none_or(|f| f != reg.person(e.person).id) {
            continue;
        }
        // (a near miss said for another reason — a graduate outside the window — is said for
        // this one: the founding is why no hire programme pays; a cold review) — unless the
        // founders' own programme takes the contract: its lines say what is paid
        let founders_pay = progs
            .iter()
            .zip(judged.iter())
            .any(|(p, v)| p.founders_own() && v[i].is_ok());
        for (p, verdicts) in progs.iter().zip(judged.iter_mut()) {
            if p.founders_own() {
                continue;
            }
            if matches!(&verdicts[i], Ok(_) | Err(Miss { code: Some(_), .. })) {
                verdicts[i] = Err(Miss {
                    code: (!founders_pay).then_some(Code::FounderOwnEnterprise),
                    why: format!(
                        "the person founded the employer {} (employers.csv founder_id): their own insurance is 自主创业, not a hire (招用)",
                        reg.employer(e.employer).id
                    ),
                });
            }
        }
    }
    // a renewal's contract length: its own, or an earlier contract of its chain qualified
    for (p, verdicts) in progs.iter().zip(judged.iter_mut()) {
        if !p.renewals_continue_the_hire() {
            continue;
        }
        // (the chain's contract that met the condition on its own dates, once one has)
        let mut chain_ok: Option<usize> = None;
        for &i in reg.chain_order() {
            let i = i as usize;
            if !employment[i].is_renewal() {
                chain_ok = verdicts[i].is_ok().then_some(i);
                continue;
            }
            // a renewal judged from the hire's first day to its own end can fall short where
            // the qualifying contract before it ended early (`ended_on`, which does not undo
            // it): judged again as the hire to that contract's end (a cold review found the
            // renewal's months refused)
            if let (
                Some(q),
                Err(Miss {
                    code: Some(Code::ContractUnderOneYear),
                    ..
                }),
            ) = (chain_ok, &verdicts[i])
            {
                let (e, qc) = (&employment[i], &employment[q]);
                verdicts[i] = p
                    .judge(
                        ctx,
                        &EmploymentRow {
                            contract_start: e.hired_on,
                            contract_end: qc.contract_end,
                            ..e.clone()
                        },
                    )
                    .map_err(|err| Error::Param(p.code(), err))?;
                // (the line names the contract that met the condition, and cites it: an audit
                // found “contract 2018-01-01..2018-12-31” beside the renewal's row alone)
                if let Ok(f) = &mut verdicts[i] {
                    use std::fmt::Write as _;
                    let _ = write!(
                        f.why,
                        " (the one-year contract {}..{} of employment.csv:{}, ended early on {}, whose renewals this contract {}..{} continues)",
                        qc.contract_start,
                        qc.contract_end.map_or("open-ended".into(), |d| d.to_string()),
                        qc.line,
                        qc.last_day().map_or(String::new(), |d| d.to_string()),
                        e.contract_start,
                        e.contract_end.map_or("open-ended".into(), |d| d.to_string()),
                    );
                    f.sources.push(format!("employment.csv:{}", qc.line));
                }
            }
            if verdicts[i].is_ok() && chain_ok.is_none() {
                if let Some(miss) = p
                    .too_short(ctx, &employment[i])
                    .map_err(|err| Error::Param(p.code(), err))?
                {
                    verdicts[i] = Err(miss);
                }
            }
            if chain_ok.is_none() && verdicts[i].is_ok() {
                chain_ok = Some(i);
            }
        }
    }

    // a hire an earlier run subsidised under a programme that the registers no longer qualify
    // (a hardship category, a registration, a graduation date dropped or corrected since):
    // not paid on the earlier judgement — the registers are the facts, as when one is entered
    // late — but said (`NO_LONGER_ELIGIBLE`), not silently dropped (until 2026-12-03 the
    // later months were neither paid nor reported: a cold review)
    // (a contract another programme qualifies is still a hire that programme pays, or says why
    // not: the row names it — a differential review found NO_LONGER_ELIGIBLE, “no longer
    // qualify the hire”, beside the graduate programme's line of a hire whose hardship
    // category was dropped; said all the same, since the other may pay nothing — its limit
    // spent —, and the months lost to the dropped fact are for the analyst to check: a
    // regression review found the row gone)
    let qualified_by: Vec<Option<&'static str>> = (0..employment.len())
        .map(|i| {
            progs
                .iter()
                .zip(judged.iter())
                .find(|(_, v)| v[i].is_ok())
                .map(|(q, _)| q.code())
        })
        .collect();
    for (p, verdicts) in progs.iter().zip(judged.iter_mut()) {
        for ((e, v), other) in employment
            .iter()
            .zip(verdicts.iter_mut())
            .zip(&qualified_by)
        {
            // (a silent miss or a near miss, whatever its reason: （六）2's age — which must not
            // hide a month paid earlier: a read-through found NO_LONGER_ELIGIBLE lost to it —, a
            // registration gone from persons.csv — a cold review found it said only
            // NOT_REGISTERED_UNEMPLOYED, the months paid on it unmentioned —, a founder the
            // registers no longer place in the clause's groups, an employer no longer small or
            // micro, a graduation date moved out of the window — cold reviews found only the
            // near miss said, the months paid unmentioned)
            let Err(Miss { code, why }) = v else {
                continue;
            };
            if !ctx.subsidised_under(p.code(), e.person) {
                continue;
            }
            // (a near miss of its own — under a year, not an enterprise…: only a month no other
            // contract of the pair covers is this contract's for sure; one another covers may
            // have been that one's line — a regression review: a short contract overlapping a
            // paid one must not be said no longer eligible for the other's months)
            let registration_gone = *code == Some(Code::NotRegisteredUnemployed)
                && reg.person(e.person).registered_unemployed_on.is_none();
            let founder_gone = p.founders_own() && *code == Some(Code::FounderNotEligible);
            let alone = !(matches!(code, None | Some(Code::NoHardshipCategory))
                || registration_gone
                || founder_gone);
            let chain = p.renewals_continue_the_hire() && e.is_renewal();
            let start = if chain { e.hired_on } else { e.contract_start };
            if let Some(m) = month_paid_earlier(ctx, *p, e, start, alone) {
                *v = Err(Miss {
                    code: Some(Code::NoLongerEligible),
                    why: format!(
                        "{why}: the registers no longer qualify the hire of {start} under {code}, whose {m} an earlier run subsidised under {code}{}",
                        other.map_or(String::new(), |o| format!(
                            " (it qualifies under {o}, which pays its months or says why not)"
                        )),
                        code = p.code()
                    ),
                });
            }
        }
    }

    // 2. the (person, employer) pairs worth joining: qualifying or near misses
    let mut pairs: Vec<(u32, u32)> = employment
        .iter()
        .enumerate()
        .filter(|(_, e)| ctx.in_region(e.employer))
        .filter(|(i, _)| {
            judged
                .iter()
                .any(|j| matches!(&j[*i], Ok(_) | Err(Miss { code: Some(_), .. })))
        })
        .map(|(_, e)| (e.person, e.employer))
        .collect();
    // founders paying their own SI as flexible workers (an individual business's owner
    // insuring themself: （十五）3 “依法缴纳社会保险费”, the founder's paid SI): their flexible
    // months too, for the founders' own programme
    let kept = kept_rows(ctx);
    let founders = Founders::of(ctx, progs, employment, &judged, &kept);
    pairs.extend(founders.enterprises.keys().map(|&p| (p, si::FLEXIBLE)));
    pairs.sort_unstable();
    pairs.dedup();
    tracing::debug!(
        pairs = pairs.len(),
        elapsed_ms = t.elapsed().as_millis() as u64,
        "hire: contracts judged"
    );
    let mut months = si::aggregate(&ctx.inputs.contributions, &pairs, ctx.payout)
        .map_err(|e| Error::Join(e.to_string()))?;
    paid_late_before(ctx, &pairs, &kept, &mut months);
    // (a founder's own month, completed from what earlier extracts showed of it, as the
    // flexible driver completes a flexible worker's: a window may hold its late medical alone)
    for m in months.iter_mut().filter(|m| m.employer.is_none()) {
        super::flexible::complete_from_seen(ctx, reg.person(m.person).id.to_string(), m);
    }
    let withheld = withheld_in_full(ctx, progs, &judged, &months);
    let late = late_rows(ctx, &pairs, &kept, &withheld);
    tracing::debug!(
        months = months.len(),
        elapsed_ms = t.elapsed().as_millis() as u64,
        "hire: contributions joined"
    );

    // contracts of the candidate pairs, in the order of their starts (one start per pair:
    // `dedup`), not the file's: the outcome does not hang on row order
    let mut contracts: Pairs = FxHashMap::default();
    for (i, e) in employment.iter().enumerate() {
        if pairs.binary_search(&(e.person, e.employer)).is_ok() {
            contracts.entry((e.person, e.employer)).or_default().push(i);
        }
    }
    for v in contracts.values_mut() {
        v.sort_by_key(|&i| (employment[i].contract_start, i));
    }

    // 3. per person, months in order
    let groups: Vec<&[SiMonth]> = months.chunk_by(|a, b| a.person == b.person).collect();
    let results: Vec<Result<Outcome, Error>> = groups
        .par_iter()
        .map(|g| {
            person_months(
                ctx, progs, employment, &judged, &contracts, &kept, &founders, g,
            )
        })
        .collect();
    let mut out = Outcome::concat(results.into_iter().collect::<Result<_, _>>()?);
    out.si_late_seen.extend(late);
    // (the months a contract the 足额 programme qualifies covers: a month of the pair outside
    // them keeps its rows for the year, for a renewal registered late, but waits for nothing —
    // a regression review found such a month said MONTH_OUTSIDE_CONTRACT for ever)
    let full: Vec<usize> = (0..progs.len())
        .filter(|&k| progs[k].paid_in_full_only())
        .collect();
    let qualifies = |p: u32, e: u32, period: Month| {
        contracts.get(&(p, e)).is_some_and(|v| {
            v.iter().any(|&i| {
                full.iter().any(|&k| judged[k][i].is_ok()) && employment[i].in_force_in(period)
            })
        })
    };
    out.si_waiting = withheld
        .iter()
        .filter(|&&(p, e, period)| qualifies(p, e, period))
        .map(|&(p, e, period)| crate::ledger::SiWaiting {
            person_id: reg.person(p).id.to_string(),
            employer_id: reg.employer(e).id.to_string(),
            period,
        })
        .collect();
    months_not_due(ctx, progs, employment, &judged, &mut out);
    not_due_withdrawn(ctx, progs, employment, &judged, &mut out);
    if progs.iter().any(|p| {
        [
            super::public_welfare_post::CODE,
            super::si_hardship_hire::CODE,
        ]
        .contains(&p.code())
    }) {
        super::public_welfare_post::retirements_on_posts(ctx, &mut out);
    }
    tracing::debug!(
        elapsed_ms = t.elapsed().as_millis() as u64,
        "hire: months walked"
    );
    Ok(out)
}

/// The ledger's memory that a run paid a line under a contract (`first_applications`, this
/// group, the person, the month of the first line and the contract's start, the group naming
/// the payee, the start's month and the employer, e.g.
/// `paid_for/si_hardship_hire/91320505MA1LEDG53Y/2019-01/91320505MA1LEDG53Y`):
/// `months_not_due` asks a month after a contract's end back only of the contract a run paid
/// it under — the remembered contract of the pair that began last by the month (`paid_under`)
/// —, as it tells an `ended_on` entered late — before the first month paid too — from an old
/// contract of the pair at another time (a corrected employer code, a re-hire, a register
/// snapshot that drops the contract paid: the register alone cannot tell them apart — since
/// 2026-12-06, a contract-only review and its regression reviews). By the start's month: a
/// start corrected within it is the same contract (a regression review).
const PAID_FOR: &str = "paid_for";

/// `PAID_FOR`'s group of programme `code`'s payee `payee` and contract `c`: `<start
/// month>/<employer>` (a post paid to the person at either of two employers, from the same
/// month, is another contract: a regression review).
fn paid_for_marker(ctx: &Ctx, code: &str, payee: &str, c: &EmploymentRow) -> String {
    let employer = ctx.inputs.registers.employer(c.employer).id;
    format!(
        "{PAID_FOR}/{code}/{payee}/{}/{employer}",
        Month::of(c.contract_start)
    )
}

/// `PAID_FOR`'s group of the pair — programme `code`'s payee `payee` and the person — whatever
/// the contract (e.g. `paid_for/si_hardship_hire/91320505MA1LEDG53Y`): the ledger remembers the
/// pair's contracts, and one it does not name was not paid under (a ledger of runs before
/// 2026-12-06 has none: a month paid inside the contract tells).
fn paid_for_pair(code: &str, payee: &str) -> String {
    format!("{PAID_FOR}/{code}/{payee}")
}

/// Whether contract `o`, judged `v`, may have been paid a month it covers that ended contract
/// `e` no longer does: one the programme qualifies; or one of `e`'s renewal chain (the same
/// hire) that it qualified when an earlier run paid a month of it and no longer does
/// (`NO_LONGER_ELIGIBLE`, which says so: a size changed, a category lost — a regression review
/// found a renewal's months held MONTH_NOT_DUE at the first contract once the employer grew) —
/// not a later hire that never qualified, said NO_LONGER_ELIGIBLE only for the month the ended
/// contract was paid (another regression review found that month's recovery lost); or a later
/// hire a run paid under (`PAID_FOR`) that no longer qualifies: its months were its own (a
/// regression review found a re-hire's months held at an old contract of the pair).
/// `paid_for`: whether a run paid a line under `o`, asked only of such a hire.
fn may_have_paid(
    v: &Result<Finding, Miss>,
    o: &EmploymentRow,
    e: &EmploymentRow,
    paid_for: &dyn Fn(&EmploymentRow) -> bool,
) -> bool {
    match v {
        Ok(_) => true,
        Err(Miss { code, .. }) => {
            *code == Some(Code::NoLongerEligible) && (o.hired_on == e.hired_on || paid_for(o))
        }
    }
}

/// A founder's own line of month `m` (`code` paid to the person as their own SI) that an
/// earlier run paid, to recover: its first line's id, and its ids with its top-ups'.
fn own_line_ids(ctx: &Ctx, code: &str, person: u32, m: Month) -> (String, Vec<String>) {
    let payee = Payee::Person(person);
    let key = ctx.payment_id(code, &payee, person, m, 0);
    let lines = match ctx.history.seen(&key) {
        Seen::Paid(entry) => entry.lines,
        _ => 0,
    };
    let ids = (0..=lines)
        .map(|seq| ctx.payment_id(code, &payee, person, m, seq))
        .collect();
    (key, ids)
}

/// Who a recovery of a line paid to `payee` (its ID `id`) is asked from.
fn recover_from(payee: &Payee, id: &str) -> String {
    match payee {
        Payee::Person(_) => format!("the person {id}"),
        _ => format!("the employer {id}"),
    }
}

/// The ledger's memory that a run said `SI_REVERSAL` of programme `code`'s month `m` paid to
/// `payee` (`first_applications`, this group): `MONTH_NOT_DUE` of the month says so.
fn reversed_marker(code: &str, payee: &str, m: Month) -> String {
    format!("si_reversed/{code}/{payee}/{m}")
}

/// The cents and first line of month `m`'s rows unpaid (no payment date) of insurances the
/// earlier line's `basis` did not subsidise: beside a reversal, a row subsidised then and
/// unpaid now is the reversal's.
fn unpaid_never_subsidised(
    m: &SiMonth,
    basis: &[i64; 5],
    rows: &[crate::ingest::records::ContributionRow],
) -> (i64, u32) {
    m.own_rows(rows)
        .filter(|c| c.paid_on.is_none() && basis[c.insurance as usize] == 0)
        .fold((0, 0), |(cents, first), c| {
            (
                cents + c.employer_cents,
                if first == 0 { c.line } else { first },
            )
        })
}

/// Where a contract is cited: its employment.csv row, or — a founder's registration the
/// registers lack (`si_startup_founder::registrations`, line 0) — the enterprise's row.
fn cited(reg: &crate::registers::Registers, e: &EmploymentRow) -> (&'static str, u32) {
    if e.line == 0 {
        ("employers.csv", reg.employer(e.employer).line)
    } else {
        ("employment.csv", e.line)
    }
}

#[derive(Default)]
struct Running {
    count: u32,
    limit: Option<Limit>,
    /// `limit` was worked out at a month not (yet) subsidised (`limit_known_beforehand`): it is
    /// worked out again at the next month until one is subsidised — its parameters are those in
    /// force at the first subsidised month (a review: a retirement age raised from a date was
    /// read at a month paid late, and the later months refused)
    provisional: bool,
    /// service months counted in this run: a month paid by two employers at once is one month
    /// of the duration (“不超过3年”)
    periods: Vec<Month>,
    /// the first application this run makes (no month subsidised before): its month and the
    /// day it judged the age on, for the ledger
    applied: Option<(Month, Date)>,
    /// the contract `limit` was worked out for (employer, first day), with the first month and
    /// employers it was worked out at: a programme whose limit is each contract's own
    /// (`limit_per_contract`) works it out again for another
    fixed_for: Option<(u32, Date, Month, Vec<u32>)>,
}

/// The ledger's memory that a month made only from kept rows (`paid_late_before`) was said
/// outside a programme's contracts (`first_applications`, group
/// `outside_said/<code>/<employer>/<month>`, the person's resident ID).
const OUTSIDE_SAID: &str = "outside_said";

/// For month `m`, made only from the ledger's kept rows and outside `code`'s contracts: whether
/// an earlier run said it so from the memory (then it is not said again — the kept rows are
/// read by every run of the memory's year: a regression review found a post's 1000.00 said
/// each month, a contract-only review a redeployment's kept months) — not while a line of the
/// month is withheld or failed and open, whose `HOLD_OUTSTANDING` points at this report's
/// refusal. Otherwise records that this run says it. (A month the extract's own run said
/// outside the contracts is said once more from the memory: which run's register put it
/// outside is not kept; a regression review found months never said when the memory's months
/// were taken as said by the run that kept them — a contract registered or ended late, a
/// withheld or waiting month.)
fn said_outside(
    ctx: &Ctx,
    prog: &dyn HireProgramme,
    m: &SiMonth,
    pid: &str,
    out: &mut Outcome,
) -> bool {
    let code = prog.code();
    let reg = &ctx.inputs.registers;
    let employer = m
        .employer
        .map_or(String::new(), |e| reg.employer(e).id.to_string());
    let period = m.period.to_string();
    // (the month in the group: the ledger keeps one row per group, person and run — a
    // regression review found the second month said in one run said again every run)
    let group = format!("{OUTSIDE_SAID}/{code}/{employer}/{period}");
    let said = ctx
        .history
        .first_applications
        .contains_key(&(group.clone(), pid.to_string()));
    // (a line of the month withheld, or failed and not paid again since: open)
    let open = || {
        let payee = m
            .employer
            .map_or(Payee::Person(m.person), |e| prog.payee(m.person, e));
        let key = ctx.payment_id(code, &payee, m.person, m.period, 0);
        !matches!(ctx.history.seen(&key), Seen::Paid(_))
            && ctx.history.open_holds.iter().any(|h| {
                h.acknowledged.is_none()
                    && h.programme == code
                    && h.beneficiary_id == pid
                    && h.service_month == period
            })
    };
    if said && !open() {
        return true;
    }
    if !said {
        out.said_once(group, pid.to_string(), m.period, ctx.payout.last_day());
    }
    false
}

/// A person's earlier runs, for `hire_months_elsewhere`: their resident ID and, per
/// programme, whether the ledger holds months it subsidised for them.
struct Earlier<'a> {
    pid: &'a str,
    used: std::cell::OnceCell<Vec<bool>>,
}

/// Whether a school's graduates can be 高校毕业生 under the pipeline: a university's, and a
/// technician school's where it counts them (`derive::GRADUATE_TECHNICIAN`, on at any date —
/// the graduate judgement itself reads it on its day).
fn counts_as_graduate(ctx: &Ctx, education: crate::ingest::records::Education) -> bool {
    use crate::ingest::records::Education;
    match education {
        Education::University => true,
        Education::Technician => ctx
            .params
            .get(crate::registers::derive::GRADUATE_TECHNICIAN)
            .is_some_and(|p| p.values.iter().any(|v| !v.value.is_zero())),
        Education::Other => false,
    }
}
