//! __NAME__ — a hotwasm guest (guest ABI v1), written with the Rust kit in ./hotwasm-kit.

// alloc, dealloc, health_check ("ok") and the api_version custom section.
hotwasm::guest!(api_version = "0.1.0");

// The state that survives a hot swap. The default encoding is versioned: a version byte, then
// the fields in order, little-endian. When you change the fields, bump the version: the new
// module then refuses the old bytes (and starts fresh) instead of misreading them.
hotwasm::versioned_state! {
    version 1;
    #[derive(Default)]
    pub struct Notes {
        pub items: Vec<String>,
        pub added: u64,
    }
}

// The global that holds it, plus the save_state/restore_state exports.
hotwasm::state!(NOTES: Notes);

/// `call("add", "buy milk")` → the number of notes.
fn add(text: String) -> usize {
    NOTES.with(|notes| {
        notes.items.push(text);
        notes.added += 1;
        notes.items.len()
    })
}

/// `call("list")` → `{"items": [...], "added": n}`.
fn list() -> hotwasm::Json {
    use hotwasm::ToJson;
    NOTES.with(|notes| {
        hotwasm::Json::Object(vec![
            ("items".to_string(), notes.items.to_json()),
            ("added".to_string(), notes.added.to_json()),
        ])
    })
}

// Each becomes a JSON export `(i32 ptr, i32 len) -> i64`. A bad argument is answered
// {"error":"add takes a string"}.
hotwasm::export!(add, list);
