//! `disburse verify-bank`: bank files read back and checked against themselves, the schema, the
//! run's payments.csv, the pipeline's funding and payer accounts, and the SHA-256 the run
//! folder's manifest records (`verify_bank`, a file at a time: `check_file`).

use super::RunError;
use crate::outputs;
use crate::pipeline::{Funding, Pipeline};
use std::path::{Path, PathBuf};

/// What `verify_bank` found.
#[derive(Default)]
pub struct BankVerdict {
    /// each problem, naming its file
    pub problems: Vec<String>,
    /// the XML files whose schema was not checked (no xmllint on the machine)
    pub unchecked: Vec<String>,
    /// the files (bank files, payments.csv) no run folder's manifest lists: judged by their
    /// contents alone, not matched to the file a run wrote
    pub by_contents: Vec<String>,
}

/// `disburse verify-bank`: re-reads bank files (pain.001 XML or the flat layout of `pipeline`)
/// and checks them against themselves, the schema, `payments` and, in a run folder, the SHA-256
/// its manifest records (`BankVerdict`: the problems, the XML files whose schema was not checked
/// — no xmllint on the machine: the verdict says so —, the files judged by contents alone).
pub fn verify_bank(
    files: &[PathBuf],
    payments: Option<&Path>,
    pipeline: Option<&str>,
) -> Result<BankVerdict, RunError> {
    let given = pipeline.map(Pipeline::load).transpose()?;
    let mut v = BankVerdict::default();
    let mut payments_seen: Vec<PathBuf> = Vec::new();
    for file in files {
        check_file(file, payments, given.as_ref(), &mut payments_seen, &mut v)?;
    }
    Ok(v)
}

impl BankVerdict {
    /// A file the run folder's manifest records is the file the run wrote, byte for byte: a
    /// payee's account changed by hand agrees with every count, total and id, and payments.csv
    /// carries no account (a review found such a file passed). A file no manifest lists is
    /// judged by its contents alone, and said so.
    fn recorded(&mut self, file: &Path, bytes: &[u8]) {
        use outputs::manifest::Recorded;
        match outputs::manifest::recorded_sha256(file) {
            Recorded::Sha256(manifest, sha) => if outputs::FileHash::of("", bytes).sha256 != sha {
                // (the hashes themselves not printed: a run of digits in one reads as an account
                // number to the messages' masking)
                self.problems.push(format!(
                    "{}: not the file the run wrote: its SHA-256 is not the one {} records — changed since the run",
                    file.display(),
                    manifest.display()
                ));
            },
            Recorded::Unreadable(manifest) => self.problems.push(format!(
                "{}: {} is no run's manifest (unreadable, or without its list of outputs): whether the file is the one the run wrote cannot be told",
                file.display(),
                manifest.display()
            )),
            // (said: a copy judged by its contents alone is not a file matched to its run)
            Recorded::Unlisted => self.by_contents.push(file.display().to_string()),
        }
    }
}

