//! What other runs have paid, as the programmes need it: per subsidised month (its `month
//! key`, the payment id of the month's first line) the SI cents already subsidised per
//! insurance, and per programme and person the months used so far.

use crate::domain::Month;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

/// One recorded line, as read from the store (borrowed from the statement's row: only what
/// the history keeps is copied).
pub(super) struct Row<'a> {
    pub month_key: &'a str,
    pub limit_group: &'a str,
    pub service_month: &'a str,
    pub beneficiary: &'a str,
    pub basis: &'a str,
    pub status: &'a str,
    pub reason: &'a str,
}

/// A month key as the payment ids are written (`DSB` and 24 hexadecimal digits), held as
/// its 96-bit number: a ledger of millions of lines is read without a string per line.
pub fn compact(key: &str) -> Option<u128> {
    let hex = key.strip_prefix("DSB")?;
    if hex.len() != 24 {
        return None;
    }
    // (read digit by digit: called for every line of a run, three times)
    hex.bytes().try_fold(0u128, |acc, b| {
        let v = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'F' => b - b'A' + 10,
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        Some(acc << 4 | u128::from(v))
    })
}

/// A subsidised month as recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonthEntry {
    /// SI cents per insurance already subsidised by lines that were not returned as failed
    pub basis: [i64; 5],
    /// lines recorded for the month (including failed ones): the next top-up's sequence
    pub lines: u32,
    /// any line that the bank has not failed
    pub paid: bool,
    /// reason of the latest failed return, when every line failed
    pub failed: Option<String>,
    /// SI cents per insurance the failed lines were paid on (the largest of each), while no
    /// line of the month stands: what a retry owes for an insurance the extract no longer holds
    pub failed_basis: [i64; 5],
}

/// Months used of a programme by a person.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Usage {
    pub months: u32,
    /// the first month subsidised by the first run that subsidised the group (“首次申请”): a
    /// later run that pays an earlier month (补缴) does not move it
    pub first: Month,
}

/// What the ledger says of a month about to be paid.
#[derive(Clone, Debug)]
pub enum Seen<'a> {
    /// never paid
    New,
    /// paid before; compare the basis
    Paid(&'a MonthEntry),
    /// paid before and returned as failed by the bank: payable again
    Failed(&'a MonthEntry),
}

/// What earlier runs saw of flexible months with one of pension (0) and medical (1) paid: the
/// cents, by resident ID and month.
pub type FlexibleSeen = FxHashMap<(String, crate::domain::Month), [Option<i64>; 2]>;

/// (person ID, employer code, month): an intern's months insured by a host, as earlier runs'
/// extracts showed them (`InternSiSeen`).
pub type InternSiSeenSet = rustc_hash::FxHashSet<(String, String, crate::domain::Month)>;

/// (intern ID, host code, month) → the earliest payout month of a current run whose extract
/// showed the intern insured at the host then (`intern_si_seen`): the run an award resting on
/// the month cites (`sources`, and so the manifest's `earlier_runs`).
pub type InternSiSeenRuns = FxHashMap<(String, String, crate::domain::Month), String>;

/// intern ID → the intern-months earlier runs paid the intern, each with its host's code and
/// its placement's limit group, by month.
pub type InternMonths = FxHashMap<String, Vec<(String, String, crate::domain::Month)>>;

/// (intern ID, host code) → the placements earlier runs' rosters listed there: limit group,
/// first and last day (the latest payout month's), and the latest payout month whose roster
/// listed it (`intern_placements`).
pub type InternPlacements = FxHashMap<
    (String, String),
    Vec<(
        String,
        crate::domain::Date,
        crate::domain::Date,
        crate::domain::Month,
    )>,
>;

/// intern ID → the hosts (employer codes) earlier runs paid the intern's retention award to, by
/// a line the bank has not returned as failed, each with that line's payment id and the year
/// whose rate it was paid on (`retention_payees`).
pub type RetentionPayees = FxHashMap<String, Vec<(String, String, AwardYear)>>;

/// The year of the rate a retention award was paid on: the line's limit group names it
/// (`internship_retention/2019`, since 2026-12-05), else (a line of an earlier build) the last
/// year the run that paid it could judge — its own year for a December run, the year before
/// otherwise —, which the programme narrows to the latest year up to it in which the intern
/// finished a placement at the payee host (two regression reviews: “any year up to it” let a
/// later year's award lift an earlier year's rate; “that year” misread a December run paying
/// an earlier year's award).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AwardYear {
    Named(i32),
    RunsLast(i32),
}

impl AwardYear {
    /// From an award line's limit group and the payout month (`YYYY-MM`) of the run that paid
    /// it.
    pub fn of(group: &str, payout: &str) -> Option<Self> {
        if let Some(y) = group
            .strip_prefix("internship_retention/")
            .and_then(|y| y.parse().ok())
        {
            return Some(AwardYear::Named(y));
        }
        let m = crate::domain::Month::parse(payout).ok()?;
        Some(AwardYear::RunsLast(if m.month() == 12 {
            m.year()
        } else {
            m.year() - 1
        }))
    }
}

/// `(limit group, beneficiary)` → the first applications' month, the day each judged the age on,
/// and the run that made it, in the order of the runs (`first_applications`).
pub type FirstApplications =
    rustc_hash::FxHashMap<(String, String), Vec<(crate::domain::Month, crate::domain::Date, i64)>>;

/// The day the latest run's entry of one `(limit group, beneficiary)` judged on: how the ledger
/// has that first application now (a later run that re-judged it recorded its own).
pub fn latest_judged_on(
    entries: &[(crate::domain::Month, crate::domain::Date, i64)],
) -> Option<crate::domain::Date> {
    entries
        .iter()
        .max_by_key(|(_, _, run)| *run)
        .map(|(_, d, _)| *d)
}

/// An employer SI row (or a flexible worker's own) an earlier run saw paid after its payout
/// month (`LateSeen`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LateRow {
    pub cents: i64,
    /// `None`: the latest sighting showed the row unpaid
    pub paid_on: Option<crate::domain::Date>,
    /// its line in that run's contributions.csv
    pub line: u32,
    /// that run's payout month
    pub run: crate::domain::Month,
}

/// (person ID, employer code — `""` for a flexible worker's own rows —, service month) → per
/// insurance (`Insurance as usize`), the latest run's sighting.
pub type SiLateSeen = FxHashMap<(String, String, crate::domain::Month), [Option<LateRow>; 5]>;

