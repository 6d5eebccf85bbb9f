//! events: append/read of the NDJSON event log.

use std::path::Path;

use napi_derive::napi;
use oxe_runtime::{error::parse_wire, events, jsjson};
use serde_json::Value;

use crate::guard::guard;

/// `appendEvent`; `input` is the EventInput's JSON text. Returns the
/// OxeEvent's JSON text.
#[napi(js_name = "appendEvent")]
pub fn append_event(
    project_root: String,
    session_id: Option<String>,
    input: String,
    causation_id: Option<String>,
) -> napi::Result<String, String> {
    guard("appendEvent", || {
        let input = parse_wire("event input", &input)?;
        let ev = events::append_event(
            Path::new(&project_root),
            session_id.as_deref(),
            &input,
            causation_id.as_deref(),
        )?;
        Ok(jsjson::to_line(&Value::Object(ev)))
    })
}

/// `readEvents`; returns a JSON array text of OxeEvents.
#[napi(js_name = "readEvents")]
pub fn read_events(
    project_root: String,
    session_id: Option<String>,
) -> napi::Result<String, String> {
    guard("readEvents", || {
        events::bus::read_events_json(Path::new(&project_root), session_id.as_deref())
    })
}

#[napi(js_name = "isValidEventType")]
pub fn is_valid_event_type(t: String) -> bool {
    events::is_valid_event_type(&t)
}

#[napi(js_name = "eventTypes")]
pub fn event_types() -> Vec<&'static str> {
    events::EVENT_TYPES.to_vec()
}
