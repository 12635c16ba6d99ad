//! [`RedisCache`]: a cache shared through Redis by one writer and any number of followers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ermine_cache::{Cache, CacheBackend, CacheConfig, CacheSnapshot, Change};
use ermine_model::channel::Channel;
use ermine_model::event::ServerEvent;
use ermine_model::id::ServerId;
use ermine_model::member::{AllMemberResponse, Member};
use ermine_model::server::Server;
use ermine_model::user::User;
use redis::streams::{StreamRangeReply, StreamReadReply};
use tokio::sync::mpsc;

use crate::codec::{self, Op, OpRef};
use crate::connection::{Link, RETRY_AFTER};
use crate::keys::Keys;
use crate::{Error, RedisConfig};

/// What a process does with the shared cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Applies the events connection's events and the REST results, and publishes them.
    Writer,
    /// Follows what the writer publishes (a dashboard, a worker without an events
    /// connection). Its own writes stay in this process.
    Follower,
}

/// A cache shared through Redis: every process keeps a local [`Cache`] (reads never leave
/// the process), the writer publishes each write, followers apply them in the same order.
///
/// See the crate documentation for the key layout, the format and the consistency rules.
#[derive(Debug)]
pub struct RedisCache {
    view: Arc<Cache>,
    role: Role,
    publish: Option<Publisher>,
    link: Arc<Link>,
    position: Arc<AtomicU64>,
    /// The last write the publisher has stored in Redis (the writer's).
    published: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RedisCache {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Debug)]
struct Publisher {
    /// The sequence number of the last write; held while a write is applied and queued, so
    /// the queue's order is the cache's.
    seq: Arc<Mutex<u64>>,
    queue: mpsc::Sender<Item>,
    /// Set when a write did not fit in the queue: the publisher then writes a snapshot
    /// (which holds every write) instead of the ops it lost.
    overflow: Arc<AtomicBool>,
    snapshot_every: u64,
}

impl Publisher {
    /// Queues an item; when the queue is full, marks the overflow instead (logged once per
    /// overflow).
    fn enqueue(&self, item: Item) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.queue.try_send(item)
            && !self.overflow.swap(true, Ordering::AcqRel)
        {
            tracing::warn!(
                queue = self.queue.max_capacity(),
                "redis is slower than the cache's writes; a snapshot will replace the queued ones"
            );
        }
    }
}

#[derive(Debug)]
enum Item {
    Op(u64, Vec<u8>),
    Snapshot(u64, Box<CacheSnapshot>),
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The snapshot as stored.
struct Stored {
    epoch: String,
    seq: u64,
    id: String,
    snapshot: CacheSnapshot,
}

async fn load_snapshot(link: &Link, keys: &Keys) -> Result<Option<Stored>, redis::RedisError> {
    let mut conn = link.get().await?;
    let fields: HashMap<String, Vec<u8>> = redis::cmd("HGETALL")
        .arg(keys.snapshot())
        .query_async(&mut conn)
        .await?;
    let text = |name: &str| {
        fields
            .get(name)
            .map(|v| String::from_utf8_lossy(v).into_owned())
    };
    let (Some(epoch), Some(seq), Some(data)) = (text("epoch"), text("seq"), fields.get("data"))
    else {
        return Ok(None);
    };
    match codec::decode_snapshot(data) {
        Ok(snapshot) => Ok(Some(Stored {
            epoch,
            seq: seq.parse().unwrap_or(0),
            id: text("id").unwrap_or_else(|| "0-0".to_owned()),
            snapshot,
        })),
        Err(error) => {
            tracing::warn!(%error, "the shared cache snapshot is unreadable; ignoring it");
            Ok(None)
        }
    }
}

/// An entry of the ops stream.
struct Entry {
    id: String,
    epoch: String,
    seq: u64,
    op: Vec<u8>,
}

fn entry(id: String, map: &HashMap<String, redis::Value>) -> Option<Entry> {
    let bytes = |name: &str| match map.get(name)? {
        redis::Value::BulkString(b) => Some(b.clone()),
        redis::Value::SimpleString(s) => Some(s.clone().into_bytes()),
        _ => None,
    };
    Some(Entry {
        id,
        epoch: String::from_utf8(bytes("epoch")?).ok()?,
        seq: String::from_utf8(bytes("seq")?).ok()?.parse().ok()?,
        op: bytes("op")?,
    })
}

fn apply(view: &Cache, op: Op) {
    match op {
        Op::Event(event) => {
            view.update(&event);
        }
        Op::Member(member) => view.insert_member(&member),
        Op::Members(list) => view.insert_members(&list),
        Op::User(user) => view.insert_user(&user),
        Op::Server(server) => view.insert_server(&server),
        Op::Channel(channel) => view.insert_channel(&channel),
        Op::Replace(server, list) => {
            view.replace_members(server, &list);
        }
    }
}

impl RedisCache {
    /// Connects as the writer: restores the shared state (the snapshot and the writes after
    /// it) into the local view, so that a restarted bot starts warm and its first `Ready` is
    /// reconciled against what it knew, then publishes every write.
    ///
    /// Redis being unreachable is not an error: the cache starts empty and works in this
    /// process until Redis answers.
    pub async fn writer(config: RedisConfig) -> Result<Self, Error> {
        Self::start(config, Role::Writer).await
    }

