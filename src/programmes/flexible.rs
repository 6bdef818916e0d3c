//! The driver shared by flexible-employment programmes (`si_hardship_flexible`,
//! `si_graduate_flexible`): a person paying SI as a flexible worker (no employer) gets a fixed
//! monthly amount for each month in which both pension and medical insurance were paid by the
//! end of the payout month (苏府〔2017〕158号 （七）“同时缴纳养老保险和医疗保险费”).

use super::hire::{Error, Limit};
use super::si::{self, SiMonth};
use super::{Ctx, Outcome, Party, Payee, Payment};
use crate::domain::{Date, Money, Month};
use crate::exceptions::{Code, Exception};
use crate::ingest::records::{Insurance, PersonRow};
use crate::ledger::Seen;
use crate::pipeline::{ParamError, ParamRef};
use crate::registers::derive::{Judgement, Miss};
use rayon::prelude::*;

mod month;

/// The value of parameter `name` (a programme's published standard) that prices flexible month
/// `m`: the one in force on its first day, or — in the month a document takes effect (Songyuan
/// 2018-04-13) — the first value, from its day: the month's SI is paid for the whole month, of
/// which the days from then are under the document (as a hire's, `hire::pricing_day`; since
/// 2026-12-04). No month before the pipeline's document takes effect (`programmes::DOCUMENT`)
/// is priced, whatever date a bureau gives its standard — the months before were the earlier
/// rules' (since 2026-12-07: a grader's standard dated 2017-01-01 paid Suzhou months from
/// 2017-09, judged under （八）2's limits dated 2017-12-01).
pub fn month_value(ctx: &Ctx, name: &str, m: Month) -> Result<ParamRef, ParamError> {
    let from = rules_from(ctx, m);
    // (a month wholly before the document: the error names the first day a standard is in
    // force under it — the document's, or the standard's own when later, `standard_under`)
    if from > m.last_day() {
        return super::standard_under(ctx.params, name, m.first_day());
    }
    let r = match ctx.params.at(name, from) {
        Err(ParamError::NotInForce { first, .. }) if first <= m.last_day() => {
            ctx.params.at(name, first)
        }
        r => r,
    };
    // a standard a bureau set to 0 from a date (to end the subsidy) is no amount in force: the
    // month is said NO_RULE_IN_FORCE and uses none of the limit (until 2026-12-07 it was priced
    // 0.00 and counted as subsidised: a grader found a hire refused for a limit so spent)
    match r {
        Ok(v) if v.value.is_zero() => Err(ParamError::NotInForce {
            name: v.name.clone(),
            on: m.first_day(),
            first: v.from,
            clause: format!("set to 0 from {}", v.from),
        }),
        r => r,
    }
}

/// The first day of month `m` under the pipeline's document: the month's first day, or the
/// document's first (`programmes::DOCUMENT`'s first date) when later.
fn rules_from(ctx: &Ctx, m: Month) -> Date {
    ctx.params
        .first_from(super::DOCUMENT)
        .map_or(m.first_day(), |f| f.max(m.first_day()))
}

/// The day flexible month `m` is judged on (a graduate's window, a hardship person's age and
/// registration): its first day, or — in the month the programme's rules take effect mid-month
/// (its document's or its amount's first date, `month_value`: Songyuan 2018-04-13) — that day:
/// the rules judge no day before them, as a hire's first application (POLICY.md; since
/// 2026-12-07 — a grader found a graduate whose window closed on 2018-04-05 paid 24 months,
/// judged on 2018-04-01).
pub fn judging_day(ctx: &Ctx, amount: &str, m: Month) -> Date {
    match month_value(ctx, amount, m) {
        Ok(r) => r.from.max(rules_from(ctx, m)),
        _ => m.first_day(),
    }
}

/// The message of a flexible month no amount of programme `code` is in force for
/// (`NO_RULE_IN_FORCE`; no later run pays it either).
fn no_amount(code: &str, m: Month, e: &ParamError) -> String {
    match e {
        // (before the pipeline's document: its rules begin later, whatever the standard's date)
        ParamError::NotInForce { name, first, .. } if name == super::DOCUMENT => format!(
            "service month {m} is before the pipeline's document takes effect ({first}, {name}): {code} is not paid under its rules (earlier rules governed the month)"
        ),
        // (a standard set to 0: `month_value` says a value of the month is none in force — a
        // month with no value at all has its first one after the month)
        ParamError::NotInForce { name, first, .. } if *first <= m.last_day() => format!(
            "the {code} amount in force for service month {m} is 0 ({name}=0@{first}): nothing paid, and the month uses none of the limit"
        ),
        // (the first value after the month: said with its date — a review found a month of the
        // document's start with an amount dated later said without one)
        ParamError::NotInForce { name, first, .. } => format!(
            "no {code} amount in force for service month {m}: the first is from {first} ({name})"
        ),
        _ => format!("no {code} amount in force for service month {m}"),
    }
}

/// A flexible-employment programme.
pub trait FlexProgramme: Sync {
    fn code(&self) -> &'static str;
    /// Whether person `i` (`p`) qualifies, judged on the first day of the first qualifying
    /// month.
    fn judge(&self, ctx: &Ctx, i: u32, p: &PersonRow, first: Month) -> Judgement;
    /// The programme's person, as reasons name them (“a hardship person”).
    fn who(&self) -> &'static str;
    /// Whether service month `m` needs both pension and medical paid (（七）“同时缴纳养老保险和
    /// 医疗保险费”), or either (PROGRAMMES.md sets the condition for `si_hardship_flexible` only;
    /// a pipeline may ask it of the other).
    fn needs_both(&self, _ctx: &Ctx, _m: Month) -> bool {
        true
    }
    /// Whether month `m` may be paid (not employed that month: `not_under_contract`); `Err` is
    /// the reason.
    fn month_ok(
        &self,
        ctx: &Ctx,
        person: u32,
        m: Month,
        insured: &EmployerInsured,
    ) -> Result<(), (Code, String)> {
        not_under_contract(ctx, person, m, insured, self.who())
    }
    /// Fixed amount for service month `m` (a published standard).
    fn amount(&self, ctx: &Ctx, m: Month) -> Result<ParamRef, ParamError>;
    /// Duration limit, fixed at the first subsidised month.
    fn limit(&self, ctx: &Ctx, p: &PersonRow, first: Month) -> Result<Limit, ParamError>;
}

/// The (person, employer, service month) of every employer SI row of the people who pay
/// flexible SI in the extract, and by person and month the employers.
#[derive(Default)]
pub struct EmployerInsured {
    rows: rustc_hash::FxHashSet<(u32, u32, Month)>,
    /// the lowest employer index insuring the person in the month (one is enough to name)
    by_month: rustc_hash::FxHashMap<(u32, Month), u32>,
}

impl EmployerInsured {
    /// Whether `employer` has SI rows of `person` for `m`.
    pub fn contains(&self, row: &(u32, u32, Month)) -> bool {
        self.rows.contains(row)
    }

    /// An employer with SI rows of `person` for `m`, if any.
    pub fn employer_in(&self, person: u32, m: Month) -> Option<u32> {
        self.by_month.get(&(person, m)).copied()
    }
}

impl Extend<(u32, u32, Month)> for EmployerInsured {
    fn extend<I: IntoIterator<Item = (u32, u32, Month)>>(&mut self, rows: I) {
        for (p, e, m) in rows {
            if self.rows.insert((p, e, m)) {
                self.by_month
                    .entry((p, m))
                    .and_modify(|x| *x = (*x).min(e))
                    .or_insert(e);
            }
        }
    }
}

