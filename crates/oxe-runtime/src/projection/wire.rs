//! A borrowing reader (and writer) for JSON that crossed from JS. Used by
//! the projections and the verification manifest, which only look at,
//! interpolate or copy values: the text is read into a light tree whose
//! strings point into the JSON text (no copies unless a string has escapes)
//! and whose numbers keep their JSON text, which for a finite number is
//! exactly what JS `String(n)` prints and what `JSON.stringify` writes.

use std::borrow::Cow;

/// One JSON value of the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum J<'a> {
    Null,
    Bool(bool),
    /// The number's JSON text.
    Num(&'a str),
    Str(Cow<'a, str>),
    Arr(Vec<J<'a>>),
    /// Members in text order (a repeated key: the last value wins on lookup).
    Obj(Vec<(Cow<'a, str>, J<'a>)>),
}

const MAX_DEPTH: usize = 512;

impl<'a> J<'a> {
    pub fn parse(text: &'a str) -> Option<J<'a>> {
        let mut p = P {
            s: text,
            b: text.as_bytes(),
            i: 0,
            items: Vec::new(),
            members: Vec::new(),
        };
        let v = p.value(0)?;
        p.ws();
        (p.i == p.b.len()).then_some(v)
    }

    /// `obj[key]`, `None` when absent (JS `undefined`) or not an object.
    pub fn get(&self, key: &str) -> Option<&J<'a>> {
        match self {
            J::Obj(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, J::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[J<'a>]> {
        match self {
            J::Arr(a) => Some(a),
            _ => None,
        }
    }

    /// JS truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            J::Null => false,
            J::Bool(b) => *b,
            J::Num(t) => t.parse::<f64>().is_ok_and(|f| f != 0.0 && !f.is_nan()),
            J::Str(s) => !s.is_empty(),
            J::Arr(_) | J::Obj(_) => true,
        }
    }

    /// JS `String(value)`.
    pub fn js_string(&self) -> Cow<'_, str> {
        match self {
            J::Null => Cow::Borrowed("null"),
            J::Bool(true) => Cow::Borrowed("true"),
            J::Bool(false) => Cow::Borrowed("false"),
            J::Num(t) => Cow::Borrowed(t),
            J::Str(s) => Cow::Borrowed(s),
            J::Arr(a) => Cow::Owned(join(a, ",")),
            J::Obj(_) => Cow::Borrowed("[object Object]"),
        }
    }
}

impl J<'_> {
    /// Appends the `JSON.stringify` text of the value (compact).
    pub fn write_json(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(true) => out.push_str("true"),
            J::Bool(false) => out.push_str("false"),
            J::Num(t) => out.push_str(t),
            J::Str(s) => write_str(out, s),
            J::Arr(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            J::Obj(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// Appends `s` as a JSON string literal, escaped as `JSON.stringify` does.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &str = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            c if c < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            out.push_str(&format!("\\u{:04x}", c));
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A JS `Map`/`Set` key: strings by value, other primitives by their JS
/// text (SameValueZero for numbers: `-0` is `0`).
#[derive(Debug, Hash, PartialEq, Eq)]
pub enum Key<'a> {
    S(&'a str),
    O(String),
}

impl<'a> J<'a> {
    pub fn key(&'a self) -> Key<'a> {
        match self {
            J::Str(x) => Key::S(x),
            J::Num(t) => Key::O(match t.parse::<f64>() {
                Ok(0.0) => "n0".into(),
                Ok(f) => format!("n{}", crate::jsjson::number_to_js_string(f)),
                Err(_) => format!("n{t}"),
            }),
            J::Null => Key::O("null".into()),
            J::Bool(b) => Key::O(b.to_string()),
            J::Arr(_) | J::Obj(_) => Key::O(format!("#{}", self.js_string())),
        }
    }
}

/// `list.join(sep)`: `null` elements are empty strings.
pub fn join(list: &[J<'_>], sep: &str) -> String {
    let mut out = String::new();
    for (i, v) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        if !v.is_null() {
            out.push_str(&v.js_string());
        }
    }
    out
}

struct P<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    /// Scratch stacks: children are collected here and moved into one
    /// exactly sized `Vec` when their container closes.
    items: Vec<J<'a>>,
    members: Vec<(Cow<'a, str>, J<'a>)>,
}

impl<'a> P<'a> {
    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn lit(&mut self, w: &str, v: J<'a>) -> Option<J<'a>> {
        let end = self.i.checked_add(w.len())?;
        (self.b.get(self.i..end)? == w.as_bytes()).then(|| {
            self.i = end;
            v
        })
    }

    fn value(&mut self, depth: usize) -> Option<J<'a>> {
        self.ws();
        match *self.b.get(self.i)? {
            b'n' => self.lit("null", J::Null),
            b't' => self.lit("true", J::Bool(true)),
            b'f' => self.lit("false", J::Bool(false)),
            b'"' => self.string().map(J::Str),
            b'[' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Some(J::Arr(Vec::new()));
                }
                let base = self.items.len();
                loop {
                    let v = self.value(depth + 1)?;
                    self.items.push(v);
                    self.ws();
                    match *self.b.get(self.i)? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(J::Arr(self.items.split_off(base)));
                        }
                        _ => return None,
                    }
                }
            }
            b'{' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Some(J::Obj(Vec::new()));
                }
                let base = self.members.len();
                loop {
                    self.ws();
                    if self.b.get(self.i) != Some(&b'"') {
                        return None;
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return None;
                    }
                    self.i += 1;
                    let v = self.value(depth + 1)?;
                    self.members.push((k, v));
                    self.ws();
                    match *self.b.get(self.i)? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Some(J::Obj(self.members.split_off(base)));
                        }
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn number(&mut self) -> Option<J<'a>> {
        let start = self.i;
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.b.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i > s
        };
        if self.b.get(self.i) == Some(&b'0') {
            self.i += 1;
        } else if !digits(self) {
            return None;
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !digits(self) {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.b.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.b.get(self.i) {
                self.i += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        Some(J::Num(&self.s[start..self.i]))
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        loop {
            let c = *self.b.get(self.i)?;
            if c == b'"' {
                let s = &self.s[start..self.i];
                self.i += 1;
                return Some(Cow::Borrowed(s));
            }
            if c == b'\\' {
                break;
            }
            if c < 0x20 {
                return None;
            }
            self.i += 1;
        }
        let mut out = String::from(&self.s[start..self.i]);
        loop {
            match *self.b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    self.i += 1;
                    let e = *self.b.get(self.i)?;
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi)
                                && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    self.i = save;
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            out.push(c.unwrap_or('\u{FFFD}'));
                        }
                        _ => return None,
                    }
                }
                c if c < 0x20 => return None,
                _ => {
                    let s = self.i;
                    while let Some(&c) = self.b.get(self.i) {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.i += 1;
                    }
                    out.push_str(&self.s[s..self.i]);
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.s.get(self.i..self.i + 4)?;
        let v = u32::from_str_radix(h, 16).ok()?;
        if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.i += 4;
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_js_json() {
        let t = r#"{"a":[1,-2.5e+3,"x\"y\u00e9\ud83c\udf89\ud800z",null,true,{}],"a":0}"#;
        let v = J::parse(t).unwrap();
        assert_eq!(v.get("a"), Some(&J::Num("0")));
        let J::Obj(m) = &v else { panic!() };
        let arr = m[0].1.as_array().unwrap();
        assert_eq!(arr[1].js_string(), "-2.5e+3");
        assert_eq!(arr[2].as_str(), Some("x\"yé🎉\u{FFFD}z"));
        assert_eq!(
            m[0].1.js_string(),
            "1,-2.5e+3,x\"yé🎉\u{FFFD}z,,true,[object Object]"
        );
        assert!(!J::Num("0").truthy() && !J::Num("-0").truthy() && J::Num("0.5").truthy());
        let mut out = String::new();
        v.write_json(&mut out);
        assert_eq!(
            out,
            "{\"a\":[1,-2.5e+3,\"x\\\"yé🎉\u{FFFD}z\",null,true,{}],\"a\":0}"
        );
        let mut out = String::new();
        write_str(&mut out, "a\u{1}\u{8}\u{c}\n\r\t\\\"\u{7f}\u{2028}");
        assert_eq!(out, "\"a\\u0001\\b\\f\\n\\r\\t\\\\\\\"\u{7f}\u{2028}\"");
        assert_eq!(J::Num("-0").key(), J::Num("0").key());
        assert_ne!(J::Num("1").key(), J::Str("1".into()).key());
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "\"\u{1}\"",
            "1 2",
            "-",
            "1.",
            "tru",
        ] {
            assert!(J::parse(bad).is_none(), "{bad}");
        }
    }
}
