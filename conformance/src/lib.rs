//! Conformance tests of ermine against the official Stoat crates (used as oracles) and against
//! traffic captured from a real Stoat server. Everything lives in `tests/`; this crate ships
//! nothing.