impl FromIterator<(u32, u32, Month)> for EmployerInsured {
    fn from_iter<I: IntoIterator<Item = (u32, u32, Month)>>(rows: I) -> Self {
        let mut x = EmployerInsured::default();
        x.extend(rows);
        x
    }
}

/// What makes a month one of employment (`employing_contract`): a labour contract, or — with
/// none in employment.csv — an employer's SI rows of the person for it.
#[derive(Clone, Copy)]
enum Employing<'a> {
    Contract(&'a crate::ingest::records::EmploymentRow),
    Insurer(u32),
}

/// `FlexProgramme::month_ok` of both flexible programmes: a month in which labour contracts
/// cover the person is not flexible work (灵活就业) — the person is employed, and the employer's
/// SI is the hire programmes' to subsidise — when they cover every day of it (one contract, or
/// several together: a renewal or a job change within the month), or an employer of one of them
/// has SI rows of the person for it; contracts covering part of the month without their
/// employers' SI (a job from the month's last day, insured from the next month) leave the month
/// the person's flexible work (a cold review found such a month paid by no programme). An
/// employer's SI rows of the person for the month with no contract with that employer covering
/// any day of it in employment.csv make it employment too (a hire not registered, or insured
/// past a contract's end: since 2026-12-04 — a cold review found such a month paid as flexible
/// work, to be held for recovery once the contract was registered). `who` names the
/// programme's person in the reason.
pub fn not_under_contract(
    ctx: &Ctx,
    person: u32,
    m: Month,
    insured: &EmployerInsured,
    who: &str,
) -> Result<(), (Code, String)> {
    match employing_contract(ctx, person, m, insured) {
        Some((e, why)) => Err((
            Code::EmployedDuringFlexibleMonth,
            format!(
                "{}; not flexible work by {who}",
                employed_by(ctx, m, e, why)
            ),
        )),
        None => Ok(()),
    }
}

/// The contract that makes month `m` a month of employment (`not_under_contract`), and why
/// beyond covering a day of it (“” when contracts cover the whole month) — or, where the
/// person has no contract in the month, an employer insuring them for it.
fn employing_contract<'a>(
    ctx: &'a Ctx,
    person: u32,
    m: Month,
    insured: &EmployerInsured,
) -> Option<(Employing<'a>, &'static str)> {
    let reg = &ctx.inputs.registers;
    // the person's contracts in the month, each as the days of the month it covers
    let (within, whole) = contracts_in(reg, person, m);
    let contract = within
        .into_iter()
        .find_map(|(_, _, e)| {
            if whole {
                Some((e, ""))
            } else if insured.contains(&(person, e.employer, m)) {
                Some((e, " and its employer insures the person for it"))
            } else {
                // (or an earlier run subsidised that employer's SI of the person for the month —
                // the extract that showed it is gone: a review found the month paid again as
                // flexible work)
                hire_paid(ctx, e.employer, person, m).then_some((
                    e,
                    " and an earlier run subsidised its employer's SI of the person for it",
                ))
            }
        })
        .or_else(|| {
            // a founder's registration with their start-up that employment.csv lacks (the
            // founders' own programme on): a month the enterprise insures them is theirs, not
            // flexible work — a founder insured only as a flexible worker stays one (a cold
            // review found a founder paid both for one month in one run, and held for recovery
            // when the enterprise's rows came a run later)
            ctx.founder_registrations_of(person)
                .iter()
                .filter(|e| Month::of(e.contract_start) <= m)
                .find_map(|e| {
                    if insured.contains(&(person, e.employer, m)) {
                        Some((e, " and insures its founder for it"))
                    } else {
                        hire_paid(ctx, e.employer, person, m).then_some((
                            e,
                            " and an earlier run subsidised its SI of its founder for it",
                        ))
                    }
                })
        });
    match contract {
        Some((e, why)) => Some((Employing::Contract(e), why)),
        // (an employer's SI rows of the person for the month, with no contract of theirs with
        // it in the month — an employer with one would have made it above: a hire not
        // registered)
        None => insured
            .employer_in(person, m)
            .map(|e| (Employing::Insurer(e), "")),
    }
}

/// `{m}: a labour contract with … covers this month (employment.csv:N){why}`.
fn employed_by(ctx: &Ctx, m: Month, e: Employing, why: &str) -> String {
    let e = match e {
        Employing::Contract(e) => e,
        Employing::Insurer(employer) => {
            return format!(
                "{m}: the employer {} insures the person for it (employer SI rows of the month), though employment.csv holds no labour contract with it covering the month (a hire not registered, or insured past a contract's end?)",
                ctx.inputs.registers.employer(employer).id
            )
        }
    };
    let employer = ctx.inputs.registers.employer(e.employer);
    if e.line == 0 {
        // (a founder's registration from the founding: `Ctx::founder_registrations`)
        return format!(
            "{m}: the person founded {} (employers.csv:{}), which is their work from its founding{why}",
            employer.id, employer.line,
        );
    }
    format!(
        "{m}: a labour contract with {} covers this month (employment.csv:{}){why}",
        employer.id, e.line,
    )
}

/// The person's contracts in month `m`, each as the days of the month it covers (in order),
/// and whether together they cover every day of it.
#[allow(clippy::type_complexity)]
fn contracts_in(
    reg: &crate::registers::Registers,
    person: u32,
    m: Month,
) -> (
    Vec<(
        chrono::NaiveDate,
        chrono::NaiveDate,
        &crate::ingest::records::EmploymentRow,
    )>,
    bool,
) {
    let (first, last) = (m.first_day(), m.last_day());
    let mut within: Vec<_> = reg
        .employment_of(person)
        .filter_map(|e| {
            let until = e.last_day().unwrap_or(chrono::NaiveDate::MAX);
            m.overlaps(e.contract_start, until)
                .then(|| (e.contract_start.max(first), until.min(last), e))
        })
        .collect();
    within.sort_by_key(|(from, _, e)| (*from, e.line));
    // every day of the month covered by one contract or another
    let mut reach: Option<chrono::NaiveDate> = first.pred_opt();
    for (from, to, _) in &within {
        if reach.is_some_and(|r| r.succ_opt().is_some_and(|next| *from <= next)) {
            reach = reach.max(Some(*to));
        }
    }
    let whole = reach.is_some_and(|r| r >= last);
    (within, whole)
}

/// Whether an earlier run paid an employer SI subsidy (a hire programme) of the person's month
/// to `employer` — or had it returned as failed: the month is then owed to the employer (paid
/// again by a later run), not the person's flexible work (a review found both paid).
pub(super) fn hire_paid(ctx: &Ctx, employer: u32, person: u32, m: Month) -> bool {
    HIRES.into_iter().any(|code| {
        let key = ctx.payment_id(code, &Payee::Employer(employer), person, m, 0);
        matches!(ctx.history.seen(&key), Seen::Paid(_) | Seen::Failed(_))
    })
}

/// The (person, service month) pairs this run's lines of the programmes `of` pay.
pub(super) fn paid_now(
    out: &Outcome,
    of: impl Fn(&str) -> bool,
) -> rustc_hash::FxHashSet<(u32, Month)> {
    out.payments
        .iter()
        .filter(|p| of(p.programme))
        .filter_map(|p| match (p.beneficiary, p.service_month) {
            (Party::Person(i), Some(m)) => Some((i, m)),
            _ => None,
        })
        .collect()
}

