//! Text primitives with JavaScript semantics.
//!
//! The 1.4.0 artifact formats are defined by what its readers accept, and
//! those readers use JavaScript string methods and regular expressions. The
//! scanners in `parsers/` are written against these primitives so that a
//! "whitespace", a "line start" or a case-insensitive letter means exactly
//! what it means to V8:
//!
//! * whitespace is the `\s` class (`String.prototype.trim` strips the same
//!   set): tab, LF, VT, FF, CR, space, NBSP, U+1680, U+2000–U+200A, LS, PS,
//!   U+202F, U+205F, U+3000 and the BOM;
//! * a line terminator is LF, CR, LS or PS (what `.` refuses and what `^`
//!   and `$` see in multiline mode);
//! * case-insensitive matching folds with `toUpperCase`, but never maps a
//!   non-ASCII character onto an ASCII one (`ſ` does not match `s`).

/// A character of JS's `\\s` class.
pub fn is_ws(c: char) -> bool {
    oxe_runtime::jsjson::is_js_space(c)
}

/// A line terminator: the characters `.` does not match.
pub fn is_lt(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// A character of the `\w` class (ASCII letters, digits, `_`).
pub fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `String.prototype.trim`.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_ws)
}

/// `String.prototype.trimStart`.
pub fn trim_start(s: &str) -> &str {
    s.trim_start_matches(is_ws)
}

/// The char at byte offset `at`, if any.
pub fn char_at(s: &str, at: usize) -> Option<char> {
    s.get(at..).and_then(|t| t.chars().next())
}

/// The char just before byte offset `at`, if any.
pub fn char_before(s: &str, at: usize) -> Option<char> {
    s.get(..at).and_then(|t| t.chars().next_back())
}

/// `^` in multiline mode: the start of the text or just after a line terminator.
pub fn is_line_start(s: &str, at: usize) -> bool {
    at == 0 || char_before(s, at).is_some_and(is_lt)
}

/// `\b` (ASCII word boundary) at byte offset `at`.
pub fn is_word_boundary(s: &str, at: usize) -> bool {
    let before = char_before(s, at).is_some_and(is_word);
    let after = char_at(s, at).is_some_and(is_word);
    before != after
}

/// Byte offset of the first line terminator at or after `at` (or the end).
pub fn line_end(s: &str, at: usize) -> usize {
    s[at..].find(is_lt).map_or(s.len(), |i| at + i)
}

/// Byte offset just after the longest run of `\s` characters from `at`.
pub fn ws_end(s: &str, at: usize) -> usize {
    s[at..]
        .find(|c: char| !is_ws(c))
        .map_or(s.len(), |i| at + i)
}

/// The case fold of a regular expression with the `i` flag (no `u` flag).
pub fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) if !u.is_ascii() => u,
        _ => c,
    }
}

/// If `s[at..]` starts with `lit` (compared case-insensitively when `ci`),
/// the byte offset just after the matched text.
pub fn eat(s: &str, at: usize, lit: &str, ci: bool) -> Option<usize> {
    let rest = s.get(at..)?;
    if !ci {
        return rest.starts_with(lit).then_some(at + lit.len());
    }
    let mut it = rest.char_indices();
    for want in lit.chars() {
        let (_, got) = it.next()?;
        if fold(got) != fold(want) {
            return None;
        }
    }
    Some(it.next().map_or(s.len(), |(i, _)| at + i))
}

/// Byte offsets where `lit` starts in `s` at or after `from`, in order.
pub fn find_all<'a>(
    s: &'a str,
    lit: &str,
    ci: bool,
    from: usize,
) -> impl Iterator<Item = usize> + 'a {
    let first = lit.chars().next();
    let lit = lit.to_owned();
    s[from..].char_indices().filter_map(move |(i, c)| {
        let at = from + i;
        let f = first?;
        let plausible = if ci { fold(c) == fold(f) } else { c == f };
        (plausible && eat(s, at, &lit, ci).is_some()).then_some(at)
    })
}

