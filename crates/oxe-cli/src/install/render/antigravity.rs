//! Antigravity: skills in `~/.gemini/antigravity/skills/<name>/SKILL.md`.

use std::path::Path;

use super::skill::skill_tree;
use crate::install::paths::AgentPaths;
use crate::install::plan::Plan;

pub fn render(commands: &Path, paths: &AgentPaths, rewrite: bool) -> Plan {
    skill_tree(
        "antigravity",
        commands,
        &paths.antigravity_skills_root,
        rewrite,
    )
}