/// The hire programmes, which subsidise an employer's SI of a person's month.
pub(super) const HIRES: [&str; 4] = [
    super::si_hardship_hire::CODE,
    super::si_sme_graduate_hire::CODE,
    super::si_redeployment::CODE,
    super::si_startup_founder::CODE,
];

/// The ledger's memory that a month an earlier run paid as flexible work was said employed
/// (`first_applications`, this group and the month, e.g. `flexible_employed/2019-03`): said once.
pub const EMPLOYED_SINCE: &str = "flexible_employed";

/// `EMPLOYED_SINCE`'s group for month `m`.
pub(super) fn employed_group(m: Month) -> String {
    format!("{EMPLOYED_SINCE}/{m}")
}

/// A month an earlier run paid the person as flexible work that this extract shows employed —
/// a labour contract covering it whole, or one whose employer has SI rows of the person for it
/// (`not_under_contract`) — while no SI subsidy of the month is paid to an employer, in this
/// run or an earlier one (an employer no programme pays: a medium firm, a public body where the
/// city pays enterprises only): the flexible line is held for recovery, `FLEXIBLE_MONTH_
/// EMPLOYED` with its amount, once (the ledger remembers it, `EMPLOYED_SINCE`). The hire driver
/// says it where it pays the employer. (A review found such a month neither held nor said:
/// one catch-up run over the same extracts refuses it as flexible work, a month-by-month
/// sequence paid it without a word.) Runs over the people with flexible months paid before.
pub fn employed_since(ctx: &Ctx, progs: &[&dyn FlexProgramme], out: &mut Outcome) {
    let reg = &ctx.inputs.registers;
    let people: rustc_hash::FxHashSet<u32> = ctx
        .history
        .subsidised()
        .filter(|(g, _)| progs.iter().any(|p| p.code() == *g))
        .filter_map(|(_, b)| reg.person_by_id(b))
        .collect();
    if people.is_empty() {
        return;
    }
    // this extract's employer SI rows of those people, up to the payout month, and the months
    // their contracts cover whole (with no SI row: line 0, the contract's row is cited)
    let mut rows: Vec<(u32, Month, u32, u32)> = ctx
        .inputs
        .contributions
        .iter()
        .filter(|c| c.period <= ctx.payout && people.contains(&c.person))
        .filter_map(|c| Some((c.person, c.period, c.employer?, c.line)))
        .collect();
    let insured: EmployerInsured = rows.iter().map(|&(p, m, e, _)| (p, e, m)).collect();
    // (no flexible line is older than its programme's first standard: contracts are walked
    // from then, and a month is looked at only when an earlier run paid it as flexible work —
    // an old job history walked month by month from its start cost ~30 µs a month, a
    // regression review)
    let since = progs
        .iter()
        .filter_map(|p| {
            let v = ctx
                .params
                .get(&format!("{}.amount", p.code()))?
                .values
                .first()?;
            Some(Month::of(v.from))
        })
        .min();
    if let Some(since) = since {
        for &person in &people {
            for e in reg.employment_of(person) {
                let last = e
                    .last_day()
                    .map_or(ctx.payout, |d| Month::of(d).min(ctx.payout));
                let mut m = Month::of(e.contract_start).max(since);
                while m <= last {
                    if super::hire::flexible_paid(ctx, person, m).is_some()
                        && contracts_in(reg, person, m).1
                    {
                        rows.push((person, m, e.employer, 0));
                    }
                    m = m.next();
                }
            }
        }
    }
    if rows.is_empty() {
        return;
    }
    rows.sort_unstable();
    rows.dedup_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2) && a.3 == 0);
    // the months an SI subsidy pays to an employer in this run (the hire driver said them)
    let hired = paid_now(out, |code| HIRES.contains(&code));
    for month in rows.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (person, m, _, _) = month[0];
        // (cited at the month's first SI row; without one, at the contract's row)
        let line = month.iter().map(|r| r.3).find(|&l| l > 0);
        if hired.contains(&(person, m)) {
            continue;
        }
        // (the ledger first: most months of a job were never flexible work)
        let Some(q) = super::hire::flexible_paid(ctx, person, m) else {
            continue;
        };
        let Some((contract, why)) = employing_contract(ctx, person, m, &insured) else {
            continue;
        };
        if month.iter().any(|r| hire_paid(ctx, r.2, person, m)) {
            continue;
        }
        let id = reg.person(person).id;
        let group = employed_group(m);
        let pid = id.to_string();
        if ctx.history.first_application_run(&group, &pid).is_some() {
            continue;
        }
        let x = Exception::new(
            Code::FlexibleMonthEmployed,
            format!(
                "{}: an earlier run paid {} for this month to the person as flexible work (line {}, or its retry if the bank returned it), and no SI subsidy of the month is paid to the employer: a month of employment, not flexible work — recover the flexible line from the person if the contract and the employer's SI stand",
                employed_by(ctx, m, contract, why),
                q.code(),
                ctx.payment_id(q.code(), &Payee::Person(person), person, m, 0),
            ),
        )
        .programme(q.code())
        .person(id);
        let x = match (line, contract) {
            (Some(line), _) => x.at("contributions.csv", line),
            // (a founder's registration from the founding: the enterprise's row)
            (None, Employing::Contract(c)) if c.line == 0 => {
                x.at("employers.csv", reg.employer(c.employer).line)
            }
            (None, Employing::Contract(c)) => x.at("employment.csv", c.line),
            (None, Employing::Insurer(e)) => x.at("employers.csv", reg.employer(e).line),
        };
        let x = match q
            .amount(ctx, m)
            .ok()
            .map(|a| Money::round(a.value))
            .filter(|a| a.is_positive())
        {
            Some(a) => x.amount(a),
            None => x,
        };
        out.exceptions.push(x);
        out.said_once(group, pid, m, ctx.payout.last_day());
    }
}

