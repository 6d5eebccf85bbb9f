//! Context profiles: how much each kind of artifact weighs for a kind of
//! decision, the quality bar and the size limits (`DEFAULT_PROFILES`,
//! `getProfile`). JS receives the table once and keeps one live object, so
//! `getProfile(t) === DEFAULT_PROFILES[t]` as in 1.4.0.

use serde_json::{json, Map, Value};

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContextProfile {
    pub decision_type: &'static str,
    /// Weights of `evidence`, `lesson`, `file` and `summary`, in that order.
    pub weights: [f64; 4],
    pub quality_threshold: f64,
    pub max_artifacts: u32,
    pub max_tokens: u32,
}

/// The artifact kinds, in the key order of `artifact_kind_weights`.
pub const ARTIFACT_KINDS: [&str; 4] = ["evidence", "lesson", "file", "summary"];

const fn profile(
    decision_type: &'static str,
    weights: [f64; 4],
    quality_threshold: f64,
    max_artifacts: u32,
    max_tokens: u32,
) -> ContextProfile {
    ContextProfile {
        decision_type,
        weights,
        quality_threshold,
        max_artifacts,
        max_tokens,
    }
}

/// The six profiles, in 1.4.0's key order.
pub const DEFAULT_PROFILES: [ContextProfile; 6] = [
    profile("execute", [0.8, 0.3, 0.6, 0.4], 0.6, 20, 8000),
    profile("verify", [0.9, 0.2, 0.5, 0.5], 0.7, 15, 6000),
    profile("plan", [0.4, 0.9, 0.7, 0.6], 0.5, 25, 10000),
    profile("review", [0.6, 0.5, 0.8, 0.5], 0.55, 20, 8000),
    profile("debug", [0.9, 0.6, 0.7, 0.4], 0.6, 20, 8000),
    profile("migration", [0.7, 0.7, 0.9, 0.5], 0.65, 30, 12000),
];

/// `getProfile(decisionType)` for the known types.
pub fn get_profile(decision_type: &str) -> Option<&'static ContextProfile> {
    DEFAULT_PROFILES
        .iter()
        .find(|p| p.decision_type == decision_type)
}

impl ContextProfile {
    /// The profile as 1.4.0's object literal (same key order).
    pub fn to_value(&self) -> Value {
        let weights: Map<String, Value> = ARTIFACT_KINDS
            .iter()
            .zip(self.weights)
            .map(|(k, w)| ((*k).to_string(), json!(w)))
            .collect();
        json!({
            "decision_type": self.decision_type,
            "artifact_kind_weights": weights,
            "quality_threshold": self.quality_threshold,
            "max_artifacts": self.max_artifacts,
            "max_tokens": self.max_tokens,
        })
    }
}

/// `DEFAULT_PROFILES` as one object keyed by decision type.
pub fn default_profiles_value() -> Value {
    Value::Object(
        DEFAULT_PROFILES
            .iter()
            .map(|p| (p.decision_type.to_string(), p.to_value()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsjson;

    #[test]
    fn table_matches_1_4_0() {
        let v = default_profiles_value();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            ["execute", "verify", "plan", "review", "debug", "migration"]
        );
        assert_eq!(
            jsjson::to_line(&v["review"]),
            r#"{"decision_type":"review","artifact_kind_weights":{"evidence":0.6,"lesson":0.5,"file":0.8,"summary":0.5},"quality_threshold":0.55,"max_artifacts":20,"max_tokens":8000}"#
        );
        let plan = get_profile("plan").unwrap();
        assert!(plan.weights[1] > plan.weights[0]);
        assert!(get_profile("verify").unwrap().quality_threshold > 0.6);
        assert_eq!(get_profile("nope"), None);
    }
}
