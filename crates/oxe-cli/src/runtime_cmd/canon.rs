//! The canonical run state the operational layer keeps in a run file
//! (`canonical_state`): the runtime reducer's state over the run's events,
//! completed with what the run file knows (compiled graph nodes, active
//! tasks, pending checkpoints, failures), in the serialised shape 1.4.0
//! stores (`serializeCanonicalState` / `hydrateCanonicalState`).

use oxe_runtime::jsjson;
use oxe_runtime::reducers::{self, RunState};
use serde_json::{json, Map, Value};

use super::js::{self, arr, get, js_string, or_null, text_or, truthy, truthy_of};
use super::ops::{Op, OpResult};

/// A JS `Map` (or, with the key as value, a `Set`) in insertion order,
/// keyed by the JSON text of the key (SameValueZero for ids).
pub type KMap = Map<String, Value>;

/// The key text of a JS value.
pub fn key(v: &Value) -> String {
    jsjson::to_line(v)
}

/// The key text of a string.
pub fn skey(s: &str) -> String {
    key(&Value::String(s.to_string()))
}

/// The live canonical state (1.4.0 keeps it as Maps and Sets).
#[derive(Debug, Clone, Default)]
pub struct Canon {
    pub run: Value,
    pub work_items: KMap,
    /// Keyed by property name (the state is stored as a plain object).
    pub attempts: Map<String, Value>,
    pub workspaces: KMap,
    pub completed: KMap,
    pub failed: KMap,
    pub blocked: KMap,
}

fn keys(s: &KMap) -> Value {
    Value::Array(s.values().cloned().collect())
}

fn add(s: &mut KMap, v: &Value) {
    s.insert(key(v), v.clone());
}

fn set_of(v: Option<&Value>) -> KMap {
    let mut s = KMap::new();
    for x in arr(v).into_iter().flatten() {
        add(&mut s, x);
    }
    s
}

impl Canon {
    /// `hydrateCanonicalState(serialized)`.
    pub fn hydrate(serialized: Option<&Value>) -> Canon {
        let safe = serialized.filter(|v| v.is_object());
        let by = |name: &str, id: &str| -> KMap {
            let mut m = KMap::new();
            for item in arr(get(safe, name)).into_iter().flatten() {
                if let Some(k) = truthy_of(get(Some(item), id)) {
                    m.insert(key(k), item.clone());
                }
            }
            m
        };
        let attempts = match get(safe, "attempts") {
            Some(Value::Object(o)) => o.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect(),
            _ => Map::new(),
        };
        Canon {
            run: or_null(get(safe, "run")),
            work_items: by("workItems", "work_item_id"),
            attempts,
            workspaces: by("workspaces", "workspace_id"),
            completed: set_of(get(safe, "completedWorkItems")),
            failed: set_of(get(safe, "failedWorkItems")),
            blocked: set_of(get(safe, "blockedWorkItems")),
        }
    }

    /// `serializeCanonicalState(state)`.
    pub fn serialize(&self) -> Value {
        let attempt_count: usize = self
            .attempts
            .values()
            .map(|a| a.as_array().map_or(0, Vec::len))
            .sum();
        json!({
            "run": self.run,
            "workItems": self.work_items.values().cloned().collect::<Vec<_>>(),
            "attempts": Value::Object(self.attempts.clone()),
            "workspaces": self.workspaces.values().cloned().collect::<Vec<_>>(),
            "completedWorkItems": keys(&self.completed),
            "failedWorkItems": keys(&self.failed),
            "blockedWorkItems": keys(&self.blocked),
            "summary": {
                "work_item_count": self.work_items.len(),
                "attempt_count": attempt_count,
                "workspace_count": self.workspaces.len(),
                "completed": self.completed.len(),
                "failed": self.failed.len(),
                "blocked": self.blocked.len(),
            },
        })
    }

