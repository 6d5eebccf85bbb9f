//! agents: the agent registry's rules (heartbeats, liveness, failover) and
//! the role helpers (budgets, handoffs, arbitration). The registry's
//! records stay in a JS `Map` in `lib/runtime/agents.js`; these functions
//! take the few plain values each rule needs. Numbers cross as `f64`, so
//! `Infinity` and `NaN` survive (JSON would turn them into `null`).

use napi::bindgen_prelude::Either;
use napi_derive::napi;
use oxe_runtime::clock;
use oxe_runtime::scheduler::agent_registry as registry;
use oxe_runtime::scheduler::agent_roles as roles;
use serde_json::Value;

use crate::guard::guard;

/// `new AgentRegistry()`'s heartbeat timeout.
#[napi(js_name = "AGENT_HEARTBEAT_TIMEOUT_MS")]
pub const AGENT_HEARTBEAT_TIMEOUT_MS: f64 = registry::DEFAULT_HEARTBEAT_TIMEOUT_MS;

/// `AgentHeartbeat` `{agent_id, last_seen, current_task, status}`.
#[napi(object, use_nullable = true)]
pub struct AgentHeartbeat {
    #[napi(js_name = "agent_id")]
    pub agent_id: String,
    #[napi(js_name = "last_seen")]
    pub last_seen: String,
    #[napi(js_name = "current_task")]
    pub current_task: Option<String>,
    pub status: String,
}

/// The heartbeat of a record about to be registered (throws when `taken`).
#[napi(js_name = "agentRegisterHeartbeat")]
pub fn agent_register_heartbeat(id: String, taken: bool) -> napi::Result<AgentHeartbeat, String> {
    guard("AgentRegistry.register", || {
        let hb = registry::register_heartbeat(&id, taken)?;
        Ok(AgentHeartbeat {
            agent_id: hb.agent_id,
            last_seen: hb.last_seen,
            current_task: hb.current_task,
            status: hb.status.as_str().to_string(),
        })
    })
}

/// The `last_seen` stamp a beat writes: now.
#[napi(js_name = "agentStamp")]
pub fn agent_stamp() -> napi::Result<String, String> {
    guard("AgentRegistry.beat", || Ok(registry::beat(false).last_seen))
}

/// The status a beat leaves: running with a (truthy) task, idle without.
#[napi(js_name = "agentBeatStatus")]
pub fn agent_beat_status(has_task: bool) -> napi::Result<&'static str, String> {
    guard("AgentRegistry.beat", || {
        Ok(registry::beat_status(has_task).as_str())
    })
}

/// Liveness of one heartbeat (`lastSeenMs` is `NaN` for unknown agents).
#[napi(js_name = "agentIsAlive")]
pub fn agent_is_alive(last_seen_ms: f64, timeout_ms: f64) -> napi::Result<bool, String> {
    guard("AgentRegistry.isAlive", || {
        Ok(registry::is_alive(
            last_seen_ms,
            timeout_ms,
            clock::now_ms(),
        ))
    })
}

/// Liveness of every heartbeat, in order, against one clock reading.
#[napi(js_name = "agentLiveness")]
pub fn agent_liveness(last_seen_ms: Vec<f64>, timeout_ms: f64) -> napi::Result<Vec<bool>, String> {
    guard("AgentRegistry.liveness", || {
        Ok(registry::liveness(
            &last_seen_ms,
            timeout_ms,
            clock::now_ms(),
        ))
    })
}

/// `{timed_out: indices, status}`: the agents a failover takes tasks from.
#[napi(object)]
pub struct AgentFailoverPlan {
    #[napi(js_name = "timed_out")]
    pub timed_out: Vec<u32>,
    pub status: String,
}

