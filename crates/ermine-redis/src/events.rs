//! Events delivered to a pool of workers through Redis Streams and a consumer group.
//!
//! The process holding the events connection (the writer) publishes every event, after its
//! cache applied it, with what it changed ([`EventRecord`]). Workers read them through the
//! consumer group `workers`: each entry goes to one worker, is acknowledged after its handler
//! returned, and is claimed by another worker when it stayed unacknowledged for
//! [`EventStreamConfig::claim_after`] (its worker died). An entry delivered
//! [`EventStreamConfig::max_deliveries`] times goes to the dead-letter stream instead.
//!
//! # Ordering
//!
//! With one partition (the default) the pool shares one stream: each worker handles its
//! entries in stream order, but two workers run side by side, so events of one server may be
//! handled out of order. With `partitions(n)`, events are split over `n` streams by their
//! server (or channel, for messages and channel events) and each stream has exactly one
//! worker, chosen by its index (`WorkerConfig::partition`): the events of one server or
//! channel are handled in the order they were received, one at a time. A partition's entries
//! are not claimed by other workers (that would break the order); a worker restarted with
//! the same index handles its unacknowledged entries first, in order.
//!
//! # Limits
//!
//! Each stream is trimmed to about [`EventStreamConfig::max_len`] entries, but never below
//! what the group has still to read: when the workers fall that far behind, the writer holds
//! events back in its own queue (of [`EventStreamConfig::buffer`] events) and, when that is full
//! too, counts and logs the events it could not deliver ([`PublisherStats::undelivered`]).
//! While Redis is away the same queue holds events until it is back.
//!
//! Keys (next to the shared cache's): `{prefix}:{namespace}:events:v1:{partition}` (streams of
//! entries with a `record` field) and `{prefix}:{namespace}:events:v1:dead` (entries that
//! failed [`EventStreamConfig::max_deliveries`] times: `stream`, `id`, `deliveries`, `record`).

use std::collections::VecDeque;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use ermine_cache::Change;
use ermine_model::event::ServerEvent;
use ermine_model::id::ServerId;
use redis::streams::{StreamAutoClaimReply, StreamId, StreamInfoGroupsReply, StreamReadReply};
use redis::{RedisError, Value};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::connection::{Link, RETRY_AFTER};
use crate::keys::Keys;
use crate::{Error, RedisConfig};

/// The consumer group every worker joins.
pub const GROUP: &str = "workers";

/// Entries published per round trip.
const PUBLISH_BATCH: usize = 256;

/// One published event: the event and what it changed in the writer's cache, or what a
/// member-list refresh after a reconnect found.
// Records are moved once, from the decoder to the handler.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum EventRecord {
    /// An event and its change.
    Event {
        /// The event.
        event: ServerEvent,
        /// What it changed.
        change: Change,
    },
    /// A refetched member list's differences.
    Reconciled {
        /// The server.
        server: ServerId,
        /// The changes.
        changes: Vec<Change>,
    },
}

/// The same, borrowed, for publishing.
#[derive(Debug, Serialize)]
pub enum EventRecordRef<'a> {
    /// An event and its change.
    Event {
        /// The event.
        event: &'a ServerEvent,
        /// What it changed.
        change: &'a Change,
    },
    /// A refetched member list's differences.
    Reconciled {
        /// The server.
        server: ServerId,
        /// The changes.
        changes: &'a [Change],
    },
}

impl EventRecordRef<'_> {
    /// What orders it: its server, else its channel (`None`: no order needed).
    fn key(&self) -> Option<u128> {
        match self {
            Self::Reconciled { server, .. } => Some(server.get()),
            Self::Event { event, .. } => event_key(event),
        }
    }
}

/// The server or channel an event belongs to.
fn event_key(event: &ServerEvent) -> Option<u128> {
    use ServerEvent as E;
    Some(match event {
        E::Message(m) => m.channel.get(),
        E::MessageUpdate(m) => m.channel.get(),
        E::MessageAppend(m) => m.channel.get(),
        E::MessageDelete(m) => m.channel.get(),
        E::MessageReact(r) | E::MessageUnreact(r) => r.channel_id.get(),
        E::MessageRemoveReaction(r) => r.channel_id.get(),
        E::BulkMessageDelete(b) => b.channel.get(),
        E::ServerCreate(s) => s.id.get(),
        E::ServerUpdate(s) => s.id.get(),
        E::ServerDelete(s) => s.id.get(),
        E::ServerMemberUpdate(m) => m.id.server.get(),
        E::ServerMemberJoin(m) => m.id.get(),
        E::ServerMemberLeave(m) => m.id.get(),
        E::ServerRoleUpdate(r) => r.id.get(),
        E::ServerRoleDelete(r) => r.id.get(),
        E::ServerRoleRanksUpdate(r) => r.id.get(),
        E::ChannelUpdate(c) => c.id.get(),
        E::ChannelDelete(c) => c.id.get(),
        E::ChannelGroupJoin(c)
        | E::ChannelGroupLeave(c)
        | E::ChannelStartTyping(c)
        | E::ChannelStopTyping(c) => c.id.get(),
        E::ChannelAck(c) => c.id.get(),
        E::UserUpdate(u) => u.id.get(),
        _ => return None,
    })
}

