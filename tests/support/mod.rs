//! Helpers for the edge-case tests: tiny cities written into temporary folders, runs of the real
//! `disburse` binary, and readers for its output files.
//!
//! Identifiers are made here with their own check-character code (ISO 7064 MOD 11-2 for
//! resident IDs, GB 32100-2015 for credit codes), independent of the library's, and a test
//! checks that both agree.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

// ------------------------------------------------------------------ identifiers

const RID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CC_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// ISO 7064 MOD 11-2 check character of 17 digits (GB 11643-1999).
pub fn rid_check(first17: &str) -> char {
    assert_eq!(first17.len(), 17, "{first17:?}");
    let sum: u32 = first17
        .chars()
        .zip(RID_WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    "10X98765432".as_bytes()[(sum % 11) as usize] as char
}

/// Resident ID from area code, birth date `YYYY-MM-DD` and 3-digit sequence (last digit odd =
/// male, even = female).
pub fn rid(area: &str, birth: &str, seq: &str) -> String {
    let body = format!("{area}{}{seq}", birth.replace('-', ""));
    let c = rid_check(&body);
    format!("{body}{c}")
}

/// The same resident ID with a wrong check character.
pub fn rid_with_wrong_check(id: &str) -> String {
    let good = id.as_bytes()[17] as char;
    let bad = if good == '0' { '1' } else { '0' };
    format!("{}{bad}", &id[..17])
}

/// GB 32100-2015 check character of 17 credit-code characters.
pub fn cc_check(first17: &str) -> char {
    assert_eq!(first17.len(), 17, "{first17:?}");
    let sum: u32 = first17
        .chars()
        .zip(CC_WEIGHTS)
        .map(|(c, w)| CC_CHARSET.find(c).expect("GB 32100 character") as u32 * w)
        .sum();
    let v = (31 - sum % 31) % 31;
    CC_CHARSET.as_bytes()[v as usize] as char
}

/// Credit code from its first 17 characters.
pub fn credit(first17: &str) -> String {
    format!("{first17}{}", cc_check(first17))
}

// ------------------------------------------------------------------ months

/// `n` consecutive months from `from` (`YYYY-MM`).
pub fn months(from: &str, n: usize) -> Vec<String> {
    let y: i32 = from[..4].parse().unwrap();
    let m: i32 = from[5..7].parse().unwrap();
    let start = y * 12 + m - 1;
    (0..n as i32)
        .map(|k| {
            let i = start + k;
            format!("{:04}-{:02}", i / 12, i % 12 + 1)
        })
        .collect()
}

// ------------------------------------------------------------------ cities

pub const PERSONS_HEADER: &str = "person_id,name,hukou_local,registered_unemployed_on,hardship_categories,graduation_date,education,hardship_family_graduate,bank_code,account_no";
pub const EMPLOYERS_HEADER: &str =
    "employer_id,name,size,kind,founded_on,founder_id,staffing_agency,region,bank_code,account_no";
pub const EMPLOYMENT_HEADER: &str =
    "person_id,employer_id,contract_start,contract_end,post,ended_on";
pub const CONTRIBUTIONS_HEADER: &str =
    "person_id,employer_id,period,insurance,base,employer_amount,personal_amount,paid_on";
pub const INTERNSHIPS_HEADER: &str = "placement_id,person_id,host_id,mentor_id,start_date,planned_end,left_on,monthly_stipend,outcome";
pub const LOANS_HEADER: &str = "loan_id,borrower_id,borrower_kind,borrower_group,lender_bank,principal,annual_rate,start_date,term_months,instalment_no,accrual_start,accrual_end,due_date,interest_due,principal_due,paid_on";

/// A small city: the rows of the six input files (canonical headers, UTF-8, LF).
#[derive(Default, Clone)]
pub struct City {
    pub persons: Vec<String>,
    pub employers: Vec<String>,
    pub employment: Vec<String>,
    pub contributions: Vec<String>,
    pub internships: Vec<String>,
    pub loans: Vec<String>,
}

/// Physical line of the row just pushed (header = line 1).
fn push(rows: &mut Vec<String>, row: String) -> u32 {
    rows.push(row);
    rows.len() as u32 + 1
}

impl City {
    pub fn new() -> Self {
        Self::default()
    }

    /// A local person with the given unemployment registration and declared hardship facts.
    pub fn hardship_person(
        &mut self,
        id: &str,
        name: &str,
        registered_on: &str,
        cats: &str,
    ) -> u32 {
        push(
            &mut self.persons,
            format!("{id},{name},Y,{registered_on},{cats},,other,N,,"),
        )
    }

    /// A person of non-local hukou.
    pub fn nonlocal_person(
        &mut self,
        id: &str,
        name: &str,
        registered_on: &str,
        cats: &str,
    ) -> u32 {
        push(
            &mut self.persons,
            format!("{id},{name},N,{registered_on},{cats},,other,N,,"),
        )
    }

    /// A local full-time university graduate, not registered unemployed.
    pub fn graduate(&mut self, id: &str, name: &str, graduated_on: &str) -> u32 {
        push(
            &mut self.persons,
            format!("{id},{name},Y,,,{graduated_on},university,N,,"),
        )
    }

    /// Registers the person `id` (a row already pushed) as unemployed on `on`.
    pub fn register(&mut self, id: &str, on: &str) {
        for row in self.persons.iter_mut().filter(|r| r.starts_with(id)) {
            let mut cols: Vec<String> = row.split(',').map(str::to_string).collect();
            cols[3] = on.to_string();
            *row = cols.join(",");
        }
    }

    /// Gives the person `id` (a row already pushed) a usable bank account: a person paid
    /// directly (flexible work, a public-welfare post) needs one.
    pub fn give_account(&mut self, id: &str) {
        for row in self.persons.iter_mut().filter(|r| r.starts_with(id)) {
            if let Some(head) = row.strip_suffix(",,") {
                *row = format!("{head},102305000012,1102020109000012345");
            }
        }
    }

    /// An enterprise with a usable bank account.
    pub fn employer(&mut self, id: &str, name: &str, size: &str) -> u32 {
        self.employer_of_kind(id, name, size, "enterprise")
    }

    pub fn employer_of_kind(&mut self, id: &str, name: &str, size: &str, kind: &str) -> u32 {
        push(
            &mut self.employers,
            format!(
                "{id},{name},{size},{kind},2009-04-16,,N,320508,102305000012,1102020109000012345"
            ),
        )
    }

    /// An employer of `kind` (public_body, social_org, …) with a usable bank account, registered
    /// in division `region`.
    pub fn employer_of_kind_in(
        &mut self,
        id: &str,
        name: &str,
        size: &str,
        kind: &str,
        region: &str,
    ) -> u32 {
        push(
            &mut self.employers,
            format!(
                "{id},{name},{size},{kind},2009-04-16,,N,{region},102305000012,1102020109000012345"
            ),
        )
    }

    /// An enterprise with a usable bank account, registered in division `region` (6 digits,
    /// e.g. 320281 Jiangyin) instead of the default 320508.
    pub fn employer_in(&mut self, id: &str, name: &str, size: &str, region: &str) -> u32 {
        push(
            &mut self.employers,
            format!(
                "{id},{name},{size},enterprise,2009-04-16,,N,{region},102305000012,1102020109000012345"
            ),
        )
    }

    /// An internship placement (`mentor` and `left_on` may be empty).
    #[allow(clippy::too_many_arguments)]
    pub fn internship(
        &mut self,
        placement: &str,
        person: &str,
        host: &str,
        mentor: &str,
        start: &str,
        planned_end: &str,
        left_on: &str,
        stipend: &str,
        outcome: &str,
    ) -> u32 {
        push(
            &mut self.internships,
            format!("{placement},{person},{host},{mentor},{start},{planned_end},{left_on},{stipend},{outcome}"),
        )
    }

    /// A labour contract (`end` empty = open-ended).
    pub fn job(&mut self, person: &str, employer: &str, start: &str, end: &str, post: &str) -> u32 {
        push(
            &mut self.employment,
            format!("{person},{employer},{start},{end},{post},"),
        )
    }

    /// A labour contract that ended early, on `ended_on` (its last day).
    pub fn job_ended(
        &mut self,
        person: &str,
        employer: &str,
        (start, end): (&str, &str),
        post: &str,
        ended_on: &str,
    ) -> u32 {
        push(
            &mut self.employment,
            format!("{person},{employer},{start},{end},{post},{ended_on}"),
        )
    }

    /// One contribution row.
    #[allow(clippy::too_many_arguments)]
    pub fn si(
        &mut self,
        person: &str,
        employer: &str,
        period: &str,
        insurance: &str,
        base: &str,
        employer_amount: &str,
        personal_amount: &str,
        paid_on: &str,
    ) -> u32 {
        push(
            &mut self.contributions,
            format!("{person},{employer},{period},{insurance},{base},{employer_amount},{personal_amount},{paid_on}"),
        )
    }

    /// Employer pension row on base 3500.00: employer 19 % = 665.00, personal 8 % = 280.00.
    pub fn pension(&mut self, person: &str, employer: &str, period: &str, paid_on: &str) -> u32 {
        self.si(
            person, employer, period, "pension", "3500.00", "665.00", "280.00", paid_on,
        )
    }

    /// Employer medical row on base 3500.00: employer 8 % = 280.00, personal 2 % = 70.00.
    pub fn medical(&mut self, person: &str, employer: &str, period: &str, paid_on: &str) -> u32 {
        self.si(
            person, employer, period, "medical", "3500.00", "280.00", "70.00", paid_on,
        )
    }

    /// All five employer insurances on base 3500.00, employer shares
    /// pension 665.00 + medical 280.00 + unemployment 17.50 + injury 7.00 + maternity 28.00
    /// = 997.50. Returns the line of the first row (the next four follow it).
    pub fn five(&mut self, person: &str, employer: &str, period: &str, paid_on: &str) -> u32 {
        let first = self.pension(person, employer, period, paid_on);
        self.medical(person, employer, period, paid_on);
        self.si(
            person,
            employer,
            period,
            "unemployment",
            "3500.00",
            "17.50",
            "17.50",
            paid_on,
        );
        self.si(
            person, employer, period, "injury", "3500.00", "7.00", "0.00", paid_on,
        );
        self.si(
            person,
            employer,
            period,
            "maternity",
            "3500.00",
            "28.00",
            "0.00",
            paid_on,
        );
        first
    }

    fn text(header: &str, rows: &[String]) -> String {
        let mut s = String::from(header);
        s.push('\n');
        for r in rows {
            s.push_str(r);
            s.push('\n');
        }
        s
    }

    /// Writes the six files into a new temporary folder.
    pub fn write(&self) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("input tempdir");
        let files = [
            ("persons.csv", PERSONS_HEADER, &self.persons),
            ("employers.csv", EMPLOYERS_HEADER, &self.employers),
            ("employment.csv", EMPLOYMENT_HEADER, &self.employment),
            (
                "contributions.csv",
                CONTRIBUTIONS_HEADER,
                &self.contributions,
            ),
            ("internships.csv", INTERNSHIPS_HEADER, &self.internships),
            ("loan_repayments.csv", LOANS_HEADER, &self.loans),
        ];
        for (name, header, rows) in files {
            fs::write(dir.path().join(name), Self::text(header, rows)).expect("write input");
        }
        dir
    }
}

