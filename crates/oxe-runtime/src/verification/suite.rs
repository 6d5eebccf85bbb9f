//! `executeSuite`, `verifyRun` and `summarizeSuite`.
//!
//! `executeSuite` and `verifyRun` call user JS (the plugin registry's
//! verifier providers and a duck-typed evidence store), so they are sans-IO
//! coroutines: they ask the JS driver (`lib/runtime/verification.js`) to
//! perform one request at a time and resume with the answer. Requests:
//!
//! * `{op: "providerFor", type}` — `pluginRegistry.verifierProviderFor(type)`
//!   (sync); the answer is whether a provider was returned (truthy);
//! * `{op: "execute", input}` — `await provider.execute(input)` on that
//!   provider; the answer is its VerificationResult, which the driver also
//!   keeps so the caller gets the provider's own object back;
//! * `{op: "runCheck", call}` — run the check in a child process (the
//!   driver awaits the native worker-thread task with `call`);
//! * `{op: "collect", type, content, opts}` — `await evidenceStore.collect(…)`.
//!
//! Nothing is caught: as in 1.4.0, a throw or rejection from a callback
//! rejects the whole call. The rules — which checks go to providers, what
//! evidence is collected, how results, manifest, risks and coverage are
//! built, what `verifyRun` writes and which status it reports — live here.

use std::path::PathBuf;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson::{self, truthy};
use crate::reducers::Key;
use crate::scheduler::coroutine::{Host, Thrown};

use super::manifest::{self, EntryMap};

/// The gap `verifyRun` reports when there is nothing to run.
pub const NO_CHECKS_GAP: &str = "Nenhum check executável foi compilado a partir de SPEC/PLAN.";

