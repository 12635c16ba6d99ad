//! The people in a call and what they publish.

use ermine_model::id::UserId;
use ermine_model::user::User;
use livekit_protocol as wire;

/// Someone in the call. Stoat names each participant after its user: the identity is the
/// user's ID, the name `username#discriminator`, and the metadata the user object.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Participant {
    /// The voice server's ID of this session.
    pub sid: String,
    /// The identity in the token (on Stoat, the user's ID).
    pub identity: String,
    /// The Stoat user, when the identity is a user ID.
    pub user_id: Option<UserId>,
    /// The display name in the token (on Stoat, `username#discriminator`).
    pub name: String,
    /// The Stoat user as the server described it when the token was made, when the metadata
    /// is one.
    pub user: Option<Box<User>>,
    /// The metadata as sent.
    pub metadata: String,
    /// The tracks this participant publishes.
    pub tracks: Vec<Track>,
}

impl Participant {
    pub(crate) fn from_wire(info: &wire::ParticipantInfo) -> Self {
        Self {
            sid: info.sid.clone(),
            identity: info.identity.clone(),
            user_id: info.identity.parse().ok(),
            name: info.name.clone(),
            user: serde_json::from_str(&info.metadata).ok().map(Box::new),
            metadata: info.metadata.clone(),
            tracks: info.tracks.iter().map(Track::from_wire).collect(),
        }
    }

    /// The track with this ID, when this participant publishes it.
    pub fn track(&self, sid: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.sid == sid)
    }
}

/// A published track.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Track {
    /// The voice server's ID of the track.
    pub sid: String,
    /// The name its publisher gave it.
    pub name: String,
    /// Audio, video or data.
    pub kind: TrackKind,
    /// Where it comes from (microphone, camera, screen).
    pub source: TrackSource,
    /// Whether its publisher muted it.
    pub muted: bool,
}

impl Track {
    pub(crate) fn from_wire(info: &wire::TrackInfo) -> Self {
        Self {
            sid: info.sid.clone(),
            name: info.name.clone(),
            kind: match wire::TrackType::try_from(info.r#type) {
                Ok(wire::TrackType::Audio) => TrackKind::Audio,
                Ok(wire::TrackType::Video) => TrackKind::Video,
                _ => TrackKind::Data,
            },
            source: TrackSource::from_wire(info.source),
            muted: info.muted,
        }
    }
}

/// What a track carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackKind {
    /// Sound.
    Audio,
    /// Pictures.
    Video,
    /// Anything else (LiveKit's data tracks; Stoat removes participants who publish them).
    Data,
}

/// Where a track comes from; Stoat's voice states follow it (microphone → `is_publishing`,
/// camera → `camera`, screen → `screensharing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrackSource {
    /// Not said.
    Unknown,
    /// A camera.
    Camera,
    /// A microphone (any published voice).
    Microphone,
    /// A shared screen.
    ScreenShare,
    /// The sound of a shared screen.
    ScreenShareAudio,
}

impl TrackSource {
    pub(crate) fn from_wire(code: i32) -> Self {
        match wire::TrackSource::try_from(code) {
            Ok(wire::TrackSource::Camera) => Self::Camera,
            Ok(wire::TrackSource::Microphone) => Self::Microphone,
            Ok(wire::TrackSource::ScreenShare) => Self::ScreenShare,
            Ok(wire::TrackSource::ScreenShareAudio) => Self::ScreenShareAudio,
            _ => Self::Unknown,
        }
    }
}