    /// The serialised form of a reducer state.
    pub fn serialize_state(s: &RunState) -> Value {
        let kv = |k: &str| jsjson::parse(k).unwrap_or(Value::Null);
        let mut attempts = Map::new();
        for (k, list) in &s.attempts {
            attempts.insert(js_string(&kv(k.json())), Value::Array(list.clone()));
        }
        let map = |it: &mut dyn Iterator<Item = (String, Value)>| -> KMap { it.collect() };
        let c = Canon {
            run: s.run.clone().filter(truthy).unwrap_or(Value::Null),
            work_items: map(&mut s
                .work_items
                .iter()
                .map(|(k, v)| (k.json().to_string(), v.clone()))),
            attempts,
            workspaces: map(&mut s
                .workspaces
                .iter()
                .map(|(k, v)| (k.json().to_string(), v.clone()))),
            completed: map(&mut s
                .completed_work_items
                .iter()
                .map(|k| (k.json().to_string(), kv(k.json())))),
            failed: map(&mut s
                .failed_work_items
                .iter()
                .map(|k| (k.json().to_string(), kv(k.json())))),
            blocked: map(&mut s
                .blocked_work_items
                .iter()
                .map(|k| (k.json().to_string(), kv(k.json())))),
        };
        c.serialize()
    }

    fn set_status(&mut self, id: &str, status: &str) {
        if let Some(Value::Object(item)) = self.work_items.get(id) {
            let mut item = item.clone();
            item.insert("status".into(), json!(status));
            self.work_items.insert(id.to_string(), Value::Object(item));
        }
    }

    /// `mergeCanonicalStateWithRunState(serialized, runState, session,
    /// compiledGraph)`.
    pub fn merge(
        serialized: Option<&Value>,
        run_state: &Value,
        session: Option<&str>,
        compiled: Option<&Value>,
    ) -> Canon {
        let mut live = Canon::hydrate(serialized);
        let rs = Some(run_state);
        let f = |k: &str| get(rs, k);
        let run_id = truthy_of(f("run_id"))
            .or_else(|| truthy_of(get(Some(&live.run), "run_id")))
            .cloned()
            .unwrap_or(Value::Null);
        if !truthy(&live.run) && truthy(&run_id) {
            let status = text_or(f("status"), "");
            let ended = ["completed", "failed", "blocked", "aborted", "cancelled"]
                .iter()
                .any(|s| status.contains(s));
            let cursor_mode = get(truthy_of(f("cursor")), "mode");
            let mode = match cursor_mode.and_then(Value::as_str) {
                Some("task") => "por_tarefa",
                Some("wave") => "por_onda",
                _ => "completo",
            };
            live.run = json!({
                "run_id": run_id,
                "session_id": session,
                "graph_version": truthy_of(get(get(compiled, "metadata"), "plan_hash")).cloned().unwrap_or_else(|| json!("legacy")),
                "started_at": truthy_of(f("created_at")).cloned().unwrap_or_else(|| json!(js::now_iso())),
                "ended_at": if ended { or_null(f("updated_at")) } else { Value::Null },
                "status": truthy_of(f("status")).cloned().unwrap_or_else(|| json!("planned")),
                "initiator": "scheduler",
                "mode": mode,
            });
        }
        if let Some(Value::Object(nodes)) = get(compiled, "nodes") {
            for node in nodes.values() {
                let n = Some(node);
                let Some(id) = truthy_of(get(n, "id")) else {
                    continue;
                };
                let k = key(id);
                if live.work_items.contains_key(&k) {
                    continue;
                }
                let list = |v: Option<&Value>| {
                    arr(v).map_or_else(|| json!([]), |a| Value::Array(a.clone()))
                };
                let approval = get(get(n, "policy"), "requires_human_approval").is_some_and(truthy);
                live.work_items.insert(
                    k,
                    json!({
                        "work_item_id": id,
                        "run_id": run_id,
                        "title": truthy_of(get(n, "title")).unwrap_or(id),
                        "type": "task",
                        "depends_on": list(get(n, "depends_on")),
                        "mutation_scope": list(get(n, "mutation_scope")),
                        "policy_ref": if approval { json!("human_approval") } else { Value::Null },
                        "verify_ref": list(get(get(n, "verify"), "acceptance_refs")),
                        "status": "pending",
                        "workspace_strategy": truthy_of(get(n, "workspace_strategy")).cloned().unwrap_or_else(|| json!("inplace")),
                    }),
                );
            }
        }
        for t in arr(f("active_tasks")).into_iter().flatten() {
            let id = js_string(t);
            let k = skey(&id);
            let mut item = match live.work_items.get(&k) {
                Some(Value::Object(m)) => m.clone(),
                Some(_) => Map::new(),
                None => json!({
                    "work_item_id": id, "run_id": run_id, "title": id, "type": "task",
                    "depends_on": [], "mutation_scope": [], "policy_ref": null, "verify_ref": [],
                    "status": "pending", "workspace_strategy": "inplace",
                })
                .as_object()
                .cloned()
                .unwrap_or_default(),
            };
            item.insert("status".into(), json!("running"));
            live.work_items.insert(k, Value::Object(item));
        }
        for c in arr(f("pending_checkpoints")).into_iter().flatten() {
            add(&mut live.blocked, &json!(js_string(c)));
        }
        for fail in arr(f("failures")).into_iter().flatten() {
            if !fail.is_object() {
                continue;
            }
            let fl = Some(fail);
            let r = text_or(
                truthy_of(get(fl, "work_item_id"))
                    .or_else(|| truthy_of(get(fl, "task_id")))
                    .or_else(|| get(fl, "id")),
                "",
            );
            if !r.is_empty() {
                add(&mut live.failed, &json!(r));
                live.set_status(&skey(&r), "failed");
            }
        }
        if let (Some(ev), Value::Object(run)) = (arr(f("evidence")), &live.run) {
            if !ev.is_empty() {
                let mut run = run.clone();
                run.insert("evidence_count".into(), json!(ev.len()));
                live.run = Value::Object(run);
            }
        }
        for (set, status) in [
            (live.completed.clone(), "completed"),
            (live.failed.clone(), "failed"),
            (live.blocked.clone(), "blocked"),
        ] {
            for k in set.keys() {
                live.set_status(k, status);
            }
        }
        live
    }
}

