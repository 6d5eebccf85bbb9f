//! What a JS regex without the `u` flag sees, for the Rust `regex` engine.
//!
//! Such a JS regex works on UTF-16 code units: a character outside the
//! Basic Multilingual Plane is two units, so `.` or `[^/]` take half of it,
//! `?` in a glob cannot take it whole, and `{8,}` counts it twice. The Rust
//! engine works on scalar values, so subjects and glob literals go through
//! [`utf16_view`], which spells every such character as two stand-ins, one
//! per surrogate. Stand-ins have no case and are neither spaces nor line
//! terminators nor word characters, exactly like lone surrogates in JS.
//!
//! The class bodies below are JS's own sets, written out because Rust's
//! `\s` and `.` differ from them (Rust's `\s` has U+0085 and lacks U+FEFF;
//! its `.` stops only at `\n`).

use std::borrow::Cow;

/// Body of a Rust class equal to JS `\s` (WhiteSpace and LineTerminator).
macro_rules! js_space {
    () => {
        r"\t\n\x0B\x0C\r \xA0\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"
    };
}
pub(crate) use js_space;

/// Rust class equal to JS `.` without the `s` flag.
pub const JS_DOT: &str = r"[^\n\r\x{2028}\x{2029}]";

/// First stand-in: surrogate unit `u` (0xD800..=0xDFFF) becomes
/// `STAND_IN_BASE + (u - 0xD800)`, in plane 16. Real plane-16 characters
/// are themselves split, so a stand-in never collides with input text.
const STAND_IN_BASE: u32 = 0x10_0000;

fn stand_in(unit: u16) -> char {
    let v = STAND_IN_BASE + u32::from(unit) - 0xD800;
    char::from_u32(v).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// `s` with one char per UTF-16 code unit (borrowed when `s` has no
/// character outside the BMP, the common case).
pub fn utf16_view(s: &str) -> Cow<'_, str> {
    // Only 4-byte UTF-8 sequences (lead byte 0xF0..=0xF4) are astral.
    if !s.bytes().any(|b| b >= 0xF0) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.len_utf16() == 1 {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units).iter() {
                out.push(stand_in(*u));
            }
        }
    }
    Cow::Owned(out)
}