/// (person ID, employer code, service month) of employer rows kept of flexible months a run
/// could not complete (`Ledger::flexible_months_insured`).
pub type FlexibleInsured = InternSiSeenSet;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// the runs read (run ids, ascending): what a snapshot of this history is valid for
    pub(super) runs: Vec<i64>,
    /// the ledger's count of changes to recorded lines when this history was read
    pub(super) changes: i64,
    months: FxHashMap<u128, MonthEntry>,
    /// month keys not of the payment-id form (none are written so; kept for safety)
    other_months: FxHashMap<String, MonthEntry>,
    /// loan instalments (and compensations) paid by one line that the bank has not failed:
    /// the bulk of a ledger with a loan book, held as bare keys (not a month entry), each with
    /// its line's row fingerprint (`parse_row_fp`; 0: not known)
    paid_loans: FxHashMap<u128, u64>,
    /// the row fingerprint of the latest line not failed of the loan keys held as month entries
    /// (a failed line paid again, a month paid twice): few
    entry_fps: FxHashMap<u128, u64>,
    usage: FxHashMap<(String, String), Usage>,
    rows: Vec<(String, String, String, u32)>, // (limit group, beneficiary, service month, run) of paid months
    /// the run the lines being added belong to (`next_run`): 0 for what a snapshot holds
    run_seq: u32,
    /// per usage, the run that made it (absent: a snapshot's, run 0)
    usage_run: FxHashMap<(String, String), u32>,
    /// (limit group, beneficiary, year of the service month) of every paid month
    years: rustc_hash::FxHashSet<(String, String, i32)>,
    /// every paid (limit group, beneficiary, service month), hashed (`person_month`): whoever
    /// was paid for it — a month of the person an employer no longer in the registers was paid
    paid_months: rustc_hash::FxHashSet<u64>,
    /// per loan (`LoanProgress::loan`), its mark: the month keys of its instalments after the
    /// first `pre` up to the mark are all paid in this history (and held no more: folded), so
    /// that pricing skips them without keying them. `pre`, the instalments that accrued wholly before
    /// the pipeline's rules when the mark was made, is never vouched for: those are asked by
    /// their keys. Derived from the paid keys when a snapshot is written (never from the lines:
    /// empty after a full read).
    loan_marks: FxHashMap<u128, Mark>,
    /// paid loan keys a mark has passed over: no longer held (pricing never asks for them),
    /// only counted, so that `len` is what the lines give
    folded: u64,
    /// lines earlier runs withheld (read with the history, never in its snapshot)
    pub open_holds: Vec<super::OpenHold>,
    /// the acknowledged lines the current run of this payout month withheld, which a re-run
    /// replaces (read with the history, never in its snapshot)
    pub acknowledged_in_month: Vec<super::OpenHold>,
    /// `open_holds`' withheld lines by month key: (lines of the month when withheld, SI basis)
    /// (`index_withheld`)
    withheld: FxHashMap<String, Vec<(u32, [i64; 5])>>,
    /// flexible workers' months earlier runs saw with only one of pension (0) and medical (1)
    /// paid, the cents paid, by resident ID and month (read with the history, never in its
    /// snapshot): a windowed extract that no longer holds the paid row completes the month
    pub flexible_seen: FlexibleSeen,
    /// employer SI rows (and flexible workers' own) earlier runs saw paid after their payout
    /// month (read with the history, never in its snapshot)
    pub si_late_seen: SiLateSeen,
    /// the employer rows, however old, of flexible months a run could not complete (read with
    /// the history, never in its snapshot): the flexible programmes' employment test
    pub flexible_months_insured: FlexibleInsured,
    /// interns' host-insured months earlier runs saw, each with the first run that saw it
    pub intern_si_seen: InternSiSeenRuns,
    /// the intern-months earlier runs paid, by intern (read with the history, never in its
    /// snapshot): a placement the roster no longer lists is found through them
    pub intern_months: InternMonths,
    /// the hosts earlier runs paid each intern's retention award to (read with the history,
    /// never in its snapshot): whose award it is
    pub retention_payees: RetentionPayees,
    /// the placements earlier runs' rosters listed, with their days and the last month listed
    /// (read with the history, never in its snapshot): a placement the roster no longer lists is chained by them
    pub intern_placements: InternPlacements,
    /// (limit group, intern ID) → every host code earlier runs' rosters listed the placement
    /// under (read with the history, never in its snapshot): one host whose code the registers
    /// corrected between runs
    pub intern_placement_hosts: FxHashMap<(String, String), Vec<String>>,
    /// the payout months of the other current runs, ascending (read with the history, never in
    /// its snapshot): whether a roster listed a placement at the last run before a month
    pub run_months: Vec<crate::domain::Month>,
    /// the first applications earlier runs made (`first_applications`)
    pub first_applications: FirstApplications,
    /// the current run of this payout month, which a run of the month replaces (read with the
    /// history, never in its snapshot)
    pub replaced: Option<super::ReplacedRun>,
}

/// A loan's mark: instalments `pre + 1 ..= paid` are paid (their keys folded); `pre` leading
/// instalments accrued wholly before the pipeline's rules when the mark was made (not vouched for).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark {
    pub pre: u32,
    pub paid: u32,
    /// the sum (wrapping) of the row fingerprints the lines of instalments `pre + 1 ..= paid`
    /// were paid on (`loans::fingerprint`); `None` where one was not known (a line written
    /// before 2026-12-06, or of another fingerprint version): a later extract's rows under the
    /// mark are compared with it
    pub fp: Option<u64>,
}

impl Mark {
    /// Whether instalment `no` is known paid by the mark alone.
    pub fn covers(self, no: u32) -> bool {
        no > self.pre && no <= self.paid
    }
}

/// What pricing a loan learnt about its instalments: `pre`, how many lead the loan falling due
/// before the pipeline's rules (this run's inputs and pipeline); `from`, where its keys start
/// (the mark, when the mark was made with the same `pre`; else `pre`); then the month keys of
/// instalments `from + 1, from + 2, …` in order, up to the first that was neither paid before
/// nor payable in this run. The snapshot advances the mark over those that are paid once the
/// run's lines are in — unless the mark was made with another `pre` and vouches for
/// instalments this progress does not (then it is kept as it is: never wrong, only shorter).
#[derive(Clone, Debug, Default)]
pub struct LoanProgress {
    pub loan: u128,
    pub pre: u32,
    pub from: u32,
    pub keys: Vec<u128>,
}

/// A month paid by `lines` lines without a basis, none of them failed.
const fn paid_entry(lines: u32) -> MonthEntry {
    MonthEntry {
        basis: [0; 5],
        lines,
        paid: true,
        failed: None,
        failed_basis: [0; 5],
    }
}

/// `basis` column: five comma-separated cent amounts (pension, medical, unemployment, injury,
/// maternity).
pub fn basis_text(b: &[i64; 5]) -> String {
    let mut s = String::with_capacity(24);
    for (i, v) in b.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(itoa::Buffer::new().format(*v));
    }
    s
}

