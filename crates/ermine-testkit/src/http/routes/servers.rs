//! `/servers/{id}`: create, fetch, edit, delete or leave, channels; joining and leaving.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;
use ermine_model::Timestamp;
use ermine_model::channel::{Channel, TextChannel, VoiceInformation};
use ermine_model::error::ApiError;
use ermine_model::event::{
    IdOnly, ServerCreate, ServerEvent, ServerMemberJoin, ServerMemberLeave, ServerUpdate,
};
use ermine_model::id::{ChannelId, ServerId, UserId};
use ermine_model::member::{Member, RemovalIntention};
use ermine_model::message::{SystemMessage, UserOnly};
use ermine_model::permission::Permissions;
use ermine_model::server::{
    CreateServerResponse, FetchServerResponse, PartialServer, Server, ServerFlags,
};
use ermine_model::server::{ServerCreateBody, ServerEditBody};
use serde::Deserialize;

use super::{channel_audience, server_audience};
use crate::Shared;
use ermine_model::audit::{AuditChannelCreate, AuditLogAction};

use crate::http::{
    AppState, AuditReason, Caller, Json, Person, Query, Reply, fail, invalid, missing, no_content,
    not_found, parse_id,
};
use crate::lock;
use crate::world::World;

/// `FailedValidation` unless `value` has `min..=max` characters (the server's wording).
#[track_caller]
pub(crate) fn length(field: &str, value: &str, min: usize, max: usize) -> Reply<()> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(invalid(format!(
            "{field}: Validation error: length [{{\"min\": Number({min}), \"max\": Number({max}), \"value\": String({value:?})}}]"
        )));
    }
    Ok(())
}

/// `POST /servers/create`.
pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    Json(body): Json<ServerCreateBody>,
) -> Reply<axum::Json<CreateServerResponse>> {
    length("name", &body.name, 1, 32)?;
    if let Some(d) = &body.description {
        length("description", d, 0, 1024)?;
    }
    if caller.is_bot() {
        return Err(fail(ApiError::IsBot));
    }
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let max = crate::world::limits::user_limits(caller.user, now).servers;
    if world.server_count(caller.user) >= max {
        return Err(fail(ApiError::TooManyServers { max: max as u64 }));
    }
    let (server, channels) = world.create_server(caller.user, &body.name, now);
    if let Some(srv) = world.servers.get_mut(&server) {
        srv.description = body.description.filter(|d| !d.is_empty());
        srv.nsfw = body.nsfw.unwrap_or(false);
    }
    let rendered = world.render_server(server).ok_or_else(not_found)?;
    let channels: Vec<Channel> = channels
        .iter()
        .filter_map(|c| world.channels.get(c).cloned())
        .collect();
    shared.hub.send(
        [caller.user],
        &ServerEvent::ServerCreate(Box::new(ServerCreate {
            id: server,
            server: rendered.clone(),
            channels: channels.clone(),
            emojis: Vec::new(),
            voice_states: Some(Vec::new()),
        })),
    );
    Ok(axum::Json(CreateServerResponse {
        server: rendered,
        channels,
    }))
}

impl World {
    /// Creates a server owned by `owner` with one text channel, "General".
    pub(crate) fn create_server(
        &mut self,
        owner: UserId,
        name: &str,
        now: Timestamp,
    ) -> (ServerId, Vec<ChannelId>) {
        let id: ServerId = self.id(now);
        let general = self.create_text_channel(id, "General", None, now);
        self.servers.insert(
            id,
            Server {
                id,
                owner,
                name: name.to_owned(),
                description: None,
                channels: vec![general],
                categories: None,
                system_messages: None,
                roles: HashMap::new(),
                default_permissions: Permissions::DEFAULT_SERVER_0_15,
                icon: None,
                banner: None,
                flags: ServerFlags::empty(),
                nsfw: false,
                analytics: false,
                discoverable: false,
                approximate_member_count: 0,
            },
        );
        self.add_member(id, owner, now);
        (id, vec![general])
    }

