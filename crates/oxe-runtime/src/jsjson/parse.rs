//! A strict JSON parser with `JSON.parse` semantics (see the module docs of
//! `jsjson`). Returns `None` on any syntax error; the caller then asks
//! serde_json for a descriptive error.

use serde_json::{Map, Number, Value};

/// Nesting limit. JS has none besides its stack; serde_json stops at 128.
/// 512 levels keep recursion (here, in the writer and in `Value`'s drop)
/// far below any thread's stack size.
const MAX_DEPTH: usize = 512;

pub(super) fn parse_value(s: &str) -> Option<Value> {
    let mut p = Parser {
        s,
        b: s.as_bytes(),
        i: 0,
    };
    let v = p.value(0)?;
    p.skip_ws();
    if p.i == p.b.len() {
        Some(v)
    } else {
        None
    }
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Option<Value> {
        let end = self.i.checked_add(word.len())?;
        if self.b.get(self.i..end)? == word.as_bytes() {
            self.i = end;
            Some(v)
        } else {
            None
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.skip_ws();
        match self.peek()? {
            b'n' => self.literal("null", Value::Null),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'"' => {
                self.i += 1;
                self.string().map(Value::String)
            }
            b'[' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Some(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    match self.bump()? {
                        b',' => {}
                        b']' => return Some(Value::Array(items)),
                        _ => return None,
                    }
                }
            }
            b'{' => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                self.i += 1;
                let mut map = Map::new();
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Some(Value::Object(map));
                }
                loop {
                    self.skip_ws();
                    if self.bump()? != b'"' {
                        return None;
                    }
                    let key = self.string()?;
                    self.skip_ws();
                    if self.bump()? != b':' {
                        return None;
                    }
                    let v = self.value(depth + 1)?;
                    // duplicate key: first position kept, last value wins
                    map.insert(key, v);
                    self.skip_ws();
                    match self.bump()? {
                        b',' => {}
                        b'}' => return Some(Value::Object(map)),
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// Called after the opening quote.
    fn string(&mut self) -> Option<String> {
        let start = self.i;
        // fast path: no escapes
        loop {
            let c = self.peek()?;
            if c == b'"' {
                let s = self.s.get(start..self.i)?.to_owned();
                self.i += 1;
                return Some(s);
            }
            if c == b'\\' || c < 0x20 {
                break;
            }
            self.i += 1;
        }
        let mut out = String::with_capacity(self.i - start + 16);
        out.push_str(self.s.get(start..self.i)?);
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.i += 1;
                    self.escape(&mut out)?;
                }
                c if c < 0x20 => return None,
                _ => {
                    let run = self.i;
                    while let Some(c) = self.peek() {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.i += 1;
                    }
                    out.push_str(self.s.get(run..self.i)?);
                }
            }
        }
    }

    /// Called after a backslash.
    fn escape(&mut self, out: &mut String) -> Option<()> {
        let c = match self.bump()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        // a high surrogate: combine with a following low one
                        if self.peek() == Some(b'\\') && self.b.get(self.i + 1) == Some(&b'u') {
                            let save = self.i;
                            self.i += 2;
                            let low = self.hex4()?;
                            if (0xDC00..=0xDFFF).contains(&low) {
                                let cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                                char::from_u32(cp).unwrap_or('\u{FFFD}')
                            } else {
                                // lone high surrogate; reparse the next escape
                                self.i = save;
                                '\u{FFFD}'
                            }
                        } else {
                            '\u{FFFD}'
                        }
                    }
                    0xDC00..=0xDFFF => '\u{FFFD}',
                    _ => char::from_u32(unit)?,
                }
            }
            _ => return None,
        };
        out.push(c);
        Some(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.i.checked_add(4)?;
        let digits = self.b.get(self.i..end)?;
        let mut n = 0u32;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return None,
            };
            n = n * 16 + u32::from(v);
        }
        self.i = end;
        Some(n)
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.i;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
            float = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
            float = true;
        }
        let text = self.s.get(start..self.i)?;
        if !float {
            if negative {
                if text == "-0" {
                    return Number::from_f64(-0.0).map(Value::Number);
                }
                if let Ok(n) = text.parse::<i64>() {
                    return Some(Value::Number(n.into()));
                }
            } else if let Ok(n) = text.parse::<u64>() {
                return Some(Value::Number(n.into()));
            }
        }
        // std's float parser is correctly rounded, like JS
        let f: f64 = text.parse().ok()?;
        // ±Infinity (JS) cannot live in a `Value`; `null` is what
        // JSON.stringify writes for it
        Some(Number::from_f64(f).map_or(Value::Null, Value::Number))
    }
}
