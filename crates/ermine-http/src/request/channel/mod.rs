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
