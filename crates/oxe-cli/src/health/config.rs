//! `loadOxeConfigMerged` and `validateConfigShape`: the three config
//! layers (system < user < project) merged over the defaults, and the shape
//! check of the result.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::i18n::Lang;

/// The 24 keys `.oxe/config.json` may hold, in 1.4.0's order.
pub const ALLOWED_CONFIG_KEYS: [&str; 24] = [
    "discuss_before_plan",
    "after_verify_suggest_pr",
    "after_verify_draft_commit",
    "after_verify_suggest_uat",
    "default_verify_command",
    "scan_max_age_days",
    "compact_max_age_days",
    "lessons_max_age_days",
    "scan_focus_globs",
    "scan_ignore_globs",
    "spec_required_sections",
    "plan_max_tasks_per_wave",
    "profile",
    "verification_depth",
    "plan_confidence_threshold",
    "security_in_verify",
    "install",
    "plugins",
    "workstreams",
    "milestones",
    "scale_adaptive",
    "permissions",
    "azure",
    "runtime",
];

pub const EXECUTION_PROFILES: [&str; 4] = ["strict", "balanced", "fast", "legacy"];
pub const VERIFICATION_DEPTHS: [&str; 3] = ["standard", "thorough", "quick"];
pub const INSTALL_PROFILES: [&str; 6] = [
    "recommended",
    "cursor",
    "copilot",
    "core",
    "cli",
    "all_agents",
];
pub const INSTALL_REPO_LAYOUTS: [&str; 2] = ["nested", "classic"];
pub const INSTALL_OBJECT_KEYS: [&str; 5] = [
    "profile",
    "repo_layout",
    "vscode",
    "include_commands_dir",
    "include_agents_md",
];

