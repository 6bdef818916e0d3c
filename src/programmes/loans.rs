//! The loan book shared by `loan_interest` and `loan_default_compensation`: the rows of
//! `loan_repayments.csv` grouped by loan and checked for consistency, the benchmark rate a
//! loan is priced against, and interest arithmetic.
//!
//! Day count: PBoC practice (《人民币利率管理规定》 daily rate = annual rate / 360), the divisor
//! being the parameter `loan_interest.day_count`; an accrual period counts its first and its
//! last day (`accrual_start..=accrual_end`), as the banks' own figures do (2017-12-21..
//! 2018-03-20 is 90 days: 200000 × 4.35% × 90 / 360 = 2175.00).

use crate::domain::{Date, Money, Month};
use crate::exceptions::{Code, Exception};
use crate::ingest::records::{Borrower, LoanRow};
use crate::pipeline::{ParamError, ParamRef, Params};
use rayon::prelude::*;
use rust_decimal::Decimal;

pub const FILE: &str = "loan_repayments.csv";

/// One loan: its instalments in order (1, 2, …), all agreeing on the loan's own fields.
pub struct Loan<'a> {
    pub rows: Vec<&'a LoanRow>,
    /// every instalment starts on the previous one's `accrual_end`: the bank writes periods
    /// half-open (算头不算尾, the end day being the next period's first), so a period has
    /// `accrual_end − accrual_start` days
    pub half_open: bool,
    /// every instalment starts the day after the previous one's `accrual_end`: the bank writes
    /// periods with their last day (a figure a day short is its error, not 算头不算尾)
    pub inclusive: bool,
}

impl<'a> Loan<'a> {
    /// The loan's fields (as on its first instalment row).
    pub fn head(&self) -> &'a LoanRow {
        self.rows[0]
    }

    /// The lines of the rows up to and including instalment `i` (index into `rows`) as
    /// ascending runs (`1044101-1044124`): the rows a line priced on the outstanding before
    /// `i` rests on (the whole loan for `rows.len() - 1`).
    pub fn lines_through(&self, i: usize) -> String {
        let rows = &self.rows[..=i];
        let first = rows[0].line;
        // (the usual book: a loan's rows one after another, in instalment order — written at
        // once; 93k lines a month on the bench city)
        if rows
            .iter()
            .enumerate()
            .all(|(k, r)| u64::from(r.line) == u64::from(first) + k as u64)
        {
            let mut out = String::from(itoa::Buffer::new().format(first));
            if i > 0 {
                out.push('-');
                out.push_str(itoa::Buffer::new().format(rows[i].line));
            }
            return out;
        }
        let mut lines: Vec<u32> = rows.iter().map(|r| r.line).collect();
        lines.sort_unstable();
        super::si::spans(&lines)
    }

    /// Principal outstanding during instalment `i` (index into `rows`): the loan less the
    /// principal due in the instalments before it, in a later instalment repaid early by this
    /// one's period's first day (the bank charges interest on what is left — a regression
    /// review found its figure held as a mismatch), and in this one when repaid before its
    /// period began, or on its first day ahead of its due date (it accrues nothing — two more
    /// found the bank's 0.00 held; an instalment due and paid at its period's start, interest
    /// in advance, still accrues).
    pub fn outstanding_before(&self, i: usize) -> Money {
        let repaid: Money = self.rows[..i]
            .iter()
            .fold(Money::ZERO, |t, r| t + r.principal_due);
        let start = self.rows[i].accrual_start;
        let own = self.rows[i]
            .paid_on
            .is_some_and(|p| p <= start && p < self.rows[i].due_date);
        let early: Money = self.rows[i + 1..]
            .iter()
            .filter(|r| r.paid_on.is_some_and(|p| p <= start))
            .fold(Money::ZERO, |t, r| t + r.principal_due)
            + if own {
                self.rows[i].principal_due
            } else {
                Money::ZERO
            };
        self.head().principal - repaid - early
    }

    /// Each row's fingerprint (`fingerprint`), in order: a paid instalment's line keeps its
    /// row's, so a later extract whose rows differ under the paid ones is told. `context`:
    /// what the loan is priced on besides its rows (`fingerprint`).
    pub fn fingerprints(&self, context: u64) -> Vec<u64> {
        let mut before = 0i64;
        self.rows
            .iter()
            .map(|r| {
                let fp = fingerprint(r, before, context);
                before += r.principal_due.cents();
                fp
            })
            .collect()
    }

    /// Principal still owed at the end of `on`: the loan less the principal of instalments
    /// paid by then.
    pub fn outstanding_on(&self, on: Date) -> Money {
        let repaid = self
            .rows
            .iter()
            .filter(|r| r.paid_on.is_some_and(|p| p <= on))
            .fold(Money::ZERO, |t, r| t + r.principal_due);
        self.head().principal - repaid
    }
}

