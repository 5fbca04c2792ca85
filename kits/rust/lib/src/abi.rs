//! Guest ABI v1 plumbing: memory blocks, packed results, and the JSON call of an export.
//!
//! Every block the host sees is a byte block of alignment 1: `alloc(n)` reserves one, and
//! each result is an exact-size `Box<[u8]>`, so `dealloc(ptr, len)` frees either with the
//! same layout. Argument and result are separate blocks (the result is built while the
//! argument is still alive), so the host may free them in either order; if a host ever sees
//! the result at the argument's address it frees once, which is still one free per block.

use std::alloc::{self, Layout};

/// `alloc(len) -> ptr`: reserve `len` bytes for the host to write into.
pub fn alloc(len: usize) -> *mut u8 {
    if len == 0 {
        // No allocation for an empty block; `dealloc(ptr, 0)` is then a no-op.
        return std::ptr::NonNull::dangling().as_ptr();
    }
    let layout = match Layout::from_size_align(len, 1) {
        Ok(layout) => layout,
        Err(_) => return std::ptr::null_mut(),
    };
    let ptr = unsafe { alloc::alloc(layout) };
    if ptr.is_null() {
        alloc::handle_alloc_error(layout);
    }
    ptr
}

/// `dealloc(ptr, len)`: free a block from `alloc` or a result of this module.
///
/// # Safety
/// `ptr`/`len` must be such a block, freed once.
pub unsafe fn dealloc(ptr: *mut u8, len: usize) {
    if len != 0 {
        alloc::dealloc(ptr, Layout::from_size_align_unchecked(len, 1));
    }
}

/// Pointer in the high 32 bits, length in the low 32 bits.
pub fn pack(ptr: u32, len: u32) -> u64 {
    (u64::from(ptr) << 32) | u64::from(len)
}

/// The inverse of `pack`: `(ptr, len)`.
pub fn unpack(packed: u64) -> (u32, u32) {
    ((packed >> 32) as u32, packed as u32)
}

/// Hand bytes to the host as a packed result; the host frees them through `dealloc`.
pub fn give(bytes: Vec<u8>) -> u64 {
    let boxed = bytes.into_boxed_slice();
    let len = boxed.len();
    let ptr = Box::into_raw(boxed) as *mut u8;
    // Guest pointers and lengths are 32-bit on wasm32; on a 64-bit host (unit tests) only the
    // packing itself is meaningful.
    pack(ptr as usize as u32, len as u32)
}

/// The bytes the host wrote at `ptr`.
///
/// # Safety
/// `ptr`/`len` must describe initialised memory (written by the host through `alloc`).
pub unsafe fn argument<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

/// How an export reads its argument text. Implemented for every `FromJson` type (or, with the
/// `serde` feature, every `DeserializeOwned` type).
pub trait Arg: Sized {
    /// The value, or the tail of the error message after the export's name
    /// (`takes null or an integer`).
    fn from_arg(text: &[u8]) -> Result<Self, String>;
}

/// How an export writes its answer. Implemented for every `ToJson` type (or, with the
/// `serde` feature, every `Serialize` type).
pub trait Answer {
    fn write_answer(&self, out: &mut Vec<u8>);
}

#[cfg(not(feature = "serde"))]
impl<T: crate::FromJson> Arg for T {
    fn from_arg(text: &[u8]) -> Result<T, String> {
        match crate::Json::parse(text) {
            Ok(value) => T::from_json(&value),
            Err(_) => None,
        }
        .ok_or_else(|| ["takes ", &T::expected()].concat())
    }
}

#[cfg(not(feature = "serde"))]
impl<T: crate::ToJson + ?Sized> Answer for T {
    fn write_answer(&self, out: &mut Vec<u8>) {
        self.write_json(out)
    }
}

/// A function that can be exported: `Fn() -> R` ignores its argument, `Fn(A) -> R` takes the
/// whole argument, `Fn(A, B, …) -> R` takes an array `[a, b, …]`. `M` only tells the
/// implementations apart; it is inferred. (Raw-byte exports are `export_raw!`: a `&[u8]`
/// parameter would be ambiguous here with the `serde` feature, where borrowed types can be
/// `Deserialize`.)
pub trait Export<M> {
    fn answer(&self, name: &str, arg: &[u8]) -> Vec<u8>;
}

impl<F: Fn() -> R, R: Answer> Export<fn() -> R> for F {
    fn answer(&self, _name: &str, _arg: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        self().write_answer(&mut out);
        out
    }
}

impl<F: Fn(A) -> R, A: Arg, R: Answer> Export<fn(A) -> R> for F {
    fn answer(&self, name: &str, arg: &[u8]) -> Vec<u8> {
        match A::from_arg(arg) {
            Ok(a) => {
                let mut out = Vec::new();
                self(a).write_answer(&mut out);
                out
            }
            Err(tail) => error_answer(name, &tail),
        }
    }
}

macro_rules! several {
    ($($t:ident),+) => {
        impl<F: Fn($($t),+) -> R, $($t,)+ R: Answer> Export<fn($($t),+) -> R> for F
        where
            ($($t,)+): Arg,
        {
            #[allow(non_snake_case)]
            fn answer(&self, name: &str, arg: &[u8]) -> Vec<u8> {
                match <($($t,)+)>::from_arg(arg) {
                    Ok(($($t,)+)) => {
                        let mut out = Vec::new();
                        self($($t),+).write_answer(&mut out);
                        out
                    }
                    Err(tail) => error_answer(name, &tail),
                }
            }
        }
    };
}
several!(A, B);
several!(A, B, C);
several!(A, B, C, D);
several!(A, B, C, D, E);
several!(A, B, C, D, E, F2);

/// `{"error":"<name> <tail>"}`, e.g. `{"error":"increment takes null or an integer"}`.
pub fn error_answer(name: &str, tail: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len() + tail.len() + 14);
    out.extend_from_slice(b"{\"error\":");
    crate::json::write_string(&[name, " ", tail].concat(), &mut out);
    out.push(b'}');
    out
}

/// The body of every exported JSON function (what `export!` expands to).
///
/// # Safety
/// `ptr`/`len` must be the argument block the host wrote.
pub unsafe fn call<M>(name: &str, f: impl Export<M>, ptr: *const u8, len: usize) -> u64 {
    give(f.answer(name, argument(ptr, len)))
}

/// The body of every raw export (what `export_raw!` expands to): argument bytes in, answer
/// bytes (JSON text) out.
///
/// # Safety
/// `ptr`/`len` must be the argument block the host wrote.
pub unsafe fn call_raw(f: impl Fn(&[u8]) -> Vec<u8>, ptr: *const u8, len: usize) -> u64 {
    give(f(argument(ptr, len)))
}

/// The default health check: always healthy.
pub fn always_ok() -> Result<(), String> {
    Ok(())
}

/// `health_check`: `ok`, or the message of an unhealthy guest.
pub fn health(check: fn() -> Result<(), String>) -> u64 {
    give(match check() {
        Ok(()) => b"ok".to_vec(),
        Err(message) => message.into_bytes(),
    })
}
