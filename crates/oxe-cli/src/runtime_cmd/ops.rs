//! The operational layer of 1.4.0 (`bin/lib/oxe-operational.cjs`): where
//! a run lives, the run-state file and its `ACTIVE-RUN.json` pointer, the
//! operational graph, the legacy NDJSON trace, the start / pause / resume /
//! replay state machine, the gate queue and the multi-agent status.
//!
//! Everything works on JSON values, because the files are JSON written by
//! several tools (1.4.0, the dashboard, the runtime) and must round-trip
//! keys we do not know. Writes are atomic (`store::write_atomic`); the trace
//! is appended whole-line under a lock.

use std::path::{Path, PathBuf};

use oxe_runtime::{clock, jsjson, paths, store, OxeError};
use serde_json::{json, Map, Value};

use super::js::{self, arr, get, is_obj, js_string, or_null, present, text_or, truthy, truthy_of};
use crate::i18n::Lang;

/// The run statuses `writeRunState` accepts (anything else becomes
/// `planned`).
pub const VALID_RUN_STATUSES: [&str; 9] = [
    "planned",
    "running",
    "paused",
    "waiting_approval",
    "blocked",
    "failed",
    "completed",
    "replaying",
    "aborted",
];

/// Why an operational call failed. The message is rendered in the user's
/// language at the edge ([`OpError::message`]).
#[derive(Debug)]
pub enum OpError {
    /// pause / resume / replay without a run.
    NoActiveRun,
    /// An action word the state machine does not know.
    UnknownAction(String),
    SpecMissing(PathBuf),
    PlanMissing(PathBuf),
    /// The verification suite needs both SPEC.md and PLAN.md.
    ArtifactsMissing,
    /// `gates resolve` without a run id.
    NoRunForGates,
    GateNotFound(String),
    NoRunForRecover,
    JournalMissing(String),
    NoRunForPromote,
    ManifestMissing,
    /// A core error (bad id, I/O, malformed input).
    Core(OxeError),
}

impl From<OxeError> for OpError {
    fn from(e: OxeError) -> Self {
        OpError::Core(e)
    }
}

impl From<store::StoreError> for OpError {
    fn from(e: store::StoreError) -> Self {
        OpError::Core(OxeError::Store(e))
    }
}

fn tr(lang: Lang, en: &str, pt: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::PtBr => pt.to_string(),
    }
}

impl OpError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            OpError::NoActiveRun => tr(
                lang,
                "No ACTIVE-RUN is available for this action. Start one with `oxe-cc runtime start`.",
                "Nenhum ACTIVE-RUN disponível para esta ação. Inicie um com `oxe-cc runtime start`.",
            ),
            OpError::UnknownAction(a) => match lang {
                Lang::En => format!("Unknown runtime action: {a}"),
                Lang::PtBr => format!("Ação de runtime desconhecida: {a}"),
            },
            OpError::SpecMissing(p) => match lang {
                Lang::En => format!("SPEC.md is missing at {}", p.display()),
                Lang::PtBr => format!("SPEC.md ausente em {}", p.display()),
            },
            OpError::PlanMissing(p) => match lang {
                Lang::En => format!("PLAN.md is missing at {}", p.display()),
                Lang::PtBr => format!("PLAN.md ausente em {}", p.display()),
            },
            OpError::ArtifactsMissing => tr(
                lang,
                "SPEC.md and PLAN.md are both needed to compile the verification suite.",
                "SPEC.md e PLAN.md são necessários para compilar a suíte de verificação.",
            ),
            OpError::NoRunForGates => tr(
                lang,
                "No active run whose gates could be resolved (give --run).",
                "Nenhum run ativo para resolver gates (use --run).",
            ),
            OpError::GateNotFound(g) => match lang {
                Lang::En => format!("Gate not found: {g}"),
                Lang::PtBr => format!("Gate não encontrado: {g}"),
            },
            OpError::NoRunForRecover => tr(
                lang,
                "No ACTIVE-RUN is available to recover.",
                "Nenhum ACTIVE-RUN disponível para recover.",
            ),
            OpError::JournalMissing(r) => match lang {
                Lang::En => format!("No journal for run {r}: nothing to recover from."),
                Lang::PtBr => format!("Journal ausente para a run {r}: nada a recuperar."),
            },
            OpError::NoRunForPromote => tr(
                lang,
                "No ACTIVE-RUN is available to promote.",
                "Nenhum ACTIVE-RUN disponível para promover.",
            ),
            OpError::ManifestMissing => tr(
                lang,
                "No verification manifest: run `oxe-cc runtime verify` before promoting.",
                "Manifest de verify ausente: execute `oxe-cc runtime verify` antes de promover.",
            ),
            OpError::Core(e) => e.to_string(),
        }
    }

    /// The `OXE_E_*` code the SDK puts on the error it throws.
    pub fn code(&self) -> &'static str {
        match self {
            OpError::SpecMissing(_) | OpError::PlanMissing(_) | OpError::ArtifactsMissing => {
                "OXE_E_PLAN"
            }
            OpError::Core(e) => e.code(),
            _ => "OXE_E_ARG",
        }
    }

    /// As a core error (message in `lang`), for the binding.
    pub fn into_core(self, lang: Lang) -> OxeError {
        match self {
            OpError::Core(e) => e,
            other => {
                let msg = other.message(lang);
                match other.code() {
                    "OXE_E_PLAN" => OxeError::Plan(msg),
                    _ => OxeError::Arg(msg),
                }
            }
        }
    }
}

pub type OpResult<T> = Result<T, OpError>;

// ------------------------------------------------------------------ paths

/// `operationalPaths(projectRoot, activeSession)`.
#[derive(Debug, Clone)]
pub struct OpPaths {
    pub oxe_dir: PathBuf,
    pub scope_root: PathBuf,
    pub execution_root: PathBuf,
    pub runs_dir: PathBuf,
    pub events: PathBuf,
    pub active_run: PathBuf,
    pub project_lessons: PathBuf,
    pub session_manifest: Option<PathBuf>,
    pub verify: PathBuf,
    pub investigations: PathBuf,
    pub capabilities_dir: PathBuf,
    pub capabilities_index: PathBuf,
    pub checkpoints: PathBuf,
    pub gates: PathBuf,
    pub audit_trail: PathBuf,
}

