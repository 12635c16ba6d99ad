//! `POST {files}/{tag}`: uploading a file to the file server.

use std::path::PathBuf;

use ermine_model::file::UploadedFile;
use reqwest::multipart::{Form, Part};

use crate::Client;
use crate::error::{Error, ErrorKind};
use crate::options::{RequestOptions, WithOptions};
use crate::request::FromBody;

/// Where a file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileSource {
    /// Bytes in memory, with a file name.
    Bytes {
        /// File name.
        filename: String,
        /// Content.
        bytes: Vec<u8>,
    },
    /// A file on disk.
    Path(PathBuf),
    /// A file already uploaded: its ID is used as it is.
    Id(String),
}

/// The file server's tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileTag {
    /// Message attachments.
    Attachments,
    /// User and member avatars.
    Avatars,
    /// Profile backgrounds.
    Backgrounds,
    /// Server and channel icons.
    Icons,
    /// Server banners.
    Banners,
    /// Custom emojis.
    Emojis,
}

impl FileTag {
    /// The tag as the file server names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Attachments => "attachments",
            Self::Avatars => "avatars",
            Self::Backgrounds => "backgrounds",
            Self::Icons => "icons",
            Self::Banners => "banners",
            Self::Emojis => "emojis",
        }
    }
}

/// Uploads a file; resolves to its ID. The file server's URL comes from the client
/// (set, or discovered from `GET /` on first use).
///
/// # Errors
/// `FileTooSmall`, `FileTooLarge`, `FileTypeNotAllowed`, transport errors; reading a path
/// that cannot be read is a [`ErrorKind::Build`] error.
#[must_use = "requests do nothing until awaited"]
#[derive(Debug)]
pub struct UploadFile {
    client: Client,
    options: RequestOptions,
    tag: FileTag,
    source: FileSource,
}

impl WithOptions for UploadFile {
    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

impl UploadFile {
    async fn send(self) -> Result<String, Error> {
        let (filename, bytes) = match self.source {
            FileSource::Id(id) => return Ok(id),
            FileSource::Bytes { filename, bytes } => (filename, bytes),
            FileSource::Path(path) => {
                let bytes = tokio::fs::read(&path)
                    .await
                    .map_err(|e| Error::new(ErrorKind::Build).with_source(e))?;
                let name = path
                    .file_name()
                    .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned());
                (name, bytes)
            }
        };
        let base = if let Some(url) = self.client.files_url() {
            url
        } else {
            self.client.discover().await?;
            self.client
                .files_url()
                .ok_or_else(|| Error::new(ErrorKind::Build))?
        };
        let path = format!("/{}", self.tag.as_str());
        let raw = crate::request::RawRequest::outside_api(
            ermine_model::route::Method::Post,
            path.clone(),
        );
        let mut options = self.options;
        options.base_url = Some(base);
        let prepared = self.client.prepare(&raw, &options)?;
        let mut request = self
            .client
            .http()
            .post(&prepared.url)
            .multipart(Form::new().part("file", Part::bytes(bytes).file_name(filename)));
        for (name, value) in &prepared.headers {
            if name != reqwest::header::CONTENT_TYPE {
                request = request.header(name, value);
            }
        }
        let timeout = options.timeout.unwrap_or_else(|| self.client.timeout());
        let answer = self
            .client
            .exchange(request, timeout)
            .await
            .map_err(|(error, _)| error)?;
        if let Some(error) = answer.error("POST", &path) {
            return Err(error);
        }
        let body = answer.body;
        UploadedFile::from_body(body).map(|f| f.id)
    }
}

impl std::future::IntoFuture for UploadFile {
    type Output = Result<String, Error>;
    type IntoFuture = crate::request::ResponseFuture<String>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Uploads a file under `tag`; resolves to the file's ID.
    pub fn upload_file(&self, tag: FileTag, source: FileSource) -> UploadFile {
        UploadFile {
            client: self.clone(),
            options: RequestOptions::default(),
            tag,
            source,
        }
    }
}
