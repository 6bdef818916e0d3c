//! A payout run: pipeline → inputs → programmes → payable lines and holds → output files.

mod notices;
mod payees;
mod screen;
mod targets;
mod verify;

use targets::reemployments;
pub use targets::{targets, Cases, REEMPLOYED_GROUP};
pub use verify::{verify_bank, BankVerdict};

use crate::domain::Month;
use crate::exceptions::{Code, Exception};
use crate::ingest::IngestError;
use crate::ledger::{History, Ledger, LedgerError};
use crate::outputs::{self, payments::Line, FileHash};
use crate::pipeline::{Pipeline, PipelineError};
use crate::programmes::{self, Ctx, ProgrammeError};
use crate::registers::{self, FileStats, Inputs};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tracing::info;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Programme(#[from] ProgrammeError),
    #[error("cannot write the output folder {0}: {1}")]
    Write(PathBuf, std::io::Error),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("{0}")]
    Returns(String),
    #[error("internal error: {0}")]
    Internal(String),
    #[error("bank file: {0}")]
    Bank(String),
    /// Rows that need a value the pipeline leaves to the published standard (INPUTS.md:
    /// “enabling that programme without setting it must stop the run with a clear message”).
    #[error("{0}")]
    UnsetForRows(String),
    /// A payout month after the current one (China time): a typo (2081-09 for 2018-09) would
    /// pay months no extract has reached and, recorded, refuse every real month after it.
    #[error("payout month {0} is after the current month {1}: a payout month is one that has begun (a typo?)")]
    FutureMonth(Month, Month),
    #[error("{0}")]
    AmountOutOfRange(String),
    /// `run --no-wait`: another run is writing into the output folder.
    #[error("the output folder {0} is in use by another disburse run (--no-wait)")]
    FolderBusy(PathBuf),
    /// The output folder holds another run's files (docs/CLI.md, “The output folder”).
    #[error("{0}")]
    FolderTaken(String),
}

impl RunError {
    /// Whether the failure is another process holding the ledger or the output folder.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            RunError::Ledger(LedgerError::Busy(..)) | RunError::FolderBusy(_)
        )
    }
}

/// What `run` reports back to the command line.
pub struct Report {
    pub lines: usize,
    pub total: crate::domain::Money,
    pub exceptions: usize,
    pub rejects: usize,
    pub stats: Vec<FileStats>,
}

/// Stops the run when a row needs a parameter the pipeline leaves unset (an enterprise loan's
/// 按规定 share, a default's compensation share the text does not give): a value left to the
/// published standard is an error to use, never a guess — nor a hold that lets the month be
/// paid without it. Every parameter a run always needs is checked when the pipeline loads;
/// these are needed only by some rows, so the rows are named.
fn unset_for_rows(rows: &[Exception]) -> Result<(), RunError> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let mut msg = format!(
        "{} row(s) need a parameter this pipeline leaves unset (a value the policy leaves to the published standard, 按规定): set it in the pipeline (a bureau's file that extends it) or disable the programme, then run again; nothing was written. First: {}",
        rows.len(),
        first.message
    );
    for x in rows.iter().take(5) {
        let at = x
            .source
            .as_ref()
            .map_or(String::new(), |(f, l)| format!("{f}:{l}"));
        msg.push_str(&format!("\n  {at} ({})", x.programme.unwrap_or("")));
    }
    if rows.len() > 5 {
        msg.push_str(&format!("\n  … and {} more", rows.len() - 5));
    }
    Err(RunError::UnsetForRows(msg))
}

/// Loads and checks a pipeline: every enabled programme implemented, its parameters set.
pub fn load_pipeline(spec: &str) -> Result<Pipeline, RunError> {
    let p = Pipeline::load(spec)?;
    check_pipeline(&p)?;
    info!(pipeline = %p.name, sha256 = %p.hash(), "pipeline loaded");
    Ok(p)
}

/// The run's checks of a loaded pipeline: its input spec, and every enabled programme
/// implemented with its parameters declared, set and in range.
fn check_pipeline(p: &Pipeline) -> Result<(), RunError> {
    registers::check_input_spec(p).map_err(|m| ProgrammeError::Pipeline(p.name.clone(), m))?;
    programmes::check_enabled(p)?;
    Ok(())
}

/// Reads and validates the input folder.
pub fn load_inputs(pipeline: &Pipeline, input: &Path) -> Result<Inputs, RunError> {
    let t = Instant::now();
    let inputs = registers::load(input, pipeline)?;
    inputs.stats.iter().for_each(log_read);
    info!(
        elapsed_ms = t.elapsed().as_millis() as u64,
        "inputs validated"
    );
    Ok(inputs)
}

/// Reads and validates the input folder but the loan file, which `compute` reads beside the
/// programmes that need no loans.
pub fn load_inputs_but_loans(
    pipeline: &Pipeline,
    input: &Path,
) -> Result<(Inputs, registers::LoanFile), RunError> {
    let t = Instant::now();
    let (inputs, loans) = registers::load_but_loans(input, pipeline)?;
    inputs.stats.iter().for_each(log_read);
    info!(
        elapsed_ms = t.elapsed().as_millis() as u64,
        "inputs validated (the loan file is read beside the programmes)"
    );
    Ok((inputs, loans))
}

/// Logs a file's counts.
fn log_read(s: &registers::FileStats) {
    info!(file = %s.file, encoding = %s.encoding, read = s.read, used = s.used, rejected = s.rejected, "input read");
    // (a file whose every row is rejected — a wrong encoding forced, a shifted layout — pays
    // nothing from it; the run completes, and says so where cron logs are read)
    if s.read > 0 && s.used == 0 {
        tracing::warn!(file = %s.file, rejected = s.rejected, "every row of the file was rejected (see exceptions.csv): nothing is paid from it");
    }
}

/// The computed run, before anything is written.
pub struct Computed {
    pub lines: Vec<Line>,
    pub exceptions: Vec<Exception>,
    /// what loan pricing learnt for the ledger's marks (`ledger::LoanProgress`)
    pub loan_progress: Vec<crate::ledger::LoanProgress>,
    /// flexible months seen with one of pension and medical paid (`ledger::FlexSeen`)
    pub flexible_seen: Vec<crate::ledger::FlexSeen>,
    /// employer SI rows paid after the payout month (`ledger::LateSeen`)
    pub si_late_seen: Vec<crate::ledger::LateSeen>,
    /// the months a 足额 programme withheld (`si_waiting`)
    pub si_waiting: Vec<crate::ledger::SiWaiting>,
    /// interns' host-insured months (`ledger::InternSiSeen`)
    pub intern_si_seen: Vec<crate::ledger::InternSiSeen>,
    /// the first applications the run makes (`ledger::FirstApplication`)
    pub first_applications: Vec<crate::ledger::FirstApplication>,
    /// the district's re-employments as this run's registers show them (`reemployments`), all
    /// of them: the district targets count from them, the ledger keeps those that are new
    pub reemployments: Vec<crate::ledger::FirstApplication>,
    /// the placements the roster lists, with their days (`ledger::InternPlacement`)
    pub intern_placements: Vec<crate::ledger::InternPlacement>,
    /// lines withheld, recorded as holds so that later runs keep them in view
    pub held: Vec<crate::ledger::Held>,
    /// lines withheld again as an earlier run recorded them (not recorded again): cases all
    /// the same for the district targets
    pub held_again: Vec<crate::ledger::Held>,
    /// the month's earlier run this run replaces, as summary.json's `replaces_run`
    pub replaced: Option<serde_json::Value>,
    /// a district pipeline's rows left to other districts, as summary.json's `outside_district`
    pub outside_district: Option<serde_json::Value>,
}

/// The register row that holds a line's payee and its account (where the account is fixed).
fn at_payee_row(x: Exception, line: &Line, reg: &registers::Registers) -> Exception {
    use crate::ingest::records::Lookup;
    match line.payee_kind {
        "person" => match crate::domain::ResidentId::parse(&line.payee_id)
            .ok()
            .and_then(|id| Lookup::person(reg, &id))
        {
            Some(i) => x.at("persons.csv", reg.persons[i as usize].line),
            None => x,
        },
        "employer" => match crate::domain::CreditCode::parse(&line.payee_id)
            .ok()
            .and_then(|id| Lookup::employer(reg, &id))
        {
            Some(i) => x.at("employers.csv", reg.employers[i as usize].line),
            None => x,
        },
        _ => x,
    }
}

/// A withheld line's derivation, clause and rows, for the row that withholds it: the line is
/// in no payments.csv until its payee is fixed, and an auditor traces the amount withheld from
/// the row alone (an auditor's trace found it traceable only by re-running).
fn derivation_of(line: &Line) -> String {
    format!("{} ({}; {})", line.basis, line.clause, line.sources)
}

/// Fills an exception's person (the beneficiary) and employer (an employer payee).
fn identify(mut x: Exception, line: &Line) -> Exception {
    if let Ok(id) = crate::domain::ResidentId::parse(&line.beneficiary_id) {
        x = x.person(id);
    } else if let Ok(id) = crate::domain::CreditCode::parse(&line.beneficiary_id) {
        x = x.employer(id);
    }
    if line.payee_kind == "employer" {
        if let Ok(id) = crate::domain::CreditCode::parse(&line.payee_id) {
            x = x.employer(id);
        }
    }
    x
}

/// The run's one `OUTSIDE_REGION` row, from summary.json's `outside_district` counts: `None`
/// when nothing was left out.
fn outside_region_row(o: &serde_json::Value) -> Option<Exception> {
    let n = |k: &str| o.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
    let (si, interns, loan_rows, loans, unlinked) = (
        n("contribution_rows"),
        n("internship_rows"),
        n("loan_rows"),
        n("loans"),
        n("unlinked_individual_loans"),
    );
    if si + interns + loan_rows + unlinked == 0 {
        return None;
    }
    let region = o.get("region").and_then(|r| r.as_str()).unwrap_or("?");
    let unlinked = if unlinked > 0 {
        format!("; {unlinked} loan(s) of individual borrowers whom the registers link to no district (no start-up founded) are paid as this district's — with a whole city's extract, check that they are")
    } else {
        String::new()
    };
    Some(Exception::new(
        Code::OutsideRegion,
        format!(
            "{si} contribution rows, {interns} internship rows and {loan_rows} loan rows ({loans} loans) are of employers, hosts or borrowers registered outside region {region} (employers.csv region): no programme of this pipeline considers them{unlinked} (summary.json outside_district)"
        ),
    ))
}