/// Settings shared by the writer and its workers (they must agree on `partitions`).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EventStreamConfig {
    /// Streams the events are split over (default 1: one stream, no order across workers).
    pub partitions: u16,
    /// About how many entries each stream keeps (default 100,000).
    pub max_len: usize,
    /// Events the writer holds while Redis is away or the workers are `max_len` behind
    /// (default 100,000).
    pub buffer: usize,
    /// How long an entry stays with a worker that does not acknowledge it before another
    /// worker claims it (default 30 s; unpartitioned streams only).
    pub claim_after: Duration,
    /// Deliveries after which an entry goes to the dead-letter stream (default 5).
    pub max_deliveries: u64,
    /// Entries a worker reads at once (default 64).
    pub batch: usize,
    /// How long a worker's read waits for new entries before it looks for entries to claim
    /// (default 1 s).
    pub block: Duration,
}

impl Default for EventStreamConfig {
    fn default() -> Self {
        Self {
            partitions: 1,
            max_len: 100_000,
            buffer: 100_000,
            claim_after: Duration::from_secs(30),
            max_deliveries: 5,
            batch: 64,
            block: Duration::from_secs(1),
        }
    }
}

impl EventStreamConfig {
    /// Splits the events over `n` streams, one worker each, for per-server order.
    #[must_use]
    pub fn partitions(mut self, n: u16) -> Self {
        self.partitions = n.max(1);
        self
    }

    /// About how many entries each stream keeps.
    #[must_use]
    pub fn max_len(mut self, entries: usize) -> Self {
        self.max_len = entries.max(1);
        self
    }

    /// Events the writer holds while it cannot publish.
    #[must_use]
    pub fn buffer(mut self, events: usize) -> Self {
        self.buffer = events.max(1);
        self
    }

    /// How long before an unacknowledged entry is claimed by another worker.
    #[must_use]
    pub fn claim_after(mut self, idle: Duration) -> Self {
        self.claim_after = idle;
        self
    }

    /// Deliveries after which an entry is dead-lettered.
    #[must_use]
    pub fn max_deliveries(mut self, deliveries: u64) -> Self {
        self.max_deliveries = deliveries.max(1);
        self
    }

    /// Entries a worker reads at once (its read-ahead: entries it holds are claimed by
    /// others if it dies).
    #[must_use]
    pub fn batch(mut self, entries: usize) -> Self {
        self.batch = entries.max(1);
        self
    }

    /// How long a read waits for new entries.
    #[must_use]
    pub fn block(mut self, block: Duration) -> Self {
        self.block = block;
        self
    }

    fn partition_of(&self, key: Option<u128>) -> u16 {
        let Some(key) = key else { return 0 };
        if self.partitions <= 1 {
            return 0;
        }
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        // The remainder is below `partitions`, a u16.
        u16::try_from(hasher.finish() % u64::from(self.partitions)).unwrap_or(0)
    }
}

/// Creates the group on a stream (and the stream), reading from its start, unless it exists.
async fn ensure_group(
    conn: &mut redis::aio::MultiplexedConnection,
    stream: &str,
) -> Result<(), RedisError> {
    let created: Result<(), RedisError> = redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(stream)
        .arg(GROUP)
        .arg("0")
        .arg("MKSTREAM")
        .query_async(conn)
        .await;
    match created {
        Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
        other => other,
    }
}

/// The group's backlog on a stream: entries not yet delivered (lag) and delivered but not
/// acknowledged (pending).
async fn backlog(
    conn: &mut redis::aio::MultiplexedConnection,
    stream: &str,
) -> Result<(u64, u64), RedisError> {
    let groups: StreamInfoGroupsReply = redis::cmd("XINFO")
        .arg("GROUPS")
        .arg(stream)
        .query_async(conn)
        .await?;
    Ok(groups
        .groups
        .iter()
        .find(|g| g.name == GROUP)
        .map_or((0, 0), |g| (g.lag.unwrap_or(0) as u64, g.pending as u64)))
}

/// What the writer's publisher did so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PublisherStats {
    /// Events written to Redis.
    pub published: u64,
    /// Events waiting in the writer's queue.
    pub waiting: u64,
    /// Events that did not fit in the queue and were not delivered (logged).
    pub undelivered: u64,
    /// Whether the last exchange with Redis worked.
    pub redis_healthy: bool,
}

#[derive(Debug, Default)]
struct PublisherCounters {
    published: AtomicU64,
    queued: AtomicU64,
    undelivered: AtomicU64,
}

