//! Rules the scheduler applies to a graph node: which action is primary,
//! which side-effect class and gate scope a node implies.

use serde_json::Value;

fn action_type(a: &Value) -> &str {
    a.get("type").and_then(Value::as_str).unwrap_or("")
}

/// Actions that can be primary (everything but `collect_evidence`).
pub fn candidate_actions(actions: &[Value]) -> Vec<&Value> {
    actions
        .iter()
        .filter(|a| action_type(a) != "collect_evidence")
        .collect()
}

/// Without a plugin registry: `generate_patch`, else `run_tests`, else the
/// first candidate.
pub fn preferred_action<'a>(candidates: &[&'a Value]) -> Option<&'a Value> {
    candidates
        .iter()
        .find(|a| action_type(a) == "generate_patch")
        .or_else(|| candidates.iter().find(|a| action_type(a) == "run_tests"))
        .or_else(|| candidates.first())
        .copied()
}

/// `write_fs` when the node mutates files, `spawn_process` when it runs
/// tests or lint, `read_fs` otherwise.
pub fn side_effect_class(mutation_count: usize, actions: &[Value]) -> &'static str {
    if mutation_count > 0 {
        "write_fs"
    } else if actions
        .iter()
        .any(|a| matches!(action_type(a), "run_tests" | "run_lint"))
    {
        "spawn_process"
    } else {
        "read_fs"
    }
}

/// The gate scope requested for a node that needs approval.
pub fn gate_scope(mutation_count: usize, actions: &[Value]) -> &'static str {
    if mutation_count > 0 {
        "critical_mutation"
    } else if actions.iter().any(|a| action_type(a) == "collect_evidence") {
        "security"
    } else {
        "plan_approval"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn primary_and_classes() {
        let acts = vec![
            json!({"type": "read_code"}),
            json!({"type": "run_tests", "command": "x"}),
            json!({"type": "collect_evidence"}),
        ];
        let c = candidate_actions(&acts);
        assert_eq!(c.len(), 2);
        assert_eq!(preferred_action(&c).unwrap()["type"], "run_tests");
        assert_eq!(side_effect_class(0, &acts), "spawn_process");
        assert_eq!(side_effect_class(2, &acts), "write_fs");
        assert_eq!(gate_scope(0, &acts), "security");
        assert_eq!(gate_scope(0, &acts[..1]), "plan_approval");
        assert!(preferred_action(&[]).is_none());
    }
}
