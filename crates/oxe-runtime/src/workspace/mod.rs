//! workspace: where an attempt of a work item runs.
//!
//! Three managers, as in oxe-cc 1.4.0:
//! * [`inplace`]: the project itself, shared by every attempt;
//! * [`git_worktree`]: one git worktree per attempt under
//!   `.oxe/workspaces/<wsId>`, on a new branch `oxe/<wi>-attempt<n>`;
//! * [`ephemeral_container`]: a docker container per attempt, or git
//!   worktrees when docker is unavailable and fallback is allowed.
//!
//! The core is stateless: the JS classes keep their 1.4.0 state (the lease
//! map, the container-id map, the fallback flag) as own properties and hand
//! the relevant part to these functions, which decide and do the work. This
//! module holds what the three share: reading a `WorkspaceRequest` and
//! building the `WorkspaceLease` and `SnapshotRef` objects in 1.4.0's field
//! order.

pub mod ephemeral_container;
pub mod git_worktree;
pub mod inplace;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson;

/// `isolation_level` of a manager that shares the project tree.
pub const SHARED: &str = "shared";
/// `isolation_level` of a manager that gives each attempt its own tree.
pub const ISOLATED: &str = "isolated";

/// An error of a workspace operation (`OXE_E_WORKSPACE`), with a message
/// that names the manager, the workspace and the repository or path.
pub(crate) fn ws_error(message: impl Into<String>) -> OxeError {
    OxeError::Workspace(message.into())
}

/// The two fields of a `WorkspaceRequest` that name a workspace, rendered
/// the way a JS template literal renders them (`undefined` when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestIds {
    pub work_item_id: String,
    pub attempt_number: String,
}

impl RequestIds {
    /// Reads `work_item_id` and `attempt_number` from a request object.
    pub fn from_request(what: &str, req: &Value) -> OxeResult<Self> {
        let obj = req.as_object().ok_or_else(|| {
            OxeError::Arg(format!(
                "{what}: the workspace request must be an object with work_item_id and attempt_number, got {}",
                kind_of(req)
            ))
        })?;
        Ok(RequestIds {
            work_item_id: template_part(obj.get("work_item_id")),
            attempt_number: template_part(obj.get("attempt_number")),
        })
    }
}

/// How `${value}` renders: `undefined` for a missing value, `String(v)` otherwise.
pub fn template_part(v: Option<&Value>) -> String {
    match v {
        None => "undefined".to_string(),
        Some(v) => jsjson::js_string(v),
    }
}

/// A short name of a JSON value's kind, for error messages.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A `WorkspaceLease`, fields in 1.4.0's order. A `None` root path leaves
/// `root_path` out, as `JSON.stringify` drops an undefined value.
pub struct Lease<'a> {
    pub workspace_id: String,
    pub strategy: &'a str,
    pub isolation_level: &'a str,
    pub branch: Option<String>,
    pub base_commit: Option<String>,
    pub root_path: Option<Value>,
    pub ttl_minutes: u32,
}

impl Lease<'_> {
    pub fn to_value(self) -> Value {
        let mut m = Map::new();
        m.insert("workspace_id".into(), Value::String(self.workspace_id));
        m.insert("strategy".into(), self.strategy.into());
        m.insert("isolation_level".into(), self.isolation_level.into());
        m.insert(
            "branch".into(),
            self.branch.map_or(Value::Null, Value::String),
        );
        m.insert(
            "base_commit".into(),
            self.base_commit.map_or(Value::Null, Value::String),
        );
        if let Some(root) = self.root_path {
            m.insert("root_path".into(), root);
        }
        m.insert("ttl_minutes".into(), self.ttl_minutes.into());
        Value::Object(m)
    }
}

/// A fresh snapshot id, `snap-<8 hex>`.
pub fn new_snapshot_id() -> String {
    format!("snap-{}", clock::random_chars(8, clock::HEX))
}

/// A `SnapshotRef` `{snapshot_id, workspace_id, commit, created_at}`. The
/// workspace id is echoed as given; `None` (JS `undefined`) leaves it out.
pub fn snapshot_ref(snapshot_id: String, workspace_id: Option<&Value>, commit: String) -> Value {
    let mut m = Map::new();
    m.insert("snapshot_id".into(), Value::String(snapshot_id));
    if let Some(id) = workspace_id {
        m.insert("workspace_id".into(), id.clone());
    }
    m.insert("commit".into(), Value::String(commit));
    m.insert("created_at".into(), Value::String(clock::now_iso()));
    Value::Object(m)
}
