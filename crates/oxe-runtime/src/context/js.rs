//! The JavaScript semantics the context and decision rules depend on, so
//! that scores, token counts and word splits match oxe-cc 1.4.0 exactly:
//! `text.length` in UTF-16 code units, the `\s` and ASCII `\W` classes,
//! `Math.round`/`Math.max`/`Math.min` with their NaN behaviour, ToNumber of
//! JSON values, and strict equality of JSON values.

use serde_json::{Number, Value};

/// `text.length`: the number of UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars().map(char::len_utf16).sum()
}

pub use crate::jsjson::is_js_space;

/// `s.split(/\s+/)` without the empty strings (callers only keep words of
/// more than 3 UTF-16 units, so empty pieces never matter).
pub fn split_js_space(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_js_space).filter(|w| !w.is_empty())
}

/// `s.split(/\W+/)` without the empty strings: the maximal runs of ASCII
/// word characters `[A-Za-z0-9_]`.
pub fn split_ascii_words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// `Math.round(x)`: halves go towards +∞; NaN and ±∞ are returned as is.
pub fn round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let f = x.floor();
    let r = if x - f >= 0.5 { f + 1.0 } else { f };
    if r == 0.0 && x < 0.0 {
        -0.0
    } else {
        r
    }
}

/// `Math.round(x * 100) / 100`.
pub fn round2(x: f64) -> f64 {
    round(x * 100.0) / 100.0
}

/// `Math.max(a, b)`: NaN if either is NaN.
pub fn max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

/// `Math.min(a, b)`: NaN if either is NaN.
pub fn min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

/// A JS number as a JSON value (`NaN` and `±Infinity` become `null`, as
/// `JSON.stringify` writes them).
pub fn number(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// A number-ish JS value as 1.4.0 uses it: compared as ToNumber, and
/// rendered in template strings as `String(value)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JsNumber {
    Number(f64),
    Null,
    Undefined,
}

impl JsNumber {
    /// ToNumber: `null` is 0, `undefined` NaN.
    pub fn value(self) -> f64 {
        match self {
            JsNumber::Number(n) => n,
            JsNumber::Null => 0.0,
            JsNumber::Undefined => f64::NAN,
        }
    }

    /// `${value}`.
    pub fn text(self) -> String {
        match self {
            JsNumber::Number(n) => crate::jsjson::number_to_js_string(n),
            JsNumber::Null => "null".into(),
            JsNumber::Undefined => "undefined".into(),
        }
    }

    /// The JSON value read as 1.4.0 would (absent is `undefined`).
    pub fn from_json(v: Option<&Value>) -> Self {
        match v {
            None => JsNumber::Undefined,
            Some(Value::Null) => JsNumber::Null,
            other => JsNumber::Number(to_number(other)),
        }
    }
}

/// ToNumber of a JSON value; `None` (an absent property, JS `undefined`)
/// is NaN. Strings follow `Number(s)` for decimal and `Infinity` forms.
pub fn to_number(v: Option<&Value>) -> f64 {
    match v {
        None => f64::NAN,
        Some(Value::Null) => 0.0,
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => string_to_number(s),
        Some(Value::Array(_) | Value::Object(_)) => f64::NAN,
    }
}

fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_space);
    if t.is_empty() {
        return 0.0;
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if unsigned == "Infinity" {
        return if t.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let decimal = unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !decimal
        || !unsigned
            .bytes()
            .next()
            .is_some_and(|b| b != b'e' && b != b'E')
    {
        return f64::NAN;
    }
    t.parse::<f64>().unwrap_or(f64::NAN)
}

/// `a === b` for values that crossed as JSON: numbers by value, strings,
/// booleans and null by content; two objects or arrays are never the same
/// object once copied, so they are unequal.
pub fn strict_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lengths_are_utf16() {
        assert_eq!(utf16_len("abcd"), 4);
        assert_eq!(utf16_len("ação"), 4);
        assert_eq!(utf16_len("🎉"), 2);
        assert_eq!(utf16_len("日本語"), 3);
    }

    #[test]
    fn whitespace_and_words() {
        let w: Vec<_> = split_js_space("\u{feff}add\u{a0}auth\u{85}x  y").collect();
        assert_eq!(w, ["add", "auth\u{85}x", "y"]);
        let w: Vec<_> = split_ascii_words("all-auth_ok, ação!! v2").collect();
        assert_eq!(w, ["all", "auth_ok", "a", "o", "v2"]);
    }

    #[test]
    fn math_round_matches_js() {
        assert_eq!(round(2.5), 3.0);
        assert_eq!(round(-2.5), -2.0);
        assert_eq!(round(0.499_999_999_999_999_94), 0.0);
        assert!(round(-0.2).is_sign_negative());
        assert!(round(f64::NAN).is_nan());
        assert_eq!(round2(0.8 + 0.1), 0.9);
        assert_eq!(round2(1.005), 1.0);
        assert_eq!(round2(0.575), 0.57);
    }

    #[test]
    fn nan_propagates_through_min_max() {
        assert!(max(0.0, f64::NAN).is_nan());
        assert!(min(1.0, f64::NAN).is_nan());
        assert_eq!(max(0.0, -1.0), 0.0);
    }

    #[test]
    fn to_number_like_js() {
        assert!(to_number(None).is_nan());
        assert_eq!(to_number(Some(&json!(null))), 0.0);
        assert_eq!(to_number(Some(&json!(true))), 1.0);
        assert_eq!(to_number(Some(&json!(" 2.5 "))), 2.5);
        assert_eq!(to_number(Some(&json!(""))), 0.0);
        assert_eq!(to_number(Some(&json!("-Infinity"))), f64::NEG_INFINITY);
        assert!(to_number(Some(&json!("inf"))).is_nan());
        assert!(to_number(Some(&json!("nan"))).is_nan());
        assert!(to_number(Some(&json!("e5"))).is_nan());
        assert!(to_number(Some(&json!([1]))).is_nan());
    }

    #[test]
    fn strict_equality() {
        assert!(strict_eq(&json!(1), &json!(1.0)));
        assert!(strict_eq(&json!("a"), &json!("a")));
        assert!(!strict_eq(&json!("1"), &json!(1)));
        assert!(!strict_eq(&json!({}), &json!({})));
    }
}
