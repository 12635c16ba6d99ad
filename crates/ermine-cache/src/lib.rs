#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod change;
mod config;
mod hash;
mod reconcile;
mod slim;
mod store;
mod update;

pub use change::{Change, MemberSnapshot, ReadySummary};
pub use config::{CacheConfig, ResourceTypes};
pub use store::{Cache, CacheStats};
