//! The few JavaScript value semantics the plugin and delivery rules depend
//! on: `String.prototype.trim`, `Number(x)`, truthiness and strict equality
//! of values described by the glue, and `<` between JSON values.
//!
//! Plugin objects are live JS objects; the glue describes the parts the
//! rules read as a [`JsVal`] each: JSON primitives as they are, anything
//! else (objects, functions, symbols, non-finite numbers) as a marker
//! `{"$js": <typeof>, "text": String(v), "truthy": !!v}`.

use serde_json::Value;

use crate::jsjson;

pub use crate::jsjson::is_js_space;

/// `String.prototype.trim`.
pub fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

/// `Number(s)` for a string.
pub fn string_to_number(s: &str) -> f64 {
    let t = js_trim(s);
    if t.is_empty() {
        return 0.0;
    }
    let radix = match t.get(..2) {
        Some("0x") | Some("0X") => Some(16),
        Some("0o") | Some("0O") => Some(8),
        Some("0b") | Some("0B") => Some(2),
        _ => None,
    };
    if let Some(radix) = radix {
        let digits = &t[2..];
        if digits.is_empty() {
            return f64::NAN;
        }
        let mut n = 0.0f64;
        for c in digits.chars() {
            match c.to_digit(radix) {
                Some(d) => n = n * f64::from(radix) + f64::from(d),
                None => return f64::NAN,
            }
        }
        return n;
    }
    let (sign, body) = match t.as_bytes()[0] {
        b'+' => (1.0, &t[1..]),
        b'-' => (-1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return sign * f64::INFINITY;
    }
    if !is_decimal_literal(body) {
        return f64::NAN;
    }
    body.parse::<f64>().map(|v| sign * v).unwrap_or(f64::NAN)
}

/// `StrUnsignedDecimalLiteral`: `1`, `1.`, `.5`, `1.5e-3`, no sign.
fn is_decimal_literal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// `Number(v)` for a JSON value (arrays go through `String(v)` as in JS).
pub fn to_number(v: &Value) -> f64 {
    match v {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => string_to_number(s),
        Value::Array(_) => string_to_number(&jsjson::js_string(v)),
        Value::Object(_) => f64::NAN,
    }
}

/// `Number(v)` where `None` is `undefined` (NaN).
pub fn to_number_opt(v: Option<&Value>) -> f64 {
    v.map_or(f64::NAN, to_number)
}

/// `String(v)` where `None` is `undefined`.
pub fn js_string_opt(v: Option<&Value>) -> String {
    v.map_or_else(|| "undefined".to_string(), jsjson::js_string)
}

/// `String(n)` for a number.
pub fn num_str(n: f64) -> String {
    jsjson::number_to_js_string(n)
}

/// JS truthiness where `None` is `undefined`.
pub fn truthy_opt(v: Option<&Value>) -> bool {
    v.is_some_and(jsjson::truthy)
}

/// `a < b` for JSON values (`None` is `undefined`): two strings compare by
/// UTF-16 code units, anything else numerically (NaN compares false).
pub fn less_than(a: Option<&Value>, b: Option<&Value>) -> bool {
    if let (Some(Value::String(x)), Some(Value::String(y))) = (a, b) {
        return x.encode_utf16().lt(y.encode_utf16());
    }
    let to_prim = |v: Option<&Value>| match v {
        None => f64::NAN,
        Some(v @ Value::Object(_)) => string_to_number(&jsjson::js_string(v)),
        Some(v) => to_number(v),
    };
    to_prim(a) < to_prim(b)
}

/// The `typeof` of a described value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsType {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    /// `object`, `function`, `symbol`, `bigint`.
    Other(String),
}

/// A JS value as the glue describes it (see the module docs).
#[derive(Clone, Debug)]
pub struct JsVal {
    pub ty: JsType,
    /// `String(v)`.
    pub text: String,
    pub truthy: bool,
    /// The value itself when it is a JSON primitive.
    pub raw: Option<Value>,
}

impl JsVal {
    pub fn undefined() -> Self {
        JsVal {
            ty: JsType::Undefined,
            text: "undefined".into(),
            truthy: false,
            raw: None,
        }
    }

