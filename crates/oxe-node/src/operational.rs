//! SDK namespace `operational`: adapters to `oxe_cli::runtime_cmd`. One
//! entry point, `sdkOperational(method, projectRoot, session, args)`, with
//! the arguments and the answer as JSON text; `lib/sdk/operational.js`
//! turns canonical states into Maps and Sets and wraps the async members.

use std::collections::BTreeMap;
use std::path::Path;

use napi_derive::napi;
use oxe_cli::i18n::Lang;
use oxe_cli::runtime_cmd::canon::{key, Canon, KMap};
use oxe_cli::runtime_cmd::ops::{self, Op, OpError};
use oxe_cli::runtime_cmd::{extras, js};
use oxe_runtime::error::parse_wire;
use oxe_runtime::{jsjson, OxeError};
use serde_json::{json, Map, Value};

use crate::guard::guard;

fn lang() -> Lang {
    let vars: BTreeMap<String, String> = std::env::vars().collect();
    Lang::detect(&vars, None)
}

/// `[[key, value]…]` entries into a keyed map.
fn entries(v: Option<&Value>) -> KMap {
    let mut m = KMap::new();
    for e in js::arr(v).into_iter().flatten() {
        if let Value::Array(pair) = e {
            let k = pair.first().cloned().unwrap_or(Value::Null);
            m.insert(key(&k), pair.get(1).cloned().unwrap_or(Value::Null));
        }
    }
    m
}

fn set(v: Option<&Value>) -> KMap {
    let mut m = KMap::new();
    for k in js::arr(v).into_iter().flatten() {
        m.insert(key(k), k.clone());
    }
    m
}

/// A live state sent by the glue (Maps as entries, Sets as arrays).
fn live_from_wire(w: &Value) -> Canon {
    let f = |k: &str| w.get(k);
    let mut attempts = Map::new();
    for e in js::arr(f("attempts")).into_iter().flatten() {
        if let Value::Array(pair) = e {
            let k = pair
                .first()
                .map_or_else(|| "undefined".into(), js::js_string);
            attempts.insert(k, pair.get(1).cloned().unwrap_or(Value::Null));
        }
    }
    Canon {
        run: js::or_null(f("run")),
        work_items: entries(f("workItems")),
        attempts,
        workspaces: entries(f("workspaces")),
        completed: set(f("completedWorkItems")),
        failed: set(f("failedWorkItems")),
        blocked: set(f("blockedWorkItems")),
    }
}

/// A live state for the glue: `[[key, value]…]` for Maps, arrays for Sets.
fn live_to_wire(c: &Canon) -> Value {
    let kv = |k: &str| jsjson::parse(k).unwrap_or(Value::Null);
    let map =
        |m: &KMap| -> Value { Value::Array(m.iter().map(|(k, v)| json!([kv(k), v])).collect()) };
    json!({
        "run": c.run,
        "workItems": map(&c.work_items),
        "attempts": Value::Array(c.attempts.iter().map(|(k, v)| json!([k, v])).collect()),
        "workspaces": map(&c.workspaces),
        "completedWorkItems": Value::Array(c.completed.values().cloned().collect()),
        "failedWorkItems": Value::Array(c.failed.values().cloned().collect()),
        "blockedWorkItems": Value::Array(c.blocked.values().cloned().collect()),
    })
}

