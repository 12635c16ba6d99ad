//! `/servers/{server}/bans`.

pub mod create;
pub mod list;
pub mod remove;
