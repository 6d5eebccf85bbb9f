//! Argument parsers, one per command family, with the rules 1.4.0 shares
//! across all of them:
//!
//! * a value option (`--dir X`) takes the next argument only when there is
//!   one and it is not empty; otherwise the option itself is an unknown
//!   flag (`--dir` as the last argument → "Unknown option: --dir");
//! * values are taken verbatim (`--dir --json` makes `--json` the folder);
//! * the first unrecognised argument starting with `-` stops parsing;
//! * `--dir` is resolved against the working directory (no `~`
//!   expansion); `--config-dir`/`-c` expand a leading `~/`;
//! * the first positional is the folder and wins over `--dir` (install,
//!   doctor, status, init-oxe, uninstall; update only without `--dir`);
//! * `--session` turns backslashes into slashes.
//!
//! The rules are hand-written rather than built on clap because clap's
//! model (optional values, `--` handling, value validation, help
//! generation) would change these observable behaviours.

use std::path::{Component, Path, PathBuf};

use crate::i18n::Msg;

/// `path.resolve(cwd, p)`: absolute and lexically normalised.
pub fn resolve(cwd: &Path, p: &str) -> PathBuf {
    let joined = if Path::new(p).is_absolute() {
        PathBuf::from(p)
    } else {
        cwd.join(p)
    };
    let mut prefix = PathBuf::new();
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    for c in joined.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => prefix.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(n) => parts.push(n.to_os_string()),
        }
    }
    if prefix.as_os_str().is_empty() {
        prefix.push(Component::RootDir);
    }
    for p in parts {
        prefix.push(p);
    }
    prefix
}

/// `expandTilde`: a leading `~/` becomes the home directory.
pub fn expand_tilde(p: &str, home: Option<&Path>) -> String {
    match (p.strip_prefix("~/"), home) {
        (Some(rest), Some(h)) => h.join(rest).to_string_lossy().into_owned(),
        _ => p.to_string(),
    }
}

/// Backslashes to slashes (`--session`).
pub fn session_arg(v: &str) -> String {
    v.replace('\\', "/")
}

/// The value after `args[i]`, when present and non-empty.
fn value_at(args: &[String], i: usize) -> Option<&str> {
    args.get(i + 1)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

fn is_flag(a: &str) -> bool {
    a.starts_with('-')
}

/// JS `Number(v)`, with NaN as `None` (the runtime parser's rule).
fn number_or_none(v: &str) -> Option<f64> {
    let n = crate::jstext::to_number(v);
    (!n.is_nan()).then_some(n)
}

/// Where a command looks: working directory and home.
pub struct Base<'a> {
    pub cwd: &'a Path,
    pub home: Option<&'a Path>,
}

// ---------------------------------------------------------------------------
// install, doctor, status, init-oxe

#[derive(Debug, Clone, PartialEq, Default)]
pub struct InstallOpts {
    pub help: bool,
    pub version: bool,
    pub cursor: bool,
    pub copilot: bool,
    pub copilot_cli: bool,
    pub all_agents: bool,
    pub agent_opencode: bool,
    pub agent_gemini: bool,
    pub agent_codex: bool,
    pub agent_windsurf: bool,
    pub agent_antigravity: bool,
    pub vscode: bool,
    pub commands: bool,
    pub agents: bool,
    pub force: bool,
    pub dry_run: bool,
    pub dir: PathBuf,
    pub all: bool,
    pub no_init_oxe: bool,
    pub oxe_only: bool,
    pub global_cli: bool,
    pub no_global_cli: bool,
    pub install_assets_global: bool,
    pub explicit_scope: bool,
    pub integrations_unset: bool,
    pub ide_local: bool,
    pub explicit_ide_scope: bool,
    pub explicit_config_dir: Option<PathBuf>,
    pub ignore_install_config: bool,
    pub json_output: bool,
    pub status_hints: bool,
    pub status_full: bool,
    pub rest_positional: Vec<String>,
    /// The unknown flag that stopped parsing.
    pub unknown_flag: Option<String>,
    /// The first conflicting combination found.
    pub conflict: Option<Msg>,
}

impl InstallOpts {
    fn any_granular_agent(&self) -> bool {
        self.agent_opencode
            || self.agent_gemini
            || self.agent_codex
            || self.agent_windsurf
            || self.agent_antigravity
    }
}

