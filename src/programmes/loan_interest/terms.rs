//! A loan's subsidy terms (`Terms`): who the borrower is under the city's text, the share, the
//! principal and rate caps and the subsidised years, as in force on the loan's start date — or
//! why it gets nothing (`Miss`).

use super::listed_entry;
use crate::domain::{add_years, years_end, Date};
use crate::ingest::records::{hardship_category, Borrower, EmploymentRow, LoanRow, Lookup, Size};
use crate::pipeline::{ParamError, ParamRef};
use crate::programmes::loans;
use crate::programmes::Ctx;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

/// The subsidy terms of one loan.
pub(super) struct Terms {
    pub(super) share: ParamRef,
    /// the share is of the interest at the benchmark rate (not the contract rate)
    pub(super) at_benchmark: bool,
    /// contract rate cap (benchmark + markup), when the pipeline has one for this loan
    pub(super) rate_cap: Option<Decimal>,
    pub(super) principal_cap: Decimal,
    pub(super) years: i32,
    /// the benchmark on the loan start, where the terms use it (a rate cap, or interest at
    /// the benchmark rate)
    pub(super) benchmark: Option<ParamRef>,
    pub(super) params: Vec<ParamRef>,
    pub(super) why: String,
    /// the principal cap bit: an info row for the analyst (Jiangyin's listed projects)
    pub(super) capped_note: Option<String>,
    /// the larger cap not met, where the borrower's earlier loans reach past the smaller one
    /// with this loan (said with the shared cap's row)
    pub(super) listed_unmet: Option<String>,
    /// input rows the terms rest on, for the lines' sources (a job creator's counted hires)
    pub(super) evidence: Option<String>,
    /// a job creator's caps (Jiangyin （九）): 每人不超过10万元 on the hires of the loan's own year —
    /// shared only with the borrower's loans of that year, which those hires back too — and the
    /// borrower's 最高不超过300万元, shared with all its loans
    pub(super) per_hire: Option<(Decimal, Decimal)>,
}

/// Why a loan gets nothing: not eligible (info) or a published standard unset (hold).
pub(super) enum Miss {
    NotEligible(String),
    /// and the years the terms would subsidise, where known (an instalment after them needs
    /// no standard: a cold review found Jinan stopped for a loan wholly past its 2 years)
    Unset(String, Option<i32>),
    NoRule(String),
    /// a pipeline defect (a parameter not declared, …): stops the run
    Param(ParamError),
}

impl From<ParamError> for Miss {
    fn from(e: ParamError) -> Self {
        match e {
            ParamError::Unset { .. } => Miss::Unset(e.to_string(), None),
            e => Miss::Param(e),
        }
    }
}

/// A parameter the pipeline may not declare: `None` when absent, an error when declared
/// without a value (a published standard still to be set).
fn opt(ctx: &Ctx, name: &str, on: Date) -> Result<Option<ParamRef>, ParamError> {
    if ctx.params.get(name).is_none() {
        return Ok(None);
    }
    ctx.params.at_or_first(name, on).map(Some)
}

/// The person whose 创业担保贷款 an enterprise loan is under `loan_interest.founders_enterprises`
/// (a founder's group, not `sme_job_creator`): the enterprise's founder (employers.csv
/// `founder_id`) when the registers hold them. Such a loan is judged on the founder's register
/// facts (the group's graduate window, 高校 education, local hukou) and shares the founder's
/// principal cap with their own loans (Jiangyin “额度最高不超过30万元” per 创业者; until
/// 2026-12-02 judged on the group as recorded and capped apart: a review).
pub(super) fn enterprise_founder(ctx: &Ctx, h: &crate::ingest::LoanHead) -> Option<u32> {
    let Borrower::Employer(e) = h.borrower else {
        return None;
    };
    if h.borrower_group == "sme_job_creator" {
        return None;
    }
    let on = opt(ctx, "loan_interest.founders_enterprises", h.start_date).ok()??;
    if on.value.is_zero() {
        return None;
    }
    let reg = &ctx.inputs.registers;
    let id = reg.employer(e).founder_id?;
    crate::ingest::records::Lookup::person(reg, &id)
}

fn flag(p: &Option<ParamRef>) -> bool {
    p.as_ref().is_some_and(|p| !p.value.is_zero())
}

