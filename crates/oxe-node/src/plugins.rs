//! plugins binding: ABI constants, manifest/validation, registry rules,
//! capability matrix and capability adapter. Plugin descriptions and
//! results cross as JSON text.

use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::plugins::abi::{self, PluginDesc};
use oxe_runtime::plugins::capability_adapter::{self as cap, CapabilityManifest};
use oxe_runtime::plugins::capability_matrix::{self as matrix, Select};
use oxe_runtime::plugins::js::JsVal;
use oxe_runtime::plugins::{manifest, registry};
use oxe_runtime::OxeError;
use serde_json::{json, Value};

use crate::guard::guard;

fn desc(what: &str, text: &str) -> Result<PluginDesc, OxeError> {
    PluginDesc::from_wire(&parse_wire(what, text)?)
}

fn jsvals(what: &str, text: &str) -> Result<Vec<JsVal>, OxeError> {
    match parse_wire(what, text)? {
        Value::Array(a) => Ok(a.iter().map(|v| JsVal::from_wire(Some(v))).collect()),
        _ => Err(OxeError::Arg(format!("{what} must be an array"))),
    }
}

/// `{abi_version, tool_action_types, verifier_check_types, kinds}`; each
/// kind is `{field, methods, lookup, probe}` (the methods described, the
/// method lookups call, the types `extractManifest` probes).
#[napi(js_name = "pluginAbiConstants")]
pub fn plugin_abi_constants() -> napi::Result<String, String> {
    guard("pluginAbiConstants", || {
        let kinds: Vec<Value> = abi::ProviderKind::ALL
            .iter()
            .map(|k| {
                let probe: Option<&[&str]> = match k {
                    abi::ProviderKind::Tool => Some(&abi::TOOL_ACTION_TYPES),
                    abi::ProviderKind::Verifier => Some(&abi::VERIFIER_CHECK_TYPES),
                    _ => None,
                };
                json!({
                    "field": k.field(),
                    "methods": k.required_methods(),
                    "lookup": k.lookup_method(),
                    "probe": probe,
                })
            })
            .collect();
        Ok(jsjson::to_line(&json!({
            "abi_version": abi::CURRENT_ABI_VERSION,
            "tool_action_types": abi::TOOL_ACTION_TYPES,
            "verifier_check_types": abi::VERIFIER_CHECK_TYPES,
            "kinds": kinds,
        })))
    })
}

#[napi(js_name = "pluginIsAbiCompatible")]
pub fn plugin_is_abi_compatible(version: String) -> napi::Result<bool, String> {
    guard("isAbiCompatible", || Ok(abi::is_abi_compatible(&version)))
}

/// `validatePlugin`: `{valid, errors, warnings}` as JSON.
#[napi(js_name = "pluginValidate")]
pub fn plugin_validate(plugin: String) -> napi::Result<String, String> {
    guard("validatePlugin", || {
        Ok(jsjson::to_line(
            &manifest::validate(&desc("plugin", &plugin)?).to_json(),
        ))
    })
}

/// `extractManifest` from a description carrying the `supports()` probes.
#[napi(js_name = "pluginExtractManifest")]
pub fn plugin_extract_manifest(plugin: String) -> napi::Result<String, String> {
    guard("extractManifest", || {
        let d = desc("plugin", &plugin)?;
        if let Some(t) = &d.not_object {
            return Err(OxeError::Arg(format!(
                "extractManifest: plugin must be an object, got {t}"
            )));
        }
        Ok(jsjson::to_line(&manifest::extract(&d)))
    })
}

/// `{action: 'register'|'skip'|'reject', message?}`; `mode` is `register`
/// or `load`; `existing` the names of the registered plugins.
#[napi(js_name = "pluginAdmit")]
pub fn plugin_admit(
    existing: String,
    plugin: String,
    mode: String,
) -> napi::Result<String, String> {
    guard("PluginRegistry.register", || {
        let names = jsvals("existing names", &existing)?;
        let mode = match mode.as_str() {
            "load" => registry::AdmitMode::Load,
            _ => registry::AdmitMode::Register,
        };
        let out = match registry::admit(&names, &desc("plugin", &plugin)?, mode) {
            registry::Admission::Register => json!({"action": "register"}),
            registry::Admission::Skip => json!({"action": "skip"}),
            registry::Admission::Reject(m) => json!({"action": "reject", "message": m}),
        };
        Ok(jsjson::to_line(&out))
    })
}

/// `"default"`, `"module"`, or the reason a module is not a plugin.
#[napi(js_name = "pluginPickExport")]
pub fn plugin_pick_export(
    module_type: String,
    default_truthy: bool,
) -> napi::Result<String, String> {
    guard("loadFromDirectory", || {
        Ok(jsjson::to_line(
            &match registry::pick_export(&module_type, default_truthy) {
                registry::ExportPick::Default => json!({"pick": "default"}),
                registry::ExportPick::Module => json!({"pick": "module"}),
                registry::ExportPick::Invalid(r) => json!({"pick": null, "reason": r}),
            },
        ))
    })
}

/// `[{full_path, load_path, error}]` for `loadFromDirectory(dir)`.
#[napi(js_name = "pluginPlanDirectory")]
pub fn plugin_plan_directory(dir: String) -> napi::Result<String, String> {
    guard("loadFromDirectory", || {
        let plan: Vec<Value> = registry::plan_directory(&dir)
            .into_iter()
            .map(|e| json!({"full_path": e.full_path, "load_path": e.load_path, "error": e.error}))
            .collect();
        Ok(jsjson::to_line(&Value::Array(plan)))
    })
}

