//! decision: the decision engine and its per-run log, and decision memos
//! (oxe-cc 1.4.0 `decision/*`).

pub mod engine;
pub mod memo;

pub use engine::{
    append_decision, decision_record, evaluate, load_decision_log, query_decisions, DecisionFilter,
    DecisionInput, DecisionType, Seniority, Signal, Verdict,
};
pub use memo::{
    alternatives, blast_radius, build_memo, list_memos, load_memo, memo_parts, rollback_plan,
    save_memo, select, BlastRadius, Rollback, Strategy,
};
