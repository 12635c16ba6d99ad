//! Three states of an edited field: left alone, cleared, or set.

/// A field in an edit: [`Patch::Unset`] leaves it out of the request, [`Patch::Clear`]
/// removes the value (on Stoat: names it in the body's `remove` list), [`Patch::Set`] sends
/// a new value.
///
/// `Option<T>` converts with `None` meaning *clear*, so `Some(v)` sets and `None` clears, as
/// in the builders' setters; a setter never called leaves the field unset.
///
/// ```
/// use ermine_model::patch::Patch;
///
/// assert_eq!(Patch::from(Some("x")), Patch::Set("x"));
/// assert_eq!(Patch::<&str>::from(None), Patch::Clear);
/// assert_eq!(Patch::<&str>::default(), Patch::Unset);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Patch<T> {
    /// Leave the field as it is.
    #[default]
    Unset,
    /// Remove the field's value (reset it to the server's default).
    Clear,
    /// Set the field to this value.
    Set(T),
}

impl<T> Patch<T> {
    /// Whether the field is left alone.
    pub const fn is_unset(&self) -> bool {
        matches!(self, Self::Unset)
    }

    /// The value to set, if any.
    pub const fn as_set(&self) -> Option<&T> {
        match self {
            Self::Set(v) => Some(v),
            _ => None,
        }
    }

    /// Borrows the value to set.
    pub const fn as_ref(&self) -> Patch<&T> {
        match self {
            Self::Unset => Patch::Unset,
            Self::Clear => Patch::Clear,
            Self::Set(v) => Patch::Set(v),
        }
    }

    /// Maps the value to set.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Self::Unset => Patch::Unset,
            Self::Clear => Patch::Clear,
            Self::Set(v) => Patch::Set(f(v)),
        }
    }
}

impl<T> Patch<T> {
    /// Writes the edit into a request body: [`Set`](Self::Set) fills `slot` and takes `field`
    /// off the body's `remove` list, [`Clear`](Self::Clear) empties `slot` and names `field`
    /// in `remove`, [`Unset`](Self::Unset) does neither. A later write replaces an earlier one.
    ///
    /// ```
    /// use ermine_model::member::{FieldsMember, MemberEditBody};
    /// use ermine_model::patch::Patch;
    ///
    /// let mut body = MemberEditBody::default();
    /// Patch::Clear.write(&mut body.nickname, &mut body.remove, FieldsMember::Nickname);
    /// assert_eq!(body.remove, [FieldsMember::Nickname]);
    /// Patch::Set("Bob".to_owned()).write(&mut body.nickname, &mut body.remove, FieldsMember::Nickname);
    /// assert_eq!((body.nickname.as_deref(), body.remove.len()), (Some("Bob"), 0));
    /// ```
    pub fn write<F: PartialEq>(self, slot: &mut Option<T>, remove: &mut Vec<F>, field: F) {
        remove.retain(|f| *f != field);
        match self {
            Self::Unset => *slot = None,
            Self::Clear => {
                *slot = None;
                remove.push(field);
            }
            Self::Set(v) => *slot = Some(v),
        }
    }
}

impl<T> From<Option<T>> for Patch<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Clear, Self::Set)
    }
}