/// The one-subsidy-per-month group of a programme (`programmes::ONE_SUBSIDY_PER_MONTH`), or
/// none.
fn family(p: &str) -> &'static [&'static str] {
    programmes::ONE_SUBSIDY_PER_MONTH
        .iter()
        .find(|f| f.contains(&p))
        .map_or(&[][..], |f| &f[..])
}
// (group, payee, beneficiary, month): one subsidy per month within a group
type GroupKey<'a> = (&'static str, &'a str, &'a str, &'a str);
fn group_key<'a>(
    programme: &str,
    payee: &'a str,
    who: &'a str,
    month: &'a str,
) -> Option<GroupKey<'a>> {
    family(programme).first().map(|&f| (f, payee, who, month))
}

/// The month a withheld or failed line is owed for: (its group, or its programme, payee,
/// beneficiary, service month).
fn month_of(h: &crate::ledger::OpenHold) -> (&str, &str, &str, &str) {
    // (a loan's compensation is one whatever bank it went to: its month key names the loan
    // alone — two failures to a bank code since corrected are one compensation owed)
    if h.programme == programmes::loan_default_compensation::CODE {
        return (h.programme.as_str(), "", h.month_key.as_str(), "");
    }
    (
        family(&h.programme)
            .first()
            .copied()
            .unwrap_or(h.programme.as_str()),
        h.payee_id.as_str(),
        h.beneficiary_id.as_str(),
        h.service_month.as_str(),
    )
}

/// The latest run among `holds` for each month they are owed for (`month_of`).
fn latest_run_by_month<'a>(
    holds: impl Iterator<Item = &'a crate::ledger::OpenHold>,
) -> rustc_hash::FxHashMap<(&'a str, &'a str, &'a str, &'a str), i64> {
    let mut latest: rustc_hash::FxHashMap<_, i64> = Default::default();
    for h in holds {
        let e = latest.entry(month_of(h)).or_insert(h.run_id);
        *e = (*e).max(h.run_id);
    }
    latest
}

/// Says of each line paid for a month whose earlier line an analyst acknowledged as not owed
/// (`disburse acknowledge`), while no line of the month has stood since: in the line's
/// `PAYMENT_RETRY` row where the bank had failed it, else in an `ACKNOWLEDGED_PAID_AGAIN` row of
/// its own. `lines` are those going to the bank (a line withheld again is not said paid).
fn said_paid_again(
    history: &History,
    lines: &[Line],
    exceptions: &mut [Exception],
) -> Vec<Exception> {
    // (and those of the run a re-run of its month replaces: a contract-only review found such
    // a line paid by the re-run without a word)
    let acknowledged: rustc_hash::FxHashMap<&str, &crate::ledger::OpenHold> = history
        .open_holds
        .iter()
        .chain(&history.acknowledged_in_month)
        .filter(|h| h.acknowledged.is_some())
        .map(|h| (h.month_key.as_str(), h))
        .collect();
    let mut rows = Vec::new();
    if acknowledged.is_empty() {
        return rows;
    }
    let retries: rustc_hash::FxHashMap<&str, usize> = exceptions
        .iter()
        .enumerate()
        .filter(|(_, x)| x.code == Code::PaymentRetry)
        .filter_map(|(i, x)| Some((x.line.as_deref()?, i)))
        .collect();
    let mut notes: Vec<(usize, String)> = Vec::new();
    for l in lines {
        let Some(h) = acknowledged.get(l.month_key.as_str()) else {
            continue;
        };
        // (a month paid since the acknowledgement — a line of it stands — was said then: its
        // top-up is no line the analyst closed; a regression review found the note repeated)
        if matches!(history.seen(&l.month_key), crate::ledger::Seen::Paid(e) if e.paid) {
            continue;
        }
        let how = if h.code == "PAYMENT_FAILED" {
            "returned as failed by the bank"
        } else {
            "withheld"
        };
        let what = l
            .service_month
            .map_or("its award".to_string(), |m| m.to_string());
        let note = format!(
            "the line {} of the {} run ({how}) was acknowledged as not owed ({}); this extract's rows qualify {what} again: paid — if it is still not owed, recover the payment or correct the extract",
            h.payment_id,
            h.acknowledged_in.as_deref().unwrap_or(&h.held_in),
            h.acknowledged.as_deref().unwrap_or_default()
        );
        match retries.get(l.payment_id.as_str()) {
            Some(&i) => notes.push((i, note)),
            None => {
                // (at the month's first row of this extract, where the line rests on one — a
                // review found the row without a source though the extract held the month)
                let mut x = Exception::new(Code::AcknowledgedPaidAgain, note)
                    .programme(l.programme)
                    .amount(l.amount);
                if let Some(line) = programmes::si::this_extracts_lines(&l.sources).min() {
                    x = x.at("contributions.csv", line);
                }
                rows.push(identify(x, l))
            }
        }
    }
    for (i, note) in notes {
        let x = &mut exceptions[i];
        x.message.push_str(" — ");
        x.message.push_str(&note);
    }
    rows
}

/// Drops from `held` the lines an earlier run withheld and recorded as they are now: a line
/// withheld again is recorded again only when something of it changed (amount, programme,
/// code, its month's lines), or another line of its month was recorded since. Earlier rows are
/// never deleted (a re-run of this month must still find them). Returns the lines dropped.
fn unchanged_holds_dropped(
    history: &History,
    held: &mut Vec<crate::ledger::Held>,
) -> Vec<crate::ledger::Held> {
    if history.open_holds.is_empty() || held.is_empty() {
        return Vec::new();
    }
    let by_id: rustc_hash::FxHashMap<&str, &crate::ledger::OpenHold> = history
        .open_holds
        .iter()
        // (an acknowledged row is closed: the line withheld again is recorded anew)
        .filter(|o| o.code != "PAYMENT_FAILED" && o.acknowledged.is_none())
        .map(|o| (o.payment_id.as_str(), o))
        .collect();
    let last_of_month = latest_run_by_month(history.open_holds.iter());
    let (kept, again) = std::mem::take(held).into_iter().partition(|h| {
        let l = &h.line;
        let Some(o) = by_id.get(l.payment_id.as_str()) else {
            return true;
        };
        last_of_month
            .get(&month_of(o))
            .is_some_and(|&r| r > o.run_id)
            || o.amount_cents != l.amount.cents()
            || o.programme != l.programme
            || o.code != h.code
            || o.seq != h.seq
            || o.top_up != h.top_up
    });
    *held = kept;
    again
}

/// A register's payee columns its header does not have (INPUTS.md marks them optional), said
/// once a column, by `run` and `validate` alike, and logged: every value is absent, and a line
/// to such a payee is held (a contract-only grader's register without them stopped the run,
/// gC4 B1). The header's names read as no column are named beside it: a misspelt `acount_no`
/// is likelier than a register without the details (a regression review, gC5).
///
/// A column headed by a pipeline alias beside the column of the canonical name is said too,
/// `COLUMN_IGNORED` at the header's line: the canonical column is read, the alias's values
/// ignored however they differ (until 2026-12-07 only a log line: a grader).
fn header_exceptions(stats: &[&registers::FileStats]) -> Vec<Exception> {
    let ignored = stats.iter().flat_map(|s| {
        s.ignored.iter().map(move |(column, alias)| {
            tracing::warn!(file = %s.file, column = %column, alias = %alias, "an alias's column ignored beside the column of the canonical name");
            Exception::new(
                Code::ColumnIgnored,
                format!(
                    "{}: the header has both {column} and {alias} (an alias of {column} in the pipeline): {column} is read, the column {alias} ignored — if its values are the ones meant, remove or rename the other column",
                    s.file
                ),
            )
            .at(&s.file, 1)
        })
    });
    let absent = stats
        .iter()
        .flat_map(|s| {
            let unread = if s.unmapped.is_empty() {
                String::new()
            } else {
                format!(
                    "; the header's columns read as none of the contract's: {} — if one is it, map it in the pipeline ([input] headers) or correct the header",
                    s.unmapped.join(", ")
                )
            };
            s.absent.iter().map(move |c| {
                tracing::warn!(file = %s.file, column = %c, "the header has no column {c}: every row's {c} is taken as absent");
                Exception::new(
                    Code::ColumnAbsent,
                    format!(
                        "{}: the header has no column {c} (optional, INPUTS.md): every row's {c} is taken as absent — a line to one of its payees is held PAYEE_NO_ACCOUNT{unread}",
                        s.file
                    ),
                )
            })
        })
        .collect::<Vec<_>>();
    ignored.chain(absent).collect()
}

/// An exception about a line the ledger recorded, with its programme, person (beneficiary)
/// and employer (payee) filled in where they are of those kinds.
fn about_recorded(mut x: Exception, programme: &str, beneficiary: &str, payee: &str) -> Exception {
    if let Some(&p) = programmes::CATALOGUE.iter().find(|&&c| c == programme) {
        x = x.programme(p);
    }
    if let Ok(id) = crate::domain::ResidentId::parse(beneficiary) {
        x = x.person(id);
    }
    if let Ok(id) = crate::domain::CreditCode::parse(payee) {
        x = x.employer(id);
    }
    x
}

