//! Groups: `POST /channels/create`, `GET /channels/{id}/members`,
//! `PUT|DELETE /channels/{id}/recipients/{user}`, and leaving one.

use axum::extract::{Path, State};
use axum::response::Response;
use ermine_model::Timestamp;
use ermine_model::channel::{Channel, Group, GroupCreateBody, PartialChannel};
use ermine_model::error::ApiError;
use ermine_model::event::{ChannelUpdate, ChannelUser, IdOnly, ServerEvent};
use ermine_model::id::{ChannelId, UserId};
use ermine_model::message::{OwnershipChanged, SystemMessage, UserBy, UserOnly};
use ermine_model::permission::Permissions;
use ermine_model::user::{RelationshipStatus, User};

use super::messages::{channel_of, permitted_channel, system_message};
use super::presence;
use crate::Shared;
use crate::http::{AppState, Caller, Json, Person, Reply, fail, no_content, not_found};
use crate::lock;
use crate::world::World;

/// Members a group may have (the real server's default configuration; `GET /` says so).
pub(crate) const GROUP_SIZE: usize = 100;

/// `POST /channels/create`.
pub(crate) async fn create(
    State(shared): State<AppState>,
    Person(caller): Person,
    Json(body): Json<GroupCreateBody>,
) -> Reply<axum::Json<Channel>> {
    super::servers::length("name", &body.name, 1, 32)?;
    if let Some(d) = &body.description {
        super::servers::length("description", d, 0, 1024)?;
    }
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    for user in &body.users {
        if !matches!(
            world.relationship(caller.user, *user),
            RelationshipStatus::Friend | RelationshipStatus::User
        ) {
            return Err(fail(ApiError::NotFriends));
        }
    }
    let mut recipients = vec![caller.user];
    for user in body.users {
        if !recipients.contains(&user) {
            recipients.push(user);
        }
    }
    if recipients.len() > GROUP_SIZE {
        return Err(fail(ApiError::GroupTooLarge {
            max: GROUP_SIZE as u64,
        }));
    }
    let id: ChannelId = world.id(now);
    let icon = match body.icon {
        Some(file) => Some(super::servers::use_file(&mut world, &file, "icons")?),
        None => None,
    };
    let channel = Channel::Group(Group {
        id,
        name: body.name,
        owner: caller.user,
        description: body.description,
        recipients: recipients.clone(),
        icon,
        last_message_id: None,
        permissions: None,
        nsfw: body.nsfw.unwrap_or(false),
    });
    world.channels.insert(id, channel.clone());
    shared.hub.send(
        recipients,
        &ServerEvent::ChannelCreate(Box::new(channel.clone())),
    );
    Ok(axum::Json(channel))
}

/// The group `id`, or `InvalidOperation` for another kind of channel.
fn group_of(world: &World, id: &str) -> Reply<Group> {
    match channel_of(world, id)? {
        Channel::Group(group) => Ok(group),
        _ => Err(fail(ApiError::InvalidOperation)),
    }
}

/// A user that exists, or `NotFound`.
fn known_user(world: &World, raw: &str) -> Reply<UserId> {
    let id: UserId = raw.parse().map_err(|_| not_found())?;
    if world.users.contains_key(&id) {
        Ok(id)
    } else {
        Err(not_found())
    }
}

