//! Embeds on messages.

use serde::{Deserialize, Serialize};

use crate::file::File;
use crate::wire::{string_enum, tagged_enum};

/// An embed, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Embed {
    /// Metadata of a linked website.
    Website(WebsiteEmbed),
    /// A linked image.
    Image(ImageEmbed),
    /// A linked video.
    Video(VideoEmbed),
    /// A text embed sent by a bot or user.
    Text(TextEmbed),
    /// Nothing.
    None,
    /// A kind this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(Embed, "type", {
    "Website" => Website(WebsiteEmbed),
    "Image" => Image(ImageEmbed),
    "Video" => Video(VideoEmbed),
    "Text" => Text(TextEmbed),
    "None" => None,
});

/// Website metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebsiteEmbed {
    /// URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// URL before redirects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_url: Option<String>,
    /// Special content (YouTube, Twitch, ...), kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special: Option<serde_json::Value>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageEmbed>,
    /// Video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoEmbed>,
    /// Site name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// Icon URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// Colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
}

/// An image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageEmbed {
    /// URL.
    pub url: String,
    /// Width.
    pub width: u64,
    /// Height.
    pub height: u64,
    /// Display size.
    pub size: ImageSize,
}

string_enum! {
    /// How an image embed is shown.
    pub enum ImageSize {
        /// Large.
        Large = "Large",
        /// Preview.
        Preview = "Preview",
    }
}

/// A video.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoEmbed {
    /// URL.
    pub url: String,
    /// Width.
    pub width: u64,
    /// Height.
    pub height: u64,
}

/// A text embed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEmbed {
    /// Icon URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<File>,
    /// Colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
}

/// An embed as sent with a message (`SendableEmbed`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendableEmbed {
    /// Icon URL (1..=128).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// URL (1..=256).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Title (1..=100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description (1..=2000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// File ID of an uploaded attachment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    /// Colour (1..=128).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
}