fn call(
    method: &str,
    root: &str,
    session: Option<&str>,
    a: &Value,
    lang: Lang,
) -> Result<Value, OpError> {
    let root = Path::new(root);
    let op = Op::new(root, session, lang);
    let nth = |i: usize| a.get(i).cloned().unwrap_or(Value::Null);
    let strings = |v: Vec<String>| Value::Array(v.into_iter().map(Value::String).collect());
    Ok(match method {
        "constants" => json!({
            "runStatuses": ops::VALID_RUN_STATUSES,
            "approvalPolicies": extras::VALID_APPROVAL_POLICIES,
            "capabilityTypes": extras::VALID_CAPABILITY_TYPES,
        }),
        "operationalPaths" => op.paths()?.to_value(),
        "makeRunId" => json!(ops::make_run_id()),
        "appendEvent" => op.append_event(&nth(0))?,
        "readEvents" => Value::Array(op.read_events()?),
        "summarizeEvents" => ops::summarize_events(js::arr(Some(&nth(0))).map_or(&[][..], |v| v)),
        "writeRunState" => op.write_run_state(&nth(0))?,
        "readRunState" => op.read_run_state()?.unwrap_or(Value::Null),
        "readGitActivity" => Value::Array(extras::read_git_activity(
            root,
            &js::text_or(Some(&nth(0)), ""),
        )),
        "verifyGitEvidence" => strings(extras::verify_git_evidence(&nth(0), root, lang)),
        "runtimeStateWarnings" => {
            let checks = js::arr(Some(&nth(1))).cloned().unwrap_or_default();
            let dir = js::truthy_of(a.get(2)).map(js::js_string);
            let run = nth(0);
            strings(extras::runtime_state_warnings(
                js::truthy_of(Some(&run)),
                &checks,
                dir.as_deref().map(Path::new),
                lang,
            ))
        }
        "parseCapabilityManifest" => {
            extras::parse_capability_manifest(&js::text_or(Some(&nth(0)), ""), lang)
        }
        "readCapabilityCatalog" => Value::Array(extras::read_capability_catalog(root, lang)),
        "capabilityCatalogWarnings" => strings(extras::capability_catalog_warnings(root, lang)),
        "buildMemoryLayers" => op.memory_layers()?,
        "buildOperationalGraph" => ops::build_operational_graph(&nth(0)),
        "serializeCanonicalState" => live_from_wire(&nth(0)).serialize(),
        "hydrateCanonicalState" => live_to_wire(&Canon::hydrate(Some(&nth(0)))),
        "reduceCanonicalRunState" => {
            let o = nth(0);
            op.reduce_canonical(js::truthy_of(o.get("runState")), o.get("runId"))?
                .serialize()
        }
        "compileExecutionGraphFromArtifacts" => op.compile_graph(&nth(0))?,
        "compileVerificationSuiteFromArtifacts" => op.compile_suite(&nth(0))?,
        "buildRuntimeModeStatus" => ops::runtime_mode(js::truthy_of(Some(&nth(0))), lang),
        "buildRecoveryConsistency" => {
            let (run, journal) = (nth(0), nth(1));
            op.recovery_consistency(
                js::truthy_of(Some(&run)),
                js::truthy_of(Some(&journal)),
                &nth(2),
            )?
        }
        "readRuntimeGates" => op.read_gates(&nth(0))?,
        "resolveRuntimeGate" => op.resolve_gate(&nth(0))?,
        "projectRuntimeArtifacts" => op.project(&nth(0))?,
        "runRuntimeCiChecks" => op.run_ci(&nth(0))?,
        "recoverRuntimeState" => op.recover(&nth(0))?,
        "applyRuntimeAction" => op.apply_action(&nth(0))?,
        "replayEvents" => op.replay_events(&nth(0))?,
        "replayRuntimeState" => op.replay_state(&nth(0))?,
        "readRuntimeMultiAgentStatus" => op.multi_agent_status(&nth(0))?,
        "verifyPrepare" => op.verify_prepare(&nth(0))?,
        "verifyFinish" => op.verify_finish(&nth(0), &nth(1), &js::text_or(a.get(2), "run"))?,
        "promotePrepare" => op.promote_prepare(&nth(0))?,
        "promoteFinish" => {
            let pkg = js::text_or(a.get(3), ".");
            op.promote_finish(&nth(0), &nth(1), &nth(2), Path::new(&pkg))?
        }
        "verificationArtifacts" => op.verification_artifacts(js::truthy_of(Some(&nth(0))))?,
        other => {
            return Err(OpError::Core(OxeError::Arg(format!(
                "operational: unknown member {other:?}"
            ))))
        }
    })
}

/// `operational.<method>(projectRoot, activeSession, …args)`; `args` is
/// the JSON array of the remaining arguments. Answers JSON text.
#[napi(js_name = "sdkOperational")]
pub fn sdk_operational(
    method: String,
    project_root: String,
    session: Option<String>,
    args: String,
) -> napi::Result<String, String> {
    guard(&method.clone(), || {
        let a = parse_wire("arguments", &args)?;
        let lang = lang();
        call(
            &method,
            &project_root,
            session.as_deref().filter(|s| !s.is_empty()),
            &a,
            lang,
        )
        .map(|v| jsjson::to_line(&v))
        .map_err(|e| e.into_core(lang))
    })
}
