//! The three wrapper formats built from one command source.

use oxe_runtime::jsjson::to_line;
use serde_json::Value;

use super::source::{CommandSource, Targets};
use crate::runtime_semantics::Semantics;

/// The rendered wrapper sets: `(file name, content)` per folder.
#[derive(Debug, Default)]
pub struct WrapperSets {
    pub prompts: Vec<(String, String)>,
    pub cursor: Vec<(String, String)>,
    pub commands: Vec<(String, String)>,
}

fn quoted(s: &str) -> String {
    to_line(&Value::String(s.to_string()))
}

/// `.github/prompts` files the renderer owns.
pub fn owns_prompt(name: &str) -> bool {
    (name == "oxe.prompt.md" || name.starts_with("oxe-")) && name.ends_with(".prompt.md")
}

/// `.cursor/commands` files the renderer owns.
pub fn owns_cursor(name: &str) -> bool {
    (name == "oxe.md" || name.starts_with("oxe-")) && name.ends_with(".md")
}

/// The dashed command name: `oxe` for the entry point, else `oxe-<slug>`.
fn dashed(slug: &str) -> String {
    if slug == "oxe" {
        "oxe".into()
    } else {
        format!("oxe-{slug}")
    }
}

/// Front matter lines, the nine metadata lines, the closing `---`, a blank
/// line, then `body` and one trailing newline.
fn assemble(head: &[String], meta: &str, body: &str) -> String {
    let mut out = String::from("---\n");
    for l in head {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(meta);
    out.push_str("\n---\n\n");
    out.push_str(body);
    out.push('\n');
    out
}

/// The Copilot prompt of `src`.
pub fn prompt(sem: &Semantics, src: &CommandSource) -> String {
    let mut head = vec![
        format!("name: {}", dashed(&src.slug)),
        "agent: agent".into(),
        format!("description: {}", quoted(&src.description)),
    ];
    if let Some(h) = &src.argument_hint {
        head.push(format!("argument-hint: {}", quoted(h)));
    }
    let body = format!(
        "{}\n\n{}",
        sem.reasoning_contract_block(&src.slug),
        src.body
    );
    assemble(&head, &sem.runtime_metadata_lines(&src.slug), &body)
}

/// The Cursor command of `src`: the prompt body after the description.
pub fn cursor(sem: &Semantics, src: &CommandSource) -> String {
    let mut head = vec![format!("description: {}", quoted(&src.description))];
    if let Some(h) = &src.argument_hint {
        head.push(format!("argument-hint: {}", quoted(h)));
    }
    let body = format!(
        "{}\n\n{}\n\n{}",
        src.description,
        sem.reasoning_contract_block(&src.slug),
        src.body
    );
    assemble(&head, &sem.runtime_metadata_lines(&src.slug), &body)
}

/// The Claude-style `commands/oxe/<slug>.md` of `src`.
pub fn command(sem: &Semantics, src: &CommandSource) -> String {
    let name = if src.slug == "oxe" {
        "oxe".to_string()
    } else {
        format!("oxe:{}", src.slug)
    };
    let mut head = vec![
        format!("name: {name}"),
        format!("description: {}", quoted(&src.description)),
        format!(
            "argument-hint: {}",
            quoted(src.argument_hint.as_deref().unwrap_or(""))
        ),
    ];
    if !src.allowed_tools.is_empty() {
        head.push("allowed-tools:".into());
        head.extend(src.allowed_tools.iter().map(|t| format!("  - {t}")));
    }
    let body = format!(
        "{}\n\n{}",
        sem.reasoning_contract_block(&src.slug),
        src.body
    );
    assemble(&head, &sem.runtime_metadata_lines(&src.slug), &body)
}

/// Every wrapper of every source.
pub fn render_all(sem: &Semantics, sources: &[CommandSource]) -> WrapperSets {
    let mut sets = WrapperSets::default();
    for src in sources {
        if src.targets == Targets::All {
            sets.prompts
                .push((format!("{}.prompt.md", dashed(&src.slug)), prompt(sem, src)));
            sets.cursor
                .push((format!("{}.md", dashed(&src.slug)), cursor(sem, src)));
        }
        sets.commands
            .push((format!("{}.md", src.slug), command(sem, src)));
    }
    sets
}
