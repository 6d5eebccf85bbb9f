//! Gemini CLI: TOML commands, `oxe.toml` (from `oxe-help`, the `/oxe`
//! command) and `oxe/<short>.toml` (`/oxe:<short>`).

use std::path::Path;

use super::{oxe_command_names, read_source};
use crate::install::paths::AgentPaths;
use crate::install::plan::{Plan, Planned};
use crate::install::text::{json_quote, parse_command_file, MANAGED_TOML};

/// The TOML text of one command (`"""` in the body escaped).
pub fn toml(description: &str, body: &str) -> String {
    let d = crate::jstext::trim(description);
    let desc = if d.is_empty() { "OXE" } else { d };
    let safe = body.replace("\"\"\"", "\\\"\\\"\\\"");
    format!(
        "{MANAGED_TOML}\ndescription = {}\nprompt = \"\"\"\n{safe}\n\"\"\"\n",
        json_quote(desc)
    )
}

pub fn render(commands: &Path, paths: &AgentPaths, rewrite: bool) -> Plan {
    let mut plan = Plan::default();
    if !commands.is_dir() {
        return plan;
    }
    let base = &paths.gemini_commands_base;
    let one = |plan: &mut Plan, rel: &Path, file: &str, suffix: &str| {
        let src = commands.join(file);
        if let Some(raw) = read_source(plan, &src, rewrite) {
            let cmd = parse_command_file(&raw);
            let desc = crate::jstext::trim(&format!("{} {suffix}", cmd.description)).to_string();
            plan.push(Planned::bytes(
                "gemini",
                "gemini",
                src,
                base.join(rel),
                toml(&desc, &cmd.body).into_bytes(),
            ));
        }
    };
    if commands.join("oxe-help.md").is_file() {
        one(
            &mut plan,
            Path::new("oxe.toml"),
            "oxe-help.md",
            "(Gemini: /oxe)",
        );
    }
    for name in oxe_command_names(commands) {
        let short = name
            .trim_start_matches("oxe-")
            .trim_end_matches(".md")
            .to_string();
        let rel = Path::new("oxe").join(format!("{short}.toml"));
        one(&mut plan, &rel, &name, &format!("(Gemini: /oxe:{short})"));
    }
    plan
}

#[cfg(test)]
mod tests {
    #[test]
    fn toml_escapes_triple_quotes_and_defaults_the_description() {
        assert_eq!(
            super::toml("  ", "a \"\"\" b"),
            "# oxe-cc managed\ndescription = \"OXE\"\nprompt = \"\"\"\na \\\"\\\"\\\" b\n\"\"\"\n"
        );
    }
}
