//! `POST /servers/create`.

use ermine_model::server::{CreateServerResponse, ServerCreateBody};

use crate::Client;
use crate::request::{body_request, request};
use crate::validate;

body_request! {
    /// Creates a server owned by the caller, with one text channel (`General`).
    ///
    /// # Errors
    /// `FailedValidation`; `IsBot` (bots cannot create servers); `TooManyServers`.
    CreateServer {} => CreateServerResponse,
    CREATE_SERVER, ServerCreateBody
}

impl CreateServer {
    /// The description (≤ 1024 characters).
    pub fn description(mut self, description: &str) -> Self {
        self.check(validate::chars("description", description, 0, 1024));
        self.body.description = Some(description.to_owned());
        self
    }

    /// Marks it age-restricted.
    pub fn nsfw(mut self, nsfw: bool) -> Self {
        self.body.nsfw = Some(nsfw);
        self
    }
}

impl Client {
    /// Creates a server named `name` (1..=32 characters).
    pub fn create_server(&self, name: &str) -> CreateServer {
        let body = ServerCreateBody {
            name: name.to_owned(),
            ..ServerCreateBody::default()
        };
        let mut request = CreateServer::with_body(self.clone(), body);
        request.check(validate::chars("name", name, 1, 32));
        request
    }
}
