//! Registers (persons, employers, labour contracts) and the joins the programmes read.
//!
//! Loading order matters: the registers come first so that every extract row's references
//! resolve to dense indexes while it is parsed; a reference that does not resolve is a reject.

pub mod derive;

use crate::domain::{CreditCode, Date, ResidentId};
use crate::exceptions::{Code, Exception};
use crate::ingest::{self, records::*, IngestError, Table};
use crate::pipeline::Pipeline;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// The persons, employers and labour contracts of the run.
#[derive(Default)]
pub struct Registers {
    pub persons: Vec<PersonRow>,
    pub employers: Vec<EmployerRow>,
    pub employment: Vec<EmploymentRow>,
    person_index: FxHashMap<ResidentId, u32>,
    employer_index: FxHashMap<CreditCode, u32>,
    /// employment row indexes by person, in file order
    employment_by_person: FxHashMap<u32, Vec<u32>>,
    /// employment row indexes in renewal-chain order (`renewal_chains`)
    chain_order: Vec<u32>,
    /// rejected register rows whose ID could be read: (line, code)
    rejected_persons: FxHashMap<ResidentId, (u32, Code)>,
    rejected_employers: FxHashMap<CreditCode, (u32, Code)>,
}

impl Lookup for Registers {
    fn person(&self, id: &ResidentId) -> Option<u32> {
        self.person_index.get(id).copied()
    }
    fn employer(&self, id: &CreditCode) -> Option<u32> {
        self.employer_index.get(id).copied()
    }
    fn rejected_person(&self, id: &ResidentId) -> Option<(u32, Code)> {
        self.rejected_persons.get(id).copied()
    }
    fn rejected_employer(&self, id: &CreditCode) -> Option<(u32, Code)> {
        self.rejected_employers.get(id).copied()
    }
}

/// The rejected rows of `file` among `rejects` whose key `key` gives, by key: the first
/// such row's line and code.
fn rejected_rows<K: std::hash::Hash + Eq>(
    rejects: &[Exception],
    file: &str,
    key: impl Fn(&Exception) -> Option<K>,
) -> FxHashMap<K, (u32, Code)> {
    let mut m = FxHashMap::default();
    for x in rejects {
        if let (Some((f, line)), Some(k)) = (&x.source, key(x)) {
            if f == file {
                // (the earliest rejected row of the key, whatever order the rejects came in)
                m.entry(k)
                    .and_modify(|e: &mut (u32, Code)| {
                        if *line < e.0 {
                            *e = (*line, x.code)
                        }
                    })
                    .or_insert((*line, x.code));
            }
        }
    }
    m
}

impl Registers {
    /// The register indexes of a person and an employer given by their IDs as written (a
    /// ledger's memory of earlier runs), if both are valid and in the registers.
    pub fn person_and_employer(&self, person: &str, employer: &str) -> Option<(u32, u32)> {
        let p = self.person_by_id(person)?;
        Some((p, self.employer_by_id(employer)?))
    }

    /// The register index of an employer given by its credit code as written, if valid and in
    /// the registers.
    pub fn employer_by_id(&self, employer: &str) -> Option<u32> {
        Lookup::employer(self, &CreditCode::parse(employer).ok()?)
    }

    /// The register index of a person given by their ID as written, if valid and in the
    /// registers.
    pub fn person_by_id(&self, person: &str) -> Option<u32> {
        Lookup::person(self, &ResidentId::parse(person).ok()?)
    }

    pub fn person(&self, i: u32) -> &PersonRow {
        &self.persons[i as usize]
    }

    pub fn employer(&self, i: u32) -> &EmployerRow {
        &self.employers[i as usize]
    }

    /// The labour contracts in renewal-chain order: each chain's contracts together, by start
    /// (the first of a chain is the one that is no renewal).
    pub fn chain_order(&self) -> &[u32] {
        &self.chain_order
    }

    /// Labour contracts of a person.
    pub fn employment_of(&self, person: u32) -> impl Iterator<Item = &EmploymentRow> {
        self.employment_by_person
            .get(&person)
            .into_iter()
            .flatten()
            .map(|&i| &self.employment[i as usize])
    }
}

