//! scheduler: the run journal now; the scheduler state machine, agent
//! registry, agent roles and multi-agent coordinator arrive with step 2.

pub mod run_journal;
