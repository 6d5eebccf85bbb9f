//! workspace binding: the three workspace managers' operations. The JS
//! classes hold the 1.4.0 state (lease map, container-id map, fallback
//! flag) and pass the relevant part in; values cross as JSON text.
//! Container operations answer `{"delegate":true}` when the call must go to
//! the fallback manager, or `{"result": ...}`.

use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::workspace::ephemeral_container::{
    self as container, ContainerOptions, Docker, Routed,
};
use oxe_runtime::workspace::{git_worktree, inplace, template_part};
use serde_json::{json, Value};

use crate::guard::guard;

/// A member of an argument object; `None` is JS `undefined` (dropped by
/// `JSON.stringify`).
fn arg<'a>(args: &'a Value, key: &str) -> Option<&'a Value> {
    args.get(key)
}

/// An absent member read as `null`.
fn null_or(v: Option<&Value>) -> &Value {
    v.unwrap_or(&Value::Null)
}

#[napi(js_name = "workspaceInplaceAllocate")]
pub fn workspace_inplace_allocate(args: String) -> napi::Result<String, String> {
    guard("InplaceWorkspaceManager.allocate", || {
        let a = parse_wire("allocate arguments", &args)?;
        let lease = inplace::allocate(arg(&a, "root"), null_or(arg(&a, "req")))?;
        Ok(jsjson::to_line(&lease))
    })
}

#[napi(js_name = "workspaceInplaceSnapshot")]
pub fn workspace_inplace_snapshot(args: String) -> napi::Result<String, String> {
    guard("InplaceWorkspaceManager.snapshot", || {
        let a = parse_wire("snapshot arguments", &args)?;
        Ok(jsjson::to_line(&inplace::snapshot(arg(&a, "id"))))
    })
}

/// `args`: `{root, req}`.
#[napi(js_name = "workspaceGitAllocate")]
pub fn workspace_git_allocate(args: String) -> napi::Result<String, String> {
    guard("GitWorktreeManager.allocate", || {
        let a = parse_wire("allocate arguments", &args)?;
        let root = git_worktree::project_root_arg(arg(&a, "root"))?;
        let lease = git_worktree::allocate(root, null_or(arg(&a, "req")))?;
        Ok(jsjson::to_line(&lease))
    })
}

/// `args`: `{id, lease}`.
#[napi(js_name = "workspaceGitSnapshot")]
pub fn workspace_git_snapshot(args: String) -> napi::Result<String, String> {
    guard("GitWorktreeManager.snapshot", || {
        let a = parse_wire("snapshot arguments", &args)?;
        let snap = git_worktree::snapshot(arg(&a, "id"), null_or(arg(&a, "lease")))?;
        Ok(jsjson::to_line(&snap))
    })
}

/// `args`: `{id, lease, snap}`.
#[napi(js_name = "workspaceGitReset")]
pub fn workspace_git_reset(args: String) -> napi::Result<(), String> {
    guard("GitWorktreeManager.reset", || {
        let a = parse_wire("reset arguments", &args)?;
        git_worktree::reset(
            arg(&a, "id"),
            null_or(arg(&a, "lease")),
            null_or(arg(&a, "snap")),
        )
    })
}

/// `args`: `{root, lease}`; result `{worktree_removed, branch_deleted}`.
/// Git failures are not errors here, as in 1.4.0.
#[napi(js_name = "workspaceGitDispose")]
pub fn workspace_git_dispose(args: String) -> napi::Result<String, String> {
    guard("GitWorktreeManager.dispose", || {
        let a = parse_wire("dispose arguments", &args)?;
        let root = arg(&a, "root").and_then(Value::as_str);
        let done = git_worktree::dispose(root, null_or(arg(&a, "lease")));
        Ok(jsjson::to_line(&json!({
            "worktree_removed": done.worktree_removed,
            "branch_deleted": done.branch_deleted,
        })))
    })
}

#[napi(js_name = "workspaceContainerDefaults")]
pub fn workspace_container_defaults() -> napi::Result<String, String> {
    guard("EphemeralContainerManager", || {
        Ok(jsjson::to_line(&container::default_options()))
    })
}

