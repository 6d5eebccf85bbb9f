//! GitHub Copilot in VS Code (always the workspace): the OXE block merged
//! into `.github/copilot-instructions.md` and the prompt files copied to
//! `.github/prompts/`.

use std::path::Path;

use super::{copy_tree, read_source};
use crate::install::plan::{Content, Plan, Planned};
use crate::install::text::{INST_BEGIN, INST_END};

/// The block body: the package's instructions, trimmed, with any marker
/// line it might carry removed (1.4.0's source carried one, so every
/// forced reinstall nested another end marker).
pub fn block_body(source: &str) -> String {
    let kept: Vec<&str> = source
        .split('\n')
        .filter(|l| {
            let t = crate::jstext::trim(l);
            t != INST_BEGIN && t != INST_END
        })
        .collect();
    crate::jstext::trim(&kept.join("\n")).to_string()
}

pub fn render(pkg: &Path, project: &Path, rewrite: bool) -> Plan {
    let mut plan = Plan::default();
    let gh = pkg.join(".github");
    let inst = gh.join("copilot-instructions.md");
    if inst.is_file() {
        if let Some(text) = read_source(&mut plan, &inst, rewrite) {
            plan.push(Planned {
                target: "copilot",
                label: "merge",
                src: inst.clone(),
                dest: project.join(".github").join("copilot-instructions.md"),
                content: Content::InstructionsBlock(block_body(&text)),
            });
        }
    }
    plan.extend(copy_tree(
        "copilot",
        &gh.join("prompts"),
        &project.join(".github").join("prompts"),
        rewrite,
    ));
    plan
}
