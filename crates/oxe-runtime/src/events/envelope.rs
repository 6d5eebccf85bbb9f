//! The two shapes of an event: the line persisted in the NDJSON log (the
//! layout the oxe-cc CLI writes and reads) and the runtime's `OxeEvent`.

use serde_json::{Map, Value};

use crate::clock;
use crate::jsjson::{js_string, truthy};

/// Field order of a persisted event line.
pub const PERSISTED_FIELDS: [&str; 13] = [
    "event_id",
    "type",
    "timestamp",
    "run_id",
    "session_id",
    "wave_id",
    "task_id",
    "work_item_id",
    "attempt_id",
    "agent_id",
    "causation_id",
    "correlation_id",
    "payload",
];

fn nullish(v: Option<&Value>) -> bool {
    matches!(v, None | Some(Value::Null))
}

/// `a ?? b` over optional JSON values.
pub fn coalesce<'a>(a: Option<&'a Value>, b: Option<&'a Value>) -> Option<&'a Value> {
    if nullish(a) {
        b
    } else {
        a
    }
}

fn or_null(v: Option<&Value>) -> Value {
    match v {
        Some(v) if !v.is_null() => v.clone(),
        _ => Value::Null,
    }
}

/// `v || null`.
fn truthy_or_null(v: Option<&Value>) -> Value {
    match v {
        Some(v) if truthy(v) => v.clone(),
        _ => Value::Null,
    }
}

/// `x && typeof x === 'object' ? x : {}`.
pub fn object_or_empty(v: Option<&Value>) -> Value {
    match v {
        Some(v @ (Value::Object(_) | Value::Array(_))) => v.clone(),
        _ => Value::Object(Map::new()),
    }
}

pub fn new_event_id() -> String {
    format!(
        "evt-{}-{}",
        clock::to_base36(clock::now_ms().max(0) as u64),
        clock::random_chars(6, clock::BASE36)
    )
}

/// Build the persisted line for an `EventInput` (the runtime's input shape:
/// `{id?, type, timestamp?, run_id?, work_item_id?, attempt_id?,
/// causation_id?, correlation_id?, payload?}`), filling defaults the way the
/// CLI's writer does.
pub fn persisted_from_input(
    input: &Map<String, Value>,
    session: Option<&str>,
    causation_id: Option<&str>,
) -> Map<String, Value> {
    let get = |k: &str| input.get(k);
    let causation_arg = causation_id.map(|c| Value::String(c.to_string()));
    let work_item = truthy_or_null(get("work_item_id"));
    let mut e = Map::with_capacity(13);
    e.insert(
        "event_id".into(),
        match get("id") {
            Some(v) if truthy(v) => v.clone(),
            _ => Value::String(new_event_id()),
        },
    );
    e.insert(
        "type".into(),
        Value::String(match get("type") {
            Some(v) if truthy(v) => js_string(v),
            _ => "custom".into(),
        }),
    );
    e.insert(
        "timestamp".into(),
        match get("timestamp") {
            Some(v) if truthy(v) => v.clone(),
            _ => Value::String(clock::now_iso()),
        },
    );
    e.insert("run_id".into(), truthy_or_null(get("run_id")));
    e.insert(
        "session_id".into(),
        match session.filter(|s| !s.is_empty()) {
            Some(s) => Value::String(s.to_string()),
            None => Value::Null,
        },
    );
    e.insert("wave_id".into(), Value::Null);
    e.insert("task_id".into(), work_item.clone());
    e.insert("work_item_id".into(), work_item);
    e.insert("attempt_id".into(), truthy_or_null(get("attempt_id")));
    e.insert("agent_id".into(), Value::Null);
    e.insert(
        "causation_id".into(),
        truthy_or_null(coalesce(get("causation_id"), causation_arg.as_ref())),
    );
    e.insert(
        "correlation_id".into(),
        truthy_or_null(get("correlation_id")),
    );
    e.insert("payload".into(), object_or_empty(get("payload")));
    e
}

/// Map a persisted line (as read back) to the runtime's `OxeEvent`.
pub fn oxe_event_from_persisted(raw: &Map<String, Value>) -> Map<String, Value> {
    let get = |k: &str| raw.get(k);
    let text_or = |k: &str, default: &dyn Fn() -> String| -> Value {
        Value::String(match get(k) {
            Some(v) if truthy(v) => js_string(v),
            _ => default(),
        })
    };
    let mut e = Map::with_capacity(10);
    e.insert("id".into(), text_or("event_id", &String::new));
    e.insert("type".into(), text_or("type", &|| "RunStarted".into()));
    e.insert("timestamp".into(), text_or("timestamp", &clock::now_iso));
    e.insert("session_id".into(), or_null(get("session_id")));
    e.insert("run_id".into(), or_null(get("run_id")));
    e.insert(
        "work_item_id".into(),
        or_null(coalesce(get("work_item_id"), get("task_id"))),
    );
    e.insert("attempt_id".into(), or_null(get("attempt_id")));
    e.insert("causation_id".into(), or_null(get("causation_id")));
    e.insert("correlation_id".into(), or_null(get("correlation_id")));
    e.insert("payload".into(), object_or_empty(get("payload")));
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn persisted_layout_and_defaults() {
        let input = obj(
            json!({"type": "RunStarted", "id": "evt-1", "timestamp": "T",
            "run_id": "r1", "work_item_id": "", "payload": 5}),
        );
        let e = persisted_from_input(&input, Some("sessions/s1"), Some("c1"));
        let keys: Vec<_> = e.keys().map(String::as_str).collect();
        assert_eq!(keys, PERSISTED_FIELDS);
        assert_eq!(e["session_id"], json!("sessions/s1"));
        assert_eq!(e["work_item_id"], Value::Null);
        assert_eq!(e["task_id"], Value::Null);
        assert_eq!(e["causation_id"], json!("c1"));
        assert_eq!(e["payload"], json!({}));
        let e = persisted_from_input(&obj(json!({})), None, None);
        assert_eq!(e["type"], json!("custom"));
        assert!(e["event_id"].as_str().unwrap().starts_with("evt-"));
    }

    #[test]
    fn read_mapping() {
        let raw = obj(json!({"event_id": 7, "task_id": "T1", "payload": "x"}));
        let e = oxe_event_from_persisted(&raw);
        assert_eq!(e["id"], json!("7"));
        assert_eq!(e["type"], json!("RunStarted"));
        assert_eq!(e["work_item_id"], json!("T1"));
        assert_eq!(e["payload"], json!({}));
        assert_eq!(e["run_id"], Value::Null);
    }
}
