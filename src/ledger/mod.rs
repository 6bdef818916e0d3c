//! The payment ledger: what every run of a pipeline has paid, so that a month is never paid
//! twice, duration limits count months across runs, late contributions are paid once, and
//! bank returns can mark lines final or failed.
//!
//! Store: one SQLite file (bundled library), format documented in `docs/LEDGER.md` and
//! versioned in its `meta` table. A run's effect is one transaction, committed after the
//! output files are in place: a run killed at any moment leaves the ledger as it was or with
//! the whole run recorded. One writer at a time: an exclusive lock on `<ledger>.lock`.

mod bulk;
mod history;

pub use history::{
    basis_text, compact, latest_judged_on, AwardYear, FirstApplications, History, LateRow,
    LoanProgress, MonthEntry, Seen, Usage,
};

use crate::domain::Money;
use crate::outputs::payments::Line;
use rusqlite::{params, Connection, OptionalExtension};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// Version of the on-disk format (`meta.format_version`).
pub const FORMAT_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("ledger {0} is in use by another disburse process (lock {1} is held); try again when it has finished")]
    Busy(PathBuf, PathBuf),
    #[error("ledger {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("ledger {0}: {1}")]
    Sql(PathBuf, rusqlite::Error),
    #[error("ledger {0} has format version {1}; this disburse reads version {FORMAT_VERSION}")]
    Version(PathBuf, i64),
    #[error("{0}")]
    Refused(String),
}

/// An open, locked ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    /// the writers' locks — on `<ledger>.lock` and on the ledger file itself (its inode: a
    /// hard link is the same file under another name, a cold review found two runs writing
    /// through one); empty for a read-only view
    _lock: Vec<File>,
    /// made by this opening (no file was at the path): the file it made (device and inode,
    /// on unix), so that only that file is ever removed
    created: Option<(u64, u64)>,
    /// a new ledger no run was recorded to is removed when dropped (`discard_if_unused`)
    discard_if_unused: bool,
    /// a run was recorded to it
    recorded: bool,
    /// what the run about to be recorded saw of flexible months it could not complete
    /// (`remember_flexible`), inserted with it
    flexible: Vec<FlexSeen>,
    /// employer SI rows the run saw paid after its payout month (`remember_late`)
    late: Vec<LateSeen>,
    /// 足额 months the run withheld (`remember_waiting`)
    waiting: Vec<SiWaiting>,
    /// interns' months insured by their hosts, as the run's extract showed them
    /// (`remember_intern_si`)
    intern_si: Vec<InternSiSeen>,
    /// the first applications the run makes (`remember_first_applications`)
    first_apps: Vec<FirstApplication>,
    /// the placements the run's roster lists, with their days (`remember_intern_placements`)
    placements: Vec<InternPlacement>,
}

/// The refusal of a command that needs an existing ledger (`reconcile`, `ledger`).
fn no_ledger(path: &Path) -> LedgerError {
    LedgerError::Refused(format!(
        "no ledger at {}: give the path a run recorded to (--ledger, or DISBURSE_LEDGER)",
        path.display()
    ))
}

/// Opens `path` read-only as an immutable file: no locks, no `-shm` to make, a `-wal` beside it
/// not read.
fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        immutable_uri(path),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
}

/// An SQLite URI that opens `path` as an immutable file (no locks, no `-shm`, no `-wal`): bytes
/// outside the URI's unreserved set and `/` percent-encoded.
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// A file's device and inode (unix); `None` elsewhere or when it cannot be read.
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// `flexible_seen.insurance` of `FlexSeen::insurance` 0 and 1.
const FLEX_INSURANCES: [&str; 2] = ["pension", "medical"];

/// An employer's SI row of a service month up to the payout month, paid after that month's
/// end: payable by a later run (OUTPUTS.md “late payments … are paid in the next run”), whose
/// extract may no longer hold it (a window of recent rows). Kept with the run that saw it. A
/// flexible worker's own row is kept the same way, with an empty `employer_id`.
#[derive(Clone, Debug, PartialEq)]
pub struct LateSeen {
    pub person_id: String,
    /// `""`: a flexible worker's own row (no employer)
    pub employer_id: String,
    pub period: crate::domain::Month,
    pub insurance: crate::ingest::records::Insurance,
    /// the employer's share due (a flexible row: the person's own), in cents
    pub cents: i64,
    /// `None`: the row was there unpaid (a later sighting of a row kept earlier: it supersedes)
    pub paid_on: Option<crate::domain::Date>,
    /// its physical line in that run's contributions.csv
    pub line: u32,
}

/// A month a programme paying only months paid in full (足额: Jiangyin （十一）) waits on — an
/// insurance unpaid or paid late —, kept with the run that withheld it: later runs read the
/// month's kept rows (`si_late_seen`) past the memory's year while a current run has it, as
/// they do a withheld line's — the month is owed once paid whole, and a row forgotten would
/// pay it on the rest, or short (a contract-only review, 2026-12-06).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SiWaiting {
    pub person_id: String,
    pub employer_id: String,
    pub period: crate::domain::Month,
}

/// A month an intern's host (any host of the intern's placements) paid the intern's SI by the
/// end of a run's payout month, as its extract showed it: a retention needs six such months,
/// which one windowed extract does not hold.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InternSiSeen {
    pub person_id: String,
    pub employer_id: String,
    pub period: crate::domain::Month,
}

/// An internship placement's days as a run's roster gave them (its limit group, intern and
/// host): a later run whose roster no longer lists it chains it to the intern's next placement
/// at the host by its dates (one internship in several rows, “见习期限……最长不超过1年”), which
/// the months of its lines cannot tell from a gap.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InternPlacement {
    pub limit_group: String,
    pub person_id: String,
    pub host_id: String,
    pub start: crate::domain::Date,
    /// its last day (`internship::placement_end`)
    pub end: crate::domain::Date,
}

/// “首次申请补贴时”: the day on which a limit group's first application judged the person's age
/// (the run that first subsidised the group, for its first month): a later run judges the
/// limit on it when the registers no longer hold the contract that decided it (a snapshot of
/// master data may drop an ended contract: a cold review found 60 months cut to 36).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FirstApplication {
    pub limit_group: String,
    pub beneficiary_id: String,
    /// the first subsidised month
    pub first: crate::domain::Month,
    pub judged_on: crate::domain::Date,
}

/// One insurance of a flexible worker's month that a run could not complete, as its extract
/// showed it: paid (the cents) or its row unpaid (0).
#[derive(Clone, Debug, PartialEq)]
pub struct FlexSeen {
    pub person_id: String,
    pub period: crate::domain::Month,
    /// 0 = pension, 1 = medical
    pub insurance: u8,
    /// 0: the row was there, without a payment date
    pub paid_cents: i64,
}

impl Drop for Ledger {
    /// A ledger this process made, for a run that failed before it was recorded, is removed
    /// while the lock is still held (OUTPUTS.md: a run that did not complete “wrote nothing
    /// under final names”). The lock file stays: removing it could let two processes lock two
    /// different files at once.
    fn drop(&mut self) {
        let Some(made) = self.created else {
            return;
        };
        if !self.discard_if_unused || self.recorded {
            return;
        }
        // the file at the path must still be the one made here: an operator who put the real
        // ledger there meanwhile (the run's warning asks for its path) keeps it
        if file_identity(&self.path) != Some(made) {
            return;
        }
        // the connection is closed first (SQLite's own -wal and -shm files go with it)
        if let Ok(spare) = Connection::open_in_memory() {
            drop(std::mem::replace(&mut self.conn, spare));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
            }
        }
    }
}

/// A line as recorded.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Recorded {
    pub run_id: i64,
    pub pipeline: String,
    pub payout_month: String,
    pub manifest_sha256: String,
    pub payment_id: String,
    pub programme: String,
    pub service_month: String,
    pub payee_kind: String,
    pub payee_id: String,
    pub beneficiary_id: String,
    pub amount: String,
    pub basis: String,
    pub status: String,
    pub status_reason: String,
    /// the reasons an analyst gave recording the line not owed (`acknowledge`), else empty
    pub acknowledged: String,
}

/// A run as recorded.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RunRow {
    pub run_id: i64,
    pub pipeline: String,
    pub payout_month: String,
    pub state: String,
    pub manifest_sha256: String,
    pub lines: i64,
    pub amount: String,
    /// its output files: `yes` all put in place, `no` never, `aside` moved aside by a re-run of
    /// its month that was stopped (`runs.placed` 1 / 0 / 2; a ledger of an older build: yes);
    /// `replaced` for a superseded run (a re-run of its month replaced it)
    pub files_in_place: &'static str,
}

/// What earlier runs paid under a month's lines (`Ledger::paid_under`): the cents of those
/// not returned as failed, how many, and the last of them — its payment id and payee.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PaidUnder {
    pub cents: i64,
    pub lines: u32,
    pub payment_id: String,
    pub payee_kind: String,
    pub payee_id: String,
    /// the payout month of the run that recorded the last of them
    pub payout_month: String,
}

/// The default ledger for an output folder: `disburse-ledger.sqlite` beside it (the folder
/// that holds one output folder per month), unless `DISBURSE_LEDGER` names one. A variable set
/// to nothing (`DISBURSE_LEDGER=` in a cron or systemd environment file) names none: the default
/// (it was taken as the path "" — a cold review found the run failing and leaving a ledger
/// begun in the working folder).
pub fn default_path(out: &Path) -> PathBuf {
    if let Some(p) = std::env::var_os("DISBURSE_LEDGER").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    abs.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
        .join("disburse-ledger.sqlite")
}

/// A line this run withheld, and the exception code that says why.
pub struct Held {
    pub line: Line,
    pub code: &'static str,
    /// the lines the ledger had for the line's month key when it was withheld
    pub seq: u32,
    /// whether the month was paid then (the line is a top-up)
    pub top_up: bool,
}

/// A line an earlier current run withheld (`holds`), or one the bank returned as failed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenHold {
    pub payment_id: String,
    pub month_key: String,
    pub programme: String,
    pub service_month: String,
    pub payee_kind: String,
    pub payee_id: String,
    pub beneficiary_id: String,
    pub amount_cents: i64,
    pub code: String,
    /// the run that withheld it (or whose line failed)
    pub run_id: i64,
    /// `Held::seq` and `Held::top_up` (for a failed line: 0, and whether it was not its
    /// month's only line when it failed)
    pub seq: u32,
    pub top_up: bool,
    /// the payout month of that run
    pub held_in: String,
    /// `PAYMENT_FAILED` (a line the bank returned as failed): the bank's reason, masked
    pub reason: String,
    /// a failed line's `lines.failed_seq` (`None`: withheld, or failed before it was kept)
    pub failed_seq: Option<u32>,
    /// recorded as not owed (`acknowledge`), with the reasons given: not reported, though it
    /// still counts among its month's lines (the latest run's line stands for the month)
    pub acknowledged: Option<String>,
    /// the payout month of the run whose withheld or failed line the acknowledgement was given
    /// for (an earlier run's, for a line withheld again since)
    pub acknowledged_in: Option<String>,
    /// the SI cents per insurance the line was computed on (zeros: none kept — a line
    /// withheld by a build before 2026-12-02, or one of a fixed amount)
    pub basis: [i64; 5],
}

/// The current run of a pipeline's payout month, which a run of the same month replaces (a
/// re-run), with the lines of every earlier run of the month (`Ledger::replaced_run`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplacedRun {
    pub run_id: i64,
    pub lines: Vec<ReplacedLine>,
}

/// Whether `table` has a column `column` (a ledger made by an earlier build may lack one).
/// The `CREATE TABLE` statement of `table` as the ledger file holds it.
fn table_sql(conn: &Connection, table: &str) -> rusqlite::Result<String> {
    conn.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )
}

fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2)",
        params![table, column],
        |r| r.get(0),
    )
}

/// Rows ordered by payment id, then run: one per payment id, its latest run's.
fn latest_per_id<T>(
    rows: impl Iterator<Item = rusqlite::Result<T>>,
    id: impl Fn(&T) -> &str,
) -> rusqlite::Result<Vec<T>> {
    let mut out: Vec<T> = Vec::new();
    for row in rows {
        let r = row?;
        match out.last_mut() {
            Some(last) if id(last) == id(&r) => *last = r,
            _ => out.push(r),
        }
    }
    Ok(out)
}