/// The writer's side: publishes events without ever waiting (see the [module](self)).
#[derive(Debug, Clone)]
pub struct EventPublisher {
    tx: mpsc::Sender<(u16, Vec<u8>)>,
    config: EventStreamConfig,
    counters: Arc<PublisherCounters>,
    link: Arc<Link>,
}

impl EventPublisher {
    /// Starts the publisher's task (the streams and the group are created when Redis first
    /// answers, so workers that start later miss nothing).
    ///
    /// # Errors
    /// [`Error::Url`] for a URL that is not Redis's.
    pub fn start(config: &RedisConfig, stream: EventStreamConfig) -> Result<Self, Error> {
        let client = redis::Client::open(config.url.as_str()).map_err(Error::Url)?;
        let link = Arc::new(Link::new(client, "event stream (writer)"));
        let (tx, rx) = mpsc::channel(stream.buffer);
        let counters = Arc::new(PublisherCounters::default());
        let keys = Keys::new(&config.prefix, &config.namespace);
        let task = PublishTask {
            rx,
            streams: (0..stream.partitions).map(|p| keys.events(p)).collect(),
            config: stream.clone(),
            counters: Arc::clone(&counters),
            link: Arc::clone(&link),
            groups_ready: false,
        };
        tokio::spawn(task.run());
        Ok(Self {
            tx,
            config: stream,
            counters,
            link,
        })
    }

    /// Publishes a record; never waits. When the queue is full the record is counted in
    /// [`PublisherStats::undelivered`] and logged.
    pub fn publish(&self, record: &EventRecordRef<'_>) {
        let bytes = match crate::codec::encode_record(record) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.counters.undelivered.fetch_add(1, Ordering::Relaxed);
                tracing::error!(%error, "an event could not be encoded for the workers");
                return;
            }
        };
        let partition = self.config.partition_of(record.key());
        if self.tx.try_send((partition, bytes)).is_ok() {
            self.counters.queued.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let lost = self.counters.undelivered.fetch_add(1, Ordering::Relaxed);
        // Logged once, then every thousandth.
        if lost.is_multiple_of(1000) {
            tracing::error!(
                undelivered = lost + 1,
                "the event stream's queue is full: events are not delivered to workers"
            );
        }
    }

    /// What it did so far.
    pub fn stats(&self) -> PublisherStats {
        let published = self.counters.published.load(Ordering::Relaxed);
        PublisherStats {
            published,
            waiting: self
                .counters
                .queued
                .load(Ordering::Relaxed)
                .saturating_sub(published),
            undelivered: self.counters.undelivered.load(Ordering::Relaxed),
            redis_healthy: self.link.is_healthy(),
        }
    }
}

struct PublishTask {
    rx: mpsc::Receiver<(u16, Vec<u8>)>,
    streams: Vec<String>,
    config: EventStreamConfig,
    counters: Arc<PublisherCounters>,
    link: Arc<Link>,
    groups_ready: bool,
}

/// A stream entry ID: milliseconds and a sequence number.
type EntryId = (u64, u64);

fn parse_id(id: &str) -> Option<EntryId> {
    let (ms, seq) = id.split_once('-')?;
    Some((ms.parse().ok()?, seq.parse().ok()?))
}

/// One record waiting to be written, with the stream ID it was given once: written again
/// after a failure, an entry Redis already has is recognised by its ID and skipped, so a
/// record is in the stream exactly once.
struct Waiting {
    partition: usize,
    bytes: Vec<u8>,
    id: Option<EntryId>,
}

impl PublishTask {
    async fn run(mut self) {
        let mut received = Vec::with_capacity(PUBLISH_BATCH);
        // The last ID written to each stream, as Redis has it (`None`: to be read first).
        let mut last: Vec<Option<EntryId>> = vec![None; self.streams.len()];
        while self.rx.recv_many(&mut received, PUBLISH_BATCH).await > 0 {
            let mut batch: Vec<Waiting> = received
                .drain(..)
                .map(|(partition, bytes)| Waiting {
                    partition: usize::from(partition).min(self.streams.len() - 1),
                    bytes,
                    id: None,
                })
                .collect();
            // The batch is kept until it is written: Redis away or workers behind only delay.
            loop {
                match self.flush(&mut batch, &mut last).await {
                    Ok(true) => break,
                    Ok(false) => tokio::time::sleep(RETRY_AFTER / 10).await,
                    Err(error) => {
                        self.link.failed(&error).await;
                        self.groups_ready = false;
                        // What Redis has is read again: part of the batch may be in.
                        last.fill(None);
                        tokio::time::sleep(RETRY_AFTER).await;
                    }
                }
            }
            self.link.worked();
            self.counters
                .published
                .fetch_add(batch.len() as u64, Ordering::Relaxed);
        }
    }

