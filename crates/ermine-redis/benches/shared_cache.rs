//! The shared cache against the in-process one, in the same criterion groups: event ingest
//! (the first 20,000 events of workload W2 on a cache filled with W1) and member lookups.
//!
//! Needs `redis-server` (Debian's package); the benchmark starts its own on a free port.
//!
//! ```text
//! cargo bench -p ermine-redis --bench shared_cache
//! ```

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::too_many_lines
)]

#[path = "../tests/support/mod.rs"]
mod support;
#[path = "../../ermine-cache/benches/support/workloads.rs"]
mod workloads;

use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ermine_cache::{Cache, CacheBackend};
use ermine_model::event::ServerEvent;
use ermine_model::member::AllMemberResponse;
use ermine_redis::{RedisCache, RedisConfig};
use workloads::{EVENTS, read, workloads};

const INGESTED: usize = 20_000;

/// Waits until the follower has applied every write of the writer.
fn caught_up(writer: &RedisCache, follower: &RedisCache) {
    while follower.position() < writer.position() {
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn bench(c: &mut Criterion) {
    let redis = support::Redis::start().expect("redis-server is installed");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = workloads();
    let w1: AllMemberResponse = serde_json::from_slice(&read(&dir, "members_10000.json")).unwrap();
    let w2 = read(&dir, &format!("events_{EVENTS}.jsonl"));
    let events: Vec<ServerEvent> = w2
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .take(INGESTED)
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let run = std::cell::Cell::new(0_u32);
    let namespace = |kind: &str| {
        run.set(run.get() + 1);
        format!("{kind}{}", run.get())
    };
    let fresh_shared = || {
        let config = RedisConfig::new(redis.url()).namespace(namespace("bench"));
        let writer = runtime.block_on(RedisCache::writer(config)).unwrap();
        writer.insert_members(&w1);
        writer
    };

    let mut group = c.benchmark_group("ingest_w2_20000");
    group.throughput(Throughput::Elements(INGESTED as u64));
    group.sample_size(10);
    group.bench_function("in_process", |b| {
        b.iter_batched(
            || {
                let cache = Cache::new();
                cache.insert_members(&w1);
                cache
            },
            |cache| {
                for event in &events {
                    cache.update(event);
                }
                cache
            },
            BatchSize::LargeInput,
        );
    });
    // What the bot's event loop pays: apply locally, encode, queue for the publisher.
    group.bench_function("redis_writer", |b| {
        b.iter_batched(
            &fresh_shared,
            |writer| {
                for event in &events {
                    writer.update(event);
                }
                writer
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();

    // Until a follower in this process has applied every event from Redis.
    let mut group = c.benchmark_group("ingest_w2_20000_until_followed");
    group.throughput(Throughput::Elements(INGESTED as u64));
    group.sample_size(10);
    group.bench_function("redis_writer_to_follower", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let config = RedisConfig::new(redis.url()).namespace(namespace("follow"));
                let writer = runtime
                    .block_on(RedisCache::writer(config.clone()))
                    .unwrap();
                writer.insert_members(&w1);
                let follower = runtime.block_on(RedisCache::follower(config)).unwrap();
                caught_up(&writer, &follower);
                let start = Instant::now();
                for event in &events {
                    writer.update(event);
                }
                caught_up(&writer, &follower);
                total += start.elapsed();
            }
            total
        });
    });
    group.finish();

    // Lookups: every process reads its own local view, so a follower reads as fast as the
    // in-process cache.
    let local = Cache::new();
    local.insert_members(&w1);
    let shared = RedisConfig::new(redis.url()).namespace(namespace("lookup"));
    let writer = runtime
        .block_on(RedisCache::writer(shared.clone()))
        .unwrap();
    writer.insert_members(&w1);
    let follower = runtime.block_on(RedisCache::follower(shared)).unwrap();
    caught_up(&writer, &follower);
    let keys: Vec<_> = w1.members.iter().map(|m| m.id).collect();
    let mut group = c.benchmark_group("member_lookup_10000");
    group.throughput(Throughput::Elements(keys.len() as u64));
    group.bench_function("in_process", |b| {
        b.iter(|| {
            keys.iter()
                .filter(|k| local.member(k.server, k.user).is_some())
                .count()
        });
    });
    group.bench_function("redis_follower", |b| {
        b.iter(|| {
            keys.iter()
                .filter(|k| follower.view().member(k.server, k.user).is_some())
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