    /// Creates a text channel (voice-capable with `voice`) in `server`'s channel table.
    pub(crate) fn create_text_channel(
        &mut self,
        server: ServerId,
        name: &str,
        voice: Option<VoiceInformation>,
        now: Timestamp,
    ) -> ChannelId {
        let id: ChannelId = self.id(now);
        self.channels.insert(
            id,
            Channel::TextChannel(TextChannel {
                id,
                server,
                name: name.to_owned(),
                description: None,
                icon: None,
                last_message_id: None,
                default_permissions: None,
                role_permissions: HashMap::new(),
                nsfw: false,
                voice,
                slowmode: None,
            }),
        );
        if let Some(srv) = self.servers.get_mut(&server) {
            srv.channels.push(id);
        }
        id
    }

    /// The channels of `server` that `user` can see.
    pub(crate) fn visible_channels(
        &self,
        server: ServerId,
        user: UserId,
        now: Timestamp,
    ) -> Vec<Channel> {
        self.servers
            .get(&server)
            .map(|s| s.channels.clone())
            .unwrap_or_default()
            .iter()
            .filter_map(|id| self.channels.get(id))
            .filter(|c| {
                self.channel_permissions(user, c, now)
                    .contains(Permissions::VIEW_CHANNEL)
            })
            .cloned()
            .collect()
    }
}

/// Makes `user` a member of `server`: `ServerMemberJoin` to the members, `ServerCreate` to
/// the newcomer, the `user_joined` system message if configured.
pub(crate) fn join_server(
    shared: &Shared,
    world: &mut World,
    server: ServerId,
    user: UserId,
    now: Timestamp,
) -> Reply<Member> {
    if world
        .bans
        .get(&server)
        .is_some_and(|b| b.contains_key(&user))
    {
        return Err(fail(ApiError::Banned));
    }
    if world.member(server, user).is_some() {
        return Err(fail(ApiError::AlreadyInServer));
    }
    let member = world.add_member(server, user, now);
    let others: Vec<UserId> = server_audience(shared, world, server)
        .into_iter()
        .filter(|u| *u != user)
        .collect();
    shared.hub.send(
        others,
        &ServerEvent::ServerMemberJoin(ServerMemberJoin {
            id: server,
            user,
            member: Some(member.clone()),
        }),
    );
    if let Some(rendered) = world.render_server(server) {
        let channels = world.visible_channels(server, user, now);
        shared.hub.send(
            [user],
            &ServerEvent::ServerCreate(Box::new(ServerCreate {
                id: server,
                server: rendered,
                channels,
                emojis: Vec::new(),
                voice_states: Some(Vec::new()),
            })),
        );
    }
    let joined = world
        .servers
        .get(&server)
        .and_then(|s| s.system_messages.as_ref())
        .and_then(|s| s.user_joined);
    if let Some(channel) = joined {
        super::messages::system_message(
            shared,
            world,
            channel,
            SystemMessage::UserJoined(UserOnly { id: user }),
            now,
        );
    }
    Ok(member)
}

