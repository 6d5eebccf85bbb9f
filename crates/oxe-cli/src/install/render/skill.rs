//! `SKILL.md` trees (Copilot CLI, Codex `~/.agents/skills`, Antigravity):
//! one `<root>/<name>/SKILL.md` per `oxe-*.md` command, plus `oxe/`
//! built from `oxe-help.md`.

use std::path::Path;

use super::{oxe_command_names, read_source};
use crate::install::plan::{Plan, Planned};
use crate::install::text::{
    json_quote, metadata_lines, parse_command_file, CommandFile, MANAGED_HTML,
};

/// Suffix of the `oxe` skill's description.
pub const ENTRY_SUFFIX: &str = "Entry point /oxe (the same flow as oxe-help).";

/// The `SKILL.md` text of one skill.
pub fn skill_markdown(
    name: &str,
    description: &str,
    body: &str,
    cmd: Option<&CommandFile>,
) -> String {
    let d = crate::jstext::trim(description);
    let desc = if d.is_empty() {
        format!("OXE command — {name}")
    } else {
        d.to_string()
    };
    let meta = cmd.map(metadata_lines).unwrap_or_default();
    format!(
        "---\nname: {name}\ndescription: {}\nuser-invocable: true\n{meta}---\n\n{MANAGED_HTML}\n\n{body}\n",
        json_quote(&desc)
    )
}

/// The skills of `commands` under `root`.
pub fn skill_tree(target: &'static str, commands: &Path, root: &Path, rewrite: bool) -> Plan {
    let mut plan = Plan::default();
    if !commands.is_dir() {
        return plan;
    }
    let one = |plan: &mut Plan, name: &str, file: &str, suffix: Option<&str>| {
        let src = commands.join(file);
        let Some(raw) = read_source(plan, &src, rewrite) else {
            return;
        };
        let cmd = parse_command_file(&raw);
        let d = crate::jstext::trim(&cmd.description).to_string();
        let desc = match suffix {
            Some(s) => crate::jstext::trim(&format!("{d} {s}")).to_string(),
            None => d,
        };
        let md = skill_markdown(name, &desc, &cmd.body, Some(&cmd));
        let dest = root.join(name).join("SKILL.md");
        plan.push(Planned::bytes(target, target, src, dest, md.into_bytes()));
    };
    for file in oxe_command_names(commands) {
        let name = file.trim_end_matches(".md").to_string();
        one(&mut plan, &name, &file, None);
    }
    if commands.join("oxe-help.md").is_file() {
        one(&mut plan, "oxe", "oxe-help.md", Some(ENTRY_SUFFIX));
    }
    plan
}
