//! `/sync/settings`, `/push` and `/policy`.

use axum::extract::State;
use axum::response::Response;
use ermine_model::auth::{FetchSettingsBody, UserSettings, WebPushSubscription};
use ermine_model::event::{ServerEvent, UserSettingsUpdate};
use serde::Deserialize;

use crate::http::{AppState, Caller, Json, Person, Query, Reply, SessionCaller, no_content};
use crate::lock;

/// `POST /sync/settings/fetch`: the keys asked for that have a value.
pub(crate) async fn fetch_settings(
    State(shared): State<AppState>,
    Person(caller): Person,
    Json(body): Json<FetchSettingsBody>,
) -> Reply<axum::Json<UserSettings>> {
    let world = lock(&shared.world);
    let stored = world.settings.get(&caller.user);
    let found = body
        .keys
        .into_iter()
        .filter_map(|k| Some((k.clone(), stored?.get(&k)?.clone())))
        .collect();
    Ok(axum::Json(found))
}

#[derive(Debug, Deserialize)]
pub(crate) struct SetOptions {
    #[serde(default)]
    timestamp: Option<i64>,
}

/// `POST /sync/settings/set`: every value stamped with `timestamp` (never later than the
/// server's clock); the account's sockets hear `UserSettingsUpdate`.
pub(crate) async fn set_settings(
    State(shared): State<AppState>,
    Person(caller): Person,
    Query(options): Query<SetOptions>,
    Json(values): Json<std::collections::HashMap<String, String>>,
) -> Reply<Response> {
    let now = shared.clock.now().unix_millis();
    let at = options.timestamp.map_or(now, |t| t.min(now));
    let mut world = lock(&shared.world);
    let stored = world.settings.entry(caller.user).or_default();
    let mut update = serde_json::Map::new();
    for (key, value) in values {
        update.insert(key.clone(), serde_json::json!([at, value]));
        stored.insert(key, (at, value));
    }
    shared.hub.send(
        [caller.user],
        &ServerEvent::UserSettingsUpdate(UserSettingsUpdate {
            id: caller.user,
            update: serde_json::Value::Object(update),
        }),
    );
    Ok(no_content())
}

/// `POST /push/subscribe`: stored on the session (this instance sends no pushes).
pub(crate) async fn subscribe(
    State(shared): State<AppState>,
    caller: SessionCaller,
    Json(subscription): Json<WebPushSubscription>,
) -> Reply<Response> {
    let mut world = lock(&shared.world);
    if let Some(session) = world.sessions.get_mut(&caller.session) {
        session.subscription = Some(subscription);
    }
    Ok(no_content())
}

/// `POST /push/unsubscribe`.
pub(crate) async fn unsubscribe(
    State(shared): State<AppState>,
    caller: SessionCaller,
) -> Reply<Response> {
    let mut world = lock(&shared.world);
    if let Some(session) = world.sessions.get_mut(&caller.session) {
        session.subscription = None;
    }
    Ok(no_content())
}

/// `POST /policy/acknowledge`: this instance announces no policy changes, so there is
/// nothing to record.
pub(crate) async fn acknowledge(_caller: Caller) -> Response {
    no_content()
}
