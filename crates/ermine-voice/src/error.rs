//! What can go wrong in a call.

use std::fmt;

/// Why a call could not be joined or ended. Match on the variants; the messages never contain
/// the token.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum VoiceError {
    /// The URL the server handed out is not a LiveKit URL (`ws`, `wss`, `http` or `https`).
    InvalidUrl(String),
    /// The signalling server could not be reached (DNS, TCP, TLS, or the WebSocket handshake).
    Unreachable(String),
    /// The signalling server refused the token (HTTP 401): it expired (Stoat's tokens are
    /// valid for seconds, so join at once) or was not signed by this server's key.
    TokenRejected(String),
    /// The room does not exist on the voice server (HTTP 404).
    NoRoom(String),
    /// The signalling server refused the connection with another status.
    Refused {
        /// HTTP status of the refusal.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The server sent something this client cannot read, or broke the protocol's order.
    Protocol(String),
    /// The media path (ICE and DTLS) could not be established or failed later.
    IceFailed,
    /// A WebRTC operation failed.
    Media(String),
    /// Audio could not be encoded (for instance a frame of the wrong length).
    Codec(String),
    /// A step did not finish within its time limit.
    TimedOut(&'static str),
    /// The signalling connection closed without the server saying why.
    SignalClosed,
    /// The server ended this participant's session.
    Removed(DisconnectReason),
    /// The call was already left.
    Closed,
}

impl fmt::Display for VoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidUrl(why) => write!(f, "not a voice server URL: {why}"),
            Self::Unreachable(why) => write!(f, "voice server unreachable: {why}"),
            Self::TokenRejected(why) => {
                write!(
                    f,
                    "voice token rejected (expired or not this server's): {why}"
                )
            }
            Self::NoRoom(why) => write!(f, "no such room on the voice server: {why}"),
            Self::Refused { status, message } => {
                write!(
                    f,
                    "voice server refused the connection ({status}): {message}"
                )
            }
            Self::Protocol(why) => write!(f, "voice protocol error: {why}"),
            Self::IceFailed => {
                f.write_str("the media connection could not be established or failed")
            }
            Self::Media(why) => write!(f, "media error: {why}"),
            Self::Codec(why) => write!(f, "audio codec error: {why}"),
            Self::TimedOut(what) => write!(f, "timed out: {what}"),
            Self::SignalClosed => f.write_str("the voice signalling connection closed"),
            Self::Removed(reason) => write!(f, "removed from the call: {reason:?}"),
            Self::Closed => f.write_str("the call was left"),
        }
    }
}

impl std::error::Error for VoiceError {}

impl From<webrtc::Error> for VoiceError {
    fn from(e: webrtc::Error) -> Self {
        Self::Media(e.to_string())
    }
}

/// Why the server ended a session (LiveKit's `DisconnectReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DisconnectReason {
    /// This client left.
    ClientInitiated,
    /// The same identity joined elsewhere (Stoat: the user joined from another device).
    DuplicateIdentity,
    /// The voice server is shutting down.
    ServerShutdown,
    /// Removed by the server's API (Stoat: disconnected or moved by a moderator).
    ParticipantRemoved,
    /// The room was deleted.
    RoomDeleted,
    /// The voice server lost track of this session.
    StateMismatch,
    /// Joining failed on the server's side.
    JoinFailure,
    /// The room closed.
    RoomClosed,
    /// The server gave no reason, or one this version does not know (its number).
    Other(i32),
}

impl DisconnectReason {
    pub(crate) fn from_wire(code: i32) -> Self {
        use livekit_protocol::DisconnectReason as W;
        match W::try_from(code) {
            Ok(W::ClientInitiated) => Self::ClientInitiated,
            Ok(W::DuplicateIdentity) => Self::DuplicateIdentity,
            Ok(W::ServerShutdown) => Self::ServerShutdown,
            Ok(W::ParticipantRemoved) => Self::ParticipantRemoved,
            Ok(W::RoomDeleted) => Self::RoomDeleted,
            Ok(W::StateMismatch) => Self::StateMismatch,
            Ok(W::JoinFailure) => Self::JoinFailure,
            Ok(W::RoomClosed) => Self::RoomClosed,
            _ => Self::Other(code),
        }
    }
}
