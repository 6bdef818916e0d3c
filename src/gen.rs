//! Synthetic cities for tests and benchmarks: `disburse gen-fixtures`.
//!
//! Deterministic for a seed (its own SplitMix64 generator, no global state). The city has
//! `persons` employed insured persons with 5 contribution rows each for one service month
//! (mostly the payout month, some the month before, some unpaid or paid late), plus 5 %
//! flexible workers paying pension and medical, employers, labour contracts, internships and
//! loan instalments. A share `bad_share` of contribution rows is made invalid in one of
//! several ways (check character, month, money, code, field count), so that the reject path
//! is exercised at scale. The population is shaped so that every contribution-fed programme
//! has candidates: hardship persons of several categories, near misses, graduates.

use crate::domain::{add_years, credit_code, resident_id, Date, Month};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub struct Config {
    pub persons: u32,
    /// guaranteed loans of 36 instalments each
    pub loans: u32,
    /// write every loan's whole schedule, instalments not yet due included (INPUTS.md's
    /// extract holds only those due or paid in or before the payout month)
    pub full_schedule: bool,
    /// one loan in 20 to a small or micro enterprise (`sme_job_creator`): only for a pipeline
    /// that sets the enterprise share (Jiangyin), or a bureau's file that does — Suzhou's and
    /// Jinan's texts leave it to the published standard, and a run that meets such a loan stops
    pub enterprise_loans: bool,
    pub payout: Month,
    pub seed: u64,
    pub bad_share: f64,
}

/// SplitMix64: small, fast, and the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

const AREAS: [&str; 8] = [
    "320505", "320506", "320507", "320508", "320509", "320581", "320582", "340104",
];
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CATEGORIES: [&str; 9] = [
    "dibao",
    "hardship_worker_family",
    "zero_employment_family",
    "disabled",
    "veteran",
    "entitled_family",
    "military_spouse",
    "dibao_edge_illness",
    "land_expropriated",
];
/// employer share of each insurance in per-mille of the base, personal share
const RATES: [(&str, i64, i64); 5] = [
    ("pension", 160, 80),
    ("medical", 80, 20),
    ("unemployment", 5, 5),
    ("injury", 4, 0),
    ("maternity", 8, 0),
];

fn day(d: Date, days: i64) -> Date {
    d.checked_add_signed(chrono::Duration::days(days))
        .unwrap_or(d)
}

/// Sex of person number `i`: a function of `i` alone, so other files can name the person.
fn is_female(i: u64) -> bool {
    Rng(i).next() & 1 == 0
}

