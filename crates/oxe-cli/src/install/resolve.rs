//! The `install` block of the merged `.oxe/config.json`
//! (`resolveInstallOptionsFromConfig`): repo layout, `vscode`, and — only
//! when no integration flag was given — the profile.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::flags::InstallOpts;
use crate::health::config::{load_oxe_config_merged, INSTALL_PROFILES, INSTALL_REPO_LAYOUTS};
use crate::i18n::Lang;

/// The option fields the config block reads and sets (1.4.0's names in
/// the SDK: `ignoreInstallConfig`, `explicitScope`, …).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Fields {
    pub ignore_install_config: bool,
    pub explicit_scope: bool,
    pub oxe_only: bool,
    pub integrations_unset: bool,
    pub install_assets_global: bool,
    pub vscode: bool,
    pub cursor: bool,
    pub copilot: bool,
    pub copilot_cli: bool,
    pub all_agents: bool,
    pub commands: bool,
    pub agents: bool,
}

const KEYS: [&str; 12] = [
    "ignoreInstallConfig",
    "explicitScope",
    "oxeOnly",
    "integrationsUnset",
    "installAssetsGlobal",
    "vscode",
    "cursor",
    "copilot",
    "copilotCli",
    "allAgents",
    "commands",
    "agents",
];

impl Fields {
    fn slots(&mut self) -> [&mut bool; 12] {
        [
            &mut self.ignore_install_config,
            &mut self.explicit_scope,
            &mut self.oxe_only,
            &mut self.integrations_unset,
            &mut self.install_assets_global,
            &mut self.vscode,
            &mut self.cursor,
            &mut self.copilot,
            &mut self.copilot_cli,
            &mut self.all_agents,
            &mut self.commands,
            &mut self.agents,
        ]
    }

    /// From a JS options object (JS truthiness).
    pub fn from_map(m: &Map<String, Value>) -> Fields {
        let mut f = Fields::default();
        for (k, slot) in KEYS.iter().zip(f.slots()) {
            *slot = m.get(*k).is_some_and(oxe_runtime::jsjson::truthy);
        }
        f
    }

    /// Writes back the fields the resolution assigned or changed.
    pub fn write_changes(mut self, before: Fields, touched: Touched, m: &mut Map<String, Value>) {
        let mut b = before;
        let assigned = touched.keys();
        for ((k, now), was) in KEYS.iter().zip(self.slots()).zip(b.slots()) {
            if *now != *was || assigned.contains(k) {
                m.insert((*k).to_string(), Value::Bool(*now));
            }
        }
    }

    pub fn from_opts(o: &InstallOpts) -> Fields {
        Fields {
            ignore_install_config: o.ignore_install_config,
            explicit_scope: o.explicit_scope,
            oxe_only: o.oxe_only,
            integrations_unset: o.integrations_unset,
            install_assets_global: o.install_assets_global,
            vscode: o.vscode,
            cursor: o.cursor,
            copilot: o.copilot,
            copilot_cli: o.copilot_cli,
            all_agents: o.all_agents,
            commands: o.commands,
            agents: o.agents,
        }
    }

    pub fn into_opts(self, o: &mut InstallOpts) {
        o.explicit_scope = self.explicit_scope;
        o.integrations_unset = self.integrations_unset;
        o.install_assets_global = self.install_assets_global;
        o.vscode = self.vscode;
        o.cursor = self.cursor;
        o.copilot = self.copilot;
        o.copilot_cli = self.copilot_cli;
        o.all_agents = self.all_agents;
        o.commands = self.commands;
        o.agents = self.agents;
    }
}

/// What a config warning is about (the text is the caller's).
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    ParseError(String),
    InvalidProfile(Option<String>),
}

impl Warning {
    /// Brazilian Portuguese wording.
    pub fn pt_text(&self) -> String {
        match self {
            Warning::ParseError(e) => format!("config.json ignorado (parse error): {e}"),
            Warning::InvalidProfile(p) => {
                let shown = p
                    .as_ref()
                    .map_or("(tipo inválido)".to_string(), |s| format!("\"{s}\""));
                format!(
                    "install.profile {shown} ignorado; valores aceitos: {}",
                    INSTALL_PROFILES.join(", ")
                )
            }
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en_text(),
            Lang::PtBr => self.pt_text(),
        }
    }