/// Removes `user` from `server`: `ServerMemberLeave` to the members (the leaver included),
/// the matching system message if configured.
pub(crate) fn leave_server(
    shared: &Shared,
    world: &mut World,
    server: ServerId,
    user: UserId,
    reason: &RemovalIntention,
    now: Timestamp,
) -> Option<Member> {
    let audience = server_audience(shared, world, server);
    let member = world.remove_member(server, user)?;
    world.voice.remove(&user);
    shared.hub.send(
        audience,
        &ServerEvent::ServerMemberLeave(ServerMemberLeave {
            id: server,
            user,
            reason: reason.clone(),
        }),
    );
    let channels = world
        .servers
        .get(&server)
        .and_then(|s| s.system_messages.clone())
        .unwrap_or_default();
    let (channel, system) = match *reason {
        RemovalIntention::Kick => (
            channels.user_kicked,
            SystemMessage::UserKicked(UserOnly { id: user }),
        ),
        RemovalIntention::Ban => (
            channels.user_banned,
            SystemMessage::UserBanned(UserOnly { id: user }),
        ),
        _ => (
            channels.user_left,
            SystemMessage::UserLeft(UserOnly { id: user }),
        ),
    };
    if let Some(channel) = channel {
        super::messages::system_message(shared, world, channel, system, now);
    }
    Some(member)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FetchOptions {
    #[serde(default)]
    include_channels: Option<bool>,
}

/// `GET /servers/{id}`.
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(options): Query<FetchOptions>,
) -> Reply<axum::Json<FetchServerResponse>> {
    let server: ServerId = parse_id(&id)?;
    let now = shared.clock.now();
    let world = lock(&shared.world);
    if world.member(server, caller.user).is_none() && !world.perspective(caller.user).privileged {
        return Err(not_found());
    }
    let rendered = world.render_server(server).ok_or_else(not_found)?;
    let channels = options
        .include_channels
        .unwrap_or(false)
        .then(|| world.visible_channels(server, caller.user, now));
    Ok(axum::Json(FetchServerResponse {
        server: rendered,
        channels,
    }))
}

/// `PATCH /servers/{id}`, checked in the real server's order: validation; an edit naming
/// nothing returns the server; `ManageServer` for the plain fields; `NotOwner` (and an MFA
/// ticket, `InvalidCredentials` without one) for a new owner; `NotPrivileged` for flags and
/// discovery; `ManageChannel` for categories; system-message channels must be the server's.
pub(crate) async fn edit(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    Json(body): Json<ServerEditBody>,
) -> Reply<axum::Json<Server>> {
    if let Some(name) = &body.name {
        length("name", name, 1, 32)?;
    }
    if let Some(d) = &body.description {
        length("description", d, 0, 1024)?;
    }
    let server: ServerId = parse_id(&id)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    if !world.servers.contains_key(&server) || world.member(server, caller.user).is_none() {
        return Err(not_found());
    }
    if body == ServerEditBody::default() {
        return world
            .render_server(server)
            .map(axum::Json)
            .ok_or_else(not_found);
    }
    let categories = authorize_edit(
        &world,
        caller.user,
        server,
        &body,
        headers.contains_key("x-mfa-ticket"),
        now,
    )?;
    if let Some(new_owner) = body.owner
        && world.member(server, new_owner).is_none()
    {
        return Err(not_found());
    }
    let icon = match &body.icon {
        Some(file) => Some(use_file(&mut world, file, "icons")?),
        None => None,
    };
    let banner = match &body.banner {
        Some(file) => Some(use_file(&mut world, file, "banners")?),
        None => None,
    };
    let data = PartialServer {
        name: body.name,
        description: body.description,
        icon,
        banner,
        categories,
        system_messages: body.system_messages,
        flags: body
            .flags
            .map(ermine_model::server::ServerFlags::from_bits_retain),
        discoverable: body.discoverable,
        analytics: body.analytics,
        owner: body.owner,
        ..PartialServer::default()
    };
    let srv = world.servers.get_mut(&server).ok_or_else(not_found)?;
    srv.apply_update(&data, &body.remove);
    let audience = server_audience(&shared, &world, server);
    shared.hub.send(
        audience,
        &ServerEvent::ServerUpdate(Box::new(ServerUpdate {
            id: server,
            data,
            clear: body.remove,
        })),
    );
    world
        .render_server(server)
        .map(axum::Json)
        .ok_or_else(not_found)
}

