//! `/channels/{id}/messages`, search, acknowledgement, pins, and `/sync/unreads`.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ermine_model::Timestamp;
use ermine_model::channel::{Channel, ChannelUnread, ChannelUnreadKey};
use ermine_model::embed::{Embed, SendableEmbed, TextEmbed};
use ermine_model::error::ApiError;
use ermine_model::event::{ChannelAck, MessageDelete, MessageUpdate, ServerEvent};
use ermine_model::id::{ChannelId, MessageId, RoleId, UserId};
use ermine_model::message::{
    FieldsMessage, Interactions, Masquerade, Message, MessageBy, MessageEditBody, MessageSort,
    PartialMessage, SystemMessage,
};
use ermine_model::permission::Permissions;
use serde::Deserialize;
use serde_json::json;

use super::{channel_audience, presence};
use crate::Shared;
use ermine_model::audit::{AuditLogAction, AuditMessageDelete, AuditMessagePin, AuditMessageUnpin};

use crate::http::{
    AppState, AuditReason, Caller, IdempotencyKey, Json, Person, Query, Reply, fail, invalid,
    missing, no_content, not_found, parse_id,
};
use crate::lock;
use crate::world::World;

#[derive(Debug, Deserialize)]
pub(crate) struct ReplyIntent {
    id: String,
    #[serde(default)]
    mention: bool,
    #[serde(default)]
    fail_if_not_exists: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SendMessage {
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    attachments: Option<Vec<String>>,
    #[serde(default)]
    replies: Option<Vec<ReplyIntent>>,
    #[serde(default)]
    embeds: Option<Vec<SendableEmbed>>,
    #[serde(default)]
    masquerade: Option<Masquerade>,
    #[serde(default)]
    interactions: Option<Interactions>,
    #[serde(default)]
    flags: Option<u32>,
}

impl SendMessage {
    /// A message of one embed (what a GitHub event becomes).
    pub(crate) fn with_embed(embed: SendableEmbed) -> Self {
        Self {
            nonce: None,
            content: None,
            attachments: None,
            replies: None,
            embeds: Some(vec![embed]),
            masquerade: None,
            interactions: None,
            flags: None,
        }
    }

    /// What a webhook's own permissions must allow for this message, in the real server's
    /// order: files, embeds, masquerade, reactions.
    pub(crate) fn check_webhook_permissions(&self, perms: Permissions) -> Reply<()> {
        if self.attachments.as_ref().is_some_and(|v| !v.is_empty()) {
            require(perms, Permissions::UPLOAD_FILES)?;
        }
        if self.embeds.as_ref().is_some_and(|v| !v.is_empty()) {
            require(perms, Permissions::SEND_EMBEDS)?;
        }
        if self.masquerade.is_some() {
            require(perms, Permissions::MASQUERADE)?;
        }
        if self.interactions.is_some() {
            require(perms, Permissions::REACT)?;
        }
        Ok(())
    }
}

#[track_caller]
fn check_len(field: &str, value: Option<&String>, min: usize, max: usize) -> Reply<()> {
    match value {
        Some(v) => super::servers::length(field, v, min, max),
        None => Ok(()),
    }
}

pub(crate) fn validate_send(body: &SendMessage) -> Reply<()> {
    check_len("nonce", body.nonce.as_ref(), 1, 64)?;
    if let Some(m) = &body.masquerade {
        check_len("masquerade.name", m.name.as_ref(), 1, 32)?;
        check_len("masquerade.avatar", m.avatar.as_ref(), 1, 256)?;
        check_len("masquerade.colour", m.colour.as_ref(), 1, 128)?;
    }
    for e in body.embeds.iter().flatten() {
        check_embed(e)?;
    }
    Ok(())
}

/// The field limits of an embed being sent.
fn check_embed(e: &SendableEmbed) -> Reply<()> {
    check_len("embeds.icon_url", e.icon_url.as_ref(), 1, 128)?;
    check_len("embeds.url", e.url.as_ref(), 1, 256)?;
    check_len("embeds.title", e.title.as_ref(), 1, 100)?;
    check_len("embeds.description", e.description.as_ref(), 1, 2000)?;
    check_len("embeds.colour", e.colour.as_ref(), 1, 128)
}

/// The channel, or `NotFound`.
pub(crate) fn channel_of(world: &World, raw: &str) -> Reply<Channel> {
    let id: ChannelId = parse_id(raw)?;
    world.channels.get(&id).cloned().ok_or_else(not_found)
}

/// Which permissions a read checks, in order: fetching one message checks `ViewChannel`
/// first; history and search check `ReadMessageHistory` alone (as the real routes do).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    One,
    History,
}

