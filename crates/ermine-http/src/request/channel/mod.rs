//! `/channels/{channel}`: the channel, its permissions, invites, messages, calls; groups.

pub mod delete;
pub mod edit;
pub mod end_ring;
pub mod fetch;
pub mod group;
pub mod invite;
pub mod join_call;
pub mod message;
pub mod permissions;

pub use delete::DeleteChannel;
pub use edit::EditChannel;
pub use end_ring::EndRing;
pub use fetch::FetchChannel;
pub use group::{AddGroupMember, CreateGroup, FetchGroupMembers, RemoveGroupMember};
pub use invite::CreateInvite;
pub use join_call::JoinCall;
pub use permissions::{SetChannelDefaultPermissions, SetChannelRolePermissions};
