//! Project health: the SDK namespace `health` of oxe-cc 1.4.0 and what
//! `status` and `doctor` print. Everything here only reads files.
//!
//! Map: [`config`] (config layers and shape check), [`report`]
//! (`buildHealthReport`, the warning lists, `suggestNextStep`), [`doctor`]
//! (`runDoctorChecks`, doctor as data).

pub mod config;
pub mod doctor;
pub mod report;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::i18n::Lang;

/// One text in English and Brazilian Portuguese.
pub(crate) fn t(lang: Lang, en: &str, pt: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::PtBr => pt.to_string(),
    }
}

/// The codebase maps a complete scan writes.
pub const EXPECTED_CODEBASE_MAPS: [&str; 7] = [
    "OVERVIEW.md",
    "STACK.md",
    "STRUCTURE.md",
    "TESTING.md",
    "INTEGRATIONS.md",
    "CONVENTIONS.md",
    "CONCERNS.md",
];

/// `scopedOxePaths(proj, activeSession)`: the `.oxe/` paths, with the
/// session-scoped ones moved under `.oxe/<session>/` when a session is set.
#[derive(Debug, Clone)]
pub struct OxePaths {
    pub oxe: PathBuf,
    pub state: PathBuf,
    pub context_index: PathBuf,
    pub runtime: PathBuf,
    pub checkpoints: PathBuf,
    pub capabilities_index: PathBuf,
    pub capabilities_dir: PathBuf,
    pub investigations_index: PathBuf,
    pub investigations_dir: PathBuf,
    pub sessions_index: PathBuf,
    pub global_dir: PathBuf,
    pub global_lessons: PathBuf,
    pub global_milestones: PathBuf,
    pub global_milestones_dir: PathBuf,
    pub sessions_dir: PathBuf,
    pub plan_review: PathBuf,
    pub active_run: PathBuf,
    pub runs_dir: PathBuf,
    pub events: PathBuf,
    pub copilot_manifest: PathBuf,
    pub runtime_semantics_manifest: PathBuf,
    pub spec: PathBuf,
    pub plan: PathBuf,
    pub quick: PathBuf,
    pub verify: PathBuf,
    pub discuss: PathBuf,
    pub summary: PathBuf,
    pub codebase: PathBuf,
    pub lessons: PathBuf,
    pub plan_agents: PathBuf,
    pub session_root: Option<PathBuf>,
    pub session_manifest: Option<PathBuf>,
}

/// `.oxe/<a>/<b>/…` joined segment by segment (sessions use `/`).
fn under(base: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .filter(|s| !s.is_empty())
        .fold(base.to_path_buf(), |p, s| p.join(s))
}

impl OxePaths {
    pub fn new(proj: &Path, session: Option<&str>) -> OxePaths {
        let oxe = proj.join(".oxe");
        let j = |s: &str| under(&oxe, s);
        let mut p = OxePaths {
            state: j("STATE.md"),
            context_index: j("context/index.json"),
            runtime: j("EXECUTION-RUNTIME.md"),
            checkpoints: j("CHECKPOINTS.md"),
            capabilities_index: j("CAPABILITIES.md"),
            capabilities_dir: j("capabilities"),
            investigations_index: j("INVESTIGATIONS.md"),
            investigations_dir: j("investigations"),
            sessions_index: j("SESSIONS.md"),
            global_dir: j("global"),
            global_lessons: j("global/LESSONS.md"),
            global_milestones: j("global/MILESTONES.md"),
            global_milestones_dir: j("global/milestones"),
            sessions_dir: j("sessions"),
            plan_review: j("PLAN-REVIEW.md"),
            active_run: j("ACTIVE-RUN.json"),
            runs_dir: j("runs"),
            events: j("OXE-EVENTS.ndjson"),
            copilot_manifest: j("install/copilot-vscode.json"),
            runtime_semantics_manifest: j("install/runtime-semantics.json"),
            spec: j("SPEC.md"),
            plan: j("PLAN.md"),
            quick: j("QUICK.md"),
            verify: j("VERIFY.md"),
            discuss: j("DISCUSS.md"),
            summary: j("SUMMARY.md"),
            codebase: j("codebase"),
            lessons: j("LESSONS.md"),
            plan_agents: j("plan-agents.json"),
            session_root: None,
            session_manifest: None,
            oxe: oxe.clone(),
        };
        if let Some(s) = session {
            let root = under(&oxe, s);
            let r = |x: &str| under(&root, x);
            p.plan_review = r("plan/PLAN-REVIEW.md");
            p.runtime = r("execution/EXECUTION-RUNTIME.md");
            p.checkpoints = r("execution/CHECKPOINTS.md");
            p.active_run = r("execution/ACTIVE-RUN.json");
            p.runs_dir = r("execution/runs");
            p.events = r("execution/OXE-EVENTS.ndjson");
            p.investigations_index = r("research/INVESTIGATIONS.md");
            p.investigations_dir = r("research/investigations");
            p.spec = r("spec/SPEC.md");
            p.discuss = r("spec/DISCUSS.md");
            p.plan = r("plan/PLAN.md");
            p.quick = r("plan/QUICK.md");
            p.verify = r("verification/VERIFY.md");
            p.summary = r("verification/SUMMARY.md");
            p.session_manifest = Some(r("SESSION.md"));
            p.session_root = Some(root);
        }
        p
    }
}