#[napi(js_name = "agentFailover")]
pub fn agent_failover(
    fallback_id: String,
    fallback_known: bool,
    last_seen_ms: Vec<f64>,
    timeout_ms: f64,
) -> napi::Result<AgentFailoverPlan, String> {
    guard("AgentRegistry.failover", || {
        let plan = registry::failover_plan(
            &fallback_id,
            fallback_known,
            &last_seen_ms,
            timeout_ms,
            clock::now_ms(),
        )?;
        Ok(AgentFailoverPlan {
            timed_out: plan.timed_out.into_iter().map(|i| i as u32).collect(),
            status: plan.status.as_str().to_string(),
        })
    })
}

/// A budget limit as given: `null`/`undefined` (how JSON writes `Infinity`) is unlimited.
#[napi(js_name = "budgetLimit")]
pub fn budget_limit(max: Option<f64>) -> napi::Result<f64, String> {
    guard("createBudget", || Ok(roles::limit(max)))
}

/// One consumed amount after adding `delta` (missing values count as 0).
#[napi(js_name = "budgetAdd")]
pub fn budget_add(consumed: Option<f64>, delta: Option<f64>) -> napi::Result<f64, String> {
    guard("consumeBudget", || Ok(roles::add(consumed, delta)))
}

#[napi(js_name = "budgetExhausted")]
pub fn budget_exhausted(
    consumed_tokens: Option<f64>,
    max_tokens: Option<f64>,
    consumed_time_ms: Option<f64>,
    max_time_ms: Option<f64>,
    consumed_retries: Option<f64>,
    max_retries: Option<f64>,
) -> napi::Result<bool, String> {
    guard("isBudgetExhausted", || {
        Ok(roles::exhausted(
            [consumed_tokens, consumed_time_ms, consumed_retries],
            [max_tokens, max_time_ms, max_retries],
        ))
    })
}

/// `CooperativeHandoff`, in field order.
#[napi(object, use_nullable = true)]
pub struct CooperativeHandoff {
    #[napi(js_name = "handoff_id")]
    pub handoff_id: String,
    #[napi(js_name = "from_agent_id")]
    pub from_agent_id: String,
    #[napi(js_name = "to_agent_id")]
    pub to_agent_id: String,
    #[napi(js_name = "from_role")]
    pub from_role: String,
    #[napi(js_name = "to_role")]
    pub to_role: String,
    #[napi(js_name = "work_item_id")]
    pub work_item_id: String,
    #[napi(js_name = "context_pack_ref")]
    pub context_pack_ref: Option<String>,
    #[napi(js_name = "transferred_at")]
    pub transferred_at: String,
}

#[napi(js_name = "agentBuildHandoff")]
pub fn agent_build_handoff(
    from_agent_id: String,
    to_agent_id: String,
    from_role: String,
    to_role: String,
    work_item_id: String,
    context_pack_ref: Option<String>,
) -> napi::Result<CooperativeHandoff, String> {
    guard("buildHandoff", || {
        let h = roles::build_handoff(
            &from_agent_id,
            &to_agent_id,
            &from_role,
            &to_role,
            &work_item_id,
            context_pack_ref.as_deref(),
        );
        Ok(CooperativeHandoff {
            handoff_id: h.handoff_id,
            from_agent_id: h.from_agent_id,
            to_agent_id: h.to_agent_id,
            from_role: h.from_role,
            to_role: h.to_role,
            work_item_id: h.work_item_id,
            context_pack_ref: h.context_pack_ref,
            transferred_at: h.transferred_at,
        })
    })
}

/// The index of the winning result, or the TaskResult for an empty input.
#[napi(js_name = "agentArbitrate")]
pub fn agent_arbitrate(
    success: Vec<bool>,
    evidence_counts: Vec<f64>,
) -> napi::Result<Either<u32, Value>, String> {
    guard("ArbitrationEngine.arbitrate", || {
        let contenders: Vec<roles::Contender> = success
            .iter()
            .enumerate()
            .map(|(i, &s)| roles::Contender {
                success: s,
                evidence_count: evidence_counts.get(i).copied().unwrap_or(0.0),
            })
            .collect();
        Ok(match roles::arbitrate(&contenders) {
            Some(i) => Either::A(i as u32),
            None => Either::B(roles::empty_arbitration()),
        })
    })
}
