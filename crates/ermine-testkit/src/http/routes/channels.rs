//! `/channels/{id}`: fetch, edit, delete, permission overrides, voice calls.

use axum::extract::{Path, State};
use axum::response::Response;
use ermine_model::channel::ChannelEditBody;
use ermine_model::channel::{
    Channel, DefaultChannelPermissions, DefaultChannelPermissionsBody, FieldsChannel,
    JoinCallResponse, PartialChannel,
};
use ermine_model::error::ApiError;
use ermine_model::event::{ChannelUpdate, IdOnly, ServerEvent, ServerUpdate, VoiceChannelJoin};
use ermine_model::id::{ChannelId, RoleId, UserId};
use ermine_model::permission::{Override, Permissions};
use ermine_model::server::PartialServer;
use ermine_model::server::RolePermissionsBody;
use ermine_model::user::UserVoiceState;
use serde::Deserialize;

use super::messages::{channel_of, permitted_channel, require};
use super::servers::length;
use super::{announce_permission_change, channel_audience, server_audience, visibility};
use ermine_model::audit::{
    AuditChannelDelete, AuditChannelEdit, AuditChannelRolePermissionsEdit, AuditLogAction,
};

use crate::http::{AppState, AuditReason, Caller, Json, Query, Reply, fail, no_content, not_found};
use crate::livekit::room as livekit;
use crate::lock;

/// `GET /channels/{id}`.
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<axum::Json<Channel>> {
    let now = shared.clock.now();
    let world = lock(&shared.world);
    let channel = permitted_channel(&world, caller.user, &id, Permissions::VIEW_CHANNEL, now)?;
    Ok(axum::Json(channel))
}

/// `PATCH /channels/{id}`.
pub(crate) async fn edit(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Json(body): Json<ChannelEditBody>,
) -> Reply<axum::Json<Channel>> {
    if let Some(name) = &body.name {
        length("name", name, 1, 32)?;
    }
    if let Some(d) = &body.description {
        length("description", d, 0, 1024)?;
    }
    if body.slowmode.is_some_and(|s| s > 21_600) {
        return Err(crate::http::invalid("slowmode: Validation error: range"));
    }
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = permitted_channel(&world, caller.user, &id, Permissions::MANAGE_CHANNEL, now)?;
    let data = PartialChannel {
        name: body.name,
        description: body.description,
        nsfw: body.nsfw,
        slowmode: body.slowmode,
        voice: body.voice,
        ..PartialChannel::default()
    };
    let channel_id = channel.id().ok_or_else(not_found)?;
    let stored = world.channels.get_mut(&channel_id).ok_or_else(not_found)?;
    let previous = stored.clone();
    stored.apply_update(&data, &body.remove);
    let updated = stored.clone();
    if let Channel::TextChannel(before) = &previous {
        let changed = |set: bool, field: FieldsChannel| set || body.remove.contains(&field);
        let before_data = PartialChannel {
            name: data.name.as_ref().map(|_| before.name.clone()),
            description: before
                .description
                .clone()
                .filter(|_| changed(data.description.is_some(), FieldsChannel::Description)),
            nsfw: data.nsfw.map(|_| before.nsfw),
            slowmode: before.slowmode.filter(|_| data.slowmode.is_some()),
            ..PartialChannel::default()
        };
        let action = AuditLogAction::ChannelEdit(Box::new(AuditChannelEdit {
            channel: channel_id,
            before: before_data,
            after: data.clone(),
        }));
        world.audit(before.server, caller.user, None, reason, action, now);
    }
    shared.hub.send(
        channel_audience(&shared, &world, &updated, now),
        &ServerEvent::ChannelUpdate(Box::new(ChannelUpdate {
            id: channel_id,
            data,
            clear: body.remove,
        })),
    );
    Ok(axum::Json(updated))
}

