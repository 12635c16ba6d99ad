//! Webhooks: `/channels/{id}/webhooks` and `/webhooks/{id}[/{token}…]`.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use ermine_model::audit::{AuditLogAction, AuditWebhookCreate, AuditWebhookDelete};
use ermine_model::auth::Token;
use ermine_model::channel::Channel;
use ermine_model::embed::SendableEmbed;
use ermine_model::error::ApiError;
use ermine_model::event::{IdOnly, ServerEvent, WebhookUpdate};
use ermine_model::id::{MessageId, UserId, WebhookId};
use ermine_model::message::{MessageEditBody, MessageWebhook};
use ermine_model::permission::Permissions;
use ermine_model::webhook::{
    FieldsWebhook, PartialWebhook, Webhook, WebhookCreateBody, WebhookEditBody, WebhookInfo,
};

use super::channel_audience;
use super::messages::{
    SendMessage, apply_edit, channel_of, check_edit, compose, erase, permitted_channel, require,
};
use crate::Shared;
use crate::http::{
    AppState, AuditReason, Caller, IdempotencyKey, Json, Reply, fail, no_content, not_found,
    parse_id,
};
use crate::lock;
use crate::world::World;

/// What a new webhook's messages may do: send, embed, masquerade, react.
fn default_permissions() -> Permissions {
    Permissions::SEND_MESSAGE
        | Permissions::SEND_EMBEDS
        | Permissions::MASQUERADE
        | Permissions::REACT
}

/// The user ID a webhook's messages carry as their author (the webhook's own ID).
fn author_of(webhook: &Webhook) -> UserId {
    webhook.id.cast()
}

/// A webhook, or `NotFound`.
fn webhook_of(world: &World, raw: &str) -> Reply<Webhook> {
    let id: WebhookId = parse_id(raw)?;
    world.webhooks.get(&id).cloned().ok_or_else(not_found)
}

/// A webhook whose token is `token`, or `NotAuthenticated`.
fn holder(world: &World, raw: &str, token: &str) -> Reply<Webhook> {
    let webhook = webhook_of(world, raw)?;
    if webhook.token.as_ref().map(Token::expose) == Some(token) {
        Ok(webhook)
    } else {
        Err(fail(ApiError::NotAuthenticated))
    }
}

/// A webhook the caller may manage (`ManageWebhooks` in its channel), with its channel.
fn managed(
    world: &World,
    caller: UserId,
    raw: &str,
    now: ermine_model::Timestamp,
) -> Reply<(Webhook, Channel)> {
    let webhook = webhook_of(world, raw)?;
    let channel = world
        .channels
        .get(&webhook.channel_id)
        .cloned()
        .ok_or_else(not_found)?;
    require(
        world.channel_permissions(caller, &channel, now),
        Permissions::MANAGE_WEBHOOKS,
    )?;
    Ok((webhook, channel))
}

/// `GET /channels/{id}/webhooks`.
pub(crate) async fn list(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<axum::Json<Vec<Webhook>>> {
    let now = shared.clock.now();
    let world = lock(&shared.world);
    let channel = permitted_channel(&world, caller.user, &id, Permissions::MANAGE_WEBHOOKS, now)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    let mut hooks: Vec<Webhook> = world
        .webhooks
        .values()
        .filter(|w| w.channel_id == channel_id)
        .cloned()
        .collect();
    hooks.sort_by_key(|w| w.id);
    Ok(axum::Json(hooks))
}

/// `POST /channels/{id}/webhooks`: in a server channel or a group.
pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Json(body): Json<WebhookCreateBody>,
) -> Reply<axum::Json<Webhook>> {
    super::servers::length("name", &body.name, 1, 32)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, &id)?;
    if !matches!(channel, Channel::TextChannel(_) | Channel::Group(_)) {
        return Err(fail(ApiError::InvalidOperation));
    }
    require(
        world.channel_permissions(caller.user, &channel, now),
        Permissions::MANAGE_WEBHOOKS,
    )?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    let avatar = match &body.avatar {
        Some(file) => Some(super::servers::use_file(&mut world, file, "avatars")?),
        None => None,
    };
    let webhook = Webhook {
        id: world.id(now),
        name: body.name,
        avatar,
        creator_id: caller.user,
        channel_id,
        permissions: default_permissions(),
        token: Some(Token::new(world.token(now))),
    };
    world.webhooks.insert(webhook.id, webhook.clone());
    shared.hub.send(
        channel_audience(&shared, &world, &channel, now),
        &ServerEvent::WebhookCreate(Box::new(webhook.clone())),
    );
    if let Some(server) = channel.server() {
        let action = AuditLogAction::WebhookCreate(AuditWebhookCreate {
            webhook: webhook.id.to_string(),
            name: webhook.name.clone(),
            channel: channel_id,
        });
        world.audit(server, caller.user, None, reason, action, now);
    }
    Ok(axum::Json(webhook))
}

