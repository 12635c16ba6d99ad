//! Every item of the seed's lists for `BaseMember`, `PartialMember` and `Member`, named through
//! the Rust item that provides it. This file does not compile if one is missing.

#![allow(clippy::no_effect_underscore_binding, unused_variables)]

use ermine::{Member, PartialMember};

/// Names each seed item's Rust counterpart (never called).
#[allow(dead_code)]
fn seed_items(partial: &PartialMember) {
    // BaseMember (and, through it, PartialMember and Member): actions.
    let _acknowledge = Member::acknowledge;
    let _ban = Member::ban;
    let _begin_typing = Member::begin_typing;
    let _connect = Member::connect;
    let _edit = Member::edit;
    let _end_typing = Member::end_typing;
    let _eq = <Member as PartialEq>::eq;
    let _fetch_channel_id = Member::fetch_channel_id;
    let _fetch_default_avatar = Member::fetch_default_avatar;
    let _fetch_flags = Member::fetch_flags;
    let _fetch_message = Member::fetch_message;
    let _fetch_profile = Member::fetch_profile;
    let _get_bot_owner = Member::get_bot_owner;
    let _get_channel_id = Member::get_channel_id;
    let _get_message = Member::get_message;
    let _get_server = Member::get_server;
    let _get_user = Member::get_user;
    let _history = Member::history;
    let _is_sentinel = Member::is_sentinel;
    let _join_call = Member::join_call;
    let _kick = Member::kick;
    let _mutual_friend_ids = Member::mutual_friend_ids;
    let _mutual_server_ids = Member::mutual_server_ids;
    let _mutuals = Member::mutuals;
    let _ne = <Member as PartialEq>::ne;
    let _open_dm = Member::open_dm;
    let _remove_friend = Member::remove_friend;
    let _report = Member::report;
    let _search = Member::search;
    let _send = Member::send;
    let _timeout = Member::timeout;
    let _typing = Member::typing;
    let _unblock = Member::unblock;
    // Member only.
    let _locally_update = Member::locally_update;
    let _to_dict = Member::to_json;

    // Properties of BaseMember, PartialMember and Member.
    let _avatar = Member::avatar;
    let _badges = Member::badges;
    let _bot = Member::bot;
    let _bot_owner = Member::bot_owner;
    let _can_publish = Member::can_publish;
    let _can_receive = Member::can_receive;
    let _default_avatar_url = Member::default_avatar_url;
    let _discriminator = Member::discriminator;
    let _display_name = Member::display_name;
    let _dm_channel = Member::dm_channel;
    let _dm_channel_id = Member::dm_channel_id;
    let _flags = Member::flags;
    let _id = Member::id;
    let _internal_avatar = Member::internal_avatar;
    let _internal_server_avatar = Member::internal_server_avatar;
    let _internal_user = Member::internal_user;
    let _joined_at = Member::joined_at;
    let _mention = Member::mention;
    let _messages = Member::messages;
    let _name = Member::name;
    let _nick = Member::nick;
    let _online = Member::online;
    let _pm = Member::pm;
    let _pm_id = Member::pm_id;
    let _privileged = Member::privileged;
    let _raw_badges = Member::raw_badges;
    let _raw_flags = Member::raw_flags;
    let _relationship = Member::relationship;
    let _role_ids = Member::role_ids;
    let _roles = Member::roles;
    let _server_avatar = Member::server_avatar;
    let _server_id = Member::server_id;
    let _server_permissions = Member::server_permissions;
    let _state = Member::client;
    let _status = Member::status;
    let _tag = Member::tag;
    let _timed_out_until = Member::timed_out_until;
    let _top_role = Member::top_role;
    let _user = Member::user;

    // PartialMember's own fields: each left alone, cleared or set.
    let _nick = &partial.nickname;
    let _internal_server_avatar = &partial.avatar;
    let _role_ids = &partial.roles;
    let _can_publish = &partial.can_publish;
    let _can_receive = &partial.can_receive;
    let _timed_out_until = &partial.timeout;
    let _pronouns = &partial.pronouns;
}

#[test]
fn the_seed_surface_exists() {
    // Compiling this file is the check; this test records that it ran.
    let items = include_str!("seed_surface.rs").matches("let _").count();
    assert!(items > 70, "{items} items named");
}