    /// Connects as a follower: loads the shared state and applies the writer's writes as they
    /// come.
    pub async fn follower(config: RedisConfig) -> Result<Self, Error> {
        Self::start(config, Role::Follower).await
    }

    /// Connects in `role`: [`writer`](Self::writer) or [`follower`](Self::follower).
    pub async fn start(config: RedisConfig, role: Role) -> Result<Self, Error> {
        let client = redis::Client::open(config.url.as_str()).map_err(Error::Url)?;
        let keys = Keys::new(&config.prefix, &config.namespace);
        let view = Arc::new(Cache::with_config(config.cache));
        let position = Arc::new(AtomicU64::new(0));
        let published = Arc::new(AtomicU64::new(0));
        match role {
            Role::Writer => {
                let link = Arc::new(Link::new(client, "shared cache"));
                let seq = restore(&link, &keys, &view).await;
                position.store(seq, Ordering::Release);
                let seq = Arc::new(Mutex::new(seq));
                let (queue, rx) = mpsc::channel(config.publish_queue);
                let overflow = Arc::new(AtomicBool::new(false));
                let publishing = Publishing {
                    overflow: Arc::clone(&overflow),
                    link: Arc::clone(&link),
                    keys,
                    view: Arc::clone(&view),
                    seq: Arc::clone(&seq),
                    published: Arc::clone(&published),
                    epoch: ulid::Ulid::new().to_string(),
                    last_id: None,
                    resync: true,
                };
                let task = tokio::spawn(publishing.run(rx));
                Ok(Self {
                    view,
                    role,
                    publish: Some(Publisher {
                        seq,
                        queue,
                        overflow,
                        snapshot_every: config.snapshot_every.max(1),
                    }),
                    link,
                    position,
                    published,
                    task,
                })
            }
            Role::Follower => {
                // The follower reads with blocking calls: a connection of its own.
                let link = Arc::new(Link::new(client, "shared cache (follower)"));
                let follow = Following {
                    link: Arc::clone(&link),
                    keys,
                    view: Arc::clone(&view),
                    position: Arc::clone(&position),
                };
                follow.reload().await;
                let task = tokio::spawn(follow.run());
                Ok(Self {
                    view,
                    role,
                    publish: None,
                    link,
                    position,
                    published,
                    task,
                })
            }
        }
    }

    /// This process's role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The last write this process applied: for the writer, its latest; for a follower, the
    /// writer's write it has caught up with (within the writer's current run).
    pub fn position(&self) -> u64 {
        self.position.load(Ordering::Acquire)
    }