// ------------------------------------------------------------------ running the binary

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary copy of the demo city's input files (`fixtures/demo/*.csv`), to edit.
pub fn demo_copy() -> tempfile::TempDir {
    let demo = manifest_dir().join("fixtures").join("demo");
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(&demo).unwrap() {
        let f = f.unwrap();
        if f.path().extension().is_some_and(|e| e == "csv") {
            std::fs::copy(f.path(), dir.path().join(f.file_name())).unwrap();
        }
    }
    dir
}

pub struct Ran {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    out_dir: tempfile::TempDir,
}

impl Ran {
    /// The `--out` folder given to the run (not created beforehand).
    pub fn out(&self) -> PathBuf {
        self.out_dir.path().join("out")
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        let p = self.out().join(name);
        fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    pub fn payments(&self, payout: &str) -> Vec<Pay> {
        parse_payments(&self.read("payments.csv"), payout)
    }

    /// The exception rows, without the run-level PAYER_ACCOUNT_UNSET notice (the shipped
    /// pipelines leave the payer accounts to the bureau; tests/bank.rs checks that notice).
    pub fn exceptions(&self) -> Vec<Exc> {
        parse_exceptions(&self.read("exceptions.csv"))
            .into_iter()
            .filter(|e| e.code != "PAYER_ACCOUNT_UNSET")
            .collect()
    }

    /// Exceptions of the programmes whose code starts with `prefix`, and every reject
    /// whatever its programme, sorted.
    pub fn exceptions_of(&self, prefix: &str) -> Vec<Exc> {
        let mut x: Vec<Exc> = self
            .exceptions()
            .into_iter()
            .filter(|e| e.programme.starts_with(prefix) || e.severity == "reject")
            .collect();
        x.sort();
        x
    }

    /// Distinct exception codes about a person or employer (or borrower), sorted.
    pub fn codes_for(&self, who: &str) -> Vec<String> {
        let mut v: Vec<String> = self
            .exceptions()
            .into_iter()
            .filter(|e| e.person_id == who || e.employer_id == who)
            .map(|e| e.code)
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// payments.csv's lines of the programmes `e` names, checked as `checked_lines` does.
    pub fn lines(&self, e: &LinesOf) -> Vec<Pay> {
        checked_lines(&self.read("payments.csv"), e)
    }

    pub fn summary(&self) -> serde_json::Value {
        serde_json::from_slice(&self.read("summary.json")).expect("summary.json is JSON")
    }

    /// Files under the output folder (empty if it does not exist).
    pub fn out_entries(&self) -> Vec<String> {
        match fs::read_dir(self.out()) {
            Err(_) => Vec::new(),
            Ok(rd) => rd
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect(),
        }
    }
}

pub fn disburse(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_disburse"))
        .current_dir(manifest_dir())
        .args(args)
        .output()
        .expect("start the disburse binary")
}

/// `disburse run --pipeline P --month M --input DIR --out <tmp>/out`, whatever the outcome.
pub fn run(input: &Path, pipeline: &str, month: &str) -> Ran {
    let out_dir = tempfile::tempdir().expect("out tempdir");
    let out = out_dir.path().join("out");
    let o = disburse(&[
        "run".as_ref(),
        "--pipeline".as_ref(),
        pipeline.as_ref(),
        "--month".as_ref(),
        month.as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    Ran {
        status: o.status,
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        out_dir,
    }
}

/// A run that must stop, writing nothing, because rows need a parameter the pipeline leaves
/// to the published standard (INPUTS.md: “enabling that programme without setting it must stop
/// the run with a clear message”): exit 1, no output folder, and a message naming the
/// parameter and each of `sources` (`file:line`).
pub fn run_stops_for_unset(
    input: &Path,
    pipeline: &str,
    month: &str,
    param: &str,
    sources: &[String],
) -> Ran {
    let r = run(input, pipeline, month);
    assert_eq!(r.status.code(), Some(1), "{}", r.stderr);
    assert!(!r.out_dir.path().join("out/payments.csv").exists());
    assert!(r.stderr.contains(param), "{}", r.stderr);
    for s in sources {
        assert!(r.stderr.contains(s.as_str()), "{s}: {}", r.stderr);
    }
    r
}

/// A run that must complete.
pub fn run_ok(input: &Path, pipeline: &str, month: &str) -> Ran {
    let r = run(input, pipeline, month);
    assert!(
        r.status.success(),
        "disburse run --pipeline {pipeline} --month {month} failed: {:?}\n--- stderr\n{}",
        r.status,
        r.stderr
    );
    r
}

/// `disburse validate --pipeline P --input DIR`: exit code and stdout.
pub fn validate(input: &Path, pipeline: &str) -> (Option<i32>, String) {
    let o = disburse(&[
        "validate".as_ref(),
        "--pipeline".as_ref(),
        pipeline.as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
    ]);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

// ------------------------------------------------------------------ reading outputs

pub const HIRE: &str = "si_hardship_hire";
pub const GRAD: &str = "si_sme_graduate_hire";
pub const HFLEX: &str = "si_hardship_flexible";

const PAYMENT_COLUMNS: [&str; 11] = [
    "payment_id",
    "pipeline",
    "programme",
    "clause",
    "payout_month",
    "service_month",
    "payee_kind",
    "payee_id",
    "beneficiary_id",
    "amount",
    "basis",
];

const EXCEPTION_COLUMNS: [&str; 8] = [
    "severity",
    "code",
    "source",
    "programme",
    "person_id",
    "employer_id",
    "amount",
    "message",
];

/// A payment line as compared by the tests.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pay {
    pub programme: String,
    pub service_month: String,
    pub payee_kind: String,
    pub payee_id: String,
    pub beneficiary_id: String,
    pub amount: String,
}

impl Pay {
    /// The line a payments.csv row (as `payment_rows` gives it) describes.
    pub fn of_row(row: &BTreeMap<String, String>) -> Pay {
        Pay {
            programme: row["programme"].clone(),
            service_month: row["service_month"].clone(),
            payee_kind: row["payee_kind"].clone(),
            payee_id: row["payee_id"].clone(),
            beneficiary_id: row["beneficiary_id"].clone(),
            amount: row["amount"].clone(),
        }
    }
}

pub fn pay(
    programme: &str,
    service_month: &str,
    payee_kind: &str,
    payee_id: &str,
    beneficiary_id: &str,
    amount: &str,
) -> Pay {
    Pay {
        programme: programme.into(),
        service_month: service_month.into(),
        payee_kind: payee_kind.into(),
        payee_id: payee_id.into(),
        beneficiary_id: beneficiary_id.into(),
        amount: amount.into(),
    }
}

/// An employer-paid line.
pub fn employer_pay(
    programme: &str,
    month: &str,
    employer: &str,
    person: &str,
    amount: &str,
) -> Pay {
    pay(programme, month, "employer", employer, person, amount)
}

/// A line paid to the person it is about (flexible work, a public-welfare post).
pub fn person_pay(programme: &str, month: &str, person: &str, amount: &str) -> Pay {
    pay(programme, month, "person", person, person, amount)
}

/// An exception row as compared by the tests (the message is free text and not compared).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Exc {
    pub severity: String,
    pub code: String,
    pub source: String,
    pub programme: String,
    pub person_id: String,
    pub employer_id: String,
    pub amount: String,
}

pub fn exc(
    severity: &str,
    code: &str,
    source: &str,
    programme: &str,
    person_id: &str,
    employer_id: &str,
    amount: &str,
) -> Exc {
    Exc {
        severity: severity.into(),
        code: code.into(),
        source: source.into(),
        programme: programme.into(),
        person_id: person_id.into(),
        employer_id: employer_id.into(),
        amount: amount.into(),
    }
}

/// An info row.
pub fn info(
    code: &str,
    source: &str,
    programme: &str,
    person_id: &str,
    employer_id: &str,
    amount: &str,
) -> Exc {
    exc(
        "info",
        code,
        source,
        programme,
        person_id,
        employer_id,
        amount,
    )
}

fn rows(what: &str, bytes: &[u8]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut rdr = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = rdr
        .headers()
        .unwrap_or_else(|e| panic!("{what}: header: {e}"))
        .iter()
        .map(str::to_string)
        .collect();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{what}: {e}"));
        out.push(
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect(),
        );
    }
    (headers, out)
}

fn clause_of(programme: &str) -> &'static str {
    match programme {
        HIRE | HFLEX => "苏府〔2017〕158号 （七）",
        GRAD | "si_graduate_flexible" => "苏府〔2017〕158号 （八）2",
        other => panic!("unexpected programme {other}"),
    }
}

/// Reads payments.csv, checks the contract columns and the per-run constants, and returns its
/// lines sorted.
pub fn parse_payments(bytes: &[u8], payout: &str) -> Vec<Pay> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (headers, rows) = rows("payments.csv", bytes);
    assert_eq!(
        &headers[..PAYMENT_COLUMNS.len()],
        &PAYMENT_COLUMNS,
        "payments.csv must start with the contract columns in order"
    );
    let mut out: Vec<Pay> = rows
        .iter()
        .map(|r| {
            assert_eq!(r["pipeline"], "suzhou", "{r:?}");
            assert_eq!(r["payout_month"], payout, "{r:?}");
            assert_eq!(r["clause"], clause_of(&r["programme"]), "{r:?}");
            assert!(
                !r["payment_id"].is_empty() && !r["basis"].is_empty(),
                "{r:?}"
            );
            Pay::of_row(r)
        })
        .collect();
    out.sort();
    out
}