/// (FxHash's step: written here, not a crate's, so that a dependency's upgrade cannot change
/// what a ledger holds)
fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// `fingerprint`'s context of a loan: its borrower's ID (a corrected borrower is priced on
/// another's facts) and what the borrower's earlier loans take of the shared principal cap —
/// `owed` on its start, `same_year` of those begun in its year, in cents (a correction of an
/// earlier loan moves what is left to this one) — and the loan's terms as they stand,
/// `terms` (`terms_digest`, or 1 for a loan the rules exclude; `None` where they cannot be
/// told — a standard unset): a register correction that moves its share, its cap or its
/// eligibility (a job creator's hires, a project's staff, a borrower's education or size)
/// prices the paid instalments again.
pub fn fingerprint_context(
    borrower_id: &str,
    owed: i64,
    same_year: i64,
    terms: Option<u64>,
) -> u64 {
    let id = borrower_id.bytes().fold(0u64, |h, b| mix(h, u64::from(b)));
    let h = mix(mix(id, owed as u64), same_year as u64);
    terms.map_or(h, |t| mix(h, t))
}

/// The figures a loan's terms price its instalments by (`fingerprint_context`): the share, the
/// principal cap, whether the share is of the benchmark rate's interest, the rate cap and the
/// subsidised years. Never 0 or 1.
pub fn terms_digest(
    share: Decimal,
    principal_cap: Decimal,
    at_benchmark: bool,
    rate_cap: Option<Decimal>,
    years: i32,
) -> u64 {
    let dec = |h: u64, d: Decimal| {
        let d = d.normalize();
        mix(mix(h, d.mantissa() as u64), u64::from(d.scale()))
    };
    let h = dec(dec(0x7465_726d, share), principal_cap);
    let h = mix(h, u64::from(at_benchmark));
    let h = match rate_cap {
        Some(r) => dec(mix(h, 1), r),
        None => mix(h, 0),
    };
    mix(h, years as u64).max(2)
}

/// A loan row's fingerprint: the figures an instalment is priced on — the loan's own fields
/// (but its lending bank, which names who is paid, not how much), the instalment's period, due
/// date, interest and principal due, `principal_before`, the principal the rows before it are
/// due (cents: a corrected earlier row changes the outstanding this one is priced on), and the
/// loan's `context` (`fingerprint_context`). Not its payment date (a late or unpaid row is said
/// by itself, `LOAN_REVERSAL`). A mixing of fixed constants, stable across builds (the ledger
/// keeps it: `lines.basis` of an interest line, `history::ROW_FP_VERSION` and 16 hexadecimal
/// digits — bump the version when what is mixed here changes); never 0 (0
/// is “not known”, the lines written before 2026-12-06).
pub fn fingerprint(r: &LoanRow, principal_before: i64, context: u64) -> u64 {
    use chrono::Datelike;
    let day = |d: Date| i64::from(d.num_days_from_ce()) as u64;
    let rate = r.annual_rate.normalize();
    let mantissa = rate.mantissa();
    let group = r
        .borrower_group
        .bytes()
        .fold(0u64, |h, b| mix(h, u64::from(b)));
    let kind = match r.borrower {
        Borrower::Person(_) => 1,
        Borrower::Employer(_) => 2,
    };
    let h = [
        kind,
        group,
        r.principal.cents() as u64,
        mantissa as u64,
        (mantissa >> 64) as u64,
        u64::from(rate.scale()),
        day(r.start_date),
        u64::from(r.term_months),
        u64::from(r.instalment_no),
        day(r.accrual_start),
        day(r.accrual_end),
        day(r.due_date),
        r.interest_due.cents() as u64,
        r.principal_due.cents() as u64,
        principal_before as u64,
        context,
    ]
    .into_iter()
    .fold(0xcbf2_9ce4_8422_2325, mix);
    // (splitmix64's finaliser)
    let mut z = h;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) | 1
}