    /// Waits until every write so far is stored in Redis (the writer; a follower has nothing
    /// to store), for at most `within`; whether it is. For a graceful shutdown.
    pub async fn flush(&self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while self.publish.is_some() && self.published.load(Ordering::Acquire) < self.position() {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        true
    }

    /// Whether the last exchange with Redis worked (`false`: working locally, degraded).
    pub fn is_shared(&self) -> bool {
        self.link.is_healthy()
    }

    /// Applies a write locally and, for the writer, queues it for Redis in the same order.
    fn write<'a, R>(
        &self,
        apply: impl FnOnce(&Cache) -> R,
        op: impl FnOnce() -> OpRef<'a>,
        snapshot: bool,
    ) -> R {
        let Some(publish) = &self.publish else {
            return apply(&self.view);
        };
        let mut seq = lock(&publish.seq);
        let result = apply(&self.view);
        *seq += 1;
        self.position.store(*seq, Ordering::Release);
        match codec::encode_op(&op()) {
            Ok(bytes) => publish.enqueue(Item::Op(*seq, bytes)),
            Err(error) => tracing::warn!(%error, "a cache write could not be encoded for redis"),
        }
        if snapshot || *seq % publish.snapshot_every == 0 {
            publish.enqueue(Item::Snapshot(*seq, Box::new(self.view.export())));
        }
        result
    }
}

/// Loads the snapshot and the writes after it into `view`; the last sequence number seen.
async fn restore(link: &Link, keys: &Keys, view: &Cache) -> u64 {
    let result: Result<u64, redis::RedisError> = async {
        let Some(stored) = load_snapshot(link, keys).await? else {
            return Ok(0);
        };
        view.import(&stored.snapshot);
        let mut conn = link.get().await?;
        let reply: StreamRangeReply = redis::cmd("XRANGE")
            .arg(keys.ops())
            .arg(format!("({}", stored.id))
            .arg("+")
            .query_async(&mut conn)
            .await?;
        let mut seq = stored.seq;
        for e in reply.ids {
            let Some(e) = entry(e.id, &e.map) else {
                continue;
            };
            if e.epoch != stored.epoch || e.seq != seq + 1 {
                continue;
            }
            if let Ok(op) = codec::decode_op(&e.op) {
                apply(view, op);
            }
            seq = e.seq;
        }
        Ok(seq)
    }
    .await;
    match result {
        Ok(seq) => {
            link.worked();
            seq
        }
        Err(error) => {
            link.failed(&error).await;
            0
        }
    }
}

/// The writer's task: writes queued ops to the stream in order, and snapshots.
struct Publishing {
    link: Arc<Link>,
    keys: Keys,
    view: Arc<Cache>,
    seq: Arc<Mutex<u64>>,
    published: Arc<AtomicU64>,
    epoch: String,
    last_id: Option<String>,
    /// A snapshot must be written before more ops (at start, and after Redis was away).
    resync: bool,
    /// The writer's queue overflowed: resync.
    overflow: Arc<AtomicBool>,
}

/// Ops kept in the stream; older ones are trimmed (followers that fall that far behind
/// reload the snapshot).
const STREAM_LENGTH: usize = 100_000;

impl Publishing {
    async fn run(mut self, mut rx: mpsc::Receiver<Item>) {
        let mut batch = Vec::new();
        loop {
            // While a resync is owed (at start, after Redis was away, after an overflow), wake
            // up even without new writes: the snapshot must reach Redis when it returns, not
            // only when the next write comes.
            let open = if self.resync {
                let wait = crate::connection::RETRY_AFTER;
                tokio::time::timeout(wait, rx.recv_many(&mut batch, 512))
                    .await
                    .ok()
                    .is_none_or(|n| n != 0)
            } else {
                rx.recv_many(&mut batch, 512).await != 0
            };
            if !open {
                return;
            }
            if self.overflow.swap(false, Ordering::AcqRel) {
                self.resync = true;
            }
            if self.link.cooling_down() {
                self.resync = true;
                self.last_id = None;
                batch.clear();
                continue;
            }
            let top = batch
                .iter()
                .map(|item| match item {
                    Item::Op(seq, _) | Item::Snapshot(seq, _) => *seq,
                })
                .max()
                .unwrap_or(0);
            if let Err(error) = self.flush(&mut batch).await {
                self.link.failed(&error).await;
                self.resync = true;
                self.last_id = None;
            } else {
                self.published.fetch_max(top, Ordering::AcqRel);
                self.link.worked();
            }
            batch.clear();
        }
    }

