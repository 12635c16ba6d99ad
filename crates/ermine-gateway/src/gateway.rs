//! The connection: a `Stream` of events that the caller drives. Nothing runs in the
//! background: connecting, reading, pinging and reconnecting all happen while the stream is
//! polled.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use ermine_model::error::ApiError;
use ermine_model::event::{Authenticate, ClientEvent, Ping, PingData, ServerEvent, TypingChannel};
use futures_util::{SinkExt, Stream, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, Interval, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::config::{AuthMode, Format, GatewayConfig};
use crate::error::GatewayError;
use crate::handle::{Command, GatewayHandle};
use crate::state::{ConnectionState, Status};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Item = Result<ServerEvent, GatewayError>;

/// Counters of a gateway's life.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GatewayStats {
    /// Frames received.
    pub frames: u64,
    /// Events yielded (after unpacking `Bulk`).
    pub events: u64,
    /// Frames that did not decode and were skipped.
    pub decode_errors: u64,
    /// Connections opened after the first.
    pub reconnects: u64,
}

#[derive(Debug, Default)]
struct Counters {
    frames: AtomicU64,
    events: AtomicU64,
    decode_errors: AtomicU64,
    reconnects: AtomicU64,
}

/// A Stoat events connection, driven as a [`Stream`] of [`ServerEvent`]s in receive order.
///
/// Drops, missed pongs and undecodable frames are handled inside (reconnect, skip); the
/// stream yields an `Err` only for a fatal [`GatewayError`] and then ends. After a reconnect
/// a fresh `Ready` arrives (Stoat has no resume).
pub struct Gateway {
    stream: Pin<Box<dyn Stream<Item = Item> + Send>>,
    handle: GatewayHandle,
    status: watch::Receiver<Status>,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("status", &*self.status.borrow())
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// A gateway that connects when first polled.
    pub fn new(config: GatewayConfig) -> Self {
        let (tx, commands) = mpsc::unbounded_channel();
        let (status_tx, status) = watch::channel(Status {
            state: ConnectionState::Connecting,
            latency: None,
        });
        let counters = Arc::new(Counters::default());
        let mut ping = tokio::time::interval(config.ping_interval);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut renew = tokio::time::interval(config.typing_renew);
        renew.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let driver = Driver {
            config,
            socket: None,
            commands,
            pending: VecDeque::new(),
            status: status_tx,
            counters: Arc::clone(&counters),
            attempt: 0,
            connected_once: false,
            closed: false,
            ping,
            nonce: 0,
            outstanding: None,
            typing: std::collections::HashMap::new(),
            renew,
        };
        let stream = futures_util::stream::unfold(driver, |mut driver| async move {
            driver.next_item().await.map(|item| (item, driver))
        });
        Self {
            stream: Box::pin(stream),
            handle: GatewayHandle { tx },
            status,
            counters,
        }
    }

    /// A handle for commands, usable from any task.
    pub fn handle(&self) -> GatewayHandle {
        self.handle.clone()
    }

    /// A watcher of the connection's state and latency.
    pub fn status(&self) -> watch::Receiver<Status> {
        self.status.clone()
    }

    /// The current state.
    pub fn state(&self) -> ConnectionState {
        self.status.borrow().state
    }

    /// Counters so far.
    pub fn stats(&self) -> GatewayStats {
        let c = &self.counters;
        GatewayStats {
            frames: c.frames.load(Ordering::Relaxed),
            events: c.events.load(Ordering::Relaxed),
            decode_errors: c.decode_errors.load(Ordering::Relaxed),
            reconnects: c.reconnects.load(Ordering::Relaxed),
        }
    }
}

impl Stream for Gateway {
    type Item = Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}

struct Driver {
    config: GatewayConfig,
    socket: Option<Socket>,
    commands: mpsc::UnboundedReceiver<Command>,
    pending: VecDeque<ServerEvent>,
    status: watch::Sender<Status>,
    counters: Arc<Counters>,
    attempt: u32,
    connected_once: bool,
    closed: bool,
    ping: Interval,
    nonce: u64,
    outstanding: Option<(u64, Instant)>,
    /// Live typing guards per channel.
    typing: std::collections::HashMap<ermine_model::id::ChannelId, usize>,
    renew: Interval,
}

