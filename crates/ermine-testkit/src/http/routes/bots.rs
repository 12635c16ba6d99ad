//! `/bots`: create, fetch, invite to a server.

use axum::extract::{Path, State};
use axum::response::Response;
use ermine_model::auth::{
    Bot, BotWithUser, EditBotBody, FetchBotResponse, FieldsBot, OwnedBots, Token,
};
use ermine_model::channel::Channel;
use ermine_model::error::ApiError;
use ermine_model::id::{ServerId, UserId};
use ermine_model::permission::Permissions;
use ermine_model::user::BotFlags;
use serde::Deserialize;
use serde_json::json;

use super::onboard::check_username;
use super::presence;
use super::servers::join_server;
use crate::http::{
    AppState, Caller, Json, Person, Reply, fail, missing, no_content, not_found, parse_id,
};
use crate::lock;
use crate::world::{Auth, World};

#[derive(Debug, Deserialize)]
pub(crate) struct CreateBot {
    name: String,
}

impl World {
    /// Creates a bot named `name` owned by `owner`; returns it.
    pub(crate) fn create_bot(
        &mut self,
        owner: UserId,
        name: &str,
        now: ermine_model::Timestamp,
    ) -> Reply<Bot> {
        let id: UserId = self.id(now);
        self.create_user(id, name, Some(owner))?;
        let token = self.token(now);
        self.tokens.insert(
            token.clone(),
            Auth {
                user: id,
                session: None,
            },
        );
        let bot = Bot {
            id,
            owner,
            token: Token::new(token),
            public: false,
            default_permissions: None,
            analytics: false,
            discoverable: false,
            interactions_url: String::new(),
            terms_of_service_url: String::new(),
            privacy_policy_url: String::new(),
            flags: BotFlags::empty(),
        };
        self.bots.insert(id, bot.clone());
        Ok(bot)
    }
}

/// `POST /bots/create`.
pub(crate) async fn create(
    State(shared): State<AppState>,
    caller: Caller,
    Json(body): Json<CreateBot>,
) -> Reply<axum::Json<BotWithUser>> {
    check_username(&body.name)?;
    if caller.is_bot() {
        return Err(fail(ApiError::IsBot));
    }
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let owned = world
        .bots
        .values()
        .filter(|b| b.owner == caller.user)
        .count();
    if owned >= crate::world::limits::user_limits(caller.user, now).bots {
        return Err(fail(ApiError::ReachedMaximumBots));
    }
    let bot = world.create_bot(caller.user, &body.name, now)?;
    let user = world
        .render_user(caller.user, bot.id, &presence(&shared))
        .ok_or_else(not_found)?;
    Ok(axum::Json(BotWithUser { bot, user }))
}

