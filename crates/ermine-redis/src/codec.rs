//! What goes into Redis: versioned msgpack (named fields, so optional fields may be absent),
//! one leading format byte.

use ermine_cache::CacheSnapshot;
use ermine_model::channel::Channel;
use ermine_model::event::ServerEvent;
use ermine_model::id::ServerId;
use ermine_model::member::{AllMemberResponse, Member};
use ermine_model::server::Server;
use ermine_model::user::User;
use serde::{Deserialize, Serialize};

/// The format byte every stored value starts with.
pub(crate) const FORMAT: u8 = 1;

/// A write to the cache, as the writer publishes it (borrowed).
#[derive(Debug, Serialize)]
pub(crate) enum OpRef<'a> {
    Event(&'a ServerEvent),
    Member(&'a Member),
    Members(&'a AllMemberResponse),
    User(&'a User),
    Server(&'a Server),
    Channel(&'a Channel),
    Replace(ServerId, &'a AllMemberResponse),
}

/// A write to the cache, as a follower reads it (same shape as [`OpRef`]).
// Decoded once and applied at once: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Deserialize)]
pub(crate) enum Op {
    Event(ServerEvent),
    Member(Member),
    Members(AllMemberResponse),
    User(User),
    Server(Server),
    Channel(Channel),
    Replace(ServerId, AllMemberResponse),
}

/// Why a stored value could not be read.
#[derive(Debug)]
pub(crate) enum DecodeError {
    /// Written by another format version.
    Format(Option<u8>),
    /// Not what the format says.
    Msgpack(rmp_serde::decode::Error),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Format(Some(v)) => write!(f, "stored with format {v}, this build reads {FORMAT}"),
            Self::Format(None) => f.write_str("empty value"),
            Self::Msgpack(e) => write!(f, "{e}"),
        }
    }
}

fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, rmp_serde::encode::Error> {
    let mut out = vec![FORMAT];
    value.serialize(&mut rmp_serde::Serializer::new(&mut out).with_struct_map())?;
    Ok(out)
}

fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, DecodeError> {
    match bytes.split_first() {
        Some((&FORMAT, rest)) => ermine_model::decode::msgpack(rest).map_err(DecodeError::Msgpack),
        other => Err(DecodeError::Format(other.map(|(v, _)| *v))),
    }
}

pub(crate) fn encode_op(op: &OpRef<'_>) -> Result<Vec<u8>, rmp_serde::encode::Error> {
    encode(op)
}

pub(crate) fn decode_op(bytes: &[u8]) -> Result<Op, DecodeError> {
    decode(bytes)
}

pub(crate) fn encode_record(
    record: &crate::events::EventRecordRef<'_>,
) -> Result<Vec<u8>, rmp_serde::encode::Error> {
    encode(record)
}

pub(crate) fn decode_record(bytes: &[u8]) -> Result<crate::events::EventRecord, DecodeError> {
    decode(bytes)
}

pub(crate) fn encode_snapshot(
    snapshot: &CacheSnapshot,
) -> Result<Vec<u8>, rmp_serde::encode::Error> {
    encode(snapshot)
}

pub(crate) fn decode_snapshot(bytes: &[u8]) -> Result<CacheSnapshot, DecodeError> {
    decode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_carry_their_format_and_round_trip() {
        let user: User = serde_json::from_str(
            r#"{"_id":"01M86CDGJKEQQDSY6RW2KHTPJQ","username":"bob","discriminator":"0042"}"#,
        )
        .unwrap();
        let bytes = encode_op(&OpRef::User(&user)).unwrap();
        assert_eq!(bytes[0], FORMAT);
        assert!(matches!(decode_op(&bytes), Ok(Op::User(u)) if u == user));
        let mut other = bytes.clone();
        other[0] = 2;
        assert!(matches!(
            decode_op(&other),
            Err(DecodeError::Format(Some(2)))
        ));
        assert!(matches!(decode_op(&[]), Err(DecodeError::Format(None))));
        assert!(matches!(
            decode_op(&[FORMAT, 0xc1]),
            Err(DecodeError::Msgpack(_))
        ));
    }
}