    /// Writes the batch; `false` (nothing written) while the workers are too far behind.
    async fn flush(
        &mut self,
        batch: &mut [Waiting],
        last: &mut [Option<EntryId>],
    ) -> Result<bool, RedisError> {
        let mut conn = self.link.get().await?;
        if !self.groups_ready {
            for stream in &self.streams {
                ensure_group(&mut conn, stream).await?;
            }
            self.groups_ready = true;
        }
        // Never trim what the group has still to read: wait while it is that far behind.
        for (index, stream) in self.streams.iter().enumerate() {
            let (lag, pending) = backlog(&mut conn, stream).await?;
            if usize::try_from(lag + pending).unwrap_or(usize::MAX) + batch.len()
                > self.config.max_len
            {
                return Ok(false);
            }
            if last[index].is_none() {
                let info: redis::streams::StreamInfoStreamReply = redis::cmd("XINFO")
                    .arg("STREAM")
                    .arg(stream)
                    .query_async(&mut conn)
                    .await?;
                last[index] = Some(parse_id(&info.last_generated_id).unwrap_or((0, 0)));
            }
        }
        let now = u64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis()),
        )
        .unwrap_or(u64::MAX);
        let mut pipe = redis::pipe();
        let mut writes = 0;
        for entry in batch.iter_mut() {
            let latest = last[entry.partition].unwrap_or((0, 0));
            let id = match entry.id {
                // Written before the failure: Redis has it.
                Some(id) if id <= latest => continue,
                Some(id) => id,
                None => {
                    let id = if now > latest.0 {
                        (now, 0)
                    } else {
                        (latest.0, latest.1 + 1)
                    };
                    entry.id = Some(id);
                    id
                }
            };
            last[entry.partition] = Some(id);
            pipe.cmd("XADD")
                .arg(&self.streams[entry.partition])
                .arg("MAXLEN")
                .arg("~")
                .arg(self.config.max_len)
                .arg(format!("{}-{}", id.0, id.1))
                .arg("record")
                .arg(entry.bytes.as_slice())
                .ignore();
            writes += 1;
        }
        // After a failure, Redis may have had the whole batch already.
        if writes > 0 {
            pipe.query_async::<()>(&mut conn).await?;
        }
        Ok(true)
    }
}

/// One entry handed to a worker.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The record, or why it could not be read.
    pub record: Result<EventRecord, String>,
    /// How many times it was delivered (more than 1: a redelivery).
    pub deliveries: u64,
    ack: AckToken,
}

impl Delivery {
    /// What acknowledges it.
    pub fn ack_token(&self) -> AckToken {
        self.ack.clone()
    }
}

/// Acknowledges one delivery ([`EventConsumer::ack`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AckToken {
    stream: usize,
    id: String,
}

/// Which worker this is.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    name: String,
    partition: Option<u16>,
}

impl WorkerConfig {
    /// A worker named `name` (unique in the pool; a restarted worker keeps its name to handle
    /// its unacknowledged entries first).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            partition: None,
        }
    }

    /// The partition this worker owns (with `partitions(n)`; `index < n`).
    #[must_use]
    pub fn partition(mut self, index: u16) -> Self {
        self.partition = Some(index);
        self
    }
}

/// What a worker saw so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ConsumerStats {
    /// Entries handed to this worker.
    pub delivered: u64,
    /// Of those, redeliveries (its own after a restart, or claimed from a dead worker).
    pub redelivered: u64,
    /// Entries acknowledged.
    pub acknowledged: u64,
    /// Entries sent to the dead-letter stream.
    pub dead_lettered: u64,
    /// Entries lost before they were handled (trimmed from the stream while pending).
    pub lost: u64,
    /// Entries not yet delivered to any worker of the group, at the last look.
    pub lag: u64,
    /// Entries delivered to the group and not acknowledged, at the last look.
    pub pending: u64,
    /// Whether the last exchange with Redis worked.
    pub redis_healthy: bool,
}

#[derive(Debug, Default)]
struct ConsumerCounters {
    delivered: AtomicU64,
    redelivered: AtomicU64,
    acknowledged: AtomicU64,
    dead_lettered: AtomicU64,
    lost: AtomicU64,
    lag: AtomicU64,
    pending: AtomicU64,
}

/// The entries a worker holds (read, not yet acknowledged), per stream: kept fresh so that no
/// other worker claims them while this one lives.
type Held = Arc<std::sync::Mutex<Vec<std::collections::HashSet<String>>>>;

fn held(held: &Held) -> std::sync::MutexGuard<'_, Vec<std::collections::HashSet<String>>> {
    held.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Acknowledges deliveries of one worker from any task.
#[derive(Debug, Clone)]
pub struct Acker {
    tx: mpsc::Sender<AckToken>,
}

/// Acknowledgements written per round trip (and queued at most, times 16).
const ACK_BATCH: usize = 512;

