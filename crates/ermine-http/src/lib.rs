#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
pub mod error;
pub mod options;
pub use ermine_ratelimit as ratelimit;
pub mod request;
pub mod validate;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_BODY, Prepared, USER_AGENT};
pub use error::{Error, ErrorKind};
pub use options::{Auth, RequestOptions, RetryPolicy, WithOptions};
pub use request::RawRequest;
