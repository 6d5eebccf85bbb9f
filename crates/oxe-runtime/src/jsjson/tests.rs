use super::*;
use serde_json::json;
use std::process::Command;

fn num(f: f64) -> Value {
    Value::Number(Number::from_f64(f).expect("finite"))
}

/// Deterministic splitmix64; no dependency needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

// ---------------------------------------------------------------- numbers

#[test]
fn numbers_render_like_js() {
    let cases: &[(f64, &str)] = &[
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (-1.0, "-1"),
        (0.1, "0.1"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1.5, "1.5"),
        (100.0, "100"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (123456789012345680000.0, "123456789012345680000"),
        (1.5e300, "1.5e+300"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (1e-6, "0.000001"),
        (0.000001234, "0.000001234"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
        (9007199254740992.0, "9007199254740992"),
        (-9007199254740992.0, "-9007199254740992"),
        (1e300 * 10.0, "1e+301"),
        (42.42, "42.42"),
        (-273.15, "-273.15"),
    ];
    for &(f, want) in cases {
        assert_eq!(to_line(&num(f)), want, "to_line({f:?})");
        assert_eq!(to_pretty(&num(f)), want, "to_pretty({f:?})");
        assert_eq!(number_to_js_string(f), want, "number_to_js_string({f:?})");
    }
}

#[test]
fn non_finite_numbers() {
    assert_eq!(number_to_js_string(f64::NAN), "NaN");
    assert_eq!(number_to_js_string(f64::INFINITY), "Infinity");
    assert_eq!(number_to_js_string(f64::NEG_INFINITY), "-Infinity");
    // a Value cannot hold them; serde turns them into null, as JSON.stringify
    assert_eq!(stringify(&f64::INFINITY, false).unwrap(), "null");
    assert_eq!(stringify(&[f64::NAN, 1.0], false).unwrap(), "[null,1]");
    let mut out = String::new();
    write_f64(&mut out, f64::NEG_INFINITY);
    assert_eq!(out, "null");
}

#[test]
fn integers_beyond_2_pow_53_render_as_doubles() {
    let cases: &[(Value, &str)] = &[
        (json!(9007199254740993u64), "9007199254740992"),
        (json!(9007199254740995u64), "9007199254740996"),
        (json!(-9007199254740993i64), "-9007199254740992"),
        (json!(u64::MAX), "18446744073709552000"),
        (json!(i64::MIN), "-9223372036854776000"),
        (json!(i64::MAX), "9223372036854776000"),
        (json!(12345678901234567u64), "12345678901234568"),
        (json!(9007199254740991u64), "9007199254740991"),
        (json!(-9007199254740991i64), "-9007199254740991"),
        (json!(0u64), "0"),
        (json!(-5i64), "-5"),
    ];
    for (v, want) in cases {
        assert_eq!(to_line(v), *want, "{v:?}");
        assert_eq!(js_string(v), *want, "{v:?}");
    }
}

// ---------------------------------------------------------------- strings

#[test]
fn string_escaping_matches_json_stringify() {
    let s = "q\"b\\s/\u{8}\u{c}\n\r\t\u{0}\u{1}\u{1f}\u{7f}\u{2028}\u{2029}é😀";
    assert_eq!(
        to_line(&json!(s)),
        "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\u{7f}\u{2028}\u{2029}é😀\""
    );
    assert_eq!(to_line(&json!("")), "\"\"");
    assert_eq!(to_line(&json!("\u{b}\u{1b}")), "\"\\u000b\\u001b\"");
    assert_eq!(to_line(&json!("plain")), "\"plain\"");
}

// ---------------------------------------------------------------- key order

#[test]
fn integer_like_keys_come_first_in_numeric_order() {
    let v = parse(
        r#"{"b":1,"10":2,"a":3,"2":4,"01":5,"-1":6,"1.5":7,"4294967295":8,"4294967294":9,"0":10,"":11," 1":12}"#,
    )
    .unwrap();
    assert_eq!(
        to_line(&v),
        r#"{"0":10,"2":4,"10":2,"4294967294":9,"b":1,"a":3,"01":5,"-1":6,"1.5":7,"4294967295":8,"":11," 1":12}"#
    );
}

#[test]
fn array_index_bounds() {
    assert_eq!(array_index("0"), Some(0));
    assert_eq!(array_index("7"), Some(7));
    assert_eq!(array_index("4294967294"), Some(4_294_967_294));
    assert_eq!(array_index("4294967295"), None);
    assert_eq!(array_index("9999999999"), None);
    assert_eq!(array_index("10000000000"), None);
    assert_eq!(array_index("00"), None);
    assert_eq!(array_index("01"), None);
    assert_eq!(array_index("+1"), None);
    assert_eq!(array_index("1a"), None);
    assert_eq!(array_index(""), None);
}

#[test]
fn nested_objects_are_reordered_too() {
    let v = json!({"z": {"b": 1, "1": 2}, "arr": [{"x": 1, "0": 0}]});
    assert_eq!(to_line(&v), r#"{"z":{"1":2,"b":1},"arr":[{"0":0,"x":1}]}"#);
}

// ---------------------------------------------------------------- layout

#[test]
fn compact_layout() {
    let v = json!({"a": [1, 2, {"b": null}], "c": {}, "d": [], "e": true, "f": "x"});
    assert_eq!(
        to_line(&v),
        r#"{"a":[1,2,{"b":null}],"c":{},"d":[],"e":true,"f":"x"}"#
    );
}

#[test]
fn pretty_layout_matches_js() {
    let v = json!({"a": [1, 2, {"b": null}], "c": {}, "d": [], "e": {"f": [[]]}, "g": 1.5});
    let want = "{\n  \"a\": [\n    1,\n    2,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": {},\n  \"d\": [],\n  \"e\": {\n    \"f\": [\n      []\n    ]\n  },\n  \"g\": 1.5\n}";
    assert_eq!(to_pretty(&v), want);
    assert_eq!(to_pretty(&json!([])), "[]");
    assert_eq!(to_pretty(&json!({})), "{}");
    assert_eq!(to_pretty(&json!("s")), "\"s\"");
    assert_eq!(to_pretty(&json!(null)), "null");
}

#[test]
fn deep_pretty_indent() {
    let mut v = json!(1);
    for _ in 0..40 {
        v = json!([v]);
    }
    let p = to_pretty(&v);
    let deepest = p.lines().find(|l| l.trim() == "1").unwrap();
    assert_eq!(deepest.len(), 40 * 2 + 1);
    assert_eq!(parse(&p).unwrap(), v);
}

#[test]
fn write_to_appends() {
    let mut out = String::from("x");
    write_to(&mut out, &json!({"a": 1}), false);
    write_to(&mut out, &json!({"a": 1}), true);
    assert_eq!(out, "x{\"a\":1}{\n  \"a\": 1\n}");
}

// ---------------------------------------------------------------- stringify

#[derive(serde::Serialize)]
struct Event<'a> {
    z_first: u32,
    a_second: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<u32>,
    ratio: f64,
    big: u64,
}

#[test]
fn stringify_keeps_field_order_and_js_numbers() {
    let e = Event {
        z_first: 1,
        a_second: "x",
        missing: None,
        ratio: 2.0,
        big: 1 << 60,
    };
    assert_eq!(
        stringify(&e, false).unwrap(),
        r#"{"z_first":1,"a_second":"x","ratio":2,"big":1152921504606847000}"#
    );
    assert_eq!(
        stringify(&e, true).unwrap(),
        "{\n  \"z_first\": 1,\n  \"a_second\": \"x\",\n  \"ratio\": 2,\n  \"big\": 1152921504606847000\n}"
    );
    let mut m = std::collections::BTreeMap::new();
    m.insert("b".to_string(), 1);
    m.insert("3".to_string(), 2);
    assert_eq!(stringify(&m, false).unwrap(), r#"{"3":2,"b":1}"#);
    assert_eq!(stringify("str", false).unwrap(), "\"str\"");
}

// ---------------------------------------------------------------- parse

#[test]
fn parse_duplicate_keys_like_js() {
    let v = parse(r#"{"a":1,"b":2,"a":3}"#).unwrap();
    assert_eq!(to_line(&v), r#"{"a":3,"b":2}"#);
}

#[test]
fn parse_numbers() {
    assert_eq!(parse("0").unwrap(), json!(0u64));
    assert_eq!(parse("-7").unwrap(), json!(-7i64));
    assert_eq!(parse("18446744073709551615").unwrap(), json!(u64::MAX));
    assert_eq!(
        to_line(&parse("18446744073709551616").unwrap()),
        "18446744073709552000"
    );
    assert_eq!(
        to_line(&parse("-9223372036854775809").unwrap()),
        "-9223372036854776000"
    );
    let neg_zero = parse("-0").unwrap();
    assert!(neg_zero.as_f64().unwrap().is_sign_negative());
    assert_eq!(to_line(&neg_zero), "0");
    assert_eq!(parse("1E400").unwrap(), Value::Null);
    assert_eq!(parse("-1e400").unwrap(), Value::Null);
    assert_eq!(parse("1e-400").unwrap().as_f64(), Some(0.0));
    // a value the fast-but-inexact path of serde_json gets wrong
    let text = "2.2250738585072011e-308";
    assert_eq!(
        parse(text).unwrap().as_f64().unwrap().to_bits(),
        text.parse::<f64>().unwrap().to_bits()
    );
}

#[test]
fn parse_strings_and_escapes() {
    assert_eq!(
        parse(r#""a\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00""#).unwrap(),
        json!("a\"\\/\u{8}\u{c}\n\r\tAé😀")
    );
    // lone surrogates (JSON.parse accepts them) become U+FFFD
    assert_eq!(parse(r#""\ud800""#).unwrap(), json!("\u{FFFD}"));
    assert_eq!(parse(r#""\udc00x""#).unwrap(), json!("\u{FFFD}x"));
    assert_eq!(parse(r#""\ud800\u0041""#).unwrap(), json!("\u{FFFD}A"));
    assert_eq!(
        parse(r#""\ud800\ud83d\ude00""#).unwrap(),
        json!("\u{FFFD}😀")
    );
    assert_eq!(parse("\"é€😀\"").unwrap(), json!("é€😀"));
}

#[test]
fn parse_rejects_what_json_parse_rejects() {
    for bad in [
        "",
        " ",
        "{",
        "[1,]",
        "{\"a\":1,}",
        "01",
        "1.",
        ".5",
        "+1",
        "1e",
        "-",
        "NaN",
        "Infinity",
        "undefined",
        "'a'",
        "\"a",
        "\"\t\"",
        "\"\\x\"",
        "\"\\u12\"",
        "[1] 2",
        "{a:1}",
        "tru",
        "nulll",
        "\u{feff}{}",
        "[1,\n2",
    ] {
        let err = parse(bad);
        assert!(err.is_err(), "{bad:?} should not parse: {err:?}");
    }
}

#[test]
fn parse_errors_have_positions() {
    let err = parse("{\n  \"a\": 1,\n  \"b\": ?\n}").unwrap_err();
    assert_eq!((err.line(), err.column()), (3, 8));
}

#[test]
fn parse_depth() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(parse(&deep(300)).is_ok());
    assert!(parse(&deep(100_000)).is_err());
}

#[test]
fn parse_whitespace_and_roundtrip() {
    let v = parse(" \t\n\r{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \n").unwrap();
    assert_eq!(to_line(&v), r#"{"a":[1,2],"b":{}}"#);
    assert_eq!(parse(&to_pretty(&v)).unwrap(), v);
}

// ---------------------------------------------------------------- js_string, truthy

#[test]
fn js_string_conversion() {
    assert_eq!(js_string(&json!("s")), "s");
    assert_eq!(js_string(&json!(null)), "null");
    assert_eq!(js_string(&json!(true)), "true");
    assert_eq!(js_string(&json!(false)), "false");
    assert_eq!(js_string(&num(1.0)), "1");
    assert_eq!(js_string(&num(1e21)), "1e+21");
    assert_eq!(js_string(&num(-0.0)), "0");
    assert_eq!(
        js_string(&json!([1, null, "a", [2, [3, null]], {"x": 1}, true])),
        "1,,a,2,3,,[object Object],true"
    );
    assert_eq!(js_string(&json!([])), "");
    assert_eq!(js_string(&json!([null])), "");
    assert_eq!(js_string(&json!({})), "[object Object]");
}

#[test]
fn truthiness() {
    for v in [
        json!(null),
        json!(false),
        json!(0),
        json!(""),
        num(-0.0),
        num(0.0),
        json!(0i64),
    ] {
        assert!(!truthy(&v), "{v:?} should be falsy");
    }
    for v in [
        json!(true),
        json!(1),
        json!(-1),
        num(0.5),
        json!("0"),
        json!(" "),
        json!([]),
        json!({}),
        json!(u64::MAX),
    ] {
        assert!(truthy(&v), "{v:?} should be truthy");
    }
}

// ---------------------------------------------------------------- speed

#[test]
fn to_line_speed_smoke() {
    let v = json!({
        "id": "evt_7f3a9c2b1d4e",
        "type": "node_completed",
        "ts": "2025-11-25T08:59:12.345Z",
        "run_id": "run_01",
        "session": null,
        "payload": {"node_id": "T-12", "status": "completed", "attempt": 2, "duration_ms": 1234.5,
                    "tags": ["fast", "verify"], "exit_code": 0}
    });
    let n = 20_000;
    let start = std::time::Instant::now();
    let mut total = 0usize;
    for _ in 0..n {
        total += to_line(std::hint::black_box(&v)).len();
    }
    let per = start.elapsed() / n;
    eprintln!("to_line on a typical event: {per:?} per call ({total} bytes)");
    // very loose: catches pathological regressions only (debug builds too)
    assert!(per < std::time::Duration::from_micros(50), "{per:?}");
}

// ---------------------------------------------------------------- node

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn temp_file(name: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!("oxe-jsjson-{}-{nanos}-{name}", std::process::id()))
}

/// Runs node on a file holding a JSON array of JSON *texts*; node returns
/// `[JSON.stringify(JSON.parse(t)), JSON.stringify(JSON.parse(t), null, 2)]`
/// for each.
fn node_render(texts: &[String]) -> Vec<(String, String)> {
    let file = temp_file("texts.json");
    std::fs::write(&file, serde_json::to_string(texts).unwrap()).unwrap();
    let script = "const fs=require('fs');\
        const ts=JSON.parse(fs.readFileSync(process.argv[1],'utf8'));\
        const out=ts.map(t=>{const v=JSON.parse(t);return [JSON.stringify(v),JSON.stringify(v,null,2)];});\
        process.stdout.write(JSON.stringify(out));";
    let out = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn gen_number(r: &mut Rng) -> Value {
    const SPECIAL: &[f64] = &[
        0.0,
        -0.0,
        0.1,
        0.2,
        0.3,
        1.0,
        -1.0,
        0.5,
        1e21,
        1e20,
        9.999999999999999e20,
        1e-7,
        1e-6,
        1.5e-7,
        5e-324,
        -5e-324,
        2.2250738585072014e-308,
        1.7976931348623157e308,
        9007199254740992.0,
        9007199254740994.0,
        123456789012345680000.0,
        1e100,
        1.23e-100,
        4294967295.0,
        4294967296.0,
        0.000001,
        0.0000001,
        100.0,
        1234.5678,
        1e15,
        1e16,
        1e17,
    ];
    const SPECIAL_INT: &[i128] = &[
        0,
        1,
        -1,
        9007199254740991,
        9007199254740992,
        9007199254740993,
        -9007199254740993,
        18446744073709551615,
        9223372036854775807,
        -9223372036854775808,
        12345678901234567890,
    ];
    match r.below(7) {
        0 => Value::from(SPECIAL[r.below(SPECIAL.len())] * if r.chance(20) { -1.0 } else { 1.0 }),
        1 => {
            let i = SPECIAL_INT[r.below(SPECIAL_INT.len())];
            if i < 0 {
                Value::from(i as i64)
            } else {
                Value::from(i as u64)
            }
        }
        2 => loop {
            let f = f64::from_bits(r.next());
            if f.is_finite() {
                break Value::from(f);
            }
        },
        3 => {
            let bits = r.below(64) as u32;
            let n = if bits == 0 {
                0
            } else {
                r.next() >> (64 - bits)
            };
            if r.chance(30) && n <= i64::MAX as u64 {
                Value::from(-(n as i64))
            } else {
                Value::from(n)
            }
        }
        4 => {
            let m = r.below(10_000_000) as f64;
            let e = r.below(12) as i32;
            Value::from(m / 10f64.powi(e))
        }
        5 => {
            let m = (r.below(1_000_000) + 1) as f64;
            let e = r.below(60) as i32 - 30;
            Value::from(m * 10f64.powi(e))
        }
        _ => Value::from(r.below(1000) as u64),
    }
}

fn gen_string(r: &mut Rng) -> String {
    const POOL: &[char] = &[
        'a', 'b', 'z', 'A', '0', '9', ' ', '"', '\\', '/', '\'', '\u{0}', '\u{1}', '\u{8}', '\t',
        '\n', '\u{b}', '\u{c}', '\r', '\u{1b}', '\u{1f}', '\u{7f}', '\u{80}', '\u{a0}', 'é', '€',
        '\u{2028}', '\u{2029}', '\u{feff}', '\u{fffd}', '\u{ffff}', '😀', '𝄞', '中', '<', '&',
    ];
    let len = r.below(14);
    (0..len).map(|_| POOL[r.below(POOL.len())]).collect()
}

fn gen_key(r: &mut Rng) -> String {
    const KEYS: &[&str] = &[
        "0",
        "1",
        "2",
        "10",
        "9",
        "42",
        "4294967294",
        "4294967295",
        "4294967296",
        "01",
        "-1",
        "1.5",
        "1e3",
        " 1",
        "",
        "id",
        "type",
        "__proto__",
        "constructor",
        "a",
        "b",
        "length",
        "9007199254740993",
        "00",
    ];
    match r.below(3) {
        0 => KEYS[r.below(KEYS.len())].to_string(),
        1 => r.below(100_000).to_string(),
        _ => gen_string(r),
    }
}

fn gen_value(r: &mut Rng, depth: usize) -> Value {
    let kind = if depth >= 4 { r.below(4) } else { r.below(7) };
    match kind {
        0 => Value::Null,
        1 => Value::Bool(r.chance(50)),
        2 => gen_number(r),
        3 => Value::String(gen_string(r)),
        4 | 5 => {
            let n = r.below(7);
            let mut m = Map::new();
            for _ in 0..n {
                m.insert(gen_key(r), gen_value(r, depth + 1));
            }
            Value::Object(m)
        }
        _ => {
            let n = r.below(6);
            Value::Array((0..n).map(|_| gen_value(r, depth + 1)).collect())
        }
    }
}

#[test]
fn property_matches_node_json_stringify() {
    if !node_available() {
        eprintln!("NOTE: `node` not on PATH; skipping the node comparison");
        return;
    }
    let mut r = Rng(0x0_5EED_1234);
    let values: Vec<Value> = (0..3000).map(|_| gen_value(&mut r, 0)).collect();
    // serde_json's own output: numbers round-trip, key order as inserted
    let texts: Vec<String> = values
        .iter()
        .map(|v| serde_json::to_string(v).unwrap())
        .collect();
    let node = node_render(&texts);
    assert_eq!(node.len(), values.len());
    let mut failures = 0;
    for ((v, text), (line, pretty)) in values.iter().zip(&texts).zip(&node) {
        let parsed = parse(text).unwrap();
        for (what, ours, theirs) in [
            ("to_line(generated)", to_line(v), line),
            ("to_line(parsed)", to_line(&parsed), line),
            ("to_pretty(generated)", to_pretty(v), pretty),
            ("to_pretty(parsed)", to_pretty(&parsed), pretty),
        ] {
            if &ours != theirs {
                failures += 1;
                if failures < 10 {
                    eprintln!("MISMATCH {what} for {text}\n ours: {ours}\n node: {theirs}");
                }
            }
        }
    }
    assert_eq!(failures, 0, "{failures} mismatches with node");
}

#[test]
fn handcrafted_texts_match_node() {
    if !node_available() {
        eprintln!("NOTE: `node` not on PATH; skipping the node comparison");
        return;
    }
    let texts: Vec<String> = [
        r#"{"a":1,"b":2,"a":3}"#,
        r#"{"b":1,"2":1,"1":2,"a":{"10":1,"9":2},"1":5}"#,
        "-0",
        "[-0.0,1E400,-1e400,1e-400]",
        "12345678901234567890123",
        "[1e-7,1e21,123e18,0.000001,1E+2,1e-0,0.1e1]",
        r#""\u2028\u0000\ud83d\ude00\/\u001F""#,
        r#"{"__proto__":1,"constructor":{}}"#,
        r#"{"4294967295":1,"4294967294":2,"1":3,"4294967296":4}"#,
        " \t\n\r[1 , 2 ,{ } , [ ] ]\n",
        "9007199254740993",
        "-9223372036854775809",
        "1.7976931348623157e309",
        "2.2250738585072011e-308",
        "0.1000000000000000055511151231257827021181583404541015625",
        "[1.00000000000000011102230246251565404236316680908203125,9007199254740993.0]",
        r#"{"":"","0":[],"00":{}}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let node = node_render(&texts);
    for (text, (line, pretty)) in texts.iter().zip(&node) {
        let v = parse(text).unwrap();
        assert_eq!(&to_line(&v), line, "to_line of {text}");
        assert_eq!(&to_pretty(&v), pretty, "to_pretty of {text}");
    }
}

#[test]
fn number_to_js_string_matches_node() {
    if !node_available() {
        eprintln!("NOTE: `node` not on PATH; skipping the node comparison");
        return;
    }
    let mut r = Rng(77);
    let mut nums: Vec<f64> = Vec::new();
    for _ in 0..2000 {
        if let Some(f) = gen_number(&mut r).as_f64() {
            nums.push(f);
        }
    }
    // pass exact bit patterns so nothing is lost on the way
    let bits: Vec<String> = nums
        .iter()
        .map(|f| format!("{:016x}", f.to_bits()))
        .collect();
    let file = temp_file("bits.json");
    std::fs::write(&file, serde_json::to_string(&bits).unwrap()).unwrap();
    let script = "const fs=require('fs');\
        const bs=JSON.parse(fs.readFileSync(process.argv[1],'utf8'));\
        const dv=new DataView(new ArrayBuffer(8));\
        process.stdout.write(JSON.stringify(bs.map(b=>{dv.setBigUint64(0,BigInt('0x'+b));return String(dv.getFloat64(0));})));";
    let out = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    for (f, t) in nums.iter().zip(&theirs) {
        assert_eq!(&number_to_js_string(*f), t, "bits {:016x}", f.to_bits());
    }
}

#[test]
fn parse_roundtrips_every_double_exactly() {
    let mut r = Rng(2024);
    let mut serde_misses = 0;
    for _ in 0..200_000 {
        let f = f64::from_bits(r.next());
        if !f.is_finite() {
            continue;
        }
        for text in [serde_json::to_string(&f).unwrap(), number_to_js_string(f)] {
            let back = parse(&text).unwrap().as_f64().unwrap();
            assert_eq!(back.to_bits(), f.to_bits(), "{text}");
            if serde_json::from_str::<f64>(&text).map(f64::to_bits).ok() != Some(f.to_bits()) {
                serde_misses += 1;
            }
        }
    }
    eprintln!("serde_json's default float parser missed {serde_misses} of 400000 round trips");
}