/// Lines earlier runs withheld, or the bank returned as failed, that are still owed while
/// this run neither pays nor withholds their month again: the extract no longer carries the
/// month (a delta extract, a row removed), so nothing else would say so. One
/// `HOLD_OUTSTANDING` row each (docs/LEDGER.md “Held lines stay in view”):
/// - a withheld line is owed until its month has a paid line beyond the `seq` lines it had
///   when withheld; a failed line until its month has a line beyond those it had when the
///   failure was applied (`failed_seq`; without it, while its month has no paid line);
/// - neither when the month is paid or withheld now, or paid under another programme of its
///   group (`programmes::ONE_SUBSIDY_PER_MONTH`) in an earlier run;
/// - a month is owed once: of its open lines under any programme of its group, the latest
///   run's whole line (withheld or failed) stands, with the top-ups withheld after it.
fn outstanding_holds(
    pipeline: &str,
    history: &History,
    lines: &[Line],
    held: &[crate::ledger::Held],
    exceptions: &mut Vec<Exception>,
) {
    use crate::ledger::Seen;
    if history.open_holds.is_empty() {
        return;
    }
    let all = || lines.iter().chain(held.iter().map(|h| &h.line));
    // this run's lines and holds, by month key: the month is handled now
    let now: rustc_hash::FxHashSet<&str> = all().map(|l| l.month_key.as_str()).collect();
    let handled: rustc_hash::FxHashSet<(&str, &str, &str, Option<Month>)> = all()
        .filter_map(|l| {
            family(l.programme).first().map(|&f| {
                (
                    f,
                    l.payee_id.as_str(),
                    l.beneficiary_id.as_str(),
                    l.service_month,
                )
            })
        })
        .collect();
    let paid = |key: &str| matches!(history.seen(key), Seen::Paid(_));
    // each line on its own: still owed, and its month not handled now or elsewhere
    let owed: Vec<&crate::ledger::OpenHold> = history
        .open_holds
        .iter()
        .filter(|h| {
            // (a loan instalment comes again with the loan book's extract, which carries every
            // instalment due; a compensation is due only while the loan is in default, which a
            // borrower catching up ends: a failed one stays in view)
            if h.programme == programmes::loan_interest::CODE || now.contains(h.month_key.as_str())
            {
                return false;
            }
            let month = Month::parse(&h.service_month).ok();
            // a public-welfare post month is the person's, keyed by them (since 2026-12-02): a
            // line an earlier build withheld or had returned under the employer's key is settled
            // by the person's month, paid or handled now (a review found it outstanding for ever)
            if h.programme == programmes::public_welfare_post::CODE && h.payee_kind == "employer" {
                let key = outputs::payments::payment_id(
                    pipeline,
                    &h.programme,
                    &h.beneficiary_id,
                    &h.beneficiary_id,
                    &h.service_month,
                );
                // (or a line of the month under any key: an older build paid it under another
                // post's employer — a review)
                let month_paid =
                    month.is_some_and(|m| history.month_paid(&h.programme, &h.beneficiary_id, m));
                if now.contains(key.as_str()) || paid(&key) || month_paid {
                    return false;
                }
            }
            let key = group_key(
                &h.programme,
                &h.payee_id,
                &h.beneficiary_id,
                &h.service_month,
            );
            let elsewhere = key.is_some_and(|(f, payee, who, _)| {
                handled.contains(&(f, payee, who, month))
                    || family(&h.programme)
                        .iter()
                        .filter(|&&c| c != h.programme)
                        .any(|c| {
                            paid(&outputs::payments::payment_id(
                                pipeline,
                                c,
                                payee,
                                who,
                                &h.service_month,
                            ))
                        })
            });
            let open = if h.code == "PAYMENT_FAILED" {
                match (h.failed_seq, history.seen(&h.month_key)) {
                    // owed until its month has a line beyond those it had when it failed (a
                    // failed top-up of a paid month, or a failed first line whose top-up was
                    // paid, too)
                    (Some(s), Seen::Paid(e) | Seen::Failed(e)) => e.lines <= s,
                    (Some(_), Seen::New) => true,
                    // failed before that count was kept: while the month has no paid line
                    (None, seen) => matches!(seen, Seen::Failed(_)),
                }
            } else {
                match history.seen(&h.month_key) {
                    Seen::Paid(e) => e.lines <= h.seq,
                    _ => true,
                }
            };
            open && !elsewhere
        })
        .collect();
    // one month is owed once: of its open lines (withheld or failed, under any programme of
    // its group), the latest run's whole line stands, with the top-ups withheld after it
    let base = latest_run_by_month(owed.iter().copied().filter(|h| !h.top_up));
    for h in owed {
        let stands = match base.get(&month_of(h)) {
            Some(&b) if h.top_up => h.run_id > b,
            Some(&b) => h.run_id == b,
            None => true,
        };
        // (an acknowledged line still stands for its month: the older lines it replaces are
        // not reported either)
        if !stands || h.acknowledged.is_some() {
            continue;
        }
        let how = if h.code == "PAYMENT_FAILED" {
            format!("returned as failed by the bank ({})", h.reason)
        } else {
            format!("withheld ({})", h.code)
        };
        let message = if h.programme == programmes::loan_default_compensation::CODE {
            format!(
                "line {} ({} of borrower {}, bank {}) of the run of {}, {how}, is still unpaid, and this run does not pay the loan's compensation (the loan is not in default at the end of this payout month, owes no principal by this extract's rows, is held for its rows, or is not in this extract): it is paid by the next run in which the loan is in default with principal outstanding; if the borrower has caught up or repaid the loan and the bank bore no loss, record it as not owed (disburse acknowledge)",
                h.payment_id, h.programme, h.beneficiary_id, h.payee_id, h.held_in,
            )
        } else {
            format!(
                "line {} ({} {}, service month {}, {} {}) of the run of {}, {how}, is still unpaid, and this run neither pays nor withholds its month again (its rows are not in this extract, or it no longer qualifies): it is paid when an extract carries the month again (ask for its rows to be sent again) and the payee is in order; where this report refuses the month (a limit reached since by another month, DURATION_LIMIT_REACHED; no longer eligible), it is not owed: record it so (disburse acknowledge)",
                h.payment_id,
                h.programme,
                h.beneficiary_id,
                h.service_month,
                h.payee_kind,
                h.payee_id,
                h.held_in,
            )
        };
        let x = Exception::new(Code::HoldOutstanding, message)
            .amount(crate::domain::Money::from_cents(h.amount_cents));
        exceptions.push(about_recorded(
            x,
            &h.programme,
            &h.beneficiary_id,
            &h.payee_id,
        ));
    }
}

