//! The derived parts of the dashboard context: go/no-go readiness, the
//! SPEC × PLAN × VERIFY coverage matrix, confidence calibration and the
//! two visual rails (the 8-step flow and the artefact map).

use serde_json::{json, Value};

use crate::i18n::Lang;

/// The confidence threshold of the go/no-go decision.
pub const THRESHOLD: f64 = 70.0;

fn t(lang: Lang, en: String, pt: String) -> String {
    match lang {
        Lang::En => en,
        Lang::PtBr => pt,
    }
}

fn strs(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

/// `ready`, `controlled`, `needs_refinement`, `do_not_execute` or
/// `unknown`.
pub fn confidence_band(confidence: Option<f64>) -> &'static str {
    match confidence {
        None => "unknown",
        Some(c) if c >= 85.0 => "ready",
        Some(c) if c >= THRESHOLD => "controlled",
        Some(c) if c >= 50.0 => "needs_refinement",
        Some(_) => "do_not_execute",
    }
}

fn confidence_of(ctx: &Value) -> Option<f64> {
    ctx["plan"]["selfEvaluation"]["confidence"].as_f64()
}

fn num(n: f64) -> Value {
    crate::runtime_cmd::js::num(n)
}

/// `readiness{go, decision, threshold, confidence, confidenceBand,
/// checkpointPending, blockers, warnings}`.
pub fn readiness(ctx: &Value, lang: Lang) -> Value {
    let mut blockers: Vec<String> = Vec::new();
    let mut warnings: Vec<Value> = Vec::new();
    for k in ["reviewWarnings", "runtimeWarnings", "planWarnings"] {
        warnings.extend(strs(&ctx["diagnostics"][k]));
    }
    let review = ctx["planReviewStatus"].as_str().unwrap_or("draft");
    if review != "approved" {
        blockers.push(format!(
            "review_status:{}",
            if review.is_empty() { "draft" } else { review }
        ));
    }
    if ctx["plan"]["selfEvaluation"]["bestPlan"].as_str() == Some("não") {
        blockers.push("best_plan:no".into());
    }
    let confidence = confidence_of(ctx);
    let th = crate::runtime_cmd::js::num_text(THRESHOLD);
    match confidence {
        None => blockers.push("confidence:missing".into()),
        Some(c) if c < THRESHOLD => blockers.push(format!(
            "confidence:{}%<{th}%",
            crate::runtime_cmd::js::num_text(c)
        )),
        Some(_) => {}
    }
    let pending = strs(&ctx["checkpoints"]["parsed"]).iter().any(|c| {
        c["status"]
            .as_str()
            .is_some_and(|s| s.to_lowercase().contains("pending_approval"))
    });
    if pending {
        blockers.push("checkpoint:pending_approval".into());
    }
    if ctx["runtime"]["parsed"]["status"].as_str() == Some("blocked") {
        blockers.push("runtime:blocked".into());
    }
    let uncovered = strs(&ctx["spec"]["uncoveredCriteria"]).len();
    if uncovered > 0 {
        warnings.push(json!(t(
            lang,
            format!("{uncovered} acceptance criteria have no task in the plan"),
            format!("{uncovered} critérios de aceite sem tarefa no plano"),
        )));
    }
    let go = blockers.is_empty();
    json!({
        "go": go,
        "decision": if go { "go" } else { "no-go" },
        "threshold": num(THRESHOLD),
        "confidence": confidence.map_or(Value::Null, num),
        "confidenceBand": confidence_band(confidence),
        "checkpointPending": pending,
        "blockers": blockers,
        "warnings": warnings,
    })
}

/// One row per SPEC criterion: covering tasks and VERIFY status.
pub fn coverage(spec: &Value, plan: &Value, verify: &Value) -> Value {
    let tasks = strs(&plan["tasks"]);
    let vrows = strs(&verify["criteria"]);
    let mentioned = strs(&verify["mentionedCriteria"]);
    let rows: Vec<Value> = strs(&spec["criteria"])
        .iter()
        .map(|c| {
            let id = &c["id"];
            let covering: Vec<Value> = tasks
                .iter()
                .filter(|t| strs(&t["aceite"]).contains(id))
                .map(|t| t["id"].clone())
                .collect();
            // the last row wins, as a Map built from the rows keeps it
            let row = vrows.iter().rev().find(|r| &r["id"] == id);
            let status = match row {
                Some(r) => r["status"].clone(),
                None if mentioned.contains(id) => json!("mentioned"),
                None => json!("missing"),
            };
            json!({
                "id": id,
                "criterion": c["criterion"],
                "verifyHow": c["howToVerify"],
                "planCovered": !covering.is_empty(),
                "tasks": covering,
                "verifyStatus": status,
                "verifySummary": row.map_or(json!(""), |r| r["summary"].clone()),
            })
        })
        .collect();
    // 1.4.0's key order: tasks before planCovered
    Value::Array(
        rows.into_iter()
            .map(|r| {
                json!({
                    "id": r["id"], "criterion": r["criterion"], "verifyHow": r["verifyHow"],
                    "tasks": r["tasks"], "planCovered": r["planCovered"],
                    "verifyStatus": r["verifyStatus"], "verifySummary": r["verifySummary"],
                })
            })
            .collect(),
    )
}

