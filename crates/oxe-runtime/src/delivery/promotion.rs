//! The merge gate and the promotion pipeline.
//!
//! `promote` calls JS objects (the gate evaluator, the branch manager, the
//! PR manager) synchronously, so it is a two-step machine driven by the
//! glue: [`promote_begin`] takes the evaluator's report and the current
//! branch and either finishes (blocked) or asks for one effect — push the
//! branch, or create a draft PR; [`promote_finish`] takes the effect's
//! outcome and writes the records.
//!
//! Beyond 1.4.0, the pipeline journals its intent in
//! `.oxe/runs/<run>/promotion-intent.json` (`status: "started"`) before
//! asking for the effect, journals the result there (`"completed"`, with the
//! record) before writing the records, and then marks it `"recorded"`. If
//! the process dies after the effect and before the result is journaled,
//! the next `promote` of that run finds the intent still `started`, does
//! not push or open a second PR, and returns a `blocked` record whose
//! reasons say what to check and which file to delete. If it dies after the
//! result is journaled, the next call copies the journaled record into the
//! records and carries on.

use serde_json::{json, Map, Value};

use super::records::{self, PrLinkRead, RecordKind};
use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson;
use crate::plugins::js::{js_string_opt, less_than, truthy_opt};
use crate::store::{self, Diagnostic};

/// Diagnostic code: a promotion was found interrupted between its effect
/// and its records.
pub const W_PROMOTION_INTERRUPTED: &str = "OXE_W_PROMOTION_INTERRUPTED";

fn arg(msg: impl Into<String>) -> OxeError {
    OxeError::Arg(msg.into())
}

fn array<'a>(v: &'a Value, key: &str, who: &str) -> OxeResult<&'a [Value]> {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| arg(format!("{who}: runResult.{key} must be an array")))
}

/// `Array.prototype.join(sep)`.
fn join(items: &[Value], sep: &str) -> String {
    items
        .iter()
        .map(|v| {
            if v.is_null() {
                String::new()
            } else {
                jsjson::js_string(v)
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

fn summary_of<'a>(manifest: &'a Value, who: &str) -> OxeResult<Option<&'a Value>> {
    if !jsjson::truthy(manifest) {
        return Ok(None);
    }
    match manifest.get("summary") {
        Some(s @ Value::Object(_)) => Ok(Some(s)),
        _ => Err(arg(format!("{who}: manifest.summary must be an object"))),
    }
}

fn risks_of<'a>(ledger: &'a Value, who: &str) -> OxeResult<&'a [Value]> {
    if !jsjson::truthy(ledger) {
        return Ok(&[]);
    }
    let risks = ledger
        .get("risks")
        .and_then(Value::as_array)
        .ok_or_else(|| arg(format!("{who}: riskLedger.risks must be an array")))?;
    if risks.iter().any(|r| !r.is_object()) {
        return Err(arg(format!("{who}: every risk must be an object")));
    }
    Ok(risks)
}

