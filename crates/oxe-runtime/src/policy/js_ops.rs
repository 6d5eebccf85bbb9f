//! The few JavaScript operators the policy, gate and audit rules are
//! written in terms of (`===`, `includes`, `>=`, `<`, truthiness, template
//! rendering), over values that are either borrowed JSON or borrowed text.
//!
//! 1.4.0 compares whatever the caller stored, so a rule or a file holding a
//! number where a string is expected must behave as JS would, not panic and
//! not silently match.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use crate::jsjson;

/// A JS value as seen by a rule: `undefined` (absent), a primitive, or any
/// other JSON value (array or object; never equal to anything else).
#[derive(Clone, Copy, Debug)]
pub enum Slot<'a> {
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    Other(&'a Value),
}

impl<'a> Slot<'a> {
    /// The slot of an optional JSON value (`None` is `undefined`).
    pub fn of(v: Option<&'a Value>) -> Slot<'a> {
        match v {
            None => Slot::Undef,
            Some(Value::Null) => Slot::Null,
            Some(Value::Bool(b)) => Slot::Bool(*b),
            Some(Value::Number(n)) => Slot::Num(n.as_f64().unwrap_or(f64::NAN)),
            Some(Value::String(s)) => Slot::Str(s),
            Some(other) => Slot::Other(other),
        }
    }

    /// `v == null`.
    pub fn is_nullish(&self) -> bool {
        matches!(self, Slot::Undef | Slot::Null)
    }

    /// JS truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Slot::Undef | Slot::Null => false,
            Slot::Bool(b) => *b,
            Slot::Num(n) => *n != 0.0 && !n.is_nan(),
            Slot::Str(s) => !s.is_empty(),
            Slot::Other(_) => true,
        }
    }

    /// `${v}`: the text a template literal gives.
    pub fn render(&self) -> Cow<'a, str> {
        match self {
            Slot::Undef => Cow::Borrowed("undefined"),
            Slot::Null => Cow::Borrowed("null"),
            Slot::Bool(true) => Cow::Borrowed("true"),
            Slot::Bool(false) => Cow::Borrowed("false"),
            Slot::Num(n) => Cow::Owned(jsjson::number_to_js_string(*n)),
            Slot::Str(s) => Cow::Borrowed(s),
            Slot::Other(v) => Cow::Owned(jsjson::js_string(v)),
        }
    }

    /// The value as owned JSON (`None` for `undefined`; non-finite numbers
    /// become `null`, as `JSON.stringify` writes them).
    pub fn to_value(&self) -> Option<Value> {
        match self {
            Slot::Undef => None,
            Slot::Null => Some(Value::Null),
            Slot::Bool(b) => Some(Value::Bool(*b)),
            Slot::Num(n) => Some(number_value(*n)),
            Slot::Str(s) => Some(Value::String((*s).to_string())),
            Slot::Other(v) => Some((*v).clone()),
        }
    }
}

/// A JSON number for `n` rendered as JS would (`null` when not finite;
/// integral values stay integers so they print without `.0`).
pub fn number_value(n: f64) -> Value {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        if n == 0.0 {
            return Value::from(0);
        }
        return Value::from(n as i64);
    }
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// `a === b`. Arrays and objects are never identical to anything here (each
/// comes from its own parse).
pub fn strict_eq(a: &Slot, b: &Slot) -> bool {
    match (a, b) {
        (Slot::Undef, Slot::Undef) | (Slot::Null, Slot::Null) => true,
        (Slot::Bool(x), Slot::Bool(y)) => x == y,
        (Slot::Num(x), Slot::Num(y)) => x == y,
        (Slot::Str(x), Slot::Str(y)) => x == y,
        _ => false,
    }
}

/// SameValueZero, the equality of `Array.prototype.includes` and `Set`.
pub fn same_value_zero(a: &Slot, b: &Slot) -> bool {
    match (a, b) {
        (Slot::Num(x), Slot::Num(y)) => x == y || (x.is_nan() && y.is_nan()),
        _ => strict_eq(a, b),
    }
}

/// `a === b` over optional JSON values.
pub fn value_strict_eq(a: Option<&Value>, b: Option<&Value>) -> bool {
    strict_eq(&Slot::of(a), &Slot::of(b))
}

/// `list.includes(v)` for a JSON array.
pub fn includes(list: &[Value], v: &Slot) -> bool {
    list.iter().any(|x| same_value_zero(&Slot::of(Some(x)), v))
}

use crate::jsjson::is_js_space;

/// JS `Number(s)` for a string.
pub fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_space);
    if t.is_empty() {
        return 0.0;
    }
    let radix = |digits: &str, r: u32| -> f64 {
        if digits.is_empty() {
            return f64::NAN;
        }
        let mut n = 0f64;
        for c in digits.chars() {
            match c.to_digit(r) {
                Some(d) => n = n * f64::from(r) + f64::from(d),
                None => return f64::NAN,
            }
        }
        n
    };
    let lower = t.get(..2).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some("0x") => return radix(&t[2..], 16),
        Some("0o") => return radix(&t[2..], 8),
        Some("0b") => return radix(&t[2..], 2),
        _ => {}
    }
    let (sign, body) = match t.as_bytes()[0] {
        b'+' => (1.0, &t[1..]),
        b'-' => (-1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return sign * f64::INFINITY;
    }
    // StrDecimalLiteral: digits [. digits] [e [sign] digits], at least one digit
    let b = body.as_bytes();
    let mut i = 0;
    let mut mantissa_digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return f64::NAN;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return f64::NAN;
        }
    }
    if i != b.len() {
        return f64::NAN;
    }
    body.parse::<f64>().map_or(f64::NAN, |n| sign * n)
}

