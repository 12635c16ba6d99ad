//! `/safety`.

pub mod report;

pub use report::ReportContent;
