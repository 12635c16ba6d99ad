//! Webhooks: `/channels/{channel}/webhooks` and `/webhooks/{webhook}[/{token}…]`.
//!
//! Routes that take a webhook's token carry it in the path, as the API requires; the
//! client never writes that path to logs or errors (they show `{token}` instead), and the
//! token never appears in `Debug` output.

use ermine_model::auth::Token;
use ermine_model::id::{ChannelId, MessageId, WebhookId};
use ermine_model::message::{Message, MessageEditBody, MessageSendBody};
use ermine_model::patch::Patch;
use ermine_model::permission::Permissions;
use ermine_model::route::{self, Route};
use ermine_model::webhook::{
    FieldsWebhook, Webhook, WebhookCreateBody, WebhookEditBody, WebhookInfo,
};
use serde::Serialize;

use crate::options::RequestOptions;
use crate::request::channel::message::send::message_setters;
use crate::request::{RawRequest, body_request, path_request, request};
use crate::validate::{self, ValidationError};
use crate::{Client, Error};

path_request! {
    /// A channel's webhooks, with their tokens.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageWebhooks`).
    FetchChannelWebhooks { channel: ChannelId } => Vec<Webhook>,
    FETCH_CHANNEL_WEBHOOKS
}

body_request! {
    /// Creates a webhook in a server channel or group.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `InvalidOperation` (a DM or saved messages);
    /// `MissingPermission` (`ManageWebhooks`).
    CreateWebhook { channel: ChannelId } => Webhook,
    CREATE_WEBHOOK, WebhookCreateBody
}

impl CreateWebhook {
    /// Its avatar: an unused file uploaded to `avatars`.
    pub fn avatar(mut self, file_id: &str) -> Self {
        self.body.avatar = Some(file_id.to_owned());
        self
    }
}

path_request! {
    /// A webhook, without its token.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ViewChannel`).
    FetchWebhook { webhook: WebhookId } => WebhookInfo,
    FETCH_WEBHOOK
}

path_request! {
    /// Deletes a webhook.
    ///
    /// # Errors
    /// `NotFound`; `MissingPermission` (`ManageWebhooks`).
    DeleteWebhook { webhook: WebhookId } => (),
    DELETE_WEBHOOK
}

/// Who a webhook request acts as: a member who may manage it, or the holder of its token.
#[derive(Debug, Clone)]
enum As {
    Manager,
    Holder(Token),
}

/// Edits a webhook: as a member who may manage it, or with its token.
///
/// # Errors
/// `FailedValidation`; `NotFound` (also a wrong token); `MissingPermission`
/// (`ManageWebhooks`).
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct EditWebhook {
    client: Client,
    options: RequestOptions,
    webhook: WebhookId,
    by: As,
    body: WebhookEditBody,
    error: Option<ValidationError>,
}

impl EditWebhook {
    /// Renames it (1..=32 characters).
    pub fn name(mut self, name: &str) -> Self {
        if let Err(e) = validate::chars("name", name, 1, 32) {
            self.error.get_or_insert(e);
        }
        self.body.name = Some(name.to_owned());
        self
    }

    /// Sets the avatar to an unused file uploaded to `avatars`, or clears it.
    pub fn avatar(mut self, file_id: Option<&str>) -> Self {
        let b = &mut self.body;
        Patch::from(file_id.map(str::to_owned)).write(
            &mut b.avatar,
            &mut b.remove,
            FieldsWebhook::Avatar,
        );
        self
    }

    /// What its messages may do.
    pub fn permissions(mut self, permissions: Permissions) -> Self {
        self.body.permissions = Some(permissions);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        match &self.by {
            As::Manager => RawRequest::new(&route::EDIT_WEBHOOK, [self.webhook.to_string()])?,
            As::Holder(token) => {
                holder(&route::EDIT_WEBHOOK_WITH_TOKEN, self.webhook, token, None)?
            }
        }
        .json(&self.body)
    }
}

request!(EditWebhook => Webhook);

/// A request made with a webhook's token, with an optional message and JSON body; the
/// shape shared by every token route.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct WithToken<B> {
    client: Client,
    options: RequestOptions,
    route: &'static Route,
    webhook: WebhookId,
    token: Token,
    message: Option<MessageId>,
    body: Option<B>,
    headers: http::HeaderMap,
    error: Option<ValidationError>,
}