/// The version of `loans::fingerprint` the lines carry: bump it whenever what the fingerprint
/// mixes changes. A line of another version is read as carrying none (not compared): a
/// fingerprint of other rules would differ from every row, and every paid instalment of every
/// loan be priced again in every run (a bench found a city's run four times longer on a ledger
/// of the previous day's definition).
/// (`fp4` since the night of 2026-12-06: the loan's terms joined the context; `fp2`, `fp3`
/// lines are not compared.)
const ROW_FP_VERSION: &str = "#fp4:";

/// `lines.basis` of a line: a loan interest line's row fingerprint (`ROW_FP_VERSION` and 16
/// hexadecimal digits, `Payment::row_fp`), else its SI basis (`basis_text`).
pub fn line_basis(l: &crate::outputs::payments::Line) -> String {
    if l.row_fp != 0 {
        format!("{ROW_FP_VERSION}{:016x}", l.row_fp)
    } else {
        basis_text(&l.si_basis)
    }
}

/// The row fingerprint a loan line's `basis` holds (`line_basis`); 0 for none (a line written
/// before 2026-12-06, of another fingerprint version, or of another kind).
pub(super) fn parse_row_fp(s: &str) -> u64 {
    s.strip_prefix(ROW_FP_VERSION)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or(0)
}

pub(super) fn parse_basis(s: &str) -> [i64; 5] {
    let mut out = [0i64; 5];
    for (slot, v) in out.iter_mut().zip(s.split(',')) {
        *slot = v.parse().unwrap_or(0);
    }
    out
}

impl History {
    /// An empty history of these runs, their lines to be added.
    pub(super) fn of_runs(runs: Vec<i64>, changes: i64) -> History {
        History {
            runs,
            changes,
            ..History::default()
        }
    }

    pub(super) fn add(&mut self, r: Row) {
        let key = compact(r.month_key);
        if let Some(k) = key.filter(|_| r.limit_group.starts_with("loan_")) {
            // a loan line carries no SI basis and counts towards no duration: unless its key
            // has a history of its own (a failed line), a bare key (with its row's
            // fingerprint) says all
            let fp = parse_row_fp(r.basis);
            if r.status != "failed" && !self.months.contains_key(&k) {
                if self.paid_loans.insert(k, fp).is_some() {
                    self.months.insert(k, paid_entry(2));
                    self.paid_loans.remove(&k);
                    self.entry_fps.insert(k, fp);
                }
                return;
            }
            if let Some(old) = self.paid_loans.remove(&k) {
                self.months.insert(k, paid_entry(1));
                self.entry_fps.insert(k, old);
            }
            if r.status != "failed" {
                self.entry_fps.insert(k, fp);
            }
        }
        let e = match key {
            Some(k) => self.months.entry(k).or_default(),
            None => self
                .other_months
                .entry(r.month_key.to_string())
                .or_default(),
        };
        e.lines += 1;
        if r.status == "failed" {
            if !e.paid {
                // (only ever shown in a message: an account number in it is masked)
                e.failed = Some(crate::outputs::payments::mask_bank_reason(r.reason));
                for (x, y) in e.failed_basis.iter_mut().zip(parse_basis(r.basis)) {
                    *x = (*x).max(y);
                }
            }
            return;
        }
        let b = parse_basis(r.basis);
        for (x, y) in e.basis.iter_mut().zip(b) {
            *x += y;
        }
        if !e.paid {
            e.paid = true;
            e.failed = None;
            e.failed_basis = [0; 5];
            // duration limits and yearly counts are of subsidised months; a loan instalment or
            // compensation is keyed by its month key alone
            if !r.limit_group.starts_with("loan_") {
                self.rows.push((
                    r.limit_group.to_string(),
                    r.beneficiary.to_string(),
                    r.service_month.to_string(),
                    self.run_seq,
                ));
            }
        }
    }

    /// The lines added from now on are the next run's (runs are added in the order they were
    /// recorded).
    pub(super) fn next_run(&mut self) {
        self.run_seq += 1;
    }

    pub(super) fn finish(&mut self) {
        for (group, beneficiary, month, run) in std::mem::take(&mut self.rows) {
            let Ok(m) = Month::parse(&month) else {
                continue;
            };
            // a limit counts months: the same month paid to two employers at once is one, and
            // a month the history already counts (from a snapshot, when this run's lines are
            // added to it) counts once — the same as when every line is read at once
            if !self
                .paid_months
                .insert(person_month(&group, &beneficiary, m))
            {
                continue;
            }
            self.years
                .insert((group.clone(), beneficiary.clone(), m.year()));
            // (a usage a snapshot holds was made by a run before any added now: run 0)
            let key = (group.clone(), beneficiary.clone());
            let made = match self.usage_run.get(&key) {
                Some(r) => *r,
                None if self.usage.contains_key(&key) => 0,
                None => {
                    self.usage_run.insert(key, run);
                    run
                }
            };
            let u = self.usage.entry((group, beneficiary)).or_insert(Usage {
                months: 0,
                first: m,
            });
            u.months += 1;
            // (the first application is the first run's: a later run's earlier month is not)
            if run == made {
                u.first = u.first.min(m);
            }
        }
        // every usage now was made before any run added later (which `next_run` numbers from
        // 1): the bookkeeping ends here, as a snapshot of this history would have none
        self.usage_run.clear();
        self.run_seq = 0;
    }

    /// The acknowledged lines of `open_holds` whose month is closed by them: a month whose
    /// withheld or failed line an analyst acknowledged as not owed is paid again only when an
    /// extract carries it again (CLI.md) — unless a later run made a line of the month that is
    /// open and not acknowledged (a retry paid on a cumulative extract and returned as failed
    /// again, a top-up of the month since that failed or was withheld): that line is owed as any
    /// other (since 2026-12-06: a contract-only review found such lines reported
    /// `HOLD_OUTSTANDING` every run and never paid with windowed extracts).
    /// (With those of the run a re-run of the month replaces, `acknowledged_in_month`: a line it
    /// withheld that the analyst acknowledged is not made again from the kept rows by the
    /// re-run — since 2026-12-06, a grader found the re-run pay it.)
    pub fn acknowledged_holds(&self) -> Vec<&super::OpenHold> {
        let mut open: FxHashMap<&str, i64> = FxHashMap::default();
        for h in self.open_holds.iter().filter(|h| h.acknowledged.is_none()) {
            let latest = open.entry(h.month_key.as_str()).or_default();
            *latest = (*latest).max(h.run_id);
        }
        let all = || self.open_holds.iter().chain(&self.acknowledged_in_month);
        let mut acked: FxHashMap<&str, i64> = FxHashMap::default();
        for h in all().filter(|h| h.acknowledged.is_some()) {
            let latest = acked.entry(h.month_key.as_str()).or_default();
            *latest = (*latest).max(h.run_id);
        }
        all()
            .filter(|h| h.acknowledged.is_some())
            .filter(|h| {
                let acked = acked.get(h.month_key.as_str()).copied().unwrap_or_default();
                open.get(h.month_key.as_str()).is_none_or(|&o| o <= acked)
            })
            .collect()
    }