pub fn parse_install(args: &[String], base: &Base) -> InstallOpts {
    let mut o = InstallOpts {
        commands: true,
        agents: true,
        dir: base.cwd.to_path_buf(),
        ..Default::default()
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-h" | "--help" => o.help = true,
            "-v" | "--version" => o.version = true,
            "--no-install-config" => o.ignore_install_config = true,
            "--config-dir" | "-c" if value_at(args, i).is_some() => {
                i += 1;
                o.explicit_config_dir = Some(resolve(base.cwd, &expand_tilde(&args[i], base.home)));
            }
            "--global" => {
                o.install_assets_global = true;
                o.explicit_scope = true;
            }
            "--local" => {
                o.install_assets_global = false;
                o.explicit_scope = true;
            }
            "--ide-global" => {
                o.ide_local = false;
                o.explicit_ide_scope = true;
            }
            "--ide-local" => {
                o.ide_local = true;
                o.explicit_ide_scope = true;
            }
            "--cursor" => o.cursor = true,
            "--copilot" | "--copilot-vscode" => o.copilot = true,
            "--copilot-cli" => o.copilot_cli = true,
            "--all-agents" => o.all_agents = true,
            "--opencode" => o.agent_opencode = true,
            "--gemini" => o.agent_gemini = true,
            "--codex" => o.agent_codex = true,
            "--windsurf" => o.agent_windsurf = true,
            "--antigravity" => o.agent_antigravity = true,
            "--vscode" => o.vscode = true,
            "--no-commands" => o.commands = false,
            "--no-agents" => o.agents = false,
            "--force" | "-f" => o.force = true,
            "--dry-run" => o.dry_run = true,
            "--all" | "-a" => o.all = true,
            "--no-init-oxe" => o.no_init_oxe = true,
            "--oxe-only" => o.oxe_only = true,
            "--global-cli" | "-g" => o.global_cli = true,
            "--no-global-cli" | "-l" => o.no_global_cli = true,
            "--dir" if value_at(args, i).is_some() => {
                i += 1;
                o.dir = resolve(base.cwd, &args[i]);
            }
            "--json" => o.json_output = true,
            "--hints" => o.status_hints = true,
            "--full" => o.status_full = true,
            _ if !is_flag(a) => o.rest_positional.push(a.to_string()),
            _ => {
                o.unknown_flag = Some(a.to_string());
                break;
            }
        }
        i += 1;
    }
    let has = |f: &str| args.iter().any(|a| a == f);
    if o.global_cli && o.no_global_cli {
        o.conflict = Some(Msg::ConflictGlobalCli);
    }
    if o.conflict.is_none() && has("--global") && has("--local") {
        o.conflict = Some(Msg::ConflictLayout);
    }
    if o.conflict.is_none() && has("--ide-global") && has("--ide-local") {
        o.conflict = Some(Msg::ConflictIdeScope);
    }
    if o.conflict.is_none() && o.ide_local && o.explicit_config_dir.is_some() {
        o.conflict = Some(Msg::ConflictIdeLocalConfigDir);
    }
    if o.conflict.is_none() && o.explicit_config_dir.is_some() {
        if o.oxe_only || o.all_agents {
            o.conflict = Some(Msg::ConflictConfigDirOxeOnly);
        } else {
            let n = [o.cursor, o.copilot, o.copilot_cli]
                .iter()
                .filter(|b| **b)
                .count();
            if o.copilot && !o.cursor && !o.copilot_cli {
                o.conflict = Some(Msg::ConflictConfigDirCopilot);
            } else if n != 1 {
                o.conflict = Some(Msg::ConflictConfigDirCount);
            }
        }
    }
    if o.all_agents && !o.oxe_only {
        o.cursor = true;
        o.copilot = true;
        o.agent_opencode = true;
        o.agent_gemini = true;
        o.agent_codex = true;
        o.agent_windsurf = true;
        o.agent_antigravity = true;
    }
    if o.oxe_only {
        o.cursor = false;
        o.copilot = false;
        o.copilot_cli = false;
        o.all_agents = false;
        o.agent_opencode = false;
        o.agent_gemini = false;
        o.agent_codex = false;
        o.agent_windsurf = false;
        o.agent_antigravity = false;
        o.vscode = false;
        o.commands = false;
        o.agents = false;
        o.integrations_unset = false;
    } else if o.all {
        o.cursor = true;
        o.copilot = true;
        o.integrations_unset = false;
    } else {
        o.integrations_unset =
            !o.cursor && !o.copilot && !o.copilot_cli && !o.vscode && !o.any_granular_agent();
    }
    if let Some(first) = o.rest_positional.first() {
        o.dir = resolve(base.cwd, first);
    }
    o
}