pub fn run(ctx: &Ctx, progs: &[&dyn FlexProgramme]) -> Result<Outcome, Error> {
    // the flexible rows earlier runs' extracts showed paid after their payout month (or a later
    // sighting of such a row), kept by the ledger as the hire driver keeps an employer's
    // (`si_late_seen`, with an empty employer code): a window of recent rows no longer holds
    // them, and the month is this run's to pay once they are paid by the end of its payout
    // month (until 2026-12-03 such a month was never paid: a cold review)
    let kept = super::hire::kept_rows(ctx);
    let mut pairs: Vec<(u32, u32)> = ctx
        .inputs
        .contributions
        .iter()
        .filter(|c| c.employer.is_none())
        .map(|c| (c.person, si::FLEXIBLE))
        // (a person this extract has no flexible row of, whose kept rows make a month)
        .chain(
            kept.iter()
                .filter(|((_, e, period), _)| *e == si::FLEXIBLE && *period <= ctx.payout)
                .map(|((p, e, _), _)| (*p, *e)),
        )
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut months = si::aggregate(&ctx.inputs.contributions, &pairs, ctx.payout)
        .map_err(|e| Error::Join(e.to_string()))?;
    let late = super::hire::late_rows(ctx, &pairs, &kept, &[]);
    super::hire::paid_late_before(ctx, &pairs, &kept, &mut months);
    let seen = remembered(ctx, &mut months);
    let rows: Vec<(u32, u32, Month)> = ctx
        .inputs
        .contributions
        .par_iter()
        .filter_map(|c| {
            let e = c.employer?;
            pairs
                .binary_search(&(c.person, si::FLEXIBLE))
                .is_ok()
                .then_some((c.person, e, c.period))
        })
        .collect();
    let mut insured: EmployerInsured = rows.into_iter().collect();
    // (and the employer rows earlier runs' extracts showed — kept below, or kept by the hire
    // driver: paid late or in advance —: a window of recent rows no longer holds them, and a
    // month an employer insures, or whose SI the hire driver pays from them in this very run,
    // is not the person's flexible work; a metamorphic review — windowed against cumulative
    // extracts — found such a month paid to both, or to the person while the employer's 补缴
    // was then refused)
    insured.extend(
        kept.iter()
            .filter(|((p, e, _), _)| {
                *e != si::FLEXIBLE && pairs.binary_search(&(*p, si::FLEXIBLE)).is_ok()
            })
            .map(|((p, e, period), _)| (*p, *e, *period)),
    );
    // (and those of a month a run could not complete as flexible work, however old: the
    // memory's year forgot them — a contract-only review found such a month paid as flexible
    // work when the person's own rows came 13 payout months on)
    let reg = &ctx.inputs.registers;
    insured.extend(
        ctx.history
            .flexible_months_insured
            .iter()
            .filter_map(|(pid, eid, period)| {
                let (p, e) = reg.person_and_employer(pid, eid)?;
                pairs
                    .binary_search(&(p, si::FLEXIBLE))
                    .is_ok()
                    .then_some((p, e, *period))
            }),
    );
    let employed = employer_rows_kept(ctx, &pairs, &kept);
    let after_waiting = rows_after_a_waiting_month(ctx, progs, &months, &kept);
    let groups: Vec<&[SiMonth]> = months.chunk_by(|a, b| a.person == b.person).collect();
    let results: Vec<Result<Outcome, Error>> = groups
        .par_iter()
        .map(|g| person_months(ctx, progs, g, &insured))
        .collect();
    let mut out = Outcome::concat(results.into_iter().collect::<Result<_, _>>()?);
    out.flexible_seen = seen;
    // (with the rows the persons' months kept: `person_months`'s NO_LONGER_ELIGIBLE months)
    out.si_late_seen.extend(late);
    out.si_late_seen.extend(employed);
    out.si_late_seen.extend(after_waiting);
    Ok(out)
}

/// The rows paid in time of the months after a month still awaiting a payment, of a flexible
/// worker no flexible programme has subsidised yet — for the ledger (`si_late_seen`): when the
/// awaited month's 补缴 comes it may become the first subsidised month, the graduation window or
/// the age judged at it, and the months after it that this run refused on a later first month
/// are payable then; a windowed extract that holds only the late rows must still see them.
/// (Until 2026-12-06 they were lost: a review found a graduate's June paid late make June the
/// first month, inside the window, and July and August — refused `GRADUATE_OUTSIDE_WINDOW` when
/// judged at July — never paid, where a cumulative extract paid them; a hardship worker refused
/// `RETIREMENT_AGE_REACHED` the same.) The awaited month is the first of this extract's months
/// with a row unpaid or paid after the payout month, or of the months an earlier run's extract
/// showed with an insurance unpaid (`flexible_seen`) that this extract does not show complete
/// (an extract need not repeat an arrears row). Kept only where that month could move the
/// judgement: some programme qualifies the person judged at it, and none at the first month
/// after it this extract shows paid in time — not for a person no programme could pay, nor for
/// one the later months qualify anyway (a regression review found rows of never-candidates kept
/// every run). A row kept already with the same sighting is not kept again.
fn rows_after_a_waiting_month(
    ctx: &Ctx,
    progs: &[&dyn FlexProgramme],
    months: &[SiMonth],
    kept: &[super::hire::Kept],
) -> Vec<crate::ledger::LateSeen> {
    let reg = &ctx.inputs.registers;
    let end = ctx.payout.last_day();
    // (the months earlier runs saw with an insurance unpaid, by person: the earliest)
    let mut seen_unpaid: rustc_hash::FxHashMap<&str, Vec<Month>> = Default::default();
    for ((who, m), rows) in &ctx.history.flexible_seen {
        if rows.contains(&Some(0)) {
            seen_unpaid.entry(who.as_str()).or_default().push(*m);
        }
    }
    // (a month whose rows this extract shows all paid by the payout month's end)
    let paid_in_time = |m: &SiMonth| m.unpaid == 0 && m.late == 0 && m.paid_mask != 0;
    let mut out = Vec::new();
    for g in months.chunk_by(|a, b| a.person == b.person) {
        let own = g.iter().filter(|m| m.employer.is_none());
        let pid = reg.person(g[0].person).id.to_string();
        let here = own
            .clone()
            .find(|m| m.unpaid > 0 || m.late > 0 || m.present & !m.paid_mask != 0)
            .map(|m| m.period);
        // (a month an earlier extract showed unpaid that this one shows paid in time is not
        // awaited: its months are judged now)
        let earlier = seen_unpaid.get(pid.as_str()).and_then(|v| {
            v.iter()
                .copied()
                .filter(|w| !own.clone().any(|m| m.period == *w && paid_in_time(m)))
                .min()
        });
        let Some(w) = here.into_iter().chain(earlier).min() else {
            continue;
        };
        // (the first month after it that this extract shows paid in time: the one judged now)
        let Some(next) = own
            .clone()
            .find(|m| m.period > w && paid_in_time(m))
            .map(|m| m.period)
        else {
            continue;
        };
        if progs
            .iter()
            .any(|p| ctx.history.usage(p.code(), &pid).is_some())
        {
            continue;
        }
        let person = reg.person(g[0].person);
        let qualifies = |at: Month| {
            progs
                .iter()
                .any(|p| matches!(p.judge(ctx, g[0].person, person, at), Ok(Ok(_))))
        };
        if !qualifies(w) || qualifies(next) {
            continue;
        }
        out.extend(
            own.filter(|m| m.period > w)
                .flat_map(|m| m.own_rows(&ctx.inputs.contributions))
                .filter(|c| c.paid_on.is_some_and(|d| d <= end))
                .filter(|c| super::hire::kept_as(kept, ctx.payout, c) != Some(true))
                .map(|c| super::hire::late_seen(reg, c)),
        );
    }
    out
}

/// The employer SI rows, paid or not, of a month a flexible programme could pay — of a
/// flexible worker (`pairs`), or of a person the flexible programmes may subsidise (a hardship
/// category or registration, a graduation date) in a month their contracts do not cover whole
/// (a hire or a leaving month) — for the ledger: a later run whose extract holds only newer
/// rows must still see the person employed in the month (`not_under_contract`'s `insured`; a
/// metamorphic review found a short job's last month, and a hire month whose employer paid
/// late, paid as flexible work). A row kept already with the same sighting (date and amount)
/// is not kept again.
fn employer_rows_kept(
    ctx: &Ctx,
    pairs: &[(u32, u32)],
    kept: &[super::hire::Kept],
) -> Vec<crate::ledger::LateSeen> {
    let reg = &ctx.inputs.registers;
    ctx.inputs
        .contributions
        .par_iter()
        .filter_map(|c| {
            c.employer?;
            if pairs.binary_search(&(c.person, si::FLEXIBLE)).is_err() {
                let p = reg.person(c.person);
                let may = p.categories != 0
                    || p.registered_unemployed_on.is_some()
                    || p.hardship_family_graduate
                    || p.graduation_date.is_some();
                if !may || contracts_in(reg, c.person, c.period).1 {
                    return None;
                }
            }
            (super::hire::kept_as(kept, ctx.payout, c) != Some(true))
                .then(|| super::hire::late_seen(reg, c))
        })
        .collect()
}