/// `MergeGateEvaluator.evaluate(runResult, manifest, riskLedger, gates,
/// evidenceCoverage, minimumCoverage)`.
pub fn evaluate(
    run_result: &Value,
    manifest: &Value,
    ledger: &Value,
    gates: &Value,
    coverage: &Value,
    min_coverage: &Value,
) -> OxeResult<Value> {
    const WHO: &str = "MergeGateEvaluator.evaluate";
    let failed = array(run_result, "failed", WHO)?;
    let blocked = array(run_result, "blocked", WHO)?;
    let gates = gates
        .as_array()
        .ok_or_else(|| arg(format!("{WHO}: gates must be an array")))?;
    let mut pending = Vec::new();
    for g in gates {
        let gm = g
            .as_object()
            .ok_or_else(|| arg(format!("{WHO}: every gate must be an object")))?;
        if gm.get("status") == Some(&Value::from("pending")) {
            let mut p = Map::new();
            for k in ["gate_id", "scope"] {
                if let Some(v) = gm.get(k) {
                    p.insert(k.into(), v.clone());
                }
            }
            let wi = gm.get("work_item_id").filter(|v| !v.is_null()).cloned();
            p.insert("work_item_id".into(), wi.unwrap_or(Value::Null));
            pending.push(Value::Object(p));
        }
    }
    let mut reasons = Vec::new();
    if !failed.is_empty() {
        reasons.push(format!(
            "{} task(s) failed: {}",
            failed.len(),
            join(failed, ", ")
        ));
    }
    if !blocked.is_empty() {
        reasons.push(format!(
            "{} task(s) blocked: {}",
            blocked.len(),
            join(blocked, ", ")
        ));
    }
    if let Some(summary) = summary_of(manifest, WHO)? {
        if !truthy_opt(summary.get("all_passed")) {
            reasons.push(format!(
                "Verification: {} check(s) failed, {} error(s)",
                js_string_opt(summary.get("fail")),
                js_string_opt(summary.get("error"))
            ));
        }
    }
    let mut blocking = Vec::new();
    for r in risks_of(ledger, WHO)? {
        let sev = r.get("severity");
        if sev == Some(&Value::from("critical")) || sev == Some(&Value::from("high")) {
            blocking.push(format!(
                "[{}] {}",
                js_string_opt(sev).to_uppercase(),
                js_string_opt(r.get("description"))
            ));
        }
    }
    if !pending.is_empty() {
        reasons.push(format!("{} pending gate(s)", pending.len()));
    }
    if jsjson::truthy(coverage) {
        let cp = coverage.get("coverage_percent");
        if less_than(cp, Some(min_coverage)) {
            reasons.push(format!(
                "Evidence coverage below threshold: {}%/{}%",
                js_string_opt(cp),
                jsjson::js_string(min_coverage)
            ));
        }
    }
    let verdict = if reasons.is_empty() && blocking.is_empty() {
        "approved"
    } else {
        "blocked"
    };
    Ok(json!({
        "verdict": verdict,
        "reasons": reasons,
        "blocking_risks": blocking,
        "pending_gates": pending,
    }))
}

/// Which summary to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryKind {
    /// `buildCommitSummary` (with an optional commit message).
    Commit,
    /// `buildPromotionSummary` / `buildPRBody`.
    Promotion,
    /// `baseSummaryLines` joined with `\n`.
    Base,
}

fn base_lines(run_result: &Value, manifest: &Value, ledger: &Value) -> OxeResult<Vec<String>> {
    const WHO: &str = "PromotionPipeline";
    let completed = array(run_result, "completed", WHO)?;
    let failed = array(run_result, "failed", WHO)?;
    let blocked = array(run_result, "blocked", WHO)?;
    let mut lines = vec![
        format!("**Run ID:** `{}`", js_string_opt(run_result.get("run_id"))),
        format!("**Status:** {}", js_string_opt(run_result.get("status"))),
        format!("**Completed:** {} tasks", completed.len()),
    ];
    if !failed.is_empty() {
        lines.push(format!("**Failed:** {}", join(failed, ", ")));
    }
    if !blocked.is_empty() {
        lines.push(format!("**Blocked:** {}", join(blocked, ", ")));
    }
    if let Some(s) = summary_of(manifest, WHO)? {
        lines.push(String::new());
        lines.push("## Verification".into());
        for (label, k) in [
            ("Total", "total"),
            ("Pass", "pass"),
            ("Fail", "fail"),
            ("Skip", "skip"),
        ] {
            lines.push(format!("- {label}: {}", js_string_opt(s.get(k))));
        }
    }
    let risks = risks_of(ledger, WHO)?;
    if !risks.is_empty() {
        lines.push(String::new());
        lines.push("## Residual Risks".into());
        for r in risks {
            lines.push(format!(
                "- [{}] {}",
                js_string_opt(r.get("severity")).to_uppercase(),
                js_string_opt(r.get("description"))
            ));
            if truthy_opt(r.get("mitigation")) {
                lines.push(format!(
                    "  - Mitigation: {}",
                    js_string_opt(r.get("mitigation"))
                ));
            }
        }
    }
    lines.push(String::new());
    lines.push("---".into());
    lines.push("*Generated by OXE Runtime*".into());
    Ok(lines)
}

