//! `InplaceWorkspaceManager`: every attempt runs in the project itself.
//! Nothing is isolated, so snapshot only names `HEAD` and reset and dispose
//! do nothing.

use serde_json::Value;

use super::{new_snapshot_id, snapshot_ref, Lease, RequestIds, SHARED};
use crate::error::OxeResult;

pub const STRATEGY: &str = "inplace";
pub const ISOLATION_LEVEL: &str = SHARED;
pub const TTL_MINUTES: u32 = 60;

/// `ws-inplace-<wi>-a<n>`.
pub fn workspace_id(ids: &RequestIds) -> String {
    format!("ws-inplace-{}-a{}", ids.work_item_id, ids.attempt_number)
}

/// `allocate(req)`: a lease on the project root, which is echoed as the
/// caller gave it (`None` when the manager was built without one).
pub fn allocate(project_root: Option<&Value>, req: &Value) -> OxeResult<Value> {
    let ids = RequestIds::from_request("InplaceWorkspaceManager.allocate", req)?;
    Ok(Lease {
        workspace_id: workspace_id(&ids),
        strategy: STRATEGY,
        isolation_level: ISOLATION_LEVEL,
        branch: None,
        base_commit: None,
        root_path: project_root.cloned(),
        ttl_minutes: TTL_MINUTES,
    }
    .to_value())
}

/// `snapshot(id)`: a ref whose commit is the literal `HEAD`.
pub fn snapshot(id: Option<&Value>) -> Value {
    snapshot_ref(new_snapshot_id(), id, "HEAD".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsjson;
    use serde_json::json;

    #[test]
    fn lease_matches_1_4_0() {
        let lease = allocate(
            Some(&json!("/tmp/fake-root")),
            &json!({"work_item_id": "T1", "attempt_number": 1, "strategy": "inplace", "mutation_scope": []}),
        )
        .unwrap();
        assert_eq!(
            jsjson::to_line(&lease),
            r#"{"workspace_id":"ws-inplace-T1-a1","strategy":"inplace","isolation_level":"shared","branch":null,"base_commit":null,"root_path":"/tmp/fake-root","ttl_minutes":60}"#
        );
    }

    #[test]
    fn attempts_get_distinct_ids() {
        let a = allocate(None, &json!({"work_item_id": "T1", "attempt_number": 1})).unwrap();
        let b = allocate(None, &json!({"work_item_id": "T1", "attempt_number": 2})).unwrap();
        assert_ne!(a["workspace_id"], b["workspace_id"]);
        assert!(a.get("root_path").is_none());
    }

    #[test]
    fn snapshot_names_head() {
        let s = snapshot(Some(&json!("ws-inplace-T1-a1")));
        assert_eq!(s["commit"], "HEAD");
        assert_eq!(s["workspace_id"], "ws-inplace-T1-a1");
        assert!(s["snapshot_id"].as_str().unwrap().starts_with("snap-"));
        assert_ne!(s["snapshot_id"], snapshot(None)["snapshot_id"]);
    }

    #[test]
    fn bad_request_is_an_arg_error() {
        let e = allocate(None, &json!("T1")).unwrap_err();
        assert_eq!(e.code(), "OXE_E_ARG");
    }
}