/// Runs the programmes and turns their payments into payable lines or holds. The loan file
/// (`loans`, left unread by `load_inputs_but_loans`) is read here, beside the SI and internship
/// programmes — they leave a core idle at times, and the loan programmes need nothing else of
/// the inputs — and added to `all_inputs` before the lines are returned: the run's outputs read
/// the inputs whole.
pub fn compute(
    pipeline: &Pipeline,
    payout: Month,
    (all_inputs, loans): (&mut Inputs, registers::LoanFile),
    history: &History,
) -> Result<Computed, RunError> {
    let t = Instant::now();
    let inputs: &Inputs = all_inputs;
    let ctx = Ctx {
        pipeline,
        params: &pipeline.params,
        payout,
        inputs,
        history,
        nonlocal_si: Default::default(),
        nonlocal_si_recorded: Default::default(),
        earliest_paid: Default::default(),
        subsidised: Default::default(),
        placement_interns: Default::default(),
        internship_chains: Default::default(),
        founder_registrations: Default::default(),
        region: Default::default(),
        paid_for: Default::default(),
        hire_first: Default::default(),
        founder_own_paid: Default::default(),
    };
    // the loan programmes beside the others, on the loan file read in their branch; their
    // outcome follows the others' as if run after them
    let (others, loans) = rayon::join(
        || programmes::run_others(&ctx),
        || -> Result<_, RunError> {
            let table = loans.read(&inputs.registers)?;
            // (said as read: a run that stops on a programme's fault still logs the file)
            log_read(&table.stats);
            let priced = programmes::run_loans(&ctx, &table.rows, &table.rejects);
            Ok((table, priced))
        },
    );
    // (the loan file's own fault first, as when it was read with the other inputs)
    let (loans, priced) = loans?;
    let mut outcome = others?;
    outcome.extend(priced?);
    programmes::local_standing(&ctx, &mut outcome)?;
    // (a month an analyst acknowledged as not owed: not paid from the ledger's rows)
    screen::drop_acknowledged(history, &mut outcome);
    unset_for_rows(&outcome.unset)?;
    let outside_district = programmes::outside_district(&ctx, &loans.rows);
    // (the loan file's rejected rows and header after the other files', as read)
    let mut exceptions = inputs.rejects.clone();
    exceptions.extend(loans.rejects.iter().cloned());
    exceptions.extend(header_exceptions(
        &inputs
            .stats
            .iter()
            .chain([&loans.stats])
            .collect::<Vec<_>>(),
    ));
    exceptions.extend(outcome.exceptions);
    // (the rows a pipeline with a region leaves to others, said once a run: until 2026-12-04
    // only summary.json counted them, and a city's rows under another region code went unpaid
    // without a word in the report — a cold review)
    if let Some(row) = outside_district.as_ref().and_then(outside_region_row) {
        exceptions.push(row);
    }
    let loan_progress = outcome.loan_progress;
    let flexible_seen = outcome.flexible_seen;
    let mut si_late_seen = outcome.si_late_seen;
    // (a row the hire driver keeps, paid late, and the flexible driver keeps, its person a
    // flexible worker too: kept once)
    // (the rows in one order: sorted here, looked up below)
    fn late_key(
        a: &crate::ledger::LateSeen,
    ) -> (&str, &str, Month, crate::ingest::records::Insurance, u32) {
        (&a.person_id, &a.employer_id, a.period, a.insurance, a.line)
    }
    si_late_seen.sort_unstable_by(|a, b| late_key(a).cmp(&late_key(b)));
    si_late_seen.dedup();
    let mut si_waiting = outcome.si_waiting;
    si_waiting.sort_unstable();
    si_waiting.dedup();
    let intern_si_seen = outcome.intern_si_seen;
    let mut intern_placements = outcome.intern_placements;
    intern_placements.sort_unstable();
    intern_placements.dedup();
    let mut first_applications = outcome.first_applications;
    let if_paid = outcome.if_paid;
    // (the district's re-employments as this run's registers show them, kept in the ledger:
    // a later register that re-dates the registration or drops the ended contract does not
    // take them from their year — a cold review found 2018's re-employed count fall to 0)
    // (those an earlier run kept as they stand are not written again: a district's
    // re-employments would otherwise grow the ledger by every registered person a run)
    let reemployed = reemployments(pipeline, payout, &inputs.registers);
    first_applications.extend(
        reemployed
            .iter()
            .filter(|a| {
                history
                    .first_applications
                    .get(&(a.limit_group.clone(), a.beneficiary_id.clone()))
                    .and_then(|v| crate::ledger::latest_judged_on(v))
                    != Some(a.judged_on)
            })
            .cloned(),
    );
    first_applications.sort_unstable();
    first_applications.dedup();
    let reg = &inputs.registers;
    // (a line of 0.00 said, not paid; an amount no bank file carries stops the run)
    screen::zero_amounts(reg, &mut outcome.payments, &mut exceptions);
    screen::amounts_in_range(&outcome.payments)?;
    // (made side by side, checked in order; those withheld are taken out where they lie, not
    // copied into another vector)
    let mut lines: Vec<Line> = outcome
        .payments
        .into_par_iter()
        .map(|p| outputs::payments::to_line(reg, p))
        .collect();
    // which lines the bank files can carry to a usable account (`None`), and why not
    let payable = payees::payability(pipeline, reg, &lines, &mut exceptions);
    let mut held = payees::withhold(history, &mut lines, payable, &mut exceptions);
    // (what a run remembers only of a line it pays: a withheld line's contract was not paid
    // under — a regression review found one read as the contract paid)
    if !if_paid.is_empty() {
        let paid: rustc_hash::FxHashSet<&str> =
            lines.iter().map(|l| l.payment_id.as_str()).collect();
        first_applications.extend(
            if_paid
                .into_iter()
                .filter(|(id, _)| paid.contains(id.as_str()))
                .map(|(_, a)| a),
        );
        first_applications.sort_unstable();
        first_applications.dedup();
    }
    // the SI rows of the lines withheld, kept for the runs whose extracts no longer hold them
    {
        let kept = programmes::hire::rows_of_withheld(
            &ctx,
            held.iter()
                .filter(|h| h.line.service_month.is_some())
                .map(|h| h.line.sources.as_str()),
        );
        // (the rows the programmes kept are sorted; those added here follow them)
        let sorted = si_late_seen.len();
        for k in kept {
            if si_late_seen[..sorted]
                .binary_search_by(|a| late_key(a).cmp(&late_key(&k)))
                .is_err()
            {
                si_late_seen.push(k);
            }
        }
    }
    outstanding_holds(&pipeline.name, history, &lines, &held, &mut exceptions);
    // a month an analyst recorded as not owed that this extract qualifies again is paid, and
    // said so (a cold review found the retry's row silent on the acknowledgement, and a
    // withheld line paid again without a row at all)
    let again = said_paid_again(history, &lines, &mut exceptions);
    exceptions.extend(again);
    let held_again = unchanged_holds_dropped(history, &mut held);
    tracing::debug!(
        elapsed_ms = t.elapsed().as_millis() as u64,
        "payment lines made"
    );
    screen::distinct_ids(&lines)?;
    tracing::debug!(
        elapsed_ms = t.elapsed().as_millis() as u64,
        "payment ids checked"
    );
    sort_lines(&mut lines);
    notices::run_rows(
        pipeline,
        payout,
        inputs,
        loans.rows.len(),
        &lines,
        &mut exceptions,
    );
    let lines = outputs::laid_out(lines);
    tracing::debug!(
        elapsed_ms = t.elapsed().as_millis() as u64,
        "payment lines sorted"
    );
    let replaced = history
        .replaced
        .as_ref()
        .and_then(|r| not_repeated(r, &lines, &mut exceptions));
    sort_report(&mut exceptions);
    let exceptions = outputs::laid_out(exceptions);
    info!(
        lines = lines.len(),
        exceptions = exceptions.len(),
        elapsed_ms = t.elapsed().as_millis() as u64,
        "programmes run"
    );
    drop(ctx);
    all_inputs.add_loans(loans);
    Ok(Computed {
        lines,
        exceptions,
        loan_progress,
        flexible_seen,
        si_late_seen,
        si_waiting,
        intern_si_seen,
        first_applications,
        reemployments: reemployed,
        intern_placements,
        held,
        held_again,
        replaced,
        outside_district,
    })
}

/// The run's lines in the order of payments.csv: by programme, payee, beneficiary and service
/// month.
fn sort_lines(lines: &mut [Line]) {
    // ids fit a key held inline (no pointer followed at each comparison); a longer one,
    // which no register gives, is sorted the slower way to the same order
    const ID: usize = 24;
    let inline = |s: &str| {
        let mut k = [0u8; ID];
        k[..s.len()].copy_from_slice(s.as_bytes());
        k
    };
    if lines
        .iter()
        .all(|l| l.payee_id.len() <= ID && l.beneficiary_id.len() <= ID)
    {
        // (zero-padded bytes order as the texts do: ids hold no NUL)
        lines.sort_by_cached_key(|l| {
            (
                l.programme,
                inline(&l.payee_id),
                inline(&l.beneficiary_id),
                l.service_month,
            )
        });
    } else {
        outputs::sort_moving_once(lines, |a, b| {
            (a.programme, &a.payee_id, &a.beneficiary_id, a.service_month).cmp(&(
                b.programme,
                &b.payee_id,
                &b.beneficiary_id,
                b.service_month,
            ))
        });
    }
}

/// A re-run replaces the month's earlier run: each of that run's lines this run does not pay
/// again, or pays with another amount or to another payee, is a `RERUN_LINE_NOT_REPEATED` row
/// — if the earlier run's bank files were sent, it was paid and the ledger will no longer
/// record it. Gives
/// summary.json's `replaces_run` when there is such a line (a re-run on the same inputs writes
/// the same bytes as the run it replaces: no row, no key).
fn not_repeated(
    r: &crate::ledger::ReplacedRun,
    lines: &[Line],
    exceptions: &mut Vec<Exception>,
) -> Option<serde_json::Value> {
    let now: rustc_hash::FxHashMap<&str, &Line> =
        lines.iter().map(|l| (l.payment_id.as_str(), l)).collect();
    let (mut n, mut amount) = (0usize, crate::domain::Money::ZERO);
    let mut runs: Vec<i64> = Vec::new();
    for l in &r.lines {
        let was = crate::domain::Money::from_cents(l.amount_cents);
        // (a line paid again to another payee — a corrected host or lending bank keeps the
        // line's id — is not repeated either: the replaced run's payee was paid if its files
        // were sent; until 2026-12-07 no row, a contract-only review)
        let how = match now.get(l.payment_id.as_str()) {
            Some(a) if a.payee_kind == l.payee_kind && a.payee_id == l.payee_id => {
                if a.amount == was {
                    continue;
                }
                format!("this run pays it {}", a.amount)
            }
            Some(a) => format!(
                "this run pays it {} to {} {}",
                a.amount, a.payee_kind, a.payee_id
            ),
            None => "this run does not pay it".to_string(),
        };
        n += 1;
        amount = amount + was;
        runs.push(l.run_id);
        let x = Exception::new(
            Code::RerunLineNotRepeated,
            format!(
                "line {} ({} {}, service month {}, {} {}) of run {}, an earlier run of the month that this re-run replaces, was {was}; {how}: if run {}'s bank files were sent, it was paid and the ledger no longer records it — send this run's files only in place of unsent ones, and review the line",
                l.payment_id,
                l.programme,
                l.beneficiary_id,
                if l.service_month.is_empty() { "–" } else { &l.service_month },
                l.payee_kind,
                l.payee_id,
                l.run_id,
                l.run_id
            ),
        )
        .amount(was);
        exceptions.push(about_recorded(
            x,
            &l.programme,
            &l.beneficiary_id,
            &l.payee_id,
        ));
    }
    // (what the re-run does not repeat, and from which earlier runs: the same whichever of
    // them is current, so that a re-run on the same inputs writes the same bytes)
    runs.sort_unstable();
    runs.dedup();
    (n > 0).then(|| {
        serde_json::json!({
            "runs": runs,
            "lines_not_repeated": n,
            "amount_not_repeated": amount.to_string(),
        })
    })
}

type BankOutputs = (
    Result<Vec<FileHash>, RunError>,
    Vec<serde_json::Value>,
    usize,
);

/// Stages an output file (written under a temporary name) and gives its hash.
type Put<'a> = &'a (dyn Fn(String, &[u8]) -> Result<FileHash, RunError> + Sync);

/// A bank file's schema check, running in its own thread or made. Dropped unwaited (the
/// batch failed otherwise), it still waits for its thread: no check outlives the run.
struct Checking(Option<Result<std::thread::JoinHandle<Result<(), RunError>>, RunError>>);

impl Checking {
    fn wait(mut self) -> Result<(), RunError> {
        match self.0.take() {
            Some(Ok(h)) => h
                .join()
                .map_err(|_| RunError::Internal("the schema check thread panicked".into()))?,
            Some(Err(e)) => Err(e),
            None => Ok(()),
        }
    }
}

impl Drop for Checking {
    fn drop(&mut self) {
        if let Some(Ok(h)) = self.0.take() {
            let _ = h.join();
        }
    }
}

/// A funding source's batch whose pain.001 is rendered and being schema-checked.
struct Started<'c> {
    /// the funding source's index in the pipeline
    i: usize,
    batch: outputs::bank::Batch<'c>,
    xml: std::sync::Arc<Vec<u8>>,
    xml_name: String,
    checking: Checking,
    t: Instant,
}

