//! `/onboard`: choosing a username after creating an account.

use axum::extract::State;
use ermine_model::error::ApiError;
use ermine_model::user::User;
use serde::Deserialize;
use serde_json::json;

use crate::http::routes::presence;
use crate::http::{AppState, Json, Reply, SessionCaller, fail, invalid};
use crate::lock;

/// `GET /onboard/hello`.
pub(crate) async fn hello(
    State(shared): State<AppState>,
    caller: SessionCaller,
) -> axum::Json<serde_json::Value> {
    let onboarding = !lock(&shared.world).users.contains_key(&caller.user);
    axum::Json(json!({ "onboarding": onboarding }))
}

#[derive(Debug, Deserialize)]
pub(crate) struct Complete {
    username: String,
}

/// Checks a username against the real server's rules.
pub(crate) fn check_username(username: &str) -> Reply<()> {
    let length = username.chars().count();
    if !(2..=32).contains(&length) {
        return Err(invalid(format!(
            "username: Validation error: length [{{\"min\": Number(2), \"max\": Number(32), \"value\": String({username:?})}}]"
        )));
    }
    let lower = username.to_lowercase();
    let allowed = username
        .chars()
        .all(|c| c.is_alphabetic() || c.is_ascii_digit() || "_.-".contains(c));
    let reserved = ["admin", "revolt", "stoat"].contains(&lower.as_str());
    let blocked = [
        "```",
        "discord.gg",
        "rvlt.gg",
        "guilded.gg",
        "stt.gg",
        "revolt.chat",
        "stoat.chat",
        "http://",
        "https://",
    ]
    .iter()
    .any(|p| lower.contains(p));
    if !allowed || reserved || blocked {
        return Err(fail(ApiError::InvalidUsername));
    }
    Ok(())
}

/// `POST /onboard/complete`.
pub(crate) async fn complete(
    State(shared): State<AppState>,
    caller: SessionCaller,
    Json(body): Json<Complete>,
) -> Reply<axum::Json<User>> {
    check_username(&body.username)?;
    let mut world = lock(&shared.world);
    if world.users.contains_key(&caller.user) {
        return Err(fail(ApiError::AlreadyOnboarded));
    }
    world.create_user(caller.user, &body.username, None)?;
    world
        .render_self(caller.user, &presence(&shared))
        .map(axum::Json)
        .ok_or_else(|| fail(ApiError::InternalError))
}

impl crate::world::World {
    /// Creates the user `id` named `username` (a bot when `bot_owner` is set).
    pub(crate) fn create_user(
        &mut self,
        id: ermine_model::id::UserId,
        username: &str,
        bot_owner: Option<ermine_model::id::UserId>,
    ) -> Reply<()> {
        let discriminator = self
            .discriminator(username)
            .ok_or_else(|| fail(ApiError::UsernameTaken))?;
        self.usernames
            .insert((username.to_lowercase(), discriminator.clone()));
        let user = User {
            id,
            username: username.to_owned(),
            discriminator,
            display_name: None,
            pronouns: None,
            avatar: None,
            relations: Vec::new(),
            badges: ermine_model::user::UserBadges::empty(),
            status: None,
            flags: ermine_model::user::UserFlags::empty(),
            privileged: false,
            bot: bot_owner.map(|owner| ermine_model::user::BotInformation { owner }),
            relationship: ermine_model::user::RelationshipStatus::None,
            online: false,
        };
        self.users.insert(
            id,
            crate::world::UserRecord {
                user,
                profile: ermine_model::user::UserProfile::default(),
                relations: std::collections::HashMap::new(),
            },
        );
        Ok(())
    }
}