// ---------------------------------------------------------------------------
// uninstall

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UninstallOpts {
    pub help: bool,
    pub dry_run: bool,
    pub cursor: bool,
    pub copilot: bool,
    pub copilot_cli: bool,
    pub all_agents: bool,
    pub global_cli: bool,
    pub ide_local: bool,
    pub ide_explicit: bool,
    pub no_project: bool,
    pub copilot_legacy_clean: bool,
    pub dir: PathBuf,
    pub explicit_config_dir: Option<PathBuf>,
    pub unknown_flag: Option<String>,
    pub conflict: Option<Msg>,
}

pub fn parse_uninstall(args: &[String], base: &Base) -> UninstallOpts {
    let mut o = UninstallOpts {
        dir: base.cwd.to_path_buf(),
        ..Default::default()
    };
    let mut rest: Vec<PathBuf> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-h" | "--help" => o.help = true,
            "--dry-run" => o.dry_run = true,
            "--config-dir" | "-c" if value_at(args, i).is_some() => {
                i += 1;
                o.explicit_config_dir = Some(resolve(base.cwd, &expand_tilde(&args[i], base.home)));
            }
            "--cursor" => {
                o.cursor = true;
                o.ide_explicit = true;
            }
            "--copilot" | "--copilot-vscode" => {
                o.copilot = true;
                o.ide_explicit = true;
            }
            "--copilot-cli" => {
                o.copilot_cli = true;
                o.ide_explicit = true;
            }
            "--copilot-legacy-clean" => o.copilot_legacy_clean = true,
            "--all-agents" => {
                o.all_agents = true;
                o.copilot_cli = true;
                o.ide_explicit = true;
            }
            "--global-cli" | "-g" => o.global_cli = true,
            "--ide-local" => o.ide_local = true,
            "--ide-only" => o.no_project = true,
            "--dir" if value_at(args, i).is_some() => {
                i += 1;
                o.dir = resolve(base.cwd, &args[i]);
            }
            _ if !is_flag(a) => rest.push(resolve(base.cwd, a)),
            _ => {
                o.unknown_flag = Some(a.to_string());
                break;
            }
        }
        i += 1;
    }
    if let Some(first) = rest.into_iter().next() {
        o.dir = first;
    }
    if !o.ide_explicit && !o.copilot_legacy_clean {
        o.cursor = true;
        o.copilot = true;
        o.copilot_cli = true;
    } else if o.copilot_legacy_clean && !o.ide_explicit && !o.no_project {
        o.no_project = true;
    }
    if o.explicit_config_dir.is_some() {
        if o.ide_local {
            o.conflict = Some(Msg::UninstallConfigDirIdeLocal);
        } else if o.all_agents {
            o.conflict = Some(Msg::UninstallConfigDirAllAgents);
        } else if o.copilot && !o.cursor && !o.copilot_cli {
            o.conflict = Some(Msg::ConflictConfigDirCopilot);
        } else if [o.cursor, o.copilot, o.copilot_cli]
            .iter()
            .filter(|b| **b)
            .count()
            != 1
        {
            o.conflict = Some(Msg::UninstallConfigDirCount);
        }
    }
    o
}

// ---------------------------------------------------------------------------
// update

/// Install flags `update` hands on to the install it runs.
pub const UPDATE_FORWARDED_FLAGS: [&str; 30] = [
    "--cursor",
    "--copilot",
    "--copilot-vscode",
    "--copilot-cli",
    "--all-agents",
    "--opencode",
    "--gemini",
    "--codex",
    "--windsurf",
    "--antigravity",
    "--vscode",
    "--no-commands",
    "--no-agents",
    "--no-init-oxe",
    "--oxe-only",
    "--global",
    "--local",
    "--ide-global",
    "--ide-local",
    "--global-cli",
    "-g",
    "--no-global-cli",
    "-l",
    "--no-install-config",
    "--force",
    "-f",
    "--all",
    "-a",
    "--config-dir",
    "-c",
];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateOpts {
    pub help: bool,
    pub dry_run: bool,
    pub check: bool,
    pub if_newer: bool,
    pub dir: PathBuf,
    pub rest: Vec<String>,
    pub unknown_flag: Option<String>,
    pub conflict: Option<Msg>,
}

