//! The project side: the package's `oxe/` tree, nested under `.oxe/`
//! (the default) or at the root (`oxe/`, the classic layout, with
//! `commands/oxe`, `AGENTS.md` and `.vscode/settings.json` on request).

use std::path::Path;

use super::copy_tree;
use crate::install::plan::{Plan, Planned};

/// What the classic layout adds.
#[derive(Debug, Clone, Copy)]
pub struct Classic {
    pub commands: bool,
    pub agents: bool,
    pub vscode: bool,
}

pub fn nested(pkg: &Path, project: &Path) -> Plan {
    let src = pkg.join("oxe");
    let dst = project.join(".oxe");
    let mut plan = copy_tree("repo", &src.join("workflows"), &dst.join("workflows"), true);
    plan.extend(copy_tree(
        "repo",
        &src.join("templates"),
        &dst.join("templates"),
        true,
    ));
    plan.extend(copy_tree(
        "repo",
        &src.join("personas"),
        &dst.join("personas"),
        false,
    ));
    plan.extend(copy_tree(
        "repo",
        &src.join("schemas"),
        &dst.join("schemas"),
        false,
    ));
    plan
}

pub fn classic(pkg: &Path, project: &Path, c: Classic) -> Plan {
    let mut plan = copy_tree("repo", &pkg.join("oxe"), &project.join("oxe"), false);
    if c.vscode {
        let vs = pkg.join(".vscode").join("settings.json");
        if let Ok(bytes) = std::fs::read(&vs) {
            plan.push(Planned::bytes(
                "vscode",
                "file",
                vs,
                project.join(".vscode").join("settings.json"),
                bytes,
            ));
        }
    }
    if c.commands {
        plan.extend(copy_tree(
            "repo",
            &pkg.join("commands").join("oxe"),
            &project.join("commands").join("oxe"),
            false,
        ));
    }
    if c.agents {
        let src = pkg.join("AGENTS.md");
        if let Ok(bytes) = std::fs::read(&src) {
            plan.push(Planned::bytes(
                "repo",
                "file",
                src,
                project.join("AGENTS.md"),
                bytes,
            ));
        }
    }
    plan
}
