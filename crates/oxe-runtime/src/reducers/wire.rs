//! The wire form of a `RunState`: one JSON object whose Maps are arrays of
//! `[key, value]` entries and whose Sets are arrays of keys, in insertion
//! order. The JS glue builds real `Map`/`Set` objects from it (and the
//! reverse for states handed back in).

use indexmap::{IndexMap, IndexSet};
use serde_json::Value;

use super::run_state_reducer::{Key, RunState};
use crate::error::{OxeError, OxeResult};
use crate::jsjson;

fn push_value(out: &mut String, v: &Value) {
    out.push_str(&jsjson::to_line(v));
}

fn push_map(out: &mut String, name: &str, m: &IndexMap<Key, Value>) {
    push_entries(
        out,
        name,
        m.iter().map(|(k, v)| (k, std::slice::from_ref(v), false)),
    );
}

fn push_list_map(out: &mut String, name: &str, m: &IndexMap<Key, Vec<Value>>) {
    push_entries(out, name, m.iter().map(|(k, v)| (k, v.as_slice(), true)));
}

fn push_entries<'a>(
    out: &mut String,
    name: &str,
    entries: impl Iterator<Item = (&'a Key, &'a [Value], bool)>,
) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":[");
    for (i, (k, vals, is_list)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        out.push_str(k.json());
        out.push(',');
        if is_list {
            out.push('[');
            for (j, v) in vals.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                push_value(out, v);
            }
            out.push(']');
        } else if let Some(v) = vals.first() {
            push_value(out, v);
        }
        out.push(']');
    }
    out.push(']');
}

fn push_set(out: &mut String, name: &str, s: &IndexSet<Key>) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":[");
    for (i, k) in s.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(k.json());
    }
    out.push(']');
}

/// Serialize a state to its wire JSON.
pub fn to_wire(s: &RunState) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"run\":");
    match &s.run {
        Some(r) => push_value(&mut out, r),
        None => out.push_str("null"),
    }
    push_map(&mut out, "workItems", &s.work_items);
    push_list_map(&mut out, "attempts", &s.attempts);
    push_map(&mut out, "workspaces", &s.workspaces);
    push_set(&mut out, "completedWorkItems", &s.completed_work_items);
    push_set(&mut out, "failedWorkItems", &s.failed_work_items);
    push_set(&mut out, "blockedWorkItems", &s.blocked_work_items);
    push_map(&mut out, "retryCounts", &s.retry_counts);
    push_map(&mut out, "policyDecisions", &s.policy_decisions);
    push_set(&mut out, "pendingGates", &s.pending_gates);
    push_map(&mut out, "resolvedGates", &s.resolved_gates);
    push_map(&mut out, "verificationStatus", &s.verification_status);
    push_list_map(&mut out, "evidenceRefs", &s.evidence_refs);
    push_list_map(&mut out, "toolFailures", &s.tool_failures);
    out.push('}');
    out
}

fn entries<'a>(w: &'a Value, name: &str) -> OxeResult<impl Iterator<Item = (Key, &'a Value)>> {
    let arr = match w.get(name) {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => {
            return Err(OxeError::Arg(format!(
                "RunState.{name} must be a Map or Set"
            )))
        }
    };
    let mut out = Vec::with_capacity(arr.len());
    for e in arr {
        match e {
            Value::Array(pair) if pair.len() == 2 => out.push((Key::of(&pair[0]), &pair[1])),
            Value::Array(pair) if pair.len() == 1 => out.push((Key::of(&pair[0]), &Value::Null)),
            other => out.push((Key::of(other), &Value::Null)),
        }
    }
    Ok(out.into_iter())
}

fn map(w: &Value, name: &str) -> OxeResult<IndexMap<Key, Value>> {
    Ok(entries(w, name)?.map(|(k, v)| (k, v.clone())).collect())
}

fn list_map(w: &Value, name: &str) -> OxeResult<IndexMap<Key, Vec<Value>>> {
    Ok(entries(w, name)?
        .map(|(k, v)| {
            let items = match v {
                Value::Array(a) => a.clone(),
                Value::Null => Vec::new(),
                other => vec![other.clone()],
            };
            (k, items)
        })
        .collect())
}

fn set(w: &Value, name: &str) -> OxeResult<IndexSet<Key>> {
    Ok(entries(w, name)?.map(|(k, _)| k).collect())
}

/// Rebuild a state from its wire JSON (as produced by the JS glue).
pub fn from_wire(w: &Value) -> OxeResult<RunState> {
    if !w.is_object() {
        return Err(OxeError::Arg("state must be a RunState object".into()));
    }
    Ok(RunState {
        run: w.get("run").filter(|r| !r.is_null()).cloned(),
        work_items: map(w, "workItems")?,
        attempts: list_map(w, "attempts")?,
        workspaces: map(w, "workspaces")?,
        completed_work_items: set(w, "completedWorkItems")?,
        failed_work_items: set(w, "failedWorkItems")?,
        blocked_work_items: set(w, "blockedWorkItems")?,
        retry_counts: map(w, "retryCounts")?,
        policy_decisions: map(w, "policyDecisions")?,
        pending_gates: set(w, "pendingGates")?,
        resolved_gates: map(w, "resolvedGates")?,
        verification_status: map(w, "verificationStatus")?,
        evidence_refs: list_map(w, "evidenceRefs")?,
        tool_failures: list_map(w, "toolFailures")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reducers::reduce;
    use serde_json::json;

    #[test]
    fn round_trip() {
        let s = reduce(&[
            json!({"type": "WorkItemReady", "work_item_id": "T1", "payload": {"a": 1}}),
            json!({"type": "AttemptStarted", "work_item_id": "T1", "attempt_id": "T1-a1", "timestamp": "t", "payload": {}}),
            json!({"type": "GateRequested", "payload": {"gate_id": 7}}),
        ]);
        let w = to_wire(&s);
        let v: Value = serde_json::from_str(&w).unwrap();
        assert_eq!(
            v["workItems"],
            json!([["T1", {"a": 1, "work_item_id": "T1", "status": "ready"}]])
        );
        assert_eq!(v["pendingGates"], json!([7]));
        let back = from_wire(&v).unwrap();
        assert_eq!(to_wire(&back), w);
        assert!(from_wire(&json!({"workItems": 3})).is_err());
    }
}