pub fn parse_update(args: &[String], base: &Base) -> UpdateOpts {
    let mut o = UpdateOpts {
        dir: base.cwd.to_path_buf(),
        ..Default::default()
    };
    let mut dir_explicit = false;
    let mut first_positional_used = false;
    let forwarded = &UPDATE_FORWARDED_FLAGS[..];
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-h" | "--help" => o.help = true,
            "--dry-run" => o.dry_run = true,
            "--check" => o.check = true,
            "--if-newer" => o.if_newer = true,
            "--dir" if value_at(args, i).is_some() => {
                i += 1;
                o.dir = resolve(base.cwd, &args[i]);
                dir_explicit = true;
            }
            _ if !is_flag(a) => {
                if !dir_explicit && !first_positional_used {
                    o.dir = resolve(base.cwd, a);
                    first_positional_used = true;
                } else {
                    o.rest.push(a.to_string());
                }
            }
            _ if forwarded.contains(&a) => {
                o.rest.push(a.to_string());
                if (a == "--config-dir" || a == "-c") && value_at(args, i).is_some() {
                    i += 1;
                    o.rest.push(args[i].clone());
                }
            }
            _ => {
                o.unknown_flag = Some(a.to_string());
                break;
            }
        }
        i += 1;
    }
    if o.unknown_flag.is_none() {
        if o.check && o.dry_run {
            o.conflict = Some(Msg::UpdateCheckDryRun);
        } else if o.check && o.if_newer {
            o.conflict = Some(Msg::UpdateCheckIfNewer);
        }
    }
    o
}

// ---------------------------------------------------------------------------
// capabilities, dashboard, context, runtime, azure, plan, verify, plugins

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CapabilitiesOpts {
    pub help: bool,
    pub dir: PathBuf,
    pub action: String,
    pub id: String,
    pub unknown_flag: Option<String>,
}

pub fn parse_capabilities(args: &[String], base: &Base) -> CapabilitiesOpts {
    let mut o = CapabilitiesOpts {
        dir: base.cwd.to_path_buf(),
        action: "list".into(),
        ..Default::default()
    };
    let mut pos: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-h" | "--help" => o.help = true,
            "--dir" if value_at(args, i).is_some() => {
                i += 1;
                o.dir = resolve(base.cwd, &args[i]);
            }
            _ if !is_flag(a) => pos.push(a),
            _ => {
                o.unknown_flag = Some(a.to_string());
                break;
            }
        }
        i += 1;
    }
    if let Some(first) = pos.first() {
        o.action = first.to_string();
        o.id = pos.get(1).map_or(String::new(), |s| s.to_string());
    }
    o
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DashboardOpts {
    pub help: bool,
    pub dir: PathBuf,
    /// `Number(value) || 4173`.
    pub port: f64,
    pub no_open: bool,
    pub read_only: bool,
    pub dump_context: bool,
    pub active_session: Option<String>,
    pub unknown_flag: Option<String>,
}

pub fn parse_dashboard(args: &[String], base: &Base) -> DashboardOpts {
    let mut o = DashboardOpts {
        dir: base.cwd.to_path_buf(),
        port: 4173.0,
        ..Default::default()
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-h" | "--help" => o.help = true,
            "--dir" if value_at(args, i).is_some() => {
                i += 1;
                o.dir = resolve(base.cwd, &args[i]);
            }
            "--port" if value_at(args, i).is_some() => {
                i += 1;
                let n = crate::jstext::to_number(&args[i]);
                o.port = if n.is_nan() || n == 0.0 { 4173.0 } else { n };
            }
            "--no-open" => o.no_open = true,
            "--read-only" => o.read_only = true,
            "--dump-context" => o.dump_context = true,
            "--session" if value_at(args, i).is_some() => {
                i += 1;
                o.active_session = Some(session_arg(&args[i]));
            }
            _ if !is_flag(a) && i == 0 => o.dir = resolve(base.cwd, a),
            _ => {
                o.unknown_flag = Some(a.to_string());
                break;
            }
        }
        i += 1;
    }
    o
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContextAction {
    #[default]
    Build,
    Inspect,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContextOpts {
    pub help: bool,
    pub dir: PathBuf,
    pub action: ContextAction,
    pub workflow: String,
    /// `minimal`, `standard` or `full` (anything else became `standard`).
    pub tier: String,
    pub active_session: Option<String>,
    pub json: bool,
    pub unknown_flag: Option<String>,
}

pub fn parse_context(args: &[String], base: &Base) -> ContextOpts {
    let mut o = ContextOpts {
        dir: base.cwd.to_path_buf(),
        action: ContextAction::Build,
        tier: "standard".into(),
        ..Default::default()
    };
    let mut pos: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-h" | "--help" => o.help = true,
            "--dir" if value_at(args, i).is_some() => {
                i += 1;
                o.dir = resolve(base.cwd, &args[i]);
            }
            "--workflow" if value_at(args, i).is_some() => {
                i += 1;
                o.workflow = args[i].clone();
            }
            "--tier" if value_at(args, i).is_some() => {
                i += 1;
                let t = args[i].as_str();
                o.tier = if matches!(t, "minimal" | "standard" | "full") {
                    t.into()
                } else {
                    "standard".into()
                };
            }
            "--session" if value_at(args, i).is_some() => {
                i += 1;
                o.active_session = Some(session_arg(&args[i]));
            }
            "--json" => o.json = true,
            _ if !is_flag(a) => pos.push(a),
            _ => {
                o.unknown_flag = Some(a.to_string());
                break;
            }
        }
        i += 1;
    }
    match pos.first().copied() {
        Some("build") => o.action = ContextAction::Build,
        Some("inspect") => o.action = ContextAction::Inspect,
        _ => {}
    }
    if o.workflow.is_empty() {
        if let Some(w) = pos.get(1) {
            o.workflow = w.to_string();
        }
    }
    o
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuntimeOpts {
    pub help: bool,
    pub dir: PathBuf,
    pub action: String,
    pub sub_action: String,
    pub active_session: Option<String>,
    pub wave: Option<f64>,
    pub task: String,
    pub mode: String,
    pub reason: String,
    pub run_id: String,
    pub from_event_id: String,
    pub write_report: bool,
    pub gate_id: String,
    pub decision: String,
    pub actor: String,
    pub target_kind: String,
    pub remote: String,
    pub base_branch: String,
    pub minimum_coverage: Option<f64>,
    pub timeout_ms: Option<f64>,
    pub json_output: bool,
    pub gate_status: String,
    pub gate_scope: String,
    pub unknown_flag: Option<String>,
}

