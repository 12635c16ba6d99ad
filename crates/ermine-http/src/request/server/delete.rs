//! `DELETE /servers/{server}`: delete a server one owns, or leave it.

use ermine_model::id::ServerId;
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::{Client, Error};

/// Deletes the server when the caller owns it, otherwise leaves it.
///
/// # Errors
/// `NotFound`.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct DeleteServer {
    client: Client,
    options: RequestOptions,
    server: ServerId,
    leave_silently: Option<bool>,
}

impl DeleteServer {
    /// Leaves without the "user left" system message.
    pub fn leave_silently(mut self, silently: bool) -> Self {
        self.leave_silently = Some(silently);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        let raw = RawRequest::new(&route::DELETE_SERVER, [self.server.to_string()])?;
        Ok(match self.leave_silently {
            Some(silently) => raw.query("leave_silently", &silently),
            None => raw,
        })
    }
}

request!(DeleteServer => ());

impl Client {
    /// Deletes a server one owns, or leaves it.
    pub fn delete_server(&self, server: ServerId) -> DeleteServer {
        DeleteServer {
            client: self.clone(),
            options: RequestOptions::default(),
            server,
            leave_silently: None,
        }
    }
}
