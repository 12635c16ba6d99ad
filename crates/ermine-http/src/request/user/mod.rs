//! `/users`: users, profiles, relationships, DMs and default avatars.

pub mod block;
pub mod default_avatar;
pub mod edit;
pub mod fetch;
pub mod fetch_dms;
pub mod fetch_self;
pub mod flags;
pub mod friend;
pub mod mutual;
pub mod open_dm;
pub mod profile;
pub mod remove_friend;
pub mod unblock;