fn options(opts: &str) -> Result<ContainerOptions, oxe_runtime::OxeError> {
    ContainerOptions::from_value(&parse_wire("container options", opts)?)
}

fn routed(r: Routed<Value>) -> String {
    jsjson::to_line(&r.to_value())
}

/// The constructor's docker check: `true` to start in fallback mode.
#[napi(js_name = "workspaceContainerInit")]
pub fn workspace_container_init(opts: String) -> napi::Result<bool, String> {
    guard("EphemeralContainerManager", || {
        container::init(&Docker::default(), &options(&opts)?)
    })
}

#[napi(js_name = "workspaceContainerIsolationLevel")]
pub fn workspace_container_isolation_level(
    use_fallback: bool,
    fallback_level: String,
) -> napi::Result<String, String> {
    guard("EphemeralContainerManager.isolation_level", || {
        let level = parse_wire("fallback isolation level", &fallback_level)?;
        Ok(jsjson::to_line(&container::isolation_level(
            use_fallback,
            level,
        )))
    })
}

/// `args`: `{root, opts, req}`; result `{lease, container_id}`.
#[napi(js_name = "workspaceContainerAllocate")]
pub fn workspace_container_allocate(
    use_fallback: bool,
    args: String,
) -> napi::Result<String, String> {
    guard("EphemeralContainerManager.allocate", || {
        let a = parse_wire("allocate arguments", &args)?;
        let root = template_part(arg(&a, "root"));
        let opts = ContainerOptions::from_value(null_or(arg(&a, "opts")))?;
        let out = container::allocate(
            &Docker::default(),
            &root,
            &opts,
            use_fallback,
            null_or(arg(&a, "req")),
        )?;
        Ok(routed(match out {
            Routed::Done(s) => {
                Routed::Done(json!({"lease": s.lease, "container_id": s.container_id}))
            }
            Routed::Delegate => Routed::Delegate,
        }))
    })
}

/// `args`: `{id, container_id}`.
#[napi(js_name = "workspaceContainerSnapshot")]
pub fn workspace_container_snapshot(
    use_fallback: bool,
    args: String,
) -> napi::Result<String, String> {
    guard("EphemeralContainerManager.snapshot", || {
        let a = parse_wire("snapshot arguments", &args)?;
        let cid = arg(&a, "container_id").and_then(Value::as_str);
        Ok(routed(container::snapshot(
            &Docker::default(),
            use_fallback,
            arg(&a, "id"),
            cid,
        )?))
    })
}

/// `args`: `{root, opts, container_id, snap}`; result the new container id or null.
#[napi(js_name = "workspaceContainerReset")]
pub fn workspace_container_reset(use_fallback: bool, args: String) -> napi::Result<String, String> {
    guard("EphemeralContainerManager.reset", || {
        let a = parse_wire("reset arguments", &args)?;
        let root = template_part(arg(&a, "root"));
        let opts = ContainerOptions::from_value(null_or(arg(&a, "opts")))?;
        let cid = arg(&a, "container_id").and_then(Value::as_str);
        let out = container::reset(
            &Docker::default(),
            &root,
            &opts,
            use_fallback,
            cid,
            null_or(arg(&a, "snap")),
        )?;
        Ok(routed(match out {
            Routed::Done(id) => Routed::Done(id.map_or(Value::Null, Value::String)),
            Routed::Delegate => Routed::Delegate,
        }))
    })
}

/// `args`: `{container_id}`.
#[napi(js_name = "workspaceContainerDispose")]
pub fn workspace_container_dispose(
    use_fallback: bool,
    args: String,
) -> napi::Result<String, String> {
    guard("EphemeralContainerManager.dispose", || {
        let a = parse_wire("dispose arguments", &args)?;
        let cid = arg(&a, "container_id").and_then(Value::as_str);
        let out = container::dispose(&Docker::default(), use_fallback, cid);
        Ok(routed(match out {
            Routed::Done(()) => Routed::Done(Value::Null),
            Routed::Delegate => Routed::Delegate,
        }))
    })
}