/// Which lines of a payments.csv a test reads, and what each of them must show.
pub struct LinesOf<'a> {
    /// the pipeline's name, or "" for any
    pub pipeline: &'a str,
    pub payout: &'a str,
    /// what the clause must start with (the document, or document and clause)
    pub clause: &'a str,
    /// the programmes kept: codes starting with this ("" for every line)
    pub programme: &'a str,
}

/// The lines of a payments.csv that `e` selects, sorted, after checking on each the contract's
/// per-line rules (OUTPUTS.md): the pipeline and payout month of the run, a clause citing the
/// document, a payment id and a basis, an amount with two decimals above zero, and a service
/// month (where there is one) not after the payout month.
pub fn checked_lines(bytes: &[u8], e: &LinesOf) -> Vec<Pay> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out: Vec<Pay> = payment_rows(bytes)
        .iter()
        .filter(|row| row["programme"].starts_with(e.programme))
        .map(|row| {
            if !e.pipeline.is_empty() {
                assert_eq!(row["pipeline"], e.pipeline, "{row:?}");
            }
            assert_eq!(row["payout_month"], e.payout, "{row:?}");
            assert!(
                row["clause"].starts_with(e.clause),
                "clause should cite {}: {row:?}",
                e.clause
            );
            assert!(
                !row["payment_id"].is_empty() && !row["basis"].is_empty(),
                "{row:?}"
            );
            assert!(fen(&row["amount"]) > 0, "amount must be > 0: {row:?}");
            assert!(
                row["service_month"].as_str() <= e.payout,
                "a run for P pays service months ≤ P: {row:?}"
            );
            Pay::of_row(row)
        })
        .collect();
    out.sort();
    out
}

