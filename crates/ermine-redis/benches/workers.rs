//! Events handled per second by a pool of 1, 2 and 4 workers on a CPU-bound handler, and the
//! latency the pool adds (from the writer's publish to the start of a worker's handler),
//! against handling in the writer's process, in one run.
//!
//! Each worker is a thread with its own runtime and Redis connection, as a worker process
//! would have. Needs `redis-server` (it starts its own).
//!
//! ```text
//! cargo bench -p ermine-redis --bench workers
//! ```

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ermine_cache::Change;
use ermine_model::event::ServerEvent;
use ermine_redis::events::{EventRecord, EventRecordRef};
use ermine_redis::{EventConsumer, EventPublisher, EventStreamConfig, RedisConfig, WorkerConfig};
use ermine_testkit::redis::RedisServer;

const EVENTS: usize = 20_000;

/// Some tens of microseconds of arithmetic (measured and printed).
fn handler(seed: u64) -> u64 {
    let mut x = seed;
    for i in 0..60_000 {
        x = black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i));
    }
    x
}

/// An event carrying its publish time (µs since `start`) in its content.
fn event(micros: u128) -> ServerEvent {
    serde_json::from_value(serde_json::json!({
        "type": "Message",
        "_id": "01M8MWCSQ2ZS8XVFJ97STPV1JJ",
        "channel": "01M8MWCSQ2ZS8XVFJ97STPV1JK",
        "author": "01M8MWCSQ2ZS8XVFJ97STPV1JM",
        "content": micros.to_string(),
    }))
    .unwrap_or_else(|e| panic!("the benchmark's event: {e}"))
}

fn micros(record: &EventRecord) -> u128 {
    match record {
        EventRecord::Event {
            event: ServerEvent::Message(m),
            ..
        } => m
            .content
            .as_deref()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0),
        _ => 0,
    }
}

fn percentile(sorted: &[u128], p: f64) -> u128 {
    if sorted.is_empty() {
        return 0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index]
}

/// Handled per second and latencies (µs) with `workers` workers, for `events` events
/// published every `every` (as fast as possible when zero).
fn pool(
    redis: &RedisServer,
    workers: usize,
    run: usize,
    events: usize,
    every: Duration,
) -> (f64, Vec<u128>) {
    let config = RedisConfig::new(redis.url()).namespace(format!("bench{run}"));
    let stream = EventStreamConfig::default()
        .block(Duration::from_millis(20))
        .max_len(events * 2);
    let handled = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let threads: Vec<_> = (0..workers)
        .map(|w| {
            let (config, stream, handled) = (config.clone(), stream.clone(), Arc::clone(&handled));
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap_or_else(|e| panic!("a runtime: {e}"));
                runtime.block_on(async move {
                    let mut consumer =
                        EventConsumer::new(&config, stream, WorkerConfig::new(format!("w{w}")))
                            .unwrap_or_else(|e| panic!("a consumer: {e}"));
                    let mut latencies = Vec::new();
                    while handled.load(Ordering::Relaxed) < events {
                        let next =
                            tokio::time::timeout(Duration::from_millis(200), consumer.next());
                        let Ok(delivery) = next.await else { continue };
                        if let Ok(record) = &delivery.record {
                            latencies.push(start.elapsed().as_micros() - micros(record));
                            black_box(handler(latencies.len() as u64));
                        }
                        consumer.ack(delivery.ack_token()).await;
                        handled.fetch_add(1, Ordering::Relaxed);
                    }
                    latencies
                })
            })
        })
        .collect();
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("a runtime: {e}"));
    let began = Instant::now();
    runtime.block_on(async {
        let publisher =
            EventPublisher::start(&config, stream).unwrap_or_else(|e| panic!("a publisher: {e}"));
        let mut pace = tokio::time::interval(every.max(Duration::from_micros(1)));
        for _ in 0..events {
            if every.is_zero() {
                tokio::task::yield_now().await;
            } else {
                pace.tick().await;
            }
            let event = event(start.elapsed().as_micros());
            publisher.publish(&EventRecordRef::Event {
                event: &event,
                change: &Change::None,
            });
        }
        while publisher.stats().published < events as u64 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    let mut latencies: Vec<u128> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap_or_default())
        .collect();
    let elapsed = began.elapsed().as_secs_f64();
    latencies.sort_unstable();
    #[allow(clippy::cast_precision_loss)]
    (events as f64 / elapsed, latencies)
}

/// Milliseconds, for the table.
#[allow(clippy::cast_precision_loss)]
fn ms(micros: u128) -> f64 {
    micros as f64 / 1000.0
}

fn main() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    // In the writer's process: the handler runs where the event is received.
    let began = Instant::now();
    for n in 0..EVENTS {
        black_box(handler(n as u64));
    }
    #[allow(clippy::cast_precision_loss)]
    let in_process = EVENTS as f64 / began.elapsed().as_secs_f64();
    println!(
        "{EVENTS} events, a CPU-bound handler of {:.0} µs, {} cores",
        1e6 / in_process,
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    println!("Throughput, every event published at once (a backlog):");
    println!("| handled by | events/s | ratio to in-process |");
    println!("| --- | --- | --- |");
    println!("| the writer's process | {in_process:.0} | 1.00 |");
    for (run, workers) in [1, 2, 4].into_iter().enumerate() {
        let (rate, _) = pool(&redis, workers, run, EVENTS, Duration::ZERO);
        println!(
            "| {workers} worker(s) | {rate:.0} | {:.2} |",
            rate / in_process
        );
    }
    println!();
    println!("Added latency, one event per millisecond (below capacity: no backlog), from the");
    println!("writer's publish to the start of a worker's handler (in-process: none):");
    println!("| handled by | median | p99 |");
    println!("| --- | --- | --- |");
    for (run, workers) in [1, 2, 4].into_iter().enumerate() {
        let (_, latencies) = pool(&redis, workers, run + 10, 3_000, Duration::from_millis(1));
        println!(
            "| {workers} worker(s) | {:.2} ms | {:.2} ms |",
            ms(percentile(&latencies, 0.5)),
            ms(percentile(&latencies, 0.99)),
        );
    }
}
