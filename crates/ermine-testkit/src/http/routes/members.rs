//! `/servers/{id}/members`: fetch, query, edit (checks in the real server's order), kick.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ermine_model::Timestamp;
use ermine_model::audit::{AuditLogAction, AuditMemberEdit, AuditMemberKick};
use ermine_model::error::ApiError;
use ermine_model::event::{ServerEvent, ServerMemberUpdate};
use ermine_model::id::{ChannelId, RoleId, ServerId, UserId};
use ermine_model::member::{
    AllMemberResponse, FieldsMember, Member, MemberQueryResponse, PartialMember, RemovalIntention,
};
use ermine_model::permission::Permissions;
use ermine_model::server::Role;
use serde::Deserialize;
use serde_json::json;

use super::messages::require;
use super::servers::{leave_server, length};
use super::{presence, server_audience};
use crate::http::{
    AppState, AuditReason, Caller, Fail, Json, Query, Reply, fail, missing, no_content, not_found,
    parse_id,
};
use crate::lock;
use crate::world::World;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FetchAllOptions {
    #[serde(default)]
    exclude_offline: Option<bool>,
}

/// `GET /servers/{id}/members`.
pub(crate) async fn fetch_all(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(options): Query<FetchAllOptions>,
) -> Reply<axum::Json<AllMemberResponse>> {
    let server: ServerId = parse_id(&id)?;
    let world = lock(&shared.world);
    if !world.servers.contains_key(&server) || world.member(server, caller.user).is_none() {
        return Err(not_found());
    }
    let online = presence(&shared);
    let exclude_offline = options.exclude_offline.unwrap_or(false);
    let mut members = Vec::new();
    let mut users = Vec::new();
    for (user, member) in world.members.get(&server).into_iter().flatten() {
        let Some(rendered) = world.render_user(caller.user, *user, &online) else {
            continue;
        };
        if exclude_offline && !rendered.online {
            continue;
        }
        members.push(member.clone());
        users.push(rendered);
    }
    Ok(axum::Json(AllMemberResponse { members, users }))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FetchOptions {
    #[serde(default)]
    roles: Option<bool>,
}

/// `GET /servers/{id}/members/{member}`.
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, member)): Path<(String, String)>,
    Query(options): Query<FetchOptions>,
) -> Reply<Response> {
    let server: ServerId = parse_id(&id)?;
    let target: UserId = parse_id(&member)?;
    let world = lock(&shared.world);
    let srv = world.servers.get(&server).ok_or_else(not_found)?;
    if world.member(server, caller.user).is_none() {
        return Err(not_found());
    }
    let member = world.member(server, target).ok_or_else(not_found)?.clone();
    if options.roles.unwrap_or(false) {
        let roles: HashMap<RoleId, Role> = member
            .roles
            .iter()
            .filter_map(|r| srv.roles.get(r).map(|role| (*r, role.clone())))
            .collect();
        return Ok(axum::Json(json!({ "member": member, "roles": roles })).into_response());
    }
    Ok(axum::Json(member).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct QueryOptions {
    query: String,
    experimental_api: bool,
}

/// `GET /servers/{id}/members_experimental_query`.
pub(crate) async fn query(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(options): Query<QueryOptions>,
) -> Reply<axum::Json<MemberQueryResponse>> {
    if !options.experimental_api {
        return Err(fail(ApiError::InternalError));
    }
    let server: ServerId = parse_id(&id)?;
    let world = lock(&shared.world);
    if !world.servers.contains_key(&server) || world.member(server, caller.user).is_none() {
        return Err(not_found());
    }
    let mut found: Vec<(usize, &Member)> = world
        .members
        .get(&server)
        .into_iter()
        .flatten()
        .filter_map(|(user, member)| {
            let name = match &member.nickname {
                Some(nick) => nick.as_str(),
                None => world.users.get(user)?.user.username.as_str(),
            };
            name.contains(&options.query)
                .then(|| (name.chars().count(), member))
        })
        .collect();
    found.sort_by_key(|(len, m)| (*len, m.id.user));
    found.truncate(10);
    let online = presence(&shared);
    let mut members = Vec::new();
    let mut users = Vec::new();
    for (_, member) in found {
        if let Some(user) = world.render_user(caller.user, member.id.user, &online) {
            members.push(member.clone());
            users.push(user);
        }
    }
    Ok(axum::Json(MemberQueryResponse { members, users }))
}

/// `DataMemberEdit`, with IDs kept as sent so unknown ones fail the way the server's do.
#[derive(Debug, Deserialize)]
pub(crate) struct EditMember {
    #[serde(default)]
    nickname: Option<String>,
    #[serde(default)]
    pronouns: Option<String>,
    #[serde(default)]
    avatar: Option<String>,
    #[serde(default)]
    roles: Option<Vec<String>>,
    #[serde(default)]
    timeout: Option<Timestamp>,
    #[serde(default)]
    can_publish: Option<bool>,
    #[serde(default)]
    can_receive: Option<bool>,
    #[serde(default)]
    voice_channel: Option<String>,
    #[serde(default)]
    remove: Vec<FieldsMember>,
}

impl EditMember {
    fn removes(&self, field: &FieldsMember) -> bool {
        self.remove.contains(field)
    }
}

/// `PATCH /servers/{id}/members/{member}`.
pub(crate) async fn edit(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, member)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
    Json(body): Json<EditMember>,
) -> Reply<axum::Json<Member>> {
    // 1. validation
    if body
        .remove
        .iter()
        .any(|f| matches!(f, FieldsMember::Unknown(_)))
    {
        return Err(Fail::Framework(StatusCode::UNPROCESSABLE_ENTITY));
    }
    if let Some(nick) = &body.nickname {
        length("nickname", nick, 1, 32)?;
    }
    if let Some(pronouns) = &body.pronouns {
        length("pronouns", pronouns, 1, 24)?;
    }
    let server: ServerId = parse_id(&id)?;
    let target: UserId = parse_id(&member)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    // 2. server, user, member
    if !world.servers.contains_key(&server) || !world.users.contains_key(&target) {
        return Err(not_found());
    }
    let current = world.member(server, target).ok_or_else(not_found)?.clone();
    let plan = check_edit(
        &world,
        &body,
        server,
        caller.user,
        target,
        &current,
        now,
        &shared,
    )?;
    let updated = apply_edit(&mut world, &body, plan, server, target)?;
    let data = PartialMember {
        nickname: body.nickname.clone(),
        pronouns: body.pronouns.clone(),
        avatar: updated.avatar.clone().filter(|_| body.avatar.is_some()),
        roles: body.roles.as_ref().map(|_| updated.roles.clone()),
        timeout: body.timeout,
        can_publish: body.can_publish,
        can_receive: body.can_receive,
        ..PartialMember::default()
    };
    let before = member_diff(&current, &data, &body.remove);
    world.audit(
        server,
        caller.user,
        Some(target),
        reason,
        AuditLogAction::MemberEdit(Box::new(AuditMemberEdit {
            user: target,
            before,
            after: data.clone(),
        })),
        now,
    );
    shared.hub.send(
        server_audience(&shared, &world, server),
        &ServerEvent::ServerMemberUpdate(ServerMemberUpdate {
            id: updated.id,
            data,
            clear: body.remove.clone(),
        }),
    );
    Ok(axum::Json(updated))
}

/// The fields an edit changes, as they were before it.
fn member_diff(current: &Member, after: &PartialMember, remove: &[FieldsMember]) -> PartialMember {
    let touched = |set: bool, field: FieldsMember| set || remove.contains(&field);
    PartialMember {
        nickname: current
            .nickname
            .clone()
            .filter(|_| touched(after.nickname.is_some(), FieldsMember::Nickname)),
        pronouns: current
            .pronouns
            .clone()
            .filter(|_| touched(after.pronouns.is_some(), FieldsMember::Pronouns)),
        avatar: current
            .avatar
            .clone()
            .filter(|_| touched(after.avatar.is_some(), FieldsMember::Avatar)),
        roles: touched(after.roles.is_some(), FieldsMember::Roles).then(|| current.roles.clone()),
        timeout: current
            .timeout
            .filter(|_| touched(after.timeout.is_some(), FieldsMember::Timeout)),
        can_publish: after.can_publish.map(|_| current.can_publish),
        can_receive: after.can_receive.map(|_| current.can_receive),
        ..PartialMember::default()
    }
}

/// What the checks resolved: the roles and avatar to store, the voice move.
struct EditPlan {
    roles: Option<Vec<RoleId>>,
    avatar: Option<String>,
    voice: Option<ChannelId>,
}

#[allow(clippy::too_many_arguments)]
fn check_edit(
    world: &World,
    body: &EditMember,
    server: ServerId,
    caller: UserId,
    target: UserId,
    current: &Member,
    now: Timestamp,
    shared: &crate::Shared,
) -> Reply<EditPlan> {
    let own = caller == target;
    // 3. permissions of both
    let p = world.server_permissions(caller, server, now);
    let t = world.server_permissions(target, server, now);
    // 4. nickname
    if body.nickname.is_some() || body.removes(&FieldsMember::Nickname) {
        require(
            p,
            if own {
                Permissions::CHANGE_NICKNAME
            } else {
                Permissions::MANAGE_NICKNAMES
            },
        )?;
    }
    // 5. pronouns only on yourself
    if (body.pronouns.is_some() || body.removes(&FieldsMember::Pronouns)) && !own {
        return Err(fail(ApiError::InvalidOperation));
    }
    // 6. avatar
    if body.avatar.is_some() || body.removes(&FieldsMember::Avatar) {
        if own {
            require(p, Permissions::CHANGE_AVATAR)?;
        } else if body.avatar.is_some() {
            return Err(fail(ApiError::InvalidOperation));
        } else {
            require(p, Permissions::REMOVE_AVATARS)?;
        }
    }
    // 7. roles
    if body.roles.is_some() || body.removes(&FieldsMember::Roles) {
        require(p, Permissions::ASSIGN_ROLES)?;
    }
    // 8. timeout
    if body.timeout.is_some() {
        if own {
            return Err(fail(ApiError::CannotTimeoutYourself));
        }
        if t.contains(Permissions::TIMEOUT_MEMBERS) {
            return Err(fail(ApiError::IsElevated));
        }
    }
    if body.timeout.is_some() || body.removes(&FieldsMember::Timeout) {
        require(p, Permissions::TIMEOUT_MEMBERS)?;
    }
    // 9. voice mute and deafen
    if body.can_publish.is_some() {
        require(p, Permissions::MUTE_MEMBERS)?;
    }
    if body.can_receive.is_some() {
        require(p, Permissions::DEAFEN_MEMBERS)?;
    }
    // 10. voice move / disconnect
    let disconnect = body.removes(&FieldsMember::VoiceChannel);
    if body.voice_channel.is_some() && disconnect {
        return Err(fail(ApiError::InvalidOperation));
    }
    if body.voice_channel.is_some() || disconnect {
        if !shared.config.voice_enabled() {
            return Err(fail(ApiError::LiveKitUnavailable));
        }
        if !own {
            require(p, Permissions::MOVE_MEMBERS)?;
        }
    }
    // 11. the destination channel
    let mut voice = None;
    if let Some(raw) = &body.voice_channel {
        let channel = raw
            .parse::<ChannelId>()
            .ok()
            .and_then(|id| world.channels.get(&id))
            .filter(|c| c.server() == Some(server))
            .ok_or_else(|| fail(ApiError::UnknownChannel))?;
        if !world
            .channel_permissions(caller, channel, now)
            .contains(Permissions::CONNECT)
        {
            return Err(missing("Connect"));
        }
        let connected = world
            .voice
            .get(&target)
            .and_then(|c| world.channels.get(c))
            .is_some_and(|c| c.server() == Some(server));
        if !connected {
            return Err(fail(ApiError::NotConnected));
        }
        voice = channel.id();
    }
    let (roles, avatar) = check_rank_and_assets(world, body, server, caller, target, current)?;
    Ok(EditPlan {
        roles,
        avatar,
        voice,
    })
}

/// Steps 12–14: hierarchy, the roles being added, the avatar file.
fn check_rank_and_assets(
    world: &World,
    body: &EditMember,
    server: ServerId,
    caller: UserId,
    target: UserId,
    current: &Member,
) -> Reply<(Option<Vec<RoleId>>, Option<String>)> {
    let own = caller == target;
    // 12. hierarchy
    let caller_ranking = world.caller_ranking(server, caller);
    if !own && world.member_ranking(server, target) <= caller_ranking {
        return Err(fail(ApiError::NotElevated));
    }
    // 13. roles being added
    let mut roles = None;
    if let Some(raw) = &body.roles {
        let srv = world.servers.get(&server).ok_or_else(not_found)?;
        let mut list = Vec::with_capacity(raw.len());
        for id in raw {
            let role_id = id.parse::<RoleId>().ok();
            let added = role_id.is_none_or(|r| !current.roles.contains(&r));
            if added {
                let role = role_id
                    .and_then(|r| srv.roles.get(&r))
                    .ok_or_else(|| fail(ApiError::InvalidRole))?;
                if role.rank <= caller_ranking {
                    return Err(fail(ApiError::NotElevated));
                }
            }
            if let Some(r) = role_id
                && !list.contains(&r)
            {
                list.push(r);
            }
        }
        roles = Some(list);
    }
    // 14. the avatar file
    if let Some(file) = &body.avatar {
        let usable = world
            .files
            .get(file)
            .is_some_and(|f| f.file.tag == "avatars" && !f.used);
        if !usable {
            return Err(not_found());
        }
    }
    Ok((roles, body.avatar.clone()))
}

fn apply_edit(
    world: &mut World,
    body: &EditMember,
    plan: EditPlan,
    server: ServerId,
    target: UserId,
) -> Reply<Member> {
    if body.removes(&FieldsMember::VoiceChannel) {
        world.voice.remove(&target);
    }
    if let Some(channel) = plan.voice {
        world.voice.insert(target, channel);
    }
    let avatar = match &plan.avatar {
        Some(id) => world.files.get_mut(id).map(|f| {
            f.used = true;
            f.file.clone()
        }),
        None => None,
    };
    if body.removes(&FieldsMember::Avatar) {
        let old = world
            .member(server, target)
            .and_then(|m| m.avatar.as_ref().map(|a| a.id.clone()));
        if let Some(old) = old {
            world.files.remove(&old);
        }
    }
    let member = world.member_mut(server, target).ok_or_else(not_found)?;
    let data = PartialMember {
        nickname: body.nickname.clone(),
        pronouns: body.pronouns.clone(),
        avatar: avatar.map(Box::new),
        roles: plan.roles,
        timeout: body.timeout,
        can_publish: body.can_publish,
        can_receive: body.can_receive,
        ..PartialMember::default()
    };
    member.apply_update(&data, &body.remove);
    Ok(member.clone())
}

/// `DELETE /servers/{id}/members/{member}`: kick.
pub(crate) async fn kick(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, member)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> Reply<Response> {
    let server: ServerId = parse_id(&id)?;
    let target: UserId = parse_id(&member)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let owner = world.servers.get(&server).ok_or_else(not_found)?.owner;
    if target == caller.user {
        return Err(fail(ApiError::CannotRemoveYourself));
    }
    if target == owner {
        return Err(fail(ApiError::InvalidOperation));
    }
    require(
        world.server_permissions(caller.user, server, now),
        Permissions::KICK_MEMBERS,
    )?;
    if world.member(server, target).is_none() {
        return Err(not_found());
    }
    if world.member_ranking(server, target) <= world.caller_ranking(server, caller.user) {
        return Err(fail(ApiError::NotElevated));
    }
    leave_server(
        &shared,
        &mut world,
        server,
        target,
        &RemovalIntention::Kick,
        now,
    );
    world.audit(
        server,
        caller.user,
        Some(target),
        reason,
        AuditLogAction::MemberKick(AuditMemberKick { user: target }),
        now,
    );
    Ok(no_content())
}