/// `DELETE /channels/{id}`: delete a server channel, or close a DM.
pub(crate) async fn delete(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Query(options): Query<DeleteOptions>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, &id)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    // Every kind of channel is checked for ViewChannel first (a DM you are not in fails
    // here).
    let perms = world.channel_permissions(caller.user, &channel, now);
    require(perms, Permissions::VIEW_CHANNEL)?;
    match &channel {
        Channel::SavedMessages(_) => return Err(fail(ApiError::NoEffect)),
        Channel::TextChannel(text) => {
            require(perms, Permissions::MANAGE_CHANNEL)?;
            let action = AuditLogAction::ChannelDelete(AuditChannelDelete {
                channel: channel_id,
                name: text.name.clone(),
            });
            world.audit(text.server, caller.user, None, reason, action, now);
            let audience = channel_audience(&shared, &world, &channel, now);
            world.channels.remove(&channel_id);
            world.messages.remove(&channel_id);
            let channels = world.servers.get_mut(&text.server).map(|s| {
                s.channels.retain(|c| *c != channel_id);
                s.channels.clone()
            });
            shared.hub.send(
                audience,
                &ServerEvent::ChannelDelete(IdOnly { id: channel_id }),
            );
            shared.hub.send(
                server_audience(&shared, &world, text.server),
                &ServerEvent::ServerUpdate(Box::new(ServerUpdate {
                    id: text.server,
                    data: PartialServer {
                        channels,
                        ..PartialServer::default()
                    },
                    clear: Vec::new(),
                })),
            );
        }
        Channel::DirectMessage(dm) if dm.recipients.contains(&caller.user) => {
            if let Some(Channel::DirectMessage(stored)) = world.channels.get_mut(&channel_id) {
                stored.active = false;
            }
        }
        Channel::Group(group) => {
            let silent = options.leave_silently.unwrap_or(false);
            super::groups::leave(&shared, &mut world, group, caller.user, None, silent, now);
        }
        _ => return Err(fail(ApiError::InvalidOperation)),
    }
    Ok(no_content())
}

#[derive(Debug, Deserialize)]
pub(crate) struct DeleteOptions {
    #[serde(default)]
    leave_silently: Option<bool>,
}

/// `PUT /channels/{id}/permissions/{role}` (`default` for the channel's default override).
pub(crate) async fn set_permissions(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, role)): Path<(String, String)>,
    reason: AuditReason,
    body: Json<RolePermissionsBody>,
) -> Reply<axum::Json<Channel>> {
    permissions(&shared, &caller, &id, Some(&role), reason, body)
}

/// `PUT /channels/{target}/permissions/default`: a value for a group, an override for a
/// server channel (the other shape is `InvalidOperation`).
pub(crate) async fn set_default_permissions(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    reason: AuditReason,
    Json(body): Json<DefaultChannelPermissionsBody>,
) -> Reply<axum::Json<Channel>> {
    let now = shared.clock.now();
    let group = {
        let world = lock(&shared.world);
        let channel = channel_of(&world, &id)?;
        require(
            world.channel_permissions(caller.user, &channel, now),
            Permissions::MANAGE_PERMISSIONS,
        )?;
        match channel {
            Channel::Group(group) => Some(group),
            _ => None,
        }
    };
    match (group, body.permissions) {
        (Some(group), DefaultChannelPermissions::Value(value)) => {
            let mut world = lock(&shared.world);
            let Some(Channel::Group(stored)) = world.channels.get_mut(&group.id) else {
                return Err(not_found());
            };
            stored.permissions = Some(value);
            let channel = Channel::Group(stored.clone());
            shared.hub.send(
                group.recipients.clone(),
                &ServerEvent::ChannelUpdate(Box::new(ChannelUpdate {
                    id: group.id,
                    data: PartialChannel {
                        permissions: Some(value),
                        ..PartialChannel::default()
                    },
                    clear: Vec::new(),
                })),
            );
            Ok(axum::Json(channel))
        }
        (None, DefaultChannelPermissions::Override(value)) => permissions(
            &shared,
            &caller,
            &id,
            None,
            reason,
            Json(RolePermissionsBody { permissions: value }),
        ),
        _ => Err(fail(ApiError::InvalidOperation)),
    }
}

