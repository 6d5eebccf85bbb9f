//! SDK namespaces `runtimeSemantics` and `workflows`, and `renderAssets`:
//! adapters to `oxe_cli::runtime_semantics`, `oxe_cli::workflows` and
//! `oxe_cli::assets_render`. Values cross as JSON text.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use napi_derive::napi;
use oxe_cli::assets_render::{render_assets, RenderError};
use oxe_cli::i18n::Lang;
use oxe_cli::runtime_semantics::{sdk, Semantics};
use oxe_cli::workflows;
use oxe_runtime::jsjson;
use oxe_runtime::OxeError;
use serde_json::Value;

use crate::guard::guard;

/// One registry per package root, read once (1.4.0 reads it when the
/// module loads).
fn semantics(package_root: &str) -> Arc<Semantics> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<Semantics>>>> = OnceLock::new();
    let key = PathBuf::from(package_root);
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = match cache.lock() {
        Ok(m) => m,
        Err(poisoned) => poisoned.into_inner(),
    };
    map.entry(key.clone())
        .or_insert_with(|| Arc::new(Semantics::load(&key)))
        .clone()
}

/// The `runtimeSemantics` constants of the package at `packageRoot`.
#[napi(js_name = "sdkSemanticsConstants")]
pub fn sdk_semantics_constants(package_root: String) -> napi::Result<String, String> {
    guard("runtimeSemantics", || {
        Ok(jsjson::to_line(&sdk::constants(&semantics(&package_root))))
    })
}

/// Member `name` of `runtimeSemantics` with `args` (a JSON array).
#[napi(js_name = "sdkSemanticsCall")]
pub fn sdk_semantics_call(
    package_root: String,
    name: String,
    args: String,
) -> napi::Result<String, String> {
    guard(&name.clone(), || {
        let args = match jsjson::parse(&args) {
            Ok(Value::Array(a)) => a,
            Ok(_) => return Err(OxeError::Arg(format!("{name}: arguments must be an array"))),
            Err(e) => return Err(OxeError::json(name.clone(), e)),
        };
        let sem = semantics(&package_root);
        sdk::call(&sem, &name, &args)
            .map(|v| jsjson::to_line(&v))
            .ok_or_else(|| OxeError::Arg(format!("runtimeSemantics has no member {name}")))
    })
}

/// `resolveWorkflowsDir(project)`.
#[napi(js_name = "sdkWorkflowsResolveDir")]
pub fn sdk_workflows_resolve_dir(project: String) -> napi::Result<Option<String>, String> {
    guard("resolveWorkflowsDir", || {
        Ok(workflows::resolve_dir(Path::new(&project)))
    })
}

/// `listWorkflowMdFiles(dir)`.
#[napi(js_name = "sdkWorkflowsList")]
pub fn sdk_workflows_list(dir: String) -> napi::Result<Vec<String>, String> {
    guard("listWorkflowMdFiles", || {
        Ok(workflows::list_md_files(Path::new(&dir)))
    })
}

/// `diffWorkflows(expectedDir, actualDir)`.
#[napi(js_name = "sdkWorkflowsDiff")]
pub fn sdk_workflows_diff(expected: String, actual: String) -> napi::Result<String, String> {
    guard("diffWorkflows", || {
        Ok(jsjson::to_line(&workflows::diff(
            Path::new(&expected),
            Path::new(&actual),
        )))
    })
}

/// `validateWorkflowShapes(dir, {maxBytesSoft})`; messages in the language
/// of `env`.
#[napi(js_name = "sdkWorkflowsValidate")]
pub fn sdk_workflows_validate(
    dir: Option<String>,
    max_bytes_soft: Option<f64>,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("validateWorkflowShapes", || {
        let vars: BTreeMap<String, String> = env.into_iter().collect();
        let lang = Lang::detect(&vars, None);
        Ok(jsjson::to_line(&workflows::validate_shapes(
            dir.as_deref().map(Path::new),
            max_bytes_soft,
            lang,
        )))
    })
}

/// `renderAssets(packageRoot)`: renders the package's `assets/` into the
/// folders 1.4.0 ships; returns the summary as JSON text.
#[napi(js_name = "renderAssets")]
pub fn sdk_render_assets(package_root: String) -> napi::Result<String, String> {
    guard("renderAssets", || {
        render_assets(Path::new(&package_root))
            .map(|v| jsjson::to_line(&v))
            .map_err(|e| match e {
                RenderError::Store(s) => OxeError::Store(s),
                RenderError::NoAssets(_) => OxeError::Path(e.to_string()),
                RenderError::BadSource { .. } => OxeError::Arg(e.to_string()),
            })
    })
}