/// 1.4.0's mapping of legacy trace types (`run_started`, `task_completed`,
/// `checkpoint_opened`…) to the runtime's event types.
pub fn runtime_event_type(t: Option<&Value>) -> String {
    let raw = text_or(t, "");
    let raw = crate::jstext::trim(&raw).to_string();
    if raw.is_empty() {
        return "RunStarted".into();
    }
    if oxe_runtime::events::catalog::is_valid_event_type(&raw) {
        return raw;
    }
    let mapped = match raw.to_lowercase().as_str() {
        "session_created" => "SessionCreated",
        "run_started" => "RunStarted",
        "graph_compiled" => "GraphCompiled",
        "work_item_ready" | "task_ready" => "WorkItemReady",
        "workspace_allocated" => "WorkspaceAllocated",
        "attempt_started" => "AttemptStarted",
        "tool_invoked" => "ToolInvoked",
        "tool_completed" => "ToolCompleted",
        "tool_failed" => "ToolFailed",
        "evidence_collected" => "EvidenceCollected",
        "policy_evaluated" => "PolicyEvaluated",
        "gate_requested" | "checkpoint_opened" => "GateRequested",
        "gate_resolved" | "checkpoint_resolved" => "GateResolved",
        "verification_started" => "VerificationStarted",
        "verification_completed" | "verify_complete" => "VerificationCompleted",
        "retry_scheduled" => "RetryScheduled",
        "work_item_completed" | "task_completed" => "WorkItemCompleted",
        "work_item_blocked" | "task_blocked" => "WorkItemBlocked",
        "run_completed" => "RunCompleted",
        "retro_published" => "RetroPublished",
        "lesson_promoted" => "LessonPromoted",
        _ => return raw,
    };
    mapped.into()
}

