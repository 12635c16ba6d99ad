//! `/servers/{server}/roles`.

pub mod fetch;
