//! What every handle known by its ID shares: `Debug` shows the ID (never the client), and
//! equality and hashing use the ID alone.

/// Implements `Debug`, `PartialEq`, `Eq` and `Hash` for a handle from its identifying fields.
macro_rules! identity {
    ($handle:ident { $($field:ident),+ }) => {
        impl std::fmt::Debug for $handle {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($handle))
                    $(.field(stringify!($field), &self.$field))+
                    .finish_non_exhaustive()
            }
        }

        impl PartialEq for $handle {
            fn eq(&self, other: &Self) -> bool {
                ($(self.$field,)+) == ($(other.$field,)+)
            }
        }

        impl Eq for $handle {}

        impl std::hash::Hash for $handle {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                ($(self.$field,)+).hash(state);
            }
        }
    };
}

pub(crate) use identity;