/// The Markdown summaries of a run.
pub fn summary(
    kind: SummaryKind,
    run_result: &Value,
    manifest: &Value,
    ledger: &Value,
    commit_message: &Value,
) -> OxeResult<String> {
    let base = base_lines(run_result, manifest, ledger)?;
    let mut lines: Vec<String> = match kind {
        SummaryKind::Base => Vec::new(),
        SummaryKind::Promotion => vec!["## OXE Promotion Summary".into(), String::new()],
        SummaryKind::Commit => {
            let mut l = vec!["## OXE Commit Summary".to_string(), String::new()];
            if jsjson::truthy(commit_message) {
                l.push(format!(
                    "**Commit message:** `{}`",
                    jsjson::js_string(commit_message)
                ));
                l.push(String::new());
            }
            l
        }
    };
    lines.extend(base);
    Ok(lines.join("\n"))
}

fn run_id_of(run_result: &Value, who: &str) -> OxeResult<String> {
    run_result
        .get("run_id")
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| arg(format!("{who}: runResult.run_id must be a string")))
}

fn nullish_or<'a>(v: Option<&'a Value>, default: &'a Value) -> &'a Value {
    v.filter(|x| !x.is_null()).unwrap_or(default)
}

/// `recordLocalCommit`: `input` is `{run_result, options, branch,
/// commit_sha}` where `branch` is `currentBranch()` and `commit_sha` is
/// `options.commitSha ?? currentCommit()` (absent = `undefined`).
pub fn record_local_commit(root: &str, input: &Value) -> OxeResult<Value> {
    const WHO: &str = "PromotionPipeline.recordLocalCommit";
    let rr = input.get("run_result").unwrap_or(&Value::Null);
    let is_blocked =
        !array(rr, "failed", WHO)?.is_empty() || !array(rr, "blocked", WHO)?.is_empty();
    let run_id = run_id_of(rr, WHO)?;
    let options = input.get("options").unwrap_or(&Value::Null);
    let mut rec = Map::new();
    rec.insert("run_id".into(), run_id.clone().into());
    if let Some(b) = input.get("branch") {
        rec.insert("branch".into(), b.clone());
    }
    if let Some(c) = input.get("commit_sha") {
        rec.insert("commit_sha".into(), c.clone());
    }
    rec.insert(
        "status".into(),
        if is_blocked { "blocked" } else { "committed" }.into(),
    );
    rec.insert("created_at".into(), clock::now_iso().into());
    rec.insert(
        "committed_at".into(),
        if is_blocked {
            Value::Null
        } else {
            clock::now_iso().into()
        },
    );
    rec.insert(
        "message".into(),
        nullish_or(options.get("commitMessage"), &Value::Null).clone(),
    );
    rec.insert(
        "summary_path".into(),
        nullish_or(options.get("summaryPath"), &Value::Null).clone(),
    );
    let rec = Value::Object(rec);
    records::save(root, &run_id, RecordKind::Commit, &rec)?;
    Ok(rec)
}

/// The RunPRLink view of a promotion record.
pub fn as_run_pr_link(record: &Value) -> Value {
    let status = record.get("status");
    let is = |s: &str| status == Some(&Value::from(s));
    let link_status = if record.get("target_kind") == Some(&Value::from("branch_push")) {
        Some(Value::from(if is("blocked") { "blocked" } else { "open" }))
    } else if is("promoted") {
        Some(Value::from("open"))
    } else {
        status.cloned()
    };
    let mut m = Map::new();
    for k in ["run_id", "branch", "pr_url", "pr_number"] {
        if let Some(v) = record.get(k) {
            m.insert(k.into(), v.clone());
        }
    }
    if let Some(s) = link_status {
        m.insert("status".into(), s);
    }
    if let Some(v) = record.get("created_at") {
        m.insert("created_at".into(), v.clone());
    }
    let merged_at = if is("merged") {
        record.get("promoted_at").cloned()
    } else {
        Some(Value::Null)
    };
    if let Some(v) = merged_at {
        m.insert("merged_at".into(), v);
    }
    Value::Object(m)
}