/// The permission checks of a server edit, in the real server's order; returns the
/// categories to store (channels of other servers dropped).
fn authorize_edit(
    world: &World,
    caller: UserId,
    server: ServerId,
    body: &ServerEditBody,
    ticket: bool,
    now: ermine_model::Timestamp,
) -> Reply<Option<Vec<ermine_model::server::Category>>> {
    let have = world.server_permissions(caller, server, now);
    let plain = body.name.is_some()
        || body.description.is_some()
        || body.icon.is_some()
        || body.banner.is_some()
        || body.system_messages.is_some()
        || body.analytics.is_some()
        || !body.remove.is_empty();
    if plain && !have.contains(Permissions::MANAGE_SERVER) {
        return Err(missing("ManageServer"));
    }
    let privileged = world.users.get(&caller).is_some_and(|u| u.user.privileged);
    let owner = world.servers.get(&server).map(|s| s.owner);
    if body.owner.is_some() {
        if owner != Some(caller) && !privileged {
            return Err(fail(ApiError::NotOwner));
        }
        if !ticket {
            return Err(fail(ApiError::InvalidCredentials));
        }
    }
    if (body.flags.is_some() || body.discoverable.is_some()) && !privileged {
        return Err(fail(ApiError::NotPrivileged));
    }
    if body.categories.is_some() && !have.contains(Permissions::MANAGE_CHANNEL) {
        return Err(missing("ManageChannel"));
    }
    let channels = world
        .servers
        .get(&server)
        .map(|s| s.channels.clone())
        .unwrap_or_default();
    if let Some(system) = &body.system_messages {
        let named = [
            system.user_joined,
            system.user_left,
            system.user_kicked,
            system.user_banned,
        ];
        if named.iter().flatten().any(|c| !channels.contains(c)) {
            return Err(not_found());
        }
    }
    Ok(match body.categories.clone() {
        Some(mut categories) => {
            let mut seen = std::collections::HashSet::new();
            for category in &mut categories {
                if category.channels.iter().any(|c| !seen.insert(*c)) {
                    return Err(fail(ApiError::InvalidOperation));
                }
                category.channels.retain(|c| channels.contains(c));
            }
            Some(categories)
        }
        None => None,
    })
}

/// An unused upload to `tag`, now used; `NotFound` otherwise.
pub(crate) fn use_file(world: &mut World, id: &str, tag: &str) -> Reply<ermine_model::file::File> {
    let record = world
        .files
        .get_mut(id)
        .filter(|f| f.file.tag == tag && !f.used)
        .ok_or_else(not_found)?;
    record.used = true;
    Ok(record.file.clone())
}