/// What one turn of the read loop produced.
enum Turn {
    Nothing,
    Fatal(GatewayError),
    Closed,
}

impl Driver {
    fn set_state(&self, state: ConnectionState) {
        self.status.send_modify(|s| s.state = state);
    }

    async fn next_item(&mut self) -> Option<Item> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                self.counters.events.fetch_add(1, Ordering::Relaxed);
                return Some(Ok(event));
            }
            if self.closed {
                return None;
            }
            if self.socket.is_none() && !self.connect().await {
                continue;
            }
            match self.turn().await {
                Turn::Nothing => {}
                Turn::Fatal(error) => {
                    self.close().await;
                    return Some(Err(error));
                }
                Turn::Closed => {
                    self.close().await;
                    return None;
                }
            }
        }
    }

    /// Opens a connection (after a backoff when reconnecting); `false` when it failed or a
    /// close was asked for meanwhile.
    async fn connect(&mut self) -> bool {
        if self.attempt > 0 {
            self.set_state(ConnectionState::Disconnected {
                attempt: self.attempt,
            });
            let delay = self.config.backoff.delay(self.attempt);
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                command = self.commands.recv() => {
                    if matches!(command, Some(Command::Close) | None) {
                        self.closed = true;
                        self.set_state(ConnectionState::Closed);
                        return false;
                    }
                }
            }
        }
        self.set_state(ConnectionState::Connecting);
        let url = self.config.connect_url();
        match tokio_tungstenite::connect_async(url.as_str()).await {
            Ok((mut socket, _)) => {
                if self.config.auth == AuthMode::Frame {
                    let auth = ClientEvent::Authenticate(Authenticate {
                        token: self.config.token.expose().to_owned(),
                    });
                    if let Some(frame) = encode(self.config.format, &auth)
                        && socket.send(frame).await.is_err()
                    {
                        self.attempt += 1;
                        return false;
                    }
                }
                if self.connected_once {
                    self.counters.reconnects.fetch_add(1, Ordering::Relaxed);
                }
                self.connected_once = true;
                self.socket = Some(socket);
                self.outstanding = None;
                self.ping.reset();
                self.set_state(ConnectionState::Authenticating);
                true
            }
            Err(error) => {
                tracing::debug!(%error, attempt = self.attempt, "events connection failed");
                self.attempt += 1;
                false
            }
        }
    }

    /// Forgets a broken connection; the next turn reconnects.
    fn lost(&mut self, why: &str) {
        tracing::debug!(why, "events connection lost");
        self.socket = None;
        self.outstanding = None;
        self.attempt += 1;
        self.set_state(ConnectionState::Disconnected {
            attempt: self.attempt,
        });
    }

    async fn close(&mut self) {
        if let Some(mut socket) = self.socket.take() {
            let _ = socket.close(None).await;
        }
        self.closed = true;
        self.set_state(ConnectionState::Closed);
    }

    async fn turn(&mut self) -> Turn {
        let Some(socket) = self.socket.as_mut() else {
            return Turn::Nothing;
        };
        let deadline = self
            .outstanding
            .map(|(_, sent)| sent + self.config.pong_timeout);
        tokio::select! {
            frame = socket.next() => match frame {
                Some(Ok(Message::Text(text))) => self.received(text.as_bytes(), false),
                Some(Ok(Message::Binary(bytes))) => self.received(&bytes, true),
                Some(Ok(Message::Close(_)) | Err(_)) | None => {
                    self.lost("closed");
                    Turn::Nothing
                }
                Some(Ok(_)) => Turn::Nothing,
            },
            command = self.commands.recv() => match command {
                Some(Command::Send(event)) => {
                    if let Some(frame) = encode(self.config.format, &event)
                        && socket.send(frame).await.is_err() {
                            self.lost("send failed");
                        }
                    Turn::Nothing
                }
                Some(Command::Typing(channel, start)) => {
                    let count = self.typing.entry(channel).or_default();
                    let event = if start {
                        *count += 1;
                        (*count == 1).then_some(ClientEvent::BeginTyping(TypingChannel { channel }))
                    } else {
                        *count = count.saturating_sub(1);
                        (*count == 0).then_some(ClientEvent::EndTyping(TypingChannel { channel }))
                    };
                    self.typing.retain(|_, n| *n > 0);
                    if let Some(frame) = event.and_then(|e| encode(self.config.format, &e))
                        && socket.send(frame).await.is_err()
                    {
                        self.lost("send failed");
                    }
                    Turn::Nothing
                }
                Some(Command::Close) | None => Turn::Closed,
            },
            _ = self.renew.tick(), if !self.typing.is_empty() => {
                for channel in self.typing.keys().copied().collect::<Vec<_>>() {
                    let event = ClientEvent::BeginTyping(TypingChannel { channel });
                    if let Some(frame) = encode(self.config.format, &event)
                        && socket.send(frame).await.is_err()
                    {
                        self.lost("send failed");
                        break;
                    }
                }
                Turn::Nothing
            },
            _ = self.ping.tick() => {
                if self.outstanding.is_none() {
                    self.nonce += 1;
                    let ping = ClientEvent::Ping(Ping { data: PingData::Number(self.nonce) });
                    if let Some(frame) = encode(self.config.format, &ping)
                        && socket.send(frame).await.is_err() {
                            self.lost("ping failed");
                            return Turn::Nothing;
                        }
                    self.outstanding = Some((self.nonce, Instant::now()));
                }
                Turn::Nothing
            },
            () = sleep_until(deadline) => {
                tracing::warn!("no pong within the timeout; replacing the connection");
                self.lost("pong timeout");
                Turn::Nothing
            },
        }
    }

    fn received(&mut self, bytes: &[u8], binary: bool) -> Turn {
        self.counters.frames.fetch_add(1, Ordering::Relaxed);
        let Some(event) = decode(bytes, binary) else {
            self.counters.decode_errors.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(len = bytes.len(), "skipped a frame that did not decode");
            return Turn::Nothing;
        };
        self.dispatch(event)
    }

    fn dispatch(&mut self, event: ServerEvent) -> Turn {
        match event {
            ServerEvent::Error(error) => {
                let fatal = match error.data.error {
                    ApiError::InvalidSession => GatewayError::InvalidToken,
                    other => GatewayError::Refused(other),
                };
                return Turn::Fatal(fatal);
            }
            ServerEvent::Logout => return Turn::Fatal(GatewayError::LoggedOut),
            ServerEvent::Pong(pong) => {
                if let (Some((nonce, sent)), Some(PingData::Number(echo))) =
                    (self.outstanding, pong.data)
                    && nonce == echo
                {
                    let latency = sent.elapsed();
                    self.outstanding = None;
                    self.status.send_modify(|s| s.latency = Some(latency));
                }
            }
            ServerEvent::Bulk(bulk) => {
                for item in bulk.v {
                    if let Turn::Fatal(e) = self.dispatch(item) {
                        return Turn::Fatal(e);
                    }
                }
            }
            ServerEvent::Ready(ready) => {
                self.attempt = 0;
                self.set_state(ConnectionState::Ready);
                self.pending.push_back(ServerEvent::Ready(ready));
            }
            other => self.pending.push_back(other),
        }
        Turn::Nothing
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn encode(format: Format, event: &ClientEvent) -> Option<Message> {
    match format {
        Format::Json => serde_json::to_string(event)
            .ok()
            .map(|s| Message::Text(s.into())),
        #[cfg(feature = "msgpack")]
        Format::Msgpack => rmp_serde::to_vec_named(event)
            .ok()
            .map(|b| Message::Binary(b.into())),
    }
}

fn decode(bytes: &[u8], binary: bool) -> Option<ServerEvent> {
    if binary {
        #[cfg(feature = "msgpack")]
        return rmp_serde::from_slice(bytes).ok();
        #[cfg(not(feature = "msgpack"))]
        return None;
    }
    serde_json::from_slice(bytes).ok()
}