/// `loadPRLink(runId)`: the saved link; when it cannot be parsed, the link
/// derived from `promotion-record.json`; `None` when missing.
pub fn load_pr_link(root: &str, run_id: &str) -> OxeResult<Option<Value>> {
    Ok(match records::read_pr_link(root, run_id)? {
        PrLinkRead::Missing => None,
        PrLinkRead::Ok(v) => Some(v),
        PrLinkRead::Unreadable => {
            records::load(root, run_id, RecordKind::Promotion)?.map(|r| as_run_pr_link(&r))
        }
    })
}

fn save_promotion(root: &str, run_id: &str, record: &Value) -> OxeResult<()> {
    records::save(root, run_id, RecordKind::Promotion, record)?;
    records::save(root, run_id, RecordKind::PrLink, &as_run_pr_link(record))
}

fn add_reason(record: &mut Value, reason: String) {
    match record.get_mut("reasons") {
        Some(Value::Array(a)) => a.push(reason.into()),
        None | Some(Value::Null) => record["reasons"] = json!([reason]),
        Some(_) => {}
    }
}

/// What the glue must do next.
#[derive(Clone, Debug, PartialEq)]
pub enum PromoteStep {
    /// Finished; the record is written.
    Done(Value),
    /// Call `branchManager.push(remote, branch, false)`, then [`promote_finish`].
    Push {
        remote: Value,
        branch: Value,
        state: Value,
    },
    /// Call `prManager.createDraft(draft)`, then [`promote_finish`].
    CreateDraft { draft: Value, state: Value },
}

impl PromoteStep {
    pub fn to_json(&self) -> Value {
        match self {
            PromoteStep::Done(r) => json!({"effect": "done", "record": r}),
            PromoteStep::Push {
                remote,
                branch,
                state,
            } => {
                json!({"effect": "push", "remote": remote, "branch": branch, "state": state})
            }
            PromoteStep::CreateDraft { draft, state } => {
                json!({"effect": "create_draft", "draft": draft, "state": state})
            }
        }
    }
}

fn describe_action(intent: &Value) -> String {
    let q = |k: &str| js_string_opt(intent.get(k));
    if intent.get("action") == Some(&Value::from("branch_push")) {
        format!("push of branch \"{}\" to \"{}\"", q("branch"), q("remote"))
    } else {
        format!(
            "draft PR for branch \"{}\" into \"{}\"",
            q("branch"),
            q("target_ref")
        )
    }
}

/// Checks the intent journal of a run. `Some(reason)` when an earlier
/// promotion started its effect and never journaled the result. A result
/// journaled but not yet copied to the records (the process died in
/// between) is copied now.
fn interrupted(root: &str, run_id: &str) -> OxeResult<Option<String>> {
    let Some(mut intent) = records::load(root, run_id, RecordKind::PromotionIntent)? else {
        return Ok(None);
    };
    match intent.get("status").and_then(Value::as_str) {
        Some("started") => {}
        Some("completed") => {
            if let Some(rec) = intent.get("record").filter(|r| r.is_object()) {
                save_promotion(root, run_id, rec)?;
            }
            intent["status"] = "recorded".into();
            records::save(root, run_id, RecordKind::PromotionIntent, &intent)?;
            return Ok(None);
        }
        _ => return Ok(None),
    }
    let path = records::record_path(root, run_id, RecordKind::PromotionIntent)?;
    let check = if intent.get("action") == Some(&Value::from("branch_push")) {
        "the remote branch"
    } else {
        "the repository's open pull requests"
    };
    let reason = format!(
        "Promotion interrupted: a {} started at {} and its result was never recorded. Check {check}, then delete {path} to promote again.",
        describe_action(&intent),
        js_string_opt(intent.get("started_at")),
    );
    store::report(Diagnostic::new(
        W_PROMOTION_INTERRUPTED,
        std::path::Path::new(&path),
        reason.clone(),
    ));
    Ok(Some(reason))
}