/// A channel whose messages `user` may read (`NotFound`, or `MissingPermission` naming the
/// first permission lacking).
fn readable_channel(
    world: &World,
    user: UserId,
    raw: &str,
    now: Timestamp,
    read: Read,
) -> Reply<Channel> {
    let channel = channel_of(world, raw)?;
    let perms = world.channel_permissions(user, &channel, now);
    if read == Read::One {
        require(perms, Permissions::VIEW_CHANNEL)?;
    }
    require(perms, Permissions::READ_MESSAGE_HISTORY)?;
    Ok(channel)
}

/// The channel `raw` if `user` has `need` there (`NotFound`, or `MissingPermission`).
pub(crate) fn permitted_channel(
    world: &World,
    user: UserId,
    raw: &str,
    need: Permissions,
    now: Timestamp,
) -> Reply<Channel> {
    let channel = channel_of(world, raw)?;
    require(world.channel_permissions(user, &channel, now), need)?;
    Ok(channel)
}

/// Fails with `MissingPermission` unless `have` contains `need`.
#[track_caller]
pub(crate) fn require(have: Permissions, need: Permissions) -> Reply<()> {
    if have.contains(need) {
        Ok(())
    } else {
        Err(missing(need.api_name().unwrap_or("Unknown")))
    }
}

/// User IDs mentioned as `<@ID>` in `content`.
fn mentions_in(content: &str) -> Vec<UserId> {
    let mut out = Vec::new();
    for part in content.split("<@").skip(1) {
        if let Some(id) = part.get(..26).and_then(|s| s.parse::<UserId>().ok())
            && part[26..].starts_with('>')
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    out
}

/// Role IDs mentioned as `<%ID>` in `content`.
fn role_mentions_in(content: &str) -> Vec<RoleId> {
    let mut out = Vec::new();
    for part in content.split("<%").skip(1) {
        if let Some(id) = part.get(..26).and_then(|s| s.parse::<RoleId>().ok())
            && part[26..].starts_with('>')
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    out
}

/// `POST /channels/{id}/messages`.
pub(crate) async fn send(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    IdempotencyKey(key): IdempotencyKey,
    Json(body): Json<SendMessage>,
) -> Reply<axum::Json<Message>> {
    validate_send(&body)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, &id)?;
    let perms = world.channel_permissions(caller.user, &channel, now);
    compose(
        &shared,
        &mut world,
        &channel,
        caller.user,
        None,
        perms,
        body,
        key,
        now,
    )
    .map(axum::Json)
}

/// Checks and posts a message by `author` (a user, or a webhook with `webhook` set) who has
/// `perms` in `channel`, in the real server's order; returns it as its author sees it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn compose(
    shared: &Shared,
    world: &mut World,
    channel: &Channel,
    author: UserId,
    webhook: Option<ermine_model::message::MessageWebhook>,
    perms: Permissions,
    body: SendMessage,
    key: Option<String>,
    now: Timestamp,
) -> Reply<Message> {
    require(perms, Permissions::SEND_MESSAGE)?;
    if let Some(m) = &body.masquerade {
        require(perms, Permissions::MASQUERADE)?;
        if m.colour.is_some() {
            require(perms, Permissions::MANAGE_ROLE)?;
        }
    }
    let embeds = body.embeds.unwrap_or_default();
    let attachments = body.attachments.unwrap_or_default();
    let replies = body.replies.unwrap_or_default();
    if !embeds.is_empty() {
        require(perms, Permissions::SEND_EMBEDS)?;
    }
    if !attachments.is_empty() {
        require(perms, Permissions::UPLOAD_FILES)?;
    }
    if let Some(interactions) = &body.interactions
        && interactions.restrict_reactions
        && interactions.reactions.as_ref().is_none_or(Vec::is_empty)
    {
        return Err(fail(ApiError::InvalidProperty));
    }
    let flags = body.flags.unwrap_or(0);
    let content = body.content.filter(|c| !c.is_empty());
    check_rules(
        shared,
        world,
        author,
        channel,
        perms,
        flags,
        Counts {
            content: content.as_deref(),
            embeds: &embeds,
            attachments: attachments.len(),
            replies: replies.len(),
        },
    )?;
    // Stored as the server recomputes them: only the bits it acts on survive (a sent 1 is
    // stored as none).
    let flags = flags & (SUPPRESS | MENTIONS);
    let channel_id = channel.id().ok_or_else(not_found)?;
    let (reply_ids, mentions, role_mentions, files) = resolve_references(
        world,
        channel_id,
        perms,
        content.as_deref(),
        &replies,
        &attachments,
    )?;
    let message_id: MessageId = world.id(now);
    let nonce = key
        .or(body.nonce)
        .unwrap_or_else(|| world.id::<()>(now).to_string());
    let message = Message {
        id: message_id,
        nonce: Some(nonce),
        channel: channel_id,
        author,
        user: None,
        member: None,
        webhook,
        content,
        system: None,
        attachments: (!files.is_empty()).then_some(files),
        edited: None,
        embeds: (!embeds.is_empty()).then(|| embeds.into_iter().map(to_embed).collect()),
        mentions: (!mentions.is_empty()).then_some(mentions),
        role_mentions: (!role_mentions.is_empty()).then_some(role_mentions),
        replies: (!reply_ids.is_empty()).then_some(reply_ids),
        reactions: std::collections::HashMap::new(),
        interactions: body.interactions.unwrap_or_default(),
        masquerade: body.masquerade,
        pinned: None,
        flags,
    };
    Ok(publish(shared, world, channel, message, now))
}

