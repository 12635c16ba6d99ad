//! `/bots`: create, fetch, edit, delete and invite bots.

use ermine_model::auth::{
    BotWithUser, CreateBotBody, EditBotBody, FetchBotResponse, FieldsBot, InviteBotDestination,
    OwnedBots, PublicBot,
};
use ermine_model::id::{ChannelId, ServerId, UserId};

use crate::Client;
use crate::request::{body_request, path_request, request};
use crate::validate::{self, ValidationError};

/// A username: 2..=32 letters, digits, `_`, `.` or `-`.
pub(crate) fn username(field: &'static str, name: &str) -> Result<(), ValidationError> {
    validate::chars(field, name, 2, 32)?;
    validate::pattern(
        field,
        name,
        |c| c.is_alphabetic() || c.is_ascii_digit() || "_.-".contains(c),
        "letters, digits, _, . and -",
    )
}

body_request! {
    /// Creates a bot owned by the caller.
    ///
    /// # Errors
    /// `FailedValidation`; `IsBot`; `ReachedMaximumBots`; `UsernameTaken`; `InvalidUsername`.
    CreateBot {} => BotWithUser,
    CREATE_BOT, CreateBotBody
}

path_request! {
    /// A public bot's card (or one's own bot).
    ///
    /// # Errors
    /// `NotFound` (also a private bot of someone else).
    FetchPublicBot { bot: UserId } => PublicBot,
    FETCH_PUBLIC_BOT
}

body_request! {
    /// Adds a bot to a server (`ManageServer`) or a group.
    ///
    /// # Errors
    /// `NotFound`; `IsBot`; `BotIsPrivate`; `MissingPermission`; `AlreadyInServer`;
    /// `Banned`; `InvalidOperation`.
    InviteBot { bot: UserId } => (),
    INVITE_BOT, InviteBotDestination
}

path_request! {
    /// One of the caller's bots, with its token.
    ///
    /// # Errors
    /// `NotFound`; `IsBot`.
    FetchBot { bot: UserId } => FetchBotResponse,
    FETCH_BOT
}

path_request! {
    /// Deletes one of the caller's bots.
    ///
    /// # Errors
    /// `NotFound`; `IsBot`.
    DeleteBot { bot: UserId } => (),
    DELETE_BOT
}

body_request! {
    /// Edits one of the caller's bots.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `IsBot`; `UsernameTaken`; `InvalidUsername`.
    EditBot { bot: UserId } => BotWithUser,
    EDIT_BOT, EditBotBody
}

impl EditBot {
    /// Renames the bot.
    pub fn name(mut self, name: &str) -> Self {
        self.check(username("name", name));
        self.body.name = Some(name.to_owned());
        self
    }

    /// Whether anyone may add it.
    pub fn public(mut self, public: bool) -> Self {
        self.body.public = Some(public);
        self
    }

    /// Whether analytics are gathered.
    pub fn analytics(mut self, analytics: bool) -> Self {
        self.body.analytics = Some(analytics);
        self
    }

    /// Sets (≤ 2048 characters) or clears the interactions URL.
    pub fn interactions_url(mut self, url: Option<&str>) -> Self {
        if let Some(u) = url {
            self.check(validate::chars("interactions_url", u, 1, 2048));
        }
        let b = &mut self.body;
        ermine_model::patch::Patch::from(url.map(str::to_owned)).write(
            &mut b.interactions_url,
            &mut b.remove,
            FieldsBot::InteractionsURL,
        );
        self
    }

    /// Makes a new token (the old one stops working).
    pub fn reset_token(mut self) -> Self {
        if !self.body.remove.contains(&FieldsBot::Token) {
            self.body.remove.push(FieldsBot::Token);
        }
        self
    }
}

path_request! {
    /// The caller's bots.
    ///
    /// # Errors
    /// `IsBot`.
    FetchOwnedBots {} => OwnedBots,
    FETCH_OWNED_BOTS
}

impl Client {
    /// Creates a bot named `name`.
    pub fn create_bot(&self, name: &str) -> CreateBot {
        let body = CreateBotBody {
            name: name.to_owned(),
        };
        let mut request = CreateBot::with_body(self.clone(), body);
        request.check(username("name", name));
        request
    }

    /// Fetches a public bot's card.
    pub fn fetch_public_bot(&self, bot: UserId) -> FetchPublicBot {
        FetchPublicBot::new(self.clone(), bot)
    }

    /// Adds a bot to a server.
    pub fn invite_bot_to_server(&self, bot: UserId, server: ServerId) -> InviteBot {
        InviteBot::with_body(self.clone(), bot, InviteBotDestination::Server { server })
    }

    /// Adds a bot to a group.
    pub fn invite_bot_to_group(&self, bot: UserId, group: ChannelId) -> InviteBot {
        InviteBot::with_body(self.clone(), bot, InviteBotDestination::Group { group })
    }

    /// Fetches one of the caller's bots.
    pub fn fetch_bot(&self, bot: UserId) -> FetchBot {
        FetchBot::new(self.clone(), bot)
    }

    /// Deletes one of the caller's bots.
    pub fn delete_bot(&self, bot: UserId) -> DeleteBot {
        DeleteBot::new(self.clone(), bot)
    }

    /// Edits one of the caller's bots.
    pub fn edit_bot(&self, bot: UserId) -> EditBot {
        EditBot::with_body(self.clone(), bot, EditBotBody::default())
    }

    /// Fetches the caller's bots.
    pub fn fetch_owned_bots(&self) -> FetchOwnedBots {
        FetchOwnedBots::new(self.clone())
    }
}
