//! `/users`: profiles, relationships, DMs and default avatars.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ermine_model::channel::{Channel, DirectMessage, SavedMessages};
use ermine_model::error::ApiError;
use ermine_model::event::{ServerEvent, UserRelationship, UserUpdate};
use ermine_model::id::{ChannelId, UserId};
use ermine_model::permission::UserPermissions;
use ermine_model::user::{
    FieldsUser, FlagResponse, MutualResponse, PartialUser, RelationshipStatus, User, UserFlags,
    UserProfile, UserStatus,
};
use serde::Deserialize;

use super::presence;
use super::servers::length;
use crate::Shared;
use crate::http::{AppState, Caller, Json, Reply, fail, missing, not_found, parse_id};
use crate::lock;
use crate::world::{World, dm_key};

fn target_id(raw: &str) -> Reply<UserId> {
    parse_id(raw)
}

/// The target user of a route, which must exist (`NotFound` otherwise).
fn known(world: &World, raw: &str) -> Reply<UserId> {
    let id = target_id(raw)?;
    if world.users.contains_key(&id) {
        Ok(id)
    } else {
        Err(not_found())
    }
}

/// `target` as `viewer` sees it; yourself in the self view, as the real routes answer.
fn render(shared: &Shared, world: &World, viewer: UserId, target: UserId) -> Reply<User> {
    let online = presence(shared);
    if viewer == target {
        world.render_self(viewer, &online)
    } else {
        world.render_user(viewer, target, &online)
    }
    .ok_or_else(not_found)
}

#[track_caller]
fn need(world: &World, who: UserId, target: UserId, permission: UserPermissions) -> Reply<()> {
    if world.user_permissions(who, target).contains(permission) {
        Ok(())
    } else {
        Err(missing(permission.api_name().unwrap_or("Unknown")))
    }
}

/// `GET /users/@me`.
pub(crate) async fn me(State(shared): State<AppState>, caller: Caller) -> Reply<axum::Json<User>> {
    let world = lock(&shared.world);
    render(&shared, &world, caller.user, caller.user).map(axum::Json)
}

/// `GET /users/{target}`.
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    caller: Caller,
    Path(target): Path<String>,
) -> Reply<axum::Json<User>> {
    let world = lock(&shared.world);
    let target = known(&world, &target)?;
    need(&world, caller.user, target, UserPermissions::ACCESS)?;
    render(&shared, &world, caller.user, target).map(axum::Json)
}