/// One pain.001 batch and one flat file per funding source, verified as `verify-bank` would
/// and staged by `put` as soon as they are; the batches for summary.json; the number of lines
/// whose programme has no funding source.
fn bank_outputs<'c>(pipeline: &Pipeline, payout: Month, c: &'c Computed, put: Put) -> BankOutputs {
    // each funding source's lines; the largest batch first: it is the longest to render,
    // verify and check
    let mut by_funding: Vec<(usize, Vec<&Line>)> = pipeline
        .funding
        .iter()
        .map(|f| {
            c.lines
                .iter()
                .filter(|l| f.programmes.iter().any(|p| p == l.programme))
                .collect()
        })
        .enumerate()
        .filter(|(_, lines): &(usize, Vec<&Line>)| !lines.is_empty())
        .collect();
    by_funding.sort_by_key(|(_, lines)| std::cmp::Reverse(lines.len()));
    // 1. each batch's pain.001, its schema check started at once by xmllint in a process of
    //    its own: the checks are the longest single tasks of the outputs, so they start before
    //    the rest of the batches is done (they are waited for once every batch is staged)
    let start = |(i, lines): (usize, Vec<&'c Line>)| {
        let f = &pipeline.funding[i];
        // a payer account the bureau has not set yet is written as UNSET: the files are
        // complete and schema-valid, and no bank will execute them (PAYER_ACCOUNT_UNSET says so)
        let acct = f.account.as_deref().unwrap_or(outputs::bank::UNSET);
        let bank = f.bank_code.as_deref().unwrap_or(outputs::bank::UNSET);
        let t = Instant::now();
        let b = outputs::bank::Batch::new(&pipeline.name, payout, f, acct, bank, lines);
        let xml = std::sync::Arc::new(outputs::bank::pain001(&b, payout));
        let xml_name = b.file_name(&pipeline.name, payout, "xml");
        tracing::debug!(funding = %f.id, elapsed_ms = t.elapsed().as_millis() as u64, "bank batch rendered");
        let check = {
            let (xml, id, name) = (xml.clone(), f.id.clone(), xml_name.clone());
            move || -> Result<(), RunError> {
                let s = outputs::bank::schema_check_bytes(&xml);
                tracing::debug!(funding = %id, elapsed_ms = t.elapsed().as_millis() as u64, "bank batch schema checked");
                match s {
                    Ok(true) => Ok(()),
                    Ok(false) => {
                        tracing::warn!(
                            "xmllint not found: the bank XML's schema is not checked in this run"
                        );
                        Ok(())
                    }
                    Err(e) => Err(RunError::Bank(format!(
                        "{name}: not valid against pain.001.001.09: {e}"
                    ))),
                }
            }
        };
        let checking = Checking(match std::thread::Builder::new().spawn(check.clone()) {
            Ok(h) => Some(Ok(h)),
            // (no thread to be had: the check is made here)
            Err(_) => check().err().map(Err),
        });
        Started {
            i,
            batch: b,
            xml,
            xml_name,
            checking,
            t,
        }
    };
    let started: Vec<_> = by_funding.into_par_iter().map(start).collect();
    // 2. each batch's flat file; both files verified as `verify-bank` would (structure and
    //    payments; the schema is xmllint's), before anything is renamed to its final name,
    //    and staged
    let expected: outputs::bank::Expectations = c
        .lines
        .iter()
        .map(|l| {
            (
                l.payment_id.as_str(),
                outputs::bank::Expected {
                    cents: Some(l.amount.cents()),
                    text: None,
                    account: Some(l.account_no.as_deref().unwrap_or("")),
                    bank_code: l.bank_code.as_deref().unwrap_or(""),
                    name: Some(&l.payee_name),
                },
            )
        })
        .collect();
    type Checked = Result<([FileHash; 2], serde_json::Value, Checking), RunError>;
    let finish = |started: Started| -> (usize, Checked) {
        let Started {
            i,
            batch: b,
            xml,
            xml_name,
            checking,
            t,
        } = started;
        let f = &pipeline.funding[i];
        let checked = (|| {
            let flat = outputs::bank::flat(&b, &pipeline.flat)
                .map_err(|e| RunError::Bank(format!("funding {}: {e}", f.id)))?;
            let flat_name = b.file_name(&pipeline.name, payout, &pipeline.flat.extension);
            for (bytes, name, is_xml) in
                [(&xml[..], &xml_name, true), (&flat[..], &flat_name, false)]
            {
                let problems =
                    outputs::bank::verify(bytes, is_xml, &pipeline.flat, &expected, false);
                if !problems.is_empty() {
                    return Err(RunError::Bank(format!("{name}: {}", problems.join("; "))));
                }
            }
            tracing::debug!(funding = %f.id, elapsed_ms = t.elapsed().as_millis() as u64, "bank batch verified");
            let batch = serde_json::json!({
                "funding": f.id, "name": f.name, "msg_id": b.msg_id,
                "lines": b.lines.len(), "amount": b.total.to_string(),
                "payer_account_set": f.account.is_some() && f.bank_code.is_some(),
            });
            Ok(([put(xml_name, &xml)?, put(flat_name, &flat)?], batch))
        })();
        (i, checked.map(|(staged, batch)| (staged, batch, checking)))
    };
    let mut done: Vec<(usize, Checked)> = started.into_par_iter().map(finish).collect();
    done.sort_by_key(|(i, _)| *i);
    // in funding order; a failed batch ends it (the checks of the others still running are
    // waited for as they are dropped)
    let mut files = Vec::new();
    let mut batches = Vec::new();
    for (_, d) in done {
        let staged =
            d.and_then(|(staged, batch, checking)| checking.wait().map(|()| (staged, batch)));
        match staged {
            Ok((named, batch)) => {
                files.extend(named);
                batches.push(batch);
            }
            Err(e) => return (Err(e), vec![], 0),
        }
    }
    let unassigned = c
        .lines
        .iter()
        .filter(|l| pipeline.funding_of(l.programme).is_none())
        .count();
    (Ok(files), batches, unassigned)
}

/// What the outputs say of the ledger's history: the district targets' counts (`targets`) and
/// the number of months and instalments paid before.
pub struct HistoryFacts {
    pub targets: Option<serde_json::Value>,
    pub paid_before: usize,
    /// the earlier runs whose extracts this run's lines cite (“… of the 2018-09 run's
    /// extract”), with the manifest SHA-256 each recorded: for manifest.json
    pub earlier_runs: Vec<(String, String)>,
}

impl HistoryFacts {
    pub fn of(
        pipeline: &Pipeline,
        payout: Month,
        c: &Computed,
        history: &History,
        inputs: &Inputs,
    ) -> Self {
        let cases = Cases {
            lines: &c.lines,
            held: &c.held,
            held_again: &c.held_again,
            internships: &inputs.internships,
            applied_now: &c.first_applications,
            reemployed: &c.reemployments,
        };
        HistoryFacts {
            targets: targets(pipeline, payout, &cases, history, &inputs.registers),
            paid_before: history.paid_len(),
            earlier_runs: Vec::new(),
        }
    }
}

/// The payout months of the earlier runs whose extracts (or kept rows of a failed line) the
/// lines' sources cite, ascending, each with the manifest SHA-256 its current run recorded
/// (empty where none is recorded): an auditor proves those rows from that run's manifest (a
/// cold review found lines resting on an earlier extract that this run's manifest did not lead
/// to).
fn earlier_runs_cited(
    ledger: &Ledger,
    pipeline: &str,
    lines: &[Line],
) -> Result<Vec<(String, String)>, RunError> {
    let mut months: std::collections::BTreeSet<&str> = Default::default();
    for l in lines {
        for (at, _) in l.sources.match_indices(" run's ") {
            if let Some(m) = l.sources[..at]
                .rsplit(' ')
                .next()
                .filter(|m| Month::parse(m).is_ok())
            {
                months.insert(m);
            }
        }
    }
    months
        .into_iter()
        .map(|m| {
            let sha = ledger.current_manifest(pipeline, m)?.unwrap_or_default();
            Ok((m.to_string(), sha))
        })
        .collect()
}