/// `toRuntimeEventEnvelope(event, activeSession)`: a trace line as the
/// runtime reducer's event, with the payload defaults the reducer needs.
pub fn envelope(event: &Value, session: Option<&str>) -> Value {
    let e = Some(event);
    let f = |k: &str| get(e, k);
    let ty = runtime_event_type(f("type"));
    let mut payload = js::spread(f("payload"));
    let pl = |p: &Map<String, Value>, k: &str| p.get(k).filter(|v| truthy(v)).cloned();
    let work_item = truthy_of(f("work_item_id"))
        .or_else(|| truthy_of(f("task_id")))
        .cloned()
        .or_else(|| pl(&payload, "work_item_id"))
        .or_else(|| pl(&payload, "task_id"))
        .unwrap_or(Value::Null);
    let attempt = truthy_of(f("attempt_id"))
        .cloned()
        .or_else(|| pl(&payload, "attempt_id"))
        .unwrap_or(Value::Null);
    let set_or = |p: &mut Map<String, Value>, k: &str, d: Value| {
        let v = pl(p, k).unwrap_or(d);
        p.insert(k.into(), v);
    };
    let list_or_empty = |p: &mut Map<String, Value>, k: &str| {
        let v = match p.get(k) {
            Some(Value::Array(a)) => Value::Array(a.clone()),
            _ => json!([]),
        };
        p.insert(k.into(), v);
    };
    let session_v = session.map(|s| json!(s));
    match ty.as_str() {
        "RunStarted" => {
            set_or(&mut payload, "run_id", or_null(f("run_id")));
            let sid = session_v
                .clone()
                .unwrap_or_else(|| or_null(f("session_id")));
            set_or(&mut payload, "session_id", sid);
            set_or(&mut payload, "graph_version", json!("legacy"));
            let ts = truthy_of(f("timestamp"))
                .cloned()
                .unwrap_or_else(|| json!(js::now_iso()));
            set_or(&mut payload, "started_at", ts);
            let ended = match payload.get("ended_at") {
                None | Some(Value::Null) => Value::Null,
                Some(v) => v.clone(),
            };
            payload.insert("ended_at".into(), ended);
            set_or(&mut payload, "status", json!("running"));
            set_or(&mut payload, "initiator", json!("scheduler"));
            set_or(&mut payload, "mode", json!("por_onda"));
        }
        "RunCompleted" => {
            set_or(&mut payload, "run_id", or_null(f("run_id")));
            set_or(&mut payload, "status", json!("completed"));
        }
        "WorkItemReady" => {
            set_or(&mut payload, "work_item_id", work_item.clone());
            let title = if truthy(&work_item) {
                work_item.clone()
            } else {
                json!("work-item")
            };
            set_or(&mut payload, "title", title);
            set_or(&mut payload, "type", json!("task"));
            list_or_empty(&mut payload, "depends_on");
            list_or_empty(&mut payload, "mutation_scope");
            set_or(&mut payload, "policy_ref", Value::Null);
            list_or_empty(&mut payload, "verify_ref");
            set_or(&mut payload, "status", json!("pending"));
            set_or(&mut payload, "workspace_strategy", json!("inplace"));
            set_or(&mut payload, "run_id", or_null(f("run_id")));
        }
        "AttemptStarted" => set_or(&mut payload, "attempt_number", json!(1)),
        "WorkspaceAllocated" => {
            let ws = format!("ws-{}", text_or(Some(&work_item), "runtime"));
            set_or(&mut payload, "workspace_id", json!(ws));
            let strategy = pl(&payload, "workspace_strategy").unwrap_or_else(|| json!("inplace"));
            set_or(&mut payload, "strategy", strategy);
            for k in ["root_path", "base_commit", "branch", "container_ref"] {
                set_or(&mut payload, k, Value::Null);
            }
            set_or(&mut payload, "status", json!("ready"));
        }
        _ => {}
    }
    let run_id = truthy_of(f("run_id"))
        .cloned()
        .or_else(|| pl(&payload, "run_id"))
        .unwrap_or(Value::Null);
    let causation = truthy_of(f("causation_id"))
        .cloned()
        .or_else(|| pl(&payload, "causation_id"))
        .unwrap_or(Value::Null);
    let correlation = truthy_of(f("correlation_id"))
        .cloned()
        .or_else(|| pl(&payload, "correlation_id"))
        .unwrap_or(Value::Null);
    json!({
        "id": text_or(f("event_id"), ""),
        "type": ty,
        "timestamp": truthy_of(f("timestamp")).cloned().unwrap_or_else(|| json!(js::now_iso())),
        "session_id": session_v.unwrap_or_else(|| or_null(f("session_id"))),
        "run_id": run_id,
        "work_item_id": work_item,
        "attempt_id": attempt,
        "causation_id": causation,
        "correlation_id": correlation,
        "payload": payload,
    })
}

