//! The contributions join: employer (or flexible) SI per person, employer and service month,
//! split into paid by the end of the payout month, unpaid, and paid after it.
//!
//! Runs on polars' streaming engine: the 5M-row extract is joined against the candidate
//! pairs the programmes name and summed per month. Money stays in integer cents here (exact);
//! rates and shares are applied later in `rust_decimal`.

use crate::domain::Month;
use crate::ingest::records::{ContributionRow, Insurance};
use chrono::Datelike;
use polars::prelude::*;

/// Flexible contributions have no employer; in the join they carry this sentinel.
pub const FLEXIBLE: u32 = u32::MAX;

/// The cents a row is due that the programmes subsidise: the employer's share, or for a
/// flexible worker's row (no employer) both shares — the person pays the pooled part an
/// employer would (统筹) as well as their own, and an extract may write it in either column
/// (until 2026-12-03 only `personal_amount` was read: a flexible row written in
/// `employer_amount` was “paid with 0.00” and its month lost — a cold review).
pub fn due_of(r: &ContributionRow) -> i64 {
    if r.employer.is_some() {
        r.employer_cents
    } else {
        r.employer_cents.saturating_add(r.personal_cents)
    }
}

/// Each insurance's kept row: the payout month of the run whose extract held it, and its line.
pub type KeptLines = [Option<(Month, u32)>; 5];

/// One person-employer-month of contributions.
#[derive(Clone, Debug)]
pub struct SiMonth {
    pub person: u32,
    /// `None` = flexible worker paying as a person
    pub employer: Option<u32>,
    pub period: Month,
    /// cents due per insurance (employer share; both shares for flexible rows) paid on or
    /// before the last day of the payout month
    pub paid: [i64; 5],
    /// bit `1 << insurance` set when that insurance's row was paid in time
    pub paid_mask: u8,
    /// bit `1 << insurance` set when the extract has a row for that insurance at all
    pub present: u8,
    /// cents with no payment date
    pub unpaid: i64,
    /// cents paid after the payout month (payable in a later run)
    pub late: i64,
    /// bit `1 << insurance` set when that insurance's row was paid after the payout month
    pub late_mask: u8,
    pub first_line: u32,
    pub last_line: u32,
    /// the month's rows, where they are not every line from `first_line` to `last_line` (a
    /// rejected row or another month's between them): `sources` names them one by one
    pub lines: Option<Box<[u32]>>,
    /// the month's rows paid by the end of the payout month (what its basis sums), where they
    /// are not all its rows: a payment line's `sources` name these (`paid_source`)
    pub paid_lines: Option<Box<[u32]>>,
    /// the first row of the month with no payment date, and the first paid after the payout
    /// month (0: none) — the rows `SI_UNPAID` and `SI_PAID_AFTER_PAYOUT_MONTH` are about
    pub unpaid_line: u32,
    pub late_line: u32,
    /// bit `1 << insurance` set when that insurance's payment is not in this extract but an
    /// earlier run's (a flexible month completed from the ledger's `flexible_seen`, an
    /// employer's or a flexible worker's row paid late from `si_late_seen`)
    pub remembered: u8,
    /// the rows from `si_late_seen` paid by the end of the payout month, by insurance: the
    /// payout month of the run whose extract held each, and its line there (0: a row of a line
    /// the bank returned failed, as the ledger keeps its basis — no line number). Named each
    /// (`42-45,61`), under the run whose extract held it — not as the span between the first
    /// and last, which holds other rows (a grader found `42-61` cited for five rows), nor all
    /// under the latest run (a review found another person's line cited so)
    pub earlier: Option<Box<KeptLines>>,
}

impl SiMonth {
    /// The key of the month's rows: (person, employer, month), a flexible worker's own rows
    /// under `FLEXIBLE` (the order of `Inputs::disputed`, `Inputs::unreadable` and the
    /// ledger's kept rows).
    pub fn row_key(&self) -> (u32, u32, Month) {
        (self.person, self.employer.unwrap_or(FLEXIBLE), self.period)
    }