/// `GET /webhooks/{id}`: without its token, to anyone who sees its channel.
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<axum::Json<WebhookInfo>> {
    let now = shared.clock.now();
    let world = lock(&shared.world);
    let webhook = webhook_of(&world, &id)?;
    let channel = world
        .channels
        .get(&webhook.channel_id)
        .ok_or_else(not_found)?;
    require(
        world.channel_permissions(caller.user, channel, now),
        Permissions::VIEW_CHANNEL,
    )?;
    Ok(axum::Json(WebhookInfo {
        id: webhook.id,
        name: webhook.name,
        avatar: webhook.avatar.map(|f| f.id),
        channel_id: webhook.channel_id,
        permissions: webhook.permissions,
    }))
}

/// `GET /webhooks/{id}/{token}`.
pub(crate) async fn fetch_with_token(
    State(shared): State<AppState>,
    Path((id, token)): Path<(String, String)>,
) -> Reply<axum::Json<Webhook>> {
    let world = lock(&shared.world);
    holder(&world, &id, &token).map(axum::Json)
}

/// `PATCH /webhooks/{id}`.
pub(crate) async fn edit(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<WebhookEditBody>,
) -> Reply<axum::Json<Webhook>> {
    check_webhook_edit(&body)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let (webhook, channel) = managed(&world, caller.user, &id, now)?;
    update(&shared, &mut world, webhook, &channel, body, now).map(axum::Json)
}

/// `PATCH /webhooks/{id}/{token}`.
pub(crate) async fn edit_with_token(
    State(shared): State<AppState>,
    Path((id, token)): Path<(String, String)>,
    Json(body): Json<WebhookEditBody>,
) -> Reply<axum::Json<Webhook>> {
    check_webhook_edit(&body)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let webhook = holder(&world, &id, &token)?;
    let channel = world
        .channels
        .get(&webhook.channel_id)
        .cloned()
        .ok_or_else(not_found)?;
    update(&shared, &mut world, webhook, &channel, body, now).map(axum::Json)
}

fn check_webhook_edit(body: &WebhookEditBody) -> Reply<()> {
    if let Some(name) = &body.name {
        super::servers::length("name", name, 1, 32)?;
    }
    Ok(())
}

/// Applies an edit and sends `WebhookUpdate`; an edit that names nothing changes nothing.
fn update(
    shared: &Shared,
    world: &mut World,
    webhook: Webhook,
    channel: &Channel,
    body: WebhookEditBody,
    now: ermine_model::Timestamp,
) -> Reply<Webhook> {
    if body.name.is_none() && body.avatar.is_none() && body.remove.is_empty() {
        return Ok(webhook);
    }
    let mut data = PartialWebhook {
        name: body.name,
        avatar: None,
        permissions: body.permissions,
    };
    if let Some(file) = &body.avatar {
        data.avatar = Some(super::servers::use_file(world, file, "avatars")?);
    }
    let stored = world.webhooks.get_mut(&webhook.id).ok_or_else(not_found)?;
    if body.remove.contains(&FieldsWebhook::Avatar) {
        stored.avatar = None;
    }
    if let Some(name) = &data.name {
        stored.name.clone_from(name);
    }
    if let Some(avatar) = &data.avatar {
        stored.avatar = Some(avatar.clone());
    }
    if let Some(permissions) = data.permissions {
        stored.permissions = permissions;
    }
    let updated = stored.clone();
    shared.hub.send(
        channel_audience(shared, world, channel, now),
        &ServerEvent::WebhookUpdate(Box::new(WebhookUpdate {
            id: webhook.id,
            data,
            remove: body.remove,
        })),
    );
    Ok(updated)
}

