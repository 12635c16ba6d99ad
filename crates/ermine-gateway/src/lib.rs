#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod config;
mod error;
mod gateway;
mod handle;
mod state;

pub use config::{AuthMode, Backoff, Format, GatewayConfig};
pub use error::GatewayError;
pub use gateway::{Gateway, GatewayStats};
pub use handle::{COMMAND_QUEUE, GatewayHandle, TypingGuard};
pub use state::{ConnectionState, Status};
