//! Schemas and typed rows of the six input files (INPUTS.md). Each `parse_*` function turns
//! one CSV row into a typed value or a reject; references to the registers are resolved here,
//! once, to dense indexes.

use super::table::{opt as optional, req, Column, Reject, Row};
use crate::domain::{parse_date, CreditCode, Date, Money, Month, ResidentId};
use crate::exceptions::Code;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::Arc;

/// Resolves resident IDs and credit codes to register indexes.
pub trait Lookup: Sync {
    fn person(&self, id: &ResidentId) -> Option<u32>;
    fn employer(&self, id: &CreditCode) -> Option<u32>;
    /// The line and code of the rejected persons.csv row with this ID, if one was rejected:
    /// what a row referring to it is told to correct.
    fn rejected_person(&self, _id: &ResidentId) -> Option<(u32, Code)> {
        None
    }
    /// As `rejected_person`, for employers.csv.
    fn rejected_employer(&self, _id: &CreditCode) -> Option<(u32, Code)> {
        None
    }
}

fn resident_id(row: &Row, i: usize) -> Result<ResidentId, Reject> {
    row.parse(i, Code::BadResidentId, ResidentId::parse)
}

fn credit_code(row: &Row, i: usize) -> Result<CreditCode, Reject> {
    row.parse(i, Code::BadCreditCode, CreditCode::parse)
}

fn date(row: &Row, i: usize) -> Result<Date, Reject> {
    row.parse(i, Code::BadDate, parse_date)
}

fn opt_date(row: &Row, i: usize) -> Result<Option<Date>, Reject> {
    row.parse_opt(i, Code::BadDate, parse_date)
}

/// Amounts in the extracts are never negative: a refund or correction arrives as a corrected
/// row, not as a negative one (a negative amount would silently net against others).
fn non_negative_cents(v: &str) -> Result<i64, String> {
    let c = crate::domain::money::parse_cents(v)?;
    // (“-0.00” too: a sign has no place in these amounts)
    if c < 0 || v.starts_with('-') {
        return Err(format!(
            "{v:?} is negative; amounts in the extracts must be ≥ 0"
        ));
    }
    Ok(c)
}

fn money(row: &Row, i: usize) -> Result<Money, Reject> {
    row.parse(i, Code::BadMoney, non_negative_cents)
        .map(Money::from_cents)
}

fn yes_no(row: &Row, i: usize) -> Result<bool, Reject> {
    row.parse(i, Code::BadCode, |v| match v {
        "Y" => Ok(true),
        "N" => Ok(false),
        _ => Err(format!("{v:?} is not Y or N")),
    })
}

fn code<T: Copy>(row: &Row, i: usize, table: &[(&str, T)]) -> Result<T, Reject> {
    row.parse(i, Code::BadCode, |v| lookup_code(v, table))
}

fn lookup_code<T: Copy>(v: &str, table: &[(&str, T)]) -> Result<T, String> {
    table
        .iter()
        .find(|(k, _)| *k == v)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let known: Vec<&str> = table.iter().map(|(k, _)| *k).collect();
            format!("{v:?} is not one of {}", known.join(", "))
        })
}

/// Bank codes and account numbers are kept as text: their usability is judged when paying
/// (a payee without a usable account is held, not rejected).
fn text_opt(row: &Row, i: usize) -> Option<String> {
    row.opt(i).map(str::to_string)
}

fn cnaps(v: &str) -> Result<String, String> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(v.to_string())
    } else {
        // (masked: an account number in the wrong column is not written out in full)
        Err(format!(
            "{:?} is not a 12-digit CNAPS bank code",
            crate::outputs::payments::mask_numbers(v)
        ))
    }
}

fn check_order(a: Date, b: Option<Date>, what: &str) -> Result<(), Reject> {
    match b {
        Some(b) if b < a => Err(Reject::new(
            Code::BadDate,
            format!("{what}: {b} is before {a}"),
        )),
        _ => Ok(()),
    }
}

