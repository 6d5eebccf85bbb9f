//! policy: the `PolicyEngine` of oxe-cc 1.4.0 (autonomy tiers, environment
//! guardrails, mutation budgets, first-match rules) and the persisted policy
//! decisions of a run (`.oxe/runs/<run>/policy-decisions.json`).

pub mod decisions;
pub mod engine;
pub mod js_ops;
mod rule_index;
pub mod wire;

pub use decisions::{
    load_policy_decisions, policy_decisions_path, save_policy_decision, summarize_policy_decisions,
};
pub use engine::{default_guardrail, CompiledPolicy, Dynamic, Outcome, PolicyInput, Seq, Verdict};