pub fn parse_runtime(args: &[String], base: &Base) -> RuntimeOpts {
    let mut o = RuntimeOpts {
        dir: base.cwd.to_path_buf(),
        action: "status".into(),
        ..Default::default()
    };
    let mut pos: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let val = value_at(args, i).map(str::to_string);
        let take = |slot: &mut String| {
            if let Some(v) = &val {
                *slot = v.clone();
                true
            } else {
                false
            }
        };
        let consumed = match a {
            "-h" | "--help" => {
                o.help = true;
                false
            }
            "--write" => {
                o.write_report = true;
                false
            }
            "--json" => {
                o.json_output = true;
                false
            }
            "--dir" if val.is_some() => {
                o.dir = resolve(base.cwd, val.as_deref().unwrap_or_default());
                true
            }
            "--session" if val.is_some() => {
                o.active_session = val.as_deref().map(session_arg);
                true
            }
            "--wave" if val.is_some() => {
                o.wave = val.as_deref().and_then(number_or_none);
                true
            }
            "--minimum-coverage" if val.is_some() => {
                o.minimum_coverage = val.as_deref().and_then(number_or_none);
                true
            }
            "--timeout" if val.is_some() => {
                o.timeout_ms = val.as_deref().and_then(number_or_none);
                true
            }
            "--task" if val.is_some() => take(&mut o.task),
            "--mode" if val.is_some() => take(&mut o.mode),
            "--reason" if val.is_some() => take(&mut o.reason),
            "--run" if val.is_some() => take(&mut o.run_id),
            "--from" if val.is_some() => take(&mut o.from_event_id),
            "--gate" if val.is_some() => take(&mut o.gate_id),
            "--decision" if val.is_some() => take(&mut o.decision),
            "--actor" if val.is_some() => take(&mut o.actor),
            "--target" if val.is_some() => take(&mut o.target_kind),
            "--remote" if val.is_some() => take(&mut o.remote),
            "--base" if val.is_some() => take(&mut o.base_branch),
            "--status" if val.is_some() => take(&mut o.gate_status),
            "--scope" if val.is_some() => take(&mut o.gate_scope),
            _ if !is_flag(a) => {
                pos.push(a);
                false
            }
            _ => {
                o.unknown_flag = Some(a.to_string());
                break;
            }
        };
        i += if consumed { 2 } else { 1 };
    }
    if let Some(first) = pos.first() {
        o.action = first.to_string();
    }
    if o.action == "gates" {
        if let Some(sub) = pos.get(1) {
            o.sub_action = sub.to_string();
        }
        if let Some(d) = pos.get(2) {
            o.dir = resolve(base.cwd, d);
        }
    } else if let Some(d) = pos.get(1) {
        o.dir = resolve(base.cwd, d);
    }
    o
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AzureOpts {
    pub help: bool,
    pub dir: PathBuf,
    pub scope: String,
    pub action: String,
    pub query: String,
    pub active_session: Option<String>,
    pub subscription: String,
    pub kind: String,
    pub resource_group: String,
    pub name: String,
    pub namespace: String,
    pub topic_name: String,
    pub subscription_name: String,
    pub source_resource_id: String,
    pub endpoint: String,
    pub location: String,
    pub server: String,
    pub database: String,
    pub admin_user: String,
    pub admin_password_env: String,
    pub start_ip_address: String,
    pub end_ip_address: String,
    pub approve: bool,
    pub override_policy: bool,
    pub dry_run: bool,
    pub diff: bool,
    pub filter_type: String,
    pub filter_rg: String,
    pub vpn_confirmed: bool,
    pub tenant: String,
    pub unknown_flag: Option<String>,
}

