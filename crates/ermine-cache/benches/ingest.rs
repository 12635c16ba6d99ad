//! Event ingest and member-list/Ready fills, each against a plain `serde_json` (or msgpack)
//! parse of the same bytes into minimal types, in the same criterion group.
//!
//! Workloads from `testdata/bench/gen_workloads.py` (generated into `target/workloads`, with
//! `--msgpack`; `pip install msgpack` is attempted when it is missing): W1
//! `members_10000.json`, W2 `events_200000.{jsonl,msgpack}` starting from W1, W3
//! `ready_10000.json`.
//!
//! ```text
//! cargo bench -p ermine-cache --bench ingest
//! ```

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines
)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ermine_cache::Cache;
use ermine_model::event::ServerEvent;
use ermine_model::member::AllMemberResponse;
use serde::Deserialize;
use serde::de::IgnoredAny;

#[path = "support/workloads.rs"]
mod workloads;

use workloads::{EVENTS, read, workloads};

/// Minimal types for the baselines: only what routes an event or names a member.
#[derive(Deserialize)]
#[serde(tag = "type")]
#[allow(dead_code)]
enum MinimalEvent {
    ServerMemberJoin { id: String, user: String },
    ServerMemberUpdate { id: MinimalKey },
    ServerMemberLeave { id: String, user: String },
    UserUpdate { id: String },
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalKey {
    server: String,
    user: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalMember {
    _id: MinimalKey,
    joined_at: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalUser {
    _id: String,
    username: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct MinimalList {
    members: Vec<MinimalMember>,
    users: Vec<MinimalUser>,
}

fn filled(w1: &AllMemberResponse) -> Cache {
    let cache = Cache::new();
    cache.insert_members(w1);
    cache
}

fn msgpack_frames(bytes: &[u8]) -> Vec<&[u8]> {
    let mut frames = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let before = rest.len();
        let _: IgnoredAny = rmp_serde::from_read(&mut rest).unwrap();
        let start = bytes.len() - before;
        frames.push(&bytes[start..start + (before - rest.len())]);
    }
    frames
}

fn bench(c: &mut Criterion) {
    let dir = workloads();
    let w1_bytes = read(&dir, "members_10000.json");
    let w1: AllMemberResponse = serde_json::from_slice(&w1_bytes).unwrap();
    let w2_json = read(&dir, &format!("events_{EVENTS}.jsonl"));
    let json_frames: Vec<&[u8]> = w2_json
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let w2_msgpack = read(&dir, &format!("events_{EVENTS}.msgpack"));
    let msgpack_frames = msgpack_frames(&w2_msgpack);
    assert_eq!(json_frames.len(), EVENTS);
    assert_eq!(msgpack_frames.len(), EVENTS);

    let mut group = c.benchmark_group("w2_ingest_json");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(10);
    group.bench_function("baseline_minimal_parse", |b| {
        b.iter(|| {
            for frame in &json_frames {
                let _: MinimalEvent = serde_json::from_slice(frame).unwrap();
            }
        });
    });
    group.bench_function("ermine_decode_and_update", |b| {
        b.iter_batched(
            || filled(&w1),
            |cache| {
                for frame in &json_frames {
                    let event: ServerEvent = serde_json::from_slice(frame).unwrap();
                    cache.update(&event);
                }
                cache
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();

    let mut group = c.benchmark_group("w2_ingest_msgpack");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(10);
    group.bench_function("baseline_minimal_parse", |b| {
        b.iter(|| {
            for frame in &msgpack_frames {
                let _: MinimalEvent = rmp_serde::from_slice(frame).unwrap();
            }
        });
    });
    group.bench_function("ermine_decode_and_update", |b| {
        b.iter_batched(
            || filled(&w1),
            |cache| {
                for frame in &msgpack_frames {
                    let event: ServerEvent = rmp_serde::from_slice(frame).unwrap();
                    cache.update(&event);
                }
                cache
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();

    let mut group = c.benchmark_group("w1_member_list_10000");
    group.throughput(Throughput::Elements(w1.members.len() as u64));
    group.sample_size(10);
    // Results are returned so that freeing them is outside the measurement, for both.
    group.bench_function("baseline_minimal_parse", |b| {
        b.iter_batched(
            || (),
            |()| serde_json::from_slice::<MinimalList>(&w1_bytes).unwrap(),
            BatchSize::LargeInput,
        );
    });
    group.bench_function("ermine_decode_and_insert", |b| {
        b.iter_batched(
            || (),
            |()| {
                let list: AllMemberResponse = serde_json::from_slice(&w1_bytes).unwrap();
                let cache = filled(&list);
                (list, cache)
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();

    let w3 = read(&dir, "ready_10000.json");
    let mut group = c.benchmark_group("w3_ready_10000");
    group.sample_size(10);
    group.bench_function("baseline_ignored_parse", |b| {
        b.iter(|| serde_json::from_slice::<IgnoredAny>(&w3).unwrap());
    });
    group.bench_function("ermine_decode_and_fill", |b| {
        b.iter_batched(
            || (),
            |()| {
                let cache = Cache::new();
                let event = serde_json::from_slice::<ServerEvent>(&w3).unwrap();
                cache.update(&event);
                (event, cache)
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
