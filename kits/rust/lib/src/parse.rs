//! A JSON parser: RFC 8259 over UTF-8 bytes, recursive descent with a depth limit.
//!
//! One deliberate leniency: an integer part may have leading zeros (`007` reads as 7). The
//! host never sends them (it writes `JSON.stringify` text), but the hand-written counters in
//! every language accept `007`, and the kit keeps the Rust counter answering like them.

use crate::json::{Json, Number, ParseError};

/// Deeper nesting is refused rather than risking the guest's stack (serde_json's limit too).
const MAX_DEPTH: usize = 128;

pub(crate) fn parse(text: &[u8]) -> Result<Json, ParseError> {
    // Validate all of it once, so string slices below can be taken as &str without checks.
    let text = match std::str::from_utf8(text) {
        Ok(s) => s,
        Err(e) => return Err(ParseError { message: "invalid UTF-8", offset: e.valid_up_to() }),
    };
    let mut p = Parser { b: text.as_bytes(), at: 0 };
    p.space();
    let value = p.value(0)?;
    p.space();
    if p.at != p.b.len() {
        return Err(p.fail("trailing characters"));
    }
    Ok(value)
}

struct Parser<'a> {
    /// Valid UTF-8 (checked in `parse`).
    b: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn fail(&self, message: &'static str) -> ParseError {
        ParseError { message, offset: self.at }
    }

    /// The text between two offsets that lie on character boundaries.
    fn text(&self, from: usize, to: usize) -> &'a str {
        // SAFETY: `b` is valid UTF-8 and every offset the parser stops at is just before or
        // after an ASCII byte, so a character boundary. (Slicing a `&str` instead would link
        // core's boundary-panic formatting, which costs a guest kilobytes.)
        unsafe { std::str::from_utf8_unchecked(&self.b[from..to]) }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &'static str, value: Json) -> Result<Json, ParseError> {
        if self.b[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.fail("invalid literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, ParseError> {
        match self.peek() {
            None => Err(self.fail("unexpected end")),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Json::Number),
            Some(b'[') if depth < MAX_DEPTH => self.array(depth + 1),
            Some(b'{') if depth < MAX_DEPTH => self.object(depth + 1),
            Some(b'[' | b'{') => Err(self.fail("nested too deeply")),
            Some(_) => Err(self.fail("unexpected character")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.at += 1; // [
        let mut items = Vec::new();
        self.space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.space();
            items.push(self.value(depth)?);
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.fail("expected , or ]")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.at += 1; // {
        let mut members = Vec::new();
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return Err(self.fail("expected a string key"));
            }
            let key = self.string()?;
            self.space();
            if self.peek() != Some(b':') {
                return Err(self.fail("expected :"));
            }
            self.at += 1;
            self.space();
            members.push((key, self.value(depth)?));
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.fail("expected , or }")),
            }
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1; // "
        let mut out = String::new();
        let mut start = self.at;
        loop {
            match self.peek() {
                None => return Err(self.fail("unterminated string")),
                Some(b'"') => {
                    out.push_str(self.text(start, self.at));
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(self.text(start, self.at));
                    self.at += 1;
                    self.escape(&mut out)?;
                    start = self.at;
                }
                Some(0x00..=0x1f) => return Err(self.fail("control character in string")),
                // Multi-byte UTF-8 sequences never contain `"`, `\` or bytes below 0x20, so
                // stepping byte by byte keeps `start..at` on character boundaries.
                Some(_) => self.at += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.at += 1;
                let first = self.hex4()?;
                let code = match first {
                    0xd800..=0xdbff => {
                        // A high surrogate must be followed by `\u` and a low surrogate.
                        if !self.b[self.at..].starts_with(b"\\u") {
                            return Err(self.fail("lone surrogate in \\u escape"));
                        }
                        self.at += 2;
                        let low = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&low) {
                            return Err(self.fail("lone surrogate in \\u escape"));
                        }
                        0x10000 + ((first - 0xd800) << 10) + (low - 0xdc00)
                    }
                    0xdc00..=0xdfff => return Err(self.fail("lone surrogate in \\u escape")),
                    c => c,
                };
                // Every value left is a scalar value (surrogates were handled above).
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                return Ok(());
            }
            _ => return Err(self.fail("invalid escape")),
        };
        self.at += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.fail("invalid \\u escape")),
            };
            code = code * 16 + u32::from(digit);
            self.at += 1;
        }
        Ok(code)
    }

    fn digits(&mut self) -> usize {
        let from = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - from
    }

    fn number(&mut self) -> Result<Number, ParseError> {
        let from = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        if self.digits() == 0 {
            return Err(self.fail("expected a digit"));
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            integer = false;
            if self.digits() == 0 {
                return Err(self.fail("expected a digit after ."));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail("expected a digit in the exponent"));
            }
        }
        let text = self.text(from, self.at);
        if integer {
            if let Some(n) = parse_integer(text.trim_start_matches('-'), negative) {
                return Ok(n);
            }
        }
        // The grammar above was checked; the f64 is read from this text only when asked for.
        Ok(Number::from_text(text))
    }
}

/// Exact integers: i64, or u64 above i64::MAX; None when it does not fit (then an f64).
fn parse_integer(digits: &str, negative: bool) -> Option<Number> {
    let mut n: u64 = 0;
    for d in digits.bytes() {
        n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if negative {
        // -9223372036854775808 is the one magnitude that fits only as a negative.
        if n <= i64::MAX as u64 + 1 {
            return Some(Number::from_i64((n as i64).wrapping_neg()));
        }
        return None;
    }
    Some(Number::from_u64(n))
}
