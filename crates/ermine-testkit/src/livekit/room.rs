//! The local server's side of LiveKit, as Stoat runs it: `join_call` signs a token with the
//! node's key and creates the room through LiveKit's RoomService; LiveKit's signed webhooks
//! (`POST /voice-ingress/{node}` on the API address) become the voice states and events.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use data_encoding::BASE64;
use ermine_model::Timestamp;
use ermine_model::channel::Channel;
use ermine_model::event::{
    ChannelUser, ServerEvent, UserVoiceStateUpdate, VoiceChannelJoin, VoiceChannelMove,
};
use ermine_model::id::{ChannelId, UserId};
use ermine_model::message::{CallStarted, SystemMessage};
use ermine_model::user::{PartialUserVoiceState, UserVoiceState};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::LiveKitNode;
use crate::http::channel_audience;
use crate::{Shared, lock};

/// How long a `join_call` token is valid (the real server: 10 seconds).
const TOKEN_TTL: Duration = Duration::from_secs(10);

/// LiveKit's video grant, as its access tokens carry it.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VideoGrant {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    room_create: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    room_admin: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    room_join: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    room: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    can_publish: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    can_publish_data: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    can_publish_sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    can_subscribe: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    sub: String,
    nbf: u64,
    exp: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    metadata: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    video: Option<VideoGrant>,
    /// Webhooks: the body's SHA-256, base64.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    sha256: String,
}

/// Whom a participant token is for, and what it allows.
pub(crate) struct Grant<'a> {
    pub(crate) identity: UserId,
    pub(crate) name: String,
    pub(crate) metadata: String,
    pub(crate) room: ChannelId,
    pub(crate) sources: Vec<&'a str>,
    pub(crate) subscribe: bool,
}

fn unix_now() -> u64 {
    // LiveKit checks tokens against its own clock: this one is the machine's, not the
    // local server's (which tests may move).
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn sign(node: &LiveKitNode, sub: String, grant: VideoGrant, extra: (String, String)) -> String {
    let now = unix_now();
    let claims = Claims {
        iss: node.key.clone(),
        sub,
        nbf: now.saturating_sub(1),
        exp: now + TOKEN_TTL.as_secs(),
        name: extra.0,
        metadata: extra.1,
        video: Some(grant),
        sha256: String::new(),
    };
    // HS256 over a serializable struct cannot fail.
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(node.secret.as_bytes()),
    )
    .unwrap_or_default()
}

/// The token `join_call` answers with (the real server's grants).
pub(crate) fn participant_token(node: &LiveKitNode, grant: Grant<'_>) -> String {
    let video = VideoGrant {
        room_join: true,
        room: grant.room.to_string(),
        can_publish: Some(true),
        can_publish_data: Some(false),
        can_publish_sources: grant.sources.iter().map(|s| (*s).to_owned()).collect(),
        can_subscribe: Some(grant.subscribe),
        ..VideoGrant::default()
    };
    sign(
        node,
        grant.identity.to_string(),
        video,
        (grant.name, grant.metadata),
    )
}

/// Calls one of LiveKit's RoomService methods (Twirp, JSON).
async fn room_service(
    node: &LiveKitNode,
    method: &str,
    grant: VideoGrant,
    body: serde_json::Value,
) -> Result<serde_json::Value, String> {
    let token = sign(node, String::new(), grant, (String::new(), String::new()));
    let url = format!(
        "{}/twirp/livekit.RoomService/{method}",
        node.api_url.trim_end_matches('/')
    );
    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .map_err(|e| format!("LiveKit {method}: {e}"))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| format!("LiveKit {method}: {e}"))?;
    if !status.is_success() {
        return Err(format!("LiveKit {method}: {status} {text}"));
    }
    serde_json::from_str(&text).map_err(|e| format!("LiveKit {method}: {e}"))
}

/// Creates the channel's room (five minutes' empty timeout, the server in its metadata).
pub(crate) async fn create_room(node: &LiveKitNode, channel: &Channel) -> Result<(), String> {
    let room = channel.id().map(|c| c.to_string()).unwrap_or_default();
    let metadata = json!({ "server": channel.server().map(|s| s.to_string()) }).to_string();
    room_service(
        node,
        "CreateRoom",
        VideoGrant {
            room_create: true,
            ..VideoGrant::default()
        },
        json!({ "name": room, "empty_timeout": 300, "metadata": metadata }),
    )
    .await
    .map(drop)
}

/// Removes a user from a room (a forced disconnect).
pub(crate) async fn remove_participant(
    node: &LiveKitNode,
    room: ChannelId,
    user: UserId,
) -> Result<(), String> {
    room_service(
        node,
        "RemoveParticipant",
        VideoGrant {
            room_admin: true,
            room: room.to_string(),
            ..VideoGrant::default()
        },
        json!({ "room": room.to_string(), "identity": user.to_string() }),
    )
    .await
    .map(drop)
}

/// The webhook receiver's routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/{node}", post(ingress))
}