/// Planned confidence against the verify outcome.
pub fn calibration(
    phase: Option<&str>,
    confidence: Option<f64>,
    verify: &Value,
    lang: Lang,
) -> Value {
    let out = |status: &str, summary: String| json!({"status": status, "summary": summary});
    let Some(c) = confidence else {
        return out(
            "pending",
            t(
                lang,
                "No confidence figure in the plan yet.".into(),
                "O plano ainda não declara confiança.".into(),
            ),
        );
    };
    let low = phase.unwrap_or("").to_lowercase();
    let completed = low == "verify_complete" || verify["passed"] == json!(true);
    let failed = low == "verify_failed" || verify["failed"] == json!(true);
    let pct = crate::runtime_cmd::js::num_text(c);
    if !completed && !failed {
        return out(
            "pending",
            t(
                lang,
                "Calibration is known once verify has run.".into(),
                "A calibração só é conhecida depois do verify.".into(),
            ),
        );
    }
    if c >= 85.0 && failed {
        out(
            "overconfident",
            t(
                lang,
                format!("Planned at {pct}% but verify failed."),
                format!("Planejado com {pct}%, mas o verify falhou."),
            ),
        )
    } else if c < THRESHOLD && failed {
        out(
            "calibrated-risk",
            t(
                lang,
                format!("The plan flagged the risk ({pct}%) and verify confirmed it."),
                format!("O plano já indicava o risco ({pct}%) e o verify confirmou."),
            ),
        )
    } else if c < THRESHOLD && completed {
        out(
            "underconfident",
            t(
                lang,
                format!("The outcome beat the planned confidence ({pct}%)."),
                format!("O resultado superou a confiança planejada ({pct}%)."),
            ),
        )
    } else if c >= 85.0 && completed {
        out(
            "well-calibrated",
            t(
                lang,
                format!("High confidence ({pct}%) matched by verify."),
                format!("Confiança alta ({pct}%) confirmada pelo verify."),
            ),
        )
    } else {
        out(
            "acceptable",
            t(
                lang,
                format!("Confidence {pct}% and verify within the expected range."),
                format!("Confiança {pct}% e verify dentro do esperado."),
            ),
        )
    }
}

fn present(v: &Value) -> bool {
    v.as_str().is_some_and(|s| !s.is_empty())
}