fn p(v: &Path) -> Value {
    Value::String(v.to_string_lossy().into_owned())
}

impl OpPaths {
    /// The paths of a project and session. A session id that would leave
    /// `.oxe/` (`..`, absolute) is refused (`OXE_E_PATH`).
    pub fn new(root: &Path, session: Option<&str>) -> OpResult<OpPaths> {
        let oxe_dir = paths::oxe_dir(root);
        let scope_root = match session {
            Some(s) => {
                let mut d = oxe_dir.clone();
                for seg in paths::safe_segments("sessionId", s)? {
                    d.push(seg);
                }
                d
            }
            None => oxe_dir.clone(),
        };
        let scoped = session.is_some();
        let execution_root = if scoped {
            scope_root.join("execution")
        } else {
            oxe_dir.clone()
        };
        Ok(OpPaths {
            runs_dir: execution_root.join("runs"),
            events: execution_root.join("OXE-EVENTS.ndjson"),
            active_run: execution_root.join("ACTIVE-RUN.json"),
            project_lessons: oxe_dir.join("global").join("LESSONS.md"),
            session_manifest: scoped.then(|| scope_root.join("SESSION.md")),
            verify: if scoped {
                scope_root.join("verification").join("VERIFY.md")
            } else {
                oxe_dir.join("VERIFY.md")
            },
            investigations: if scoped {
                scope_root.join("research").join("INVESTIGATIONS.md")
            } else {
                oxe_dir.join("INVESTIGATIONS.md")
            },
            capabilities_dir: oxe_dir.join("capabilities"),
            capabilities_index: oxe_dir.join("CAPABILITIES.md"),
            checkpoints: execution_root.join("CHECKPOINTS.md"),
            gates: if scoped {
                scope_root.join("execution").join("GATES.json")
            } else {
                oxe_dir.join("execution").join("GATES.json")
            },
            audit_trail: oxe_dir.join("AUDIT-TRAIL.ndjson"),
            oxe_dir,
            scope_root,
            execution_root,
        })
    }

    /// The object 1.4.0 returns, keys in its order.
    pub fn to_value(&self) -> Value {
        json!({
            "oxeDir": p(&self.oxe_dir),
            "scopeRoot": p(&self.scope_root),
            "executionRoot": p(&self.execution_root),
            "runsDir": p(&self.runs_dir),
            "events": p(&self.events),
            "activeRun": p(&self.active_run),
            "projectLessons": p(&self.project_lessons),
            "sessionManifest": self.session_manifest.as_deref().map_or(Value::Null, p),
            "verify": p(&self.verify),
            "investigations": p(&self.investigations),
            "capabilitiesDir": p(&self.capabilities_dir),
            "capabilitiesIndex": p(&self.capabilities_index),
            "checkpoints": p(&self.checkpoints),
            "gates": p(&self.gates),
            "auditTrail": p(&self.audit_trail),
        })
    }
}

/// `.oxe/runs/<run_id>/` (per-run artefacts live here whatever the
/// session). An id that would leave `.oxe/runs` is refused.
pub fn run_dir(root: &Path, run_id: &str) -> OpResult<PathBuf> {
    Ok(paths::run_dir(root, run_id)?)
}

/// `<runsDir>/<run_id>.json`.
fn run_file(runs_dir: &Path, run_id: &str) -> OpResult<PathBuf> {
    let segs = paths::safe_segments("runId", run_id)?;
    let Some((last, dirs)) = segs.split_last() else {
        return Err(OxeError::Arg("runId must be a non-empty string".into()).into());
    };
    let mut f = runs_dir.to_path_buf();
    for d in dirs {
        f.push(d);
    }
    f.push(format!("{last}.json"));
    Ok(f)
}

/// `path.relative(root, p)` with `/` separators (for the refs 1.4.0 keeps).
pub fn rel(root: &Path, target: &Path) -> String {
    let parts: Vec<String> = match target.strip_prefix(root) {
        Ok(r) => r
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect(),
        Err(_) => return target.to_string_lossy().replace('\\', "/"),
    };
    parts.join("/")
}

// ------------------------------------------------------------------ files

/// `readTextIfExists`.
pub fn read_text(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// `readJsonIfExists`: the parsed file, `None` when absent, empty or not
/// JSON (left in place, as 1.4.0 leaves it).
pub fn read_json(path: &Path) -> Option<Value> {
    let raw = read_text(path)?;
    let body = raw.strip_prefix('\u{feff}').unwrap_or(&raw);
    if body.is_empty() {
        return None;
    }
    jsjson::parse(body).ok()
}

/// `JSON.stringify(v, null, 2)` written atomically, no trailing newline.
pub fn write_json(path: &Path, v: &Value) -> OpResult<()> {
    store::write_json(path, v)?;
    Ok(())
}

/// A text file written atomically.
pub fn write_text(path: &Path, text: &str) -> OpResult<()> {
    store::write_atomic(path, text.as_bytes())?;
    Ok(())
}

/// `makeRunId()`: `oxe-run-<ms base36>-<6 base36 chars>`.
pub fn make_run_id() -> String {
    format!(
        "oxe-run-{}-{}",
        clock::to_base36(clock::now_ms().max(0) as u64),
        clock::random_chars(6, clock::BASE36)
    )
}

// ------------------------------------------------------------------ context

/// One project and session: the receiver of every operational call.
#[derive(Clone, Copy)]
pub struct Op<'a> {
    pub root: &'a Path,
    pub session: Option<&'a str>,
    pub lang: Lang,
}

