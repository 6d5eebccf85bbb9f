//! The artifact index of Context Engine V2: the 38 aliases a pack can
//! select, one record per alias (which file, whether it exists, its hash,
//! age, summary, and whether the session copy diverges from the root one),
//! and the three summaries (project, session, phase).

use std::path::{Path, PathBuf};

use oxe_runtime::store::{write_atomic, StoreError};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::summarize_text;
use crate::health::OxePaths;
use crate::parsers::state::{parse_active_session, parse_plan_review_status, parse_state_phase};

/// Where to take the session from: `None` = read STATE.md's
/// `active_session`; `Some(None)` = legacy mode; `Some(Some(s))` = `s`.
pub type SessionArg<'a> = Option<Option<&'a str>>;

/// One alias and where its file may be.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub alias: &'static str,
    pub semantic_type: &'static str,
    pub scope: &'static str,
    pub primary: Option<PathBuf>,
    pub fallback: Option<PathBuf>,
}

pub(crate) fn read_state(root: &Path) -> String {
    std::fs::read_to_string(root.join(".oxe").join("STATE.md")).unwrap_or_default()
}

/// The session `arg` stands for, `None` in legacy mode.
pub fn resolve_session(root: &Path, arg: SessionArg) -> Option<String> {
    match arg {
        None => parse_active_session(&read_state(root)),
        Some(s) => s.map(str::to_string),
    }
    .filter(|s| !s.is_empty())
}

fn under(base: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .filter(|s| !s.is_empty())
        .fold(base.to_path_buf(), |p, s| p.join(s))
}

fn ctx_path(root: &Path, session: SessionArg, key: &str) -> Option<PathBuf> {
    let p = super::context_paths(root, session);
    p.get(key).and_then(Value::as_str).map(PathBuf::from)
}