/// What the registers say about hires and staff, read only by the Jiangyin rules.
pub(super) struct Staff<'a> {
    by_employer: FxHashMap<u32, Vec<&'a EmploymentRow>>,
    founded_by: FxHashMap<u32, Vec<u32>>,
}

impl<'a> Staff<'a> {
    pub(super) fn new(ctx: &'a Ctx) -> Self {
        let reg = &ctx.inputs.registers;
        let wanted = ctx
            .params
            .get("loan_interest.sme_max_principal_per_hire")
            .is_some()
            || ctx
                .params
                .get("loan_interest.max_principal_listed")
                .is_some();
        let mut by_employer: FxHashMap<u32, Vec<&EmploymentRow>> = FxHashMap::default();
        let mut founded_by: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        if wanted {
            for e in &reg.employment {
                by_employer.entry(e.employer).or_default().push(e);
            }
            for (i, e) in reg.employers.iter().enumerate() {
                if let Some(f) = e.founder_id.and_then(|f| Lookup::person(reg, &f)) {
                    founded_by.entry(f).or_default().push(i as u32);
                }
            }
        }
        Staff {
            by_employer,
            founded_by,
        }
    }

    /// The most people one 创业项目 of the person employs (“雇用6人以上的创业项目”) under a
    /// contract running on `on`: each enterprise the person founded — and `borrower`, an
    /// enterprise whose loan this is — counted on its own, the founder's own contract with it
    /// left out: a founder does not 雇用 themself (their SI there is 自主创业,
    /// `FOUNDER_OWN_ENTERPRISE`, docs/POLICY.md “Founders”; until 2026-12-02 it counted, and 5
    /// staff and the founder earned the 50万 cap, a cold review). Until 2026-12-07 the staff of
    /// all the founder's enterprises were summed: two start-ups of 3 earned the 50万 cap that
    /// neither project does (a contract-only review).
    fn largest_project(&self, founder: Option<u32>, borrower: Option<u32>, on: Date) -> usize {
        let founded = founder
            .and_then(|f| self.founded_by.get(&f))
            .map_or(&[][..], Vec::as_slice);
        founded
            .iter()
            .copied()
            .chain(borrower)
            .map(|e| {
                let mut people: Vec<u32> = self
                    .by_employer
                    .get(&e)
                    .into_iter()
                    .flatten()
                    .filter(|c| c.in_force_between(on, on))
                    .map(|c| c.person)
                    .filter(|&p| Some(p) != founder)
                    .collect();
                people.sort_unstable();
                people.dedup();
                people.len()
            })
            .max()
            .unwrap_or(0)
    }
}

/// Jiangyin （九）: eligible people the enterprise newly hired (当年新招用) in the loan's year, up
/// to its start, and still employs on it (根据其实际吸纳人数), under a contract of at least
/// `min_years`: graduates within `window` years of
/// graduation, or local-hukou registered unemployed, veterans or farmers (the registers record
/// 被征地农民, `land_expropriated`; other farmers are not recorded and not counted). A contract that continues employment with
/// the enterprise — starting no later than the day after an earlier contract's last day — is a
/// renewal, not a new hire (`EmploymentRow::hired_on`). The enterprise's founder is no hire of
/// it (新招用; `FOUNDER_OWN_ENTERPRISE` in the hire programmes: until 2026-12-02 a graduate
/// founder's own contract counted for another 100000 of subsidised principal, a cold review).
fn eligible_hires(
    ctx: &Ctx,
    staff: &Staff,
    employer: u32,
    start: Date,
    min_years: i32,
    window: i32,
) -> (u32, Vec<u32>) {
    use chrono::Datelike;
    let reg = &ctx.inputs.registers;
    let year_start = Date::from_ymd_opt(start.year(), 1, 1).unwrap_or(start);
    let contracts = staff
        .by_employer
        .get(&employer)
        .map_or(&[][..], Vec::as_slice);
    let founder = reg
        .employer(employer)
        .founder_id
        .and_then(|f| Lookup::person(reg, &f));
    let mut people: Vec<(u32, u32)> = contracts
        .iter()
        .filter(|c| Some(c.person) != founder)
        .filter(|c| c.contract_start >= year_start && c.contract_start <= start)
        // 实际吸纳: still employed on the loan's start (a hire who left before it backs no
        // part of the loan; until 2026-12-02 counted, a cold review)
        .filter(|c| c.last_day().is_none_or(|l| l >= start))
        // (a renewal of employment that began in an earlier year is no new hire; one of a hire
        // made this year — a three-month contract renewed for a year, say — is)
        .filter(|c| {
            let needed = add_years(c.contract_start, min_years)
                .pred_opt()
                .unwrap_or(c.contract_start);
            c.contract_end.is_none_or(|e| e >= needed)
        })
        .filter(|c| c.hired_on >= year_start)
        // the person as hired: a graduate within the window, registered unemployed, on the
        // hire's first day (not the renewal's)
        .filter(|c| {
            let (p, hired) = (reg.person(c.person), c.hired_on);
            let graduate = p
                .graduation_date
                .is_some_and(|g| g <= hired && hired <= years_end(g, window))
                && p.education == crate::ingest::records::Education::University;
            // (农民: the registers record one kind, 被征地农民 `land_expropriated` — until
            // 2026-12-07 not counted, a contract-only review)
            let local = p.hukou_local
                && (p.registered_unemployed_on.is_some_and(|u| u <= hired)
                    || p.categories
                        & (hardship_category::VETERAN | hardship_category::LAND_EXPROPRIATED)
                        != 0);
            graduate || local
        })
        .map(|c| (c.person, c.line))
        .collect();
    // each person once, by their first contract row (the lines cited on the loan's lines)
    people.sort_unstable();
    people.dedup_by_key(|(p, _)| *p);
    let mut lines: Vec<u32> = people.iter().map(|(_, l)| *l).collect();
    lines.sort_unstable();
    (people.len() as u32, lines)
}

