//! Append to and read the NDJSON event log. The runtime owns this I/O; the
//! line layout is the one the oxe-cc CLI writes, so both read each other's
//! logs.

use std::path::Path;

use serde_json::{Map, Value};

use super::catalog::is_run_boundary;
use super::envelope::{oxe_event_from_persisted, persisted_from_input};
use crate::error::{OxeError, OxeResult};
use crate::paths::events_path;
use crate::{jsjson, store};

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