impl Acker {
    /// Acknowledges a delivery: queued at once, written by the worker's acknowledging task in
    /// batches (one round trip for many). Until Redis has it the entry stays pending and is
    /// kept fresh, so a worker that dies first has it delivered again (at least once).
    /// Gives the token back when the worker is gone.
    pub async fn ack(&self, token: AckToken) -> Result<(), AckToken> {
        self.tx.send(token).await.map_err(|e| e.0)
    }
}

/// The worker's acknowledging task: writes queued acknowledgements in batches, retrying a
/// batch until Redis takes it.
async fn acknowledge(
    mut rx: mpsc::Receiver<AckToken>,
    link: Arc<Link>,
    streams: Arc<[String]>,
    counters: Arc<ConsumerCounters>,
    held: Held,
) {
    let mut batch = Vec::with_capacity(ACK_BATCH);
    while rx.recv_many(&mut batch, ACK_BATCH).await > 0 {
        loop {
            match write_acks(&link, &streams, &batch).await {
                Ok(()) => break,
                Err(error) => {
                    link.failed(&error).await;
                    tokio::time::sleep(RETRY_AFTER).await;
                }
            }
        }
        link.worked();
        counters
            .acknowledged
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        let mut held = self::held(&held);
        for token in batch.drain(..) {
            if let Some(set) = held.get_mut(token.stream) {
                set.remove(&token.id);
            }
        }
    }
}

async fn write_acks(link: &Link, streams: &[String], batch: &[AckToken]) -> Result<(), RedisError> {
    let mut conn = link.get().await?;
    let mut pipe = redis::pipe();
    for (index, stream) in streams.iter().enumerate() {
        let ids: Vec<&str> = batch
            .iter()
            .filter(|t| t.stream == index)
            .map(|t| t.id.as_str())
            .collect();
        if !ids.is_empty() {
            pipe.cmd("XACK").arg(stream).arg(GROUP).arg(ids).ignore();
        }
    }
    pipe.query_async::<()>(&mut conn).await
}

/// Keeps a live worker's entries from being claimed: every third of `claim_after`, it claims
/// them again for itself (`XCLAIM … JUSTID`, which resets their idle time and does not count
/// as a delivery). It ends with the worker.
async fn keep_fresh(
    link: Arc<Link>,
    streams: Arc<[String]>,
    name: String,
    held: std::sync::Weak<std::sync::Mutex<Vec<std::collections::HashSet<String>>>>,
    every: Duration,
) {
    loop {
        tokio::time::sleep(every).await;
        let Some(held) = held.upgrade() else { return };
        let ids: Vec<(usize, Vec<String>)> = self::held(&held)
            .iter()
            .enumerate()
            .filter(|(_, set)| !set.is_empty())
            .map(|(stream, set)| (stream, set.iter().cloned().collect()))
            .collect();
        drop(held);
        for (stream, ids) in ids {
            let refreshed = async {
                let mut conn = link.get().await?;
                let mut cmd = redis::cmd("XCLAIM");
                cmd.arg(&streams[stream]).arg(GROUP).arg(&name).arg(0);
                for id in &ids {
                    cmd.arg(id);
                }
                cmd.arg("JUSTID").query_async::<Value>(&mut conn).await
            }
            .await;
            if let Err(error) = refreshed {
                link.failed(&error).await;
            }
        }
    }
}

/// Reads a worker's statistics from any task.
#[derive(Debug, Clone)]
pub struct ConsumerMonitor {
    counters: Arc<ConsumerCounters>,
    healthy: Arc<AtomicBool>,
}

impl ConsumerMonitor {
    /// What the worker saw so far.
    pub fn stats(&self) -> ConsumerStats {
        let c = &self.counters;
        ConsumerStats {
            delivered: c.delivered.load(Ordering::Relaxed),
            redelivered: c.redelivered.load(Ordering::Relaxed),
            acknowledged: c.acknowledged.load(Ordering::Relaxed),
            dead_lettered: c.dead_lettered.load(Ordering::Relaxed),
            lost: c.lost.load(Ordering::Relaxed),
            lag: c.lag.load(Ordering::Relaxed),
            pending: c.pending.load(Ordering::Relaxed),
            redis_healthy: self.healthy.load(Ordering::Relaxed),
        }
    }
}

/// A worker's side: the entries of its stream(s), one at a time (see the [module](self)).
#[derive(Debug)]
pub struct EventConsumer {
    link: Arc<Link>,
    streams: Vec<String>,
    dead: String,
    config: EventStreamConfig,
    name: String,
    ready: VecDeque<Delivery>,
    /// Its own unacknowledged entries are read first after a restart (delivered again: a
    /// restart counts as a delivery): in each stream from after the ID here, until a read
    /// finds none.
    own_pending: Option<Vec<String>>,
    /// A fill is under way: still set when the next one starts, the last was dropped while
    /// it talked to Redis, and what Redis gave it is recovered first.
    filling: bool,
    groups_ready: bool,
    last_claim: Option<tokio::time::Instant>,
    counters: Arc<ConsumerCounters>,
    healthy: Arc<AtomicBool>,
    held: Held,
    acker: Acker,
}

