//! `runtime verify` and `runtime promote`: the operational halves around
//! the runtime's `verifyRun` and `PromotionPipeline.promote`, which call
//! user JavaScript (verifier plugins, git/gh through the pipeline) and so
//! run in Node. The SDK glue calls `*_prepare`, awaits the runtime, then
//! calls `*_finish`; the command line runs that glue in a child Node
//! process ([`run_in_node`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use super::canon::Canon;
use super::js::{self, arr, get, js_string, or_null, text_or, truthy, truthy_of};
use super::ops::{make_run_id, run_dir, write_json, Op, OpError, OpResult};

impl Op<'_> {
    /// First half of `runRuntimeVerify`: the run (compiled, with its
    /// verification suite, when missing), the work item the checks are
    /// recorded against, and the `VerificationStarted` trace line.
    /// Returns `{run, suite, workItemId}`.
    pub fn verify_prepare(&self, options: &Value) -> OpResult<Value> {
        let o = Some(options);
        let f = |k: &str| get(o, k);
        let mut current = match truthy_of(f("runState")) {
            Some(r) => r.clone(),
            None => match self.read_run_state()? {
                Some(r) => r,
                None => self.compile_graph(&json!({}))?["run"].clone(),
            },
        };
        if !get(Some(&current), "verification_suite").is_some_and(truthy) {
            current = self.compile_suite(&json!({"runState": current}))?["run"].clone();
        }
        let paths = self.artifact_paths()?;
        let present = |p: &Path| super::ops::read_text(p).is_some_and(|t| !t.is_empty());
        if !present(&paths.spec) || !present(&paths.plan) {
            return Err(OpError::ArtifactsMissing);
        }
        let cur = Some(&current);
        let suite = get(cur, "verification_suite")
            .cloned()
            .unwrap_or(Value::Null);
        let work_item = truthy_of(f("workItemId"))
            .or_else(|| truthy_of(f("task")))
            .or_else(|| truthy_of(get(truthy_of(get(cur, "cursor")), "task")))
            .or_else(|| truthy_of(arr(get(cur, "active_tasks")).and_then(|a| a.first())))
            .map_or_else(|| "run".to_string(), js_string);
        self.append_event(&json!({
            "type": "VerificationStarted",
            "run_id": get(cur, "run_id"),
            "work_item_id": work_item,
            "payload": {"total_checks": arr(suite.get("checks")).map_or(0, Vec::len)},
        }))?;
        Ok(json!({"run": current, "suite": suite, "workItemId": work_item}))
    }

    /// Second half of `runRuntimeVerify`: the run's status after the
    /// report (`passed` keeps `completed`, else `running`; `failed` →
    /// `failed`; anything else → `blocked`), the verification fields on the
    /// run, `VerificationCompleted`, and the projections.
    /// Returns `{run, report, projected}`.
    pub fn verify_finish(&self, run: &Value, report: &Value, work_item: &str) -> OpResult<Value> {
        let r = Some(report);
        let status = match get(r, "status").and_then(Value::as_str) {
            Some("passed") => {
                if get(Some(run), "status").and_then(Value::as_str) == Some("completed") {
                    "completed"
                } else {
                    "running"
                }
            }
            Some("failed") => "failed",
            _ => "blocked",
        };
        let mut next = js::spread(Some(run));
        next.insert("status".into(), json!(status));
        for (to, from) in [
            ("verification_suite", None),
            ("verification_results", Some("verification_results")),
            ("verification_check_results", Some("check_results")),
            ("verification_manifest", Some("manifest")),
            ("residual_risks", Some("risk_ledger")),
            ("verification_evidence_coverage", Some("evidence_coverage")),
            ("verification_gaps", Some("gaps")),
        ] {
            let v = match from {
                Some(k) => get(r, k).cloned().unwrap_or(Value::Null),
                None => get(Some(run), "verification_suite")
                    .cloned()
                    .unwrap_or(Value::Null),
            };
            next.insert(to.into(), v);
        }
        let next = self.write_run_state(&Value::Object(next))?;
        let summary = get(get(r, "manifest"), "summary").filter(|s| truthy(s));
        let mut payload = serde_json::Map::new();
        let mut put = |k: &str, v: Option<&Value>| {
            if let Some(v) = v {
                payload.insert(k.into(), v.clone());
            }
        };
        put("status", get(r, "status"));
        let zero = json!(0);
        for k in ["total", "fail", "error"] {
            let v = match summary {
                Some(s) => s.get(k),
                None => Some(&zero),
            };
            put(if k == "total" { "total_checks" } else { k }, v);
        }
        put("gaps", get(r, "gaps"));
        self.append_event(&json!({
            "type": "VerificationCompleted",
            "run_id": next.get("run_id"),
            "work_item_id": work_item,
            "payload": payload,
        }))?;
        let projected = self.project(&json!({"runState": next, "write": true}))?;
        Ok(json!({"run": projected["run"], "report": report, "projected": projected}))
    }

    /// First half of `runRuntimePromotion`: the run, its verification
    /// artefacts (a manifest is required), the run result the pipeline
    /// promotes, the gates, and the promotion options with 1.4.0's
    /// defaults (`pr_draft`, `origin`, `main`, coverage 100, draft PR).
    pub fn promote_prepare(&self, options: &Value) -> OpResult<Value> {
        let o = Some(options);
        let f = |k: &str| get(o, k);
        let current = match truthy_of(f("runState")) {
            Some(r) => Some(r.clone()),
            None => self.read_run_state()?,
        };
        let Some(current) = current else {
            return Err(OpError::NoRunForPromote);
        };
        let cur = Some(&current);
        let artifacts = self.verification_artifacts(cur)?;
        if !artifacts.get("manifest").is_some_and(truthy) {
            return Err(OpError::ManifestMissing);
        }
        let canon = truthy_of(get(cur, "canonical_state"))
            .filter(|c| c.is_object())
            .map(|c| Canon::hydrate(Some(c)));
        let ids = |pick: fn(&Canon) -> &super::canon::KMap| -> Value {
            Value::Array(
                canon
                    .as_ref()
                    .map_or_else(Vec::new, |c| pick(c).values().cloned().collect()),
            )
        };
        let run_result = json!({
            "run_id": truthy_of(get(cur, "run_id")).cloned().unwrap_or_else(|| json!(make_run_id())),
            "status": text_or(get(cur, "status"), "planned"),
            "completed": ids(|c| &c.completed),
            "failed": ids(|c| &c.failed),
            "blocked": ids(|c| &c.blocked),
        });
        let gates = self.read_gates(&json!({"runId": get(cur, "run_id")}))?["all"].clone();
        let base = truthy_of(f("baseBranch"))
            .cloned()
            .unwrap_or_else(|| json!("main"));
        let min = match f("minimumCoverage") {
            None | Some(Value::Null) => json!(100),
            m => js::num(js::to_number(m)),
        };
        let promote = json!({
            "targetKind": truthy_of(f("targetKind")).cloned().unwrap_or_else(|| json!("pr_draft")),
            "remote": truthy_of(f("remote")).cloned().unwrap_or_else(|| json!("origin")),
            "baseBranch": base,
            "targetRef": truthy_of(f("targetRef")).cloned().unwrap_or_else(|| base.clone()),
            "minimumCoverage": min,
            "draftPR": f("draftPR") != Some(&Value::Bool(false)),
        });
        Ok(json!({
            "run": current,
            "runResult": run_result,
            "manifest": artifacts["manifest"],
            "residualRisks": artifacts["residualRisks"],
            "evidenceCoverage": artifacts["evidenceCoverage"],
            "gates": gates,
            "summaryPath": or_null(get(get(cur, "projections"), "commit_summary_ref")),
            "promoteOptions": promote,
        }))
    }

    /// Second half of `runRuntimePromotion`: the promotion readiness of the
    /// health report, `.oxe/runs/<id>/promotion-readiness.json`, the
    /// delivery records on the run, the trace line (`GateRequested` when
    /// blocked, else `ToolCompleted`) and the projections.
    /// Returns `{run, commitRecord, promotion, promotionReadiness, projected}`.
    pub fn promote_finish(
        &self,
        run: &Value,
        commit: &Value,
        promotion: &Value,
        package_root: &Path,
    ) -> OpResult<Value> {
        let vars = std::env::vars().collect();
        let env = crate::health::report::HealthEnv {
            vars,
            lang: self.lang,
            package_root: package_root.to_path_buf(),
        };
        let report = crate::health::report::build_health_report(self.root, &env);
        let readiness = truthy_of(report.get("promotionReadiness"))
            .cloned()
            .unwrap_or(Value::Null);
        let run_id = text_or(run.get("run_id"), "");
        let path = run_dir(self.root, &run_id)?.join("promotion-readiness.json");
        write_json(
            &path,
            &json!({"run_id": run_id, "generated_at": js::now_iso(), "readiness": readiness, "promotion": promotion}),
        )?;
        let mut next = js::spread(Some(run));
        next.insert(
            "delivery".into(),
            json!({
                "commit_record": commit,
                "promotion_record": promotion,
                "promotion_readiness_ref": super::ops::rel(self.root, &path),
            }),
        );
        let next = self.write_run_state(&Value::Object(next))?;
        let p = Some(promotion);
        let blocked = get(p, "status").and_then(Value::as_str) == Some("blocked");
        self.append_event(&json!({
            "type": if blocked { "GateRequested" } else { "ToolCompleted" },
            "run_id": next.get("run_id"),
            "payload": {
                "promotion_target": get(p, "target_kind"),
                "promotion_status": get(p, "status"),
                "remote": get(p, "remote"),
                "target_ref": get(p, "target_ref"),
                "pr_url": get(p, "pr_url"),
            },
        }))?;
        let projected = self.project(&json!({"runState": next, "write": true}))?;
        Ok(json!({
            "run": projected["run"],
            "commitRecord": commit,
            "promotion": promotion,
            "promotionReadiness": readiness,
            "projected": projected,
        }))
    }
}

