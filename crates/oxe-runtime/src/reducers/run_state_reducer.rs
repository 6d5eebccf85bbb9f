//! The run-state reducer. Each event type updates the collections exactly
//! as 1.4.0 does; unknown types are ignored and nothing ever adds to
//! `failedWorkItems` (a failed node is reported through `WorkItemBlocked`).

use indexmap::{IndexMap, IndexSet};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::jsjson::{self, truthy};

/// A JS `Map`/`Set` key: any JSON value, compared by its JSON text (which
/// matches SameValueZero for the strings and numbers used as ids).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key(pub(crate) String);

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

/// `reduce(events)` over events held as values.
pub fn reduce(events: &[Value]) -> RunState {
    let mut s = RunState::default();
    for e in events {
        apply_event(&mut s, e);
    }
    s
}

/// `reduce(events)` over the JSON text of an event array, reading each
/// event in place (no intermediate values for the fields it ignores).
pub fn reduce_text(events_json: &str) -> Result<RunState, serde_json::Error> {
    let events: Vec<EventIn> = serde_json::from_str(events_json)?;
    let mut s = RunState::default();
    for e in &events {
        apply(&mut s, e);
    }
    Ok(s)
}

/// `applyEventExported(state, event)`, applied in place.
pub fn apply_event(s: &mut RunState, e: &Value) {
    let text = jsjson::to_line(e);
    if let Ok(ev) = serde_json::from_str::<EventIn>(&text) {
        apply(s, &ev);
    }
}

/// Deserialize a present field keeping an explicit `null` (as `Some("null")`),
/// so `x ?? d` and "key present with null" can both be told apart from
/// "key missing".
fn keep<'de, D>(d: D) -> Result<Option<&'de RawValue>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    <&RawValue>::deserialize(d).map(Some)
}

/// An event, borrowed from its JSON text. Any value is accepted for each
/// field; a non-object event reads as one with no fields.
#[derive(Default)]
pub struct EventIn<'a> {
    ty: Option<&'a RawValue>,
    timestamp: Option<&'a RawValue>,
    work_item_id: Option<&'a RawValue>,
    attempt_id: Option<&'a RawValue>,
    payload: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct EventFields<'a> {
    #[serde(borrow, default, rename = "type", deserialize_with = "keep")]
    ty: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    timestamp: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    work_item_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    attempt_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    payload: Option<&'a RawValue>,
}

impl<'de: 'a, 'a> Deserialize<'de> for EventIn<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&RawValue>::deserialize(d)?;
        Ok(match serde_json::from_str::<EventFields>(raw.get()) {
            Ok(f) => EventIn {
                ty: f.ty,
                timestamp: f.timestamp,
                work_item_id: f.work_item_id,
                attempt_id: f.attempt_id,
                payload: f.payload,
            },
            Err(_) => EventIn::default(),
        })
    }
}

/// The payload fields the reducer reads.
#[derive(Deserialize, Default)]
struct PayloadIn<'a> {
    #[serde(borrow, default, deserialize_with = "keep")]
    status: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    attempt_number: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    evidence: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    workspace_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    work_item_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    allowed: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    gate_required: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    reason: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    rule_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    gate_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    decision: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    actor: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    tool: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    error: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    refs: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "ref", deserialize_with = "keep")]
    ref_: Option<&'a RawValue>,
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

fn is_null(r: &RawValue) -> bool {
    r.get() == "null"
}

/// `a ?? b` over raw values.
fn nn(a: Option<&RawValue>) -> Option<&RawValue> {
    a.filter(|r| !is_null(r))
}

fn raw_truthy(r: Option<&RawValue>) -> bool {
    let Some(r) = r else { return false };
    match r.get() {
        "null" | "false" | "\"\"" => false,
        t if t.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => t
            .parse::<f64>()
            .map(|n| n != 0.0 && !n.is_nan())
            .unwrap_or(true),
        _ => true,
    }
}

fn val(r: &RawValue) -> Value {
    jsjson::parse(r.get()).unwrap_or(Value::Null)
}

fn key(r: &RawValue) -> Key {
    let t = r.get();
    if t.starts_with('"') && !t.contains('\\') {
        Key(t.to_string())
    } else {
        Key::of(&val(r))
    }
}

fn truthy_key(r: Option<&RawValue>) -> Option<Key> {
    r.filter(|r| raw_truthy(Some(r))).map(key)
}

fn or_default_raw(r: Option<&RawValue>, d: Value) -> Value {
    nn(r).map(val).unwrap_or(d)
}

fn list_raw(r: Option<&RawValue>) -> Vec<Value> {
    match nn(r).map(val) {
        Some(Value::Array(a)) => a,
        Some(s @ Value::String(_)) => vec![s],
        _ => Vec::new(),
    }
}