/// An extract may hold a window of recent months (INPUTS.md: 补缴 of earlier months arrive in
/// later extracts): a flexible month's pension can be in one extract and its late medical only
/// in a later one that no longer holds the pension row. What each month of this extract that
/// is not complete shows of the two is returned for the ledger (`flexible_seen`): a row paid
/// by the end of the payout month (its cents), a row not paid by then (0; a row paid after it
/// is kept with its date in `si_late_seen` too, and completes the month once paid by a later
/// payout month's end: `hire::paid_late_before`, called before this — from then on it is
/// recorded here as paid, while the month is not complete). An insurance this
/// extract has no row of at all is taken from the latest run that saw it — when that run saw
/// it paid (marked `remembered`). A row in this extract, paid or not, always stands, and only
/// this extract's rows are recorded (not those the ledger gave the month). (A cold multi-month
/// review found such a month never paid, and told “not both paid”; the review of the change, a
/// paid row corrected to unpaid by a later extract and then paid on the strength of the first.)
fn remembered(ctx: &Ctx, months: &mut [SiMonth]) -> Vec<crate::ledger::FlexSeen> {
    const BOTH: [Insurance; 2] = [Insurance::Pension, Insurance::Medical];
    let mut seen = Vec::new();
    for m in months.iter_mut().filter(|m| m.employer.is_none()) {
        let id = ctx.inputs.registers.person(m.person).id.to_string();
        // (this extract's rows: not those `si_late_seen` gave the month)
        let own = !m.remembered;
        // (paid with money: a row paid at 0.00 — a relief — paid nothing, and the month awaits
        // its 补缴 as one with the row unpaid does: a review found such a month refused for
        // 0.00 never paid when the back-payment came alone in a window)
        let paid = BOTH.map(|i| m.has(i) && m.paid[i as usize] > 0 && own & (1u8 << i as u8) != 0);
        if !(paid[0] && paid[1]) {
            for (k, i) in BOTH.iter().enumerate() {
                let bit = 1u8 << *i as u8;
                // (a row not paid by the end of the payout month — without a date, or paid
                // later — is seen unpaid: a payment made later is in the extract of the month
                // it was made, which the latest sighting then is; a review of the change found
                // a correction to unpaid beside another insurance's late row not kept)
                let cents = if paid[k] {
                    Some(m.paid[*i as usize])
                } else if m.present & own & bit != 0 {
                    Some(0)
                } else if m.remembered & m.paid_mask & bit != 0 && m.paid[*i as usize] > 0 {
                    // a row an earlier extract showed paid after its payout month, paid by
                    // now (`si_late_seen`, kept twelve payout months): kept as paid while the
                    // other insurance is awaited (a cold review found a pension paid a day
                    // late forgotten when the medical came 14 months on — one paid in time
                    // was remembered for good)
                    Some(m.paid[*i as usize])
                } else {
                    None
                };
                if let Some(paid_cents) = cents.filter(|c| *c >= 0) {
                    seen.push(crate::ledger::FlexSeen {
                        person_id: id.clone(),
                        period: m.period,
                        insurance: k as u8,
                        paid_cents,
                    });
                }
            }
        }
        complete_from_seen(ctx, id, m);
    }
    seen
}

/// Flexible month `m` of person `id` completed from the ledger's `flexible_seen`: the pension
/// or medical this extract has no row of, which the latest run that saw it saw paid (marked
/// `remembered`). Also for a founder's own months, which the hire driver pays (a cold review
/// found a founder's month paid on its late medical alone, the pension an earlier window held
/// lost).
pub(super) fn complete_from_seen(ctx: &Ctx, id: String, m: &mut SiMonth) {
    const BOTH: [Insurance; 2] = [Insurance::Pension, Insurance::Medical];
    if let Some(before) = ctx.history.flexible_seen.get(&(id, m.period)) {
        for (k, i) in BOTH.iter().enumerate() {
            let bit = 1u8 << *i as u8;
            if let (0, Some(cents @ 1..)) = (m.present & bit, before[k]) {
                m.present |= bit;
                m.paid_mask |= bit;
                m.paid[*i as usize] = cents;
                m.remembered |= bit;
            }
        }
    }
}

/// The row of a month past its programme's limit: past the retirement month (`retired`) in
/// the hire's words, else the limit `note` names.
fn past_limit(period: Month, retired: Option<Month>, note: &str) -> (Code, String) {
    match retired {
        Some(u) => super::hire::past_retirement(period, u),
        None => (
            Code::DurationLimitReached,
            format!("{period}: limit reached ({note})"),
        ),
    }
}

/// The pension and medical bits of a month's masks.
const BOTH: u8 = (1u8 << Insurance::Pension as u8) | (1u8 << Insurance::Medical as u8);

/// Whether month `m` has the flexible SI `prog` asks for paid by the end of the payout month:
/// both pension and medical, or (a programme that does not ask for both) either.
fn complete(ctx: &Ctx, prog: &dyn FlexProgramme, m: &SiMonth) -> bool {
    enough(ctx, prog, m.period, paid_with_money(m))
}

/// Whether the insurances `paid` (a mask of pension and medical) are what `prog` asks for in
/// `period`: both, or one.
fn enough(ctx: &Ctx, prog: &dyn FlexProgramme, period: Month, paid: u8) -> bool {
    if prog.needs_both(ctx, period) {
        paid & BOTH == BOTH
    } else {
        paid & BOTH != 0
    }
}

/// The insurances paid in time with an amount: a row marked paid with 0.00 paid nothing (a
/// cold review found a flexible month of 0.00 rows paid the fixed amount and counted against
/// the limit; employer SI of 0.00 is SI_ZERO_AMOUNT too).
fn paid_with_money(m: &SiMonth) -> u8 {
    let mut mask = 0u8;
    for i in [Insurance::Pension, Insurance::Medical] {
        let bit = 1u8 << i as u8;
        if m.paid_mask & bit != 0 && m.paid[i as usize] > 0 {
            mask |= bit;
        }
    }
    mask
}

