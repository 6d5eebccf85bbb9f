//! `EphemeralContainerManager`: each attempt runs in a docker container
//! (`docker run -d -v <root>:<mount> -w <mount> [-e K=V]... <image> sleep 3600`)
//! driven through the docker CLI. When docker is unavailable at
//! construction, or `docker run` fails, and `fallback` is not `false`, the
//! manager hands every call to its git worktree manager from then on, as
//! 1.4.0 does.
//!
//! The routing decision is made here: each operation either returns its
//! result or [`Routed::Delegate`], which tells the caller to forward the
//! call to the fallback manager.

use std::ffi::OsString;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::{kind_of, snapshot_ref, template_part, ws_error, Lease, RequestIds, ISOLATED};
use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::jsjson;

pub const STRATEGY: &str = "ephemeral_container";
pub const TTL_MINUTES: u32 = 60;
/// How long the constructor waits for `docker version`.
pub const AVAILABILITY_TIMEOUT: Duration = Duration::from_millis(5000);

const WHO: &str = "EphemeralContainerManager";

/// The options object 1.4.0 uses when none is given.
pub fn default_options() -> Value {
    json!({"image": "node:20-alpine", "mountPath": "/workspace", "fallback": true})
}

/// The docker CLI, by program name or path.
#[derive(Debug, Clone)]
pub struct Docker {
    program: OsString,
}

impl Default for Docker {
    fn default() -> Self {
        Docker {
            program: OsString::from("docker"),
        }
    }
}

/// What one docker invocation produced. A program that could not be
/// started is a failure whose stderr says why.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Docker {
    pub fn with_program(program: impl Into<OsString>) -> Self {
        Docker {
            program: program.into(),
        }
    }

    fn command(&self, args: &[String]) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(args).stdin(Stdio::null());
        cmd
    }

    /// Runs `docker <args>` to completion, capturing its output.
    pub fn run(&self, args: &[String]) -> Outcome {
        match self.command(args).output() {
            Ok(out) => Outcome {
                success: out.status.success(),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            },
            Err(e) => Outcome {
                success: false,
                stdout: String::new(),
                stderr: format!("cannot run {}: {e}", self.program.to_string_lossy()),
            },
        }
    }

    /// `docker version --format {{.Server.Version}}` exits 0 within
    /// `timeout` (the CLI alone is not enough: the daemon must answer).
    pub fn available(&self, timeout: Duration) -> bool {
        let args = ["version", "--format", "{{.Server.Version}}"].map(String::from);
        let mut child = match self
            .command(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(_) => return false,
        };
        // Drain stderr on a thread so a chatty CLI cannot block on a full pipe.
        let drain = child.stderr.take().map(|mut s| {
            std::thread::spawn(move || {
                let mut sink = Vec::new();
                let _ = s.read_to_end(&mut sink);
            })
        });
        let deadline = Instant::now() + timeout;
        let ok = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status.success(),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Ok(None) | Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break false;
                }
            }
        };
        if let Some(t) = drain {
            let _ = t.join();
        }
        ok
    }
}

/// The container options of a manager, read from the JS options object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerOptions {
    pub image: String,
    pub mount_path: String,
    pub extra_env: Vec<(String, String)>,
    /// `opts.fallback !== false`.
    pub fallback: bool,
}

impl ContainerOptions {
    pub fn from_value(opts: &Value) -> OxeResult<Self> {
        let obj = opts.as_object().ok_or_else(|| {
            OxeError::Arg(format!(
                "{WHO}: opts must be an object {{image, mountPath, extraEnv?, fallback?}}, got {}",
                kind_of(opts)
            ))
        })?;
        let extra_env = match obj.get("extraEnv") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(env)) => env
                .iter()
                .map(|(k, v)| (k.clone(), jsjson::js_string(v)))
                .collect(),
            Some(other) => {
                return Err(OxeError::Arg(format!(
                    "{WHO}: opts.extraEnv must be an object of strings, got {}",
                    kind_of(other)
                )))
            }
        };
        Ok(ContainerOptions {
            image: template_part(obj.get("image")),
            mount_path: template_part(obj.get("mountPath")),
            extra_env,
            fallback: obj.get("fallback") != Some(&Value::Bool(false)),
        })
    }
}

/// Either the result of an operation, or "hand this call to the fallback
/// manager".
#[derive(Debug, Clone, PartialEq)]
pub enum Routed<T> {
    Done(T),
    Delegate,
}

impl Routed<Value> {
    /// `{"delegate":true}` or `{"result": <value>}`, for the binding.
    pub fn to_value(self) -> Value {
        let mut m = Map::new();
        match self {
            Routed::Done(v) => {
                m.insert("result".into(), v);
            }
            Routed::Delegate => {
                m.insert("delegate".into(), Value::Bool(true));
            }
        }
        Value::Object(m)
    }
}

/// The constructor's check: `true` when the manager starts in fallback
/// mode; an error when docker is unavailable and fallback is disabled.
pub fn init(docker: &Docker, opts: &ContainerOptions) -> OxeResult<bool> {
    if docker.available(AVAILABILITY_TIMEOUT) {
        return Ok(false);
    }
    if opts.fallback {
        return Ok(true);
    }
    Err(ws_error(
        "Docker is not available and fallback is disabled \
         (`docker version` did not reach a docker daemon; start one, or allow fallback to git worktrees)",
    ))
}

/// The `isolation_level` getter: the fallback manager's level while
/// falling back, `'isolated'` otherwise.
pub fn isolation_level(use_fallback: bool, fallback_level: Value) -> Value {
    if use_fallback {
        fallback_level
    } else {
        Value::String(ISOLATED.into())
    }
}

