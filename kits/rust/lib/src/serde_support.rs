//! The `serde` feature: exports take any `DeserializeOwned` and answer any `Serialize` type,
//! with serde_json doing the JSON. `Json` itself stays usable as either.

use crate::abi::{Answer, Arg};
use crate::json::{Json, Number};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

impl<T: DeserializeOwned> Arg for T {
    fn from_arg(text: &[u8]) -> Result<T, String> {
        serde_json::from_slice(text).map_err(|e| ["argument: ", &e.to_string()].concat())
    }
}

impl<T: Serialize + ?Sized> Answer for T {
    fn write_answer(&self, out: &mut Vec<u8>) {
        if let Err(e) = serde_json::to_writer(&mut *out, self) {
            // E.g. a map with non-string keys: answer the error instead of half a value.
            out.clear();
            Json::error(["cannot serialise the answer: ", &e.to_string()].concat()).write(out);
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => s.serialize_i64(i),
                (None, Some(u)) => s.serialize_u64(u),
                _ => s.serialize_f64(n.as_f64()),
            },
            Json::String(v) => s.serialize_str(v),
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        // Through serde_json's own value (object order is serde_json's: sorted by key unless
        // its preserve_order feature is on).
        Ok(from_value(serde_json::Value::deserialize(d)?))
    }
}

fn from_value(v: serde_json::Value) -> Json {
    use serde_json::Value;
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(b),
        Value::Number(n) => Json::Number(match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Number::from_i64(i),
            (None, Some(u)) => Number::from_u64(u),
            _ => Number::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        }),
        Value::String(s) => Json::String(s),
        Value::Array(items) => Json::Array(items.into_iter().map(from_value).collect()),
        Value::Object(members) => Json::Object(members.into_iter().map(|(k, v)| (k, from_value(v))).collect()),
    }
}