/// `resolveArtifactCandidates(projectRoot, activeSession)`, in 1.4.0's
/// alias order. A session-scoped primary path falls back to the root path.
/// The summary and pack paths take the session as `ctx_session` says
/// (1.4.0 reads STATE.md for them when no session was given).
pub fn candidates(root: &Path, session: Option<&str>, ctx_session: SessionArg) -> Vec<Candidate> {
    let base = OxePaths::new(root, None);
    let scoped = OxePaths::new(root, session);
    let oxe = root.join(".oxe");
    let exec = session.map_or_else(|| oxe.clone(), |s| under(&oxe, s).join("execution"));
    let azure = oxe.join("cloud").join("azure");
    let comments = |p: &OxePaths| match &p.session_root {
        Some(r) => r.join("plan").join("plan-review-comments.json"),
        None => oxe.join("plan-review-comments.json"),
    };
    let default_scope = if session.is_some() {
        "session"
    } else {
        "project"
    };
    let mut out = Vec::new();
    let mut add = |alias,
                   semantic_type,
                   primary: Option<PathBuf>,
                   fallback: Option<PathBuf>,
                   scope: Option<&'static str>| {
        let fallback = fallback.filter(|f| Some(f) != primary.as_ref());
        out.push(Candidate {
            alias,
            semantic_type,
            scope: scope.unwrap_or(default_scope),
            primary,
            fallback,
        });
    };
    let p = Some("project");
    let s = Some("session");
    let cb = |n: &str| Some(base.codebase.join(n));
    add("state", "state", Some(base.state.clone()), None, p);
    add(
        "session_manifest",
        "session",
        scoped.session_manifest.clone(),
        None,
        s,
    );
    add(
        "sessions_index",
        "session_index",
        Some(base.sessions_index.clone()),
        None,
        p,
    );
    add(
        "execution_state",
        "state",
        scoped
            .session_root
            .as_ref()
            .map(|r| r.join("execution").join("STATE.md")),
        None,
        s,
    );
    add(
        "spec",
        "spec",
        Some(scoped.spec.clone()),
        Some(base.spec.clone()),
        None,
    );
    add(
        "discuss",
        "discuss",
        Some(scoped.discuss.clone()),
        Some(base.discuss.clone()),
        None,
    );
    add(
        "plan",
        "plan",
        Some(scoped.plan.clone()),
        Some(base.plan.clone()),
        None,
    );
    add(
        "plan_agents",
        "plan_agents",
        Some(base.plan_agents.clone()),
        None,
        p,
    );
    add(
        "quick",
        "plan",
        Some(scoped.quick.clone()),
        Some(base.quick.clone()),
        None,
    );
    add(
        "runtime",
        "runtime",
        Some(scoped.runtime.clone()),
        Some(base.runtime.clone()),
        None,
    );
    add(
        "checkpoints",
        "checkpoints",
        Some(scoped.checkpoints.clone()),
        Some(base.checkpoints.clone()),
        None,
    );
    add(
        "verify",
        "verify",
        Some(scoped.verify.clone()),
        Some(base.verify.clone()),
        None,
    );
    add(
        "summary",
        "summary",
        Some(scoped.summary.clone()),
        Some(base.summary.clone()),
        None,
    );
    add(
        "plan_review",
        "review",
        Some(scoped.plan_review.clone()),
        Some(base.plan_review.clone()),
        None,
    );
    add(
        "review_comments",
        "review_comments",
        Some(comments(&scoped)),
        Some(comments(&base)),
        None,
    );
    let run_scope = if session.is_some() { s } else { p };
    add(
        "active_run",
        "runtime",
        Some(exec.join("ACTIVE-RUN.json")),
        None,
        run_scope,
    );
    add(
        "events",
        "trace",
        Some(exec.join("OXE-EVENTS.ndjson")),
        None,
        run_scope,
    );
    add(
        "capabilities_index",
        "capabilities",
        Some(base.capabilities_index.clone()),
        None,
        p,
    );
    add(
        "investigations_index",
        "investigations",
        Some(scoped.investigations_index.clone()),
        Some(base.investigations_index.clone()),
        None,
    );
    add(
        "global_lessons",
        "memory",
        Some(base.global_lessons.clone()),
        Some(base.lessons.clone()),
        p,
    );
    add("codebase_overview", "codebase", cb("OVERVIEW.md"), None, p);
    add("codebase_stack", "codebase", cb("STACK.md"), None, p);
    add(
        "codebase_structure",
        "codebase",
        cb("STRUCTURE.md"),
        None,
        p,
    );
    add("codebase_testing", "codebase", cb("TESTING.md"), None, p);
    add(
        "codebase_integrations",
        "codebase",
        cb("INTEGRATIONS.md"),
        None,
        p,
    );
    add("codebase_concerns", "codebase", cb("CONCERNS.md"), None, p);
    add(
        "azure_inventory",
        "provider",
        Some(azure.join("INVENTORY.md")),
        None,
        p,
    );
    add(
        "azure_servicebus",
        "provider",
        Some(azure.join("SERVICEBUS.md")),
        None,
        p,
    );
    add(
        "azure_eventgrid",
        "provider",
        Some(azure.join("EVENTGRID.md")),
        None,
        p,
    );
    add("azure_sql", "provider", Some(azure.join("SQL.md")), None, p);
    add(
        "copilot_manifest",
        "install_manifest",
        Some(base.copilot_manifest.clone()),
        None,
        p,
    );
    add(
        "runtime_semantics_manifest",
        "install_manifest",
        Some(base.runtime_semantics_manifest.clone()),
        None,
        p,
    );
    add(
        "project_summary",
        "summary",
        ctx_path(root, ctx_session, "projectSummaryJson"),
        None,
        p,
    );
    add(
        "session_summary",
        "summary",
        ctx_path(root, ctx_session, "sessionSummaryJson"),
        None,
        s,
    );
    add(
        "phase_summary",
        "summary",
        ctx_path(root, ctx_session, "phaseSummaryJson"),
        None,
        p,
    );
    add(
        "context_pack_dashboard",
        "context_pack",
        ctx_path(root, ctx_session, "packsDir").map(|d| d.join("dashboard.json")),
        None,
        p,
    );
    add(
        "calibration",
        "calibration",
        Some(oxe.join("calibration.json")),
        None,
        p,
    );
    add(
        "lessons_metrics",
        "metrics",
        Some(oxe.join("lessons-metrics.json")),
        None,
        p,
    );
    out
}

