//! hotwasm-guest — write hotwasm guests (guest ABI v1, `docs/abi.md`) in Rust.
//!
//! ```ignore
//! hotwasm::guest!(api_version = "1.0.0");   // alloc, dealloc, health_check, api_version
//!
//! hotwasm::versioned_state! {
//!     version 1;
//!     #[derive(Default)]
//!     pub struct Counter { pub count: i64 }
//! }
//! hotwasm::state!(COUNTER: Counter);         // save_state, restore_state
//!
//! fn increment(by: Option<i64>) -> i64 {
//!     COUNTER.with(|c| { c.count += by.unwrap_or(1); c.count })
//! }
//! hotwasm::export!(increment);               // (i32 ptr, i32 len) -> i64
//! ```
//!
//! Without features the crate has no dependencies: `Json` is its own value type with a parser
//! and serialiser, and exports take `FromJson` and answer `ToJson` types. The `serde` feature
//! makes exports take `DeserializeOwned` and answer `Serialize` types through serde_json.

pub mod abi;
mod convert;
mod json;
#[doc(hidden)]
pub mod macros;
mod parse;
pub mod state;
#[cfg(feature = "serde")]
mod serde_support;

pub use abi::{pack, unpack};
pub use convert::{FromJson, ToJson};
pub use json::{Json, Number, ParseError};
#[doc(hidden)]
pub use macros::__semver_bytes;
pub use state::{Global, State};

#[cfg(feature = "serde")]
pub use serde;
#[cfg(feature = "serde")]
pub use serde_json;
