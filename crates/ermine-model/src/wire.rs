//! Serde building blocks shared by the models: string enums that keep unknown values,
//! bit sets that keep unknown bits, internally tagged enums that keep unknown variants, and
//! the `skip_serializing_if` predicates that mirror the server's omissions.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, MapAccess, Visitor};

/// A string enum whose unknown values are kept in an `Unknown(Box<str>)` variant.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of ermine does not know, kept as sent.
            Unknown(Box<str>),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant,)+];

            /// The wire name of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown(other) => other,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $($wire => $name::$variant,)+
                    other => $name::Unknown(other.into()),
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = $crate::wire::deserialize_str(deserializer)?;
                Ok(match s.parse() {
                    Ok(v) => v,
                    Err(never) => match never {},
                })
            }
        }
    };
}
pub(crate) use string_enum;

/// Serde for a `bitflags` type as its integer, keeping unknown bits.
macro_rules! bitflags_serde {
    ($name:ident, $repr:ty) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.bits(), serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let bits: $repr = $crate::wire::deserialize_bits(deserializer)?;
                Ok(Self::from_bits_retain(bits))
            }
        }
    };
}
pub(crate) use bitflags_serde;

/// A string read without copying when the format can lend it (JSON without escapes).
pub(crate) struct Str<'de>(pub(crate) std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(std::borrow::Cow::Owned(v)))
            }
            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Str<'de>, E> {
                std::str::from_utf8(v)
                    .map(|s| Str(std::borrow::Cow::Borrowed(s)))
                    .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Str<'de>, E> {
                String::from_utf8(v.to_vec())
                    .map(|s| Str(std::borrow::Cow::Owned(s)))
                    .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

/// Reads a string whether the format lends it, borrows it or hands it over.
pub(crate) fn deserialize_str<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    <Str<'de> as serde::Deserialize<'de>>::deserialize(deserializer).map(|s| s.0)
}

/// Integer types a bit set may be read into: any integer whose two's-complement bits fit.
pub(crate) trait Bits: Sized {
    fn from_i64(v: i64) -> Option<Self>;
    fn from_u64(v: u64) -> Option<Self>;
}

impl Bits for u64 {
    fn from_i64(v: i64) -> Option<Self> {
        // Permission values travel as i64; negative ones are the same bits.
        Some(v.cast_unsigned())
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v)
    }
}

impl Bits for u32 {
    fn from_i64(v: i64) -> Option<Self> {
        // i32 fields (flags) may arrive negative; keep the bits.
        i32::try_from(v)
            .map(i32::cast_unsigned)
            .ok()
            .or_else(|| u32::try_from(v).ok())
    }
    fn from_u64(v: u64) -> Option<Self> {
        u32::try_from(v).ok()
    }
}

/// Reads an integer bit set from a signed or unsigned number.
pub(crate) fn deserialize_bits<'de, D: Deserializer<'de>, T: Bits>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct BitsVisitor<T>(std::marker::PhantomData<T>);
    impl<T: Bits> Visitor<'_> for BitsVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer bit set")
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            T::from_i64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            T::from_u64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            // Some JSON encoders write large integers as floats; accept exact integers only.
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_precision_loss,
                clippy::cast_sign_loss
            )]
            if v.fract() == 0.0 && v >= -(2f64.powi(63)) && v < 2f64.powi(64) {
                if v < 0.0 {
                    return self.visit_i64(v as i64);
                }
                return self.visit_u64(v as u64);
            }
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
    deserializer.deserialize_any(BitsVisitor(std::marker::PhantomData))
}

/// An internally tagged enum (`{"<TAG>": "Variant", ...fields}`) that reads its variant from
/// the remaining fields and keeps unknown variants.
///
/// Deserialization reads the tag first when it is the first key, which is how the server
/// writes every such object, and then hands the rest of the map straight to the variant's
/// type without buffering. When the tag comes later the object is buffered once into a JSON
/// value.
pub(crate) trait Tagged: Sized {
    /// Name of the tag field.
    const TAG: &'static str;
    /// Builds the variant named `tag` from the object's other fields.
    fn from_fields<'de, D: Deserializer<'de>>(tag: &str, fields: D) -> Result<Self, D::Error>;
}