/// The last day employment under a run of contracts has reached (`None`: an open-ended contract
/// reaches every later day) — the renewal rule of `renewal_chains`: a contract starting no
/// later than the day after it continues the run.
#[derive(Clone, Copy, Debug)]
pub struct Reach(pub Option<Date>);

impl Reach {
    /// The reach of contract `e` alone.
    pub fn of(e: &EmploymentRow) -> Self {
        Reach(e.last_day())
    }

    /// Whether a contract starting on `start` continues the run.
    pub fn joins(self, start: Date) -> bool {
        self.0
            .is_none_or(|r| r.succ_opt().is_none_or(|next| start <= next))
    }

    /// The run's reach once it takes in a contract whose last day is `last`.
    pub fn extend(&mut self, last: Option<Date>) {
        self.0 = match (self.0, last) {
            (None, _) | (_, None) => None,
            (Some(a), Some(b)) => Some(a.max(b)),
        };
    }
}

/// Sets each labour contract's `hired_on`: a contract that renews an earlier one — same
/// person, employer and kind of post (a public-welfare post's chain is its own), starting no
/// later than the day after the last day employment under the chain so far has reached — has
/// the first day of the chain's first contract; any other, its own start. Returns the
/// contracts in chain order (each chain's contracts together, by start, then line).
///
/// One walk serves every reading of “the hire” a renewal continues: the hire programmes'
/// contract length and hire date (（七）, 吴政发 three-year count), Jiangyin's job creators'
/// 当年新招用, the district targets' year of the hire.
fn renewal_chains(employment: &mut [EmploymentRow]) -> Vec<u32> {
    let key = |e: &EmploymentRow| {
        (
            e.person,
            e.employer,
            e.post == crate::ingest::records::Post::PublicWelfare,
            e.contract_start,
            e.line,
        )
    };
    let mut order: Vec<u32> = (0..employment.len() as u32).collect();
    order.sort_unstable_by_key(|&i| key(&employment[i as usize]));
    // (person, employer, public-welfare post): whose contracts chain
    type Key = (u32, u32, bool);
    // (the chain's first day, and the last day employment under it has reached)
    let mut chain: Option<(Key, Date, Reach)> = None;
    for &i in &order {
        let e = &mut employment[i as usize];
        let (person, employer, welfare, _, _) = key(e);
        let k = (person, employer, welfare);
        match &mut chain {
            Some((ck, first, reach)) if *ck == k && reach.joins(e.contract_start) => {
                e.hired_on = e.contract_start.min(*first);
                reach.extend(e.last_day());
            }
            _ => chain = Some((k, e.contract_start, Reach::of(e))),
        }
    }
    order
}

/// Rows read / used / rejected for one input file.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FileStats {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub encoding: String,
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    /// the optional columns its header does not have (INPUTS.md's payee details of a register
    /// whose persons or employers are paid nothing: every value absent); in summary.json's
    /// inputs only when there are some (`run::header_exceptions`, `outputs::summary::input_counts`)
    pub absent: Vec<&'static str>,
    /// the header's names that map onto no column (said beside an absent one: a misspelt
    /// header is likelier than a register without the details)
    pub unmapped: Vec<String>,
    /// columns headed by a pipeline alias beside the canonical name's column: (column,
    /// alias), each said `COLUMN_IGNORED`
    pub ignored: Vec<(&'static str, String)>,
}

/// Everything read from the input folder.
pub struct Inputs {
    pub registers: Registers,
    pub contributions: Vec<ContributionRow>,
    pub internships: Vec<InternshipRow>,
    /// empty, and the loan file's counts and rejects absent from `stats` and `rejects`, until
    /// `add_loans` where the inputs came from `load_but_loans` (`run::compute` reads the file
    /// beside the programmes that need no loans and adds it before any output is written)
    pub loans: Vec<LoanRow>,
    pub stats: Vec<FileStats>,
    pub rejects: Vec<Exception>,
    /// (person, employer — `u32::MAX` for a flexible worker's own rows —, service month) of
    /// the months with contribution rows of one key that differ (all rejected, DUPLICATE_KEY),
    /// sorted: whether such a month was paid in full cannot be told
    pub disputed: Vec<(u32, u32, crate::domain::Month)>,
    /// the same keys of the months with a contribution row rejected as unusable (a bad date,
    /// amount or insurance, a field too many, a misquote; the key from `Row::identify`),
    /// sorted: whether such a month was paid in full cannot be told either
    pub unreadable: Vec<(u32, u32, crate::domain::Month)>,
    /// the input files read, in reading order
    pub files: Vec<PathBuf>,
}

