//! The three default pattern lists of 1.4.0 (`DEFAULT_SECRET_PATTERNS`,
//! `DEFAULT_SECRET_CONTENT_PATTERNS`, `DEFAULT_DENIED_PATH_PATTERNS`).
//! Their regex sources are part of the observable surface (the SDK exports
//! them as `RegExp`s and `scanFileForSecrets` reports `pattern` as the
//! regex text), so they are kept as data; matching is hand-written here
//! and equivalent to what each regex accepts.

use super::{PatternError, PatternSet};
use oxe_runtime::jsjson::is_js_space;

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

const SECRET_NAMES: [(&str, &str); 15] = [
    (r"\.env(\.\w+)?$", "i"),
    (r"secrets?\.(json|yaml|yml|toml|ini)$", "i"),
    (r"credentials?\.(json|yaml|yml)$", "i"),
    (r"\.pem$", "i"),
    (r"\.key$", "i"),
    (r"id_(rsa|ecdsa|ed25519)(\.pub)?$", "i"),
    (r"\.pfx$", "i"),
    (r"\.p12$", "i"),
    (r"serviceAccountKey\.json$", "i"),
    (r"firebase-adminsdk.*\.json$", "i"),
    (r"aws-credentials", "i"),
    (r"\.npmrc$", "i"),
    (r"\.netrc$", "i"),
    (r"htpasswd", "i"),
    (r"vault[_-]token", "i"),
];

const SECRET_CONTENT: [(&str, &str); 7] = [
    (
        r#"(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)\s*[:=]\s*["']?[^\s"']{8,}"#,
        "i",
    ),
    (r"(?:BEGIN\s+(?:RSA|EC|OPENSSH|PGP)\s+PRIVATE\s+KEY)", "i"),
    (r"(?:AKIA|ASIA)[A-Z0-9]{16}", ""),
    (r"eyJ[a-zA-Z0-9_-]+\.eyJ[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+", ""),
    (r"ghp_[a-zA-Z0-9]{36}", ""),
    (r"ghs_[a-zA-Z0-9]{36}", ""),
    (r"glpat-[a-zA-Z0-9\-_]{20}", ""),
];

const DENIED_PATHS: [(&str, &str); 6] = [
    (r"node_modules[/\\]", ""),
    (r"\.git[/\\]", ""),
    (r"dist[/\\]", ""),
    (r"build[/\\]", ""),
    (r"coverage[/\\]", ""),
    (r"\.cache[/\\]", ""),
];

impl Builtin {
    /// `(source, flags)` of every pattern, in 1.4.0's order.
    pub fn sources(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Builtin::SecretNames => &SECRET_NAMES,
            Builtin::SecretContent => &SECRET_CONTENT,
            Builtin::DeniedPaths => &DENIED_PATHS,
        }
    }

    /// Whether pattern `index` of this list matches somewhere in `s`.
    pub fn matches(self, index: usize, s: &str) -> bool {
        match self {
            Builtin::SecretNames => secret_name(index, s),
            Builtin::SecretContent => secret_content(index, s),
            Builtin::DeniedPaths => DENIED_PATHS
                .get(index)
                .is_some_and(|_| denied_path(index, s)),
        }
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
            .map(|(s, f)| format!("/{s}/{f}"))
            .unwrap_or_default()
    }
}

