//! Where each target lives: the user's home (global IDE scope, honouring
//! the `*_CONFIG_DIR`/`*_HOME` overrides) or folders inside the project
//! (`--ide-local`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// Environment and home of one run.
#[derive(Debug, Clone)]
pub struct Env {
    pub vars: BTreeMap<String, String>,
    pub home: PathBuf,
}

impl Env {
    pub fn new(vars: BTreeMap<String, String>) -> Env {
        let home = vars
            .get("HOME")
            .filter(|h| !h.is_empty())
            .or_else(|| vars.get("USERPROFILE").filter(|h| !h.is_empty()))
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/"));
        Env { vars, home }
    }

    fn var(&self, k: &str) -> Option<&str> {
        self.vars
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// `~`, `~/x` and `~\x` expand to the home directory.
    pub fn expand(&self, p: &str) -> PathBuf {
        if p == "~" {
            return self.home.clone();
        }
        match p.strip_prefix("~/").or_else(|| p.strip_prefix("~\\")) {
            Some(rest) => self.home.join(rest),
            None => PathBuf::from(p),
        }
    }
}

/// The agent folders of one scope.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentPaths {
    pub ide_global: bool,
    pub opencode_command_dirs: Vec<PathBuf>,
    pub gemini_commands_base: PathBuf,
    pub windsurf_workflows_dir: PathBuf,
    pub codex_prompts_dir: PathBuf,
    pub codex_agents_skills_root: PathBuf,
    pub antigravity_skills_root: PathBuf,
}

fn s(p: &Path) -> Value {
    Value::String(p.to_string_lossy().into_owned())
}

impl AgentPaths {
    /// `buildAgentInstallPaths(ideGlobal, projectRoot)`.
    pub fn build(env: &Env, ide_global: bool, project: &Path) -> AgentPaths {
        let home = &env.home;
        if ide_global {
            let xdg = env
                .var("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| home.join(".config"));
            let codex = env
                .var("CODEX_HOME")
                .map(|c| crate::flags::resolve(Path::new("/"), &env.expand(c).to_string_lossy()))
                .unwrap_or_else(|| home.join(".codex"));
            return AgentPaths {
                ide_global: true,
                opencode_command_dirs: vec![
                    xdg.join("opencode").join("commands"),
                    home.join(".opencode").join("commands"),
                ],
                gemini_commands_base: home.join(".gemini").join("commands"),
                windsurf_workflows_dir: home
                    .join(".codeium")
                    .join("windsurf")
                    .join("global_workflows"),
                codex_prompts_dir: codex.join("prompts"),
                codex_agents_skills_root: home.join(".agents").join("skills"),
                antigravity_skills_root: home.join(".gemini").join("antigravity").join("skills"),
            };
        }
        AgentPaths {
            ide_global: false,
            opencode_command_dirs: vec![project.join(".opencode").join("commands")],
            gemini_commands_base: project.join(".gemini").join("commands"),
            windsurf_workflows_dir: project.join(".windsurf").join("global_workflows"),
            codex_prompts_dir: project.join(".codex").join("prompts"),
            codex_agents_skills_root: project.join(".agents").join("skills"),
            antigravity_skills_root: project.join(".gemini").join("antigravity").join("skills"),
        }
    }

    pub fn to_value(&self) -> Value {
        json!({
            "ideGlobal": self.ide_global,
            "opencodeCommandDirs": self.opencode_command_dirs.iter().map(|p| s(p)).collect::<Vec<_>>(),
            "geminiCommandsBase": s(&self.gemini_commands_base),
            "windsurfWorkflowsDir": s(&self.windsurf_workflows_dir),
            "codexPromptsDir": s(&self.codex_prompts_dir),
            "codexAgentsSkillsRoot": s(&self.codex_agents_skills_root),
            "antigravitySkillsRoot": s(&self.antigravity_skills_root),
        })
    }

    /// The inverse of [`AgentPaths::to_value`] (missing keys are empty).
    pub fn from_value(v: &Value) -> AgentPaths {
        let p = |k: &str| PathBuf::from(v.get(k).and_then(Value::as_str).unwrap_or(""));
        AgentPaths {
            ide_global: v.get("ideGlobal").and_then(Value::as_bool).unwrap_or(true),
            opencode_command_dirs: v
                .get("opencodeCommandDirs")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(PathBuf::from)
                        .collect()
                })
                .unwrap_or_default(),
            gemini_commands_base: p("geminiCommandsBase"),
            windsurf_workflows_dir: p("windsurfWorkflowsDir"),
            codex_prompts_dir: p("codexPromptsDir"),
            codex_agents_skills_root: p("codexAgentsSkillsRoot"),
            antigravity_skills_root: p("antigravitySkillsRoot"),
        }
    }
}

/// The user-level folders of the three main IDE targets.
#[derive(Debug, Clone)]
pub struct IdeDirs {
    pub cursor_base: PathBuf,
    pub copilot_cli_home: PathBuf,
    pub claude_base: PathBuf,
}

/// Which target a `--config-dir` applies to.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConfigDirFor {
    pub cursor: bool,
    pub copilot: bool,
    pub copilot_cli: bool,
}

/// `~/.cursor` (or `$CURSOR_CONFIG_DIR`, or `--config-dir` with `--cursor`).
pub fn cursor_user_dir(env: &Env, cfg: Option<&Path>, f: ConfigDirFor) -> PathBuf {
    if let (Some(c), true) = (cfg, f.cursor) {
        return c.to_path_buf();
    }
    if let Some(v) = env.var("CURSOR_CONFIG_DIR") {
        return env.expand(v);
    }
    env.home.join(".cursor")
}

/// `~/.copilot` (or `$COPILOT_CONFIG_DIR`, `$COPILOT_HOME`, or
/// `--config-dir` with `--copilot`).
pub fn copilot_user_dir(env: &Env, cfg: Option<&Path>, f: ConfigDirFor) -> PathBuf {
    if let (Some(c), true) = (cfg, f.copilot) {
        return c.to_path_buf();
    }
    if let Some(v) = env
        .var("COPILOT_CONFIG_DIR")
        .or_else(|| env.var("COPILOT_HOME"))
    {
        return env.expand(v);
    }
    env.home.join(".copilot")
}

/// `~/.claude` (or `$CLAUDE_CONFIG_DIR`, or `--config-dir` with
/// `--copilot-cli`).
pub fn claude_user_dir(env: &Env, cfg: Option<&Path>, f: ConfigDirFor) -> PathBuf {
    if let (Some(c), true) = (cfg, f.copilot_cli) {
        return c.to_path_buf();
    }
    if let Some(v) = env.var("CLAUDE_CONFIG_DIR") {
        return env.expand(v);
    }
    env.home.join(".claude")
}

/// The Cursor / Copilot CLI / Claude folders of an install.
pub fn ide_dirs(
    env: &Env,
    project: &Path,
    ide_local: bool,
    cfg: Option<&Path>,
    f: ConfigDirFor,
    all_agents: bool,
) -> IdeDirs {
    let cli_local = ide_local && (f.copilot_cli || all_agents);
    IdeDirs {
        cursor_base: if ide_local && f.cursor {
            project.join(".cursor")
        } else {
            cursor_user_dir(env, cfg, f)
        },
        copilot_cli_home: if cli_local {
            project.join(".copilot")
        } else {
            copilot_user_dir(env, cfg, f)
        },
        claude_base: if cli_local {
            project.join(".claude")
        } else {
            claude_user_dir(env, cfg, f)
        },
    }
}