/// A line of the replaced run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplacedLine {
    pub payment_id: String,
    pub programme: String,
    pub service_month: String,
    pub payee_kind: String,
    pub payee_id: String,
    pub beneficiary_id: String,
    pub amount_cents: i64,
    /// the run it is a line of
    pub run_id: i64,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    pipeline TEXT NOT NULL,
    payout_month TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('current', 'superseded')),
    manifest_sha256 TEXT NOT NULL,
    inputs_sha256 TEXT NOT NULL,
    -- 1 once the run's output files are all in place (set after the commit that records the
    -- run); 0 while they never were (killed or failed between its commit and its files); 2
    -- for a run whose files were in place and that a re-run of its month moved aside before
    -- its own commit. A current run at 0 or 2 stops the next month until the month is run
    -- again; the bank's returns of a run at 2 (its files were sent) set it to 1 (added
    -- 2026-12-02; older runs: 1)
    placed INTEGER NOT NULL DEFAULT 1 CHECK (placed IN (0, 1, 2))
);
CREATE INDEX IF NOT EXISTS runs_by_month ON runs (pipeline, payout_month, state);
CREATE TABLE IF NOT EXISTS lines (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    payment_id TEXT NOT NULL,
    month_key TEXT NOT NULL,
    limit_group TEXT NOT NULL,
    programme TEXT NOT NULL,
    service_month TEXT NOT NULL,
    payee_kind TEXT NOT NULL,
    payee_id TEXT NOT NULL,
    beneficiary_id TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    basis TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sent', 'final', 'failed')),
    status_reason TEXT NOT NULL DEFAULT '',
    -- for a line the bank returned as failed: how many lines its month key had (in the
    -- pipeline's current runs) when the failure was applied; the line is owed until its month
    -- has a line beyond that (NULL: failed before 2026-12-01's evening builds)
    failed_seq INTEGER,
    PRIMARY KEY (run_id, payment_id)
);
-- lines a run computed but withheld (no usable account, a name the bank file cannot carry),
-- a row when new or changed (never deleted: a re-run must find earlier runs' rows): not paid, not counted; later runs
-- report those whose month neither they nor any run since has paid or held again
-- (HOLD_OUTSTANDING), so that a month that does not come again in an extract is not lost from
-- view. (A table `holds` of the same day's development builds is left unused.)
CREATE TABLE IF NOT EXISTS held_lines (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    payment_id TEXT NOT NULL,
    month_key TEXT NOT NULL,
    programme TEXT NOT NULL,
    service_month TEXT NOT NULL,
    payee_kind TEXT NOT NULL,
    payee_id TEXT NOT NULL,
    beneficiary_id TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    code TEXT NOT NULL,
    -- the lines the ledger had for the month key when withheld, and whether the month was
    -- paid then (a top-up)
    seq INTEGER NOT NULL DEFAULT 0,
    top_up INTEGER NOT NULL DEFAULT 0,
    -- the SI cents per insurance the line was computed on (`lines.basis`): what a later run
    -- owes for an insurance its extract no longer holds (added 2026-12-02)
    basis TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, payment_id)
);
-- a flexible worker's month that a run saw with only one of pension and medical paid (by the
-- end of its payout month), as its extract showed it: a later run whose extract no longer
-- holds that row (a window of recent months) completes the month with it
-- (si_hardship_flexible, si_graduate_flexible; added 2026-12-01 evening)
CREATE TABLE IF NOT EXISTS flexible_seen (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    person_id TEXT NOT NULL,
    period TEXT NOT NULL,
    insurance TEXT NOT NULL CHECK (insurance IN ('pension', 'medical')),
    paid_cents INTEGER NOT NULL CHECK (paid_cents >= 0),   -- 0: its row seen unpaid
    PRIMARY KEY (run_id, person_id, period, insurance)
);
-- an employer's SI row of a service month up to a run's payout month, paid after that month:
-- payable by a later run, whose extract may no longer hold it (a window of recent rows); the
-- later run takes it when its own extract has no row of that insurance (added 2026-12-02); a
-- flexible worker's own row likewise, employer_id '' (since 2026-12-03)
CREATE TABLE IF NOT EXISTS si_late_seen (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    person_id TEXT NOT NULL,
    employer_id TEXT NOT NULL,
    period TEXT NOT NULL,
    insurance TEXT NOT NULL,
    cents INTEGER NOT NULL CHECK (cents >= 0),
    paid_on TEXT NOT NULL,
    line INTEGER NOT NULL,
    PRIMARY KEY (run_id, person_id, employer_id, period, insurance)
);
-- a month a programme paying only months paid in full (足额: Jiangyin （十一）) withheld for an
-- insurance unpaid or paid late: while a current run has it, later runs read its kept rows
-- (si_late_seen) past the memory's year, as a withheld line's (added 2026-12-06: a ledger made
-- before gains the empty table when opened)
CREATE TABLE IF NOT EXISTS si_waiting (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    person_id TEXT NOT NULL,
    employer_id TEXT NOT NULL,
    period TEXT NOT NULL,
    PRIMARY KEY (run_id, person_id, employer_id, period)
);
-- the day a limit group's first application judged the person's age on (si_hardship_hire's 36
-- or 60 months), with the month it was made for: a later run whose registers no longer hold the
-- contract that decided it judges on this day (added 2026-12-03); si_hardship_flexible's too
-- (from 2026-12-03's afternoon), whose run order tells which of the two applied first
-- an internship placement's days as a run's roster listed them, a row per run: a later run
-- whose roster no longer lists it chains it to the intern's next placement at the host by its
-- dates and the last month a roster listed it (added 2026-12-05; the months of the lines
-- cannot tell a hand-over from a gap)
CREATE TABLE IF NOT EXISTS intern_placements (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    limit_group TEXT NOT NULL,
    person_id TEXT NOT NULL,
    host_id TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    PRIMARY KEY (run_id, limit_group, person_id)
);
CREATE TABLE IF NOT EXISTS first_applications (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    limit_group TEXT NOT NULL,
    beneficiary_id TEXT NOT NULL,
    first_month TEXT NOT NULL,
    judged_on TEXT NOT NULL,
    PRIMARY KEY (run_id, limit_group, beneficiary_id)
);
-- a month an intern's host paid the intern's SI (by the end of the run's payout month), as the
-- run's extract showed it: internship_retention counts them with its own extract's (a window
-- of recent rows holds no six months; added 2026-12-02)
CREATE TABLE IF NOT EXISTS intern_si_seen (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    person_id TEXT NOT NULL,
    employer_id TEXT NOT NULL,
    period TEXT NOT NULL,
    PRIMARY KEY (run_id, person_id, employer_id, period)
);
-- withheld or failed lines an analyst has acknowledged as not owed (`disburse acknowledge`):
-- no longer reported as outstanding; a later run still pays the month if it qualifies then
-- (the run's row, not the id: a later run that withholds or fails the same id again is
-- reported again)
CREATE TABLE IF NOT EXISTS acknowledged (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    payment_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (run_id, payment_id)
);
-- the lines the bank returned as failed (a few): found without reading every line
CREATE INDEX IF NOT EXISTS lines_failed ON lines (run_id) WHERE status = 'failed';
-- the intern-months paid, with their hosts (a few): a placement the roster no longer lists
CREATE INDEX IF NOT EXISTS lines_intern ON lines (run_id) WHERE programme = 'internship_base';
-- the retention awards paid, with their hosts (a few): whose award an intern's is
CREATE INDEX IF NOT EXISTS lines_retention ON lines (run_id) WHERE programme = 'internship_retention';
-- the months a run withheld, and the late rows, by person and month: the memory keeps the rows
-- of a withheld month beyond its year, read from the held months (a regression review found a
-- scan of every held line per late row take 424 s where the run took 1 s)
CREATE INDEX IF NOT EXISTS held_by_month ON held_lines (beneficiary_id, service_month);
CREATE INDEX IF NOT EXISTS late_by_month ON si_late_seen (person_id, period);
-- what the history of a pipeline's current runs adds up to, written with each run: a cache
-- of the lines (read instead of them while `runs` is exactly the set of runs a history would
-- read); any change to a recorded line drops it, whichever program makes the change
CREATE TABLE IF NOT EXISTS history_snapshots (
    pipeline TEXT PRIMARY KEY,
    runs TEXT NOT NULL,
    data BLOB NOT NULL
);
-- (and counts the change: a run that read its history before it writes no snapshot). A line
-- confirmed by the bank (`sent` → `final`, nothing else changed) leaves the history as it was:
-- the monthly returns of paid lines keep the snapshot; a failed return drops it.
CREATE TRIGGER IF NOT EXISTS lines_updated_drop_history_v2 AFTER UPDATE ON lines
WHEN OLD.status = 'failed' OR NEW.status = 'failed'
    OR NEW.run_id IS NOT OLD.run_id OR NEW.payment_id IS NOT OLD.payment_id
    OR NEW.month_key IS NOT OLD.month_key OR NEW.limit_group IS NOT OLD.limit_group
    OR NEW.service_month IS NOT OLD.service_month OR NEW.beneficiary_id IS NOT OLD.beneficiary_id
    OR NEW.basis IS NOT OLD.basis
BEGIN
    DELETE FROM history_snapshots;
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'line_changes';
END;
CREATE TRIGGER IF NOT EXISTS lines_deleted_drop_history AFTER DELETE ON lines
BEGIN
    DELETE FROM history_snapshots;
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'line_changes';
END;
";

/// The run ids a snapshot holds, as its `runs` column writes them.
fn runs_text(runs: &[i64]) -> String {
    runs.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

impl Ledger {
    /// Has a ledger this opening made removed again if no run is recorded to it (`run`: a run
    /// that fails leaves no new ledger behind).
    pub fn discard_if_unused(&mut self) {
        self.discard_if_unused = true;
    }

    /// The flexible months the run about to be recorded saw incomplete (one of pension and
    /// medical paid): recorded with it (`flexible_seen`).
    pub fn remember_flexible(&mut self, seen: Vec<FlexSeen>) {
        self.flexible = seen;
    }

    /// The employer SI rows (and flexible workers' own rows) the run about to be recorded saw
    /// paid after its payout month: recorded with it (`si_late_seen`).
    pub fn remember_late(&mut self, seen: Vec<LateSeen>) {
        self.late = seen;
    }

    /// The months a 足额 programme withheld in the run about to be recorded: recorded with it
    /// (`si_waiting`).
    pub fn remember_waiting(&mut self, waiting: Vec<SiWaiting>) {
        self.waiting = waiting;
    }

    /// The interns' host-insured months the run about to be recorded saw: recorded with it
    /// (`intern_si_seen`).
    pub fn remember_intern_si(&mut self, seen: Vec<InternSiSeen>) {
        self.intern_si = seen;
    }

    /// The placements the roster of the run about to be recorded lists, with their days:
    /// recorded with it (`intern_placements`).
    pub fn remember_intern_placements(&mut self, placements: Vec<InternPlacement>) {
        self.placements = placements;
    }

    /// The first applications the run about to be recorded makes: recorded with it
    /// (`first_applications`).
    pub fn remember_first_applications(&mut self, apps: Vec<FirstApplication>) {
        self.first_apps = apps;
    }

    /// Opens (creating if needed) and locks the ledger at `path`, waiting for another process
    /// that holds it.
    pub fn open(path: &Path) -> Result<Ledger, LedgerError> {
        Self::open_with(path, true)
    }

    /// A read-only view of an existing ledger for auditors (`disburse ledger`): takes no lock,
    /// so it neither waits for nor blocks a run (SQLite's WAL lets it read the last commit).
    pub fn open_read(path: &Path) -> Result<Ledger, LedgerError> {
        if !path.is_file() {
            return Err(no_ledger(path));
        }
        let sql = |e| LedgerError::Sql(path.to_path_buf(), e);
        let mut conn =
            Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(sql)?;
        // A copy on read-only media or in a folder the auditor cannot write (a WAL ledger's
        // reader must make the `-shm` index beside it): read the file as it is, when no `-wal`
        // beside it holds commits the file lacks (a ledger closed by its run has none: the
        // last connection checkpoints and removes it). (A cold review: `ledger runs` on a
        // read-only copy said “attempt to write a readonly database”.)
        if let Err(e) = conn.query_row("SELECT COUNT(*) FROM meta", [], |r| r.get::<_, i64>(0)) {
            let read_only = matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen)
            );
            if !read_only {
                return Err(sql(e));
            }
            let mut wal = path.as_os_str().to_owned();
            wal.push("-wal");
            if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
                return Err(LedgerError::Refused(format!(
                    "{}: the ledger cannot be read here ({e}), and {} beside it holds commits not yet in the file: copy both to a folder you can write, or read the ledger where its runs write it",
                    path.display(),
                    std::path::Path::new(&wal).display()
                )));
            }
            conn = open_immutable(path).map_err(sql)?;
        }
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
            _lock: Vec::new(),
            created: None,
            discard_if_unused: false,
            recorded: false,
            flexible: Vec::new(),
            late: Vec::new(),
            waiting: Vec::new(),
            intern_si: Vec::new(),
            first_apps: Vec::new(),
            placements: Vec::new(),
        })
    }

    /// Opens an existing ledger (for `reconcile`): a missing file is an error, not a new
    /// empty ledger.
    pub fn open_existing(path: &Path) -> Result<Ledger, LedgerError> {
        if !path.is_file() {
            return Err(no_ledger(path));
        }
        Self::open_locked(path, true, true)
    }

    /// Opens and locks the ledger; with `wait = false`, fails with `Busy` if another process
    /// holds it.
    pub fn open_with(path: &Path, wait: bool) -> Result<Ledger, LedgerError> {
        Self::open_locked(path, wait, false)
    }

    /// `open_with`; `existing`: a ledger must be at the path once the lock is held (another
    /// process may have removed the one it made for a run that failed while this one waited).
    fn open_locked(path: &Path, wait: bool, existing: bool) -> Result<Ledger, LedgerError> {
        let io = |e| LedgerError::Io(path.to_path_buf(), e);
        if path.is_dir() {
            return Err(LedgerError::Refused(format!(
                "{} is a folder, not a ledger file: give the path of the ledger file (e.g. {}/ledger.sqlite)",
                path.display(),
                path.display()
            )));
        }
        // a symlink whose target does not exist (the ledger's volume not mounted when cron
        // runs) is no place for a new ledger: one made there replaced the link and paid every
        // line again (a cold review)
        // (the path itself, or a folder on the way to it: “File exists” was all a dangling
        // folder link said, a regression review)
        for (link_path, link) in path
            .ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .filter_map(|a| std::fs::read_link(a).ok().map(|l| (a, l)))
        {
            if matches!(std::fs::metadata(link_path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
            {
                return Err(LedgerError::Refused(format!(
                    "{} is a symbolic link to {}, which does not exist (its volume not mounted?): no new ledger is made in its place — mount the ledger's volume; to start a new ledger there, give its real path once",
                    link_path.display(),
                    link.display()
                )));
            }
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        // the lock is the ledger file's own, however the path reaches it: a symlink (a cron's
        // “current ledger” link beside an operator typing the real path) or `..` must take the
        // same lock (a cold review found two runs committing to one ledger through a symlink)
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| {
            match (path.parent(), path.file_name()) {
                (Some(dir), Some(name)) => {
                    let dir = if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    };
                    std::fs::canonicalize(dir)
                        .map(|d| d.join(name))
                        .unwrap_or_else(|_| path.to_path_buf())
                }
                _ => path.to_path_buf(),
            }
        });
        let lock_path = PathBuf::from(format!("{}.lock", real.display()));
        let mut lock = OpenOptions::new();
        lock.create(true).truncate(false).write(true);
        // (private as the ledger is, though empty)
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut lock, 0o600);
        let lock = lock.open(&lock_path).map_err(io)?;
        let take = |lock: &File, named: &Path| -> Result<(), LedgerError> {
            match lock.try_lock() {
                Ok(()) => Ok(()),
                Err(std::fs::TryLockError::WouldBlock) if wait => {
                    tracing::warn!(
                        ledger = %path.display(),
                        "the ledger is in use by another disburse process; waiting for it to finish"
                    );
                    lock.lock().map_err(io)
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    Err(LedgerError::Busy(path.to_path_buf(), named.to_path_buf()))
                }
                Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
            }
        };
        take(&lock, &lock_path)?;
        let sql = |e| LedgerError::Sql(path.to_path_buf(), e);
        if existing && !path.is_file() {
            return Err(no_ledger(path));
        }
        // a file already there must be a ledger: an empty file (a mistaken `: > PATH`) or
        // another SQLite database taken for a new, empty ledger would make every line new —
        // everything paid again. Only a missing path makes a new ledger, and says so.
        let existed = match std::fs::metadata(path) {
            Ok(m) if m.len() == 0 => {
                return Err(LedgerError::Refused(format!(
                    "{} is an empty file, not a ledger: a ledger that lost its contents would pay everything again; restore it from a backup, or remove the file to start a new, empty ledger",
                    path.display()
                )))
            }
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(io(e)),
        };
        if !existed {
            Self::create(path).map_err(sql)?;
        }
        let made = if existed { None } else { file_identity(path) };
        // one name only: SQLite names its journal (-wal) after the path, so a second name of
        // the file (a hard link, which `canonicalize` does not see through) is a second ledger
        // to it — a run through one name does not see the other's last commit (a cold review
        // had a month paid twice that way)
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let links = std::fs::metadata(path).map_err(io)?.nlink();
            if links > 1 {
                return Err(LedgerError::Refused(format!(
                    "{} has {links} names (hard links): SQLite names the ledger's journal after the path, so each name would be a ledger of its own and a run through one would not see another's last commit — keep one name (`find / -samefile {}` lists them), remove the others, and run through it",
                    path.display(),
                    path.display()
                )));
            }
        }
        // the ledger file's own lock (its inode) as well: a second name made while this run
        // holds the ledger takes the same lock
        let file_lock = File::open(path).map_err(io)?;
        take(&file_lock, path)?;
        let conn = Connection::open(path).map_err(sql)?;
        // the version first: a ledger of another format is refused before anything of this
        // one's schema is written into it
        let has_meta: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
                [],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let version: Option<String> = if has_meta {
            conn.query_row(
                "SELECT value FROM meta WHERE key = 'format_version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?
        } else {
            None
        };
        if version.is_none() {
            return Err(LedgerError::Refused(format!(
                "{} is not a disburse ledger (no format_version in a meta table): give the path of the ledger the runs recorded to, or a path where none exists to start a new one",
                path.display()
            )));
        }
        // (made private and set up only once it is known to be a ledger: a file refused is
        // left as it was — a review found a foreign file made 0600 and switched to WAL)
        // the ledger names persons and employers: private, like the outputs (its -wal and -shm
        // files take the database file's mode)
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
        conn.execute_batch(
            // WAL is atomic and consistent across a killed process; FULL sync makes a commit
            // durable across a power loss too (NORMAL could lose the last commit after the
            // run exited 0 with its bank files in place: the next run would pay them again);
            // a 256 MiB page cache keeps a month's inserts from spilling mid-transaction (a
            // spilled page is written to the WAL again when it is touched again), and the
            // file is read through a memory map rather than a read call per page
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -262144; PRAGMA mmap_size = 4294967296;",
        )
        .map_err(sql)?;
        if !existed {
            tracing::warn!(
                ledger = %path.display(),
                "no ledger at this path: a new, empty ledger is made — every line is new to it; if the runs of earlier months recorded to another ledger, stop and give its path"
            );
        }
        if let Some(v) = version
            .as_ref()
            .filter(|v| **v != FORMAT_VERSION.to_string())
        {
            return Err(LedgerError::Version(
                path.to_path_buf(),
                v.parse().unwrap_or(-1),
            ));
        }
        conn.execute_batch(SCHEMA).map_err(sql)?;
        // a ledger file without a run — a first run killed after the file was made, before its
        // commit — is as new as a missing one: said the same (a cold review found the retry
        // of a killed first run paying everything without the warning)
        if existed {
            let any: bool = conn
                .query_row("SELECT EXISTS (SELECT 1 FROM runs)", [], |r| r.get(0))
                .map_err(sql)?;
            if !any {
                tracing::warn!(
                    ledger = %path.display(),
                    "this ledger holds no run yet (new, or its first run stopped before recording): every line is new to it; if the runs of earlier months recorded to another ledger, stop and give its path"
                );
            }
        }
        // two tables as development builds of the evening of 2026-12-01 made them: made again
        // as SCHEMA has them, their rows kept — `acknowledged` by payment id alone (each id
        // becomes the current runs' rows of it) and `flexible_seen` refusing a row seen unpaid
        if !has_column(&conn, "acknowledged", "run_id").map_err(sql)? {
            conn.execute_batch(&format!(
                "BEGIN; ALTER TABLE acknowledged RENAME TO acknowledged_by_id; {SCHEMA}
                 INSERT OR IGNORE INTO acknowledged (run_id, payment_id, reason)
                 SELECT h.run_id, h.payment_id, a.reason FROM acknowledged_by_id a
                 JOIN held_lines h ON h.payment_id = a.payment_id
                 UNION SELECT l.run_id, l.payment_id, a.reason FROM acknowledged_by_id a
                 JOIN lines l ON l.payment_id = a.payment_id AND l.status = 'failed';
                 DROP TABLE acknowledged_by_id; COMMIT;"
            ))
            .map_err(sql)?;
        }
        if table_sql(&conn, "flexible_seen")
            .map_err(sql)?
            .contains("paid_cents > 0")
        {
            conn.execute_batch(&format!(
                "BEGIN; ALTER TABLE flexible_seen RENAME TO flexible_seen_v0; {SCHEMA}
                 INSERT INTO flexible_seen SELECT * FROM flexible_seen_v0;
                 DROP TABLE flexible_seen_v0; COMMIT;"
            ))
            .map_err(sql)?;
        }
        // held_lines as the first builds of 2026-12-01 made it, without seq and top_up
        if !has_column(&conn, "held_lines", "seq").map_err(sql)? {
            conn.execute_batch(
                "ALTER TABLE held_lines ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
                 ALTER TABLE held_lines ADD COLUMN top_up INTEGER NOT NULL DEFAULT 0;",
            )
            .map_err(sql)?;
        }
        // held_lines as builds before 2026-12-02 made them, without basis
        if !has_column(&conn, "held_lines", "basis").map_err(sql)? {
            conn.execute_batch("ALTER TABLE held_lines ADD COLUMN basis TEXT NOT NULL DEFAULT '';")
                .map_err(sql)?;
        }
        // lines as builds before the evening of 2026-12-01 made them, without failed_seq
        if !has_column(&conn, "lines", "failed_seq").map_err(sql)? {
            conn.execute_batch("ALTER TABLE lines ADD COLUMN failed_seq INTEGER;")
                .map_err(sql)?;
        }
        // runs as builds before 2026-12-02's evening made them, without placed (their runs'
        // files are taken to be in place)
        if !has_column(&conn, "runs", "placed").map_err(sql)? {
            conn.execute_batch(
                "ALTER TABLE runs ADD COLUMN placed INTEGER NOT NULL DEFAULT 1 CHECK (placed IN (0, 1, 2));",
            )
            .map_err(sql)?;
        }
        // runs.placed as development builds of 2026-12-02 made it, without the value 2: made
        // again, its values kept (a regression hunt: every re-run failed on the CHECK)
        if table_sql(&conn, "runs")
            .map_err(sql)?
            .contains("CHECK (placed IN (0, 1))")
        {
            conn.execute_batch(
                "BEGIN;
                 CREATE TEMP TABLE placed_v0 AS SELECT run_id, placed FROM runs WHERE placed <> 1;
                 ALTER TABLE runs DROP COLUMN placed;
                 ALTER TABLE runs ADD COLUMN placed INTEGER NOT NULL DEFAULT 1 CHECK (placed IN (0, 1, 2));
                 UPDATE runs SET placed = (SELECT p.placed FROM placed_v0 p WHERE p.run_id = runs.run_id)
                   WHERE run_id IN (SELECT run_id FROM placed_v0);
                 DROP TABLE placed_v0;
                 COMMIT;",
            )
            .map_err(sql)?;
        }
        match version {
            None => {}
            Some(v) if v == FORMAT_VERSION.to_string() => {}
            Some(v) => {
                return Err(LedgerError::Version(
                    path.to_path_buf(),
                    v.parse().unwrap_or(-1),
                ))
            }
        }
        Self::check_loan_keys(&conn, path)?;
        // indexes no query used, kept by ledgers of this format written before 2026-12: each
        // cost every commit a write of nearly all its pages (payment ids spread over the key
        // space); dropped once the format is known to be this one
        conn.execute_batch(
            "DROP INDEX IF EXISTS lines_by_month_key; DROP INDEX IF EXISTS lines_by_beneficiary;
             DROP INDEX IF EXISTS lines_by_id;
             DROP TRIGGER IF EXISTS lines_updated_drop_snapshots;
             DROP TRIGGER IF EXISTS lines_updated_drop_history;
             DROP TRIGGER IF EXISTS lines_deleted_drop_snapshots;
             INSERT OR IGNORE INTO meta (key, value) VALUES ('line_changes', '0');",
        )
        .map_err(sql)?;
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
            _lock: vec![lock, file_lock],
            created: made,
            discard_if_unused: false,
            recorded: false,
            flexible: Vec::new(),
            late: Vec::new(),
            waiting: Vec::new(),
            intern_si: Vec::new(),
            first_apps: Vec::new(),
            placements: Vec::new(),
        })
    }

    /// For each line just returned as failed (not a loan's: a loan book's extract carries its
    /// instalments again, and a failed compensation is owed while its key has no paid line —
    /// the rule for a failed line without a count), how many lines its month key has in its
    /// pipeline's current runs now
    /// (`lines.failed_seq`): the line is owed until its month has a line beyond that — a failed
    /// top-up of a paid month too (`run::outstanding_holds`). One read of the lines for all.
    fn record_failed_seq(
        tx: &rusqlite::Transaction,
        failed: &[(i64, String)],
    ) -> Result<(), rusqlite::Error> {
        let mut wanted: rustc_hash::FxHashMap<(String, String), i64> =
            rustc_hash::FxHashMap::default();
        let mut of_line: Vec<(i64, String, (String, String))> = Vec::new();
        for (run_id, id) in failed {
            let found: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT r.pipeline, l.month_key, l.limit_group FROM lines l \
                     JOIN runs r ON r.run_id = l.run_id WHERE l.run_id = ?1 AND l.payment_id = ?2",
                    params![run_id, id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((pipeline, month_key, group)) = found {
                if group.starts_with("loan_") {
                    continue;
                }
                wanted.insert((pipeline.clone(), month_key.clone()), 0);
                of_line.push((*run_id, id.clone(), (pipeline, month_key)));
            }
        }
        if of_line.is_empty() {
            return Ok(());
        }
        {
            let mut st = tx.prepare(
                "SELECT r.pipeline, l.month_key FROM lines l JOIN runs r ON r.run_id = l.run_id \
                 WHERE r.state = 'current'",
            )?;
            let mut rows = st.query([])?;
            while let Some(row) = rows.next()? {
                let key: (String, String) = (row.get(0)?, row.get(1)?);
                if let Some(n) = wanted.get_mut(&key) {
                    *n += 1;
                }
            }
        }
        for (run_id, id, key) in of_line {
            let n = wanted.get(&key).copied().unwrap_or(0);
            tx.execute(
                "UPDATE lines SET failed_seq = ?1 WHERE run_id = ?2 AND payment_id = ?3",
                params![n, run_id, id],
            )?;
        }
        Ok(())
    }

    /// Makes a new ledger at `path`, whole or not at all: its schema and format are written
    /// under a temporary name beside it, then renamed into place. (Made in place, a run killed
    /// between SQLite creating the file and writing it left an empty file, which the next run
    /// must refuse: an empty file where a ledger was is a ledger that lost its contents.)
    fn create(path: &Path) -> rusqlite::Result<()> {
        let tmp = PathBuf::from(format!("{}.new-{}", path.display(), std::process::id()));
        let io = |e: std::io::Error| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(format!("{}: {e}", tmp.display())),
            )
        };
        let _ = std::fs::remove_file(&tmp);
        // temporaries (and their -journal) of processes killed while making this ledger (a
        // cold review found them left for good)
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name()) {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let prefix = format!("{}.new-", name.to_string_lossy());
            crate::outputs::atomic::remove_left_by_dead_processes(
                dir,
                |n| {
                    let rest = n.strip_prefix(&prefix)?;
                    rest.strip_suffix("-journal").unwrap_or(rest).parse().ok()
                },
                |p| std::fs::remove_file(p),
            );
        }
        // (private from the start, as the ledger is; and not left behind when anything fails —
        // a cold review found a half-made 0644 temporary in the working folder)
        let made = (|| {
            let mut o = OpenOptions::new();
            o.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
            o.open(&tmp).map_err(io)?;
            let c = Connection::open(&tmp)?;
            // (one file: no -wal beside the temporary when it is renamed)
            c.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;")?;
            c.execute_batch(SCHEMA)?;
            c.execute(
                "INSERT INTO meta (key, value) VALUES ('format', 'disburse-ledger'), ('format_version', ?1)",
                [FORMAT_VERSION.to_string()],
            )?;
            drop(c);
            std::fs::rename(&tmp, path).map_err(io)
        })();
        if made.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        made?;
        if let Some(d) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .and_then(|d| File::open(d).ok())
        {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Loan lines are keyed by pipeline, programme and loan id (`programmes::loans::key_prefix`).
    /// Builds before 2026-12-01 evening also keyed them by the lending bank and the borrower:
    /// this build would not know such lines as paid and would pay their instalments and
    /// defaults again, so a ledger holding them is refused (`meta.loan_keys` marks a ledger
    /// checked, or made, by a build that keys by loan id).
    fn check_loan_keys(conn: &Connection, path: &Path) -> Result<(), LedgerError> {
        let sql = |e| LedgerError::Sql(path.to_path_buf(), e);
        let checked: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'loan_keys')",
                [],
                |r| r.get(0),
            )
            .map_err(sql)?;
        if checked {
            return Ok(());
        }
        let old: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM lines WHERE limit_group LIKE 'loan!_%' ESCAPE '!')",
                [],
                |r| r.get(0),
            )
            .map_err(sql)?;
        if old {
            return Err(LedgerError::Refused(format!(
                "ledger {} holds loan lines keyed by an earlier build of disburse (by lending bank and borrower as well as loan id); this build keys a loan by its loan id alone and would pay those instalments and defaults again: keep the earlier build for this ledger, or start a new ledger",
                path.display()
            )));
        }
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('loan_keys', 'loan_id')",
            [],
        )
        .map_err(sql)?;
        Ok(())
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> LedgerError + '_ {
        move |e| LedgerError::Sql(self.path.clone(), e)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Each row `query` gives with `params`, read by `row` and handed to `each` in order.
    fn each_row<T>(
        &self,
        query: &str,
        params: impl rusqlite::Params,
        row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
        mut each: impl FnMut(T),
    ) -> Result<(), LedgerError> {
        let sql = self.sql();
        let mut st = self.conn.prepare(query).map_err(&sql)?;
        for r in st.query_map(params, row).map_err(&sql)? {
            each(r.map_err(&sql)?);
        }
        Ok(())
    }

    /// Refuses a run of `pipeline` on a ledger holding another pipeline's runs: a ledger serves
    /// one pipeline. Payment ids and month keys name the pipeline, so a second pipeline
    /// (another city's, a district of the city, or the same bureau's pipeline renamed) would pay
    /// again every month the first one paid (a cold review: `suzhou` then `wujiang`, or a bureau
    /// file naming itself, on one ledger — the default ledger beside `--out` is shared by every
    /// run under it — paid the same lines twice).
    ///
    /// A ledger that already holds runs of `pipeline` beside another's (made before 2026-12-03,
    /// when nothing refused it) goes on serving each of them as before: refusing them would leave
    /// no way on but a new ledger, which knows nothing paid.
    pub fn serves(&self, pipeline: &str) -> Result<(), LedgerError> {
        let sql = self.sql();
        let known: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM runs WHERE pipeline = ?1)",
                [pipeline],
                |r| r.get(0),
            )
            .map_err(&sql)?;
        if known {
            return Ok(());
        }
        let other: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT pipeline, MAX(payout_month) FROM runs WHERE pipeline <> ?1 \
                 GROUP BY pipeline ORDER BY pipeline LIMIT 1",
                [pipeline],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(&sql)?;
        match other {
            None => Ok(()),
            Some((other, last)) => Err(LedgerError::Refused(format!(
                "ledger {} holds the runs of pipeline {other:?} (the last for {last}), not {pipeline:?}: a ledger serves one pipeline — its payment ids name the pipeline, so {pipeline:?} would pay again what {other:?} paid. If this is {other:?} under another name (a bureau's pipeline file), run it under the name the ledger knows (the file's `name`; `extends` without `name` keeps it) — a new ledger would not know what was paid either; if it is another pipeline (another city or district), give it a ledger of its own (--ledger)",
                self.path.display()
            ))),
        }
    }

    /// What other runs of `pipeline` have recorded: everything but the current run of the same
    /// payout month, which a re-run replaces.
    pub fn history(&self, pipeline: &str, payout: &str) -> Result<History, LedgerError> {
        let (mut h, _) = self.history_read(pipeline, payout)?;
        h.open_holds = self.open_holds(pipeline, payout)?;
        h.acknowledged_in_month = self.acknowledged_in_month(pipeline, payout)?;
        h.index_withheld();
        h.flexible_seen = self.flexible_seen(pipeline, payout)?;
        h.si_late_seen = self.si_late_seen(pipeline, payout)?;
        h.flexible_months_insured = self.flexible_months_insured(pipeline, payout)?;
        h.intern_si_seen = self.intern_si_seen(pipeline, payout)?;
        h.intern_months = self.intern_months(pipeline, payout)?;
        h.retention_payees = self.retention_payees(pipeline, payout)?;
        (h.intern_placements, h.intern_placement_hosts) =
            self.intern_placements(pipeline, payout)?;
        h.run_months = self.run_months(pipeline, payout)?;
        h.first_applications = self.first_applications(pipeline, payout)?;
        h.replaced = self.replaced_run(pipeline, payout)?;
        Ok(h)
    }

    /// The current run of `pipeline`'s `payout` month, if there is one (a run of that month
    /// replaces it), with the lines of every earlier run of the month (current or superseded:
    /// a re-run of a re-run still names what the first one paid), each payment id once per
    /// amount and payee — the latest run's line that paid it so — in payment-id order.
    fn replaced_run(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<Option<ReplacedRun>, LedgerError> {
        let sql = self.sql();
        let run_id: Option<i64> = self
            .conn
            .query_row(
                "SELECT run_id FROM runs WHERE pipeline = ?1 AND payout_month = ?2 AND state = 'current'",
                params![pipeline, payout],
                |r| r.get(0),
            )
            .optional()
            .map_err(&sql)?;
        let Some(run_id) = run_id else {
            return Ok(None);
        };
        let mut st = self
            .conn
            .prepare(
                "SELECT l.payment_id, l.programme, l.service_month, l.payee_kind, l.payee_id, \
                 l.beneficiary_id, l.amount_cents, l.run_id FROM lines l \
                 JOIN runs r ON r.run_id = l.run_id \
                 WHERE r.pipeline = ?1 AND r.payout_month = ?2 ORDER BY l.payment_id, l.run_id",
            )
            .map_err(&sql)?;
        let rows = st
            .query_map(params![pipeline, payout], |r| {
                Ok(ReplacedLine {
                    payment_id: r.get(0)?,
                    programme: r.get(1)?,
                    service_month: r.get(2)?,
                    payee_kind: r.get(3)?,
                    payee_id: r.get(4)?,
                    beneficiary_id: r.get(5)?,
                    amount_cents: r.get(6)?,
                    run_id: r.get(7)?,
                })
            })
            .map_err(&sql)?;
        // each payment id once per amount and payee, at the latest run that paid it so (the
        // run whose bank files were most likely sent): a re-run of a re-run still names the
        // earlier run's line where the re-run changed its amount or payee (the latest line
        // alone would hide it: a cold review found the row gone from the recovery re-run, and
        // its bytes unlike the re-run's it repeated; the payee since 2026-12-07, a cold review)
        let mut lines: Vec<ReplacedLine> = Vec::new();
        let mut from = 0; // where the current payment id's lines begin in `lines`
        for row in rows {
            let l = row.map_err(&sql)?;
            if lines.get(from).is_none_or(|f| f.payment_id != l.payment_id) {
                from = lines.len();
            }
            match lines[from..].iter_mut().find(|x| {
                x.amount_cents == l.amount_cents
                    && x.payee_kind == l.payee_kind
                    && x.payee_id == l.payee_id
            }) {
                Some(same) => *same = l, // (rows come in run order: the later run)
                None => lines.push(l),
            }
        }
        Ok(Some(ReplacedRun { run_id, lines }))
    }

    /// What other current runs of `pipeline` saw of flexible months they could not complete
    /// (the latest run's figure where several saw the same insurance).
    fn flexible_seen(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<history::FlexibleSeen, LedgerError> {
        let mut seen = history::FlexibleSeen::default();
        self.each_row(
            "SELECT f.person_id, f.period, f.insurance, f.paid_cents \
             FROM flexible_seen f JOIN runs r ON r.run_id = f.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2 \
             ORDER BY f.run_id",
            params![pipeline, payout],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            },
            |(person, period, insurance, cents)| {
                // (a row this build did not write is skipped, not guessed at)
                if let (Ok(m), Some(i)) = (
                    crate::domain::Month::parse(&period),
                    FLEX_INSURANCES.iter().position(|n| *n == insurance),
                ) {
                    seen.entry((person, m)).or_default()[i] = Some(cents);
                }
            },
        )?;
        Ok(seen)
    }

    /// The first applications other current runs of `pipeline` made, per group and person in
    /// the order of the runs.
    fn first_applications(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<history::FirstApplications, LedgerError> {
        let mut apps = history::FirstApplications::default();
        self.each_row(
            "SELECT f.limit_group, f.beneficiary_id, f.first_month, f.judged_on, f.run_id \
             FROM first_applications f JOIN runs r ON r.run_id = f.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2 \
             ORDER BY f.run_id",
            params![pipeline, payout],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            },
            |(group, who, first, on, run)| {
                // (a row this build did not write is skipped)
                if let (Ok(m), Ok(d)) = (
                    crate::domain::Month::parse(&first),
                    chrono::NaiveDate::parse_from_str(&on, "%Y-%m-%d"),
                ) {
                    apps.entry((group, who)).or_default().push((m, d, run));
                }
            },
        )?;
        Ok(apps)
    }

    /// The intern-months other current runs paid (returned as failed too: the month was the
    /// placement's — a regression review found a failed month break the chain), by intern:
    /// each with its host and its placement's limit group.
    fn intern_months(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<history::InternMonths, LedgerError> {
        let mut months = history::InternMonths::default();
        self.each_row(
            "SELECT l.beneficiary_id, l.payee_id, l.limit_group, l.service_month \
             FROM runs r JOIN lines l ON l.run_id = r.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2 \
             AND l.programme = 'internship_base'",
            params![pipeline, payout],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
            |(person, host, group, month)| {
                if let Ok(m) = crate::domain::Month::parse(&month) {
                    months.entry(person).or_default().push((host, group, m));
                }
            },
        )?;
        for v in months.values_mut() {
            v.sort_unstable_by(|a, b| (a.2, &a.0, &a.1).cmp(&(b.2, &b.0, &b.1)));
            v.dedup();
        }
        Ok(months)
    }

    /// The payout months of the other current runs of `pipeline`, ascending.
    fn run_months(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<Vec<crate::domain::Month>, LedgerError> {
        let mut months = Vec::new();
        self.each_row(
            "SELECT payout_month FROM runs \
             WHERE pipeline = ?1 AND state = 'current' AND payout_month <> ?2 \
             ORDER BY payout_month",
            params![pipeline, payout],
            |r| r.get::<_, String>(0),
            |m| {
                if let Ok(m) = crate::domain::Month::parse(&m) {
                    months.push(m);
                }
            },
        )?;
        Ok(months)
    }

    /// The placements other current runs of `pipeline` listed, by intern and host: their days
    /// (the latest payout month's, where several listed a placement — a re-run of an older
    /// month does not undo a later roster's correction) and that latest payout month; and each
    /// placement's host codes, every one a roster listed it under.
    #[allow(clippy::type_complexity)]
    fn intern_placements(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<
        (
            history::InternPlacements,
            rustc_hash::FxHashMap<(String, String), Vec<String>>,
        ),
        LedgerError,
    > {
        type Days = (
            String,
            crate::domain::Date,
            crate::domain::Date,
            crate::domain::Month,
        );
        let mut latest: rustc_hash::FxHashMap<(String, String), Days> = Default::default();
        let mut hosts: rustc_hash::FxHashMap<(String, String), Vec<String>> = Default::default();
        self.each_row(
            "SELECT p.limit_group, p.person_id, p.host_id, p.start_date, p.end_date, \
             r.payout_month \
             FROM intern_placements p JOIN runs r ON r.run_id = p.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2 \
             ORDER BY r.payout_month, p.run_id",
            params![pipeline, payout],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
            |(group, person, host, start, end, month)| {
                // (a row this build did not write is skipped)
                let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
                if let (Some(s), Some(e), Ok(m)) =
                    (day(&start), day(&end), crate::domain::Month::parse(&month))
                {
                    let codes = hosts.entry((group.clone(), person.clone())).or_default();
                    if !codes.contains(&host) {
                        codes.push(host.clone());
                    }
                    latest.insert((group, person), (host, s, e, m));
                }
            },
        )?;
        let mut out = history::InternPlacements::default();
        for ((group, person), (host, s, e, m)) in latest {
            out.entry((person, host))
                .or_default()
                .push((group, s, e, m));
        }
        for v in out.values_mut() {
            v.sort_unstable();
        }
        Ok((out, hosts))
    }

    /// The hosts other current runs paid retention awards to, by intern: the lines of
    /// programme `internship_retention` the bank has not returned as failed (a retry's too).
    /// “3000元/人, 一次性” is keyed on the intern alone; which host it went to is the payee (a
    /// regression review found “all the intern's placements at this host” and “a host contract
    /// since the placement” both take another host's award for this one's, or this one's for
    /// another's).
    fn retention_payees(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<history::RetentionPayees, LedgerError> {
        let mut payees = history::RetentionPayees::default();
        self.each_row(
            "SELECT l.beneficiary_id, l.payee_id, l.payment_id, l.limit_group, r.payout_month \
             FROM runs r JOIN lines l ON l.run_id = r.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2 \
             AND l.programme = 'internship_retention' AND l.status <> 'failed'",
            params![pipeline, payout],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
            |(person, host, id, group, run_month)| {
                // (a run's payout month is a month: a line whose run says otherwise is
                // taken for no year)
                let year = history::AwardYear::of(&group, &run_month)
                    .unwrap_or(history::AwardYear::RunsLast(i32::MIN));
                payees.entry(person).or_default().push((host, id, year))
            },
        )?;
        for v in payees.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        Ok(payees)
    }

    /// The interns' host-insured months other current runs of `pipeline` saw.
    fn intern_si_seen(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<history::InternSiSeenRuns, LedgerError> {
        let mut seen = history::InternSiSeenRuns::default();
        self.each_row(
            "SELECT s.person_id, s.employer_id, s.period, MIN(r.payout_month) \
             FROM intern_si_seen s JOIN runs r ON r.run_id = s.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2 \
             GROUP BY s.person_id, s.employer_id, s.period",
            params![pipeline, payout],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
            |(person, employer, period, run)| {
                // (a row this build did not write is skipped)
                if let Ok(m) = crate::domain::Month::parse(&period) {
                    seen.insert((person, employer, m), run);
                }
            },
        )?;
        Ok(seen)
    }

    /// The (person ID, employer code, month) rows query `sql` (`?1` the pipeline, `?2` the
    /// payout month) selects.
    fn person_employer_months(
        &self,
        sql: &str,
        pipeline: &str,
        payout: &str,
    ) -> Result<history::InternSiSeenSet, LedgerError> {
        let mut seen = history::InternSiSeenSet::default();
        self.each_row(
            sql,
            params![pipeline, payout],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
            |(person, employer, period)| {
                // (a row this build did not write is skipped)
                if let Ok(m) = crate::domain::Month::parse(&period) {
                    seen.insert((person, employer, m));
                }
            },
        )?;
        Ok(seen)
    }

    /// The (person, employer, service month) of the employer SI rows any current run of
    /// `pipeline` but this month's kept (`si_late_seen`, however old) of a flexible month a run
    /// could not complete (`flexible_seen`): the employer insured the person then, and the month
    /// is not flexible work however late the person's own rows come (a contract-only review,
    /// 2026-12-06, found such a month paid as flexible work when they came 13 payout months on,
    /// after the memory's year). For the flexible programmes' employment test only: the hire
    /// driver pays nothing from rows past the year (a regression review found a hire month paid
    /// from them).
    fn flexible_months_insured(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<history::FlexibleInsured, LedgerError> {
        self.person_employer_months(
            "SELECT DISTINCT s.person_id, s.employer_id, s.period \
             FROM (SELECT DISTINCT f.person_id AS b, f.period AS m FROM flexible_seen f \
                   JOIN runs r4 ON r4.run_id = f.run_id \
                   WHERE r4.pipeline = ?1 AND r4.state = 'current' AND r4.payout_month <> ?2) w \
             CROSS JOIN si_late_seen s ON s.person_id = w.b AND s.period = w.m \
             CROSS JOIN runs r ON r.run_id = s.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2 \
             AND s.employer_id <> ''",
            pipeline,
            payout,
        )
    }

    /// What other current runs of `pipeline` saw of employer SI rows (and flexible workers'
    /// own rows, employer `""`) paid after their payout month (the latest run's sighting where
    /// several saw the same row), of the runs of the
    /// twelve payout months before this one: a late row is the next runs' to pay (a month
    /// still unpaid a year on is an analyst's case, not the memory's), and the table read each
    /// run stays the size of a year of late rows — older rows too where a run withheld their
    /// month (no account yet; `held_lines` is small): the month is owed until paid, and a
    /// windowed extract never brings its rows back (a cold review found a month withheld 13
    /// months lost when the account came) — and where a 足额 programme withheld it (an
    /// insurance unpaid or late: `si_waiting`, small too), for the same reason.
    fn si_late_seen(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<history::SiLateSeen, LedgerError> {
        use crate::ingest::records::Insurance;
        let since = crate::domain::Month::parse(payout)
            .map(|m| crate::domain::Month::from_index(m.index() - 12).to_string())
            .unwrap_or_default();
        let mut seen = history::SiLateSeen::default();
        self.each_row(
            // (two parts: the year's runs, read run by run; and the older rows of the months a
            // run withheld, driven from the small held_lines — CROSS JOIN keeps that order, the
            // late rows found by `late_by_month`; one query with an OR scanned every row of the
            // ledger's history each run: a read-through. Any payee: a post's line is the
            // person's)
            "SELECT s.person_id, s.employer_id, s.period, s.insurance, s.cents, s.paid_on, \
             s.line, r.payout_month, s.run_id \
             FROM si_late_seen s JOIN runs r ON r.run_id = s.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2 \
             AND r.payout_month >= ?3 \
             UNION ALL \
             SELECT s.person_id, s.employer_id, s.period, s.insurance, s.cents, s.paid_on, \
             s.line, r.payout_month, s.run_id \
             FROM (SELECT h.beneficiary_id AS b, h.service_month AS m \
                   FROM held_lines h JOIN runs r2 ON r2.run_id = h.run_id \
                   WHERE r2.pipeline = ?1 AND r2.state = 'current' AND r2.payout_month <> ?2 \
                   UNION \
                   SELECT v.person_id, v.period FROM si_waiting v JOIN runs r3 \
                   ON r3.run_id = v.run_id \
                   WHERE r3.pipeline = ?1 AND r3.state = 'current' AND r3.payout_month <> ?2) w \
             CROSS JOIN si_late_seen s ON s.person_id = w.b AND s.period = w.m \
             CROSS JOIN runs r ON r.run_id = s.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2 \
             AND r.payout_month < ?3 \
             ORDER BY 9",
            params![pipeline, payout, since],
            |r| {
                Ok((
                    (
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ),
                    (
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, String>(7)?,
                    ),
                ))
            },
            |((person, employer, period, insurance), (cents, paid_on, line, run))| {
                // (a row this build did not write is skipped, not guessed at)
                // ('' = seen unpaid)
                let paid_on = match paid_on.as_str() {
                    "" => Ok(None),
                    d => crate::domain::parse_date(d).map(Some),
                };
                let (Ok(m), Some(i), Ok(paid_on), Ok(run), Ok(line)) = (
                    crate::domain::Month::parse(&period),
                    Insurance::ALL.iter().position(|n| n.as_str() == insurance),
                    paid_on,
                    crate::domain::Month::parse(&run),
                    u32::try_from(line),
                ) else {
                    return;
                };
                seen.entry((person, employer, m)).or_default()[i] = Some(history::LateRow {
                    cents,
                    paid_on,
                    line,
                    run,
                });
            },
        )?;
        Ok(seen)
    }

    /// The lines other current runs of `pipeline` withheld, and those the bank returned as
    /// failed (code `PAYMENT_FAILED`), once each, by payment id (whether a later run paid the
    /// month is for the history to say). A withheld line keeps the acknowledgement of the same
    /// line withheld by an earlier run (an id is one month's line): withheld again, it is still
    /// the line the analyst recorded as not owed, and its payment is said paid against it (a
    /// differential review found the acknowledgement lost with the second hold). The reasons
    /// are the earliest acknowledged row's: `acknowledge` appends each reason to every current
    /// row of the id, so that row holds them all. (A run that a re-run of its month replaced
    /// passes its acknowledgements on too: the re-run's line of the same id is the same line — a
    /// regression review found the acknowledgement lost with the re-run.)
    fn open_holds(&self, pipeline: &str, payout: &str) -> Result<Vec<OpenHold>, LedgerError> {
        self.holds(pipeline, payout, false)
    }

    /// The acknowledged lines a run of `payout` withheld (or whose bank return failed) — the
    /// current one, which a re-run of the month replaces, or one an earlier re-run replaced:
    /// a re-run's payment of such a line is said paid against the acknowledgement as a later
    /// month's is, and a re-run of that re-run says it again (its files are the same; a
    /// contract-only review, 2026-12-06, found the re-run pay an acknowledged line without a
    /// word, its regression review the second re-run).
    fn acknowledged_in_month(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<Vec<OpenHold>, LedgerError> {
        let mut v = self.holds(pipeline, payout, true)?;
        v.retain(|h| h.acknowledged.is_some());
        Ok(v)
    }

    /// `open_holds` of the current runs of the other payout months than `payout`, or
    /// (`same_month`) of every run of `payout`, current or replaced by a re-run.
    fn holds(
        &self,
        pipeline: &str,
        payout: &str,
        same_month: bool,
    ) -> Result<Vec<OpenHold>, LedgerError> {
        let runs = if same_month {
            "r.payout_month = ?2"
        } else {
            "r.state = 'current' AND r.payout_month <> ?2"
        };
        let sql = self.sql();
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT h.payment_id, h.month_key, h.programme, h.service_month, h.payee_kind, \
                 h.payee_id, h.beneficiary_id, h.amount_cents, h.code, r.payout_month, '', \
                 h.run_id, h.seq, h.top_up, NULL, (SELECT a.reason FROM acknowledged a \
                 JOIN runs ra ON ra.run_id = a.run_id \
                 WHERE a.payment_id = h.payment_id AND a.run_id <= h.run_id ORDER BY a.run_id LIMIT 1), h.basis, \
                 (SELECT ra.payout_month FROM acknowledged a \
                 JOIN runs ra ON ra.run_id = a.run_id \
                 WHERE a.payment_id = h.payment_id AND a.run_id <= h.run_id ORDER BY a.run_id DESC LIMIT 1) \
                 FROM held_lines h JOIN runs r ON r.run_id = h.run_id \
                 WHERE r.pipeline = ?1 AND {runs} \
                 UNION ALL \
                 SELECT l.payment_id, l.month_key, l.programme, l.service_month, l.payee_kind, \
                 l.payee_id, l.beneficiary_id, l.amount_cents, 'PAYMENT_FAILED', \
                 r.payout_month, l.status_reason, l.run_id, 0, \
                 CASE WHEN l.failed_seq > 1 THEN 1 ELSE 0 END, l.failed_seq, \
                 (SELECT a.reason FROM acknowledged a \
                 WHERE a.run_id = l.run_id AND a.payment_id = l.payment_id), l.basis, NULL \
                 FROM lines l JOIN runs r ON r.run_id = l.run_id \
                 WHERE l.status = 'failed' AND r.pipeline = ?1 AND {runs} \
                 ORDER BY 1, 12",
            ))
            .map_err(&sql)?;
        let rows = st
            .query_map(params![pipeline, payout], |r| {
                Ok(OpenHold {
                    payment_id: r.get(0)?,
                    month_key: r.get(1)?,
                    programme: r.get(2)?,
                    service_month: r.get(3)?,
                    payee_kind: r.get(4)?,
                    payee_id: r.get(5)?,
                    beneficiary_id: r.get(6)?,
                    amount_cents: r.get(7)?,
                    code: r.get(8)?,
                    run_id: r.get(11)?,
                    seq: r.get(12)?,
                    top_up: r.get::<_, i64>(13)? != 0,
                    failed_seq: r.get::<_, Option<u32>>(14)?,
                    acknowledged: r.get::<_, Option<String>>(15)?,
                    held_in: r.get(9)?,
                    reason: crate::outputs::payments::mask_bank_reason(&r.get::<_, String>(10)?),
                    basis: history::parse_basis(&r.get::<_, String>(16)?),
                    acknowledged_in: r.get::<_, Option<String>>(17)?,
                })
            })
            .map_err(&sql)?;
        latest_per_id(rows, |h: &OpenHold| &h.payment_id).map_err(&sql)
    }

    /// `history`, and whether it came from the last run's snapshot.
    fn history_read(&self, pipeline: &str, payout: &str) -> Result<(History, bool), LedgerError> {
        let sql = self.sql();
        // one read transaction: the runs, the snapshot and the lines as of one commit
        let _read = self.conn.unchecked_transaction().map_err(&sql)?;
        self.refuse_rerun_after_returns(pipeline, payout)?;
        let changes = Self::line_changes(&self.conn, &self.path)?;
        let runs = Self::history_runs(&self.conn, &self.path, pipeline, payout)?;
        // the snapshot the last run wrote, if it holds exactly these runs
        let snapshot: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT data FROM history_snapshots WHERE pipeline = ?1 AND runs = ?2",
                params![pipeline, runs_text(&runs)],
                |r| r.get(0),
            )
            .optional()
            .map_err(&sql)?;
        if let Some(bytes) = snapshot {
            match History::decode(&bytes, runs.clone(), changes) {
                Some(h) => return Ok((h, true)),
                None => tracing::warn!(
                    ledger = %self.path.display(),
                    "the ledger's history snapshot is not readable by this version: reading its lines instead"
                ),
            }
        }
        // run by run, each in payment-id order (the primary key's order: no sort of the
        // whole history), borrowing each row's text
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT month_key, limit_group, service_month, beneficiary_id, basis, status,
                        status_reason
                 FROM lines WHERE run_id = ?1 ORDER BY payment_id",
            )
            .map_err(&sql)?;
        let mut h = History::of_runs(runs.clone(), changes);
        for run in runs {
            h.next_run();
            let mut rows = st.query(params![run]).map_err(&sql)?;
            while let Some(r) = rows.next().map_err(&sql)? {
                let text = |i: usize| -> Result<&str, rusqlite::Error> {
                    r.get_ref(i)?.as_str().map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            i,
                            rusqlite::types::Type::Text,
                            e.into(),
                        )
                    })
                };
                h.add(history::Row {
                    month_key: text(0).map_err(&sql)?,
                    limit_group: text(1).map_err(&sql)?,
                    service_month: text(2).map_err(&sql)?,
                    beneficiary: text(3).map_err(&sql)?,
                    basis: text(4).map_err(&sql)?,
                    status: text(5).map_err(&sql)?,
                    reason: text(6).map_err(&sql)?,
                });
            }
        }
        h.finish();
        Ok((h, false))
    }

    /// The current runs of `pipeline` a history for `payout` reads, ascending.
    fn history_runs(
        conn: &Connection,
        path: &Path,
        pipeline: &str,
        payout: &str,
    ) -> Result<Vec<i64>, LedgerError> {
        let sql = |e| LedgerError::Sql(path.to_path_buf(), e);
        let mut st = conn
            .prepare_cached(
                "SELECT run_id FROM runs
                 WHERE pipeline = ?1 AND state = 'current' AND payout_month <> ?2
                 ORDER BY run_id",
            )
            .map_err(&sql)?;
        let ids = st
            .query_map(params![pipeline, payout], |r| r.get(0))
            .map_err(&sql)?;
        ids.collect::<Result<_, _>>().map_err(&sql)
    }

    /// How many times recorded lines have been changed (returns applied, …).
    fn line_changes(conn: &Connection, path: &Path) -> Result<i64, LedgerError> {
        conn.query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'line_changes'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map(Option::unwrap_or_default)
        .map_err(|e| LedgerError::Sql(path.to_path_buf(), e))
    }

    /// Inserts the run's lines (`lines` in key order, `texts` their month and basis texts),
    /// many rows a statement: the statement's set-up is paid once per 64 lines.
    fn insert_lines(
        tx: &Connection,
        path: &Path,
        run_id: i64,
        lines: &[&Line],
        texts: &[(&str, String)],
    ) -> Result<(), LedgerError> {
        let sql = |e| LedgerError::Sql(path.to_path_buf(), e);
        const ROWS: usize = 64;
        let insert = |n: usize| {
            format!(
                "INSERT INTO lines (run_id, payment_id, month_key, limit_group, programme,
                     service_month, payee_kind, payee_id, beneficiary_id, amount_cents, basis,
                     status) VALUES {}",
                vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent')"; n].join(", ")
            )
        };
        let t = std::time::Instant::now();
        // (texts read in place by sqlite: `bulk`)
        use bulk::Value::{Int, Text};
        let mut values = Vec::with_capacity(lines.len() * 11);
        for (l, (month, basis)) in lines.iter().zip(texts) {
            values.extend([
                Int(run_id),
                Text(&l.payment_id),
                Text(&l.month_key),
                Text(&l.limit_group),
                Text(l.programme),
                Text(month),
                Text(l.payee_kind),
                Text(&l.payee_id),
                Text(&l.beneficiary_id),
                Int(l.amount.cents()),
                Text(basis),
            ]);
        }
        bulk::insert(tx, insert, 11, ROWS, &values).map_err(sql)?;
        tracing::debug!(
            elapsed_ms = t.elapsed().as_millis() as u64,
            "ledger lines inserted"
        );
        Ok(())
    }

    /// The snapshot of `before` with this run's lines (`lines` in key order, `texts` their
    /// month and basis texts) and the loans' marks moved: its bytes and its runs' text; `None`
    /// when it does not fit the format.
    fn build_snapshot(
        run_id: i64,
        (before, progress): (History, &[LoanProgress]),
        (lines, texts): (&[&Line], &[(&str, String)]),
    ) -> Option<(Vec<u8>, String)> {
        let t = std::time::Instant::now();
        // the lines in the order a read of them gives: this run last, by payment id
        let mut after = before.with_lines(
            run_id,
            lines
                .iter()
                .zip(texts)
                .map(|(l, (month, basis))| history::Row {
                    month_key: &l.month_key,
                    limit_group: &l.limit_group,
                    service_month: month,
                    beneficiary: &l.beneficiary_id,
                    basis,
                    status: "sent",
                    reason: "",
                }),
        );
        let added = t.elapsed().as_millis() as u64;
        // the loans' marks move over what pricing saw paid before or payable now, as far as
        // it is paid in this history (a line withheld after pricing does not move them)
        after.advance_marks(progress);
        let marked = t.elapsed().as_millis() as u64;
        let data = after.encode()?;
        tracing::debug!(
            lines_added_ms = added,
            marks_ms = marked,
            encoded_ms = t.elapsed().as_millis() as u64,
            bytes = data.len(),
            "ledger history snapshot made"
        );
        Some((data, runs_text(&after.runs)))
    }

    /// Stores a snapshot made by `build_snapshot` if the history it was made from is still
    /// what the ledger holds (no line changed since it was read: `changes`; the same runs:
    /// `runs`). `Ok(false)` when it was not stored.
    fn store_snapshot(
        tx: &Connection,
        path: &Path,
        (pipeline, payout): (&str, &str),
        (changes, runs): (i64, &[i64]),
        (data, runs_text): (Vec<u8>, String),
    ) -> Result<bool, LedgerError> {
        if Self::line_changes(tx, path)? != changes
            || Self::history_runs(tx, path, pipeline, payout)? != runs
        {
            return Ok(false);
        }
        tx.execute(
            "INSERT OR REPLACE INTO history_snapshots (pipeline, runs, data) VALUES (?1, ?2, ?3)",
            params![pipeline, runs_text, data],
        )
        .map_err(|e| LedgerError::Sql(path.to_path_buf(), e))?;
        Ok(true)
    }

    fn refuse_rerun_after_returns(&self, pipeline: &str, payout: &str) -> Result<(), LedgerError> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM lines l JOIN runs r ON r.run_id = l.run_id
                 WHERE r.pipeline = ?1 AND r.payout_month = ?2 AND r.state = 'current' AND l.status <> 'sent'",
                params![pipeline, payout],
                |r| r.get(0),
            )
            .map_err(self.sql())?;
        if n > 0 {
            return Err(LedgerError::Refused(format!(
                "payout month {payout} of pipeline {pipeline} cannot be re-run: the bank's returns for {n} of its lines are already reconciled; run the next payout month instead"
            )));
        }
        // a later month's run was computed on top of this month's lines (top-ups, limits):
        // replacing them now would pay or hold against history that no longer holds
        let later: Option<String> = self
            .conn
            .query_row(
                "SELECT MAX(payout_month) FROM runs WHERE pipeline = ?1 AND state = 'current' AND payout_month > ?2",
                params![pipeline, payout],
                |r| r.get(0),
            )
            .map_err(self.sql())?;
        if let Some(later) = later {
            let run_before: bool = self
                .conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM runs WHERE pipeline = ?1 AND payout_month = ?2 AND state = 'current')",
                    params![pipeline, payout],
                    |r| r.get(0),
                )
                .map_err(self.sql())?;
            let what = if run_before {
                "cannot be re-run"
            } else {
                "cannot be run after a later month (it was never run on this ledger)"
            };
            // (the next run pays only what its extract holds: an extract of its own month alone
            // must be given this month's rows — a review found them lost without a word)
            return Err(LedgerError::Refused(format!(
                "payout month {payout} of pipeline {pipeline} {what}: the ledger already holds the run of {later}, which was computed on top of the months before it; corrections to {payout}, and months of it no run has paid, are paid (or held) by the next payout month's run from the rows its extract holds — an extract that holds only that month's rows must also be given the rows the {payout} extract held"
            )));
        }
        // an earlier month recorded without its files in place (killed or failed between its
        // commit and its renames): its lines count as paid, so this month waits for them to
        // be written (a re-run of that month replaces the run and writes them; until
        // 2026-12-02 the next month went on without a word and the lines were never sent — a
        // cold review)
        let unplaced: Option<(i64, String, i64)> = self
            .conn
            .query_row(
                "SELECT run_id, payout_month, placed FROM runs WHERE pipeline = ?1 AND state = 'current' AND placed <> 1 AND payout_month < ?2 ORDER BY payout_month LIMIT 1",
                params![pipeline, payout],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(self.sql())?;
        if let Some((run_id, month, placed)) = unplaced {
            let how = if placed == 2 {
                format!("its files were in place, and a re-run of {month} moved them aside and was stopped before recording itself (`disburse ledger runs` shows files_in_place = aside) — run {month} again first, with the same inputs: it writes the files again; or, if those bank files were sent, apply the bank's returns of them with `reconcile`: they record the files as sent")
            } else {
                format!("its output files were never all put in place (it was stopped or failed after recording its lines; `disburse ledger runs` shows files_in_place = no) — run {month} again first, with the same inputs: it replaces that run and writes its files (some may stand in its folder already — with its manifest.json, all of them: the run's own bank files, the same bytes a re-run with the same inputs writes; treat them as sent if they were)")
            };
            return Err(LedgerError::Refused(format!(
                "payout month {payout} of pipeline {pipeline} cannot be run yet: the run of {month} (run {run_id}) is recorded in the ledger but {how}"
            )));
        }
        Ok(())
    }

    /// The manifest SHA-256 the current run of `pipeline`'s `payout` month recorded, if there
    /// is such a run.
    pub fn current_manifest(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<Option<String>, LedgerError> {
        self.conn
            .query_row(
                "SELECT manifest_sha256 FROM runs WHERE pipeline = ?1 AND payout_month = ?2 AND state = 'current'",
                params![pipeline, payout],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())
    }

    /// What the other current runs of `pipeline` paid under the payment ids `ids` — a month's
    /// first line and its retries, in order, looked up until one no such run holds (a seek by
    /// the lines' key per run of the pipeline, no scan); where every id is found, the month's
    /// lines by their month key (`ids[0]`, the first line's id: a scan of the lines, for a month
    /// retried that often): the cents of the lines not returned as failed, and the last of them
    /// (`exceptions::Recover`).
    pub fn paid_under(
        &self,
        pipeline: &str,
        payout: &str,
        ids: &[String],
    ) -> Result<Option<PaidUnder>, LedgerError> {
        const SELECT: &str = "SELECT l.amount_cents, l.status, l.payment_id, l.payee_kind, \
             l.payee_id, r.payout_month FROM runs r JOIN lines l ON l.run_id = r.run_id \
             WHERE r.pipeline = ?1 AND r.state = 'current' AND r.payout_month <> ?2";
        type Row = (i64, String, String, String, String, String);
        let query = |sql: &str, key: &str| -> Result<Vec<Row>, LedgerError> {
            let mut st = self.conn.prepare_cached(sql).map_err(self.sql())?;
            st.query_map(params![pipeline, payout, key], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(self.sql())
        };
        let by_id = format!("{SELECT} AND l.payment_id = ?3");
        let mut rows: Vec<Row> = Vec::new();
        let mut every = !ids.is_empty();
        for id in ids {
            let found = query(&by_id, id)?;
            if found.is_empty() {
                every = false;
                break;
            }
            rows.extend(found);
        }
        if every {
            rows = query(
                &format!("{SELECT} AND l.month_key = ?3 ORDER BY r.payout_month, r.run_id"),
                &ids[0],
            )?;
        }
        let mut paid: Option<PaidUnder> = None;
        for (cents, status, id, kind, payee, month) in rows {
            if status == "failed" {
                continue;
            }
            let p = paid.get_or_insert_with(Default::default);
            p.cents += cents;
            p.lines += 1;
            (p.payment_id, p.payee_kind, p.payee_id, p.payout_month) = (id, kind, payee, month);
        }
        Ok(paid)
    }

    /// Before a re-run of `payout` moves the files of the month's current run aside: that run
    /// is marked as not in place, so that a re-run killed before its own commit leaves the
    /// next month refused (`refuse_rerun_after_returns`) rather than counting lines whose files
    /// are gone. Gives the run's id when it was in place (`placed` puts it back on a failure
    /// that restores its files).
    pub fn unplace_current(
        &self,
        pipeline: &str,
        payout: &str,
    ) -> Result<Option<i64>, LedgerError> {
        let run_id: Option<i64> = self
            .conn
            .query_row(
                "UPDATE runs SET placed = 2 WHERE pipeline = ?1 AND payout_month = ?2 AND state = 'current' AND placed = 1 RETURNING run_id",
                params![pipeline, payout],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())?;
        Ok(run_id)
    }

    /// Records that run `run_id`'s output files are all in place.
    pub fn placed(&self, run_id: i64) -> Result<(), LedgerError> {
        self.conn
            .execute(
                "UPDATE runs SET placed = 1 WHERE run_id = ?1",
                params![run_id],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// Records a run in one transaction: supersedes an earlier run of the same pipeline and
    /// payout month and inserts this one with its lines — before the run's outputs are in
    /// place; then `manifest` waits for the outputs and gives their manifest's SHA-256, and
    /// only then is the transaction committed. `None` from `manifest` (the
    /// outputs failed) rolls it back and returns `None`. A process killed before the commit
    /// leaves the ledger as it was.
    ///
    /// With the `history` the run was computed on (read by `history` for the same pipeline
    /// and payout month) and what pricing learnt of the loans' instalments, the transaction
    /// also writes the snapshot of the history after this run, which the next month's run
    /// reads instead of every line.
    pub fn record_when(
        &mut self,
        pipeline: &str,
        payout: &str,
        inputs_sha256: &str,
        (lines, held): (&[Line], &[Held]),
        history: Option<(History, &[LoanProgress])>,
        manifest: impl FnOnce() -> Option<String>,
    ) -> Result<Option<i64>, LedgerError> {
        let path = self.path.clone();
        let sql = move |e| LedgerError::Sql(path.clone(), e);
        let tx = self.conn.transaction().map_err(&sql)?;
        tx.execute(
            "UPDATE runs SET state = 'superseded' WHERE pipeline = ?1 AND payout_month = ?2 AND state = 'current'",
            params![pipeline, payout],
        )
        .map_err(&sql)?;
        tx.execute(
            "INSERT INTO runs (pipeline, payout_month, state, manifest_sha256, inputs_sha256, placed) VALUES (?1, ?2, 'current', '', ?3, 0)",
            params![pipeline, payout, inputs_sha256],
        )
        .map_err(&sql)?;
        let run_id = tx.last_insert_rowid();
        // in key order (the primary key then grows at its end instead of page by page, and it
        // is the order a read of the lines gives), with the texts the lines are recorded with
        let mut order: Vec<&Line> = lines.iter().collect();
        // (ids of the usual form order as their numbers do)
        if order.iter().all(|l| compact(&l.payment_id).is_some()) {
            order.sort_by_cached_key(|l| compact(&l.payment_id));
        } else {
            order.sort_by(|a, b| a.payment_id.cmp(&b.payment_id));
        }
        // (a month's text made once, not once a line)
        let months: rustc_hash::FxHashMap<Option<crate::domain::Month>, String> = lines
            .iter()
            .map(|l| l.service_month)
            .collect::<rustc_hash::FxHashSet<_>>()
            .into_iter()
            .map(|m| (m, m.map(|m| m.to_string()).unwrap_or_default()))
            .collect();
        let texts: Vec<(&str, String)> = order
            .iter()
            .map(|l| {
                (
                    months.get(&l.service_month).map_or("", String::as_str),
                    history::line_basis(l),
                )
            })
            .collect();
        // the snapshot (this history with the run's lines, the marks moved, encoded) is made
        // on a thread of its own while the lines are inserted; it is stored after them
        let path = &self.path;
        let (inserted, snapshot) = std::thread::scope(|s| {
            // (no thread to be had: no snapshot this run; it is a cache)
            let builder = history.and_then(|(before, progress)| {
                let checks = (before.changes, before.runs.clone());
                let (order, texts) = (&order, &texts);
                let h = std::thread::Builder::new().spawn_scoped(s, move || {
                    Self::build_snapshot(run_id, (before, progress), (order, texts))
                });
                match h {
                    Ok(h) => Some((checks, h)),
                    Err(e) => {
                        tracing::warn!("the ledger's history snapshot was not made: {e}");
                        None
                    }
                }
            });
            let inserted = Self::insert_lines(&tx, path, run_id, &order, &texts);
            (inserted, builder.map(|(checks, h)| (checks, h.join())))
        });
        inserted?;
        {
            // (a line withheld again unchanged is not given to this insert: `run::compute`)
            let mut st = tx
                .prepare(
                    "INSERT INTO held_lines (run_id, payment_id, month_key, programme, \
                     service_month, payee_kind, payee_id, beneficiary_id, amount_cents, code, \
                     seq, top_up, basis) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )
                .map_err(&sql)?;
            for h in held {
                let l = &h.line;
                st.execute(params![
                    run_id,
                    l.payment_id,
                    l.month_key,
                    l.programme,
                    l.service_month.map(|m| m.to_string()).unwrap_or_default(),
                    l.payee_kind,
                    l.payee_id,
                    l.beneficiary_id,
                    l.amount.cents(),
                    h.code,
                    h.seq,
                    h.top_up,
                    history::line_basis(l),
                ])
                .map_err(&sql)?;
            }
        }
        {
            let mut st = tx
                .prepare(
                    "INSERT OR REPLACE INTO flexible_seen (run_id, person_id, period, insurance, \
                     paid_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&sql)?;
            for f in std::mem::take(&mut self.flexible) {
                st.execute(params![
                    run_id,
                    f.person_id,
                    f.period.to_string(),
                    FLEX_INSURANCES[usize::from(f.insurance.min(1))],
                    f.paid_cents
                ])
                .map_err(&sql)?;
            }
        }
        {
            let mut st = tx
                .prepare(
                    "INSERT OR REPLACE INTO si_late_seen (run_id, person_id, employer_id, period, \
                     insurance, cents, paid_on, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(&sql)?;
            for l in std::mem::take(&mut self.late) {
                st.execute(params![
                    run_id,
                    l.person_id,
                    l.employer_id,
                    l.period.to_string(),
                    l.insurance.as_str(),
                    l.cents,
                    l.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                    l.line
                ])
                .map_err(&sql)?;
            }
        }
        {
            let mut st = tx
                .prepare(
                    "INSERT OR IGNORE INTO si_waiting (run_id, person_id, employer_id, period) \
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&sql)?;
            for w in std::mem::take(&mut self.waiting) {
                st.execute(params![
                    run_id,
                    w.person_id,
                    w.employer_id,
                    w.period.to_string()
                ])
                .map_err(&sql)?;
            }
        }
        {
            let mut st = tx
                .prepare(
                    "INSERT OR REPLACE INTO intern_si_seen (run_id, person_id, employer_id, \
                     period) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&sql)?;
            for s in std::mem::take(&mut self.intern_si) {
                st.execute(params![
                    run_id,
                    s.person_id,
                    s.employer_id,
                    s.period.to_string()
                ])
                .map_err(&sql)?;
            }
        }
        {
            let mut st = tx
                .prepare(
                    "INSERT OR REPLACE INTO first_applications (run_id, limit_group, \
                     beneficiary_id, first_month, judged_on) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&sql)?;
            for a in std::mem::take(&mut self.first_apps) {
                st.execute(params![
                    run_id,
                    a.limit_group,
                    a.beneficiary_id,
                    a.first.to_string(),
                    a.judged_on.to_string()
                ])
                .map_err(&sql)?;
            }
        }
        {
            let mut st = tx
                .prepare(
                    "INSERT OR REPLACE INTO intern_placements (run_id, limit_group, person_id, \
                     host_id, start_date, end_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(&sql)?;
            for p in std::mem::take(&mut self.placements) {
                st.execute(params![
                    run_id,
                    p.limit_group,
                    p.person_id,
                    p.host_id,
                    p.start.to_string(),
                    p.end.to_string()
                ])
                .map_err(&sql)?;
            }
        }
        if let Some(((changes, runs), built)) = snapshot {
            // a cache: a snapshot that cannot be written leaves the next run to read the lines
            let t = std::time::Instant::now();
            let written = match built {
                Ok(Some(b)) => {
                    Self::store_snapshot(&tx, path, (pipeline, payout), (changes, &runs), b)
                }
                Ok(None) => Ok(false),
                Err(_) => Err(LedgerError::Refused("the thread making it panicked".into())),
            };
            match written {
                Ok(w) => tracing::debug!(
                    written = w,
                    elapsed_ms = t.elapsed().as_millis() as u64,
                    "ledger history snapshot"
                ),
                Err(e) => tracing::warn!("the ledger's history snapshot was not written: {e}"),
            }
        }
        let Some(manifest_sha256) = manifest() else {
            tx.rollback().map_err(&sql)?;
            return Ok(None);
        };
        tx.execute(
            "UPDATE runs SET manifest_sha256 = ?1 WHERE run_id = ?2",
            params![manifest_sha256, run_id],
        )
        .map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        self.recorded = true;
        Ok(Some(run_id))
    }

    /// Records withheld or failed lines of current runs as acknowledged not owed (`reason`), in
    /// one transaction: later runs no longer report them as outstanding (`HOLD_OUTSTANDING`).
    /// Every id must name such a line; otherwise nothing is recorded. Returns how many.
    pub fn acknowledge(&mut self, ids: &[String], reason: &str) -> Result<u64, LedgerError> {
        let path = self.path.clone();
        let sql = move |e| LedgerError::Sql(path.clone(), e);
        if reason.trim().is_empty() {
            return Err(LedgerError::Refused(
                "give the reason the lines are not owed (--reason): it is kept with them".into(),
            ));
        }
        let mut ids: Vec<&String> = ids.iter().collect();
        ids.sort();
        ids.dedup();
        let tx = self.conn.transaction().map_err(&sql)?;
        let current: Vec<(i64, String)> = {
            let mut st = tx
                .prepare(
                    "SELECT run_id, payout_month FROM runs WHERE state = 'current' \
                     ORDER BY run_id DESC",
                )
                .map_err(&sql)?;
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(&sql)?;
            rows.collect::<Result<_, _>>().map_err(&sql)?
        };
        for id in &ids {
            // a withheld line paid since under its id (the payee's account given) is no longer
            // withheld: nothing to acknowledge (a differential review found such an id
            // accepted) — looked up run by run along the primary key
            for (run, month) in &current {
                let paid: Option<String> = tx
                    .prepare_cached(
                        "SELECT status FROM lines WHERE run_id = ?1 AND payment_id = ?2 \
                         AND status <> 'failed'",
                    )
                    .and_then(|mut st| st.query_row(params![run, id], |r| r.get(0)).optional())
                    .map_err(&sql)?;
                if let Some(status) = paid {
                    return Err(LedgerError::Refused(format!(
                        "{id} was paid by the run of {month} (status {status}): it is no withheld or failed line; nothing acknowledged"
                    )));
                }
            }
            // the current runs' withheld or failed rows of the id, as they are now; a line
            // acknowledged again keeps its earlier reason before the new one (an audit trail: a
            // cold review found the first reason replaced without a word)
            let n = tx
                .execute(
                    "INSERT INTO acknowledged (run_id, payment_id, reason) \
                     SELECT h.run_id, h.payment_id, ?2 FROM held_lines h \
                     JOIN runs r ON r.run_id = h.run_id \
                     WHERE h.payment_id = ?1 AND r.state = 'current' \
                     UNION SELECT l.run_id, l.payment_id, ?2 FROM lines l \
                     JOIN runs r ON r.run_id = l.run_id \
                     WHERE l.payment_id = ?1 AND l.status = 'failed' AND r.state = 'current' \
                     ON CONFLICT (run_id, payment_id) DO UPDATE \
                     SET reason = CASE WHEN acknowledged.reason = excluded.reason \
                     OR substr(acknowledged.reason, -length(excluded.reason) - 9) \
                     = ' | then: ' || excluded.reason \
                     THEN acknowledged.reason \
                     ELSE acknowledged.reason || ' | then: ' || excluded.reason END",
                    params![id, reason],
                )
                .map_err(&sql)?;
            if n == 0 {
                return Err(LedgerError::Refused(format!(
                    "{id} is no withheld or failed line of a current run: nothing acknowledged"
                )));
            }
        }
        tx.commit().map_err(&sql)?;
        Ok(ids.len() as u64)
    }

    /// Applies bank returns `(payment_id, ok, reason)` in one transaction. Every id must name a
    /// line of a current run; otherwise nothing is applied. Returns how many lines became final,
    /// how many failed, and how many the ledger already held so (a return applied again, an id
    /// twice in the file: nothing changed — said apart, a grader found a re-applied file
    /// reported as lines “failed and payable again”).
    pub fn reconcile(
        &mut self,
        returns: &[(String, bool, String)],
    ) -> Result<(u64, u64, u64), LedgerError> {
        let path = self.path.clone();
        let sql = move |e| LedgerError::Sql(path.clone(), e);
        let tx = self.conn.transaction().map_err(&sql)?;
        let (mut ok, mut failed, mut already) = (0u64, 0u64, 0u64);
        let mut unknown = Vec::new();
        let mut newly_failed: Vec<(i64, String)> = Vec::new();
        let mut touched = std::collections::BTreeSet::new();
        // a returned id is looked up in the current runs, newest first, along the primary key
        // (no index on payment ids: a run's commit would rewrite most of its pages, the ids
        // being hashes; a return is nearly always of one of the latest runs)
        let current: Vec<i64> = {
            let mut st = tx
                .prepare("SELECT run_id FROM runs WHERE state = 'current' ORDER BY run_id DESC")
                .map_err(&sql)?;
            let ids = st.query_map([], |r| r.get(0)).map_err(&sql)?;
            ids.collect::<Result<_, _>>().map_err(&sql)?
        };
        for (id, is_ok, reason) in returns {
            let mut target: Option<(i64, String)> = None;
            for &run in &current {
                target = tx
                    .prepare_cached(
                        "SELECT run_id, status FROM lines WHERE run_id = ?1 AND payment_id = ?2",
                    )
                    .and_then(|mut st| {
                        st.query_row(params![run, id], |r| Ok((r.get(0)?, r.get(1)?)))
                            .optional()
                    })
                    .map_err(&sql)?;
                if target.is_some() {
                    break;
                }
            }
            let Some((run_id, status)) = target else {
                unknown.push(id.clone());
                continue;
            };
            touched.insert(run_id);
            let new = if *is_ok { "final" } else { "failed" };
            if status != "sent" && status != new {
                return Err(LedgerError::Refused(format!(
                    "payment {id} is already reconciled as {status}; a return saying {new} contradicts it (nothing applied)"
                )));
            }
            tx.execute(
                "UPDATE lines SET status = ?1, status_reason = ?2 WHERE run_id = ?3 AND payment_id = ?4",
                // (a bank's reason may quote the account in full: masked as in every message —
                // `ledger lines` printed it whole, a cold review)
                params![new, crate::outputs::payments::mask_bank_reason(reason), run_id, id],
            )
            .map_err(&sql)?;
            if !*is_ok && status == "sent" {
                newly_failed.push((run_id, id.clone()));
            }
            if status != "sent" {
                already += 1;
            } else if *is_ok {
                ok += 1;
            } else {
                failed += 1;
            }
        }
        if !unknown.is_empty() {
            // (a returns file of the wrong kind may hold resident IDs or account numbers: only
            // what has a payment id's shape is shown whole, the rest with its numbers masked)
            let shown = |ids: &[&String]| {
                let v: Vec<String> = ids
                    .iter()
                    .take(5)
                    .map(|id| crate::outputs::payments::shown_payment_id(id))
                    .collect();
                format!("{}{}", v.join(", "), if ids.len() > 5 { ", …" } else { "" })
            };
            // lines of runs a re-run replaced are named as such, with the run and its month
            // (a cold review: the bank's return for a sent line of a replaced run read as a typo)
            let mut replaced: Vec<(&String, i64, String)> = Vec::new();
            {
                let mut st = tx
                    .prepare(
                        "SELECT l.run_id, r.payout_month FROM lines l JOIN runs r ON r.run_id = l.run_id \
                         WHERE l.payment_id = ?1 AND r.state = 'superseded' ORDER BY l.run_id DESC LIMIT 1",
                    )
                    .map_err(&sql)?;
                for id in &unknown {
                    if let Some((run, month)) = st
                        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                        .map_err(&sql)?
                    {
                        replaced.push((id, run, month));
                    }
                }
            }
            let absent: Vec<&String> = unknown
                .iter()
                .filter(|id| !replaced.iter().any(|(r, _, _)| r == id))
                .collect();
            let mut parts = Vec::new();
            if !replaced.is_empty() {
                let ids: Vec<&String> = replaced.iter().map(|(id, _, _)| *id).collect();
                let (_, run, month) = &replaced[0];
                parts.push(format!(
                    "lines of runs a re-run replaced, no longer recorded as paid: {} ({}; the first of run {run}, payout month {month}) — the re-run's RERUN_LINE_NOT_REPEATED rows name them: if the replaced run's bank file was sent, settle them by hand",
                    ids.len(),
                    shown(&ids)
                ));
            }
            if !absent.is_empty() {
                parts.push(format!(
                    "not in the ledger: {} ({})",
                    absent.len(),
                    shown(&absent)
                ));
            }
            return Err(LedgerError::Refused(format!(
                "{} payment id(s) in the returns file are not lines of a current run: {}; nothing applied",
                unknown.len(),
                parts.join("; ")
            )));
        }
        // per run the returns touch: returns of lines of a run whose files were never put in
        // place (0) cannot be of its bank files — they are of an earlier run of the month (the
        // same payment ids), and applied to this one they would settle lines no bank file
        // carried (a white-box review: lines only the stopped re-run had stayed `sent` for
        // good, another was `final` at the re-run's amount while the bank paid the first
        // run's); a run whose files a stopped re-run moved aside (2) is in place, its files
        // sent — else its month could be neither re-run (returns in) nor followed (a review)
        for run in touched {
            let (placed, month): (i64, String) = tx
                .query_row(
                    "SELECT placed, payout_month FROM runs WHERE run_id = ?1",
                    [run],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(&sql)?;
            match placed {
                0 => {
                    return Err(LedgerError::Refused(format!(
                        "the returns file names lines of run {run} (payout month {month}), whose files were never put in place: the bank cannot have them — they are of an earlier run of {month} with the same payment ids; run {month} again first (it writes its files), then apply the returns; nothing applied"
                    )))
                }
                2 => {
                    tx.execute("UPDATE runs SET placed = 1 WHERE run_id = ?1", [run])
                        .map_err(&sql)?;
                }
                _ => {}
            }
        }
        Self::record_failed_seq(&tx, &newly_failed).map_err(&sql)?;
        Self::remember_failed_rows(&tx, &newly_failed).map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok((ok, failed, already))
    }

    /// The employer SI rows a failed line was paid on, as the ledger keeps rows for a later
    /// run (`si_late_seen`, under the failed line's run): its basis per insurance, paid by the
    /// end of that run's payout month (the line was paid, so they were), line 0 (the ledger
    /// keeps no line numbers of a paid line). A next run whose extract no longer holds the
    /// month — a window of recent rows — makes the month from them, judged again (registers,
    /// limits, account), and pays the retry (`PAYMENT_RETRY`), as it does for a line withheld;
    /// until 2026-12-04 it said `HOLD_OUTSTANDING` each run, asking for the rows again (a
    /// review). Rows the run kept itself (a late row, with its line) stand. A flexible worker's
    /// own month (paid to the person: its pension and medical rows) is kept the same way, with
    /// an empty employer code, as the flexible driver keeps its late rows — since 2026-12-06 (a
    /// grader found such a month said `HOLD_OUTSTANDING` every run beside the same month
    /// withheld for an account, paid from the kept rows) — a founder's own month too
    /// (`si_startup_founder` paid to the founder, since 2026-12-07: a grader); lines of other payees (a
    /// public-welfare post paid to the person, an internship, a loan) are not SI rows of theirs.
    fn remember_failed_rows(
        tx: &rusqlite::Transaction,
        failed: &[(i64, String)],
    ) -> Result<(), rusqlite::Error> {
        use crate::ingest::records::Insurance;
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO si_late_seen (run_id, person_id, employer_id, period, \
             insurance, cents, paid_on, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
        )?;
        // (the month's other lines that stand, of the pipeline's current runs: a top-up's basis
        // is what it added, so the month's rows are theirs and its own together — a cold
        // review found a failed top-up's 60.00 kept as the month's whole maternity row, the
        // next retry paying 45.00)
        let mut standing = tx.prepare_cached(
            "SELECT l.basis FROM lines l JOIN runs r ON r.run_id = l.run_id \
             WHERE l.month_key = ?1 AND l.payment_id <> ?2 AND l.status IN ('sent', 'final') \
             AND r.state = 'current' AND r.pipeline = (SELECT pipeline FROM runs WHERE run_id = ?3)",
        )?;
        for (run_id, id) in failed {
            let found: Option<(String, String, String, String, String, String)> = tx
                .query_row(
                    "SELECT l.beneficiary_id, l.payee_id, l.service_month, l.basis, r.payout_month, \
                     l.month_key \
                     FROM lines l JOIN runs r ON r.run_id = l.run_id \
                     WHERE l.run_id = ?1 AND l.payment_id = ?2 \
                     AND ((l.payee_kind = 'employer' AND l.limit_group NOT LIKE 'loan_%') \
                     OR (l.payee_kind = 'person' AND l.payee_id = l.beneficiary_id \
                     AND l.programme IN ('si_hardship_flexible', 'si_graduate_flexible', \
                     'si_startup_founder')))",
                    params![run_id, id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )
                .optional()?;
            let Some((person, payee, period, basis, payout, month_key)) = found else {
                continue;
            };
            // (a flexible worker's own rows carry no employer code; an employer's, its own)
            let employer = if payee == person {
                String::new()
            } else {
                payee
            };
            let Ok(paid_by) = crate::domain::Month::parse(&payout).map(|m| m.last_day()) else {
                continue;
            };
            let mut cents = history::parse_basis(&basis);
            let others = standing
                .query_map(params![month_key, id, run_id], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            for b in others {
                for (c, o) in cents.iter_mut().zip(history::parse_basis(&b)) {
                    *c += o;
                }
            }
            for (insurance, c) in Insurance::ALL.iter().zip(cents) {
                if c > 0 {
                    insert.execute(params![
                        run_id,
                        person,
                        employer,
                        period,
                        insurance.as_str(),
                        c,
                        paid_by.to_string()
                    ])?;
                }
            }
        }
        Ok(())
    }

    /// Runs recorded, oldest first.
    pub fn runs(&self) -> Result<Vec<RunRow>, LedgerError> {
        let sql = self.sql();
        // (a ledger of an older build read as it is, without the column: every run in place)
        let placed = if has_column(&self.conn, "runs", "placed").map_err(&sql)? {
            "r.placed"
        } else {
            "1"
        };
        let mut st = self
            .conn
            .prepare(&format!(
                "SELECT r.run_id, r.pipeline, r.payout_month, r.state, r.manifest_sha256,
                        COUNT(l.payment_id), COALESCE(SUM(l.amount_cents), 0), {placed}
                 FROM runs r LEFT JOIN lines l ON l.run_id = r.run_id
                 GROUP BY r.run_id ORDER BY r.run_id"
            ))
            .map_err(&sql)?;
        let rows = st
            .query_map([], |r| {
                Ok(RunRow {
                    run_id: r.get(0)?,
                    pipeline: r.get(1)?,
                    payout_month: r.get(2)?,
                    state: r.get(3)?,
                    manifest_sha256: r.get(4)?,
                    lines: r.get(5)?,
                    amount: Money::from_cents(r.get(6)?).to_string(),
                    // (a superseded run's mark is its last: a re-run replaced it — in the
                    // re-run's folder; `aside` read as a stopped re-run, a cold review)
                    files_in_place: match (r.get::<_, String>(3)?.as_str(), r.get::<_, i64>(7)?) {
                        ("superseded", _) => "replaced",
                        (_, 0) => "no",
                        (_, 2) => "aside",
                        _ => "yes",
                    },
                })
            })
            .map_err(&sql)?;
        rows.collect::<Result<_, _>>().map_err(&sql)
    }

    /// Lines of current runs, optionally for one person (beneficiary or payee).
    pub fn lines(&self, who: Option<&str>) -> Result<Vec<Recorded>, LedgerError> {
        let sql = self.sql();
        let mut st = self
            .conn
            .prepare(
                "SELECT r.run_id, r.pipeline, r.payout_month, r.manifest_sha256, l.payment_id, l.programme,
                        l.service_month, l.payee_kind, l.payee_id, l.beneficiary_id, l.amount_cents,
                        l.basis, l.status, l.status_reason, COALESCE(a.reason, '')
                 FROM lines l JOIN runs r ON r.run_id = l.run_id
                 LEFT JOIN acknowledged a ON a.run_id = l.run_id AND a.payment_id = l.payment_id
                 WHERE r.state = 'current' AND (?1 IS NULL OR l.beneficiary_id = ?1 OR l.payee_id = ?1)
                 ORDER BY r.run_id, l.programme, l.payee_id, l.beneficiary_id, l.service_month",
            )
            .map_err(&sql)?;
        let rows = st
            .query_map([who], |r| {
                Ok(Recorded {
                    run_id: r.get(0)?,
                    pipeline: r.get(1)?,
                    payout_month: r.get(2)?,
                    manifest_sha256: r.get(3)?,
                    payment_id: r.get(4)?,
                    programme: r.get(5)?,
                    service_month: r.get(6)?,
                    payee_kind: r.get(7)?,
                    payee_id: r.get(8)?,
                    beneficiary_id: r.get(9)?,
                    amount: Money::from_cents(r.get(10)?).to_string(),
                    basis: r.get(11)?,
                    status: r.get(12)?,
                    // (masked again: a ledger reconciled before 2026-12-02 holds it whole)
                    status_reason: crate::outputs::payments::mask_bank_reason(
                        &r.get::<_, String>(13)?,
                    ),
                    acknowledged: r.get(14)?,
                })
            })
            .map_err(&sql)?;
        rows.collect::<Result<_, _>>().map_err(&sql)
    }
}

/// Where an export of the ledger at `ledger` to `out` goes (`out` resolved), when it may go
/// there: not the ledger itself, nor its journal, shared-memory or lock file (existing or not:
/// SQLite would take a file of that name for its own), nor any other SQLite database, a folder,
/// or a run's folder — the ledger named through a symlink or a relative path as well (a cold
/// review found `ledger export --out` given the ledger's own path replacing it with CSV and
/// exiting 0: the history lost, the next run paying everything again; and, through a symlink,
/// writing over its `-wal`).
pub fn export_target_ok(out: &Path, ledger: &Path) -> Result<PathBuf, String> {
    // where a path really is: symlinks and `..` resolved, folders not made yet by their names
    // (`nosuch/../ledger.sqlite` is the ledger — a cold review found it written over)
    let target = crate::outputs::atomic::resolve(out);
    let db = crate::outputs::atomic::resolve(ledger);
    // a folder (`.`, `..`, a folder's name) is no file to write: refused, not written as
    // another name beside it (a review found `--out ..` written as `./ledger.csv`, over a ledger
    // of that name)
    if target.is_dir() {
        return Err(format!(
            "{} is a folder: name the export's file (e.g. {}/ledger-lines.csv)",
            out.display(),
            out.display()
        ));
    }
    // nor a file of a run's folder or its bank/: the run's, described by its manifest (a review)
    if let Some(m) = target
        .parent()
        .and_then(crate::outputs::atomic::run_folder_manifest)
    {
        return Err(format!(
            "{} is in a run's folder (it holds {}): the export is written elsewhere",
            out.display(),
            m.display()
        ));
    }
    let db_name = db.as_os_str().to_string_lossy().into_owned();
    for suffix in ["", "-wal", "-shm", "-journal", ".lock"] {
        let own = PathBuf::from(format!("{db_name}{suffix}"));
        if target == own {
            return Err(format!(
                "{} is the ledger's own file ({}): the export is written elsewhere",
                out.display(),
                own.display()
            ));
        }
    }
    let mut head = [0u8; 16];
    let is_db = std::fs::File::open(&target)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && &head == b"SQLite format 3\0";
    if is_db {
        return Err(format!(
            "{} is an SQLite database (a ledger?): the export does not replace it",
            out.display()
        ));
    }
    Ok(target)
}

/// CSV of recorded lines for auditors.
pub fn lines_csv(lines: &[Recorded]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record([
        "run_id",
        "pipeline",
        "payout_month",
        "manifest_sha256",
        "payment_id",
        "programme",
        "service_month",
        "payee_kind",
        "payee_id",
        "beneficiary_id",
        "amount",
        "status",
        "status_reason",
        "acknowledged",
    ]);
    for l in lines {
        let _ = w.write_record([
            l.run_id.to_string().as_str(),
            &l.pipeline,
            &l.payout_month,
            &l.manifest_sha256,
            &l.payment_id,
            &l.programme,
            &l.service_month,
            &l.payee_kind,
            &l.payee_id,
            &l.beneficiary_id,
            &l.amount,
            &l.status,
            &l.status_reason,
            &l.acknowledged,
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, Month};

    fn line(id: &str, month_key: &str, group: &str, month: &str, basis: [i64; 5]) -> Line {
        Line {
            payment_id: id.into(),
            month_key: month_key.into(),
            si_basis: basis,
            row_fp: 0,
            limit_group: group.into(),
            programme: "si_hardship_hire",
            clause: String::new(),
            service_month: Month::parse(month).ok(),
            payee_kind: "employer",
            payee_id: "91320505MA1X00000X".into(),
            payee_name: String::new(),
            beneficiary_id: "320505195801010089".into(),
            amount: Money::from_cents(100),
            basis: String::new(),
            eligibility: String::new(),
            params: "".into(),
            sources: String::new(),
            bank_code: None,
            account_no: None,
            reference: String::new(),
        }
    }

    fn key(n: u32) -> String {
        format!("DSB{n:024X}")
    }

    // Ledgers opened by development builds of 2026-12-01's evening (a review of the change: the
    // next build failed every run on them): `acknowledged` keyed by payment id alone, and
    // `flexible_seen` refusing a row seen unpaid, are made again as SCHEMA has them, rows kept.
    #[test]
    fn tables_of_the_evenings_development_builds_are_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        drop(Ledger::open(&path).unwrap());
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "DROP TABLE acknowledged; DROP TABLE flexible_seen;
                 CREATE TABLE acknowledged (payment_id TEXT PRIMARY KEY, reason TEXT NOT NULL);
                 INSERT INTO acknowledged VALUES ('DSB1', 'gone');
                 INSERT INTO runs (pipeline, payout_month, state, manifest_sha256, inputs_sha256)
                 VALUES ('suzhou', '2018-09', 'current', 'm', 'i');
                 INSERT INTO held_lines (run_id, payment_id, month_key, programme, service_month,
                 payee_kind, payee_id, beneficiary_id, amount_cents, code)
                 VALUES (1, 'DSB1', 'DSB1', 'si_hardship_hire', '2018-09', 'employer', 'e', 'b',
                 100, 'PAYEE_NO_ACCOUNT');
                 CREATE TABLE flexible_seen (run_id INTEGER NOT NULL, person_id TEXT NOT NULL,
                 period TEXT NOT NULL, insurance TEXT NOT NULL, paid_cents INTEGER NOT NULL
                 CHECK (paid_cents > 0), PRIMARY KEY (run_id, person_id, period, insurance));
                 INSERT INTO flexible_seen VALUES (1, 'p', '2018-04', 'pension', 80000);",
            )
            .unwrap();
        }
        let l = Ledger::open(&path).unwrap();
        let ack: (i64, String) = l
            .conn
            .query_row("SELECT run_id, reason FROM acknowledged", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(ack, (1, "gone".to_string()));
        l.conn
            .execute(
                "INSERT INTO flexible_seen VALUES (1, 'p', '2018-05', 'pension', 0)",
                [],
            )
            .unwrap();
        let rows: i64 = l
            .conn
            .query_row("SELECT COUNT(*) FROM flexible_seen", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2);
    }

    // OUTPUTS.md: a run that did not complete “wrote nothing under final names”: the ledger a
    // failed run made is removed — only that file (a review: an operator who moved the real
    // ledger to the path meanwhile, as the new-ledger warning asks, lost it), and never one a
    // run was recorded to.
    #[test]
    fn a_failed_runs_new_ledger_is_removed_but_only_that_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        let mut l = Ledger::open(&path).unwrap();
        l.discard_if_unused();
        drop(l);
        assert!(!path.exists(), "the unused new ledger is removed");

        let mut l = Ledger::open(&path).unwrap();
        l.discard_if_unused();
        let real = dir.path().join("real.sqlite");
        drop(Ledger::open(&real).unwrap());
        std::fs::rename(&real, &path).unwrap();
        drop(l);
        assert!(path.exists(), "the ledger put there meanwhile is kept");
        Ledger::open(&path).unwrap();
    }

    /// The history read from the lines, the snapshots left as they were.
    fn full_read(l: &Ledger, pipeline: &str, payout: &str) -> History {
        let saved: Vec<(String, String, Vec<u8>)> = {
            let mut st = l
                .conn
                .prepare("SELECT pipeline, runs, data FROM history_snapshots")
                .unwrap();
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap();
            rows.collect::<Result<_, _>>().unwrap()
        };
        l.conn.execute("DELETE FROM history_snapshots", []).unwrap();
        let (h, from_snapshot) = l.history_read(pipeline, payout).unwrap();
        assert!(!from_snapshot);
        for (p, r, d) in saved {
            l.conn
                .execute(
                    "INSERT INTO history_snapshots (pipeline, runs, data) VALUES (?1, ?2, ?3)",
                    params![p, r, d],
                )
                .unwrap();
        }
        h
    }

    // A ledger whose runs.placed allows only 0 and 1 (development builds of 2026-12-02) is
    // made to allow 2 when opened, its values kept (a regression hunt: every re-run failed).
    #[test]
    fn a_placed_column_without_its_third_value_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        drop(Ledger::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "ALTER TABLE runs DROP COLUMN placed;
             ALTER TABLE runs ADD COLUMN placed INTEGER NOT NULL DEFAULT 1 CHECK (placed IN (0, 1));
             INSERT INTO runs (pipeline, payout_month, state, manifest_sha256, inputs_sha256, placed)
             VALUES ('suzhou', '2018-08', 'current', 'm', 'i', 0),
                    ('suzhou', '2018-09', 'current', 'm', 'i', 1);",
        )
        .unwrap();
        drop(c);
        let l = Ledger::open(&path).unwrap();
        let placed: Vec<i64> = l
            .conn
            .prepare("SELECT placed FROM runs ORDER BY run_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(placed, vec![0, 1]);
        assert_eq!(l.unplace_current("suzhou", "2018-09").unwrap(), Some(2));
    }

    fn snapshots(l: &Ledger) -> i64 {
        l.conn
            .query_row("SELECT COUNT(*) FROM history_snapshots", [], |r| r.get(0))
            .unwrap()
    }

    fn record(l: &mut Ledger, pipeline: &str, month: &str, lines: &[Line]) -> bool {
        let (before, from_snapshot) = l.history_read(pipeline, month).unwrap();
        // the history a run is computed on, whichever way it was read, is the lines' history
        assert_eq!(before, full_read(l, pipeline, month), "{pipeline} {month}");
        if let Some(id) = l
            .record_when(
                pipeline,
                month,
                "",
                (lines, &[]),
                Some((before, &[])),
                || Some("sha".into()),
            )
            .unwrap()
        {
            l.placed(id).unwrap();
        }
        from_snapshot
    }

    // An auditor's read-only copy (a folder they cannot write: no `-shm` can be made) is read
    // as an immutable file: the URI must name the same file whatever its path holds (a
    // space, `#`, `?`, `%`, Chinese). (Run as root, the tests cannot make the folder
    // unwritable: the fallback's connection is tested here, the refusal by hand.)
    #[test]
    fn a_ledger_copy_is_read_as_an_immutable_file_at_any_path() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("审计 a#b?c%d");
        std::fs::create_dir(&sub).unwrap();
        let path = sub.join("账本 1.sqlite");
        let mut l = Ledger::open(&path).unwrap();
        let a = line("DSB1", "k1", "g", "2018-09", [100, 0, 0, 0, 0]);
        record(&mut l, "suzhou", "2018-09", &[a]);
        drop(l);
        assert!(
            !sub.join("账本 1.sqlite-wal").exists(),
            "a closed ledger leaves no WAL"
        );
        let c = open_immutable(&path).unwrap();
        let runs: i64 = c
            .query_row("SELECT COUNT(*) FROM lines", [], |r| r.get(0))
            .unwrap();
        assert_eq!(runs, 1);
        assert_eq!(
            immutable_uri(Path::new("/a b/#?%/x")),
            "file:/a%20b/%23%3F%25/x?immutable=1"
        );
        let l = Ledger::open_read(&path).unwrap();
        assert_eq!(l.runs().unwrap().len(), 1);
    }

    #[test]
    fn a_ledger_of_another_format_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 INSERT INTO meta VALUES ('format_version', '99');",
            )
            .unwrap();
        }
        assert!(matches!(
            Ledger::open(&path),
            Err(LedgerError::Version(_, 99))
        ));
        let c = Connection::open(&path).unwrap();
        let tables: i64 = c
            .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        // only meta (and its primary key's index): nothing of this format written into it
        assert_eq!(tables, 2);
    }

    // Only a missing path makes a new ledger: an empty file (`: > ledger.sqlite`) or another
    // SQLite database is refused, untouched — taken for a new ledger, it would make every line
    // new and pay everything again.
    #[test]
    fn an_empty_file_or_a_foreign_database_is_not_taken_for_a_new_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.sqlite");
        std::fs::write(&empty, b"").unwrap();
        match Ledger::open(&empty) {
            Err(LedgerError::Refused(m)) => assert!(m.contains("empty file"), "{m}"),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("an empty file was opened as a ledger"),
        }
        assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
        let foreign = dir.path().join("other.sqlite");
        Connection::open(&foreign)
            .unwrap()
            .execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
            .unwrap();
        match Ledger::open(&foreign) {
            Err(LedgerError::Refused(m)) => assert!(m.contains("not a disburse ledger"), "{m}"),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("another database was opened as a ledger"),
        }
        let tables: i64 = Connection::open(&foreign)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 1, "nothing of the ledger's schema written into it");
        // and left as it was: its mode, its journal (a review found it made 0600, in WAL)
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&foreign).unwrap().permissions().mode();
            assert_ne!(mode & 0o777, 0o600);
        }
        let journal: String = Connection::open(&foreign)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(journal, "delete");
        // a missing path is a new ledger, which opens again as one
        let new = dir.path().join("new.sqlite");
        drop(Ledger::open(&new).unwrap());
        drop(Ledger::open(&new).unwrap());
    }

    // A ledger whose loan lines an earlier build keyed by lending bank and borrower (no
    // `meta.loan_keys`) is refused: this build would pay them again. Without loan lines it is
    // marked checked and opens.
    #[test]
    fn a_ledger_with_loan_lines_of_the_earlier_keys_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (old, clean) = (
            dir.path().join("old.sqlite"),
            dir.path().join("clean.sqlite"),
        );
        for (path, group) in [(&old, "loan_interest"), (&clean, "si_hardship")] {
            let mut l = Ledger::open(path).unwrap();
            let before = l.history("suzhou", "2018-07").unwrap();
            let lines = [line(&key(1), &key(1), group, "2018-07", [0; 5])];
            if let Some(id) = l
                .record_when(
                    "suzhou",
                    "2018-07",
                    "",
                    (&lines, &[]),
                    Some((before, &[])),
                    || Some("sha".into()),
                )
                .unwrap()
            {
                l.placed(id).unwrap();
            }
            drop(l);
            let c = Connection::open(path).unwrap();
            c.execute("DELETE FROM meta WHERE key = 'loan_keys'", [])
                .unwrap();
        }
        match Ledger::open(&old) {
            Err(LedgerError::Refused(m)) => assert!(m.contains("keyed by an earlier build"), "{m}"),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("a ledger with loan lines of the earlier keys was opened"),
        }
        drop(Ledger::open(&clean).unwrap());
        let c = Connection::open(&clean).unwrap();
        let v: String = c
            .query_row("SELECT value FROM meta WHERE key = 'loan_keys'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(v, "loan_id");
    }

    // Loan marks through the ledger: a run's snapshot moves loan L's mark over its paid
    // instalments 1 and 2 (keys 41, 42; 43 withheld stops it) and holds their keys no more.
    // Read back, the history answers for them as the lines do — paid, through the mark — and
    // counts as many months paid before (summary.json's figure) as a read of the lines.
    #[test]
    fn folded_instalments_answer_paid_through_the_mark() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let loan = |n: u32| line(&key(n), &key(n), "loan_interest", "2018-07", [0; 5]);
        let k = |n: u32| compact(&key(n)).unwrap();
        let before = l.history("suzhou", "2018-07").unwrap();
        let progress = [LoanProgress {
            loan: 7,
            pre: 0,
            from: 0,
            keys: vec![k(41), k(42), k(43)],
        }];
        if let Some(id) = l
            .record_when(
                "suzhou",
                "2018-07",
                "",
                (&[loan(41), loan(42), loan(50)], &[]),
                Some((before, &progress)),
                || Some("sha".into()),
            )
            .unwrap()
        {
            l.placed(id).unwrap();
        }
        let (h, from_snapshot) = l.history_read("suzhou", "2018-08").unwrap();
        assert!(from_snapshot);
        let lines = full_read(&l, "suzhou", "2018-08");
        assert_eq!(
            (h.loan_mark(7), lines.loan_mark(7)),
            (
                history::Mark {
                    pre: 0,
                    paid: 2,
                    fp: None
                },
                history::Mark::default()
            )
        );
        assert_eq!((h.len(), lines.len()), (3, 3));
        for n in [41, 42] {
            // not held in the snapshot's history: only the mark answers for them
            assert!(matches!(h.seen_key(k(n)), Seen::New));
            assert!(matches!(h.instalment_seen(7, n - 40, k(n)), Seen::Paid(_)));
            assert!(matches!(
                lines.instalment_seen(7, n - 40, k(n)),
                Seen::Paid(_)
            ));
        }
        // past the mark both answer from the keys: 43 was never recorded, 50 was
        assert!(matches!(h.instalment_seen(7, 3, k(43)), Seen::New));
        assert!(matches!(h.instalment_seen(8, 1, k(50)), Seen::Paid(_)));
        assert!(matches!(lines.instalment_seen(8, 1, k(50)), Seen::Paid(_)));
    }

    // The snapshot written with a run gives exactly the history that reading every line gives,
    // month after month (each run computed on the snapshot of the one before): SI months with
    // their basis and top-ups, usage and yearly counts, loan instalments as bare keys, a loan
    // line returned as failed and paid again, a month key not of the payment-id form; and it
    // is not read when it does not hold exactly the runs to read or a line has changed.
    #[test]
    fn snapshot_is_the_history_the_lines_give() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        let hardship = |id: u32, month_key: u32, month: &str, basis: [i64; 5]| {
            line(&key(id), &key(month_key), "si_hardship", month, basis)
        };
        let loan = |id: u32, month_key: u32| {
            line(
                &key(id),
                &key(month_key),
                "loan_interest",
                "2018-07",
                [0; 5],
            )
        };
        // 2018-07: the first run reads no snapshot
        let jul = vec![
            hardship(1, 1, "2018-06", [100, 0, 5, 0, 0]),
            loan(2, 2),
            loan(3, 3),
            line(&key(9), "X-1", "si_hardship", "", [1, 0, 0, 0, 0]),
        ];
        assert!(!record(&mut l, "suzhou", "2018-07", &jul));
        // the bank returns loan line 2 as failed: the snapshot is dropped, the change counted
        l.reconcile(&[(key(2), false, "account closed".into())])
            .unwrap();
        assert_eq!(snapshots(&l), 0);
        // 2018-08 reads the lines; pays line 2 again (its retry) and a top-up of month 1
        let aug = vec![
            hardship(6, 6, "2018-07", [7, 0, 0, 0, 0]),
            hardship(11, 1, "2018-06", [20, 0, 0, 0, 0]),
            loan(12, 2),
            loan(4, 4),
        ];
        assert!(!record(&mut l, "suzhou", "2018-08", &aug));
        // 2018-09 and 2018-10 read the snapshot of the run before
        assert!(record(
            &mut l,
            "suzhou",
            "2018-09",
            &[hardship(5, 5, "2019-01", [1; 5])]
        ));
        assert!(record(&mut l, "suzhou", "2018-10", &[loan(7, 7)]));
        let (h, from_snapshot) = l.history_read("suzhou", "2018-11").unwrap();
        assert!(from_snapshot);
        assert_eq!(h, full_read(&l, "suzhou", "2018-11"));
        assert_eq!(h.runs, vec![1, 2, 3, 4]);
        assert!(matches!(h.seen(&key(1)), Seen::Paid(e) if e.lines == 2 && e.basis[0] == 120));
        assert!(matches!(h.seen(&key(2)), Seen::Paid(e) if e.lines == 2 && e.failed.is_none()));
        assert!(matches!(h.seen(&key(7)), Seen::Paid(_)));
        assert!(matches!(h.seen("X-1"), Seen::Paid(_)));
        assert_eq!(
            h.usage("si_hardship", "320505195801010089")
                .map(|u| u.months),
            Some(3)
        );
        // proof that the snapshot is what is read: a line slipped into a run without a
        // trigger is not seen through it
        l.conn
            .execute(
                "INSERT INTO lines (run_id, payment_id, month_key, limit_group, programme, service_month,
                     payee_kind, payee_id, beneficiary_id, amount_cents, basis, status)
                 VALUES (4, ?1, ?1, 'loan_interest', 'loan_interest', '2018-10', 'bank', 'b', 'p', 1, '', 'sent')",
                [key(8)],
            )
            .unwrap();
        let (h, _) = l.history_read("suzhou", "2018-11").unwrap();
        assert!(matches!(h.seen(&key(8)), Seen::New));
        assert!(matches!(
            full_read(&l, "suzhou", "2018-11").seen(&key(8)),
            Seen::Paid(_)
        ));
        l.conn
            .execute("DELETE FROM lines WHERE payment_id = ?1", [key(8)])
            .unwrap();
        // a re-run of 2018-10 reads runs 1..3: not the snapshot of runs 1..4; it writes its own
        assert!(!record(&mut l, "suzhou", "2018-10", &[loan(7, 7)]));
        let (h, from_snapshot) = l.history_read("suzhou", "2018-11").unwrap();
        assert!(from_snapshot);
        assert_eq!(h.runs, vec![1, 2, 3, 5]);
        // another pipeline keeps its own snapshot; a rolled-back run leaves the last one
        assert!(!record(&mut l, "jinan", "2018-10", &[loan(30, 30)]));
        assert_eq!(snapshots(&l), 2);
        let before = l.history("suzhou", "2018-11").unwrap();
        assert_eq!(
            l.record_when(
                "suzhou",
                "2018-11",
                "",
                (&[loan(31, 31)], &[]),
                Some((before, &[])),
                || None
            )
            .unwrap(),
            None
        );
        assert!(l.history_read("suzhou", "2018-11").unwrap().1);
        // the bank confirms a line (`final`): the history is the same, the snapshot stays
        l.reconcile(&[(key(7), true, String::new())]).unwrap();
        let (h, from_snapshot) = l.history_read("suzhou", "2018-11").unwrap();
        assert!(from_snapshot);
        assert_eq!(h, full_read(&l, "suzhou", "2018-11"));
        // a line changed after the history was read: the run writes no snapshot
        let before = l.history("suzhou", "2018-11").unwrap();
        l.conn
            .execute(
                "UPDATE lines SET basis = '1,0,0,0,0' WHERE payment_id = ?1",
                [key(7)],
            )
            .unwrap();
        assert_eq!(snapshots(&l), 0);
        if let Some(id) = l
            .record_when(
                "suzhou",
                "2018-11",
                "",
                (&[loan(32, 32)], &[]),
                Some((before, &[])),
                || Some("sha".into()),
            )
            .unwrap()
        {
            l.placed(id).unwrap();
        }
        assert_eq!(snapshots(&l), 0);
        assert!(!l.history_read("suzhou", "2018-12").unwrap().1);
    }
}
