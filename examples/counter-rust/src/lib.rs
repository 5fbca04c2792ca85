//! counter-rust — the hotwasm "counter" guest (guest ABI v1) on the Rust kit
//! (`kits/rust/lib`, crate `hotwasm-guest`): the kit does alloc, packing and JSON.
use std::io::Write;

hotwasm::guest!(api_version = "1.0.0"); // alloc, dealloc, health_check → "ok"

/// The count. Its state stays the 8-byte little-endian i64 the other counters save (e2e
/// tests and fixture modules swap state with them), so it declares its own encoding
/// instead of the kit's versioned one.
struct Counter(i64);

impl hotwasm::State for Counter {
    fn encode(&self) -> Vec<u8> {
        self.0.to_le_bytes().to_vec()
    }
    fn decode(bytes: &[u8]) -> Option<Counter> {
        Some(Counter(i64::from_le_bytes(bytes.try_into().ok()?)))
    }
}

hotwasm::state!(COUNT: Counter = Counter(0)); // save_state, restore_state

/// `null` adds 1; a bad argument answers {"error":"increment takes null or an integer"}.
fn increment(by: Option<i64>) -> i64 {
    COUNT.with(|c| {
        c.0 = c.0.wrapping_add(by.unwrap_or(1));
        c.0
    })
}

fn get() -> i64 {
    COUNT.with(|c| c.0)
}

/// `{"input":<arg>,"bytes":<n>}`: the argument copied byte for byte, so it takes raw bytes.
fn process(arg: &[u8]) -> Vec<u8> {
    // One write_all of a whole line: a single WASI fd_write on fd 1.
    let _ = std::io::stdout().write_all(format!("processed {} bytes\n", arg.len()).as_bytes());
    [br#"{"input":"#, arg, br#","bytes":"#, arg.len().to_string().as_bytes(), b"}"].concat()
}

hotwasm::export!(increment, get);
hotwasm::export_raw!(process);
