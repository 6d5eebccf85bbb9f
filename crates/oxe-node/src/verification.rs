//! Verification: the compiler, check runs on worker threads (Promises that
//! never block the event loop), the executeSuite/verifyRun coroutines the JS
//! driver resumes, and the manifest, risk ledger and coverage helpers.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::scheduler::coroutine::{Coroutine, Response, Step};
use oxe_runtime::verification::{compiler, manifest, runner, suite};
use oxe_runtime::OxeError;
use serde_json::{json, Value};

use crate::guard::guard;

/// `compileVerification(spec, plan)`: the callers' JSON texts in, suite out.
#[napi(js_name = "compileVerification")]
pub fn compile_verification(spec: String, plan: String) -> napi::Result<String, String> {
    guard("compileVerification", || {
        Ok(jsjson::to_line(&compiler::compile(&spec, &plan)?))
    })
}

/// Checks to run on a worker thread, with their shared cwd and timeout
/// (`None` = the caller left the argument out).
pub struct ChecksTask {
    checks: Vec<Value>,
    cwd: Option<Value>,
    timeout: Option<Value>,
    /// `runCheck` resolves to one result, `runSuite` to the array.
    single: bool,
}

impl Task for ChecksTask {
    type Output = String;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<String> {
        let run = AssertUnwindSafe(|| -> Result<String, OxeError> {
            let mut out = Vec::with_capacity(self.checks.len());
            for c in &self.checks {
                out.push(runner::run_check(
                    c,
                    self.cwd.as_ref(),
                    self.timeout.as_ref(),
                )?);
            }
            Ok(if self.single {
                out.pop().map(|v| jsjson::to_line(&v)).unwrap_or_default()
            } else {
                jsjson::to_line(&Value::Array(out))
            })
        });
        match catch_unwind(run) {
            Ok(Ok(text)) => Ok(text),
            Ok(Err(e)) => Err(napi::Error::from_reason(format!("{}: {e}", e.code()))),
            Err(_) => Err(napi::Error::from_reason(
                "OXE_E_PANIC: internal error while running a check (the process is unharmed; please report this)",
            )),
        }
    }

    fn resolve(&mut self, _env: Env, output: String) -> napi::Result<String> {
        Ok(output)
    }
}

fn checks_task(what: &str, call: &str, single: bool) -> Result<AsyncTask<ChecksTask>, OxeError> {
    let call = parse_wire(what, call)?;
    let checks = if single {
        match call.get("check") {
            Some(c) if c.is_object() => vec![c.clone()],
            _ => {
                return Err(OxeError::Arg(
                    "runCheck: check must be an AcceptanceCheck object".into(),
                ))
            }
        }
    } else {
        match call.get("checks") {
            Some(Value::Array(c)) if c.iter().all(Value::is_object) => c.clone(),
            _ => {
                return Err(OxeError::Arg(
                    "runSuite: suite.checks must be an array of AcceptanceCheck objects".into(),
                ))
            }
        }
    };
    Ok(AsyncTask::new(ChecksTask {
        checks,
        cwd: call.get("cwd").cloned(),
        timeout: call.get("timeout").cloned(),
        single,
    }))
}

/// `runCheck`: `{check, cwd?, timeout?}` in; a Promise of the CheckResult's
/// JSON text. The child runs on a libuv worker thread.
#[napi(js_name = "runCheckTask")]
pub fn run_check_task(call: String) -> napi::Result<AsyncTask<ChecksTask>, String> {
    guard("runCheck", || checks_task("runCheck call", &call, true))
}

/// `runSuite`: `{checks, cwd?, timeout?}` in; a Promise of the results'
/// JSON array text (checks run one after the other).
#[napi(js_name = "runSuiteTask")]
pub fn run_suite_task(call: String) -> napi::Result<AsyncTask<ChecksTask>, String> {
    guard("runSuite", || checks_task("runSuite call", &call, false))
}

/// `summarizeSuite(results)`.
#[napi(js_name = "summarizeSuite")]
pub fn summarize_suite(results: String) -> napi::Result<String, String> {
    guard("summarizeSuite", || {
        let Value::Array(r) = parse_wire("results", &results)? else {
            return Err(OxeError::Arg(
                "summarizeSuite: results must be an array".into(),
            ));
        };
        Ok(jsjson::to_line(&suite::summarize_suite(&r)?))
    })
}

/// The executeSuite/verifyRun coroutine.
#[napi]
pub struct VerifyCore {
    co: Coroutine,
}

/// `kind` is `executeSuite` or `verifyRun`; `wire` their arguments (see
/// `oxe_runtime::verification::suite`). Bad arguments throw here, before
/// anything runs.
#[napi(js_name = "verifyStart")]
pub fn verify_start(kind: String, wire: String) -> napi::Result<VerifyCore, String> {
    guard(&kind.clone(), || {
        let w = parse_wire("verification arguments", &wire)?;
        let co = match kind.as_str() {
            "executeSuite" => {
                let a = suite::SuiteArgs::from_wire(&w)?;
                Coroutine::new(move |h| suite::execute_suite(h, a))
            }
            "verifyRun" => {
                let v = suite::VerifyArgs::from_wire(&w)?;
                Coroutine::new(move |h| suite::verify_run(h, v))
            }
            other => {
                return Err(OxeError::Arg(format!(
                    "unknown verification call {other:?}"
                )))
            }
        };
        Ok(VerifyCore { co })
    })
}

