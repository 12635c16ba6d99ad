//! One module per API area, mirroring the real server's route tree.

mod admin;
mod audit;
mod auth;
mod bans;
mod bots;
mod channels;
mod files;
mod invites;
mod members;
mod messages;
mod onboard;
mod roles;
mod root;
mod safety;
mod servers;
mod users;

use axum::Router;
use axum::routing::{delete, get, patch, post, put};
use ermine_model::Timestamp;
use ermine_model::channel::Channel;
use ermine_model::id::{ServerId, UserId};
use ermine_model::permission::Permissions;

pub(crate) use admin::routes as admin;
pub(crate) use files::routes as files;

use super::AppState;
use crate::Shared;
use crate::world::World;

/// The REST API routes.
pub(crate) fn api() -> Router<AppState> {
    Router::new()
        .route("/", get(root::instance))
        .route("/auth/account/create", post(auth::create_account))
        .route("/auth/account/", get(auth::fetch_account))
        .route("/auth/session/login", post(auth::login))
        .route("/auth/session/logout", post(auth::logout))
        .route("/auth/session/all", get(auth::sessions))
        .route("/auth/session/{id}", delete(auth::revoke))
        .route("/onboard/hello", get(onboard::hello))
        .route("/onboard/complete", post(onboard::complete))
        .route("/users/@me", get(users::me).patch(users::edit_me))
        .route("/users/dms", get(users::dms))
        .route("/users/friend", post(users::send_friend_request))
        .route("/users/{target}", get(users::fetch))
        .route("/users/{target}/profile", get(users::profile))
        .route("/users/{target}/mutual", get(users::mutual))
        .route("/users/{target}/flags", get(users::flags))
        .route("/users/{target}/default_avatar", get(users::default_avatar))
        .route("/users/{target}/dm", get(users::open_dm))
        .route(
            "/users/{target}/friend",
            put(users::add_friend).delete(users::remove_friend),
        )
        .route(
            "/users/{target}/block",
            put(users::block).delete(users::unblock),
        )
        .route("/bots/create", post(bots::create))
        .route("/bots/@me", get(bots::owned))
        .route("/bots/{id}", get(bots::fetch))
        .route("/bots/{id}/invite", get(bots::public).post(bots::invite))
        .route("/servers/create", post(servers::create))
        .route(
            "/servers/{id}",
            get(servers::fetch)
                .patch(servers::edit)
                .delete(servers::delete_or_leave),
        )
        .route("/servers/{id}/channels", post(servers::create_channel))
        .route("/servers/{id}/roles", post(roles::create))
        .route("/servers/{id}/roles/ranks", patch(roles::ranks))
        .route(
            "/servers/{id}/roles/{role}",
            get(roles::fetch).patch(roles::edit).delete(roles::delete),
        )
        .route(
            "/servers/{id}/permissions/default",
            put(roles::default_permissions),
        )
        .route(
            "/servers/{id}/permissions/{role}",
            put(roles::role_permissions),
        )
        .route("/servers/{id}/members", get(members::fetch_all))
        .route(
            "/servers/{id}/members_experimental_query",
            get(members::query),
        )
        .route(
            "/servers/{id}/members/{member}",
            get(members::fetch)
                .patch(members::edit)
                .delete(members::kick),
        )
        .route("/servers/{id}/bans", get(bans::list))
        .route("/servers/{id}/audit_logs", get(audit::query))
        .route(
            "/servers/{id}/bans/{target}",
            put(bans::ban).delete(bans::unban),
        )
        .route(
            "/channels/{id}",
            get(channels::fetch)
                .patch(channels::edit)
                .delete(channels::delete),
        )
        .route(
            "/channels/{id}/permissions/{role}",
            put(channels::set_permissions),
        )
        .route("/channels/{id}/invites", post(invites::create))
        .route(
            "/channels/{id}/messages",
            get(messages::history).post(messages::send),
        )
        .route(
            "/channels/{id}/messages/{message}",
            get(messages::fetch).delete(messages::delete),
        )
        .route(
            "/channels/{id}/messages/{message}/pin",
            post(messages::pin).delete(messages::unpin),
        )
        .route("/channels/{id}/search", post(messages::search))
        .route("/channels/{id}/ack/{message}", put(messages::ack))
        .route("/channels/{id}/join_call", post(channels::join_call))
        .route("/channels/{id}/end_ring/{user}", put(channels::end_ring))
        .route("/invites/{code}", get(invites::fetch).post(invites::join))
        .route("/safety/report", post(safety::report))
        .route("/sync/unreads", get(messages::unreads))
}

