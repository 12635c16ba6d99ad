//! `GET /servers/{server}`.

use ermine_model::id::ServerId;
use ermine_model::route;
use ermine_model::server::FetchServerResponse;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::{Client, Error};

/// Fetches a server (roles, default permissions), optionally with its channels.
///
/// # Errors
/// `NotFound` when the server is unknown or the caller is not a member.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct FetchServer {
    client: Client,
    options: RequestOptions,
    server: ServerId,
    include_channels: Option<bool>,
}

impl FetchServer {
    /// Also returns the channels (as objects in `channels`).
    pub fn include_channels(mut self, include: bool) -> Self {
        self.include_channels = Some(include);
        self
    }

    #[allow(clippy::unnecessary_wraps)]
    fn build(&self) -> Result<RawRequest, Error> {
        let mut raw = RawRequest::new(&route::FETCH_SERVER, [self.server.to_string()])?;
        if let Some(include) = self.include_channels {
            raw = raw.query("include_channels", &include);
        }
        Ok(raw)
    }
}

request!(FetchServer => FetchServerResponse);

impl Client {
    /// Fetches a server.
    pub fn fetch_server(&self, server: ServerId) -> FetchServer {
        FetchServer {
            client: self.clone(),
            options: RequestOptions::default(),
            server,
            include_channels: None,
        }
    }
}
