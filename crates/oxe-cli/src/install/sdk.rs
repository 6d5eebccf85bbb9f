//! The SDK side of the installer (`agents`, `manifest`, `npmVersion`
//! namespaces): JSON in, JSON out, for `crates/oxe-node/src/sdk_install.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::apply::{apply, Mode, Outcome};
use super::paths::{AgentPaths, Env};
use super::plan::Plan;
use super::render;

/// The per-target installers of `sdk.agents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentInstaller {
    OpenCode,
    Gemini,
    Windsurf,
    CodexPrompts,
    SkillTree,
}

impl AgentInstaller {
    pub fn from_name(n: &str) -> Option<AgentInstaller> {
        Some(match n {
            "opencode" => AgentInstaller::OpenCode,
            "gemini" => AgentInstaller::Gemini,
            "windsurf" => AgentInstaller::Windsurf,
            "codexPrompts" => AgentInstaller::CodexPrompts,
            "skills" => AgentInstaller::SkillTree,
            _ => return None,
        })
    }
}

/// Runs one agent installer. `dest` is the agent paths object, or for
/// the skill tree the skills root (a string). Answers the log events the
/// glue hands to the caller's callbacks: `{kind: "write"|"omit", text}`.
pub fn install_agent(
    kind: AgentInstaller,
    src: &Path,
    dest: &Value,
    dry_run: bool,
    force: bool,
    rewrite: bool,
) -> Value {
    let plan: Plan = match kind {
        AgentInstaller::SkillTree => {
            let root = PathBuf::from(dest.as_str().unwrap_or(""));
            render::skill::skill_tree("skill", src, &root, rewrite)
        }
        _ => {
            let paths = AgentPaths::from_value(dest);
            match kind {
                AgentInstaller::OpenCode => render::opencode::render(src, &paths, rewrite),
                AgentInstaller::Gemini => render::gemini::render(src, &paths, rewrite),
                AgentInstaller::Windsurf => render::windsurf::render(src, &paths, rewrite),
                _ => render::codex::prompts(src, &paths, rewrite),
            }
        }
    };
    let mut events = Vec::new();
    if dry_run {
        for p in &plan.files {
            let prefix = if kind == AgentInstaller::SkillTree {
                String::new()
            } else {
                format!("{} ", p.label)
            };
            events.push(json!({"kind": "write", "text": format!("{prefix}{} → {}", p.src.display(), p.dest.display())}));
        }
        return Value::Array(events);
    }
    let outcomes = apply(&plan.files, Mode::Install { force }, &BTreeMap::new());
    for (p, o) in plan.files.iter().zip(outcomes) {
        match o {
            // an existing file is "omitted" without --force, identical or not
            Outcome::Skipped { .. } | Outcome::Unchanged { .. } if !force => {
                events.push(json!({"kind": "omit", "text": p.dest.to_string_lossy()}))
            }
            Outcome::Failed { reason } => events
                .push(json!({"kind": "error", "text": format!("{}: {reason}", p.dest.display())})),
            _ => {}
        }
    }
    Value::Array(events)
}

/// `cleanupMarkedUnifiedArtifacts({dryRun}, paths)`: removes the managed
/// agent files (marker present, and unchanged when the manifest recorded
/// them). Answers the removed paths.
pub fn cleanup_marked(
    env_vars: BTreeMap<String, String>,
    paths: &AgentPaths,
    dry_run: bool,
    package_root: &Path,
) -> Value {
    let env = Env::new(env_vars.clone());
    let cli_env = crate::CliEnv {
        cwd: PathBuf::from("/"),
        vars: env_vars,
        stdout_is_tty: false,
        package_root: package_root.to_path_buf(),
    };
    let mut out: Vec<u8> = Vec::new();
    let mut err: Vec<u8> = Vec::new();
    let mut ctx = crate::output::Ctx {
        env: &cli_env,
        lang: crate::i18n::Lang::En,
        color: false,
        out: &mut out,
        err: &mut err,
    };
    let removed = super::uninstall::cleanup_agents(&mut ctx, &env, paths, dry_run);
    json!(removed
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect::<Vec<_>>())
}

/// Every file under `dir` with its name (`[path, name]`), for
/// `collectFilesRecursive` whose filter runs in JS.
pub fn list_files_recursive(dir: &Path) -> Value {
    let files = super::manifest::collect_files_recursive(dir, &mut |_| true);
    json!(files
        .iter()
        .map(|p| json!([
            p.to_string_lossy(),
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ]))
        .collect::<Vec<_>>())
}
