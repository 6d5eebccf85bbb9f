//! napi-rs binding of oxe-rs: thin adapters between JS values and the
//! `oxe-runtime` core, one file per area. No business logic lives here.
//! Large values cross as JSON text (see ARCHITECTURE.md, principle 7);
//! `lib/` turns them into the JS shapes (Map, Set, generators, classes).

mod audit;
mod compiler;
mod context;
mod decision;
mod delivery;
mod diagnostics;
mod events;
mod evidence;
mod gate;
mod guard;
mod journal;
mod multi_agent;
mod plugins;
mod policy;
mod projection;
mod reducers;
mod scheduler;
mod verification;
mod workspace;
mod agents;
mod cli;