#[derive(Debug, Deserialize)]
pub(crate) struct ProfileEdit {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct EditUser {
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    status: Option<UserStatus>,
    #[serde(default)]
    profile: Option<ProfileEdit>,
    #[serde(default)]
    remove: Vec<FieldsUser>,
}

/// `PATCH /users/{target}`: oneself (`@me`), or a bot one owns.
pub(crate) async fn edit(
    State(shared): State<AppState>,
    caller: Caller,
    Path(target): Path<String>,
    Json(body): Json<EditUser>,
) -> Reply<axum::Json<User>> {
    if let Some(name) = &body.display_name {
        length("display_name", name, 2, 32)?;
    }
    if let Some(text) = body.status.as_ref().and_then(|s| s.text.as_ref()) {
        length("status.text", text, 0, 128)?;
    }
    if let Some(content) = body.profile.as_ref().and_then(|p| p.content.as_ref()) {
        length("profile.content", content, 0, 2000)?;
    }
    let mut world = lock(&shared.world);
    // Oneself (`@me` or one's ID), or a bot one owns.
    let target = if target == "@me" {
        caller.user
    } else {
        target_id(&target)?
    };
    let target = match target {
        me if me == caller.user => me,
        other => {
            let record = world.users.get(&other).ok_or_else(not_found)?;
            let owner = record.user.bot.as_ref().map(|bot| bot.owner);
            if owner != Some(caller.user) {
                return Err(fail(ApiError::NotPrivileged));
            }
            other
        }
    };
    let record = world.users.get_mut(&target).ok_or_else(not_found)?;
    for field in &body.remove {
        match field {
            FieldsUser::DisplayName => record.user.display_name = None,
            FieldsUser::Pronouns => record.user.pronouns = None,
            FieldsUser::Avatar => record.user.avatar = None,
            FieldsUser::StatusText => {
                if let Some(s) = record.user.status.as_mut() {
                    s.text = None;
                }
            }
            FieldsUser::StatusPresence => {
                if let Some(s) = record.user.status.as_mut() {
                    s.presence = None;
                }
            }
            FieldsUser::ProfileContent => record.profile.content = None,
            FieldsUser::ProfileBackground => record.profile.background = None,
            _ => {}
        }
    }
    let mut data = PartialUser::default();
    if let Some(name) = body.display_name {
        record.user.display_name = Some(name.clone());
        data.display_name = Some(name);
    }
    if let Some(status) = body.status {
        let merged = record.user.status.get_or_insert_with(UserStatus::default);
        if status.text.is_some() {
            merged.text = status.text;
        }
        if status.presence.is_some() {
            merged.presence = status.presence;
        }
        data.status = Some(merged.clone());
    }
    if let Some(content) = body.profile.and_then(|p| p.content) {
        record.profile.content = Some(content);
    }
    let event = ServerEvent::UserUpdate(Box::new(UserUpdate {
        id: target,
        data,
        clear: body.remove,
        event_id: None,
    }));
    super::send_user_update(&shared, &world, target, &event, true);
    render(&shared, &world, caller.user, target).map(axum::Json)
}

/// `GET /users/{target}/profile`.
pub(crate) async fn profile(
    State(shared): State<AppState>,
    caller: Caller,
    Path(target): Path<String>,
) -> Reply<axum::Json<UserProfile>> {
    let target = target_id(&target)?;
    let world = lock(&shared.world);
    let record = world.users.get(&target).ok_or_else(not_found)?;
    need(&world, caller.user, target, UserPermissions::VIEW_PROFILE)?;
    Ok(axum::Json(record.profile.clone()))
}

/// `GET /users/{target}/mutual`.
pub(crate) async fn mutual(
    State(shared): State<AppState>,
    caller: Caller,
    Path(target): Path<String>,
) -> Reply<axum::Json<MutualResponse>> {
    let target = target_id(&target)?;
    if target == caller.user {
        return Err(fail(ApiError::InvalidOperation));
    }
    let world = lock(&shared.world);
    if !world.users.contains_key(&target) {
        return Err(not_found());
    }
    need(&world, caller.user, target, UserPermissions::VIEW_PROFILE)?;
    let friends = |u: UserId| {
        world
            .users
            .get(&u)
            .map(|r| {
                r.relations
                    .iter()
                    .filter(|(_, s)| **s == RelationshipStatus::Friend)
                    .map(|(id, _)| *id)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let theirs = friends(target);
    let mut users: Vec<UserId> = friends(caller.user)
        .into_iter()
        .filter(|u| theirs.contains(u))
        .collect();
    users.sort();
    let empty = std::collections::BTreeSet::new();
    let mine = world.user_servers.get(&caller.user).unwrap_or(&empty);
    let other = world.user_servers.get(&target).unwrap_or(&empty);
    let servers = mine.intersection(other).copied().collect();
    let mut channels: Vec<ChannelId> = world
        .channels
        .values()
        .filter(|c| match c {
            Channel::DirectMessage(d) => {
                d.recipients.contains(&caller.user) && d.recipients.contains(&target)
            }
            Channel::Group(g) => {
                g.recipients.contains(&caller.user) && g.recipients.contains(&target)
            }
            _ => false,
        })
        .filter_map(Channel::id)
        .collect();
    channels.sort();
    Ok(axum::Json(MutualResponse {
        users,
        servers,
        channels,
    }))
}

/// `GET /users/{target}/flags` (no authentication; unknown users have no flags).
pub(crate) async fn flags(
    State(shared): State<AppState>,
    Path(target): Path<String>,
) -> axum::Json<FlagResponse> {
    let world = lock(&shared.world);
    let flags = target
        .parse::<UserId>()
        .ok()
        .and_then(|id| world.users.get(&id))
        .map_or(UserFlags::empty(), |u| u.user.flags);
    axum::Json(FlagResponse { flags })
}

/// `GET /users/{target}/default_avatar` (no authentication; any string works).
pub(crate) async fn default_avatar(Path(target): Path<String>) -> Response {
    let index = match target.chars().last() {
        Some('0' | '1' | '2' | '3' | 'S' | 'Z') => 2,
        Some('4' | '5' | '6' | '7' | 'T') => 3,
        Some('8' | '9' | 'A' | 'B') => 4,
        Some('C' | 'D' | 'E' | 'F' | 'V') => 5,
        Some('G' | 'H' | 'J' | 'K' | 'W') => 6,
        Some('M' | 'N' | 'P' | 'Q' | 'X') => 7,
        _ => 1,
    };
    let mut response = crate::avatar::default_avatar(index).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

/// `GET /users/dms`.
pub(crate) async fn dms(
    State(shared): State<AppState>,
    caller: Caller,
) -> axum::Json<Vec<Channel>> {
    let world = lock(&shared.world);
    let mut list: Vec<Channel> = world
        .channels
        .values()
        .filter(|c| match c {
            Channel::DirectMessage(d) => d.recipients.contains(&caller.user),
            Channel::Group(g) => g.recipients.contains(&caller.user),
            Channel::SavedMessages(s) => s.user == caller.user,
            _ => false,
        })
        .cloned()
        .collect();
    list.sort_by_key(Channel::id);
    axum::Json(list)
}

/// `GET /users/{target}/dm`: the DM with `target`, opened if needed.
pub(crate) async fn open_dm(
    State(shared): State<AppState>,
    caller: Caller,
    Path(target): Path<String>,
) -> Reply<axum::Json<Channel>> {
    let target = target_id(&target)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    if target == caller.user {
        if let Some(existing) = world
            .saved
            .get(&caller.user)
            .and_then(|c| world.channels.get(c))
        {
            return Ok(axum::Json(existing.clone()));
        }
        let id: ChannelId = world.id(now);
        let channel = Channel::SavedMessages(SavedMessages {
            id,
            user: caller.user,
        });
        world.saved.insert(caller.user, id);
        world.channels.insert(id, channel.clone());
        return Ok(axum::Json(channel));
    }
    if !world.users.contains_key(&target) {
        return Err(not_found());
    }
    if let Some(existing) = world
        .dm_between(caller.user, target)
        .and_then(|c| world.channels.get(&c))
    {
        return Ok(axum::Json(existing.clone()));
    }
    need(&world, caller.user, target, UserPermissions::SEND_MESSAGE)?;
    let id: ChannelId = world.id(now);
    let channel = Channel::DirectMessage(DirectMessage {
        id,
        active: true,
        recipients: vec![caller.user, target],
        last_message_id: None,
    });
    world.dms.insert(dm_key(caller.user, target), id);
    world.channels.insert(id, channel.clone());
    shared.hub.send(
        [caller.user, target],
        &ServerEvent::ChannelCreate(Box::new(channel.clone())),
    );
    Ok(axum::Json(channel))
}

/// Tells both users about their relationship and returns the target as the caller sees it.
fn relationship_changed(
    shared: &Shared,
    world: &World,
    caller: UserId,
    target: UserId,
) -> Reply<User> {
    let online = presence(shared);
    for (me, other) in [(caller, target), (target, caller)] {
        if let Some(user) = world.render_user(me, other, &online) {
            shared.hub.send(
                [me],
                &ServerEvent::UserRelationship(Box::new(UserRelationship { id: me, user })),
            );
        }
    }
    render(shared, world, caller, target)
}

/// Sends or accepts a friend request between `caller` and `target`.
fn befriend(shared: &Shared, world: &mut World, caller: UserId, target: UserId) -> Reply<User> {
    if world.is_bot(caller) || world.is_bot(target) {
        return Err(fail(ApiError::IsBot));
    }
    match world.relationship(caller, target) {
        RelationshipStatus::User => return Err(fail(ApiError::NoEffect)),
        RelationshipStatus::Friend => return Err(fail(ApiError::AlreadyFriends)),
        RelationshipStatus::Outgoing => return Err(fail(ApiError::AlreadySentRequest)),
        RelationshipStatus::Blocked => return Err(fail(ApiError::Blocked)),
        RelationshipStatus::BlockedOther => return Err(fail(ApiError::BlockedByOther)),
        RelationshipStatus::Incoming => {
            world.set_relationship(caller, target, RelationshipStatus::Friend);
            world.set_relationship(target, caller, RelationshipStatus::Friend);
        }
        _ => {
            let pending = world.users.get(&caller).map_or(0, |r| {
                r.relations
                    .values()
                    .filter(|s| **s == RelationshipStatus::Outgoing)
                    .count()
            });
            let max = crate::world::limits::user_limits(caller, shared.clock.now())
                .outgoing_friend_requests;
            if pending >= max {
                return Err(fail(ApiError::TooManyPendingFriendRequests {
                    max: max as u64,
                }));
            }
            world.set_relationship(caller, target, RelationshipStatus::Outgoing);
            world.set_relationship(target, caller, RelationshipStatus::Incoming);
        }
    }
    relationship_changed(shared, world, caller, target)
}

#[derive(Debug, Deserialize)]
pub(crate) struct FriendRequest {
    username: String,
}

/// `POST /users/friend` with `{"username": "name#1234"}`.
pub(crate) async fn send_friend_request(
    State(shared): State<AppState>,
    caller: Caller,
    Json(body): Json<FriendRequest>,
) -> Reply<axum::Json<User>> {
    let mut world = lock(&shared.world);
    let (name, discriminator) = body
        .username
        .rsplit_once('#')
        .ok_or_else(|| fail(ApiError::InvalidProperty))?;
    let target = world
        .users
        .values()
        .find(|u| {
            u.user.username.eq_ignore_ascii_case(name) && u.user.discriminator == discriminator
        })
        .map(|u| u.user.id)
        .ok_or_else(not_found)?;
    befriend(&shared, &mut world, caller.user, target).map(axum::Json)
}

/// `PUT /users/{target}/friend`.
pub(crate) async fn add_friend(
    State(shared): State<AppState>,
    caller: Caller,
    Path(target): Path<String>,
) -> Reply<axum::Json<User>> {
    let mut world = lock(&shared.world);
    let target = known(&world, &target)?;
    befriend(&shared, &mut world, caller.user, target).map(axum::Json)
}

/// `DELETE /users/{target}/friend`: unfriend, or cancel or deny a request.
pub(crate) async fn remove_friend(
    State(shared): State<AppState>,
    caller: Caller,
    Path(target): Path<String>,
) -> Reply<axum::Json<User>> {
    let mut world = lock(&shared.world);
    let target = known(&world, &target)?;
    if world.is_bot(caller.user) || world.is_bot(target) {
        return Err(fail(ApiError::IsBot));
    }
    match world.relationship(caller.user, target) {
        RelationshipStatus::Friend
        | RelationshipStatus::Outgoing
        | RelationshipStatus::Incoming => {
            world.set_relationship(caller.user, target, RelationshipStatus::None);
            world.set_relationship(target, caller.user, RelationshipStatus::None);
        }
        _ => return Err(fail(ApiError::NoEffect)),
    }
    relationship_changed(&shared, &world, caller.user, target).map(axum::Json)
}

/// `PUT /users/{target}/block`.
pub(crate) async fn block(
    State(shared): State<AppState>,
    caller: Caller,
    Path(target): Path<String>,
) -> Reply<axum::Json<User>> {
    let mut world = lock(&shared.world);
    let target = known(&world, &target)?;
    let current = world.relationship(caller.user, target);
    if target == caller.user || current == RelationshipStatus::Blocked {
        return Err(fail(ApiError::NoEffect));
    }
    world.set_relationship(caller.user, target, RelationshipStatus::Blocked);
    if world.relationship(target, caller.user) != RelationshipStatus::Blocked {
        world.set_relationship(target, caller.user, RelationshipStatus::BlockedOther);
    }
    relationship_changed(&shared, &world, caller.user, target).map(axum::Json)
}

/// `DELETE /users/{target}/block`.
pub(crate) async fn unblock(
    State(shared): State<AppState>,
    caller: Caller,
    Path(target): Path<String>,
) -> Reply<axum::Json<User>> {
    let mut world = lock(&shared.world);
    let target = known(&world, &target)?;
    if world.relationship(caller.user, target) != RelationshipStatus::Blocked {
        return Err(fail(ApiError::NoEffect));
    }
    if world.relationship(target, caller.user) == RelationshipStatus::Blocked {
        world.set_relationship(caller.user, target, RelationshipStatus::BlockedOther);
    } else {
        world.set_relationship(caller.user, target, RelationshipStatus::None);
        world.set_relationship(target, caller.user, RelationshipStatus::None);
    }
    relationship_changed(&shared, &world, caller.user, target).map(axum::Json)
}

/// `PATCH /users/@me/username`: a session's user renames itself, confirmed with the
/// account's password; the discriminator is kept when only the case changes.
pub(crate) async fn change_username(
    State(shared): State<AppState>,
    caller: crate::http::SessionCaller,
    Json(body): Json<ermine_model::user::ChangeUsernameBody>,
) -> Reply<axum::Json<User>> {
    length("username", &body.username, 2, 32)?;
    length("password", &body.password, 8, 1024)?;
    let mut world = lock(&shared.world);
    let password = world
        .account_ids
        .get(&caller.user)
        .and_then(|key| world.accounts.get(key))
        .map(|a| a.password.clone());
    if password.as_deref() != Some(body.password.as_str()) {
        return Err(fail(ApiError::InvalidCredentials));
    }
    let data = world.rename(caller.user, &body.username)?;
    let event = ServerEvent::UserUpdate(Box::new(UserUpdate {
        id: caller.user,
        data,
        clear: Vec::new(),
        event_id: None,
    }));
    super::send_user_update(&shared, &world, caller.user, &event, true);
    render(&shared, &world, caller.user, caller.user).map(axum::Json)
}

impl World {
    /// Renames `user` (the real server's username rules); the discriminator is kept when
    /// only the case changes. Returns the changed fields.
    pub(crate) fn rename(&mut self, user: UserId, username: &str) -> Reply<PartialUser> {
        super::onboard::check_username(username)?;
        let record = self.users.get(&user).ok_or_else(not_found)?;
        let (old_name, old_discriminator) = (
            record.user.username.clone(),
            record.user.discriminator.clone(),
        );
        let discriminator = if old_name.to_lowercase() == username.to_lowercase() {
            old_discriminator.clone()
        } else {
            self.discriminator(username)
                .ok_or_else(|| fail(ApiError::UsernameTaken))?
        };
        self.usernames
            .remove(&(old_name.to_lowercase(), old_discriminator));
        self.usernames
            .insert((username.to_lowercase(), discriminator.clone()));
        let record = self.users.get_mut(&user).ok_or_else(not_found)?;
        username.clone_into(&mut record.user.username);
        record.user.discriminator.clone_from(&discriminator);
        Ok(PartialUser {
            username: Some(username.to_owned()),
            discriminator: Some(discriminator),
            ..PartialUser::default()
        })
    }
}
