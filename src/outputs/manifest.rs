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
