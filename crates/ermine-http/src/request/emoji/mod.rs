//! `/custom/emoji/{emoji}`: custom emoji.

use ermine_model::emoji::{Emoji, EmojiCreateBody, EmojiEditBody, EmojiParent, EmojiServer};
use ermine_model::id::{EmojiId, ServerId};

use crate::Client;
use crate::request::{body_request, path_request, request};
use crate::validate::{self, ValidationError};

path_request! {
    /// A custom emoji. Needs no token.
    ///
    /// # Errors
    /// `NotFound`.
    FetchEmoji { emoji: EmojiId } => Emoji,
    FETCH_EMOJI
}

body_request! {
    /// Creates a server's custom emoji from an unused file uploaded to `emojis` (the file's
    /// ID becomes the emoji's).
    ///
    /// # Errors
    /// `FailedValidation`; `IsBot`; `NotFound`; `MissingPermission` (`ManageCustomisation`);
    /// `TooManyEmoji`.
    CreateEmoji { emoji: String } => Emoji,
    CREATE_EMOJI, EmojiCreateBody
}

impl CreateEmoji {
    /// Marks it age-restricted.
    pub fn nsfw(mut self, nsfw: bool) -> Self {
        self.body.nsfw = Some(nsfw);
        self
    }
}

body_request! {
    /// Renames a custom emoji.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `MissingPermission` (`ManageCustomisation`).
    EditEmoji { emoji: EmojiId } => Emoji,
    EDIT_EMOJI, EmojiEditBody
}

path_request! {
    /// Deletes a custom emoji.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageCustomisation`, unless one made it).
    DeleteEmoji { emoji: EmojiId } => (),
    DELETE_EMOJI
}

/// An emoji name: 1..=32 of `a-z`, `0-9` and `_`.
fn emoji_name(name: &str) -> Result<(), ValidationError> {
    validate::chars("name", name, 1, 32)?;
    validate::pattern(
        "name",
        name,
        |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_',
        "a-z, 0-9 and _",
    )
}

impl Client {
    /// Fetches a custom emoji.
    pub fn fetch_emoji(&self, emoji: EmojiId) -> FetchEmoji {
        FetchEmoji::new(self.clone(), emoji)
    }

    /// Creates a custom emoji in `server` named `name` from the upload `file_id`.
    pub fn create_emoji(&self, file_id: &str, server: ServerId, name: &str) -> CreateEmoji {
        let body = EmojiCreateBody {
            name: name.to_owned(),
            parent: EmojiParent::Server(EmojiServer { id: server }),
            nsfw: None,
        };
        let mut request = CreateEmoji::with_body(self.clone(), file_id.to_owned(), body);
        request.check(emoji_name(name));
        request
    }

    /// Renames a custom emoji.
    pub fn edit_emoji(&self, emoji: EmojiId, name: &str) -> EditEmoji {
        let body = EmojiEditBody {
            name: Some(name.to_owned()),
        };
        let mut request = EditEmoji::with_body(self.clone(), emoji, body);
        request.check(emoji_name(name));
        request
    }

    /// Deletes a custom emoji.
    pub fn delete_emoji(&self, emoji: EmojiId) -> DeleteEmoji {
        DeleteEmoji::new(self.clone(), emoji)
    }
}
