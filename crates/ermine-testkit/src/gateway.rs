//! The events WebSocket (its own port, any path): authentication, `Ready`, pings, typing, subscriptions,
//! and delivery of everything the hub sends, as JSON text or msgpack binary frames.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::ws::{Message as Frame, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use ermine_model::channel::Channel;
use ermine_model::error::{ApiError, ErrorBody};
use ermine_model::event::{
    ChannelUser, ClientEvent, ErrorEvent, Pong, Ready, ServerEvent, UserUpdate,
};
use ermine_model::id::{SessionId, UserId};
use ermine_model::permission::Permissions;
use ermine_model::user::PartialUser;
use serde::Serialize;

use crate::events::{Mailbox, Outgoing};
use crate::http::AppState;
use crate::{Shared, lock};

/// Wire format of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Msgpack,
}

/// What the connection asked for in its query string.
#[derive(Debug, Clone)]
struct Handshake {
    format: Format,
    token: Option<String>,
    ready: Vec<String>,
}

fn handshake(query: Option<&str>) -> Handshake {
    let mut hs = Handshake {
        format: Format::Json,
        token: None,
        ready: Vec::new(),
    };
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let value = value.into_owned();
        match key.as_ref() {
            "format" if value == "msgpack" => hs.format = Format::Msgpack,
            "token" => hs.token = Some(value),
            "ready" => hs.ready.push(value),
            _ => {}
        }
    }
    hs
}

/// The events application: every path upgrades to the events socket (the real events server
/// reads only the query).
pub(crate) fn router(shared: AppState) -> axum::Router {
    axum::Router::new()
        .fallback(axum::routing::get(upgrade))
        .with_state(shared)
}

/// `GET` on any path: upgrades to a WebSocket.
pub(crate) async fn upgrade(
    State(shared): State<AppState>,
    RawQuery(query): RawQuery,
    ws: WebSocketUpgrade,
) -> Response {
    let hs = handshake(query.as_deref());
    ws.on_upgrade(move |socket| run(shared, socket, hs))
}

fn encode<T: Serialize>(format: Format, value: &T) -> Option<Frame> {
    match format {
        Format::Json => serde_json::to_string(value)
            .ok()
            .map(|s| Frame::Text(s.into())),
        Format::Msgpack => rmp_serde::to_vec_named(value)
            .ok()
            .map(|b| Frame::Binary(b.into())),
    }
}

fn decode(frame: &Frame) -> Option<ClientEvent> {
    match frame {
        Frame::Text(text) => ermine_model::decode::json(text.as_bytes()).ok(),
        Frame::Binary(bytes) => ermine_model::decode::msgpack(bytes).ok(),
        _ => None,
    }
}

async fn send<T: Serialize>(socket: &mut WebSocket, format: Format, value: &T) -> bool {
    match encode(format, value) {
        Some(frame) => socket.send(frame).await.is_ok(),
        None => true,
    }
}

/// Resolves a token to its user and session (`None` for bots).
fn authenticate(shared: &Shared, token: &str) -> Option<(UserId, Option<SessionId>)> {
    let world = lock(&shared.world);
    let auth = world.auth(token)?;
    world
        .users
        .contains_key(&auth.user)
        .then_some((auth.user, auth.session))
}

async fn run(shared: Arc<Shared>, mut socket: WebSocket, hs: Handshake) {
    let token = match hs.token.clone() {
        Some(token) => Some(token),
        None => loop {
            match socket.recv().await {
                Some(Ok(frame)) => {
                    if let Some(ClientEvent::Authenticate(auth)) = decode(&frame) {
                        break Some(auth.token);
                    }
                }
                _ => break None,
            }
        },
    };
    let Some(token) = token else {
        return;
    };
    let Some((user, session)) = authenticate(&shared, &token) else {
        let error = ServerEvent::Error(ErrorEvent {
            data: ErrorBody {
                error: ApiError::InvalidSession,
                location: Some(format!("{}:{}:{}", file!(), line!(), column!())),
            },
        });
        let _ = send(&mut socket, hs.format, &error).await;
        let _ = socket.send(Frame::Close(None)).await;
        return;
    };
    let (mailbox, mut rx, overflow) = Mailbox::new(shared.config.socket_queue);
    let (id, first) = shared.hub.register(user, session, mailbox);
    let (ready, topics) = ready(&shared, user, session.is_none(), &hs.ready);
    // Like the real events server, the connection hears `UserUpdate`s of the users in its
    // Ready snapshot (itself, its relations, its DM and group partners), fixed from here on.
    shared.hub.watch_users(id, topics);
    let mut alive = send(&mut socket, hs.format, &ServerEvent::Authenticated).await
        && send(&mut socket, hs.format, &ServerEvent::Ready(ready)).await;
    if first {
        announce_presence(&shared, user, true);
    }
    while alive {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Frame::Close(_)) | Err(_)) | None => alive = false,
                Some(Ok(frame)) => {
                    if let Some(event) = decode(&frame) {
                        alive = handle(&shared, &mut socket, hs.format, id, user, event).await;
                    }
                }
            },
            outgoing = rx.recv() => match outgoing {
                // A write blocked by a client that stopped reading gives way to the overflow.
                Some(Outgoing::Event(event)) => alive = tokio::select! {
                    sent = send(&mut socket, hs.format, &*event) => sent,
                    () = overflow.notified() => false,
                },
                Some(Outgoing::Raw(value)) => alive = tokio::select! {
                    sent = send(&mut socket, hs.format, &*value) => sent,
                    () = overflow.notified() => false,
                },
                Some(Outgoing::Logout) => {
                    let _ = send(&mut socket, hs.format, &ServerEvent::Logout).await;
                    let _ = socket.send(Frame::Close(None)).await;
                    alive = false;
                }
                Some(Outgoing::Drop) | None => {
                    alive = false;
                }
            },
            () = overflow.notified() => alive = false,
        }
    }
    drop(socket);
    if shared.hub.unregister(id).is_some() {
        announce_presence(&shared, user, false);
    }
}