/// `.`: any character but a line terminator. V8 without the `u` flag works
/// on UTF-16 code units, so a single `.` cannot match an astral character.
pub fn is_single_dot(c: char) -> bool {
    !is_lt(c) && (c as u32) < 0x1_0000
}

/// Greedy `\s*` (or `\s+` when `min` is 1) followed by a greedy `X+`, where
/// `X` is the class `allowed`, matched from `at` with backtracking as a
/// regular expression engine does. Returns the byte range of the `X+` run.
///
/// When whitespace is followed by an allowed character, the run starts
/// there; when the whitespace reaches the end of the text, the engine gives
/// characters back until one is allowed.
pub fn ws_then_run(
    s: &str,
    at: usize,
    min_ws: usize,
    allowed: impl Fn(char) -> bool,
) -> Option<(usize, usize)> {
    let b = ws_end(s, at);
    let run_from = |j: usize| {
        let end = s[j..]
            .find(|c: char| !allowed(c))
            .map_or(s.len(), |i| j + i);
        (end > j).then_some((j, end))
    };
    if b < s.len() {
        // the character after the whitespace is not whitespace
        if b - at >= min_ws {
            if let Some(r) = run_from(b) {
                return Some(r);
            }
        }
    }
    // give back whitespace one character at a time
    let mut j = b;
    while j > at {
        j = s[..j].char_indices().next_back().map_or(at, |(i, _)| i);
        if s[at..j].chars().count() < min_ws {
            return None;
        }
        if let Some(r) = run_from(j) {
            return Some(r);
        }
    }
    None
}

/// The regular expression `\s*\n+` matched from `at` (greedy, with
/// backtracking): the whitespace after `at` must hold a line feed, and the
/// match ends just after the last one. Returns that offset.
pub fn ws_through_last_lf(s: &str, at: usize) -> Option<usize> {
    let b = ws_end(s, at);
    s[at..b].rfind('\n').map(|i| at + i + 1)
}

/// All non-overlapping matches of `` `([^`]+)` `` in `s`, as the text
/// between the backticks.
pub fn backticked(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut p = 0;
    while let Some(i) = s[p..].find('`') {
        let open = p + i;
        match s[open + 1..].find('`') {
            Some(0) => p = open + 1,
            Some(j) => {
                out.push(&s[open + 1..open + 1 + j]);
                p = open + 1 + j + 1;
            }
            None => break,
        }
    }
    out
}

/// `parseFloat`: the longest prefix of `s` (after leading whitespace) that
/// reads as a decimal literal, or NaN.
pub fn parse_float(s: &str) -> f64 {
    let t = trim_start(s);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if t[i..].starts_with("Infinity") {
        return if b.first() == Some(&b'-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        let frac_start = i + 1;
        let mut k = frac_start;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if digits > 0 || k > frac_start {
            digits += k - frac_start;
            i = k;
        }
    }
    if digits == 0 {
        return f64::NAN;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut k = i + 1;
        if k < b.len() && (b[k] == b'+' || b[k] == b'-') {
            k += 1;
        }
        let exp_start = k;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        if k > exp_start {
            i = k;
        }
    }
    let lit = &t[..i];
    let lit = lit.strip_suffix('.').unwrap_or(lit);
    let lit = lit.replace("+.", "+0.").replace("-.", "-0.");
    let lit = if lit.starts_with('.') {
        format!("0{lit}")
    } else {
        lit
    };
    lit.parse::<f64>().unwrap_or(f64::NAN)
}

/// JS `Number(s)` for a string: trimmed decimal (with exponent), `0x`/`0o`/
/// `0b` integers, `Infinity`; the empty string is 0; anything else NaN.
pub fn to_number(s: &str) -> f64 {
    let t = trim(s);
    if t.is_empty() {
        return 0.0;
    }
    let radix = |p: &str, r: u32| {
        t.strip_prefix(p)
            .or_else(|| t.strip_prefix(&p.to_ascii_uppercase()))
            .filter(|d| !d.is_empty())
            .map(|d| u128::from_str_radix(d, r).map_or(f64::NAN, |n| n as f64))
    };
    if let Some(v) = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
    {
        return v;
    }
    let (sign, body) = match t.as_bytes()[0] {
        b'-' => (-1.0, &t[1..]),
        b'+' => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return sign * f64::INFINITY;
    }
    let ok_chars = body.bytes().all(|b| {
        b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'E' || b == b'+' || b == b'-'
    });
    let has_digit_before_exp = body
        .split(['e', 'E'])
        .next()
        .is_some_and(|m| m.bytes().any(|b| b.is_ascii_digit()));
    if !ok_chars || !has_digit_before_exp || body.starts_with(['+', '-']) {
        return f64::NAN;
    }
    body.parse::<f64>().map_or(f64::NAN, |v| sign * v)
}

/// `Math.round`: the closest integer, ties toward +∞.
pub fn js_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let r = x.floor();
    if x - r >= 0.5 {
        r + 1.0
    } else {
        r
    }
}

