//! napi-rs binding of oxe-rs: thin adapters between JS values and the
//! `oxe-runtime` core, one file per area. No business logic lives here.
//! Large values cross as JSON text (see ARCHITECTURE.md, principle 7);
//! `lib/` turns them into the JS shapes (Map, Set, generators, classes).

mod agents;
mod audit;
mod cli;
mod compiler;
mod context;
mod dashboard;
mod decision;
mod delivery;
mod diagnostics;
mod events;
mod evidence;
mod gate;
mod guard;
mod health;
mod journal;
mod multi_agent;
mod operational;
mod plugins;
mod policy;
mod projection;
mod reducers;
mod scheduler;
mod sdk_azure;
mod sdk_context;
mod sdk_install;
mod sdk_plugins;
mod sdk_security;
mod sdk_semantics;
mod verification;
mod workspace;
