//! Agent roles: per-agent budgets, the planner → executor handoff record,
//! and the arbitration that picks one result among competing agents.
//!
//! Budget limits default to `Infinity`. JSON cannot carry `Infinity` (JS
//! writes it as `null`), so a limit read back as `null` means unlimited and
//! a consumed amount read back as `null` means 0.

use serde_json::{json, Value};

use crate::clock;

/// `AgentRole` of 1.4.0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentRole {
    Planner,
    Executor,
    Reviewer,
    Verifier,
}

impl AgentRole {
    pub const ALL: [AgentRole; 4] = [
        AgentRole::Planner,
        AgentRole::Executor,
        AgentRole::Reviewer,
        AgentRole::Verifier,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgentRole::Planner => "planner",
            AgentRole::Executor => "executor",
            AgentRole::Reviewer => "reviewer",
            AgentRole::Verifier => "verifier",
        }
    }

    pub fn parse(s: &str) -> Option<AgentRole> {
        AgentRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// `AgentBudget`: `{max_tokens, max_time_ms, max_retries, consumed_tokens,
/// consumed_time_ms, consumed_retries}`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AgentBudget {
    pub max_tokens: f64,
    pub max_time_ms: f64,
    pub max_retries: f64,
    pub consumed_tokens: f64,
    pub consumed_time_ms: f64,
    pub consumed_retries: f64,
}

/// What `consumeBudget` adds; a missing amount adds nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BudgetDelta {
    pub tokens: Option<f64>,
    pub time_ms: Option<f64>,
    pub retries: Option<f64>,
}

/// A limit as given: missing (or `null`, how JSON writes `Infinity`) is unlimited.
pub fn limit(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::INFINITY)
}

/// An amount as given: missing (or `null`) is 0.
pub fn amount(v: Option<f64>) -> f64 {
    v.unwrap_or(0.0)
}

impl AgentBudget {
    /// `createBudget({max_tokens?, max_time_ms?, max_retries?})`.
    pub fn new(
        max_tokens: Option<f64>,
        max_time_ms: Option<f64>,
        max_retries: Option<f64>,
    ) -> Self {
        AgentBudget {
            max_tokens: limit(max_tokens),
            max_time_ms: limit(max_time_ms),
            max_retries: limit(max_retries),
            consumed_tokens: 0.0,
            consumed_time_ms: 0.0,
            consumed_retries: 0.0,
        }
    }

    /// `consumeBudget(b, delta)`: a new budget; `self` is unchanged.
    pub fn consume(&self, delta: BudgetDelta) -> Self {
        let (tokens, time_ms, retries) = consumed_after(
            [
                self.consumed_tokens,
                self.consumed_time_ms,
                self.consumed_retries,
            ]
            .map(Some),
            delta,
        );
        AgentBudget {
            consumed_tokens: tokens,
            consumed_time_ms: time_ms,
            consumed_retries: retries,
            ..*self
        }
    }

    /// `isBudgetExhausted(b)`.
    pub fn is_exhausted(&self) -> bool {
        exhausted(
            [
                self.consumed_tokens,
                self.consumed_time_ms,
                self.consumed_retries,
            ]
            .map(Some),
            [self.max_tokens, self.max_time_ms, self.max_retries].map(Some),
        )
    }

    /// The budget as JS would serialize it (`Infinity` becomes `null`).
    pub fn to_json(&self) -> Value {
        let n = |x: f64| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number);
        json!({
            "max_tokens": n(self.max_tokens),
            "max_time_ms": n(self.max_time_ms),
            "max_retries": n(self.max_retries),
            "consumed_tokens": n(self.consumed_tokens),
            "consumed_time_ms": n(self.consumed_time_ms),
            "consumed_retries": n(self.consumed_retries),
        })
    }

    /// A budget read back from JSON: `null` limits are unlimited, `null`
    /// (or missing) amounts are 0.
    pub fn from_json(v: &Value) -> Self {
        let f = |k: &str| v.get(k).and_then(Value::as_f64);
        AgentBudget {
            max_tokens: limit(f("max_tokens")),
            max_time_ms: limit(f("max_time_ms")),
            max_retries: limit(f("max_retries")),
            consumed_tokens: amount(f("consumed_tokens")),
            consumed_time_ms: amount(f("consumed_time_ms")),
            consumed_retries: amount(f("consumed_retries")),
        }
    }
}

/// One consumed amount after adding `delta` (each missing value counts as 0).
pub fn add(consumed: Option<f64>, delta: Option<f64>) -> f64 {
    amount(consumed) + amount(delta)
}

