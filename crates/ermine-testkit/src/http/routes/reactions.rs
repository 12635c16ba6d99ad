//! `/channels/{id}/messages/{message}/reactions`: react, unreact, clear.

use axum::extract::{Path, State};
use axum::response::Response;
use ermine_model::error::ApiError;
use ermine_model::event::{MessageReact, MessageRemoveReaction, MessageUpdate, ServerEvent};
use ermine_model::id::{ChannelId, EmojiId, MessageId, UserId};
use ermine_model::message::{Message, PartialMessage};
use ermine_model::permission::Permissions;
use serde::Deserialize;

use super::channel_audience;
use super::messages::{channel_of, permitted_channel, require};
use crate::http::{AppState, Caller, Query, Reply, fail, no_content, not_found, parse_id};
use crate::lock;
use crate::world::World;

/// Different reactions a message may carry (the real server's default configuration).
pub(crate) const MESSAGE_REACTIONS: usize = 20;

/// The message `message` of the channel, with the caller's permissions there.
fn message_of<'w>(
    world: &'w mut World,
    channel: ChannelId,
    message: &str,
) -> Reply<&'w mut Message> {
    let message: MessageId = parse_id(message)?;
    world
        .messages
        .get_mut(&channel)
        .and_then(|m| m.get_mut(&message))
        .ok_or_else(not_found)
}

/// Whether `emoji` may be used: a custom emoji that exists (`NotFound` otherwise), or a
/// Unicode emoji (variation selectors ignored).
fn usable(world: &World, emoji: &str) -> Reply<bool> {
    if let Ok(id) = emoji.parse::<EmojiId>() {
        return if world.emojis.contains_key(&id) {
            Ok(true)
        } else {
            Err(not_found())
        };
    }
    let bare = emoji.replace('\u{FE0F}', "");
    Ok(emojis::get(emoji).is_some() || emojis::get(&bare).is_some())
}

/// `PUT /channels/{id}/messages/{message}/reactions/{emoji}`.
pub(crate) async fn react(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, message, emoji)): Path<(String, String, String)>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, &id)?;
    let have = world.channel_permissions(caller.user, &channel, now);
    require(have, Permissions::REACT)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    let stored = message_of(&mut world, channel_id, &message)?;
    let known = stored.reactions.contains_key(&emoji);
    if stored.reactions.len() >= MESSAGE_REACTIONS && !known {
        return Err(fail(ApiError::InvalidOperation));
    }
    let offered = &stored.interactions;
    if offered.restrict_reactions
        && !offered
            .reactions
            .as_ref()
            .is_some_and(|r| r.contains(&emoji))
    {
        return Err(fail(ApiError::InvalidOperation));
    }
    let message_id = stored.id;
    if !usable(&world, &emoji)? {
        return Err(fail(ApiError::InvalidOperation));
    }
    shared.hub.send(
        channel_audience(&shared, &world, &channel, now),
        &ServerEvent::MessageReact(MessageReact {
            id: message_id,
            channel_id,
            user_id: caller.user,
            emoji_id: emoji.clone(),
        }),
    );
    let stored = message_of(&mut world, channel_id, &message)?;
    let users = stored.reactions.entry(emoji).or_default();
    if !users.contains(&caller.user) {
        users.push(caller.user);
    }
    Ok(no_content())
}

#[derive(Debug, Deserialize)]
pub(crate) struct Unreact {
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    remove_all: Option<bool>,
}

/// `DELETE /channels/{id}/messages/{message}/reactions/{emoji}`: the caller's reaction,
/// another user's (`user_id`), or everyone's (`remove_all`); the last two need
/// `ManageMessages`.
pub(crate) async fn unreact(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, message, emoji)): Path<(String, String, String)>,
    Query(options): Query<Unreact>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = channel_of(&world, &id)?;
    let have = world.channel_permissions(caller.user, &channel, now);
    require(have, Permissions::REACT)?;
    let remove_all = options.remove_all.unwrap_or(false);
    if options.user_id.is_some() || remove_all {
        require(have, Permissions::MANAGE_MESSAGES)?;
    }
    let channel_id = channel.id().ok_or_else(not_found)?;
    let stored = message_of(&mut world, channel_id, &message)?;
    let message_id = stored.id;
    let event = if remove_all {
        stored.reactions.remove(&emoji);
        ServerEvent::MessageRemoveReaction(MessageRemoveReaction {
            id: message_id,
            channel_id,
            emoji_id: emoji,
        })
    } else {
        let user = match &options.user_id {
            Some(raw) => raw.parse::<UserId>().map_err(|_| not_found())?,
            None => caller.user,
        };
        let users = stored.reactions.get_mut(&emoji).ok_or_else(not_found)?;
        if !users.contains(&user) {
            return Err(not_found());
        }
        users.retain(|u| *u != user);
        if users.is_empty() {
            stored.reactions.remove(&emoji);
        }
        ServerEvent::MessageUnreact(MessageReact {
            id: message_id,
            channel_id,
            user_id: user,
            emoji_id: emoji,
        })
    };
    shared
        .hub
        .send(channel_audience(&shared, &world, &channel, now), &event);
    Ok(no_content())
}

/// `DELETE /channels/{id}/messages/{message}/reactions`.
pub(crate) async fn clear(
    State(shared): State<AppState>,
    caller: Caller,
    Path((id, message)): Path<(String, String)>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = permitted_channel(&world, caller.user, &id, Permissions::MANAGE_MESSAGES, now)?;
    let channel_id = channel.id().ok_or_else(not_found)?;
    let stored = message_of(&mut world, channel_id, &message)?;
    stored.reactions.clear();
    let event = ServerEvent::MessageUpdate(MessageUpdate {
        id: stored.id,
        channel: channel_id,
        data: PartialMessage {
            reactions: Some(std::collections::HashMap::new()),
            ..PartialMessage::default()
        },
        clear: Vec::new(),
    });
    shared
        .hub
        .send(channel_audience(&shared, &world, &channel, now), &event);
    Ok(no_content())
}