impl<'a> Op<'a> {
    pub fn new(root: &'a Path, session: Option<&'a str>, lang: Lang) -> Op<'a> {
        Op {
            root,
            session: session.filter(|s| !s.is_empty()),
            lang,
        }
    }

    pub fn paths(&self) -> OpResult<OpPaths> {
        OpPaths::new(self.root, self.session)
    }

    pub fn t(&self, en: &str, pt: &str) -> String {
        tr(self.lang, en, pt)
    }

    fn session_value(&self) -> Value {
        self.session
            .map_or(Value::Null, |s| Value::String(s.to_string()))
    }

    // -------------------------------------------------------------- events

    /// `appendEvent(projectRoot, activeSession, event)`: one line of the
    /// legacy trace, returned as written.
    pub fn append_event(&self, event: &Value) -> OpResult<Value> {
        let path = self.paths()?.events;
        let e = Some(event);
        let f = |k: &str| get(e, k);
        let mut m = Map::new();
        m.insert(
            "event_id".into(),
            truthy_of(f("event_id"))
                .cloned()
                .unwrap_or_else(|| Value::String(oxe_runtime::events::envelope::new_event_id())),
        );
        m.insert("type".into(), Value::String(text_or(f("type"), "custom")));
        m.insert(
            "timestamp".into(),
            truthy_of(f("timestamp"))
                .cloned()
                .unwrap_or_else(|| Value::String(js::now_iso())),
        );
        m.insert("run_id".into(), or_null(f("run_id")));
        m.insert(
            "session_id".into(),
            if self.session.is_some() {
                self.session_value()
            } else {
                or_null(f("session_id"))
            },
        );
        m.insert("wave_id".into(), or_null(f("wave_id")));
        m.insert(
            "task_id".into(),
            or_null(truthy_of(f("task_id")).or(f("work_item_id"))),
        );
        m.insert(
            "work_item_id".into(),
            or_null(truthy_of(f("work_item_id")).or(f("task_id"))),
        );
        for k in ["attempt_id", "agent_id", "causation_id", "correlation_id"] {
            m.insert(k.into(), or_null(f(k)));
        }
        m.insert(
            "payload".into(),
            match f("payload") {
                Some(v @ (Value::Object(_) | Value::Array(_))) => v.clone(),
                _ => json!({}),
            },
        );
        let entry = Value::Object(m);
        store::append_line(&path, &jsjson::to_line(&entry), false)?;
        Ok(entry)
    }

    /// `readEvents(projectRoot, activeSession)`: every line that parses to
    /// a truthy value, in file order; other lines are skipped.
    pub fn read_events(&self) -> OpResult<Vec<Value>> {
        let raw = read_text(&self.paths()?.events).unwrap_or_default();
        Ok(raw
            .split('\n')
            .map(crate::jstext::trim)
            .filter(|l| !l.is_empty())
            .filter_map(|l| jsjson::parse(l).ok())
            .filter(truthy)
            .collect())
    }

    // -------------------------------------------------------------- run state

    /// `readRunState`: the run named by `ACTIVE-RUN.json` (else the last
    /// `runs/*.json` by name); `None` when there is none. A fresh project's
    /// placeholder pointer names no run file, so it reads as no run.
    pub fn read_run_state(&self) -> OpResult<Option<Value>> {
        let p = self.paths()?;
        let mut run_id = read_json(&p.active_run)
            .as_ref()
            .and_then(|v| truthy_of(get(Some(v), "run_id")).map(js_string));
        if run_id.is_none() {
            let mut files: Vec<String> = std::fs::read_dir(&p.runs_dir)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| n.ends_with(".json"))
                        .collect()
                })
                .unwrap_or_default();
            files.sort();
            run_id = files.last().map(|f| f[..f.len() - 5].to_string());
        }
        let Some(id) = run_id else {
            return Ok(None);
        };
        let Ok(file) = run_file(&p.runs_dir, &id) else {
            return Ok(None);
        };
        Ok(read_json(&file))
    }

    /// `writeRunState`: normalises the run (fixed key order, defaults,
    /// invalid status → `planned`), rebuilds its operational graph, writes
    /// `<runsDir>/<run_id>.json` and the `ACTIVE-RUN.json` pointer, and
    /// returns what was written.
    pub fn write_run_state(&self, run: &Value) -> OpResult<Value> {
        let p = self.paths()?;
        let r = Some(run);
        let f = |k: &str| get(r, k);
        let run_id = match truthy_of(f("run_id")) {
            Some(v) => js_string(v),
            None => make_run_id(),
        };
        let status = text_or(f("status"), "planned");
        let status = if VALID_RUN_STATUSES.contains(&status.as_str()) {
            status
        } else {
            "planned".into()
        };
        let now = js::now_iso();
        let canonical = match truthy_of(f("canonical_state")) {
            Some(c) => super::canon::Canon::hydrate(Some(c)).serialize(),
            None => Value::Null,
        };
        let cursor = f("cursor").filter(|c| truthy(c));
        let c = |k: &str| get(cursor, k);
        let strings = |v: Option<&Value>| -> Value {
            Value::Array(
                arr(v)
                    .map(|a| a.iter().map(|x| Value::String(js_string(x))).collect())
                    .unwrap_or_default(),
            )
        };
        let array_or_empty = |v: Option<&Value>| -> Value {
            arr(v).map_or_else(|| json!([]), |a| Value::Array(a.clone()))
        };
        let obj_or = |v: Option<&Value>, d: Value| -> Value {
            if is_obj(v) {
                v.cloned().unwrap_or(d)
            } else {
                d
            }
        };
        let graph = match f("graph") {
            g @ Some(Value::Object(_) | Value::Array(_)) => json!({
                "nodes": array_or_empty(get(g, "nodes")),
                "edges": array_or_empty(get(g, "edges")),
            }),
            _ => json!({"nodes": [], "edges": []}),
        };
        let mut m = Map::new();
        m.insert("run_id".into(), Value::String(run_id.clone()));
        m.insert("status".into(), Value::String(status));
        m.insert(
            "created_at".into(),
            truthy_of(f("created_at"))
                .cloned()
                .unwrap_or_else(|| Value::String(now.clone())),
        );
        m.insert(
            "updated_at".into(),
            truthy_of(f("updated_at"))
                .cloned()
                .unwrap_or_else(|| Value::String(now.clone())),
        );
        m.insert(
            "plan_ref".into(),
            truthy_of(f("plan_ref"))
                .cloned()
                .unwrap_or_else(|| json!("PLAN.md")),
        );
        m.insert("session_id".into(), self.session_value());
        m.insert(
            "current_wave".into(),
            if present(f("current_wave")) {
                js::num(js::to_number(f("current_wave")))
            } else {
                Value::Null
            },
        );
        m.insert(
            "cursor".into(),
            json!({
                "wave": if present(c("wave")) { js::num(js::to_number(c("wave"))) } else { Value::Null },
                "task": truthy_of(c("task")).map_or(Value::Null, |t| Value::String(js_string(t))),
                "mode": truthy_of(c("mode")).map_or(Value::Null, |t| Value::String(js_string(t))),
            }),
        );
        m.insert("active_tasks".into(), strings(f("active_tasks")));
        m.insert(
            "pending_checkpoints".into(),
            strings(f("pending_checkpoints")),
        );
        m.insert("retries".into(), array_or_empty(f("retries")));
        m.insert("failures".into(), array_or_empty(f("failures")));
        m.insert("evidence".into(), array_or_empty(f("evidence")));
        m.insert(
            "provider_context".into(),
            obj_or(f("provider_context"), json!({})),
        );
        m.insert("graph".into(), graph);
        m.insert(
            "compiled_graph".into(),
            obj_or(f("compiled_graph"), Value::Null),
        );
        m.insert("graph_version".into(), or_null(f("graph_version")));
        m.insert("canonical_state".into(), canonical);
        m.insert(
            "verification_suite".into(),
            obj_or(f("verification_suite"), Value::Null),
        );
        m.insert(
            "verification_results".into(),
            array_or_empty(f("verification_results")),
        );
        m.insert(
            "verification_check_results".into(),
            array_or_empty(f("verification_check_results")),
        );
        for k in [
            "verification_manifest",
            "residual_risks",
            "verification_evidence_coverage",
        ] {
            m.insert(k.into(), obj_or(f(k), Value::Null));
        }
        m.insert("verification_gaps".into(), strings(f("verification_gaps")));
        for k in ["ci_checks", "delivery", "recovery_summary", "multi_agent"] {
            m.insert(k.into(), obj_or(f(k), Value::Null));
        }
        m.insert("projections".into(), obj_or(f("projections"), json!({})));
        m.insert("metrics".into(), obj_or(f("metrics"), json!({})));
        let graph = build_operational_graph(&Value::Object(m.clone()));
        m.insert("graph".into(), graph);
        let payload = Value::Object(m);
        write_json(&run_file(&p.runs_dir, &run_id)?, &payload)?;
        let g = |k: &str| payload.get(k).cloned().unwrap_or(Value::Null);
        let pointer = json!({
            "run_id": run_id,
            "status": g("status"),
            "updated_at": g("updated_at"),
            "current_wave": g("current_wave"),
            "cursor": g("cursor"),
            "provider_context": g("provider_context"),
            "canonical_state": g("canonical_state"),
            "compiled_graph": g("compiled_graph"),
            "graph_version": g("graph_version"),
            "multi_agent": g("multi_agent"),
        });
        write_json(&p.active_run, &pointer)?;
        Ok(payload)
    }

    // -------------------------------------------------------------- actions

    /// `applyRuntimeAction`: `start` writes a new run; `pause`, `resume`
    /// and `replay` move the existing one (and need it). Each transition is
    /// traced (`run_started`, `run_paused`, `run_resumed`,
    /// `run_replay_requested`). The read-modify-write of the run runs under
    /// the ACTIVE-RUN lock, so the dashboard and the CLI never interleave.
    pub fn apply_action(&self, input: &Value) -> OpResult<Value> {
        let lock = self.paths()?.active_run;
        let mut out = None;
        store::with_lock(&lock, || {
            out = Some(self.apply_action_locked(input));
            Ok(())
        })?;
        out.unwrap_or(Err(OpError::NoActiveRun))
    }

    fn apply_action_locked(&self, input: &Value) -> OpResult<Value> {
        let i = Some(input);
        let f = |k: &str| get(i, k);
        let action = text_or(f("action"), "status").to_lowercase();
        let now = js::now_iso();
        let current = self.read_run_state()?;
        let cur = current.as_ref();
        let wave: Option<f64> = match f("wave") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            w => Some(js::to_number(w)),
        };
        let wave_v = wave.map_or(Value::Null, js::num);
        let task = truthy_of(f("task")).map(js_string);
        let task_v = task.clone().map_or(Value::Null, Value::String);
        let mode = match truthy_of(f("mode")) {
            Some(m) => js_string(m),
            None if task.is_some() => "task".into(),
            None if wave.is_some() => "wave".into(),
            None => "complete".into(),
        };
        let to_strings = |a: &Vec<Value>| -> Value {
            Value::Array(a.iter().map(|x| Value::String(js_string(x))).collect())
        };
        let pending = match arr(f("pending_checkpoints")) {
            Some(a) => to_strings(a),
            None => match arr(get(cur, "pending_checkpoints")) {
                Some(a) => Value::Array(a.clone()),
                None => json!([]),
            },
        };
        let wave_tag = |w: f64| format!("wave-{}", js::num_text(w));

        if action == "start" {
            let active = match (&task, arr(f("active_tasks"))) {
                (Some(t), _) => json!([t]),
                (None, Some(a)) => to_strings(a),
                (None, None) => json!([]),
            };
            let next = self.write_run_state(&json!({
                "run_id": truthy_of(f("run_id")).cloned().unwrap_or_else(|| json!(make_run_id())),
                "status": "running",
                "created_at": now,
                "updated_at": now,
                "plan_ref": truthy_of(f("plan_ref")).cloned().unwrap_or_else(|| json!("PLAN.md")),
                "current_wave": wave_v,
                "cursor": {"wave": wave_v, "task": task_v, "mode": mode},
                "active_tasks": active,
                "pending_checkpoints": pending,
                "retries": [],
                "failures": [],
                "evidence": [],
                "metrics": {"transitions": 1, "pause_count": 0, "replay_count": 0, "last_action": "start"},
            }))?;
            self.append_event(&json!({
                "type": "run_started",
                "run_id": next.get("run_id"),
                "wave_id": wave.map_or(Value::Null, |w| json!(wave_tag(w))),
                "task_id": task_v,
                "payload": {
                    "reason": truthy_of(f("reason")).cloned().unwrap_or_else(|| json!("run started")),
                    "mode": mode,
                },
            }))?;
            return Ok(next);
        }

        let Some(current) = current else {
            return Err(OpError::NoActiveRun);
        };
        let cur = Some(&current);
        let c_cursor = truthy_of(get(cur, "cursor"));
        let mut next = js::spread(cur);
        next.insert("updated_at".into(), json!(now));
        next.insert(
            "current_wave".into(),
            if wave.is_some() {
                wave_v.clone()
            } else {
                get(cur, "current_wave").cloned().unwrap_or(Value::Null)
            },
        );
        let cursor_wave = if wave.is_some() {
            wave_v.clone()
        } else if present(get(c_cursor, "wave")) {
            get(c_cursor, "wave").cloned().unwrap_or(Value::Null)
        } else {
            get(cur, "current_wave").cloned().unwrap_or(Value::Null)
        };
        let cursor_task = match &task {
            Some(t) => json!(t),
            None => get(c_cursor, "task").cloned().unwrap_or(Value::Null),
        };
        let cursor_mode = match truthy_of(f("mode")) {
            Some(m) => json!(js_string(m)),
            None => truthy_of(get(c_cursor, "mode"))
                .cloned()
                .unwrap_or_else(|| json!(mode)),
        };
        next.insert(
            "cursor".into(),
            json!({"wave": cursor_wave, "task": cursor_task, "mode": cursor_mode}),
        );
        next.insert(
            "active_tasks".into(),
            match (&task, arr(f("active_tasks"))) {
                (Some(t), _) => json!([t]),
                (None, Some(a)) => to_strings(a),
                (None, None) => truthy_of(get(cur, "active_tasks"))
                    .cloned()
                    .unwrap_or_else(|| json!([])),
            },
        );
        let pending_len = arr(Some(&pending)).map_or(0, Vec::len);
        next.insert("pending_checkpoints".into(), pending);
        let metrics_src = truthy_of(get(cur, "metrics"));
        let count = |k: &str| js::to_number(Some(&or_num0(get(metrics_src, k))));
        let mut metrics = js::spread(metrics_src);
        metrics.insert("transitions".into(), js::num(count("transitions") + 1.0));
        metrics.insert("last_action".into(), json!(action));
        let event_type = match action.as_str() {
            "pause" => {
                next.insert("status".into(), json!("paused"));
                metrics.insert("pause_count".into(), js::num(count("pause_count") + 1.0));
                "run_paused"
            }
            "resume" => {
                let s = if pending_len > 0 {
                    "waiting_approval"
                } else {
                    "running"
                };
                next.insert("status".into(), json!(s));
                "run_resumed"
            }
            "replay" => {
                next.insert("status".into(), json!("replaying"));
                metrics.insert("replay_count".into(), js::num(count("replay_count") + 1.0));
                "run_replay_requested"
            }
            _ => return Err(OpError::UnknownAction(action)),
        };
        next.insert("metrics".into(), Value::Object(metrics));
        let saved = self.write_run_state(&Value::Object(next))?;
        let s = Some(&saved);
        let wave_id = match get(s, "current_wave") {
            Some(Value::Null) | None => Value::Null,
            Some(w) => json!(format!("wave-{}", js_string(w))),
        };
        self.append_event(&json!({
            "type": event_type,
            "run_id": saved.get("run_id"),
            "wave_id": wave_id,
            "task_id": or_null(get(get(s, "cursor"), "task")),
            "payload": {
                "reason": truthy_of(f("reason")).cloned().unwrap_or_else(|| json!("")),
                "mode": or_null(get(get(s, "cursor"), "mode")),
                "pending_checkpoints": truthy_of(get(s, "pending_checkpoints")).cloned().unwrap_or_else(|| json!([])),
            },
        }))?;
        Ok(saved)
    }

    // -------------------------------------------------------------- gates

    /// `readRuntimeGates(projectRoot, activeSession, options)`: the gate
    /// queue of `GATES.json`, filtered by run, scope, work item, action and
    /// status (`all`, `stale` or a gate status), with its pending, stale
    /// and recently resolved views.
    pub fn read_gates(&self, options: &Value) -> OpResult<Value> {
        let path = self.paths()?.gates;
        let o = Some(options);
        let f = |k: &str| get(o, k);
        let gates: Vec<Value> = match read_json(&path) {
            Some(Value::Array(a)) => a.into_iter().filter(Value::is_object).collect(),
            _ => Vec::new(),
        };
        let run_id = or_null(f("runId"));
        let sla_src = truthy_of(f("gateSlaHours"))
            .or_else(|| truthy_of(f("gate_sla_hours")))
            .cloned()
            .unwrap_or_else(|| json!(24));
        let sla = js::to_number(Some(&sla_src));
        let status = text_or(f("status"), "all");
        let scope = truthy_of(f("scope")).map(|s| json!(js_string(s)));
        let work_item = or_null(truthy_of(f("task")).or_else(|| f("workItemId")));
        let action = or_null(f("action"));
        let now = js::now_ms();
        let window = sla * 3_600_000.0;
        let stale = |g: &Value| {
            let at = js::date_parse(g.get("requested_at"));
            g.get("status") == Some(&json!("pending")) && at.is_finite() && now - at > window
        };
        let gv = |g: &Value, k: &str| g.get(k).cloned().unwrap_or(Value::Null);
        let filtered: Vec<Value> = gates
            .into_iter()
            .filter(|g| {
                if truthy(&run_id) && truthy(&gv(g, "run_id")) && gv(g, "run_id") != run_id {
                    return false;
                }
                if let Some(s) = &scope {
                    if &gv(g, "scope") != s {
                        return false;
                    }
                }
                if truthy(&work_item) && gv(g, "work_item_id") != work_item {
                    return false;
                }
                if truthy(&action) && gv(g, "action") != action {
                    return false;
                }
                match status.as_str() {
                    "all" => true,
                    "stale" => stale(g),
                    s => g.get("status") == Some(&json!(s)),
                }
            })
            .collect();
        let pending: Vec<Value> = filtered
            .iter()
            .filter(|g| g.get("status") == Some(&json!("pending")))
            .cloned()
            .collect();
        let stale_pending: Vec<Value> = pending.iter().filter(|g| stale(g)).cloned().collect();
        let resolved_recent: Vec<Value> = filtered
            .iter()
            .filter(|g| {
                let at = js::date_parse(g.get("resolved_at"));
                g.get("status") == Some(&json!("resolved")) && at.is_finite() && now - at <= window
            })
            .cloned()
            .collect();
        let mut by_run = Map::new();
        let mut by_scope = Map::new();
        for g in &filtered {
            bump(&mut by_run, text_or(g.get("run_id"), "unscoped"));
            bump(&mut by_scope, text_or(g.get("scope"), "unknown"));
        }
        let counts = Value::Object;
        Ok(json!({
            "path": p(&path),
            "total": filtered.len(),
            "gateSlaHours": js::num(sla),
            "pending": pending,
            "stalePending": stale_pending,
            "staleCount": stale_pending.len(),
            "resolvedRecent": resolved_recent,
            "byRun": counts(by_run),
            "byScope": counts(by_scope),
            "all": filtered,
            "filters": {
                "runId": run_id,
                "status": status,
                "scope": scope.unwrap_or(Value::Null),
                "workItemId": work_item,
                "action": action,
            },
        }))
    }

    /// `resolveRuntimeGate`: resolves one gate through the runtime's gate
    /// manager (`approve` → `approved`, `reject` → `rejected`, anything
    /// else → `approved_with_caveats`, as 1.4.0 maps it) and returns the
    /// gate, the queue after it and what still blocks the run.
    pub fn resolve_gate(&self, options: &Value) -> OpResult<Value> {
        let o = Some(options);
        let f = |k: &str| get(o, k);
        let current = self.read_run_state()?;
        let run_id = truthy_of(f("runId"))
            .cloned()
            .or_else(|| truthy_of(get(current.as_ref(), "run_id")).cloned());
        let Some(run_id) = run_id else {
            return Err(OpError::NoRunForGates);
        };
        let gate_id = text_or(f("gateId"), "");
        let manager = oxe_runtime::gate::GateManager {
            root: self.root,
            session: self.session,
            run_id: Some(&run_id),
        };
        let gate = oxe_runtime::gate::query(&manager, "get", Some(&json!(gate_id)), 0.0)?;
        if !gate.is_object() {
            return Err(OpError::GateNotFound(
                f("gateId").map_or_else(|| "undefined".into(), js_string),
            ));
        }
        let decision = match f("decision").and_then(Value::as_str) {
            Some("approve") => "approved",
            Some("reject") => "rejected",
            _ => "approved_with_caveats",
        };
        let mut resolution = json!({
            "decision": decision,
            "actor": text_or(f("actor"), ""),
        });
        if let Some(r) = truthy_of(f("reason")) {
            resolution["reason"] = json!(js_string(r));
        }
        let token = json!({
            "gate_id": gate.get("gate_id"),
            "scope": gate.get("scope"),
            "action": gate.get("action"),
        });
        let resolved = manager.resolve(&token, &resolution)?;
        let sla = truthy_of(f("gateSlaHours"))
            .or_else(|| truthy_of(f("gate_sla_hours")))
            .cloned()
            .unwrap_or_else(|| json!(24));
        let queue = self.read_gates(&json!({"runId": run_id, "gateSlaHours": sla}))?;
        let pending = queue["pending"].as_array().map_or(0, Vec::len);
        let stale = queue["staleCount"].clone();
        Ok(json!({
            "gate": resolved,
            "queue": queue,
            "impact": {
                "pendingRemaining": pending,
                "staleRemaining": if truthy(&stale) { stale } else { json!(0) },
                "runId": run_id,
            },
        }))
    }

    // -------------------------------------------------------------- agents

    /// `readRuntimeMultiAgentStatus`: the persisted multi-agent state,
    /// handoffs and arbitration results of the run (the active one unless
    /// `runId` is given).
    pub fn multi_agent_status(&self, options: &Value) -> OpResult<Value> {
        let current = self.read_run_state()?;
        let run_id = truthy_of(get(Some(options), "runId"))
            .or_else(|| truthy_of(get(current.as_ref(), "run_id")))
            .map(js_string);
        let Some(run_id) = run_id else {
            return Ok(json!({
                "path": null, "enabled": false, "runId": null, "mode": null,
                "workspaceIsolationEnforced": false, "agents": [], "ownership": [],
                "orphanReassignments": [], "handoffs": [], "arbitrationResults": [],
            }));
        };
        let dir = run_dir(self.root, &run_id)?;
        let state_path = dir.join("multi-agent-state.json");
        let state = oxe_runtime::scheduler::multi_agent::load_state(self.root, &run_id)?;
        let st = state.as_ref();
        let list =
            |v: Option<&Value>| arr(v).map_or_else(|| json!([]), |a| Value::Array(a.clone()));
        Ok(json!({
            "path": p(&state_path),
            "enabled": st.is_some_and(truthy),
            "runId": run_id,
            "mode": truthy_of(get(st, "mode")).cloned().unwrap_or(Value::Null),
            "workspaceIsolationEnforced": get(st, "workspace_isolation_enforced").is_some_and(truthy),
            "agents": list(get(st, "agent_results")),
            "ownership": list(get(st, "ownership")),
            "orphanReassignments": list(get(st, "orphan_reassignments")),
            "handoffs": list(read_json(&dir.join("handoffs.json")).as_ref()),
            "arbitrationResults": list(read_json(&dir.join("arbitration-results.json")).as_ref()),
        }))
    }
}

