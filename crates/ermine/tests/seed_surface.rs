//! Every item of the seed's lists for `BaseMember`, `PartialMember` and `Member`, named through
//! the Rust item that provides it. This file does not compile if one is missing.
//!
//! `Member` and `PartialMember` dereference to `BaseMember` (checked below), so an item named
//! as `BaseMember::x` in their lists is reachable as `member.x(..)` and `partial.x(..)`.
//! Names differ from the seed only where noted: `state` → `client`, `to_dict` → `to_json`,
//! `eq`/`ne` → `PartialEq` on the (server, user) identity.

#![allow(clippy::no_effect_underscore_binding, unused_variables)]

use std::ops::Deref;

use ermine::{BaseMember, Member, PartialMember};

macro_rules! named {
    ($($ty:ident :: $item:ident),* $(,)?) => {
        $( let _ = $ty::$item; )*
    };
}

fn derefs_to_base<T: Deref<Target = BaseMember>>() {}

/// The seed's `BaseMember`: its methods and the properties its class documents.
#[allow(dead_code)]
fn base_member() {
    named!(
        BaseMember::acknowledge,
        BaseMember::ban,
        BaseMember::begin_typing,
        BaseMember::connect,
        BaseMember::edit,
        BaseMember::end_typing,
        BaseMember::fetch_channel_id,
        BaseMember::fetch_default_avatar,
        BaseMember::fetch_flags,
        BaseMember::fetch_message,
        BaseMember::fetch_profile,
        BaseMember::get_bot_owner,
        BaseMember::get_channel_id,
        BaseMember::get_message,
        BaseMember::get_server,
        BaseMember::get_user,
        BaseMember::history,
        BaseMember::is_sentinel,
        BaseMember::join_call,
        BaseMember::kick,
        BaseMember::mutual_friend_ids,
        BaseMember::mutual_server_ids,
        BaseMember::mutuals,
        BaseMember::open_dm,
        BaseMember::remove_friend,
        BaseMember::report,
        BaseMember::search,
        BaseMember::send,
        BaseMember::timeout,
        BaseMember::typing,
        BaseMember::unblock,
        // Properties documented on the class.
        BaseMember::internal_avatar,
        BaseMember::status,
        BaseMember::bot,
        BaseMember::tag,
        // Constructor arguments.
        BaseMember::client,
        BaseMember::server_id,
        BaseMember::internal_user,
    );
    let _eq = <BaseMember as PartialEq>::eq;
    let _ne = <BaseMember as PartialEq>::ne;
}

/// The seed's `PartialMember` list.
#[allow(dead_code)]
fn partial_member() {
    derefs_to_base::<PartialMember>();
    named!(
        BaseMember::avatar,
        BaseMember::badges,
        BaseMember::bot,
        BaseMember::bot_owner,
        PartialMember::can_publish,
        PartialMember::can_receive,
        BaseMember::default_avatar_url,
        BaseMember::discriminator,
        BaseMember::display_name,
        BaseMember::dm_channel,
        BaseMember::dm_channel_id,
        BaseMember::flags,
        BaseMember::id,
        BaseMember::internal_avatar,
        PartialMember::internal_server_avatar,
        BaseMember::internal_user,
        BaseMember::mention,
        BaseMember::messages,
        BaseMember::name,
        PartialMember::nick,
        BaseMember::online,
        BaseMember::pm,
        BaseMember::pm_id,
        BaseMember::privileged,
        BaseMember::raw_badges,
        BaseMember::raw_flags,
        BaseMember::relationship,
        PartialMember::role_ids,
        PartialMember::server_avatar,
        BaseMember::server_id,
        BaseMember::client,
        BaseMember::status,
        BaseMember::tag,
        PartialMember::timed_out_until,
        BaseMember::user,
        BaseMember::acknowledge,
        BaseMember::ban,
        BaseMember::begin_typing,
        BaseMember::connect,
        BaseMember::edit,
        BaseMember::end_typing,
        BaseMember::fetch_channel_id,
        BaseMember::fetch_default_avatar,
        BaseMember::fetch_flags,
        BaseMember::fetch_message,
        BaseMember::fetch_profile,
        BaseMember::get_bot_owner,
        BaseMember::get_channel_id,
        BaseMember::get_message,
        BaseMember::get_server,
        BaseMember::get_user,
        BaseMember::history,
        BaseMember::is_sentinel,
        BaseMember::join_call,
        BaseMember::kick,
        BaseMember::mutual_friend_ids,
        BaseMember::mutual_server_ids,
        BaseMember::mutuals,
        BaseMember::open_dm,
        BaseMember::remove_friend,
        BaseMember::report,
        BaseMember::search,
        BaseMember::send,
        BaseMember::timeout,
        BaseMember::typing,
        BaseMember::unblock,
    );
    let _eq = <PartialMember as PartialEq>::eq;
    let _ne = <PartialMember as PartialEq>::ne;
}

/// The seed's `Member` list.
#[allow(dead_code)]
fn member() {
    derefs_to_base::<Member>();
    named!(
        BaseMember::avatar,
        BaseMember::badges,
        BaseMember::bot,
        BaseMember::bot_owner,
        Member::can_publish,
        Member::can_receive,
        BaseMember::default_avatar_url,
        BaseMember::discriminator,
        BaseMember::display_name,
        BaseMember::dm_channel,
        BaseMember::dm_channel_id,
        BaseMember::flags,
        BaseMember::id,
        BaseMember::internal_avatar,
        Member::internal_server_avatar,
        BaseMember::internal_user,
        Member::joined_at,
        BaseMember::mention,
        BaseMember::messages,
        BaseMember::name,
        Member::nick,
        BaseMember::online,
        BaseMember::pm,
        BaseMember::pm_id,
        BaseMember::privileged,
        BaseMember::raw_badges,
        BaseMember::raw_flags,
        BaseMember::relationship,
        Member::role_ids,
        Member::roles,
        Member::server_avatar,
        BaseMember::server_id,
        Member::server_permissions,
        BaseMember::client,
        BaseMember::status,
        BaseMember::tag,
        Member::timed_out_until,
        Member::top_role,
        BaseMember::user,
        BaseMember::acknowledge,
        BaseMember::ban,
        BaseMember::begin_typing,
        BaseMember::connect,
        BaseMember::edit,
        BaseMember::end_typing,
        BaseMember::fetch_channel_id,
        BaseMember::fetch_default_avatar,
        BaseMember::fetch_flags,
        BaseMember::fetch_message,
        BaseMember::fetch_profile,
        BaseMember::get_bot_owner,
        BaseMember::get_channel_id,
        BaseMember::get_message,
        BaseMember::get_server,
        BaseMember::get_user,
        BaseMember::history,
        BaseMember::is_sentinel,
        BaseMember::join_call,
        BaseMember::kick,
        Member::locally_update,
        BaseMember::mutual_friend_ids,
        BaseMember::mutual_server_ids,
        BaseMember::mutuals,
        BaseMember::open_dm,
        BaseMember::remove_friend,
        BaseMember::report,
        BaseMember::search,
        BaseMember::send,
        BaseMember::timeout,
        Member::to_json,
        BaseMember::typing,
        BaseMember::unblock,
    );
    let _eq = <Member as PartialEq>::eq;
    let _ne = <Member as PartialEq>::ne;
}

#[test]
fn the_seed_surface_exists() {
    // Compiling this file is the check; the three lists hold every item of the seed's.
    let text = include_str!("seed_surface.rs");
    let named = text.matches("Member::").count();
    assert!(named > 170, "{named} items named");
}
