//! reducers: fold events into a RunState (wire JSON in and out).

use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::reducers::{self, wire};
use oxe_runtime::OxeError;

use crate::guard::guard;

/// `reduce(events)`: events JSON text in, RunState wire JSON out.
#[napi(js_name = "reduce")]
pub fn reduce(events: String) -> napi::Result<String, String> {
    guard("reduce", || {
        Ok(wire::to_wire(
            &reducers::run_state_reducer::reduce_text(&events)
                .map_err(|e| OxeError::json("events", e))?,
        ))
    })
}

/// `applyEventExported(state, event)`: wire state + event JSON in, new wire state out.
#[napi(js_name = "applyEvent")]
pub fn apply_event(state: String, event: String) -> napi::Result<String, String> {
    guard("applyEventExported", || {
        let mut s = wire::from_wire(&parse_wire("state", &state)?)?;
        reducers::apply_event(&mut s, &parse_wire("event", &event)?);
        Ok(wire::to_wire(&s))
    })
}