/// The script the child Node process runs: one SDK member, its answer
/// (or `{error:{message, code}}`) as the last line of stdout.
const NODE_SCRIPT: &str = "const op=require(process.argv[1]);\
const a=JSON.parse(process.argv[2]);\
const out=(v)=>process.stdout.write('\\n'+JSON.stringify(v)+'\\n');\
Promise.resolve().then(()=>op[a.method](a.root,a.session,a.options))\
.then((v)=>out({ok:v}),(e)=>out({error:{message:String(e&&e.message||e),code:(e&&e.code)||null}}));";

/// Runs `operational.<method>(root, session, options)` of this package's
/// SDK in a child Node process (the running executable when it is Node,
/// else `node` on the PATH), with the command's environment.
pub fn run_in_node(
    package_root: &Path,
    vars: &std::collections::BTreeMap<String, String>,
    method: &str,
    root: &Path,
    session: Option<&str>,
    options: &Value,
) -> Result<Value, String> {
    let sdk = package_root.join("lib").join("sdk").join("operational.js");
    let exe = std::env::current_exe()
        .ok()
        .filter(|p| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|s| s == "node" || s == "nodejs")
        })
        .unwrap_or_else(|| PathBuf::from("node"));
    let args = json!({"method": method, "root": root.to_string_lossy(), "session": session, "options": options});
    let out = Command::new(exe)
        .arg("-e")
        .arg(NODE_SCRIPT)
        .arg(&sdk)
        .arg(oxe_runtime::jsjson::to_line(&args))
        .current_dir(root)
        .env_clear()
        .envs(vars)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.rsplit('\n').find(|l| l.starts_with('{')).unwrap_or("");
    let v = oxe_runtime::jsjson::parse(last).map_err(|_| {
        format!(
            "the Node child process gave no answer (exit status {})",
            out.status
        )
    })?;
    match (v.get("ok"), v.get("error")) {
        (Some(ok), _) => Ok(ok.clone()),
        (_, Some(e)) => Err(text_or(e.get("message"), "unknown error")),
        _ => Err("the Node child process gave no answer".into()),
    }
}