/// The amounts the rows asking to recover a subsidy (`exceptions::Recover`) name: what the
/// earlier runs' lines paid, from the ledger — the row's amount, and its message ends saying
/// what to recover, which line paid it and from whom. (Rare: a bank's correction of a
/// subsidised instalment or default; the rows keep their order, sorted again when there are.)
fn recover_amounts(
    ledger: &Ledger,
    pipeline: &str,
    month: &str,
    exceptions: &mut Vec<Exception>,
) -> Result<(), RunError> {
    let mut any = false;
    let mut drop = Vec::new();
    for (i, x) in exceptions.iter_mut().enumerate() {
        let Some(r) = x.recover.take() else {
            continue;
        };
        let paid = ledger.paid_under(pipeline, month, &r.ids)?;
        // (a month paid in several lines — a top-up — names the last)
        let lines = |p: &crate::ledger::PaidUnder| match p.lines {
            1 => format!("its line {}", p.payment_id),
            n => format!("its {n} lines (the last {})", p.payment_id),
        };
        // (a review of what stands of a payment: nothing paid beyond it, nothing to say)
        // (a row only dropped keeps the others' order: no sort for it — every compensated loan
        // in default is asked about each run, few are owed back)
        // (what the lines may keep: by the month their run paid them, for a compensation)
        let paid_in = paid
            .as_ref()
            .and_then(|p| Month::parse(&p.payout_month).ok());
        let keep = r.keep_for(paid_in);
        // (a price by the paying month: which month, and the price then)
        if let (Some(m), false) = (paid_in, r.keep_by_month.is_empty()) {
            x.message.push_str(&format!(": at the end of {m}, {keep}"));
        }
        if keep.is_positive() {
            match paid.filter(|p| p.cents != keep.cents() || r.unexplained) {
                // (a bank's correction that raised a paid instalment's price: the difference is
                // owed — said, not paid: a paid line is not paid again)
                Some(p) if p.cents < keep.cents() && r.owed_short && p.cents > 0 => {
                    any = true;
                    let amount = crate::domain::Money::from_cents(keep.cents() - p.cents);
                    x.code = crate::exceptions::Code::LoanCorrectionOwed;
                    x.severity = x.code.severity();
                    x.message.push_str(&format!(
                        "; {} paid {}: {amount} more is owed to {} if the correction stands — not paid by this run (a paid line is not paid again): pay the difference by hand",
                        lines(&p),
                        crate::domain::Money::from_cents(p.cents),
                        paid_from(&p)
                    ));
                    x.amount = Some(amount);
                }
                // (a figure no day count explains, changed since the line was paid within it:
                // nothing to recover, said — the analyst asks the bank)
                Some(p) if p.cents <= keep.cents() && r.unexplained && p.cents > 0 => {
                    any = true;
                    x.code = crate::exceptions::Code::LoanCorrectionUnexplained;
                    x.severity = x.code.severity();
                    x.message.push_str(&format!(
                        "; {} paid {}, within it: nothing to recover — ask the bank to explain its figure",
                        lines(&p),
                        crate::domain::Money::from_cents(p.cents)
                    ));
                    x.amount = None;
                }
                Some(p) if p.cents <= keep.cents() => drop.push(i),
                None => drop.push(i),
                Some(p) => {
                    any = true;
                    let amount = crate::domain::Money::from_cents(p.cents - keep.cents());
                    let from = paid_from(&p);
                    x.message.push_str(&format!(
                        "; {} paid {}: recover {amount} from {from} if the correction stands",
                        lines(&p),
                        crate::domain::Money::from_cents(p.cents)
                    ));
                    x.amount = Some(amount);
                }
            }
            continue;
        }
        any = true;
        match paid {
            Some(p) if p.cents > 0 && r.after_reversal => {
                x.message.push_str(&format!(
                    "; {} paid {}: recover from {} what the earlier run's SI_REVERSAL of the month did not ask back, if the correction stands",
                    lines(&p),
                    crate::domain::Money::from_cents(p.cents),
                    paid_from(&p)
                ));
                x.amount = None;
            }
            Some(p) if p.cents > 0 => {
                let amount = crate::domain::Money::from_cents(p.cents);
                let from = paid_from(&p);
                // (“paid by line …”: one line; a top-up's month names its lines — a regression
                // review found the last line named as if it had paid the whole)
                let by = match p.lines {
                    1 => format!("paid by line {}", p.payment_id),
                    n => format!("paid by {n} lines, the last {}", p.payment_id),
                };
                x.message.push_str(&format!(
                    "; recover {amount} ({by}) from {from} if the correction stands"
                ));
                x.amount = Some(amount);
            }
            _ => x.message.push_str(&format!(
                "; recover what its line paid from {} if the correction stands (no line of it not returned as failed is in the ledger's other runs: see disburse ledger lines)",
                r.from
            )),
        }
    }
    // (one pass, however many are dropped: the rows are the run's whole report)
    if !drop.is_empty() {
        let mut i = 0;
        exceptions.retain(|_| {
            i += 1;
            drop.binary_search(&(i - 1)).is_err()
        });
    }
    if any {
        sort_report(exceptions);
    }
    Ok(())
}

/// The exception report in the analyst's order (`outputs::exceptions::sort`): input files in
/// the registers' order, then their lines.
fn sort_report(exceptions: &mut Vec<Exception>) {
    let order: Vec<String> = registers::FILES
        .iter()
        .map(|f| format!("{f}.csv"))
        .collect();
    outputs::exceptions::sort(exceptions, &order);
}

/// From whom a line paid (`recover_amounts`): a lending bank corrected since, or a payee the
/// pipeline switched, was not paid — a regression review found them named.
fn paid_from(p: &crate::ledger::PaidUnder) -> String {
    match p.payee_kind.as_str() {
        "bank" => format!("the lending bank {}", p.payee_id),
        // (“the person …”, “the employer …”: a person's line is a borrower's interest, a post
        // holder's subsidy or a flexible worker's — a contract-only review found a post's
        // recovery named “the borrower”)
        kind => format!("the {kind} {}", p.payee_id),
    }
}