pub(crate) fn read_text(p: &Path) -> Option<String> {
    std::fs::read_to_string(p).ok()
}

/// `readJsonFileSafe`: `Ok(Some)` parsed, `Ok(None)` absent, `Err` invalid.
pub(crate) fn read_json(p: &Path) -> Result<Option<Value>, String> {
    if !p.exists() {
        return Ok(None);
    }
    let raw = std::fs::read_to_string(p).map_err(|e| e.to_string())?;
    oxe_runtime::jsjson::parse(&raw)
        .map(Some)
        .map_err(|e| e.to_string())
}

pub(crate) fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Milliseconds since the epoch.
pub(crate) fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0)
}

/// `isStaleScan(date, maxDays)` → `(stale, days)`.
pub fn is_stale(date_ms: Option<f64>, max_days: f64, now: f64) -> (bool, Option<f64>) {
    match date_ms {
        Some(d) if max_days > 0.0 => {
            let elapsed = (now - d) / 86_400_000.0;
            (elapsed > max_days, Some(elapsed.floor()))
        }
        _ => (false, None),
    }
}

/// `resolveWorkflowsDir(proj)`: `.oxe/workflows`, else `oxe/workflows`.
pub fn resolve_workflows_dir(proj: &Path) -> Option<PathBuf> {
    let nested = proj.join(".oxe").join("workflows");
    if nested.exists() {
        return Some(nested);
    }
    let root = proj.join("oxe").join("workflows");
    root.exists().then_some(root)
}

/// The `.md` file names of a folder, sorted.
pub fn md_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The workflow slugs with a contract in the package's
/// `oxe/workflows/references/workflow-runtime-contracts.json`, sorted.
pub fn contract_slugs(package_root: &Path) -> Vec<String> {
    crate::runtime_semantics::Semantics::load(package_root)
        .all_workflow_contracts()
        .iter()
        .filter_map(|c| c["workflow_slug"].as_str().map(str::to_string))
        .collect()
}

/// `.oxe/<session…>` joined segment by segment.
pub(crate) fn under_path(base: &Path, rel: &str) -> PathBuf {
    under(base, rel)
}

