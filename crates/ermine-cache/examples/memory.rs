//! Memory per cached member and per cached user on workload W1 (100,000 members): the
//! process's resident-memory growth while the users, then the members, go into the cache,
//! divided by the count. The decoded list stays alive throughout, so only the cache's own
//! allocations are counted.
//!
//! ```text
//! python3 testdata/bench/gen_workloads.py --out target/workloads --members 100000 --ready 0 --events 0
//! cargo run --release -p ermine-cache --example memory [-- target/workloads/members_100000.json]
//! ```

#![allow(clippy::cast_precision_loss)]

use std::process::ExitCode;

use ermine_cache::Cache;
use ermine_model::member::AllMemberResponse;

/// Resident memory in bytes (Linux `/proc/self/statm`, 4 KiB pages).
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/workloads/members_100000.json".to_owned());
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("cannot read {path}; generate it with gen_workloads.py (see the docs)");
        return ExitCode::FAILURE;
    };
    let list: AllMemberResponse = match serde_json::from_slice(&bytes) {
        Ok(list) => list,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    drop(bytes);
    let cache = Cache::new();
    let (Some(start), count) = (resident(), list.members.len()) else {
        eprintln!("no /proc/self/statm here");
        return ExitCode::FAILURE;
    };
    for user in &list.users {
        cache.insert_user(user);
    }
    let after_users = resident().unwrap_or(start);
    for member in &list.members {
        cache.insert_member(member);
    }
    let after_members = resident().unwrap_or(after_users);
    let stats = cache.stats();
    let per_user = (after_users - start) as f64 / list.users.len() as f64;
    let per_member = (after_members - after_users) as f64 / count as f64;
    println!(
        "{count} members, {} users: {per_member:.0} bytes per member, {per_user:.0} bytes per user \
         (resident growth); stats() estimates {} bytes in all",
        list.users.len(),
        stats.approximate_bytes
    );
    ExitCode::SUCCESS
}
