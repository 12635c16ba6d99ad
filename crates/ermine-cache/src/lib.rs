#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod backend;
mod change;
mod compact;
mod config;
mod hash;
mod list;
mod reconcile;
mod snapshot;
mod store;
mod update;

pub use backend::CacheBackend;
pub use change::{Change, MemberSnapshot, ReadySummary, UserSnapshot};
pub use config::{CacheConfig, ResourceTypes};
pub use snapshot::CacheSnapshot;
pub use store::{Cache, CacheStats};
