//! Stoat voice in pure Rust: joins the LiveKit room a Stoat server hands out with
//! `join_call`, publishes PCM audio as an Opus track and hands back what the others publish
//! as decoded PCM.
//!
//! A Stoat server answers `POST /channels/{id}/join_call` with a LiveKit URL and a token that
//! is valid for a few seconds; [`VoiceConnection::connect`] takes both and joins at once.
//! The pieces are LiveKit's signalling (protobuf over a WebSocket, crate `livekit-protocol`),
//! WebRTC peer connections (crate `webrtc`) and an Opus codec (crate `opus-rs`), all Rust:
//! nothing is downloaded or linked at build time.
//!
//! ```no_run
//! # async fn demo(url: &str, token: &str) -> Result<(), ermine_voice::VoiceError> {
//! use ermine_voice::{AudioFrame, VoiceConnection, VoiceEvent, VoiceOptions};
//!
//! let mut call = VoiceConnection::connect(url, token, VoiceOptions::default()).await?;
//! for p in call.participants() {
//!     println!("in the call: {} ({})", p.name, p.identity);
//! }
//! // Everyone's audio, decoded (48 kHz mono, 20 ms frames).
//! let mut heard = call.audio();
//! // A track of our own: frames sent are encoded and paced in real time.
//! let mut mic = call.publish_audio("microphone").await?;
//! mic.send(&AudioFrame::silence()).await?;
//! while let Some(event) = call.next_event().await {
//!     match event {
//!         VoiceEvent::ParticipantJoined(p) => println!("{} joined", p.name),
//!         VoiceEvent::Disconnected(why) => { println!("left: {why}"); break; }
//!         _ => {}
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Every failure is a [`VoiceError`] (an expired token, a room that does not exist, a media
//! path that could not be established, a signalling connection that dropped); a malformed
//! frame from the server or a packet that does not decode is counted and skipped, never a
//! panic.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod audio;
mod connection;
mod error;
mod media;
mod participant;
mod signal;

pub use audio::{
    AudioFrame, AudioPublisher, AudioStream, FRAME_SAMPLES, ReceivedAudio, SAMPLE_RATE, Tone,
    rms_level, tone_frequency,
};
pub use connection::{ConnectionState, VoiceConnection, VoiceEvent, VoiceOptions};
pub use error::{DisconnectReason, VoiceError};
pub use participant::{Participant, Track, TrackKind, TrackSource};
