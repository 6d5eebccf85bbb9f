//! Copilot CLI and Claude Code (one flag covers both): skills in
//! `<copilot home>/skills/<name>/SKILL.md`, and the Cursor command files
//! copied to `<claude base>/commands` and `<copilot home>/commands`.

use std::path::Path;

use super::{copy_tree, skill::skill_tree};
use crate::install::plan::Plan;

pub fn render(pkg: &Path, claude_base: &Path, copilot_home: &Path, rewrite: bool) -> Plan {
    let commands = pkg.join(".cursor").join("commands");
    let mut plan = skill_tree(
        "copilot-cli",
        &commands,
        &copilot_home.join("skills"),
        rewrite,
    );
    plan.extend(copy_tree(
        "claude",
        &commands,
        &claude_base.join("commands"),
        rewrite,
    ));
    plan.extend(copy_tree(
        "copilot-cli",
        &commands,
        &copilot_home.join("commands"),
        rewrite,
    ));
    plan
}