/// Everyone connected who receives a server's events: its members with an open socket
/// (events only ever reach open sockets, so nobody else needs computing).
pub(crate) fn server_audience(shared: &Shared, world: &World, server: ServerId) -> Vec<UserId> {
    let Some(members) = world.members.get(&server) else {
        return Vec::new();
    };
    shared
        .hub
        .connected_users()
        .into_iter()
        .filter(|u| members.contains_key(u))
        .collect()
}

/// Everyone connected who receives a channel's events: members who can view it, or its
/// recipients.
pub(crate) fn channel_audience(
    shared: &Shared,
    world: &World,
    channel: &Channel,
    now: Timestamp,
) -> Vec<UserId> {
    match channel {
        Channel::TextChannel(text) => server_audience(shared, world, text.server)
            .into_iter()
            .filter(|user| {
                world
                    .channel_permissions(*user, channel, now)
                    .contains(Permissions::VIEW_CHANNEL)
            })
            .collect(),
        Channel::DirectMessage(dm) => dm.recipients.clone(),
        Channel::Group(group) => group.recipients.clone(),
        Channel::SavedMessages(saved) => vec![saved.user],
        _ => Vec::new(),
    }
}

/// `is_online` for rendering users.
pub(crate) fn presence(shared: &Shared) -> impl Fn(UserId) -> bool + '_ {
    |user| shared.hub.is_online(user)
}

/// Which channels of `server` each member can see.
pub(crate) fn visibility(
    shared: &Shared,
    world: &World,
    server: ServerId,
    now: Timestamp,
) -> std::collections::HashMap<UserId, std::collections::BTreeSet<ermine_model::id::ChannelId>> {
    server_audience(shared, world, server)
        .into_iter()
        .map(|user| {
            let seen = world
                .visible_channels(server, user, now)
                .iter()
                .filter_map(Channel::id)
                .collect();
            (user, seen)
        })
        .collect()
}

/// Sends `event` to a server's members after a permission change, the way the real events
/// server does: a member who gained or lost sight of channels gets one `Bulk` with the
/// `ChannelCreate`/`ChannelDelete` events first and `event` last. When `event` is about one
/// channel (`about`), only members who can see it afterwards get `event` itself.
pub(crate) fn announce_permission_change(
    shared: &Shared,
    world: &World,
    server: ServerId,
    before: &std::collections::HashMap<
        UserId,
        std::collections::BTreeSet<ermine_model::id::ChannelId>,
    >,
    event: &ermine_model::event::ServerEvent,
    about: Option<ermine_model::id::ChannelId>,
    now: Timestamp,
) {
    use ermine_model::event::{Bulk, IdOnly, ServerEvent};
    let after = visibility(shared, world, server, now);
    let empty = std::collections::BTreeSet::new();
    let mut deliveries = Vec::new();
    for user in server_audience(shared, world, server) {
        let old = before.get(&user).unwrap_or(&empty);
        let new = after.get(&user).unwrap_or(&empty);
        let mut v: Vec<ServerEvent> = new
            .difference(old)
            .filter_map(|id| world.channels.get(id))
            .map(|c| ServerEvent::ChannelCreate(c.clone()))
            .collect();
        v.extend(
            old.difference(new)
                .map(|id| ServerEvent::ChannelDelete(IdOnly { id: *id })),
        );
        let visible = about.is_none_or(|c| new.contains(&c));
        let delivery = match (v.is_empty(), visible) {
            (true, false) => continue,
            (true, true) => event.clone(),
            (false, _) => {
                if visible {
                    v.push(event.clone());
                }
                ServerEvent::Bulk(Bulk { v })
            }
        };
        deliveries.push((user, delivery));
    }
    for (user, delivery) in deliveries {
        shared.hub.send([user], &delivery);
    }
}

/// Sends a `UserUpdate` about `user` to everyone who hears about it, as the real events
/// server does: connections subscribed to `user` since their Ready (relations, DMs, groups),
/// and members of a shared server that are bots or subscribed to that server; `include_self`
/// decides whether `user`'s own connections get it too. Someone who became a friend or a
/// co-member after connecting hears nothing until they reconnect.
pub(crate) fn send_user_update(
    shared: &Shared,
    world: &World,
    user: UserId,
    event: &ermine_model::event::ServerEvent,
    include_self: bool,
) {
    let empty = std::collections::BTreeSet::new();
    let theirs = world.user_servers.get(&user).unwrap_or(&empty);
    shared
        .hub
        .send_user_update(user, event, include_self, |other, subscribed| {
            let Some(mine) = world.user_servers.get(&other) else {
                return false;
            };
            let bot = world.is_bot(other);
            mine.intersection(theirs)
                .any(|s| bot || subscribed.contains(s))
        });
}
