//! oxe-runtime: the oxe-cc 1.4.0 runtime areas as plain Rust.
//!
//! Every rule lives here; the napi binding (`oxe-node`) and the JS glue only
//! move values across the boundary. Modules mirror the upstream areas so a
//! reader finds each concept under its upstream name.

pub mod audit;
pub mod clock;
pub mod compiler;
pub mod context;
pub mod decision;
pub mod delivery;
pub mod error;
pub mod events;
pub mod evidence;
pub mod gate;
pub mod jsjson;
pub mod models;
pub mod paths;
pub mod plugins;
pub mod policy;
pub mod projection;
pub mod reducers;
pub mod scheduler;
pub mod store;
pub mod verification;
pub mod workspace;

pub use error::{OxeError, OxeResult};
