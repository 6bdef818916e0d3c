//! The `disburse` command. Thin: argument parsing, logging set-up and exit codes; the work is
//! in the library.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use disburse::domain::Month;
use std::path::PathBuf;
use std::process::ExitCode;

/// `println!` that never panics: stdout closed (a pipe whose reader went away) loses the text,
/// not the run's exit status.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// `print!` that never panics (see `say!`).
macro_rules! say_raw {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

/// `eprintln!` that never panics (see `say!`).
macro_rules! say_err {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

/// Exit status: the run completed (exceptions may exist).
const EXIT_OK: u8 = 0;
/// Exit status: the run did not complete and wrote nothing under a final name (bad pipeline,
/// missing file, …) — or, rarely, it was recorded but its files could not all be put in place
/// (the message says so: run the month again).
const EXIT_FAILED: u8 = 1;
/// Exit status of `validate` when the inputs hold rejected rows.
const EXIT_REJECTS: u8 = 3;
/// Exit status when another process holds the ledger: nothing was done; try again later.
const EXIT_BUSY: u8 = 4;

/// Turns transparent huge pages off for this process. mimalloc advises its arenas for huge
/// pages and returns freed 64 KiB spans to the system; every later touch of such a span then
/// faults in and zeroes a whole 2 MiB page. On the 1M-person city that zeroing was a quarter of
/// all CPU time (docs/PERFORMANCE.md, “Transparent huge pages”). Best effort: a kernel without
/// the setting runs as before.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and changes no memory of ours
    unsafe {
        let (on, none): (libc::c_ulong, libc::c_ulong) = (1, 0);
        libc::prctl(libc::PR_SET_THP_DISABLE, on, none, none, none);
    }
}

/// Keeps the memory a run frees for the run's later phases. mimalloc returns freed spans to
/// the system a second after they are freed (its `purge_delay`); a phase that allocates again
/// then faults every page in anew, and page faults are this machine's dearest operation
/// (docs/PERFORMANCE.md, “Page faults”): on the 1M-person city with its loan book the run
/// touched 766k pages, 554k once memory is kept (without loans 554k → 436k), for a peak RSS
/// 0.3 GiB higher. A run is a batch that ends: what it keeps, its exit returns.
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (v2 and v3 alike; the crate's
    // `extended` constants stop before it): -1 = never purge
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // (an operator's own MIMALLOC_PURGE_DELAY stands)
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets an option word of the allocator, read at its next purge decision
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
    }
}

