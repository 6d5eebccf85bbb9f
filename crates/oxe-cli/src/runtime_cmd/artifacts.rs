//! The runtime actions that read the project's artefacts: compile the
//! execution graph and the verification suite from SPEC.md and PLAN.md,
//! project Markdown views from the canonical state, run the CI checks,
//! recover a run from its journal, and replay the trace.

use std::path::{Path, PathBuf};

use oxe_runtime::delivery::ci_checks;
use oxe_runtime::verification::manifest;
use oxe_runtime::{compiler, jsjson, projection};
use serde_json::{json, Map, Value};

use super::canon::{key, Canon};
use super::js::{self, arr, get, js_string, or_null, present, text_or, truthy, truthy_of};
use super::ops::{
    make_run_id, read_json, read_text, rel, run_dir, write_json, write_text, Op, OpError, OpResult,
};

/// The marker line the projection engine puts in the PLAN, VERIFY and
/// STATE views it renders.
pub const PROJECTION_MARKER: &str = "Gerado automaticamente pelo Projection Engine";

/// `resolveRuntimeArtifactPaths`: STATE is always `.oxe/STATE.md`; SPEC,
/// PLAN and VERIFY are the session's when they exist, else `.oxe/`'s.
#[derive(Debug, Clone)]
pub struct ArtifactPaths {
    pub state: PathBuf,
    pub spec: PathBuf,
    pub plan: PathBuf,
    pub verify: PathBuf,
}

impl ArtifactPaths {
    pub fn to_value(&self) -> Value {
        let p = |x: &Path| json!(x.to_string_lossy());
        json!({"state": p(&self.state), "spec": p(&self.spec), "plan": p(&self.plan), "verify": p(&self.verify)})
    }
}

fn path_value(x: &Path) -> Value {
    json!(x.to_string_lossy())
}