/// One bank file `file`, against the payments.csv of its run folder (or `payments`) and the
/// pipeline (`given`, or the shipped one payments.csv names); each payments.csv is checked
/// against its manifest once (`payments_seen`).
fn check_file(
    file: &Path,
    payments: Option<&Path>,
    given: Option<&Pipeline>,
    payments_seen: &mut Vec<PathBuf>,
    v: &mut BankVerdict,
) -> Result<(), RunError> {
    let pay = payments.map(Path::to_path_buf).unwrap_or_else(|| {
        file.parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."))
            .join("payments.csv")
    });
    let pay_bytes = std::fs::read(&pay)
        .map_err(|e| RunError::Bank(format!("cannot read {}: {e}", pay.display())))?;
    let bytes = std::fs::read(file)
        .map_err(|e| RunError::Bank(format!("cannot read {}: {e}", file.display())))?;
    let copy_of = payments.and_then(|_| copy_of_run(file, &bytes, &pay));
    let copy_name = match &copy_of {
        Some((_, Some(name))) => Some(name.clone()),
        Some((manifest, None)) => {
            v.problems.push(format!(
                "{}: not a bank file the run wrote: its SHA-256 is none of those {} records — changed since the run, or another run's",
                file.display(),
                manifest.display()
            ));
            None
        }
        None => None,
    };
    if !payments_seen.contains(&pay) {
        v.recorded(&pay, &pay_bytes);
        payments_seen.push(pay.clone());
    }
    let rows = payment_rows(&pay, &pay_bytes)?;
    let named = pipeline_named(given, &pay, &rows);
    let pipe = given.or(named.as_ref());
    let layout = pipe.map(|p| p.flat.clone()).unwrap_or_default();
    // the file's funding, by its name (`<pipeline>-<YYYY-MM>-<funding>-01.<ext>`)
    let name = copy_name
        .as_deref()
        .or_else(|| file.file_name().and_then(|n| n.to_str()))
        .unwrap_or("");
    // (the pain.001 by its name or its declaration at the start: a batch saved under
    // another name is checked as one — schema, payer — a regression review found it passed
    // unchecked)
    let head = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .trim_ascii_start();
    let xml_file = file.extension().is_some_and(|x| x == "xml")
        || head.starts_with(b"<?xml")
        || head.starts_with(b"<Document");
    let funding = pipe.and_then(|p| {
        p.funding.iter().find(|f| {
            name.starts_with(&format!("{}-", p.name)) && name.contains(&format!("-{}-", f.id))
        })
    });
    let expected: outputs::bank::Expectations = rows
        .iter()
        .filter(|[.., programme, _]| {
            funding.is_none_or(|f| f.programmes.iter().any(|p| p == programme))
        })
        .map(|[id, amount, bank, name, ..]| {
            (
                id.as_str(),
                outputs::bank::Expected {
                    cents: outputs::bank::cents(amount),
                    text: Some(amount.as_str()).filter(|a| !a.trim().is_empty()),
                    account: None,
                    bank_code: bank,
                    name: Some(name.as_str()),
                },
            )
        })
        .collect();
    if copy_of.is_none() {
        v.recorded(file, &bytes);
    }
    // (every line of the funding must be in the file when the pipeline was given, or when
    // the one payments.csv names reads the file without a problem: a bureau's own flat
    // layout read with the shipped one would report every line missing)
    let complete = funding.is_some() && given.is_some();
    let mut found = outputs::bank::verify(&bytes, xml_file, &layout, &expected, complete);
    if found.is_empty() && funding.is_some() && given.is_none() {
        found = outputs::bank::verify(&bytes, xml_file, &layout, &expected, true);
    }
    // (a flat file read with a layout not its own gives a problem per line: say how to
    // read it with the bureau's)
    let hint = given.is_none()
        && !xml_file
        && found
            .iter()
            .any(|p| p.starts_with("payment id  ") || p.starts_with("no control line"));
    for p in found {
        v.problems.push(format!("{}: {p}", file.display()));
    }
    if hint {
        v.problems.push(format!(
            "{}: read with the flat layout of {}; a bureau's own layout needs --pipeline <its pipeline file>",
            file.display(),
            pipe.map_or("the default pipeline".to_string(), |p| format!("the shipped pipeline {}", p.name))
        ));
    }
    let (text, _, _) = crate::ingest::decode::decode(&bytes, crate::pipeline::Encoding::Auto);
    payer(file, funding, xml_file, &text, &mut v.problems);
    if xml_file {
        match outputs::bank::schema_check_bytes(&bytes) {
            Ok(true) => {}
            // (not a pass: the verdict says the schema was not checked)
            Ok(false) => v.unchecked.push(file.display().to_string()),
            Err(e) => v.problems.push(format!(
                "{}: not valid against pain.001.001.09: {e}",
                file.display()
            )),
        }
    }
    Ok(())
}

