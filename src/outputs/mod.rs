//! Outputs (OUTPUTS.md): `payments.csv`, `exceptions.csv`, `summary.json`, `manifest.json`.
//! Each file is written under a temporary name as soon as it is ready (the largest streamed
//! there as they are rendered, the rest rendered in memory first) and all are renamed together
//! at the end (`atomic::Staging`), so a failed run leaves no file under a final name; the same
//! inputs give the same bytes.

pub mod atomic;
pub mod bank;
pub mod csv_out;
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

/// `v` with each element's texts allocated anew, in the vector's order. The programmes make
/// their lines' texts in the order they work (by loan, by person) and the lines are sorted
/// afterwards: each pass over the sorted lines (payments.csv, bank files, ledger rows) would
/// then fetch every text from a different corner of the heap. Copied in order, the texts of
/// consecutive lines lie side by side, and the passes after this one read memory in order
/// (on the 1M-person city with loans, outputs take 0.2 s less for the copy's 0.08 s;
/// docs/PERFORMANCE.md).
pub fn laid_out<T: Clone + Send + Sync>(v: Vec<T>) -> Vec<T> {
    use rayon::prelude::*;
    let fresh = v.par_iter().cloned().collect();
    v.into_par_iter().for_each(drop);
    fresh
}

/// Sorts `v` stably by `cmp`, each element moved about once: the order is worked out on
/// indices and then applied in place (lines and exceptions are several hundred bytes each; a
/// sort that moves them at every step copies the vector some twenty times over).
pub fn sort_moving_once<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Sync)
where
    T: Sync,
{
    use rayon::prelude::*;
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.par_sort_by(|&a, &b| cmp(&v[a], &v[b]));
    // the order applied in place, cycle by cycle (no second vector: its memory would be
    // fresh pages, each a fault): position j takes the element at order[j]
    let mut placed = vec![false; v.len()];
    for i in 0..v.len() {
        if placed[i] {
            continue;
        }
        let mut j = i;
        while order[j] != i {
            v.swap(j, order[j]);
            placed[j] = true;
            j = order[j];
        }
        placed[j] = true;
    }
}

#[cfg(test)]
mod tests {
    // Stable, and the same order as the standard library's stable sort, over cycles of every
    // length (a permutation made of a fixed point, a swap, and longer cycles).
    #[test]
    fn sort_moving_once_is_a_stable_sort() {
        let mut v: Vec<(u32, usize)> = (0..1000usize)
            .map(|i| (((i * 7919) % 13) as u32, i))
            .collect();
        let mut want = v.clone();
        want.sort_by_key(|x| x.0);
        super::sort_moving_once(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, want);
        let mut w = vec![3, 1, 2, 0, 4, 6, 5];
        super::sort_moving_once(&mut w, |a, b| a.cmp(b));
        assert_eq!(w, [0, 1, 2, 3, 4, 5, 6]);
    }
}
