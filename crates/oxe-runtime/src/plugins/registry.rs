//! The rules of `PluginRegistry`. The plugin objects stay in JS (the glue
//! holds them, in registration order); this module decides:
//!
//! * whether a plugin may be registered ([`admit`]): duplicate names first,
//!   then validation, with 1.4.0's messages;
//! * which export of a loaded module is the plugin ([`pick_export`]);
//! * which files of a plugin directory are loaded, in which order, and which
//!   are refused because they resolve outside the directory
//!   ([`plan_directory`]);
//! * the order in which providers are asked `supports()` ([`lookup_order`]):
//!   plugins in registration order, providers in declaration order, first
//!   match wins;
//! * the listing and summary counts ([`listing`]);
//! * the texts of load errors and plugin faults.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::abi::{PluginDesc, ProviderKind};
use super::js::JsVal;
use super::manifest::validate;
use super::node_path;

/// What `register` / `loadFromDirectory` do with a plugin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    Register,
    /// `loadFromDirectory` ignores exports without a name, as 1.4.0 does.
    Skip,
    /// Refused; the message is the error `register` throws.
    Reject(String),
}

/// How the plugin reached the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdmitMode {
    /// `register(plugin)`.
    Register,
    /// A module export found by `loadFromDirectory`.
    Load,
}

/// Decides whether `p` joins a registry whose plugins are named
/// `existing` (in registration order).
pub fn admit(existing: &[JsVal], p: &PluginDesc, mode: AdmitMode) -> Admission {
    if mode == AdmitMode::Load && (p.not_object.is_some() || !p.name.truthy) {
        return Admission::Skip;
    }
    if p.not_object.is_none() && existing.iter().any(|n| n.strict_eq(&p.name)) {
        return Admission::Reject(format!("Plugin \"{}\" is already registered", p.name.text));
    }
    let v = validate(p);
    if !v.valid() {
        return Admission::Reject(format!(
            "Plugin \"{}\" failed validation: {}",
            p.name.text,
            v.errors.join("; ")
        ));
    }
    Admission::Register
}

/// Which value of a loaded module is the plugin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportPick {
    /// `module.exports.default` (a truthy `default` wins).
    Default,
    /// `module.exports` itself.
    Module,
    /// The module exports no object; the text is the load error's reason.
    Invalid(String),
}

/// `typeof module.exports` (with `null` as `"null"`) and whether its
/// `default` is truthy decide which value is the plugin.
pub fn pick_export(module_type: &str, default_truthy: bool) -> ExportPick {
    match module_type {
        "object" | "function" => {
            if default_truthy {
                ExportPick::Default
            } else {
                ExportPick::Module
            }
        }
        other => ExportPick::Invalid(format!("module.exports is {other}, not a plugin object")),
    }
}

/// `Plugin <path> falhou ao carregar: <reason>` (1.4.0's load-error text).
pub fn load_error(full_path: &str, reason: &str) -> String {
    format!("Plugin {full_path} falhou ao carregar: {reason}")
}

/// `Capability plugin <name> falhou ao registrar: <reason>`.
pub fn capability_error(name: &str, reason: &str) -> String {
    format!("Capability plugin {name} falhou ao registrar: {reason}")
}

/// The text that names a plugin whose code threw, timed out or returned
/// garbage, e.g. `Plugin "p" hook "onRunStart" threw: boom`.
pub fn fault(plugin: &str, provider: Option<&str>, call: &str, what: &str) -> String {
    match provider {
        Some(pv) => format!("Plugin \"{plugin}\" provider \"{pv}\" {call} {what}"),
        None => format!("Plugin \"{plugin}\" {call} {what}"),
    }
}

/// One file `loadFromDirectory` considered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntryPlan {
    /// `path.resolve(dir, file)`, the path named in load errors.
    pub full_path: String,
    /// The file to `require` (its real path), when it may be loaded.
    pub load_path: Option<String>,
    /// Why it is not loaded, otherwise.
    pub error: Option<String>,
}

