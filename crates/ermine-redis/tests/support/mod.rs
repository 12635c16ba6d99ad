//! A Redis server of the test's own ([`ermine_testkit::redis`]).

#![allow(unused_imports)]

pub(crate) use ermine_testkit::redis::{RedisServer as Redis, installed};
