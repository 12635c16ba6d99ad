//! Custom emojis.

use serde::{Deserialize, Serialize};

use crate::id::{EmojiId, ServerId, UserId};
use crate::wire::{is_false, tagged_enum};

/// A custom emoji.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Emoji {
    /// The emoji's ID.
    #[serde(rename = "_id")]
    pub id: EmojiId,
    /// Where it belongs.
    pub parent: EmojiParent,
    /// Who made it.
    pub creator_id: UserId,
    /// Name.
    pub name: String,
    /// Animated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub animated: bool,
    /// Age-restricted.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nsfw: bool,
}

/// Owner of an emoji, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum EmojiParent {
    /// A server.
    Server(EmojiServer),
    /// No longer attached to anything.
    Detached,
    /// A kind this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(EmojiParent, "type", {
    "Server" => Server(EmojiServer),
    "Detached" => Detached,
});

/// The server an emoji belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiServer {
    /// The server.
    pub id: ServerId,
}

/// An emoji with every field optional (what an emoji edit changes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialEmoji {
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Body of `PUT /custom/emoji/{emoji}` (`DataCreateEmoji`): the emoji's ID is that of an
/// unused file uploaded to `emojis`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiCreateBody {
    /// Name: 1..=32 of `a-z`, `0-9` and `_`.
    pub name: String,
    /// Where it belongs.
    pub parent: EmojiParent,
    /// Whether it is age-restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsfw: Option<bool>,
}

/// Body of `PATCH /custom/emoji/{emoji}` (`DataEditEmoji`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmojiEditBody {
    /// New name: 1..=32 of `a-z`, `0-9` and `_`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}
