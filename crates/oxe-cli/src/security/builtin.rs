//! The three default pattern lists of 1.4.0 (`DEFAULT_SECRET_PATTERNS`,
//! `DEFAULT_SECRET_CONTENT_PATTERNS`, `DEFAULT_DENIED_PATH_PATTERNS`).
//!
//! Each entry keeps the JS regex source and flags (the SDK exports them as
//! `RegExp`s and reports them in reasons and `pattern` fields) next to its
//! translation for the Rust `regex` crate, compiled once. The translation
//! keeps JS semantics where the two dialects differ:
//! - flag `i` without `u` folds ASCII letters only, hence `(?i-u:...)`
//!   around literals (Rust's Unicode `(?i)` would let `ſ` match `s` and the
//!   Kelvin sign match `k`);
//! - `\w` is ASCII (`(?-u)` or spelled out), `\s` is JS's set and `.` stops
//!   at all four JS line terminators ([`super::jsview`]);
//! - subjects are matched through [`utf16_view`], so counts such as `{8,}`
//!   are in UTF-16 units as in JS.

use std::sync::LazyLock;

use regex::Regex;

use super::jsview::{js_space, utf16_view};
use super::{PatternError, PatternSet};

/// Which default list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// File names that suggest a secret (tested on the base name).
    SecretNames,
    /// Inline secrets (tested per line of a file).
    SecretContent,
    /// Folders a workflow must not touch (tested on the relative path).
    DeniedPaths,
}

/// One default pattern: JS source, JS flags, Rust translation.
pub struct Pattern {
    pub js_source: &'static str,
    pub js_flags: &'static str,
    pub rust: &'static str,
}

const fn p(js_source: &'static str, js_flags: &'static str, rust: &'static str) -> Pattern {
    Pattern {
        js_source,
        js_flags,
        rust,
    }
}

const SECRET_NAMES: [Pattern; 15] = [
    p(r"\.env(\.\w+)?$", "i", r"(?i-u)\.env(?:\.\w+)?$"),
    p(
        r"secrets?\.(json|yaml|yml|toml|ini)$",
        "i",
        r"(?i-u)secrets?\.(?:json|yaml|yml|toml|ini)$",
    ),
    p(
        r"credentials?\.(json|yaml|yml)$",
        "i",
        r"(?i-u)credentials?\.(?:json|yaml|yml)$",
    ),
    p(r"\.pem$", "i", r"(?i-u)\.pem$"),
    p(r"\.key$", "i", r"(?i-u)\.key$"),
    p(
        r"id_(rsa|ecdsa|ed25519)(\.pub)?$",
        "i",
        r"(?i-u)id_(?:rsa|ecdsa|ed25519)(?:\.pub)?$",
    ),
    p(r"\.pfx$", "i", r"(?i-u)\.pfx$"),
    p(r"\.p12$", "i", r"(?i-u)\.p12$"),
    p(
        r"serviceAccountKey\.json$",
        "i",
        r"(?i-u)serviceAccountKey\.json$",
    ),
    p(
        r"firebase-adminsdk.*\.json$",
        "i",
        r"(?i-u:firebase-adminsdk)[^\n\r\x{2028}\x{2029}]*(?i-u:\.json)$",
    ),
    p(r"aws-credentials", "i", r"(?i-u)aws-credentials"),
    p(r"\.npmrc$", "i", r"(?i-u)\.npmrc$"),
    p(r"\.netrc$", "i", r"(?i-u)\.netrc$"),
    p(r"htpasswd", "i", r"(?i-u)htpasswd"),
    p(r"vault[_-]token", "i", r"(?i-u)vault[_-]token"),
];