/// A copy out of its run folder checked against a run's payments.csv (`--payments`, at `pay`):
/// the manifest beside payments.csv and the name of the bank file it records with the copy's
/// bytes — or none, which is a problem: a copy with an account changed, or a line dropped and
/// renamed, agreed with payments.csv (a cold review). `None` for a file a manifest lists
/// itself, or where no manifest lists bank files.
fn copy_of_run(file: &Path, bytes: &[u8], pay: &Path) -> Option<(PathBuf, Option<String>)> {
    if !matches!(
        outputs::manifest::recorded_sha256(file),
        outputs::manifest::Recorded::Unlisted
    ) {
        return None;
    }
    // (the manifest beside the file payments.csv is, a symlink followed: a regression review
    // found a linked payments.csv's copies judged by contents)
    let real = std::fs::canonicalize(pay).unwrap_or_else(|_| pay.to_path_buf());
    let manifest = real
        .parent()
        .unwrap_or(Path::new("."))
        .join("manifest.json");
    outputs::manifest::recorded_bank_files(&manifest).map(|listed| {
        let sha = outputs::FileHash::of("", bytes).sha256;
        let found = listed.into_iter().find(|(_, s)| *s == sha).map(|(n, _)| n);
        (manifest, found)
    })
}

/// The payments of payments.csv at `pay`: (id, amount, bank code, payee name, programme,
/// pipeline) of each — only what is checked is kept.
fn payment_rows(pay: &Path, pay_bytes: &[u8]) -> Result<Vec<[String; 6]>, RunError> {
    let mut rdr = csv::Reader::from_reader(pay_bytes);
    let mut rows: Vec<[String; 6]> = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| RunError::Bank(format!("{}: {e}", pay.display())))?;
        rows.push([0, 9, 15, 11, 2, 1].map(|i| r.get(i).unwrap_or("").to_string()));
    }
    Ok(rows)
}

/// Where no pipeline is given (none otherwise): the one payments.csv names when it is a shipped one (its
/// fundings say which lines the file must hold, and its payer accounts) — and the one the run
/// was made with, where the run folder's manifest records it: a bureau pipeline extending it
/// sets payer accounts the shipped one does not, and its correct files were refused as never
/// written for a bank (a review).
fn pipeline_named(given: Option<&Pipeline>, pay: &Path, rows: &[[String; 6]]) -> Option<Pipeline> {
    if given.is_some() {
        return None;
    }
    let run_pipeline = std::fs::canonicalize(pay)
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("manifest.json")))
        .and_then(|m| outputs::manifest::recorded_pipeline_sha256(&m));
    Pipeline::load(&rows.first()?[5])
        .ok()
        .filter(|p| run_pipeline.as_ref().is_none_or(|sha| *sha == p.hash()))
}

/// The payer the file names (`text`, decoded) against the pipeline's funding: the account and
/// bank code the pipeline sets for it (the XML names them), no UNSET payer, and no file of a
/// funding the pipeline sets no payer for.
fn payer(
    file: &Path,
    funding: Option<&Funding>,
    xml_file: bool,
    text: &str,
    problems: &mut Vec<String>,
) {
    if let Some(f) = funding.filter(|_| xml_file) {
        let (account, bank) = outputs::bank::payer_of(text);
        for (what, written, set) in [
            ("account", account, f.account.as_deref()),
            ("bank code", bank, f.bank_code.as_deref()),
        ] {
            if let Some(set) = set.filter(|s| written != Some(*s)) {
                problems.push(format!(
                    "{}: payer {what} {} but the pipeline's funding {} says {set}",
                    file.display(),
                    written.unwrap_or("(none)"),
                    f.id
                ));
            }
        }
    }
    if text.contains(outputs::bank::UNSET) {
        problems.push(format!(
            "{}: the payer account is UNSET (not configured in the pipeline)",
            file.display()
        ));
    } else if let Some(f) = funding.filter(|f| f.account.is_none() || f.bank_code.is_none()) {
        // (the file's UNSET marker deleted by hand: the pipeline still sets no payer — a
        // bank-file review found such a copy passed)
        problems.push(format!(
            "{}: the pipeline sets no payer account or bank code for funding {}: this file cannot have been written for a bank to execute",
            file.display(),
            f.id
        ));
    }
}
