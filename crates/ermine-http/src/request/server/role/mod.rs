//! `/servers/{server}/roles`.

pub mod create;
pub mod delete;
pub mod edit;
pub mod fetch;