/// `expandExecutionProfile(p)`: the key set of a named profile, else `{}`.
pub fn expand_execution_profile(profile: &str) -> Map<String, Value> {
    let v = match profile {
        "strict" => json!({"discuss_before_plan": true, "verification_depth": "thorough",
            "after_verify_suggest_uat": true, "after_verify_suggest_pr": true,
            "after_verify_draft_commit": true, "scan_max_age_days": 14, "compact_max_age_days": 30}),
        "balanced" => json!({"discuss_before_plan": false, "verification_depth": "standard",
            "after_verify_suggest_uat": false, "after_verify_suggest_pr": true,
            "after_verify_draft_commit": true, "scan_max_age_days": 0, "compact_max_age_days": 0}),
        "fast" => json!({"discuss_before_plan": false, "verification_depth": "quick",
            "after_verify_suggest_uat": false, "after_verify_suggest_pr": false,
            "after_verify_draft_commit": true, "scan_max_age_days": 0, "compact_max_age_days": 0}),
        "legacy" => json!({"discuss_before_plan": true, "verification_depth": "thorough",
            "after_verify_suggest_uat": true, "after_verify_suggest_pr": false,
            "after_verify_draft_commit": false, "scan_max_age_days": 0, "compact_max_age_days": 0}),
        _ => json!({}),
    };
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn defaults() -> Map<String, Value> {
    let v = json!({
        "discuss_before_plan": false,
        "after_verify_suggest_pr": true,
        "after_verify_draft_commit": true,
        "after_verify_suggest_uat": false,
        "verification_depth": "standard",
        "plan_confidence_threshold": 70,
        "default_verify_command": "",
        "scan_max_age_days": 0,
        "compact_max_age_days": 0,
        "scan_focus_globs": [],
        "scan_ignore_globs": [],
        "spec_required_sections": [],
        "plan_max_tasks_per_wave": 0,
        "azure": {
            "enabled": false,
            "default_resource_group": "",
            "preferred_locations": [],
            "inventory_max_age_hours": 24,
            "resource_graph_auto_install": true,
            "vpn_required": false
        },
        "runtime": {
            "quotas": {
                "max_work_items_per_run": null,
                "max_mutations_per_run": null,
                "max_retries_per_run": null
            }
        }
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The merged configuration and where it came from.
#[derive(Debug, Clone)]
pub struct MergedConfig {
    pub config: Map<String, Value>,
    pub path: Option<String>,
    pub parse_error: Option<String>,
    pub sources: [Option<String>; 3],
}

impl MergedConfig {
    pub fn to_value(&self) -> Value {
        json!({
            "config": Value::Object(self.config.clone()),
            "path": self.path,
            "parseError": self.parse_error,
            "sources": {
                "system": self.sources[0],
                "user": self.sources[1],
                "project": self.sources[2],
            }
        })
    }

    /// `Number(config[key]) || 0` (JS coercion of the usual shapes).
    pub fn num(&self, key: &str) -> f64 {
        num_of(self.config.get(key))
    }

    pub fn truthy(&self, key: &str) -> bool {
        self.config
            .get(key)
            .is_some_and(oxe_runtime::jsjson::truthy)
    }

    pub fn strings(&self, key: &str) -> Vec<String> {
        match self.config.get(key) {
            Some(Value::Array(a)) => a.iter().map(oxe_runtime::jsjson::js_string).collect(),
            _ => Vec::new(),
        }
    }
}

/// `Number(v) || 0`.
pub fn num_of(v: Option<&Value>) -> f64 {
    let n = match v {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(Value::String(s)) => crate::jstext::to_number(s),
        _ => 0.0,
    };
    if n.is_nan() {
        0.0
    } else {
        n
    }
}

fn read_layer(p: &Path) -> Option<Map<String, Value>> {
    let raw = std::fs::read_to_string(p).ok()?;
    match oxe_runtime::jsjson::parse(&raw).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// The system layer path: `$OXE_SYSTEM_CONFIG`, else the platform default.
pub fn system_config_path(vars: &std::collections::BTreeMap<String, String>) -> PathBuf {
    if let Some(p) = vars.get("OXE_SYSTEM_CONFIG").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    if cfg!(windows) {
        let base = vars
            .get("PROGRAMDATA")
            .filter(|p| !p.is_empty())
            .cloned()
            .unwrap_or_else(|| "C:\\ProgramData".into());
        return PathBuf::from(base).join("oxe").join("config.json");
    }
    PathBuf::from("/etc/oxe/config.json")
}

/// `loadOxeConfigMerged(proj)`.
pub fn load_oxe_config_merged(
    proj: &Path,
    vars: &std::collections::BTreeMap<String, String>,
    _lang: Lang,
) -> MergedConfig {
    let mut sources: [Option<String>; 3] = [None, None, None];
    let sys_path = system_config_path(vars);
    let sys = read_layer(&sys_path);
    if sys.is_some() {
        sources[0] = Some(sys_path.to_string_lossy().into_owned());
    }
    let home = vars
        .get("HOME")
        .filter(|h| !h.is_empty())
        .or_else(|| vars.get("USERPROFILE").filter(|h| !h.is_empty()));
    let user = home.and_then(|h| {
        let p = Path::new(h).join(".oxe").join("config.json");
        let l = read_layer(&p);
        if l.is_some() {
            sources[1] = Some(p.to_string_lossy().into_owned());
        }
        l
    });
    let project_path = proj.join(".oxe").join("config.json");
    let mut project = None;
    let mut parse_error = None;
    if project_path.exists() {
        match std::fs::read_to_string(&project_path) {
            Ok(raw) => match oxe_runtime::jsjson::parse(&raw) {
                Ok(Value::Object(m)) => project = Some(m),
                // 1.4.0's literal: scripts compare this value.
                Ok(_) => parse_error = Some("não é um objeto".to_string()),
                Err(e) => parse_error = Some(e.to_string()),
            },
            Err(e) => parse_error = Some(e.to_string()),
        }
    }
    if project.is_some() {
        sources[2] = Some(project_path.to_string_lossy().into_owned());
    }
    let mut merged = defaults();
    for layer in [sys, user, project].into_iter().flatten() {
        if let Some(Value::String(p)) = layer.get("profile") {
            for (k, v) in expand_execution_profile(p) {
                merged.insert(k, v);
            }
        }
        for (k, v) in layer {
            if k == "azure" {
                if let Value::Object(az) = &v {
                    let mut base = match merged.get("azure") {
                        Some(Value::Object(m)) => m.clone(),
                        _ => Map::new(),
                    };
                    for (ak, av) in az {
                        base.insert(ak.clone(), av.clone());
                    }
                    merged.insert(k, Value::Object(base));
                    continue;
                }
            }
            merged.insert(k, v);
        }
    }
    let path = sources[2]
        .clone()
        .or_else(|| sources[1].clone())
        .or_else(|| sources[0].clone());
    MergedConfig {
        config: merged,
        path,
        parse_error,
        sources,
    }
}

/// `validateConfigShape(cfg)` → `(unknownKeys, typeErrors)`.
pub fn validate_config_shape(cfg: &Map<String, Value>, lang: Lang) -> (Vec<String>, Vec<String>) {
    let unknown: Vec<String> = cfg
        .keys()
        .filter(|k| !ALLOWED_CONFIG_KEYS.contains(&k.as_str()))
        .cloned()
        .collect();
    let mut errs = Vec::new();
    let en = lang == Lang::En;
    let mut push = |en_msg: String, pt_msg: String| errs.push(if en { en_msg } else { pt_msg });
    if let Some(v) = cfg.get("install").filter(|v| !v.is_null()) {
        match v {
            Value::Object(m) => {
                for k in m.keys() {
                    if !INSTALL_OBJECT_KEYS.contains(&k.as_str()) {
                        push(
                            format!("install.{k} is not a known install key"),
                            format!("install.{k} não é uma chave de install conhecida"),
                        );
                    }
                }
                if let Some(p) = m.get("profile") {
                    if !p.as_str().is_some_and(|s| INSTALL_PROFILES.contains(&s)) {
                        push(
                            format!(
                                "install.profile must be one of: {}",
                                INSTALL_PROFILES.join(", ")
                            ),
                            format!(
                                "install.profile deve ser um de: {}",
                                INSTALL_PROFILES.join(", ")
                            ),
                        );
                    }
                }
                if let Some(p) = m.get("repo_layout") {
                    if !p
                        .as_str()
                        .is_some_and(|s| INSTALL_REPO_LAYOUTS.contains(&s))
                    {
                        push(
                            "install.repo_layout must be nested or classic".into(),
                            "install.repo_layout deve ser nested ou classic".into(),
                        );
                    }
                }
                for b in ["vscode", "include_commands_dir", "include_agents_md"] {
                    if m.get(b).is_some_and(|v| !v.is_boolean()) {
                        push(
                            format!("install.{b} must be a boolean"),
                            format!("install.{b} deve ser booleano"),
                        );
                    }
                }
            }
            _ => push(
                "install must be an object".into(),
                "install deve ser um objeto".into(),
            ),
        }
    }
    if let Some(p) = cfg.get("profile").filter(|v| !v.is_null()) {
        if !p.as_str().is_some_and(|s| EXECUTION_PROFILES.contains(&s)) {
            push(
                format!("profile must be one of: {}", EXECUTION_PROFILES.join(", ")),
                format!("profile deve ser um de: {}", EXECUTION_PROFILES.join(", ")),
            );
        }
    }
    if let Some(p) = cfg.get("verification_depth").filter(|v| !v.is_null()) {
        if !p.as_str().is_some_and(|s| VERIFICATION_DEPTHS.contains(&s)) {
            push(
                format!(
                    "verification_depth must be one of: {}",
                    VERIFICATION_DEPTHS.join(", ")
                ),
                format!(
                    "verification_depth deve ser um de: {}",
                    VERIFICATION_DEPTHS.join(", ")
                ),
            );
        }
    }
    for k in [
        "scan_max_age_days",
        "compact_max_age_days",
        "lessons_max_age_days",
        "plan_max_tasks_per_wave",
        "plan_confidence_threshold",
    ] {
        if let Some(v) = cfg.get(k).filter(|v| !v.is_null()) {
            if !v.as_f64().is_some_and(|n| n >= 0.0) {
                push(
                    format!("{k} must be a non-negative number"),
                    format!("{k} deve ser um número >= 0"),
                );
            }
        }
    }
    for k in [
        "scan_focus_globs",
        "scan_ignore_globs",
        "spec_required_sections",
    ] {
        if let Some(v) = cfg.get(k).filter(|v| !v.is_null()) {
            let ok = v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
            if !ok {
                push(
                    format!("{k} must be an array of strings"),
                    format!("{k} deve ser um array de strings"),
                );
            }
        }
    }
    if let Some(v) = cfg.get("plugins").filter(|v| !v.is_null()) {
        match v.as_array() {
            None => push(
                "plugins must be an array".into(),
                "plugins deve ser um array".into(),
            ),
            Some(list) => {
                for (i, p) in list.iter().enumerate() {
                    match p {
                        Value::String(_) => {}
                        Value::Object(m) => {
                            if m.get("source")
                                .and_then(Value::as_str)
                                .is_none_or(str::is_empty)
                            {
                                push(
                                    format!("plugins[{i}].source must be a non-empty string"),
                                    format!("plugins[{i}].source deve ser string não vazia"),
                                );
                            }
                        }
                        _ => push(
                            format!(
                                "plugins[{i}] must be a string or an object {{ source: string }}"
                            ),
                            format!("plugins[{i}] deve ser string ou objeto {{ source: string }}"),
                        ),
                    }
                }
            }
        }
    }
    if let Some(v) = cfg.get("permissions").filter(|v| !v.is_null()) {
        const ACTIONS: [&str; 3] = ["allow", "deny", "ask"];
        const SCOPES: [&str; 3] = ["execute", "apply", "all"];
        match v.as_array() {
            None => push(
                "permissions must be an array of rules { pattern, action, scope? }".into(),
                "permissions deve ser um array de regras { pattern, action, scope? }".into(),
            ),
            Some(list) => {
                for (i, r) in list.iter().enumerate() {
                    let Value::Object(m) = r else {
                        push(
                            format!("permissions[{i}] must be an object"),
                            format!("permissions[{i}] deve ser objeto"),
                        );
                        continue;
                    };
                    if m.get("pattern")
                        .and_then(Value::as_str)
                        .is_none_or(str::is_empty)
                    {
                        push(
                            format!("permissions[{i}].pattern must be a non-empty string"),
                            format!("permissions[{i}].pattern deve ser string não vazia"),
                        );
                    }
                    if !m
                        .get("action")
                        .and_then(Value::as_str)
                        .is_some_and(|s| ACTIONS.contains(&s))
                    {
                        push(
                            format!(
                                "permissions[{i}].action must be one of: {}",
                                ACTIONS.join(", ")
                            ),
                            format!(
                                "permissions[{i}].action deve ser um de: {}",
                                ACTIONS.join(", ")
                            ),
                        );
                    }
                    if let Some(sc) = m.get("scope").filter(|v| !v.is_null()) {
                        if !sc.as_str().is_some_and(|s| SCOPES.contains(&s)) {
                            push(
                                format!(
                                    "permissions[{i}].scope must be one of: {}",
                                    SCOPES.join(", ")
                                ),
                                format!(
                                    "permissions[{i}].scope deve ser um de: {}",
                                    SCOPES.join(", ")
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
    if let Some(v) = cfg.get("azure").filter(|v| !v.is_null()) {
        if !v.is_object() {
            push(
                "azure must be an object".into(),
                "azure deve ser um objeto".into(),
            );
        }
    }
    if let Some(Value::Object(rt)) = cfg.get("runtime") {
        if let Some(Value::Object(q)) = rt.get("quotas") {
            for (k, v) in q {
                if !v.is_null() && !v.as_f64().is_some_and(|n| n >= 0.0) {
                    push(
                        format!("runtime.quotas.{k} must be a non-negative number or null"),
                        format!("runtime.quotas.{k} deve ser um número >= 0 ou null"),
                    );
                }
            }
        }
    } else if cfg.get("runtime").is_some_and(|v| !v.is_null()) {
        push(
            "runtime must be an object".into(),
            "runtime deve ser um objeto".into(),
        );
    }
    (unknown, errs)
}