impl EventConsumer {
    /// A worker of the pool (within a tokio runtime: it starts the task that keeps its
    /// entries from being claimed while it lives).
    ///
    /// # Errors
    /// [`Error::Url`] for a URL that is not Redis's.
    pub fn new(
        config: &RedisConfig,
        stream: EventStreamConfig,
        worker: WorkerConfig,
    ) -> Result<Self, Error> {
        let client = redis::Client::open(config.url.as_str()).map_err(Error::Url)?;
        let keys = Keys::new(&config.prefix, &config.namespace);
        let streams = match worker.partition {
            Some(p) => vec![keys.events(p.min(stream.partitions.saturating_sub(1)))],
            None => (0..stream.partitions).map(|p| keys.events(p)).collect(),
        };
        let link = Arc::new(Link::new(client, "event stream (worker)"));
        let held: Held = Arc::new(std::sync::Mutex::new(vec![
            std::collections::HashSet::new();
            streams.len()
        ]));
        tokio::spawn(keep_fresh(
            Arc::clone(&link),
            streams.clone().into(),
            worker.name.clone(),
            Arc::downgrade(&held),
            (stream.claim_after / 3).max(Duration::from_millis(10)),
        ));
        let counters = Arc::<ConsumerCounters>::default();
        let (tx, rx) = mpsc::channel(ACK_BATCH * 16);
        tokio::spawn(acknowledge(
            rx,
            // A client of its own: a clone would share the reader's connection, where
            // blocking reads would hold the acknowledgements back.
            Arc::new(Link::new(
                redis::Client::open(config.url.as_str()).map_err(Error::Url)?,
                "event stream (acknowledgements)",
            )),
            streams.clone().into(),
            Arc::clone(&counters),
            Arc::clone(&held),
        ));
        Ok(Self {
            link,
            own_pending: Some(vec!["0".to_owned(); streams.len()]),
            streams,
            dead: keys.dead_events(),
            config: stream,
            name: worker.name,
            ready: VecDeque::new(),
            filling: false,
            groups_ready: false,
            last_claim: None,
            counters,
            healthy: Arc::new(AtomicBool::new(true)),
            held,
            acker: Acker { tx },
        })
    }

    /// The next entry; waits for one (Redis failures are logged and retried).
    ///
    /// Cancel-safe: it can be raced in `select!` against a timer. Redis may have given a
    /// dropped call entries it never handed out (they are this worker's, unacknowledged); the
    /// next call finds them in this worker's pending entries and hands them out, each once
    /// and without counting a delivery more, before anything new.
    pub async fn next(&mut self) -> Delivery {
        loop {
            if let Some(delivery) = self.ready.pop_front() {
                self.counters.delivered.fetch_add(1, Ordering::Relaxed);
                if delivery.deliveries > 1 {
                    self.counters.redelivered.fetch_add(1, Ordering::Relaxed);
                }
                return delivery;
            }
            match self.fill().await {
                Ok(()) => {
                    self.link.worked();
                    self.healthy.store(true, Ordering::Relaxed);
                }
                Err(error) => {
                    self.link.failed(&error).await;
                    self.healthy.store(false, Ordering::Relaxed);
                    self.groups_ready = false;
                    tokio::time::sleep(RETRY_AFTER).await;
                }
            }
        }
    }

    /// Acknowledges a delivery (after its handler returned); see [`Acker::ack`].
    pub async fn ack(&mut self, token: AckToken) {
        // The acknowledging task lives as long as this consumer.
        let _ = self.acker.ack(token).await;
    }

    /// What acknowledges deliveries from another task while this one reads.
    pub fn acker(&self) -> Acker {
        self.acker.clone()
    }

    /// What reads this worker's statistics from another task.
    pub fn monitor(&self) -> ConsumerMonitor {
        ConsumerMonitor {
            counters: Arc::clone(&self.counters),
            healthy: Arc::clone(&self.healthy),
        }
    }

    /// What it saw so far.
    pub fn stats(&self) -> ConsumerStats {
        self.monitor().stats()
    }

    /// Reads the next entries into `ready`: its own pending ones first, then claimed ones
    /// (unpartitioned), then new ones.
    async fn fill(&mut self) -> Result<(), RedisError> {
        let interrupted = std::mem::replace(&mut self.filling, true);
        let filled = self.fill_from_redis(interrupted).await;
        // Reached unless the call was dropped. Not after a failure: then the pending list
        // may be one Redis restored from before acknowledgements this worker wrote, and
        // what it names was handled already.
        self.filling = false;
        filled
    }

