//! `globToRegex`: the permission-rule glob language. `*` is a run of
//! characters without `/` or `\`, `?` one such character, `**/` an optional
//! run of folders, a lone `**` anything on one line; everything else is
//! literal, letters compare without case, and the whole path must match.
//!
//! [`regex_source`] gives the JS regex source 1.4.0 builds (the SDK returns
//! a `RegExp` made from it, flag `i`). [`Glob`] compiles the same glob for
//! the `regex` crate with the JS meaning kept: `.` becomes JS's dot class,
//! letters become classes of what JS's non-unicode `i` flag folds together
//! ([`super::jscase`]), and text is matched in UTF-16 units
//! ([`super::jsview`]). `globset` was not used: its `*` crosses `\`, and it
//! gives `{a,b}` and `[...]` meanings that 1.4.0 treats as literal text.

use regex::Regex;

use super::jscase;
use super::jsview::{utf16_view, JS_DOT};

/// The regex source of `glob` (to be used with the `i` flag).
pub fn regex_source(glob: &str) -> String {
    let mut escaped = String::with_capacity(glob.len() * 2);
    for c in glob.chars() {
        if ".+^${}()|[]\\".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let body = escaped
        .replace("**", "\u{0}")
        .replace('*', r"[^/\\]*")
        .replace('?', r"[^/\\]")
        .replace("\u{0}/", r"(.+\/)?")
        .replace('\u{0}', ".*");
    format!("^{body}$")
}

/// A glob that the `regex` crate could not compile (too large).
#[derive(Debug, thiserror::Error)]
#[error("glob {glob:?} is too large to compile: {reason}")]
pub struct GlobError {
    pub glob: String,
    pub reason: String,
}

/// A compiled glob.
#[derive(Debug, Clone)]
pub struct Glob {
    re: Regex,
}

/// The Rust regex equivalent of [`regex_source`]`(glob)` with flag `i`.
/// A NUL in the glob acts as `**`, as in 1.4.0 (it used NUL as the
/// placeholder for `**`).
pub fn rust_source(glob: &str) -> String {
    let view = utf16_view(glob);
    let cs: Vec<char> = view.chars().collect();
    let mut out = String::from("^");
    let mut i = 0;
    while i < cs.len() {
        let star2 = cs[i] == '*' && cs.get(i + 1) == Some(&'*');
        if star2 || cs[i] == '\0' {
            i += if star2 { 2 } else { 1 };
            if cs.get(i) == Some(&'/') {
                out.push_str(&format!("(?:{JS_DOT}+/)?"));
                i += 1;
            } else {
                out.push_str(&format!("{JS_DOT}*"));
            }
            continue;
        }
        match cs[i] {
            '*' => out.push_str(r"[^/\\]*"),
            '?' => out.push_str(r"[^/\\]"),
            c => out.push_str(&jscase::literal(c)),
        }
        i += 1;
    }
    out.push('$');
    out
}

impl Glob {
    pub fn new(glob: &str) -> Result<Glob, GlobError> {
        regex::RegexBuilder::new(&rust_source(glob))
            .size_limit(64 << 20)
            .build()
            .map(|re| Glob { re })
            .map_err(|e| GlobError {
                glob: glob.to_string(),
                reason: e.to_string(),
            })
    }

    /// Whether the whole of `s` matches.
    pub fn is_match(&self, s: &str) -> bool {
        self.re.is_match(&utf16_view(s))
    }
}
