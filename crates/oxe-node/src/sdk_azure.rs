//! SDK namespace `azure`: adapters to `oxe_cli::azure`. One entry point,
//! `sdkAzure(method, projectRoot, args, env)`: the remaining arguments as a
//! JSON array, the caller's environment as an object, the answer as JSON
//! text. Provider failures become JS errors with their `OXE_E_AZURE_*`
//! code; `lib/sdk/azure.js` only marshals.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use napi_derive::napi;
use oxe_cli::azure::auth::{self, AzOptions};
use oxe_cli::azure::operations::{self, ApplyFlags};
use oxe_cli::azure::runner::SystemAz;
use oxe_cli::azure::{self as az, inventory, status, AzureError, AzurePaths};
use oxe_cli::i18n::Lang;
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson::{self, truthy};
use oxe_runtime::OxeError;
use serde_json::{json, Value};

use crate::guard::guard;

enum Fail {
    Azure(AzureError),
    Core(OxeError),
}

impl From<AzureError> for Fail {
    fn from(e: AzureError) -> Self {
        Fail::Azure(e)
    }
}

impl From<OxeError> for Fail {
    fn from(e: OxeError) -> Self {
        Fail::Core(e)
    }
}

fn flag(o: &Value, k: &str) -> bool {
    o.get(k).is_some_and(truthy)
}

/// 1.4.0's `options` object.
fn options(o: &Value) -> AzOptions {
    AzOptions {
        write: o.get("write") != Some(&Value::Bool(false)),
        auto_install: o.get("autoInstall") != Some(&Value::Bool(false)),
        diff: flag(o, "diff"),
        inherit: flag(o, "inherit"),
    }
}

/// `az` with `{...process.env, ...options.env}`, run in the project.
fn runner(root: &Path, env: &BTreeMap<String, String>, o: &Value) -> SystemAz {
    let mut vars = env.clone();
    if let Some(Value::Object(extra)) = o.get("env") {
        for (k, v) in extra {
            if !v.is_null() {
                vars.insert(k.clone(), jsjson::js_string(v));
            }
        }
    }
    let timeout = o
        .get("timeoutMs")
        .and_then(Value::as_f64)
        .filter(|t| t.is_finite() && *t > 0.0)
        .map(|t| t as u64);
    SystemAz::new(root, vars, timeout)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        other => Some(jsjson::js_string(other)),
    }
}

