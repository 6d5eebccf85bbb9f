//! Codex: prompts (`<codex home>/prompts/oxe-*.md`) and skills
//! (`~/.agents/skills/<name>/SKILL.md`).

use std::path::Path;

use super::{read_commands, skill::skill_tree};
use crate::install::paths::AgentPaths;
use crate::install::plan::{Plan, Planned};
use crate::install::text::{json_quote, metadata_lines, parse_command_file, MANAGED_HTML};

/// The `argument-hint` of every Codex prompt.
pub const ARGUMENT_HINT: &str = "[optional free text]";

pub fn prompts(commands: &Path, paths: &AgentPaths, rewrite: bool) -> Plan {
    let mut plan = Plan::default();
    if !commands.is_dir() {
        return plan;
    }
    for (name, src, raw) in read_commands(&mut plan, commands, rewrite) {
        let cmd = parse_command_file(&raw);
        let desc = if cmd.description.is_empty() {
            "OXE"
        } else {
            cmd.description.as_str()
        };
        let out = format!(
            "---\ndescription: {}\nargument-hint: {ARGUMENT_HINT}\n{}---\n\n{MANAGED_HTML}\n\n{}\n",
            json_quote(desc),
            metadata_lines(&cmd),
            cmd.body
        );
        plan.push(Planned::bytes(
            "codex",
            "codex prompts",
            src,
            paths.codex_prompts_dir.join(&name),
            out.into_bytes(),
        ));
    }
    plan
}

pub fn render(commands: &Path, paths: &AgentPaths, rewrite: bool) -> Plan {
    let mut plan = prompts(commands, paths, rewrite);
    plan.extend(skill_tree(
        "codex",
        commands,
        &paths.codex_agents_skills_root,
        rewrite,
    ));
    plan
}