/// `DELETE /servers/{id}`: the owner deletes the server, anyone else leaves it.
pub(crate) async fn delete_or_leave(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<Response> {
    let server: ServerId = parse_id(&id)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let owner = world.servers.get(&server).ok_or_else(not_found)?.owner;
    if world.member(server, caller.user).is_none() {
        return Err(not_found());
    }
    if owner == caller.user {
        let audience = server_audience(&shared, &world, server);
        shared
            .hub
            .send(audience, &ServerEvent::ServerDelete(IdOnly { id: server }));
        world.delete_server(server);
    } else {
        leave_server(
            &shared,
            &mut world,
            server,
            caller.user,
            &RemovalIntention::Leave,
            now,
        );
    }
    Ok(no_content())
}

impl World {
    /// Deletes a server and everything under it.
    pub(crate) fn delete_server(&mut self, server: ServerId) {
        if let Some(srv) = self.servers.remove(&server) {
            for channel in srv.channels {
                self.channels.remove(&channel);
                self.messages.remove(&channel);
            }
        }
        for user in self.members.remove(&server).unwrap_or_default().keys() {
            if let Some(set) = self.user_servers.get_mut(user) {
                set.remove(&server);
            }
        }
        self.bans.remove(&server);
        self.invites.retain(|_, invite| match invite {
            ermine_model::invite::Invite::Server(i) => i.server != server,
            _ => true,
        });
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CreateChannel {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    nsfw: Option<bool>,
    #[serde(default)]
    voice: Option<VoiceInformation>,
}

/// `POST /servers/{id}/channels`.
pub(crate) async fn create_channel(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Json(body): Json<CreateChannel>,
) -> Reply<axum::Json<Channel>> {
    length("name", &body.name, 1, 32)?;
    let server: ServerId = parse_id(&id)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    if !world.servers.contains_key(&server) || world.member(server, caller.user).is_none() {
        return Err(not_found());
    }
    if !world
        .server_permissions(caller.user, server, now)
        .contains(Permissions::MANAGE_CHANNEL)
    {
        return Err(missing("ManageChannel"));
    }
    let voice = match body.kind.as_deref() {
        Some("Voice") => Some(body.voice.unwrap_or_default()),
        _ => body.voice,
    };
    let channel = world.create_text_channel(server, &body.name, voice, now);
    if let Some(Channel::TextChannel(text)) = world.channels.get_mut(&channel) {
        text.description = body.description.filter(|d| !d.is_empty());
        text.nsfw = body.nsfw.unwrap_or(false);
    }
    let created = world
        .channels
        .get(&channel)
        .cloned()
        .ok_or_else(not_found)?;
    let action = AuditLogAction::ChannelCreate(AuditChannelCreate {
        channel,
        name: body.name.clone(),
    });
    world.audit(server, caller.user, None, reason, action, now);
    let audience = channel_audience(&shared, &world, &created, now);
    shared.hub.send(
        audience,
        &ServerEvent::ChannelCreate(Box::new(created.clone())),
    );
    let channels = world.servers.get(&server).map(|s| s.channels.clone());
    shared.hub.send(
        server_audience(&shared, &world, server),
        &ServerEvent::ServerUpdate(Box::new(ServerUpdate {
            id: server,
            data: PartialServer {
                channels,
                ..PartialServer::default()
            },
            clear: Vec::new(),
        })),
    );
    Ok(axum::Json(created))
}

/// `PUT /servers/{id}/ack`: every channel of the server read up to its last message.
pub(crate) async fn ack(
    State(shared): State<AppState>,
    Person(caller): Person,
    Path(id): Path<String>,
) -> Reply<axum::response::Response> {
    let server: ServerId = parse_id(&id)?;
    let mut world = lock(&shared.world);
    let channels = world
        .servers
        .get(&server)
        .ok_or_else(not_found)?
        .channels
        .clone();
    if world.member(server, caller.user).is_none() {
        return Err(not_found());
    }
    for channel in channels {
        let last = world
            .messages
            .get(&channel)
            .and_then(|m| m.keys().next_back().copied());
        if let Some(last) = last {
            world.unreads.insert((channel, caller.user), last);
        }
    }
    Ok(crate::http::no_content())
}

/// `GET /servers/{id}/invites`.
pub(crate) async fn invites(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<axum::Json<Vec<ermine_model::invite::Invite>>> {
    let server: ServerId = parse_id(&id)?;
    let now = shared.clock.now();
    let world = lock(&shared.world);
    if !world.servers.contains_key(&server) {
        return Err(not_found());
    }
    super::messages::require(
        world.server_permissions(caller.user, server, now),
        Permissions::MANAGE_SERVER,
    )?;
    let invites = world
        .invites
        .values()
        .filter(|i| matches!(i, ermine_model::invite::Invite::Server(s) if s.server == server))
        .cloned()
        .collect();
    Ok(axum::Json(invites))
}

/// `GET /servers/{id}/emojis`.
pub(crate) async fn emojis(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<axum::Json<Vec<ermine_model::emoji::Emoji>>> {
    let server: ServerId = parse_id(&id)?;
    let world = lock(&shared.world);
    if !world.servers.contains_key(&server) || world.member(server, caller.user).is_none() {
        return Err(not_found());
    }
    let emojis = world
        .emojis
        .values()
        .filter(
            |e| matches!(&e.parent, ermine_model::emoji::EmojiParent::Server(s) if s.id == server),
        )
        .cloned()
        .collect();
    Ok(axum::Json(emojis))
}
