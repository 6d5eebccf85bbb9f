//! Case-insensitive comparison as a JS regex with the `i` flag and without
//! `u` does it: two code units match when their canonical forms agree,
//! the canonical form being the one-unit upper case of a unit, except that
//! a non-ASCII unit never canonicalises to an ASCII one (so `ſ` does not
//! match `s`, and the Kelvin sign does not match `k`). Rust's `(?i)` uses
//! Unicode simple case folding instead, which does fold those together, so
//! glob literals are compiled to explicit classes built here.

use std::collections::HashMap;
use std::sync::LazyLock;

/// JS `Canonicalize` (non-unicode, ignoreCase) of one BMP unit.
fn canon(c: char) -> char {
    if c.len_utf16() != 1 {
        return c;
    }
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) if u.len_utf16() == 1 && (c.is_ascii() || !u.is_ascii()) => u,
        _ => c,
    }
}

/// For each canonical form, the other non-ASCII BMP units that
/// canonicalise to it (only forms that have some).
static OTHERS: LazyLock<HashMap<char, Vec<char>>> = LazyLock::new(|| {
    let mut others: HashMap<char, Vec<char>> = HashMap::new();
    for c in (0x80u32..=0xFFFF).filter_map(char::from_u32) {
        let k = canon(c);
        if k != c {
            others.entry(k).or_default().push(c);
        }
    }
    others
});

/// Every unit a JS `/c/i` matches (just `c` when case does not apply).
pub fn variants(c: char) -> Vec<char> {
    if c.is_ascii_alphabetic() {
        return vec![c.to_ascii_lowercase(), c.to_ascii_uppercase()];
    }
    if c.is_ascii() || c.len_utf16() != 1 {
        return vec![c];
    }
    let k = canon(c);
    let mut out = vec![c];
    if canon(k) == k {
        out.push(k);
    }
    if let Some(o) = OTHERS.get(&k) {
        out.extend(o.iter().copied());
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A Rust regex piece matching what JS `/c/i` matches.
pub fn literal(c: char) -> String {
    let vs = variants(c);
    let mut buf = [0u8; 4];
    if vs.len() == 1 {
        return regex::escape(c.encode_utf8(&mut buf));
    }
    let mut out = String::from("[");
    for v in vs {
        out.push_str(&regex::escape(v.encode_utf8(&mut buf)));
    }
    out.push(']');
    out
}
