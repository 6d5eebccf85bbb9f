//! events: the catalog of event types, the `OxeEvent` envelope and the
//! NDJSON event log (`.oxe/OXE-EVENTS.ndjson`, session-scoped under
//! `.oxe/<session>/execution/`).

pub mod bus;
pub mod catalog;
pub mod envelope;

pub use bus::{append_event, read_events};
pub use catalog::{is_valid_event_type, EVENT_TYPES};