impl Op<'_> {
    pub fn artifact_paths(&self) -> OpResult<ArtifactPaths> {
        let paths = self.paths()?;
        let oxe = &paths.oxe_dir;
        let prefer = |scoped: PathBuf, base: PathBuf| if scoped.exists() { scoped } else { base };
        let (spec, plan, verify) = match self.session {
            Some(_) => {
                let s = &paths.scope_root;
                (
                    prefer(s.join("spec").join("SPEC.md"), oxe.join("SPEC.md")),
                    prefer(s.join("plan").join("PLAN.md"), oxe.join("PLAN.md")),
                    prefer(
                        s.join("verification").join("VERIFY.md"),
                        oxe.join("VERIFY.md"),
                    ),
                )
            }
            None => (
                oxe.join("SPEC.md"),
                oxe.join("PLAN.md"),
                oxe.join("VERIFY.md"),
            ),
        };
        Ok(ArtifactPaths {
            state: oxe.join("STATE.md"),
            spec,
            plan,
            verify,
        })
    }

    /// SPEC.md and PLAN.md parsed with the SDK parsers.
    fn parsed_artifacts(&self, paths: &ArtifactPaths) -> OpResult<(Value, Value)> {
        let spec = read_text(&paths.spec).filter(|t| !t.is_empty());
        let plan = read_text(&paths.plan).filter(|t| !t.is_empty());
        let Some(spec) = spec else {
            return Err(OpError::SpecMissing(paths.spec.clone()));
        };
        let Some(plan) = plan else {
            return Err(OpError::PlanMissing(paths.plan.clone()));
        };
        Ok((
            crate::parsers::spec::parse_spec(&spec).to_value(),
            crate::parsers::plan::parse_plan(&plan).to_value(),
        ))
    }

    /// `compileExecutionGraphFromArtifacts`: compiles PLAN/SPEC into the
    /// run's `compiled_graph` (creating the run when there is none),
    /// refreshes its canonical state and traces `GraphCompiled`.
    /// Returns `{run, graph, validationErrors, parsedPlan, parsedSpec, paths}`.
    pub fn compile_graph(&self, options: &Value) -> OpResult<Value> {
        let paths = self.artifact_paths()?;
        let (spec, plan) = self.parsed_artifacts(&paths)?;
        let compiler_opts = truthy_of(get(Some(options), "compilerOptions"))
            .cloned()
            .unwrap_or_else(|| json!({}));
        let (graph, validation) = compile_serializable(&plan, &spec, &compiler_opts)?;
        let current = match truthy_of(get(Some(options), "runState")) {
            Some(r) => r.clone(),
            None => self.read_run_state()?.unwrap_or_else(|| json!({})),
        };
        let run_id = truthy_of(get(Some(&current), "run_id"))
            .cloned()
            .unwrap_or_else(|| json!(make_run_id()));
        let mut with_id = js::spread(Some(&current));
        with_id.insert("run_id".into(), run_id.clone());
        let with_id = Value::Object(with_id);
        let reduced = self.reduce_canonical(Some(&with_id), None)?.serialize();
        let canonical =
            Canon::merge(Some(&reduced), &with_id, self.session, Some(&graph)).serialize();
        let meta = graph.get("metadata");
        let mut next = js::spread(Some(&current));
        next.insert("run_id".into(), run_id);
        next.insert(
            "status".into(),
            truthy_of(get(Some(&current), "status"))
                .cloned()
                .unwrap_or_else(|| json!("planned")),
        );
        next.insert("compiled_graph".into(), graph.clone());
        next.insert(
            "graph_version".into(),
            truthy_of(get(meta, "plan_hash"))
                .cloned()
                .unwrap_or_else(|| json!("compiled")),
        );
        next.insert("canonical_state".into(), canonical);
        next.insert(
            "projections".into(),
            truthy_of(get(Some(&current), "projections"))
                .cloned()
                .unwrap_or_else(|| json!({})),
        );
        let next = self.write_run_state(&Value::Object(next))?;
        let or0 = |k: &str| truthy_of(get(meta, k)).cloned().unwrap_or_else(|| json!(0));
        self.append_event(&json!({
            "type": "GraphCompiled",
            "run_id": next.get("run_id"),
            "payload": {
                "node_count": or0("node_count"),
                "wave_count": or0("wave_count"),
                "plan_hash": or_null(get(meta, "plan_hash")),
                "spec_hash": or_null(get(meta, "spec_hash")),
            },
        }))?;
        Ok(json!({
            "run": next,
            "graph": graph,
            "validationErrors": validation,
            "parsedPlan": plan,
            "parsedSpec": spec,
            "paths": paths.to_value(),
        }))
    }

    /// `compileVerificationSuiteFromArtifacts`: the acceptance-check suite
    /// of SPEC/PLAN stored on the run (`verification_suite`), traced as
    /// `verification_suite_compiled`. Returns `{run, suite, paths}`.
    pub fn compile_suite(&self, options: &Value) -> OpResult<Value> {
        let paths = self.artifact_paths()?;
        let (spec, plan) = match self.parsed_artifacts(&paths) {
            Ok(x) => x,
            Err(OpError::SpecMissing(_) | OpError::PlanMissing(_)) => {
                return Err(OpError::ArtifactsMissing)
            }
            Err(e) => return Err(e),
        };
        let suite = oxe_runtime::verification::compiler::compile(
            &jsjson::to_line(&spec),
            &jsjson::to_line(&plan),
        )?;
        let current = match truthy_of(get(Some(options), "runState")) {
            Some(r) => r.clone(),
            None => self.read_run_state()?.unwrap_or_else(|| json!({})),
        };
        let mut next = js::spread(Some(&current));
        next.insert(
            "run_id".into(),
            truthy_of(get(Some(&current), "run_id"))
                .cloned()
                .unwrap_or_else(|| json!(make_run_id())),
        );
        next.insert(
            "status".into(),
            truthy_of(get(Some(&current), "status"))
                .cloned()
                .unwrap_or_else(|| json!("planned")),
        );
        next.insert("verification_suite".into(), suite.clone());
        let next = self.write_run_state(&Value::Object(next))?;
        let s = Some(&suite);
        self.append_event(&json!({
            "type": "verification_suite_compiled",
            "run_id": next.get("run_id"),
            "payload": {
                "total_checks": arr(get(s, "checks")).map_or(0, Vec::len),
                "spec_hash": or_null(get(s, "spec_hash")),
                "plan_hash": or_null(get(s, "plan_hash")),
            },
        }))?;
        Ok(json!({"run": next, "suite": suite, "paths": paths.to_value()}))
    }

    /// `loadRuntimeVerificationArtifacts`: the run's manifest, residual
    /// risk ledger and evidence coverage (from the run, else its files).
    pub fn verification_artifacts(&self, run: Option<&Value>) -> OpResult<Value> {
        let run_id = truthy_of(get(run, "run_id")).map(js_string);
        let (Some(_), Some(run_id)) = (run, run_id) else {
            return Ok(json!({"manifest": null, "residualRisks": null, "evidenceCoverage": null}));
        };
        let load = |text: Option<String>| text.and_then(|t| jsjson::parse(&t).ok()).filter(truthy);
        let manifest = match truthy_of(get(run, "verification_manifest")) {
            Some(m) => Some(m.clone()),
            None => load(manifest::load_manifest(self.root, &run_id)?),
        };
        let risks = match truthy_of(get(run, "residual_risks")) {
            Some(r) => Some(r.clone()),
            None => load(manifest::load_risk_ledger(self.root, &run_id)?),
        };
        let coverage = match truthy_of(get(run, "verification_evidence_coverage")) {
            Some(c) => Some(c.clone()),
            None => match load(manifest::load_evidence_coverage(self.root, &run_id)?) {
                Some(c) => Some(c),
                None => manifest.as_ref().and_then(|m| {
                    let lengths: Vec<Option<f64>> = arr(get(Some(m), "checks"))
                        .into_iter()
                        .flatten()
                        .map(|c| arr(get(Some(c), "evidence_refs")).map(|a| a.len() as f64))
                        .collect();
                    jsjson::parse(&manifest::summarize_evidence_coverage(&lengths))
                        .ok()
                        .filter(truthy)
                }),
            },
        };
        Ok(json!({
            "manifest": manifest,
            "residualRisks": risks,
            "evidenceCoverage": coverage,
        }))
    }

    /// Where a projected PLAN/VERIFY/STATE view goes: its usual file when
    /// that file is absent or was itself projected, else (the user wrote
    /// it) `<executionRoot>/projections/<name>`, so nothing a person wrote
    /// is overwritten.
    fn projection_target(&self, natural: &Path, name: &str, exec_root: &Path) -> PathBuf {
        match read_text(natural) {
            Some(text) if !text.contains(PROJECTION_MARKER) => {
                exec_root.join("projections").join(name)
            }
            _ => natural.to_path_buf(),
        }
    }

    /// `projectRuntimeArtifacts`: renders the PLAN, VERIFY, STATE, run,
    /// commit, promotion and PR views of the run's canonical state, writes
    /// them (unless `write: false`), and stores the refs on the run.
    /// Returns `{run, projections, paths}`.
    pub fn project(&self, options: &Value) -> OpResult<Value> {
        let o = Some(options);
        let mut current = match truthy_of(get(o, "runState")) {
            Some(r) => r.clone(),
            None => match self.read_run_state()? {
                Some(r) => r,
                None => self.write_run_state(&json!({}))?,
            },
        };
        if !get(Some(&current), "compiled_graph").is_some_and(truthy) {
            let compiled = self.compile_graph(&json!({"runState": current}))?;
            current = compiled["run"].clone();
        }
        let cur = Some(&current);
        let graph = get(cur, "compiled_graph").cloned().unwrap_or(Value::Null);
        let live = match truthy_of(get(cur, "canonical_state")) {
            Some(c) => Canon::merge(Some(c), &current, self.session, Some(&graph)),
            None => self.reduce_canonical(Some(&current), None)?,
        };
        let canonical = live.serialize();
        let artifacts = self.verification_artifacts(cur)?;
        let list = |k: &str| arr(get(cur, k)).cloned().unwrap_or_default();
        let results = list("verification_results");
        let check_results = list("verification_check_results");
        let render = |method: &str, w: Value| -> OpResult<String> {
            Ok(projection::project(method, &jsjson::to_line(&w))?)
        };
        let plan = render("projectPlan", plan_wire(&live, &graph))?;
        let verify = render(
            "projectVerify",
            verify_wire(&live, &results, &check_results, &artifacts),
        )?;
        let state = render("projectState", base_wire(&live))?;
        let run_summary = render("projectRunSummary", run_summary_wire(&live))?;
        let commit = render("projectCommitSummary", titled_wire(&live, &graph))?;
        let promotion = render("projectPromotionSummary", titled_wire(&live, &graph))?;
        let pr = promotion.clone();
        let paths = self.artifact_paths()?;
        let op = self.paths()?;
        let x = &op.execution_root;
        let plan_path = self.projection_target(&paths.plan, "PLAN.md", x);
        let verify_path = self.projection_target(&paths.verify, "VERIFY.md", x);
        let state_path = self.projection_target(&paths.state, "STATE.md", x);
        let run_summary_path = x.join("RUN-SUMMARY.md");
        let commit_path = x.join("COMMIT-SUMMARY.md");
        let promotion_path = x.join("PROMOTION-SUMMARY.md");
        let pr_path = x.join("PR-SUMMARY.md");
        let r = |p: &Path| json!(rel(self.root, p));
        let refs = json!({
            "plan_ref": r(&plan_path),
            "verify_ref": r(&verify_path),
            "state_ref": r(&state_path),
            "run_summary_ref": r(&run_summary_path),
            "commit_summary_ref": r(&commit_path),
            "promotion_summary_ref": r(&promotion_path),
            "pr_summary_ref": r(&pr_path),
            "generated_at": js::now_iso(),
        });
        if get(o, "write") != Some(&Value::Bool(false)) {
            for (path, text) in [
                (&plan_path, &plan),
                (&verify_path, &verify),
                (&state_path, &state),
                (&run_summary_path, &run_summary),
                (&commit_path, &commit),
                (&promotion_path, &promotion),
                (&pr_path, &pr),
            ] {
                write_text(path, &format!("{text}\n"))?;
            }
        }
        let mut next = js::spread(cur);
        next.insert("canonical_state".into(), canonical);
        next.insert(
            "verification_manifest".into(),
            artifacts["manifest"].clone(),
        );
        next.insert("residual_risks".into(), artifacts["residualRisks"].clone());
        next.insert(
            "verification_evidence_coverage".into(),
            artifacts["evidenceCoverage"].clone(),
        );
        next.insert("projections".into(), refs);
        let next = self.write_run_state(&Value::Object(next))?;
        Ok(json!({
            "run": next,
            "projections": {
                "plan": plan, "verify": verify, "state": state, "runSummary": run_summary,
                "commitSummary": commit, "promotionSummary": promotion, "prSummary": pr,
            },
            "paths": {
                "state": path_value(&state_path),
                "spec": path_value(&paths.spec),
                "plan": path_value(&plan_path),
                "verify": path_value(&verify_path),
                "runSummary": path_value(&run_summary_path),
                "commitSummary": path_value(&commit_path),
                "promotionSummary": path_value(&promotion_path),
                "prSummary": path_value(&pr_path),
            },
        }))
    }

    /// `runRuntimeCiChecks`: the five built-in CI checks over the run,
    /// saved to `.oxe/runs/<id>/ci-results.json` and on the run
    /// (`ci_checks`), traced as `runtime_ci_completed`. A project without a
    /// run is compiled first. Returns `{run, runId, results, summary, path}`.
    pub fn run_ci(&self, options: &Value) -> OpResult<Value> {
        let o = Some(options);
        let current = match truthy_of(get(o, "runState")) {
            Some(r) => r.clone(),
            None => match self.read_run_state()? {
                Some(r) => r,
                None => self.compile_graph(&json!({}))?["run"].clone(),
            },
        };
        let run_id = truthy_of(get(o, "runId"))
            .or_else(|| truthy_of(get(Some(&current), "run_id")))
            .map(js_string);
        let ctx = ci_checks::CiContext {
            root: self.root.to_string_lossy().into_owned(),
            session: self.session.map(str::to_string),
            run: run_id.clone(),
            evidence_store: false,
        };
        let results: Vec<Value> = ci_checks::CheckKind::ALL
            .iter()
            .map(|k| ci_checks::run_check(*k, Some(json!(k.name())), &ctx))
            .collect();
        let statuses: Vec<Option<String>> = results
            .iter()
            .map(|r| r.get("status").and_then(Value::as_str).map(str::to_string))
            .collect();
        let summary = ci_checks::summarize(&statuses);
        let id = run_id.clone().unwrap_or_else(make_run_id);
        let path = run_dir(self.root, &id)?.join("ci-results.json");
        write_json(
            &path,
            &json!({"run_id": run_id, "generated_at": js::now_iso(), "summary": summary, "results": results}),
        )?;
        let mut next = js::spread(Some(&current));
        next.insert("run_id".into(), json!(id));
        next.insert(
            "status".into(),
            truthy_of(get(Some(&current), "status"))
                .cloned()
                .unwrap_or_else(|| json!("planned")),
        );
        next.insert(
            "ci_checks".into(),
            json!({
                "generated_at": js::now_iso(),
                "summary": summary,
                "results": results,
                "path": rel(self.root, &path),
            }),
        );
        let next = self.write_run_state(&Value::Object(next))?;
        let s = |k: &str| summary.get(k).cloned().unwrap_or(Value::Null);
        self.append_event(&json!({
            "type": "runtime_ci_completed",
            "run_id": next.get("run_id"),
            "payload": {
                "total": s("total"), "pass": s("pass"), "fail": s("fail"),
                "skip": s("skip"), "error": s("error"), "allPassed": s("allPassed"),
            },
        }))?;
        Ok(json!({
            "run": next,
            "runId": next.get("run_id"),
            "results": results,
            "summary": summary,
            "path": path_value(&path),
        }))
    }

    /// `buildRecoveryConsistency`: whether the pointer, the run file, the
    /// journal, the trace and the canonical state agree, and what recover
    /// would rehydrate (gates, policy decisions, evidence refs).
    pub fn recovery_consistency(
        &self,
        run: Option<&Value>,
        journal: Option<&Value>,
        artifacts: &Value,
    ) -> OpResult<Value> {
        let events = self.read_events()?;
        self.recovery_consistency_over(run, journal, artifacts, &events)
    }

    /// [`Self::recovery_consistency`] over an event trace the caller has
    /// already read (the health report reads it once for both uses).
    pub fn recovery_consistency_over(
        &self,
        run: Option<&Value>,
        journal: Option<&Value>,
        artifacts: &Value,
        events: &[Value],
    ) -> OpResult<Value> {
        let op = self.paths()?;
        let pointer = read_json(&op.active_run);
        let run_id = truthy_of(get(run, "run_id")).map(js_string);
        let run_file = match &run_id {
            Some(id) => Some(op.runs_dir.join(format!("{id}.json"))),
            None => None,
        };
        let dir = match &run_id {
            Some(id) => Some(run_dir(self.root, id)?),
            None => None,
        };
        let run_events = match &run_id {
            Some(id) => events
                .iter()
                .filter(|e| get(Some(e), "run_id") == Some(&json!(id)))
                .count(),
            None => 0,
        };
        let synced = pointer.is_some() && run.is_some() && {
            let pr = get(pointer.as_ref(), "run_id");
            pr.is_some() && pr == get(run, "run_id")
        };
        let pointer_matches = pointer.as_ref().is_some_and(|p| {
            p.get("run_id").cloned().unwrap_or(Value::Null)
                == get(run, "run_id").cloned().unwrap_or(Value::Null)
        });
        let mut issues: Vec<String> = Vec::new();
        if !pointer_matches {
            issues.push(self.t(
                "ACTIVE-RUN.json does not point to the run stored under .oxe/runs/.",
                "ACTIVE-RUN.json não referencia o mesmo run persistido em .oxe/runs/.",
            ));
        }
        let run_file_exists = run_file.as_ref().is_some_and(|f| f.exists());
        if !run_file_exists {
            issues.push(self.t(
                "The run's canonical file .oxe/runs/<run>.json is missing.",
                "Arquivo canónico da run ausente em .oxe/runs/<run>.json.",
            ));
        }
        let journal_exists = journal.is_some_and(truthy);
        if !journal_exists {
            issues.push(self.t(
                "No journal to recover or replay from.",
                "Journal ausente para recover/replay.",
            ));
        }
        if run_events == 0 {
            issues.push(self.t(
                "No NDJSON event found for the active run.",
                "Nenhum evento NDJSON encontrado para a run ativa.",
            ));
        }
        if !get(run, "canonical_state").is_some_and(truthy) {
            issues.push(self.t(
                "The ACTIVE-RUN has no canonical_state.",
                "canonical_state ausente no ACTIVE-RUN.",
            ));
        }
        let rid = run_id.clone().map_or(Value::Null, Value::String);
        let gates = self.read_gates(&json!({"runId": rid}))?;
        let decisions_path = dir.as_ref().map(|d| d.join("policy-decisions.json"));
        let decisions = decisions_path
            .as_ref()
            .and_then(|p| read_json(p))
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(0);
        let promotion_path = dir.as_ref().map(|d| d.join("promotion-record.json"));
        let promotion = promotion_path
            .as_ref()
            .and_then(|p| read_json(p))
            .filter(truthy);
        let mut incomplete: Vec<Value> = Vec::new();
        if let Some(Value::Object(attempts)) = get(get(run, "canonical_state"), "attempts") {
            for (wid, entries) in attempts {
                for entry in arr(Some(entries)).into_iter().flatten() {
                    let outcome = if entry.is_object() {
                        text_or(entry.get("outcome"), "")
                    } else {
                        String::new()
                    };
                    if outcome.is_empty() || outcome == "running" || outcome == "pending" {
                        let en = Some(entry);
                        incomplete.push(json!({
                            "work_item_id": wid,
                            "attempt_id": if entry.is_object() { or_null(get(en, "attempt_id")) } else { Value::Null },
                            "outcome": if entry.is_object() { or_null(get(en, "outcome")) } else { Value::Null },
                        }));
                    }
                }
            }
        }
        if !incomplete.is_empty() {
            let n = incomplete.len();
            issues.push(match self.lang {
                crate::i18n::Lang::En => {
                    format!("{n} incomplete attempt(s) still stored in the canonical state.")
                }
                crate::i18n::Lang::PtBr => format!(
                    "{n} tentativa(s) incompleta(s) ainda persistida(s) no estado canônico."
                ),
            });
        }
        let evidence_refs: usize = match arr(get(get(Some(artifacts), "manifest"), "checks")) {
            Some(checks) => checks
                .iter()
                .map(|c| arr(get(Some(c), "evidence_refs")).map_or(0, Vec::len))
                .sum(),
            None => arr(get(run, "verification_results"))
                .into_iter()
                .flatten()
                .map(|r| arr(get(Some(r), "evidence_refs")).map_or(0, Vec::len))
                .sum(),
        };
        let opt = |p: &Option<PathBuf>| p.as_deref().map_or(Value::Null, path_value);
        let in_dir = |name: &str| {
            dir.as_ref()
                .map_or(Value::Null, |d| path_value(&d.join(name)))
        };
        Ok(json!({
            "active_run_path": path_value(&op.active_run),
            "run_file_path": opt(&run_file),
            "run_dir": opt(&dir),
            "journal_path": in_dir("journal.json"),
            "events_path": path_value(&op.events),
            "gates_path": path_value(&op.gates),
            "policy_decisions_path": opt(&decisions_path),
            "verification_manifest_path": in_dir("verification-manifest.json"),
            "residual_risk_path": in_dir("residual-risk-ledger.json"),
            "evidence_coverage_path": in_dir("evidence-coverage.json"),
            "promotion_record_path": opt(&promotion_path),
            "run_id": rid,
            "active_run_synced": synced,
            "run_file_exists": run_file_exists,
            "journal_exists": journal_exists,
            "event_count": run_events,
            "issues": issues,
            "pending_gates_rehydrated": gates["pending"].as_array().map_or(0, Vec::len),
            "policy_decisions_rehydrated": decisions,
            "evidence_refs_tracked": evidence_refs,
            "verification_artifacts_present": get(Some(artifacts), "manifest").is_some_and(truthy),
            "promotion_attempt_present": promotion.is_some(),
            "promotion_status": truthy_of(get(promotion.as_ref(), "status")).cloned().unwrap_or(Value::Null),
            "incomplete_attempts": incomplete,
        }))
    }

    /// `recoverRuntimeState`: rebuilds the run's canonical state from its
    /// trace and journal, lists orphan work items, writes
    /// `.oxe/runs/<id>/recovery-summary.json` and `RECOVERY-SUMMARY.md`,
    /// and traces a `RunStarted` marked `recovered`.
    /// Returns `{run, journal, recoverySummary}`.
    pub fn recover(&self, options: &Value) -> OpResult<Value> {
        let current = match truthy_of(get(Some(options), "runState")) {
            Some(r) => Some(r.clone()),
            None => self.read_run_state()?,
        };
        let run_id = truthy_of(get(current.as_ref(), "run_id")).map(js_string);
        let (Some(current), Some(run_id)) = (current, run_id) else {
            return Err(OpError::NoRunForRecover);
        };
        let cur = Some(&current);
        let journal = oxe_runtime::scheduler::run_journal::load_journal(self.root, &run_id)?
            .filter(truthy)
            .ok_or_else(|| OpError::JournalMissing(run_id.clone()))?;
        let live = self.reduce_canonical(Some(&current), Some(&json!(run_id)))?;
        let graph_nodes: Vec<String> = match get(get(cur, "compiled_graph"), "nodes") {
            Some(Value::Object(n)) => n.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let mut orphans = Map::new();
        for id in arr(journal.get("pending_gates"))
            .into_iter()
            .flatten()
            .chain(arr(get(cur, "active_tasks")).into_iter().flatten())
        {
            if truthy(id) && !graph_nodes.contains(&js_string(id)) {
                orphans.insert(key(id), id.clone());
            }
        }
        let orphans: Vec<Value> = orphans.into_iter().map(|(_, v)| v).collect();
        let state = journal.get("scheduler_state");
        let next_status = match state.and_then(Value::as_str) {
            Some("paused") => json!("paused"),
            Some("blocked") => json!("blocked"),
            _ => truthy_of(get(cur, "status"))
                .cloned()
                .unwrap_or_else(|| json!("planned")),
        };
        let artifacts = self.verification_artifacts(cur)?;
        let consistency = self.recovery_consistency(cur, Some(&journal), &artifacts)?;
        let pending: Vec<Value> = self.read_gates(&json!({"runId": run_id}))?["pending"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|g| g.get("gate_id").cloned().unwrap_or(Value::Null))
                    .collect()
            })
            .unwrap_or_default();
        let mut summary = json!({
            "recovered_at": js::now_iso(),
            "journal_state": state.cloned(),
            "orphan_work_items": orphans,
            "pending_gates": pending,
            "consistency": consistency,
        });
        let json_path = run_dir(self.root, &run_id)?.join("recovery-summary.json");
        write_json(&json_path, &summary)?;
        let md_path = self.paths()?.execution_root.join("RECOVERY-SUMMARY.md");
        write_text(&md_path, &self.recovery_markdown(&current, &summary))?;
        summary["json_ref"] = json!(rel(self.root, &json_path));
        summary["markdown_ref"] = json!(rel(self.root, &md_path));
        let mut metrics = js::spread(truthy_of(get(cur, "metrics")));
        let count = js::to_number(Some(
            &truthy_of(metrics.get("recover_count"))
                .cloned()
                .unwrap_or_else(|| json!(0)),
        ));
        metrics.insert("recover_count".into(), js::num(count + 1.0));
        metrics.insert("last_action".into(), json!("recover"));
        let mut next = js::spread(cur);
        next.insert("status".into(), next_status);
        next.insert("canonical_state".into(), live.serialize());
        next.insert("recovery_summary".into(), summary.clone());
        next.insert("metrics".into(), Value::Object(metrics));
        let next = self.write_run_state(&Value::Object(next))?;
        self.append_event(&json!({
            "type": "RunStarted",
            "run_id": next.get("run_id"),
            "payload": {
                "recovered": true,
                "orphan_work_items": summary["orphan_work_items"],
                "journal_state": summary["journal_state"],
            },
        }))?;
        Ok(json!({"run": next, "journal": journal, "recoverySummary": summary}))
    }

    fn recovery_markdown(&self, run: &Value, s: &Value) -> String {
        let dash = "—";
        let c = &s["consistency"];
        let n = |k: &str| match c.get(k) {
            Some(v) if !v.is_null() => js_string(v),
            _ => "0".into(),
        };
        let t = |en: &str, pt: &str| self.t(en, pt);
        let mut lines = vec![
            "# OXE — Recovery Summary".to_string(),
            String::new(),
            format!("- **{}:** {}", t("Date", "Data"), js::now_iso()),
            format!("- **Run:** {}", text_or(run.get("run_id"), dash)),
            format!(
                "- **{}:** {}",
                t("Status after recover", "Estado pós-recover"),
                text_or(run.get("status"), dash)
            ),
            format!("- **Journal:** {}", text_or(s.get("journal_state"), dash)),
            format!(
                "- **{}:** {}",
                t("Pending gates rehydrated", "Gates pendentes reidratados"),
                n("pending_gates_rehydrated")
            ),
            format!(
                "- **{}:** {}",
                t(
                    "Policy decisions rehydrated",
                    "Decisões de policy reidratadas"
                ),
                n("policy_decisions_rehydrated")
            ),
            format!(
                "- **{}:** {}",
                t("Evidence refs tracked", "Evidence refs rastreados"),
                n("evidence_refs_tracked")
            ),
            format!(
                "- **{}:** {}",
                t("Promotion attempt", "Tentativa de promoção"),
                text_or(c.get("promotion_status"), dash)
            ),
            String::new(),
            format!("## {}", t("Orphan work items", "Work items órfãos")),
            String::new(),
        ];
        let orphans = arr(s.get("orphan_work_items")).cloned().unwrap_or_default();
        if orphans.is_empty() {
            lines.push(format!("- {}", t("None", "Nenhum")));
        } else {
            lines.extend(orphans.iter().map(|o| format!("- {}", js_string(o))));
        }
        lines.push(String::new());
        lines.push(format!(
            "## {}",
            t("Incomplete attempts", "Tentativas incompletas")
        ));
        lines.push(String::new());
        let inc = arr(c.get("incomplete_attempts"))
            .cloned()
            .unwrap_or_default();
        if inc.is_empty() {
            lines.push(format!("- {}", t("None", "Nenhuma")));
        } else {
            for i in &inc {
                lines.push(format!(
                    "- {} · {} · {}",
                    text_or(i.get("work_item_id"), ""),
                    text_or(i.get("attempt_id"), "attempt"),
                    text_or(i.get("outcome"), "unknown")
                ));
            }
        }
        lines.push(String::new());
        lines.push(format!("## {}", t("Consistency", "Consistência")));
        lines.push(String::new());
        let issues = arr(c.get("issues")).cloned().unwrap_or_default();
        if issues.is_empty() {
            lines.push(format!(
                "- {}",
                t(
                    "No critical inconsistency found.",
                    "Sem inconsistências críticas detectadas."
                )
            ));
        } else {
            lines.extend(issues.iter().map(|i| format!("- {}", js_string(i))));
        }
        lines.join("\n") + "\n"
    }

    // -------------------------------------------------------------- replay

    /// `replayEvents`: the trace filtered by run, start event, wave and
    /// limit, sorted by time, with the delta between events, the waves,
    /// tasks, checkpoints and failures it holds; `writeReport` also writes
    /// `REPLAY-SESSION.md` next to the trace.
    pub fn replay_events(&self, options: &Value) -> OpResult<Value> {
        let o = Some(options);
        let f = |k: &str| get(o, k);
        let mut events = self.read_events()?;
        if let Some(run) = truthy_of(f("runId")) {
            events.retain(|e| get(Some(e), "run_id") == Some(run));
        }
        if let Some(from) = truthy_of(f("fromEventId")) {
            if let Some(i) = events
                .iter()
                .position(|e| get(Some(e), "event_id") == Some(from))
            {
                events.drain(..i);
            }
        }
        if let Some(w) = f("waveId").filter(|w| !w.is_null()) {
            let tag = format!("wave-{}", js_string(w));
            let plain = js_string(w);
            events.retain(|e| match get(Some(e), "wave_id") {
                Some(Value::String(s)) if *s == tag => true,
                Some(v) => js_string(v) == plain,
                None => plain == "undefined",
            });
        }
        let limit = js::to_number(f("limit"));
        if truthy_of(f("limit")).is_some() && limit > 0.0 {
            events.truncate(limit.floor() as usize);
        }
        js::stable_sort_by(&mut events, &|a, b| {
            js::time_of(get(Some(a), "timestamp")) - js::time_of(get(Some(b), "timestamp")) < 0.0
        });
        let times: Vec<f64> = events
            .iter()
            .map(|e| js::time_of(get(Some(e), "timestamp")))
            .collect();
        for (i, e) in events.iter_mut().enumerate() {
            if let Value::Object(m) = e {
                let d = if i == 0 { 0.0 } else { times[i] - times[i - 1] };
                m.insert("_delta_ms".into(), js::num(d));
            }
        }
        let duration = match (times.first(), times.last()) {
            (Some(a), Some(b)) => js::num(b - a),
            _ => Value::Null,
        };
        let mut waves: Vec<f64> = Vec::new();
        for e in &events {
            if let Some(w) = get(Some(e), "wave_id").filter(|w| !w.is_null()) {
                let s = js_string(w);
                if let Some(d) = s.strip_prefix("wave-") {
                    if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) {
                        let n = crate::jstext::to_number(d);
                        if !waves.contains(&n) {
                            waves.push(n);
                        }
                    }
                }
            }
        }
        waves.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        let mut tasks = Map::new();
        for e in &events {
            let t = truthy_of(get(Some(e), "task_id"))
                .or_else(|| truthy_of(get(Some(e), "work_item_id")));
            if let Some(t) = t {
                tasks.insert(key(t), t.clone());
            }
        }
        let type_str = |e: &Value| match get(Some(e), "type") {
            Some(t) => js_string(t),
            None => "undefined".into(),
        };
        let checkpoints: Vec<Value> = events
            .iter()
            .filter(|e| type_str(e).contains("checkpoint"))
            .map(|e| get(Some(e), "event_id").cloned().unwrap_or(Value::Null))
            .collect();
        let failures: Vec<Value> = events
            .iter()
            .filter(|e| {
                let t = type_str(e);
                t.contains("fail") || t.contains("error")
            })
            .cloned()
            .collect();
        let mut report = Map::new();
        report.insert("events".into(), Value::Array(events.clone()));
        report.insert("totalEvents".into(), json!(events.len()));
        report.insert("duration_ms".into(), duration);
        match truthy_of(f("runId")) {
            Some(r) => {
                report.insert("runId".into(), r.clone());
            }
            None => match events.first() {
                Some(e) => {
                    if let Some(r) = get(Some(e), "run_id") {
                        report.insert("runId".into(), r.clone());
                    }
                }
                None => {
                    report.insert("runId".into(), Value::Null);
                }
            },
        }
        report.insert(
            "waveIds".into(),
            Value::Array(waves.iter().map(|w| js::num(*w)).collect()),
        );
        report.insert(
            "taskSequence".into(),
            Value::Array(tasks.into_iter().map(|(_, v)| v).collect()),
        );
        report.insert("checkpointSequence".into(), Value::Array(checkpoints));
        report.insert("failureEvents".into(), Value::Array(failures));
        let mut report = Value::Object(report);
        if truthy_of(f("writeReport")).is_some() {
            let events_path = self.paths()?.events;
            let dir = events_path
                .parent()
                .map_or_else(|| self.root.to_path_buf(), Path::to_path_buf);
            let path = dir.join("REPLAY-SESSION.md");
            write_text(&path, &self.replay_markdown(&report))?;
            report["_reportPath"] = path_value(&path);
        }
        Ok(report)
    }

    fn replay_markdown(&self, r: &Value) -> String {
        let dash = "—";
        let join = |k: &str| {
            let s: Vec<String> = arr(r.get(k)).into_iter().flatten().map(js_string).collect();
            if s.is_empty() {
                dash.to_string()
            } else {
                s.join(", ")
            }
        };
        let duration = match r.get("duration_ms") {
            Some(Value::Null) | None => dash.to_string(),
            Some(d) => format!("{}s", js::to_fixed1(js::to_number(Some(d)) / 1000.0)),
        };
        let t = |en: &str, pt: &str| self.t(en, pt);
        let mut lines = vec![
            "# OXE — Replay Session".to_string(),
            String::new(),
            format!("- **{}:** {}", t("Date", "Data"), &js::now_iso()[..10]),
            format!("- **Run:** {}", text_or(r.get("runId"), dash)),
            format!(
                "- **{}:** {}",
                t("Events", "Total eventos"),
                js_string(&r["totalEvents"])
            ),
            format!("- **{}:** {duration}", t("Duration", "Duração")),
            format!("- **{}:** {}", t("Waves", "Ondas"), join("waveIds")),
            format!("- **{}:** {}", t("Tasks", "Tarefas"), join("taskSequence")),
            format!(
                "- **{}:** {}",
                t("Failures", "Falhas"),
                arr(r.get("failureEvents")).map_or(0, Vec::len)
            ),
            String::new(),
            "## Timeline".to_string(),
            String::new(),
            format!(
                "| # | {} | Wave | Task | Delta | Timestamp |",
                t("Type", "Tipo")
            ),
            "|---|------|------|------|-------|-----------|".to_string(),
        ];
        for (i, e) in arr(r.get("events")).into_iter().flatten().enumerate() {
            let g = |k: &str| get(Some(e), k);
            let delta = if i > 0 {
                format!(
                    "+{}s",
                    js::to_fixed1(js::to_number(g("_delta_ms")) / 1000.0)
                )
            } else {
                dash.to_string()
            };
            lines.push(format!(
                "| {} | {} | {} | {} | {} | {} |",
                i + 1,
                g("type").map_or_else(|| "undefined".into(), js_string),
                text_or(g("wave_id"), dash),
                text_or(truthy_of(g("task_id")).or_else(|| g("work_item_id")), dash),
                delta,
                g("timestamp").map_or_else(|| "undefined".into(), js_string),
            ));
        }
        lines.join("\n") + "\n"
    }

    /// `replayRuntimeState`: the replay of a run with its journal, gate
    /// queue, policy decisions, verification artefacts, promotion record
    /// and recovery consistency; `writeReport` also saves it to
    /// `.oxe/runs/<id>/replay-report.json`.
    pub fn replay_state(&self, options: &Value) -> OpResult<Value> {
        let o = Some(options);
        let f = |k: &str| get(o, k);
        let current = match truthy_of(f("runState")) {
            Some(r) => Some(r.clone()),
            None => self.read_run_state()?,
        };
        let run_id = truthy_of(f("runId"))
            .or_else(|| truthy_of(get(current.as_ref(), "run_id")))
            .cloned();
        let wave = match f("waveId") {
            Some(w) if present(Some(w)) => w.clone(),
            _ => f("wave").cloned().unwrap_or(Value::Null),
        };
        let replay = self.replay_events(&json!({
            "runId": run_id,
            "fromEventId": or_null(f("fromEventId")),
            "waveId": wave,
            "limit": f("limit"),
            "writeReport": f("writeReport").is_some_and(truthy),
        }))?;
        let dir = match &run_id {
            Some(id) => Some(run_dir(self.root, &js_string(id))?),
            None => None,
        };
        let in_dir = |name: &str| dir.as_ref().and_then(|d| read_json(&d.join(name)));
        let journal = in_dir("journal.json").filter(truthy);
        let artifacts = match &current {
            Some(c) => self.verification_artifacts(Some(c))?,
            None => json!({"manifest": null, "residualRisks": null, "evidenceCoverage": null}),
        };
        let consistency = match (&current, &journal) {
            (Some(c), Some(j)) => self.recovery_consistency(Some(c), Some(j), &artifacts)?,
            _ => Value::Null,
        };
        let gates = self.read_gates(&json!({"runId": run_id}))?;
        let decisions = match in_dir("policy-decisions.json") {
            Some(Value::Array(a)) => Value::Array(a),
            _ => json!([]),
        };
        let mut summary = json!({
            "run_id": run_id,
            "generated_at": js::now_iso(),
            "replay": replay,
            "gateQueue": gates,
            "policyDecisions": decisions,
            "verification": artifacts,
            "promotion": in_dir("promotion-record.json").filter(truthy),
            "consistency": consistency,
        });
        if let (true, Some(d)) = (f("writeReport").is_some_and(truthy), &dir) {
            let path = d.join("replay-report.json");
            write_json(&path, &summary)?;
            summary["report_path"] = path_value(&path);
        }
        Ok(summary)
    }
}