/// Lists `dir` for `loadFromDirectory`: `*.cjs` and `*.js` names in byte
/// order. A file is loaded only if its real path (symlinks resolved) is a
/// regular file inside the real plugin directory; anything else is
/// refused with a reason. A missing directory gives no entries.
pub fn plan_directory(dir: &str) -> Vec<DirEntryPlan> {
    let resolved_dir = node_path::resolve(&[dir]);
    let dir_path = Path::new(&resolved_dir);
    let refuse = |full_path: String, reason: String| DirEntryPlan {
        full_path,
        load_path: None,
        error: Some(reason),
    };
    let meta = match fs::metadata(dir_path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            return vec![refuse(
                resolved_dir.clone(),
                format!("cannot read the plugin directory: {e}"),
            )]
        }
    };
    if !meta.is_dir() {
        return vec![refuse(
            resolved_dir.clone(),
            "the plugin directory is not a directory".into(),
        )];
    }
    let read = match fs::read_dir(dir_path) {
        Ok(r) => r,
        Err(e) => {
            return vec![refuse(
                resolved_dir.clone(),
                format!("cannot read the plugin directory: {e}"),
            )]
        }
    };
    let mut names: Vec<std::ffi::OsString> =
        read.filter_map(Result::ok).map(|e| e.file_name()).collect();
    names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    let real_dir = fs::canonicalize(dir_path).unwrap_or_else(|_| PathBuf::from(&resolved_dir));
    let mut out = Vec::new();
    for raw in names {
        let lossy = raw.to_string_lossy().into_owned();
        if !lossy.ends_with(".cjs") && !lossy.ends_with(".js") {
            continue;
        }
        let full_path = node_path::resolve(&[&resolved_dir, &lossy]);
        if raw.to_str().is_none() {
            out.push(refuse(
                full_path,
                "the file name is not valid UTF-8; not loaded".into(),
            ));
            continue;
        }
        let real = match fs::canonicalize(&full_path) {
            Ok(r) => r,
            Err(e) => {
                out.push(refuse(full_path, format!("cannot resolve the file: {e}")));
                continue;
            }
        };
        if !real.starts_with(&real_dir) {
            out.push(refuse(
                full_path,
                format!(
                    "it resolves to {}, outside the plugin directory {}; not loaded",
                    real.display(),
                    real_dir.display()
                ),
            ));
            continue;
        }
        if !real.is_file() {
            out.push(refuse(full_path, "not a regular file; not loaded".into()));
            continue;
        }
        match real.to_str() {
            Some(s) => out.push(DirEntryPlan {
                full_path,
                load_path: Some(s.to_string()),
                error: None,
            }),
            None => out.push(refuse(
                full_path,
                "the real path is not valid UTF-8; not loaded".into(),
            )),
        }
    }
    out
}

/// The order in which providers are asked, as `(plugin index, provider
/// index)` pairs: plugins in registration order, then each plugin's
/// providers in declaration order. `counts[i]` is the number of providers
/// of the asked kind that plugin `i` has.
pub fn lookup_order(counts: &[u32]) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(counts.iter().map(|c| *c as usize).sum());
    for (pi, n) in counts.iter().enumerate() {
        for qi in 0..*n {
            out.push((pi as u32, qi));
        }
    }
    out
}

/// The indices of the names strictly equal to `wanted` (`contextProviderFor`
/// takes the first, `unregister` removes them all).
pub fn find_named(names: &[JsVal], wanted: &JsVal) -> Vec<u32> {
    names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.strict_eq(wanted))
        .map(|(i, _)| i as u32)
        .collect()
}

