//! napi-rs binding of oxe-rs: thin adapters between JS values and the
//! `oxe-runtime` core, one file per area. No business logic lives here.
//! Large values cross as JSON text (see ARCHITECTURE.md, principle 7);
//! `lib/` turns them into the JS shapes (Map, Set, generators).

mod compiler;
mod diagnostics;
mod events;
mod guard;
mod journal;
mod reducers;
