//! LiveKit's signalling: protobuf messages over a WebSocket, one task reading and one writing.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use livekit_protocol as wire;
use prost::Message as _;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{self, Message};
use url::Url;

use crate::error::VoiceError;

/// The signalling protocol version this client speaks.
const PROTOCOL: &str = "15";

/// What the reading task hands the connection.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A message from the server (boxed: some are large).
    Message(Box<wire::signal_response::Message>),
    /// The connection ended (with the reason when it failed).
    Closed(Option<String>),
}

/// A joined signalling connection.
pub(crate) struct Signal {
    pub(crate) join: wire::JoinResponse,
    pub(crate) out: mpsc::Sender<wire::signal_request::Message>,
    pub(crate) incoming: mpsc::Receiver<Incoming>,
}

/// The signalling endpoint of a LiveKit URL: `ws`/`wss` (or `http`/`https`) with `/rtc`
/// appended to its path, whatever path it has.
pub(crate) fn signal_url(url: &str, auto_subscribe: bool) -> Result<Url, VoiceError> {
    let mut url = Url::parse(url).map_err(|e| VoiceError::InvalidUrl(e.to_string()))?;
    let scheme = match url.scheme() {
        "ws" | "http" => "ws",
        "wss" | "https" => "wss",
        other => return Err(VoiceError::InvalidUrl(format!("scheme {other}"))),
    };
    url.set_scheme(scheme)
        .map_err(|()| VoiceError::InvalidUrl("scheme".to_owned()))?;
    url.path_segments_mut()
        .map_err(|()| VoiceError::InvalidUrl("no path".to_owned()))?
        .pop_if_empty()
        .push("rtc");
    url.query_pairs_mut()
        .clear()
        .append_pair("auto_subscribe", if auto_subscribe { "1" } else { "0" })
        .append_pair("sdk", "rust")
        .append_pair("version", env!("CARGO_PKG_VERSION"))
        .append_pair("protocol", PROTOCOL)
        .append_pair("adaptive_stream", "0");
    Ok(url)
}

/// Connects and waits for the server's join answer. The token goes in the `Authorization`
/// header, never in the URL.
pub(crate) async fn connect(
    url: &str,
    token: &str,
    auto_subscribe: bool,
    limit: Duration,
) -> Result<Signal, VoiceError> {
    let url = signal_url(url, auto_subscribe)?;
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|e| VoiceError::InvalidUrl(e.to_string()))?;
    let mut bearer = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| VoiceError::TokenRejected("the token is not a header value".to_owned()))?;
    bearer.set_sensitive(true);
    request.headers_mut().insert("authorization", bearer);
    let (socket, _) = tokio::time::timeout(limit, tokio_tungstenite::connect_async(request))
        .await
        .map_err(|_| VoiceError::TimedOut("connecting to the voice server"))?
        .map_err(refusal)?;
    let (mut sink, mut stream) = socket.split();

    let join = tokio::time::timeout(limit, async {
        while let Some(frame) = stream.next().await {
            match frame.map_err(|e| VoiceError::Unreachable(e.to_string()))? {
                Message::Binary(bytes) => match decode(&bytes)? {
                    wire::signal_response::Message::Join(join) => return Ok(join),
                    wire::signal_response::Message::Leave(leave) => {
                        return Err(VoiceError::Removed(crate::DisconnectReason::from_wire(
                            leave.reason,
                        )));
                    }
                    other => {
                        tracing::debug!(?other, "message before the join answer; ignored");
                    }
                },
                Message::Close(_) => return Err(VoiceError::SignalClosed),
                _ => {}
            }
        }
        Err(VoiceError::SignalClosed)
    })
    .await
    .map_err(|_| VoiceError::TimedOut("the voice server's join answer"))??;

    let (out, mut outgoing) = mpsc::channel::<wire::signal_request::Message>(64);
    tokio::spawn(async move {
        while let Some(message) = outgoing.recv().await {
            let bytes = wire::SignalRequest {
                message: Some(message),
            }
            .encode_to_vec();
            if let Err(e) = sink.send(Message::Binary(bytes.into())).await {
                tracing::debug!(error = %e, "the voice signalling connection no longer takes messages");
                return;
            }
        }
        let _ = sink.close().await;
    });

    let (tx, incoming) = mpsc::channel(256);
    tokio::spawn(async move {
        let mut unreadable = 0u64;
        let end = loop {
            match stream.next().await {
                Some(Ok(Message::Binary(bytes))) => match decode(&bytes) {
                    Ok(message) => {
                        if tx.send(Incoming::Message(Box::new(message))).await.is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        unreadable += 1;
                        tracing::warn!(error = %e, unreadable, "unreadable signalling message; skipped");
                    }
                },
                Some(Ok(Message::Close(frame))) => {
                    break frame.map(|f| format!("closed: {} {}", f.code, f.reason));
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => break Some(e.to_string()),
                None => break None,
            }
        };
        let _ = tx.send(Incoming::Closed(end)).await;
    });

    Ok(Signal {
        join,
        out,
        incoming,
    })
}

fn decode(bytes: &[u8]) -> Result<wire::signal_response::Message, VoiceError> {
    wire::SignalResponse::decode(bytes)
        .map_err(|e| VoiceError::Protocol(format!("unreadable signalling message: {e}")))?
        .message
        .ok_or_else(|| VoiceError::Protocol("an empty signalling message".to_owned()))
}

/// A failed handshake as a typed error: LiveKit answers a bad or expired token with 401 and
/// a missing room with 404, each with a plain-text reason.
fn refusal(error: tungstenite::Error) -> VoiceError {
    let tungstenite::Error::Http(response) = error else {
        return VoiceError::Unreachable(error.to_string());
    };
    let status = response.status().as_u16();
    let message = response
        .body()
        .as_ref()
        .map(|b| String::from_utf8_lossy(b).trim().to_owned())
        .unwrap_or_default();
    match status {
        401 | 403 => VoiceError::TokenRejected(message),
        404 => VoiceError::NoRoom(message),
        _ => VoiceError::Refused { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_url_appends_rtc_to_any_path_and_keeps_no_token() {
        let cases = [
            ("ws://h:7880", "ws://h:7880/rtc"),
            ("http://h:7880/", "ws://h:7880/rtc"),
            (
                "https://voice.example/livekit",
                "wss://voice.example/livekit/rtc",
            ),
            (
                "wss://voice.example/livekit/",
                "wss://voice.example/livekit/rtc",
            ),
        ];
        for (given, expected) in cases {
            let url = signal_url(given, true).unwrap();
            assert_eq!(
                format!("{}://{}{}", url.scheme(), url.authority(), url.path()),
                expected
            );
            assert!(!url.as_str().contains("token"));
            assert!(url.query().unwrap().contains("auto_subscribe=1"));
        }
        assert!(matches!(
            signal_url("ftp://h", true),
            Err(VoiceError::InvalidUrl(_))
        ));
        assert!(matches!(
            signal_url("not a url", true),
            Err(VoiceError::InvalidUrl(_))
        ));
    }
}
