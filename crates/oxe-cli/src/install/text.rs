//! Text transforms shared by every target: the nested-layout path rewrite,
//! the command-file frontmatter reader, the runtime metadata lines and the
//! ownership markers.

use serde_json::{Map, Value};

use crate::runtime_semantics::frontmatter::frontmatter_block;

/// Marker written into every Markdown file only oxe-cc manages.
pub const MANAGED_HTML: &str = "<!-- oxe-cc managed -->";
/// Marker written as the first line of every TOML file oxe-cc manages.
pub const MANAGED_TOML: &str = "# oxe-cc managed";
/// Begin / end of the block merged into `copilot-instructions.md`.
pub const INST_BEGIN: &str = "<!-- oxe-cc:install-begin -->";
pub const INST_END: &str = "<!-- oxe-cc:install-end -->";

/// The runtime metadata keys, in the order wrappers carry them.
pub use crate::runtime_semantics::RUNTIME_METADATA_KEYS;

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Rewrites `oxe/workflows/` and `oxe/templates/` to their `.oxe/` form
/// when the text mentions them as a path of its own: the match must start
/// a word and must not already follow a `.` (1.4.0 also rewrote
/// `.oxe/workflows/` into `..oxe/workflows/`; see docs/compat.md).
pub fn adjust_workflow_paths(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut prev: Option<char> = None;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let starts = rest.starts_with("oxe/workflows/") || rest.starts_with("oxe/templates/");
        if starts && !prev.is_some_and(|c| is_word(c) || c == '.') {
            out.push('.');
        }
        let c = rest.chars().next().unwrap_or('\0');
        out.push(c);
        prev = Some(c);
        i += c.len_utf8().max(1);
    }
    out
}

/// Whether a file name gets the path rewrite (Markdown, Cursor rules,
/// prompt files).
pub fn is_rewritable(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".mdc")
}

/// A command file split into description, body and `key: value` pairs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommandFile {
    pub description: String,
    pub body: String,
    /// Keys in file order (a repeated key keeps its first place, last value).
    pub frontmatter: Vec<(String, String)>,
}

impl CommandFile {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.frontmatter
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn frontmatter_value(&self) -> Value {
        let mut m = Map::new();
        for (k, v) in &self.frontmatter {
            m.insert(k.clone(), Value::String(v.clone()));
        }
        Value::Object(m)
    }
}

/// One quote (`"` or `'`) removed from each end, independently.
fn strip_quotes(v: &str) -> String {
    let v = v.strip_prefix(['"', '\'']).unwrap_or(v);
    let v = v.strip_suffix(['"', '\'']).unwrap_or(v);
    v.to_string()
}

/// `key: value` with a key of `[A-Za-z0-9_-]+` and a non-empty rest.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let rest = &line[colon + 1..];
    if rest.is_empty() {
        return None;
    }
    Some((key, rest))
}

/// Reads a command file: frontmatter only when the text starts with
/// `---\n` and a closing `\n---\n` follows; CRLF counts as LF. Unlike
/// [`crate::runtime_semantics::split_frontmatter`], a leading BOM is kept
/// (so a file that starts with one reads as having no front matter).
pub fn parse_command_file(text: &str) -> CommandFile {
    let normalized = text.replace("\r\n", "\n");
    let plain = || CommandFile {
        description: String::new(),
        body: crate::jstext::trim(&normalized).to_string(),
        frontmatter: Vec::new(),
    };
    let Some((block, rest)) = frontmatter_block(&normalized) else {
        return plain();
    };
    let mut out = CommandFile::default();
    for line in block.split('\n') {
        if let Some((key, rest)) = key_value(line) {
            let value = strip_quotes(crate::jstext::trim(rest));
            if key == "description" {
                out.description = value.clone();
            }
            if let Some(slot) = out.frontmatter.iter_mut().find(|(k, _)| k == key) {
                slot.1 = value;
            } else {
                out.frontmatter.push((key.to_string(), value));
            }
        }
    }
    out.body = crate::jstext::trim(rest).to_string();
    out
}

/// The runtime metadata lines of a command file (all nine keys, empty
/// values for missing ones) followed by a newline, or nothing when the
/// file carries none of them.
pub fn metadata_lines(cmd: &CommandFile) -> String {
    let present = RUNTIME_METADATA_KEYS.iter().any(|k| {
        cmd.get(k)
            .is_some_and(|v| !crate::jstext::trim(v).is_empty())
    });
    if !present {
        return String::new();
    }
    let mut s = String::new();
    for k in RUNTIME_METADATA_KEYS {
        let v = cmd.get(k).map(crate::jstext::trim).unwrap_or("");
        s.push_str(&format!("{k}: {v}\n"));
    }
    s
}

/// `JSON.stringify(s)`.
pub fn json_quote(s: &str) -> String {
    oxe_runtime::jsjson::to_line(&Value::String(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_does_not_double_dots() {
        assert_eq!(
            adjust_workflow_paths("see oxe/workflows/a.md and .oxe/workflows/b.md"),
            "see .oxe/workflows/a.md and .oxe/workflows/b.md"
        );
        assert_eq!(
            adjust_workflow_paths("(oxe/templates/X) myoxe/workflows/ /oxe/workflows/"),
            "(.oxe/templates/X) myoxe/workflows/ /.oxe/workflows/"
        );
        assert_eq!(
            adjust_workflow_paths("ação oxe/workflows/"),
            "ação .oxe/workflows/"
        );
    }

    #[test]
    fn frontmatter_rules() {
        let f = parse_command_file("---\r\ndescription: \"Scan it\"\r\nargument-hint: [x]\r\nempty: \r\nnone:\r\n---\r\n\r\nbody\n");
        assert_eq!(f.description, "Scan it");
        assert_eq!(f.get("argument-hint"), Some("[x]"));
        assert_eq!(f.get("empty"), Some(""));
        assert_eq!(f.get("none"), None);
        assert_eq!(f.body, "body");
        let g = parse_command_file("---\ndescription: x\n");
        assert_eq!(g.description, "");
        assert_eq!(g.body, "---\ndescription: x");
        assert_eq!(metadata_lines(&f), "");
        let h = parse_command_file("---\noxe_reasoning_mode: review\n---\nb");
        assert!(metadata_lines(&h).starts_with("oxe_workflow_slug: \noxe_reasoning_mode: review\n"));
    }
}
