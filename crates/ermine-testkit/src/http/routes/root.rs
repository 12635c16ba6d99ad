//! `GET /`: the instance configuration.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::http::AppState;
use crate::world::limits::{DEFAULT, NEW_USER, NEW_USER_HOURS, UserLimits};

/// `GET /`.
pub(crate) async fn instance(State(shared): State<AppState>) -> Json<Value> {
    let config = &shared.config;
    let urls = &shared.urls;
    let limits = |set: &UserLimits| {
        json!({
            "outgoing_friend_requests": set.outgoing_friend_requests, "bots": set.bots,
            "message_length": config.message_length,
            "message_attachments": config.message_attachments,
            "servers": set.servers, "voice_quality": 16000, "video": true,
            "video_resolution": set.video_resolution, "video_aspect_ratio": [0.3, 2.5],
            "file_upload_size_limits": {
                "avatars": 4_000_000, "attachments": 20_000_000, "banners": 6_000_000,
                "icons": 2_500_000, "backgrounds": 6_000_000, "emojis": 500_000
            }
        })
    };
    let livekit_nodes = if let Some(node) = &config.livekit {
        json!([{ "name": node.name, "lat": 0.0, "lon": 0.0, "public_url": node.url }])
    } else if config.voice {
        json!([{ "name": "local", "lat": 0.0, "lon": 0.0, "public_url": format!("{}/livekit", urls.api.replacen("http", "ws", 1)) }])
    } else {
        json!([])
    };
    Json(json!({
        "revolt": config.version,
        "features": {
            "captcha": { "enabled": false, "key": "" },
            "email": false,
            "invite_only": false,
            "autumn": { "enabled": true, "url": urls.files },
            "january": { "enabled": false, "url": "" },
            "livekit": { "enabled": config.voice_enabled(), "nodes": livekit_nodes },
            "limits": {
                "global": {
                    "group_size": 100, "message_embeds": config.message_embeds,
                    "message_replies": config.message_replies, "message_reactions": 20,
                    "server_emoji": 100, "server_roles": 200, "server_channels": 200,
                    "body_limit_size": 20_000_000, "restrict_server_creation": [],
                    "new_user_hours": NEW_USER_HOURS
                },
                "new_user": limits(&NEW_USER),
                "default": limits(&DEFAULT)
            },
            "legal_links": { "terms_of_service": "", "privacy_policy": "", "guidelines": "" }
        },
        "ws": urls.events,
        "app": urls.api,
        "vapid": "",
        "build": {
            "commit_sha": "", "commit_timestamp": "", "semver": config.version,
            "origin_url": "", "timestamp": ""
        }
    }))
}