    /// Indexes `open_holds`' withheld lines by month key (`withheld_basis`): called once they
    /// are read.
    pub(super) fn index_withheld(&mut self) {
        self.withheld.clear();
        for h in self
            .open_holds
            .iter()
            .filter(|h| h.code != "PAYMENT_FAILED" && h.acknowledged.is_none())
            .filter(|h| h.basis.iter().any(|&c| c > 0))
        {
            self.withheld
                .entry(h.month_key.clone())
                .or_default()
                .push((h.seq, h.basis));
        }
    }

    /// The SI cents per insurance that lines withheld for `month_key` by earlier runs, and still
    /// owed, were computed on (the largest of each; `None`: none): what a run paying the month
    /// owes for an insurance its extract no longer holds. A hold is still owed while its month
    /// has no line beyond those it had when withheld (`seq`): a month paid since is not paid
    /// again from it. `lines`: the lines the month has (`MonthEntry::lines`, as `seen` gave
    /// it; 0 for a month never paid).
    pub fn withheld_basis(&self, month_key: &str, lines: u32) -> Option<[i64; 5]> {
        let holds = self.withheld.get(month_key)?;
        let mut out = [0i64; 5];
        for (_, b) in holds.iter().filter(|(seq, _)| *seq >= lines) {
            for (x, y) in out.iter_mut().zip(b) {
                *x = (*x).max(*y);
            }
        }
        out.iter().any(|&c| c > 0).then_some(out)
    }

    /// What was paid for the month whose first line has id `month_key`.
    pub fn seen(&self, month_key: &str) -> Seen<'_> {
        match compact(month_key) {
            Some(k) => self.seen_key(k),
            None => Self::seen_entry(self.other_months.get(month_key)),
        }
    }

    /// `seen` for a month key given as its number (`payments::payment_key`). Not for a loan
    /// instalment: the keys its loan's mark covers are not held (they would answer
    /// `New`); ask `instalment_seen`.
    pub fn seen_key(&self, key: u128) -> Seen<'_> {
        static PAID: MonthEntry = paid_entry(1);
        match self.months.get(&key) {
            None if self.paid_loans.contains_key(&key) => Seen::Paid(&PAID),
            e => Self::seen_entry(e),
        }
    }

    /// What was paid for instalment `no` of `loan` (`LoanProgress::loan`), whose month key is
    /// `key`: paid when the loan's mark covers it, else as `seen_key` says. The one way to ask
    /// about a loan instalment (a key a mark passed over is no longer held).
    pub fn instalment_seen(&self, loan: u128, no: u32, key: u128) -> Seen<'_> {
        static PAID: MonthEntry = paid_entry(1);
        if self.loan_mark(loan).covers(no) {
            Seen::Paid(&PAID)
        } else {
            self.seen_key(key)
        }
    }

    /// The row fingerprint the paid line of loan instalment key `key` was paid on, where
    /// known: held for the keys no mark has passed over (`Mark::fp` folds those).
    pub fn instalment_fp(&self, key: u128) -> Option<u64> {
        self.paid_loans
            .get(&key)
            .or_else(|| self.entry_fps.get(&key))
            .copied()
            .filter(|&fp| fp != 0)
    }

    /// The loan's mark (`loan_marks`; none: nothing vouched for).
    pub fn loan_mark(&self, loan: u128) -> Mark {
        self.loan_marks.get(&loan).copied().unwrap_or_default()
    }

    /// Advances the loans' marks over the keys their pricing reported that are paid here.
    pub(super) fn advance_marks(&mut self, progress: &[LoanProgress]) {
        for p in progress {
            let old = self.loan_mark(p.loan);
            // a mark made with another `pre` (the pipeline's rules or the loan's due dates have
            // changed since) vouches for keys it folded, which no other mark would cover: it is
            // kept as it is (the loan is priced by its keys around it from now on)
            if old.paid > old.pre && old.pre != p.pre {
                continue;
            }
            // a mark grows only from where it vouches: its end, or (none yet) `pre` — where
            // pricing starts its keys
            let start = if old.paid > old.pre { old.paid } else { p.pre };
            if p.from != start {
                continue;
            }
            let mut n = p.from;
            for &k in &p.keys {
                if !matches!(self.seen_key(k), Seen::Paid(_)) {
                    break;
                }
                n += 1;
            }
            // the keys passed over are held no more (a snapshot of 1.5M keys was 24 MB a
            // month), their row fingerprints summed into the mark's; an entry with a history
            // of its own (failed, paid twice) stays
            let mut fp = if old.paid > old.pre { old.fp } else { Some(0) };
            for k in &p.keys[..(n - p.from) as usize] {
                let one = match self.paid_loans.remove(k) {
                    Some(f) => {
                        self.folded += 1;
                        f
                    }
                    None => self.entry_fps.get(k).copied().unwrap_or(0),
                };
                fp = fp.filter(|_| one != 0).map(|f| f.wrapping_add(one));
            }
            let new = Mark {
                pre: p.pre,
                paid: n,
                fp,
            };
            if new.paid > new.pre && new != old {
                self.loan_marks.insert(p.loan, new);
            }
        }
    }

    fn seen_entry(entry: Option<&MonthEntry>) -> Seen<'_> {
        match entry {
            None => Seen::New,
            Some(e) if e.paid => Seen::Paid(e),
            Some(e) => Seen::Failed(e),
        }
    }

    /// Whether some line paid `beneficiary`'s service month `m` under `limit_group`, to
    /// whichever payee.
    pub fn month_paid(&self, limit_group: &str, beneficiary: &str, m: Month) -> bool {
        self.paid_months
            .contains(&person_month(limit_group, beneficiary, m))
    }

    /// The day the first application of `limit_group` for `beneficiary` judged the age on,
    /// when it was made for month `first` (the group's first subsidised month as the ledger
    /// has it now).
    pub fn judged_on(
        &self,
        limit_group: &str,
        beneficiary: &str,
        first: crate::domain::Month,
    ) -> Option<crate::domain::Date> {
        // (the earliest run's of those made for that month: a re-run that moved the first
        // month records its own beside the first one's)
        self.first_applications
            .get(&(limit_group.to_string(), beneficiary.to_string()))?
            .iter()
            .find(|(m, _, _)| *m == first)
            .map(|(_, d, _)| *d)
    }

    /// The run that made the first application of `limit_group` for `beneficiary` (the
    /// earliest recorded): which of two groups sharing one limit applied first.
    pub fn first_application_run(&self, limit_group: &str, beneficiary: &str) -> Option<i64> {
        self.first_applications
            .get(&(limit_group.to_string(), beneficiary.to_string()))?
            .first()
            .map(|(_, _, run)| *run)
    }

    /// The first month and day of the first application of `limit_group` for `beneficiary`
    /// (the earliest recorded).
    pub fn first_applied(
        &self,
        limit_group: &str,
        beneficiary: &str,
    ) -> Option<(Month, crate::domain::Date)> {
        self.first_applications
            .get(&(limit_group.to_string(), beneficiary.to_string()))?
            .first()
            .map(|(m, d, _)| (*m, *d))
    }

    /// Months already subsidised for `beneficiary` (resident ID) under a limit group.
    pub fn usage(&self, limit_group: &str, beneficiary: &str) -> Option<Usage> {
        self.usage
            .get(&(limit_group.to_string(), beneficiary.to_string()))
            .copied()
    }

    /// Every `(limit group, beneficiary)` with months subsidised (in no particular order).
    pub fn subsidised(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.usage.keys().map(|(g, b)| (g.as_str(), b.as_str()))
    }

    /// Distinct `(limit group, beneficiary, year of a service month paid)` whose group starts
    /// with `prefix`.
    pub fn paid_years<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str, i32)> + 'a {
        self.years
            .iter()
            .filter(move |(g, _, _)| g.starts_with(prefix))
            .map(|(g, b, y)| (g.as_str(), b.as_str(), *y))
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn len(&self) -> usize {
        self.months.len() + self.other_months.len() + self.paid_loans.len() + self.folded as usize
    }

    /// The months an earlier run paid (a line the bank has not failed): `len` without the
    /// months whose every line failed (summary.json's `months_paid_by_other_runs`; a cold
    /// review found failed months counted).
    pub fn paid_len(&self) -> usize {
        let paid = |m: &MonthEntry| m.paid;
        self.months.values().filter(|m| paid(m)).count()
            + self.other_months.values().filter(|m| paid(m)).count()
            + self.paid_loans.len()
            + self.folded as usize
    }
}

