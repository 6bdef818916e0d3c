//! Outputs (OUTPUTS.md): `payments.csv`, `exceptions.csv`, `summary.json`, `manifest.json`.
//! Each file is written under a temporary name as soon as it is ready (the largest streamed
//! there as they are rendered, the rest rendered in memory first) and all are renamed together
//! at the end (`atomic::Staging`), so a failed run leaves no file under a final name; the same
//! inputs give the same bytes.

pub mod atomic;
pub mod bank;
pub mod exceptions;
pub mod manifest;
pub mod payments;
pub mod summary;

/// `<file>` with its size and SHA-256, for the manifest.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FileHash {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

impl FileHash {
    pub fn of(file: impl Into<String>, bytes: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        FileHash {
            file: file.into(),
            bytes: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(bytes)),
        }
    }
}
