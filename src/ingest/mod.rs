//! Ingest: read, decode and validate the six input files into typed rows (INPUTS.md).

pub mod decode;
pub mod fill;
pub mod records;
pub mod table;

pub use records::*;
pub use table::{read_table, IngestError, Table};