/// Why enterprise borrower `e` is no 小微企业 on its register facts, if it is not: an
/// enterprise (企业) — a public body, a social organisation or an individual business (个体工商户,
/// which the texts name beside 小微企业) is none, whatever its size (a cold review found a micro
/// public body's loan priced as an enterprise's, and the run stopped for its unset share) —,
/// micro or small.
fn not_small_micro(reg: &crate::registers::Registers, e: u32, group: &str) -> Option<String> {
    let emp = reg.employer(e);
    if emp.kind != crate::ingest::records::EmployerKind::Enterprise {
        return Some(format!(
            "borrower {} is {} (employers.csv kind), not an enterprise (企业): the small/micro-enterprise loan is for 小微企业{}",
            emp.id,
            emp.kind.described(),
            if group != "sme_job_creator" {
                "; a loan of its founder's group is the founder's own only where the pipeline says so (loan_interest.founders_enterprises)"
            } else {
                ""
            }
        ));
    }
    if !matches!(emp.size, Size::Micro | Size::Small) {
        return Some(format!(
            "enterprise borrower {} is not a small or micro enterprise",
            emp.id
        ));
    }
    None
}

/// Why the borrower of loan `r` is outside the loan rules on its register facts, if it is: an
/// enterprise borrower whose loan is not its founder's (`loan_interest.founders_enterprises`)
/// and that is no 小微企业 — the loan's interest is `LOAN_NOT_ELIGIBLE`, and a default's
/// compensation is withheld for review (`LOAN_DEFAULT_REVIEW`: such a row in the guaranteed-loan
/// book fits neither the individual loans nor the small/micro enterprises' — a cold review found
/// 400000.00 released on it).
pub fn borrower_outside(ctx: &Ctx, r: &LoanRow) -> Result<Option<String>, ParamError> {
    let Borrower::Employer(e) = r.borrower else {
        return Ok(None);
    };
    if r.borrower_group != "sme_job_creator"
        && opt(ctx, "loan_interest.founders_enterprises", r.start_date)?
            .is_some_and(|f| !f.value.is_zero())
    {
        return Ok(None);
    }
    Ok(not_small_micro(&ctx.inputs.registers, e, r.borrower_group))
}

