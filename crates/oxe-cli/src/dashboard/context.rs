//! `loadDashboardContext(root, {activeSession})`: one object with
//! everything the page shows, in 1.4.0's key order. Built from the health
//! report, the operational layer (run state, trace, memory layers,
//! capability catalog, operational graph) and the dashboard's own readers.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::{parse, readiness, review, DashError, DashResult};
use crate::health::report::{build_health_report, HealthEnv, ENTERPRISE_FIELDS};
use crate::health::OxePaths;
use crate::i18n::Lang;
use crate::parsers::markdown;
use crate::parsers::state::{parse_active_session, parse_state_phase};
use crate::runtime_cmd::extras::read_capability_catalog;
use crate::runtime_cmd::ops::{self, read_text, Op};

/// Which session the context is for.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionChoice {
    /// STATE.md's `active_session` (an SDK call that omits the option).
    FromState,
    /// This session, or none (legacy, project-level mode).
    Given(Option<String>),
}

fn p(path: &Path) -> Value {
    Value::String(path.to_string_lossy().into_owned())
}

/// The scoped text, else the project-level one when the scoped file is
/// missing or empty.
fn scoped_text(primary: &Path, fallback: &Path) -> String {
    match read_text(primary) {
        Some(t) if !t.is_empty() => t,
        _ if primary != fallback => read_text(fallback).unwrap_or_default(),
        _ => String::new(),
    }
}

fn comments(path: &Path) -> Value {
    match ops::read_json(path) {
        Some(v @ Value::Array(_)) => v,
        _ => json!([]),
    }
}

fn first_label(text: &str, label: &str) -> Value {
    markdown::label_value(text, label).map_or(Value::Null, Value::String)
}

fn repository_context(codebase: &Path) -> Map<String, Value> {
    let mut out = Map::new();
    for name in [
        "OVERVIEW",
        "STACK",
        "STRUCTURE",
        "TESTING",
        "CONCERNS",
        "INTEGRATIONS",
    ] {
        let file = codebase.join(format!("{name}.md"));
        let summary = markdown::summarize(&read_text(&file).unwrap_or_default(), 420);
        out.insert(
            name.to_lowercase(),
            json!({"path": p(&file), "summary": summary}),
        );
    }
    out
}

fn dashboard_pack(root: &Path, session: Option<&str>) -> Value {
    let file = crate::context_cmd::resolve_pack_file(root, "dashboard", Some(session));
    ops::read_json(Path::new(&file)).unwrap_or(Value::Null)
}

fn azure_block(root: &Path, report: &Value, lang: Lang) -> Option<(Value, Value)> {
    if report["azureActive"] != json!(true) || !report["azure"].is_object() {
        return None;
    }
    let dir = root.join(".oxe").join("cloud").join("azure");
    let mut az = report["azure"].as_object().cloned().unwrap_or_default();
    for (k, f) in [
        ("profilePath", "profile.json"),
        ("authStatusPath", "auth-status.json"),
        ("inventoryMarkdownPath", "INVENTORY.md"),
        ("serviceBusPath", "SERVICEBUS.md"),
        ("eventGridPath", "EVENTGRID.md"),
        ("sqlPath", "SQL.md"),
    ] {
        az.insert(k.into(), p(&dir.join(f)));
    }
    let inv = &az
        .get("inventorySummary")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let login = az
        .get("authStatus")
        .is_some_and(|a| a["login_active"] == json!(true));
    let sub = az
        .get("profile")
        .and_then(|pr| {
            pr["subscription_name"]
                .as_str()
                .or(pr["subscription_id"].as_str())
        })
        .unwrap_or("—")
        .to_string();
    let n = |k: &str| inv[k].as_u64().unwrap_or(0);
    let summary = format!(
        "login={} · subscription={sub} · total={} · sb={} · eg={} · sql={}",
        match (login, lang) {
            (true, Lang::En) => "active",
            (true, Lang::PtBr) => "ativo",
            (false, Lang::En) => "missing",
            (false, Lang::PtBr) => "ausente",
        },
        n("total"),
        n("servicebus"),
        n("eventgrid"),
        n("sql")
    );
    let repo = json!({"path": az.get("inventoryMarkdownPath").cloned().unwrap_or(Value::Null), "summary": summary});
    Some((Value::Object(az), repo))
}