/// The input files, in reading order.
pub const FILES: [&str; 6] = [
    "persons",
    "employers",
    "employment",
    "contributions",
    "internships",
    "loan_repayments",
];

/// Checks the pipeline's `[input]` section: file names and header alias targets must be the
/// contract's (a misspelt one would silently not apply).
pub fn check_input_spec(p: &Pipeline) -> Result<(), String> {
    for f in p.input_files() {
        if !FILES.contains(&f) {
            return Err(format!(
                "input.files.{f}: not an input file (the files: {})",
                FILES.join(", ")
            ));
        }
    }
    let columns = [
        PERSONS,
        EMPLOYERS,
        EMPLOYMENT,
        CONTRIBUTIONS,
        INTERNSHIPS,
        LOANS,
    ];
    for (alias, target) in p.header_aliases() {
        if !columns.iter().any(|s| s.iter().any(|c| c.name == target)) {
            return Err(format!(
                "header alias {alias:?} maps onto {target:?}, which is no column of the input contract"
            ));
        }
    }
    Ok(())
}

/// Reads and validates the six input files of `dir`.
pub fn load(dir: &Path, pipeline: &Pipeline) -> Result<Inputs, IngestError> {
    let (mut inputs, loans) = load_but_loans(dir, pipeline)?;
    let loans = loans.read(&inputs.registers)?;
    inputs.add_loans(loans);
    Ok(inputs)
}

/// The loan file of an input folder, to be read once the registers are: `run` reads it while
/// the SI and internship programmes run (the loan programmes need nothing else of the inputs,
/// and those programmes leave a core idle at times — docs/PERFORMANCE.md).
pub struct LoanFile {
    dir: PathBuf,
    spec: crate::pipeline::FileSpec,
}

/// The loan file read: its rows, its rejected rows and its counts, for `Inputs::add_loans`.
pub struct LoanTable {
    pub rows: Vec<LoanRow>,
    pub rejects: Vec<Exception>,
    pub stats: FileStats,
}

impl LoanFile {
    /// Reads and validates the loan file against the registers (borrowers).
    pub fn read(&self, reg: &Registers) -> Result<LoanTable, IngestError> {
        let reading = crate::ingest::records::new_loan_reading();
        let mut loans = ingest::read_table(&self.dir, "loan_repayments", &self.spec, LOANS, |r| {
            parse_loan(r, reg, reading)
        })?;
        dedup(
            &mut loans,
            |l| (l.loan_id.clone(), l.instalment_no),
            |l| {
                dup(format!(
                    "instalment {} of loan {} appears twice",
                    l.instalment_no, l.loan_id
                ))
            },
        );
        let (rows, rejects, stats) = split(loans);
        Ok(LoanTable {
            rows,
            rejects,
            stats,
        })
    }
}

impl Inputs {
    /// Adds the loan file, read last (`load_but_loans`): its counts and rejected rows follow
    /// the other files', as the reading order has them.
    pub fn add_loans(&mut self, t: LoanTable) {
        self.loans = t.rows;
        self.rejects.extend(t.rejects);
        self.stats.push(t.stats);
    }
}