/// Renders and atomically writes every output file.
pub fn write(
    pipeline: &Pipeline,
    payout: Month,
    inputs: &Inputs,
    c: &Computed,
    history: HistoryFacts,
    out: &Path,
) -> Result<(String, Placement), RunError> {
    // bank batches are rendered and verified while the other outputs are rendered; each file
    // is written (under a temporary name) and hashed as soon as it is ready, and all are
    // renamed at the end
    let t = Instant::now();
    let werr = |e| RunError::Write(out.to_path_buf(), e);
    let staging = outputs::atomic::Staging::new(out).map_err(werr)?;
    // a file written by `write` to its temporary, with its size and hash for the manifest
    let streamed = |name: &str, write: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>| {
        staging
            .stage_with(name, write)
            .map(|(bytes, sha256)| FileHash {
                file: name.to_string(),
                bytes,
                sha256,
            })
            .map_err(werr)
    };
    let put = |name: String, bytes: &[u8]| streamed(&name, &|w| w.write_all(bytes));
    let ((bank_files, batches, unassigned), (payments_csv, exceptions_csv)) = rayon::join(
        || {
            let b = bank_outputs(pipeline, payout, c, &put);
            tracing::debug!(
                elapsed_ms = t.elapsed().as_millis() as u64,
                "bank files rendered, verified and staged"
            );
            b
        },
        || {
            // the two largest files are streamed to their temporaries, not held whole
            let p = streamed("payments.csv", &|w| {
                outputs::payments::render_to(&pipeline.name, payout, &c.lines, w)
            });
            tracing::debug!(
                elapsed_ms = t.elapsed().as_millis() as u64,
                "payments rendered and staged"
            );
            let x = streamed("exceptions.csv", &|w| {
                outputs::exceptions::render_to(&c.exceptions, w)
            });
            tracing::debug!(
                elapsed_ms = t.elapsed().as_millis() as u64,
                "exceptions rendered and staged"
            );
            (p, x)
        },
    );
    let bank_files = bank_files?;
    let mut extra = serde_json::Map::new();
    extra.insert(
        "bank".into(),
        serde_json::json!({
            "batches": batches,
            "lines_without_funding_source": unassigned,
        }),
    );
    if let Some(t) = history.targets {
        extra.insert("targets".into(), t);
    }
    // a re-run that does not repeat every line of the run it replaces: that run, and what of
    // it this run does not repeat
    if let Some(r) = &c.replaced {
        extra.insert("replaces_run".into(), r.clone());
    }
    if let Some(o) = &c.outside_district {
        extra.insert("outside_district".into(), o.clone());
    }
    // which programmes this run applied, and under which clause: a programme without lines in
    // `payments.by_programme` is either off in the pipeline or found nothing payable
    extra.insert(
        "programmes".into(),
        pipeline
            .programmes
            .iter()
            .map(|(code, p)| {
                // (`implemented`: false for a programme this version declares but does not
                // build — off whatever the bureau wants, unlike one a bureau switched off: a
                // cold review)
                let implemented = programmes::IMPLEMENTED.iter().any(|(c, _)| c == code);
                (
                    code.clone(),
                    serde_json::json!({"enabled": p.enabled, "implemented": implemented, "clause": p.clause}),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
    );
    let summary = outputs::summary::render(
        &pipeline.name,
        payout,
        &inputs.stats,
        &c.lines,
        &c.exceptions,
        history.paid_before,
        extra,
    );
    let mut files = vec![
        payments_csv?,
        exceptions_csv?,
        put("summary.json".into(), &summary)?,
    ];
    files.extend(bank_files);
    let manifest = outputs::manifest::Manifest {
        pipeline: &pipeline.name,
        pipeline_sha256: pipeline.hash(),
        pipeline_sources: pipeline.source_hashes(),
        payout,
        inputs: inputs
            .stats
            .iter()
            .map(|s| FileHash {
                file: s.file.clone(),
                bytes: s.bytes,
                sha256: s.sha256.clone(),
            })
            .collect(),
        outputs: files,
        earlier_runs: history.earlier_runs,
    };
    let manifest_bytes = outputs::manifest::render(&manifest);
    let manifest_sha = FileHash::of("manifest.json", &manifest_bytes).sha256;
    staging
        .stage("manifest.json", &manifest_bytes)
        .map_err(werr)?;
    tracing::debug!(
        elapsed_ms = t.elapsed().as_millis() as u64,
        "outputs rendered"
    );
    let files = manifest.outputs.len() + 1;
    // an earlier run of this month's bank batches this run does not write again (a batch
    // that is empty now, another flat layout) go: the folder holds no batch the ledger lost
    let earlier =
        outputs::manifest::earlier_outputs(out, &pipeline.name, payout, &pipeline.flat.extension)
            .map_err(werr)?;
    // every file is staged (complete, synced, hashed); they are put in place once the ledger
    // has recorded the run, the manifest last: a folder with a manifest.json holds a
    // complete, recorded run
    // the files of the run this one replaces go aside now, before the commit, the manifest
    // first: killed between the commit and the renames, the folder holds no file the commit
    // superseded (the ledger marks the run not in place: the next month waits for it)
    let hidden = staging
        .hide_replaced("manifest.json", &earlier)
        .map_err(werr)?;
    info!(out = %out.display(), files, "outputs staged");
    Ok((
        manifest_sha,
        Placement {
            staging: Some(staging),
            earlier,
            hidden,
        },
    ))
}

/// A run's output files staged under temporary names, the earlier outputs of the month they
/// replace, and the files of the run they replace moved aside: put in place by `place` once
/// the ledger has recorded the run; dropped unplaced (the run failed before its commit), the
/// files moved aside are put back.
pub struct Placement {
    staging: Option<outputs::atomic::Staging>,
    earlier: Vec<String>,
    hidden: Vec<(PathBuf, PathBuf)>,
}

impl Placement {
    fn place(mut self) -> std::io::Result<()> {
        // (the ledger holds the run now: the files it replaces go whatever happens)
        for (backup, _) in std::mem::take(&mut self.hidden) {
            let _ = std::fs::remove_file(backup);
        }
        match self.staging.take() {
            Some(staging) => staging.place("manifest.json", &self.earlier),
            None => Ok(()),
        }
    }
}

impl Drop for Placement {
    fn drop(&mut self) {
        outputs::atomic::restore(std::mem::take(&mut self.hidden));
    }
}

/// Claims output folder `out` for this run (`outputs::atomic::claim`, waiting for another run
/// writing into it when `wait`) and checks that it holds no other run's files: a folder whose
/// `manifest.json` is another pipeline's or month's — a run writes one folder (OUTPUTS.md), and
/// replacing another run's records left its bank files listed by no manifest and its ledger
/// saying they were in place (a review) — or this month's run of another ledger, or one this
/// ledger has replaced since (its files are not the ones the month's current run recorded), is
/// refused; a re-run of the month this ledger last recorded replaces its files.
fn claim_folder(
    out: &Path,
    wait: bool,
    ledger: &Ledger,
    pipeline: &str,
    payout: Month,
) -> Result<outputs::atomic::FolderClaim, RunError> {
    let werr = |e| RunError::Write(out.to_path_buf(), e);
    let claim = outputs::atomic::claim(out, wait)
        .map_err(werr)?
        .ok_or_else(|| RunError::FolderBusy(out.to_path_buf()))?;
    let bytes = match std::fs::read(out.join("manifest.json")) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(claim),
        // (the path named: a folder called manifest.json said only “Is a directory”)
        Err(e) => return Err(RunError::Write(out.join("manifest.json"), e)),
    };
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let (p, m) = (v["pipeline"]["name"].as_str(), v["payout_month"].as_str());
    let month = payout.to_string();
    let choose = "choose another --out (a folder per run: runs/<pipeline>/<YYYY-MM>), or move that run's files away first";
    if p != Some(pipeline) || m != Some(month.as_str()) {
        let whose = match (p, m) {
            (Some(p), Some(m)) => format!("the run of {p} for {m}"),
            _ => "a manifest.json that is not a disburse run's".to_string(),
        };
        return Err(RunError::FolderTaken(format!(
            "the output folder {} holds {whose} (its manifest.json), not a run of {pipeline} for {month}: {choose}",
            out.display()
        )));
    }
    let sha = FileHash::of("manifest.json", &bytes).sha256;
    if ledger.current_manifest(pipeline, &month)?.as_deref() != Some(sha.as_str()) {
        return Err(RunError::FolderTaken(format!(
            "the output folder {} holds a run of {pipeline} for {month} that this ledger does not record as the month's current run (another ledger's run, one replaced since, or a manifest.json changed by hand — its SHA-256 is not the one recorded): replacing its files would leave that run's record naming files no longer there — {choose}",
            out.display()
        )));
    }
    Ok(claim)
}

/// `disburse run`: the whole run. The ledger is locked for the whole run; its one transaction
/// is prepared while the outputs are written and committed after every output file is in
/// place.
pub fn run(
    pipeline: &str,
    payout: Month,
    input: &Path,
    out: &Path,
    ledger: Option<&Path>,
    wait: bool,
) -> Result<Report, RunError> {
    if let Some(now) = current_month().filter(|&now| payout > now) {
        return Err(RunError::FutureMonth(payout, now));
    }
    let pipeline = load_pipeline(pipeline)?;
    let ledger_path = ledger
        .map(Path::to_path_buf)
        .unwrap_or_else(|| crate::ledger::default_path(out));
    let mut ledger = Ledger::open_with(&ledger_path, wait)?;
    // a ledger made for this run is removed again if the run fails before it is recorded
    ledger.discard_if_unused();
    ledger.serves(&pipeline.name)?;
    // the ledger's history is read while the inputs are parsed
    let month = payout.to_string();
    let ((mut ledger, history), inputs) = std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let t = Instant::now();
            let h = ledger.history(&pipeline.name, &month);
            tracing::debug!(
                elapsed_ms = t.elapsed().as_millis() as u64,
                "ledger history read"
            );
            (ledger, h)
        });
        let inputs = load_inputs_but_loans(&pipeline, input);
        let (ledger, h) = reader
            .join()
            .map_err(|_| RunError::Internal("the ledger reader thread panicked".into()))?;
        Ok::<_, RunError>(((ledger, h?), inputs?))
    })?;
    info!(ledger = %ledger_path.display(), months_paid_before = history.len(), "ledger read");
    let (mut inputs, loans) = inputs;
    let mut computed = compute(&pipeline, payout, (&mut inputs, loans), &history)?;
    recover_amounts(&ledger, &pipeline.name, &month, &mut computed.exceptions)?;
    let inputs_sha = {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for s in &inputs.stats {
            h.update(s.sha256.as_bytes());
        }
        hex::encode(h.finalize())
    };
    // the ledger's transaction is prepared while the outputs are rendered and written, and
    // committed only once they are all in place (a run killed before that leaves the ledger
    // as it was)
    let (sha_to, sha_from) = std::sync::mpsc::channel::<String>();
    // the outputs need two facts of the history; the ledger's thread takes the history itself
    // (its snapshot is this history with the run's lines added, made without a copy)
    let mut facts = HistoryFacts::of(&pipeline, payout, &computed, &history, &inputs);
    facts.earlier_runs = earlier_runs_cited(&ledger, &pipeline.name, &computed.lines)?;
    ledger.remember_flexible(computed.flexible_seen.clone());
    ledger.remember_late(computed.si_late_seen.clone());
    ledger.remember_waiting(computed.si_waiting.clone());
    ledger.remember_intern_si(computed.intern_si_seen.clone());
    ledger.remember_first_applications(computed.first_applications.clone());
    ledger.remember_intern_placements(computed.intern_placements.clone());
    // the output folder is this run's from here until its files are in place
    let _folder = claim_folder(out, wait, &ledger, &pipeline.name, payout)?;
    // a re-run moves the files of the month's current run aside before its commit: that run
    // is marked not in place first (a kill then stops the next month until the month is run
    // again); put back below if the files are (the run failed before its commit)
    let unplaced = ledger.unplace_current(&pipeline.name, &month)?;
    let (written, recorded, t) = std::thread::scope(|s| {
        let (ledger, name, lines, held, inputs_sha, before) = (
            &mut ledger,
            &pipeline.name,
            &computed.lines,
            &computed.held[..],
            &inputs_sha,
            (history, &computed.loan_progress[..]),
        );
        let month = &month;
        let recorder = s.spawn(move || {
            ledger.record_when(
                name,
                month,
                inputs_sha,
                (lines, held),
                Some(before),
                move || sha_from.recv().ok(),
            )
        });
        let written = write(&pipeline, payout, &inputs, &computed, facts, out);
        // the ledger's own time: what is left of its work once the outputs are in place
        let t = Instant::now();
        if let Ok((sha, _)) = &written {
            let _ = sha_to.send(sha.clone());
        }
        drop(sha_to);
        let recorded = recorder
            .join()
            .map_err(|_| RunError::Internal("the ledger writer thread panicked".into()));
        (written, recorded, t)
    });
    let recorded = (|| {
        let (_, placement) = written?;
        let run_id = recorded??.ok_or_else(|| {
            RunError::Internal(
                "the ledger transaction was abandoned after the outputs were written".into(),
            )
        })?;
        Ok::<_, RunError>((placement, run_id))
    })();
    let (placement, run_id) = match recorded {
        Ok(r) => r,
        Err(e) => {
            // (the replaced run's files are back in place: `Placement`'s drop; if the mark
            // cannot be put back, the next month asks for the month again — safe — and the
            // run's own error is the one reported)
            if let Some(earlier) = unplaced {
                if let Err(x) = ledger.placed(earlier) {
                    tracing::warn!("the replaced run {earlier} stays marked not in place: {x}");
                }
            }
            return Err(e);
        }
    };
    info!(
        run_id,
        lines = computed.lines.len(),
        elapsed_ms = t.elapsed().as_millis() as u64,
        "ledger committed"
    );
    // the run is recorded: its files go in place, the manifest last (it marks the folder
    // complete); a failure now leaves the run recorded without all its files — a re-run of
    // the month replaces the run and writes them
    placement.place().map_err(|e| {
        RunError::Write(
            out.to_path_buf(),
            std::io::Error::other(format!(
                "{e} — the run is recorded in the ledger (run {run_id}) but its files are not all in place: run the month again (it replaces the run and writes them; the next month is refused until then); do not send bank files from this folder until then"
            )),
        )
    })?;
    // (killed before this, the run stays marked not in place: the next month is refused until
    // the month is run again — its files are then written again, the same bytes)
    ledger.placed(run_id).map_err(|e| {
        RunError::Internal(format!(
            "the run's files are all in place in {} but the ledger could not record it ({e}): run the month again before the next one",
            out.display()
        ))
    })?;
    info!(out = %out.display(), "outputs written");
    let report = Report {
        lines: computed.lines.len(),
        total: computed.lines.iter().map(|l| l.amount).sum(),
        exceptions: computed.exceptions.len(),
        rejects: inputs.rejects.len(),
        stats: inputs.stats.clone(),
    };
    // the inputs and the computed lines (millions of small allocations) are freed on another
    // thread; a process that exits first needs not free them at all
    let freeing = move || drop((inputs, computed));
    // (if no thread can be started, they are freed here)
    let _ = std::thread::Builder::new().spawn(freeing);
    let t = Instant::now();
    drop(ledger);
    tracing::debug!(elapsed_ms = t.elapsed().as_millis() as u64, "ledger closed");
    Ok(report)
}