/// The dashboard context of `root`.
pub fn load_context(root: &Path, session: SessionChoice, env: &HealthEnv) -> DashResult<Value> {
    let lang = env.lang;
    let root: PathBuf = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let root = root.as_path();
    let global = OxePaths::new(root, None);
    let state_text = read_text(&global.state).unwrap_or_default();
    let session = match session {
        SessionChoice::FromState => parse_active_session(&state_text),
        SessionChoice::Given(s) => s,
    };
    let session = super::check_session(session.as_deref())?;
    let sess = session.as_deref();
    let scoped = OxePaths::new(root, sess);
    let rp = review::review_paths(root, sess)?;
    let report = build_health_report(root, env);
    let op = Op::new(root, sess, lang);
    let op_paths = op.paths().map_err(|e| DashError::op_in(e, lang))?;

    let spec_text = scoped_text(&scoped.spec, &global.spec);
    let plan_text = scoped_text(&scoped.plan, &global.plan);
    let verify_text = scoped_text(&scoped.verify, &global.verify);
    let runtime_text = scoped_text(&scoped.runtime, &global.runtime);
    let checkpoints_text = scoped_text(&scoped.checkpoints, &global.checkpoints);

    let spec = parse::spec(&spec_text);
    let plan = parse::plan(&plan_text);
    let verify = parse::verify(&verify_text);
    let run = op.read_run_state().map_err(|e| DashError::op_in(e, lang))?;
    let events = op.read_events().map_err(|e| DashError::op_in(e, lang))?;
    let summary = ops::summarize_events(&events);
    let memory = op.memory_layers().map_err(|e| DashError::op_in(e, lang))?;
    let sessions_raw = read_text(&global.sessions_index).unwrap_or_default();
    let session_path = sess.map(|_| scoped.session_manifest.clone().unwrap_or_default());
    let session_raw = session_path
        .as_deref()
        .and_then(read_text)
        .unwrap_or_default();

    let covered = |id: &Value| {
        plan["tasks"].as_array().is_some_and(|ts| {
            ts.iter()
                .any(|t| t["aceite"].as_array().is_some_and(|a| a.contains(id)))
        })
    };
    let uncovered: Vec<Value> = spec["criteria"]
        .as_array()
        .map(|cs| cs.iter().filter(|c| !covered(&c["id"])).cloned().collect())
        .unwrap_or_default();
    let r = |k: &str| report.get(k).cloned().unwrap_or(Value::Null);
    let or_null = |k: &str| match report.get(k) {
        Some(v) if crate::runtime_cmd::js::truthy(v) => v.clone(),
        _ => Value::Null,
    };
    let or_list = |k: &str| match report.get(k) {
        Some(v @ Value::Array(_)) => v.clone(),
        _ => json!([]),
    };
    let phase = match report.get("phase") {
        Some(Value::String(s)) if !s.is_empty() => json!(s),
        _ => parse_state_phase(&state_text).map_or(Value::Null, Value::String),
    };
    let review_status = match report.get("planReviewStatus") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => "draft".to_string(),
    };
    let run_v = run.clone().unwrap_or(Value::Null);
    let pick = |k: &str| match run_v.get(k) {
        Some(v) if crate::runtime_cmd::js::truthy(v) => v.clone(),
        _ => Value::Null,
    };
    let mut enterprise = Map::new();
    for k in ENTERPRISE_FIELDS {
        enterprise.insert(k.into(), or_null(k));
    }
    enterprise.insert("warnings".into(), or_list("enterpriseWarn"));
    let self_eval = r("planSelfEvaluation");
    let azure = azure_block(root, &report, lang);

    let mut ctx = json!({
        "projectRoot": p(root),
        "activeSession": session,
        "phase": phase,
        "healthStatus": r("healthStatus"),
        "nextStep": r("next"),
        "planReviewStatus": review_status,
        "state": {"path": p(&global.state), "raw": state_text, "parsed": {
            "phase": parse_state_phase(&state_text),
            "activeSession": session,
            "runtimeStatus": first_label(&state_text, "runtime_status"),
        }},
        "spec": {"path": p(&scoped.spec), "raw": spec_text, "objective": spec["objective"],
                 "criteria": spec["criteria"], "uncoveredCriteria": uncovered},
        "plan": {"path": p(&scoped.plan), "raw": plan_text, "tasks": plan["tasks"], "waves": plan["waves"],
                 "totalTasks": plan["totalTasks"], "selfEvaluation": self_eval},
        "runtime": {"path": p(&scoped.runtime), "raw": runtime_text, "summary": markdown::summarize(&runtime_text, 800),
                    "parsed": parse::runtime(&runtime_text)},
        "activeRun": run_v,
        "runtimeCanonical": pick("canonical_state"),
        "compiledGraph": pick("compiled_graph"),
        "enterprise": enterprise,
        "tracing": {"path": p(&op_paths.events), "events": events, "summary": summary},
        "checkpoints": {"path": p(&scoped.checkpoints), "raw": checkpoints_text,
                        "parsed": parse::checkpoints(&checkpoints_text)},
        "verify": {"path": p(&scoped.verify), "raw": verify_text, "summary": markdown::summarize(&verify_text, 800),
                   "parsed": verify},
        "review": {"markdownPath": p(&rp.plan_review), "commentsPath": p(&rp.comments), "comments": comments(&rp.comments)},
        "sessions": {"indexPath": p(&global.sessions_index), "raw": sessions_raw,
                     "items": parse::sessions_index(&sessions_raw),
                     "currentPath": session_path.as_deref().map_or(Value::Null, p),
                     "current": if session_raw.is_empty() { Value::Null } else { parse::session_detail(&session_raw) }},
        "support": {
            "capabilitiesSummary": markdown::summarize(&read_text(&scoped.capabilities_index).unwrap_or_default(), 420),
            "investigationsSummary": markdown::summarize(&read_text(&scoped.investigations_index).unwrap_or_default(), 420),
        },
        "capabilities": read_capability_catalog(root, lang),
        "memoryLayers": memory,
        "context": {
            "pack": dashboard_pack(root, sess),
            "packs": match report.get("contextPacks") { Some(v @ Value::Object(_)) => v.clone(), _ => json!({}) },
            "quality": or_null("contextQuality"),
            "freshness": match report.get("packFreshness") { Some(v @ Value::Object(_)) => v.clone(), _ => json!({}) },
            "summaries": match report.get("activeSummaryRefs") { Some(v @ Value::Object(_)) => v.clone(), _ => json!({}) },
            "semantics": or_null("semanticsDrift"),
        },
        "azure": azure.as_ref().map_or(Value::Null, |(a, _)| a.clone()),
        "diagnostics": {
            "reviewWarnings": r("reviewWarn"),
            "runtimeWarnings": r("runtimeWarn"),
            "enterpriseWarnings": or_list("enterpriseWarn"),
            "planWarnings": r("planWarn"),
            "sessionWarnings": r("sessionWarn"),
            "capabilityWarnings": r("capabilityWarn"),
            "investigationWarnings": r("investigationWarn"),
        },
        "repositoryContext": repository_context(&global.codebase),
    });
    if let Some((_, repo)) = azure {
        ctx["repositoryContext"]["azure"] = repo;
    }
    ctx["readiness"] = readiness::readiness(&ctx, lang);
    ctx["coverage"] = readiness::coverage(&spec, &plan, &ctx["verify"]["parsed"]);
    let confidence = ctx["plan"]["selfEvaluation"]["confidence"].as_f64();
    ctx["calibration"] = readiness::calibration(
        ctx["phase"].as_str(),
        confidence,
        &ctx["verify"]["parsed"],
        lang,
    );
    let visual = readiness::visual(
        &ctx,
        &op_paths.active_run.to_string_lossy(),
        &op_paths.events.to_string_lossy(),
        lang,
    );
    ctx["visual"] = visual;
    ctx["operationalGraph"] = match &run {
        Some(r) => ops::build_operational_graph(r),
        None => json!({"nodes": [], "edges": []}),
    };
    ctx["dashboard"] = json!({"readOnly": false});
    Ok(ctx)
}
