//! Append to and read the NDJSON event log. The runtime owns this I/O; the
//! line layout is the one the oxe-cc CLI writes, so both read each other's
//! logs.

use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::catalog::is_run_boundary;
use super::envelope::{oxe_event_from_persisted, persisted_from_input};
use crate::error::{OxeError, OxeResult};
use crate::paths::events_path;
use crate::{clock, jsjson, store};

/// `appendEvent(projectRoot, sessionId, input, causationId?)`: append one
/// whole line and return the event in the `OxeEvent` shape.
pub fn append_event(
    root: &Path,
    session: Option<&str>,
    input: &Value,
    causation_id: Option<&str>,
) -> OxeResult<Map<String, Value>> {
    let input = input.as_object().ok_or_else(|| {
        OxeError::Arg("appendEvent: the event input must be an object with a `type`".into())
    })?;
    let path = events_path(root, session)?;
    let entry = persisted_from_input(input, session, causation_id);
    let line = jsjson::to_line(&Value::Object(entry));
    let boundary = matches!(input.get("type"), Some(Value::String(t)) if is_run_boundary(t));
    store::append_line(&path, &line, boundary)?;
    let Ok(Value::Object(entry)) = jsjson::parse(&line) else {
        return Err(OxeError::Arg(
            "appendEvent: event could not be re-read".into(),
        ));
    };
    Ok(oxe_event_from_persisted(&entry))
}

/// Append several inputs in one locked write (used by the scheduler).
pub fn append_events(
    root: &Path,
    session: Option<&str>,
    inputs: &[Map<String, Value>],
) -> OxeResult<Vec<Map<String, Value>>> {
    let path = events_path(root, session)?;
    let mut lines = Vec::with_capacity(inputs.len());
    let mut out = Vec::with_capacity(inputs.len());
    let mut boundary = false;
    for input in inputs {
        let entry = persisted_from_input(input, session, None);
        boundary |= matches!(input.get("type"), Some(Value::String(t)) if is_run_boundary(t));
        lines.push(jsjson::to_line(&Value::Object(entry.clone())));
        out.push(oxe_event_from_persisted(&entry));
    }
    store::append_lines(&path, &lines, boundary)?;
    Ok(out)
}

/// `readEvents(projectRoot, sessionId)`: every parseable line, mapped to
/// `OxeEvent`. Lines that do not parse are skipped, as in 1.4.0, and
/// reported as `OXE_W_CORRUPT_LINE` diagnostics.
pub fn read_events(root: &Path, session: Option<&str>) -> OxeResult<Vec<Map<String, Value>>> {
    let path = events_path(root, session)?;
    let Some(text) = store::read_text(&path)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() {
            continue;
        }
        match jsjson::parse(line) {
            Ok(Value::Object(raw)) => out.push(oxe_event_from_persisted(&raw)),
            Ok(_) => report_line(&path, i, "is not a JSON object"),
            Err(e) => report_line(&path, i, &e.to_string()),
        }
    }
    Ok(out)
}

/// `readEvents` as a JSON array text of `OxeEvent`s, built straight from
/// the lines' text (payloads are copied, not re-encoded).
pub fn read_events_json(root: &Path, session: Option<&str>) -> OxeResult<String> {
    let path = events_path(root, session)?;
    let Some(text) = store::read_text(&path)? else {
        return Ok("[]".into());
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push('[');
    let mut first = true;
    let mut scratch = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.is_empty() {
            continue;
        }
        if !line.starts_with('{') {
            match jsjson::parse(line) {
                Ok(_) => report_line(&path, i, "is not a JSON object"),
                Err(e) => report_line(&path, i, &e.to_string()),
            }
            continue;
        }
        match serde_json::from_str::<RawLine>(line) {
            Ok(raw) => {
                if !first {
                    out.push(',');
                }
                first = false;
                raw.write_oxe_event(&mut out, &mut scratch);
            }
            Err(e) => match jsjson::parse(line) {
                // valid JSON that serde's strict reader refused (e.g. a lone surrogate escape)
                Ok(Value::Object(m)) => {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&jsjson::to_line(&Value::Object(oxe_event_from_persisted(
                        &m,
                    ))));
                }
                Ok(_) => report_line(&path, i, "is not a JSON object"),
                Err(_) => report_line(&path, i, &e.to_string()),
            },
        }
    }
    out.push(']');
    Ok(out)
}

fn keep<'de, D>(d: D) -> Result<Option<&'de RawValue>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    <&RawValue>::deserialize(d).map(Some)
}

/// A persisted line, borrowed.
#[derive(Deserialize)]
struct RawLine<'a> {
    #[serde(borrow, default, deserialize_with = "keep")]
    event_id: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "type", deserialize_with = "keep")]
    ty: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    timestamp: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    session_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    run_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    work_item_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    task_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    attempt_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    causation_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    correlation_id: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "keep")]
    payload: Option<&'a RawValue>,
}

fn raw_truthy(r: &RawValue) -> bool {
    match r.get() {
        "null" | "false" | "\"\"" => false,
        t if t.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => t
            .parse::<f64>()
            .map(|n| n != 0.0 && !n.is_nan())
            .unwrap_or(true),
        _ => true,
    }
}