/// Reads and validates the input files of `dir` but the loan file, which is left to be read
/// against the registers (`LoanFile::read`, then `Inputs::add_loans`). A missing file of the six
/// fails here, before any is parsed.
pub fn load_but_loans(dir: &Path, pipeline: &Pipeline) -> Result<(Inputs, LoanFile), IngestError> {
    // fail fast, before any parsing, if a file is missing
    for stem in FILES {
        let p = dir.join(format!("{stem}.csv"));
        if let Err(e) = std::fs::metadata(&p) {
            return Err(IngestError::Missing(p.display().to_string(), e));
        }
    }
    let spec = |s: &str| pipeline.file_spec(s);
    let mut stats = Vec::new();
    let mut rejects = Vec::new();

    let mut reg = Registers::default();
    let mut persons = ingest::read_table(dir, "persons", &spec("persons"), PERSONS, parse_person)?;
    let twice = |p: &PersonRow| {
        dup(format!(
            "person_id {} appears twice in persons.csv",
            p.id.masked()
        ))
        .person(p.id)
    };
    twin_of_rejected(&mut persons, |p| p.id, |p| p.line, |x| x.person, twice);
    dedup(&mut persons, |p| p.id, twice);
    reg.persons = finish(persons, &mut stats, &mut rejects);
    reg.rejected_persons = rejected_rows(&rejects, "persons.csv", |x| x.person);
    reg.person_index = reg
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i as u32))
        .collect();

    let mut employers = ingest::read_table(dir, "employers", &spec("employers"), EMPLOYERS, |r| {
        parse_employer(r, &reg)
    })?;
    let twice = |e: &EmployerRow| {
        dup(format!(
            "employer_id {} appears twice in employers.csv",
            e.id
        ))
        .employer(e.id)
    };
    twin_of_rejected(&mut employers, |e| e.id, |e| e.line, |x| x.employer, twice);
    dedup(&mut employers, |e| e.id, twice);
    reg.employers = finish(employers, &mut stats, &mut rejects);
    reg.rejected_employers = rejected_rows(&rejects, "employers.csv", |x| x.employer);
    reg.employer_index = reg
        .employers
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i as u32))
        .collect();

    let mut employment =
        ingest::read_table(dir, "employment", &spec("employment"), EMPLOYMENT, |r| {
            parse_employment(r, &reg)
        })?;
    dedup(
        &mut employment,
        |e| (e.person, e.employer, e.contract_start),
        |e| {
            dup(format!(
                "a second labour contract row for the same person, employer and contract_start {}",
                e.contract_start
            ))
            .person(reg.persons[e.person as usize].id)
            .employer(reg.employers[e.employer as usize].id)
        },
    );
    let mut employment = finish(employment, &mut stats, &mut rejects);

    // (the renewal chains are walked — a sort of the contracts — while the contributions are
    // read)
    let (chain_order, contributions) = rayon::join(
        || renewal_chains(&mut employment),
        || {
            ingest::read_table(
                dir,
                "contributions",
                &spec("contributions"),
                CONTRIBUTIONS,
                |r| parse_contribution(r, &reg),
            )
        },
    );
    reg.chain_order = chain_order;
    let mut contributions = contributions?;
    let differing = dedup(
        &mut contributions,
        |c| {
            (
                c.person,
                c.employer.unwrap_or(u32::MAX),
                c.period,
                c.insurance,
            )
        },
        |c| {
            let x = dup(format!(
                "a second {} row for the same person, employer and period {}",
                c.insurance.as_str(),
                c.period
            ))
            .person(reg.persons[c.person as usize].id);
            match c.employer {
                Some(e) => x.employer(reg.employers[e as usize].id),
                None => x,
            }
        },
    );
    // the months of rows rejected as unusable (a bad value, a field too many, a misquote, the
    // other encoding) whose person, employer and period read (`Row::identify`; an employer
    // that does not read, as a flexible worker's own row)
    let mut unreadable: Vec<(u32, u32, crate::domain::Month)> = contributions
        .rejects
        .iter()
        .filter_map(|x| {
            let p = Lookup::person(&reg, x.person.as_ref()?)?;
            let e = match &x.employer {
                Some(c) => Lookup::employer(&reg, c)?,
                None => u32::MAX,
            };
            Some((p, e, x.period?))
        })
        .collect();
    unreadable.sort_unstable();
    unreadable.dedup();
    let contributions = finish(contributions, &mut stats, &mut rejects);
    let mut disputed: Vec<(u32, u32, crate::domain::Month)> = differing
        .into_iter()
        .map(|(p, e, m, _)| (p, e, m))
        .collect();
    disputed.sort_unstable();
    disputed.dedup();

    let mut internships =
        ingest::read_table(dir, "internships", &spec("internships"), INTERNSHIPS, |r| {
            parse_internship(r, &reg)
        })?;
    dedup(
        &mut internships,
        |i| i.placement_id.clone(),
        |i| {
            dup(format!("placement_id {} appears twice", i.placement_id))
                .person(reg.persons[i.person as usize].id)
                .employer(reg.employers[i.host as usize].id)
        },
    );
    let internships = finish(internships, &mut stats, &mut rejects);

    let mut by_person: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (i, e) in employment.iter().enumerate() {
        by_person.entry(e.person).or_default().push(i as u32);
    }
    reg.employment = employment;
    reg.employment_by_person = by_person;

    let loans = LoanFile {
        dir: dir.to_path_buf(),
        spec: spec("loan_repayments"),
    };
    let inputs = Inputs {
        registers: reg,
        contributions,
        internships,
        loans: Vec::new(),
        stats,
        rejects,
        disputed,
        unreadable,
        files: FILES.iter().map(|s| dir.join(format!("{s}.csv"))).collect(),
    };
    Ok((inputs, loans))
}