/// A paid month of a person under a limit group, as a number (FxHash: the same in every
/// build, and a snapshot is read only by its own build anyway).
fn person_month(group: &str, beneficiary: &str, m: Month) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    group.hash(&mut h);
    beneficiary.hash(&mut h);
    m.index().hash(&mut h);
    h.finish()
}

/// The rules by which `History::add` and `finish` turn lines into a history. A snapshot holds
/// their result, so it is read only by a build with the same rules: bump this whenever `add`,
/// `finish` or what they keep changes (the test `snapshot_bytes_are_pinned` fails until then).
const HISTORY_RULES: u32 = 14;

/// A snapshot's header: its format, the rules and the program version that wrote it. Another
/// header, or bytes whose SHA-256 trailer does not match, are not read: the ledger's lines are,
/// as without a snapshot (once after an upgrade).
fn snapshot_header() -> Vec<u8> {
    let mut h = b"DSBHIST".to_vec();
    h.extend_from_slice(&HISTORY_RULES.to_le_bytes());
    h.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    h.push(0);
    h
}

/// Little-endian writer of a snapshot; `too_big` when a count does not fit its 32 bits.
struct Out {
    buf: Vec<u8>,
    too_big: bool,
}

impl Out {
    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        let v = u32::try_from(n).unwrap_or_else(|_| {
            self.too_big = true;
            u32::MAX
        });
        self.u32(v);
    }
    fn key(&mut self, k: u128) {
        // month keys are 96-bit numbers (`compact`)
        self.buf.extend_from_slice(&k.to_le_bytes()[..12]);
    }
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }
    fn entry(&mut self, e: &MonthEntry) {
        for b in e.basis.iter().chain(&e.failed_basis) {
            self.buf.extend_from_slice(&b.to_le_bytes());
        }
        self.u32(e.lines);
        self.buf.push(u8::from(e.paid));
        match &e.failed {
            None => self.buf.push(0),
            Some(r) => {
                self.buf.push(1);
                self.str(r);
            }
        }
    }
}

/// Reader of a snapshot: `None` on any short or malformed field.
struct In<'a>(&'a [u8]);

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn i32(&mut self) -> Option<i32> {
        Some(i32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn key(&mut self) -> Option<u128> {
        let mut b = [0u8; 16];
        b[..12].copy_from_slice(self.take(12)?);
        Some(u128::from_le_bytes(b))
    }
    fn str(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
    fn entry(&mut self) -> Option<MonthEntry> {
        let mut basis = [0i64; 5];
        for b in &mut basis {
            *b = self.i64()?;
        }
        let mut failed_basis = [0i64; 5];
        for b in &mut failed_basis {
            *b = self.i64()?;
        }
        let lines = self.u32()?;
        let paid = match self.take(1)?[0] {
            0 => false,
            1 => true,
            _ => return None,
        };
        let failed = match self.take(1)?[0] {
            0 => None,
            1 => Some(self.str()?),
            _ => return None,
        };
        Some(MonthEntry {
            basis,
            lines,
            paid,
            failed,
            failed_basis,
        })
    }
    /// A count, bounded by the bytes left (each item takes at least `min` bytes): a damaged
    /// count cannot ask for a huge allocation.
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.saturating_mul(min) <= self.0.len()).then_some(n)
    }
}

