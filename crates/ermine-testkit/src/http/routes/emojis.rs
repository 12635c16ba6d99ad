//! `/custom/emoji/{id}`: custom emoji.

use axum::extract::{Path, State};
use axum::response::Response;
use ermine_model::audit::{AuditEmojiCreate, AuditEmojiDelete, AuditLogAction};
use ermine_model::emoji::{Emoji, EmojiCreateBody, EmojiEditBody, EmojiParent, PartialEmoji};
use ermine_model::error::ApiError;
use ermine_model::event::{EmojiUpdate, IdOnly, ServerEvent};
use ermine_model::id::{EmojiId, ServerId};
use ermine_model::permission::Permissions;

use super::messages::require;
use super::server_audience;
use crate::http::{
    AppState, AuditReason, Caller, Json, Reply, fail, invalid, no_content, not_found, parse_id,
};
use crate::lock;
use crate::world::World;

/// Custom emoji a server may have (the real server's default configuration).
pub(crate) const SERVER_EMOJI: usize = 100;

/// `FailedValidation` unless `name` is 1..=32 of `a-z`, `0-9`, `_`.
fn check_name(name: &str) -> Reply<()> {
    super::servers::length("name", name, 1, 32)?;
    if name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(())
    } else {
        Err(invalid(format!(
            "name: Validation error: regex [{{\"value\": String({name:?})}}]"
        )))
    }
}

/// The server an emoji may be managed in: `ManageCustomisation` there.
fn manage(
    world: &World,
    caller: ermine_model::id::UserId,
    server: ServerId,
    now: ermine_model::Timestamp,
) -> Reply<()> {
    if !world.servers.contains_key(&server) {
        return Err(not_found());
    }
    require(
        world.server_permissions(caller, server, now),
        Permissions::MANAGE_CUSTOMISATION,
    )
}

/// `GET /custom/emoji/{id}`: needs no token.
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    Path(id): Path<String>,
) -> Reply<axum::Json<Emoji>> {
    let id: EmojiId = parse_id(&id)?;
    let world = lock(&shared.world);
    world
        .emojis
        .get(&id)
        .cloned()
        .map(axum::Json)
        .ok_or_else(not_found)
}

/// `PUT /custom/emoji/{id}`: the ID is that of an unused upload to `emojis` by the caller.
pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Json(body): Json<EmojiCreateBody>,
) -> Reply<axum::Json<Emoji>> {
    check_name(&body.name)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let server = match &body.parent {
        EmojiParent::Server(s) => s.id,
        _ => return Err(fail(ApiError::InvalidOperation)),
    };
    manage(&world, caller.user, server, now)?;
    let count = world
        .emojis
        .values()
        .filter(|e| matches!(&e.parent, EmojiParent::Server(s) if s.id == server))
        .count();
    if count >= SERVER_EMOJI {
        return Err(fail(ApiError::TooManyEmoji {
            max: SERVER_EMOJI as u64,
        }));
    }
    let emoji_id: EmojiId = parse_id(&id)?;
    let file = super::servers::use_file(&mut world, &id, "emojis")?;
    let emoji = Emoji {
        id: emoji_id,
        parent: body.parent,
        creator_id: caller.user,
        name: body.name,
        animated: file.content_type == "image/gif",
        nsfw: body.nsfw.unwrap_or(false),
    };
    world.emojis.insert(emoji_id, emoji.clone());
    shared.hub.send(
        server_audience(&shared, &world, server),
        &ServerEvent::EmojiCreate(emoji.clone()),
    );
    let action = AuditLogAction::EmojiCreate(AuditEmojiCreate {
        emoji: emoji_id,
        name: emoji.name.clone(),
    });
    world.audit(server, caller.user, None, reason, action, now);
    Ok(axum::Json(emoji))
}

/// `PATCH /custom/emoji/{id}`: renames it.
pub(crate) async fn edit(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Json(body): Json<EmojiEditBody>,
) -> Reply<axum::Json<Emoji>> {
    if let Some(name) = &body.name {
        check_name(name)?;
    }
    let now = shared.clock.now();
    let id: EmojiId = parse_id(&id)?;
    let mut world = lock(&shared.world);
    let emoji = world.emojis.get(&id).cloned().ok_or_else(not_found)?;
    let EmojiParent::Server(server) = &emoji.parent else {
        return Err(fail(ApiError::NotAuthenticated));
    };
    let server = server.id;
    manage(&world, caller.user, server, now)?;
    let Some(name) = body.name else {
        return Ok(axum::Json(emoji));
    };
    let before = PartialEmoji {
        name: Some(emoji.name.clone()),
    };
    let after = PartialEmoji {
        name: Some(name.clone()),
    };
    let stored = world.emojis.get_mut(&id).ok_or_else(not_found)?;
    stored.name = name;
    let emoji = stored.clone();
    shared.hub.send(
        server_audience(&shared, &world, server),
        &ServerEvent::EmojiUpdate(EmojiUpdate {
            id,
            data: after.clone(),
        }),
    );
    let action = AuditLogAction::EmojiUpdate(Box::new(ermine_model::audit::AuditEmojiUpdate {
        emoji: id,
        before,
        after,
    }));
    world.audit(
        server,
        caller.user,
        Some(emoji.creator_id),
        reason,
        action,
        now,
    );
    Ok(axum::Json(emoji))
}

/// `DELETE /custom/emoji/{id}`: its creator, or anyone with `ManageCustomisation`.
pub(crate) async fn delete(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
) -> Reply<Response> {
    let now = shared.clock.now();
    let id: EmojiId = parse_id(&id)?;
    let mut world = lock(&shared.world);
    let emoji = world.emojis.get(&id).cloned().ok_or_else(not_found)?;
    let server = match &emoji.parent {
        EmojiParent::Server(s) => Some(s.id),
        _ => None,
    };
    if emoji.creator_id != caller.user {
        match server {
            Some(server) => manage(&world, caller.user, server, now)?,
            None => return Ok(no_content()),
        }
    }
    world.emojis.remove(&id);
    if let Some(server) = server {
        shared.hub.send(
            server_audience(&shared, &world, server),
            &ServerEvent::EmojiDelete(IdOnly { id }),
        );
        let action = AuditLogAction::EmojiDelete(AuditEmojiDelete {
            emoji: id,
            name: emoji.name,
        });
        world.audit(
            server,
            caller.user,
            Some(emoji.creator_id),
            reason,
            action,
            now,
        );
    }
    Ok(no_content())
}
