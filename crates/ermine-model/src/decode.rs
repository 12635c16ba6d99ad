//! Decoding bytes received from the network, with the bounds every decoder of ermine applies:
//! nesting is limited (serde_json's 128 levels for JSON, [`MAX_DEPTH`] for msgpack) and
//! [`Bulk`](crate::event::Bulk) events nest at most [`MAX_BULK_NESTING`](crate::event::MAX_BULK_NESTING)
//! deep, so hostile input cannot exhaust the stack in any build profile.

use serde::Deserialize;

/// Deepest nesting of arrays, maps and extensions accepted in msgpack input. Stoat's payloads
/// nest less than 10 deep; rmp-serde's own default (1,024) is far beyond what a thread's stack
/// holds when every level is an event.
pub const MAX_DEPTH: usize = 64;

/// Decodes JSON (serde_json limits nesting to 128).
pub fn json<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// Decodes JSON already known to be UTF-8 (a WebSocket text frame is checked on receipt), so
/// its strings are not checked again.
pub fn json_str<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}

/// Decodes msgpack with nesting limited to [`MAX_DEPTH`].
#[cfg(feature = "msgpack")]
#[cfg_attr(docsrs, doc(cfg(feature = "msgpack")))]
pub fn msgpack<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, rmp_serde::decode::Error> {
    let mut deserializer = rmp_serde::Deserializer::from_read_ref(bytes);
    deserializer.set_max_depth(MAX_DEPTH);
    T::deserialize(&mut deserializer)
}