    async fn flush(&mut self, batch: &mut Vec<Item>) -> Result<(), redis::RedisError> {
        let mut conn = self.link.get().await?;
        let mut written = 0;
        if self.resync {
            // An exact snapshot: taken under the writes' lock, so it covers exactly the ops
            // up to `seq`; queued ops up to there are already in it.
            let (seq, snapshot) = {
                let seq = lock(&self.seq);
                (*seq, self.view.export())
            };
            batch.retain(|item| matches!(item, Item::Op(s, _) if *s > seq));
            self.write_snapshot(&mut conn, seq, &snapshot).await?;
            // A marker in the stream tells followers that a new run (or a resync) began:
            // they reload the snapshot; it carries no write.
            let id: String = self.append(seq, &[]).query_async(&mut conn).await?;
            self.last_id = Some(id);
            self.resync = false;
            self.published.fetch_max(seq, Ordering::AcqRel);
            written = seq;
        }
        let mut pipe = redis::pipe();
        let mut ops = 0;
        for item in batch.iter() {
            match item {
                Item::Op(seq, bytes) if *seq > written => {
                    pipe.add_command(self.append(*seq, bytes));
                    ops += 1;
                }
                Item::Op(..) => {}
                Item::Snapshot(seq, snapshot) => {
                    if ops > 0 {
                        let ids: Vec<String> = pipe.query_async(&mut conn).await?;
                        self.last_id = ids.last().cloned();
                        pipe = redis::pipe();
                        ops = 0;
                    }
                    self.write_snapshot(&mut conn, *seq, snapshot).await?;
                }
            }
        }
        if ops > 0 {
            let ids: Vec<String> = pipe.query_async(&mut conn).await?;
            self.last_id = ids.last().cloned();
        }
        Ok(())
    }

    /// The stream entry of write `seq` (an empty `op` marks a new run or a resync); the
    /// stream is trimmed to about [`STREAM_LENGTH`] entries.
    fn append(&self, seq: u64, op: &[u8]) -> redis::Cmd {
        let mut cmd = redis::cmd("XADD");
        cmd.arg(self.keys.ops())
            .arg("MAXLEN")
            .arg("~")
            .arg(STREAM_LENGTH)
            .arg("*")
            .arg("epoch")
            .arg(&self.epoch)
            .arg("seq")
            .arg(seq)
            .arg("op")
            .arg(op);
        cmd
    }

    async fn write_snapshot(
        &self,
        conn: &mut redis::aio::MultiplexedConnection,
        seq: u64,
        snapshot: &CacheSnapshot,
    ) -> Result<(), redis::RedisError> {
        let data = codec::encode_snapshot(snapshot).map_err(|e| {
            redis::RedisError::from((redis::ErrorKind::Client, "snapshot encoding", e.to_string()))
        })?;
        // The stream's current end: followers continue after it.
        let id = match &self.last_id {
            Some(id) => id.clone(),
            None => last_stream_id(conn, &self.keys).await?,
        };
        redis::cmd("HSET")
            .arg(self.keys.snapshot())
            .arg("epoch")
            .arg(&self.epoch)
            .arg("seq")
            .arg(seq)
            .arg("id")
            .arg(id)
            .arg("data")
            .arg(data)
            .query_async::<()>(conn)
            .await
    }
}

async fn last_stream_id(
    conn: &mut redis::aio::MultiplexedConnection,
    keys: &Keys,
) -> Result<String, redis::RedisError> {
    let reply: StreamRangeReply = redis::cmd("XREVRANGE")
        .arg(keys.ops())
        .arg("+")
        .arg("-")
        .arg("COUNT")
        .arg(1)
        .query_async(conn)
        .await?;
    Ok(reply
        .ids
        .first()
        .map_or_else(|| "0-0".to_owned(), |e| e.id.clone()))
}

/// A follower's task: reads the stream and applies each op; reloads the snapshot when an
/// op is missing (trimmed, or published while Redis was away) or the writer changed.
struct Following {
    link: Arc<Link>,
    keys: Keys,
    view: Arc<Cache>,
    position: Arc<AtomicU64>,
}

/// Where a follower stands.
struct Position {
    epoch: String,
    seq: u64,
    id: String,
}

/// How long one blocking read waits for new ops.
const BLOCK: Duration = Duration::from_millis(250);

impl Following {
    /// Loads the snapshot into the view; where to continue from.
    async fn reload(&self) -> Option<Position> {
        match load_snapshot(&self.link, &self.keys).await {
            Ok(Some(stored)) => {
                self.view.import(&stored.snapshot);
                self.position.store(stored.seq, Ordering::Release);
                self.link.worked();
                Some(Position {
                    epoch: stored.epoch,
                    seq: stored.seq,
                    id: stored.id,
                })
            }
            Ok(None) => {
                self.link.worked();
                None
            }
            Err(error) => {
                self.link.failed(&error).await;
                None
            }
        }
    }