/// The row for a flexible month without the insurances `prog` asks for paid by the end of the
/// payout month: `SI_PAID_AFTER_PAYOUT_MONTH` when what is missing was paid after it (a later
/// run pays the month), else `FLEXIBLE_INCOMPLETE`.
fn incomplete(
    ctx: &Ctx,
    prog: &dyn FlexProgramme,
    m: &SiMonth,
    info: &dyn Fn(Code, String) -> Exception,
) -> Exception {
    let end = ctx.payout.last_day();
    let both = prog.needs_both(ctx, m.period);
    let (asked, late_ok) = if both {
        // complete once what was paid late counts: both insurances have rows, none without a
        // date
        (
            "pension and medical insurance not both paid",
            m.unpaid == 0 && m.present & BOTH == BOTH,
        )
    } else {
        (
            "neither pension nor medical insurance paid",
            m.late_mask & BOTH != 0,
        )
    };
    // rows marked paid in time whose amounts are 0.00: nothing was paid — for a programme that
    // asks for both, the month cannot be completed by a row paid later either (a review found
    // “a later run pays the month” said of it)
    let zero = m.paid_mask & BOTH & !paid_with_money(m);
    if zero != 0 && (both || (m.late == 0 && m.unpaid == 0)) {
        return info(
            Code::SiZeroAmount,
            format!(
                "{}: flexible SI paid with amounts of 0.00 ({}): nothing paid, nothing to subsidise",
                m.period,
                if zero == BOTH {
                    "pension and medical"
                } else if zero & (1u8 << Insurance::Pension as u8) != 0 {
                    "pension"
                } else {
                    "medical"
                }
            ),
        );
    }
    if m.late > 0 && late_ok {
        // (with the month's amount where one is in force, as a hire's row: a cold review)
        // (at the row paid late, as a hire's month is: the month's first row may be one paid
        // in time — a cold review)
        let x = m.cited_at(
            info(
                Code::SiPaidAfterPayoutMonth,
                format!(
                    "{}: {asked} by {end} (some paid after it): not subsidised by this run; a later run pays the month",
                    m.period
                ),
            ),
            m.late_line,
        );
        match prog.amount(ctx, m.period) {
            Ok(a) => x.amount(Money::round(a.value)),
            Err(_) => x,
        }
    } else if m.unpaid > 0 {
        // (at the unpaid row, not the month's first — which may be the insurance paid — and
        // saying what a later run does: a cold review)
        m.cited_at(
            info(
                Code::FlexibleIncomplete,
                format!(
                    "{}: {asked} by {end} (a row without a payment date: arrears); not subsidised by this run — a later run pays the month once the arrears are paid by the end of its payout month",
                    m.period
                ),
            ),
            m.unpaid_line,
        )
    } else {
        info(
            Code::FlexibleIncomplete,
            format!("{}: {asked} by {end}; not subsidised", m.period),
        )
    }
}

/// Under （七）'s one limit with hires (`si_hardship_flexible` where the pipeline has it): the
/// months earlier runs subsidised the person's hires, and the largest the one limit can be —
/// the flexible programme's own maximum (`limit`) or the hire's, whichever applied first (a
/// hire first subsidised at 45 runs 60 months where flexible work at 44 ran 36: a regression
/// review found a month said past a limit a later run paid within). Elsewhere (0, the
/// programme's own maximum).
fn one_limit_before(
    ctx: &Ctx,
    prog: &dyn FlexProgramme,
    person: &PersonRow,
    limit: &Limit,
) -> Result<(u32, Option<u32>), Error> {
    let code = prog.code();
    let own = match limit {
        Limit::Months(max, _)
        | Limit::MonthsUntil(max, _, _)
        | Limit::MonthsWithin(max, _, _, _) => Some(*max),
        _ => None,
    };
    if code != super::si_hardship_flexible::CODE
        || !super::si_hardship_flexible::one_limit(ctx).map_err(|e| Error::Param(code, e))?
    {
        return Ok((0, own));
    }
    let id = person.id.to_string();
    let Some(hires) = ctx.history.usage(super::si_hardship_hire::CODE, &id) else {
        return Ok((0, own));
    };
    let hire_max = match ctx.inputs.registers.person_by_id(&id) {
        Some(w) => super::si_hardship_flexible::hire_limit(ctx, w, hires.first)
            .map_err(|e| Error::Param(code, e))?,
        None => None,
    };
    // (the hire's limit unknown — its contract gone from the registers —: no claim)
    let max = match (own, hire_max) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    // (the hires' months not paid as flexible work too: a month both paid counts once)
    let both = super::si_hardship_flexible::months_under_one_limit(ctx, &id);
    let own_months = ctx.history.usage(code, &id).map_or(0, |u| u.months);
    Ok((both.saturating_sub(own_months), max))
}

/// How a limit used up is said: `used` months subsidised already, at most `max` — across
/// employer hires and flexible work where （七）'s one limit counts the hires' months too.
fn used_note(used: u32, max: u32, with_hires: bool) -> String {
    let across = if with_hires {
        " across employer hires and flexible work"
    } else {
        ""
    };
    format!("{used} months subsidised already{across}, at most {max}")
}

/// For a month of `person` that `prog` cannot pay now, the limit earlier runs used up, if they
/// did: past the retirement month, or as many months subsidised as the programme's maximum —
/// for `si_hardship_flexible` under （七）'s one limit, the hires' months counted too, against
/// the largest the one limit can be (`one_limit_before`).
fn past_known_limit(
    ctx: &Ctx,
    prog: &dyn FlexProgramme,
    person: &PersonRow,
    period: Month,
) -> Result<Option<(Code, String)>, Error> {
    let code = prog.code();
    let id = person.id.to_string();
    let usage = ctx.history.usage(code, &id);
    let limit = prog
        .limit(ctx, person, usage.map_or(period, |u| u.first))
        .map_err(|e| Error::Param(code, e))?;
    let (hires, one_max) = one_limit_before(ctx, prog, person, &limit)?;
    if usage.is_none() && hires == 0 {
        return Ok(None);
    }
    let used = usage.map_or(0, |u| u.months) + hires;
    Ok(match limit {
        Limit::Until(u, _) if period > u => Some(super::hire::past_retirement(period, u)),
        Limit::Months(..) | Limit::MonthsUntil(..) | Limit::MonthsWithin(..)
            if one_max.is_some_and(|max| used >= max) =>
        {
            let note = used_note(used, one_max.unwrap_or_default(), hires > 0);
            Some(past_limit(period, None, &note))
        }
        Limit::MonthsUntil(_, u, _) if period > u => Some(super::hire::past_retirement(period, u)),
        Limit::MonthsWithin(_, u, what, _) if period > u => {
            Some(past_limit(period, None, &format!("{what} ends with {u}")))
        }
        _ => None,
    })
}

/// For a person none of whose months `prog` can pay (none has both insurances paid and an
/// amount in force): one row per month at which the person qualifies, saying why it is not
/// paid — employed, insurances missing, or no amount in force (none for a month the person does
/// not qualify at: an ordinary flexible worker, a student before graduating). Until 2026-12-06
/// the person was judged at the extract's first month only, and whether a graduate's arrears
/// were said hung on the extract's shape — a June row of her student days hid July's (a
/// grader).
fn unpayable_months(
    ctx: &Ctx,
    prog: &dyn FlexProgramme,
    months: &[SiMonth],
    row: &dyn Fn(Code, String, &SiMonth) -> Exception,
    taken: &dyn Fn(&SiMonth) -> bool,
    insured: &EmployerInsured,
) -> Result<Vec<(Month, Exception)>, Error> {
    let mut rows = Vec::new();
    let Some(first) = months.first() else {
        return Ok(rows);
    };
    let code = prog.code();
    let person = ctx.inputs.registers.person(first.person);
    for m in months.iter().filter(|m| !taken(m)) {
        if prog
            .judge(ctx, m.person, person, m.period)
            .map_err(|e| Error::Param(code, e))?
            .is_err()
        {
            continue;
        }
        let info = |c: Code, msg: String| row(c, msg, m);
        // a month no rule was in force for says so first, whatever its insurances: no later
        // run pays it (FLEXIBLE_INCOMPLETE promised one once the arrears were paid: a review)
        let amount = prog.amount(ctx, m.period);
        let x = if let Err(e @ ParamError::NotInForce { .. }) = &amount {
            info(Code::NoRuleInForce, no_amount(code, m.period, e))
        } else if !complete(ctx, prog, m) {
            // (employed: said first, whatever the insurances; a complete month employed is
            // said where the first subsidised month is looked for; then a limit earlier runs
            // used up — no later run pays the month: a regression review found it promised)
            match prog.month_ok(ctx, m.person, m.period, insured) {
                Err((c, why)) => info(c, why),
                Ok(()) => match past_known_limit(ctx, prog, person, m.period)? {
                    Some((c, why)) => {
                        let x = info(c, why);
                        match &amount {
                            Ok(a) => x.amount(Money::round(a.value)),
                            Err(_) => x,
                        }
                    }
                    None => incomplete(ctx, prog, m, &info),
                },
            }
        } else {
            match amount {
                Ok(_) => continue,
                Err(e) => return Err(Error::Param(code, e)),
            }
        };
        rows.push((m.period, x));
    }
    Ok(rows)
}

