//! `POST /safety/report`.

use ermine_model::report::{ReportBody, ReportedContent};
use ermine_model::route;

use crate::options::RequestOptions;
use crate::request::{RawRequest, request};
use crate::validate::{self, ValidationError};
use crate::{Client, Error};

/// Reports a message, server or user to the instance's moderators.
///
/// # Errors
/// `FailedValidation`, `IsBot` (bots cannot report), `NotFound`, `CannotReportYourself`.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct ReportContent {
    client: Client,
    options: RequestOptions,
    body: ReportBody,
    error: Option<ValidationError>,
}

impl ReportContent {
    /// Context for the moderators (≤ 1000 characters).
    pub fn additional_context(mut self, context: &str) -> Self {
        if let Err(e) = validate::chars("additional_context", context, 0, 1000) {
            self.error.get_or_insert(e);
        }
        context.clone_into(&mut self.body.additional_context);
        self
    }

    fn build(&self) -> Result<RawRequest, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone().into());
        }
        RawRequest::new(&route::REPORT_CONTENT, [""; 0])?.json(&self.body)
    }
}

request!(ReportContent => ());

impl Client {
    /// Reports content.
    pub fn report(&self, content: ReportedContent) -> ReportContent {
        ReportContent {
            client: self.clone(),
            options: RequestOptions::default(),
            body: ReportBody {
                content,
                additional_context: String::new(),
            },
            error: None,
        }
    }
}
