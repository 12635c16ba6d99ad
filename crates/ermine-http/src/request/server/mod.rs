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

pub use audit_log::FetchAuditLogs;
pub use channel::CreateChannel;
pub use create::CreateServer;
pub use delete::DeleteServer;
pub use edit::EditServer;
pub use fetch::FetchServer;
pub use info::{AckServer, FetchServerEmojis, FetchServerInvites};
pub use permissions::{SetDefaultPermissions, SetRolePermissions};