const SECRET_CONTENT: [Pattern; 7] = [
    p(
        r#"(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)\s*[:=]\s*["']?[^\s"']{8,}"#,
        "i",
        concat!(
            r"(?i-u:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)",
            "[",
            js_space!(),
            "]*[:=][",
            js_space!(),
            r#"]*["']?[^"#,
            js_space!(),
            r#""']{8,}"#
        ),
    ),
    p(
        r"(?:BEGIN\s+(?:RSA|EC|OPENSSH|PGP)\s+PRIVATE\s+KEY)",
        "i",
        concat!(
            "(?i-u:BEGIN)[",
            js_space!(),
            "]+(?i-u:RSA|EC|OPENSSH|PGP)[",
            js_space!(),
            "]+(?i-u:PRIVATE)[",
            js_space!(),
            "]+(?i-u:KEY)"
        ),
    ),
    p(
        r"(?:AKIA|ASIA)[A-Z0-9]{16}",
        "",
        r"(?:AKIA|ASIA)[A-Z0-9]{16}",
    ),
    p(
        r"eyJ[a-zA-Z0-9_-]+\.eyJ[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+",
        "",
        r"eyJ[a-zA-Z0-9_-]+\.eyJ[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+",
    ),
    p(r"ghp_[a-zA-Z0-9]{36}", "", r"ghp_[a-zA-Z0-9]{36}"),
    p(r"ghs_[a-zA-Z0-9]{36}", "", r"ghs_[a-zA-Z0-9]{36}"),
    p(r"glpat-[a-zA-Z0-9\-_]{20}", "", r"glpat-[a-zA-Z0-9\-_]{20}"),
];

const DENIED_PATHS: [Pattern; 6] = [
    p(r"node_modules[/\\]", "", r"node_modules[/\\]"),
    p(r"\.git[/\\]", "", r"\.git[/\\]"),
    p(r"dist[/\\]", "", r"dist[/\\]"),
    p(r"build[/\\]", "", r"build[/\\]"),
    p(r"coverage[/\\]", "", r"coverage[/\\]"),
    p(r"\.cache[/\\]", "", r"\.cache[/\\]"),
];

fn compile(list: &[Pattern]) -> Vec<Regex> {
    list.iter()
        .map(|p| match Regex::new(p.rust) {
            Ok(re) => re,
            // The sources are constants checked by the tests in this module's
            // test suite; a failure here is a build defect, not bad input.
            Err(e) => panic!("built-in pattern /{}/ does not compile: {e}", p.js_source),
        })
        .collect()
}

static SECRET_NAMES_RE: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&SECRET_NAMES));
static SECRET_CONTENT_RE: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&SECRET_CONTENT));
static DENIED_PATHS_RE: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&DENIED_PATHS));

impl Builtin {
    /// The patterns of this list (JS source, flags, Rust translation), in
    /// 1.4.0's order.
    pub fn sources(self) -> &'static [Pattern] {
        match self {
            Builtin::SecretNames => &SECRET_NAMES,
            Builtin::SecretContent => &SECRET_CONTENT,
            Builtin::DeniedPaths => &DENIED_PATHS,
        }
    }

    fn compiled(self) -> &'static [Regex] {
        match self {
            Builtin::SecretNames => &SECRET_NAMES_RE,
            Builtin::SecretContent => &SECRET_CONTENT_RE,
            Builtin::DeniedPaths => &DENIED_PATHS_RE,
        }
    }

    /// Whether pattern `index` of this list matches somewhere in `s`, as
    /// the JS `RegExp` would.
    pub fn matches(self, index: usize, s: &str) -> bool {
        self.compiled()
            .get(index)
            .is_some_and(|re| re.is_match(&utf16_view(s)))
    }
}

impl PatternSet for Builtin {
    fn count(&self) -> usize {
        self.sources().len()
    }
    fn test(&mut self, index: usize, subject: &str) -> Result<bool, PatternError> {
        Ok(self.matches(index, subject))
    }
    fn label(&self, index: usize) -> String {
        self.sources()
            .get(index)
            .map(|p| format!("/{}/{}", p.js_source, p.js_flags))
            .unwrap_or_default()
    }
}
