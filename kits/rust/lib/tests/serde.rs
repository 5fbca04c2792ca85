//! The `serde` feature: serde types through exports, and `Json` as a serde type.
#![cfg(feature = "serde")]

use hotwasm::abi::Export;
use hotwasm::serde_json::{self, json, Value};
use hotwasm::Json;

fn answer<M>(f: impl Export<M>, arg: &str) -> String {
    String::from_utf8(f.answer("f", arg.as_bytes())).unwrap()
}

fn pairs(items: Vec<(i64, String)>) -> Value {
    json!({ "count": items.len(), "first": items.first() })
}

fn same(v: Json) -> Json {
    v
}

#[test]
fn serde_types_in_and_out() {
    assert_eq!(answer(pairs, r#"[[1,"a"],[2,"b"]]"#), r#"{"count":2,"first":[1,"a"]}"#);
    assert_eq!(answer(|a: i64, b: i64| a * b, "[6,7]"), "42");
}

#[test]
fn json_is_a_serde_type() {
    assert_eq!(answer(same, r#"{"a":[1,-2,3.5,18446744073709551615,null,true,"é"]}"#), r#"{"a":[1,-2,3.5,18446744073709551615,null,true,"é"]}"#);
    let v: Json = serde_json::from_str("[1]").unwrap();
    assert_eq!(v, Json::parse(b"[1]").unwrap());
}