/// References a message makes: replies (and the mentions they add), mentions, role
/// mentions, and the attachments (marked used).
#[allow(clippy::type_complexity)]
fn resolve_references(
    world: &mut World,
    channel_id: ChannelId,
    perms: Permissions,
    content: Option<&str>,
    replies: &[ReplyIntent],
    attachments: &[String],
) -> Reply<(
    Vec<MessageId>,
    Vec<UserId>,
    Vec<RoleId>,
    Vec<ermine_model::file::File>,
)> {
    let mut reply_ids = Vec::new();
    let mut mentions = content.map(mentions_in).unwrap_or_default();
    for reply in replies {
        let found = reply
            .id
            .parse::<MessageId>()
            .ok()
            .and_then(|id| world.messages.get(&channel_id)?.get(&id));
        match found {
            Some(target) => {
                reply_ids.push(target.id);
                if reply.mention && !mentions.contains(&target.author) {
                    mentions.push(target.author);
                }
            }
            None if reply.fail_if_not_exists == Some(false) => {}
            None => return Err(not_found()),
        }
    }
    if content.is_some_and(|c| c.contains("@everyone") || c.contains("@online")) {
        require(perms, Permissions::MENTION_EVERYONE)?;
    }
    let role_mentions = content.map(role_mentions_in).unwrap_or_default();
    if !role_mentions.is_empty() {
        require(perms, Permissions::MENTION_ROLES)?;
    }
    let mut files = Vec::new();
    for id in attachments {
        match world.files.get_mut(id) {
            Some(record) if record.file.tag == "attachments" && !record.used => {
                record.used = true;
                files.push(record.file.clone());
            }
            _ => return Err(fail(ApiError::UnknownAttachment)),
        }
    }
    Ok((reply_ids, mentions, role_mentions, files))
}

/// What a message carries, for the limit checks.
#[derive(Clone, Copy)]
struct Counts<'a> {
    content: Option<&'a str>,
    embeds: &'a [SendableEmbed],
    attachments: usize,
    replies: usize,
}

/// The mention flags. The server reads its declared flags (SuppressNotifications = 1,
/// MentionsEveryone = 2, MentionsOnline = 3) as bit positions: suppress = 2, everyone = 4,
/// online = 8; and it refuses raw values above 7 first, so `online` cannot be sent
/// (api-spec §2.10 note).
const MENTIONS: u32 = (1 << 2) | (1 << 3);
/// Suppressed notifications, by the same reading (bit 1).
const SUPPRESS: u32 = 1 << 1;