/// The text of a file as Node reads it (invalid UTF-8 replaced), `None`
/// when it cannot be read (folders included).
pub(crate) fn read_lossy(p: &Path) -> Option<String> {
    std::fs::read(p)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

pub(crate) fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn path_value(p: Option<&PathBuf>) -> Value {
    p.map_or(Value::Null, |p| {
        Value::String(p.to_string_lossy().into_owned())
    })
}

/// `hoursSince(iso)`: whole hours since `ms`.
pub(crate) fn hours_since(ms: f64, now_ms: f64) -> Value {
    json!(((now_ms - ms) / 3_600_000.0).floor() as i64)
}

/// One artifact record (`buildArtifactRecord`).
pub fn record(c: &Candidate, now_ms: f64) -> Value {
    let exists = |p: &Option<PathBuf>| p.as_ref().is_some_and(|p| p.exists());
    let (pe, fe) = (exists(&c.primary), exists(&c.fallback));
    let chosen = if pe {
        c.primary.clone()
    } else if fe {
        c.fallback.clone()
    } else {
        c.primary.clone().or_else(|| c.fallback.clone())
    };
    let chosen_exists = exists(&chosen);
    let text = if chosen_exists {
        chosen.as_deref().and_then(read_lossy).unwrap_or_default()
    } else {
        String::new()
    };
    let hash_of = |p: &Option<PathBuf>, e: bool| {
        if e {
            p.as_deref().and_then(read_lossy).map(|t| sha256_hex(&t))
        } else {
            None
        }
    };
    let (ph, fh) = (hash_of(&c.primary, pe), hash_of(&c.fallback, fe));
    let meta = chosen
        .as_ref()
        .filter(|_| chosen_exists)
        .and_then(|p| std::fs::metadata(p).ok());
    let mtime = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        // Node's `stat.mtime`: `sec * 1e3 + nsec / 1e6`, rounded to the millisecond
        .map(|d| (d.as_secs() as f64 * 1e3 + f64::from(d.subsec_nanos()) / 1e6).round());
    json!({
        "alias": c.alias,
        "semantic_type": c.semantic_type,
        "scope": c.scope,
        "primary_path": path_value(c.primary.as_ref()),
        "primary_exists": pe,
        "fallback_path": path_value(c.fallback.as_ref()),
        "fallback_exists": fe,
        "path": path_value(chosen.as_ref()),
        "exists": chosen_exists,
        "using_fallback": !pe && fe,
        "hash": if chosen_exists { json!(sha256_hex(&text)) } else { Value::Null },
        "primary_hash": ph,
        "fallback_hash": fh,
        "updated_at": mtime.map_or(Value::Null, |m| json!(crate::jsdate::to_iso(m))),
        "age_hours": mtime.map_or(Value::Null, |m| hours_since(m, now_ms)),
        "size_bytes": meta.as_ref().map_or(0, |m| m.len()),
        "summary": if chosen_exists { summarize_text(&text, 640, 12) } else { String::new() },
        "conflict": pe && fe && ph.is_some() && fh.is_some() && ph != fh,
    })
}

/// JSON with a 2-space indent and a trailing newline, written durably.
pub(crate) fn write_json_nl(path: &Path, v: &Value) -> Result<(), StoreError> {
    let mut text = oxe_runtime::jsjson::to_pretty(v);
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

fn summarize_file(p: &Path) -> String {
    summarize_text(&read_lossy(p).unwrap_or_default(), 640, 12)
}

fn or_dash(v: &Value) -> String {
    match v {
        Value::String(s) if !s.is_empty() => s.clone(),
        _ => "—".into(),
    }
}

fn session_or_legacy(v: &Value) -> String {
    match v {
        Value::String(s) if !s.is_empty() => s.clone(),
        _ => "legacy mode".into(),
    }
}

/// `{json, markdown}` of a summary.
pub struct Summary {
    pub json: Value,
    pub markdown: String,
}

fn opt_str(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::String)
}

/// `buildProjectSummary(projectRoot, activeSession, {write})`.
pub fn project_summary(
    root: &Path,
    session: SessionArg,
    write: bool,
    now_ms: f64,
) -> Result<Summary, StoreError> {
    let base = OxePaths::new(root, None);
    let state = read_state(root);
    let given = session
        .flatten()
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let payload = json!({
        "summary_type": "project",
        "generated_at": crate::jsdate::to_iso(now_ms),
        "project_root": root.to_string_lossy(),
        "phase": opt_str(parse_state_phase(&state)),
        "active_session": opt_str(given.or_else(|| parse_active_session(&state))),
        "overview": summarize_file(&base.codebase.join("OVERVIEW.md")),
        "stack": summarize_file(&base.codebase.join("STACK.md")),
        "concerns": summarize_file(&base.codebase.join("CONCERNS.md")),
        "lessons": summarize_file(&base.global_lessons),
    });
    let md = format!(
        "# OXE Context Summary — Project\n\n- **Generated at:** {}\n- **Phase:** {}\n- **Active session:** {}\n\n## Overview\n\n{}\n\n## Stack\n\n{}\n\n## Concerns\n\n{}\n\n## Lessons\n\n{}\n",
        or_dash(&payload["generated_at"]),
        or_dash(&payload["phase"]),
        session_or_legacy(&payload["active_session"]),
        or_dash(&payload["overview"]),
        or_dash(&payload["stack"]),
        or_dash(&payload["concerns"]),
        or_dash(&payload["lessons"]),
    );
    if write {
        let s = session.map(|x| x.filter(|v| !v.is_empty()));
        let p = super::context_paths(root, s);
        let path = |k: &str| PathBuf::from(p[k].as_str().unwrap_or_default());
        write_json_nl(&path("projectSummaryJson"), &payload)?;
        write_atomic(&path("projectSummaryMd"), md.as_bytes())?;
    }
    Ok(Summary {
        json: payload,
        markdown: md,
    })
}

/// `buildSessionSummary(projectRoot, activeSession, {write})`: `None`
/// without a session.
pub fn session_summary(
    root: &Path,
    session: Option<&str>,
    write: bool,
    now_ms: f64,
) -> Result<Option<Summary>, StoreError> {
    let Some(session) = session.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let scoped = OxePaths::new(root, Some(session));
    let state = read_state(root);
    let payload = json!({
        "summary_type": "session",
        "generated_at": crate::jsdate::to_iso(now_ms),
        "session": session,
        "phase": opt_str(parse_state_phase(&state)),
        "session_manifest": scoped.session_manifest.as_deref().map(summarize_file).unwrap_or_default(),
        "spec": summarize_file(&scoped.spec),
        "plan": summarize_file(&scoped.plan),
        "runtime": summarize_file(&scoped.runtime),
        "verify": summarize_file(&scoped.verify),
    });
    let md = format!(
        "# OXE Context Summary — Session\n\n- **Generated at:** {}\n- **Session:** {session}\n- **Phase:** {}\n\n## Session Manifest\n\n{}\n\n## SPEC\n\n{}\n\n## PLAN\n\n{}\n\n## Runtime\n\n{}\n\n## VERIFY\n\n{}\n",
        or_dash(&payload["generated_at"]),
        or_dash(&payload["phase"]),
        or_dash(&payload["session_manifest"]),
        or_dash(&payload["spec"]),
        or_dash(&payload["plan"]),
        or_dash(&payload["runtime"]),
        or_dash(&payload["verify"]),
    );
    if write {
        let p = super::context_paths(root, Some(Some(session)));
        if let (Some(j), Some(m)) = (
            p["sessionSummaryJson"].as_str(),
            p["sessionSummaryMd"].as_str(),
        ) {
            write_json_nl(Path::new(j), &payload)?;
            write_atomic(Path::new(m), md.as_bytes())?;
        }
    }
    Ok(Some(Summary {
        json: payload,
        markdown: md,
    }))
}

/// `**runtime_status:**` (any case) and the rest of its line (or of the
/// next non-blank line), trimmed.
fn runtime_status(state: &str) -> Option<String> {
    const LABEL: &str = "**runtime_status:**";
    let at = state.to_ascii_lowercase().find(LABEL)?;
    let rest = state[at + LABEL.len()..].trim_start_matches(crate::jstext::is_ws);
    let line = rest.split('\n').next().unwrap_or_default();
    (!line.is_empty()).then(|| crate::jstext::trim(line).to_string())
}

/// `buildPhaseSummary(projectRoot, activeSession, {write})`.
pub fn phase_summary(
    root: &Path,
    session: SessionArg,
    write: bool,
    now_ms: f64,
) -> Result<Summary, StoreError> {
    let state = read_state(root);
    let given = session
        .flatten()
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let snapshot = summarize_text(&state, 220, 8);
    let snapshot = crate::jstext::trim(&snapshot).to_string();
    let payload = json!({
        "summary_type": "phase",
        "generated_at": crate::jsdate::to_iso(now_ms),
        "phase": opt_str(parse_state_phase(&state)),
        "active_session": opt_str(given.or_else(|| parse_active_session(&state))),
        "next_step": if snapshot.is_empty() { Value::Null } else { json!(snapshot) },
        "runtime_status": opt_str(runtime_status(&state)),
        "plan_review_status": opt_str(parse_plan_review_status(&state)),
    });
    let md = format!(
        "# OXE Context Summary — Phase\n\n- **Generated at:** {}\n- **Phase:** {}\n- **Active session:** {}\n- **runtime_status:** {}\n- **plan_review_status:** {}\n\n## Snapshot\n\n{}\n",
        or_dash(&payload["generated_at"]),
        or_dash(&payload["phase"]),
        session_or_legacy(&payload["active_session"]),
        or_dash(&payload["runtime_status"]),
        or_dash(&payload["plan_review_status"]),
        or_dash(&payload["next_step"]),
    );
    if write {
        let s = session.map(|x| x.filter(|v| !v.is_empty()));
        let p = super::context_paths(root, s);
        let path = |k: &str| PathBuf::from(p[k].as_str().unwrap_or_default());
        write_json_nl(&path("phaseSummaryJson"), &payload)?;
        write_atomic(&path("phaseSummaryMd"), md.as_bytes())?;
    }
    Ok(Summary {
        json: payload,
        markdown: md,
    })
}

/// `buildContextIndex(projectRoot, activeSession, {write})`: writes the
/// three summaries (a failure is a warning on stderr) and, with `write`,
/// `context/index.json`.
pub fn build_index(
    root: &Path,
    session: SessionArg,
    write: bool,
    now_ms: f64,
) -> Result<Value, StoreError> {
    let mut errors = Vec::new();
    if let Err(e) = project_summary(root, session, write, now_ms) {
        errors.push(format!("project: {e}"));
    }
    if let Err(e) = session_summary(root, session.flatten(), write, now_ms) {
        errors.push(format!("session: {e}"));
    }
    if let Err(e) = phase_summary(root, session, write, now_ms) {
        errors.push(format!("phase: {e}"));
    }
    if !errors.is_empty() {
        eprintln!(
            "[oxe] WARN buildContextIndex — could not write the summaries: {}",
            errors.join("; ")
        );
    }
    let resolved = resolve_session(root, session);
    let state = read_state(root);
    let mut cands = candidates(root, resolved.as_deref(), Some(resolved.as_deref()));
    cands.sort_by(|a, b| a.alias.cmp(b.alias));
    let artifacts: Vec<Value> = cands.iter().map(|c| record(c, now_ms)).collect();
    let count = |k: &str, want: bool| artifacts.iter().filter(|a| a[k] == json!(want)).count();
    let payload = json!({
        "schema_version": 1,
        "generated_at": crate::jsdate::to_iso(now_ms),
        "project_root": root.to_string_lossy(),
        "active_session": opt_str(resolved.clone()),
        "phase": opt_str(parse_state_phase(&state)),
        "stats": {
            "total": artifacts.len(),
            "existing": count("exists", true),
            "missing": count("exists", false),
            "conflicts": count("conflict", true),
        },
        "artifacts": artifacts,
    });
    // 1.4.0's key order has artifacts before stats
    let mut ordered = serde_json::Map::new();
    for k in [
        "schema_version",
        "generated_at",
        "project_root",
        "active_session",
        "phase",
        "artifacts",
        "stats",
    ] {
        ordered.insert(k.into(), payload[k].clone());
    }
    let payload = Value::Object(ordered);
    if write {
        let p = super::context_paths(root, Some(resolved.as_deref()));
        write_json_nl(Path::new(p["index"].as_str().unwrap_or_default()), &payload)?;
    }
    Ok(payload)
}
