//! One module per API area, mirroring the real server's route tree.

mod account;
mod admin;
mod audit;
mod auth;
mod bans;
mod bots;
mod channels;
mod emojis;
mod files;
mod groups;
mod invites;
mod members;
mod messages;
mod onboard;
mod reactions;
mod roles;
mod root;
mod safety;
mod servers;
mod sync;
mod users;
mod webhooks;

use axum::Router;
use axum::handler::Handler;
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use ermine_model::Timestamp;
use ermine_model::channel::Channel;
use ermine_model::id::{ServerId, UserId};
use ermine_model::permission::Permissions;
use ermine_model::route::{self, Method, Route};
use tower::ServiceExt as _;

pub(crate) use account::totp_code;
pub(crate) use admin::routes as admin;
pub(crate) use files::routes as files;
pub(crate) use messages::system_message;

use super::AppState;
use crate::Shared;
use crate::world::World;

/// The REST API routes, each registered from its entry in the route table.
#[allow(clippy::too_many_lines)] // a table: one line per operation
pub(crate) fn api() -> Api {
    Api::default()
        .serve(&route::ROOT, root::instance)
        .serve(&route::CREATE_ACCOUNT, auth::create_account)
        .serve(&route::FETCH_ACCOUNT, auth::fetch_account)
        .serve(&route::LOGIN, auth::login)
        .serve(&route::LOGOUT, auth::logout)
        .serve(&route::FETCH_SESSIONS, auth::sessions)
        .serve(&route::REVOKE_SESSION, auth::revoke)
        .serve(&route::ONBOARD_HELLO, onboard::hello)
        .serve(&route::ONBOARD_COMPLETE, onboard::complete)
        .serve(&route::FETCH_SELF, users::me)
        .serve(&route::EDIT_USER, users::edit)
        .serve(&route::CHANGE_USERNAME, users::change_username)
        .serve(&route::FETCH_DMS, users::dms)
        .serve(&route::SEND_FRIEND_REQUEST, users::send_friend_request)
        .serve(&route::FETCH_USER, users::fetch)
        .serve(&route::FETCH_PROFILE, users::profile)
        .serve(&route::FIND_MUTUAL, users::mutual)
        .serve(&route::FETCH_USER_FLAGS, users::flags)
        .serve(&route::DEFAULT_AVATAR, users::default_avatar)
        .serve(&route::OPEN_DM, users::open_dm)
        .serve(&route::ADD_FRIEND, users::add_friend)
        .serve(&route::REMOVE_FRIEND, users::remove_friend)
        .serve(&route::BLOCK_USER, users::block)
        .serve(&route::UNBLOCK_USER, users::unblock)
        .serve(&route::CREATE_BOT, bots::create)
        .serve(&route::FETCH_OWNED_BOTS, bots::owned)
        .serve(&route::FETCH_BOT, bots::fetch)
        .serve(&route::FETCH_PUBLIC_BOT, bots::public)
        .serve(&route::INVITE_BOT, bots::invite)
        .serve(&route::CREATE_SERVER, servers::create)
        .serve(&route::FETCH_SERVER, servers::fetch)
        .serve(&route::EDIT_SERVER, servers::edit)
        .serve(&route::DELETE_SERVER, servers::delete_or_leave)
        .serve(&route::CREATE_CHANNEL, servers::create_channel)
        .serve(&route::CREATE_ROLE, roles::create)
        .serve(&route::EDIT_ROLE_RANKS, roles::ranks)
        .serve(&route::FETCH_ROLE, roles::fetch)
        .serve(&route::EDIT_ROLE, roles::edit)
        .serve(&route::DELETE_ROLE, roles::delete)
        .serve(&route::SET_DEFAULT_PERMISSIONS, roles::default_permissions)
        .serve(&route::SET_ROLE_PERMISSIONS, roles::role_permissions)
        .serve(&route::FETCH_MEMBERS, members::fetch_all)
        .serve(&route::QUERY_MEMBERS, members::query)
        .serve(&route::FETCH_MEMBER, members::fetch)
        .serve(&route::EDIT_MEMBER, members::edit)
        .serve(&route::KICK_MEMBER, members::kick)
        .serve(&route::FETCH_BANS, bans::list)
        .serve(&route::FETCH_AUDIT_LOGS, audit::query)
        .serve(&route::BAN, bans::ban)
        .serve(&route::UNBAN, bans::unban)
        .serve(&route::FETCH_CHANNEL, channels::fetch)
        .serve(&route::EDIT_CHANNEL, channels::edit)
        .serve(&route::DELETE_CHANNEL, channels::delete)
        .serve(
            &route::SET_CHANNEL_ROLE_PERMISSIONS,
            channels::set_permissions,
        )
        .serve(&route::CREATE_INVITE, invites::create)
        .serve(&route::MESSAGE_HISTORY, messages::history)
        .serve(&route::SEND_MESSAGE, messages::send)
        .serve(&route::FETCH_MESSAGE, messages::fetch)
        .serve(&route::DELETE_MESSAGE, messages::delete)
        .serve(&route::PIN_MESSAGE, messages::pin)
        .serve(&route::UNPIN_MESSAGE, messages::unpin)
        .serve(&route::SEARCH_MESSAGES, messages::search)
        .serve(&route::ACK_MESSAGE, messages::ack)
        .serve(&route::JOIN_CALL, channels::join_call)
        .serve(&route::END_RING, channels::end_ring)
        .serve(&route::FETCH_INVITE, invites::fetch)
        .serve(&route::JOIN_INVITE, invites::join)
        .serve(&route::REPORT_CONTENT, safety::report)
        .serve(&route::FETCH_UNREADS, messages::unreads)
        .serve(&route::ADD_REACTION, reactions::react)
        .serve(&route::REMOVE_REACTION, reactions::unreact)
        .serve(&route::CLEAR_REACTIONS, reactions::clear)
        .serve(&route::EDIT_MESSAGE, messages::edit)
        .serve(&route::BULK_DELETE_MESSAGES, messages::bulk_delete)
        .serve(&route::DELETE_INVITE, invites::delete)
        .serve(&route::ACK_SERVER, servers::ack)
        .serve(&route::FETCH_SERVER_INVITES, servers::invites)
        .serve(&route::FETCH_SERVER_EMOJIS, servers::emojis)
        .serve(&route::CREATE_GROUP, groups::create)
        .serve(&route::FETCH_GROUP_MEMBERS, groups::members)
        .serve(&route::ADD_GROUP_MEMBER, groups::add)
        .serve(&route::REMOVE_GROUP_MEMBER, groups::remove)
        .serve(&route::FETCH_CHANNEL_WEBHOOKS, webhooks::list)
        .serve(&route::CREATE_WEBHOOK, webhooks::create)
        .serve(&route::FETCH_WEBHOOK, webhooks::fetch)
        .serve(&route::FETCH_WEBHOOK_WITH_TOKEN, webhooks::fetch_with_token)
        .serve(&route::EDIT_WEBHOOK, webhooks::edit)
        .serve(&route::EDIT_WEBHOOK_WITH_TOKEN, webhooks::edit_with_token)
        .serve(&route::DELETE_WEBHOOK, webhooks::delete)
        .serve(
            &route::DELETE_WEBHOOK_WITH_TOKEN,
            webhooks::delete_with_token,
        )
        .serve(&route::EXECUTE_WEBHOOK, webhooks::execute)
        .serve(&route::EXECUTE_GITHUB_WEBHOOK, webhooks::execute_github)
        .serve(&route::EDIT_WEBHOOK_MESSAGE, webhooks::edit_message)
        .serve(&route::DELETE_WEBHOOK_MESSAGE, webhooks::delete_message)
        .serve(&route::RESEND_VERIFICATION, account::resend_verification)
        .serve(&route::SEND_PASSWORD_RESET, account::send_password_reset)
        .serve(&route::CONFIRM_ACCOUNT_DELETION, account::confirm_deletion)
        .serve(&route::RESET_PASSWORD, account::password_reset)
        .serve(&route::DELETE_ACCOUNT, account::delete_account)
        .serve(&route::DISABLE_ACCOUNT, account::disable_account)
        .serve(&route::CHANGE_PASSWORD, account::change_password)
        .serve(&route::CHANGE_EMAIL, account::change_email)
        .serve(&route::VERIFY_EMAIL, account::verify_email)
        .serve(&route::REVOKE_ALL_SESSIONS, account::revoke_all)
        .serve(&route::EDIT_SESSION, account::edit_session)
        .serve(&route::CREATE_MFA_TICKET, account::create_ticket)
        .serve(&route::FETCH_MFA_STATUS, account::status)
        .serve(&route::FETCH_MFA_METHODS, account::methods)
        .serve(&route::FETCH_RECOVERY_CODES, account::fetch_recovery)
        .serve(&route::GENERATE_RECOVERY_CODES, account::generate_recovery)
        .serve(&route::GENERATE_TOTP_SECRET, account::generate_totp_secret)
        .serve(&route::ENABLE_TOTP, account::enable_totp)
        .serve(&route::DISABLE_TOTP, account::disable_totp)
        .serve(&route::FETCH_SETTINGS, sync::fetch_settings)
        .serve(&route::SET_SETTINGS, sync::set_settings)
        .serve(&route::PUSH_SUBSCRIBE, sync::subscribe)
        .serve(&route::PUSH_UNSUBSCRIBE, sync::unsubscribe)
        .serve(&route::ACKNOWLEDGE_POLICY_CHANGES, sync::acknowledge)
        .serve(&route::DELETE_BOT, bots::delete)
        .serve(&route::EDIT_BOT, bots::edit)
        .serve(&route::FETCH_EMOJI, emojis::fetch)
        .serve(&route::CREATE_EMOJI, emojis::create)
        .serve(&route::EDIT_EMOJI, emojis::edit)
        .serve(&route::DELETE_EMOJI, emojis::delete)
        .serve(
            &route::SET_CHANNEL_DEFAULT_PERMISSIONS,
            channels::set_default_permissions,
        )
}