fn apply(s: &mut RunState, e: &EventIn) {
    let Some(ty) = e.ty else { return };
    let payload: PayloadIn = e
        .payload
        .and_then(|p| serde_json::from_str(p.get()).ok())
        .unwrap_or_default();
    let p = &payload;
    let payload_value = || -> Value {
        match e.payload {
            Some(r) if !is_null(r) => val(r),
            _ => Value::Object(Map::new()),
        }
    };
    let wi = e.work_item_id;
    let ts = e.timestamp.map(val);
    match ty.get() {
        "\"RunStarted\"" => s.run = Some(payload_value()),
        "\"RunCompleted\"" => {
            if let Some(run) = s.run.as_ref().filter(|r| truthy(r)) {
                let status = or_default_raw(p.status, Value::String("completed".into()));
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
        "\"WorkItemReady\"" => {
            let Some(k) = truthy_key(wi) else { return };
            let item = match s.work_items.get(&k) {
                Some(existing) => spread_set(Some(existing), "status", "ready".into()),
                None => {
                    let id = wi.map(val).unwrap_or(Value::Null);
                    let with_id = spread_set(Some(&payload_value()), "work_item_id", id);
                    spread_set(Some(&with_id), "status", "ready".into())
                }
            };
            s.work_items.insert(k, item);
        }
        "\"AttemptStarted\"" => {
            let (Some(k), Some(aid)) =
                (truthy_key(wi), e.attempt_id.filter(|a| raw_truthy(Some(a))))
            else {
                return;
            };
            let mut a = Map::with_capacity(9);
            a.insert("attempt_id".into(), val(aid));
            a.insert("work_item_id".into(), wi.map(val).unwrap_or(Value::Null));
            a.insert(
                "attempt_number".into(),
                or_default_raw(p.attempt_number, 1.into()),
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
        "\"WorkspaceAllocated\"" => {
            let Some(k) = truthy_key(p.workspace_id) else {
                return;
            };
            s.workspaces.insert(
                k,
                spread_set(Some(&payload_value()), "status", "ready".into()),
            );
        }
        "\"WorkItemCompleted\"" => {
            let Some(k) = truthy_key(wi) else { return };
            if let Some(item) = s.work_items.get_mut(&k) {
                *item = spread_set(Some(item), "status", "completed".into());
            }
            s.completed_work_items.insert(k.clone());
            let evidence = list_raw(p.evidence);
            if !evidence.is_empty() {
                s.evidence_refs.entry(k).or_default().extend(evidence);
            }
        }
        "\"WorkItemBlocked\"" => {
            let Some(k) = truthy_key(wi) else { return };
            if let Some(item) = s.work_items.get_mut(&k) {
                *item = spread_set(Some(item), "status", "blocked".into());
            }
            s.blocked_work_items.insert(k);
        }
        "\"RetryScheduled\"" => {
            let Some(k) = truthy_key(wi) else { return };
            let next = match s.retry_counts.get(&k).and_then(Value::as_f64) {
                Some(n) => n + 1.0,
                None => 1.0,
            };
            s.retry_counts.insert(k, number(next));
        }
        "\"PolicyEvaluated\"" => {
            let Some(k) = truthy_key(nn(p.work_item_id).or(wi)) else {
                return;
            };
            let mut d = Map::with_capacity(4);
            d.insert("allowed".into(), or_default_raw(p.allowed, true.into()));
            d.insert(
                "gate_required".into(),
                or_default_raw(p.gate_required, false.into()),
            );
            d.insert("reason".into(), or_default_raw(p.reason, "".into()));
            d.insert("rule_id".into(), or_default_raw(p.rule_id, Value::Null));
            s.policy_decisions.insert(k, Value::Object(d));
        }
        "\"GateRequested\"" => {
            if let Some(k) = truthy_key(p.gate_id) {
                s.pending_gates.insert(k);
            }
        }
        "\"GateResolved\"" => {
            let Some(k) = truthy_key(p.gate_id) else {
                return;
            };
            s.pending_gates.shift_remove(&k);
            let mut r = Map::with_capacity(2);
            r.insert(
                "decision".into(),
                or_default_raw(p.decision, "approved".into()),
            );
            if let Some(actor) = p.actor {
                r.insert("actor".into(), val(actor));
            }
            s.resolved_gates.insert(k, Value::Object(r));
        }
        "\"VerificationStarted\"" => {
            let Some(k) = truthy_key(nn(wi).or(p.work_item_id)) else {
                return;
            };
            s.verification_status.insert(k, "started".into());
        }
        "\"VerificationCompleted\"" => {
            let Some(k) = truthy_key(nn(wi).or(p.work_item_id)) else {
                return;
            };
            s.verification_status
                .insert(k, or_default_raw(p.status, "completed".into()));
        }
        "\"ToolFailed\"" => {
            let Some(k) = truthy_key(wi) else { return };
            let mut f = Map::with_capacity(3);
            f.insert("tool".into(), or_default_raw(p.tool, "unknown".into()));
            f.insert("error".into(), or_default_raw(p.error, "".into()));
            if let Some(t) = ts {
                f.insert("timestamp".into(), t);
            }
            s.tool_failures.entry(k).or_default().push(Value::Object(f));
        }
        "\"EvidenceCollected\"" => {
            let Some(k) = truthy_key(nn(wi).or(p.work_item_id)) else {
                return;
            };
            let refs = match nn(p.refs) {
                Some(r) => list_raw(Some(r)),
                None => p
                    .ref_
                    .filter(|r| raw_truthy(Some(r)))
                    .map(val)
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
    fn text_and_value_paths_agree() {
        let events = vec![
            ev("RunStarted", None, json!({"run_id": "r1", "n": 0.1})),
            ev("WorkItemReady", Some("T1"), json!({"title": "a", "2": "x"})),
            ev("GateResolved", None, json!({"gate_id": "g", "actor": null})),
            ev(
                "EvidenceCollected",
                Some("T1"),
                json!({"refs": null, "ref": "r"}),
            ),
            ev(
                "PolicyEvaluated",
                Some("T1"),
                json!({"allowed": 0, "reason": null}),
            ),
            json!([1, 2]),
            json!("junk"),
        ];
        let a = crate::reducers::wire::to_wire(&reduce(&events));
        let b = crate::reducers::wire::to_wire(
            &reduce_text(&jsjson::to_line(&Value::Array(events))).unwrap(),
        );
        assert_eq!(a, b);
        assert!(
            b.contains(r#"["\"g\"",{"decision":"approved","actor":null}]"#)
                || b.contains(r#"["g",{"decision":"approved","actor":null}]"#)
        );
        assert!(b.contains(r#""allowed":0"#));
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