fn known_person(l: &dyn Lookup, id: ResidentId, col: &str) -> Result<u32, Reject> {
    l.person(&id).ok_or_else(|| {
        Reject::new(
            Code::UnknownPerson,
            match l.rejected_person(&id) {
                Some((line, code)) => format!(
                    "{col} {} is on persons.csv:{line}, which was rejected ({}): correct that row and run the month again; a later month's run pays this row only if its extract holds it again (no run keeps a rejected row)",
                    id.masked(),
                    code.as_str()
                ),
                None => format!("{col} {} is not in persons.csv", id.masked()),
            },
        )
    })
}

fn known_employer(l: &dyn Lookup, id: CreditCode, col: &str) -> Result<u32, Reject> {
    l.employer(&id).ok_or_else(|| {
        Reject::new(
            Code::UnknownEmployer,
            match l.rejected_employer(&id) {
                Some((line, code)) => format!(
                    "{col} {id} is on employers.csv:{line}, which was rejected ({}): correct that row and run the month again; a later month's run pays this row only if its extract holds it again (no run keeps a rejected row)",
                    code.as_str()
                ),
                None => format!("{col} {id} is not in employers.csv"),
            },
        )
    })
}

// ---------------------------------------------------------------------------------------------
// persons.csv

pub mod hardship_category {
    //! Bits of the declared hardship facts (`hardship_categories`).
    pub const DIBAO: u16 = 1 << 0;
    pub const HARDSHIP_WORKER_FAMILY: u16 = 1 << 1;
    pub const ZERO_EMPLOYMENT_FAMILY: u16 = 1 << 2;
    pub const DISABLED: u16 = 1 << 3;
    pub const VETERAN: u16 = 1 << 4;
    pub const ENTITLED_FAMILY: u16 = 1 << 5;
    pub const MILITARY_SPOUSE: u16 = 1 << 6;
    pub const DIBAO_EDGE_ILLNESS: u16 = 1 << 7;
    pub const LAND_EXPROPRIATED: u16 = 1 << 8;