/// A primitive after ToPrimitive (objects and arrays become their string).
enum Prim<'a> {
    Str(Cow<'a, str>),
    Num(f64),
}

fn to_primitive<'a>(s: &Slot<'a>) -> Prim<'a> {
    match s {
        Slot::Str(x) => Prim::Str(Cow::Borrowed(x)),
        Slot::Other(v) => Prim::Str(Cow::Owned(jsjson::js_string(v))),
        other => Prim::Num(to_number(other)),
    }
}

/// JS `Number(v)`.
pub fn to_number(s: &Slot) -> f64 {
    match s {
        Slot::Undef => f64::NAN,
        Slot::Null => 0.0,
        Slot::Bool(b) => f64::from(u8::from(*b)),
        Slot::Num(n) => *n,
        Slot::Str(x) => string_to_number(x),
        Slot::Other(v) => string_to_number(&jsjson::js_string(v)),
    }
}

/// Compares two strings by UTF-16 code units, as JS relational operators do.
pub fn cmp_utf16(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The abstract relational comparison: `Some(ordering)`, or `None` when a
/// NaN is involved (every comparison is then false).
fn js_compare(a: &Slot, b: &Slot) -> Option<Ordering> {
    match (to_primitive(a), to_primitive(b)) {
        (Prim::Str(x), Prim::Str(y)) => Some(cmp_utf16(&x, &y)),
        (x, y) => {
            let n = |p: Prim| match p {
                Prim::Num(n) => n,
                Prim::Str(s) => string_to_number(&s),
            };
            n(x).partial_cmp(&n(y))
        }
    }
}

/// `a < b`.
pub fn js_lt(a: &Slot, b: &Slot) -> bool {
    js_compare(a, b) == Some(Ordering::Less)
}

/// `a > b`.
pub fn js_gt(a: &Slot, b: &Slot) -> bool {
    js_compare(a, b) == Some(Ordering::Greater)
}

/// `a >= b`.
pub fn js_ge(a: &Slot, b: &Slot) -> bool {
    matches!(js_compare(a, b), Some(Ordering::Greater | Ordering::Equal))
}

/// The property key `String(v)` that `obj[v]` uses.
pub fn property_key(v: &Slot) -> String {
    v.render().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_from_strings() {
        assert_eq!(string_to_number(" 12 "), 12.0);
        assert_eq!(string_to_number(""), 0.0);
        assert_eq!(string_to_number("0x1f"), 31.0);
        assert_eq!(string_to_number("-Infinity"), f64::NEG_INFINITY);
        assert_eq!(string_to_number("1e3"), 1000.0);
        assert_eq!(string_to_number(".5"), 0.5);
        assert!(string_to_number("inf").is_nan());
        assert!(string_to_number("nan").is_nan());
        assert!(string_to_number("1_0").is_nan());
        assert!(string_to_number("-0x10").is_nan());
        assert!(string_to_number("abc").is_nan());
    }

    #[test]
    fn comparisons_follow_js() {
        let s = |x| Slot::Str(x);
        assert!(js_ge(&Slot::Num(3.0), &Slot::Num(3.0)));
        assert!(!js_ge(&Slot::Num(2.0), &Slot::Num(3.0)));
        // strings compare as strings, mixed as numbers
        assert!(js_lt(&s("10"), &s("9")));
        assert!(!js_lt(&Slot::Num(10.0), &s("9")));
        assert!(!js_ge(&Slot::Undef, &Slot::Num(0.0)));
        assert!(js_ge(&Slot::Null, &Slot::Num(0.0)));
        assert!(js_gt(&Slot::Num(1.0), &Slot::Null));
        assert!(js_lt(&s("2025-01-01"), &s("2026")));
        let arr = json!([5]);
        assert!(js_ge(&Slot::Other(&arr), &Slot::Num(5.0)));
        // UTF-16 order: U+FF5E sorts after U+1F389 in code points but before in UTF-16? no: surrogates (D8xx) < FF5E
        assert!(js_lt(&s("🎉"), &s("～")));
    }

    #[test]
    fn equality_and_rendering() {
        assert!(strict_eq(&Slot::Num(0.0), &Slot::Num(-0.0)));
        assert!(!strict_eq(&Slot::Num(f64::NAN), &Slot::Num(f64::NAN)));
        assert!(same_value_zero(&Slot::Num(f64::NAN), &Slot::Num(f64::NAN)));
        let o = json!({});
        assert!(!strict_eq(&Slot::Other(&o), &Slot::Other(&o)));
        assert_eq!(Slot::Num(3.0).render(), "3");
        assert_eq!(Slot::Undef.render(), "undefined");
        assert_eq!(Slot::Other(&json!(["a", "b"])).render(), "a,b");
        assert_eq!(number_value(3.0), json!(3));
        assert_eq!(number_value(f64::INFINITY), Value::Null);
        assert_eq!(number_value(1.5), json!(1.5));
    }
}
