//! scheduler: the run journal and the scheduler state machine.
//!
//! The scheduler is written as Rust coroutines (`coroutine`) whose await
//! points are requests to the host: the JS driver performs them (calling
//! the executor, workspace manager, policy engine, gate manager, plugin
//! registry, audit trail and `onEvent`) and resumes the coroutine. Every
//! decision — order, retries, quotas, policy, gates, final status, journal
//! contents — is made here.

pub mod actions;
pub mod coroutine;
pub mod multi_agent;
pub mod node;
pub mod run;
pub mod run_journal;
pub mod session;
pub mod state;

pub use session::SchedulerSession;
pub mod agent_registry;
pub mod agent_roles;