/// `compile(plan, spec, opts)` then `toSerializable`, with the nodes built
/// from the plan's own task objects (as the JS glue builds them), and the
/// `validateGraph` messages.
pub fn compile_serializable(
    plan: &Value,
    spec: &Value,
    opts: &Value,
) -> OpResult<(Value, Vec<String>)> {
    let g = compiler::compile(
        &jsjson::to_line(plan),
        &jsjson::to_line(spec),
        Some(&jsjson::to_line(opts)),
    )?;
    let tasks = arr(plan.get("tasks")).cloned().unwrap_or_default();
    let parse = |t: &str| jsjson::parse(t).unwrap_or(Value::Null);
    let strategy = parse(&g.strategy);
    let max_retries = parse(&g.max_retries);
    let approval = parse(&g.approval);
    let mut nodes = Map::new();
    let mut pairs = Vec::new();
    for n in &g.nodes {
        let t = &tasks[n.task];
        let tf = |k: &str| t.get(k).cloned();
        let mut node = Map::new();
        let put = |m: &mut Map<String, Value>, k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.into(), v);
            }
        };
        put(&mut node, "id", tf("id"));
        put(&mut node, "title", tf("title"));
        node.insert("wave".into(), parse(&n.wave));
        put(&mut node, "depends_on", tf("dependsOn"));
        node.insert("workspace_strategy".into(), strategy.clone());
        put(&mut node, "mutation_scope", tf("files"));
        let mut actions = Vec::new();
        if n.flags & compiler::graph_compiler::READ_CODE != 0 {
            let mut a = Map::new();
            a.insert("type".into(), json!("read_code"));
            put(&mut a, "targets", tf("files"));
            actions.push(Value::Object(a));
        }
        actions.push(json!({"type": "generate_patch"}));
        let tests = n.flags & compiler::graph_compiler::RUN_TESTS != 0;
        if tests {
            let mut a = Map::new();
            a.insert("type".into(), json!("run_tests"));
            put(&mut a, "command", tf("verifyCommand"));
            actions.push(Value::Object(a));
        }
        actions.push(json!({"type": "collect_evidence"}));
        node.insert("actions".into(), Value::Array(actions));
        let mut verify = Map::new();
        verify.insert(
            "must_pass".into(),
            if tests { json!(["tests"]) } else { json!([]) },
        );
        put(&mut verify, "acceptance_refs", tf("aceite"));
        put(&mut verify, "command", tf("verifyCommand"));
        node.insert("verify".into(), Value::Object(verify));
        node.insert(
            "policy".into(),
            json!({"requires_human_approval": approval, "max_retries": max_retries}),
        );
        let id = tf("id").unwrap_or(Value::Null);
        pairs.push((id.clone(), tf("dependsOn").unwrap_or(Value::Null)));
        nodes.insert(js_string(&id), Value::Object(node));
    }
    let edges: Vec<Value> = g
        .edges
        .iter()
        .map(|(ti, d)| {
            let t = &tasks[*ti];
            json!({
                "from": t.get("dependsOn").and_then(|x| x.get(*d)),
                "to": t.get("id"),
                "type": "dependency",
            })
        })
        .collect();
    let waves: Vec<Value> = g
        .waves
        .iter()
        .map(|(n, ids)| {
            json!({
                "wave_number": parse(n),
                "node_ids": ids.iter().map(|ti| tasks[*ti].get("id").cloned().unwrap_or(Value::Null)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let validation = compiler::validate_graph(&pairs)?;
    Ok((
        json!({"nodes": nodes, "edges": edges, "waves": waves, "metadata": g.metadata}),
        validation,
    ))
}

// ------------------------------------------------------- projection wires

/// `{run_id, status, mode, started_at, ended_at}` of the state's run, keys
/// present only when the run has them.
fn run_of(live: &Canon) -> Value {
    match &live.run {
        Value::Object(r) => {
            let mut m = Map::new();
            for k in ["run_id", "status", "mode", "started_at", "ended_at"] {
                if let Some(v) = r.get(k) {
                    m.insert(k.into(), v.clone());
                }
            }
            Value::Object(m)
        }
        Value::Null => Value::Null,
        _ => json!({}),
    }
}

fn base_wire(live: &Canon) -> Value {
    let ids = |s: &super::canon::KMap| Value::Array(s.values().cloned().collect());
    json!({
        "run": run_of(live),
        "completed": ids(&live.completed),
        "failed": ids(&live.failed),
        "blocked": ids(&live.blocked),
    })
}

fn node_of<'g>(graph: &'g Value, id: &Value) -> Option<&'g Value> {
    match (graph.get("nodes"), id) {
        (Some(Value::Object(n)), Value::String(s)) => n.get(s),
        _ => None,
    }
}

fn plan_wire(live: &Canon, graph: &Value) -> Value {
    let mut w = base_wire(live);
    let mut rows = Vec::new();
    for wave in arr(graph.get("waves")).into_iter().flatten() {
        for id in arr(wave.get("node_ids")).into_iter().flatten() {
            let status = live
                .work_items
                .get(&key(id))
                .and_then(|i| i.get("status"))
                .cloned()
                .unwrap_or(Value::Null);
            rows.push(match node_of(graph, id) {
                None | Some(Value::Null) => json!([0, null, null, status]),
                Some(n) => json!([1, n.get("title"), n.get("depends_on"), status]),
            });
        }
    }
    w["rows"] = Value::Array(rows);
    w["waves"] = graph.get("waves").cloned().unwrap_or(Value::Null);
    w["metadata"] = graph.get("metadata").cloned().unwrap_or(Value::Null);
    w
}

fn pick(v: &Value, fields: &[(&str, &str)]) -> Value {
    let mut m = Map::new();
    for (to, from) in fields {
        if let Some(x) = v.get(*from) {
            m.insert((*to).into(), x.clone());
        }
    }
    Value::Object(m)
}

fn verify_wire(live: &Canon, results: &[Value], checks: &[Value], artifacts: &Value) -> Value {
    let mut w = base_wire(live);
    w["results"] = Value::Array(
        results
            .iter()
            .map(|r| {
                pick(
                    r,
                    &[
                        ("c", "check_id"),
                        ("s", "summary"),
                        ("t", "status"),
                        ("e", "evidence_refs"),
                    ],
                )
            })
            .collect(),
    );
    w["check_results"] = Value::Array(
        checks
            .iter()
            .map(|c| {
                pick(
                    c,
                    &[
                        ("c", "check_id"),
                        ("a", "acceptance_ref"),
                        ("t", "status"),
                        ("d", "duration_ms"),
                    ],
                )
            })
            .collect(),
    );
    let m = &artifacts["manifest"];
    w["manifest"] = if truthy(m) {
        pick(m, &[("summary", "summary")])
    } else {
        Value::Null
    };
    let r = &artifacts["residualRisks"];
    w["risk_ledger"] = if truthy(r) {
        pick(r, &[("risks", "risks")])
    } else {
        Value::Null
    };
    w["coverage"] = artifacts["evidenceCoverage"].clone();
    w
}

fn run_summary_wire(live: &Canon) -> Value {
    let mut w = base_wire(live);
    w["attempts"] = Value::Array(
        live.attempts
            .values()
            .map(|a| match a {
                Value::Array(x) => json!(x.len()),
                Value::String(s) => json!(s.encode_utf16().count()),
                _ => Value::Null,
            })
            .collect(),
    );
    w
}

fn titled_wire(live: &Canon, graph: &Value) -> Value {
    let mut w = base_wire(live);
    for set in ["completed", "failed", "blocked"] {
        let titles: Vec<Value> = arr(w.get(set))
            .into_iter()
            .flatten()
            .map(|id| {
                node_of(graph, id)
                    .and_then(|n| n.get("title"))
                    .cloned()
                    .unwrap_or(Value::Null)
            })
            .collect();
        w[format!("{set}_titles")] = Value::Array(titles);
    }
    w["waves"] = graph.get("waves").cloned().unwrap_or(Value::Null);
    w
}
