//! The file server: `POST /{tag}` (multipart field `file`) and `GET /{tag}/{id}[/{name}]`.

use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ermine_model::error::ApiError;
use ermine_model::file::{File, FileMetadata, ImageMetadata, UploadedFile};

use crate::http::{AppState, Caller, Reply, fail, not_found};
use crate::lock;
use crate::world::FileRecord;

/// The tags the file server accepts, with their size limits in bytes.
const TAGS: [(&str, usize); 6] = [
    ("attachments", 20_000_000),
    ("avatars", 4_000_000),
    ("backgrounds", 6_000_000),
    ("icons", 2_500_000),
    ("banners", 6_000_000),
    ("emojis", 500_000),
];

/// Routes of the file server (mounted under `/autumn`).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/{tag}", post(upload))
        .route("/{tag}/{id}", get(download))
        .route("/{tag}/{id}/{name}", get(download_named))
}

/// Width and height of a PNG, GIF or JPEG, when the bytes say.
fn image_size(bytes: &[u8]) -> Option<(u64, u64)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 {
        let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
        let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
        return Some((u64::from(w), u64::from(h)));
    }
    if bytes.starts_with(b"GIF8") && bytes.len() >= 10 {
        let w = u16::from_le_bytes([bytes[6], bytes[7]]);
        let h = u16::from_le_bytes([bytes[8], bytes[9]]);
        return Some((u64::from(w), u64::from(h)));
    }
    None
}

async fn upload(
    State(shared): State<AppState>,
    caller: Caller,
    Path(tag): Path<String>,
    mut multipart: Multipart,
) -> Reply<axum::Json<UploadedFile>> {
    let limit = TAGS
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, l)| *l)
        .ok_or_else(|| fail(ApiError::FileTypeNotAllowed))?;
    let mut found = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| {
        fail(ApiError::FailedValidation {
            error: "malformed multipart body".to_owned(),
        })
    })? {
        if field.name() == Some("file") {
            let filename = field.file_name().unwrap_or("file").to_owned();
            let content_type = field
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            let bytes = field.bytes().await.map_err(|_| {
                fail(ApiError::FailedValidation {
                    error: "malformed multipart body".to_owned(),
                })
            })?;
            found = Some((filename, content_type, bytes));
            break;
        }
    }
    let (filename, content_type, bytes) = found.ok_or_else(|| {
        fail(ApiError::FailedValidation {
            error: "missing field `file`".to_owned(),
        })
    })?;
    if bytes.is_empty() {
        return Err(fail(ApiError::FileTooSmall));
    }
    if bytes.len() > limit {
        return Err(fail(ApiError::FileTooLarge { max: limit as u64 }));
    }
    let size = image_size(&bytes);
    if tag != "attachments" && size.is_none() {
        return Err(fail(ApiError::FileTypeNotAllowed));
    }
    let metadata = match size {
        Some((width, height)) => FileMetadata::Image(ImageMetadata {
            width,
            height,
            thumbhash: None,
            animated: None,
        }),
        None if content_type.starts_with("text/") => FileMetadata::Text,
        None => FileMetadata::File,
    };
    let content_type = match size {
        Some(_) if bytes.starts_with(b"GIF8") => "image/gif".to_owned(),
        Some(_) => "image/png".to_owned(),
        None => content_type,
    };
    let now = shared.clock.now();
    let mut world = lock(&shared.world);
    // The store is bounded (it lives in memory on developers' machines): past the configured
    // count or size, uploads are refused with 507 Insufficient Storage.
    let (max_files, max_bytes) = shared.config.upload_store;
    let stored: usize = world.files.values().map(|f| f.bytes.len()).sum();
    if world.files.len() >= max_files || stored + bytes.len() > max_bytes {
        return Err(crate::http::Fail::Framework(
            StatusCode::INSUFFICIENT_STORAGE,
        ));
    }
    let id = world.id::<()>(now).to_string();
    let file = File {
        id: id.clone(),
        tag: tag.clone(),
        filename,
        metadata,
        content_type,
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        deleted: None,
        reported: None,
        message_id: None,
        user_id: Some(caller.user.to_string()),
        server_id: None,
        object_id: None,
    };
    world.files.insert(
        id.clone(),
        FileRecord {
            file,
            bytes: bytes.to_vec(),
            used: false,
        },
    );
    Ok(axum::Json(UploadedFile { id }))
}

fn serve(shared: &AppState, tag: &str, id: &str) -> Reply<Response> {
    let world = lock(&shared.world);
    let record = world
        .files
        .get(id)
        .filter(|f| f.file.tag == tag)
        .ok_or_else(not_found)?;
    let mut response = (StatusCode::OK, record.bytes.clone()).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&record.file.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // An uploaded file never runs as a page on the server's origin: no sniffing, no
    // scripts, and anything but an image is a download.
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    if !matches!(record.file.metadata, FileMetadata::Image(_)) {
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment"),
        );
    }
    Ok(response)
}

async fn download(
    State(shared): State<AppState>,
    Path((tag, id)): Path<(String, String)>,
) -> Reply<Response> {
    serve(&shared, &tag, &id)
}

async fn download_named(
    State(shared): State<AppState>,
    Path((tag, id, _name)): Path<(String, String, String)>,
) -> Reply<Response> {
    serve(&shared, &tag, &id)
}
