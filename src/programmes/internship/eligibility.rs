//! Who is an intern of the programme (`eligible`): the city's groups, judged at the
//! placement's start (ages from the resident ID), with the parameters that say so.

use super::*;

/// Whether the intern belongs to a target group at the placement start (苏府〔2017〕158号 （九）:
/// 离校未就业高校毕业生, 本市户籍16-25岁登记失业青年, 离校未就业技工院校高级工以上毕业生; 澄政发〔2019〕18号
/// （十） adds local unemployed aged 16–24 from 2019-01-01). The youth group exists only while
/// `internship.youth_max_age` is in force: a youth whose placement began before the group's
/// first date and runs past it is an intern from that date — `Some(date)` in the answer: the
/// months before it are not subsidised (“从2019年1月1日起，将就业见习补贴范围……扩展至……失业青年”
/// widens whom the subsidy pays from that day; a cold review found a youth placed in December
/// 2018 paid nothing for 2019).
pub(super) type Eligibility = (String, Vec<ParamRef>, Option<Date>);

pub(super) fn eligible(
    ctx: &Ctx,
    p: &InternshipRow,
) -> Result<Result<Eligibility, String>, ParamError> {
    eligible_from(ctx, p, false)
}

/// `eligible`, and with `any_date` a youth whose placement ends before the group's first date
/// is eligible from it too (`Some(date)` after the placement: none of its months is paid) —
/// whether an earlier placement of the person, unpaid for the date alone, keeps a hand-over
/// month before it (the month loop's `earlier_has_it`).
pub(super) fn eligible_from(
    ctx: &Ctx,
    p: &InternshipRow,
    any_date: bool,
) -> Result<Result<Eligibility, String>, ParamError> {
    // a row renewing an earlier one back to back at the host is the same internship: eligible
    // as judged at the internship's first day (how a roster splits one internship must not
    // refuse who the one row pays — a grader: a renewal row refused for a job during the first
    // row, or a youth's 26th birthday) or at its own (it must not refuse a renewal the first
    // row's facts could not pay either — a code review: a student's row renewed after
    // graduation, a youth registered during the first row); refused, the reason as of its own
    // first day
    let first = chain_start(ctx, p);
    if first != p.start_date {
        if let ok @ Ok(_) = eligible_at(ctx, p, any_date, first)? {
            return Ok(ok);
        }
    }
    eligible_at(ctx, p, any_date, p.start_date)
}

