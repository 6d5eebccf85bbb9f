//! `statusAzure` (a compact, read-only view) and `azureDoctor` (the health
//! check that also refreshes `auth-status.json` with its warnings).

use std::path::Path;

use serde_json::{json, Value};

use super::auth::{get_context, AzOptions};
use super::error::AzureResult;
use super::inventory::{load as load_inventory, summarize};
use super::operations::list as list_operations;
use super::runner::Az;
use super::{azure_config, ensure_artifacts, now_iso, AzurePaths, AZURE_CAPABILITY_IDS};
use crate::i18n::Lang;
use crate::runtime_cmd::js::{date_parse, present, to_number, truthy_of};
use oxe_runtime::jsjson::truthy;

/// Whole hours since `synced_at` (`None` when absent or not a date).
fn age_hours(inventory: &Value) -> Option<i64> {
    if !truthy(inventory) {
        return None;
    }
    let ms = date_parse(inventory.get("synced_at"));
    if ms.is_nan() || ms == 0.0 {
        return None;
    }
    let now = oxe_runtime::clock::now_ms() as f64;
    Some(((now - ms) / 3_600_000.0).floor() as i64)
}

fn pending(project: &Path) -> Vec<Value> {
    list_operations(project)
        .into_iter()
        .filter(|o| o.get("phase").and_then(Value::as_str) == Some("waiting_approval"))
        .collect()
}

/// `statusAzure(projectRoot, config)`: never writes.
pub fn status(project: &Path, config: &Value, az: &dyn Az, lang: Lang) -> AzureResult<Value> {
    let o = AzOptions {
        write: false,
        ..AzOptions::default()
    };
    let ctx = get_context(project, az, &o, lang)?;
    let inventory = load_inventory(project);
    let cfg = azure_config(config);
    let max_age = if present(cfg.get("inventory_max_age_hours")) {
        to_number(cfg.get("inventory_max_age_hours"))
    } else {
        24.0
    };
    let age = age_hours(&inventory);
    let stale = age.is_some_and(|a| max_age > 0.0 && (a as f64) > max_age);
    let ops = pending(project);
    Ok(json!({
        "cliInstalled": ctx.cli.installed,
        "cliVersion": ctx.cli.version,
        "loginActive": ctx.auth_status.get("login_active").cloned().unwrap_or(Value::Null),
        "subscription": ctx.profile_text("subscription_name").or_else(|| ctx.profile_text("subscription_id")),
        "cloud": ctx.profile_text("cloud").unwrap_or_else(|| "AzureCloud".into()),
        "resourceGraphEnabled": ctx.auth_status.get("resource_graph_enabled").is_some_and(truthy),
        "inventoryPresent": truthy(&inventory),
        "inventoryStale": stale,
        "inventoryAgeHours": age,
        "inventorySummary": if truthy(&inventory) { truthy_of(inventory.get("summary")).cloned().unwrap_or(Value::Null) } else { Value::Null },
        "pendingOperations": ops.len(),
        "pendingOperationIds": ops.iter().map(|o| o.get("operation_id").cloned().unwrap_or(Value::Null)).collect::<Vec<_>>(),
        "vpnRequired": cfg.get("vpn_required").is_some_and(truthy),
    }))
}

