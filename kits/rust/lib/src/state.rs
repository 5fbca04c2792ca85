//! State across hot swaps: the `State` trait, the global that holds it, and the default
//! versioned encoding (`versioned_state!`).
//!
//! The host takes `save_state()` bytes from the old instance and offers them to the new
//! one's `restore_state`; a refusal (non-zero) keeps the new instance's fresh state. So a
//! decoder must refuse anything it cannot read exactly rather than guess.

use std::sync::Mutex;

/// A value that survives a hot swap as bytes.
pub trait State: Sized {
    fn encode(&self) -> Vec<u8>;
    /// The value, or `None` to refuse the bytes (wrong version, wrong length, bad data).
    fn decode(bytes: &[u8]) -> Option<Self>;
}

/// A global value, created on first use: what `state!` declares. Wasm guests are
/// single-threaded; the mutex keeps it safe Rust (and correct in native unit tests).
pub struct Global<T> {
    cell: Mutex<Option<T>>,
    init: fn() -> T,
}

impl<T> Global<T> {
    pub const fn new(init: fn() -> T) -> Global<T> {
        Global { cell: Mutex::new(None), init }
    }

    /// Run `f` on the value. Do not call `with` on the same global from inside `f`.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // panic = "abort" guests never poison the lock; a native test that panicked may have.
        let mut guard = self.cell.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(guard.get_or_insert_with(self.init))
    }

    pub fn get(&self) -> T
    where
        T: Clone,
    {
        self.with(|v| v.clone())
    }

    pub fn set(&self, value: T) {
        self.with(|v| *v = value)
    }
}

impl<T: State> Global<T> {
    /// The body of `save_state`.
    pub fn save(&self) -> u64 {
        crate::abi::give(self.with(|v| v.encode()))
    }

    /// The body of `restore_state`: 0 and the value replaced, or 1 and nothing changed.
    ///
    /// # Safety
    /// `ptr`/`len` must be the block the host wrote.
    pub unsafe fn restore(&self, ptr: *const u8, len: usize) -> i32 {
        match T::decode(crate::abi::argument(ptr, len)) {
            Some(value) => {
                self.set(value);
                0
            }
            None => 1,
        }
    }
}

/// The default encoding's writer: a version byte, then each field little-endian.
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub fn versioned(version: u8) -> Writer {
        Writer { bytes: vec![version] }
    }
    pub fn put(&mut self, field: &impl Field) -> &mut Writer {
        field.put(self);
        self
    }
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes)
    }
    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// The default encoding's reader: every read is checked, and `end` refuses leftovers.
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// `None` unless the bytes start with `version`.
    pub fn versioned(bytes: &'a [u8], version: u8) -> Option<Reader<'a>> {
        match bytes.split_first() {
            Some((&v, rest)) if v == version => Some(Reader { rest }),
            _ => None,
        }
    }
    pub fn take<T: Field>(&mut self) -> Option<T> {
        T::take(self)
    }
    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Some(head)
    }
    pub fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.bytes(N)?.try_into().ok()
    }
    /// `Some(())` only if every byte was read.
    pub fn end(self) -> Option<()> {
        self.rest.is_empty().then(|| ())
    }
}

/// A field of the default encoding. Integers and floats are fixed-width little-endian
/// (`usize` as u64, so 32- and 64-bit builds agree), bool one byte 0/1, strings and vectors a
/// u32 LE count then the items, Option a 0/1 byte then the value.
pub trait Field: Sized {
    fn put(&self, w: &mut Writer);
    fn take(r: &mut Reader<'_>) -> Option<Self>;
}

macro_rules! fixed {
    ($($t:ty),*) => {$(
        impl Field for $t {
            fn put(&self, w: &mut Writer) {
                w.bytes(&self.to_le_bytes())
            }
            fn take(r: &mut Reader<'_>) -> Option<$t> {
                Some(<$t>::from_le_bytes(r.array()?))
            }
        }
    )*};
}
fixed!(u8, u16, u32, u64, i8, i16, i32, i64, f32, f64);

impl Field for usize {
    fn put(&self, w: &mut Writer) {
        (*self as u64).put(w)
    }
    fn take(r: &mut Reader<'_>) -> Option<usize> {
        usize::try_from(u64::take(r)?).ok()
    }
}

impl Field for bool {
    fn put(&self, w: &mut Writer) {
        w.bytes(&[u8::from(*self)])
    }
    fn take(r: &mut Reader<'_>) -> Option<bool> {
        match u8::take(r)? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

fn put_len(len: usize, w: &mut Writer) {
    // A state over 4 GiB cannot exist in a wasm32 guest.
    (len as u32).put(w)
}

impl Field for String {
    fn put(&self, w: &mut Writer) {
        put_len(self.len(), w);
        w.bytes(self.as_bytes())
    }
    fn take(r: &mut Reader<'_>) -> Option<String> {
        let len = u32::take(r)? as usize;
        String::from_utf8(r.bytes(len)?.to_vec()).ok()
    }
}

impl<T: Field> Field for Vec<T> {
    fn put(&self, w: &mut Writer) {
        put_len(self.len(), w);
        for item in self {
            item.put(w)
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<Vec<T>> {
        let len = u32::take(r)? as usize;
        // No capacity from the untrusted count: a bogus huge count must fail, not allocate.
        (0..len).map(|_| T::take(r)).collect()
    }
}

impl<T: Field> Field for Option<T> {
    fn put(&self, w: &mut Writer) {
        match self {
            None => false.put(w),
            Some(v) => {
                true.put(w);
                v.put(w)
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<Option<T>> {
        if bool::take(r)? {
            T::take(r).map(Some)
        } else {
            Some(None)
        }
    }
}

impl<A: Field, B: Field> Field for (A, B) {
    fn put(&self, w: &mut Writer) {
        self.0.put(w);
        self.1.put(w)
    }
    fn take(r: &mut Reader<'_>) -> Option<(A, B)> {
        Some((A::take(r)?, B::take(r)?))
    }
}

/// Declare a struct whose `State` is the default versioned encoding: the version byte, then
/// the fields in the order written (see `Field`). Bytes of another version, short or long
/// bytes, and invalid values are refused.
///
/// ```
/// hotwasm::versioned_state! {
///     version 1;
///     #[derive(Clone, Debug, Default, PartialEq)]
///     pub struct Notes {
///         pub count: i64,
///         pub items: Vec<String>,
///     }
/// }
/// use hotwasm::State;
/// let notes = Notes { count: 2, items: vec!["a".into()] };
/// assert_eq!(Notes::decode(&notes.encode()), Some(notes.clone()));
/// assert_eq!(Notes::decode(&[2, 0, 0]), None);
/// ```
#[macro_export]
macro_rules! versioned_state {
    (
        version $version:literal;
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$fmeta:meta])* $fvis:vis $field:ident : $fty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$fmeta])* $fvis $field: $fty),*
        }

        impl $crate::State for $name {
            fn encode(&self) -> ::std::vec::Vec<u8> {
                let mut w = $crate::state::Writer::versioned($version);
                $($crate::state::Field::put(&self.$field, &mut w);)*
                w.finish()
            }
            fn decode(bytes: &[u8]) -> ::std::option::Option<Self> {
                #[allow(unused_mut)]
                let mut r = $crate::state::Reader::versioned(bytes, $version)?;
                // Struct literal fields are evaluated in the order written: the field order.
                let value = $name { $($field: r.take::<$fty>()?),* };
                r.end()?;
                ::std::option::Option::Some(value)
            }
        }
    };
}
