//! Windsurf (Cascade workflows): `oxe-*.md` with a description-only
//! frontmatter, the managed marker and an H1, plus `oxe.md` from
//! `oxe-help`.

use std::path::Path;

use super::{read_commands, read_source};
use crate::install::paths::AgentPaths;
use crate::install::plan::{Plan, Planned};
use crate::install::text::{json_quote, parse_command_file, MANAGED_HTML};

pub fn workflow(description: &str, title: &str, body: &str) -> String {
    format!(
        "---\ndescription: {}\n---\n\n{MANAGED_HTML}\n\n# {title}\n\n{body}\n",
        json_quote(description)
    )
}

pub fn render(commands: &Path, paths: &AgentPaths, rewrite: bool) -> Plan {
    let mut plan = Plan::default();
    if !commands.is_dir() {
        return plan;
    }
    let dir = &paths.windsurf_workflows_dir;
    for (name, src, raw) in read_commands(&mut plan, commands, rewrite) {
        let cmd = parse_command_file(&raw);
        let stem = name.trim_end_matches(".md");
        let desc = if cmd.description.is_empty() {
            stem
        } else {
            cmd.description.as_str()
        };
        let out = workflow(desc, stem, &cmd.body);
        plan.push(Planned::bytes(
            "windsurf",
            "windsurf",
            src,
            dir.join(&name),
            out.into_bytes(),
        ));
    }
    let help = commands.join("oxe-help.md");
    if help.is_file() {
        if let Some(raw) = read_source(&mut plan, &help, rewrite) {
            let cmd = parse_command_file(&raw);
            let desc = crate::jstext::trim(&format!("{} (OXE /oxe)", cmd.description)).to_string();
            let out = workflow(&desc, "oxe", &cmd.body);
            plan.push(Planned::bytes(
                "windsurf",
                "windsurf",
                help,
                dir.join("oxe.md"),
                out.into_bytes(),
            ));
        }
    }
    plan
}
