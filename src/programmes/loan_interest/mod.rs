//! `loan_interest`: interest subsidy (贴息 / 奖息) on guaranteed start-up loans (创业担保贷款).
//!
//! - 苏府〔2017〕158号 （十六）: loans ≤ 50万, ≤ 3 years; individual loans at ≤ benchmark + 3
//!   points; target borrowers repaying on time get the interest in full (全额奖息); borrowers
//!   outside the target groups 50% of the benchmark-rate interest (按照基准利率50%给予贴息).
//! - 澄政发〔2019〕18号 （九）: ≤ 30万 (50万 for listed projects or projects employing 6+),
//!   ≤ 3 years; listed groups 100%, others 50%; small/micro enterprises hiring eligible people:
//!   ≤ 10万 per hire, ≤ 300万, ≤ 2 years, 50% at the benchmark rate.
//! - 济南 （九）: individuals ≤ 10万, ≤ 3 years, years 1–2 in full, year 3 none, rate ≤
//!   benchmark on the contract date + 2 points; small/micro ≤ 300万, ≤ 2 years, share 按规定.
//!
//! Per instalment paid on time (paid on or before its due date, and by the end of the payout
//! month) and not yet subsidised: interest recomputed on the principal outstanding, checked
//! against the bank's figure (a difference beyond a cent is held), then
//! `share × min(outstanding, principal cap) × rate × subsidised days / day count`, where the
//! rate is the contract rate capped at benchmark + markup (or the benchmark itself where the
//! share is “of the benchmark-rate interest”), subsidised days are those of the accrual period
//! inside the subsidised years from the loan start, and the result never exceeds the interest
//! the bank charged. Terms are taken as in force on the loan's start date (the contract date).

use super::loans::{self, Loan};
use super::{Ctx, Outcome, Payee};
use crate::domain::{years_end, Date, Month};
use crate::exceptions::Code;
use crate::ingest::records::{Borrower, LoanRow};
use crate::pipeline::ParamError;
use rayon::prelude::*;

mod caps;
mod line;
mod price;
mod review;
mod survey;
mod terms;

use caps::SharedCaps;
use price::Pricer;
pub use terms::borrower_outside;
use terms::{Staff, Terms};

pub const CODE: &str = "loan_interest";

/// Parameters every pipeline enabling the programme sets.
pub const PARAMS: &[&[&str]] = &[&[
    "benchmark_rate.pboc_1y",
    "lpr.1y",
    "loan_interest.day_count",
    "loan_interest.max_principal",
    "loan_interest.subsidy_years",
    "loan_interest.share_target_groups",
]];

/// Parameters a pipeline sets where its text has the rule; declared but unset (a published
/// standard), the loans that need them are held.
pub const OPTIONAL: &[&str] = &[
    super::loans::LPR_REFORM,
    "loan_interest.share_others",
    "loan_interest.others_at_benchmark",
    "loan_interest.max_rate_markup",
    "loan_interest.max_principal_listed",
    "loan_interest.listed_min_employees",
    "loan_interest.graduate_window_years",
    "loan_interest.target_local_hukou",
    "loan_interest.sme_max_principal",
    "loan_interest.sme_years",
    "loan_interest.sme_share",
    "loan_interest.sme_at_benchmark",
    "loan_interest.sme_max_principal_per_hire",
    "loan_interest.sme_min_contract_years",
    "loan_interest.founders_enterprises",
    WHOLE_MONTHS,
];

/// 1 = a bank figure by PBoC's whole-month formula (months × annual rate / 12, odd days at the
/// daily rate) is the interest charged as well as one by days (银发〔2005〕129号 gives both).
pub const WHOLE_MONTHS: &str = "loan_interest.whole_months";

/// Optional parameters that need others declared beside them (checked before a run reads
/// anything, so that a missing companion does not stop the run in the month its first loan
/// appears).
pub const DEPENDS: &[(&str, &[&str])] = &[
    (
        "loan_interest.sme_share",
        &["loan_interest.sme_max_principal", "loan_interest.sme_years"],
    ),
    (
        "loan_interest.sme_max_principal_per_hire",
        &[
            "loan_interest.sme_min_contract_years",
            "loan_interest.graduate_window_years",
        ],
    ),
    (
        "loan_interest.max_principal_listed",
        &["loan_interest.listed_min_employees"],
    ),
];