/// Sets a role's override in a channel, or the channel's default (`role` is `None`).
fn permissions(
    shared: &crate::Shared,
    caller: &Caller,
    id: &str,
    role: Option<&str>,
    AuditReason(reason): AuditReason,
    Json(body): Json<RolePermissionsBody>,
) -> Reply<axum::Json<Channel>> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, id)?;
    let Channel::TextChannel(text) = &channel else {
        return Err(fail(ApiError::InvalidOperation));
    };
    let server = text.server;
    let have = world.channel_permissions(caller.user, &channel, now);
    require(have, Permissions::MANAGE_PERMISSIONS)?;
    let value: Override = body.permissions.into();
    let owner = world
        .servers
        .get(&server)
        .is_some_and(|s| s.owner == caller.user);
    if !owner && !have.contains(value.allow | value.deny) {
        return Err(fail(ApiError::CannotGiveMissingPermissions));
    }
    let target_role = if let Some(role) = role {
        let role_id: RoleId = role.parse().map_err(|_| not_found())?;
        let rank = world
            .servers
            .get(&server)
            .and_then(|s| s.roles.get(&role_id))
            .map(|r| r.rank)
            .ok_or_else(not_found)?;
        if rank <= world.caller_ranking(server, caller.user) {
            return Err(fail(ApiError::NotElevated));
        }
        Some(role_id)
    } else {
        None
    };
    let before = visibility(shared, &world, server, now);
    let channel_id = text.id;
    let mut data = PartialChannel::default();
    if let Some(Channel::TextChannel(stored)) = world.channels.get_mut(&channel_id) {
        if let Some(role_id) = target_role {
            stored.role_permissions.insert(role_id, value);
            data.role_permissions = Some(stored.role_permissions.clone());
        } else {
            stored.default_permissions = Some(value);
            data.default_permissions = Some(value);
        }
    }
    let updated = world
        .channels
        .get(&channel_id)
        .cloned()
        .ok_or_else(not_found)?;
    // A role's override is its own action; the default one is a channel edit.
    let action = match target_role {
        Some(role_id) => {
            AuditLogAction::ChannelRolePermissionsEdit(Box::new(AuditChannelRolePermissionsEdit {
                channel: channel_id,
                role: role_id.to_string(),
                permissions: value,
            }))
        }
        None => AuditLogAction::ChannelEdit(Box::new(AuditChannelEdit {
            channel: channel_id,
            before: PartialChannel {
                default_permissions: text.default_permissions,
                ..PartialChannel::default()
            },
            after: data.clone(),
        })),
    };
    world.audit(server, caller.user, None, reason, action, now);
    let event = ServerEvent::ChannelUpdate(Box::new(ChannelUpdate {
        id: channel_id,
        data,
        clear: Vec::new(),
    }));
    announce_permission_change(
        shared,
        &world,
        server,
        &before,
        &event,
        Some(channel_id),
        now,
    );
    Ok(axum::Json(updated))
}

#[derive(Debug, Deserialize)]
pub(crate) struct JoinCall {
    #[serde(default)]
    node: Option<String>,
    #[serde(default)]
    force_disconnect: Option<bool>,
    #[serde(default)]
    #[allow(dead_code)]
    recipients: Option<Vec<UserId>>,
}

/// The one voice node this server offers.
pub(crate) const VOICE_NODE: &str = "local";

/// What `join_call` decided under the lock: answered already (no LiveKit), or a LiveKit
/// token whose room is still to be created.
enum Call {
    Ready(JoinCallResponse),
    LiveKit(Box<LiveKitCall>),
}

/// A LiveKit token whose room is still to be created (and the call to leave first, forcing).
struct LiveKitCall {
    node: crate::LiveKitNode,
    channel: Channel,
    token: String,
    previous: Option<ChannelId>,
}