/// What `executeSuite` needs from its arguments.
#[derive(Debug, Clone)]
pub struct SuiteArgs {
    pub checks: Vec<Value>,
    pub cwd: Option<Value>,
    /// `options.timeoutMs ?? 60000`.
    pub timeout: Value,
    pub run_id: Option<Value>,
    pub work_item_id: Option<Value>,
    /// `options.attemptNumber ?? 1`.
    pub attempt: Value,
    pub has_store: bool,
    pub has_registry: bool,
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

impl SuiteArgs {
    /// From the wire `{suite, cwd?, options, has: {evidenceStore, pluginRegistry}}`.
    pub fn from_wire(w: &Value) -> OxeResult<SuiteArgs> {
        let checks = match w.get("suite").and_then(|s| s.get("checks")) {
            Some(Value::Array(c)) => c.clone(),
            _ => {
                return Err(OxeError::Arg(
                    "executeSuite: suite.checks must be an array of AcceptanceCheck objects".into(),
                ))
            }
        };
        let Some(opts) = w.get("options").and_then(Value::as_object) else {
            return Err(OxeError::Arg(
                "executeSuite: options must be an object {runId, workItemId, …}".into(),
            ));
        };
        Ok(SuiteArgs {
            checks,
            cwd: w.get("cwd").cloned(),
            timeout: present(opts.get("timeoutMs"))
                .cloned()
                .unwrap_or(Value::from(super::runner::DEFAULT_TIMEOUT_MS)),
            run_id: opts.get("runId").cloned(),
            work_item_id: opts.get("workItemId").cloned(),
            attempt: present(opts.get("attemptNumber"))
                .cloned()
                .unwrap_or(Value::from(1)),
            has_store: w.pointer("/has/evidenceStore").is_some_and(truthy),
            has_registry: w.pointer("/has/pluginRegistry").is_some_and(truthy),
        })
    }
}

fn internal(e: OxeError) -> Thrown {
    Thrown::internal(e.code(), e.to_string())
}

fn put(m: &mut Map<String, Value>, k: &str, v: Option<&Value>) {
    if let Some(v) = v {
        m.insert(k.into(), v.clone());
    }
}

/// JS `x.length > 0` for an evidence_refs value (arrays and strings).
fn non_empty(v: &Value) -> bool {
    match v {
        Value::Array(a) => !a.is_empty(),
        Value::String(s) => !s.is_empty(),
        _ => false,
    }
}

/// The native call that runs one check: `{check, cwd?, timeout}`.
pub fn run_check_call(check: &Value, cwd: Option<&Value>, timeout: &Value) -> String {
    let mut m = Map::with_capacity(3);
    m.insert("check".into(), check.clone());
    put(&mut m, "cwd", cwd);
    m.insert("timeout".into(), timeout.clone());
    jsjson::to_line(&Value::Object(m))
}

async fn collect(
    host: &Host,
    ty: Option<&Value>,
    content: String,
    opts: &Value,
) -> Result<Value, Thrown> {
    let mut req = Map::with_capacity(4);
    req.insert("op".into(), "collect".into());
    put(&mut req, "type", ty);
    req.insert("content".into(), Value::String(content));
    req.insert("opts".into(), opts.clone());
    let ev = host.ask(Value::Object(req)).await?;
    if ev.is_null() {
        return Err(internal(OxeError::Arg(
            "evidenceStore.collect must resolve to an Evidence record".into(),
        )));
    }
    Ok(ev.get("evidence_id").cloned().unwrap_or(Value::Null))
}

/// `executeSuite(suite, cwd, options)`. The value is
/// `{results, verification_results, evidence_refs: [[checkId, refs]…],
/// manifest, risk_ledger, evidence_coverage}`, where a provider's result
/// appears in `verification_results` as `{provided: k}` (its k-th answer)
/// and a locally built one as `{value: result}`.
pub async fn execute_suite(host: Host, a: SuiteArgs) -> Result<Value, Thrown> {
    let mut results = Vec::with_capacity(a.checks.len());
    let mut verification = Vec::with_capacity(a.checks.len());
    let mut refs_map: IndexMap<Key, (Value, Value)> = IndexMap::new();
    let mut provided = 0u64;
    let collect_opts = {
        let mut o = Map::with_capacity(3);
        put(&mut o, "run_id", a.run_id.as_ref());
        put(&mut o, "work_item_id", a.work_item_id.as_ref());
        o.insert("attempt_number".into(), a.attempt.clone());
        Value::Object(o)
    };

    for check in &a.checks {
        if check.is_null() {
            return Err(internal(OxeError::Arg(
                "executeSuite: suite.checks[] must be AcceptanceCheck objects".into(),
            )));
        }
        let has_provider = if a.has_registry {
            let mut req = Map::with_capacity(2);
            req.insert("op".into(), "providerFor".into());
            put(&mut req, "type", check.get("type"));
            truthy(&host.ask(Value::Object(req)).await?)
        } else {
            false
        };

        let result = if has_provider {
            let mut input = Map::with_capacity(6);
            put(&mut input, "check_id", check.get("id"));
            put(&mut input, "check_type", check.get("type"));
            put(&mut input, "command", check.get("command"));
            put(&mut input, "work_item_id", a.work_item_id.as_ref());
            put(&mut input, "workspace_root", a.cwd.as_ref());
            input.insert("evidence_dir".into(), Value::String(String::new()));
            let pr = host
                .ask(json!({ "op": "execute", "input": Value::Object(input) }))
                .await?;
            if !pr.is_object() {
                return Err(internal(OxeError::Arg(
                    "a verifier provider's execute() must resolve to a VerificationResult object"
                        .into(),
                )));
            }
            let status = pr.get("status");
            let summary = present(pr.get("summary"));
            let is = |s: &str| matches!(status, Some(Value::String(x)) if x == s);
            let mut r = Map::with_capacity(9);
            put(&mut r, "check_id", check.get("id"));
            put(&mut r, "acceptance_ref", check.get("acceptance_ref"));
            put(&mut r, "status", status);
            r.insert(
                "stdout".into(),
                summary.cloned().unwrap_or(Value::String(String::new())),
            );
            r.insert("stderr".into(), Value::String(String::new()));
            r.insert(
                "exit_code".into(),
                Value::from(if is("pass") { 0 } else { 1 }),
            );
            r.insert("duration_ms".into(), Value::from(0));
            r.insert(
                "error".into(),
                if is("error") {
                    summary
                        .cloned()
                        .unwrap_or(Value::String("provider error".into()))
                } else {
                    Value::Null
                },
            );
            put(&mut r, "evidence_refs", pr.get("evidence_refs"));
            verification.push(json!({ "provided": provided }));
            provided += 1;
            Value::Object(r)
        } else {
            let call = run_check_call(check, a.cwd.as_ref(), &a.timeout);
            let mut r = host.ask(json!({ "op": "runCheck", "call": call })).await?;
            let refs = if a.has_store {
                let text = |k: &str| match r.get(k) {
                    Some(Value::String(s)) => s.clone(),
                    _ => String::new(),
                };
                let (stdout, stderr) = (text("stdout"), text("stderr"));
                let mut refs = Vec::with_capacity(3);
                if !stdout.is_empty() {
                    refs.push(collect(&host, Some(&"stdout".into()), stdout, &collect_opts).await?);
                }
                if !stderr.is_empty() {
                    refs.push(collect(&host, Some(&"stderr".into()), stderr, &collect_opts).await?);
                }
                let mut summary = Map::with_capacity(6);
                put(&mut summary, "check_id", check.get("id"));
                put(&mut summary, "type", check.get("type"));
                put(&mut summary, "command", check.get("command"));
                put(&mut summary, "status", r.get("status"));
                put(&mut summary, "exit_code", r.get("exit_code"));
                put(&mut summary, "duration_ms", r.get("duration_ms"));
                let content = jsjson::to_pretty(&Value::Object(summary));
                refs.push(
                    collect(
                        &host,
                        check.get("evidence_type_expected"),
                        content,
                        &collect_opts,
                    )
                    .await?,
                );
                refs
            } else {
                Vec::new()
            };
            let refs = Value::Array(refs);
            if let Some(m) = r.as_object_mut() {
                m.insert("evidence_refs".into(), refs.clone());
            }
            let summary = ["error", "stderr", "stdout"]
                .iter()
                .filter_map(|k| r.get(*k))
                .find(|v| truthy(v))
                .cloned()
                .unwrap_or(Value::Null);
            let mut vr = Map::with_capacity(6);
            vr.insert(
                "verification_id".into(),
                Value::String(format!("vr-{}", clock::random_chars(8, clock::HEX))),
            );
            put(&mut vr, "work_item_id", a.work_item_id.as_ref());
            put(&mut vr, "check_id", check.get("id"));
            put(&mut vr, "status", r.get("status"));
            vr.insert("evidence_refs".into(), refs);
            vr.insert("summary".into(), summary);
            verification.push(json!({ "value": Value::Object(vr) }));
            r
        };

        if let Some(refs) = result
            .get("evidence_refs")
            .filter(|v| truthy(v) && non_empty(v))
        {
            let id = check.get("id").cloned().unwrap_or(Value::Null);
            let key = Key::of(&id);
            match refs_map.get_mut(&key) {
                Some(slot) => slot.1 = refs.clone(),
                None => {
                    refs_map.insert(key, (id, refs.clone()));
                }
            }
        }
        results.push(result);
    }

    let entries: Vec<Value> = refs_map
        .into_values()
        .map(|(k, v)| Value::Array(vec![k, v]))
        .collect();
    let entries = Value::Array(entries);
    let results = Value::Array(results);
    let (results_text, refs_text) = (jsjson::to_line(&results), jsjson::to_line(&entries));
    let mut mopts = Map::with_capacity(2);
    put(&mut mopts, "workItemId", a.work_item_id.as_ref());
    mopts.insert("granularity".into(), "work_item".into());
    let opts_text = jsjson::to_line(&Value::Object(mopts));
    let run_text = a.run_id.as_ref().map(jsjson::to_line);
    let (manifest_text, ledger_text, coverage_text) =
        (|| -> OxeResult<(String, String, String)> {
            let run = run_text
                .as_deref()
                .map(|t| manifest::parse("runId", t))
                .transpose()?;
            let rj = manifest::parse("results", &results_text)?;
            let fj = manifest::parse("evidence refs", &refs_text)?;
            let oj = manifest::parse("options", &opts_text)?;
            let refs = EntryMap::from_entries(&fj)?;
            let m = manifest::build_manifest(run.as_ref(), &rj, &oj, &refs)?;
            let mj = manifest::parse("manifest", &m)?;
            let l = manifest::build_risk_ledger(run.as_ref(), &mj)?;
            let c = manifest::summarize_evidence_coverage(&manifest::evidence_lengths(&mj)?);
            Ok((m, l, c))
        })()
        .map_err(internal)?;
    let value =
        |what: &str, t: &str| jsjson::parse(t).map_err(|e| internal(OxeError::json(what, e)));
    Ok(json!({
        "results": results,
        "verification_results": verification,
        "evidence_refs": entries,
        "manifest": value("manifest", &manifest_text)?,
        "risk_ledger": value("risk ledger", &ledger_text)?,
        "evidence_coverage": value("evidence coverage", &coverage_text)?,
    }))
}

/// What `verifyRun` needs besides the suite arguments.
#[derive(Debug, Clone)]
pub struct VerifyArgs {
    pub root: PathBuf,
    pub run_id: String,
    pub suite: Option<SuiteArgs>,
}

impl VerifyArgs {
    /// From the wire `{input: {projectRoot, runId, workItemId, cwd, suite,
    /// attemptNumber, timeoutMs}, has}`. `suite` is `None` when there is no
    /// check to run (nothing is validated or written then, as in 1.4.0).
    pub fn from_wire(w: &Value) -> OxeResult<VerifyArgs> {
        let Some(input) = w.get("input").filter(|v| v.is_object()) else {
            return Err(OxeError::Arg("verifyRun: input must be an object".into()));
        };
        let runnable = input
            .get("suite")
            .filter(|s| truthy(s))
            .and_then(|s| s.get("checks"))
            .and_then(Value::as_array)
            .is_some_and(|c| !c.is_empty());
        if !runnable {
            return Ok(VerifyArgs {
                root: PathBuf::new(),
                run_id: String::new(),
                suite: None,
            });
        }
        let root = match input.get("projectRoot") {
            Some(Value::String(s)) => PathBuf::from(s),
            _ => {
                return Err(OxeError::Arg(
                    "verifyRun: input.projectRoot must be a string".into(),
                ))
            }
        };
        let run_id = match input.get("runId") {
            Some(Value::String(s)) => s.clone(),
            _ => {
                return Err(OxeError::Arg(
                    "verifyRun: input.runId must be a string".into(),
                ))
            }
        };
        crate::paths::run_dir(&root, &run_id)?;
        let mut options = Map::new();
        for k in ["timeoutMs", "runId", "workItemId", "attemptNumber"] {
            put(&mut options, k, input.get(k));
        }
        let mut sw = Map::new();
        put(&mut sw, "suite", input.get("suite"));
        put(&mut sw, "cwd", input.get("cwd"));
        sw.insert("options".into(), Value::Object(options));
        put(&mut sw, "has", w.get("has"));
        Ok(VerifyArgs {
            root,
            run_id,
            suite: Some(SuiteArgs::from_wire(&Value::Object(sw))?),
        })
    }
}

/// `verifyRun(input)`: `{status, executed, gaps, verification_results,
/// check_results, manifest, risk_ledger, evidence_coverage}` (the caller's
/// `suite` is added by the glue); `executed` as [`execute_suite`] returns it.
pub async fn verify_run(host: Host, v: VerifyArgs) -> Result<Value, Thrown> {
    let Some(args) = v.suite else {
        return Ok(json!({
            "status": "partial",
            "executed": null,
            "gaps": [NO_CHECKS_GAP],
            "verification_results": [],
            "check_results": [],
            "manifest": null,
            "risk_ledger": null,
            "evidence_coverage": null,
        }));
    };
    let executed = execute_suite(host, args).await?;
    let (root, run) = (&v.root, v.run_id.as_str());
    let pretty = |k: &str| jsjson::to_pretty(&executed[k]);
    manifest::save_manifest(root, run, &pretty("manifest")).map_err(internal)?;
    manifest::save_risk_ledger(root, run, &pretty("risk_ledger")).map_err(internal)?;
    manifest::save_evidence_coverage(root, run, &pretty("evidence_coverage")).map_err(internal)?;
    let results = executed["results"].as_array().cloned().unwrap_or_default();
    let summary = summarize_suite(&results).map_err(internal)?;
    let n = |k: &str| summary.get(k).and_then(Value::as_f64);
    let status = if n("total") == Some(0.0) {
        "partial"
    } else if summary.get("allPassed") == Some(&Value::Bool(true)) {
        "passed"
    } else {
        "failed"
    };
    Ok(json!({
        "status": status,
        "executed": executed,
        "gaps": [],
    }))
}

/// `summarizeSuite(results)`: `{total, pass, fail, skip, error, allPassed}`.
/// As in JS, a status outside the four known ones adds its own (NaN →
/// `null`) key, and `total` counts results.
pub fn summarize_suite(results: &[Value]) -> OxeResult<Value> {
    let mut counts: IndexMap<String, f64> = IndexMap::with_capacity(6);
    counts.insert("total".into(), results.len() as f64);
    for k in ["pass", "fail", "skip", "error"] {
        counts.insert(k.into(), 0.0);
    }
    for (i, r) in results.iter().enumerate() {
        if r.is_null() {
            return Err(OxeError::Arg(format!(
                "summarizeSuite: results[{i}] must be a CheckResult object"
            )));
        }
        let key = crate::evidence::template(r.get("status"));
        match counts.get_mut(&key) {
            Some(c) => *c += 1.0,
            None => {
                counts.insert(key, f64::NAN);
            }
        }
    }
    let all = counts.get("fail") == Some(&0.0) && counts.get("error") == Some(&0.0);
    let mut out = Map::with_capacity(counts.len() + 1);
    for (k, v) in counts {
        let value = if v.is_finite() {
            Value::from(v as i64)
        } else {
            Value::Null
        };
        out.insert(k, value);
    }
    out.insert("allPassed".into(), Value::Bool(all));
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::coroutine::{Coroutine, Response, Step};

    fn args(checks: Value, store: bool, registry: bool) -> SuiteArgs {
        SuiteArgs::from_wire(&json!({
            "suite": {"checks": checks},
            "cwd": "/tmp",
            "options": {"runId": "run-1", "workItemId": "T1"},
            "has": {"evidenceStore": store, "pluginRegistry": registry},
        }))
        .unwrap()
    }

    fn check(id: &str, ty: &str, cmd: Value) -> Value {
        json!({"id": id, "type": ty, "command": cmd, "evidence_type_expected": "summary", "acceptance_ref": "A1", "description": "d"})
    }

    #[test]
    fn local_checks_collect_evidence_in_order() {
        let a = args(
            json!([check("check-a1", "custom", json!("echo hi"))]),
            true,
            true,
        );
        let mut co = Coroutine::new(move |h| execute_suite(h, a));
        let Step::Request(r) = co.resume(None) else {
            panic!()
        };
        assert_eq!(r, json!({"op": "providerFor", "type": "custom"}));
        let Step::Request(r) = co.resume(Some(Response::Ok(json!(false)))) else {
            panic!()
        };
        assert_eq!(r["op"], "runCheck");
        let call: Value = jsjson::parse(r["call"].as_str().unwrap()).unwrap();
        assert_eq!(call["timeout"], 60000);
        assert_eq!(call["cwd"], "/tmp");
        let run = json!({"check_id": "check-a1", "acceptance_ref": "A1", "status": "fail", "stdout": "out", "stderr": "err", "exit_code": 1, "duration_ms": 3, "error": null});
        let Step::Request(r) = co.resume(Some(Response::Ok(run))) else {
            panic!()
        };
        assert_eq!(
            r,
            json!({"op": "collect", "type": "stdout", "content": "out", "opts": {"run_id": "run-1", "work_item_id": "T1", "attempt_number": 1}})
        );
        let Step::Request(r) = co.resume(Some(Response::Ok(json!({"evidence_id": "e1"})))) else {
            panic!()
        };
        assert_eq!(r["type"], "stderr");
        let Step::Request(r) = co.resume(Some(Response::Ok(json!({"evidence_id": "e2"})))) else {
            panic!()
        };
        assert_eq!(r["type"], "summary");
        assert_eq!(
            r["content"],
            "{\n  \"check_id\": \"check-a1\",\n  \"type\": \"custom\",\n  \"command\": \"echo hi\",\n  \"status\": \"fail\",\n  \"exit_code\": 1,\n  \"duration_ms\": 3\n}"
        );
        let Step::Done(Ok(v)) = co.resume(Some(Response::Ok(json!({"evidence_id": "e3"})))) else {
            panic!()
        };
        assert_eq!(v["results"][0]["evidence_refs"], json!(["e1", "e2", "e3"]));
        assert_eq!(v["verification_results"][0]["value"]["summary"], "err");
        assert_eq!(
            v["evidence_refs"],
            json!([["check-a1", ["e1", "e2", "e3"]]])
        );
        assert_eq!(v["manifest"]["granularity"], "work_item");
        assert_eq!(v["manifest"]["work_item_id"], "T1");
        assert_eq!(v["manifest"]["checks"][0]["failure_class"], "deterministic");
        assert_eq!(v["risk_ledger"]["risks"].as_array().unwrap().len(), 1);
        assert_eq!(v["evidence_coverage"]["coverage_percent"], 100);
    }

    #[test]
    fn provider_results_pass_through() {
        let a = args(
            json!([check("check-a9", "security", json!("noop"))]),
            false,
            true,
        );
        let mut co = Coroutine::new(move |h| execute_suite(h, a));
        let _ = co.resume(None);
        let Step::Request(r) = co.resume(Some(Response::Ok(json!(true)))) else {
            panic!()
        };
        assert_eq!(r["op"], "execute");
        assert_eq!(
            r["input"],
            json!({"check_id": "check-a9", "check_type": "security", "command": "noop", "work_item_id": "T1", "workspace_root": "/tmp", "evidence_dir": ""})
        );
        let pr = json!({"verification_id": "vr-custom", "status": "error", "evidence_refs": ["ev-custom"], "summary": null});
        let Step::Done(Ok(v)) = co.resume(Some(Response::Ok(pr))) else {
            panic!()
        };
        assert_eq!(v["verification_results"], json!([{"provided": 0}]));
        let r = &v["results"][0];
        assert_eq!(r["error"], "provider error");
        assert_eq!(r["exit_code"], 1);
        assert_eq!(r["stdout"], "");
        assert_eq!(
            v["manifest"]["checks"][0]["evidence_refs"],
            json!(["ev-custom"])
        );
    }

    #[test]
    fn no_registry_no_store_skip() {
        let a = args(json!([check("c", "custom", Value::Null)]), false, false);
        let mut co = Coroutine::new(move |h| execute_suite(h, a));
        let Step::Request(r) = co.resume(None) else {
            panic!()
        };
        assert_eq!(r["op"], "runCheck");
        let skip = json!({"check_id": "c", "acceptance_ref": "A1", "status": "skip", "stdout": "", "stderr": "", "exit_code": null, "duration_ms": 0, "error": null});
        let Step::Done(Ok(v)) = co.resume(Some(Response::Ok(skip))) else {
            panic!()
        };
        assert_eq!(v["manifest"]["summary"]["total"], 1);
        assert_eq!(v["evidence_coverage"]["total_checks"], 1);
        assert_eq!(v["evidence_refs"], json!([]));
    }

    #[test]
    fn verify_run_empty_and_bad_ids() {
        let v = VerifyArgs::from_wire(
            &json!({"input": {"projectRoot": "/p", "runId": "r", "suite": {"checks": []}}}),
        )
        .unwrap();
        let mut co = Coroutine::new(move |h| verify_run(h, v));
        let Step::Done(Ok(out)) = co.resume(None) else {
            panic!()
        };
        assert_eq!(out["status"], "partial");
        assert_eq!(out["gaps"], json!([NO_CHECKS_GAP]));
        let e = VerifyArgs::from_wire(
            &json!({"input": {"projectRoot": "/p", "runId": "../x", "suite": {"checks": [{}]}}}),
        )
        .unwrap_err();
        assert_eq!(e.code(), "OXE_E_PATH");
    }

    #[test]
    fn summarize() {
        let s = summarize_suite(&[
            json!({"status": "pass"}),
            json!({"status": "fail"}),
            json!({"status": "skip"}),
        ])
        .unwrap();
        assert_eq!(
            s,
            json!({"total": 3, "pass": 1, "fail": 1, "skip": 1, "error": 0, "allPassed": false})
        );
        let s = summarize_suite(&[]).unwrap();
        assert_eq!(s["allPassed"], true);
        let s = summarize_suite(&[json!({"status": "weird"}), json!({})]).unwrap();
        assert_eq!(s["weird"], Value::Null);
        assert_eq!(s["undefined"], Value::Null);
        assert_eq!(s["allPassed"], true);
    }
}
