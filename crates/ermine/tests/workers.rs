//! One events connection, a pool of worker processes: a writer fed by the local server
//! publishes every event; three workers (this test binary run again in a child role) handle
//! them through the consumer group. One worker is killed mid-run and Redis is restarted
//! mid-run: every event is still handled, and none twice by the workers that stayed alive.

#![cfg(feature = "redis")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod support;

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ermine::model::patch::Patch;
use ermine::redis::{EventStreamConfig, RedisConfig, Role, WorkerConfig};
use ermine::{Client, Event};
use ermine_testkit::redis::RedisServer;
use futures_util::StreamExt;

const CHILD: &str = "ERMINE_WORKER_CHILD";
const EVENTS: usize = 10_000;

fn stream() -> EventStreamConfig {
    EventStreamConfig::default()
        .claim_after(Duration::from_secs(1))
        .block(Duration::from_millis(100))
}

/// The entry point of child processes (does nothing in a normal run).
#[test]
fn child() {
    let Ok(name) = std::env::var(CHILD) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(worker(name));
}

/// A worker: prints `handled <key>` after handling each event (the key names the event).
async fn worker(name: String) {
    let url = std::env::var("REDIS_URL").unwrap();
    let client = Client::builder()
        .bot_token("unused by a worker")
        .base_url(std::env::var("API").unwrap())
        .redis(RedisConfig::new(url).namespace("pool"), Role::Follower)
        .worker(WorkerConfig::new(name), stream())
        .build_shared()
        .await
        .unwrap();
    let mut events = client.connect().await.unwrap();
    say("\nREADY");
    while let Some(event) = events.next().await {
        let key = match event.unwrap() {
            Event::Message(message) => format!("m{}", message.content.as_deref().unwrap_or("")),
            Event::MemberUpdate { partial, .. } => match partial.nick() {
                Patch::Set(nick) => format!("u{nick}"),
                _ => continue,
            },
            _ => continue,
        };
        // A little work, so that several events are in flight across the pool.
        tokio::task::yield_now().await;
        say(&format!("handled {key}"));
    }
}

/// A line to the parent; once the parent stopped reading, nobody is listening.
fn say(line: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn spawn(name: &str, vars: &[(&str, String)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(CHILD, name)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (key, value) in vars {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

/// The worker processes, killed when the test ends (also when it fails).
struct Children(Vec<Child>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The lines a child prints, tagged with its index, into one channel.
fn lines(index: usize, child: &mut Child, tx: std::sync::mpsc::Sender<(usize, String)>) {
    use std::io::BufRead;
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send((index, line)).is_err() {
                return;
            }
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_of_workers_handles_every_event_once_through_a_death_and_a_redis_restart() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("ermine_redis=info")
        .with_test_writer()
        .try_init();
    let Some(mut redis) = RedisServer::start_persistent() else {
        return;
    };
    let server = support::local_server().await;
    let seed = server.seed();
    let owner = seed.user("owner");
    let bot = seed.bot("gateway", owner.id);
    let guild = seed.server("Guild", owner.id);
    seed.join(guild.id, bot.id);
    let members = seed.members(guild.id, 50);
    let api = server.urls().api.clone();

    // The writer: holds the events connection, publishes every event.
    let writer = Client::builder()
        .bot_token(bot.token.clone())
        .base_url(api.clone())
        .redis(
            RedisConfig::new(redis.url()).namespace("pool"),
            Role::Writer,
        )
        .publish_events(stream())
        .build_shared()
        .await
        .unwrap();
    let mut writer_events = support::connected(&writer).await;
    let drain = tokio::spawn(async move { while writer_events.next().await.is_some() {} });

    // Three workers.
    let (tx, rx) = std::sync::mpsc::channel();
    let vars = [("REDIS_URL", redis.url()), ("API", api.clone())];
    let mut children = Children(
        (0..3)
            .map(|i| {
                let mut child = spawn(&format!("worker-{i}"), &vars);
                lines(i, &mut child, tx.clone());
                child
            })
            .collect(),
    );
    let mut ready = 0;
    while ready < 3 {
        let (_, line) = rx.recv_timeout(Duration::from_secs(30)).unwrap();
        ready += usize::from(line == "READY");
    }

    // 10,000 events on the writer's connection: messages and member updates, each named.
    let control = server.control();
    for i in 0..EVENTS {
        let frame = if i % 2 == 0 {
            serde_json::json!({
                "type": "Message",
                "_id": ermine::model::id::MessageId::new_at(ermine::model::Timestamp::now(), i as u128).to_string(),
                "channel": guild.general.to_string(),
                "author": owner.id.to_string(),
                "content": i.to_string(),
            })
        } else {
            serde_json::json!({
                "type": "ServerMemberUpdate",
                "id": {"server": guild.id.to_string(), "user": members[i % members.len()].to_string()},
                "data": {"nickname": i.to_string()},
                "clear": [],
            })
        };
        assert_eq!(control.send_frame(bot.id, frame).await, 1);
    }
    let expected: HashSet<String> = (0..EVENTS)
        .map(|i| format!("{}{i}", if i % 2 == 0 { "m" } else { "u" }))
        .collect();

    // Collect what the workers handle; kill worker 1 after a third, restart Redis after two
    // thirds.
    let mut handled: Vec<HashMap<String, usize>> = vec![HashMap::new(); 3];
    let mut handled_keys = HashSet::new();
    let mut killed = false;
    let mut restarted = false;
    let deadline = Instant::now() + Duration::from_mins(2);
    while handled_keys.len() < EVENTS {
        if Instant::now() > deadline {
            let missing: Vec<_> = expected.difference(&handled_keys).take(20).collect();
            panic!(
                "only {} of {EVENTS} events handled in 120 s; missing {missing:?}; writer {:?}",
                handled_keys.len(),
                writer.publisher_stats()
            );
        }
        let Ok((index, line)) = rx.recv_timeout(Duration::from_secs(1)) else {
            continue;
        };
        let Some(key) = line.strip_prefix("handled ") else {
            continue;
        };
        *handled[index].entry(key.to_owned()).or_default() += 1;
        handled_keys.insert(key.to_owned());
        if !killed && handled_keys.len() > EVENTS / 3 {
            children.0[1].kill().unwrap();
            children.0[1].wait().unwrap();
            killed = true;
        }
        if !restarted && handled_keys.len() > 2 * EVENTS / 3 {
            redis.stop();
            redis.restart();
            restarted = true;
        }
    }
    assert_eq!(handled_keys, expected, "every event was handled");
    // None twice by a live worker, and none by both live workers.
    for (index, counts) in handled.iter().enumerate() {
        if index == 1 {
            continue;
        }
        let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "worker {index} handled {twice:?} twice");
    }
    let both: Vec<_> = handled[0]
        .keys()
        .filter(|k| handled[2].contains_key(*k))
        .collect();
    assert!(both.is_empty(), "handled by two live workers: {both:?}");
    assert!(!handled[1].is_empty(), "the killed worker had handled some");
    let stats = writer.publisher_stats().unwrap();
    assert_eq!(stats.undelivered, 0, "{stats:?}");
    drop(children);
    drain.abort();
}