/// The consumed `(tokens, time_ms, retries)` after adding `delta`, for a
/// budget held by the caller (the glue keeps the caller's other fields).
pub fn consumed_after(consumed: [Option<f64>; 3], delta: BudgetDelta) -> (f64, f64, f64) {
    (
        add(consumed[0], delta.tokens),
        add(consumed[1], delta.time_ms),
        add(consumed[2], delta.retries),
    )
}

/// Exhausted when any consumed amount has reached its limit (`>=`, so a
/// limit of 0 is exhausted from the start; `NaN` never reaches anything).
pub fn exhausted(consumed: [Option<f64>; 3], max: [Option<f64>; 3]) -> bool {
    consumed
        .iter()
        .zip(max.iter())
        .any(|(&c, &m)| amount(c) >= limit(m))
}

/// `CooperativeHandoff`: `{handoff_id, from_agent_id, to_agent_id,
/// from_role, to_role, work_item_id, context_pack_ref, transferred_at}`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CooperativeHandoff {
    pub handoff_id: String,
    pub from_agent_id: String,
    pub to_agent_id: String,
    pub from_role: String,
    pub to_role: String,
    pub work_item_id: String,
    pub context_pack_ref: Option<String>,
    pub transferred_at: String,
}

impl CooperativeHandoff {
    pub fn to_json(&self) -> Value {
        json!({
            "handoff_id": self.handoff_id,
            "from_agent_id": self.from_agent_id,
            "to_agent_id": self.to_agent_id,
            "from_role": self.from_role,
            "to_role": self.to_role,
            "work_item_id": self.work_item_id,
            "context_pack_ref": self.context_pack_ref,
            "transferred_at": self.transferred_at,
        })
    }
}

/// `hoff-<Date.now() in base 36>-<4 base-36 characters>`.
pub fn new_handoff_id(now_ms: i64) -> String {
    format!(
        "hoff-{}-{}",
        clock::to_base36(now_ms.max(0) as u64),
        clock::random_chars(4, clock::BASE36)
    )
}

/// `buildHandoff(opts)`: stamped now, with a fresh id.
pub fn build_handoff(
    from_agent_id: &str,
    to_agent_id: &str,
    from_role: &str,
    to_role: &str,
    work_item_id: &str,
    context_pack_ref: Option<&str>,
) -> CooperativeHandoff {
    let now = clock::now_ms();
    CooperativeHandoff {
        handoff_id: new_handoff_id(now),
        from_agent_id: from_agent_id.to_string(),
        to_agent_id: to_agent_id.to_string(),
        from_role: from_role.to_string(),
        to_role: to_role.to_string(),
        work_item_id: work_item_id.to_string(),
        context_pack_ref: context_pack_ref.map(str::to_string),
        transferred_at: clock::iso_from_ms(now),
    }
}

/// One competing result, as arbitration sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Contender {
    pub success: bool,
    pub evidence_count: f64,
}

/// The output of the result arbitration returns when there is nothing to choose from.
pub const NO_RESULTS_OUTPUT: &str = "no results to arbitrate";

/// `ArbitrationEngine.arbitrate`: the index of the winning result, or
/// `None` when there are none. A success beats any failure; among
/// successes the one with the most evidence wins, the earliest on a tie;
/// with no success the first result stands.
pub fn arbitrate(contenders: &[Contender]) -> Option<usize> {
    if contenders.is_empty() {
        return None;
    }
    let mut best: Option<usize> = None;
    for (i, c) in contenders.iter().enumerate() {
        if !c.success {
            continue;
        }
        let better = match best {
            None => true,
            Some(b) => c.evidence_count > contenders[b].evidence_count,
        };
        if better {
            best = Some(i);
        }
    }
    Some(best.unwrap_or(0))
}