    /// The rows from `si_late_seen` (`earlier`): the latest run whose extract held one, their
    /// first and last line (0, 0: none but those of a failed line), and whether some are a
    /// failed line's.
    pub fn earlier_span(&self) -> Option<(Month, u32, u32, bool)> {
        let rows = self.earlier.as_deref()?.iter().flatten();
        let run = rows.clone().map(|r| r.0).max()?;
        let lines = rows.clone().map(|r| r.1).filter(|&l| l != 0);
        let (a, b) = (lines.clone().min(), lines.max());
        let failed = rows.clone().any(|r| r.1 == 0);
        Some((run, a.unwrap_or(0), b.unwrap_or(0), failed))
    }

    pub fn paid_total(&self) -> i64 {
        self.paid.iter().sum()
    }

    pub fn has(&self, i: Insurance) -> bool {
        self.paid_mask & (1 << i as u8) != 0
    }

    /// bit `1 << insurance` set when that insurance's row has no payment date — also a row of
    /// 0.00 employer share (`unpaid` counts its cents: none), whose personal share is owed
    pub fn unpaid_mask(&self) -> u8 {
        self.present & !(self.paid_mask | self.late_mask)
    }

    /// How the month falls short of its SI paid in full (足额) by the end of the payout month
    /// (`end`): `Some((true, line))` a row owing something has no payment date, `Some((false,
    /// line))` one is paid after `end`, `None` paid in full. A row of 0.00 employer share owes
    /// its personal share (a differential review found such a month paid under Jiangyin
    /// （十一）); a row owing nothing either way (0.00 and 0.00) is no shortfall, paid or not (a
    /// regression review found such a month held for good). A row remembered unpaid from an
    /// earlier run's extract (its employer share alone is kept) owes: the ledger kept it because
    /// the month waited on it.
    pub fn short_of_full(
        &self,
        rows: &[ContributionRow],
        end: crate::domain::Date,
    ) -> Option<(bool, u32)> {
        if self.unpaid > 0 {
            return Some((true, self.unpaid_line));
        }
        let owing = || self.own_rows(rows).filter(|c| c.personal_cents > 0);
        if self.unpaid_mask() != 0 {
            if let Some(c) = owing().find(|c| c.paid_on.is_none()) {
                return Some((true, c.line));
            }
            // a row remembered unpaid (`si_late_seen` keeps the employer share alone): kept
            // because the month waited on it, so owing (a regression review found a relief
            // row's month paid once a window no longer held the row)
            if self.unpaid_mask() & self.remembered != 0 {
                return Some((true, self.unpaid_line));
            }
        }
        if self.late > 0 {
            return Some((false, self.late_line));
        }
        if self.late_mask != 0 {
            if let Some(c) = owing().find(|c| c.paid_on.is_some_and(|d| d > end)) {
                return Some((false, c.line));
            }
        }
        None
    }

    /// `x` at the month's first row — or, for a month made from rows an earlier run's extract
    /// held (none in this one), without a source (it names this run's input files), the
    /// message naming that extract's lines.
    pub fn cited(&self, x: crate::exceptions::Exception) -> crate::exceptions::Exception {
        match self.earlier {
            Some(_) if self.present & !self.remembered == 0 => {
                let mut x = x;
                x.message.push_str(&format!(" (rows: {})", self.source()));
                x
            }
            _ => x.at("contributions.csv", self.first_line),
        }
    }

    /// `x` at `line` of this extract (a row of the month a reason is about: `unpaid_line`,
    /// `late_line`) when there is one, else as `cited`.
    pub fn cited_at(
        &self,
        x: crate::exceptions::Exception,
        line: u32,
    ) -> crate::exceptions::Exception {
        if line == 0 {
            self.cited(x)
        } else {
            x.at("contributions.csv", line)
        }
    }

    /// `contributions.csv:12-16`; rows an earlier run's extract held (`earlier`) are named
    /// with that run: `contributions.csv:40 of the 2018-09 run's extract`
    pub fn source(&self) -> String {
        self.naming(self.lines.as_deref())
    }