/// `POST /voice-ingress/{node}`: one signed LiveKit webhook.
async fn ingress(
    State(shared): State<Arc<Shared>>,
    Path(node): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Some(config) = shared.config.livekit.as_ref().filter(|n| n.name == node) else {
        tracing::warn!(%node, "a webhook for an unknown voice node");
        return StatusCode::NOT_FOUND;
    };
    let Some(auth) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return StatusCode::UNAUTHORIZED;
    };
    let token = auth.strip_prefix("Bearer ").unwrap_or(auth);
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[config.key.as_str()]);
    validation.set_required_spec_claims(&["iss"]);
    validation.validate_exp = false;
    let Ok(claims) = jsonwebtoken::decode::<Claims>(
        token,
        &DecodingKey::from_secret(config.secret.as_bytes()),
        &validation,
    ) else {
        tracing::warn!("a webhook with a bad signature; ignored");
        return StatusCode::UNAUTHORIZED;
    };
    if claims.claims.sha256 != BASE64.encode(&Sha256::digest(&body)) {
        tracing::warn!("a webhook whose body does not match its signature; ignored");
        return StatusCode::UNAUTHORIZED;
    }
    let event: livekit_protocol::WebhookEvent = match serde_json::from_slice(&body) {
        Ok(event) => event,
        Err(e) => {
            tracing::warn!(error = %e, "an unreadable webhook");
            return StatusCode::BAD_REQUEST;
        }
    };
    apply(&shared, config, &event).await;
    StatusCode::OK
}

/// What a webhook changes: the real server's voice ingress, event by event.
async fn apply(shared: &Shared, node: &LiveKitNode, event: &livekit_protocol::WebhookEvent) {
    let channel: Option<ChannelId> = event.room.as_ref().and_then(|r| r.name.parse().ok());
    let user: Option<UserId> = event
        .participant
        .as_ref()
        .and_then(|p| p.identity.parse().ok());
    let at = Timestamp::from_unix_millis(event.created_at.saturating_mul(1_000));
    match (event.event.as_str(), channel, user) {
        ("participant_joined", Some(channel), Some(user)) => joined(shared, channel, user, at),
        ("participant_left", Some(channel), Some(user)) => left(shared, channel, user),
        (
            kind @ ("track_published" | "track_unpublished" | "track_muted" | "track_unmuted"),
            Some(channel),
            Some(user),
        ) => {
            if let Some(track) = event.track.as_ref() {
                track_changed(shared, node, kind, channel, user, track).await;
            }
        }
        ("room_finished", Some(channel), _) => {
            lock(&shared.world).voice.retain(|_, c| *c != channel);
        }
        _ => {}
    }
}

/// `participant_joined`: the voice state, a join (or a move), and the call's start message
/// when the call was empty.
fn joined(shared: &Shared, channel: ChannelId, user: UserId, at: Timestamp) {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    let Some(target) = world.channels.get(&channel).cloned() else {
        return;
    };
    let state = UserVoiceState {
        id: user,
        joined_at: at,
        is_receiving: true,
        is_publishing: false,
        screensharing: false,
        camera: false,
    };
    let first = !world.voice.values().any(|c| *c == channel);
    let audience = channel_audience(shared, &world, &target, now);
    let event = match world.voice.insert(user, channel) {
        Some(from) if from != channel => ServerEvent::VoiceChannelMove(VoiceChannelMove {
            user,
            from,
            to: channel,
            state,
        }),
        _ => ServerEvent::VoiceChannelJoin(VoiceChannelJoin { id: channel, state }),
    };
    shared.hub.send(audience, &event);
    if first {
        let system = SystemMessage::CallStarted(CallStarted {
            by: user,
            finished_at: None,
        });
        crate::http::system_message(shared, &mut world, channel, system, now);
    }
}

/// `participant_left`: the state goes (unless it moved on meanwhile), and the leave is told.
fn left(shared: &Shared, channel: ChannelId, user: UserId) {
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    if world.voice.get(&user) == Some(&channel) {
        world.voice.remove(&user);
    }
    let Some(target) = world.channels.get(&channel).cloned() else {
        return;
    };
    let audience = channel_audience(shared, &world, &target, now);
    shared.hub.send(
        audience,
        &ServerEvent::VoiceChannelLeave(ChannelUser { id: channel, user }),
    );
}

/// `track_*`: the voice state's flag for the track's source; whoever publishes data is
/// removed, as the real server does.
async fn track_changed(
    shared: &Shared,
    node: &LiveKitNode,
    kind: &str,
    channel: ChannelId,
    user: UserId,
    track: &livekit_protocol::TrackInfo,
) {
    use livekit_protocol::{TrackSource, TrackType};
    if kind == "track_published" && track.r#type == TrackType::Data as i32 {
        if let Err(e) = remove_participant(node, channel, user).await {
            tracing::warn!(error = %e, "could not remove a participant who published data");
        }
        lock(&shared.world).voice.remove(&user);
        return;
    }
    let on = kind == "track_published" || kind == "track_unmuted";
    let mut data = PartialUserVoiceState::default();
    match TrackSource::try_from(track.source) {
        Ok(TrackSource::Camera) => data.camera = Some(on),
        Ok(TrackSource::Microphone) => data.is_publishing = Some(on),
        Ok(TrackSource::ScreenShare | TrackSource::ScreenShareAudio) => {
            data.screensharing = Some(on);
        }
        _ => {}
    }
    let now = shared.clock.now();
    let world = lock(&shared.world);
    let Some(target) = world.channels.get(&channel).cloned() else {
        return;
    };
    let audience = channel_audience(shared, &world, &target, now);
    shared.hub.send(
        audience,
        &ServerEvent::UserVoiceStateUpdate(UserVoiceStateUpdate {
            id: user,
            channel_id: channel,
            data,
        }),
    );
}