/// Groups the rows by loan and checks each loan: the loan's own fields equal on every row,
/// instalments numbered 1, 2, … without a gap (but for the numbers not due yet before one
/// repaid early, `not_due_yet`), accrual periods in order without overlap, no
/// period, due date or payment before the loan start, principal due adding up to no more than
/// the loan. A loan that
/// fails is held whole (its arithmetic rests on every instalment), with the offending row.
pub fn book<'a>(
    rows: &'a [LoanRow],
    rejected: &[u32],
    reg: &crate::registers::Registers,
    programme: &'static str,
    end: Date,
    keep: impl Fn(&LoanRow) -> bool,
) -> Book<'a> {
    // the lines the file's rows read begin on, ascending: whether rows were read between a
    // gap's neighbours (a blank line, or a quoted value's further lines, begin none)
    let mut read: Vec<u32> = rows.iter().map(|r| r.line).collect();
    if !read.is_sorted() {
        read.par_sort_unstable();
    }
    let read = &read[..];
    let mut idx: Vec<usize> = (0..rows.len()).collect();
    let key = |i: usize| (&rows[i].loan_id, rows[i].instalment_no);
    // extracts usually come sorted by loan and instalment: sort only when they are not
    if !idx.windows(2).all(|w| key(w[0]) <= key(w[1])) {
        idx.par_sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
    }
    let mut groups: Vec<Vec<&LoanRow>> = Vec::new();
    for i in idx {
        let r = &rows[i];
        match groups.last_mut() {
            Some(g) if g[0].loan_id == r.loan_id => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    // a loan is in scope by its first row (checked whole first, so that a row naming
    // another borrower is an inconsistency, not a silently dropped row)
    groups.retain(|g| keep(g[0]));
    // a loan held whole: its hold row and its rows
    type HeldLoan<'b> = (Box<Exception>, Vec<&'b LoanRow>);
    let checked: Vec<Result<Loan, HeldLoan>> = groups
        .into_par_iter()
        .map(|rows| match check(&rows, (rejected, read), end) {
            Ok(()) => {
                // (consecutive instalments only: the numbers an early repayment skips, not due
                // yet, say nothing of how the periods are written)
                let consecutive = |w: &[&LoanRow]| w[1].instalment_no == w[0].instalment_no + 1;
                let follows = |next: fn(&LoanRow) -> Option<Date>| {
                    rows.windows(2).any(consecutive)
                        && rows
                            .windows(2)
                            .all(|w| !consecutive(w) || next(w[0]) == Some(w[1].accrual_start))
                };
                let half_open = follows(|r| Some(r.accrual_end));
                let inclusive = follows(|r| r.accrual_end.succ_opt());
                Ok(Loan {
                    rows,
                    half_open,
                    inclusive,
                })
            }
            Err((code, r, msg)) => Err((Box::new(about(reg, r, code, programme, msg)), rows)),
        })
        .collect();
    let mut book = Book::default();
    book.loans.reserve(checked.len());
    for c in checked {
        match c {
            Ok(l) => book.loans.push(l),
            Err((x, rows)) => {
                book.holds.push(*x);
                book.held.push(rows);
            }
        }
    }
    book
}

/// The checked loan book: the loans, and the loans held whole (their hold rows and, in
/// instalment order, their rows).
#[derive(Default)]
pub struct Book<'a> {
    pub loans: Vec<Loan<'a>>,
    pub holds: Vec<Exception>,
    pub held: Vec<Vec<&'a LoanRow>>,
}

type Held<'a> = (Code, &'a LoanRow, String);

/// Whether the instalments missing before row `r` (after `prev`, the row before it, or the
/// loan's start) were not due yet at `end`: `r` itself is not due by then — in the extract
/// because it was repaid early (INPUTS.md: “fell due or was paid”) — and the first missing
/// one, following `prev`'s due date by the loan's period between the two rows (the months from
/// `prev`'s end to `r`'s over the instalments between; with no row before, `r`'s period from
/// the loan's start), falls due after `end` too (a cold review found a loan
/// whose last instalment was repaid early held for a year as a gap; a regression review, a
/// period stepped by days missing a due month-end by a day either way). A missing instalment
/// that would have fallen due by `end` is a gap.
fn not_due_yet(h: &LoanRow, prev: Option<&LoanRow>, r: &LoanRow, end: Date) -> bool {
    if r.due_date <= end {
        return false;
    }
    let next_due = match prev {
        // (by the loan's period between the two rows: the months from `prev`'s end to `r`'s
        // over the instalments between, rounded — not `prev`'s own period, nor an average from
        // the loan's start: a short first period, a quarterly loan settling on the 21st, and a
        // long final instalment repaid early each gave a false gap or hid a real one — three
        // regression reviews)
        Some(p) => {
            let k = r.instalment_no.saturating_sub(p.instalment_no).max(1);
            let span = p
                .accrual_end
                .succ_opt()
                .map_or(1, |from| period_months(from, r.accrual_end));
            let step = ((span + k / 2) / k).max(1);
            p.due_date.checked_add_months(chrono::Months::new(step))
        }
        // (instalment 1: its period from the loan's start, as long as `r`'s, due as long after
        // its end as `r` is after its own — a regression review found a first instalment due
        // on its last day missed)
        None => h
            .start_date
            .checked_add_months(chrono::Months::new(period_months(
                r.accrual_start,
                r.accrual_end,
            )))
            .and_then(|d| d.pred_opt())
            .and_then(|first_end| first_end.checked_add_signed(r.due_date - r.accrual_end)),
    };
    // (a day past the end of the calendar: no later due date can be told — a gap)
    next_due.is_some_and(|d| d > end)
}

