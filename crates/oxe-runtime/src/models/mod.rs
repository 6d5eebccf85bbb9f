//! models: the value sets of the 1.4.0 model types. The shapes themselves
//! are declared for JS in `index.d.ts`; the core uses these lists to check
//! values it is handed.

pub const RUN_STATUS: &[&str] = &[
    "planned",
    "running",
    "paused",
    "waiting_approval",
    "failed",
    "completed",
    "replaying",
    "aborted",
    "cancelled",
];
pub const RUN_MODE: &[&str] = &["completo", "por_onda", "por_tarefa"];
pub const RUN_INITIATOR: &[&str] = &["user", "scheduler", "retry", "replay"];
pub const SESSION_STATUS: &[&str] = &["active", "archived", "closed"];
pub const WORK_ITEM_STATUS: &[&str] = &[
    "pending",
    "ready",
    "running",
    "completed",
    "failed",
    "blocked",
    "skipped",
];
pub const WORK_ITEM_TYPE: &[&str] = &["task", "checkpoint", "gate", "verification"];
pub const ATTEMPT_OUTCOME: &[&str] = &[
    "success",
    "failure_env",
    "failure_policy",
    "failure_test",
    "failure_timeout",
    "cancelled",
];
pub const WORKSPACE_STRATEGY: &[&str] = &["inplace", "git_worktree", "ephemeral_container"];
pub const WORKSPACE_STATUS: &[&str] = &["allocating", "ready", "dirty", "disposed", "error"];
pub const WORKSPACE_ISOLATION_LEVEL: &[&str] = &["shared", "isolated"];
pub const EVIDENCE_TYPE: &[&str] = &[
    "diff",
    "stdout",
    "stderr",
    "junit_xml",
    "coverage",
    "screenshot",
    "trace",
    "log",
    "security_report",
    "api_output",
    "summary",
];
pub const GATE_DECISION_VALUE: &[&str] = &[
    "approved",
    "rejected",
    "approved_with_caveats",
    "needs_more_evidence",
];
pub const GATE_SCOPE: &[&str] = &[
    "plan_approval",
    "critical_mutation",
    "security",
    "pr_promotion",
    "remote_promotion",
    "merge",
];
pub const VERIFICATION_STATUS: &[&str] = &["pass", "fail", "skip", "error"];

/// Is `v` one of `set`?
pub fn is_one_of(set: &[&str], v: &str) -> bool {
    set.contains(&v)
}
