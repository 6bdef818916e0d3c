//! A flexible worker's month as `person_months` decides it: where it stands against the
//! programme's limit (`limit_now`), a month paid earlier whose SI is lower now
//! (`lowered_since_paid`), the row of a month short of its insurances (`incomplete_row`), and
//! the line (`line`).

use super::*;

/// Where a month stands against a programme's limit (`limit_now`).
pub(super) struct LimitNow {
    /// the retirement month the month is past, where that is what it is past (a month past
    /// both the months and the retirement month is past the months, the text's own limit)
    pub retired: Option<Month>,
    /// within the limit: the month may be paid
    pub within: bool,
    /// the limit's note: “month 3 of ≤ 36”, “until 2031-05”
    pub note: String,
    /// the limit's parameters, cited by the line
    pub params: Vec<ParamRef>,
}

/// `period` against `limit`, `count` months subsidised before it.
pub(super) fn limit_now(limit: &Limit, count: u32, period: Month) -> LimitNow {
    let retired = match limit {
        Limit::Until(u, _) => (period > *u).then_some(*u),
        Limit::MonthsUntil(max, u, _) => (count < *max && period > *u).then_some(*u),
        _ => None,
    };
    let (within, note, params) = match limit {
        Limit::Months(max, ps)
        | Limit::MonthsUntil(max, _, ps)
        | Limit::MonthsWithin(max, _, _, ps)
            if count >= *max =>
        {
            (false, used_note(count, *max, false), ps.clone())
        }
        Limit::MonthsUntil(_, u, ps) if period > *u => (false, format!("until {u}"), ps.clone()),
        Limit::MonthsWithin(_, u, what, ps) if period > *u => {
            (false, format!("{what} ends with {u}"), ps.clone())
        }
        Limit::Months(max, ps)
        | Limit::MonthsUntil(max, _, ps)
        | Limit::MonthsWithin(max, _, _, ps) => {
            (true, format!("month {} of ≤ {max}", count + 1), ps.clone())
        }
        Limit::Until(u, ps) => (period <= *u, format!("until {u}"), ps.clone()),
        Limit::None => (true, "no duration limit".to_string(), vec![]),
    };
    LimitNow {
        retired,
        within,
        note,
        params,
    }
}

/// A month an earlier run paid under `prog` (`entry`) whose SI this extract shows lowered —
/// refunded or corrected — so that the insurances the programme asks for are no longer paid:
/// a clawback for review (SI_REVERSAL), at the row lowered, not the month's first, as for a
/// hire. An insurance this extract holds no row of stands as the line was paid on it: a
/// window re-sending one corrected row of a paid month — still paid, lowered — takes nothing
/// away (a grader found the standard held for clawback so, where a cumulative extract of the
/// same rows said nothing).
pub(super) fn lowered_since_paid(
    ctx: &Ctx,
    prog: &dyn FlexProgramme,
    m: &SiMonth,
    entry: &crate::ledger::MonthEntry,
    person: &PersonRow,
) -> Option<Exception> {
    let (reversed, _) = super::super::hire::compare(m, &entry.basis);
    let unsent = [Insurance::Pension, Insurance::Medical]
        .into_iter()
        .filter(|&i| m.present & (1 << i as u8) == 0 && entry.basis[i as usize] > 0)
        .fold(0u8, |mask, i| mask | 1 << i as u8);
    if reversed == 0 || enough(ctx, prog, m.period, paid_with_money(m) | unsent) {
        return None;
    }
    let mut x = m
        .cited_at(
            Exception::new(
                Code::SiReversal,
                format!(
                    "{}: flexible SI was subsidised and pension or medical is now refunded or lower by {} in this extract: clawback for review; nothing paid",
                    m.period,
                    Money::from_cents(reversed)
                ),
            ),
            super::super::hire::reversed_row(m, &entry.basis, &ctx.inputs.contributions),
        )
        .programme(prog.code())
        .person(person.id);
    if let Ok(a) = prog.amount(ctx, m.period) {
        x = x.amount(Money::round(a.value));
    }
    Some(x)
}

