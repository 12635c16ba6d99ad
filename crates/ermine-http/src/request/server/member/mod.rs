//! `/servers/{server}/members`.

pub mod edit;
pub mod fetch;
pub mod fetch_all;
pub mod kick;
pub mod query;
