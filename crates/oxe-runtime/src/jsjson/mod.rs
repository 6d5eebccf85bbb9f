//! JSON that matches JavaScript byte for byte.
//!
//! Everything oxe-cc 1.4.0 writes goes through `JSON.stringify`, so every
//! file and NDJSON line we write must be rendered the way V8 renders it:
//!
//! * numbers as `Number.prototype.toString` does (`1` not `1.0`, `1e+21`,
//!   `1e-7`, integers beyond 2^53 rounded to the nearest double, `-0` as `0`,
//!   non-finite values as `null`);
//! * object keys in insertion order, except that array-index keys
//!   (`"0"` … `"4294967294"` in canonical form) come first in ascending
//!   numeric order, as V8 enumerates them;
//! * strings escaped exactly like `JSON.stringify` (only `"`, `\` and the
//!   control characters below U+0020 are escaped; everything else is raw);
//! * pretty mode equal to `JSON.stringify(v, null, 2)`.
//!
//! The writer walks a [`Value`] directly (no serde `Serializer` round trip),
//! which is both the fastest path and the one that lets us reorder keys.
//! Generic `Serialize` values go through [`serde_json::to_value`] first.
//!
//! Parsing is a small strict JSON parser of our own rather than
//! `serde_json::from_str`, because (a) JS parses every number as a correctly
//! rounded double and serde_json's default float parser may be off by one
//! ulp, and (b) `JSON.parse` accepts lone UTF-16 surrogate escapes that
//! 1.4.0 can write (a string cut in the middle of an emoji), which serde_json
//! rejects. When our parser rejects a text, serde_json is asked to parse it
//! too, so callers always get a regular [`serde_json::Error`] with line and
//! column.

mod parse;
#[cfg(test)]
mod tests;

use serde_json::{Map, Number, Value};

/// 2^53: the largest magnitude up to which every integer is an exact double.
const MAX_SAFE: u64 = 1 << 53;

/// `JSON.stringify(v)`: one line, no spaces.
pub fn to_line(v: &Value) -> String {
    let mut out = String::with_capacity(128);
    write_compact(&mut out, v);
    out
}

/// `JSON.stringify(v, null, 2)`: 2-space indent, no trailing newline.
pub fn to_pretty(v: &Value) -> String {
    let mut out = String::with_capacity(256);
    write_pretty(&mut out, v, 0);
    out
}

/// Appends the JS rendering of `v` to `out` (compact, or pretty with a
/// 2-space indent). Lets callers batch many lines into one buffer without an
/// allocation per value.
pub fn write_to(out: &mut String, v: &Value, pretty: bool) {
    if pretty {
        write_pretty(out, v, 0)
    } else {
        write_compact(out, v)
    }
}

/// Same as [`to_line`] / [`to_pretty`] for any `Serialize` value (struct
/// fields keep their declaration order; `None` fields that should be
/// omitted like JS `undefined` need `#[serde(skip_serializing_if = ...)]`).
/// Non-finite floats become `null`, as in JS.
pub fn stringify<T: serde::Serialize + ?Sized>(
    v: &T,
    pretty: bool,
) -> Result<String, serde_json::Error> {
    let value = serde_json::to_value(v)?;
    Ok(if pretty {
        to_pretty(&value)
    } else {
        to_line(&value)
    })
}

/// Parses JSON text like `JSON.parse`: duplicate keys keep the first
/// position and the last value; numbers are correctly rounded doubles
/// (integers that fit stay `u64`/`i64`; `-0` is the float `-0.0`); numbers
/// that overflow a double (JS `Infinity`) become `null`, which is what
/// `JSON.stringify` would write for them; lone surrogate escapes become
/// U+FFFD. A UTF-8 byte order mark is rejected, as `JSON.parse` does.
pub fn parse(s: &str) -> Result<Value, serde_json::Error> {
    match parse::parse_value(s) {
        Some(v) => Ok(v),
        // Our parser said no: let serde_json produce a proper error (with
        // line and column). Should it accept the text, take its answer.
        None => serde_json::from_str(s),
    }
}

/// JS `Number.prototype.toString()` of an `f64`: `1.0` → `"1"`,
/// `1e21` → `"1e+21"`, `-0.0` → `"0"`, NaN → `"NaN"`, ∞ → `"Infinity"`.
pub fn number_to_js_string(n: f64) -> String {
    let mut buf = ryu_js::Buffer::new();
    buf.format(n).to_owned()
}

/// JS `String(value)`: strings as they are, numbers as JS prints them,
/// `true`/`false`, `"null"`, arrays joined with `","` (nested arrays joined
/// too, `null` elements as empty strings), objects as `"[object Object]"`.
pub fn js_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => {
            let mut out = String::new();
            push_js_string(&mut out, other);
            out
        }
    }
}