/// `promote`, first half. `input` is `{run_result, manifest, ledger, opts,
/// coverage, report, branch}`: `report` is what the gate evaluator
/// returned, `branch` what `currentBranch()` returned.
pub fn promote_begin(root: &str, input: &Value) -> OxeResult<PromoteStep> {
    const WHO: &str = "PromotionPipeline.promote";
    let null = Value::Null;
    let get = |k: &str| input.get(k).unwrap_or(&null);
    let rr = get("run_result");
    let opts = get("opts");
    let report = get("report");
    let coverage = get("coverage");
    let run_id = run_id_of(rr, WHO)?;
    let target_kind = nullish_or(opts.get("targetKind"), &Value::from("pr_draft")).clone();
    let remote = nullish_or(opts.get("remote"), &Value::from("origin")).clone();
    let main = Value::from("main");
    let base = nullish_or(opts.get("baseBranch"), &main).clone();
    let target_ref = nullish_or(opts.get("targetRef"), &base).clone();

    let mut rec = Map::new();
    rec.insert(
        "run_id".into(),
        rr.get("run_id").cloned().unwrap_or(Value::Null),
    );
    rec.insert("target".into(), "remote_promotion".into());
    rec.insert("target_kind".into(), target_kind.clone());
    if let Some(b) = input.get("branch") {
        rec.insert("branch".into(), b.clone());
    }
    rec.insert("status".into(), "pending".into());
    rec.insert("created_at".into(), clock::now_iso().into());
    rec.insert("promoted_at".into(), Value::Null);
    rec.insert("summary_path".into(), Value::Null);
    rec.insert("remote".into(), remote.clone());
    rec.insert("target_ref".into(), target_ref.clone());
    rec.insert("pr_url".into(), Value::Null);
    rec.insert("pr_number".into(), Value::Null);
    if let Some(r) = report.get("reasons") {
        rec.insert("reasons".into(), r.clone());
    }
    if jsjson::truthy(coverage) {
        if let Some(cp) = coverage.get("coverage_percent") {
            rec.insert("coverage_percent".into(), cp.clone());
        }
    } else {
        rec.insert("coverage_percent".into(), Value::Null);
    }
    let mut record = Value::Object(rec);

    let interruption = interrupted(root, &run_id)?;
    let gate_blocked = report.get("verdict") == Some(&Value::from("blocked"));
    if interruption.is_some() || gate_blocked {
        if let Some(reason) = interruption {
            add_reason(&mut record, reason);
        }
        record["status"] = "blocked".into();
        save_promotion(root, &run_id, &record)?;
        return Ok(PromoteStep::Done(record));
    }

    let is_push = target_kind == "branch_push";
    let intent = json!({
        "run_id": run_id,
        "action": if is_push { "branch_push" } else { "pr_draft" },
        "status": "started",
        "branch": record.get("branch").cloned().unwrap_or(Value::Null),
        "remote": remote,
        "target_ref": target_ref,
        "started_at": clock::now_iso(),
        "finished_at": null,
        "outcome": null,
        "error": null,
        "record": null,
    });
    let state = json!({"record": record, "intent": intent});
    if is_push {
        let branch = record.get("branch").cloned().unwrap_or(Value::Null);
        records::save(root, &run_id, RecordKind::PromotionIntent, &intent)?;
        return Ok(PromoteStep::Push {
            remote,
            branch,
            state,
        });
    }
    let completed = array(rr, "completed", WHO)?;
    let body = summary(
        SummaryKind::Promotion,
        rr,
        get("manifest"),
        get("ledger"),
        &Value::Null,
    )?;
    let title = format!("oxe: run {run_id} — {} tasks", completed.len());
    let draft = json!({
        "title": title,
        "body": body,
        "base": base,
        "draft": opts.get("draftPR") != Some(&Value::Bool(false)),
    });
    records::save(root, &run_id, RecordKind::PromotionIntent, &intent)?;
    Ok(PromoteStep::CreateDraft { draft, state })
}

/// What finishing produced.
#[derive(Clone, Debug, PartialEq)]
pub enum PromoteEnd {
    /// The final record (already written).
    Record(Value),
    /// The PR manager threw: the intent is closed as failed and the glue
    /// rethrows the original error, as 1.4.0 rejects.
    Rethrow,
}