/// `azureDoctor(projectRoot, config, {autoInstall, write})`.
pub fn doctor(
    project: &Path,
    config: &Value,
    az: &dyn Az,
    o: &AzOptions,
    lang: Lang,
) -> AzureResult<Value> {
    let p = if o.write {
        ensure_artifacts(project)?
    } else {
        AzurePaths::new(project)
    };
    let ctx = get_context(project, az, o, lang)?;
    let inventory = load_inventory(project);
    let caps = project.join(".oxe").join("capabilities");
    let missing: Vec<&str> = AZURE_CAPABILITY_IDS
        .iter()
        .copied()
        .filter(|id| !caps.join(id).join("CAPABILITY.md").exists())
        .collect();
    let t = |en: String, pt: String| match lang {
        Lang::En => en,
        Lang::PtBr => pt,
    };
    let mut warnings: Vec<String> = Vec::new();
    let login = ctx.login_active();
    if !ctx.cli.installed {
        warnings.push(t(
            "Azure CLI not installed.".into(),
            "Azure CLI não instalada.".into(),
        ));
    } else if !ctx.cli.ok_version {
        let v = ctx
            .cli
            .version
            .clone()
            .unwrap_or_else(|| t("unknown".into(), "desconhecida".into()));
        warnings.push(t(
            format!("Azure CLI {v} is older than the supported minimum (2.x)."),
            format!("Azure CLI {v} abaixo do mínimo suportado (2.x)."),
        ));
    }
    if ctx.cli.installed && !login {
        warnings.push(t(
            "No Azure session (run oxe-cc azure auth login).".into(),
            "Sessão Azure ausente (rode oxe-cc azure auth login).".into(),
        ));
    }
    if login && ctx.profile_text("subscription_id").is_none() {
        warnings.push(t(
            "No Azure subscription selected.".into(),
            "Nenhuma subscription Azure selecionada.".into(),
        ));
    }
    if !ctx
        .auth_status
        .get("resource_graph_enabled")
        .is_some_and(truthy)
    {
        warnings.push(t(
            "The resource-graph extension is missing or disabled.".into(),
            "Extensão resource-graph ausente ou desabilitada.".into(),
        ));
    }
    if !truthy(&inventory) {
        warnings.push(t(
            "No Azure inventory yet. Run \"oxe-cc azure sync\".".into(),
            "Inventário Azure ausente. Execute \"oxe-cc azure sync\".".into(),
        ));
    }
    if truthy(&inventory) && config.get("azure").is_some_and(|a| a.is_object()) {
        let cfg = azure_config(config);
        let raw = truthy_of(cfg.get("inventory_max_age_hours")).cloned();
        let max_age = raw.map_or(24.0, |v| to_number(Some(&v)));
        let ms = date_parse(inventory.get("synced_at"));
        if !ms.is_nan() && max_age > 0.0 {
            let now = oxe_runtime::clock::now_ms() as f64;
            let age = ((now - ms) / 3_600_000.0).floor();
            if age > max_age {
                let (a, m) = (
                    crate::runtime_cmd::js::num_text(age),
                    crate::runtime_cmd::js::num_text(max_age),
                );
                warnings.push(t(
                    format!("The Azure inventory is stale ({a}h > {m}h)."),
                    format!("Inventário Azure desatualizado ({a}h > {m}h)."),
                ));
            }
        }
    }
    if !missing.is_empty() {
        let list = missing.join(", ");
        warnings.push(t(
            format!("Azure capabilities missing: {list}"),
            format!("Capabilities Azure ausentes: {list}"),
        ));
    }
    if let Some(op) = pending(project).first() {
        let id = super::text(op.get("operation_id"));
        warnings.push(t(
            format!("Azure operation waiting for approval (apply --approve not run): {id}"),
            format!("Operação Azure pendente sem apply final: {id}"),
        ));
    }
    let mut auth = match &ctx.auth_status {
        Value::Object(m) => m.clone(),
        _ => serde_json::Map::new(),
    };
    auth.insert("checked_at".into(), json!(now_iso()));
    auth.insert("warnings".into(), json!(warnings));
    let auth = Value::Object(auth);
    if o.write {
        let profile = if truthy(&ctx.profile) {
            ctx.profile.clone()
        } else {
            super::default_profile()
        };
        super::auth::write_auth_artifacts(project, Some(&profile), Some(&auth))?;
    }
    let summary = truthy_of(inventory.get("summary"))
        .filter(|_| truthy(&inventory))
        .cloned()
        .unwrap_or_else(|| summarize(&[]));
    Ok(json!({
        "healthy": warnings.is_empty(),
        "warnings": warnings,
        "profile": ctx.profile,
        "authStatus": auth,
        "inventory": inventory,
        "inventorySummary": summary,
        "paths": p.to_value(),
    }))
}

