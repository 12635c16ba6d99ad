//! A hasher for ULID keys: their low 80 bits are random, so folding the 128 bits is a good
//! hash and much cheaper than SipHash. Keys are IDs the server made, not attacker-chosen
//! strings, so flooding resistance is not needed.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Folds written integers; other input is mixed FNV-style.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_u128(&mut self, value: u128) {
        let [lo, hi] =
            [value, value >> 64].map(|v| u64::try_from(v & u128::from(u64::MAX)).unwrap_or(0));
        let folded = lo ^ hi.rotate_left(32);
        self.0 = (self.0.rotate_left(5) ^ folded).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by IDs.
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// A map keyed by IDs whose entries sit in one vector and whose hash table holds only their
/// positions: for large values (users), the table's power-of-two slack costs a few bytes per
/// entry instead of a whole entry's worth, so the bytes per entry stay flat from 10k to 1M.
/// (Members are small: with their 16-byte-aligned key and the stored hash, an entry would
/// grow from 48 to 64 bytes, more than the slack it saves below a million.)
pub(crate) type IdIndexMap<K, V> = indexmap::IndexMap<K, V, BuildHasherDefault<IdHasher>>;
