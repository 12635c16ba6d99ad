//! The event stream for workers, against a Redis of the test's own: each entry to one worker,
//! claiming from a dead worker, dead-lettering, per-partition order, and a Redis restart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use ermine_cache::Change;
use ermine_model::event::ServerEvent;
use ermine_model::id::{ChannelId, UserId};
use ermine_redis::events::{EventRecord, EventRecordRef};
use ermine_redis::{EventConsumer, EventPublisher, EventStreamConfig, RedisConfig, WorkerConfig};

/// A typing event in channel `channel` by user `n`: a small, distinct event.
fn typing(channel: u128, n: u128) -> ServerEvent {
    serde_json::from_value(serde_json::json!({
        "type": "ChannelStartTyping",
        "id": ChannelId::from_u128(channel).unwrap().to_string(),
        "user": UserId::from_u128(n + 1).unwrap().to_string(),
    }))
    .unwrap()
}

/// (channel, user) of a delivered typing event.
fn seen(record: &EventRecord) -> (u128, u128) {
    match record {
        EventRecord::Event {
            event: ServerEvent::ChannelStartTyping(t),
            ..
        } => (t.id.get(), t.user.get() - 1),
        other => panic!("unexpected {other:?}"),
    }
}

fn publish(publisher: &EventPublisher, channel: u128, range: std::ops::Range<u128>) {
    for n in range {
        publisher.publish(&EventRecordRef::Event {
            event: &typing(channel, n),
            change: &Change::None,
        });
    }
}

/// Takes `count` deliveries, acknowledging each (within 20 s).
async fn take(consumer: &mut EventConsumer, count: usize, ack: bool) -> Vec<(u128, u128)> {
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), async {
        while out.len() < count {
            let delivery = consumer.next().await;
            out.push(seen(delivery.record.as_ref().unwrap()));
            if ack {
                consumer.ack(delivery.ack_token()).await;
            }
        }
    })
    .await
    .expect("the deliveries within 20 s");
    out
}

