//! Typed domain values, parsed once at the edge (ingest) and trusted everywhere after.
//!
//! Each type refuses what the contract calls invalid (see `shared/contract/INPUTS.md`):
//! a wrong check character, an impossible date, money with more than two decimals or in
//! scientific notation. Errors are plain sentences meant for the exception report.

pub mod credit_code;
pub mod date;
pub mod money;
pub mod month;
pub mod resident_id;

pub use credit_code::CreditCode;
pub use date::{add_months, add_years, age_on, birthday, parse_date, years_end, Date};
pub use money::Money;
pub use month::Month;
pub use resident_id::{mask_ids_in, ResidentId, Sex};

/// “1 year”, “2 years”: a count of years as a message says it.
pub fn years(n: impl std::fmt::Display + PartialEq<i32>) -> String {
    if n == 1 {
        format!("{n} year")
    } else {
        format!("{n} years")
    }
}