/// Who the pipeline pays: the lending bank (default) or the borrower.
fn payee(ctx: &Ctx, r: &LoanRow) -> Payee {
    let to_borrower = ctx
        .pipeline
        .programmes
        .get(CODE)
        .and_then(|p| p.payee.as_deref())
        == Some("borrower");
    match (to_borrower, r.borrower) {
        (true, Borrower::Person(i)) => Payee::Person(i),
        (true, Borrower::Employer(e)) => Payee::Employer(e),
        (false, _) => Payee::Bank(r.lender_bank.to_string()),
    }
}

/// The bureau's entry finding a borrower's project listed — Jiangyin （九）“市级以上创业之星、
/// 全民创业大赛获奖项目、优秀大学生创业项目……经综合评估后给予最高50万元贷款额度” —: 1 from the
/// finding, for the borrower's resident ID or credit code (or the founder of an enterprise
/// borrower whose loan is theirs). Read where `loan_interest.max_principal_listed` is set.
pub fn listed_entry(borrower_id: &str) -> String {
    format!("loan_interest.listed.{borrower_id}")
}

/// One loan in this run: what every step of its pricing reads.
struct LoanRun<'r, 'c> {
    ctx: &'r Ctx<'c>,
    reg: &'r crate::registers::Registers,
    loan: &'r Loan<'r>,
    head: &'r LoanRow,
    payee: Payee,
    /// the month of instalment N is `loan#N`, of its retries `loan#N+seq` (`loans::key_prefix`)
    prefix: crate::outputs::payments::KeyPrefix,
    /// the payout month's last day
    end: Date,
}

impl<'r, 'c> LoanRun<'r, 'c> {
    fn new(ctx: &'r Ctx<'c>, loan: &'r Loan<'r>) -> Self {
        let head = loan.head();
        LoanRun {
            ctx,
            reg: &ctx.inputs.registers,
            loan,
            head,
            payee: payee(ctx, head),
            prefix: loans::key_prefix(&ctx.pipeline.name, CODE),
            end: ctx.payout.last_day(),
        }
    }

    /// The month key of instalment `r`'s line `seq` (0 its first, then its retries).
    fn key(&self, r: &LoanRow, seq: u32) -> u128 {
        let mut no = itoa::Buffer::new();
        let no = no.format(r.instalment_no);
        if seq == 0 {
            self.prefix.key(&[&r.loan_id, "#", no])
        } else {
            self.prefix
                .key(&[&r.loan_id, "#", no, "+", itoa::Buffer::new().format(seq)])
        }
    }
}

/// The day the pipeline's `loan_interest` rules begin: the first date of its share for target
/// borrowers (a document sets it with the rest of its loan terms). An instalment due before it
/// was governed by earlier rules, as an SI month before a programme's parameters is.
fn rules_from(ctx: &Ctx) -> Option<Date> {
    ctx.params.first_from("loan_interest.share_target_groups")
}

/// The last day of a loan's subsidised term: the contract's term (`term_months`), at most
/// `subsidy_years` (“期限最长不超过3年”; instalments of an extension past the contract, 展期, are
/// not subsidised).
fn subsidised_until(head: &LoanRow, t: &Terms) -> Date {
    subsidised_through(head, t.years)
}

/// `subsidised_until` for terms of `years` years: the day before the loan matures — the same
/// day of the month the term (or the years) later, or that month's last day where it has none
/// (Civil Code art. 202 “没有对应日的，月末日为期间的最后一日”: a loan drawn on 31 January for a
/// month matures on 28 February, as one drawn on the 28th does — a cold review found the one
/// from the 31st subsidised a day more, to 28 February).
fn subsidised_through(head: &LoanRow, years: i32) -> Date {
    let years_end = years_end(head.start_date, years);
    let term_end = head
        .start_date
        .checked_add_months(chrono::Months::new(head.term_months));
    // (a term past the calendar's end: the years alone)
    term_end
        .map_or(years_end, |t| years_end.min(t))
        .pred_opt()
        .unwrap_or(head.start_date)
}