    pub const CODES: &[(&str, u16)] = &[
        ("dibao", DIBAO),
        ("hardship_worker_family", HARDSHIP_WORKER_FAMILY),
        ("zero_employment_family", ZERO_EMPLOYMENT_FAMILY),
        ("disabled", DISABLED),
        ("veteran", VETERAN),
        ("entitled_family", ENTITLED_FAMILY),
        ("military_spouse", MILITARY_SPOUSE),
        ("dibao_edge_illness", DIBAO_EDGE_ILLNESS),
        ("land_expropriated", LAND_EXPROPRIATED),
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Education {
    University,
    Technician,
    Other,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PersonRow {
    pub line: u32,
    pub id: ResidentId,
    pub name: String,
    pub hukou_local: bool,
    pub registered_unemployed_on: Option<Date>,
    pub categories: u16,
    pub graduation_date: Option<Date>,
    pub education: Education,
    pub hardship_family_graduate: bool,
    pub bank_code: Option<String>,
    pub account_no: Option<String>,
}

pub const PERSONS: &[Column] = &[
    req("person_id"),
    req("name"),
    req("hukou_local"),
    req("registered_unemployed_on"),
    req("hardship_categories"),
    req("graduation_date"),
    req("education"),
    req("hardship_family_graduate"),
    // (payee details: a register whose persons are paid nothing may leave them out — INPUTS.md
    // marks them optional; a run says so, `COLUMN_ABSENT`, and any line to such a payee is held
    // `PAYEE_NO_ACCOUNT`. The other optional values keep their columns: an empty contract_end
    // is an open-ended contract, an empty paid_on arrears — a column missing is no such fact)
    optional("bank_code"),
    optional("account_no"),
];

pub fn parse_person(row: &Row) -> Result<PersonRow, Reject> {
    let mut categories = 0u16;
    if let Some(v) = row.opt(4) {
        for c in v.split(';') {
            categories |= lookup_code(c, hardship_category::CODES)
                .map_err(|e| Reject::new(Code::BadCode, format!("hardship_categories: {e}")))?;
        }
    }
    Ok(PersonRow {
        line: row.line,
        id: resident_id(row, 0)?,
        name: row.req(1)?.to_string(),
        hukou_local: yes_no(row, 2)?,
        registered_unemployed_on: opt_date(row, 3)?,
        categories,
        graduation_date: opt_date(row, 5)?,
        education: code(
            row,
            6,
            &[
                ("university", Education::University),
                ("technician", Education::Technician),
                ("other", Education::Other),
            ],
        )?,
        hardship_family_graduate: yes_no(row, 7)?,
        bank_code: text_opt(row, 8),
        account_no: text_opt(row, 9),
    })
}

/// A parsed input row: its physical line, and whether another row of its file says the same
/// (a repeated key is harmless when the rows agree, `registers::dedup`).
pub trait Record: Clone + PartialEq {
    fn line(&self) -> u32;
    fn line_mut(&mut self) -> &mut u32;

    /// The same fields, whatever the lines.
    fn same_as(&self, other: &Self) -> bool {
        let mut o = other.clone();
        *o.line_mut() = self.line();
        *self == o
    }
}

macro_rules! record {
    ($($t:ty),*) => {$(
        impl Record for $t {
            fn line(&self) -> u32 {
                self.line
            }
            fn line_mut(&mut self) -> &mut u32 {
                &mut self.line
            }
        }
    )*};
}
record!(
    PersonRow,
    EmployerRow,
    EmploymentRow,
    ContributionRow,
    InternshipRow,
    LoanRow
);

// ---------------------------------------------------------------------------------------------
// employers.csv

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    Micro,
    Small,
    Medium,
    Large,
}

impl Size {
    /// 小微企业 = micro or small.
    pub fn is_small_micro(self) -> bool {
        matches!(self, Size::Micro | Size::Small)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmployerKind {
    Enterprise,
    IndividualBusiness,
    SocialOrg,
    PublicBody,
}

impl EmployerKind {
    /// The kind as a message names it, with its article and the texts' term.
    pub fn described(self) -> &'static str {
        match self {
            EmployerKind::Enterprise => "an enterprise (企业)",
            EmployerKind::IndividualBusiness => "an individual business (个体工商户)",
            EmployerKind::SocialOrg => "a social organisation (社会组织)",
            EmployerKind::PublicBody => "a public body (机关事业单位)",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EmployerRow {
    pub line: u32,
    pub id: CreditCode,
    pub name: String,
    pub size: Size,
    pub kind: EmployerKind,
    pub founded_on: Date,
    pub founder_id: Option<ResidentId>,
    pub staffing_agency: bool,
    pub region: u32,
    pub bank_code: Option<String>,
    pub account_no: Option<String>,
}

pub const EMPLOYERS: &[Column] = &[
    req("employer_id"),
    req("name"),
    req("size"),
    req("kind"),
    req("founded_on"),
    req("founder_id"),
    req("staffing_agency"),
    req("region"),
    optional("bank_code"),
    optional("account_no"),
];

pub fn parse_employer(row: &Row, l: &dyn Lookup) -> Result<EmployerRow, Reject> {
    Ok(EmployerRow {
        line: row.line,
        id: credit_code(row, 0)?,
        name: row.req(1)?.to_string(),
        size: code(
            row,
            2,
            &[
                ("micro", Size::Micro),
                ("small", Size::Small),
                ("medium", Size::Medium),
                ("large", Size::Large),
            ],
        )?,
        kind: code(
            row,
            3,
            &[
                ("enterprise", EmployerKind::Enterprise),
                ("individual_business", EmployerKind::IndividualBusiness),
                ("social_org", EmployerKind::SocialOrg),
                ("public_body", EmployerKind::PublicBody),
            ],
        )?,
        founded_on: date(row, 4)?,
        founder_id: match row.parse_opt(5, Code::BadResidentId, ResidentId::parse)? {
            Some(f) => {
                known_person(l, f, "founder_id")?;
                Some(f)
            }
            None => None,
        },
        staffing_agency: yes_no(row, 6)?,
        region: row.parse(7, Code::BadCode, |v| {
            if v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()) {
                v.parse()
                    .map_err(|_| format!("{v:?} is not a division code"))
            } else {
                Err(format!("{v:?} is not a 6-digit division code"))
            }
        })?,
        bank_code: text_opt(row, 8),
        account_no: text_opt(row, 9),
    })
}

// ---------------------------------------------------------------------------------------------
// employment.csv

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Post {
    Regular,
    PublicWelfare,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EmploymentRow {
    pub line: u32,
    pub person: u32,
    pub employer: u32,
    pub contract_start: Date,
    pub contract_end: Option<Date>,
    pub post: Post,
    pub ended_on: Option<Date>,
    /// The first day of the employment this contract continues: its own start, or, for a
    /// renewal, the first contract's of its chain (`registers::renewal_chains`; set when the
    /// registers are built).
    pub hired_on: Date,
}

impl EmploymentRow {
    /// Whether the contract renews an earlier one (its employment began before it).
    pub fn is_renewal(&self) -> bool {
        self.hired_on < self.contract_start
    }

    /// Last day of actual employment under the contract, if bounded.
    pub fn last_day(&self) -> Option<Date> {
        match (self.contract_end, self.ended_on) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the contract is in force on some day of month `m`.
    pub fn in_force_in(&self, m: crate::domain::Month) -> bool {
        self.in_force_between(m.first_day(), m.last_day())
    }

    /// Whether the contract is in force on some day of `from..=to`.
    pub fn in_force_between(&self, from: Date, to: Date) -> bool {
        self.contract_start <= to && self.last_day().is_none_or(|d| d >= from)
    }
}

pub const EMPLOYMENT: &[Column] = &[
    req("person_id"),
    req("employer_id"),
    req("contract_start"),
    req("contract_end"),
    req("post"),
    req("ended_on"),
];

pub fn parse_employment(row: &Row, l: &dyn Lookup) -> Result<EmploymentRow, Reject> {
    let person = known_person(l, resident_id(row, 0)?, "person_id")?;
    let employer = known_employer(l, credit_code(row, 1)?, "employer_id")?;
    let contract_start = date(row, 2)?;
    let contract_end = opt_date(row, 3)?;
    check_order(contract_start, contract_end, "contract_end")?;
    let ended_on = opt_date(row, 5)?;
    check_order(contract_start, ended_on, "ended_on")?;
    // INPUTS.md: “actual end if the job ended early” — not after the contract's end (a later
    // date was silently cut to contract_end)
    if let (Some(end), Some(ended)) = (contract_end, ended_on) {
        if ended > end {
            return Err(Reject::new(
                Code::BadDate,
                format!("ended_on: {ended} is after contract_end {end} (ended_on is the actual end of a job that ended early; an extended contract needs its new contract_end)"),
            ));
        }
    }
    Ok(EmploymentRow {
        line: row.line,
        person,
        employer,
        contract_start,
        contract_end,
        post: code(
            row,
            4,
            &[
                ("regular", Post::Regular),
                ("public_welfare", Post::PublicWelfare),
            ],
        )?,
        ended_on,
        hired_on: contract_start,
    })
}

// ---------------------------------------------------------------------------------------------
// contributions.csv

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Insurance {
    Pension = 0,
    Medical = 1,
    Unemployment = 2,
    Injury = 3,
    Maternity = 4,
}

impl Insurance {
    pub const ALL: [Insurance; 5] = [
        Insurance::Pension,
        Insurance::Medical,
        Insurance::Unemployment,
        Insurance::Injury,
        Insurance::Maternity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Insurance::Pension => "pension",
            Insurance::Medical => "medical",
            Insurance::Unemployment => "unemployment",
            Insurance::Injury => "injury",
            Insurance::Maternity => "maternity",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContributionRow {
    pub line: u32,
    pub person: u32,
    /// `None` = paid by the person as a flexible worker
    pub employer: Option<u32>,
    pub period: Month,
    pub insurance: Insurance,
    pub base_cents: i64,
    pub employer_cents: i64,
    pub personal_cents: i64,
    pub paid_on: Option<Date>,
}

pub const CONTRIBUTIONS: &[Column] = &[
    req("person_id"),
    req("employer_id"),
    req("period"),
    req("insurance"),
    req("base"),
    req("employer_amount"),
    req("personal_amount"),
    req("paid_on"),
];

pub fn parse_contribution(row: &Row, l: &dyn Lookup) -> Result<ContributionRow, Reject> {
    let person = known_person(l, resident_id(row, 0)?, "person_id")?;
    let employer = match row.opt(1) {
        None => None,
        Some(_) => Some(known_employer(l, credit_code(row, 1)?, "employer_id")?),
    };
    let cents = |i| row.parse(i, Code::BadMoney, non_negative_cents);
    Ok(ContributionRow {
        line: row.line,
        person,
        employer,
        period: row.parse(2, Code::BadMonth, Month::parse)?,
        insurance: code(
            row,
            3,
            &[
                ("pension", Insurance::Pension),
                ("medical", Insurance::Medical),
                ("unemployment", Insurance::Unemployment),
                ("injury", Insurance::Injury),
                ("maternity", Insurance::Maternity),
            ],
        )?,
        base_cents: cents(4)?,
        employer_cents: cents(5)?,
        personal_cents: cents(6)?,
        paid_on: opt_date(row, 7)?,
    })
}

// ---------------------------------------------------------------------------------------------
// internships.csv

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ongoing,
    Completed,
    Retained,
    LeftEarly,
}

#[derive(Clone, Debug, PartialEq)]
pub struct InternshipRow {
    pub line: u32,
    pub placement_id: String,
    pub person: u32,
    pub host: u32,
    /// (a mentor the person register has: INPUTS.md rejects a row whose reference to a person
    /// is not in the registers, or whose resident ID has a wrong check character)
    pub mentor: Option<ResidentId>,
    pub start_date: Date,
    pub planned_end: Date,
    pub left_on: Option<Date>,
    pub monthly_stipend: Money,
    pub outcome: Outcome,
}

pub const INTERNSHIPS: &[Column] = &[
    req("placement_id"),
    req("person_id"),
    req("host_id"),
    req("mentor_id"),
    req("start_date"),
    req("planned_end"),
    req("left_on"),
    req("monthly_stipend"),
    req("outcome"),
];

pub fn parse_internship(row: &Row, l: &dyn Lookup) -> Result<InternshipRow, Reject> {
    let person = known_person(l, resident_id(row, 1)?, "person_id")?;
    let host = known_employer(l, credit_code(row, 2)?, "host_id")?;
    let start_date = date(row, 4)?;
    let planned_end = date(row, 5)?;
    check_order(start_date, Some(planned_end), "planned_end")?;
    let left_on = opt_date(row, 6)?;
    check_order(start_date, left_on, "left_on")?;
    let mentor = row.parse_opt(3, Code::BadResidentId, ResidentId::parse)?;
    if let Some(m) = mentor {
        known_person(l, m, "mentor_id")?;
    }
    Ok(InternshipRow {
        line: row.line,
        placement_id: row.id(0)?.to_string(),
        person,
        host,
        mentor,
        start_date,
        planned_end,
        left_on,
        monthly_stipend: money(row, 7)?,
        outcome: code(
            row,
            8,
            &[
                ("ongoing", Outcome::Ongoing),
                ("completed", Outcome::Completed),
                ("retained", Outcome::Retained),
                ("left_early", Outcome::LeftEarly),
            ],
        )?,
    })
}

// ---------------------------------------------------------------------------------------------
// loan_repayments.csv

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Borrower {
    Person(u32),
    Employer(u32),
}

pub const BORROWER_GROUPS: &[(&str, &str)] = &[
    ("graduate", "graduate"),
    ("student", "student"),
    ("registered_unemployed", "registered_unemployed"),
    ("veteran", "veteran"),
    ("farmer", "farmer"),
    ("released_prisoner", "released_prisoner"),
    ("decapacity_worker", "decapacity_worker"),
    ("online_merchant", "online_merchant"),
    ("poverty_registered", "poverty_registered"),
    ("sme_job_creator", "sme_job_creator"),
    ("other", "other"),
];

/// One instalment row. The loan's own fields (columns `loan_id` … `term_months`, the same on
/// every instalment of a loan) are parsed once per loan and shared: a row reads them through
/// `Deref` (`row.loan_id`, `row.principal`), which keeps a 36-instalment book at a third of
/// the memory a row with its own copies would take.
#[derive(Clone, Debug, PartialEq)]
pub struct LoanRow {
    pub line: u32,
    pub head: Arc<LoanHead>,
    pub instalment_no: u32,
    pub accrual_start: Date,
    pub accrual_end: Date,
    pub due_date: Date,
    pub interest_due: Money,
    pub principal_due: Money,
    pub paid_on: Option<Date>,
}

impl std::ops::Deref for LoanRow {
    type Target = LoanHead;
    fn deref(&self) -> &LoanHead {
        &self.head
    }
}

/// The loan's own fields, as written on its instalment rows.
#[derive(Debug, PartialEq)]
pub struct LoanHead {
    pub loan_id: Arc<str>,
    pub borrower: Borrower,
    pub borrower_group: &'static str,
    pub lender_bank: Arc<str>,
    pub principal: Money,
    pub annual_rate: Decimal,
    pub start_date: Date,
    pub term_months: u32,
}

pub const LOANS: &[Column] = &[
    req("loan_id"),
    req("borrower_id"),
    req("borrower_kind"),
    req("borrower_group"),
    req("lender_bank"),
    req("principal"),
    req("annual_rate"),
    req("start_date"),
    req("term_months"),
    req("instalment_no"),
    req("accrual_start"),
    req("accrual_end"),
    req("due_date"),
    req("interest_due"),
    req("principal_due"),
    req("paid_on"),
];

fn positive_int(v: &str) -> Result<u32, String> {
    if !v.is_empty() && v.len() <= 6 && v.bytes().all(|b| b.is_ascii_digit()) {
        match v.parse::<u32>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("{v:?} is not a positive whole number")),
        }
    } else if v.len() > 6 && v.bytes().all(|b| b.is_ascii_digit()) {
        Err(format!("{v:?} is too large (at most 6 digits)"))
    } else {
        Err(format!("{v:?} is not a positive whole number"))
    }
}

fn rate(v: &str) -> Result<Decimal, String> {
    // digits, or digits, a point and digits (“.0435” and “0.” are not written so: as money's)
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match v.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(v),
    };
    if !ok {
        return Err(format!(
            "{v:?} is not a rate written as a decimal such as 0.0435"
        ));
    }
    let d = Decimal::from_str(v).map_err(|e| format!("{v:?}: {e}"))?;
    if d >= Decimal::ONE {
        return Err(format!("{v} is not a rate as a decimal (0.0435 = 4.35%)"));
    }
    Ok(d)
}

fn parse_loan_head(row: &Row, l: &dyn Lookup) -> Result<LoanHead, Reject> {
    let kind = code(row, 2, &[("individual", false), ("enterprise", true)])?;
    // an ID of the other kind is named as such, not as a bad check character
    let mismatch = |what: &str, kind: &str| {
        Reject::new(
            Code::BadCode,
            format!("borrower_id is {what} but borrower_kind is {kind}"),
        )
    };
    let borrower = if kind {
        let code = match credit_code(row, 1) {
            Err(_) if ResidentId::parse(row.raw(1)).is_ok() => {
                return Err(mismatch("a resident ID", "enterprise"))
            }
            r => r?,
        };
        Borrower::Employer(known_employer(l, code, "borrower_id")?)
    } else {
        let id = match resident_id(row, 1) {
            Err(_) if CreditCode::parse(row.raw(1)).is_ok() => {
                return Err(mismatch("a credit code", "individual"))
            }
            r => r?,
        };
        Borrower::Person(known_person(l, id, "borrower_id")?)
    };
    // (a loan of 0.00 is no loan: its rows were used without a word — a cold review)
    let principal = money(row, 5)?;
    if !principal.is_positive() {
        return Err(Reject::new(
            Code::BadMoney,
            format!("principal: {principal} is no loan (a loan's principal is above 0)"),
        ));
    }
    Ok(LoanHead {
        loan_id: Arc::from(row.id(0)?),
        borrower,
        borrower_group: code(row, 3, BORROWER_GROUPS)?,
        lender_bank: Arc::from(row.parse(4, Code::BadCode, cnaps)?.as_str()),
        principal,
        annual_rate: row.parse(6, Code::BadNumber, rate)?,
        start_date: date(row, 7)?,
        term_months: row.parse(8, Code::BadNumber, positive_int)?,
    })
}

thread_local! {
    /// The raw text of the last loan head parsed on this thread, and its value: instalment
    /// rows of one loan follow each other, so a loan's identity, borrower look-up, amounts and
    /// dates are parsed once per loan, not once per instalment (a 36-instalment book reads
    /// several times faster). The cache is keyed on the exact raw text, so a row that differs
    /// in any of these fields is parsed (and judged) on its own.
    static LAST_HEAD: std::cell::RefCell<HeadCache> =
        const { std::cell::RefCell::new(HeadCache { generation: 0, text: String::new(), ends: [0; 9], head: None }) };
}

/// Raw text of fields 0..=8 (concatenated, `ends` marking where each stops) and its value,
/// valid for one reading of the loan file (`generation`: the registers it was judged against).
struct HeadCache {
    generation: u64,
    text: String,
    ends: [usize; 9],
    head: Option<Arc<LoanHead>>,
}

static LOAN_READING: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Starts a new reading of a loan file and returns its token for `parse_loan`: heads cached
/// by other readings (against other registers) are never reused.
pub fn new_loan_reading() -> u64 {
    LOAN_READING.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
}

pub fn parse_loan(row: &Row, l: &dyn Lookup, reading: u64) -> Result<LoanRow, Reject> {
    let head = LAST_HEAD.with(|cell| -> Result<Arc<LoanHead>, Reject> {
        let mut c = cell.borrow_mut();
        if c.generation != reading {
            c.head = None;
            c.generation = reading;
        }
        if let Some(h) = &c.head {
            let same = match row.leading::<9>() {
                // the usual layout: one comparison of the nine fields' text and their ends
                Some((text, ends)) => text == c.text && ends == c.ends,
                None => (0..=8).all(|i| {
                    let from = if i == 0 { 0 } else { c.ends[i - 1] };
                    c.text.get(from..c.ends[i]) == Some(row.raw(i))
                }),
            };
            if same {
                return Ok(h.clone());
            }
        }
        c.head = None;
        let h = Arc::new(parse_loan_head(row, l)?);
        c.text.clear();
        for i in 0..=8 {
            c.text.push_str(row.raw(i));
            c.ends[i] = c.text.len();
        }
        c.head = Some(h.clone());
        Ok(h)
    })?;
    let accrual_start = date(row, 10)?;
    let accrual_end = date(row, 11)?;
    check_order(accrual_start, Some(accrual_end), "accrual_end")?;
    Ok(LoanRow {
        line: row.line,
        head,
        instalment_no: row.parse(9, Code::BadNumber, positive_int)?,
        accrual_start,
        accrual_end,
        due_date: date(row, 12)?,
        interest_due: money(row, 13)?,
        principal_due: money(row, 14)?,
        paid_on: opt_date(row, 15)?,
    })
}

#[cfg(test)]
mod tests {
    /// Rates as INPUTS.md writes them (“0.0435”): “.0435” and “0.” are refused as money's “.5”
    /// and “5.” are; a sign on an amount, “-0.00” included, is refused.
    #[test]
    fn rates_and_amounts_are_written_one_way() {
        assert!(super::rate("0.0435").is_ok());
        assert!(super::rate(".0435").is_err());
        assert!(super::rate("0.").is_err());
        assert!(super::rate("0").is_ok());
        assert!(super::non_negative_cents("-0.00").is_err());
        assert_eq!(super::non_negative_cents("0.00"), Ok(0));
    }
}