/// `join_call`'s checks and records, under the world's lock.
fn prepare_call(
    shared: &AppState,
    caller: &Caller,
    id: &str,
    body: JoinCall,
    force: bool,
) -> Result<Call, crate::http::Fail> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, id)?;
    if !channel.voice_capable() {
        return Err(fail(ApiError::NotAVoiceChannel));
    }
    let perms = world.channel_permissions(caller.user, &channel, now);
    require(perms, Permissions::CONNECT)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    if let Channel::TextChannel(text) = &channel {
        let max = text.voice.as_ref().and_then(|v| v.max_users);
        let inside = world.voice.values().filter(|c| **c == channel_id).count() as u64;
        if max.is_some_and(|m| inside >= m) && !perms.contains(Permissions::MANAGE_CHANNEL) {
            return Err(fail(ApiError::CannotJoinCall));
        }
    }
    let node = if let Some(livekit) = &shared.config.livekit {
        let name = world.voice_nodes.get(&channel_id).cloned().or(body.node);
        if name.as_deref() != Some(livekit.name.as_str()) {
            return Err(fail(ApiError::UnknownNode));
        }
        Some(livekit.clone())
    } else {
        if body.node.as_deref().is_some_and(|n| n != VOICE_NODE) {
            return Err(fail(ApiError::UnknownNode));
        }
        None
    };
    let current = world.voice.get(&caller.user).copied();
    let connected = if caller.is_bot() {
        current == Some(channel_id)
    } else {
        current.is_some()
    };
    if connected && !force {
        return Err(fail(ApiError::AlreadyConnected));
    }
    let Some(node) = node else {
        world.voice.insert(caller.user, channel_id);
        let token = world.token(now);
        shared.hub.send(
            channel_audience(shared, &world, &channel, now),
            &ServerEvent::VoiceChannelJoin(VoiceChannelJoin {
                id: channel_id,
                state: UserVoiceState {
                    id: caller.user,
                    joined_at: now,
                    is_receiving: true,
                    is_publishing: false,
                    screensharing: false,
                    camera: false,
                },
            }),
        );
        return Ok(Call::Ready(JoinCallResponse {
            token,
            url: format!("{}/livekit", shared.urls.api.replace("http", "ws")),
        }));
    };
    let user = world
        .render_user(caller.user, caller.user, &|_| true)
        .ok_or_else(not_found)?;
    let mut sources = Vec::new();
    if perms.contains(Permissions::SPEAK) {
        sources.push("microphone");
    }
    if perms.contains(Permissions::VIDEO) {
        sources.extend(["camera", "screen_share", "screen_share_audio"]);
    }
    let token = livekit::participant_token(
        &node,
        livekit::Grant {
            identity: caller.user,
            name: format!("{}#{}", user.username, user.discriminator),
            metadata: serde_json::to_string(&user).unwrap_or_default(),
            room: channel_id,
            sources,
            subscribe: perms.contains(Permissions::LISTEN),
        },
    );
    let previous = if force {
        world.voice.remove(&caller.user)
    } else {
        None
    };
    Ok(Call::LiveKit(Box::new(LiveKitCall {
        node,
        channel,
        token,
        previous,
    })))
}

/// `POST /channels/{id}/join_call`, in the real server's order: bots cannot force, a voice
/// channel, `Connect`, room for one more (or `ManageChannel`), a known node, not already in a
/// call (unless forcing). With LiveKit the call is the node's room and the voice state comes
/// with its webhook; without, the caller is recorded at once.
pub(crate) async fn join_call(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<JoinCall>,
) -> Reply<axum::Json<JoinCallResponse>> {
    if !shared.config.voice_enabled() {
        return Err(fail(ApiError::LiveKitUnavailable));
    }
    let force = body.force_disconnect.unwrap_or(false);
    if caller.is_bot() && force {
        return Err(fail(ApiError::IsBot));
    }
    let LiveKitCall {
        node,
        channel,
        token,
        previous,
    } = match prepare_call(&shared, &caller, &id, body, force)? {
        Call::Ready(answer) => return Ok(axum::Json(answer)),
        Call::LiveKit(call) => *call,
    };
    if let Some(previous) = previous {
        // A mismatch here only means LiveKit already forgot the participant.
        let _ = livekit::remove_participant(&node, previous, caller.user).await;
    }
    livekit::create_room(&node, &channel).await.map_err(|e| {
        tracing::warn!(error = %e, "LiveKit refused to create the room");
        fail(ApiError::InternalError)
    })?;
    lock(&shared.world)
        .voice_nodes
        .entry(channel.id().ok_or_else(not_found)?)
        .or_insert_with(|| node.name.clone());
    Ok(axum::Json(JoinCallResponse {
        token,
        url: node.url,
    }))
}

/// `PUT /channels/{id}/end_ring/{user}`: stop ringing a recipient of a DM or group call.
pub(crate) async fn end_ring(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, user)): Path<(String, String)>,
) -> Reply<axum::response::Response> {
    if !shared.config.voice_enabled() {
        return Err(fail(ApiError::LiveKitUnavailable));
    }
    let world = lock(&shared.world);
    let channel = channel_of(&world, &id)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    let recipients = match &channel {
        Channel::DirectMessage(dm) => &dm.recipients,
        Channel::Group(group) => &group.recipients,
        _ => return Err(fail(ApiError::NoEffect)),
    };
    if world.voice.get(&caller.user) != Some(&channel_id) {
        return Err(fail(ApiError::NotConnected));
    }
    let target: UserId = user.parse().map_err(|_| not_found())?;
    if !recipients.contains(&target) {
        return Err(not_found());
    }
    Ok(no_content())
}
