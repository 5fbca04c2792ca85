//! __NAME__ — a hotwasm guest (guest ABI v1), written with the Rust kit in ./hotwasm-kit.
//! `npx hotwasm dev .` rebuilds it on every save and hot-swaps it with its state kept.

use hotwasm::{Json, ToJson};

// alloc, dealloc, health_check ("ok") and the api_version custom section. Bump the major
// version when a change would break callers: the host then loads it fresh, not hot-swapped.
hotwasm::guest!(api_version = "0.1.0");

// The state that survives a hot swap. The default encoding is versioned: a version byte, then
// the fields in order, little-endian (here 1 + 8 + 4 = 13 bytes). When you change the fields,
// bump the version: the new module then refuses the old bytes (and starts fresh) instead of
// misreading them.
hotwasm::versioned_state! {
    version 1;
    #[derive(Default)]
    pub struct Tally {
        pub total: i64,
        pub greeted: i32,
    }
}

// The global that holds it, plus the save_state/restore_state exports.
hotwasm::state!(TALLY: Tally);

/// `add(5)` → the running total.
fn add(n: i64) -> i64 {
    TALLY.with(|t| {
        t.total += n;
        t.total
    })
}

/// `greet("Ada")` → `{"hello":"Ada","greeted":1}`: how many greet calls so far, this one included.
fn greet(name: String) -> Json {
    let greeted = TALLY.with(|t| {
        t.greeted += 1;
        t.greeted
    });
    Json::Object(vec![("hello".to_string(), name.to_json()), ("greeted".to_string(), greeted.to_json())])
}

// Each becomes a JSON export `(i32 ptr, i32 len) -> i64`. An argument of the wrong type is
// answered {"error":"add takes an integer"} (or "greet takes a string").
hotwasm::export!(add, greet);
