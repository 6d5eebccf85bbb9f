//! The few JavaScript value rules the operational layer of 1.4.0 relies
//! on (`||`, `String(x)`, `Number(x)`, `typeof x === 'object'`, `toFixed`),
//! over `serde_json::Value`.

use serde_json::{Map, Number, Value};

pub use oxe_runtime::jsjson::{js_string, truthy};

/// `x || null`.
pub fn or_null(v: Option<&Value>) -> Value {
    match v {
        Some(x) if truthy(x) => x.clone(),
        _ => Value::Null,
    }
}

/// `Some(x)` when `x` is truthy.
pub fn truthy_of(v: Option<&Value>) -> Option<&Value> {
    v.filter(|x| truthy(x))
}

/// `x && typeof x === 'object'` (arrays included).
pub fn is_obj(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Object(_) | Value::Array(_)))
}

/// `x != null` (neither `null` nor `undefined`).
pub fn present(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Null))
}

/// Field `k` of `v` when `v` is an object.
pub fn get<'a>(v: Option<&'a Value>, k: &str) -> Option<&'a Value> {
    match v {
        Some(Value::Object(m)) => m.get(k),
        _ => None,
    }
}

/// `Array.isArray(x) ? x : null`.
pub fn arr(v: Option<&Value>) -> Option<&Vec<Value>> {
    match v {
        Some(Value::Array(a)) => Some(a),
        _ => None,
    }
}

/// `String(x || d)` as text.
pub fn text_or(v: Option<&Value>, d: &str) -> String {
    match truthy_of(v) {
        Some(x) => js_string(x),
        None => d.to_string(),
    }
}

/// `Number(x)`.
pub fn to_number(v: Option<&Value>) -> f64 {
    match v {
        None => f64::NAN,
        Some(Value::Null) => 0.0,
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => crate::jstext::to_number(s),
        Some(Value::Array(a)) => match a.len() {
            0 => 0.0,
            1 => to_number(Some(&Value::String(js_string(&a[0])))),
            _ => f64::NAN,
        },
        Some(Value::Object(_)) => f64::NAN,
    }
}

/// A JS number as JSON (`JSON.stringify` turns NaN and ±∞ into `null`).
pub fn num(n: f64) -> Value {
    if !n.is_finite() {
        return Value::Null;
    }
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        if n == 0.0 {
            return Value::from(0);
        }
        return Value::from(n as i64);
    }
    Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// `String(n)` of a JS number.
pub fn num_text(n: f64) -> String {
    oxe_runtime::jsjson::number_to_js_string(n)
}

/// `{...v}` of an object value (anything else spreads to `{}` here).
pub fn spread(v: Option<&Value>) -> Map<String, Value> {
    match v {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    }
}

/// `x.toFixed(1)`: the nearest tenth, ties away from zero, as V8 prints it.
pub fn to_fixed1(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.abs() >= 1e21 {
        return num_text(x);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    let q = a * 4.0;
    // an exact tie between two tenths is m/4 with m odd; JS picks the larger
    if q.fract() == 0.0 && q < 1e15 && (q as u64) % 2 == 1 {
        let n = ((q as u64) * 5).div_ceil(2);
        return format!("{sign}{}.{}", n / 10, n % 10);
    }
    format!("{sign}{a:.1}")
}

/// `Date.now()`.
pub fn now_ms() -> f64 {
    oxe_runtime::clock::now_ms() as f64
}

/// `new Date().toISOString()`.
pub fn now_iso() -> String {
    oxe_runtime::clock::now_iso()
}

/// `new Date(x).getTime()` of an event timestamp (NaN when invalid).
pub fn time_of(v: Option<&Value>) -> f64 {
    match v {
        Some(Value::Number(n)) => {
            let t = n.as_f64().unwrap_or(f64::NAN);
            if t.is_finite() && t.abs() <= 8.64e15 {
                t.trunc()
            } else {
                f64::NAN
            }
        }
        Some(Value::String(s)) => crate::jsdate::parse(s).unwrap_or(f64::NAN),
        Some(Value::Null) => 0.0,
        None => f64::NAN,
        Some(other) => crate::jsdate::parse(&js_string(other)).unwrap_or(f64::NAN),
    }
}

/// `Date.parse(String(x || ''))`.
pub fn date_parse(v: Option<&Value>) -> f64 {
    crate::jsdate::parse(&text_or(v, "")).unwrap_or(f64::NAN)
}

/// A stable sort that never panics, whatever the comparator says (V8's
/// `Array.prototype.sort` with a comparator that may return NaN).
pub fn stable_sort_by<T: Clone>(items: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = items.len();
    if n < 2 {
        return;
    }
    let mut buf: Vec<T> = items.to_vec();
    let mut width = 1;
    while width < n {
        let mut i = 0;
        while i < n {
            let mid = (i + width).min(n);
            let end = (i + 2 * width).min(n);
            let (mut l, mut r, mut k) = (i, mid, i);
            while l < mid && r < end {
                if less(&items[r], &items[l]) {
                    buf[k] = items[r].clone();
                    r += 1;
                } else {
                    buf[k] = items[l].clone();
                    l += 1;
                }
                k += 1;
            }
            while l < mid {
                buf[k] = items[l].clone();
                l += 1;
                k += 1;
            }
            while r < end {
                buf[k] = items[r].clone();
                r += 1;
                k += 1;
            }
            i += 2 * width;
        }
        items.clone_from_slice(&buf);
        width *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_matches_v8() {
        assert_eq!(to_fixed1(0.25), "0.3");
        assert_eq!(to_fixed1(0.75), "0.8");
        assert_eq!(to_fixed1(1.25), "1.3");
        assert_eq!(to_fixed1(0.05), "0.1"); // 0.05 is slightly above .05
        assert_eq!(to_fixed1(0.15), "0.1"); // 0.15 is slightly below .15
        assert_eq!(to_fixed1(-0.25), "-0.3");
        assert_eq!(to_fixed1(12.0), "12.0");
        assert_eq!(to_fixed1(0.0), "0.0");
        assert_eq!(to_fixed1(f64::NAN), "NaN");
    }

    #[test]
    fn numbers() {
        assert_eq!(num(2.0), serde_json::json!(2));
        assert_eq!(num(f64::NAN), Value::Null);
        assert_eq!(to_number(Some(&serde_json::json!("3"))), 3.0);
        assert!(to_number(Some(&serde_json::json!("x"))).is_nan());
    }

    #[test]
    fn sort_is_stable_and_total() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        stable_sort_by(&mut v, &|a, b| a.0 < b.0);
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut f = vec![f64::NAN, 1.0, f64::NAN, 0.0];
        stable_sort_by(&mut f, &|a, b| a < b);
        assert_eq!(f.len(), 4);
    }
}
