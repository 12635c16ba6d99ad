//! `GET /`: the instance's configuration.

use ermine_model::instance::InstanceConfig;

use crate::Client;
use crate::request::{path_request, request};

path_request! {
    /// `GET /`: API version, features, events and file-server URLs. Needs no token.
    FetchInstance {} => InstanceConfig,
    ROOT
}

impl Client {
    /// The instance's configuration (`GET /`).
    pub fn fetch_instance(&self) -> FetchInstance {
        FetchInstance::new(self.clone())
    }
}
