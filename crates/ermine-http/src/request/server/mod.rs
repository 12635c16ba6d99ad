//! `/servers/{server}`: the server itself, its channels, roles, permissions, members, bans,
//! invites and emoji.

pub mod audit_log;
pub mod ban;
pub mod channel;
pub mod create;
pub mod delete;
pub mod edit;
pub mod fetch;
pub mod info;
pub mod member;
pub mod permissions;
pub mod role;