pub fn parse_azure(args: &[String], base: &Base) -> AzureOpts {
    let mut o = AzureOpts {
        dir: base.cwd.to_path_buf(),
        scope: "doctor".into(),
        ..AzureOpts::default()
    };
    let mut pos: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let val = value_at(args, i).map(str::to_string);
        let slot: Option<&mut String> = match a {
            "--subscription" => Some(&mut o.subscription),
            "--kind" => Some(&mut o.kind),
            "--resource-group" => Some(&mut o.resource_group),
            "--name" => Some(&mut o.name),
            "--namespace" => Some(&mut o.namespace),
            "--topic-name" => Some(&mut o.topic_name),
            "--subscription-name" => Some(&mut o.subscription_name),
            "--source-resource-id" => Some(&mut o.source_resource_id),
            "--endpoint" => Some(&mut o.endpoint),
            "--location" => Some(&mut o.location),
            "--server" => Some(&mut o.server),
            "--database" => Some(&mut o.database),
            "--admin-user" => Some(&mut o.admin_user),
            "--admin-password-env" => Some(&mut o.admin_password_env),
            "--start-ip-address" => Some(&mut o.start_ip_address),
            "--end-ip-address" => Some(&mut o.end_ip_address),
            "--type" => Some(&mut o.filter_type),
            "--filter-rg" => Some(&mut o.filter_rg),
            "--tenant" => Some(&mut o.tenant),
            _ => None,
        };
        if let (Some(slot), Some(v)) = (slot, val.as_ref()) {
            *slot = v.clone();
            i += 2;
            continue;
        }
        match a {
            "-h" | "--help" => o.help = true,
            "--dir" if val.is_some() => {
                o.dir = resolve(base.cwd, val.as_deref().unwrap_or_default());
                i += 1;
            }
            "--session" if val.is_some() => {
                o.active_session = val.as_deref().map(session_arg);
                i += 1;
            }
            "--approve" => o.approve = true,
            "--override-policy" => o.override_policy = true,
            "--dry-run" => o.dry_run = true,
            "--diff" => o.diff = true,
            "--vpn-confirmed" => o.vpn_confirmed = true,
            _ if !is_flag(a) => pos.push(a),
            _ => {
                o.unknown_flag = Some(a.to_string());
                break;
            }
        }
        i += 1;
    }
    if let Some(s) = pos.first() {
        o.scope = s.to_string();
    }
    if let Some(a) = pos.get(1) {
        o.action = a.to_string();
    }
    if o.scope == "find" {
        o.query = crate::jstext::trim(&pos[1..].join(" ")).to_string();
    } else if pos.len() > 2 {
        o.query = crate::jstext::trim(&pos[2..].join(" ")).to_string();
    }
    o
}

/// `plan [--visual]` and `verify [--matrix]`: the same parser with a
/// different switch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewOpts {
    pub help: bool,
    pub dir: PathBuf,
    /// `--visual` (plan) or `--matrix` (verify).
    pub switch: bool,
    pub active_session: Option<String>,
    pub unknown_flag: Option<String>,
}

pub fn parse_view(args: &[String], base: &Base, switch: &str) -> ViewOpts {
    let mut o = ViewOpts {
        dir: base.cwd.to_path_buf(),
        ..Default::default()
    };
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-h" | "--help" => o.help = true,
            _ if a == switch => o.switch = true,
            "--dir" if value_at(args, i).is_some() => {
                i += 1;
                o.dir = resolve(base.cwd, &args[i]);
            }
            "--session" if value_at(args, i).is_some() => {
                i += 1;
                o.active_session = Some(session_arg(&args[i]));
            }
            _ if !is_flag(a) && i == 0 => o.dir = resolve(base.cwd, a),
            _ => {
                o.unknown_flag = Some(a.to_string());
                break;
            }
        }
        i += 1;
    }
    o
}

