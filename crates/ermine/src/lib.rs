#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod action;
mod channel;
mod client;
pub mod command;
mod error;
mod event;
mod identity;
pub mod login;
pub mod member;
mod message;
mod permissions;
mod role;
mod runtime;
mod server;
mod user;
#[cfg(feature = "voice")]
#[cfg_attr(docsrs, doc(cfg(feature = "voice")))]
pub mod voice;
mod wait;

pub use action::{Action, Request};
pub use channel::Channel;
pub use client::{Client, ClientBuilder};
pub use error::Error;
pub use event::{EmojiChange, Event, EventKind, VoiceChange, WebhookChange};
pub use member::{BaseMember, DmLookup, DmRequest, Member, PartialMember};
pub use message::Message;
pub use role::Role;
pub use runtime::{EventQueue, Events, Overflow};
pub use server::Server;
pub use user::User;

/// What a bot usually needs in scope: `use ermine::prelude::*;`.
pub mod prelude {
    pub use crate::command::{Command, Commands, Context, Rest};
    pub use crate::{
        BaseMember, Channel, Client, Error, Event, EventKind, Events, Member, Message, Role,
        Server, User,
    };
    pub use ermine_http::WithOptions;
    pub use futures_util::StreamExt;
}

pub use ermine_cache as cache;
pub use ermine_gateway as gateway;
pub use ermine_http as http;
pub use ermine_model as model;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use ermine_redis as redis;
