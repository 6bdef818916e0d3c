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

/// Sorts `v` stably by `cmp` moving each element once: the order is worked out on indices and
/// then applied (lines and exceptions are several hundred bytes each; a sort that moves them
/// at every step copies the vector some twenty times over).
pub fn sort_moving_once<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Sync)
where
    T: Sync,
{
    use rayon::prelude::*;
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.par_sort_by(|&a, &b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}
