//! `FromJson`/`ToJson`: Rust values to and from `Json`, for the usual types.

use crate::json::{write_i64, write_string, write_u64, Json, Number};
use std::collections::BTreeMap;

/// A type an export can take: read from a `Json` value, or refused (`None`).
pub trait FromJson: Sized {
    fn from_json(value: &Json) -> Option<Self>;
    /// What a refused argument should have been, for the error answer
    /// `{"error":"<export> takes <expected>"}` — e.g. `an integer`.
    fn expected() -> String;
}

/// A type an export can answer with.
pub trait ToJson {
    fn to_json(&self) -> Json;
    /// Append the JSON text; types with a direct form override it to skip building a `Json`.
    fn write_json(&self, out: &mut Vec<u8>) {
        self.to_json().write(out)
    }
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Option<Json> {
        Some(value.clone())
    }
    fn expected() -> String {
        "any JSON value".into()
    }
}

impl ToJson for Json {
    fn to_json(&self) -> Json {
        self.clone()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        self.write(out)
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Option<bool> {
        value.as_bool()
    }
    fn expected() -> String {
        "true or false".into()
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Json {
        Json::Bool(*self)
    }
}

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: &Json) -> Option<$t> {
                <$t>::try_from(value.as_i64()?).ok()
            }
            fn expected() -> String {
                "an integer".into()
            }
        }
        impl ToJson for $t {
            fn to_json(&self) -> Json {
                Json::Number(Number::from_i64(*self as i64))
            }
            fn write_json(&self, out: &mut Vec<u8>) {
                write_i64(*self as i64, out)
            }
        }
    )*};
}
signed!(i8, i16, i32, i64, isize);

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: &Json) -> Option<$t> {
                match value {
                    Json::Number(n) => <$t>::try_from(n.as_u64()?).ok(),
                    _ => None,
                }
            }
            fn expected() -> String {
                "a non-negative integer".into()
            }
        }
        impl ToJson for $t {
            fn to_json(&self) -> Json {
                Json::Number(Number::from_u64(*self as u64))
            }
            fn write_json(&self, out: &mut Vec<u8>) {
                write_u64(*self as u64, out)
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

impl FromJson for f64 {
    fn from_json(value: &Json) -> Option<f64> {
        value.as_f64()
    }
    fn expected() -> String {
        "a number".into()
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Json {
        Json::Number(Number::from_f64(*self))
    }
}

impl FromJson for f32 {
    fn from_json(value: &Json) -> Option<f32> {
        value.as_f64().map(|f| f as f32)
    }
    fn expected() -> String {
        "a number".into()
    }
}

impl ToJson for f32 {
    fn to_json(&self) -> Json {
        // Through the shortest decimal text of the f32, so 0.1f32 answers 0.1, not 0.10000000149.
        let f = self.to_string().parse::<f64>().unwrap_or(f64::NAN);
        Json::Number(Number::from_f64(f))
    }
}

impl FromJson for String {
    fn from_json(value: &Json) -> Option<String> {
        value.as_str().map(str::to_owned)
    }
    fn expected() -> String {
        "a string".into()
    }
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::String(self.clone())
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        write_string(self, out)
    }
}

impl ToJson for str {
    fn to_json(&self) -> Json {
        Json::String(self.to_owned())
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        write_string(self, out)
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Json {
        (**self).to_json()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        (**self).write_json(out)
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn to_json(&self) -> Json {
        (**self).to_json()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        (**self).write_json(out)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Option<Option<T>> {
        match value {
            Json::Null => Some(None),
            v => T::from_json(v).map(Some),
        }
    }
    fn expected() -> String {
        ["null or ", &T::expected()].concat()
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Json {
        self.as_ref().map_or(Json::Null, T::to_json)
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Some(v) => v.write_json(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Option<Vec<T>> {
        value.as_array()?.iter().map(T::from_json).collect()
    }
    fn expected() -> String {
        ["an array, each item ", &T::expected()].concat()
    }
}

fn write_items<'a, T: ToJson + 'a>(items: impl Iterator<Item = &'a T>, out: &mut Vec<u8>) {
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item.write_json(out);
    }
    out.push(b']');
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(T::to_json).collect())
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        write_items(self.iter(), out)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        self.as_slice().to_json()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        write_items(self.iter(), out)
    }
}

/// Objects with string keys (a BTreeMap answers in key order; `Json::Object` keeps any order).
impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: &Json) -> Option<BTreeMap<String, T>> {
        value.as_object()?.iter().map(|(k, v)| Some((k.clone(), T::from_json(v)?))).collect()
    }
    fn expected() -> String {
        ["an object, each value ", &T::expected()].concat()
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Json {
        Json::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

impl FromJson for () {
    fn from_json(value: &Json) -> Option<()> {
        value.is_null().then(|| ())
    }
    fn expected() -> String {
        "null".into()
    }
}

impl ToJson for () {
    fn to_json(&self) -> Json {
        Json::Null
    }
}

/// Tuples are arrays of exactly their length: `[1, "a"]` is an `(i64, String)`. Exports with
/// several parameters take their arguments this way.
macro_rules! tuple {
    ($len:literal: $($t:ident $i:tt),+) => {
        impl<$($t: FromJson),+> FromJson for ($($t,)+) {
            fn from_json(value: &Json) -> Option<Self> {
                let items = value.as_array()?;
                if items.len() != $len {
                    return None;
                }
                Some(($($t::from_json(&items[$i])?,)+))
            }
            fn expected() -> String {
                let parts: &[String] = &[$($t::expected()),+];
                ["[", &parts.join(", "), "]"].concat()
            }
        }
        impl<$($t: ToJson),+> ToJson for ($($t,)+) {
            fn to_json(&self) -> Json {
                Json::Array(vec![$(self.$i.to_json()),+])
            }
            fn write_json(&self, out: &mut Vec<u8>) {
                out.push(b'[');
                $(
                    if $i > 0 {
                        out.push(b',');
                    }
                    self.$i.write_json(out);
                )+
                out.push(b']');
            }
        }
    };
}
tuple!(1: A 0);
tuple!(2: A 0, B 1);
tuple!(3: A 0, B 1, C 2);
tuple!(4: A 0, B 1, C 2, D 3);
tuple!(5: A 0, B 1, C 2, D 3, E 4);
tuple!(6: A 0, B 1, C 2, D 3, E 4, F 5);