/// `visual{flow{nodes[8]}, artifactGraph[]}`.
pub fn visual(ctx: &Value, active_run_path: &str, events_path: &str, lang: Lang) -> Value {
    let review = ctx["planReviewStatus"].as_str().unwrap_or("draft");
    let done_if = |b: bool| if b { "done" } else { "pending" };
    let spec_raw = present(&ctx["spec"]["raw"]);
    let plan_raw = present(&ctx["plan"]["raw"]);
    let runtime_raw = present(&ctx["runtime"]["raw"]);
    let verify_raw = present(&ctx["verify"]["raw"]);
    let pending_cp = ctx["readiness"]["checkpointPending"] == json!(true);
    let checkpoints_n = strs(&ctx["checkpoints"]["parsed"]).len();
    let review_status = if review == "approved" {
        "done"
    } else if review.contains("rejected") || review.contains("needs_revision") {
        "blocked"
    } else {
        "active"
    };
    let exec_status = if ctx["runtime"]["parsed"]["status"].as_str() == Some("running") {
        "active"
    } else {
        done_if(runtime_raw)
    };
    let flow = json!([
        {"label": "STATE", "status": "done"},
        {"label": "SPEC", "status": done_if(spec_raw)},
        {"label": "PLAN", "status": done_if(plan_raw)},
        {"label": "REVIEW", "status": review_status},
        {"label": "EXECUTE", "status": exec_status},
        {"label": "CHECKPOINTS", "status": if pending_cp { "active" } else { done_if(checkpoints_n > 0) }},
        {"label": "VERIFY", "status": done_if(verify_raw)},
        {"label": "LESSONS", "status": "pending"},
    ]);
    let run = &ctx["activeRun"];
    let run_detail = match run["run_id"].as_str().filter(|s| !s.is_empty()) {
        Some(id) => format!(
            "{id} · {}",
            crate::runtime_cmd::js::js_string(&run["status"])
        ),
        None => t(lang, "no active run".into(), "sem run ativo".into()),
    };
    let total = ctx["tracing"]["summary"]["total"].as_u64().unwrap_or(0);
    let tasks = ctx["plan"]["totalTasks"].as_u64().unwrap_or(0);
    let graph = json!([
        {"id": "state", "label": "STATE", "path": ctx["state"]["path"],
         "detail": ctx["phase"].as_str().map_or_else(|| t(lang, "global index".into(), "índice global".into()), str::to_string), "status": "done"},
        {"id": "spec", "label": "SPEC", "path": ctx["spec"]["path"],
         "detail": ctx["spec"]["objective"].as_str().map_or_else(|| t(lang, "contract".into(), "contrato".into()), str::to_string), "status": done_if(spec_raw)},
        {"id": "plan", "label": "PLAN", "path": ctx["plan"]["path"],
         "detail": t(lang, format!("{tasks} tasks"), format!("{tasks} tarefas")), "status": done_if(plan_raw)},
        {"id": "review", "label": "PLAN REVIEW", "path": ctx["review"]["markdownPath"],
         "detail": review, "status": if review == "approved" { "done" } else { "active" }},
        {"id": "runtime", "label": "RUNTIME", "path": ctx["runtime"]["path"],
         "detail": ctx["runtime"]["parsed"]["status"].as_str().map_or_else(|| t(lang, "no status".into(), "sem status".into()), str::to_string),
         "status": if runtime_raw { "active" } else { "pending" }},
        {"id": "active-run", "label": "ACTIVE RUN", "path": active_run_path, "detail": run_detail,
         "status": if run.is_null() { "pending" } else { "active" }},
        {"id": "events", "label": "TRACE", "path": events_path,
         "detail": t(lang, format!("{total} event(s)"), format!("{total} evento(s)")), "status": done_if(total > 0)},
        {"id": "checkpoints", "label": "CHECKPOINTS", "path": ctx["checkpoints"]["path"],
         "detail": t(lang, format!("{checkpoints_n} gates"), format!("{checkpoints_n} gates")), "status": if pending_cp { "active" } else { "pending" }},
        {"id": "verify", "label": "VERIFY", "path": ctx["verify"]["path"],
         "detail": ctx["calibration"]["status"], "status": done_if(verify_raw)},
    ]);
    json!({"flow": {"nodes": flow}, "artifactGraph": graph})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_blockers() {
        assert_eq!(confidence_band(None), "unknown");
        assert_eq!(confidence_band(Some(90.0)), "ready");
        assert_eq!(confidence_band(Some(70.0)), "controlled");
        assert_eq!(confidence_band(Some(55.0)), "needs_refinement");
        assert_eq!(confidence_band(Some(10.0)), "do_not_execute");
        let ctx = json!({
            "planReviewStatus": "in_review",
            "plan": {"selfEvaluation": {"confidence": 60, "bestPlan": "sim"}},
            "checkpoints": {"parsed": [{"status": "pending_approval"}]},
            "runtime": {"parsed": {"status": "blocked"}},
            "spec": {"uncoveredCriteria": [{"id": "A2"}]},
            "diagnostics": {"reviewWarnings": ["r"], "runtimeWarnings": [], "planWarnings": []},
        });
        let r = readiness(&ctx, Lang::En);
        assert_eq!(r["decision"], "no-go");
        assert_eq!(
            r["blockers"],
            json!([
                "review_status:in_review",
                "confidence:60%<70%",
                "checkpoint:pending_approval",
                "runtime:blocked"
            ])
        );
        assert_eq!(r["warnings"].as_array().map(Vec::len), Some(2));
        assert_eq!(r["checkpointPending"], true);
    }

    #[test]
    fn calibration_needs_a_verify_outcome() {
        let v = json!({"passed": false, "failed": false});
        assert_eq!(
            calibration(None, Some(90.0), &v, Lang::En)["status"],
            "pending"
        );
        assert_eq!(
            calibration(Some("verify_failed"), Some(90.0), &v, Lang::En)["status"],
            "overconfident"
        );
        assert_eq!(
            calibration(Some("verify_complete"), Some(60.0), &v, Lang::En)["status"],
            "underconfident"
        );
        assert_eq!(
            calibration(Some("verify_complete"), Some(75.0), &v, Lang::En)["status"],
            "acceptable"
        );
    }

    #[test]
    fn coverage_rows() {
        let spec = json!({"criteria": [{"id": "A1", "criterion": "x", "howToVerify": "y"}, {"id": "A2", "criterion": "z", "howToVerify": ""}]});
        let plan = json!({"tasks": [{"id": "T1", "aceite": ["A1"]}]});
        let verify = json!({"criteria": [{"id": "A1", "status": "passed", "summary": "ok"}], "mentionedCriteria": ["A1"]});
        let rows = coverage(&spec, &plan, &verify);
        assert_eq!(rows[0]["tasks"], json!(["T1"]));
        assert_eq!(rows[0]["verifyStatus"], "passed");
        assert_eq!(rows[1]["planCovered"], false);
        assert_eq!(rows[1]["verifyStatus"], "missing");
    }
}
