//! The connection: a `Stream` of events that the caller drives. Nothing runs in the
//! background: connecting, reading, pinging and reconnecting all happen while the stream is
//! polled.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use ermine_model::error::ApiError;
use ermine_model::event::{Authenticate, ClientEvent, Ping, PingData, ServerEvent, TypingChannel};
use ermine_model::id::ChannelId;
use futures_util::{SinkExt, Stream, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, Interval, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::config::{AuthMode, Format, GatewayConfig};
use crate::error::GatewayError;
use crate::handle::{COMMAND_QUEUE, GatewayHandle, Shared};
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
    /// Attempts that failed before `Ready` (refused, timed out, dropped).
    pub failed_attempts: u64,
}

#[derive(Debug, Default)]
struct Counters {
    frames: AtomicU64,
    events: AtomicU64,
    decode_errors: AtomicU64,
    reconnects: AtomicU64,
    failed_attempts: AtomicU64,
}

/// A Stoat events connection, driven as a [`Stream`] of [`ServerEvent`]s in receive order.
///
/// Drops, missed pongs, timeouts and undecodable frames are handled inside (reconnect,
/// skip) and logged; the stream ends after a fatal [`GatewayError`], and reports repeated
/// failures to connect as a non-fatal [`GatewayError::Unreachable`] while it keeps trying.
/// After a reconnect a fresh `Ready` arrives (Stoat has no resume).
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
        let (tx, commands) = mpsc::channel(COMMAND_QUEUE);
        let shared = Arc::new(Shared::default());
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
            shared: Arc::clone(&shared),
            pending: VecDeque::new(),
            status: status_tx,
            counters: Arc::clone(&counters),
            attempt: 0,
            retry_at: None,
            failures: 0,
            opened_at: None,
            ready_at: None,
            connected_once: false,
            closed: false,
            ping,
            nonce: 0,
            outstanding: None,
            typing_sent: HashSet::new(),
            renew,
        };
        let stream = futures_util::stream::unfold(driver, |mut driver| async move {
            driver.next_item().await.map(|item| (item, driver))
        });
        Self {
            stream: Box::pin(stream),
            handle: GatewayHandle { tx, shared },
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
            failed_attempts: c.failed_attempts.load(Ordering::Relaxed),
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
    commands: mpsc::Receiver<ClientEvent>,
    shared: Arc<Shared>,
    pending: VecDeque<Item>,
    status: watch::Sender<Status>,
    counters: Arc<Counters>,
    /// Reconnection attempts since the last stable connection (drives the backoff).
    attempt: u32,
    /// When the pending reconnection attempt goes out.
    retry_at: Option<Instant>,
    /// Attempts in a row that did not reach `Ready`.
    failures: u32,
    /// When the current socket opened, and when it became ready.
    opened_at: Option<Instant>,
    ready_at: Option<Instant>,
    connected_once: bool,
    closed: bool,
    ping: Interval,
    nonce: u64,
    outstanding: Option<(u64, Instant)>,
    /// Channels whose `BeginTyping` went out on this connection.
    typing_sent: HashSet<ChannelId>,
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
            if let Some(item) = self.pending.pop_front() {
                if item.is_ok() {
                    self.counters.events.fetch_add(1, Ordering::Relaxed);
                }
                return Some(item);
            }
            if self.closed {
                return None;
            }
            if self.shared.close_requested() {
                self.close().await;
                return None;
            }
            if self.socket.is_none() {
                if let Err(fatal) = self.connect().await {
                    self.close().await;
                    return Some(Err(fatal));
                }
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

    /// Opens a connection (after a backoff when reconnecting). A failure is recorded and
    /// retried on the next turn; only a bad URL is fatal.
    async fn connect(&mut self) -> Result<(), GatewayError> {
        let url = self.config.connect_url()?;
        if self.attempt > 0 {
            self.set_state(ConnectionState::Disconnected {
                attempt: self.attempt,
            });
            // The reconnection time is fixed once per attempt, so that wake-ups in between
            // (typing changes, a close request) do not start the delay over.
            let delay = self.config.backoff.delay(self.attempt);
            let at = *self.retry_at.get_or_insert_with(|| Instant::now() + delay);
            tokio::select! {
                () = tokio::time::sleep_until(at) => self.retry_at = None,
                () = self.shared.changed.notified() => {
                    // A typing change or a close request: the loop looks again.
                    return Ok(());
                }
            }
        }
        self.set_state(ConnectionState::Connecting);
        let ws_config = WebSocketConfig::default()
            .max_message_size(Some(self.config.max_message_size))
            .max_frame_size(Some(self.config.max_message_size));
        let opened = tokio::time::timeout(
            self.config.connect_timeout,
            tokio_tungstenite::connect_async_with_config(url.as_str(), Some(ws_config), false),
        )
        .await;
        let mut socket = match opened {
            Ok(Ok((socket, _))) => socket,
            Ok(Err(error)) => {
                self.failed(format!("could not connect: {error}"));
                return Ok(());
            }
            Err(_) => {
                self.failed(format!(
                    "no connection within {:?}",
                    self.config.connect_timeout
                ));
                return Ok(());
            }
        };
        if self.config.auth == AuthMode::Frame
            && authenticate(&mut socket, &self.config).await.is_err()
        {
            self.failed("the connection closed before authenticating".to_owned());
            return Ok(());
        }
        if self.connected_once {
            self.counters.reconnects.fetch_add(1, Ordering::Relaxed);
        }
        self.connected_once = true;
        self.socket = Some(socket);
        self.outstanding = None;
        self.opened_at = Some(Instant::now());
        self.ready_at = None;
        self.typing_sent.clear();
        self.ping.reset();
        self.set_state(ConnectionState::Authenticating);
        Ok(())
    }

    /// Records an attempt that did not reach `Ready`: logged at warning level, and reported
    /// on the stream after every `report_failures_after` in a row.
    fn failed(&mut self, reason: String) {
        self.attempt += 1;
        self.failures += 1;
        self.counters
            .failed_attempts
            .fetch_add(1, Ordering::Relaxed);
        tracing::warn!(
            attempt = self.failures,
            reason = %reason,
            "events connection failed; retrying"
        );
        let every = self.config.report_failures_after;
        if every > 0 && self.failures.is_multiple_of(every) {
            self.pending.push_back(Err(GatewayError::Unreachable {
                attempts: self.failures,
                reason,
            }));
        }
        self.set_state(ConnectionState::Disconnected {
            attempt: self.attempt,
        });
    }

    /// Forgets a broken connection; the next turn reconnects.
    fn lost(&mut self, why: &str) {
        self.socket = None;
        self.outstanding = None;
        match self.ready_at.take() {
            None => self.failed(format!("connection lost before Ready: {why}")),
            Some(ready) => {
                if ready.elapsed() >= self.config.stable_after {
                    self.attempt = 0;
                }
                self.attempt += 1;
                tracing::info!(
                    why,
                    attempt = self.attempt,
                    "events connection lost; reconnecting"
                );
                self.set_state(ConnectionState::Disconnected {
                    attempt: self.attempt,
                });
            }
        }
    }

    async fn close(&mut self) {
        if let Some(mut socket) = self.socket.take() {
            let _ = socket.close(None).await;
        }
        self.closed = true;
        self.set_state(ConnectionState::Closed);
    }

    /// Sends one frame; a failure loses the connection.
    async fn send(&mut self, event: &ClientEvent) {
        let Some(socket) = self.socket.as_mut() else {
            return;
        };
        if let Some(frame) = encode(self.config.format, event)
            && socket.send(frame).await.is_err()
        {
            self.lost("send failed");
        }
    }

    /// Brings the server's typing state in line with the live guards.
    async fn sync_typing(&mut self) {
        let live: HashSet<ChannelId> = self.shared.typing().keys().copied().collect();
        let started: Vec<ChannelId> = live.difference(&self.typing_sent).copied().collect();
        let ended: Vec<ChannelId> = self.typing_sent.difference(&live).copied().collect();
        self.typing_sent = live;
        for channel in started {
            self.send(&ClientEvent::BeginTyping(TypingChannel { channel }))
                .await;
        }
        for channel in ended {
            self.send(&ClientEvent::EndTyping(TypingChannel { channel }))
                .await;
        }
    }

    async fn turn(&mut self) -> Turn {
        let Some(socket) = self.socket.as_mut() else {
            return Turn::Nothing;
        };
        let pong_deadline = self
            .outstanding
            .map(|(_, sent)| sent + self.config.pong_timeout);
        let ready_deadline = match (self.ready_at, self.opened_at) {
            (None, Some(opened)) => Some(opened + self.config.ready_timeout),
            _ => None,
        };
        let ready = self.ready_at.is_some();
        // In this order: what we send, then what has arrived, and only then the deadlines, so
        // a pong (or Ready) already received is never judged late because the task was busy
        // when it came (an unordered select picks among ready branches at random).
        tokio::select! {
            biased;
            command = self.commands.recv() => {
                if let Some(event) = command {
                    self.send(&event).await;
                }
                Turn::Nothing
            },
            () = self.shared.changed.notified() => {
                if self.shared.close_requested() {
                    return Turn::Closed;
                }
                if ready {
                    self.sync_typing().await;
                }
                Turn::Nothing
            },
            _ = self.renew.tick(), if ready && !self.typing_sent.is_empty() => {
                for channel in self.typing_sent.clone() {
                    self.send(&ClientEvent::BeginTyping(TypingChannel { channel })).await;
                }
                Turn::Nothing
            },
            _ = self.ping.tick() => {
                if self.outstanding.is_none() {
                    self.nonce += 1;
                    let ping = ClientEvent::Ping(Ping { data: PingData::Number(self.nonce) });
                    self.outstanding = Some((self.nonce, Instant::now()));
                    self.send(&ping).await;
                }
                Turn::Nothing
            },
            frame = socket.next() => match frame {
                Some(Ok(Message::Text(text))) => self.received(Frame::Text(&text)),
                Some(Ok(Message::Binary(bytes))) => self.received(Frame::Binary(&bytes)),
                Some(Ok(Message::Close(_))) | None => {
                    self.lost("closed by the server");
                    Turn::Nothing
                }
                Some(Err(error)) => {
                    self.lost(&error.to_string());
                    Turn::Nothing
                }
                Some(Ok(_)) => Turn::Nothing,
            },
            () = sleep_until(pong_deadline) => {
                tracing::warn!("no pong within the timeout; replacing the connection");
                self.lost("pong timeout");
                Turn::Nothing
            },
            () = sleep_until(ready_deadline) => {
                let why = format!("no Ready within {:?}", self.config.ready_timeout);
                self.lost(&why);
                Turn::Nothing
            },
        }
    }

    fn received(&mut self, frame: Frame<'_>) -> Turn {
        self.counters.frames.fetch_add(1, Ordering::Relaxed);
        let event = match decode(frame) {
            Ok(event) => event,
            Err(error) => {
                self.counters.decode_errors.fetch_add(1, Ordering::Relaxed);
                let len = match frame {
                    Frame::Text(text) => text.len(),
                    Frame::Binary(bytes) => bytes.len(),
                };
                tracing::warn!(len, %error, "skipped a frame that did not decode");
                return Turn::Nothing;
            }
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
                self.failures = 0;
                self.ready_at = Some(Instant::now());
                // Typing guards that outlived the previous connection start again here.
                self.shared.changed.notify_one();
                self.set_state(ConnectionState::Ready);
                self.pending.push_back(Ok(ServerEvent::Ready(ready)));
            }
            other => self.pending.push_back(Ok(other)),
        }
        Turn::Nothing
    }
}