/// Texts of load errors and faults: `kind` is `load` (`a` = path, `b` =
/// reason), `capability` (`a` = plugin name, `b` = reason) or `fault`
/// (`a` = JSON `{plugin, provider, call, what}`).
#[napi(js_name = "pluginMessage")]
pub fn plugin_message(kind: String, a: String, b: String) -> napi::Result<String, String> {
    guard("pluginMessage", || match kind.as_str() {
        "load" => Ok(registry::load_error(&a, &b)),
        "capability" => Ok(registry::capability_error(&a, &b)),
        "fault" => {
            let v = parse_wire("fault", &a)?;
            let s = |k: &str| v.get(k).map(jsjson::js_string);
            Ok(registry::fault(
                &s("plugin").unwrap_or_default(),
                s("provider").as_deref(),
                &s("call").unwrap_or_default(),
                &s("what").unwrap_or_default(),
            ))
        }
        other => Err(OxeError::Arg(format!(
            "unknown plugin message kind {other:?}"
        ))),
    })
}

/// Flattened `(plugin, provider)` pairs in lookup order.
#[napi(js_name = "pluginLookupOrder")]
pub fn plugin_lookup_order(counts: Vec<u32>) -> napi::Result<Vec<u32>, String> {
    guard("PluginRegistry lookup", || {
        Ok(registry::lookup_order(&counts)
            .into_iter()
            .flat_map(|(p, q)| [p, q])
            .collect())
    })
}

/// Indices of the names strictly equal to `wanted`, in order.
#[napi(js_name = "pluginFindNamed")]
pub fn plugin_find_named(names: String, wanted: String) -> napi::Result<Vec<u32>, String> {
    guard("PluginRegistry lookup", || {
        let names = jsvals("names", &names)?;
        let wanted = JsVal::from_wire(Some(&parse_wire("name", &wanted)?));
        Ok(registry::find_named(&names, &wanted))
    })
}

/// `{providers: [[...]], summary: {...}}` for `list()` and `summary()`.
#[napi(js_name = "pluginListing")]
pub fn plugin_listing(plugins: String, load_errors: u32) -> napi::Result<String, String> {
    guard("PluginRegistry.list", || {
        let descs = match parse_wire("plugins", &plugins)? {
            Value::Array(a) => a
                .iter()
                .map(PluginDesc::from_wire)
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(OxeError::Arg("plugins must be an array".into())),
        };
        Ok(jsjson::to_line(&registry::listing(
            &descs,
            load_errors as usize,
        )))
    })
}

/// `buildMatrix` from the snapshot and the lookup winners' names.
#[napi(js_name = "pluginBuildMatrix")]
pub fn plugin_build_matrix(
    snapshot: String,
    tool_winners: String,
    verifier_winners: String,
) -> napi::Result<String, String> {
    guard("buildMatrix", || {
        let snap = parse_wire("snapshot", &snapshot)?;
        let tw = jsvals("tool winners", &tool_winners)?;
        let vw = jsvals("verifier winners", &verifier_winners)?;
        Ok(jsjson::to_line(&matrix::build(&snap, &tw, &vw)?))
    })
}

/// Indices of the matrix entries a selection keeps.
#[napi(js_name = "pluginMatrixSelect")]
pub fn plugin_matrix_select(
    op: String,
    entries: String,
    arg: String,
) -> napi::Result<Vec<u32>, String> {
    guard("capability matrix", || {
        let entries = match parse_wire("entries", &entries)? {
            Value::Array(a) => a,
            _ => return Err(OxeError::Arg("matrix.entries must be an array".into())),
        };
        let sel = Select::parse(&op, &parse_wire("selection", &arg)?)?;
        Ok(matrix::select(&entries, &sel))
    })
}

/// The capability manifests of a project, as JSON.
#[napi(js_name = "capabilityScan")]
pub fn capability_scan(project_root: String) -> napi::Result<String, String> {
    guard("loadCapabilityPlugins", || {
        let all: Vec<Value> = cap::scan(&project_root)
            .iter()
            .map(CapabilityManifest::to_json)
            .collect();
        Ok(jsjson::to_line(&Value::Array(all)))
    })
}

/// The static fields of a capability plugin and its providers.
#[napi(js_name = "capabilityShape")]
pub fn capability_shape(manifest: String) -> napi::Result<String, String> {
    guard("createCapabilityPlugin", || {
        let m = CapabilityManifest::from_json(&parse_wire("manifest", &manifest)?)?;
        Ok(jsjson::to_line(&cap::plugin_shape(&m)))
    })
}

/// The tool provider's `invoke`: ToolInvocationResult as JSON.
#[napi(js_name = "capabilityInvoke")]
pub fn capability_invoke(
    project_root: String,
    manifest: String,
    input: String,
    exec_path: String,
) -> napi::Result<String, String> {
    guard("capability invoke", || {
        let m = CapabilityManifest::from_json(&parse_wire("manifest", &manifest)?)?;
        let input = parse_wire("input", &input)?;
        Ok(jsjson::to_line(&cap::invoke(
            &project_root,
            &m,
            &input,
            &exec_path,
        )?))
    })
}

/// The verifier provider's `execute`: VerificationResult as JSON.
#[napi(js_name = "capabilityExecute")]
pub fn capability_execute(
    project_root: String,
    manifest: String,
    input: String,
    exec_path: String,
) -> napi::Result<String, String> {
    guard("capability execute", || {
        let m = CapabilityManifest::from_json(&parse_wire("manifest", &manifest)?)?;
        let input = parse_wire("input", &input)?;
        Ok(jsjson::to_line(&cap::execute(
            &project_root,
            &m,
            &input,
            &exec_path,
        )?))
    })
}
