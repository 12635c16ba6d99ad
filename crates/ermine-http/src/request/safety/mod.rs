//! `/safety`.

pub mod report;