/// The whole calendar months an accrual period `from..=to` spans, at least 1 (03-10..04-09,
/// 04-01..04-30, 01-31..02-28: 1; a quarter: 3).
fn period_months(from: Date, to: Date) -> u32 {
    use chrono::Datelike;
    let after = to.succ_opt().unwrap_or(to);
    let mut n = (after.year() - from.year()) * 12 + after.month() as i32 - from.month() as i32;
    if after.day() < from.day() {
        n -= 1;
    }
    n.max(1) as u32
}

/// `rejected`: the loan file's rejected lines, ascending — a gap whose neighbours in the file
/// have rejected rows between them names those rows (the instalment is likely there, unread);
/// `read`: the lines of the rows read, ascending.
/// `end`: the payout month's last day — the extract holds the instalments that fell due or
/// were paid by then (INPUTS.md), so a later instalment repaid early stands after numbers not
/// due yet, which are no gap (`not_due_yet`).
fn check<'a>(
    g: &[&'a LoanRow],
    (rejected, read): (&[u32], &[u32]),
    end: Date,
) -> Result<(), Held<'a>> {
    let h = g[0];
    let hold = |code: Code, r: &'a LoanRow, msg: String| -> Result<(), Held<'a>> {
        Err((
            code,
            r,
            format!("loan {}: {msg}; the whole loan is held", h.loan_id),
        ))
    };
    let mut principal_due = Money::ZERO;
    // periods touching at a day (start = previous end) are the half-open writing of a bank
    // that counts the first day but not the last, when the whole loan is written so
    // (over consecutive instalments, of which there must be a pair: a loan of instalment 1 and
    // a prepaid 12 says nothing of how its periods are written — a regression review found it
    // taken for 算头不算尾 and held as an overlap)
    let consecutive = |w: &[&LoanRow]| w[1].instalment_no == w[0].instalment_no + 1;
    let half_open = g.windows(2).any(consecutive)
        && g.windows(2)
            .all(|w| !consecutive(w) || w[1].accrual_start == w[0].accrual_end);
    let mut expected = 1u32;
    for (i, r) in g.iter().enumerate() {
        let mut differs = Vec::new();
        if r.borrower != h.borrower {
            differs.push("borrower_id/borrower_kind");
        }
        if r.borrower_group != h.borrower_group {
            differs.push("borrower_group");
        }
        if r.lender_bank != h.lender_bank {
            differs.push("lender_bank");
        }
        if r.principal != h.principal {
            differs.push("principal");
        }
        // (the rate may change between instalments — a loan repriced at the LPR each year —:
        // each instalment is priced at its own row's rate)
        if r.start_date != h.start_date {
            differs.push("start_date");
        }
        if r.term_months != h.term_months {
            differs.push("term_months");
        }
        if !differs.is_empty() {
            return hold(
                Code::LoanInconsistent,
                r,
                format!(
                    "instalment {} differs from line {} in {}",
                    r.instalment_no,
                    h.line,
                    differs.join(", ")
                ),
            );
        }
        let not_due =
            r.instalment_no > expected && not_due_yet(h, i.checked_sub(1).map(|p| g[p]), r, end);
        if r.instalment_no != expected && !not_due {
            // rows rejected at ingest between the gap's neighbours in the file: the missing
            // instalment is likely one of them, present but unreadable (a cold review: the
            // message said only “missing”)
            // (only when no row was read between the two: with rows of other loans between
            // them, the rejected ones may be theirs — a review; rows, not lines: a blank line or
            // a value over two lines between them hid the rejected rows, a metamorphic review)
            let rejected_in = |after: u32, before: u32| {
                let from = rejected.partition_point(|&l| l <= after);
                let to = rejected.partition_point(|&l| l < before);
                &rejected[from..to.max(from)]
            };
            let between = match i.checked_sub(1).map(|p| g[p].line) {
                Some(prev)
                    if prev < r.line
                        && read.partition_point(|&l| l <= prev)
                            == read.partition_point(|&l| l < r.line) =>
                {
                    rejected_in(prev, r.line)
                }
                _ => &[][..],
            };
            // (a gap at the loan's first row: the rejected rows right before it in the file, up
            // to the row before them that was read — the loan's first instalments are likely
            // there; they may also be another loan's last, hence “right before it”, not
            // “between”: a cold review found the leading gap named nothing)
            let before = if i == 0 {
                let last_read = read[..read.partition_point(|&l| l < r.line)]
                    .last()
                    .copied()
                    .unwrap_or(1);
                rejected_in(last_read, r.line)
            } else {
                &[][..]
            };
            let named = |rows: &[u32]| {
                rows.iter()
                    .map(|l| format!("loan_repayments.csv:{l}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let rejected_note = if !between.is_empty() {
                format!(
                    "; the file's rows between them were rejected ({}): if the instalment is there, correct it and the loan is priced",
                    named(&between[..between.len().min(5)])
                )
            } else if !before.is_empty() {
                format!(
                    "; the file's rows right before it were rejected ({}): if the instalment is there, correct it and the loan is priced",
                    named(&before[before.len().saturating_sub(5)..])
                )
            } else {
                String::new()
            };
            return hold(
                Code::LoanInstalmentGap,
                r,
                if r.instalment_no > expected + 1 {
                    format!(
                        "instalments {expected}..{} are missing (the next row is instalment {}){rejected_note}",
                        r.instalment_no - 1,
                        r.instalment_no
                    )
                } else {
                    format!(
                        "instalment {expected} is missing (the next row is instalment {}){rejected_note}",
                        r.instalment_no
                    )
                },
            );
        }
        expected = r.instalment_no + 1;
        if r.accrual_start < h.start_date {
            return hold(
                Code::LoanInconsistent,
                r,
                format!(
                    "instalment {} accrues from {}, before the loan start {}",
                    r.instalment_no, r.accrual_start, h.start_date
                ),
            );
        }
        // (a date before the loan existed is a typing error, not an instalment paid on time)
        if r.due_date < h.start_date {
            return hold(
                Code::LoanInconsistent,
                r,
                format!(
                    "instalment {} is due {}, before the loan start {}",
                    r.instalment_no, r.due_date, h.start_date
                ),
            );
        }
        // (interest falls due after its period begins: a due date before it is a typing error
        // that would make a late repayment look on time, and name the wrong service month —
        // a cold review found one paid without a row)
        if r.due_date < r.accrual_start {
            return hold(
                Code::LoanInconsistent,
                r,
                format!(
                    "instalment {} is due {}, before its interest period begins {}",
                    r.instalment_no, r.due_date, r.accrual_start
                ),
            );
        }
        if let Some(paid) = r.paid_on.filter(|&d| d < h.start_date) {
            return hold(
                Code::LoanInconsistent,
                r,
                format!(
                    "instalment {} is paid on {paid}, before the loan start {}",
                    r.instalment_no, h.start_date
                ),
            );
        }
        if i > 0 && r.due_date < g[i - 1].due_date {
            return hold(
                Code::LoanInconsistent,
                r,
                format!(
                    "instalment {} is due {}, before instalment {} ({})",
                    r.instalment_no,
                    r.due_date,
                    g[i - 1].instalment_no,
                    g[i - 1].due_date
                ),
            );
        }
        if i > 0
            && (r.accrual_start < g[i - 1].accrual_end
                || (r.accrual_start == g[i - 1].accrual_end && !half_open))
        {
            return hold(
                Code::LoanAccrualOverlap,
                r,
                format!(
                    "instalment {} accrues {}..{}, overlapping instalment {} ({}..{})",
                    r.instalment_no,
                    r.accrual_start,
                    r.accrual_end,
                    g[i - 1].instalment_no,
                    g[i - 1].accrual_start,
                    g[i - 1].accrual_end
                ),
            );
        }
        principal_due = principal_due + r.principal_due;
        if principal_due > h.principal {
            return hold(
                Code::LoanPrincipalExceeded,
                r,
                format!(
                    "principal due in instalments 1..{} adds up to {principal_due}, above the loan's {}",
                    r.instalment_no, h.principal
                ),
            );
        }
    }
    Ok(())
}

/// The payment ids a loan month's lines may have been paid under: its first line's (`seq` 0)
/// and its retries', in order — as many as `RETRIES_LOOKED_UP`; the run looks them up until one
/// is not in the ledger, and where all are, reads the month's lines by its key
/// (`Ledger::paid_under`).
pub fn retry_ids(id: impl Fn(u32) -> String) -> Vec<String> {
    (0..RETRIES_LOOKED_UP).map(id).collect()
}

/// How many of a loan month's lines a recovery looks for: the first and its retries (a line
/// is retried only once the bank has returned the one before it as failed).
const RETRIES_LOOKED_UP: u32 = 8;

/// The key of a loan's months — instalment N as `loan#N` (its retries `loan#N+seq`), its
/// default as `loan#default` — for `programme` of `pipeline`. A loan is known by its contract
/// number alone (the rows of one `loan_id` are one loan; a second lending bank or borrower
/// under it holds the loan): whoever the pipeline pays (bank or borrower), and whatever a later
/// extract corrects of the lending bank or the borrower, a paid instalment or a compensated
/// default keeps its key and is not paid again. (Until 2026-12-01 the key also held the lending
/// bank and the borrower; the ledger refuses a file with loan lines keyed so, `Ledger::open`.)
pub fn key_prefix(pipeline: &str, programme: &str) -> crate::outputs::payments::KeyPrefix {
    crate::outputs::payments::KeyPrefix::new(pipeline, programme, "loan", "")
}

/// The borrowers in the pipeline's district (`local.region`): an enterprise borrower
/// registered there; an individual borrower unless the registers show the start-ups they
/// founded (employers.founder_id) and none of them is registered there. Every borrower when
/// the pipeline sets no district.
pub struct Scope {
    district: bool,
    /// individuals who founded an employer in the district
    founders: rustc_hash::FxHashSet<u32>,
    /// individuals who founded an employer outside it
    elsewhere: rustc_hash::FxHashSet<u32>,
}

impl Scope {
    pub fn new(ctx: &super::Ctx) -> Self {
        use crate::ingest::records::Lookup;
        let district = ctx
            .params
            .at_or_first("local.region", ctx.payout.last_day())
            .is_ok();
        let reg = &ctx.inputs.registers;
        let mut founders = rustc_hash::FxHashSet::default();
        let mut elsewhere = rustc_hash::FxHashSet::default();
        if district {
            for (i, e) in reg.employers.iter().enumerate() {
                if let Some(p) = e.founder_id.and_then(|f| Lookup::person(reg, &f)) {
                    if ctx.in_region(i as u32) {
                        founders.insert(p);
                    } else {
                        elsewhere.insert(p);
                    }
                }
            }
        }
        Scope {
            district,
            founders,
            elsewhere,
        }
    }

    /// Whether `b` is an individual borrower the registers link to no district (no start-up
    /// founded, in the district or out): in scope, paid as the district's.
    pub fn unlinked(&self, b: Borrower) -> bool {
        self.district
            && matches!(b, Borrower::Person(p) if !self.founders.contains(&p) && !self.elsewhere.contains(&p))
    }

    pub fn contains(&self, ctx: &super::Ctx, b: Borrower) -> bool {
        !self.district
            || match b {
                Borrower::Employer(e) => ctx.in_region(e),
                Borrower::Person(p) => self.founders.contains(&p) || !self.elsewhere.contains(&p),
            }
    }
}

/// Days of the accrual period `from..=to`.
pub fn days(from: Date, to: Date) -> i64 {
    (to - from).num_days() + 1
}

/// Days of `from..=to` that fall in `win_from..=win_to`.
pub fn days_within(from: Date, to: Date, win_from: Date, win_to: Date) -> i64 {
    let a = from.max(win_from);
    let b = to.min(win_to);
    if b < a {
        0
    } else {
        days(a, b)
    }
}

/// `from..=to` as whole months and the days left over (PBoC 银发〔2005〕129号: “计息期有整年
/// （月）又有零头天数的”), the months running from one repayment day to the next: day `due_day`
/// of each month (the loan's start day), the month's last day where it has fewer days — as
/// banks roll a loan drawn on the 31st (2018-01-31..02-27 is a month, to 02-28). A period that
/// does not begin on such a day counts its months from its own first day.
/// 2018-01-21..2018-04-20 is 3 months and 0 days, 2018-01-21..2018-04-25 3 months and 5 days.
pub fn months_and_days(from: Date, to: Date, due_day: u32) -> (u32, i64) {
    use chrono::Datelike;
    // day `day` of the month `k` months after `from`'s, or that month's last day
    let on = |day: u32, k: u32| -> Option<Date> {
        let total = i64::from(from.year()) * 12 + i64::from(from.month0()) + i64::from(k);
        let y = i32::try_from(total.div_euclid(12)).ok()?;
        let m = u32::try_from(total.rem_euclid(12)).ok()? + 1;
        let next = if m == 12 {
            Date::from_ymd_opt(y.checked_add(1)?, 1, 1)?
        } else {
            Date::from_ymd_opt(y, m + 1, 1)?
        };
        let last = next.pred_opt()?.day();
        Date::from_ymd_opt(y, m, day.min(last))
    };
    let day = if on(due_day, 0) == Some(from) {
        due_day
    } else {
        from.day()
    };
    let Some(end) = to.succ_opt() else {
        return (0, days(from, to));
    };
    let mut k = 0u32;
    while k < 1200 && on(day, k + 1).is_some_and(|d| d <= end) {
        k += 1;
    }
    let rest = on(day, k).unwrap_or(from);
    (k, if rest > to { 0 } else { days(rest, to) })
}

/// Interest by PBoC's whole-month formula: principal × annual rate × months / 12, plus
/// principal × annual rate × odd days / day-count basis (银发〔2005〕129号 “利息＝本金×年（月）数×
/// 年（月）利率＋本金×零头天数×日利率”).
pub fn interest_months(
    principal: Decimal,
    rate: Decimal,
    months: u32,
    odd_days: i64,
    basis: Decimal,
) -> Decimal {
    principal * rate * Decimal::from(months) / Decimal::from(12)
        + interest(principal, rate, odd_days, basis)
}

/// Exact interest: principal × annual rate × days / day-count basis.
pub fn interest(principal: Decimal, rate: Decimal, days: i64, basis: Decimal) -> Decimal {
    if basis.is_zero() {
        return Decimal::ZERO;
    }
    principal * rate * Decimal::from(days) / basis
}

/// `share` of the interest (`interest`, or `interest_months` where `months` are given as
/// (whole months, odd days)), the division made once and last: share × principal × rate ×
/// (months × basis + 12 × odd days) / (12 × basis). A share applied to a quotient already cut
/// to 28 digits (1173.958333…) could land a half cent below it (0.60 × it = 704.37499…, paid
/// 704.37 for 704.375 — a grader, 2026-12-07); multiplied first, an exact half cent stays one.
pub fn interest_share(
    share: Decimal,
    principal: Decimal,
    rate: Decimal,
    months: Option<(u32, i64)>,
    days: i64,
    basis: Decimal,
) -> Decimal {
    let base = share * principal * rate;
    match months {
        Some((k, _)) if basis.is_zero() => base * Decimal::from(k) / Decimal::from(12),
        Some((k, odd)) => {
            base * (Decimal::from(k) * basis + Decimal::from(12) * Decimal::from(odd))
                / (Decimal::from(12) * basis)
        }
        None if basis.is_zero() => Decimal::ZERO,
        None => base * Decimal::from(days) / basis,
    }
}

/// The switch to the LPR (1 from 2019-08-20 in the shipped pipelines: 中国人民银行公告〔2019〕第15号).
pub const LPR_REFORM: &str = "benchmark_rate.lpr";

/// The one-year benchmark in force on `on`: the PBoC one-year lending rate
/// (`benchmark_rate.pboc_1y`) until the LPR reform, the one-year LPR (`lpr.1y`) from it — the
/// reform's date the pipeline's `benchmark_rate.lpr` switch, not the LPR table's first date: a
/// bureau replacing the table with later figures only leaves the days before them without a
/// benchmark (`NotInForce`), rather than priced at the superseded PBoC rate (until 2026-12-07,
/// a contract-only review). A pipeline without the switch: the table's first date. With the
/// rate, the switch where it chose the LPR, for the lines' parameters (an audit found LPR-era
/// lines citing the LPR but not what chose it).
pub fn benchmark(params: &Params, on: Date) -> Result<(ParamRef, Option<ParamRef>), ParamError> {
    if params.get(LPR_REFORM).is_some() {
        return match params.switch_from(LPR_REFORM, on)? {
            Some(switch) => Ok((params.at("lpr.1y", on)?, Some(switch))),
            None => Ok((params.at("benchmark_rate.pboc_1y", on)?, None)),
        };
    }
    match params.first_from("lpr.1y") {
        Some(f) if on >= f => Ok((params.at("lpr.1y", on)?, None)),
        _ => Ok((params.at("benchmark_rate.pboc_1y", on)?, None)),
    }
}

/// `x` as a percentage, e.g. `4.35%`.
pub fn pct(x: Decimal) -> String {
    format!("{}%", (x * Decimal::from(100)).normalize())
}

/// An exception about a loan row, with the borrower filled in.
pub fn about(
    reg: &crate::registers::Registers,
    r: &LoanRow,
    code: Code,
    programme: &'static str,
    msg: String,
) -> Exception {
    let x = Exception::new(code, msg)
        .at(FILE, r.line)
        .programme(programme);
    match r.borrower {
        Borrower::Person(i) => x.person(reg.person(i).id),
        Borrower::Employer(e) => x.employer(reg.employer(e).id),
    }
}

/// The service month of an instalment: the month it fell due.
pub fn service_month(r: &LoanRow) -> Month {
    Month::of(r.due_date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_date;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    /// OUTPUTS.md: exact decimal arithmetic, rounded once per line, half away from zero. A
    /// share of 0.60 (a bureau's value) on interest whose quotient repeats: the division made
    /// last keeps an exact half cent (a grader found both paid a cent short):
    /// - by days: 0.60 × 62500 × 0.0735 × 92 / 360 = 253575 / 360 = 704.375 → 704.38;
    /// - by whole months (one month and 31 odd days): 0.60 × 30000 × 0.0475 × (1/12 + 31/360)
    ///   = 855 × (360 + 372) / 4320 = 625860 / 4320 = 144.875 → 144.88.
    #[test]
    fn a_share_is_applied_before_the_division() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let (share, basis) = (d("0.60"), d("360"));
        let by_days = interest_share(share, d("62500.00"), d("0.0735"), None, 92, basis);
        assert_eq!(by_days, d("704.375"));
        assert_eq!(Money::round(by_days).to_string(), "704.38");
        let by_months = interest_share(share, d("30000.00"), d("0.0475"), Some((1, 31)), 0, basis);
        assert_eq!(by_months, d("144.875"));
        assert_eq!(Money::round(by_months).to_string(), "144.88");
        // (the share taken of the quotient, as before: a half cent short)
        let before = share * interest(d("62500.00"), d("0.0735"), 92, basis);
        assert_eq!(Money::round(before).to_string(), "704.37");
    }

    #[test]
    fn day_count_matches_the_banks_figures() {
        // 2017-12-21..2018-03-20 = 11 + 31 + 28 + 20 = 90 days; 200000 × 0.0435 × 90 / 360
        // = 2175.00 (fixtures/demo, DB2017-0815 instalment 1)
        assert_eq!(days(d("2017-12-21"), d("2018-03-20")), 90);
        let i = interest(
            Decimal::from(200000),
            Decimal::new(435, 4),
            90,
            Decimal::from(360),
        );
        assert_eq!(Money::round(i).to_string(), "2175.00");
        // 2018-03-21..2018-06-20 = 11 + 30 + 31 + 20 = 92 days: 2223.333… → 2223.33
        let i = interest(
            Decimal::from(200000),
            Decimal::new(435, 4),
            days(d("2018-03-21"), d("2018-06-20")),
            Decimal::from(360),
        );
        assert_eq!(Money::round(i).to_string(), "2223.33");
        // a 30-day period at 4.35% on 100000: 100000 × 0.0435 × 30 / 360 = 362.50
        let i = interest(
            Decimal::from(100000),
            Decimal::new(435, 4),
            30,
            Decimal::from(360),
        );
        assert_eq!(Money::round(i).to_string(), "362.50");
    }

    #[test]
    fn window_days() {
        // a period 2020-12-01..2021-01-31 against a window ending 2020-12-31: 31 days in it
        assert_eq!(
            days_within(
                d("2020-12-01"),
                d("2021-01-31"),
                d("2018-01-01"),
                d("2020-12-31")
            ),
            31
        );
        assert_eq!(
            days_within(
                d("2021-01-01"),
                d("2021-01-31"),
                d("2018-01-01"),
                d("2020-12-31")
            ),
            0
        );
    }

    // 银发〔2005〕129号's whole months and odd days of a period (both ends counted)
    #[test]
    fn whole_months_and_odd_days() {
        assert_eq!(
            months_and_days(d("2018-01-21"), d("2018-04-20"), 21),
            (3, 0)
        );
        assert_eq!(
            months_and_days(d("2018-02-10"), d("2018-05-14"), 10),
            (3, 5)
        );
        assert_eq!(months_and_days(d("2018-02-01"), d("2018-02-28"), 1), (1, 0));
        // a day short of a month: no whole month, 30 days
        assert_eq!(
            months_and_days(d("2018-01-01"), d("2018-01-30"), 1),
            (0, 30)
        );
        // a loan drawn on the 31st: its repayment day is February's last (the 28th), then
        // March's 31st — 01-31..02-27 and 02-28..03-30 are a month each (a regression review
        // found such loans held)
        assert_eq!(
            months_and_days(d("2018-01-31"), d("2018-02-27"), 31),
            (1, 0)
        );
        assert_eq!(
            months_and_days(d("2018-02-28"), d("2018-03-30"), 31),
            (1, 0)
        );
        assert_eq!(
            months_and_days(d("2018-01-30"), d("2018-02-27"), 30),
            (1, 0)
        );
        // a period not beginning on a repayment day counts from its own first day
        assert_eq!(
            months_and_days(d("2018-02-15"), d("2018-03-14"), 31),
            (1, 0)
        );
        // 120000 × 4.35% × 1/12 = 435.00; 200000 × 4.35% × (3/12 + 5/360) = 2295.833…
        let r = Decimal::new(435, 4);
        let b = Decimal::from(360);
        assert_eq!(
            interest_months(Decimal::from(120000), r, 1, 0, b),
            Decimal::new(43500, 2)
        );
        assert_eq!(
            Money::round(interest_months(Decimal::from(200000), r, 3, 5, b)).to_string(),
            "2295.83"
        );
    }
}

#[cfg(test)]
mod period_tests {
    use super::period_months;
    use crate::domain::Date;

    fn d(s: &str) -> Date {
        Date::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A period's calendar months, the step from one instalment's due date to the next's.
    #[test]
    fn a_periods_months() {
        assert_eq!(period_months(d("2019-03-10"), d("2019-04-09")), 1);
        assert_eq!(period_months(d("2019-04-01"), d("2019-04-30")), 1);
        assert_eq!(period_months(d("2019-01-31"), d("2019-02-28")), 1);
        assert_eq!(period_months(d("2019-01-01"), d("2019-03-31")), 3);
        assert_eq!(period_months(d("2019-01-10"), d("2019-01-20")), 1);
    }
}
