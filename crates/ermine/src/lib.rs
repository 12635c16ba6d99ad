#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod error;
mod event;
pub mod login;
pub mod member;
mod runtime;

pub use client::{Client, ClientBuilder};
pub use error::Error;
pub use event::{EmojiChange, Event, EventKind, VoiceChange, WebhookChange};
pub use member::{BaseMember, DmRequest, Member, PartialMember};
pub use runtime::{EventQueue, Events, Overflow};

pub use ermine_cache as cache;
pub use ermine_gateway as gateway;
pub use ermine_http as http;
pub use ermine_model as model;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use ermine_redis as redis;