fn person_months(
    ctx: &Ctx,
    progs: &[&dyn FlexProgramme],
    months: &[SiMonth],
    insured: &EmployerInsured,
) -> Result<Outcome, Error> {
    let mut out = Outcome::default();
    let Some(first_month) = months.first() else {
        return Ok(out);
    };
    let person = ctx.inputs.registers.person(first_month.person);
    // the programmes the person qualifies for in this run, in priority order
    let mut qualified: Vec<&'static str> = Vec::new();
    // months another programme paid in an earlier run: (that programme, the row saying so)
    let mut already: Vec<(&'static str, Exception)> = Vec::new();
    // why the months are not paid, by the first programme in order that pays none of them
    // but for which the person qualifies: written when no programme pays any month
    let mut fallback: Vec<(Month, Exception)> = Vec::new();
    // months a programme could not pay for want of the insurances it asks for
    let mut incomplete_rows: Vec<(Month, Exception)> = Vec::new();
    for prog in progs {
        let code = prog.code();
        let complete = |m: &SiMonth| complete(ctx, *prog, m);
        // an exception row of this programme about the person, at the month's first row (a
        // month made from rows an earlier run's extract held names them in its message)
        let row = |c: Code, msg: String, m: &SiMonth| {
            m.cited(Exception::new(c, msg))
                .programme(code)
                .person(person.id)
        };
        let payee = Payee::Person(first_month.person);
        // one flexible subsidy per person and month: a month an earlier programme in priority
        // order pays in this run (`Some(None)`), or that an earlier run paid under another
        // programme, whichever comes first in the order (`Some(Some(it))`: the registers
        // changed since — a hardship category gained or lost — and it is not paid again)
        let founders_on = ctx
            .pipeline
            .enabled(super::si_startup_founder::CODE)
            .is_some();
        let taken_by = |out: &Outcome, m: &SiMonth| -> Option<Option<&'static str>> {
            if out
                .payments
                .iter()
                .any(|p| p.service_month == Some(m.period))
            {
                return Some(None);
            }
            // (a founder's own SI, which the founders' own programme pays them — in this run,
            // or an earlier one's line, paid or returned: one SI subsidy per person and month)
            let founder = super::si_startup_founder::CODE;
            // (the ledger asked only of a person the programme subsidised: a look-up per month
            // otherwise; an earlier run's line stands with the programme off since)
            let founder_pays = || {
                (founders_on
                    && ctx
                        .founder_own_paid
                        .get()
                        .is_some_and(|s| s.contains(&(m.person, m.period))))
                    || (ctx.subsidised_under(founder, m.person)
                        && !matches!(
                            ctx.history
                                .seen(&ctx.payment_id(founder, &payee, m.person, m.period, 0)),
                            Seen::New
                        ))
            };
            progs
                .iter()
                .map(|q| q.code())
                .filter(|&q| q != code)
                .find(|&q| {
                    let k = ctx.payment_id(q, &payee, m.person, m.period, 0);
                    matches!(ctx.history.seen(&k), Seen::Paid(_))
                })
                .or_else(|| founder_pays().then_some(founder))
                .map(Some)
        };
        let taken = |out: &Outcome, m: &SiMonth| taken_by(out, m).is_some();
        // months that can be subsidised: both insurances paid, an amount in force
        let candidates = months
            .iter()
            .filter(|m| complete(m) && prog.amount(ctx, m.period).is_ok());
        let judge = |first: Month| {
            prog.judge(ctx, first_month.person, person, first)
                .map_err(|e| Error::Param(code, e))
        };
        // The first subsidised month fixes the judgement (and, with no earlier run, the limit): the first
        // month of this extract in which the person qualifies, or, when earlier runs
        // subsidised some, the first of those unless the extract shows an earlier qualifying
        // month (a late 补缴 row) — so a person who becomes eligible later (an age reached, a
        // registration) is paid from then, whatever the extract's width. Months before it are
        // reported when the miss is a near one.
        let usage = ctx.history.usage(code, &person.id.to_string());
        let mut chosen = None;
        // months before the first subsidised one in which the person qualifies but is
        // employed: said, never the first subsidised month
        let mut employed: Vec<Exception> = Vec::new();
        // the first month the programme qualifies for, paid by another or not: months from it
        // that an earlier run paid under another programme are said not paid again (below)
        let mut qualifies_from: Option<Month> = None;
        for m in candidates {
            if usage.is_some_and(|u| m.period >= u.first) {
                break;
            }
            // a month another programme pays (earlier in priority order, or in an earlier run)
            // is not this programme's application: its first month is one it pays itself (until
            // 2026-12-04 a dibao graduate in flexible work, judged as a graduate at her first
            // flexible month although （七） paid it, was paid （八）2's 24 months after （七）'s 36
            // three years after graduating — with cumulative extracts only: a windowed extract
            // judged her at 2021-08, outside the window; a cold review)
            let other = taken(&out, m);
            if other && qualifies_from.is_some() {
                continue;
            }
            match judge(m.period)? {
                // a month under a labour contract is no flexible work and is never subsidised:
                // it does not fix the judgement or the limit (until 2026-12-02 it did — a
                // graduate judged in the month before the window closed was paid the months
                // after it, and a woman 44 in her last employed month got 36 months, not the
                // 60 of 45 at her first subsidised one: a cold review)
                Ok(f) => match prog.month_ok(ctx, m.person, m.period, insured) {
                    Ok(()) => {
                        qualifies_from.get_or_insert(m.period);
                        if !other {
                            chosen = Some((m.period, f));
                            break;
                        }
                    }
                    Err((c, why)) => employed.push(row(c, why, m)),
                },
                Err(Miss { code: Some(c), why }) if !other => {
                    let msg = format!("{}: {why}; not paid under {code}", m.period);
                    out.exceptions.push(row(c, msg, m));
                }
                Err(_) => {}
            }
        }
        let chosen = match (chosen, usage) {
            (Some(c), _) => Some(c),
            (None, Some(u)) => match judge(u.first)? {
                Ok(f) => Some((u.first, f)),
                // earlier runs subsidised the person from `u.first`; the registers now say
                // otherwise of that day: nothing paid, and the row says why — also when the
                // facts are gone altogether (a category dropped: `NO_LONGER_ELIGIBLE`; until
                // 2026-12-03 nothing was said, a cold review)
                Err(Miss { code: c, why }) => {
                    let msg = format!(
                        "subsidised under {code} from {} by earlier runs, but now: {why}; not paid",
                        u.first
                    );
                    out.exceptions
                        .push(row(c.unwrap_or(Code::NoLongerEligible), msg, first_month));
                    // (the rows of the months not paid yet are kept for the year, as a hire's
                    // refused so: a register restored pays them from a window — a grader found
                    // them lost for good)
                    let payee = Payee::Person(first_month.person);
                    for m in months {
                        let key = ctx.payment_id(code, &payee, m.person, m.period, 0);
                        if !matches!(ctx.history.seen(&key), Seen::Paid(_)) {
                            out.si_late_seen
                                .extend(super::hire::month_rows_to_keep(ctx, m));
                        }
                    }
                    None
                }
            },
            (None, None) => None,
        };
        out.exceptions.append(&mut employed);
        let Some((first, finding)) = chosen else {
            // no month this programme can pay: if the person qualifies at the extract's first
            // month, say why each month is not paid (the first programme in order only)
            if fallback.is_empty() {
                fallback =
                    unpayable_months(ctx, *prog, months, &row, &|m| taken(&out, m), insured)?;
            }
            continue;
        };
        qualified.push(code);
        // the limit is the first application's: the first month earlier runs subsidised, where
        // they did — a month before it paid late (补缴) and chosen above is applied for later
        // and does not move it, as for a hire (until 2026-12-03 it did: a woman 45 at her first
        // subsidised month, 44 at a late month before it, lost her 60 months to 36 — a review)
        let limit = prog
            .limit(ctx, person, usage.map_or(first, |u| u.first))
            .map_err(|e| Error::Param(code, e))?;
        let mut count = usage.map_or(0, |u| u.months);
        // （七）'s one limit with hires (`one_limit_with_hires`, applied to the lines after both
        // drivers): the hires' months earlier runs subsidised, for a month this driver cannot pay
        // — one past the limit with them is said so, not promised to a later run (a regression
        // review), against the largest the one limit can be (`one_limit_before`).
        let (hires_before, one_max) = one_limit_before(ctx, *prog, person, &limit)?;
        for m in months {
            let info = |c: Code, msg: String| row(c, msg, m);
            // one flexible subsidy per person and month, in priority order, in this run and in
            // any earlier one; months of this extract before the first subsidised one were
            // judged (and reported) above
            match taken_by(&out, m) {
                // (a programme that qualifies in this run handles its own months: said only
                // once every programme has been judged, below)
                Some(Some(q)) if m.period >= qualifies_from.unwrap_or(first) && complete(m) => {
                    already.push((
                        q,
                        info(
                            Code::SiMonthAlreadySubsidised,
                            format!(
                                "{}: flexible SI was subsidised under {q} by {}: not paid again under {code} (one subsidy per person and month)",
                                m.period,
                                if ctx
                                    .founder_own_paid
                                    .get()
                                    .is_some_and(|s| s.contains(&(m.person, m.period)))
                                {
                                    "this run (the founder's own SI)"
                                } else {
                                    "an earlier run"
                                }
                            ),
                        ),
                    ));
                    continue;
                }
                Some(_) => continue,
                None => {}
            }
            // (an incomplete month before the first subsidised one is said only of a person who
            // qualified then — “an ordinary flexible worker is not reported”: it was, for a
            // month before an age was reached, a cold review)
            if m.period < first
                && prog.amount(ctx, m.period).is_ok()
                && (complete(m)
                    || !matches!(prog.judge(ctx, m.person, person, m.period), Ok(Ok(_))))
            {
                continue;
            }
            let month_key = ctx.payment_id(code, &payee, m.person, m.period, 0);
            let (mut seq, mut retry) = (0u32, None);
            match ctx.history.seen(&month_key) {
                Seen::New => {}
                Seen::Failed(entry) => {
                    seq = entry.lines;
                    retry = entry.failed.clone();
                }
                Seen::Paid(entry) => {
                    out.exceptions
                        .extend(month::lowered_since_paid(ctx, *prog, m, entry, person));
                    continue; // paid by an earlier run
                }
            }
            // (a month under a labour contract says so first, whatever its insurances: it is
            // never flexible work — a late row's “a later run pays the month” was said of one)
            if let Err((c, why)) = prog.month_ok(ctx, m.person, m.period, insured) {
                out.exceptions.push(info(c, why));
                continue;
            }
            // (where the month stands against the limit: past the retirement month, within)
            let lim = month::limit_now(&limit, count, m.period);
            if !complete(m) {
                // (said once every programme has been tried: `month::incomplete_row`)
                let one = month::OneLimit {
                    count,
                    hires_before,
                    one_max,
                };
                let row = month::incomplete_row(ctx, *prog, m, &info, &lim, &one);
                incomplete_rows.push((m.period, row));
                continue;
            }
            // (a month no rule was in force for says so whatever the limit: a month before the
            // document is not “beyond the limit” once the limit is used — a cold review)
            let amount = match prog.amount(ctx, m.period) {
                Ok(a) => a,
                Err(e @ ParamError::NotInForce { .. }) => {
                    out.exceptions
                        .push(info(Code::NoRuleInForce, no_amount(code, m.period, &e)));
                    continue;
                }
                Err(e) => return Err(Error::Param(code, e)),
            };
            if !lim.within {
                // (with the month's amount, as a hire's limit row: a cold review; past the
                // retirement month in the hire's words)
                // (not where another programme pays the month — a graduate's, past the hardship
                // limit: said as an incomplete month is, once every programme has been tried;
                // a regression review)
                let (c, msg) = past_limit(m.period, lim.retired, &lim.note);
                incomplete_rows.push((m.period, info(c, msg).amount(Money::round(amount.value))));
                continue;
            }
            count += 1;
            let mut params = finding.params.clone();
            params.push(amount.clone());
            params.extend(lim.params);
            let amount = Money::round(amount.value);
            let line_id = ctx.payment_id(code, &payee, m.person, m.period, seq);
            if let Some(reason) = &retry {
                out.exceptions.push(
                    info(
                        Code::PaymentRetry,
                        format!(
                            "the earlier line for {} was returned as failed by the bank ({reason}): paid again",
                            m.period
                        ),
                    )
                    .amount(amount)
                    .for_line(&line_id),
                );
            }
            out.payments.push(month::line(
                ctx,
                (code, &payee),
                m,
                month_key,
                line_id,
                (amount, &lim.note),
                (&finding.why, params),
            ));
        }
    }
    out.exceptions.extend(
        already
            .into_iter()
            .filter(|(q, _)| !qualified.contains(q))
            .map(|(_, x)| x),
    );
    let paid: Vec<Month> = out
        .payments
        .iter()
        .filter_map(|p| p.service_month)
        .collect();
    let said: Vec<Month> = incomplete_rows
        .iter()
        .filter(|(m, _)| !paid.contains(m))
        .map(|(m, _)| *m)
        .collect();
    out.exceptions.extend(
        incomplete_rows
            .into_iter()
            .filter(|(m, _)| !paid.contains(m))
            .map(|(_, x)| x),
    );
    // (the first programme's rows of the months none pays: all of them when none qualifies;
    // beside one that pays other months, those of the months it pays not and says nothing of —
    // a grader found a hardship month's arrears silent once the graduate programme paid the
    // next month, though a later run paid it on the 补缴)
    out.exceptions.extend(
        fallback
            .into_iter()
            .filter(|(m, x)| {
                // (only its rows of missing insurances then: the other programme says the
                // months it looks at employed or past a limit itself — a cold review found such
                // a row said twice)
                qualified.is_empty()
                    || (matches!(
                        x.code,
                        Code::FlexibleIncomplete | Code::SiPaidAfterPayoutMonth
                    ) && !(paid.contains(m) || said.contains(m)))
            })
            .map(|(_, x)| x),
    );
    Ok(out)
}
