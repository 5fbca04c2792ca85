//! The declarations a guest writes: `guest!`, `api_version!`, `export!`, `state!`.
//!
//! Each generated export sits in its own `const _: () = { … };` block, so its Rust name never
//! meets the user's items (`export!(increment)` exports a function named `increment` next to
//! the user's `fn increment`), and `#[export_name]` gives the wasm export its name.

/// The module's memory exports and health check, once per guest:
///
/// ```ignore
/// hotwasm::guest!(api_version = "1.0.0");                      // alloc, dealloc, health_check → ok
/// hotwasm::guest!(api_version = "1.0.0", health_check = check); // fn check() -> Result<(), String>
/// hotwasm::guest!();                                           // no api_version section
/// ```
#[macro_export]
macro_rules! guest {
    () => {
        $crate::guest!(@exports $crate::abi::always_ok);
    };
    (health_check = $check:path $(,)?) => {
        $crate::guest!(@exports $check);
    };
    (api_version = $version:literal $(, health_check = $check:path)? $(,)?) => {
        $crate::api_version!($version);
        $crate::guest!($(health_check = $check)?);
    };
    (@exports $check:path) => {
        const _: () = {
            #[export_name = "alloc"]
            pub extern "C" fn __hotwasm_alloc(len: usize) -> *mut u8 {
                $crate::abi::alloc(len)
            }
            /// # Safety
            /// Called by the host with a block from `alloc` or a result, once.
            #[export_name = "dealloc"]
            pub unsafe extern "C" fn __hotwasm_dealloc(ptr: *mut u8, len: usize) {
                $crate::abi::dealloc(ptr, len)
            }
            #[export_name = "health_check"]
            pub extern "C" fn __hotwasm_health_check() -> u64 {
                $crate::abi::health($check)
            }
        };
    };
}

/// The `api_version` custom section, checked at compile time to look like semver.
///
/// ```ignore
/// hotwasm::api_version!("1.2.0");
/// ```
#[macro_export]
macro_rules! api_version {
    ($version:literal) => {
        const _: () = {
            // On wasm this is the custom section the host reads; elsewhere (native unit
            // tests of a guest crate) it is a plain static.
            #[cfg_attr(target_arch = "wasm32", link_section = "api_version")]
            #[used]
            static API_VERSION: [u8; $version.len()] = $crate::__semver_bytes::<{ $version.len() }>($version);
        };
    };
}

/// JSON exports from ordinary functions, one line for all of them:
///
/// ```ignore
/// fn increment(by: Option<i64>) -> i64 { … }   // takes the whole argument
/// fn add(a: i64, b: i64) -> i64 { a + b }       // takes [a, b]
/// fn get() -> i64 { … }                         // ignores the argument
/// hotwasm::export!(increment, add, get);
/// ```
///
/// Each export has the ABI type `(i32 ptr, i32 len) -> i64`. An argument the function cannot
/// take is answered `{"error":"<name> takes <expected>"}`.
#[macro_export]
macro_rules! export {
    ($($name:ident),+ $(,)?) => {
        $(
            const _: () = {
                /// # Safety
                /// Called by the host with an argument written through `alloc`.
                #[export_name = stringify!($name)]
                pub unsafe extern "C" fn __hotwasm_export(ptr: *const u8, len: usize) -> u64 {
                    $crate::abi::call(stringify!($name), $name, ptr, len)
                }
            };
        )+
    };
}

/// Raw exports: the function gets the argument's bytes as the host wrote them and answers
/// bytes, which must be JSON text (for answers that embed the argument verbatim).
///
/// ```ignore
/// fn echo(raw: &[u8]) -> Vec<u8> { raw.to_vec() }
/// hotwasm::export_raw!(echo);
/// ```
#[macro_export]
macro_rules! export_raw {
    ($($name:ident),+ $(,)?) => {
        $(
            const _: () = {
                /// # Safety
                /// Called by the host with an argument written through `alloc`.
                #[export_name = stringify!($name)]
                pub unsafe extern "C" fn __hotwasm_export(ptr: *const u8, len: usize) -> u64 {
                    $crate::abi::call_raw($name, ptr, len)
                }
            };
        )+
    };
}

/// The guest's state: a global (created from the expression on first use) plus the
/// `save_state`/`restore_state` exports, which use the type's `State` encoding.
///
/// ```ignore
/// hotwasm::state!(NOTES: Notes = Notes::default());
/// hotwasm::state!(NOTES: Notes);                    // the same, through Default
/// NOTES.with(|notes| notes.count += 1);
/// ```
#[macro_export]
macro_rules! state {
    ($vis:vis $global:ident : $ty:ty) => {
        $crate::state!($vis $global: $ty = <$ty as ::std::default::Default>::default());
    };
    ($vis:vis $global:ident : $ty:ty = $init:expr) => {
        $vis static $global: $crate::Global<$ty> = $crate::Global::new({
            fn init() -> $ty {
                $init
            }
            init
        });
        const _: () = {
            #[export_name = "save_state"]
            pub extern "C" fn __hotwasm_save_state() -> u64 {
                $global.save()
            }
            /// # Safety
            /// Called by the host with the bytes written through `alloc`.
            #[export_name = "restore_state"]
            pub unsafe extern "C" fn __hotwasm_restore_state(ptr: *const u8, len: usize) -> i32 {
                $global.restore(ptr, len)
            }
        };
    };
}

/// The bytes of an `api_version` string, refusing at compile time what is not
/// `MAJOR.MINOR.PATCH` (digits) optionally followed by `-…` or `+…`.
#[doc(hidden)]
pub const fn __semver_bytes<const N: usize>(version: &str) -> [u8; N] {
    let bytes = version.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    let mut dots = 0;
    let mut digits = 0;
    while i < N {
        let b = bytes[i];
        out[i] = b;
        if dots < 3 && b >= b'0' && b <= b'9' {
            digits += 1;
        } else if dots < 2 && b == b'.' && digits > 0 {
            dots += 1;
            digits = 0;
        } else if dots == 2 && digits > 0 && (b == b'-' || b == b'+') {
            dots = 3; // the pre-release or build part: anything printable, not empty
            digits = 0;
        } else if dots == 3 && b > b' ' && b < 0x7f {
            digits += 1;
        } else {
            panic!("api_version must be semver, like \"1.0.0\"");
        }
        i += 1;
    }
    if dots < 2 || digits == 0 {
        panic!("api_version must be semver, like \"1.0.0\"");
    }
    out
}