impl RawLine<'_> {
    /// `String(x || default)` as a JSON string.
    fn text_or(out: &mut String, v: Option<&RawValue>, default: &dyn Fn() -> String) {
        match v.filter(|r| raw_truthy(r)) {
            Some(r) if r.get().starts_with('"') => out.push_str(r.get()),
            Some(r) => out.push_str(&jsjson::to_line(&Value::String(jsjson::js_string(
                &jsjson::parse(r.get()).unwrap_or(Value::Null),
            )))),
            None => out.push_str(&jsjson::to_line(&Value::String(default()))),
        }
    }

    /// `x ?? null`.
    fn or_null(out: &mut String, v: Option<&RawValue>) {
        out.push_str(v.map_or("null", RawValue::get));
    }

    fn write_oxe_event(&self, out: &mut String, _scratch: &mut Vec<u8>) {
        out.push_str("{\"id\":");
        Self::text_or(out, self.event_id, &String::new);
        out.push_str(",\"type\":");
        Self::text_or(out, self.ty, &|| "RunStarted".into());
        out.push_str(",\"timestamp\":");
        Self::text_or(out, self.timestamp, &clock::now_iso);
        out.push_str(",\"session_id\":");
        Self::or_null(out, self.session_id);
        out.push_str(",\"run_id\":");
        Self::or_null(out, self.run_id);
        out.push_str(",\"work_item_id\":");
        let wi = self
            .work_item_id
            .filter(|r| r.get() != "null")
            .or(self.task_id);
        Self::or_null(out, wi);
        out.push_str(",\"attempt_id\":");
        Self::or_null(out, self.attempt_id);
        out.push_str(",\"causation_id\":");
        Self::or_null(out, self.causation_id);
        out.push_str(",\"correlation_id\":");
        Self::or_null(out, self.correlation_id);
        out.push_str(",\"payload\":");
        match self.payload {
            Some(p) if p.get().starts_with('{') || p.get().starts_with('[') => {
                out.push_str(p.get())
            }
            _ => out.push_str("{}"),
        }
        out.push('}');
    }
}

fn report_line(path: &Path, index: usize, why: &str) {
    store::report(store::Diagnostic {
        code: "OXE_W_CORRUPT_LINE".into(),
        path: path.display().to_string(),
        message: format!("{}: line {} skipped ({why})", path.display(), index + 1),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tmp(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "oxe-bus-{name}-{}-{}",
            std::process::id(),
            crate::clock::random_chars(6, crate::clock::BASE36)
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn append_then_read_back() {
        let root = tmp("rw");
        let ev = append_event(
            &root,
            None,
            &json!({"type": "RunStarted", "run_id": "r1", "payload": {"run_id": "r1"}}),
            None,
        )
        .unwrap();
        assert_eq!(ev["type"], json!("RunStarted"));
        append_event(
            &root,
            None,
            &json!({"type": "WorkItemReady", "run_id": "r1", "work_item_id": "T1"}),
            Some("c"),
        )
        .unwrap();
        let text = std::fs::read_to_string(root.join(".oxe/OXE-EVENTS.ndjson")).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.ends_with('\n'));
        let line2: Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
        assert_eq!(line2["task_id"], json!("T1"));
        assert_eq!(line2["causation_id"], json!("c"));
        // a torn or garbage line is skipped, not fatal
        std::fs::OpenOptions::new()
            .append(true)
            .open(root.join(".oxe/OXE-EVENTS.ndjson"))
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"{not json\n\n"))
            .unwrap();
        let all = read_events(&root, None).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1]["work_item_id"], json!("T1"));
        assert_eq!(all[0]["payload"], json!({"run_id": "r1"}));
    }

    #[test]
    fn json_reader_matches_value_reader() {
        let root = tmp("json");
        let p = root.join(".oxe/OXE-EVENTS.ndjson");
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(
            &p,
            concat!(
                "{\"event_id\":\"e1\",\"type\":\"RunStarted\",\"timestamp\":\"t\",\"run_id\":\"r\",\"payload\":{\"2\":1,\"a\":0.1}}\n",
                "{\"event_id\":7,\"type\":\"\",\"task_id\":\"T1\",\"work_item_id\":null,\"payload\":\"x\"}\r\n",
                "not json\n",
                "[1]\n",
                "{\"type\":\"X\",\"payload\":[1],\"note\":\"\\ud800\"}\n",
            ),
        )
        .unwrap();
        let a: Value = serde_json::from_str(&read_events_json(&root, None).unwrap()).unwrap();
        let b = Value::Array(
            read_events(&root, None)
                .unwrap()
                .into_iter()
                .map(Value::Object)
                .collect(),
        );
        // timestamps default to "now" when missing; compare the rest
        let strip = |v: &Value| -> Value {
            let mut v = v.clone();
            for e in v.as_array_mut().unwrap() {
                e.as_object_mut().unwrap().shift_remove("timestamp");
            }
            v
        };
        assert_eq!(strip(&a), strip(&b));
        assert_eq!(a.as_array().unwrap().len(), 3);
        assert_eq!(a[1]["id"], json!("7"));
        assert_eq!(a[1]["work_item_id"], json!("T1"));
    }

    #[test]
    fn session_scoped_and_guarded() {
        let root = tmp("sess");
        append_event(
            &root,
            Some("sessions/s1"),
            &json!({"type": "RunStarted"}),
            None,
        )
        .unwrap();
        assert!(root
            .join(".oxe/sessions/s1/execution/OXE-EVENTS.ndjson")
            .exists());
        let e =
            append_event(&root, Some("../x"), &json!({"type": "RunStarted"}), None).unwrap_err();
        assert_eq!(e.code(), "OXE_E_PATH");
        let e = append_event(&root, None, &json!(3), None).unwrap_err();
        assert_eq!(e.code(), "OXE_E_ARG");
        assert!(read_events(&root, Some("nope")).unwrap().is_empty());
    }
}