/// Whether instalment `r` has no day in the subsidised window (`start..=end`: from the rules'
/// first day to the end of the subsidised term) because of the term: it begins after the term,
/// or its days from the window's start on (it has some) all lie after the term's end.
fn past_term(r: &LoanRow, (start, end): (Date, Date)) -> bool {
    r.accrual_start > end
        || (r.accrual_end >= start
            && loans::days_within(r.accrual_start, r.accrual_end, start, end) == 0)
}

/// `LOAN_BEYOND_TERM` for instalment `r`, whose days are all after `window_end` (or whose
/// days under the rules are).
fn beyond_term(
    reg: &crate::registers::Registers,
    r: &LoanRow,
    head: &LoanRow,
    years: i32,
    window_end: Date,
) -> crate::exceptions::Exception {
    loans::about(
        reg,
        r,
        Code::LoanBeyondTerm,
        CODE,
        if r.accrual_start > window_end {
            format!(
                "loan {} instalment {} accrues {}..{}, after the subsidised term ending {window_end} (the contract's {} months, at most {} years)",
                r.loan_id, r.instalment_no, r.accrual_start, r.accrual_end, head.term_months, years
            )
        } else {
            // (straddling the rules' first day: its days before it were the earlier rules', its
            // days from it past the term)
            format!(
                "loan {} instalment {} accrues {}..{}: its days from the rules' first day on are after the subsidised term ending {window_end} (the contract's {} months, at most {} years), its days before that day were the earlier rules'",
                r.loan_id, r.instalment_no, r.accrual_start, r.accrual_end, head.term_months, years
            )
        },
    )
}

/// Prices one loan's instalments into `out`: sorts them (`LoanRun::survey`), says why a loan
/// its terms do not subsidise now gets nothing (`without_terms`), prices the instalments
/// (`Pricer`), looks again at those earlier runs paid (`review_earlier`) and makes the lines
/// (`pay`).
fn one_loan(
    ctx: &Ctx,
    (staff, shared): (&Staff, &SharedCaps),
    rules_from: Option<Date>,
    loan: &Loan,
    out: &mut Outcome,
) -> Result<(), ParamError> {
    let run = LoanRun::new(ctx, loan);
    let (s, terms_now) = run.survey((staff, shared), rules_from, out);
    // (an instalment paid earlier to look at again is work too: a regression review found the
    // review skipped in a run with nothing due)
    if s.is_empty() {
        return Ok(());
    }
    let t = match terms_now {
        Ok(t) => t,
        Err(m) => return run.without_terms(m, &s, out),
    };
    let window_end = subsidised_until(run.head, &t);
    // (and from the day the rules begin: the days before it were the earlier rules'; and from
    // the first day of the share the loan is priced with, when that share began after the loan
    // — a bureau's 按规定 share dated later than the document covers no earlier day)
    let window_start = rules_from
        .map_or(run.head.start_date, |d| d.max(run.head.start_date))
        .max(t.share.from);
    // (an instalment not repaid on time and past the subsidised term: the term is the reason —
    // also one straddling the rules' start whose days under the rules all lie past the term:
    // a differential review found it said LOAN_UNPAID, and NO_RULE_IN_FORCE when repaid on time)
    for &i in &s.not_paid {
        let r = loan.rows[i];
        out.exceptions
            .push(if past_term(r, (window_start, window_end)) {
                beyond_term(run.reg, r, run.head, t.years, window_end)
            } else {
                run.not_on_time_row(r)
            });
    }
    if s.nothing_but_not_paid() {
        return Ok(());
    }
    let pricer = Pricer::new(
        &run,
        &t,
        (window_start, window_end),
        shared,
        &s.candidates,
        out,
    )?;
    run.review_earlier(&pricer, &s, out);
    run.pay(&pricer, s, out)
}

/// The limit group under which the ledger remembers a start-up the guaranteed loan's interest
/// subsidy first supported (`first_applications`: the person, the first subsidised month, and
/// the loan's start as the day judged), for the district targets' 支持成功自主创业人数
/// (`run::targets`).
pub const STARTUP_GROUP: &str = "startup/loan_interest";

/// Whether the pipeline counts start-ups (district targets `supported_startups*`).
fn counts_startups(ctx: &Ctx) -> bool {
    ctx.pipeline
        .params
        .iter()
        .any(|(n, _)| n.starts_with("targets.") && n.contains(".supported_startups"))
}

