//! The Azure provider of 1.4.0 (`bin/lib/oxe-azure.cjs`): it drives the
//! Azure CLI (`az`) to read the signed-in account, sync a resource
//! inventory through Resource Graph, read Service Bus / Event Grid / SQL
//! resources, and plan or apply the few mutations 1.4.0 knows, each behind
//! a checkpoint.
//!
//! Map: [`runner`] (finding and running `az`: argument lists, never a
//! shell, with a timeout), [`error`] (`OXE_E_AZURE_*`), [`redact`],
//! [`auth`] (CLI detection, account context, login, subscription),
//! [`inventory`] (Resource Graph sync, search, diff, Markdown views),
//! [`commands`] (which `az` arguments a read or a mutation needs, and the
//! safety rules of a mutation), [`operations`] (plan / apply / read, the
//! operation files, checkpoints and the run's provider context),
//! [`status`] (status and doctor), [`capabilities`] (the five Azure
//! capability manifests) and [`cmd`] (`oxe-cc azure …`).
//!
//! Everything works on JSON values: the files under `.oxe/cloud/azure/`
//! are shared with 1.4.0 and the dashboard, and must keep keys we do not
//! know. Every file is written atomically.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::i18n::Lang;

pub mod auth;
pub mod capabilities;
pub mod cmd;
pub mod commands;
pub mod error;
pub mod inventory;
pub mod operations;
pub mod redact;
pub mod runner;
pub mod status;
#[cfg(test)]
mod tests;

pub use error::{AzureError, AzureResult};

/// The oldest Azure CLI major version the provider supports.
pub const MIN_AZURE_CLI_MAJOR: i64 = 2;

/// The capability ids the provider installs, in 1.4.0's order.
pub const AZURE_CAPABILITY_IDS: [&str; 5] = [
    "azure-auth",
    "azure-resource-graph",
    "azure-servicebus",
    "azure-eventgrid",
    "azure-sql-admin",
];

/// The Resource Graph query of `sync` (a format value: it is stored in
/// `inventory.json`).
pub const RESOURCE_GRAPH_QUERY: &str =
    "Resources | project id, name, type, resourceGroup, location, subscriptionId, tags, sku=tostring(sku.name)";

/// `DEFAULT_AZURE_PROFILE`, keys in 1.4.0's order.
pub fn default_profile() -> Value {
    json!({
        "cloud": "AzureCloud",
        "tenant_id": null,
        "subscription_id": null,
        "subscription_name": null,
        "auth_mode": "unknown",
        "default_resource_group": "",
        "preferred_locations": [],
        "last_auth_check": null,
        "resource_graph_enabled": false,
    })
}

/// `azurePaths(projectRoot)`.
#[derive(Debug, Clone)]
pub struct AzurePaths {
    pub root: PathBuf,
    pub profile: PathBuf,
    pub auth_status: PathBuf,
    pub inventory: PathBuf,
    pub inventory_md: PathBuf,
    pub service_bus_md: PathBuf,
    pub event_grid_md: PathBuf,
    pub sql_md: PathBuf,
    pub operations_dir: PathBuf,
}

impl AzurePaths {
    pub fn new(project: &Path) -> AzurePaths {
        let root = project.join(".oxe").join("cloud").join("azure");
        AzurePaths {
            profile: root.join("profile.json"),
            auth_status: root.join("auth-status.json"),
            inventory: root.join("inventory.json"),
            inventory_md: root.join("INVENTORY.md"),
            service_bus_md: root.join("SERVICEBUS.md"),
            event_grid_md: root.join("EVENTGRID.md"),
            sql_md: root.join("SQL.md"),
            operations_dir: root.join("operations"),
            root,
        }
    }

    /// The object 1.4.0 returns, keys in its order.
    pub fn to_value(&self) -> Value {
        let p = |p: &Path| Value::String(p.to_string_lossy().into_owned());
        json!({
            "root": p(&self.root),
            "profile": p(&self.profile),
            "authStatus": p(&self.auth_status),
            "inventory": p(&self.inventory),
            "inventoryMd": p(&self.inventory_md),
            "serviceBusMd": p(&self.service_bus_md),
            "eventGridMd": p(&self.event_grid_md),
            "sqlMd": p(&self.sql_md),
            "operationsDir": p(&self.operations_dir),
        })
    }
}

/// `ensureAzureArtifacts(projectRoot)`: creates the provider folder and its
/// `operations/` folder.
pub fn ensure_artifacts(project: &Path) -> AzureResult<AzurePaths> {
    let p = AzurePaths::new(project);
    std::fs::create_dir_all(&p.operations_dir)
        .map_err(|e| AzureError::Store(oxe_runtime::store::StoreError::io(&p.operations_dir, e)))?;
    Ok(p)
}

/// `isAzureContextEnabled(projectRoot, config)`.
pub fn is_context_enabled(project: &Path, config: &Value) -> bool {
    let p = AzurePaths::new(project);
    let caps = project.join(".oxe").join("capabilities");
    let enabled = config
        .get("azure")
        .and_then(|a| a.get("enabled"))
        .is_some_and(oxe_runtime::jsjson::truthy);
    enabled
        || p.root.exists()
        || p.profile.exists()
        || p.inventory.exists()
        || AZURE_CAPABILITY_IDS
            .iter()
            .any(|id| caps.join(id).join("CAPABILITY.md").exists())
}

/// `config.azure` when it is an object, else an empty object.
pub fn azure_config(config: &Value) -> Map<String, Value> {
    match config.get("azure") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    }
}

/// A file read as JSON: `None` when absent, unreadable or not JSON.
pub fn read_json(path: &Path) -> Option<Value> {
    crate::runtime_cmd::ops::read_json(path)
}

/// `JSON.stringify(v, null, 2)` written atomically.
pub fn write_json(path: &Path, v: &Value) -> AzureResult<()> {
    oxe_runtime::store::write_json(path, v)?;
    Ok(())
}

/// A text file written atomically.
pub fn write_text(path: &Path, text: &str) -> AzureResult<()> {
    oxe_runtime::store::write_atomic(path, text.as_bytes())?;
    Ok(())
}

/// `new Date().toISOString()`.
pub fn now_iso() -> String {
    oxe_runtime::clock::now_iso()
}

/// English or Brazilian Portuguese.
pub fn tr(lang: Lang, en: &str, pt: &str) -> String {
    crate::i18n::pick(lang, en, pt)
}

/// `String(x || '')`.
pub fn text(v: Option<&Value>) -> String {
    crate::runtime_cmd::js::text_or(v, "")
}

/// `x || fallback` for a value that should be a string.
pub fn truthy_text(v: Option<&Value>) -> Option<String> {
    crate::runtime_cmd::js::truthy_of(v).map(oxe_runtime::jsjson::js_string)
}

/// An approximation of `a.localeCompare(b)` good for resource names and
/// ISO timestamps: case-insensitive first, then lower case before upper
/// case, then code points.
pub fn locale_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let fold = |s: &str| s.to_lowercase();
    fold(a)
        .cmp(&fold(b))
        .then_with(|| {
            let inv = |s: &str| -> String {
                s.chars()
                    .map(|c| {
                        if c.is_uppercase() {
                            c.to_lowercase().next().unwrap_or(c)
                        } else {
                            c.to_uppercase().next().unwrap_or(c)
                        }
                    })
                    .collect()
            };
            inv(a).cmp(&inv(b))
        })
        .then_with(|| a.cmp(b))
}