/// `owed`: what the borrower's loans started before this one still owed on its start (they
/// share the borrower's principal cap, `SharedCaps`).
pub(super) fn terms(ctx: &Ctx, staff: &Staff, r: &LoanRow, owed: Decimal) -> Result<Terms, Miss> {
    let on = r.start_date;
    let reg = &ctx.inputs.registers;
    // the benchmark on the loan start, where the terms use it (`wanted`), cited first in
    // `params` with the switch that chose the LPR: fetched only then — a loan whose terms need
    // no benchmark is not held for want of one
    let benchmark = |wanted: bool, params: &mut Vec<ParamRef>| -> Result<_, Miss> {
        if !wanted {
            return Ok(None);
        }
        match loans::benchmark(ctx.params, on) {
            Ok((b, switch)) => {
                params.insert(0, b.clone());
                params.extend(switch);
                Ok(Some(b))
            }
            Err(ParamError::NotInForce { name, .. }) => Err(Miss::NoRule(format!(
                "no benchmark rate ({name}) in force on the loan start {on}"
            ))),
            Err(e) => Err(Miss::from(e)),
        }
    };
    let mut params = Vec::new();
    let basis = |x: &ParamRef| x.clone();
    // an enterprise founded by one of the groups (Suzhou （十六）: 创办个体工商户、企业): its
    // 创业担保贷款 is subsidised as the group's own loan; an enterprise absorbing employment
    // (`sme_job_creator`) has the enterprise loan of `sme_share`
    let founders = match r.borrower {
        Borrower::Employer(_) if r.borrower_group != "sme_job_creator" => {
            opt(ctx, "loan_interest.founders_enterprises", on)?.filter(|f| !f.value.is_zero())
        }
        _ => None,
    };
    match r.borrower {
        Borrower::Employer(e) if founders.is_none() => {
            let emp = reg.employer(e);
            if let Some(why) = not_small_micro(reg, e, r.borrower_group) {
                return Err(Miss::NotEligible(why));
            }
            // (recorded at approval as no supported group, `other`, where the pipeline gives
            // other borrowers nothing — Jinan's “符合条件的小微企业”: a contract-only review found
            // such an enterprise loan paid beside the individual `other` loans refused)
            if r.borrower_group == "other" && opt(ctx, "loan_interest.share_others", on)?.is_none()
            {
                return Err(Miss::NotEligible(format!(
                    "enterprise borrower {} recorded as group other (no supported group at approval): this pipeline subsidises other borrowers' loans not at all",
                    emp.id
                )));
            }
            // every standard of the enterprise terms still to be set, named at once (a run
            // stopped for one, then for the next: a review)
            let unset: Vec<String> = [
                "loan_interest.sme_share",
                "loan_interest.sme_max_principal",
                "loan_interest.sme_years",
                "loan_interest.sme_at_benchmark",
            ]
            .into_iter()
            .filter_map(|n| match opt(ctx, n, on) {
                Err(e @ ParamError::Unset { .. }) => Some(e.to_string()),
                _ => None,
            })
            .collect();
            let sme_years = || {
                ctx.params
                    .int_at_or_first("loan_interest.sme_years", on)
                    .ok()
                    .map(|(y, _)| y)
            };
            if unset.len() > 1 {
                return Err(Miss::Unset(unset.join("; "), sme_years()));
            }
            let share = match opt(ctx, "loan_interest.sme_share", on) {
                Err(e @ ParamError::Unset { .. }) => {
                    return Err(Miss::Unset(e.to_string(), sme_years()))
                }
                r => r?,
            };
            let Some(share) = share else {
                return Err(Miss::NotEligible(
                    "enterprise borrower: this pipeline's text subsidises no enterprise loans"
                        .into(),
                ));
            };
            let cap = ctx
                .params
                .at_or_first("loan_interest.sme_max_principal", on)?;
            let (years, y) = ctx.params.int_at_or_first("loan_interest.sme_years", on)?;
            let at_b = opt(ctx, "loan_interest.sme_at_benchmark", on)?;
            let mut principal_cap = cap.value;
            let mut job_caps = None;
            let mut evidence = None;
            let mut why = format!(
                "small/micro enterprise loan: {} of the interest{}, principal ≤ {}, {years} years",
                loans::pct(share.value),
                if flag(&at_b) {
                    " at the benchmark rate"
                } else {
                    ""
                },
                cap.value
            );
            if let Some(per) = opt(ctx, "loan_interest.sme_max_principal_per_hire", on)? {
                let (min_years, m) = ctx
                    .params
                    .int_at_or_first("loan_interest.sme_min_contract_years", on)?;
                let (window, w) = ctx
                    .params
                    .int_at_or_first("loan_interest.graduate_window_years", on)?;
                let (hires, lines) = eligible_hires(ctx, staff, e, on, min_years, window);
                // (the hires that set the cap, cited on the loan's lines: a cold audit)
                evidence = Some(format!(
                    "employment.csv:{}",
                    lines
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                ));
                let per_hire = per.value * Decimal::from(hires);
                if hires == 0 {
                    return Err(Miss::NotEligible(format!(
                        "enterprise borrower {} newly hired no eligible person (graduate within {window} years, local registered unemployed, veteran or farmer (被征地农民); contract ≥ {min_years} year) in {} up to the loan start {on}",
                        emp.id,
                        chrono::Datelike::year(&on)
                    )));
                }
                job_caps = Some((per_hire, principal_cap));
                principal_cap = principal_cap.min(per_hire);
                why.push_str(&format!(
                    "; {hires} eligible new hire(s) × {} = {per_hire}",
                    per.value
                ));
                params.extend([per, m, w]);
            }
            // (the loan alone above its cap: said as for an individual's — a cold review
            // found a job creator's 50万 subsidised on its hires' 20万 without a row)
            let capped_note = (r.principal.decimal() > principal_cap).then(|| match job_caps {
                Some((per_hire, overall)) => format!(
                    "principal {} above its cap: subsidised on {principal_cap}, the lower of its hires' cap ({per_hire}) and the cap of all its loans ({overall})",
                    r.principal
                ),
                None => format!(
                    "principal {} above the cap {principal_cap}: subsidised on {principal_cap}",
                    r.principal
                ),
            });
            params.extend([basis(&share), cap, y]);
            if let Some(a) = &at_b {
                params.push(a.clone());
            }
            let benchmark = benchmark(flag(&at_b), &mut params)?;
            Ok(Terms {
                share,
                at_benchmark: flag(&at_b),
                rate_cap: None,
                principal_cap,
                years,
                benchmark,
                params,
                why,
                capped_note,
                listed_unmet: None,
                evidence,
                per_hire: job_caps,
            })
        }
        borrower => {
            // the person judged: the borrower, or the founder of a founder's enterprise (an
            // enterprise without one in the registers is judged on its group as recorded at
            // approval)
            let enterprise = matches!(borrower, Borrower::Employer(_));
            let founder = match borrower {
                Borrower::Person(i) => Some(i),
                Borrower::Employer(_) => enterprise_founder(ctx, r),
            };
            let person = founder.map(|i| reg.person(i));
            if enterprise {
                params.extend(founders.clone());
            }
            let group = r.borrower_group;
            // who is a target borrower (政策规定对象)
            // (a pipeline with a graduate window — Jiangyin — also judges students by the register)
            let window = if matches!(group, "graduate" | "student") {
                opt(ctx, "loan_interest.graduate_window_years", on)?
            } else {
                None
            };
            // Jiangyin's 本市户籍 governs the list it heads, “本市户籍的失业人员、…、网络商户”; the
            // comma then closes it: “，建档立卡贫困人口等群体” (a national register) is not under it
            let local_rule = if matches!(
                group,
                "graduate" | "student" | "poverty_registered" | "other" | "sme_job_creator"
            ) {
                None
            } else {
                opt(ctx, "loan_interest.target_local_hukou", on)?
            };
            let (target, reason) = match group {
                "other" | "sme_job_creator" => (false, format!("group {group}")),
                // Jiangyin “大学生（高校在校生、…、毕业5年内高校毕业生）”: a graduate of a 高校 (the
                // register's `university`), as for the job creators' hires
                // (a technician-school student is no 高校在校生 either, nor a student whose
                // recorded graduation is not from a 高校 — the education the register gives
                // that graduation: a `student` and a `graduate` with the same facts are judged
                // alike; a differential review found the label decide 100 % or 50 %)
                "graduate" | "student"
                    if window.is_some()
                        && person.is_some_and(|person| {
                            person.education == crate::ingest::records::Education::Technician
                                || ((group == "graduate" || person.graduation_date.is_some())
                                    && person.education
                                        != crate::ingest::records::Education::University)
                        }) =>
                {
                    (
                        false,
                        format!(
                            "group {group}, but the register's education is not university (高校)"
                        ),
                    )
                }
                // a `student` the register shows graduated before the loan start was not a
                // student then (在校生): judged as the graduate the register shows
                "student"
                    if window.is_some()
                        && person
                            .and_then(|p| p.graduation_date)
                            .is_some_and(|g| g <= on) =>
                {
                    let n = window
                        .as_ref()
                        .map_or(Ok(0), crate::pipeline::params::whole)?;
                    let g = person.and_then(|p| p.graduation_date).unwrap_or(on);
                    if person.is_some_and(|p| {
                        p.education == crate::ingest::records::Education::University
                    }) && on <= years_end(g, n)
                    {
                        (
                            true,
                            format!("group student, a 高校 graduate of {g} within {n} years of the loan start"),
                        )
                    } else {
                        (
                            false,
                            format!("group student, but the register shows graduation on {g} (before the loan start), not a 高校 graduate within {n} years"),
                        )
                    }
                }
                "graduate" if window.is_some() && person.is_some() => {
                    let n = window
                        .as_ref()
                        .map_or(Ok(0), crate::pipeline::params::whole)?;
                    match person.and_then(|p| p.graduation_date) {
                        // (“5年内” includes the anniversary, as the graduate window does)
                        Some(g) if g <= on && on <= years_end(g, n) => {
                            (true, format!("graduate of {g}, within {n} years"))
                        }
                        // graduating after the loan start: a student at the start (在校生)
                        Some(g) if g > on => {
                            (true, format!("student at the start (graduates {g})"))
                        }
                        Some(g) => (
                            false,
                            format!("graduate of {g}, not within {n} years of the loan start"),
                        ),
                        None => (false, "graduate without a graduation_date".into()),
                    }
                }
                "graduate" | "student" => (true, format!("group {group}")),
                _ if flag(&local_rule) && founder.is_some() => match founder
                    .map(|i| ctx.local_standing(i, on))
                    .transpose()?
                    .flatten()
                {
                    // (with why （十三） does not make the borrower local, where the pipeline
                    // has it, as a hire's row says: a cold review)
                    None => (
                        false,
                        match founder.and_then(|i| ctx.local_gap(i, on)) {
                            Some(gap) => format!("group {group} without local hukou; {gap}"),
                            None => format!("group {group} without local hukou"),
                        },
                    ),
                    Some(st) if !person.is_some_and(|p| p.hukou_local) => {
                        params.extend(st.params);
                        (true, format!("group {group}, {}", st.why))
                    }
                    Some(_) => (true, format!("group {group}")),
                },
                _ => (true, format!("group {group}")),
            };
            let reason = match borrower {
                Borrower::Employer(e) => format!(
                    "enterprise {} founded under {reason}{} (创办企业: the group's own loan)",
                    reg.employer(e).id,
                    match person {
                        Some(p) => format!(", founder {}", p.id),
                        None => String::new(),
                    }
                ),
                _ => reason,
            };
            if let Some(w) = window.filter(|_| {
                person.is_some()
                    && (group == "graduate"
                        || person
                            .and_then(|p| p.graduation_date)
                            .is_some_and(|g| g <= on))
            }) {
                params.push(w);
            }
            if let Some(l) = local_rule {
                params.push(l);
            }
            let (share, at_benchmark) = if target {
                let s = ctx
                    .params
                    .at_or_first("loan_interest.share_target_groups", on)?;
                (s, false)
            } else {
                let Some(s) = opt(ctx, "loan_interest.share_others", on)? else {
                    return Err(Miss::NotEligible(format!(
                        "{reason}: not a target borrower, and this pipeline's text subsidises no other borrowers"
                    )));
                };
                let at_b = opt(ctx, "loan_interest.others_at_benchmark", on)?;
                let b = flag(&at_b);
                if let Some(a) = at_b {
                    params.push(a);
                }
                (s, b)
            };
            let cap = ctx.params.at_or_first("loan_interest.max_principal", on)?;
            let mut principal_cap = cap.value;
            let mut capped_note = None;
            let mut listed_unmet = None;
            // (the headcount that earned the larger cap, on the line: until 2026-12-02 it said
            // only the cap, and an analyst had nothing to check it against — a cold review)
            let mut listed_met = None;
            // (the larger cap is the borrower's, whichever loan reaches past the smaller one:
            // a second loan of a project employing 6+ shares 50万 with the first — until
            // 2026-12-03 it was judged only for a loan above 30万 by itself, a cold review)
            if r.principal.decimal() + owed > cap.value {
                if let Some(listed) = opt(ctx, "loan_interest.max_principal_listed", on)? {
                    let (min_staff, m) = ctx
                        .params
                        .int_at_or_first("loan_interest.listed_min_employees", on)?;
                    let own = match borrower {
                        Borrower::Employer(e) => Some(e),
                        Borrower::Person(_) => None,
                    };
                    let staff_n = staff.largest_project(founder, own, on);
                    // (a listed award-winning project is the bureau's finding, “经综合评估后”:
                    // its entry for the borrower, or for the founder whose loan this is — until
                    // 2026-12-04 there was none, and such a loan was paid on the smaller cap for
                    // good: a cold review)
                    let borrower_id = match borrower {
                        Borrower::Person(i) => reg.person(i).id.to_string(),
                        Borrower::Employer(e) => reg.employer(e).id.to_string(),
                    };
                    let mut entered = None;
                    for id in std::iter::once(borrower_id)
                        .chain(founder.map(|i| reg.person(i).id.to_string()))
                    {
                        let name = listed_entry(&id);
                        // (the finding from its date: a loan begun before it is not listed —
                        // a grader found a finding of 2020-03 giving a 2019-06 loan the 50万)
                        if let Some(p) = ctx.params.switch_from(&name, on)? {
                            entered = Some((name, p));
                            break;
                        }
                    }
                    if let Some((name, p)) = entered {
                        principal_cap = listed.value;
                        listed_met =
                            Some(format!(" (a listed project: the bureau's entry {name})"));
                        params.push(p);
                    } else if staff_n >= min_staff.max(0) as usize {
                        principal_cap = listed.value;
                        listed_met = Some(format!(
                            " (a project employing {min_staff}+: a project of the borrower employs {staff_n} on {on}, the founder not counted)"
                        ));
                    } else {
                        let confirm = format!(
                            "the {} cap applies to listed award-winning projects (the bureau's finding, entered in its pipeline as loan_interest.listed.<borrower ID>: none for this borrower) or projects employing {min_staff}+ (the borrower's largest project employs {staff_n} on {on}): confirm",
                            listed.value
                        );
                        if r.principal.decimal() > cap.value {
                            capped_note = Some(format!(
                                "principal {} above the cap {}: subsidised on {}; {confirm}",
                                r.principal, cap.value, cap.value
                            ));
                        } else {
                            // (said with the shared cap's own row)
                            listed_unmet = Some(confirm);
                        }
                    }
                    params.extend([listed, m]);
                }
            }
            // (a loan alone above the cap in any city — Suzhou's 50万, Jinan's 10万 — said as
            // Jiangyin's is: until 2026-12-04 only a loan past Jiangyin's listed-project cap had
            // the row, a cold review)
            if capped_note.is_none() && r.principal.decimal() > principal_cap {
                capped_note = Some(format!(
                    "principal {} above the cap {principal_cap}: subsidised on {principal_cap}",
                    r.principal
                ));
            }
            // (a share of the benchmark-rate interest does not read the contract rate, so
            // neither its cap: not looked up, not cited — an auditor's trace found the markup in
            // the parameters of Suzhou's other borrowers' lines, gBZ F2)
            let markup = if at_benchmark {
                None
            } else {
                opt(ctx, "loan_interest.max_rate_markup", on)?
            };
            let benchmark = benchmark(markup.is_some() || at_benchmark, &mut params)?;
            let rate_cap = markup
                .as_ref()
                .zip(benchmark.as_ref())
                .map(|(m, b)| b.value + m.value);
            let (years, y) = ctx
                .params
                .int_at_or_first("loan_interest.subsidy_years", on)?;
            let why = format!(
                "{reason}{}: {} of the interest{}, principal ≤ {principal_cap}{}{}, {years} years from {on}",
                if target { " (target borrower)" } else { "" },
                loans::pct(share.value),
                if at_benchmark {
                    " at the benchmark rate"
                } else {
                    ""
                },
                listed_met.unwrap_or_default(),
                rate_cap
                    .map(|c| format!(", rate ≤ {}", loans::pct(c)))
                    .unwrap_or_default()
            );
            params.extend([share.clone(), cap, y]);
            if let Some(m) = markup {
                params.push(m);
            }
            Ok(Terms {
                share,
                at_benchmark,
                rate_cap,
                principal_cap,
                years,
                benchmark,
                params,
                why,
                capped_note,
                listed_unmet,
                // (a founder's enterprise loan is judged on the founder's register row: cited —
                // a regression review found only the enterprise's row cited, gC0 F2)
                evidence: founder
                    .filter(|_| enterprise)
                    .map(|i| format!("persons.csv:{}", reg.person(i).line)),
                per_hire: None,
            })
        }
    }
}