/// `disburse validate`: the same ingest checks as `run`, no payments. Returns the number of
/// rejected rows; with `out`, writes `exceptions.csv` and `summary.json` of the check.
pub fn validate(pipeline: &str, input: &Path, out: Option<&Path>) -> Result<usize, RunError> {
    // a run's folder (its manifest.json) is the run's: its exceptions.csv and summary.json
    // are not replaced by a check of the inputs (a cold review found a run's holds gone, and
    // its files no longer matching its manifest) — refused before the inputs are read
    // (where the folder really is: `nosuch/../<run folder>` is the run's folder — a cold review
    // found it written over)
    if let Some(out) = out.map(outputs::atomic::resolve) {
        // (or its bank/ folder: a review)
        if let Some(manifest) = outputs::atomic::run_folder_manifest(&out) {
            return Err(RunError::Write(
                out.to_path_buf(),
                std::io::Error::other(format!(
                    "it is a run's folder (it holds {}): validate writes its exceptions.csv and summary.json to another --out",
                    manifest.display()
                )),
            ));
        }
    }
    let pipeline = load_pipeline(pipeline)?;
    let inputs = load_inputs(&pipeline, input)?;
    let mut rejects = inputs.rejects.clone();
    sort_report(&mut rejects);
    // (an absent payee column is said in the check too, after the rejects, not counted among
    // them: a bureau checks its extract with this before the run — a regression review found a
    // misspelt header pass it without a word, gC5)
    let absent = header_exceptions(&inputs.stats.iter().collect::<Vec<_>>());
    for s in &inputs.stats {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stdout(),
            "{:<22} {:<12} read {:>10}  used {:>10}  rejected {:>8}",
            s.file,
            s.encoding,
            s.read,
            s.used,
            s.rejected
        );
    }
    for x in &absent {
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), "{}: {}", x.code.as_str(), x.message);
    }
    if let Some(out) = out {
        let stats = serde_json::to_vec_pretty(&serde_json::json!({
            "pipeline": pipeline.name,
            "inputs": outputs::summary::input_counts(&inputs.stats),
            "rejected": rejects.len(),
        }))
        .unwrap_or_default();
        outputs::atomic::write_all(
            out,
            &[
                (
                    "exceptions.csv".into(),
                    outputs::exceptions::render(
                        &rejects.iter().chain(&absent).cloned().collect::<Vec<_>>(),
                    ),
                ),
                ("summary.json".into(), stats),
            ],
        )
        .map_err(|e| RunError::Write(out.to_path_buf(), e))?;
    }
    Ok(rejects.len())
}

/// The calendar month now in China (UTC+8), from the system clock: only to refuse a payout
/// month that has not begun; no output depends on it. `None` when the clock is before 1970 (a
/// machine without a set clock: no month refused).
fn current_month() -> Option<Month> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs()
        + 8 * 3600;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    Some(Month::of(epoch + chrono::Days::new(secs / 86_400)))
}

/// `disburse reconcile`: applies the bank's return file to the ledger.
///
/// The file is CSV with a header `payment_id,status,reason`; `status` is `ok` (the line is
/// final) or `failed` (the line becomes payable again in the next run).
pub fn reconcile(ledger: &Path, returns: &Path) -> Result<(u64, u64, u64), RunError> {
    let bytes = std::fs::read(returns)
        .map_err(|e| RunError::Returns(format!("cannot read {}: {e}", returns.display())))?;
    let (text, _, _) = crate::ingest::decode::decode(&bytes, crate::pipeline::Encoding::Auto);
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let bad = |m: String| RunError::Returns(format!("{}: {m}", returns.display()));
    let headers = rdr.headers().map_err(|e| bad(e.to_string()))?.clone();
    let col = |n: &str| {
        headers.iter().position(|h| h.trim() == n).ok_or_else(|| {
            bad(format!(
                "no column {n:?} (expected payment_id,status,reason)"
            ))
        })
    };
    let (ci, cs, cr) = (col("payment_id")?, col("status")?, col("reason")?);
    let mut rows: Vec<(String, bool, String)> = Vec::new();
    let mut seen: std::collections::HashMap<String, (bool, u64, String)> = Default::default();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        // a value over several lines is a quote left open: it would swallow the returns after
        // it into its reason (a review found later failed lines left `sent`, read as paid) —
        // the file is refused whole, nothing applied
        if rec.iter().any(|f| f.contains(['\n', '\r'])) {
            return Err(bad(format!(
                "line {line}: a quoted value runs over several lines (a quote left open?): correct the file; nothing was applied"
            )));
        }
        let id = rec.get(ci).unwrap_or("").to_string();
        if id.is_empty() {
            return Err(bad(format!("line {line}: empty payment_id")));
        }
        let ok = match rec.get(cs).unwrap_or("") {
            "ok" => true,
            "failed" => false,
            other => {
                return Err(bad(format!(
                    "line {line}: status {:?} is not ok or failed",
                    outputs::payments::mask_numbers(other)
                )))
            }
        };
        // a line returned twice is one return; twice with different verdicts — or failed for
        // two different reasons (which one is the bank's? a cold review found the second
        // dropped without a word) — a file to correct
        let reason = rec.get(cr).unwrap_or("").to_string();
        match seen.get(&id) {
            Some((was, _, why)) if *was == ok && (ok || *why == reason) => continue,
            Some((was, at, _)) if *was == ok => {
                return Err(bad(format!(
                    "line {line}: payment {} is returned failed with two reasons (also line {at}): correct the file; nothing was applied",
                    outputs::payments::shown_payment_id(&id)
                )))
            }
            Some((_, at, _)) => {
                return Err(bad(format!(
                    "line {line}: payment {} is returned both ok and failed (also line {at}): correct the file; nothing was applied",
                    outputs::payments::shown_payment_id(&id)
                )))
            }
            None => {
                seen.insert(id.clone(), (ok, line, reason.clone()));
            }
        }
        rows.push((id, ok, reason));
    }
    let mut l = Ledger::open_existing(ledger)?;
    let r = l.reconcile(&rows)?;
    info!(
        final_lines = r.0,
        failed_lines = r.1,
        already = r.2,
        "returns reconciled"
    );
    Ok(r)
}

/// `disburse pipelines`: every built-in pipeline with its programmes (enabled or not, and
/// whether this version implements them) and the parameters that are unset.
pub fn describe_pipelines() -> Result<String, RunError> {
    let mut out = String::new();
    for name in crate::pipeline::builtin_names() {
        let p = Pipeline::load(name)?;
        out.push_str(&format!("{} — {} ({})\n", p.name, p.title, p.document));
        for (code, spec) in &p.programmes {
            let implemented = programmes::IMPLEMENTED.iter().any(|(c, _)| c == code);
            out.push_str(&format!(
                "  {:<28} {:<9} {:<16} {}\n",
                code,
                if spec.enabled { "enabled" } else { "disabled" },
                if implemented {
                    "implemented"
                } else {
                    "not implemented"
                },
                spec.clause
            ));
        }
        let unset: Vec<&str> = p
            .params
            .iter()
            .filter(|(_, v)| v.values.is_empty())
            .map(|(n, _)| n.as_str())
            .collect();
        out.push_str(&format!(
            "  unset parameters: {}\n",
            if unset.is_empty() {
                "none".to_string()
            } else {
                unset.join(", ")
            }
        ));
        // (a programme whose parameters the pipeline does not declare at all — its text states
        // none — cannot be enabled by setting values alone: named too, a cold review found
        // Songyuan's loan_interest listed with nothing unset)
        let undeclared = programmes::undeclared(&p);
        if !undeclared.is_empty() {
            let names: Vec<String> = undeclared
                .iter()
                .map(|(code, name)| format!("{name} ({code})"))
                .collect();
            out.push_str(&format!(
                "  undeclared parameters (to declare before enabling): {}\n",
                names.join(", ")
            ));
        }
        out.push('\n');
    }
    Ok(out)
}

/// `disburse params`: every parameter of a pipeline in force on `date`, with its clause.
/// Every parameter of `pipeline` in force on `date`, with its clause — and, where the run's own
/// checks of the pipeline (`check_pipeline`) refuse it, the reason: a bureau checking its file with `params`
/// is told what `run` would refuse (a grader found `params` printing a negative share and an
/// unknown name with exit 0).
pub fn describe_params(
    pipeline: &str,
    date: crate::domain::Date,
) -> Result<(String, Option<String>), RunError> {
    let p = Pipeline::load(pipeline)?;
    let refused = check_pipeline(&p).err().map(|e| e.to_string());
    let mut out = format!("{} on {date}\n", p.name);
    for (name, param) in p.params.iter() {
        let line = match param.values.iter().rev().find(|v| v.from <= date) {
            // (the unit in brackets: a switch's “1 = …” read as part of the value — an
            // acceptance review)
            Some(v) => format!(
                "{name} = {} [{}] (from {}) — {}",
                v.value, param.unit, v.from, v.clause
            ),
            None if param.values.is_empty() => format!(
                "{name}: UNSET ({}) — {}",
                if param.note.is_empty() {
                    "no value"
                } else {
                    &param.note
                },
                param.clause
            ),
            // (a term or a definition — a limit, a window, the region — is read by its first
            // value for a fact dated before it, where no earlier value exists: said, as a run
            // applies it — a cold review found `params` and the runs disagreeing)
            None => format!(
                "{name}: not yet in force (first value {} from {}; see the note below) — {}",
                param.values[0].value, param.values[0].from, param.clause
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("note: a term or definition not yet in force on the date (a limit, a window, an age, the region) is read at its first value for a fact dated before it, such as a hire or a loan start; an amount, share or rate is not — a month before it is before the rules\n");
    Ok((out, refused))
}

/// Why no programme of `pipeline` reads some rows: the pipeline's own programmes among `codes`
/// that would, not enabled (`why` after them), or that it has none (a review found Songyuan's
/// row naming Suzhou's mentor and retention programmes).
fn none_reads(pipeline: &Pipeline, codes: &[&str], why: &str) -> String {
    let listed: Vec<&str> = codes
        .iter()
        .copied()
        .filter(|c| pipeline.programmes.contains_key(*c))
        .collect();
    if listed.is_empty() {
        "it has none that reads them".to_string()
    } else {
        format!("{} not enabled{why}", listed.join(", "))
    }
}