/// The month's line `line_id` (of month key `month_key`) of programme `code` to the person
/// (`payee`): the fixed `amount` on the
/// flexible SI paid in time — the insurances paid (a programme asking for either may pay a
/// month of one: a review found “pension+medical” said of a pension alone), those an earlier
/// run's extract showed named —, with the limit's `note`, the finding's `why` and `params`.
pub(super) fn line(
    ctx: &Ctx,
    (code, payee): (&'static str, &Payee),
    m: &SiMonth,
    month_key: String,
    line_id: String,
    (amount, note): (Money, &str),
    (why, params): (&str, Vec<ParamRef>),
) -> Payment {
    let mut si_basis = [0i64; 5];
    si_basis[0] = m.paid[0];
    si_basis[1] = m.paid[1];
    Payment {
        reference: String::new(),
        payment_id: line_id,
        month_key,
        si_basis,
        row_fp: 0,
        limit_group: code.to_string(),
        programme: code,
        clause: ctx.clause(code),
        service_month: Some(m.period),
        payee: payee.clone(),
        beneficiary: Party::Person(m.person),
        amount,
        basis: format!(
            "flexible SI {} {} paid ({}{}); fixed amount {} yuan; {note}",
            m.period,
            match m.paid_mask & BOTH {
                1 => "pension",
                2 => "medical insurance",
                _ => "pension+medical",
            },
            Money::from_cents(m.paid[0] + m.paid[1]),
            match m.remembered & 3 {
                0 => "",
                1 => ", the pension as an earlier run's extract showed it",
                2 => ", the medical insurance as an earlier run's extract showed it",
                _ => ", both as an earlier run's extract showed them",
            },
            amount
        ),
        eligibility: why.to_string(),
        params: params.into(),
        sources: vec![m.paid_source()],
    }
}

/// （七）'s one limit with hires (`one_limit_before`), for a month this driver cannot pay.
#[derive(Clone, Copy)]
pub(super) struct OneLimit {
    /// the months the programme subsidised before the month
    pub count: u32,
    /// the hires' months earlier runs subsidised
    pub hires_before: u32,
    /// the largest the one limit can be
    pub one_max: Option<u32>,
}

/// The row of a month `prog` cannot pay for want of the insurances it asks for (said once
/// every programme has been tried: a month another programme pays — a graduate's pension
/// alone — is not also reported incomplete). A month no rule was in force for is that,
/// whatever its insurances: no later run pays it (FLEXIBLE_INCOMPLETE promised one, a
/// review); nor one past a limit this run knows (`lim`; or （七）'s one limit with hires,
/// `one`), said
/// as such (a cold review found month 37 paid late promised to a later run, which refused
/// it) — as the incomplete month's row is, not where another programme pays the month (a
/// regression review found a graduate's month paid beside the hardship programme's limit
/// row).
pub(super) fn incomplete_row(
    ctx: &Ctx,
    prog: &dyn FlexProgramme,
    m: &SiMonth,
    info: &dyn Fn(Code, String) -> Exception,
    lim: &LimitNow,
    one: &OneLimit,
) -> Exception {
    let OneLimit {
        count,
        hires_before,
        one_max,
    } = *one;
    match prog.amount(ctx, m.period) {
        Err(e @ ParamError::NotInForce { .. }) => {
            info(Code::NoRuleInForce, no_amount(prog.code(), m.period, &e))
        }
        Ok(a) if !lim.within => {
            let (c, msg) = past_limit(m.period, lim.retired, &lim.note);
            info(c, msg).amount(Money::round(a.value))
        }
        Ok(a) if hires_before > 0 && one_max.is_some_and(|max| count + hires_before >= max) => {
            let note = used_note(count + hires_before, one_max.unwrap_or_default(), true);
            let (c, msg) = past_limit(m.period, None, &note);
            info(c, msg).amount(Money::round(a.value))
        }
        _ => incomplete(ctx, prog, m, info),
    }
}
