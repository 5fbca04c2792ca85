//! counter-rust — the hotwasm "counter" guest in Rust, guest ABI v1.
//!
//! Built as a `cdylib` for `wasm32-wasi` (see README.md): a reactor module whose only
//! imports are `wasi_snapshot_preview1` functions pulled in by `std`.
//!
//! Every JSON call has the wasm type `(i32 ptr, i32 len) -> i64`: the UTF-8 JSON argument
//! is at `ptr`, and the result is returned packed — pointer in the high 32 bits, length in
//! the low. Results are heap blocks that the host frees through `dealloc`.

use std::alloc::{self, Layout};
use std::io::Write;

/// The `api_version` custom section: UTF-8 semver.
#[link_section = "api_version"]
#[used]
static API_VERSION: [u8; 5] = *b"1.0.0";

const ERROR_JSON: &[u8] = br#"{"error":"increment takes null or an integer"}"#;

/// The state: a signed 64-bit count. Wasm guests are single-threaded; an atomic keeps
/// the global safe Rust without `static mut`.
static COUNT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn count() -> i64 {
    COUNT.load(std::sync::atomic::Ordering::Relaxed)
}

fn set_count(n: i64) {
    COUNT.store(n, std::sync::atomic::Ordering::Relaxed)
}

// ---------------------------------------------------------------------------
// Memory: byte blocks with alignment 1, so `alloc` and `dealloc` agree with the
// `Box<[u8]>` results handed out below.
// ---------------------------------------------------------------------------

#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    if len == 0 {
        return std::ptr::NonNull::dangling().as_ptr();
    }
    let layout = Layout::from_size_align(len, 1).unwrap();
    let ptr = unsafe { alloc::alloc(layout) };
    if ptr.is_null() {
        alloc::handle_alloc_error(layout);
    }
    ptr
}

/// # Safety
/// `ptr`/`len` must come from `alloc` or from a result of this module, freed once.
#[no_mangle]
pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: usize) {
    if len != 0 {
        alloc::dealloc(ptr, Layout::from_size_align_unchecked(len, 1));
    }
}

fn pack(ptr: *const u8, len: usize) -> u64 {
    ((ptr as usize as u64) << 32) | len as u64
}

/// Hand a byte vector to the host: shrink it to an exact-size box and leak it.
fn return_bytes(bytes: Vec<u8>) -> u64 {
    let boxed = bytes.into_boxed_slice();
    let len = boxed.len();
    pack(Box::into_raw(boxed) as *const u8, len)
}

/// The JSON argument the host wrote at `ptr`.
///
/// # Safety
/// `ptr`/`len` must describe initialized memory (the host wrote it through `alloc`).
unsafe fn argument<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

// ---------------------------------------------------------------------------
// Parsing the increment argument: whitespace, then `null` or `-?[0-9]+`, then whitespace.
// ---------------------------------------------------------------------------

fn trim_json_space(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\n' | b'\r', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\n' | b'\r'] = s {
        s = rest;
    }
    s
}

/// `null` → `Some(1)`, an integer → `Some(n)` (wrapping on overflow), else `None`.
fn parse_amount(arg: &[u8]) -> Option<i64> {
    let s = trim_json_space(arg);
    if s == b"null" {
        return Some(1);
    }
    let (negative, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = digits
        .iter()
        .fold(0i64, |n, d| n.wrapping_mul(10).wrapping_add(i64::from(d - b'0')));
    Some(if negative { n.wrapping_neg() } else { n })
}

// ---------------------------------------------------------------------------
// JSON calls
// ---------------------------------------------------------------------------

/// # Safety
/// Called by the host with an argument written through `alloc`.
#[no_mangle]
pub unsafe extern "C" fn increment(ptr: *const u8, len: usize) -> u64 {
    match parse_amount(argument(ptr, len)) {
        Some(amount) => {
            set_count(count().wrapping_add(amount));
            return_bytes(count().to_string().into_bytes())
        }
        None => return_bytes(ERROR_JSON.to_vec()),
    }
}

#[no_mangle]
pub extern "C" fn get(_ptr: *const u8, _len: usize) -> u64 {
    return_bytes(count().to_string().into_bytes())
}

/// `{"input":<arg>,"bytes":<n>}` — the argument is copied byte for byte, n counts bytes.
///
/// # Safety
/// Called by the host with an argument written through `alloc`.
#[no_mangle]
pub unsafe extern "C" fn process(ptr: *const u8, len: usize) -> u64 {
    let arg = argument(ptr, len);
    // One write_all of a whole line: a single WASI fd_write on fd 1.
    let _ = std::io::stdout().write_all(format!("processed {} bytes\n", arg.len()).as_bytes());

    let mut out = Vec::with_capacity(arg.len() + 32);
    out.extend_from_slice(br#"{"input":"#);
    out.extend_from_slice(arg);
    out.extend_from_slice(br#","bytes":"#);
    out.extend_from_slice(arg.len().to_string().as_bytes());
    out.push(b'}');
    return_bytes(out)
}

// ---------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------

/// 8 bytes: the count as a little-endian i64.
#[no_mangle]
pub extern "C" fn save_state() -> u64 {
    return_bytes(count().to_le_bytes().to_vec())
}

/// Accept exactly 8 bytes (0); refuse anything else (1) and keep the count.
///
/// # Safety
/// Called by the host with bytes written through `alloc`.
#[no_mangle]
pub unsafe extern "C" fn restore_state(ptr: *const u8, len: usize) -> i32 {
    match <[u8; 8]>::try_from(argument(ptr, len)) {
        Ok(bytes) => {
            set_count(i64::from_le_bytes(bytes));
            0
        }
        Err(_) => 1,
    }
}

#[no_mangle]
pub extern "C" fn health_check() -> u64 {
    return_bytes(b"ok".to_vec())
}