/// `counts[key] = (counts[key] || 0) + 1`.
fn bump(counts: &mut Map<String, Value>, key: String) {
    let n = counts.get(&key).and_then(Value::as_u64).unwrap_or(0) + 1;
    counts.insert(key, json!(n));
}

/// `x || 0`.
fn or_num0(v: Option<&Value>) -> Value {
    truthy_of(v).cloned().unwrap_or_else(|| json!(0))
}

/// `summarizeEvents(events)`: `{total, byType, lastEvent}`.
pub fn summarize_events(events: &[Value]) -> Value {
    let mut by_type = Map::new();
    for e in events {
        bump(&mut by_type, text_or(get(Some(e), "type"), "custom"));
    }
    json!({
        "total": events.len(),
        "byType": by_type,
        "lastEvent": events.last().cloned().unwrap_or(Value::Null),
    })
}

/// `buildRuntimeModeStatus(run)`: `enterprise` when the run carries any
/// canonical runtime artefact, else the legacy fallback.
pub fn runtime_mode(run: Option<&Value>, lang: Lang) -> Value {
    let Some(run) = run else {
        return json!({
            "runtime_mode": "legacy",
            "fallback_mode": "legacy",
            "source": "absent",
            "reason": tr(lang, "No ACTIVE-RUN found for the current scope.", "Nenhum ACTIVE-RUN encontrado para o escopo atual."),
            "enterprise_available": false,
            "fallback_recorded": true,
        });
    };
    let ent = [
        "compiled_graph",
        "canonical_state",
        "verification_manifest",
        "verification_evidence_coverage",
        "delivery",
        "recovery_summary",
    ]
    .iter()
    .any(|k| get(Some(run), k).is_some_and(truthy));
    json!({
        "runtime_mode": if ent { "enterprise" } else { "legacy" },
        "fallback_mode": if ent { "none" } else { "legacy" },
        "source": if ent { "canonical_state" } else { "legacy_state" },
        "reason": if ent {
            tr(lang, "The run has canonical runtime artefacts on disk.", "Run com artefatos canónicos do runtime persistidos.")
        } else {
            tr(lang, "The run has no canonical runtime artefacts; the legacy flow applies.", "Run sem artefatos canónicos do runtime; fluxo degradado para legado.")
        },
        "enterprise_available": ent,
        "fallback_recorded": !ent,
    })
}

