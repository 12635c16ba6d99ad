//! `/channels/{id}/invites` and `/invites/{code}`.

use axum::extract::{Path, State};
use ermine_model::channel::Channel;
use ermine_model::error::ApiError;
use ermine_model::invite::{
    Invite, InviteInfo, InviteJoinResponse, JoinedServer, ServerInvite, ServerInviteInfo,
};
use ermine_model::permission::Permissions;

use super::messages::{channel_of, require};
use super::servers::join_server;
use ermine_model::audit::{AuditInviteCreate, AuditLogAction};

use crate::http::{AppState, AuditReason, Caller, Person, Reply, fail, not_found};
use crate::lock;

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789";

fn new_code() -> String {
    let mut bits = ulid::Ulid::new().0;
    (0..8)
        .map(|_| {
            let index = usize::try_from(bits % CODE_ALPHABET.len() as u128).unwrap_or(0);
            bits /= CODE_ALPHABET.len() as u128;
            char::from(CODE_ALPHABET[index])
        })
        .collect()
}

/// `POST /channels/{id}/invites`.
pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
) -> Reply<axum::Json<Invite>> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, &id)?;
    if caller.is_bot() {
        return Err(fail(ApiError::IsBot));
    }
    require(
        world.channel_permissions(caller.user, &channel, now),
        Permissions::INVITE_OTHERS,
    )?;
    let Channel::TextChannel(text) = channel else {
        return Err(fail(ApiError::InvalidOperation));
    };
    let mut code = new_code();
    while world.invites.contains_key(&code) {
        code = new_code();
    }
    let invite = Invite::Server(ServerInvite {
        code: code.clone(),
        server: text.server,
        creator: caller.user,
        channel: text.id,
        max_uses: None,
        uses: None,
        expires: None,
    });
    world.invites.insert(code.clone(), invite.clone());
    let action = AuditLogAction::InviteCreate(AuditInviteCreate {
        invite: code,
        channel: text.id,
    });
    world.audit(text.server, caller.user, None, reason, action, now);
    Ok(axum::Json(invite))
}

/// `GET /invites/{code}` (no authentication needed).
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    Path(code): Path<String>,
) -> Reply<axum::Json<InviteInfo>> {
    let world = lock(&shared.world);
    let Some(Invite::Server(invite)) = world.invites.get(&code) else {
        return Err(not_found());
    };
    let server = world.servers.get(&invite.server).ok_or_else(not_found)?;
    let channel = world.channels.get(&invite.channel).ok_or_else(not_found)?;
    let creator = world.users.get(&invite.creator);
    Ok(axum::Json(InviteInfo::Server(ServerInviteInfo {
        code: invite.code.clone(),
        server_id: server.id,
        server_name: server.name.clone(),
        server_icon: server.icon.clone(),
        server_banner: server.banner.clone(),
        server_flags: (!server.flags.is_empty())
            .then(|| i32::try_from(server.flags.bits()).unwrap_or(0)),
        channel_id: invite.channel,
        channel_name: channel.name().unwrap_or_default().to_owned(),
        channel_description: match channel {
            Channel::TextChannel(c) => c.description.clone(),
            _ => None,
        },
        user_name: creator.map(|u| u.user.username.clone()).unwrap_or_default(),
        user_avatar: creator.and_then(|u| u.user.avatar.as_deref().cloned()),
        member_count: world
            .members
            .get(&server.id)
            .map_or(0, |m| i64::try_from(m.len()).unwrap_or(i64::MAX)),
    })))
}

/// `POST /invites/{code}`: join.
pub(crate) async fn join(
    State(shared): State<AppState>,
    Person(caller): Person,
    Path(code): Path<String>,
) -> Reply<axum::Json<InviteJoinResponse>> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let Some(Invite::Server(invite)) = world.invites.get(&code).cloned() else {
        return Err(not_found());
    };
    let max = crate::world::limits::user_limits(caller.user, now).servers;
    if world.server_count(caller.user) >= max {
        return Err(fail(ApiError::TooManyServers { max: max as u64 }));
    }
    join_server(&shared, &mut world, invite.server, caller.user, now)?;
    let server = world.render_server(invite.server).ok_or_else(not_found)?;
    let channels = world.visible_channels(invite.server, caller.user, now);
    Ok(axum::Json(InviteJoinResponse::Server(JoinedServer {
        channels,
        server,
    })))
}

/// `DELETE /invites/{code}`: one's own invite, or any invite of a server one may manage.
pub(crate) async fn delete(
    State(shared): State<AppState>,
    caller: Caller,
    AuditReason(reason): AuditReason,
    Path(code): Path<String>,
) -> Reply<axum::response::Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let invite = world.invites.get(&code).cloned().ok_or_else(not_found)?;
    match &invite {
        Invite::Server(i) if i.creator != caller.user => {
            if !world.servers.contains_key(&i.server) {
                return Err(not_found());
            }
            require(
                world.server_permissions(caller.user, i.server, now),
                Permissions::MANAGE_SERVER,
            )?;
            world.invites.remove(&code);
            let action = AuditLogAction::InviteDelete(ermine_model::audit::AuditInviteDelete {
                invite: code,
                channel: i.channel,
            });
            world.audit(i.server, caller.user, Some(i.creator), reason, action, now);
        }
        Invite::Server(_) | Invite::Group(_) => {
            world.invites.remove(&code);
        }
        _ => return Err(not_found()),
    }
    Ok(crate::http::no_content())
}