/// Flags, slowmode, counts, emptiness and size, in the server's order.
fn check_rules(
    shared: &Shared,
    world: &World,
    caller: UserId,
    channel: &Channel,
    perms: Permissions,
    flags: u32,
    counts: Counts<'_>,
) -> Reply<()> {
    let config = &shared.config;
    let now = shared.clock.now();
    if flags > 7 {
        return Err(fail(ApiError::InvalidProperty));
    }
    if flags & MENTIONS != 0 && !world.is_bot(caller) {
        return Err(fail(ApiError::IsNotBot));
    }
    if flags & MENTIONS == MENTIONS {
        return Err(fail(ApiError::InvalidFlagValue));
    }
    if let Channel::TextChannel(text) = channel {
        let slowmode = text.slowmode.unwrap_or(0);
        if slowmode > 0 && !perms.contains(Permissions::BYPASS_SLOWMODE) {
            let last = world
                .messages
                .get(&text.id)
                .and_then(|m| m.values().rev().find(|m| m.author == caller))
                .map(|m| m.id.created_at().unix_millis());
            if let Some(last) = last {
                let ready_at = last + i64::try_from(slowmode * 1000).unwrap_or(i64::MAX);
                if ready_at > now.unix_millis() {
                    let retry =
                        u64::try_from((ready_at - now.unix_millis() + 999) / 1000).unwrap_or(0);
                    return Err(fail(ApiError::InSlowmode { retry_after: retry }));
                }
            }
        }
    }
    if counts.embeds.len() > config.message_embeds {
        return Err(fail(ApiError::TooManyEmbeds {
            max: config.message_embeds as u64,
        }));
    }
    if counts.attachments > config.message_attachments {
        return Err(fail(ApiError::TooManyAttachments {
            max: config.message_attachments as u64,
        }));
    }
    if counts.replies > config.message_replies {
        return Err(fail(ApiError::TooManyReplies {
            max: config.message_replies as u64,
        }));
    }
    if counts.content.is_none() && counts.attachments == 0 && counts.embeds.is_empty() {
        return Err(fail(ApiError::EmptyMessage));
    }
    let size = counts.content.map_or(0, str::len)
        + counts
            .embeds
            .iter()
            .map(|e| e.description.as_ref().map_or(0, String::len))
            .sum::<usize>();
    if size > config.message_length {
        return Err(fail(ApiError::PayloadTooLarge));
    }
    Ok(())
}

fn to_embed(e: SendableEmbed) -> Embed {
    Embed::Text(TextEmbed {
        icon_url: e.icon_url,
        url: e.url,
        title: e.title,
        description: e.description,
        media: None,
        colour: e.colour,
    })
}

/// Stores a message, marks DMs active, sends `Message` to everyone who can see the channel
/// (author rendered per recipient), and returns it as its author's response shows it.
fn publish(
    shared: &Shared,
    world: &mut World,
    channel: &Channel,
    message: Message,
    now: Timestamp,
) -> Message {
    let channel_id = message.channel;
    world
        .messages
        .entry(channel_id)
        .or_default()
        .insert(message.id, message.clone());
    match world.channels.get_mut(&channel_id) {
        Some(Channel::TextChannel(c)) => c.last_message_id = Some(message.id),
        Some(Channel::DirectMessage(c)) => {
            c.last_message_id = Some(message.id);
            c.active = true;
        }
        Some(Channel::Group(c)) => c.last_message_id = Some(message.id),
        _ => {}
    }
    let member = channel
        .server()
        .and_then(|s| world.member(s, message.author))
        .cloned();
    let online = presence(shared);
    let author = message.author;
    let audience = channel_audience(shared, world, channel, now);
    let system = message.system.is_some();
    shared.hub.send_each(audience, |viewer| {
        let mut copy = message.clone();
        if !system {
            copy.user = world.render_user(viewer, author, &online);
            copy.member.clone_from(&member);
        }
        ServerEvent::Message(Box::new(copy))
    });
    let mut response = message;
    if !system {
        response.user = world.render_user(author, author, &online).map(|mut u| {
            u.relationship = ermine_model::user::RelationshipStatus::None;
            u
        });
        response.member = member;
    }
    response
}