/// The `azure` object of the health report (`null` when the Azure context
/// is not active): a read-only doctor run (nothing written, no extension
/// installed) plus the inventory age and the operations waiting for
/// approval.
pub fn health_summary(
    project: &Path,
    config: &Value,
    vars: &std::collections::BTreeMap<String, String>,
    lang: Lang,
) -> Value {
    if !super::is_context_enabled(project, config) {
        return Value::Null;
    }
    let az = super::runner::SystemAz::new(project, vars.clone(), None);
    let o = AzOptions {
        write: false,
        auto_install: false,
        ..AzOptions::default()
    };
    let Ok(report) = doctor(project, config, &az, &o, lang) else {
        return Value::Null;
    };
    let synced = truthy_of(report["inventory"].get("synced_at")).cloned();
    let cfg = azure_config(config);
    let max_age = if present(cfg.get("inventory_max_age_hours")) {
        to_number(cfg.get("inventory_max_age_hours"))
    } else {
        24.0
    };
    let stale = match &synced {
        Some(at) => {
            let ms = date_parse(Some(at));
            if ms.is_nan() {
                json!({"stale": false, "hours": null})
            } else {
                let now = oxe_runtime::clock::now_ms() as f64;
                let age = ((now - ms) / 3_600_000.0).floor();
                json!({"stale": max_age > 0.0 && age > max_age, "hours": age as i64})
            }
        }
        None => json!({"stale": true, "hours": null}),
    };
    let ops = list_operations(project);
    let waiting = ops
        .iter()
        .filter(|o| o.get("phase").and_then(Value::as_str) == Some("waiting_approval"))
        .count();
    json!({
        "profile": report["profile"],
        "authStatus": report["authStatus"],
        "inventorySummary": report["inventorySummary"],
        "inventoryPath": report["paths"]["inventory"],
        "operationsPath": report["paths"]["operationsDir"],
        "inventorySyncedAt": synced,
        "inventoryStale": stale,
        "pendingOperations": waiting,
        "lastOperation": ops.first().cloned().unwrap_or(Value::Null),
        "warnings": report["warnings"],
    })
}

/// The Azure steps of `suggestNextStep` after the sign-in check: select a
/// subscription (none in `profile.json`), then sync (no inventory, or one
/// older than `azure.inventory_max_age_hours`, default 24).
pub fn next_step_after_login(project: &Path, config: &Value, lang: Lang) -> Option<Value> {
    let profile = super::auth::load_profile(project);
    let t = |en: &str, pt: &str| super::tr(lang, en, pt);
    let files = [
        ".oxe/cloud/azure/profile.json",
        ".oxe/cloud/azure/auth-status.json",
    ];
    if truthy_of(profile.get("subscription_id")).is_none() {
        return Some(json!({
            "step": "azure-auth",
            "cursorCmd": "npx oxe-cc azure auth set-subscription --subscription <id-ou-nome>",
            "reason": t(
                "Azure context is active but no subscription is selected yet",
                "Contexto Azure ativo, mas a subscription ainda não foi definida",
            ),
            "artifacts": files,
        }));
    }
    let cfg = azure_config(config);
    let max_age = if present(cfg.get("inventory_max_age_hours")) {
        to_number(cfg.get("inventory_max_age_hours"))
    } else {
        24.0
    };
    let inventory = load_inventory(project);
    let ms = date_parse(inventory.get("synced_at"));
    let now = oxe_runtime::clock::now_ms() as f64;
    let stale = !truthy(&inventory)
        || (max_age > 0.0 && !ms.is_nan() && (now - ms) / 3_600_000.0 > max_age);
    stale.then(|| {
        json!({
            "step": "azure-sync",
            "cursorCmd": "npx oxe-cc azure sync",
            "reason": t(
                "Azure context is active but the inventory is missing or stale",
                "Contexto Azure ativo, mas o inventário está ausente ou desatualizado",
            ),
            "artifacts": [".oxe/cloud/azure/inventory.json", ".oxe/cloud/azure/INVENTORY.md"],
        })
    })
}