/// `plugins`: only `--dir X` pairs are taken out; everything else is the
/// sub-command and its arguments (no flag is rejected).
#[derive(Debug, Clone, PartialEq)]
pub struct PluginsOpts {
    pub dir: PathBuf,
    pub args: Vec<String>,
}

pub fn parse_plugins(args: &[String], base: &Base) -> PluginsOpts {
    let mut dir = base.cwd.to_path_buf();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--dir" && value_at(args, i).is_some() {
            dir = resolve(base.cwd, &args[i + 1]);
            i += 2;
            continue;
        }
        rest.push(args[i].clone());
        i += 1;
    }
    PluginsOpts { dir, args: rest }
}

/// Takes `--lang <tag>` / `--lang=<tag>` out of the arguments (ours, not a
/// 1.4.0 flag). A trailing `--lang` without a value is left in place and
/// becomes an unknown flag.
pub fn take_lang(args: &[String]) -> (Vec<String>, Option<String>) {
    let mut out = Vec::with_capacity(args.len());
    let mut lang = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if let Some(v) = a.strip_prefix("--lang=") {
            lang = Some(v.to_string());
        } else if a == "--lang" && value_at(args, i).is_some() {
            lang = Some(args[i + 1].clone());
            i += 1;
        } else {
            out.push(a.clone());
        }
        i += 1;
    }
    (out, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    fn base() -> (PathBuf, PathBuf) {
        (PathBuf::from("/work/proj"), PathBuf::from("/home/u"))
    }

    #[test]
    fn resolve_like_node() {
        let cwd = Path::new("/a/b");
        assert_eq!(resolve(cwd, "c/../d/./"), PathBuf::from("/a/b/d"));
        assert_eq!(resolve(cwd, "/x/../../y"), PathBuf::from("/y"));
        assert_eq!(resolve(cwd, ""), PathBuf::from("/a/b"));
    }

    #[test]
    fn install_value_rules() {
        let (cwd, home) = base();
        let b = Base {
            cwd: &cwd,
            home: Some(&home),
        };
        let o = parse_install(&v(&["--dir"]), &b);
        assert_eq!(o.unknown_flag.as_deref(), Some("--dir"));
        let o = parse_install(&v(&["--dir", "--json"]), &b);
        assert_eq!(o.dir, PathBuf::from("/work/proj/--json"));
        assert!(!o.json_output);
        let o = parse_install(&v(&["--dir", "x", "y"]), &b);
        assert_eq!(o.dir, PathBuf::from("/work/proj/y"));
        let o = parse_install(&v(&["--dir", ""]), &b);
        assert_eq!(o.unknown_flag.as_deref(), Some("--dir"));
        let o = parse_install(&v(&["-c", "~/cfg", "--cursor"]), &b);
        assert_eq!(o.explicit_config_dir, Some(PathBuf::from("/home/u/cfg")));
        assert_eq!(o.conflict, None);
        let o = parse_install(&v(&["--nope", "--help"]), &b);
        assert_eq!(o.unknown_flag.as_deref(), Some("--nope"));
        assert!(!o.help);
    }

    #[test]
    fn install_conflicts_in_order() {
        let (cwd, _) = base();
        let b = Base {
            cwd: &cwd,
            home: None,
        };
        let c = |a: &[&str]| parse_install(&v(a), &b).conflict;
        assert_eq!(
            c(&["-g", "-l", "--global", "--local"]),
            Some(Msg::ConflictGlobalCli)
        );
        assert_eq!(c(&["--global", "--local"]), Some(Msg::ConflictLayout));
        assert_eq!(
            c(&["--ide-global", "--ide-local"]),
            Some(Msg::ConflictIdeScope)
        );
        assert_eq!(
            c(&["--ide-local", "-c", "/x"]),
            Some(Msg::ConflictIdeLocalConfigDir)
        );
        assert_eq!(
            c(&["--all-agents", "-c", "/x"]),
            Some(Msg::ConflictConfigDirOxeOnly)
        );
        assert_eq!(
            c(&["--copilot", "-c", "/x"]),
            Some(Msg::ConflictConfigDirCopilot)
        );
        assert_eq!(c(&["-c", "/x"]), Some(Msg::ConflictConfigDirCount));
        assert_eq!(
            c(&["--cursor", "--copilot-cli", "-c", "/x"]),
            Some(Msg::ConflictConfigDirCount)
        );
    }

    #[test]
    fn install_derived_state() {
        let (cwd, _) = base();
        let b = Base {
            cwd: &cwd,
            home: None,
        };
        assert!(parse_install(&v(&[]), &b).integrations_unset);
        let o = parse_install(&v(&["--all-agents"]), &b);
        assert!(o.cursor && o.copilot && o.agent_codex && !o.copilot_cli && !o.integrations_unset);
        let o = parse_install(&v(&["--all-agents", "--oxe-only"]), &b);
        assert!(!o.cursor && !o.commands && !o.agents && !o.all_agents);
    }

    #[test]
    fn update_positional_and_forwarding() {
        let (cwd, _) = base();
        let b = Base {
            cwd: &cwd,
            home: None,
        };
        let o = parse_update(
            &v(&["--dir", "a", "b", "--cursor", "-c", "/cfg", "--ide-local"]),
            &b,
        );
        assert_eq!(o.dir, PathBuf::from("/work/proj/a"));
        assert_eq!(o.rest, v(&["b", "--cursor", "-c", "/cfg", "--ide-local"]));
        let o = parse_update(&v(&["p", "q"]), &b);
        assert_eq!(o.dir, PathBuf::from("/work/proj/p"));
        assert_eq!(o.rest, v(&["q"]));
        assert_eq!(
            parse_update(&v(&["--check", "--if-newer"]), &b).conflict,
            Some(Msg::UpdateCheckIfNewer)
        );
        assert_eq!(
            parse_update(&v(&["--json"]), &b).unknown_flag.as_deref(),
            Some("--json")
        );
    }

    #[test]
    fn runtime_positionals_and_numbers() {
        let (cwd, _) = base();
        let b = Base {
            cwd: &cwd,
            home: None,
        };
        let o = parse_runtime(
            &v(&[
                "gates",
                "show",
                "d",
                "--wave",
                "x",
                "--timeout",
                "50",
                "--session",
                "a\\b",
            ]),
            &b,
        );
        assert_eq!(
            (o.action.as_str(), o.sub_action.as_str()),
            ("gates", "show")
        );
        assert_eq!(o.dir, PathBuf::from("/work/proj/d"));
        assert_eq!(o.wave, None);
        assert_eq!(o.timeout_ms, Some(50.0));
        assert_eq!(o.active_session.as_deref(), Some("a/b"));
        assert_eq!(
            parse_runtime(&v(&["-v"]), &b).unknown_flag.as_deref(),
            Some("-v")
        );
        let o = parse_runtime(&v(&["start", "--task"]), &b);
        assert_eq!(o.unknown_flag.as_deref(), Some("--task"));
    }

    #[test]
    fn view_and_dashboard_positionals() {
        let (cwd, _) = base();
        let b = Base {
            cwd: &cwd,
            home: None,
        };
        let o = parse_view(&v(&["d", "--visual"]), &b, "--visual");
        assert!(o.switch && o.dir == Path::new("/work/proj/d"));
        let o = parse_view(&v(&["--visual", "d"]), &b, "--visual");
        assert_eq!(o.unknown_flag.as_deref(), Some("d"));
        let o = parse_dashboard(&v(&["--port", "0"]), &b);
        assert_eq!(o.port, 4173.0);
        let o = parse_dashboard(&v(&["--port", "8080"]), &b);
        assert_eq!(o.port, 8080.0);
    }

    #[test]
    fn context_azure_plugins() {
        let (cwd, _) = base();
        let b = Base {
            cwd: &cwd,
            home: None,
        };
        let o = parse_context(&v(&["inspect", "plan", "--tier", "huge"]), &b);
        assert_eq!(o.action, ContextAction::Inspect);
        assert_eq!((o.workflow.as_str(), o.tier.as_str()), ("plan", "standard"));
        let o = parse_azure(&v(&["find", "my", "queue", "--type", "sql"]), &b);
        assert_eq!(
            (o.query.as_str(), o.filter_type.as_str()),
            ("my queue", "sql")
        );
        let o = parse_plugins(&v(&["install", "--dir", "x", "npm:p", "--weird"]), &b);
        assert_eq!(o.dir, PathBuf::from("/work/proj/x"));
        assert_eq!(o.args, v(&["install", "npm:p", "--weird"]));
    }

    #[test]
    fn lang_flag() {
        let (rest, lang) = take_lang(&v(&["status", "--lang", "pt-BR", "--json"]));
        assert_eq!(rest, v(&["status", "--json"]));
        assert_eq!(lang.as_deref(), Some("pt-BR"));
        let (rest, lang) = take_lang(&v(&["--lang"]));
        assert_eq!(rest, v(&["--lang"]));
        assert_eq!(lang, None);
    }
}