    pub fn en_text(&self) -> String {
        match self {
            Warning::ParseError(e) => format!("config.json ignored (parse error): {e}"),
            Warning::InvalidProfile(p) => {
                let shown = p
                    .as_ref()
                    .map_or("(invalid type)".to_string(), |s| format!("\"{s}\""));
                format!(
                    "install.profile {shown} ignored — use one of: {}",
                    INSTALL_PROFILES.join(", ")
                )
            }
        }
    }
}

/// Which parts of the block were applied (their keys are assigned even
/// when the value does not change).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Touched {
    pub layout: bool,
    pub vscode: bool,
    pub profile: bool,
}

impl Touched {
    fn keys(self) -> Vec<&'static str> {
        let mut k = Vec::new();
        if self.layout {
            k.extend(["installAssetsGlobal", "explicitScope"]);
        }
        if self.vscode {
            k.push("vscode");
        }
        if self.profile {
            k.extend([
                "cursor",
                "copilot",
                "copilotCli",
                "allAgents",
                "commands",
                "agents",
                "integrationsUnset",
            ]);
        }
        k
    }
}

/// Applies the config's `install` block to `f`.
pub fn resolve(project: &Path, vars: &BTreeMap<String, String>, f: &mut Fields) -> Vec<Warning> {
    resolve_touched(project, vars, f, &mut Touched::default())
}

/// [`resolve`], also telling which parts applied.
pub fn resolve_touched(
    project: &Path,
    vars: &BTreeMap<String, String>,
    f: &mut Fields,
    touched: &mut Touched,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if f.ignore_install_config || !project.exists() {
        return warnings;
    }
    let merged = load_oxe_config_merged(project, vars, Lang::En);
    if let Some(e) = merged.parse_error {
        warnings.push(Warning::ParseError(e));
        return warnings;
    }
    let Some(Value::Object(inst)) = merged.config.get("install") else {
        return warnings;
    };
    if !f.explicit_scope && !f.oxe_only {
        if let Some(l) = inst.get("repo_layout").and_then(Value::as_str) {
            if INSTALL_REPO_LAYOUTS.contains(&l) {
                f.install_assets_global = l == "classic";
                f.explicit_scope = true;
                touched.layout = true;
            }
        }
    }
    if !f.oxe_only && inst.get("vscode") == Some(&Value::Bool(true)) {
        f.vscode = true;
        touched.vscode = true;
    }
    if !f.integrations_unset || f.oxe_only {
        return warnings;
    }
    let profile = match inst.get("profile") {
        None | Some(Value::Null) => return warnings,
        Some(Value::String(p)) if INSTALL_PROFILES.contains(&p.as_str()) => p.clone(),
        Some(Value::String(p)) => {
            warnings.push(Warning::InvalidProfile(Some(p.clone())));
            return warnings;
        }
        Some(_) => {
            warnings.push(Warning::InvalidProfile(None));
            return warnings;
        }
    };
    touched.profile = true;
    f.cursor = false;
    f.copilot = false;
    f.copilot_cli = false;
    f.all_agents = false;
    match profile.as_str() {
        "recommended" => {
            f.cursor = true;
            f.copilot = true;
        }
        "cursor" => f.cursor = true,
        "copilot" => f.copilot = true,
        "core" => {
            f.commands = false;
            f.agents = false;
        }
        "cli" => {
            f.cursor = true;
            f.copilot = true;
            f.copilot_cli = true;
        }
        _ => {
            f.cursor = true;
            f.copilot = true;
            f.copilot_cli = true;
            f.all_agents = true;
        }
    }
    if profile != "core" {
        f.commands = true;
        f.agents = true;
    }
    if let Some(Value::Bool(b)) = inst.get("include_commands_dir") {
        f.commands = *b;
    }
    if let Some(Value::Bool(b)) = inst.get("include_agents_md") {
        f.agents = *b;
    }
    f.integrations_unset = false;
    warnings
}

/// `resolveOptionsFromConfig(projectRoot, opts)` on a JS options object:
/// `{options, warnings}` with the other keys of `opts` kept.
pub fn resolve_sdk(
    project: &Path,
    vars: &BTreeMap<String, String>,
    opts: &Map<String, Value>,
) -> Value {
    let before = Fields::from_map(opts);
    let mut f = before;
    let mut touched = Touched::default();
    let warnings = resolve_touched(project, vars, &mut f, &mut touched);
    let mut out = opts.clone();
    f.write_changes(before, touched, &mut out);
    serde_json::json!({
        "options": Value::Object(out),
        "warnings": warnings.iter().map(|w| w.text(Lang::detect(vars, None))).collect::<Vec<_>>(),
    })
}