fn finish<T>(t: Table<T>, stats: &mut Vec<FileStats>, rejects: &mut Vec<Exception>) -> Vec<T> {
    let (rows, mut r, s) = split(t);
    stats.push(s);
    rejects.append(&mut r);
    rows
}

/// A file's rows, its rejected rows and its counts.
fn split<T>(mut t: Table<T>) -> (Vec<T>, Vec<Exception>, FileStats) {
    let stats = FileStats {
        file: t.file.clone(),
        bytes: t.bytes,
        sha256: t.sha256.clone(),
        encoding: t.encoding.as_str().into(),
        read: t.read,
        used: t.used(),
        rejected: t.rejects.len() as u64,
        absent: std::mem::take(&mut t.absent),
        unmapped: std::mem::take(&mut t.unmapped),
        ignored: std::mem::take(&mut t.ignored),
    };
    (t.rows, t.rejects, stats)
}

/// A DUPLICATE_KEY reject (its person and employer set by the caller where the row has them).
fn dup(message: String) -> Exception {
    Exception::new(Code::DuplicateKey, message)
}

/// Rejects a register row whose key another row of the file has, that row being rejected for
/// another reason (run before `dedup`): where one row of a key is unusable none is — a payee's
/// name and account are not taken from a twin that a correction of the other would silently
/// replace (a cold review found a person's or employer's account switched so, with no
/// `DUPLICATE_KEY` said), and the outcome does not hang on which of the two comes first (until
/// 2026-12-03 a valid first row was kept beside a rejected later one: a metamorphic review of
/// row order). References to the key name its earliest rejected row.
fn twin_of_rejected<T, K: std::hash::Hash + Eq>(
    t: &mut Table<T>,
    key: impl Fn(&T) -> K,
    line: impl Fn(&T) -> u32,
    key_of_reject: impl Fn(&Exception) -> Option<K>,
    msg: impl Fn(&T) -> Exception,
) {
    let rejected = rejected_rows(&t.rejects, &t.file, key_of_reject);
    if rejected.is_empty() {
        return;
    }
    let rows = std::mem::take(&mut t.rows);
    for r in rows {
        match rejected.get(&key(&r)) {
            Some(&(other, code)) => {
                let mut x = msg(&r);
                x.message.push_str(&format!(
                    " (line {other} has this key and was rejected {}: neither row is used until one is corrected or removed)",
                    code.as_str()
                ));
                t.rejects.push(x.at(&t.file, line(&r)));
            }
            None => t.rows.push(r),
        }
    }
}

