//! Wrapper front matter (`---` blocks) and wrapper file names → slugs.

use oxe_runtime::jsjson::is_js_space;
use serde_json::{Map, Value};

use super::RUNTIME_METADATA_KEYS;

/// `splitFrontmatter(raw)` → `(frontmatter, body)`: a leading BOM is
/// dropped and CRLF becomes LF; without a `---` block the front matter is
/// empty. The body loses its leading white space.
pub fn split_frontmatter(raw: &str) -> (String, String) {
    let text = raw
        .strip_prefix('\u{feff}')
        .unwrap_or(raw)
        .replace("\r\n", "\n");
    let whole = || {
        (
            String::new(),
            text.trim_start_matches(is_js_space).to_string(),
        )
    };
    match frontmatter_block(&text) {
        Some((fm, body)) => (
            fm.to_string(),
            body.trim_start_matches(is_js_space).to_string(),
        ),
        None => whole(),
    }
}

/// The `---` block of LF-only text: `Some((front matter, rest))` when the
/// text starts with `---\n` and a `\n---\n` closes it (searched from
/// offset 4, so the opening line's own newline never closes it), the rest
/// starting just after the closing line.
pub fn frontmatter_block(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix("---\n")?;
    let end = inner.find("\n---\n")?;
    Some((&inner[..end], &inner[end + 5..]))
}

/// One `key: value` line of front matter: a key of `[A-Za-z0-9_-]+`, a
/// colon, optional white space, at least one more character.
fn front_line(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return None;
    }
    let rest = &line[colon + 1..];
    // `.` stops at line terminators; a value holding one does not match
    if rest.contains(['\r', '\u{2028}', '\u{2029}']) || rest.is_empty() {
        return None;
    }
    let value = rest.trim_start_matches(is_js_space);
    // `\s*` gives back one character when nothing else is left for `.+`
    Some((key, if value.is_empty() { rest } else { value }))
}

/// `parseFrontmatterMap(raw)`: each `key: value` line of the front matter,
/// the value trimmed and stripped of one leading and one trailing quote.
pub fn parse_frontmatter_map(raw: &str) -> Map<String, Value> {
    let (fm, _) = split_frontmatter(raw);
    let mut out = Map::new();
    if fm.is_empty() {
        return out;
    }
    for line in fm.split('\n') {
        if let Some((key, value)) = front_line(line) {
            let v = value.trim_matches(is_js_space);
            let v = v.strip_prefix(['"', '\'']).unwrap_or(v);
            let v = v.strip_suffix(['"', '\'']).unwrap_or(v);
            out.insert(key.to_string(), Value::String(v.to_string()));
        }
    }
    out
}

/// `pickRuntimeMetadata(frontmatter)`: the `oxe_*` keys whose value is a
/// non-blank string, trimmed.
pub fn pick_runtime_metadata(fm: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for key in RUNTIME_METADATA_KEYS {
        if let Some(Value::String(s)) = fm.get(key) {
            let t = s.trim_matches(is_js_space);
            if !t.is_empty() {
                out.insert(key.to_string(), Value::String(t.to_string()));
            }
        }
    }
    out
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> &'a str {
    let n = suffix.len();
    if s.len() >= n
        && s.is_char_boundary(s.len() - n)
        && s[s.len() - n..].eq_ignore_ascii_case(suffix)
    {
        &s[..s.len() - n]
    } else {
        s
    }
}

/// `slugFromPromptFilename`: drops a leading `oxe-` and a trailing
/// `.prompt.md` (any case): `oxe-plan.prompt.md` → `plan`.
pub fn slug_from_prompt_filename(name: &str) -> String {
    let s = name.strip_prefix("oxe-").unwrap_or(name);
    strip_suffix_ci(s, ".prompt.md").to_string()
}

/// `slugFromCommandFilename`: drops a leading `oxe-` (any case) and a
/// trailing `.md` (any case): `OXE-plan.md` → `plan`.
pub fn slug_from_command_filename(name: &str) -> String {
    let s = if name.len() >= 4 && name.is_char_boundary(4) && name[..4].eq_ignore_ascii_case("oxe-")
    {
        &name[4..]
    } else {
        name
    };
    strip_suffix_ci(s, ".md").to_string()
}