/// `oxePaths(proj)` (36 keys in 1.4.0's order), or `scopedOxePaths(proj,
/// session)` when `scoped` is set (the same keys plus the session ones).
pub fn oxe_paths_value(proj: &Path, session: Option<&str>, scoped: bool) -> Value {
    let oxe = proj.join(".oxe");
    let s = |p: PathBuf| Value::String(path_str(&p));
    let j = |rel: &str| s(under(&oxe, rel));
    let mut m = serde_json::Map::new();
    m.insert("oxe".into(), s(oxe.clone()));
    for (k, rel) in [
        ("installDir", "install"),
        ("contextDir", "context"),
        ("contextIndex", "context/index.json"),
        ("contextPacksDir", "context/packs"),
        ("contextSummariesDir", "context/summaries"),
        ("state", "STATE.md"),
        ("runtime", "EXECUTION-RUNTIME.md"),
        ("checkpoints", "CHECKPOINTS.md"),
        ("capabilitiesIndex", "CAPABILITIES.md"),
        ("capabilitiesDir", "capabilities"),
        ("investigationsIndex", "INVESTIGATIONS.md"),
        ("investigationsDir", "investigations"),
        ("dashboardDir", "dashboard"),
        ("sessionsIndex", "SESSIONS.md"),
        ("globalDir", "global"),
        ("globalLessons", "global/LESSONS.md"),
        ("globalMilestones", "global/MILESTONES.md"),
        ("globalMilestonesDir", "global/milestones"),
        ("sessionsDir", "sessions"),
        ("planReview", "PLAN-REVIEW.md"),
        ("planReviewComments", "plan-review-comments.json"),
        ("activeRun", "ACTIVE-RUN.json"),
        ("runsDir", "runs"),
        ("events", "OXE-EVENTS.ndjson"),
        ("copilotManifest", "install/copilot-vscode.json"),
        ("runtimeSemanticsManifest", "install/runtime-semantics.json"),
        ("spec", "SPEC.md"),
        ("plan", "PLAN.md"),
        ("quick", "QUICK.md"),
        ("verify", "VERIFY.md"),
        ("discuss", "DISCUSS.md"),
        ("summary", "SUMMARY.md"),
        ("codebase", "codebase"),
        ("lessons", "LESSONS.md"),
        ("planAgents", "plan-agents.json"),
    ] {
        m.insert(k.into(), j(rel));
    }
    if !scoped {
        return Value::Object(m);
    }
    let Some(sess) = session.filter(|x| !x.is_empty()) else {
        m.insert("activeSession".into(), Value::Null);
        m.insert("scopedRoot".into(), s(oxe));
        return Value::Object(m);
    };
    let root = under(&oxe, sess);
    let r = |rel: &str| s(under(&root, rel));
    m.insert("activeSession".into(), Value::String(sess.into()));
    m.insert("scopedRoot".into(), s(root.clone()));
    m.insert("sessionRoot".into(), s(root.clone()));
    for (k, rel) in [
        ("sessionManifest", "SESSION.md"),
        ("planReview", "plan/PLAN-REVIEW.md"),
        ("planReviewComments", "plan/plan-review-comments.json"),
        ("runtime", "execution/EXECUTION-RUNTIME.md"),
        ("checkpoints", "execution/CHECKPOINTS.md"),
        ("activeRun", "execution/ACTIVE-RUN.json"),
        ("runsDir", "execution/runs"),
        ("events", "execution/OXE-EVENTS.ndjson"),
        ("investigationsIndex", "research/INVESTIGATIONS.md"),
        ("investigationsDir", "research/investigations"),
        ("spec", "spec/SPEC.md"),
        ("discuss", "spec/DISCUSS.md"),
        ("plan", "plan/PLAN.md"),
        ("quick", "plan/QUICK.md"),
        ("verify", "verification/VERIFY.md"),
        ("summary", "verification/SUMMARY.md"),
        ("executionState", "execution/STATE.md"),
    ] {
        m.insert(k.into(), r(rel));
    }
    Value::Object(m)
}

impl OxePaths {
    /// The paths of an `oxePaths` / `scopedOxePaths` object built by a caller.
    pub fn from_value(v: &Value) -> OxePaths {
        let g = |k: &str| PathBuf::from(v.get(k).and_then(Value::as_str).unwrap_or(""));
        let o = |k: &str| v.get(k).and_then(Value::as_str).map(PathBuf::from);
        OxePaths {
            oxe: g("oxe"),
            state: g("state"),
            context_index: g("contextIndex"),
            runtime: g("runtime"),
            checkpoints: g("checkpoints"),
            capabilities_index: g("capabilitiesIndex"),
            capabilities_dir: g("capabilitiesDir"),
            investigations_index: g("investigationsIndex"),
            investigations_dir: g("investigationsDir"),
            sessions_index: g("sessionsIndex"),
            global_dir: g("globalDir"),
            global_lessons: g("globalLessons"),
            global_milestones: g("globalMilestones"),
            global_milestones_dir: g("globalMilestonesDir"),
            sessions_dir: g("sessionsDir"),
            plan_review: g("planReview"),
            active_run: g("activeRun"),
            runs_dir: g("runsDir"),
            events: g("events"),
            copilot_manifest: g("copilotManifest"),
            runtime_semantics_manifest: g("runtimeSemanticsManifest"),
            spec: g("spec"),
            plan: g("plan"),
            quick: g("quick"),
            verify: g("verify"),
            discuss: g("discuss"),
            summary: g("summary"),
            codebase: g("codebase"),
            lessons: g("lessons"),
            plan_agents: g("planAgents"),
            session_root: o("sessionRoot"),
            session_manifest: o("sessionManifest"),
        }
    }
}

#[cfg(test)]
mod tests;