#[napi]
impl VerifyCore {
    /// Resume with `{"ok": v}` (or nothing the first time); returns the next
    /// request, `{op: "done", value}` or `{op: "throw", token, message}`.
    #[napi]
    pub fn resume(&mut self, response: Option<String>) -> napi::Result<String, String> {
        guard("verification", || {
            let response = match response {
                None => None,
                Some(text) => {
                    let v = parse_wire("verification response", &text)?;
                    Some(Response::Ok(v.get("ok").cloned().unwrap_or(Value::Null)))
                }
            };
            Ok(match self.co.resume(response) {
                Step::Request(r) => jsjson::to_line(&r),
                Step::Done(Ok(v)) => jsjson::to_line(&json!({ "op": "done", "value": v })),
                Step::Done(Err(t)) => jsjson::to_line(
                    &json!({ "op": "throw", "token": t.token, "message": t.message }),
                ),
            })
        })
    }
}

/// `classifyFailure(result)`.
#[napi(js_name = "classifyFailure")]
pub fn classify_failure(result: String) -> napi::Result<Option<String>, String> {
    guard("classifyFailure", || {
        let r = manifest::parse("CheckResult", &result)?;
        Ok(manifest::classify_failure(&r)?.map(str::to_string))
    })
}

/// `buildManifest(runId, results, options)` with the evidenceRefs Map as
/// entries (`null` when absent); `run_id` is `None` for `undefined`.
/// Returns the manifest's JSON text.
#[napi(js_name = "buildManifest")]
pub fn build_manifest(
    run_id: Option<String>,
    results: String,
    options: String,
    evidence_refs: String,
) -> napi::Result<String, String> {
    guard("buildManifest", || {
        let run = run_id
            .as_deref()
            .map(|t| manifest::parse("runId", t))
            .transpose()?;
        let results = manifest::parse("results", &results)?;
        let options = manifest::parse("options", &options)?;
        let refs = manifest::parse("evidenceRefs", &evidence_refs)?;
        let refs = manifest::EntryMap::from_entries(&refs)?;
        manifest::build_manifest(run.as_ref(), &results, &options, &refs)
    })
}

/// `buildRiskLedger(runId, manifest)`: `manifest` needs `profile`,
/// `work_item_id` and `checks[{check_id, status, failure_class}]`.
#[napi(js_name = "buildRiskLedger")]
pub fn build_risk_ledger(
    run_id: Option<String>,
    manifest_text: String,
) -> napi::Result<String, String> {
    guard("buildRiskLedger", || {
        let run = run_id
            .as_deref()
            .map(|t| manifest::parse("runId", t))
            .transpose()?;
        let m = manifest::parse("manifest", &manifest_text)?;
        manifest::build_risk_ledger(run.as_ref(), &m)
    })
}

/// `summarizeEvidenceCoverage(manifest)` from each check's
/// `evidence_refs.length` (`null` where JS reads `undefined`).
#[napi(js_name = "summarizeEvidenceCoverage")]
pub fn summarize_evidence_coverage(lengths: Vec<Option<f64>>) -> napi::Result<String, String> {
    guard("summarizeEvidenceCoverage", || {
        Ok(manifest::summarize_evidence_coverage(&lengths))
    })
}

/// Saves one of the run files (`manifest`, `riskLedger` or
/// `evidenceCoverage`); `pretty` is `JSON.stringify(value, null, 2)`.
#[napi(js_name = "saveVerificationFile")]
pub fn save_verification_file(
    kind: String,
    project_root: String,
    run_id: String,
    pretty: String,
) -> napi::Result<(), String> {
    guard("saveVerificationFile", || {
        let root = Path::new(&project_root);
        match kind.as_str() {
            "manifest" => manifest::save_manifest(root, &run_id, &pretty),
            "riskLedger" => manifest::save_risk_ledger(root, &run_id, &pretty),
            "evidenceCoverage" => manifest::save_evidence_coverage(root, &run_id, &pretty),
            other => Err(OxeError::Arg(format!(
                "unknown verification file {other:?}"
            ))),
        }
    })
}

/// Loads one of the run files as JSON text, or `null`.
#[napi(js_name = "loadVerificationFile")]
pub fn load_verification_file(
    kind: String,
    project_root: String,
    run_id: String,
) -> napi::Result<Option<String>, String> {
    guard("loadVerificationFile", || {
        let root = Path::new(&project_root);
        match kind.as_str() {
            "manifest" => manifest::load_manifest(root, &run_id),
            "riskLedger" => manifest::load_risk_ledger(root, &run_id),
            "evidenceCoverage" => manifest::load_evidence_coverage(root, &run_id),
            other => Err(OxeError::Arg(format!(
                "unknown verification file {other:?}"
            ))),
        }
    })
}