    async fn fill_from_redis(&mut self, interrupted: bool) -> Result<(), RedisError> {
        let mut conn = self.link.get().await?;
        if !self.groups_ready {
            for stream in &self.streams {
                ensure_group(&mut conn, stream).await?;
            }
            self.groups_ready = true;
        }
        if interrupted {
            self.recover(&mut conn).await?;
            if !self.ready.is_empty() {
                return Ok(());
            }
        }
        // Kept until a read succeeds: a failed one is tried again from the same place.
        if let Some(after) = self.own_pending.clone() {
            self.own_pending = self.read(&mut conn, Some(after), None).await?;
            return Ok(());
        }
        if self.claim_due() {
            self.last_claim = Some(tokio::time::Instant::now());
            self.observe(&mut conn).await?;
            if self.claim(&mut conn).await? > 0 {
                return Ok(());
            }
        }
        self.read(&mut conn, None, Some(self.config.block)).await?;
        Ok(())
    }

    fn claim_due(&self) -> bool {
        self.last_claim.is_none_or(|at| {
            at.elapsed() >= (self.config.claim_after / 2).max(Duration::from_millis(50))
        })
    }

    /// Reads new entries, or with `own_pending_after` its own pending ones after those IDs
    /// (one per stream); for those, the IDs to read on from (`None`: there were no more).
    async fn read(
        &mut self,
        conn: &mut redis::aio::MultiplexedConnection,
        own_pending_after: Option<Vec<String>>,
        block: Option<Duration>,
    ) -> Result<Option<Vec<String>>, RedisError> {
        let mut cmd = redis::cmd("XREADGROUP");
        cmd.arg("GROUP")
            .arg(GROUP)
            .arg(&self.name)
            .arg("COUNT")
            .arg(self.config.batch);
        if let Some(block) = block {
            cmd.arg("BLOCK")
                .arg(u64::try_from(block.as_millis()).unwrap_or(u64::MAX).max(1));
        }
        cmd.arg("STREAMS");
        for stream in &self.streams {
            cmd.arg(stream);
        }
        match &own_pending_after {
            Some(after) => {
                cmd.arg(after);
            }
            None => {
                for _ in &self.streams {
                    cmd.arg(">");
                }
            }
        }
        let reply: Option<StreamReadReply> = cmd.query_async(conn).await?;
        let own_pending = own_pending_after.is_some();
        let mut after = own_pending_after;
        let mut read = 0;
        for key in reply.map(|r| r.keys).unwrap_or_default() {
            let Some(stream) = self.streams.iter().position(|s| *s == key.key) else {
                continue;
            };
            for entry in key.ids {
                // An own pending entry is delivered again; its count is looked up.
                let deliveries = if own_pending {
                    self.times_delivered(conn, stream, &entry.id).await?
                } else {
                    1
                };
                self.accept(conn, stream, &entry, deliveries).await?;
                read += 1;
                // A stream's entries come in ID order: the next read starts after the last.
                if let Some(id) = after.as_mut().and_then(|a| a.get_mut(stream)) {
                    id.clone_from(&entry.id);
                }
            }
        }
        Ok(after.filter(|_| read > 0))
    }

    /// Takes entries left unacknowledged by dead workers (unpartitioned streams only); how
    /// many.
    async fn claim(
        &mut self,
        conn: &mut redis::aio::MultiplexedConnection,
    ) -> Result<usize, RedisError> {
        if self.streams.len() != 1 || self.config.partitions > 1 {
            return Ok(0);
        }
        let stream = 0;
        // One pass over the group's pending entries, from where the last pass stopped: a
        // scan looks at a bounded number of entries, and the first ones may all be held by
        // live workers.
        let mut cursor = "0-0".to_owned();
        let mut count = 0;
        loop {
            let reply: StreamAutoClaimReply = redis::cmd("XAUTOCLAIM")
                .arg(&self.streams[stream])
                .arg(GROUP)
                .arg(&self.name)
                .arg(u64::try_from(self.config.claim_after.as_millis()).unwrap_or(u64::MAX))
                .arg(&cursor)
                .arg("COUNT")
                .arg(self.config.batch)
                .query_async(conn)
                .await?;
            if !reply.deleted_ids.is_empty() {
                self.lost(reply.deleted_ids.len() as u64);
            }
            count += reply.claimed.len();
            for entry in &reply.claimed {
                let deliveries = self.times_delivered(conn, stream, &entry.id).await?;
                self.accept(conn, stream, entry, deliveries).await?;
            }
            cursor = reply.next_stream_id;
            if count > 0 || cursor == "0-0" {
                return Ok(count);
            }
        }
    }