/// Answers one client message; `false` when the socket failed.
async fn handle(
    shared: &Shared,
    socket: &mut WebSocket,
    format: Format,
    connection: u64,
    user: UserId,
    event: ClientEvent,
) -> bool {
    match event {
        ClientEvent::Ping(ping) => {
            shared.hub.pings.send_modify(|n| *n += 1);
            if shared.hub.ignore_pings.load(Ordering::SeqCst) {
                return true;
            }
            let answer = ServerEvent::Pong(Pong {
                data: Some(ping.data),
            });
            send(socket, format, &answer).await
        }
        ClientEvent::BeginTyping(t) | ClientEvent::EndTyping(t) => {
            let start = matches!(event, ClientEvent::BeginTyping(_));
            let now = shared.clock.now();
            let world = lock(&shared.world);
            if let Some(channel) = world.channels.get(&t.channel)
                && world
                    .channel_permissions(user, channel, now)
                    .contains(Permissions::VIEW_CHANNEL)
            {
                let body = ChannelUser {
                    id: t.channel,
                    user,
                };
                let event = if start {
                    ServerEvent::ChannelStartTyping(body)
                } else {
                    ServerEvent::ChannelStopTyping(body)
                };
                let audience = crate::http::channel_audience(shared, &world, channel, now);
                shared.hub.send(audience, &event);
            }
            true
        }
        ClientEvent::Subscribe(s) => {
            if lock(&shared.world).member(s.server_id, user).is_some() {
                shared.hub.subscribe(connection, s.server_id);
            }
            true
        }
        _ => true,
    }
}

/// Tells everyone who can see `user` that they came online or went offline.
fn announce_presence(shared: &Shared, user: UserId, online: bool) {
    let world = lock(&shared.world);
    let event = ServerEvent::UserUpdate(Box::new(UserUpdate {
        id: user,
        data: PartialUser {
            online: Some(online),
            ..PartialUser::default()
        },
        clear: Vec::new(),
        event_id: None,
    }));
    crate::http::send_user_update(shared, &world, user, &event, false);
}

/// Builds `Ready` for `user`, with only the fields `selection` names (all but
/// `channel_unreads` and `user_settings` when it is empty).
/// The `Ready` for `user`, and the users whose updates the connection subscribes to.
fn ready(
    shared: &Shared,
    user: UserId,
    bot: bool,
    selection: &[String],
) -> (Ready, std::collections::BTreeSet<UserId>) {
    let wants = |field: &str| {
        if selection.is_empty() {
            !matches!(field, "channel_unreads" | "user_settings")
        } else {
            selection.iter().any(|s| s == field)
        }
    };
    let now = shared.clock.now();
    let world = lock(&shared.world);
    let servers: Vec<_> = world
        .user_servers
        .get(&user)
        .into_iter()
        .flatten()
        .copied()
        .collect();
    let mut channels: Vec<Channel> = world
        .channels
        .values()
        .filter(|c| match c {
            Channel::DirectMessage(d) => d.recipients.contains(&user),
            Channel::Group(g) => g.recipients.contains(&user),
            Channel::SavedMessages(s) => s.user == user,
            _ => false,
        })
        .cloned()
        .collect();
    for server in &servers {
        channels.extend(world.visible_channels(*server, user, now));
    }
    let mut known = std::collections::BTreeSet::from([user]);
    if let Some(record) = world.users.get(&user) {
        known.extend(record.relations.keys().copied());
    }
    for c in &channels {
        match c {
            Channel::DirectMessage(d) => known.extend(d.recipients.iter().copied()),
            Channel::Group(g) => known.extend(g.recipients.iter().copied()),
            _ => {}
        }
    }
    let online = |u: UserId| u == user || shared.hub.is_online(u);
    let mut ready = Ready::default();
    if wants("users") {
        // The others, then yourself in the self view, last: as the real server appends it
        // (clients such as stoat.py take the last entry as themselves).
        let mut users: Vec<_> = known
            .iter()
            .filter(|u| **u != user)
            .filter_map(|u| world.render_user(user, *u, &online))
            .collect();
        users.extend(world.render_self(user, &online));
        ready.users = Some(users);
    }
    if wants("servers") {
        ready.servers = Some(
            servers
                .iter()
                .filter_map(|s| world.render_server(*s))
                .collect(),
        );
    }
    if wants("channels") {
        ready.channels = Some(channels);
    }
    if wants("members") {
        ready.members = Some(
            servers
                .iter()
                .filter_map(|s| world.member(*s, user).cloned())
                .collect(),
        );
    }
    if wants("emojis") {
        ready.emojis = Some(Vec::new());
    }
    if wants("voice_states") {
        ready.voice_states = Some(Vec::new());
    }
    if wants("policy_changes") && !bot {
        ready.policy_changes = Some(Vec::new());
    }
    if wants("channel_unreads") {
        ready.channel_unreads = Some(Vec::new());
    }
    if selection.iter().any(|s| s.starts_with("user_settings")) {
        ready.user_settings = Some(serde_json::json!({}));
    }
    (ready, known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_reads_format_token_and_ready_selection() {
        let hs = handshake(Some(
            "version=1&format=msgpack&token=a%2Bb&ready=users&ready=servers",
        ));
        assert_eq!(hs.format, Format::Msgpack);
        assert_eq!(hs.token.as_deref(), Some("a+b"));
        assert_eq!(hs.ready, vec!["users", "servers"]);
        assert_eq!(handshake(None).format, Format::Json);
    }
}