/// `parseInt` of a run of ASCII digits, as a double (exact up to 2^53,
/// correctly rounded beyond).
pub fn digits_value(d: &str) -> f64 {
    d.parse::<f64>().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_trim() {
        assert!(is_ws('\u{feff}') && is_ws('\u{a0}') && !is_ws('\u{85}'));
        assert_eq!(trim("\u{feff} a b\r\n"), "a b");
        assert_eq!(trim_start("  |x"), "|x");
    }

    #[test]
    fn case_folding() {
        assert_eq!(eat("ÚLTIMO scan", 0, "último", true), Some("ÚLTIMO".len()));
        assert_eq!(eat("ſcan", 0, "scan", true), None);
        assert_eq!(eat("abc", 0, "ABC", false), None);
        assert_eq!(
            find_all("xAbxab", "ab", true, 0).collect::<Vec<_>>(),
            vec![1, 4]
        );
    }

    #[test]
    fn ws_then_run_backtracks() {
        let not_lt = |c: char| !is_lt(c);
        assert_eq!(ws_then_run("x  foo\nbar", 1, 0, not_lt), Some((3, 6)));
        // whitespace up to the end: give back a space
        assert_eq!(ws_then_run("x  \n", 1, 0, not_lt), Some((2, 3)));
        assert_eq!(ws_then_run("x\n\n", 1, 0, not_lt), None);
        assert_eq!(ws_then_run("x\n\nfoo", 1, 1, not_lt), Some((3, 6)));
        assert_eq!(ws_then_run("xfoo", 1, 1, not_lt), None);
    }

    #[test]
    fn newline_runs() {
        assert_eq!(ws_through_last_lf("h\n\n  x", 1), Some(3));
        assert_eq!(ws_through_last_lf("h  x", 1), None);
    }

    #[test]
    fn backticks() {
        assert_eq!(backticked("`a`, ``b` `c"), vec!["a", "b"]);
        assert_eq!(backticked("no ticks"), Vec::<&str>::new());
    }

    #[test]
    fn parse_float_like_js() {
        assert_eq!(parse_float("0.90"), 0.9);
        assert_eq!(parse_float("  1e3x"), 1000.0);
        assert_eq!(parse_float(".5"), 0.5);
        assert_eq!(parse_float("-.5"), -0.5);
        assert_eq!(parse_float("5."), 5.0);
        assert_eq!(parse_float("1e"), 1.0);
        assert!(parse_float("abc").is_nan());
        assert!(parse_float(".").is_nan());
        assert_eq!(parse_float("-Infinity"), f64::NEG_INFINITY);
    }

    #[test]
    fn number_like_js() {
        assert_eq!(to_number(" 80 "), 80.0);
        assert_eq!(to_number(""), 0.0);
        assert_eq!(to_number("0x50"), 80.0);
        assert_eq!(to_number("1e3"), 1000.0);
        assert_eq!(to_number("-2.5"), -2.5);
        assert!(to_number("abc").is_nan() && to_number("1e").is_nan() && to_number("--1").is_nan());
    }

    #[test]
    fn rounding() {
        assert_eq!(js_round(0.49999999999999994), 0.0);
        assert_eq!(js_round(2.5), 3.0);
        assert_eq!(js_round(-2.5), -2.0);
    }
}