/// Resident ID for person number `i` (unique for i < 8 × 14,600 × 500).
fn person_id(i: u64) -> (String, Date) {
    let female = is_female(i);
    let birth = day(
        Date::from_ymd_opt(1958, 1, 1).unwrap_or(Date::MIN),
        (i % 14_600) as i64,
    );
    let area = AREAS[((i / 14_600) % 8) as usize];
    let seq = (i / (14_600 * 8)) % 500;
    // 17th digit: odd = male, even = female
    let seq = seq * 2 + u64::from(!female);
    let body = format!("{area}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
    let check = resident_id::check_char(body.as_bytes()) as char;
    (format!("{body}{check}"), birth)
}

fn employer_id(i: u64) -> String {
    let mut org = [b'0'; 9];
    let mut v = i + 1;
    for slot in org.iter_mut().rev() {
        *slot = CHARSET[(v % 31) as usize];
        v /= 31;
    }
    let body = format!(
        "91320505{}",
        std::str::from_utf8(&org).unwrap_or("000000000")
    );
    let check = credit_code::check_char(body.as_bytes()).unwrap_or(b'0') as char;
    format!("{body}{check}")
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Writes the six input files of a synthetic city into `out`.
pub fn generate(out: &Path, c: &Config) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let mut rng = Rng(c.seed ^ 0x5EED_D15B_u64);
    let open = |name: &str| -> std::io::Result<BufWriter<File>> {
        Ok(BufWriter::with_capacity(
            1 << 20,
            File::create(out.join(name))?,
        ))
    };
    let p = c.payout;
    let p_first = p.first_day();
    let n = u64::from(c.persons);
    let flexible = n / 20;
    let n_employers = (n / 20).max(10);

    // employers
    let mut w = open("employers.csv")?;
    writeln!(w, "employer_id,name,size,kind,founded_on,founder_id,staffing_agency,region,bank_code,account_no")?;
    let mut small = Vec::with_capacity(n_employers as usize);
    for e in 0..n_employers {
        let size = ["micro", "small", "small", "medium", "large"][rng.below(5) as usize];
        small.push(size == "micro" || size == "small");
        let kind = if e % 97 == 0 {
            "public_body"
        } else {
            "enterprise"
        };
        let founded = day(
            Date::from_ymd_opt(2000, 1, 1).unwrap_or(Date::MIN),
            rng.below(6000) as i64,
        );
        let agency = if rng.chance(0.02) { "Y" } else { "N" };
        let (bank, acct) = if rng.chance(0.98) {
            (
                format!("1023050{:05}", e % 100_000),
                format!("3205{:012}", e),
            )
        } else {
            (String::new(), String::new())
        };
        writeln!(
            w,
            "{},单位{e},{size},{kind},{founded},,{agency},320505,{bank},{acct}",
            employer_id(e)
        )?;
    }
    w.flush()?;

    let mut persons = open("persons.csv")?;
    writeln!(persons, "person_id,name,hukou_local,registered_unemployed_on,hardship_categories,graduation_date,education,hardship_family_graduate,bank_code,account_no")?;
    let mut employment = open("employment.csv")?;
    writeln!(
        employment,
        "person_id,employer_id,contract_start,contract_end,post,ended_on"
    )?;
    let mut contrib = open("contributions.csv")?;
    writeln!(
        contrib,
        "person_id,employer_id,period,insurance,base,employer_amount,personal_amount,paid_on"
    )?;
    let mut interns = open("internships.csv")?;
    writeln!(interns, "placement_id,person_id,host_id,mentor_id,start_date,planned_end,left_on,monthly_stipend,outcome")?;

    for i in 0..n + flexible {
        let (pid, _birth) = person_id(i);
        let local = rng.chance(0.75);
        let is_flexible = i >= n;
        // contract start within the last three years
        let start = day(p_first, -(rng.below(1_000) as i64));
        let hardshipish = rng.chance(0.08);
        let registered = if hardshipish || rng.chance(0.05) {
            day(start, -(rng.below(700) as i64) + 10).to_string()
        } else {
            String::new()
        };
        let cats = if hardshipish && rng.chance(0.6) {
            CATEGORIES[rng.below(9) as usize].to_string()
        } else {
            String::new()
        };
        let graduate = !hardshipish && rng.chance(0.06);
        let grad_date = if graduate {
            day(start, -(rng.below(500) as i64)).to_string()
        } else {
            String::new()
        };
        let edu = if graduate { "university" } else { "other" };
        let (bank, acct) = if rng.chance(0.97) {
            ("102305000011".to_string(), format!("6222{:012}", i))
        } else {
            (String::new(), String::new())
        };
        writeln!(
            persons,
            "{pid},人员{i},{},{registered},{cats},{grad_date},{edu},N,{bank},{acct}",
            if local { "Y" } else { "N" }
        )?;

        // service month: mostly the payout month, some the month before
        let period = if rng.chance(0.8) {
            p
        } else {
            Month::from_index(p.index() - 1)
        };
        let paid = match rng.below(100) {
            0..=1 => String::new(),                                       // unpaid
            2 => day(p.last_day(), 1 + rng.below(20) as i64).to_string(), // paid late
            _ => day(period.first_day(), 5 + rng.below(20) as i64)
                .min(p.last_day())
                .to_string(),
        };
        let base = (3_000 + rng.below(17_000) as i64) * 100;
        if is_flexible {
            for (ins, emp, pers) in RATES.iter().take(2) {
                let row = format!(
                    "{pid},,{period},{ins},{},0.00,{},{paid}",
                    money(base),
                    money(base * (pers + emp) / 1000)
                );
                write_row(&mut contrib, &row, c.bad_share, &mut rng)?;
            }
            continue;
        }
        let e = rng.below(n_employers);
        let eid = employer_id(e);
        let end = match rng.below(10) {
            0..=2 => String::new(),
            3 => day(add_years(start, 1), -2).to_string(), // under one year
            _ => day(add_years(start, 1 + rng.below(3) as i32), -1).to_string(),
        };
        let post = if hardshipish && rng.chance(0.1) {
            "public_welfare"
        } else {
            "regular"
        };
        writeln!(employment, "{pid},{eid},{start},{end},{post},")?;
        for (ins, emp, pers) in RATES {
            let row = format!(
                "{pid},{eid},{period},{ins},{},{},{},{paid}",
                money(base),
                money(base * emp / 1000),
                money(base * pers / 1000)
            );
            write_row(&mut contrib, &row, c.bad_share, &mut rng)?;
        }
        if graduate && i % 10 == 0 {
            let s = day(p_first, -(rng.below(200) as i64));
            writeln!(
                interns,
                "PL{i},{pid},{eid},,{s},{},,2200.00,ongoing",
                day(add_years(s, 1), -1)
            )?;
        }
    }
    persons.flush()?;
    employment.flush()?;
    contrib.flush()?;
    interns.flush()?;

    // guaranteed start-up loans: `loans` loans of 36 monthly instalments each, started 1 to 36
    // months before the payout month, so that every loan has one instalment falling due in
    // it. As INPUTS.md has it, the extract holds the instalments that fell due or were paid
    // in or before the payout month (`full_schedule` writes the later ones too, not yet due
    // and unpaid: a bank that sends its whole schedule, the worst case for reading). Interest
    // is the banks' own arithmetic (outstanding × rate × days / 360, to the cent), so it
    // checks.
    let mut loans = open("loan_repayments.csv")?;
    writeln!(loans, "loan_id,borrower_id,borrower_kind,borrower_group,lender_bank,principal,annual_rate,start_date,term_months,instalment_no,accrual_start,accrual_end,due_date,interest_due,principal_due,paid_on")?;
    const GROUPS: [&str; 5] = [
        "graduate",
        "registered_unemployed",
        "veteran",
        "farmer",
        "other",
    ];
    const PRINCIPALS: [i64; 6] = [50_000, 100_000, 200_000, 300_000, 500_000, 600_000];
    const LOAN_RATES: [(&str, i64); 4] = [
        ("0.0435", 435),
        ("0.0500", 500),
        ("0.0600", 600),
        ("0.0800", 800),
    ];
    let end_p = p.last_day();
    let mut line = String::with_capacity(200);
    for l in 0..u64::from(c.loans) {
        let (borrower, kind, group) = if c.enterprise_loans && l % 20 == 0 {
            (
                employer_id(rng.below(n_employers)),
                "enterprise",
                "sme_job_creator",
            )
        } else {
            let g = GROUPS[rng.below(5) as usize];
            (person_id(rng.below(n.max(1))).0, "individual", g)
        };
        let principal = PRINCIPALS[rng.below(6) as usize] * 100; // cents
        let (rate_text, rate_bp) = LOAN_RATES[rng.below(4) as usize];
        let k = 1 + rng.below(36) as i32;
        let start_month = Month::from_index(p.index() - k);
        let start = Date::from_ymd_opt(
            start_month.year(),
            start_month.month(),
            1 + rng.below(28) as u32,
        )
        .unwrap_or(start_month.first_day());
        // 94 % always on time, 3 % one instalment late, 3 % stop paying at some instalment
        let fate = rng.below(100);
        let odd = 1 + rng.below(36) as u32;
        let each = principal / 36;
        let mut outstanding = principal;
        for j in 1..=36u32 {
            let from = start
                .checked_add_months(chrono::Months::new(j - 1))
                .unwrap_or(start);
            let due = start
                .checked_add_months(chrono::Months::new(j))
                .unwrap_or(start);
            let to = day(due, -1);
            let days = (to - from).num_days() + 1;
            // outstanding (cents) × rate (1/10000) × days / 360, half away from zero
            let num = i128::from(outstanding) * i128::from(rate_bp) * i128::from(days);
            let den: i128 = 10_000 * 360;
            let interest = ((num * 2 + den) / (den * 2)) as i64;
            let principal_due = if j == 36 { outstanding } else { each };
            if due > end_p && !c.full_schedule {
                break; // not due in the extract month: not in the extract
            }
            let paid = if due > end_p || (fate >= 97 && j >= odd) {
                String::new()
            } else if fate >= 94 && j == odd {
                day(due, 5).to_string()
            } else {
                due.to_string()
            };
            line.clear();
            use std::fmt::Write as _;
            let _ = write!(
                line,
                "L{l:07},{borrower},{kind},{group},102305000011,{},{rate_text},{start},36,{j},{from},{to},{due},{},{},{paid}",
                money(principal),
                money(interest),
                money(principal_due)
            );
            writeln!(loans, "{line}")?;
            outstanding -= principal_due;
        }
    }
    loans.flush()?;
    Ok(())
}

/// Writes `row`, or with probability `bad` a damaged copy of it.
fn write_row(w: &mut impl Write, row: &str, bad: f64, rng: &mut Rng) -> std::io::Result<()> {
    if bad <= 0.0 || !rng.chance(bad) {
        return writeln!(w, "{row}");
    }
    let mut fields: Vec<String> = row.split(',').map(str::to_string).collect();
    match rng.below(5) {
        0 => {
            // wrong resident-ID check character
            let f = &mut fields[0];
            let last = f.pop().unwrap_or('0');
            f.push(if last == '1' { '2' } else { '1' });
        }
        1 => fields[2] = fields[2].replace('-', "/"), // bad month
        2 => fields[5] = "1.5E3".into(),              // scientific notation
        3 => fields[3] = "housing_fund".into(),       // unknown insurance
        _ => fields.push("extra".into()),             // wrong number of fields
    }
    writeln!(w, "{}", fields.join(","))
}
