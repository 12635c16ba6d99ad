//! `/servers/{server}`: the server itself, its roles, members and bans.

pub mod audit_log;
pub mod ban;
pub mod fetch;
pub mod member;
pub mod role;