/// `GET /bots/{id}` (owner only).
pub(crate) async fn fetch(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<axum::Json<FetchBotResponse>> {
    let id: UserId = parse_id(&id)?;
    let world = lock(&shared.world);
    let bot = world
        .bots
        .get(&id)
        .filter(|b| b.owner == caller.user)
        .cloned()
        .ok_or_else(not_found)?;
    let mut user = world
        .render_user(caller.user, id, &presence(&shared))
        .ok_or_else(not_found)?;
    user.relationship = ermine_model::user::RelationshipStatus::None;
    Ok(axum::Json(FetchBotResponse { bot, user }))
}

/// `GET /bots/@me`.
pub(crate) async fn owned(State(shared): State<AppState>, caller: Caller) -> axum::Json<OwnedBots> {
    let world = lock(&shared.world);
    let mut bots: Vec<Bot> = world
        .bots
        .values()
        .filter(|b| b.owner == caller.user)
        .cloned()
        .collect();
    bots.sort_by_key(|b| b.id);
    let online = presence(&shared);
    let users = bots
        .iter()
        .filter_map(|b| world.render_user(caller.user, b.id, &online))
        .collect();
    axum::Json(OwnedBots { bots, users })
}

/// `GET /bots/{id}/invite`: a public bot's profile.
pub(crate) async fn public(
    State(shared): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply<axum::Json<serde_json::Value>> {
    let id: UserId = parse_id(&id)?;
    let world = lock(&shared.world);
    let bot = world
        .bots
        .get(&id)
        .filter(|b| b.public)
        .ok_or_else(not_found)?;
    let user = world.users.get(&id).ok_or_else(not_found)?;
    Ok(axum::Json(json!({
        "_id": bot.id,
        "username": user.user.username,
        "avatar": user.user.avatar,
        "description": user.profile.content,
    })))
}

#[derive(Debug, Deserialize)]
pub(crate) struct InviteBot {
    #[serde(default)]
    server: Option<String>,
    #[serde(default)]
    group: Option<String>,
}

/// `POST /bots/{id}/invite`: add a bot to a server (`ManageServer`) or a group
/// (`InviteOthers`).
pub(crate) async fn invite(
    State(shared): State<AppState>,
    Person(caller): Person,
    Path(id): Path<String>,
    Json(body): Json<InviteBot>,
) -> Reply<Response> {
    let bot_id: UserId = parse_id(&id)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let bot = world.bots.get(&bot_id).cloned().ok_or_else(not_found)?;
    if !bot.public && bot.owner != caller.user {
        return Err(fail(ApiError::BotIsPrivate));
    }
    let Some(server) = body.server else {
        let Some(group) = body.group else {
            return Err(fail(ApiError::InvalidOperation));
        };
        let channel = super::messages::channel_of(&world, &group)?;
        super::messages::require(
            world.channel_permissions(caller.user, &channel, now),
            Permissions::INVITE_OTHERS,
        )?;
        let Channel::Group(group) = channel else {
            return Err(fail(ApiError::InvalidOperation));
        };
        super::groups::join(&shared, &mut world, &group, bot_id, caller.user, now)?;
        return Ok(no_content());
    };
    let server: ServerId = parse_id(&server)?;
    if !world.servers.contains_key(&server) {
        return Err(not_found());
    }
    if !world
        .server_permissions(caller.user, server, now)
        .contains(Permissions::MANAGE_SERVER)
    {
        return Err(missing("ManageServer"));
    }
    join_server(&shared, &mut world, server, bot_id, now)?;
    Ok(no_content())
}

/// `DELETE /bots/{id}`: the owner deletes a bot; its user is marked deleted and its token
/// stops working.
pub(crate) async fn delete(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Reply<Response> {
    let id: UserId = parse_id(&id)?;
    let mut world = lock(&shared.world);
    let bot = world
        .bots
        .get(&id)
        .filter(|b| b.owner == caller.user)
        .cloned()
        .ok_or_else(not_found)?;
    world.bots.remove(&id);
    world.tokens.remove(bot.token.expose());
    world.voice.remove(&id);
    if let Some(record) = world.users.get_mut(&id) {
        "Deleted User".clone_into(&mut record.user.username);
        record.user.flags |= ermine_model::user::UserFlags::DELETED;
        record.user.avatar = None;
        record.user.status = None;
    }
    Ok(no_content())
}

/// `PATCH /bots/{id}`: the owner renames the bot's user or edits the bot; `Token` in
/// `remove` makes a new token.
pub(crate) async fn edit(
    State(shared): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<EditBotBody>,
) -> Reply<axum::Json<BotWithUser>> {
    if let Some(name) = &body.name {
        check_username(name)?;
    }
    let id: UserId = parse_id(&id)?;
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let mut bot = world
        .bots
        .get(&id)
        .filter(|b| b.owner == caller.user)
        .cloned()
        .ok_or_else(not_found)?;
    if let Some(name) = &body.name {
        world.rename(id, name)?;
    }
    if let Some(public) = body.public {
        bot.public = public;
    }
    if let Some(analytics) = body.analytics {
        bot.analytics = analytics;
    }
    if let Some(url) = body.interactions_url {
        bot.interactions_url = url;
    }
    for field in &body.remove {
        match field {
            FieldsBot::Token => {
                world.tokens.remove(bot.token.expose());
                let token = world.token(now);
                world.tokens.insert(
                    token.clone(),
                    Auth {
                        user: id,
                        session: None,
                    },
                );
                bot.token = Token::new(token);
            }
            FieldsBot::InteractionsURL => bot.interactions_url.clear(),
            _ => {}
        }
    }
    world.bots.insert(id, bot.clone());
    let user = world
        .render_self(id, &presence(&shared))
        .ok_or_else(not_found)?;
    Ok(axum::Json(BotWithUser { bot, user }))
}
