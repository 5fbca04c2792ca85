//! State: the default versioned encoding, its refusals, and the global `state!` declares.

use hotwasm::state::{Reader, Writer};
use hotwasm::State;

hotwasm::versioned_state! {
    version 3;
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Everything {
        pub n: i64,
        pub small: u8,
        pub flag: bool,
        pub ratio: f64,
        pub size: usize,
        pub name: String,
        pub list: Vec<u32>,
        pub maybe: Option<String>,
        pub pair: (i16, bool),
    }
}

fn sample() -> Everything {
    Everything {
        n: -2,
        small: 7,
        flag: true,
        ratio: 0.5,
        size: 9,
        name: "hé".into(),
        list: vec![1, 2],
        maybe: Some("x".into()),
        pair: (-1, false),
    }
}

#[test]
fn versioned_encoding_is_stable_little_endian() {
    let bytes = sample().encode();
    let mut want = vec![3];
    want.extend_from_slice(&(-2i64).to_le_bytes());
    want.push(7);
    want.push(1);
    want.extend_from_slice(&0.5f64.to_le_bytes());
    want.extend_from_slice(&9u64.to_le_bytes());
    want.extend_from_slice(&[3, 0, 0, 0, b'h', 0xc3, 0xa9]);
    want.extend_from_slice(&[2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0]);
    want.extend_from_slice(&[1, 1, 0, 0, 0, b'x']);
    want.extend_from_slice(&[0xff, 0xff, 0]);
    assert_eq!(bytes, want);
    assert_eq!(Everything::decode(&bytes), Some(sample()));
}

#[test]
fn versioned_decoding_refuses_what_it_cannot_read() {
    let good = sample().encode();
    assert_eq!(Everything::decode(&[]), None, "empty");
    let mut other_version = good.clone();
    other_version[0] = 2;
    assert_eq!(Everything::decode(&other_version), None, "wrong version");
    for cut in 1..good.len() {
        assert_eq!(Everything::decode(&good[..cut]), None, "cut at {}", cut);
    }
    let mut long = good.clone();
    long.push(0);
    assert_eq!(Everything::decode(&long), None, "trailing byte");
    let mut bad_bool = good.clone();
    bad_bool[10] = 2; // `flag`
    assert_eq!(Everything::decode(&bad_bool), None, "bool other than 0/1");
    let mut bad_utf8 = good.clone();
    bad_utf8[31] = 0xff; // first byte of `name`
    assert_eq!(Everything::decode(&bad_utf8), None, "invalid UTF-8");
    // A huge vector count must fail on the missing bytes, not try to allocate.
    let mut huge = vec![1u8];
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    hotwasm::versioned_state! { version 1; struct Many { items: Vec<u64> } }
    assert!(Many::decode(&huge).is_none());
}

#[test]
fn writer_and_reader_by_hand() {
    let mut w = Writer::versioned(9);
    w.put(&5u16).put(&"ab".to_string());
    let bytes = w.finish();
    assert_eq!(bytes, [9, 5, 0, 2, 0, 0, 0, b'a', b'b']);
    let mut r = Reader::versioned(&bytes, 9).unwrap();
    assert_eq!(r.take::<u16>(), Some(5));
    assert_eq!(r.take::<String>().as_deref(), Some("ab"));
    assert_eq!(r.end(), Some(()));
    assert!(Reader::versioned(&bytes, 8).is_none());
}

/// A hand-declared encoding, like counter-rust's: 8 bytes, little-endian.
struct Count(i64);
impl State for Count {
    fn encode(&self) -> Vec<u8> {
        self.0.to_le_bytes().to_vec()
    }
    fn decode(bytes: &[u8]) -> Option<Count> {
        Some(Count(i64::from_le_bytes(bytes.try_into().ok()?)))
    }
}

hotwasm::state!(COUNT: Count = Count(40));

#[test]
fn the_global_saves_and_restores_refusing_bad_bytes() {
    COUNT.with(|c| c.0 += 2);
    // save: packed pointer/length of the encoded bytes (64-bit host: only the length is
    // meaningful here, so check the encoding itself).
    assert_eq!(COUNT.with(|c| c.encode()), 42i64.to_le_bytes());
    let good = 7i64.to_le_bytes();
    assert_eq!(unsafe { COUNT.restore(good.as_ptr(), good.len()) }, 0);
    assert_eq!(COUNT.with(|c| c.0), 7);
    for bad in [&[1u8, 2, 3][..], &[], &[0; 9]] {
        assert_eq!(unsafe { COUNT.restore(bad.as_ptr(), bad.len()) }, 1);
        assert_eq!(COUNT.with(|c| c.0), 7, "a refusal keeps the state");
    }
}

#[test]
fn a_global_defaults_through_default() {
    hotwasm::versioned_state! { version 1; #[derive(Default, Clone)] struct Fresh { n: i64 } }
    static FRESH: hotwasm::Global<Fresh> = hotwasm::Global::new(Fresh::default);
    assert_eq!(FRESH.get().n, 0);
    FRESH.set(Fresh { n: 5 });
    assert_eq!(FRESH.with(|f| f.n), 5);
}