/// `DELETE /webhooks/{id}`.
pub(crate) async fn delete(
    State(shared): State<AppState>,
    caller: Caller,
    AuditReason(reason): AuditReason,
    Path(id): Path<String>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let (webhook, channel) = managed(&world, caller.user, &id, now)?;
    remove(
        &shared,
        &mut world,
        &webhook,
        &channel,
        Some((caller.user, reason)),
        now,
    );
    Ok(no_content())
}

/// `DELETE /webhooks/{id}/{token}`.
pub(crate) async fn delete_with_token(
    State(shared): State<AppState>,
    Path((id, token)): Path<(String, String)>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let webhook = holder(&world, &id, &token)?;
    let channel = world
        .channels
        .get(&webhook.channel_id)
        .cloned()
        .ok_or_else(not_found)?;
    remove(&shared, &mut world, &webhook, &channel, None, now);
    Ok(no_content())
}

/// Deletes a webhook, sends `WebhookDelete`, and records who did it in a server's log.
fn remove(
    shared: &Shared,
    world: &mut World,
    webhook: &Webhook,
    channel: &Channel,
    by: Option<(UserId, Option<String>)>,
    now: ermine_model::Timestamp,
) {
    world.webhooks.remove(&webhook.id);
    shared.hub.send(
        channel_audience(shared, world, channel, now),
        &ServerEvent::WebhookDelete(IdOnly { id: webhook.id }),
    );
    if let (Some(server), Some((user, reason))) = (channel.server(), by) {
        let action = AuditLogAction::WebhookDelete(AuditWebhookDelete {
            webhook: webhook.id.to_string(),
            name: webhook.name.clone(),
            channel: webhook.channel_id,
        });
        world.audit(server, user, None, reason, action, now);
    }
}

/// `POST /webhooks/{id}/{token}`: a message as the webhook, within its permissions.
pub(crate) async fn execute(
    State(shared): State<AppState>,
    Path((id, token)): Path<(String, String)>,
    IdempotencyKey(key): IdempotencyKey,
    Json(body): Json<SendMessage>,
) -> Reply<axum::Json<ermine_model::message::Message>> {
    super::messages::validate_send(&body)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let webhook = holder(&world, &id, &token)?;
    let perms = webhook.permissions;
    require(perms, Permissions::SEND_MESSAGE)?;
    body.check_webhook_permissions(perms)?;
    post(&shared, &mut world, &webhook, perms, body, key, now).map(axum::Json)
}

/// Posts `body` as `webhook`.
fn post(
    shared: &Shared,
    world: &mut World,
    webhook: &Webhook,
    perms: Permissions,
    body: SendMessage,
    key: Option<String>,
    now: ermine_model::Timestamp,
) -> Reply<ermine_model::message::Message> {
    let channel = world
        .channels
        .get(&webhook.channel_id)
        .cloned()
        .ok_or_else(not_found)?;
    let shown = MessageWebhook {
        name: webhook.name.clone(),
        avatar: webhook.avatar.as_ref().map(|f| f.id.clone()),
    };
    compose(
        shared,
        world,
        &channel,
        author_of(webhook),
        Some(shown),
        perms,
        body,
        key,
        now,
    )
}

/// `PATCH /webhooks/{id}/{token}/{message}`.
pub(crate) async fn edit_message(
    State(shared): State<AppState>,
    Path((id, token, message)): Path<(String, String, String)>,
    Json(body): Json<MessageEditBody>,
) -> Reply<axum::Json<ermine_model::message::Message>> {
    check_edit(&shared, &body)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let webhook = holder(&world, &id, &token)?;
    let message: MessageId = parse_id(&message)?;
    let channel = owned_message(&world, &webhook, message, ApiError::CannotEditMessage)?;
    apply_edit(
        &shared,
        &mut world,
        &channel,
        message,
        author_of(&webhook),
        None,
        body,
        now,
    )
    .map(axum::Json)
}