/// Posts a system message (author: the all-zero system user) to `channel`.
pub(crate) fn system_message(
    shared: &Shared,
    world: &mut World,
    channel: ChannelId,
    system: SystemMessage,
    now: Timestamp,
) {
    let Some(target) = world.channels.get(&channel).cloned() else {
        return;
    };
    let id: MessageId = world.id(now);
    let message = Message {
        id,
        nonce: None,
        channel,
        author: UserId::sentinel(),
        user: None,
        member: None,
        webhook: None,
        content: None,
        system: Some(system),
        attachments: None,
        edited: None,
        embeds: None,
        mentions: None,
        role_mentions: None,
        replies: None,
        reactions: std::collections::HashMap::new(),
        interactions: Interactions::default(),
        masquerade: None,
        pinned: None,
        flags: 0,
    };
    publish(shared, world, &target, message, now);
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct HistoryOptions {
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    sort: Option<MessageSort>,
    #[serde(default)]
    nearby: Option<String>,
    #[serde(default)]
    include_users: Option<bool>,
}

fn check_limit(limit: Option<i64>) -> Reply<usize> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=100).contains(&n) => Ok(usize::try_from(n).unwrap_or(50)),
        Some(n) => Err(invalid(format!(
            "limit: Validation error: range [{{\"min\": Number(1.0), \"max\": Number(100.0), \"value\": Number({n})}}]"
        ))),
    }
}

fn check_cursor(field: &str, value: Option<&String>) -> Reply<Option<MessageId>> {
    let Some(raw) = value else {
        return Ok(None);
    };
    if raw.chars().count() != 26 {
        return Err(invalid(format!(
            "{field}: Validation error: length [{{\"min\": Number(26), \"max\": Number(26), \"value\": String({raw:?})}}]"
        )));
    }
    // A 26-character string that is not a ULID names nothing: compare as text.
    Ok(raw.parse().ok().or(Some(MessageId::sentinel())))
}

/// Messages of `channel` in `(after, before)`, sorted, at most `limit`.
fn select(
    world: &World,
    channel: ChannelId,
    before: Option<MessageId>,
    after: Option<MessageId>,
    sort: &MessageSort,
    limit: usize,
    filter: &dyn Fn(&Message) -> bool,
) -> Vec<Message> {
    let Some(messages) = world.messages.get(&channel) else {
        return Vec::new();
    };
    let range = messages
        .values()
        .filter(|m| before.is_none_or(|b| m.id < b) && after.is_none_or(|a| m.id > a))
        .filter(|m| filter(m));
    if sort == &MessageSort::Oldest {
        range.take(limit).cloned().collect()
    } else {
        let mut list: Vec<Message> = range.cloned().collect();
        list.reverse();
        list.truncate(limit);
        list
    }
}

/// Wraps messages as `BulkMessageResponse`, with their authors when asked.
fn bulk(
    shared: &Shared,
    world: &World,
    caller: UserId,
    channel: &Channel,
    messages: Vec<Message>,
    include_users: bool,
) -> Response {
    if !include_users {
        return axum::Json(messages).into_response();
    }
    let authors: BTreeSet<UserId> = messages.iter().map(|m| m.author).collect();
    let online = presence(shared);
    let users: Vec<_> = authors
        .iter()
        .filter_map(|a| world.render_user(caller, *a, &online))
        .collect();
    let mut body = json!({ "messages": messages, "users": users });
    if let Some(server) = channel.server() {
        let members: Vec<_> = authors
            .iter()
            .filter_map(|a| world.member(server, *a))
            .collect();
        body["members"] = json!(members);
    }
    axum::Json(body).into_response()
}

/// `GET /channels/{id}/messages`.
pub(crate) async fn history(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(options): Query<HistoryOptions>,
) -> Reply<Response> {
    let limit = check_limit(options.limit)?;
    let before = check_cursor("before", options.before.as_ref())?;
    let after = check_cursor("after", options.after.as_ref())?;
    let nearby = check_cursor("nearby", options.nearby.as_ref())?;
    let sort = options.sort.unwrap_or(MessageSort::Latest);
    if sort == MessageSort::Relevance {
        return Err(fail(ApiError::InvalidOperation));
    }
    let now = shared.clock.now();
    let world = lock(&shared.world);
    let channel = readable_channel(&world, caller.user, &id, now, Read::History)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    let all = |_: &Message| true;
    let messages = match nearby {
        Some(pivot) => {
            let half = limit / 2;
            let mut older = select(
                &world,
                channel_id,
                Some(pivot),
                None,
                &MessageSort::Latest,
                half,
                &all,
            );
            let newer = world
                .messages
                .get(&channel_id)
                .into_iter()
                .flat_map(|m| m.range(pivot..))
                .take(half + 1)
                .map(|(_, m)| m.clone());
            older.extend(newer);
            older
        }
        None => select(&world, channel_id, before, after, &sort, limit, &all),
    };
    Ok(bulk(
        &shared,
        &world,
        caller.user,
        &channel,
        messages,
        options.include_users.unwrap_or(false),
    ))
}