/// The `providers` strings of `list()` for each plugin (`tool:<name>`,
/// then `workspace:`, `verifier:`, `context:`), and the summary counts.
pub fn listing(plugins: &[PluginDesc], load_errors: usize) -> Value {
    let mut providers = Vec::with_capacity(plugins.len());
    let mut counts = [0usize; 4];
    for p in plugins {
        let mut list = Vec::new();
        for kind in ProviderKind::ALL {
            for pd in p.list(kind).providers() {
                list.push(format!("{}:{}", kind.short(), pd.name.text));
                counts[kind as usize] += 1;
            }
        }
        providers.push(list);
    }
    let n = plugins.len();
    json!({
        "providers": providers,
        "summary": {
            "total_plugins": n,
            "tool_providers": counts[0],
            "workspace_providers": counts[1],
            "verifier_providers": counts[2],
            "context_providers": counts[3],
            "load_errors": load_errors,
            "pluginsCount": n,
            "toolProviders": counts[0],
            "workspaceProviders": counts[1],
            "verifierProviders": counts[2],
            "contextProviders": counts[3],
            "loadErrors": load_errors,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn desc(v: Value) -> PluginDesc {
        PluginDesc::from_wire(&v).unwrap()
    }

    #[test]
    fn admission() {
        let existing = vec![JsVal::from_wire(Some(&json!("a")))];
        assert_eq!(
            admit(&existing, &desc(json!({"name": "a"})), AdmitMode::Register),
            Admission::Reject("Plugin \"a\" is already registered".into())
        );
        assert_eq!(
            admit(&existing, &desc(json!({"name": ""})), AdmitMode::Register),
            Admission::Reject(
                "Plugin \"\" failed validation: Plugin must have a non-empty string name".into()
            )
        );
        assert_eq!(
            admit(&existing, &desc(json!({"name": ""})), AdmitMode::Load),
            Admission::Skip
        );
        assert_eq!(
            admit(&existing, &desc(json!({"name": "b"})), AdmitMode::Register),
            Admission::Register
        );
        assert_eq!(pick_export("object", true), ExportPick::Default);
        assert_eq!(pick_export("function", false), ExportPick::Module);
        assert!(matches!(
            pick_export("number", false),
            ExportPick::Invalid(_)
        ));
    }

    #[test]
    fn order_and_listing() {
        assert_eq!(lookup_order(&[2, 0, 1]), vec![(0, 0), (0, 1), (2, 0)]);
        let l = listing(
            &[desc(
                json!({"name": "p", "toolProviders": [{"name": "t"}, null], "contextProviders": [{"name": "c"}]}),
            )],
            3,
        );
        assert_eq!(l["providers"], json!([["tool:t", "context:c"]]));
        assert_eq!(l["summary"]["tool_providers"], json!(1));
        assert_eq!(l["summary"]["loadErrors"], json!(3));
    }

    #[cfg(unix)]
    #[test]
    fn directory_plan_refuses_escapes() {
        let base = std::env::temp_dir().join(format!("oxe-plugin-plan-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let dir = base.join("plugins");
        fs::create_dir_all(dir.join("sub.js")).unwrap();
        fs::write(dir.join("b.cjs"), "").unwrap();
        fs::write(dir.join("a.js"), "").unwrap();
        fs::write(dir.join("notes.md"), "").unwrap();
        fs::write(base.join("outside.js"), "").unwrap();
        std::os::unix::fs::symlink(base.join("outside.js"), dir.join("evil.js")).unwrap();
        std::os::unix::fs::symlink(dir.join("a.js"), dir.join("alias.js")).unwrap();
        let plan = plan_directory(dir.to_str().unwrap());
        let names: Vec<_> = plan
            .iter()
            .map(|e| node_path::basename(&e.full_path).to_string())
            .collect();
        assert_eq!(names, ["a.js", "alias.js", "b.cjs", "evil.js", "sub.js"]);
        assert!(
            plan[0].load_path.is_some()
                && plan[1].load_path.is_some()
                && plan[2].load_path.is_some()
        );
        assert!(plan[3]
            .error
            .as_deref()
            .unwrap()
            .contains("outside the plugin directory"));
        assert!(plan[4]
            .error
            .as_deref()
            .unwrap()
            .contains("not a regular file"));
        assert!(plan_directory(base.join("missing").to_str().unwrap()).is_empty());
        let _ = fs::remove_dir_all(&base);
    }
}
