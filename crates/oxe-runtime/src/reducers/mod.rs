//! reducers: fold an event log into a `RunState` (1.4.0's
//! `run-state-reducer`), plus the wire form that carries a state across the
//! JS boundary, where the glue turns it into real `Map`/`Set` objects.

pub mod run_state_reducer;
pub mod wire;

pub use run_state_reducer::{apply_event, reduce, Key, RunState};