/// JS truthiness: `null`, `false`, `0`, `-0`, `NaN` and `""` are falsy;
/// every array and object (even empty) is truthy.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u != 0
            } else if let Some(i) = n.as_i64() {
                i != 0
            } else {
                n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan())
            }
        }
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// `Some(index)` when `key` is a canonical array index (`"0"`,
/// `"1"` … `"4294967294"`, no sign, no leading zero), the keys V8 stores as
/// elements and enumerates first, in ascending order.
pub fn array_index(key: &str) -> Option<u32> {
    let b = key.as_bytes();
    let first = *b.first()?;
    if !first.is_ascii_digit() || b.len() > 10 {
        return None;
    }
    if first == b'0' {
        return if b.len() == 1 { Some(0) } else { None };
    }
    let mut n: u64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(c - b'0');
    }
    if n <= 4_294_967_294 {
        Some(n as u32)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// writer

fn write_compact(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            let mut first = true;
            for item in items {
                if !first {
                    out.push(',');
                }
                first = false;
                write_compact(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for_each_entry(map, |k, item| {
                if !first {
                    out.push(',');
                }
                first = false;
                write_str(out, k);
                out.push(':');
                write_compact(out, item);
            });
            out.push('}');
        }
    }
}

fn write_pretty(out: &mut String, v: &Value, depth: usize) {
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            let mut first = true;
            for item in items {
                if !first {
                    out.push(',');
                }
                first = false;
                newline_indent(out, depth + 1);
                write_pretty(out, item, depth + 1);
            }
            newline_indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            let mut first = true;
            for_each_entry(map, |k, item| {
                if !first {
                    out.push(',');
                }
                first = false;
                newline_indent(out, depth + 1);
                write_str(out, k);
                out.push_str(": ");
                write_pretty(out, item, depth + 1);
            });
            newline_indent(out, depth);
            out.push('}');
        }
        // scalars, `[]` and `{}` render the same in both modes
        other => write_compact(out, other),
    }
}

fn newline_indent(out: &mut String, depth: usize) {
    const SPACES: &str = "                                                                ";
    out.push('\n');
    let mut n = depth * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// Visits the entries of `map` in V8's enumeration order.
fn for_each_entry<'a>(map: &'a Map<String, Value>, mut f: impl FnMut(&'a str, &'a Value)) {
    if !map.keys().any(|k| array_index(k).is_some()) {
        for (k, v) in map {
            f(k, v);
        }
        return;
    }
    let mut indexed: Vec<(u32, &'a str, &'a Value)> = map
        .iter()
        .filter_map(|(k, v)| array_index(k).map(|i| (i, k.as_str(), v)))
        .collect();
    // keys of a map are unique, so an unstable sort is deterministic
    indexed.sort_unstable_by_key(|e| e.0);
    for (_, k, v) in indexed {
        f(k, v);
    }
    for (k, v) in map {
        if array_index(k).is_none() {
            f(k, v);
        }
    }
}

fn write_number(out: &mut String, n: &Number) {
    if let Some(u) = n.as_u64() {
        if u <= MAX_SAFE {
            write_u64(out, u);
        } else {
            write_f64(out, u as f64);
        }
    } else if let Some(i) = n.as_i64() {
        if i.unsigned_abs() <= MAX_SAFE {
            if i < 0 {
                out.push('-');
            }
            write_u64(out, i.unsigned_abs());
        } else {
            write_f64(out, i as f64);
        }
    } else {
        write_f64(out, n.as_f64().unwrap_or(f64::NAN));
    }
}

fn write_f64(out: &mut String, f: f64) {
    if f.is_finite() {
        let mut buf = ryu_js::Buffer::new();
        out.push_str(buf.format_finite(f));
    } else {
        out.push_str("null");
    }
}

fn write_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &c in &buf[i..] {
        out.push(char::from(c));
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// For each byte: 0 = copy as is, b'u' = `\u00XX`, else the letter that
/// follows the backslash.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

fn write_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc = ESCAPE[b as usize];
        if esc == 0 {
            continue;
        }
        // `i` is the position of an ASCII byte, hence a char boundary
        if let Some(run) = s.get(start..i) {
            out.push_str(run);
        }
        if esc == b'u' {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push('\\');
            out.push(char::from(esc));
        }
        start = i + 1;
    }
    if let Some(run) = s.get(start..) {
        out.push_str(run);
    }
    out.push('"');
}

fn push_js_string(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        // for finite numbers, JSON rendering == Number#toString
        Value::Number(n) => write_number(out, n),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => push_joined(out, items),
        Value::Object(_) => out.push_str("[object Object]"),
    }
}

/// `Array.prototype.join(",")`: `null` elements are empty strings.
fn push_joined(out: &mut String, items: &[Value]) {
    let mut first = true;
    for item in items {
        if !first {
            out.push(',');
        }
        first = false;
        if !item.is_null() {
            push_js_string(out, item);
        }
    }
}

/// Membership in JS's `\s` class (WhiteSpace and LineTerminator), which is
/// also what `String.prototype.trim` removes. Differs from
/// `char::is_whitespace`: U+FEFF is in, U+0085 is out.
pub fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}
