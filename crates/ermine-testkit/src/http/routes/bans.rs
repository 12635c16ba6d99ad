//! `/servers/{id}/bans`: ban, unban, list.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::response::Response;
use ermine_model::MemberId;
use ermine_model::error::ApiError;
use ermine_model::event::{BulkMessageDelete, ServerEvent};
use ermine_model::id::{MessageId, ServerId, UserId};
use ermine_model::member::{BanListResult, BannedUser, RemovalIntention, ServerBan};
use ermine_model::permission::Permissions;
use serde::Deserialize;

use super::channel_audience;
use super::servers::leave_server;
use ermine_model::audit::{AuditBanCreate, AuditBanDelete, AuditLogAction};

use crate::http::{
    AppState, AuditReason, Caller, Json, Reply, fail, invalid, missing, no_content, not_found,
    parse_id,
};
use crate::lock;

#[derive(Debug, Deserialize)]
pub(crate) struct BanBody {
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    delete_message_seconds: Option<i64>,
}

fn can_ban(shared: &crate::Shared, caller: UserId, server: ServerId) -> Reply<()> {
    let now = shared.clock.now();
    let world = lock(&shared.world);
    if world
        .server_permissions(caller, server, now)
        .contains(Permissions::BAN_MEMBERS)
    {
        Ok(())
    } else {
        Err(missing("BanMembers"))
    }
}

/// `PUT /servers/{id}/bans/{target}`.
pub(crate) async fn ban(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, target)): Path<(String, String)>,
    AuditReason(audit_reason): AuditReason,
    Json(body): Json<BanBody>,
) -> Reply<axum::Json<ServerBan>> {
    if let Some(reason) = &body.reason
        && reason.chars().count() > 1024
    {
        return Err(invalid(format!(
            "reason: Validation error: length [{{\"min\": Number(0), \"max\": Number(1024), \"value\": String({reason:?})}}]"
        )));
    }
    if let Some(seconds) = body.delete_message_seconds
        && !(0..=604_800).contains(&seconds)
    {
        return Err(invalid(format!(
            "delete_message_seconds: Validation error: range [{{\"min\": Number(0.0), \"max\": Number(604800.0), \"value\": Number({seconds})}}]"
        )));
    }
    let server: ServerId = parse_id(&id)?;
    let target: UserId = parse_id(&target)?;
    let owner = lock(&shared.world)
        .servers
        .get(&server)
        .ok_or_else(not_found)?
        .owner;
    if target == caller.user {
        return Err(fail(ApiError::CannotRemoveYourself));
    }
    if target == owner {
        return Err(fail(ApiError::InvalidOperation));
    }
    can_ban(&shared, caller.user, server)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    if world.member(server, target).is_some()
        && world.member_ranking(server, target) <= world.caller_ranking(server, caller.user)
    {
        return Err(fail(ApiError::NotElevated));
    }
    if world
        .bans
        .get(&server)
        .is_some_and(|b| b.contains_key(&target))
    {
        return Err(fail(ApiError::DatabaseError {
            operation: "insert_one".to_owned(),
            collection: "server_bans".to_owned(),
        }));
    }
    let record = ServerBan {
        id: MemberId {
            server,
            user: target,
        },
        reason: body.reason,
    };
    world
        .bans
        .entry(server)
        .or_default()
        .insert(target, record.clone());
    if world.member(server, target).is_some() {
        leave_server(
            &shared,
            &mut world,
            server,
            target,
            &RemovalIntention::Ban,
            now,
        );
    }
    if let Some(seconds) = body.delete_message_seconds.filter(|s| *s > 0) {
        delete_recent_messages(&shared, &mut world, server, target, seconds, now);
    }
    // The header's reason, else the ban's own.
    world.audit(
        server,
        caller.user,
        Some(target),
        audit_reason.or_else(|| record.reason.clone()),
        AuditLogAction::BanCreate(AuditBanCreate { user: target }),
        now,
    );
    Ok(axum::Json(record))
}

/// Deletes what `target` sent in `server`'s channels during the last `seconds`, with one
/// `BulkMessageDelete` per channel.
fn delete_recent_messages(
    shared: &crate::Shared,
    world: &mut crate::world::World,
    server: ServerId,
    target: UserId,
    seconds: i64,
    now: ermine_model::Timestamp,
) {
    let since = now.unix_millis() - seconds * 1000;
    let channels = world
        .servers
        .get(&server)
        .map(|s| s.channels.clone())
        .unwrap_or_default();
    for channel in channels {
        let Some(messages) = world.messages.get_mut(&channel) else {
            continue;
        };
        let doomed: Vec<MessageId> = messages
            .values()
            .filter(|m| m.author == target && m.id.created_at().unix_millis() >= since)
            .map(|m| m.id)
            .collect();
        if doomed.is_empty() {
            continue;
        }
        for id in &doomed {
            messages.remove(id);
        }
        if let Some(c) = world.channels.get(&channel) {
            let audience = channel_audience(shared, world, c, now);
            shared.hub.send(
                audience,
                &ServerEvent::BulkMessageDelete(BulkMessageDelete {
                    channel,
                    ids: doomed,
                }),
            );
        }
    }
}

/// `DELETE /servers/{id}/bans/{target}`.
pub(crate) async fn unban(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, target)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> Reply<Response> {
    let server: ServerId = parse_id(&id)?;
    if !lock(&shared.world).servers.contains_key(&server) {
        return Err(not_found());
    }
    can_ban(&shared, caller.user, server)?;
    let target: UserId = parse_id(&target)?;
    let mut world = lock(&shared.world);
    world
        .bans
        .get_mut(&server)
        .and_then(|b| b.remove(&target))
        .ok_or_else(not_found)?;
    let now = shared.clock.now();
    world.audit(
        server,
        caller.user,
        Some(target),
        reason,
        AuditLogAction::BanDelete(AuditBanDelete { user: target }),
        now,
    );
    Ok(no_content())
}

/// `GET /servers/{id}/bans`.
pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<axum::Json<BanListResult>> {
    let server: ServerId = parse_id(&id)?;
    if !lock(&shared.world).servers.contains_key(&server) {
        return Err(not_found());
    }
    can_ban(&shared, caller.user, server)?;
    let world = lock(&shared.world);
    let empty = BTreeMap::new();
    let bans = world.bans.get(&server).unwrap_or(&empty);
    let users = bans
        .keys()
        .filter_map(|id| world.users.get(id))
        .map(|u| BannedUser {
            id: u.user.id,
            username: u.user.username.clone(),
            discriminator: u.user.discriminator.clone(),
            avatar: u.user.avatar.as_deref().cloned(),
        })
        .collect();
    Ok(axum::Json(BanListResult {
        users,
        bans: bans.values().cloned().collect(),
    }))
}
