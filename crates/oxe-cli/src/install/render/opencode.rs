//! OpenCode: each `oxe-*.md` command copied into every OpenCode command
//! folder with the managed marker right after its frontmatter.

use std::path::Path;

use super::{oxe_command_names, read_source};
use crate::install::paths::AgentPaths;
use crate::install::plan::{Plan, Planned};
use crate::install::text::MANAGED_HTML;

/// The command text with the marker spliced after the frontmatter (or
/// prepended when there is none).
pub fn inject_marker(text: &str) -> String {
    if let Some(end) = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n"))
        .map(|e| e + 4)
    {
        let (head, tail) = text.split_at(end + 5);
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
        for name in oxe_command_names(commands) {
            let src = commands.join(&name);
            if let Some(text) = read_source(&mut plan, &src, rewrite) {
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