    /// Reads a described value; `None` (key absent) is `undefined`.
    pub fn from_wire(v: Option<&Value>) -> Self {
        let Some(v) = v else {
            return JsVal::undefined();
        };
        if let Value::Object(m) = v {
            if let Some(t) = m.get("$js").and_then(Value::as_str) {
                let ty = match t {
                    "undefined" => JsType::Undefined,
                    "number" => JsType::Number,
                    other => JsType::Other(other.to_string()),
                };
                return JsVal {
                    ty,
                    text: m
                        .get("text")
                        .and_then(Value::as_str)
                        .unwrap_or("[object Object]")
                        .to_string(),
                    truthy: m.get("truthy").is_some_and(jsjson::truthy),
                    raw: None,
                };
            }
        }
        let ty = match v {
            Value::Null => JsType::Null,
            Value::Bool(_) => JsType::Boolean,
            Value::Number(_) => JsType::Number,
            Value::String(_) => JsType::String,
            _ => JsType::Other("object".into()),
        };
        JsVal {
            ty,
            text: jsjson::js_string(v),
            truthy: jsjson::truthy(v),
            raw: Some(v.clone()),
        }
    }

    pub fn is_string(&self) -> bool {
        self.ty == JsType::String
    }

    /// `undefined` or `null` (what `??` replaces).
    pub fn is_nullish(&self) -> bool {
        matches!(self.ty, JsType::Undefined | JsType::Null)
    }

    /// `a === b`. Objects and functions have identity the description does
    /// not carry, so they never compare equal.
    pub fn strict_eq(&self, other: &JsVal) -> bool {
        if self.ty != other.ty {
            return false;
        }
        match &self.ty {
            JsType::Undefined | JsType::Null => true,
            JsType::Number => self.text != "NaN" && self.text == other.text,
            JsType::Boolean | JsType::String => self.text == other.text,
            JsType::Other(_) => false,
        }
    }

    /// The value to put in JSON output: the primitive itself, else `null`
    /// (only values JSON cannot carry lose their content).
    pub fn to_json(&self) -> Value {
        self.raw.clone().unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_like_js() {
        for (s, n) in [
            ("1", 1.0),
            (" 1 ", 1.0),
            ("01", 1.0),
            ("+1", 1.0),
            ("1e0", 1.0),
            ("10e-1", 1.0),
            ("0x1", 1.0),
            ("0b1", 1.0),
            ("0o1", 1.0),
            ("", 0.0),
            ("-2", -2.0),
            (".5", 0.5),
            ("5.", 5.0),
        ] {
            assert_eq!(string_to_number(s), n, "{s:?}");
        }
        for s in ["abc", "1a", "inf", "NaN", "0x", "-0x1", "1e", "e1", "."] {
            assert!(string_to_number(s).is_nan(), "{s:?}");
        }
        assert_eq!(string_to_number("-Infinity"), f64::NEG_INFINITY);
        assert_eq!(to_number(&json!([5])), 5.0);
        assert!(to_number(&json!([1, 2])).is_nan());
        assert_eq!(to_number(&json!([])), 0.0);
    }

    #[test]
    fn trim_and_compare() {
        assert_eq!(js_trim("\u{FEFF} a \u{3000}"), "a");
        assert!(less_than(Some(&json!(50)), Some(&json!(100))));
        assert!(less_than(Some(&json!("50")), Some(&json!(100))));
        assert!(!less_than(None, Some(&json!(100))));
        assert!(less_than(Some(&json!("100")), Some(&json!("50"))));
    }

    #[test]
    fn described_values() {
        let v = JsVal::from_wire(Some(
            &json!({"$js": "function", "text": "f", "truthy": true}),
        ));
        assert!(v.truthy && !v.is_string());
        assert!(!v.strict_eq(&v.clone()));
        let a = JsVal::from_wire(Some(&json!("x")));
        assert!(a.strict_eq(&JsVal::from_wire(Some(&json!("x")))));
        assert!(!a.strict_eq(&JsVal::undefined()));
        assert!(JsVal::undefined().strict_eq(&JsVal::from_wire(None)));
        let nan = JsVal::from_wire(Some(
            &json!({"$js": "number", "text": "NaN", "truthy": false}),
        ));
        assert!(!nan.strict_eq(&nan.clone()));
    }
}