/// `\w` of a non-unicode JS regex.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A JS `.` (anything but a line terminator).
fn is_dot(c: char) -> bool {
    !matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// ASCII case folding, enough for patterns whose letters are all ASCII.
fn fold(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn ends_with_any(s: &str, stems: &[&str], exts: &[&str]) -> bool {
    stems
        .iter()
        .any(|st| exts.iter().any(|e| s.ends_with(&format!("{st}.{e}"))))
}

fn secret_name(index: usize, name: &str) -> bool {
    let n = fold(name);
    match index {
        0 => n.match_indices(".env").any(|(i, _)| {
            let rest = &n[i + 4..];
            rest.is_empty()
                || rest
                    .strip_prefix('.')
                    .is_some_and(|w| !w.is_empty() && w.chars().all(is_word))
        }),
        1 => ends_with_any(
            &n,
            &["secret", "secrets"],
            &["json", "yaml", "yml", "toml", "ini"],
        ),
        2 => ends_with_any(&n, &["credential", "credentials"], &["json", "yaml", "yml"]),
        3 => n.ends_with(".pem"),
        4 => n.ends_with(".key"),
        5 => ["id_rsa", "id_ecdsa", "id_ed25519"]
            .iter()
            .any(|k| n.ends_with(k) || n.ends_with(&format!("{k}.pub"))),
        6 => n.ends_with(".pfx"),
        7 => n.ends_with(".p12"),
        8 => n.ends_with("serviceaccountkey.json"),
        9 => n.match_indices("firebase-adminsdk").any(|(i, m)| {
            let rest = &n[i + m.len()..];
            rest.ends_with(".json") && rest[..rest.len() - 5].chars().all(is_dot)
        }),
        10 => n.contains("aws-credentials"),
        11 => n.ends_with(".npmrc"),
        12 => n.ends_with(".netrc"),
        13 => n.contains("htpasswd"),
        14 => n.contains("vault_token") || n.contains("vault-token"),
        _ => false,
    }
}

fn denied_path(index: usize, rel: &str) -> bool {
    let stem = match index {
        0 => "node_modules",
        1 => ".git",
        2 => "dist",
        3 => "build",
        4 => "coverage",
        5 => ".cache",
        _ => return false,
    };
    rel.match_indices(stem)
        .any(|(i, _)| matches!(rel[i + stem.len()..].chars().next(), Some('/' | '\\')))
}

/// Byte offsets in `s` where `needle` starts, comparing ASCII letters
/// without case when `ci`.
fn starts(s: &str, needle: &str, ci: bool) -> Vec<usize> {
    let (hay, nd) = if ci {
        (fold(s), fold(needle))
    } else {
        (s.to_string(), needle.to_string())
    };
    hay.match_indices(&nd).map(|(i, _)| i).collect()
}

/// Length in bytes of the run of chars of `s` satisfying `f`.
fn run_len(s: &str, f: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .find(|&(_, c)| !f(c))
        .map_or(s.len(), |(i, _)| i)
}

fn is_b64url(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// `prefix` followed by `n` chars satisfying `f`.
fn prefixed_run(s: &str, prefix: &str, n: usize, f: impl Fn(char) -> bool + Copy) -> bool {
    starts(s, prefix, false).into_iter().any(|i| {
        let mut it = s[i + prefix.len()..].chars();
        (0..n).all(|_| it.next().is_some_and(f))
    })
}

fn key_value_secret(s: &str) -> bool {
    const KEYS: [&str; 10] = [
        "password",
        "passwd",
        "secret",
        "token",
        "api_key",
        "api-key",
        "apikey",
        "access_key",
        "access-key",
        "accesskey",
    ];
    const MORE: [&str; 3] = ["private_key", "private-key", "privatekey"];
    let lower = fold(s);
    KEYS.iter().chain(MORE.iter()).any(|k| {
        lower.match_indices(k).any(|(i, _)| {
            let rest = &s[i + k.len()..];
            let rest = &rest[run_len(rest, is_js_space)..];
            let Some(rest) = rest.strip_prefix([':', '=']) else {
                return false;
            };
            let rest = &rest[run_len(rest, is_js_space)..];
            let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
            rest.chars()
                .take_while(|&c| !is_js_space(c) && c != '"' && c != '\'')
                .count()
                >= 8
        })
    })
}

fn private_key_header(s: &str) -> bool {
    let lower = fold(s);
    lower.match_indices("begin").any(|(i, _)| {
        let spaced = |r: &str| -> Option<usize> {
            let n = run_len(r, is_js_space);
            (n > 0).then_some(n)
        };
        let r = &lower[i + 5..];
        let Some(n) = spaced(r) else { return false };
        let r = &r[n..];
        let Some(r) = ["rsa", "ec", "openssh", "pgp"]
            .iter()
            .find_map(|k| r.strip_prefix(k))
        else {
            return false;
        };
        let Some(n) = spaced(r) else { return false };
        let Some(r) = r[n..].strip_prefix("private") else {
            return false;
        };
        let Some(n) = spaced(r) else { return false };
        r[n..].starts_with("key")
    })
}

fn jwt(s: &str) -> bool {
    starts(s, "eyJ", false).into_iter().any(|i| {
        let r = &s[i + 3..];
        let n = run_len(r, is_b64url);
        if n == 0 {
            return false;
        }
        let Some(r) = r[n..].strip_prefix(".eyJ") else {
            return false;
        };
        let n = run_len(r, is_b64url);
        if n == 0 {
            return false;
        }
        let Some(r) = r[n..].strip_prefix('.') else {
            return false;
        };
        run_len(r, is_b64url) > 0
    })
}

fn secret_content(index: usize, line: &str) -> bool {
    let upper_alnum = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit();
    match index {
        0 => key_value_secret(line),
        1 => private_key_header(line),
        2 => {
            prefixed_run(line, "AKIA", 16, upper_alnum)
                || prefixed_run(line, "ASIA", 16, upper_alnum)
        }
        3 => jwt(line),
        4 => prefixed_run(line, "ghp_", 36, |c| c.is_ascii_alphanumeric()),
        5 => prefixed_run(line, "ghs_", 36, |c| c.is_ascii_alphanumeric()),
        6 => prefixed_run(line, "glpat-", 20, is_b64url),
        _ => false,
    }
}