    /// The month's rows of this extract (`rows`, in line order): each of `lines` where they are
    /// listed, else every row from `first_line` to `last_line`.
    pub fn rows_in<'a>(
        &'a self,
        rows: &'a [ContributionRow],
    ) -> impl Iterator<Item = &'a ContributionRow> + 'a {
        let at = move |line: u32| {
            let i = rows.partition_point(|r| r.line < line);
            rows.get(i).filter(|r| r.line == line)
        };
        let listed = self
            .lines
            .as_deref()
            .map(move |each| each.iter().filter_map(move |&l| at(l)));
        let span = self.lines.is_none().then(|| {
            let from = rows.partition_point(|r| r.line < self.first_line);
            rows[from..]
                .iter()
                .take_while(move |r| r.line <= self.last_line)
        });
        listed
            .into_iter()
            .flatten()
            .chain(span.into_iter().flatten())
    }

    /// The month's own rows among `rows_in`: its person's, employer's (none: a flexible
    /// worker's own) and service month's — a span of lines may hold other rows between them.
    pub fn own_rows<'a>(
        &'a self,
        rows: &'a [ContributionRow],
    ) -> impl Iterator<Item = &'a ContributionRow> + 'a {
        self.rows_in(rows).filter(move |c| {
            c.person == self.person && c.employer == self.employer && c.period == self.period
        })
    }

    /// `source`, naming of this extract's rows only those paid by the end of the payout month:
    /// the rows a payment line's basis sums (a review found a line citing the month's unpaid
    /// rows beside its paid ones: five rows for an amount of two).
    pub fn paid_source(&self) -> String {
        match self.paid_lines.as_deref() {
            Some(paid) if !paid.is_empty() => self.naming(Some(paid)),
            _ => self.source(),
        }
    }

    /// The month's rows of this extract — `each` line, else every line from `first_line` to
    /// `last_line` — and those an earlier run's extract held (`earlier`).
    fn naming(&self, each: Option<&[u32]>) -> String {
        let lines = |a: u32, b: u32| {
            if a == b {
                format!("contributions.csv:{a}")
            } else {
                format!("contributions.csv:{a}-{b}")
            }
        };
        let here = || match each {
            Some(each) => format!("contributions.csv:{}", spans(each)),
            None => lines(self.first_line, self.last_line),
        };
        match self.kept_source() {
            None => here(),
            Some(there) if self.present & !self.remembered == 0 => there,
            Some(there) => format!("{} + {there}", here()),
        }
    }

    /// The month's rows paid that an earlier run's extract held (`earlier`, kept by the
    /// ledger), named with that run: `contributions.csv:40 of the 2018-09 run's extract`;
    /// `None` when there are none.
    fn kept_source(&self) -> Option<String> {
        let (run, a, _, from_failed) = self.earlier_span()?;
        let mut each: Vec<(Month, u32)> = self
            .earlier
            .as_deref()
            .into_iter()
            .flatten()
            .flatten()
            .copied()
            .filter(|&(_, l)| l != 0)
            .collect();
        each.sort_unstable();
        each.dedup();
        let lines = || {
            each.chunk_by(|x, y| x.0 == y.0)
                .map(|rows| {
                    let lines: Vec<u32> = rows.iter().map(|r| r.1).collect();
                    format!(
                        "contributions.csv:{} of the {} run's extract",
                        spans(&lines),
                        rows[0].0
                    )
                })
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let failed = format!("{FAILED_ROWS}{run} run's line the bank returned failed");
        Some(match (a, from_failed) {
            (0, _) => failed,
            (_, false) => lines(),
            (_, true) => format!("{} + {failed}", lines()),
        })
    }
}

/// How a line's `sources` begins the rows of a line the bank returned failed, as `reconcile`
/// kept them (`the rows of the 2018-08 run's line the bank returned failed`).
pub const FAILED_ROWS: &str = "the rows of the ";

/// This extract's contribution lines that a line's `sources` text names (as `naming` writes
/// them: `contributions.csv:12-16`, `contributions.csv:2,4`; not the rows named `… of the
/// 2018-09 run's extract`, which an earlier run's extract held). Spans are read at most 64
/// lines long (a month's rows are a few).
pub fn this_extracts_lines(sources: &str) -> impl Iterator<Item = u32> + '_ {
    let words: Vec<&str> = sources.split(' ').collect();
    let spans: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|&(k, _)| words.get(k + 1) != Some(&"of"))
        .filter_map(|(_, w)| w.strip_prefix("contributions.csv:"))
        .collect();
    spans
        .into_iter()
        .flat_map(|spans| spans.split(','))
        .filter_map(|part| {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let a = a.parse::<u32>().ok()?;
            Some(a..=b.parse::<u32>().ok()?.min(a.saturating_add(64)))
        })
        .flatten()
}