/// `GET /channels/{id}/messages/{message}`.
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, message)): Path<(String, String)>,
) -> Reply<axum::Json<Message>> {
    let now = shared.clock.now();
    let world = lock(&shared.world);
    let channel = readable_channel(&world, caller.user, &id, now, Read::One)?;
    let message: MessageId = parse_id(&message)?;
    channel
        .id()
        .and_then(|c| world.messages.get(&c)?.get(&message))
        .cloned()
        .map(axum::Json)
        .ok_or_else(not_found)
}

/// `DELETE /channels/{id}/messages/{message}`.
pub(crate) async fn delete(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, message)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, &id)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    let message: MessageId = parse_id(&message)?;
    let author = world
        .messages
        .get(&channel_id)
        .and_then(|m| m.get(&message))
        .map(|m| m.author)
        .ok_or_else(not_found)?;
    if author != caller.user {
        let perms = world.channel_permissions(caller.user, &channel, now);
        if !perms.contains(Permissions::MANAGE_MESSAGES) {
            return Err(fail(ApiError::CannotDeleteMessage));
        }
    }
    erase(&shared, &mut world, &channel, message, now);
    if let Some(server) = channel.server() {
        let action = AuditLogAction::MessageDelete(AuditMessageDelete {
            author,
            channel: channel_id,
        });
        world.audit(server, caller.user, Some(author), reason, action, now);
    }
    Ok(no_content())
}

fn set_pinned(
    shared: &Shared,
    caller: UserId,
    id: &str,
    message: &str,
    pin: bool,
    reason: Option<String>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, id)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    require(
        world.channel_permissions(caller, &channel, now),
        Permissions::MANAGE_MESSAGES,
    )?;
    let message: MessageId = parse_id(message)?;
    let stored = world
        .messages
        .get_mut(&channel_id)
        .and_then(|m| m.get_mut(&message))
        .ok_or_else(not_found)?;
    let pinned = stored.pinned.unwrap_or(false);
    if pin && pinned {
        return Err(fail(ApiError::AlreadyPinned));
    }
    if !pin && !pinned {
        return Err(fail(ApiError::NotPinned));
    }
    stored.pinned = pin.then_some(true);
    let author = stored.author;
    let (data, clear) = if pin {
        (
            PartialMessage {
                pinned: Some(true),
                ..PartialMessage::default()
            },
            Vec::new(),
        )
    } else {
        (PartialMessage::default(), vec![FieldsMessage::Pinned])
    };
    shared.hub.send(
        channel_audience(shared, &world, &channel, now),
        &ServerEvent::MessageUpdate(MessageUpdate {
            id: message,
            channel: channel_id,
            data,
            clear,
        }),
    );
    let by = MessageBy {
        id: message,
        by: caller,
    };
    let system = if pin {
        SystemMessage::MessagePinned(by)
    } else {
        SystemMessage::MessageUnpinned(by)
    };
    system_message(shared, &mut world, channel_id, system, now);
    if let Some(server) = channel.server() {
        let (message, channel) = (message, channel_id);
        let action = if pin {
            AuditLogAction::MessagePin(AuditMessagePin {
                message,
                author,
                channel,
            })
        } else {
            AuditLogAction::MessageUnpin(AuditMessageUnpin {
                message,
                author,
                channel,
            })
        };
        world.audit(server, caller, Some(author), reason, action, now);
    }
    Ok(no_content())
}

/// `POST /channels/{id}/messages/{message}/pin`.
pub(crate) async fn pin(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, message)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> Reply<Response> {
    set_pinned(&shared, caller.user, &id, &message, true, reason)
}

/// `DELETE /channels/{id}/messages/{message}/pin`.
pub(crate) async fn unpin(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, message)): Path<(String, String)>,
    AuditReason(reason): AuditReason,
) -> Reply<Response> {
    set_pinned(&shared, caller.user, &id, &message, false, reason)
}

