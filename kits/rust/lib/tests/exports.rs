//! Exports: the JSON call each `export!` makes, packing, the health check, api_version.

use hotwasm::abi::{self, Export};
use hotwasm::Json;

fn answer<M>(f: impl Export<M>, name: &str, arg: &str) -> String {
    String::from_utf8(f.answer(name, arg.as_bytes())).unwrap()
}

fn increment(by: Option<i64>) -> i64 {
    100 + by.unwrap_or(1)
}
fn add(a: i64, b: i64) -> i64 {
    a + b
}
fn greet(name: String, times: u32) -> Vec<String> {
    vec![name; times as usize]
}
fn get() -> i64 {
    5
}
fn echo(raw: &[u8]) -> Vec<u8> {
    raw.to_vec()
}
fn describe(v: Json) -> Json {
    Json::Object(vec![("got".into(), v)])
}
fn nothing(_: ()) {}

#[test]
fn one_parameter_takes_the_whole_argument() {
    assert_eq!(answer(increment, "increment", "null"), "101");
    assert_eq!(answer(increment, "increment", " 7 "), "107");
    assert_eq!(answer(describe, "describe", r#"{"a":[1]}"#), r#"{"got":{"a":[1]}}"#);
    assert_eq!(answer(nothing, "nothing", "null"), "null");
}

/// The zero-dependency path's answers (the serde feature words its errors as serde_json does).
#[cfg(not(feature = "serde"))]
#[test]
fn bad_arguments_are_answered_like_the_counters() {
    assert_eq!(answer(increment, "increment", "007"), "107");
    for bad in ["\"5\"", "1.5", "", "5x", "[1]", "nul", "-", "9223372036854775808"] {
        assert_eq!(
            answer(increment, "increment", bad),
            r#"{"error":"increment takes null or an integer"}"#,
            "{:?}",
            bad
        );
    }
    assert_eq!(answer(add, "add", "[2]"), r#"{"error":"add takes [an integer, an integer]"}"#);
}

#[cfg(feature = "serde")]
#[test]
fn bad_arguments_are_answered_with_serde_json_errors() {
    let text = answer(add, "add", "[2]");
    assert!(text.starts_with(r#"{"error":"add argument: invalid length 1"#), "{}", text);
    assert!(answer(increment, "increment", "\"5\"").starts_with(r#"{"error":"increment argument: invalid type"#));
}

#[test]
fn several_parameters_take_an_array() {
    assert_eq!(answer(add, "add", "[2, 3]"), "5");
    assert_eq!(answer(greet, "greet", r#"["hi",2]"#), r#"["hi","hi"]"#);
}

#[test]
fn no_parameter_ignores_the_argument_and_raw_gets_the_bytes() {
    assert_eq!(answer(get, "get", "not even json"), "5");
    let raw = b"{ \"a\" : 1 }";
    let packed = unsafe { abi::call_raw(echo, raw.as_ptr(), raw.len()) };
    assert_eq!(abi::unpack(packed).1 as usize, raw.len());
}

#[test]
fn pack_and_unpack() {
    assert_eq!(abi::pack(0x1234_5678, 9), 0x1234_5678_0000_0009);
    assert_eq!(abi::unpack(0xffff_fff0_0000_0003), (0xffff_fff0, 3));
    assert_eq!(abi::unpack(abi::pack(u32::MAX, u32::MAX)), (u32::MAX, u32::MAX));
}

#[test]
fn alloc_and_dealloc_blocks() {
    let p = abi::alloc(16);
    assert!(!p.is_null());
    unsafe {
        std::ptr::write_bytes(p, 1, 16);
        abi::dealloc(p, 16);
        // Empty blocks are never allocated and freeing them does nothing.
        abi::dealloc(abi::alloc(0), 0);
    }
}

#[test]
fn error_answers_are_escaped_json() {
    let text = String::from_utf8(abi::error_answer("f\"", "takes \"x\"")).unwrap();
    assert_eq!(Json::parse(text.as_bytes()).unwrap(), Json::error("f\" takes \"x\""));
}

fn unhealthy() -> Result<(), String> {
    Err("disk on fire".into())
}

// The macros expand in a test crate as they would in a guest.
hotwasm::guest!(api_version = "2.1.0-rc.1", health_check = unhealthy);
hotwasm::export!(increment, add, get);
hotwasm::export_raw!(echo);

#[test]
fn semver_is_checked_at_compile_time() {
    assert_eq!(&hotwasm::__semver_bytes::<5>("1.0.0"), b"1.0.0");
    assert_eq!(&hotwasm::__semver_bytes::<11>("10.20.30+b1"), b"10.20.30+b1");
    for bad in ["1.0", "1..0", "v1.0.0", "1.0.0-", "1.0.x", ".1.0"] {
        let r = std::panic::catch_unwind(|| match bad.len() {
            3 => hotwasm::__semver_bytes::<3>(bad).to_vec(),
            4 => hotwasm::__semver_bytes::<4>(bad).to_vec(),
            5 => hotwasm::__semver_bytes::<5>(bad).to_vec(),
            6 => hotwasm::__semver_bytes::<6>(bad).to_vec(),
            n => panic!("no case for {}", n),
        });
        assert!(r.is_err(), "{:?} must be refused", bad);
    }
}