/// Sets `paid_lines` of the months some of whose rows were not paid by `end` (`paid[k]` of
/// their `count[k]` rows were): their rows found by their exact lines where known, else in
/// their span (every line of it theirs).
fn fill_paid_lines(
    rows: &[ContributionRow],
    months: &mut [SiMonth],
    count: &[u32],
    paid: &[u32],
    end: crate::domain::Date,
) {
    for (k, m) in months.iter_mut().enumerate() {
        if paid[k] == count[k] || paid[k] == 0 {
            continue;
        }
        let in_time = |r: &&ContributionRow| r.paid_on.is_some_and(|d| d <= end);
        let lines: Box<[u32]> = m.rows_in(rows).filter(in_time).map(|r| r.line).collect();
        m.paid_lines = Some(lines);
    }
}

/// Ascending lines written as runs: `12-14,16`.
pub(crate) fn spans(lines: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j + 1 < lines.len() && lines[j + 1] == lines[j] + 1 {
            j += 1;
        }
        if !out.is_empty() {
            out.push(',');
        }
        out.push_str(&lines[i].to_string());
        if j > i {
            out.push('-');
            out.push_str(&lines[j].to_string());
        }
        i = j + 1;
    }
    out
}

/// Sets `lines` of the months whose rows are not every line from `first_line` to `last_line`
/// (`count[k]` rows of month k; `rows` in file order). Scanned month by month within their
/// spans while the spans add up to little; else in one pass over the rows by key (a file
/// sorted by insurance spreads every month over the whole file: scanning each span was
/// quadratic — a review measured 30 s for a 150k-person city).
fn fill_lines(rows: &[ContributionRow], months: &mut [SiMonth], count: &[u32]) {
    let gaps: Vec<usize> = (0..months.len())
        .filter(|&k| months[k].last_line - months[k].first_line + 1 != count[k])
        .collect();
    if gaps.is_empty() {
        return;
    }
    let of = |r: &ContributionRow| (r.person, r.employer.unwrap_or(FLEXIBLE), r.period);
    let key = SiMonth::row_key;
    let spans: u64 = gaps
        .iter()
        .map(|&k| u64::from(months[k].last_line - months[k].first_line + 1))
        .sum();
    if spans <= 2 * rows.len() as u64 {
        for k in gaps {
            let m = &months[k];
            let (want, last) = (key(m), m.last_line);
            let from = rows.partition_point(|r| r.line < m.first_line);
            let lines: Box<[u32]> = rows[from..]
                .iter()
                .take_while(|r| r.line <= last)
                .filter(|r| of(r) == want)
                .map(|r| r.line)
                .collect();
            months[k].lines = Some(lines);
        }
    } else {
        let at: rustc_hash::FxHashMap<(u32, u32, Month), usize> = gaps
            .iter()
            .enumerate()
            .map(|(j, &k)| (key(&months[k]), j))
            .collect();
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); gaps.len()];
        for r in rows {
            if let Some(&j) = at.get(&of(r)) {
                lists[j].push(r.line);
            }
        }
        for (k, lines) in gaps.into_iter().zip(lists) {
            months[k].lines = Some(lines.into_boxed_slice());
        }
    }
}