/// The person a loan supports starting a business — an individual borrower, or an enterprise's
/// founder (the enterprise itself when the registers name none) —, or none for a small firm's
/// job-creation loan (no one starting a business).
fn startup_person(ctx: &Ctx, head: &LoanRow) -> Option<String> {
    if head.borrower_group == "sme_job_creator" {
        return None;
    }
    let reg = &ctx.inputs.registers;
    Some(match head.borrower {
        Borrower::Person(i) => reg.person(i).id.to_string(),
        Borrower::Employer(e) => {
            let firm = reg.employer(e);
            firm.founder_id
                .map_or_else(|| firm.id.to_string(), |f| f.to_string())
        }
    })
}

/// For a pipeline with start-up targets: the persons this run first supports with an interest
/// subsidy (`one_loan`'s records, one per loan subsidised now), each once — at the earliest
/// start among their loans subsidised now —, unless the ledger has them. (Until a review the
/// targets read every earlier loan line of the ledger each run; a regression review then found
/// a borrower's oldest loan, never subsidised, giving the year.)
fn startups_supported(ctx: &Ctx, out: &mut Outcome) {
    let mut firsts: std::collections::BTreeMap<String, (Month, Date)> = Default::default();
    out.first_applications.retain(|a| {
        if a.limit_group != STARTUP_GROUP {
            return true;
        }
        let e = firsts
            .entry(a.beneficiary_id.clone())
            .or_insert((a.first, a.judged_on));
        *e = (e.0.min(a.first), e.1.min(a.judged_on));
        false
    });
    out.first_applications.extend(
        firsts
            .into_iter()
            .filter(|(id, _)| {
                ctx.history
                    .first_application_run(STARTUP_GROUP, id)
                    .is_none()
            })
            .map(|(id, (first, start))| crate::ledger::FirstApplication {
                limit_group: STARTUP_GROUP.to_string(),
                beneficiary_id: id,
                first,
                judged_on: start,
            }),
    );
}

/// Runs `loan_interest` over the checked loans.
pub fn run(ctx: &Ctx, book: &[Loan], held: &[Vec<&LoanRow>]) -> Result<Outcome, ParamError> {
    let staff = Staff::new(ctx);
    let held: Vec<Loan> = held
        .iter()
        .map(|rows| Loan {
            rows: rows.clone(),
            half_open: false,
            inclusive: false,
        })
        .collect();
    let shared = SharedCaps::of(ctx, &staff, book.iter().chain(held.iter()));
    let rules_from = rules_from(ctx);
    // (an outcome per run of loans, not per loan: 100k loans a month)
    let counted = counts_startups(ctx);
    let parts: Vec<Result<Outcome, ParamError>> = book
        .par_chunks(512)
        .map(|loans| {
            let mut out = Outcome::default();
            for l in loans {
                let before = out.payments.len();
                one_loan(ctx, (&staff, &shared), rules_from, l, &mut out)?;
                // (a loan subsidised now supports its borrower's start-up: recorded per loan)
                if !counted {
                    continue;
                }
                let first = out.payments[before..]
                    .iter()
                    .filter_map(|p| p.service_month)
                    .min();
                if let (Some(first), Some(person)) = (first, startup_person(ctx, l.head())) {
                    out.first_applications
                        .push(crate::ledger::FirstApplication {
                            limit_group: STARTUP_GROUP.to_string(),
                            beneficiary_id: person,
                            first,
                            judged_on: l.head().start_date,
                        });
                }
            }
            Ok(out)
        })
        .collect();
    // (the first error in the book's order)
    let mut out = Outcome::concat(parts.into_iter().collect::<Result<_, _>>()?);
    if counted {
        startups_supported(ctx, &mut out);
    }
    // (loans with something new this run: how many started after a mark, and how many of
    // their instalments the marks spared keying)
    tracing::debug!(
        loans = book.len(),
        progressed = out.loan_progress.len(),
        from_a_mark = out.loan_progress.iter().filter(|p| p.from > p.pre).count(),
        instalments_skipped = out
            .loan_progress
            .iter()
            .map(|p| u64::from(p.from - p.pre))
            .sum::<u64>(),
        "loans: marks"
    );
    Ok(out)
}
