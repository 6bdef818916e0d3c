//! One vector filled by parallel chunks in place.
//!
//! A file's rows used to be parsed into a vector per chunk and then copied into the table's
//! vector: on the 1M-person city that copy was 0.4 GB of freshly touched memory (a page fault
//! per 4 KiB, the most expensive thing this machine does; docs/PERFORMANCE.md). Here each chunk
//! writes its rows straight into its own stretch of the final vector's spare room (as many
//! slots as the chunk has lines, which is at least its rows), and the stretches are then moved
//! together inside the same memory. A chunk that yields more rows than it was given slots (a
//! file whose lines end in a bare CR) keeps the rest aside; they are put in their place after.
//!
//! Soundness rests on `Sink`: it can only be made here, its fields are private, and it writes
//! its slots from the first, never past the last (`filled` ≤ its slots). Keep it so.

use rayon::prelude::*;
use std::mem::MaybeUninit;

/// Where one chunk puts its rows.
pub struct Sink<'a, T> {
    slots: &'a mut [MaybeUninit<T>],
    filled: usize,
    spill: Vec<T>,
}

impl<T> Sink<'_, T> {
    pub fn push(&mut self, t: T) {
        match self.slots.get_mut(self.filled) {
            Some(slot) => {
                slot.write(t);
                self.filled += 1;
            }
            None => self.spill.push(t),
        }
    }
}

/// Runs `work` on every chunk in parallel, chunk `i` given `room[i]` slots, and returns the
/// rows of all chunks in chunk order with what each chunk returned besides.
pub fn fill<T, C, R, F>(chunks: &[C], room: &[usize], work: F) -> (Vec<T>, Vec<R>)
where
    T: Send,
    C: Sync,
    R: Send,
    F: Fn(&C, &mut Sink<T>) -> R + Sync,
{
    assert_eq!(chunks.len(), room.len(), "one room size per chunk");
    let mut v: Vec<T> = Vec::with_capacity(room.iter().sum());
    // the chunks' disjoint stretches of the spare room, in order
    let mut stretches: Vec<&mut [MaybeUninit<T>]> = Vec::with_capacity(room.len());
    let mut rest = &mut v.spare_capacity_mut()[..];
    for &n in room {
        let (mine, after) = rest.split_at_mut(n);
        stretches.push(mine);
        rest = after;
    }
    let done: Vec<(usize, Vec<T>, R)> = chunks
        .par_iter()
        .zip(stretches)
        .map(|(c, slots)| {
            let mut sink = Sink {
                slots,
                filled: 0,
                spill: Vec::new(),
            };
            let r = work(c, &mut sink);
            (sink.filled, sink.spill, r)
        })
        .collect();
    // (if `work` panicked, the rows written so far are leaked, never read or dropped twice)
    let base = v.as_mut_ptr();
    let (mut len, mut start) = (0usize, 0usize);
    for (&n, (filled, _, _)) in room.iter().zip(&done) {
        debug_assert!(*filled <= n);
        if start != len {
            // SAFETY: slots start..start+filled were written by that chunk's sink (it fills
            // them from the first, in order) and are read nowhere else; len <= start, both
            // within the capacity; `copy` allows the stretches to overlap.
            unsafe { std::ptr::copy(base.add(start), base.add(len), *filled) };
        }
        len += filled;
        start += n;
    }
    // SAFETY: the first `len` slots now hold the chunks' rows, each written once and moved
    // at most once (a moved-from slot lies at or past `len`, never read again)
    unsafe { v.set_len(len) };
    let mut extra = Vec::with_capacity(done.len());
    let mut spills = Vec::new();
    for (filled, spill, r) in done {
        spills.push((filled, spill));
        extra.push(r);
    }
    if spills.iter().all(|(_, s)| s.is_empty()) {
        return (v, extra);
    }
    // rare: put each chunk's spilt rows after its own
    let mut out = Vec::with_capacity(len + spills.iter().map(|(_, s)| s.len()).sum::<usize>());
    let mut rows = v.into_iter();
    for (filled, spill) in spills {
        out.extend(rows.by_ref().take(filled));
        out.extend(spill);
    }
    (out, extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rows come out in chunk order, whatever each chunk's room and yield: chunks that fill
    // their room, leave it part empty, yield nothing, and (the third) overflow it.
    #[test]
    fn rows_in_chunk_order_with_gaps_and_spills() {
        let chunks: Vec<Vec<String>> = vec![
            vec!["a".into(), "b".into()],
            vec!["c".into()],
            vec!["d".into(), "e".into(), "f".into(), "g".into()],
            vec![],
            vec!["h".into()],
        ];
        let room = [2, 3, 2, 1, 1];
        let (rows, counts) = fill(&chunks, &room, |c, sink| {
            for s in c {
                sink.push(s.clone());
            }
            c.len()
        });
        assert_eq!(rows, ["a", "b", "c", "d", "e", "f", "g", "h"]);
        assert_eq!(counts, [2, 1, 4, 0, 1]);
    }

    #[test]
    fn no_spill_compacts_in_place() {
        let chunks: Vec<u32> = (0..50).collect();
        let room = vec![10; 50];
        let (rows, _) = fill(&chunks, &room, |&c, sink| {
            for k in 0..c % 7 {
                sink.push(vec![c, k]);
            }
        });
        let want: Vec<Vec<u32>> = (0..50u32)
            .flat_map(|c| (0..c % 7).map(move |k| vec![c, k]))
            .collect();
        assert_eq!(rows, want);
    }
}