#[tokio::test]
async fn each_entry_goes_to_one_worker_and_a_dead_workers_entries_are_claimed() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    let config = RedisConfig::new(redis.url()).namespace("pool");
    let stream = EventStreamConfig::default()
        .claim_after(Duration::from_millis(200))
        .block(Duration::from_millis(50));
    let publisher = EventPublisher::start(&config, stream.clone()).unwrap();
    publish(&publisher, 1, 0..200);
    let mut a = EventConsumer::new(&config, stream.clone(), WorkerConfig::new("a")).unwrap();
    let mut b = EventConsumer::new(&config, stream.clone(), WorkerConfig::new("b")).unwrap();
    // a takes 30 and dies without acknowledging 10 of them.
    let first = take(&mut a, 20, true).await;
    let abandoned = take(&mut a, 10, false).await;
    drop(a);
    // b handles the rest, and after 200 ms of silence claims a's 10.
    let rest = take(&mut b, 180, true).await;
    let all: HashSet<_> = first.iter().chain(&rest).copied().collect();
    assert_eq!(all.len(), 200, "every entry was handled");
    assert_eq!(
        first.len() + rest.len(),
        200,
        "and none twice by a live worker"
    );
    for entry in &abandoned {
        assert!(rest.contains(entry), "{entry:?} was claimed");
    }
    // a had read ahead (a batch): what it read and never acknowledged was claimed too.
    let stats = b.stats();
    assert!(stats.redelivered >= 10, "{stats:?}");
    // Acknowledgements are written in batches, shortly after.
    tokio::time::timeout(Duration::from_secs(10), async {
        while b.stats().acknowledged < 180 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("180 acknowledged");
    assert_eq!(publisher.stats().published, 200);
    assert_eq!(publisher.stats().undelivered, 0);
}

#[tokio::test]
async fn entries_failing_too_often_are_dead_lettered() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    let config = RedisConfig::new(redis.url()).namespace("dead");
    let stream = EventStreamConfig::default()
        .claim_after(Duration::from_millis(50))
        .block(Duration::from_millis(20))
        .max_deliveries(2);
    let publisher = EventPublisher::start(&config, stream.clone()).unwrap();
    publish(&publisher, 1, 0..3);
    // Two workers that die on these entries without acknowledging them (their handler
    // crashes every time): the second claims them from the first.
    let mut a = EventConsumer::new(&config, stream.clone(), WorkerConfig::new("a")).unwrap();
    take(&mut a, 3, false).await;
    drop(a);
    let mut b = EventConsumer::new(&config, stream.clone(), WorkerConfig::new("b")).unwrap();
    take(&mut b, 3, false).await;
    drop(b);
    // A third delivery would exceed the limit: they go to the dead-letter stream instead.
    publish(&publisher, 1, 3..4);
    let mut c = EventConsumer::new(&config, stream.clone(), WorkerConfig::new("c")).unwrap();
    let next = take(&mut c, 1, true).await;
    assert_eq!(next, vec![(1, 3)]);
    // Reading on drives the claims (nothing else is published): in a task of its own, since
    // `next` is not to be cancelled part way.
    let monitor = c.monitor();
    let reader = tokio::spawn(async move {
        let delivery = c.next().await;
        delivery.record.map(|r| seen(&r))
    });
    tokio::time::timeout(Duration::from_secs(10), async {
        while monitor.stats().dead_lettered < 3 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("three entries dead-lettered");
    assert!(
        !reader.is_finished(),
        "a dead-lettered entry was delivered: {:?}",
        reader.await
    );
    reader.abort();
    let client = redis::Client::open(redis.url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let dead: usize = redis::cmd("XLEN")
        .arg("ermine:dead:events:v1:dead")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(dead, 3);
}

#[tokio::test]
async fn partitions_keep_each_channels_order_with_one_worker_each() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    let config = RedisConfig::new(redis.url()).namespace("ordered");
    let stream = EventStreamConfig::default()
        .partitions(2)
        .block(Duration::from_millis(50));
    let publisher = EventPublisher::start(&config, stream.clone()).unwrap();
    for round in 0..50 {
        for channel in 1..=6 {
            publish(&publisher, channel, round..round + 1);
        }
    }
    let mut workers = Vec::new();
    for index in 0..2 {
        workers.push(
            EventConsumer::new(
                &config,
                stream.clone(),
                WorkerConfig::new(format!("w{index}")).partition(index),
            )
            .unwrap(),
        );
    }
    let mut by_channel: BTreeMap<u128, (usize, Vec<u128>)> = BTreeMap::new();
    let mut total = 0;
    for (index, worker) in workers.iter_mut().enumerate() {
        // Read what this partition holds: until a read finds nothing for a while.
        loop {
            let next = tokio::time::timeout(Duration::from_millis(500), worker.next()).await;
            let Ok(delivery) = next else { break };
            let (channel, n) = seen(delivery.record.as_ref().unwrap());
            worker.ack(delivery.ack_token()).await;
            let entry = by_channel.entry(channel).or_insert((index, Vec::new()));
            assert_eq!(entry.0, index, "channel {channel} has one worker");
            entry.1.push(n);
            total += 1;
        }
    }
    assert_eq!(total, 300);
    for (channel, (_, order)) in by_channel {
        assert_eq!(
            order,
            (0..50).collect::<Vec<_>>(),
            "channel {channel} in order"
        );
    }
}

#[tokio::test]
async fn a_redis_restart_delays_delivery_and_loses_nothing() {
    let Some(mut redis) = support::Redis::start_persistent() else {
        return;
    };
    let config = RedisConfig::new(redis.url()).namespace("restart");
    let stream = EventStreamConfig::default().block(Duration::from_millis(50));
    let publisher = EventPublisher::start(&config, stream.clone()).unwrap();
    let mut worker = EventConsumer::new(&config, stream.clone(), WorkerConfig::new("w")).unwrap();
    publish(&publisher, 1, 0..100);
    let before = take(&mut worker, 50, true).await;
    redis.stop();
    // Published while Redis is away: held by the writer.
    publish(&publisher, 1, 100..200);
    assert!(publisher.stats().waiting > 0 || !publisher.stats().redis_healthy);
    redis.restart();
    let after = take(&mut worker, 150, true).await;
    let all: HashSet<_> = before.iter().chain(&after).copied().collect();
    assert_eq!(all.len(), 200, "nothing lost");
    assert_eq!(before.len() + after.len(), 200, "nothing handled twice");
    assert_eq!(publisher.stats().undelivered, 0);
}

#[tokio::test]
async fn a_restarted_writer_continues_the_stream_it_published() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    let config = RedisConfig::new(redis.url()).namespace("writer");
    let stream = EventStreamConfig::default().block(Duration::from_millis(50));
    let first = EventPublisher::start(&config, stream.clone()).unwrap();
    publish(&first, 1, 0..50);
    tokio::time::timeout(Duration::from_secs(10), async {
        while first.stats().published < 50 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("published");
    // The writer process ends; a new one starts on the same stream.
    drop(first);
    let second = EventPublisher::start(&config, stream.clone()).unwrap();
    publish(&second, 1, 50..100);
    let mut worker = EventConsumer::new(&config, stream, WorkerConfig::new("w")).unwrap();
    let got = take(&mut worker, 100, true).await;
    assert_eq!(
        got,
        (0..100).map(|n| (1, n)).collect::<Vec<_>>(),
        "what the first writer published stays, before the second's"
    );
}

/// How many clients the Redis server holds blocked in a command.
async fn blocked_clients(redis: &redis::Client) -> u64 {
    let mut conn = redis.get_multiplexed_async_connection().await.unwrap();
    let info: String = redis::cmd("INFO")
        .arg("clients")
        .query_async(&mut conn)
        .await
        .unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("blocked_clients:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// `next` raced against something else and dropped while Redis holds its read: the entry
/// Redis then gives that read is handed out by the next call, once, as a first delivery.
#[tokio::test]
async fn a_dropped_next_loses_nothing() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    let config = RedisConfig::new(redis.url()).namespace("dropped");
    // Two partitions: nothing is claimed, so only the consumer itself can find the entry.
    let stream = EventStreamConfig::default()
        .partitions(2)
        .block(Duration::from_secs(30));
    let publisher = EventPublisher::start(&config, stream.clone()).unwrap();
    let mut consumer = EventConsumer::new(&config, stream, WorkerConfig::new("w")).unwrap();
    let inspector = redis::Client::open(redis.url()).unwrap();
    for round in 0..3 {
        // The read is sent and Redis holds it (nothing to read yet); then it is dropped.
        tokio::select! {
            delivery = consumer.next() => panic!("nothing was published: {delivery:?}"),
            () = async {
                while blocked_clients(&inspector).await == 0 {
                    tokio::task::yield_now().await;
                }
            } => {}
        }
        // Redis gives the entry to the read it still holds, whose caller is gone.
        publish(&publisher, 1, round..round + 1);
        let delivery = tokio::time::timeout(Duration::from_secs(20), consumer.next())
            .await
            .expect("the entry the dropped call was given");
        assert_eq!(seen(delivery.record.as_ref().unwrap()), (1, round));
        assert_eq!(
            delivery.deliveries, 1,
            "recovering it is not a delivery more"
        );
        consumer.ack(delivery.ack_token()).await;
    }
    let stats = consumer.stats();
    assert_eq!((stats.delivered, stats.redelivered), (3, 0), "{stats:?}");
}

/// A worker restarted under the same name gets back every entry it held unacknowledged, each
/// once (as a second delivery), also when they are more than one read's worth and its handler
/// holds them all before acknowledging any.
#[tokio::test]
async fn a_restarted_worker_gets_back_all_it_held_once_each() {
    let Some(redis) = support::Redis::start() else {
        return;
    };
    let config = RedisConfig::new(redis.url()).namespace("restart");
    let stream = EventStreamConfig::default()
        .claim_after(Duration::from_mins(10))
        .block(Duration::from_millis(50));
    let publisher = EventPublisher::start(&config, stream.clone()).unwrap();
    publish(&publisher, 1, 0..150);
    let mut first = EventConsumer::new(&config, stream.clone(), WorkerConfig::new("w")).unwrap();
    let held = take(&mut first, 150, false).await;
    drop(first);
    let mut again = EventConsumer::new(&config, stream, WorkerConfig::new("w")).unwrap();
    let mut back = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), async {
        while back.len() < 150 {
            let delivery = again.next().await;
            assert_eq!(delivery.deliveries, 2, "a restart counts as a delivery");
            back.push(seen(delivery.record.as_ref().unwrap()));
        }
    })
    .await
    .expect("all 150 back within 20 s");
    assert_eq!(back, held, "each once, in order");
    // Reading them back did not count as delivering the ones held again.
    let stats = again.stats();
    assert_eq!(stats.dead_lettered, 0, "{stats:?}");
}
