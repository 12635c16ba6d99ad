//! Member handles: stoat.py's `BaseMember`, `PartialMember` and `Member`, in Rust.
//!
//! | stoat.py | ermine |
//! | --- | --- |
//! | `BaseMember` (identity, the user's properties, actions) | [`BaseMember`]: the (server, user) pair plus a cheap clone of the [`Client`](crate::Client) |
//! | `Member` (full data) | [`Member`]: a model snapshot; dereferences to [`BaseMember`] |
//! | `PartialMember` (an update's fields) | [`PartialMember`]: each field left alone, cleared or set ([`Patch`](ermine_model::patch::Patch)); dereferences to [`BaseMember`] |
//!
//! Properties read the member, or the cached user and server. Where stoat.py defaults on a
//! cache miss there is a defaulting accessor (`name()` is `""` without the user) beside a
//! fallible one (`get_user()` names what is missing).
//!
//! Actions return the REST client's request builders, so options chain before one `.await`
//! ([`WithOptions`](ermine_http::WithOptions): audit-log reason, headers, timeout, retries,
//! another token…). Actions on the DM channel return a [`DmRequest`], which finds or opens
//! the DM when awaited, with its own options for that lookup (stoat.py's
//! `channel_http_overrides`).
//!
//! Every method's error table lists the `type`s of
//! [`ApiError`](ermine_model::error::ApiError) the server answers with
//! ([`ermine_http::Error::api`]); a refused token (`InvalidSession`) is a 401 recognised by
//! [`ermine_http::Error::is_invalid_session`].

mod base;
mod dm;
mod full;
mod partial;

pub use base::BaseMember;
pub use dm::{DmLookup, DmRequest};
pub use full::Member;
pub use partial::PartialMember;