/// `ws-container-<wi>-a<n>`.
pub fn workspace_id(ids: &RequestIds) -> String {
    format!("ws-container-{}-a{}", ids.work_item_id, ids.attempt_number)
}

/// The first 12 characters of the trimmed `docker run -d` output.
fn container_id(stdout: &str) -> String {
    stdout.trim().chars().take(12).collect()
}

fn volume(project_root: &str, opts: &ContainerOptions) -> String {
    format!("{project_root}:{}", opts.mount_path)
}

/// A started container: its lease and its (short) id.
#[derive(Debug, Clone, PartialEq)]
pub struct Started {
    pub lease: Value,
    pub container_id: String,
}

/// `allocate(req)`: start a container for the attempt. A failing
/// `docker run` switches to the fallback when it is allowed (the caller
/// then sets its fallback flag for good).
pub fn allocate(
    docker: &Docker,
    project_root: &str,
    opts: &ContainerOptions,
    use_fallback: bool,
    req: &Value,
) -> OxeResult<Routed<Started>> {
    if use_fallback {
        return Ok(Routed::Delegate);
    }
    let ids = RequestIds::from_request("EphemeralContainerManager.allocate", req)?;
    let ws_id = workspace_id(&ids);
    let mut args: Vec<String> = ["run", "-d", "-v"].map(String::from).to_vec();
    args.push(volume(project_root, opts));
    args.push("-w".into());
    args.push(opts.mount_path.clone());
    for (k, v) in &opts.extra_env {
        args.push("-e".into());
        args.push(format!("{k}={v}"));
    }
    args.push(opts.image.clone());
    args.push("sleep".into());
    args.push("3600".into());

    let out = docker.run(&args);
    if !out.success {
        if opts.fallback {
            return Ok(Routed::Delegate);
        }
        return Err(ws_error(format!("docker run failed: {}", out.stderr)));
    }
    let cid = container_id(&out.stdout);
    let lease = Lease {
        workspace_id: ws_id,
        strategy: STRATEGY,
        isolation_level: ISOLATED,
        branch: None,
        base_commit: None,
        root_path: Some(Value::String(format!("docker:{cid}:{}", opts.mount_path))),
        ttl_minutes: TTL_MINUTES,
    }
    .to_value();
    Ok(Routed::Done(Started {
        lease,
        container_id: cid,
    }))
}

/// `snapshot(id)`: `docker commit <cid> oxe-snap-<8 hex>`; the tag is both
/// the snapshot id and its commit.
pub fn snapshot(
    docker: &Docker,
    use_fallback: bool,
    id: Option<&Value>,
    container: Option<&str>,
) -> OxeResult<Routed<Value>> {
    if use_fallback {
        return Ok(Routed::Delegate);
    }
    let id_text = template_part(id);
    let Some(cid) = container.filter(|c| !c.is_empty()) else {
        return Err(ws_error(format!(
            "Container for workspace {id_text} not found"
        )));
    };
    let tag = format!("oxe-snap-{}", clock::random_chars(8, clock::HEX));
    let out = docker.run(&["commit".into(), cid.into(), tag.clone()]);
    if !out.success {
        return Err(ws_error(format!(
            "{WHO}.snapshot: docker commit {cid} {tag} failed for workspace {id_text}: {}",
            out.stderr.trim()
        )));
    }
    Ok(Routed::Done(snapshot_ref(tag.clone(), id, tag)))
}

/// `reset(id, snap)`: replace the container by a new one started from the
/// snapshot image (`docker stop`, `docker rm`, `docker run -d -v root:mount
/// <tag> sleep 3600`, without `-w` or env, as 1.4.0). Returns the new
/// container id, or `None` for an unknown workspace.
pub fn reset(
    docker: &Docker,
    project_root: &str,
    opts: &ContainerOptions,
    use_fallback: bool,
    container: Option<&str>,
    snap: &Value,
) -> OxeResult<Routed<Option<String>>> {
    if use_fallback {
        return Ok(Routed::Delegate);
    }
    let Some(cid) = container.filter(|c| !c.is_empty()) else {
        return Ok(Routed::Done(None));
    };
    let image = snap.get("commit").and_then(Value::as_str).ok_or_else(|| {
        OxeError::Arg(format!(
            "{WHO}.reset: the snapshot must be an object with a string commit, got {}",
            kind_of(snap)
        ))
    })?;
    docker.run(&["stop".into(), cid.into()]);
    docker.run(&["rm".into(), cid.into()]);
    let args = [
        "run".to_string(),
        "-d".into(),
        "-v".into(),
        volume(project_root, opts),
        image.into(),
        "sleep".into(),
        "3600".into(),
    ];
    let out = docker.run(&args);
    if !out.success {
        return Err(ws_error(format!(
            "{WHO}.reset: docker run of snapshot {image} failed (container {cid} was removed): {}",
            out.stderr.trim()
        )));
    }
    Ok(Routed::Done(Some(container_id(&out.stdout))))
}

/// `dispose(id)`: `docker stop` then `docker rm`; failures are ignored.
pub fn dispose(docker: &Docker, use_fallback: bool, container: Option<&str>) -> Routed<()> {
    if use_fallback {
        return Routed::Delegate;
    }
    if let Some(cid) = container.filter(|c| !c.is_empty()) {
        docker.run(&["stop".into(), cid.into()]);
        docker.run(&["rm".into(), cid.into()]);
    }
    Routed::Done(())
}