impl History {
    /// This history with a run's new lines added, as `History::add` of the ledger's rows
    /// would give it after that run is recorded.
    pub(super) fn with_lines<'a>(
        self,
        run_id: i64,
        rows: impl Iterator<Item = Row<'a>>,
    ) -> History {
        let mut h = self;
        h.next_run();
        // room for the new lines at once: one rehash at most, not one per doubling
        let (lower, _) = rows.size_hint();
        h.paid_loans.reserve(lower);
        for r in rows {
            h.add(r);
        }
        h.finish();
        h.runs.push(run_id);
        h
    }

    /// The snapshot of a finished history (the runs it holds are kept beside it, not in it);
    /// `None` if it is too large for the format.
    pub(super) fn encode(&self) -> Option<Vec<u8>> {
        let mut o = Out {
            // near enough its size: one allocation, not a doubling series
            buf: Vec::with_capacity(
                128 + self.paid_loans.len() * 20
                    + (self.months.len() + self.other_months.len()) * 64
                    + (self.usage.len() + self.years.len()) * 64
                    + self.paid_months.len() * 8
                    + self.loan_marks.len() * 33,
            ),
            too_big: false,
        };
        o.buf.extend_from_slice(&snapshot_header());
        // the bulk (paid loan keys) in the set's own order (not sorted: 1.5M keys; two equal
        // histories built differently may write them in another order, which reads back the
        // same); the rest in key order
        o.len(self.paid_loans.len());
        for (&k, &fp) in &self.paid_loans {
            o.key(k);
            o.buf.extend_from_slice(&fp.to_le_bytes());
        }
        let mut entry_fps: Vec<(&u128, &u64)> = self.entry_fps.iter().collect();
        entry_fps.sort_unstable();
        o.len(entry_fps.len());
        for (&k, &fp) in entry_fps {
            o.key(k);
            o.buf.extend_from_slice(&fp.to_le_bytes());
        }
        o.buf.extend_from_slice(&self.folded.to_le_bytes());
        let mut months: Vec<(&u128, &MonthEntry)> = self.months.iter().collect();
        months.sort_unstable_by_key(|(k, _)| **k);
        o.len(months.len());
        for (k, e) in months {
            o.key(*k);
            o.entry(e);
        }
        let mut other: Vec<(&String, &MonthEntry)> = self.other_months.iter().collect();
        other.sort_unstable_by(|a, b| a.0.cmp(b.0));
        o.len(other.len());
        for (k, e) in other {
            o.str(k);
            o.entry(e);
        }
        let mut usage: Vec<(&(String, String), &Usage)> = self.usage.iter().collect();
        usage.sort_unstable_by(|a, b| a.0.cmp(b.0));
        o.len(usage.len());
        for ((g, b), u) in usage {
            o.str(g);
            o.str(b);
            o.u32(u.months);
            o.buf.extend_from_slice(&u.first.index().to_le_bytes());
        }
        let mut years: Vec<&(String, String, i32)> = self.years.iter().collect();
        years.sort_unstable();
        o.len(years.len());
        for (g, b, y) in years {
            o.str(g);
            o.str(b);
            o.buf.extend_from_slice(&y.to_le_bytes());
        }
        let mut paid_months: Vec<u64> = self.paid_months.iter().copied().collect();
        paid_months.sort_unstable();
        o.len(paid_months.len());
        for k in paid_months {
            o.buf.extend_from_slice(&k.to_le_bytes());
        }
        let mut marks: Vec<(&u128, &Mark)> = self.loan_marks.iter().collect();
        marks.sort_unstable();
        o.len(marks.len());
        for (k, m) in marks {
            o.key(*k);
            o.u32(m.pre);
            o.u32(m.paid);
            match m.fp {
                None => o.buf.push(0),
                Some(fp) => {
                    o.buf.push(1);
                    o.buf.extend_from_slice(&fp.to_le_bytes());
                }
            }
        }
        if o.too_big {
            return None;
        }
        let sum = Sha256::digest(&o.buf);
        o.buf.extend_from_slice(&sum);
        Some(o.buf)
    }

    /// A history from its snapshot; `None` if the bytes are not one (another format, damage).
    pub(super) fn decode(bytes: &[u8], runs: Vec<i64>, changes: i64) -> Option<History> {
        let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
        if Sha256::digest(body).as_slice() != sum {
            return None;
        }
        let mut i = In(body);
        let header = snapshot_header();
        if i.take(header.len())? != header {
            return None;
        }
        let mut h = History::of_runs(runs, changes);
        let n = i.count(20)?;
        h.paid_loans.reserve(n);
        for _ in 0..n {
            let k = i.key()?;
            h.paid_loans.insert(k, i.u64()?);
        }
        for _ in 0..i.count(20)? {
            let k = i.key()?;
            h.entry_fps.insert(k, i.u64()?);
        }
        h.folded = i.u64()?;
        let n = i.count(58)?;
        h.months.reserve(n);
        for _ in 0..n {
            let k = i.key()?;
            h.months.insert(k, i.entry()?);
        }
        for _ in 0..i.count(50)? {
            let k = i.str()?;
            h.other_months.insert(k, i.entry()?);
        }
        for _ in 0..i.count(16)? {
            let key = (i.str()?, i.str()?);
            let months = i.u32()?;
            let first = Month::from_index(i.i32()?);
            h.usage.insert(key, Usage { months, first });
        }
        for _ in 0..i.count(12)? {
            let (g, b) = (i.str()?, i.str()?);
            let y = i.i32()?;
            h.years.insert((g, b, y));
        }
        let n = i.count(8)?;
        h.paid_months.reserve(n);
        for _ in 0..n {
            h.paid_months.insert(i.u64()?);
        }
        let n = i.count(21)?;
        h.loan_marks.reserve(n);
        for _ in 0..n {
            let k = i.key()?;
            let (pre, paid) = (i.u32()?, i.u32()?);
            if pre >= paid {
                return None; // a mark vouching for nothing is never written
            }
            let fp = match i.take(1)?[0] {
                0 => None,
                1 => Some(i.u64()?),
                _ => return None,
            };
            h.loan_marks.insert(k, Mark { pre, paid, fp });
        }
        i.0.is_empty().then_some(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line<'a>(key: &'a str, group: &'a str, status: &'a str, reason: &'a str) -> Row<'a> {
        Row {
            month_key: key,
            limit_group: group,
            service_month: "2018-09",
            beneficiary: "320505195801010089",
            basis: "0,0,0,0,0",
            status,
            reason,
        }
    }

    // A loan instalment's history as bare keys must answer as the full entries do: paid once,
    // failed then paid again (two lines, the retry's sequence follows them), failed only.
    #[test]
    fn loan_lines_held_as_bare_keys_answer_as_month_entries() {
        let (a, b, c) = (
            "DSB000000000000000000000001",
            "DSB000000000000000000000002",
            "DSB000000000000000000000003",
        );
        let mut h = History::default();
        h.add(line(a, "loan_interest", "sent", ""));
        h.add(line(b, "loan_interest", "failed", "account closed"));
        h.add(line(b, "loan_interest", "final", ""));
        h.add(line(c, "loan_interest", "failed", "account closed"));
        h.finish();
        assert_eq!(h.len(), 3);
        assert!(matches!(h.seen(a), Seen::Paid(e) if e.lines == 1));
        assert!(matches!(h.seen(b), Seen::Paid(e) if e.lines == 2 && e.failed.is_none()));
        assert!(
            matches!(h.seen(c), Seen::Failed(e) if e.lines == 1 && e.failed.as_deref() == Some("account closed"))
        );
        assert!(matches!(h.seen("DSB000000000000000000000004"), Seen::New));
        // a paid key seen again (two lines) keeps its count
        h.add(line(a, "loan_interest", "sent", ""));
        assert!(matches!(h.seen(a), Seen::Paid(e) if e.lines == 2));
        // loan lines count towards no duration limit
        assert!(h.usage("loan_interest", "320505195801010089").is_none());
    }

    fn sample() -> History {
        let mut h = History::of_runs(vec![1, 2], 3);
        h.add(line(
            "DSB000000000000000000000001",
            "loan_interest",
            "sent",
            "",
        ));
        h.add(line(
            "DSB000000000000000000000002",
            "loan_interest",
            "failed",
            "closed",
        ));
        h.add(line(
            "DSB000000000000000000000003",
            "si_hardship",
            "final",
            "",
        ));
        h.add(line("X-1", "si_hardship/public_welfare", "sent", ""));
        h.finish();
        // loan 9's instalment 1 is paid (key 1), its instalment 2 failed (key 2): mark 1
        h.advance_marks(&[LoanProgress {
            loan: 9,
            pre: 0,
            from: 0,
            keys: vec![compact_key(1), compact_key(2)],
        }]);
        assert_eq!(
            h.loan_mark(9),
            Mark {
                pre: 0,
                paid: 1,
                fp: None
            }
        );
        h
    }

    // A month key's number: its 24 hexadecimal digits, either case; anything else is not one.
    #[test]
    fn compact_reads_the_hex_digits() {
        for k in [
            "DSB3A5515EBB552588F4BD236EA",
            "DSB000000000000000000000000",
            "DSBFFFFFFFFFFFFFFFFFFFFFFFF",
        ] {
            assert_eq!(compact(k), u128::from_str_radix(&k[3..], 16).ok(), "{k}");
        }
        assert_eq!(
            compact("DSB3a5515ebb552588f4bd236ea"),
            compact("DSB3A5515EBB552588F4BD236EA")
        );
        for k in [
            "DSB3A5515EBB552588F4BD236E",
            "DSB+A5515EBB552588F4BD236EA",
            "DSB3A5515EBB552588F4BD236EG",
            "XSB3A5515EBB552588F4BD236EA",
            "X-1",
        ] {
            assert_eq!(compact(k), None, "{k}");
        }
    }

    fn compact_key(n: u32) -> u128 {
        compact(&format!("DSB{n:024X}")).unwrap()
    }

    // A loan's mark moves over the reported keys that are paid, in order, and no further: a
    // key not paid (failed, withheld after pricing, or never recorded) stops it; it never
    // moves back; loans not reported keep theirs.
    #[test]
    fn loan_marks_move_over_paid_keys_only() {
        let mut h = sample();
        // (no mark yet: pricing starts after the `pre` leading instalments)
        let p = |loan: u128, from: u32, keys: &[u32]| LoanProgress {
            loan,
            pre: from,
            from,
            keys: keys.iter().map(|&n| compact_key(n)).collect(),
        };
        // key 5 a loan instalment paid, key 3 an SI month paid (any paid key counts), key 4
        // never recorded
        h.add(line(
            "DSB000000000000000000000005",
            "loan_interest",
            "sent",
            "",
        ));
        let held = h.len();
        h.advance_marks(&[p(10, 5, &[5, 3, 4, 5]), p(11, 0, &[4, 5]), p(9, 1, &[2])]);
        assert_eq!(
            h.loan_mark(10),
            Mark {
                pre: 5,
                paid: 7,
                fp: None
            }
        );
        assert_eq!(h.loan_mark(11), Mark::default());
        assert_eq!(
            h.loan_mark(9),
            Mark {
                pre: 0,
                paid: 1,
                fp: None
            }
        );
        // the loan keys a mark passed over (1 in `sample`, 5 here) are held no more, and still
        // counted; the SI month passed over keeps its entry
        assert!(
            !h.paid_loans.contains_key(&compact_key(5))
                && !h.paid_loans.contains_key(&compact_key(1))
        );
        assert_eq!((h.folded, h.len()), (2, held));
        assert!(matches!(h.seen_key(compact_key(3)), Seen::Paid(e) if e.lines == 1));
        let bytes = h.encode().unwrap();
        let back = History::decode(&bytes, vec![1, 2], 3).unwrap();
        assert_eq!(
            back.loan_mark(10),
            Mark {
                pre: 5,
                paid: 7,
                fp: None
            }
        );
        assert_eq!(back, h);
    }

    // A mark made after `pre` leading instalments due before the pipeline's rules vouches for
    // the paid ones after them only: instalments 1..=pre are asked by their keys (never folded).
    // Priced again with the same `pre`, the mark grows from its end; with another `pre` (the
    // rules' date moved, a due date corrected) it is kept as it is — the keys it folded are
    // still answered paid — and never replaced by a mark that would not cover them; a progress
    // not starting where the mark vouches is ignored.
    #[test]
    fn a_mark_vouches_only_after_its_pre_rule_instalments() {
        let mut h = sample();
        let paid = |h: &mut History, n: u32| {
            h.add(line(&format!("DSB{n:024X}"), "loan_interest", "sent", ""))
        };
        for n in [103, 104, 105] {
            paid(&mut h, n);
        }
        let p = |pre: u32, from: u32, keys: &[u32]| LoanProgress {
            loan: 20,
            pre,
            from,
            keys: keys.iter().map(|&n| compact_key(n)).collect(),
        };
        // instalments 1 and 2 pre-rule; 3 and 4 paid (keys 103, 104); 5 payable, not yet paid
        h.advance_marks(&[p(2, 2, &[103, 104, 99])]);
        assert_eq!(
            h.loan_mark(20),
            Mark {
                pre: 2,
                paid: 4,
                fp: None
            }
        );
        assert!(matches!(
            h.instalment_seen(20, 3, compact_key(103)),
            Seen::Paid(_)
        ));
        assert!(matches!(
            h.instalment_seen(20, 1, compact_key(101)),
            Seen::New
        ));
        assert!(matches!(
            h.instalment_seen(20, 2, compact_key(102)),
            Seen::New
        ));
        // the rules now begin earlier (pre 0): the mark stays, still answering for 3 and 4
        h.advance_marks(&[p(0, 0, &[101, 102, 103, 104, 105])]);
        assert_eq!(
            h.loan_mark(20),
            Mark {
                pre: 2,
                paid: 4,
                fp: None
            }
        );
        assert!(matches!(
            h.instalment_seen(20, 4, compact_key(104)),
            Seen::Paid(_)
        ));
        // nor later (pre 5, past the mark's end: a mark (5, …) would drop 3 and 4)
        h.advance_marks(&[p(5, 5, &[])]);
        assert_eq!(
            h.loan_mark(20),
            Mark {
                pre: 2,
                paid: 4,
                fp: None
            }
        );
        // a progress not starting at the mark's end is ignored; from it, the mark grows
        h.advance_marks(&[p(2, 3, &[104, 105])]);
        assert_eq!(
            h.loan_mark(20),
            Mark {
                pre: 2,
                paid: 4,
                fp: None
            }
        );
        h.advance_marks(&[p(2, 4, &[105, 106])]);
        assert_eq!(
            h.loan_mark(20),
            Mark {
                pre: 2,
                paid: 5,
                fp: None
            }
        );
        assert!(!h.paid_loans.contains_key(&compact_key(105)));
        let back = History::decode(&h.encode().unwrap(), vec![1, 2], 3).unwrap();
        assert_eq!(
            back.loan_mark(20),
            Mark {
                pre: 2,
                paid: 5,
                fp: None
            }
        );
    }

    // A loan line's row fingerprint (`#` and 16 hex digits in `basis`) is held with its key,
    // asked by `instalment_fp`, and summed into the mark that passes over the key; a line
    // without one (written before 2026-12-06) leaves the mark's sum unknown from then on. A
    // line paid again (a failed line's retry) holds the latest line's. The snapshot keeps them.
    #[test]
    fn marks_sum_the_row_fingerprints_of_the_lines_they_pass() {
        let mut h = History::default();
        let add = |h: &mut History, n: u32, status: &str, basis: &str| {
            let key = format!("DSB{n:024X}");
            h.add(Row {
                month_key: &key,
                limit_group: "loan_interest",
                service_month: "2019-08",
                beneficiary: "320505195801010089",
                basis,
                status,
                reason: "",
            })
        };
        add(&mut h, 1, "sent", "#fp4:0000000000000003");
        add(&mut h, 2, "failed", "#fp4:0000000000000005");
        add(&mut h, 2, "sent", "#fp4:0000000000000007");
        add(&mut h, 3, "sent", "#fp4:00000000000000ff");
        add(&mut h, 11, "sent", "#fp4:0000000000000009");
        add(&mut h, 12, "sent", "0,0,0,0,0");
        // (a fingerprint of an earlier version: not known)
        add(&mut h, 13, "sent", "#000000000000000b");
        h.finish();
        assert_eq!(h.instalment_fp(compact_key(1)), Some(3));
        assert_eq!(h.instalment_fp(compact_key(2)), Some(7));
        assert_eq!(h.instalment_fp(compact_key(12)), None);
        assert_eq!(h.instalment_fp(compact_key(13)), None);
        let p = |loan: u128, keys: &[u32]| LoanProgress {
            loan,
            pre: 0,
            from: 0,
            keys: keys.iter().map(|&n| compact_key(n)).collect(),
        };
        // loan 1: instalments 1 and 2 (3 + 7); 3 left as a key. Loan 2: 11, then 12 unknown
        h.advance_marks(&[p(1, &[1, 2]), p(2, &[11, 12, 13])]);
        assert_eq!(
            h.loan_mark(1),
            Mark {
                pre: 0,
                paid: 2,
                fp: Some(10)
            }
        );
        assert_eq!(
            h.loan_mark(2),
            Mark {
                pre: 0,
                paid: 3,
                fp: None
            }
        );
        assert_eq!(h.instalment_fp(compact_key(3)), Some(0xff));
        // growing from its end adds the next key's
        h.advance_marks(&[LoanProgress {
            loan: 1,
            pre: 0,
            from: 2,
            keys: vec![compact_key(3)],
        }]);
        assert_eq!(
            h.loan_mark(1),
            Mark {
                pre: 0,
                paid: 3,
                fp: Some(0x109)
            }
        );
        let back = History::decode(&h.encode().unwrap(), vec![], 0).unwrap();
        assert_eq!(back, h);
        assert_eq!(back.loan_mark(1).fp, Some(0x109));
    }

    // A snapshot decodes to the history it was made of; damaged or foreign bytes decode to
    // nothing (the ledger's lines are read instead), without a panic or a huge allocation.
    #[test]
    fn snapshot_round_trip_and_damage() {
        let h = sample();
        let bytes = h.encode().unwrap();
        assert_eq!(History::decode(&bytes, vec![1, 2], 3), Some(h.clone()));
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 1;
        assert_eq!(History::decode(&flipped, vec![], 0), None);
        assert_eq!(History::decode(&bytes[..bytes.len() - 1], vec![], 0), None);
        assert_eq!(History::decode(&[], vec![], 0), None);
        // well-formed checksums over bad bodies: another header, a count beyond the bytes, a
        // flag that is neither 0 nor 1, a byte left over
        let sealed = |body: &[u8]| {
            let mut b = body.to_vec();
            b.extend_from_slice(&Sha256::digest(body));
            b
        };
        let body = &bytes[..bytes.len() - 32];
        let header = snapshot_header().len();
        let mut other = body.to_vec();
        other[7] ^= 1; // the rules version
        assert_eq!(History::decode(&sealed(&other), vec![], 0), None);
        let mut huge = body[..header].to_vec();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(History::decode(&sealed(&huge), vec![], 0), None);
        let mut extra = body.to_vec();
        extra.push(0);
        assert_eq!(History::decode(&sealed(&extra), vec![], 0), None);
        // the paid flag of the first month entry (after no paid loan key, as loan 9's mark
        // passed over key 1, the count of keys so passed, no row fingerprint of a loan month
        // entry, and the entry's key, basis, failed basis and line count)
        assert!(h.paid_loans.is_empty() && h.folded == 1 && h.entry_fps.is_empty());
        let first_entry = header + 4 + 8 + 4 + 4 + 12 + 40 + 40 + 4;
        let mut flag = body.to_vec();
        assert_eq!(flag[first_entry], 0); // key 2: failed, not paid
        flag[first_entry] = 2;
        assert_eq!(History::decode(&sealed(&flag), vec![], 0), None);
    }

    // Pins the bytes a known history encodes to (after the header). If this fails, `add`,
    // `finish` or the encoding changed: bump HISTORY_RULES, so that snapshots written by
    // earlier builds are not read, then update the figure.
    #[test]
    fn snapshot_bytes_are_pinned() {
        let bytes = sample().encode().unwrap();
        let body = &bytes[snapshot_header().len()..bytes.len() - 32];
        assert_eq!(HISTORY_RULES, 14);
        assert_eq!(
            hex::encode(Sha256::digest(body)),
            "4ef92538032f3d2a443478148372b689ae1e28d4ebdb9b272c3ce6b0627b2ec5"
        );
    }
}
