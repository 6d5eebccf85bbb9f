//! Agent registry rules: heartbeats, liveness and failover.
//!
//! The records themselves live in the JS glue (a real `Map` whose values
//! hold the caller's executor and workspace manager, returned by identity),
//! so this module holds the decisions the glue asks for: the heartbeat a new
//! record starts with, what a beat changes, whether a heartbeat is still
//! fresh, and which agents a failover takes tasks from.
//!
//! Times are epoch milliseconds as `f64`, the way JS reads
//! `new Date(last_seen).getTime()`: an unreadable `last_seen` is `NaN`, and
//! a `NaN` heartbeat is never alive.

use serde_json::{json, Value};

use crate::clock;
use crate::error::{OxeError, OxeResult};

/// `new AgentRegistry()` without an argument.
pub const DEFAULT_HEARTBEAT_TIMEOUT_MS: f64 = 30_000.0;

/// `AgentStatus` of 1.4.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentStatus {
    Idle,
    Running,
    Paused,
    Failed,
    Timeout,
}

impl AgentStatus {
    pub const ALL: [AgentStatus; 5] = [
        AgentStatus::Idle,
        AgentStatus::Running,
        AgentStatus::Paused,
        AgentStatus::Failed,
        AgentStatus::Timeout,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgentStatus::Idle => "idle",
            AgentStatus::Running => "running",
            AgentStatus::Paused => "paused",
            AgentStatus::Failed => "failed",
            AgentStatus::Timeout => "timeout",
        }
    }

    pub fn parse(s: &str) -> Option<AgentStatus> {
        AgentStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// `AgentHeartbeat`: `{agent_id, last_seen, current_task, status}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Heartbeat {
    pub agent_id: String,
    pub last_seen: String,
    pub current_task: Option<String>,
    pub status: AgentStatus,
}

impl Heartbeat {
    pub fn to_json(&self) -> Value {
        json!({
            "agent_id": self.agent_id,
            "last_seen": self.last_seen,
            "current_task": self.current_task,
            "status": self.status.as_str(),
        })
    }
}

/// The heartbeat of a newly registered agent: seen now, no task, idle.
/// Registering an id that is already taken is an error.
pub fn register_heartbeat(id: &str, already_registered: bool) -> OxeResult<Heartbeat> {
    if already_registered {
        return Err(OxeError::Arg(format!(
            "Agent \"{id}\" is already registered"
        )));
    }
    Ok(Heartbeat {
        agent_id: id.to_string(),
        last_seen: clock::now_iso(),
        current_task: None,
        status: AgentStatus::Idle,
    })
}

/// What `beat(id, task)` writes besides the task itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Beat {
    pub last_seen: String,
    pub status: AgentStatus,
}

/// A beat refreshes `last_seen`; the agent is running while it reports a
/// (truthy) task and idle otherwise.
pub fn beat(has_task: bool) -> Beat {
    Beat {
        last_seen: clock::now_iso(),
        status: beat_status(has_task),
    }
}

/// The status half of [`beat`].
pub fn beat_status(has_task: bool) -> AgentStatus {
    if has_task {
        AgentStatus::Running
    } else {
        AgentStatus::Idle
    }
}

/// `last_seen` text as epoch milliseconds (`NaN` when unreadable). The glue
/// lets JS's own `Date` read the values it holds; this is for Rust callers.
pub fn last_seen_ms(last_seen: &str) -> f64 {
    clock::parse_iso_ms(last_seen).map_or(f64::NAN, |ms| ms as f64)
}

/// An agent is alive while the age of its last heartbeat is strictly below
/// the timeout, so a timeout of 0 (or `NaN`) means never alive, and an
/// unreadable heartbeat is never alive.
pub fn is_alive(last_seen_ms: f64, timeout_ms: f64, now_ms: i64) -> bool {
    (now_ms as f64 - last_seen_ms) < timeout_ms
}

/// [`is_alive`] for every heartbeat, against one reading of the clock.
pub fn liveness(last_seen_ms: &[f64], timeout_ms: f64, now_ms: i64) -> Vec<bool> {
    last_seen_ms
        .iter()
        .map(|&t| is_alive(t, timeout_ms, now_ms))
        .collect()
}

/// What a failover does: the agents (by position in registry order) whose
/// tasks are orphaned, and the status they end in. Their tasks, in that
/// order, are appended to the fallback's list (the fallback included, when
/// it has timed out too).
#[derive(Clone, Debug, PartialEq)]
pub struct FailoverPlan {
    pub timed_out: Vec<usize>,
    pub status: AgentStatus,
}