/// Rejects the rows whose key another row of the file has. Rows of one key that say the same
/// (an extract sent with a row twice) are one: the first is kept, the others rejected. Rows of
/// one key that differ are all rejected — which of them is right, only the bureau knows, and
/// keeping the first would make the payments hang on the order of the rows (a metamorphic
/// review found a shuffled extract paying otherwise).
/// Gives the keys whose rows differ.
fn dedup<T: Record + Send + Sync, K: Ord + Send + Clone>(
    t: &mut Table<T>,
    key: impl Fn(&T) -> K + Sync,
    msg: impl Fn(&T) -> Exception,
) -> Vec<K> {
    let mut keys: Vec<(K, u32, usize)> = t
        .rows
        .par_iter()
        .enumerate()
        .map(|(i, r)| (key(r), r.line(), i))
        .collect();
    // extracts often come sorted by their key (a loan book by loan and instalment): sort only
    // when they are not
    if !keys
        .windows(2)
        .all(|w| (&w[0].0, w[0].1) <= (&w[1].0, w[1].1))
    {
        keys.par_sort_unstable_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    }
    // (row index, what the message adds), for the rows rejected
    let mut dups: Vec<(usize, String)> = Vec::new();
    let mut differing: Vec<K> = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let mut end = start + 1;
        while end < keys.len() && keys[end].0 == keys[start].0 {
            end += 1;
        }
        let group = &keys[start..end];
        start = end;
        if group.len() < 2 {
            continue;
        }
        // sorted by line, a run of equal keys starts with the first occurrence
        let first = &t.rows[group[0].2];
        if group[1..].iter().all(|g| t.rows[g.2].same_as(first)) {
            for g in &group[1..] {
                dups.push((
                    g.2,
                    format!(" (the same as line {}, which is kept)", group[0].1),
                ));
            }
        } else {
            differing.push(group[0].0.clone());
            let lines: Vec<String> = group.iter().map(|g| g.1.to_string()).collect();
            for g in group {
                dups.push((
                    g.2,
                    format!(
                        " (lines {} have this key and differ: none is used until the file holds one of them)",
                        lines.join(", ")
                    ),
                ));
            }
        }
    }
    if dups.is_empty() {
        return differing;
    }
    dups.sort_unstable_by_key(|d| d.0);
    let mut dups = dups.into_iter().peekable();
    let rows = std::mem::take(&mut t.rows);
    for (i, r) in rows.into_iter().enumerate() {
        match dups.next_if(|d| d.0 == i) {
            Some((_, note)) => {
                let mut x = msg(&r);
                x.message.push_str(&note);
                t.rejects.push(x.at(&t.file, r.line()));
            }
            None => t.rows.push(r),
        }
    }
    differing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::records::Post;

    fn d(s: &str) -> Date {
        crate::domain::parse_date(s).unwrap()
    }

    fn contract(
        line: u32,
        employer: u32,
        start: &str,
        end: Option<&str>,
        post: Post,
    ) -> EmploymentRow {
        EmploymentRow {
            line,
            person: 0,
            employer,
            contract_start: d(start),
            contract_end: end.map(d),
            post,
            ended_on: None,
            hired_on: d(start),
        }
    }

    #[test]
    fn renewals_carry_the_first_day_of_their_chain() {
        use Post::{PublicWelfare as W, Regular as R};
        let mut e = vec![
            // a chain in file order out of order: 2018-01-01..06-30, renewed 07-01 (the day
            // after), then 2020-07-01 open-ended after a year's gap: a new hire
            contract(2, 1, "2018-07-01", Some("2019-06-30"), R),
            contract(3, 1, "2018-01-01", Some("2018-06-30"), R),
            contract(4, 1, "2020-07-01", None, R),
            // a gap of one day (06-30 not covered): no renewal
            contract(5, 2, "2018-01-01", Some("2018-06-29"), R),
            contract(6, 2, "2018-07-01", None, R),
            // a public-welfare post with the first employer is a chain of its own
            contract(7, 1, "2018-07-01", None, W),
            // an open-ended contract reaches every later day; one inside an earlier longer one
            contract(8, 3, "2017-01-01", None, R),
            contract(9, 3, "2020-05-01", Some("2021-04-30"), R),
        ];
        let order = renewal_chains(&mut e);
        let hired: Vec<(u32, String, bool)> = e
            .iter()
            .map(|c| (c.line, c.hired_on.to_string(), c.is_renewal()))
            .collect();
        assert_eq!(
            hired,
            [
                (2, "2018-01-01".into(), true),
                (3, "2018-01-01".into(), false),
                (4, "2020-07-01".into(), false),
                (5, "2018-01-01".into(), false),
                (6, "2018-07-01".into(), false),
                (7, "2018-07-01".into(), false),
                (8, "2017-01-01".into(), false),
                (9, "2017-01-01".into(), true),
            ]
        );
        // chains together, by start: employer 1 regular (3, 2, 4), employer 1 welfare (7),
        // employer 2 (5, 6), employer 3 (8, 9)
        let lines: Vec<u32> = order.iter().map(|&i| e[i as usize].line).collect();
        assert_eq!(lines, [3, 2, 4, 7, 5, 6, 8, 9]);
    }
}
