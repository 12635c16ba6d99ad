#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod audit;
pub mod auth;
pub mod backoff;
pub mod channel;
pub mod decode;
pub mod embed;
pub mod emoji;
pub mod error;
pub mod event;
pub mod file;
pub mod id;
pub mod instance;
pub mod invite;
pub mod member;
pub mod message;
pub mod patch;
pub mod permission;
pub mod report;
pub mod route;
pub mod server;
pub mod timestamp;
pub mod user;
pub mod webhook;
mod wire;

pub use id::{Id, MemberId};
pub use timestamp::Timestamp;