/// `GET /channels/{id}/members`.
pub(crate) async fn members(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<axum::Json<Vec<User>>> {
    let now = shared.clock.now();
    let world = lock(&shared.world);
    let channel = permitted_channel(&world, caller.user, &id, Permissions::VIEW_CHANNEL, now)?;
    let Channel::Group(group) = channel else {
        return Err(fail(ApiError::InvalidOperation));
    };
    let online = presence(&shared);
    let users = group
        .recipients
        .iter()
        .filter_map(|u| world.render_user(caller.user, *u, &online))
        .collect();
    Ok(axum::Json(users))
}

/// `PUT /channels/{id}/recipients/{user}`.
pub(crate) async fn add(
    State(shared): State<AppState>,
    Person(caller): Person,
    Path((id, user)): Path<(String, String)>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let channel = permitted_channel(&world, caller.user, &id, Permissions::INVITE_OTHERS, now)?;
    let Channel::Group(group) = channel else {
        return Err(fail(ApiError::InvalidOperation));
    };
    let user = known_user(&world, &user)?;
    if world.relationship(caller.user, user) != RelationshipStatus::Friend {
        return Err(fail(ApiError::NotFriends));
    }
    join(&shared, &mut world, &group, user, caller.user, now)?;
    Ok(no_content())
}

/// Adds `user` to `group` on behalf of `by`, as the real server does: `AlreadyInGroup`,
/// `GroupTooLarge`; everyone hears `ChannelGroupJoin`, a system message says who added
/// whom, and the newcomer gets `ChannelCreate`.
pub(crate) fn join(
    shared: &Shared,
    world: &mut World,
    group: &Group,
    user: UserId,
    by: UserId,
    now: Timestamp,
) -> Reply<()> {
    if group.recipients.contains(&user) {
        return Err(fail(ApiError::AlreadyInGroup));
    }
    if group.recipients.len() >= GROUP_SIZE {
        return Err(fail(ApiError::GroupTooLarge {
            max: GROUP_SIZE as u64,
        }));
    }
    let Some(Channel::Group(stored)) = world.channels.get_mut(&group.id) else {
        return Err(not_found());
    };
    stored.recipients.push(user);
    let updated = Channel::Group(stored.clone());
    shared.hub.send(
        group.recipients.iter().copied().chain([user]),
        &ServerEvent::ChannelGroupJoin(ChannelUser { id: group.id, user }),
    );
    let added = SystemMessage::UserAdded(UserBy { id: user, by });
    system_message(shared, world, group.id, added, now);
    shared
        .hub
        .send([user], &ServerEvent::ChannelCreate(Box::new(updated)));
    Ok(())
}

/// `DELETE /channels/{id}/recipients/{user}`: the owner removes someone.
pub(crate) async fn remove(
    State(shared): State<AppState>,
    Person(caller): Person,
    Path((id, user)): Path<(String, String)>,
) -> Reply<Response> {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let group = group_of(&world, &id)?;
    if group.owner != caller.user {
        return Err(crate::http::missing("ManageChannel"));
    }
    let user = known_user(&world, &user)?;
    if user == caller.user {
        return Err(fail(ApiError::CannotRemoveYourself));
    }
    if !group.recipients.contains(&user) {
        return Err(fail(ApiError::NotInGroup));
    }
    leave(
        &shared,
        &mut world,
        &group,
        user,
        Some(caller.user),
        false,
        now,
    );
    Ok(no_content())
}

/// Takes `user` out of `group`, as the real server does: an owner leaving hands the group
/// to the next member (or deletes it when alone); everyone hears `ChannelGroupLeave`, and a
/// system message says who left or who removed them unless `silent`.
pub(crate) fn leave(
    shared: &Shared,
    world: &mut World,
    group: &Group,
    user: UserId,
    by: Option<UserId>,
    silent: bool,
    now: Timestamp,
) {
    if group.owner == user {
        let Some(next) = group.recipients.iter().copied().find(|r| *r != user) else {
            world.channels.remove(&group.id);
            world.messages.remove(&group.id);
            shared
                .hub
                .send([user], &ServerEvent::ChannelDelete(IdOnly { id: group.id }));
            return;
        };
        if let Some(Channel::Group(stored)) = world.channels.get_mut(&group.id) {
            stored.owner = next;
        }
        shared.hub.send(
            group.recipients.clone(),
            &ServerEvent::ChannelUpdate(Box::new(ChannelUpdate {
                id: group.id,
                data: PartialChannel {
                    owner: Some(next),
                    ..PartialChannel::default()
                },
                clear: Vec::new(),
            })),
        );
        let changed = SystemMessage::ChannelOwnershipChanged(OwnershipChanged {
            from: user,
            to: next,
        });
        system_message(shared, world, group.id, changed, now);
    }
    if let Some(Channel::Group(stored)) = world.channels.get_mut(&group.id) {
        stored.recipients.retain(|r| *r != user);
    }
    shared.hub.send(
        group.recipients.clone(),
        &ServerEvent::ChannelGroupLeave(ChannelUser { id: group.id, user }),
    );
    if !silent {
        let message = match by {
            Some(by) => SystemMessage::UserRemove(UserBy { id: user, by }),
            None => SystemMessage::UserLeft(UserOnly { id: user }),
        };
        system_message(shared, world, group.id, message, now);
    }
}