// ---------------------------------------------------------------- graph

/// Node/edge de-duplication keeps the first position and merges later
/// fields over earlier ones (`{...old, ...new}`).
fn merge_into(list: &mut Map<String, Value>, key: String, item: &Map<String, Value>) {
    let slot = list.entry(key).or_insert_with(|| json!({}));
    if let Value::Object(slot) = slot {
        for (k, v) in item {
            slot.insert(k.clone(), v.clone());
        }
    }
}

/// `buildOperationalGraph(runState)`: the run, the main executor, the
/// current wave, active tasks, pending checkpoints, multi-agent ownership
/// and handoffs, and the Azure provider context, as `{nodes, edges}`.
pub fn build_operational_graph(run: &Value) -> Value {
    let r = Some(run);
    let f = |k: &str| get(r, k);
    let status = text_or(f("status"), "");
    let status_or_planned = text_or(f("status"), "planned");
    let running = status.contains("running") || status.contains("replaying");
    let current_wave = if present(f("current_wave")) {
        Some(js::to_number(f("current_wave")))
    } else {
        None
    };
    let strings = |v: Option<&Value>| -> Vec<String> {
        arr(v)
            .map(|a| a.iter().map(js_string).collect())
            .unwrap_or_default()
    };
    let active = strings(f("active_tasks"));
    let pending = strings(f("pending_checkpoints"));
    let run_node = format!("run:{}", text_or(f("run_id"), "active"));
    let mut nodes: Vec<Value> = Vec::new();
    let mut edges: Vec<Value> = Vec::new();
    let graph = truthy_of(f("graph"));
    for n in arr(get(graph, "nodes")).into_iter().flatten() {
        nodes.push(n.clone());
    }
    for e in arr(get(graph, "edges")).into_iter().flatten() {
        edges.push(e.clone());
    }
    let wave_text = current_wave.map(js::num_text);
    let cursor_mode = truthy_of(get(truthy_of(f("cursor")), "mode"));
    nodes.push(json!({
        "id": run_node,
        "label": text_or(f("run_id"), "active-run"),
        "kind": "run",
        "status": status_or_planned,
        "detail": match cursor_mode { Some(m) => format!("mode:{}", js_string(m)), None => "active run".into() },
    }));
    nodes.push(json!({
        "id": "agent:main-executor",
        "label": "main-executor",
        "kind": "agent",
        "status": if running { "active" } else { "planned" },
        "detail": if active.is_empty() { "no active tasks".to_string() } else { active.join(", ") },
    }));
    edges.push(json!({
        "from": run_node,
        "to": "agent:main-executor",
        "type": "handoff",
        "status": if running { "active" } else { "planned" },
        "reason": "main orchestration",
    }));
    if let Some(w) = &wave_text {
        nodes.push(json!({
            "id": format!("wave:{w}"),
            "label": format!("wave-{w}"),
            "kind": "wave",
            "status": status_or_planned,
            "detail": if active.is_empty() { "no active tasks".to_string() } else { format!("{} task(s)", active.len()) },
        }));
        edges.push(json!({"from": run_node, "to": format!("wave:{w}"), "type": "contains", "status": "done"}));
    }
    let blocked = status.contains("paused") || status.contains("waiting_approval");
    for t in &active {
        nodes.push(json!({
            "id": format!("task:{t}"),
            "label": t,
            "kind": "task",
            "status": if blocked { "blocked" } else { "active" },
            "detail": match &wave_text { Some(w) => format!("wave {w}"), None => "active task".into() },
        }));
        edges.push(json!({
            "from": match &wave_text { Some(w) => format!("wave:{w}"), None => "agent:main-executor".into() },
            "to": format!("task:{t}"),
            "type": "executes",
            "status": if running { "active" } else { "planned" },
        }));
    }
    for c in &pending {
        nodes.push(json!({
            "id": format!("checkpoint:{c}"),
            "label": c,
            "kind": "checkpoint",
            "status": "pending_approval",
            "detail": "approval pending",
        }));
        let from = match (active.last(), &wave_text) {
            (Some(t), _) => format!("task:{t}"),
            (None, Some(w)) => format!("wave:{w}"),
            (None, None) => run_node.clone(),
        };
        edges.push(json!({
            "from": from,
            "to": format!("checkpoint:{c}"),
            "type": "gate",
            "status": "blocked",
            "reason": "pending checkpoint",
        }));
    }
    let ma = f("multi_agent").filter(|m| m.is_object());
    if get(ma, "enabled").is_some_and(truthy) {
        let list = |k: &str| arr(get(ma, k)).cloned().unwrap_or_default();
        let ma_mode = truthy_of(get(ma, "mode")).map(js_string);
        for a in list("agents") {
            let a = Some(&a);
            let id = text_or(
                truthy_of(get(a, "agent_id")).or_else(|| get(a, "id")),
                "agent",
            );
            let st = text_or(
                truthy_of(get(a, "status")).or_else(|| get(a, "outcome")),
                "active",
            );
            let detail = truthy_of(get(a, "role"))
                .or_else(|| truthy_of(get(a, "profile")))
                .map(js_string)
                .or_else(|| ma_mode.clone())
                .unwrap_or_else(|| "multi-agent".into());
            nodes.push(json!({"id": format!("agent:{id}"), "label": id, "kind": "agent", "status": st, "detail": detail}));
            edges.push(json!({
                "from": run_node, "to": format!("agent:{id}"), "type": "handoff",
                "status": text_or(get(a, "status"), "active"), "reason": "multi-agent coordination",
            }));
        }
        for o in list("ownership") {
            let o = Some(&o);
            let t = text_or(
                truthy_of(get(o, "work_item_id")).or_else(|| get(o, "task_id")),
                "",
            );
            let a = text_or(get(o, "agent_id"), "");
            if t.is_empty() || a.is_empty() {
                continue;
            }
            let st = text_or(get(o, "status"), "assigned");
            nodes.push(json!({"id": format!("task:{t}"), "label": t, "kind": "task", "status": st, "detail": format!("owner {a}")}));
            edges.push(json!({"from": format!("agent:{a}"), "to": format!("task:{t}"), "type": "owns", "status": st, "reason": "canonical ownership"}));
        }
        for h in list("handoffs") {
            let h = Some(&h);
            let from = text_or(
                truthy_of(get(h, "from_agent_id")).or_else(|| get(h, "from")),
                "",
            );
            let to = text_or(
                truthy_of(get(h, "to_agent_id")).or_else(|| get(h, "to")),
                "",
            );
            if from.is_empty() || to.is_empty() {
                continue;
            }
            let reason = truthy_of(get(h, "reason"))
                .or_else(|| truthy_of(get(h, "work_item_id")))
                .cloned()
                .unwrap_or_else(|| json!("cooperative handoff"));
            edges.push(json!({
                "from": format!("agent:{from}"), "to": format!("agent:{to}"), "type": "handoff",
                "status": text_or(get(h, "status"), "completed"), "reason": reason,
            }));
        }
    }
    let azure = get(truthy_of(f("provider_context")), "azure").filter(|a| a.is_object());
    if let Some(az) = azure {
        let az = Some(az);
        let az_status = if get(az, "login_active").is_some_and(truthy) {
            if js::to_number(get(az, "pending_approval_count")) > 0.0 {
                "blocked"
            } else {
                "active"
            }
        } else {
            "warning"
        };
        let az_detail = truthy_of(get(az, "subscription_name"))
            .or_else(|| truthy_of(get(az, "subscription_id")))
            .or_else(|| truthy_of(get(az, "cloud")))
            .cloned()
            .unwrap_or_else(|| json!("azure context"));
        nodes.push(json!({"id": "provider:azure", "label": "azure", "kind": "provider", "status": az_status, "detail": az_detail}));
        edges.push(json!({"from": run_node, "to": "provider:azure", "type": "provider", "status": az_status, "reason": "active cloud context"}));
        if let Some(op) = get(az, "last_operation").filter(|o| o.is_object()) {
            let op = Some(op);
            let cap = text_or(
                truthy_of(get(op, "capability_id")).or_else(|| get(op, "domain")),
                "azure-operation",
            );
            let phase = text_or(
                truthy_of(get(op, "phase")).or_else(|| get(op, "status")),
                "planned",
            );
            let cap_detail = truthy_of(get(op, "command_display"))
                .or_else(|| truthy_of(get(op, "operation")))
                .cloned()
                .unwrap_or_else(|| json!("Azure operation"));
            nodes.push(json!({"id": format!("capability:{cap}"), "label": cap, "kind": "capability", "status": phase, "detail": cap_detail}));
            let reason = truthy_of(get(op, "operation"))
                .or_else(|| truthy_of(get(op, "domain")))
                .cloned()
                .unwrap_or_else(|| json!("Azure action"));
            edges.push(json!({"from": "provider:azure", "to": format!("capability:{cap}"), "type": "tool_call", "status": phase, "reason": reason}));
            for (i, r) in arr(get(op, "resource_refs"))
                .into_iter()
                .flatten()
                .enumerate()
            {
                let norm = if r.is_object() {
                    r.clone()
                } else {
                    json!({"name": text_or(Some(r), "resource")})
                };
                let n = Some(&norm);
                let id = truthy_of(get(n, "id"))
                    .or_else(|| truthy_of(get(n, "name")))
                    .or_else(|| truthy_of(get(n, "resource_id")))
                    .or_else(|| truthy_of(get(n, "type")))
                    .map(js_string)
                    .unwrap_or_else(|| format!("resource-{}", i + 1));
                let label = truthy_of(get(n, "name"))
                    .or_else(|| truthy_of(get(n, "type")))
                    .map(js_string)
                    .unwrap_or_else(|| id.clone());
                let parts: Vec<String> = ["type", "resource_group", "location"]
                    .iter()
                    .filter_map(|k| truthy_of(get(n, k)).map(js_string))
                    .collect();
                let detail = if parts.is_empty() {
                    truthy_of(get(az, "subscription_name"))
                        .map(js_string)
                        .unwrap_or_else(|| "Azure resource".into())
                } else {
                    parts.join(" · ")
                };
                nodes.push(json!({"id": format!("resource:{id}"), "label": label, "kind": "resource", "status": phase, "detail": detail}));
                let reason = truthy_of(get(n, "scope"))
                    .or_else(|| truthy_of(get(n, "kind")))
                    .cloned()
                    .unwrap_or_else(|| json!("target resource"));
                edges.push(json!({"from": format!("capability:{cap}"), "to": format!("resource:{id}"), "type": "targets", "status": phase, "reason": reason}));
            }
            if let Some(cp) = truthy_of(get(op, "pending_checkpoint_id")) {
                let cp = js_string(cp);
                nodes.push(json!({"id": format!("checkpoint:{cp}"), "label": cp, "kind": "checkpoint", "status": "pending_approval", "detail": "Azure gate pending"}));
                edges.push(json!({"from": format!("capability:{cap}"), "to": format!("checkpoint:{cp}"), "type": "gate", "status": "blocked", "reason": "Azure provider approval policy"}));
            }
        }
    }
    let mut by_id: Map<String, Value> = Map::new();
    for n in &nodes {
        if let Value::Object(m) = n {
            if let Some(id) = truthy_of(m.get("id")) {
                merge_into(&mut by_id, jsjson::to_line(id), m);
            }
        }
    }
    let mut by_key: Map<String, Value> = Map::new();
    for e in &edges {
        if let Value::Object(m) = e {
            let (Some(from), Some(to)) = (truthy_of(m.get("from")), truthy_of(m.get("to"))) else {
                continue;
            };
            let key = [
                js_string(from),
                js_string(to),
                text_or(m.get("type"), "link"),
                text_or(m.get("label"), ""),
            ]
            .join("::");
            merge_into(&mut by_key, key, m);
        }
    }
    json!({
        "nodes": by_id.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "edges": by_key.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
    })
}