#[derive(Debug, Deserialize)]
pub(crate) struct Search {
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    pinned: Option<bool>,
    #[serde(default)]
    limit: Option<i64>,
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    sort: Option<MessageSort>,
    #[serde(default)]
    include_users: Option<bool>,
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `POST /channels/{id}/search`.
pub(crate) async fn search(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<Search>,
) -> Reply<Response> {
    check_len("query", body.query.as_ref(), 1, 64)?;
    let limit = check_limit(body.limit)?;
    let before = check_cursor("before", body.before.as_ref())?;
    let after = check_cursor("after", body.after.as_ref())?;
    if caller.is_bot() {
        return Err(fail(ApiError::IsBot));
    }
    if body.query.is_some() && body.pinned.is_some() {
        return Err(fail(ApiError::InvalidOperation));
    }
    let now = shared.clock.now();
    let world = lock(&shared.world);
    let channel = readable_channel(&world, caller.user, &id, now, Read::History)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    let terms = body.query.as_deref().map(words).unwrap_or_default();
    let score = |m: &Message| {
        let content = m.content.as_deref().map(words).unwrap_or_default();
        terms.iter().filter(|t| content.contains(t)).count()
    };
    let pinned = body.pinned;
    let filter = |m: &Message| {
        let pin_ok = pinned.is_none_or(|p| m.pinned.unwrap_or(false) == p);
        pin_ok && (terms.is_empty() || score(m) > 0)
    };
    let sort = body.sort.unwrap_or(MessageSort::Relevance);
    let messages = if sort == MessageSort::Relevance {
        let mut all = select(
            &world,
            channel_id,
            before,
            after,
            &MessageSort::Latest,
            usize::MAX,
            &filter,
        );
        all.sort_by_key(|m| std::cmp::Reverse(score(m)));
        all.truncate(limit);
        all
    } else {
        select(&world, channel_id, before, after, &sort, limit, &filter)
    };
    Ok(bulk(
        &shared,
        &world,
        caller.user,
        &channel,
        messages,
        body.include_users.unwrap_or(false),
    ))
}

/// `PUT /channels/{id}/ack/{message}`.
pub(crate) async fn ack(
    State(shared): State<AppState>,
    Person(caller): Person,
    Path((id, message)): Path<(String, String)>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = permitted_channel(&world, caller.user, &id, Permissions::VIEW_CHANNEL, now)?;
    let message: MessageId = parse_id(&message)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    world.unreads.insert((channel_id, caller.user), message);
    shared.hub.send(
        [caller.user],
        &ServerEvent::ChannelAck(ChannelAck {
            id: channel_id,
            user: caller.user,
            message_id: message,
        }),
    );
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /sync/unreads`.
pub(crate) async fn unreads(
    State(shared): State<AppState>,
    caller: Caller,
) -> axum::Json<Vec<ChannelUnread>> {
    let world = lock(&shared.world);
    let mut list: Vec<ChannelUnread> = world
        .unreads
        .iter()
        .filter(|((_, user), _)| *user == caller.user)
        .map(|((channel, user), last)| ChannelUnread {
            id: ChannelUnreadKey {
                channel: *channel,
                user: *user,
            },
            last_id: Some(*last),
            mentions: None,
        })
        .collect();
    list.sort_by_key(|u| u.id.channel);
    axum::Json(list)
}

/// `PATCH /channels/{id}/messages/{message}`: one's own message; text embeds are kept
/// unless `embeds` replaces them.
pub(crate) async fn edit(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, message)): Path<(String, String)>,
    Json(body): Json<MessageEditBody>,
) -> Reply<axum::Json<Message>> {
    check_edit(&shared, &body)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, &id)?;
    let have = world.channel_permissions(caller.user, &channel, now);
    require(have, Permissions::SEND_MESSAGE)?;
    let message: MessageId = parse_id(&message)?;
    apply_edit(
        &shared,
        &mut world,
        &channel,
        message,
        caller.user,
        Some(have),
        body,
        now,
    )
    .map(axum::Json)
}

/// The checks of an edit that need no state: field limits, then the total size.
pub(crate) fn check_edit(shared: &Shared, body: &MessageEditBody) -> Reply<()> {
    check_len("content", body.content.as_ref(), 1, usize::MAX)?;
    let embeds = body.embeds.as_deref().unwrap_or_default();
    if embeds.len() > 10 {
        return Err(invalid(format!(
            "embeds: Validation error: length [{{\"min\": Number(0), \"max\": Number(10), \"value\": Array({})}}]",
            embeds.len()
        )));
    }
    for e in embeds {
        check_embed(e)?;
    }
    let size = body.content.as_ref().map_or(0, String::len)
        + embeds
            .iter()
            .map(|e| e.description.as_ref().map_or(0, String::len))
            .sum::<usize>();
    if size > shared.config.message_length {
        return Err(fail(ApiError::PayloadTooLarge));
    }
    Ok(())
}

/// Edits `message` of `channel` for `editor`, who must be its author; new embeds need
/// `SendEmbeds` in `perms` when given (a webhook's token edits without that check).
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply_edit(
    shared: &Shared,
    world: &mut World,
    channel: &Channel,
    message: MessageId,
    editor: UserId,
    perms: Option<Permissions>,
    body: MessageEditBody,
    now: Timestamp,
) -> Reply<Message> {
    let channel_id = channel.id().ok_or_else(not_found)?;
    let stored = world
        .messages
        .get_mut(&channel_id)
        .and_then(|m| m.get_mut(&message))
        .ok_or_else(not_found)?;
    if stored.author != editor {
        return Err(fail(ApiError::CannotEditMessage));
    }
    let mut kept: Vec<Embed> = stored
        .embeds
        .iter()
        .flatten()
        .filter(|e| matches!(e, Embed::Text(_)))
        .cloned()
        .collect();
    if let Some(new) = body.embeds {
        if let Some(perms) = perms {
            require(perms, Permissions::SEND_EMBEDS)?;
        }
        kept = new.into_iter().map(to_embed).collect();
    }
    let data = PartialMessage {
        edited: Some(now),
        content: body.content,
        embeds: Some(kept),
        ..PartialMessage::default()
    };
    stored.apply_update(&data, &[]);
    let mut answer = stored.clone();
    answer.user = None;
    answer.member = None;
    shared.hub.send(
        channel_audience(shared, world, channel, now),
        &ServerEvent::MessageUpdate(MessageUpdate {
            id: message,
            channel: channel_id,
            data,
            clear: Vec::new(),
        }),
    );
    Ok(answer)
}

/// `DELETE /channels/{id}/messages/bulk`: 1..=100 messages, none older than a week.
pub(crate) async fn bulk_delete(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AuditReason(reason): AuditReason,
    Json(body): Json<BulkDelete>,
) -> Reply<Response> {
    if body.ids.is_empty() || body.ids.len() > 100 {
        return Err(invalid(format!(
            "ids: Validation error: length [{{\"min\": Number(1), \"max\": Number(100), \"value\": Array({})}}]",
            body.ids.len()
        )));
    }
    let now = shared.clock.now();
    let week = 7 * 24 * 3600 * 1000;
    let mut ids = Vec::with_capacity(body.ids.len());
    for raw in &body.ids {
        let id: MessageId = raw.parse().map_err(|_| fail(ApiError::InvalidOperation))?;
        if now.unix_millis() - id.created_at().unix_millis() > week {
            return Err(fail(ApiError::InvalidOperation));
        }
        ids.push(id);
    }
    let mut world = lock(&shared.world);
    let channel = permitted_channel(&world, caller.user, &id, Permissions::MANAGE_MESSAGES, now)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    if let Some(stored) = world.messages.get_mut(&channel_id) {
        for id in &ids {
            stored.remove(id);
        }
    }
    shared.hub.send(
        channel_audience(&shared, &world, &channel, now),
        &ServerEvent::BulkMessageDelete(ermine_model::event::BulkMessageDelete {
            channel: channel_id,
            ids: ids.clone(),
        }),
    );
    if let Some(server) = channel.server() {
        let action =
            AuditLogAction::MessageBulkDelete(ermine_model::audit::AuditMessageBulkDelete {
                channel: channel_id,
                count: ids.len() as u64,
            });
        world.audit(server, caller.user, None, reason, action, now);
    }
    Ok(no_content())
}

/// Body of a bulk deletion: IDs as given (one that is not an ID fails with
/// `InvalidOperation`, as on the real server).
#[derive(Debug, Deserialize)]
pub(crate) struct BulkDelete {
    ids: Vec<String>,
}

/// Removes a message and tells everyone who sees its channel.
pub(crate) fn erase(
    shared: &Shared,
    world: &mut World,
    channel: &Channel,
    message: MessageId,
    now: Timestamp,
) {
    let Some(channel_id) = channel.id() else {
        return;
    };
    if let Some(m) = world.messages.get_mut(&channel_id) {
        m.remove(&message);
    }
    shared.hub.send(
        channel_audience(shared, world, channel, now),
        &ServerEvent::MessageDelete(MessageDelete {
            id: message,
            channel: channel_id,
        }),
    );
}