/// `eligible_from` judged on day `start` (the placement's own first day, or its internship's).
pub(super) fn eligible_at(
    ctx: &Ctx,
    p: &InternshipRow,
    any_date: bool,
    start: Date,
) -> Result<Result<Eligibility, String>, ParamError> {
    let reg = &ctx.inputs.registers;
    let person = reg.person(p.person);
    // (employed on the row's own first day is still employed: a row at the host from the day
    // it takes the intern on as its employee is no internship — a regression test)
    let own = p.start_date;
    let employed = reg
        .employment_of(p.person)
        .any(|e| e.in_force_between(start, start) || e.in_force_between(own, own));
    // 离校未就业: not employed since leaving school — a labour contract covering a day after the
    // graduation day and before the start ended it (the person is then 失业, one of the
    // unemployed youth if registered and young enough, not a graduate still looking for a first
    // job; since 2026-12-07 — a grader found a graduate placed after three years' work paid)
    let worked_since = |g: Date| {
        g.succ_opt().and_then(|after| {
            reg.employment_of(p.person)
                .filter(|e| e.in_force_between(after, start))
                .min_by_key(|e| (e.contract_start, e.line))
        })
    };
    if let Some(g) = person.graduation_date.filter(|g| *g <= start) {
        if !employed && worked_since(g).is_none() {
            match person.education {
                Education::University => {
                    return Ok(Ok((
                        format!("university graduate of {g}, not employed at the start {start}"),
                        vec![],
                        None,
                    )))
                }
                Education::Technician if flag(ctx, "internship.technician_graduates", start) => {
                    // (the flag that admits the group is listed on the line: a cold audit)
                    let admits = ctx
                        .params
                        .at_or_first("internship.technician_graduates", start)?;
                    return Ok(Ok((
                        format!(
                            "technician-school graduate of {g}, not employed at the start {start}"
                        ),
                        vec![admits],
                        None,
                    )));
                }
                Education::Technician | Education::Other => {}
            }
        }
    }
    // the registration counts only when no labour contract covers the start (INPUTS.md: the
    // registration “in force before the person's current job”)
    // a student (graduation after the start) is in school, not unemployed (失业): neither a
    // 离校未就业 graduate nor an unemployed youth
    let in_school = person.graduation_date.filter(|g| *g > start);
    let registered = !employed
        && in_school.is_none()
        && (person.registered_unemployed_on.is_some_and(|d| d <= start)
            || !flag(ctx, "internship.youth_registered", start));
    let local = if registered {
        ctx.local_standing(p.person, start)?
    } else {
        None
    };
    // the youth group in force at the start, or from its first date within the placement
    let youth_on = match ctx.params.first_from("internship.youth_max_age") {
        Some(d) if d > start && (any_date || d <= placement_end(p)) => d,
        _ => start,
    };
    if let Some(local) = local {
        match (
            ctx.params.at("internship.youth_min_age", youth_on),
            ctx.params.at("internship.youth_max_age", youth_on),
        ) {
            (Ok(lo), Ok(hi)) => {
                let age = age_on(person.id.birth_date(), start);
                let (l, h) = (
                    crate::pipeline::params::whole(&lo)?,
                    crate::pipeline::params::whole(&hi)?,
                );
                // (Jiangyin's youth need no registration: “unemployed”, not “registered”)
                let group = if flag(ctx, "internship.youth_registered", start) {
                    "local registered unemployed"
                } else {
                    "local unemployed"
                };
                if (l..=h).contains(&age) {
                    let how = if person.hukou_local {
                        String::new()
                    } else {
                        format!(" ({})", local.why)
                    };
                    let mut used = vec![lo, hi];
                    // (whether the group needs a registration: Jiangyin's “失业青年” does not)
                    if let Ok(r) = ctx.params.at_or_first("internship.youth_registered", start) {
                        used.push(r);
                    }
                    used.extend(local.params);
                    let from = (youth_on > start).then_some(youth_on);
                    let since = from
                        .map(|d| format!("; the group is subsidised from {d}"))
                        .unwrap_or_default();
                    return Ok(Ok((
                        format!(
                            "{group} aged {age} (within {l}–{h}) at the start {start}{how}{since}"
                        ),
                        used,
                        from,
                    )));
                }
                return Ok(Err(format!(
                    "{group} aged {age} at the start {start}, outside {l}–{h}"
                )));
            }
            // no youth group in this text (not declared) or not on that date
            (Err(ParamError::NotInForce { .. } | ParamError::Missing(_)), _)
            | (_, Err(ParamError::NotInForce { .. } | ParamError::Missing(_))) => {}
            (Err(e), _) | (_, Err(e)) => return Err(e),
        }
    }
    // not eligible: say which condition of each group failed (the analyst checks that one)
    let contract = reg
        .employment_of(p.person)
        .find(|e| e.in_force_between(start, start) || e.in_force_between(own, own))
        .map(|e| {
            format!(
                "a labour contract with {} covers the start (employment.csv:{})",
                reg.employer(e.employer).id,
                e.line
            )
        });
    let as_graduate = match (person.graduation_date, &contract) {
        (None, _) => "no graduation date on the person register".to_string(),
        (Some(g), _) if g > start => format!("graduates on {g}, after the start"),
        (Some(_), Some(c)) => c.clone(),
        (Some(g), None) if worked_since(g).is_some() => {
            let e = worked_since(g).map(|e| {
                format!(
                    "employed since graduating on {g} — a labour contract with {} from {} (employment.csv:{}) — so not 离校未就业",
                    reg.employer(e.employer).id,
                    e.contract_start,
                    e.line
                )
            });
            e.unwrap_or_default()
        }
        (Some(g), None) => match person.education {
            Education::Technician => format!(
                "a technician-school graduate of {g}, not a group of this pipeline on that date"
            ),
            _ => format!("graduated {g} with education other than university or technician school"),
        },
    };
    let youth_ages = match (
        ctx.params.at("internship.youth_min_age", start),
        ctx.params.at("internship.youth_max_age", start),
    ) {
        (Ok(lo), Ok(hi)) => Some((
            crate::pipeline::params::whole(&lo)?,
            crate::pipeline::params::whole(&hi)?,
        )),
        _ => None,
    };
    let age = age_on(person.id.birth_date(), start);
    // (the age first: a person of 52 was told of their labour contract, as if ending it would
    // make them a youth — an audit)
    let as_youth = if let Some((l, h)) = youth_ages.filter(|(l, h)| !(*l..=*h).contains(&age)) {
        format!("aged {age} at the start, outside {l}–{h}")
    } else if youth_ages.is_none() && ctx.params.get("internship.youth_min_age").is_none() {
        // (a text without one: “not in force on …” suggested one would come — a review)
        "the pipeline's text has no youth group".to_string()
    } else if youth_ages.is_none() {
        format!("no youth group in force on {start}")
    } else if let Some(c) = contract {
        c
    } else if let Some(g) = in_school {
        format!("in school until {g} (a student is not unemployed, 失业)")
    } else if !registered {
        format!("not registered unemployed by {start}")
    } else {
        "no local hukou (nor the standing of a local resident)".to_string()
    };
    Ok(Err(format!(
        "not an eligible intern at the start {start}: as a graduate, {as_graduate}; as a youth, {as_youth}"
    )))
}

/// A yes/no parameter (1/0; absent = no) on `on` — its first value for a date before it (as every intern condition
/// is judged: a technician-school graduate placed before the pipeline's first date is an intern
/// as a university graduate is; a cold review found the one paid, the other refused). The
/// youth group's existence is not a flag: it is the age limits in force (Jiangyin adds the
/// group from 2019-01-01, and a youth placed before is not an intern of the programme).
pub(super) fn flag(ctx: &Ctx, name: &str, on: Date) -> bool {
    ctx.params
        .at_or_first(name, on)
        .is_ok_and(|r| !r.value.is_zero())
}

/// Whether the intern was eligible at the placement's start (a parameter error counts as no).
pub(super) fn is_eligible(ctx: &Ctx, q: &InternshipRow) -> bool {
    eligible(ctx, q).is_ok_and(|e| e.is_ok())
}
