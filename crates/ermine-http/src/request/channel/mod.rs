//! `/channels/{channel}`: the channel, its messages, calls.

pub mod end_ring;
pub mod fetch;
pub mod join_call;
pub mod message;