/// Sums the contributions of the candidate `(person, employer)` pairs (employer = `FLEXIBLE`
/// for flexible work) for service months up to `payout`, ordered by person, month, employer.
pub fn aggregate(
    rows: &[ContributionRow],
    pairs: &[(u32, u32)],
    payout: Month,
) -> PolarsResult<Vec<SiMonth>> {
    if pairs.is_empty() || rows.is_empty() {
        return Ok(Vec::new());
    }
    const UNPAID: i32 = i32::MAX;
    let n = rows.len();
    let (mut person, mut employer, mut period, mut bit, mut ins, mut due, mut paid, mut line) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for r in rows {
        person.push(r.person);
        employer.push(r.employer.unwrap_or(FLEXIBLE));
        period.push(r.period.index());
        ins.push(r.insurance as u32);
        bit.push(1i32 << (r.insurance as u8));
        due.push(due_of(r));
        paid.push(r.paid_on.map_or(UNPAID, |d| d.num_days_from_ce()));
        line.push(r.line);
    }
    let contrib = df!(
        "person" => person, "employer" => employer, "period" => period, "ins" => ins,
        "bit" => bit, "due" => due, "paid" => paid, "line" => line,
    )?;
    let (cp, ce): (Vec<u32>, Vec<u32>) = pairs.iter().copied().unzip();
    let cand = df!("person" => cp, "employer" => ce)?;

    let last = payout.last_day().num_days_from_ce();
    let in_time = col("paid").lt_eq(lit(last));
    let unpaid = col("paid").eq(lit(UNPAID));
    let late = col("paid").gt(lit(last)).and(col("paid").neq(lit(UNPAID)));
    // the first line of the rows a condition holds for (0: none)
    let first_line_where = |cond: Expr, name: &str| {
        when(cond)
            .then(col("line"))
            .otherwise(lit(u32::MAX))
            .min()
            .alias(name)
    };
    let mut aggs: Vec<Expr> = Insurance::ALL
        .iter()
        .map(|i| {
            when(in_time.clone().and(col("ins").eq(lit(*i as u32))))
                .then(col("due"))
                .otherwise(lit(0i64))
                .sum()
                .alias(format!("paid{}", *i as u8))
        })
        .collect();
    aggs.extend([
        when(in_time.clone())
            .then(col("bit"))
            .otherwise(lit(0i32))
            .sum()
            .alias("mask"),
        col("bit").sum().alias("present"),
        when(unpaid.clone())
            .then(col("due"))
            .otherwise(lit(0i64))
            .sum()
            .alias("unpaid"),
        when(late.clone())
            .then(col("due"))
            .otherwise(lit(0i64))
            .sum()
            .alias("late"),
        when(late.clone())
            .then(col("bit"))
            .otherwise(lit(0i32))
            .sum()
            .alias("late_mask"),
        col("line").min().alias("first_line"),
        col("line").max().alias("last_line"),
        col("line").count().alias("rows"),
        when(in_time.clone())
            .then(lit(1i64))
            .otherwise(lit(0i64))
            .sum()
            .alias("paid_rows"),
        first_line_where(unpaid, "unpaid_line"),
        first_line_where(late, "late_line"),
    ]);
    let by = [col("person"), col("employer")];
    let out = contrib
        .lazy()
        .filter(col("period").lt_eq(lit(payout.index())))
        .join(cand.lazy(), by.clone(), by, JoinArgs::new(JoinType::Inner))
        .group_by([col("person"), col("employer"), col("period")])
        .agg(aggs)
        .sort(
            ["person", "period", "employer"],
            SortMultipleOptions::default(),
        )
        .collect_with_engine(Engine::Streaming)?
        .unwrap_single();

    let u32s = |name: &str| -> PolarsResult<Vec<u32>> {
        Ok(out.column(name)?.u32()?.into_no_null_iter().collect())
    };
    let i64s = |name: &str| -> PolarsResult<Vec<i64>> {
        let c = out.column(name)?.cast(&DataType::Int64)?;
        Ok(c.i64()?.into_no_null_iter().collect())
    };
    let person = u32s("person")?;
    let employer = u32s("employer")?;
    let period = i64s("period")?;
    let paid: Vec<Vec<i64>> = (0..5)
        .map(|i| i64s(&format!("paid{i}")))
        .collect::<PolarsResult<_>>()?;
    let mask = i64s("mask")?;
    let present = i64s("present")?;
    let unpaid = i64s("unpaid")?;
    let late = i64s("late")?;
    let late_mask = i64s("late_mask")?;
    let first = u32s("first_line")?;
    let lastl = u32s("last_line")?;
    let count = i64s("rows")?;
    let paid_rows = i64s("paid_rows")?;
    let none_is_0 = |v: Vec<u32>| -> Vec<u32> {
        v.into_iter()
            .map(|l| if l == u32::MAX { 0 } else { l })
            .collect()
    };
    let unpaid_line = none_is_0(u32s("unpaid_line")?);
    let late_line = none_is_0(u32s("late_line")?);
    let mut months: Vec<SiMonth> = (0..out.height())
        .map(|k| SiMonth {
            person: person[k],
            employer: Some(employer[k]).filter(|e| *e != FLEXIBLE),
            period: Month::from_index(period[k] as i32),
            paid: [paid[0][k], paid[1][k], paid[2][k], paid[3][k], paid[4][k]],
            paid_mask: mask[k] as u8,
            present: present[k] as u8,
            unpaid: unpaid[k],
            late: late[k],
            late_mask: late_mask[k] as u8,
            first_line: first[k],
            last_line: lastl[k],
            lines: None,
            paid_lines: None,
            unpaid_line: unpaid_line[k],
            late_line: late_line[k],
            remembered: 0,
            earlier: None,
        })
        .collect();
    let count: Vec<u32> = count.into_iter().map(|c| c as u32).collect();
    fill_lines(rows, &mut months, &count);
    let paid_rows: Vec<u32> = paid_rows.into_iter().map(|c| c as u32).collect();
    fill_paid_lines(rows, &mut months, &count, &paid_rows, payout.last_day());
    Ok(months)
}

