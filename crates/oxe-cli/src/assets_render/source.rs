//! `assets/commands/<slug>.md`: one source per slash command.

use std::path::Path;

use oxe_runtime::jsjson::is_js_space;

use super::RenderError;
use crate::runtime_semantics::split_frontmatter;

/// Where a command is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Targets {
    /// Copilot prompt, Cursor command and `commands/oxe`.
    All,
    /// `commands/oxe` only (`ship`).
    CommandsOnly,
}

/// One parsed command source.
#[derive(Debug, Clone)]
pub struct CommandSource {
    pub slug: String,
    pub description: String,
    pub argument_hint: Option<String>,
    pub allowed_tools: Vec<String>,
    pub targets: Targets,
    /// The Markdown after the front matter, trimmed, without a trailing newline.
    pub body: String,
}

/// A YAML scalar as written on one line: double-quoted (JSON escapes),
/// single-quoted (`''` is a quote) or plain (a ` #` comment dropped).
pub fn scalar(raw: &str) -> String {
    let t = raw.trim_matches(is_js_space);
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        if let Ok(serde_json::Value::String(s)) = serde_json::from_str::<serde_json::Value>(t) {
            return s;
        }
        return t[1..t.len() - 1].to_string();
    }
    if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') {
        return t[1..t.len() - 1].replace("''", "'");
    }
    match t.find(" #") {
        Some(i) => t[..i].trim_end().to_string(),
        None => t.to_string(),
    }
}

fn inline_list(raw: &str) -> Vec<String> {
    let t = raw.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(t);
    inner
        .split(',')
        .map(scalar)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Parses one source; `file_name` gives the slug.
pub fn parse_command_source(file_name: &str, raw: &str) -> Result<CommandSource, String> {
    let slug = file_name
        .strip_suffix(".md")
        .ok_or("a command source must be a .md file")?
        .to_string();
    let (fm, body) = split_frontmatter(raw);
    if fm.is_empty() {
        return Err("no front matter (`---` block) found".into());
    }
    let mut description = None;
    let mut argument_hint = None;
    let mut tools: Vec<String> = Vec::new();
    let mut targets = Targets::All;
    let mut in_tools = false;
    for line in fm.split('\n') {
        if in_tools {
            if let Some(item) = line.trim_start().strip_prefix("- ") {
                tools.push(scalar(item));
                continue;
            }
            in_tools = false;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        match key.trim() {
            "description" => description = Some(scalar(value)),
            "argument-hint" => argument_hint = Some(scalar(value)),
            "allowed-tools" => {
                if value.trim().is_empty() {
                    in_tools = true;
                } else {
                    tools = inline_list(value);
                }
            }
            "targets" => {
                targets = match scalar(value).as_str() {
                    "all" => Targets::All,
                    "commands-only" => Targets::CommandsOnly,
                    other => {
                        return Err(format!(
                            "unknown targets value `{other}` (all | commands-only)"
                        ))
                    }
                }
            }
            _ => {}
        }
    }
    let description = description
        .filter(|d| !d.is_empty())
        .ok_or("front matter has no description")?;
    Ok(CommandSource {
        slug,
        description,
        argument_hint,
        allowed_tools: tools,
        targets,
        body: body.trim_end_matches(is_js_space).to_string(),
    })
}

/// Every `*.md` source of `dir`, sorted by slug (none when `dir` is missing).
pub fn read_command_sources(dir: &Path) -> Result<Vec<CommandSource>, RenderError> {
    let mut out = Vec::new();
    for name in crate::health::md_files(dir) {
        let path = dir.join(&name);
        let raw = oxe_runtime::store::read_text(&path)?.unwrap_or_default();
        let src = parse_command_source(&name, &raw).map_err(|message| RenderError::BadSource {
            file: path.clone(),
            message,
        })?;
        out.push(src);
    }
    Ok(out)
}
