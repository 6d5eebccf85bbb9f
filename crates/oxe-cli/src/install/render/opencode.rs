//! OpenCode: each `oxe-*.md` command copied into every OpenCode command
//! folder with the managed marker right after its frontmatter.

use std::path::Path;

use super::read_commands;
use crate::install::paths::AgentPaths;
use crate::install::plan::{Plan, Planned};
use crate::install::text::MANAGED_HTML;
use crate::runtime_semantics::frontmatter::frontmatter_block;

/// The command text with the marker spliced after the frontmatter (or
/// prepended when there is none).
pub fn inject_marker(text: &str) -> String {
    if let Some((_, tail)) = frontmatter_block(text) {
        let head = &text[..text.len() - tail.len()];
        return format!("{head}\n{MANAGED_HTML}\n\n{tail}");
    }
    format!("{MANAGED_HTML}\n\n{text}")
}

pub fn render(commands: &Path, paths: &AgentPaths, rewrite: bool) -> Plan {
    let mut plan = Plan::default();
    if !commands.is_dir() {
        return plan;
    }
    for dir in &paths.opencode_command_dirs {
        for (name, src, text) in read_commands(&mut plan, commands, rewrite) {
            let out = inject_marker(&text);
            plan.push(Planned::bytes(
                "opencode",
                "opencode",
                src,
                dir.join(&name),
                out.into_bytes(),
            ));
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_after_frontmatter_or_first() {
        assert_eq!(
            inject_marker("---\na: b\n---\n\nbody"),
            format!("---\na: b\n---\n\n{MANAGED_HTML}\n\n\nbody")
        );
        assert_eq!(inject_marker("body"), format!("{MANAGED_HTML}\n\nbody"));
        assert_eq!(
            inject_marker("---\nopen"),
            format!("{MANAGED_HTML}\n\n---\nopen")
        );
    }
}