/// A run's payment lines as (programme, service month, amount), in file order.
pub fn programme_month_amounts(out: &std::path::Path) -> Vec<(String, String, String)> {
    payment_rows(&std::fs::read(out.join("payments.csv")).unwrap())
        .into_iter()
        .map(|r| {
            (
                r["programme"].clone(),
                r["service_month"].clone(),
                r["amount"].clone(),
            )
        })
        .collect()
}

/// payments.csv rows as maps (for extra columns such as payee_name).
pub fn payment_rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    rows("payments.csv", bytes).1
}

/// Reads exceptions.csv (must start with a UTF-8 BOM) and returns its rows sorted.
pub fn parse_exceptions(bytes: &[u8]) -> Vec<Exc> {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "exceptions.csv must start with a UTF-8 BOM"
    );
    let (headers, rows) = rows("exceptions.csv", &bytes[3..]);
    for c in EXCEPTION_COLUMNS {
        assert!(headers.iter().any(|h| h == c), "exceptions.csv lacks {c}");
    }
    let mut out: Vec<Exc> = rows
        .iter()
        .map(|r| Exc {
            severity: r["severity"].clone(),
            code: r["code"].clone(),
            source: r["source"].clone(),
            programme: r["programme"].clone(),
            person_id: r["person_id"].clone(),
            employer_id: r["employer_id"].clone(),
            amount: r["amount"].clone(),
        })
        .collect();
    out.sort();
    out
}

