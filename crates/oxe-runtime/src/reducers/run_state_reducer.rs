//! The run-state reducer. Each event type updates the collections exactly
//! as 1.4.0 does; unknown types are ignored and nothing ever adds to
//! `failedWorkItems` (a failed node is reported through `WorkItemBlocked`).

use indexmap::{IndexMap, IndexSet};
use serde_json::{Map, Value};

use crate::jsjson::{self, truthy};

/// A JS `Map`/`Set` key: any JSON value, compared by its JSON text (which
/// matches SameValueZero for the strings and numbers used as ids).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key(String);

impl Key {
    pub fn of(v: &Value) -> Key {
        Key(jsjson::to_line(v))
    }
    pub fn str(s: &str) -> Key {
        Key::of(&Value::String(s.to_string()))
    }
    /// The key's JSON text.
    pub fn json(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, Default)]
pub struct RunState {
    pub run: Option<Value>,
    pub work_items: IndexMap<Key, Value>,
    pub attempts: IndexMap<Key, Vec<Value>>,
    pub workspaces: IndexMap<Key, Value>,
    pub completed_work_items: IndexSet<Key>,
    pub failed_work_items: IndexSet<Key>,
    pub blocked_work_items: IndexSet<Key>,
    pub retry_counts: IndexMap<Key, Value>,
    pub policy_decisions: IndexMap<Key, Value>,
    pub pending_gates: IndexSet<Key>,
    pub resolved_gates: IndexMap<Key, Value>,
    pub verification_status: IndexMap<Key, Value>,
    pub evidence_refs: IndexMap<Key, Vec<Value>>,
    pub tool_failures: IndexMap<Key, Vec<Value>>,
}

/// `reduce(events)`.
pub fn reduce(events: &[Value]) -> RunState {
    let mut s = RunState::default();
    for e in events {
        apply_event(&mut s, e);
    }
    s
}

fn field<'a>(v: &'a Value, k: &str) -> Option<&'a Value> {
    v.as_object().and_then(|m| m.get(k))
}

fn present(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !v.is_null())
}

/// `a ?? b`.
fn coalesce<'a>(a: Option<&'a Value>, b: Option<&'a Value>) -> Option<&'a Value> {
    present(a).or(b)
}

fn truthy_key(v: Option<&Value>) -> Option<Key> {
    v.filter(|v| truthy(v)).map(Key::of)
}

/// `{...obj, k: v}`: spread then set (an existing key keeps its position).
fn spread_set(obj: Option<&Value>, k: &str, v: Value) -> Value {
    let mut m = match obj {
        Some(Value::Object(m)) => m.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, x)| (i.to_string(), x.clone()))
            .collect(),
        Some(Value::String(s)) => s
            .chars()
            .enumerate()
            .map(|(i, c)| (i.to_string(), Value::String(c.to_string())))
            .collect(),
        _ => Map::new(),
    };
    m.insert(k.to_string(), v);
    Value::Object(m)
}

