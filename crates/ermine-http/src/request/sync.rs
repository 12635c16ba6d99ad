//! `/sync`, `/push` and `/policy`: settings kept on the server, unread state, web-push
//! subscriptions, and acknowledging policy changes.

use std::collections::HashMap;

use ermine_model::Timestamp;
use ermine_model::auth::{FetchSettingsBody, UserSettings, WebPushSubscription};
use ermine_model::channel::ChannelUnread;
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, body_request, path_request, request};
use crate::{Client, Error};

body_request! {
    /// The values of some settings keys, each with when it last changed.
    ///
    /// # Errors
    /// `IsBot`.
    FetchSettings {} => UserSettings,
    FETCH_SETTINGS, FetchSettingsBody
}

/// Stores settings (key → value, values usually JSON text); `UserSettingsUpdate` reaches the
/// account's other sessions.
///
/// # Errors
/// `IsBot`.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct SetSettings {
    client: Client,
    options: RequestOptions,
    values: HashMap<String, String>,
    timestamp: Option<Timestamp>,
}

impl SetSettings {
    /// When the change was made (the server's clock otherwise); an older change than the
    /// stored one is kept out.
    pub fn timestamp(mut self, at: Timestamp) -> Self {
        self.timestamp = Some(at);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        let raw = RawRequest::new(&route::SET_SETTINGS, [""; 0])?;
        let raw = match self.timestamp {
            Some(at) => raw.query("timestamp", &at.unix_millis()),
            None => raw,
        };
        raw.json(&self.values)
    }
}

request!(SetSettings => ());

path_request! {
    /// The read state of every channel.
    ///
    /// # Errors
    /// `IsBot`.
    FetchUnreads {} => Vec<ChannelUnread>,
    FETCH_UNREADS
}

body_request! {
    /// Subscribes the session to web push.
    ///
    /// # Errors
    /// `InvalidSession`.
    PushSubscribe {} => (),
    PUSH_SUBSCRIBE, WebPushSubscription
}

path_request! {
    /// Ends the session's web-push subscription.
    ///
    /// # Errors
    /// `InvalidSession`.
    PushUnsubscribe {} => (),
    PUSH_UNSUBSCRIBE
}

path_request! {
    /// Acknowledges the policy changes Ready announced.
    ///
    /// # Errors
    /// `InvalidSession`.
    AcknowledgePolicyChanges {} => (),
    ACKNOWLEDGE_POLICY_CHANGES
}

impl Client {
    /// Fetches settings by key.
    pub fn fetch_settings(&self, keys: &[&str]) -> FetchSettings {
        let body = FetchSettingsBody {
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        };
        FetchSettings::with_body(self.clone(), body)
    }

    /// Stores settings.
    pub fn set_settings(&self, values: HashMap<String, String>) -> SetSettings {
        SetSettings {
            client: self.clone(),
            options: RequestOptions::default(),
            values,
            timestamp: None,
        }
    }

    /// Fetches the read state of every channel.
    pub fn fetch_unreads(&self) -> FetchUnreads {
        FetchUnreads::new(self.clone())
    }

    /// Subscribes the session to web push.
    pub fn push_subscribe(&self, subscription: WebPushSubscription) -> PushSubscribe {
        PushSubscribe::with_body(self.clone(), subscription)
    }

    /// Ends the session's web-push subscription.
    pub fn push_unsubscribe(&self) -> PushUnsubscribe {
        PushUnsubscribe::new(self.clone())
    }

    /// Acknowledges policy changes.
    pub fn acknowledge_policy_changes(&self) -> AcknowledgePolicyChanges {
        AcknowledgePolicyChanges::new(self.clone())
    }
}