    async fn run(self) {
        let mut at = self.reload().await;
        loop {
            let Some(position) = at.as_mut() else {
                tokio::time::sleep(RETRY_AFTER).await;
                at = self.reload().await;
                continue;
            };
            match self.read(position).await {
                Ok(true) => {}
                Ok(false) => at = self.reload().await,
                Err(error) => {
                    self.link.failed(&error).await;
                    tokio::time::sleep(RETRY_AFTER).await;
                    at = self.reload().await;
                }
            }
        }
    }

    /// Applies the next ops; `false` when the follower must reload.
    async fn read(&self, at: &mut Position) -> Result<bool, redis::RedisError> {
        let mut conn = self.link.get().await?;
        let reply: Option<StreamReadReply> = redis::cmd("XREAD")
            .arg("COUNT")
            .arg(1000)
            .arg("BLOCK")
            .arg(u64::try_from(BLOCK.as_millis()).unwrap_or(250))
            .arg("STREAMS")
            .arg(self.keys.ops())
            .arg(&at.id)
            .query_async(&mut conn)
            .await?;
        self.link.worked();
        for key in reply.map(|r| r.keys).unwrap_or_default() {
            for raw in key.ids {
                let Some(e) = entry(raw.id, &raw.map) else {
                    continue;
                };
                if e.epoch != at.epoch || e.seq > at.seq + 1 {
                    return Ok(false);
                }
                at.id = e.id;
                if e.seq <= at.seq {
                    continue;
                }
                if e.op.is_empty() {
                    // A resync marker right after what this follower has: the writer lost
                    // writes meanwhile; its snapshot has them.
                    return Ok(false);
                }
                at.seq = e.seq;
                match codec::decode_op(&e.op) {
                    Ok(op) => {
                        apply(&self.view, op);
                        self.position.store(e.seq, Ordering::Release);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "a shared cache write is unreadable; reloading");
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }
}

impl CacheBackend for RedisCache {
    fn view(&self) -> &Cache {
        &self.view
    }

    fn update(&self, event: &ServerEvent) -> Change {
        // A Ready replaces much: a snapshot follows it.
        let ready = matches!(event, ServerEvent::Ready(_));
        self.write(|c| c.update(event), || OpRef::Event(event), ready)
    }

    fn insert_member(&self, member: &Member) {
        self.write(|c| c.insert_member(member), || OpRef::Member(member), false);
    }

    fn insert_members(&self, list: &AllMemberResponse) {
        self.write(|c| c.insert_members(list), || OpRef::Members(list), false);
    }

    fn insert_user(&self, user: &User) {
        self.write(|c| c.insert_user(user), || OpRef::User(user), false);
    }

    fn insert_server(&self, server: &Server) {
        self.write(|c| c.insert_server(server), || OpRef::Server(server), false);
    }

    fn insert_channel(&self, channel: &Channel) {
        self.write(
            |c| c.insert_channel(channel),
            || OpRef::Channel(channel),
            false,
        );
    }

    fn replace_members(&self, server: ServerId, list: &AllMemberResponse) -> Vec<Change> {
        self.write(
            |c| c.replace_members(server, list),
            || OpRef::Replace(server, list),
            false,
        )
    }
}

/// The configuration a [`RedisCache`] takes beyond [`RedisConfig`]: what the local view
/// keeps.
impl RedisConfig {
    /// What every process's local view keeps (default: everything).
    #[must_use]
    pub fn cache(mut self, config: CacheConfig) -> Self {
        self.cache = config;
        self
    }

    /// Writes between two snapshots (default 50,000; the stream keeps the last 100,000, so a
    /// follower reloading from a snapshot always finds the writes after it).
    #[must_use]
    pub fn snapshot_every(mut self, writes: u64) -> Self {
        self.snapshot_every = writes;
        self
    }
}