/// `promote`, second half. `outcome` is `{ok: true}` / `{ok: false,
/// error}` after a push, `{result}` after `createDraft` returned, or
/// `{threw: message}` when it threw.
pub fn promote_finish(root: &str, state: &Value, outcome: &Value) -> OxeResult<PromoteEnd> {
    let mut record = state
        .get("record")
        .cloned()
        .ok_or_else(|| arg("promote: missing state.record"))?;
    let mut intent = state
        .get("intent")
        .cloned()
        .ok_or_else(|| arg("promote: missing state.intent"))?;
    let run_id = intent
        .get("run_id")
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| arg("promote: missing state.intent.run_id"))?;
    if let Some(msg) = outcome.get("threw") {
        intent["status"] = "failed".into();
        intent["finished_at"] = clock::now_iso().into();
        intent["error"] = msg.clone();
        records::save(root, &run_id, RecordKind::PromotionIntent, &intent)?;
        return Ok(PromoteEnd::Rethrow);
    }
    let is_push = intent.get("action") == Some(&Value::from("branch_push"));
    if is_push {
        if truthy_opt(outcome.get("ok")) {
            record["status"] = "promoted".into();
            record["promoted_at"] = clock::now_iso().into();
        } else {
            record["status"] = "blocked".into();
            let reason = format!(
                "Branch push failed ({}): {}",
                describe_action(&intent),
                js_string_opt(outcome.get("error"))
            );
            add_reason(&mut record, reason);
        }
    } else {
        let result = outcome.get("result").unwrap_or(&Value::Null);
        let url = result.get("url");
        if truthy_opt(result.get("success")) && truthy_opt(url) {
            record["pr_url"] = url.cloned().unwrap_or(Value::Null);
            record["status"] = "open".into();
            record["promoted_at"] = clock::now_iso().into();
        } else {
            record["status"] = "blocked".into();
            let why = match result.get("error") {
                Some(e) if jsjson::truthy(e) => jsjson::js_string(e),
                _ if !result.is_object() => "the PR manager returned no result".to_string(),
                _ => "no PR URL was returned".to_string(),
            };
            add_reason(&mut record, format!("Draft PR was not created: {why}"));
        }
    }
    // journal the result first: from here on a crash is repaired, not
    // reported as an interruption
    intent["status"] = "completed".into();
    intent["finished_at"] = clock::now_iso().into();
    intent["outcome"] = record.get("status").cloned().unwrap_or(Value::Null);
    intent["record"] = record.clone();
    records::save(root, &run_id, RecordKind::PromotionIntent, &intent)?;
    save_promotion(root, &run_id, &record)?;
    intent["status"] = "recorded".into();
    records::save(root, &run_id, RecordKind::PromotionIntent, &intent)?;
    Ok(PromoteEnd::Record(record))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok_run(id: &str) -> Value {
        json!({"run_id": id, "status": "completed", "completed": ["T1", "T2"], "failed": [], "blocked": []})
    }

    fn manifest(all: bool) -> Value {
        json!({"summary": {"total": 2, "pass": if all {2} else {1}, "fail": if all {0} else {1}, "skip": 0, "error": 0, "all_passed": all}})
    }

    fn tmp(name: &str) -> String {
        let d = std::env::temp_dir().join(format!("oxe-promo-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d.to_str().unwrap().to_string()
    }

    #[test]
    fn merge_gate() {
        let n = Value::Null;
        let ev = |rr: &Value, m: &Value, l: &Value, g: &Value, c: &Value| {
            evaluate(rr, m, l, g, c, &json!(100)).unwrap()
        };
        let r = ev(
            &ok_run("r"),
            &manifest(true),
            &json!({"risks": []}),
            &json!([]),
            &n,
        );
        assert_eq!(
            r,
            json!({"verdict": "approved", "reasons": [], "blocking_risks": [], "pending_gates": []})
        );
        let failed =
            json!({"run_id": "r", "completed": [], "failed": ["T2", null], "blocked": ["T3"]});
        let r = ev(
            &failed,
            &manifest(false),
            &n,
            &json!([{"gate_id": "g", "scope": "s", "status": "pending"}]),
            &json!({"coverage_percent": 50}),
        );
        assert_eq!(
            r["reasons"],
            json!([
                "2 task(s) failed: T2, ",
                "1 task(s) blocked: T3",
                "Verification: 1 check(s) failed, 0 error(s)",
                "1 pending gate(s)",
                "Evidence coverage below threshold: 50%/100%"
            ])
        );
        assert_eq!(
            r["pending_gates"],
            json!([{"gate_id": "g", "scope": "s", "work_item_id": null}])
        );
        let r = ev(
            &ok_run("r"),
            &n,
            &json!({"risks": [{"severity": "critical", "description": "boom"}, {"severity": "low", "description": "x"}]}),
            &json!([]),
            &n,
        );
        assert_eq!(r["blocking_risks"], json!(["[CRITICAL] boom"]));
        assert_eq!(r["verdict"], json!("blocked"));
        assert_eq!(
            evaluate(&json!({}), &n, &n, &json!([]), &n, &json!(100))
                .unwrap_err()
                .code(),
            "OXE_E_ARG"
        );
    }

    #[test]
    fn summaries() {
        let n = Value::Null;
        let ledger =
            json!({"risks": [{"severity": "high", "description": "d", "mitigation": "m"}]});
        let s = summary(
            SummaryKind::Promotion,
            &ok_run("run-1"),
            &manifest(true),
            &ledger,
            &n,
        )
        .unwrap();
        assert_eq!(
            s,
            "## OXE Promotion Summary\n\n**Run ID:** `run-1`\n**Status:** completed\n**Completed:** 2 tasks\n\n## Verification\n- Total: 2\n- Pass: 2\n- Fail: 0\n- Skip: 0\n\n## Residual Risks\n- [HIGH] d\n  - Mitigation: m\n\n---\n*Generated by OXE Runtime*"
        );
        let c = summary(SummaryKind::Commit, &ok_run("r"), &n, &n, &json!("feat: x")).unwrap();
        assert!(c.starts_with(
            "## OXE Commit Summary\n\n**Commit message:** `feat: x`\n\n**Run ID:** `r`"
        ));
    }

    #[test]
    fn links() {
        let rec = json!({"run_id": "r", "target_kind": "branch_push", "branch": "b", "status": "promoted",
            "created_at": "t", "promoted_at": "p", "pr_url": null, "pr_number": null});
        assert_eq!(
            as_run_pr_link(&rec),
            json!({"run_id": "r", "branch": "b", "pr_url": null, "pr_number": null, "status": "open", "created_at": "t", "merged_at": null})
        );
        let mut merged = rec.clone();
        merged["target_kind"] = "pr_draft".into();
        merged["status"] = "merged".into();
        assert_eq!(as_run_pr_link(&merged)["merged_at"], json!("p"));
        assert_eq!(as_run_pr_link(&merged)["status"], json!("merged"));
    }

    fn begin(root: &str, rr: Value, opts: Value, verdict: &str) -> PromoteStep {
        let input = json!({"run_result": rr, "manifest": manifest(true), "ledger": null, "opts": opts,
            "coverage": null, "report": {"verdict": verdict, "reasons": []}, "branch": "oxe/b"});
        promote_begin(root, &input).unwrap()
    }

    #[test]
    fn promote_flows() {
        let root = tmp("flows");
        // blocked by the gate: no effect, both files written
        let PromoteStep::Done(r) = begin(&root, ok_run("r1"), json!({}), "blocked") else {
            panic!()
        };
        assert_eq!(r["status"], json!("blocked"));
        assert!(load_pr_link(&root, "r1").unwrap().is_some());

        // draft PR
        let step = begin(
            &root,
            ok_run("r2"),
            json!({"baseBranch": "dev"}),
            "approved",
        );
        let PromoteStep::CreateDraft { draft, state } = step else {
            panic!()
        };
        assert_eq!(draft["title"], json!("oxe: run r2 — 2 tasks"));
        assert_eq!(draft["base"], json!("dev"));
        assert_eq!(draft["draft"], json!(true));
        let intent = records::load(&root, "r2", RecordKind::PromotionIntent)
            .unwrap()
            .unwrap();
        assert_eq!(intent["status"], json!("started"));
        let end = promote_finish(
            &root,
            &state,
            &json!({"result": {"success": true, "url": "https://x/pull/1"}}),
        )
        .unwrap();
        let PromoteEnd::Record(rec) = end else {
            panic!()
        };
        assert_eq!(rec["status"], json!("open"));
        assert_eq!(rec["target_ref"], json!("dev"));
        let intent = records::load(&root, "r2", RecordKind::PromotionIntent)
            .unwrap()
            .unwrap();
        assert_eq!(intent["status"], json!("recorded"));
        assert_eq!(intent["record"], rec);
        assert_eq!(
            load_pr_link(&root, "r2").unwrap().unwrap()["status"],
            json!("open")
        );

        // branch push that fails
        let PromoteStep::Push {
            remote,
            branch,
            state,
        } = begin(
            &root,
            ok_run("r3"),
            json!({"targetKind": "branch_push"}),
            "approved",
        )
        else {
            panic!()
        };
        assert_eq!((remote, branch), (json!("origin"), json!("oxe/b")));
        let PromoteEnd::Record(rec) =
            promote_finish(&root, &state, &json!({"ok": false, "error": "denied"})).unwrap()
        else {
            panic!()
        };
        assert_eq!(rec["status"], json!("blocked"));
        assert!(rec["reasons"][0].as_str().unwrap().contains("denied"));

        // PR manager threw
        let PromoteStep::CreateDraft { state, .. } =
            begin(&root, ok_run("r4"), json!({}), "approved")
        else {
            panic!()
        };
        assert_eq!(
            promote_finish(&root, &state, &json!({"threw": "x"})).unwrap(),
            PromoteEnd::Rethrow
        );
        assert!(records::load(&root, "r4", RecordKind::Promotion)
            .unwrap()
            .is_none());
        assert!(matches!(
            begin(&root, ok_run("r4"), json!({}), "approved"),
            PromoteStep::CreateDraft { .. }
        ));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn crash_between_effect_and_record_is_detected() {
        let root = tmp("crash");
        // the process dies after createDraft was asked for: no finish
        let PromoteStep::CreateDraft { .. } = begin(&root, ok_run("r"), json!({}), "approved")
        else {
            panic!()
        };
        let PromoteStep::Done(rec) = begin(&root, ok_run("r"), json!({}), "approved") else {
            panic!("a second PR must not be requested")
        };
        assert_eq!(rec["status"], json!("blocked"));
        let reason = rec["reasons"][0].as_str().unwrap();
        assert!(
            reason.starts_with("Promotion interrupted: a draft PR for branch \"oxe/b\""),
            "{reason}"
        );
        assert!(reason.contains("promotion-intent.json"));
        let _ = store::take_diagnostics();
        // still blocked on the next call, until the intent is removed
        assert!(matches!(
            begin(&root, ok_run("r"), json!({}), "approved"),
            PromoteStep::Done(_)
        ));
        std::fs::remove_file(
            records::record_path(&root, "r", RecordKind::PromotionIntent).unwrap(),
        )
        .unwrap();
        assert!(matches!(
            begin(&root, ok_run("r"), json!({}), "approved"),
            PromoteStep::CreateDraft { .. }
        ));

        // the result was journaled but the records were not written: repaired
        let root2 = tmp("crash2");
        let PromoteStep::Push { state, .. } = begin(
            &root2,
            ok_run("p"),
            json!({"targetKind": "branch_push"}),
            "approved",
        ) else {
            panic!()
        };
        let mut intent = state["intent"].clone();
        let mut rec = state["record"].clone();
        rec["status"] = "promoted".into();
        intent["status"] = "completed".into();
        intent["record"] = rec.clone();
        records::save(&root2, "p", RecordKind::PromotionIntent, &intent).unwrap();
        assert!(records::load(&root2, "p", RecordKind::Promotion)
            .unwrap()
            .is_none());
        assert!(matches!(
            begin(
                &root2,
                ok_run("p"),
                json!({"targetKind": "branch_push"}),
                "approved"
            ),
            PromoteStep::Push { .. }
        ));
        assert_eq!(
            records::load(&root2, "p", RecordKind::Promotion).unwrap(),
            Some(rec)
        );
        let _ = std::fs::remove_dir_all(&root);
        let _ = std::fs::remove_dir_all(&root2);
    }
}