/// `DELETE /webhooks/{id}/{token}/{message}`.
pub(crate) async fn delete_message(
    State(shared): State<AppState>,
    Path((id, token, message)): Path<(String, String, String)>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let webhook = holder(&world, &id, &token)?;
    let message: MessageId = parse_id(&message)?;
    let channel = owned_message(&world, &webhook, message, ApiError::CannotDeleteMessage)?;
    erase(&shared, &mut world, &channel, message, now);
    Ok(no_content())
}

/// The channel of `message`, which `webhook` must have sent (`refused` otherwise).
fn owned_message(
    world: &World,
    webhook: &Webhook,
    message: MessageId,
    refused: ApiError,
) -> Reply<Channel> {
    let (channel, author) = world
        .messages
        .iter()
        .find_map(|(channel, messages)| Some((*channel, messages.get(&message)?.author)))
        .ok_or_else(not_found)?;
    if author != author_of(webhook) {
        return Err(fail(refused));
    }
    world.channels.get(&channel).cloned().ok_or_else(not_found)
}

/// `POST /webhooks/{id}/{token}/github`: a GitHub event as an embed. The local server
/// renders `star` (created) and `push` as the real one does, answers `ping` and the other
/// events the real server knows without posting, and refuses unknown events with
/// `InvalidOperation`.
pub(crate) async fn execute_github(
    State(shared): State<AppState>,
    Path((id, token)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let webhook = holder(&world, &id, &token)?;
    let event = headers
        .get("x-github-event")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| fail(ApiError::InvalidOperation))?
        .to_owned();
    let payload: serde_json::Value =
        ermine_model::decode::json(&body).map_err(|_| fail(ApiError::InvalidOperation))?;
    let Some(embed) = github_embed(&event, &payload)? else {
        return Ok(no_content());
    };
    let perms = webhook.permissions;
    let message = SendMessage::with_embed(embed);
    post(&shared, &mut world, &webhook, perms, message, None, now)?;
    Ok(no_content())
}

/// The embed the real server posts for a GitHub event, `None` for events it posts nothing
/// for here.
fn github_embed(event: &str, payload: &serde_json::Value) -> Reply<Option<SendableEmbed>> {
    let text = |pointer: &str| {
        payload
            .pointer(pointer)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let sender = text("/sender/login");
    let repo = text("/repository/full_name").unwrap_or_default();
    let base = SendableEmbed {
        title: sender,
        icon_url: text("/sender/avatar_url"),
        url: text("/sender/html_url"),
        ..SendableEmbed::default()
    };
    match event {
        "star" if text("/action").as_deref() == Some("created") => Ok(Some(SendableEmbed {
            description: Some(format!(
                "#### [[{repo}] New star added]({})",
                text("/repository/html_url").unwrap_or_default()
            )),
            colour: Some("#464646".to_owned()),
            ..base
        })),
        "push" => {
            let branch = text("/ref")
                .unwrap_or_default()
                .split('/')
                .skip(2)
                .collect::<Vec<_>>()
                .join("/");
            let commits = payload
                .get("commits")
                .and_then(|c| c.as_array())
                .map_or(0, Vec::len);
            let compare = text("/compare").unwrap_or_default();
            Ok(Some(SendableEmbed {
                description: Some(format!(
                    "#### [[{repo}:{branch}] {commits} new commit]({compare})"
                )),
                colour: Some("#0366d6".to_owned()),
                ..base
            }))
        }
        "star" | "ping" | "commit_comment" | "create" | "delete" | "discussion"
        | "discussion_comment" | "fork" | "issue_comment" | "issues" | "pull_request" => Ok(None),
        _ => Err(fail(ApiError::InvalidOperation)),
    }
}