impl Op<'_> {
    /// `reduceCanonicalRunStateLive`: the runtime reducer over this run's
    /// trace (lines of other runs left out), merged with the run file.
    pub fn reduce_canonical(
        &self,
        run_state: Option<&Value>,
        run_id: Option<&Value>,
    ) -> OpResult<Canon> {
        let current = match run_state {
            Some(r) => Some(r.clone()),
            None => self.read_run_state()?,
        };
        let run_id = run_id
            .filter(|v| truthy(v))
            .cloned()
            .or_else(|| truthy_of(get(current.as_ref(), "run_id")).cloned());
        let mut events = self.read_events()?;
        if let Some(id) = &run_id {
            events.retain(|e| match get(Some(e), "run_id") {
                Some(r) if truthy(r) => r == id,
                _ => true,
            });
        }
        let envelopes: Vec<Value> = events.iter().map(|e| envelope(e, self.session)).collect();
        let reduced = reducers::reduce(&envelopes);
        let empty = json!({});
        let cur = current.as_ref().unwrap_or(&empty);
        Ok(Canon::merge(
            Some(&Canon::serialize_state(&reduced)),
            cur,
            self.session,
            truthy_of(get(Some(cur), "compiled_graph")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_types_map_to_runtime_types() {
        assert_eq!(
            runtime_event_type(Some(&json!("checkpoint_opened"))),
            "GateRequested"
        );
        assert_eq!(
            runtime_event_type(Some(&json!("TASK_COMPLETED"))),
            "WorkItemCompleted"
        );
        assert_eq!(runtime_event_type(Some(&json!("RunStarted"))), "RunStarted");
        assert_eq!(runtime_event_type(None), "RunStarted");
        assert_eq!(runtime_event_type(Some(&json!("custom_x"))), "custom_x");
    }

    #[test]
    fn hydrate_serialize_round_trip() {
        let s = json!({
            "run": {"run_id": "r"},
            "workItems": [{"work_item_id": "T1", "status": "pending"}, {"no_id": 1}],
            "attempts": {"T1": [{"attempt_id": "a"}]},
            "workspaces": [],
            "completedWorkItems": ["T1"],
            "failedWorkItems": [],
            "blockedWorkItems": [],
        });
        let c = Canon::hydrate(Some(&s));
        let out = c.serialize();
        assert_eq!(out["workItems"].as_array().map(Vec::len), Some(1));
        assert_eq!(out["summary"]["attempt_count"], json!(1));
        assert_eq!(out["summary"]["completed"], json!(1));
    }

    #[test]
    fn merge_adds_nodes_tasks_and_statuses() {
        let graph = json!({"nodes": {"T1": {"id": "T1", "title": "One", "depends_on": [], "mutation_scope": ["a.rs"], "verify": {"acceptance_refs": ["A1"]}, "policy": {"requires_human_approval": false}, "workspace_strategy": "git_worktree"}}});
        let run = json!({"run_id": "r1", "status": "running", "active_tasks": ["T2"], "pending_checkpoints": ["T1"], "cursor": {"mode": "task"}});
        let c = Canon::merge(None, &run, None, Some(&graph));
        assert_eq!(c.run["mode"], json!("por_tarefa"));
        assert_eq!(c.work_items.len(), 2);
        assert_eq!(c.work_items[&skey("T1")]["status"], json!("blocked"));
        assert_eq!(c.work_items[&skey("T2")]["status"], json!("running"));
        assert_eq!(c.work_items[&skey("T1")]["verify_ref"], json!(["A1"]));
    }

    #[test]
    fn envelope_fills_run_started() {
        let e = envelope(
            &json!({"event_id": "e1", "type": "run_started", "run_id": "r", "timestamp": "2024-01-01T00:00:00.000Z"}),
            Some("sessions/s1"),
        );
        assert_eq!(e["type"], json!("RunStarted"));
        assert_eq!(e["payload"]["run_id"], json!("r"));
        assert_eq!(e["payload"]["session_id"], json!("sessions/s1"));
        assert_eq!(
            e["payload"]["started_at"],
            json!("2024-01-01T00:00:00.000Z")
        );
    }
}
