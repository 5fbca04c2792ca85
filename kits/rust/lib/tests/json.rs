//! The zero-dependency JSON path: parser, serialiser, conversions.

use hotwasm::{FromJson, Json, Number, ToJson};

fn parse(text: &str) -> Json {
    Json::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{:?}: {}", text, e))
}

fn text(v: &Json) -> String {
    String::from_utf8(v.to_bytes()).unwrap()
}

#[test]
fn round_trips_compact_text() {
    for t in [
        "null",
        "true",
        "false",
        "0",
        "-7",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551615",
        "1.5",
        "-0.25",
        "1e+21",
        "1.5e-7",
        r#""""#,
        r#""héllo ü€ 😀""#,
        r#""a\"b\\c\nd\re\tf\bg\fh\u0001""#,
        "[]",
        "{}",
        r#"[1,[2,[3]],{"a":null}]"#,
        r#"{"z":1,"a":2,"m":{"k":[true,false]}}"#,
    ] {
        assert_eq!(text(&parse(t)), t, "round trip of {}", t);
        assert_eq!(parse(&text(&parse(t))), parse(t), "value round trip of {}", t);
    }
}

#[test]
fn whitespace_and_normalisation() {
    assert_eq!(text(&parse(" \t\n{ \"a\" : [ 1 , 2 ] }\r\n")), r#"{"a":[1,2]}"#);
    // Parsed fractions are written as they came (the exact value), less leading zeros.
    assert_eq!(text(&parse("1.50")), "1.50");
    assert_eq!(text(&parse("1E2")), "1E2");
    assert_eq!(text(&parse("-00.5e3")), "-0.5e3");
    assert_eq!(text(&parse("0012.5")), "12.5");
    assert_eq!(text(&parse("000")), "0");
    assert_eq!(text(&parse("-0012")), "-12");
    assert_eq!(text(&parse("123456789012345678901234567890")), "123456789012345678901234567890");
    assert_eq!(parse("1e400").as_f64(), Some(f64::INFINITY));
    assert_eq!(text(&Json::Number(Number::from_f64(f64::INFINITY))), "null"); // no JSON form
    assert_eq!(text(&parse("\"\\/\"")), "\"/\"");
    assert_eq!(text(&parse("-0")), "0");
}

#[test]
fn object_order_and_access() {
    let v = parse(r#"{"b":1,"a":"x","b":2}"#);
    let keys: Vec<&str> = v.as_object().unwrap().iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["b", "a", "b"]);
    assert_eq!(v.get("b").and_then(Json::as_i64), Some(1));
    assert_eq!(v.get("a").and_then(Json::as_str), Some("x"));
    assert_eq!(parse("[5,6]").at(1).and_then(Json::as_i64), Some(6));
}

#[test]
fn unicode_escapes_and_surrogate_pairs() {
    assert_eq!(parse(r#""\u00e9\u20AC""#), Json::String("é€".into()));
    assert_eq!(parse(r#""\ud83d\ude00""#), Json::String("😀".into()));
    for bad in [r#""\ud83d""#, r#""\ud83dx""#, r#""\ude00""#, r#""\ud83d\u0041""#, r#""\u12""#, r#""\x""#] {
        assert!(Json::parse(bad.as_bytes()).is_err(), "{} must be refused", bad);
    }
}

#[test]
fn refuses_what_is_not_json() {
    for bad in [
        "", " ", "nul", "nulls", "tru", "-", "1.", ".5", "1e", "+1", "5x", "[1,]", "[1 2]", "{\"a\"}",
        "{\"a\":1,}", "{a:1}", "'a'", "\"abc", "\"a\u{1}b\"", "[", "]", "NaN", "Infinity",
    ] {
        assert!(Json::parse(bad.as_bytes()).is_err(), "{:?} must be refused", bad);
    }
    assert_eq!(Json::parse(b"\"\xff\"").unwrap_err().message, "invalid UTF-8");
    let deep = "[".repeat(200) + &"]".repeat(200);
    assert_eq!(Json::parse(deep.as_bytes()).unwrap_err().message, "nested too deeply");
    let ok = "[".repeat(128) + &"]".repeat(128);
    assert!(Json::parse(ok.as_bytes()).is_ok());
}

#[test]
fn leading_zeros_are_read_like_the_counters_do() {
    assert_eq!(parse("007").as_i64(), Some(7));
    assert_eq!(parse("-007").as_i64(), Some(-7));
}

#[test]
fn numbers_keep_exact_integers() {
    assert_eq!(parse("9007199254740993").as_i64(), Some(9007199254740993));
    assert_eq!(parse("1.0").as_i64(), None);
    assert_eq!(parse("1e2").as_i64(), None);
    assert_eq!(parse("1.0").as_f64(), Some(1.0));
    assert_eq!(parse("99999999999999999999").as_f64(), Some(1e20));
    assert_eq!(Number::from_u64(5), Number::from_i64(5));
    assert_eq!(Number::from_f64(2.0), Number::from_i64(2));
    assert_eq!(text(&Json::Number(Number::from_f64(0.1 + 0.2))), "0.30000000000000004");
    assert_eq!(text(&f64::NAN.to_json()), "null");
    assert_eq!(text(&2.0f64.to_json()), "2");
    assert_eq!(text(&0.1f32.to_json()), "0.1");
}

#[test]
fn serialiser_escapes_control_characters_only() {
    let s = "q\"b\\ \u{0} \u{1f} \u{7f} é \u{2028}";
    assert_eq!(text(&s.to_json()), "\"q\\\"b\\\\ \\u0000 \\u001f \u{7f} é \u{2028}\"");
    assert_eq!(parse(&text(&s.to_json())), Json::String(s.into()));
}

#[test]
fn from_json_conversions() {
    assert_eq!(i64::from_json(&parse("-3")), Some(-3));
    assert_eq!(i32::from_json(&parse("3000000000")), None);
    assert_eq!(u32::from_json(&parse("-1")), None);
    assert_eq!(u64::from_json(&parse("18446744073709551615")), Some(u64::MAX));
    assert_eq!(f64::from_json(&parse("3")), Some(3.0));
    assert_eq!(bool::from_json(&parse("true")), Some(true));
    assert_eq!(String::from_json(&parse("\"a\"")), Some("a".into()));
    assert_eq!(String::from_json(&parse("1")), None);
    assert_eq!(Option::<i64>::from_json(&parse("null")), Some(None));
    assert_eq!(Option::<i64>::from_json(&parse("4")), Some(Some(4)));
    assert_eq!(Option::<i64>::from_json(&parse("\"4\"")), None);
    assert_eq!(Vec::<i64>::from_json(&parse("[1,2]")), Some(vec![1, 2]));
    assert_eq!(Vec::<i64>::from_json(&parse("[1,\"2\"]")), None);
    assert_eq!(<(i64, String)>::from_json(&parse("[1,\"a\"]")), Some((1, "a".into())));
    assert_eq!(<(i64, String)>::from_json(&parse("[1,\"a\",3]")), None);
    assert_eq!(<()>::from_json(&parse("null")), Some(()));
    assert_eq!(Json::from_json(&parse("[1]")), Some(parse("[1]")));
}

#[test]
fn expected_descriptions() {
    assert_eq!(Option::<i64>::expected(), "null or an integer");
    assert_eq!(<(i64, String)>::expected(), "[an integer, a string]");
    assert_eq!(Vec::<bool>::expected(), "an array, each item true or false");
}

#[test]
fn to_json_conversions() {
    assert_eq!(text(&vec![Some(1), None].to_json()), "[1,null]");
    let mut out = Vec::new();
    vec![Some(1u8), None].write_json(&mut out);
    assert_eq!(out, b"[1,null]");
    assert_eq!(text(&(1, "a", true).to_json()), r#"[1,"a",true]"#);
    assert_eq!(text(&"x".to_json()), r#""x""#);
    let map: std::collections::BTreeMap<String, i64> = [("b".to_string(), 2), ("a".to_string(), 1)].into_iter().collect();
    assert_eq!(text(&map.to_json()), r#"{"a":1,"b":2}"#);
    assert_eq!(text(&Json::error("bad")), r#"{"error":"bad"}"#);
    assert_eq!(Json::Null.to_string(), "null");
}
