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
}

pub fn render(m: &Manifest) -> Vec<u8> {
    let v = json!({
        "program": "disburse",
        "version": env!("CARGO_PKG_VERSION"),
        "pipeline": {
            "name": m.pipeline,
            "sha256": m.pipeline_sha256,
            "sources": m.pipeline_sources.iter().map(|(n, h)| json!({"name": n, "sha256": h})).collect::<Vec<_>>(),
        },
        "payout_month": m.payout.to_string(),
        "inputs": m.inputs,
        "outputs": m.outputs,
    });
    let mut s = serde_json::to_vec_pretty(&v).unwrap_or_default();
    s.push(b'\n');
    s
}

/// The output files an earlier run's manifest in `dir` lists (names relative to `dir`): a run
/// into the same folder removes those it does not write again, so that the folder never holds a
/// bank file of a run the ledger has since replaced. Only names a run can write are taken
/// (`name` or `bank/name`, no `..`): a damaged manifest cannot point anywhere else.
pub fn earlier_outputs(dir: &std::path::Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(dir.join("manifest.json")) else {
        return Vec::new();
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Vec::new();
    };
    let ours = |f: &str| {
        let parts: Vec<&str> = f.split('/').collect();
        let plain = |p: &str| !p.is_empty() && p != "." && p != ".." && !p.contains('\\');
        match parts.as_slice() {
            [name] => plain(name) && *name != "manifest.json",
            ["bank", name] => plain(name),
            _ => false,
        }
    };
    v.get("outputs")
        .and_then(|o| o.as_array())
        .into_iter()
        .flatten()
        .filter_map(|o| o.get("file")?.as_str())
        .filter(|f| ours(f))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_outputs_are_only_names_a_run_writes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(earlier_outputs(dir.path()).is_empty());
        std::fs::write(
            dir.path().join("manifest.json"),
            r#"{"outputs":[{"file":"payments.csv"},{"file":"bank/a.xml"},{"file":"../x"},
            {"file":"/etc/passwd"},{"file":"bank/../../y"},{"file":"other/z"},{"file":"manifest.json"}]}"#,
        )
        .unwrap();
        assert_eq!(
            earlier_outputs(dir.path()),
            vec!["payments.csv".to_string(), "bank/a.xml".to_string()]
        );
    }
}