/// A list-valued payload field: arrays are taken element-wise; a lone string
/// counts as one ref (1.4.0 would split it into characters).
fn list(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(a)) => a.clone(),
        Some(s @ Value::String(_)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn or_default(v: Option<&Value>, d: Value) -> Value {
    present(v).cloned().unwrap_or(d)
}

/// `applyEventExported(state, event)`, applied in place.
pub fn apply_event(s: &mut RunState, e: &Value) {
    let Some(ty) = field(e, "type").and_then(Value::as_str) else {
        return;
    };
    let empty = Value::Object(Map::new());
    let payload = field(e, "payload")
        .filter(|p| !p.is_null())
        .unwrap_or(&empty);
    let p = |k: &str| field(payload, k);
    let wi = field(e, "work_item_id");
    let ts = field(e, "timestamp").cloned();
    match ty {
        "RunStarted" => s.run = Some(payload.clone()),
        "RunCompleted" => {
            if let Some(run) = s.run.as_ref().filter(|r| truthy(r)) {
                let status = or_default(p("status"), Value::String("completed".into()));
                let mut r = spread_set(Some(run), "status", status);
                match ts {
                    Some(t) => r = spread_set(Some(&r), "ended_at", t),
                    None => {
                        if let Value::Object(m) = &mut r {
                            m.shift_remove("ended_at");
                        }
                    }
                }
                s.run = Some(r);
            }
        }
        "WorkItemReady" => {
            let Some(k) = truthy_key(wi) else { return };
            let item = match s.work_items.get(&k) {
                Some(existing) => spread_set(Some(existing), "status", "ready".into()),
                None => {
                    let with_id = spread_set(
                        Some(payload),
                        "work_item_id",
                        wi.cloned().unwrap_or(Value::Null),
                    );
                    spread_set(Some(&with_id), "status", "ready".into())
                }
            };
            s.work_items.insert(k, item);
        }
        "AttemptStarted" => {
            let (Some(k), Some(aid)) =
                (truthy_key(wi), field(e, "attempt_id").filter(|v| truthy(v)))
            else {
                return;
            };
            let mut a = Map::with_capacity(9);
            a.insert("attempt_id".into(), aid.clone());
            a.insert("work_item_id".into(), wi.cloned().unwrap_or(Value::Null));
            a.insert(
                "attempt_number".into(),
                or_default(p("attempt_number"), 1.into()),
            );
            a.insert("workspace_id".into(), Value::Null);
            a.insert("agent_profile".into(), Value::Null);
            a.insert("model".into(), Value::Null);
            if let Some(t) = ts {
                a.insert("started_at".into(), t);
            }
            a.insert("ended_at".into(), Value::Null);
            a.insert("outcome".into(), Value::Null);
            s.attempts.entry(k).or_default().push(Value::Object(a));
        }
        "WorkspaceAllocated" => {
            let Some(k) = truthy_key(p("workspace_id")) else {
                return;
            };
            s.workspaces
                .insert(k, spread_set(Some(payload), "status", "ready".into()));
        }
        "WorkItemCompleted" => {
            let Some(k) = truthy_key(wi) else { return };
            if let Some(item) = s.work_items.get_mut(&k) {
                *item = spread_set(Some(item), "status", "completed".into());
            }
            s.completed_work_items.insert(k.clone());
            let evidence = list(p("evidence"));
            if !evidence.is_empty() {
                s.evidence_refs.entry(k).or_default().extend(evidence);
            }
        }
        "WorkItemBlocked" => {
            let Some(k) = truthy_key(wi) else { return };
            if let Some(item) = s.work_items.get_mut(&k) {
                *item = spread_set(Some(item), "status", "blocked".into());
            }
            s.blocked_work_items.insert(k);
        }
        "RetryScheduled" => {
            let Some(k) = truthy_key(wi) else { return };
            let next = match s.retry_counts.get(&k).and_then(Value::as_f64) {
                Some(n) => n + 1.0,
                None => 1.0,
            };
            s.retry_counts.insert(k, number(next));
        }
        "PolicyEvaluated" => {
            let Some(k) = truthy_key(coalesce(p("work_item_id"), wi)) else {
                return;
            };
            let mut d = Map::with_capacity(4);
            d.insert("allowed".into(), or_default(p("allowed"), true.into()));
            d.insert(
                "gate_required".into(),
                or_default(p("gate_required"), false.into()),
            );
            d.insert("reason".into(), or_default(p("reason"), "".into()));
            d.insert("rule_id".into(), or_default(p("rule_id"), Value::Null));
            s.policy_decisions.insert(k, Value::Object(d));
        }
        "GateRequested" => {
            if let Some(k) = truthy_key(p("gate_id")) {
                s.pending_gates.insert(k);
            }
        }
        "GateResolved" => {
            let Some(k) = truthy_key(p("gate_id")) else {
                return;
            };
            s.pending_gates.shift_remove(&k);
            let mut r = Map::with_capacity(2);
            r.insert(
                "decision".into(),
                or_default(p("decision"), "approved".into()),
            );
            if let Some(actor) = p("actor") {
                r.insert("actor".into(), actor.clone());
            }
            s.resolved_gates.insert(k, Value::Object(r));
        }
        "VerificationStarted" => {
            let Some(k) = truthy_key(coalesce(wi, p("work_item_id"))) else {
                return;
            };
            s.verification_status.insert(k, "started".into());
        }
        "VerificationCompleted" => {
            let Some(k) = truthy_key(coalesce(wi, p("work_item_id"))) else {
                return;
            };
            s.verification_status
                .insert(k, or_default(p("status"), "completed".into()));
        }
        "ToolFailed" => {
            let Some(k) = truthy_key(wi) else { return };
            let mut f = Map::with_capacity(3);
            f.insert("tool".into(), or_default(p("tool"), "unknown".into()));
            f.insert("error".into(), or_default(p("error"), "".into()));
            if let Some(t) = ts {
                f.insert("timestamp".into(), t);
            }
            s.tool_failures.entry(k).or_default().push(Value::Object(f));
        }
        "EvidenceCollected" => {
            let Some(k) = truthy_key(coalesce(wi, p("work_item_id"))) else {
                return;
            };
            let refs = match present(p("refs")) {
                Some(r) => list(Some(r)),
                None => p("ref")
                    .filter(|r| truthy(r))
                    .cloned()
                    .into_iter()
                    .collect(),
            };
            if !refs.is_empty() {
                s.evidence_refs.entry(k).or_default().extend(refs);
            }
        }
        _ => {}
    }
}

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(ty: &str, wi: Option<&str>, payload: Value) -> Value {
        json!({"id": "e", "type": ty, "timestamp": "2026-01-01T00:00:00.000Z", "session_id": null,
               "run_id": "r1", "work_item_id": wi, "attempt_id": wi.map(|w| format!("{w}-a1")),
               "causation_id": null, "correlation_id": null, "payload": payload})
    }

    #[test]
    fn full_lifecycle() {
        let events = vec![
            ev(
                "RunStarted",
                None,
                json!({"run_id": "r1", "status": "running"}),
            ),
            ev(
                "WorkItemReady",
                Some("T1"),
                json!({"title": "a", "status": "pending"}),
            ),
            ev("AttemptStarted", Some("T1"), json!({"attempt_number": 1})),
            ev("ToolFailed", Some("T1"), json!({"tool": "x"})),
            ev("RetryScheduled", Some("T1"), json!({})),
            ev("RetryScheduled", Some("T1"), json!({})),
            ev(
                "PolicyEvaluated",
                Some("T1"),
                json!({"allowed": false, "rule_id": "r"}),
            ),
            ev("GateRequested", None, json!({"gate_id": "g1"})),
            ev("GateRequested", None, json!({"gate_id": "g2"})),
            ev(
                "GateResolved",
                None,
                json!({"gate_id": "g1", "actor": "me"}),
            ),
            ev("EvidenceCollected", Some("T1"), json!({"ref": "ev1"})),
            ev(
                "WorkItemCompleted",
                Some("T1"),
                json!({"evidence": ["ev2"]}),
            ),
            ev("WorkItemBlocked", Some("T2"), json!({})),
            ev("VerificationStarted", Some("T1"), json!({})),
            ev(
                "VerificationCompleted",
                Some("T1"),
                json!({"status": "failed"}),
            ),
            ev("RunCompleted", None, json!({})),
            ev("Unknown", Some("T9"), json!({})),
        ];
        let s = reduce(&events);
        let t1 = Key::str("T1");
        assert_eq!(s.run.as_ref().unwrap()["status"], json!("completed"));
        assert_eq!(
            s.run.as_ref().unwrap()["ended_at"],
            json!("2026-01-01T00:00:00.000Z")
        );
        let item = &s.work_items[&t1];
        assert_eq!(item["status"], json!("completed"));
        assert_eq!(
            item.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["title", "status", "work_item_id"]
        );
        assert_eq!(s.attempts[&t1].len(), 1);
        assert_eq!(s.retry_counts[&t1], json!(2));
        assert_eq!(
            s.policy_decisions[&t1],
            json!({"allowed": false, "gate_required": false, "reason": "", "rule_id": "r"})
        );
        assert_eq!(s.pending_gates.len(), 1);
        assert_eq!(
            s.resolved_gates[&Key::str("g1")],
            json!({"decision": "approved", "actor": "me"})
        );
        assert_eq!(s.evidence_refs[&t1], vec![json!("ev1"), json!("ev2")]);
        assert_eq!(s.tool_failures[&t1][0]["tool"], json!("x"));
        assert_eq!(s.verification_status[&t1], json!("failed"));
        assert!(s.blocked_work_items.contains(&Key::str("T2")));
        assert!(s.failed_work_items.is_empty());
        assert!(!s.work_items.contains_key(&Key::str("T9")));
    }

    #[test]
    fn guards_on_missing_ids() {
        let s = reduce(&[
            ev("WorkItemReady", None, json!({})),
            ev("RunCompleted", None, json!({})),
            json!({"type": "AttemptStarted", "work_item_id": "T1"}),
            json!(null),
            json!({"no": "type"}),
        ]);
        assert!(s.work_items.is_empty() && s.attempts.is_empty() && s.run.is_none());
    }
}
