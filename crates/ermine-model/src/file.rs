//! Files stored on the file server (autumn).

use serde::{Deserialize, Serialize};

use crate::wire::tagged_enum;

/// A file on the file server: avatars, icons, banners, attachments.
///
/// File IDs are not ULIDs; they are opaque strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct File {
    /// Opaque file ID.
    #[serde(rename = "_id")]
    pub id: String,
    /// Bucket the file is in: `attachments`, `avatars`, `backgrounds`, `icons`, `banners`,
    /// `emojis`.
    pub tag: String,
    /// Original file name.
    pub filename: String,
    /// What kind of file it is.
    pub metadata: FileMetadata,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Whether the file was deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Whether the file was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported: Option<bool>,
    /// Message it is attached to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// User it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Server it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_id: Option<String>,
    /// Object it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
}

impl File {
    /// The display URL on the file server at `autumn_base` (`features.autumn.url` of the
    /// instance): `{base}/{tag}/{id}`. Images are re-encoded there; see [`File::original_url`]
    /// for the original bytes.
    pub fn url(&self, autumn_base: &str) -> String {
        format!(
            "{}/{}/{}",
            autumn_base.trim_end_matches('/'),
            self.tag,
            self.id
        )
    }

    /// The original file: `{base}/{tag}/{id}/original`.
    pub fn original_url(&self, autumn_base: &str) -> String {
        format!("{}/original", self.url(autumn_base))
    }
}

/// File metadata, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum FileMetadata {
    /// Any file.
    File,
    /// A text file.
    Text,
    /// An image.
    Image(ImageMetadata),
    /// A video.
    Video(VideoMetadata),
    /// An audio file.
    Audio,
    /// A kind this version does not know, kept as sent.
    #[serde(untagged)]
    Unknown(serde_json::Value),
}

tagged_enum!(FileMetadata, "type", {
    "File" => File,
    "Text" => Text,
    "Image" => Image(ImageMetadata),
    "Video" => Video(VideoMetadata),
    "Audio" => Audio,
});

/// Dimensions and preview of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageMetadata {
    /// Width in pixels.
    pub width: u64,
    /// Height in pixels.
    pub height: u64,
    /// A thumbhash of the image (written as `null` when absent, as the server does).
    #[serde(default)]
    pub thumbhash: Option<Vec<u8>>,
    /// Whether the image is animated (written as `null` when absent).
    #[serde(default)]
    pub animated: Option<bool>,
}

/// Dimensions of a video.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoMetadata {
    /// Width in pixels.
    pub width: u64,
    /// Height in pixels.
    pub height: u64,
}

/// Answer of the file server to an upload: `{"id": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedFile {
    /// ID to pass as `avatar`, `attachments`, ...
    pub id: String,
}
