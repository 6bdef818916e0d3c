//! The run's own rows, about no input row: a payout month before any of the pipeline's rules,
//! files (or flexible-employment rows) no enabled programme reads, funding sources without a
//! payer account (`run_rows`).

use super::none_reads;
use crate::domain::Month;
use crate::exceptions::{Code, Exception};
use crate::outputs::payments::Line;
use crate::pipeline::Pipeline;
use crate::programmes;
use crate::registers::Inputs;

/// Pushes the run's own rows onto `exceptions` (`loan_rows`: the loan file's rows read).
pub(super) fn run_rows(
    pipeline: &Pipeline,
    payout: Month,
    inputs: &Inputs,
    loan_rows: usize,
    lines: &[Line],
    exceptions: &mut Vec<Exception>,
) {
    // a payout month before any of the pipeline's rules: nothing can be paid, and the run
    // says why rather than finishing empty without a word
    if let Some(begin) = pipeline.rules_begin().filter(|b| payout.last_day() < *b) {
        tracing::warn!(%begin, "the payout month precedes the pipeline's rules");
        exceptions.push(Exception::new(
            Code::NoRuleInForce,
            format!(
                "payout month {payout} ends before {begin}, the first day any programme of pipeline {} is in force: no service month up to {payout} can be paid under it",
                pipeline.name
            ),
        ));
    }
    // a file whose rows no enabled programme reads (Songyuan's loan book: its text gives no
    // loan terms; Jinan's contributions and contracts, its SI subsidies waiting for the
    // provincial figures): its rows are read and checked, and nothing is paid from them — said
    // once a file, not left to `"enabled": false` in summary.json (a cold review; Jinan's two
    // registers since 2026-12-02, a second one)
    use programmes::{
        internship, loan_default_compensation as ldc, loan_interest as li, public_welfare_post,
        si_graduate_flexible, si_hardship_flexible, si_hardship_hire, si_redeployment,
        si_sme_graduate_hire, si_startup_founder,
    };
    let si_and_interns = [
        si_hardship_hire::CODE,
        si_sme_graduate_hire::CODE,
        si_startup_founder::CODE,
        si_hardship_flexible::CODE,
        si_graduate_flexible::CODE,
        si_redeployment::CODE,
        public_welfare_post::CODE,
        internship::BASE,
        internship::MENTOR,
        internship::RETENTION,
    ];
    // (the loan rules that read a register, where the pipeline sets them: the （十三） rule
    // for local borrowers reads SI months; Jiangyin's job creators' hires and projects' staff
    // read the contracts)
    let loans_read = |params: &[&str]| {
        pipeline.enabled(li::CODE).is_some()
            && params
                .iter()
                .all(|n| pipeline.params.first_from(n).is_some())
    };
    let loans_read_si = loans_read(&["loan_interest.target_local_hukou", programmes::LOCAL_SI]);
    let loans_read_contracts = loans_read(&["loan_interest.sme_max_principal_per_hire"])
        || loans_read(&["loan_interest.max_principal_listed"]);
    let mut contributions_said = false;
    for (file, rows, codes, other_reader) in [
        (
            "contributions.csv",
            inputs.contributions.len(),
            &si_and_interns[..],
            loans_read_si,
        ),
        (
            "employment.csv",
            inputs.registers.employment.len(),
            &si_and_interns[..],
            loans_read_contracts,
        ),
        (
            "internships.csv",
            inputs.internships.len(),
            &[internship::BASE, internship::MENTOR, internship::RETENTION][..],
            false,
        ),
        (
            "loan_repayments.csv",
            loan_rows,
            &[li::CODE, ldc::CODE][..],
            false,
        ),
    ] {
        if rows > 0 && !other_reader && codes.iter().all(|c| pipeline.enabled(c).is_none()) {
            contributions_said |= file == "contributions.csv";
            let which = none_reads(pipeline, codes, "");
            exceptions.push(Exception::new(
                Code::NoProgrammeForFile,
                format!(
                    "{file}: {rows} row(s) read and checked, but no programme of pipeline {} reads them ({which}): nothing is paid from them",
                    pipeline.name,
                ),
            ));
        }
    }
    // flexible-employment rows (no employer) with neither flexible programme on — Suzhou,
    // Songyuan and Jiangyin leave their amounts to the published standard; Jinan reads no
    // contributions as shipped, said for the whole file above — nor the founders' own: said
    // once, so that the analyst sees the months waiting on the standard (a cold review found
    // qualifying flexible workers with no row at all)
    // (with the founders' own programme on, the rows of persons who founded an employer are
    // its to read: the others' are said — a regression review found them silent then)
    let flexible_readers = [si_hardship_flexible::CODE, si_graduate_flexible::CODE];
    // (the contributions passed over only when the row can be said: a flexible programme on
    // reads them itself)
    if !contributions_said
        && flexible_readers
            .iter()
            .all(|c| pipeline.enabled(c).is_none())
    {
        let founders: rustc_hash::FxHashSet<u32> =
            if pipeline.enabled(si_startup_founder::CODE).is_some() {
                use crate::ingest::records::Lookup;
                let reg = &inputs.registers;
                reg.employers
                    .iter()
                    .filter_map(|e| e.founder_id.as_ref().and_then(|f| Lookup::person(reg, f)))
                    .collect()
            } else {
                Default::default()
            };
        let flexible: Vec<u32> = inputs
            .contributions
            .iter()
            .filter(|c| c.employer.is_none() && !founders.contains(&c.person))
            .map(|c| c.person)
            .collect();
        if !flexible.is_empty() {
            let persons = flexible.iter().collect::<rustc_hash::FxHashSet<_>>().len();
            let which = none_reads(
                pipeline,
                &flexible_readers,
                ": their amounts are the published standard the bureau sets",
            );
            exceptions.push(Exception::new(
                Code::NoProgrammeForFile,
                format!(
                    "contributions.csv: {} flexible-employment row(s) (employer_id empty) of {persons} person(s){} read and checked, but no programme of pipeline {} reads them ({which}): nothing is paid from them",
                    flexible.len(),
                    if founders.is_empty() { "" } else { " who founded no employer" },
                    pipeline.name,
                ),
            ));
        }
    }
    for f in &pipeline.funding {
        let (n, total) = lines
            .iter()
            .filter(|l| f.programmes.iter().any(|p| p == l.programme))
            .fold((0usize, crate::domain::Money::ZERO), |(n, t), l| {
                (n + 1, t + l.amount)
            });
        if n > 0 && (f.account.is_none() || f.bank_code.is_none()) {
            exceptions.push(
                Exception::new(
                    Code::PayerAccountUnset,
                    format!(
                        "funding source {} ({}) has no payer account or bank code in the pipeline: its bank files carry UNSET and no bank will execute them, yet the ledger records their lines as sent; set funding.{}.account and bank_code in the bureau's pipeline and re-run this month before any later one — once a later month has run, record these lines failed (`disburse reconcile`, status failed) and the next run pays them again",
                        f.id, f.name, f.id
                    ),
                )
                .amount(total),
            );
        }
    }
}