#[derive(Parser)]
#[command(
    name = "disburse",
    version,
    about = "Turns a city's monthly employment-subsidy extracts into payments, an exception report, a summary and a manifest",
    long_about = "Turns a city's monthly employment-subsidy extracts (social-insurance contributions, \
internship rosters, loan repayments, and the person, employer and labour-contract registers) into \
the subsidies payable under the city's policy: payments.csv, exceptions.csv, summary.json and \
manifest.json.\n\nExit status: 0 = completed (exceptions may exist); 1 = the run did not complete \
and wrote nothing under a final name (or, rarely, it was recorded but its files could not all be \
put in place: the message says to run the month again); 2 = wrong command-line usage; 3 = `validate` found rejected rows; 4 = \
the ledger, or the output folder, is held by another run and --no-wait was given.",
    after_help = "Example:\n  disburse run --pipeline suzhou --month 2018-09 --input extracts/2018-09 --out runs/2018-09"
)]
struct Cli {
    /// Log format on stderr: `human` for a terminal, `json` for cron and log collectors.
    #[arg(long, value_enum, default_value_t = LogFormat::Human, global = true)]
    log_format: LogFormat,
    /// Log level filter (error, warn, info, debug, trace), or RUST_LOG-style directives.
    #[arg(long, default_value = "info", global = true)]
    log_level: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Pay one month: read the input folder, apply the pipeline's programmes, write the outputs.
    Run {
        /// A pipeline name (`suzhou`: `pipelines/suzhou.toml`, else the built-in copy) or a path to a pipeline file.
        #[arg(long)]
        pipeline: String,
        /// Payout month `YYYY-MM`: pays eligible service months up to it whose contributions were paid by its last day.
        #[arg(long, value_parser = parse_month)]
        month: Month,
        /// Folder holding persons.csv, employers.csv, employment.csv, contributions.csv, internships.csv, loan_repayments.csv.
        #[arg(long)]
        input: PathBuf,
        /// Output folder (created if missing); files are written atomically.
        #[arg(long)]
        out: PathBuf,
        /// Payment ledger (SQLite). Default: $DISBURSE_LEDGER, else disburse-ledger.sqlite in the folder that holds --out.
        #[arg(long)]
        ledger: Option<PathBuf>,
        /// Stop (exit 4) instead of waiting when another run holds the ledger or the output
        /// folder.
        #[arg(long)]
        no_wait: bool,
    },
    /// Apply the bank's return file: lines become final (ok) or payable again (failed).
    Reconcile {
        /// CSV with header payment_id,status,reason; status is `ok` or `failed`.
        #[arg(long)]
        returns: PathBuf,
        /// Payment ledger (SQLite); default $DISBURSE_LEDGER.
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// Record withheld or failed lines as not owed: later runs stop reporting them as
    /// outstanding (HOLD_OUTSTANDING). A month that comes again and qualifies is still paid.
    Acknowledge {
        /// Payment id of a withheld line (held_lines) or of a line the bank returned as failed;
        /// repeat for several.
        #[arg(long = "payment-id", required = true)]
        payment_ids: Vec<String>,
        /// Why the lines are not owed (kept in the ledger with them).
        #[arg(long)]
        reason: String,
        /// Payment ledger (SQLite); default $DISBURSE_LEDGER.
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// Inspect the payment ledger: runs, lines paid to whom and for which months.
    Ledger {
        /// Payment ledger (SQLite); default $DISBURSE_LEDGER.
        #[arg(long, global = true)]
        ledger: Option<PathBuf>,
        #[command(subcommand)]
        what: LedgerCmd,
    },
    /// Check bank files (pain.001 XML or flat) against their control totals, the schema
    /// (with xmllint) and payments.csv. Exit 0 = all good, 1 = problems (listed).
    VerifyBank {
        /// Bank files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// payments.csv to compare with (default: the one in the run folder above the file).
        #[arg(long)]
        payments: Option<PathBuf>,
        /// Pipeline whose flat layout the flat files follow (default layout otherwise).
        #[arg(long)]
        pipeline: Option<String>,
    },
    /// List the built-in pipelines: programmes (enabled, implemented) and unset parameters.
    Pipelines,
    /// Print every parameter of a pipeline in force on a date, with its clause.
    Params {
        /// A pipeline name or a path to a pipeline file.
        #[arg(long)]
        pipeline: String,
        /// The date `YYYY-MM-DD`.
        #[arg(long, value_parser = parse_day)]
        date: disburse::domain::Date,
    },
    /// Check the input folder with the same rules as `run`, without computing payments.
    Validate {
        /// A pipeline name or a path to a pipeline file (header aliases and encodings come from it).
        #[arg(long)]
        pipeline: String,
        /// Folder holding the six input files.
        #[arg(long)]
        input: PathBuf,
        /// Optional folder for exceptions.csv and summary.json of the check.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Generate a synthetic city (deterministic for a seed) with a controlled share of bad rows.
    GenFixtures {
        /// Output folder for the six CSV files.
        #[arg(long)]
        out: PathBuf,
        /// Number of insured persons.
        #[arg(long, default_value_t = 10_000)]
        persons: u32,
        /// Payout month the extract is for; contributions are of it, some of the month before.
        #[arg(long, value_parser = parse_month, default_value = "2018-09")]
        month: Month,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Share of contribution rows made invalid, e.g. 0.001.
        #[arg(long, default_value_t = 0.001)]
        bad_share: f64,
        /// Guaranteed start-up loans, 36 instalments each (default: one per 10 persons).
        #[arg(long)]
        loans: Option<u32>,
        /// Write each loan's whole schedule, instalments not yet due included (the contract's
        /// extract holds only those due or paid by the payout month).
        #[arg(long)]
        full_schedule: bool,
        /// Make one loan in 20 an enterprise's (sme_job_creator). Suzhou and Jinan leave their
        /// share to the published standard: a run of those pipelines stops on such a loan until
        /// a bureau's pipeline file sets it.
        #[arg(long)]
        enterprise_loans: bool,
    },
}

#[derive(Subcommand)]
enum LedgerCmd {
    /// Every run recorded: payout month, lines, amount, manifest hash, current or superseded,
    /// whether its output files are in place (yes / no / aside: moved aside by a stopped re-run;
    /// replaced: a superseded run — its files replaced by the re-run's in the re-run's folder;
    /// a re-run written to another folder left them where they were: do not send them).
    Runs,
    /// Lines of current runs (what was paid to whom, for which months, in which run), as CSV.
    Lines {
        /// Only lines whose beneficiary or payee is this resident ID or credit code.
        #[arg(long)]
        who: Option<String>,
    },
    /// Write every line of current runs as CSV to a file.
    Export {
        #[arg(long)]
        out: PathBuf,
    },
}

fn ledger_cmd(path: &std::path::Path, what: LedgerCmd) -> Result<u8, String> {
    use std::io::Write;
    let l = disburse::ledger::Ledger::open_read(path).map_err(|e| e.to_string())?;
    let out = match what {
        LedgerCmd::Runs => {
            let mut s = String::from(
                "run_id,pipeline,payout_month,state,lines,amount,manifest_sha256,files_in_place\n",
            );
            for r in l.runs().map_err(|e| e.to_string())? {
                s.push_str(&format!(
                    "{},{},{},{},{},{},{},{}\n",
                    r.run_id,
                    r.pipeline,
                    r.payout_month,
                    r.state,
                    r.lines,
                    r.amount,
                    r.manifest_sha256,
                    r.files_in_place
                ));
            }
            s.into_bytes()
        }
        LedgerCmd::Lines { who } => {
            disburse::ledger::lines_csv(&l.lines(who.as_deref()).map_err(|e| e.to_string())?)
        }
        LedgerCmd::Export { out } => {
            // (written where the checks looked: the path resolved, a file's name — `.`, `..`
            // or a folder are refused, a review found them written as another file)
            let target = disburse::ledger::export_target_ok(&out, path)?;
            let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
                return Err(format!("{} names no file to write", out.display()));
            };
            let bytes = disburse::ledger::lines_csv(&l.lines(None).map_err(|e| e.to_string())?);
            disburse::outputs::atomic::write_all(
                dir,
                &[(name.to_string_lossy().into_owned(), bytes)],
            )
            .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            return Ok(EXIT_OK);
        }
    };
    std::io::stdout()
        .write_all(&out)
        .map_err(|e| e.to_string())?;
    Ok(EXIT_OK)
}

fn parse_day(s: &str) -> Result<disburse::domain::Date, String> {
    disburse::domain::parse_date(s)
}

/// The ledger a command other than `run` works on: `--ledger`, else `$DISBURSE_LEDGER` — a
/// variable set to nothing (a cron or systemd environment file) names none (it was a usage
/// error for these commands while `run` took the default: a review).
fn named_ledger(given: Option<PathBuf>) -> Result<PathBuf, String> {
    given
        .or_else(|| {
            std::env::var_os("DISBURSE_LEDGER")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .ok_or_else(|| "no ledger: give --ledger PATH or set DISBURSE_LEDGER".to_string())
}

fn parse_month(s: &str) -> Result<Month, String> {
    Month::parse(s)
}

fn init_logging(format: LogFormat, level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        // a log line that cannot be written (stderr closed: a pipe whose reader went away) is
        // dropped; the default reports it with `eprintln!`, which panics on that same stderr —
        // a run killed between its outputs and its ledger commit
        .log_internal_errors(false);
    match format {
        LogFormat::Human => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

/// Whether the command line asks for JSON logs (read before it is parsed: for its usage errors).
fn json_requested() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--log-format=json")
        || args
            .windows(2)
            .any(|w| w[0] == "--log-format" && w[1] == "json")
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    keep_freed_memory();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // a usage error under `--log-format json` is JSON too (cron's log collector parses
        // every line); help and version, and errors without that flag, as clap prints them
        Err(e) if e.use_stderr() && json_requested() => {
            let message = e.render().to_string();
            say_err!(
                "{}",
                serde_json::json!({"level": "ERROR", "message": message.trim_end(), "exit_status": 2})
            );
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    init_logging(cli.log_format, &cli.log_level);
    let json_logs = matches!(cli.log_format, LogFormat::Json);
    disburse::ingest::table::stop_on_truncated_input(json_logs);
    let result: Result<u8, String> = match cli.command {
        Command::Run {
            pipeline,
            month,
            input,
            out,
            ledger,
            no_wait,
        } => {
            match disburse::run::run(&pipeline, month, &input, &out, ledger.as_deref(), !no_wait) {
                Err(e) if e.is_busy() => {
                    tracing::error!("{e}");
                    if !json_logs {
                        say_err!("disburse: {e}");
                    }
                    return ExitCode::from(EXIT_BUSY);
                }
                r => r,
            }
            .map(|r| {
                tracing::info!(
                    payout_month = %month,
                    lines = r.lines,
                    amount = %r.total,
                    exceptions = r.exceptions,
                    rejected_rows = r.rejects,
                    "run completed"
                );
                EXIT_OK
            })
            .map_err(|e| e.to_string())
        }
        Command::Reconcile { returns, ledger } => named_ledger(ledger).and_then(|ledger| {
            disburse::run::reconcile(&ledger, &returns)
                .map(|(ok, failed, already)| {
                    say!("{ok} line(s) final, {failed} line(s) failed and payable again (by the next run: a month of SI, an employer's or a flexible worker's, from the rows kept of it; others when the run's extract carries their month)");
                    if already > 0 {
                        say!("{already} line(s) the ledger already held so (a return applied before, or an id given twice): nothing changed for them");
                    }
                    EXIT_OK
                })
                .map_err(|e| e.to_string())
        }),
        Command::Acknowledge {
            payment_ids,
            reason,
            ledger,
        } => named_ledger(ledger).and_then(|ledger| {
            disburse::ledger::Ledger::open_existing(&ledger)
                .and_then(|mut l| l.acknowledge(&payment_ids, &reason))
                .map(|n| {
                    say!("{n} line(s) acknowledged as not owed");
                    EXIT_OK
                })
                .map_err(|e| e.to_string())
        }),
        Command::Ledger { ledger, what } => named_ledger(ledger).and_then(|p| ledger_cmd(&p, what)),
        Command::VerifyBank {
            files,
            payments,
            pipeline,
        } => match disburse::run::verify_bank(&files, payments.as_deref(), pipeline.as_deref()) {
            Ok(disburse::run::BankVerdict {
                problems: p,
                unchecked,
                by_contents,
            }) => {
                // (a schema not checked is said, never passed off as agreeing)
                let schema = if unchecked.is_empty() { ", schema" } else { "" };
                if p.is_empty() {
                    say!(
                        "{} bank file(s): counts, totals, ids{schema} and payments agree",
                        files.len()
                    );
                }
                // (no account number in full on a terminal or in a log: masked as everywhere —
                // a cold review found a payer account printed whole)
                for x in &p {
                    say!("{}", disburse::outputs::payments::mask_numbers(x));
                }
                for f in &unchecked {
                    say!("{f}: schema NOT checked: xmllint not found (install libxml2-utils)");
                }
                for f in &by_contents {
                    say!("{f}: listed by no run folder's manifest.json: judged by its contents alone, not matched to the file a run wrote");
                }
                // (a schema not checked is no agreement with it: exit 1 — a cold review found
                // exit 0 without xmllint, CLI.md promising the schema)
                Ok(if p.is_empty() && unchecked.is_empty() {
                    EXIT_OK
                } else {
                    EXIT_FAILED
                })
            }
            Err(e) => Err(e.to_string()),
        },
        Command::Pipelines => disburse::run::describe_pipelines()
            .map(|t| {
                say_raw!("{t}");
                EXIT_OK
            })
            .map_err(|e| e.to_string()),
        // (the listing, then what `run` would refuse of the pipeline, if anything: exit 1)
        Command::Params { pipeline, date } => disburse::run::describe_params(&pipeline, date)
            .map_err(|e| e.to_string())
            .and_then(|(t, refused)| {
                say_raw!("{t}");
                match refused {
                    None => Ok(EXIT_OK),
                    Some(why) => Err(format!("a run would refuse this pipeline: {why}")),
                }
            }),
        Command::Validate {
            pipeline,
            input,
            out,
        } => disburse::run::validate(&pipeline, &input, out.as_deref())
            .map(|rejects| if rejects == 0 { EXIT_OK } else { EXIT_REJECTS })
            .map_err(|e| e.to_string()),
        Command::GenFixtures {
            out,
            persons,
            month,
            seed,
            bad_share,
            loans,
            full_schedule,
            enterprise_loans,
        } => disburse::gen::generate(
            &out,
            &disburse::gen::Config {
                persons,
                loans: loans.unwrap_or(persons / 10),
                full_schedule,
                enterprise_loans,
                payout: month,
                seed,
                bad_share,
            },
        )
        .map(|_| EXIT_OK)
        .map_err(|e| format!("cannot write fixtures to {}: {e}", out.display())),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            // (a message may quote what a user wrote — a parameter key naming a borrower: no
            // resident ID in full in a log, OUTPUTS.md)
            let msg = disburse::domain::mask_ids_in(&msg);
            tracing::error!("{msg}");
            // JSON logs stay JSON: the error is the event above
            if !json_logs {
                say_err!("disburse: {msg}");
            }
            ExitCode::from(EXIT_FAILED)
        }
    }
}