    /// Queues the entries Redis gave this worker that it does not hold (a fill dropped after
    /// Redis answered): found in its pending list and read by ID, which does not count as
    /// delivering them again.
    async fn recover(
        &mut self,
        conn: &mut redis::aio::MultiplexedConnection,
    ) -> Result<(), RedisError> {
        for stream in 0..self.streams.len() {
            let mut start = "-".to_owned();
            loop {
                let reply: redis::streams::StreamPendingCountReply = redis::cmd("XPENDING")
                    .arg(&self.streams[stream])
                    .arg(GROUP)
                    .arg(&start)
                    .arg("+")
                    .arg(self.config.batch)
                    .arg(&self.name)
                    .query_async(conn)
                    .await?;
                for pending in &reply.ids {
                    let held = held(&self.held)
                        .get(stream)
                        .is_some_and(|set| set.contains(&pending.id));
                    if !held {
                        let range: redis::streams::StreamRangeReply = redis::cmd("XRANGE")
                            .arg(&self.streams[stream])
                            .arg(&pending.id)
                            .arg(&pending.id)
                            .query_async(conn)
                            .await?;
                        match range.ids.first() {
                            Some(entry) => {
                                let deliveries = pending.times_delivered as u64;
                                self.accept(conn, stream, entry, deliveries).await?;
                            }
                            None => self.trimmed(conn, stream, &pending.id).await?,
                        }
                    }
                    start = format!("({}", pending.id);
                }
                if reply.ids.len() < self.config.batch {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Counts and reports pending entries the stream no longer holds (trimmed before a
    /// worker handled them).
    fn lost(&self, lost: u64) {
        self.counters.lost.fetch_add(lost, Ordering::Relaxed);
        tracing::error!(
            lost,
            "pending events were trimmed from the stream before a worker handled them"
        );
    }

    /// An entry of this worker's that the stream no longer holds: counted lost, and
    /// acknowledged so that it is not looked for again.
    async fn trimmed(
        &self,
        conn: &mut redis::aio::MultiplexedConnection,
        stream: usize,
        id: &str,
    ) -> Result<(), RedisError> {
        redis::cmd("XACK")
            .arg(&self.streams[stream])
            .arg(GROUP)
            .arg(id)
            .query_async::<()>(conn)
            .await?;
        self.lost(1);
        Ok(())
    }

    /// How many times the group delivered an entry.
    async fn times_delivered(
        &self,
        conn: &mut redis::aio::MultiplexedConnection,
        stream: usize,
        id: &str,
    ) -> Result<u64, RedisError> {
        let reply: redis::streams::StreamPendingCountReply = redis::cmd("XPENDING")
            .arg(&self.streams[stream])
            .arg(GROUP)
            .arg(id)
            .arg(id)
            .arg(1)
            .query_async(conn)
            .await?;
        Ok(reply.ids.first().map_or(1, |p| p.times_delivered as u64))
    }

    /// Queues an entry for the handler, or dead-letters it after too many deliveries.
    async fn accept(
        &mut self,
        conn: &mut redis::aio::MultiplexedConnection,
        stream: usize,
        entry: &StreamId,
        deliveries: u64,
    ) -> Result<(), RedisError> {
        let bytes = match entry.map.get("record") {
            Some(Value::BulkString(bytes)) => bytes.clone(),
            _ => Vec::new(),
        };
        if deliveries > self.config.max_deliveries {
            redis::pipe()
                .atomic()
                .cmd("XADD")
                .arg(&self.dead)
                .arg("MAXLEN")
                .arg("~")
                .arg(self.config.max_len)
                .arg("*")
                .arg("stream")
                .arg(&self.streams[stream])
                .arg("id")
                .arg(&entry.id)
                .arg("deliveries")
                .arg(deliveries)
                .arg("record")
                .arg(bytes.as_slice())
                .ignore()
                .cmd("XACK")
                .arg(&self.streams[stream])
                .arg(GROUP)
                .arg(&entry.id)
                .ignore()
                .query_async::<()>(conn)
                .await?;
            self.counters.dead_lettered.fetch_add(1, Ordering::Relaxed);
            tracing::error!(id = %entry.id, deliveries, "an event failed too often: dead-lettered");
            return Ok(());
        }
        let fresh = held(&self.held)
            .get_mut(stream)
            .is_some_and(|set| set.insert(entry.id.clone()));
        if !fresh {
            // Already held here (claimed back from itself): handed out once only.
            return Ok(());
        }
        let record = crate::codec::decode_record(&bytes).map_err(|e| e.to_string());
        self.ready.push_back(Delivery {
            record,
            deliveries,
            ack: AckToken {
                stream,
                id: entry.id.clone(),
            },
        });
        Ok(())
    }

    /// Reads the group's lag and pending count.
    async fn observe(
        &self,
        conn: &mut redis::aio::MultiplexedConnection,
    ) -> Result<(), RedisError> {
        let (mut lag, mut pending) = (0, 0);
        for stream in &self.streams {
            let (l, p) = backlog(conn, stream).await?;
            lag += l;
            pending += p;
        }
        self.counters.lag.store(lag, Ordering::Relaxed);
        self.counters.pending.store(pending, Ordering::Relaxed);
        Ok(())
    }
}