#[cfg(test)]
mod tests {
    // the lines a payment line's sources name of this extract, as `naming` writes them: an
    // earlier run's rows (`… of the 2018-09 run's extract`) are not this extract's
    #[test]
    fn this_extracts_lines_reads_what_naming_writes() {
        let lines = |s: &str| this_extracts_lines(s).collect::<Vec<u32>>();
        assert_eq!(
            lines("employment.csv:5 contributions.csv:12-14 contributions.csv:2,4"),
            [12, 13, 14, 2, 4]
        );
        assert_eq!(
            lines("employment.csv:2 contributions.csv:2-6 of the 2018-08 run's extract"),
            [] as [u32; 0]
        );
        assert_eq!(
            lines("contributions.csv:7 + contributions.csv:2-3 of the 2018-09 run's extract"),
            [7]
        );
    }

    use super::*;

    fn row(line: u32, person: u32, ins: Insurance) -> ContributionRow {
        ContributionRow {
            line,
            person,
            employer: Some(7),
            period: Month::from_index(2018 * 12 + 6),
            insurance: ins,
            base_cents: 350_000,
            employer_cents: 66_500,
            personal_cents: 28_000,
            paid_on: None,
        }
    }

    // A month's rows named one by one when others lie between them, by either way of finding
    // them: within each month's span (few, short spans), or in one pass by key (a file sorted
    // by insurance: every person's rows spread over the file).
    #[test]
    fn a_months_lines_are_found_by_span_or_by_key() {
        use Insurance::{Medical, Pension};
        // 2 people: spans 3 + 3 ≤ 2 × 4 rows → by span; 5 people: 5 × 6 > 2 × 10 → by key
        for people in [1u32, 2, 5] {
            // rows sorted by insurance: pension of every person, then medical; line 2 on
            let mut rows = Vec::new();
            let mut line = 2;
            for ins in [Pension, Medical] {
                for p in 0..people {
                    rows.push(row(line, p, ins));
                    line += 1;
                }
            }
            let mut months: Vec<SiMonth> = aggregate(
                &rows,
                &(0..people).map(|p| (p, 7)).collect::<Vec<_>>(),
                Month::from_index(2018 * 12 + 8),
            )
            .unwrap();
            for m in &mut months {
                m.lines = None;
            }
            let count = vec![2; months.len()];
            fill_lines(&rows, &mut months, &count);
            for m in &months {
                let p = m.person;
                let want = format!("contributions.csv:{},{}", 2 + p, 2 + people + p);
                // (one person: rows 2 and 3 are the whole span — a range)
                let want = if people == 1 {
                    "contributions.csv:2-3".to_string()
                } else {
                    want
                };
                assert_eq!(m.source(), want, "{people} people");
            }
        }
    }
}