/// Asserts two collections are equal as sorted lists, showing what is missing and extra.
pub fn assert_same<T: Ord + Clone + std::fmt::Debug>(what: &str, actual: &[T], expected: &[T]) {
    let mut a = actual.to_vec();
    let mut e = expected.to_vec();
    a.sort();
    e.sort();
    if a != e {
        let missing: Vec<&T> = e.iter().filter(|x| !a.contains(x)).collect();
        let extra: Vec<&T> = a.iter().filter(|x| !e.contains(x)).collect();
        panic!(
            "{what} differ (expected {}, got {})\nmissing: {missing:#?}\nunexpected: {extra:#?}",
            e.len(),
            a.len()
        );
    }
}

/// "1234.50" → 123450 fen.
pub fn fen(amount: &str) -> i64 {
    let (i, f) = amount.split_once('.').expect("two decimals");
    assert_eq!(f.len(), 2, "{amount}");
    i.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
}

/// Total of the lines in yuan with two decimals.
pub fn total(lines: &[Pay]) -> String {
    let f: i64 = lines.iter().map(|l| fen(&l.amount)).sum();
    format!("{}.{:02}", f / 100, f % 100)
}

/// `disburse run … --out OUT --ledger LEDGER`, whatever the outcome.
/// Asserts that a `disburse` command succeeded (its stderr shown otherwise).
pub fn ok(o: &std::process::Output) {
    assert!(
        o.status.success(),
        "disburse failed ({:?}): {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `disburse reconcile` with one return: the bank failed line `id` for `reason` (the returns
/// file beside the ledger).
pub fn bank_fails(ledger: &Path, id: &str, reason: &str) {
    ok(&bank_returns(
        ledger,
        &format!("payment_id,status,reason\n{id},failed,{reason}\n"),
    ));
}

/// `disburse reconcile` with the returns file `text` (written beside the ledger), whatever the
/// outcome.
pub fn bank_returns(ledger: &Path, text: &str) -> std::process::Output {
    let f = ledger.with_file_name("returns.csv");
    fs::write(&f, text).expect("write the returns file");
    disburse(&[
        "reconcile".as_ref(),
        "--returns".as_ref(),
        f.as_os_str(),
        "--ledger".as_ref(),
        ledger.as_os_str(),
    ])
}

/// `disburse acknowledge --payment-id ID --reason REASON --ledger L`, whatever the outcome.
pub fn acknowledge(ledger: &Path, id: &str, reason: &str) -> std::process::Output {
    disburse(&[
        "acknowledge".as_ref(),
        "--payment-id".as_ref(),
        id.as_ref(),
        "--reason".as_ref(),
        reason.as_ref(),
        "--ledger".as_ref(),
        ledger.as_os_str(),
    ])
}

pub fn run_in(
    input: &Path,
    pipeline: &str,
    month: &str,
    out: &Path,
    ledger: &Path,
) -> std::process::Output {
    disburse(&[
        "run".as_ref(),
        "--pipeline".as_ref(),
        pipeline.as_ref(),
        "--month".as_ref(),
        month.as_ref(),
        "--input".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--ledger".as_ref(),
        ledger.as_os_str(),
    ])
}

// ------------------------------------------------------------------ loans

pub const INTEREST: &str = "loan_interest";
pub const DEFAULT: &str = "loan_default_compensation";
/// The lending bank of the loan tests' loans (a CNAPS code).
pub const BANK: &str = "313305000014";

/// The loan lines of a payments.csv, sorted.
pub fn loan_lines_of(bytes: &[u8]) -> Vec<Pay> {
    let mut out: Vec<Pay> = payment_rows(bytes)
        .iter()
        .filter(|row| row["programme"].starts_with("loan_"))
        .map(Pay::of_row)
        .collect();
    out.sort();
    out
}

/// An interest line to the lending bank.
pub fn interest(month: &str, borrower: &str, amount: &str) -> Pay {
    pay(INTEREST, month, "bank", BANK, borrower, amount)
}

/// An exception row about line `line` of loan_repayments.csv.
pub fn loan_x(
    sev: &str,
    code: &str,
    line: u32,
    programme: &str,
    person: &str,
    amount: &str,
) -> Exc {
    exc(
        sev,
        code,
        &format!("loan_repayments.csv:{line}"),
        programme,
        person,
        "",
        amount,
    )
}
