//! The JSON value type of the zero-dependency path, and its serialiser.
//!
//! The parser is in `parse.rs`; conversions to and from Rust types in `convert.rs`.

use std::fmt;

/// A JSON number: an exact integer when the text (or the Rust value) was one, else an f64.
///
/// Integers are kept exactly because i64 state (counters, ids) must survive a round trip
/// that an f64 would round past 2^53.
#[derive(Clone, Debug)]
pub struct Number(N);

#[derive(Clone, Debug)]
enum N {
    Int(i64),
    /// Only for integers above `i64::MAX`, so each integer has one representation.
    UInt(u64),
    Float(f64),
    /// A parsed non-integer, converted when asked for: a guest that never reads a float does
    /// not link the float parser (about 18 KB of code and tables).
    Text(Box<str>),
}

impl Number {
    pub fn from_i64(n: i64) -> Number {
        Number(N::Int(n))
    }
    pub fn from_u64(n: u64) -> Number {
        match i64::try_from(n) {
            Ok(i) => Number(N::Int(i)),
            Err(_) => Number(N::UInt(n)),
        }
    }
    pub fn from_f64(f: f64) -> Number {
        Number(N::Float(f))
    }
    /// From number text the parser has checked (JSON grammar, leading zeros allowed).
    pub(crate) fn from_text(text: &str) -> Number {
        Number(N::Text(text.into()))
    }
    /// The exact integer, if this number is one that fits an i64 (`1.0` and `1e2` are not:
    /// they were written as fractions, and serde_json refuses them as integers too).
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            N::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_u64(&self) -> Option<u64> {
        match &self.0 {
            N::Int(i) => u64::try_from(*i).ok(),
            N::UInt(u) => Some(*u),
            N::Float(_) | N::Text(_) => None,
        }
    }
    /// The value as an f64 (rounded for integers beyond 2^53).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            N::Int(i) => *i as f64,
            N::UInt(u) => *u as f64,
            N::Float(f) => *f,
            // Rust's float parser rounds correctly; out-of-range text reads as ±infinity.
            N::Text(t) => t.parse().unwrap_or(f64::NAN),
        }
    }
    pub fn is_integer(&self) -> bool {
        matches!(self.0, N::Int(_) | N::UInt(_))
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (&self.0, &other.0) {
            (N::Int(a), N::Int(b)) => a == b,
            (N::UInt(a), N::UInt(b)) => a == b,
            (N::Int(_), N::UInt(_)) | (N::UInt(_), N::Int(_)) => false,
            _ => self.as_f64() == other.as_f64(),
        }
    }
}

/// A JSON value. Objects keep their members in order (as written, or as inserted).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parse JSON text (RFC 8259, plus leading zeros in integers: see `parse.rs`).
    pub fn parse(text: &[u8]) -> Result<Json, ParseError> {
        crate::parse::parse(text)
    }

    /// `{"error": message}` — the answer shape the counters give for a bad argument.
    pub fn error(message: impl Into<String>) -> Json {
        Json::Object(vec![("error".to_string(), Json::String(message.into()))])
    }

    /// An object member by key (the first, if a key repeats).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// An array element by index.
    pub fn at(&self, index: usize) -> Option<&Json> {
        match self {
            Json::Array(items) => items.get(index),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Number(n) => n.as_i64(),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Compact JSON text, the way `JSON.stringify` writes it (non-ASCII unescaped).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Json::Null => out.extend_from_slice(b"null"),
            Json::Bool(true) => out.extend_from_slice(b"true"),
            Json::Bool(false) => out.extend_from_slice(b"false"),
            Json::Number(n) => write_number(n, out),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Json::Object(members) => {
                out.push(b'{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_string(key, out);
                    out.push(b':');
                    value.write(out);
                }
                out.push(b'}');
            }
        }
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The serialiser only writes valid UTF-8 (strings are Rust strings).
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

/// Decimal digits of an integer without `core::fmt` (smaller guests, and it is the hot path
/// of every integer answer).
pub(crate) fn write_i64(n: i64, out: &mut Vec<u8>) {
    if n < 0 {
        out.push(b'-');
    }
    write_u64(n.unsigned_abs(), out);
}

pub(crate) fn write_u64(mut n: u64, out: &mut Vec<u8>) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

fn write_number(n: &Number, out: &mut Vec<u8>) {
    let f = match &n.0 {
        N::Int(i) => return write_i64(*i, out),
        N::UInt(u) => return write_u64(*u, out),
        N::Float(f) => *f,
        N::Text(t) => return write_number_text(t, out),
    };
    match f {
        // JSON has no NaN or infinities; JSON.stringify writes null for them too.
        f if !f.is_finite() => out.extend_from_slice(b"null"),
        f => {
            // Rust's float formatting is the shortest text that reads back exactly. Like
            // JSON.stringify, use an exponent only for very large or very small magnitudes.
            let a = f.abs();
            let text = if a != 0.0 && !(1e-6..1e21).contains(&a) {
                // `1e21` → `1e+21`, the way JSON.stringify writes it.
                format!("{:e}", f).replacen("e", if a >= 1.0 { "e+" } else { "e" }, 1)
            } else {
                format!("{}", f)
            };
            out.extend_from_slice(text.as_bytes());
        }
    }
}

/// Parsed number text as written, minus the leading zeros the parser tolerates: the exact
/// value, valid JSON, and no float parser linked just to write an answer.
fn write_number_text(text: &str, out: &mut Vec<u8>) {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let trimmed = rest.trim_start_matches('0');
    let rest = if trimmed.starts_with(|c: char| c.is_ascii_digit()) { trimmed } else { &rest[rest.len() - trimmed.len() - 1..] };
    out.extend_from_slice(sign.as_bytes());
    out.extend_from_slice(rest.as_bytes());
}

pub(crate) fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Why a text is not JSON: what was wrong, at which byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: &'static str,
    pub offset: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}