/// Sends the `Authenticate` frame. WebSocket libraries trace every frame they send with its
/// payload, so this one is formatted by tungstenite and written to the socket directly,
/// right after the handshake (nothing else is buffered then): the token never reaches a log.
async fn authenticate(socket: &mut Socket, config: &GatewayConfig) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt as _;
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

    let auth = ClientEvent::Authenticate(Authenticate {
        token: config.token.expose().to_owned(),
    });
    let (payload, opcode) = match encode(config.format, &auth) {
        Some(Message::Text(text)) => (text.as_bytes().to_vec(), Data::Text),
        Some(Message::Binary(bytes)) => (bytes.to_vec(), Data::Binary),
        _ => return Err(std::io::ErrorKind::InvalidData.into()),
    };
    let mut frame = Frame::message(payload, OpCode::Data(opcode), true);
    // Client frames are masked (RFC 6455 §5.3).
    frame.header_mut().mask = Some(fastrand::u32(..).to_ne_bytes());
    let mut bytes = Vec::new();
    frame.format(&mut bytes).map_err(std::io::Error::other)?;
    let stream = socket.get_mut();
    stream.write_all(&bytes).await?;
    stream.flush().await
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

/// A received data frame.
#[derive(Clone, Copy)]
enum Frame<'a> {
    /// JSON, already checked to be UTF-8 by the WebSocket layer.
    Text(&'a str),
    /// msgpack.
    Binary(&'a [u8]),
}

fn decode(frame: Frame<'_>) -> Result<ServerEvent, String> {
    match frame {
        Frame::Text(text) => ermine_model::decode::json_str(text).map_err(|e| e.to_string()),
        #[cfg(feature = "msgpack")]
        Frame::Binary(bytes) => ermine_model::decode::msgpack(bytes).map_err(|e| e.to_string()),
        #[cfg(not(feature = "msgpack"))]
        Frame::Binary(_) => Err("binary frame without the msgpack feature".to_owned()),
    }
}