fn call(
    method: &str,
    root: &str,
    a: &Value,
    env: &BTreeMap<String, String>,
    lang: Lang,
) -> Result<Value, Fail> {
    let root = Path::new(root);
    let nth = |i: usize| a.get(i).cloned().unwrap_or(Value::Null);
    let items = |v: &Value| v.as_array().cloned().unwrap_or_default();
    Ok(match method {
        "constants" => json!({
            "MIN_AZURE_CLI_MAJOR": az::MIN_AZURE_CLI_MAJOR,
            "AZURE_CAPABILITY_IDS": az::AZURE_CAPABILITY_IDS,
            "RESOURCE_GRAPH_QUERY": az::RESOURCE_GRAPH_QUERY,
            "DEFAULT_AZURE_PROFILE": az::default_profile(),
        }),
        "azurePaths" => AzurePaths::new(root).to_value(),
        "ensureAzureArtifacts" => az::ensure_artifacts(root)?.to_value(),
        "isAzureContextEnabled" => json!(az::is_context_enabled(root, &nth(0))),
        "detectAzureCli" => {
            let o = nth(0);
            auth::detect_cli(&runner(root, env, &o), lang).to_value()
        }
        "loadAzureProfile" => auth::load_profile(root),
        "loadAzureAuthStatus" => auth::load_auth_status(root),
        "loadAzureInventory" => inventory::load(root),
        "listAzureOperations" => Value::Array(operations::list(root)),
        "summarizeInventory" => inventory::summarize(&items(&nth(0))),
        "normalizeInventoryItem" => inventory::normalize_item(&nth(0)),
        "searchAzureInventory" => {
            let (q, f) = (nth(0), nth(1));
            let q = text(&q).unwrap_or_default();
            let kind = f.get("type").filter(|v| truthy(v)).map(jsjson::js_string);
            let group = f
                .get("resourceGroup")
                .filter(|v| truthy(v))
                .map(jsjson::js_string);
            Value::Array(inventory::search(
                root,
                &q,
                kind.as_deref(),
                group.as_deref(),
            ))
        }
        "diffInventory" => inventory::diff(&items(&nth(0)), &items(&nth(1))),
        "statusAzure" => {
            let o = nth(1);
            status::status(root, &nth(0), &runner(root, env, &o), lang)?
        }
        "ensureAzureCapabilities" => json!(az::capabilities::ensure(root)?),
        "getAzureContext" => {
            let o = nth(0);
            auth::get_context(root, &runner(root, env, &o), &options(&o), lang)?.to_value()
        }
        "loginAzure" => {
            let o = nth(0);
            let tenant = o.get("tenant").and_then(text).filter(|t| !t.is_empty());
            auth::login(
                root,
                &runner(root, env, &o),
                tenant.as_deref(),
                &options(&o),
                lang,
            )?
            .to_value()
        }
        "setAzureSubscription" => {
            let o = nth(1);
            let sub = text(&nth(0)).unwrap_or_default();
            auth::set_subscription(root, &runner(root, env, &o), &sub, &options(&o), lang)?
                .to_value()
        }
        "syncAzureInventory" => {
            let o = nth(0);
            inventory::sync(root, &runner(root, env, &o), &options(&o), lang)?
        }
        "executeAzureRead" | "planAzureOperation" | "applyAzureOperation" => {
            let session = text(&nth(0)).filter(|s| !s.is_empty());
            let domain = text(&nth(1)).unwrap_or_default();
            let (input, o) = if method == "executeAzureRead" {
                (nth(3), nth(4))
            } else {
                (nth(2), nth(3))
            };
            let input = if input.is_object() { input } else { json!({}) };
            let run = runner(root, env, &o);
            let opts = options(&o);
            let s = session.as_deref();
            match method {
                "executeAzureRead" => {
                    let verb = text(&nth(2)).unwrap_or_default();
                    operations::read(root, s, &domain, &verb, &input, &run, &opts, lang)?
                }
                "planAzureOperation" => {
                    operations::plan(root, s, &domain, &input, &run, &opts, lang)?
                }
                _ => {
                    let flags = ApplyFlags {
                        approve: flag(&o, "approve"),
                        override_policy: flag(&o, "overridePolicy"),
                        dry_run: flag(&o, "dryRun"),
                        vpn_required: flag(&o, "vpnRequired"),
                        vpn_confirmed: flag(&o, "vpnConfirmed"),
                    };
                    operations::apply(root, s, &domain, &input, &flags, &run, &opts, lang)?
                }
            }
        }
        "azureDoctor" => {
            let o = nth(1);
            status::doctor(root, &nth(0), &runner(root, env, &o), &options(&o), lang)?
        }
        "redactObject" => az::redact::redact(&nth(0)),
        other => {
            return Err(Fail::Core(OxeError::Arg(format!(
                "azure: unknown member {other:?}"
            ))))
        }
    })
}

/// `azure.<method>(projectRoot, …args)`; `args` is the JSON array of the
/// remaining arguments, `env` the caller's `process.env`.
#[napi(js_name = "sdkAzure")]
pub fn sdk_azure(
    method: String,
    project_root: String,
    args: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    let env: BTreeMap<String, String> = env.into_iter().collect();
    let lang = Lang::detect(&env, None);
    let outcome = guard(&method.clone(), || {
        let a = parse_wire("arguments", &args)?;
        Ok(call(&method, &project_root, &a, &env, lang).map(|v| jsjson::to_line(&v)))
    })?;
    outcome.map_err(|f| match f {
        Fail::Azure(e) => napi::Error::new(e.code().to_string(), e.message(lang)),
        Fail::Core(e) => crate::guard::to_js(e),
    })
}