/// The TaskResult arbitration returns for an empty input.
pub fn empty_arbitration() -> Value {
    json!({
        "success": false,
        "failure_class": null,
        "evidence": [],
        "output": NO_RESULTS_OUTPUT,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &Value) -> Vec<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn agent_role_names_round_trip() {
        for r in AgentRole::ALL {
            assert_eq!(AgentRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(AgentRole::parse("boss"), None);
    }

    #[test]
    fn agent_budget_defaults_and_arithmetic() {
        let b = AgentBudget::new(None, None, None);
        assert_eq!(b.max_tokens, f64::INFINITY);
        assert_eq!(b.consumed_retries, 0.0);
        assert!(!b.is_exhausted());
        assert_eq!(
            keys(&b.to_json()),
            [
                "max_tokens",
                "max_time_ms",
                "max_retries",
                "consumed_tokens",
                "consumed_time_ms",
                "consumed_retries"
            ]
        );
        assert_eq!(b.to_json()["max_tokens"], Value::Null);

        let b = AgentBudget::new(Some(100.0), None, Some(3.0));
        let b2 = b.consume(BudgetDelta {
            tokens: Some(50.0),
            ..Default::default()
        });
        assert_eq!(b.consumed_tokens, 0.0);
        assert_eq!(b2.consumed_tokens, 50.0);
        assert!(!b2.is_exhausted());
        assert!(b2
            .consume(BudgetDelta {
                tokens: Some(50.0),
                ..Default::default()
            })
            .is_exhausted());
        let r = b
            .consume(BudgetDelta {
                retries: Some(2.0),
                ..Default::default()
            })
            .consume(BudgetDelta {
                retries: Some(1.0),
                ..Default::default()
            });
        assert_eq!(r.consumed_retries, 3.0);
        assert!(r.is_exhausted());
    }

    #[test]
    fn agent_budget_at_zero_is_exhausted_from_the_start() {
        assert!(AgentBudget::new(Some(0.0), None, None).is_exhausted());
        assert!(AgentBudget::new(None, None, Some(0.0)).is_exhausted());
        assert!(!AgentBudget::new(Some(f64::NAN), None, None).is_exhausted());
        // time: one millisecond past the limit
        let t = AgentBudget::new(None, Some(5000.0), None).consume(BudgetDelta {
            time_ms: Some(5001.0),
            ..Default::default()
        });
        assert!(t.is_exhausted());
    }

    #[test]
    fn agent_budget_json_round_trip_keeps_unlimited() {
        let b = AgentBudget::new(None, Some(10.0), None).consume(BudgetDelta {
            tokens: Some(5.0),
            time_ms: Some(1.0),
            retries: None,
        });
        let back = AgentBudget::from_json(&b.to_json());
        assert_eq!(back, b);
        assert!(!back.is_exhausted());
        assert!(!exhausted([None; 3], [None; 3]));
        assert_eq!(
            consumed_after(
                [None; 3],
                BudgetDelta {
                    tokens: Some(2.0),
                    ..Default::default()
                }
            ),
            (2.0, 0.0, 0.0)
        );
    }

    #[test]
    fn agent_handoff_shape_and_id() {
        let h = build_handoff("planner-1", "executor-1", "planner", "executor", "T1", None);
        let v = h.to_json();
        assert_eq!(
            keys(&v),
            [
                "handoff_id",
                "from_agent_id",
                "to_agent_id",
                "from_role",
                "to_role",
                "work_item_id",
                "context_pack_ref",
                "transferred_at"
            ]
        );
        assert_eq!(v["context_pack_ref"], Value::Null);
        assert_eq!(serde_json::to_value(&h).unwrap(), v);
        let parts: Vec<&str> = h.handoff_id.split('-').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], "hoff");
        assert_eq!(parts[2].len(), 4);
        assert!(parts[1..]
            .iter()
            .all(|p| p.bytes().all(|b| clock::BASE36.contains(&b))));
        let stamped = clock::parse_iso_ms(&h.transferred_at).unwrap();
        assert_eq!(parts[1], clock::to_base36(stamped as u64));
        let with_ref = build_handoff("a", "b", "planner", "executor", "T2", Some("cp-run1-T2"));
        assert_eq!(with_ref.context_pack_ref.as_deref(), Some("cp-run1-T2"));
        assert_eq!(new_handoff_id(36).split('-').nth(1), Some("10"));
    }

    #[test]
    fn agent_arbitration_rules() {
        let c = |success, evidence_count| Contender {
            success,
            evidence_count,
        };
        assert_eq!(arbitrate(&[]), None);
        assert_eq!(empty_arbitration()["output"], NO_RESULTS_OUTPUT);
        assert_eq!(
            keys(&empty_arbitration()),
            ["success", "failure_class", "evidence", "output"]
        );
        // success over failure, even with less evidence
        assert_eq!(arbitrate(&[c(false, 9.0), c(true, 1.0)]), Some(1));
        // most evidence among successes
        assert_eq!(
            arbitrate(&[c(true, 1.0), c(true, 3.0), c(false, 7.0)]),
            Some(1)
        );
        // ties keep the earliest
        assert_eq!(
            arbitrate(&[c(false, 0.0), c(true, 2.0), c(true, 2.0)]),
            Some(1)
        );
        // all failed: the first result
        assert_eq!(arbitrate(&[c(false, 0.0), c(false, 5.0)]), Some(0));
    }
}
