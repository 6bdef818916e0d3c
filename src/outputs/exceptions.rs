//! `exceptions.csv`: UTF-8 with BOM (spreadsheets then show Chinese correctly), stable order.

use crate::exceptions::Exception;

pub const HEADER: [&str; 8] = [
    "severity",
    "code",
    "source",
    "programme",
    "person_id",
    "employer_id",
    "amount",
    "message",
];

/// Sorts for the analyst: rejects by file and line, then holds, then information.
pub fn sort(ex: &mut Vec<Exception>, file_order: &[String]) {
    let file_rank = |e: &Exception| {
        e.source
            .as_ref()
            .map(|(f, l)| {
                (
                    file_order.iter().position(|x| x == f).unwrap_or(usize::MAX),
                    *l,
                )
            })
            .unwrap_or((usize::MAX, 0))
    };
    // each row's file rank once, not at every comparison
    let mut ranked: Vec<((usize, u32), Exception)> = std::mem::take(ex)
        .into_iter()
        .map(|e| (file_rank(&e), e))
        .collect();
    super::sort_moving_once(&mut ranked, |(ra, a), (rb, b)| {
        (
            a.severity,
            ra,
            a.code,
            a.programme,
            a.person,
            a.employer,
            &a.message,
        )
            .cmp(&(
                b.severity,
                rb,
                b.code,
                b.programme,
                b.person,
                b.employer,
                &b.message,
            ))
    });
    ex.extend(ranked.into_iter().map(|(_, e)| e));
}

pub fn render(ex: &[Exception]) -> Vec<u8> {
    // the file's size, near enough: one allocation, not a doubling series
    let size: usize = ex.iter().map(|e| 120 + e.message.len()).sum();
    let mut buf = Vec::with_capacity(size + 1024);
    // (writing to memory cannot fail)
    let _ = render_to(ex, &mut buf);
    buf
}

/// `render`, written to `out` as it goes.
pub fn render_to(ex: &[Exception], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = super::csv_out::CsvOut::new(out);
    w.record(&HEADER)?;
    for e in ex {
        w.record(&[
            e.severity.as_str(),
            e.code.as_str(),
            &e.source_str(),
            e.programme.unwrap_or(""),
            &e.person.map(|p| p.to_string()).unwrap_or_default(),
            &e.employer.map(|x| x.to_string()).unwrap_or_default(),
            &e.amount.map(|a| a.to_string()).unwrap_or_default(),
            &e.message,
        ])?;
    }
    w.finish()
}
