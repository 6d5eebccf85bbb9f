//! Registry version checks (`npm view <pkg> version`) and the semver
//! rules `update` needs: coerce, valid, greater-than.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::Path;

/// A parsed semantic version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Vec<String>,
}

const MAX_SAFE: u64 = 9_007_199_254_740_991;

fn num(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse::<u64>().ok().filter(|n| *n <= MAX_SAFE)
}

/// `semver.valid(v)` (strict, an optional leading `v` or `=`).
pub fn parse(v: &str) -> Option<Version> {
    let v = v.trim();
    let v = v.strip_prefix(['v', '=']).unwrap_or(v);
    let (core_pre, build) = match v.split_once('+') {
        Some((a, b)) => (a, Some(b)),
        None => (v, None),
    };
    if let Some(b) = build {
        if b.is_empty()
            || b.split('.')
                .any(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
        {
            return None;
        }
    }
    let (core, pre) = match core_pre.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (core_pre, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() != 3 {
        return None;
    }
    let pre: Vec<String> = match pre {
        None => Vec::new(),
        Some(p) => {
            let ids: Vec<&str> = p.split('.').collect();
            for id in &ids {
                if id.is_empty() || !id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
                    return None;
                }
                if id.bytes().all(|c| c.is_ascii_digit()) && id.len() > 1 && id.starts_with('0') {
                    return None;
                }
            }
            ids.into_iter().map(str::to_string).collect()
        }
    };
    Some(Version {
        major: num(parts[0])?,
        minor: num(parts[1])?,
        patch: num(parts[2])?,
        pre,
    })
}

fn cmp_pre(a: &[String], b: &[String]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    for (x, y) in a.iter().zip(b) {
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(m), Ok(n))
                if x.bytes().all(|c| c.is_ascii_digit())
                    && y.bytes().all(|c| c.is_ascii_digit()) =>
            {
                m.cmp(&n)
            }
            _ if x.bytes().all(|c| c.is_ascii_digit()) => Ordering::Less,
            _ if y.bytes().all(|c| c.is_ascii_digit()) => Ordering::Greater,
            _ => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

pub fn compare(a: &Version, b: &Version) -> Ordering {
    (a.major, a.minor, a.patch)
        .cmp(&(b.major, b.minor, b.patch))
        .then_with(|| cmp_pre(&a.pre, &b.pre))
}

/// `semver.coerce(s)`: the first `N[.N[.N]]` not glued to other digits
/// (at most 16 digits each), as `M.m.p`.
pub fn coerce(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let mut parts: Vec<&str> = Vec::new();
            let mut j = i;
            loop {
                let start = j;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j - start > 16 {
                    break;
                }
                parts.push(&s[start..j]);
                if parts.len() == 3
                    || j + 1 >= b.len()
                    || b[j] != b'.'
                    || !b[j + 1].is_ascii_digit()
                {
                    break;
                }
                j += 1;
            }
            let end_ok = j >= b.len() || !b[j].is_ascii_digit();
            if !parts.is_empty() && end_ok && parts.iter().all(|p| p.len() <= 16) {
                let n = |k: usize| {
                    parts
                        .get(k)
                        .and_then(|p| p.parse::<u64>().ok())
                        .unwrap_or(0)
                };
                let v = format!("{}.{}.{}", n(0), n(1), n(2));
                return parse(&v).map(|_| v);
            }
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    None
}

/// `parseNpmViewVersion(stdout)`.
pub fn parse_npm_view_version(stdout: &str) -> Option<String> {
    let first = crate::jstext::trim(stdout).split('\n').next().unwrap_or("");
    let line = crate::jstext::trim(first.trim_end_matches('\r'));
    if line.is_empty() {
        return None;
    }
    let mut candidate = line.to_string();
    let quoted = |q: char| line.len() >= 2 && line.starts_with(q) && line.ends_with(q);
    if quoted('"') || quoted('\'') {
        candidate = match oxe_runtime::jsjson::parse(line) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(v) => oxe_runtime::jsjson::js_string(&v),
            Err(_) => line[1..line.len() - 1].to_string(),
        };
    }
    let c = candidate.strip_prefix(['v', 'V']).unwrap_or(&candidate);
    coerce(crate::jstext::trim(c))
}

/// `isNewerThan(latest, current)`: both valid and `latest > current`.
pub fn is_newer_than(latest: &str, current: &str) -> bool {
    match (parse(latest), parse(current)) {
        (Some(a), Some(b)) => compare(&a, &b) == Ordering::Greater,
        _ => false,
    }
}

/// `syncNpmViewVersion(name, {env, cwd})`: `Ok(version)` or the error
/// text (npm's own output when it fails).
pub fn sync_npm_view_version(
    name: &str,
    vars: &BTreeMap<String, String>,
    cwd: Option<&Path>,
    lang: crate::i18n::Lang,
) -> Result<String, String> {
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let r = super::proc::run_capture(npm, &["view", name, "version"], vars, cwd)?;
    if let Some(code) = r.status {
        if code != 0 {
            let e = crate::jstext::trim(if r.stderr.trim().is_empty() {
                &r.stdout
            } else {
                &r.stderr
            })
            .to_string();
            return Err(if e.is_empty() {
                format!("npm view exited {code}")
            } else {
                e
            });
        }
    }
    parse_npm_view_version(&r.stdout).ok_or_else(|| {
        super::say::t(
            lang,
            "Could not interpret the version npm returned.",
            "Não foi possível interpretar a versão devolvida pelo npm.",
            &[],
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_view() {
        assert_eq!(parse_npm_view_version("0.3.5\n").as_deref(), Some("0.3.5"));
        assert_eq!(
            parse_npm_view_version("\"1.2.3\"\n").as_deref(),
            Some("1.2.3")
        );
        assert_eq!(parse_npm_view_version("v2.0.0").as_deref(), Some("2.0.0"));
        assert_eq!(parse_npm_view_version("not-a-version"), None);
        assert_eq!(parse_npm_view_version(""), None);
        assert_eq!(parse_npm_view_version("'not-a-semver'"), None);
        assert_eq!(parse_npm_view_version("1.4").as_deref(), Some("1.4.0"));
        assert_eq!(coerce("v1.2.3.4").as_deref(), Some("1.2.3"));
    }

    #[test]
    fn newer() {
        assert!(is_newer_than("0.4.0", "0.3.5"));
        assert!(!is_newer_than("0.3.5", "0.3.5"));
        assert!(!is_newer_than("0.3.4", "0.3.5"));
        assert!(is_newer_than("1.0.0", "1.0.0-rc.1"));
        assert!(!is_newer_than("junk", "1.0.0"));
        assert!(is_newer_than("1.0.0-rc.10", "1.0.0-rc.9"));
    }
}
