//! `disburse` turns a Chinese city's monthly employment-subsidy extracts into payments.
//!
//! The data's path through the crate:
//! [`ingest`] (read, decode, validate) → [`registers`] (registers, joins, derived facts) →
//! [`programmes`] (one module per programme code) → [`outputs`] (payments, exceptions,
//! summary, manifest). [`pipeline`] holds the dated policy parameters; [`run`] ties a run
//! together. See `docs/` for the policy reading, formats and exception codes.

pub mod domain;
pub mod exceptions;
pub mod gen;
pub mod ingest;
pub mod ledger;
pub mod outputs;
pub mod pipeline;
pub mod programmes;
pub mod registers;
pub mod run;