/// `Deserialize` for a [`Tagged`] type.
pub(crate) fn deserialize_tagged<'de, T: Tagged, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct TaggedVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: Tagged> Visitor<'de> for TaggedVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "an object with a {:?} field", T::TAG)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let Some(Str(first)) = map.next_key::<Str<'de>>()? else {
                return Err(de::Error::missing_field(T::TAG));
            };
            if first == T::TAG {
                let Str(tag) = map.next_value::<Str<'de>>()?;
                return T::from_fields(&tag, de::value::MapAccessDeserializer::new(map));
            }
            let first = first.into_owned();
            // Slow path: buffer the whole object, then look the tag up.
            let mut object = serde_json::Map::new();
            let value: serde_json::Value = map.next_value()?;
            object.insert(first, value);
            while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                object.insert(k, v);
            }
            let Some(tag) = object.remove(T::TAG) else {
                return Err(de::Error::missing_field(T::TAG));
            };
            let serde_json::Value::String(tag) = tag else {
                return Err(de::Error::custom(format_args!(
                    "{:?} must be a string",
                    T::TAG
                )));
            };
            T::from_fields(&tag, serde_json::Value::Object(object)).map_err(de::Error::custom)
        }
    }

    deserializer.deserialize_map(TaggedVisitor(std::marker::PhantomData))
}

/// Reads the remaining fields of a tagged object as a raw JSON object and puts the tag back,
/// for `Unknown` variants.
pub(crate) fn raw_with_tag<'de, D: Deserializer<'de>>(
    tag_name: &str,
    tag: &str,
    fields: D,
) -> Result<serde_json::Value, D::Error> {
    let mut object: serde_json::Map<String, serde_json::Value> =
        serde::Deserialize::deserialize(fields)?;
    object.insert(
        tag_name.to_owned(),
        serde_json::Value::String(tag.to_owned()),
    );
    Ok(serde_json::Value::Object(object))
}

/// Reads and discards the remaining fields of a tagged object (for unit variants).
pub(crate) fn ignore_fields<'de, D: Deserializer<'de>>(fields: D) -> Result<(), D::Error> {
    fields.deserialize_ignored_any(de::IgnoredAny).map(|_| ())
}

/// Field is `true` (server omits `can_publish`/`can_receive` when true).
#[allow(clippy::trivially_copy_pass_by_ref)]
pub(crate) fn is_true(v: &bool) -> bool {
    *v
}

/// Field is `false`.
#[allow(clippy::trivially_copy_pass_by_ref)]
pub(crate) fn is_false(v: &bool) -> bool {
    !*v
}

/// Default for fields that mean `true` when absent.
pub(crate) fn default_true() -> bool {
    true
}

/// Implements `Deserialize` through [`Tagged`] and `from_fields` by a variant table.
///
/// Each arm: `"Wire" => Variant(Type)` for a variant holding a type read from the fields,
/// `"Wire" => Variant` for a unit variant. Unknown tags become `Unknown(serde_json::Value)`.
macro_rules! tagged_enum {
    ($name:ident, $tag:literal, { $($wire:literal => $variant:ident $(($ty:ty))?,)+ }) => {
        impl $crate::wire::Tagged for $name {
            const TAG: &'static str = $tag;

            fn from_fields<'de, D: ::serde::Deserializer<'de>>(tag: &str, fields: D) -> Result<Self, D::Error> {
                match tag {
                    $($wire => $crate::wire::tagged_enum!(@build $name, $variant, fields $(, $ty)?),)+
                    other => Ok($name::Unknown($crate::wire::raw_with_tag($tag, other, fields)?)),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::wire::deserialize_tagged(deserializer)
            }
        }
    };
    (@build $name:ident, $variant:ident, $fields:ident, $ty:ty) => {
        <$ty as ::serde::Deserialize>::deserialize($fields).map($name::$variant)
    };
    (@build $name:ident, $variant:ident, $fields:ident) => {
        $crate::wire::ignore_fields($fields).map(|()| $name::$variant)
    };
}
pub(crate) use tagged_enum;
