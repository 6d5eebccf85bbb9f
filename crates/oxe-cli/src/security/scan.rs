//! `scanFileForSecrets` (inline secrets, line by line) and
//! `scanDirForSecretFiles` (files whose names suggest secrets).

use std::path::Path;

use serde_json::{json, Value};

use super::{first_match, PatternError, PatternSet};
use oxe_runtime::jsjson::is_js_space;
use oxe_runtime::plugins::node_path;

const PREVIEW_UNITS: usize = 80;

/// JS `line.trim()`.
fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

/// The first `units` UTF-16 code units of `s` (a surrogate pair that would
/// be cut in half is left out) and whether `s` was longer.
fn cut_utf16(s: &str, units: usize) -> (&str, bool) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = c.len_utf16();
        if used + w > units {
            return (&s[..i], true);
        }
        used += w;
    }
    (s, false)
}

/// `scanFileForSecrets(file, {contentPatterns})`:
/// `{hasSecrets, matches:[{line, pattern, preview}]}`. A missing or
/// unreadable file has no secrets.
pub fn scan_file_for_secrets(
    file: &Path,
    patterns: &mut dyn PatternSet,
) -> Result<Value, PatternError> {
    let Ok(bytes) = std::fs::read(file) else {
        return Ok(json!({"hasSecrets": false, "matches": []}));
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut matches = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        if let Some(i) = first_match(patterns, line)? {
            let trimmed = js_trim(line);
            let (head, cut) = cut_utf16(trimmed, PREVIEW_UNITS);
            let preview = if cut {
                format!("{head}…")
            } else {
                head.to_string()
            };
            matches.push(json!({"line": n + 1, "pattern": patterns.label(i), "preview": preview}));
        }
    }
    Ok(json!({"hasSecrets": !matches.is_empty(), "matches": matches}))
}

/// `scanDirForSecretFiles(dir, {secretPatterns, maxDepth})`: paths relative
/// to `dir`. Below the top level, dot entries are skipped; `node_modules`
/// and `.git` are never entered; symbolic links are not followed; entries
/// are visited in byte order of their names (as Node's `readdirSync`
/// lists them). `max_depth` NaN means no limit, as in JS.
pub fn scan_dir_for_secret_files(
    dir: &str,
    patterns: &mut dyn PatternSet,
    max_depth: f64,
) -> Result<Vec<String>, PatternError> {
    let mut found = Vec::new();
    walk(dir, Path::new(dir), 0, max_depth, patterns, &mut found)?;
    Ok(found)
}

fn walk(
    base: &str,
    cur: &Path,
    depth: u32,
    max_depth: f64,
    patterns: &mut dyn PatternSet,
    found: &mut Vec<String>,
) -> Result<(), PatternError> {
    if f64::from(depth) > max_depth {
        return Ok(());
    }
    let Ok(rd) = std::fs::read_dir(cur) else {
        return Ok(());
    };
    let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if (name.starts_with('.') && depth > 0) || name == "node_modules" || name == ".git" {
            continue;
        }
        let full = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            walk(base, &full, depth + 1, max_depth, patterns, found)?;
        } else if first_match(patterns, &name)?.is_some() {
            found.push(node_path::relative(base, &full.to_string_lossy()));
        }
    }
    Ok(())
}