/// The token route `route` of `webhook`, with `message` when the route names one.
fn holder(
    route: &'static Route,
    webhook: WebhookId,
    token: &Token,
    message: Option<MessageId>,
) -> Result<RawRequest, Error> {
    let mut parameters = vec![webhook.to_string(), token.expose().to_owned()];
    parameters.extend(message.map(|m| m.to_string()));
    RawRequest::new(route, parameters)
}

impl<B: Serialize> WithToken<B> {
    fn new(client: &Client, route: &'static Route, webhook: WebhookId, token: Token) -> Self {
        Self {
            client: client.clone(),
            options: RequestOptions::default(),
            route,
            webhook,
            token,
            message: None,
            body: None,
            headers: http::HeaderMap::new(),
            error: None,
        }
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        let mut raw = holder(self.route, self.webhook, &self.token, self.message)?;
        raw.headers.clone_from(&self.headers);
        match &self.body {
            Some(body) => raw.json(body),
            None => Ok(raw),
        }
    }
}

macro_rules! token_request {
    ($(#[$doc:meta])* $name:ident = WithToken<$body:ty> => $out:ty) => {
        $(#[$doc])*
        pub type $name = WithToken<$body>;

        impl crate::options::WithOptions for WithToken<$body> {
            fn options_mut(&mut self) -> &mut RequestOptions {
                &mut self.options
            }
        }

        impl WithToken<$body> {
            /// The request without the network (its path holds the token).
            pub fn raw(&self) -> Result<RawRequest, Error> {
                self.build()
            }

            /// The request exactly as it would be sent.
            pub fn prepare(&self) -> Result<crate::Prepared, Error> {
                self.client.prepare(&self.build()?, &self.options)
            }
        }

        impl ::std::future::IntoFuture for WithToken<$body> {
            type Output = Result<$out, Error>;
            type IntoFuture = crate::request::ResponseFuture<$out>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(async move {
                    let raw = self.build()?;
                    let body = self.client.execute(&raw, &self.options).await?;
                    <$out as crate::request::FromBody>::from_body(body)
                })
            }
        }
    };
}

token_request! {
    /// Sends a message as a webhook, with its token (the same content as
    /// [`SendMessage`](crate::request::channel::message::send::SendMessage); masquerade and
    /// flags need the webhook's permissions).
    ///
    /// # Errors
    /// As sending a message; `NotFound` for a wrong token.
    ExecuteWebhook = WithToken<MessageSendBody> => Message
}

impl WithToken<MessageSendBody> {
    message_setters!();

    fn body_mut(&mut self) -> &mut MessageSendBody {
        self.body.get_or_insert_with(MessageSendBody::default)
    }
}

token_request! {
    /// Edits a message the webhook sent, with its token.
    ///
    /// # Errors
    /// `FailedValidation`; `NotFound`; `CannotEditMessage` (not the webhook's).
    EditWebhookMessage = WithToken<MessageEditBody> => Message
}

impl WithToken<MessageEditBody> {
    /// The new content (≤ 2000 characters).
    pub fn content(mut self, content: &str) -> Self {
        if let Err(e) = validate::chars("content", content, 0, 2000) {
            self.error.get_or_insert(e);
        }
        self.body
            .get_or_insert_with(MessageEditBody::default)
            .content = Some(content.to_owned());
        self
    }
}

token_request! {
    /// A webhook, with its token.
    ///
    /// # Errors
    /// `NotFound` (also a wrong token).
    FetchWebhookWithToken = WithToken<()> => Webhook
}

token_request! {
    /// Delivers a GitHub event (`X-GitHub-Event` names it) to a webhook as a message.
    ///
    /// # Errors
    /// `NotFound`; `InvalidOperation` (an event it does not know).
    ExecuteGithubWebhook = WithToken<serde_json::Value> => ()
}

/// What a deletion with a webhook's token sends: no body. It marks the request type apart
/// from [`FetchWebhookWithToken`], which has no body either but answers the webhook.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Deletion;

token_request! {
    /// Deletes a webhook with its token, or a message it sent.
    ///
    /// # Errors
    /// `NotFound` (also a wrong token).
    DeleteWithToken = WithToken<Deletion> => ()
}

impl Client {
    /// Fetches a channel's webhooks.
    pub fn fetch_channel_webhooks(&self, channel: ChannelId) -> FetchChannelWebhooks {
        FetchChannelWebhooks::new(self.clone(), channel)
    }

    /// Creates a webhook named `name` (1..=32 characters) in a channel.
    pub fn create_webhook(&self, channel: ChannelId, name: &str) -> CreateWebhook {
        let body = WebhookCreateBody {
            name: name.to_owned(),
            avatar: None,
        };
        let mut request = CreateWebhook::with_body(self.clone(), channel, body);
        request.check(validate::chars("name", name, 1, 32));
        request
    }

    /// Fetches a webhook (without its token).
    pub fn fetch_webhook(&self, webhook: WebhookId) -> FetchWebhook {
        FetchWebhook::new(self.clone(), webhook)
    }

    /// Fetches a webhook with its token.
    pub fn fetch_webhook_with_token(
        &self,
        webhook: WebhookId,
        token: Token,
    ) -> FetchWebhookWithToken {
        WithToken::new(self, &route::FETCH_WEBHOOK_WITH_TOKEN, webhook, token)
    }

    /// Edits a webhook one may manage.
    pub fn edit_webhook(&self, webhook: WebhookId) -> EditWebhook {
        self.webhook_edit(webhook, As::Manager)
    }

    /// Edits a webhook with its token.
    pub fn edit_webhook_with_token(&self, webhook: WebhookId, token: Token) -> EditWebhook {
        self.webhook_edit(webhook, As::Holder(token))
    }

    fn webhook_edit(&self, webhook: WebhookId, by: As) -> EditWebhook {
        EditWebhook {
            client: self.clone(),
            options: RequestOptions::default(),
            webhook,
            by,
            body: WebhookEditBody::default(),
            error: None,
        }
    }

    /// Deletes a webhook one may manage.
    pub fn delete_webhook(&self, webhook: WebhookId) -> DeleteWebhook {
        DeleteWebhook::new(self.clone(), webhook)
    }

    /// Deletes a webhook with its token.
    pub fn delete_webhook_with_token(&self, webhook: WebhookId, token: Token) -> DeleteWithToken {
        WithToken::new(self, &route::DELETE_WEBHOOK_WITH_TOKEN, webhook, token)
    }

    /// Sends a message as a webhook.
    pub fn execute_webhook(&self, webhook: WebhookId, token: Token) -> ExecuteWebhook {
        let mut request = WithToken::new(self, &route::EXECUTE_WEBHOOK, webhook, token);
        request.body = Some(MessageSendBody::default());
        request
    }

    /// Delivers a GitHub event (`event`, e.g. `push`) with its payload to a webhook.
    pub fn execute_github_webhook(
        &self,
        webhook: WebhookId,
        token: Token,
        event: &str,
        payload: serde_json::Value,
    ) -> ExecuteGithubWebhook {
        let mut request = WithToken::new(self, &route::EXECUTE_GITHUB_WEBHOOK, webhook, token);
        request.body = Some(payload);
        match http::HeaderValue::from_str(event) {
            Ok(value) => {
                request.headers.insert("x-github-event", value);
            }
            Err(_) => {
                request.error = Some(validate::pattern_error(
                    "X-GitHub-Event",
                    "visible ASCII characters",
                ));
            }
        }
        request
    }

    /// Edits a message a webhook sent.
    pub fn edit_webhook_message(
        &self,
        webhook: WebhookId,
        token: Token,
        message: MessageId,
    ) -> EditWebhookMessage {
        let mut request = WithToken::new(self, &route::EDIT_WEBHOOK_MESSAGE, webhook, token);
        request.message = Some(message);
        request.body = Some(MessageEditBody::default());
        request
    }

    /// Deletes a message a webhook sent.
    pub fn delete_webhook_message(
        &self,
        webhook: WebhookId,
        token: Token,
        message: MessageId,
    ) -> DeleteWithToken {
        let mut request = WithToken::new(self, &route::DELETE_WEBHOOK_MESSAGE, webhook, token);
        request.message = Some(message);
        request
    }
}