/// The API's operations, each with its handler.
#[derive(Default)]
pub(crate) struct Api {
    handlers: Vec<(&'static Route, MethodRouter<AppState>)>,
}

impl Api {
    /// Serves `route` with `handler`.
    fn serve<H, T>(mut self, route: &'static Route, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let method = match route.method {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
            Method::Put => MethodFilter::PUT,
            Method::Patch => MethodFilter::PATCH,
            Method::Delete => MethodFilter::DELETE,
        };
        self.handlers.push((route, on(method, handler)));
        self
    }

    /// The operations served.
    pub(crate) fn served(&self) -> Vec<&'static Route> {
        self.handlers.iter().map(|(route, _)| *route).collect()
    }

    /// The handler of every API request: finds the operation in the route table (the most
    /// literal template for the method, as the real server's router does, with or without
    /// the `/0.8` prefix) and runs its handler; anything else is the framework's `404`.
    pub(crate) fn dispatcher(self, state: &AppState) -> Dispatcher {
        let routers = self
            .handlers
            .into_iter()
            .map(|(route, handler)| {
                let router = Router::new()
                    .route(route.template, handler)
                    .with_state(Arc::clone(state));
                (route.operation, router)
            })
            .collect();
        Dispatcher {
            routers: Arc::new(routers),
        }
    }
}

/// Runs API requests through the route table; see [`Api::dispatcher`].
#[derive(Clone)]
pub(crate) struct Dispatcher {
    routers: Arc<HashMap<&'static str, Router>>,
}

impl Dispatcher {
    /// Answers one request.
    pub(crate) async fn call(self, mut request: Request) -> Response {
        let operation = Method::parse(request.method().as_str())
            .and_then(|method| route::resolve(method, request.uri().path()));
        let Some(router) = operation.and_then(|op| self.routers.get(op.operation)) else {
            return super::error::Fail::Framework(StatusCode::NOT_FOUND).into_response();
        };
        if let Some(rest) = request.uri().path().strip_prefix("/0.8") {
            let rest = if rest.is_empty() { "/" } else { rest };
            let uri = match request.uri().query() {
                Some(query) => format!("{rest}?{query}"),
                None => rest.to_owned(),
            };
            if let Ok(uri) = uri.parse() {
                *request.uri_mut() = uri;
            }
        }
        match router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
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
            .map(|c| ServerEvent::ChannelCreate(Box::new(c.clone())))
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
