//! Persisted policy decisions: `.oxe/runs/<run>/policy-decisions.json`, a
//! JSON array that keeps one entry per `decision_id` (a new decision with
//! the same id replaces the old one and moves to the end, as in 1.4.0).
//!
//! Beyond 1.4.0 the read-filter-append runs under the file's lock, so two
//! processes saving decisions of one run never drop each other's entries,
//! and a file that is valid JSON but not an array is moved aside (and
//! reported) instead of being overwritten.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::js_ops::{value_strict_eq, Slot};
use crate::error::{OxeError, OxeResult};
use crate::{paths, store};

pub const DECISIONS_FILE: &str = "policy-decisions.json";

/// `.oxe/runs/<runId>/policy-decisions.json`.
pub fn policy_decisions_path(root: &Path, run_id: &str) -> OxeResult<PathBuf> {
    Ok(paths::run_dir(root, run_id)?.join(DECISIONS_FILE))
}

/// `savePolicyDecision(projectRoot, decision)`: replaces any stored entry
/// with the same `decision_id` and appends `decision`.
pub fn save_policy_decision(root: &Path, decision: &Value) -> OxeResult<()> {
    let Value::Object(d) = decision else {
        return Err(OxeError::Arg(
            "savePolicyDecision: the decision must be an object".into(),
        ));
    };
    let run = Slot::of(d.get("run_id")).render().into_owned();
    let path = policy_decisions_path(root, &run)?;
    let id = d.get("decision_id");
    store::with_lock(&path, || {
        let mut list = match store::read_json(&path) {
            Some(Value::Array(a)) => a,
            Some(_) => {
                store::quarantine(&path, "policy decisions are not a JSON array");
                Vec::new()
            }
            None => Vec::new(),
        };
        list.retain(|item| {
            let item_id = match item {
                Value::Object(m) => m.get("decision_id"),
                _ => None,
            };
            !value_strict_eq(item_id, id)
        });
        list.push(decision.clone());
        store::write_json(&path, &Value::Array(list))
    })?;
    Ok(())
}

/// `loadPolicyDecisions(projectRoot, runId)`: the stored array, or `[]` when
/// the file is missing, corrupt (moved aside) or not an array.
pub fn load_policy_decisions(root: &Path, run_id: &str) -> OxeResult<Vec<Value>> {
    let path = policy_decisions_path(root, run_id)?;
    Ok(match store::read_json(&path) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    })
}

/// `summarizePolicyDecisions(decisions)`: `{total, denied, gated,
/// overridesWithoutRationale}`.
pub fn summarize_policy_decisions(decisions: &Value) -> OxeResult<Map<String, Value>> {
    let Value::Array(list) = decisions else {
        return Err(OxeError::Arg(
            "summarizePolicyDecisions: decisions must be an array".into(),
        ));
    };
    let (mut denied, mut gated, mut overrides) = (0u64, 0u64, 0u64);
    for (i, d) in list.iter().enumerate() {
        let field = |k: &str| match d {
            Value::Object(m) => Ok(Slot::of(m.get(k))),
            Value::Null => Err(OxeError::Arg(format!(
                "summarizePolicyDecisions: decision {i} is null"
            ))),
            _ => Ok(Slot::Undef),
        };
        if !field("allowed")?.truthy() {
            denied += 1;
        }
        if field("gate_required")?.truthy() {
            gated += 1;
        }
        if field("override")?.truthy() && !field("rationale")?.truthy() {
            overrides += 1;
        }
    }
    let mut m = Map::new();
    m.insert("total".into(), Value::from(list.len() as u64));
    m.insert("denied".into(), Value::from(denied));
    m.insert("gated".into(), Value::from(gated));
    m.insert("overridesWithoutRationale".into(), Value::from(overrides));
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "oxe-policy-{name}-{}-{}",
            std::process::id(),
            crate::clock::random_chars(6, crate::clock::BASE36)
        ));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn save_dedupes_by_decision_id() {
        let root = tmp("save");
        let d =
            |id: &str, n: u32| json!({"decision_id": id, "allowed": true, "run_id": "r1", "n": n});
        save_policy_decision(&root, &d("a", 1)).unwrap();
        save_policy_decision(&root, &d("b", 2)).unwrap();
        save_policy_decision(&root, &d("a", 3)).unwrap();
        let list = load_policy_decisions(&root, "r1").unwrap();
        assert_eq!(list, vec![d("b", 2), d("a", 3)]);
        let text =
            std::fs::read_to_string(root.join(".oxe/runs/r1/policy-decisions.json")).unwrap();
        assert_eq!(text, crate::jsjson::to_pretty(&Value::Array(list)));
        assert!(load_policy_decisions(&root, "other").unwrap().is_empty());
        assert_eq!(
            save_policy_decision(&root, &json!({"run_id": "../x"}))
                .unwrap_err()
                .code(),
            "OXE_E_PATH"
        );
    }

    #[test]
    fn non_array_file_is_moved_aside() {
        let root = tmp("nonarray");
        let dir = root.join(".oxe/runs/r");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(DECISIONS_FILE), "{\"x\":1}").unwrap();
        assert!(load_policy_decisions(&root, "r").unwrap().is_empty());
        save_policy_decision(&root, &json!({"run_id": "r", "decision_id": "z"})).unwrap();
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names
            .iter()
            .any(|n| n.starts_with("policy-decisions.json.corrupt-")));
        assert_eq!(load_policy_decisions(&root, "r").unwrap().len(), 1);
    }

    #[test]
    fn summary_counts() {
        let s = summarize_policy_decisions(&json!([
            {"allowed": true, "gate_required": true, "override": true, "rationale": null},
            {"allowed": false, "override": true, "rationale": "ok"},
            {"allowed": true}
        ]))
        .unwrap();
        assert_eq!(
            Value::Object(s),
            json!({"total": 3, "denied": 1, "gated": 1, "overridesWithoutRationale": 1})
        );
        assert!(summarize_policy_decisions(&json!([null])).is_err());
        assert!(summarize_policy_decisions(&json!({})).is_err());
    }
}