/// `failover(fallbackId)`: the fallback must be registered; every agent
/// whose heartbeat is stale loses its tasks and is marked failed.
pub fn failover_plan(
    fallback_id: &str,
    fallback_known: bool,
    last_seen_ms: &[f64],
    timeout_ms: f64,
    now_ms: i64,
) -> OxeResult<FailoverPlan> {
    if !fallback_known {
        return Err(OxeError::Arg(format!(
            "Fallback agent \"{fallback_id}\" not found"
        )));
    }
    let timed_out = last_seen_ms
        .iter()
        .enumerate()
        .filter(|(_, &t)| !is_alive(t, timeout_ms, now_ms))
        .map(|(i, _)| i)
        .collect();
    Ok(FailoverPlan {
        timed_out,
        status: AgentStatus::Failed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_764_064_800_123;

    #[test]
    fn agent_status_names_round_trip() {
        for st in AgentStatus::ALL {
            assert_eq!(AgentStatus::parse(st.as_str()), Some(st));
        }
        assert_eq!(AgentStatus::parse("dead"), None);
    }

    #[test]
    fn agent_register_starts_idle_and_rejects_duplicates() {
        let hb = register_heartbeat("a-1", false).unwrap();
        assert_eq!(hb.agent_id, "a-1");
        assert_eq!(hb.current_task, None);
        assert_eq!(hb.status, AgentStatus::Idle);
        assert!(clock::parse_iso_ms(&hb.last_seen).is_some());
        let v = hb.to_json();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["agent_id", "last_seen", "current_task", "status"]);
        assert_eq!(v["current_task"], Value::Null);

        let err = register_heartbeat("a-1", true).unwrap_err();
        assert_eq!(err.code(), "OXE_E_ARG");
        assert_eq!(err.to_string(), "Agent \"a-1\" is already registered");
    }

    #[test]
    fn agent_beat_status_follows_task() {
        assert_eq!(beat(true).status, AgentStatus::Running);
        assert_eq!(beat(false).status, AgentStatus::Idle);
    }

    #[test]
    fn agent_liveness_is_strictly_below_timeout() {
        let t = NOW as f64;
        assert!(is_alive(t, 30_000.0, NOW));
        assert!(is_alive(t - 29_999.0, 30_000.0, NOW));
        assert!(!is_alive(t - 30_000.0, 30_000.0, NOW));
        // a timeout of 0 is always dead, even for a heartbeat "now"
        assert!(!is_alive(t, 0.0, NOW));
        // a heartbeat in the future is alive under any positive timeout
        assert!(is_alive(t + 100_000.0, 1.0, NOW));
        // unreadable heartbeats and NaN timeouts are never alive
        assert!(!is_alive(f64::NAN, f64::INFINITY, NOW));
        assert!(!is_alive(t, f64::NAN, NOW));
        // an infinite timeout keeps any readable heartbeat alive
        assert!(is_alive(0.0, f64::INFINITY, NOW));
        assert_eq!(
            liveness(&[t, 0.0, f64::NAN], 30_000.0, NOW),
            [true, false, false]
        );
    }

    #[test]
    fn agent_last_seen_parsing() {
        assert_eq!(last_seen_ms("1970-01-01T00:00:00.000Z"), 0.0);
        assert_eq!(last_seen_ms(&clock::iso_from_ms(NOW)), NOW as f64);
        assert!(last_seen_ms("yesterday").is_nan());
    }

    #[test]
    fn agent_failover_picks_stale_agents_in_order() {
        let t = NOW as f64;
        let plan =
            failover_plan("backup", true, &[0.0, t, f64::NAN, t - 5.0], 30_000.0, NOW).unwrap();
        assert_eq!(plan.timed_out, [0, 2]);
        assert_eq!(plan.status, AgentStatus::Failed);
        // timeout 0: everyone, the fallback included
        let all = failover_plan("backup", true, &[t, t], 0.0, NOW).unwrap();
        assert_eq!(all.timed_out, [0, 1]);
        // an empty registry still needs its fallback
        let err = failover_plan("ghost", false, &[], 30_000.0, NOW).unwrap_err();
        assert_eq!(err.code(), "OXE_E_ARG");
        assert_eq!(err.to_string(), "Fallback agent \"ghost\" not found");
    }
}
