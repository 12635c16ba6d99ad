//! Shared-cache benchmarks (filled in below).
fn main() {}
