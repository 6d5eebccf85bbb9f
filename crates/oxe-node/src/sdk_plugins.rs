//! SDK namespace `plugins`: adapters to `oxe_cli::plugins_cmd`. Values
//! cross as JSON text; `lib/sdk/plugins.js` requires the plugin files the
//! core names and performs the hook calls.

use std::path::{Path, PathBuf};

use napi_derive::napi;
use oxe_cli::plugins_cmd;
use oxe_runtime::jsjson;
use oxe_runtime::OxeError;
use serde_json::Value;

use crate::guard::guard;

fn parse(what: &str, text: &str) -> Result<Value, OxeError> {
    jsjson::parse(text).map_err(|e| OxeError::Arg(format!("{what}: invalid JSON ({e})")))
}

/// What `loadPlugins` must require (see `plugins_cmd::load_plan`).
#[napi(js_name = "sdkPluginsLoadPlan")]
pub fn sdk_plugins_load_plan(root: String) -> napi::Result<String, String> {
    guard("loadPlugins", || {
        Ok(jsjson::to_line(&plugins_cmd::load_plan(Path::new(&root))))
    })
}

/// `null` for a valid plugin module, else the error text.
#[napi(js_name = "sdkPluginsCheckModule")]
pub fn sdk_plugins_check_module(
    desc: String,
    external: bool,
) -> napi::Result<Option<String>, String> {
    guard("loadPlugins", || {
        Ok(plugins_cmd::check_module(
            &parse("module", &desc)?,
            external,
        ))
    })
}

/// `resolvePluginSources(projectRoot, entries)` with entries described by
/// the glue.
#[napi(js_name = "sdkPluginsResolveSources")]
pub fn sdk_plugins_resolve_sources(root: String, entries: String) -> napi::Result<String, String> {
    guard("resolvePluginSources", || {
        let v = parse("entries", &entries)?;
        let list = v.as_array().cloned().unwrap_or_default();
        Ok(jsjson::to_line(&plugins_cmd::resolve_sources(
            Path::new(&root),
            &list,
        )))
    })
}

/// `validatePlugins` once the plugins were loaded (`errors` as JSON).
#[napi(js_name = "sdkPluginsValidate")]
pub fn sdk_plugins_validate(root: String, errors: String) -> napi::Result<String, String> {
    guard("validatePlugins", || {
        let v = parse("errors", &errors)?;
        let list = v.as_array().cloned().unwrap_or_default();
        Ok(jsjson::to_line(&plugins_cmd::validate(
            Path::new(&root),
            &list,
        )))
    })
}

/// `initPluginsDir(projectRoot)`.
#[napi(js_name = "sdkPluginsInitDir")]
pub fn sdk_plugins_init_dir(root: String, package_root: String) -> napi::Result<(), String> {
    guard("initPluginsDir", || {
        plugins_cmd::init_dir(Path::new(&root), &PathBuf::from(package_root))
            .map_err(|e| OxeError::Arg(format!("initPluginsDir: {e}")))
    })
}

/// `installNpmPlugin(projectRoot, pkg, version?)`.
#[napi(js_name = "sdkPluginsInstallNpm")]
pub fn sdk_plugins_install_npm(
    root: String,
    pkg: String,
    version: Option<String>,
) -> napi::Result<String, String> {
    guard("installNpmPlugin", || {
        Ok(jsjson::to_line(&plugins_cmd::install_npm(
            Path::new(&root),
            &pkg,
            version.as_deref(),
        )))
    })
}
